//! The plan as a tree of nodes (plan → goals → commitments and indicators), flattened into the
//! rows the navigation panel shows for the current expansion and filter. Pure logic: the app
//! caches the rows and rebuilds them only when the plan, the expansion or the filter changes.

use std::collections::{HashMap, HashSet};

use crate::model::{ItemId, Plan};

/// Something the planner can select.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum NodeRef {
    /// The plan itself (metadata and vision).
    Plan,
    Goal(ItemId),
    Commitment(ItemId),
    Indicator(ItemId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub node: NodeRef,
    pub depth: usize,
    pub has_children: bool,
    pub expanded: bool,
}

/// What the tree shows: text to search for and a board to limit to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Filter {
    pub text: String,
    pub board: Option<String>,
}

impl Filter {
    pub fn is_active(&self) -> bool {
        !self.text.trim().is_empty() || self.board.is_some()
    }
}

/// Parent → children, built once per plan revision.
#[derive(Debug, Default)]
pub struct Structure {
    goal_children: HashMap<Option<ItemId>, Vec<usize>>,
    commitments: HashMap<ItemId, Vec<usize>>,
    indicators: HashMap<ItemId, Vec<usize>>,
}

impl Structure {
    pub fn new(plan: &Plan) -> Self {
        let goal_ids: HashSet<ItemId> = plan.goals.iter().map(|g| g.id).collect();
        let mut goal_children: HashMap<Option<ItemId>, Vec<usize>> = HashMap::new();
        for (i, goal) in plan.goals.iter().enumerate() {
            // A goal whose parent is missing (an invalid plan) is shown at the top.
            let parent = goal.parent.filter(|p| goal_ids.contains(p) && *p != goal.id);
            goal_children.entry(parent).or_default().push(i);
        }
        let mut commitments: HashMap<ItemId, Vec<usize>> = HashMap::new();
        for (i, c) in plan.commitments.iter().enumerate() {
            commitments.entry(c.goal).or_default().push(i);
        }
        let mut indicators: HashMap<ItemId, Vec<usize>> = HashMap::new();
        for (i, ind) in plan.indicators.iter().enumerate() {
            indicators.entry(ind.goal).or_default().push(i);
        }
        Self {
            goal_children,
            commitments,
            indicators,
        }
    }

    pub fn child_goals(&self, parent: Option<ItemId>) -> &[usize] {
        self.goal_children.get(&parent).map_or(&[], Vec::as_slice)
    }

    pub fn commitments_of(&self, goal: ItemId) -> &[usize] {
        self.commitments.get(&goal).map_or(&[], Vec::as_slice)
    }

    pub fn indicators_of(&self, goal: ItemId) -> &[usize] {
        self.indicators.get(&goal).map_or(&[], Vec::as_slice)
    }

    /// Every goal below `goal` (not itself), in tree order.
    pub fn descendant_goals(&self, plan: &Plan, goal: ItemId) -> Vec<ItemId> {
        let mut out = Vec::new();
        let mut stack = vec![goal];
        let mut seen = HashSet::from([goal]);
        while let Some(id) = stack.pop() {
            for &child in self.child_goals(Some(id)).iter().rev() {
                let child_id = plan.goals[child].id;
                if seen.insert(child_id) {
                    out.push(child_id);
                    stack.push(child_id);
                }
            }
        }
        out
    }
}

/// The text a node is searched and shown by.
/// An indicator as the tree and the palette name it: "U00405) Sjukfrånvaro …".
pub fn indicator_text(indicator: &crate::model::Indicator) -> String {
    if indicator.code.is_empty() { indicator.name.clone() } else { format!("{}) {}", indicator.code, indicator.name) }
}

pub fn node_text(plan: &Plan, node: NodeRef) -> String {
    match node {
        NodeRef::Plan => plan.meta.title.clone(),
        NodeRef::Goal(id) => plan.goal(id).map(|g| g.title.clone()).unwrap_or_default(),
        NodeRef::Commitment(id) => plan
            .commitments
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.text.clone())
            .unwrap_or_default(),
        NodeRef::Indicator(id) => plan.indicators.iter().find(|i| i.id == id).map(indicator_text).unwrap_or_default(),
    }
}

