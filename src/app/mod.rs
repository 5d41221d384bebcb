//! The application shell: the open document, selection, settings, the dialog queue, jobs and
//! the command queue.
//!
//! One frame: finished jobs are taken in → keyboard and dropped files become commands →
//! derived data is refreshed → panels draw with a [`ViewCtx`] and send commands → dialogs →
//! the commands are carried out (`dispatch`), where edits, files and jobs happen.
//!
//! - `derived`: follow-up, tree rows, overview, … keyed by revision.
//! - `dispatch`: carrying out commands, by kind.
//! - `effects`: file dialogs and the system viewer behind a trait, background jobs, print files.
//! - `threads`: the long-lived workers jobs run on and the reclaimer that frees large values,
//!   scheduled so they never take the window's core.

pub mod derived;
mod dispatch;
pub mod effects;
pub mod threads;

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

pub use crate::command::{Answer, ChangedAnswer, Command, EditCommand, FileCommand, UnsavedAnswer, View, ViewCommand};
use crate::command::{Action, ActionState, Neighbour};
use crate::edit::{Document, Edit};
use crate::followup::Selection;
use crate::i18n::Lang;
use crate::model::Plan;
use crate::outline::NodeRef;
use crate::recovery::{DiskStamp, RecoveryStore};
use crate::storage;
pub use crate::ui::dialogs::Dialog;
use crate::ui::Panels;
use crate::ui::ctx::ViewCtx;
use derived::{Derived, Inputs};
use effects::{Desktop, Jobs, PrintFiles, SystemDesktop};

/// Settings kept between runs (eframe storage).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub lang: Lang,
    pub dark: bool,
    pub recent: Vec<PathBuf>,
    pub last_file: Option<PathBuf>,
    /// Kolada's address for this run (tests: a local server); else the plan's, the
    /// environment's or Kolada's own. Not kept between runs.
    #[serde(skip)]
    pub kolada_url: Option<String>,
    /// Where Kolada's answers are cached (tests: a temporary directory); else the user's cache.
    #[serde(skip)]
    pub kolada_cache: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Self { lang: Lang::Swedish, dark: false, recent: Vec::new(), last_file: None, kolada_url: None, kolada_cache: None }
    }
}

const SETTINGS_KEY: &str = "malplan-settings";
const RECENT_LIMIT: usize = 10;

/// A plan with fewer goals, commitments and indicators than this is checked, saved and
/// autosaved at once (well under a frame); a larger one on a worker thread, and checked once
/// typing pauses (`VALIDATION_DELAY`). Decided by size, not by a timing, so the behaviour is
/// the same on every machine.
pub const LARGE_PLAN_ITEMS: usize = 1_000;
const VALIDATION_DELAY: Duration = Duration::from_millis(400);

/// Files larger than this are read on a worker thread, with a progress dialog.
pub const BACKGROUND_LOAD_BYTES: u64 = 2_000_000;

/// Unsaved changes are copied to the recovery store this long after the first change.
pub const AUTOSAVE_INTERVAL: Duration = Duration::from_secs(30);

pub struct MalplanApp {
    pub doc: Document,
    pub selected: NodeRef,
    pub period: Selection,
    pub view: View,
    pub settings: Settings,
    /// Every panel's own state.
    pub panels: Panels,
    dialogs: VecDeque<Dialog>,
    derived: Derived,
    commands: Vec<Command>,
    /// One-line feedback in the status bar ("Sparat", errors).
    status_line: String,
    jobs: Jobs<dispatch::JobResult>,
    desktop: Box<dyn Desktop>,
    print_files: PrintFiles,
    /// Where recovery copies go; `None` turns autosave off (tests that don't want it).
    recovery: Option<RecoveryStore>,
    /// The revision last written as a recovery copy, and when the next copy is due.
    autosaved_revision: u64,
    autosave_due: Option<Instant>,
    /// When the problem list of a large plan is next to be rebuilt, and whether a check runs.
    validation_due: Option<Instant>,
    validation_running: bool,
    /// The file's content when opened or saved, to notice changes by others.
    disk_stamp: Option<DiskStamp>,
    /// The plan as it was on disk when opened or last saved: the base of a merge with a
    /// colleague's version written meanwhile.
    disk_base: Option<Arc<Plan>>,
    /// The import whose preview is shown, with the edit that accepting it applies.
    pending_import: Option<dispatch::PendingImport>,
    fonts_installed: bool,
    theme_applied: Option<bool>,
    shown_title: String,
    /// Set when the planner has answered the unsaved-changes question for quitting.
    allow_close: bool,
}

