//! The *Budget* view: one board's budget as editable tables (egui_extras, only the visible rows
//! drawn), the frame check, and charts of net cost against the frame and of investments per
//! category (egui_plot).
//!
//! Amounts are typed in the plan's unit (tkr) the Swedish way and parsed exactly
//! (`budget::money`); "abc" stays in the cell in red with the reason. Every change – a cell, a
//! row added, removed or moved, a plan year – is one `Edit::Budget` through the app's edit path,
//! so undo, the unsaved mark and autosave see it. Sums and differences are computed once per
//! edit (keyed by the plan's revision), never per frame.

use std::sync::Arc;

use egui::{Color32, RichText, Ui};
use egui_extras::{Column, TableBuilder};
use egui_plot::{Bar, BarChart, HLine, Legend, Line, Plot, PlotPoints, Points};

use crate::budget::edit::{BudgetEdit, ColumnData};
use crate::budget::money::{format_amount, format_for_editing, parse_amount};
use crate::budget::sums::{BudgetFigures, DifferenceAt, Total, difference_lines, figures};
use crate::budget::{Budget, BudgetColumn, BudgetGroup, BudgetRow, BudgetTable, ColumnKind, MoneySettings, TableKind};
use crate::edit::Edit;
use crate::i18n::Lang;
use crate::model::ItemId;
use crate::ui::ctx::ViewCtx;

/// One line of the flattened tables, as drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetLine {
    Title { table: usize },
    Group { table: usize, group: usize },
    Row { table: usize, group: usize, row: usize },
    GroupTotal { table: usize, group: usize },
    Total { table: usize },
    /// Under a total: the figures the document states where the rows give others
    /// (`group: None` for the table's total).
    Stated { table: usize, group: Option<usize> },
    /// Under a table's total: the total of the table it must equal, where that differs.
    OtherTotal { table: usize },
    Gap,
}

/// What the view computed for one revision of one budget.
struct Computed {
    revision: u64,
    budget: ItemId,
    /// The difference texts are in this language.
    lang: Lang,
    figures: Arc<BudgetFigures>,
    lines: Arc<Vec<BudgetLine>>,
    differences: Arc<Vec<Vec<String>>>,
}

/// The cell being typed in.
#[derive(Debug, Clone, PartialEq)]
pub struct AmountEdit {
    pub row: ItemId,
    pub column: usize,
    pub text: String,
    pub error: Option<String>,
    fresh: bool,
}

/// The budget view's own state.
#[derive(Default)]
pub struct BudgetPanel {
    /// The board whose budget is shown (its code); the first budget's when unset.
    pub board: Option<String>,
    pub selected_row: Option<ItemId>,
    pub editing: Option<AmountEdit>,
    computed: Option<Computed>,
    /// How often the figures were computed (tests: not per frame).
    pub computations: u64,
}

/// The flattened lines of a budget's tables.
fn lines_of(budget: &Budget, figures: &BudgetFigures) -> Vec<BudgetLine> {
    let differs = |table: ItemId, at: &dyn Fn(&DifferenceAt) -> bool| figures.differences.iter().any(|d| d.table == table && at(&d.at));
    let mut lines = Vec::new();
    for (t, table) in budget.tables.iter().enumerate() {
        if t > 0 {
            lines.push(BudgetLine::Gap);
        }
        lines.push(BudgetLine::Title { table: t });
        let grouped = table.is_grouped();
        for (g, group) in table.groups.iter().enumerate() {
            if grouped {
                lines.push(BudgetLine::Group { table: t, group: g });
            }
            lines.extend((0..group.rows.len()).map(|r| BudgetLine::Row { table: t, group: g, row: r }));
            if grouped {
                lines.push(BudgetLine::GroupTotal { table: t, group: g });
                if differs(table.id, &|at| *at == DifferenceAt::Group(g)) {
                    lines.push(BudgetLine::Stated { table: t, group: Some(g) });
                }
            }
        }
        lines.push(BudgetLine::Total { table: t });
        if differs(table.id, &|at| *at == DifferenceAt::Total) {
            lines.push(BudgetLine::Stated { table: t, group: None });
        }
        if differs(table.id, &|at| matches!(at, DifferenceAt::OtherTable(_))) {
            lines.push(BudgetLine::OtherTotal { table: t });
        }
    }
    lines
}

/// "45 Gymnasieskola, Budget 2025" – the name a screen reader (and a test) finds a cell by.
pub fn cell_label(row: &BudgetRow, column: &BudgetColumn, lang: Lang) -> String {
    format!("{}, {}", row.label(), column.label(lang))
}

