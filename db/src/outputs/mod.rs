//! Outputs of the offline tools (`etl`, `ml`): checked before anything is written, written to
//! temporary files beside their targets, then committed together or not at all.
//!
//! - [`check`] refuses, before any work, an output that is a directory, sits in a folder that
//!   does not exist or cannot be written, is read-only, equals another output or an input, or
//!   lies inside a folder of inputs (the raw files).
//! - [`Staged::commit`] renames every temporary file over its target. Each previous target is
//!   first kept under a hard link; if a rename fails, the targets already replaced get their
//!   previous file back (or are removed when there was none), so a failed run changes nothing.
//!   Before the first rename, a journal (`.elexxion.journal` in the folder of the first
//!   target) lists every target with its finished temporary file: a run killed during the
//!   renames leaves it, and the next run ([`recover`]) finishes the renames before anything
//!   else, so the outputs are never a mix of two runs.
//! - [`lock`] takes an exclusive lock on the folders of a run's outputs (`.elexxion.lock`,
//!   shared by `etl` and `ml`): a second run on the same outputs is refused with a message.
//! - [`remove_stale`] deletes the temporary files a killed run left behind (recognised by
//!   their prefix; under the lock, no other run can own them).

use std::path::{Path, PathBuf};
use std::time::Duration;

mod commit;
mod lock;

pub use commit::{Prepared, Staged, recover};
pub use lock::{Lock, lock};

/// Temporary files older than this, with a tool's prefix, belong to no running tool.
pub const STALE_AFTER: Duration = Duration::from_secs(10 * 60);

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{flag} {path}: {reason}; nothing was written")]
    Refused {
        flag: String,
        path: PathBuf,
        reason: String,
    },
    #[error("{path}: {source}; no output was changed")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "another run is writing to {folder} (it holds {lock}); wait for it to end, or choose other outputs; nothing was written"
    )]
    Busy { folder: PathBuf, lock: PathBuf },
    #[error("{path}: the commit journal of an interrupted run cannot be read: {reason}")]
    Journal { path: PathBuf, reason: String },
}

/// The lock file of the folders receiving outputs (one for every tool).
pub const LOCK_NAME: &str = ".elexxion.lock";
/// The commit journal, beside the first target of a commit.
pub const JOURNAL_NAME: &str = ".elexxion.journal";

/// One output of a run: the option naming it and its path.
#[derive(Debug, Clone)]
pub struct Output<'a> {
    pub flag: &'a str,
    pub path: &'a Path,
    /// A folder receiving files (created when missing), rather than a file.
    pub is_dir: bool,
}

impl<'a> Output<'a> {
    pub fn file(flag: &'a str, path: &'a Path) -> Output<'a> {
        Output {
            flag,
            path,
            is_dir: false,
        }
    }

    pub fn dir(flag: &'a str, path: &'a Path) -> Output<'a> {
        Output {
            flag,
            path,
            is_dir: true,
        }
    }
}

pub(crate) fn dir_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// The absolute, symlink-free form of a path whose last component may not exist yet (nor,
/// for folders created on demand, its parents).
pub fn resolve(path: &Path) -> PathBuf {
    if let Ok(canonical) = path.canonicalize() {
        return canonical;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => {
            let parent = if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            };
            resolve(parent).join(name)
        }
        _ => std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| path.to_path_buf()),
    }
}

fn refused(output: &Output<'_>, reason: impl Into<String>) -> OutputError {
    OutputError::Refused {
        flag: output.flag.to_owned(),
        path: output.path.to_path_buf(),
        reason: reason.into(),
    }
}

/// Can a new file be created in `dir`? (Permission bits do not tell: root ignores them, and
/// read-only mounts do not show in them.)
fn writable(dir: &Path) -> bool {
    tempfile::Builder::new()
        .prefix(".probe-")
        .tempfile_in(dir)
        .is_ok()
}

