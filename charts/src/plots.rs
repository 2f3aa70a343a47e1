//! The charts. Each public function validates its data, then draws with plotters on an
//! SVG string; categorical axes are f64 axes bound to their integer key points.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::palette::{self, Colors};
use crate::svg::Svg;
use crate::{ChartError, ChartOptions, MAX_SIZE, MIN_SIZE, escape_xml};

type Area<'a> = DrawingArea<Svg<'a>, Shift>;
type Drawn = Result<(), Box<dyn std::error::Error>>;

/// A categorical axis: categories at 0, 1, .. n-1, each in a unit-wide band.
#[derive(Debug, Clone, Copy)]
struct Categories(usize);

impl Ranged for Categories {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let (lo, hi) = (-0.5, self.0 as f64 - 0.5);
        let t = (value - lo) / (hi - lo);
        limit.0 + (t * f64::from(limit.1 - limit.0)).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, _hint: H) -> Vec<f64> {
        (0..self.0).map(|i| i as f64).collect()
    }

    fn range(&self) -> Range<f64> {
        -0.5..self.0 as f64 - 0.5
    }
}

/// A point of a scatter plot, coloured by the family `famille`.
#[derive(Debug, Clone, PartialEq)]
pub struct ScatterPoint {
    pub x: f64,
    pub y: f64,
    pub famille: String,
}

/// One box of a box plot: the values of one group.
#[derive(Debug, Clone, PartialEq)]
pub struct BoxGroup {
    /// Family code, for the colour.
    pub famille: String,
    pub libelle: String,
    pub values: Vec<f64>,
}

/// One horizontal bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// Family code, for the colour (anything else is drawn neutral).
    pub famille: String,
    /// Text printed at the end of the bar.
    pub annotation: String,
    /// Half-width of an error bar drawn around the value (e.g. a standard deviation).
    pub error: Option<f64>,
}

/// One panel of a grid chart: its title and what it draws.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel<T> {
    pub title: String,
    pub data: T,
}

/// One ROC curve: the family it is about (for the colour), its legend and its points (fpr, tpr).
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    pub famille: String,
    pub legend: String,
    pub points: Vec<(f64, f64)>,
}

/// Text size for the chart's size: 20 px on a 1280x720 slide.
fn font_size(options: &ChartOptions) -> f64 {
    let scale = (f64::from(options.width) / 1280.0).min(f64::from(options.height) / 720.0);
    (20.0 * scale).clamp(9.0, 64.0)
}

/// Decimal comma, as French readers expect.
pub fn fr(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.as_str()),
    };
    let (integer, fraction) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    // Thousands grouped by a narrow no-break space, as the French typographic rule has it.
    let mut out = String::with_capacity(text.len() + 8);
    if negative {
        out.push('−');
    }
    let count = integer.chars().count();
    for (i, c) in integer.chars().enumerate() {
        if i > 0 && (count - i) % 3 == 0 {
            out.push('\u{202F}');
        }
        out.push(c);
    }
    if let Some(f) = fraction {
        out.push(',');
        out.push_str(f);
    }
    out
}

/// Decimals of an axis's tick labels from its span: none from 50 up (counts, euros,
/// inhabitants), one below.
fn decimales_axe(lo: f64, hi: f64) -> usize {
    if (hi - lo).abs() >= 50.0 { 0 } else { 1 }
}

fn render(
    options: &ChartOptions,
    draw: impl FnOnce(&Area, &Colors, f64) -> Drawn,
) -> Result<String, ChartError> {
    let (w, h) = (options.width, options.height);
    if !(MIN_SIZE..=MAX_SIZE).contains(&w) || !(MIN_SIZE..=MAX_SIZE).contains(&h) {
        return Err(ChartError::Size {
            width: w,
            height: h,
        });
    }
    let colors = palette::colors(options.theme);
    // `<title>` and `<desc>` as the first children of `<svg>` (accessibility).
    let head = format!(
        "<title>{}</title>\n<desc>{}</desc>\n",
        escape_xml(&options.title),
        escape_xml(&options.description)
    );
    let mut svg = String::with_capacity(32 * 1024);
    {
        let root = Svg::with_string(&mut svg, (w, h), &head).into_drawing_area();
        let result = root
            .fill(&colors.background)
            .map_err(Into::into)
            .and_then(|()| draw(&root, &colors, font_size(options)))
            .and_then(|()| root.present().map_err(Into::into));
        result.map_err(|e| ChartError::Draw(e.to_string()))?;
    }
    Ok(svg)
}

fn style(size: f64, color: &RGBColor) -> TextStyle<'static> {
    ("sans-serif", size).into_font().color(color)
}

fn padded(min: f64, max: f64, fraction: f64) -> (f64, f64) {
    if (max - min).abs() < f64::EPSILON {
        (min - 1.0, max + 1.0)
    } else {
        let pad = (max - min) * fraction;
        (min - pad, max + pad)
    }
}

