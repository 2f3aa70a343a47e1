//! Colours: one fixed, colour-blind-safe colour per political family everywhere
//! (Okabe–Ito palette), and a diverging blue–white–red scale for correlations.

use plotters::style::RGBColor;

use crate::Theme;

/// The colour of a political family on a theme's background; grey for anything else. The
/// extreme right's dark blue has too little contrast on the dark background (1.6:1): there it
/// is Okabe–Ito's blue (3.2:1), still apart from the right's sky blue.
pub fn famille(code: &str, theme: Theme) -> RGBColor {
    match (code, theme) {
        ("gauche", _) => RGBColor(0xD5, 0x5E, 0x00), // vermillion
        ("centre", _) => RGBColor(0xE6, 0x9F, 0x00), // orange
        ("droite", _) => RGBColor(0x56, 0xB4, 0xE9), // sky blue
        ("extreme_droite", Theme::Light) => RGBColor(0x00, 0x3F, 0x7F), // dark blue
        ("extreme_droite", Theme::Dark) => RGBColor(0x00, 0x72, 0xB2), // blue
        ("divers", _) => RGBColor(0xCC, 0x79, 0xA7), // reddish purple
        _ => RGBColor(0x99, 0x99, 0x99),
    }
}

/// The colour of a category on a theme: a family's colour, Okabe–Ito's bluish green for a
/// right prediction and vermillion for a wrong one, and the LISA clusters' conventional
/// colours (GeoDa's: red hot spots, blue cold spots, their pale versions for the outliers,
/// grey for not significant).
pub fn categorie(code: &str, theme: Theme) -> RGBColor {
    match (code, theme) {
        ("juste", _) => RGBColor(0x00, 0x9E, 0x73),
        ("faux", _) => RGBColor(0xD5, 0x5E, 0x00),
        ("HH", _) => RGBColor(0xD7, 0x19, 0x1C),
        ("LL", _) => RGBColor(0x2C, 0x7B, 0xB6),
        ("HL", _) => RGBColor(0xFD, 0xAE, 0x61),
        ("LH", _) => RGBColor(0xAB, 0xD9, 0xE9),
        ("ns", Theme::Light) => RGBColor(0xD9, 0xD9, 0xD9),
        ("ns", Theme::Dark) => RGBColor(0x5A, 0x5A, 0x5A),
        (other, _) => nuance(other).unwrap_or_else(|| famille(other, theme)),
    }
}

/// The colour the press conventionally gives a legislative nuance of the Ministry (upper-case
/// codes, so they never meet a family's code); `None` for an unknown one, drawn in its
/// family's colour.
pub fn nuance(code: &str) -> Option<RGBColor> {
    let (r, g, b) = match code {
        "EXG" | "DXG" => (0x8B, 0x00, 0x00),
        "COM" => (0xDD, 0x00, 0x00),
        "FI" => (0xCC, 0x24, 0x43),
        "NUP" | "UG" => (0xE4, 0x03, 0x2E),
        "SOC" => (0xFF, 0x80, 0x80),
        "RDG" => (0xFF, 0xA0, 0x7A),
        "DVG" => (0xFF, 0xC0, 0xC0),
        "ECO" | "VEC" => (0x00, 0xA0, 0x50),
        "REG" => (0xB8, 0x86, 0x4B),
        "DIV" => (0xCC, 0x79, 0xA7),
        "REM" | "ENS" => (0xFF, 0xD6, 0x00),
        "MDM" => (0xFF, 0x99, 0x00),
        "HOR" => (0x4B, 0x96, 0xD2),
        "DVC" => (0xF5, 0xC2, 0x7A),
        "UDI" => (0x00, 0xB4, 0xC8),
        "LR" => (0x00, 0x66, 0xCC),
        "DVD" => (0x8C, 0xA8, 0xF0),
        "DLF" | "DSV" => (0x80, 0x40, 0xC0),
        "FN" | "RN" => (0x0D, 0x37, 0x8A),
        "UXD" => (0x40, 0x40, 0x90),
        "REC" | "EXD" | "DXD" => (0x30, 0x30, 0x30),
        _ => return None,
    };
    Some(RGBColor(r, g, b))
}

/// The LISA clusters, in legend order: (code, label).
pub fn categories_lisa() -> Vec<(String, String)> {
    [
        ("HH", "Haut-haut (point chaud)"),
        ("LL", "Bas-bas (point froid)"),
        ("HL", "Haut entouré de bas"),
        ("LH", "Bas entouré de hauts"),
        ("ns", "Non significatif"),
    ]
    .iter()
    .map(|(c, l)| ((*c).to_owned(), (*l).to_owned()))
    .collect()
}

/// Bars and lines that are not about a family.
pub const NEUTRE: RGBColor = RGBColor(0x00, 0x9E, 0x73); // bluish green

pub struct Colors {
    pub theme: Theme,
    pub background: RGBColor,
    pub foreground: RGBColor,
    pub grid: RGBColor,
}

pub fn colors(theme: Theme) -> Colors {
    match theme {
        Theme::Light => Colors {
            theme,
            background: RGBColor(0xFF, 0xFF, 0xFF),
            foreground: RGBColor(0x22, 0x22, 0x22),
            grid: RGBColor(0xDD, 0xDD, 0xDD),
        },
        Theme::Dark => Colors {
            theme,
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

    /// WCAG relative luminance and contrast ratio.
    fn contrast(a: RGBColor, b: RGBColor) -> f64 {
        let luminance = |RGBColor(r, g, b): RGBColor| {
            let c = |v: u8| {
                let x = f64::from(v) / 255.0;
                if x <= 0.039_28 {
                    x / 12.92
                } else {
                    ((x + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * c(r) + 0.7152 * c(g) + 0.0722 * c(b)
        };
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn every_family_has_its_own_colour_readable_on_each_theme() {
        let codes = ["gauche", "centre", "droite", "extreme_droite"];
        for theme in [Theme::Light, Theme::Dark] {
            let background = colors(theme).background;
            for a in codes {
                for b in codes {
                    assert_eq!(a == b, famille(a, theme) == famille(b, theme));
                }
                // Non-text contrast: 3:1 on the dark background (WCAG 1.4.11); on white,
                // Okabe–Ito's orange and sky blue reach 2.25:1, so 2:1 there.
                let minimum = if theme == Theme::Dark { 3.0 } else { 2.0 };
                let ratio = contrast(famille(a, theme), background);
                assert!(ratio >= minimum, "{a} on {theme:?}: {ratio:.2}");
            }
        }
        // The two blues stay apart in lightness on the dark theme.
        let dark = Theme::Dark;
        assert!(contrast(famille("droite", dark), famille("extreme_droite", dark)) > 2.0);
    }
}