/// The nodes expanded when a plan opens: the plan and its top-level goals.
pub fn default_expanded(plan: &Plan) -> HashSet<NodeRef> {
    let mut expanded = HashSet::from([NodeRef::Plan]);
    let ids: HashSet<ItemId> = plan.goals.iter().map(|g| g.id).collect();
    for goal in &plan.goals {
        if goal.parent.is_none_or(|p| !ids.contains(&p)) {
            expanded.insert(NodeRef::Goal(goal.id));
        }
    }
    expanded
}

/// The rows to show. Without a filter, only children of expanded nodes are shown. With a filter,
/// a node is shown when it or something below it matches, and everything leading to a match
/// is expanded.
/// Every goal's, indicator's and commitment's text in lower case, in the plan's order: made
/// once per plan revision, so typing in the tree's filter or the palette compares without
/// lower-casing thousands of texts on each keystroke.
#[derive(Debug, Default)]
pub struct LowerTexts {
    pub goals: Vec<String>,
    pub indicators: Vec<String>,
    pub commitments: Vec<String>,
}

impl LowerTexts {
    pub fn new(plan: &Plan) -> Self {
        Self {
            goals: plan.goals.iter().map(|g| g.title.to_lowercase()).collect(),
            indicators: plan.indicators.iter().map(|i| indicator_text(i).to_lowercase()).collect(),
            commitments: plan.commitments.iter().map(|c| c.text.to_lowercase()).collect(),
        }
    }

    /// Made for a plan with these lists (else the filter lower-cases as it goes).
    fn fits(&self, plan: &Plan) -> bool {
        self.goals.len() == plan.goals.len() && self.indicators.len() == plan.indicators.len() && self.commitments.len() == plan.commitments.len()
    }
}

pub fn visible_rows(plan: &Plan, structure: &Structure, expanded: &HashSet<NodeRef>, filter: &Filter) -> Vec<Row> {
    let texts = if filter.text.trim().is_empty() { LowerTexts::default() } else { LowerTexts::new(plan) };
    visible_rows_with(plan, structure, expanded, filter, &texts)
}