fn min_max(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// Distribution of a variable over départements: `bins` equal-width bars of counts.
pub fn histogram(
    options: &ChartOptions,
    x_label: &str,
    values: &[f64],
    bins: usize,
) -> Result<String, ChartError> {
    let (lo, hi) =
        min_max(values.iter().copied()).ok_or_else(|| ChartError::NoData("no value".into()))?;
    let bins = bins.max(1);
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        (lo - 0.5, hi + 0.5)
    };
    let width = (hi - lo) / bins as f64;
    let mut counts = vec![0usize; bins];
    for v in values.iter().filter(|v| v.is_finite()) {
        let i = (((v - lo) / width).floor() as usize).min(bins - 1);
        counts[i] += 1;
    }
    let top = counts.iter().copied().max().unwrap_or(0) as f64;
    render(options, |root, colors, size| {
        let mut chart = ChartBuilder::on(root)
            .caption(&options.title, style(size * 1.3, &colors.foreground))
            .margin(size)
            .x_label_area_size(size * 3.0)
            .y_label_area_size(size * 4.0)
            .build_cartesian_2d(lo..hi, 0.0..(top * 1.1).max(1.0))?;
        chart
            .configure_mesh()
            .x_desc(x_label)
            .y_desc("Nombre de départements")
            .axis_desc_style(style(size, &colors.foreground))
            .label_style(style(size * 0.85, &colors.foreground))
            .axis_style(colors.foreground)
            .bold_line_style(colors.grid)
            .max_light_lines(0)
            .x_label_formatter(&|x| fr(*x, decimales_axe(lo, hi)))
            .y_label_formatter(&|y| fr(*y, 0))
            .draw()?;
        chart.draw_series(counts.iter().enumerate().map(|(i, count)| {
            let x0 = lo + width * i as f64;
            Rectangle::new(
                [(x0, 0.0), (x0 + width, *count as f64)],
                palette::NEUTRE.filled(),
            )
        }))?;
        // Thin separators in the background colour keep adjacent bars distinct.
        chart.draw_series(counts.iter().enumerate().map(|(i, count)| {
            let x0 = lo + width * i as f64;
            Rectangle::new(
                [(x0, 0.0), (x0 + width, *count as f64)],
                colors.background.stroke_width(1),
            )
        }))?;
        Ok(())
    })
}

