//! Maps of the départements: choropleths (classes of a number), signed maps (shifts around
//! 0) and categorical maps (a family, right or wrong), as SVG written directly: one `<path>`
//! per département with an id (`dep-59`), a class and a `<title>` (its name and value, shown
//! by a browser on hover), overseas départements and Paris with its inner ring in insets,
//! and a legend with the class bounds in French number format.
//!
//! The geometry comes projected, in metres; each box (the main map, an inset) gets its own
//! scale. Coordinates are written relative, in whole pixels, skipping points that fall on the
//! previous one at that precision.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Arc, LazyLock, Mutex};

use plotters::style::RGBColor;

use crate::classes::{self, Methode};
use crate::palette::{self, Colors};
use crate::plots::fr;
use crate::{ChartError, ChartOptions, MAX_SIZE, MIN_SIZE, Theme, escape_xml, push_xml};

/// A polygon: exterior ring then holes, projected coordinates in metres.
pub type Polygone = Vec<Vec<[f64; 2]>>;
/// A département's outline, shared between renders.
pub type Geometrie = Arc<Vec<Polygone>>;

/// What a département shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Valeur {
    Nombre(f64),
    /// A category's code (see [`Coloriage::Categories`]).
    Categorie(String),
    Manquante,
    /// Left out of the statistic drawn, for the reason given (e.g. `sans voisin`): hatched
    /// like a missing value, and said so in the legend under that reason.
    Exclue(String),
}

impl Valeur {
    /// What a zone without a colour says: its reason, or `non disponible`.
    fn sans_couleur(&self) -> String {
        match self {
            Valeur::Exclue(raison) => raison.clone(),
            _ => "non disponible".to_owned(),
        }
    }
}

/// A département on the map.
#[derive(Debug, Clone)]
pub struct Zone {
    pub code: String,
    pub nom: String,
    pub geometrie: Geometrie,
    pub valeur: Valeur,
    /// What the hover text says after the name, instead of the formatted value.
    pub detail: Option<String>,
    /// Drawn with a thick outline (the département a page is about).
    pub surligne: bool,
}

/// An inset: some départements in a box of their own, at their own scale.
#[derive(Debug, Clone, PartialEq)]
pub struct Encart {
    pub libelle: String,
    pub codes: Vec<String>,
    /// Drawn in the main map too (Paris), rather than only in the inset (overseas).
    pub copie: bool,
}

/// Colour ramps, all readable with the common colour-vision deficiencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Palette {
    /// Viridis (perceptually uniform).
    Viridis,
    /// ColorBrewer Blues.
    Bleus,
    /// ColorBrewer OrRd.
    OrangeRouge,
    /// ColorBrewer RdBu, diverging: for shifts around 0 (blue below, red above).
    RougeBleu,
}

impl Palette {
    pub const ALL: [Palette; 4] = [
        Palette::Viridis,
        Palette::Bleus,
        Palette::OrangeRouge,
        Palette::RougeBleu,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Palette::Viridis => "viridis",
            Palette::Bleus => "bleus",
            Palette::OrangeRouge => "orange-rouge",
            Palette::RougeBleu => "rouge-bleu",
        }
    }

    pub fn from_code(code: &str) -> Option<Palette> {
        Palette::ALL.into_iter().find(|p| p.code() == code)
    }

    /// The colours of `n` ordered classes on a theme's background. Sequential ramps leave
    /// out their end that would melt into the background (Viridis's darkest on the dark
    /// theme, the ColorBrewer ramps' palest on the light one); the diverging ramp is
    /// ColorBrewer's own n-class scheme, its middle at 0.
    pub fn couleurs(self, n: usize, theme: Theme) -> Vec<RGBColor> {
        let n = n.max(1);
        let rgb = |c: colorous::Color| RGBColor(c.r, c.g, c.b);
        let along = |gradient: colorous::Gradient, lo: f64, hi: f64| -> Vec<RGBColor> {
            (0..n)
                .map(|i| {
                    let t = if n == 1 {
                        hi
                    } else {
                        lo + (hi - lo) * i as f64 / (n - 1) as f64
                    };
                    rgb(gradient.eval_continuous(t))
                })
                .collect()
        };
        match (self, theme) {
            (Palette::Viridis, Theme::Light) => along(colorous::VIRIDIS, 0.0, 1.0),
            (Palette::Viridis, Theme::Dark) => along(colorous::VIRIDIS, 0.2, 1.0),
            (Palette::Bleus, Theme::Light) => along(colorous::BLUES, 0.2, 1.0),
            (Palette::Bleus, Theme::Dark) => along(colorous::BLUES, 0.05, 0.85),
            (Palette::OrangeRouge, Theme::Light) => along(colorous::ORANGE_RED, 0.2, 1.0),
            (Palette::OrangeRouge, Theme::Dark) => along(colorous::ORANGE_RED, 0.05, 0.85),
            // RdBu runs red to blue: reversed, so that gains are red.
            (Palette::RougeBleu, _) => (0..n)
                .rev()
                .map(|i| rgb(colorous::RED_BLUE.eval_rational(i, n)))
                .collect(),
        }
    }
}

impl Palette {
    /// The diverging ramp's colour at `t` in -1..=1: blue for losses, white at 0, red for
    /// gains (ColorBrewer RdBu, reversed).
    pub fn couleur_centree(t: f64) -> RGBColor {
        let c = colorous::RED_BLUE.eval_continuous((1.0 - t.clamp(-1.0, 1.0)) / 2.0);
        RGBColor(c.r, c.g, c.b)
    }
}

