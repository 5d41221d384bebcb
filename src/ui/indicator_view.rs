//! The indicator's values table (egui_extras) and trend chart (egui_plot).
//!
//! Each series has three rows – *utfall*, *mål* and *utgångsvärde* – with one column per year.
//! A cell is edited in place: the text is parsed the Swedish way; an invalid entry stays in the
//! cell in red with the reason and is not written; Enter (or leaving the cell) commits; Escape
//! cancels. Every change is one `Edit::Indicator` through the app's edit path.

use egui::{Color32, RichText, Ui};
use egui_extras::{Column, TableBuilder};
use egui_plot::{HLine, Legend, Line, LineStyle, MarkerShape, Plot, PlotPoints, Points, VLine};

use crate::command::ViewCommand;
use crate::edit::Edit;
use crate::followup::indicator::{assess, series_result, target_for_year};
use crate::followup::number::{format_for_editing, format_value, parse_value};
use crate::i18n::Lang;
use crate::model::{Indicator, ItemId, Series, SeriesKind, Unit, set_value};
use crate::ui::ctx::ViewCtx;
use crate::ui::symbols;
use crate::ui::symbols::indicator_assessment as indicator_symbol;

/// The values table's own state: the cell being edited and years added before any value.
#[derive(Debug, Clone, Default)]
pub struct ValuesTable {
    pub cell_edit: Option<CellEdit>,
    /// Years the planner added to an indicator's table before typing values in them.
    pub extra_years: std::collections::HashMap<ItemId, Vec<i32>>,
}

impl ValuesTable {
    /// A new selection: no cell stays open.
    pub fn close_cell(&mut self) {
        self.cell_edit = None;
    }
}

/// Which value of a series a cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CellKind {
    Outcome,
    Target,
    Baseline,
}

/// The cell being edited and its text; kept between frames.
#[derive(Debug, Clone, PartialEq)]
pub struct CellEdit {
    pub indicator: ItemId,
    pub series: usize,
    pub kind: CellKind,
    pub year: i32,
    pub text: String,
    pub error: Option<String>,
    /// Set on the first frame, so the field takes focus and selects its text.
    pub fresh: bool,
}

fn kind_name(lang: Lang, kind: CellKind) -> &'static str {
    match kind {
        CellKind::Outcome => lang.t("utfall", "outcome"),
        CellKind::Target => lang.t("mål", "target"),
        CellKind::Baseline => lang.t("utgångsvärde", "baseline"),
    }
}

/// The accessible name of a cell: "Totalt utfall 2020".
pub fn cell_label(lang: Lang, series: &str, kind: CellKind, year: i32) -> String {
    format!("{series} {} {year}", kind_name(lang, kind))
}

fn cell_value(series: &Series, kind: CellKind, year: i32) -> Option<f64> {
    match kind {
        CellKind::Outcome => series.outcome(year),
        CellKind::Target => series.target(year),
        CellKind::Baseline => series.baseline.filter(|(y, _)| *y == year).map(|(_, v)| v),
    }
}

/// The indicator with one cell set (or cleared with `None`).
pub fn with_cell(indicator: &Indicator, series: usize, kind: CellKind, year: i32, value: Option<f64>) -> Indicator {
    let mut changed = indicator.clone();
    if let Some(s) = changed.series.get_mut(series) {
        match kind {
            CellKind::Outcome => set_value(&mut s.outcomes, year, value),
            CellKind::Target => set_value(&mut s.targets, year, value),
            CellKind::Baseline => s.baseline = value.map(|v| (year, v)),
        }
    }
    changed
}

