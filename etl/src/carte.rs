//! The départements' map geometry, from the checked outlines ([`crate::geo`]):
//!
//! - **projected** with `proj4rs` (a pure-Rust port of PROJ): metropolitan France to
//!   Lambert-93 (EPSG:2154), each overseas département to its official UTM zone (EPSG:5490
//!   for Guadeloupe and Martinique, 2972 for Guyane, 2975 for La Réunion, 4471 for Mayotte);
//! - **simplified** ([`crate::simplification`]) with `geo`'s Ramer–Douglas–Peucker on *arcs*, so that shared borders stay
//!   shared: every ring is cut at its junctions (the points where the set of départements
//!   owning a point changes), each arc is simplified once in a canonical direction, and both
//!   neighbours reuse the same kept points. The tolerance is [`tolerance`] metres. Where a
//!   simplified outline is not valid (OGC: two of its segments cross or touch), each faulty
//!   segment gets back the left-out point farthest from it, and that point cuts the arcs
//!   through it (on both sides of a border), up to [`MAX_ROUNDS`] rounds; islands under the
//!   tolerance are left out, exclaves (a part whose edge is shared) are kept as at least a
//!   triangle, with the same points for the hole in their neighbour;
//! - **written** as text for the database: the simplified projected coordinates in metres (for
//!   the maps), and the WGS84 outline as an RFC 7946 GeoJSON geometry (right-hand rule,
//!   coordinates at most 5 decimals), full and simplified (the same kept points).
//!
//! Nothing here reads or writes files.

use std::fmt::Write as _;
use std::path::Path;

use geo::Orient;
use geo::orient::Direction;
use proj4rs::Proj;

use crate::error::EtlError;
use crate::geo::{Outline, Owners, Polygon, Ring, feature_error};
use crate::simplification::{Kept, Simplifier, multipolygon, rebuild, topology};

/// A projection: its EPSG label and its PROJ definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Projection {
    pub epsg: &'static str,
    pub definition: &'static str,
}

pub const LAMBERT_93: Projection = Projection {
    epsg: "EPSG:2154",
    definition: "+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs",
};

/// The projection of a département's map: Lambert-93 in metropolitan France, the official
/// UTM zone of each overseas département; for the constituencies of the overseas
/// collectivities, Saint-Pierre-et-Miquelon's (EPSG:4467), Saint-Martin's (EPSG:5490),
/// Wallis-et-Futuna's (EPSG:8903), French Polynesia's (EPSG:3297) and New Caledonia's Lambert
/// (EPSG:3163).
pub fn projection(code: &str) -> Projection {
    match code {
        "971" | "972" => Projection {
            epsg: "EPSG:5490",
            definition: "+proj=utm +zone=20 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs",
        },
        "973" => Projection {
            epsg: "EPSG:2972",
            definition: "+proj=utm +zone=22 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs",
        },
        "974" => Projection {
            epsg: "EPSG:2975",
            definition: "+proj=utm +zone=40 +south +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs",
        },
        "975" => Projection {
            epsg: "EPSG:4467",
            definition: "+proj=utm +zone=21 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs",
        },
        "ZX" => Projection {
            epsg: "EPSG:5490",
            definition: "+proj=utm +zone=20 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs",
        },
        "986" => Projection {
            epsg: "EPSG:8903",
            definition: "+proj=utm +zone=1 +south +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs",
        },
        "987" => Projection {
            epsg: "EPSG:3297",
            definition: "+proj=utm +zone=6 +south +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs",
        },
        "988" => Projection {
            epsg: "EPSG:3163",
            definition: "+proj=lcc +lat_0=-21.5 +lon_0=166 +lat_1=-20.6666666666667 +lat_2=-22.3333333333333 +x_0=400000 +y_0=300000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs",
        },
        "976" => Projection {
            epsg: "EPSG:4471",
            definition: "+proj=utm +zone=38 +south +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs",
        },
        _ => LAMBERT_93,
    }
}

/// Simplification tolerance in metres: 800 m in metropolitan France (under a pixel of the
/// default 1280-pixel map); finer for the maps' insets, drawn at a larger scale: 100 m for
/// Paris and its inner ring, 150 m overseas. A border takes the finer of its two sides'.
pub fn tolerance(code: &str) -> f64 {
    match code {
        "75" | "92" | "93" | "94" => 100.0,
        c if c.starts_with("97") || c.starts_with("98") || c == "ZX" => 150.0,
        _ => 800.0,
    }
}

/// Rounds of points kept back to make every simplified outline valid.
pub const MAX_ROUNDS: u32 = 50;

