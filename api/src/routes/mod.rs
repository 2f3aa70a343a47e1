//! The HTTP presentation of the views: one module per resource, each with thin handlers
//! (extract typed parameters, call [`crate::views`], map to a response). `configure`
//! registers every route and its OpenAPI description together, so the two cannot diverge.

pub mod charts;
pub mod circonscriptions;
pub mod correlations;
pub mod departements;
pub mod donnees;
pub mod elections;
pub mod geo;
pub mod health;
pub mod indicateurs;
pub mod models;
pub mod previsions;
pub mod referentiel;
pub mod responses;
pub mod spatial;
pub mod table;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(health::health)
        .service(donnees::base)
        .service(geo::departements)
        .service(circonscriptions::geojson)
        .service(circonscriptions::liste)
        .service(circonscriptions::detail)
        .service(circonscriptions::moran)
        .service(circonscriptions::lisa)
        .service(circonscriptions::correlations)
        .service(departements::liste)
        .service(departements::chomage)
        .service(departements::evolution_departement)
        .service(elections::ecart_departement)
        .service(elections::ecart_national)
        .service(elections::nuances)
        .service(elections::sieges)
        .service(models::prediction)
        .service(departements::detail)
        .service(indicateurs::national)
        .service(indicateurs::liste)
        .service(correlations::correlations)
        .service(spatial::moran)
        .service(spatial::lisa)
        .service(referentiel::familles)
        .service(referentiel::regions)
        .service(referentiel::elections)
        .service(referentiel::indicateurs_socio)
        .service(referentiel::variables)
        .service(models::liste)
        .service(models::roc)
        .service(models::fiche)
        .service(models::predict)
        .service(models::predictions_liste)
        .service(previsions::tableau)
        .service(previsions::circonscriptions)
        .service(charts::indicateurs::histogramme)
        .service(charts::indicateurs::correlations_chart)
        .service(charts::indicateurs::nuage)
        .service(charts::indicateurs::evolution)
        .service(charts::indicateurs::boites)
        .service(charts::indicateurs::resultats)
        .service(charts::departements::departement_familles)
        .service(charts::departements::departement_candidats)
        .service(charts::departements::departement_chomage)
        .service(charts::models::models_accuracy)
        .service(charts::models::model_chart)
        .service(charts::cartes::famille_gagnante)
        .service(charts::cartes::prediction)
        .service(charts::cartes::evolution)
        .service(charts::cartes::lisa)
        .service(charts::cartes::moran)
        .service(charts::cartes::carte)
        .service(charts::circonscriptions::carte)
        .service(charts::circonscriptions::sieges)
        .service(charts::circonscriptions::famille_gagnante)
        .service(charts::circonscriptions::evolution)
        .service(charts::circonscriptions::lisa)
        .service(charts::circonscriptions::previsions);
}