/// Correlation matrix as coloured cells with the values printed in them.
pub fn heatmap(
    options: &ChartOptions,
    labels: &[String],
    matrix: &[Vec<Option<f64>>],
) -> Result<String, ChartError> {
    let k = labels.len();
    if k == 0 || matrix.len() != k || matrix.iter().any(|row| row.len() != k) {
        return Err(ChartError::NoData(format!("a {k}x{k} matrix is needed")));
    }
    render(options, |root, colors, size| {
        let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(1) as f64;
        let mut chart = ChartBuilder::on(root)
            .caption(&options.title, style(size * 1.3, &colors.foreground))
            .margin(size)
            .x_label_area_size(size * 3.5)
            .y_label_area_size(size * 0.62 * longest + size)
            .build_cartesian_2d(Categories(k), Categories(k))?;
        let label = |v: &f64| -> String {
            let i = v.round();
            if (v - i).abs() < 1e-6 && i >= 0.0 {
                labels.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        };
        let row_label = |v: &f64| label(&(k as f64 - 1.0 - v));
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc("Corrélation : −1 (bleu) … 0 (blanc) … +1 (rouge)")
            .axis_desc_style(style(size * 0.9, &colors.foreground))
            .label_style(style(size * 0.85, &colors.foreground))
            .axis_style(colors.foreground)
            .x_label_formatter(&label)
            .y_label_formatter(&row_label)
            .draw()?;
        let cells = matrix
            .iter()
            .enumerate()
            .flat_map(|(i, row)| row.iter().enumerate().map(move |(j, value)| (i, j, *value)));
        let cell_colors: Vec<(usize, usize, Option<f64>, RGBColor)> = cells
            .map(|(i, j, v)| (i, j, v, v.map_or(colors.grid, palette::diverging)))
            .collect();
        chart.draw_series(cell_colors.iter().map(|(i, j, _, color)| {
            let (x, y) = (*j as f64, (k - 1 - i) as f64);
            Rectangle::new([(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)], color.filled())
        }))?;
        let value_size = (size * 1.6 * 8.0 / k as f64).clamp(size * 0.6, size * 1.2);
        chart.draw_series(cell_colors.iter().map(|(i, j, v, color)| {
            let text = v.map_or_else(|| "—".to_owned(), |v| fr(v, 2));
            Text::new(
                text,
                (*j as f64, (k - 1 - i) as f64),
                style(value_size, &palette::text_on(*color))
                    .pos(Pos::new(HPos::Center, VPos::Center)),
            )
        }))?;
        Ok(())
    })
}

/// Scatter plot coloured by family (or by any category of [`palette::categorie`]:
/// LISA clusters), with an optional least-squares line
/// (`fit` = (intercept, slope, legend text)).
pub fn scatter(
    options: &ChartOptions,
    x_label: &str,
    y_label: &str,
    points: &[ScatterPoint],
    familles: &[(String, String)],
    fit: Option<(f64, f64, String)>,
) -> Result<String, ChartError> {
    let (x0, x1) =
        min_max(points.iter().map(|p| p.x)).ok_or_else(|| ChartError::NoData("no point".into()))?;
    let (y0, y1) =
        min_max(points.iter().map(|p| p.y)).ok_or_else(|| ChartError::NoData("no point".into()))?;
    let (x0, x1) = padded(x0, x1, 0.05);
    let (y0, y1) = padded(y0, y1, 0.08);
    render(options, |root, colors, size| {
        let mut chart = ChartBuilder::on(root)
            .caption(&options.title, style(size * 1.3, &colors.foreground))
            .margin(size)
            .x_label_area_size(size * 3.0)
            .y_label_area_size(size * 4.0)
            .build_cartesian_2d(x0..x1, y0..y1)?;
        chart
            .configure_mesh()
            .x_desc(x_label)
            .y_desc(y_label)
            .axis_desc_style(style(size, &colors.foreground))
            .label_style(style(size * 0.85, &colors.foreground))
            .axis_style(colors.foreground)
            .bold_line_style(colors.grid)
            .max_light_lines(0)
            .x_label_formatter(&|x| fr(*x, decimales_axe(x0, x1)))
            .y_label_formatter(&|y| fr(*y, decimales_axe(y0, y1)))
            .draw()?;
        let radius = (size * 0.3).max(3.0) as i32;
        for (code, libelle) in familles {
            let color = palette::categorie(code, colors.theme);
            let mine: Vec<&ScatterPoint> = points.iter().filter(|p| &p.famille == code).collect();
            if mine.is_empty() {
                continue;
            }
            chart
                .draw_series(
                    mine.iter()
                        .map(|p| Circle::new((p.x, p.y), radius, color.filled())),
                )?
                .label(format!("{libelle} ({})", mine.len()))
                .legend(move |(x, y)| Circle::new((x, y), radius, color.filled()));
        }
        if let Some((intercept, slope, legend)) = fit.clone() {
            let line = [(x0, intercept + slope * x0), (x1, intercept + slope * x1)];
            let fg = colors.foreground;
            chart
                .draw_series(LineSeries::new(line, fg.stroke_width(2)))?
                .label(legend)
                .legend(move |(x, y)| {
                    PathElement::new([(x - 10, y), (x + 10, y)], fg.stroke_width(2))
                });
        }
        // The legend goes in the corner that covers fewest points and least of the line
        // (the upper right when it is free).
        let labels: Vec<String> = familles
            .iter()
            .filter(|(code, _)| points.iter().any(|p| &p.famille == code))
            .map(|(code, libelle)| {
                let n = points.iter().filter(|p| &p.famille == code).count();
                format!("{libelle} ({n})")
            })
            .chain(fit.as_ref().map(|f| f.2.clone()))
            .collect();
        let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0) as f64;
        let (pw, ph) = chart.plotting_area().dim_in_pixel();
        let legend_w = (longest * size * 0.85 * 0.55 + size * 3.0) / f64::from(pw.max(1));
        let legend_h = (labels.len() as f64 * size * 0.85 * 1.4 + size) / f64::from(ph.max(1));
        let mut obstacles: Vec<(f64, f64)> = points
            .iter()
            .map(|p| ((p.x - x0) / (x1 - x0), (p.y - y0) / (y1 - y0)))
            .collect();
        if let Some((intercept, slope, _)) = &fit {
            obstacles.extend((0..=64).map(|k| {
                let x = x0 + (x1 - x0) * f64::from(k) / 64.0;
                (
                    (x - x0) / (x1 - x0),
                    (intercept + slope * x - y0) / (y1 - y0),
                )
            }));
        }
        let position = coin_libre(&obstacles, legend_w, legend_h);
        chart
            .configure_series_labels()
            .position(position)
            .label_font(style(size * 0.85, &colors.foreground))
            .background_style(colors.background.mix(0.85))
            .border_style(colors.foreground)
            .draw()?;
        Ok(())
    })
}

