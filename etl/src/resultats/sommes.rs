//! Adding a checked row to its département and commune.

use super::{LIBELLE_COMMUNE, Layout, Lecture, Niveau, Totals};
use crate::elections::{BUREAU, CODE, COMMUNE, LIBELLE};
use crate::sources::{Fault, Ligne};

impl Lecture<'_> {
    pub(super) fn add_departement(
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

    pub(super) fn add_commune(
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
        // By polling station, a commune's rows follow one another; by commune, one row each.
        let by_station = layout.bureau.is_some();
        let slot = match self.current_commune {
            Some(i) if same && by_station => i,
            _ => {
                let key = (departement.to_owned(), commune.to_owned());
                if let Some(&i) = self.by_commune.get(&key) {
                    let first = self.communes[i].1.index + 1;
                    let message = if by_station {
                        format!(
                            "the rows of commune '{commune}' in '{departement}' are not \
                             together: it already appeared on {word} {first}, before other \
                             communes"
                        )
                    } else {
                        format!(
                            "duplicate commune '{commune}' in '{departement}' (already on \
                             {word} {first})"
                        )
                    };
                    let column = layout.commune.map_or(0, |c| c.0);
                    return Err(Fault::new(column, Some(COMMUNE), message));
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
}

fn add(totals: &mut Totals, counts: &[i64; 6], voix: &[i64]) {
    for (sum, value) in totals.counts.iter_mut().zip(counts) {
        *sum += value;
    }
    for (sum, value) in totals.voix.iter_mut().zip(voix) {
        *sum += value;
    }
}
