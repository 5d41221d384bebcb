//! The indicator table as a spreadsheet: one sheet, one row per indicator, series and kind of
//! value, one column per year. The same layout is written to `.xlsx` and to CSV and read back
//! from both (and from `.xls`/`.ods` that a colleague saved in it):
//!
//! | Id | Kod | Indikator | Mål | Enhet | Serie | Typ | 2014 | 2015 | … |
//! |---|---|---|---|---|---|---|---|---|---|
//! | 322 | L1 | Arbetslöshet … | Fler i arbete | % | Arbetslöshet Totalt | Utgångsvärde | 13,8 | | |
//!
//! *Typ* is *Utgångsvärde*, *Målvärde* or *Utfall*. On import a row is matched by *Id* (and,
//! when the *Indikator* column is filled, that name must agree) and by the exact series name;
//! anything else is listed as skipped, never guessed. Empty cells are ignored: an import adds
//! and changes values, it never deletes one.

use std::collections::BTreeSet;
use std::io::Cursor;

use rust_xlsxwriter::{Format, FormatAlign, Workbook};

use super::{ImportPreview, PreviewBuilder, SkipPlace, SkipReason, ValueKind, current_value};
use crate::followup::number::{NumberError, check_value, parse_value};
use crate::model::{Indicator, ItemId, Plan, Unit};

/// The fixed columns before the year columns.
pub const FIXED_HEADERS: [&str; 7] = ["Id", "Kod", "Indikator", "Mål", "Enhet", "Serie", "Typ"];

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SheetError {
    #[error("{name}: kan inte läsa kalkylbladet: {message}")]
    Unreadable { name: String, message: String },
    #[error("{name}: kolumnen \"{column}\" saknas i första raden – filen har inte Målplans layout (Id, Kod, Indikator, Mål, Enhet, Serie, Typ, år …)")]
    MissingColumn { name: String, column: String },
    #[error("{name}: första raden har inga årskolumner (t.ex. \"2023\")")]
    NoYears { name: String },
    #[error("kunde inte skriva kalkylbladet: {0}")]
    Write(String),
}

/// A cell as read from a file.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Number(f64),
    Text(String),
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Number(n) => n.to_string(),
            Cell::Text(t) => t.trim().to_owned(),
        }
    }
}

/// A sheet as read: the rows with their 1-based row numbers in the file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawSheet {
    pub name: String,
    pub rows: Vec<(usize, Vec<Cell>)>,
}

/// The years that get a column: every year any value has, and the plan's own years.
pub fn years(plan: &Plan) -> Vec<i32> {
    let mut years: BTreeSet<i32> = (plan.meta.first_year..=plan.meta.last_year).collect();
    for series in plan.indicators.iter().flat_map(|i| &i.series) {
        years.extend(series.baseline.iter().map(|(y, _)| *y));
        years.extend(series.targets.iter().map(|(y, _)| *y));
        years.extend(series.outcomes.iter().map(|(y, _)| *y));
    }
    years.into_iter().collect()
}

/// The *Enhet* column.
pub fn unit_text(unit: &Unit) -> String {
    match unit {
        Unit::Percent => "%".into(),
        Unit::Count => "antal".into(),
        Unit::Index => "index".into(),
        Unit::Kronor => "kr".into(),
        Unit::Scale(low, high) => format!("skala {low}–{high}"),
        Unit::Ratio => "andel kvinnor (%) av kvinnor/män".into(),
        Unit::Other(text) => text.clone(),
    }
}

/// One exported row: fixed texts, then a value (or none) per year.
struct Row<'a> {
    indicator: &'a Indicator,
    goal: &'a str,
    series: &'a str,
    kind: ValueKind,
    values: Vec<Option<f64>>,
}

fn rows<'a>(plan: &'a Plan, years: &[i32]) -> Vec<Row<'a>> {
    let goal_titles: std::collections::HashMap<ItemId, &str> =
        plan.goals.iter().map(|g| (g.id, g.title.as_str())).collect();
    let mut rows = Vec::new();
    for indicator in &plan.indicators {
        for series in &indicator.series {
            for kind in ValueKind::ALL {
                rows.push(Row {
                    indicator,
                    goal: goal_titles.get(&indicator.goal).copied().unwrap_or(""),
                    series: &series.name,
                    kind,
                    values: years.iter().map(|&y| current_value(series, kind, y)).collect(),
                });
            }
        }
    }
    rows
}

