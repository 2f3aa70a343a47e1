//! Each chart on known data: well-formed XML, the expected marks, labels,
//! accessibility metadata, escaping of hostile text, and PNG output.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use charts::{Bar, BoxGroup, ChartOptions, ScatterPoint, Theme};

fn options(title: &str) -> ChartOptions {
    ChartOptions {
        width: 1280,
        height: 720,
        theme: Theme::Light,
        title: title.to_owned(),
        description: format!("Description de {title}"),
    }
}

/// Parses the whole document; returns element names in order.
fn elements(svg: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(svg);
    let mut names = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                names.push(String::from_utf8(e.name().as_ref().to_vec()).unwrap())
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    names
}

fn count_fill(svg: &str, color: &str) -> usize {
    svg.lines()
        .filter(|l| l.starts_with("<rect") && l.contains(&format!("fill=\"{color}\"")))
        .count()
}

fn check_common(svg: &str, title: &str) {
    let names = elements(svg);
    assert_eq!(names[0], "svg");
    assert_eq!(names[1], "title");
    assert_eq!(names[2], "desc");
    assert!(
        svg.starts_with("<svg width=\"1280\" height=\"720\" viewBox=\"0 0 1280 720\""),
        "{}",
        &svg[..100]
    );
    assert!(svg.contains(&format!("<title>{title}</title>")));
    assert!(!svg.contains("<script"));
}

fn png_size(svg: &str) -> (u32, u32) {
    let png = charts::svg_to_png(svg).unwrap();
    let pixmap = resvg::tiny_skia::Pixmap::decode_png(&png).unwrap();
    (pixmap.width(), pixmap.height())
}

#[test]
fn histogram_has_one_bar_per_bin() {
    let values = [1.0, 2.0, 2.5, 3.0, 9.0, 10.0];
    let svg =
        charts::histogram(&options("Histogramme"), "Taux d'abstention (%)", &values, 3).unwrap();
    check_common(&svg, "Histogramme");
    assert_eq!(count_fill(&svg, "#009E73"), 3);
    assert!(svg.contains("Taux d&apos;abstention (%)"));
    assert!(svg.contains("Nombre de départements"));
    assert_eq!(png_size(&svg), (1280, 720));
    std::fs::create_dir_all("../target/charts").unwrap();
    std::fs::write("../target/charts/histogram.svg", &svg).unwrap();
    std::fs::write(
        "../target/charts/histogram.png",
        charts::svg_to_png(&svg).unwrap(),
    )
    .unwrap();
}

