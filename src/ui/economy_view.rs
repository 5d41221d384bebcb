//! The *Ekonomi* view: one board's economic follow-up in the selected period – the income
//! statement, the departments and the investments as editable tables in each table's own unit,
//! the explanations of the forecast's deviation with what they leave unexplained, the goals the
//! economy belongs to, and charts of the forecast through the year and of the outcome per
//! department.
//!
//! A follow-up is small (tens of rows), so every change replaces it whole through the one edit
//! path (`Edit::Economy`): undo, the unsaved mark and autosave see it. Figures are computed once
//! per revision, never per frame.

use std::sync::Arc;

use egui::{Color32, RichText, Ui};
use egui_extras::{Column, TableBuilder};
use egui_plot::{Bar, BarChart, HLine, Legend, Line, Plot, PlotPoints, Points};

use crate::budget::MoneySettings;
use crate::budget::money::{format_amount, format_for_editing};
use crate::economy::figures::{EconomyFigures, StatedAt, Total, figures};
use crate::economy::{EconomicFollowUp, EconomyGroup, EconomyRow, EconomyTable, EconomyTableKind, Explanation, Measure};
use crate::edit::{Edit, MergeKey};
use crate::i18n::Lang;
use crate::model::ItemId;
use crate::ui::ctx::ViewCtx;

/// What a typed amount goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountTarget {
    Cell { table: ItemId, row: ItemId, column: usize },
    Explanation(usize),
}

/// The amount being typed.
#[derive(Debug, Clone, PartialEq)]
pub struct AmountEdit {
    pub target: AmountTarget,
    pub text: String,
    pub error: Option<String>,
    fresh: bool,
}

/// A follow-up of the year for the forecast chart: its month, the result's forecast, the
/// previous forecast it names (month, amount), and the full-year budget.
type ForecastPoint = (u8, Option<Total>, Option<(u8, Total)>, Option<Total>);

struct Computed {
    revision: u64,
    report: ItemId,
    figures: Arc<EconomyFigures>,
    /// The same board's follow-ups of the same year (for the forecast chart): month, result
    /// forecast, previous forecast's month and amount, full-year budget.
    through_year: Arc<Vec<ForecastPoint>>,
}

/// The economy view's own state.
#[derive(Default)]
pub struct EconomyPanel {
    /// The board shown (its code); the first follow-up's board when unset.
    pub board: Option<String>,
    pub editing: Option<AmountEdit>,
    computed: Option<Computed>,
    /// How often the figures were computed (tests: not per frame).
    pub computations: u64,
}

/// "Personalkostnader, Årsprognos aug" – the name a screen reader (and a test) finds a cell by.
pub fn cell_label(report: &EconomicFollowUp, year: i32, row: &str, measure: Measure, lang: Lang) -> String {
    format!("{row}, {}", measure.label(report, year, lang))
}

/// "Förklaring 2, belopp".
pub fn explanation_label(index: usize, lang: Lang) -> String {
    format!("{} {}, {}", lang.t("Förklaring", "Explanation"), index + 1, lang.t("belopp", "amount"))
}

impl EconomyPanel {
    fn board(&self, ctx: &ViewCtx) -> Option<String> {
        self.board
            .clone()
            .or_else(|| ctx.plan.economy.first().map(|r| r.board.clone()))
            .or_else(|| ctx.plan.meta.owner_board.clone())
            .or_else(|| ctx.plan.boards.first().map(|b| b.code.clone()))
    }

    fn computed(&mut self, ctx: &ViewCtx, report: &EconomicFollowUp, year: i32) -> (Arc<EconomyFigures>, Arc<Vec<ForecastPoint>>) {
        let fresh = self.computed.as_ref().is_some_and(|c| c.revision == ctx.revision && c.report == report.id);
        if !fresh {
            let money = ctx.plan.money;
            let mut through_year: Vec<_> = ctx
                .plan
                .economy
                .iter()
                .filter(|r| r.board == report.board && ctx.plan.period(r.period).is_some_and(|p| p.year == year))
                .map(|r| {
                    let h = figures(r, &money).headline;
                    let previous = r.previous_forecast_month.zip(h.previous_forecast);
                    (r.through_month, h.forecast, previous, h.budget_full_year)
                })
                .collect();
            through_year.sort_by_key(|(month, ..)| *month);
            self.computed = Some(Computed {
                revision: ctx.revision,
                report: report.id,
                figures: Arc::new(figures(report, &money)),
                through_year: Arc::new(through_year),
            });
            self.computations += 1;
        }
        let c = self.computed.as_ref().expect("just set");
        (Arc::clone(&c.figures), Arc::clone(&c.through_year))
    }

