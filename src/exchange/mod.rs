//! Figures in and out: Kolada data files, and the indicator table as Excel (.xlsx) or CSV.
//!
//! Every import first builds an [`ImportPreview`] – each value that would be added or changed
//! (old → new), how many are already equal, and every entry skipped with its reason – without
//! touching the plan. Accepting it turns into one [`Edit`], so the whole import is one undo step
//! and goes through the same path as typing. Pure logic: no egui, no dialogs.

pub mod budget_sheet;
pub mod kolada;
pub mod kolada_online;
pub mod sheet;
pub mod economy_sheet;
pub mod sie;

use std::collections::HashMap;

use crate::edit::Edit;
use crate::followup::number::{NumberError, format_value};
use crate::i18n::Lang;
use crate::model::{Indicator, ItemId, Plan, Series, SeriesKind, set_value};

/// Writes the indicator table to `path` as `.xlsx`, or as CSV when the name ends in `.csv`;
/// atomically, like a plan. The error is a message for the planner.
pub fn write_sheet(plan: &Plan, path: &std::path::Path) -> Result<(), String> {
    let is_csv = path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let bytes = if is_csv {
        sheet::to_csv(plan).into_bytes()
    } else {
        sheet::to_xlsx(plan).map_err(|e| e.to_string())?
    };
    crate::storage::write_atomically(path, &bytes).map_err(|e| e.to_string())
}

/// Which of a series' values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueKind {
    /// *Utgångsvärde*
    Baseline,
    /// *Målvärde*
    Target,
    /// *Utfall*
    Outcome,
}

impl ValueKind {
    pub const ALL: [ValueKind; 3] = [ValueKind::Baseline, ValueKind::Target, ValueKind::Outcome];

    /// The word in the spreadsheet's *Typ* column and in previews.
    pub fn swedish(self) -> &'static str {
        match self {
            ValueKind::Baseline => "Utgångsvärde",
            ValueKind::Target => "Målvärde",
            ValueKind::Outcome => "Utfall",
        }
    }

    /// The word in `lang`: "Utgångsvärde", "Baseline".
    pub fn name_in(self, lang: Lang) -> &'static str {
        match self {
            ValueKind::Baseline => lang.t("Utgångsvärde", "Baseline"),
            ValueKind::Target => lang.t("Målvärde", "Target"),
            ValueKind::Outcome => lang.t("Utfall", "Outcome"),
        }
    }

    pub fn from_swedish(text: &str) -> Option<ValueKind> {
        let text = text.trim();
        ValueKind::ALL.into_iter().find(|k| k.swedish().eq_ignore_ascii_case(text))
    }
}

/// One value the import would add or change.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueChange {
    pub indicator: ItemId,
    pub series: String,
    /// The kind a new series gets; an existing series keeps its own.
    pub series_kind: SeriesKind,
    /// The series does not exist yet and will be added.
    pub new_series: bool,
    pub kind: ValueKind,
    pub year: i32,
    pub old: Option<f64>,
    /// The year of the value replaced when it is another: a series has one baseline, so a
    /// baseline for a new year replaces the old one, and the preview must say so.
    pub old_year: Option<i32>,
    pub new: f64,
}

/// An entry of the source that is not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Where it stood, in Swedish: "rad 7", "N00914 · 0484 · 2023 · K" (`place` in words).
    pub what: String,
    /// Why, in Swedish (`cause` in words).
    pub reason: String,
    pub place: SkipPlace,
    pub cause: SkipReason,
}

impl Skipped {
    /// `what` and `reason` are the Swedish texts of `place` and `cause`.
    pub fn new(place: SkipPlace, cause: SkipReason) -> Skipped {
        Skipped { what: place.text_in(Lang::Swedish), reason: cause.text_in(Lang::Swedish), place, cause }
    }

    /// Where it stood, in `lang`: "rad 7" / "row 7".
    pub fn what_in(&self, lang: Lang) -> String {
        self.place.text_in(lang)
    }

