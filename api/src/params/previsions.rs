//! The parameters naming a constituency forecast.

use serde::Deserialize;
use utoipa::IntoParams;

/// Which forecast: the task, the target, the model.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PrevisionQuery {
    /// The task: `2017-vers-2022` (trained on 2017, tested on 2022), `2017-2022-vers-2024`
    /// (trained on 2017 and 2022, tested on 2024; the default for one forecast),
    /// `2022-vers-2024-sortants` (with the previous legislative election and the outgoing
    /// member, trained on 2022 only). The table: every task without it.
    #[param(example = "2017-2022-vers-2024")]
    pub tache: Option<String>,
    /// `tete_t1` (the family leading round 1; the default for one forecast) or `siege` (the
    /// family of the member elected). The table: both without it.
    #[param(example = "tete_t1")]
    pub cible: Option<String>,
    /// A model of `ml` (`regression_logistique`, `gradient_boosting`…) or a baseline
    /// (`reference_presidentielle`, `reference_sortant`); default the model the
    /// cross-validation inside the training cycles prefers. Ignored by the table.
    #[param(example = "regression_logistique")]
    pub modele: Option<String>,
}