fn fixed_cells(row: &Row) -> [String; 7] {
    [
        row.indicator.id.0.to_string(),
        row.indicator.code.clone(),
        row.indicator.name.clone(),
        row.goal.to_owned(),
        unit_text(&row.indicator.unit),
        row.series.to_owned(),
        row.kind.swedish().to_owned(),
    ]
}

/// A number as Swedish Excel reads it: decimal comma, no grouping, every digit kept (so an
/// export read back is exactly the plan).
pub fn csv_number(value: f64) -> String {
    value.to_string().replace('.', ",")
}

/// The table as CSV for Swedish Excel: `;`-separated, decimal comma, UTF-8 with a byte-order
/// mark (without it Excel guesses the wrong encoding for å, ä, ö), CRLF line ends.
pub fn to_csv(plan: &Plan) -> String {
    let years = years(plan);
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let header: Vec<String> = FIXED_HEADERS
        .iter()
        .map(|h| (*h).to_owned())
        .chain(years.iter().map(i32::to_string))
        .collect();
    let _ = writer.write_record(&header);
    for row in rows(plan, &years) {
        let record: Vec<String> = fixed_cells(&row)
            .into_iter()
            .map(|text| neutralise_formula(&text))
            .chain(row.values.iter().map(|v| v.map(csv_number).unwrap_or_default()))
            .collect();
        let _ = writer.write_record(&record);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    format!("\u{feff}{}", String::from_utf8(bytes).unwrap_or_default())
}

/// Texts that a spreadsheet would run as a formula get a leading apostrophe (removed again
/// on import). So do texts that the import would otherwise change, those that start with an
/// apostrophe followed by one of these characters or another apostrophe ("'=x", "''"): without
/// it, "'=x" was read back as "=x". With it, `unneutralise(&neutralise_formula(t)) == t` for
/// every text `t`.
pub(crate) fn neutralise_formula(text: &str) -> String {
    // "-inf" and "-NaN" parse as f64 but are no number to a spreadsheet (a formula there).
    let runs = text.starts_with(['=', '+', '@', '\t', '\r'])
        || (text.starts_with('-') && !text.parse::<f64>().is_ok_and(f64::is_finite));
    if runs || unneutralise(text) != text {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

fn unneutralise(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '@', '\t', '\r', '-', '\'']) => rest,
        _ => text,
    }
}

/// rust_xlsxwriter writes a shared string that starts with `<r>` and ends with `</r>` into the
/// workbook as XML, unescaped (it takes it for one of its own rich strings), so such a text
/// came back empty or made the sheet unreadable. It goes in as a rich string of one run
/// instead, which is written escaped. Only the rich-string path does not escape literal
/// `_xHHHH_` (Excel's escape for control characters, which calamine unescapes), so they are
/// escaped here as Excel does, by writing their underscore as `_x005F_`.
pub(crate) fn write_text(sheet: &mut rust_xlsxwriter::Worksheet, row: u32, col: u16, text: &str) -> Result<(), rust_xlsxwriter::XlsxError> {
    if !(text.starts_with("<r>") && text.ends_with("</r>")) {
        sheet.write_string(row, col, text)?;
        return Ok(());
    }
    let mut escaped = String::with_capacity(text.len() + 7);
    for (i, c) in text.char_indices() {
        let escape = text.as_bytes().get(i..i + 7).is_some_and(|b| {
            b[0] == b'_' && b[1] == b'x' && b[2..6].iter().all(u8::is_ascii_hexdigit) && b[6] == b'_'
        });
        if escape {
            escaped.push_str("_x005F");
        }
        escaped.push(c);
    }
    sheet.write_rich_string(row, col, &[(&Format::default(), escaped.as_str())])?;
    Ok(())
}

/// The Excel number format for an indicator's values: its decimals and unit.
fn number_format(indicator: &Indicator) -> String {
    let decimals = usize::from(indicator.decimals.min(6));
    let fraction = if decimals > 0 { format!(".{}", "0".repeat(decimals)) } else { String::new() };
    let plain = format!("0{fraction}");
    let grouped = format!("#,##0{fraction}");
    match &indicator.unit {
        Unit::Percent => format!("{plain}\" %\""),
        Unit::Kronor => format!("{grouped}\" kr\""),
        Unit::Count => grouped,
        Unit::Other(unit) => format!("{plain}\" {}\"", unit.replace('"', "")),
        Unit::Index | Unit::Scale(..) | Unit::Ratio => plain,
    }
}

