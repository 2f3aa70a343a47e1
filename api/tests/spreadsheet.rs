//! The CSV for Excel (`format=csv-excel`) in a real spreadsheet: LibreOffice Calc, headless
//! (`soffice --convert-to xlsx`), with the import settings of its CSV dialog that a French user
//! gets: `;` as separator, UTF-8, French locale. The workbook it writes is read back with
//! calamine: the right columns, accents intact, decimal commas read as numbers equal to the
//! JSON's. A PDF of the sheet lands in `target/spreadsheet/` for people to look at.
//!
//! Ignored by default because it needs LibreOffice: `.ci/run` installs `libreoffice-calc` and
//! runs it with `cargo test -p api --test spreadsheet -- --ignored`. `SOFFICE` overrides the
//! path.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader, Xlsx, open_workbook};
use serde_json::Value;

fn soffice() -> String {
    std::env::var("SOFFICE").unwrap_or_else(|_| "soffice".to_owned())
}

/// `soffice --convert-to <to>` of `input` into `out`, as a French user imports the CSV; off the
/// test's runtime, which also serves the API (blocking it would stall the server and break its
/// kept-alive connections).
async fn convert(input: &Path, to: &str, out: &Path, profile: &Path) {
    let (input, to, out, profile) = (
        input.to_path_buf(),
        to.to_owned(),
        out.to_path_buf(),
        profile.to_path_buf(),
    );
    tokio::task::spawn_blocking(move || convert_blocking(&input, &to, &out, &profile))
        .await
        .unwrap();
}

fn convert_blocking(input: &Path, to: &str, out: &Path, profile: &Path) {
    let status = Command::new(soffice())
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--infilter=CSV:59,34,76,1,,1036",
            "--convert-to",
            to,
            "--outdir",
        ])
        .arg(out)
        .arg(input)
        .status()
        .expect("soffice runs");
    assert!(status.success(), "soffice --convert-to {to}");
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs LibreOffice (soffice); run by .ci/run"]
async fn csv_for_excel_opens_in_libreoffice_with_its_columns_accents_and_numbers() {
    let app = common::spawn_app().await;
    let work = tempfile::tempdir().unwrap();
    let profile = work.path().join("profile");
    let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/spreadsheet");
    std::fs::create_dir_all(&shots).unwrap();
    for (path, numeric, accent) in [
        (
            "/indicateurs",
            vec![
                "taux_chomage",
                "part_extreme_droite",
                "revenu_median",
                "population",
                "densite",
            ],
            ("07", "nom", "Ardèche"),
        ),
        (
            "/departements",
            vec!["taux_chomage", "taux_participation_t1"],
            ("974", "region_nom", "La Réunion"),
        ),
    ] {
        let json: Value = app.json(path).await;
        let rows = json.as_array().unwrap();
        let response = app.get(&format!("{path}?format=csv-excel")).await;
        assert_eq!(response.status(), 200);
        let name = path.trim_start_matches('/').replace('/', "-");
        let csv = work.path().join(format!("{name}.csv"));
        std::fs::write(&csv, response.bytes().await.unwrap()).unwrap();
        convert(&csv, "xlsx", work.path(), &profile).await;
        convert(&csv, "pdf", &shots, &profile).await;

        let mut workbook: Xlsx<_> =
            open_workbook(work.path().join(format!("{name}.xlsx"))).unwrap();
        let sheet = workbook.worksheet_range_at(0).unwrap().unwrap();
        let mut lines = sheet.rows();
        let header: Vec<String> = lines.next().unwrap().iter().map(cell_text).collect();
        assert_eq!(
            header.len(),
            rows[0].as_object().unwrap().len(),
            "{path}: {header:?}"
        );
        assert_eq!(
            header[0], "code",
            "{path}: the BOM is not part of the first name"
        );
        let column = |name: &str| header.iter().position(|h| h == name).unwrap();
        let body: Vec<&[Data]> = lines.collect();
        assert_eq!(body.len(), rows.len(), "{path}");
        for (line, row) in body.iter().zip(rows) {
            assert_eq!(line.len(), header.len(), "{path}");
            assert_eq!(
                cell_text(&line[column("nom")]),
                row["nom"].as_str().unwrap()
            );
            for name in &numeric {
                match (&line[column(name)], row[*name].as_f64()) {
                    (Data::Float(v), Some(expected)) => {
                        assert!((v - expected).abs() < 1e-9, "{path} {name}: {v} {expected}")
                    }
                    (Data::Int(v), Some(expected)) => assert_eq!(*v as f64, expected),
                    (Data::Empty, None) => {}
                    (cell, expected) => panic!("{path} {name}: {cell:?} for {expected:?}"),
                }
            }
        }
        let (code, field, text) = accent;
        let line = body
            .iter()
            .zip(rows)
            .find(|(_, row)| row["code"] == code)
            .map(|(line, _)| *line)
            .unwrap();
        assert_eq!(cell_text(&line[column(field)]), text, "{path}");
    }
}
