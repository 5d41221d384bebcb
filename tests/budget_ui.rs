//! The *Budget* view in the real app (egui_kittest): editing amounts the Swedish way, sums and
//! the frame check following each edit, rows and plan years added, every change one undo step.

use egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use malplan::app::{MalplanApp, Settings};
use malplan::budget::Budget;

mod common;
use common::{harness, sample_path};

/// Askersund's KS plan (with seed 003's budget) in a temp dir, the Budget view shown (Ctrl+4).
fn budget_view() -> (tempfile::TempDir, Harness<'static, MalplanApp>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("askersund.ron");
    std::fs::copy(sample_path("askersund-ks-2025.ron"), &path).unwrap();
    let mut h = harness(MalplanApp::start(Some(path), Settings::default()));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num4);
    h.run_steps(3);
    (dir, h)
}

fn budget<'a>(h: &'a Harness<'static, MalplanApp>) -> &'a Budget {
    &h.state().plan().budgets[0]
}

fn amount(h: &Harness<'static, MalplanApp>, label: &str, column: usize) -> Option<i64> {
    let b = budget(h);
    b.tables.iter().flat_map(|t| t.rows()).find(|r| r.label() == label).unwrap_or_else(|| panic!("{label}")).amount(column)
}

fn type_into_cell(h: &mut Harness<'static, MalplanApp>, cell: &str, text: &str) {
    h.get_by_label(cell).click();
    h.run_steps(3);
    h.event(Event::Text(text.to_owned()));
    h.run_steps(1);
    h.key_press(Key::Enter);
    h.run_steps(3);
}

const BUDGET_2025: usize = 2;

#[test]
fn the_budget_view_shows_the_frame_check_and_the_seeds_disagreements() {
    let (_dir, h) = budget_view();
    h.get_by_label("Ram 115\u{202f}021 tkr, effektiviseringskrav 1\u{202f}907 tkr (1,7 %)");
    h.get_by_label("Nettokostnad 116\u{202f}011 tkr, ram 115\u{202f}021 tkr: 990 tkr över ramen");
    h.get_by_label_contains("6 angivna summor stämmer inte med raderna");
    // The first table's lines are drawn (only visible rows are, the table is long).
    h.get_by_label("10 Nämnder/Styrelser, Budget 2025");
    h.get_by_label("Intäkter, Bokslut 2023");
}

#[test]
fn typing_an_amount_updates_sums_and_frame_check_and_undo_restores_it() {
    let (_dir, mut h) = budget_view();
    assert_eq!(amount(&h, "10 Nämnder/Styrelser", BUDGET_2025), Some(-3_195_000));
    let computed_before = h.state().panels.budget.computations;

    type_into_cell(&mut h, "10 Nämnder/Styrelser, Budget 2025", "\u{2212}3 205");
    assert_eq!(amount(&h, "10 Nämnder/Styrelser", BUDGET_2025), Some(-3_205_000), "exact, in whole kronor");
    assert!(h.state().doc.is_dirty());
    // The frame check follows: 10 tkr more net cost.
    h.get_by_label("Nettokostnad 116\u{202f}021 tkr, ram 115\u{202f}021 tkr: 1\u{202f}000 tkr över ramen");
    // Figures are computed once per edit, not per frame.
    let computed_after_edit = h.state().panels.budget.computations;
    assert!(computed_after_edit - computed_before <= 2, "{computed_before} → {computed_after_edit}");
    h.run_steps(10);
    assert_eq!(h.state().panels.budget.computations, computed_after_edit, "no recomputation without an edit");

    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(3);
    assert_eq!(amount(&h, "10 Nämnder/Styrelser", BUDGET_2025), Some(-3_195_000));
    assert!(!h.state().doc.is_dirty());
    h.get_by_label("Nettokostnad 116\u{202f}011 tkr, ram 115\u{202f}021 tkr: 990 tkr över ramen");
}

#[test]
fn typing_abc_is_refused_with_the_reason_and_changes_nothing() {
    let (_dir, mut h) = budget_view();
    let before = h.state().plan().clone();
    type_into_cell(&mut h, "12 Revision, Budget 2025", "abc");
    assert_eq!(h.state().plan(), &before);
    h.get_by_label_contains("\"abc\" är inget tal");
    h.key_press(Key::Escape);
    h.run_steps(2);
    type_into_cell(&mut h, "12 Revision, Budget 2025", "1,2345");
    assert_eq!(h.state().plan(), &before);
    h.get_by_label_contains("är inte hela kronor");
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert!(h.state().panels.budget.editing.is_none());
    assert_eq!(h.state().plan(), &before);
}

