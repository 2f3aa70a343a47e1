//! The Ministry's results files at any level (département, commune, polling station), read
//! one row at a time from a [`Source`]: every row is checked (identities, published
//! percentages, codes, candidates read by name) and added to its département, and to its
//! commune when the file has communes. Memory holds the départements and communes, never
//! the rows.
//!
//! The layout is read from the header: fixed columns found by name, then one block of
//! columns per candidate, only the first of which is named. The block's width is the span of
//! the first block's headers (`N°Panneau`, when present, to `% Voix/Exp`), never assumed.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::elections::{
    BLOCK, BUREAU, CODE, COMMUNE, COUNTS, CandidateResult, Count, ElectionRow, INSCRITS, LIBELLE,
    RATE_TOLERANCE, RATES, normalize_code, percentage,
};
use crate::error::EtlError;
use crate::sources::{Fault, Ligne, Position, Source};

pub const LIBELLE_COMMUNE: &str = "Libellé de la commune";
/// Starts each candidate block in the Ministry's polling-station files.
pub const PANNEAU: &str = "N°Panneau";
/// The Ministry's 2022 polling-station text files (`burvot`), as published, up to the first
/// candidate block (which then reads `N°Panneau;Sexe;Nom;Prénom;Voix;% Voix/Ins;% Voix/Exp`).
/// The reader does not depend on it (columns are found by name); the generator and tests
/// write it.
pub const BURVOT_2022: [&str; 21] = [
    "Code du département",
    "Libellé du département",
    "Code de la circonscription",
    "Libellé de la circonscription",
    "Code de la commune",
    "Libellé de la commune",
    "Code du b.vote",
    "Inscrits",
    "Abstentions",
    "% Abs/Ins",
    "Votants",
    "% Vot/Ins",
    "Blancs",
    "% Blancs/Ins",
    "% Blancs/Vot",
    "Nuls",
    "% Nuls/Ins",
    "% Nuls/Vot",
    "Exprimés",
    "% Exp/Ins",
    "% Exp/Vot",
];
/// How many rows may stand above the header (title lines in workbooks).
const HEADER_SEARCH: u32 = 20;

/// The level of a results file, read from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Niveau {
    Departement,
    Commune,
    Bureau,
}

impl Niveau {
    /// The level word of the Ministry's file names.
    pub fn mot(self) -> &'static str {
        match self {
            Niveau::Departement => "dpt",
            Niveau::Commune => "subcom",
            Niveau::Bureau => "burvot",
        }
    }
}

/// Where each column is, from the header row.
#[derive(Debug, Clone)]
struct Layout {
    header_index: u32,
    code: u32,
    libelle: u32,
    commune: Option<(u32, u32)>,
    bureau: Option<u32>,
    /// In [`COUNTS`] order.
    counts: [u32; 6],
    /// Column, then the numerator and denominator as indexes into [`COUNTS`].
    rates: Vec<(u32, &'static str, usize, usize)>,
    bloc: u32,
    largeur: u32,
    /// Offsets inside a block of `Sexe`, `Nom`, `Prénom`, `Voix`, `% Voix/Ins`, `% Voix/Exp`.
    offsets: [u32; 6],
}

impl Layout {
    fn niveau(&self) -> Niveau {
        match (self.commune, self.bureau) {
            (_, Some(_)) => Niveau::Bureau,
            (Some(_), None) => Niveau::Commune,
            (None, None) => Niveau::Departement,
        }
    }

