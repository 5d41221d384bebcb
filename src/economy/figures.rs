//! Everything computed from an economic follow-up: each row's computed columns, group and table
//! totals, where a stated figure disagrees with what the rows give (and whether the gap is
//! only the source's rounding), where the printed rows do not add up to the printed total, and
//! the headline: the result to date and the forecast against budget, and how much of the
//! forecast's deviation the explanations explain. Pure functions, run once per edit.

use super::{EconomicFollowUp, EconomyTable, Measure};
use crate::budget::MoneySettings;
use crate::budget::money::{format_amount, rounded};
use crate::i18n::Lang;
use crate::model::ItemId;

/// A computed figure: wider than an amount, so no sum overflows.
pub type Total = i128;

/// One line's figures per column of its table, and how many entered amounts each rests on
/// (for telling a rounding gap from a real one).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Line {
    pub values: Vec<Option<Total>>,
    terms: Vec<u32>,
}

impl Line {
    pub fn get(&self, column: usize) -> Option<Total> {
        self.values.get(column).copied().flatten()
    }
}

/// A table's computed figures: per row (in [`EconomyTable::rows`] order), per group and for
/// the table, per column.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableFigures {
    pub table: ItemId,
    pub rows: Vec<Line>,
    pub groups: Vec<Line>,
    pub total: Line,
    /// Columns whose printed rows do not add up to the printed subtotals or total.
    pub rounding_columns: Vec<usize>,
}

impl TableFigures {
    /// The table's total for a measure, if the table has that column.
    pub fn total_of(&self, table: &EconomyTable, measure: Measure) -> Option<Total> {
        table.column(measure).and_then(|c| self.total.get(c))
    }
}

/// Where a stated figure sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatedAt {
    Row(ItemId),
    Group(usize),
    Total,
    /// The table's total against another table's (`same_total_as`).
    OtherTable(ItemId),
}

/// A stated figure the rows do not give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub table: ItemId,
    pub at: StatedAt,
    pub measure: Measure,
    pub stated: Total,
    pub computed: Total,
    /// The gap is within what rounding the source's printed amounts can explain.
    pub rounding: bool,
}

/// The board's result at this follow-up: the result table's totals, and the explanations.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Headline {
    pub outcome_to_date: Option<Total>,
    pub budget_to_date: Option<Total>,
    pub deviation_to_date: Option<Total>,
    pub budget_full_year: Option<Total>,
    pub previous_forecast: Option<Total>,
    pub forecast: Option<Total>,
    pub forecast_deviation: Option<Total>,
    /// The sum of the explanations' amounts.
    pub explained: Total,
    /// The forecast's deviation the explanations do not account for.
    pub unexplained: Option<Total>,
}

/// All figures of one follow-up, made once per edit.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EconomyFigures {
    pub report: ItemId,
    pub tables: Vec<TableFigures>,
    pub differences: Vec<Difference>,
    pub headline: Headline,
}

impl EconomyFigures {
    pub fn table(&self, id: ItemId) -> Option<&TableFigures> {
        self.tables.iter().find(|t| t.table == id)
    }
}

/// A line's figure for `measure` from the entered amounts in `entered` (summed already):
/// entered measures as they are, computed ones as the difference of their inputs.
fn complete(table: &EconomyTable, entered: Vec<Option<Total>>, terms: Vec<u32>) -> Line {
    let mut values = entered;
    let mut terms = terms;
    for (column, measure) in table.columns.iter().enumerate() {
        let Some((a, b)) = measure.computed_from() else { continue };
        let (Some(ca), Some(cb)) = (table.column(a), table.column(b)) else { continue };
        if let (Some(x), Some(y)) = (values[ca], values[cb]) {
            values[column] = Some(x - y);
            terms[column] = terms[ca] + terms[cb];
        }
    }
    Line { values, terms }
}

