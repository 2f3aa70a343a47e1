//! Long outlines drawn from memoised coverage.
//!
//! A map's zones have the same outlines at a given size whatever is shown on it (the
//! indicator, the round, the colours, the theme): only their colours change. Rasterising
//! those outlines was more than half of a map PNG (tiny-skia filling them, 33 %, and
//! drawing their hairline borders, 21 %: bench/README.md). Here each long path's coverage
//! (what fraction of each pixel its fill, and its stroke, covers) is computed once by
//! tiny-skia itself and kept; drawing it again is blending its colour through that coverage
//! with tiny-skia's own arithmetic (its 8-bit pipeline's `lerp` and `source_over`, with the
//! same rounding), so the pixels are those resvg draws (a test compares them).
//!
//! Other paths in plain colours are drawn as resvg draws them (the same tiny-skia calls);
//! everything else (text, patterns, gradients, images, groups with a transform, an opacity
//! or a filter) by resvg itself, in document order.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use resvg::{tiny_skia, usvg};

mod capture;

/// Paths with fewer points are drawn by resvg: markers, bars, axes (text is always drawn
/// by resvg). An outline on a 1280 x 720 map has 25 to several hundred.
const MIN_POINTS: usize = 16;
/// Memo bound, in bytes of coverage (a byte a pixel of each outline's box, five a pixel of
/// its border). Past it the memo starts again.
const MAX_BYTES: usize = 64 << 20;

/// One path's coverage over its bounding box (clipped to the image), a byte a pixel.
struct Couverture {
    x: usize,
    y: usize,
    w: usize,
    h: usize,
    alpha: Box<[u8]>,
}

/// What a path's coverage depends on besides its points: the fill rule, the stroke's
/// geometry and the image's size (coverage is clipped to it).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Forme {
    regle: Option<u8>,
    /// Width, miter limit (bits), cap and join.
    trait_: Option<(u32, u32, u8, u8)>,
    taille: (u32, u32),
}

/// A hairline's coverage, segment by segment: tiny-skia draws a hairline one segment at a
/// time, so where two segments meet a pixel is blended twice, which one coverage a pixel
/// cannot say. Each pixel a segment touches (its index in the image) and its coverage, in
/// the order tiny-skia blends them.
#[derive(Default)]
struct Segments {
    pixels: Vec<u32>,
    couverture: Vec<u8>,
}

/// A path's fill coverage, and its stroke's: one coverage for a stroke over a pixel wide
/// (tiny-skia fills its outline), segments for a hairline.
struct Trace {
    path: tiny_skia::Path,
    forme: Forme,
    fill: Option<Couverture>,
    stroke: Option<Couverture>,
    hairline: Option<Segments>,
}

impl Trace {
    fn bytes(&self) -> usize {
        let n = |c: &Option<Couverture>| c.as_ref().map_or(0, |c| c.alpha.len());
        n(&self.fill)
            + n(&self.stroke)
            + self.hairline.as_ref().map_or(0, |h| h.couverture.len() * 5)
            + self.path.points().len() * 8
    }
}

#[derive(Default)]
struct Memo {
    traces: HashMap<u64, Memoire>,
    bytes: usize,
}

/// A path seen once is only noted: its coverage is computed the second time (which costs
/// about half as much again as drawing it), so that maps asked once each, at sizes never
/// seen again, cost what they cost without the memo.
enum Memoire {
    Vue,
    Trace(Arc<Trace>),
}

/// What a noted path counts for in the memo's bound.
const VUE_BYTES: usize = 64;

static MEMO: LazyLock<Mutex<Memo>> = LazyLock::new(Mutex::default);

/// Draws `tree` into `pixmap` (of the tree's size) as `resvg::render` does, long outlines
/// from the memo.
pub(crate) fn render(tree: &usvg::Tree, pixmap: &mut tiny_skia::PixmapMut) {
    let root = tree.root();
    if root.transform().is_identity() {
        walk(root, pixmap);
    } else {
        resvg::render(tree, tiny_skia::Transform::default(), pixmap);
    }
}

