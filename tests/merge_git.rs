//! `malplan merge` and `malplan diff` as git's merge and diff drivers, in a real repository.

use std::path::Path;
use std::process::Command;

use malplan::storage;

const BIN: &str = env!("CARGO_BIN_EXE_malplan");

fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git is installed (the CI script installs it)");
    output
}

fn git_ok(dir: &Path, args: &[&str]) -> String {
    let output = git(dir, args);
    assert!(output.status.success(), "git {args:?}: {}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A repository with the KS plan committed on `main` and the drivers set up as README says.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git_ok(root, &["init", "-q", "-b", "main"]);
    git_ok(root, &["config", "user.name", "Planerare"]);
    git_ok(root, &["config", "user.email", "planerare@example.org"]);
    git_ok(root, &["config", "commit.gpgsign", "false"]);
    git_ok(root, &["config", "merge.malplan.name", "Målplan: sammanslagning per id"]);
    git_ok(root, &["config", "merge.malplan.driver", &format!("{BIN} merge %O %A %B -o %A")]);
    git_ok(root, &["config", "diff.malplan.textconv", &format!("{BIN} diff")]);
    std::fs::write(root.join(".gitattributes"), "*.ron merge=malplan diff=malplan\n").unwrap();
    let (name, text) = malplan::examples::SAMPLE_PLANS[0];
    std::fs::write(root.join("plan.ron"), text).unwrap();
    let plan = storage::parse_str(text, name).unwrap();
    storage::save_without_backup(&plan, &root.join("plan.ron")).unwrap();
    git_ok(root, &["add", "."]);
    git_ok(root, &["commit", "-q", "-m", "Planen"]);
    dir
}

fn edit(root: &Path, change: impl FnOnce(&mut malplan::model::Plan), message: &str) {
    let file = root.join("plan.ron");
    let mut plan = storage::load(&file).unwrap();
    change(&mut plan);
    storage::save_without_backup(&plan, &file).unwrap();
    git_ok(root, &["commit", "-q", "-am", message]);
}

#[test]
fn branches_editing_different_fields_merge_cleanly_through_the_driver() {
    let dir = repository();
    let root = dir.path();
    git_ok(root, &["checkout", "-q", "-b", "kollega"]);
    edit(root, |p| p.goals[2].title = "Kollegans rubrik".into(), "Kollegan");
    git_ok(root, &["checkout", "-q", "main"]);
    // The next line of the file, and another goal: git's line merge would stop here.
    edit(
        root,
        |p| {
            p.goals[2].description = "Min beskrivning".into();
            p.goals[3].title = "Min rubrik".into();
        },
        "Jag",
    );

    let output = git(root, &["merge", "--no-edit", "kollega"]);
    assert!(output.status.success(), "{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    let merged = storage::load(&root.join("plan.ron")).unwrap();
    assert_eq!(merged.goals[2].title, "Kollegans rubrik");
    assert_eq!(merged.goals[2].description, "Min beskrivning");
    assert_eq!(merged.goals[3].title, "Min rubrik");
    assert!(merged.conflicts.is_empty());
    // No .bak or temporary file left in the work tree by the driver.
    assert_eq!(git_ok(root, &["status", "--porcelain", "--untracked-files=all"]), "");

    // The diff driver: the change reads in planner words.
    let diff = git_ok(root, &["diff", "HEAD~1", "HEAD", "--", "plan.ron"]);
    assert!(diff.contains("+Mål Kollegans rubrik: rubrik: «Kollegans rubrik»"), "{diff}");
}

#[test]
fn the_same_field_changed_on_both_branches_stops_the_merge_and_check_reports_it() {
    let dir = repository();
    let root = dir.path();
    git_ok(root, &["checkout", "-q", "-b", "kollega"]);
    edit(root, |p| p.goals[2].title = "Kollegans rubrik".into(), "Kollegan");
    git_ok(root, &["checkout", "-q", "main"]);
    edit(root, |p| p.goals[2].title = "Min rubrik".into(), "Jag");

    let output = git(root, &["merge", "--no-edit", "kollega"]);
    assert!(!output.status.success(), "a conflict stops the merge");
    // The file is a valid plan carrying the conflict, mine in the plan.
    let merged = storage::load(&root.join("plan.ron")).unwrap();
    assert_eq!(merged.goals[2].title, "Min rubrik");
    assert_eq!(merged.conflicts.len(), 1);
    assert_eq!(merged.conflicts[0].theirs, "«Kollegans rubrik»");

    let check = Command::new(BIN).args(["check", "plan.ron"]).current_dir(root).output().unwrap();
    assert_eq!(check.status.code(), Some(1));
    let text = String::from_utf8_lossy(&check.stdout);
    assert!(text.contains("konflikt Mål Min rubrik: rubrik: olöst efter sammanslagning: min version «Min rubrik», deras «Kollegans rubrik»"), "{text}");

    // Resolved (theirs) and committed: check is clean again.
    let resolved = malplan::merge::resolve(&merged, 0, malplan::merge::Choice::Theirs).unwrap();
    storage::save_without_backup(&resolved, &root.join("plan.ron")).unwrap();
    git_ok(root, &["commit", "-q", "-am", "Sammanslaget"]);
    let check = Command::new(BIN).args(["check", "plan.ron"]).current_dir(root).output().unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", String::from_utf8_lossy(&check.stdout));
    assert_eq!(storage::load(&root.join("plan.ron")).unwrap().goals[2].title, "Kollegans rubrik");
}

#[test]
fn diff_lists_changes_in_planner_words_as_text_json_and_for_git() {
    let dir = tempfile::tempdir().unwrap();
    let (name, text) = malplan::examples::SAMPLE_PLANS[0];
    let before = storage::parse_str(text, name).unwrap();
    let mut after = before.clone();
    let indicator = after.indicators.iter().position(|i| i.series.first().is_some_and(|s| s.outcome(2022).is_some())).unwrap();
    let old = after.indicators[indicator].series[0].outcome(2022).unwrap();
    malplan::model::set_value(&mut after.indicators[indicator].series[0].outcomes, 2022, Some(old + 0.1));
    let (a, b) = (dir.path().join("a.ron"), dir.path().join("b.ron"));
    storage::save(&before, &a).unwrap();
    storage::save(&after, &b).unwrap();
    let run = |args: &[&std::ffi::OsStr]| Command::new(BIN).args(args).output().unwrap();

    let output = run(&["diff".as_ref(), a.as_os_str(), b.as_os_str()]);
    assert_eq!(output.status.code(), Some(0));
    let series = &after.indicators[indicator].series[0];
    let number = |v: f64| format!("{v}").replace('.', ",");
    let line = format!("{}, {}, utfall 2022: {} → {}\n", after.indicators[indicator].name, series.name, number(old), number(old + 0.1));
    assert_eq!(String::from_utf8_lossy(&output.stdout), line);

    let output = run(&["diff".as_ref(), a.as_os_str(), b.as_os_str(), "--format".as_ref(), "json".as_ref()]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json[0]["place"], format!("indicators[id={}].series[name=\"{}\"].outcomes[2022]", after.indicators[indicator].id.0, series.name));
    assert_eq!(json[0]["after"].as_f64(), Some(old + 0.1));

    // git's external diff command: path old-file old-hex old-mode new-file new-hex new-mode.
    let output = run(&["diff".as_ref(), "plan.ron".as_ref(), a.as_os_str(), "0".as_ref(), "100644".as_ref(), b.as_os_str(), "1".as_ref(), "100644".as_ref()]);
    assert_eq!(String::from_utf8_lossy(&output.stdout), format!("plan.ron\n{line}"));

    // A broken file: a message with line and column, exit 2.
    std::fs::write(&b, "(format_version: 5, meta: (").unwrap();
    let output = run(&["diff".as_ref(), a.as_os_str(), b.as_os_str()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stdout).contains("b.ron:1:"), "{}", String::from_utf8_lossy(&output.stdout));
}
