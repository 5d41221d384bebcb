//! The report's section *Ekonomisk redovisning*, in seed 004's layout: for each board's economic
//! follow-up of the period, the summary (result to date, forecast against budget), the
//! explanations of the deviation with their amounts and what they leave unexplained, then the
//! income statement, the departments and the investments – each in its own unit, with the true
//! computed totals, a footnote for every stated figure its rows do not give, and one note
//! listing the figures the source rounded differently.

use super::budget_pdf::{Grid, Kind, Line, Printed, Texts, draw_table, grey, hanging, widths};
use super::pdf::{BODY, CONTENT_WIDTH, Layout, MARGIN_X};
use crate::budget::MoneySettings;
use crate::budget::money::format_amount;
use crate::economy::figures::{EconomyFigures, StatedAt, Total, TableFigures, figures};
use crate::economy::{EconomicFollowUp, EconomyTable, headline_money, headline_text, signed};
use crate::i18n::Lang;
use crate::model::{ItemId, Plan};

/// What the section prints: each follow-up with its board's name, its period's name and year.
pub struct EconomySection<'a> {
    pub lang: Lang,
    pub money: MoneySettings,
    pub reports: Vec<(String, String, i32, &'a EconomicFollowUp)>,
    /// Per report, the forecasts through its year (month, forecast in kronor) and the
    /// full-year budget, for the chart; empty without charts.
    pub through_year: Vec<(Vec<(u8, crate::economy::figures::Total)>, Option<crate::economy::figures::Total>)>,
}

impl<'a> EconomySection<'a> {
    pub fn none() -> Self {
        Self { lang: Lang::Swedish, money: MoneySettings::default(), reports: Vec::new(), through_year: Vec::new() }
    }

    /// The follow-ups of `period` (of `board`, when the report is limited to one).
    pub fn new(plan: &'a Plan, period: Option<ItemId>, board: Option<&str>) -> Self {
        let reports = period
            .and_then(|id| plan.period(id))
            .map(|p| {
                plan.economy
                    .iter()
                    .filter(|r| r.period == p.id && board.is_none_or(|b| r.board == b))
                    .map(|r| {
                        let name = plan.board(&r.board).map_or_else(|| r.board.clone(), |b| format!("{} ({})", b.name, b.code));
                        (name, p.name.clone(), p.year, r)
                    })
                    .collect()
            })
            .unwrap_or_default();
        Self { lang: Lang::Swedish, money: plan.money, reports, through_year: Vec::new() }
    }

    /// The same with the charts of the forecast through the year: each follow-up of the same
    /// board and year gives its forecast and the earlier forecast it names.
    pub fn with_charts(mut self, plan: &Plan) -> Self {
        self.through_year = self
            .reports
            .iter()
            .map(|(_, _, year, report)| {
                let mut points: Vec<(u8, crate::economy::figures::Total)> = Vec::new();
                let mut budget = None;
                for r in plan.economy.iter().filter(|r| r.board == report.board && plan.period(r.period).is_some_and(|p| p.year == *year)) {
                    let h = figures(r, &plan.money).headline;
                    budget = budget.or(h.budget_full_year);
                    let previous = r.previous_forecast_month.zip(h.previous_forecast);
                    for (month, value) in h.forecast.map(|f| (r.through_month, f)).into_iter().chain(previous) {
                        if !points.iter().any(|(m, _)| *m == month) {
                            points.push((month, value));
                        }
                    }
                }
                points.sort_by_key(|(m, _)| *m);
                (points, budget)
            })
            .collect();
        self
    }
}

/// Report `index`'s forecast through the year against the full-year budget, when the section
/// has charts and the year two forecasts.
pub(super) fn forecast_chart(section: &EconomySection<'_>, index: usize) -> Option<super::chart_pdf::ChartData> {
    let texts = Texts { lang: section.lang };
    let (_, _, _, report) = section.reports.get(index)?;
    let (points, budget) = section.through_year.get(index).filter(|(p, _)| p.len() >= 2)?;
    let money = headline_money(report, &section.money);
    let scale = money.unit.factor() as f64;
    let unit = money.unit.label(texts.lang);
    let title = format!("{} ({unit})", texts.t("Årsprognos under året mot budget", "Forecast through the year against the budget"));
    let line: Vec<(i32, f64)> = points.iter().map(|(m, v)| (i32::from(*m), *v as f64 / scale)).collect();
    let level = budget.map(|b| (texts.t("Budget helår", "Full-year budget").to_owned(), b as f64 / scale));
    Some(super::chart_pdf::ChartData::money(title, texts.t("Årsprognos", "Forecast"), line, level, true, money.decimals))
}

