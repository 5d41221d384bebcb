//! The budget as a spreadsheet: one line per budget row of every budget (or of one board's),
//! one column per budget column, amounts in the plan's unit as exact decimals. The same layout
//! is written to `.xlsx` (sheet *Budget*) and to CSV and read back from both (and from
//! `.xls`/`.ods` saved in it):
//!
//! | Id | Nämnd | Tabell | Grupp | Kod | Namn | Bokslut 2023 (tkr) | Budget 2024 (tkr) | … |
//! |---|---|---|---|---|---|---|---|---|
//! | 1102 | KS | Driftbudget per verksamhet (tkr) | | 10 | Nämnder/Styrelser | -3009 | -3195 | … |
//! | Summa | KS | Driftbudget per verksamhet (tkr) | | | Summa | -116011 | … | … |
//!
//! Sums are computed, never typed: each table ends with a *Summa* line (a `SUM` formula in
//! `.xlsx`) that the import ignores. On import a line is matched by *Id* (the budget row's id;
//! when *Nämnd* or *Namn* is filled it must agree with the plan), an amount column by its label
//! ("Budget 2025", with or without a unit in parentheses, which decides how the amount is read),
//! and each amount is parsed exactly ([`parse_amount`]). An empty cell empties the amount. Rows
//! and columns are never added or removed: what does not match is listed as skipped with the
//! reason, never guessed.
//!
//! Reading goes through the indicator sheet's readers ([`super::sheet::read_file`] and friends:
//! size limits, the zip-bomb check, CSV dialects); [`is_budget_sheet`] tells the two layouts
//! apart by the header.

use std::collections::{HashMap, HashSet};

use rust_xlsxwriter::{Format, FormatAlign, Formula, Workbook};

use super::ImportPreview;
use super::sheet::{Cell, RawSheet, SheetError};
use crate::budget::edit::BudgetEdit;
use crate::budget::money::{AmountError, MoneyUnit, format_amount, parse_amount};
use crate::budget::sums::{Total, table_totals};
use crate::budget::{Budget, BudgetColumn, BudgetRow, BudgetTable, ColumnKind, Kronor, MoneySettings};
use crate::edit::Edit;
use crate::followup::number::MAGNITUDE_LIMIT;
use crate::i18n::Lang;
use crate::model::{ItemId, Plan};

/// The fixed columns before the amount columns.
pub const FIXED_HEADERS: [&str; 6] = ["Id", "Nämnd", "Tabell", "Grupp", "Kod", "Namn"];

/// The *Id* of a table's computed sum line: the import skips such lines.
pub const SUM_MARK: &str = "Summa";

/// Added to the unit in an amount column's header when the sheet shows costs as positive
/// numbers: "Budget 2025 (tkr, kostnader positiva)".
pub const COSTS_POSITIVE_MARK: &str = "kostnader positiva";

/// A budget column and which of the equal columns of one budget it is (0 for the first; a
/// budget with two "Budget 2025" columns is unusual, but each keeps its own sheet column).
type ColumnKey = (ColumnKind, i32, usize);

fn column_keys(budget: &Budget) -> Vec<ColumnKey> {
    let mut seen: HashMap<(ColumnKind, i32), usize> = HashMap::new();
    budget
        .columns
        .iter()
        .map(|c| {
            let n = seen.entry((c.kind, c.year)).or_default();
            *n += 1;
            (c.kind, c.year, *n - 1)
        })
        .collect()
}

/// The amount columns of the sheet: every column of the budgets, in the order they first
/// appear (one budget: its own order).
fn sheet_columns(budgets: &[&Budget]) -> Vec<ColumnKey> {
    let mut keys: Vec<ColumnKey> = Vec::new();
    for budget in budgets {
        for key in column_keys(budget) {
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    keys
}

/// "Budget 2025 (tkr)", "Budget 2025 (tkr, kostnader positiva)".
pub fn column_header(kind: ColumnKind, year: i32, settings: &MoneySettings) -> String {
    let label = BudgetColumn { kind, year }.label(Lang::Swedish);
    let unit = settings.unit.label(Lang::Swedish);
    if settings.costs_positive { format!("{label} ({unit}, {COSTS_POSITIVE_MARK})") } else { format!("{label} ({unit})") }
}

/// The smallest number of decimals (from `at_least`) that shows `kronor` in `unit` exactly.
fn exact_decimals(kronor: i128, unit: MoneyUnit, at_least: u8) -> u8 {
    let most = (unit.factor().to_string().len() - 1) as u8;
    (at_least.min(most)..=most)
        .find(|&d| kronor % (unit.factor() / 10i128.pow(u32::from(d))) == 0)
        .unwrap_or(most)
}

/// An amount in `settings`' unit and sign convention, every krona kept, no thousands
/// separators, decimal comma and a hyphen-minus (what Swedish Excel reads as a number):
/// `-3_195_500` kr in tkr → "-3195,5".
pub fn plain_amount(kronor: i128, settings: &MoneySettings) -> String {
    let shown = if settings.costs_positive { -kronor } else { kronor };
    let factor = settings.unit.factor();
    let (whole, fraction) = (shown.abs() / factor, shown.abs() % factor);
    let sign = if shown < 0 { "-" } else { "" };
    if fraction == 0 {
        return format!("{sign}{whole}");
    }
    let width = factor.to_string().len() - 1;
    let digits = format!("{fraction:0width$}");
    format!("{sign}{whole},{}", digits.trim_end_matches('0'))
}

/// An amount for reading (previews, the command line): the plan's unit and sign convention,
/// grouped thousands, and as many decimals as it takes to show every krona ("−3 195,5").
pub fn shown_amount(kronor: Option<Kronor>, settings: &MoneySettings) -> String {
    match kronor {
        None => "–".to_owned(),
        Some(kronor) => {
            let decimals = exact_decimals(i128::from(kronor), settings.unit, settings.decimals);
            format_amount(i128::from(kronor), &MoneySettings { decimals, ..*settings })
        }
    }
}

/// One line of the sheet.
struct Line<'a> {
    id: String,
    budget: &'a Budget,
    table: &'a BudgetTable,
    group: &'a str,
    code: &'a str,
    name: &'a str,
    /// Per sheet column.
    amounts: Vec<Option<Total>>,
    /// The table's computed sum line.
    sum: bool,
}

impl Line<'_> {
    fn texts(&self) -> [String; 6] {
        [self.id.clone(), self.budget.board.clone(), self.table.title.clone(), self.group.to_owned(), self.code.to_owned(), self.name.to_owned()]
    }
}

