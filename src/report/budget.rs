//! `malplan budget`: a board's budget tables with computed sums, as text, CSV or JSON, with
//! every stated total that disagrees with its rows flagged.

use std::fmt::Write;

use serde::Serialize;

use crate::budget::money::format_amount;
use crate::budget::sums::{DifferenceAt, Total, difference_lines, figures};
use crate::budget::{Budget, MoneySettings};
use crate::i18n::Lang;
use crate::model::Plan;

/// The budgets to print: the one of `board`, or all.
pub fn selected<'a>(plan: &'a Plan, board: Option<&str>) -> Vec<&'a Budget> {
    plan.budgets.iter().filter(|b| board.is_none_or(|code| b.board.eq_ignore_ascii_case(code))).collect()
}

fn board_name(plan: &Plan, budget: &Budget) -> String {
    plan.boards.iter().find(|b| b.code == budget.board).map_or_else(|| budget.board.clone(), |b| format!("{} ({})", b.name, b.code))
}

fn cell(amount: Option<Total>, settings: &MoneySettings) -> String {
    amount.map(|a| format_amount(a, settings)).unwrap_or_default()
}

/// Right-aligned columns, widths from the content (counted in characters, not bytes).
fn push_line(out: &mut String, label: &str, label_width: usize, cells: &[String], width: usize) {
    let pad = label_width.saturating_sub(label.chars().count());
    let _ = write!(out, "{label}{}", " ".repeat(pad));
    for cell in cells {
        let _ = write!(out, "  {}{cell}", " ".repeat(width.saturating_sub(cell.chars().count())));
    }
    out.push('\n');
}

