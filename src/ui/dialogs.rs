//! Modal dialogs: unsaved changes, errors, delete confirmation, import preview, restore, a
//! file changed on disk, and the progress of a running job. The dialog types live here, beside
//! their drawing; the shell keeps them in a queue and shows the first.

use std::path::PathBuf;
use std::sync::Arc;

use crate::command::{Answer, ChangedAnswer, Command, EditCommand, FileCommand, UnsavedAnswer};
use crate::i18n::Lang;
use crate::outline::NodeRef;
use crate::ui::ctx::ViewCtx;

/// A dialog over the main window.
#[derive(Debug, Clone, PartialEq)]
pub enum Dialog {
    /// "Spara ändringarna?" before `then` runs.
    Unsaved { then: Box<Command> },
    /// Something could not be opened, saved, read or written.
    Error { title: String, message: String },
    /// A save failed: the message, and the offer to save elsewhere.
    SaveFailed { message: String },
    /// Unsaved work from an earlier run was found.
    Restore { recovered: crate::recovery::Recovered, saved_at: String },
    /// The file changed on disk since it was opened or saved; `then` runs after the answer
    /// (e.g. the Quit that asked to save first).
    ChangedOnDisk { path: PathBuf, then: Option<Box<Command>> },
    /// Confirm deleting a node and what goes with it.
    ConfirmDelete { node: NodeRef, question: String },
    /// What an import would change, before anything does.
    Import(Arc<ImportDialog>),
    /// Finding something in Kolada: a KPI for an indicator, the plan's municipality, a comparison.
    KoladaFind(Arc<KoladaFind>),
    /// What a merge left to choose, side by side (the plan's `conflicts`); `then` runs after
    /// *Spara* (the Quit or Open that asked to save first).
    MergeConflicts { then: Option<Box<Command>> },
    /// Another version compared with the open plan: what changed, in planner words.
    Compare { name: String, lines: Vec<String> },
}

/// What the Kolada finder is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindPurpose {
    /// A KPI for this indicator: its id, and the series Kvinnor/Män when divided by gender.
    Kpi { indicator: crate::model::ItemId },
    /// The plan's own municipality.
    Municipality,
    /// A municipality or group to compare with.
    Comparison,
    /// An organisational unit of the plan's municipality (a school) for this indicator.
    Unit { indicator: crate::model::ItemId },
}

/// One match: a KPI or a municipality.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub id: String,
    pub title: String,
    /// The unit, the gender split, the description – one line.
    pub detail: String,
    pub divided_by_gender: bool,
}

/// The finder's state as the shell keeps it: the last search and what it found.
#[derive(Debug, Clone, PartialEq)]
pub struct KoladaFind {
    pub purpose: FindPurpose,
    pub query: String,
    pub results: Vec<Found>,
    /// "Kolada svarar inte – visar sparade värden från 20 nov", when from the cache.
    pub notice: Option<String>,
    pub error: Option<String>,
    pub searching: bool,
}

/// An import waiting for the planner's yes, with its lines formatted once (not per frame).
#[derive(Debug, Clone, PartialEq)]
pub struct ImportDialog {
    pub kind: ImportKind,
    /// The file(s) read, for the heading.
    pub source_name: String,
    /// "12 nya värden, 3 ändrade, …", or why there is no preview (e.g. choose a municipality).
    pub summary: Result<String, String>,
    /// Indicator, series, "utfall 2023", old, new – one row per change (a budget import:
    /// row, table, column, old, new; see [`ImportKind::column_titles`]).
    pub change_rows: Vec<[String; 5]>,
    pub skipped_lines: Vec<String>,
    pub change_count: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ImportKind {
    Kolada {
        /// Every municipality code in the files, for the "our municipality" choice.
        municipalities: Vec<String>,
        own: Option<String>,
        /// A comparison chosen besides Riket.
        comparison: Option<String>,
    },
    Sheet,
    /// A budget sheet: the changes are amounts of budget rows.
    Budget,
    /// The economic follow-up's figures (the economy sheet, an SIE file).
    Economy,
}

impl ImportKind {
    /// The titles of the change table's five columns.
    pub fn column_titles(&self, lang: Lang) -> [&'static str; 5] {
        match self {
            ImportKind::Budget | ImportKind::Economy => [
                lang.t("Rad", "Row"),
                lang.t("Tabell", "Table"),
                lang.t("Kolumn", "Column"),
                lang.t("Före", "Before"),
                lang.t("Efter", "After"),
            ],
            ImportKind::Kolada { .. } | ImportKind::Sheet => [
                lang.t("Indikator", "Indicator"),
                lang.t("Serie", "Series"),
                lang.t("Värde", "Value"),
                lang.t("Före", "Before"),
                lang.t("Efter", "After"),
            ],
        }
    }

