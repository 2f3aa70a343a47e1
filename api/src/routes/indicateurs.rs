//! `/indicateurs`: one row of indicators per département, as JSON or CSV, and the national
//! totals.

use actix_web::{HttpRequest, HttpResponse, get, web};

use crate::error::ApiError;
use crate::params::FormatQuery;
use crate::params::scope::{Filtres, ScrutinQuery};
use crate::routes::table::{self, Cellule, Table, Tabulaire, nom_de_fichier};
use crate::state::AppState;
use crate::views::Scope;
use crate::views::indicateurs::{self, Indicateur};
use crate::views::resultats::{ResultatTour, national_result};

impl Tabulaire for Vec<Indicateur> {
    fn table(&self) -> Table {
        let mut t = Table::new(&[
            "code",
            "nom",
            "region_code",
            "est_departement",
            "annee",
            "tour",
            "trimestre",
            "taux_chomage",
            "taux_abstention",
            "taux_participation",
            "taux_blancs",
            "taux_nuls",
            "part_gauche",
            "part_centre",
            "part_droite",
            "part_extreme_droite",
            "famille_gagnante",
            "revenu_median",
            "taux_pauvrete",
            "part_pensions",
            "population",
            "part_65_ans_et_plus",
            "part_immigres",
            "superficie",
            "densite",
        ]);
        // Elections other than presidential add their id and the `divers` share at the end:
        // the presidential tables keep their columns.
        let autres = self.iter().any(|r| r.election.is_some());
        if autres {
            t.colonnes.push("election".to_owned());
            t.colonnes.push("part_divers".to_owned());
        }
        for r in self {
            let mut ligne = vec![
                (&r.code).into(),
                (&r.nom).into(),
                (&r.region_code).into(),
                r.est_departement.into(),
                r.annee.into(),
                r.tour.into(),
                (&r.trimestre).into(),
                r.taux_chomage.into(),
                r.taux_abstention.into(),
                r.taux_participation.into(),
                r.taux_blancs.into(),
                r.taux_nuls.into(),
                r.part_gauche.into(),
                r.part_centre.into(),
                r.part_droite.into(),
                r.part_extreme_droite.into(),
                (&r.famille_gagnante).into(),
                r.revenu_median.into(),
                r.taux_pauvrete.into(),
                r.part_pensions.into(),
                r.population.into(),
                r.part_65_ans_et_plus.into(),
                r.part_immigres.into(),
                r.superficie.into(),
                r.densite.into(),
            ];
            if autres {
                ligne.push(r.election.clone().map_or(Cellule::Vide, Cellule::from));
                ligne.push(r.part_divers.into());
            }
            t.push(ligne);
        }
        t
    }
}

/// `<annee>-t<tour>-<trimestre>[-region-<code>]`: the scope in a file name.
pub fn fichier_scope(scope: &Scope) -> String {
    let mut name = match crate::views::scope::election_id(scope.scrutin) {
        None => format!(
            "{}-t{}-{}",
            scope.scrutin.annee, scope.scrutin.tour, scope.trimestre
        ),
        Some(id) => format!("{id}-{}", scope.trimestre),
    };
    if let Some(code) = scope.region_code() {
        name.push_str(&format!("-region-{}", nom_de_fichier(code)));
    }
    if scope.perimetre != crate::views::scope::Perimetre::France {
        name.push('-');
        name.push_str(scope.perimetre.code());
    }
    name
}

/// One row per département (and other constituency): unemployment, turnout, blank and null
/// votes, each political family's share and the winning family for one round of one
/// election (`annee`, default 2022), and the INSEE socio-economic indicators (null where
/// missing). CSV with `format=csv`, `format=csv-excel`, `Accept: text/csv` or
/// `/indicateurs.csv`. Sortable by any column (`tri=-taux_chomage`).
#[utoipa::path(
    operation_id = "list_indicateurs",
    tag = "indicateurs",
    params(Filtres, FormatQuery, crate::params::TriQuery),
    responses(
        (status = 200, description = "Indicator rows in code order",
            content(
                (Vec<Indicateur> = "application/json"),
                (String = "text/csv", example = "code,nom,region_code,est_departement,annee,tour,trimestre,taux_chomage,...")
            )
        ),
        crate::routes::responses::BadParameter,
    )
)]
#[get("/indicateurs")]
pub async fn liste(
    request: HttpRequest,
    state: web::Data<AppState>,
    scope: Scope,
    format: web::Query<FormatQuery>,
    tri: web::Query<crate::params::TriQuery>,
) -> Result<HttpResponse, ApiError> {
    let sortie = format.sortie(&request)?;
    let rows = table::trier(
        indicateurs::rows(&state.snapshot, &scope),
        tri.tri.as_deref(),
    )?;
    table::reponse(
        sortie,
        &format!("indicateurs-{}", fichier_scope(&scope)),
        &rows,
    )
}

/// National totals over every constituency (French people abroad included), with rates,
/// candidates, families and winners.
#[utoipa::path(
    operation_id = "get_national_indicateurs",
    tag = "indicateurs",
    params(ScrutinQuery),
    responses(
        (status = 200, description = "National result of the round", body = ResultatTour),
        crate::routes::responses::BadParameter,
    )
)]
#[get("/indicateurs/national")]
pub async fn national(
    state: web::Data<AppState>,
    query: web::Query<ScrutinQuery>,
) -> Result<web::Json<ResultatTour>, ApiError> {
    let snapshot = &state.snapshot;
    let scrutin = query.resolve(snapshot)?;
    national_result(snapshot, scrutin)
        .map(web::Json)
        .ok_or_else(|| ApiError::NotFound(format!("no results for {scrutin}")))
}