/// Checks every output before anything is written (see the module's documentation).
/// `inputs` are files read by the run; `input_dirs` are folders of inputs (no output inside).
pub fn check(
    outputs: &[Output<'_>],
    inputs: &[&Path],
    input_dirs: &[&Path],
) -> Result<(), OutputError> {
    let inputs: Vec<PathBuf> = inputs.iter().map(|p| resolve(p)).collect();
    let input_dirs: Vec<PathBuf> = input_dirs.iter().map(|p| resolve(p)).collect();
    let mut seen: Vec<(PathBuf, &Output<'_>)> = Vec::new();
    for output in outputs {
        let resolved = resolve(output.path);
        if output.is_dir {
            if output.path.exists() && !output.path.is_dir() {
                return Err(refused(output, "is a file, not a folder"));
            }
            if output.path.is_dir() && !writable(output.path) {
                return Err(refused(output, "cannot be written"));
            }
        } else {
            if output.path.is_dir() {
                return Err(refused(output, "is a folder, not a file"));
            }
            // A device, FIFO or socket would be replaced by a regular file (as root,
            // `/dev/null` itself).
            if std::fs::metadata(output.path).is_ok_and(|m| !m.is_file()) {
                return Err(refused(
                    output,
                    "exists and is not a regular file (a device, FIFO or socket)",
                ));
            }
            let dir = dir_of(output.path);
            if !dir.is_dir() {
                return Err(refused(
                    output,
                    format!("its folder {} does not exist", dir.display()),
                ));
            }
            if !writable(dir) {
                return Err(refused(
                    output,
                    format!("its folder {} cannot be written", dir.display()),
                ));
            }
            if std::fs::metadata(output.path).is_ok_and(|m| m.permissions().readonly()) {
                return Err(refused(output, "is read-only"));
            }
        }
        if inputs.contains(&resolved) {
            return Err(refused(output, "is also an input of this run"));
        }
        if let Some(dir) = input_dirs.iter().find(|d| resolved.starts_with(d)) {
            return Err(refused(
                output,
                format!("lies inside the input folder {}", dir.display()),
            ));
        }
        if let Some((_, other)) = seen.iter().find(|(p, _)| *p == resolved) {
            return Err(refused(
                output,
                format!("is also the output of {}", other.flag),
            ));
        }
        seen.push((resolved, output));
    }
    Ok(())
}

/// Deletes the files of `dir` named `<prefix>...` and older than [`STALE_AFTER`]: the
/// temporary files of a run that was killed. Returns how many were removed.
pub fn remove_stale(dir: &Path, prefix: &str) -> usize {
    remove_older(dir, prefix, STALE_AFTER)
}

/// Deletes every temporary file of `dir` named `<prefix>...`: under [`lock`], no running
/// tool owns one. Returns how many were removed.
pub fn remove_temporaries(dir: &Path, prefix: &str) -> usize {
    remove_older(dir, prefix, Duration::ZERO)
}

fn remove_older(dir: &Path, prefix: &str, age: Duration) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_string_lossy().starts_with(prefix) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|old| old >= age);
        if old && entry.file_type().is_ok_and(|t| t.is_file()) {
            match std::fs::remove_file(entry.path()) {
                Ok(()) => removed += 1,
                Err(e) => eprintln!(
                    "warning: cannot remove the stale temporary file {}: {e}",
                    entry.path().display()
                ),
            }
        }
    }
    removed
}

/// The folder holding `path` (`.` for a bare file name).
pub fn folder_of(path: &Path) -> &Path {
    dir_of(path)
}

pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Takes the run's outputs for itself: locks their `folders` ([`lock`]), finishes in each the
/// commit of a run killed during its renames ([`recover`]) and removes the temporary files
/// named `<prefix>...` that killed runs left. Returns the lock (held until dropped), the
/// targets replaced by a recovery and the temporary files removed.
pub fn claim(folders: &[&Path], prefix: &str) -> Result<(Lock, Vec<PathBuf>, usize), OutputError> {
    let lock = lock(folders)?;
    let mut finished = Vec::new();
    let mut removed = 0;
    for folder in folders {
        finished.extend(recover(folder)?);
        removed += remove_temporaries(folder, prefix);
    }
    Ok((lock, finished, removed))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn outputs_may_not_overlap_inputs_or_each_other() {
        let dir = tempfile::tempdir().unwrap();
        let raw = dir.path().join("raw");
        std::fs::create_dir(&raw).unwrap();
        let input = raw.join("a.xls");
        std::fs::write(&input, b"x").unwrap();
        let db = dir.path().join("x.db");
        let ok = [
            Output::file("--database", &db),
            Output::dir("--out-dir", dir.path()),
        ];
        check(&ok, &[&input], &[&raw]).unwrap();
        let same = [Output::file("--database", &db), Output::file("--dump", &db)];
        assert!(
            check(&same, &[], &[])
                .unwrap_err()
                .to_string()
                .contains("--database")
        );
        let onto_input = [Output::file("--dump", &input)];
        assert!(check(&onto_input, &[&input], &[]).is_err());
        let raw_dump = raw.join("dump.sql");
        let inside_raw = [Output::file("--dump", &raw_dump)];
        assert!(check(&inside_raw, &[], &[&raw]).is_err());
        let a_folder = [Output::file("--dump", &raw)];
        assert!(
            check(&a_folder, &[], &[])
                .unwrap_err()
                .to_string()
                .contains("folder")
        );
        let missing = dir.path().join("missing/dump.sql");
        assert!(check(&[Output::file("--dump", &missing)], &[], &[]).is_err());
    }

    #[test]
    fn only_old_temporaries_with_the_prefix_are_stale() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join(".etl-old");
        let young = dir.path().join(".etl-young");
        let other = dir.path().join("keep");
        for p in [&old, &young, &other] {
            std::fs::write(p, b"x").unwrap();
        }
        let past = std::time::SystemTime::now() - STALE_AFTER - Duration::from_secs(1);
        std::fs::File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(past)
            .unwrap();
        std::fs::File::options()
            .write(true)
            .open(&other)
            .unwrap()
            .set_modified(past)
            .unwrap();
        assert_eq!(remove_stale(dir.path(), ".etl-"), 1);
        assert!(!old.exists() && young.exists() && other.exists());
    }

    #[test]
    fn devices_and_fifos_are_refused_as_outputs() {
        let null = Path::new("/dev/null");
        let error = check(&[Output::file("--database", null)], &[], &[]).unwrap_err();
        assert!(error.to_string().contains("not a regular file"), "{error}");
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let error = check(&[Output::file("--dump", &fifo)], &[], &[]).unwrap_err();
        assert!(error.to_string().contains("not a regular file"), "{error}");
    }
}