impl MalplanApp {
    /// A window on `plan` (from `path`, or unsaved when `None`).
    pub fn new(plan: Plan, path: Option<PathBuf>, settings: Settings) -> Self {
        threads::prepare_for_window();
        let panels = Panels::new(&plan);
        let mut app = Self {
            period: default_period(&plan),
            doc: Document::new(plan, path),
            selected: NodeRef::Plan,
            view: View::Editor,
            settings,
            panels,
            dialogs: VecDeque::new(),
            derived: Derived::default(),
            commands: Vec::new(),
            status_line: String::new(),
            jobs: Jobs::default(),
            desktop: Box::new(SystemDesktop),
            print_files: PrintFiles::in_temp_dir(),
            recovery: None,
            autosaved_revision: 0,
            autosave_due: None,
            validation_due: None,
            validation_running: false,
            disk_stamp: None,
            disk_base: None,
            pending_import: None,
            fonts_installed: false,
            theme_applied: None,
            shown_title: String::new(),
            allow_close: false,
        };
        app.check_plan_now();
        app
    }

    /// Start-up: `file` if given, else the last plan, else the bundled example. A file that
    /// fails to load is reported and the example opens instead (the file is never touched).
    pub fn start(file: Option<PathBuf>, settings: Settings) -> Self {
        Self::start_with_recovery(file, settings, None)
    }

    /// Like [`MalplanApp::start`], with autosave to `recovery_dir`; unsaved work found there
    /// from an earlier run is offered for restoring.
    pub fn start_with_recovery(file: Option<PathBuf>, settings: Settings, recovery_dir: Option<PathBuf>) -> Self {
        let wanted = file.or_else(|| settings.last_file.clone().filter(|p| p.exists()));
        let (plan, path, error) = match wanted {
            Some(path) => match storage::load(&path) {
                Ok(plan) => (plan, Some(path), None),
                Err(error) => (crate::examples::default_plan(), None, Some(error.to_string())),
            },
            None => (crate::examples::default_plan(), None, None),
        };
        let mut app = Self::new(plan, path.clone(), settings);
        if let Some(path) = path {
            app.disk_stamp = DiskStamp::of(&path);
            app.disk_base = Some(app.doc.snapshot());
            app.remember(&path);
            if !app.plan().conflicts.is_empty() {
                app.show_dialog(Dialog::MergeConflicts { then: None });
            }
        }
        if let Some(message) = error {
            let title = app.lang().t("Filen kunde inte öppnas", "The file could not be opened").into();
            app.show_dialog(Dialog::Error { title, message });
        }
        if let Some(dir) = recovery_dir {
            let store = RecoveryStore::new(dir);
            if let Some(recovered) = store.list().into_iter().next() {
                let saved_at = crate::time::local_date_time(recovered.info.saved_unix_secs);
                app.show_dialog(Dialog::Restore { recovered, saved_at });
            }
            app.recovery = Some(store);
        }
        app
    }

    /// The eframe constructor: settings from storage, then [`MalplanApp::start`].
    pub fn from_creation_context(cc: &eframe::CreationContext<'_>, file: Option<PathBuf>) -> Self {
        let settings: Settings = cc.storage.and_then(|s| eframe::get_value(s, SETTINGS_KEY)).unwrap_or_default();
        let recovery_dir = eframe::storage_dir("Målplan").map(|d| d.join("recovery"));
        Self::start_with_recovery(file, settings, recovery_dir)
    }

    /// Replaces the file dialogs and system viewer (tests use [`effects::ScriptedDesktop`]).
    pub fn set_desktop(&mut self, desktop: Box<dyn Desktop>) {
        self.desktop = desktop;
    }

