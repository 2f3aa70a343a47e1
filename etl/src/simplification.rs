//! Topology-preserving simplification of the départements' outlines (see [`crate::carte`]):
//! `geo`'s Ramer–Douglas–Peucker on *arcs*. Every ring is cut at its junctions (the points
//! where the set of outlines owning a point changes, from [`crate::geo::owners`]), each arc
//! is simplified once in a canonical direction and both neighbours reuse its kept points, so
//! shared borders stay shared. Where a simplified outline is not valid, each faulty segment
//! gets back its farthest left-out point, which then cuts the arcs through it on both sides.

use std::collections::{HashMap, HashSet};

use geo::{Distance, SimplifyIdx};

use crate::geo::{Outline, Owners, Polygon, Ring, snap};

type Key = (i64, i64);

/// Who owns each point (indices of outlines), and the junctions: points where the set of
/// owners changes along a ring.
pub(crate) struct Topology {
    owners: Owners,
    junctions: HashSet<Key>,
}

/// The distinct positions of a closed ring (its last, repeated first, left out).
fn open(ring: &Ring) -> &[[f64; 2]] {
    &ring[..ring.len().saturating_sub(1)]
}

pub(crate) fn topology(outlines: &[Outline], owners: Owners) -> Topology {
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
pub(crate) struct Simplifier<'a> {
    topology: &'a Topology,
    tolerances: Vec<f64>,
    arcs: HashMap<Vec<Key>, Vec<usize>>,
    forced: HashSet<Key>,
    exclaves: usize,
}

impl<'a> Simplifier<'a> {
    /// Nothing simplified yet; `tolerances[i]` is outline i's tolerance in metres.
    pub(crate) fn new(topology: &'a Topology, tolerances: Vec<f64>) -> Simplifier<'a> {
        Simplifier {
            topology,
            tolerances,
            arcs: HashMap::new(),
            forced: HashSet::new(),
            exclaves: 0,
        }
    }

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
    pub(crate) fn outline(&mut self, outline: &Outline, projected: &[Polygon]) -> Kept {
        let mut kept: Kept = Vec::new();
        for (p, (polygon, polygon_projected)) in outline.polygons.iter().zip(projected).enumerate()
        {
            for (r, (ring, ring_projected)) in polygon.iter().zip(polygon_projected).enumerate() {
                let points = self.ring(open(ring), open(ring_projected));
                if points.len() >= 3 {
                    kept.push((p, r, points));
                } else if self.force_exclave(open(ring), open(ring_projected), &points) {
                    // An exclave under the tolerance (its whole edge shared with another
                    // département): kept as a triangle, on the next round, on both sides.
                    continue;
                } else if r == 0 {
                    // An island under the tolerance: left out, holes and all.
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

    /// A ring reduced to fewer than 3 points whose edge is shared with another outline (an
    /// exclave, or the hole it leaves in its neighbour) would vanish, and the land with it:
    /// forces back the point farthest from the points kept, so that it stays a triangle.
    /// Returns whether a point was forced (the outlines must then be simplified again).
    fn force_exclave(&mut self, ring: &[[f64; 2]], projected: &[[f64; 2]], kept: &[usize]) -> bool {
        let shared = ring.iter().any(|p| {
            self.topology
                .owners
                .get(&snap(*p))
                .is_some_and(|o| o.len() > 1)
        });
        if !shared || ring.len() < 3 {
            return false;
        }
        let gap = |i: usize| {
            kept.iter()
                .map(|&k| {
                    let (a, b) = (projected[k], projected[i]);
                    (a[0] - b[0]).hypot(a[1] - b[1])
                })
                .fold(f64::INFINITY, f64::min)
        };
        let farthest = (0..ring.len())
            .filter(|&i| !self.forced.contains(&snap(ring[i])))
            .max_by(|&i, &j| {
                gap(i)
                    .total_cmp(&gap(j))
                    .then_with(|| snap(ring[j]).cmp(&snap(ring[i])))
            });
        match farthest {
            Some(i) if gap(i) > 0.0 && self.forced.insert(snap(ring[i])) => {
                self.exclaves += 1;
                true
            }
            _ => false,
        }
    }

    /// How many points were forced since the last call to keep exclaves: when any, the
    /// outlines must be simplified again.
    pub(crate) fn take_exclaves(&mut self) -> usize {
        std::mem::take(&mut self.exclaves)
    }

    /// Forces back, for every faulty segment of an outline, the left-out point farthest from
    /// it (the next one Ramer–Douglas–Peucker would keep). Returns how many were forced.
    pub(crate) fn refine(
        &mut self,
        outline: &Outline,
        projected: &[Polygon],
        kept: &Kept,
    ) -> usize {
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
pub(crate) type Kept = Vec<(usize, usize, Vec<usize>)>;

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
pub(crate) fn rebuild(source: &[Polygon], kept: &Kept) -> Vec<Polygon> {
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

pub(crate) fn multipolygon(polygons: &[Polygon]) -> geo::MultiPolygon<f64> {
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