impl BudgetPanel {
    fn budget_index(&self, ctx: &ViewCtx) -> Option<usize> {
        let budgets = &ctx.plan.budgets;
        match &self.board {
            Some(code) => budgets.iter().position(|b| &b.board == code),
            None => (!budgets.is_empty()).then_some(0),
        }
    }

    /// The figures and lines for the budget at `ctx.revision`, computed when either changed.
    fn computed(&mut self, ctx: &ViewCtx, budget: &Budget) -> (Arc<BudgetFigures>, Arc<Vec<BudgetLine>>, Arc<Vec<Vec<String>>>) {
        let fresh = self.computed.as_ref().is_some_and(|c| c.revision == ctx.revision && c.budget == budget.id && c.lang == ctx.lang);
        if !fresh {
            let figures = figures(budget);
            let differences: Vec<Vec<String>> =
                budget.tables.iter().map(|t| difference_lines(budget, t, &figures, &ctx.plan.money, ctx.lang)).collect();
            let lines = lines_of(budget, &figures);
            self.computed = Some(Computed {
                revision: ctx.revision,
                budget: budget.id,
                lang: ctx.lang,
                figures: Arc::new(figures),
                lines: Arc::new(lines),
                differences: Arc::new(differences),
            });
            self.computations += 1;
        }
        let c = self.computed.as_ref().expect("just set");
        (Arc::clone(&c.figures), Arc::clone(&c.lines), Arc::clone(&c.differences))
    }