/// The years shown: from the earliest to the latest value (or the plan's years when the
/// indicator has none), plus any the planner added.
pub fn year_columns(indicator: &Indicator, plan_years: (i32, i32), extra: &[i32]) -> Vec<i32> {
    let years = indicator.series.iter().flat_map(|s| {
        s.baseline.iter().map(|(y, _)| *y).chain(s.targets.iter().map(|(y, _)| *y)).chain(s.outcomes.iter().map(|(y, _)| *y))
    });
    let (mut first, mut last) = years.fold((i32::MAX, i32::MIN), |(a, b), y| (a.min(y), b.max(y)));
    if first > last {
        (first, last) = plan_years;
    }
    for &y in extra {
        first = first.min(y);
        last = last.max(y);
    }
    // Bounded so that a stray year (validated elsewhere) cannot create thousands of columns.
    let last = last.min(first + 60);
    (first..=last).collect()
}

pub fn indicator_values_ui(table: &mut ValuesTable, ctx: &mut ViewCtx, ui: &mut Ui, indicator: &Indicator) {
    let lang = ctx.lang;
    let plan_years = (ctx.plan.meta.first_year, ctx.plan.meta.last_year);
    let extra = table.extra_years.get(&indicator.id).cloned().unwrap_or_default();
    let years = year_columns(indicator, plan_years, &extra);
    let settings = ctx.plan.settings;
    let selected_year = crate::followup::selection_year(ctx.plan, ctx.period);

    ui.horizontal(|ui| {
        if ui.button(lang.t("Lägg till år", "Add year")).clicked() {
            let next = years.last().map_or(plan_years.1, |y| y + 1);
            table.extra_years.entry(indicator.id).or_default().push(next);
        }
        if let Some(&last) = years.last()
            && ui.button(format!("{} {last}", lang.t("Ta bort år", "Remove year"))).clicked()
        {
            let mut changed = indicator.clone();
            for s in &mut changed.series {
                set_value(&mut s.outcomes, last, None);
                set_value(&mut s.targets, last, None);
                if s.baseline.is_some_and(|(y, _)| y == last) {
                    s.baseline = None;
                }
            }
            if let Some(extra) = table.extra_years.get_mut(&indicator.id) {
                extra.retain(|y| *y != last);
            }
            if changed != *indicator {
                ctx.edit(Edit::Indicator(changed), None);
            }
        }
        if ui.button(lang.t("Ny serie", "New series")).clicked() {
            let mut changed = indicator.clone();
            changed.series.push(Series { name: lang.t("Ny serie", "New series").into(), kind: SeriesKind::Other, ..Series::default() });
            ctx.edit(Edit::Indicator(changed), None);
        }
    });
    if let Some(error) = table.cell_edit.as_ref().and_then(|c| c.error.clone()) {
        ui.colored_label(ui.visuals().error_fg_color, error);
    }

    let row_count = indicator.series.len() * 3;
    let builder = TableBuilder::new(ui)
        .id_salt(("values_table", indicator.id))
        .striped(true)
        .vscroll(false)
        .column(Column::initial(250.0).at_least(160.0).clip(true))
        .columns(Column::initial(72.0).at_least(56.0), years.len());
    builder
        .header(22.0, |mut header| {
            header.col(|ui| {
                ui.strong(lang.t("Serie", "Series"));
            });
            for &year in &years {
                header.col(|ui| {
                    let text = RichText::new(year.to_string()).strong();
                    ui.label(if Some(year) == selected_year { text.underline() } else { text });
                });
            }
        })
        .body(|body| {
            body.rows(22.0, row_count, |mut row| {
                let index = row.index();
                let (series_index, kind) = (index / 3, [CellKind::Outcome, CellKind::Target, CellKind::Baseline][index % 3]);
                let series = &indicator.series[series_index];
                row.col(|ui| {
                    let text = format!("{} – {}", series.name, kind_name(lang, kind));
                    let text = if kind == CellKind::Outcome { RichText::new(text).strong() } else { RichText::new(text).weak() };
                    ui.add(egui::Label::new(text).truncate());
                });
                for &year in &years {
                    row.col(|ui| {
                        cell_ui(table, ctx, ui, indicator, series_index, kind, year, &settings);
                    });
                }
            });
        });
}

