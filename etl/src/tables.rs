//! The `data_clean/` tables, built with polars from the database rows. Each
//! step is a small `LazyFrame -> LazyFrame` function; column names are constants.

use polars::prelude::*;

use db::Scrutin;

use crate::chomage::Quarter;
use crate::dataset::Dataset;

pub const CODE_DEPARTEMENT: &str = "code_departement";
pub const NOM_DEPARTEMENT: &str = "nom_departement";
pub const CODE_REGION: &str = "code_region";
pub const NOM_REGION: &str = "nom_region";
pub const TOUR: &str = "tour";
pub const INSCRITS: &str = "inscrits";
pub const ABSTENTIONS: &str = "abstentions";
pub const VOTANTS: &str = "votants";
pub const BLANCS: &str = "blancs";
pub const NULS: &str = "nuls";
pub const EXPRIMES: &str = "exprimes";
pub const TAUX_ABSTENTION: &str = "taux_abstention";
pub const TAUX_PARTICIPATION: &str = "taux_participation";
pub const TAUX_BLANCS: &str = "taux_blancs";
pub const TAUX_NULS: &str = "taux_nuls";
pub const CANDIDAT_ID: &str = "candidat_id";
pub const SEXE: &str = "sexe";
pub const NOM: &str = "nom";
pub const PRENOM: &str = "prenom";
pub const FAMILLE: &str = "famille";
pub const VOIX: &str = "voix";
pub const PCT_VOIX_INSCRITS: &str = "pct_voix_inscrits";
pub const PCT_VOIX_EXPRIMES: &str = "pct_voix_exprimes";
pub const ANNEE: &str = "annee";
pub const TRIMESTRE: &str = "trimestre";
pub const PERIODE: &str = "periode";
pub const TAUX_CHOMAGE: &str = "taux_chomage";
pub const INDICATEUR: &str = "indicateur";
pub const SOURCE: &str = "source";
pub const VALEUR: &str = "valeur";

/// Rates are written with 4 decimals (the sources publish 2).
const RATE_DECIMALS: u32 = 4;
/// INSEE code of the Hauts-de-France region.
pub const REGION_HDF: &str = "32";

const ELECTION_COLUMNS: [&str; 21] = [
    CODE_DEPARTEMENT,
    NOM_DEPARTEMENT,
    CODE_REGION,
    NOM_REGION,
    TOUR,
    INSCRITS,
    ABSTENTIONS,
    VOTANTS,
    BLANCS,
    NULS,
    EXPRIMES,
    TAUX_ABSTENTION,
    TAUX_PARTICIPATION,
    TAUX_BLANCS,
    TAUX_NULS,
    SEXE,
    NOM,
    PRENOM,
    VOIX,
    PCT_VOIX_INSCRITS,
    PCT_VOIX_EXPRIMES,
];
const CHOMAGE_COLUMNS: [&str; 7] = [
    CODE_DEPARTEMENT,
    NOM_DEPARTEMENT,
    CODE_REGION,
    ANNEE,
    TRIMESTRE,
    PERIODE,
    TAUX_CHOMAGE,
];

/// The tables of `data_clean/`, by file name, in the order they are written.
pub struct CleanTables {
    pub tables: Vec<(String, DataFrame)>,
}

fn cols(names: &[&str]) -> Vec<Expr> {
    names.iter().map(|n| col(*n)).collect()
}

fn rate(numerator: &str, denominator: &str) -> Expr {
    (col(numerator).cast(DataType::Float64) / col(denominator).cast(DataType::Float64) * lit(100.0))
        .round(RATE_DECIMALS, RoundMode::HalfToEven)
}

/// Département code, name and region.
pub fn departements_frame(data: &Dataset) -> PolarsResult<LazyFrame> {
    let regions = df!(
        CODE_REGION => data.regions.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(),
        NOM_REGION => data.regions.iter().map(|r| r.nom.as_str()).collect::<Vec<_>>(),
    )?;
    let departements = df!(
        CODE_DEPARTEMENT => data.departements.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(),
        NOM_DEPARTEMENT => data.departements.iter().map(|d| d.nom.as_str()).collect::<Vec<_>>(),
        CODE_REGION => data.departements.iter().map(|d| d.region_code.as_str()).collect::<Vec<_>>(),
    )?;
    Ok(departements
        .lazy()
        .left_join(regions.lazy(), col(CODE_REGION), col(CODE_REGION)))
}

