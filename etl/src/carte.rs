//! The départements' map geometry, from the checked outlines ([`crate::geo`]):
//!
//! - **projected** with `proj4rs` (a pure-Rust port of PROJ): metropolitan France to
//!   Lambert-93 (EPSG:2154), each overseas département to its official UTM zone (EPSG:5490
//!   for Guadeloupe and Martinique, 2972 for Guyane, 2975 for La Réunion, 4471 for Mayotte);
//! - **simplified** with `geo`'s Ramer–Douglas–Peucker on *arcs*, so that shared borders stay
//!   shared: every ring is cut at its junctions (the points where the set of départements
//!   owning a point changes), each arc is simplified once in a canonical direction, and both
//!   neighbours reuse the same kept points. The tolerance is [`tolerance`] metres. Where a
//!   simplified outline is not valid (OGC: two of its segments cross or touch), each faulty
//!   segment gets back the left-out point farthest from it, and that point cuts the arcs
//!   through it (on both sides of a border), up to [`MAX_ROUNDS`] rounds; islands under the
//!   tolerance are left out;
//! - **written** as text for the database: the simplified projected coordinates in metres (for
//!   the maps), and the WGS84 outline as an RFC 7946 GeoJSON geometry (right-hand rule,
//!   coordinates at most 5 decimals), full and simplified (the same kept points).
//!
//! Nothing here reads or writes files.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use geo::orient::Direction;
use geo::{Distance, Orient, SimplifyIdx, Validation};
use proj4rs::Proj;

use crate::error::EtlError;
use crate::geo::{Outline, Polygon, Ring, feature_error, snap};

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
/// UTM zone of each overseas département.
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
        c if c.starts_with("97") => 150.0,
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
    let target = projection(&outline.code);
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

type Key = (i64, i64);

/// Who owns each point (indices of outlines), and the junctions: points where the set of
/// owners changes along a ring.
struct Topology {
    owners: HashMap<Key, Vec<usize>>,
    junctions: HashSet<Key>,
}

/// The distinct positions of a closed ring (its last, repeated first, left out).
fn open(ring: &Ring) -> &[[f64; 2]] {
    &ring[..ring.len().saturating_sub(1)]
}

