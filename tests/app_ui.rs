//! Headless UI tests of the real app (egui_kittest): select, edit, undo/redo, add and delete,
//! save and reload, the unsaved-changes question and a broken file.

use std::path::Path;

use egui::{Key, Modifiers, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use malplan::app::{Dialog, MalplanApp, Settings};
#[allow(unused_imports)]
use malplan::command::{Answer, EditCommand, FileCommand, ViewCommand};
use malplan::model::GoalLevel;
use malplan::outline::NodeRef;
use malplan::storage;

mod common;
use common::{goal_id, ks_report, sample_path};

fn select_ekonomi(harness: &mut Harness<'static, MalplanApp>) -> malplan::model::ItemId {
    let id = goal_id(harness.state().plan(), "Ekonomi");
    harness.get_by_label("Ekonomi").click();
    harness.run_steps(3);
    assert_eq!(harness.state().selected, NodeRef::Goal(id));
    id
}

#[test]
fn select_a_goal_edit_its_title_undo_and_redo() {
    let (_dir, _path, mut harness) = ks_report();
    let id = select_ekonomi(&mut harness);
    assert!(!harness.state().doc.is_dirty());

    // Type at the end of the title, in three keystrokes over three frames.
    harness.get_by_label("Titel").click();
    harness.run_steps(2);
    harness.key_press(Key::End);
    harness.run_steps(1);
    for text in [" ", "2", "2"] {
        harness.get_by_label("Titel").type_text(text);
        harness.run_steps(1);
    }
    harness.run_steps(2);
    let title = |h: &Harness<'static, MalplanApp>| h.state().plan().goal(id).unwrap().title.clone();
    assert_eq!(title(&harness), "Ekonomi 22");
    assert!(harness.state().doc.is_dirty());
    assert!(harness.state().window_title().ends_with(" *"));

    // One undo step for the whole typing.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    assert_eq!(title(&harness), "Ekonomi");
    assert!(!harness.state().doc.is_dirty(), "undone back to the saved state");

    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.run_steps(2);
    assert_eq!(title(&harness), "Ekonomi 22");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    harness.run_steps(2);
    assert_eq!(title(&harness), "Ekonomi 22");
}

#[test]
fn add_and_delete_a_commitment_with_confirmation() {
    let (_dir, _path, mut harness) = ks_report();
    let goal = select_ekonomi(&mut harness);
    let before = harness.state().plan().commitments.len();

    harness.get_by_label("Nytt åtagande").click();
    harness.run_steps(3);
    let plan = harness.state().plan();
    assert_eq!(plan.commitments.len(), before + 1);
    let added = plan.commitments.iter().find(|c| c.text == "Nytt åtagande").unwrap();
    assert_eq!(added.goal, goal);
    assert_eq!(harness.state().selected, NodeRef::Commitment(added.id));

    // Delete asks first and names what goes.
    harness.get_by_label("Ta bort…").click();
    harness.run_steps(3);
    assert!(matches!(harness.state().dialog(), Some(Dialog::ConfirmDelete { .. })));
    harness.get_by_label_contains("Ta bort \"Nytt åtagande\"");
    harness.get_by_label("Ta bort").click();
    harness.run_steps(3);
    assert_eq!(harness.state().plan().commitments.len(), before);
    assert!(harness.state().dialog().is_none());
}

#[test]
fn deleting_a_goal_takes_its_subtree_and_undo_restores_it_exactly() {
    let (_dir, _path, mut harness) = ks_report();
    let original = harness.state().plan().clone();
    let medarbetare = goal_id(&original, "Medarbetare");
    harness.state_mut().send(ViewCommand::Select(NodeRef::Goal(medarbetare)));
    harness.run_steps(2);
    harness.key_press(Key::Delete);
    harness.run_steps(3);
    let Some(Dialog::ConfirmDelete { question: summary, .. }) = harness.state().dialog().cloned() else {
        panic!("delete asks first");
    };
    assert!(summary.contains("indikatorer"), "{summary}");
    harness.get_by_label("Ta bort").click();
    harness.run_steps(3);
    let plan = harness.state().plan();
    assert!(plan.goal(medarbetare).is_none());
    assert!(plan.indicators.iter().all(|i| plan.goal(i.goal).is_some()), "no orphan indicators");
    assert!(malplan::validate::validate(plan).is_empty());

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    assert_eq!(harness.state().plan(), &original);
}

#[test]
fn save_to_a_file_and_load_it_back_equal() {
    let (dir, _path, mut harness) = ks_report();
    select_ekonomi(&mut harness);
    harness.get_by_label("Ny indikator").click();
    harness.run_steps(3);
    let target = dir.path().join("saved.ron");
    harness.state_mut().send(FileCommand::SaveAs(Some(target.clone())));
    harness.run_steps(2);
    assert!(!harness.state().doc.is_dirty());
    assert_eq!(harness.state().doc.path.as_deref(), Some(target.as_path()));
    let loaded = storage::load(&target).unwrap();
    assert_eq!(&loaded, harness.state().plan());
    assert_eq!(harness.state().settings.recent.first(), Some(&target));
}

#[test]
fn unsaved_changes_question_cancel_dont_save_and_save() {
    let (dir, path, mut harness) = ks_report();
    let other = sample_path("askersund-ks-2025.ron");
    let make_edit = |h: &mut Harness<'static, MalplanApp>| {
        let mut goal = h.state().plan().goals[0].clone();
        goal.title.push('!');
        h.state_mut().send(EditCommand::Apply { edit: malplan::edit::Edit::Goal(goal), merge: None });
        h.run_steps(2);
        assert!(h.state().doc.is_dirty());
    };

    // Avbryt: nothing happens.
    make_edit(&mut harness);
    let edited = harness.state().plan().clone();
    harness.state_mut().send(FileCommand::Open(Some(other.clone())));
    harness.run_steps(3);
    harness.get_by_label("Spara ändringarna?");
    harness.get_by_label("Avbryt").click();
    harness.run_steps(3);
    assert_eq!(harness.state().plan(), &edited);
    assert!(harness.state().doc.is_dirty());
    assert!(harness.state().dialog().is_none());

    // Spara inte: the other plan opens, the file on disk is untouched.
    let on_disk = std::fs::read(&path).unwrap();
    harness.state_mut().send(FileCommand::Open(Some(other.clone())));
    harness.run_steps(3);
    harness.get_by_label("Spara inte").click();
    harness.run_steps(3);
    assert_eq!(harness.state().plan().meta.organisation, "Askersunds kommun");
    assert_eq!(std::fs::read(&path).unwrap(), on_disk);

    // Spara: the change is written, then the next file opens.
    let copy = dir.path().join("askersund.ron");
    std::fs::copy(&other, &copy).unwrap();
    harness.state_mut().send(FileCommand::Open(Some(copy.clone())));
    harness.run_steps(3);
    make_edit(&mut harness);
    let edited = harness.state().plan().clone();
    harness.state_mut().send(FileCommand::Open(Some(path.clone())));
    harness.run_steps(3);
    harness.get_by_label("Spara").click();
    harness.run_steps(3);
    assert_eq!(storage::load(&copy).unwrap(), edited);
    assert_eq!(harness.state().doc.path.as_deref(), Some(path.as_path()));
    assert!(!harness.state().doc.is_dirty());
}

