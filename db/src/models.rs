//! One struct per table, used both to insert (ETL) and to read (API).

use diesel::prelude::*;

use crate::schema::{
    candidats, chomage, departements, familles, modeles, participations, regions, resultats, tours,
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
#[diesel(table_name = tours, check_for_backend(diesel::sqlite::Sqlite))]
pub struct Tour {
    pub numero: i32,
    pub date_scrutin: String,
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
}