fn topology(outlines: &[Outline]) -> Topology {
    let mut owners: HashMap<Key, Vec<usize>> = HashMap::new();
    for (i, outline) in outlines.iter().enumerate() {
        for position in outline.polygons.iter().flatten().flatten() {
            let list = owners.entry(snap(*position)).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    let mut junctions = HashSet::new();
    for ring in outlines.iter().flat_map(|o| o.polygons.iter().flatten()) {
        let points = open(ring);
        let n = points.len();
        let owner = |i: usize| owners.get(&snap(points[i % n]));
        for (i, point) in points.iter().enumerate() {
            let here = owner(i);
            if here != owner(i + n - 1) || here != owner(i + 1) {
                junctions.insert(snap(*point));
            }
        }
    }
    Topology { owners, junctions }
}

/// Indices (into the ring's distinct positions) where its arcs start and end: its junctions
/// and forced points. A ring with neither (an island, a coast of one owner) is cut at its
/// smallest point and the point farthest from it, the same whichever outline holds it.
fn cuts(points: &[[f64; 2]], projected: &[[f64; 2]], cut: &dyn Fn(&Key) -> bool) -> Vec<usize> {
    let found: Vec<usize> = (0..points.len())
        .filter(|&i| cut(&snap(points[i])))
        .collect();
    if !found.is_empty() {
        return found;
    }
    let Some(first) = (0..points.len()).min_by_key(|&i| snap(points[i])) else {
        return Vec::new();
    };
    let distance = |i: usize| {
        let (a, b) = (projected[first], projected[i]);
        (a[0] - b[0]).hypot(a[1] - b[1])
    };
    let far = (0..points.len()).max_by(|&i, &j| {
        distance(i)
            .total_cmp(&distance(j))
            .then_with(|| snap(points[j]).cmp(&snap(points[i])))
    });
    match far {
        Some(far) if far != first => {
            let mut both = vec![first, far];
            both.sort_unstable();
            both
        }
        _ => vec![first],
    }
}

/// The simplification state: the arcs already simplified (by their points' keys in canonical
/// direction: the smaller of the two directions), and the points forced to stay because
/// leaving them out made an outline invalid. A forced point cuts arcs like a junction, on
/// both sides of a border.
struct Simplifier<'a> {
    topology: &'a Topology,
    tolerances: Vec<f64>,
    arcs: HashMap<Vec<Key>, Vec<usize>>,
    forced: HashSet<Key>,
}

impl Simplifier<'_> {
    /// The kept indices of a ring's distinct positions (ascending).
    fn ring(&mut self, points: &[[f64; 2]], projected: &[[f64; 2]]) -> Vec<usize> {
        let n = points.len();
        let (junctions, forced) = (&self.topology.junctions, &self.forced);
        let cuts = cuts(points, projected, &|k| {
            junctions.contains(k) || forced.contains(k)
        });
        let mut kept: Vec<usize> = Vec::new();
        for (c, &start) in cuts.iter().enumerate() {
            let end = cuts.get(c + 1).copied().unwrap_or(cuts[0] + n);
            let indices: Vec<usize> = (start..=end).collect();
            let keys: Vec<Key> = indices.iter().map(|&i| snap(points[i % n])).collect();
            let reversed: Vec<Key> = keys.iter().rev().copied().collect();
            let backwards = reversed < keys;
            let canonical = if backwards { reversed } else { keys };
            let len = indices.len();
            let ring_index = |k: usize| {
                if backwards {
                    indices[len - 1 - k]
                } else {
                    indices[k]
                }
            };
            if !self.arcs.contains_key(&canonical) {
                let epsilon = canonical
                    .iter()
                    .filter_map(|k| self.topology.owners.get(k))
                    .flatten()
                    .filter_map(|&o| self.tolerances.get(o))
                    .copied()
                    .fold(f64::INFINITY, f64::min);
                let line: geo::LineString<f64> = (0..len)
                    .map(|k| {
                        let i = ring_index(k) % n;
                        geo::Coord {
                            x: projected[i][0],
                            y: projected[i][1],
                        }
                    })
                    .collect();
                let simplified = line.simplify_idx(epsilon);
                self.arcs.insert(canonical.clone(), simplified);
            }
            let mut ours: Vec<usize> = self
                .arcs
                .get(&canonical)
                .into_iter()
                .flatten()
                .map(|&k| ring_index(k))
                .collect();
            ours.sort_unstable();
            // The arc's end is the next arc's start.
            ours.pop();
            kept.extend(ours.into_iter().map(|i| i % n));
        }
        kept.sort_unstable();
        kept.dedup();
        kept
    }

    /// The kept rings of an outline.
    fn outline(&mut self, outline: &Outline, projected: &[Polygon]) -> Kept {
        let mut kept: Kept = Vec::new();
        for (p, (polygon, polygon_projected)) in outline.polygons.iter().zip(projected).enumerate()
        {
            for (r, (ring, ring_projected)) in polygon.iter().zip(polygon_projected).enumerate() {
                let points = self.ring(open(ring), open(ring_projected));
                if points.len() >= 3 {
                    kept.push((p, r, points));
                } else if r == 0 {
                    // An island or enclave under the tolerance: left out, holes and all.
                    break;
                }
            }
        }
        if kept.is_empty() {
            // Every polygon under the tolerance: the outline as read.
            for (p, polygon) in outline.polygons.iter().enumerate() {
                for (r, ring) in polygon.iter().enumerate() {
                    kept.push((p, r, (0..open(ring).len()).collect()));
                }
            }
        }
        kept
    }

    /// Forces back, for every faulty segment of an outline, the left-out point farthest from
    /// it (the next one Ramer–Douglas–Peucker would keep). Returns how many were forced.
    fn refine(&mut self, outline: &Outline, projected: &[Polygon], kept: &Kept) -> usize {
        let before = self.forced.len();
        for (p, r, k) in faulty_segments(projected, kept) {
            let (ring, ring_projected) = (open(&outline.polygons[p][r]), open(&projected[p][r]));
            let n = ring.len();
            let (i, j) = (k.0, if k.1 <= k.0 { k.1 + n } else { k.1 });
            let (a, b) = (ring_projected[i % n], ring_projected[j % n]);
            let chord = geo::Line::new(
                geo::coord! { x: a[0], y: a[1] },
                geo::coord! { x: b[0], y: b[1] },
            );
            let farthest = (i + 1..j).max_by(|&x, &y| {
                let d = |m: usize| {
                    let c = ring_projected[m % n];
                    geo::Euclidean.distance(&chord, &geo::Point::new(c[0], c[1]))
                };
                d(x).total_cmp(&d(y))
            });
            if let Some(m) = farthest {
                self.forced.insert(snap(ring[m % n]));
            }
        }
        self.forced.len() - before
    }
}

/// The kept rings of an outline: (polygon, ring, kept indices of its distinct positions).
type Kept = Vec<(usize, usize, Vec<usize>)>;

