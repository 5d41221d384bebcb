use std::collections::HashSet;

use super::*;
use crate::model::{Assessment, Commitment, CommitmentFollowUp, GoalFollowUp};

fn base() -> Plan {
    crate::examples::default_plan()
}

fn board_goal(plan: &Plan, nth: usize) -> ItemId {
    plan.goals.iter().filter(|g| g.level == crate::model::GoalLevel::BoardGoal).nth(nth).expect("board goal").id
}

/// An indicator with a Total series and an outcome, and that outcome's last year.
fn measured(plan: &Plan) -> (usize, usize, i32) {
    for (i, indicator) in plan.indicators.iter().enumerate() {
        if let Some(s) = indicator.series.iter().position(|s| !s.outcomes.is_empty()) {
            return (i, s, indicator.series[s].outcomes.last().unwrap().0);
        }
    }
    panic!("no indicator with outcomes")
}

fn set_assessment(plan: &mut Plan, goal: ItemId, assessment: Assessment) {
    let period = &mut plan.periods[0];
    match period.goals.iter_mut().find(|f| f.goal == goal) {
        Some(f) => f.assessment = assessment,
        None => period.goals.push(GoalFollowUp { goal, assessment, trend: None, comment: String::new() }),
    }
}

#[test]
fn every_sample_goes_through_the_tree_unchanged() {
    for (name, text) in crate::examples::SAMPLE_PLANS {
        let plan = crate::storage::parse_str(text, name).unwrap();
        assert_eq!(from_tree(to_tree(&plan).unwrap()).unwrap(), plan, "{name}");
        let merged = merge(&plan, &plan, &plan).unwrap();
        assert_eq!(merged.plan, plan, "{name}");
        assert!(diff(&plan, &plan).unwrap().is_empty());
    }
}

#[test]
fn changes_to_different_fields_and_items_merge_silently() {
    let base = base();
    let (a, b) = (board_goal(&base, 0), board_goal(&base, 1));
    let mut ours = base.clone();
    let mut theirs = base.clone();
    ours.goals.iter_mut().find(|g| g.id == a).unwrap().title = "Min rubrik".into();
    theirs.goals.iter_mut().find(|g| g.id == a).unwrap().description = "Deras beskrivning".into();
    set_assessment(&mut theirs, b, Assessment::Achieved);
    theirs.meta.title = "Deras titel".into();

    let merged = merge(&base, &ours, &theirs).unwrap();
    assert!(merged.is_clean(), "{:?}", merged.plan.conflicts);
    let goal = merged.plan.goal(a).unwrap();
    assert_eq!(goal.title, "Min rubrik");
    assert_eq!(goal.description, "Deras beskrivning");
    assert_eq!(merged.plan.periods[0].goal_follow_up(b).unwrap().assessment, Assessment::Achieved);
    assert_eq!(merged.plan.meta.title, "Deras titel");
}

#[test]
fn the_same_field_changed_twice_is_a_conflict_in_planner_words_resolved_by_choice() {
    let base = base();
    let goal = board_goal(&base, 0);
    let mut ours = base.clone();
    let mut theirs = base.clone();
    set_assessment(&mut ours, goal, Assessment::Partly);
    set_assessment(&mut theirs, goal, Assessment::Achieved);

    let merged = merge(&base, &ours, &theirs).unwrap();
    assert_eq!(merged.new_conflicts, 1);
    let conflict = &merged.plan.conflicts[0];
    let title = &base.goal(goal).unwrap().title;
    assert_eq!(conflict.what, format!("Mål {title}, {}: bedömning", base.periods[0].name));
    assert_eq!((conflict.mine.as_str(), conflict.theirs.as_str()), ("delvis", "uppnår"));
    // The plan holds mine until the planner chooses.
    assert_eq!(merged.plan.periods[0].goal_follow_up(goal).unwrap().assessment, Assessment::Partly);
    assert_eq!(conflict_item(conflict), Some(goal));

    // The conflicted plan is a valid file: written, read back, still carrying the conflict.
    let text = crate::storage::to_ron_string(&merged.plan).unwrap();
    let read = crate::storage::parse_str(&text, "merged.ron").unwrap();
    assert_eq!(read, merged.plan);
    assert!(crate::validate::validate(&read).iter().any(|p| p.message.contains("uppnår")));

    let theirs_taken = resolve(&read, 0, Choice::Theirs).unwrap();
    assert!(theirs_taken.conflicts.is_empty());
    assert_eq!(theirs_taken.periods[0].goal_follow_up(goal).unwrap().assessment, Assessment::Achieved);
    let mine_kept = resolve(&read, 0, Choice::Mine).unwrap();
    assert!(mine_kept.conflicts.is_empty());
    assert_eq!(mine_kept.periods[0].goal_follow_up(goal).unwrap().assessment, Assessment::Partly);
    assert!(resolve(&mine_kept, 0, Choice::Mine).is_err());
}