/// One département's geometry, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct Geometry {
    pub code: String,
    pub projection: &'static str,
    /// The tolerance, in metres.
    pub tolerance: f64,
    /// The simplified outline in the projection, whole metres: MultiPolygon coordinates (JSON).
    pub carte: String,
    /// The outline as read, RFC 7946 GeoJSON geometry.
    pub wgs84: String,
    /// The simplified outline (the same kept points), RFC 7946 GeoJSON geometry.
    pub wgs84_simplifie: String,
}

/// An outline with its positions projected (same shape as the WGS84 polygons).
struct Projected<'a> {
    outline: &'a Outline,
    polygons: Vec<Polygon>,
}

fn project(path: &Path, outline: &Outline) -> Result<Vec<Polygon>, EtlError> {
    let error = |message: String| feature_error(path, outline.feature, &outline.code, message);
    let wgs84 = Proj::from_proj_string("+proj=longlat +datum=WGS84 +no_defs")
        .map_err(|e| error(format!("WGS84: {e}")))?;
    let target = projection(&outline.departement);
    let to = Proj::from_proj_string(target.definition)
        .map_err(|e| error(format!("{}: {e}", target.epsg)))?;
    outline
        .polygons
        .iter()
        .map(|polygon| {
            polygon
                .iter()
                .map(|ring| {
                    ring.iter()
                        .map(|p| {
                            let mut point = (p[0].to_radians(), p[1].to_radians(), 0.0);
                            proj4rs::transform::transform(&wgs84, &to, &mut point)
                                .map_err(|e| error(format!("projecting {p:?}: {e}")))
                                .map(|()| [point.0, point.1])
                        })
                        .collect::<Result<Ring, EtlError>>()
                })
                .collect::<Result<Polygon, EtlError>>()
        })
        .collect()
}

/// A number with at most `decimals` decimals, shortest form (`2.35`, `3`), never `-0`.
fn number(value: f64, scale: f64) -> String {
    let rounded = (value * scale).round() / scale;
    if rounded == 0.0 {
        "0".to_owned()
    } else {
        format!("{rounded}")
    }
}

fn coordinates(polygons: &geo::MultiPolygon<f64>, scale: f64) -> String {
    let mut out = String::from("[");
    for (p, polygon) in polygons.0.iter().enumerate() {
        out.push_str(if p == 0 { "[" } else { ",[" });
        let rings = std::iter::once(polygon.exterior()).chain(polygon.interiors());
        for (r, ring) in rings.enumerate() {
            out.push_str(if r == 0 { "[" } else { ",[" });
            for (i, c) in ring.0.iter().enumerate() {
                let sep = if i == 0 { "" } else { "," };
                let _ = write!(out, "{sep}[{},{}]", number(c.x, scale), number(c.y, scale));
            }
            out.push(']');
        }
        out.push(']');
    }
    out.push(']');
    out
}

/// An RFC 7946 geometry: exteriors counterclockwise, holes clockwise, 5 decimals; always a
/// MultiPolygon, so that a GIS layer has one geometry type (a Polygon/MultiPolygon mix is a
/// layer of "Unknown" geometry in OGR and cannot go to a shapefile).
fn geojson(polygons: &[Polygon]) -> String {
    let oriented = multipolygon(polygons).orient(Direction::Default);
    format!(
        "{{\"type\":\"MultiPolygon\",\"coordinates\":{}}}",
        coordinates(&oriented, 1e5)
    )
}

