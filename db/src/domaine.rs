//! The domain vocabulary, owned here once and used by `etl`, `ml`, `api` and `charts`: election
//! types, the election id (type, year, round) and its one text form, the political families
//! (code, label, order, colour index), and the territories (overseas, Paris's inner ring).
//! Nothing here knows about the web; the database is checked against it at start
//! ([`verifier_familles`]).

use std::fmt;
use std::str::FromStr;

/// The kind of a national election.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeElection {
    /// The presidential election: candidates, two rounds, one national constituency.
    Presidentielle,
    /// The legislative election: 577 constituencies, candidates under the Ministry's political
    /// labels (nuances), one seat each.
    Legislatives,
    /// The European election: national lists. No file of it is loaded yet.
    Europeennes,
}

impl TypeElection {
    pub const ALL: [TypeElection; 3] = [
        TypeElection::Presidentielle,
        TypeElection::Legislatives,
        TypeElection::Europeennes,
    ];

    /// The code used in URLs, the manifest and the database.
    pub fn code(self) -> &'static str {
        match self {
            TypeElection::Presidentielle => "presidentielle",
            TypeElection::Legislatives => "legislatives",
            TypeElection::Europeennes => "europeennes",
        }
    }

    /// The French label, e.g. "présidentielle".
    pub fn libelle(self) -> &'static str {
        match self {
            TypeElection::Presidentielle => "présidentielle",
            TypeElection::Legislatives => "législatives",
            TypeElection::Europeennes => "européennes",
        }
    }

    pub fn from_code(code: &str) -> Option<TypeElection> {
        TypeElection::ALL.into_iter().find(|t| t.code() == code)
    }

    /// Whether results are given by political label (nuance) rather than by candidate at
    /// the département level.
    pub fn par_nuance(self) -> bool {
        !matches!(self, TypeElection::Presidentielle)
    }

    /// Whether the election fills seats.
    pub fn a_des_sieges(self) -> bool {
        matches!(self, TypeElection::Legislatives)
    }
}

impl fmt::Display for TypeElection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One round of one election: the key of every election table. Ordered by type, year, round.
/// Its text form, used in URLs, is `{type}-{year}-t{round}`, e.g. `legislatives-2024-t1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Scrutin {
    pub type_election: TypeElection,
    pub annee: i32,
    pub tour: i32,
}

impl Scrutin {
    /// A round of a presidential election (the `annee` and `tour` of today's URLs).
    pub const fn new(annee: i32, tour: i32) -> Scrutin {
        Scrutin {
            type_election: TypeElection::Presidentielle,
            annee,
            tour,
        }
    }

    pub const fn de(type_election: TypeElection, annee: i32, tour: i32) -> Scrutin {
        Scrutin {
            type_election,
            annee,
            tour,
        }
    }

    /// The canonical id, `legislatives-2024-t1`.
    pub fn id(&self) -> String {
        format!(
            "{}-{}-t{}",
            self.type_election.code(),
            self.annee,
            self.tour
        )
    }

    /// The election (both rounds): `legislatives-2024`.
    pub fn election(&self) -> String {
        format!("{}-{}", self.type_election.code(), self.annee)
    }

    /// "1er tour" / "2nd tour".
    pub fn libelle_tour(&self) -> &'static str {
        if self.tour == 1 {
            "1er tour"
        } else {
            "2nd tour"
        }
    }

    /// "présidentielle 2022, 1er tour".
    pub fn libelle(&self) -> String {
        format!(
            "{} {}, {}",
            self.type_election.libelle(),
            self.annee,
            self.libelle_tour()
        )
    }

    /// The id without its round (`legislatives-2024`) read with a round.
    pub fn parse_election(text: &str, tour: i32) -> Option<Scrutin> {
        let (type_code, annee) = text.rsplit_once('-')?;
        let type_election = TypeElection::from_code(type_code)?;
        let annee: i32 = annee.parse().ok().filter(|a| (1900..=2999).contains(a))?;
        Some(Scrutin::de(type_election, annee, tour))
    }
}

impl fmt::Display for Scrutin {
    /// The canonical id.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id())
    }
}

