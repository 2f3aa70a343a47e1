//! `/correlations`: correlation matrix of indicator variables across départements.

use actix_web::{HttpRequest, HttpResponse, get, web};

use crate::error::ApiError;
use crate::params::scope::Filtres;
use crate::params::{CorrelationsQuery, FormatQuery};
use crate::routes::indicateurs::fichier_scope;
use crate::routes::table::{self, Table, Tabulaire};
use crate::state::AppState;
use crate::views::Scope;
use crate::views::correlations::{Correlations, compute};

/// Correlation matrix of indicator variables over the départements (not the overseas
/// collectivities nor French people abroad), on the départements where every chosen variable
/// is known. CSV (`format=csv`, `csv-excel`, `Accept: text/csv` or `/correlations.csv`) in
/// long format: one row per pair, `variable_a,variable_b,r,n`.
#[utoipa::path(
    operation_id = "get_correlations",
    tag = "indicateurs",
    params(Filtres, CorrelationsQuery, FormatQuery),
    responses(
        (status = 200, description = "The matrix",
            content(
                (Correlations = "application/json"),
                (String = "text/csv", example = "variable_a,variable_b,r,n,p,ic95_bas,ic95_haut")
            )
        ),
        crate::routes::responses::BadParameter,
    )
)]
#[get("/correlations")]
pub async fn correlations(
    request: HttpRequest,
    state: web::Data<AppState>,
    scope: Scope,
    query: web::Query<CorrelationsQuery>,
    format: web::Query<FormatQuery>,
) -> Result<HttpResponse, ApiError> {
    let sortie = format.sortie(&request)?;
    let (variables, methode) = query.parse()?;
    let matrix = compute(&state.snapshot, &scope, &variables, methode)?;
    table::reponse(
        sortie,
        &format!("correlations-{}-{}", matrix.methode, fichier_scope(&scope)),
        &matrix,
    )
}

impl Tabulaire for Correlations {
    fn table(&self) -> Table {
        let mut t = Table::new(&[
            "variable_a",
            "variable_b",
            "r",
            "n",
            "p",
            "ic95_bas",
            "ic95_haut",
        ]);
        for (i, a) in self.variables.iter().enumerate() {
            for (j, b) in self.variables.iter().enumerate() {
                let at = |m: &Vec<Vec<Option<f64>>>| {
                    m.get(i).and_then(|row| row.get(j)).copied().flatten()
                };
                let ic = self
                    .ic95
                    .get(i)
                    .and_then(|row| row.get(j))
                    .copied()
                    .flatten();
                t.push(vec![
                    a.into(),
                    b.into(),
                    at(&self.matrice).into(),
                    self.n.into(),
                    at(&self.p_valeurs).into(),
                    ic.map(|c| c[0]).into(),
                    ic.map(|c| c[1]).into(),
                ]);
            }
        }
        t
    }
}