/// Projects, simplifies and writes the geometry of every outline (same order); `owners` is
/// [`crate::geo::owners`] of the outlines.
pub fn geometries(
    path: &Path,
    outlines: &[Outline],
    owners: Owners,
) -> Result<Vec<Geometry>, EtlError> {
    let projected = outlines
        .iter()
        .map(|outline| project(path, outline).map(|polygons| Projected { outline, polygons }))
        .collect::<Result<Vec<_>, _>>()?;
    let topology = topology(outlines, owners);
    let mut simplifier = Simplifier::new(
        &topology,
        outlines.iter().map(|o| tolerance(&o.departement)).collect(),
    );
    let mut rounds = 0;
    loop {
        let kept: Vec<Kept> = projected
            .iter()
            .map(|p| simplifier.outline(p.outline, &p.polygons))
            .collect();
        let maps: Vec<Vec<Polygon>> = projected
            .iter()
            .zip(&kept)
            .map(|(p, k)| rebuild(&p.polygons, k))
            .collect();
        let exclaves = simplifier.take_exclaves();
        if exclaves > 0 && rounds < MAX_ROUNDS {
            log::debug!("simplification round {rounds}: {exclaves} exclave point(s) kept back");
            rounds += 1;
            continue;
        }
        let invalid: Vec<usize> = (0..maps.len())
            .filter(|&i| crate::validite::check(&multipolygon(&maps[i])).is_err())
            .collect();
        if invalid.is_empty() {
            return Ok(projected
                .iter()
                .zip(kept.iter().zip(&maps))
                .map(|(p, (k, map))| Geometry {
                    code: p.outline.code.clone(),
                    projection: projection(&p.outline.departement).epsg,
                    tolerance: tolerance(&p.outline.departement),
                    carte: coordinates(&multipolygon(map), 1.0),
                    wgs84: geojson(&p.outline.polygons),
                    wgs84_simplifie: geojson(&rebuild(&p.outline.polygons, k)),
                })
                .collect());
        }
        let mut forced = 0;
        for &i in &invalid {
            forced += simplifier.refine(projected[i].outline, &projected[i].polygons, &kept[i]);
        }
        log::debug!(
            "simplification round {rounds}: {} outline(s) not valid, {forced} point(s) kept back",
            invalid.len()
        );
        if forced == 0 || rounds == MAX_ROUNDS {
            let first = &outlines[invalid[0]];
            return Err(feature_error(
                path,
                first.feature,
                &first.code,
                format!(
                    "its outline is not valid once simplified ({}), even with points kept back \
                     {rounds} times",
                    crate::validite::check(&multipolygon(&maps[invalid[0]]))
                        .err()
                        .map_or_else(String::new, |e| e.to_string())
                ),
            ));
        }
        rounds += 1;
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::geo::snap;

    fn square(x: f64, y: f64, side: f64) -> Ring {
        vec![
            [x, y],
            [x + side, y],
            [x + side, y + side],
            [x, y + side],
            [x, y],
        ]
    }

    fn outline(code: &str, ring: Ring) -> Outline {
        Outline {
            feature: 0,
            code: code.to_owned(),
            departement: code.to_owned(),
            polygons: vec![vec![ring]],
        }
    }

    /// Reference values from PROJ itself (pyproj 3.7, `Transformer.from_crs(4326, epsg,
    /// always_xy=True)`), one point per projection.
    #[test]
    fn projections_agree_with_proj() {
        let from = Proj::from_proj_string("+proj=longlat +datum=WGS84 +no_defs").unwrap();
        let cases = [
            (
                "75",
                (2.3499, 48.853),
                (652_296.973_146_007_3, 6_861_636.358_515_202),
            ),
            (
                "971",
                (-61.5, 16.25),
                (660_301.833_460_931, 1_797_176.579_735_981),
            ),
            (
                "973",
                (-53.0, 4.0),
                (277_943.616_992_379_7, 442_397.822_884_077_7),
            ),
            (
                "974",
                (55.5, -21.1),
                (344_197.575_409_796_3, 7_666_050.711_042_009),
            ),
            (
                "976",
                (45.15, -12.8),
                (516_279.147_891_659_76, 8_584_976.634_424),
            ),
        ];
        for (code, (lon, lat), (x, y)) in cases {
            let to = Proj::from_proj_string(projection(code).definition).unwrap();
            let mut p = (f64::to_radians(lon), f64::to_radians(lat), 0.0);
            proj4rs::transform::transform(&from, &to, &mut p).unwrap();
            assert!(
                (p.0 - x).abs() < 1e-3 && (p.1 - y).abs() < 1e-3,
                "{code}: {p:?}"
            );
        }
    }

    /// Two départements sharing a wiggly border: the border keeps the same points on both
    /// sides once simplified, and the wiggles under the tolerance are gone.
    #[test]
    fn shared_borders_stay_shared_once_simplified() {
        // Border from (3.0, 46.0) up to (3.0, 46.5), wiggling by 1e-5° (under a metre).
        let border: Vec<[f64; 2]> = (0..=50)
            .map(|i| {
                let wiggle = if i % 2 == 1 { 0.000_01 } else { 0.0 };
                [3.0 + wiggle, 46.0 + f64::from(i) * 0.01]
            })
            .collect();
        let mut west: Ring = border.clone();
        west.extend([[2.5, 46.5], [2.5, 46.0], [3.0, 46.0]]);
        west.reverse();
        let mut east: Ring = border.clone();
        east.extend([[3.5, 46.5], [3.5, 46.0], [3.0, 46.0]]);
        let outlines = vec![outline("01", west), outline("03", east)];
        let owners = crate::geo::owners(&outlines);
        let geometries = geometries(Path::new("test.geojson"), &outlines, owners).unwrap();
        let points = |g: &Geometry| -> Vec<(i64, i64)> {
            let v: serde_json_like::Coords = serde_json_like::parse(&g.wgs84_simplifie);
            v.into_iter().map(snap).collect()
        };
        let (a, b) = (points(&geometries[0]), points(&geometries[1]));
        let on_border = |k: &(i64, i64)| k.0 == 300_000 || k.0 == 300_001;
        let shared_a: HashSet<_> = a.iter().filter(|k| on_border(k)).collect();
        let shared_b: HashSet<_> = b.iter().filter(|k| on_border(k)).collect();
        assert_eq!(shared_a, shared_b);
        // The straight border is two points once its sub-metre wiggles are gone.
        assert_eq!(shared_a.len(), 2, "{shared_a:?}");
        // The full outline keeps every point.
        assert!(geometries[0].wgs84.matches('[').count() > 50);
    }

    #[test]
    fn geojson_rings_follow_the_right_hand_rule() {
        let mut clockwise = square(2.0, 46.0, 0.5);
        clockwise.reverse();
        let text = geojson(&[vec![clockwise]]);
        assert!(text.starts_with("{\"type\":\"MultiPolygon\""), "{text}");
        let coords = serde_json_like::parse(&text);
        // Shoelace: positive area for counterclockwise.
        let area: f64 = coords
            .windows(2)
            .map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1])
            .sum();
        assert!(area > 0.0, "{text}");
        assert_eq!(number(2.123_456_7, 1e5), "2.12346");
        assert_eq!(number(-0.000_001, 1e5), "0");
        assert_eq!(number(3.0, 1e5), "3");
    }

    /// Flat list of positions from a GeoJSON text (test helper, no JSON crate needed).
    /// A ring of `n` points around (x, y), `r` degrees wide (closed).
    fn circle(x: f64, y: f64, r: f64, n: u32) -> Ring {
        let mut ring: Ring = (0..n)
            .map(|i| {
                let a = f64::from(i) * std::f64::consts::TAU / f64::from(n);
                [x + r * a.cos(), y + r * a.sin()]
            })
            .collect();
        ring.push(ring[0]);
        ring
    }

    /// Issue 29: a small exclave (a part of "02" inside "01", its whole edge shared) is under
    /// the tolerance, like a small island of "02": the island is left out of the simplified
    /// outline, the exclave is kept, and "01" keeps the hole it makes, on the same points.
    #[test]
    fn exclaves_are_kept_and_islands_under_the_tolerance_left_out() {
        // 0.002° is about 200 m: under the 800 m tolerance.
        let exclave = circle(2.25, 46.25, 0.002, 16);
        let mut hole = exclave.clone();
        hole.reverse();
        let a = Outline {
            polygons: vec![vec![square(2.0, 46.0, 0.5), hole]],
            ..outline("01", vec![])
        };
        let b = Outline {
            polygons: vec![
                vec![square(3.0, 46.0, 0.5)],
                vec![exclave],
                vec![circle(3.8, 46.25, 0.002, 16)],
            ],
            ..outline("02", vec![])
        };
        let outlines = vec![a, b];
        let owners = crate::geo::owners(&outlines);
        let geometries = geometries(Path::new("test.geojson"), &outlines, owners).unwrap();
        let parse = |text: &str| -> Vec<Vec<Vec<[f64; 2]>>> {
            let v: serde_json::Value = serde_json::from_str(text).unwrap();
            serde_json::from_value(v["coordinates"].clone()).unwrap()
        };
        let (a, b) = (
            parse(&geometries[0].wgs84_simplifie),
            parse(&geometries[1].wgs84_simplifie),
        );
        // "02": its main square and the exclave, not the island.
        assert_eq!(b.len(), 2, "{b:?}");
        let kept = &b[1][0];
        assert!(kept.len() >= 4, "a triangle at least: {kept:?}");
        assert!(kept.iter().all(|p| (p[0] - 2.25).abs() < 0.003));
        // "01": its square with the exclave's hole, on the same points.
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].len(), 2, "{a:?}");
        let points =
            |ring: &[[f64; 2]]| -> HashSet<(i64, i64)> { ring.iter().map(|p| snap(*p)).collect() };
        assert_eq!(points(&a[0][1]), points(kept));
        // The full outlines keep all three parts.
        assert_eq!(parse(&geometries[1].wgs84).len(), 3);
    }

    mod serde_json_like {
        pub type Coords = Vec<[f64; 2]>;
        pub fn parse(text: &str) -> Coords {
            let start = text.find("\"coordinates\":").unwrap() + 14;
            let numbers: Vec<f64> = text[start..]
                .split(['[', ']', ',', '}'])
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().unwrap())
                .collect();
            numbers.chunks(2).map(|c| [c[0], c[1]]).collect()
        }
    }
}
