//! The static chart copies of `images/`, rendered from the committed dump.

use std::path::{Path, PathBuf};

use db::Snapshot;

use crate::error::ApiError;
use crate::routes::charts::{
    EvolutionQuery, Look, TourQuery, boxplot_chart, candidats_chart, chomage_chart,
    evolution_chart, familles_chart, heatmap_chart, histogram_chart, scatter_chart,
};
use crate::routes::correlations::CorrelationsQuery;
use crate::routes::params::Filtres;

#[derive(Debug, thiserror::Error)]
pub enum ImagesError {
    #[error(transparent)]
    Db(#[from] db::DbError),
    #[error("{0}")]
    Chart(#[from] ApiError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Every static chart: file name and SVG.
pub fn render_all(snapshot: &Snapshot) -> Result<Vec<(String, String)>, ApiError> {
    let look = Look::svg_default();
    let all = Filtres::default();
    let mut images = Vec::new();
    for variable in ["taux_abstention", "taux_participation", "taux_chomage"] {
        images.push((
            format!("histogramme_{variable}.svg"),
            histogram_chart(snapshot, variable, &all, None, &look)?,
        ));
    }
    let correlations = CorrelationsQuery {
        variables: None,
        methode: None,
    };
    images.push((
        "correlations.svg".to_owned(),
        heatmap_chart(snapshot, &all, &correlations, &look)?,
    ));
    let scatter = crate::routes::charts::ScatterQuery {
        x: None,
        y: None,
        regression: None,
    };
    images.push((
        "nuage_taux_chomage_part_extreme_droite.svg".to_owned(),
        scatter_chart(snapshot, &all, &scatter, &look)?,
    ));
    for variable in ["taux_chomage", "taux_abstention"] {
        images.push((
            format!("boites_{variable}.svg"),
            boxplot_chart(snapshot, variable, &all, &look)?,
        ));
    }
    images.push((
        "departement_59_familles.svg".to_owned(),
        familles_chart(snapshot, "59", &TourQuery::default(), &look)?,
    ));
    images.push((
        "departement_59_candidats.svg".to_owned(),
        candidats_chart(snapshot, "59", &TourQuery::default(), &look)?,
    ));
    images.push((
        "departement_59_chomage.svg".to_owned(),
        chomage_chart(snapshot, "59", &look)?,
    ));
    let socio = crate::routes::charts::ScatterQuery {
        x: Some("revenu_median".into()),
        y: Some("part_extreme_droite".into()),
        regression: None,
    };
    images.push((
        "nuage_revenu_median_part_extreme_droite.svg".to_owned(),
        scatter_chart(snapshot, &all, &socio, &look)?,
    ));
    let annee_2017 = TourQuery {
        annee: Some("2017".into()),
        tour: None,
    };
    images.push((
        "departement_59_familles_2017.svg".to_owned(),
        familles_chart(snapshot, "59", &annee_2017, &look)?,
    ));
    for (name, departement) in [
        ("evolution_france.svg", None),
        ("evolution_59.svg", Some("59")),
    ] {
        let query = EvolutionQuery {
            departement: departement.map(str::to_owned),
            tour: None,
        };
        images.push((name.to_owned(), evolution_chart(snapshot, &query, &look)?));
    }
    Ok(images)
}

/// Restores the embedded dump into a temporary database, loads it and renders every chart.
pub fn render_from_dump() -> Result<Vec<(String, String)>, ImagesError> {
    let dir = tempfile::tempdir().map_err(|source| ImagesError::Io {
        path: std::env::temp_dir(),
        source,
    })?;
    let path = dir.path().join("images.db");
    db::restore_from_dump(&path, crate::startup::EMBEDDED_DUMP)?;
    let snapshot = Snapshot::load(&mut db::open_read_only(&path)?)?;
    Ok(render_all(&snapshot)?)
}

pub fn write_all(dir: &Path) -> Result<Vec<PathBuf>, ImagesError> {
    let images = render_from_dump()?;
    std::fs::create_dir_all(dir).map_err(|source| ImagesError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut written = Vec::new();
    for (name, svg) in images {
        let path = dir.join(name);
        std::fs::write(&path, svg).map_err(|source| ImagesError::Io {
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}
