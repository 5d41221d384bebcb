//! The checks the fuzz targets make, in one place: the targets in `fuzz_targets/` and the
//! corpus replay in `tests/fuzz_corpus.rs` both include this file (`#[path]`), so a corpus
//! file is replayed through exactly what the fuzzer ran.
//!
//! Every importer: any bytes give an error or a preview, never a panic, hang or blow-up. A
//! preview must be honest ("nothing lost"): each change's `old` is what the plan holds, its
//! `new` differs and passes the unit's range rule; accepting it is one edit after which the
//! plan holds every new value and every value it had that no change named, `check` finds
//! nothing new but years far outside the plan's (which imports accept, 1900–2200); one undo
//! gives back exactly the plan, one redo the imported one.
#![allow(dead_code)]

use std::collections::HashSet;
use std::sync::OnceLock;

use malplan::edit::Document;
use malplan::exchange::kolada::{self, KoladaOptions};
use malplan::exchange::{ImportPreview, ValueKind, current_value, same_value, sheet};
use malplan::followup::number::check_value;
use malplan::model::{ItemId, Plan};
use malplan::storage;
use malplan::validate::{Problem, validate};

/// How far an input got; the replay counts these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reached {
    /// The reader refused it (an error, no panic).
    Rejected,
    /// Read, but the preview refused it (no Id column, no years, which municipality?).
    Parsed,
    /// A preview without changes.
    Previewed,
    /// A preview with changes, applied, checked and undone.
    Changed,
}

/// A sample plan and what `check` says about it, parsed once per process.
pub struct Sample {
    pub plan: Plan,
    problems: HashSet<String>,
}

impl Sample {
    fn new(plan: Plan) -> Sample {
        let problems = validate(&plan).iter().map(Problem::to_string).collect();
        Sample { plan, problems }
    }
}

/// `eskilstuna-2016-2019.ron` with the Kolada ids of `tests/exchange.rs`
/// (`plan_with_kolada_ids`): indicator 322 → N00914, 315 → N11102.
pub fn kolada_sample() -> &'static Sample {
    static SAMPLE: OnceLock<Sample> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let text = include_str!("../assets/examples/eskilstuna-2016-2019.ron");
        let mut plan = storage::parse_str(text, "eskilstuna-2016-2019.ron").expect("the sample plan loads");
        for indicator in &mut plan.indicators {
            match indicator.id {
                ItemId(322) => indicator.kolada = Some("N00914".into()),
                ItemId(315) => indicator.kolada = Some("N11102".into()),
                _ => {}
            }
        }
        Sample::new(plan)
    })
}

/// `eskilstuna-ks-delar2-2022.ron`, the plan the spreadsheet seeds were exported from.
pub fn sheet_sample() -> &'static Sample {
    static SAMPLE: OnceLock<Sample> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let text = include_str!("../assets/examples/eskilstuna-ks-delar2-2022.ron");
        Sample::new(storage::parse_str(text, "eskilstuna-ks-delar2-2022.ron").expect("the sample plan loads"))
    })
}

/// A Kolada page: `kolada::parse` → `kolada::preview` → [`check_preview`].
pub fn kolada_json(data: &[u8]) -> Reached {
    let sample = kolada_sample();
    let Ok(file) = kolada::parse(data, "x.json") else { return Reached::Rejected };
    let Ok(preview) = kolada::preview(&sample.plan, &[file], &KoladaOptions::default()) else {
        return Reached::Parsed;
    };
    check_preview(sample, &preview)
}

/// A CSV file: `sheet::read_csv` → `sheet::preview` → [`check_preview`].
pub fn csv(data: &[u8]) -> Reached {
    let sample = sheet_sample();
    let Ok(raw) = sheet::read_csv(data, "x.csv") else { return Reached::Rejected };
    let Ok(preview) = sheet::preview(&sample.plan, &raw) else { return Reached::Parsed };
    check_preview(sample, &preview)
}

/// A workbook: `sheet::read_workbook` (which runs the zip-bomb check, `safe_io::check_zip`,
/// before calamine unpacks anything – the same function the app reads bytes with) →
/// `sheet::preview` → [`check_preview`].
pub fn xlsx(data: &[u8]) -> Reached {
    let sample = sheet_sample();
    let Ok(raw) = sheet::read_workbook(data, "x.xlsx") else { return Reached::Rejected };
    let Ok(preview) = sheet::preview(&sample.plan, &raw) else { return Reached::Parsed };
    check_preview(sample, &preview)
}

