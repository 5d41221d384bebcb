//! Never lose a planner's work: autosave and restore, files changed on disk, failed saves,
//! and hostile files (kills during a save: tests/kill_during_save.rs).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use malplan::app::{Dialog, MalplanApp, Settings};
#[allow(unused_imports)]
use malplan::command::{Answer, EditCommand, FileCommand, ViewCommand};
use malplan::storage;

mod common;
use common::{harness, rename_first_goal, sample_path as sample};

#[test]
fn unsaved_work_is_autosaved_on_focus_loss_and_restored_after_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ks.ron");
    std::fs::copy(sample("eskilstuna-ks-delar2-2022.ron"), &file).unwrap();
    let on_disk = std::fs::read(&file).unwrap();
    let recovery = dir.path().join("recovery");

    let mut h = harness(MalplanApp::start_with_recovery(Some(file.clone()), Settings::default(), Some(recovery.clone())));
    assert!(h.state().dialog().is_none(), "nothing to restore on a first start");
    rename_first_goal(&mut h, " (utkast)");
    let edited = h.state().plan().clone();
    // Losing focus writes the recovery copy at once (otherwise it is due after 30 s).
    h.event(egui::Event::WindowFocused(false));
    h.run_steps(2);
    let copies = std::fs::read_dir(&recovery).unwrap().count();
    assert_eq!(copies, 2, "plan copy and its info");
    assert_eq!(std::fs::read(&file).unwrap(), on_disk, "the real file is never written by autosave");
    drop(h); // the "crash": no clean exit

    let mut h = harness(MalplanApp::start_with_recovery(Some(file.clone()), Settings::default(), Some(recovery.clone())));
    let Some(Dialog::Restore { recovered, .. }) = h.state().dialog().cloned() else { panic!("restore offered") };
    assert!(recovered.info.saved_unix_secs > 0);
    h.get_by_label_contains("senast autosparad");
    h.get_by_label("Återställ").click();
    h.run_steps(3);
    assert_eq!(h.state().plan(), &edited);
    assert!(h.state().doc.is_dirty(), "restored work is not saved yet");
    assert_eq!(h.state().doc.path.as_deref(), Some(file.as_path()));

    // Saving keeps it and removes the recovery copy.
    h.state_mut().send(FileCommand::Save);
    h.run_steps(2);
    assert!(!h.state().doc.is_dirty());
    assert_eq!(storage::load(&file).unwrap(), edited);
    assert_eq!(std::fs::read_dir(&recovery).unwrap().count(), 0);
}

/// A never-saved plan with one edit, its recovery copy written: (temp dir, recovery dir, app).
fn unsaved_plan_with_recovery_copy() -> (tempfile::TempDir, PathBuf, Harness<'static, MalplanApp>) {
    let dir = tempfile::tempdir().unwrap();
    let recovery = dir.path().join("recovery");
    let mut h = harness(MalplanApp::start_with_recovery(None, Settings::default(), Some(recovery.clone())));
    rename_first_goal(&mut h, "!");
    h.state_mut().send(FileCommand::Autosave);
    h.run_steps(2);
    assert_eq!(std::fs::read_dir(&recovery).unwrap().count(), 2, "plan copy and its info");
    (dir, recovery, h)
}

#[test]
fn discarding_the_recovery_copy_and_a_clean_exit_leave_nothing_behind() {
    let (_dir, recovery, h) = unsaved_plan_with_recovery_copy();
    drop(h);

    let mut h = harness(MalplanApp::start_with_recovery(None, Settings::default(), Some(recovery.clone())));
    h.get_by_label("Kasta").click();
    h.run_steps(3);
    assert!(h.state().dialog().is_none());
    assert_eq!(std::fs::read_dir(&recovery).unwrap().count(), 0);

    rename_first_goal(&mut h, "?");
    h.state_mut().send(FileCommand::Autosave);
    h.run_steps(2);
    assert!(h.state().doc.is_dirty());
    h.state_mut().send(FileCommand::Quit);
    h.run_steps(2);
    assert!(matches!(h.state().dialog(), Some(Dialog::Unsaved { .. })), "{:?}", h.state().dialog());
    h.state_mut().send(Answer::Unsaved(malplan::command::UnsavedAnswer::DontSave));
    h.run_steps(3);
    assert_eq!(std::fs::read_dir(&recovery).unwrap().count(), 0, "a clean exit removes the copy");
}