fn lines<'a>(budgets: &[&'a Budget], columns: &[ColumnKey]) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    for budget in budgets {
        let keys = column_keys(budget);
        // The budget's column for each sheet column.
        let at: Vec<Option<usize>> = columns.iter().map(|key| keys.iter().position(|k| k == key)).collect();
        let pick = |amounts: &dyn Fn(usize) -> Option<Total>| -> Vec<Option<Total>> {
            at.iter().map(|column| column.and_then(amounts)).collect()
        };
        for table in &budget.tables {
            for group in &table.groups {
                for row in &group.rows {
                    lines.push(Line {
                        id: row.id.0.to_string(),
                        budget,
                        table,
                        group: &group.name,
                        code: &row.code,
                        name: &row.name,
                        amounts: pick(&|c| row.amount(c).map(Total::from)),
                        sum: false,
                    });
                }
            }
            let totals = table_totals(table, budget.columns.len());
            lines.push(Line {
                id: SUM_MARK.to_owned(),
                budget,
                table,
                group: "",
                code: "",
                name: &table.total_label,
                amounts: pick(&|c| totals.total[c]),
                sum: true,
            });
        }
    }
    lines
}

fn header(plan: &Plan, columns: &[ColumnKey]) -> Vec<String> {
    FIXED_HEADERS
        .iter()
        .map(|h| (*h).to_owned())
        .chain(columns.iter().map(|&(kind, year, _)| column_header(kind, year, &plan.money)))
        .collect()
}

/// The budgets to export: every budget, or those of the board with code `board`.
pub fn selected<'a>(plan: &'a Plan, board: Option<&str>) -> Vec<&'a Budget> {
    crate::report::budget::selected(plan, board)
}

