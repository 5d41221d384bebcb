//! The *Ekonomi* view in the real app (egui_kittest): seed 004's economic report shown, a
//! forecast typed into a department's cell, the deviation and the unexplained remainder
//! following it, explanations added and typed, and every change one undo step.

use egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use malplan::app::MalplanApp;
use malplan::economy::EconomicFollowUp;

mod common;
use common::ks_report;

/// The KS report with the Ekonomi view shown (Ctrl+5).
fn economy_view() -> (tempfile::TempDir, Harness<'static, MalplanApp>) {
    let (dir, _path, mut h) = ks_report();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num5);
    h.run_steps(3);
    (dir, h)
}

fn report<'a>(h: &'a Harness<'static, MalplanApp>) -> &'a EconomicFollowUp {
    &h.state().plan().economy[0]
}

/// Scrolls the control into view (the tables scroll above the charts), then clicks it.
fn click(h: &mut Harness<'static, MalplanApp>, label: &str) {
    h.get_by_label(label).scroll_to_me();
    // Until the scroll has come to rest.
    h.run_steps(40);
    if std::env::var_os("DEBUG_BOUNDS").is_some() {
        eprintln!("{label}: {:?}", h.get_by_label(label).accesskit_node().bounding_box());
    }
    h.get_by_label(label).click();
    h.run_steps(1);
}

fn type_into(h: &mut Harness<'static, MalplanApp>, label: &str, text: &str) {
    click(h, label);
    h.run_steps(3);
    h.event(Event::Text(text.to_owned()));
    h.run_steps(1);
    h.key_press(Key::Enter);
    h.run_steps(3);
}

const HEADLINE: &str = "Resultat t.o.m. augusti +30,2 mnkr · årsprognos +15,6 mnkr mot budget 0,0: avvikelse +15,6 mnkr";

#[test]
fn the_view_shows_the_seeds_tables_headline_and_explanations() {
    let (_dir, h) = economy_view();
    h.get_by_label(HEADLINE);
    // The three tables, each in its own unit; the statement's rounding is footnoted, not an error.
    h.get_by_label("Resultaträkning");
    h.get_by_label("Driftredovisning");
    h.get_by_label("Investeringsredovisning");
    h.get_by_label("Personalkostnader, Årsprognos aug");
    h.get_by_label("HR, Prognos maj");
    h.get_by_label_contains("avrundningsdifferenser i källan");
    assert!(h.query_by_label_contains("stämmer inte med raderna").is_none(), "the seed has no real disagreement");
    h.get_by_label("Förklarat +15,6 mnkr av avvikelsen +15,6 mnkr · oförklarat 0,0 mnkr");
}

#[test]
fn typing_a_forecast_moves_the_deviation_and_the_unexplained_remainder_and_undo_restores_them() {
    let (_dir, mut h) = economy_view();
    let computed_before = h.state().panels.economy.computations;
    // HR's forecast 3 850 → 4 850 tkr: one more mnkr in the board's favour, not yet explained.
    type_into(&mut h, "HR, Årsprognos aug", "4 850");
    let hr = report(&h).tables[1].rows().find(|r| r.name == "HR").unwrap().clone();
    assert_eq!(hr.amount(3), Some(4_850_000), "exact, in whole kronor");
    assert!(h.state().doc.is_dirty());
    h.get_by_label("Resultat t.o.m. augusti +30,2 mnkr · årsprognos +16,6 mnkr mot budget 0,0: avvikelse +16,6 mnkr");
    h.get_by_label("Förklarat +15,6 mnkr av avvikelsen +16,6 mnkr · oförklarat +1,0 mnkr");
    let computed_after = h.state().panels.economy.computations;
    assert!(computed_after - computed_before <= 2, "{computed_before} → {computed_after}");
    h.run_steps(10);
    assert_eq!(h.state().panels.economy.computations, computed_after, "not recomputed per frame");

    // An explanation for the new million: added, typed, the remainder back to zero.
    click(&mut h, "+ förklaring");
    h.run_steps(3);
    assert_eq!(report(&h).explanations.len(), 9);
    type_into(&mut h, "Förklaring 9, belopp", "1,0");
    assert_eq!(report(&h).explanations[8].amount, 1_000_000, "typed in the headline's unit, mnkr");
    h.get_by_label("Förklarat +16,6 mnkr av avvikelsen +16,6 mnkr · oförklarat 0,0 mnkr");

    // Three undo steps back to the file as it was.
    for _ in 0..3 {
        h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
        h.run_steps(3);
    }
    assert!(!h.state().doc.is_dirty());
    assert_eq!(report(&h).explanations.len(), 8);
    h.get_by_label(HEADLINE);
    h.get_by_label("Förklarat +15,6 mnkr av avvikelsen +15,6 mnkr · oförklarat 0,0 mnkr");
}

