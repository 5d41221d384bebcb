//! Closing a period in the Lägesbild (egui_kittest): the planner closes Delår 2 2022 with its
//! date, a later edit shows as a change since, reopening asks first and is undone with Ctrl+Z.

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use malplan::command::EditCommand;
use malplan::edit::Edit;

mod common;
use common::ks_report;

#[test]
fn a_period_is_closed_shows_what_changed_since_and_is_reopened_with_a_question() {
    let (_dir, _path, mut h) = ks_report();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num3);
    h.run_steps(3);
    h.get_by_label("Fastställ Delår 2 2022…").click();
    h.run_steps(2);
    h.get_by_label("Fastställ").click();
    h.run_steps(3);
    let closed = &h.state().plan().closed_periods;
    assert_eq!(closed.len(), 1);
    assert_eq!(closed[0].date, malplan::time::today());
    let date = malplan::time::today();
    h.get_by_label(&format!("Delår 2 2022 fastställd {date}"));
    h.get_by_label(&format!("Lägesbild – Delår 2 2022 (fastställd {date})"));

    // A later edit of an outcome shows as a change since closing.
    let index = h.state().plan().indicators.iter().position(|i| i.name.contains("sjukfrånvaro")).unwrap();
    let mut indicator = h.state().plan().indicators[index].clone();
    malplan::model::set_value(&mut indicator.series[0].outcomes, 2022, Some(4.2));
    h.state_mut().send(EditCommand::Apply { edit: Edit::Indicator(indicator), merge: None });
    h.run_steps(3);
    h.get_by_label("Ändrat sedan perioden fastställdes (1)").click();
    h.run_steps(3);
    let name = h.state().plan().indicators[index].name.clone();
    h.get_by_label(&format!("{name}, Totalt, utfall 2022: 1,7 → 4,2"));
    // In English the same change reads in English.
    h.state_mut().send(malplan::command::ViewCommand::SetLanguage(malplan::i18n::Lang::English));
    h.run_steps(3);
    h.get_by_label(&format!("{name}, Totalt, outcome 2022: 1,7 → 4,2"));
    h.state_mut().send(malplan::command::ViewCommand::SetLanguage(malplan::i18n::Lang::Swedish));
    h.run_steps(3);

    // Reopening asks first.
    h.get_by_label("Öppna igen…").click();
    h.run_steps(2);
    assert_eq!(h.state().plan().closed_periods.len(), 1, "not yet");
    h.get_by_label("Öppna igen").click();
    h.run_steps(3);
    assert!(h.state().plan().closed_periods.is_empty());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(3);
    assert_eq!(h.state().plan().closed_periods.len(), 1, "undo closes it again");
    assert_eq!(h.state().plan().closed_periods[0].values.len(), 1, "with its record");
}