    pub fn ui(&mut self, ctx: &mut ViewCtx, ui: &mut Ui) {
        let lang = ctx.lang;
        let board = self.board(ctx);
        self.board_bar_ui(ctx, ui, board.as_deref());
        let Some(board) = board else {
            ui.label(lang.t("Planen har inga nämnder.", "The plan has no boards."));
            return;
        };
        let period = ctx.period_id().and_then(|id| ctx.plan.period(id));
        let plan = ctx.plan;
        let report = period.and_then(|p| plan.economy.iter().find(|r| r.period == p.id && r.board == board));
        let Some(report) = report else {
            self.missing_ui(ctx, ui, &board);
            return;
        };
        let year = period.map_or(plan.meta.last_year, |p| p.year);
        let (figures, through_year) = self.computed(ctx, report, year);

        settings_ui(ctx, ui, report);
        self.summary_ui(ctx, ui, report, &figures, year);
        if let Some(error) = self.editing.as_ref().and_then(|e| e.error.clone()) {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        // One scrolling page, the charts after the explanations: nothing sits behind a panel.
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            for table in &report.tables {
                self.table_ui(ctx, ui, report, table, &figures, year);
                ui.add_space(10.0);
            }
            self.explanations_ui(ctx, ui, report, &figures);
            ui.add_space(8.0);
            ui.allocate_ui(egui::vec2(ui.available_width(), 230.0), |ui| charts_ui(ctx, ui, report, &figures, &through_year));
            ui.add_space(8.0);
            goals_ui(ctx, ui, report);
            for note in &report.notes {
                ui.label(note);
            }
        });
    }

    fn board_bar_ui(&mut self, ctx: &mut ViewCtx, ui: &mut Ui, current: Option<&str>) {
        let lang = ctx.lang;
        ui.horizontal(|ui| {
            ui.heading(lang.t("Ekonomisk uppföljning", "Economic follow-up"));
            let shown = current.map(|code| board_name(ctx, code)).unwrap_or_else(|| lang.t("Välj nämnd", "Choose board").into());
            egui::ComboBox::from_id_salt("economy_board").selected_text(shown).show_ui(ui, |ui| {
                for board in &ctx.plan.boards {
                    if ui.selectable_label(current == Some(board.code.as_str()), format!("{} ({})", board.name, board.code)).clicked() {
                        self.board = Some(board.code.clone());
                        self.editing = None;
                    }
                }
            });
            ui.label(RichText::new(ctx.selection_text(ctx.period)).strong());
        });
    }

    /// No follow-up for this board and period: where there are others, and a button to start one.
    fn missing_ui(&mut self, ctx: &mut ViewCtx, ui: &mut Ui, board: &str) {
        let lang = ctx.lang;
        ui.add_space(16.0);
        let Some(period) = ctx.period_id().and_then(|id| ctx.plan.period(id)) else {
            ui.label(lang.t(
                "Välj en uppföljningsperiod (Delår, Årsredovisning) ovan: den ekonomiska uppföljningen hör till en period.",
                "Choose a follow-up period above: the economic follow-up belongs to a period.",
            ));
            return;
        };
        ui.label(format!("{} {} {}.", board_name(ctx, board), lang.t("har ingen ekonomisk uppföljning för", "has no economic follow-up for"), period.name));
        let others: Vec<(ItemId, String)> = ctx
            .plan
            .economy
            .iter()
            .filter(|r| r.board == board)
            .filter_map(|r| ctx.plan.period(r.period).map(|p| (p.id, p.name.clone())))
            .collect();
        for (id, name) in others {
            if ui.link(format!("{} {name}", lang.t("Visa", "Show"))).clicked() {
                ctx.send(crate::command::ViewCommand::SetPeriod(crate::followup::Selection::Period(id)));
            }
        }
        if ui.button(lang.t("Skapa ekonomisk uppföljning", "Create economic follow-up")).clicked() {
            let report = new_follow_up(ctx.plan, board, period.id, period.year);
            ctx.edit(Edit::InsertEconomy { index: ctx.plan.economy.len(), report: Box::new(report) }, None);
        }
    }

    /// The headline: result to date and forecast against budget, and what disagrees.
    fn summary_ui(&self, ctx: &ViewCtx, ui: &mut Ui, report: &EconomicFollowUp, figures: &EconomyFigures, year: i32) {
        let lang = ctx.lang;
        let money = ctx.plan.money;
        ui.label(RichText::new(crate::economy::headline_text(report, &figures.headline, &money, lang)).size(15.0).strong());
        let real: Vec<String> =
            figures.differences.iter().filter(|d| !d.rounding).map(|d| d.describe(report, year, &money, lang)).collect();
        let rounding: Vec<String> =
            figures.differences.iter().filter(|d| d.rounding).map(|d| d.describe(report, year, &money, lang)).collect();
        if !real.is_empty() {
            let title = format!("{} {}", real.len(), lang.t("angivna belopp stämmer inte med raderna", "stated amounts disagree with their rows"));
            egui::CollapsingHeader::new(RichText::new(title).color(ui.visuals().warn_fg_color)).id_salt(("economy_differences", report.id)).show(ui, |ui| {
                for line in &real {
                    ui.label(line);
                }
            });
        }
        if !rounding.is_empty() {
            let title = format!("{} {}", rounding.len(), lang.t("avrundningsdifferenser i källan", "rounding differences in the source"));
            egui::CollapsingHeader::new(title).id_salt(("economy_rounding", report.id)).show(ui, |ui| {
                for line in &rounding {
                    ui.label(line);
                }
            });
        }
    }

    fn table_ui(&mut self, ctx: &mut ViewCtx, ui: &mut Ui, report: &EconomicFollowUp, table: &EconomyTable, figures: &EconomyFigures, year: i32) {
        let lang = ctx.lang;
        let money = table.money(&ctx.plan.money);
        let Some(table_figures) = figures.table(table.id) else { return };
        ui.horizontal(|ui| {
            ui.label(RichText::new(&table.title).strong().size(15.0));
            // The unit this table is shown and typed in; the amounts stay exact.
            let mut shown = (table.unit, table.decimals);
            egui::ComboBox::from_id_salt(("economy_unit", table.id))
                .selected_text(format!("{}, {} {}", money.unit.label(lang), table.decimals, lang.t("dec.", "dec.")))
                .width(110.0)
                .show_ui(ui, |ui| {
                    use crate::budget::money::MoneyUnit;
                    for (unit, decimals) in [(MoneyUnit::Kr, 0), (MoneyUnit::Tkr, 0), (MoneyUnit::Tkr, 1), (MoneyUnit::Mnkr, 1), (MoneyUnit::Mnkr, 2)] {
                        ui.selectable_value(&mut shown, (unit, decimals), format!("{}, {decimals} {}", unit.label(lang), lang.t("decimaler", "decimals")));
                    }
                });
            if shown != (table.unit, table.decimals) {
                let mut changed = report.clone();
                if let Some(t) = changed.tables.iter_mut().find(|t| t.id == table.id) {
                    (t.unit, t.decimals) = shown;
                }
                ctx.edit(Edit::Economy(Box::new(changed)), None);
            }
            if ui.small_button(lang.t("+ rad", "+ row")).on_hover_text(lang.t("Lägg till en rad sist i tabellen", "Add a row at the end of the table")).clicked() {
                let mut changed = report.clone();
                let id = ctx.plan.next_id();
                if let Some(t) = changed.tables.iter_mut().find(|t| t.id == table.id) {
                    if t.groups.is_empty() {
                        t.groups.push(EconomyGroup::default());
                    }
                    let name = lang.t("Ny rad", "New row").to_owned();
                    t.groups.last_mut().expect("one group at least").rows.push(EconomyRow { id, name, ..Default::default() });
                }
                ctx.edit(Edit::Economy(Box::new(changed)), None);
            }
        });
        let columns = table.columns.len();
        // Every column in view: the names take 230 points, the amounts share the rest (the
        // scroll bar and the spacing between columns left out).
        let amount_width = ((ui.available_width() - 230.0 - 44.0) / columns.max(1) as f32 - 8.0).clamp(64.0, 120.0);
        let fill = ui.visuals().faint_bg_color;
        let row_count = table.rows().count();
        let lines = row_count + table.groups.iter().filter(|g| !g.total_label.is_empty()).count() + 1;
        TableBuilder::new(ui)
            .id_salt(("economy_table", table.id))
            .vscroll(false)
            .column(Column::exact(222.0).clip(true))
            .columns(Column::exact(amount_width), columns)
            .header(34.0, |mut header| {
                header.col(|_| {});
                for measure in &table.columns {
                    header.col(|ui| {
                        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                            let text = RichText::new(measure.label(report, year, lang)).strong().size(11.0);
                            ui.add(egui::Label::new(if measure.is_computed() { text.italics() } else { text }).wrap());
                        });
                    });
                }
            })
            .body(|mut body| {
                let mut row_index = 0;
                for (g, group) in table.groups.iter().enumerate() {
                    if !group.name.is_empty() {
                        body.row(20.0, |mut row| {
                            row.col(|ui| {
                                ui.label(RichText::new(&group.name).italics().strong());
                            });
                            for _ in 0..columns {
                                row.col(|_| {});
                            }
                        });
                    }
                    for entry in &group.rows {
                        let line = &table_figures.rows[row_index];
                        row_index += 1;
                        body.row(22.0, |mut row| {
                            row.col(|ui| {
                                ui.add(egui::Label::new(&entry.name).truncate());
                            });
                            for (column, measure) in table.columns.iter().enumerate() {
                                row.col(|ui| {
                                    if measure.is_computed() {
                                        let difference = figures.differences.iter().find(|d| d.table == table.id && d.at == StatedAt::Row(entry.id) && d.measure == *measure);
                                        computed_cell(ui, line.get(column), &money, difference.map(|d| (d.rounding, d.describe(report, year, &ctx.plan.money, lang))));
                                    } else {
                                        self.cell_ui(ctx, ui, report, table, entry, column, year, &money);
                                    }
                                });
                            }
                        });
                    }
                    if !group.total_label.is_empty() {
                        body.row(22.0, |mut row| {
                            total_row(&mut row, &group.total_label, report, table, &table_figures.groups[g].values, figures, StatedAt::Group(g), year, &ctx.plan.money, &money, fill, lang);
                        });
                    }
                }
                body.row(22.0, |mut row| {
                    total_row(&mut row, &table.total_label, report, table, &table_figures.total.values, figures, StatedAt::Total, year, &ctx.plan.money, &money, fill, lang);
                });
                let _ = lines;
            });
        if !table_figures.rounding_columns.is_empty() {
            ui.label(RichText::new(lang.t(
                "Beloppen är avrundade; summor och avvikelser räknas på exakta belopp och kan skilja sig från de avrundade raderna.",
                "Amounts are rounded; totals and deviations are computed from exact amounts and may differ from the rounded rows.",
            )).small().italics());
        }
        rows_editor_ui(ctx, ui, report, table);
        if let Some(other) = table.same_total_as {
            for d in figures.differences.iter().filter(|d| d.table == table.id && d.at == StatedAt::OtherTable(other)) {
                ui.label(RichText::new(d.describe(report, year, &ctx.plan.money, lang)).small().color(if d.rounding { ui.visuals().weak_text_color() } else { ui.visuals().warn_fg_color }));
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn cell_ui(&mut self, ctx: &mut ViewCtx, ui: &mut Ui, report: &EconomicFollowUp, table: &EconomyTable, row: &EconomyRow, column: usize, year: i32, money: &MoneySettings) {
        let lang = ctx.lang;
        let measure = table.columns[column];
        let label = cell_label(report, year, &row.name, measure, lang);
        let target = AmountTarget::Cell { table: table.id, row: row.id, column };
        if self.editing.as_ref().is_some_and(|e| e.target == target) {
            self.amount_editor_ui(ctx, ui, report, &label, money);
            return;
        }
        if let Some(text) = crate::ui::amount_cell(ui, row.amount(column), &label, money, lang) {
            self.editing = Some(AmountEdit { target, text, error: None, fresh: true });
        }
    }

    /// The text field of the amount being typed; Enter or leaving it takes the amount (in the
    /// table's unit), Escape drops it, "abc" stays with the reason.
    fn amount_editor_ui(&mut self, ctx: &mut ViewCtx, ui: &mut Ui, report: &EconomicFollowUp, label: &str, money: &MoneySettings) {
        let Some(mut cell) = self.editing.clone() else { return };
        match crate::ui::amount_field(ui, &mut cell.text, &mut cell.error, &mut cell.fresh, label, money, "economy_amount_edit") {
            crate::ui::AmountInput::Typing => self.editing = Some(cell),
            crate::ui::AmountInput::Cancelled => self.editing = None,
            crate::ui::AmountInput::Entered(value) => {
                if let Some(changed) = with_amount(report, cell.target, value) {
                    ctx.edit(Edit::Economy(Box::new(changed)), None);
                }
                self.editing = None;
            }
        }
    }

    /// The explanations of the forecast's deviation, and how much of it they leave unexplained.
    fn explanations_ui(&mut self, ctx: &mut ViewCtx, ui: &mut Ui, report: &EconomicFollowUp, figures: &EconomyFigures) {
        let lang = ctx.lang;
        let money = crate::economy::headline_money(report, &ctx.plan.money);
        let unit = money.unit.label(lang);
        ui.label(RichText::new(lang.t("Förklaringar till avvikelsen mot budget", "Why the forecast deviates from the budget")).strong().size(15.0));
        let mut remove = None;
        for (index, explanation) in report.explanations.iter().enumerate() {
            ui.horizontal(|ui| {
                let mut text = explanation.text.clone();
                let response = ui.add(egui::TextEdit::singleline(&mut text).desired_width(360.0));
                let accessible = format!("{} {}, {}", lang.t("Förklaring", "Explanation"), index + 1, lang.t("text", "text"));
                response.widget_info(move || egui::WidgetInfo::labeled(egui::Role::TextInput, true, accessible.clone()));
                if response.changed() {
                    let mut changed = report.clone();
                    changed.explanations[index].text = text;
                    ctx.edit(Edit::Economy(Box::new(changed)), Some(MergeKey { item: Some(report.id), field: "economy_explanation_text" }));
                }
                let target = AmountTarget::Explanation(index);
                let label = explanation_label(index, lang);
                if self.editing.as_ref().is_some_and(|e| e.target == target) {
                    ui.scope(|ui| {
                        ui.set_width(110.0);
                        self.amount_editor_ui(ctx, ui, report, &label, &money);
                    });
                } else {
                    let shown = crate::economy::signed(explanation.amount.into(), &money);
                    let response = ui.add(egui::Button::new(format!("{shown} {unit}")).min_size(egui::vec2(110.0, 18.0)));
                    let accessible = label.clone();
                    response.widget_info(move || egui::WidgetInfo::labeled(egui::Role::Button, true, accessible.clone()));
                    if response.clicked() {
                        self.editing = Some(AmountEdit { target, text: format_for_editing(explanation.amount, &money), error: None, fresh: true });
                    }
                }
                if ui.small_button("✕").on_hover_text(lang.t("Ta bort förklaringen", "Remove the explanation")).clicked() {
                    remove = Some(index);
                }
            });
        }
        if let Some(index) = remove {
            let mut changed = report.clone();
            changed.explanations.remove(index);
            self.editing = None;
            ctx.edit(Edit::Economy(Box::new(changed)), None);
        }
        if ui.button(lang.t("+ förklaring", "+ explanation")).clicked() {
            let mut changed = report.clone();
            changed.explanations.push(Explanation::default());
            ctx.edit(Edit::Economy(Box::new(changed)), None);
        }
        let h = &figures.headline;
        if let Some(deviation) = h.forecast_deviation {
            let unexplained = h.unexplained.unwrap_or(0);
            let text = format!(
                "{} {} {unit} {} {} {unit} · {} {} {unit}",
                lang.t("Förklarat", "Explained"),
                crate::economy::signed(h.explained, &money),
                lang.t("av avvikelsen", "of the deviation"),
                crate::economy::signed(deviation, &money),
                lang.t("oförklarat", "unexplained"),
                crate::economy::signed(unexplained, &money),
            );
            let shown_zero = crate::budget::money::rounded(unexplained, money.unit, money.decimals) == 0;
            let color = if shown_zero { ui.visuals().text_color() } else { ui.visuals().warn_fg_color };
            ui.label(RichText::new(text).color(color));
        }
    }
}

/// The month the outcome runs to, the previous forecast's month, and removing the follow-up.
fn settings_ui(ctx: &mut ViewCtx, ui: &mut Ui, report: &EconomicFollowUp) {
    let lang = ctx.lang;
    ui.horizontal(|ui| {
        let mut through = report.through_month;
        let label = ui.label(lang.t("Utfall t.o.m.", "Outcome to"));
        egui::ComboBox::from_id_salt(("economy_through", report.id))
            .selected_text(crate::economy::month_long(through, lang))
            .width(100.0)
            .show_ui(ui, |ui| {
                for month in 1..=12u8 {
                    ui.selectable_value(&mut through, month, crate::economy::month_long(month, lang));
                }
            })
            .response
            .labelled_by(label.id);
        let mut previous = report.previous_forecast_month;
        let label = ui.label(lang.t("Förra prognosen", "Previous forecast"));
        egui::ComboBox::from_id_salt(("economy_previous", report.id))
            .selected_text(previous.map_or(lang.t("ingen", "none"), |m| crate::economy::month_long(m, lang)))
            .width(100.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut previous, None, lang.t("ingen", "none"));
                for month in 1..=12u8 {
                    ui.selectable_value(&mut previous, Some(month), crate::economy::month_long(month, lang));
                }
            })
            .response
            .labelled_by(label.id);
        if through != report.through_month || previous != report.previous_forecast_month {
            let mut changed = report.clone();
            changed.through_month = through;
            changed.previous_forecast_month = previous;
            ctx.edit(Edit::Economy(Box::new(changed)), None);
        }
        if ui
            .button(lang.t("Ta bort uppföljningen", "Remove the follow-up"))
            .on_hover_text(lang.t("Tar bort periodens ekonomiska uppföljning för nämnden (kan ångras)", "Removes the board's economic follow-up of the period (can be undone)"))
            .clicked()
        {
            ctx.edit(Edit::RemoveEconomy(report.id), None);
        }
    });
}