/// How values become colours.
#[derive(Debug, Clone, PartialEq)]
pub enum Coloriage {
    /// Classes of a number.
    Classes {
        methode: Methode,
        n: usize,
        palette: Palette,
        unite: String,
        decimales: usize,
    },
    /// Equal classes of a signed number, symmetric around 0.
    Ecarts {
        n: usize,
        palette: Palette,
        unite: String,
        decimales: usize,
    },
    /// One colour per category (code, label), in legend order: the political families' own
    /// colours, `juste` and `faux` for predictions.
    Categories(Vec<(String, String)>),
}

/// What the zones of a map are: their ids (`dep-59`, `circ-5901`) and class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Niveau {
    #[default]
    Departement,
    Circonscription,
}

impl Niveau {
    fn prefixe(self) -> &'static str {
        match self {
            Niveau::Departement => "dep",
            Niveau::Circonscription => "circ",
        }
    }

    fn classe(self) -> &'static str {
        match self {
            Niveau::Departement => "departement",
            Niveau::Circonscription => "circonscription",
        }
    }
}

/// A map to draw.
#[derive(Debug, Clone)]
pub struct Carte {
    pub zones: Vec<Zone>,
    pub encarts: Vec<Encart>,
    pub coloriage: Coloriage,
    /// The legend's heading.
    pub legende: String,
    pub niveau: Niveau,
    /// Units of the map that have no territory to draw (the constituencies of the French
    /// abroad): counted in the legend as « sans territoire », never an error.
    pub sans_territoire: Vec<String>,
}

fn hex(c: RGBColor) -> String {
    let mut out = String::with_capacity(7);
    push_hex(&mut out, c);
    out
}

/// [`hex`], written at the end of `out`.
fn push_hex(out: &mut String, c: RGBColor) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    out.push('#');
    for byte in [c.0, c.1, c.2] {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0xF)]));
    }
}

/// Fill of each zone (`None`: missing, hatched) and the legend's entries (colour, label).
struct Remplissage {
    fills: Vec<Option<RGBColor>>,
    legende: Vec<(Option<RGBColor>, String)>,
    /// The hover text after each name.
    details: Vec<String>,
    /// A line under the legend (the classes' method).
    note: Option<String>,
}

fn unite_suffixe(unite: &str) -> String {
    if unite.is_empty() {
        String::new()
    } else {
        format!("\u{a0}{unite}")
    }
}

/// The background colour: the swatch of what is not drawn.
fn theme_fond(theme: Theme) -> RGBColor {
    palette::colors(theme).background
}

fn remplissage(carte: &Carte, theme: Theme) -> Remplissage {
    let zones = &carte.zones;
    let manquantes = zones
        .iter()
        .filter(|z| matches!(z.valeur, Valeur::Manquante))
        .count();
    let mut legende: Vec<(Option<RGBColor>, String)> = Vec::new();
    let (fills, details, note): (Vec<Option<RGBColor>>, Vec<String>, Option<String>) = match &carte
        .coloriage
    {
        Coloriage::Classes {
            unite, decimales, ..
        }
        | Coloriage::Ecarts {
            unite, decimales, ..
        } => {
            let values: Vec<f64> = zones
                .iter()
                .filter_map(|z| match z.valeur {
                    Valeur::Nombre(v) if v.is_finite() => Some(v),
                    _ => None,
                })
                .collect();
            let (bounds, palette, note) = match &carte.coloriage {
                Coloriage::Classes {
                    methode,
                    n,
                    palette,
                    ..
                } => (
                    classes::bornes(&values, *methode, *n),
                    *palette,
                    format!("Classes : {} ({n})", methode.libelle()),
                ),
                Coloriage::Ecarts { n, palette, .. } => (
                    classes::bornes_divergentes(&values, *n),
                    *palette,
                    format!("Classes : quantiles ({n}), 0 pour borne ; couleurs centrées sur 0"),
                ),
                Coloriage::Categories(_) => (Vec::new(), Palette::Viridis, String::new()),
            };
            let count = bounds.len().saturating_sub(1).max(1);
            let colours = match (&carte.coloriage, palette) {
                // A shift's colour says its sign and size: each class takes the diverging
                // ramp's colour at its middle, 0 white whatever the classes.
                (Coloriage::Ecarts { .. }, Palette::RougeBleu) => {
                    let m = values.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
                    (0..count)
                        .map(|c| {
                            let (lo, hi) = (bounds[c], bounds[(c + 1).min(bounds.len() - 1)]);
                            Palette::couleur_centree(if m > 0.0 {
                                (lo + hi) / 2.0 / m
                            } else {
                                0.0
                            })
                        })
                        .collect()
                }
                _ => palette.couleurs(count, theme),
            };
            let suffixe = unite_suffixe(unite);
            let signe = matches!(carte.coloriage, Coloriage::Ecarts { .. });
            let format = |v: f64| {
                let text = fr(v, *decimales);
                if signe && v > 0.0 {
                    format!("+{text}")
                } else {
                    text
                }
            };
            if !values.is_empty() {
                for c in 0..count {
                    let (lo, hi) = (bounds[c], bounds[(c + 1).min(bounds.len() - 1)]);
                    let members = values
                        .iter()
                        .filter(|&&v| classes::classe(&bounds, v) == c)
                        .count();
                    legende.push((
                        Some(colours[c]),
                        format!("{} – {}{suffixe} ({members})", format(lo), format(hi)),
                    ));
                }
            }
            let mut fills = Vec::with_capacity(zones.len());
            let mut details = Vec::with_capacity(zones.len());
            for z in zones {
                match z.valeur {
                    Valeur::Nombre(v) if v.is_finite() && !bounds.is_empty() => {
                        fills.push(Some(colours[classes::classe(&bounds, v)]));
                        details.push(format!("{}{suffixe}", format(v)));
                    }
                    _ => {
                        fills.push(None);
                        details.push(z.valeur.sans_couleur());
                    }
                }
            }
            (fills, details, Some(note))
        }
        Coloriage::Categories(categories) => {
            for (code, libelle) in categories {
                let members = zones
                    .iter()
                    .filter(|z| matches!(&z.valeur, Valeur::Categorie(c) if c == code))
                    .count();
                if members > 0 {
                    legende.push((
                        Some(palette::categorie(code, theme)),
                        format!("{libelle} ({members})"),
                    ));
                }
            }
            let libelle = |code: &str| {
                categories
                    .iter()
                    .find(|(c, _)| c == code)
                    .map_or_else(|| code.to_owned(), |(_, l)| l.clone())
            };
            zones
                .iter()
                .map(|z| match &z.valeur {
                    Valeur::Categorie(c) => (Some(palette::categorie(c, theme)), libelle(c)),
                    _ => (None, z.valeur.sans_couleur()),
                })
                .fold((Vec::new(), Vec::new(), None), |mut acc, (f, d)| {
                    acc.0.push(f);
                    acc.1.push(d);
                    acc
                })
        }
    };
    if manquantes > 0 {
        legende.push((None, format!("non disponible ({manquantes})")));
    }
    let mut raisons: Vec<(&str, usize)> = Vec::new();
    for z in zones {
        if let Valeur::Exclue(raison) = &z.valeur {
            match raisons.iter_mut().find(|(r, _)| r == raison) {
                Some((_, n)) => *n += 1,
                None => raisons.push((raison, 1)),
            }
        }
    }
    for (raison, n) in raisons {
        legende.push((None, format!("{raison} ({n})")));
    }
    if !carte.sans_territoire.is_empty() {
        legende.push((
            Some(theme_fond(theme)),
            format!("sans territoire ({})", carte.sans_territoire.len()),
        ));
    }
    let details = zones
        .iter()
        .zip(details)
        .map(|(z, d)| z.detail.clone().unwrap_or(d))
        .collect();
    Remplissage {
        fills,
        legende,
        details,
        note,
    }
}