#[test]
fn abc_in_an_amount_is_refused_with_the_reason_and_changes_nothing() {
    let (_dir, mut h) = economy_view();
    let before = report(&h).clone();
    click(&mut h, "Näringsliv, Utfall t.o.m. aug 2022");
    h.run_steps(3);
    assert!(h.state().panels.economy.editing.is_some(), "the cell is being edited");
    h.event(Event::Text("abc".to_owned()));
    h.run_steps(1);
    h.key_press(Key::Enter);
    h.run_steps(3);
    h.get_by_label_contains("Näringsliv, Utfall t.o.m. aug 2022: ");
    assert_eq!(report(&h), &before);
    assert!(!h.state().doc.is_dirty());
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert!(h.query_by_label_contains("Näringsliv, Utfall t.o.m. aug 2022: ").is_none());
}

#[test]
fn a_period_without_a_follow_up_offers_to_create_one_from_the_earlier_report() {
    let (_dir, mut h) = economy_view();
    // A second period the same year: Årsredovisning 2022.
    let period = malplan::model::FollowUpPeriod {
        id: malplan::model::ItemId(5000),
        name: "Årsredovisning 2022".into(),
        year: 2022,
        date: None,
        goals: Vec::new(),
        commitments: Vec::new(),
    };
    let index = h.state().plan().periods.len();
    h.state_mut().send(malplan::command::EditCommand::Apply { edit: malplan::edit::Edit::InsertPeriod { index, period }, merge: None });
    h.state_mut().send(malplan::command::ViewCommand::SetPeriod(malplan::followup::Selection::Period(malplan::model::ItemId(5000))));
    h.run_steps(3);
    h.get_by_label_contains("har ingen ekonomisk uppföljning för Årsredovisning 2022");
    h.get_by_label("Skapa ekonomisk uppföljning").click();
    h.run_steps(3);
    let plan = h.state().plan();
    assert_eq!(plan.economy.len(), 2);
    let new = &plan.economy[1];
    assert_eq!(new.period, malplan::model::ItemId(5000));
    assert_eq!(new.previous_forecast_month, Some(8), "Delår 2's forecast is the previous one");
    // The departments' August forecast is now the previous forecast; the outcome is empty.
    let departments = &new.tables[1];
    let previous = departments.column(malplan::economy::Measure::PreviousForecast).unwrap();
    let hr = departments.rows().find(|r| r.name == "HR").unwrap();
    assert_eq!(hr.amount(previous), Some(3_850_000));
    assert_eq!(hr.amount(departments.column(malplan::economy::Measure::OutcomeToDate).unwrap()), None);
    assert!(malplan::validate::validate(plan).is_empty(), "{:?}", malplan::validate::validate(plan));
    h.get_by_label("HR, Prognos aug");
    // One undo removes it again.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(3);
    assert_eq!(h.state().plan().economy.len(), 1);
}

/// The planner sets a row's accounts once in the view, imports the ledger's SIE file, sees the
/// preview, accepts it – the outcome to date is the ledger's – and one Ctrl+Z undoes it.
#[test]
fn accounts_typed_in_the_view_take_outcomes_from_an_sie_file_through_the_preview() {
    let (_dir, mut h) = economy_view();
    // The statement's rows and accounts (collapsed until opened).
    let header = "Rader och konton (för SIE-import)";
    // The first one is the income statement's.
    h.get_all_by_label(header).next().unwrap().click();
    h.run_steps(3);
    click(&mut h, "Kommunersättning, konton");
    h.event(Event::Text("3999-3000".to_owned()));
    h.run_steps(2);
    // Backwards: shown in red with the reason, and `check` names it.
    let problems = malplan::validate::validate(h.state().plan());
    assert!(problems.iter().any(|p| p.message.contains("är baklänges")), "{problems:?}");
    for _ in 0..9 {
        h.key_press(Key::Backspace);
    }
    h.event(Event::Text("3000-3999".to_owned()));
    h.run_steps(2);
    h.key_press(Key::Enter);
    h.run_steps(2);
    assert_eq!(report(&h).tables[0].groups[0].rows[0].accounts, "3000-3999");
    let before = h.state().plan().clone();

    let sie = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sie/ks-2022-aug.se");
    h.state_mut().send(malplan::command::FileCommand::ImportSheet(Some(sie)));
    common::settle(&mut h);
    h.get_by_label_contains("Importera ekonomisk uppföljning");
    assert_eq!(h.state().plan(), &before, "nothing changes before accepting");
    h.get_by_label_contains("Importera 2 belopp").click();
    common::settle(&mut h);
    let row = &report(&h).tables[0].groups[0].rows[0];
    // Through August 2022 from the ledger: +36 076 797 kr; and the same months of 2021.
    assert_eq!(row.amount(1), Some(36_076_797));
    assert!(row.amount(0).is_some_and(|v| v != 266_800_000));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(3);
    assert_eq!(h.state().plan(), &before);
}

