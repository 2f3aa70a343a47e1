//! The GeoJSON in a real GIS reader: GDAL/OGR (Debian's `gdal-bin` and `python3-gdal`), as
//! QGIS and geopandas use it. `ogrinfo` reads the file; OGR's Python binding (GEOS validity)
//! checks every geometry and reads the properties back: feature 59's equal `/indicateurs`'
//! row for 59. Both the full and the simplified outlines.
//!
//! Ignored by default because it needs GDAL: `.ci/run` installs it and runs
//! `cargo test -p api --test gis -- --ignored`. `GIS_PYTHON` overrides the interpreter
//! (default `/usr/bin/python3`, the one Debian's packages are for).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use serde_json::Value;

fn python() -> String {
    std::env::var("GIS_PYTHON").unwrap_or_else(|_| "/usr/bin/python3".to_owned())
}

/// Runs a reader off the test's runtime (which also serves the API).
async fn run(program: String, args: Vec<String>) -> String {
    tokio::task::spawn_blocking(move || {
        let output = Command::new(&program).args(&args).output().expect("runs");
        assert!(
            output.status.success(),
            "{program} {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs GDAL (gdal-bin, python3-gdal): run by .ci/run"]
async fn gdal_reads_the_geojson_and_every_geometry_is_valid() {
    let app = common::spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let rows = app.json("/indicateurs").await;
    let nord_row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "59")
        .unwrap()
        .clone();
    for query in ["", "?simplifie=true"] {
        let response = app.get(&format!("/departements.geojson{query}")).await;
        assert_eq!(response.status(), 200);
        let path = dir
            .path()
            .join(format!("departements{}.geojson", query.len()));
        std::fs::write(&path, response.bytes().await.unwrap()).unwrap();
        let file = path.display().to_string();

        let info = run(
            "ogrinfo".into(),
            vec!["-ro".into(), "-al".into(), "-so".into(), file.clone()],
        )
        .await;
        assert!(info.contains("using driver `GeoJSON'"), "{info}");
        assert!(info.contains("Feature Count: 101"), "{info}");
        assert!(info.contains("Geometry: Multi Polygon"), "{info}");
        assert!(info.contains("WGS 84"), "{info}");

        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/gis/check.py");
        let report: Value =
            serde_json::from_str(&run(python(), vec![script.into(), file]).await).unwrap();
        assert_eq!(report["driver"], "GeoJSON");
        assert_eq!(report["count"], 101);
        assert_eq!(report["epsg"], "4326");
        assert_eq!(report["invalid"], Value::Array(vec![]), "{query}");
        let mut nord = report["properties"]["59"].as_object().unwrap().clone();
        assert_eq!(
            nord.remove("region_nom"),
            Some(Value::from("Hauts-de-France"))
        );
        // OGR reads a string feature id as a field of its own.
        assert_eq!(nord.remove("id"), Some(Value::from("59")));
        assert_eq!(Value::Object(nord), nord_row, "{query}");
    }
}

/// The constituencies' GeoJSON read by GDAL: 566 features (the 11 of the French abroad have
/// no territory), every geometry valid, the properties of `/circonscriptions`' row.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs GDAL (gdal-bin, python3-gdal): run by .ci/run"]
async fn gdal_reads_the_constituencies_geojson_and_every_geometry_is_valid() {
    let app = common::spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let rows = app.json("/circonscriptions?q=5901").await;
    let row = rows.as_array().unwrap()[0].clone();
    for query in ["", "?simplifie=true"] {
        let response = app.get(&format!("/circonscriptions.geojson{query}")).await;
        assert_eq!(response.status(), 200);
        let path = dir
            .path()
            .join(format!("circonscriptions{}.geojson", query.len()));
        std::fs::write(&path, response.bytes().await.unwrap()).unwrap();
        let file = path.display().to_string();
        let info = run(
            "ogrinfo".into(),
            vec!["-ro".into(), "-al".into(), "-so".into(), file.clone()],
        )
        .await;
        assert!(info.contains("using driver `GeoJSON'"), "{info}");
        assert!(info.contains("Feature Count: 566"), "{info}");
        assert!(info.contains("WGS 84"), "{info}");
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/gis/check.py");
        let report: Value =
            serde_json::from_str(&run(python(), vec![script.into(), file]).await).unwrap();
        assert_eq!(report["count"], 566);
        assert_eq!(report["epsg"], "4326");
        assert_eq!(report["invalid"], Value::Array(vec![]), "{query}");
        let nord = &report["properties"]["5901"];
        assert_eq!(nord["nom"], row["nom"]);
        assert_eq!(nord["elu"], row["elu"]);
        assert_eq!(
            nord["part_extreme_droite"], row["parts"]["extreme_droite"],
            "{query}"
        );
    }
}