/// The table as an `.xlsx` workbook (one sheet, "Indikatorer").
pub fn to_xlsx(plan: &Plan) -> Result<Vec<u8>, SheetError> {
    let write_error = |e: rust_xlsxwriter::XlsxError| SheetError::Write(e.to_string());
    let years = years(plan);
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Indikatorer").map_err(write_error)?;
    let bold = Format::new().set_bold();
    let year_header = Format::new().set_bold().set_align(FormatAlign::Right);
    for (col, header) in FIXED_HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *header, &bold).map_err(write_error)?;
    }
    let first_year_col = FIXED_HEADERS.len() as u16;
    for (i, year) in years.iter().enumerate() {
        // Written as text so that the header reads "2023", not a number Excel may reformat.
        sheet
            .write_string_with_format(0, first_year_col + i as u16, year.to_string(), &year_header)
            .map_err(write_error)?;
    }
    let mut formats: std::collections::HashMap<String, Format> = std::collections::HashMap::new();
    let all = rows(plan, &years);
    for (r, row) in all.iter().enumerate() {
        let excel_row = r as u32 + 1;
        sheet.write_number(excel_row, 0, f64::from(row.indicator.id.0)).map_err(write_error)?;
        for (col, text) in fixed_cells(row).into_iter().enumerate().skip(1) {
            if !text.is_empty() {
                write_text(sheet, excel_row, col as u16, &text).map_err(write_error)?;
            }
        }
        let code = number_format(row.indicator);
        let format = formats.entry(code.clone()).or_insert_with(|| Format::new().set_num_format(code));
        for (i, value) in row.values.iter().enumerate() {
            if let Some(value) = value {
                sheet
                    .write_number_with_format(excel_row, first_year_col + i as u16, *value, format)
                    .map_err(write_error)?;
            }
        }
    }
    for (col, width) in [6.0, 6.0, 48.0, 30.0, 8.0, 20.0, 13.0].into_iter().enumerate() {
        sheet.set_column_width(col as u16, width).map_err(write_error)?;
    }
    sheet.set_freeze_panes(1, first_year_col).map_err(write_error)?;
    // Printed for the board: A4 landscape, one page wide, the header row on every page.
    sheet.set_paper_size(9).set_landscape().set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 0).map_err(write_error)?;
    let last_col = first_year_col + years.len().saturating_sub(1) as u16;
    sheet.autofilter(0, 0, all.len() as u32, last_col).map_err(write_error)?;
    workbook.save_to_buffer().map_err(write_error)
}

/// Reads CSV in any of the usual dialects: `;` (Swedish Excel), `,` or tab, with or without
/// a byte-order mark.
pub fn read_csv(bytes: &[u8], name: &str) -> Result<RawSheet, SheetError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| SheetError::Unreadable {
        name: name.to_owned(),
        message: format!("filen är inte UTF-8 (byte {}) – spara som \"CSV UTF-8\"", e.valid_up_to() + 1),
    })?;
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = [b';', b'\t', b',']
        .into_iter()
        .max_by_key(|d| first_line.bytes().filter(|b| b == d).count())
        .unwrap_or(b';');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // The line a record starts on, counted here: with CRLF line ends the reader's position of a
    // record is still before the previous line's "\n", one line too early.
    let all = text.as_bytes();
    let (mut scanned, mut newlines) = (0usize, 0usize);
    for record in reader.records() {
        let record = record.map_err(|e| SheetError::Unreadable { name: name.to_owned(), message: e.to_string() })?;
        let line = match record.position() {
            Some(position) => {
                let mut start = usize::try_from(position.byte()).unwrap_or(all.len()).clamp(scanned, all.len());
                while start < all.len() && matches!(all[start], b'\r' | b'\n') {
                    start += 1;
                }
                newlines += all[scanned..start].iter().filter(|&&b| b == b'\n').count();
                scanned = start;
                newlines + 1
            }
            None => rows.len() + 1,
        };
        // A field is kept as written (as `read_workbook` keeps a cell): trimming it lost the
        // spaces and line breaks at the ends of the texts of an export read back. Matching
        // trims where it should (`Cell::text`); a field of only whitespace is empty.
        let cells = record
            .iter()
            .map(|field| {
                let field = unneutralise(field);
                if field.trim().is_empty() { Cell::Empty } else { Cell::Text(field.to_owned()) }
            })
            .collect();
        rows.push((line, cells));
    }
    Ok(RawSheet { name: name.to_owned(), rows })
}

