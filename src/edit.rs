//! The one path every change to a plan takes. An [`Edit`] is a small value that, applied to a
//! plan, returns its own inverse – so undo stores only the touched item, never a copy of the
//! whole plan – and [`Document`] records it, bumps the revision and tracks unsaved changes.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::budget::edit::{BudgetEdit, BudgetEditError};
use crate::budget::{Budget, MoneySettings};
use crate::economy::EconomicFollowUp;
use crate::followup::Changes;
use crate::model::{
    Board, Commitment, CommitmentFollowUp, FollowUpPeriod, Goal, GoalFollowUp, Indicator, ItemId,
    Plan, PlanMeta, Vision,
};

/// One reversible change.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    Meta(PlanMeta),
    Vision(Vision),
    /// Replaces the board register (small: a few dozen entries).
    Boards(Vec<Board>),
    InsertPeriod { index: usize, period: FollowUpPeriod },
    RemovePeriod(ItemId),
    /// Renames a period or changes its year and date.
    PeriodHeader { id: ItemId, name: String, year: i32, date: Option<String> },
    /// Replaces the goal with the same id.
    Goal(Goal),
    InsertGoal { index: usize, goal: Goal },
    RemoveGoal(ItemId),
    /// Moves a goal to `index` in the goal list (its parent is part of `Goal`).
    MoveGoal { id: ItemId, index: usize },
    Commitment(Commitment),
    InsertCommitment { index: usize, commitment: Commitment },
    RemoveCommitment(ItemId),
    MoveCommitment { id: ItemId, index: usize },
    Indicator(Indicator),
    InsertIndicator { index: usize, indicator: Indicator },
    RemoveIndicator(ItemId),
    MoveIndicator { id: ItemId, index: usize },
    /// Sets (or with `None` removes) a goal's follow-up in a period. A new entry goes to
    /// position `at` when given (so undoing a removal restores the order), else last.
    GoalFollowUp { period: ItemId, goal: ItemId, value: Option<GoalFollowUp>, at: Option<usize> },
    CommitmentFollowUp {
        period: ItemId,
        commitment: ItemId,
        value: Option<CommitmentFollowUp>,
        at: Option<usize>,
    },
    /// A change inside one board's budget (see [`BudgetEdit`]).
    Budget { budget: ItemId, edit: BudgetEdit },
    InsertBudget { index: usize, budget: Box<Budget> },
    RemoveBudget(ItemId),
    /// How amounts are shown (unit, decimals, sign convention).
    Money(MoneySettings),
    /// Replaces a board's economic follow-up in a period. A follow-up holds tens of rows, so
    /// every change to it – a cell, an explanation, a row – replaces it whole: undo is exact
    /// and costs a few kilobytes.
    Economy(Box<EconomicFollowUp>),
    InsertEconomy { index: usize, report: Box<EconomicFollowUp> },
    RemoveEconomy(ItemId),
    /// The plan's municipality and comparisons in Kolada.
    Kolada(crate::model::KoladaSettings),
    /// Closes a follow-up period with its record (`Some`) or reopens it (`None`).
    Closing { period: ItemId, record: Option<crate::closing::ClosedPeriod> },
    /// Replaces the board's document (title, header block, parts): small, so replaced whole.
    Document(Box<crate::document::BoardDocument>),
    /// Replaces the whole plan: a merge with a colleague's version, a merge conflict resolved.
    /// Undo gives back the plan as it was (a copy of it is kept in the undo step).
    Plan(Box<Plan>),
    /// Several edits as one undo step (applied in order, undone in reverse).
    Batch(Vec<Edit>),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("posten {0} finns inte längre")]
    Missing(ItemId),
    #[error("perioden {0} är fastställd: öppna den igen för att ändra dess uppföljning")]
    Closed(String),
    #[error(transparent)]
    Budget(#[from] BudgetEditError),
}