/// The figures of one table.
pub fn table_figures(table: &EconomyTable, settings: &MoneySettings) -> TableFigures {
    let columns = table.columns.len();
    let entered = |amount: Option<i64>, column: usize| if table.columns[column].is_computed() { None } else { amount.map(Total::from) };
    let rows: Vec<Line> = table
        .rows()
        .map(|row| {
            let values: Vec<Option<Total>> = (0..columns).map(|c| entered(row.amount(c), c)).collect();
            let terms = values.iter().map(|v| u32::from(v.is_some())).collect();
            let mut line = complete(table, values, terms);
            // A computed column without its inputs shows what the source states.
            for (column, value) in line.values.iter_mut().enumerate() {
                if value.is_none() && table.columns[column].is_computed() {
                    *value = row.amount(column).map(Total::from);
                }
            }
            line
        })
        .collect();
    let sum_lines = |lines: &[&Line]| -> Line {
        let mut values = vec![None; columns];
        let mut terms = vec![0; columns];
        for line in lines {
            for column in (0..columns).filter(|&c| !table.columns[c].is_computed()) {
                if let Some(v) = line.values[column] {
                    values[column] = Some(values[column].unwrap_or(0) + v);
                    terms[column] += line.terms[column];
                }
            }
        }
        complete(table, values, terms)
    };
    let mut groups = Vec::with_capacity(table.groups.len());
    let mut at = 0;
    for group in &table.groups {
        let lines: Vec<&Line> = rows[at..at + group.rows.len()].iter().collect();
        groups.push(sum_lines(&lines));
        at += group.rows.len();
    }
    let total = sum_lines(&rows.iter().collect::<Vec<_>>());

    // Printed rows that do not add up to the printed total (per group with a subtotal, and
    // for the whole table).
    let shown = |v: Total| rounded(v, settings.unit, settings.decimals);
    let rounding_columns = (0..columns)
        .filter(|&column| {
            let adds_up = |lines: &[Line], sum: Option<Total>| {
                let Some(sum) = sum else { return true };
                let printed: Total = lines.iter().filter_map(|l| l.get(column)).map(shown).sum();
                printed == shown(sum)
            };
            let mut at = 0;
            let groups_ok = table.groups.iter().zip(&groups).all(|(group, line)| {
                let ok = group.total_label.is_empty() || adds_up(&rows[at..at + group.rows.len()], line.get(column));
                at += group.rows.len();
                ok
            });
            let subtotals: Vec<Line> = if table.groups.iter().all(|g| !g.total_label.is_empty()) && table.groups.len() > 1 {
                groups.clone()
            } else {
                rows.clone()
            };
            !(groups_ok && adds_up(&subtotals, total.get(column)))
        })
        .collect();
    TableFigures { table: table.id, rows, groups, total, rounding_columns }
}

/// Half the step the table prints in, in kronor: the most a printed amount is off.
fn half_step(table: &EconomyTable) -> Total {
    let step = (table.unit.factor() / 10i128.pow(u32::from(table.decimals.min(6)))).max(1);
    step / 2
}

fn compare(table: &EconomyTable, at: StatedAt, stated: &[Option<i64>], line: &Line, found: &mut Vec<Difference>) {
    for (column, stated) in stated.iter().enumerate() {
        let (Some(stated), Some(measure)) = (*stated, table.columns.get(column)) else { continue };
        // A row's entered amount is the figure itself; only computed ones are compared.
        if matches!(at, StatedAt::Row(_)) && !measure.is_computed() {
            continue;
        }
        let Some(computed) = line.get(column) else { continue };
        let stated = Total::from(stated);
        if computed != stated {
            // Each printed amount it rests on, and the stated figure itself, may be off by half a step.
            let tolerance = half_step(table) * Total::from(line.terms[column] + 1);
            found.push(Difference {
                table: table.id,
                at,
                measure: *measure,
                stated,
                computed,
                rounding: (computed - stated).abs() <= tolerance,
            });
        }
    }
}

/// Every figure of a follow-up, with its differences and headline.
pub fn figures(report: &EconomicFollowUp, plan_money: &MoneySettings) -> EconomyFigures {
    let tables: Vec<TableFigures> = report.tables.iter().map(|t| table_figures(t, &t.money(plan_money))).collect();
    let mut differences = Vec::new();
    for (table, figures) in report.tables.iter().zip(&tables) {
        for row in table.rows() {
            // The row's own computed values, not the stated fallback the table shows.
            let values: Vec<Option<Total>> = (0..table.columns.len())
                .map(|c| if table.columns[c].is_computed() { None } else { row.amount(c).map(Total::from) })
                .collect();
            let terms = values.iter().map(|v| u32::from(v.is_some())).collect();
            compare(table, StatedAt::Row(row.id), &row.amounts, &complete(table, values, terms), &mut differences);
        }
        for (index, (group, line)) in table.groups.iter().zip(&figures.groups).enumerate() {
            compare(table, StatedAt::Group(index), &group.stated_total, line, &mut differences);
        }
        compare(table, StatedAt::Total, &table.stated_total, &figures.total, &mut differences);
        if let Some(other_id) = table.same_total_as
            && let Some((other, other_figures)) = report.tables.iter().zip(&tables).find(|(t, _)| t.id == other_id)
        {
            for (column, measure) in table.columns.iter().enumerate().filter(|(_, m)| !m.is_computed()) {
                let (Some(mine), Some(theirs)) = (figures.total.get(column), other_figures.total_of(other, *measure)) else { continue };
                if mine != theirs {
                    let other_column = other.column(*measure).unwrap_or(0);
                    let tolerance = half_step(table) * Total::from(figures.total.terms[column])
                        + half_step(other) * Total::from(other_figures.total.terms[other_column]);
                    differences.push(Difference {
                        table: table.id,
                        at: StatedAt::OtherTable(other_id),
                        measure: *measure,
                        stated: theirs,
                        computed: mine,
                        rounding: (mine - theirs).abs() <= tolerance,
                    });
                }
            }
        }
    }
    let headline = headline(report, &tables);
    EconomyFigures { report: report.id, tables, differences, headline }
}

