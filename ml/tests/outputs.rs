//! The `ml` binary's outputs: a failed run changes none of them (database, dump, images),
//! parameters are validated before any work, a locked database is reported as locked.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use diesel::Connection;
use diesel::connection::SimpleConnection;

struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new() -> Project {
        let dir = tempfile::tempdir().unwrap();
        db::restore_from_dump(
            &dir.path().join("elexxion.db"),
            include_str!("../../dump.sql"),
        )
        .unwrap();
        std::fs::write(dir.path().join("dump.sql"), include_str!("../../dump.sql")).unwrap();
        std::fs::create_dir(dir.path().join("images")).unwrap();
        Project { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Every file of the project and its bytes.
    fn files(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut files = BTreeMap::new();
        let mut stack = vec![self.dir.path().to_path_buf()];
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

    /// The real binary, on a small protocol (one feature set, 2 folds, 1 repeat).
    fn ml(
        &self,
        database: &Path,
        dump: &Path,
        images: &Path,
        extra: &[&str],
    ) -> std::process::Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_ml"))
            .arg("--database")
            .arg(database)
            .arg("--dump")
            .arg(dump)
            .arg("--images")
            .arg(images)
            .args(["--jeux", "indicateurs_2022"])
            .args(extra)
            .env("RUST_LOG", "off")
            .output()
            .unwrap()
    }

    fn ml_default(&self, extra: &[&str]) -> std::process::Output {
        let (db, dump, images) = (
            self.path("elexxion.db"),
            self.path("dump.sql"),
            self.path("images"),
        );
        self.ml(&db, &dump, &images, extra)
    }

    /// Expects a failure with `code`, `needles` in stderr, and every file byte-identical.
    fn fails_untouched(
        &self,
        out: std::process::Output,
        before: &BTreeMap<PathBuf, Vec<u8>>,
        code: i32,
        needles: &[&str],
    ) -> String {
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(code), "{stderr}");
        for needle in needles {
            assert!(stderr.contains(needle), "'{needle}' not in: {stderr}");
        }
        let after = self.files();
        assert_eq!(
            before.keys().collect::<Vec<_>>(),
            after.keys().collect::<Vec<_>>(),
            "no file added or removed: {stderr}"
        );
        assert!(*before == after, "every file byte-identical: {stderr}");
        stderr
    }
}

const SMALL: [&str; 4] = ["--folds", "2", "--repeats", "1"];

