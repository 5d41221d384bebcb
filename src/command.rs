//! What the planner can ask the app to do.
//!
//! [`Command`] is the value panels send (grouped by kind: files, edits, views, answers to
//! dialogs); the shell carries it out after the frame. [`Action`] is the catalogue of user
//! actions: each knows its Swedish and English label, its keyboard shortcut, when it is
//! enabled and the command it sends – the menus, the keyboard, the toolbar and the command
//! palette are all drawn from this one list.

use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::edit::{Edit, MergeKey};
use crate::followup::Selection;
use crate::i18n::Lang;
use crate::model::ItemId;
use crate::outline::NodeRef;

/// Everything a panel can send.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    File(FileCommand),
    Edit(EditCommand),
    View(ViewCommand),
    Answer(Answer),
}

/// Files, imports, exports and printing: the shell's side effects.
#[derive(Debug, Clone, PartialEq)]
pub enum FileCommand {
    New,
    /// Open a file; `None` asks with a file dialog.
    Open(Option<PathBuf>),
    Save,
    /// Save under a new name; `None` asks with a file dialog.
    SaveAs(Option<PathBuf>),
    Close,
    Quit,
    /// Write the PDF report; `None` asks where.
    ExportReport(Option<PathBuf>),
    /// Write the report to a temporary file and open it in the system's PDF viewer.
    Print,
    /// Every indicator's values as .xlsx (or CSV by the name); `None` asks where.
    ExportSheet(Option<PathBuf>),
    /// Every budget's rows as .xlsx (or CSV by the name); `None` asks where.
    ExportBudgetSheet(Option<PathBuf>),
    /// Kolada data files: show what importing them would change; `None` asks which.
    ImportKolada(Option<Vec<PathBuf>>),
    /// A spreadsheet in the export's layout: show what importing it would change.
    ImportSheet(Option<PathBuf>),
    /// Fetch every indicator's KPI from Kolada (or its cache) and show what would change.
    FetchKolada,
    /// Open the Kolada finder: a KPI for an indicator, the municipality, a comparison.
    KoladaFind(crate::ui::dialogs::FindPurpose),
    /// Write the recovery copy now (normally 30 s after a change and when focus is lost).
    Autosave,
    /// Compare the open plan with another version of it; `None` asks which file.
    CompareWith(Option<PathBuf>),
    /// Write the board's whole document, PDF or Word by the name; `None` asks where.
    ExportDocument(Option<PathBuf>),
    /// Show what a merge left to choose.
    ShowConflicts,
}

impl FileCommand {
    /// The import for files given on the command line or dropped on the window: `.json`
    /// files are Kolada data, anything else a spreadsheet.
    pub fn import_files(paths: Vec<PathBuf>) -> FileCommand {
        let is_json = |p: &PathBuf| p.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if paths.iter().all(is_json) || paths.len() != 1 {
            FileCommand::ImportKolada(Some(paths))
        } else {
            FileCommand::ImportSheet(paths.into_iter().next())
        }
    }

    /// Whether carrying this out would drop the open plan (so unsaved changes are asked about).
    pub fn replaces_plan(&self) -> bool {
        matches!(self, FileCommand::New | FileCommand::Open(_) | FileCommand::Close | FileCommand::Quit)
    }
}

/// Changes to the plan, all through the document's one edit path.
#[derive(Debug, Clone, PartialEq)]
pub enum EditCommand {
    Undo,
    Redo,
    /// An edit made in a panel; a `merge` key joins typing in one field into one undo step.
    Apply { edit: Edit, merge: Option<MergeKey> },
    /// A text field lost focus: the next keystroke starts a new undo step.
    EndMerge,
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
    /// Apply the previewed import as one undoable edit.
    AcceptImport,
}

/// What is shown and selected; never changes the plan.
#[derive(Debug, Clone, PartialEq)]
pub enum ViewCommand {
    Select(NodeRef),
    /// Select a node, open the way to it in the tree and show it in the editor.
    Reveal(NodeRef),
    ToggleExpanded(NodeRef),
    SelectNeighbour(Neighbour),
    SetPeriod(Selection),
    Show(View),
    OpenPalette,
    SetLanguage(Lang),
    SetDark(bool),
}

