//! Crash recovery: while a plan has unsaved changes the app writes a recovery copy here (never
//! over the real file). A clean exit or a save removes it; after a crash or kill the next start
//! finds it and offers to restore it. Also the "changed on disk?" stamp of an open file.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::Plan;
use crate::safe_io::{self, Limits};
use crate::storage::{self, LoadError, SaveError};

/// What is stored beside each recovery copy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecoveryInfo {
    /// The file the plan belongs to; `None` for a plan never saved.
    pub original: Option<PathBuf>,
    /// When the copy was written, seconds since 1970 (UTC).
    pub saved_unix_secs: u64,
    pub plan_title: String,
}

/// A recovery copy found on disk.
#[derive(Debug, Clone, PartialEq)]
pub struct Recovered {
    pub info: RecoveryInfo,
    pub plan_file: PathBuf,
}

#[derive(Debug, Clone)]
pub struct RecoveryStore {
    dir: PathBuf,
}

/// FNV-1a, so a file's recovery copy has a stable, file-system-safe name.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

impl RecoveryStore {
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }

    fn stem(original: Option<&Path>) -> String {
        match original {
            Some(path) => format!("plan-{:016x}", fnv1a(path.to_string_lossy().as_bytes())),
            None => "unsaved".to_owned(),
        }
    }

    fn paths(&self, original: Option<&Path>) -> (PathBuf, PathBuf) {
        let stem = Self::stem(original);
        (self.dir.join(format!("{stem}.ron")), self.dir.join(format!("{stem}.json")))
    }

    /// Writes (replaces) the recovery copy of a plan.
    pub fn write(&self, plan: &Plan, original: Option<&Path>, now_unix_secs: u64) -> Result<(), SaveError> {
        fs::create_dir_all(&self.dir).map_err(|e| SaveError::Io {
            path: self.dir.display().to_string(),
            message: e.to_string(),
        })?;
        let (plan_file, info_file) = self.paths(original);
        storage::save(plan, &plan_file)?;
        let _ = fs::remove_file(storage::backup_path(&plan_file));
        let info = RecoveryInfo {
            original: original.map(Path::to_path_buf),
            saved_unix_secs: now_unix_secs,
            plan_title: plan.meta.title.clone(),
        };
        let json = serde_json::to_vec_pretty(&info).map_err(|e| SaveError::Serialize(e.to_string()))?;
        storage::write_atomically(&info_file, &json)
    }

    /// Removes the recovery copy of a plan (after a save or a clean exit).
    pub fn remove(&self, original: Option<&Path>) {
        let (plan_file, info_file) = self.paths(original);
        let _ = fs::remove_file(plan_file);
        let _ = fs::remove_file(info_file);
    }

    /// Every recovery copy left behind, newest first.
    pub fn list(&self) -> Vec<Recovered> {
        let Ok(entries) = fs::read_dir(&self.dir) else { return Vec::new() };
        let mut found: Vec<Recovered> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .filter_map(|info_file| {
                // Guarded like every read: the data folder may hold anything.
                let bytes = safe_io::read_file(&info_file, Limits::SMALL).ok()?;
                let info: RecoveryInfo = serde_json::from_slice(&bytes).ok()?;
                let plan_file = info_file.with_extension("ron");
                plan_file.exists().then_some(Recovered { info, plan_file })
            })
            .collect();
        found.sort_by_key(|r| std::cmp::Reverse(r.info.saved_unix_secs));
        found
    }

    pub fn load(&self, recovered: &Recovered) -> Result<Plan, LoadError> {
        storage::load(&recovered.plan_file)
    }
}

/// Identifies the content of a file on disk, to notice that someone else changed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiskStamp {
    len: u64,
    hash: u64,
}

impl DiskStamp {
    /// The stamp of the file as it is now; `None` when it cannot be read (or does not exist).
    pub fn of(path: &Path) -> Option<Self> {
        let bytes = safe_io::read_file(path, Limits::PLAN).ok()?;
        Some(Self {
            len: bytes.len() as u64,
            hash: fnv1a(&bytes),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(title: &str) -> Plan {
        Plan::new("Askersunds kommun", title, 2025, 2025)
    }

    #[test]
    fn write_list_load_and_remove() {
        let dir = tempfile::tempdir().unwrap();
        let store = RecoveryStore::new(dir.path().join("recovery"));
        assert!(store.list().is_empty(), "no directory yet is fine");
        let original = dir.path().join("ks.ron");
        store.write(&plan("Nämndmål 2025"), Some(&original), 1_000).unwrap();
        store.write(&plan("Ny plan"), None, 2_000).unwrap();
        let found = store.list();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].info.original, None, "newest first");
        assert_eq!(found[1].info.original.as_deref(), Some(original.as_path()));
        assert_eq!(store.load(&found[1]).unwrap().meta.title, "Nämndmål 2025");
        // Writing again replaces the copy of the same file.
        store.write(&plan("Nämndmål 2025, ändrad"), Some(&original), 3_000).unwrap();
        assert_eq!(store.list().len(), 2);
        store.remove(Some(&original));
        store.remove(None);
        assert!(store.list().is_empty());
        assert!(!original.exists(), "the real file is never written");
    }

    #[test]
    fn disk_stamp_notices_changes() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.ron");
        assert_eq!(DiskStamp::of(&file), None);
        fs::write(&file, "one").unwrap();
        let stamp = DiskStamp::of(&file);
        assert_eq!(DiskStamp::of(&file), stamp);
        fs::write(&file, "two").unwrap();
        assert_ne!(DiskStamp::of(&file), stamp);
    }
}