    /// Why it is skipped, in `lang`.
    pub fn reason_in(&self, lang: Lang) -> String {
        self.cause.text_in(lang)
    }
}

/// Where a skipped entry stood in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipPlace {
    /// A spreadsheet row ("rad 7"), or one year's value of it ("rad 7, 2023").
    Row { line: usize, year: Option<i32> },
    /// A Kolada value, "N00914 · 0484 · 2023 · K"; with the file name and page (from 1) when
    /// several files were read: "page1.json (sida 1): N00914 · …".
    Kolada { page: Option<(String, usize)>, value: String },
}

impl SkipPlace {
    pub fn text_in(&self, lang: Lang) -> String {
        match self {
            SkipPlace::Row { line, year: None } => format!("{} {line}", lang.t("rad", "row")),
            SkipPlace::Row { line, year: Some(year) } => format!("{} {line}, {year}", lang.t("rad", "row")),
            SkipPlace::Kolada { page: None, value } => value.clone(),
            SkipPlace::Kolada { page: Some((file, page)), value } => {
                format!("{file} ({} {page}): {value}", lang.t("sida", "page"))
            }
        }
    }
}

/// Why an entry of the source is not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// Kolada: no indicator of the plan has this Kolada id.
    NoIndicatorWithKoladaId { kpi: String },
    /// Kolada: the period is not a year.
    PeriodNotAYear { period: String },
    /// Kolada: the value is null.
    ValueMissing,
    /// Kolada: a gender other than T, K or M.
    UnknownGender { gender: String },
    /// Kolada: a comparison's value for women or men.
    ComparisonTotalsOnly,
    /// Kolada: a municipality that is neither the planner's own (when known) nor a chosen
    /// comparison.
    OtherMunicipality { municipality: String, own: Option<String> },
    /// Sheet: the Id cell holds no id.
    NotAnId { text: String },
    /// Sheet: no indicator has the id.
    NoIndicatorWithId { id: u32 },
    /// Sheet: the id belongs to an indicator of another name (`plan_name`) in the plan.
    OtherIndicatorName { id: u32, plan_name: String, sheet_name: String },
    /// Sheet: the indicator has no series of that name.
    NoSuchSeries { indicator: String, series: String },
    /// Sheet: the Typ cell is none of the three kinds.
    UnknownKind { text: String },
    /// Sheet: a number cell that is NaN or infinite.
    NotFinite,
    /// Sheet: a text cell that is no value for the indicator.
    Number(NumberError),
    /// Sheet or Kolada: a number outside what the indicator's unit allows
    /// ([`crate::followup::number::check_value`], the rule typing and `check` use too);
    /// the error is [`NumberError::OutOfRange`], or `NotANumber` for NaN and infinity.
    OutOfRange(NumberError),
    /// Sheet: a baseline row with values in `count` years.
    SeveralBaselineYears { count: usize },
}