/// A sheet may span at most this many cells: rows × columns of the smallest rectangle that
/// holds all its cells (a plan's table is a few thousand rows of a few dozen columns).
pub const MAX_SHEET_CELLS: u64 = 5_000_000;

/// The first sheet of an .xlsx file, its cells read one by one so that the rectangle they span
/// is known before it is allocated. calamine's `worksheet_range` allocates that rectangle
/// whole: a few kilobytes of .xlsx with one cell at row 400 000 000 asked for 115 GB and
/// aborted the program; at row 20 000 000 it took a minute. Such a sheet is refused here.
fn xlsx_first_sheet(xlsx: &mut calamine::Xlsx<Cursor<Vec<u8>>>) -> Result<calamine::Range<calamine::Data>, String> {
    use calamine::{Data, DataRef, Reader};
    let name = xlsx.sheet_names().first().cloned().ok_or("arbetsboken har inget blad")?;
    let mut reader = match xlsx.worksheet_cells_reader(&name) {
        Ok(reader) => reader,
        // A chart sheet first: no cells, as calamine's own reading gives.
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(calamine::Range::default()),
        Err(e) => return Err(e.to_string()),
    };
    let (mut low, mut high) = ((u32::MAX, u32::MAX), (0u32, 0u32));
    let mut cells = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(|e| e.to_string())? {
        if *cell.get_value() == DataRef::Empty {
            continue;
        }
        let (row, col) = cell.get_position();
        (low, high) = ((low.0.min(row), low.1.min(col)), (high.0.max(row), high.1.max(col)));
        let spanned = (u64::from(high.0 - low.0) + 1) * (u64::from(high.1 - low.1) + 1);
        if spanned > MAX_SHEET_CELLS {
            return Err(format!(
                "bladet sträcker sig över för många celler (rad {} och kolumn {} är med; högst {MAX_SHEET_CELLS} celler kan läsas)",
                u64::from(row) + 1,
                u64::from(col) + 1
            ));
        }
        cells.push(calamine::Cell::new((row, col), Data::from(cell.get_value().clone())));
    }
    Ok(calamine::Range::from_sparse(cells))
}

/// calamine reserves room for as many shared strings as the `uniqueCount` of
/// `sharedStrings.xml` claims, before it reads one: an .xlsx of a few kilobytes claiming 10¹⁵
/// strings aborted the program (a failed allocation is no panic that could be caught). A
/// claim of more strings than the part can hold – each takes at least the five bytes of
/// `<si/>` – is a damaged file.
fn check_shared_string_count(bytes: &[u8]) -> Result<(), String> {
    use std::io::Read;
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(()); // no zip: calamine tells what it is
    };
    for index in 0..archive.len() {
        let Ok(mut entry) = archive.by_index(index) else { continue };
        // calamine finds the part by this name, ignoring case.
        if !entry.name().is_ok_and(|n| n.to_ascii_lowercase().ends_with("sharedstrings.xml")) {
            continue;
        }
        let room = entry.size() / 5;
        // Read as far as calamine does: to the end of the first `<sst …>` tag (the start of
        // the part in any real file). Tags are found by `<`, which texts hold only escaped.
        let is_sst = |tag: &[u8]| {
            let name = tag.split(|b: &u8| b.is_ascii_whitespace() || *b == b'/').next().unwrap_or_default();
            name.rsplit(|&b| b == b':').next() == Some(&b"sst"[..])
        };
        let mut chunk = vec![0; 64 * 1024];
        let mut open: Option<Vec<u8>> = None;
        let sst = 'read: loop {
            let n = match entry.read(&mut chunk) {
                Ok(0) | Err(_) => break None,
                Ok(n) => n,
            };
            for &b in &chunk[..n] {
                if let Some(tag) = open.as_mut() {
                    if b != b'>' {
                        tag.push(b);
                        continue;
                    }
                    let tag = open.take().unwrap_or_default();
                    if is_sst(&tag) {
                        break 'read Some(tag);
                    }
                } else if b == b'<' {
                    open = Some(Vec::new());
                }
            }
        };
        let Some(tag) = sst else { continue };
        let mut rest = tag.as_slice();
        while let Some(at) = rest.windows(11).position(|w| w == b"uniqueCount") {
            rest = &rest[at + 11..];
            let Some(value) = rest.trim_ascii_start().strip_prefix(b"=").map(<[u8]>::trim_ascii_start) else { continue };
            let Some(digits) = value.strip_prefix(b"\"").or_else(|| value.strip_prefix(b"'")) else { continue };
            let claimed = digits
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .fold(0u64, |n, d| n.saturating_mul(10).saturating_add(u64::from(d - b'0')));
            if claimed > room {
                return Err(format!("kalkylbladet är skadat (det säger sig ha {claimed} texter men har plats för högst {room})"));
            }
        }
    }
    Ok(())
}

