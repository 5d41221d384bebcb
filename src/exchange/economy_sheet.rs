//! The economic follow-up's figures in and out of a spreadsheet, and outcomes to date from an
//! SIE file – both as an import preview (nothing changes until accepted, then one undo step).
//!
//! **Sheet layout** (what `malplan export --economy` writes, and what the import reads): one
//! line per row of every follow-up, with the columns *Id* (the row's id), *Period*, *Nämnd*,
//! *Tabell*, *Rad*, *Konton*, then one column per entered figure – *Utfall föregående år*,
//! *Utfall hittills*, *Budget hittills*, *Budget helår*, *Föregående prognos*, *Årsprognos* –
//! each with its unit in the header ("Årsprognos (tkr)"; kr, tkr or mnkr, default the plan's).
//! Deviations are computed, so they are neither written nor read. A row is found by its id;
//! *Rad* must still be its name. An empty cell empties the figure.
//!
//! **SIE**: for every row whose *Konton* are set ("3000-3999", "5000-5999 / 1:100"), the outcome
//! to date through the follow-up's month – and the year before, where the table has that
//! column – summed from the file's period balances or vouchers ([`super::sie`]).

use std::collections::HashMap;

use super::budget_sheet::{AnyPreview, cell_text, header_line, plain_amount};
use super::sheet::{Cell, RawSheet, SheetError};
use crate::budget::money::{MoneyUnit, format_amount, parse_amount};
use crate::budget::{Kronor, MoneySettings};
use crate::economy::{EconomicFollowUp, EconomyTable, Measure};
use crate::edit::Edit;
use crate::i18n::Lang;
use crate::model::{ItemId, Plan};

/// The entered figures a sheet carries, with their Swedish and English headers.
const SHEET_MEASURES: [(Measure, &str, &str); 6] = [
    (Measure::OutcomePreviousYear, "Utfall föregående år", "Outcome previous year"),
    (Measure::OutcomeToDate, "Utfall hittills", "Outcome to date"),
    (Measure::BudgetToDate, "Budget hittills", "Budget to date"),
    (Measure::BudgetFullYear, "Budget helår", "Budget full year"),
    (Measure::PreviousForecast, "Föregående prognos", "Previous forecast"),
    (Measure::Forecast, "Årsprognos", "Forecast"),
];

fn sheet_name(measure: Measure) -> &'static str {
    SHEET_MEASURES.iter().find(|(m, ..)| *m == measure).map_or("", |(_, sv, _)| sv)
}

/// One figure the import would set.
#[derive(Debug, Clone, PartialEq)]
pub struct EconomyChange {
    pub report: ItemId,
    pub table: ItemId,
    pub row: ItemId,
    pub measure: Measure,
    pub old: Option<Kronor>,
    pub new: Option<Kronor>,
}

/// A line or row the import leaves alone, and why (in both languages).
#[derive(Debug, Clone, PartialEq)]
pub struct EconomySkipped {
    pub place: String,
    pub swedish: String,
    pub english: String,
}

impl EconomySkipped {
    fn new(place: String, swedish: String, english: String) -> Self {
        Self { place, swedish, english }
    }
}

/// What an economy import would do; nothing has changed yet.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EconomyPreview {
    pub changes: Vec<EconomyChange>,
    pub unchanged: usize,
    pub skipped: Vec<EconomySkipped>,
}

struct Found<'a> {
    report: &'a EconomicFollowUp,
    table: &'a EconomyTable,
    row: &'a crate::economy::EconomyRow,
}

fn rows_by_id(plan: &Plan) -> HashMap<ItemId, Found<'_>> {
    let mut found = HashMap::new();
    for report in &plan.economy {
        for table in &report.tables {
            for row in table.rows() {
                found.entry(row.id).or_insert(Found { report, table, row });
            }
        }
    }
    found
}

fn period_name(plan: &Plan, report: &EconomicFollowUp) -> String {
    plan.period(report.period).map_or_else(|| report.period.to_string(), |p| p.name.clone())
}

impl EconomyPreview {
    fn propose(&mut self, change: EconomyChange) {
        if change.old == change.new {
            if change.new.is_some() {
                self.unchanged += 1;
            }
        } else {
            self.changes.push(change);
        }
    }

