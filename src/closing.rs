//! Closed (fastställda) follow-up periods: when a period has been reported, its figures are a
//! record. The period's own follow-up (assessments, comments, commitment statuses) and its
//! economic follow-ups are then locked by the edit path; the indicators' values, which every
//! period shares, are kept compactly – only where a later edit changed them, the value the
//! period was closed with. [`as_closed`] gives the plan as the closed period saw it, which its
//! report prints.
//!
//! No egui and no files here.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::model::{Indicator, ItemId, Plan, YearValue};

/// A closed period's record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClosedPeriod {
    pub period: ItemId,
    /// ISO date of the decision: "2022-09-20".
    pub date: String,
    /// The values as they stood at closing, where they differ from the plan now.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<RecordedValue>,
    /// Indicators removed since closing, as they were and where (the period's report still
    /// shows them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<RemovedIndicator>,
    /// Indicators added since closing (the period's report does not show them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub added: Vec<ItemId>,
}

impl ClosedPeriod {
    /// A period closed on `date` with nothing changed since.
    pub fn new(period: ItemId, date: &str) -> Self {
        Self { period, date: date.to_owned(), values: Vec::new(), removed: Vec::new(), added: Vec::new() }
    }
}

/// An indicator removed after closing: its place in the list when it was removed, and how it
/// stood at closing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemovedIndicator {
    pub index: usize,
    pub indicator: Indicator,
}

/// Which value of a series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ValueKind {
    Outcome,
    Target,
    Baseline,
}

/// One value as it stood at closing (`None`: there was none).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedValue {
    pub indicator: ItemId,
    pub series: String,
    pub kind: ValueKind,
    pub year: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
}

fn values(indicator: &Indicator, series: &str, kind: ValueKind) -> Vec<YearValue> {
    let Some(s) = indicator.series.iter().find(|s| s.name == series) else { return Vec::new() };
    match kind {
        ValueKind::Outcome => s.outcomes.clone(),
        ValueKind::Target => s.targets.clone(),
        ValueKind::Baseline => s.baseline.into_iter().collect(),
    }
}

fn value_at(indicator: &Indicator, series: &str, kind: ValueKind, year: i32) -> Option<f64> {
    values(indicator, series, kind).into_iter().find(|(y, _)| *y == year).map(|(_, v)| v)
}

/// Notes, in every closed period's record, the values an edit of `old` into `new` changes
/// (the first change of a value is what counts), and forgets recorded values the edit brings
/// back. Called by the edit path for every replaced indicator.
pub fn note_change(records: &mut [ClosedPeriod], old: &Indicator, new: &Indicator) {
    if records.is_empty() || old == new {
        return;
    }
    let mut names: Vec<&str> = old.series.iter().map(|s| s.name.as_str()).collect();
    for s in &new.series {
        if !names.contains(&s.name.as_str()) {
            names.push(&s.name);
        }
    }
    for record in records.iter_mut() {
        for series in &names {
            for kind in [ValueKind::Outcome, ValueKind::Target, ValueKind::Baseline] {
                let mut years: Vec<i32> = values(old, series, kind).iter().chain(values(new, series, kind).iter()).map(|(y, _)| *y).collect();
                years.sort_unstable();
                years.dedup();
                for year in years {
                    let before = value_at(old, series, kind, year);
                    if before == value_at(new, series, kind, year) {
                        continue;
                    }
                    let known = record.values.iter().any(|v| v.indicator == old.id && v.series == *series && v.kind == kind && v.year == year);
                    if !known {
                        record.values.push(RecordedValue { indicator: old.id, series: (*series).to_owned(), kind, year, value: before });
                    }
                }
            }
        }
        // What the live plan holds again needs no record.
        record.values.retain(|v| v.indicator != new.id || value_at(new, &v.series, v.kind, v.year) != v.value);
    }
}

/// Notes an indicator added (`true`) or removed after the periods were closed; adding back
/// what was removed (undo) forgets it again, and so does removing what was added.
pub fn note_presence(records: &mut [ClosedPeriod], indicator: &Indicator, added: bool, index: usize) {
    for record in records.iter_mut() {
        if added {
            match record.removed.iter().position(|r| r.indicator.id == indicator.id) {
                // Back again: what differs from how it stood at closing is recorded as values.
                Some(at) => {
                    let as_closed = record.removed.remove(at).indicator;
                    note_change(std::slice::from_mut(record), &as_closed, indicator);
                }
                None if !record.added.contains(&indicator.id) => record.added.push(indicator.id),
                None => {}
            }
        } else {
            let before = record.added.len();
            record.added.retain(|id| *id != indicator.id);
            if record.added.len() == before && !record.removed.iter().any(|r| r.indicator.id == indicator.id) {
                // Its values as they stood at closing, not as edited since.
                let mut as_closed = indicator.clone();
                restore_values(&mut as_closed, &record.values);
                record.values.retain(|v| v.indicator != indicator.id);
                record.removed.push(RemovedIndicator { index, indicator: as_closed });
            }
        }
    }
}