/// The follow-up with `value` at `target`, or `None` when it is already there.
pub fn with_amount(report: &EconomicFollowUp, target: AmountTarget, value: Option<i64>) -> Option<EconomicFollowUp> {
    let mut changed = report.clone();
    match target {
        AmountTarget::Cell { table, row, column } => {
            let entry = changed.tables.iter_mut().find(|t| t.id == table)?.groups.iter_mut().flat_map(|g| g.rows.iter_mut()).find(|r| r.id == row)?;
            if entry.amount(column) == value {
                return None;
            }
            if entry.amounts.len() <= column {
                entry.amounts.resize(column + 1, None);
            }
            entry.amounts[column] = value;
            while entry.amounts.last() == Some(&None) {
                entry.amounts.pop();
            }
        }
        AmountTarget::Explanation(index) => {
            let explanation = changed.explanations.get_mut(index)?;
            let value = value.unwrap_or(0);
            if explanation.amount == value {
                return None;
            }
            explanation.amount = value;
        }
    }
    Some(changed)
}

fn computed_cell(ui: &mut Ui, value: Option<Total>, money: &MoneySettings, difference: Option<(bool, String)>) {
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
        // Italic leans right: room for its last glyph inside the cell.
        ui.add_space(3.0);
        let text = value.map(|v| format_amount(v, money)).unwrap_or_default();
        match difference {
            Some((rounding, why)) => {
                let color = if rounding { ui.visuals().weak_text_color() } else { ui.visuals().warn_fg_color };
                ui.label(RichText::new(format!("{text}*")).italics().color(color)).on_hover_text(why);
            }
            None => {
                ui.label(RichText::new(text).italics());
            }
        }
    });
}