#[test]
fn a_good_run_replaces_every_output_and_leaves_no_temporary_file() {
    let project = Project::new();
    let before = project.files();
    let out = project.ml_default(&SMALL);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = project.files();
    assert_ne!(
        before[&project.path("dump.sql")],
        after[&project.path("dump.sql")]
    );
    assert!(after.keys().any(|p| p.starts_with(project.path("images"))));
    let leftovers: Vec<_> = after
        .keys()
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(".ml-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let database = project.path("elexxion.db");
    let mut conn = db::open_read_only(&database).unwrap();
    db::check_schema(&mut conn, &database).unwrap();
    let snapshot = db::Snapshot::load(&mut conn).unwrap();
    assert!(
        snapshot
            .modeles
            .iter()
            .all(|m| m.jeu_features == "indicateurs_2022")
    );
}

#[test]
fn dump_in_a_missing_folder_changes_nothing() {
    let project = Project::new();
    let before = project.files();
    let out = project.ml(
        &project.path("elexxion.db"),
        &project.path("missing/dump.sql"),
        &project.path("images"),
        &SMALL,
    );
    project.fails_untouched(out, &before, 1, &["--dump", "does not exist"]);
}

#[test]
fn dump_onto_the_database_is_refused() {
    let project = Project::new();
    let before = project.files();
    let db = project.path("elexxion.db");
    let out = project.ml(&db, &db, &project.path("images"), &SMALL);
    project.fails_untouched(
        out,
        &before,
        1,
        &["--dump", "also the output of --database"],
    );
}

#[test]
fn images_that_cannot_be_written_change_nothing() {
    let project = Project::new();
    let before = project.files();
    // A folder that cannot be created (under a file): the failure comes after the models
    // were trained and the database copied, while the outputs are written.
    let images = project.path("dump.sql").join("images");
    let out = project.ml(
        &project.path("elexxion.db"),
        &project.path("dump.sql"),
        &images,
        &SMALL,
    );
    project.fails_untouched(out, &before, 1, &["dump.sql"]);
    let leftovers: Vec<_> = project
        .files()
        .into_keys()
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(".ml-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // A read-only folder, where permissions apply (not for root).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let images = project.path("images");
        std::fs::set_permissions(&images, std::fs::Permissions::from_mode(0o555)).unwrap();
        let denied = std::fs::write(images.join("probe"), b"").is_err();
        let _ = std::fs::remove_file(images.join("probe"));
        if denied {
            let out = project.ml_default(&SMALL);
            project.fails_untouched(out, &before, 1, &["images"]);
        }
        std::fs::set_permissions(&images, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[test]
fn nonsense_parameters_are_refused_before_any_work() {
    let project = Project::new();
    let before = project.files();
    for (flag, value) in [
        ("--folds", "0"),
        ("--folds", "1"),
        ("--repeats", "0"),
        ("--folds", "x"),
    ] {
        let out = project.ml_default(&[flag, value]);
        project.fails_untouched(out, &before, 2, &[flag]);
    }
    // More folds than the smallest class has samples.
    let out = project.ml_default(&["--folds", "90", "--repeats", "1"]);
    project.fails_untouched(out, &before, 1, &["--folds 90", "smallest class"]);
}

#[test]
fn a_missing_database_is_an_error_and_no_file() {
    let project = Project::new();
    let before = project.files();
    let missing = project.path("absent.db");
    let out = project.ml(
        &missing,
        &project.path("dump.sql"),
        &project.path("images"),
        &SMALL,
    );
    project.fails_untouched(out, &before, 1, &["absent.db", "does not exist"]);
    assert!(!missing.exists());
}

#[test]
fn a_locked_database_is_reported_as_locked_not_corrupt() {
    let project = Project::new();
    let database = project.path("elexxion.db");
    // Read before the lock is taken: closing any descriptor of the file in this process
    // would release the process's POSIX locks, the holder's included.
    let before = project.files();
    let mut holder = diesel::SqliteConnection::establish(&database.display().to_string()).unwrap();
    holder.batch_execute("BEGIN EXCLUSIVE").unwrap();
    let out = project.ml_default(&SMALL);
    let stderr = project.fails_untouched(
        out,
        &before,
        1,
        &["locked by another process", "do not delete it"],
    );
    assert!(!stderr.contains("delete it to restore"), "{stderr}");
    holder.batch_execute("ROLLBACK").unwrap();
}

#[test]
fn stale_temporary_files_are_removed() {
    let project = Project::new();
    let stale = project.path(".ml-killed.db");
    std::fs::write(&stale, vec![0u8; 1024]).unwrap();
    let past = std::time::SystemTime::now()
        - db::outputs::STALE_AFTER
        - std::time::Duration::from_secs(60);
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(past)
        .unwrap();
    let out = project.ml_default(&SMALL);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!stale.exists());
}

#[test]
fn an_export_onto_the_database_it_reads_is_refused() {
    let project = Project::new();
    let before = project.files();
    let db = project.path("elexxion.db");
    let out = project.ml_default(&["--export-dataset", db.to_str().unwrap()]);
    project.fails_untouched(
        out,
        &before,
        1,
        &["--export-dataset", "is also an input of this run"],
    );
    // Elsewhere it is written, and the database is untouched.
    let csv = project.path("samples.csv");
    let out = project.ml_default(&["--export-dataset", csv.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::read_to_string(&csv).unwrap().starts_with("code,"));
    assert_eq!(std::fs::read(&db).unwrap(), before[&db]);
}

#[test]
fn a_device_as_an_output_is_refused() {
    let project = Project::new();
    let before = project.files();
    let out = project.ml(
        &project.path("elexxion.db"),
        Path::new("/dev/null"),
        &project.path("images"),
        &SMALL,
    );
    project.fails_untouched(out, &before, 1, &["--dump", "not a regular file"]);
    let out = project.ml_default(&["--export-dataset", "/dev/null"]);
    project.fails_untouched(out, &before, 1, &["--export-dataset", "not a regular file"]);
}

#[test]
fn a_run_while_another_holds_the_outputs_is_refused() {
    let project = Project::new();
    let held = db::outputs::lock(&[project.path("images").as_path()]).unwrap();
    let before = project.files();
    let out = project.ml_default(&SMALL);
    project.fails_untouched(out, &before, 1, &["another run is writing to"]);
    drop(held);
    assert!(project.ml_default(&SMALL).status.success());
}

/// `--export-previsions` writes one CSV per forecast task into an existing folder, the test
/// cycle's rows marked `test` and none of them in training; a missing folder is an error that
/// writes nothing.
#[test]
fn the_forecast_export_writes_each_task_and_refuses_a_missing_folder() {
    let project = Project::new();
    let before = project.files();
    let missing = project.path("absent");
    let out = project.ml_default(&["--export-previsions", missing.to_str().unwrap()]);
    project.fails_untouched(out, &before, 1, &["absent", "not a folder"]);
    assert!(!missing.exists());

    let folder = project.path("previsions");
    std::fs::create_dir(&folder).unwrap();
    let out = project.ml_default(&["--export-previsions", folder.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (tache, train, test) in [
        ("2017-vers-2022", &["2017"][..], "2022"),
        ("2017-2022-vers-2024", &["2017", "2022"][..], "2024"),
        ("2022-vers-2024-sortants", &["2022"][..], "2024"),
    ] {
        let text = std::fs::read_to_string(folder.join(format!("{tache}.csv"))).unwrap();
        let mut lines = text.lines();
        assert!(
            lines
                .next()
                .unwrap()
                .starts_with("code,cycle,role,presidentielle_part_gauche,")
        );
        let mut n_test = 0;
        for line in lines {
            let cells: Vec<&str> = line.split(',').collect();
            match cells[2] {
                "train" => assert!(train.contains(&cells[1]), "{tache}: {line}"),
                "test" => {
                    assert_eq!(cells[1], test, "{tache}: {line}");
                    n_test += 1;
                }
                other => panic!("{tache}: role {other}"),
            }
        }
        assert_eq!(n_test, 556, "{tache}");
    }
    // The database and the dump are untouched.
    let after = project.files();
    for (path, bytes) in &before {
        assert_eq!(&after[path], bytes, "{}", path.display());
    }
}