/// The turnout of the elections by candidate (the tables by label are
/// [`resultats_nuances`]).
pub fn participations_frame(data: &Dataset) -> PolarsResult<LazyFrame> {
    let p: Vec<&db::models::Participation> = data
        .participations
        .iter()
        .filter(|r| r.type_election == db::TypeElection::Presidentielle.code())
        .collect();
    Ok(df!(
        CODE_DEPARTEMENT => p.iter().map(|r| r.departement_code.as_str()).collect::<Vec<_>>(),
        ANNEE => p.iter().map(|r| r.annee).collect::<Vec<_>>(),
        TOUR => p.iter().map(|r| r.tour).collect::<Vec<_>>(),
        INSCRITS => p.iter().map(|r| r.inscrits).collect::<Vec<_>>(),
        ABSTENTIONS => p.iter().map(|r| r.abstentions).collect::<Vec<_>>(),
        VOTANTS => p.iter().map(|r| r.votants).collect::<Vec<_>>(),
        BLANCS => p.iter().map(|r| r.blancs).collect::<Vec<_>>(),
        NULS => p.iter().map(|r| r.nuls).collect::<Vec<_>>(),
        EXPRIMES => p.iter().map(|r| r.exprimes).collect::<Vec<_>>(),
    )?
    .lazy())
}

pub fn resultats_frame(data: &Dataset) -> PolarsResult<LazyFrame> {
    let r = &data.resultats;
    let c = &data.candidats;
    let candidats = df!(
        CANDIDAT_ID => c.iter().map(|x| x.id).collect::<Vec<_>>(),
        SEXE => c.iter().map(|x| x.sexe.as_str()).collect::<Vec<_>>(),
        NOM => c.iter().map(|x| x.nom.as_str()).collect::<Vec<_>>(),
        PRENOM => c.iter().map(|x| x.prenom.as_str()).collect::<Vec<_>>(),
        FAMILLE => c.iter().map(|x| x.famille_code.as_str()).collect::<Vec<_>>(),
    )?;
    Ok(df!(
        CODE_DEPARTEMENT => r.iter().map(|x| x.departement_code.as_str()).collect::<Vec<_>>(),
        ANNEE => r.iter().map(|x| x.annee).collect::<Vec<_>>(),
        TOUR => r.iter().map(|x| x.tour).collect::<Vec<_>>(),
        CANDIDAT_ID => r.iter().map(|x| x.candidat_id).collect::<Vec<_>>(),
        VOIX => r.iter().map(|x| x.voix).collect::<Vec<_>>(),
    )?
    .lazy()
    .inner_join(candidats.lazy(), col(CANDIDAT_ID), col(CANDIDAT_ID)))
}

pub fn chomage_frame(data: &Dataset) -> PolarsResult<LazyFrame> {
    let c = &data.chomage;
    Ok(df!(
        CODE_DEPARTEMENT => c.iter().map(|x| x.departement_code.as_str()).collect::<Vec<_>>(),
        ANNEE => c.iter().map(|x| x.annee).collect::<Vec<_>>(),
        TRIMESTRE => c.iter().map(|x| x.trimestre).collect::<Vec<_>>(),
        PERIODE => c.iter().map(|x| format!("{}-T{}", x.annee, x.trimestre)).collect::<Vec<_>>(),
        TAUX_CHOMAGE => c.iter().map(|x| x.taux).collect::<Vec<_>>(),
    )?
    .lazy())
}

