//! One module per resource; `configure` registers every route and its OpenAPI
//! description together, so the two cannot diverge.

pub mod charts;
pub mod correlations;
pub mod departements;
pub mod health;
pub mod indicateurs;
pub mod models;
pub mod params;
pub mod referentiel;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(health::health)
        .service(departements::liste)
        .service(departements::chomage)
        .service(departements::evolution_departement)
        .service(models::prediction)
        .service(departements::detail)
        .service(indicateurs::national)
        .service(indicateurs::liste)
        .service(correlations::correlations)
        .service(referentiel::familles)
        .service(referentiel::regions)
        .service(referentiel::elections)
        .service(referentiel::indicateurs_socio)
        .service(models::liste)
        .service(models::roc)
        .service(models::fiche)
        .service(models::predict)
        .service(charts::histogramme)
        .service(charts::correlations_chart)
        .service(charts::nuage)
        .service(charts::evolution)
        .service(charts::boites)
        .service(charts::departement_familles)
        .service(charts::departement_candidats)
        .service(charts::departement_chomage)
        .service(charts::models_accuracy)
        .service(charts::model_chart);
}
