//! The `etl` binary's outputs: checked before anything is written, replaced all together or
//! not at all, never onto an input; stale temporary files removed; the same inputs give the
//! same database bytes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use common::{Project, project_after_good_run};
use etl::pipeline::CHOMAGE_FILE;

/// Runs the real binary with exactly these paths.
fn run(project: &Project, database: &Path, dump: &Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_etl"))
        .arg("--raw-dir")
        .arg(project.raw())
        .arg("--out-dir")
        .arg(project.out())
        .arg("--database")
        .arg(database)
        .arg("--dump")
        .arg(dump)
        .env("RUST_LOG", "off")
        .output()
        .unwrap()
}

/// Every file under the project (raw files included) and its bytes.
fn every_file(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name() != Some(db::outputs::LOCK_NAME.as_ref()) {
                files.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// Expects exit 1 with one message holding `needles`, and every file byte-identical.
fn refused(project: &Project, database: &Path, dump: &Path, needles: &[&str]) {
    let before = every_file(project.dir.path());
    let out = run(project, database, dump);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "{stderr}"
    );
    for needle in needles {
        assert!(stderr.contains(needle), "'{needle}' not in: {stderr}");
    }
    let after = every_file(project.dir.path());
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "no file added or removed: {stderr}"
    );
    assert!(before == after, "every file byte-identical: {stderr}");
}

#[test]
fn database_onto_a_raw_file_is_refused() {
    let project = project_after_good_run();
    let raw = project.raw().join(CHOMAGE_FILE);
    refused(
        &project,
        &raw,
        &project.dump(),
        &["--database", "inside the input folder"],
    );
}

#[test]
fn database_and_dump_on_one_path_are_refused() {
    let project = project_after_good_run();
    let same = project.dir.path().join("same.db");
    refused(
        &project,
        &same,
        &same,
        &["--dump", "also the output of --database"],
    );
    // Also when the paths are spelled differently.
    let other = project.dir.path().join("data_clean/../same.db");
    refused(&project, &same, &other, &["also the output of --database"]);
}

#[test]
fn dump_onto_a_raw_csv_is_refused() {
    let project = project_after_good_run();
    let raw_csv = project
        .raw()
        .join("enrichment/2017-t2-definitifs-departements.csv");
    assert!(raw_csv.is_file());
    refused(
        &project,
        &project.database(),
        &raw_csv,
        &["--dump", "inside the input folder"],
    );
}

#[test]
fn dump_that_is_a_folder_leaves_the_csvs_untouched() {
    let project = project_after_good_run();
    let folder = project.dir.path().join("a_folder");
    std::fs::create_dir(&folder).unwrap();
    refused(
        &project,
        &project.database(),
        &folder,
        &["--dump", "is a folder"],
    );
}

#[test]
fn dump_in_a_missing_folder_is_refused() {
    let project = project_after_good_run();
    let missing = project.dir.path().join("missing/dump.sql");
    refused(
        &project,
        &project.database(),
        &missing,
        &["--dump", "does not exist"],
    );
}

#[test]
fn dump_onto_a_clean_table_is_refused() {
    let project = project_after_good_run();
    let table = project.out().join("table_finale.csv");
    refused(
        &project,
        &project.database(),
        &table,
        &["table_finale.csv", "also the output of"],
    );
}

#[test]
fn temporary_files_of_killed_runs_are_removed_under_the_lock() {
    let project = project_after_good_run();
    let stale = project.dir.path().join(".etl-killed");
    let fresh = project.dir.path().join(".etl-running");
    let stale_csv = project.out().join(".etl-killed-csv");
    for path in [&stale, &fresh, &stale_csv] {
        std::fs::write(path, vec![0u8; 4096]).unwrap();
    }
    let past = SystemTime::now() - db::outputs::STALE_AFTER - Duration::from_secs(60);
    for path in [&stale, &stale_csv] {
        std::fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(past)
            .unwrap();
    }
    let out = project.run_etl(&[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Under the lock no other run can own a temporary file: young ones go too.
    assert!(!stale.exists() && !stale_csv.exists() && !fresh.exists());
}

/// Runs the real binary with the project's raw and out folders and these arguments.
fn run_args(project: &Project, args: &[&std::ffi::OsStr]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_etl"))
        .arg("--raw-dir")
        .arg(project.raw())
        .arg("--out-dir")
        .arg(project.out())
        .args(args)
        .env("RUST_LOG", "off")
        .output()
        .unwrap()
}

/// A results workbook outside the raw folder, named by `--resultats-t<tour>`: the tool
/// reads it, so no output may be it.
#[test]
fn an_output_onto_a_results_file_named_by_a_flag_is_refused() {
    let project = project_after_good_run();
    for (tour, output) in [(2, "--database"), (1, "--dump")] {
        let name = common::ministry_name("dpt", tour, "xlsx");
        let outside = project.dir.path().join(&name);
        common::election_grid(tour).save(&outside);
        let before = every_file(project.dir.path());
        let flag = format!("--resultats-t{tour}");
        let other = if output == "--database" {
            ("--dump", project.dump())
        } else {
            ("--database", project.database())
        };
        let out = run_args(
            &project,
            &[
                flag.as_ref(),
                outside.as_os_str(),
                output.as_ref(),
                outside.as_os_str(),
                other.0.as_ref(),
                other.1.as_os_str(),
            ],
        );
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains(output) && stderr.contains("is also an input of this run"),
            "{stderr}"
        );
        assert!(before == every_file(project.dir.path()), "{stderr}");
        std::fs::remove_file(&outside).unwrap();
    }
}

/// A character device or a FIFO given as an output would be replaced by a regular file.
#[test]
fn an_output_that_is_a_device_or_a_fifo_is_refused() {
    let project = project_after_good_run();
    // Outside the project: reading a FIFO to compare the files would block.
    let elsewhere = tempfile::tempdir().unwrap();
    let fifo = elsewhere.path().join("fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    refused(
        &project,
        &fifo,
        &project.dump(),
        &["--database", "not a regular file"],
    );
    refused(
        &project,
        &project.database(),
        Path::new("/dev/null"),
        &["--dump", "not a regular file"],
    );
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
}

/// A second run on the same outputs, while one holds them, is refused and writes nothing.
#[test]
fn a_run_while_another_holds_the_outputs_is_refused() {
    let project = project_after_good_run();
    let held = db::outputs::lock(&[project.out().as_path()]).unwrap();
    let before = project.outputs();
    let out = project.run_etl(&[]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("another run is writing to"), "{stderr}");
    assert!(before == project.outputs());
    drop(held);
    assert!(project.run_etl(&[]).status.success());
}

#[test]
fn two_runs_give_the_same_database_bytes() {
    let a = project_after_good_run();
    let b = project_after_good_run();
    let first = std::fs::read(a.database()).unwrap();
    assert_eq!(first, std::fs::read(b.database()).unwrap());
    assert!(a.run_etl(&[]).status.success());
    assert_eq!(first, std::fs::read(a.database()).unwrap());
}
