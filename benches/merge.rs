//! Merging and comparing the large plan: a three-way merge of two edited copies and a
//! comparison of two versions, each against loading the plan once, measured interleaved in one
//! run (round by round, so a noisy machine slows all alike).

use std::time::Instant;

use malplan::generate::{Scale, generate};
use malplan::model::{Commitment, Plan};

/// One planner's day: titles of every `step`-th goal from `offset`, outcomes of every
/// `step`-th indicator, and new commitments (ids as the app gives them: the next free one).
fn edited(base: &Plan, offset: usize, step: usize, new_commitments: usize, who: &str) -> Plan {
    let mut plan = base.clone();
    for goal in plan.goals.iter_mut().skip(offset).step_by(step) {
        goal.title.push_str(&format!(" ({who})"));
    }
    for indicator in plan.indicators.iter_mut().skip(offset).step_by(step) {
        if let Some(series) = indicator.series.first_mut() {
            let year = series.outcomes.last().map_or(2024, |(y, _)| y + 1);
            malplan::model::set_value(&mut series.outcomes, year, Some(offset as f64 + 0.5));
        }
    }
    let goal = plan.goals[offset].id;
    for n in 0..new_commitments {
        let id = plan.next_id();
        plan.commitments.push(Commitment { id, goal, text: format!("{who} {n}"), boards: Vec::new() });
    }
    plan
}

fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let base = generate(Scale::Large);
    let text = malplan::storage::to_ron_string(&base).unwrap();
    let ours = edited(&base, 0, 50, 20, "min");
    let theirs = edited(&base, 1, 50, 20, "deras");
    let rounds = 7;
    let (mut load, mut merge, mut diff) = (Vec::new(), Vec::new(), Vec::new());
    let mut outcome = None;
    let mut changes = 0;
    for _ in 0..rounds {
        let started = Instant::now();
        std::hint::black_box(malplan::storage::parse_str(&text, "large.ron").unwrap());
        load.push(started.elapsed().as_secs_f64() * 1000.0);
        let started = Instant::now();
        outcome = Some(malplan::merge::merge(&base, &ours, &theirs).unwrap());
        merge.push(started.elapsed().as_secs_f64() * 1000.0);
        let started = Instant::now();
        changes = malplan::merge::diff(&base, &ours).unwrap().len();
        diff.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let merged = outcome.expect("merged");
    assert!(merged.is_clean(), "the two copies edit different items");
    let (load, merge, diff) = (median(load), median(merge), median(diff));
    println!(
        "large plan ({} goals, {} indicators, {:.1} MB of RON), median of {rounds} interleaved rounds:",
        base.goals.len(),
        base.indicators.len(),
        text.len() as f64 / 1e6
    );
    println!("  load once                 {load:8.1} ms  1.00x");
    println!(
        "  merge two edited copies   {merge:8.1} ms  {:.2}x  ({} renumbered, 0 conflicts)",
        merge / load,
        merged.renumbered.len()
    );
    println!("  diff of two versions      {diff:8.1} ms  {:.2}x  ({changes} changes)", diff / load);
}
