//! Properties of the three-way merge, for random plans and random edits on two copies:
//! edits that touch different things merge to the same plan as making them one after the
//! other; merging a version with itself or with the unchanged base gives that version.

use malplan::merge::merge;
use malplan::model::{Assessment, Commitment, CommitmentFollowUp, GoalFollowUp, ItemId, Plan};
use proptest::prelude::*;

fn samples() -> Vec<Plan> {
    malplan::examples::SAMPLE_PLANS.iter().map(|(name, text)| malplan::storage::parse_str(text, name).unwrap()).collect()
}

/// An edit a planner makes, by position among the items of its kind (resolved against the
/// base, so both sides' edits name the base's items).
#[derive(Debug, Clone)]
enum Op {
    Title(usize, String),
    Description(usize, String),
    Outcome { indicator: usize, year: i32, tenths: i32 },
    Target { indicator: usize, year: i32, tenths: i32 },
    Assess(usize, u8),
    AddCommitment(usize, String),
    CommitmentText(usize, String),
    RemoveCommitment(usize),
    MoveCommitment(usize, usize),
}

fn op() -> impl Strategy<Value = Op> {
    let text = "[A-Za-zåäö ]{1,12}";
    prop_oneof![
        (any::<usize>(), text).prop_map(|(i, t)| Op::Title(i, t)),
        (any::<usize>(), text).prop_map(|(i, t)| Op::Description(i, t)),
        (any::<usize>(), 0..6i32, -500..5000i32).prop_map(|(indicator, year, tenths)| Op::Outcome { indicator, year, tenths }),
        (any::<usize>(), 0..6i32, -500..5000i32).prop_map(|(indicator, year, tenths)| Op::Target { indicator, year, tenths }),
        (any::<usize>(), 0..4u8).prop_map(|(i, a)| Op::Assess(i, a)),
        (any::<usize>(), text).prop_map(|(i, t)| Op::AddCommitment(i, t)),
        (any::<usize>(), text).prop_map(|(i, t)| Op::CommitmentText(i, t)),
        any::<usize>().prop_map(Op::RemoveCommitment),
        (any::<usize>(), any::<usize>()).prop_map(|(c, g)| Op::MoveCommitment(c, g)),
    ]
}

/// The op with its targets as ids of the base's items; `side` (0 mine, 1 theirs) only touches
/// items at positions of its parity, so two sides never touch the same item. `None` when the
/// plan has nothing of the kind.
#[derive(Debug, Clone)]
enum Resolved {
    Title(ItemId, String),
    Description(ItemId, String),
    Value { indicator: ItemId, target: bool, year: i32, value: f64 },
    Assess(ItemId, ItemId, Assessment),
    AddCommitment(ItemId, String),
    CommitmentText(ItemId, String),
    RemoveCommitment(ItemId),
    MoveCommitment(ItemId, ItemId),
}

fn pick<T>(items: &[T], index: usize, side: usize) -> Option<&T> {
    let own: Vec<&T> = items.iter().skip(side).step_by(2).collect();
    (!own.is_empty()).then(|| own[index % own.len()])
}

fn resolve(base: &Plan, op: &Op, side: usize) -> Option<Resolved> {
    let year0 = base.meta.first_year - 1;
    Some(match op {
        Op::Title(i, t) => Resolved::Title(pick(&base.goals, *i, side)?.id, t.clone()),
        Op::Description(i, t) => Resolved::Description(pick(&base.goals, *i, side)?.id, t.clone()),
        Op::Outcome { indicator, year, tenths } | Op::Target { indicator, year, tenths } => {
            let found = pick(&base.indicators, *indicator, side).filter(|i| !i.series.is_empty())?;
            Resolved::Value { indicator: found.id, target: matches!(op, Op::Target { .. }), year: year0 + year, value: f64::from(*tenths) / 10.0 }
        }
        Op::Assess(i, a) => {
            let period = base.periods.first()?;
            let goal = pick(&base.goals, *i, side)?.id;
            let assessment = [Assessment::Achieved, Assessment::Partly, Assessment::NotAchieved, Assessment::NotAssessed][*a as usize];
            Resolved::Assess(period.id, goal, assessment)
        }
        Op::AddCommitment(i, t) => Resolved::AddCommitment(pick(&base.goals, *i, side)?.id, t.clone()),
        Op::CommitmentText(i, t) => Resolved::CommitmentText(pick(&base.commitments, *i, side)?.id, t.clone()),
        Op::RemoveCommitment(i) => Resolved::RemoveCommitment(pick(&base.commitments, *i, side)?.id),
        Op::MoveCommitment(c, g) => Resolved::MoveCommitment(pick(&base.commitments, *c, side)?.id, pick(&base.goals, *g, side)?.id),
    })
}

