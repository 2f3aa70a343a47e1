//! The real `api` binary starting (and refusing to start) on databases of every kind, and stopping.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn api() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_api"));
    command.env("RUST_LOG", "info").env_remove("DATABASE_URL");
    command
}

type Log = std::io::Lines<BufReader<std::process::ChildStderr>>;

/// Starts the real binary on a free port; returns it once it serves, with the rest of its log,
/// the port, and what it logged until then.
fn serve(database: &std::path::Path) -> (std::process::Child, Log, u16, String) {
    let mut child = api()
        .args(["--port", "0", "--workers", "1", "--database-url"])
        .arg(database)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let started = Instant::now();
    let mut log = String::new();
    while started.elapsed() < Duration::from_secs(30) {
        let Some(Ok(line)) = lines.next() else { break };
        log.push_str(&line);
        log.push('\n');
        if let Some(rest) = line.split("serving on http://127.0.0.1:").nth(1) {
            let port = rest.split('/').next().unwrap().parse::<u16>().unwrap();
            return (child, lines, port, log);
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    panic!("the server did not start: {log}");
}

#[test]
fn missing_database_is_created_from_the_dump_then_served() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("fresh.db");
    let (mut child, _, _, log) = serve(&database);
    child.kill().unwrap();
    child.wait().unwrap();
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

/// A copy of the committed database with an SQL edit applied.
fn edited_database(dir: &std::path::Path, sql: &str) -> std::path::PathBuf {
    let database = dir.join("edited.db");
    db::restore_from_dump(&database, api::startup::EMBEDDED_DUMP).unwrap();
    let mut conn = db::open(&database).unwrap();
    diesel::connection::SimpleConnection::batch_execute(&mut conn, sql).unwrap();
    database
}

#[test]
fn database_without_models_stops_with_one_message() {
    let dir = tempfile::tempdir().unwrap();
    let database = edited_database(dir.path(), "DELETE FROM modeles;");
    fails_with(&database, "the modeles table is empty");
}

#[test]
fn unreadable_model_artifact_stops_with_one_message_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let database = edited_database(
        dir.path(),
        "UPDATE modeles SET artefact = '{\"Knn\": 3}' WHERE id = 'knn';",
    );
    fails_with(&database, "model 'knn': unreadable artefact");
}

#[cfg(unix)]
#[test]
fn sigterm_finishes_the_request_in_flight_then_exits_0() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("term.db");
    let (mut child, lines, port, _) = serve(&database);
    // The largest PNG takes a while to rasterize: ask for it, then stop the server.
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .write_all(
            b"GET /charts/nuage.png?width=4000&height=4000 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
        .unwrap();
    std::thread::sleep(Duration::from_millis(50));
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    assert!(
        answer.starts_with(b"HTTP/1.1 200 OK"),
        "{}",
        String::from_utf8_lossy(&answer[..answer.len().min(200)])
    );
    assert!(answer.windows(4).any(|w| w == b"\x89PNG"));
    let started = Instant::now();
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "still running after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(code, Some(0));
    let log: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(log.iter().any(|l| l.contains("SIGTERM")), "{log:?}");
    // Nothing listens any more.
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err());
}

#[test]
fn a_locked_database_is_reported_as_locked_not_as_corrupt() {
    use diesel::Connection;
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("locked.db");
    db::restore_from_dump(&database, api::startup::EMBEDDED_DUMP).unwrap();
    let before = std::fs::read(&database).unwrap();
    let mut holder = diesel::SqliteConnection::establish(&database.display().to_string()).unwrap();
    diesel::connection::SimpleConnection::batch_execute(&mut holder, "BEGIN EXCLUSIVE").unwrap();
    fails_with(&database, "is locked by another process");
    let out = api()
        .args(["--port", "0", "--database-url"])
        .arg(&database)
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("do not delete it"), "{stderr}");
    assert!(!stderr.contains("delete it to restore"), "{stderr}");
    diesel::connection::SimpleConnection::batch_execute(&mut holder, "ROLLBACK").unwrap();
    assert_eq!(std::fs::read(&database).unwrap(), before);
}