/// The corner of a plot where a legend box (`w` × `h`, fractions of the plotting area) covers
/// the fewest obstacles (points in 0..1 × 0..1, y up): the upper right, then the upper left,
/// the lower right and the lower left on ties.
fn coin_libre(obstacles: &[(f64, f64)], w: f64, h: f64) -> SeriesLabelPosition {
    // A little room around the box (plotters sets it 10 px off the corner).
    let (w, h) = ((w * 1.1).min(1.0), (h * 1.1).min(1.0));
    let corners = [
        (SeriesLabelPosition::UpperRight, 1.0 - w, 1.0 - h),
        (SeriesLabelPosition::UpperLeft, 0.0, 1.0 - h),
        (SeriesLabelPosition::LowerRight, 1.0 - w, 0.0),
        (SeriesLabelPosition::LowerLeft, 0.0, 0.0),
    ];
    let covered = |x: f64, y: f64| {
        obstacles
            .iter()
            .filter(|(ox, oy)| *ox >= x && *ox <= x + w && *oy >= y && *oy <= y + h)
            .count()
    };
    let mut best = (SeriesLabelPosition::UpperRight, usize::MAX);
    for (position, x, y) in corners {
        let n = covered(x, y);
        if n < best.1 {
            best = (position, n);
        }
    }
    best.0
}

/// Quantile by linear interpolation between order statistics (type 7, as numpy's default).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let position = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let (lo, hi) = (position.floor() as usize, position.ceil() as usize);
    let (a, b) = (sorted[lo], sorted[hi.min(sorted.len() - 1)]);
    a + (b - a) * (position - lo as f64)
}

/// Box plots of a variable per group: quartiles, whiskers to the furthest value within
/// 1.5 IQR, outliers as dots.
pub fn boxplot(
    options: &ChartOptions,
    y_label: &str,
    groups: &[BoxGroup],
) -> Result<String, ChartError> {
    let groups: Vec<(&BoxGroup, Vec<f64>)> = groups
        .iter()
        .map(|g| {
            let mut v: Vec<f64> = g.values.iter().copied().filter(|v| v.is_finite()).collect();
            v.sort_by(f64::total_cmp);
            (g, v)
        })
        .filter(|(_, v)| !v.is_empty())
        .collect();
    let (lo, hi) = min_max(groups.iter().flat_map(|(_, v)| v.iter().copied()))
        .ok_or_else(|| ChartError::NoData("no value in any group".into()))?;
    let (lo, hi) = padded(lo, hi, 0.08);
    let n = groups.len();
    render(options, |root, colors, size| {
        let mut chart = ChartBuilder::on(root)
            .caption(&options.title, style(size * 1.3, &colors.foreground))
            .margin(size)
            .x_label_area_size(size * 3.0)
            .y_label_area_size(size * 4.0)
            .build_cartesian_2d(Categories(n), lo..hi)?;
        let label = |v: &f64| {
            let i = v.round();
            match groups.get(i as usize) {
                Some((g, values)) if (v - i).abs() < 1e-6 && i >= 0.0 => {
                    format!("{} (n = {})", g.libelle, values.len())
                }
                _ => String::new(),
            }
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .y_desc(y_label)
            .axis_desc_style(style(size, &colors.foreground))
            .label_style(style(size * 0.85, &colors.foreground))
            .axis_style(colors.foreground)
            .bold_line_style(colors.grid)
            .max_light_lines(0)
            .x_label_formatter(&label)
            .y_label_formatter(&|y| fr(*y, decimales_axe(lo, hi)))
            .draw()?;
        let fg = colors.foreground;
        for (i, (group, values)) in groups.iter().enumerate() {
            let x = i as f64;
            let color = palette::famille(&group.famille, colors.theme);
            let (q1, q2, q3) = (
                quantile(values, 0.25),
                quantile(values, 0.5),
                quantile(values, 0.75),
            );
            let iqr = q3 - q1;
            let low = values
                .iter()
                .copied()
                .find(|v| *v >= q1 - 1.5 * iqr)
                .unwrap_or(q1);
            let high = values
                .iter()
                .rev()
                .copied()
                .find(|v| *v <= q3 + 1.5 * iqr)
                .unwrap_or(q3);
            chart.draw_series([
                PathElement::new([(x, low), (x, q1)], fg.stroke_width(2)),
                PathElement::new([(x, q3), (x, high)], fg.stroke_width(2)),
                PathElement::new([(x - 0.15, low), (x + 0.15, low)], fg.stroke_width(2)),
                PathElement::new([(x - 0.15, high), (x + 0.15, high)], fg.stroke_width(2)),
            ])?;
            chart.draw_series([Rectangle::new(
                [(x - 0.3, q1), (x + 0.3, q3)],
                color.filled(),
            )])?;
            chart.draw_series([Rectangle::new(
                [(x - 0.3, q1), (x + 0.3, q3)],
                fg.stroke_width(2),
            )])?;
            chart.draw_series([PathElement::new(
                [(x - 0.3, q2), (x + 0.3, q2)],
                fg.stroke_width(4),
            )])?;
            let radius = (size * 0.25).max(2.0) as i32;
            chart.draw_series(
                values
                    .iter()
                    .filter(|v| **v < low || **v > high)
                    .map(|v| Circle::new((x, *v), radius, fg.stroke_width(1))),
            )?;
        }
        Ok(())
    })
}

/// The label of the bar at category position `v` (bars are drawn top to bottom).
fn bar_label(bars: &[Bar], v: f64) -> String {
    let i = v.round();
    if (v - i).abs() < 1e-6 && i >= 0.0 {
        bars.len()
            .checked_sub(1 + i as usize)
            .and_then(|k| bars.get(k))
            .map(|b| b.label.clone())
            .unwrap_or_default()
    } else {
        String::new()
    }
}

/// The value axis of a horizontal bar chart.
struct BarFrame<'l> {
    x: std::ops::Range<f64>,
    /// Rows of the frame: the bars, and any rows above them left for texts.
    rows: usize,
    x_label: &'l str,
    decimals: usize,
}