/// The tables as aligned text: for each budget its frame check, then each table with group
/// subtotals and its computed total, then the differences found.
pub fn table(plan: &Plan, budgets: &[&Budget]) -> String {
    let settings = plan.money;
    let lang = Lang::Swedish;
    let unit = settings.unit.label(lang);
    let mut out = String::new();
    for budget in budgets {
        let figures = figures(budget);
        let _ = writeln!(out, "{} – budget {}, {unit}", board_name(plan, budget), budget.year);
        if let Some(frame) = &budget.frame {
            let percent = crate::budget::sums::requirement_percent(budget)
                .map(|p| format!(" ({} %)", crate::followup::number::format_number(p, 1)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "Ram {} {unit}, effektiviseringskrav {} {unit}{percent}",
                format_amount(frame.amount.into(), &MoneySettings { costs_positive: false, ..settings }),
                format_amount(frame.efficiency_requirement.into(), &MoneySettings { costs_positive: false, ..settings }),
            );
        }
        if let Some(check) = &figures.frame {
            let _ = writeln!(out, "{}", check.describe(&settings, lang));
        }
        let headers: Vec<String> = budget.columns.iter().map(|c| c.label(lang)).collect();
        for (table, totals) in budget.tables.iter().zip(&figures.totals) {
            let label_width = table
                .rows()
                .map(|r| r.label().chars().count() + 2)
                .chain(table.groups.iter().map(|g| g.name.chars().count()))
                .chain([table.title.chars().count(), table.total_label.chars().count() + 12])
                .max()
                .unwrap_or(0);
            let width = headers.iter().map(|h| h.chars().count()).max().unwrap_or(0).max(12);
            out.push('\n');
            push_line(&mut out, &table.title, label_width, &headers, width);
            let grouped = table.is_grouped();
            for (index, group) in table.groups.iter().enumerate() {
                if grouped {
                    let _ = writeln!(out, "{}", group.name);
                }
                for row in &group.rows {
                    let cells: Vec<String> = (0..headers.len()).map(|c| cell(row.amount(c).map(Total::from), &settings)).collect();
                    push_line(&mut out, &format!("  {}", row.label()), label_width, &cells, width);
                }
                if grouped {
                    let cells: Vec<String> = totals.groups[index].iter().map(|a| cell(*a, &settings)).collect();
                    push_line(&mut out, &format!("  {}", table.total_label), label_width, &cells, width);
                }
            }
            let cells: Vec<String> = totals.total.iter().map(|a| cell(*a, &settings)).collect();
            push_line(&mut out, &table.total_label, label_width, &cells, width);
            for line in difference_lines(budget, table, &figures, &settings, lang) {
                let _ = writeln!(out, "  ! {line}");
            }
        }
        if !budget.contributions.is_empty() {
            let _ = writeln!(out, "\nSamverkan {}", budget.year);
            let plain = MoneySettings { costs_positive: false, ..settings };
            for c in &budget.contributions {
                let _ = writeln!(out, "  {}: {} {unit}", c.name, format_amount(c.amount.into(), &plain));
            }
            let _ = writeln!(out, "  Summa: {} {unit}", format_amount(figures.contributions, &plain));
        }
        out.push('\n');
    }
    out
}

/// One line per row and sum: budget;tabell;grupp;kod;namn;typ;<one column per budget column>,
/// amounts in the plan's unit without thousands separators. `typ` is `rad`, `delsumma`,
/// `summa`, or `angiven` for a total as the document states it.
pub fn csv(plan: &Plan, budgets: &[&Budget]) -> String {
    let settings = plan.money;
    let plain = |a: Option<Total>| a.map(|a| format_amount(a, &settings).replace(crate::budget::money::THOUSANDS, "").replace(crate::budget::money::MINUS, "-")).unwrap_or_default();
    let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(Vec::new());
    for budget in budgets {
        let figures = figures(budget);
        let mut header = vec!["Nämnd".to_owned(), "Tabell".into(), "Grupp".into(), "Kod".into(), "Namn".into(), "Typ".into()];
        header.extend(budget.columns.iter().map(|c| c.label(Lang::Swedish)));
        let _ = writer.write_record(&header);
        let n = budget.columns.len();
        for (table, totals) in budget.tables.iter().zip(&figures.totals) {
            let mut line = |group: &str, code: &str, name: &str, kind: &str, amounts: Vec<Option<Total>>| {
                let mut record = vec![budget.board.clone(), table.title.clone(), group.to_owned(), code.to_owned(), name.to_owned(), kind.to_owned()];
                record.extend(amounts.into_iter().map(plain));
                let _ = writer.write_record(&record);
            };
            for (index, group) in table.groups.iter().enumerate() {
                for row in &group.rows {
                    line(&group.name, &row.code, &row.name, "rad", (0..n).map(|c| row.amount(c).map(Total::from)).collect());
                }
                if table.is_grouped() {
                    line(&group.name, "", &table.total_label, "delsumma", totals.groups[index].clone());
                    if !group.stated_total.is_empty() {
                        line(&group.name, "", &table.total_label, "angiven", stated(&group.stated_total, n));
                    }
                }
            }
            line("", "", &table.total_label, "summa", totals.total.clone());
            if !table.stated_total.is_empty() {
                line("", "", &table.total_label, "angiven", stated(&table.stated_total, n));
            }
        }
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn stated(amounts: &[Option<i64>], columns: usize) -> Vec<Option<Total>> {
    (0..columns).map(|c| amounts.get(c).copied().flatten().map(Total::from)).collect()
}

#[derive(Serialize)]
struct JsonBudget<'a> {
    board: &'a str,
    year: i32,
    columns: Vec<String>,
    /// Kronor, exact.
    frame: Option<i64>,
    net_cost: Option<i128>,
    over_frame_by: Option<i128>,
    tables: Vec<JsonTable<'a>>,
}

#[derive(Serialize)]
struct JsonTable<'a> {
    title: &'a str,
    total: Vec<Option<i128>>,
    groups: Vec<Vec<Option<i128>>>,
    differences: Vec<JsonDifference>,
}

#[derive(Serialize)]
struct JsonDifference {
    place: String,
    column: String,
    stated: i128,
    computed: i128,
}

/// The budgets with computed totals and differences as JSON; amounts in whole kronor.
pub fn json(_plan: &Plan, budgets: &[&Budget]) -> String {
    let out: Vec<JsonBudget> = budgets
        .iter()
        .map(|budget| {
            let figures = figures(budget);
            let tables = budget
                .tables
                .iter()
                .zip(&figures.totals)
                .map(|(table, totals)| JsonTable {
                    title: &table.title,
                    total: totals.total.clone(),
                    groups: totals.groups.clone(),
                    differences: figures
                        .differences
                        .iter()
                        .filter(|d| d.table == table.id)
                        .map(|d| JsonDifference {
                            place: match d.at {
                                DifferenceAt::Total => "total".into(),
                                DifferenceAt::Group(g) => format!("group {}", table.groups[g].name),
                                DifferenceAt::OtherTable(other) => format!("table {}", budget.table(other).map_or("?", |t| t.title.as_str())),
                            },
                            column: budget.columns.get(d.column).map(|c| c.label(Lang::Swedish)).unwrap_or_default(),
                            stated: d.stated,
                            computed: d.computed,
                        })
                        .collect(),
                })
                .collect();
            JsonBudget {
                board: &budget.board,
                year: budget.year,
                columns: budget.columns.iter().map(|c| c.label(Lang::Swedish)).collect(),
                frame: budget.frame.as_ref().map(|f| f.amount),
                net_cost: figures.frame.map(|f| f.net_cost),
                over_frame_by: figures.frame.map(|f| f.over_by()),
                tables,
            }
        })
        .collect();
    serde_json::to_string_pretty(&out).unwrap_or_default()
}
