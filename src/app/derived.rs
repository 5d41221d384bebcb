//! Data derived from the plan – follow-up, structure, tree rows, commitment statuses, the
//! *Lägesbild*, the indicator list's order, the problem list – refreshed once per frame before
//! drawing, each keyed by what it depends on, so panels only read it.

use std::collections::HashMap;
use std::sync::Arc;

use crate::command::View;
use crate::edit::Document;
use crate::followup::{FollowUp, FollowUpCache, Selection};
use crate::model::{CommitmentStatus, ItemId};
use crate::outline::{self, Filter, Row, Structure};
use crate::report::overview::Overview;
use crate::ui::ctx::DerivedView;
use crate::ui::indicator_list::{ListState, ordered_rows};
use crate::validate::Problem;

/// What the derived data depends on besides the document.
pub struct Inputs<'a> {
    pub period: Selection,
    pub expanded: &'a std::collections::HashSet<crate::outline::NodeRef>,
    pub expanded_version: u64,
    pub filter: &'a Filter,
    pub view: View,
    pub list_state: &'a ListState,
    pub overview_board: Option<&'a str>,
}

type Keyed<K, V> = Option<(K, Arc<V>)>;

#[derive(Default)]
pub struct Derived {
    follow_up_cache: FollowUpCache,
    follow_up: Option<Arc<FollowUp>>,
    structure: Keyed<u64, Structure>,
    rows: Keyed<(u64, u64, Filter), Vec<Row>>,
    /// The plan's texts in lower case, while the tree is filtered by text.
    lower_texts: Keyed<u64, outline::LowerTexts>,
    statuses: Keyed<(u64, Selection), HashMap<ItemId, CommitmentStatus>>,
    overview: Keyed<(u64, Selection, Option<String>), Overview>,
    list: Keyed<(u64, Selection, ListState), Vec<usize>>,
    /// Per goal, the period's economic follow-ups that link it (their headline).
    economy_notes: Keyed<(u64, Selection), HashMap<ItemId, Vec<crate::report::overview::EconomyNote>>>,
    problems: Arc<Vec<Problem>>,
    /// The revision the problem list was made for.
    problems_revision: Option<u64>,
    /// How many times anything was rebuilt (for tests: a frame without changes rebuilds nothing).
    pub rebuilds: u64,
}

fn fresh<K: PartialEq, V>(slot: &Keyed<K, V>, key: &K) -> bool {
    slot.as_ref().is_some_and(|(k, _)| k == key)
}

impl Derived {
    /// Brings everything the current view needs up to date with the document.
    pub fn refresh(&mut self, doc: &Document, inputs: &Inputs) {
        let plan = doc.plan();
        let revision = doc.revision();
        // Let go of our handle first so an incremental update changes the result in place
        // instead of copying it.
        self.follow_up = None;
        let follow_up = self
            .follow_up_cache
            .get_with_changes(plan, revision, inputs.period, |since| doc.changes_since(since));
        self.follow_up = Some(Arc::clone(&follow_up));

        if !fresh(&self.structure, &revision) {
            self.structure = Some((revision, Arc::new(Structure::new(plan))));
            self.rebuilds += 1;
        }
        let structure = self.structure.as_ref().map(|(_, s)| Arc::clone(s)).unwrap_or_default();

        let rows_key = (revision, inputs.expanded_version, inputs.filter.clone());
        if !fresh(&self.rows, &rows_key) {
            if inputs.filter.text.trim().is_empty() {
                self.lower_texts = None;
            } else if !fresh(&self.lower_texts, &revision) {
                self.lower_texts = Some((revision, Arc::new(outline::LowerTexts::new(plan))));
            }
            let no_texts = outline::LowerTexts::default();
            let texts = self.lower_texts.as_ref().map_or(&no_texts, |(_, t)| t.as_ref());
            let rows = outline::visible_rows_with(plan, &structure, inputs.expanded, inputs.filter, texts);
            self.rows = Some((rows_key, Arc::new(rows)));
            self.rebuilds += 1;
        }

        let statuses_key = (revision, inputs.period);
        if !fresh(&self.statuses, &statuses_key) {
            let map = match inputs.period {
                Selection::Period(id) => plan
                    .period(id)
                    .map(|p| p.commitments.iter().map(|c| (c.commitment, c.status)).collect())
                    .unwrap_or_default(),
                Selection::Year(_) => HashMap::new(),
            };
            self.statuses = Some((statuses_key, Arc::new(map)));
            self.rebuilds += 1;
        }

        let economy_key = (revision, inputs.period);
        if !fresh(&self.economy_notes, &economy_key) {
            let reports: Vec<&crate::economy::EconomicFollowUp> = match inputs.period {
                Selection::Period(id) => plan.economy.iter().filter(|r| r.period == id).collect(),
                Selection::Year(_) => Vec::new(),
            };
            let notes = crate::report::overview::notes_for_goals(plan, &reports);
            self.economy_notes = Some((economy_key, Arc::new(notes)));
            self.rebuilds += 1;
        }

        if inputs.view == View::Overview {
            let key = (revision, inputs.period, inputs.overview_board.map(str::to_owned));
            if !fresh(&self.overview, &key) {
                // A closed period shows the record it was closed with, as its report prints it.
                let overview = match crate::report::as_selected(plan, inputs.period) {
                    Some(closed) => {
                        let closed_follow_up = crate::followup::compute(&closed, inputs.period);
                        crate::report::overview::build(&closed, &closed_follow_up, inputs.overview_board)
                    }
                    None => crate::report::overview::build(plan, &follow_up, inputs.overview_board),
                };
                self.overview = Some((key, Arc::new(overview)));
                self.rebuilds += 1;
            }
        }

        if inputs.view == View::IndicatorList {
            let key = (revision, inputs.period, inputs.list_state.clone());
            if !fresh(&self.list, &key) {
                self.list = Some((key, Arc::new(ordered_rows(plan, &follow_up, inputs.list_state))));
                self.rebuilds += 1;
            }
        }
    }

