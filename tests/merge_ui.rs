//! Two planners, one file: the app merges a colleague's saved version instead of overwriting
//! it, lists the conflicts side by side, and saves the choice.

use egui_kittest::kittest::Queryable;
use malplan::app::{Dialog, MalplanApp, Settings};
use malplan::command::{EditCommand, FileCommand};
use malplan::edit::Edit;
use malplan::model::Assessment;
use malplan::storage;

mod common;
use common::{harness, sample_path as sample, settle};

fn ks_copy() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ks.ron");
    std::fs::copy(sample("eskilstuna-ks-delar2-2022.ron"), &file).unwrap();
    (dir, file)
}

fn set_title(h: &mut egui_kittest::Harness<'static, MalplanApp>, index: usize, title: &str) {
    let mut goal = h.state().plan().goals[index].clone();
    goal.title = title.into();
    h.state_mut().send(EditCommand::Apply { edit: Edit::Goal(goal), merge: None });
    h.run_steps(2);
}

#[test]
fn merging_a_colleagues_version_lists_the_conflict_and_saves_the_choice() {
    let (_dir, file) = ks_copy();
    let mut h = harness(MalplanApp::start(Some(file.clone()), Settings::default()));
    set_title(&mut h, 2, "Företagsklimatet (min rubrik)");
    set_title(&mut h, 3, "Attraktiviteten (bara min ändring)");

    // The colleague changes the same goal's title, and the plan's title.
    let mut theirs = storage::load(&file).unwrap();
    theirs.goals[2].title = "Företagsklimatet (deras rubrik)".into();
    theirs.meta.title.push_str(" – kollegans version");
    storage::save(&theirs, &file).unwrap();

    h.state_mut().send(FileCommand::Save);
    h.run_steps(3);
    assert!(matches!(h.state().dialog(), Some(Dialog::ChangedOnDisk { .. })));
    h.get_by_label("Slå ihop").click();
    settle(&mut h);
    assert!(matches!(h.state().dialog(), Some(Dialog::MergeConflicts { .. })), "{:?}", h.state().dialog());
    // The conflict in planner words, mine and theirs side by side.
    h.get_by_label("Mål Företagsklimatet (min rubrik): rubrik");
    h.get_by_label("«Företagsklimatet (min rubrik)»");
    h.get_by_label("«Företagsklimatet (deras rubrik)»");
    // Not yet saved: the file is still the colleague's.
    assert_eq!(storage::load(&file).unwrap(), theirs);

    h.get_by_label("Ta deras").click();
    // The dialog shrinks and re-centres over a few frames.
    h.run_steps(6);
    assert!(h.state().plan().conflicts.is_empty());
    h.get_by_label("Alla konflikter är lösta. Spara planen.");
    h.get_by_label("Spara").click();
    settle(&mut h);
    assert!(h.state().dialog().is_none(), "{:?}", h.state().dialog());
    assert!(!h.state().doc.is_dirty());

    let saved = storage::load(&file).unwrap();
    assert_eq!(saved.goals[2].title, "Företagsklimatet (deras rubrik)", "theirs chosen");
    assert_eq!(saved.goals[3].title, "Attraktiviteten (bara min ändring)", "mine kept");
    assert!(saved.meta.title.ends_with(" – kollegans version"), "theirs kept");
    assert!(saved.conflicts.is_empty());

    // The merge is one undo step (and each choice another).
    h.state_mut().send(EditCommand::Undo);
    h.run_steps(2);
    assert_eq!(h.state().plan().conflicts.len(), 1);
}

#[test]
fn a_merge_without_conflicts_saves_at_once_and_the_next_save_needs_no_question() {
    let (_dir, file) = ks_copy();
    let mut h = harness(MalplanApp::start(Some(file.clone()), Settings::default()));
    set_title(&mut h, 1, "Min rubrik");
    let mut theirs = storage::load(&file).unwrap();
    let period = theirs.periods.last().unwrap().id;
    let entry = theirs.periods.last_mut().unwrap().goals.iter_mut().find(|f| f.assessment != Assessment::NotAchieved).unwrap();
    entry.assessment = Assessment::NotAchieved;
    let goal = entry.goal;
    storage::save(&theirs, &file).unwrap();

    h.state_mut().send(FileCommand::Save);
    h.run_steps(3);
    h.get_by_label("Slå ihop").click();
    settle(&mut h);
    assert!(h.state().dialog().is_none(), "{:?}", h.state().dialog());
    let saved = storage::load(&file).unwrap();
    assert_eq!(saved.goals[1].title, "Min rubrik");
    assert_eq!(saved.period(period).unwrap().goal_follow_up(goal).unwrap().assessment, Assessment::NotAchieved);
    assert_eq!(&saved, h.state().plan());

    // What was read is the new base: another edit saves without asking.
    set_title(&mut h, 1, "Min rubrik igen");
    h.state_mut().send(FileCommand::Save);
    settle(&mut h);
    assert!(h.state().dialog().is_none());
    assert_eq!(storage::load(&file).unwrap().goals[1].title, "Min rubrik igen");
}