    /// What is imported, for the button: "värden", "belopp".
    fn things(&self, lang: Lang) -> &'static str {
        match self {
            ImportKind::Budget | ImportKind::Economy => lang.t("belopp", "amounts"),
            ImportKind::Kolada { .. } | ImportKind::Sheet => lang.t("värden", "values"),
        }
    }
}

/// A running job, as the progress dialog shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// "Öppnar plan.ron (14 MB)…"
    pub label: String,
    pub elapsed_secs: f32,
    /// Share done, when the job can tell.
    pub fraction: Option<f32>,
    pub cancellable: bool,
    pub cancelling: bool,
}

/// The progress of a job that owns the document: the window keeps drawing behind it.
pub fn progress_ui(ctx: &mut ViewCtx, ui: &mut egui::Ui, progress: &Progress) {
    let lang = ctx.lang;
    egui::Modal::new(egui::Id::unique("job_progress")).show(ui.ctx(), |ui| {
        ui.set_min_width(380.0);
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(&progress.label);
        });
        if let Some(fraction) = progress.fraction {
            ui.add(egui::ProgressBar::new(fraction).show_percentage());
        }
        if progress.elapsed_secs >= 1.0 {
            ui.weak(format!("{:.0} s", progress.elapsed_secs));
        }
        if progress.cancellable {
            ui.add_space(6.0);
            let text = if progress.cancelling { lang.t("Avbryter…", "Cancelling…") } else { lang.t("Avbryt", "Cancel") };
            if ui.add_enabled(!progress.cancelling, egui::Button::new(text)).clicked() {
                ctx.send(Answer::CancelJob);
            }
        }
    });
}