/// A box of the drawing, in pixels.
#[derive(Debug, Clone, Copy)]
struct Boite {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

/// Projected metres to the pixels of a box, keeping the aspect ratio, centred.
#[derive(Debug, Clone, Copy)]
struct Echelle {
    scale: f64,
    x0: f64,
    y1: f64,
    dx: f64,
    dy: f64,
}

impl Echelle {
    fn fit<'a>(boite: Boite, geometries: impl Iterator<Item = &'a Geometrie>) -> Option<Echelle> {
        let (mut x0, mut y0, mut x1, mut y1) = (
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        );
        // One lock for the whole map; a poisoned one (a panic while holding it) only means
        // no memo.
        let mut memo = EMPRISES.lock().ok();
        for g in geometries {
            let e = emprise(memo.as_deref_mut(), g);
            x0 = x0.min(e[0]);
            y0 = y0.min(e[1]);
            x1 = x1.max(e[2]);
            y1 = y1.max(e[3]);
        }
        if !(x1 > x0 && y1 > y0) {
            return None;
        }
        let scale = (boite.w / (x1 - x0)).min(boite.h / (y1 - y0));
        Some(Echelle {
            scale,
            x0,
            y1,
            dx: boite.x + (boite.w - (x1 - x0) * scale) / 2.0,
            dy: boite.y + (boite.h - (y1 - y0) * scale) / 2.0,
        })
    }

    /// The scale's exact bits: the key of its path data in [`TRACES`].
    fn bits(&self) -> [u64; 5] {
        [self.scale, self.x0, self.y1, self.dx, self.dy].map(f64::to_bits)
    }

    /// A point in whole pixels.
    fn pixels(&self, p: [f64; 2]) -> (i64, i64) {
        (
            arrondi((p[0] - self.x0) * self.scale + self.dx),
            arrondi((self.y1 - p[1]) * self.scale + self.dy),
        )
    }
}

/// `v.round() as i64` (half away from zero) without the call to libm's `round` that a build
/// for any x86-64 makes: a map's 100,000 points spent a tenth of its time there. The
/// fractional part `v - trunc(v)` is exact for |v| < 2^52, so the result is the same.
fn arrondi(v: f64) -> i64 {
    let entier = v as i64;
    let reste = v - entier as f64;
    if reste >= 0.5 {
        entier + 1
    } else if reste <= -0.5 {
        entier - 1
    } else {
        entier
    }
}

/// The pair `x y` of a path command; no space before a minus sign. `itoa`: `write!` of an
/// integer went through the formatter's padding machinery, a third of a map's time.
fn push_pair(out: &mut String, x: i64, y: i64) {
    let mut buffer = itoa::Buffer::new();
    out.push_str(buffer.format(x));
    if y >= 0 {
        out.push(' ');
    }
    out.push_str(buffer.format(y));
}

/// The path data of an outline at a scale, in whole pixels (the outlines are simplified to
/// about half a pixel of the default map): relative moves, a point falling on the previous
/// one left out (both sides of a border leave out the same ones, from the same points).
fn path_data(geometrie: &Geometrie, echelle: &Echelle) -> String {
    let mut d = String::new();
    for ring in geometrie.iter().flatten() {
        let mut previous: Option<(i64, i64)> = None;
        for &p in ring.iter().take(ring.len().saturating_sub(1)) {
            let here = echelle.pixels(p);
            match previous {
                None => {
                    d.push('M');
                    push_pair(&mut d, here.0, here.1);
                }
                Some(before) if before == here => continue,
                Some(before) => {
                    d.push('l');
                    push_pair(&mut d, here.0 - before.0, here.1 - before.1);
                }
            }
            previous = Some(here);
        }
        if previous.is_some() {
            d.push('Z');
        }
    }
    d
}