#[allow(clippy::too_many_arguments)]
fn total_row(
    row: &mut egui_extras::TableRow,
    label: &str,
    report: &EconomicFollowUp,
    table: &EconomyTable,
    values: &[Option<Total>],
    figures: &EconomyFigures,
    at: StatedAt,
    year: i32,
    plan_money: &MoneySettings,
    money: &MoneySettings,
    fill: Color32,
    lang: Lang,
) {
    row.col(|ui| {
        ui.painter().rect_filled(ui.max_rect(), 0.0, fill);
        ui.label(RichText::new(label).strong());
    });
    for (column, value) in values.iter().enumerate() {
        let measure = table.columns[column];
        let difference = figures.differences.iter().find(|d| d.table == table.id && d.at == at && d.measure == measure);
        row.col(|ui| {
            ui.painter().rect_filled(ui.max_rect(), 0.0, fill);
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let text = value.map(|t| format_amount(t, money)).unwrap_or_default();
                match difference {
                    Some(d) => {
                        let color = if d.rounding { ui.visuals().text_color() } else { ui.visuals().warn_fg_color };
                        ui.label(RichText::new(format!("{text}*")).strong().color(color)).on_hover_text(d.describe(report, year, plan_money, lang));
                    }
                    None => {
                        ui.label(RichText::new(text).strong());
                    }
                }
            });
        });
    }
}

