//! The header of a results file, and each row's shape against it.

use std::borrow::Cow;
use std::collections::HashMap;

use super::{Expected, Layout, Lecture, Niveau};
use crate::elections::{BLOCK, BUREAU, CODE, COMMUNE, COUNTS, LIBELLE, RATES};
use crate::error::EtlError;
use crate::sources::{Fault, Ligne, Position};

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
pub(super) const HEADER_SEARCH: u32 = 20;

impl Layout {
    pub(super) fn niveau(&self) -> Niveau {
        match (self.commune, self.bureau) {
            (_, Some(_)) => Niveau::Bureau,
            (Some(_), None) => Niveau::Commune,
            (None, None) => Niveau::Departement,
        }
    }

    pub(super) fn read(ligne: &Ligne<'_>, position: &Position) -> Result<Layout, EtlError> {
        let mut names: HashMap<String, u32> = HashMap::new();
        for column in 0..ligne.len() {
            let name = ligne
                .texte(column, None)
                .map_err(|f| position.at(ligne.index, f))?;
            if let Some(name) = name {
                names.entry(name.into_owned()).or_insert(column);
            }
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
        // The fixed columns all stand before the first candidate block.
        let fixed = [layout.code, layout.libelle]
            .into_iter()
            .chain(layout.counts)
            .chain(layout.rates.iter().map(|r| r.0))
            .chain(layout.commune.into_iter().flat_map(|(c, l)| [c, l]))
            .chain(layout.bureau);
        if let Some(late) = fixed.filter(|c| *c >= bloc).max() {
            return Err(EtlError::Header {
                path: position.file.clone(),
                sheet: position.sheet.clone(),
                row: ligne.index + 1,
                message: format!(
                    "the first candidate block starts at column {}, before the fixed column {}: \
                     the fixed columns come first",
                    crate::error::column_letter(bloc),
                    crate::error::column_letter(late)
                ),
            });
        }
        Ok(layout)
    }
}

impl Lecture<'_> {
    /// The number of candidate blocks on the row, after checking the row's width against
    /// the header and the first data row.
    pub(super) fn blocks(&mut self, layout: &Layout, ligne: &Ligne<'_>) -> Result<u32, Fault> {
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
                        let sexe = text(0)?;
                        if sexe != "F" && sexe != "M" {
                            return Err(Fault::new(
                                at(0),
                                Some(BLOCK[0]),
                                format!(
                                    "expected 'F' or 'M', found {}",
                                    crate::error::montre(&sexe)
                                ),
                            ));
                        }
                        Ok(Expected {
                            sexe,
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
}