    fn read(ligne: &Ligne<'_>, position: &Position) -> Result<Layout, EtlError> {
        let mut names: HashMap<String, u32> = HashMap::new();
        let mut ordered: Vec<Option<String>> = Vec::new();
        for column in 0..ligne.len() {
            let name = ligne
                .texte(column, None)
                .map_err(|f| position.at(ligne.index, f))?
                .map(Cow::into_owned);
            if let Some(name) = &name {
                names.entry(name.clone()).or_insert(column);
            }
            ordered.push(name);
        }
        let missing = |name: &str| EtlError::MissingColumn {
            path: position.file.clone(),
            sheet: position.sheet.clone(),
            row: ligne.index + 1,
            column: name.to_owned(),
        };
        let find = |name: &str| names.get(name).copied().ok_or_else(|| missing(name));
        let mut counts = [0u32; 6];
        for (slot, name) in counts.iter_mut().zip(COUNTS) {
            *slot = find(name)?;
        }
        let index = |name: &str| COUNTS.iter().position(|c| *c == name).unwrap_or(0);
        let rates = RATES
            .iter()
            .map(|(h, n, d)| find(h).map(|c| (c, *h, index(n), index(d))))
            .collect::<Result<Vec<_>, _>>()?;
        let sexe = find(BLOCK[0])?;
        let bloc = match names.get(PANNEAU) {
            Some(&p) if p < sexe => p,
            _ => sexe,
        };
        let end = find(BLOCK[5])?;
        let mut offsets = [0u32; 6];
        for (slot, name) in offsets.iter_mut().zip(BLOCK) {
            let column = find(name)?;
            if column < bloc || column > end {
                return Err(missing(&format!(
                    "{name} (expected in the first candidate block, columns {} to {})",
                    crate::error::column_letter(bloc),
                    crate::error::column_letter(end)
                )));
            }
            *slot = column - bloc;
        }
        let commune = match names.get(COMMUNE) {
            Some(&code) => Some((code, find(LIBELLE_COMMUNE)?)),
            None => None,
        };
        let layout = Layout {
            header_index: ligne.index,
            code: find(CODE)?,
            libelle: find(LIBELLE)?,
            commune,
            bureau: names.get(BUREAU).copied(),
            counts,
            rates,
            bloc,
            largeur: end - bloc + 1,
            offsets,
        };
        if layout.bureau.is_some() && layout.commune.is_none() {
            return Err(missing(COMMUNE));
        }
        Ok(layout)
    }
}

/// One candidate as named by the first data row.
#[derive(Debug, Clone)]
struct Expected {
    sexe: String,
    nom: String,
    prenom: String,
}

/// Sums for one département or commune.
#[derive(Debug, Clone)]
struct Totals {
    index: u32,
    code: String,
    libelle: String,
    counts: [i64; 6],
    /// In the order of the first data row's candidates.
    voix: Vec<i64>,
}

/// One commune's sums, for `resultats_communes_*.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct CommuneRow {
    /// The département's code as the Ministry writes it (`01`, `2A`, `ZA`).
    pub departement: String,
    /// The commune's code inside its département, as in the file.
    pub commune: String,
    pub libelle: String,
    /// In [`COUNTS`] order.
    pub counts: [i64; 6],
    /// In the order of [`Lu::candidats`].
    pub voix: Vec<i64>,
}

/// A results file read and checked.
#[derive(Debug, Clone)]
pub struct Lu {
    pub niveau: Niveau,
    pub code_column: u32,
    pub libelle_column: u32,
    /// One row per département, in order of first appearance, with the 0-based row of its
    /// first line (for error messages).
    pub departements: Vec<ElectionRow>,
    /// `(sexe, nom, prénom)` in the order of the first data row.
    pub candidats: Vec<(String, String, String)>,
    /// Empty for a département-level file.
    pub communes: Vec<CommuneRow>,
    /// Data rows read.
    pub lignes: u64,
}

/// State while reading: the layout, the expected candidates, the sums.
struct Lecture<'p> {
    position: &'p Position,
    layout: Option<Layout>,
    /// Field count and index of the first data row.
    first: Option<(u32, u32)>,
    expected: Vec<Expected>,
    departements: Vec<Totals>,
    by_code: HashMap<String, usize>,
    communes: Vec<(String, Totals)>,
    by_commune: HashMap<(String, String), usize>,
    current_departement: Option<usize>,
    current_commune: Option<usize>,
    /// Polling stations of the current commune and their row (a commune's rows are
    /// contiguous in the Ministry's files, which keeps this set small).
    stations: HashMap<String, u32>,
    seen: Vec<bool>,
    voix: Vec<i64>,
    /// Each block's candidate, first column and published percentages (of inscrits, of
    /// exprimés), checked once the row's counts are known to hold together.
    taux: Vec<(usize, u32, f64, f64)>,
    lignes: u64,
    /// Workbooks may carry notes under the table: an empty code ends it there.
    ended: bool,
}

/// Reads every row of `source`, checking and summing as it goes.
pub fn read(source: &Source) -> Result<Lu, EtlError> {
    let position = source.position();
    let mut lecture = Lecture {
        position,
        layout: None,
        first: None,
        expected: Vec::new(),
        departements: Vec::new(),
        by_code: HashMap::new(),
        communes: Vec::new(),
        by_commune: HashMap::new(),
        current_departement: None,
        current_commune: None,
        stations: HashMap::new(),
        seen: Vec::new(),
        voix: Vec::new(),
        taux: Vec::new(),
        lignes: 0,
        ended: false,
    };
    let text = matches!(source, Source::Texte { .. });
    source.each(&mut |ligne| lecture.visit(&ligne, text))?;
    lecture.finish()
}

