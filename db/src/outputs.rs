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

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use tempfile::NamedTempFile;

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

fn dir_of(path: &Path) -> &Path {
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

/// Files written to temporaries, waiting to replace their targets together.
pub struct Staged {
    prefix: &'static str,
    files: Vec<(NamedTempFile, PathBuf)>,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl Staged {
    /// Temporary files will be named `<prefix>XXXXXX`.
    pub fn new(prefix: &'static str) -> Staged {
        Staged {
            prefix,
            files: Vec::new(),
        }
    }

    /// An empty temporary file beside `target` (folders created as needed), readable by
    /// others like any output.
    pub fn temp_beside(&self, target: &Path) -> Result<NamedTempFile, OutputError> {
        let dir = dir_of(target);
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let mut builder = tempfile::Builder::new();
        builder.prefix(self.prefix);
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
        builder.tempfile_in(dir).map_err(io(dir))
    }

    /// Adds a finished temporary file (synced to disk here) that will replace `target`.
    pub fn add(&mut self, file: NamedTempFile, target: &Path) -> Result<(), OutputError> {
        file.as_file().sync_all().map_err(io(file.path()))?;
        self.files.push((file, target.to_path_buf()));
        Ok(())
    }

    /// Writes `bytes` to a temporary file that will replace `target`.
    pub fn write(&mut self, target: &Path, bytes: &[u8]) -> Result<(), OutputError> {
        let mut file = self.temp_beside(target)?;
        file.write_all(bytes).map_err(io(file.path()))?;
        self.add(file, target)
    }

    /// The targets, in the order they will be replaced.
    pub fn targets(&self) -> Vec<&Path> {
        self.files.iter().map(|(_, t)| t.as_path()).collect()
    }

    /// Replaces every target, or none (see the module's documentation).
    pub fn commit(self) -> Result<(), OutputError> {
        self.prepare()?.apply()
    }

    /// Keeps each previous target under a hard link and writes the journal: from here on,
    /// every new file is complete and on disk, so an interrupted commit can be finished.
    pub fn prepare(self) -> Result<Prepared, OutputError> {
        let mut backups: Vec<Option<tempfile::TempPath>> = Vec::new();
        for (_, target) in &self.files {
            backups.push(self.backup(target)?);
        }
        let Some((_, first)) = self.files.first() else {
            return Ok(Prepared {
                files: Vec::new(),
                backups,
                journal: None,
            });
        };
        let journal = resolve(dir_of(first)).join(JOURNAL_NAME);
        let mut text = String::new();
        for ((tmp, target), backup) in self.files.iter().zip(&backups) {
            let backup = backup.as_ref().map(|b| resolve(b)).unwrap_or_default();
            let fields = [resolve(target), resolve(tmp.path()), backup];
            let fields: Vec<String> = fields
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect();
            if fields.iter().any(|f| f.contains(['\t', '\n'])) {
                return Err(OutputError::Journal {
                    path: journal,
                    reason: "a path holds a tab or a line break".into(),
                });
            }
            text.push_str(&fields.join("\t"));
            text.push('\n');
        }
        let mut staged = self.temp_beside(&journal)?;
        staged
            .write_all(text.as_bytes())
            .map_err(io(staged.path()))?;
        staged.as_file().sync_all().map_err(io(staged.path()))?;
        staged.persist(&journal).map_err(|e| OutputError::Io {
            path: journal.clone(),
            source: e.error,
        })?;
        sync_dir(dir_of(&journal));
        Ok(Prepared {
            files: self.files,
            backups,
            journal: Some(journal),
        })
    }

    /// A hard link to the current target (a copy where links are not possible), removed
    /// when dropped; `None` when there is no target yet.
    fn backup(&self, target: &Path) -> Result<Option<tempfile::TempPath>, OutputError> {
        if !target.exists() {
            return Ok(None);
        }
        let path = self.temp_beside(target)?.into_temp_path();
        std::fs::remove_file(&path).map_err(io(&path))?;
        if std::fs::hard_link(target, &path).is_err() {
            std::fs::copy(target, &path).map_err(io(target))?;
        }
        Ok(Some(path))
    }
}

/// A commit whose journal is written: [`Prepared::apply`] renames every file.
pub struct Prepared {
    files: Vec<(NamedTempFile, PathBuf)>,
    backups: Vec<Option<tempfile::TempPath>>,
    journal: Option<PathBuf>,
}

impl Prepared {
    /// Renames every temporary file over its target; on a failure, the targets already
    /// replaced get their previous file back, and the journal goes.
    pub fn apply(self) -> Result<(), OutputError> {
        let mut done: Vec<(&PathBuf, Option<&tempfile::TempPath>)> = Vec::new();
        let mut failure = None;
        for ((tmp, target), backup) in self.files.iter().zip(&self.backups) {
            match std::fs::rename(tmp.path(), target) {
                Ok(()) => done.push((target, backup.as_ref())),
                Err(source) => {
                    failure = Some(OutputError::Io {
                        path: target.clone(),
                        source,
                    });
                    break;
                }
            }
        }
        let Some(failure) = failure else {
            for (_, target) in &self.files {
                sync_dir(dir_of(target));
            }
            // The temporaries are now the targets: nothing left to delete for them.
            for (tmp, _) in self.files {
                let _ = tmp.into_temp_path().keep();
            }
            if let Some(journal) = &self.journal {
                let _ = std::fs::remove_file(journal);
            }
            return Ok(());
        };
        for (target, backup) in done.into_iter().rev() {
            let restored = match backup {
                Some(backup) => std::fs::rename(backup, target),
                None => std::fs::remove_file(target),
            };
            if let Err(e) = restored {
                eprintln!("error: cannot restore {}: {e}", target.display());
            }
        }
        if let Some(journal) = &self.journal {
            let _ = std::fs::remove_file(journal);
        }
        Err(failure)
    }
}

/// Makes a folder's renames durable (best effort: not every file system syncs folders).
fn sync_dir(dir: &Path) {
    if let Ok(folder) = std::fs::File::open(dir) {
        let _ = folder.sync_all();
    }
}

/// Finishes the commit a killed run left in `dir`, if any: every temporary file named in
/// its journal and still present replaces its target (each was complete and on disk before
/// the journal was written), then the previous files kept aside and the journal go.
/// Returns the targets replaced now. Call it under [`lock`].
pub fn recover(dir: &Path) -> Result<Vec<PathBuf>, OutputError> {
    let journal = dir.join(JOURNAL_NAME);
    let text = match std::fs::read_to_string(&journal) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(OutputError::Journal {
                path: journal,
                reason: e.to_string(),
            });
        }
    };
    let mut entries = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let fields: Vec<&str> = line.split('\t').collect();
        let [target, tmp, backup] = fields[..] else {
            return Err(OutputError::Journal {
                path: journal,
                reason: format!("line {} has {} fields, not 3", n + 1, fields.len()),
            });
        };
        entries.push((PathBuf::from(target), PathBuf::from(tmp), backup.to_owned()));
    }
    let mut finished = Vec::new();
    for (target, tmp, _) in &entries {
        if tmp.exists() {
            std::fs::rename(tmp, target).map_err(io(target))?;
            finished.push(target.clone());
        }
    }
    for (target, _, backup) in &entries {
        if !backup.is_empty() {
            let _ = std::fs::remove_file(backup);
        }
        sync_dir(dir_of(target));
    }
    std::fs::remove_file(&journal).map_err(io(&journal))?;
    Ok(finished)
}

