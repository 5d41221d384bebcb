//! The application shell: the open document, selection, settings, dialogs and the command
//! queue. Panels only *send* [`Command`]s; they are applied after the frame in
//! [`MalplanApp::apply_commands`], where files, dialogs and edits happen.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::edit::{Document, Edit, MergeKey};
use crate::followup::{FollowUp, FollowUpCache, Selection};
use crate::model::{
    Commitment, Goal, GoalLevel, Indicator, IndicatorKind, ItemId, Plan, Series, SeriesKind,
    Thresholds, Unit,
};
use crate::outline::{self, Filter, NodeRef, Row, Structure};
use crate::storage;
use crate::ui::i18n::Lang;
use crate::validate::{self, Problem};

/// Every user action. UI code pushes these; [`MalplanApp::apply_commands`] carries them out.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    New,
    /// Open a file; `None` asks with a file dialog.
    Open(Option<PathBuf>),
    Save,
    /// Save under a new name; `None` asks with a file dialog.
    SaveAs(Option<PathBuf>),
    Close,
    Quit,
    Undo,
    Redo,
    Edit { edit: Edit, merge: Option<MergeKey> },
    /// A text field lost focus: the next keystroke starts a new undo step.
    EndMerge,
    Select(NodeRef),
    ToggleExpanded(NodeRef),
    AddChild,
    AddSibling,
    AddCommitment(ItemId),
    AddIndicator(ItemId),
    /// Ask before deleting the selection.
    RequestDelete,
    Delete(NodeRef),
    MoveUp,
    MoveDown,
    /// Drag and drop: put `node` under `new_parent` (`Plan` for the top level).
    MoveTo { node: NodeRef, new_parent: NodeRef },
    SetSelectionPeriod(Selection),
    ShowView(View),
    /// Write the PDF report; `None` asks where with a file dialog.
    ExportReport(Option<PathBuf>),
    /// Write the report to a temporary file and open it in the system's PDF viewer.
    Print,
    /// Back to the editor (after picking an indicator in the list).
    ShowEditor,
    SelectNeighbour(i32),
    Unsaved(UnsavedAnswer),
    CloseDialog,
    /// Restore (`true`) or discard the recovery copy offered at start.
    Restore(bool),
    /// Answer to "changed on disk": overwrite anyway.
    OverwriteChanged,
    /// Answer to "changed on disk": discard my changes and read the file again.
    ReloadFromDisk,
    /// Write the recovery copy now (normally every 30 s and when the window loses focus).
    Autosave,
    /// Read Kolada data files and show what importing them would change; `None` asks which.
    ImportKolada(Option<Vec<PathBuf>>),
    /// Read a spreadsheet in the export's layout and show what importing it would change.
    ImportSheet(Option<PathBuf>),
    /// In the Kolada preview: which municipality is the planner's own.
    SetKoladaMunicipality(String),
    /// In the Kolada preview: a municipality or group to compare with besides Riket.
    SetKoladaComparison(Option<String>),
    /// Apply the previewed import as one undoable edit.
    AcceptImport,
    /// Write every indicator's values as .xlsx (or CSV by the name); `None` asks where.
    ExportSheet(Option<PathBuf>),
}

impl Command {
    /// The import command for files given on the command line or dropped on the window:
    /// `.json` files are Kolada data, anything else a spreadsheet.
    pub fn import_files(paths: Vec<PathBuf>) -> Command {
        let is_json = |p: &PathBuf| p.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if paths.iter().all(is_json) || paths.len() != 1 {
            Command::ImportKolada(Some(paths))
        } else {
            Command::ImportSheet(paths.into_iter().next())
        }
    }
}

/// What the central area shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    /// The editor for the selected node.
    #[default]
    Editor,
    /// Every indicator of the plan in one table.
    IndicatorList,
    /// *Lägesbild*: the status page for the board meeting.
    Overview,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnsavedAnswer {
    Save,
    DontSave,
    Cancel,
}

/// A dialog over the main window.
#[derive(Debug, Clone, PartialEq)]
pub enum Dialog {
    /// "Spara ändringarna?" before `then` runs.
    Unsaved { then: Box<Command> },
    /// A file could not be opened or saved.
    Error { title: String, message: String },
    /// A save failed: the message, and the offer to save elsewhere.
    SaveFailed { message: String },
    /// Unsaved work from an earlier run was found.
    Restore { recovered: crate::recovery::Recovered },
    /// The file changed on disk since it was opened or saved.
    ChangedOnDisk { path: PathBuf },
    /// Confirm deleting a node and what goes with it.
    ConfirmDelete { node: NodeRef, summary: String },
    /// What an import would change, before anything does.
    Import(Arc<ImportDialog>),
}

/// An import waiting for the planner's yes: its source (to recompute when an option
/// changes), the preview, and the preview's lines formatted once (not per frame).
#[derive(Debug)]
pub struct ImportDialog {
    pub source: ImportSource,
    /// The preview, or why there is none (e.g. which municipality is ours).
    pub preview: Result<crate::exchange::ImportPreview, String>,
    /// Indicator, series, "utfall 2023", old, new – one row per change.
    pub change_rows: Vec<[String; 5]>,
    pub skipped_lines: Vec<String>,
}

#[derive(Debug)]
pub enum ImportSource {
    Kolada {
        files: Vec<crate::exchange::kolada::KoladaFile>,
        options: crate::exchange::kolada::KoladaOptions,
        /// Every municipality code in the files, for the "our municipality" choice.
        municipalities: Vec<String>,
    },
    Sheet { name: String },
}

/// Two dialogs are the same when they are the same dialog (their previews can be large).
impl PartialEq for ImportDialog {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl ImportDialog {
    fn new(plan: &Plan, source: ImportSource, preview: Result<crate::exchange::ImportPreview, String>) -> Self {
        let (change_rows, skipped_lines) = match &preview {
            Ok(p) => (
                p.rows(plan),
                p.skipped.iter().map(|s| format!("{}: {}", s.what, s.reason)).collect(),
            ),
            Err(_) => (Vec::new(), Vec::new()),
        };
        Self { source, preview, change_rows, skipped_lines }
    }
}

/// Settings kept between runs (eframe storage).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub lang: Lang,
    pub dark: bool,
    pub recent: Vec<PathBuf>,
    pub last_file: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            lang: Lang::Swedish,
            dark: false,
            recent: Vec::new(),
            last_file: None,
        }
    }
}

const SETTINGS_KEY: &str = "malplan-settings";
const RECENT_LIMIT: usize = 10;

/// Derived data for the tree, rebuilt only when the plan, expansion or filter changes.
struct OutlineCache {
    key: Option<(u64, u64, Filter)>,
    structure_revision: Option<u64>,
    structure: Option<Structure>,
    rows: Arc<Vec<Row>>,
}

