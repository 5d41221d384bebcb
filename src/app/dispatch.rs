//! Carrying out commands, one small function per kind: files (with their jobs), edits, views
//! and answers to dialogs; and taking in what finished jobs bring back.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::effects::JobOutput;
use super::{Dialog, MalplanApp, default_period};
use crate::command::{Answer, ChangedAnswer, Command, EditCommand, FileCommand, UnsavedAnswer, View, ViewCommand};
use crate::edit::{Edit, PreparedEdit};
use crate::followup::Selection;
use crate::exchange::budget_sheet::AnyPreview;
use crate::exchange::kolada::{KoladaFile, KoladaOptions};
use crate::i18n::Lang;
use crate::model::Plan;
use crate::outline::NodeRef;
use crate::recovery::DiskStamp;
use crate::plan_lock::{self, GuardedSaveError};
use crate::storage::{self, LoadError, SaveError};
use crate::ui::dialogs::{ImportDialog, ImportKind};

/// What a job brings back to the UI thread.
pub enum JobResult {
    Opened { path: PathBuf, result: Result<Plan, LoadError> },
    Saved { path: PathBuf, state: u64, saved: Arc<Plan>, result: Result<(), GuardedSaveError>, then: Option<Box<Command>> },
    /// The version on disk merged with mine (`revision`: the document's when the merge began).
    Merged { path: PathBuf, revision: u64, result: Result<Box<MergedFromDisk>, String>, then: Option<Box<Command>> },
    /// Another version compared with the open plan: the changes in planner words.
    Compared { path: PathBuf, result: Result<Vec<String>, String> },
    Autosaved { revision: u64, result: Result<(), SaveError> },
    ReportWritten { path: PathBuf, print: bool, result: Result<usize, String> },
    SheetWritten { path: PathBuf, budget: bool, result: Result<(), String> },
    ImportPrepared(Result<Box<(PendingImport, ImportDialog)>, (String, String)>),
    Checked { revision: u64, problems: Vec<crate::validate::Problem> },
    ImportApplied(Result<Box<PreparedImport>, String>),
    /// What the Kolada finder found for `query` (matches and the offline notice, or why not).
    KoladaFound { query: String, result: Result<(Vec<crate::ui::dialogs::Found>, Option<String>), String> },
}

/// A merge with the file on disk: the merged plan, the version read (the next merge's base)
/// and its stamp.
pub struct MergedFromDisk {
    merged: crate::merge::Merged,
    theirs: Arc<Plan>,
    stamp: Option<DiskStamp>,
}

/// An accepted import applied on a worker, with what the window shows of the result.
pub struct PreparedImport {
    prepared: PreparedEdit,
    selection: Selection,
    follow_up: crate::followup::FollowUp,
    structure: crate::outline::Structure,
    count: usize,
}

/// Where an import's values come from, kept to recompute the preview when an option changes.
pub enum ImportSource {
    Kolada { files: Vec<KoladaFile>, options: KoladaOptions },
    Sheet,
}

/// An import shown in the preview: its source and the edit accepting it applies (made against
/// the plan at `revision`).
pub struct PendingImport {
    source: ImportSource,
    source_name: String,
    edit: Option<Edit>,
    /// Indicator values (Kolada, the indicator sheet) or budget amounts (the budget sheet).
    preview: Option<Box<dyn AnyPreview>>,
    revision: u64,
}

/// How long a save waits for another writer's lock on the plan (a command-line import, say).
const SAVE_LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// A file name made from a title: letters, digits and dashes.
fn file_stem_for(title: &str) -> String {
    let name: String = title.chars().map(|c| if c.is_alphanumeric() || c == '-' { c } else { '-' }).collect();
    if name.trim_matches('-').is_empty() { "plan".to_owned() } else { name }
}

/// The preview and its lines, formatted on the worker (they can be 180 000 rows).
fn prepare_kolada(
    plan: &Plan,
    revision: u64,
    files: Vec<KoladaFile>,
    options: KoladaOptions,
    source_name: String,
    lang: Lang,
) -> (PendingImport, ImportDialog) {
    let municipalities = crate::exchange::kolada::municipalities(&files);
    let own = crate::exchange::kolada::own_municipality(&files, &options).ok().flatten();
    let comparison = options.comparisons.iter().map(|(code, _)| code).find(|c| *c != "0000").cloned();
    let preview = crate::exchange::kolada::preview(plan, &files, &options)
        .map(|p| Box::new(p) as Box<dyn AnyPreview>)
        .map_err(|e| e.to_string());
    let kind = ImportKind::Kolada { municipalities, own, comparison };
    finish_prepare(plan, revision, ImportSource::Kolada { files, options }, source_name, preview, kind, lang)
}

fn finish_prepare(
    plan: &Plan,
    revision: u64,
    source: ImportSource,
    source_name: String,
    preview: Result<Box<dyn AnyPreview>, String>,
    kind: ImportKind,
    lang: Lang,
) -> (PendingImport, ImportDialog) {
    let dialog = ImportDialog {
        kind,
        source_name: source_name.clone(),
        summary: preview.as_ref().map(|p| p.summary_line(lang)).map_err(Clone::clone),
        change_rows: preview.as_ref().map(|p| p.change_rows(plan, lang)).unwrap_or_default(),
        skipped_lines: preview.as_ref().map(|p| p.skipped_lines(lang)).unwrap_or_default(),
        change_count: preview.as_ref().map_or(0, |p| p.change_count()),
    };
    let edit = preview.as_ref().ok().and_then(|p| p.edit(plan));
    (PendingImport { source, source_name, edit, preview: preview.ok(), revision }, dialog)
}

impl MalplanApp {
    pub(super) fn apply(&mut self, command: Command, ctx: &egui::Context) {
        match command {
            Command::File(c) => self.file_command(c, ctx),
            Command::Edit(c) => self.edit_command(c),
            Command::View(c) => self.view_command(c),
            Command::Answer(a) => self.answer(a, ctx),
        }
    }

    fn error(&mut self, title: (&'static str, &'static str), message: String) {
        let title = self.lang().t(title.0, title.1).to_owned();
        self.show_dialog(Dialog::Error { title, message });
    }