#[allow(clippy::too_many_arguments)]
fn cell_ui(
    table: &mut ValuesTable,
    ctx: &mut ViewCtx,
    ui: &mut Ui,
    indicator: &Indicator,
    series_index: usize,
    kind: CellKind,
    year: i32,
    settings: &crate::model::FollowUpSettings,
) {
    let lang = ctx.lang;
    let series = &indicator.series[series_index];
    let label = cell_label(lang, &series.name, kind, year);
    let editing = table
        .cell_edit
        .as_ref()
        .is_some_and(|c| c.indicator == indicator.id && c.series == series_index && c.kind == kind && c.year == year);
    if editing {
        cell_editor_ui(table, ctx, ui, indicator, &label);
        return;
    }
    let value = cell_value(series, kind, year);
    ui.horizontal(|ui| {
        if kind == CellKind::Outcome && series.kind != SeriesKind::Comparison && value.is_some() && !series.targets.is_empty() {
            let target = target_for_year(series, year).map(|t| t.value);
            let baseline = series.baseline.filter(|(y, _)| *y <= year).map(|(_, v)| v);
            let status = assess(value, target, baseline, indicator, settings);
            symbols::assessment_ui(ui, 10.0, indicator_symbol(status), lang.indicator_status(status));
        }
        let text = value.map_or_else(String::new, |v| format_value(v, &indicator.unit, indicator.decimals));
        let text = match kind {
            CellKind::Outcome => RichText::new(text),
            CellKind::Target => RichText::new(text).italics(),
            CellKind::Baseline => RichText::new(text).underline(),
        };
        let response = ui.add(egui::Button::new(text).frame(false).min_size(egui::vec2(48.0, 18.0)));
        let accessible = label.clone();
        response.widget_info(move || egui::WidgetInfo::labeled(egui::Role::Button, true, accessible.clone()));
        let response = response.on_hover_text(format!("{label} – {}", lang.t("klicka för att ändra", "click to edit")));
        if response.clicked() {
            let text = value.map_or_else(String::new, |v| format_for_editing(v, &indicator.unit, indicator.decimals));
            table.cell_edit = Some(CellEdit { indicator: indicator.id, series: series_index, kind, year, text, error: None, fresh: true });
        }
    });
}

fn cell_editor_ui(table: &mut ValuesTable, ctx: &mut ViewCtx, ui: &mut Ui, indicator: &Indicator, label: &str) {
    let lang = ctx.lang;
    let Some(mut cell) = table.cell_edit.clone() else { return };
    let name = ui.label(RichText::new(label).small()).id;
    let mut edit = egui::TextEdit::singleline(&mut cell.text).desired_width(64.0).id_salt(("cell_edit", indicator.id));
    if cell.error.is_some() {
        edit = edit.text_color(ui.visuals().error_fg_color).background_color(Color32::from_rgba_unmultiplied(200, 40, 40, 40));
    }
    let output = edit.show(ui);
    if cell.fresh {
        crate::ui::focus_and_select_all(ui, &output, &cell.text);
        cell.fresh = false;
    }
    let response = output.response.response.labelled_by(name);
    let escape = ui.input(|i| i.key_pressed(egui::Key::Escape));
    let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
    if escape {
        table.cell_edit = None;
        return;
    }
    if response.changed() {
        cell.error = None;
    }
    if enter || response.lost_focus() {
        match parse_value(&cell.text, &indicator.unit) {
            Ok(value) => {
                let changed = with_cell(indicator, cell.series, cell.kind, cell.year, value);
                if changed != *indicator {
                    ctx.edit(Edit::Indicator(changed), None);
                }
                table.cell_edit = None;
                return;
            }
            Err(error) => {
                cell.error = Some(format!("{label}: {}", error.message_in(lang)));
                response.request_focus();
            }
        }
    }
    table.cell_edit = Some(cell);
}