#[test]
fn a_file_changed_on_disk_is_not_overwritten_without_asking() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ks.ron");
    std::fs::copy(sample("eskilstuna-ks-delar2-2022.ron"), &file).unwrap();
    let mut h = harness(MalplanApp::start(Some(file.clone()), Settings::default()));
    rename_first_goal(&mut h, " (min ändring)");

    // A colleague saves the file meanwhile.
    let mut theirs = storage::load(&file).unwrap();
    theirs.meta.title.push_str(" (kollegans ändring)");
    storage::save(&theirs, &file).unwrap();

    h.state_mut().send(FileCommand::Save);
    h.run_steps(3);
    assert!(matches!(h.state().dialog(), Some(Dialog::ChangedOnDisk { .. })));
    assert_eq!(storage::load(&file).unwrap(), theirs, "not overwritten yet");
    h.get_by_label("Avbryt").click();
    h.run_steps(2);
    assert!(h.state().doc.is_dirty());

    // Reload: their version comes in, mine is dropped (the planner chose so).
    h.state_mut().send(FileCommand::Save);
    h.run_steps(3);
    h.get_by_label("Läs in igen").click();
    h.run_steps(3);
    assert_eq!(h.state().plan(), &theirs);

    // Overwrite: mine wins.
    rename_first_goal(&mut h, " (igen)");
    let mut theirs_again = theirs.clone();
    theirs_again.meta.title.push('!');
    storage::save(&theirs_again, &file).unwrap();
    h.state_mut().send(FileCommand::Save);
    h.run_steps(3);
    h.get_by_label("Skriv över").click();
    h.run_steps(3);
    assert_eq!(&storage::load(&file).unwrap(), h.state().plan());
    assert!(!h.state().doc.is_dirty());
}

#[test]
fn a_failed_save_keeps_the_plan_dirty_and_offers_save_as() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(MalplanApp::start(None, Settings::default()));
    rename_first_goal(&mut h, "!");
    h.state_mut().send(FileCommand::SaveAs(Some(dir.path().join("finns-inte").join("plan.ron"))));
    h.run_steps(3);
    assert!(matches!(h.state().dialog(), Some(Dialog::SaveFailed { .. })));
    h.get_by_label_contains("finns inte");
    h.get_by_label("Spara som…");
    assert!(h.state().doc.is_dirty());
}

#[test]
fn hostile_files_give_clear_errors_quickly() {
    let dir = tempfile::tempdir().unwrap();
    // 100 MB that is not a plan.
    let big = dir.path().join("stor.ron");
    std::fs::write(&big, vec![b'a'; 100 * 1024 * 1024]).unwrap();
    let started = Instant::now();
    let error = storage::load(&big).unwrap_err();
    assert!(error.to_string().contains("ingen Målplan-fil"), "{error}");
    assert!(started.elapsed() < Duration::from_secs(20));

    // 100 MB behind a valid header: a string that never ends.
    let open_string = dir.path().join("oavslutad.ron");
    let mut bytes = b"(format_version: 2, meta: (organisation: \"".to_vec();
    bytes.resize(100 * 1024 * 1024, b'x');
    std::fs::write(&open_string, bytes).unwrap();
    let error = storage::load(&open_string).unwrap_err();
    assert!(matches!(error, storage::LoadError::Syntax { .. }), "{error:?}");

    // A value that is no number: the line and the year are named.
    let plan = storage::load(&sample("eskilstuna-ks-delar2-2022.ron")).unwrap();
    let text = storage::to_ron_string(&plan).unwrap();
    let line = text.lines().position(|l| l.contains("2021: 3; 2022: 1.7")).unwrap() + 1;
    for bad in ["abc", "3,1,2", "--1"] {
        let broken = text.replacen("2021: 3; 2022: 1.7", &format!("2021: {bad}; 2022: 1.7"), 1);
        assert_ne!(broken, text);
        let error = storage::parse_str(&broken, "nan.ron").unwrap_err();
        assert!(error.to_string().starts_with(&format!("nan.ron:{line}:")), "{error}");
        assert!(error.to_string().contains(&format!("\"{bad}\" för år 2021 är inget tal")), "{error}");
    }

    // NaN, infinity and numbers too large for a float load – in format 3 as in format 2's
    // tuples – so that nothing saved becomes unopenable; `check` reports them, and saving
    // such a plan gives a file that opens again.
    let odd = text.replacen("2021: 3; 2022: 1.7", "2021: NaN; 2022: 1e400", 1);
    let old = "(format_version: 2, meta: (organisation: \"K\", title: \"T\", first_year: 2020, last_year: 2022),\n\
        goals: [(id: 1, level: StrategicGoal, title: \"Mål\")],\n\
        indicators: [(id: 2, goal: 1, name: \"Sjukfrånvaro\", series: [(name: \"Totalt\", outcomes: [(2020, NaN), (2021, inf), (2022, 1.7)])])])";
    for (name, text) in [("odd.ron", odd.as_str()), ("v2.ron", old)] {
        let plan = storage::parse_str(text, name).unwrap();
        let problems = malplan::validate::validate(&plan);
        assert_eq!(problems.iter().filter(|p| p.message.contains("inget tal")).count(), 2, "{name}: {problems:?}");
        let saved = storage::to_ron_string(&plan).unwrap();
        let again = storage::parse_str(&saved, name).expect("a saved plan opens again");
        assert_eq!(storage::to_ron_string(&again).unwrap(), saved);
    }
}