    /// "3 nya belopp, 1 ändrade, 0 tömda, 12 oförändrade, 1 hoppas över".
    pub fn summary_in(&self, lang: Lang) -> String {
        let added = self.changes.iter().filter(|c| c.old.is_none()).count();
        let emptied = self.changes.iter().filter(|c| c.new.is_none()).count();
        let changed = self.changes.len() - added - emptied;
        let (unchanged, skipped) = (self.unchanged, self.skipped.len());
        match lang {
            Lang::Swedish => format!("{added} nya belopp, {changed} ändrade, {emptied} tömda, {unchanged} oförändrade, {skipped} hoppas över"),
            Lang::English => format!("{added} new amounts, {changed} changed, {emptied} emptied, {unchanged} unchanged, {skipped} skipped"),
        }
    }

    /// The import as one undo step: each touched follow-up replaced once, with every change
    /// made against `plan` as it is now (a row gone since is left out).
    pub fn to_edit(&self, plan: &Plan) -> Option<Edit> {
        let mut reports: Vec<EconomicFollowUp> = Vec::new();
        for change in &self.changes {
            let at = match reports.iter().position(|r| r.id == change.report) {
                Some(at) => at,
                None => {
                    let Some(report) = plan.economy.iter().find(|r| r.id == change.report) else { continue };
                    reports.push(report.clone());
                    reports.len() - 1
                }
            };
            let report = &mut reports[at];
            let Some(table) = report.tables.iter_mut().find(|t| t.id == change.table) else { continue };
            let Some(column) = table.column(change.measure) else { continue };
            let Some(row) = table.groups.iter_mut().flat_map(|g| g.rows.iter_mut()).find(|r| r.id == change.row) else { continue };
            if row.amounts.len() <= column {
                row.amounts.resize(column + 1, None);
            }
            row.amounts[column] = change.new;
            while row.amounts.last() == Some(&None) {
                row.amounts.pop();
            }
        }
        let edits: Vec<Edit> = reports
            .into_iter()
            .filter(|r| plan.economy.iter().any(|old| old.id == r.id && old != r))
            .map(|r| Edit::Economy(Box::new(r)))
            .collect();
        (!edits.is_empty()).then_some(Edit::Batch(edits))
    }

    /// Row, where ("KS · Delår 2 2022 · Driftredovisning"), column ("Årsprognos aug (tkr)"),
    /// before, after – in the table's unit.
    pub fn rows_in(&self, plan: &Plan, lang: Lang) -> Vec<[String; 5]> {
        let found = rows_by_id(plan);
        self.changes
            .iter()
            .map(|change| match found.get(&change.row) {
                Some(f) => {
                    let year = plan.period(f.report.period).map_or(plan.meta.last_year, |p| p.year);
                    let money = f.table.money(&plan.money);
                    let shown = |v: Option<Kronor>| v.map_or_else(|| "–".to_owned(), |v| format_amount(v.into(), &money));
                    [
                        f.row.name.clone(),
                        format!("{} · {} · {}", f.report.board, period_name(plan, f.report), f.table.title),
                        format!("{} ({})", change.measure.label(f.report, year, lang), money.unit.label(lang)),
                        shown(change.old),
                        shown(change.new),
                    ]
                }
                None => [format!("id {}", change.row), "?".into(), sheet_name(change.measure).into(), String::new(), String::new()],
            })
            .collect()
    }

    pub fn describe_all_in(&self, plan: &Plan, lang: Lang) -> Vec<String> {
        self.rows_in(plan, lang).into_iter().map(|[row, place, column, old, new]| format!("{place} · {row} · {column}: {old} → {new}")).collect()
    }
}

impl AnyPreview for EconomyPreview {
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
        self.skipped.iter().map(|s| format!("{}: {}", s.place, if lang == Lang::Swedish { &s.swedish } else { &s.english })).collect()
    }
    fn change_count(&self) -> usize {
        self.changes.len()
    }
    fn edit(&self, plan: &Plan) -> Option<Edit> {
        self.to_edit(plan)
    }
}

// ---------------------------------------------------------------------------------------------
// The sheet.