/// The charts' colours: distinct, and readable on light and dark backgrounds.
pub const PALETTE: [Color32; 6] = [
    Color32::from_rgb(0x1f, 0x5f, 0xa8),
    Color32::from_rgb(0xc2, 0x3b, 0x5a),
    Color32::from_rgb(0x2a, 0x8a, 0x5c),
    Color32::from_rgb(0x8a, 0x5a, 0xc2),
    Color32::from_rgb(0xd0, 0x7a, 0x10),
    Color32::from_rgb(0x40, 0x90, 0xa0),
];

fn series_color(index: usize, kind: SeriesKind, dark: bool) -> Color32 {
    if kind == SeriesKind::Comparison {
        return if dark { Color32::from_gray(150) } else { Color32::from_gray(120) };
    }
    match kind {
        SeriesKind::Total => PALETTE[0],
        SeriesKind::Women | SeriesKind::Girls => PALETTE[1],
        SeriesKind::Men | SeriesKind::Boys => PALETTE[2],
        _ => PALETTE[3 + index % 3],
    }
}

pub fn unit_axis_label(lang: Lang, unit: &Unit) -> String {
    match unit {
        Unit::Percent => "%".into(),
        Unit::Count => lang.t("antal", "count").into(),
        Unit::Index => "index".into(),
        Unit::Kronor => "kr".into(),
        Unit::Scale(a, b) => format!("{} {a}–{b}", lang.t("skala", "scale")),
        Unit::Ratio => lang.t("andel kvinnor, %", "share women, %").into(),
        Unit::Other(s) => s.clone(),
    }
}

