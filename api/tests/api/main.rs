//! The API's integration tests: the real server on an ephemeral port over HTTP (and the real
//! binary for start-up), on a temporary copy of the committed database. One module per
//! resource. Apart, in its own test binary: the headless-browser test (`browser.rs`). Each
//! server has its own rendering pool, so the tests that saturate or count one
//! (`render_pool.rs`) run beside the others.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

mod cartes;
mod charts;
mod circonscriptions;
mod correlations;
mod dashboard;
mod departements;
mod donnees;
mod elections;
mod indicateurs;
mod limits;
mod models;
mod previsions;
mod referentiel;
mod reliability;
mod render_pool;
mod service;
mod spatial;
mod startup;
