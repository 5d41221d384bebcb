//! Closed (fastställda) periods: the record keeps what the period's report shows, later edits
//! change open periods only, reopening asks and is undoable.

use malplan::closing::ClosedPeriod;
use malplan::edit::{Document, Edit, EditError};
use malplan::followup::Selection;
use malplan::model::{Assessment, GoalFollowUp, Plan};

fn ks() -> Plan {
    malplan::examples::default_plan()
}

/// The sick-leave indicator's index and its 2022 outcome.
fn sick_leave(plan: &Plan) -> (usize, f64) {
    let i = plan.indicators.iter().position(|i| i.name.contains("sjukfrånvaro")).unwrap();
    (i, plan.indicators[i].series[0].outcome(2022).unwrap())
}

/// The report's words for a selection (the PDF's text).
fn report_text(plan: &Plan, selection: Selection) -> String {
    let (bytes, _) = malplan::report::report_pdf_bytes_with(plan, selection, None, malplan::report::chart_pdf::ChartMode::None).unwrap();
    pdf_extract::extract_text_from_mem(&bytes).unwrap()
}

#[test]
fn a_closed_periods_report_keeps_its_figures_while_open_reports_follow_edits() {
    let mut doc = Document::new(ks(), None);
    let period = doc.plan().periods[0].id;
    let closed = Selection::Period(period);
    let open = Selection::Year(2022);
    let (index, was) = sick_leave(doc.plan());
    let open_before = report_text(doc.plan(), open);

    doc.apply(Edit::Closing { period, record: Some(ClosedPeriod::new(period, "2022-09-20")) }).unwrap();
    let closed_at_closing = report_text(doc.plan(), closed);
    assert!(closed_at_closing.contains("fastställd 2022-09-20"), "the report says it");

    // A later edit of an outcome.
    let mut indicator = doc.plan().indicators[index].clone();
    malplan::model::set_value(&mut indicator.series[0].outcomes, 2022, Some(was + 5.0));
    doc.apply(Edit::Indicator(indicator)).unwrap();
    assert_eq!(doc.plan().closed_periods[0].values.len(), 1, "the record keeps only what changed");
    assert_eq!(report_text(doc.plan(), closed), closed_at_closing, "the closed period's report is unchanged");
    let open_after = report_text(doc.plan(), open);
    assert_ne!(open_after, open_before, "an open report follows the edit");
    let changes = malplan::closing::changes_since(doc.plan(), period, malplan::i18n::Lang::Swedish);
    assert_eq!(changes.len(), 1);
    assert!(changes[0].contains("utfall 2022"), "{changes:?}");

    // The file keeps the record; check finds it sound.
    let text = malplan::storage::to_ron_string(doc.plan()).unwrap();
    let read = malplan::storage::parse_str(&text, "ks.ron").unwrap();
    assert_eq!(read.closed_periods, doc.plan().closed_periods);
    assert!(malplan::validate::validate(&read).is_empty(), "{:?}", malplan::validate::validate(&read));

    // The period's own follow-up is locked while closed.
    let goal = doc.plan().goals[2].id;
    let refused = doc.apply(Edit::GoalFollowUp { period, goal, value: Some(GoalFollowUp { goal, assessment: Assessment::Achieved, trend: None, comment: String::new() }), at: None });
    assert!(matches!(refused, Err(EditError::Closed(_))), "{refused:?}");

    // Reopening: the report follows the live plan; undo closes it again with its record.
    doc.apply(Edit::Closing { period, record: None }).unwrap();
    assert!(doc.plan().closed_periods.is_empty());
    assert_ne!(report_text(doc.plan(), closed), closed_at_closing);
    assert!(doc.undo());
    assert_eq!(doc.plan().closed_periods[0].values.len(), 1);
    assert_eq!(report_text(doc.plan(), closed), closed_at_closing);
    // Undoing the edit brings the live value back; the record has nothing left to keep.
    assert!(doc.undo());
    assert!(doc.plan().closed_periods[0].values.is_empty());
}

#[test]
fn check_reports_a_broken_record() {
    let mut plan = ks();
    let period = plan.periods[0].id;
    let (index, was) = sick_leave(&plan);
    plan.closed_periods.push(ClosedPeriod {
        removed: Vec::new(),
        added: Vec::new(),
        period,
        date: "20 september".into(),
        values: vec![malplan::closing::RecordedValue {
            indicator: plan.indicators[index].id,
            series: "Okänd serie".into(),
            kind: malplan::closing::ValueKind::Outcome,
            year: 2022,
            value: Some(was),
        }],
    });
    let problems: Vec<String> = malplan::validate::validate(&plan).iter().map(|p| p.to_string()).collect();
    assert!(problems.iter().any(|p| p.contains("är inget datum")), "{problems:?}");
    assert!(problems.iter().any(|p| p.contains("Okänd serie")), "{problems:?}");
}