#[test]
fn a_dialog_after_the_restore_question_is_shown_and_answerable() {
    let (_dir, recovery, h) = unsaved_plan_with_recovery_copy();
    drop(h);
    let mut h = harness(MalplanApp::start_with_recovery(None, Settings::default(), Some(recovery)));
    h.get_by_label("Kasta").click();
    h.run_steps(3);
    rename_first_goal(&mut h, "?");
    h.state_mut().send(FileCommand::Open(Some(sample("askersund-ks-2025.ron"))));
    h.run_steps(3);
    h.get_by_label("Spara ändringarna?");
    h.get_by_label("Spara inte").click();
    h.run_steps(3);
    assert_eq!(h.state().plan().meta.organisation, "Askersunds kommun");
}

#[test]
fn quitting_with_unsaved_changes_asks() {
    let mut h = harness(MalplanApp::start(None, Settings::default()));
    rename_first_goal(&mut h, "?");
    h.state_mut().send(FileCommand::Quit);
    h.run_steps(3);
    h.get_by_label("Spara ändringarna?");
    h.get_by_label("Avbryt").click();
    h.run_steps(3);
    assert!(h.state().dialog().is_none());
    assert!(h.state().doc.is_dirty());
}

#[test]
fn a_large_file_opens_in_the_background_with_a_progress_dialog() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("stor.ron");
    storage::save(&malplan::generate::generate(malplan::generate::Scale::Large), &file).unwrap();
    assert!(std::fs::metadata(&file).unwrap().len() > malplan::app::BACKGROUND_LOAD_BYTES);

    let mut h = harness(MalplanApp::start(None, Settings::default()));
    h.state_mut().send(FileCommand::Open(Some(file.clone())));
    h.run_steps(3);
    assert!(h.state().is_busy(), "reading happens off the UI thread");
    h.get_by_label_contains("Öppnar");
    let started = Instant::now();
    while h.state().is_busy() {
        assert!(started.elapsed() < Duration::from_secs(120), "loading finishes");
        std::thread::sleep(Duration::from_millis(50));
        h.run_steps(1);
    }
    h.run_steps(2);
    assert_eq!(h.state().plan().indicators.len(), 2_000);
    assert_eq!(h.state().doc.path.as_deref(), Some(file.as_path()));
}

#[test]
fn undoing_back_to_the_saved_state_removes_the_recovery_copy() {
    let (_dir, recovery, mut h) = unsaved_plan_with_recovery_copy();
    h.state_mut().send(EditCommand::Undo);
    h.run_steps(2);
    assert!(!h.state().doc.is_dirty());
    assert_eq!(std::fs::read_dir(&recovery).unwrap().count(), 0);
}