type BarChart<'a, 'b> =
    ChartContext<'a, Svg<'b>, Cartesian2d<plotters::coord::types::RangedCoordf64, Categories>>;

/// Horizontal bars, top to bottom in the given order, coloured by family, their labels on the
/// left and the value axis below; the caller adds texts and marks.
fn horizontal_bars<'a, 'b>(
    root: &'a Area<'b>,
    options: &ChartOptions,
    colors: &Colors,
    size: f64,
    bars: &[Bar],
    frame: BarFrame<'_>,
) -> Result<BarChart<'a, 'b>, Box<dyn std::error::Error>> {
    let n = bars.len();
    let longest = bars
        .iter()
        .map(|b| b.label.chars().count())
        .max()
        .unwrap_or(1) as f64;
    let mut chart = ChartBuilder::on(root)
        .caption(&options.title, style(size * 1.3, &colors.foreground))
        .margin(size)
        .x_label_area_size(size * 3.0)
        .y_label_area_size(size * 0.62 * longest + size)
        .build_cartesian_2d(frame.x, Categories(frame.rows.max(n)))?;
    let label = |v: &f64| bar_label(bars, *v);
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_desc(frame.x_label)
        .axis_desc_style(style(size, &colors.foreground))
        .label_style(style(size * 0.85, &colors.foreground))
        .axis_style(colors.foreground)
        .bold_line_style(colors.grid)
        .max_light_lines(0)
        .x_label_formatter(&|x| fr(*x, frame.decimals))
        .y_label_formatter(&label)
        .draw()?;
    chart.draw_series(bars.iter().enumerate().map(|(i, b)| {
        let y = (n - 1 - i) as f64;
        Rectangle::new(
            [(0.0, y - 0.35), (b.value, y + 0.35)],
            bar_color(b, colors.theme).filled(),
        )
    }))?;
    Ok(chart)
}

/// A family's colour, neutral for anything else.
fn bar_color(bar: &Bar, theme: crate::Theme) -> RGBColor {
    match bar.famille.as_str() {
        "gauche" | "centre" | "droite" | "extreme_droite" => palette::famille(&bar.famille, theme),
        _ => palette::NEUTRE,
    }
}

/// Horizontal bars, top to bottom in the given order, with a text at the end of each.
pub fn bars(options: &ChartOptions, x_label: &str, bars: &[Bar]) -> Result<String, ChartError> {
    bars_with_reference(options, x_label, bars, None)
}

/// Horizontal bars with error bars where given and an optional vertical reference line
/// (value, label), e.g. a baseline.
pub fn bars_with_reference(
    options: &ChartOptions,
    x_label: &str,
    bars: &[Bar],
    reference: Option<(f64, String)>,
) -> Result<String, ChartError> {
    if bars.is_empty() {
        return Err(ChartError::NoData("no bar".into()));
    }
    let n = bars.len();
    let top = bars
        .iter()
        .map(|b| b.value + b.error.unwrap_or(0.0))
        .fold(0.0_f64, f64::max);
    // Shares and accuracies need decimals on the axis; vote counts do not.
    let decimals = if top < 10.0 { 2 } else { 0 };
    render(options, |root, colors, size| {
        // The reference's label gets a row of its own above the bars: it never covers one.
        let frame = BarFrame {
            x: 0.0..(top * 1.2).max(1.0),
            rows: n + usize::from(reference.is_some()),
            x_label,
            decimals,
        };
        let mut chart = horizontal_bars(root, options, colors, size, bars, frame)?;
        let fg = colors.foreground;
        for (i, b) in bars.iter().enumerate() {
            if let Some(error) = b.error {
                let y = (n - 1 - i) as f64;
                let (lo, hi) = ((b.value - error).max(0.0), b.value + error);
                chart.draw_series([
                    PathElement::new([(lo, y), (hi, y)], fg.stroke_width(2)),
                    PathElement::new([(lo, y - 0.15), (lo, y + 0.15)], fg.stroke_width(2)),
                    PathElement::new([(hi, y - 0.15), (hi, y + 0.15)], fg.stroke_width(2)),
                ])?;
            }
        }
        if let Some((x, label)) = &reference {
            chart.draw_series([PathElement::new(
                [(*x, -0.5), (*x, n as f64 - 0.5)],
                fg.stroke_width(2),
            )])?;
            chart.draw_series([Text::new(
                label.clone(),
                (*x + top * 0.01, n as f64),
                style(size * 0.8, &fg).pos(Pos::new(HPos::Left, VPos::Center)),
            )])?;
        }
        chart.draw_series(bars.iter().enumerate().map(|(i, b)| {
            let y = (n - 1 - i) as f64;
            let end = b.value + b.error.unwrap_or(0.0);
            // SVG collapses leading spaces: offset the text by 1 % of the axis instead.
            Text::new(
                b.annotation.clone(),
                (end + top * 0.01, y),
                style(size * 0.85, &colors.foreground).pos(Pos::new(HPos::Left, VPos::Center)),
            )
        }))?;
        Ok(())
    })
}