    fn file_command(&mut self, command: FileCommand, ctx: &egui::Context) {
        if self.jobs.busy() {
            // Everything here touches the document or the disk: one thing at a time.
            return;
        }
        if command.replaces_plan() && self.doc.is_dirty() {
            // Open(None) first asks which file, so the question is not asked for nothing.
            let command = match command {
                FileCommand::Open(None) => match self.desktop.pick_plan_to_open() {
                    Some(path) => FileCommand::Open(Some(path)),
                    None => return,
                },
                other => other,
            };
            self.show_dialog(Dialog::Unsaved { then: Box::new(command.into()) });
            return;
        }
        let lang = self.lang();
        match command {
            FileCommand::New => self.replace_plan(crate::ops::new_plan(lang, crate::time::this_year()), None),
            FileCommand::Open(path) => {
                if let Some(path) = path.or_else(|| self.desktop.pick_plan_to_open()) {
                    self.open(&path);
                }
            }
            FileCommand::Save => match self.doc.path.clone() {
                Some(path) => self.save_to(&path, None, true),
                None => self.file_command(FileCommand::SaveAs(None), ctx),
            },
            FileCommand::SaveAs(path) => {
                if let Some(path) = path.or_else(|| self.pick_plan_to_save()) {
                    self.save_to(&path, None, true);
                }
            }
            FileCommand::Close => self.replace_plan(crate::examples::default_plan(), None),
            FileCommand::Quit => {
                // A clean exit: nothing unsaved is left (saved or discarded by the planner).
                let path = self.doc.path.clone();
                self.drop_recovery_copy(path.as_deref());
                self.print_files.remove_all();
                self.allow_close = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            FileCommand::ExportReport(path) => {
                let name = format!("Lägesbild {}.pdf", self.selection_name());
                if let Some(path) = path.or_else(|| self.desktop.pick_pdf_to_save(&name)) {
                    match self.output_is_not_the_plan(&path) {
                        Ok(()) => self.start_report(path, false),
                        Err(message) => self.error(("Rapporten kunde inte skapas", "The report could not be written"), message),
                    }
                }
            }
            FileCommand::Print => match self.print_files.next_path() {
                Ok(path) => self.start_report(path, true),
                Err(message) => self.error(("Utskriften kunde inte förberedas", "Printing could not be prepared"), message),
            },
            FileCommand::ExportSheet(path) => self.export_sheet(path, false),
            FileCommand::ExportBudgetSheet(path) => {
                if self.plan().budgets.is_empty() {
                    let message = lang.t("Planen har ingen budget att exportera.", "The plan has no budget to export.").to_owned();
                    self.error(("Exporten misslyckades", "The export failed"), message);
                    return;
                }
                self.export_sheet(path, true);
            }
            FileCommand::ImportKolada(paths) => {
                if let Some(paths) = paths.or_else(|| self.desktop.pick_kolada_files()) {
                    self.start_kolada_import(paths);
                }
            }
            FileCommand::ImportSheet(path) => {
                if let Some(path) = path.or_else(|| self.desktop.pick_sheet_to_open()) {
                    self.start_sheet_import(path);
                }
            }
            FileCommand::FetchKolada => self.start_kolada_fetch(),
            FileCommand::KoladaFind(purpose) => {
                use crate::ui::dialogs::{FindPurpose, KoladaFind};
                let find = KoladaFind { purpose, query: String::new(), results: Vec::new(), notice: None, error: None, searching: false };
                self.show_dialog(Dialog::KoladaFind(Arc::new(find)));
                // Municipalities are few: the whole list at once, narrowed by typing.
                if !matches!(purpose, FindPurpose::Kpi { .. }) {
                    self.kolada_search(String::new());
                }
            }
            FileCommand::Autosave => self.autosave(),
            FileCommand::ExportDocument(path) => {
                let title = if self.plan().document.title.trim().is_empty() { self.plan().meta.title.clone() } else { self.plan().document.title.clone() };
                let name = format!("{}.pdf", file_stem_for(&title));
                if let Some(path) = path.or_else(|| self.desktop.pick_document_to_save(&name)) {
                    match self.output_is_not_the_plan(&path) {
                        Ok(()) => self.start_document(path),
                        Err(message) => self.error(("Dokumentet kunde inte skapas", "The document could not be written"), message),
                    }
                }
            }
            FileCommand::CompareWith(path) => {
                if let Some(path) = path.or_else(|| self.desktop.pick_plan_to_open()) {
                    self.start_compare(path);
                }
            }
            FileCommand::ShowConflicts => {
                if !self.plan().conflicts.is_empty() && !self.dialogs.iter().any(|d| matches!(d, Dialog::MergeConflicts { .. })) {
                    self.show_dialog(Dialog::MergeConflicts { then: None });
                }
            }
        }
    }

    /// Merges the file's version (theirs) with mine, from the version read at open or the last
    /// save (base), on a worker. See `finish_merge`.
    fn start_merge(&mut self, path: PathBuf, then: Option<Box<Command>>) {
        let Some(base) = self.disk_base.clone() else {
            let message = self
                .lang()
                .t(
                    "Versionen du öppnade finns inte kvar att jämföra med (planen återställdes eller öppnades utan fil). Spara som kopia och jämför med Arkiv → Jämför med…",
                    "The version you opened is not available to compare with (the plan was restored or opened without a file). Save a copy and compare with File → Compare with…",
                )
                .to_owned();
            self.error(("Kan inte slå ihop", "Cannot merge"), message);
            return;
        };
        let mine = self.doc.snapshot();
        let revision = self.doc.revision();
        let label = format!("{} {}…", self.lang().t("Slår ihop med", "Merging with"), path.display());
        self.jobs.start_foreground(label, false, move |_| {
            let stamp = DiskStamp::of(&path);
            let result = storage::load(&path).map_err(|e| e.to_string()).and_then(|theirs| {
                let merged = crate::merge::merge(&base, &mine, &theirs).map_err(|e| e.to_string())?;
                Ok(Box::new(MergedFromDisk { merged, theirs: Arc::new(theirs), stamp }))
            });
            JobResult::Merged { path, revision, result, then }
        });
    }

    /// Puts the merged plan in place as one undoable edit; the file's version becomes the base
    /// of the next merge. Clean: saves (and runs what waited for the save). Conflicts: lists
    /// them for choosing first.
    fn finish_merge(&mut self, path: PathBuf, revision: u64, result: Result<Box<MergedFromDisk>, String>, then: Option<Box<Command>>) {
        let from_disk = match result {
            Ok(from_disk) => from_disk,
            Err(message) => return self.error(("Sammanslagningen misslyckades", "The merge failed"), message),
        };
        if self.doc.revision() != revision || self.doc.path.as_deref() != Some(path.as_path()) {
            // Edited or another plan opened while merging: merge again from the start.
            return self.start_merge(path, then);
        }
        let MergedFromDisk { merged, theirs, stamp } = *from_disk;
        let clean = merged.is_clean();
        let conflicts = merged.plan.conflicts.len();
        // One undo step: Ångra gives back mine as it was before the merge. Closed periods keep
        // the values the merge changes.
        let mut next = merged.plan;
        crate::closing::carry_records(self.plan(), &mut next);
        self.apply_edit(Edit::Plan(Box::new(next)), None);
        self.disk_stamp = stamp;
        self.disk_base = Some(theirs);
        let lang = self.lang();
        self.status_line = if clean {
            lang.t("Sammanslaget med versionen på disken.", "Merged with the version on disk.").to_owned()
        } else {
            format!("{} {conflicts}", lang.t("Sammanslaget – konflikter att välja:", "Merged – conflicts to choose:"))
        };
        if clean {
            self.save_to(&path, then, true);
        } else {
            self.show_dialog(Dialog::MergeConflicts { then });
        }
    }

    /// Compares the open plan with another file's version, on a worker.
    fn start_compare(&mut self, path: PathBuf) {
        let mine = self.doc.snapshot();
        let lang = self.lang();
        let label = format!("{} {}…", lang.t("Jämför med", "Comparing with"), path.display());
        self.jobs.start_background(label, move |_| {
            let result = storage::load(&path).map_err(|e| e.to_string()).and_then(|other| {
                let changes = crate::merge::diff(&other, &mine).map_err(|e| e.to_string())?;
                Ok(changes.iter().map(|c| c.text(&other, &mine, lang)).collect())
            });
            JobResult::Compared { path, result }
        });
    }

    /// An export must never land on the open plan's file.
    fn output_is_not_the_plan(&self, output: &Path) -> Result<(), String> {
        match &self.doc.path {
            Some(plan) => plan_lock::refuse_output_over_inputs(output, &[plan.as_path()]),
            None => Ok(()),
        }
    }

    fn pick_plan_to_save(&mut self) -> Option<PathBuf> {
        let name = format!("{}.ron", file_stem_for(&self.plan().meta.title));
        self.desktop.pick_plan_to_save(&name)
    }

    fn selection_name(&self) -> String {
        match self.period {
            crate::followup::Selection::Period(id) => self.plan().period(id).map_or_else(String::new, |p| p.name.clone()),
            crate::followup::Selection::Year(year) => year.to_string(),
        }
    }

    /// Opens a plan file; big files on a worker. On failure the current plan stays.
    pub(super) fn open(&mut self, path: &Path) {
        let size = std::fs::metadata(path).map_or(0, |m| m.len());
        if size > super::BACKGROUND_LOAD_BYTES {
            let label = format!("{} {} ({:.0} MB)…", self.lang().t("Öppnar", "Opening"), path.display(), size as f64 / 1e6);
            let path = path.to_path_buf();
            self.jobs.start_foreground(label, true, move |_| {
                let result = storage::load(&path);
                JobResult::Opened { path, result }
            });
        } else {
            let result = storage::load(path);
            self.finish_open(path.to_path_buf(), result);
        }
    }

    fn finish_open(&mut self, path: PathBuf, result: Result<Plan, LoadError>) {
        match result {
            Ok(plan) => {
                self.replace_plan(plan, Some(path.clone()));
                self.disk_stamp = DiskStamp::of(&path);
                self.disk_base = Some(self.doc.snapshot());
                self.remember(&path);
                if !self.plan().conflicts.is_empty() {
                    self.show_dialog(Dialog::MergeConflicts { then: None });
                }
            }
            Err(error) => self.error(("Filen kunde inte öppnas", "The file could not be opened"), error.to_string()),
        }
    }

    /// Saves to `path`, then runs `then`. When the file changed on disk since it was read, asks
    /// first (`check_disk`), keeping `then` for after the answer. A large plan is written on a
    /// worker from a snapshot; a small one at once.
    fn save_to(&mut self, path: &Path, then: Option<Box<Command>>, check_disk: bool) {
        if check_disk
            && self.doc.path.as_deref() == Some(path)
            && self.disk_stamp.is_some()
            && let Some(now) = DiskStamp::of(path)
            && Some(now) != self.disk_stamp
        {
            self.show_dialog(Dialog::ChangedOnDisk { path: path.to_path_buf(), then });
            return;
        }
        let plan = self.doc.snapshot();
        let state = self.doc.state();
        let path = path.to_path_buf();
        // Compare-and-swap under the plan's lock (see plan_lock): what was read must still be
        // on disk, unless the planner chose to overwrite or saves under a new name.
        let expected = if check_disk && self.doc.path.as_deref() == Some(path.as_path()) { self.disk_stamp } else { None };
        // A small plan is written at once – unless another writer holds the lock: waiting for
        // it, like writing a large plan, happens on a worker so the window never stops.
        if !self.plan_is_large() {
            match plan_lock::save_if_unchanged(&plan, &path, expected, std::time::Duration::ZERO) {
                Err(GuardedSaveError::Lock(plan_lock::LockError::Busy { .. })) => {}
                result => return self.finish_save(path, state, plan, result, then),
            }
        }
        let label = format!("{} {}…", self.lang().t("Sparar", "Saving"), path.display());
        self.jobs.start_foreground(label, false, move |_| {
            let result = plan_lock::save_if_unchanged(&plan, &path, expected, SAVE_LOCK_WAIT);
            JobResult::Saved { path, state, saved: plan, result, then }
        });
    }

    fn finish_save(&mut self, path: PathBuf, state: u64, saved: Arc<Plan>, result: Result<(), GuardedSaveError>, then: Option<Box<Command>>) {
        match result {
            Ok(()) => {
                self.disk_base = Some(saved);
                let previous = self.doc.path.clone();
                self.drop_recovery_copy(previous.as_deref());
                self.doc.path = Some(path.clone());
                self.doc.mark_saved_state(state);
                self.disk_stamp = DiskStamp::of(&path);
                self.remember(&path);
                self.status_line = format!("{} {}", self.lang().t("Sparat:", "Saved:"), path.display());
                if let Some(then) = then {
                    // Commands after a save run in the same frame's queue.
                    self.commands.push(*then);
                }
            }
            // Someone who does not take the lock wrote the file after the check above.
            Err(GuardedSaveError::ChangedOnDisk(_)) => self.show_dialog(Dialog::ChangedOnDisk { path, then }),
            Err(error) => self.show_dialog(Dialog::SaveFailed { message: error.to_string() }),
        }
    }

    /// Writes the recovery copy of the current plan (never over the real file).
    pub(super) fn autosave(&mut self) {
        let Some(store) = self.recovery.clone() else { return };
        let plan = self.doc.snapshot();
        let path = self.doc.path.clone();
        let revision = self.doc.revision();
        // Marked now, so the tick does not start a second copy while this one is written.
        self.autosaved_revision = revision;
        self.autosave_due = None;
        let work = move || JobResult::Autosaved {
            revision,
            result: store.write(&plan, path.as_deref(), crate::time::now_unix_secs()),
        };
        if self.plan_is_large() {
            let label = self.lang().t("Autosparar", "Autosaving").to_owned();
            self.jobs.start_background(label, move |_| work());
        } else {
            let result = work();
            self.take_job_result(result);
        }
    }

    fn start_report(&mut self, path: PathBuf, print: bool) {
        let plan = self.doc.snapshot();
        let period = self.period;
        let board = self.panels.overview.board.clone();
        let charts = self.panels.overview.charts;
        let lang = self.lang();
        let label = if print {
            lang.t("Förbereder utskrift…", "Preparing to print…").to_owned()
        } else {
            format!("{} {}…", lang.t("Skriver rapporten", "Writing the report"), path.display())
        };
        self.jobs.start_foreground(label, true, move |cancel| {
            let result = crate::report::report_pdf_bytes_with(&plan, period, board.as_deref(), charts).and_then(|(bytes, pages)| {
                // Cancelled: the file is not written at all.
                if cancel.load(std::sync::atomic::Ordering::Relaxed) {
                    return Err(String::new());
                }
                storage::write_atomically(&path, &bytes).map_err(|e| e.to_string())?;
                Ok(pages)
            });
            JobResult::ReportWritten { path, print, result }
        });
    }

    /// Writes the board's whole document on a worker: Word for a .docx name, else PDF.
    fn start_document(&mut self, path: PathBuf) {
        let plan = self.doc.snapshot();
        let period = self.period;
        let board = self.panels.overview.board.clone();
        let charts = self.panels.overview.charts;
        let label = format!("{} {}…", self.lang().t("Skriver dokumentet", "Writing the document"), path.display());
        self.jobs.start_foreground(label, true, move |cancel| {
            let is_word = path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("docx"));
            let bytes = if is_word {
                crate::report::document_docx_bytes(&plan, period, board.as_deref()).map(|(bytes, _)| (bytes, 0))
            } else {
                crate::report::document_pdf_bytes_with(&plan, period, board.as_deref(), charts).map(|(bytes, pages, _, _)| (bytes, pages))
            };
            let result = bytes.and_then(|(bytes, pages)| {
                if cancel.load(std::sync::atomic::Ordering::Relaxed) {
                    return Err(String::new());
                }
                storage::write_atomically(&path, &bytes).map_err(|e| e.to_string())?;
                Ok(pages)
            });
            JobResult::ReportWritten { path, print: false, result }
        });
    }