/// Draws `dialog` and sends the planner's answer.
pub fn dialog_ui(ctx: &mut ViewCtx, ui: &mut egui::Ui, dialog: &Dialog) {
    let lang = ctx.lang;
    let egui_ctx = ui.ctx().clone();
    let modal = |name: &str| egui::Modal::new(egui::Id::unique(("dialog", name.to_owned())));
    match dialog {
        Dialog::KoladaFind(find) => {
            let response = modal("kolada_find").show(&egui_ctx, |ui| kolada_find_ui(ctx, lang, ui, find));
            if response.should_close() {
                ctx.send(Answer::Dismiss);
            }
        }
        Dialog::Unsaved { .. } => {
            modal("unsaved").show(&egui_ctx, |ui| {
                ui.set_max_width(420.0);
                ui.heading(lang.t("Spara ändringarna?", "Save the changes?"));
                ui.label(lang.t("Planen har ändringar som inte är sparade.", "The plan has changes that are not saved."));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    for (text, answer) in [
                        (lang.t("Spara", "Save"), UnsavedAnswer::Save),
                        (lang.t("Spara inte", "Don't save"), UnsavedAnswer::DontSave),
                        (lang.t("Avbryt", "Cancel"), UnsavedAnswer::Cancel),
                    ] {
                        if ui.button(text).clicked() {
                            ctx.send(Answer::Unsaved(answer));
                        }
                    }
                });
            });
        }
        Dialog::Error { title, message } => {
            let response = modal("error").show(&egui_ctx, |ui| {
                ui.set_max_width(560.0);
                ui.heading(title);
                ui.label(message);
                ui.add_space(8.0);
                if ui.button("OK").clicked() {
                    ctx.send(Answer::Dismiss);
                }
            });
            if response.should_close() {
                ctx.send(Answer::Dismiss);
            }
        }
        Dialog::SaveFailed { message } => {
            modal("save_failed").show(&egui_ctx, |ui| {
                ui.set_max_width(560.0);
                ui.heading(lang.t("Planen kunde inte sparas", "The plan could not be saved"));
                ui.label(message);
                ui.label(lang.t("Ändringarna finns kvar i programmet.", "Your changes are still in the program."));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button(lang.t("Spara som…", "Save as…")).clicked() {
                        ctx.send(Answer::Dismiss);
                        ctx.send(FileCommand::SaveAs(None));
                    }
                    if ui.button("OK").clicked() {
                        ctx.send(Answer::Dismiss);
                    }
                });
            });
        }
        Dialog::Restore { recovered, saved_at } => {
            modal("restore").show(&egui_ctx, |ui| {
                ui.set_max_width(560.0);
                ui.heading(lang.t("Återställa osparat arbete?", "Restore unsaved work?"));
                let file = recovered
                    .info
                    .original
                    .as_ref()
                    .map_or_else(|| lang.t("en plan som inte sparats", "a plan never saved").to_owned(), |p| p.display().to_string());
                ui.label(format!(
                    "{} \"{}\" ({file}), {} {saved_at}.",
                    lang.t("Målplan avslutades utan att spara", "Målplan closed without saving"),
                    recovered.info.plan_title,
                    lang.t("senast autosparad", "last autosaved"),
                ));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button(lang.t("Återställ", "Restore")).clicked() {
                        ctx.send(Answer::Restore(true));
                    }
                    if ui.button(lang.t("Kasta", "Discard")).clicked() {
                        ctx.send(Answer::Restore(false));
                    }
                });
            });
        }
        Dialog::ChangedOnDisk { path, .. } => {
            modal("changed_on_disk").show(&egui_ctx, |ui| {
                ui.set_max_width(560.0);
                ui.heading(lang.t("Filen har ändrats av någon annan", "The file was changed by someone else"));
                ui.label(format!(
                    "{} {}",
                    path.display(),
                    lang.t(
                        "har ändrats på disken sedan du öppnade den (en kollega eller ett synkprogram?).",
                        "changed on disk since you opened it (a colleague or a sync tool?)."
                    )
                ));
                ui.add_space(8.0);
                ui.label(lang.t(
                    "Slå ihop tar med båda era ändringar; där ni ändrat samma sak får du välja.",
                    "Merge keeps both your changes; where you both changed the same thing, you choose.",
                ));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    for (text, answer) in [
                        (lang.t("Slå ihop", "Merge"), ChangedAnswer::Merge),
                        (lang.t("Skriv över", "Overwrite"), ChangedAnswer::Overwrite),
                        (lang.t("Spara som kopia…", "Save as a copy…"), ChangedAnswer::SaveCopy),
                        (lang.t("Läs in igen", "Reload"), ChangedAnswer::Reload),
                        (lang.t("Avbryt", "Cancel"), ChangedAnswer::Cancel),
                    ] {
                        if ui.button(text).clicked() {
                            ctx.send(Answer::ChangedOnDisk(answer));
                        }
                    }
                });
            });
        }
        Dialog::MergeConflicts { .. } => {
            modal("merge_conflicts").show(&egui_ctx, |ui| merge_conflicts_ui(ctx, lang, ui));
        }
        Dialog::Compare { name, lines } => {
            let response = modal("compare").show(&egui_ctx, |ui| {
                ui.set_width(720.0);
                ui.heading(format!("{} {name}", lang.t("Jämfört med", "Compared with")));
                ui.label(match lines.len() {
                    0 => lang.t("Inga skillnader.", "No differences.").to_owned(),
                    n => format!("{n} {}", lang.t("ändringar från den versionen till den öppna planen:", "changes from that version to the open plan:")),
                });
                ui.add_space(4.0);
                egui::ScrollArea::vertical().max_height(440.0).auto_shrink([false, true]).show_rows(
                    ui,
                    ui.text_style_height(&egui::TextStyle::Body),
                    lines.len(),
                    |ui, range| {
                        for line in &lines[range] {
                            ui.label(line);
                        }
                    },
                );
                ui.add_space(8.0);
                if ui.button(lang.t("Stäng", "Close")).clicked() {
                    ctx.send(Answer::Dismiss);
                }
            });
            if response.should_close() {
                ctx.send(Answer::Dismiss);
            }
        }
        Dialog::ConfirmDelete { node, question } => {
            let response = modal("delete").show(&egui_ctx, |ui| {
                ui.set_max_width(480.0);
                ui.heading(lang.t("Ta bort?", "Delete?"));
                ui.label(question);
                ui.label(lang.t("Du kan ångra med Ctrl+Z.", "You can undo with Ctrl+Z."));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button(lang.t("Ta bort", "Delete")).clicked() {
                        ctx.send(Answer::Dismiss);
                        ctx.send(EditCommand::Delete(*node));
                    }
                    if ui.button(lang.t("Avbryt", "Cancel")).clicked() {
                        ctx.send(Answer::Dismiss);
                    }
                });
            });
            if response.should_close() {
                ctx.send(Answer::Dismiss);
            }
        }
        Dialog::Import(import) => {
            let response = modal("import").show(&egui_ctx, |ui| import_preview_ui(ctx, lang, ui, import));
            if response.should_close() {
                ctx.send(Answer::Dismiss);
            }
        }
    }
}