#[test]
fn series_merge_year_by_year() {
    let base = base();
    let (i, s, year) = measured(&base);
    let mut ours = base.clone();
    let mut theirs = base.clone();
    crate::model::set_value(&mut ours.indicators[i].series[s].outcomes, year + 1, Some(1.8));
    crate::model::set_value(&mut theirs.indicators[i].series[s].outcomes, year + 2, Some(2.5));
    crate::model::set_value(&mut theirs.indicators[i].series[s].targets, year + 3, Some(9.0));
    let merged = merge(&base, &ours, &theirs).unwrap();
    assert!(merged.is_clean());
    let series = &merged.plan.indicators[i].series[s];
    assert_eq!(series.outcome(year + 1), Some(1.8));
    assert_eq!(series.outcome(year + 2), Some(2.5));
    assert_eq!(series.target(year + 3), Some(9.0));

    // The same year, two values: one conflict for that year only.
    crate::model::set_value(&mut theirs.indicators[i].series[s].outcomes, year + 1, Some(1.7));
    let merged = merge(&base, &ours, &theirs).unwrap();
    assert_eq!(merged.plan.conflicts.len(), 1);
    let conflict = &merged.plan.conflicts[0];
    let indicator = &base.indicators[i];
    assert_eq!(conflict.what, format!("{}, {}, utfall {}", indicator.name, indicator.series[s].name, year + 1));
    assert_eq!((conflict.mine.as_str(), conflict.theirs.as_str()), ("1,8", "1,7"));
    assert_eq!(merged.plan.indicators[i].series[s].outcome(year + 2), Some(2.5), "the other year still merged");
    let resolved = resolve(&merged.plan, 0, Choice::Theirs).unwrap();
    assert_eq!(resolved.indicators[i].series[s].outcome(year + 1), Some(1.7));
    assert_eq!(resolved.indicators[i].series[s].outcome(year + 2), Some(2.5));
}

fn add_commitment(plan: &mut Plan, goal: ItemId, text: &str) -> ItemId {
    let id = plan.next_id();
    plan.commitments.push(Commitment { id, goal, text: text.into(), boards: vec!["KS".into()] });
    plan.periods[0].commitments.push(CommitmentFollowUp {
        commitment: id,
        status: crate::model::CommitmentStatus::InProgress,
        completion: Some(40),
        comment: String::new(),
    });
    id
}

#[test]
fn items_added_on_both_sides_with_the_same_id_are_renumbered_with_their_references() {
    let base = base();
    let goal = board_goal(&base, 0);
    let mut ours = base.clone();
    let mut theirs = base.clone();
    let mine = add_commitment(&mut ours, goal, "Mitt åtagande");
    let theirs_id = add_commitment(&mut theirs, goal, "Deras åtagande");
    let theirs_second = add_commitment(&mut theirs, goal, "Deras andra");
    assert_eq!(mine, theirs_id, "both took the next free id");

    let merged = merge(&base, &ours, &theirs).unwrap();
    assert!(merged.is_clean(), "{:?}", merged.plan.conflicts);
    assert_eq!(merged.renumbered, vec![(theirs_id, ItemId(mine.0 + 1)), (theirs_second, ItemId(mine.0 + 2))]);
    let texts: Vec<(&str, ItemId)> = merged.plan.commitments.iter().rev().take(3).map(|c| (c.text.as_str(), c.id)).collect();
    assert_eq!(texts, vec![("Deras andra", ItemId(mine.0 + 2)), ("Deras åtagande", ItemId(mine.0 + 1)), ("Mitt åtagande", mine)]);
    // The follow-up entries moved with their commitment.
    let follow_ups: Vec<ItemId> = merged.plan.periods[0].commitments.iter().rev().take(3).map(|f| f.commitment).collect();
    assert_eq!(follow_ups, vec![ItemId(mine.0 + 2), ItemId(mine.0 + 1), mine]);
    assert!(crate::validate::validate(&merged.plan).is_empty(), "{:?}", crate::validate::validate(&merged.plan));
}

