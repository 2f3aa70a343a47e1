//! `ml`: predicts the political family leading a département in round 1 of 2022 from its
//! indicators, with cross-validated metrics, and forecasts each constituency's leading family
//! in a legislative election from earlier cycles, tested on an election it never saw
//! (`prevision`). Library used by the `ml` binary and by the API (`/predict`, `/previsions`).
//!
//! Hand-written where smartcore 0.7 lacks the piece: stratified folds (`folds`), confusion
//! matrix, per-class and macro scores and ROC/AUC (`metrics`), probabilities for logistic
//! regression and Gaussian naive Bayes and a bagged forest with vote shares (`models`);
//! spatial autocorrelation (`spatial`: Moran's I and LISA, esda's formulas).

pub mod boosting;
pub mod evaluate;
pub mod features;
pub mod folds;
pub mod metrics;
pub mod models;
pub mod pipeline;
pub mod prevision;
pub mod report;
pub mod spatial;

#[derive(Debug, thiserror::Error)]
pub enum MlError {
    #[error(transparent)]
    Db(#[from] db::DbError),
    #[error(transparent)]
    Output(#[from] db::outputs::OutputError),
    #[error("features: {0}")]
    Feature(String),
    #[error("model: {0}")]
    Model(String),
    #[error("chart: {0}")]
    Chart(#[from] charts::ChartError),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}
