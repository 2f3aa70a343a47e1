//! The API's integration tests: the real server on an ephemeral port over HTTP (and the real
//! binary for start-up), on a temporary copy of the committed database. One module per
//! resource. Apart, in their own test binaries: the headless-browser test (`browser.rs`), and
//! the two tests that count or saturate the process-wide rendering pool (`render_pool.rs`,
//! `single_flight.rs`), which would disturb, or be disturbed by, the tests running beside them.

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
mod service;
mod spatial;
mod startup;
