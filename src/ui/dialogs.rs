//! Modal dialogs: unsaved changes, errors, delete confirmation.

use crate::app::{Command, Dialog, MalplanApp, UnsavedAnswer};

pub fn show(app: &mut MalplanApp, ui: &mut egui::Ui) {
    let Some(dialog) = app.dialog.clone() else { return };
    let lang = app.lang();
    let ctx = ui.ctx().clone();
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