impl SkipReason {
    pub fn text_in(&self, lang: Lang) -> String {
        let sv = lang == Lang::Swedish;
        match self {
            SkipReason::NoIndicatorWithKoladaId { kpi } => {
                if sv {
                    format!("ingen indikator har Kolada-id {kpi}")
                } else {
                    format!("no indicator has Kolada id {kpi}")
                }
            }
            SkipReason::PeriodNotAYear { period } => {
                if sv {
                    format!("perioden \"{period}\" är inget år")
                } else {
                    format!("the period \"{period}\" is not a year")
                }
            }
            SkipReason::ValueMissing => lang.t("värdet saknas (null)", "the value is missing (null)").to_owned(),
            SkipReason::UnknownGender { gender } => {
                if sv {
                    format!("okänt kön \"{gender}\" (T, K eller M)")
                } else {
                    format!("unknown gender \"{gender}\" (T, K or M)")
                }
            }
            SkipReason::ComparisonTotalsOnly => {
                lang.t("jämförelser importeras för totalt (T)", "comparisons are imported for the total (T)").to_owned()
            }
            SkipReason::OtherMunicipality { municipality, own: Some(own) } => {
                if sv {
                    format!("{municipality} är varken er kommun ({own}) eller en vald jämförelse")
                } else {
                    format!("{municipality} is neither your municipality ({own}) nor a chosen comparison")
                }
            }
            SkipReason::OtherMunicipality { municipality, own: None } => {
                if sv {
                    format!("{municipality} är ingen vald jämförelse")
                } else {
                    format!("{municipality} is not a chosen comparison")
                }
            }
            SkipReason::NotAnId { text } => {
                if sv {
                    format!("\"{text}\" i kolumnen Id är inget id")
                } else {
                    format!("\"{text}\" in the Id column is not an id")
                }
            }
            SkipReason::NoIndicatorWithId { id } => {
                if sv { format!("ingen indikator har id {id}") } else { format!("no indicator has id {id}") }
            }
            SkipReason::OtherIndicatorName { id, plan_name, sheet_name } => {
                if sv {
                    format!("id {id} är \"{plan_name}\" i planen, inte \"{sheet_name}\"")
                } else {
                    format!("id {id} is \"{plan_name}\" in the plan, not \"{sheet_name}\"")
                }
            }
            SkipReason::NoSuchSeries { indicator, series } => {
                if sv {
                    format!("\"{indicator}\" har ingen serie \"{series}\"")
                } else {
                    format!("\"{indicator}\" has no series \"{series}\"")
                }
            }
            SkipReason::UnknownKind { text } => {
                // The Typ column's words are the file's own, so they stay Swedish.
                if sv {
                    format!("Typ \"{text}\" ska vara Utgångsvärde, Målvärde eller Utfall")
                } else {
                    format!("Typ \"{text}\" must be Utgångsvärde, Målvärde or Utfall")
                }
            }
            SkipReason::NotFinite => {
                lang.t("värdet är inget ändligt tal", "the value is not a finite number").to_owned()
            }
            SkipReason::Number(error) | SkipReason::OutOfRange(error) => error.message_in(lang),
            SkipReason::SeveralBaselineYears { count } => {
                if sv {
                    format!("ett utgångsvärde har ett år, raden har {count}")
                } else {
                    format!("a baseline has one year, the row has {count}")
                }
            }
        }
    }
}

/// What an import would do; nothing has changed yet.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportPreview {
    pub changes: Vec<ValueChange>,
    /// Values in the source that equal what the plan already has.
    pub unchanged: usize,
    pub skipped: Vec<Skipped>,
}

/// Values closer than this (relative) count as equal: a spreadsheet program may round the
/// 17th significant digit when it saves a file again.
const RELATIVE_TOLERANCE: f64 = 1e-12;

pub fn same_value(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= RELATIVE_TOLERANCE * a.abs().max(b.abs())
}

impl ImportPreview {
    pub fn added(&self) -> usize {
        self.changes.iter().filter(|c| c.old.is_none()).count()
    }

    pub fn changed(&self) -> usize {
        self.changes.len() - self.added()
    }

    /// One line for the status bar and the command line (Swedish).
    pub fn summary(&self) -> String {
        self.summary_in(Lang::Swedish)
    }

    /// One line for the status bar: "2 nya värden, 0 ändrade, 1 oförändrade, 1 hoppas över",
    /// "2 new values, 0 changed, 1 unchanged, 1 skipped".
    pub fn summary_in(&self, lang: Lang) -> String {
        let (added, changed, unchanged, skipped) = (self.added(), self.changed(), self.unchanged, self.skipped.len());
        match lang {
            Lang::Swedish => {
                format!("{added} nya värden, {changed} ändrade, {unchanged} oförändrade, {skipped} hoppas över")
            }
            Lang::English => {
                let values = if added == 1 { "value" } else { "values" };
                format!("{added} new {values}, {changed} changed, {unchanged} unchanged, {skipped} skipped")
            }
        }
    }

