//! The outlines of the départements (`geo/departements-avec-outre-mer.geojson`): read with the
//! `geojson` crate, checked (one feature per département of the reference, no other; every
//! ring closed with at least four positions; every polygon valid by `geo`'s OGC rules), and
//! turned into each département's neighbours.
//!
//! Neighbours are queen contiguity: two départements sharing at least one boundary point once
//! coordinates are snapped to the file's 1e-5° grid (about a metre). The file's outlines were
//! simplified with their topology kept (shared borders have the same vertices on both sides), so
//! a shared border shares vertices exactly. Corsica's 2A and 2B are each other's only
//! neighbours; the overseas départements have none.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use geojson::{Feature, GeoJson, GeometryValue, PolygonType};

use crate::error::EtlError;
use crate::excel::RawSource;

pub const GEO_FILE: &str = "geo/departements-avec-outre-mer.geojson";

pub const SOURCE: RawSource = RawSource {
    what: std::borrow::Cow::Borrowed("the outlines of the 101 départements (GeoJSON, WGS84)"),
    origin: std::borrow::Cow::Borrowed(
        "the france-geojson project (IGN Admin Express COG 2018, Licence Ouverte)",
    ),
};

/// Positions are snapped to this grid (1e-5°, the file's precision) before comparing.
const SNAP: f64 = 1e5;

fn file_error(path: &Path, message: impl Into<String>) -> EtlError {
    EtlError::Geometry {
        path: path.to_path_buf(),
        feature: None,
        code: None,
        message: message.into(),
    }
}

pub(crate) fn feature_error(
    path: &Path,
    index: usize,
    code: &str,
    message: impl Into<String>,
) -> EtlError {
    EtlError::Geometry {
        path: path.to_path_buf(),
        feature: Some(index),
        code: Some(code.to_owned()),
        message: message.into(),
    }
}

/// The polygons of a feature, as GeoJSON positions.
fn polygons<'a>(
    path: &Path,
    index: usize,
    code: &str,
    feature: &'a Feature,
) -> Result<Vec<&'a PolygonType>, EtlError> {
    let geometry = feature
        .geometry
        .as_ref()
        .ok_or_else(|| feature_error(path, index, code, "no geometry"))?;
    let polygons: Vec<&PolygonType> = match &geometry.value {
        GeometryValue::Polygon { coordinates } => vec![coordinates],
        GeometryValue::MultiPolygon { coordinates } => coordinates.iter().collect(),
        other => {
            return Err(feature_error(
                path,
                index,
                code,
                format!(
                    "a {} where a Polygon or MultiPolygon is expected",
                    other.type_name()
                ),
            ));
        }
    };
    if polygons.is_empty() || polygons.iter().any(|p| p.is_empty()) {
        return Err(feature_error(path, index, code, "empty geometry"));
    }
    for (p, polygon) in polygons.iter().enumerate() {
        for (r, ring) in polygon.iter().enumerate() {
            let ring_name = if r == 0 {
                format!("polygon {p}, exterior ring")
            } else {
                format!("polygon {p}, interior ring {r}")
            };
            if ring.len() < 4 {
                return Err(feature_error(
                    path,
                    index,
                    code,
                    format!(
                        "{ring_name}: {} positions, a ring needs at least 4",
                        ring.len()
                    ),
                ));
            }
            if let Some(bad) = ring
                .iter()
                .position(|pos| pos.len() < 2 || !pos[0].is_finite() || !pos[1].is_finite())
            {
                return Err(feature_error(
                    path,
                    index,
                    code,
                    format!("{ring_name}, position {bad}: not a finite longitude and latitude"),
                ));
            }
            let (first, last) = (&ring[0], &ring[ring.len() - 1]);
            if first.as_slice() != last.as_slice() {
                return Err(feature_error(
                    path,
                    index,
                    code,
                    format!("{ring_name} is not closed (its last position is not its first)"),
                ));
            }
        }
    }
    Ok(polygons)
}

/// Largest outline file read (the published one is 3.7 MB).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Most positions in one département's outline (the published file's largest has 6,781).
pub const MAX_POINTS: usize = 100_000;

/// Where a département's outline must lie (longitude and latitude, WGS84): metropolitan
/// France or its overseas territory, with a margin of about 0.2 degrees. The overseas
/// collectivities are there for their constituencies.
pub fn territoire(code: &str) -> (&'static str, [f64; 4]) {
    match code {
        "971" => ("Guadeloupe", [-62.0, -60.8, 15.6, 16.7]),
        "972" => ("Martinique", [-61.5, -60.6, 14.2, 15.1]),
        "973" => ("Guyane", [-55.0, -51.2, 1.9, 6.0]),
        "974" => ("La Réunion", [55.0, 56.1, -21.6, -20.6]),
        "976" => ("Mayotte", [44.8, 45.5, -13.2, -12.4]),
        "975" => ("Saint-Pierre-et-Miquelon", [-56.6, -55.9, 46.5, 47.3]),
        "ZX" => (
            "Saint-Martin and Saint-Barthélemy",
            [-63.3, -62.6, 17.7, 18.3],
        ),
        "986" => ("Wallis-et-Futuna", [-178.4, -175.9, -14.6, -13.0]),
        "987" => ("Polynésie française", [-155.2, -134.0, -28.3, -7.7]),
        "988" => ("Nouvelle-Calédonie", [163.3, 168.4, -22.9, -19.3]),
        _ => ("metropolitan France", [-5.5, 10.0, 41.0, 51.5]),
    }
}