#[test]
fn rows_and_plan_years_are_added_removed_and_undone_one_step_each() {
    let (_dir, mut h) = budget_view();
    let original = budget(&h).clone();
    let rows = |h: &Harness<'static, MalplanApp>| budget(h).tables[0].rows().count();

    // Select a row by clicking its name, then add a row below it.
    h.get_by_label("Kostnader").click();
    h.run_steps(2);
    h.get_by_label("Ny rad").click();
    h.run_steps(3);
    assert_eq!(rows(&h), 3);
    assert_eq!(budget(&h).tables[0].groups[0].rows[2].name, "Ny rad");
    type_into_cell(&mut h, "Ny rad, Budget 2025", "500");
    assert_eq!(amount(&h, "Ny rad", BUDGET_2025), Some(500_000));

    // Move it up, then remove it.
    h.get_by_label("Flytta upp").click();
    h.run_steps(3);
    assert_eq!(budget(&h).tables[0].groups[0].rows[1].name, "Ny rad");
    h.get_by_label("Ta bort rad").click();
    h.run_steps(3);
    assert_eq!(rows(&h), 2);

    // A plan year: a seventh column, empty.
    h.get_by_label("Lägg till planår 2029").click();
    h.run_steps(3);
    assert_eq!(budget(&h).columns.len(), 7);
    h.get_by_label("Intäkter, Plan 2029");

    // Each of the five changes is one undo step.
    for _ in 0..5 {
        h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
        h.run_steps(2);
    }
    assert_eq!(budget(&h), &original);
    assert!(!h.state().doc.is_dirty());
}

#[test]
fn a_board_without_budget_gets_one_and_saving_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ks.ron");
    std::fs::copy(sample_path("eskilstuna-ks-delar2-2022.ron"), &path).unwrap();
    let mut h = harness(MalplanApp::start(Some(path.clone()), Settings::default()));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num4);
    h.run_steps(3);
    h.get_by_label_contains("Planen har ingen budget än");
    h.get_by_label("Skapa budget").click();
    h.run_steps(3);
    let plan = h.state().plan();
    assert_eq!(plan.budgets.len(), 1);
    let created = &plan.budgets[0];
    assert_eq!(created.tables.len(), 2);
    assert_eq!(created.columns.len(), 6);
    let board = created.board.clone();
    assert!(plan.boards.iter().any(|b| b.code == board), "a board of the register");
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    common::settle(&mut h);
    let saved = malplan::storage::load(&path).unwrap();
    assert_eq!(saved.budgets, h.state().plan().budgets);
}

#[test]
fn costs_can_be_shown_positive_and_in_mnkr_and_typing_follows_the_setting() {
    let (_dir, mut h) = budget_view();
    h.get_by_label("Visning av belopp").click();
    h.run_steps(3);
    h.get_by_label("Kostnader som positiva tal").click();
    h.run_steps(3);
    assert!(h.state().plan().money.costs_positive);
    // The row shows the cost as a positive number; the file keeps it negative.
    assert!(h.query_by_label("10 Nämnder/Styrelser, Budget 2025").is_some());
    type_into_cell(&mut h, "10 Nämnder/Styrelser, Budget 2025", "3 300");
    assert_eq!(amount(&h, "10 Nämnder/Styrelser", BUDGET_2025), Some(-3_300_000), "typed positive, stored as a cost");
    // Two undo steps: the amount, then the setting.
    h.key_press(Key::Escape);
    for _ in 0..2 {
        h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
        h.run_steps(2);
    }
    assert!(!h.state().plan().money.costs_positive);
    assert_eq!(amount(&h, "10 Nämnder/Styrelser", BUDGET_2025), Some(-3_195_000));
}

