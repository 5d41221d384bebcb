//! The shell, driven as a planner drives it (egui_kittest, headless): the command palette,
//! drag and drop in the tree, the list filter, Spara som… through a (stand-in) file dialog,
//! a panel on its own, and the defects the shell rework fixed.

use std::time::{Duration, Instant};

use egui::{Key, Modifiers, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use malplan::app::effects::ScriptedDesktop;
use malplan::app::{Dialog, MalplanApp, Settings};
use malplan::command::{Command, EditCommand, FileCommand, View, ViewCommand};
use malplan::model::Plan;
use malplan::outline::NodeRef;
use malplan::storage;

mod common;
use common::{goal_id, harness, ks_report, rename_first_goal, sample_path, settle};

#[test]
fn the_palette_finds_and_runs_save_as() {
    let (dir, _path, mut h) = ks_report();
    let target = dir.path().join("kopia.ron");
    h.state_mut().set_desktop(Box::new(ScriptedDesktop::answering([target.clone()])));
    rename_first_goal(&mut h, " (ändrad)");

    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.run_steps(2);
    h.get_by_label("Sök kommando eller post:");
    h.get_by_label("Sök kommando eller post:").focus();
    h.get_by_label("Sök kommando eller post:").type_text("spara som");
    h.run_steps(2);
    // The action is listed with its shortcut; Enter runs the first hit.
    h.get_by_label_contains("Spara som…");
    h.key_press(Key::Enter);
    h.run_steps(3);
    assert!(target.exists(), "saved through the file dialog the palette opened");
    assert_eq!(&storage::load(&target).unwrap(), h.state().plan());
    assert_eq!(h.state().doc.path.as_deref(), Some(target.as_path()));
    assert!(!h.state().doc.is_dirty());
    assert!(h.query_by_label("Sök kommando eller post:").is_none(), "the palette closed");
}

#[test]
fn the_palette_selects_an_indicator_by_part_of_its_name() {
    let (_dir, _path, mut h) = ks_report();
    h.get_by_label_contains("Ctrl+K").click();
    h.run_steps(3);
    h.get_by_label("Sök kommando eller post:").focus();
    h.get_by_label("Sök kommando eller post:").type_text("sjukfrånv");
    h.run_steps(2);
    h.key_press(Key::Enter);
    h.run_steps(3);
    let NodeRef::Indicator(id) = h.state().selected else { panic!("an indicator is selected: {:?}", h.state().selected) };
    assert!(h.state().plan().indicator(id).unwrap().name.to_lowercase().contains("sjukfrånvaro"));
    assert_eq!(h.state().view, View::Editor);
    assert!(h.state().tree_rows().iter().any(|r| r.node == NodeRef::Indicator(id)), "the tree opened the way to it");
}

#[test]
fn dragging_a_goal_onto_another_re_parents_it_and_undo_moves_it_back() {
    let (_dir, _path, mut h) = ks_report();
    let plan = h.state().plan().clone();
    let ekonomi = goal_id(&plan, "Ekonomi");
    let medarbetare = goal_id(&plan, "Medarbetare");
    let before = plan.goal(ekonomi).unwrap().parent;
    assert_ne!(before, Some(medarbetare));

    let from = h.get_by_label("Ekonomi").rect().center();
    let to = h.get_by_label("Medarbetare").rect().center();
    h.hover_at(from);
    h.run_steps(1);
    h.drag_at(from);
    h.run_steps(1);
    for step in 1..=6 {
        h.hover_at(from + (to - from) * (step as f32 / 6.0));
        h.run_steps(1);
    }
    h.drop_at(to);
    h.run_steps(3);
    assert_eq!(h.state().plan().goal(ekonomi).unwrap().parent, Some(medarbetare));

    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().plan().goal(ekonomi).unwrap().parent, before);
}

#[test]
fn typing_in_the_list_filter_narrows_the_indicator_list() {
    let path = sample_path("eskilstuna-2016-2019.ron");
    let mut h = harness(MalplanApp::start(Some(path), Settings::default()));
    h.get_by_label("Alla indikatorer").click();
    h.run_steps(3);
    let all = h.state().plan().indicators.len();
    h.get_by_label_contains(&format!("{all} indikatorer"));
    h.get_by_label("Filter:").click();
    h.run_steps(1);
    h.get_by_label("Filter:").type_text("arbetslöshet");
    h.run_steps(3);
    let shown = h.state().plan().indicators.iter().filter(|i| i.name.to_lowercase().contains("arbetslöshet")).count();
    assert!(shown > 0 && shown < all);
    h.get_by_label_contains(&format!("{shown} indikatorer"));
}

