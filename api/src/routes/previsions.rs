//! `/previsions`: the constituency forecast trained on whole election cycles and tested on a
//! later legislative election (see [`crate::views::previsions`]): the table of every model and
//! baseline, and one model's forecast for every constituency beside the actual result. CSV
//! like every list.

use crate::error::ApiError;
use crate::params::FormatQuery;
use crate::params::previsions::PrevisionQuery;
use crate::routes::table::{self, Cellule, Table, Tabulaire};
use crate::state::AppState;
use crate::views::previsions::{self, LignePrevision, LigneTableau};
use actix_web::{HttpRequest, HttpResponse, get, web};

impl Tabulaire for Vec<LigneTableau> {
    fn table(&self) -> Table {
        let familles: std::collections::BTreeSet<&String> =
            self.iter().flat_map(|r| r.rappels.keys()).collect();
        let mut colonnes: Vec<String> = [
            "tache",
            "entrainement",
            "test",
            "cible",
            "jeu",
            "modele",
            "libelle",
            "genre",
            "hyperparametres",
            "accuracy_validation",
            "retenu",
            "n_entrainement",
            "n_test",
            "accuracy",
            "accuracy_ic_bas",
            "accuracy_ic_haut",
            "macro_f1",
            "log_loss",
            "ecart_presidentielle",
            "ecart_presidentielle_ic_bas",
            "ecart_presidentielle_ic_haut",
        ]
        .iter()
        .map(|c| (*c).to_owned())
        .collect();
        colonnes.extend(familles.iter().map(|f| format!("rappel_{f}")));
        let mut t = Table {
            colonnes,
            lignes: Vec::new(),
        };
        for r in self {
            let mut ligne: Vec<Cellule> = vec![
                (&r.tache).into(),
                (&r.entrainement).into(),
                (&r.test).into(),
                (&r.cible).into(),
                (&r.jeu).into(),
                (&r.modele).into(),
                (&r.libelle).into(),
                (&r.genre).into(),
                (&r.hyperparametres).into(),
                r.accuracy_validation.into(),
                r.retenu.into(),
                r.n_entrainement.into(),
                r.n_test.into(),
                r.accuracy.into(),
                r.accuracy_ic_bas.into(),
                r.accuracy_ic_haut.into(),
                r.macro_f1.into(),
                r.log_loss.into(),
                r.ecart_presidentielle.into(),
                r.ecart_presidentielle_ic_bas.into(),
                r.ecart_presidentielle_ic_haut.into(),
            ];
            ligne.extend(familles.iter().map(|f| r.rappels.get(*f).copied().into()));
            t.push(ligne);
        }
        t
    }
}

impl Tabulaire for Vec<LignePrevision> {
    fn table(&self) -> Table {
        let mut t = Table::new(&[
            "code",
            "nom",
            "departement_code",
            "tache",
            "test",
            "cible",
            "modele",
            "prevu",
            "reel",
            "juste",
            "probabilite",
        ]);
        for r in self {
            t.push(vec![
                (&r.code).into(),
                (&r.nom).into(),
                (&r.departement_code).into(),
                (&r.tache).into(),
                (&r.test).into(),
                (&r.cible).into(),
                (&r.modele).into(),
                (&r.prevu).into(),
                (&r.reel).into(),
                r.juste.into(),
                r.probabilite.into(),
            ]);
        }
        t
    }
}

/// The forecast's table: for each task (training cycles → test legislative election) and
/// target, the political scientist's baselines (the family leading the presidential round 1
/// in the constituency, the outgoing member's family, the majority class) and every model of
/// `ml`, with accuracy and its 95 % bootstrap interval, macro-F1, log-loss, the difference to
/// the presidential baseline with its paired interval, per-family recall and the confusion
/// matrix (JSON only), the hyper-parameters chosen by cross-validation inside the training
/// cycles and the model it prefers (`retenu`). The test election never enters training or
/// tuning. CSV with `format=csv` or `Accept: text/csv` (recalls as `rappel_{famille}`).
#[utoipa::path(
    operation_id = "list_previsions",
    tag = "previsions",
    params(PrevisionQuery, FormatQuery),
    responses(
        (status = 200, description = "Baselines and models on each test election",
            content(
                (Vec<LigneTableau> = "application/json"),
                (String = "text/csv", example = "tache,entrainement,test,cible,jeu,modele,...")
            )
        ),
        crate::routes::responses::BadParameterOrUnknown,
    )
)]
#[get("/previsions")]
pub async fn tableau(
    request: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<PrevisionQuery>,
    format: web::Query<FormatQuery>,
) -> Result<HttpResponse, ApiError> {
    let sortie = format.sortie(&request)?;
    let snapshot = &state.snapshot;
    let choix = previsions::choix(
        snapshot,
        query.tache.as_deref(),
        query.cible.as_deref(),
        None,
    )?;
    let donne = |v: &Option<String>| v.as_deref().is_some_and(|t| !t.trim().is_empty());
    let tache = donne(&query.tache).then_some(choix.tache.as_str());
    let cible = donne(&query.cible).then_some(choix.cible);
    let rows = previsions::tableau(snapshot, tache, cible)?;
    table::reponse(sortie, "previsions", &rows)
}

/// One forecast for every constituency of the test election: the forecast family, the actual
/// one, right or wrong, and the model's probability. Default: task `2017-2022-vers-2024`,
/// target `tete_t1`, the model the cross-validation inside the training cycles prefers. The
/// constituencies left out (French abroad, collectivities without INSEE indicators) are in
/// `/previsions` as `n_test` < 577. CSV like every list.
#[utoipa::path(
    operation_id = "list_previsions_circonscriptions",
    tag = "previsions",
    params(PrevisionQuery, FormatQuery),
    responses(
        (status = 200, description = "Each constituency's forecast and result, by code",
            content(
                (Vec<LignePrevision> = "application/json"),
                (String = "text/csv", example = "code,nom,departement_code,tache,test,cible,modele,prevu,reel,juste,probabilite")
            )
        ),
        crate::routes::responses::BadParameterOrUnknown,
    )
)]
#[get("/previsions/circonscriptions")]
pub async fn circonscriptions(
    request: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<PrevisionQuery>,
    format: web::Query<FormatQuery>,
) -> Result<HttpResponse, ApiError> {
    let sortie = format.sortie(&request)?;
    let choix = previsions::choix(
        &state.snapshot,
        query.tache.as_deref(),
        query.cible.as_deref(),
        query.modele.as_deref(),
    )?;
    let (r, rows) = previsions::circonscriptions(&state.snapshot, &choix)?;
    table::reponse(
        sortie,
        &format!("previsions-{}-{}-{}", r.tache, r.cible.id(), r.modele),
        &rows,
    )
}