fn headline(report: &EconomicFollowUp, tables: &[TableFigures]) -> Headline {
    let explained: Total = report.explanations.iter().map(|e| Total::from(e.amount)).sum();
    let Some(table) = report.result_table() else { return Headline { explained, ..Headline::default() } };
    let Some(figures) = tables.iter().find(|f| f.table == table.id) else { return Headline::default() };
    let get = |m| figures.total_of(table, m).or_else(|| computed_total(table, figures, m));
    let forecast_deviation = get(Measure::ForecastDeviation);
    Headline {
        outcome_to_date: get(Measure::OutcomeToDate),
        budget_to_date: get(Measure::BudgetToDate),
        deviation_to_date: get(Measure::DeviationToDate),
        budget_full_year: get(Measure::BudgetFullYear),
        previous_forecast: get(Measure::PreviousForecast),
        forecast: get(Measure::Forecast),
        forecast_deviation,
        explained,
        unexplained: forecast_deviation.map(|d| d - explained),
    }
}

/// A computed measure the table has no column for, from the columns it has.
fn computed_total(table: &EconomyTable, figures: &TableFigures, measure: Measure) -> Option<Total> {
    let (a, b) = measure.computed_from()?;
    Some(figures.total_of(table, a)? - figures.total_of(table, b)?)
}