fn walk(group: &usvg::Group, pixmap: &mut tiny_skia::PixmapMut) {
    for node in group.children() {
        match node {
            usvg::Node::Group(g) if !g.should_isolate() && g.transform().is_identity() => {
                walk(g, pixmap);
            }
            usvg::Node::Path(path) if plain(path) => {
                if eligible(path) {
                    draw(path, pixmap);
                } else {
                    direct(path, pixmap);
                }
            }
            other => {
                // `render_node` draws a node shifted to its own box's corner, for a pixmap
                // of its own: shifted back, it lands where `resvg::render` draws it.
                if let Some(b) = other.abs_layer_bounding_box() {
                    resvg::render_node(
                        other,
                        tiny_skia::Transform::from_translate(b.x(), b.y()),
                        pixmap,
                    );
                }
            }
        }
    }
}

/// A path painted in plain colours, without a transform.
fn plain(path: &usvg::Path) -> bool {
    let couleur = |paint: &usvg::Paint| matches!(paint, usvg::Paint::Color(_));
    path.abs_transform().is_identity()
        && path.fill().is_none_or(|f| couleur(f.paint()))
        && path.stroke().is_none_or(|s| couleur(s.paint()))
}

/// A long [`plain`] path, visible, filled then stroked, antialiased, without dashes; a
/// hairline only of straight segments with butt caps (how [`Segments`] are taken apart).
fn eligible(path: &usvg::Path) -> bool {
    path.is_visible()
        && path.paint_order() == usvg::PaintOrder::FillAndStroke
        && path.rendering_mode().use_shape_antialiasing()
        && path.data().points().len() >= MIN_POINTS
        && path.stroke().is_none_or(|s| {
            s.dasharray().is_none()
                && (s.width().get() > 1.0
                    || (s.linecap() == usvg::LineCap::Butt
                        && !path.data().segments().any(|segment| {
                            matches!(
                                segment,
                                tiny_skia::PathSegment::QuadTo(..)
                                    | tiny_skia::PathSegment::CubicTo(..)
                            )
                        })))
        })
}

/// A plain path drawn as resvg draws it (`resvg::render_node` cannot draw a node without
/// an area, such as an axis's line).
fn direct(path: &usvg::Path, pixmap: &mut tiny_skia::PixmapMut) {
    if !path.is_visible() {
        return;
    }
    let paint = |colour: &usvg::Color, opacity: usvg::Opacity| {
        let mut paint = tiny_skia::Paint::default();
        paint.set_color_rgba8(colour.red, colour.green, colour.blue, opacity.to_u8());
        paint.anti_alias = path.rendering_mode().use_shape_antialiasing();
        paint
    };
    let identity = tiny_skia::Transform::identity();
    let fill = |pixmap: &mut tiny_skia::PixmapMut| {
        let bounds = path.data().bounds();
        if let Some(fill) = path.fill()
            && let usvg::Paint::Color(colour) = fill.paint()
            && bounds.width() != 0.0
            && bounds.height() != 0.0
        {
            let paint = paint(colour, fill.opacity());
            pixmap.fill_path(path.data(), &paint, regle(fill), identity, None);
        }
    };
    let stroke = |pixmap: &mut tiny_skia::PixmapMut| {
        if let Some(stroke) = path.stroke()
            && let usvg::Paint::Color(colour) = stroke.paint()
        {
            let paint = paint(colour, stroke.opacity());
            pixmap.stroke_path(path.data(), &paint, &stroke.to_tiny_skia(), identity, None);
        }
    };
    if path.paint_order() == usvg::PaintOrder::FillAndStroke {
        fill(pixmap);
        stroke(pixmap);
    } else {
        stroke(pixmap);
        fill(pixmap);
    }
}

/// A fill's rule, as tiny-skia names it.
fn regle(fill: &usvg::Fill) -> tiny_skia::FillRule {
    match fill.rule() {
        usvg::FillRule::NonZero => tiny_skia::FillRule::Winding,
        usvg::FillRule::EvenOdd => tiny_skia::FillRule::EvenOdd,
    }
}