impl Edit {
    /// What this edit would change for the follow-up, judged against the plan before it is
    /// applied; `None` when the plan's structure may change (then everything is recomputed).
    pub fn follow_up_changes(&self, plan: &Plan) -> Option<Changes> {
        let mut changes = Changes::default();
        match self {
            // Texts and the board register do not enter the follow-up.
            // Nor does money (budgets have their own derived figures).
            Edit::Vision(_)
            | Edit::Boards(_)
            | Edit::Budget { .. }
            | Edit::InsertBudget { .. }
            | Edit::RemoveBudget(_)
            | Edit::Money(_)
            | Edit::Economy(_)
            | Edit::InsertEconomy { .. }
            | Edit::RemoveEconomy(_)
            | Edit::Kolada(_)
            | Edit::Document(_) => {}
            Edit::Plan(_) | Edit::Closing { .. } => return None,
            Edit::Goal(goal) => {
                if plan.goal(goal.id)?.parent != goal.parent {
                    return None;
                }
            }
            Edit::Commitment(commitment) => {
                if plan.commitment(commitment.id)?.goal != commitment.goal {
                    return None;
                }
            }
            Edit::Indicator(indicator) => changes.indicators.push(indicator.id),
            Edit::GoalFollowUp { period, goal, .. } => changes.goal_follow_ups.push((*period, *goal)),
            Edit::CommitmentFollowUp { period, commitment, .. } => {
                changes.commitment_follow_ups.push((*period, *commitment));
            }
            Edit::Batch(edits) => {
                for edit in edits {
                    changes.extend(edit.follow_up_changes(plan)?);
                }
            }
            _ => return None,
        }
        Some(changes)
    }