    /// Puts printed PDFs in `dir` instead of the system's temporary folder.
    pub fn set_print_dir(&mut self, dir: PathBuf) {
        self.print_files = PrintFiles::new(dir);
    }

    pub fn lang(&self) -> Lang {
        self.settings.lang
    }

    pub fn send(&mut self, command: impl Into<Command>) {
        self.commands.push(command.into());
    }

    pub fn plan(&self) -> &Plan {
        self.doc.plan()
    }

    /// The dialog in front, if any (later ones wait their turn).
    pub fn dialog(&self) -> Option<&Dialog> {
        self.dialogs.front()
    }

    /// Every dialog waiting, the one in front first.
    pub fn dialogs(&self) -> impl Iterator<Item = &Dialog> {
        self.dialogs.iter()
    }

    pub fn status_line(&self) -> &str {
        &self.status_line
    }

    /// A job owns the document (opening, saving, exporting, importing).
    pub fn is_busy(&self) -> bool {
        self.jobs.busy()
    }

    /// Any job at all runs, autosave and checking included.
    pub fn has_running_jobs(&self) -> bool {
        self.jobs.any_running()
    }

    /// Whether the problem list is that of the plan as it is now (a large plan is checked on a
    /// worker once typing pauses).
    pub fn problems_are_current(&self) -> bool {
        self.derived.problems().1 == Some(self.doc.revision())
    }

    /// The tree's visible rows as last drawn.
    pub fn tree_rows(&self) -> std::sync::Arc<Vec<crate::outline::Row>> {
        self.derived.rows()
    }

    /// The follow-up the panels showed in the last frame.
    pub fn follow_up(&self) -> std::sync::Arc<crate::followup::FollowUp> {
        self.derived.follow_up()
    }

    /// The period (or year) the follow-up is shown for.
    pub fn period(&self) -> crate::followup::Selection {
        self.period
    }

    /// The problems found in the plan (the last check).
    pub fn problems(&self) -> &[crate::validate::Problem] {
        self.derived.problems().0
    }

    /// The temporary PDFs printing wrote this run (removed when the app closes).
    pub fn print_files(&self) -> &[PathBuf] {
        self.print_files.written()
    }

    /// Adds a dialog behind those already waiting; none replaces another.
    fn show_dialog(&mut self, dialog: Dialog) {
        self.dialogs.push_back(dialog);
    }

