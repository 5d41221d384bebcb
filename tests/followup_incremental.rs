//! The follow-up cache updates after an edit instead of recomputing – and the updated results
//! must equal a full computation, after every kind of edit, undo and redo.

use malplan::edit::{Document, Edit};
use malplan::followup::{self, FollowUpCache, Selection};
use malplan::generate::{Scale, generate};
use malplan::model::{Assessment, CommitmentFollowUp, CommitmentStatus, GoalFollowUp, Plan, Trend};

/// A small deterministic generator, so a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// One random edit of the kinds the cache updates for, plus now and then a structural one.
fn random_edit(plan: &Plan, rng: &mut Lcg) -> Edit {
    let period = plan.periods.first().map(|p| p.id);
    match rng.below(10) {
        0..=3 => {
            // An outcome or target changed, added or removed.
            let mut indicator = plan.indicators[rng.below(plan.indicators.len())].clone();
            if let Some(series) = indicator.series.first_mut() {
                let year = plan.meta.first_year + rng.below(8) as i32;
                let values = if rng.below(2) == 0 { &mut series.outcomes } else { &mut series.targets };
                let value = (rng.below(3) > 0).then(|| rng.below(1000) as f64 / 10.0);
                malplan::model::set_value(values, year, value);
            }
            Edit::Indicator(indicator)
        }
        4 => {
            // The indicator moves to another goal.
            let mut indicator = plan.indicators[rng.below(plan.indicators.len())].clone();
            indicator.goal = plan.goals[rng.below(plan.goals.len())].id;
            Edit::Indicator(indicator)
        }
        5 | 6 if period.is_some() => {
            let goal = plan.goals[rng.below(plan.goals.len())].id;
            let assessment =
                [Assessment::Achieved, Assessment::Partly, Assessment::NotAchieved, Assessment::NotAssessed][rng.below(4)];
            let value = (rng.below(4) > 0).then(|| GoalFollowUp {
                goal,
                assessment,
                trend: Some(Trend::Better),
                comment: "Bedömt på nämndens möte".into(),
            });
            Edit::GoalFollowUp { period: period.unwrap(), goal, value, at: None }
        }
        7 | 8 if period.is_some() && !plan.commitments.is_empty() => {
            let commitment = plan.commitments[rng.below(plan.commitments.len())].id;
            let value = (rng.below(4) > 0).then(|| CommitmentFollowUp {
                commitment,
                status: [CommitmentStatus::Done, CommitmentStatus::Delayed, CommitmentStatus::InProgress][rng.below(3)],
                completion: Some(rng.below(101) as u8),
                comment: String::new(),
            });
            Edit::CommitmentFollowUp { period: period.unwrap(), commitment, value, at: None }
        }
        _ => {
            // A goal renamed (no structural change) or moved to another parent (structural).
            let mut goal = plan.goals[rng.below(plan.goals.len())].clone();
            goal.title.push('!');
            let other = &plan.goals[rng.below(plan.goals.len())];
            if rng.below(3) == 0 && other.level == goal.level {
                goal.parent = other.parent;
            }
            Edit::Goal(goal)
        }
    }
}

fn check_updates_equal_full_computation(plan: Plan, selection: Selection, rounds: usize) {
    let mut doc = Document::new(plan, None);
    let mut cache = FollowUpCache::default();
    let mut rng = Lcg(7);
    cache.get_with_changes(doc.plan(), doc.revision(), selection, |r| doc.changes_since(r));
    for round in 0..rounds {
        match rng.below(8) {
            0 => {
                doc.undo();
            }
            1 => {
                doc.redo();
            }
            _ => {
                let edit = random_edit(doc.plan(), &mut rng);
                doc.apply(edit).unwrap();
            }
        }
        let cached = cache.get_with_changes(doc.plan(), doc.revision(), selection, |r| doc.changes_since(r));
        let full = followup::compute(doc.plan(), selection);
        assert!(*cached == full, "round {round}: updated results differ from a full computation");
    }
    assert!(cache.updates as usize > rounds / 2, "only {} of {rounds} rounds were updates", cache.updates);
}

#[test]
fn updates_equal_full_computation_for_the_ks_report_period() {
    let plan = malplan::examples::default_plan();
    let period = Selection::Period(plan.periods[0].id);
    check_updates_equal_full_computation(plan, period, 300);
}

#[test]
fn updates_equal_full_computation_for_a_generated_plan() {
    let plan = generate(Scale::Small);
    let period = Selection::Period(plan.periods[0].id);
    check_updates_equal_full_computation(plan.clone(), period, 300);
    check_updates_equal_full_computation(plan, Selection::Year(2024), 100);
}

#[test]
fn structural_edits_and_old_revisions_compute_anew() {
    let plan = generate(Scale::Small);
    let mut doc = Document::new(plan, None);
    let before = doc.revision();
    let goal = doc.plan().goals[3].clone();
    doc.apply(Edit::RemoveGoal(goal.id)).unwrap();
    assert_eq!(doc.changes_since(before), None, "removing a goal changes the structure");
    doc.undo();
    let after_undo = doc.revision();
    let mut renamed = doc.plan().goals[3].clone();
    renamed.title = "Nytt namn".into();
    doc.apply(Edit::Goal(renamed)).unwrap();
    assert_eq!(doc.changes_since(after_undo), Some(Default::default()));
    assert_eq!(doc.changes_since(before), None, "the removal lies between");
    for _ in 0..70 {
        let indicator = doc.plan().indicators[0].clone();
        doc.apply(Edit::Indicator(indicator)).unwrap();
    }
    assert_eq!(doc.changes_since(after_undo), None, "older than the change log");
    let recent = doc.revision() - 2;
    assert_eq!(doc.changes_since(recent).unwrap().indicators.len(), 2);
}