    /// Applies the edit and returns the edit that undoes it. On error the plan is unchanged.
    pub fn apply(self, plan: &mut Plan) -> Result<Edit, EditError> {
        // A closed period's own follow-up and economy are a record: refused until reopened.
        let locked = match &self {
            Edit::GoalFollowUp { period, .. } | Edit::CommitmentFollowUp { period, .. } | Edit::PeriodHeader { id: period, .. } => Some(*period),
            Edit::Economy(report) => Some(report.period),
            Edit::RemovePeriod(id) => Some(*id),
            _ => None,
        };
        if let Some(period) = locked.filter(|p| crate::closing::record(plan, *p).is_some()) {
            let name = plan.period(period).map_or_else(|| period.to_string(), |p| p.name.clone());
            return Err(EditError::Closed(name));
        }
        Ok(match self {
            Edit::Meta(meta) => Edit::Meta(std::mem::replace(&mut plan.meta, meta)),
            Edit::Vision(vision) => Edit::Vision(std::mem::replace(&mut plan.vision, vision)),
            Edit::Boards(boards) => Edit::Boards(std::mem::replace(&mut plan.boards, boards)),
            Edit::InsertPeriod { index, period } => Edit::RemovePeriod(insert(&mut plan.periods, index, period)),
            Edit::RemovePeriod(id) => {
                let (index, period) = remove(&mut plan.periods, id)?;
                Edit::InsertPeriod { index, period }
            }
            Edit::PeriodHeader { id, name, year, date } => {
                let period = find_mut(&mut plan.periods, id)?;
                Edit::PeriodHeader {
                    id,
                    name: std::mem::replace(&mut period.name, name),
                    year: std::mem::replace(&mut period.year, year),
                    date: std::mem::replace(&mut period.date, date),
                }
            }
            Edit::Goal(goal) => Edit::Goal(replace(&mut plan.goals, goal)?),
            Edit::InsertGoal { index, goal } => Edit::RemoveGoal(insert(&mut plan.goals, index, goal)),
            Edit::RemoveGoal(id) => {
                let (index, goal) = remove(&mut plan.goals, id)?;
                Edit::InsertGoal { index, goal }
            }
            Edit::MoveGoal { id, index } => Edit::MoveGoal { id, index: move_to(&mut plan.goals, id, index)? },
            Edit::Commitment(c) => Edit::Commitment(replace(&mut plan.commitments, c)?),
            Edit::InsertCommitment { index, commitment } => {
                Edit::RemoveCommitment(insert(&mut plan.commitments, index, commitment))
            }
            Edit::RemoveCommitment(id) => {
                let (index, commitment) = remove(&mut plan.commitments, id)?;
                Edit::InsertCommitment { index, commitment }
            }
            Edit::MoveCommitment { id, index } => Edit::MoveCommitment { id, index: move_to(&mut plan.commitments, id, index)? },
            Edit::Indicator(i) => {
                let old = replace(&mut plan.indicators, i)?;
                note_closed(plan, &old);
                Edit::Indicator(old)
            }
            Edit::InsertIndicator { index, indicator } => {
                crate::closing::note_presence(&mut plan.closed_periods, &indicator, true, index);
                Edit::RemoveIndicator(insert(&mut plan.indicators, index, indicator))
            }
            Edit::RemoveIndicator(id) => {
                let (index, indicator) = remove(&mut plan.indicators, id)?;
                crate::closing::note_presence(&mut plan.closed_periods, &indicator, false, index);
                Edit::InsertIndicator { index, indicator }
            }
            Edit::MoveIndicator { id, index } => Edit::MoveIndicator { id, index: move_to(&mut plan.indicators, id, index)? },
            Edit::GoalFollowUp {
                period,
                goal,
                value,
                at,
            } => {
                let period_entry = find_mut(&mut plan.periods, period)?;
                let (old, at) = set_in(&mut period_entry.goals, |f| f.goal == goal, value, at);
                Edit::GoalFollowUp {
                    period,
                    goal,
                    value: old,
                    at,
                }
            }
            Edit::CommitmentFollowUp {
                period,
                commitment,
                value,
                at,
            } => {
                let period_entry = find_mut(&mut plan.periods, period)?;
                let list = &mut period_entry.commitments;
                let (old, at) = set_in(list, |f| f.commitment == commitment, value, at);
                Edit::CommitmentFollowUp {
                    period,
                    commitment,
                    value: old,
                    at,
                }
            }
            Edit::Budget { budget, edit } => {
                let entry = find_mut(&mut plan.budgets, budget)?;
                Edit::Budget { budget, edit: edit.apply(entry)? }
            }
            Edit::InsertBudget { index, budget } => Edit::RemoveBudget(insert(&mut plan.budgets, index, *budget)),
            Edit::RemoveBudget(id) => {
                let (index, budget) = remove(&mut plan.budgets, id)?;
                Edit::InsertBudget { index, budget: Box::new(budget) }
            }
            Edit::Money(money) => Edit::Money(std::mem::replace(&mut plan.money, money)),
            Edit::Economy(report) => Edit::Economy(Box::new(replace(&mut plan.economy, *report)?)),
            Edit::InsertEconomy { index, report } => Edit::RemoveEconomy(insert(&mut plan.economy, index, *report)),
            Edit::RemoveEconomy(id) => {
                let (index, report) = remove(&mut plan.economy, id)?;
                Edit::InsertEconomy { index, report: Box::new(report) }
            }
            Edit::Kolada(settings) => Edit::Kolada(std::mem::replace(&mut plan.kolada, settings)),
            Edit::Plan(whole) => Edit::Plan(Box::new(std::mem::replace(plan, *whole))),
            Edit::Document(document) => Edit::Document(Box::new(std::mem::replace(&mut plan.document, *document))),
            Edit::Closing { period, record } => {
                if plan.period(period).is_none() {
                    return Err(EditError::Missing(period));
                }
                let at = plan.closed_periods.iter().position(|c| c.period == period);
                let old = at.map(|i| plan.closed_periods.remove(i));
                if let Some(record) = record {
                    plan.closed_periods.insert(at.unwrap_or(plan.closed_periods.len()), record);
                }
                Edit::Closing { period, record: old }
            }
            Edit::Batch(edits) if edits.len() >= INDEXED_BATCH && edits.iter().all(Edit::is_replacement) => {
                Edit::Batch(apply_replacements(edits, plan)?)
            }
            Edit::Batch(edits) => Edit::Batch(apply_all(edits, plan, Edit::apply)?),
        })
    }
}

