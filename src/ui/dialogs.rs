//! Modal dialogs: unsaved changes, errors, delete confirmation.

use crate::app::{Command, Dialog, MalplanApp, UnsavedAnswer};

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
    }
}
