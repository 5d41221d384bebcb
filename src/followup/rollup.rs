//! Goal roll-up: a proposed assessment for each goal from its indicators and child goals, with
//! a one-line explanation (Swedish, or any [`Lang`] through [`explain_in`]), and the commitments under it as counts.
//!
//! The rule (configurable per plan in `FollowUpSettings`): count the indicators' statuses and
//! the child goals' assessments (a child's manual assessment when it has one, else its
//! proposal); items without data are listed but not counted. Of the counted items, when the
//! share achieved is at least `rollup_achieved_share` (default: all) the goal is proposed
//! *uppnår*; when the share not achieved is at least `rollup_not_achieved_share` (default: half)
//! *ej uppnår*; otherwise *delvis*. With nothing counted the proposal is *ej bedömd*.
//! A manual assessment stored for the period always wins, and is shown beside the proposal.

use std::collections::HashMap;

use serde::Serialize;

use super::{IndicatorResult, IndicatorStatus};
use crate::i18n::Lang;
use crate::model::{Assessment, CommitmentStatus, FollowUpPeriod, ItemId, Plan, Trend};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Counts {
    pub achieved: u32,
    pub partly: u32,
    pub not_achieved: u32,
    pub no_data: u32,
}

impl Counts {
    pub fn total(&self) -> u32 {
        self.achieved + self.partly + self.not_achieved + self.no_data
    }

    fn assessed(&self) -> u32 {
        self.achieved + self.partly + self.not_achieved
    }

    fn add_assessment(&mut self, assessment: Assessment) {
        match assessment {
            Assessment::Achieved => self.achieved += 1,
            Assessment::Partly => self.partly += 1,
            Assessment::NotAchieved => self.not_achieved += 1,
            Assessment::NotAssessed => self.no_data += 1,
        }
    }

    fn remove_status(&mut self, status: IndicatorStatus) {
        let count = match status {
            IndicatorStatus::Achieved => &mut self.achieved,
            IndicatorStatus::Partly => &mut self.partly,
            IndicatorStatus::NotAchieved => &mut self.not_achieved,
            IndicatorStatus::NoData => &mut self.no_data,
        };
        *count = count.saturating_sub(1);
    }

