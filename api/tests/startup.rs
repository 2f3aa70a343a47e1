//! Start-up of the real binary: database created from the dump when missing,
//! clear failure when it is corrupt or from another schema.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn api() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_api"));
    command.env("RUST_LOG", "info").env_remove("DATABASE_URL");
    command
}

#[test]
fn missing_database_is_created_from_the_dump_then_served() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("fresh.db");
    let mut child = api()
        .args(["--port", "0", "--workers", "1", "--database-url"])
        .arg(&database)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let started = Instant::now();
    let mut lines = BufReader::new(stderr).lines();
    let mut log = String::new();
    let mut serving = false;
    while started.elapsed() < Duration::from_secs(30) {
        let Some(Ok(line)) = lines.next() else { break };
        log.push_str(&line);
        log.push('\n');
        if line.contains("serving on http://127.0.0.1:") {
            serving = true;
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(serving, "{log}");
    assert!(
        log.contains("does not exist: creating it from the dump"),
        "{log}"
    );
    assert!(database.is_file());
    let mut conn = db::open_read_only(&database).unwrap();
    db::check_schema(&mut conn, &database).unwrap();
}

fn fails_with(database: &std::path::Path, needle: &str) {
    let out = api()
        .args(["--port", "0", "--database-url"])
        .arg(database)
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(errors[0].contains(needle), "{stderr}");
}

#[test]
fn corrupt_database_stops_with_one_message() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("corrupt.db");
    std::fs::write(&database, vec![7u8; 8192]).unwrap();
    fails_with(&database, "corrupt.db");
    // The file is left as it was: nothing writes to it.
    assert_eq!(std::fs::read(&database).unwrap(), vec![7u8; 8192]);
}

#[test]
fn database_of_another_schema_stops_with_one_message() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("other.db");
    let mut conn = db::open(&database).unwrap();
    diesel::connection::SimpleConnection::batch_execute(&mut conn, "CREATE TABLE t (x INTEGER);")
        .unwrap();
    drop(conn);
    fails_with(&database, "does not match this version's schema");
}

#[test]
fn help_lists_flags_and_environment() {
    let out = api().arg("--help").output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "--host",
        "[env: HOST=",
        "--port",
        "[env: PORT=",
        "--database-url",
        "[env: DATABASE_URL=",
    ] {
        assert!(help.contains(needle), "{needle}: {help}");
    }
}