/// Adds the turnout rates (percentages): abstention and participation of inscrits,
/// blank and null votes of votants.
pub fn with_participation_rates(lf: LazyFrame) -> LazyFrame {
    lf.with_columns([
        rate(ABSTENTIONS, INSCRITS).alias(TAUX_ABSTENTION),
        rate(VOTANTS, INSCRITS).alias(TAUX_PARTICIPATION),
        rate(BLANCS, VOTANTS).alias(TAUX_BLANCS),
        rate(NULS, VOTANTS).alias(TAUX_NULS),
    ])
}

/// One row per département x candidate for one round of one election, with rates.
pub fn elections(
    departements: LazyFrame,
    participations: LazyFrame,
    resultats: LazyFrame,
    scrutin: Scrutin,
) -> LazyFrame {
    let round = participations.filter(
        col(ANNEE)
            .eq(lit(scrutin.annee))
            .and(col(TOUR).eq(lit(scrutin.tour))),
    );
    with_participation_rates(round)
        .inner_join(departements, col(CODE_DEPARTEMENT), col(CODE_DEPARTEMENT))
        .join(
            resultats,
            [col(CODE_DEPARTEMENT), col(ANNEE), col(TOUR)],
            [col(CODE_DEPARTEMENT), col(ANNEE), col(TOUR)],
            JoinArgs::new(JoinType::Inner),
        )
        .with_columns([
            rate(VOIX, INSCRITS).alias(PCT_VOIX_INSCRITS),
            rate(VOIX, EXPRIMES).alias(PCT_VOIX_EXPRIMES),
        ])
        .sort(
            [CODE_DEPARTEMENT, CANDIDAT_ID],
            SortMultipleOptions::default(),
        )
}

/// The full quarterly series in long format, with département names.
pub fn chomage_trimestriel(departements: LazyFrame, chomage: LazyFrame) -> LazyFrame {
    chomage
        .inner_join(departements, col(CODE_DEPARTEMENT), col(CODE_DEPARTEMENT))
        .sort(
            [CODE_DEPARTEMENT, ANNEE, TRIMESTRE],
            SortMultipleOptions::default(),
        )
        .select(cols(&CHOMAGE_COLUMNS))
}

pub fn chomage_quarter(series: LazyFrame, quarter: Quarter) -> LazyFrame {
    series.filter(
        col(ANNEE)
            .eq(lit(quarter.annee))
            .and(col(TRIMESTRE).eq(lit(i32::from(quarter.trimestre)))),
    )
}

/// Elections of both rounds with the quarter's unemployment rate (empty where INSEE has none).
pub fn table_finale(elections: LazyFrame, chomage_quarter: LazyFrame) -> LazyFrame {
    elections
        .left_join(
            chomage_quarter.select([col(CODE_DEPARTEMENT), col(TAUX_CHOMAGE)]),
            col(CODE_DEPARTEMENT),
            col(CODE_DEPARTEMENT),
        )
        .sort(
            [CODE_DEPARTEMENT, TOUR, CANDIDAT_ID],
            SortMultipleOptions::default(),
        )
}

pub fn hauts_de_france(lf: LazyFrame) -> LazyFrame {
    lf.filter(col(CODE_REGION).eq(lit(REGION_HDF)))
}