    /// The import as one edit (each touched indicator replaced once), or `None` when it
    /// would change nothing.
    pub fn to_edit(&self, plan: &Plan) -> Option<Edit> {
        let by_id: HashMap<ItemId, &Indicator> = plan.indicators.iter().map(|i| (i.id, i)).collect();
        let mut order: Vec<ItemId> = Vec::new();
        let mut edited: HashMap<ItemId, Indicator> = HashMap::new();
        for change in &self.changes {
            let Some(indicator) = edited.get_mut(&change.indicator) else {
                let Some(original) = by_id.get(&change.indicator) else {
                    continue;
                };
                order.push(change.indicator);
                edited.insert(change.indicator, (*original).clone());
                let indicator = edited.get_mut(&change.indicator).expect("just inserted");
                apply_change(indicator, change);
                continue;
            };
            apply_change(indicator, change);
        }
        if order.is_empty() {
            return None;
        }
        let edits = order
            .into_iter()
            .filter_map(|id| edited.remove(&id))
            .map(Edit::Indicator)
            .collect();
        Some(Edit::Batch(edits))
    }

    /// The preview as table rows (indicator, series, "utfall 2023", before, after), one per
    /// change; the plan is indexed once, so thousands of changes stay quick.
    pub fn rows(&self, plan: &Plan) -> Vec<[String; 5]> {
        self.rows_in(plan, Lang::Swedish)
    }

    /// [`ImportPreview::rows`] in `lang`: "outcome 2023", "Riket (new series)".
    pub fn rows_in(&self, plan: &Plan, lang: Lang) -> Vec<[String; 5]> {
        let by_id: HashMap<ItemId, &Indicator> = plan.indicators.iter().map(|i| (i.id, i)).collect();
        self.changes.iter().map(|c| change_columns(by_id.get(&c.indicator).copied(), c, lang)).collect()
    }

    /// Every change as one line (see [`ImportPreview::describe`]).
    pub fn describe_all(&self, plan: &Plan) -> Vec<String> {
        self.describe_all_in(plan, Lang::Swedish)
    }

    /// [`ImportPreview::describe_all`] in `lang`.
    pub fn describe_all_in(&self, plan: &Plan, lang: Lang) -> Vec<String> {
        let by_id: HashMap<ItemId, &Indicator> = plan.indicators.iter().map(|i| (i.id, i)).collect();
        self.changes.iter().map(|c| describe_with(by_id.get(&c.indicator).copied(), c, lang)).collect()
    }

    /// "Andel arbetslösa · Totalt · utfall 2023: 13,8 % → 14,1 %" – for lists and the CLI.
    pub fn describe(&self, plan: &Plan, change: &ValueChange) -> String {
        self.describe_in(plan, change, Lang::Swedish)
    }

    /// [`ImportPreview::describe`] in `lang`: "… · outcome 2023: 13,8 % → 14,1 %".
    pub fn describe_in(&self, plan: &Plan, change: &ValueChange, lang: Lang) -> String {
        describe_with(plan.indicators.iter().find(|i| i.id == change.indicator), change, lang)
    }
}

fn describe_with(indicator: Option<&Indicator>, change: &ValueChange, lang: Lang) -> String {
    let [_, series, what, old, new] = change_columns(indicator, change, lang);
    format!("{} · {series} · {what}: {old} → {new}", indicator.map_or("?", |i| i.name.as_str()))
}

/// Indicator ("L1) Arbetslöshet …"), series ("Riket (ny serie)"), "utfall 2023", old, new.
fn change_columns(indicator: Option<&Indicator>, change: &ValueChange, lang: Lang) -> [String; 5] {
    let show = |value: f64| match indicator {
        Some(i) => format_value(value, &i.unit, i.decimals),
        None => value.to_string(),
    };
    let name = indicator.map_or_else(
        || "?".to_owned(),
        |i| if i.code.is_empty() { i.name.clone() } else { format!("{}) {}", i.code, i.name) },
    );
    let series = if change.new_series {
        format!("{} ({})", change.series, lang.t("ny serie", "new series"))
    } else {
        change.series.clone()
    };
    [
        name,
        series,
        format!("{} {}", change.kind.name_in(lang).to_lowercase(), change.year),
        match (change.old, change.old_year) {
            (Some(old), Some(year)) => format!("{} ({year})", show(old)),
            (Some(old), None) => show(old),
            (None, _) => "–".to_owned(),
        },
        show(change.new),
    ]
}

