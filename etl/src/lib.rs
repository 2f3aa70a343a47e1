//! `etl`: the raw public files -> validated tables in `data_clean/` -> the SQLite
//! database (Diesel migrations) -> a deterministic `dump.sql`.
//!
//! Reading and writing happen at the edges (`excel`, `sources`, `elections`, `resultats`,
//! `nuances`, `chomage`, `socio`, `geo`, `reference` read; `output` writes); `dataset`,
//! `legislatives`, `tables` and `communes` are pure steps.

pub mod carte;
pub mod chomage;
pub mod circonscriptions;
pub mod communes;
pub mod dataset;
pub mod elections;
pub mod error;
pub mod excel;
pub mod fichiers;
pub mod geo;
pub mod legislatives;
pub mod nuances;
pub mod output;
pub mod pipeline;
pub mod reference;
pub mod resultats;
pub mod simplification;
pub mod socio;
pub mod sources;
pub mod tables;
pub mod validite;

pub use error::EtlError;
pub use pipeline::{Config, Summary, run};