/// Builds every `data_clean/` table for the chosen quarter.
pub fn build(data: &Dataset, quarter: Quarter) -> PolarsResult<CleanTables> {
    let departements = departements_frame(data)?;
    let participations = participations_frame(data)?;
    let resultats = resultats_frame(data)?;
    let series = chomage_trimestriel(departements.clone(), chomage_frame(data)?).collect()?;
    let quarter_rates = chomage_quarter(series.clone().lazy(), quarter).collect()?;
    let round = |annee, tour| {
        elections(
            departements.clone(),
            participations.clone(),
            resultats.clone(),
            Scrutin::new(annee, tour),
        )
        .collect()
    };
    // `table_finale*` stay the 2022 study table; 2017 has its own round files.
    let rounds: Vec<DataFrame> = vec![round(2022, 1)?, round(2022, 2)?];
    let rounds_2017: Vec<DataFrame> = vec![round(2017, 1)?, round(2017, 2)?];
    let both = concat(
        rounds
            .iter()
            .map(|df| df.clone().lazy())
            .collect::<Vec<_>>(),
        UnionArgs::default(),
    )?;
    let finale = table_finale(both, quarter_rates.clone().lazy()).collect()?;

    let finale_columns: Vec<&str> = ELECTION_COLUMNS
        .iter()
        .copied()
        .chain([TAUX_CHOMAGE])
        .collect();
    let famille_columns: Vec<&str> = finale_columns
        .iter()
        .flat_map(|c| {
            if *c == PRENOM {
                vec![PRENOM, FAMILLE]
            } else {
                vec![*c]
            }
        })
        .collect();
    let select = |df: &DataFrame, names: &[&str]| df.clone().lazy().select(cols(names));
    let mut tables = vec![
        (
            format!("chomage_{}_T{}.csv", quarter.annee, quarter.trimestre),
            quarter_rates,
        ),
        ("chomage_trimestriel.csv".to_owned(), series),
    ];
    for (tour, df) in (1..).zip(&rounds) {
        tables.push((
            format!("elections_t{tour}.csv"),
            select(df, &ELECTION_COLUMNS).collect()?,
        ));
    }
    for (tour, df) in (1..).zip(&rounds_2017) {
        tables.push((
            format!("elections_2017_t{tour}.csv"),
            select(df, &ELECTION_COLUMNS).collect()?,
        ));
    }
    let (long, wide) = socio_economie(data, departements.clone())?;
    tables.push(("socio_economie.csv".to_owned(), long));
    tables.push(("voisins.csv".to_owned(), voisins(data)?));
    if !data.resultats_nuances.is_empty() {
        tables.push(("resultats_nuances.csv".to_owned(), resultats_nuances(data)?));
        tables.push(("sieges.csv".to_owned(), sieges(data)?));
    }
    if !data.circonscriptions.is_empty() {
        tables.push(("circonscriptions.csv".to_owned(), circonscriptions(data)?));
        tables.push((
            "resultats_circonscriptions.csv".to_owned(),
            resultats_circonscriptions(data)?,
        ));
        tables.push((
            "voisins_circonscriptions.csv".to_owned(),
            voisins_circonscriptions(data)?,
        ));
    }
    tables.push(("socio_economie_large.csv".to_owned(), wide));
    tables.extend([
        (
            "table_finale.csv".to_owned(),
            select(&finale, &finale_columns).collect()?,
        ),
        (
            "table_finale_famille.csv".to_owned(),
            select(&finale, &famille_columns).collect()?,
        ),
        (
            "table_finale_HDF.csv".to_owned(),
            hauts_de_france(select(&finale, &finale_columns)).collect()?,
        ),
        (
            "table_finale_HDF_famille.csv".to_owned(),
            hauts_de_france(select(&finale, &famille_columns)).collect()?,
        ),
    ]);
    Ok(CleanTables { tables })
}

/// The elections by label: one row per département, round and nuance, with the turnout
/// counts and the nuance's family.
pub fn resultats_nuances(data: &Dataset) -> PolarsResult<DataFrame> {
    let r = &data.resultats_nuances;
    let participation = |x: &db::models::ResultatNuance| {
        data.participations.iter().find(|p| {
            p.departement_code == x.departement_code
                && p.type_election == x.type_election
                && p.annee == x.annee
                && p.tour == x.tour
        })
    };
    let famille = |x: &db::models::ResultatNuance| {
        data.nuances
            .iter()
            .find(|n| {
                n.type_election == x.type_election && n.annee == x.annee && n.code == x.nuance
            })
            .map_or("", |n| n.famille_code.as_str())
    };
    df!(
        CODE_DEPARTEMENT => r.iter().map(|x| x.departement_code.as_str()).collect::<Vec<_>>(),
        "type_election" => r.iter().map(|x| x.type_election.as_str()).collect::<Vec<_>>(),
        ANNEE => r.iter().map(|x| x.annee).collect::<Vec<_>>(),
        TOUR => r.iter().map(|x| x.tour).collect::<Vec<_>>(),
        INSCRITS => r.iter().map(|x| participation(x).map_or(0, |p| p.inscrits)).collect::<Vec<_>>(),
        EXPRIMES => r.iter().map(|x| participation(x).map_or(0, |p| p.exprimes)).collect::<Vec<_>>(),
        "nuance" => r.iter().map(|x| x.nuance.as_str()).collect::<Vec<_>>(),
        FAMILLE => r.iter().map(famille).collect::<Vec<_>>(),
        VOIX => r.iter().map(|x| x.voix).collect::<Vec<_>>(),
    )
}

