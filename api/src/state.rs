use std::sync::Arc;

use db::Snapshot;
use ml::evaluate::Evaluation;
use ml::models::Model;

use crate::render::Renderer;
use crate::routes::indicateurs::LignesJson;

/// A model of the `modeles` table, deserialized once at start-up.
pub struct LoadedModel {
    pub evaluation: Evaluation,
    pub model: Model,
}

/// What every handler shares: the data and models loaded at start-up, immutable.
#[derive(Clone)]
pub struct AppState {
    pub snapshot: Arc<Snapshot>,
    /// In the order of the `modeles` table (by id).
    pub models: Arc<Vec<LoadedModel>>,
    /// The SQLite file the snapshot was loaded from (served at `/donnees/elexxion.db`).
    pub database: Arc<[u8]>,
    /// The rendering pool: charts, maps, GeoJSON and spatial statistics run there.
    pub renderer: Renderer,
    /// `/indicateurs`' rows as JSON, written at start-up.
    pub lignes_json: Arc<LignesJson>,
}

impl AppState {
    /// Loads the models stored by `ml`; an unreadable one is an error naming it.
    pub fn new(snapshot: Arc<Snapshot>) -> Result<AppState, String> {
        let models = snapshot
            .modeles
            .iter()
            .map(|row| {
                let evaluation = serde_json::from_str(&row.evaluation)
                    .map_err(|e| format!("model '{}': unreadable evaluation: {e}", row.id))?;
                let model = serde_json::from_str(&row.artefact)
                    .map_err(|e| format!("model '{}': unreadable artefact: {e}", row.id))?;
                Ok(LoadedModel { evaluation, model })
            })
            .collect::<Result<Vec<_>, String>>()?;
        // /predict, the model endpoints and the dashboard's ML page all need them: better no
        // server than one that fails those requests.
        if models.is_empty() {
            return Err("the modeles table is empty: no model to serve".into());
        }
        let lignes_json = Arc::new(LignesJson::new(&snapshot)?);
        Ok(AppState {
            lignes_json,
            snapshot,
            models: Arc::new(models),
            database: Arc::from(Vec::new()),
            renderer: Renderer::per_core(),
        })
    }

    /// The model with the best cross-validated accuracy (ties to the first).
    pub fn best_model(&self) -> Option<&LoadedModel> {
        db::snapshot::first_max_by_key(self.models.iter(), |m| m.evaluation.accuracy_moyenne)
    }

    pub fn model(&self, id: &str) -> Option<&LoadedModel> {
        self.models.iter().find(|m| m.evaluation.id == id)
    }
}