/// Reads the first sheet of an `.xlsx`, `.xls` or `.ods` file.
pub fn read_workbook(bytes: &[u8], name: &str) -> Result<RawSheet, SheetError> {
    use calamine::{Data, Range, Reader};
    let unreadable = |message: String| SheetError::Unreadable { name: name.to_owned(), message };
    // Before calamine unpacks anything: a zip bomb must not fill the memory.
    crate::safe_io::check_zip(bytes, name, crate::safe_io::Limits::IMPORT).map_err(|e| unreadable(e.reason()))?;
    check_shared_string_count(bytes).map_err(unreadable)?;
    // A damaged sheet can make calamine panic: a cell reference such as "A99999999999"
    // overflows its row arithmetic (a panic where overflow is checked, as in debug builds and
    // fuzzing). That is a file that cannot be read, not a reason to crash.
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| -> Result<Range<Data>, SheetError> {
        let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
            .map_err(|e| unreadable(format!("inget Excel- eller OpenDocument-kalkylblad ({e})")))?;
        if let calamine::Sheets::Xlsx(xlsx) = &mut workbook {
            return xlsx_first_sheet(xlsx).map_err(unreadable);
        }
        workbook
            .worksheet_range_at(0)
            .ok_or_else(|| unreadable("arbetsboken har inget blad".into()))?
            .map_err(|e| unreadable(e.to_string()))
    }));
    let range = read.unwrap_or_else(|_| Err(unreadable("kalkylbladet är skadat".into())))?;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let mut cells = vec![Cell::Empty; first_col as usize];
        cells.extend(row.iter().map(|cell| match cell {
            Data::Empty => Cell::Empty,
            Data::Float(f) => Cell::Number(*f),
            Data::Int(i) => Cell::Number(*i as f64),
            Data::String(s) if s.trim().is_empty() => Cell::Empty,
            Data::String(s) => Cell::Text(s.clone()),
            other => Cell::Text(other.to_string()),
        }));
        rows.push((first_row as usize + i + 1, cells));
    }
    Ok(RawSheet { name: name.to_owned(), rows })
}

/// Reads a spreadsheet file by its extension (`.csv`/`.txt` as CSV, anything else as a
/// workbook).
pub fn read_file(path: &std::path::Path) -> Result<RawSheet, SheetError> {
    let name = path.display().to_string();
    // Guarded: no device or FIFO (which would hang), nothing over the import cap.
    let bytes = crate::safe_io::read_file(path, crate::safe_io::Limits::IMPORT)
        .map_err(|e| SheetError::Unreadable { name: name.clone(), message: e.reason() })?;
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_lowercase();
    if extension == "csv" || extension == "txt" {
        read_csv(&bytes, &name)
    } else {
        read_workbook(&bytes, &name)
    }
}