/// The import preview: what would be added or changed (old → new), what is skipped and why,
/// and the one button that does it.
/// The finder: a search field (Enter or *Sök* searches, on a worker), the matches to pick from,
/// and the offline notice when the answers come from the cache.
fn kolada_find_ui(ctx: &mut ViewCtx, lang: Lang, ui: &mut egui::Ui, find: &KoladaFind) {
    let heading = match find.purpose {
        FindPurpose::Kpi { .. } => lang.t("Sök KPI i Kolada", "Find a KPI in Kolada"),
        FindPurpose::Municipality => lang.t("Planens kommun i Kolada", "The plan's municipality in Kolada"),
        FindPurpose::Comparison => lang.t("Jämför med", "Compare with"),
        FindPurpose::Unit { .. } => lang.t("Enhet i Kolada (t.ex. en skola)", "Unit in Kolada (e.g. a school)"),
    };
    ui.set_min_width(640.0);
    ui.set_max_width(720.0);
    ui.heading(heading);
    // Per purpose: the KPI search keeps its words apart from the municipality's.
    let id = egui::Id::unique(("kolada_find_query", format!("{:?}", find.purpose)));
    let mut text: String = ui.data_mut(|d| d.get_temp(id)).unwrap_or_else(|| find.query.clone());
    let mut search = false;
    ui.horizontal(|ui| {
        let label = ui.label(lang.t("Sökord:", "Words:"));
        let response = ui.add(egui::TextEdit::singleline(&mut text).desired_width(420.0).hint_text(lang.t("t.ex. arbetslöshet 16-64", "e.g. unemployment 16-64")));
        let response = response.labelled_by(label.id);
        search |= (response.lost_focus() || response.has_focus()) && ui.input(|i| i.key_pressed(egui::Key::Enter));
        // The field has the focus when the finder opens, once.
        let opened = id.with("opened");
        if !search && !ui.data(|d| d.get_temp::<bool>(opened).unwrap_or(false)) {
            response.request_focus();
            ui.data_mut(|d| d.insert_temp(opened, true));
        }
        search |= ui.add_enabled(!find.searching, egui::Button::new(lang.t("Sök", "Search"))).clicked();
        if find.searching {
            ui.spinner();
        }
    });
    ui.data_mut(|d| d.insert_temp(id, text.clone()));
    if search {
        ctx.send(Answer::KoladaSearch(text.trim().to_owned()));
    }
    if let Some(notice) = &find.notice {
        ui.colored_label(ui.visuals().warn_fg_color, notice);
    }
    if let Some(error) = &find.error {
        ui.colored_label(ui.visuals().error_fg_color, error);
    }
    if !find.query.is_empty() && find.results.is_empty() && !find.searching && find.error.is_none() {
        ui.label(format!("{} \"{}\"", lang.t("Inget matchar", "Nothing matches"), find.query));
    }
    egui::ScrollArea::vertical().max_height(380.0).show(ui, |ui| {
        for (index, found) in find.results.iter().enumerate() {
            ui.horizontal_wrapped(|ui| {
                if ui.button(lang.t("Välj", "Choose")).on_hover_text(format!("{} {}", found.id, found.title)).clicked() {
                    ctx.send(Answer::KoladaPick(index));
                }
                ui.label(egui::RichText::new(&found.id).monospace().strong());
                ui.label(&found.title);
            });
            if !found.detail.is_empty() {
                ui.label(egui::RichText::new(&found.detail).small().weak());
            }
            ui.separator();
        }
    });
    if ui.button(lang.t("Stäng", "Close")).clicked() {
        ctx.send(Answer::Dismiss);
    }
}

