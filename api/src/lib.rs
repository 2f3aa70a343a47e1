//! `api`: the Elexxion REST/JSON service (actix-web), documented with utoipa.
//!
//! The database is read once at start-up into a [`db::Snapshot`] and every request is served
//! from memory: the data only changes when the ETL runs again.

pub mod dashboard;
pub mod error;
pub mod images;
pub mod journal;
pub mod limits;
pub mod memo;
pub mod middleware;
pub mod origin;
pub mod params;
pub mod render;
pub mod routes;
pub mod settings;
pub mod startup;
pub mod state;
pub mod stats;
pub mod views;