/// One table ready to print; footnote numbers continue from `mark`.
#[allow(clippy::too_many_arguments)]
fn printed(report: &EconomicFollowUp, table: &EconomyTable, f: &EconomyFigures, t: &TableFigures, year: i32, plan_money: &MoneySettings, lang: Lang, mark: &mut usize) -> Printed {
    let money = table.money(plan_money);
    let n = table.columns.len();
    let real: Vec<(&crate::economy::figures::Difference, usize)> = f
        .differences
        .iter()
        .filter(|d| d.table == table.id && !d.rounding)
        .map(|d| {
            *mark += 1;
            (d, *mark)
        })
        .collect();
    let cells = |values: &[Option<Total>], at: StatedAt| -> Vec<super::budget_pdf::Cell> {
        (0..n)
            .map(|c| {
                let note = real.iter().find(|(d, _)| d.at == at && table.columns.get(c) == Some(&d.measure)).map(|(_, m)| *m);
                values.get(c).copied().flatten().map(|v| (format_amount(v, &money), note))
            })
            .collect()
    };
    let mut lines = Vec::new();
    let mut index = 0;
    for (g, group) in table.groups.iter().enumerate() {
        if !group.name.is_empty() {
            lines.push(Line { kind: Kind::Group, indent: 0.0, label: group.name.clone(), cells: vec![None; n] });
        }
        for row in &group.rows {
            lines.push(Line { kind: Kind::Row, indent: 0.0, label: row.name.clone(), cells: cells(&t.rows[index].values, StatedAt::Row(row.id)) });
            index += 1;
        }
        if !group.total_label.is_empty() {
            lines.push(Line { kind: Kind::Subtotal, indent: 0.0, label: group.total_label.clone(), cells: cells(&t.groups[g].values, StatedAt::Group(g)) });
        }
    }
    let mut total = cells(&t.total.values, StatedAt::Total);
    for (d, number) in real.iter().filter(|(d, _)| matches!(d.at, StatedAt::OtherTable(_))) {
        if let Some(c) = table.column(d.measure)
            && let Some(Some((_, note))) = total.get_mut(c)
        {
            *note = Some(*number);
        }
    }
    lines.push(Line { kind: Kind::Total, indent: 0.0, label: table.total_label.clone(), cells: total });
    let footnotes = real.iter().map(|(d, number)| (*number, d.describe(report, year, plan_money, lang))).collect();
    let rounded: Vec<String> = f
        .differences
        .iter()
        .filter(|d| d.table == table.id && d.rounding)
        .map(|d| d.describe(report, year, plan_money, lang))
        .collect();
    let rounding = (!t.rounding_columns.is_empty() || !rounded.is_empty()).then(|| {
        let mut text = lang
            .t(
                "Beloppen är avrundade var för sig; summor och avvikelser är räknade på de exakta beloppen.",
                "Each amount is rounded on its own; totals and deviations are computed from the exact amounts.",
            )
            .to_owned();
        if !rounded.is_empty() {
            text.push(' ');
            text.push_str(lang.t("Källan avrundar annorlunda:", "The source rounds differently:"));
            text.push(' ');
            text.push_str(&rounded.join("; "));
            text.push('.');
        }
        text
    });
    Printed { title: table.title.clone(), lines, footnotes, rounding }
}