#[test]
fn a_broken_file_shows_its_error_and_keeps_the_current_plan() {
    let (_dir, _path, mut harness) = ks_report();
    let before = harness.state().plan().clone();
    let broken = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/broken-missing-comma.ron");
    harness.state_mut().send(FileCommand::Open(Some(broken.clone())));
    harness.run_steps(3);
    let Some(Dialog::Error { message, .. }) = harness.state().dialog().cloned() else {
        panic!("an error dialog");
    };
    assert!(message.contains(&format!("{}:7:", broken.display())), "{message}");
    harness.get_by_label_contains(":7:");
    assert_eq!(harness.state().plan(), &before);
    harness.get_by_label("OK").click();
    harness.run_steps(3);
    assert!(harness.state().dialog().is_none());
}

#[test]
fn tree_search_and_keyboard_navigation() {
    let (_dir, _path, mut harness) = ks_report();
    harness.state_mut().panels.tree.filter.text = "sjukfrånvaro".into();
    harness.run_steps(3);
    let rows = harness.state().tree_rows();
    assert!(rows.iter().any(|r| matches!(r.node, NodeRef::Indicator(_))));
    assert!(rows.len() < 8, "filtered: {}", rows.len());

    harness.state_mut().panels.tree.filter.text.clear();
    harness.state_mut().send(ViewCommand::Select(NodeRef::Plan));
    harness.run_steps(2);
    harness.key_press(Key::ArrowDown);
    harness.run_steps(2);
    let first_area = harness.state().plan().goals.iter().find(|g| g.level == GoalLevel::Area).unwrap().id;
    assert_eq!(harness.state().selected, NodeRef::Goal(first_area));
}

#[test]
fn new_plan_and_english_interface() {
    let (_dir, _path, mut harness) = ks_report();
    harness.state_mut().settings.lang = malplan::ui::i18n::Lang::English;
    harness.run_steps(3);
    harness.get_by_label("File");
    harness.state_mut().send(FileCommand::New);
    harness.run_steps(3);
    assert!(harness.state().plan().goals.is_empty());
    assert_eq!(harness.state().doc.path, None);
}