#[test]
fn a_corrupt_database_is_told_apart_from_another_schema() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("garbage.db");
    std::fs::write(&database, vec![7u8; 8192]).unwrap();
    fails_with(&database, "is corrupt");
}

#[test]
fn a_database_without_departements_does_not_start() {
    let dir = tempfile::tempdir().unwrap();
    let database = edited_database(
        dir.path(),
        "PRAGMA foreign_keys = OFF; DELETE FROM departements;",
    );
    fails_with(&database, "the departements table is empty");
}

#[test]
fn a_restore_killed_half_way_leaves_nothing_after_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let stale = dir.path().join(".restore-killed.db");
    std::fs::write(&stale, vec![0u8; 4096]).unwrap();
    let past = std::time::SystemTime::now() - db::outputs::STALE_AFTER - Duration::from_secs(60);
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(past)
        .unwrap();
    let database = dir.path().join("fresh.db");
    let (mut child, _, _, _) = serve(&database);
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(database.is_file());
    assert!(!stale.exists());
}

#[test]
fn a_fifo_as_the_database_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.db");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let started = Instant::now();
    fails_with(&fifo, "not a regular file");
    assert!(started.elapsed() < Duration::from_secs(20));
}

/// Started from another folder on a busy port, the binary fails before creating its database.
#[test]
fn a_busy_port_leaves_no_database_behind() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let dir = tempfile::tempdir().unwrap();
    let out = api()
        .current_dir(dir.path())
        .args(["--port", &port])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot listen on"), "{stderr}");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}

/// One access line per request, in actix-web's shape, on stderr within a moment (the journal
/// writes every 100 ms), a refusal with its status; the last lines are written on SIGTERM.
#[test]
fn every_request_has_its_access_line() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let (mut child, mut lines, port, _) = serve(&dir.path().join("access.db"));
    let get = |path: &str| {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: x\r\nUser-Agent: access-test\r\nConnection: close\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    };
    let health = get("/health");
    assert!(health.starts_with("HTTP/1.1 200"));
    let health_length = health.split_once("\r\n\r\n").unwrap().1.len();
    assert!(get("/nope?x=1").starts_with("HTTP/1.1 404"));
    let mut found = Vec::new();
    let started = Instant::now();
    while found.len() < 2 && started.elapsed() < Duration::from_secs(10) {
        let Some(Ok(line)) = lines.next() else { break };
        if line.contains(" INFO  access] 127.0.0.1 \"GET ") {
            found.push(line);
        }
    }
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].contains("\"GET /health HTTP/1.1\" 200 ")
            && found[0].ends_with(|c: char| c.is_ascii_digit()),
        "{}",
        found[0]
    );
    assert!(found[0].contains("\"-\" \"access-test\" "), "{}", found[0]);
    // The status, the body's size, and the time in seconds with six decimals.
    let (head, seconds) = found[0].rsplit_once(' ').unwrap();
    let (whole, fraction) = seconds.split_once('.').unwrap();
    assert!(
        whole.parse::<u64>().is_ok()
            && fraction.len() == 6
            && fraction.bytes().all(|b| b.is_ascii_digit()),
        "{}",
        found[0]
    );
    assert!(
        head.contains(&format!("\" 200 {health_length} \"")),
        "{head}"
    );
    assert!(
        found[1].contains("\"GET /nope?x=1 HTTP/1.1\" 404 "),
        "{}",
        found[1]
    );
    // A request just before SIGTERM: its line is written before the process ends.
    assert!(get("/departements/59").starts_with("HTTP/1.1 200"));
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    child.wait().unwrap();
    assert!(
        rest.iter()
            .any(|l| l.contains("\"GET /departements/59 HTTP/1.1\" 200 ")),
        "{rest:?}"
    );
}