/// The export's lines: header, then one line per row of every follow-up (of `board`).
fn lines(plan: &Plan, board: Option<&str>) -> Vec<Vec<String>> {
    let money = plan.money;
    let unit = money.unit.label(Lang::Swedish);
    let mut header: Vec<String> = ["Id", "Period", "Nämnd", "Tabell", "Rad", "Konton"].map(str::to_owned).to_vec();
    header.extend(SHEET_MEASURES.iter().map(|(_, sv, _)| format!("{sv} ({unit})")));
    let mut out = vec![header];
    let plain = MoneySettings { costs_positive: false, ..money };
    for report in plan.economy.iter().filter(|r| board.is_none_or(|b| r.board == b)) {
        for table in &report.tables {
            for row in table.rows() {
                let mut line = vec![
                    row.id.0.to_string(),
                    period_name(plan, report),
                    report.board.clone(),
                    table.title.clone(),
                    row.name.clone(),
                    row.accounts.clone(),
                ];
                for (measure, ..) in SHEET_MEASURES {
                    let amount = table.column(measure).and_then(|c| row.amount(c));
                    line.push(amount.map(|a| plain_amount(a.into(), &plain)).unwrap_or_default());
                }
                out.push(line);
            }
        }
    }
    out
}

/// The sheet as CSV for Swedish Excel (`;`, decimal comma, UTF-8 with a byte-order mark,
/// CR LF; texts a spreadsheet would run as formulas get a leading apostrophe, as elsewhere).
pub fn to_csv(plan: &Plan, board: Option<&str>) -> String {
    let mut writer = csv::WriterBuilder::new().delimiter(b';').terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    for line in lines(plan, board) {
        let _ = writer.write_record(line.iter().map(|cell| super::sheet::neutralise_formula(cell)));
    }
    format!("\u{feff}{}", String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default())
}

/// The sheet as an .xlsx workbook (amounts as numbers where exact, else text).
pub fn to_xlsx(plan: &Plan, board: Option<&str>) -> Result<Vec<u8>, SheetError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let _ = sheet.set_name("Ekonomi");
    let bold = Format::new().set_bold();
    let write_error = |e: rust_xlsxwriter::XlsxError| SheetError::Write(e.to_string());
    for (r, line) in lines(plan, board).iter().enumerate() {
        for (c, cell) in line.iter().enumerate() {
            let (row, col) = (r as u32, c as u16);
            if r == 0 {
                sheet.write_string_with_format(row, col, cell, &bold).map_err(write_error)?;
            } else if c >= 6 && !cell.is_empty() {
                // Exact in the unit: a number when a double holds it exactly, else the text.
                match cell.replace(',', ".").parse::<f64>() {
                    Ok(n) if n.abs() < 1e15 && format!("{n}").replace('.', ",") == *cell => sheet.write_number(row, col, n).map_err(write_error)?,
                    _ => sheet.write_string(row, col, cell).map_err(write_error)?,
                };
            } else if c == 0 {
                sheet.write_number(row, col, cell.parse::<f64>().unwrap_or_default()).map_err(write_error)?;
            } else {
                // As the other sheets write texts, so that reading undoes exactly that.
                super::sheet::write_text(sheet, row, col, cell).map_err(write_error)?;
            }
        }
    }
    sheet.set_column_width(4, 36).map_err(write_error)?;
    workbook.save_to_buffer().map_err(write_error)
}

/// Writes the sheet to `path` (CSV by the extension, else .xlsx), atomically.
pub fn write(plan: &Plan, board: Option<&str>, path: &std::path::Path) -> Result<(), String> {
    super::budget_sheet::write_by_extension(path, || to_csv(plan, board), || to_xlsx(plan, board))
}

/// A header of an entered figure: "Årsprognos (tkr)", "Forecast (MSEK)", "Budget helår".
fn parse_measure_header(text: &str, plan: &MoneySettings) -> Option<Result<(Measure, MoneySettings), String>> {
    let text = text.trim();
    let (label, unit) = match text.strip_suffix(')').and_then(|t| t.rsplit_once('(')) {
        Some((label, unit)) => (label.trim(), Some(unit.trim())),
        None => (text, None),
    };
    let (measure, ..) = SHEET_MEASURES.iter().find(|(_, sv, en)| sv.eq_ignore_ascii_case(label) || en.eq_ignore_ascii_case(label) || sv.to_lowercase() == label.to_lowercase())?;
    let Some(unit) = unit else { return Some(Ok((*measure, MoneySettings { costs_positive: false, ..*plan }))) };
    let found = [MoneyUnit::Kr, MoneyUnit::Tkr, MoneyUnit::Mnkr]
        .into_iter()
        .find(|u| [Lang::Swedish, Lang::English].into_iter().any(|lang| u.label(lang).eq_ignore_ascii_case(unit)));
    Some(match found {
        Some(unit) => Ok((*measure, MoneySettings { unit, decimals: plan.decimals, costs_positive: false })),
        None => Err(format!("kolumnen \"{text}\" har en okänd enhet \"{unit}\" (kr, tkr eller mnkr)")),
    })
}