/// Keyboard moves in the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Neighbour {
    Previous,
    Next,
    /// Right arrow: open a closed node.
    Open,
    /// Left arrow: close an open node, else go to the parent.
    CloseOrParent,
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
    /// A board's budget: tables, frame check, charts.
    Budget,
    /// A board's economic follow-up in the selected period: outcome, forecast, explanations.
    Economy,
    /// The board's whole document: header block, chapters and generated parts in order.
    Document,
}

/// Answers to the dialog in front, and options inside it.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// OK / close / cancel: the dialog goes away and nothing else happens.
    Dismiss,
    Unsaved(UnsavedAnswer),
    /// Restore (`true`) or discard the recovery copy offered at start.
    Restore(bool),
    ChangedOnDisk(ChangedAnswer),
    /// In the Kolada preview: which municipality is the planner's own.
    KoladaMunicipality(String),
    /// In the Kolada preview: a municipality or group to compare with besides Riket.
    KoladaComparison(Option<String>),
    /// Stop the running job (*Avbryt* in its progress dialog).
    CancelJob,
    /// In the Kolada finder: search for these words.
    KoladaSearch(String),
    /// In the Kolada finder: take this match.
    KoladaPick(usize),
    /// In the merge conflicts: take mine or theirs for conflict `index`, or (`None`) leave it
    /// and show its item to edit by hand.
    Conflict { index: usize, choice: Option<crate::merge::Choice> },
    /// In the merge conflicts: save the plan (then run what waited for the save).
    SaveMerged,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnsavedAnswer {
    Save,
    DontSave,
    Cancel,
}

/// Answers to "the file changed on disk".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangedAnswer {
    /// Three-way merge of the version read (base), mine and the file's (theirs).
    Merge,
    Overwrite,
    SaveCopy,
    Reload,
    Cancel,
}

impl From<FileCommand> for Command {
    fn from(c: FileCommand) -> Self {
        Command::File(c)
    }
}
impl From<EditCommand> for Command {
    fn from(c: EditCommand) -> Self {
        Command::Edit(c)
    }
}
impl From<ViewCommand> for Command {
    fn from(c: ViewCommand) -> Self {
        Command::View(c)
    }
}
impl From<Answer> for Command {
    fn from(c: Answer) -> Self {
        Command::Answer(c)
    }
}

/// The state actions are enabled by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ActionState {
    pub can_undo: bool,
    pub can_redo: bool,
    /// A node other than the plan itself is selected.
    pub item_selected: bool,
    /// A job that owns the document (opening, saving, exporting, importing) is running.
    pub busy: bool,
    pub dark: bool,
    pub lang: Lang,
    /// The plan carries merge conflicts to resolve.
    pub conflicts: bool,
}

/// Every user action, in menu order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    New,
    Open,
    Save,
    SaveAs,
    FetchKolada,
    ImportKolada,
    ImportSheet,
    ExportReport,
    ExportDocument,
    ExportSheet,
    ExportBudgetSheet,
    Print,
    CompareWith,
    ResolveConflicts,
    Close,
    Quit,
    Undo,
    Redo,
    AddChild,
    AddSibling,
    MoveUp,
    MoveDown,
    Delete,
    ShowEditor,
    ShowIndicatorList,
    ShowOverview,
    ShowBudget,
    ShowEconomy,
    ShowDocument,
    CommandPalette,
    ToggleDarkTheme,
    Swedish,
    English,
}

/// The menus the actions sit in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Menu {
    File,
    Edit,
    View,
}

impl Action {
    pub const ALL: [Action; 33] = [
        Action::New,
        Action::Open,
        Action::Save,
        Action::SaveAs,
        Action::FetchKolada,
        Action::ImportKolada,
        Action::ImportSheet,
        Action::ExportReport,
        Action::ExportDocument,
        Action::ExportSheet,
        Action::ExportBudgetSheet,
        Action::Print,
        Action::CompareWith,
        Action::ResolveConflicts,
        Action::Close,
        Action::Quit,
        Action::Undo,
        Action::Redo,
        Action::AddChild,
        Action::AddSibling,
        Action::MoveUp,
        Action::MoveDown,
        Action::Delete,
        Action::ShowEditor,
        Action::ShowIndicatorList,
        Action::ShowOverview,
        Action::ShowBudget,
        Action::ShowEconomy,
        Action::ShowDocument,
        Action::CommandPalette,
        Action::ToggleDarkTheme,
        Action::Swedish,
        Action::English,
    ];