/// A table's rows by name, with the ledger accounts each takes from an SIE file ("3000-3999",
/// "5000-5999 / 1:100") – checked as typed – and a button to remove the row. Typing in one
/// field is one undo step.
fn rows_editor_ui(ctx: &mut ViewCtx, ui: &mut Ui, report: &EconomicFollowUp, table: &EconomyTable) {
    let lang = ctx.lang;
    egui::CollapsingHeader::new(RichText::new(lang.t("Rader och konton (för SIE-import)", "Rows and accounts (for SIE import)")).small())
        .id_salt(("economy_rows", table.id))
        .show(ui, |ui| {
            let mut changed: Option<(EconomicFollowUp, Option<MergeKey>)> = None;
            egui::Grid::new(("economy_rows_grid", table.id)).num_columns(3).show(ui, |ui| {
                ui.label(RichText::new(lang.t("Rad", "Row")).strong());
                ui.label(RichText::new(lang.t("Konton", "Accounts")).strong());
                ui.label("");
                ui.end_row();
                for row in table.rows() {
                    let mut name = row.name.clone();
                    let response = ui.add(egui::TextEdit::singleline(&mut name).desired_width(260.0));
                    let accessible = format!("{}, {}", row.name, lang.t("namn", "name"));
                    response.widget_info(move || egui::WidgetInfo::labeled(egui::Role::TextInput, true, accessible.clone()));
                    if response.changed() {
                        changed = Some((with_row(report, table.id, row.id, |r| r.name = name.clone()), Some(MergeKey { item: Some(row.id), field: "economy_row_name" })));
                    }
                    let mut accounts = row.accounts.clone();
                    let problem = (!accounts.trim().is_empty()).then(|| crate::exchange::sie::parse_mapping(&accounts).err()).flatten();
                    let mut edit = egui::TextEdit::singleline(&mut accounts).desired_width(170.0).hint_text("3000-3999");
                    if problem.is_some() {
                        edit = edit.text_color(ui.visuals().error_fg_color);
                    }
                    let response = ui.add(edit);
                    let accessible = format!("{}, {}", row.name, lang.t("konton", "accounts"));
                    response.widget_info(move || egui::WidgetInfo::labeled(egui::Role::TextInput, true, accessible.clone()));
                    let response = match &problem {
                        Some(why) => response.on_hover_text(why),
                        None => response.on_hover_text(lang.t(
                            "Kontointervall i SIE-filen, t.ex. 5000-5999, ev. med objekt: 5000-5999 / 1:100",
                            "Account range in the SIE file, e.g. 5000-5999, optionally with an object: 5000-5999 / 1:100",
                        )),
                    };
                    if response.changed() {
                        changed = Some((with_row(report, table.id, row.id, |r| r.accounts = accounts.clone()), Some(MergeKey { item: Some(row.id), field: "economy_row_accounts" })));
                    }
                    if ui.small_button("✕").on_hover_text(lang.t("Ta bort raden", "Remove the row")).clicked() {
                        let mut without = report.clone();
                        if let Some(t) = without.tables.iter_mut().find(|t| t.id == table.id) {
                            for group in &mut t.groups {
                                group.rows.retain(|r| r.id != row.id);
                            }
                        }
                        changed = Some((without, None));
                    }
                    ui.end_row();
                }
            });
            if let Some((report, merge)) = changed {
                ctx.edit(Edit::Economy(Box::new(report)), merge);
            }
        });
}