/// From this many edits on, a batch of replacements finds its items through an index
/// instead of a search each (an import replaces thousands of indicators in one step).
const INDEXED_BATCH: usize = 32;

impl Edit {
    /// Replaces an item in place: positions in the lists do not move.
    fn is_replacement(&self) -> bool {
        matches!(self, Edit::Goal(_) | Edit::Commitment(_) | Edit::Indicator(_))
    }
}

/// Applies a batch of replacements (see [`Edit::is_replacement`]) with one index per list;
/// returns the inverses in undo order. On error the plan is unchanged.
fn apply_replacements(edits: Vec<Edit>, plan: &mut Plan) -> Result<Vec<Edit>, EditError> {
    fn index<T: Identified>(items: &[T]) -> HashMap<ItemId, usize> {
        items.iter().enumerate().map(|(i, item)| (item.item_id(), i)).collect()
    }
    fn swap<T: Identified>(items: &mut [T], index: &HashMap<ItemId, usize>, item: T) -> Result<T, EditError> {
        let at = *index.get(&item.item_id()).ok_or(EditError::Missing(item.item_id()))?;
        Ok(std::mem::replace(&mut items[at], item))
    }
    let goals = index(&plan.goals);
    let commitments = index(&plan.commitments);
    let indicators = index(&plan.indicators);
    apply_all(edits, plan, |edit, plan| match edit {
        Edit::Goal(goal) => swap(&mut plan.goals, &goals, goal).map(Edit::Goal),
        Edit::Commitment(c) => swap(&mut plan.commitments, &commitments, c).map(Edit::Commitment),
        Edit::Indicator(i) => swap(&mut plan.indicators, &indicators, i).map(|old| {
            note_closed(plan, &old);
            Edit::Indicator(old)
        }),
        other => other.apply(plan),
    })
}

/// After `old` was replaced: closed periods keep the values it had (see `closing`).
fn note_closed(plan: &mut Plan, old: &crate::model::Indicator) {
    if plan.closed_periods.is_empty() {
        return;
    }
    if let Some(new) = plan.indicators.iter().find(|i| i.id == old.id).cloned() {
        crate::closing::note_change(&mut plan.closed_periods, old, &new);
    }
}

/// Applies `edits` in order with `apply_one`; returns the inverses in undo order. On an error
/// what was applied is rolled back, so the plan is unchanged.
fn apply_all(
    edits: Vec<Edit>,
    plan: &mut Plan,
    mut apply_one: impl FnMut(Edit, &mut Plan) -> Result<Edit, EditError>,
) -> Result<Vec<Edit>, EditError> {
    let mut inverses = Vec::with_capacity(edits.len());
    for edit in edits {
        match apply_one(edit, plan) {
            Ok(inverse) => inverses.push(inverse),
            Err(error) => {
                for inverse in inverses.into_iter().rev() {
                    let _ = inverse.apply(plan);
                }
                return Err(error);
            }
        }
    }
    inverses.reverse();
    Ok(inverses)
}

/// Items that carry a stable id.
trait Identified {
    fn item_id(&self) -> ItemId;
}

macro_rules! identified {
    ($($t:ty),*) => {$(impl Identified for $t {
        fn item_id(&self) -> ItemId {
            self.id
        }
    })*};
}
identified!(Goal, Commitment, Indicator, FollowUpPeriod, Budget, EconomicFollowUp);

fn position<T: Identified>(items: &[T], id: ItemId) -> Result<usize, EditError> {
    items.iter().position(|item| item.item_id() == id).ok_or(EditError::Missing(id))
}

fn find_mut<T: Identified>(items: &mut [T], id: ItemId) -> Result<&mut T, EditError> {
    items.iter_mut().find(|item| item.item_id() == id).ok_or(EditError::Missing(id))
}

