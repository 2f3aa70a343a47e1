//! Where the log goes: lines are gathered in memory and written to stderr by a thread every
//! [`PERIOD`] (at once past [`MAX_PENDING`] bytes), instead of a `write(2)` on stderr for each
//! request's access line on the worker that served it. Profiled under `/health` load, the
//! access log was a fifth of the server's time, a third of it in that write.
//!
//! The cost: a line reaches stderr up to [`PERIOD`] late, and a process killed by a signal it
//! does not handle loses the lines of that last moment; `main` calls [`Journal::flush`]
//! before it returns, on every path.

use std::cell::RefCell;
use std::io::{self, Write};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How often the gathered lines are written.
pub const PERIOD: Duration = Duration::from_millis(100);
/// Lines pending past this size are written at once, by the thread logging.
pub const MAX_PENDING: usize = 64 * 1024;

/// The lines not written yet; a clone is the writer given to the logger.
#[derive(Clone, Default)]
pub struct Journal {
    lines: Arc<Mutex<Vec<u8>>>,
    /// Without the writing thread, each line is written as it comes.
    immediate: bool,
}

impl Journal {
    /// A journal with its writing thread (none if it cannot start: then every line is written
    /// at once).
    pub fn start() -> Journal {
        let journal = Journal::default();
        let writer = journal.clone();
        let started = std::thread::Builder::new()
            .name("journal".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(PERIOD);
                    writer.flush_pending();
                }
            });
        Journal {
            immediate: started.is_err(),
            ..journal
        }
    }

    /// Makes this journal the one [`access`] writes to (the first call wins; the log's global
    /// logger is process-wide too).
    pub fn install(&self) {
        let _ = INSTALLED.set(self.clone());
    }

    /// Writes what is pending to stderr.
    pub fn flush(&self) {
        self.flush_pending();
    }

    fn flush_pending(&self) {
        let pending = match self.lines.lock() {
            Ok(mut lines) if !lines.is_empty() => std::mem::take(&mut *lines),
            _ => return,
        };
        let _ = io::stderr().lock().write_all(&pending);
    }
}

impl Journal {
    /// Adds lines, given in parts; writes them all at once past [`MAX_PENDING`] (or
    /// without the thread).
    fn append(&self, parts: &[&[u8]]) -> io::Result<()> {
        let full = {
            let mut lines = self
                .lines
                .lock()
                .map_err(|_| io::Error::other("the journal's lock is poisoned"))?;
            for part in parts {
                lines.extend_from_slice(part);
            }
            lines.len() > MAX_PENDING || self.immediate
        };
        if full {
            self.flush_pending();
        }
        Ok(())
    }
}

impl Write for Journal {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.append(&[buf])?;
        Ok(buf.len())
    }

    /// Nothing: the logger flushes after every line, the journal writes on its own clock.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

static INSTALLED: OnceLock<Journal> = OnceLock::new();

/// Writes an access line to the installed journal, in env_logger's shape
/// (`[2026-12-05T23:18:44Z INFO  access] ...`), without going through the logger: its
/// formatting (a timestamp built for each line, the level and target padding) was a quarter
/// of the access log's cost. The line is copied into the pending lines as it is, behind the
/// second's timestamp, formatted once a second on each thread. Without a journal (a server
/// built by the tests), through `log`.
pub fn access(line: &str) {
    let Some(journal) = INSTALLED.get() else {
        log::info!(target: crate::middleware::ACCESS_TARGET, "{line}");
        return;
    };
    thread_local! {
        /// The second of the last line and the start of its line (`[timestamp INFO  access] `).
        static STAMP: RefCell<(u64, String)> = const { RefCell::new((u64::MAX, String::new())) };
    }
    let now = SystemTime::now();
    let second = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    STAMP.with_borrow_mut(|(last, stamp)| {
        if *last != second {
            *last = second;
            *stamp = format!(
                "[{} INFO  {}] ",
                humantime::format_rfc3339_seconds(now),
                crate::middleware::ACCESS_TARGET
            );
        }
        let _ = journal.append(&[stamp.as_bytes(), line.as_bytes(), b"\n"]);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_wait_for_the_flush() {
        let mut journal = Journal::default();
        journal.write_all(b"one\n").unwrap();
        journal.write_all(b"two\n").unwrap();
        assert_eq!(*journal.lines.lock().unwrap(), b"one\ntwo\n");
        journal.flush_pending();
        assert!(journal.lines.lock().unwrap().is_empty());
    }
}