#[test]
fn indicators_removed_or_added_after_closing_do_not_change_the_closed_report() {
    let mut doc = Document::new(ks(), None);
    let period = doc.plan().periods[0].id;
    let (index, was) = sick_leave(doc.plan());
    let id = doc.plan().indicators[index].id;
    doc.apply(Edit::Closing { period, record: Some(ClosedPeriod::new(period, "2022-09-20")) }).unwrap();
    let closed_report = report_text(doc.plan(), Selection::Period(period));

    // Edited, then removed: the closed report still shows it as it was closed.
    let mut edited = doc.plan().indicators[index].clone();
    malplan::model::set_value(&mut edited.series[0].outcomes, 2022, Some(was + 1.0));
    doc.apply(Edit::Indicator(edited)).unwrap();
    doc.apply(Edit::RemoveIndicator(id)).unwrap();
    assert_eq!(doc.plan().closed_periods[0].removed.len(), 1);
    assert_eq!(doc.plan().closed_periods[0].removed[0].indicator.series[0].outcome(2022), Some(was), "as it stood at closing");
    // A new indicator is not in the closed report.
    let mut added = doc.plan().indicators[0].clone();
    added.id = doc.plan().next_id();
    added.name = "Ny indikator efter fastställandet".into();
    doc.apply(Edit::InsertIndicator { index: 0, indicator: added }).unwrap();
    assert_eq!(report_text(doc.plan(), Selection::Period(period)), closed_report);
    assert!(report_text(doc.plan(), Selection::Year(2022)).contains("Ny indikator efter"));
    assert!(malplan::validate::validate(doc.plan()).is_empty(), "{:?}", malplan::validate::validate(doc.plan()));

    // Undoing all three: back to the closing state with nothing recorded.
    for _ in 0..3 {
        assert!(doc.undo());
    }
    let record = &doc.plan().closed_periods[0];
    assert!(record.values.is_empty() && record.removed.is_empty() && record.added.is_empty(), "{record:?}");
}

#[test]
fn a_merge_that_changes_a_closed_periods_values_keeps_them_in_the_record() {
    let base = ks();
    let period = base.periods[0].id;
    let (index, was) = sick_leave(&base);
    let mut mine = base.clone();
    mine.closed_periods.push(ClosedPeriod::new(period, "2022-09-20"));
    let mut theirs = base.clone();
    malplan::model::set_value(&mut theirs.indicators[index].series[0].outcomes, 2022, Some(was + 2.0));
    let mut merged = malplan::merge::merge(&base, &mine, &theirs).unwrap().plan;
    assert_eq!(merged.indicators[index].series[0].outcome(2022), Some(was + 2.0), "theirs merged in");
    malplan::closing::carry_records(&mine, &mut merged);
    assert_eq!(report_text(&merged, Selection::Period(period)), report_text(&mine, Selection::Period(period)), "the closed report unchanged");
    assert_eq!(merged.closed_periods[0].values[0].value, Some(was));
}

#[test]
fn a_merge_that_removes_or_adds_indicators_leaves_the_closed_report_as_it_was() {
    let base = ks();
    let period = base.periods[0].id;
    let (index, was) = sick_leave(&base);
    let removed_id = base.indicators[index].id;
    let mut mine = base.clone();
    mine.closed_periods.push(ClosedPeriod::new(period, "2022-09-20"));
    // Mine edits the value after closing; a colleague removes the indicator and adds another.
    malplan::model::set_value(&mut mine.indicators[index].series[0].outcomes, 2022, Some(was + 1.0));
    mine.closed_periods[0].values.push(malplan::closing::RecordedValue {
        indicator: removed_id,
        series: mine.indicators[index].series[0].name.clone(),
        kind: malplan::closing::ValueKind::Outcome,
        year: 2022,
        value: Some(was),
    });
    let mut theirs = base.clone();
    theirs.indicators.remove(index);
    let mut added = theirs.indicators[0].clone();
    added.id = theirs.next_id().max(mine.next_id());
    added.name = "Kollegans nya indikator".into();
    theirs.indicators.push(added);
    let closed_before = report_text(&mine, Selection::Period(period));
    assert!(closed_before.contains(&format!("{}", was).replace('.', ",")), "the closed report shows the value as closed");

    let merged = malplan::merge::merge(&base, &mine, &theirs).unwrap();
    let mut merged = merged.plan;
    if !merged.conflicts.is_empty() {
        // Theirs removed what mine changed: keep their removal, as a planner would choose.
        while !merged.conflicts.is_empty() {
            merged = malplan::merge::resolve(&merged, 0, malplan::merge::Choice::Theirs).unwrap();
        }
    }
    assert!(!merged.indicators.iter().any(|i| i.id == removed_id), "the colleague's removal merged in");
    assert!(merged.indicators.iter().any(|i| i.name == "Kollegans nya indikator"));
    malplan::closing::carry_records(&mine, &mut merged);

    let record = &merged.closed_periods[0];
    assert_eq!(record.removed.len(), 1, "{record:?}");
    assert_eq!(record.removed[0].indicator.series[0].outcome(2022), Some(was), "kept as it stood at closing");
    assert_eq!(record.added.len(), 1);
    assert!(record.values.iter().all(|v| v.indicator != removed_id), "its values live in the removed copy now");
    assert_eq!(report_text(&merged, Selection::Period(period)), closed_before, "the closed report unchanged");
    let changes = malplan::closing::changes_since(&merged, period, malplan::i18n::Lang::Swedish);
    assert!(changes.iter().any(|c| c.starts_with("Borttagen efter fastställandet: ") && c.contains("sjukfrånvaro")), "{changes:?}");
    assert!(changes.contains(&"Tillagd efter fastställandet: Kollegans nya indikator".to_owned()), "{changes:?}");
    assert!(report_text(&merged, Selection::Year(2022)).contains("Kollegans nya indikator"), "open reports follow the merge");
    assert!(malplan::validate::validate(&merged).is_empty(), "{:?}", malplan::validate::validate(&merged));
}
