//! Two writers never silently drop each other's work.
//!
//! The rule, for every Målplan that writes a plan (the app's save, the command line's
//! `import`, `import-kolada` and `format`):
//!
//! 1. **Advisory lock file.** Before reading a plan it is going to write back (the command
//!    line) or before writing it (the app), Målplan creates `.NAME.ron.lock` beside it with
//!    `create_new` – atomic on local disks and on SMB/NFS shares, where `flock` is not to be
//!    trusted. The file names the holder (host, process, time). Another writer waits for it
//!    (a few seconds, then refuses with the holder's name); a lock older than
//!    [`STALE_AFTER`], or left by a process that no longer runs on this host, is taken over.
//! 2. **Compare-and-swap on the content.** Under the lock, the file on disk is compared with
//!    what was read (length and hash); if someone who does not take the lock (an older
//!    Målplan, a sync tool, an editor) changed it meanwhile, the save is refused and nothing is
//!    written.
//!
//! So two `malplan import` runs on one plan run one after the other, each on the other's
//! result, and a writer outside the rule is noticed instead of overwritten.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::model::Plan;
use crate::recovery::DiskStamp;
use crate::storage::{self, SaveError};

/// A lock not refreshed for this long belongs to a writer that died.
pub const STALE_AFTER: Duration = Duration::from_secs(120);
/// A lock file with no holder written in it is left over after this long.
const UNFILLED_STALE_AFTER: Duration = Duration::from_secs(5);

/// How long a writer waits for another's lock before refusing.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LockError {
    #[error("{path}: planen används av {holder} – försök igen om en stund")]
    Busy { path: String, holder: String },
    #[error("Kunde inte spara {path}: {message}")]
    Io { path: String, message: String },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GuardedSaveError {
    #[error(transparent)]
    Lock(#[from] LockError),
    #[error(
        "{0}: filen har ändrats av någon annan sedan den lästes – ingenting sparades. Läs in planen igen och gör om ändringen."
    )]
    ChangedOnDisk(String),
    #[error("{0}")]
    Save(String),
}

impl From<SaveError> for GuardedSaveError {
    fn from(error: SaveError) -> Self {
        GuardedSaveError::Save(error.to_string())
    }
}

/// The lock file beside `plan`: `plan.ron` → `.plan.ron.lock`.
pub fn lock_path(plan: &Path) -> PathBuf {
    let mut name = std::ffi::OsString::from(".");
    name.push(plan.file_name().unwrap_or_default());
    name.push(".lock");
    plan.with_file_name(name)
}

/// Held while a writer works on a plan; removed when dropped.
#[derive(Debug)]
pub struct PlanLock {
    path: PathBuf,
}

impl Drop for PlanLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

fn host_name() -> String {
    fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "okänd dator".to_owned())
}

/// "process 4711 på kansli-pc sedan 2026-11-23 14:05" from a lock file's text.
fn describe_holder(text: &str) -> String {
    let mut parts = text.lines();
    let host = parts.next().unwrap_or("?");
    let pid = parts.next().unwrap_or("?");
    let since = parts.next().and_then(|s| s.parse::<u64>().ok()).map(crate::time::local_date_time).unwrap_or_default();
    format!("process {pid} på {host} sedan {since}")
}

/// Whether a lock file is left over: too old, or its process is gone from this host.
fn is_stale(lock: &Path, text: &str) -> bool {
    let age = fs::metadata(lock).and_then(|m| m.modified()).ok().and_then(|t| SystemTime::now().duration_since(t).ok());
    if age.is_some_and(|age| age > STALE_AFTER) {
        return true;
    }
    let mut parts = text.lines();
    let (host, pid) = (parts.next().unwrap_or(""), parts.next().and_then(|p| p.parse::<u32>().ok()));
    match pid {
        Some(pid) if host == host_name() && cfg!(target_os = "linux") => !Path::new(&format!("/proc/{pid}")).exists(),
        // A writer fills its lock file microseconds after creating it; an empty one that is
        // seconds old belongs to a writer killed in between.
        None => age.is_some_and(|age| age > UNFILLED_STALE_AFTER),
        _ => false,
    }
}

/// Takes the lock of `plan`, waiting up to `wait` for another writer to finish.
pub fn lock(plan: &Path, wait: Duration) -> Result<PlanLock, LockError> {
    let path = lock_path(plan);
    let shown = plan.display().to_string();
    let deadline = std::time::Instant::now() + wait;
    loop {
        match fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut file) => {
                let now = crate::time::now_unix_secs();
                let _ = writeln!(file, "{}\n{}\n{now}", host_name(), std::process::id());
                return Ok(PlanLock { path });
            }
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                let text = fs::read_to_string(&path).unwrap_or_default();
                if is_stale(&path, &text) {
                    // Left by a writer that died: take it over (one of two racing writers
                    // wins the create_new above on the next round).
                    let _ = fs::remove_file(&path);
                    continue;
                }
                if std::time::Instant::now() >= deadline {
                    return Err(LockError::Busy { path: shown, holder: describe_holder(&text) });
                }
                std::thread::sleep(Duration::from_millis(25));
            }
            Err(error) => return Err(LockError::Io { path: shown, message: crate::safe_io::describe_io_error(&error) }),
        }
    }
}

/// Saves `plan` to `path` under the lock, only if the file is still `expected` (what was read;
/// `None` when the file is new or its state is not known).
pub fn save_if_unchanged(plan: &Plan, path: &Path, expected: Option<DiskStamp>, wait: Duration) -> Result<(), GuardedSaveError> {
    let _lock = lock(path, wait)?;
    save_locked(plan, path, expected)
}