/// Whether the sheet is in the economy layout: *Id*, *Rad* and at least one figure column.
pub fn is_economy_sheet(sheet: &RawSheet) -> bool {
    let Some((_, header)) = header_line(sheet) else { return false };
    let has = |wanted: &str| header.iter().any(|c| cell_text(c).eq_ignore_ascii_case(wanted));
    has("Id") && has("Rad") && header.iter().any(|c| parse_measure_header(&cell_text(c), &MoneySettings::default()).is_some())
}

/// An amount cell, exactly, in the column's unit (a number cell by its shortest decimal form).
fn read_amount(cell: &Cell, settings: &MoneySettings) -> Result<Option<Kronor>, String> {
    let text = match cell {
        Cell::Empty => return Ok(None),
        Cell::Number(n) if !n.is_finite() => return Err("värdet är inget ändligt tal".into()),
        Cell::Number(n) => n.to_string().replace('.', ","),
        Cell::Text(t) => t.clone(),
    };
    parse_amount(&text, settings).map_err(|e| e.to_string())
}

/// What importing the economy sheet would change in `plan`.
pub fn preview(plan: &Plan, sheet: &RawSheet) -> Result<EconomyPreview, SheetError> {
    let unreadable = |message: String| SheetError::Unreadable { name: sheet.name.clone(), message };
    let Some((header_at, header)) = header_line(sheet) else {
        return Err(SheetError::MissingColumn { name: sheet.name.clone(), column: "Id".into() });
    };
    let column = |wanted: &str| header.iter().position(|c| cell_text(c).eq_ignore_ascii_case(wanted));
    let id_col = column("Id").ok_or_else(|| SheetError::MissingColumn { name: sheet.name.clone(), column: "Id".into() })?;
    let name_col = column("Rad");
    let mut figures = Vec::new();
    for (at, cell) in header.iter().enumerate() {
        match parse_measure_header(&cell_text(cell), &plan.money) {
            None => {}
            Some(Err(message)) => return Err(unreadable(message)),
            Some(Ok((measure, settings))) => figures.push((at, measure, settings)),
        }
    }
    let found = rows_by_id(plan);
    let mut preview = EconomyPreview::default();
    for (line, cells) in &sheet.rows[header_at + 1..] {
        let place = format!("rad {line}");
        let get = |at: usize| cells.get(at).unwrap_or(&Cell::Empty);
        if cells.iter().all(|c| *c == Cell::Empty) {
            continue;
        }
        let id_text = cell_text(get(id_col));
        let Some(id) = id_text.parse::<u32>().ok().map(ItemId) else {
            preview.skipped.push(EconomySkipped::new(place, format!("\"{id_text}\" i kolumnen Id är inget id"), format!("\"{id_text}\" in the Id column is not an id")));
            continue;
        };
        let Some(f) = found.get(&id) else {
            preview.skipped.push(EconomySkipped::new(place, format!("ingen rad i den ekonomiska uppföljningen har id {}", id.0), format!("no row of the economic follow-up has id {}", id.0)));
            continue;
        };
        if let Some(name_col) = name_col {
            let name = cell_text(get(name_col));
            if name != f.row.name.trim() {
                preview.skipped.push(EconomySkipped::new(
                    place,
                    format!("id {} är \"{}\" i planen, inte \"{name}\"", id.0, f.row.name),
                    format!("id {} is \"{}\" in the plan, not \"{name}\"", id.0, f.row.name),
                ));
                continue;
            }
        }
        for (at, measure, settings) in &figures {
            let cell = get(*at);
            let Some(column) = f.table.column(*measure) else {
                if *cell != Cell::Empty {
                    preview.skipped.push(EconomySkipped::new(
                        format!("{place}, {}", sheet_name(*measure)),
                        format!("tabellen \"{}\" har ingen kolumn {}", f.table.title, sheet_name(*measure)),
                        format!("the table \"{}\" has no column {}", f.table.title, sheet_name(*measure)),
                    ));
                }
                continue;
            };
            match read_amount(cell, settings) {
                Ok(new) => preview.propose(EconomyChange { report: f.report.id, table: f.table.id, row: id, measure: *measure, old: f.row.amount(column), new }),
                Err(why) => preview.skipped.push(EconomySkipped::new(format!("{place}, {}", sheet_name(*measure)), why.clone(), why)),
            }
        }
    }
    Ok(preview)
}