#[test]
fn a_deleted_item_the_other_side_changed_is_a_conflict_theirs_restores_it() {
    let base = base();
    let victim = base.commitments[0].clone();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    let mut tree = to_tree(&ours).unwrap();
    tree::remove_with_dependents(&mut tree, &HashSet::from([u64::from(victim.id.0)]));
    ours = from_tree(tree).unwrap();
    assert!(ours.periods.iter().all(|p| p.commitments.iter().all(|f| f.commitment != victim.id)));
    theirs.commitments[0].text = "Omformulerat".into();
    let merged = merge(&base, &ours, &theirs).unwrap();
    assert_eq!(merged.plan.conflicts.len(), 1);
    assert!(merged.plan.commitment(victim.id).is_none(), "mine (deleted) holds until chosen");
    assert_eq!(merged.plan.conflicts[0].mine, "borttagen");
    let restored = resolve(&merged.plan, 0, Choice::Theirs).unwrap();
    assert_eq!(restored.commitment(victim.id).unwrap().text, "Omformulerat");
}

#[test]
fn list_order_from_one_side_is_kept_with_the_others_additions() {
    let base = base();
    let goal = board_goal(&base, 2);
    let mut ours = base.clone();
    let mut theirs = base.clone();
    // Mine moves the first goal last; theirs adds a commitment.
    let first = ours.goals.remove(0);
    ours.goals.push(first);
    add_commitment(&mut theirs, goal, "Nytt");
    let merged = merge(&base, &ours, &theirs).unwrap();
    assert!(merged.is_clean());
    assert_eq!(merged.plan.goals, ours.goals);
    assert_eq!(merged.plan.commitments, theirs.commitments);
    // And the other way round: theirs' move, mine's addition.
    let merged = merge(&base, &theirs, &ours).unwrap();
    assert_eq!(merged.plan.goals, ours.goals);
}

#[test]
fn changes_read_in_planner_words() {
    let before = base();
    let goal = board_goal(&before, 0);
    let (i, s, year) = measured(&before);
    let mut after = before.clone();
    set_assessment(&mut after, goal, Assessment::Achieved);
    let old = before.indicators[i].series[s].outcome(year).unwrap();
    crate::model::set_value(&mut after.indicators[i].series[s].outcomes, year, Some(old + 0.5));
    let target_goal = board_goal(&before, 3);
    after.commitments[0].goal = target_goal;
    after.goals.retain(|g| g.id != board_goal(&before, 5));
    let added = add_commitment(&mut after, goal, "Ett nytt åtagande");

    let changes = diff(&before, &after).unwrap();
    let texts: Vec<String> = changes.iter().map(|c| c.text(&before, &after, Lang::Swedish)).collect();
    let joined = texts.join("\n");
    let old_assessment = before.periods[0].goal_follow_up(goal).map(|f| f.assessment).unwrap_or_default();
    let title = &before.goal(goal).unwrap().title;
    assert!(
        joined.contains(&format!(
            "Mål {title}, {}: bedömning {} → uppnår",
            before.periods[0].name,
            Lang::Swedish.assessment_lower(old_assessment)
        )) || before.periods[0].goal_follow_up(goal).is_none(),
        "{joined}"
    );
    let indicator = &before.indicators[i];
    let number = |v: f64| format!("{v}").replace('.', ",");
    assert!(
        joined.contains(&format!("{}, {}, utfall {year}: {} → {}", indicator.name, indicator.series[s].name, number(old), number(old + 0.5))),
        "{joined}"
    );
    let moved_to = &before.goal(target_goal).unwrap().title;
    assert!(joined.contains(&format!("flyttat till Mål {moved_to}")), "{joined}");
    assert!(joined.contains("Borttaget: Mål"), "{joined}");
    assert!(joined.contains("Nytt: Åtagande «Ett nytt åtagande»"), "{joined}");
    assert!(changes.iter().any(|c| c.place.ids().next() == Some(added.0)));
    let english: Vec<String> = changes.iter().map(|c| c.text(&before, &after, Lang::English)).collect();
    assert!(english.iter().any(|t| t.starts_with("Added: Commitment")), "{english:?}");
}