fn restore_values(indicator: &mut Indicator, values: &[RecordedValue]) {
    for value in values.iter().filter(|v| v.indicator == indicator.id) {
        let Some(series) = indicator.series.iter_mut().find(|s| s.name == value.series) else { continue };
        match value.kind {
            ValueKind::Outcome => crate::model::set_value(&mut series.outcomes, value.year, value.value),
            ValueKind::Target => crate::model::set_value(&mut series.targets, value.year, value.value),
            ValueKind::Baseline => series.baseline = value.value.map(|v| (value.year, v)),
        }
    }
}

/// Before a whole new version of the plan replaces `current` (a merge, a merge conflict
/// resolved): the closed periods of `next` keep what `current` had where `next` differs, as
/// the edits would have – values changed, indicators removed (as they stood at closing, and
/// where) and indicators added.
pub fn carry_records(current: &Plan, next: &mut Plan) {
    if next.closed_periods.is_empty() {
        return;
    }
    let next_ids: std::collections::HashSet<ItemId> = next.indicators.iter().map(|i| i.id).collect();
    let current_ids: std::collections::HashSet<ItemId> = current.indicators.iter().map(|i| i.id).collect();
    for old in &current.indicators {
        if let Some(new) = next.indicators.iter().find(|i| i.id == old.id).filter(|new| *new != old).cloned() {
            note_change(&mut next.closed_periods, old, &new);
        }
    }
    // Removed: the last first, so each earlier one's place is still the one it had.
    for (index, old) in current.indicators.iter().enumerate().rev() {
        if !next_ids.contains(&old.id) {
            note_presence(&mut next.closed_periods, old, false, index);
        }
    }
    let added: Vec<Indicator> = next.indicators.iter().filter(|i| !current_ids.contains(&i.id)).cloned().collect();
    for new in &added {
        note_presence(&mut next.closed_periods, new, true, 0);
    }
}

/// The record of a closed period, if it is closed.
pub fn record(plan: &Plan, period: ItemId) -> Option<&ClosedPeriod> {
    plan.closed_periods.iter().find(|c| c.period == period)
}

/// The plan as the closed period saw it: the recorded values put back. `None` when the
/// period is open (the live plan is what it shows).
pub fn as_closed(plan: &Plan, period: ItemId) -> Option<Plan> {
    let record = record(plan, period)?;
    let mut closed = plan.clone();
    // Put back what was removed, each where it was (the last removed first), then leave out
    // what was added since.
    for removed in record.removed.iter().rev() {
        let at = removed.index.min(closed.indicators.len());
        closed.indicators.insert(at, removed.indicator.clone());
    }
    closed.indicators.retain(|i| !record.added.contains(&i.id));
    for indicator in &mut closed.indicators {
        restore_values(indicator, &record.values);
    }
    Some(closed)
}

/// What changed since the period was closed, in planner words: "Sjukfrånvaro, Totalt, utfall
/// 2022: 1,7 → 1,8", "Borttagen efter fastställandet: Sjukfrånvaro …", "Tillagd efter
/// fastställandet: …" (in English with `Lang::English`).
pub fn changes_since(plan: &Plan, period: ItemId, lang: Lang) -> Vec<String> {
    let Some(record) = record(plan, period) else { return Vec::new() };
    let values = record.values.iter().filter_map(|v| {
        let indicator = plan.indicator(v.indicator)?;
        let now = value_at(indicator, &v.series, v.kind, v.year);
        let text = |x: Option<f64>| x.map_or_else(|| "–".to_owned(), |x| crate::followup::number::format_number(x, indicator.decimals));
        let what = match v.kind {
            ValueKind::Outcome => lang.t("utfall", "outcome"),
            ValueKind::Target => lang.t("målvärde", "target"),
            ValueKind::Baseline => lang.t("utgångsvärde", "baseline"),
        };
        Some(format!("{}, {}, {what} {}: {} → {}", indicator.name, v.series, v.year, text(v.value), text(now)))
    });
    let removed = record
        .removed
        .iter()
        .map(|r| format!("{} {}", lang.t("Borttagen efter fastställandet:", "Removed after closing:"), r.indicator.name));
    let added = record
        .added
        .iter()
        .filter_map(|id| plan.indicator(*id))
        .map(|i| format!("{} {}", lang.t("Tillagd efter fastställandet:", "Added after closing:"), i.name));
    values.chain(removed).chain(added).collect()
}