    /// Takes the follow-up and structure of the plan at `revision`, computed on a worker
    /// together with the plan (an accepted import), so the frame that shows it computes nothing.
    /// The results replaced are as large as the new ones: freeing them takes milliseconds, so
    /// it happens on a worker.
    pub fn seed(&mut self, revision: u64, selection: Selection, follow_up: FollowUp, structure: Structure) {
        let old_follow_up = (self.follow_up.take(), self.follow_up_cache.seed(revision, selection, follow_up));
        let old_structure = self.structure.replace((revision, Arc::new(structure)));
        super::threads::drop_later((old_follow_up, old_structure));
    }

    /// Whether the data the current inputs need is already there (else the next frame must
    /// refresh: a panel changed its filter or sort while drawing).
    pub fn is_current(&self, doc: &Document, inputs: &Inputs) -> bool {
        let revision = doc.revision();
        let rows = fresh(&self.rows, &(revision, inputs.expanded_version, inputs.filter.clone()));
        let list = inputs.view != View::IndicatorList || fresh(&self.list, &(revision, inputs.period, inputs.list_state.clone()));
        let overview = inputs.view != View::Overview
            || fresh(&self.overview, &(revision, inputs.period, inputs.overview_board.map(str::to_owned)));
        rows && list && overview
    }

    pub fn follow_up(&self) -> Arc<FollowUp> {
        self.follow_up.clone().unwrap_or_default()
    }

    pub fn rows(&self) -> Arc<Vec<Row>> {
        self.rows.as_ref().map(|(_, r)| Arc::clone(r)).unwrap_or_default()
    }

    /// The problem list and the revision it was made for.
    pub fn problems(&self) -> (&[Problem], Option<u64>) {
        (&self.problems, self.problems_revision)
    }

    pub fn set_problems(&mut self, revision: u64, problems: Vec<Problem>) {
        self.problems = Arc::new(problems);
        self.problems_revision = Some(revision);
    }

    /// The derived data as panels read it. Call after [`Derived::refresh`].
    pub fn view(&self) -> DerivedView<'_> {
        static EMPTY_FOLLOW_UP: std::sync::OnceLock<FollowUp> = std::sync::OnceLock::new();
        static EMPTY_STRUCTURE: std::sync::OnceLock<Structure> = std::sync::OnceLock::new();
        static EMPTY_STATUSES: std::sync::OnceLock<HashMap<ItemId, CommitmentStatus>> = std::sync::OnceLock::new();
        static EMPTY_NOTES: std::sync::OnceLock<HashMap<ItemId, Vec<crate::report::overview::EconomyNote>>> = std::sync::OnceLock::new();
        DerivedView {
            follow_up: self.follow_up.as_deref().unwrap_or_else(|| EMPTY_FOLLOW_UP.get_or_init(FollowUp::default)),
            structure: self.structure.as_ref().map_or_else(
                || EMPTY_STRUCTURE.get_or_init(Structure::default),
                |(_, s)| s.as_ref(),
            ),
            rows: self.rows.as_ref().map_or(&[][..], |(_, r)| r.as_slice()),
            commitment_statuses: self.statuses.as_ref().map_or_else(|| EMPTY_STATUSES.get_or_init(HashMap::new), |(_, s)| s.as_ref()),
            overview: self.overview.as_ref().map(|(_, o)| o.as_ref()),
            list_rows: self.list.as_ref().map_or(&[][..], |(_, l)| l.as_slice()),
            problems: &self.problems,
            economy_notes: self.economy_notes.as_ref().map_or_else(|| EMPTY_NOTES.get_or_init(HashMap::new), |(_, n)| n.as_ref()),
        }
    }
}