    fn start_kolada_import(&mut self, paths: Vec<PathBuf>) {
        let plan = self.doc.snapshot();
        let revision = self.doc.revision();
        let lang = self.lang();
        let source_name = paths.iter().filter_map(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned()).collect::<Vec<_>>().join(", ");
        let label = format!("{} {source_name}…", lang.t("Läser", "Reading"));
        self.jobs.start_foreground(label, true, move |_| {
            let prepared = crate::exchange::kolada::read_files(&paths)
                .map(|files| Box::new(prepare_kolada(&plan, revision, files, plan.kolada.options(), source_name, lang)))
                .map_err(|message| (lang.t("Kolada-filen kunde inte läsas", "The Kolada file could not be read").to_owned(), message));
            JobResult::ImportPrepared(prepared)
        });
    }

    /// The Kolada client for this plan: the run's address and cache (tests), else the plan's
    /// address or `MALPLAN_KOLADA_URL` or Kolada's own, and the user's cache.
    pub(crate) fn kolada_client(&self) -> crate::exchange::kolada_online::KoladaClient {
        use crate::exchange::kolada_online::{KoladaClient, base_url, default_cache_dir};
        let setting = self.plan().kolada.base_url.clone();
        let url = self.settings.kolada_url.clone().unwrap_or_else(|| base_url((!setting.is_empty()).then_some(setting.as_str())));
        KoladaClient::new(&url, self.settings.kolada_cache.clone().or_else(default_cache_dir))
    }

