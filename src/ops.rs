//! What the planner means, as edits: add a child or a sibling, move, delete with what goes
//! with it, re-parent by drag and drop, find by text. Plain functions of the plan that return
//! an [`Intent`] (the edit plus where the selection goes); the shell sends the edit through the
//! document's one edit path. No egui here: tested directly.

use std::collections::HashSet;

use crate::edit::Edit;
use crate::i18n::Lang;
use crate::model::{
    Commitment, Goal, GoalLevel, Indicator, IndicatorKind, ItemId, Plan, Series, SeriesKind, Thresholds, Unit,
};
use crate::outline::{self, NodeRef, Structure};

/// An edit and what the view should do after it.
#[derive(Debug, Clone, PartialEq)]
pub struct Intent {
    pub edit: Edit,
    /// The node to select once the edit is applied.
    pub select: Option<NodeRef>,
    /// A node to open in the tree so the result is visible.
    pub expand: Option<NodeRef>,
}

/// Why a move was refused, in words for the status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveRefused {
    BelowItself,
}

impl MoveRefused {
    pub fn text(self, lang: Lang) -> &'static str {
        match self {
            MoveRefused::BelowItself => lang.t("Ett mål kan inte flyttas in under sig självt.", "A goal cannot move below itself."),
        }
    }
}

/// A new plan with the given organisation-less title, running four years from `year`.
pub fn new_plan(lang: Lang, year: i32) -> Plan {
    Plan::new("", lang.t("Ny plan", "New plan"), year, year + 3)
}

/// A child of the selection: an area under the plan, a strategic goal under an area, a board
/// goal under a strategic goal, a commitment under a board goal; beside a leaf its sibling.
pub fn add_child(plan: &Plan, selected: NodeRef, lang: Lang) -> Option<Intent> {
    match selected {
        NodeRef::Plan => Some(add_goal(plan, None, GoalLevel::Area, None, lang)),
        NodeRef::Goal(id) => {
            let goal = plan.goal(id)?;
            Some(match goal.level {
                GoalLevel::Area => add_goal(plan, Some(id), GoalLevel::StrategicGoal, None, lang),
                GoalLevel::StrategicGoal => add_goal(plan, Some(id), GoalLevel::BoardGoal, None, lang),
                GoalLevel::BoardGoal => add_commitment(plan, id, None, lang),
            })
        }
        NodeRef::Commitment(_) | NodeRef::Indicator(_) => add_sibling(plan, selected, lang),
    }
}

/// A new item on the selection's level, right after it.
pub fn add_sibling(plan: &Plan, selected: NodeRef, lang: Lang) -> Option<Intent> {
    match selected {
        NodeRef::Plan => Some(add_goal(plan, None, GoalLevel::Area, None, lang)),
        NodeRef::Goal(id) => {
            let index = plan.goals.iter().position(|g| g.id == id)?;
            let goal = &plan.goals[index];
            Some(add_goal(plan, goal.parent, goal.level, Some(index + 1), lang))
        }
        NodeRef::Commitment(id) => {
            let index = plan.commitments.iter().position(|c| c.id == id)?;
            Some(add_commitment(plan, plan.commitments[index].goal, Some(index + 1), lang))
        }
        NodeRef::Indicator(id) => {
            let goal = plan.indicator(id)?.goal;
            Some(add_indicator(plan, goal, lang))
        }
    }
}

pub fn add_goal(plan: &Plan, parent: Option<ItemId>, level: GoalLevel, index: Option<usize>, lang: Lang) -> Intent {
    let id = plan.next_id();
    // A new board goal belongs to the plan's own board until the planner says otherwise.
    let boards = match (level, &plan.meta.owner_board) {
        (GoalLevel::BoardGoal, Some(owner)) => vec![owner.clone()],
        _ => Vec::new(),
    };
    let goal = Goal {
        id,
        level,
        parent,
        title: format!("{} ({})", lang.level(level), lang.t("ny", "new")),
        description: String::new(),
        focus: Vec::new(),
        agenda2030: Vec::new(),
        boards,
        precision: String::new(),
        schedule: Vec::new(),
    };
    Intent {
        edit: Edit::InsertGoal { index: index.unwrap_or(plan.goals.len()), goal },
        select: Some(NodeRef::Goal(id)),
        expand: parent.map(NodeRef::Goal),
    }
}

