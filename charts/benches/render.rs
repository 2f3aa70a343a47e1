//! Render time of each chart on data of the real size (100 départements, 8 variables,
//! 175 quarters), SVG only, plus one PNG rasterization.
//! Run: `cargo bench -p charts --bench render`.

#![allow(clippy::unwrap_used)]

use charts::{Bar, BoxGroup, ChartOptions, ScatterPoint, Theme};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

const FAMILLES: [&str; 4] = ["gauche", "centre", "droite", "extreme_droite"];

fn options() -> ChartOptions {
    ChartOptions {
        width: 1280,
        height: 720,
        theme: Theme::Light,
        title: "Titre du graphique".into(),
        description: "Description".into(),
    }
}

/// Deterministic pseudo-random values in [0, 1).
fn values(n: usize, seed: u64) -> Vec<f64> {
    let mut state = seed;
    (0..n)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let o = options();
    let xs: Vec<f64> = values(100, 1).iter().map(|v| 4.0 + v * 14.0).collect();
    let ys: Vec<f64> = values(100, 2).iter().map(|v| 10.0 + v * 40.0).collect();
    let points: Vec<ScatterPoint> = xs
        .iter()
        .zip(&ys)
        .enumerate()
        .map(|(i, (x, y))| ScatterPoint {
            x: *x,
            y: *y,
            famille: FAMILLES[i % 4].into(),
        })
        .collect();
    let familles: Vec<(String, String)> = FAMILLES
        .iter()
        .map(|f| ((*f).into(), (*f).into()))
        .collect();
    let labels: Vec<String> = (0..8).map(|i| format!("Variable {i}")).collect();
    let matrix: Vec<Vec<Option<f64>>> = (0..8)
        .map(|i| {
            (0..8)
                .map(|j| {
                    Some(if i == j {
                        1.0
                    } else {
                        ((i * 8 + j) % 17) as f64 / 17.0 - 0.5
                    })
                })
                .collect()
        })
        .collect();
    let groups: Vec<BoxGroup> = FAMILLES
        .iter()
        .enumerate()
        .map(|(i, f)| BoxGroup {
            famille: (*f).into(),
            libelle: (*f).into(),
            values: values(25, 10 + i as u64)
                .iter()
                .map(|v| 5.0 + v * 10.0)
                .collect(),
        })
        .collect();
    let bars: Vec<Bar> = (0..12)
        .map(|i| Bar {
            label: format!("Candidat {i}"),
            value: 1000.0 * (12 - i) as f64,
            famille: FAMILLES[i % 4].into(),
            annotation: format!("{i} %"),
            error: None,
        })
        .collect();
    let series: Vec<(f64, f64)> = values(175, 3)
        .iter()
        .enumerate()
        .map(|(i, v)| (1982.0 + i as f64 / 4.0, 5.0 + v * 5.0))
        .collect();

    c.bench_function("histogram", |b| {
        b.iter(|| charts::histogram(&o, "x (%)", black_box(&xs), 20).unwrap())
    });
    c.bench_function("heatmap", |b| {
        b.iter(|| charts::heatmap(&o, &labels, black_box(&matrix)).unwrap())
    });
    c.bench_function("scatter", |b| {
        b.iter(|| {
            charts::scatter(
                &o,
                "x",
                "y",
                black_box(&points),
                &familles,
                Some((1.0, 0.5, "r".into())),
            )
            .unwrap()
        })
    });
    c.bench_function("boxplot", |b| {
        b.iter(|| charts::boxplot(&o, "y", black_box(&groups)).unwrap())
    });
    c.bench_function("bars", |b| {
        b.iter(|| charts::bars(&o, "Voix", black_box(&bars)).unwrap())
    });
    // The 2017 -> 2022 shift: four families and participation, signed.
    let shifts: Vec<Bar> = [3.2, 6.5, -16.5, 6.8, -5.2]
        .iter()
        .enumerate()
        .map(|(i, v)| Bar {
            label: format!("Famille {i}"),
            value: *v,
            famille: FAMILLES.get(i).map_or(String::new(), |f| (*f).to_owned()),
            annotation: format!("{v} pts"),
            error: None,
        })
        .collect();
    c.bench_function("diverging_bars", |b| {
        b.iter(|| charts::diverging_bars(&o, "Écart", black_box(&shifts)).unwrap())
    });
    c.bench_function("time_series", |b| {
        b.iter(|| {
            charts::time_series(&o, "y", black_box(&series), Some((2022.25, "P".into()))).unwrap()
        })
    });
    let svg = charts::scatter(&o, "x", "y", &points, &familles, None).unwrap();
    c.bench_function("png_scatter", |b| {
        b.iter(|| charts::svg_to_png(black_box(&svg)).unwrap())
    });
    // The PNG's stages apart: parsing the SVG text, rasterising, encoding (the fast encoder
    // used now, and tiny-skia's own, used before).
    let pixmap = stages(c, "png_stage", &svg);
    c.bench_function("png_stage_encode_fast", |b| {
        b.iter(|| charts::raster::encode(black_box(&pixmap)).unwrap())
    });
    c.bench_function("png_stage_encode_tiny_skia", |b| {
        b.iter(|| black_box(&pixmap).encode_png().unwrap())
    });
    // A real map (the committed département map): the whole PNG, and its parsing and
    // rasterising apart (its outlines from the coverage memo once warm).
    let carte = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../images/carte_part_extreme_droite.svg"
    ))
    .unwrap();
    c.bench_function("png_carte", |b| {
        b.iter(|| charts::svg_to_png(black_box(&carte)).unwrap())
    });
    stages(c, "png_carte_stage", &carte);
}

/// Benchmarks parsing `svg` and rasterising its tree (`{name}_parse`, `{name}_rasterize`);
/// returns the pixels.
fn stages(c: &mut Criterion, name: &str, svg: &str) -> resvg::tiny_skia::Pixmap {
    use charts::raster;
    c.bench_function(&format!("{name}_parse"), |b| {
        b.iter(|| raster::parse(black_box(svg)).unwrap())
    });
    let tree = raster::parse(svg).unwrap();
    c.bench_function(&format!("{name}_rasterize"), |b| {
        b.iter(|| raster::rasterize(black_box(&tree)).unwrap())
    });
    raster::rasterize(&tree).unwrap()
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