/// [`visible_rows`] with the plan's texts lower-cased beforehand (for this revision).
pub fn visible_rows_with(plan: &Plan, structure: &Structure, expanded: &HashSet<NodeRef>, filter: &Filter, texts: &LowerTexts) -> Vec<Row> {
    let needle = filter.text.trim().to_lowercase();
    let prepared = texts.fits(plan);
    let matches = |lower: Option<&String>, text: &dyn Fn() -> String| {
        needle.is_empty()
            || match lower {
                Some(lower) if prepared => lower.contains(&needle),
                _ => text().to_lowercase().contains(&needle),
            }
    };
    let goal_matches = |g: usize| matches(texts.goals.get(g), &|| plan.goals[g].title.clone());
    let indicator_matches = |i: usize| matches(texts.indicators.get(i), &|| indicator_text(&plan.indicators[i]));
    let commitment_matches = |i: usize| matches(texts.commitments.get(i), &|| plan.commitments[i].text.clone());
    let board = filter.board.as_deref();
    let active = filter.is_active();

    // Which goals contain a match (themselves or below), computed children-first.
    let mut goal_match: HashMap<ItemId, bool> = HashMap::new();
    if active {
        for (g, goal) in plan.goals_in_tree_order().into_iter().rev() {
            let own = goal_matches(g)
                && board.is_none_or(|b| goal.boards.iter().any(|g| g == b));
            let commitment_hit = structure.commitments_of(goal.id).iter().any(|&i| {
                let c = &plan.commitments[i];
                commitment_matches(i) && board.is_none_or(|b| c.boards.iter().any(|x| x == b))
            });
            let indicator_hit = board.is_none()
                && structure
                    .indicators_of(goal.id)
                    .iter()
                    .any(|&i| indicator_matches(i));
            let child_hit = structure
                .child_goals(Some(goal.id))
                .iter()
                .any(|&c| goal_match.get(&plan.goals[c].id).copied().unwrap_or(false));
            goal_match.insert(goal.id, own || commitment_hit || indicator_hit || child_hit);
        }
    }

    let mut rows = Vec::new();
    let plan_expanded = active || expanded.contains(&NodeRef::Plan);
    rows.push(Row {
        node: NodeRef::Plan,
        depth: 0,
        has_children: !plan.goals.is_empty(),
        expanded: plan_expanded,
    });
    if !plan_expanded {
        return rows;
    }
    // Depth-first over goals.
    let mut stack: Vec<(usize, usize)> = structure
        .child_goals(None)
        .iter()
        .rev()
        .map(|&g| (g, 1))
        .collect();
    let mut seen = HashSet::new();
    while let Some((g, depth)) = stack.pop() {
        let goal = &plan.goals[g];
        if !seen.insert(goal.id) || (active && !goal_match.get(&goal.id).copied().unwrap_or(false)) {
            continue;
        }
        let node = NodeRef::Goal(goal.id);
        let children = structure.child_goals(Some(goal.id));
        let commitments = structure.commitments_of(goal.id);
        let indicators = structure.indicators_of(goal.id);
        let has_children = !(children.is_empty() && commitments.is_empty() && indicators.is_empty());
        let is_expanded = has_children && (active || expanded.contains(&node));
        rows.push(Row {
            node,
            depth,
            has_children,
            expanded: is_expanded,
        });
        if !is_expanded {
            continue;
        }
        // A goal's own indicators and commitments come right after it, then its child goals.
        let mut leaf_rows = Vec::new();
        for &i in indicators {
            let ind = &plan.indicators[i];
            let id = NodeRef::Indicator(ind.id);
            let own_match = board.is_none() && indicator_matches(i);
            if !active || own_match || (board.is_none() && goal_matches(g)) {
                leaf_rows.push(Row { node: id, depth: depth + 1, has_children: false, expanded: false });
            }
        }
        for &i in commitments {
            let c = &plan.commitments[i];
            let own_match = commitment_matches(i) && board.is_none_or(|b| c.boards.iter().any(|x| x == b));
            if !active || own_match {
                leaf_rows.push(Row {
                    node: NodeRef::Commitment(c.id),
                    depth: depth + 1,
                    has_children: false,
                    expanded: false,
                });
            }
        }
        rows.extend(leaf_rows);
        for &c in children.iter().rev() {
            stack.push((c, depth + 1));
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    fn goal(id: u32, parent: Option<u32>, title: &str, boards: &[&str]) -> Goal {
        Goal {
            id: ItemId(id),
            level: if parent.is_none() { GoalLevel::Area } else { GoalLevel::BoardGoal },
            parent: parent.map(ItemId),
            title: title.into(),
            description: String::new(),
            focus: vec![],
            agenda2030: vec![],
            boards: boards.iter().map(|b| b.to_string()).collect(),
            precision: String::new(),
            schedule: vec![],
        }
    }

    fn plan() -> Plan {
        let mut plan = Plan::new("Askersunds kommun", "Nämndmål 2025", 2025, 2025);
        plan.goals = vec![
            goal(1, None, "En av Sveriges mest företagsvänliga kommuner", &[]),
            goal(2, Some(1), "Företagsklimat", &["KS"]),
            goal(3, None, "Finansiella mål", &[]),
            goal(4, Some(3), "Budget i balans", &["SBN"]),
        ];
        plan.commitments.push(Commitment {
            id: ItemId(10),
            goal: ItemId(2),
            text: "Ta fram en åtgärdsagenda".into(),
            boards: vec!["KS".into()],
        });
        plan
    }

    fn nodes(rows: &[Row]) -> Vec<NodeRef> {
        rows.iter().map(|r| r.node).collect()
    }

    #[test]
    fn all_rows_in_tree_order_when_everything_is_expanded() {
        let plan = plan();
        let all: HashSet<NodeRef> = std::iter::once(NodeRef::Plan)
            .chain(plan.goals.iter().map(|g| NodeRef::Goal(g.id)))
            .collect();
        let rows = visible_rows(&plan, &Structure::new(&plan), &all, &Filter::default());
        assert_eq!(
            nodes(&rows),
            vec![
                NodeRef::Plan,
                NodeRef::Goal(ItemId(1)),
                NodeRef::Goal(ItemId(2)),
                NodeRef::Commitment(ItemId(10)),
                NodeRef::Goal(ItemId(3)),
                NodeRef::Goal(ItemId(4)),
            ]
        );
        assert_eq!(rows[3].depth, 3);
    }

    #[test]
    fn collapsed_nodes_hide_their_children() {
        let plan = plan();
        let expanded = HashSet::from([NodeRef::Plan, NodeRef::Goal(ItemId(3))]);
        let rows = visible_rows(&plan, &Structure::new(&plan), &expanded, &Filter::default());
        assert_eq!(
            nodes(&rows),
            vec![NodeRef::Plan, NodeRef::Goal(ItemId(1)), NodeRef::Goal(ItemId(3)), NodeRef::Goal(ItemId(4))]
        );
        assert!(!rows[1].expanded && rows[1].has_children);
    }

    #[test]
    fn the_filter_gives_the_same_rows_with_texts_lowered_beforehand_or_as_it_goes() {
        let plan = crate::examples::default_plan();
        let structure = Structure::new(&plan);
        let texts = LowerTexts::new(&plan);
        for text in ["SJUK", "företag", "zzzz", "ö"] {
            let filter = Filter { text: text.into(), board: None };
            let with = visible_rows_with(&plan, &structure, &HashSet::new(), &filter, &texts);
            let without = visible_rows_with(&plan, &structure, &HashSet::new(), &filter, &LowerTexts::default());
            assert_eq!(nodes(&with), nodes(&without), "{text}");
        }
        let filter = Filter { text: "SJUK".into(), board: None };
        assert!(visible_rows(&plan, &structure, &HashSet::new(), &filter).len() > 2, "something matches");
    }

    #[test]
    fn text_filter_keeps_matches_and_their_ancestors() {
        let plan = plan();
        let filter = Filter { text: "ÅTGÄRDS".into(), board: None };
        let rows = visible_rows(&plan, &Structure::new(&plan), &HashSet::new(), &filter);
        assert_eq!(
            nodes(&rows),
            vec![NodeRef::Plan, NodeRef::Goal(ItemId(1)), NodeRef::Goal(ItemId(2)), NodeRef::Commitment(ItemId(10))]
        );
    }

    #[test]
    fn board_filter_shows_only_that_boards_items() {
        let plan = plan();
        let filter = Filter { text: String::new(), board: Some("SBN".into()) };
        let rows = visible_rows(&plan, &Structure::new(&plan), &HashSet::new(), &filter);
        assert!(rows[1].expanded, "filtering opens the way to matches");
        assert_eq!(nodes(&rows), vec![NodeRef::Plan, NodeRef::Goal(ItemId(3)), NodeRef::Goal(ItemId(4))]);
    }

    #[test]
    fn plan_and_top_level_goals_start_expanded() {
        let plan = plan();
        let expanded = default_expanded(&plan);
        assert!(expanded.contains(&NodeRef::Plan) && expanded.contains(&NodeRef::Goal(ItemId(3))));
        assert!(!expanded.contains(&NodeRef::Goal(ItemId(2))));
    }

    #[test]
    fn descendants_are_found_in_order() {
        let plan = plan();
        let s = Structure::new(&plan);
        assert_eq!(s.descendant_goals(&plan, ItemId(1)), vec![ItemId(2)]);
        assert!(s.descendant_goals(&plan, ItemId(2)).is_empty());
    }
}