    /// Fetches every KPI of the plan for its municipality, comparisons and years on a worker
    /// (with progress and Avbryt), then shows the import preview; offline, the cached answers.
    fn start_kolada_fetch(&mut self) {
        let lang = self.lang();
        let request = match crate::exchange::kolada::fetch_request(self.plan()) {
            Ok(request) => request,
            Err(why) => {
                self.error(("Kan inte hämta från Kolada", "Cannot fetch from Kolada"), why);
                return;
            }
        };
        let client = self.kolada_client();
        let plan = self.doc.snapshot();
        let revision = self.doc.revision();
        let label = format!(
            "{} {} KPI × {} {} × {} {}…",
            lang.t("Hämtar från Kolada:", "Fetching from Kolada:"),
            request.kpis.len(),
            request.municipalities.len(),
            lang.t("kommuner", "municipalities"),
            request.years.len(),
            lang.t("år", "years")
        );
        self.jobs.start_foreground_counted(label, true, move |cancel, report| {
            let fetched = client.fetch_request(&request, cancel, &mut |done, planned| report(done, planned));
            let prepared = fetched
                .map(|fetched| {
                    let mut source_name = format!("Kolada ({} {})", fetched.requests, lang.t("anrop", "requests"));
                    if let Some(notice) = fetched.source.notice() {
                        source_name = format!("Kolada – {notice}");
                    }
                    let options = plan.kolada.options();
                    Box::new(prepare_kolada(&plan, revision, fetched.files, options, source_name, lang))
                })
                .map_err(|e| (lang.t("Kolada kunde inte nås", "Kolada could not be reached").to_owned(), e.to_string()));
            JobResult::ImportPrepared(prepared)
        });
    }