// ---------------------------------------------------------------------------------------------
// SIE.

/// Outcomes to date from an SIE file for the rows with accounts, in the follow-ups of
/// `period` (every follow-up when `None`).
pub fn sie_preview(plan: &Plan, sie: &super::sie::SieFile, period: Option<ItemId>) -> EconomyPreview {
    let mut preview = EconomyPreview::default();
    let mut without_accounts = 0;
    for report in plan.economy.iter().filter(|r| period.is_none_or(|p| r.period == p)) {
        let Some(year) = plan.period(report.period).map(|p| p.year) else { continue };
        for table in &report.tables {
            let wanted: Vec<(Measure, usize, i32)> = [(Measure::OutcomeToDate, year), (Measure::OutcomePreviousYear, year - 1)]
                .into_iter()
                .filter_map(|(m, y)| table.column(m).map(|c| (m, c, y)))
                .collect();
            if wanted.is_empty() {
                continue;
            }
            for row in table.rows() {
                if row.accounts.trim().is_empty() {
                    without_accounts += 1;
                    continue;
                }
                let place = format!("{} · {} · {}", report.board, table.title, row.name);
                let mapping = match super::sie::parse_mapping(&row.accounts) {
                    Ok(mapping) => mapping,
                    Err(why) => {
                        preview.skipped.push(EconomySkipped::new(place, format!("kontona \"{}\": {why}", row.accounts), format!("the accounts \"{}\": {why}", row.accounts)));
                        continue;
                    }
                };
                for (measure, column, year) in &wanted {
                    match sie.outcome_to_date_kronor(&mapping, *year, report.through_month) {
                        Some(kronor) => preview.propose(EconomyChange {
                            report: report.id,
                            table: table.id,
                            row: row.id,
                            measure: *measure,
                            old: row.amount(*column),
                            new: Some(kronor),
                        }),
                        // The year before is often not in the file: only the year itself is worth saying.
                        None if *measure == Measure::OutcomeToDate => preview.skipped.push(EconomySkipped::new(
                            place.clone(),
                            format!("SIE-filen har inga belopp för {year} på kontona {}", row.accounts),
                            format!("the SIE file has no amounts for {year} on the accounts {}", row.accounts),
                        )),
                        None => {}
                    }
                }
            }
        }
    }
    if without_accounts > 0 {
        preview.skipped.push(EconomySkipped::new(
            format!("{without_accounts} rader"),
            "har inga konton angivna (Konton, t.ex. \"5000-5999\") och hämtas inte ur SIE-filen".into(),
            "have no accounts set (Konton, e.g. \"5000-5999\") and are not taken from the SIE file".into(),
        ));
    }
    preview
}

/// Whether a path is an SIE file by its extension (.se, .si, .sie).
pub fn is_sie_path(path: &std::path::Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| ["se", "si", "sie"].iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// Reads an SIE file (guarded like every import) and previews its outcomes.
pub fn read_sie_preview(plan: &Plan, path: &std::path::Path, period: Option<ItemId>) -> Result<EconomyPreview, String> {
    let name = path.display().to_string();
    let limits = crate::safe_io::Limits { max_bytes: super::sie::MAX_SIE_BYTES as u64, ..crate::safe_io::Limits::IMPORT };
    let bytes = crate::safe_io::read_file(path, limits).map_err(|e| format!("{name}: {}", e.reason()))?;
    let sie = super::sie::parse(&bytes).map_err(|e| format!("{name}: {e}"))?;
    Ok(sie_preview(plan, &sie, period))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measure_headers_read_label_and_unit() {
        let plan = MoneySettings::default();
        let mnkr = MoneySettings { unit: MoneyUnit::Mnkr, ..plan };
        assert_eq!(parse_measure_header("Årsprognos (mnkr)", &plan), Some(Ok((Measure::Forecast, mnkr))));
        assert_eq!(parse_measure_header("årsprognos", &plan), Some(Ok((Measure::Forecast, plan))));
        assert_eq!(parse_measure_header("Outcome to date (kSEK)", &plan), Some(Ok((Measure::OutcomeToDate, plan))));
        assert_eq!(parse_measure_header("Rad", &plan), None);
        assert!(parse_measure_header("Budget helår (tusental)", &plan).unwrap().is_err());
    }
}