/// Replaces the item with the same id; returns the old one.
fn replace<T: Identified>(items: &mut [T], item: T) -> Result<T, EditError> {
    Ok(std::mem::replace(find_mut(items, item.item_id())?, item))
}

/// Inserts at `index` (clamped); returns the new item's id.
fn insert<T: Identified>(items: &mut Vec<T>, index: usize, item: T) -> ItemId {
    let id = item.item_id();
    items.insert(index.min(items.len()), item);
    id
}

/// Removes the item; returns where it stood and the item.
fn remove<T: Identified>(items: &mut Vec<T>, id: ItemId) -> Result<(usize, T), EditError> {
    let index = position(items, id)?;
    Ok((index, items.remove(index)))
}

/// Moves the item to `index`; returns where it stood.
fn move_to<T: Identified>(items: &mut Vec<T>, id: ItemId, index: usize) -> Result<usize, EditError> {
    let (from, item) = remove(items, id)?;
    insert(items, index, item);
    Ok(from)
}

/// Replaces, inserts (at `at`, else last) or removes the entry matching `is_it`. Returns the
/// old entry and, after a removal, where it stood – together the inverse.
fn set_in<T>(
    list: &mut Vec<T>,
    is_it: impl Fn(&T) -> bool,
    value: Option<T>,
    at: Option<usize>,
) -> (Option<T>, Option<usize>) {
    match (list.iter().position(is_it), value) {
        (Some(i), Some(value)) => (Some(std::mem::replace(&mut list[i], value)), None),
        (Some(i), None) => (Some(list.remove(i)), Some(i)),
        (None, Some(value)) => {
            list.insert(at.unwrap_or(list.len()).min(list.len()), value);
            (None, None)
        }
        (None, None) => (None, None),
    }
}

/// An edit applied to a copy of the plan off the UI thread: applying 170 000 imported values
/// and dropping the plan they replace take longer than a frame, swapping the result in does not.
#[derive(Debug)]
pub struct PreparedEdit {
    base_revision: u64,
    plan: Arc<Plan>,
    inverse: Edit,
    changes: Option<Changes>,
}

impl PreparedEdit {
    /// Applies `edit` to a copy of `base`, the document's plan at `base_revision`.
    pub fn new(base: &Plan, base_revision: u64, edit: Edit) -> Result<Self, EditError> {
        let changes = edit.follow_up_changes(base);
        let mut plan = base.clone();
        let inverse = edit.apply(&mut plan)?;
        Ok(Self { base_revision, plan: Arc::new(plan), inverse, changes })
    }

    /// The plan with the edit applied.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }
}

/// Which field an edit belongs to, so that typing in one field is one undo step.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MergeKey {
    pub item: Option<ItemId>,
    pub field: &'static str,
}

struct UndoEntry {
    inverse: Edit,
    /// The document state this entry restores.
    state: u64,
    merge: Option<MergeKey>,
}

/// The plan being worked on: the edit path, undo/redo, revision and unsaved-changes state.
pub struct Document {
    /// Shared so a background job (save, autosave, report) can read a snapshot while the
    /// planner goes on editing; an edit then copies the plan once (`Arc::make_mut`).
    plan: Arc<Plan>,
    pub path: Option<PathBuf>,
    undo: Vec<UndoEntry>,
    redo: Vec<UndoEntry>,
    /// Bumped on every change (edits, undo, redo): derived data is cached by it.
    revision: u64,
    /// Identifies the content: equal ids mean equal plans (so undoing back to the saved state
    /// clears the unsaved mark).
    state: u64,
    next_state: u64,
    saved_state: u64,
    /// While `true`, an edit with the same merge key joins the last undo step.
    merge_open: bool,
    /// What each recent revision changed for the follow-up (`None`: possibly anything), so
    /// derived results can be updated instead of recomputed.
    recent_changes: std::collections::VecDeque<(u64, Option<Changes>)>,
}