/// The trend chart: one line per series with markers at outcomes, the baseline as a labelled
/// horizontal line, targets as diamonds with the dashed path from the baseline, the selected
/// year marked. `compact` draws a sparkline (no axes, legend or interaction).
pub fn indicator_chart_ui(ctx: &ViewCtx, ui: &mut Ui, indicator: &Indicator, height: f32, compact: bool) -> egui::Response {
    let lang = ctx.lang;
    let dark = ui.visuals().dark_mode;
    let selected_year = crate::followup::selection_year(ctx.plan, ctx.period);
    let unit = indicator.unit.clone();
    let decimals = indicator.decimals;
    let main_index = crate::followup::indicator::main_series(indicator)
        .and_then(|m| indicator.series.iter().position(|s| std::ptr::eq(s, m)));

    let mut plot = Plot::new(("indicator_chart", indicator.id, compact))
        .height(height)
        .allow_zoom(!compact)
        .allow_drag(!compact)
        .allow_scroll(false)
        .show_axes([!compact, !compact])
        .show_grid(!compact)
        .x_grid_spacer(egui_plot::uniform_grid_spacer(|_| [1.0, 5.0, 10.0]))
        .x_axis_formatter(|mark, _| if mark.value.fract().abs() < 1e-9 { format!("{:.0}", mark.value) } else { String::new() });
    if compact {
        plot = plot.show_background(false).sense(egui::Sense::hover());
    } else {
        let unit_for_axis = unit.clone();
        // The legend goes in the corner the target path leaves free.
        let corner = match indicator.direction {
            crate::model::Direction::LowerIsBetter => egui_plot::Corner::LeftBottom,
            _ => egui_plot::Corner::LeftTop,
        };
        plot = plot
            .legend(Legend::default().position(corner))
            .set_margin_fraction(egui::vec2(0.04, 0.12))
            .y_axis_label(unit_axis_label(lang, &unit))
            .y_axis_formatter(move |mark, _| format_value(mark.value, &unit_for_axis, decimals.min(2)))
            .label_formatter(move |position| {
                let (name, point) = match position {
                    egui_plot::HoverPosition::NearDataPoint { plot_name, position, .. } => (*plot_name, position),
                    egui_plot::HoverPosition::Elsewhere { .. } => return None,
                };
                Some(format!("{name}\n{:.0}: {}", point.x, format_value(point.y, &unit, decimals)))
            });
    }
    plot.show(ui, |plot_ui| {
        for (i, series) in indicator.series.iter().enumerate() {
            let color = series_color(i, series.kind, dark);
            let comparison = series.kind == SeriesKind::Comparison;
            // The baseline is the series' first measured value, so the line starts there.
            let points: Vec<[f64; 2]> = series
                .baseline
                .filter(|(y, _)| series.outcome(*y).is_none())
                .into_iter()
                .chain(series.outcomes.iter().copied())
                .map(|(y, v)| [f64::from(y), v])
                .collect();
            if !points.is_empty() {
                let mut line = Line::new(series.name.clone(), PlotPoints::new(points.clone())).color(color).width(if comparison { 1.0 } else { 2.0 });
                if comparison {
                    line = line.style(LineStyle::dashed_dense());
                }
                plot_ui.line(line);
                plot_ui.points(Points::new(series.name.clone(), PlotPoints::new(points)).color(color).radius(if comparison { 2.0 } else { 3.5 }).shape(MarkerShape::Circle).filled(true));
            }
            // Targets and baseline are drawn for the main series only, to keep the chart readable.
            if Some(i) == main_index && !comparison {
                let target_name = format!("{} ({})", lang.t("Mål", "Target"), series.name);
                if let Some((base_year, base)) = series.baseline {
                    plot_ui.hline(
                        HLine::new(format!("{} {base_year}", lang.t("Utgångsvärde", "Baseline")), base)
                            .color(Color32::from_gray(140))
                            .style(LineStyle::dashed_loose()),
                    );
                    if !series.targets.is_empty() {
                        let path: Vec<[f64; 2]> = std::iter::once([f64::from(base_year), base])
                            .chain(series.targets.iter().map(|(y, v)| [f64::from(*y), *v]))
                            .collect();
                        plot_ui.line(Line::new(target_name.clone(), PlotPoints::new(path)).color(color.gamma_multiply(0.6)).style(LineStyle::dashed_loose()));
                    }
                }
                let targets: Vec<[f64; 2]> = series.targets.iter().map(|(y, v)| [f64::from(*y), *v]).collect();
                if !targets.is_empty() {
                    plot_ui.points(Points::new(target_name, PlotPoints::new(targets)).color(color).radius(6.0).shape(MarkerShape::Diamond).filled(false));
                }
            }
        }
        if let Some(year) = selected_year
            && !compact
        {
            plot_ui.vline(VLine::new(format!("{} {year}", lang.t("Vald period", "Selected period")), f64::from(year)).color(Color32::from_rgba_unmultiplied(200, 150, 0, 160)).width(1.5));
        }
    })
    .response
}

/// For a goal: each indicator as a sparkline with its status.
pub fn goal_sparklines_ui(ctx: &mut ViewCtx, ui: &mut Ui, goal: ItemId) {
    let lang = ctx.lang;
    let plan = ctx.plan;
    let follow_up = ctx.follow_up();
    let indicators = ctx.derived.structure.indicators_of(goal);
    if indicators.is_empty() {
        return;
    }
    ui.add_space(6.0);
    ui.heading(lang.t("Indikatorer", "Indicators"));
    let year = follow_up.year;
    egui::Grid::new(("sparklines", goal)).striped(true).num_columns(4).show(ui, |ui| {
        for indicator in indicators.iter().filter_map(|&i| plan.indicators.get(i)) {
            let result = follow_up.indicator(indicator.id);
            let status = result.map_or(crate::followup::IndicatorStatus::NoData, |r| r.status());
            symbols::assessment_ui(ui, 14.0, indicator_symbol(status), lang.indicator_status(status));
            ui.vertical(|ui| {
                ui.set_width(300.0);
                if ui.link(crate::outline::node_text(plan, crate::outline::NodeRef::Indicator(indicator.id))).clicked() {
                    ctx.send(ViewCommand::Select(crate::outline::NodeRef::Indicator(indicator.id)));
                }
                let main = result.and_then(|r| r.main.as_ref());
                let fmt = |v: Option<f64>| v.map_or("–".to_owned(), |v| format_value(v, &indicator.unit, indicator.decimals));
                ui.label(
                    RichText::new(format!(
                        "{} {year}: {} · {}: {}",
                        lang.t("utfall", "outcome"),
                        fmt(main.and_then(|m| m.outcome)),
                        lang.t("mål", "target"),
                        fmt(main.and_then(|m| m.target.map(|t| t.value)))
                    ))
                    .small(),
                );
            });
            ui.allocate_ui(egui::vec2(220.0, 48.0), |ui| {
                indicator_chart_ui(ctx, ui, indicator, 44.0, true);
            });
            if let Some(trend) = result.and_then(|r| r.main.as_ref()).and_then(|m| m.trend) {
                symbols::trend_ui(ui, 14.0, trend.trend, lang.trend(trend.trend));
            } else {
                ui.label("");
            }
            ui.end_row();
        }
    });
}