#[test]
fn move_up_down_and_drag_to_a_new_parent_are_undoable() {
    let (_dir, _path, mut harness) = ks_report();
    let original = harness.state().plan().clone();
    let ekonomi = goal_id(&original, "Ekonomi");
    let medarbetare = goal_id(&original, "Medarbetare");
    harness.state_mut().send(ViewCommand::Select(NodeRef::Goal(ekonomi)));
    harness.run_steps(2);
    harness.get_by_label("Upp").click();
    harness.run_steps(3);
    let order: Vec<_> = harness.state().plan().goals.iter().map(|g| g.id).collect();
    let pos = |id| order.iter().position(|g| *g == id).unwrap();
    assert!(pos(ekonomi) < pos(medarbetare), "Ekonomi moved above Medarbetare");

    // What a drop onto another goal sends: Ekonomi goes below Medarbetare.
    harness.state_mut().send(EditCommand::MoveTo { node: NodeRef::Goal(ekonomi), new_parent: NodeRef::Goal(medarbetare) });
    harness.run_steps(2);
    assert_eq!(harness.state().plan().goal(ekonomi).unwrap().parent, Some(medarbetare));
    // A goal cannot go below itself.
    harness.state_mut().send(EditCommand::MoveTo { node: NodeRef::Goal(medarbetare), new_parent: NodeRef::Goal(ekonomi) });
    harness.run_steps(2);
    assert_eq!(harness.state().plan().goal(medarbetare).unwrap().parent, original.goal(medarbetare).unwrap().parent);

    harness.state_mut().send(EditCommand::Undo);
    harness.state_mut().send(EditCommand::Undo);
    harness.run_steps(2);
    assert_eq!(harness.state().plan(), &original);
}

#[test]
fn boards_and_periods_are_edited_on_the_plan_page() {
    let (_dir, _path, mut harness) = ks_report();
    harness.state_mut().send(ViewCommand::Select(NodeRef::Plan));
    harness.run_steps(2);
    let boards = harness.state().plan().boards.len();
    let periods = harness.state().plan().periods.len();
    // A tall window, so the register and the periods are on screen without scrolling.
    harness.set_size(Vec2::new(1280.0, 1800.0));
    harness.run_steps(2);
    harness.get_by_label("Ny nämnd").click();
    harness.run_steps(3);
    assert_eq!(harness.state().plan().boards.len(), boards + 1);
    harness.get_by_label("Ny uppföljningsperiod").click();
    harness.run_steps(3);
    assert_eq!(harness.state().plan().periods.len(), periods + 1);
    assert_eq!(harness.state().plan().periods.last().unwrap().name, "Årsredovisning 2022");
    harness.state_mut().send(EditCommand::Undo);
    harness.state_mut().send(EditCommand::Undo);
    harness.run_steps(2);
    assert_eq!(harness.state().plan().boards.len(), boards);
    assert_eq!(harness.state().plan().periods.len(), periods);
}

#[test]
fn select_by_text_opens_the_way_to_an_indicator() {
    let (_dir, _path, mut harness) = ks_report();
    assert!(harness.state_mut().select_by_text("SJUKFRÅNVARO"));
    harness.run_steps(3);
    let NodeRef::Indicator(id) = harness.state().selected else { panic!("an indicator is selected") };
    let rows = harness.state().tree_rows();
    assert!(rows.iter().any(|r| r.node == NodeRef::Indicator(id)), "visible in the tree");
    assert!(!harness.state_mut().select_by_text("finns inte i planen"));
}

#[test]
fn the_problem_list_follows_edits_small_plans_at_once_large_ones_when_typing_pauses() {
    use malplan::edit::Edit;
    // Small plan: checked after every edit.
    let (_dir, _path, mut harness) = ks_report();
    assert!(harness.state().problems().is_empty());
    let mut goal = harness.state().plan().goals[0].clone();
    goal.title.clear();
    harness.state_mut().send(EditCommand::Apply { edit: Edit::Goal(goal), merge: None });
    harness.run_steps(1);
    assert!(harness.state().problems().iter().any(|p| p.message == "titeln är tom"), "{:?}", harness.state().problems());

    // Large plan: checked once typing pauses – not in the frame of the edit, soon after.
    let plan = malplan::generate::generate(malplan::generate::Scale::Large);
    let mut goal = plan.goals[0].clone();
    let app = MalplanApp::new(plan, None, Settings::default());
    let mut harness = Harness::builder()
        .with_size(Vec2::new(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut MalplanApp| app.show(ui), app);
    harness.run_steps(2);
    goal.title.clear();
    harness.state_mut().send(EditCommand::Apply { edit: Edit::Goal(goal), merge: None });
    harness.run_steps(1);
    assert!(!harness.state().problems().iter().any(|p| p.message == "titeln är tom"), "not per keystroke");
    std::thread::sleep(std::time::Duration::from_millis(450));
    // The check runs on a worker; a later frame takes its result in.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    harness.run_steps(1);
    while !harness.state().problems_are_current() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(5));
        harness.run_steps(1);
    }
    assert!(harness.state().problems().iter().any(|p| p.message == "titeln är tom"));
}