    fn add_status(&mut self, status: IndicatorStatus) {
        match status {
            IndicatorStatus::Achieved => self.achieved += 1,
            IndicatorStatus::Partly => self.partly += 1,
            IndicatorStatus::NotAchieved => self.not_achieved += 1,
            IndicatorStatus::NoData => self.no_data += 1,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct CommitmentSummary {
    pub total: u32,
    pub done: u32,
    pub in_progress: u32,
    pub delayed: u32,
    pub not_started: u32,
    pub cancelled: u32,
    /// Commitments with no status for the period.
    pub not_reported: u32,
    /// Mean completion (0–100) of the commitments that report one.
    pub average_completion: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoalResult {
    pub goal: ItemId,
    pub proposed: Assessment,
    /// "3 av 5 indikatorer uppnådda, 1 delvis, 1 saknar utfall → delvis"
    pub explanation: String,
    /// The assessment stored for the period, if any (and not "ej bedömd").
    pub manual: Option<Assessment>,
    pub manual_trend: Option<Trend>,
    pub comment: String,
    /// `manual` when present, else `proposed`.
    pub effective: Assessment,
    pub indicators: Counts,
    pub children: Counts,
    /// Commitments of this goal and every goal below it.
    pub commitments: CommitmentSummary,
}

pub fn assessment_swedish(assessment: Assessment) -> &'static str {
    match assessment {
        Assessment::Achieved => "uppnår",
        Assessment::Partly => "delvis",
        Assessment::NotAchieved => "ej uppnår",
        Assessment::NotAssessed => "ej bedömd",
    }
}

pub fn trend_swedish(trend: Trend) -> &'static str {
    match trend {
        Trend::Better => "bättre",
        Trend::Unchanged => "oförändrad",
        Trend::Worse => "sämre",
    }
}

/// Proposes an assessment from counts, by the plan's rule.
pub fn propose(counts: Counts, settings: &crate::model::FollowUpSettings) -> Assessment {
    let assessed = counts.assessed();
    if assessed == 0 {
        return Assessment::NotAssessed;
    }
    let share = |n: u32| f64::from(n) / f64::from(assessed);
    if share(counts.achieved) >= settings.rollup_achieved_share - 1e-9 {
        Assessment::Achieved
    } else if share(counts.not_achieved) >= settings.rollup_not_achieved_share - 1e-9 {
        Assessment::NotAchieved
    } else {
        Assessment::Partly
    }
}

/// The words of one part of the explanation ("3 av 5 indikatorer uppnådda, 1 delvis, …").
struct Words {
    one: &'static str,
    many: &'static str,
    one_achieved: &'static str,
    many_achieved: &'static str,
    of: &'static str,
    partly: &'static str,
    not_achieved: &'static str,
    missing: &'static str,
}

fn describe(counts: Counts, words: &Words) -> String {
    let total = counts.total();
    let (noun, achieved) =
        if total == 1 { (words.one, words.one_achieved) } else { (words.many, words.many_achieved) };
    let mut text = format!("{} {} {total} {noun} {achieved}", counts.achieved, words.of);
    if counts.partly > 0 {
        text.push_str(&format!(", {} {}", counts.partly, words.partly));
    }
    if counts.not_achieved > 0 {
        text.push_str(&format!(", {} {}", counts.not_achieved, words.not_achieved));
    }
    if counts.no_data > 0 {
        text.push_str(&format!(", {} {}", counts.no_data, words.missing));
    }
    text
}

/// The explanation line for a goal, in Swedish (as [`GoalResult::explanation`]).
pub fn explain(indicators: Counts, children: Counts, proposed: Assessment) -> String {
    explain_in(Lang::Swedish, indicators, children, proposed)
}

/// The explanation line for a goal: "3 av 5 indikatorer uppnådda, 1 delvis, 1 saknar utfall →
/// delvis", in English "3 of 5 indicators achieved, 1 partly, 1 without outcome → partly".
pub fn explain_in(lang: Lang, indicators: Counts, children: Counts, proposed: Assessment) -> String {
    let mut parts = Vec::new();
    if indicators.total() > 0 {
        let words = match lang {
            Lang::Swedish => Words {
                one: "indikator",
                many: "indikatorer",
                one_achieved: "uppnådd",
                many_achieved: "uppnådda",
                of: "av",
                partly: "delvis",
                not_achieved: "ej uppnådda",
                missing: "saknar utfall",
            },
            Lang::English => Words {
                one: "indicator",
                many: "indicators",
                one_achieved: "achieved",
                many_achieved: "achieved",
                of: "of",
                partly: "partly",
                not_achieved: "not achieved",
                missing: "without outcome",
            },
        };
        parts.push(describe(indicators, &words));
    }
    if children.total() > 0 {
        let words = match lang {
            Lang::Swedish => Words {
                one: "underliggande mål",
                many: "underliggande mål",
                one_achieved: "uppnått",
                many_achieved: "uppnådda",
                of: "av",
                partly: "delvis",
                not_achieved: "ej uppnådda",
                missing: "ej bedömda",
            },
            Lang::English => Words {
                one: "sub-goal",
                many: "sub-goals",
                one_achieved: "achieved",
                many_achieved: "achieved",
                of: "of",
                partly: "partly",
                not_achieved: "not achieved",
                missing: "not assessed",
            },
        };
        parts.push(describe(children, &words));
    }
    if parts.is_empty() {
        parts.push(
            lang.t("inga indikatorer eller underliggande mål att bedöma", "no indicators or sub-goals to assess")
                .to_owned(),
        );
    }
    format!("{} → {}", parts.join("; "), lang.assessment_lower(proposed))
}

impl GoalResult {
    /// [`GoalResult::explanation`] in `lang`, from the same counts and proposal.
    pub fn explanation_in(&self, lang: Lang) -> String {
        explain_in(lang, self.indicators, self.children, self.proposed)
    }
}

/// What the roll-up of one goal needs besides its children's results: the goal tree as
/// indices and each goal's own contributions. Kept beside the results so that an edit re-rolls
/// only the goals above it (see [`super::FollowUp::update`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RollupState {
    pub(crate) goal_index: HashMap<ItemId, usize>,
    pub(crate) parent: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
    /// The statuses of each goal's own indicators.
    pub(crate) indicator_counts: Vec<Counts>,
    /// Each goal's own commitments, and the sum and number of their completion figures.
    own_commitments: Vec<(CommitmentSummary, (f64, u32))>,
    /// The same over the goal's whole subtree.
    subtree_completion: Vec<(f64, u32)>,
}

/// Rolls up every goal (children before parents), in the plan's goal order.
pub fn roll_up(
    plan: &Plan,
    indicators: &[IndicatorResult],
    period: Option<&FollowUpPeriod>,
) -> Vec<GoalResult> {
    roll_up_with_state(plan, indicators, period).0
}

pub(crate) fn roll_up_with_state(
    plan: &Plan,
    indicators: &[IndicatorResult],
    period: Option<&FollowUpPeriod>,
) -> (Vec<GoalResult>, RollupState) {
    let goal_index: HashMap<ItemId, usize> = plan.goals.iter().enumerate().map(|(i, g)| (g.id, i)).collect();
    let n = plan.goals.len();
    let mut parent = vec![None; n];
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, goal) in plan.goals.iter().enumerate() {
        if let Some(&p) = goal.parent.and_then(|p| goal_index.get(&p)) {
            children[p].push(i);
            parent[i] = Some(p);
        }
    }
    let mut indicator_counts = vec![Counts::default(); n];
    for (ind, result) in plan.indicators.iter().zip(indicators) {
        if let Some(&g) = goal_index.get(&ind.goal) {
            indicator_counts[g].add_status(result.status());
        }
    }
    let manual: HashMap<ItemId, &crate::model::GoalFollowUp> = period
        .map(|p| p.goals.iter().map(|f| (f.goal, f)).collect())
        .unwrap_or_default();
    let statuses: HashMap<ItemId, &crate::model::CommitmentFollowUp> = period
        .map(|p| p.commitments.iter().map(|c| (c.commitment, c)).collect())
        .unwrap_or_default();
    let mut own_commitments = vec![(CommitmentSummary::default(), (0.0, 0)); n];
    for commitment in &plan.commitments {
        if let Some(&g) = goal_index.get(&commitment.goal) {
            let (summary, completion) = &mut own_commitments[g];
            add_commitment(summary, completion, statuses.get(&commitment.id).copied());
        }
    }
    let mut state = RollupState {
        goal_index,
        parent,
        children,
        indicator_counts,
        own_commitments,
        subtree_completion: vec![(0.0, 0); n],
    };

