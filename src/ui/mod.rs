//! The egui views. Each panel reads the app state and sends [`Command`]s; none of them touches
//! files or the plan directly.

pub mod dialogs;
pub mod editor;
pub mod i18n;
pub mod indicator_list;
pub mod indicator_view;
pub mod overview_view;
pub mod symbols;
pub mod tree;

use crate::app::{Command, MalplanApp};
use crate::followup::Selection;
use crate::ui::i18n::Lang;

/// Adds DejaVu Sans (bundled, also used by the report) as a fallback after egui's own fonts,
/// so arrows, dashes and other characters in plan texts always have a glyph.
pub fn install_fonts(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "DejaVuSans".to_owned(),
        std::sync::Arc::new(egui::FontData::from_static(include_bytes!("../../assets/fonts/DejaVuSans.ttf"))),
    );
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        fonts.families.entry(family).or_default().push("DejaVuSans".to_owned());
    }
    ctx.set_fonts(fonts);
}

/// Menu bar, top bar, status bar, tree and editor.
pub fn show_main(app: &mut MalplanApp, ui: &mut egui::Ui) {
    let dark = app.settings.dark;
    ui.ctx().set_theme(if dark { egui::Theme::Dark } else { egui::Theme::Light });
    egui::Panel::top("menu_bar").show(ui, |ui| menu_bar_ui(app, ui));
    egui::Panel::top("top_bar").show(ui, |ui| top_bar_ui(app, ui));
    egui::Panel::bottom("status_bar").show(ui, |ui| status_bar_ui(app, ui));
    egui::Panel::left("tree_panel")
        .resizable(true)
        .default_size(380.0)
        .show(ui, |ui| tree::tree_ui(app, ui));
    egui::CentralPanel::default().show(ui, |ui| match app.view {
        crate::app::View::Editor => {
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| editor::editor_ui(app, ui));
        }
        crate::app::View::IndicatorList => indicator_list::indicator_list_ui(app, ui),
        crate::app::View::Overview => overview_view::overview_ui(app, ui),
    });
}

fn menu_bar_ui(app: &mut MalplanApp, ui: &mut egui::Ui) {
    let lang = app.lang();
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button(lang.t("Arkiv", "File"), |ui| {
            if ui.button(lang.t("Ny", "New")).clicked() {
                app.send(Command::New);
            }
            if ui.button(lang.t("Öppna…", "Open…")).clicked() {
                app.send(Command::Open(None));
            }
            let recent = app.settings.recent.clone();
            ui.add_enabled_ui(!recent.is_empty(), |ui| {
                ui.menu_button(lang.t("Öppna senaste", "Open recent"), |ui| {
                    for path in recent {
                        if ui.button(path.display().to_string()).clicked() {
                            app.send(Command::Open(Some(path)));
                        }
                    }
                });
            });
            ui.separator();
            if ui.button(lang.t("Spara", "Save")).clicked() {
                app.send(Command::Save);
            }
            if ui.button(lang.t("Spara som…", "Save as…")).clicked() {
                app.send(Command::SaveAs(None));
            }
            ui.separator();
            ui.menu_button(lang.t("Importera", "Import"), |ui| {
                if ui.button(lang.t("Kolada-fil (JSON)…", "Kolada file (JSON)…")).clicked() {
                    app.send(Command::ImportKolada(None));
                }
                if ui.button(lang.t("Värden från Excel eller CSV…", "Values from Excel or CSV…")).clicked() {
                    app.send(Command::ImportSheet(None));
                }
            });
            ui.menu_button(lang.t("Exportera", "Export"), |ui| {
                if ui.button(lang.t("Rapport (PDF)…", "Report (PDF)…")).clicked() {
                    app.send(Command::ExportReport(None));
                }
                if ui.button(lang.t("Indikatorer till Excel eller CSV…", "Indicators to Excel or CSV…")).clicked() {
                    app.send(Command::ExportSheet(None));
                }
            });
            if ui.button(lang.t("Skriv ut…", "Print…")).clicked() {
                app.send(Command::Print);
            }
            ui.separator();
            if ui.button(lang.t("Stäng", "Close")).clicked() {
                app.send(Command::Close);
            }
            if ui.button(lang.t("Avsluta", "Quit")).clicked() {
                app.send(Command::Quit);
            }
        });
        ui.menu_button(lang.t("Redigera", "Edit"), |ui| {
            if ui.add_enabled(app.doc.can_undo(), egui::Button::new(lang.t("Ångra", "Undo"))).clicked() {
                app.send(Command::Undo);
            }
            if ui.add_enabled(app.doc.can_redo(), egui::Button::new(lang.t("Gör om", "Redo"))).clicked() {
                app.send(Command::Redo);
            }
        });
        ui.menu_button(lang.t("Visa", "View"), |ui| {
            let mut dark = app.settings.dark;
            if ui.checkbox(&mut dark, lang.t("Mörkt tema", "Dark theme")).changed() {
                app.settings.dark = dark;
            }
            ui.separator();
            ui.radio_value(&mut app.settings.lang, Lang::Swedish, "Svenska");
            ui.radio_value(&mut app.settings.lang, Lang::English, "English");
        });
    });
}