fn report_section(l: &mut Layout<'_>, board: &str, period: &str, year: i32, report: &EconomicFollowUp, plan_money: &MoneySettings, texts: &Texts) {
    let lang = texts.lang;
    let f = figures(report, plan_money);
    l.heading(&format!("{} – {board}, {period}", texts.t("Ekonomisk redovisning", "Financial report")), 13.0);
    l.y += 2.0;
    l.paragraph(MARGIN_X, CONTENT_WIDTH, &headline_text(report, &f.headline, plan_money, lang), BODY + 0.5);
    l.y += 3.0;
    for note in &report.notes {
        l.paragraph(MARGIN_X, CONTENT_WIDTH, note, BODY);
        l.y += 4.0;
    }
    let money = headline_money(report, plan_money);
    let unit = money.unit.label(lang);
    if !report.explanations.is_empty() {
        let budget = f.headline.budget_full_year.map_or_else(|| "–".to_owned(), |b| signed(b, &money));
        let forecast = f.headline.forecast.map_or_else(|| "–".to_owned(), |v| signed(v, &money));
        l.paragraph(
            MARGIN_X,
            CONTENT_WIDTH,
            &format!(
                "{} ({budget}) {} ({forecast}) {}:",
                texts.t("Avvikelsen mellan budget", "The deviation between the budget"),
                texts.t("och prognos", "and the forecast"),
                texts.t("förklaras av", "is explained by")
            ),
            BODY,
        );
        for e in &report.explanations {
            hanging(l, MARGIN_X + 6.0, 10.0, "–", &format!("{} {}", e.text, signed(e.amount.into(), &money)), BODY, false);
        }
        if let Some(unexplained) = f.headline.unexplained {
            l.y += BODY * 1.4;
            let y = l.y;
            grey(
                l,
                MARGIN_X + 6.0,
                y,
                BODY - 1.0,
                &format!(
                    "{} {} {unit}, {} {} {unit}.",
                    texts.t("Förklarat", "Explained"),
                    signed(f.headline.explained, &money),
                    texts.t("oförklarat", "unexplained"),
                    signed(unexplained, &money)
                ),
            );
        }
        l.y += 8.0;
    }
    for (labels, printed, note) in printed_tables(report, &f, year, plan_money, texts) {
        // An income statement has seven columns and short account names: the names may narrow.
        let grid = Grid::with_min_label(l.measure, &labels, widths(l.measure, [&printed]), 96.0);
        l.ensure(60.0);
        l.y += BODY;
        let y = l.y;
        grey(l, MARGIN_X, y, BODY - 1.0, &note);
        l.y += 3.0;
        for chunk in &grid.chunks {
            draw_table(l, &grid, chunk, &printed, texts);
        }
    }
}

/// Each table of the follow-up as printed: its column headings, its lines, and the note on
/// its unit and signs.
pub(super) fn printed_tables(report: &EconomicFollowUp, f: &EconomyFigures, year: i32, plan_money: &MoneySettings, texts: &Texts) -> Vec<(Vec<String>, Printed, String)> {
    let lang = texts.lang;
    let mut mark = 0;
    report
        .tables
        .iter()
        .zip(&f.tables)
        .map(|(table, t)| {
            let printed = printed(report, table, f, t, year, plan_money, lang, &mut mark);
            let labels: Vec<String> = table.columns.iter().map(|m| m.label(report, year, lang)).collect();
            let convention = texts.t("intäkter och överskott positiva", "income and surpluses positive");
            let note = format!("{} {}; {convention}.", texts.t("Belopp i", "Amounts in"), table.money(plan_money).unit.label(lang));
            (labels, printed, note)
        })
        .collect()
}

/// The section, each follow-up starting on a new page unless its start fits.
pub(super) fn layout(l: &mut Layout<'_>, section: &EconomySection<'_>) {
    let texts = Texts { lang: section.lang };
    for (index, (board, period, year, report)) in section.reports.iter().enumerate() {
        if !l.ensure(300.0) {
            l.y += 12.0;
        }
        report_section(l, board, period, *year, report, &section.money, &texts);
        // The forecast through the year against the full-year budget.
        if let Some(chart) = forecast_chart(section, index) {
            let height = 130.0;
            l.ensure(height + 10.0);
            let top = l.y + 4.0;
            super::chart_pdf::draw(l, MARGIN_X, top, CONTENT_WIDTH * 0.62, height, &chart);
            l.y = top + height + 8.0;
        }
    }
}