/// Carries the edit out as the app would (new items take the next free id, deleting a
/// commitment deletes its follow-ups). Edits of items the same side removed are skipped.
fn apply(plan: &mut Plan, op: &Resolved) {
    match op {
        Resolved::Title(id, t) => {
            if let Some(g) = plan.goals.iter_mut().find(|g| g.id == *id) {
                g.title = t.clone();
            }
        }
        Resolved::Description(id, t) => {
            if let Some(g) = plan.goals.iter_mut().find(|g| g.id == *id) {
                g.description = t.clone();
            }
        }
        Resolved::Value { indicator, target, year, value } => {
            if let Some(i) = plan.indicators.iter_mut().find(|i| i.id == *indicator) {
                let series = &mut i.series[0];
                let values = if *target { &mut series.targets } else { &mut series.outcomes };
                malplan::model::set_value(values, *year, Some(*value));
            }
        }
        Resolved::Assess(period, goal, assessment) => {
            let period = plan.periods.iter_mut().find(|p| p.id == *period).unwrap();
            match period.goals.iter_mut().find(|f| f.goal == *goal) {
                Some(f) => f.assessment = *assessment,
                None => period.goals.push(GoalFollowUp { goal: *goal, assessment: *assessment, trend: None, comment: String::new() }),
            }
        }
        Resolved::AddCommitment(goal, t) => {
            let id = plan.next_id();
            plan.commitments.push(Commitment { id, goal: *goal, text: t.clone(), boards: Vec::new() });
            if let Some(period) = plan.periods.first_mut() {
                period.commitments.push(CommitmentFollowUp { commitment: id, status: Default::default(), completion: Some(10), comment: String::new() });
            }
        }
        Resolved::CommitmentText(id, t) => {
            if let Some(c) = plan.commitments.iter_mut().find(|c| c.id == *id) {
                c.text = t.clone();
            }
        }
        Resolved::RemoveCommitment(id) => {
            plan.commitments.retain(|c| c.id != *id);
            for period in &mut plan.periods {
                period.commitments.retain(|f| f.commitment != *id);
            }
        }
        Resolved::MoveCommitment(id, goal) => {
            if let Some(c) = plan.commitments.iter_mut().find(|c| c.id == *id) {
                c.goal = *goal;
            }
        }
    }
}

fn edited(base: &Plan, ops: &[Op], side: usize) -> (Plan, Vec<Resolved>) {
    let resolved: Vec<Resolved> = ops.iter().filter_map(|op| resolve(base, op, side)).collect();
    let mut plan = base.clone();
    resolved.iter().for_each(|op| apply(&mut plan, op));
    (plan, resolved)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn non_conflicting_edits_merge_to_both_applied(
        sample in 0..4usize,
        mine in prop::collection::vec(op(), 0..12),
        theirs in prop::collection::vec(op(), 0..12),
    ) {
        let base = &samples()[sample];
        let (ours, _) = edited(base, &mine, 0);
        let (theirs_plan, theirs_ops) = edited(base, &theirs, 1);
        // Both applied: mine first, then theirs on top (their new items take the next ids).
        let mut both = ours.clone();
        theirs_ops.iter().for_each(|op| apply(&mut both, op));

        let merged = merge(base, &ours, &theirs_plan).unwrap();
        prop_assert!(merged.plan.conflicts.is_empty(), "{:?}", merged.plan.conflicts);
        if merged.plan != both {
            let differences: Vec<String> = malplan::merge::diff(&both, &merged.plan)
                .unwrap()
                .iter()
                .map(|c| format!("{}: {}", c.place, c.text(&both, &merged.plan, malplan::i18n::Lang::Swedish)))
                .collect();
            prop_assert!(false, "merged differs from both applied:\n{}", differences.join("\n"));
        }
    }

    #[test]
    fn merging_a_version_with_itself_or_the_base_gives_that_version(
        sample in 0..4usize,
        ops in prop::collection::vec(op(), 0..16),
        side in 0..2usize,
    ) {
        let base = &samples()[sample];
        let (x, _) = edited(base, &ops, side);
        prop_assert_eq!(&merge(base, &x, &x).unwrap().plan, &x);
        prop_assert_eq!(&merge(base, base, &x).unwrap().plan, &x);
        prop_assert_eq!(&merge(base, &x, base).unwrap().plan, &x);
    }
}