    pub fn ui(&mut self, ctx: &mut ViewCtx, ui: &mut Ui) {
        let lang = ctx.lang;
        self.board_bar_ui(ctx, ui);
        let Some(index) = self.budget_index(ctx) else {
            ui.add_space(24.0);
            ui.label(lang.t(
                "Planen har ingen budget än. Välj nämnd ovan och Skapa budget.",
                "The plan has no budget yet. Choose a board above and Create budget.",
            ));
            return;
        };
        // Borrowed from the plan, not the context: no copy of a 10 000-row budget per frame.
        let plan = ctx.plan;
        let budget = &plan.budgets[index];
        let (figures, lines, differences) = self.computed(ctx, budget);
        let money = plan.money;

        summary_ui(ctx, ui, budget, &figures, &differences, &money);
        self.header_ui(ctx, ui, budget, &money);
        self.toolbar_ui(ctx, ui, budget);
        if let Some(error) = self.editing.as_ref().and_then(|e| e.error.clone()) {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        egui::Panel::bottom("budget_charts")
            .resizable(true)
            .default_size(230.0)
            .min_size(120.0)
            .max_size((ui.available_height() - 120.0).max(120.0))
            .show(ui, |ui| charts_ui(ctx, ui, budget, &figures, &money));
        self.table_ui(ctx, ui, budget, &figures, &lines, &money);
    }

    fn board_bar_ui(&mut self, ctx: &mut ViewCtx, ui: &mut Ui) {
        let lang = ctx.lang;
        ui.horizontal(|ui| {
            ui.heading(lang.t("Budget", "Budget"));
            // With no budget yet: the plan's own board, else the first of the register.
            let current = self
                .board
                .clone()
                .or_else(|| ctx.plan.budgets.first().map(|b| b.board.clone()))
                .or_else(|| ctx.plan.meta.owner_board.clone())
                .or_else(|| ctx.plan.boards.first().map(|b| b.code.clone()));
            let shown = current.as_deref().map(|code| board_name(ctx, code)).unwrap_or_else(|| lang.t("Välj nämnd", "Choose board").into());
            egui::ComboBox::from_id_salt("budget_board").selected_text(shown).show_ui(ui, |ui| {
                for board in &ctx.plan.boards {
                    let has = ctx.plan.budgets.iter().any(|b| b.board == board.code);
                    let text = if has { format!("{} ({})", board.name, board.code) } else { format!("{} ({}) – {}", board.name, board.code, lang.t("ingen budget", "no budget")) };
                    if ui.selectable_label(current.as_deref() == Some(board.code.as_str()), text).clicked() {
                        self.board = Some(board.code.clone());
                        self.selected_row = None;
                        self.editing = None;
                    }
                }
            });
            money_settings_ui(ctx, ui);
            if let Some(code) = current.filter(|code| !ctx.plan.budgets.iter().any(|b| &b.board == code))
                && ui.button(lang.t("Skapa budget", "Create budget")).clicked()
            {
                let year = ctx.plan.meta.last_year.max(ctx.plan.meta.first_year);
                ctx.edit(Edit::InsertBudget { index: ctx.plan.budgets.len(), budget: Box::new(new_budget(ctx, &code, year)) }, None);
            }
        });
    }

    /// The frame, the efficiency requirement with its measures, the joint bodies and the
    /// notes – edited in place, each change one `BudgetEdit::Header` (typing in one field is one
    /// undo step).
    fn header_ui(&mut self, ctx: &mut ViewCtx, ui: &mut Ui, budget: &Budget, money: &MoneySettings) {
        let lang = ctx.lang;
        let plain = MoneySettings { costs_positive: false, ..*money };
        let unit = money.unit.label(lang);
        let current = crate::budget::edit::BudgetHeader {
            year: budget.year,
            frame: budget.frame.clone(),
            contributions: budget.contributions.clone(),
            notes: budget.notes.clone(),
        };
        let mut header = current.clone();
        let mut field = "";
        egui::CollapsingHeader::new(lang.t("Ram, effektiviseringskrav, samverkan och text", "Frame, efficiency requirement, joint bodies and text"))
            .id_salt(("budget_header", budget.id))
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.label(lang.t("Budgetår", "Budget year"));
                    if ui.add(egui::DragValue::new(&mut header.year).range(1900..=2200)).changed() {
                        field = "budget_year";
                    }
                });
                let frame = header.frame.get_or_insert_with(Default::default);
                ui.horizontal(|ui| {
                    let label = format!("{} ({unit})", lang.t("Ram", "Frame"));
                    if let Some(value) = self.amount_field(ui, &label, ("frame", budget.id), frame.amount, &plain) {
                        frame.amount = value;
                        field = "frame";
                    }
                    let label = format!("{} ({unit})", lang.t("Effektiviseringskrav", "Efficiency requirement"));
                    if let Some(value) = self.amount_field(ui, &label, ("requirement", budget.id), frame.efficiency_requirement, &plain) {
                        frame.efficiency_requirement = value;
                        field = "requirement";
                    }
                });
                ui.label(RichText::new(lang.t("Åtgärder för effektiviseringskravet", "Measures for the efficiency requirement")).strong());
                let mut remove = None;
                for (i, measure) in frame.measures.iter_mut().enumerate() {
                    ui.horizontal(|ui| {
                        if ui.add(egui::TextEdit::singleline(&mut measure.title).desired_width(420.0)).changed() {
                            field = "measure";
                        }
                        if ui.small_button(lang.t("Ta bort", "Remove")).clicked() {
                            remove = Some(i);
                        }
                    });
                    let mut consequences = measure.consequences.join("\n");
                    if ui.add(egui::TextEdit::multiline(&mut consequences).desired_rows(2).desired_width(f32::INFINITY).hint_text(lang.t("Möjliga konsekvenser, en per rad", "Possible consequences, one per line"))).changed() {
                        measure.consequences = consequences.lines().map(str::to_owned).collect();
                        field = "consequences";
                    }
                }
                if let Some(i) = remove {
                    frame.measures.remove(i);
                    field = "measures";
                }
                if ui.button(lang.t("Ny åtgärd", "New measure")).clicked() {
                    frame.measures.push(crate::budget::Measure { title: lang.t("Ny åtgärd", "New measure").into(), consequences: vec![] });
                    field = "measures";
                }
                ui.separator();
                ui.label(RichText::new(format!("{} {} ({unit})", lang.t("Samverkan", "Joint bodies"), budget.year)).strong());
                let mut remove = None;
                for (i, contribution) in header.contributions.iter_mut().enumerate() {
                    ui.horizontal(|ui| {
                        if ui.add(egui::TextEdit::singleline(&mut contribution.name).desired_width(280.0)).changed() {
                            field = "contribution";
                        }
                        if let Some(value) = self.amount_field(ui, unit, ("contribution", i), contribution.amount, &plain) {
                            contribution.amount = value;
                            field = "contribution_amount";
                        }
                        if ui.small_button(lang.t("Ta bort", "Remove")).clicked() {
                            remove = Some(i);
                        }
                    });
                }
                if let Some(i) = remove {
                    header.contributions.remove(i);
                    field = "contributions";
                }
                if ui.button(lang.t("Ny samverkanspart", "New joint body")).clicked() {
                    header.contributions.push(crate::budget::Contribution { name: lang.t("Ny", "New").into(), amount: 0 });
                    field = "contributions";
                }
                ui.separator();
                ui.label(RichText::new(lang.t("Text om budgeten", "Text about the budget")).strong());
                let mut notes = header.notes.join("\n\n");
                if ui.add(egui::TextEdit::multiline(&mut notes).desired_rows(3).desired_width(f32::INFINITY)).changed() {
                    header.notes = notes.split("\n\n").map(str::to_owned).filter(|n| !n.is_empty()).collect();
                    field = "notes";
                }
            });
        // An untouched, empty frame is no frame.
        if header.frame.as_ref().is_some_and(|f| *f == crate::budget::Frame::default()) && current.frame.is_none() {
            header.frame = None;
        }
        if header != current {
            let merge = crate::edit::MergeKey { item: Some(budget.id), field };
            ctx.edit(Edit::Budget { budget: budget.id, edit: BudgetEdit::Header(header) }, Some(merge));
        }
    }

    /// A text field for an amount, committed as soon as what is typed is a valid amount; while
    /// it is not, the text stays with its reason beside it and nothing changes.
    fn amount_field(&mut self, ui: &mut Ui, label: &str, id: impl std::hash::Hash + std::fmt::Debug, amount: crate::budget::Kronor, money: &MoneySettings) -> Option<crate::budget::Kronor> {
        let id = ui.make_persistent_id(id);
        let label = ui.label(label).id;
        // What is being typed lives in egui's memory while the field has focus.
        let mut text: String = ui.data(|d| d.get_temp::<String>(id)).unwrap_or_else(|| format_for_editing(amount, money));
        let response = ui.add(egui::TextEdit::singleline(&mut text).desired_width(90.0).align(egui::Align2::RIGHT_CENTER)).labelled_by(label);
        if !response.has_focus() {
            ui.data_mut(|d| d.remove::<String>(id));
            return None;
        }
        ui.data_mut(|d| d.insert_temp(id, text.clone()));
        match parse_amount(&text, money) {
            Ok(value) => Some(value.unwrap_or(0)).filter(|v| response.changed() && *v != amount),
            Err(error) => {
                ui.colored_label(ui.visuals().error_fg_color, error.to_string());
                None
            }
        }
    }

    fn toolbar_ui(&mut self, ctx: &mut ViewCtx, ui: &mut Ui, budget: &Budget) {
        let lang = ctx.lang;
        let place = self.selected_row.and_then(|row| budget.find_row(row));
        ui.horizontal(|ui| {
            let edit = |ctx: &mut ViewCtx, edit: BudgetEdit| ctx.edit(Edit::Budget { budget: budget.id, edit }, None);
            if ui.button(lang.t("Ny rad", "New row")).clicked() {
                // Below the selected row, else last in the first table.
                let (table, group, index) = match place {
                    Some((t, g, r)) => (t, g, r + 1),
                    None => (0, 0, budget.tables.first().and_then(|t| t.groups.first()).map_or(0, |g| g.rows.len())),
                };
                if let Some(table) = budget.tables.get(table) {
                    let id = ctx.plan.next_id();
                    let row = BudgetRow { id, code: String::new(), name: lang.t("Ny rad", "New row").into(), amounts: vec![] };
                    edit(ctx, BudgetEdit::InsertRow { table: table.id, group, index, row });
                    self.selected_row = Some(id);
                }
            }
            ui.add_enabled_ui(place.is_some(), |ui| {
                if ui.button(lang.t("Ta bort rad", "Remove row")).clicked()
                    && let Some(row) = self.selected_row
                {
                    edit(ctx, BudgetEdit::RemoveRow(row));
                    self.selected_row = None;
                }
                if ui.button(lang.t("Flytta upp", "Move up")).clicked()
                    && let (Some(row), Some((_, g, r))) = (self.selected_row, place)
                    && r > 0
                {
                    edit(ctx, BudgetEdit::MoveRow { row, group: g, index: r - 1 });
                }
                if ui.button(lang.t("Flytta ned", "Move down")).clicked()
                    && let (Some(row), Some((t, g, r))) = (self.selected_row, place)
                    && r + 1 < budget.tables[t].groups[g].rows.len()
                {
                    edit(ctx, BudgetEdit::MoveRow { row, group: g, index: r + 1 });
                }
            });
            ui.separator();
            let next_year = budget.columns.iter().map(|c| c.year).max().map_or(budget.year, |y| y + 1);
            if ui.button(format!("{} {next_year}", lang.t("Lägg till planår", "Add plan year"))).clicked() {
                let column = BudgetColumn { kind: ColumnKind::Plan, year: next_year };
                edit(ctx, BudgetEdit::InsertColumn { index: budget.columns.len(), column, data: ColumnData::default() });
            }
            // A new group (an investment category) after the selected row's, with a first row.
            if ui.add_enabled(place.is_some(), egui::Button::new(lang.t("Ny grupp", "New group"))).clicked()
                && let Some((t, g, _)) = place
            {
                let table = &budget.tables[t];
                let id = ctx.plan.next_id();
                let row = BudgetRow { id, code: String::new(), name: lang.t("Ny rad", "New row").into(), amounts: vec![] };
                let group = BudgetGroup { name: lang.t("Ny grupp", "New group").into(), rows: vec![row], stated_total: vec![] };
                edit(ctx, BudgetEdit::InsertGroup { table: table.id, index: g + 1, group });
                self.selected_row = Some(id);
            }
            if let Some(last) = budget.columns.last()
                && budget.columns.len() > 1
                && ui.button(format!("{} {}", lang.t("Ta bort kolumnen", "Remove column"), last.label(lang))).clicked()
            {
                edit(ctx, BudgetEdit::RemoveColumn(budget.columns.len() - 1));
            }
        });
        // The selected row's code and name.
        if let Some((t, g, r)) = place {
            let row = &budget.tables[t].groups[g].rows[r];
            ui.horizontal(|ui| {
                let mut code = row.code.clone();
                let mut name = row.name.clone();
                ui.label(lang.t("Kod", "Code"));
                let code_changed = ui.add(egui::TextEdit::singleline(&mut code).desired_width(70.0)).changed();
                ui.label(lang.t("Namn", "Name"));
                let name_changed = ui.add(egui::TextEdit::singleline(&mut name).desired_width(320.0)).changed();
                if code_changed || name_changed {
                    let merge = crate::edit::MergeKey { item: Some(row.id), field: if code_changed { "budget_code" } else { "budget_name" } };
                    ctx.edit(Edit::Budget { budget: budget.id, edit: BudgetEdit::Row(BudgetRow { code, name, ..row.clone() }) }, Some(merge));
                }
                // The row's group (category) name, where the table has groups.
                let table = &budget.tables[t];
                if table.is_grouped() {
                    let mut group_name = table.groups[g].name.clone();
                    ui.label(lang.t("Grupp", "Group"));
                    if ui.add(egui::TextEdit::singleline(&mut group_name).desired_width(220.0)).changed() {
                        let mut group_names: Vec<String> = table.groups.iter().map(|g| g.name.clone()).collect();
                        group_names[g] = group_name;
                        let header = crate::budget::edit::TableHeader {
                            title: table.title.clone(),
                            total_label: table.total_label.clone(),
                            group_names,
                            same_total_as: table.same_total_as,
                            against_frame: table.against_frame,
                        };
                        let merge = crate::edit::MergeKey { item: Some(table.id), field: "budget_group_name" };
                        ctx.edit(Edit::Budget { budget: budget.id, edit: BudgetEdit::TableHeader { table: table.id, header } }, Some(merge));
                    }
                }
            });
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn table_ui(
        &mut self,
        ctx: &mut ViewCtx,
        ui: &mut Ui,
        budget: &Budget,
        figures: &BudgetFigures,
        lines: &[BudgetLine],
        money: &MoneySettings,
    ) {
        let lang = ctx.lang;
        let columns = budget.columns.len();
        let strong_fill = ui.visuals().faint_bg_color;
        // Every column in view on a 1280-wide window: the names take what the amounts leave.
        let amount_width = ((ui.available_width() - 230.0) / columns.max(1) as f32 - 8.0).clamp(72.0, 110.0);
        let label_width = (ui.available_width() - (amount_width + 8.0) * columns as f32 - 8.0).max(180.0);
        TableBuilder::new(ui)
            .id_salt(("budget_table", budget.id))
            .striped(false)
            .resizable(true)
            .column(Column::initial(label_width).at_least(140.0).clip(true))
            .columns(Column::initial(amount_width).at_least(56.0), columns)
            .header(22.0, |mut header| {
                header.col(|ui| {
                    ui.strong(money.unit.label(lang));
                });
                for column in &budget.columns {
                    header.col(|ui| {
                        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                            let text = RichText::new(column.label(lang)).strong();
                            ui.label(if column.kind == ColumnKind::Budget && column.year == budget.year { text.underline() } else { text });
                        });
                    });
                }
            })
            .body(|body| {
                body.rows(22.0, lines.len(), |mut row| {
                    let line = lines[row.index()];
                    match line {
                        BudgetLine::Gap => {
                            row.col(|_| {});
                            for _ in 0..columns {
                                row.col(|_| {});
                            }
                        }
                        BudgetLine::Title { table } => {
                            row.col(|ui| {
                                ui.strong(&budget.tables[table].title);
                            });
                            for _ in 0..columns {
                                row.col(|_| {});
                            }
                        }
                        BudgetLine::Group { table, group } => {
                            row.col(|ui| {
                                ui.label(RichText::new(&budget.tables[table].groups[group].name).strong().italics());
                            });
                            for _ in 0..columns {
                                row.col(|_| {});
                            }
                        }
                        BudgetLine::Row { table, group, row: r } => {
                            let entry = &budget.tables[table].groups[group].rows[r];
                            let selected = self.selected_row == Some(entry.id);
                            row.set_selected(selected);
                            row.col(|ui| {
                                let response = ui.add(egui::Button::selectable(selected, entry.label()).truncate());
                                if response.clicked() {
                                    self.selected_row = Some(entry.id);
                                }
                            });
                            for column in 0..columns {
                                row.col(|ui| self.cell_ui(ctx, ui, budget, entry, column, money));
                            }
                        }
                        BudgetLine::GroupTotal { table, group } => {
                            let t = &budget.tables[table];
                            total_row(&mut row, &format!("{} {}", t.total_label, t.groups[group].name), &figures.totals[table].groups[group], money, strong_fill, false);
                        }
                        BudgetLine::Total { table } => {
                            total_row(&mut row, &budget.tables[table].total_label, &figures.totals[table].total, money, strong_fill, true);
                        }
                        BudgetLine::Stated { table, group } => {
                            let t = &budget.tables[table];
                            let at = group.map_or(DifferenceAt::Total, DifferenceAt::Group);
                            let label = lang.t("I dokumentet", "In the document");
                            self.difference_row(ctx, &mut row, budget, figures, money, t.id, &at, label, columns);
                        }
                        BudgetLine::OtherTotal { table } => {
                            let t = &budget.tables[table];
                            let Some(other) = t.same_total_as else { return };
                            let name = budget.table(other).map_or_else(String::new, |o| o.title.clone());
                            let label = format!("{} {name}", lang.t("Summa i", "Total of"));
                            self.difference_row(ctx, &mut row, budget, figures, money, t.id, &DifferenceAt::OtherTable(other), &label, columns);
                        }
                    }
                });
            });
    }

    /// A line under a total with the figures that differ from it, each with its explanation on
    /// hover ("i dokumentet −116 013, raderna ger −116 011: skillnad 2 tkr").
    #[allow(clippy::too_many_arguments)]
    fn difference_row(
        &self,
        ctx: &ViewCtx,
        row: &mut egui_extras::TableRow,
        budget: &Budget,
        figures: &BudgetFigures,
        money: &MoneySettings,
        table: ItemId,
        at: &DifferenceAt,
        label: &str,
        columns: usize,
    ) {
        let lang = ctx.lang;
        row.col(|ui| {
            ui.horizontal(|ui| {
                crate::ui::symbols::warning_ui(ui, 12.0, lang.t("Summan stämmer inte", "The total disagrees"));
                ui.label(RichText::new(label).italics());
            });
        });
        for column in 0..columns {
            let difference = figures.differences.iter().find(|d| d.table == table && &d.at == at && d.column == column);
            row.col(|ui| {
                let Some(difference) = difference else { return };
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    let text = RichText::new(format_amount(difference.stated, money)).color(ui.visuals().warn_fg_color);
                    ui.label(text).on_hover_text(difference.describe(budget, money, lang));
                });
            });
        }
    }

    fn cell_ui(&mut self, ctx: &mut ViewCtx, ui: &mut Ui, budget: &Budget, row: &BudgetRow, column: usize, money: &MoneySettings) {
        let lang = ctx.lang;
        let label = cell_label(row, &budget.columns[column], lang);
        if self.editing.as_ref().is_some_and(|e| e.row == row.id && e.column == column) {
            self.cell_editor_ui(ctx, ui, budget, &label, money);
            return;
        }
        if let Some(text) = crate::ui::amount_cell(ui, row.amount(column), &label, money, lang) {
            self.selected_row = Some(row.id);
            self.editing = Some(AmountEdit { row: row.id, column, text, error: None, fresh: true });
        }
    }

    fn cell_editor_ui(&mut self, ctx: &mut ViewCtx, ui: &mut Ui, budget: &Budget, label: &str, money: &MoneySettings) {
        let Some(mut cell) = self.editing.clone() else { return };
        match crate::ui::amount_field(ui, &mut cell.text, &mut cell.error, &mut cell.fresh, label, money, "budget_cell_edit") {
            crate::ui::AmountInput::Typing => self.editing = Some(cell),
            crate::ui::AmountInput::Cancelled => self.editing = None,
            crate::ui::AmountInput::Entered(value) => {
                let old = budget.find_row(cell.row).map(|(t, g, r)| budget.tables[t].groups[g].rows[r].amount(cell.column));
                if old.is_some_and(|old| old != value) {
                    ctx.edit(Edit::Budget { budget: budget.id, edit: BudgetEdit::Cell { row: cell.row, column: cell.column, value } }, None);
                }
                self.editing = None;
            }
        }
    }
}