/// The plan's name and the follow-up period everything shows.
fn top_bar_ui(app: &mut MalplanApp, ui: &mut egui::Ui) {
    let lang = app.lang();
    ui.horizontal(|ui| {
        let plan = app.plan();
        ui.strong(format!("{} – {}", plan.meta.organisation, plan.meta.title));
        ui.separator();
        let label = ui.label(lang.t("Uppföljning:", "Follow-up:"));
        let current = selection_text(app, app.period);
        let mut choices: Vec<Selection> = app.plan().periods.iter().map(|p| Selection::Period(p.id)).collect();
        let (first, last) = (app.plan().meta.first_year, app.plan().meta.last_year);
        let latest_value_year = app
            .plan()
            .periods
            .iter()
            .map(|p| p.year)
            .max()
            .unwrap_or(last)
            .max(last);
        choices.extend((first.min(last)..=latest_value_year.min(first.max(last) + 10)).rev().map(Selection::Year));
        let mut chosen = app.period;
        egui::ComboBox::from_id_salt("period_selector")
            .selected_text(current)
            .width(220.0)
            .show_ui(ui, |ui| {
                for choice in choices {
                    let text = selection_text(app, choice);
                    ui.selectable_value(&mut chosen, choice, text);
                }
            })
            .response
            .labelled_by(label.id);
        if chosen != app.period {
            app.send(Command::SetSelectionPeriod(chosen));
        }
        ui.separator();
        let mut view = app.view;
        ui.selectable_value(&mut view, crate::app::View::Editor, lang.t("Redigera", "Edit"));
        ui.selectable_value(&mut view, crate::app::View::IndicatorList, lang.t("Alla indikatorer", "All indicators"));
        ui.selectable_value(&mut view, crate::app::View::Overview, lang.t("Lägesbild", "Status overview"));
        if view != app.view {
            app.send(Command::ShowView(view));
        }
    });
}

pub fn selection_text(app: &MalplanApp, selection: Selection) -> String {
    match selection {
        Selection::Period(id) => app
            .plan()
            .periods
            .iter()
            .find(|p| p.id == id)
            .map_or_else(|| "?".to_owned(), |p| p.name.clone()),
        Selection::Year(year) => format!("{} {year}", app.lang().t("År", "Year")),
    }
}

fn status_bar_ui(app: &mut MalplanApp, ui: &mut egui::Ui) {
    let lang = app.lang();
    ui.horizontal(|ui| {
        let dirty = app.doc.is_dirty();
        ui.label(if dirty {
            lang.t("Osparade ändringar", "Unsaved changes")
        } else {
            lang.t("Allt sparat", "All saved")
        });
        ui.separator();
        if !app.problems.is_empty() {
            let text = format!("{} {}", app.problems.len(), lang.t("problem i planen", "problems in the plan"));
            let tip: Vec<String> = app.problems.iter().take(30).map(|p| p.to_string()).collect();
            ui.colored_label(ui.visuals().warn_fg_color, text).on_hover_text(tip.join("\n"));
            ui.separator();
        }
        ui.label(&app.status_line);
    });
}

/// A labelled combo box choosing one board of the register, or all (`None`).
pub fn board_selector_ui(ui: &mut egui::Ui, lang: Lang, plan: &crate::model::Plan, id_salt: &str, board: &mut Option<String>) {
    let label = ui.label(lang.t("Nämnd:", "Board:"));
    egui::ComboBox::from_id_salt(id_salt)
        .selected_text(board.clone().unwrap_or_else(|| lang.t("alla", "all").to_owned()))
        .show_ui(ui, |ui| {
            ui.selectable_value(board, None, lang.t("alla", "all"));
            for b in &plan.boards {
                ui.selectable_value(board, Some(b.code.clone()), format!("{} – {}", b.code, b.name));
            }
        })
        .response
        .labelled_by(label.id);
}