pub fn add_commitment(plan: &Plan, goal: ItemId, index: Option<usize>, lang: Lang) -> Intent {
    let id = plan.next_id();
    let commitment = Commitment {
        id,
        goal,
        text: lang.t("Nytt åtagande", "New commitment").into(),
        boards: plan.goal(goal).map(|g| g.boards.clone()).unwrap_or_default(),
    };
    Intent {
        edit: Edit::InsertCommitment { index: index.unwrap_or(plan.commitments.len()), commitment },
        select: Some(NodeRef::Commitment(id)),
        expand: Some(NodeRef::Goal(goal)),
    }
}

pub fn add_indicator(plan: &Plan, goal: ItemId, lang: Lang) -> Intent {
    let id = plan.next_id();
    let indicator = Indicator {
        id,
        goal,
        code: String::new(),
        name: lang.t("Ny indikator", "New indicator").into(),
        description: String::new(),
        kind: IndicatorKind::Organisation,
        unit: Unit::Percent,
        decimals: 1,
        direction: Default::default(),
        kolada: None,
        kolada_unit: None,
        thresholds: Thresholds::default(),
        series: vec![Series { name: "Totalt".into(), kind: SeriesKind::Total, ..Series::default() }],
    };
    Intent {
        edit: Edit::InsertIndicator { index: plan.indicators.len(), indicator },
        select: Some(NodeRef::Indicator(id)),
        expand: Some(NodeRef::Goal(goal)),
    }
}

/// The goals, commitments and indicators that go when a node is deleted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Deleted {
    pub goals: Vec<ItemId>,
    pub commitments: Vec<ItemId>,
    pub indicators: Vec<ItemId>,
}

pub fn deleted_with(plan: &Plan, node: NodeRef) -> Deleted {
    match node {
        NodeRef::Goal(id) => {
            let mut goals = vec![id];
            goals.extend(Structure::new(plan).descendant_goals(plan, id));
            let set: HashSet<ItemId> = goals.iter().copied().collect();
            Deleted {
                commitments: plan.commitments.iter().filter(|c| set.contains(&c.goal)).map(|c| c.id).collect(),
                indicators: plan.indicators.iter().filter(|i| set.contains(&i.goal)).map(|i| i.id).collect(),
                goals,
            }
        }
        NodeRef::Commitment(id) => Deleted { commitments: vec![id], ..Deleted::default() },
        NodeRef::Indicator(id) => Deleted { indicators: vec![id], ..Deleted::default() },
        NodeRef::Plan => Deleted::default(),
    }
}

/// The question before deleting: 'Ta bort "Ekonomi" tillsammans med 2 åtaganden?'
pub fn delete_question(plan: &Plan, node: NodeRef, lang: Lang) -> String {
    let deleted = deleted_with(plan, node);
    let mut with = Vec::new();
    if deleted.goals.len() > 1 {
        with.push(format!("{} {}", deleted.goals.len() - 1, lang.t("underliggande mål", "goals below it")));
    }
    if !deleted.commitments.is_empty() && !matches!(node, NodeRef::Commitment(_)) {
        with.push(format!("{} {}", deleted.commitments.len(), lang.t("åtaganden", "commitments")));
    }
    if !deleted.indicators.is_empty() && !matches!(node, NodeRef::Indicator(_)) {
        with.push(format!("{} {}", deleted.indicators.len(), lang.t("indikatorer", "indicators")));
    }
    let mut text = format!("{} \"{}\"", lang.t("Ta bort", "Delete"), outline::node_text(plan, node));
    if !with.is_empty() {
        text.push_str(&format!(" {} {}", lang.t("tillsammans med", "together with"), with.join(", ")));
    }
    text.push('?');
    text
}

