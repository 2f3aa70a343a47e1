//! Computing a path's coverage, once, with tiny-skia itself (see the parent module).

use resvg::{tiny_skia, usvg};

use super::{Couverture, Forme, Segments, Trace};

/// Computes a path's coverage with tiny-skia, in pixmaps the size of its box: its fill,
/// and its stroke (a hairline's drawn at full strength, the thinness applied when
/// blending, as tiny-skia does).
pub(super) fn couvre(path: &usvg::Path, forme: Forme) -> Option<Trace> {
    let data = path.data();
    let opaque = tiny_skia::Paint {
        anti_alias: true,
        ..tiny_skia::Paint::default()
    };
    let fill = match path.fill() {
        Some(fill) => capture(data, 1.0, forme.taille, |pixmap, moved| {
            let rule = super::regle(fill);
            pixmap.fill_path(moved, &opaque, rule, tiny_skia::Transform::identity(), None);
        }),
        None => None,
    };
    let (mut stroke, mut hairline) = (None, None);
    if let Some(usvg_stroke) = path.stroke() {
        let tiny = usvg_stroke.to_tiny_skia();
        if tiny.width <= 1.0 {
            hairline = Some(segments(data, tiny.line_cap, forme.taille)?);
        } else if let Some(outline) = data.stroke(&tiny, 1.0) {
            // Stroked where it is (as tiny-skia does), then moved: the stroker's arithmetic
            // on other coordinates would round otherwise.
            stroke = capture(&outline, 1.0, forme.taille, |pixmap, moved| {
                pixmap.fill_path(
                    moved,
                    &opaque,
                    tiny_skia::FillRule::Winding,
                    tiny_skia::Transform::identity(),
                    None,
                );
            });
        }
    }
    Some(Trace {
        path: data.clone(),
        forme,
        fill,
        stroke,
        hairline,
    })
}

/// A hairline's segments, each stroked alone in opaque black as tiny-skia strokes it within
/// the whole path (`hairline::stroke_path_impl`: a butt-capped segment is drawn alone):
/// the pixels it covers, in order. `None` for curves and capped lines (not memoised).
fn segments(
    path: &tiny_skia::Path,
    cap: tiny_skia::LineCap,
    taille: (u32, u32),
) -> Option<Segments> {
    if cap != tiny_skia::LineCap::Butt {
        return None;
    }
    let opaque = tiny_skia::Paint {
        anti_alias: true,
        ..tiny_skia::Paint::default()
    };
    let hairline = tiny_skia::Stroke {
        width: 0.0,
        ..tiny_skia::Stroke::default()
    };
    let mut out = Segments::default();
    let (mut first, mut last) = (tiny_skia::Point::zero(), tiny_skia::Point::zero());
    for segment in path.segments() {
        let (a, b) = match segment {
            tiny_skia::PathSegment::MoveTo(p) => {
                (first, last) = (p, p);
                continue;
            }
            tiny_skia::PathSegment::LineTo(p) => (std::mem::replace(&mut last, p), p),
            tiny_skia::PathSegment::Close => (last, first),
            _ => return None,
        };
        let mut builder = tiny_skia::PathBuilder::new();
        builder.move_to(a.x, a.y);
        builder.line_to(b.x, b.y);
        let Some(line) = builder.finish() else {
            continue;
        };
        let Some(c) = capture(&line, 2.0, taille, |pixmap, moved| {
            pixmap.stroke_path(
                moved,
                &opaque,
                &hairline,
                tiny_skia::Transform::identity(),
                None,
            );
        }) else {
            continue;
        };
        for (k, &t) in c.alpha.iter().enumerate() {
            if t > 0 {
                let (x, y) = (c.x + k % c.w, c.y + k / c.w);
                out.pixels
                    .push(u32::try_from(y * taille.0 as usize + x).ok()?);
                out.couverture.push(t);
            }
        }
    }
    Some(out)
}

/// Draws `path` (moved to the box's corner) into a transparent pixmap the size of its box
/// widened by `margin` and clipped to the image, in opaque black, and keeps its alpha: the
/// coverage.
fn capture(
    path: &tiny_skia::Path,
    margin: f32,
    (width, height): (u32, u32),
    draw: impl FnOnce(&mut tiny_skia::Pixmap, &tiny_skia::Path),
) -> Option<Couverture> {
    let b = path.bounds();
    let clamp = |v: f32, max: u32| (v.max(0.0) as u32).min(max) as usize;
    let (x0, y0) = (
        clamp((b.left() - margin).floor(), width),
        clamp((b.top() - margin).floor(), height),
    );
    let (x1, y1) = (
        clamp((b.right() + margin).ceil(), width),
        clamp((b.bottom() + margin).ceil(), height),
    );
    if x1 <= x0 || y1 <= y0 {
        return None;
    }
    let (w, h) = (x1 - x0, y1 - y0);
    let mut pixmap = tiny_skia::Pixmap::new(u32::try_from(w).ok()?, u32::try_from(h).ok()?)?;
    let moved = path
        .clone()
        .transform(tiny_skia::Transform::from_translate(
            -(x0 as f32),
            -(y0 as f32),
        ))?;
    draw(&mut pixmap, &moved);
    Some(Couverture {
        x: x0,
        y: y0,
        w,
        h,
        alpha: pixmap.pixels().iter().map(|p| p.alpha()).collect(),
    })
}