fn import_preview_ui(ctx: &mut ViewCtx, lang: Lang, ui: &mut egui::Ui, import: &ImportDialog) {
    ui.set_width(860.0);
    let title = match &import.kind {
        ImportKind::Kolada { .. } => lang.t("Importera från Kolada", "Import from Kolada"),
        ImportKind::Sheet => lang.t("Importera från kalkylblad", "Import from a spreadsheet"),
        ImportKind::Budget => lang.t("Importera budget från kalkylblad", "Import a budget from a spreadsheet"),
        ImportKind::Economy => lang.t("Importera ekonomisk uppföljning", "Import the economic follow-up"),
    };
    ui.heading(title);
    ui.label(&import.source_name);
    if let ImportKind::Kolada { municipalities, own, comparison } = &import.kind {
        ui.horizontal(|ui| {
            let label = ui.label(lang.t("Er kommun:", "Your municipality:"));
            let shown = own.clone().unwrap_or_else(|| lang.t("välj", "choose").into());
            egui::ComboBox::from_id_salt("kolada_municipality")
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    for code in municipalities {
                        if ui.selectable_label(own.as_deref() == Some(code.as_str()), code).clicked() {
                            ctx.send(Answer::KoladaMunicipality(code.clone()));
                        }
                    }
                })
                .response
                .labelled_by(label.id);
            let label = ui.label(lang.t("Jämför också med:", "Also compare with:"));
            egui::ComboBox::from_id_salt("kolada_comparison")
                .selected_text(comparison.clone().unwrap_or_else(|| lang.t("bara Riket", "Riket only").into()))
                .show_ui(ui, |ui| {
                    if ui.selectable_label(comparison.is_none(), lang.t("bara Riket", "Riket only")).clicked() {
                        ctx.send(Answer::KoladaComparison(None));
                    }
                    for code in municipalities.iter().filter(|c| *c != "0000") {
                        if ui.selectable_label(comparison.as_deref() == Some(code.as_str()), code).clicked() {
                            ctx.send(Answer::KoladaComparison(Some(code.clone())));
                        }
                    }
                })
                .response
                .labelled_by(label.id);
        });
    }
    ui.add_space(6.0);
    let summary = match &import.summary {
        Ok(summary) => summary,
        Err(message) => {
            ui.colored_label(ui.visuals().warn_fg_color, message);
            ui.add_space(8.0);
            if ui.button(lang.t("Avbryt", "Cancel")).clicked() {
                ctx.send(Answer::Dismiss);
            }
            return;
        }
    };
    ui.label(summary);
    ui.add_space(4.0);
    ui.strong(format!("{} ({})", lang.t("Läggs till eller ändras", "Added or changed"), import.change_rows.len()));
    changes_table_ui(ui, lang, import.kind.column_titles(lang), &import.change_rows);
    if !import.skipped_lines.is_empty() {
        ui.add_space(4.0);
        ui.strong(format!("{} ({})", lang.t("Hoppas över", "Skipped"), import.skipped_lines.len()));
        lines_ui(ui, "import_skipped", &import.skipped_lines, 120.0, "");
    }
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        let count = import.change_count;
        let text = format!("{} {count} {}", lang.t("Importera", "Import"), import.kind.things(lang));
        if ui.add_enabled(count > 0, egui::Button::new(text)).clicked() {
            ctx.send(EditCommand::AcceptImport);
        }
        if ui.button(lang.t("Avbryt", "Cancel")).clicked() {
            ctx.send(Answer::Dismiss);
        }
    });
}

/// The changes as a table (indicator, series, value, before, after – or a budget's row,
/// table, column, before, after); only visible rows are laid out.
fn changes_table_ui(ui: &mut egui::Ui, lang: Lang, titles: [&str; 5], rows: &[[String; 5]]) {
    use egui_extras::{Column, TableBuilder};
    if rows.is_empty() {
        ui.weak(lang.t("Inget att ändra.", "Nothing to change."));
        return;
    }
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.push_id("import_changes", |ui| {
            TableBuilder::new(ui)
                .striped(true)
                .max_scroll_height(240.0)
                .column(Column::remainder().at_least(260.0).clip(true))
                .column(Column::exact(170.0).clip(true))
                .column(Column::exact(120.0).clip(true))
                .column(Column::exact(120.0).clip(true))
                .column(Column::exact(120.0).clip(true))
                .header(20.0, |mut header| {
                    for title in titles {
                        header.col(|ui| {
                            ui.strong(title);
                        });
                    }
                })
                .body(|body| {
                    body.rows(20.0, rows.len(), |mut row| {
                        let cells = &rows[row.index()];
                        for (i, text) in cells.iter().enumerate() {
                            row.col(|ui| {
                                let text = if i == 4 { egui::RichText::new(text).strong() } else { egui::RichText::new(text) };
                                ui.add(egui::Label::new(text).truncate());
                            });
                        }
                    });
                });
        });
    });
}