/// How amounts are shown, plan-wide: unit, decimals, and whether costs are shown positive.
/// One `Edit::Money` per change (undoable; the file keeps income positive, costs negative).
fn money_settings_ui(ctx: &mut ViewCtx, ui: &mut Ui) {
    use crate::budget::money::MoneyUnit;
    let lang = ctx.lang;
    let current = ctx.plan.money;
    let mut money = current;
    ui.menu_button(lang.t("Visning av belopp", "Amount display"), |ui| {
        for unit in [MoneyUnit::Kr, MoneyUnit::Tkr, MoneyUnit::Mnkr] {
            ui.radio_value(&mut money.unit, unit, unit.label(lang));
        }
        ui.separator();
        ui.horizontal(|ui| {
            ui.label(lang.t("Decimaler", "Decimals"));
            ui.add(egui::DragValue::new(&mut money.decimals).range(0..=3));
        });
        ui.checkbox(&mut money.costs_positive, lang.t("Kostnader som positiva tal", "Costs as positive numbers"));
    });
    if money != current {
        ctx.edit(Edit::Money(money), None);
    }
}

fn total_row(row: &mut egui_extras::TableRow, label: &str, totals: &[Option<Total>], money: &MoneySettings, fill: Color32, table_total: bool) {
    row.col(|ui| {
        ui.painter().rect_filled(ui.max_rect(), 0.0, fill);
        let text = RichText::new(label).strong();
        ui.label(if table_total { text } else { text.italics() });
    });
    for total in totals {
        row.col(|ui| {
            ui.painter().rect_filled(ui.max_rect(), 0.0, fill);
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.label(RichText::new(total.map(|t| format_amount(t, money)).unwrap_or_default()).strong());
            });
        });
    }
}