impl FromStr for Scrutin {
    type Err = String;

    /// `legislatives-2024-t1` (the only form: lower case, one dash between parts).
    fn from_str(text: &str) -> Result<Scrutin, String> {
        let bad = || {
            format!(
                "'{text}' is not an election round id: expected {{type}}-{{year}}-t{{round}}, e.g. legislatives-2024-t1, with type one of {}",
                TypeElection::ALL.map(TypeElection::code).join(", ")
            )
        };
        let (election, tour) = text.rsplit_once("-t").ok_or_else(bad)?;
        let tour: i32 = tour
            .parse()
            .ok()
            .filter(|t| (1..=2).contains(t))
            .ok_or_else(bad)?;
        Scrutin::parse_election(election, tour).ok_or_else(bad)
    }
}

/// A political family of the study: its code, label, order and colour index (charts are given
/// the index, never the code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FamilleDef {
    pub code: &'static str,
    pub libelle: &'static str,
    pub ordre: i32,
    pub couleur: usize,
}

/// The families, in order. The first four are the study's; `divers` takes what fits none of
/// them in the legislative elections (the Ministry's `DIV` and `REG` labels). No presidential
/// candidate is `divers`: its presidential tables and charts keep the four families.
pub const FAMILLES: [FamilleDef; 5] = [
    FamilleDef {
        code: "gauche",
        libelle: "Gauche",
        ordre: 1,
        couleur: 0,
    },
    FamilleDef {
        code: "centre",
        libelle: "Centre",
        ordre: 2,
        couleur: 1,
    },
    FamilleDef {
        code: "droite",
        libelle: "Droite",
        ordre: 3,
        couleur: 2,
    },
    FamilleDef {
        code: "extreme_droite",
        libelle: "Extrême droite",
        ordre: 4,
        couleur: 3,
    },
    FamilleDef {
        code: "divers",
        libelle: "Divers et régionalistes",
        ordre: 5,
        couleur: 4,
    },
];

/// The family of a code.
pub fn famille(code: &str) -> Option<&'static FamilleDef> {
    FAMILLES.iter().find(|f| f.code == code)
}

/// The colour index of a family code; `None` for anything else (charts draw it grey).
pub fn couleur_famille(code: &str) -> Option<usize> {
    famille(code).map(|f| f.couleur)
}

/// The families in the database against the vocabulary: same codes, labels and order.
pub fn verifier_familles<'a>(
    en_base: impl IntoIterator<Item = (&'a str, &'a str, i32)>,
) -> Result<(), String> {
    let en_base: Vec<(&str, &str, i32)> = en_base.into_iter().collect();
    let attendu: Vec<(&str, &str, i32)> = FAMILLES
        .iter()
        .map(|f| (f.code, f.libelle, f.ordre))
        .collect();
    if en_base == attendu {
        Ok(())
    } else {
        Err(format!(
            "the families in the database ({en_base:?}) are not the vocabulary's ({attendu:?})"
        ))
    }
}

/// The regions overseas: the five overseas départements' regions and the collectivities.
pub const REGIONS_OUTRE_MER: [&str; 6] = ["01", "02", "03", "04", "06", "COM"];
/// The region code of the constituency of French people abroad, neither metropolitan nor overseas.
pub const REGION_ETRANGER: &str = "FE";
/// Paris and its inner ring (petite couronne): Hauts-de-Seine, Seine-Saint-Denis, Val-de-Marne.
pub const PETITE_COURONNE: [&str; 4] = ["75", "92", "93", "94"];

/// Whether a département (INSEE code) is an overseas one: `971` .. `976`.
pub fn est_outre_mer(code_departement: &str) -> bool {
    code_departement.starts_with("97")
}

/// Metropolitan France, overseas, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Perimetre {
    /// Every département and constituency (default).
    #[default]
    France,
    /// The 96 metropolitan départements.
    Metropole,
    /// The five overseas départements and the overseas collectivities.
    OutreMer,
}

impl Perimetre {
    pub const ALL: [Perimetre; 3] = [Perimetre::France, Perimetre::Metropole, Perimetre::OutreMer];