/// How many revisions of changes `Document::changes_since` remembers.
const CHANGE_LOG_LIMIT: usize = 64;

/// Undo keeps at most this many steps; the oldest are dropped.
const UNDO_LIMIT: usize = 1000;

impl Document {
    pub fn new(plan: Plan, path: Option<PathBuf>) -> Self {
        Self {
            plan: Arc::new(plan),
            path,
            undo: Vec::new(),
            redo: Vec::new(),
            revision: 0,
            state: 0,
            next_state: 1,
            saved_state: 0,
            merge_open: false,
            recent_changes: std::collections::VecDeque::new(),
        }
    }

    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// The plan as it is now, for a background job; costs a reference count, not a copy.
    pub fn snapshot(&self) -> Arc<Plan> {
        Arc::clone(&self.plan)
    }

    /// Identifies the content now (see [`Document::mark_saved_state`]).
    pub fn state(&self) -> u64 {
        self.state
    }

    /// Marks the content identified by `state` as the one on disk: a background save of a
    /// snapshot finished, possibly after further edits (which then stay unsaved).
    pub fn mark_saved_state(&mut self, state: u64) {
        self.saved_state = state;
        if state == self.state {
            self.merge_open = false;
        }
    }

    pub fn revision(&self) -> u64 {
        self.revision
    }