fn board_name(ctx: &ViewCtx, code: &str) -> String {
    ctx.plan.boards.iter().find(|b| b.code == code).map_or_else(|| code.to_owned(), |b| format!("{} ({})", b.name, b.code))
}

/// The frame, the requirement and whether the net cost fits.
fn summary_ui(ctx: &ViewCtx, ui: &mut Ui, budget: &Budget, figures: &BudgetFigures, differences: &[Vec<String>], money: &MoneySettings) {
    let lang = ctx.lang;
    let unit = money.unit.label(lang);
    let plain = MoneySettings { costs_positive: false, ..*money };
    ui.label(RichText::new(format!("{} – {} {}", board_name(ctx, &budget.board), lang.t("budget", "budget"), budget.year)).size(17.0).strong());
    if let Some(frame) = &budget.frame {
        let percent = crate::budget::sums::requirement_percent(budget)
            .map(|p| format!(" ({} %)", crate::followup::number::format_number(p, 1)))
            .unwrap_or_default();
        ui.label(format!(
            "{} {} {unit}, {} {} {unit}{percent}",
            lang.t("Ram", "Frame"),
            format_amount(frame.amount.into(), &plain),
            lang.t("effektiviseringskrav", "efficiency requirement"),
            format_amount(frame.efficiency_requirement.into(), &plain),
        ));
    }
    if let Some(check) = &figures.frame {
        let color = if check.fits() { Color32::from_rgb(0x2a, 0x8a, 0x5c) } else { ui.visuals().error_fg_color };
        ui.label(RichText::new(check.describe(money, lang)).color(color).strong());
    }
    if !figures.differences.is_empty() {
        let title = format!(
            "{} {}",
            figures.differences.len(),
            lang.t("angivna summor stämmer inte med raderna", "stated totals disagree with their rows")
        );
        egui::CollapsingHeader::new(RichText::new(title).color(ui.visuals().warn_fg_color)).id_salt(("budget_differences", budget.id)).show(ui, |ui| {
            for (table, lines) in budget.tables.iter().zip(differences) {
                for line in lines {
                    ui.label(format!("{}: {line}", table.title));
                }
            }
        });
    }
}