/// The budget sheet as CSV for Swedish Excel: `;`-separated, decimal comma, UTF-8 with a
/// byte-order mark, CRLF line ends; texts a spreadsheet would run as formulas get a leading
/// apostrophe (as in the indicator sheet).
pub fn to_csv(plan: &Plan, board: Option<&str>) -> String {
    let budgets = selected(plan, board);
    let columns = sheet_columns(&budgets);
    let mut writer = csv::WriterBuilder::new().delimiter(b';').terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let _ = writer.write_record(header(plan, &columns));
    for line in lines(&budgets, &columns) {
        let record: Vec<String> = line
            .texts()
            .iter()
            .map(|text| neutralise_formula(text))
            .chain(line.amounts.iter().map(|a| a.map(|a| plain_amount(a, &plan.money)).unwrap_or_default()))
            .collect();
        let _ = writer.write_record(&record);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    format!("\u{feff}{}", String::from_utf8(bytes).unwrap_or_default())
}

/// The letters of a spreadsheet column (0 → "A", 26 → "AA").
pub fn column_letters(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// The budget sheet as an `.xlsx` workbook (one sheet, "Budget"). Amounts are numbers in the
/// plan's unit (exact to the krona: -3195,5 tkr is the number -3195.5), shown with the plan's
/// decimals or as many as a value needs to be exact; each table's sum line is a `SUM` formula.
pub fn to_xlsx(plan: &Plan, board: Option<&str>) -> Result<Vec<u8>, SheetError> {
    let write_error = |e: rust_xlsxwriter::XlsxError| SheetError::Write(e.to_string());
    let budgets = selected(plan, board);
    let columns = sheet_columns(&budgets);
    let settings = plan.money;
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Budget").map_err(write_error)?;
    let bold = Format::new().set_bold();
    let amount_header = Format::new().set_bold().set_align(FormatAlign::Right);
    let first_amount_col = FIXED_HEADERS.len() as u16;
    for (col, text) in header(plan, &columns).iter().enumerate() {
        let format = if col < FIXED_HEADERS.len() { &bold } else { &amount_header };
        sheet.write_string_with_format(0, col as u16, text, format).map_err(write_error)?;
    }
    // Number formats by decimals, plain and bold (sum lines).
    let number_format = |decimals: u8, strong: bool| {
        let fraction = if decimals > 0 { format!(".{}", "0".repeat(usize::from(decimals))) } else { String::new() };
        let format = Format::new().set_num_format(format!("#,##0{fraction}"));
        if strong { format.set_bold() } else { format }
    };
    let mut formats: HashMap<(u8, bool), Format> = HashMap::new();
    let all = lines(&budgets, &columns);
    // The first sheet row of the current table's rows, for its sum formula.
    let mut table_start = 1u32;
    for (i, line) in all.iter().enumerate() {
        let excel_row = i as u32 + 1;
        if line.sum {
            for (col, text) in line.texts().iter().enumerate() {
                if !text.is_empty() {
                    sheet.write_string_with_format(excel_row, col as u16, text, &bold).map_err(write_error)?;
                }
            }
        } else {
            sheet.write_number(excel_row, 0, f64::from(line.id.parse::<u32>().unwrap_or_default())).map_err(write_error)?;
            for (col, text) in line.texts().iter().enumerate().skip(1) {
                if !text.is_empty() {
                    write_text(sheet, excel_row, col as u16, text).map_err(write_error)?;
                }
            }
        }
        for (c, amount) in line.amounts.iter().enumerate() {
            let Some(amount) = *amount else { continue };
            let col = first_amount_col + c as u16;
            let decimals = exact_decimals(amount, settings.unit, settings.decimals);
            let format = formats.entry((decimals, line.sum)).or_insert_with(|| number_format(decimals, line.sum));
            let shown = if settings.costs_positive { -amount } else { amount };
            let value = shown as f64 / settings.unit.factor() as f64;
            if line.sum && table_start < excel_row {
                let letters = column_letters(usize::from(col));
                let formula = Formula::new(format!("SUM({letters}{}:{letters}{})", table_start + 1, excel_row)).set_result(value.to_string());
                sheet.write_formula_with_format(excel_row, col, formula, format).map_err(write_error)?;
            } else {
                sheet.write_number_with_format(excel_row, col, value, format).map_err(write_error)?;
            }
        }
        if line.sum {
            table_start = excel_row + 1;
        }
    }
    for (col, width) in [7.0, 8.0, 34.0, 26.0, 7.0, 36.0].into_iter().enumerate() {
        sheet.set_column_width(col as u16, width).map_err(write_error)?;
    }
    for c in 0..columns.len() {
        sheet.set_column_width(first_amount_col + c as u16, 20.0).map_err(write_error)?;
    }
    sheet.set_freeze_panes(1, first_amount_col).map_err(write_error)?;
    sheet.set_paper_size(9).set_landscape().set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 0).map_err(write_error)?;
    workbook.save_to_buffer().map_err(write_error)
}

/// Writes the budget sheet to `path` as `.xlsx`, or as CSV when the name ends in `.csv`;
/// atomically, like a plan. The error is a message for the planner.
pub fn write(plan: &Plan, board: Option<&str>, path: &std::path::Path) -> Result<(), String> {
    write_by_extension(path, || to_csv(plan, board), || to_xlsx(plan, board))
}

/// Writes CSV when `path` ends in `.csv`, else the workbook; atomically, like a plan.
pub(crate) fn write_by_extension(
    path: &std::path::Path,
    csv: impl FnOnce() -> String,
    xlsx: impl FnOnce() -> Result<Vec<u8>, SheetError>,
) -> Result<(), String> {
    let is_csv = path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let bytes = if is_csv { csv().into_bytes() } else { xlsx().map_err(|e| e.to_string())? };
    crate::storage::write_atomically(path, &bytes).map_err(|e| e.to_string())
}

// Texts are written as the indicator sheet writes them (formula characters neutralised, rich
// string traps avoided), so that `sheet::read_csv`/`read_workbook` undo exactly that.
use super::sheet::{neutralise_formula, write_text};

// ---------------------------------------------------------------------------------------------
// Import

pub(crate) fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Number(n) => n.to_string(),
        Cell::Text(t) => t.trim().to_owned(),
    }
}

/// The header: the first line with anything in it.
pub(crate) fn header_line(sheet: &RawSheet) -> Option<(usize, &Vec<Cell>)> {
    sheet.rows.iter().enumerate().find(|(_, (_, cells))| cells.iter().any(|c| *c != Cell::Empty)).map(|(i, (_, cells))| (i, cells))
}

/// Whether the sheet is in the budget layout: its header has *Id*, *Nämnd* and *Tabell*.
pub fn is_budget_sheet(sheet: &RawSheet) -> bool {
    let Some((_, header)) = header_line(sheet) else { return false };
    let has = |wanted: &str| header.iter().any(|c| cell_text(c).eq_ignore_ascii_case(wanted));
    has("Id") && has("Nämnd") && has("Tabell")
}

/// How an amount column of the sheet is read.
#[derive(Debug, Clone, PartialEq)]
struct AmountColumn {
    /// The sheet column.
    at: usize,
    key: ColumnKey,
    /// The header as written.
    header: String,
    settings: MoneySettings,
}

