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
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
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
    /// The period the results are for, and what re-rolling one goal needs.
    #[serde(skip)]
    period_id: Option<ItemId>,
    /// Each indicator's goal when computed (an edit may move it to another goal).
    #[serde(skip)]
    indicator_goals: Vec<ItemId>,
    #[serde(skip)]
    rollup: rollup::RollupState,
}

/// What changed in a plan since a follow-up was computed, when nothing else did: indicators
/// edited (values, goal, settings), and goal assessments and commitment statuses set in a
/// period. Plans with other changes (structure, periods, settings) are computed anew.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub indicators: Vec<ItemId>,
    /// `(period, goal)`
    pub goal_follow_ups: Vec<(ItemId, ItemId)>,
    /// `(period, commitment)`
    pub commitment_follow_ups: Vec<(ItemId, ItemId)>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.indicators.is_empty() && self.goal_follow_ups.is_empty() && self.commitment_follow_ups.is_empty()
    }

    pub fn extend(&mut self, other: Changes) {
        self.indicators.extend(other.indicators);
        self.goal_follow_ups.extend(other.goal_follow_ups);
        self.commitment_follow_ups.extend(other.commitment_follow_ups);
    }
}

impl FollowUp {
    pub fn indicator(&self, id: ItemId) -> Option<&IndicatorResult> {
        self.indicator_index.get(&id).map(|&i| &self.indicators[i])
    }

    pub fn goal(&self, id: ItemId) -> Option<&GoalResult> {
        self.goal_index.get(&id).map(|&i| &self.goals[i])
    }

    /// Brings the results up to date after `changes` to `plan`: recomputes the edited
    /// indicators and re-rolls only the goals above what changed. Returns `false` (results
    /// untouched or partly updated – recompute) when the plan's shape no longer matches.
    pub fn update(&mut self, plan: &Plan, changes: &Changes) -> bool {
        if plan.indicators.len() != self.indicators.len() || plan.goals.len() != self.goals.len() {
            return false;
        }
        let period = self.period_id.and_then(|id| plan.period(id));
        if self.period_id.is_some() && period.is_none_or(|p| p.year != self.year) {
            return false;
        }
        let mut dirty_goals: Vec<usize> = Vec::new();
        for &id in &changes.indicators {
            let Some(&i) = self.indicator_index.get(&id) else { return false };
            let indicator = &plan.indicators[i];
            if indicator.id != id {
                return false;
            }
            let old_goal = self.rollup.goal_index.get(&self.indicator_goals[i]).copied();
            let old_status = self.indicators[i].status();
            let result = indicator_result(plan, indicator, self.year);
            let new_goal = self.rollup.goal_index.get(&indicator.goal).copied();
            let new_status = result.status();
            self.indicators[i] = result;
            self.indicator_goals[i] = indicator.goal;
            self.rollup
                .move_indicator_status(old_goal.map(|g| (g, old_status)), new_goal.map(|g| (g, new_status)));
            dirty_goals.extend(old_goal);
            dirty_goals.extend(new_goal);
        }
        for &(period_id, goal) in &changes.goal_follow_ups {
            if Some(period_id) == self.period_id {
                let Some(&g) = self.rollup.goal_index.get(&goal) else { return false };
                dirty_goals.push(g);
            }
        }
        for &(period_id, commitment) in &changes.commitment_follow_ups {
            if Some(period_id) == self.period_id {
                let Some(goal) = plan.commitment(commitment).map(|c| c.goal) else { return false };
                if let Some(&g) = self.rollup.goal_index.get(&goal) {
                    self.rollup.recount_commitments(g, plan, period);
                    dirty_goals.push(g);
                }
            }
        }
        dirty_goals.sort_unstable();
        dirty_goals.dedup();
        dirty_goals
            .into_iter()
            .all(|g| self.rollup.re_roll_upwards(g, plan, period, &mut self.goals))
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
    let (goals, rollup) = rollup::roll_up_with_state(plan, &indicators, period);
    let goal_index = goals.iter().enumerate().map(|(i, g)| (g.goal, i)).collect();
    FollowUp {
        year,
        period: period.map(|p| p.name.clone()),
        indicators,
        goals,
        indicator_index,
        goal_index,
        indicator_goals: plan.indicators.iter().map(|i| i.goal).collect(),
        period_id: period.map(|p| p.id),
        rollup,
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
    /// How often a new revision was handled by updating instead of recomputing (for tests).
    pub updates: u64,
    pub full_computations: u64,
}

impl FollowUpCache {
    /// The follow-up for `selection` of the plan at `revision` (a number the owner bumps on
    /// every edit); computed only when either changed since the last call.
    pub fn get(&mut self, plan: &Plan, revision: u64, selection: Selection) -> Arc<FollowUp> {
        let key = (revision, selection);
        match (&self.key, &self.result) {
            (Some(cached), Some(result)) if *cached == key => Arc::clone(result),
            _ => self.compute_anew(plan, key),
        }
    }

    /// Like [`FollowUpCache::get`], but when only the selection's revision moved on it asks
    /// `changes_since(cached_revision)` what changed and, if that is known and small (see
    /// [`Changes`]), updates the cached results instead of computing everything again.
    pub fn get_with_changes(
        &mut self,
        plan: &Plan,
        revision: u64,
        selection: Selection,
        changes_since: impl FnOnce(u64) -> Option<Changes>,
    ) -> Arc<FollowUp> {
        let key = (revision, selection);
        if let (Some((cached_revision, cached_selection)), Some(result)) = (self.key, self.result.as_mut())
            && cached_selection == selection
        {
            if cached_revision == revision {
                return Arc::clone(result);
            }
            if let Some(changes) = changes_since(cached_revision)
                && Arc::make_mut(result).update(plan, &changes)
            {
                self.key = Some(key);
                self.updates += 1;
                return Arc::clone(result);
            }
        }
        self.compute_anew(plan, key)
    }

    /// Takes a result computed elsewhere (on a worker, for a plan prepared there) as the one
    /// for `selection` at `revision`.
    /// Returns the result it replaces (the caller may free a large one off the UI thread).
    pub fn seed(&mut self, revision: u64, selection: Selection, result: FollowUp) -> Option<Arc<FollowUp>> {
        self.key = Some((revision, selection));
        self.result.replace(Arc::new(result))
    }

    fn compute_anew(&mut self, plan: &Plan, key: (u64, Selection)) -> Arc<FollowUp> {
        let result = Arc::new(compute(plan, key.1));
        self.key = Some(key);
        self.result = Some(Arc::clone(&result));
        self.full_computations += 1;
        result
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
