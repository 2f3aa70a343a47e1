//! Staged outputs committed together or not at all, with a journal that lets the next run
//! finish a commit killed during its renames (see the parent module's documentation).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use super::{JOURNAL_NAME, OutputError, dir_of, io, resolve};

/// Files written to temporaries, waiting to replace their targets together.
pub struct Staged {
    prefix: &'static str,
    files: Vec<(NamedTempFile, PathBuf)>,
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

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
}