    pub fn is_dirty(&self) -> bool {
        self.state != self.saved_state
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Applies an edit as its own undo step.
    pub fn apply(&mut self, edit: Edit) -> Result<(), EditError> {
        self.apply_merging(edit, None)
    }

    /// Applies an edit; consecutive edits with the same `merge` key (typing in one field)
    /// become one undo step until [`Document::end_merge`] is called.
    pub fn apply_merging(&mut self, edit: Edit, merge: Option<MergeKey>) -> Result<(), EditError> {
        let changes = edit.follow_up_changes(&self.plan);
        let inverse = edit.apply(Arc::make_mut(&mut self.plan))?;
        self.push_step(inverse, changes, merge);
        Ok(())
    }

    /// Puts an edit prepared on a worker (see [`PreparedEdit`]) in place as its own undo step,
    /// in constant time. Returns the plan it replaced, for the caller to free where it costs no
    /// frame. Refused, handing the edit back, when the document changed since it was prepared.
    pub fn apply_prepared(&mut self, prepared: PreparedEdit) -> Result<Arc<Plan>, PreparedEdit> {
        if prepared.base_revision != self.revision {
            return Err(prepared);
        }
        let PreparedEdit { plan, inverse, changes, .. } = prepared;
        let old = std::mem::replace(&mut self.plan, plan);
        self.push_step(inverse, changes, None);
        Ok(old)
    }

    /// Records an applied edit: a new revision, and its inverse on the undo stack.
    fn push_step(&mut self, inverse: Edit, changes: Option<Changes>, merge: Option<MergeKey>) {
        self.record_revision(changes);
        self.redo.clear();
        let joins = self.merge_open
            && merge.is_some()
            && self.undo.last().is_some_and(|top| top.merge == merge);
        if !joins {
            self.undo.push(UndoEntry {
                inverse,
                state: self.state,
                merge: merge.clone(),
            });
            if self.undo.len() > UNDO_LIMIT {
                self.undo.remove(0);
            }
        }
        // The top entry's inverse still restores the state before the first keystroke.
        self.merge_open = merge.is_some();
        self.state = self.next_state;
        self.next_state += 1;
    }

    /// Closes the current typing step (the field lost focus).
    pub fn end_merge(&mut self) {
        self.merge_open = false;
    }

    pub fn undo(&mut self) -> bool {
        self.step(true)
    }

    pub fn redo(&mut self) -> bool {
        self.step(false)
    }

    /// Applies the top entry of the undo (or redo) stack and records its inverse on the other.
    fn step(&mut self, undo: bool) -> bool {
        self.merge_open = false;
        let (from, to) = if undo { (&mut self.undo, &mut self.redo) } else { (&mut self.redo, &mut self.undo) };
        let Some(entry) = from.pop() else { return false };
        let changes = entry.inverse.follow_up_changes(&self.plan);
        match entry.inverse.apply(Arc::make_mut(&mut self.plan)) {
            Ok(inverse) => {
                to.push(UndoEntry { inverse, state: self.state, merge: None });
                self.state = entry.state;
                self.record_revision(changes);
                true
            }
            Err(_) => false,
        }
    }

    fn record_revision(&mut self, changes: Option<Changes>) {
        self.revision += 1;
        self.recent_changes.push_back((self.revision, changes));
        if self.recent_changes.len() > CHANGE_LOG_LIMIT {
            self.recent_changes.pop_front();
        }
    }

    /// Everything that changed for the follow-up after `revision`, or `None` when that is not
    /// known (a structural change, or too long ago).
    pub fn changes_since(&self, revision: u64) -> Option<Changes> {
        if revision > self.revision {
            return None;
        }
        let mut changes = Changes::default();
        let mut expected = revision + 1;
        for (at, change) in self.recent_changes.iter().filter(|(at, _)| *at > revision) {
            if *at != expected {
                return None;
            }
            changes.extend(change.clone()?);
            expected += 1;
        }
        (expected == self.revision + 1).then_some(changes)
    }

    /// Marks the content as not saved (a plan restored from a recovery copy).
    pub fn mark_unsaved(&mut self) {
        self.saved_state = u64::MAX;
    }

    /// Marks the current content as saved (after a successful save).
    pub fn mark_saved(&mut self) {
        self.saved_state = self.state;
        self.merge_open = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{GoalLevel, Plan};

    fn goal(id: u32, title: &str) -> Goal {
        Goal {
            id: ItemId(id),
            level: GoalLevel::StrategicGoal,
            parent: None,
            title: title.into(),
            description: String::new(),
            focus: vec![],
            agenda2030: vec![],
            boards: vec![],
            precision: String::new(),
            schedule: vec![],
        }
    }

    fn document() -> Document {
        let mut plan = Plan::new("Eskilstuna kommun", "Strategisk inriktning 2024–2027", 2024, 2027);
        plan.goals.push(goal(1, "Stabil ekonomi"));
        plan.goals.push(goal(2, "Attraktiv arbetsgivare"));
        Document::new(plan, None)
    }

    #[test]
    fn undo_and_redo_restore_exactly() {
        let mut doc = document();
        let original = doc.plan().clone();
        doc.apply(Edit::Goal(goal(1, "Ökad utvecklingstakt"))).unwrap();
        doc.apply(Edit::RemoveGoal(ItemId(2))).unwrap();
        let edited = doc.plan().clone();
        assert!(doc.is_dirty());
        assert!(doc.undo() && doc.undo());
        assert_eq!(doc.plan(), &original);
        assert!(!doc.is_dirty(), "back at the saved state");
        assert!(doc.redo() && doc.redo());
        assert_eq!(doc.plan(), &edited);
        assert!(!doc.redo());
    }

    #[test]
    fn typing_in_one_field_is_one_undo_step() {
        let mut doc = document();
        let key = MergeKey {
            item: Some(ItemId(1)),
            field: "title",
        };
        for title in ["S", "St", "Sta", "Stabil"] {
            doc.apply_merging(Edit::Goal(goal(1, title)), Some(key.clone())).unwrap();
        }
        doc.end_merge();
        doc.apply_merging(Edit::Goal(goal(1, "Stabil!")), Some(key)).unwrap();
        assert!(doc.undo());
        assert_eq!(doc.plan().goals[0].title, "Stabil");
        assert!(doc.undo());
        assert_eq!(doc.plan().goals[0].title, "Stabil ekonomi");
        assert!(!doc.can_undo());
    }

    #[test]
    fn failed_batch_leaves_the_plan_unchanged() {
        let mut doc = document();
        let before = doc.plan().clone();
        let result = doc.apply(Edit::Batch(vec![
            Edit::RemoveGoal(ItemId(1)),
            Edit::RemoveGoal(ItemId(99)),
        ]));
        assert_eq!(result, Err(EditError::Missing(ItemId(99))));
        assert_eq!(doc.plan(), &before);
        assert!(!doc.is_dirty());
    }

    /// A plan with `n` goals, for batches long enough to take the indexed path.
    fn document_with_goals(n: u32) -> Document {
        let mut plan = Plan::new("Eskilstuna kommun", "t", 2024, 2027);
        plan.goals.extend((1..=n).map(|i| goal(i, &format!("Mål {i}"))));
        Document::new(plan, None)
    }

    #[test]
    fn a_long_batch_of_replacements_applies_and_undoes_like_single_edits() {
        let mut doc = document_with_goals(100);
        let original = doc.plan().clone();
        // Every other goal renamed, goal 7 twice (the later edit wins, undo restores the first).
        let mut edits: Vec<Edit> = (1..=100).step_by(2).map(|i| Edit::Goal(goal(i, &format!("Nytt {i}")))).collect();
        edits.push(Edit::Goal(goal(7, "Sist")));
        assert!(edits.len() >= INDEXED_BATCH);
        let mut one_by_one = original.clone();
        for edit in edits.clone() {
            edit.apply(&mut one_by_one).unwrap();
        }
        doc.apply(Edit::Batch(edits)).unwrap();
        assert_eq!(doc.plan(), &one_by_one);
        assert_eq!(doc.plan().goals[6].title, "Sist");
        assert!(doc.undo());
        assert_eq!(doc.plan(), &original);
    }

    #[test]
    fn a_long_batch_with_a_missing_item_leaves_the_plan_unchanged() {
        let mut doc = document_with_goals(100);
        let before = doc.plan().clone();
        let mut edits: Vec<Edit> = (1..=60).map(|i| Edit::Goal(goal(i, "x"))).collect();
        edits.push(Edit::Goal(goal(999, "finns inte")));
        assert_eq!(doc.apply(Edit::Batch(edits)), Err(EditError::Missing(ItemId(999))));
        assert_eq!(doc.plan(), &before);
        assert!(!doc.is_dirty());
    }

    #[test]
    fn a_prepared_edit_is_one_undo_step_and_refused_when_the_document_moved_on() {
        let mut doc = document();
        let original = doc.plan().clone();
        let prepared = PreparedEdit::new(doc.plan(), doc.revision(), Edit::Goal(goal(1, "Förberedd"))).unwrap();
        assert_eq!(prepared.plan().goals[0].title, "Förberedd");
        let old = doc.apply_prepared(prepared).unwrap();
        assert_eq!(*old, original);
        assert_eq!(doc.plan().goals[0].title, "Förberedd");
        assert!(doc.is_dirty());
        assert_eq!(doc.changes_since(doc.revision() - 1).map(|c| c.is_empty()), Some(true), "a title is no follow-up change");
        assert!(doc.undo());
        assert_eq!(doc.plan(), &original);

        let stale = PreparedEdit::new(doc.plan(), doc.revision(), Edit::Goal(goal(1, "För sent"))).unwrap();
        doc.apply(Edit::Goal(goal(2, "Under tiden"))).unwrap();
        assert!(doc.apply_prepared(stale).is_err());
        assert_eq!(doc.plan().goals[0].title, "Stabil ekonomi");
    }

    #[test]
    fn saving_clears_dirty_and_new_edits_clear_redo() {
        let mut doc = document();
        doc.apply(Edit::MoveGoal { id: ItemId(2), index: 0 }).unwrap();
        assert_eq!(doc.plan().goals[0].id, ItemId(2));
        doc.mark_saved();
        assert!(!doc.is_dirty());
        doc.undo();
        assert!(doc.is_dirty(), "undoing past the save is a change");
        doc.apply(Edit::Goal(goal(1, "x"))).unwrap();
        assert!(!doc.can_redo());
    }
}