fn apply_change(indicator: &mut Indicator, change: &ValueChange) {
    let position = indicator.series.iter().position(|s| s.name == change.series);
    let series = match position {
        Some(i) => &mut indicator.series[i],
        None => {
            indicator.series.push(Series {
                name: change.series.clone(),
                kind: change.series_kind,
                ..Series::default()
            });
            indicator.series.last_mut().expect("just pushed")
        }
    };
    match change.kind {
        ValueKind::Baseline => series.baseline = Some((change.year, change.new)),
        ValueKind::Target => set_value(&mut series.targets, change.year, Some(change.new)),
        ValueKind::Outcome => set_value(&mut series.outcomes, change.year, Some(change.new)),
    }
}

/// The value a series holds now.
pub fn current_value(series: &Series, kind: ValueKind, year: i32) -> Option<f64> {
    match kind {
        ValueKind::Baseline => series.baseline.filter(|(y, _)| *y == year).map(|(_, v)| v),
        ValueKind::Target => series.target(year),
        ValueKind::Outcome => series.outcome(year),
    }
}

/// Collects proposed values; the same (indicator, series, kind, year) proposed twice keeps
/// the last, as a later page or row overrides an earlier one. A series has one baseline, so
/// two baselines of one series (of any years) are the same value proposed twice.
#[derive(Default)]
pub(crate) struct PreviewBuilder {
    proposals: Vec<ValueChange>,
    /// The year is `None` for a baseline (see above).
    index: HashMap<(ItemId, String, ValueKind, Option<i32>), usize>,
    skipped: Vec<Skipped>,
}

impl PreviewBuilder {
    /// Proposes `value` for a series of `indicator` named `series` (created with `kind` when
    /// missing).
    pub(crate) fn propose(
        &mut self,
        indicator: &Indicator,
        series: &str,
        series_kind: SeriesKind,
        kind: ValueKind,
        year: i32,
        value: f64,
    ) {
        let existing = indicator.series.iter().find(|s| s.name == series);
        // Found by fuzzing: a baseline of another year showed as a new value ("–" before),
        // though accepting it replaced the series' baseline – a value lost without a word.
        let replaced_baseline = existing.and_then(|s| s.baseline).filter(|(y, _)| kind == ValueKind::Baseline && *y != year);
        let change = ValueChange {
            indicator: indicator.id,
            series: series.to_owned(),
            series_kind: existing.map_or(series_kind, |s| s.kind),
            new_series: existing.is_none(),
            kind,
            year,
            old: replaced_baseline.map(|(_, v)| v).or_else(|| existing.and_then(|s| current_value(s, kind, year))),
            old_year: replaced_baseline.map(|(y, _)| y),
            new: value,
        };
        // Found by fuzzing (fuzz/, target `csv`): two rows giving one series baselines of
        // different years were two changes ("2 nya värden"), but the edit keeps one baseline –
        // the preview listed a value the import then did not hold. Keyed without the year,
        // the later baseline replaces the earlier proposal, as any repeated value does.
        let key_year = (kind != ValueKind::Baseline).then_some(year);
        let key = (indicator.id, series.to_owned(), kind, key_year);
        match self.index.get(&key) {
            Some(&at) => self.proposals[at] = change,
            None => {
                self.index.insert(key, self.proposals.len());
                self.proposals.push(change);
            }
        }
    }

    pub(crate) fn skip(&mut self, place: SkipPlace, cause: SkipReason) {
        self.skipped.push(Skipped::new(place, cause));
    }