#[test]
fn the_frame_is_edited_in_place_and_the_check_follows() {
    let (_dir, mut h) = budget_view();
    h.get_by_label("Ram, effektiviseringskrav, samverkan och text").click();
    h.run_steps(3);
    h.get_by_label("Ram (tkr)").click();
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.event(Event::Text("116 500".into()));
    h.run_steps(3);
    assert_eq!(budget(&h).frame.as_ref().unwrap().amount, 116_500_000);
    h.get_by_label("Nettokostnad 116\u{202f}011 tkr, ram 116\u{202f}500 tkr: 489 tkr inom ramen");
    // "abc" is refused with the reason and the frame stays.
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.event(Event::Text("abc".into()));
    h.run_steps(3);
    assert_eq!(budget(&h).frame.as_ref().unwrap().amount, 116_500_000);
    h.get_by_label_contains("\"abc\" är inget tal");
    // The seed's four measures and five joint bodies are there to edit.
    assert_eq!(budget(&h).frame.as_ref().unwrap().measures.len(), 4);
    h.get_by_label("Ny åtgärd");
    h.get_by_label("Ny samverkanspart");
    // Undo takes the typing back in one step.
    h.key_press(Key::Escape);
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(3);
    assert_eq!(budget(&h).frame.as_ref().unwrap().amount, 115_021_000);
}

#[test]
fn a_new_investment_category_is_added_with_a_first_row_and_undone_in_one_step() {
    let (_dir, mut h) = budget_view();
    let original = budget(&h).clone();
    let investments = budget(&h).tables.iter().position(|t| t.title.starts_with("Investeringsbudget")).unwrap();
    // Select a project of the first category, then add a category after it.
    let project = budget(&h).tables[investments].groups[0].rows[0].id;
    h.state_mut().panels.budget.selected_row = Some(project);
    h.run_steps(2);
    h.get_by_label("Ny grupp").click();
    h.run_steps(3);
    let groups = &budget(&h).tables[investments].groups;
    assert_eq!(groups.len(), 5);
    assert_eq!((groups[1].name.as_str(), groups[1].rows.len()), ("Ny grupp", 1));
    // The new row is selected; its group can be named.
    assert_eq!(h.state().panels.budget.selected_row, Some(groups[1].rows[0].id));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(budget(&h), &original);
}

#[test]
fn the_budget_is_exported_from_the_app_and_reads_back_unchanged() {
    let (dir, mut h) = budget_view();
    let out = dir.path().join("budget.xlsx");
    h.state_mut().send(malplan::command::FileCommand::ExportBudgetSheet(Some(out.clone())));
    common::settle(&mut h);
    assert!(h.state().status_line().starts_with("Budgeten exporterad:"), "{}", h.state().status_line());
    let sheet = malplan::exchange::sheet::read_file(&out).unwrap();
    let preview = malplan::exchange::budget_sheet::preview(h.state().plan(), &sheet).unwrap();
    assert!(preview.changes.is_empty() && preview.skipped.is_empty(), "{preview:?}");
    // A plan without budget says so instead of writing an empty sheet.
    let mut plan = h.state().plan().clone();
    plan.budgets.clear();
    let mut other = harness(MalplanApp::new(plan, None, Settings::default()));
    other.state_mut().send(malplan::command::FileCommand::ExportBudgetSheet(Some(dir.path().join("tom.xlsx"))));
    other.run_steps(4);
    assert!(matches!(other.state().dialog(), Some(malplan::app::Dialog::Error { message, .. }) if message.contains("ingen budget")));
    assert!(!dir.path().join("tom.xlsx").exists());
}

#[test]
fn switching_to_english_translates_the_budget_differences_without_an_edit() {
    let (_dir, mut h) = budget_view();
    h.get_by_label_contains("6 angivna summor stämmer inte med raderna");
    h.state_mut().send(malplan::command::ViewCommand::SetLanguage(malplan::i18n::Lang::English));
    h.run_steps(3);
    h.get_by_label_contains("6 stated totals disagree with their rows");
    h.get_by_label("Net cost 116\u{202f}011 kSEK, frame 115\u{202f}021 kSEK: 990 kSEK over the frame");
    // Opened, the list is in English too (it was computed before the switch).
    h.get_by_label_contains("6 stated totals disagree with their rows").click();
    h.run_steps(3);
    h.get_by_label_contains("the document states \u{2212}116\u{202f}013, the rows give \u{2212}116\u{202f}011: difference 2 kSEK");
}