/// Reads an amount column's header: "Budget 2025", "Budget 2025 (tkr)", "Plan 2026 (mnkr,
/// kostnader positiva)" (English labels too: "Actual 2023 (kSEK)"). `None` for a header that
/// is no amount column; an error for a unit that is not understood.
fn parse_column_header(text: &str, plan: &MoneySettings) -> Option<Result<(ColumnKind, i32, MoneySettings), String>> {
    let text = text.trim();
    let (label, inside) = match text.strip_suffix(')').and_then(|t| t.rsplit_once('(')) {
        Some((label, inside)) => (label.trim(), Some(inside)),
        None => (text, None),
    };
    let (word, year) = label.rsplit_once(char::is_whitespace)?;
    let year: i32 = year.trim().parse().ok().filter(|y| (1900..=2200).contains(y))?;
    let word = word.trim();
    let kind = [ColumnKind::Actual, ColumnKind::Budget, ColumnKind::Plan]
        .into_iter()
        .find(|k| [Lang::Swedish, Lang::English].into_iter().any(|lang| k.label(lang).eq_ignore_ascii_case(word)))?;
    let Some(inside) = inside else { return Some(Ok((kind, year, *plan))) };
    let mut parts = inside.split(',').map(str::trim);
    let unit_text = parts.next().unwrap_or("");
    let unit = [MoneyUnit::Kr, MoneyUnit::Tkr, MoneyUnit::Mnkr]
        .into_iter()
        .find(|u| [Lang::Swedish, Lang::English].into_iter().any(|lang| u.label(lang).eq_ignore_ascii_case(unit_text)));
    let Some(unit) = unit else {
        return Some(Err(format!("kolumnen \"{text}\" har en okänd enhet \"{unit_text}\" (kr, tkr eller mnkr)")));
    };
    let mut costs_positive = false;
    for part in parts {
        if part.eq_ignore_ascii_case(COSTS_POSITIVE_MARK) || part.eq_ignore_ascii_case("costs positive") {
            costs_positive = true;
        } else {
            return Some(Err(format!("kolumnen \"{text}\": \"{part}\" förstås inte (bara \"{COSTS_POSITIVE_MARK}\" kan stå efter enheten)")));
        }
    }
    Some(Ok((kind, year, MoneySettings { unit, costs_positive, decimals: plan.decimals })))
}

/// One amount the import would set.
#[derive(Debug, Clone, PartialEq)]
pub struct AmountChange {
    pub budget: ItemId,
    pub row: ItemId,
    pub column: BudgetColumn,
    /// Which of the budget's columns with this label (0 for the first).
    pub occurrence: usize,
    /// The column's index in the budget as previewed.
    pub index: usize,
    pub old: Option<Kronor>,
    /// `None` empties the cell.
    pub new: Option<Kronor>,
}

/// Where a skipped entry stood: a line of the sheet, or one cell of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellPlace {
    pub line: usize,
    /// The sheet column (from 0) and its header.
    pub column: Option<(usize, String)>,
}

impl CellPlace {
    /// "rad 7", "rad 7, kolumn H \"Budget 2025 (tkr)\"".
    pub fn text_in(&self, lang: Lang) -> String {
        match &self.column {
            None => format!("{} {}", lang.t("rad", "row"), self.line),
            Some((at, header)) => {
                format!("{} {}, {} {} \"{header}\"", lang.t("rad", "row"), self.line, lang.t("kolumn", "column"), column_letters(*at))
            }
        }
    }
}

/// Why a line or a cell of the budget sheet is not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BudgetSkipReason {
    /// The Id cell is empty (a line typed in the sheet: the import adds no rows).
    NoId,
    /// The Id cell holds no id.
    NotAnId { text: String },
    /// No budget row of the plan has the id.
    NoBudgetRow { id: u32 },
    /// The row belongs to another board's budget than the *Nämnd* cell says.
    OtherBoard { id: u32, plan_board: String, sheet_board: String },
    /// The row has another name in the plan than the *Namn* cell says.
    OtherRowName { id: u32, plan_name: String, sheet_name: String },
    /// The row's budget has no column of the header's label (the import adds no columns).
    NoSuchColumn { board: String, column: String },
    /// The amount cannot be read (not a number, a fraction of a krona, too large …).
    Amount(AmountError),
    /// A number cell that is NaN or infinite.
    NotFinite,
}