#[test]
fn heatmap_has_one_cell_per_pair_with_values() {
    let labels: Vec<String> = ["Chômage", "Abstention", "Ext. droite"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let m = vec![
        vec![Some(1.0), Some(0.62), Some(0.34)],
        vec![Some(0.62), Some(1.0), None],
        vec![Some(0.34), None, Some(1.0)],
    ];
    let svg = charts::heatmap(&options("Corrélations"), &labels, &m).unwrap();
    check_common(&svg, "Corrélations");
    assert!(
        svg.contains(">\n0,62\n</text>") || svg.contains("0,62"),
        "value printed"
    );
    assert_eq!(svg.matches("0,62").count(), 2);
    assert_eq!(svg.matches("1,00").count(), 3);
    assert_eq!(svg.matches("—").count(), 2, "missing values are marked");
    for l in &labels {
        assert!(svg.contains(l.as_str()), "{l}");
    }
    std::fs::create_dir_all("../target/charts").unwrap();
    std::fs::write(
        "../target/charts/heatmap.png",
        charts::svg_to_png(&svg).unwrap(),
    )
    .unwrap();
}

#[test]
fn scatter_has_one_point_per_departement_and_a_fit() {
    let points: Vec<ScatterPoint> = (0..10)
        .map(|i| ScatterPoint {
            x: f64::from(i),
            y: f64::from(i * 2 + 1),
            famille: if i % 2 == 0 {
                "centre".into()
            } else {
                "extreme_droite".into()
            },
        })
        .collect();
    let familles = vec![
        ("gauche".to_owned(), "Gauche".to_owned()),
        ("centre".to_owned(), "Centre".to_owned()),
        ("extreme_droite".to_owned(), "Extrême droite".to_owned()),
    ];
    let svg = charts::scatter(
        &options("Nuage"),
        "Taux de chômage (%)",
        "Part extrême droite (%)",
        &points,
        &familles,
        Some((1.0, 2.0, "Moindres carrés : r = 1,00".into())),
    )
    .unwrap();
    check_common(&svg, "Nuage");
    // 10 points + one legend marker per family present.
    assert_eq!(svg.matches("<circle").count(), 12);
    assert!(svg.contains("Centre (5)"));
    assert!(svg.contains("r = 1,00"));
    assert!(svg.contains("<polyline"), "fit line");
    std::fs::create_dir_all("../target/charts").unwrap();
    std::fs::write(
        "../target/charts/scatter.png",
        charts::svg_to_png(&svg).unwrap(),
    )
    .unwrap();
}

#[test]
fn boxplot_has_one_box_per_group() {
    let groups = vec![
        BoxGroup {
            famille: "centre".into(),
            libelle: "Centre".into(),
            values: vec![20.0, 22.0, 23.0, 25.0, 60.0],
        },
        BoxGroup {
            famille: "extreme_droite".into(),
            libelle: "Extrême droite".into(),
            values: vec![30.0, 31.0, 35.0],
        },
        BoxGroup {
            famille: "gauche".into(),
            libelle: "Gauche".into(),
            values: vec![],
        },
    ];
    let svg = charts::boxplot(&options("Boîtes"), "Taux d'abstention (%)", &groups).unwrap();
    check_common(&svg, "Boîtes");
    assert_eq!(count_fill(&svg, "#E69F00"), 1);
    assert_eq!(count_fill(&svg, "#003F7F"), 1);
    assert!(svg.contains("Centre (n = 5)"));
    assert_eq!(svg.matches("<circle").count(), 1, "60 is an outlier");
    std::fs::create_dir_all("../target/charts").unwrap();
    std::fs::write(
        "../target/charts/boxplot.png",
        charts::svg_to_png(&svg).unwrap(),
    )
    .unwrap();
}

#[test]
fn bars_and_time_series() {
    let bars: Vec<Bar> = ["gauche", "centre", "droite", "extreme_droite"]
        .iter()
        .enumerate()
        .map(|(i, f)| Bar {
            label: format!("Famille {i}"),
            value: 1000.0 * (i as f64 + 1.0),
            famille: (*f).to_owned(),
            annotation: format!("{} %", i * 10),
            error: None,
        })
        .collect();
    let svg = charts::bars(&options("Barres"), "Voix", &bars).unwrap();
    check_common(&svg, "Barres");
    for color in ["#D55E00", "#E69F00", "#56B4E9", "#003F7F"] {
        assert_eq!(count_fill(&svg, color), 1, "{color}");
    }
    assert!(svg.contains("Famille 3") && svg.contains("30 %"));
    std::fs::create_dir_all("../target/charts").unwrap();
    std::fs::write(
        "../target/charts/bars.png",
        charts::svg_to_png(&svg).unwrap(),
    )
    .unwrap();

    let points: Vec<(f64, f64)> = (0..40)
        .map(|i| (1982.0 + f64::from(i) / 4.0, 5.0 + f64::from(i % 7)))
        .collect();
    let svg = charts::time_series(
        &options("Série"),
        "Taux de chômage (%)",
        &points,
        Some((1990.25, "Présidentielle".into())),
    )
    .unwrap();
    check_common(&svg, "Série");
    assert_eq!(
        svg.lines()
            .filter(|l| l.starts_with("<polyline") && l.contains("stroke=\"#009E73\""))
            .count(),
        1,
        "the series"
    );
    assert!(svg.contains("Présidentielle"));
    std::fs::write(
        "../target/charts/series.png",
        charts::svg_to_png(&svg).unwrap(),
    )
    .unwrap();
}

#[test]
fn hostile_text_is_escaped_everywhere() {
    let hostile = "<script>alert(1)</script> & co";
    let mut o = options(hostile);
    o.description = hostile.to_owned();
    let svg = charts::histogram(&o, hostile, &[1.0, 2.0], 2).unwrap();
    elements(&svg);
    assert!(!svg.contains("<script>"));
    assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
    let bars = vec![Bar {
        label: hostile.into(),
        value: 1.0,
        famille: "\"><script>".into(),
        annotation: hostile.into(),
        error: None,
    }];
    let svg = charts::bars(&o, hostile, &bars).unwrap();
    elements(&svg);
    assert!(!svg.contains("<script>"));
    // The PNG of it renders too.
    assert_eq!(png_size(&svg), (1280, 720));
}

#[test]
fn sizes_themes_and_empty_data() {
    let mut o = options("Taille");
    o.width = 199;
    assert_eq!(
        charts::histogram(&o, "x", &[1.0], 2),
        Err(charts::ChartError::Size {
            width: 199,
            height: 720
        })
    );
    o.width = 400;
    o.height = 300;
    o.theme = Theme::Dark;
    let svg = charts::histogram(&o, "x", &[1.0, 2.0], 2).unwrap();
    assert!(svg.contains("viewBox=\"0 0 400 300\""));
    assert!(svg.contains("fill=\"#1E1E1E\""), "dark background");
    assert_eq!(png_size(&svg), (400, 300));
    assert!(matches!(
        charts::histogram(&o, "x", &[], 2),
        Err(charts::ChartError::NoData(_))
    ));
    assert!(matches!(
        charts::scatter(&o, "x", "y", &[], &[], None),
        Err(charts::ChartError::NoData(_))
    ));
}

#[test]
fn same_data_same_bytes() {
    let a = charts::histogram(&options("D"), "x", &[1.0, 2.0, 3.0], 2).unwrap();
    let b = charts::histogram(&options("D"), "x", &[1.0, 2.0, 3.0], 2).unwrap();
    assert_eq!(a, b);
    assert_eq!(
        charts::svg_to_png(&a).unwrap(),
        charts::svg_to_png(&b).unwrap()
    );
}

#[test]
fn confusion_matrices_and_roc_panels() {
    let classes: Vec<String> = ["gauche", "centre", "extreme_droite"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let panels: Vec<charts::Panel<Vec<Vec<usize>>>> = (0..4)
        .map(|p| charts::Panel {
            title: format!("Modèle {p}"),
            data: vec![vec![5 + p, 1, 0], vec![2, 3, 1], vec![0, 1, 9]],
        })
        .collect();
    let svg = charts::confusion_matrices(&options("Confusion"), &classes, &panels).unwrap();
    check_common(&svg, "Confusion");
    assert_eq!(
        svg.lines()
            .filter(|l| l.starts_with("<rect") && !l.contains("fill=\"#FFFFFF\""))
            .count(),
        4 * 9
    );
    assert!(svg.contains("Modèle 3") && svg.contains(">\n8\n</text>"));
    assert!(svg.contains("Prédite") && svg.contains("Réelle"));

    let curves = vec![charts::Panel {
        title: "ROC".to_owned(),
        data: vec![
            charts::Curve {
                famille: "gauche".into(),
                legend: "gauche : AUC 0,75".into(),
                points: vec![(0.0, 0.0), (0.0, 0.5), (0.5, 0.5), (0.5, 1.0), (1.0, 1.0)],
            },
            charts::Curve {
                famille: "centre".into(),
                legend: "centre : AUC 0,50".into(),
                points: vec![(0.0, 0.0), (1.0, 1.0)],
            },
        ],
    }];
    let svg = charts::roc_curves(&options("Courbes"), &curves).unwrap();
    check_common(&svg, "Courbes");
    for color in ["#D55E00", "#E69F00"] {
        assert_eq!(
            svg.lines().filter(|l| l.starts_with("<polyline") && l.contains(&format!("stroke=\"{color}\""))).count(),
            2,
            "{color}: the curve and its legend"
        );
    }
    assert!(svg.contains("gauche : AUC 0,75") && svg.contains("Taux de faux positifs"));
    assert!(matches!(
        charts::roc_curves(&options("x"), &[]),
        Err(charts::ChartError::NoData(_))
    ));
}

#[test]
fn bars_with_errors_and_a_reference_line() {
    let bars = vec![
        Bar {
            label: "Référence".into(),
            value: 0.58,
            famille: String::new(),
            annotation: "0,58".into(),
            error: Some(0.01),
        },
        Bar {
            label: "Modèle".into(),
            value: 0.67,
            famille: String::new(),
            annotation: "0,67 ± 0,08".into(),
            error: Some(0.08),
        },
    ];
    let svg = charts::bars_with_reference(
        &options("Exactitude"),
        "Exactitude",
        &bars,
        Some((0.58, "Référence".into())),
    )
    .unwrap();
    check_common(&svg, "Exactitude");
    assert_eq!(count_fill(&svg, "#009E73"), 2);
    assert!(svg.contains("0,67 ± 0,08"));
    assert!(svg.contains(">\n0,20\n</text>"), "axis with decimals");
}

#[test]
fn svg_snapshots() {
    let small = ChartOptions {
        width: 400,
        height: 240,
        theme: Theme::Light,
        title: "Instantané".into(),
        description: "Petit graphique de référence".into(),
    };
    insta::assert_snapshot!(
        "histogram_small",
        charts::histogram(&small, "x (%)", &[1.0, 2.0, 2.0, 4.0], 3).unwrap()
    );
    let bars = vec![Bar {
        label: "Gauche".into(),
        value: 10.0,
        famille: "gauche".into(),
        annotation: "25,0 %".into(),
        error: None,
    }];
    insta::assert_snapshot!("bars_small", charts::bars(&small, "Voix", &bars).unwrap());
}