fn forme(path: &usvg::Path, pixmap: &tiny_skia::PixmapMut) -> Forme {
    Forme {
        regle: path.fill().map(|f| regle(f) as u8),
        trait_: path.stroke().map(|s| {
            let s = s.to_tiny_skia();
            (
                s.width.to_bits(),
                s.miter_limit.to_bits(),
                s.line_cap as u8,
                s.line_join as u8,
            )
        }),
        taille: (pixmap.width(), pixmap.height()),
    }
}

fn cle(path: &tiny_skia::Path, forme: &Forme) -> u64 {
    let mut hasher = DefaultHasher::new();
    forme.hash(&mut hasher);
    path.verbs().hash(&mut hasher);
    for p in path.points() {
        (p.x.to_bits(), p.y.to_bits()).hash(&mut hasher);
    }
    hasher.finish()
}

/// The path's coverage, from the memo or computed (and kept).
fn trace(path: &usvg::Path, pixmap: &tiny_skia::PixmapMut) -> Option<Arc<Trace>> {
    let forme = forme(path, pixmap);
    let key = cle(path.data(), &forme);
    let found = {
        let mut memo = MEMO.lock().unwrap_or_else(PoisonError::into_inner);
        match memo.traces.get(&key) {
            Some(Memoire::Trace(trace)) => Some(Arc::clone(trace)),
            Some(Memoire::Vue) => None,
            None => {
                if memo.bytes + VUE_BYTES > MAX_BYTES {
                    *memo = Memo::default();
                }
                memo.traces.insert(key, Memoire::Vue);
                memo.bytes += VUE_BYTES;
                return None;
            }
        }
    };
    if let Some(trace) = found {
        // A different path with the same hash (never seen): drawn without the memo.
        return (trace.forme == forme && trace.path == *path.data()).then_some(trace);
    }
    let trace = Arc::new(capture::couvre(path, forme)?);
    let mut memo = MEMO.lock().unwrap_or_else(PoisonError::into_inner);
    let bytes = trace.bytes();
    if memo.bytes + bytes > MAX_BYTES {
        *memo = Memo::default();
    }
    memo.traces.insert(key, Memoire::Trace(Arc::clone(&trace)));
    memo.bytes += bytes;
    Some(trace)
}

fn draw(path: &usvg::Path, pixmap: &mut tiny_skia::PixmapMut) {
    let Some(trace) = trace(path, pixmap) else {
        direct(path, pixmap);
        return;
    };
    let colour = |paint: &usvg::Paint, opacity: usvg::Opacity| match paint {
        usvg::Paint::Color(c) => Some(tiny_skia::Color::from_rgba8(
            c.red,
            c.green,
            c.blue,
            opacity.to_u8(),
        )),
        _ => None,
    };
    if let (Some(fill), Some(c)) = (path.fill(), &trace.fill)
        && let Some(paint) = colour(fill.paint(), fill.opacity())
    {
        Source::new(paint).blend_box(pixmap, c);
    }
    let Some(stroke) = path.stroke() else {
        return;
    };
    let Some(mut paint) = colour(stroke.paint(), stroke.opacity()) else {
        return;
    };
    if let Some(c) = &trace.stroke {
        Source::new(paint).blend_box(pixmap, c);
    }
    if let Some(segments) = &trace.hairline {
        // tiny-skia draws a stroke under a pixel wide as a hairline, its paint's alpha
        // scaled by the width (`treat_as_hairline` and `stroke_path`, without a transform).
        let width = stroke.width().get();
        if width > 0.0 && width < 1.0 {
            let scale = (width * 256.0) as i32;
            let alpha = (255 * scale) >> 8;
            paint.apply_opacity(alpha as f32 / 255.0);
        }
        let source = Source::new(paint);
        let data = pixmap.data_mut();
        for (&i, &t) in segments.pixels.iter().zip(&segments.couverture) {
            let i = i as usize * 4;
            if let Some(pixel) = data.get_mut(i..i + 4) {
                source.blend(pixel, t);
            }
        }
    }
}

