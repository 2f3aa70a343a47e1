//! `/indicateurs`: one row of indicators per département, as JSON or CSV, and the national
//! totals.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};

use crate::error::ApiError;
use crate::params::scope::{Filtres, ScrutinQuery};
use crate::params::{FormatQuery, Sortie};
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

/// `/indicateurs`' JSON, written once per round when the server starts. The snapshot does not
/// change while the server runs, so a row's JSON in a round is the same at every request but
/// for its quarter and unemployment rate. Writing the 107 rows of floats through serde_json
/// was most of an uncached request (0.09 of `/health`, see `bench/README.md`): each row is
/// kept as the bytes serde_json writes for it before its quarter and after its unemployment
/// rate, and a request writes those two values between them. The bytes are serde_json's own,
/// cut at the two keys, so they cannot drift from [`Indicateur`]'s serialization; a test
/// compares the whole answer with serde_json's for every round, several quarters and scopes.
pub struct LignesJson {
    /// By round, in the order of [`db::Snapshot::scrutins`]; in each, one entry per
    /// département of [`db::Snapshot::departements`], `None` without a result.
    tours: Vec<(db::Scrutin, Vec<Option<Morceaux>>)>,
}

/// A row's JSON around its quarter and unemployment rate.
struct Morceaux {
    /// From `{` to the value of `tour`.
    avant: Box<[u8]>,
    /// From `,"taux_abstention":` to `}`.
    apres: Box<[u8]>,
}

const TRIMESTRE: &[u8] = b",\"trimestre\":";
const CHOMAGE: &[u8] = b",\"taux_chomage\":";
const ABSTENTION: &[u8] = b",\"taux_abstention\":";

fn position(bytes: &[u8], cle: &[u8]) -> Option<usize> {
    bytes.windows(cle.len()).position(|w| w == cle)
}

impl LignesJson {
    /// Every round's rows, written by serde_json and cut around the quarter.
    pub fn new(snapshot: &db::Snapshot) -> Result<LignesJson, String> {
        let quarter = crate::views::scope::DEFAULT_QUARTER;
        let tours = snapshot
            .scrutins
            .iter()
            .map(|&scrutin| {
                let lignes = indicateurs::rows_de_chaque_departement(snapshot, scrutin, quarter)
                    .iter()
                    .map(|row| row.as_ref().map(Self::morceaux).transpose())
                    .collect::<Result<Vec<_>, String>>()?;
                Ok((scrutin, lignes))
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(LignesJson { tours })
    }

    fn morceaux(row: &Indicateur) -> Result<Morceaux, String> {
        let bytes = serde_json::to_vec(row).map_err(|e| format!("indicator row: {e}"))?;
        // A key cannot occur inside a string value: serde_json escapes its quotes.
        match (position(&bytes, TRIMESTRE), position(&bytes, ABSTENTION)) {
            (Some(a), Some(b)) if a < b => Ok(Morceaux {
                avant: bytes[..a].into(),
                apres: bytes[b..].into(),
            }),
            _ => Err(format!(
                "indicator row of {}: no quarter or abstention key",
                row.code
            )),
        }
    }

    /// The JSON array of [`indicateurs::rows`] for the scope, the same bytes as serde_json
    /// writes for it; `None` for a round the snapshot did not have at start-up.
    pub fn ecrire(&self, snapshot: &db::Snapshot, scope: &Scope) -> Option<Vec<u8>> {
        let (_, lignes) = self.tours.iter().find(|(s, _)| *s == scope.scrutin)?;
        let mut trimestre = Vec::with_capacity(16);
        serde_json::to_writer(&mut trimestre, &scope.trimestre.to_string()).ok()?;
        let taille: usize = lignes
            .iter()
            .flatten()
            .map(|m| m.avant.len() + m.apres.len() + 64)
            .sum();
        let mut out = Vec::with_capacity(taille + 2);
        out.push(b'[');
        for (d, morceaux) in snapshot.departements.iter().zip(lignes) {
            let Some(m) = morceaux.as_ref().filter(|_| scope.inclut(d)) else {
                continue;
            };
            if out.len() > 1 {
                out.push(b',');
            }
            out.extend_from_slice(&m.avant);
            out.extend_from_slice(TRIMESTRE);
            out.extend_from_slice(&trimestre);
            out.extend_from_slice(CHOMAGE);
            let chomage = indicateurs::taux_chomage(snapshot, &d.code, scope.trimestre);
            serde_json::to_writer(&mut out, &chomage).ok()?;
            out.extend_from_slice(&m.apres);
        }
        out.push(b']');
        Some(out)
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
    let sans_tri = tri.tri.as_deref().is_none_or(|t| t.trim().is_empty());
    if sortie == Sortie::Json
        && sans_tri
        && let Some(body) = state.lignes_json.ecrire(&state.snapshot, &scope)
    {
        return Ok(HttpResponse::Ok()
            .insert_header((header::VARY, "Accept"))
            .content_type("application/json")
            .body(body));
    }
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