/// Like [`save_if_unchanged`] for a writer that already holds the lock.
pub fn save_locked(plan: &Plan, path: &Path, expected: Option<DiskStamp>) -> Result<(), GuardedSaveError> {
    if let Some(expected) = expected
        && DiskStamp::of(path) != Some(expected)
    {
        return Err(GuardedSaveError::ChangedOnDisk(path.display().to_string()));
    }
    storage::save(plan, path)?;
    Ok(())
}

/// Whether `output` is the same file as `input` – by path after resolving links, or (unix) by
/// device and inode, so a hard link or a symlink to the plan counts too. An output that does
/// not exist yet is the same only when its resolved path is.
pub fn same_file(input: &Path, output: &Path) -> bool {
    let resolve = |p: &Path| -> Option<PathBuf> {
        if let Ok(real) = fs::canonicalize(p) {
            return Some(real);
        }
        // Not there yet: resolve the folder and keep the name.
        let parent = p.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        Some(fs::canonicalize(parent).ok()?.join(p.file_name()?))
    };
    if let (Some(a), Some(b)) = (resolve(input), resolve(output))
        && a == b
    {
        return true;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(a), Ok(b)) = (fs::metadata(input), fs::metadata(output)) {
            return a.dev() == b.dev() && a.ino() == b.ino();
        }
    }
    false
}

/// Refuses an output path that is one of the inputs: "… är planen själv".
pub fn refuse_output_over_inputs(output: &Path, inputs: &[&Path]) -> Result<(), String> {
    match inputs.iter().find(|input| same_file(input, output)) {
        Some(input) => Err(format!(
            "{}: utfilen är samma fil som {} – välj ett annat namn, annars skrivs den över",
            output.display(),
            input.display()
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_waits_then_refuses_naming_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let plan = dir.path().join("ks.ron");
        let first = lock(&plan, Duration::ZERO).unwrap();
        assert!(lock_path(&plan).exists());
        let refused = lock(&plan, Duration::from_millis(100)).unwrap_err();
        let message = refused.to_string();
        assert!(message.contains("används av process") && message.contains(&std::process::id().to_string()), "{message}");
        drop(first);
        assert!(!lock_path(&plan).exists(), "released");
        let _again = lock(&plan, Duration::ZERO).unwrap();
    }

    #[test]
    fn a_lock_left_by_a_dead_process_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let plan = dir.path().join("ks.ron");
        // A pid that cannot be running (above the kernel's maximum).
        fs::write(lock_path(&plan), format!("{}\n4294967\n0\n", host_name())).unwrap();
        if cfg!(target_os = "linux") {
            assert!(lock(&plan, Duration::ZERO).is_ok());
        }
        // Too old, whoever holds it.
        let other = dir.path().join("annan.ron");
        let stale = fs::File::create(lock_path(&other)).unwrap();
        stale.set_modified(SystemTime::now() - STALE_AFTER - Duration::from_secs(5)).unwrap();
        assert!(lock(&other, Duration::ZERO).is_ok());
    }

    #[test]
    fn an_empty_lock_left_by_a_writer_killed_while_taking_it_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let plan = dir.path().join("ks.ron");
        let empty = fs::File::create(lock_path(&plan)).unwrap();
        assert!(lock(&plan, Duration::ZERO).is_err(), "a writer may be filling it in right now");
        empty.set_modified(SystemTime::now() - UNFILLED_STALE_AFTER - Duration::from_secs(1)).unwrap();
        assert!(lock(&plan, Duration::ZERO).is_ok());
    }

    #[test]
    fn an_output_is_the_input_also_through_links() {
        let dir = tempfile::tempdir().unwrap();
        let plan = dir.path().join("ks.ron");
        fs::write(&plan, "x").unwrap();
        assert!(same_file(&plan, &plan));
        assert!(same_file(&plan, &dir.path().join(".").join("ks.ron")));
        assert!(!same_file(&plan, &dir.path().join("ks.pdf")));
        #[cfg(unix)]
        {
            let link = dir.path().join("lank.ron");
            std::os::unix::fs::symlink(&plan, &link).unwrap();
            assert!(same_file(&plan, &link));
            let hard = dir.path().join("hard.ron");
            fs::hard_link(&plan, &hard).unwrap();
            assert!(same_file(&plan, &hard));
        }
        let message = refuse_output_over_inputs(&plan, &[Path::new("annan.json"), &plan]).unwrap_err();
        assert!(message.contains("samma fil"), "{message}");
        assert!(refuse_output_over_inputs(&dir.path().join("ut.pdf"), &[&plan]).is_ok());
    }

    #[test]
    fn a_change_on_disk_since_reading_refuses_the_save() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ks.ron");
        let plan = crate::examples::default_plan();
        storage::save(&plan, &path).unwrap();
        let read = DiskStamp::of(&path);
        let mut theirs = plan.clone();
        theirs.meta.title.push_str(" (kollegans)");
        storage::save(&theirs, &path).unwrap();
        let mut mine = plan.clone();
        mine.meta.title.push_str(" (min)");
        let error = save_if_unchanged(&mine, &path, read, Duration::ZERO).unwrap_err();
        assert!(matches!(error, GuardedSaveError::ChangedOnDisk(_)), "{error}");
        assert_eq!(storage::load(&path).unwrap(), theirs, "nothing written");
        save_if_unchanged(&mine, &path, DiskStamp::of(&path), Duration::ZERO).unwrap();
        assert_eq!(storage::load(&path).unwrap(), mine);
        assert!(!lock_path(&path).exists());
    }
}
