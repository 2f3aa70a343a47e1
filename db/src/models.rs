//! One struct per table, used both to insert (ETL) and to read (API).

use diesel::prelude::*;

pub use crate::domaine::{Scrutin, TypeElection};
use crate::schema::{
    candidats, candidatures_circonscriptions, chomage, circonscriptions, contours,
    contours_circonscriptions, departements, elections, familles, indicateurs_socio, modeles,
    nuances, participations, participations_circonscriptions, previsions, regions, resultats,
    resultats_nuances, sieges, socio_economie, voisins, voisins_circonscriptions,
};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = regions, check_for_backend(diesel::sqlite::Sqlite))]
pub struct Region {
    pub code: String,
    pub nom: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = departements, check_for_backend(diesel::sqlite::Sqlite))]
pub struct Departement {
    pub code: String,
    pub code_election: String,
    pub nom: String,
    pub region_code: String,
    pub est_departement: bool,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = familles, check_for_backend(diesel::sqlite::Sqlite))]
pub struct Famille {
    pub code: String,
    pub libelle: String,
    pub ordre: i32,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = elections, check_for_backend(diesel::sqlite::Sqlite))]
pub struct Election {
    /// A [`TypeElection`] code.
    pub type_election: String,
    pub annee: i32,
    pub tour: i32,
    pub date_scrutin: String,
    /// `definitif` for the Ministry's final results.
    pub statut: String,
    /// Comma-separated levels of the raw files (`departement`, `circonscription`).
    pub niveaux: String,
    /// Publisher and dataset of the raw files.
    pub source: String,
}

impl Election {
    /// The round's key; `None` for a type the vocabulary does not know (the snapshot refuses
    /// such a database at load).
    pub fn scrutin(&self) -> Option<Scrutin> {
        TypeElection::from_code(&self.type_election).map(|t| Scrutin::de(t, self.annee, self.tour))
    }
}

/// The Ministry's political label (nuance) in one election, and the study's family of it.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = nuances, check_for_backend(diesel::sqlite::Sqlite))]
pub struct Nuance {
    pub type_election: String,
    pub annee: i32,
    pub code: String,
    pub libelle: String,
    pub famille_code: String,
}

/// Votes of one nuance in one département and round.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = resultats_nuances, check_for_backend(diesel::sqlite::Sqlite))]
pub struct ResultatNuance {
    pub departement_code: String,
    pub type_election: String,
    pub annee: i32,
    pub tour: i32,
    pub nuance: String,
    pub voix: i64,
}

/// Seats won by one nuance in one département and round.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = sieges, check_for_backend(diesel::sqlite::Sqlite))]
pub struct Siege {
    pub departement_code: String,
    pub type_election: String,
    pub annee: i32,
    pub tour: i32,
    pub nuance: String,
    pub nombre: i32,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = candidats, check_for_backend(diesel::sqlite::Sqlite))]
pub struct Candidat {
    pub id: i32,
    pub nom: String,
    pub prenom: String,
    pub sexe: String,
    pub famille_code: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = participations, check_for_backend(diesel::sqlite::Sqlite))]
pub struct Participation {
    pub departement_code: String,
    pub type_election: String,
    pub annee: i32,
    pub tour: i32,
    pub inscrits: i64,
    pub abstentions: i64,
    pub votants: i64,
    pub blancs: i64,
    pub nuls: i64,
    pub exprimes: i64,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = resultats, check_for_backend(diesel::sqlite::Sqlite))]
pub struct Resultat {
    pub departement_code: String,
    pub type_election: String,
    pub annee: i32,
    pub tour: i32,
    pub candidat_id: i32,
    pub voix: i64,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = chomage, check_for_backend(diesel::sqlite::Sqlite))]
pub struct Chomage {
    pub departement_code: String,
    pub annee: i32,
    pub trimestre: i32,
    pub taux: f64,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = modeles, check_for_backend(diesel::sqlite::Sqlite))]
pub struct Modele {
    pub id: String,
    pub algorithme: String,
    pub libelle: String,
    pub trimestre: String,
    pub features: String,
    pub classes: String,
    pub n_echantillons: i32,
    pub accuracy_moyenne: f64,
    pub accuracy_ecart_type: f64,
    pub macro_f1: f64,
    pub auc_macro: f64,
    pub holdout_accuracy_test: f64,
    /// The full evaluation, JSON.
    pub evaluation: String,
    /// The model refit on every sample, JSON.
    pub artefact: String,
    /// The feature set the model was trained on (`indicateurs_2022`, `socio_economique`, ...).
    pub jeu_features: String,
}