/// Net cost per year against the frame; investments per category per year.
fn charts_ui(ctx: &ViewCtx, ui: &mut Ui, budget: &Budget, figures: &BudgetFigures, money: &MoneySettings) {
    let lang = ctx.lang;
    let unit = money.unit;
    let scale = unit.factor() as f64;
    let height = (ui.available_height() - 8.0).max(100.0);
    let width = (ui.available_width() / 2.0 - 8.0).max(160.0);
    let years: Vec<f64> = budget.columns.iter().map(|c| f64::from(c.year)).collect();
    let unit_label = unit.label(lang).to_owned();
    ui.horizontal(|ui| {
        // Net cost (positive) per column of the table marked against the frame.
        let net_table = budget.tables.iter().position(|t| t.against_frame).or_else(|| budget.tables.iter().position(|t| t.kind == TableKind::Operating));
        ui.vertical(|ui| {
            ui.set_width(width);
            ui.label(RichText::new(lang.t("Nettokostnad per år och ramen", "Net cost per year and the frame")).strong());
            let y_label = unit_label.clone();
            Plot::new(("budget_net", budget.id))
                .height(height - 20.0)
                .allow_scroll(false)
                .legend(Legend::default())
                .x_axis_formatter(|mark, _| if mark.value.fract().abs() < 1e-9 { format!("{:.0}", mark.value) } else { String::new() })
                .y_axis_label(y_label)
                .include_y(0.0)
                .show(ui, |plot_ui| {
                    if let Some(t) = net_table {
                        let points: Vec<[f64; 2]> = figures.totals[t]
                            .total
                            .iter()
                            .zip(&years)
                            .filter_map(|(total, year)| total.map(|v| [*year, -(v as f64) / scale]))
                            .collect();
                        let name = lang.t("Nettokostnad", "Net cost");
                        plot_ui.line(Line::new(name, PlotPoints::new(points.clone())).width(2.0).color(Color32::from_rgb(0x1f, 0x5f, 0xa8)));
                        plot_ui.points(Points::new(name, PlotPoints::new(points)).radius(3.5).color(Color32::from_rgb(0x1f, 0x5f, 0xa8)));
                    }
                    if let Some(frame) = &budget.frame {
                        plot_ui.hline(HLine::new(format!("{} {}", lang.t("Ram", "Frame"), budget.year), frame.amount as f64 / scale).color(Color32::from_rgb(0xc2, 0x3b, 0x5a)));
                    }
                });
        });
        // Investments: one bar per category and year, side by side.
        ui.vertical(|ui| {
            ui.set_width(width);
            ui.label(RichText::new(lang.t("Investeringar per kategori och år", "Investments per category and year")).strong());
            let investment = budget.tables.iter().position(|t| t.kind == TableKind::Investment);
            Plot::new(("budget_investments", budget.id))
                .height(height - 20.0)
                .allow_scroll(false)
                .legend(Legend::default())
                .x_axis_formatter(|mark, _| if mark.value.fract().abs() < 1e-9 { format!("{:.0}", mark.value) } else { String::new() })
                .y_axis_label(unit_label)
                .show(ui, |plot_ui| {
                    let Some(t) = investment else { return };
                    let groups = &budget.tables[t].groups;
                    let n = groups.len().max(1) as f64;
                    let width = 0.8 / n;
                    for (g, group) in groups.iter().enumerate() {
                        let bars: Vec<Bar> = figures.totals[t].groups[g]
                            .iter()
                            .zip(&years)
                            .filter_map(|(total, year)| total.map(|v| Bar::new(year - 0.4 + width * (g as f64 + 0.5), -(v as f64) / scale).width(width * 0.95)))
                            .collect();
                        let name = if group.name.is_empty() { budget.tables[t].title.clone() } else { group.name.clone() };
                        plot_ui.bar_chart(BarChart::new(name, bars).color(category_color(g)));
                    }
                });
        });
    });
}