pub struct MalplanApp {
    pub doc: Document,
    pub selected: NodeRef,
    pub period: Selection,
    pub settings: Settings,
    pub dialog: Option<Dialog>,
    pub filter: Filter,
    pub problems: Vec<Problem>,
    /// When the problem list is next to be rebuilt (after edits to a large plan, see
    /// `after_change`).
    validation_due: Option<std::time::Instant>,
    /// One-line feedback in the status bar ("Sparat", errors).
    pub status_line: String,
    pub expanded: HashSet<NodeRef>,
    pub view: View,
    /// The board the *Lägesbild* is limited to.
    pub overview_board: Option<String>,
    overview_cache: Option<((u64, Selection, Option<String>), Arc<crate::report::overview::Overview>)>,
    pub list_state: crate::ui::indicator_list::ListState,
    pub list_cache: crate::ui::indicator_list::ListCache,
    /// Set when the selection moved by keyboard or search, so the tree scrolls to it.
    pub scroll_tree_to_selection: bool,
    /// The table cell being edited, if any.
    pub cell_edit: Option<crate::ui::indicator_view::CellEdit>,
    /// Years the planner added to an indicator's table before typing values in them.
    pub extra_years: std::collections::HashMap<ItemId, Vec<i32>>,
    expanded_version: u64,
    fonts_installed: bool,
    commands: Vec<Command>,
    follow_up: FollowUpCache,
    outline: OutlineCache,
    shown_title: String,
    /// Set when the planner has answered the unsaved-changes question for quitting.
    allow_close: bool,
    /// Where recovery copies go; `None` turns autosave off (tests that don't want it).
    recovery: Option<crate::recovery::RecoveryStore>,
    /// The revision last written as a recovery copy, and when the next copy is due.
    autosaved_revision: u64,
    autosave_due: Option<std::time::Instant>,
    /// The file's content when opened or saved, to notice changes by others.
    disk_stamp: Option<crate::recovery::DiskStamp>,
    /// Each commitment's status in the selected period, per plan revision (the tree asks per row).
    commitment_statuses: Option<((u64, Selection), Arc<std::collections::HashMap<ItemId, crate::model::CommitmentStatus>>)>,
    /// A large file being read on a worker thread.
    pub(crate) pending_open: Option<PendingOpen>,
}

/// A plan with fewer goals, commitments and indicators than this is checked after every edit
/// (well under a millisecond); a larger one `VALIDATION_DELAY` after the last edit.
const VALIDATE_AT_ONCE_BELOW_ITEMS: usize = 1_000;
const VALIDATION_DELAY: std::time::Duration = std::time::Duration::from_millis(400);

/// Files larger than this are read on a worker thread, with a progress dialog.
pub const BACKGROUND_LOAD_BYTES: u64 = 2_000_000;

pub struct PendingOpen {
    pub path: PathBuf,
    receiver: std::sync::mpsc::Receiver<Result<Plan, storage::LoadError>>,
    pub size_mb: f64,
}

/// Unsaved changes are copied to the recovery store this long after the first change.
pub const AUTOSAVE_INTERVAL: std::time::Duration = std::time::Duration::from_secs(30);

impl MalplanApp {
    /// A window on `plan` (from `path`, or unsaved when `None`).
    pub fn new(plan: Plan, path: Option<PathBuf>, settings: Settings) -> Self {
        let period = default_period(&plan);
        let problems = validate::validate(&plan);
        let expanded = outline::default_expanded(&plan);
        Self {
            doc: Document::new(plan, path),
            selected: NodeRef::Plan,
            period,
            settings,
            dialog: None,
            filter: Filter::default(),
            problems,
            validation_due: None,
            status_line: String::new(),
            expanded,
            view: View::Editor,
            overview_board: None,
            overview_cache: None,
            list_state: Default::default(),
            list_cache: Default::default(),
            scroll_tree_to_selection: false,
            cell_edit: None,
            extra_years: std::collections::HashMap::new(),
            expanded_version: 0,
            fonts_installed: false,
            commands: Vec::new(),
            follow_up: FollowUpCache::default(),
            outline: OutlineCache {
                key: None,
                structure_revision: None,
                structure: None,
                rows: Arc::new(Vec::new()),
            },
            shown_title: String::new(),
            allow_close: false,
            recovery: None,
            autosaved_revision: 0,
            autosave_due: None,
            disk_stamp: None,
            pending_open: None,
            commitment_statuses: None,
        }
    }

    /// Start-up: `file` if given, else the last plan, else the bundled example. A file that
    /// fails to load is reported and the example opens instead (the file is never touched).
    pub fn start(file: Option<PathBuf>, settings: Settings) -> Self {
        Self::start_with_recovery(file, settings, None)
    }

    /// Like [`MalplanApp::start`], with autosave to `recovery_dir`; unsaved work found there
    /// from an earlier run is offered for restoring.
    pub fn start_with_recovery(file: Option<PathBuf>, settings: Settings, recovery_dir: Option<PathBuf>) -> Self {
        let mut app = Self::start_without_recovery(file, settings);
        if let Some(dir) = recovery_dir {
            let store = crate::recovery::RecoveryStore::new(dir);
            if app.dialog.is_none()
                && let Some(recovered) = store.list().into_iter().next()
            {
                app.dialog = Some(Dialog::Restore { recovered });
            }
            app.recovery = Some(store);
        }
        app
    }