    /// Writes the indicators' sheet (or, with `budget`, the budget sheet) on a worker; `None`
    /// asks where. Never over the plan itself.
    fn export_sheet(&mut self, path: Option<PathBuf>, budget: bool) {
        let lang = self.lang();
        let stem = file_stem_for(&self.plan().meta.title);
        let name = if budget { format!("{stem}-budget.xlsx") } else { format!("{stem}.xlsx") };
        let Some(path) = path.or_else(|| self.desktop.pick_sheet_to_save(&name)) else { return };
        if let Err(message) = self.output_is_not_the_plan(&path) {
            self.error(("Exporten misslyckades", "The export failed"), message);
            return;
        }
        let plan = self.doc.snapshot();
        let label = format!("{} {}", lang.t("Exporterar", "Exporting"), path.display());
        self.jobs.start_foreground(label, false, move |_| {
            let result = if budget { crate::exchange::budget_sheet::write(&plan, None, &path) } else { crate::exchange::write_sheet(&plan, &path) };
            JobResult::SheetWritten { path, budget, result }
        });
    }

    fn start_sheet_import(&mut self, path: PathBuf) {
        let plan = self.doc.snapshot();
        // An SIE file fills the follow-ups of the period shown.
        let period = match self.period {
            crate::followup::Selection::Period(id) => Some(id),
            crate::followup::Selection::Year(_) => None,
        };
        let revision = self.doc.revision();
        let lang = self.lang();
        let source_name = path.display().to_string();
        let label = format!("{} {source_name}…", lang.t("Läser", "Reading"));
        self.jobs.start_foreground(label, true, move |_| {
            // An SIE file by its extension; a sheet's header tells the economy's, the budget's
            // and the indicators' layouts apart.
            let prepared = crate::exchange::preview_file(&plan, &path, period)
                .map(|(preview, kind)| {
                    let kind = match kind {
                        crate::exchange::ImportFileKind::Indicators => ImportKind::Sheet,
                        crate::exchange::ImportFileKind::Budget => ImportKind::Budget,
                        crate::exchange::ImportFileKind::Economy => ImportKind::Economy,
                    };
                    Box::new(finish_prepare(&plan, revision, ImportSource::Sheet, source_name, Ok(preview), kind, lang))
                })
                .map_err(|e| (lang.t("Filen kunde inte läsas", "The file could not be read").to_owned(), e));
            JobResult::ImportPrepared(prepared)
        });
    }

    /// Changes an option of the open Kolada preview and prepares the preview again.
    fn rechoose_kolada(&mut self, change: impl FnOnce(&mut KoladaOptions)) {
        if !matches!(self.dialogs.front(), Some(Dialog::Import(_))) {
            return;
        }
        let Some(PendingImport { source: ImportSource::Kolada { files, mut options }, source_name, .. }) = self.pending_import.take() else {
            return;
        };
        self.dialogs.pop_front();
        change(&mut options);
        let plan = self.doc.snapshot();
        let revision = self.doc.revision();
        let lang = self.lang();
        let label = lang.t("Beräknar förhandsvisningen…", "Computing the preview…").to_owned();
        self.jobs.start_foreground(label, true, move |_| {
            JobResult::ImportPrepared(Ok(Box::new(prepare_kolada(&plan, revision, files, options, source_name, lang))))
        });
    }

    fn accept_import(&mut self) {
        if !matches!(self.dialogs.front(), Some(Dialog::Import(_))) {
            return;
        }
        let shown = self.dialogs.pop_front();
        let Some(mut pending) = self.pending_import.take() else { return };
        // Made against the plan as previewed; should it have changed since, make it again.
        let edit = if pending.revision == self.doc.revision() {
            pending.edit
        } else {
            pending.preview.as_ref().and_then(|p| p.edit(self.doc.plan()))
        };
        let count = pending.preview.as_ref().map_or(0, |p| p.change_count());
        // A large preview is hundreds of thousands of strings: freeing them takes longer than
        // a frame, so it happens on a worker.
        let preview = pending.preview.take();
        super::threads::drop_later((shown, preview));
        let Some(edit) = edit else { return };
        if self.plan_is_large() {
            self.accept_on_worker(edit, count);
            return;
        }
        let before = self.doc.revision();
        self.apply_edit(edit, None);
        if self.doc.revision() != before {
            self.imported_status(count);
        }
    }

    fn imported_status(&mut self, count: usize) {
        self.status_line =
            format!("{count} {}", self.lang().t("värden importerade – ångra med Ctrl+Z", "values imported – undo with Ctrl+Z"));
    }

    /// Applies a large import to a copy of the plan on a worker, with the follow-up and
    /// structure of the result, so that taking it in costs the window no frame.
    fn accept_on_worker(&mut self, edit: Edit, count: usize) {
        let base = self.doc.snapshot();
        let revision = self.doc.revision();
        let selection = self.period;
        let lang = self.lang();
        let label = format!("{} {count} {}", lang.t("Tar in", "Taking in"), lang.t("värden…", "values…"));
        self.jobs.start_foreground(label, false, move |_| {
            let prepared = PreparedEdit::new(&base, revision, edit).map(|prepared| {
                let follow_up = crate::followup::compute(prepared.plan(), selection);
                let structure = crate::outline::Structure::new(prepared.plan());
                Box::new(PreparedImport { prepared, selection, follow_up, structure, count })
            });
            JobResult::ImportApplied(prepared.map_err(|e| e.to_string()))
        });
    }

    /// Takes in what finished jobs brought back.
    pub(super) fn take_finished_jobs(&mut self) {
        for output in self.jobs.finished() {
            match output {
                JobOutput::Done(result) => self.take_job_result(result),
                JobOutput::Lost(None) => {
                    self.status_line = self.lang().t("Avbrutet.", "Cancelled.").into();
                }
                JobOutput::Lost(Some(reason)) => {
                    self.validation_running = false;
                    self.error(("Något gick fel", "Something went wrong"), reason);
                }
            }
        }
    }