/// Seats won: one row per département, round and nuance.
pub fn sieges(data: &Dataset) -> PolarsResult<DataFrame> {
    let r = &data.sieges;
    df!(
        CODE_DEPARTEMENT => r.iter().map(|x| x.departement_code.as_str()).collect::<Vec<_>>(),
        "type_election" => r.iter().map(|x| x.type_election.as_str()).collect::<Vec<_>>(),
        ANNEE => r.iter().map(|x| x.annee).collect::<Vec<_>>(),
        TOUR => r.iter().map(|x| x.tour).collect::<Vec<_>>(),
        "nuance" => r.iter().map(|x| x.nuance.as_str()).collect::<Vec<_>>(),
        "sieges" => r.iter().map(|x| x.nombre).collect::<Vec<_>>(),
    )
}

/// The 577 constituencies, with the number of neighbours and whether each has an outline.
pub fn circonscriptions(data: &Dataset) -> PolarsResult<DataFrame> {
    let c = &data.circonscriptions;
    let contour = |code: &str| {
        data.contours_circonscriptions
            .binary_search_by(|x| x.circonscription_code.as_str().cmp(code))
            .is_ok()
    };
    let voisins = |code: &str| {
        data.voisins_circonscriptions
            .iter()
            .filter(|v| v.circonscription_code == code)
            .count() as u32
    };
    df!(
        "code_circonscription" => c.iter().map(|x| x.code.as_str()).collect::<Vec<_>>(),
        CODE_DEPARTEMENT => c.iter().map(|x| x.departement_code.as_str()).collect::<Vec<_>>(),
        "numero" => c.iter().map(|x| x.numero).collect::<Vec<_>>(),
        "nom" => c.iter().map(|x| x.nom.as_str()).collect::<Vec<_>>(),
        "contour" => c.iter().map(|x| contour(&x.code)).collect::<Vec<_>>(),
        "voisins" => c.iter().map(|x| voisins(&x.code)).collect::<Vec<_>>(),
    )
}

/// Every candidate of every constituency and round, with the constituency's turnout counts.
pub fn resultats_circonscriptions(data: &Dataset) -> PolarsResult<DataFrame> {
    let r = &data.candidatures_circonscriptions;
    let participation = |x: &db::models::CandidatureCirconscription| {
        data.participations_circonscriptions
            .binary_search_by(|p| {
                (
                    p.circonscription_code.as_str(),
                    p.type_election.as_str(),
                    p.annee,
                    p.tour,
                )
                    .cmp(&(
                        x.circonscription_code.as_str(),
                        x.type_election.as_str(),
                        x.annee,
                        x.tour,
                    ))
            })
            .ok()
            .map(|i| &data.participations_circonscriptions[i])
    };
    df!(
        "code_circonscription" => r.iter().map(|x| x.circonscription_code.as_str()).collect::<Vec<_>>(),
        "type_election" => r.iter().map(|x| x.type_election.as_str()).collect::<Vec<_>>(),
        ANNEE => r.iter().map(|x| x.annee).collect::<Vec<_>>(),
        TOUR => r.iter().map(|x| x.tour).collect::<Vec<_>>(),
        INSCRITS => r.iter().map(|x| participation(x).map_or(0, |p| p.inscrits)).collect::<Vec<_>>(),
        "votants" => r.iter().map(|x| participation(x).map_or(0, |p| p.votants)).collect::<Vec<_>>(),
        EXPRIMES => r.iter().map(|x| participation(x).map_or(0, |p| p.exprimes)).collect::<Vec<_>>(),
        "rang" => r.iter().map(|x| x.rang).collect::<Vec<_>>(),
        "candidat" => r.iter().map(|x| x.candidat.as_str()).collect::<Vec<_>>(),
        "nuance" => r.iter().map(|x| x.nuance.as_deref().unwrap_or("")).collect::<Vec<_>>(),
        FAMILLE => r.iter().map(|x| x.famille_code.as_str()).collect::<Vec<_>>(),
        VOIX => r.iter().map(|x| x.voix).collect::<Vec<_>>(),
        "elu" => r.iter().map(|x| x.elu).collect::<Vec<_>>(),
    )
}