impl Difference {
    /// "Summa KOSTNADER, Avvikelse t.o.m. aug: i källan 11,3, raderna ger 11,4 mnkr
    /// (avrundning i källan)".
    pub fn describe(&self, report: &EconomicFollowUp, year: i32, plan_money: &MoneySettings, lang: Lang) -> String {
        let Some(table) = report.table(self.table) else { return String::new() };
        let settings = table.money(plan_money);
        let f = |v: Total| format_amount(v, &settings);
        let unit = settings.unit.label(lang);
        let place = match self.at {
            StatedAt::Row(id) => table.rows().find(|r| r.id == id).map(|r| r.name.clone()).unwrap_or_default(),
            StatedAt::Group(g) => table.groups.get(g).map(|g| g.total_label.clone()).unwrap_or_default(),
            StatedAt::Total | StatedAt::OtherTable(_) => table.total_label.clone(),
        };
        let column = self.measure.label(report, year, lang);
        let why = match (self.rounding, lang) {
            (true, Lang::Swedish) => " (avrundning i källan)",
            (true, Lang::English) => " (rounding in the source)",
            (false, _) => "",
        };
        match (self.at, lang) {
            (StatedAt::OtherTable(other), Lang::Swedish) => {
                let other = report.table(other).map(|t| t.title.clone()).unwrap_or_default();
                format!("{} – {place}, {column}: {} {unit}, men \"{other}\" ger {} {unit}{why}", table.title, f(self.computed), f(self.stated))
            }
            (StatedAt::OtherTable(other), Lang::English) => {
                let other = report.table(other).map(|t| t.title.clone()).unwrap_or_default();
                format!("{} – {place}, {column}: {} {unit}, but \"{other}\" gives {} {unit}{why}", table.title, f(self.computed), f(self.stated))
            }
            (_, Lang::Swedish) => {
                format!("{} – {place}, {column}: i källan {}, raderna ger {} {unit}{why}", table.title, f(self.stated), f(self.computed))
            }
            (_, Lang::English) => format!(
                "{} – {place}, {column}: the source states {}, the rows give {} {unit}{why}",
                table.title,
                f(self.stated),
                f(self.computed)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::money::MoneyUnit;
    use crate::economy::{EconomyGroup, EconomyRow, EconomyTableKind, Explanation};

    const M: i64 = 100_000; // 0,1 mnkr

    fn row(id: u32, name: &str, amounts: &[Option<i64>]) -> EconomyRow {
        EconomyRow { id: ItemId(id), name: name.into(), amounts: amounts.to_vec(), accounts: String::new() }
    }

    /// Seed 004's income statement, in tenths of mnkr.
    fn statement() -> EconomyTable {
        use Measure::*;
        let t = |v: i64| Some(v * M);
        EconomyTable {
            id: ItemId(1),
            kind: EconomyTableKind::Statement,
            title: "Resultaträkning".into(),
            unit: MoneyUnit::Mnkr,
            decimals: 1,
            columns: vec![OutcomeToDate, BudgetToDate, DeviationToDate, BudgetFullYear, Forecast, ForecastDeviation],
            groups: vec![
                EconomyGroup {
                    name: String::new(),
                    total_label: "Summa INTÄKTER".into(),
                    rows: vec![
                        row(2, "Kommunersättning", &[t(3077), t(3077), t(0), t(4615), t(4615), t(0)]),
                        row(3, "Övriga intäkter", &[t(446), t(287), t(159), t(430), t(430), t(0)]),
                    ],
                    stated_total: vec![t(3523), t(3364), t(159), None, t(5045), t(0)],
                },
                EconomyGroup {
                    name: String::new(),
                    total_label: "Summa KOSTNADER".into(),
                    rows: vec![
                        row(4, "Personalkostnader", &[t(-732), t(-780), t(48), t(-1215), t(-1155), t(60)]),
                        row(5, "Lokalkostnader", &[t(-45), t(-39), t(-6), t(-59), t(-59), t(0)]),
                        row(6, "Övriga kostnader", &[t(-2443), t(-2515), t(72), t(-3772), t(-3676), t(96)]),
                    ],
                    stated_total: vec![t(-3220), t(-3334), t(113), None, t(-4889), t(156)],
                },
            ],
            total_label: "ÅRETS RESULTAT".into(),
            stated_total: vec![t(302), t(30), t(272), None, t(156), t(156)],
            same_total_as: None,
        }
    }

    fn report() -> EconomicFollowUp {
        EconomicFollowUp {
            id: ItemId(10),
            period: ItemId(11),
            board: "KS".into(),
            through_month: 8,
            previous_forecast_month: Some(5),
            tables: vec![statement()],
            explanations: vec![
                Explanation { text: "Löner och kontorsdrift".into(), amount: 59 * M },
                Explanation { text: "Utvecklingsmedel".into(), amount: 20 * M },
            ],
            ..Default::default()
        }
    }

    #[test]
    fn sums_and_computed_columns_follow_the_rows() {
        let r = report();
        let f = figures(&r, &MoneySettings::default());
        let t = &f.tables[0];
        // Summa INTÄKTER: 307,7 + 44,6 = 352,3; the deviation 352,3 − 336,4 = 15,9.
        assert_eq!(t.groups[0].values, vec![Some(3523 * M as i128), Some(3364 * M as i128), Some(159 * M as i128), Some(5045 * M as i128), Some(5045 * M as i128), Some(0)]);
        // Result to date from the rounded rows: 352,3 − 322,0 = 30,3 (the seed prints 30,2).
        assert_eq!(t.total.get(0), Some(303 * M as i128));
        // The forecast deviation of the result from the rounded rows: forecast 504,5 − 489,0 =
        // 15,5 against a full-year budget of 504,5 − 504,6 = −0,1, so 15,6 in the board's favour.
        assert_eq!(f.headline.forecast, Some(155 * M as i128));
        assert_eq!(f.headline.budget_full_year, Some(-M as i128));
        assert_eq!(f.headline.forecast_deviation, Some(156 * M as i128));
        assert_eq!(f.headline.explained, 79 * M as i128);
        assert_eq!(f.headline.unexplained, Some(77 * M as i128));
        // The row's computed deviation: −73,2 − (−78,0) = 4,8.
        assert_eq!(t.rows[2].get(2), Some(48 * M as i128));
    }

    #[test]
    fn stated_figures_are_compared_and_rounding_gaps_told_apart() {
        let r = report();
        let f = figures(&r, &MoneySettings::default());
        let found: Vec<(StatedAt, Measure, bool)> = f.differences.iter().map(|d| (d.at, d.measure, d.rounding)).collect();
        // The seed's own printed figures: Summa KOSTNADER's deviation is stated 11,3, its rows
        // give 11,4; its forecast −488,9 against −489,0; the result to date 30,2 against 30,3,
        // its deviation 27,2 against 27,3 and the forecast 15,6 against 15,5. All rounding.
        assert_eq!(
            found,
            vec![
                (StatedAt::Group(1), Measure::DeviationToDate, true),
                (StatedAt::Group(1), Measure::Forecast, true),
                (StatedAt::Total, Measure::OutcomeToDate, true),
                (StatedAt::Total, Measure::DeviationToDate, true),
                (StatedAt::Total, Measure::Forecast, true),
            ]
        );
        let text = f.differences[0].describe(&r, 2022, &MoneySettings::default(), Lang::Swedish);
        assert_eq!(text, "Resultaträkning – Summa KOSTNADER, Avvikelse t.o.m. aug: i källan 11,3, raderna ger 11,4 mnkr (avrundning i källan)");

        // A real gap is not called rounding.
        let mut wrong = report();
        wrong.tables[0].stated_total[0] = Some(350 * M);
        let f = figures(&wrong, &MoneySettings::default());
        let gap = f.differences.iter().find(|d| d.at == StatedAt::Total && d.measure == Measure::OutcomeToDate).unwrap();
        assert!(!gap.rounding, "{gap:?}");
        // A row's stated deviation that its own amounts do not give.
        let mut row_wrong = report();
        row_wrong.tables[0].groups[1].rows[0].amounts[2] = Some(58 * M);
        let f = figures(&row_wrong, &MoneySettings::default());
        assert!(f.differences.iter().any(|d| d.at == StatedAt::Row(ItemId(4)) && !d.rounding));
    }

    #[test]
    fn printed_rows_that_do_not_add_up_are_flagged() {
        // 30 210 tkr shown in mnkr is 30,2, while its rows 352 250 and −322 040 tkr print as
        // 352,3 and −322,0, which would suggest 30,3: the footnote says the figures are rounded.
        let mut table = statement();
        table.groups = vec![EconomyGroup {
            rows: vec![row(2, "Intäkter", &[Some(352_250_000)]), row(3, "Kostnader", &[Some(-322_040_000)])],
            ..Default::default()
        }];
        table.columns = vec![Measure::OutcomeToDate];
        table.stated_total.clear();
        let settings = MoneySettings { unit: MoneyUnit::Mnkr, decimals: 1, costs_positive: false };
        let f = table_figures(&table, &settings);
        assert_eq!(f.total.get(0), Some(30_210_000));
        assert_eq!(format_amount(30_210_000, &settings), "30,2");
        assert_eq!(format_amount(352_250_000, &settings), "352,3");
        assert_eq!(format_amount(-322_040_000, &settings), "\u{2212}322,0");
        assert_eq!(f.rounding_columns, vec![0]);
        // Exact rows that print consistently are not flagged.
        table.groups[0].rows[1].amounts[0] = Some(-322_050_000);
        assert!(table_figures(&table, &settings).rounding_columns.is_empty());
    }

    #[test]
    fn a_table_must_equal_the_one_it_names() {
        let mut r = report();
        let departments = EconomyTable {
            id: ItemId(20),
            kind: EconomyTableKind::Operating,
            title: "Driftredovisning".into(),
            unit: MoneyUnit::Tkr,
            decimals: 0,
            columns: vec![Measure::OutcomeToDate, Measure::BudgetFullYear, Measure::Forecast],
            groups: vec![EconomyGroup {
                rows: vec![row(21, "HR", &[Some(30_210_000), Some(0), Some(15_615_000)])],
                ..Default::default()
            }],
            total_label: "Totalt".into(),
            ..Default::default()
        };
        r.tables.push(departments);
        r.tables[0].same_total_as = Some(ItemId(20));
        r.result_table = Some(ItemId(20));
        let f = figures(&r, &MoneySettings::default());
        let against: Vec<(Measure, Total, Total, bool)> = f
            .differences
            .iter()
            .filter(|d| matches!(d.at, StatedAt::OtherTable(_)))
            .map(|d| (d.measure, d.computed, d.stated, d.rounding))
            .collect();
        assert_eq!(
            against,
            vec![
                (Measure::OutcomeToDate, 30_300_000, 30_210_000, true),
                (Measure::BudgetFullYear, -100_000, 0, true),
                (Measure::Forecast, 15_500_000, 15_615_000, true)
            ]
        );
        // The headline comes from the department table, exact to the krona.
        assert_eq!(f.headline.outcome_to_date, Some(30_210_000));
        assert_eq!(f.headline.forecast_deviation, Some(15_615_000));
        assert_eq!(f.headline.unexplained, Some(15_615_000 - 7_900_000));
    }
}
