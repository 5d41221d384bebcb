//! What every panel gets: a read-only view of the plan and its derived data, and an outbox for
//! commands. Panels own their local state (`&mut self`) and never reach into the shell.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::command::{Action, ActionState, Command, EditCommand, View};
use crate::edit::{Edit, MergeKey};
use crate::followup::{FollowUp, Selection};
use crate::i18n::Lang;
use crate::model::{CommitmentStatus, ItemId, Plan};
use crate::outline::{NodeRef, Row, Structure};
use crate::report::overview::Overview;
use crate::validate::Problem;

/// Derived data, computed once per revision before drawing (see `app::derived`).
#[derive(Clone, Copy)]
pub struct DerivedView<'a> {
    pub follow_up: &'a FollowUp,
    pub structure: &'a Structure,
    /// The tree's visible rows for the current expansion and filter.
    pub rows: &'a [Row],
    /// Each commitment's status in the selected period.
    pub commitment_statuses: &'a HashMap<ItemId, CommitmentStatus>,
    /// The *Lägesbild* (only while it is shown).
    pub overview: Option<&'a Overview>,
    /// The whole-plan indicator list's order (only while it is shown).
    pub list_rows: &'a [usize],
    pub problems: &'a [Problem],
    /// Per goal, the selected period's economic follow-ups that link it.
    pub economy_notes: &'a HashMap<ItemId, Vec<crate::report::overview::EconomyNote>>,
}

pub struct ViewCtx<'a> {
    pub plan: &'a Plan,
    pub derived: DerivedView<'a>,
    pub lang: Lang,
    pub selected: NodeRef,
    pub period: Selection,
    pub view: View,
    /// What actions are enabled by (undo/redo, a selection, a running job, theme, language).
    pub actions: ActionState,
    pub dirty: bool,
    /// The plan's revision: panels key their own caches by it.
    pub revision: u64,
    pub status_line: &'a str,
    pub recent_files: &'a [PathBuf],
    out: &'a mut Vec<Command>,
}

impl<'a> ViewCtx<'a> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        plan: &'a Plan,
        derived: DerivedView<'a>,
        lang: Lang,
        selected: NodeRef,
        period: Selection,
        view: View,
        actions: ActionState,
        dirty: bool,
        revision: u64,
        status_line: &'a str,
        recent_files: &'a [PathBuf],
        out: &'a mut Vec<Command>,
    ) -> Self {
        Self { plan, derived, lang, selected, period, view, actions, dirty, revision, status_line, recent_files, out }
    }

    pub fn follow_up(&self) -> &'a FollowUp {
        self.derived.follow_up
    }

    /// Sends a command; the shell carries it out after the frame.
    pub fn send(&mut self, command: impl Into<Command>) {
        self.out.push(command.into());
    }

    /// Sends an edit through the document's one edit path.
    pub fn edit(&mut self, edit: Edit, merge: Option<MergeKey>) {
        self.send(EditCommand::Apply { edit, merge });
    }

    /// Runs an action of the catalogue if it is enabled now.
    pub fn run(&mut self, action: Action) {
        if action.enabled(&self.actions) {
            let command = action.command(&self.actions);
            self.send(command);
        }
    }

    /// The follow-up period's name, or "År 2022".
    pub fn selection_text(&self, selection: Selection) -> String {
        match selection {
            Selection::Period(id) => self.plan.period(id).map_or_else(|| "?".to_owned(), |p| p.name.clone()),
            Selection::Year(year) => format!("{} {year}", self.lang.t("År", "Year")),
        }
    }

    /// The follow-up period selected, when it is a period (not a bare year).
    pub fn period_id(&self) -> Option<ItemId> {
        match self.period {
            Selection::Period(id) => Some(id),
            Selection::Year(_) => None,
        }
    }
}

/// A context over `plan` with its derived data computed on the spot, for driving one panel
/// alone in a test or a tool (the app keeps these cached instead).
pub struct StandaloneDerived {
    pub follow_up: FollowUp,
    pub structure: Structure,
    pub rows: Vec<Row>,
    pub statuses: HashMap<ItemId, CommitmentStatus>,
    pub problems: Vec<Problem>,
    pub economy_notes: HashMap<ItemId, Vec<crate::report::overview::EconomyNote>>,
}

impl StandaloneDerived {
    pub fn new(plan: &Plan, period: Selection) -> Self {
        let structure = Structure::new(plan);
        let rows = crate::outline::visible_rows(plan, &structure, &crate::outline::default_expanded(plan), &Default::default());
        let statuses = match period {
            Selection::Period(id) => plan
                .period(id)
                .map(|p| p.commitments.iter().map(|c| (c.commitment, c.status)).collect())
                .unwrap_or_default(),
            Selection::Year(_) => HashMap::new(),
        };
        Self {
            follow_up: crate::followup::compute(plan, period),
            structure,
            rows,
            statuses,
            problems: crate::validate::validate(plan),
            economy_notes: match period {
                Selection::Period(id) => {
                    let reports: Vec<_> = plan.economy.iter().filter(|r| r.period == id).collect();
                    crate::report::overview::notes_for_goals(plan, &reports)
                }
                Selection::Year(_) => HashMap::new(),
            },
        }
    }

    pub fn view(&self) -> DerivedView<'_> {
        DerivedView {
            follow_up: &self.follow_up,
            structure: &self.structure,
            rows: &self.rows,
            commitment_statuses: &self.statuses,
            overview: None,
            list_rows: &[],
            problems: &self.problems,
            economy_notes: &self.economy_notes,
        }
    }
}