/// The follow-up with one row changed by `change`.
fn with_row(report: &EconomicFollowUp, table: ItemId, row: ItemId, change: impl FnOnce(&mut EconomyRow)) -> EconomicFollowUp {
    let mut changed = report.clone();
    if let Some(entry) = changed.tables.iter_mut().filter(|t| t.id == table).flat_map(|t| t.groups.iter_mut()).flat_map(|g| g.rows.iter_mut()).find(|r| r.id == row) {
        change(entry);
    }
    changed
}

/// The goals this economy belongs to, with a way to link another.
fn goals_ui(ctx: &mut ViewCtx, ui: &mut Ui, report: &EconomicFollowUp) {
    let lang = ctx.lang;
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(lang.t("Kopplade mål:", "Linked goals:")).strong());
        let mut remove = None;
        for (index, goal) in report.goals.iter().enumerate() {
            let title = ctx.plan.goal(*goal).map_or_else(|| format!("#{goal}"), |g| g.title.clone());
            let short: String = title.chars().take(48).collect();
            if ui.button(format!("{short} ✕")).on_hover_text(format!("{title} – {}", lang.t("klicka för att ta bort kopplingen", "click to unlink"))).clicked() {
                remove = Some(index);
            }
        }
        if let Some(index) = remove {
            let mut changed = report.clone();
            changed.goals.remove(index);
            ctx.edit(Edit::Economy(Box::new(changed)), None);
        }
        let mut picked = None;
        egui::ComboBox::from_id_salt("economy_link_goal").selected_text(lang.t("Koppla mål…", "Link goal…")).width(200.0).show_ui(ui, |ui| {
            for goal in ctx.plan.goals.iter().filter(|g| !report.goals.contains(&g.id)) {
                let short: String = goal.title.chars().take(60).collect();
                if ui.selectable_label(false, short).clicked() {
                    picked = Some(goal.id);
                }
            }
        });
        if let Some(goal) = picked {
            let mut changed = report.clone();
            changed.goals.push(goal);
            ctx.edit(Edit::Economy(Box::new(changed)), None);
        }
    });
}

fn board_name(ctx: &ViewCtx, code: &str) -> String {
    ctx.plan.boards.iter().find(|b| b.code == code).map_or_else(|| code.to_owned(), |b| format!("{} ({})", b.name, b.code))
}