    fn take_job_result(&mut self, result: JobResult) {
        let lang = self.lang();
        match result {
            JobResult::Opened { path, result } => self.finish_open(path, result),
            JobResult::Saved { path, state, saved, result, then } => self.finish_save(path, state, saved, result, then),
            JobResult::Merged { path, revision, result, then } => self.finish_merge(path, revision, result, then),
            JobResult::Compared { path, result } => match result {
                Ok(lines) => {
                    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
                    self.show_dialog(Dialog::Compare { name, lines });
                }
                Err(message) => self.error(("Jämförelsen misslyckades", "The comparison failed"), message),
            },
            JobResult::Autosaved { revision, result } => match result {
                // Saved or discarded meanwhile: the copy is not needed.
                Ok(()) if !self.doc.is_dirty() => {
                    let path = self.doc.path.clone();
                    self.drop_recovery_copy(path.as_deref());
                }
                Ok(()) => self.autosaved_revision = revision,
                Err(error) => {
                    // Try again at the next interval; the plan itself is untouched.
                    self.autosaved_revision = 0;
                    self.autosave_due = Some(std::time::Instant::now() + super::AUTOSAVE_INTERVAL);
                    self.status_line = format!("{} {error}", lang.t("Autospara misslyckades:", "Autosave failed:"));
                }
            },
            JobResult::ReportWritten { path, print, result } => match result {
                Ok(pages) if print => {
                    if let Err(message) = self.desktop.open_in_viewer(&path) {
                        self.error(("PDF-visaren kunde inte öppnas", "The PDF viewer could not be opened"), message);
                    } else {
                        self.status_line = format!("{} ({pages} {})", lang.t("Rapporten öppnad för utskrift", "Report opened for printing"), lang.t("sidor", "pages"));
                    }
                }
                // A Word file has no pages of its own until Word lays it out.
                Ok(0) => self.status_line = format!("{} {}", lang.t("Dokumentet sparat:", "Document saved:"), path.display()),
                Ok(pages) => {
                    self.status_line = format!("{} {} ({pages} {})", lang.t("Rapport sparad:", "Report saved:"), path.display(), lang.t("sidor", "pages"));
                }
                Err(message) if message.is_empty() => self.status_line = lang.t("Avbrutet.", "Cancelled.").into(),
                Err(message) => self.error(("Rapporten kunde inte skapas", "The report could not be written"), message),
            },
            JobResult::SheetWritten { path, budget, result } => match result {
                Ok(()) if budget => self.status_line = format!("{} {}", lang.t("Budgeten exporterad:", "Budget exported:"), path.display()),
                Ok(()) => self.status_line = format!("{} {}", lang.t("Indikatorerna exporterade:", "Indicators exported:"), path.display()),
                Err(message) => self.error(("Exporten misslyckades", "The export failed"), message),
            },
            JobResult::ImportApplied(Ok(applied)) => {
                let PreparedImport { prepared, selection, follow_up, structure, count } = *applied;
                match self.doc.apply_prepared(prepared) {
                    Ok(replaced) => {
                        // The old plan is as large as the new one: freeing it is no frame's work.
                        super::threads::drop_later(replaced);
                        self.derived.seed(self.doc.revision(), selection, follow_up, structure);
                        self.after_change();
                        self.imported_status(count);
                    }
                    // Edits are disabled while the job runs, so this is a safety net.
                    Err(_) => self.error(
                        ("Importen togs inte in", "The import was not taken in"),
                        lang.t("Planen ändrades medan värdena togs in. Importera filen igen.", "The plan changed while the values were taken in. Import the file again.")
                            .to_owned(),
                    ),
                }
            }
            JobResult::ImportApplied(Err(message)) => {
                self.error(("Importen togs inte in", "The import was not taken in"), message);
            }
            JobResult::ImportPrepared(Ok(prepared)) => {
                let (pending, dialog) = *prepared;
                self.pending_import = Some(pending);
                self.show_dialog(Dialog::Import(Arc::new(dialog)));
            }
            JobResult::ImportPrepared(Err((title, message))) => self.show_dialog(Dialog::Error { title, message }),
            JobResult::KoladaFound { query, result } => {
                // Only the answer to the finder's latest search counts.
                if let Some(Dialog::KoladaFind(find)) = self.dialogs.front_mut()
                    && find.query == query
                {
                    let state = Arc::make_mut(find);
                    state.searching = false;
                    match result {
                        Ok((results, notice)) => {
                            state.results = results;
                            state.notice = notice;
                        }
                        Err(error) => {
                            state.results.clear();
                            state.error = Some(error);
                        }
                    }
                }
            }
            JobResult::Checked { revision, problems } => {
                self.validation_running = false;
                self.derived.set_problems(revision, problems);
                if revision != self.doc.revision() && self.validation_due.is_none() {
                    self.validation_due = Some(std::time::Instant::now());
                }
            }
        }
    }

    fn edit_command(&mut self, command: EditCommand) {
        if self.jobs.busy() {
            return;
        }
        let lang = self.lang();
        match command {
            EditCommand::Undo => {
                if !self.doc.undo() {
                    self.status_line = lang.t("Inget att ångra", "Nothing to undo").into();
                }
                self.after_change();
            }
            EditCommand::Redo => {
                if !self.doc.redo() {
                    self.status_line = lang.t("Inget att göra om", "Nothing to redo").into();
                }
                self.after_change();
            }
            EditCommand::Apply { edit, merge } => self.apply_edit(edit, merge),
            EditCommand::EndMerge => self.doc.end_merge(),
            EditCommand::AddChild => {
                if let Some(intent) = crate::ops::add_child(self.plan(), self.selected, lang) {
                    self.apply_intent(intent);
                }
            }
            EditCommand::AddSibling => {
                if let Some(intent) = crate::ops::add_sibling(self.plan(), self.selected, lang) {
                    self.apply_intent(intent);
                }
            }
            EditCommand::AddCommitment(goal) => {
                let intent = crate::ops::add_commitment(self.plan(), goal, None, lang);
                self.apply_intent(intent);
            }
            EditCommand::AddIndicator(goal) => {
                let intent = crate::ops::add_indicator(self.plan(), goal, lang);
                self.apply_intent(intent);
            }
            EditCommand::RequestDelete => {
                if self.selected != NodeRef::Plan {
                    let question = crate::ops::delete_question(self.plan(), self.selected, lang);
                    self.show_dialog(Dialog::ConfirmDelete { node: self.selected, question });
                }
            }
            EditCommand::Delete(node) => {
                if let Some(edit) = crate::ops::delete(self.plan(), node) {
                    self.apply_edit(edit, None);
                }
            }
            EditCommand::MoveUp | EditCommand::MoveDown => {
                let step = if command == EditCommand::MoveUp { -1 } else { 1 };
                if let Some(edit) = crate::ops::move_among_siblings(self.plan(), self.selected, step) {
                    self.apply_edit(edit, None);
                }
            }
            EditCommand::MoveTo { node, new_parent } => match crate::ops::move_to(self.plan(), node, new_parent) {
                Ok(Some(intent)) => self.apply_intent(intent),
                Ok(None) => {}
                Err(refused) => self.status_line = refused.text(lang).into(),
            },
            EditCommand::AcceptImport => self.accept_import(),
        }
    }

