//! Modal dialogs: unsaved changes, errors, delete confirmation, import preview.

use crate::app::{Command, Dialog, ImportDialog, ImportSource, MalplanApp, UnsavedAnswer};
use crate::ui::i18n::Lang;

pub fn show(app: &mut MalplanApp, ui: &mut egui::Ui) {
    let lang = app.lang();
    let ctx = ui.ctx().clone();
    if let Some(pending) = &app.pending_open {
        let text = format!("{} {} ({:.0} MB)…", lang.t("Öppnar", "Opening"), pending.path.display(), pending.size_mb);
        egui::Modal::new(egui::Id::unique("loading_dialog")).show(&ctx, |ui| {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(text);
            });
        });
        return;
    }
    let Some(dialog) = app.dialog.clone() else { return };
    match dialog {
        Dialog::Unsaved { .. } => {
            egui::Modal::new(egui::Id::unique("unsaved_dialog")).show(&ctx, |ui| {
                ui.set_max_width(420.0);
                ui.heading(lang.t("Spara ändringarna?", "Save the changes?"));
                ui.label(lang.t(
                    "Planen har ändringar som inte är sparade.",
                    "The plan has changes that are not saved.",
                ));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button(lang.t("Spara", "Save")).clicked() {
                        app.send(Command::Unsaved(UnsavedAnswer::Save));
                    }
                    if ui.button(lang.t("Spara inte", "Don't save")).clicked() {
                        app.send(Command::Unsaved(UnsavedAnswer::DontSave));
                    }
                    if ui.button(lang.t("Avbryt", "Cancel")).clicked() {
                        app.send(Command::Unsaved(UnsavedAnswer::Cancel));
                    }
                });
            });
        }
        Dialog::Error { title, message } => {
            let response = egui::Modal::new(egui::Id::unique("error_dialog")).show(&ctx, |ui| {
                ui.set_max_width(560.0);
                ui.heading(&title);
                ui.label(&message);
                ui.add_space(8.0);
                if ui.button("OK").clicked() {
                    app.send(Command::CloseDialog);
                }
            });
            if response.should_close() {
                app.send(Command::CloseDialog);
            }
        }
        Dialog::SaveFailed { message } => {
            egui::Modal::new(egui::Id::unique("save_failed_dialog")).show(&ctx, |ui| {
                ui.set_max_width(560.0);
                ui.heading(lang.t("Planen kunde inte sparas", "The plan could not be saved"));
                ui.label(&message);
                ui.label(lang.t("Ändringarna finns kvar i programmet.", "Your changes are still in the program."));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button(lang.t("Spara som…", "Save as…")).clicked() {
                        app.send(Command::CloseDialog);
                        app.send(Command::SaveAs(None));
                    }
                    if ui.button("OK").clicked() {
                        app.send(Command::CloseDialog);
                    }
                });
            });
        }
        Dialog::Restore { recovered } => {
            egui::Modal::new(egui::Id::unique("restore_dialog")).show(&ctx, |ui| {
                ui.set_max_width(560.0);
                ui.heading(lang.t("Återställa osparat arbete?", "Restore unsaved work?"));
                let file = recovered
                    .info
                    .original
                    .as_ref()
                    .map_or_else(|| lang.t("en plan som inte sparats", "a plan never saved").to_owned(), |p| p.display().to_string());
                ui.label(format!(
                    "{} \"{}\" ({file}), {} {}.",
                    lang.t("Målplan avslutades utan att spara", "Målplan closed without saving"),
                    recovered.info.plan_title,
                    lang.t("senast autosparad", "last autosaved"),
                    crate::recovery::format_time(recovered.info.saved_unix_secs)
                ));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button(lang.t("Återställ", "Restore")).clicked() {
                        app.send(Command::Restore(true));
                    }
                    if ui.button(lang.t("Kasta", "Discard")).clicked() {
                        app.send(Command::Restore(false));
                    }
                });
            });
        }
        Dialog::ChangedOnDisk { path } => {
            egui::Modal::new(egui::Id::unique("changed_on_disk_dialog")).show(&ctx, |ui| {
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
                ui.horizontal(|ui| {
                    if ui.button(lang.t("Skriv över", "Overwrite")).clicked() {
                        app.send(Command::OverwriteChanged);
                    }
                    if ui.button(lang.t("Spara som kopia…", "Save as a copy…")).clicked() {
                        app.send(Command::CloseDialog);
                        app.send(Command::SaveAs(None));
                    }
                    if ui.button(lang.t("Läs in igen", "Reload")).clicked() {
                        app.send(Command::ReloadFromDisk);
                    }
                    if ui.button(lang.t("Avbryt", "Cancel")).clicked() {
                        app.send(Command::CloseDialog);
                    }
                });
            });
        }
        Dialog::ConfirmDelete { node, summary } => {
            let response = egui::Modal::new(egui::Id::unique("delete_dialog")).show(&ctx, |ui| {
                ui.set_max_width(480.0);
                ui.heading(lang.t("Ta bort?", "Delete?"));
                ui.label(&summary);
                ui.label(lang.t("Du kan ångra med Ctrl+Z.", "You can undo with Ctrl+Z."));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button(lang.t("Ta bort", "Delete")).clicked() {
                        app.send(Command::Delete(node));
                        app.send(Command::CloseDialog);
                    }
                    if ui.button(lang.t("Avbryt", "Cancel")).clicked() {
                        app.send(Command::CloseDialog);
                    }
                });
            });
            if response.should_close() {
                app.send(Command::CloseDialog);
            }
        }
        Dialog::Import(import) => {
            let response = egui::Modal::new(egui::Id::unique("import_dialog")).show(&ctx, |ui| import_preview_ui(app, lang, ui, &import));
            if response.should_close() {
                app.send(Command::CloseDialog);
            }
        }
    }
}