    let order = post_order(&state.children);
    let mut results: Vec<Option<GoalResult>> = vec![None; n];
    for g in order {
        let result = state.roll_goal(g, &plan.goals[g], manual.get(&plan.goals[g].id).copied(), &plan.settings, |c| {
            results[c].as_ref()
        });
        results[g] = Some(result);
    }
    (results.into_iter().flatten().collect(), state)
}

impl RollupState {
    /// The result of goal `g` from its own contributions and its children's results
    /// (`child(c)`; `None` for a child not yet rolled, which only a parent cycle causes).
    fn roll_goal<'r>(
        &mut self,
        g: usize,
        goal: &crate::model::Goal,
        follow_up: Option<&crate::model::GoalFollowUp>,
        settings: &crate::model::FollowUpSettings,
        child: impl Fn(usize) -> Option<&'r GoalResult>,
    ) -> GoalResult {
        let (mut summary, mut completion) = self.own_commitments[g];
        let mut child_counts = Counts::default();
        for &c in &self.children[g] {
            if let Some(result) = child(c) {
                child_counts.add_assessment(result.effective);
                add_summaries(&mut summary, &result.commitments);
                completion.0 += self.subtree_completion[c].0;
                completion.1 += self.subtree_completion[c].1;
            }
        }
        self.subtree_completion[g] = completion;
        summary.average_completion = (completion.1 > 0).then(|| completion.0 / f64::from(completion.1));
        let counts = add_counts(self.indicator_counts[g], child_counts);
        let proposed = propose(counts, settings);
        let manual = follow_up.map(|f| f.assessment).filter(|a| *a != Assessment::NotAssessed);
        GoalResult {
            goal: goal.id,
            proposed,
            explanation: explain(self.indicator_counts[g], child_counts, proposed),
            manual,
            manual_trend: follow_up.and_then(|f| f.trend),
            comment: follow_up.map(|f| f.comment.clone()).unwrap_or_default(),
            effective: manual.unwrap_or(proposed),
            indicators: self.indicator_counts[g],
            children: child_counts,
            commitments: summary,
        }
    }

    /// Moves one indicator's status from one goal's counts to another's (either may be absent).
    pub(crate) fn move_indicator_status(
        &mut self,
        from: Option<(usize, IndicatorStatus)>,
        to: Option<(usize, IndicatorStatus)>,
    ) {
        if let Some((g, status)) = from {
            self.indicator_counts[g].remove_status(status);
        }
        if let Some((g, status)) = to {
            self.indicator_counts[g].add_status(status);
        }
    }

    /// Recounts goal `g`'s own commitments (a status in the period changed).
    pub(crate) fn recount_commitments(&mut self, g: usize, plan: &Plan, period: Option<&FollowUpPeriod>) {
        let goal = plan.goals[g].id;
        let mut own = (CommitmentSummary::default(), (0.0, 0));
        for commitment in plan.commitments.iter().filter(|c| c.goal == goal) {
            add_commitment(&mut own.0, &mut own.1, period.and_then(|p| p.commitment_follow_up(commitment.id)));
        }
        self.own_commitments[g] = own;
    }

    /// Re-rolls goal `g` and every goal above it. `false` when the parents form a cycle (the
    /// caller then computes everything anew, as the full roll-up treats cycles specially).
    pub(crate) fn re_roll_upwards(
        &mut self,
        start: usize,
        plan: &Plan,
        period: Option<&FollowUpPeriod>,
        results: &mut [GoalResult],
    ) -> bool {
        let mut current = Some(start);
        let mut steps = 0;
        while let Some(g) = current {
            steps += 1;
            if steps > results.len() {
                return false;
            }
            let goal = &plan.goals[g];
            let follow_up = period.and_then(|p| p.goal_follow_up(goal.id));
            let rolled = {
                let results = &*results;
                self.roll_goal(g, goal, follow_up, &plan.settings, |c| Some(&results[c]))
            };
            results[g] = rolled;
            current = self.parent[g];
        }
        true
    }
}

