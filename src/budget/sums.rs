//! Everything computed from a budget: group and table totals per column, where a stated total
//! disagrees with its rows, whether the net cost fits the frame, and where printed (rounded)
//! rows do not add up to the printed total. Pure functions over the model, run once per edit.

use super::MoneySettings;
use super::money::{format_amount, rounded};
use super::{Budget, BudgetTable, Kronor};
use crate::i18n::Lang;
use crate::model::ItemId;

/// A computed sum. Wider than an amount: ten thousand rows of 10¹⁵ kr do not overflow it.
pub type Total = i128;

/// The computed totals of one table: per group (in order) and for the whole table, per column.
/// A column in which no row has an amount sums to `None` (an empty cell, not zero).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableTotals {
    pub table: ItemId,
    pub groups: Vec<Vec<Option<Total>>>,
    pub total: Vec<Option<Total>>,
}

/// Sums the rows of `table` over `columns` columns.
pub fn table_totals(table: &BudgetTable, columns: usize) -> TableTotals {
    let groups: Vec<Vec<Option<Total>>> = table
        .groups
        .iter()
        .map(|group| {
            let mut sums = vec![None; columns];
            for row in &group.rows {
                for (column, sum) in sums.iter_mut().enumerate() {
                    if let Some(amount) = row.amount(column) {
                        *sum = Some(sum.unwrap_or(0) + Total::from(amount));
                    }
                }
            }
            sums
        })
        .collect();
    let total = (0..columns)
        .map(|column| groups.iter().filter_map(|g| g[column]).reduce(|a, b| a + b))
        .collect();
    TableTotals { table: table.id, groups, total }
}

/// Where a difference was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DifferenceAt {
    /// The table's stated total.
    Total,
    /// A group's stated subtotal (index into the groups).
    Group(usize),
    /// The table's total against another table's (`same_total_as`).
    OtherTable(ItemId),
}

/// A stated figure that its rows (or the table it must equal) do not give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub table: ItemId,
    pub at: DifferenceAt,
    pub column: usize,
    /// What the document states (or the other table's computed total).
    pub stated: Total,
    /// What the rows give.
    pub computed: Total,
}

impl Difference {
    /// computed − stated.
    pub fn amount(&self) -> Total {
        self.computed - self.stated
    }

    /// "i dokumentet −114 522, raderna ger −114 521: skillnad 1 tkr".
    pub fn describe(&self, budget: &Budget, settings: &MoneySettings, lang: Lang) -> String {
        let f = |v: Total| format_amount(v, settings);
        let unit = settings.unit.label(lang);
        let difference = format_amount(self.amount().abs(), &MoneySettings { costs_positive: false, ..*settings });
        match &self.at {
            DifferenceAt::OtherTable(other) => {
                let other = budget.table(*other).map_or_else(|| other.to_string(), |t| t.title.clone());
                match lang {
                    Lang::Swedish => format!(
                        "summan {} {unit} är inte summan i \"{other}\", {} {unit}: skillnad {difference} {unit}",
                        f(self.computed),
                        f(self.stated)
                    ),
                    Lang::English => format!(
                        "the total {} {unit} is not the total of \"{other}\", {} {unit}: difference {difference} {unit}",
                        f(self.computed),
                        f(self.stated)
                    ),
                }
            }
            _ => match lang {
                Lang::Swedish => format!(
                    "i dokumentet {}, raderna ger {}: skillnad {difference} {unit}",
                    f(self.stated),
                    f(self.computed)
                ),
                Lang::English => format!(
                    "the document states {}, the rows give {}: difference {difference} {unit}",
                    f(self.stated),
                    f(self.computed)
                ),
            },
        }
    }
}

/// Every stated total that disagrees with its rows, and every table whose total is not that of
/// the table it must equal – in table order. Neither figure is changed.
pub fn differences(budget: &Budget, totals: &[TableTotals]) -> Vec<Difference> {
    let mut found = Vec::new();
    for (table, sums) in budget.tables.iter().zip(totals) {
        let mut compare = |at: DifferenceAt, stated: &[Option<Kronor>], computed: &[Option<Total>]| {
            for (column, stated) in stated.iter().enumerate() {
                let Some(stated) = *stated else { continue };
                // A stated figure over an empty column is a difference too (the rows give 0).
                let computed = computed.get(column).copied().flatten().unwrap_or(0);
                if computed != Total::from(stated) {
                    found.push(Difference { table: table.id, at: at.clone(), column, stated: stated.into(), computed });
                }
            }
        };
        for (index, group) in table.groups.iter().enumerate() {
            compare(DifferenceAt::Group(index), &group.stated_total, &sums.groups[index]);
        }
        compare(DifferenceAt::Total, &table.stated_total, &sums.total);
        if let Some(other) = table.same_total_as
            && let Some(other_sums) = totals.iter().find(|t| t.table == other)
        {
            for (column, (mine, theirs)) in sums.total.iter().zip(&other_sums.total).enumerate() {
                if let (Some(mine), Some(theirs)) = (mine, theirs)
                    && mine != theirs
                {
                    found.push(Difference {
                        table: table.id,
                        at: DifferenceAt::OtherTable(other),
                        column,
                        stated: *theirs,
                        computed: *mine,
                    });
                }
            }
        }
    }
    found
}