/// A panel drawn alone, with a plan and its own state – no app around it.
#[test]
fn the_tree_panel_works_alone() {
    use malplan::command::ActionState;
    use malplan::followup::Selection;
    use malplan::ui::ctx::{StandaloneDerived, ViewCtx};
    use malplan::ui::tree::TreePanel;

    struct Alone {
        plan: Plan,
        derived: StandaloneDerived,
        tree: TreePanel,
        sent: Vec<Command>,
    }
    let plan = malplan::examples::default_plan();
    let period = Selection::Period(plan.periods[0].id);
    let state = Alone { derived: StandaloneDerived::new(&plan, period), tree: TreePanel::new(&plan), plan, sent: Vec::new() };
    let mut h = Harness::builder().with_size(Vec2::new(420.0, 800.0)).build_ui_state(
        |ui, s: &mut Alone| {
            let mut ctx = ViewCtx::new(
                &s.plan,
                s.derived.view(),
                malplan::i18n::Lang::Swedish,
                NodeRef::Plan,
                period,
                View::Editor,
                ActionState::default(),
                false,
                0,
                "",
                &[],
                &mut s.sent,
            );
            s.tree.ui(&mut ctx, ui);
        },
        state,
    );
    h.run_steps(2);
    h.get_by_label("Ekonomi").click();
    h.run_steps(2);
    let ekonomi = goal_id(&h.state().plan, "Ekonomi");
    assert!(h.state().sent.contains(&ViewCommand::Select(NodeRef::Goal(ekonomi)).into()));
    h.get_by_label("Sök:").click();
    h.get_by_label("Sök:").type_text("ekonomi");
    h.run_steps(2);
    assert_eq!(h.state().tree.filter.text, "ekonomi", "the panel owns its filter");
    // Actions without a selection are disabled in the toolbar.
    h.get_by_label("Ta bort…").click();
    h.run_steps(1);
    assert!(!h.state().sent.contains(&EditCommand::RequestDelete.into()));
}

#[test]
fn saving_before_opening_another_file_still_opens_it_when_the_file_changed_on_disk() {
    let (_dir, path, mut h) = ks_report();
    rename_first_goal(&mut h, " (min)");
    let mut theirs = storage::load(&path).unwrap();
    theirs.meta.title.push_str(" (kollegans)");
    storage::save(&theirs, &path).unwrap();

    h.state_mut().send(FileCommand::Open(Some(sample_path("askersund-ks-2025.ron"))));
    // A modal is laid out unseen in its first frame, shown in the next.
    h.run_steps(3);
    h.get_by_label("Spara ändringarna?");
    h.get_by_label("Spara").click();
    h.run_steps(3);
    assert!(matches!(h.state().dialog(), Some(Dialog::ChangedOnDisk { .. })), "{:?}", h.state().dialog());
    h.get_by_label("Skriv över").click();
    h.run_steps(4);
    // My version is on disk and the Open that asked to save first went ahead.
    assert!(storage::load(&path).unwrap().goals[0].title.ends_with(" (min)"));
    assert_eq!(h.state().plan().meta.organisation, "Askersunds kommun");
}

#[test]
fn a_second_dialog_waits_for_the_first_instead_of_replacing_it() {
    let (dir, _path, mut h) = ks_report();
    let first = dir.path().join("trasig-1.ron");
    let second = dir.path().join("trasig-2.ron");
    std::fs::write(&first, "(format_version: 3,").unwrap();
    std::fs::write(&second, "inte ron").unwrap();
    h.state_mut().send(FileCommand::Open(Some(first)));
    h.state_mut().send(FileCommand::Open(Some(second)));
    h.run_steps(3);
    assert_eq!(h.state().dialogs().count(), 2);
    h.get_by_label_contains("trasig-1.ron");
    h.get_by_label("OK").click();
    h.run_steps(3);
    h.get_by_label_contains("trasig-2.ron");
    h.get_by_label("OK").click();
    h.run_steps(3);
    assert!(h.state().dialog().is_none());
}