/// A plain colour as tiny-skia's 8-bit pipeline blends it, each division by 255 rounded as
/// `(v + 255) >> 8`: an opaque colour replaces the pixel, lerped by the coverage (`Source`,
/// then `lerp`); a translucent one is scaled by the coverage, then drawn over (`scale`,
/// then `source_over`).
struct Source {
    rgba: [u16; 4],
    opaque: bool,
}

impl Source {
    fn new(colour: tiny_skia::Color) -> Source {
        let s = colour.premultiply().to_color_u8();
        Source {
            rgba: [s.red(), s.green(), s.blue(), s.alpha()].map(u16::from),
            opaque: s.alpha() == u8::MAX,
        }
    }

    /// Blends through a coverage over its box.
    fn blend_box(&self, pixmap: &mut tiny_skia::PixmapMut, c: &Couverture) {
        let width = pixmap.width() as usize;
        let data = pixmap.data_mut();
        for (row, coverage) in c.alpha.chunks_exact(c.w).enumerate().take(c.h) {
            let start = ((c.y + row) * width + c.x) * 4;
            let Some(pixels) = data.get_mut(start..start + c.w * 4) else {
                return;
            };
            for (pixel, &t) in pixels.chunks_exact_mut(4).zip(coverage) {
                self.blend(pixel, t);
            }
        }
    }