    fn view_command(&mut self, command: ViewCommand) {
        match command {
            ViewCommand::Select(node) => self.select(node),
            ViewCommand::Reveal(node) => self.reveal(node),
            ViewCommand::ToggleExpanded(node) => self.panels.tree.toggle(node),
            ViewCommand::SelectNeighbour(neighbour) => self.select_neighbour(neighbour),
            ViewCommand::SetPeriod(selection) => self.period = selection,
            ViewCommand::Show(view) => {
                if view == View::Editor && self.view != View::Editor {
                    self.panels.tree.scroll_to_selection = true;
                }
                self.view = view;
            }
            ViewCommand::OpenPalette => self.panels.palette.open(),
            ViewCommand::SetLanguage(lang) => self.settings.lang = lang,
            ViewCommand::SetDark(dark) => self.settings.dark = dark,
        }
    }

    fn answer(&mut self, answer: Answer, ctx: &egui::Context) {
        match answer {
            Answer::Dismiss => {
                if let Some(dialog @ Dialog::Import(_)) = self.dialogs.pop_front() {
                    // Freed on a worker: a large preview takes longer than a frame to free.
                    let pending = self.pending_import.take();
                    super::threads::drop_later((dialog, pending));
                }
            }
            Answer::Unsaved(answer) => {
                let Some(Dialog::Unsaved { then }) = self.dialogs.front().cloned() else { return };
                self.dialogs.pop_front();
                match answer {
                    UnsavedAnswer::Cancel => {}
                    UnsavedAnswer::Save => {
                        if let Some(path) = self.doc.path.clone().or_else(|| self.pick_plan_to_save()) {
                            // `then` waits for the save – and for the answer if the file
                            // changed on disk meanwhile.
                            self.save_to(&path, Some(then), true);
                        }
                    }
                    UnsavedAnswer::DontSave => {
                        let path = self.doc.path.clone();
                        self.drop_recovery_copy(path.as_deref());
                        self.doc.mark_saved();
                        self.apply(*then, ctx);
                    }
                }
            }
            Answer::Restore(restore) => {
                let Some(Dialog::Restore { recovered, .. }) = self.dialogs.front().cloned() else { return };
                self.dialogs.pop_front();
                self.answer_restore(recovered, restore);
            }
            Answer::ChangedOnDisk(answer) => {
                let Some(Dialog::ChangedOnDisk { path, then }) = self.dialogs.front().cloned() else { return };
                self.dialogs.pop_front();
                match answer {
                    ChangedAnswer::Merge => self.start_merge(path, then),
                    ChangedAnswer::Overwrite => self.save_to(&path, then, false),
                    ChangedAnswer::SaveCopy => {
                        if let Some(copy) = self.pick_plan_to_save() {
                            self.save_to(&copy, then, true);
                        }
                    }
                    ChangedAnswer::Reload => {
                        // The planner chose the file's version: her changes and what was to
                        // follow the save are dropped; she sees the colleague's plan first.
                        self.drop_recovery_copy(Some(&path));
                        self.open(&path);
                    }
                    ChangedAnswer::Cancel => {}
                }
            }
            Answer::KoladaMunicipality(code) => self.rechoose_kolada(|options| options.municipality = Some(code)),
            Answer::KoladaComparison(code) => self.rechoose_kolada(|options| {
                let mut comparisons = KoladaOptions::default().comparisons;
                if let Some(code) = code.filter(|c| !comparisons.iter().any(|(riket, _)| riket == c)) {
                    if options.municipality.as_deref() == Some(code.as_str()) {
                        options.municipality = None;
                    }
                    comparisons.push((code.clone(), format!("Jämförelse {code}")));
                }
                options.comparisons = comparisons;
            }),
            Answer::CancelJob => self.jobs.cancel(),
            Answer::Conflict { index, choice } => self.answer_conflict(index, choice),
            Answer::SaveMerged => {
                let Some(Dialog::MergeConflicts { then }) = self.dialogs.front().cloned() else { return };
                self.dialogs.pop_front();
                match self.doc.path.clone().or_else(|| self.pick_plan_to_save()) {
                    Some(path) => self.save_to(&path, then, true),
                    None => {}
                }
            }
            Answer::KoladaSearch(query) => self.kolada_search(query),
            Answer::KoladaPick(index) => self.kolada_pick(index),
        }
    }

    /// Searches Kolada for the finder in front, on a worker (the catalogue may take seconds to
    /// fetch the first time; afterwards it is read from the cache).
    fn kolada_search(&mut self, query: String) {
        use crate::ui::dialogs::{FindPurpose, Found};
        let Some(Dialog::KoladaFind(find)) = self.dialogs.front_mut() else { return };
        let purpose = find.purpose;
        let state = Arc::make_mut(find);
        state.query = query.clone();
        state.searching = true;
        state.error = None;
        let client = self.kolada_client();
        let municipality = self.plan().kolada.municipality.clone();
        let label = format!("Kolada: {query}");
        self.jobs.start_background(label, move |_| {
            let result = match purpose {
                FindPurpose::Kpi { .. } => client.search_kpis(&query, 60).map(|(kpis, source)| {
                    let found = kpis
                        .into_iter()
                        .map(|kpi| {
                            let mut detail = Vec::new();
                            if let Some(unit) = &kpi.unit {
                                detail.push(unit.clone());
                            }
                            if kpi.divided_by_gender {
                                detail.push("kvinnor/män".to_owned());
                            }
                            let description: String = kpi.description.chars().take(180).collect();
                            if !description.is_empty() {
                                detail.push(description);
                            }
                            Found { id: kpi.id, title: kpi.title, detail: detail.join(" · "), divided_by_gender: kpi.divided_by_gender }
                        })
                        .collect();
                    (found, source.notice())
                }),
                FindPurpose::Unit { .. } => match &municipality {
                    None => Err(crate::exchange::kolada_online::OnlineError::NoAnswer { reason: "välj planens kommun först".to_owned() }),
                    Some(code) => client.units(code).map(|(list, source)| {
                        let words: Vec<String> = query.to_lowercase().split_whitespace().map(str::to_owned).collect();
                        let found = list
                            .into_iter()
                            .filter(|m| words.iter().all(|w| m.title.to_lowercase().contains(w) || m.id.to_lowercase().contains(w)))
                            .map(|m| Found { detail: String::new(), id: m.id, title: m.title, divided_by_gender: false })
                            .collect();
                        (found, source.notice())
                    }),
                },
                FindPurpose::Municipality | FindPurpose::Comparison => client.municipalities().map(|(list, source)| {
                    let words: Vec<String> = query.to_lowercase().split_whitespace().map(str::to_owned).collect();
                    let found = list
                        .into_iter()
                        .filter(|m| words.iter().all(|w| m.title.to_lowercase().contains(w) || m.id.to_lowercase().contains(w)))
                        .map(|m| {
                            let kind = match m.kind.as_str() {
                                "K" => "kommun",
                                "L" => "region",
                                _ => "grupp",
                            };
                            Found { detail: kind.to_owned(), id: m.id, title: m.title, divided_by_gender: false }
                        })
                        .collect();
                    (found, source.notice())
                }),
            };
            JobResult::KoladaFound { query, result: result.map_err(|e| e.to_string()) }
        });
    }