/// The budget year's net cost against the council's frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameCheck {
    /// The net cost, positive (the total of the table marked `against_frame`, costs negative,
    /// turned around).
    pub net_cost: Total,
    pub frame: Total,
}

impl FrameCheck {
    /// How far the net cost is over the frame (negative: room left).
    pub fn over_by(&self) -> Total {
        self.net_cost - self.frame
    }

    pub fn fits(&self) -> bool {
        self.over_by() <= 0
    }

    /// "Nettokostnad 116 013 tkr, ram 115 021 tkr: 992 tkr över ramen".
    pub fn describe(&self, settings: &MoneySettings, lang: Lang) -> String {
        // These figures are costs as positive numbers whatever the display convention.
        let plain = MoneySettings { costs_positive: false, ..*settings };
        let f = |v: Total| format_amount(v, &plain);
        let unit = settings.unit.label(lang);
        let (net, frame, by) = (f(self.net_cost), f(self.frame), f(self.over_by().abs()));
        match (lang, self.fits()) {
            (Lang::Swedish, true) => format!("Nettokostnad {net} {unit}, ram {frame} {unit}: {by} {unit} inom ramen"),
            (Lang::Swedish, false) => format!("Nettokostnad {net} {unit}, ram {frame} {unit}: {by} {unit} över ramen"),
            (Lang::English, true) => format!("Net cost {net} {unit}, frame {frame} {unit}: {by} {unit} within the frame"),
            (Lang::English, false) => format!("Net cost {net} {unit}, frame {frame} {unit}: {by} {unit} over the frame"),
        }
    }
}

/// The frame check, when the budget has a frame, a table marked `against_frame` and a column
/// *Budget* for the budget year with an amount in it.
pub fn frame_check(budget: &Budget, totals: &[TableTotals]) -> Option<FrameCheck> {
    let frame = budget.frame.as_ref()?;
    let column = budget.budget_year_column()?;
    let index = budget.tables.iter().position(|t| t.against_frame)?;
    let net = totals.get(index)?.total.get(column).copied().flatten()?;
    Some(FrameCheck { net_cost: -net, frame: frame.amount.into() })
}

/// The efficiency requirement as a share of the frame, in percent ("1,7 %").
pub fn requirement_percent(budget: &Budget) -> Option<f64> {
    let frame = budget.frame.as_ref()?;
    (frame.amount != 0).then(|| frame.efficiency_requirement as f64 * 100.0 / frame.amount as f64)
}

/// Columns in which the printed (rounded) rows do not add up to the printed (rounded) total,
/// for the report's footnote on rounding differences (*avrundningsdifferenser*).
pub fn rounding_columns(table: &BudgetTable, totals: &TableTotals, settings: &MoneySettings) -> Vec<usize> {
    let decimals = settings.decimals;
    (0..totals.total.len())
        .filter(|&column| {
            let Some(total) = totals.total[column] else { return false };
            let printed: i128 = table.rows().filter_map(|r| r.amount(column)).map(|a| rounded(a.into(), settings.unit, decimals)).sum();
            printed != rounded(total, settings.unit, decimals)
        })
        .collect()
}

/// "Summa Budget 2024: i dokumentet −114 522, raderna ger −114 521: skillnad 1 tkr".
pub fn difference_lines(budget: &Budget, table: &BudgetTable, figures: &BudgetFigures, settings: &MoneySettings, lang: Lang) -> Vec<String> {
    figures
        .differences
        .iter()
        .filter(|d| d.table == table.id)
        .map(|d| {
            let column = budget.columns.get(d.column).map(|c| c.label(lang)).unwrap_or_default();
            let place = match d.at {
                DifferenceAt::Group(g) => format!("{} {}", table.total_label, table.groups[g].name),
                _ => table.total_label.clone(),
            };
            format!("{place} {column}: {}", d.describe(budget, settings, lang))
        })
        .collect()
}

/// All of a budget's computed figures, made once per edit.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BudgetFigures {
    pub totals: Vec<TableTotals>,
    pub differences: Vec<Difference>,
    pub frame: Option<FrameCheck>,
    pub contributions: Total,
}