impl BudgetSkipReason {
    pub fn text_in(&self, lang: Lang) -> String {
        let sv = lang == Lang::Swedish;
        match self {
            BudgetSkipReason::NoId => lang
                .t("raden har inget id (en import ändrar befintliga budgetrader, den lägger inte till nya)", "the row has no id (an import changes existing budget rows, it adds none)")
                .to_owned(),
            BudgetSkipReason::NotAnId { text } => {
                if sv {
                    format!("\"{text}\" i kolumnen Id är inget id")
                } else {
                    format!("\"{text}\" in the Id column is not an id")
                }
            }
            BudgetSkipReason::NoBudgetRow { id } => {
                if sv {
                    format!("ingen budgetrad har id {id}")
                } else {
                    format!("no budget row has id {id}")
                }
            }
            BudgetSkipReason::OtherBoard { id, plan_board, sheet_board } => {
                if sv {
                    format!("id {id} är en rad i budgeten för {plan_board} i planen, inte {sheet_board}")
                } else {
                    format!("id {id} is a row of the budget of {plan_board} in the plan, not {sheet_board}")
                }
            }
            BudgetSkipReason::OtherRowName { id, plan_name, sheet_name } => {
                if sv {
                    format!("id {id} är \"{plan_name}\" i planen, inte \"{sheet_name}\"")
                } else {
                    format!("id {id} is \"{plan_name}\" in the plan, not \"{sheet_name}\"")
                }
            }
            BudgetSkipReason::NoSuchColumn { board, column } => {
                if sv {
                    format!("budgeten för {board} har ingen kolumn \"{column}\" (en import lägger inte till kolumner)")
                } else {
                    format!("the budget of {board} has no column \"{column}\" (an import adds no columns)")
                }
            }
            BudgetSkipReason::Amount(error) => match (lang, error) {
                (Lang::Swedish, _) => error.to_string(),
                (Lang::English, AmountError::Number(number)) => number.message_in(lang),
                (Lang::English, AmountError::FractionOfKrona { text, unit, max }) => {
                    format!("\"{text}\" is not whole kronor ({unit} with at most {max} decimals)")
                }
                (Lang::English, AmountError::Percent(text)) => format!("\"{text}\": an amount has no percent sign"),
            },
            BudgetSkipReason::NotFinite => lang.t("värdet är inget ändligt tal", "the value is not a finite number").to_owned(),
        }
    }
}

/// A line or cell of the sheet that is not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetSkipped {
    /// `place` in Swedish: "rad 7, kolumn H \"Budget 2025 (tkr)\"".
    pub what: String,
    /// `cause` in Swedish.
    pub reason: String,
    pub place: CellPlace,
    pub cause: BudgetSkipReason,
}

impl BudgetSkipped {
    pub fn new(place: CellPlace, cause: BudgetSkipReason) -> BudgetSkipped {
        BudgetSkipped { what: place.text_in(Lang::Swedish), reason: cause.text_in(Lang::Swedish), place, cause }
    }

    pub fn what_in(&self, lang: Lang) -> String {
        self.place.text_in(lang)
    }

    pub fn reason_in(&self, lang: Lang) -> String {
        self.cause.text_in(lang)
    }
}

/// What importing a budget sheet would do; nothing has changed yet.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BudgetPreview {
    /// Amounts that differ from the plan's, in sheet order.
    pub changes: Vec<AmountChange>,
    /// Amounts in the sheet equal to the plan's (cells empty in both are not counted).
    pub unchanged: usize,
    pub skipped: Vec<BudgetSkipped>,
    /// Sum lines read and ignored (sums are computed).
    pub sum_lines: usize,
}

/// A budget row found by id: the budget (index in the plan), its table and the row.
struct Found<'a> {
    budget: &'a Budget,
    table: &'a BudgetTable,
    row: &'a BudgetRow,
}

fn rows_by_id(plan: &Plan) -> HashMap<ItemId, Found<'_>> {
    let mut found = HashMap::new();
    for budget in &plan.budgets {
        for table in &budget.tables {
            for row in table.rows() {
                found.entry(row.id).or_insert(Found { budget, table, row });
            }
        }
    }
    found
}

impl BudgetPreview {
    /// Amounts filled where the plan's cell is empty.
    pub fn added(&self) -> usize {
        self.changes.iter().filter(|c| c.old.is_none()).count()
    }

    /// Amounts the sheet empties.
    pub fn emptied(&self) -> usize {
        self.changes.iter().filter(|c| c.new.is_none()).count()
    }

    pub fn changed(&self) -> usize {
        self.changes.len() - self.added() - self.emptied()
    }

    pub fn summary(&self) -> String {
        self.summary_in(Lang::Swedish)
    }

    /// "1 nya belopp, 2 ändrade, 1 tömda, 340 oförändrade, 2 hoppas över".
    pub fn summary_in(&self, lang: Lang) -> String {
        let (added, changed, emptied, unchanged, skipped) = (self.added(), self.changed(), self.emptied(), self.unchanged, self.skipped.len());
        match lang {
            Lang::Swedish => format!("{added} nya belopp, {changed} ändrade, {emptied} tömda, {unchanged} oförändrade, {skipped} hoppas över"),
            Lang::English => {
                let amounts = if added == 1 { "amount" } else { "amounts" };
                format!("{added} new {amounts}, {changed} changed, {emptied} emptied, {unchanged} unchanged, {skipped} skipped")
            }
        }
    }