/// The main series' outcome, target and status for the selected year, for the editor.
pub fn main_result_line(ctx: &ViewCtx, indicator: &Indicator) -> Option<String> {
    let lang = ctx.lang;
    let year = crate::followup::selection_year(ctx.plan, ctx.period)?;
    let series = crate::followup::indicator::main_series(indicator)?;
    let r = series_result(indicator, series, year, &ctx.plan.settings);
    let fmt = |v: Option<f64>| v.map_or("–".to_owned(), |v| format_value(v, &indicator.unit, indicator.decimals));
    Some(format!(
        "{year}: {} {} · {} {}{} · {}",
        lang.t("utfall", "outcome"),
        fmt(r.outcome),
        lang.t("mål", "target"),
        fmt(r.target.map(|t| t.value)),
        if r.target.is_some_and(|t| t.interpolated) { lang.t(" (interpolerat)", " (interpolated)") } else { "" },
        lang.indicator_status(r.status)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Direction, IndicatorKind, Thresholds};

    fn indicator() -> Indicator {
        Indicator {
            id: ItemId(1),
            goal: ItemId(2),
            code: String::new(),
            name: "Sjukfrånvaro".into(),
            description: String::new(),
            kind: IndicatorKind::Organisation,
            unit: Unit::Percent,
            decimals: 1,
            direction: Direction::LowerIsBetter,
            kolada: None,
            kolada_unit: None,
            thresholds: Thresholds::default(),
            series: vec![Series {
                name: "Totalt".into(),
                kind: SeriesKind::Total,
                baseline: None,
                targets: vec![(2022, 3.0), (2023, 3.0)],
                outcomes: vec![(2020, 3.1), (2021, 3.0), (2022, 1.7)],
            }],
        }
    }

    #[test]
    fn year_columns_span_all_values_and_added_years() {
        let ind = indicator();
        assert_eq!(year_columns(&ind, (2022, 2022), &[]), vec![2020, 2021, 2022, 2023]);
        assert_eq!(year_columns(&ind, (2022, 2022), &[2024]), vec![2020, 2021, 2022, 2023, 2024]);
        let mut empty = ind.clone();
        empty.series[0] = Series::default();
        assert_eq!(year_columns(&empty, (2024, 2027), &[]), vec![2024, 2025, 2026, 2027]);
    }

    #[test]
    fn with_cell_sets_and_clears_each_kind() {
        let ind = indicator();
        let set = with_cell(&ind, 0, CellKind::Outcome, 2023, Some(2.5));
        assert_eq!(set.series[0].outcome(2023), Some(2.5));
        let cleared = with_cell(&set, 0, CellKind::Target, 2022, None);
        assert_eq!(cleared.series[0].targets, vec![(2023, 3.0)]);
        let base = with_cell(&ind, 0, CellKind::Baseline, 2019, Some(3.4));
        assert_eq!(base.series[0].baseline, Some((2019, 3.4)));
    }
}