pub fn figures(budget: &Budget) -> BudgetFigures {
    let columns = budget.columns.len();
    let totals: Vec<TableTotals> = budget.tables.iter().map(|t| table_totals(t, columns)).collect();
    BudgetFigures {
        differences: differences(budget, &totals),
        frame: frame_check(budget, &totals),
        contributions: budget.contributions.iter().map(|c| Total::from(c.amount)).sum(),
        totals,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::{BudgetColumn, BudgetGroup, BudgetRow, ColumnKind, Frame, TableKind};

    fn row(id: u32, name: &str, amounts: &[Option<Kronor>]) -> BudgetRow {
        BudgetRow { id: ItemId(id), code: String::new(), name: name.into(), amounts: amounts.to_vec() }
    }

    fn budget(tables: Vec<BudgetTable>) -> Budget {
        Budget {
            id: ItemId(1),
            board: "KS".into(),
            year: 2025,
            columns: vec![BudgetColumn { kind: ColumnKind::Budget, year: 2024 }, BudgetColumn { kind: ColumnKind::Budget, year: 2025 }],
            frame: Some(Frame { amount: 100_000, efficiency_requirement: 1_700, measures: vec![] }),
            tables,
            ..Budget::default()
        }
    }

    fn table(id: u32, groups: Vec<BudgetGroup>, stated: &[Option<Kronor>]) -> BudgetTable {
        BudgetTable {
            id: ItemId(id),
            kind: TableKind::Operating,
            title: format!("tabell {id}"),
            total_label: "Summa".into(),
            groups,
            stated_total: stated.to_vec(),
            same_total_as: None,
            against_frame: false,
        }
    }

    #[test]
    fn empty_cells_are_not_zero_and_groups_sum_separately() {
        let t = table(
            10,
            vec![
                BudgetGroup { name: "A".into(), rows: vec![row(11, "a", &[Some(-5), None]), row(12, "b", &[Some(-7)])], stated_total: vec![] },
                BudgetGroup { name: "B".into(), rows: vec![row(13, "c", &[None, None])], stated_total: vec![] },
            ],
            &[],
        );
        let totals = table_totals(&t, 2);
        assert_eq!(totals.groups, vec![vec![Some(-12), None], vec![None, None]]);
        assert_eq!(totals.total, vec![Some(-12), None]);
    }

    #[test]
    fn stated_totals_that_disagree_are_reported_with_the_difference() {
        let mut t = table(
            10,
            vec![BudgetGroup {
                name: "Utvecklingsprojekt".into(),
                rows: vec![row(11, "Närlunda, ny idrottshall", &[Some(-550_000)]), row(12, "Fastighetsförvärv", &[Some(-2_000_000)])],
                stated_total: vec![Some(-2_000_000)],
            }],
            &[Some(-2_550_000), Some(5_000)],
        );
        t.against_frame = true;
        let b = budget(vec![t]);
        let figures = figures(&b);
        assert_eq!(figures.differences.len(), 2, "{:?}", figures.differences);
        let group = &figures.differences[0];
        assert_eq!((group.at.clone(), group.column, group.stated, group.computed), (DifferenceAt::Group(0), 0, -2_000_000, -2_550_000));
        assert_eq!(
            group.describe(&b, &MoneySettings::default(), Lang::Swedish),
            "i dokumentet \u{2212}2\u{202f}000, raderna ger \u{2212}2\u{202f}550: skillnad 550 tkr"
        );
        // The table total agrees in column 0; a figure stated over an empty column is one.
        let total = &figures.differences[1];
        assert_eq!((total.at.clone(), total.column, total.stated, total.computed), (DifferenceAt::Total, 1, 5_000, 0));
        assert_eq!(figures.frame, None, "no amount in the budget year's column");
    }

    #[test]
    fn the_frame_check_says_how_far_over_or_within() {
        let mut t = table(10, vec![BudgetGroup { name: String::new(), rows: vec![row(11, "x", &[None, Some(-116_013_000)])], stated_total: vec![] }], &[]);
        t.against_frame = true;
        let mut b = budget(vec![t]);
        b.frame = Some(Frame { amount: 115_021_000, efficiency_requirement: 1_907_000, measures: vec![] });
        let check = figures(&b).frame.unwrap();
        assert_eq!(check.over_by(), 992_000);
        assert!(!check.fits());
        assert_eq!(
            check.describe(&MoneySettings::default(), Lang::Swedish),
            "Nettokostnad 116\u{202f}013 tkr, ram 115\u{202f}021 tkr: 992 tkr över ramen"
        );
        assert_eq!(format!("{:.1}", requirement_percent(&b).unwrap()), "1.7");
    }

    #[test]
    fn rounded_rows_that_do_not_add_up_are_found() {
        // 3 × 400 kr: each prints as 0 tkr, the total 1 200 kr as 1 tkr.
        let t = table(10, vec![BudgetGroup { name: String::new(), rows: (0..3).map(|i| row(11 + i, "r", &[Some(400), Some(1_000)])).collect(), stated_total: vec![] }], &[]);
        let totals = table_totals(&t, 2);
        assert_eq!(rounding_columns(&t, &totals, &MoneySettings::default()), vec![0]);
    }
}
