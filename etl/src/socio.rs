//! The socio-economic sources (INSEE): Filosofi 2019, population estimates by age,
//! immigrant share from the census, and the commune-level "Comparateur de territoires"
//! (area, summed per département). Each reader checks its cells and names the one at
//! fault; a value the source does not publish (or publishes as experimental) is `None`.

use db::Variable;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::error::EtlError;
use crate::excel::{RawSource, Sheet, SheetChoice};

pub const FILOSOFI_FILE: &str = "enrichment/cc_filosofi_2019_DEP.csv";
pub const POPULATION_FILE: &str = "enrichment/estim-pop-dep-sexe-aq-1975-2023.xls";
pub const POPULATION_SHEET: &str = "2022";
pub const IMMIGRES_FILE: &str = "enrichment/EM_DEPARTEMENTS_2021.xlsx";
pub const IMMIGRES_SHEET: &str = "Figure 1";
pub const COMPARATEUR_FILE: &str = "enrichment/base_cc_comparateur_csv.zip";
pub const COMPARATEUR_MEMBER: &str = "base_cc_comparateur.CSV";

const FILOSOFI_SOURCE: RawSource = RawSource {
    what: std::borrow::Cow::Borrowed("INSEE Filosofi 2019 by département (csv)"),
    origin: std::borrow::Cow::Borrowed(
        "insee.fr, 'Revenus, pauvreté et niveau de vie en 2019 (Filosofi)', base-cc-filosofi-2019",
    ),
};
const POPULATION_SOURCE: RawSource = RawSource {
    what: std::borrow::Cow::Borrowed(
        "INSEE population estimates by département, sex and 5-year age band (xls)",
    ),
    origin: std::borrow::Cow::Borrowed("insee.fr, 'Estimation de la population au 1er janvier'"),
};
const IMMIGRES_SOURCE: RawSource = RawSource {
    what: std::borrow::Cow::Borrowed(
        "INSEE share of immigrants by département, census 2021 (xlsx)",
    ),
    origin: std::borrow::Cow::Borrowed(
        "insee.fr, 'Immigrés et descendants d'immigrés', census 2021",
    ),
};
const COMPARATEUR_SOURCE: RawSource = RawSource {
    what: std::borrow::Cow::Borrowed("INSEE 'Comparateur de territoires' by commune (zipped csv)"),
    origin: std::borrow::Cow::Borrowed(
        "insee.fr, 'Comparateur de territoires', January 2022 edition",
    ),
};

/// Indicator codes, as in `etl/reference/indicateurs_socio.csv`: the registry's
/// ([`db::Variable`]).
pub const REVENU_MEDIAN: &str = Variable::RevenuMedian.code();
pub const TAUX_PAUVRETE: &str = Variable::TauxPauvrete.code();
pub const PART_PENSIONS: &str = Variable::PartPensions.code();
pub const POPULATION: &str = Variable::Population.code();
pub const PART_65: &str = Variable::Part65AnsEtPlus.code();
pub const PART_IMMIGRES: &str = Variable::PartImmigres.code();
pub const SUPERFICIE: &str = Variable::Superficie.code();
pub const DENSITE: &str = Variable::Densite.code();

const FILOSOFI: &str = "INSEE, Filosofi 2019";
const ESTIMATIONS: &str = "INSEE, estimations de population au 1er janvier 2022 (provisoires)";
const RECENSEMENT: &str = "INSEE, recensement de la population 2021";
/// The 2021 file gives Mayotte's share from the 2017 census (its note says so).
const RECENSEMENT_MAYOTTE: (&str, i32, &str) =
    ("976", 2017, "INSEE, recensement de la population 2017");
const COMPARATEUR: &str = "INSEE, Comparateur de territoires (édition janvier 2022)";
const DENSITE_SOURCE: &str =
    "INSEE, estimations de population 2022 / Comparateur de territoires (superficie)";

/// Rounds derived values to `decimals` places, so that floating-point noise (a sum of
/// areas ending in ...99997) never reaches the outputs.
fn rounded(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (value * scale).round() / scale
}

/// One département's value of one indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct Valeur {
    pub code: String,
    pub indicateur: &'static str,
    pub annee: i32,
    pub source: &'static str,
    pub valeur: Option<f64>,
}