    /// The label in menus and the palette.
    pub fn label(self, lang: Lang) -> &'static str {
        use Action::*;
        match self {
            New => lang.t("Ny", "New"),
            Open => lang.t("Öppna…", "Open…"),
            Save => lang.t("Spara", "Save"),
            SaveAs => lang.t("Spara som…", "Save as…"),
            FetchKolada => lang.t("Hämta från Kolada", "Fetch from Kolada"),
            ImportKolada => lang.t("Importera Kolada-fil (JSON)…", "Import Kolada file (JSON)…"),
            ImportSheet => lang.t("Importera från Excel, CSV eller SIE…", "Import from Excel, CSV or SIE…"),
            ExportReport => lang.t("Exportera rapport (PDF)…", "Export report (PDF)…"),
            ExportDocument => lang.t("Exportera hela dokumentet (PDF eller Word)…", "Export the whole document (PDF or Word)…"),
            ExportSheet => lang.t("Exportera indikatorer till Excel eller CSV…", "Export indicators to Excel or CSV…"),
            ExportBudgetSheet => lang.t("Exportera budget till Excel eller CSV…", "Export the budget to Excel or CSV…"),
            Print => lang.t("Skriv ut…", "Print…"),
            CompareWith => lang.t("Jämför med…", "Compare with…"),
            ResolveConflicts => lang.t("Lös konflikter från sammanslagning…", "Resolve merge conflicts…"),
            Close => lang.t("Stäng", "Close"),
            Quit => lang.t("Avsluta", "Quit"),
            Undo => lang.t("Ångra", "Undo"),
            Redo => lang.t("Gör om", "Redo"),
            AddChild => lang.t("Nytt underordnat", "Add child"),
            AddSibling => lang.t("Nytt på samma nivå", "Add sibling"),
            MoveUp => lang.t("Flytta upp", "Move up"),
            MoveDown => lang.t("Flytta ned", "Move down"),
            Delete => lang.t("Ta bort…", "Delete…"),
            ShowEditor => lang.t("Redigera", "Edit"),
            ShowIndicatorList => lang.t("Alla indikatorer", "All indicators"),
            ShowOverview => lang.t("Lägesbild", "Status overview"),
            ShowBudget => lang.t("Budget", "Budget"),
            ShowEconomy => lang.t("Ekonomiuppföljning", "Financial follow-up"),
            ShowDocument => lang.t("Dokument", "Document"),
            CommandPalette => lang.t("Sök kommando eller post…", "Find command or item…"),
            ToggleDarkTheme => lang.t("Mörkt tema", "Dark theme"),
            Swedish => "Svenska",
            English => "English",
        }
    }

    /// Where the action sits in the menu bar.
    pub fn menu(self) -> Menu {
        use Action::*;
        match self {
            New | Open | Save | SaveAs | FetchKolada | ImportKolada | ImportSheet | ExportReport | ExportDocument | ExportSheet
            | ExportBudgetSheet | Print | CompareWith | ResolveConflicts | Close | Quit => {
                Menu::File
            }
            Undo | Redo | AddChild | AddSibling | MoveUp | MoveDown | Delete => Menu::Edit,
            ShowEditor | ShowIndicatorList | ShowOverview | ShowBudget | ShowEconomy | ShowDocument | CommandPalette | ToggleDarkTheme | Swedish
            | English => {
                Menu::View
            }
        }
    }

    /// The keyboard shortcuts (the first is shown in menus).
    pub fn shortcuts(self) -> &'static [KeyboardShortcut] {
        const fn ctrl(key: Key) -> KeyboardShortcut {
            KeyboardShortcut::new(Modifiers::COMMAND, key)
        }
        const fn ctrl_shift(key: Key) -> KeyboardShortcut {
            KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), key)
        }
        const fn alt(key: Key) -> KeyboardShortcut {
            KeyboardShortcut::new(Modifiers::ALT, key)
        }
        use Action::*;
        match self {
            New => &const { [ctrl(Key::N)] },
            Open => &const { [ctrl(Key::O)] },
            Save => &const { [ctrl(Key::S)] },
            SaveAs => &const { [ctrl_shift(Key::S)] },
            ExportReport => &const { [ctrl(Key::E)] },
            Print => &const { [ctrl(Key::P)] },
            Close => &const { [ctrl(Key::W)] },
            Quit => &const { [ctrl(Key::Q)] },
            Undo => &const { [ctrl(Key::Z)] },
            Redo => &const { [ctrl_shift(Key::Z), ctrl(Key::Y)] },
            AddChild => &const { [ctrl(Key::Enter)] },
            AddSibling => &const { [ctrl_shift(Key::Enter)] },
            MoveUp => &const { [alt(Key::ArrowUp)] },
            MoveDown => &const { [alt(Key::ArrowDown)] },
            ShowEditor => &const { [ctrl(Key::Num1)] },
            ShowIndicatorList => &const { [ctrl(Key::Num2)] },
            ShowOverview => &const { [ctrl(Key::Num3)] },
            ShowBudget => &const { [ctrl(Key::Num4)] },
            ShowEconomy => &const { [ctrl(Key::Num5)] },
            ShowDocument => &const { [ctrl(Key::Num6)] },
            CommandPalette => &const { [ctrl(Key::K)] },
            FetchKolada | ImportKolada | ImportSheet | ExportDocument | ExportSheet | ExportBudgetSheet | CompareWith | ResolveConflicts | Delete
            | ToggleDarkTheme | Swedish | English => &[],
        }
    }

    /// Whether the action can run now.
    pub fn enabled(self, state: &ActionState) -> bool {
        use Action::*;
        // Nothing touches the document while a job owns it; the palette stays to look around.
        if state.busy {
            return matches!(self, ShowEditor | ShowIndicatorList | ShowOverview | ShowBudget | ShowEconomy | ShowDocument | ToggleDarkTheme | Swedish | English);
        }
        match self {
            Undo => state.can_undo,
            Redo => state.can_redo,
            MoveUp | MoveDown | Delete => state.item_selected,
            ResolveConflicts => state.conflicts,
            _ => true,
        }
    }

    /// A check mark in the menu, for settings.
    pub fn checked(self, state: &ActionState) -> Option<bool> {
        match self {
            Action::ToggleDarkTheme => Some(state.dark),
            Action::Swedish => Some(state.lang == Lang::Swedish),
            Action::English => Some(state.lang == Lang::English),
            _ => None,
        }
    }

    /// The command the action sends.
    pub fn command(self, state: &ActionState) -> Command {
        use Action::*;
        match self {
            New => FileCommand::New.into(),
            Open => FileCommand::Open(None).into(),
            Save => FileCommand::Save.into(),
            SaveAs => FileCommand::SaveAs(None).into(),
            FetchKolada => FileCommand::FetchKolada.into(),
            ImportKolada => FileCommand::ImportKolada(None).into(),
            ImportSheet => FileCommand::ImportSheet(None).into(),
            ExportReport => FileCommand::ExportReport(None).into(),
            ExportDocument => FileCommand::ExportDocument(None).into(),
            ExportSheet => FileCommand::ExportSheet(None).into(),
            ExportBudgetSheet => FileCommand::ExportBudgetSheet(None).into(),
            Print => FileCommand::Print.into(),
            CompareWith => FileCommand::CompareWith(None).into(),
            ResolveConflicts => FileCommand::ShowConflicts.into(),
            Close => FileCommand::Close.into(),
            Quit => FileCommand::Quit.into(),
            Undo => EditCommand::Undo.into(),
            Redo => EditCommand::Redo.into(),
            AddChild => EditCommand::AddChild.into(),
            AddSibling => EditCommand::AddSibling.into(),
            MoveUp => EditCommand::MoveUp.into(),
            MoveDown => EditCommand::MoveDown.into(),
            Delete => EditCommand::RequestDelete.into(),
            ShowEditor => ViewCommand::Show(View::Editor).into(),
            ShowIndicatorList => ViewCommand::Show(View::IndicatorList).into(),
            ShowOverview => ViewCommand::Show(View::Overview).into(),
            ShowBudget => ViewCommand::Show(View::Budget).into(),
            ShowEconomy => ViewCommand::Show(View::Economy).into(),
            ShowDocument => ViewCommand::Show(View::Document).into(),
            CommandPalette => ViewCommand::OpenPalette.into(),
            ToggleDarkTheme => ViewCommand::SetDark(!state.dark).into(),
            Swedish => ViewCommand::SetLanguage(Lang::Swedish).into(),
            English => ViewCommand::SetLanguage(Lang::English).into(),
        }
    }

    /// "Ctrl+S" for menus and the palette.
    pub fn shortcut_text(self, ctx: &egui::Context) -> Option<String> {
        self.shortcuts().first().map(|s| ctx.format_shortcut(s))
    }

    /// The actions whose shortcut was pressed this frame, the more specific shortcuts first
    /// (Ctrl+Shift+Z before Ctrl+Z, which would match it too). Consumes the keys.
    pub fn pressed(input: &mut egui::InputState) -> Vec<Action> {
        let mut all: Vec<(KeyboardShortcut, Action)> =
            Action::ALL.iter().flat_map(|a| a.shortcuts().iter().map(move |s| (*s, *a))).collect();
        all.sort_by_key(|(s, _)| std::cmp::Reverse(modifier_count(s.modifiers)));
        all.into_iter().filter_map(|(s, a)| input.consume_shortcut(&s).then_some(a)).collect()
    }
}

