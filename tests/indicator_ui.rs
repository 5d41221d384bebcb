//! The indicator table and chart, driven headless through the real app.

use std::path::{Path, PathBuf};

use egui::{Event, Key, Modifiers, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use malplan::app::{MalplanApp, Settings};
#[allow(unused_imports)]
use malplan::command::{EditCommand, FileCommand, ViewCommand};
use malplan::model::{ItemId, SeriesKind};
use malplan::outline::NodeRef;

fn harness_for(sample: &str) -> Harness<'static, MalplanApp> {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples").join(sample);
    let app = MalplanApp::start(Some(path), Settings::default());
    let mut harness = Harness::builder()
        .with_size(Vec2::new(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut MalplanApp| app.show(ui), app);
    harness.run_steps(3);
    harness
}

fn select_indicator(harness: &mut Harness<'static, MalplanApp>, name_part: &str) -> ItemId {
    let id = harness
        .state()
        .plan()
        .indicators
        .iter()
        .find(|i| i.name.contains(name_part))
        .unwrap_or_else(|| panic!("{name_part}"))
        .id;
    harness.state_mut().send(ViewCommand::Select(NodeRef::Indicator(id)));
    harness.run_steps(3);
    id
}

fn women_outcome(harness: &Harness<'static, MalplanApp>, id: ItemId, year: i32) -> Option<f64> {
    let plan = harness.state().plan();
    let indicator = plan.indicators.iter().find(|i| i.id == id).unwrap();
    indicator.series.iter().find(|s| s.kind == SeriesKind::Women).unwrap().outcome(year)
}

/// Clicks a cell, types `text` over its content and presses `key`.
fn type_into_cell(harness: &mut Harness<'static, MalplanApp>, cell: &str, text: &str, key: Key) {
    harness.get_by_label(cell).click();
    harness.run_steps(3);
    harness.event(Event::Text(text.to_owned()));
    harness.run_steps(1);
    harness.key_press(key);
    harness.run_steps(3);
}

#[test]
fn typing_14_1_into_a_2020_cell_stores_14_1_and_undo_restores_it() {
    let mut harness = harness_for("eskilstuna-2016-2019.ron");
    let id = select_indicator(&mut harness, "Arbetslöshet andel av nattbefolkningen");
    assert_eq!(women_outcome(&harness, id, 2020), None);

    type_into_cell(&mut harness, "Arbetslöshet kvinnor utfall 2020", "14,1", Key::Enter);
    assert_eq!(women_outcome(&harness, id, 2020), Some(14.1));
    assert!(harness.state().doc.is_dirty());
    assert!(harness.state().panels.values.cell_edit.is_none());

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    assert_eq!(women_outcome(&harness, id, 2020), None);
    assert!(!harness.state().doc.is_dirty());
}

#[test]
fn typing_abc_shows_the_reason_and_leaves_the_plan_unchanged() {
    let mut harness = harness_for("eskilstuna-2016-2019.ron");
    let id = select_indicator(&mut harness, "Arbetslöshet andel av nattbefolkningen");
    let before = harness.state().plan().clone();
    type_into_cell(&mut harness, "Arbetslöshet kvinnor utfall 2020", "abc", Key::Enter);
    assert_eq!(harness.state().plan(), &before);
    let error = harness.state().panels.values.cell_edit.as_ref().and_then(|c| c.error.clone()).expect("error kept in the cell");
    assert!(error.contains("\"abc\" är inget tal"), "{error}");
    harness.get_by_label_contains("\"abc\" är inget tal");

    // Escape cancels the entry; the plan is still unchanged.
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    assert!(harness.state().panels.values.cell_edit.is_none());
    assert_eq!(harness.state().plan(), &before);
    assert_eq!(women_outcome(&harness, id, 2020), None);
}

#[test]
fn editing_a_target_and_a_ratio() {
    let mut harness = harness_for("eskilstuna-ks-delar2-2022.ron");
    let id = select_indicator(&mut harness, "sjukfrånvaro");
    type_into_cell(&mut harness, "Totalt mål 2023", "2,5", Key::Enter);
    let plan = harness.state().plan();
    let total = &plan.indicators.iter().find(|i| i.id == id).unwrap().series[0];
    assert_eq!(total.target(2023), Some(2.5));

    let mut harness = harness_for("eskilstuna-2016-2019.ron");
    let ratio = harness
        .state()
        .plan()
        .indicators
        .iter()
        .find(|i| i.unit == malplan::model::Unit::Ratio && i.series.iter().any(|s| s.baseline == Some((2014, 63.0))))
        .unwrap()
        .clone();
    harness.state_mut().send(ViewCommand::Select(NodeRef::Indicator(ratio.id)));
    harness.run_steps(3);
    let series = ratio.series[0].name.clone();
    type_into_cell(&mut harness, &format!("{series} utfall 2019"), "61/39", Key::Enter);
    let plan = harness.state().plan();
    let stored = plan.indicators.iter().find(|i| i.id == ratio.id).unwrap().series[0].outcome(2019);
    assert_eq!(stored, Some(61.0));
}

#[test]
fn the_chart_shows_for_a_sample_indicator() {
    let mut harness = harness_for("eskilstuna-2016-2019.ron");
    select_indicator(&mut harness, "Arbetslöshet andel av nattbefolkningen");
    // The legend names the baseline line, the target markers and the series.
    harness.get_by_label_contains("Utgångsvärde 2014");
    harness.get_by_label_contains("Mål (Arbetslöshet Totalt)");
    harness.get_by_label_contains("Vald period 2020");
}

#[test]
fn the_whole_plan_indicator_list_sorts_filters_and_opens_an_indicator() {
    let mut harness = harness_for("eskilstuna-2016-2019.ron");
    harness.get_by_label("Alla indikatorer").click();
    harness.run_steps(3);
    assert_eq!(harness.state().view, malplan::command::View::IndicatorList);
    let total = harness.state().plan().indicators.len();
    harness.get_by_label(&format!("{total} indikatorer"));

    harness.state_mut().panels.list.state.filter = "arbetslöshet".into();
    harness.run_steps(3);
    let name = "L1) Arbetslöshet andel av nattbefolkningen 20-64 år";
    harness.get_by_label(name).click();
    harness.run_steps(3);
    assert_eq!(harness.state().view, malplan::command::View::Editor);
    let NodeRef::Indicator(id) = harness.state().selected else { panic!("indicator selected") };
    assert!(harness.state().plan().indicators.iter().any(|i| i.id == id && i.code == "L1"));
}