/// The constituencies' neighbours, both ways, sorted.
pub fn voisins_circonscriptions(data: &Dataset) -> PolarsResult<DataFrame> {
    let v = &data.voisins_circonscriptions;
    df!(
        "code_circonscription" => v.iter().map(|x| x.circonscription_code.as_str()).collect::<Vec<_>>(),
        "voisin_code" => v.iter().map(|x| x.voisin_code.as_str()).collect::<Vec<_>>(),
    )
}

/// The neighbours: one row per pair of départements sharing a boundary point, both ways,
/// sorted.
pub fn voisins(data: &Dataset) -> PolarsResult<DataFrame> {
    df!(
        "departement_code" => data.voisins.iter().map(|v| v.departement_code.as_str()).collect::<Vec<_>>(),
        "voisin_code" => data.voisins.iter().map(|v| v.voisin_code.as_str()).collect::<Vec<_>>(),
    )
}

/// The socio-economic values: long (one row per département and indicator, with year and
/// source; empty `valeur` when missing) and wide (one row per département, one column per
/// indicator in reference order).
pub fn socio_economie(
    data: &Dataset,
    departements: LazyFrame,
) -> PolarsResult<(DataFrame, DataFrame)> {
    let v = &data.socio_economie;
    let ordre = |code: &str| {
        data.indicateurs_socio
            .iter()
            .position(|i| i.code == code)
            .unwrap_or(usize::MAX) as u32
    };
    let long = df!(
        CODE_DEPARTEMENT => v.iter().map(|x| x.departement_code.as_str()).collect::<Vec<_>>(),
        INDICATEUR => v.iter().map(|x| x.indicateur.as_str()).collect::<Vec<_>>(),
        "ordre" => v.iter().map(|x| ordre(&x.indicateur)).collect::<Vec<_>>(),
        ANNEE => v.iter().map(|x| x.annee).collect::<Vec<_>>(),
        SOURCE => v.iter().map(|x| x.source.as_str()).collect::<Vec<_>>(),
        VALEUR => v.iter().map(|x| x.valeur).collect::<Vec<_>>(),
    )?
    .lazy()
    .inner_join(
        departements.select([col(CODE_DEPARTEMENT), col(NOM_DEPARTEMENT)]),
        col(CODE_DEPARTEMENT),
        col(CODE_DEPARTEMENT),
    )
    .sort([CODE_DEPARTEMENT, "ordre"], SortMultipleOptions::default())
    .collect()?;
    let mut wide = long
        .clone()
        .lazy()
        .filter(
            col(INDICATEUR).eq(lit(data
                .indicateurs_socio
                .first()
                .map_or("", |i| i.code.as_str()))),
        )
        .select([col(CODE_DEPARTEMENT), col(NOM_DEPARTEMENT)]);
    for i in &data.indicateurs_socio {
        let column = long
            .clone()
            .lazy()
            .filter(col(INDICATEUR).eq(lit(i.code.as_str())))
            .select([col(CODE_DEPARTEMENT), col(VALEUR).alias(i.code.as_str())]);
        wide = wide.left_join(column, col(CODE_DEPARTEMENT), col(CODE_DEPARTEMENT));
    }
    let long = long
        .lazy()
        .select(cols(&[
            CODE_DEPARTEMENT,
            NOM_DEPARTEMENT,
            INDICATEUR,
            ANNEE,
            SOURCE,
            VALEUR,
        ]))
        .collect()?;
    let wide = wide
        .sort([CODE_DEPARTEMENT], SortMultipleOptions::default())
        .collect()?;
    Ok((long, wide))
}

