//! Charts as pure functions: data in, SVG text out (plotters), and the same SVG
//! rasterized to PNG (resvg, with the font shipped in `fonts/`). No I/O, no HTTP.
//!
//! Every chart carries a `<title>` and `<desc>`, a `viewBox` so it scales, French labels,
//! and one fixed colour per political family ([`palette`]). Text from data or from a
//! request is escaped by the SVG backend; `<title>`/`<desc>` are escaped here.

pub mod carte;
pub mod classes;
mod couvertures;
pub mod palette;
mod plots;
pub mod raster;
mod svg;

pub use plots::{
    Bar, BoxGroup, Curve, Panel, ScatterPoint, bars, bars_with_reference, boxplot,
    confusion_matrices, diverging_bars, fr, heatmap, histogram, roc_curves, scatter,
    signed_bars_with_errors, time_series,
};
pub use raster::svg_to_png;

/// Light or dark background.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

/// What every chart takes besides its data.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartOptions {
    pub width: u32,
    pub height: u32,
    pub theme: Theme,
    /// Shown above the chart and as the SVG `<title>`.
    pub title: String,
    /// The SVG `<desc>`: what the chart shows, for screen readers.
    pub description: String,
}

/// Size, theme and an optional title replacing a chart's default one: what a reader of a
/// chart URL chooses.
#[derive(Debug, Clone, PartialEq)]
pub struct Look {
    pub width: u32,
    pub height: u32,
    pub theme: Theme,
    pub title: Option<String>,
}

impl Default for Look {
    fn default() -> Look {
        Look {
            width: DEFAULT_WIDTH,
            height: DEFAULT_HEIGHT,
            theme: Theme::Light,
            title: None,
        }
    }
}

impl Look {
    /// The chart options, with `title` unless the reader chose another.
    pub fn options(&self, title: &str, description: &str) -> ChartOptions {
        ChartOptions {
            width: self.width,
            height: self.height,
            theme: self.theme,
            title: xml_text(self.title.as_deref().unwrap_or(title)),
            description: description.to_owned(),
        }
    }
}

/// Size bounds accepted for any chart (pixels).
pub const MIN_SIZE: u32 = 200;
pub const MAX_SIZE: u32 = 4000;
/// Default size: 16:9, legible on a slide.
pub const DEFAULT_WIDTH: u32 = 1280;
pub const DEFAULT_HEIGHT: u32 = 720;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ChartError {
    #[error("chart size {width}x{height} is outside {MIN_SIZE}..={MAX_SIZE} pixels")]
    Size { width: u32, height: u32 },
    #[error("nothing to draw: {0}")]
    NoData(String),
    #[error("drawing failed: {0}")]
    Draw(String),
    #[error("PNG rendering failed: {0}")]
    Png(String),
}

/// Escapes text for XML content and attributes.
/// A text XML can carry: characters XML 1.0 forbids (controls, U+FFFE, U+FFFF) become spaces.
pub fn xml_text(text: &str) -> String {
    text.chars()
        .map(|c| if is_xml_char(c) { c } else { ' ' })
        .collect()
}

/// True for the characters XML 1.0 allows.
pub fn is_xml_char(c: char) -> bool {
    !(((c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r')) || c == '\u{FFFE}' || c == '\u{FFFF}')
}

pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_xml(&mut out, text);
    out
}

/// [`escape_xml`], written at the end of `out`: runs of characters that need nothing are
/// copied whole (a map writes a hundred titles).
pub fn push_xml(out: &mut String, text: &str) {
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let replacement = match c {
            '<' => "&lt;",
            '>' => "&gt;",
            '&' => "&amp;",
            '"' => "&quot;",
            '\'' => "&apos;",
            c if !is_xml_char(c) => " ",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        out.push_str(replacement);
        start = i + c.len_utf8();
    }
    out.push_str(&text[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape_xml("<script>alert('x')</script> & \"q\"\u{1}"),
            "&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;q&quot; "
        );
    }

    /// Appending writes what a character-by-character escape writes, after what is there:
    /// multi-byte characters next to replaced ones, a replacement first and last, nothing to
    /// replace, nothing at all.
    #[test]
    fn appended_escapes_are_the_characters_escaped_one_by_one() {
        let one_by_one = |text: &str| -> String {
            text.chars()
                .map(|c| match c {
                    '<' => "&lt;".to_owned(),
                    '>' => "&gt;".to_owned(),
                    '&' => "&amp;".to_owned(),
                    '"' => "&quot;".to_owned(),
                    '\'' => "&apos;".to_owned(),
                    c if !is_xml_char(c) => " ".to_owned(),
                    c => c.to_string(),
                })
                .collect()
        };
        for text in [
            "",
            "Côte-d'Or",
            "<é>",
            "Val-d'Oise (95) : 12,3\u{a0}%",
            "\u{b}Saône & Loire\u{fffe}",
            "Ω\"",
            "Bouches-du-Rhône",
        ] {
            let mut out = String::from("<path>");
            push_xml(&mut out, text);
            assert_eq!(out, format!("<path>{}", one_by_one(text)), "{text}");
        }
    }
}