    pub fn code(self) -> &'static str {
        match self {
            Perimetre::France => "france",
            Perimetre::Metropole => "metropole",
            Perimetre::OutreMer => "outre-mer",
        }
    }

    pub fn from_code(code: &str) -> Option<Perimetre> {
        Perimetre::ALL.into_iter().find(|p| p.code() == code)
    }

    /// Whether a region is in this perimeter.
    pub fn contient_region(self, region_code: &str) -> bool {
        let outre_mer = REGIONS_OUTRE_MER.contains(&region_code);
        match self {
            Perimetre::France => true,
            Perimetre::Metropole => !outre_mer && region_code != REGION_ETRANGER,
            Perimetre::OutreMer => outre_mer,
        }
    }
}

/// The INSEE "type de nom en clair" (TNCC) of each département, from the Code officiel
/// géographique: how its name takes an article. 0: none, before a consonant (`de Paris`);
/// 1: none, before a vowel (`d'Ille-et-Vilaine`); 2: `le` (`du Nord`); 3: `la` (`de la
/// Somme`); 4: `les` (`des Yvelines`); 5: `l'` (`de l'Ain`).
const TNCC: [(&str, u8); 101] = [
    ("01", 5),
    ("02", 5),
    ("03", 5),
    ("04", 4),
    ("05", 4),
    ("06", 4),
    ("07", 5),
    ("08", 4),
    ("09", 5),
    ("10", 5),
    ("11", 5),
    ("12", 5),
    ("13", 4),
    ("14", 2),
    ("15", 2),
    ("16", 3),
    ("17", 3),
    ("18", 2),
    ("19", 3),
    ("2A", 3),
    ("2B", 3),
    ("21", 3),
    ("22", 4),
    ("23", 3),
    ("24", 3),
    ("25", 2),
    ("26", 3),
    ("27", 5),
    ("28", 5),
    ("29", 2),
    ("30", 2),
    ("31", 3),
    ("32", 2),
    ("33", 3),
    ("34", 5),
    ("35", 1),
    ("36", 5),
    ("37", 5),
    ("38", 5),
    ("39", 2),
    ("40", 4),
    ("41", 2),
    ("42", 3),
    ("43", 3),
    ("44", 3),
    ("45", 2),
    ("46", 2),
    ("47", 2),
    ("48", 3),
    ("49", 2),
    ("50", 3),
    ("51", 3),
    ("52", 3),
    ("53", 3),
    ("54", 3),
    ("55", 3),
    ("56", 2),
    ("57", 3),
    ("58", 3),
    ("59", 2),
    ("60", 5),
    ("61", 5),
    ("62", 2),
    ("63", 2),
    ("64", 4),
    ("65", 4),
    ("66", 4),
    ("67", 2),
    ("68", 2),
    ("69", 2),
    ("70", 3),
    ("71", 3),
    ("72", 3),
    ("73", 3),
    ("74", 3),
    ("75", 0),
    ("76", 3),
    ("77", 3),
    ("78", 4),
    ("79", 4),
    ("80", 3),
    ("81", 2),
    ("82", 2),
    ("83", 2),
    ("84", 2),
    ("85", 3),
    ("86", 3),
    ("87", 3),
    ("88", 4),
    ("89", 5),
    ("90", 2),
    ("91", 5),
    ("92", 4),
    ("93", 3),
    ("94", 2),
    ("95", 2),
    ("971", 3),
    ("972", 3),
    ("973", 3),
    ("974", 0),
    ("976", 0),
];

fn tncc(code: &str) -> u8 {
    TNCC.iter().find(|(c, _)| *c == code).map_or(0, |(_, t)| *t)
}

/// A département's name with its article, as after `pour` or `dans` (`le Nord`, `l'Ain`,
/// `les Yvelines`, `Paris`).
pub fn avec_article(code: &str, nom: &str) -> String {
    match tncc(code) {
        2 => format!("le {nom}"),
        3 => format!("la {nom}"),
        4 => format!("les {nom}"),
        5 => format!("l'{nom}"),
        _ => nom.to_owned(),
    }
}