/// Where a segment of a simplified outline is: polygon, ring, and its ends' indices.
type SegmentAt = (usize, usize, (usize, usize));

/// The segments of a simplified outline that cross or touch another one, as (polygon, ring,
/// (kept index, next kept index)); every segment when the outline is invalid otherwise (a
/// hole out of its polygon, a polygon inside another).
fn faulty_segments(projected: &[Polygon], kept: &Kept) -> Vec<SegmentAt> {
    let mut segments: Vec<(geo::Line<f64>, SegmentAt)> = Vec::new();
    for (p, r, points) in kept {
        let ring = open(&projected[*p][*r]);
        for (k, &i) in points.iter().enumerate() {
            let j = points[(k + 1) % points.len()];
            let (a, b) = (ring[i], ring[j]);
            segments.push((
                geo::Line::new(
                    geo::coord! { x: a[0], y: a[1] },
                    geo::coord! { x: b[0], y: b[1] },
                ),
                (*p, *r, (i, j)),
            ));
        }
    }
    let mut faulty = Vec::new();
    for (i, (s, at_s)) in segments.iter().enumerate() {
        for (t, at_t) in &segments[i + 1..] {
            let ends = [s.start, s.end];
            let crossing = match geo::algorithm::line_intersection::line_intersection(*s, *t) {
                None => false,
                Some(geo::LineIntersection::Collinear { .. }) => true,
                // Consecutive segments meet at their common end, and only there.
                Some(geo::LineIntersection::SinglePoint { intersection, .. }) => {
                    !(ends.contains(&intersection)
                        && (intersection == t.start || intersection == t.end))
                }
            };
            if crossing {
                faulty.extend([*at_s, *at_t]);
            }
        }
    }
    if faulty.is_empty() {
        faulty = segments.into_iter().map(|(_, at)| at).collect();
    }
    faulty.sort_unstable();
    faulty.dedup();
    faulty
}

/// The polygons made of the kept points of `source` (closed rings).
fn rebuild(source: &[Polygon], kept: &Kept) -> Vec<Polygon> {
    let mut polygons: Vec<Polygon> = Vec::new();
    let mut current: Option<usize> = None;
    for (p, r, points) in kept {
        let ring = &source[*p][*r];
        let mut closed: Ring = points.iter().map(|&i| ring[i]).collect();
        if let Some(&first) = closed.first() {
            closed.push(first);
        }
        if current == Some(*p) {
            if let Some(last) = polygons.last_mut() {
                last.push(closed);
            }
        } else {
            polygons.push(vec![closed]);
            current = Some(*p);
        }
    }
    polygons
}

fn multipolygon(polygons: &[Polygon]) -> geo::MultiPolygon<f64> {
    let ring = |r: &Ring| -> geo::LineString<f64> {
        r.iter().map(|p| geo::Coord { x: p[0], y: p[1] }).collect()
    };
    geo::MultiPolygon(
        polygons
            .iter()
            .map(|p| {
                let exterior = p
                    .first()
                    .map(ring)
                    .unwrap_or_else(|| geo::LineString(vec![]));
                geo::Polygon::new(exterior, p.iter().skip(1).map(ring).collect())
            })
            .collect(),
    )
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

/// Projects, simplifies and writes the geometry of every outline (same order).
pub fn geometries(path: &Path, outlines: &[Outline]) -> Result<Vec<Geometry>, EtlError> {
    let projected = outlines
        .iter()
        .map(|outline| project(path, outline).map(|polygons| Projected { outline, polygons }))
        .collect::<Result<Vec<_>, _>>()?;
    let topology = topology(outlines);
    let mut simplifier = Simplifier {
        topology: &topology,
        tolerances: outlines.iter().map(|o| tolerance(&o.code)).collect(),
        arcs: HashMap::new(),
        forced: HashSet::new(),
    };
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
        let invalid: Vec<usize> = (0..maps.len())
            .filter(|&i| !multipolygon(&maps[i]).is_valid())
            .collect();
        if invalid.is_empty() {
            return Ok(projected
                .iter()
                .zip(kept.iter().zip(&maps))
                .map(|(p, (k, map))| Geometry {
                    code: p.outline.code.clone(),
                    projection: projection(&p.outline.code).epsg,
                    tolerance: tolerance(&p.outline.code),
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
                    multipolygon(&maps[invalid[0]])
                        .check_validation()
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
    use super::*;

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
        let geometries = geometries(Path::new("test.geojson"), &outlines).unwrap();
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