/// Horizontal bars of signed changes around a vertical zero line (e.g. percentage points
/// gained or lost), top to bottom in the given order, with a text beside each.
pub fn diverging_bars(
    options: &ChartOptions,
    x_label: &str,
    bars: &[Bar],
) -> Result<String, ChartError> {
    signed_bars(options, x_label, bars, 1.0, 0)
}

/// Signed horizontal bars with their error bars (e.g. a permutation importance, which is
/// negative when shuffling a feature helps): the axis spans every bar and error bar, however
/// small, with `decimals` on its ticks.
pub fn signed_bars_with_errors(
    options: &ChartOptions,
    x_label: &str,
    bars: &[Bar],
    decimals: usize,
) -> Result<String, ChartError> {
    signed_bars(options, x_label, bars, 0.0, decimals)
}

/// Signed bars around a zero line; the axis spans at least `min_span`.
fn signed_bars(
    options: &ChartOptions,
    x_label: &str,
    bars: &[Bar],
    min_span: f64,
    decimals: usize,
) -> Result<String, ChartError> {
    if bars.is_empty() {
        return Err(ChartError::NoData("no bar".into()));
    }
    if let Some(bad) = bars
        .iter()
        .find(|b| !b.value.is_finite() || b.error.is_some_and(|e| !e.is_finite()))
    {
        return Err(ChartError::NoData(format!("no value for '{}'", bad.label)));
    }
    let n = bars.len();
    let error = |b: &Bar| b.error.unwrap_or(0.0);
    let low = bars
        .iter()
        .map(|b| b.value - error(b))
        .fold(0.0_f64, f64::min);
    let high = bars
        .iter()
        .map(|b| b.value + error(b))
        .fold(0.0_f64, f64::max);
    // Room on both sides for the texts.
    let span = (high - low).max(min_span).max(f64::EPSILON);
    let (x0, x1) = (low - span * 0.45, high + span * 0.45);
    render(options, |root, colors, size| {
        let frame = BarFrame {
            x: x0..x1,
            rows: n,
            x_label,
            decimals,
        };
        let mut chart = horizontal_bars(root, options, colors, size, bars, frame)?;
        let fg = colors.foreground;
        chart.draw_series([PathElement::new(
            [(0.0, -0.5), (0.0, n as f64 - 0.5)],
            fg.stroke_width(2),
        )])?;
        for (i, b) in bars.iter().enumerate() {
            if let Some(e) = b.error {
                let y = (n - 1 - i) as f64;
                let (lo, hi) = (b.value - e, b.value + e);
                chart.draw_series([
                    PathElement::new([(lo, y), (hi, y)], fg.stroke_width(2)),
                    PathElement::new([(lo, y - 0.15), (lo, y + 0.15)], fg.stroke_width(2)),
                    PathElement::new([(hi, y - 0.15), (hi, y + 0.15)], fg.stroke_width(2)),
                ])?;
            }
        }
        chart.draw_series(bars.iter().enumerate().map(|(i, b)| {
            let y = (n - 1 - i) as f64;
            let (x, h) = if b.value >= 0.0 {
                (b.value + error(b) + span * 0.01, HPos::Left)
            } else {
                (b.value - error(b) - span * 0.01, HPos::Right)
            };
            Text::new(
                b.annotation.clone(),
                (x, y),
                style(size * 0.85, &colors.foreground).pos(Pos::new(h, VPos::Center)),
            )
        }))?;
        Ok(())
    })
}

/// Splits the chart under a title into a grid of `n` panels, row by row.
fn grid<'a>(
    root: &Area<'a>,
    options: &ChartOptions,
    colors: &Colors,
    size: f64,
    n: usize,
) -> Result<Vec<Area<'a>>, Box<dyn std::error::Error>> {
    let (title, body) = root.split_vertically((size * 2.6) as u32);
    title.draw(&Text::new(
        options.title.clone(),
        ((options.width / 2) as i32, (size * 1.3) as i32),
        style(size * 1.3, &colors.foreground).pos(Pos::new(HPos::Center, VPos::Center)),
    ))?;
    let cols = (n as f64).sqrt().ceil().max(1.0) as usize;
    let rows = n.div_ceil(cols).max(1);
    Ok(body
        .split_evenly((rows, cols))
        .into_iter()
        .take(n)
        .collect())
}