/// Problems with the records, for `check`.
pub fn check(plan: &Plan, push: &mut dyn FnMut(String, String)) {
    let mut seen = std::collections::HashSet::new();
    for record in &plan.closed_periods {
        let name = || match plan.period(record.period) {
            Some(p) => format!("fastställd period \"{}\"", p.name),
            None => format!("fastställd period {}", record.period),
        };
        if plan.period(record.period).is_none() {
            push(name(), "perioden finns inte".into());
        }
        if !seen.insert(record.period) {
            push(name(), "perioden är fastställd två gånger".into());
        }
        if jiff::civil::Date::strptime("%Y-%m-%d", &record.date).is_err() {
            push(name(), format!("datumet \"{}\" är inget datum (ÅÅÅÅ-MM-DD)", record.date));
        }
        for id in &record.added {
            if plan.indicator(*id).is_none() {
                push(name(), format!("indikator {id} markerad som tillagd efter fastställandet finns inte"));
            }
        }
        for removed in &record.removed {
            if plan.indicator(removed.indicator.id).is_some() {
                push(name(), format!("indikator {} är både borttagen och kvar i planen", removed.indicator.id));
            }
        }
        for value in &record.values {
            match plan.indicator(value.indicator) {
                None => push(name(), format!("sparat värde för indikator {} som inte finns", value.indicator)),
                Some(indicator) if !indicator.series.iter().any(|s| s.name == value.series) => {
                    push(name(), format!("sparat värde för serien \"{}\" som {} inte har", value.series, indicator.name))
                }
                Some(indicator) if value_at(indicator, &value.series, value.kind, value.year) == value.value => {
                    push(name(), format!("sparat värde för {} {} {} är detsamma som nu (onödigt)", indicator.name, value.series, value.year))
                }
                Some(_) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_with_closed() -> (Plan, ItemId, usize) {
        let mut plan = crate::examples::default_plan();
        let period = plan.periods[0].id;
        plan.closed_periods.push(ClosedPeriod::new(period, "2022-09-20"));
        let index = plan.indicators.iter().position(|i| i.series.first().is_some_and(|s| s.outcome(2022).is_some())).unwrap();
        (plan, period, index)
    }

    #[test]
    fn a_changed_value_is_recorded_once_and_forgotten_when_it_comes_back() {
        let (mut plan, period, index) = plan_with_closed();
        let old = plan.indicators[index].clone();
        let was = old.series[0].outcome(2022);
        let mut new = old.clone();
        crate::model::set_value(&mut new.series[0].outcomes, 2022, Some(9.9));
        note_change(&mut plan.closed_periods, &old, &new);
        plan.indicators[index] = new.clone();
        assert_eq!(plan.closed_periods[0].values.len(), 1);
        assert_eq!(plan.closed_periods[0].values[0].value, was);
        // A second change keeps the first recorded value.
        let mut newer = new.clone();
        crate::model::set_value(&mut newer.series[0].outcomes, 2022, Some(8.8));
        note_change(&mut plan.closed_periods, &new, &newer);
        plan.indicators[index] = newer.clone();
        assert_eq!(plan.closed_periods[0].values[0].value, was);
        // The closed period still sees the old value; the changes read in planner words.
        let closed = as_closed(&plan, period).unwrap();
        assert_eq!(closed.indicators[index].series[0].outcome(2022), was);
        let changes = changes_since(&plan, period, Lang::Swedish);
        assert_eq!(changes.len(), 1);
        assert!(changes[0].contains(", utfall 2022: ") && changes[0].ends_with("→ 8,8"), "{changes:?}");
        let in_english = changes_since(&plan, period, Lang::English);
        assert!(in_english[0].contains("outcome 2022") && !in_english[0].contains("utfall"), "{in_english:?}");
        let mut problems = Vec::new();
        check(&plan, &mut |item, message| problems.push(format!("{item}: {message}")));
        assert!(problems.is_empty(), "{problems:?}");
        // Back to the old value: nothing to keep.
        note_change(&mut plan.closed_periods, &newer, &old);
        assert!(plan.closed_periods[0].values.is_empty());
    }
}