/// The goals the economy belongs to carry its result and forecast against budget in the
/// editor and the Lägesbild; the Lägesbild ends with the section Ekonomisk redovisning.
#[test]
fn linked_goals_show_the_forecast_against_budget_in_the_editor_and_the_lagesbild() {
    let (_dir, _path, mut h) = common::ks_report();
    let goal = common::goal_id(h.state().plan(), "Alla avdelningar ska ha en ekonomi i balans.");
    h.state_mut().send(malplan::command::ViewCommand::Reveal(malplan::outline::NodeRef::Goal(goal)));
    h.run_steps(4);
    let note = "Ekonomi (KS): Resultat t.o.m. augusti +30,2 mnkr · årsprognos +15,6 mnkr mot budget 0,0: avvikelse +15,6 mnkr";
    h.get_by_label(note);
    // The link shows the follow-up.
    h.get_by_label("Visa ekonomisk uppföljning").click();
    h.run_steps(3);
    assert_eq!(h.state().view, malplan::command::View::Economy);

    h.key_press_modifiers(Modifiers::COMMAND, Key::Num3);
    h.run_steps(4);
    assert_eq!(h.query_all_by_label(note).count(), 3, "the area Ekonomi and its two board goals");
    h.get_by_label("Ekonomisk redovisning – Kommunstyrelsen (KS)");
    h.get_by_label("  – Löner och kontorsdrift +5,9");
    // In English, the same figures in English words.
    h.state_mut().send(malplan::command::ViewCommand::SetLanguage(malplan::i18n::Lang::English));
    h.run_steps(4);
    assert_eq!(
        h.query_all_by_label("Economy (KS): Result to August +30,2 MSEK · full-year forecast +15,6 MSEK against budget 0,0: deviation +15,6 MSEK").count(),
        3
    );
    h.get_by_label("Financial report – Kommunstyrelsen (KS)");
}

/// The month the outcome runs to and a table's unit are the planner's to set; each is one undo
/// step, and the amounts stay exact whatever unit shows them.
#[test]
fn the_month_and_a_tables_unit_change_what_is_shown_not_the_amounts() {
    let (_dir, mut h) = economy_view();
    let before = h.state().plan().clone();
    h.get_by_label("Utfall t.o.m.").click();
    h.run_steps(2);
    h.get_by_label("september").click();
    h.run_steps(3);
    assert_eq!(report(&h).through_month, 9);
    h.get_by_label_contains("Resultat t.o.m. september +30,2 mnkr");
    h.get_by_label("HR, Utfall t.o.m. sep 2022");
    // The departments in mnkr with one decimal: HR's 4 525 tkr shows as 4,5.
    h.get_all_by_value("tkr, 0 dec.").next().unwrap().click();
    h.run_steps(2);
    h.get_by_label("mnkr, 1 decimaler").click();
    h.run_steps(3);
    assert_eq!(report(&h).tables[1].unit, malplan::budget::money::MoneyUnit::Mnkr);
    // Its total row: 30 210 tkr is now 30,2.
    assert!(h.query_by_label("30\u{202f}210").is_none());
    h.get_by_label("30,2");
    assert_eq!(report(&h).tables[1].groups[0].rows[2].amount(0), Some(4_525_000), "exact, whatever the unit");
    for _ in 0..2 {
        h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
        h.run_steps(3);
    }
    assert_eq!(h.state().plan(), &before);
}