    /// The import as one edit: a [`BudgetEdit::Cell`] per change in one [`Edit::Batch`] (one
    /// undo step), or `None` when it would change nothing. Made against `plan` as it is now:
    /// a column is found again by its label, a row or column gone since is left out.
    pub fn to_edit(&self, plan: &Plan) -> Option<Edit> {
        let mut budgets: HashMap<ItemId, (Vec<ColumnKey>, HashSet<ItemId>)> = HashMap::new();
        let mut edits = Vec::new();
        for change in &self.changes {
            let (keys, rows) = match budgets.entry(change.budget) {
                std::collections::hash_map::Entry::Occupied(entry) => entry.into_mut(),
                std::collections::hash_map::Entry::Vacant(entry) => {
                    let Some(budget) = plan.budgets.iter().find(|b| b.id == change.budget) else { continue };
                    let rows = budget.tables.iter().flat_map(|t| t.rows().map(|r| r.id)).collect();
                    entry.insert((column_keys(budget), rows))
                }
            };
            let key = (change.column.kind, change.column.year, change.occurrence);
            let Some(column) = keys.iter().position(|k| *k == key) else { continue };
            if !rows.contains(&change.row) {
                continue;
            }
            edits.push(Edit::Budget { budget: change.budget, edit: BudgetEdit::Cell { row: change.row, column, value: change.new } });
        }
        (!edits.is_empty()).then_some(Edit::Batch(edits))
    }

    /// The changes as table rows: row ("10 Nämnder/Styrelser"), table, column ("Budget 2025
    /// (tkr)"), before, after – amounts in the plan's unit and sign convention, exact.
    pub fn rows_in(&self, plan: &Plan, lang: Lang) -> Vec<[String; 5]> {
        let found = rows_by_id(plan);
        let several = plan.budgets.len() > 1;
        self.changes
            .iter()
            .map(|change| {
                let (row, table) = match found.get(&change.row) {
                    Some(f) if several => (f.row.label(), format!("{} · {}", f.budget.board, f.table.title)),
                    Some(f) => (f.row.label(), f.table.title.clone()),
                    None => (format!("id {}", change.row.0), "?".to_owned()),
                };
                let column = format!("{} ({})", change.column.label(lang), plan.money.unit.label(lang));
                [row, table, column, shown_amount(change.old, &plan.money), shown_amount(change.new, &plan.money)]
            })
            .collect()
    }

    /// Every change as one line: "Driftbudget per verksamhet (tkr) · 10 Nämnder/Styrelser ·
    /// Budget 2025 (tkr): −3 195 → −3 200".
    pub fn describe_all_in(&self, plan: &Plan, lang: Lang) -> Vec<String> {
        self.rows_in(plan, lang).into_iter().map(|[row, table, column, old, new]| format!("{table} · {row} · {column}: {old} → {new}")).collect()
    }
}

/// Collects proposals; the same cell proposed twice keeps the later.
#[derive(Default)]
struct Builder {
    proposals: Vec<AmountChange>,
    index: HashMap<(ItemId, usize), usize>,
    skipped: Vec<BudgetSkipped>,
    sum_lines: usize,
}

impl Builder {
    fn propose(&mut self, change: AmountChange) {
        match self.index.get(&(change.row, change.index)) {
            Some(&at) => self.proposals[at] = change,
            None => {
                self.index.insert((change.row, change.index), self.proposals.len());
                self.proposals.push(change);
            }
        }
    }

    fn skip(&mut self, place: CellPlace, cause: BudgetSkipReason) {
        self.skipped.push(BudgetSkipped::new(place, cause));
    }

    fn finish(self) -> BudgetPreview {
        let mut preview = BudgetPreview { skipped: self.skipped, sum_lines: self.sum_lines, ..BudgetPreview::default() };
        for change in self.proposals {
            if change.old == change.new {
                if change.new.is_some() {
                    preview.unchanged += 1;
                }
            } else {
                preview.changes.push(change);
            }
        }
        preview
    }
}

/// An amount cell read exactly in `settings`' unit and sign convention. A number cell is read
/// by its shortest decimal form (-3195.5 → "-3195,5", exact); one a spreadsheet's arithmetic
/// left a few units of the last place off whole kronor (3514.5000000000005) is taken as the
/// krona it is.
fn read_amount(cell: &Cell, settings: &MoneySettings) -> Result<Option<Kronor>, BudgetSkipReason> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Text(text) => parse_amount(text, settings).map_err(BudgetSkipReason::Amount),
        Cell::Number(n) if !n.is_finite() => Err(BudgetSkipReason::NotFinite),
        Cell::Number(n) => {
            let text = n.to_string().replace('.', ",");
            match parse_amount(&text, settings) {
                Err(AmountError::FractionOfKrona { .. }) => {
                    let kronor = n * settings.unit.factor() as f64;
                    let whole = kronor.round();
                    if (kronor - whole).abs() <= kronor.abs() * 8.0 * f64::EPSILON && whole.abs() <= MAGNITUDE_LIMIT {
                        let whole = whole as Kronor;
                        Ok(Some(if settings.costs_positive { -whole } else { whole }))
                    } else {
                        parse_amount(&text, settings).map_err(BudgetSkipReason::Amount)
                    }
                }
                result => result.map_err(BudgetSkipReason::Amount),
            }
        }
    }
}

