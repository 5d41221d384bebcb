//! The follow-up engine: from the figures in a plan, how each indicator and goal stands for a
//! year or follow-up period, and why. Pure functions of the model – no egui, no files.
//!
//! [`compute`] derives everything once; [`FollowUpCache`] keeps the result until the plan's
//! revision or the selection changes, so the UI and reports never recompute per call site.

pub mod indicator;
pub mod number;
pub mod rollup;

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use crate::model::{ItemId, Plan};
pub use indicator::{GenderGap, IndicatorStatus, SeriesResult, TrendResult, YearTarget};
pub use rollup::{CommitmentSummary, Counts, GoalResult};

/// What a follow-up looks at: a bare year, or a named period (its year plus the manual
/// assessments and commitment statuses stored for it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Selection {
    Year(i32),
    Period(ItemId),
}

/// The results for one indicator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorResult {
    pub indicator: ItemId,
    /// The result of the series the indicator is judged by (Totalt, or its first own series).
    pub main: Option<SeriesResult>,
    /// Every series, in the indicator's order (comparison series included, status for information).
    pub series: Vec<SeriesResult>,
    pub gender_gap: Option<GenderGap>,
}

impl IndicatorResult {
    pub fn status(&self) -> IndicatorStatus {
        self.main.as_ref().map_or(IndicatorStatus::NoData, |m| m.status)
    }
}

/// Everything derived for one selection.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowUp {
    pub year: i32,
    pub period: Option<String>,
    /// In the plan's indicator order.
    pub indicators: Vec<IndicatorResult>,
    /// In the plan's goal order.
    pub goals: Vec<GoalResult>,
    #[serde(skip)]
    indicator_index: HashMap<ItemId, usize>,
    #[serde(skip)]
    goal_index: HashMap<ItemId, usize>,
}

impl FollowUp {
    pub fn indicator(&self, id: ItemId) -> Option<&IndicatorResult> {
        self.indicator_index.get(&id).map(|&i| &self.indicators[i])
    }

    pub fn goal(&self, id: ItemId) -> Option<&GoalResult> {
        self.goal_index.get(&id).map(|&i| &self.goals[i])
    }
}

/// The year a selection looks at; `None` when the period does not exist.
pub fn selection_year(plan: &Plan, selection: Selection) -> Option<i32> {
    match selection {
        Selection::Year(year) => Some(year),
        Selection::Period(id) => plan.periods.iter().find(|p| p.id == id).map(|p| p.year),
    }
}

/// Computes every indicator's and goal's result for the selection.
pub fn compute(plan: &Plan, selection: Selection) -> FollowUp {
    let period = match selection {
        Selection::Period(id) => plan.periods.iter().find(|p| p.id == id),
        Selection::Year(_) => None,
    };
    let year = period.map_or(
        match selection {
            Selection::Year(year) => year,
            Selection::Period(_) => plan.meta.last_year,
        },
        |p| p.year,
    );
    let indicators: Vec<IndicatorResult> = plan
        .indicators
        .iter()
        .map(|ind| indicator_result(plan, ind, year))
        .collect();
    let indicator_index = indicators
        .iter()
        .enumerate()
        .map(|(i, r)| (r.indicator, i))
        .collect();
    let goals = rollup::roll_up(plan, &indicators, period);
    let goal_index = goals.iter().enumerate().map(|(i, g)| (g.goal, i)).collect();
    FollowUp {
        year,
        period: period.map(|p| p.name.clone()),
        indicators,
        goals,
        indicator_index,
        goal_index,
    }
}

pub fn indicator_result(plan: &Plan, ind: &crate::model::Indicator, year: i32) -> IndicatorResult {
    let series: Vec<SeriesResult> = ind
        .series
        .iter()
        .map(|s| indicator::series_result(ind, s, year, &plan.settings))
        .collect();
    let main = indicator::main_series(ind).and_then(|main| {
        ind.series
            .iter()
            .position(|s| std::ptr::eq(s, main))
            .map(|i| series[i].clone())
    });
    IndicatorResult {
        indicator: ind.id,
        main,
        series,
        gender_gap: indicator::gender_gap(ind, year),
    }
}

/// Keeps the last computed follow-up until the plan's revision or the selection changes.
#[derive(Default)]
pub struct FollowUpCache {
    key: Option<(u64, Selection)>,
    result: Option<Arc<FollowUp>>,
}

impl FollowUpCache {
    /// The follow-up for `selection` of the plan at `revision` (a number the owner bumps on
    /// every edit); computed only when either changed since the last call.
    pub fn get(&mut self, plan: &Plan, revision: u64, selection: Selection) -> Arc<FollowUp> {
        let key = (revision, selection);
        match (&self.key, &self.result) {
            (Some(cached), Some(result)) if *cached == key => Arc::clone(result),
            _ => {
                let result = Arc::new(compute(plan, selection));
                self.key = Some(key);
                self.result = Some(Arc::clone(&result));
                result
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_recomputes_only_when_revision_or_selection_changes() {
        let mut plan = Plan::new("Eskilstuna kommun", "t", 2022, 2022);
        let mut cache = FollowUpCache::default();
        let first = cache.get(&plan, 1, Selection::Year(2022));
        plan.meta.title = "changed without a new revision".into();
        let again = cache.get(&plan, 1, Selection::Year(2022));
        assert!(Arc::ptr_eq(&first, &again));
        let newer = cache.get(&plan, 2, Selection::Year(2022));
        assert!(!Arc::ptr_eq(&first, &newer));
        let other_year = cache.get(&plan, 2, Selection::Year(2021));
        assert_eq!(other_year.year, 2021);
    }
}
