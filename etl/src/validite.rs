//! OGC validity of outlines, deciding exactly as `geo`'s [`Validation`] for multipolygons
//! does, with the same errors in the same order, but for its one quadratic step: whether a
//! ring crosses or touches itself. `geo` compares every pair of a ring's segments (about 2 s
//! of CPU for the outlines file, two thirds of a whole `etl` run); here geo's own sweep-line
//! [`Intersections`] finds the intersecting pairs, which on outlines costs close to
//! O(n log n). The rule applied to each pair is geo's: two segments that intersect and do
//! not follow one another (end of one = start of the other) make the ring self-intersecting.
//! The rest (too few points, non-finite coordinates, holes against their exterior and each
//! other, polygons against each other) is geo's code path, called through its public API.
//! Tests compare the verdicts with `check_validation` on the real file and on faulty shapes
//! (the one difference: a non-finite coordinate, which JSON cannot hold, is named as such
//! where geo's pairwise test reports a spurious self-intersection first).
//!
//! [`Validation`]: geo::Validation

use geo::algorithm::validation::{
    CoordIndex, GeometryIndex, InvalidMultiPolygon, InvalidPolygon, RingRole,
};
use geo::coordinate_position::CoordPos;
use geo::dimensions::Dimensions;
use geo::{
    HasDimensions, Intersections, LineString, MultiPolygon, Polygon, PreparedGeometry, Relate,
    RemoveRepeatedPoints,
};

/// The first validity error of `multi`, as `geo`'s `check_validation` reports it.
pub fn check(multi: &MultiPolygon<f64>) -> Result<(), InvalidMultiPolygon> {
    for (i, polygon) in multi.0.iter().enumerate() {
        check_polygon(polygon)
            .map_err(|e| InvalidMultiPolygon::InvalidPolygon(GeometryIndex(i), e))?;
        // Elements must not overlap and may touch at points only.
        for (j, other) in multi.0.iter().enumerate().skip(i + 1) {
            let im = polygon.relate(other);
            if im.get(CoordPos::Inside, CoordPos::Inside) == Dimensions::TwoDimensional {
                return Err(InvalidMultiPolygon::ElementsOverlaps(
                    GeometryIndex(i),
                    GeometryIndex(j),
                ));
            }
            if im.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional {
                return Err(InvalidMultiPolygon::ElementsTouchOnALine(
                    GeometryIndex(i),
                    GeometryIndex(j),
                ));
            }
        }
    }
    Ok(())
}

/// Whether two segments of the ring intersect other than where one follows the other.
fn self_intersects(ring: &LineString<f64>) -> bool {
    Intersections::from_iter(ring.lines()).any(|(a, b, _)| a.start != b.end && a.end != b.start)
}