/// Where a département's row was read, for coverage errors.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub file: PathBuf,
    pub sheet: String,
    /// Codes read, each with its 0-based row and the code column.
    pub rows: BTreeMap<String, (u32, u32)>,
}

/// What one source reader gives: where its rows were, and its values.
pub type SourceRead = Result<(SourceFile, Vec<Valeur>), EtlError>;

/// Every value read from the four sources, plus where each source's rows were.
#[derive(Debug, Clone)]
pub struct SocioFiles {
    pub valeurs: Vec<Valeur>,
    pub sources: Vec<SourceFile>,
}

/// `01`, `2A`, `971`: a département code as INSEE writes it (`1` and `971.0` accepted).
fn departement_code(text: &str) -> Option<String> {
    let code = crate::elections::normalize_code(text);
    let ok = match code.len() {
        2 => code.chars().all(|c| c.is_ascii_digit()) || code == "2A" || code == "2B",
        3 => code.starts_with("97") && code.chars().all(|c| c.is_ascii_digit()),
        _ => false,
    };
    ok.then_some(code)
}

/// The département of a commune code (`2A004` -> `2A`, `97411` -> `974`).
fn departement_of_commune(codgeo: &str) -> Option<String> {
    if codgeo.len() != 5 {
        return None;
    }
    let prefix = if codgeo.starts_with("97") {
        codgeo.get(..3)?
    } else {
        codgeo.get(..2)?
    };
    departement_code(prefix)
}

/// Municipal arrondissements of Paris, Lyon and Marseille: listed beside their commune
/// (75056, 69123, 13055), which already covers them.
fn is_arrondissement(codgeo: &str) -> bool {
    codgeo
        .parse::<u32>()
        .is_ok_and(|n| matches!(n, 75101..=75120 | 69381..=69389 | 13201..=13216))
}

/// The commune each arrondissement belongs to.
fn commune_of_arrondissement(codgeo: &str) -> &'static str {
    match codgeo.get(..2) {
        Some("75") => "75056",
        Some("69") => "69123",
        _ => "13055",
    }
}

/// Column of `name` in `row`, or an error naming the row searched.
fn column(sheet: &Sheet, row: u32, name: &str) -> Result<u32, EtlError> {
    (0..sheet.columns())
        .find(|c| sheet.text(row, *c).as_deref() == Some(name))
        .ok_or_else(|| EtlError::MissingColumn {
            path: sheet.file.clone(),
            sheet: sheet.name.clone(),
            row: row + 1,
            column: name.to_owned(),
        })
}

/// The first of the first 30 rows holding `name`.
fn header_row(sheet: &Sheet, name: &str) -> Result<u32, EtlError> {
    (0..sheet.rows().min(30))
        .find(|r| (0..sheet.columns()).any(|c| sheet.text(*r, c).as_deref() == Some(name)))
        .ok_or_else(|| EtlError::MissingColumn {
            path: sheet.file.clone(),
            sheet: sheet.name.clone(),
            row: 1,
            column: format!("{name} (in the first 30 rows)"),
        })
}

/// A value that may be unpublished: `NA`, `nd`, `s` (secret) or an empty cell give `None`;
/// anything else must be a number within `range`.
fn optional_value(
    sheet: &Sheet,
    row: u32,
    column: u32,
    header: &str,
    range: std::ops::RangeInclusive<f64>,
) -> Result<Option<f64>, EtlError> {
    if let Some(text) = sheet.text(row, column)
        && matches!(text.as_str(), "NA" | "nd" | "s" | "ns")
    {
        return Ok(None);
    }
    let value = sheet.optional_number(row, column, Some(header))?;
    match value {
        Some(v) if !range.contains(&v) => Err(EtlError::Cell {
            at: sheet.at(row, column, Some(header)),
            message: format!("{v} is outside [{}, {}]", range.start(), range.end()),
        }),
        _ => Ok(value),
    }
}

/// Records a département row, refusing a second one.
fn record(
    source: &mut SourceFile,
    sheet: &Sheet,
    code: &str,
    row: u32,
    column: u32,
    header: &str,
) -> Result<(), EtlError> {
    if let Some((first, _)) = source.rows.insert(code.to_owned(), (row, column)) {
        return Err(EtlError::Cell {
            at: sheet.at(row, column, Some(header)),
            message: format!(
                "duplicate département code '{code}' (already on row {})",
                first + 1
            ),
        });
    }
    Ok(())
}

