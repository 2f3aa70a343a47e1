//! The exclusive lock on the folders receiving a run's outputs.

use std::path::{Path, PathBuf};

use super::{LOCK_NAME, OutputError, io, resolve};

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
