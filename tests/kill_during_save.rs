//! Kills every kind of writer in the middle of its save, many times: `malplan format`,
//! `malplan import` and the app's own save. After every kill the plan on disk is the complete
//! old or the complete new version, and the next open or save leaves nothing behind (no
//! temporary files, no backup halves, no lock).
//!
//! A kill at a random moment mostly lands before or after the write, proving nothing; so each
//! round waits until the writer's temporary file appears and kills then, and the test counts the
//! kills that provably landed inside the write (the temporary file was still there once the
//! writer was dead) and requires at least an eighth of them (here typically three quarters).

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use malplan::generate::{Scale, generate};
use malplan::model::Plan;
use malplan::storage;

mod common;

/// Set in the environment of the child process that runs the app's save (see [`app_save_child`]).
const CHILD_PLAN_VAR: &str = "MALPLAN_KILL_TEST_PLAN";

/// A reproducible spread of small delays (xorshift).
struct Spread(u64);

impl Spread {
    fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below
    }
}

/// What the killed writer left.
#[derive(Default, Debug)]
struct Tally {
    old: usize,
    new: usize,
    /// Kills after which the writer's temporary file was still there: inside the write window.
    inside_write: usize,
    /// Rounds after which some temporary file or lock was left (before the next open cleaned up).
    left_something: usize,
}

fn leftovers(dir: &Path, keep: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !keep.contains(&name.as_str()))
        .collect();
    names.sort();
    names
}

/// Starts `start()`, waits until the child's temporary file for `plan` appears (or the child
/// ends), lets it run a little more (0–3 ms, so kills spread over writing, syncing, the backup
/// copy and the rename), and kills it. Then checks the file and the leftovers.
fn kill_rounds(rounds: usize, plan: &Path, old: &[u8], new: &[u8], keep: &[&str], mut start: impl FnMut() -> Child) -> Tally {
    let dir = plan.parent().unwrap();
    let mut tally = Tally::default();
    let mut spread = Spread(0x9e37_79b9_7f4a_7c15);
    for round in 0..rounds {
        std::fs::write(plan, old).unwrap();
        let mut child = start();
        let temp = temp_path_of(plan, child.id());
        let deadline = Instant::now() + Duration::from_secs(60);
        while !temp.exists() && Instant::now() < deadline {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::hint::spin_loop();
        }
        std::thread::sleep(Duration::from_micros(spread.next(3_000)));
        let _ = child.kill();
        let _ = child.wait();
        if temp.exists() {
            tally.inside_write += 1;
        }
        let on_disk = std::fs::read(plan).unwrap();
        if on_disk == old {
            tally.old += 1;
        } else if on_disk == new {
            tally.new += 1;
        } else {
            panic!("round {round}: a partial or foreign file of {} bytes", on_disk.len());
        }
        if !leftovers(dir, keep).is_empty() {
            tally.left_something += 1;
        }
        // The next open removes what the killed save left (its process is gone).
        storage::load(plan).unwrap();
        let left: Vec<String> = leftovers(dir, keep).into_iter().filter(|n| n.ends_with(".tmp")).collect();
        assert!(left.is_empty(), "round {round}: opening the plan left {left:?}");
    }
    tally
}

/// The temporary file a writer with process id `pid` writes beside `plan` (the pattern of
/// `storage::temp_path`, which uses the current process's id).
fn temp_path_of(plan: &Path, pid: u32) -> PathBuf {
    let ours = storage::temp_path(plan).file_name().unwrap().to_string_lossy().into_owned();
    let name = ours.replace(&format!(".{}.tmp", std::process::id()), &format!(".{pid}.tmp"));
    plan.with_file_name(name)
}

fn report(what: &str, rounds: usize, tally: &Tally) {
    eprintln!(
        "{what}: {rounds} kills: {} inside the write, {} left the old version, {} the new; {} rounds left files that the next open removed",
        tally.inside_write, tally.old, tally.new, tally.left_something
    );
}

fn malplan_bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_malplan"))
}

/// A plan large enough that writing it takes a moment.
fn test_plan() -> Plan {
    generate(Scale::Small)
}