/// Renders a table as CSV: comma-separated, header, `\n` line ends, floats in shortest form.
pub fn to_csv(df: &mut DataFrame) -> PolarsResult<Vec<u8>> {
    let mut buffer = Vec::new();
    CsvWriter::new(&mut buffer)
        .include_header(true)
        .with_separator(b',')
        .finish(df)?;
    Ok(buffer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f64s(df: &DataFrame, name: &str) -> Vec<Option<f64>> {
        df.column(name).unwrap().f64().unwrap().iter().collect()
    }

    fn strs(df: &DataFrame, name: &str) -> Vec<String> {
        df.column(name)
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .map(|s| s.unwrap_or_default().to_owned())
            .collect()
    }

    #[test]
    fn participation_rates_are_percentages_rounded_to_four_decimals() {
        let df = df!(
            ABSTENTIONS => [250i64, 0],
            INSCRITS => [1000i64, 3],
            VOTANTS => [750i64, 3],
            BLANCS => [15i64, 1],
            NULS => [5i64, 0],
        )
        .unwrap();
        let out = with_participation_rates(df.lazy()).collect().unwrap();
        assert_eq!(f64s(&out, TAUX_ABSTENTION), [Some(25.0), Some(0.0)]);
        assert_eq!(f64s(&out, TAUX_PARTICIPATION), [Some(75.0), Some(100.0)]);
        assert_eq!(f64s(&out, TAUX_BLANCS), [Some(2.0), Some(33.3333)]);
        assert_eq!(f64s(&out, TAUX_NULS), [Some(0.6667), Some(0.0)]);
    }

    #[test]
    fn table_finale_keeps_constituencies_without_unemployment() {
        let elections = df!(
            CODE_DEPARTEMENT => ["ZZ", "59", "59"],
            TOUR => [1i32, 2, 1],
            CANDIDAT_ID => [1i32, 3, 1],
        )
        .unwrap();
        let chomage = df!(
            CODE_DEPARTEMENT => ["59", "62"],
            TAUX_CHOMAGE => [9.1, 10.0],
        )
        .unwrap();
        let out = table_finale(elections.lazy(), chomage.lazy())
            .collect()
            .unwrap();
        assert_eq!(strs(&out, CODE_DEPARTEMENT), ["59", "59", "ZZ"]);
        assert_eq!(f64s(&out, TAUX_CHOMAGE), [Some(9.1), Some(9.1), None]);
        let tours: Vec<Option<i32>> = out.column(TOUR).unwrap().i32().unwrap().iter().collect();
        assert_eq!(tours, [Some(1), Some(2), Some(1)]);
    }

    #[test]
    fn quarter_and_region_filters() {
        let series = df!(
            CODE_DEPARTEMENT => ["59", "59", "75"],
            CODE_REGION => ["32", "32", "11"],
            ANNEE => [2022i32, 2022, 2022],
            TRIMESTRE => [3i32, 4, 3],
        )
        .unwrap();
        let q = chomage_quarter(
            series.clone().lazy(),
            Quarter {
                annee: 2022,
                trimestre: 3,
            },
        )
        .collect()
        .unwrap();
        assert_eq!(strs(&q, CODE_DEPARTEMENT), ["59", "75"]);
        let hdf = hauts_de_france(series.lazy()).collect().unwrap();
        assert_eq!(strs(&hdf, CODE_DEPARTEMENT), ["59", "59"]);
    }

    #[test]
    fn csv_output_is_plain_and_stable() {
        let mut df = df!(CODE_DEPARTEMENT => ["01", "2A"], TAUX_CHOMAGE => [5.4, 10.0]).unwrap();
        let text = String::from_utf8(to_csv(&mut df).unwrap()).unwrap();
        assert_eq!(text, "code_departement,taux_chomage\n01,5.4\n2A,10.0\n");
    }
}