fn category_color(index: usize) -> Color32 {
    let palette = crate::ui::indicator_view::PALETTE;
    palette[index % palette.len()]
}

/// A new budget for `board`: the columns of seed 003 around `year` and an empty operating and
/// investment table.
fn new_budget(ctx: &ViewCtx, board: &str, year: i32) -> Budget {
    let lang = ctx.lang;
    let first = ctx.plan.next_id().0;
    let columns = vec![
        BudgetColumn { kind: ColumnKind::Actual, year: year - 2 },
        BudgetColumn { kind: ColumnKind::Budget, year: year - 1 },
        BudgetColumn { kind: ColumnKind::Budget, year },
        BudgetColumn { kind: ColumnKind::Plan, year: year + 1 },
        BudgetColumn { kind: ColumnKind::Plan, year: year + 2 },
        BudgetColumn { kind: ColumnKind::Plan, year: year + 3 },
    ];
    let table = |id: u32, kind: TableKind, title: &str| BudgetTable {
        id: ItemId(id),
        kind,
        title: title.into(),
        total_label: lang.t("Summa", "Total").into(),
        groups: vec![BudgetGroup::default()],
        against_frame: kind == TableKind::Operating,
        ..BudgetTable::default()
    };
    Budget {
        id: ItemId(first),
        board: board.into(),
        year,
        columns,
        tables: vec![
            table(first + 1, TableKind::Operating, lang.t("Driftbudget", "Operating budget")),
            table(first + 2, TableKind::Investment, lang.t("Investeringsbudget", "Investment budget")),
        ],
        ..Budget::default()
    }
}