/// An exclusive lock on folders receiving outputs, held until dropped (or the process ends).
#[derive(Debug)]
pub struct Lock {
    _files: Vec<std::fs::File>,
}

/// Locks each folder (created when missing) through its [`LOCK_NAME`] file, in a fixed
/// order; a folder locked by another run is a [`OutputError::Busy`].
pub fn lock(folders: &[&Path]) -> Result<Lock, OutputError> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    for folder in folders {
        std::fs::create_dir_all(folder).map_err(io(folder))?;
        let dir = resolve(folder);
        if !dirs.contains(&dir) {
            dirs.push(dir);
        }
    }
    dirs.sort();
    let mut files = Vec::new();
    for dir in dirs {
        let path = dir.join(LOCK_NAME);
        let file = std::fs::File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io(&path))?;
        match file.try_lock() {
            Ok(()) => files.push(file),
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(OutputError::Busy {
                    folder: dir,
                    lock: path,
                });
            }
            Err(std::fs::TryLockError::Error(source)) => {
                return Err(OutputError::Io { path, source });
            }
        }
    }
    Ok(Lock { _files: files })
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
    fn a_failed_commit_restores_every_target() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.txt");
        std::fs::write(&a, b"old a").unwrap();
        let b = dir.path().join("b");
        let mut staged = Staged::new(".t-");
        staged.write(&a, b"new a").unwrap();
        staged.write(&b, b"new b").unwrap();
        // b becomes a non-empty folder: renaming a file over it fails.
        std::fs::create_dir(&b).unwrap();
        std::fs::write(b.join("inside"), b"").unwrap();
        assert!(staged.commit().is_err());
        assert_eq!(std::fs::read(&a).unwrap(), b"old a");
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".t-"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
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

    #[test]
    fn a_commit_killed_during_its_renames_is_finished_by_the_next_run() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.csv");
        let b = dir.path().join("b.csv");
        let c = dir.path().join("c.db");
        for (p, old) in [(&a, "old a"), (&b, "old b"), (&c, "old c")] {
            std::fs::write(p, old).unwrap();
        }
        let mut staged = Staged::new(".t-");
        staged.write(&a, b"new a").unwrap();
        staged.write(&b, b"new b").unwrap();
        staged.write(&c, b"new c").unwrap();
        let prepared = staged.prepare().unwrap();
        assert!(dir.path().join(JOURNAL_NAME).exists());
        // The process dies after the first rename: no destructor runs.
        let (tmp, target) = &prepared.files[0];
        std::fs::rename(tmp.path(), target).unwrap();
        std::mem::forget(prepared);
        assert_eq!(std::fs::read(&a).unwrap(), b"new a");
        assert_eq!(std::fs::read(&b).unwrap(), b"old b");

        let finished = recover(dir.path()).unwrap();
        assert_eq!(finished.len(), 2);
        for (p, new) in [(&a, "new a"), (&b, "new b"), (&c, "new c")] {
            assert_eq!(std::fs::read_to_string(p).unwrap(), new);
        }
        let left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(left.is_empty(), "{left:?}");
        // Nothing to do the next time.
        assert!(recover(dir.path()).unwrap().is_empty());
    }

    #[test]
    fn a_second_lock_on_the_same_folders_is_refused_until_the_first_is_released() {
        let dir = tempfile::tempdir().unwrap();
        let other = tempfile::tempdir().unwrap();
        let first = lock(&[dir.path(), other.path()]).unwrap();
        let error = lock(&[other.path(), dir.path()]).unwrap_err();
        assert!(matches!(error, OutputError::Busy { .. }), "{error}");
        assert!(error.to_string().contains("another run"), "{error}");
        drop(first);
        lock(&[dir.path()]).unwrap();
    }
}