/// The KS sample with SIE accounts on some rows, as a controller sets them once (whole account
/// classes, a single account, a cost centre).
pub fn sie_sample() -> &'static Sample {
    static SAMPLE: OnceLock<Sample> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let mut plan = sheet_sample().plan.clone();
        let tables = &mut plan.economy[0].tables;
        tables[0].groups[0].rows[0].accounts = "3000-3999".into();
        tables[0].groups[0].rows[1].accounts = "3490".into();
        tables[0].groups[1].rows[0].accounts = "5000-5999".into();
        tables[1].groups[0].rows[0].accounts = "4000-7999 / 1:100".into();
        Sample::new(plan)
    })
}

/// An SIE file: `sie::parse` → `economy_sheet::sie_preview` → [`check_economy_preview`].
pub fn sie(data: &[u8]) -> Reached {
    let sample = sie_sample();
    let Ok(file) = malplan::exchange::sie::parse(data) else { return Reached::Rejected };
    let preview = malplan::exchange::economy_sheet::sie_preview(&sample.plan, &file, None);
    check_economy_preview(sample, &preview)
}

/// An economy preview is honest: each change's `old` is the plan's figure and `new` differs;
/// accepting it sets exactly those figures and nothing else, `check` finds nothing new, and
/// one undo gives the plan back.
pub fn check_economy_preview(sample: &Sample, preview: &malplan::exchange::economy_sheet::EconomyPreview) -> Reached {
    let plan = &sample.plan;
    let figure = |plan: &Plan, change: &malplan::exchange::economy_sheet::EconomyChange| {
        let report = plan.economy.iter().find(|r| r.id == change.report)?;
        let table = report.tables.iter().find(|t| t.id == change.table)?;
        let column = table.column(change.measure)?;
        table.rows().find(|r| r.id == change.row).map(|r| r.amount(column))
    };
    for change in &preview.changes {
        assert_eq!(figure(plan, change), Some(change.old), "{change:?}");
        assert_ne!(change.old, change.new, "{change:?}");
    }
    let Some(edit) = preview.to_edit(plan) else {
        assert!(preview.changes.is_empty(), "changes but no edit");
        return Reached::Previewed;
    };
    let mut doc = Document::new(plan.clone(), None);
    doc.apply(edit).expect("the preview's edit applies");
    for change in &preview.changes {
        assert_eq!(figure(doc.plan(), change), Some(change.new), "{change:?}");
    }
    // Nothing else moved: with the changes put back, the plan is the sample.
    let mut back = doc.plan().clone();
    for change in &preview.changes {
        let report = back.economy.iter_mut().find(|r| r.id == change.report).unwrap();
        let table = report.tables.iter_mut().find(|t| t.id == change.table).unwrap();
        let column = table.column(change.measure).unwrap();
        let row = table.groups.iter_mut().flat_map(|g| g.rows.iter_mut()).find(|r| r.id == change.row).unwrap();
        if row.amounts.len() <= column {
            row.amounts.resize(column + 1, None);
        }
        row.amounts[column] = change.old;
        while row.amounts.last() == Some(&None) {
            row.amounts.pop();
        }
    }
    assert_eq!(&back, plan, "the import changed only what it listed");
    for problem in validate(doc.plan()) {
        let text = problem.to_string();
        // Outcomes from a ledger may well disagree with the source's stated totals: that is
        // what the check is for, and it says so; anything else is new and wrong.
        assert!(sample.problems.contains(&text) || text.contains("raderna ger") || text.contains("ger "), "new problem after import: {text}");
    }
    assert!(doc.undo(), "one undo step");
    assert_eq!(doc.plan(), plan, "undo gives the plan back");
    Reached::Changed
}

