//! The Ministry's results files at any level (département, commune, polling station), read
//! one row at a time from a [`Source`]: every row is checked (identities, published
//! percentages, codes, candidates read by name) and added to its département, and to its
//! commune when the file has communes. Memory holds the départements and communes, never
//! the rows.
//!
//! The layout is read from the header: fixed columns found by name, then one block of
//! columns per candidate, only the first of which is named. The block's width is the span of
//! the first block's headers (`N°Panneau`, when present, to `% Voix/Exp`), never assumed.

mod controles;
mod layout;
mod sommes;

use std::collections::HashMap;

use crate::elections::{
    BLOCK, CODE, COMMUNE, COUNTS, CandidateResult, Count, ElectionRow, RATES, normalize_code,
};
use crate::error::EtlError;
use crate::sources::{Fault, Ligne, Position, Source};
use controles::{check_identities, check_rate};
use layout::HEADER_SEARCH;
pub use layout::{BURVOT_2022, LIBELLE_COMMUNE, PANNEAU};

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
    /// Index and field count of the first data row.
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
pub fn read(source: &mut Source) -> Result<Lu, EtlError> {
    let position = source.position().clone();
    let mut lecture = Lecture {
        position: &position,
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
                        format!("expected 'F' or 'M', found {}", crate::error::montre(&sexe)),
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