#[test]
fn a_file_with_conflicts_opens_with_them_listed_and_compare_lists_changes() {
    let (dir, file) = ks_copy();
    let base = storage::load(&file).unwrap();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    ours.goals[2].title = "Min".into();
    theirs.goals[2].title = "Deras".into();
    let merged = malplan::merge::merge(&base, &ours, &theirs).unwrap();
    storage::save(&merged.plan, &file).unwrap();

    let mut h = harness(MalplanApp::start(Some(file.clone()), Settings::default()));
    assert!(matches!(h.state().dialog(), Some(Dialog::MergeConflicts { .. })));
    h.get_by_label("Behåll min").click();
    h.run_steps(6);
    assert!(h.state().plan().conflicts.is_empty());
    assert_eq!(h.state().plan().goals[2].title, "Min");
    h.get_by_label("Stäng").click();
    h.run_steps(2);
    assert!(h.state().dialog().is_none());

    // Arkiv → Jämför med…: the original version against the open plan.
    let original = dir.path().join("original.ron");
    storage::save(&base, &original).unwrap();
    // Through the menu, as a planner does it; the file dialog answers with the original.
    h.state_mut().set_desktop(Box::new(malplan::app::effects::ScriptedDesktop::answering([original])));
    h.get_by_label("Arkiv").click();
    h.run_steps(2);
    h.get_by_label("Jämför med…").click();
    settle(&mut h);
    let Some(Dialog::Compare { lines, .. }) = h.state().dialog().cloned() else { panic!("{:?}", h.state().dialog()) };
    let old = &base.goals[2].title;
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with(&format!("Mål {old}: rubrik «Stärka företagsklimatet")), "{lines:?}");
    assert!(lines[0].ends_with("…» → «Min»"), "{lines:?}");
}

#[test]
fn the_same_flow_speaks_english() {
    let (_dir, file) = ks_copy();
    let base = storage::load(&file).unwrap();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    ours.periods[0].goals[0].assessment = Assessment::Partly;
    theirs.periods[0].goals[0].assessment = Assessment::Achieved;
    storage::save(&malplan::merge::merge(&base, &ours, &theirs).unwrap().plan, &file).unwrap();
    let settings = Settings { lang: malplan::i18n::Lang::English, ..Settings::default() };
    let mut h = harness(MalplanApp::start(Some(file), settings));
    h.get_by_label("Choose which version holds");
    h.get_by_label_contains("Delår 2 2022: assessment");
    h.get_by_label("partly");
    h.get_by_label("achieved");
    h.get_by_label("Take theirs").click();
    h.run_steps(6);
    assert_eq!(h.state().plan().periods[0].goals[0].assessment, Assessment::Achieved);
}

#[test]
fn editing_a_budget_or_economy_conflict_by_hand_shows_that_budget_or_follow_up() {
    use malplan::command::View;
    use malplan::merge::{ConflictPlace, conflict_place};
    // Askersund's budget: mine and the colleague's version give one row different amounts.
    let base = storage::load(&sample("askersund-ks-2025.ron")).unwrap();
    let (table, group, row) = (0, 0, 0);
    let amount = |plan: &mut malplan::model::Plan, kronor: i64| {
        plan.budgets[0].tables[table].groups[group].rows[row].amounts[0] = Some(kronor);
    };
    let (mut mine, mut theirs) = (base.clone(), base.clone());
    amount(&mut mine, 1_000_000);
    amount(&mut theirs, 2_000_000);
    let merged = malplan::merge::merge(&base, &mine, &theirs).unwrap().plan;
    assert_eq!(merged.conflicts.len(), 1, "{:?}", merged.conflicts);
    assert_eq!(conflict_place(&merged.conflicts[0]), ConflictPlace::Budget(base.budgets[0].id));

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("askersund.ron");
    storage::save(&merged, &file).unwrap();
    let mut h = harness(MalplanApp::start(Some(file), Settings::default()));
    settle(&mut h);
    assert!(matches!(h.state().dialog(), Some(Dialog::MergeConflicts { .. })), "listed at open: {:?}", h.state().dialog());
    // The dialog's button (the menu and the view bar have a "Redigera" too).
    h.query_all_by_label("Redigera").last().expect("the dialog's button").click();
    h.run_steps(3);
    assert_eq!(h.state().view, View::Budget, "the budget is shown, not just the dialog closed");
    assert_eq!(h.state().panels.budget.board.as_deref(), Some(base.budgets[0].board.as_str()));
    assert_eq!(h.state().plan().conflicts.len(), 1, "the conflict stays until chosen");

    // An economic follow-up's figure: the economy view, in that follow-up's period.
    let base = storage::load(&sample("eskilstuna-ks-delar2-2022.ron")).unwrap();
    let follow_up = &base.economy[0];
    let (mut mine, mut theirs) = (base.clone(), base.clone());
    mine.economy[0].through_month = 9;
    theirs.economy[0].through_month = 10;
    let merged = malplan::merge::merge(&base, &mine, &theirs).unwrap().plan;
    assert_eq!(merged.conflicts.len(), 1, "{:?}", merged.conflicts);
    assert_eq!(conflict_place(&merged.conflicts[0]), ConflictPlace::Economy(follow_up.id));
    let file = dir.path().join("ks.ron");
    storage::save(&merged, &file).unwrap();
    let mut h = harness(MalplanApp::start(Some(file), Settings::default()));
    settle(&mut h);
    // The dialog's button (the menu and the view bar have a "Redigera" too).
    h.query_all_by_label("Redigera").last().expect("the dialog's button").click();
    h.run_steps(3);
    assert_eq!(h.state().view, View::Economy);
    assert_eq!(h.state().panels.economy.board.as_deref(), Some(follow_up.board.as_str()));
    assert_eq!(h.state().period, malplan::followup::Selection::Period(follow_up.period));
}