    /// Takes the finder's match: the KPI for the indicator (and the series Kvinnor/Män when the
    /// KPI is divided by gender), the plan's municipality, or a comparison – one undo step.
    fn kolada_pick(&mut self, index: usize) {
        use crate::model::{KoladaComparison, Series, SeriesKind};
        use crate::ui::dialogs::FindPurpose;
        let Some(Dialog::KoladaFind(find)) = self.dialogs.front() else { return };
        let Some(found) = find.results.get(index).cloned() else { return };
        let purpose = find.purpose;
        self.dialogs.pop_front();
        let plan = self.plan();
        let edit = match purpose {
            FindPurpose::Kpi { indicator } => {
                let Some(mut changed) = plan.indicator(indicator).cloned() else { return };
                changed.kolada = Some(found.id.clone());
                if found.divided_by_gender {
                    for (name, kind) in [("Kvinnor", SeriesKind::Women), ("Män", SeriesKind::Men)] {
                        if !changed.series.iter().any(|s| s.kind == kind) {
                            changed.series.push(Series { name: name.to_owned(), kind, ..Default::default() });
                        }
                    }
                }
                Edit::Indicator(changed)
            }
            FindPurpose::Unit { indicator } => {
                let Some(mut changed) = plan.indicator(indicator).cloned() else { return };
                changed.kolada_unit = Some(found.id.clone());
                Edit::Indicator(changed)
            }
            FindPurpose::Municipality => {
                let mut settings = plan.kolada.clone();
                settings.municipality = Some(found.id.clone());
                settings.municipality_name = found.title.clone();
                Edit::Kolada(settings)
            }
            FindPurpose::Comparison => {
                let mut settings = plan.kolada.clone();
                if settings.comparisons.is_empty() {
                    // Riket was the comparison by default: keep it beside the new one.
                    settings.comparisons.push(KoladaComparison { code: "0000".into(), name: "Riket".into() });
                }
                if !settings.comparisons.iter().any(|c| c.code == found.id) {
                    settings.comparisons.push(KoladaComparison { code: found.id.clone(), name: found.title.clone() });
                }
                Edit::Kolada(settings)
            }
        };
        self.edit_command(crate::command::EditCommand::Apply { edit, merge: None });
    }

    /// Takes mine or theirs for one merge conflict (one undoable edit), or shows its item.
    fn answer_conflict(&mut self, index: usize, choice: Option<crate::merge::Choice>) {
        match choice {
            Some(choice) => match crate::merge::resolve(self.plan(), index, choice) {
                Ok(mut resolved) => {
                    crate::closing::carry_records(self.plan(), &mut resolved);
                    self.apply_edit(Edit::Plan(Box::new(resolved)), None)
                }
                Err(error) => self.error(("Konflikten kunde inte lösas", "The conflict could not be resolved"), error.to_string()),
            },
            None => {
                // Edit by hand: the dialog steps aside, the conflict stays (Arkiv → Lös konflikter…),
                // and the place where its value is edited is shown.
                use crate::merge::ConflictPlace;
                let Some(place) = self.plan().conflicts.get(index).map(crate::merge::conflict_place) else { return };
                if matches!(self.dialogs.front(), Some(Dialog::MergeConflicts { .. })) {
                    self.dialogs.pop_front();
                }
                let plan = self.plan();
                let shown: Vec<Command> = match place {
                    ConflictPlace::Item(id) if plan.goal(id).is_some() => vec![ViewCommand::Reveal(NodeRef::Goal(id)).into()],
                    ConflictPlace::Item(id) if plan.commitment(id).is_some() => vec![ViewCommand::Reveal(NodeRef::Commitment(id)).into()],
                    ConflictPlace::Item(id) if plan.indicator(id).is_some() => vec![ViewCommand::Reveal(NodeRef::Indicator(id)).into()],
                    ConflictPlace::Budget(id) => match plan.budgets.iter().find(|b| b.id == id) {
                        Some(budget) => {
                            self.panels.budget.board = Some(budget.board.clone());
                            vec![ViewCommand::Show(View::Budget).into()]
                        }
                        None => vec![ViewCommand::Show(View::Budget).into()],
                    },
                    ConflictPlace::Economy(id) => match plan.economy.iter().find(|e| e.id == id).map(|e| (e.board.clone(), e.period)) {
                        Some((board, period)) => {
                            self.panels.economy.board = Some(board);
                            vec![ViewCommand::SetPeriod(Selection::Period(period)).into(), ViewCommand::Show(View::Economy).into()]
                        }
                        None => vec![ViewCommand::Show(View::Economy).into()],
                    },
                    ConflictPlace::Document => vec![ViewCommand::Show(View::Document).into()],
                    // An item the merge removed, or the plan's own settings.
                    ConflictPlace::Item(_) | ConflictPlace::Plan => vec![ViewCommand::Reveal(NodeRef::Plan).into()],
                };
                self.commands.extend(shown);
            }
        }
    }

    fn answer_restore(&mut self, recovered: crate::recovery::Recovered, restore: bool) {
        let original = recovered.info.original.clone();
        if !restore {
            self.drop_recovery_copy(original.as_deref());
            return;
        }
        let loaded = self.recovery.as_ref().map(|store| store.load(&recovered));
        match loaded {
            Some(Ok(plan)) => {
                self.replace_plan(plan, original.clone());
                self.period = default_period(self.plan());
                self.disk_stamp = original.as_deref().and_then(DiskStamp::of);
                // The file as it is now is what a later merge starts from (its stamp is taken).
                self.disk_base = original.as_deref().and_then(|p| storage::load(p).ok()).map(Arc::new);
                self.doc.mark_unsaved();
                self.status_line = self
                    .lang()
                    .t("Osparat arbete återställt – spara för att behålla det.", "Unsaved work restored – save to keep it.")
                    .into();
            }
            Some(Err(error)) => self.error(("Återställningen misslyckades", "Restoring failed"), error.to_string()),
            None => {}
        }
    }
}