/// The forecast through the year against the budget; the outcome to date per department.
fn charts_ui(ctx: &ViewCtx, ui: &mut Ui, report: &EconomicFollowUp, figures: &EconomyFigures, through_year: &[ForecastPoint]) {
    let lang = ctx.lang;
    let money = crate::economy::headline_money(report, &ctx.plan.money);
    let scale = money.unit.factor() as f64;
    let height = (ui.available_height() - 8.0).max(100.0);
    let width = (ui.available_width() / 2.0 - 8.0).max(160.0);
    ui.horizontal(|ui| {
        // The result forecast at each follow-up (and the earlier forecast each one names).
        let mut points: Vec<[f64; 2]> = Vec::new();
        for (month, forecast, previous, _) in through_year {
            if let Some((m, amount)) = previous
                && !through_year.iter().any(|(other, ..)| other == m)
                && !points.iter().any(|p| p[0] == f64::from(*m))
            {
                points.push([f64::from(*m), *amount as f64 / scale]);
            }
            if let Some(forecast) = forecast {
                points.push([f64::from(*month), *forecast as f64 / scale]);
            }
        }
        points.sort_by(|a, b| a[0].total_cmp(&b[0]));
        let budget = figures.headline.budget_full_year.map(|b| b as f64 / scale);
        let unit = money.unit.label(lang);
        ui.vertical(|ui| {
            ui.label(RichText::new(format!("{} ({unit})", lang.t("Årsprognos per uppföljning mot budget", "Full-year forecast per follow-up against budget"))).strong());
            Plot::new(("economy_forecast", report.id))
                .width(width)
                .height(height - 24.0)
                .legend(Legend::default())
                .include_x(1.0)
                .include_x(12.0)
                .include_y(0.0)
                // A mark per month, so every month can carry its name.
                .x_grid_spacer(egui_plot::uniform_grid_spacer(|_| [1.0, 3.0, 12.0]))
                .x_axis_formatter(|mark, _| {
                    let month = mark.value.round();
                    if (1.0..=12.0).contains(&month) && (mark.value - month).abs() < 1e-6 { crate::economy::month_short(month as u8, Lang::Swedish).to_owned() } else { String::new() }
                })
                .show(ui, |plot| {
                    if let Some(budget) = budget {
                        plot.hline(HLine::new(lang.t("Budget helår", "Full-year budget"), budget).color(Color32::GRAY).style(egui_plot::LineStyle::dashed_loose()));
                    }
                    if !points.is_empty() {
                        plot.line(Line::new(lang.t("Årsprognos", "Forecast"), PlotPoints::from(points.clone())).color(crate::ui::indicator_view::PALETTE[0]).width(2.0));
                        plot.points(Points::new(lang.t("Årsprognos", "Forecast"), PlotPoints::from(points.clone())).radius(4.0).color(crate::ui::indicator_view::PALETTE[0]));
                    }
                });
        });
        // Outcome to date per department.
        let departments = report.tables.iter().find(|t| t.kind == EconomyTableKind::Operating);
        ui.vertical(|ui| {
            ui.label(RichText::new(format!("{} ({unit})", lang.t("Utfall hittills per avdelning", "Outcome to date per department"))).strong());
            let Some(table) = departments else {
                ui.label(lang.t("Ingen driftredovisning.", "No operating accounts."));
                return;
            };
            let Some(column) = table.column(Measure::OutcomeToDate) else { return };
            let names: Vec<String> = table.rows().map(|r| r.name.clone()).collect();
            let bars: Vec<Bar> = table
                .rows()
                .enumerate()
                .filter_map(|(i, r)| r.amount(column).map(|a| Bar::new(i as f64, a as f64 / scale).name(&r.name).width(0.7)))
                .collect();
            Plot::new(("economy_departments", report.id))
                .width(width)
                .height(height - 24.0)
                .include_y(0.0)
                .x_grid_spacer(egui_plot::uniform_grid_spacer(|_| [1.0, 5.0, 10.0]))
                .x_axis_formatter(move |mark, _| {
                    let i = mark.value.round();
                    if (mark.value - i).abs() < 1e-6 && i >= 0.0 { names.get(i as usize).map(|n| n.chars().take(10).collect()).unwrap_or_default() } else { String::new() }
                })
                .show(ui, |plot| {
                    plot.bar_chart(BarChart::new(lang.t("Utfall", "Outcome"), bars).color(crate::ui::indicator_view::PALETTE[1]));
                });
        });
    });
}

/// A new follow-up for `board` in `period`. When the board has an earlier one the same year,
/// its tables and rows are taken over and its forecast becomes the previous forecast (what a
/// controller does at Delår 2 with Delår 1's report); otherwise an income statement with the
/// usual accounts, and empty department and investment tables.
pub fn new_follow_up(plan: &crate::model::Plan, board: &str, period: ItemId, year: i32) -> EconomicFollowUp {
    let mut next = plan.next_id().0;
    let mut id = || {
        let this = ItemId(next);
        next += 1;
        this
    };
    let earlier = plan
        .economy
        .iter()
        .filter(|r| r.board == board && plan.period(r.period).is_some_and(|p| p.year == year) && r.period != period)
        .max_by_key(|r| r.through_month);
    if let Some(earlier) = earlier {
        let mut report = earlier.clone();
        report.id = id();
        report.period = period;
        report.previous_forecast_month = Some(earlier.through_month);
        report.through_month = (earlier.through_month + 4).min(12);
        report.explanations.clear();
        let old_result = report.result_table;
        for table in &mut report.tables {
            let old_table = table.id;
            table.id = id();
            if old_result == Some(old_table) {
                report.result_table = Some(table.id);
            }
            let forecast = table.column(Measure::Forecast);
            if table.column(Measure::PreviousForecast).is_none()
                && let Some(at) = forecast
            {
                table.columns.insert(at, Measure::PreviousForecast);
                for row in table.groups.iter_mut().flat_map(|g| g.rows.iter_mut()) {
                    if row.amounts.len() > at {
                        row.amounts.insert(at, None);
                    }
                }
            }
            let (previous, forecast) = (table.column(Measure::PreviousForecast), table.column(Measure::Forecast));
            table.stated_total.clear();
            for group in &mut table.groups {
                group.stated_total.clear();
                for row in &mut group.rows {
                    row.id = id();
                    let old_forecast = forecast.and_then(|f| row.amount(f));
                    let keep = |m: Measure| matches!(m, Measure::BudgetFullYear | Measure::OutcomePreviousYear);
                    let columns = table.columns.clone();
                    for (c, amount) in row.amounts.iter_mut().enumerate() {
                        if !columns.get(c).is_some_and(|m| keep(*m)) {
                            *amount = None;
                        }
                    }
                    if let Some(p) = previous {
                        if row.amounts.len() <= p {
                            row.amounts.resize(p + 1, None);
                        }
                        row.amounts[p] = old_forecast;
                    }
                    while row.amounts.last() == Some(&None) {
                        row.amounts.pop();
                    }
                }
            }
        }
        // `same_total_as` pointed at the earlier report's tables: map by position.
        let ids: Vec<(ItemId, ItemId)> = earlier.tables.iter().zip(&report.tables).map(|(a, b)| (a.id, b.id)).collect();
        for table in &mut report.tables {
            table.same_total_as = table.same_total_as.and_then(|old| ids.iter().find(|(a, _)| *a == old).map(|(_, b)| *b));
        }
        return report;
    }
    let row = |id: ItemId, name: &str| EconomyRow { id, name: name.to_owned(), ..Default::default() };
    use Measure::*;
    let statement = EconomyTable {
        id: id(),
        kind: EconomyTableKind::Statement,
        title: "Resultaträkning".into(),
        unit: crate::budget::money::MoneyUnit::Mnkr,
        decimals: 1,
        columns: vec![OutcomePreviousYear, OutcomeToDate, BudgetToDate, DeviationToDate, BudgetFullYear, Forecast, ForecastDeviation],
        groups: vec![
            EconomyGroup { total_label: "Summa intäkter".into(), rows: vec![row(id(), "Kommunbidrag"), row(id(), "Övriga intäkter")], ..Default::default() },
            EconomyGroup {
                total_label: "Summa kostnader".into(),
                rows: vec![row(id(), "Personalkostnader"), row(id(), "Lokalkostnader"), row(id(), "Övriga kostnader")],
                ..Default::default()
            },
        ],
        total_label: "Årets resultat".into(),
        ..Default::default()
    };
    let departments = EconomyTable {
        id: id(),
        kind: EconomyTableKind::Operating,
        title: "Driftredovisning".into(),
        unit: crate::budget::money::MoneyUnit::Tkr,
        columns: vec![OutcomeToDate, BudgetFullYear, PreviousForecast, Forecast],
        groups: vec![EconomyGroup::default()],
        total_label: "Totalt".into(),
        ..Default::default()
    };
    let investments = EconomyTable {
        id: id(),
        kind: EconomyTableKind::Investment,
        title: "Investeringsredovisning".into(),
        unit: crate::budget::money::MoneyUnit::Tkr,
        columns: vec![OutcomeToDate, BudgetFullYear, Forecast, ForecastDeviation],
        groups: vec![EconomyGroup::default()],
        total_label: "Summa investeringar".into(),
        ..Default::default()
    };
    EconomicFollowUp {
        id: id(),
        period,
        board: board.to_owned(),
        through_month: 8,
        tables: vec![statement, departments, investments],
        ..Default::default()
    }
}