/// A feature's size and place: at most [`MAX_POINTS`] positions, all inside its territory.
fn check_extent(
    path: &Path,
    index: usize,
    code: &str,
    departement: &str,
    polygons: &[&PolygonType],
) -> Result<(), EtlError> {
    let points: usize = polygons.iter().flat_map(|p| p.iter()).map(Vec::len).sum();
    if points > MAX_POINTS {
        return Err(feature_error(
            path,
            index,
            code,
            format!("{points} positions; no published outline has more than {MAX_POINTS}"),
        ));
    }
    let (name, [west, east, south, north]) = territoire(departement);
    let outside = polygons
        .iter()
        .flat_map(|p| p.iter())
        .flat_map(|r| r.iter())
        .find(|pos| !(west..=east).contains(&pos[0]) || !(south..=north).contains(&pos[1]));
    if let Some(pos) = outside {
        return Err(feature_error(
            path,
            index,
            code,
            format!(
                "position ({}, {}) lies outside {name} (longitude {west}..{east}, latitude \
                 {south}..{north})",
                pos[0], pos[1]
            ),
        ));
    }
    Ok(())
}

/// The OGC validity of one feature's geometry (rings simple, holes inside, polygons apart).
fn check_valid(path: &Path, index: usize, code: &str, feature: &Feature) -> Result<(), EtlError> {
    let Some(geometry) = feature.geometry.as_ref() else {
        return Err(feature_error(path, index, code, "no geometry"));
    };
    let multi: geo::MultiPolygon<f64> = geo::MultiPolygon::try_from(&geometry.value)
        .or_else(|_| geo::Polygon::try_from(&geometry.value).map(|p| geo::MultiPolygon(vec![p])))
        .map_err(|e| feature_error(path, index, code, e.to_string()))?;
    crate::validite::check(&multi)
        .map_err(|e| feature_error(path, index, code, format!("invalid polygon: {e}")))
}

/// [`check_valid`] on every feature, spread over the cores (the costliest check: about 2 s of
/// CPU for the real file); the first invalid feature in file order is the error.
fn check_all_valid(path: &Path, features: &[(usize, String, &Feature)]) -> Result<(), EtlError> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .max(1);
    let errors: Vec<EtlError> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                s.spawn(move || {
                    features
                        .iter()
                        .skip(t)
                        .step_by(threads)
                        .filter_map(|(i, code, f)| check_valid(path, *i, code, f).err())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(crate::pipeline::joined)
            .collect()
    });
    match errors.into_iter().min_by_key(|e| match e {
        EtlError::Geometry { feature, .. } => feature.unwrap_or(0),
        _ => 0,
    }) {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

/// A ring: closed (its last position is its first), as (longitude, latitude) in degrees.
pub type Ring = Vec<[f64; 2]>;
/// A polygon: its exterior ring, then its holes.
pub type Polygon = Vec<Ring>;

/// One département's outline as read (WGS84), checked.
#[derive(Debug, Clone)]
pub struct Outline {
    /// Index of the feature in the file.
    pub feature: usize,
    pub code: String,
    /// The département (INSEE code) it lies in: its territory, projection and tolerance.
    pub departement: String,
    pub polygons: Vec<Polygon>,
}

/// The checked outlines, in file order, every pair of neighbours, both ways, sorted, and the
/// owners of each point.
#[derive(Debug, Clone)]
pub struct Outlines {
    pub outlines: Vec<Outline>,
    pub neighbours: Vec<(String, String)>,
    pub owners: Owners,
}

/// A position snapped to the file's grid: equal keys are the same point.
pub fn snap(position: [f64; 2]) -> (i64, i64) {
    (
        (position[0] * SNAP).round() as i64,
        (position[1] * SNAP).round() as i64,
    )
}

/// A layer of outlines: which property names a feature, what the codes must be, and where
/// each lies.
pub struct Couche<'a> {
    pub source: RawSource,
    /// The property holding a feature's code (`code`, `ID`).
    pub propriete: &'static str,
    /// What a code is, for messages: `département`, `constituency`.
    pub unite: &'static str,
    /// The reference file listing the codes, for messages.
    pub reference: &'static str,
    /// Every expected code (canonical) and the département (INSEE code) it lies in.
    pub codes: &'a BTreeMap<String, String>,
    /// The canonical code of a feature's property (`33004` -> `3304`).
    pub canonique: fn(&str) -> Option<String>,
}