#[test]
fn killing_format_leaves_old_or_new_and_no_leftovers() {
    const ROUNDS: usize = 60;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plan.ron");
    let plan = test_plan();
    // The old version: the same plan, laid out differently (so old and new bytes differ).
    let old = format!("#![enable(implicit_some)]\n{}", ron::to_string(&plan).unwrap()).into_bytes();
    let new = storage::to_ron_string(&plan).unwrap().into_bytes();
    assert_ne!(old, new);
    let tally = kill_rounds(ROUNDS, &file, &old, &new, &["plan.ron", "plan.ron.bak"], || {
        malplan_bin().arg("format").arg(&file).spawn().unwrap()
    });
    report("format", ROUNDS, &tally);
    assert_eq!(tally.old + tally.new, ROUNDS);
    assert!(tally.inside_write >= ROUNDS / 8, "too few kills landed inside the write: {tally:?}");
    // A save after all that leaves exactly the plan and its backup.
    assert!(malplan_bin().arg("format").arg(&file).status().unwrap().success());
    assert_eq!(leftovers(dir.path(), &[]), ["plan.ron", "plan.ron.bak"]);
}

#[test]
fn killing_an_import_leaves_old_or_new_and_no_leftovers() {
    const ROUNDS: usize = 40;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plan.ron");
    let sheet = dir.path().join("utfall.csv");
    let plan = test_plan();
    let mut raised = plan.clone();
    for indicator in &mut raised.indicators {
        for series in &mut indicator.series {
            for (_, value) in &mut series.outcomes {
                *value += 1.0;
            }
        }
    }
    malplan::exchange::write_sheet(&raised, &sheet).unwrap();
    let old = storage::to_ron_string(&plan).unwrap().into_bytes();
    // The new version: what one uninterrupted import writes.
    std::fs::write(&file, &old).unwrap();
    let import = || malplan_bin().arg("import").arg(&file).arg(&sheet).output().unwrap();
    let done = import();
    assert!(done.status.success(), "{done:?}");
    let new = std::fs::read(&file).unwrap();
    assert_ne!(old, new);
    assert_eq!(storage::load(&file).unwrap().indicators, raised.indicators);

    let tally = kill_rounds(ROUNDS, &file, &old, &new, &["plan.ron", "plan.ron.bak", "utfall.csv"], || {
        malplan_bin().arg("import").arg(&file).arg(&sheet).stdout(std::process::Stdio::null()).spawn().unwrap()
    });
    report("import", ROUNDS, &tally);
    assert_eq!(tally.old + tally.new, ROUNDS);
    assert!(tally.inside_write >= ROUNDS / 8, "too few kills landed inside the write: {tally:?}");
    // A killed import leaves its lock; the next import takes it over and releases it.
    std::fs::write(&file, &old).unwrap();
    let done = import();
    assert!(done.status.success(), "{done:?}");
    assert_eq!(std::fs::read(&file).unwrap(), new);
    assert_eq!(leftovers(dir.path(), &[]), ["plan.ron", "plan.ron.bak", "utfall.csv"]);
}

#[test]
fn killing_the_apps_save_leaves_old_or_new_and_no_leftovers() {
    const ROUNDS: usize = 30;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plan.ron");
    let plan = test_plan();
    let old = storage::to_ron_string(&plan).unwrap().into_bytes();
    let mut renamed = plan.clone();
    renamed.goals[0].title.push_str(" (sparad)");
    let new = storage::to_ron_string(&renamed).unwrap().into_bytes();
    let child = || {
        Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "app_save_child", "--nocapture", "--test-threads=1"])
            .env(CHILD_PLAN_VAR, &file)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    // One uninterrupted run saves exactly the renamed plan.
    std::fs::write(&file, &old).unwrap();
    assert!(child().wait().unwrap().success());
    assert_eq!(std::fs::read(&file).unwrap(), new);

    let tally = kill_rounds(ROUNDS, &file, &old, &new, &["plan.ron", "plan.ron.bak"], child);
    report("the app's save", ROUNDS, &tally);
    assert_eq!(tally.old + tally.new, ROUNDS);
    assert!(tally.inside_write >= ROUNDS / 8, "too few kills landed inside the write: {tally:?}");
    std::fs::write(&file, &old).unwrap();
    assert!(child().wait().unwrap().success());
    assert_eq!(leftovers(dir.path(), &[]), ["plan.ron", "plan.ron.bak"]);
}

/// Not a test of its own: the child process of the test above. With the variable set it opens
/// the plan in the app, renames the first goal and saves with Ctrl+S, as a planner would.
#[test]
fn app_save_child() {
    let Some(path) = std::env::var_os(CHILD_PLAN_VAR) else { return };
    use egui::{Key, Modifiers};
    use malplan::app::{MalplanApp, Settings};
    let app = MalplanApp::start(Some(PathBuf::from(path)), Settings::default());
    let mut h = common::harness(app);
    common::rename_first_goal(&mut h, " (sparad)");
    assert!(h.state().doc.is_dirty());
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    common::settle(&mut h);
    assert!(!h.state().doc.is_dirty(), "{:?}", h.state().status_line());
}