#[test]
fn fact_lines_list_every_value() {
    let plan = base();
    let lines = fact_lines(&plan, Lang::Swedish).unwrap();
    let (i, s, year) = measured(&plan);
    let indicator = &plan.indicators[i];
    let prefix = format!("{}, {}, utfall {year}: ", indicator.name, indicator.series[s].name);
    assert!(lines.iter().any(|l| l.starts_with(&prefix)), "{prefix}");
    assert!(lines.iter().any(|l| l.starts_with("Planen: rubrik: «")));
    assert!(lines.len() > plan.goals.len() * 2);
}

/// Removes a goal the way the app does: with its children, commitments, indicators and
/// follow-up entries.
fn remove_goal(plan: &mut Plan, goal: ItemId) {
    let mut tree = to_tree(plan).unwrap();
    tree::remove_with_dependents(&mut tree, &HashSet::from([u64::from(goal.0)]));
    *plan = from_tree(tree).unwrap();
}

#[test]
fn a_goal_removed_on_one_side_that_the_other_side_added_to_comes_back_as_a_conflict() {
    let base = base();
    let goal = board_goal(&base, 0);
    let mut ours = base.clone();
    let mut theirs = base.clone();
    remove_goal(&mut ours, goal);
    assert!(ours.goal(goal).is_none());
    assert!(ours.commitments.iter().all(|c| c.goal != goal));
    let added = add_commitment(&mut theirs, goal, "Deras nya åtagande under målet");

    let merged = merge(&base, &ours, &theirs).unwrap();
    // Nothing dangles: the goal is back until the planner chooses.
    assert!(crate::validate::validate(&merged.plan).iter().all(|p| p.item.starts_with("konflikt")), "{:?}", crate::validate::validate(&merged.plan));
    assert!(merged.plan.goal(goal).is_some());
    assert!(merged.plan.commitment(added).is_some());
    assert_eq!(merged.plan.conflicts.len(), 1, "{:?}", merged.plan.conflicts);
    let conflict = &merged.plan.conflicts[0];
    assert_eq!(conflict.mine, "borttagen");
    assert!(conflict.what.contains("borttaget i en version"), "{}", conflict.what);
    assert_eq!(current_text(&merged.plan, conflict, Lang::Swedish), "borttagen");

    // Mine: the goal goes again, and the commitment added under it with it.
    let mine = resolve(&merged.plan, 0, Choice::Mine).unwrap();
    assert!(mine.goal(goal).is_none() && mine.commitment(added).is_none());
    assert!(mine.periods.iter().all(|p| p.commitments.iter().all(|f| f.commitment != added)));
    assert!(crate::validate::validate(&mine).is_empty(), "{:?}", crate::validate::validate(&mine));
    // Theirs: both stay.
    let theirs_taken = resolve(&merged.plan, 0, Choice::Theirs).unwrap();
    assert!(theirs_taken.goal(goal).is_some() && theirs_taken.commitment(added).is_some());
    assert!(crate::validate::validate(&theirs_taken).is_empty());

    // The other way round: theirs removed it, mine added under it – mine holds in the plan.
    let merged = merge(&base, &theirs, &ours).unwrap();
    assert_eq!(merged.plan.conflicts.len(), 1);
    assert!(merged.plan.conflicts[0].mine_value.is_none());
    assert_eq!(merged.plan.conflicts[0].theirs, "borttagen");
    let removed = resolve(&merged.plan, 0, Choice::Theirs).unwrap();
    assert!(removed.goal(goal).is_none() && removed.commitment(added).is_none());
}

#[test]
fn a_conflict_says_where_it_is_edited() {
    let base = base();
    let place = |mine: &dyn Fn(&mut Plan), theirs: &dyn Fn(&mut Plan)| {
        let (mut a, mut b) = (base.clone(), base.clone());
        mine(&mut a);
        theirs(&mut b);
        let merged = merge(&base, &a, &b).unwrap().plan;
        assert_eq!(merged.conflicts.len(), 1, "{:?}", merged.conflicts);
        conflict_place(&merged.conflicts[0])
    };
    assert_eq!(place(&|p| p.meta.title = "Min".into(), &|p| p.meta.title = "Deras".into()), ConflictPlace::Plan);
    assert_eq!(place(&|p| p.document.title = "Min".into(), &|p| p.document.title = "Deras".into()), ConflictPlace::Document);
    let goal = board_goal(&base, 0);
    assert_eq!(
        place(&|p| set_assessment(p, goal, Assessment::Achieved), &|p| set_assessment(p, goal, Assessment::NotAchieved)),
        ConflictPlace::Item(goal),
        "a follow-up's conflict is edited at its goal"
    );
}
