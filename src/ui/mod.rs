//! The egui views. Each panel is a struct that owns its local state and draws with a
//! [`ctx::ViewCtx`]: it reads the plan and derived data, and sends commands. No file here
//! touches files, dialogs of the system, threads or the shell (`src/app/`).

pub mod budget_view;
pub mod ctx;
pub mod dialogs;
pub mod document_view;
pub mod economy_view;
pub mod editor;
pub mod i18n;
pub mod indicator_list;
pub mod indicator_view;
pub mod overview_view;
pub mod palette;
pub mod symbols;
pub mod tree;

use crate::command::{Action, Menu, View, ViewCommand};
use crate::followup::Selection;
use crate::i18n::Lang;
use ctx::ViewCtx;

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

/// Every panel's own state, owned by the shell and lent to each panel while it draws.
pub struct Panels {
    pub tree: tree::TreePanel,
    pub values: indicator_view::ValuesTable,
    pub list: indicator_list::IndicatorList,
    pub overview: overview_view::OverviewPanel,
    pub budget: budget_view::BudgetPanel,
    pub economy: economy_view::EconomyPanel,
    pub document: document_view::DocumentPanel,
    pub palette: palette::Palette,
}

impl Panels {
    pub fn new(plan: &crate::model::Plan) -> Self {
        Self {
            tree: tree::TreePanel::new(plan),
            values: Default::default(),
            list: Default::default(),
            overview: Default::default(),
            budget: Default::default(),
            economy: Default::default(),
            document: Default::default(),
            palette: Default::default(),
        }
    }
}

/// Menu bar, top bar, status bar, tree, the central view and the palette.
pub fn show_main(ctx: &mut ViewCtx, panels: &mut Panels, ui: &mut egui::Ui) {
    egui::Panel::top("menu_bar").show(ui, |ui| menu_bar_ui(ctx, ui));
    egui::Panel::top("top_bar").show(ui, |ui| top_bar_ui(ctx, ui));
    egui::Panel::bottom("status_bar").show(ui, |ui| status_bar_ui(ctx, ui));
    egui::Panel::left("tree_panel")
        .resizable(true)
        .default_size(380.0)
        .show(ui, |ui| panels.tree.ui(ctx, ui));
    egui::CentralPanel::default().show(ui, |ui| match ctx.view {
        View::Editor => editor::editor_ui(ctx, &mut panels.values, ui),
        View::IndicatorList => panels.list.ui(ctx, ui),
        View::Overview => panels.overview.ui(ctx, ui),
        View::Budget => panels.budget.ui(ctx, ui),
        View::Economy => panels.economy.ui(ctx, ui),
        View::Document => panels.document.ui(ctx, ui, &mut panels.overview.charts),
    });
    panels.palette.ui(ctx, ui);
}

/// A cell editor's first frame: focus it and select all its text, so typing replaces the value.
pub fn focus_and_select_all(ui: &egui::Ui, output: &egui::text_edit::TextEditOutput, text: &str) {
    output.response.request_focus();
    let mut state = output.state.clone();
    state.cursor.set_char_range(Some(egui::text_selection::CCursorRange::select_all_str(text)));
    state.store(ui.ctx(), output.response.id);
}

/// What happened in an amount field this frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountInput {
    Typing,
    /// Escape: the typed text is dropped.
    Cancelled,
    /// Enter or leaving the field with an amount that parses (`None`: emptied).
    Entered(Option<crate::budget::Kronor>),
}

/// The text field of an amount being typed in `money`'s unit, right-aligned, named `label` for
/// screen readers: focused with its text selected on the first frame, red with the reason
/// (`error`) while the text is no amount ("abc" stays so it can be mended).
pub fn amount_field(
    ui: &mut egui::Ui,
    text: &mut String,
    error: &mut Option<String>,
    fresh: &mut bool,
    label: &str,
    money: &crate::budget::MoneySettings,
    id_salt: &str,
) -> AmountInput {
    let mut edit = egui::TextEdit::singleline(text).desired_width(f32::INFINITY).align(egui::Align2::RIGHT_CENTER).id_salt(id_salt);
    if error.is_some() {
        edit = edit.text_color(ui.visuals().error_fg_color).background_color(egui::Color32::from_rgba_unmultiplied(200, 40, 40, 40));
    }
    let output = edit.show(ui);
    let accessible = label.to_owned();
    output.response.widget_info(move || egui::WidgetInfo::labeled(egui::Role::TextInput, true, accessible.clone()));
    if *fresh {
        focus_and_select_all(ui, &output, text);
        *fresh = false;
    }
    let response = output.response.response;
    if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
        return AmountInput::Cancelled;
    }
    if response.changed() {
        *error = None;
    }
    if ui.input(|i| i.key_pressed(egui::Key::Enter)) || response.lost_focus() {
        match crate::budget::money::parse_amount(text, money) {
            Ok(value) => return AmountInput::Entered(value),
            Err(why) => {
                *error = Some(format!("{label}: {why}"));
                response.request_focus();
            }
        }
    }
    AmountInput::Typing
}