/// Reads and checks the outlines of the départements `codes` (exactly those, once each), and
/// finds the neighbours.
pub fn read_outlines(path: &Path, codes: &[String]) -> Result<Outlines, EtlError> {
    let codes: BTreeMap<String, String> = codes.iter().map(|c| (c.clone(), c.clone())).collect();
    read_layer(
        path,
        &Couche {
            source: SOURCE,
            propriete: "code",
            unite: "département",
            reference: "etl/reference/departements.csv",
            codes: &codes,
            canonique: |c| Some(c.to_owned()),
        },
    )
}

/// Reads and checks a layer of outlines (exactly the expected codes, once each), and finds
/// the neighbours.
pub fn read_layer(path: &Path, couche: &Couche<'_>) -> Result<Outlines, EtlError> {
    let codes = couche.codes;
    if !path.is_file() {
        return Err(EtlError::MissingFile {
            path: path.to_path_buf(),
            what: couche.source.what.clone(),
            origin: couche.source.origin.clone(),
        });
    }
    // Read whole and parsed in memory: refuse first what no outline file is (a 4-million-point
    // outline took 37 s and 750 MiB).
    let size = std::fs::metadata(path)
        .map_err(|source| EtlError::Io {
            path: PathBuf::from(path),
            source,
        })?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(file_error(
            path,
            format!(
                "{size} bytes; the published outlines are 3.7 MB, the limit is {MAX_FILE_BYTES}"
            ),
        ));
    }
    let text = std::fs::read_to_string(path).map_err(|source| EtlError::Io {
        path: PathBuf::from(path),
        source,
    })?;
    let collection = match text.parse::<GeoJson>() {
        Ok(GeoJson::FeatureCollection(collection)) => collection,
        Ok(_) => return Err(file_error(path, "not a FeatureCollection")),
        Err(e) => return Err(file_error(path, format!("not GeoJSON: {e}"))),
    };
    let expected: BTreeSet<&str> = codes.keys().map(String::as_str).collect();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut checked: Vec<(usize, String, &Feature)> = Vec::new();
    let mut outlines: Vec<Outline> = Vec::new();
    for (index, feature) in collection.features.iter().enumerate() {
        let written = feature
            .property(couche.propriete)
            .and_then(|v| v.as_str())
            .ok_or_else(|| {
                feature_error(
                    path,
                    index,
                    "?",
                    format!("no '{}' property", couche.propriete),
                )
            })?;
        let code = (couche.canonique)(written).unwrap_or_else(|| written.to_owned());
        let Some(departement) = codes.get(&code) else {
            return Err(feature_error(
                path,
                index,
                written,
                format!(
                    "not a {} of the reference ({})",
                    couche.unite, couche.reference
                ),
            ));
        };
        if let Some(first) = seen.insert(code.clone(), index) {
            return Err(feature_error(
                path,
                index,
                &code,
                format!("a second outline (the first is feature {first})"),
            ));
        }
        let mut read: Vec<Polygon> = Vec::new();
        let found = polygons(path, index, &code, feature)?;
        check_extent(path, index, &code, departement, &found)?;
        for polygon in found {
            let rings: Vec<Ring> = polygon
                .iter()
                .map(|ring| ring.iter().map(|p| [p[0], p[1]]).collect())
                .collect();
            read.push(rings);
        }
        outlines.push(Outline {
            feature: index,
            code: code.clone(),
            departement: departement.clone(),
            polygons: read,
        });
        checked.push((index, code, feature));
    }
    check_all_valid(path, &checked)?;
    let missing: Vec<&str> = expected
        .iter()
        .copied()
        .filter(|c| !seen.contains_key(*c))
        .collect();
    if !missing.is_empty() {
        return Err(file_error(
            path,
            format!(
                "no outline for the {}(s) {}",
                couche.unite,
                missing.join(", ")
            ),
        ));
    }
    let owners = owners(&outlines);
    let mut pairs: BTreeSet<(String, String)> = BTreeSet::new();
    for departements in owners.values().filter(|d| d.len() > 1) {
        for &a in departements {
            for &b in departements {
                if a != b {
                    pairs.insert((outlines[a].code.clone(), outlines[b].code.clone()));
                }
            }
        }
    }
    Ok(Outlines {
        outlines,
        neighbours: pairs.into_iter().collect(),
        owners,
    })
}

/// A snapped point -> the outlines it lies on (indices, ascending): the topology both the
/// neighbours and the simplification ([`crate::carte`]) read.
pub type Owners = HashMap<(i64, i64), Vec<usize>>;

/// Who owns each snapped point of `outlines`.
pub fn owners(outlines: &[Outline]) -> Owners {
    let mut owners: Owners = HashMap::new();
    for (i, outline) in outlines.iter().enumerate() {
        for position in outline.polygons.iter().flatten().flatten() {
            let list = owners.entry(snap(*position)).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    owners
}