/// Path data already written, by outline and scale. A map drawn again in the same frame
/// (another indicator, theme or title, or the PNG of the same map) takes its outlines'
/// path data from here instead of projecting their points again: that loop was half of an
/// uncached map's time. An entry holds its outline, so the outline's address (its key)
/// cannot be reused by another while the entry lives; the whole memo is emptied past
/// [`TRACES_OCTETS`] of path data or [`TRACES_ENTREES`] entries. The path data depend on the
/// outline and the scale only: a map is the same bytes from the memo or not.
struct Traces {
    entrees: HashMap<(usize, [u64; 5]), (Geometrie, Arc<str>)>,
    octets: usize,
}

/// About 100 maps of the départements at the default size.
const TRACES_OCTETS: usize = 16 << 20;
const TRACES_ENTREES: usize = 50_000;

static TRACES: LazyLock<Mutex<Traces>> = LazyLock::new(|| {
    Mutex::new(Traces {
        entrees: HashMap::new(),
        octets: 0,
    })
});

/// [`path_data`], from [`TRACES`] when it has been written before at this scale.
fn trace(geometrie: &Geometrie, echelle: &Echelle) -> Arc<str> {
    // A zone without an outline gets a new empty one each time: nothing to keep.
    if geometrie.is_empty() {
        return Arc::from("");
    }
    let cle = (Arc::as_ptr(geometrie) as usize, echelle.bits());
    // A poisoned lock (a panic while holding it) only means no memo.
    if let Some(d) = TRACES
        .lock()
        .ok()
        .and_then(|t| t.entrees.get(&cle).map(|(_, d)| Arc::clone(d)))
    {
        return d;
    }
    let d: Arc<str> = path_data(geometrie, echelle).into();
    if let Ok(mut traces) = TRACES.lock() {
        if traces.octets + d.len() > TRACES_OCTETS || traces.entrees.len() >= TRACES_ENTREES {
            traces.entrees.clear();
            traces.octets = 0;
        }
        traces.octets += d.len();
        traces
            .entrees
            .insert(cle, (Arc::clone(geometrie), Arc::clone(&d)));
    }
    d
}

/// Each outline's bounding box (of its exterior rings: `[x0, y0, x1, y1]`), by outline, held
/// alive like [`TRACES`]'s entries. Fitting a map to its frame read the 100,000 points of its
/// outlines at each render (a quarter of an uncached map SVG's drawing); a box is the same
/// from the memo or not, so the map is the same bytes. Emptied past [`EMPRISES_ENTREES`].
type Emprises = HashMap<usize, (Geometrie, [f64; 4])>;

const EMPRISES_ENTREES: usize = 50_000;

static EMPRISES: LazyLock<Mutex<Emprises>> = LazyLock::new(|| Mutex::new(HashMap::new()));

/// The bounding box of an outline's exterior rings, from `memo` when it is there.
fn emprise(memo: Option<&mut Emprises>, geometrie: &Geometrie) -> [f64; 4] {
    let cle = Arc::as_ptr(geometrie) as usize;
    if let Some(e) = memo.as_ref().and_then(|m| m.get(&cle)) {
        return e.1;
    }
    let mut e = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for p in geometrie.iter().flat_map(|p| p.first()).flatten() {
        e = [
            e[0].min(p[0]),
            e[1].min(p[1]),
            e[2].max(p[0]),
            e[3].max(p[1]),
        ];
    }
    // A zone without an outline gets a new empty one each time: nothing to keep.
    if let Some(m) = memo.filter(|_| !geometrie.is_empty()) {
        if m.len() >= EMPRISES_ENTREES {
            m.clear();
        }
        m.insert(cle, (Arc::clone(geometrie), e));
    }
    e
}

/// A label cut to `width` characters, an ellipsis marking the cut.
fn abrege(text: &str, width: usize) -> String {
    if text.chars().count() <= width.max(2) {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(width.max(2) - 1).collect();
        cut.push('…');
        cut
    }
}

/// A legend entry cut to `width` characters, keeping its count (`… (177)`) at the end.
fn abrege_legende(text: &str, width: usize) -> String {
    match text.rfind(" (") {
        Some(i) if text.ends_with(')') && text.chars().count() > width => {
            let (label, count) = text.split_at(i);
            let room = width.saturating_sub(count.chars().count()).max(4);
            format!("{}{count}", abrege(label, room))
        }
        _ => abrege(text, width),
    }
}

/// Splits a legend heading into lines of about `width` characters.
fn lignes(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    lines
}