/// One undo step that deletes a node with everything under it and their follow-ups.
pub fn delete(plan: &Plan, node: NodeRef) -> Option<Edit> {
    let Deleted { goals, commitments, indicators } = deleted_with(plan, node);
    let mut edits = Vec::new();
    // Follow-ups first, then leaves, then goals from the bottom up, so undo rebuilds in order.
    for period in &plan.periods {
        for f in period.goals.iter().filter(|f| goals.contains(&f.goal)) {
            edits.push(Edit::GoalFollowUp { period: period.id, goal: f.goal, value: None, at: None });
        }
        for f in period.commitments.iter().filter(|f| commitments.contains(&f.commitment)) {
            edits.push(Edit::CommitmentFollowUp { period: period.id, commitment: f.commitment, value: None, at: None });
        }
    }
    edits.extend(commitments.into_iter().map(Edit::RemoveCommitment));
    edits.extend(indicators.into_iter().map(Edit::RemoveIndicator));
    edits.extend(goals.into_iter().rev().map(Edit::RemoveGoal));
    (!edits.is_empty()).then_some(Edit::Batch(edits))
}

/// Swaps a node with its previous (`step` < 0) or next sibling.
pub fn move_among_siblings(plan: &Plan, node: NodeRef, step: i32) -> Option<Edit> {
    match node {
        NodeRef::Goal(id) => {
            let from = plan.goals.iter().position(|g| g.id == id)?;
            let parent = plan.goals[from].parent;
            neighbour_index(&plan.goals, from, step, |g| g.parent == parent).map(|index| Edit::MoveGoal { id, index })
        }
        NodeRef::Commitment(id) => {
            let from = plan.commitments.iter().position(|c| c.id == id)?;
            let goal = plan.commitments[from].goal;
            neighbour_index(&plan.commitments, from, step, |c| c.goal == goal).map(|index| Edit::MoveCommitment { id, index })
        }
        NodeRef::Indicator(id) => {
            let from = plan.indicators.iter().position(|i| i.id == id)?;
            let goal = plan.indicators[from].goal;
            neighbour_index(&plan.indicators, from, step, |i| i.goal == goal).map(|index| Edit::MoveIndicator { id, index })
        }
        NodeRef::Plan => None,
    }
}

/// The index to move an item to so it swaps with its previous (`step` < 0) or next sibling.
fn neighbour_index<T>(items: &[T], from: usize, step: i32, sibling: impl Fn(&T) -> bool) -> Option<usize> {
    if step < 0 {
        items[..from].iter().rposition(&sibling)
    } else {
        items[from + 1..].iter().position(&sibling).map(|i| from + 1 + i)
    }
}

/// Drag and drop: `node` under `new_parent` (a goal, or the plan for the top level).
/// `Ok(None)` when nothing would change or the drop target cannot take it.
pub fn move_to(plan: &Plan, node: NodeRef, new_parent: NodeRef) -> Result<Option<Intent>, MoveRefused> {
    let target = match new_parent {
        NodeRef::Goal(id) => Some(id),
        NodeRef::Plan => None,
        _ => return Ok(None),
    };
    let edit = match node {
        NodeRef::Goal(id) => {
            let mut below = Structure::new(plan).descendant_goals(plan, id);
            below.push(id);
            if target.is_some_and(|t| below.contains(&t)) {
                return Err(MoveRefused::BelowItself);
            }
            let Some(goal) = plan.goal(id) else { return Ok(None) };
            if goal.parent == target {
                return Ok(None);
            }
            Edit::Goal(Goal { parent: target, ..goal.clone() })
        }
        NodeRef::Commitment(id) => {
            let (Some(target), Some(c)) = (target, plan.commitment(id)) else { return Ok(None) };
            if c.goal == target {
                return Ok(None);
            }
            Edit::Commitment(Commitment { goal: target, ..c.clone() })
        }
        NodeRef::Indicator(id) => {
            let (Some(target), Some(i)) = (target, plan.indicator(id)) else { return Ok(None) };
            if i.goal == target {
                return Ok(None);
            }
            Edit::Indicator(Indicator { goal: target, ..i.clone() })
        }
        NodeRef::Plan => return Ok(None),
    };
    Ok(Some(Intent { edit, select: Some(node), expand: target.map(NodeRef::Goal) }))
}