fn check_polygon(polygon: &Polygon<f64>) -> Result<(), InvalidPolygon> {
    if polygon.is_empty() {
        return Ok(());
    }
    let rings = std::iter::once(polygon.exterior()).chain(polygon.interiors());
    for (index, ring) in rings.enumerate() {
        if ring.is_empty() {
            continue;
        }
        let role = || match index {
            0 => RingRole::Exterior,
            k => RingRole::Interior(k - 1),
        };
        if ring.remove_repeated_points().0.len() < 4 {
            return Err(InvalidPolygon::TooFewPointsInRing(role()));
        }
        if self_intersects(ring) {
            return Err(InvalidPolygon::SelfIntersection(role()));
        }
        if let Some(k) = ring
            .0
            .iter()
            .position(|c| !c.x.is_finite() || !c.y.is_finite())
        {
            return Err(InvalidPolygon::NonFiniteCoord(role(), CoordIndex(k)));
        }
    }
    if !polygon.interiors().iter().any(|ring| !ring.is_empty()) {
        return Ok(());
    }
    let exterior = Polygon::new(polygon.exterior().clone(), vec![]);
    let prepared_exterior = PreparedGeometry::from(&exterior);
    for (i, interior) in polygon.interiors().iter().enumerate() {
        if interior.is_empty() {
            continue;
        }
        let hole = Polygon::new(interior.clone(), vec![]);
        let prepared_hole = PreparedGeometry::from(&hole);
        let im = prepared_exterior.relate(&prepared_hole);
        if !im.is_contains() {
            return Err(InvalidPolygon::InteriorRingNotContainedInExteriorRing(
                RingRole::Interior(i),
            ));
        }
        if im.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional {
            return Err(InvalidPolygon::IntersectingRingsOnALine(
                RingRole::Exterior,
                RingRole::Interior(i),
            ));
        }
        for (j, other) in polygon.interiors().iter().enumerate().skip(i + 1) {
            if other.is_empty() {
                continue;
            }
            let im = prepared_hole.relate(&Polygon::new(other.clone(), vec![]));
            if im.get(CoordPos::Inside, CoordPos::Inside) == Dimensions::TwoDimensional {
                return Err(InvalidPolygon::IntersectingRingsOnAnArea(
                    RingRole::Interior(i),
                    RingRole::Interior(j),
                ));
            }
            if im.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional {
                return Err(InvalidPolygon::IntersectingRingsOnALine(
                    RingRole::Interior(i),
                    RingRole::Interior(j),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Validation, polygon};

    fn same_as_geo(multi: &MultiPolygon<f64>) -> Result<(), InvalidMultiPolygon> {
        let ours = check(multi);
        let theirs = multi.check_validation();
        assert_eq!(ours, theirs, "{multi:?}");
        ours
    }

    #[test]
    fn faulty_shapes_get_geos_errors() {
        let square = polygon![(x: 0., y: 0.), (x: 4., y: 0.), (x: 4., y: 4.), (x: 0., y: 4.)];
        assert_eq!(same_as_geo(&MultiPolygon(vec![square.clone()])), Ok(()));
        let bowtie = polygon![(x: 0., y: 0.), (x: 4., y: 4.), (x: 4., y: 0.), (x: 0., y: 4.)];
        assert!(same_as_geo(&MultiPolygon(vec![square.clone(), bowtie])).is_err());
        // A ring touching itself at a point (not consecutive segments).
        let pinched = polygon![
            (x: 0., y: 0.), (x: 4., y: 0.), (x: 2., y: 2.), (x: 4., y: 4.), (x: 0., y: 4.),
            (x: 2., y: 2.)
        ];
        assert!(same_as_geo(&MultiPolygon(vec![pinched])).is_err());
        let spike = polygon![(x: 0., y: 0.), (x: 4., y: 0.), (x: 8., y: 0.), (x: 4., y: 0.), (x: 4., y: 4.)];
        same_as_geo(&MultiPolygon(vec![spike])).ok();
        let shifted = polygon![(x: 2., y: 2.), (x: 6., y: 2.), (x: 6., y: 6.), (x: 2., y: 6.)];
        assert!(same_as_geo(&MultiPolygon(vec![square.clone(), shifted])).is_err());
        let beside = polygon![(x: 4., y: 0.), (x: 8., y: 0.), (x: 8., y: 4.), (x: 4., y: 4.)];
        assert!(same_as_geo(&MultiPolygon(vec![square.clone(), beside])).is_err());
        let holed = polygon!(
            exterior: [(x: 0., y: 0.), (x: 9., y: 0.), (x: 9., y: 9.), (x: 0., y: 9.)],
            interiors: [
                [(x: 1., y: 1.), (x: 3., y: 1.), (x: 3., y: 3.), (x: 1., y: 3.)],
                [(x: 2., y: 2.), (x: 5., y: 2.), (x: 5., y: 5.), (x: 2., y: 5.)],
            ],
        );
        assert!(same_as_geo(&MultiPolygon(vec![holed])).is_err());
        let outside = polygon!(
            exterior: [(x: 0., y: 0.), (x: 4., y: 0.), (x: 4., y: 4.), (x: 0., y: 4.)],
            interiors: [[(x: 5., y: 5.), (x: 6., y: 5.), (x: 6., y: 6.)]],
        );
        assert!(same_as_geo(&MultiPolygon(vec![outside])).is_err());
        let short = polygon![(x: 0., y: 0.), (x: 4., y: 0.), (x: 0., y: 0.)];
        assert!(same_as_geo(&MultiPolygon(vec![short])).is_err());
        // JSON cannot hold one, but: geo's pairwise test sees a spurious self-intersection
        // in a segment to infinity; both refuse the ring, ours naming the coordinate.
        let infinite = MultiPolygon(vec![polygon![
            (x: 0., y: 0.), (x: f64::INFINITY, y: 0.), (x: 4., y: 4.), (x: 0., y: 4.)
        ]]);
        assert!(infinite.check_validation().is_err());
        assert_eq!(
            check(&infinite),
            Err(InvalidMultiPolygon::InvalidPolygon(
                GeometryIndex(0),
                InvalidPolygon::NonFiniteCoord(RingRole::Exterior, CoordIndex(1))
            ))
        );
    }
}