fn add_counts(a: Counts, b: Counts) -> Counts {
    Counts {
        achieved: a.achieved + b.achieved,
        partly: a.partly + b.partly,
        not_achieved: a.not_achieved + b.not_achieved,
        no_data: a.no_data + b.no_data,
    }
}

fn add_commitment(
    summary: &mut CommitmentSummary,
    completion: &mut (f64, u32),
    reported: Option<&crate::model::CommitmentFollowUp>,
) {
    summary.total += 1;
    let Some(reported) = reported else {
        summary.not_reported += 1;
        return;
    };
    match reported.status {
        CommitmentStatus::Done => summary.done += 1,
        CommitmentStatus::InProgress => summary.in_progress += 1,
        CommitmentStatus::Delayed => summary.delayed += 1,
        CommitmentStatus::NotStarted => summary.not_started += 1,
        CommitmentStatus::Cancelled => summary.cancelled += 1,
    }
    if let Some(percent) = reported.completion {
        completion.0 += f64::from(percent.min(100));
        completion.1 += 1;
    }
}

fn add_summaries(into: &mut CommitmentSummary, from: &CommitmentSummary) {
    into.total += from.total;
    into.done += from.done;
    into.in_progress += from.in_progress;
    into.delayed += from.delayed;
    into.not_started += from.not_started;
    into.cancelled += from.cancelled;
    into.not_reported += from.not_reported;
}