/// The import preview: what would be added or changed (old → new), what is skipped and why,
/// and the one button that does it.
fn import_preview_ui(app: &mut MalplanApp, lang: Lang, ui: &mut egui::Ui, import: &ImportDialog) {
    ui.set_width(860.0);
    let title = match &import.source {
        ImportSource::Kolada { .. } => lang.t("Importera från Kolada", "Import from Kolada"),
        ImportSource::Sheet { .. } => lang.t("Importera från kalkylblad", "Import from a spreadsheet"),
    };
    ui.heading(title);
    match &import.source {
        ImportSource::Kolada { options, municipalities, .. } => {
            let own = crate::exchange::kolada::own_municipality(&[], options).ok().flatten();
            ui.horizontal(|ui| {
                let label = ui.label(lang.t("Er kommun:", "Your municipality:"));
                let shown = own.clone().unwrap_or_else(|| match &import.preview {
                    Ok(_) => municipalities
                        .iter()
                        .find(|m| !options.comparisons.iter().any(|(c, _)| c == *m))
                        .cloned()
                        .unwrap_or_else(|| "–".into()),
                    Err(_) => lang.t("välj", "choose").into(),
                });
                egui::ComboBox::from_id_salt("kolada_municipality")
                    .selected_text(shown)
                    .show_ui(ui, |ui| {
                        for code in municipalities {
                            if ui.selectable_label(own.as_deref() == Some(code.as_str()), code).clicked() {
                                app.send(Command::SetKoladaMunicipality(code.clone()));
                            }
                        }
                    })
                    .response
                    .labelled_by(label.id);
                let label = ui.label(lang.t("Jämför också med:", "Also compare with:"));
                let chosen = options.comparisons.iter().map(|(code, _)| code).find(|c| *c != "0000").cloned();
                egui::ComboBox::from_id_salt("kolada_comparison")
                    .selected_text(chosen.clone().unwrap_or_else(|| lang.t("bara Riket", "Riket only").into()))
                    .show_ui(ui, |ui| {
                        if ui.selectable_label(chosen.is_none(), lang.t("bara Riket", "Riket only")).clicked() {
                            app.send(Command::SetKoladaComparison(None));
                        }
                        for code in municipalities.iter().filter(|c| *c != "0000") {
                            if ui.selectable_label(chosen.as_deref() == Some(code.as_str()), code).clicked() {
                                app.send(Command::SetKoladaComparison(Some(code.clone())));
                            }
                        }
                    })
                    .response
                    .labelled_by(label.id);
            });
        }
        ImportSource::Sheet { name } => {
            ui.label(name);
        }
    }
    ui.add_space(6.0);
    let preview = match &import.preview {
        Ok(preview) => preview,
        Err(message) => {
            ui.colored_label(ui.visuals().warn_fg_color, message);
            ui.add_space(8.0);
            if ui.button(lang.t("Avbryt", "Cancel")).clicked() {
                app.send(Command::CloseDialog);
            }
            return;
        }
    };
    ui.label(preview.summary());
    ui.add_space(4.0);
    ui.strong(format!("{} ({})", lang.t("Läggs till eller ändras", "Added or changed"), import.change_rows.len()));
    changes_table_ui(ui, lang, &import.change_rows);
    if !import.skipped_lines.is_empty() {
        ui.add_space(4.0);
        ui.strong(format!("{} ({})", lang.t("Hoppas över", "Skipped"), import.skipped_lines.len()));
        lines_ui(ui, "import_skipped", &import.skipped_lines, 120.0, "");
    }
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        let count = preview.changes.len();
        let text = format!("{} {count} {}", lang.t("Importera", "Import"), lang.t("värden", "values"));
        if ui.add_enabled(count > 0, egui::Button::new(text)).clicked() {
            app.send(Command::AcceptImport);
        }
        if ui.button(lang.t("Avbryt", "Cancel")).clicked() {
            app.send(Command::CloseDialog);
        }
    });
}

/// The changes as a table (indicator, series, value, before, after); only visible rows are
/// laid out.
fn changes_table_ui(ui: &mut egui::Ui, lang: Lang, rows: &[[String; 5]]) {
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
                .column(Column::exact(90.0))
                .column(Column::exact(120.0).clip(true))
                .column(Column::exact(120.0).clip(true))
                .header(20.0, |mut header| {
                    for title in [
                        lang.t("Indikator", "Indicator"),
                        lang.t("Serie", "Series"),
                        lang.t("Värde", "Value"),
                        lang.t("Före", "Before"),
                        lang.t("Efter", "After"),
                    ] {
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