/// Confusion matrices, one panel each: rows are the true classes, columns the predicted
/// ones, counts printed in cells shaded by their share of the row.
pub fn confusion_matrices(
    options: &ChartOptions,
    classes: &[String],
    panels: &[Panel<Vec<Vec<usize>>>],
) -> Result<String, ChartError> {
    let k = classes.len();
    if k == 0
        || panels.is_empty()
        || panels
            .iter()
            .any(|p| p.data.len() != k || p.data.iter().any(|r| r.len() != k))
    {
        return Err(ChartError::NoData(format!("{k}x{k} matrices are needed")));
    }
    render(options, |root, colors, size| {
        // One or two panels (one model's chart) read at the chart's text size; a grid of
        // many smaller.
        let small = size * if panels.len() <= 2 { 1.0 } else { 0.75 };
        let longest = classes.iter().map(|c| c.chars().count()).max().unwrap_or(1) as f64;
        for (area, panel) in grid(root, options, colors, size, panels.len())?
            .iter()
            .zip(panels)
        {
            let mut chart = ChartBuilder::on(area)
                .caption(&panel.title, style(small * 1.1, &colors.foreground))
                .margin(small)
                .x_label_area_size(small * 3.0)
                .y_label_area_size(small * 0.62 * longest + small * 2.0)
                .build_cartesian_2d(Categories(k), Categories(k))?;
            let label = |v: &f64| {
                let i = v.round();
                if (v - i).abs() < 1e-6 && i >= 0.0 {
                    classes.get(i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            };
            let row_label = |v: &f64| label(&(k as f64 - 1.0 - v));
            chart
                .configure_mesh()
                .disable_mesh()
                .x_desc("Prédite")
                .y_desc("Réelle")
                .axis_desc_style(style(small, &colors.foreground))
                .label_style(style(small * 0.9, &colors.foreground))
                .axis_style(colors.foreground)
                .x_label_formatter(&label)
                .y_label_formatter(&row_label)
                .draw()?;
            let cells: Vec<(f64, f64, usize, RGBColor)> = panel
                .data
                .iter()
                .enumerate()
                .flat_map(|(i, row)| {
                    let total: usize = row.iter().sum();
                    row.iter().enumerate().map(move |(j, count)| {
                        let share = if total == 0 {
                            0.0
                        } else {
                            *count as f64 / total as f64
                        };
                        (
                            j as f64,
                            (k - 1 - i) as f64,
                            *count,
                            palette::sequential(share),
                        )
                    })
                })
                .collect();
            chart.draw_series(cells.iter().map(|(x, y, _, color)| {
                Rectangle::new([(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)], color.filled())
            }))?;
            chart.draw_series(cells.iter().map(|(x, y, count, color)| {
                Text::new(
                    count.to_string(),
                    (*x, *y),
                    style(small * 1.1, &palette::text_on(*color))
                        .pos(Pos::new(HPos::Center, VPos::Center)),
                )
            }))?;
        }
        Ok(())
    })
}

/// ROC curves, one panel each (e.g. one per model), one curve per class with the diagonal of
/// a scorer that knows nothing.
pub fn roc_curves(
    options: &ChartOptions,
    panels: &[Panel<Vec<Curve>>],
) -> Result<String, ChartError> {
    if panels.is_empty()
        || panels
            .iter()
            .any(|p| p.data.is_empty() || p.data.iter().any(|c| c.points.is_empty()))
    {
        return Err(ChartError::NoData("no curve".into()));
    }
    render(options, |root, colors, size| {
        // One or two panels (one model's chart) read at the chart's text size; a grid of
        // many smaller.
        let small = size * if panels.len() <= 2 { 1.0 } else { 0.75 };
        for (area, panel) in grid(root, options, colors, size, panels.len())?
            .iter()
            .zip(panels)
        {
            let mut chart = ChartBuilder::on(area)
                .caption(&panel.title, style(small * 1.1, &colors.foreground))
                .margin(small)
                .x_label_area_size(small * 3.0)
                .y_label_area_size(small * 3.5)
                .build_cartesian_2d(0.0..1.0, 0.0..1.0)?;
            chart
                .configure_mesh()
                .x_desc("Taux de faux positifs")
                .y_desc("Taux de vrais positifs")
                .axis_desc_style(style(small, &colors.foreground))
                .label_style(style(small * 0.9, &colors.foreground))
                .axis_style(colors.foreground)
                .bold_line_style(colors.grid)
                .max_light_lines(0)
                .x_labels(3)
                .y_labels(3)
                .x_label_formatter(&|x| fr(*x, 1))
                .y_label_formatter(&|y| fr(*y, 1))
                .draw()?;
            chart.draw_series([PathElement::new(
                [(0.0, 0.0), (1.0, 1.0)],
                colors.grid.stroke_width(2),
            )])?;
            for curve in &panel.data {
                let color = palette::famille(&curve.famille, colors.theme);
                chart
                    .draw_series(LineSeries::new(
                        curve.points.iter().copied(),
                        color.stroke_width(3),
                    ))?
                    .label(curve.legend.clone())
                    .legend(move |(x, y)| {
                        PathElement::new([(x - 8, y), (x + 8, y)], color.stroke_width(3))
                    });
            }
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::LowerRight)
                .label_font(style(small * 0.85, &colors.foreground))
                .background_style(colors.background.mix(0.85))
                .border_style(colors.foreground)
                .draw()?;
        }
        Ok(())
    })
}

/// A time series (x in fractional years) with an optional vertical marker (x, label).
pub fn time_series(
    options: &ChartOptions,
    y_label: &str,
    points: &[(f64, f64)],
    marker: Option<(f64, String)>,
) -> Result<String, ChartError> {
    let (x0, x1) =
        min_max(points.iter().map(|p| p.0)).ok_or_else(|| ChartError::NoData("no point".into()))?;
    let (_, y1) =
        min_max(points.iter().map(|p| p.1)).ok_or_else(|| ChartError::NoData("no point".into()))?;
    let (x0, x1) = if x1 > x0 {
        (x0, x1)
    } else {
        (x0 - 1.0, x1 + 1.0)
    };
    let y1 = (y1 * 1.15).max(1.0);
    render(options, |root, colors, size| {
        let mut chart = ChartBuilder::on(root)
            .caption(&options.title, style(size * 1.3, &colors.foreground))
            .margin(size)
            .x_label_area_size(size * 3.0)
            .y_label_area_size(size * 4.0)
            .build_cartesian_2d(x0..x1, 0.0..y1)?;
        chart
            .configure_mesh()
            .x_desc("Année")
            .y_desc(y_label)
            .axis_desc_style(style(size, &colors.foreground))
            .label_style(style(size * 0.85, &colors.foreground))
            .axis_style(colors.foreground)
            .bold_line_style(colors.grid)
            .max_light_lines(0)
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| fr(*y, 0))
            .draw()?;
        chart.draw_series(LineSeries::new(
            points.iter().copied(),
            palette::NEUTRE.stroke_width(3),
        ))?;
        if let Some((x, text)) = marker {
            let fg = colors.foreground;
            chart.draw_series([PathElement::new([(x, 0.0), (x, y1)], fg.stroke_width(2))])?;
            // Label on the side with room: left of the line when it is in the right third.
            let (dx, anchor) = if x > x0 + (x1 - x0) * 0.66 {
                (-(x1 - x0) * 0.005, HPos::Right)
            } else {
                ((x1 - x0) * 0.005, HPos::Left)
            };
            chart.draw_series([Text::new(
                text,
                (x + dx, y1 * 0.97),
                style(size * 0.85, &fg).pos(Pos::new(anchor, VPos::Top)),
            )])?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_like_numpy() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile(&v, 0.5), 2.5);
        assert_eq!(quantile(&v, 0.25), 1.75);
        assert_eq!(quantile(&v, 0.75), 3.25);
        assert_eq!(quantile(&v, 0.0), 1.0);
        assert_eq!(quantile(&v, 1.0), 4.0);
        assert_eq!(quantile(&[7.0], 0.3), 7.0);
    }

    /// A Moran plot's points and line run from lower left to upper right: the legend goes
    /// to a free corner, not over them.
    #[test]
    fn the_legend_takes_a_free_corner() {
        let diagonal: Vec<(f64, f64)> = (0..=20)
            .map(|k| (k as f64 / 20.0, k as f64 / 20.0))
            .collect();
        assert!(matches!(
            coin_libre(&diagonal, 0.3, 0.2),
            SeriesLabelPosition::UpperLeft
        ));
        assert!(matches!(
            coin_libre(&[(0.1, 0.1)], 0.3, 0.2),
            SeriesLabelPosition::UpperRight
        ));
        let everywhere_but_lower_right = [(0.05, 0.95), (0.95, 0.95), (0.05, 0.05)];
        assert!(matches!(
            coin_libre(&everywhere_but_lower_right, 0.3, 0.2),
            SeriesLabelPosition::LowerRight
        ));
    }

    #[test]
    fn french_numbers() {
        assert_eq!(fr(12.345, 1), "12,3");
        assert_eq!(fr(-0.5, 2), "−0,50");
        assert_eq!(fr(999.0, 0), "999");
        assert_eq!(fr(450_000.0, 0), "450\u{202F}000");
        assert_eq!(fr(-1_234_567.891, 2), "−1\u{202F}234\u{202F}567,89");
    }
}