impl Lecture<'_> {
    fn visit(&mut self, ligne: &Ligne<'_>, text: bool) -> Result<(), EtlError> {
        if self.ended {
            return Ok(());
        }
        let Some(layout) = self.layout.take() else {
            let mut holds_code = false;
            for c in 0..ligne.len() {
                // Bytes the encoding cannot read are named even above the header.
                let field = ligne
                    .texte(c, None)
                    .map_err(|f| self.position.at(ligne.index, f))?;
                holds_code |= field.as_deref() == Some(CODE);
            }
            if holds_code {
                self.layout = Some(Layout::read(ligne, self.position)?);
            } else if ligne.index + 1 >= HEADER_SEARCH {
                return Err(self.position.at(
                    ligne.index,
                    Fault::new(0, None, format!("no header holding '{CODE}' found")),
                ));
            }
            return Ok(());
        };
        let result = self.row(&layout, ligne, text);
        self.layout = Some(layout);
        result.map_err(|mut fault| {
            if ligne.sans_fin {
                fault.message.push_str(
                    " (this is the last line and the file ends inside it: truncated file?)",
                );
            }
            self.position.at(ligne.index, fault)
        })
    }

    fn row(&mut self, layout: &Layout, ligne: &Ligne<'_>, text: bool) -> Result<(), Fault> {
        let code_field = ligne.texte(layout.code, Some(CODE))?;
        let Some(code_field) = code_field else {
            if !text {
                self.ended = true;
                return Ok(());
            }
            return Err(Fault::new(
                layout.code,
                Some(CODE),
                "expected a département code, found an empty field",
            ));
        };
        let code = normalize_code(&code_field);
        let blocks = self.blocks(layout, ligne)?;
        self.lignes += 1;

        let mut counts = [0i64; 6];
        for (slot, (column, name)) in counts.iter_mut().zip(layout.counts.iter().zip(COUNTS)) {
            *slot = ligne.entier(*column, Some(name))?;
        }
        let mut rates = [0f64; RATES.len()];
        for (slot, (column, header, _, _)) in rates.iter_mut().zip(&layout.rates) {
            *slot = ligne.nombre(*column, Some(header))?;
        }
        self.taux.clear();
        self.voix.clear();
        self.voix.resize(self.expected.len(), 0);
        self.seen.clear();
        self.seen.resize(self.expected.len(), false);
        for b in 0..blocks {
            let start = layout.bloc + b * layout.largeur;
            let at = |i: usize| start + layout.offsets[i];
            let h = |i: usize| Some(BLOCK[i]);
            let b = b as usize;
            // The usual row names its candidates as the first row did, in the same order.
            let same = self.expected.get(b).is_some_and(|e| {
                ligne.vaut(at(0), &e.sexe)
                    && ligne.vaut(at(1), &e.nom)
                    && ligne.vaut(at(2), &e.prenom)
            });
            let j = if same {
                b
            } else {
                let sexe = ligne.texte_requis(at(0), h(0))?;
                if sexe != "F" && sexe != "M" {
                    return Err(Fault::new(
                        at(0),
                        h(0),
                        format!("expected 'F' or 'M', found '{sexe}'"),
                    ));
                }
                let nom = ligne.texte_requis(at(1), h(1))?;
                let prenom = ligne.texte_requis(at(2), h(2))?;
                let j = self
                    .expected
                    .iter()
                    .position(|e| e.nom == nom && e.prenom == prenom)
                    .ok_or_else(|| {
                        let (line, _) = self.first.unwrap_or_default();
                        Fault::new(
                            at(1),
                            h(1),
                            format!(
                                "candidate '{prenom} {nom}' is not among the candidates of {} \
                                 {} (does the file mix rounds?)",
                                self.row_word(),
                                line + 1
                            ),
                        )
                    })?;
                if self.expected[j].sexe != sexe {
                    return Err(Fault::new(
                        at(0),
                        h(0),
                        format!(
                            "sex '{sexe}' of {prenom} {nom} differs from '{}' on the first row",
                            self.expected[j].sexe
                        ),
                    ));
                }
                j
            };
            if std::mem::replace(&mut self.seen[j], true) {
                return Err(Fault::new(
                    at(1),
                    h(1),
                    format!(
                        "candidate '{} {}' is listed twice on this row",
                        self.expected[j].prenom, self.expected[j].nom
                    ),
                ));
            }
            self.voix[j] = ligne.entier(at(3), h(3))?;
            let ins = ligne.nombre(at(4), h(4))?;
            let exp = ligne.nombre(at(5), h(5))?;
            self.taux.push((j, start, ins, exp));
        }
        // In the order of the former whole-sheet checks: identities, then percentages.
        check_identities(layout, &counts, self.voix.iter().sum())?;
        for (value, (column, header, n, d)) in rates.iter().zip(&layout.rates) {
            check_rate(*value, counts[*n], counts[*d])
                .map_err(|m| Fault::new(*column, Some(header), m))?;
        }
        for &(j, start, ins, exp) in &self.taux {
            let voix = self.voix[j];
            for (i, value, denominator) in [(4, ins, counts[0]), (5, exp, counts[5])] {
                check_rate(value, voix, denominator).map_err(|m| {
                    let e = &self.expected[j];
                    let header = format!("{} ({} {})", BLOCK[i], e.prenom, e.nom);
                    Fault::new(start + layout.offsets[i], None, m).with_header(header)
                })?;
            }
        }
        self.add_departement(layout, ligne, &code, &counts)?;
        if let Some((commune_column, _)) = layout.commune {
            let commune = ligne.texte_requis(commune_column, Some(COMMUNE))?;
            self.add_commune(layout, ligne, &code, &commune, &counts)?;
        }
        Ok(())
    }

    fn row_word(&self) -> &'static str {
        if self.position.sheet.is_empty() {
            "line"
        } else {
            "row"
        }
    }

    /// The number of candidate blocks on the row, after checking the row's width against
    /// the header and the first data row.
    fn blocks(&mut self, layout: &Layout, ligne: &Ligne<'_>) -> Result<u32, Fault> {
        let (bloc, largeur) = (layout.bloc, layout.largeur);
        let n = ligne.len();
        let word = self.row_word();
        let shape = |n: u32| {
            format!(
                "{n} fields; a row has the {bloc} fixed columns then blocks of {largeur} \
                 (one per candidate)"
            )
        };
        if n < bloc + largeur {
            return Err(Fault::new(
                n,
                None,
                format!("wrong number of fields: {}", shape(n)),
            ));
        }
        let blocks = (n - bloc) / largeur;
        let rest = (n - bloc) % largeur;
        match self.first {
            None => {
                if rest != 0 {
                    let start = bloc + blocks * largeur;
                    return Err(Fault::new(
                        start,
                        None,
                        format!(
                            "candidate block cut short: the block starting here has {rest} of \
                             its {largeur} fields ({})",
                            shape(n)
                        ),
                    ));
                }
                self.first = Some((ligne.index, n));
                self.expected = (0..blocks)
                    .map(|b| {
                        let start = bloc + b * largeur;
                        let at = |i: usize| start + layout.offsets[i];
                        let text = |i: usize| {
                            ligne
                                .texte_requis(at(i), Some(BLOCK[i]))
                                .map(Cow::into_owned)
                        };
                        Ok(Expected {
                            sexe: text(0)?,
                            nom: text(1)?,
                            prenom: text(2)?,
                        })
                    })
                    .collect::<Result<_, Fault>>()?;
            }
            Some((line, expected)) => {
                if n != expected {
                    let expected_blocks = (expected - bloc) / largeur;
                    let first = line + 1;
                    return Err(if rest == 0 {
                        Fault::new(
                            bloc + blocks.min(expected_blocks) * largeur,
                            None,
                            format!(
                                "{blocks} candidate blocks on this {word}, not the \
                                 {expected_blocks} of {word} {first} (a block missing, or a file \
                                 mixing rounds)"
                            ),
                        )
                    } else if n < expected {
                        Fault::new(
                            bloc + blocks * largeur,
                            None,
                            format!(
                                "candidate block cut short: the block starting here has {rest} \
                                 of its {largeur} fields ({word} {first} has {expected} fields)"
                            ),
                        )
                    } else {
                        Fault::new(
                            expected,
                            None,
                            format!(
                                "wrong number of fields: {n}, where {word} {first} and the \
                                 header's layout have {expected}"
                            ),
                        )
                    });
                }
            }
        }
        Ok(blocks)
    }

    fn add_departement(
        &mut self,
        layout: &Layout,
        ligne: &Ligne<'_>,
        code: &str,
        counts: &[i64; 6],
    ) -> Result<(), Fault> {
        let index = ligne.index;
        let by_departement = layout.niveau() == Niveau::Departement;
        let slot = match self.current_departement {
            Some(i) if !by_departement && self.departements[i].code == code => i,
            _ => match self.by_code.get(code) {
                Some(&i) if by_departement => {
                    return Err(Fault::new(
                        layout.code,
                        Some(CODE),
                        format!(
                            "duplicate département code '{code}' (already on {} {})",
                            self.row_word(),
                            self.departements[i].index + 1
                        ),
                    ));
                }
                Some(&i) => i,
                None => {
                    let libelle = ligne.texte_requis(layout.libelle, Some(LIBELLE))?;
                    self.by_code
                        .insert(code.to_owned(), self.departements.len());
                    self.departements.push(Totals {
                        index,
                        code: code.to_owned(),
                        libelle: libelle.into_owned(),
                        counts: [0; 6],
                        voix: vec![0; self.expected.len()],
                    });
                    self.departements.len() - 1
                }
            },
        };
        self.current_departement = Some(slot);
        let word = self.row_word();
        let totals = &mut self.departements[slot];
        if !ligne.vaut(layout.libelle, &totals.libelle) {
            let libelle = ligne.texte_requis(layout.libelle, Some(LIBELLE))?;
            if libelle != totals.libelle {
                return Err(Fault::new(
                    layout.libelle,
                    Some(LIBELLE),
                    format!(
                        "'{libelle}' for code '{code}', named '{}' on {word} {}",
                        totals.libelle,
                        totals.index + 1
                    ),
                ));
            }
        }
        add(totals, counts, &self.voix);
        Ok(())
    }

    fn add_commune(
        &mut self,
        layout: &Layout,
        ligne: &Ligne<'_>,
        departement: &str,
        commune: &str,
        counts: &[i64; 6],
    ) -> Result<(), Fault> {
        let word = self.row_word();
        let index = ligne.index;
        let same = self.current_commune.is_some_and(|i| {
            let (d, t) = &self.communes[i];
            d == departement && t.code == commune
        });
        let slot = match self.current_commune {
            Some(i) if same => i,
            _ => {
                let key = (departement.to_owned(), commune.to_owned());
                if let Some(&i) = self.by_commune.get(&key) {
                    let first = self.communes[i].1.index + 1;
                    let (column, header, message) = match layout.bureau {
                        Some(_) => (
                            layout.commune.map_or(0, |c| c.0),
                            COMMUNE,
                            format!(
                                "the rows of commune '{commune}' in '{departement}' are not \
                                 together: it already appeared on {word} {first}, before other \
                                 communes"
                            ),
                        ),
                        None => (
                            layout.commune.map_or(0, |c| c.0),
                            COMMUNE,
                            format!(
                                "duplicate commune '{commune}' in '{departement}' (already on \
                                 {word} {first})"
                            ),
                        ),
                    };
                    return Err(Fault::new(column, Some(header), message));
                }
                let libelle_column = layout.commune.map_or(0, |c| c.1);
                let nom = ligne.texte_requis(libelle_column, Some(LIBELLE_COMMUNE))?;
                self.by_commune.insert(key, self.communes.len());
                self.communes.push((
                    departement.to_owned(),
                    Totals {
                        index,
                        code: commune.to_owned(),
                        libelle: nom.into_owned(),
                        counts: [0; 6],
                        voix: vec![0; self.expected.len()],
                    },
                ));
                self.stations.clear();
                self.communes.len() - 1
            }
        };
        self.current_commune = Some(slot);
        if let Some(bureau_column) = layout.bureau {
            let bureau = ligne.texte_requis(bureau_column, Some(BUREAU))?;
            if let Some(first) = self.stations.insert(bureau.into_owned(), index) {
                return Err(Fault::new(
                    bureau_column,
                    Some(BUREAU),
                    format!(
                        "duplicate polling station in '{departement}', commune '{commune}' \
                         (already on {word} {})",
                        first + 1
                    ),
                ));
            }
        }
        let totals = &mut self.communes[slot].1;
        let libelle_column = layout.commune.map_or(0, |c| c.1);
        if !ligne.vaut(libelle_column, &totals.libelle) {
            let nom = ligne.texte_requis(libelle_column, Some(LIBELLE_COMMUNE))?;
            if nom != totals.libelle {
                return Err(Fault::new(
                    libelle_column,
                    Some(LIBELLE_COMMUNE),
                    format!(
                        "'{nom}' for commune '{commune}' in '{departement}', named '{}' on {word} {}",
                        totals.libelle,
                        totals.index + 1
                    ),
                ));
            }
        }
        add(totals, counts, &self.voix);
        Ok(())
    }

    fn finish(self) -> Result<Lu, EtlError> {
        let Some(layout) = self.layout else {
            return Err(self.position.at(
                0,
                Fault::new(0, None, format!("no header holding '{CODE}' found")),
            ));
        };
        if self.lignes == 0 {
            return Err(self.position.at(
                layout.header_index + 1,
                Fault::new(layout.code, Some(CODE), "no data row under the header"),
            ));
        }
        let niveau = layout.niveau();
        let candidats: Vec<(String, String, String)> = self
            .expected
            .iter()
            .map(|e| (e.sexe.clone(), e.nom.clone(), e.prenom.clone()))
            .collect();
        let departements = self
            .departements
            .into_iter()
            .map(|t| ElectionRow {
                row: t.index,
                code: t.code,
                libelle: t.libelle,
                counts: COUNTS
                    .iter()
                    .zip(layout.counts)
                    .zip(t.counts)
                    .map(|((header, column), value)| Count {
                        column,
                        header,
                        value,
                    })
                    .collect(),
                candidats: candidats
                    .iter()
                    .zip(t.voix)
                    .enumerate()
                    .map(|(b, ((sexe, nom, prenom), voix))| CandidateResult {
                        column: layout.bloc + b as u32 * layout.largeur,
                        sexe: sexe.clone(),
                        nom: nom.clone(),
                        prenom: prenom.clone(),
                        voix,
                    })
                    .collect(),
            })
            .collect();
        let communes = self
            .communes
            .into_iter()
            .map(|(departement, t)| CommuneRow {
                departement,
                commune: t.code,
                libelle: t.libelle,
                counts: t.counts,
                voix: t.voix,
            })
            .collect();
        Ok(Lu {
            niveau,
            code_column: layout.code,
            libelle_column: layout.libelle,
            departements,
            candidats,
            communes,
            lignes: self.lignes,
        })
    }
}