/// Whether a node is still in the plan (after an undo, say).
pub fn node_exists(plan: &Plan, node: NodeRef) -> bool {
    match node {
        NodeRef::Plan => true,
        NodeRef::Goal(id) => plan.goal(id).is_some(),
        NodeRef::Commitment(id) => plan.commitment(id).is_some(),
        NodeRef::Indicator(id) => plan.indicator(id).is_some(),
    }
}

/// The first goal, commitment or indicator whose text contains `text` (any case).
pub fn find_by_text(plan: &Plan, text: &str) -> Option<NodeRef> {
    let needle = text.to_lowercase();
    plan.goals
        .iter()
        .map(|g| NodeRef::Goal(g.id))
        .chain(plan.commitments.iter().map(|c| NodeRef::Commitment(c.id)))
        .chain(plan.indicators.iter().map(|i| NodeRef::Indicator(i.id)))
        .find(|node| outline::node_text(plan, *node).to_lowercase().contains(&needle))
}

/// The goals above a node, nearest first (cycle-safe), to open the way to it in the tree.
pub fn ancestors(plan: &Plan, node: NodeRef) -> Vec<ItemId> {
    let mut goal = match node {
        NodeRef::Goal(id) => plan.goal(id).and_then(|g| g.parent),
        NodeRef::Commitment(id) => plan.commitment(id).map(|c| c.goal),
        NodeRef::Indicator(id) => plan.indicator(id).map(|i| i.goal),
        NodeRef::Plan => None,
    };
    let mut found = Vec::new();
    while let Some(id) = goal {
        if found.contains(&id) {
            break;
        }
        found.push(id);
        goal = plan.goal(id).and_then(|g| g.parent);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ks() -> Plan {
        crate::storage::parse_str(
            crate::examples::SAMPLE_PLANS.iter().find(|(n, _)| n.contains("ks-delar2")).unwrap().1,
            "ks.ron",
        )
        .unwrap()
    }

    fn goal_named(plan: &Plan, title: &str) -> ItemId {
        plan.goals.iter().find(|g| g.title == title).unwrap().id
    }

    fn applied(plan: &Plan, edit: Edit) -> Plan {
        let mut plan = plan.clone();
        edit.apply(&mut plan).unwrap();
        plan
    }

    #[test]
    fn a_child_is_one_level_down_and_a_board_goal_gets_commitments() {
        let plan = ks();
        let area = plan.goals.iter().find(|g| g.level == GoalLevel::Area).unwrap().id;
        let intent = add_child(&plan, NodeRef::Goal(area), Lang::Swedish).unwrap();
        let Edit::InsertGoal { goal, .. } = &intent.edit else { panic!("{intent:?}") };
        assert_eq!((goal.level, goal.parent), (GoalLevel::StrategicGoal, Some(area)));
        assert_eq!(intent.select, Some(NodeRef::Goal(goal.id)));
        assert_eq!(intent.expand, Some(NodeRef::Goal(area)));
        assert!(plan.goal(goal.id).is_none(), "a fresh id");

        let mut with_board_goal = plan.clone();
        let board_goal = add_goal(&plan, Some(area), GoalLevel::BoardGoal, None, Lang::English);
        board_goal.edit.clone().apply(&mut with_board_goal).unwrap();
        let NodeRef::Goal(board_goal_id) = board_goal.select.unwrap() else { panic!() };
        let child = add_child(&with_board_goal, NodeRef::Goal(board_goal_id), Lang::English).unwrap();
        let Edit::InsertCommitment { commitment, .. } = child.edit else { panic!() };
        assert_eq!((commitment.goal, commitment.text.as_str()), (board_goal_id, "New commitment"));
    }

    #[test]
    fn a_sibling_goes_right_after_the_selection() {
        let plan = ks();
        let first = plan.commitments[0].clone();
        let intent = add_sibling(&plan, NodeRef::Commitment(first.id), Lang::Swedish).unwrap();
        let after = applied(&plan, intent.edit);
        assert_eq!(after.commitments[1].goal, first.goal);
        assert_eq!(after.commitments[1].text, "Nytt åtagande");
    }

    #[test]
    fn deleting_a_goal_takes_its_subtree_and_follow_ups_in_one_step() {
        let plan = ks();
        let medarbetare = goal_named(&plan, "Medarbetare");
        let deleted = deleted_with(&plan, NodeRef::Goal(medarbetare));
        assert!(deleted.goals.len() > 1 && !deleted.indicators.is_empty());
        let question = delete_question(&plan, NodeRef::Goal(medarbetare), Lang::Swedish);
        assert!(question.starts_with("Ta bort \"Medarbetare\" tillsammans med"), "{question}");
        assert!(question.contains("indikatorer"), "{question}");
        let edit = delete(&plan, NodeRef::Goal(medarbetare)).unwrap();
        let mut after = plan.clone();
        let inverse = edit.apply(&mut after).unwrap();
        assert!(after.goal(medarbetare).is_none());
        assert!(deleted.indicators.iter().all(|id| after.indicator(*id).is_none()));
        assert!(after.periods.iter().all(|p| p.goal_follow_up(medarbetare).is_none()));
        inverse.apply(&mut after).unwrap();
        assert_eq!(after, plan, "undo restores the plan exactly");
        assert_eq!(delete(&plan, NodeRef::Plan), None);
    }

    #[test]
    fn moving_swaps_with_siblings_only() {
        let plan = ks();
        let areas: Vec<ItemId> = plan.goals.iter().filter(|g| g.parent.is_none()).map(|g| g.id).collect();
        let after = applied(&plan, move_among_siblings(&plan, NodeRef::Goal(areas[0]), 1).unwrap());
        let order: Vec<ItemId> = after.goals.iter().filter(|g| g.parent.is_none()).map(|g| g.id).collect();
        assert_eq!((order[0], order[1]), (areas[1], areas[0]));
        assert_eq!(move_among_siblings(&plan, NodeRef::Goal(areas[0]), -1), None, "first stays first");
    }

    #[test]
    fn re_parenting_refuses_a_goal_below_itself() {
        let plan = ks();
        let medarbetare = goal_named(&plan, "Medarbetare");
        let parent = plan.goal(medarbetare).unwrap().parent.unwrap();
        assert_eq!(move_to(&plan, NodeRef::Goal(parent), NodeRef::Goal(medarbetare)), Err(MoveRefused::BelowItself));
        assert_eq!(move_to(&plan, NodeRef::Goal(medarbetare), NodeRef::Goal(parent)), Ok(None), "already there");
        let ekonomi = goal_named(&plan, "Ekonomi");
        let intent = move_to(&plan, NodeRef::Goal(medarbetare), NodeRef::Goal(ekonomi)).unwrap().unwrap();
        assert_eq!(applied(&plan, intent.edit).goal(medarbetare).unwrap().parent, Some(ekonomi));
        let indicator = plan.indicators[0].id;
        assert_eq!(move_to(&plan, NodeRef::Indicator(indicator), NodeRef::Plan), Ok(None), "indicators need a goal");
    }

    #[test]
    fn find_by_text_and_the_way_to_it() {
        let plan = ks();
        let found = find_by_text(&plan, "SJUKFRÅNVARO").unwrap();
        let NodeRef::Indicator(id) = found else { panic!("{found:?}") };
        let way = ancestors(&plan, found);
        assert_eq!(way[0], plan.indicator(id).unwrap().goal);
        assert!(plan.goal(*way.last().unwrap()).unwrap().parent.is_none(), "up to the top");
        assert_eq!(find_by_text(&plan, "finns inte någonstans"), None);
        assert!(node_exists(&plan, found));
        assert!(!node_exists(&plan, NodeRef::Goal(ItemId(999_999))));
    }
}