/// An amount shown right-aligned as a frameless button named `label`; clicked, it gives the
/// text to start typing from (the amount as typed, in `money`'s unit).
pub fn amount_cell(ui: &mut egui::Ui, amount: Option<crate::budget::Kronor>, label: &str, money: &crate::budget::MoneySettings, lang: crate::i18n::Lang) -> Option<String> {
    use crate::budget::money::{format_amount, format_for_editing};
    let mut clicked = None;
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
        let text = amount.map(|a| format_amount(i128::from(a), money)).unwrap_or_default();
        let response = ui.add(egui::Button::new(text).frame(false).min_size(egui::vec2(60.0, 18.0)));
        let accessible = label.to_owned();
        response.widget_info(move || egui::WidgetInfo::labeled(egui::Role::Button, true, accessible.clone()));
        if response.on_hover_text(format!("{label} – {}", lang.t("klicka för att ändra", "click to edit"))).clicked() {
            clicked = Some(amount.map(|a| format_for_editing(a, money)).unwrap_or_default());
        }
    });
    clicked
}

/// A menu entry for an action: its label, its shortcut as a hint, greyed out when disabled.
pub fn action_menu_item(ctx: &mut ViewCtx, ui: &mut egui::Ui, action: Action) {
    let mut button = match action.checked(&ctx.actions) {
        Some(checked) => egui::Button::selectable(checked, action.label(ctx.lang)),
        None => egui::Button::new(action.label(ctx.lang)),
    };
    if let Some(shortcut) = action.shortcut_text(ui.ctx()) {
        button = button.shortcut_text(shortcut);
    }
    if ui.add_enabled(action.enabled(&ctx.actions), button).clicked() {
        ctx.run(action);
        ui.close();
    }
}

/// A toolbar button for an action (`label` overrides the menu text), with the shortcut on hover.
pub fn action_button(ctx: &mut ViewCtx, ui: &mut egui::Ui, action: Action, label: Option<&str>) -> egui::Response {
    let text = label.unwrap_or(action.label(ctx.lang));
    let mut response = ui.add_enabled(action.enabled(&ctx.actions), egui::Button::new(text));
    if let Some(shortcut) = action.shortcut_text(ui.ctx()) {
        response = response.on_hover_text(shortcut);
    }
    if response.clicked() {
        ctx.run(action);
    }
    response
}

fn menu_bar_ui(ctx: &mut ViewCtx, ui: &mut egui::Ui) {
    let lang = ctx.lang;
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button(lang.t("Arkiv", "File"), |ui| {
            // Room for the label and its shortcut side by side.
            ui.set_min_width(240.0);
            for action in [Action::New, Action::Open] {
                action_menu_item(ctx, ui, action);
            }
            let recent = ctx.recent_files.to_vec();
            ui.add_enabled_ui(!recent.is_empty() && !ctx.actions.busy, |ui| {
                ui.menu_button(lang.t("Öppna senaste", "Open recent"), |ui| {
                    for path in recent {
                        if ui.button(path.display().to_string()).clicked() {
                            ctx.send(crate::command::FileCommand::Open(Some(path)));
                            ui.close();
                        }
                    }
                });
            });
            ui.separator();
            for action in [Action::Save, Action::SaveAs] {
                action_menu_item(ctx, ui, action);
            }
            ui.separator();
            // Several planners: another version against this one, and what a merge left.
            for action in [Action::CompareWith, Action::ResolveConflicts] {
                action_menu_item(ctx, ui, action);
            }
            ui.separator();
            ui.menu_button(lang.t("Importera", "Import"), |ui| {
                for action in [Action::FetchKolada, Action::ImportKolada, Action::ImportSheet] {
                    action_menu_item(ctx, ui, action);
                }
            });
            ui.menu_button(lang.t("Exportera", "Export"), |ui| {
                for action in [Action::ExportReport, Action::ExportDocument, Action::ExportSheet, Action::ExportBudgetSheet] {
                    action_menu_item(ctx, ui, action);
                }
            });
            action_menu_item(ctx, ui, Action::Print);
            ui.separator();
            for action in [Action::Close, Action::Quit] {
                action_menu_item(ctx, ui, action);
            }
        });
        for (menu, title) in [(Menu::Edit, lang.t("Redigera", "Edit")), (Menu::View, lang.t("Visa", "View"))] {
            ui.menu_button(title, |ui| {
                ui.set_min_width(240.0);
                for action in Action::ALL.into_iter().filter(|a| a.menu() == menu) {
                    if matches!(action, Action::AddChild | Action::ShowEditor | Action::ToggleDarkTheme | Action::Swedish) {
                        ui.separator();
                    }
                    action_menu_item(ctx, ui, action);
                }
            });
        }
    });
}