    /// "Målplan – name *" with the unsaved mark.
    pub fn window_title(&self) -> String {
        let name = match &self.doc.path {
            Some(path) => path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned()),
            None => format!("{} ({})", self.plan().meta.title, self.lang().t("ej sparad", "not saved")),
        };
        let mark = if self.doc.is_dirty() { " *" } else { "" };
        format!("Målplan – {name}{mark}")
    }

    fn action_state(&self) -> ActionState {
        ActionState {
            can_undo: self.doc.can_undo(),
            can_redo: self.doc.can_redo(),
            item_selected: self.selected != NodeRef::Plan,
            busy: self.jobs.busy(),
            dark: self.settings.dark,
            lang: self.settings.lang,
            conflicts: !self.plan().conflicts.is_empty(),
        }
    }

    /// Runs the whole UI for one frame, then carries out the commands it sent.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        if !self.fonts_installed {
            crate::ui::install_fonts(ui.ctx());
            self.fonts_installed = true;
        }
        if self.theme_applied != Some(self.settings.dark) {
            ui.ctx().set_theme(if self.settings.dark { egui::Theme::Dark } else { egui::Theme::Light });
            self.theme_applied = Some(self.settings.dark);
        }
        self.take_finished_jobs();
        self.handle_shortcuts(ui);
        self.handle_dropped_files(ui);
        self.handle_close_request(ui);
        self.refresh_derived();
        self.draw(ui);
        self.apply_commands(ui.ctx());
        // A panel changed its filter or sort while drawing: show the result at once.
        if !self.derived.is_current(&self.doc, &self.inputs()) {
            ui.ctx().request_repaint();
        }
        self.validation_tick(ui.ctx());
        self.autosave_tick(ui);
        if let Some(interval) = self.jobs.poll_interval() {
            ui.ctx().request_repaint_after(interval);
        }
        let title = self.window_title();
        if title != self.shown_title {
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.shown_title = title;
        }
    }

    fn inputs(&self) -> Inputs<'_> {
        Inputs {
            period: self.period,
            expanded: self.panels.tree.expanded(),
            expanded_version: self.panels.tree.expanded_version(),
            filter: &self.panels.tree.filter,
            view: self.view,
            list_state: &self.panels.list.state,
            overview_board: self.panels.overview.board.as_deref(),
        }
    }

    fn refresh_derived(&mut self) {
        let Self { doc, derived, panels, period, view, .. } = self;
        let inputs = Inputs {
            period: *period,
            expanded: panels.tree.expanded(),
            expanded_version: panels.tree.expanded_version(),
            filter: &panels.tree.filter,
            view: *view,
            list_state: &panels.list.state,
            overview_board: panels.overview.board.as_deref(),
        };
        derived.refresh(doc, &inputs);
    }

    /// The panels, then the job's progress or the dialog in front.
    fn draw(&mut self, ui: &mut egui::Ui) {
        let actions = self.action_state();
        let Self { doc, derived, panels, commands, settings, selected, period, view, status_line, dialogs, jobs, .. } = self;
        let mut ctx = ViewCtx::new(
            doc.plan(),
            derived.view(),
            settings.lang,
            *selected,
            *period,
            *view,
            actions,
            doc.is_dirty(),
            doc.revision(),
            status_line,
            &settings.recent,
            commands,
        );
        crate::ui::show_main(&mut ctx, panels, ui);
        if let Some(progress) = jobs.progress() {
            crate::ui::dialogs::progress_ui(&mut ctx, ui, &progress);
        } else if let Some(dialog) = dialogs.front() {
            crate::ui::dialogs::dialog_ui(&mut ctx, ui, dialog);
        }
    }

    /// Shortcuts of the action catalogue, and the tree's arrow and Delete keys.
    fn handle_shortcuts(&mut self, ui: &mut egui::Ui) {
        // A dialog, the palette or a running job has the keyboard.
        if !self.dialogs.is_empty() || self.panels.palette.is_open() || self.jobs.busy() {
            return;
        }
        let state = self.action_state();
        let pressed = ui.input_mut(Action::pressed);
        for action in pressed {
            if action.enabled(&state) {
                self.send(action.command(&state));
            }
        }
        // Keys for the tree only when no text field has the keyboard.
        if !ui.ctx().egui_wants_keyboard_input() {
            use egui::{Key, Modifiers};
            let keys = ui.input_mut(|input| {
                let mut keys: Vec<Command> = Vec::new();
                if input.consume_key(Modifiers::NONE, Key::Delete) {
                    keys.push(EditCommand::RequestDelete.into());
                }
                for (key, neighbour) in [
                    (Key::ArrowDown, Neighbour::Next),
                    (Key::ArrowUp, Neighbour::Previous),
                    (Key::ArrowRight, Neighbour::Open),
                    (Key::ArrowLeft, Neighbour::CloseOrParent),
                ] {
                    if input.consume_key(Modifiers::NONE, key) {
                        keys.push(ViewCommand::SelectNeighbour(neighbour).into());
                    }
                }
                keys
            });
            self.commands.extend(keys);
        }
    }

    fn handle_dropped_files(&mut self, ui: &egui::Ui) {
        let dropped: Vec<PathBuf> = ui.input(|i| i.raw.dropped_files.iter().map(|f| f.path().to_path_buf()).collect());
        let (plans, data): (Vec<PathBuf>, Vec<PathBuf>) = dropped.into_iter().partition(|p| p.extension().is_some_and(|e| e == "ron"));
        if let Some(path) = plans.into_iter().next() {
            self.send(FileCommand::Open(Some(path)));
        } else if !data.is_empty() {
            // Kolada data or a spreadsheet dropped on the window: show what importing it would do.
            self.send(FileCommand::import_files(data));
        }
    }

    fn handle_close_request(&mut self, ui: &egui::Ui) {
        if ui.input(|i| i.viewport().close_requested()) && !self.allow_close {
            if self.jobs.busy() {
                // A save may be half-way: wait for it.
                ui.ctx().send_viewport_cmd(egui::ViewportCommand::CancelClose);
            } else if self.doc.is_dirty() {
                ui.ctx().send_viewport_cmd(egui::ViewportCommand::CancelClose);
                if !self.dialogs.iter().any(|d| matches!(d, Dialog::Unsaved { .. })) {
                    self.show_dialog(Dialog::Unsaved { then: Box::new(FileCommand::Quit.into()) });
                }
            }
        }
    }

    /// Carries out the queued commands.
    pub fn apply_commands(&mut self, ctx: &egui::Context) {
        let commands = std::mem::take(&mut self.commands);
        for command in commands {
            self.apply(command, ctx);
        }
    }

    /// Selects the first goal, commitment or indicator whose text contains `text` (any case)
    /// and opens the way to it. Returns whether something matched.
    pub fn select_by_text(&mut self, text: &str) -> bool {
        match crate::ops::find_by_text(self.plan(), text) {
            Some(node) => {
                self.reveal(node);
                true
            }
            None => false,
        }
    }

    /// Selects a node, opens the way to it in the tree and shows it in the editor.
    fn reveal(&mut self, node: NodeRef) {
        for id in crate::ops::ancestors(self.plan(), node) {
            self.panels.tree.expand(NodeRef::Goal(id));
        }
        self.select(node);
        self.view = View::Editor;
        self.panels.tree.scroll_to_selection = true;
    }

    fn select(&mut self, node: NodeRef) {
        if node != self.selected {
            self.panels.values.close_cell();
        }
        self.selected = node;
    }

    fn select_neighbour(&mut self, neighbour: Neighbour) {
        let rows = self.derived.rows();
        let Some(index) = rows.iter().position(|r| r.node == self.selected) else {
            self.selected = NodeRef::Plan;
            return;
        };
        let row = rows[index];
        match neighbour {
            Neighbour::Open if row.has_children && !row.expanded => self.panels.tree.toggle(row.node),
            Neighbour::CloseOrParent if row.has_children && row.expanded => self.panels.tree.toggle(row.node),
            Neighbour::CloseOrParent => {
                // Left on a closed node or a leaf: go to its parent row.
                if let Some(parent) = rows[..index].iter().rev().find(|r| r.depth < row.depth) {
                    self.select(parent.node);
                    self.panels.tree.scroll_to_selection = true;
                }
            }
            Neighbour::Open => {}
            Neighbour::Next | Neighbour::Previous => {
                let step: i64 = if neighbour == Neighbour::Next { 1 } else { -1 };
                let next = (index as i64 + step).clamp(0, rows.len() as i64 - 1) as usize;
                self.select(rows[next].node);
                self.panels.tree.scroll_to_selection = true;
            }
        }
    }

    /// Applies an edit through the document (undo, revision, unsaved mark).
    fn apply_edit(&mut self, edit: Edit, merge: Option<crate::edit::MergeKey>) {
        if let Err(error) = self.doc.apply_merging(edit, merge) {
            self.status_line = error.to_string();
        }
        self.after_change();
    }

    fn apply_intent(&mut self, intent: crate::ops::Intent) {
        let before = self.doc.revision();
        self.apply_edit(intent.edit, None);
        if self.doc.revision() == before {
            return;
        }
        if let Some(node) = intent.expand {
            self.panels.tree.expand(node);
        }
        if let Some(node) = intent.select {
            self.select(node);
        }
    }

    fn after_change(&mut self) {
        if self.plan_is_large() {
            self.validation_due = Some(Instant::now() + VALIDATION_DELAY);
        } else {
            self.check_plan_now();
        }
        if !crate::ops::node_exists(self.plan(), self.selected) {
            self.selected = NodeRef::Plan;
        }
    }

    fn plan_is_large(&self) -> bool {
        let plan = self.plan();
        // A budget row costs the check about a tenth of what an indicator does.
        let budget_rows: usize = plan.budgets.iter().flat_map(|b| &b.tables).flat_map(|t| &t.groups).map(|g| g.rows.len()).sum();
        plan.goals.len() + plan.commitments.len() + plan.indicators.len() + budget_rows / 10 >= LARGE_PLAN_ITEMS
    }

    fn check_plan_now(&mut self) {
        let problems = crate::validate::validate(self.doc.plan());
        self.derived.set_problems(self.doc.revision(), problems);
        self.validation_due = None;
    }

    /// Checks a large plan on a worker once typing has paused.
    fn validation_tick(&mut self, ctx: &egui::Context) {
        let Some(due) = self.validation_due else { return };
        let now = Instant::now();
        if now < due {
            ctx.request_repaint_after(due - now);
            return;
        }
        if self.validation_running {
            return; // the result comes in first; it schedules another check if stale
        }
        self.validation_due = None;
        self.validation_running = true;
        let plan = self.doc.snapshot();
        let revision = self.doc.revision();
        let label = self.lang().t("Kontrollerar planen", "Checking the plan").to_owned();
        self.jobs.start_background(label, move |_| dispatch::JobResult::Checked { revision, problems: crate::validate::validate(&plan) });
    }

    /// Schedules a recovery copy 30 s after unsaved changes, and writes it when due or when
    /// the window loses focus.
    fn autosave_tick(&mut self, ui: &egui::Ui) {
        // Undone back to the saved state: the recovery copy has nothing left to recover.
        if !self.doc.is_dirty() && self.autosaved_revision != 0 {
            let path = self.doc.path.clone();
            self.drop_recovery_copy(path.as_deref());
        }
        if self.recovery.is_none() || !self.doc.is_dirty() || self.doc.revision() == self.autosaved_revision {
            self.autosave_due = None;
            return;
        }
        let now = Instant::now();
        let due = *self.autosave_due.get_or_insert(now + AUTOSAVE_INTERVAL);
        let focus_lost = ui.input(|i| i.events.iter().any(|e| matches!(e, egui::Event::WindowFocused(false))));
        if focus_lost || now >= due {
            self.autosave();
        } else {
            ui.ctx().request_repaint_after(due - now);
        }
    }

    /// Forgets the recovery copy (after a save, or when the planner discards the changes).
    fn drop_recovery_copy(&mut self, original: Option<&std::path::Path>) {
        if let Some(store) = &self.recovery {
            store.remove(original);
        }
        self.autosaved_revision = 0;
    }

    /// A new document in the window; the tree's filter and waiting dialogs stay.
    fn replace_plan(&mut self, plan: Plan, path: Option<PathBuf>) {
        let filter = std::mem::take(&mut self.panels.tree.filter);
        self.panels = Panels::new(&plan);
        self.panels.tree.filter = filter;
        self.period = default_period(&plan);
        self.doc = Document::new(plan, path);
        self.selected = NodeRef::Plan;
        self.view = View::Editor;
        // Revisions start again at 0 for the new document: nothing derived may carry over.
        self.derived = Derived::default();
        self.pending_import = None;
        self.disk_stamp = None;
        self.disk_base = None;
        self.autosaved_revision = 0;
        self.autosave_due = None;
        if self.plan_is_large() {
            self.validation_due = Some(Instant::now());
        } else {
            self.check_plan_now();
        }
    }

    fn remember(&mut self, path: &std::path::Path) {
        let path = path.to_path_buf();
        self.settings.recent.retain(|p| p != &path);
        self.settings.recent.insert(0, path.clone());
        self.settings.recent.truncate(RECENT_LIMIT);
        self.settings.last_file = Some(path);
    }

    /// Stores the settings (eframe persistence).
    pub fn save_settings(&self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
    }
}

/// The latest follow-up period, or the plan's last year.
pub fn default_period(plan: &Plan) -> Selection {
    plan.periods.last().map_or(Selection::Year(plan.meta.last_year), |p| Selection::Period(p.id))
}

impl eframe::App for MalplanApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.save_settings(storage);
    }
}