/// A scrolling list that lays out only the visible lines (an import can list thousands).
fn lines_ui(ui: &mut egui::Ui, id: &str, lines: &[String], height: f32, empty: &str) {
    if lines.is_empty() {
        if !empty.is_empty() {
            ui.weak(empty);
        }
        return;
    }
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 2.0;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt(id)
            .max_height(height)
            .auto_shrink([false, true])
            .show_rows(ui, row_height, lines.len(), |ui, range| {
                for line in &lines[range] {
                    ui.add(egui::Label::new(line.as_str()).truncate());
                }
            });
    });
}


/// The merge conflicts, one row each: what, mine, theirs and the choice.
fn merge_conflicts_ui(ctx: &mut ViewCtx, lang: Lang, ui: &mut egui::Ui) {
    use crate::merge::Choice;
    ui.set_width(880.0);
    let conflicts = &ctx.plan.conflicts;
    ui.heading(lang.t("Välj vilken version som gäller", "Choose which version holds"));
    ui.label(match conflicts.len() {
        0 => lang.t("Alla konflikter är lösta. Spara planen.", "Every conflict is resolved. Save the plan.").to_owned(),
        n => format!(
            "{n} {}",
            lang.t(
                "ställen där du och den andra versionen ändrat samma sak. Planen har din version tills du väljer.",
                "places where you and the other version changed the same thing. The plan holds yours until you choose."
            )
        ),
    });
    ui.add_space(6.0);
    let mut answers = Vec::new();
    // Fixed columns, texts wrapped inside them: what, mine, theirs, the choice.
    const WIDTHS: [f32; 3] = [300.0, 150.0, 150.0];
    let cell = |ui: &mut egui::Ui, width: f32, add: &mut dyn FnMut(&mut egui::Ui)| {
        ui.allocate_ui_with_layout(egui::vec2(width, 0.0), egui::Layout::top_down(egui::Align::Min), |ui| {
            ui.set_width(width);
            add(ui);
        });
    };
    ui.horizontal(|ui| {
        for (width, heading) in WIDTHS.iter().zip([lang.t("Vad", "What"), lang.t("Min version", "Mine"), lang.t("Deras version", "Theirs")]) {
            cell(ui, *width, &mut |ui| {
                ui.strong(heading);
            });
        }
    });
    ui.separator();
    egui::ScrollArea::vertical().max_height(420.0).auto_shrink([false, true]).show(ui, |ui| {
        for (index, conflict) in conflicts.iter().enumerate() {
            let texts = [
                crate::merge::conflict_what(ctx.plan, conflict, lang),
                crate::merge::current_text(ctx.plan, conflict, lang),
                crate::merge::theirs_text(ctx.plan, conflict, lang),
            ];
            ui.horizontal_top(|ui| {
                for (width, text) in WIDTHS.iter().zip(texts) {
                    cell(ui, *width, &mut |ui| {
                        ui.add(egui::Label::new(text.as_str()).wrap());
                    });
                }
                if ui.button(lang.t("Behåll min", "Keep mine")).clicked() {
                    answers.push(Answer::Conflict { index, choice: Some(Choice::Mine) });
                }
                if ui.button(lang.t("Ta deras", "Take theirs")).clicked() {
                    answers.push(Answer::Conflict { index, choice: Some(Choice::Theirs) });
                }
                let edit_hint = lang.t(
                    "Visa posten och ändra själv; konflikten finns kvar tills du väljer.",
                    "Show the item and change it yourself; the conflict stays until you choose.",
                );
                if ui.button(lang.t("Redigera", "Edit")).on_hover_text(edit_hint).clicked() {
                    answers.push(Answer::Conflict { index, choice: None });
                }
            });
            ui.separator();
        }
    });
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        if ui.button(lang.t("Spara", "Save")).clicked() {
            answers.push(Answer::SaveMerged);
        }
        if ui.button(lang.t("Stäng", "Close")).on_hover_text(lang.t("Konflikterna sparas i filen tills de är lösta (Arkiv → Lös konflikter…).", "The conflicts are kept in the file until resolved (File → Resolve merge conflicts…).")).clicked() {
            answers.push(Answer::Dismiss);
        }
    });
    // One answer per frame: a choice changes the indices of the rows after it.
    if let Some(answer) = answers.into_iter().next() {
        ctx.send(answer);
    }
}