/// A département's name after `de` (`du Nord`, `de la Somme`, `des Yvelines`, `de l'Ain`,
/// `d'Ille-et-Vilaine`, `de Paris`).
pub fn de_departement(code: &str, nom: &str) -> String {
    match tncc(code) {
        1 => format!("d'{nom}"),
        2 => format!("du {nom}"),
        3 => format!("de la {nom}"),
        4 => format!("des {nom}"),
        5 => format!("de l'{nom}"),
        _ => format!("de {nom}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_election_id_reads_back_to_itself() {
        for id in [
            "presidentielle-2022-t1",
            "legislatives-2024-t2",
            "europeennes-2019-t1",
        ] {
            let s: Scrutin = id.parse().unwrap();
            assert_eq!(s.id(), id);
            assert_eq!(s.to_string(), id);
        }
        let s: Scrutin = "legislatives-2024-t1".parse().unwrap();
        assert_eq!(s, Scrutin::de(TypeElection::Legislatives, 2024, 1));
        assert_eq!(s.election(), "legislatives-2024");
        assert_eq!(Scrutin::new(2017, 2).id(), "presidentielle-2017-t2");
    }

    #[test]
    fn a_malformed_id_is_refused_with_the_expected_form() {
        for bad in [
            "",
            "legislatives",
            "legislatives-2024",
            "legislatives-2024-t3",
            "Legislatives-2024-t1",
            "municipales-2020-t1",
            "legislatives-20x4-t1",
            "legislatives-2024-t",
        ] {
            let e = bad.parse::<Scrutin>().unwrap_err();
            assert!(e.contains("legislatives-2024-t1"), "{e}");
        }
    }

    #[test]
    fn rounds_order_by_type_then_year_then_round() {
        let mut v = [
            Scrutin::de(TypeElection::Legislatives, 2017, 1),
            Scrutin::new(2022, 1),
            Scrutin::new(2017, 2),
        ];
        v.sort();
        assert_eq!(v[0], Scrutin::new(2017, 2));
        assert_eq!(v[2].type_election, TypeElection::Legislatives);
    }

    #[test]
    fn families_have_distinct_orders_and_colours() {
        let mut ordres: Vec<i32> = FAMILLES.iter().map(|f| f.ordre).collect();
        ordres.dedup();
        assert_eq!(ordres.len(), FAMILLES.len());
        let mut couleurs: Vec<usize> = FAMILLES.iter().map(|f| f.couleur).collect();
        couleurs.sort_unstable();
        couleurs.dedup();
        assert_eq!(couleurs.len(), FAMILLES.len());
        assert_eq!(de_departement("59", "Nord"), "du Nord");
        assert_eq!(de_departement("80", "Somme"), "de la Somme");
        assert_eq!(de_departement("01", "Ain"), "de l'Ain");
        assert_eq!(de_departement("78", "Yvelines"), "des Yvelines");
        assert_eq!(de_departement("35", "Ille-et-Vilaine"), "d'Ille-et-Vilaine");
        assert_eq!(de_departement("75", "Paris"), "de Paris");
        assert_eq!(de_departement("974", "La Réunion"), "de La Réunion");
        assert_eq!(avec_article("59", "Nord"), "le Nord");
        assert_eq!(avec_article("976", "Mayotte"), "Mayotte");
        assert_eq!(TNCC.len(), 101);
        assert_eq!(couleur_famille("extreme_droite"), Some(3));
        assert_eq!(couleur_famille("ENS"), None);
        assert!(verifier_familles(FAMILLES.iter().map(|f| (f.code, f.libelle, f.ordre))).is_ok());
        assert!(verifier_familles([("gauche", "Gauche", 1)]).is_err());
    }

    #[test]
    fn perimeters_split_regions() {
        assert!(Perimetre::Metropole.contient_region("32"));
        assert!(!Perimetre::Metropole.contient_region("FE"));
        assert!(!Perimetre::OutreMer.contient_region("FE"));
        assert!(Perimetre::OutreMer.contient_region("COM"));
        assert!(est_outre_mer("974"));
    }
}