/// Draws the map as SVG.
pub fn carte(options: &ChartOptions, carte: &Carte) -> Result<String, ChartError> {
    let (w, h) = (options.width, options.height);
    if !(MIN_SIZE..=MAX_SIZE).contains(&w) || !(MIN_SIZE..=MAX_SIZE).contains(&h) {
        return Err(ChartError::Size {
            width: w,
            height: h,
        });
    }
    if carte.zones.is_empty() {
        return Err(ChartError::NoData(format!("no {}", carte.niveau.classe())));
    }
    let colors: Colors = palette::colors(options.theme);
    let (fw, fh) = (f64::from(w), f64::from(h));
    let font = (20.0 * (fw / 1280.0).min(fh / 720.0)).clamp(9.0, 64.0);
    let pad = font * 0.6;
    let top = pad + font * 1.9;
    let legend_w = (fw * 0.26).clamp(120.0, 520.0);
    let area = Boite {
        x: pad,
        y: top,
        w: (fw - legend_w - 2.0 * pad).max(10.0),
        h: (fh - top - pad).max(10.0),
    };
    let fill = remplissage(carte, options.theme);

    // Insets in a column on the left, the main map beside them.
    let encarts: Vec<&Encart> = carte
        .encarts
        .iter()
        .filter(|e| carte.zones.iter().any(|z| e.codes.contains(&z.code)))
        .collect();
    let seul: Vec<&String> = encarts
        .iter()
        .filter(|e| !e.copie)
        .flat_map(|e| e.codes.iter())
        .collect();
    let principales: Vec<usize> = (0..carte.zones.len())
        .filter(|&i| !seul.contains(&&carte.zones[i].code))
        .collect();
    // More than six insets (the constituencies' overseas groups and Paris) go in two
    // columns, so that each stays legible.
    // A map of insets only (the overseas départements together) lays them out in a grid
    // over the whole area.
    let grille = principales.is_empty() && !encarts.is_empty();
    let colonnes_encarts = if grille {
        encarts.len().min(3)
    } else if encarts.len() > 6 {
        2
    } else {
        1
    };
    let column = if encarts.is_empty() {
        0.0
    } else if grille {
        area.w
    } else if colonnes_encarts == 2 {
        (area.w * 0.3).max(90.0)
    } else {
        (area.w * 0.2).max(60.0)
    };
    let main = Boite {
        x: area.x + column + if column > 0.0 { pad } else { 0.0 },
        y: area.y,
        w: area.w - column - if column > 0.0 { pad } else { 0.0 },
        h: area.h,
    };
    let gris = RGBColor(0x80, 0x80, 0x80);
    let stroke = hex(gris);
    let mut svg = String::with_capacity(160_000);
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" font-family=\"sans-serif\">\n<title>{}</title>\n<desc>{}</desc>\n",
        escape_xml(&options.title),
        escape_xml(&options.description)
    );
    let hatch = (font * 0.4).max(4.0);
    let _ = writeln!(
        svg,
        "<defs><pattern id=\"non-disponible\" patternUnits=\"userSpaceOnUse\" width=\"{hatch:.1}\" height=\"{hatch:.1}\" patternTransform=\"rotate(45)\"><rect width=\"{hatch:.1}\" height=\"{hatch:.1}\" fill=\"{}\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"{hatch:.1}\" stroke=\"{}\" stroke-width=\"{:.1}\"/></pattern></defs>",
        hex(colors.background),
        hex(colors.foreground),
        hatch / 4.0
    );
    let _ = writeln!(
        svg,
        "<rect width=\"100%\" height=\"100%\" fill=\"{}\"/>",
        hex(colors.background)
    );
    // A long title shrinks to the width (down to 70 %), rather than run off the map.
    let title_size = {
        let room = (fw - 2.0 * pad) / (font * 1.1 * 0.55);
        let length = options.title.chars().count() as f64;
        font * 1.1 * (room / length.max(1.0)).clamp(0.7, 1.0)
    };
    let _ = writeln!(
        svg,
        "<text x=\"{pad:.1}\" y=\"{:.1}\" font-size=\"{:.1}\" font-weight=\"bold\" fill=\"{}\">{}</text>",
        pad + font,
        title_size,
        hex(colors.foreground),
        escape_xml(&options.title)
    );
    let line_width = (font / 20.0 * 0.6).max(0.3);
    // The same for every zone: formatted once (a float written with a precision, a hundred
    // times, was a twelfth of an uncached map).
    let (thin, thick) = (
        format!("{line_width:.2}"),
        format!("{:.2}", line_width * 4.0),
    );
    let draw = |svg: &mut String, indices: &[usize], echelle: &Echelle, zoom: bool| {
        // The highlighted département last, so that its outline is on top.
        let mut order: Vec<usize> = indices.to_vec();
        order.sort_by_key(|&i| carte.zones[i].surligne);
        for i in order {
            let z = &carte.zones[i];
            // A highlighted département stands out by a thick outline on a halo of the
            // background's colour (visible on a region of its own colour); every fill keeps
            // its legend colour (fading the others would make colours the legend has not).
            // Thin outlines join bevelled: under a pixel wide, the rasterizer draws them as
            // hairlines whatever the join, and a round join made usvg stroke each outline
            // with arcs at all its 16,000 corners only to measure its bounding box (a
            // tenth of a map PNG's time). The thick outline keeps its round corners.
            let (outline, width, join) = if z.surligne {
                (colors.foreground, &thick, "round")
            } else {
                (gris, &thin, "bevel")
            };
            let d = trace(&z.geometrie, echelle);
            if z.surligne {
                let _ = writeln!(
                    svg,
                    "<path class=\"halo\" fill=\"none\" stroke=\"{}\" stroke-width=\"{:.2}\" stroke-linejoin=\"round\" d=\"{d}\"/>",
                    hex(colors.background),
                    line_width * 10.0
                );
            }
            // Written piece by piece, without a string for each attribute (formatted, they
            // were a twelfth of an uncached map).
            svg.push_str("<path");
            if !zoom {
                svg.push_str(" id=\"");
                svg.push_str(carte.niveau.prefixe());
                svg.push('-');
                push_xml(svg, &z.code);
                svg.push('"');
            }
            svg.push_str(" class=\"");
            svg.push_str(carte.niveau.classe());
            if zoom {
                svg.push_str(" zoom");
            }
            if z.surligne {
                svg.push_str(" surligne");
            }
            svg.push_str("\" data-code=\"");
            push_xml(svg, &z.code);
            svg.push_str("\" fill=\"");
            match fill.fills[i] {
                Some(c) => push_hex(svg, c),
                None => svg.push_str("url(#non-disponible)"),
            }
            svg.push_str("\" fill-rule=\"evenodd\" stroke=\"");
            push_hex(svg, outline);
            svg.push_str("\" stroke-width=\"");
            svg.push_str(width);
            svg.push_str("\" stroke-linejoin=\"");
            svg.push_str(join);
            svg.push_str("\" d=\"");
            svg.push_str(&d);
            svg.push_str("\"><title>");
            push_xml(svg, &z.nom);
            svg.push_str(" (");
            push_xml(svg, &z.code);
            svg.push_str(") : ");
            push_xml(svg, &fill.details[i]);
            svg.push_str("</title></path>\n");
        }
    };
    if let Some(echelle) =
        Echelle::fit(main, principales.iter().map(|&i| &carte.zones[i].geometrie))
    {
        svg.push_str("<g class=\"carte\">\n");
        draw(&mut svg, &principales, &echelle, false);
        svg.push_str("</g>\n");
    }
    if column > 0.0 {
        let par_colonne = encarts.len().div_ceil(colonnes_encarts);
        let count = par_colonne as f64;
        let gap = pad * 0.5;
        let largeur = (column - gap * (colonnes_encarts as f64 - 1.0)) / colonnes_encarts as f64;
        // At most a third of the height each: one inset alone stays an inset.
        let box_h = ((area.h - gap * (count - 1.0)) / count).min(if grille {
            area.h
        } else {
            area.h / 3.0
        });
        let label = font * 0.6;
        for (k, encart) in encarts.iter().enumerate() {
            let (col, row) = (k / par_colonne, k % par_colonne);
            let y = area.y + row as f64 * (box_h + gap);
            let frame = Boite {
                x: area.x + col as f64 * (largeur + gap),
                y,
                w: largeur,
                h: box_h,
            };
            let inner = Boite {
                x: frame.x + 2.0,
                y: frame.y + label * 1.4,
                w: frame.w - 4.0,
                h: (frame.h - label * 1.4 - 2.0).max(4.0),
            };
            let _ = writeln!(
                svg,
                "<g class=\"encart\"><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{:.2}\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"{label:.1}\" fill=\"{}\">{}</text>",
                frame.x,
                frame.y,
                frame.w,
                frame.h,
                hex(colors.grid),
                line_width,
                frame.x + 3.0,
                frame.y + label * 1.1,
                hex(colors.foreground),
                escape_xml(&abrege(
                    &encart.libelle,
                    (frame.w / (label * 0.55)) as usize
                ))
            );
            let members: Vec<usize> = (0..carte.zones.len())
                .filter(|&i| encart.codes.contains(&carte.zones[i].code))
                .collect();
            if let Some(echelle) =
                Echelle::fit(inner, members.iter().map(|&i| &carte.zones[i].geometrie))
            {
                draw(&mut svg, &members, &echelle, encart.copie);
            }
            svg.push_str("</g>\n");
        }
    }

    // Legend.
    let lx = fw - legend_w;
    let small = font * 0.75;
    let mut y = top + small;
    svg.push_str("<g class=\"legende\">\n");
    for line in lignes(&carte.legende, (legend_w / (small * 0.55)) as usize) {
        let _ = writeln!(
            svg,
            "<text x=\"{lx:.1}\" y=\"{y:.1}\" font-size=\"{small:.1}\" font-weight=\"bold\" fill=\"{}\">{}</text>",
            hex(colors.foreground),
            escape_xml(&line)
        );
        y += small * 1.3;
    }
    y += small * 0.3;
    let largeur_legende = ((legend_w - small * 1.6) / (small * 0.55)) as usize;
    for (colour, text) in &fill.legende {
        let text = &abrege_legende(text, largeur_legende);
        let swatch = colour.map_or_else(|| "url(#non-disponible)".to_owned(), hex);
        let _ = writeln!(
            svg,
            "<rect x=\"{lx:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{swatch}\" stroke=\"{stroke}\" stroke-width=\"{line_width:.2}\"/><text x=\"{:.1}\" y=\"{y:.1}\" font-size=\"{small:.1}\" fill=\"{}\">{}</text>",
            y - small * 0.85,
            small * 1.2,
            small,
            lx + small * 1.6,
            hex(colors.foreground),
            escape_xml(text)
        );
        y += small * 1.5;
    }
    if let Some(note) = &fill.note {
        // Wrapped to the legend's width (the shift map's note is long).
        let size = small * 0.85;
        for line in lignes(note, (legend_w / (size * 0.55)) as usize) {
            let _ = writeln!(
                svg,
                "<text x=\"{lx:.1}\" y=\"{:.1}\" font-size=\"{size:.1}\" fill=\"{}\">{}</text>",
                y + small * 0.3,
                hex(colors.foreground),
                escape_xml(&line)
            );
            y += size * 1.3;
        }
    }
    svg.push_str("</g>\n</svg>\n");
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x: f64, y: f64) -> Geometrie {
        Arc::new(vec![vec![vec![
            [x, y],
            [x + 1000.0, y],
            [x + 1000.0, y + 1000.0],
            [x, y + 1000.0],
            [x, y],
        ]]])
    }

    fn zone(code: &str, x: f64, valeur: Valeur) -> Zone {
        Zone {
            code: code.to_owned(),
            nom: format!("Dép. {code}"),
            geometrie: square(x, 0.0),
            valeur,
            detail: None,
            surligne: false,
        }
    }

    /// Three classes of a rate in %, Viridis.
    fn taux(methode: Methode) -> Coloriage {
        Coloriage::Classes {
            methode,
            n: 3,
            palette: Palette::Viridis,
            unite: "%".into(),
            decimales: 1,
        }
    }

    fn options() -> ChartOptions {
        ChartOptions {
            width: 800,
            height: 400,
            theme: Theme::Light,
            title: "Carte".into(),
            description: "Test".into(),
        }
    }

    #[test]
    fn every_zone_is_one_path_with_its_title_and_missing_values_are_hatched() {
        let carte = Carte {
            zones: vec![
                zone("01", 0.0, Valeur::Nombre(1.5)),
                zone("02", 1000.0, Valeur::Nombre(2.5)),
                zone("03", 2000.0, Valeur::Manquante),
                zone("971", 0.0, Valeur::Nombre(9.0)),
            ],
            encarts: vec![Encart {
                libelle: "Guadeloupe".into(),
                codes: vec!["971".into()],
                copie: false,
            }],
            coloriage: taux(Methode::Egales),
            legende: "Taux (%)".into(),
            niveau: Niveau::Departement,
            sans_territoire: Vec::new(),
        };
        let svg = super::carte(&options(), &carte).unwrap();
        assert_eq!(svg.matches("<path id=\"dep-").count(), 4, "{svg}");
        assert!(
            svg.contains("<title>Dép. 02 (02) : 2,5\u{a0}%</title>"),
            "{svg}"
        );
        assert!(svg.contains("<title>Dép. 03 (03) : non disponible</title>"));
        assert!(svg.contains("fill=\"url(#non-disponible)\""));
        assert!(svg.contains(">non disponible (1)</text>"));
        // Three equal classes over 1.5 .. 9: bounds 1.5, 4, 6.5, 9.
        assert!(svg.contains(">1,5 – 4,0\u{a0}% (2)</text>"), "{svg}");
        assert!(svg.contains(">6,5 – 9,0\u{a0}% (1)</text>"), "{svg}");
        assert!(svg.contains("class=\"encart\""));
        assert!(svg.contains(">Classes : intervalles égaux (3)</text>"));
    }

    #[test]
    fn signed_maps_centre_on_zero_and_categories_use_their_colours() {
        let carte = Carte {
            zones: vec![
                zone("01", 0.0, Valeur::Nombre(-2.0)),
                zone("02", 1000.0, Valeur::Nombre(4.0)),
            ],
            encarts: vec![],
            coloriage: Coloriage::Ecarts {
                n: 4,
                palette: Palette::RougeBleu,
                unite: "pts".into(),
                decimales: 1,
            },
            legende: "Écart".into(),
            niveau: Niveau::Departement,
            sans_territoire: Vec::new(),
        };
        let svg = super::carte(&options(), &carte).unwrap();
        // Quantile classes split at 0: the loss in a blue class, the gain in a red one.
        assert!(svg.contains(">−2,0 – −0,5\u{a0}pts (1)</text>"), "{svg}");
        assert!(svg.contains(">+2,5 – +4,0\u{a0}pts (1)</text>"), "{svg}");
        let fill = |code: &str| {
            let at = svg.find(&format!("data-code=\"{code}\" fill=\"#")).unwrap();
            let hex = &svg[at + 20 + code.len()..at + 26 + code.len()];
            let c = |k: usize| u8::from_str_radix(&hex[k..k + 2], 16).unwrap();
            (c(0), c(4))
        };
        let ((r1, b1), (r2, b2)) = (fill("01"), fill("02"));
        assert!(b1 > r1 && r2 > b2, "loss blue, gain red: {svg}");
        // The note under the legend is wrapped to the legend's width: no line runs past the
        // frame (at about 0.55 em a character).
        let legende = &svg[svg.find("<g class=\"legende\">").unwrap()..];
        for text in legende.split("<text ").skip(1) {
            let x: f64 = text["x=\"".len()..]
                .split('"')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let size: f64 = text
                .split("font-size=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let content = text.split('>').nth(1).unwrap().split('<').next().unwrap();
            let right = x + content.chars().count() as f64 * size * 0.55;
            assert!(right <= 800.0 + 1.0, "{content}: {right}");
        }
        assert!(legende.contains("centrées sur 0</text>"), "{legende}");
        assert!(
            !legende.contains("Classes : quantiles (4), 0 pour borne ; couleurs centrées"),
            "the note is on one line: {legende}"
        );
        let categories = Carte {
            zones: vec![zone("01", 0.0, Valeur::Categorie("gauche".into()))],
            encarts: vec![],
            coloriage: Coloriage::Categories(vec![
                ("gauche".into(), "Gauche".into()),
                ("droite".into(), "Droite".into()),
            ]),
            legende: "Famille".into(),
            niveau: Niveau::Departement,
            sans_territoire: Vec::new(),
        };
        let svg = super::carte(&options(), &categories).unwrap();
        assert!(svg.contains(&format!(
            "fill=\"{}\"",
            hex(palette::famille("gauche", Theme::Light))
        )));
        assert!(svg.contains(">Gauche (1)</text>") && !svg.contains(">Droite"));
    }

    /// A map of overseas départements only (no main map) draws each in an inset of a grid.
    #[test]
    fn a_map_of_insets_only_draws_every_zone() {
        let codes = ["971", "972", "973", "974", "976"];
        let carte = Carte {
            zones: codes
                .iter()
                .enumerate()
                .map(|(i, c)| zone(c, i as f64 * 5000.0, Valeur::Nombre(i as f64)))
                .collect(),
            encarts: codes
                .iter()
                .map(|c| Encart {
                    libelle: format!("Dép. {c}"),
                    codes: vec![(*c).to_owned()],
                    copie: false,
                })
                .collect(),
            coloriage: taux(Methode::Quantiles),
            legende: "Taux (%)".into(),
            niveau: Niveau::Departement,
            sans_territoire: Vec::new(),
        };
        let svg = super::carte(&options(), &carte).unwrap();
        assert_eq!(svg.matches("<path id=\"dep-").count(), 5, "{svg}");
        assert_eq!(svg.matches("class=\"encart\"").count(), 5, "{svg}");
    }

    /// Every palette keeps its classes apart on both themes: adjacent classes differ, and
    /// none is the background (but the diverging ramp's neutral middle on white).
    #[test]
    fn palettes_keep_classes_distinguishable_on_both_themes() {
        for theme in [Theme::Light, Theme::Dark] {
            let background = palette::colors(theme).background;
            for p in Palette::ALL {
                for n in classes::MIN_CLASSES..=classes::MAX_CLASSES {
                    let c = p.couleurs(n, theme);
                    assert_eq!(c.len(), n);
                    let distance = |a: RGBColor, b: RGBColor| {
                        let d = |x: u8, y: u8| (f64::from(x) - f64::from(y)).powi(2);
                        (d(a.0, b.0) + d(a.1, b.1) + d(a.2, b.2)).sqrt()
                    };
                    for pair in c.windows(2) {
                        assert!(distance(pair[0], pair[1]) > 12.0, "{p:?} {n} {theme:?}");
                    }
                    // The diverging ramp's middle is meant to be neutral (near-white): outlined
                    // in grey, it is the one class allowed to be close to a white page.
                    for (i, colour) in c.iter().enumerate() {
                        let neutral = p == Palette::RougeBleu && 2 * i + 1 == n;
                        if !(neutral && theme == Theme::Light) {
                            assert!(distance(*colour, background) > 25.0, "{p:?} {n} {theme:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn rounding_is_f64_round() {
        for v in [
            0.0,
            0.49,
            0.5,
            0.51,
            1.5,
            2.5,
            -0.5,
            -0.49,
            -1.5,
            -2.5,
            1e9 + 0.5,
            -1e9 - 0.5,
            1279.4999999,
            0.49999999999999994,
            -0.49999999999999994,
        ] {
            assert_eq!(arrondi(v), v.round() as i64, "{v}");
        }
        let mut v = -3000.0;
        while v < 3000.0 {
            assert_eq!(arrondi(v), v.round() as i64, "{v}");
            v += 0.0625 + 1e-7;
        }
    }

    /// 1000 m to 10 px, y flipped from 1000 m.
    fn centieme() -> Echelle {
        Echelle {
            scale: 0.01,
            x0: 0.0,
            y1: 1000.0,
            dx: 0.0,
            dy: 0.0,
        }
    }

    /// The memo gives the path data of the outline at that scale, written once: the second
    /// call returns the same allocation; another scale or another outline of the same shape
    /// (another allocation) is written anew, with its own bytes.
    #[test]
    fn path_data_is_memoised_by_outline_and_scale() {
        let echelle = centieme();
        let plus_grand = Echelle {
            scale: 0.02,
            ..echelle
        };
        let outline = square(0.0, 0.0);
        let first = trace(&outline, &echelle);
        assert_eq!(&*first, path_data(&outline, &echelle));
        assert!(Arc::ptr_eq(&first, &trace(&outline, &echelle)));
        let other = trace(&outline, &plus_grand);
        assert_eq!(&*other, "M0 20l20 0l0-20l-20 0Z");
        let same_shape = square(0.0, 0.0);
        let again = trace(&same_shape, &echelle);
        assert_eq!(again, first);
        assert!(!Arc::ptr_eq(&again, &first));
        // A whole map: the same bytes from the memo as written anew (fresh outlines).
        let carte = || Carte {
            zones: vec![
                zone("01", 0.0, Valeur::Nombre(1.0)),
                zone("02", 2000.0, Valeur::Nombre(2.0)),
            ],
            encarts: Vec::new(),
            coloriage: taux(Methode::Quantiles),
            legende: "Taux".into(),
            niveau: Niveau::Departement,
            sans_territoire: Vec::new(),
        };
        let une = carte();
        let premiere = super::carte(&options(), &une).unwrap();
        assert_eq!(super::carte(&options(), &une).unwrap(), premiere);
        assert_eq!(super::carte(&options(), &carte()).unwrap(), premiere);
    }

    /// An outline's box is its exterior rings' extent (holes and empty outlines change
    /// nothing), the same from the memo as computed anew, and kept with its outline.
    #[test]
    fn bounding_boxes_are_memoised_by_outline() {
        let mut memo = Emprises::new();
        let outline = square(1000.0, -500.0);
        let attendu = [1000.0, -500.0, 2000.0, 500.0];
        assert_eq!(emprise(Some(&mut memo), &outline), attendu);
        assert_eq!(memo.len(), 1);
        assert!(Arc::ptr_eq(
            &memo[&(Arc::as_ptr(&outline) as usize)].0,
            &outline
        ));
        assert_eq!(emprise(Some(&mut memo), &outline), attendu);
        assert_eq!(emprise(None, &outline), attendu);
        // A hole outside the ring (impossible, but not read) and a second polygon.
        let deux: Geometrie = Arc::new(vec![
            vec![
                vec![[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 0.0]],
                vec![[-99.0, -99.0], [99.0, 99.0], [0.0, 0.0]],
            ],
            vec![vec![[20.0, 5.0], [30.0, 40.0], [20.0, 5.0]]],
        ]);
        assert_eq!(emprise(Some(&mut memo), &deux), [0.0, 0.0, 30.0, 40.0]);
        let vide: Geometrie = Arc::default();
        assert_eq!(emprise(Some(&mut memo), &vide)[0], f64::INFINITY);
        assert_eq!(memo.len(), 2);
    }

    #[test]
    fn relative_path_in_whole_pixels() {
        let echelle = centieme();
        // 1000 m is 10 px; y flipped.
        assert_eq!(
            path_data(&square(0.0, 0.0), &echelle),
            "M0 10l10 0l0-10l-10 0Z"
        );
    }
}