/// What importing the budget sheet would change in `plan`. The sheet must be in the budget
/// layout ([`is_budget_sheet`]): the header needs *Id* and at least one amount column.
pub fn preview(plan: &Plan, sheet: &RawSheet) -> Result<BudgetPreview, SheetError> {
    let unreadable = |message: String| SheetError::Unreadable { name: sheet.name.clone(), message };
    let Some((header_at, header)) = header_line(sheet) else {
        return Err(SheetError::MissingColumn { name: sheet.name.clone(), column: "Id".into() });
    };
    let column = |wanted: &str| header.iter().position(|c| cell_text(c).eq_ignore_ascii_case(wanted));
    let id_col = column("Id").ok_or_else(|| SheetError::MissingColumn { name: sheet.name.clone(), column: "Id".into() })?;
    let (board_col, name_col) = (column("Nämnd"), column("Namn"));
    let mut amount_columns = Vec::new();
    let mut seen: HashMap<(ColumnKind, i32), usize> = HashMap::new();
    for (at, cell) in header.iter().enumerate() {
        let text = cell_text(cell);
        match parse_column_header(&text, &plan.money) {
            None => {}
            Some(Err(message)) => return Err(unreadable(message)),
            Some(Ok((kind, year, settings))) => {
                let n = seen.entry((kind, year)).or_default();
                *n += 1;
                amount_columns.push(AmountColumn { at, key: (kind, year, *n - 1), header: text, settings });
            }
        }
    }
    if amount_columns.is_empty() {
        return Err(unreadable("första raden har inga beloppskolumner (t.ex. \"Budget 2025 (tkr)\")".into()));
    }

    let found = rows_by_id(plan);
    let mut keys_of: HashMap<ItemId, Vec<ColumnKey>> = HashMap::new();
    let mut builder = Builder::default();
    for (line, cells) in sheet.rows.iter().skip(header_at + 1) {
        if cells.iter().all(|c| *c == Cell::Empty) {
            continue;
        }
        let line = *line;
        let text = |at: Option<usize>| at.and_then(|i| cells.get(i)).map(cell_text).unwrap_or_default();
        let whole_line = CellPlace { line, column: None };
        let id_text = text(Some(id_col));
        if id_text.eq_ignore_ascii_case(SUM_MARK) {
            builder.sum_lines += 1;
            continue;
        }
        if id_text.is_empty() {
            builder.skip(whole_line, BudgetSkipReason::NoId);
            continue;
        }
        let Some(id) = id_text.strip_suffix(".0").unwrap_or(&id_text).parse::<u32>().ok().map(ItemId) else {
            builder.skip(whole_line, BudgetSkipReason::NotAnId { text: id_text });
            continue;
        };
        let Some(Found { budget, row, .. }) = found.get(&id) else {
            builder.skip(whole_line, BudgetSkipReason::NoBudgetRow { id: id.0 });
            continue;
        };
        let sheet_board = text(board_col);
        if !sheet_board.is_empty() && !sheet_board.eq_ignore_ascii_case(budget.board.trim()) {
            builder.skip(whole_line, BudgetSkipReason::OtherBoard { id: id.0, plan_board: budget.board.clone(), sheet_board });
            continue;
        }
        let sheet_name = text(name_col);
        if !sheet_name.is_empty() && sheet_name != row.name.trim() {
            builder.skip(whole_line, BudgetSkipReason::OtherRowName { id: id.0, plan_name: row.name.clone(), sheet_name });
            continue;
        }
        let keys = keys_of.entry(budget.id).or_insert_with(|| column_keys(budget));
        for amount_column in &amount_columns {
            let cell = cells.get(amount_column.at).unwrap_or(&Cell::Empty);
            let place = || CellPlace { line, column: Some((amount_column.at, amount_column.header.clone())) };
            let Some(index) = keys.iter().position(|k| *k == amount_column.key) else {
                if *cell != Cell::Empty {
                    let (kind, year, _) = amount_column.key;
                    let column = BudgetColumn { kind, year }.label(Lang::Swedish);
                    builder.skip(place(), BudgetSkipReason::NoSuchColumn { board: budget.board.clone(), column });
                }
                continue;
            };
            let new = match read_amount(cell, &amount_column.settings) {
                Ok(new) => new,
                Err(cause) => {
                    builder.skip(place(), cause);
                    continue;
                }
            };
            builder.propose(AmountChange {
                budget: budget.id,
                row: row.id,
                column: budget.columns[index],
                occurrence: amount_column.key.2,
                index,
                old: row.amount(index),
                new,
            });
        }
    }
    Ok(builder.finish())
}

/// What the command line and the app need of an import preview, whichever import made it:
/// the indicator values of Kolada and the indicator sheet ([`ImportPreview`]) or the budget's
/// amounts ([`BudgetPreview`]).
pub trait AnyPreview: Send {
    /// "2 nya värden, 0 ändrade, …" in `lang`.
    fn summary_line(&self, lang: Lang) -> String;
    /// The changes as the preview dialog's table rows.
    fn change_rows(&self, plan: &Plan, lang: Lang) -> Vec<[String; 5]>;
    /// The changes as lines (the command line).
    fn change_lines(&self, plan: &Plan, lang: Lang) -> Vec<String>;
    /// "rad 7: ingen budgetrad har id 9999" – every skipped entry with its reason.
    fn skipped_lines(&self, lang: Lang) -> Vec<String>;
    fn change_count(&self) -> usize;
    /// The import as one edit (one undo step), made against `plan`.
    fn edit(&self, plan: &Plan) -> Option<Edit>;
}