    pub(crate) fn finish(self) -> ImportPreview {
        let mut preview = ImportPreview { skipped: self.skipped, ..ImportPreview::default() };
        for change in self.proposals {
            if change.old_year.is_none() && change.old.is_some_and(|old| same_value(old, change.new)) {
                preview.unchanged += 1;
            } else {
                preview.changes.push(change);
            }
        }
        preview
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preview_turns_into_one_edit_that_adds_series_and_values() {
        let plan = crate::examples::default_plan();
        let sick_leave = plan.indicators.iter().find(|i| i.name.starts_with("Total sjukfrånvaro")).unwrap();
        let mut builder = PreviewBuilder::default();
        builder.propose(sick_leave, "Totalt", SeriesKind::Total, ValueKind::Outcome, 2022, 1.7);
        builder.propose(sick_leave, "Totalt", SeriesKind::Total, ValueKind::Outcome, 2023, 2.0);
        builder.propose(sick_leave, "Riket", SeriesKind::Comparison, ValueKind::Outcome, 2022, 9.9);
        builder.propose(sick_leave, "Riket", SeriesKind::Comparison, ValueKind::Outcome, 2022, 5.0);
        builder.skip(SkipPlace::Row { line: 9, year: None }, SkipReason::NoIndicatorWithId { id: 77 });
        let preview = builder.finish();
        assert_eq!(preview.unchanged, 1);
        assert_eq!(preview.changes.len(), 2, "{preview:?}");
        assert_eq!(preview.changes[1].new, 5.0, "the later proposal wins");
        assert!(preview.changes[1].new_series);
        assert_eq!(preview.summary(), "2 nya värden, 0 ändrade, 1 oförändrade, 1 hoppas över");
        assert!(preview.describe(&plan, &preview.changes[0]).ends_with("utfall 2023: – → 2,0 %"));
        assert_eq!(preview.summary_in(Lang::Swedish), preview.summary());
        assert_eq!(preview.summary_in(Lang::English), "2 new values, 0 changed, 1 unchanged, 1 skipped");
        assert_eq!(preview.skipped[0].what, "rad 9");
        assert_eq!(preview.skipped[0].reason, "ingen indikator har id 77");
        assert_eq!(preview.skipped[0].what_in(Lang::English), "row 9");
        assert_eq!(preview.skipped[0].reason_in(Lang::English), "no indicator has id 77");
        let [_, series, what, ..] = &preview.rows_in(&plan, Lang::English)[1];
        assert_eq!((series.as_str(), what.as_str()), ("Riket (new series)", "outcome 2022"));
        let [_, series, what, ..] = &preview.rows(&plan)[1];
        assert_eq!((series.as_str(), what.as_str()), ("Riket (ny serie)", "utfall 2022"));
        assert!(preview.describe_in(&plan, &preview.changes[0], Lang::English).ends_with("outcome 2023: – → 2,0 %"));

        let mut doc = crate::edit::Document::new(plan.clone(), None);
        doc.apply(preview.to_edit(&plan).unwrap()).unwrap();
        let after = doc.plan().indicators.iter().find(|i| i.id == sick_leave.id).unwrap();
        assert_eq!(after.series[0].outcome(2023), Some(2.0));
        let riket = after.series.iter().find(|s| s.name == "Riket").unwrap();
        assert_eq!((riket.kind, riket.outcome(2022)), (SeriesKind::Comparison, Some(5.0)));
        assert!(doc.undo());
        assert_eq!(doc.plan(), &plan, "one undo step takes the whole import back");
    }

    /// Regression (fuzz target `csv`, tests/fuzz_corpus/csv): two baselines for one series in
    /// one import are one change, the later – as the edit can hold only one.
    #[test]
    fn two_baselines_of_one_series_are_one_change_the_later() {
        let plan = crate::examples::default_plan();
        let indicator = &plan.indicators[0];
        let series = indicator.series[0].name.clone();
        let mut builder = PreviewBuilder::default();
        builder.propose(indicator, &series, SeriesKind::Total, ValueKind::Baseline, 2020, 4.2);
        builder.propose(indicator, &series, SeriesKind::Total, ValueKind::Baseline, 2022, 4.5);
        builder.propose(indicator, &series, SeriesKind::Total, ValueKind::Outcome, 2020, 4.2);
        builder.propose(indicator, &series, SeriesKind::Total, ValueKind::Outcome, 2022, 4.5);
        let preview = builder.finish();
        let baselines: Vec<(i32, f64)> =
            preview.changes.iter().filter(|c| c.kind == ValueKind::Baseline).map(|c| (c.year, c.new)).collect();
        assert_eq!(baselines, [(2022, 4.5)]);
        assert_eq!(preview.changes.len(), 3, "outcomes of two years stay two values");
        let mut doc = crate::edit::Document::new(plan.clone(), None);
        doc.apply(preview.to_edit(&plan).unwrap()).unwrap();
        let after = doc.plan().indicators.iter().find(|i| i.id == indicator.id).unwrap();
        let held = after.series.iter().find(|s| s.name == series).unwrap();
        assert_eq!(held.baseline, Some((2022, 4.5)), "the import holds every value the preview lists");
    }

    /// Regression (fuzzing, issue 14): a baseline for another year replaces the series' own –
    /// the preview shows the value it replaces, with its year, even when the number is equal.
    #[test]
    fn a_baseline_of_another_year_shows_the_baseline_it_replaces() {
        let mut plan = crate::examples::default_plan();
        let indicator = &mut plan.indicators[0];
        indicator.series[0].baseline = Some((2014, 22.2));
        let (indicator, series) = (indicator.clone(), indicator.series[0].name.clone());
        let mut builder = PreviewBuilder::default();
        builder.propose(&indicator, &series, SeriesKind::Total, ValueKind::Baseline, 2016, 22.2);
        let preview = builder.finish();
        assert_eq!(preview.unchanged, 0, "a moved baseline is a change");
        let change = &preview.changes[0];
        assert_eq!((change.old, change.old_year, change.year), (Some(22.2), Some(2014), 2016));
        assert_eq!(preview.changed(), 1, "not a new value");
        let row = &preview.rows_in(&plan, Lang::Swedish)[0];
        assert!(row[3].ends_with("(2014)"), "{row:?}");
    }

    #[test]
    fn values_equal_up_to_a_spreadsheets_rounding_are_unchanged() {
        assert!(same_value(0.1 + 0.2, 0.3));
        assert!(same_value(5_180_000.0, 5_180_000.000_000_001));
        assert!(!same_value(14.1, 14.2));
        assert!(!same_value(0.0, 1e-300));
    }
}

/// What an import file holds, told by its extension and header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFileKind {
    /// Indicator values (the indicator sheet).
    Indicators,
    /// Budget amounts (the budget sheet).
    Budget,
    /// Figures of the economic follow-up (the economy sheet, or an SIE file).
    Economy,
}

/// The preview of importing `path`: an SIE file (.se, .si, .sie) gives outcomes to date for
/// the follow-ups of `period` (all when `None`); a spreadsheet is read as the economy, budget
/// or indicator layout its header has.
pub fn preview_file(
    plan: &Plan,
    path: &std::path::Path,
    period: Option<crate::model::ItemId>,
) -> Result<(Box<dyn budget_sheet::AnyPreview>, ImportFileKind), String> {
    if economy_sheet::is_sie_path(path) {
        let preview = economy_sheet::read_sie_preview(plan, path, period)?;
        return Ok((Box::new(preview), ImportFileKind::Economy));
    }
    let sheet = sheet::read_file(path).map_err(|e| e.to_string())?;
    if economy_sheet::is_economy_sheet(&sheet) {
        let preview = economy_sheet::preview(plan, &sheet).map_err(|e| e.to_string())?;
        return Ok((Box::new(preview), ImportFileKind::Economy));
    }
    let (preview, budget) = budget_sheet::preview_any(plan, &sheet).map_err(|e| e.to_string())?;
    Ok((preview, if budget { ImportFileKind::Budget } else { ImportFileKind::Indicators }))
}