/// A follow-up read-only, in the seed's layout (the *Lägesbild*): heading, the summary, the
/// explanations, then each table in its unit with the rounding note.
pub fn report_ui(ctx: &ViewCtx, ui: &mut Ui, report: &EconomicFollowUp, figures: &EconomyFigures) {
    let lang = ctx.lang;
    let plan = ctx.plan;
    let period = plan.period(report.period);
    let year = period.map_or(plan.meta.last_year, |p| p.year);
    ui.add_space(10.0);
    ui.label(RichText::new(format!("{} – {}", lang.t("Ekonomisk redovisning", "Financial report"), board_name(ctx, &report.board))).size(16.0).strong());
    ui.label(RichText::new(crate::economy::headline_text(report, &figures.headline, &plan.money, lang)).strong());
    for note in &report.notes {
        ui.label(note);
    }
    let money = crate::economy::headline_money(report, &plan.money);
    if let (Some(budget), Some(forecast)) = (figures.headline.budget_full_year, figures.headline.forecast)
        && !report.explanations.is_empty()
    {
        ui.label(format!(
            "{} ({}) {} ({}) {}:",
            lang.t("Avvikelsen mellan budget", "The deviation between budget"),
            crate::economy::signed(budget, &money),
            lang.t("och prognos", "and forecast"),
            crate::economy::signed(forecast, &money),
            lang.t("förklaras av", "is explained by")
        ));
        for e in &report.explanations {
            ui.label(format!("  – {} {}", e.text, crate::economy::signed(e.amount.into(), &money)));
        }
    }
    for (table, table_figures) in report.tables.iter().zip(&figures.tables) {
        let money = table.money(&plan.money);
        ui.add_space(6.0);
        ui.label(RichText::new(&table.title).strong());
        egui::Grid::new(("overview_economy", table.id)).striped(true).num_columns(table.columns.len() + 1).show(ui, |ui| {
            ui.label("");
            for m in &table.columns {
                ui.label(RichText::new(m.label(report, year, lang)).small().strong());
            }
            ui.end_row();
            let cell = |ui: &mut Ui, value: Option<Total>, strong: bool| {
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    let text = RichText::new(value.map(|v| format_amount(v, &money)).unwrap_or_default());
                    ui.label(if strong { text.strong() } else { text });
                });
            };
            let mut index = 0;
            for (g, group) in table.groups.iter().enumerate() {
                for row in &group.rows {
                    ui.label(&row.name);
                    for c in 0..table.columns.len() {
                        cell(ui, table_figures.rows[index].get(c), false);
                    }
                    index += 1;
                    ui.end_row();
                }
                if !group.total_label.is_empty() {
                    ui.label(RichText::new(&group.total_label).strong());
                    for c in 0..table.columns.len() {
                        cell(ui, table_figures.groups[g].get(c), true);
                    }
                    ui.end_row();
                }
            }
            ui.label(RichText::new(&table.total_label).strong());
            for c in 0..table.columns.len() {
                cell(ui, table_figures.total.get(c), true);
            }
            ui.end_row();
        });
        ui.label(RichText::new(format!("{} {}.", lang.t("Belopp i", "Amounts in"), money.unit.label(lang))).small().weak());
        if !table_figures.rounding_columns.is_empty() {
            ui.label(RichText::new(lang.t(
                "Beloppen är avrundade; summor och avvikelser räknas på exakta belopp.",
                "Amounts are rounded; totals and deviations are computed from exact amounts.",
            )).small().italics());
        }
    }
}