fn source_of(sheet: &Sheet) -> SourceFile {
    SourceFile {
        file: sheet.file.clone(),
        sheet: sheet.name.clone(),
        rows: BTreeMap::new(),
    }
}

/// Filosofi 2019: median income, poverty rate, share of pensions. A row whose first
/// decile is 0 or whose D9/D1 ratio is `NA` is experimental (Mayotte): all three missing.
pub fn read_filosofi(path: &Path) -> SourceRead {
    let sheet = Sheet::open_csv(path, FILOSOFI_SOURCE)?;
    let code_column = column(&sheet, 0, "CODGEO")?;
    let med = column(&sheet, 0, "MED19")?;
    let tp = column(&sheet, 0, "TP6019")?;
    let ppen = column(&sheet, 0, "PPEN19")?;
    let d1 = column(&sheet, 0, "D119")?;
    let rd = column(&sheet, 0, "RD19")?;
    let mut source = source_of(&sheet);
    let mut valeurs = Vec::new();
    for r in 1..sheet.rows() {
        let Some(text) = sheet.text(r, code_column) else {
            continue;
        };
        let code = departement_code(&text).ok_or_else(|| EtlError::Cell {
            at: sheet.at(r, code_column, Some("CODGEO")),
            message: format!("'{text}' is not a département code"),
        })?;
        record(&mut source, &sheet, &code, r, code_column, "CODGEO")?;
        let revenu = optional_value(&sheet, r, med, "MED19", 0.0..=1.0e6)?;
        let pauvrete = optional_value(&sheet, r, tp, "TP6019", 0.0..=100.0)?;
        let pensions = optional_value(&sheet, r, ppen, "PPEN19", 0.0..=100.0)?;
        let premier_decile = optional_value(&sheet, r, d1, "D119", 0.0..=1.0e6)?;
        let ratio = optional_value(&sheet, r, rd, "RD19", 0.0..=1.0e3)?;
        let experimental = premier_decile == Some(0.0) || ratio.is_none();
        for (indicateur, valeur) in [
            (REVENU_MEDIAN, revenu),
            (TAUX_PAUVRETE, pauvrete),
            (PART_PENSIONS, pensions),
        ] {
            valeurs.push(Valeur {
                code: code.clone(),
                indicateur,
                annee: 2019,
                source: FILOSOFI,
                valeur: valeur.filter(|_| !experimental),
            });
        }
    }
    Ok((source, valeurs))
}

/// Population on 1 January 2022 and the share aged 65 or more, from the "Ensemble" block
/// (the first one): its 5-year bands must add up to its `Total`.
pub fn read_population(path: &Path) -> SourceRead {
    let sheet = Sheet::open(
        path,
        SheetChoice::Named(POPULATION_SHEET),
        POPULATION_SOURCE,
    )?;
    let header = header_row(&sheet, "Total")?;
    let total = column(&sheet, header, "Total")?;
    // Bands are the columns before the first Total whose label starts with an age.
    let bands: Vec<(u32, u32, String)> = (0..total)
        .filter_map(|c| {
            let label = sheet.text(header, c)?;
            let age: u32 = label.split_whitespace().next()?.parse().ok()?;
            Some((c, age, label))
        })
        .collect();
    if bands.first().map(|b| b.1) != Some(0) || !bands.iter().any(|b| b.1 == 65) {
        return Err(EtlError::MissingColumn {
            path: sheet.file.clone(),
            sheet: sheet.name.clone(),
            row: header + 1,
            column: "age bands '0 à 4 ans' .. '95 ans et plus' before 'Total'".into(),
        });
    }
    let mut source = source_of(&sheet);
    let mut valeurs = Vec::new();
    for r in header + 1..sheet.rows() {
        // Totals (France métropolitaine, DOM) and notes have no département code.
        let Some(code) = sheet.text(r, 0).as_deref().and_then(departement_code) else {
            continue;
        };
        record(&mut source, &sheet, &code, r, 0, "Départements")?;
        let mut sum = 0;
        let mut seniors = 0;
        for (c, age, label) in &bands {
            let n = sheet.count(r, *c, Some(label))?;
            sum += n;
            if *age >= 65 {
                seniors += n;
            }
        }
        let population = sheet.count(r, total, Some("Total"))?;
        if population != sum || population == 0 {
            return Err(EtlError::Cell {
                at: sheet.at(r, total, Some("Total")),
                message: format!(
                    "total {population} is not the sum of the age bands ({sum}) or is 0"
                ),
            });
        }
        valeurs.push(Valeur {
            code: code.clone(),
            indicateur: POPULATION,
            annee: 2022,
            source: ESTIMATIONS,
            valeur: Some(population as f64),
        });
        valeurs.push(Valeur {
            code,
            indicateur: PART_65,
            annee: 2022,
            source: ESTIMATIONS,
            valeur: Some(rounded(seniors as f64 / population as f64 * 100.0, 4)),
        });
    }
    Ok((source, valeurs))
}