    #[inline(always)]
    fn blend(&self, pixel: &mut [u8], t: u8) {
        let div255 = |v: u16| (v + 255) >> 8;
        if t == 0 {
            return;
        }
        if t == u8::MAX && self.opaque {
            // `lerp` by 255: the colour itself (the inside of a zone).
            for (d, s) in pixel.iter_mut().zip(self.rgba) {
                *d = s as u8;
            }
            return;
        }
        let t = u16::from(t);
        if self.opaque {
            for (d, s) in pixel.iter_mut().zip(self.rgba) {
                *d = div255(u16::from(*d) * (255 - t) + s * t) as u8;
            }
        } else {
            let scaled = self.rgba.map(|s| div255(s * t));
            let inverse = 255 - scaled[3];
            for (d, s) in pixel.iter_mut().zip(scaled) {
                *d = (s + div255(u16::from(*d) * inverse)) as u8;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;

    /// A star of `n` branches around (cx, cy): a long path, crossing itself when `pas` > 1
    /// (so that even-odd and non-zero differ), in whole or half pixels.
    fn etoile(cx: f64, cy: f64, r: f64, n: usize, pas: usize) -> String {
        let mut d = String::new();
        for k in 0..n {
            let a = (k * pas) as f64 * std::f64::consts::TAU / n as f64;
            let rr = if k % 2 == 0 { r } else { r * 0.55 };
            let (x, y) = (cx + rr * a.cos(), cy + rr * a.sin());
            let _ = write!(
                d,
                "{}{:.1} {:.1} ",
                if k == 0 { "M" } else { "L" },
                (x * 2.0).round() / 2.0,
                (y * 2.0).round() / 2.0
            );
        }
        d.push('Z');
        d
    }

    fn pixels(svg: &str, memo: bool) -> tiny_skia::Pixmap {
        let tree = crate::raster::parse(svg).unwrap();
        let mut pixmap = tiny_skia::Pixmap::new(400, 300).unwrap();
        if memo {
            render(&tree, &mut pixmap.as_mut());
        } else {
            resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
        }
        pixmap
    }

    /// Every way a map draws an outline (thin bevelled borders drawn as hairlines, a
    /// highlighted zone's thick round outline on its halo, even-odd holes, a hatched zone,
    /// outlines off the edge, translucent paints), and long paths the memo leaves to
    /// tiny-skia (curves, round caps under a pixel), drawn three times: the pixels resvg
    /// draws.
    #[test]
    fn memoised_outlines_have_resvg_pixels() {
        let mut svg = String::from(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" viewBox="0 0 400 300">
<defs><pattern id="h" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(45)"><rect width="8" height="8" fill="#FFFFFF"/><line x1="0" y1="0" x2="0" y2="8" stroke="#333333" stroke-width="2"/></pattern></defs>
<rect width="100%" height="100%" fill="#F8F8F8"/>
<text x="10" y="20" font-size="14">Carte d'essai</text>
<g class="carte">
"##,
        );
        let zones = [
            (
                90.0, 90.0, 80.0, 1, "#2C7BB6", "evenodd", "0.60", "bevel", "",
            ),
            (
                170.0, 120.0, 70.0, 7, "#D7191C", "evenodd", "0.30", "bevel", "",
            ),
            (
                250.0, 160.0, 90.0, 7, "#1A9641", "nonzero", "0.90", "miter", "",
            ),
            (
                380.0, 280.0, 60.0, 3, "#FDAE61", "evenodd", "0.60", "bevel", "",
            ),
            (
                300.0, 80.0, 50.0, 1, "url(#h)", "evenodd", "0.60", "bevel", "",
            ),
            (
                120.0,
                220.0,
                60.0,
                1,
                "#ABD9E9",
                "evenodd",
                "0.60",
                "bevel",
                " fill-opacity=\"0.5\" stroke-opacity=\"0.7\"",
            ),
        ];
        for (cx, cy, r, pas, fill, rule, width, join, extra) in zones {
            let _ = writeln!(
                svg,
                r##"<path fill="{fill}" fill-rule="{rule}" stroke="#808080" stroke-width="{width}" stroke-linejoin="{join}"{extra} d="{}"/>"##,
                etoile(cx, cy, r, 120, pas)
            );
        }
        // The highlighted zone: its halo, then its thick round outline.
        let d = etoile(200.0, 200.0, 45.0, 100, 1);
        let _ = writeln!(
            svg,
            r##"<path fill="none" stroke="#F8F8F8" stroke-width="6.00" stroke-linejoin="round" d="{d}"/>
<path fill="#762A83" fill-rule="evenodd" stroke="#222222" stroke-width="2.40" stroke-linejoin="round" d="{d}"/>"##
        );
        // Left to tiny-skia's own calls: a curved outline with a hairline, and a
        // round-capped hairline.
        let mut courbe = String::from("M20 280");
        for k in 0..8 {
            let x = 20.0 + 45.0 * f64::from(k);
            let _ = write!(
                courbe,
                " C{} 240 {} 300 {} 270",
                x + 15.0,
                x + 30.0,
                x + 45.0
            );
        }
        let _ = writeln!(
            svg,
            r##"<path fill="#FEE090" stroke="#808080" stroke-width="0.60" d="{courbe} Z"/>
<path fill="none" stroke="#4D4D4D" stroke-width="0.80" stroke-linecap="round" d="{}"/>"##,
            etoile(330.0, 230.0, 40.0, 60, 1).trim_end_matches('Z')
        );
        svg.push_str("</g>\n</svg>\n");
        let worst = |svg: &str| {
            let expected = pixels(svg, false);
            // Three times: the paths noted, their coverage computed, then read.
            [pixels(svg, true), pixels(svg, true), pixels(svg, true)]
                .iter()
                .flat_map(|got| got.data().iter().zip(expected.data()))
                .map(|(a, b)| a.abs_diff(*b))
                .max()
        };
        // Fills and strokes over a pixel wide: exactly resvg's pixels.
        let thick = ["0.60", "0.30", "0.90", "0.80"]
            .iter()
            .fold(svg.clone(), |svg, w| svg.replace(w, "1.50"));
        assert_eq!(worst(&thick), Some(0));
        // Hairlines too, blended segment by segment.
        assert_eq!(worst(&svg), Some(0));
        // Something was drawn from the memo: the long paths are in it.
        let memo = MEMO.lock().unwrap();
        assert!(
            memo.traces
                .values()
                .any(|m| matches!(m, Memoire::Trace(t) if t.hairline.is_some()))
        );
        assert!(memo.bytes > 0);
    }
}
