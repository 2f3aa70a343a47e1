//! SVG -> PNG with resvg, using the DejaVu Sans font shipped with the project so the
//! output never depends on the fonts of the machine.
//!
//! Three stages, measured apart in `benches/render.rs`: parsing the SVG text into a tree
//! (usvg, fonts loaded once per process), rasterising it (resvg on tiny-skia), and encoding
//! the pixels (the `png` crate, zlib level 1 on `Up`-filtered rows: see [`encode`]).

use std::sync::{Arc, LazyLock};

use resvg::{tiny_skia, usvg};

use crate::ChartError;

static FONT: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
const FAMILY: &str = "DejaVu Sans";

static FONTS: LazyLock<Arc<usvg::fontdb::Database>> = LazyLock::new(|| {
    let mut db = usvg::fontdb::Database::new();
    db.load_font_data(FONT.to_vec());
    db.set_sans_serif_family(FAMILY);
    db.set_serif_family(FAMILY);
    db.set_monospace_family(FAMILY);
    Arc::new(db)
});

/// Rasterizes an SVG at its own size.
pub fn svg_to_png(svg: &str) -> Result<Vec<u8>, ChartError> {
    encode(&rasterize(&parse(svg)?)?)
}

/// Stage 1: the SVG text as a render tree, with the project's font.
pub fn parse(svg: &str) -> Result<usvg::Tree, ChartError> {
    let options = usvg::Options {
        font_family: FAMILY.to_owned(),
        fontdb: Arc::clone(&FONTS),
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(svg, &options).map_err(|e| ChartError::Png(e.to_string()))
}

/// Stage 2: the tree drawn into premultiplied RGBA pixels, at the tree's size, as
/// `resvg::render` draws it; long outlines (a map's zones) from their memoised coverage
/// ([`crate::couvertures`]).
pub fn rasterize(tree: &usvg::Tree) -> Result<tiny_skia::Pixmap, ChartError> {
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).ok_or_else(|| {
        ChartError::Png(format!(
            "cannot allocate {}x{}",
            size.width(),
            size.height()
        ))
    })?;
    crate::couvertures::render(tree, &mut pixmap.as_mut());
    Ok(pixmap)
}

/// Stage 3: the pixels as an 8-bit RGBA PNG (straight alpha, as PNG wants), compressed for
/// speed.
pub fn encode(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, ChartError> {
    // Charts paint an opaque background: premultiplied and straight alpha are then the same
    // bytes, and no copy is needed.
    // Folded by blocks without a branch a pixel, so that the compiler vectorises it (a
    // pixel-by-pixel `all` was a twentieth of a PNG).
    let opaque = pixmap
        .pixels()
        .chunks(4096)
        .all(|block| block.iter().fold(u8::MAX, |a, p| a & p.alpha()) == u8::MAX);
    let straight: Vec<u8>;
    let rgba: &[u8] = if opaque {
        pixmap.data()
    } else {
        straight = pixmap
            .pixels()
            .iter()
            .flat_map(|p| {
                let c = p.demultiply();
                [c.red(), c.green(), c.blue(), c.alpha()]
            })
            .collect();
        &straight
    };
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    // zlib level 1 on rows filtered by `Up`: measured on a 1280 x 720 scatter and map
    // (bench/README.md), 6 times faster than tiny-skia's default (adaptive filters, level 6)
    // for files 1.2 to 1.6 times larger; fdeflate (`Compression::Fast`) was as fast but made
    // files 1.4 to 2.2 times larger.
    encoder.set_compression(png::Compression::Balanced);
    encoder.set_deflate_compression(png::DeflateCompression::Level(1));
    encoder.set_filter(png::Filter::Up);
    let mut writer = encoder
        .write_header()
        .map_err(|e| ChartError::Png(e.to_string()))?;
    writer
        .write_image_data(rgba)
        .map_err(|e| ChartError::Png(e.to_string()))?;
    writer
        .finish()
        .map_err(|e| ChartError::Png(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    /// The shipped font has no `kern` table (see `fonts/README.md`), and text is still
    /// kerned, by its `GPOS` table: "AV" is narrower than "A" and "V" apart.
    #[test]
    fn text_is_kerned_without_the_kern_table() {
        let width = |text: &str| {
            let svg = format!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="100"><text x="10" y="60" font-size="40">{text}</text></svg>"#
            );
            let tree = super::parse(&svg).unwrap();
            tree.root().abs_bounding_box().width()
        };
        let font = font_tables();
        assert!(!font.contains(b"kern") && font.contains(b"GPOS"));
        let (a, v, av) = (width("A"), width("V"), width("AV"));
        assert!(av < a + v - 1.0, "AV {av}, A {a}, V {v}");
    }

    /// The tags of the font's tables, read from its table directory.
    fn font_tables() -> Vec<[u8; 4]> {
        let font = super::FONT;
        let count = usize::from(u16::from_be_bytes([font[4], font[5]]));
        (0..count)
            .map(|i| {
                let at = 12 + 16 * i;
                [font[at], font[at + 1], font[at + 2], font[at + 3]]
            })
            .collect()
    }

    /// The fast encoder changes the file, not the picture: decoded, its pixels are those of
    /// tiny-skia's own encoder (the one used before), on a chart with text, paths and alpha.
    #[test]
    fn fast_encoding_keeps_every_pixel() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="320" height="200">
            <rect width="100%" height="100%" fill="#FFFFFF"/>
            <path d="M10 190 L150 20 L310 150 Z" fill="#2C7BB6" fill-opacity="0.6"/>
            <circle cx="160" cy="100" r="40" fill="#D7191C" opacity="0.5"/>
            <text x="20" y="40" font-size="18" font-family="sans-serif">Chômage 7,3 %</text>
        </svg>"##;
        let pixmap = super::rasterize(&super::parse(svg).unwrap()).unwrap();
        let before = pixmap.encode_png().unwrap();
        let after = super::encode(&pixmap).unwrap();
        let decode = |bytes: &[u8]| {
            let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
                .read_info()
                .unwrap();
            let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
            let info = reader.next_frame(&mut buffer).unwrap();
            buffer.truncate(info.buffer_size());
            (info.width, info.height, info.color_type, buffer)
        };
        assert_eq!(decode(&before), decode(&after));
        // A little larger at most.
        assert!(
            after.len() < 2 * before.len(),
            "{} vs {}",
            after.len(),
            before.len()
        );
        // Text was drawn: not every pixel is background.
        assert!(pixmap.pixels().iter().any(|p| p.red() < 100));
        // Without a background (transparent pixels), the straight-alpha path: same pixels.
        let clear = svg.replace(r##"<rect width="100%" height="100%" fill="#FFFFFF"/>"##, "");
        let pixmap = super::rasterize(&super::parse(&clear).unwrap()).unwrap();
        assert!(pixmap.pixels().iter().any(|p| p.alpha() < u8::MAX));
        assert_eq!(
            decode(&pixmap.encode_png().unwrap()),
            decode(&super::encode(&pixmap).unwrap())
        );
    }
}