/// Share of immigrants (%), census 2021 (Mayotte: 2017).
pub fn read_immigres(path: &Path) -> SourceRead {
    const VALUE: &str = "Pourcentage immigrés";
    let sheet = Sheet::open(path, SheetChoice::Named(IMMIGRES_SHEET), IMMIGRES_SOURCE)?;
    let header = header_row(&sheet, VALUE)?;
    let code_column = column(&sheet, header, "Code")?;
    let value_column = column(&sheet, header, VALUE)?;
    let mut source = source_of(&sheet);
    let mut valeurs = Vec::new();
    for r in header + 1..sheet.rows() {
        let Some(text) = sheet.text(r, code_column) else {
            continue;
        };
        let code = departement_code(&text).ok_or_else(|| EtlError::Cell {
            at: sheet.at(r, code_column, Some("Code")),
            message: format!("'{text}' is not a département code"),
        })?;
        record(&mut source, &sheet, &code, r, code_column, "Code")?;
        let valeur = optional_value(&sheet, r, value_column, VALUE, 0.0..=100.0)?;
        let (annee, source_text) = if code == RECENSEMENT_MAYOTTE.0 {
            (RECENSEMENT_MAYOTTE.1, RECENSEMENT_MAYOTTE.2)
        } else {
            (2021, RECENSEMENT)
        };
        valeurs.push(Valeur {
            code,
            indicateur: PART_IMMIGRES,
            annee,
            source: source_text,
            valeur,
        });
    }
    Ok((source, valeurs))
}

/// Area (km²) per département: the sum over its communes, arrondissements left out (their
/// areas must add up to their commune's). A département with a commune of unknown area
/// (Mayotte's communes have none) has no area.
pub fn read_superficies(path: &Path) -> SourceRead {
    let sheet = Sheet::open_csv_in_zip(
        path,
        COMPARATEUR_MEMBER,
        &["CODGEO", "SUPERF"],
        COMPARATEUR_SOURCE,
    )?;
    let code_column = column(&sheet, 0, "CODGEO")?;
    let area_column = column(&sheet, 0, "SUPERF")?;
    let mut source = source_of(&sheet);
    let mut areas: BTreeMap<String, Option<f64>> = BTreeMap::new();
    // 35,000 communes: keyed by borrowed codes, no allocation per row.
    let mut communes: HashMap<&str, (u32, f64)> = HashMap::new();
    let mut arrondissements: BTreeMap<&'static str, f64> = BTreeMap::new();
    for r in 1..sheet.rows() {
        let Some(codgeo) = sheet.str(r, code_column) else {
            continue;
        };
        let code = departement_of_commune(codgeo).ok_or_else(|| EtlError::Cell {
            at: sheet.at(r, code_column, Some("CODGEO")),
            message: format!("'{codgeo}' is not a commune code"),
        })?;
        let area = optional_value(&sheet, r, area_column, "SUPERF", 0.0..=1.0e5)?;
        if is_arrondissement(codgeo) {
            *arrondissements
                .entry(commune_of_arrondissement(codgeo))
                .or_default() += area.unwrap_or(f64::NAN);
            continue;
        }
        if let Some((first, _)) = communes.insert(codgeo, (r, area.unwrap_or(f64::NAN))) {
            return Err(EtlError::Cell {
                at: sheet.at(r, code_column, Some("CODGEO")),
                message: format!(
                    "duplicate commune '{codgeo}' (already on row {})",
                    first + 1
                ),
            });
        }
        match areas.get_mut(&code) {
            Some(total) => *total = total.zip(area).map(|(a, b)| a + b),
            None => {
                source.rows.insert(code.clone(), (r, code_column));
                areas.insert(code, area);
            }
        }
    }
    for (commune, sum) in arrondissements {
        let (row, area) = communes.get(commune).copied().unwrap_or((0, f64::NAN));
        if (sum - area).abs().is_nan() || (sum - area).abs() > 0.01 {
            return Err(EtlError::Cell {
                at: sheet.at(row, area_column, Some("SUPERF")),
                message: format!(
                    "area of commune {commune} ({area}) differs from the sum of its \
                     arrondissements ({sum}): they would be counted twice or not at all"
                ),
            });
        }
    }
    let valeurs = areas
        .into_iter()
        .map(|(code, valeur)| Valeur {
            code,
            indicateur: SUPERFICIE,
            annee: 2022,
            source: COMPARATEUR,
            valeur: valeur.map(|v| rounded(v, 2)),
        })
        .collect();
    Ok((source, valeurs))
}

