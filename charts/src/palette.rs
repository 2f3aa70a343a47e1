//! Colours: one fixed, colour-blind-safe colour per political family everywhere
//! (Okabe–Ito palette), and a diverging blue–white–red scale for correlations.

use plotters::style::RGBColor;

use crate::Theme;

/// The colour of a political family; grey for anything else.
pub fn famille(code: &str) -> RGBColor {
    match code {
        "gauche" => RGBColor(0xD5, 0x5E, 0x00),         // vermillion
        "centre" => RGBColor(0xE6, 0x9F, 0x00),         // orange
        "droite" => RGBColor(0x56, 0xB4, 0xE9),         // sky blue
        "extreme_droite" => RGBColor(0x00, 0x3F, 0x7F), // dark blue
        _ => RGBColor(0x99, 0x99, 0x99),
    }
}

/// Bars and lines that are not about a family.
pub const NEUTRE: RGBColor = RGBColor(0x00, 0x9E, 0x73); // bluish green

pub struct Colors {
    pub background: RGBColor,
    pub foreground: RGBColor,
    pub grid: RGBColor,
}

pub fn colors(theme: Theme) -> Colors {
    match theme {
        Theme::Light => Colors {
            background: RGBColor(0xFF, 0xFF, 0xFF),
            foreground: RGBColor(0x22, 0x22, 0x22),
            grid: RGBColor(0xDD, 0xDD, 0xDD),
        },
        Theme::Dark => Colors {
            background: RGBColor(0x1E, 0x1E, 0x1E),
            foreground: RGBColor(0xEE, 0xEE, 0xEE),
            grid: RGBColor(0x44, 0x44, 0x44),
        },
    }
}

/// Diverging scale for a value in [-1, 1]: blue (-1), white (0), red (+1) (RdBu, readable
/// with the common colour-vision deficiencies).
pub fn diverging(value: f64) -> RGBColor {
    let v = value.clamp(-1.0, 1.0);
    let (blue, white, red) = ((0x21, 0x66, 0xAC), (0xF7, 0xF7, 0xF7), (0xB2, 0x18, 0x2B));
    let mix = |a: (u8, u8, u8), b: (u8, u8, u8), t: f64| {
        let c = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
        RGBColor(c(a.0, b.0), c(a.1, b.1), c(a.2, b.2))
    };
    if v < 0.0 {
        mix(white, blue, -v)
    } else {
        mix(white, red, v)
    }
}

/// Sequential scale for a share in [0, 1]: near-white to dark blue.
pub fn sequential(share: f64) -> RGBColor {
    let t = share.clamp(0.0, 1.0);
    let (a, b) = ((0xF7, 0xFB, 0xFF), (0x08, 0x30, 0x6B));
    let c = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
    RGBColor(c(a.0, b.0), c(a.1, b.1), c(a.2, b.2))
}

/// Black or white, whichever reads better on `background`.
pub fn text_on(background: RGBColor) -> RGBColor {
    let RGBColor(r, g, b) = background;
    let luminance = 0.299 * f64::from(r) + 0.587 * f64::from(g) + 0.114 * f64::from(b);
    if luminance > 140.0 {
        RGBColor(0, 0, 0)
    } else {
        RGBColor(0xFF, 0xFF, 0xFF)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diverging_scale_ends_and_middle() {
        assert_eq!(diverging(-1.0), RGBColor(0x21, 0x66, 0xAC));
        assert_eq!(diverging(0.0), RGBColor(0xF7, 0xF7, 0xF7));
        assert_eq!(diverging(1.0), RGBColor(0xB2, 0x18, 0x2B));
        assert_eq!(diverging(7.0), diverging(1.0));
    }

    #[test]
    fn every_family_has_its_own_colour() {
        let codes = ["gauche", "centre", "droite", "extreme_droite"];
        for a in codes {
            for b in codes {
                assert_eq!(a == b, famille(a) == famille(b));
            }
        }
    }
}