/// A plan file: loads or gives an error; a plan that loads validates, computes its follow-up,
/// saves (a plan that loads but cannot be saved is a failure) and loads back to the same text.
/// `true` when it loaded.
pub fn load(data: &[u8], name: &str) -> bool {
    let Ok(plan) = storage::parse_bytes(data, name) else { return false };
    let _ = validate(&plan);
    let _ = malplan::followup::compute(&plan, malplan::followup::Selection::Year(plan.meta.last_year));
    let text = storage::to_ron_string(&plan).unwrap_or_else(|e| panic!("{name}: a plan that loads must save: {e}"));
    let again = storage::parse_str(&text, name).unwrap_or_else(|e| panic!("{name}: a saved plan must load: {e}"));
    // NaN never equals itself; compare the saved text instead.
    let text_again = storage::to_ron_string(&again).unwrap_or_else(|e| panic!("{name}: saves again: {e}"));
    assert_eq!(text_again, text, "{name}: saved, loaded and saved again gives the same text");
    true
}

/// The preview is honest, and accepting it is one edit that adds exactly what it lists and
/// one undo takes back.
pub fn check_preview(sample: &Sample, preview: &ImportPreview) -> Reached {
    let plan = &sample.plan;
    let indicator = |id: ItemId| plan.indicators.iter().find(|i| i.id == id);
    for change in &preview.changes {
        let ind = indicator(change.indicator).unwrap_or_else(|| panic!("a change for a missing indicator: {change:?}"));
        assert!(change.new.is_finite(), "{change:?}");
        check_value(change.new, &ind.unit).unwrap_or_else(|e| panic!("{change:?} passes the unit's rule: {e}"));
        let series = ind.series.iter().find(|s| s.name == change.series);
        assert_eq!(series.is_none(), change.new_series, "{change:?}");
        // A baseline of another year shows the baseline it replaces, with its year.
        let old = series.and_then(|s| current_value(s, change.kind, change.old_year.unwrap_or(change.year)));
        assert_eq!(change.old, old, "the preview shows what the plan holds: {change:?}");
        assert!(change.old_year.is_some() || !old.is_some_and(|o| same_value(o, change.new)), "an equal value is no change: {change:?}");
    }
    let Some(edit) = preview.to_edit(plan) else {
        assert!(preview.changes.is_empty(), "changes give an edit: {preview:?}");
        return Reached::Previewed;
    };
    assert!(!preview.changes.is_empty(), "no changes, no edit");

    let mut doc = Document::new(plan.clone(), None);
    doc.apply(edit).expect("an import's edit applies");
    let after = doc.plan().clone();
    let after_indicator = |id: ItemId| after.indicators.iter().find(|i| i.id == id).expect("no indicator is lost");
    // Every value the preview lists is in the plan.
    for change in &preview.changes {
        let series = after_indicator(change.indicator).series.iter().find(|s| s.name == change.series);
        let now = series.and_then(|s| current_value(s, change.kind, change.year));
        assert_eq!(now, Some(change.new), "the import holds what the preview listed: {change:?}");
    }
    // Nothing lost: every value the plan had and no change named is still there.
    assert_eq!(after.indicators.len(), plan.indicators.len());
    for before in &plan.indicators {
        let now = after_indicator(before.id);
        for series in &before.series {
            let kept = now.series.iter().find(|s| s.name == series.name).expect("no series is lost");
            let values = series
                .baseline
                .iter()
                .map(|&(y, v)| (ValueKind::Baseline, y, v))
                .chain(series.targets.iter().map(|&(y, v)| (ValueKind::Target, y, v)))
                .chain(series.outcomes.iter().map(|&(y, v)| (ValueKind::Outcome, y, v)));
            for (kind, year, value) in values {
                let named = preview.changes.iter().any(|c| {
                    c.indicator == before.id && c.series == series.name && c.kind == kind && c.year == year
                });
                if !named {
                    assert_eq!(
                        current_value(kept, kind, year),
                        Some(value),
                        "{} · {} · {kind:?} {year}: a value no change named is kept",
                        before.name,
                        series.name
                    );
                }
            }
        }
    }
    // `check` finds nothing new, but years far outside the plan's.
    for problem in validate(&after) {
        let text = problem.to_string();
        assert!(
            sample.problems.contains(&text) || text.ends_with("ligger långt utanför planens år"),
            "the import brought a new problem: {text}"
        );
    }
    assert!(doc.undo(), "the import is one undo step");
    assert!(doc.plan() == plan, "one undo gives back the plan");
    assert!(!doc.can_undo(), "the import was one step");
    assert!(doc.redo());
    assert!(doc.plan() == &after, "redo gives the import again");
    Reached::Changed
}