/// Reads the four sources (side by side) and derives the density.
pub fn read(raw_dir: &Path) -> Result<SocioFiles, EtlError> {
    let timed = |name: &str, read: fn(&Path) -> SourceRead| {
        let started = std::time::Instant::now();
        let result = read(&raw_dir.join(name));
        log::debug!("read and checked {name} in {:?}", started.elapsed());
        result
    };
    let (filosofi, population, immigres, superficies) = std::thread::scope(|s| {
        let filosofi = s.spawn(|| timed(FILOSOFI_FILE, read_filosofi));
        let population = s.spawn(|| timed(POPULATION_FILE, read_population));
        let immigres = s.spawn(|| timed(IMMIGRES_FILE, read_immigres));
        let superficies = timed(COMPARATEUR_FILE, read_superficies);
        (
            crate::pipeline::joined(filosofi),
            crate::pipeline::joined(population),
            crate::pipeline::joined(immigres),
            superficies,
        )
    });
    let mut sources = Vec::new();
    let mut valeurs = Vec::new();
    for part in [filosofi, population, immigres, superficies] {
        let (source, values) = part?;
        sources.push(source);
        valeurs.extend(values);
    }
    let find = |code: &str, indicateur: &str| {
        valeurs
            .iter()
            .find(|v| v.code == code && v.indicateur == indicateur)
            .and_then(|v| v.valeur)
    };
    let densites: Vec<Valeur> = valeurs
        .iter()
        .filter(|v| v.indicateur == SUPERFICIE)
        .map(|v| Valeur {
            code: v.code.clone(),
            indicateur: DENSITE,
            annee: 2022,
            source: DENSITE_SOURCE,
            valeur: find(&v.code, POPULATION)
                .zip(v.valeur)
                .filter(|(_, area)| *area > 0.0)
                .map(|(population, area)| rounded(population / area, 2)),
        })
        .collect();
    valeurs.extend(densites);
    Ok(SocioFiles { valeurs, sources })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_of_departements_and_communes() {
        assert_eq!(departement_code("1").as_deref(), Some("01"));
        assert_eq!(departement_code("971").as_deref(), Some("971"));
        assert_eq!(departement_code("2A").as_deref(), Some("2A"));
        assert_eq!(departement_code("France métropolitaine"), None);
        assert_eq!(departement_code("DOM"), None);
        assert_eq!(departement_of_commune("2A004").as_deref(), Some("2A"));
        assert_eq!(departement_of_commune("97411").as_deref(), Some("974"));
        assert_eq!(departement_of_commune("01001").as_deref(), Some("01"));
        assert_eq!(departement_of_commune("1001"), None);
        // Five bytes, but not on a character boundary at 2: refused, no panic.
        assert_eq!(departement_of_commune("0é01"), None);
    }

    #[test]
    fn arrondissements_of_paris_lyon_marseille() {
        for code in ["75101", "75120", "69381", "69389", "13201", "13216"] {
            assert!(is_arrondissement(code), "{code}");
        }
        for code in [
            "75056", "69123", "13055", "75121", "69380", "13217", "13001",
        ] {
            assert!(!is_arrondissement(code), "{code}");
        }
        assert_eq!(commune_of_arrondissement("69385"), "69123");
    }
}