/// The plan's name, the follow-up period everything shows, and the view switch.
fn top_bar_ui(ctx: &mut ViewCtx, ui: &mut egui::Ui) {
    let lang = ctx.lang;
    ui.horizontal(|ui| {
        let plan = ctx.plan;
        // The title gives way (truncated, whole on hover) so the views and the search always fit.
        let title = format!("{} – {}", plan.meta.organisation, plan.meta.title);
        let title_width = (ui.available_width() - 990.0).max(120.0);
        ui.allocate_ui(egui::vec2(title_width, 20.0), |ui| {
            ui.add(egui::Label::new(egui::RichText::new(&title).strong()).truncate()).on_hover_text(&title);
        });
        ui.separator();
        let label = ui.label(lang.t("Uppföljning:", "Follow-up:"));
        let mut choices: Vec<Selection> = plan.periods.iter().map(|p| Selection::Period(p.id)).collect();
        let (first, last) = (plan.meta.first_year, plan.meta.last_year);
        let latest_value_year = plan.periods.iter().map(|p| p.year).max().unwrap_or(last).max(last);
        choices.extend((first.min(last)..=latest_value_year.min(first.max(last) + 10)).rev().map(Selection::Year));
        let mut chosen = ctx.period;
        egui::ComboBox::from_id_salt("period_selector")
            .selected_text(ctx.selection_text(ctx.period))
            .width(170.0)
            .show_ui(ui, |ui| {
                for choice in choices {
                    let text = ctx.selection_text(choice);
                    ui.selectable_value(&mut chosen, choice, text);
                }
            })
            .response
            .labelled_by(label.id);
        if chosen != ctx.period {
            ctx.send(ViewCommand::SetPeriod(chosen));
        }
        ui.separator();
        for (view, action) in [
            (View::Editor, Action::ShowEditor),
            (View::IndicatorList, Action::ShowIndicatorList),
            (View::Overview, Action::ShowOverview),
            (View::Budget, Action::ShowBudget),
            (View::Economy, Action::ShowEconomy),
            (View::Document, Action::ShowDocument),
        ] {
            let mut response = ui.selectable_label(ctx.view == view, action.label(lang));
            if let Some(shortcut) = action.shortcut_text(ui.ctx()) {
                response = response.on_hover_text(shortcut);
            }
            if response.clicked() && ctx.view != view {
                ctx.send(ViewCommand::Show(view));
            }
        }
        ui.separator();
        action_button(ctx, ui, Action::CommandPalette, Some(lang.t("Sök… (Ctrl+K)", "Find… (Ctrl+K)")));
    });
}

fn status_bar_ui(ctx: &mut ViewCtx, ui: &mut egui::Ui) {
    let lang = ctx.lang;
    ui.horizontal(|ui| {
        ui.label(if ctx.dirty { lang.t("Osparade ändringar", "Unsaved changes") } else { lang.t("Allt sparat", "All saved") });
        ui.separator();
        let problems = ctx.derived.problems;
        if !problems.is_empty() {
            let text = format!("{} {}", problems.len(), lang.t("problem i planen", "problems in the plan"));
            let tip: Vec<String> = problems.iter().take(30).map(|p| p.to_string()).collect();
            ui.colored_label(ui.visuals().warn_fg_color, text).on_hover_text(tip.join("\n"));
            ui.separator();
        }
        ui.label(ctx.status_line);
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