/// What importing the sheet would change in `plan`.
pub fn preview(plan: &Plan, sheet: &RawSheet) -> Result<ImportPreview, SheetError> {
    let Some((_, header)) = sheet.rows.iter().find(|(_, cells)| cells.iter().any(|c| *c != Cell::Empty)) else {
        return Err(SheetError::MissingColumn { name: sheet.name.clone(), column: "Id".into() });
    };
    let header_line = sheet.rows.iter().position(|(_, cells)| std::ptr::eq(cells, header)).unwrap_or(0);
    let column = |wanted: &str| header.iter().position(|c| c.text().eq_ignore_ascii_case(wanted));
    let required = |wanted: &str| {
        column(wanted).ok_or_else(|| SheetError::MissingColumn { name: sheet.name.clone(), column: wanted.to_owned() })
    };
    let (id_col, series_col, kind_col) = (required("Id")?, required("Serie")?, required("Typ")?);
    let name_col = column("Indikator");
    let year_cols: Vec<(usize, i32)> = header
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let text = c.text();
            let year = text.strip_suffix(".0").unwrap_or(&text).parse::<i32>().ok()?;
            (1900..=2200).contains(&year).then_some((i, year))
        })
        .collect();
    if year_cols.is_empty() {
        return Err(SheetError::NoYears { name: sheet.name.clone() });
    }

    let by_id: std::collections::HashMap<ItemId, &Indicator> = plan.indicators.iter().map(|i| (i.id, i)).collect();
    let mut builder = PreviewBuilder::default();
    for (line, cells) in sheet.rows.iter().skip(header_line + 1) {
        let cell = |i: usize| cells.get(i).cloned().unwrap_or(Cell::Empty);
        if cells.iter().all(|c| *c == Cell::Empty) {
            continue;
        }
        let line = *line;
        let what = SkipPlace::Row { line, year: None };
        let at_year = |year: i32| SkipPlace::Row { line, year: Some(year) };
        let id_text = cell(id_col).text();
        let Some(id) = id_text.strip_suffix(".0").unwrap_or(&id_text).parse::<u32>().ok().map(ItemId) else {
            builder.skip(what, SkipReason::NotAnId { text: id_text.clone() });
            continue;
        };
        let Some(&indicator) = by_id.get(&id) else {
            builder.skip(what, SkipReason::NoIndicatorWithId { id: id.0 });
            continue;
        };
        if let Some(name) = name_col.map(|c| cell(c).text()).filter(|n| !n.is_empty())
            && name.trim() != indicator.name.trim()
        {
            let reason =
                SkipReason::OtherIndicatorName { id: id.0, plan_name: indicator.name.clone(), sheet_name: name };
            builder.skip(what, reason);
            continue;
        }
        let series_cell = cell(series_col);
        let series_name = series_cell.text();
        // The exact name first: "Totalt" and "Totalt " are two series (`check` reports them),
        // and matching only on the trimmed name gave both rows to the first one.
        let exact = match &series_cell {
            Cell::Text(raw) => Some(raw.as_str()),
            _ => None,
        };
        let series = exact
            .and_then(|raw| indicator.series.iter().find(|s| s.name == raw))
            .or_else(|| indicator.series.iter().find(|s| s.name.trim() == series_name));
        let Some(series) = series else {
            builder.skip(what, SkipReason::NoSuchSeries { indicator: indicator.name.clone(), series: series_name });
            continue;
        };
        let kind_text = cell(kind_col).text();
        let Some(kind) = ValueKind::from_swedish(&kind_text) else {
            builder.skip(what, SkipReason::UnknownKind { text: kind_text });
            continue;
        };
        let mut values = Vec::new();
        for &(col, year) in &year_cols {
            // Number cells and typed texts pass the rule typing and `check` use
            // (`check_value`, inside `parse_value` for texts): a value outside the unit's
            // range is skipped with that reason.
            let value = match cell(col) {
                Cell::Empty => continue,
                Cell::Number(n) if n.is_finite() => match check_value(n, &indicator.unit) {
                    Ok(()) => n,
                    Err(error) => {
                        builder.skip(at_year(year), SkipReason::OutOfRange(error));
                        continue;
                    }
                },
                Cell::Number(_) => {
                    builder.skip(at_year(year), SkipReason::NotFinite);
                    continue;
                }
                Cell::Text(text) => match parse_value(&text, &indicator.unit) {
                    Ok(Some(n)) => n,
                    Ok(None) => continue,
                    Err(error @ NumberError::OutOfRange { .. }) => {
                        builder.skip(at_year(year), SkipReason::OutOfRange(error));
                        continue;
                    }
                    Err(error) => {
                        builder.skip(at_year(year), SkipReason::Number(error));
                        continue;
                    }
                },
            };
            values.push((year, value));
        }
        if kind == ValueKind::Baseline && values.len() > 1 {
            builder.skip(what, SkipReason::SeveralBaselineYears { count: values.len() });
            continue;
        }
        for (year, value) in values {
            builder.propose(indicator, &series.name, series.kind, kind, year, value);
        }
    }
    Ok(builder.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats_follow_unit_and_decimals() {
        let plan = crate::examples::default_plan();
        let sick_leave = plan.indicators.iter().find(|i| i.unit == Unit::Percent).unwrap();
        assert_eq!(number_format(sick_leave), "0.0\" %\"");
        let mut kronor = sick_leave.clone();
        (kronor.unit, kronor.decimals) = (Unit::Kronor, 0);
        assert_eq!(number_format(&kronor), "#,##0\" kr\"");
    }

    #[test]
    fn formulas_are_neutralised_and_restored() {
        for text in ["=SUMMA(A1)", "+46", "@x", "-x", "-inf", "'=x", "''", "'-124"] {
            assert_eq!(unneutralise(&neutralise_formula(text)), text);
            assert!(neutralise_formula(text).starts_with('\''));
        }
        for text in ["-124", "Totalt", "'", "'x", ""] {
            assert_eq!(neutralise_formula(text), text);
            assert_eq!(unneutralise(text), text);
        }
    }

    #[test]
    fn skip_reasons_and_rows_read_in_english() {
        use crate::i18n::Lang;
        let plan = crate::examples::default_plan();
        let indicator = &plan.indicators[0];
        let (id, series) = (indicator.id.0, indicator.series[0].name.clone());
        let csv = format!(
            "Id;Indikator;Serie;Typ;2022;2023\r\n\
             x;;{series};Utfall;1;\r\n\
             99999;;{series};Utfall;1;\r\n\
             {id};;Ingen sådan;Utfall;1;\r\n\
             {id};;{series};Utfall;1;abc\r\n\
             {id};;{series};Prognos;1;\r\n"
        );
        let preview = preview(&plan, &read_csv(csv.as_bytes(), "t.csv").unwrap()).unwrap();
        let lf = super::preview(&plan, &read_csv(csv.replace("\r\n", "\n").as_bytes(), "t.csv").unwrap()).unwrap();
        assert_eq!(lf, preview, "row numbers are the same with LF and CRLF line ends");
        let english: Vec<String> = preview
            .skipped
            .iter()
            .map(|s| format!("{}: {}", s.what_in(Lang::English), s.reason_in(Lang::English)))
            .collect();
        assert_eq!(
            english,
            [
                "row 2: \"x\" in the Id column is not an id".to_owned(),
                "row 3: no indicator has id 99999".to_owned(),
                format!("row 4: \"{}\" has no series \"Ingen sådan\"", indicator.name),
                "row 5, 2023: \"abc\" is not a number".to_owned(),
                "row 6: Typ \"Prognos\" must be Utgångsvärde, Målvärde or Utfall".to_owned(),
            ]
        );
        let swedish: Vec<String> = preview.skipped.iter().map(|s| format!("{}: {}", s.what, s.reason)).collect();
        assert_eq!(swedish[0], "rad 2: \"x\" i kolumnen Id är inget id");
        assert_eq!(swedish[3], "rad 5, 2023: \"abc\" är inget tal");
        let renamed = SkipReason::OtherIndicatorName { id: 7, plan_name: "A".into(), sheet_name: "B".into() };
        assert_eq!(renamed.text_in(Lang::English), "id 7 is \"A\" in the plan, not \"B\"");
        assert_eq!(SkipReason::SeveralBaselineYears { count: 2 }.text_in(Lang::English), "a baseline has one year, the row has 2");
        assert_eq!(SkipReason::NotFinite.text_in(Lang::English), "the value is not a finite number");
    }

    #[test]
    fn csv_rows_are_numbered_by_the_line_they_start_on() {
        for end in ["\r\n", "\n"] {
            let text = ["Id;Serie", "", "\"a", "b\";x", "9;y", ""].join(end);
            let lines: Vec<usize> = read_csv(text.as_bytes(), "t.csv").unwrap().rows.iter().map(|(l, _)| *l).collect();
            assert_eq!(lines, [1, 3, 5], "{end:?}");
        }
    }

    #[test]
    fn csv_numbers_keep_every_digit_with_a_decimal_comma() {
        assert_eq!(csv_number(13.8), "13,8");
        assert_eq!(csv_number(5_180_000.0), "5180000");
        assert_eq!(csv_number(0.1 + 0.2), "0,30000000000000004");
    }
}