impl Fault {
    fn with_header(mut self, header: String) -> Fault {
        self.header = Some(header);
        self
    }
}

fn add(totals: &mut Totals, counts: &[i64; 6], voix: &[i64]) {
    for (sum, value) in totals.counts.iter_mut().zip(counts) {
        *sum += value;
    }
    for (sum, value) in totals.voix.iter_mut().zip(voix) {
        *sum += value;
    }
}

/// A published percentage: within [0, 100] and equal to the recomputed one within
/// [`RATE_TOLERANCE`] (the files round to two decimals).
fn check_rate(value: f64, numerator: i64, denominator: i64) -> Result<(), String> {
    let recomputed = percentage(numerator, denominator);
    if (0.0..=100.0).contains(&value) && (value - recomputed).abs() <= RATE_TOLERANCE + 1e-9 {
        Ok(())
    } else {
        Err(format!(
            "published rate {value} differs from the recomputed {recomputed:.4} ({numerator} / \
             {denominator} x 100) or is outside [0, 100]"
        ))
    }
}

/// inscrits = abstentions + votants, votants = blancs + nuls + exprimés, Σ voix = exprimés.
fn check_identities(layout: &Layout, counts: &[i64; 6], voix: i64) -> Result<(), Fault> {
    let [inscrits, abstentions, votants, blancs, nuls, exprimes] = *counts;
    let fault = |i: usize, message: String| Fault::new(layout.counts[i], Some(COUNTS[i]), message);
    if inscrits != abstentions + votants {
        return Err(fault(
            0,
            format!("inscrits ({inscrits}) != abstentions ({abstentions}) + votants ({votants})"),
        ));
    }
    if votants != blancs + nuls + exprimes {
        return Err(fault(
            2,
            format!(
                "votants ({votants}) != blancs ({blancs}) + nuls ({nuls}) + exprimés ({exprimes})"
            ),
        ));
    }
    if voix != exprimes {
        return Err(fault(
            5,
            format!("sum of the candidates' votes ({voix}) != exprimés ({exprimes})"),
        ));
    }
    debug_assert_eq!(COUNTS[0], INSCRITS);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_allow_the_published_rounding_only() {
        assert!(check_rate(20.0, 200, 1000).is_ok());
        assert!(check_rate(20.01, 200, 1000).is_ok());
        assert!(check_rate(20.02, 200, 1000).is_err());
        assert!(check_rate(0.0, 0, 0).is_ok());
        assert!(check_rate(-0.0, 0, 10).is_ok());
        assert!(check_rate(101.0, 1010, 1000).is_err());
    }
}