/// Children before parents; goals caught in a parent cycle (an invalid plan) come last, each
/// once, so the roll-up always terminates.
fn post_order(children: &[Vec<usize>]) -> Vec<usize> {
    let n = children.len();
    let mut has_parent = vec![false; n];
    for list in children {
        for &c in list {
            has_parent[c] = true;
        }
    }
    let mut visited = vec![false; n];
    let mut order = Vec::with_capacity(n);
    let roots: Vec<usize> = (0..n).filter(|&i| !has_parent[i]).collect();
    for start in roots.into_iter().chain(0..n) {
        if visited[start] {
            continue;
        }
        // Iterative depth-first search: (node, next child to visit).
        let mut stack = vec![(start, 0usize)];
        visited[start] = true;
        while let Some((node, next)) = stack.last_mut() {
            if let Some(&child) = children[*node].get(*next) {
                *next += 1;
                if !visited[child] {
                    visited[child] = true;
                    stack.push((child, 0));
                }
            } else {
                order.push(*node);
                stack.pop();
            }
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FollowUpSettings;

    fn counts(achieved: u32, partly: u32, not_achieved: u32, no_data: u32) -> Counts {
        Counts {
            achieved,
            partly,
            not_achieved,
            no_data,
        }
    }

    #[test]
    fn the_example_from_the_issue_reads_as_written() {
        let c = counts(3, 1, 0, 1);
        let proposed = propose(c, &FollowUpSettings::default());
        assert_eq!(proposed, Assessment::Partly);
        assert_eq!(
            explain(c, Counts::default(), proposed),
            "3 av 5 indikatorer uppnådda, 1 delvis, 1 saknar utfall → delvis"
        );
    }

    #[test]
    fn rule_thresholds_decide_and_are_configurable() {
        let s = FollowUpSettings::default();
        assert_eq!(propose(counts(4, 0, 0, 2), &s), Assessment::Achieved);
        assert_eq!(propose(counts(1, 0, 1, 0), &s), Assessment::NotAchieved);
        assert_eq!(propose(counts(2, 1, 1, 0), &s), Assessment::Partly);
        assert_eq!(propose(counts(0, 0, 0, 3), &s), Assessment::NotAssessed);
        let lenient = FollowUpSettings {
            rollup_achieved_share: 0.75,
            ..s
        };
        assert_eq!(propose(counts(3, 1, 0, 1), &lenient), Assessment::Achieved);
    }

    #[test]
    fn explanation_for_a_single_indicator_and_for_children() {
        assert_eq!(
            explain(counts(1, 0, 0, 0), Counts::default(), Assessment::Achieved),
            "1 av 1 indikator uppnådd → uppnår"
        );
        assert_eq!(
            explain(counts(0, 0, 1, 0), counts(1, 1, 0, 0), Assessment::Partly),
            "0 av 1 indikator uppnådd, 1 ej uppnådda; 1 av 2 underliggande mål uppnådda, 1 delvis → delvis"
        );
        assert_eq!(
            explain(Counts::default(), Counts::default(), Assessment::NotAssessed),
            "inga indikatorer eller underliggande mål att bedöma → ej bedömd"
        );
    }

    #[test]
    fn children_without_assessment_are_called_not_assessed() {
        assert_eq!(
            explain(Counts::default(), counts(1, 0, 0, 2), Assessment::Achieved),
            "1 av 3 underliggande mål uppnådda, 2 ej bedömda → uppnår"
        );
    }

    #[test]
    fn explanations_in_english_and_swedish_with_indicators_and_children() {
        let c = counts(3, 1, 0, 1);
        assert_eq!(
            explain_in(Lang::English, c, Counts::default(), Assessment::Partly),
            "3 of 5 indicators achieved, 1 partly, 1 without outcome → partly"
        );
        // Singular indicator, plural children.
        let (one, children) = (counts(0, 0, 1, 0), counts(1, 1, 0, 0));
        assert_eq!(
            explain_in(Lang::English, one, children, Assessment::Partly),
            "0 of 1 indicator achieved, 1 not achieved; 1 of 2 sub-goals achieved, 1 partly → partly"
        );
        assert_eq!(
            explain_in(Lang::Swedish, one, children, Assessment::Partly),
            "0 av 1 indikator uppnådd, 1 ej uppnådda; 1 av 2 underliggande mål uppnådda, 1 delvis → delvis"
        );
        // Plural indicators, a single child.
        let (many, child) = (counts(2, 0, 1, 0), counts(0, 0, 0, 1));
        assert_eq!(
            explain_in(Lang::English, many, child, Assessment::NotAchieved),
            "2 of 3 indicators achieved, 1 not achieved; 0 of 1 sub-goal achieved, 1 not assessed → not achieved"
        );
        assert_eq!(
            explain_in(Lang::Swedish, many, child, Assessment::NotAchieved),
            "2 av 3 indikatorer uppnådda, 1 ej uppnådda; 0 av 1 underliggande mål uppnått, 1 ej bedömda → ej uppnår"
        );
        assert_eq!(explain(many, child, Assessment::NotAchieved), explain_in(Lang::Swedish, many, child, Assessment::NotAchieved));
        assert_eq!(
            explain_in(Lang::English, Counts::default(), Counts::default(), Assessment::NotAssessed),
            "no indicators or sub-goals to assess → not assessed"
        );
    }

    #[test]
    fn a_results_explanation_in_swedish_is_the_stored_one() {
        let plan = crate::examples::default_plan();
        let mut selections = vec![crate::followup::Selection::Year(plan.meta.last_year)];
        selections.extend(plan.periods.iter().map(|p| crate::followup::Selection::Period(p.id)));
        for selection in selections {
            let follow_up = crate::followup::compute(&plan, selection);
            assert!(!follow_up.goals.is_empty());
            for result in &follow_up.goals {
                assert_eq!(result.explanation_in(Lang::Swedish), result.explanation);
                assert!(result.explanation_in(Lang::English).contains(" → "));
            }
        }
    }

    #[test]
    fn post_order_visits_children_first_and_survives_cycles() {
        // 0 → 1 → 2, and 3 ↔ 4 (a cycle).
        let children = vec![vec![1], vec![2], vec![], vec![4], vec![3]];
        let order = post_order(&children);
        assert_eq!(order.len(), 5);
        let pos = |x| order.iter().position(|&o| o == x).unwrap();
        assert!(pos(2) < pos(1) && pos(1) < pos(0));
    }
}