/// One model's or baseline's constituency forecast on a test election (see `ml::prevision`).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = previsions, check_for_backend(diesel::sqlite::Sqlite))]
pub struct Prevision {
    /// `<tache>__<cible>__<modele>`.
    pub id: String,
    pub tache: String,
    pub cible: String,
    pub modele: String,
    pub genre: String,
    pub libelle: String,
    pub test: String,
    pub n_test: i32,
    pub accuracy: f64,
    pub accuracy_ic_bas: f64,
    pub accuracy_ic_haut: f64,
    pub macro_f1: f64,
    pub log_loss: Option<f64>,
    pub ecart_presidentielle: f64,
    pub retenu: bool,
    /// The full result, JSON.
    pub resultat: String,
}

/// A socio-economic indicator: code, label, unit, display order.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = indicateurs_socio, check_for_backend(diesel::sqlite::Sqlite))]
pub struct IndicateurSocio {
    pub code: String,
    pub libelle: String,
    pub unite: String,
    pub ordre: i32,
}

/// One indicator of one département; `valeur` is `None` when the source has no value.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = socio_economie, check_for_backend(diesel::sqlite::Sqlite))]
pub struct SocioEconomie {
    pub departement_code: String,
    pub indicateur: String,
    pub annee: i32,
    pub source: String,
    pub valeur: Option<f64>,
}

/// Two départements sharing at least one boundary point (queen contiguity); stored both ways.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Queryable, Selectable, Insertable)]
#[diesel(table_name = voisins, check_for_backend(diesel::sqlite::Sqlite))]
pub struct Voisin {
    pub departement_code: String,
    pub voisin_code: String,
}

/// A département's outline: simplified and projected for the maps, WGS84 for GIS tools (see
/// the `contours` migration).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = contours, check_for_backend(diesel::sqlite::Sqlite))]
pub struct Contour {
    pub departement_code: String,
    /// EPSG label of the map's projection, e.g. `EPSG:2154`.
    pub projection: String,
    /// Simplification tolerance in metres.
    pub tolerance_m: f64,
    /// Simplified, projected MultiPolygon coordinates in whole metres (JSON).
    pub carte: String,
    /// RFC 7946 GeoJSON geometry as read.
    pub wgs84: String,
    /// RFC 7946 GeoJSON geometry, simplified.
    pub wgs84_simplifie: String,
}

/// A legislative constituency of the reference (`etl/reference/circonscriptions.csv`).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = circonscriptions, check_for_backend(diesel::sqlite::Sqlite))]
pub struct Circonscription {
    /// The département's election code and the number on two digits: `0101`, `2A01`, `ZZ11`.
    pub code: String,
    pub departement_code: String,
    pub numero: i32,
    pub nom: String,
}

/// Turnout of one constituency in one round.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = participations_circonscriptions, check_for_backend(diesel::sqlite::Sqlite))]
pub struct ParticipationCirconscription {
    pub circonscription_code: String,
    pub type_election: String,
    pub annee: i32,
    pub tour: i32,
    pub inscrits: i64,
    pub abstentions: i64,
    pub votants: i64,
    pub blancs: i64,
    pub nuls: i64,
    pub exprimes: i64,
}

/// One candidate of a constituency in one round.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = candidatures_circonscriptions, check_for_backend(diesel::sqlite::Sqlite))]
pub struct CandidatureCirconscription {
    pub circonscription_code: String,
    pub type_election: String,
    pub annee: i32,
    pub tour: i32,
    /// Order in the file, from 1.
    pub rang: i32,
    /// `Prénom NOM`.
    pub candidat: String,
    /// The Ministry's nuance (legislative elections), `None` for a presidential candidate.
    pub nuance: Option<String>,
    pub famille_code: String,
    pub voix: i64,
    pub elu: bool,
}

/// A constituency's outline (see [`Contour`]).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = contours_circonscriptions, check_for_backend(diesel::sqlite::Sqlite))]
pub struct ContourCirconscription {
    pub circonscription_code: String,
    pub projection: String,
    pub tolerance_m: f64,
    pub carte: String,
    pub wgs84: String,
    pub wgs84_simplifie: String,
}

/// Two constituencies sharing at least one boundary point; stored both ways.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Queryable, Selectable, Insertable)]
#[diesel(table_name = voisins_circonscriptions, check_for_backend(diesel::sqlite::Sqlite))]
pub struct VoisinCirconscription {
    pub circonscription_code: String,
    pub voisin_code: String,
}