#[test]
fn shortcuts_do_nothing_while_a_large_file_is_opening() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("stor.ron");
    storage::save(&malplan::generate::generate(malplan::generate::Scale::Large), &file).unwrap();
    let mut h = harness(MalplanApp::start(None, Settings::default()));
    h.state_mut().send(FileCommand::Open(Some(file.clone())));
    h.run_steps(2);
    assert!(h.state().is_busy());
    // Ctrl+N would replace the plan being opened; Ctrl+S would save the old one over nothing.
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run_steps(1);
    settle(&mut h);
    assert_eq!(h.state().plan().indicators.len(), 2_000, "the opened plan, not a new one");
    assert_eq!(h.state().doc.path.as_deref(), Some(file.as_path()));
}

#[test]
fn printing_opens_the_viewer_and_its_temporary_pdf_is_removed_when_the_app_closes() {
    let print_dir = tempfile::tempdir().unwrap();
    let desktop = ScriptedDesktop::default();
    let opened = desktop.opened.clone();
    let mut app = MalplanApp::start(Some(sample_path("eskilstuna-ks-delar2-2022.ron")), Settings::default());
    app.set_desktop(Box::new(desktop));
    app.set_print_dir(print_dir.path().to_path_buf());
    let mut h = harness(app);
    h.key_press_modifiers(Modifiers::COMMAND, Key::P);
    settle(&mut h);
    let printed = opened.lock().unwrap().clone();
    assert_eq!(printed.len(), 1, "the viewer was asked to open the PDF");
    assert!(printed[0].exists());
    assert!(std::fs::read(&printed[0]).unwrap().starts_with(b"%PDF"));
    drop(h);
    assert!(!printed[0].exists(), "removed when the app closed");
}

#[test]
fn the_english_interface_speaks_english_in_follow_up_and_lists() {
    let (_dir, _path, mut h) = ks_report();
    h.state_mut().send(ViewCommand::SetLanguage(malplan::i18n::Lang::English));
    h.run_steps(2);
    let ekonomi = goal_id(h.state().plan(), "Ekonomi");
    h.state_mut().send(ViewCommand::Reveal(NodeRef::Goal(ekonomi)));
    h.run_steps(3);
    let proposal = format!("{:?}", h.get_by_label_contains("Proposed:"));
    assert!(proposal.contains(" of ") && proposal.contains("achieved"), "{proposal}");
    assert!(!proposal.contains("indikator") && !proposal.contains("uppnå"), "no Swedish roll-up explanation: {proposal}");
    h.get_by_label("All indicators").click();
    h.run_steps(3);
    assert!(h.query_all_by_label("achieved").count() > 0, "status names in English");
    assert_eq!(h.query_all_by_label("uppnått").count(), 0);
}

#[test]
fn the_values_table_and_the_chart_are_seen_together_at_1280_by_800() {
    let mut h = harness(MalplanApp::start(Some(sample_path("eskilstuna-2016-2019.ron")), Settings::default()));
    let unemployment = h.state().plan().indicators.iter().find(|i| i.name.starts_with("Arbetslöshet")).unwrap().id;
    h.state_mut().send(ViewCommand::Reveal(NodeRef::Indicator(unemployment)));
    h.run_steps(4);
    let cell = h.get_by_label("Arbetslöshet Totalt utfall 2020").rect();
    let legend = h.get_by_label_contains("Utgångsvärde").rect();
    let window = egui::Rect::from_min_size(egui::Pos2::ZERO, Vec2::new(1280.0, 800.0));
    assert!(window.contains_rect(cell), "the table cell is on screen: {cell:?}");
    assert!(window.contains_rect(legend), "the chart is on screen: {legend:?}");
    assert!(legend.top() > cell.top(), "the chart sits below the table");
}


#[test]
fn saving_while_another_writer_holds_the_lock_waits_off_the_window_then_saves() {
    let (_dir, path, mut h) = ks_report();
    rename_first_goal(&mut h, " (min)");
    let lock = malplan::plan_lock::lock(&path, Duration::ZERO).unwrap();
    let started = Instant::now();
    h.state_mut().send(FileCommand::Save);
    h.run_steps(1);
    assert!(started.elapsed() < Duration::from_secs(2), "the frame did not wait for the lock");
    assert!(h.state().is_busy(), "the save waits on a worker");
    assert!(h.state().doc.is_dirty());
    drop(lock); // the other writer is done
    settle(&mut h);
    assert!(!h.state().doc.is_dirty());
    assert!(storage::load(&path).unwrap().goals[0].title.ends_with(" (min)"));
}