    fn start_without_recovery(file: Option<PathBuf>, settings: Settings) -> Self {
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
            app.disk_stamp = crate::recovery::DiskStamp::of(&path);
            app.remember(&path);
        }
        if let Some(message) = error {
            app.dialog = Some(Dialog::Error {
                title: app.settings.lang.t("Filen kunde inte öppnas", "The file could not be opened").into(),
                message,
            });
        }
        app
    }

    /// The eframe constructor: settings from storage, then [`MalplanApp::start`].
    pub fn from_creation_context(cc: &eframe::CreationContext<'_>, file: Option<PathBuf>) -> Self {
        let settings: Settings = cc
            .storage
            .and_then(|s| eframe::get_value(s, SETTINGS_KEY))
            .unwrap_or_default();
        let recovery_dir = eframe::storage_dir("Målplan").map(|d| d.join("recovery"));
        Self::start_with_recovery(file, settings, recovery_dir)
    }

    pub fn lang(&self) -> Lang {
        self.settings.lang
    }

    pub fn send(&mut self, command: Command) {
        self.commands.push(command);
    }

    pub fn plan(&self) -> &Plan {
        self.doc.plan()
    }

    /// The follow-up results for the selected period: computed once, then after an edit of
    /// values or assessments updated for what changed (a structural edit computes anew).
    pub fn follow_up(&mut self) -> Arc<FollowUp> {
        let revision = self.doc.revision();
        let doc = &self.doc;
        self.follow_up
            .get_with_changes(doc.plan(), revision, self.period, |since| doc.changes_since(since))
    }

    /// The tree rows for the current expansion and filter, rebuilt only when one changed.
    pub fn outline_rows(&mut self) -> Arc<Vec<Row>> {
        let revision = self.doc.revision();
        let key = (revision, self.expanded_version, self.filter.clone());
        if self.outline.key.as_ref() != Some(&key) {
            if self.outline.structure_revision != Some(revision) {
                self.outline.structure = Some(Structure::new(self.doc.plan()));
                self.outline.structure_revision = Some(revision);
            }
            let structure = self.outline.structure.get_or_insert_with(|| Structure::new(self.doc.plan()));
            self.outline.rows = Arc::new(outline::visible_rows(self.doc.plan(), structure, &self.expanded, &self.filter));
            self.outline.key = Some(key);
        }
        Arc::clone(&self.outline.rows)
    }

    /// The *Lägesbild* for the selected period and board, rebuilt only when one of them or the
    /// plan changed.
    pub fn overview(&mut self) -> Arc<crate::report::overview::Overview> {
        let key = (self.doc.revision(), self.period, self.overview_board.clone());
        if let Some((cached, overview)) = &self.overview_cache
            && *cached == key
        {
            return Arc::clone(overview);
        }
        let follow_up = self.follow_up();
        let overview = Arc::new(crate::report::overview::build(self.doc.plan(), &follow_up, self.overview_board.as_deref()));
        self.overview_cache = Some((key, Arc::clone(&overview)));
        overview
    }

    /// Each commitment's status in the selected period (missing: not reported), cached per
    /// revision and period so the tree does no search per row.
    pub fn commitment_statuses(&mut self) -> Arc<std::collections::HashMap<ItemId, crate::model::CommitmentStatus>> {
        let key = (self.doc.revision(), self.period);
        if let Some((cached, map)) = &self.commitment_statuses
            && *cached == key
        {
            return Arc::clone(map);
        }
        let map: std::collections::HashMap<_, _> = match self.period {
            Selection::Period(id) => self
                .plan()
                .periods
                .iter()
                .find(|p| p.id == id)
                .map(|p| p.commitments.iter().map(|c| (c.commitment, c.status)).collect())
                .unwrap_or_default(),
            Selection::Year(_) => Default::default(),
        };
        let map = Arc::new(map);
        self.commitment_statuses = Some((key, Arc::clone(&map)));
        map
    }

    /// Writes the PDF report; errors are shown in a dialog.
    pub fn export_report(&mut self, path: &Path) -> bool {
        let board = self.overview_board.clone();
        match crate::report::write_report(self.doc.plan(), self.period, board.as_deref(), path) {
            Ok(pages) => {
                self.status_line = format!("{} {} ({pages} {})", self.lang().t("Rapport sparad:", "Report saved:"), path.display(), self.lang().t("sidor", "pages"));
                true
            }
            Err(message) => {
                self.dialog = Some(Dialog::Error {
                    title: self.lang().t("Rapporten kunde inte skapas", "The report could not be written").into(),
                    message,
                });
                false
            }
        }
    }

    /// Indices (into `plan.indicators`) of a goal's indicators, from the structure cached per
    /// revision – no scan of the plan per frame.
    pub fn indicator_indices_of(&mut self, goal: ItemId) -> Vec<usize> {
        let revision = self.doc.revision();
        if self.outline.structure_revision != Some(revision) || self.outline.structure.is_none() {
            self.outline.structure = Some(Structure::new(self.doc.plan()));
            self.outline.structure_revision = Some(revision);
        }
        self.outline.structure.as_ref().map(|s| s.indicators_of(goal).to_vec()).unwrap_or_default()
    }

    /// "Målplan – name •" with the unsaved mark.
    pub fn window_title(&self) -> String {
        let name = match &self.doc.path {
            Some(path) => path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned()),
            None => format!("{} ({})", self.plan().meta.title, self.lang().t("ej sparad", "not saved")),
        };
        let mark = if self.doc.is_dirty() { " *" } else { "" };
        format!("Målplan – {name}{mark}")
    }

    /// Runs the whole UI for one frame, then applies the commands it sent.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        if !self.fonts_installed {
            crate::ui::install_fonts(ui.ctx());
            self.fonts_installed = true;
        }
        self.handle_shortcuts(ui);
        self.handle_dropped_files(ui);
        self.handle_close_request(ui);
        self.poll_pending_open(ui.ctx());
        crate::ui::show_main(self, ui);
        crate::ui::dialogs::show(self, ui);
        self.apply_commands(ui.ctx());
        self.validation_tick(ui.ctx());
        self.autosave_tick(ui);
        let title = self.window_title();
        if title != self.shown_title {
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.shown_title = title;
        }
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
        let now = std::time::Instant::now();
        let due = *self.autosave_due.get_or_insert(now + AUTOSAVE_INTERVAL);
        let focus_lost = ui.input(|i| i.events.iter().any(|e| matches!(e, egui::Event::WindowFocused(false))));
        if focus_lost || now >= due {
            self.autosave();
        } else {
            ui.ctx().request_repaint_after(due - now);
        }
    }

    /// Writes the recovery copy of the current plan (never over the real file).
    pub fn autosave(&mut self) {
        let Some(store) = &self.recovery else { return };
        match store.write(self.doc.plan(), self.doc.path.as_deref(), crate::recovery::now_unix_secs()) {
            Ok(()) => {
                self.autosaved_revision = self.doc.revision();
                self.autosave_due = None;
            }
            Err(error) => {
                // Try again at the next interval; the plan itself is untouched.
                self.autosave_due = Some(std::time::Instant::now() + AUTOSAVE_INTERVAL);
                self.status_line = format!("{} {error}", self.lang().t("Autospara misslyckades:", "Autosave failed:"));
            }
        }
    }

    /// Forgets the recovery copy (after a save, or when the planner discards the changes).
    fn drop_recovery_copy(&mut self, original: Option<&Path>) {
        if let Some(store) = &self.recovery {
            store.remove(original);
        }
        self.autosaved_revision = 0;
    }

    fn handle_shortcuts(&mut self, ui: &mut egui::Ui) {
        use egui::{Key, KeyboardShortcut, Modifiers};
        let shortcut = |modifiers, key| KeyboardShortcut::new(modifiers, key);
        let redo_shift = shortcut(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
        // The more specific shortcut first, since Ctrl+Z would also match Ctrl+Shift+Z.
        let pressed = ui.input_mut(|input| {
            [
                (redo_shift, Command::Redo),
                (shortcut(Modifiers::COMMAND, Key::Z), Command::Undo),
                (shortcut(Modifiers::COMMAND, Key::Y), Command::Redo),
                (shortcut(Modifiers::COMMAND | Modifiers::SHIFT, Key::S), Command::SaveAs(None)),
                (shortcut(Modifiers::COMMAND, Key::S), Command::Save),
                (shortcut(Modifiers::COMMAND, Key::O), Command::Open(None)),
                (shortcut(Modifiers::COMMAND, Key::N), Command::New),
            ]
            .into_iter()
            .filter_map(|(keys, command)| input.consume_shortcut(&keys).then_some(command))
            .collect::<Vec<_>>()
        });
        self.commands.extend(pressed);
        // Keys for the tree only when no text field has the keyboard.
        if self.dialog.is_none() && !ui.ctx().egui_wants_keyboard_input() {
            let keys = ui.input_mut(|input| {
                let mut keys = Vec::new();
                if input.consume_key(Modifiers::NONE, Key::Delete) {
                    keys.push(Command::RequestDelete);
                }
                if input.consume_key(Modifiers::NONE, Key::ArrowDown) {
                    keys.push(Command::SelectNeighbour(1));
                }
                if input.consume_key(Modifiers::NONE, Key::ArrowUp) {
                    keys.push(Command::SelectNeighbour(-1));
                }
                if input.consume_key(Modifiers::NONE, Key::ArrowRight) {
                    keys.push(Command::SelectNeighbour(0));
                }
                if input.consume_key(Modifiers::NONE, Key::ArrowLeft) {
                    keys.push(Command::SelectNeighbour(i32::MIN));
                }
                keys
            });
            self.commands.extend(keys);
        }
    }

    fn handle_dropped_files(&mut self, ui: &egui::Ui) {
        let dropped: Vec<PathBuf> = ui.input(|i| i.raw.dropped_files.iter().map(|f| f.path().to_path_buf()).collect());
        let (plans, data): (Vec<PathBuf>, Vec<PathBuf>) =
            dropped.into_iter().partition(|p| p.extension().is_some_and(|e| e == "ron"));
        if let Some(path) = plans.into_iter().next() {
            self.send(Command::Open(Some(path)));
        } else if !data.is_empty() {
            // Kolada data or a spreadsheet dropped on the window: show what importing it would do.
            self.send(Command::import_files(data));
        }
    }

    fn handle_close_request(&mut self, ui: &egui::Ui) {
        if ui.input(|i| i.viewport().close_requested()) && self.doc.is_dirty() && !self.allow_close {
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.dialog = Some(Dialog::Unsaved { then: Box::new(Command::Quit) });
        }
    }

    /// Carries out the queued commands.
    pub fn apply_commands(&mut self, ctx: &egui::Context) {
        let commands = std::mem::take(&mut self.commands);
        for command in commands {
            self.apply_command(command, ctx);
        }
    }

    fn needs_unsaved_question(command: &Command) -> bool {
        matches!(command, Command::New | Command::Open(_) | Command::Close | Command::Quit)
    }

    fn apply_command(&mut self, command: Command, ctx: &egui::Context) {
        if Self::needs_unsaved_question(&command) && self.doc.is_dirty() {
            // Open(None) first asks which file, so the question is not asked for nothing.
            let command = match command {
                Command::Open(None) => match pick_file_to_open() {
                    Some(path) => Command::Open(Some(path)),
                    None => return,
                },
                other => other,
            };
            self.dialog = Some(Dialog::Unsaved { then: Box::new(command) });
            return;
        }
        let lang = self.lang();
        match command {
            Command::New => self.replace_plan(Plan::new("", lang.t("Ny plan", "New plan"), this_year(), this_year() + 3), None),
            Command::Open(path) => {
                if let Some(path) = path.or_else(pick_file_to_open) {
                    self.open(&path);
                }
            }
            Command::Save => {
                match self.doc.path.clone() {
                    Some(path) => {
                        self.save_to(&path);
                    }
                    None => self.apply_command(Command::SaveAs(None), ctx),
                }
            }
            Command::SaveAs(path) => {
                if let Some(path) = path.or_else(|| pick_file_to_save(&self.plan().meta.title)) {
                    self.save_to(&path);
                }
            }
            Command::Close => self.replace_plan(crate::examples::default_plan(), None),
            Command::Quit => {
                // A clean exit: nothing unsaved is left (saved or discarded by the planner).
                let path = self.doc.path.clone();
                self.drop_recovery_copy(path.as_deref());
                self.allow_close = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Command::Undo => {
                if !self.doc.undo() {
                    self.status_line = lang.t("Inget att ångra", "Nothing to undo").into();
                }
                self.after_change();
            }
            Command::Redo => {
                if !self.doc.redo() {
                    self.status_line = lang.t("Inget att göra om", "Nothing to redo").into();
                }
                self.after_change();
            }
            Command::Edit { edit, merge } => self.edit(edit, merge),
            Command::EndMerge => self.doc.end_merge(),
            Command::Select(node) => {
                self.selected = node;
                self.cell_edit = None;
            }
            Command::ToggleExpanded(node) => {
                if !self.expanded.remove(&node) {
                    self.expanded.insert(node);
                }
                self.expanded_version += 1;
            }
            Command::AddChild => self.add_child(),
            Command::AddSibling => self.add_sibling(),
            Command::AddCommitment(goal) => self.add_commitment(goal, None),
            Command::AddIndicator(goal) => self.add_indicator(goal),
            Command::RequestDelete => {
                if self.selected != NodeRef::Plan {
                    let summary = self.delete_summary(self.selected);
                    self.dialog = Some(Dialog::ConfirmDelete { node: self.selected, summary });
                }
            }
            Command::Delete(node) => self.delete(node),
            Command::MoveUp => self.move_selected(-1),
            Command::MoveDown => self.move_selected(1),
            Command::MoveTo { node, new_parent } => self.move_to(node, new_parent),
            Command::SetSelectionPeriod(selection) => self.period = selection,
            Command::ShowView(view) => self.view = view,
            Command::ExportReport(path) => {
                let name = format!("Lägesbild {}.pdf", self.overview().period);
                if let Some(path) = path.or_else(|| pick_pdf_to_save(&name)) {
                    self.export_report(&path);
                }
            }
            Command::Print => {
                let path = std::env::temp_dir().join(format!("malplan-lagesbild-{}.pdf", std::process::id()));
                if self.export_report(&path) {
                    open_in_system_viewer(&path);
                }
            }
            Command::ShowEditor => {
                self.view = View::Editor;
                self.scroll_tree_to_selection = true;
            }
            Command::SelectNeighbour(step) => self.select_neighbour(step),
            Command::Unsaved(answer) => self.answer_unsaved(answer, ctx),
            Command::CloseDialog => self.dialog = None,
            Command::Restore(restore) => self.answer_restore(restore),
            Command::OverwriteChanged => {
                self.dialog = None;
                if let Some(path) = self.doc.path.clone() {
                    self.disk_stamp = None;
                    self.save_to(&path);
                }
            }
            Command::ReloadFromDisk => {
                self.dialog = None;
                if let Some(path) = self.doc.path.clone() {
                    self.drop_recovery_copy(Some(&path));
                    self.open(&path);
                }
            }
            Command::Autosave => self.autosave(),
            Command::ImportKolada(paths) => {
                if let Some(paths) = paths.or_else(pick_kolada_files) {
                    self.preview_kolada(&paths);
                }
            }
            Command::ImportSheet(path) => {
                if let Some(path) = path.or_else(pick_sheet_to_open) {
                    self.preview_sheet(&path);
                }
            }
            Command::SetKoladaMunicipality(code) => self.rechoose_kolada(|options| options.municipality = Some(code)),
            Command::SetKoladaComparison(code) => self.rechoose_kolada(|options| {
                let mut comparisons = crate::exchange::kolada::KoladaOptions::default().comparisons;
                if let Some(code) = code.filter(|c| !comparisons.iter().any(|(riket, _)| riket == c)) {
                    if options.municipality.as_deref() == Some(code.as_str()) {
                        options.municipality = None;
                    }
                    comparisons.push((code.clone(), format!("Jämförelse {code}")));
                }
                options.comparisons = comparisons;
            }),
            Command::AcceptImport => self.accept_import(),
            Command::ExportSheet(path) => {
                let name = format!("{}.xlsx", file_stem_for(&self.plan().meta.title));
                if let Some(path) = path.or_else(|| pick_sheet_to_save(&name)) {
                    match crate::exchange::write_sheet(self.doc.plan(), &path) {
                        Ok(()) => {
                            self.status_line =
                                format!("{} {}", self.lang().t("Indikatorerna exporterade:", "Indicators exported:"), path.display());
                        }
                        Err(message) => {
                            self.dialog = Some(Dialog::Error {
                                title: self.lang().t("Exporten misslyckades", "The export failed").into(),
                                message,
                            });
                        }
                    }
                }
            }
        }
    }

    fn preview_kolada(&mut self, paths: &[PathBuf]) {
        let files = match crate::exchange::kolada::read_files(paths) {
            Ok(files) => files,
            Err(message) => {
                self.dialog = Some(Dialog::Error {
                    title: self.lang().t("Kolada-filen kunde inte läsas", "The Kolada file could not be read").into(),
                    message,
                });
                return;
            }
        };
        let municipalities = crate::exchange::kolada::municipalities(&files);
        let options = crate::exchange::kolada::KoladaOptions::default();
        self.show_kolada_preview(files, options, municipalities);
    }

    fn show_kolada_preview(
        &mut self,
        files: Vec<crate::exchange::kolada::KoladaFile>,
        options: crate::exchange::kolada::KoladaOptions,
        municipalities: Vec<String>,
    ) {
        let preview = crate::exchange::kolada::preview(self.doc.plan(), &files, &options).map_err(|e| e.to_string());
        let source = ImportSource::Kolada { files, options, municipalities };
        self.dialog = Some(Dialog::Import(Arc::new(ImportDialog::new(self.doc.plan(), source, preview))));
    }

    /// Changes an option of the open Kolada preview and computes the preview again.
    fn rechoose_kolada(&mut self, change: impl FnOnce(&mut crate::exchange::kolada::KoladaOptions)) {
        let Some(Dialog::Import(dialog)) = self.dialog.take() else { return };
        match Arc::try_unwrap(dialog) {
            Ok(ImportDialog { source: ImportSource::Kolada { files, mut options, municipalities }, .. }) => {
                change(&mut options);
                self.show_kolada_preview(files, options, municipalities);
            }
            Ok(other) => self.dialog = Some(Dialog::Import(Arc::new(other))),
            Err(shared) => self.dialog = Some(Dialog::Import(shared)),
        }
    }

    fn preview_sheet(&mut self, path: &Path) {
        let result = crate::exchange::sheet::read_file(path)
            .and_then(|sheet| crate::exchange::sheet::preview(self.doc.plan(), &sheet));
        match result {
            Ok(preview) => {
                let name = path.display().to_string();
                self.dialog = Some(Dialog::Import(Arc::new(ImportDialog::new(
                    self.doc.plan(),
                    ImportSource::Sheet { name },
                    Ok(preview),
                ))));
            }
            Err(error) => {
                self.dialog = Some(Dialog::Error {
                    title: self.lang().t("Kalkylbladet kunde inte läsas", "The spreadsheet could not be read").into(),
                    message: error.to_string(),
                });
            }
        }
    }

    fn accept_import(&mut self) {
        let Some(Dialog::Import(dialog)) = self.dialog.take() else { return };
        let Ok(preview) = &dialog.preview else { return };
        let Some(edit) = preview.to_edit(self.doc.plan()) else { return };
        let count = preview.changes.len();
        let before = self.doc.revision();
        self.edit(edit, None);
        if self.doc.revision() == before {
            return; // `edit` put the reason in the status line
        }
        self.status_line = format!(
            "{count} {}",
            self.lang().t("värden importerade – ångra med Ctrl+Z", "values imported – undo with Ctrl+Z")
        );
    }

    fn answer_restore(&mut self, restore: bool) {
        let Some(Dialog::Restore { recovered }) = self.dialog.take() else { return };
        let original = recovered.info.original.clone();
        if !restore {
            self.drop_recovery_copy(original.as_deref());
            return;
        }
        let loaded = self.recovery.as_ref().map(|store| store.load(&recovered));
        match loaded {
            Some(Ok(plan)) => {
                let recovery = self.recovery.take();
                self.replace_plan(plan, original.clone());
                self.recovery = recovery;
                self.disk_stamp = original.as_deref().and_then(crate::recovery::DiskStamp::of);
                self.doc.mark_unsaved();
                self.status_line = self.lang().t("Osparat arbete återställt – spara för att behålla det.", "Unsaved work restored – save to keep it.").into();
            }
            Some(Err(error)) => {
                self.dialog = Some(Dialog::Error {
                    title: self.lang().t("Återställningen misslyckades", "Restoring failed").into(),
                    message: error.to_string(),
                });
            }
            None => {}
        }
    }

    fn answer_unsaved(&mut self, answer: UnsavedAnswer, ctx: &egui::Context) {
        let Some(Dialog::Unsaved { then }) = self.dialog.take() else { return };
        match answer {
            UnsavedAnswer::Cancel => {}
            UnsavedAnswer::Save => {
                let saved = match self.doc.path.clone().or_else(|| pick_file_to_save(&self.plan().meta.title)) {
                    Some(path) => self.save_to(&path),
                    None => false,
                };
                if saved {
                    self.apply_command(*then, ctx);
                }
            }
            UnsavedAnswer::DontSave => {
                let path = self.doc.path.clone();
                self.drop_recovery_copy(path.as_deref());
                self.doc.mark_saved();
                self.apply_command(*then, ctx);
            }
        }
    }

    /// Applies an edit through the document (undo, revision, dirty mark).
    pub fn edit(&mut self, edit: Edit, merge: Option<MergeKey>) {
        if let Err(error) = self.doc.apply_merging(edit, merge) {
            self.status_line = error.to_string();
        }
        self.after_change();
    }

    fn after_change(&mut self) {
        // Checking a small plan takes microseconds: at once. A large one takes milliseconds,
        // too much for every keystroke: once typing pauses. Decided by size, not by a timing,
        // so the behaviour is the same on every machine.
        let plan = self.doc.plan();
        if plan.goals.len() + plan.commitments.len() + plan.indicators.len() < VALIDATE_AT_ONCE_BELOW_ITEMS {
            self.revalidate();
        } else {
            self.validation_due = Some(std::time::Instant::now() + VALIDATION_DELAY);
        }
        if !self.node_exists(self.selected) {
            self.selected = NodeRef::Plan;
        }
    }

    fn revalidate(&mut self) {
        self.problems = validate::validate(self.doc.plan());
        self.validation_due = None;
    }

    /// Rebuilds the problem list when a delayed check is due (see `after_change`).
    fn validation_tick(&mut self, ctx: &egui::Context) {
        if let Some(due) = self.validation_due {
            let now = std::time::Instant::now();
            if now >= due {
                self.revalidate();
            } else {
                ctx.request_repaint_after(due - now);
            }
        }
    }

    pub fn node_exists(&self, node: NodeRef) -> bool {
        let plan = self.plan();
        match node {
            NodeRef::Plan => true,
            NodeRef::Goal(id) => plan.goals.iter().any(|g| g.id == id),
            NodeRef::Commitment(id) => plan.commitments.iter().any(|c| c.id == id),
            NodeRef::Indicator(id) => plan.indicators.iter().any(|i| i.id == id),
        }
    }

    /// Opens a plan file; on failure shows the error and keeps the current plan.
    pub fn open(&mut self, path: &Path) {
        // Big files load on a worker thread so the window never freezes; small ones at once.
        let size = std::fs::metadata(path).map_or(0, |m| m.len());
        if size > BACKGROUND_LOAD_BYTES {
            let (sender, receiver) = std::sync::mpsc::channel();
            let worker_path = path.to_path_buf();
            std::thread::spawn(move || {
                let _ = sender.send(storage::load(&worker_path));
            });
            self.pending_open = Some(PendingOpen { path: path.to_path_buf(), receiver, size_mb: size as f64 / 1e6 });
            return;
        }
        let loaded = storage::load(path);
        self.finish_open(path, loaded);
    }

    /// Whether a plan is being read in the background.
    pub fn is_loading(&self) -> bool {
        self.pending_open.is_some()
    }

    /// Picks up a background load when it is done.
    fn poll_pending_open(&mut self, ctx: &egui::Context) {
        let Some(pending) = &self.pending_open else { return };
        match pending.receiver.try_recv() {
            Ok(loaded) => {
                let path = pending.path.clone();
                self.pending_open = None;
                self.finish_open(&path, loaded);
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => ctx.request_repaint_after(std::time::Duration::from_millis(50)),
            Err(std::sync::mpsc::TryRecvError::Disconnected) => self.pending_open = None,
        }
    }

    fn finish_open(&mut self, path: &Path, loaded: Result<Plan, storage::LoadError>) {
        match loaded {
            Ok(plan) => {
                self.replace_plan(plan, Some(path.to_path_buf()));
                self.disk_stamp = crate::recovery::DiskStamp::of(path);
                self.remember(path);
            }
            Err(error) => {
                self.dialog = Some(Dialog::Error {
                    title: self.lang().t("Filen kunde inte öppnas", "The file could not be opened").into(),
                    message: error.to_string(),
                });
            }
        }
    }

    /// Saves to `path`; on failure shows the error and keeps the plan dirty.
    pub fn save_to(&mut self, path: &Path) -> bool {
        // Someone else (or a sync tool) changed the file since we read it: ask first.
        if self.doc.path.as_deref() == Some(path)
            && self.disk_stamp.is_some()
            && let Some(now) = crate::recovery::DiskStamp::of(path)
            && Some(now) != self.disk_stamp
        {
            self.dialog = Some(Dialog::ChangedOnDisk { path: path.to_path_buf() });
            return false;
        }
        let previous_path = self.doc.path.clone();
        match storage::save(self.doc.plan(), path) {
            Ok(()) => {
                self.drop_recovery_copy(previous_path.as_deref());
                self.doc.path = Some(path.to_path_buf());
                self.doc.mark_saved();
                self.disk_stamp = crate::recovery::DiskStamp::of(path);
                self.remember(path);
                self.status_line = format!("{} {}", self.lang().t("Sparat:", "Saved:"), path.display());
                true
            }
            Err(error) => {
                self.dialog = Some(Dialog::SaveFailed { message: error.to_string() });
                false
            }
        }
    }

    fn replace_plan(&mut self, plan: Plan, path: Option<PathBuf>) {
        let settings = self.settings.clone();
        let filter = std::mem::take(&mut self.filter);
        let recovery = self.recovery.take();
        let fonts_installed = self.fonts_installed;
        *self = Self::new(plan, path, settings);
        self.filter = filter;
        self.recovery = recovery;
        self.fonts_installed = fonts_installed;
    }

    fn remember(&mut self, path: &Path) {
        let path = path.to_path_buf();
        self.settings.recent.retain(|p| p != &path);
        self.settings.recent.insert(0, path.clone());
        self.settings.recent.truncate(RECENT_LIMIT);
        self.settings.last_file = Some(path);
    }

    /// Selects the first goal, commitment or indicator whose text contains `text` (any case)
    /// and expands the way to it. Returns whether something matched.
    pub fn select_by_text(&mut self, text: &str) -> bool {
        let needle = text.to_lowercase();
        let plan = self.plan();
        let found = plan
            .goals
            .iter()
            .map(|g| NodeRef::Goal(g.id))
            .chain(plan.commitments.iter().map(|c| NodeRef::Commitment(c.id)))
            .chain(plan.indicators.iter().map(|i| NodeRef::Indicator(i.id)))
            .find(|node| outline::node_text(plan, *node).to_lowercase().contains(&needle));
        let Some(node) = found else { return false };
        let mut goal = match node {
            NodeRef::Goal(id) => plan.goal(id).and_then(|g| g.parent),
            NodeRef::Commitment(id) => plan.commitments.iter().find(|c| c.id == id).map(|c| c.goal),
            NodeRef::Indicator(id) => plan.indicators.iter().find(|i| i.id == id).map(|i| i.goal),
            NodeRef::Plan => None,
        };
        let mut ancestors = Vec::new();
        while let Some(id) = goal {
            if ancestors.contains(&id) {
                break;
            }
            ancestors.push(id);
            goal = plan.goal(id).and_then(|g| g.parent);
        }
        for id in ancestors {
            self.expand(NodeRef::Goal(id));
        }
        self.selected = node;
        self.scroll_tree_to_selection = true;
        true
    }

    fn select_neighbour(&mut self, step: i32) {
        let rows = self.outline_rows();
        let Some(index) = rows.iter().position(|r| r.node == self.selected) else {
            self.selected = NodeRef::Plan;
            return;
        };
        let row = rows[index];
        match step {
            0 if row.has_children && !row.expanded => self.send(Command::ToggleExpanded(row.node)),
            i32::MIN if row.has_children && row.expanded => self.send(Command::ToggleExpanded(row.node)),
            i32::MIN => {
                // Left on a collapsed node or leaf: go to its parent row.
                if let Some(parent) = rows[..index].iter().rev().find(|r| r.depth < row.depth) {
                    self.selected = parent.node;
                }
            }
            0 => {}
            step => {
                let next = (index as i64 + i64::from(step)).clamp(0, rows.len() as i64 - 1) as usize;
                self.selected = rows[next].node;
                self.scroll_tree_to_selection = true;
            }
        }
    }

    fn add_child(&mut self) {
        match self.selected {
            NodeRef::Plan => self.add_goal(None, GoalLevel::Area, None),
            NodeRef::Goal(id) => {
                let Some(goal) = self.plan().goal(id) else { return };
                match goal.level {
                    GoalLevel::Area => self.add_goal(Some(id), GoalLevel::StrategicGoal, None),
                    GoalLevel::StrategicGoal => self.add_goal(Some(id), GoalLevel::BoardGoal, None),
                    GoalLevel::BoardGoal => self.add_commitment(id, None),
                }
            }
            NodeRef::Commitment(_) | NodeRef::Indicator(_) => self.add_sibling(),
        }
    }

    fn add_sibling(&mut self) {
        match self.selected {
            NodeRef::Plan => self.add_goal(None, GoalLevel::Area, None),
            NodeRef::Goal(id) => {
                let Some(goal) = self.plan().goal(id) else { return };
                let (parent, level) = (goal.parent, goal.level);
                let after = self.plan().goals.iter().position(|g| g.id == id).map(|i| i + 1);
                self.add_goal(parent, level, after);
            }
            NodeRef::Commitment(id) => {
                let plan = self.plan();
                if let Some(index) = plan.commitments.iter().position(|c| c.id == id) {
                    let goal = plan.commitments[index].goal;
                    self.add_commitment(goal, Some(index + 1));
                }
            }
            NodeRef::Indicator(id) => {
                if let Some(goal) = self.plan().indicators.iter().find(|i| i.id == id).map(|i| i.goal) {
                    self.add_indicator(goal);
                }
            }
        }
    }

    fn add_goal(&mut self, parent: Option<ItemId>, level: GoalLevel, index: Option<usize>) {
        let id = self.plan().next_id();
        let boards = match (level, &self.plan().meta.owner_board) {
            (GoalLevel::BoardGoal, Some(owner)) => vec![owner.clone()],
            _ => Vec::new(),
        };
        let goal = Goal {
            id,
            level,
            parent,
            title: format!("{} ({})", self.lang().level(level), self.lang().t("ny", "new")),
            description: String::new(),
            focus: Vec::new(),
            agenda2030: Vec::new(),
            boards,
            precision: String::new(),
            schedule: Vec::new(),
        };
        let index = index.unwrap_or(self.plan().goals.len());
        self.edit(Edit::InsertGoal { index, goal }, None);
        if let Some(parent) = parent {
            self.expand(NodeRef::Goal(parent));
        }
        self.selected = NodeRef::Goal(id);
    }

    fn add_commitment(&mut self, goal: ItemId, index: Option<usize>) {
        let id = self.plan().next_id();
        let boards = self.plan().goal(goal).map(|g| g.boards.clone()).unwrap_or_default();
        let commitment = Commitment {
            id,
            goal,
            text: self.lang().t("Nytt åtagande", "New commitment").into(),
            boards,
        };
        let index = index.unwrap_or(self.plan().commitments.len());
        self.edit(Edit::InsertCommitment { index, commitment }, None);
        self.expand(NodeRef::Goal(goal));
        self.selected = NodeRef::Commitment(id);
    }

    fn add_indicator(&mut self, goal: ItemId) {
        let id = self.plan().next_id();
        let indicator = Indicator {
            id,
            goal,
            code: String::new(),
            name: self.lang().t("Ny indikator", "New indicator").into(),
            description: String::new(),
            kind: IndicatorKind::Organisation,
            unit: Unit::Percent,
            decimals: 1,
            direction: Default::default(),
            kolada: None,
            thresholds: Thresholds::default(),
            series: vec![Series {
                name: "Totalt".into(),
                kind: SeriesKind::Total,
                ..Series::default()
            }],
        };
        let index = self.plan().indicators.len();
        self.edit(Edit::InsertIndicator { index, indicator }, None);
        self.expand(NodeRef::Goal(goal));
        self.selected = NodeRef::Indicator(id);
    }

    fn expand(&mut self, node: NodeRef) {
        if self.expanded.insert(node) {
            self.expanded_version += 1;
        }
    }

    /// The goals, commitments and indicators that go with a node when it is deleted.
    fn deleted_with(&self, node: NodeRef) -> (Vec<ItemId>, Vec<ItemId>, Vec<ItemId>) {
        match node {
            NodeRef::Goal(id) => {
                let mut goals = vec![id];
                goals.extend(Structure::new(self.plan()).descendant_goals(self.plan(), id));
                let set: HashSet<ItemId> = goals.iter().copied().collect();
                let plan = self.plan();
                let commitments = plan.commitments.iter().filter(|c| set.contains(&c.goal)).map(|c| c.id).collect();
                let indicators = plan.indicators.iter().filter(|i| set.contains(&i.goal)).map(|i| i.id).collect();
                (goals, commitments, indicators)
            }
            NodeRef::Commitment(id) => (vec![], vec![id], vec![]),
            NodeRef::Indicator(id) => (vec![], vec![], vec![id]),
            NodeRef::Plan => (vec![], vec![], vec![]),
        }
    }

    pub fn delete_summary(&self, node: NodeRef) -> String {
        let lang = self.lang();
        let (goals, commitments, indicators) = self.deleted_with(node);
        let name = outline::node_text(self.plan(), node);
        let mut with = Vec::new();
        if goals.len() > 1 {
            with.push(format!("{} {}", goals.len() - 1, lang.t("underliggande mål", "goals below it")));
        }
        if !commitments.is_empty() && !matches!(node, NodeRef::Commitment(_)) {
            with.push(format!("{} {}", commitments.len(), lang.t("åtaganden", "commitments")));
        }
        if !indicators.is_empty() && !matches!(node, NodeRef::Indicator(_)) {
            with.push(format!("{} {}", indicators.len(), lang.t("indikatorer", "indicators")));
        }
        let mut text = format!("{} \"{}\"", lang.t("Ta bort", "Delete"), name);
        if !with.is_empty() {
            text.push_str(&format!(" {} {}", lang.t("tillsammans med", "together with"), with.join(", ")));
        }
        text.push('?');
        text
    }

    fn delete(&mut self, node: NodeRef) {
        let (goals, commitments, indicators) = self.deleted_with(node);
        let plan = self.plan();
        let mut edits = Vec::new();
        // Follow-ups first, then leaves, then goals from the bottom up.
        for period in &plan.periods {
            for f in period.goals.iter().filter(|f| goals.contains(&f.goal)) {
                edits.push(Edit::GoalFollowUp { period: period.id, goal: f.goal, value: None, at: None });
            }
            for f in period.commitments.iter().filter(|f| commitments.contains(&f.commitment)) {
                edits.push(Edit::CommitmentFollowUp {
                    period: period.id,
                    commitment: f.commitment,
                    value: None,
                    at: None,
                });
            }
        }
        edits.extend(commitments.into_iter().map(Edit::RemoveCommitment));
        edits.extend(indicators.into_iter().map(Edit::RemoveIndicator));
        edits.extend(goals.into_iter().rev().map(Edit::RemoveGoal));
        if !edits.is_empty() {
            self.edit(Edit::Batch(edits), None);
        }
    }

    fn move_selected(&mut self, step: i32) {
        let plan = self.plan();
        let edit = match self.selected {
            NodeRef::Goal(id) => {
                let Some(from) = plan.goals.iter().position(|g| g.id == id) else { return };
                let parent = plan.goals[from].parent;
                neighbour_index(&plan.goals, from, step, |g| g.parent == parent)
                    .map(|index| Edit::MoveGoal { id, index })
            }
            NodeRef::Commitment(id) => {
                let Some(from) = plan.commitments.iter().position(|c| c.id == id) else { return };
                let goal = plan.commitments[from].goal;
                neighbour_index(&plan.commitments, from, step, |c| c.goal == goal)
                    .map(|index| Edit::MoveCommitment { id, index })
            }
            NodeRef::Indicator(id) => {
                let Some(from) = plan.indicators.iter().position(|i| i.id == id) else { return };
                let goal = plan.indicators[from].goal;
                neighbour_index(&plan.indicators, from, step, |i| i.goal == goal)
                    .map(|index| Edit::MoveIndicator { id, index })
            }
            NodeRef::Plan => None,
        };
        if let Some(edit) = edit {
            self.edit(edit, None);
        }
    }

    fn move_to(&mut self, node: NodeRef, new_parent: NodeRef) {
        let lang = self.lang();
        let target_goal = match new_parent {
            NodeRef::Goal(id) => Some(id),
            NodeRef::Plan => None,
            _ => return,
        };
        let edit = match node {
            NodeRef::Goal(id) => {
                let mut below = Structure::new(self.plan()).descendant_goals(self.plan(), id);
                below.push(id);
                if target_goal.is_some_and(|t| below.contains(&t)) {
                    self.status_line = lang.t("Ett mål kan inte flyttas in under sig självt.", "A goal cannot move below itself.").into();
                    return;
                }
                let Some(mut goal) = self.plan().goal(id).cloned() else { return };
                if goal.parent == target_goal {
                    return;
                }
                goal.parent = target_goal;
                Edit::Goal(goal)
            }
            NodeRef::Commitment(id) => {
                let Some(target) = target_goal else { return };
                let Some(mut c) = self.plan().commitments.iter().find(|c| c.id == id).cloned() else { return };
                c.goal = target;
                Edit::Commitment(c)
            }
            NodeRef::Indicator(id) => {
                let Some(target) = target_goal else { return };
                let Some(mut i) = self.plan().indicators.iter().find(|i| i.id == id).cloned() else { return };
                i.goal = target;
                Edit::Indicator(i)
            }
            NodeRef::Plan => return,
        };
        self.edit(edit, None);
        if let Some(target) = target_goal {
            self.expand(NodeRef::Goal(target));
        }
    }

    /// Stores the settings (eframe persistence).
    pub fn save_settings(&self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
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

/// The latest follow-up period, or the plan's last year.
pub fn default_period(plan: &Plan) -> Selection {
    plan.periods
        .last()
        .map_or(Selection::Year(plan.meta.last_year), |p| Selection::Period(p.id))
}

fn this_year() -> i32 {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    1970 + (seconds / 31_556_952) as i32
}

fn pick_file_to_open() -> Option<PathBuf> {
    rfd::FileDialog::new()
        .add_filter("Målplan (.ron)", &["ron"])
        .pick_file()
}

fn pick_kolada_files() -> Option<Vec<PathBuf>> {
    rfd::FileDialog::new().add_filter("Kolada (JSON)", &["json"]).pick_files()
}

fn pick_sheet_to_open() -> Option<PathBuf> {
    rfd::FileDialog::new()
        .add_filter("Kalkylblad", &["xlsx", "xls", "ods", "csv"])
        .pick_file()
}

fn pick_sheet_to_save(name: &str) -> Option<PathBuf> {
    rfd::FileDialog::new()
        .add_filter("Excel", &["xlsx"])
        .add_filter("CSV (Excel, semikolon)", &["csv"])
        .set_file_name(name)
        .save_file()
        .map(|p| if p.extension().is_none() { p.with_extension("xlsx") } else { p })
}

/// A file name made from a title: letters, digits and dashes.
fn file_stem_for(title: &str) -> String {
    title.chars().map(|c| if c.is_alphanumeric() || c == '-' { c } else { '-' }).collect()
}

fn pick_pdf_to_save(name: &str) -> Option<PathBuf> {
    rfd::FileDialog::new()
        .add_filter("PDF", &["pdf"])
        .set_file_name(name)
        .save_file()
        .map(|p| if p.extension().is_none() { p.with_extension("pdf") } else { p })
}

/// Opens a file in the desktop's default program (the PDF viewer prints it).
fn open_in_system_viewer(path: &Path) {
    #[cfg(target_os = "windows")]
    let result = std::process::Command::new("cmd").args(["/C", "start", ""]).arg(path).spawn();
    #[cfg(target_os = "macos")]
    let result = std::process::Command::new("open").arg(path).spawn();
    #[cfg(not(any(target_os = "windows", target_os = "macos")))]
    let result = std::process::Command::new("xdg-open").arg(path).spawn();
    if let Err(error) = result {
        eprintln!("could not open {}: {error}", path.display());
    }
}

fn pick_file_to_save(title: &str) -> Option<PathBuf> {
    let name: String = title
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '-' { c } else { '-' })
        .collect();
    let name = if name.trim_matches('-').is_empty() { "plan".to_owned() } else { name };
    rfd::FileDialog::new()
        .add_filter("Målplan (.ron)", &["ron"])
        .set_file_name(format!("{name}.ron"))
        .save_file()
        .map(|p| if p.extension().is_none() { p.with_extension("ron") } else { p })
}

impl eframe::App for MalplanApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.save_settings(storage);
    }
}