fn modifier_count(m: Modifiers) -> u8 {
    u8::from(m.alt) + u8::from(m.ctrl) + u8::from(m.shift) + u8::from(m.mac_cmd) + u8::from(m.command)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_actions_share_a_shortcut() {
        let mut seen: Vec<(KeyboardShortcut, Action)> = Vec::new();
        for action in Action::ALL {
            for shortcut in action.shortcuts() {
                if let Some((_, other)) = seen.iter().find(|(s, _)| s == shortcut) {
                    panic!("{action:?} and {other:?} share {shortcut:?}");
                }
                seen.push((*shortcut, action));
            }
        }
        assert!(seen.len() >= 15, "the common actions have shortcuts");
    }

    #[test]
    fn every_action_is_listed_once_with_labels_in_both_languages() {
        let mut listed = std::collections::HashSet::new();
        for action in Action::ALL {
            assert!(listed.insert(action), "{action:?} listed twice");
            assert!(!action.label(Lang::Swedish).is_empty());
            assert!(!action.label(Lang::English).is_empty());
        }
        // Swedish and English differ where they should.
        assert_ne!(Action::Save.label(Lang::Swedish), Action::Save.label(Lang::English));
    }

    #[test]
    fn a_running_job_disables_what_touches_the_document() {
        let idle = ActionState { can_undo: true, item_selected: true, ..ActionState::default() };
        let busy = ActionState { busy: true, ..idle };
        for action in [Action::Save, Action::Open, Action::Undo, Action::Delete, Action::New, Action::Print] {
            assert!(action.enabled(&idle), "{action:?}");
            assert!(!action.enabled(&busy), "{action:?} while busy");
        }
        assert!(!Action::Redo.enabled(&idle), "nothing to redo");
        assert!(Action::ShowOverview.enabled(&busy));
    }

    #[test]
    fn the_more_specific_shortcut_wins() {
        let mut input = egui::InputState::default();
        input.modifiers = Modifiers::COMMAND | Modifiers::SHIFT;
        input.events.push(egui::Event::Key {
            key: Key::Z,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers: Modifiers::COMMAND | Modifiers::SHIFT,
        });
        assert_eq!(Action::pressed(&mut input), vec![Action::Redo]);
    }
}