/// Both previews have the same methods by the same names; the trait only gathers them.
macro_rules! any_preview {
    ($($preview:ty),*) => {$(
        impl AnyPreview for $preview {
            fn summary_line(&self, lang: Lang) -> String {
                self.summary_in(lang)
            }
            fn change_rows(&self, plan: &Plan, lang: Lang) -> Vec<[String; 5]> {
                self.rows_in(plan, lang)
            }
            fn change_lines(&self, plan: &Plan, lang: Lang) -> Vec<String> {
                self.describe_all_in(plan, lang)
            }
            fn skipped_lines(&self, lang: Lang) -> Vec<String> {
                self.skipped.iter().map(|s| format!("{}: {}", s.what_in(lang), s.reason_in(lang))).collect()
            }
            fn change_count(&self) -> usize {
                self.changes.len()
            }
            fn edit(&self, plan: &Plan) -> Option<Edit> {
                self.to_edit(plan)
            }
        }
    )*};
}
any_preview!(ImportPreview, BudgetPreview);

/// Reads `sheet` as whichever layout its header has: the budget's ([`preview`]) or the
/// indicators' ([`super::sheet::preview`]). `true` with a budget preview.
pub fn preview_any(plan: &Plan, sheet: &RawSheet) -> Result<(Box<dyn AnyPreview>, bool), SheetError> {
    if is_budget_sheet(sheet) {
        Ok((Box::new(preview(plan, sheet)?), true))
    } else {
        Ok((Box::new(super::sheet::preview(plan, sheet)?), false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tkr() -> MoneySettings {
        MoneySettings::default()
    }

    #[test]
    fn plain_amounts_are_exact_decimals_in_the_unit() {
        assert_eq!(plain_amount(-3_195_000, &tkr()), "-3195");
        assert_eq!(plain_amount(-3_195_500, &tkr()), "-3195,5");
        assert_eq!(plain_amount(1, &tkr()), "0,001");
        assert_eq!(plain_amount(0, &tkr()), "0");
        assert_eq!(plain_amount(-3_195_000, &MoneySettings { costs_positive: true, ..tkr() }), "3195");
        assert_eq!(plain_amount(123_456_789, &MoneySettings { unit: MoneyUnit::Mnkr, ..tkr() }), "123,456789");
        for kronor in [0i128, 1, -1, 999, -3_195_500, 115_021_000, 123_456_789_012] {
            for settings in [tkr(), MoneySettings { unit: MoneyUnit::Mnkr, ..tkr() }, MoneySettings { costs_positive: true, unit: MoneyUnit::Kr, decimals: 0 }] {
                assert_eq!(parse_amount(&plain_amount(kronor, &settings), &settings), Ok(Some(kronor as Kronor)));
            }
        }
    }

    #[test]
    fn shown_amounts_keep_every_krona() {
        assert_eq!(shown_amount(Some(-3_195_000), &tkr()), "\u{2212}3\u{202f}195");
        assert_eq!(shown_amount(Some(-3_195_500), &tkr()), "\u{2212}3\u{202f}195,5");
        assert_eq!(shown_amount(None, &tkr()), "–");
    }

    #[test]
    fn column_headers_read_label_unit_and_sign() {
        let plan = tkr();
        let mnkr = MoneySettings { unit: MoneyUnit::Mnkr, ..tkr() };
        assert_eq!(parse_column_header("Budget 2025 (tkr)", &plan), Some(Ok((ColumnKind::Budget, 2025, tkr()))));
        assert_eq!(parse_column_header("budget 2025 (MNKR)", &plan), Some(Ok((ColumnKind::Budget, 2025, mnkr))));
        assert_eq!(parse_column_header("Plan 2026", &mnkr), Some(Ok((ColumnKind::Plan, 2026, mnkr))));
        assert_eq!(
            parse_column_header("Bokslut 2023 (tkr, kostnader positiva)", &plan),
            Some(Ok((ColumnKind::Actual, 2023, MoneySettings { costs_positive: true, ..tkr() })))
        );
        assert_eq!(parse_column_header("Actual 2023 (kSEK)", &plan), Some(Ok((ColumnKind::Actual, 2023, tkr()))));
        assert_eq!(parse_column_header("Namn", &plan), None);
        assert_eq!(parse_column_header("2023", &plan), None);
        assert!(parse_column_header("Budget 2025 (tusental)", &plan).unwrap().is_err());
        assert_eq!(column_header(ColumnKind::Budget, 2025, &tkr()), "Budget 2025 (tkr)");
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(7), "H");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
    }

    #[test]
    fn number_cells_are_read_exactly() {
        assert_eq!(read_amount(&Cell::Number(-3195.5), &tkr()), Ok(Some(-3_195_500)));
        assert_eq!(read_amount(&Cell::Number(0.001), &tkr()), Ok(Some(1)));
        assert_eq!(read_amount(&Cell::Number(3514.5000000000005), &tkr()), Ok(Some(3_514_500)));
        assert!(read_amount(&Cell::Number(3195.0004), &tkr()).is_err());
        assert_eq!(read_amount(&Cell::Number(f64::NAN), &tkr()), Err(BudgetSkipReason::NotFinite));
        let mnkr = MoneySettings { unit: MoneyUnit::Mnkr, costs_positive: true, decimals: 1 };
        assert_eq!(read_amount(&Cell::Number(123_456.789012), &mnkr), Ok(Some(-123_456_789_012)));
    }
}
