//! The section *Budget* of the PDF report: for each budget its frame and the frame check, every
//! table as the document prints it – the title and the column labels in the header row, rows
//! with the label left and the amounts right-aligned, group names and subtotals, the total in
//! bold under a rule, a stated total that disagrees under it as *I dokumentet* with footnotes –
//! then the notes, the contributions to joint bodies and the measures for the efficiency
//! requirement.
//!
//! Amounts are right-aligned in columns of one width for the whole budget, so the columns of
//! all its tables line up. A table runs over as many pages as it needs and repeats its header
//! row on each; the layout is linear in the number of rows. The meaning never lies in colour:
//! totals are bold under a rule, stated figures carry their own label and a footnote number.

use std::ops::Range;

use crate::budget::money::format_amount;
use crate::budget::sums::{self, BudgetFigures, DifferenceAt, TableTotals, Total};
use crate::budget::{Budget, BudgetTable, Frame, MoneySettings};
use crate::i18n::Lang;
use crate::model::Plan;
use crate::report::pdf::{BODY, CONTENT_BOTTOM, CONTENT_WIDTH, LINE, Layout, MARGIN_X, Measure, Op, Structure};

/// The budgets a report prints, with how amounts are shown.
#[derive(Debug, Clone)]
pub struct BudgetSection<'a> {
    pub lang: Lang,
    pub money: MoneySettings,
    /// Each budget with its board as the heading names it ("Kommunstyrelsen (KS)").
    pub budgets: Vec<(String, &'a Budget)>,
    /// Whether each budget gets its chart of the net cost against the frame.
    pub charts: bool,
}

impl<'a> BudgetSection<'a> {
    /// No budget section.
    pub fn none() -> Self {
        Self { lang: Lang::Swedish, money: MoneySettings::default(), budgets: Vec::new(), charts: false }
    }

    /// The budgets of `plan`: the one of `board` (as `malplan budget --board` picks it), or all.
    pub fn new(plan: &'a Plan, board: Option<&str>) -> Self {
        let budgets = super::budget::selected(plan, board).into_iter().map(|b| (board_name(plan, b), b)).collect();
        Self { lang: Lang::Swedish, money: plan.money, budgets, charts: false }
    }

    /// The same with (or without) the charts.
    pub fn with_charts(self, charts: bool) -> Self {
        Self { charts, ..self }
    }

    pub fn is_empty(&self) -> bool {
        self.budgets.is_empty()
    }
}

fn board_name(plan: &Plan, budget: &Budget) -> String {
    plan.boards.iter().find(|b| b.code == budget.board).map_or_else(|| budget.board.clone(), |b| format!("{} ({})", b.name, b.code))
}

/// Right of every amount: room for a footnote number.
const GUTTER: f32 = 6.0;
/// Left of the widest amount, between columns.
const PAD: f32 = 6.0;
/// The label column is never narrower than this while smaller type or two-line column labels
/// can avoid it; beyond that the columns are printed in runs.
const MIN_LABEL: f32 = 135.0;
/// Labels longer than this may wrap even when smaller type would let them fit.
const MAX_LABEL: f32 = 200.0;
/// The type sizes tried for the tables, largest first.
const SIZES: [f32; 5] = [8.5, 8.0, 7.5, 7.0, 6.5];
/// Indent of the rows of a group.
const INDENT: f32 = 10.0;

/// The columns of a budget's tables on the page.
pub(super) struct Grid {
    pub(super) size: f32,
    label_width: f32,
    column_width: f32,
    /// Each column's label, in one line or (when they do not fit) split before the year.
    headers: Vec<Vec<String>>,
    /// The columns printed together: all of them, or runs when there are more than fit.
    pub(super) chunks: Vec<Range<usize>>,
}

impl Grid {
    /// The largest type at which the columns fit, preferring one where every row's label fits
    /// on one line (up to [`MAX_LABEL`]) and column labels on one line. `widths` are the widest
    /// amount and row labels, in bold at 1 pt.
    pub(super) fn new(measure: &Measure, labels: &[String], widths: Widths) -> Self {
        Self::with_min_label(measure, labels, widths, MIN_LABEL)
    }

    /// As [`Grid::new`], with the label column allowed down to `min_label` before the columns
    /// are split into runs (tables of short labels and many columns, like an income statement).
    pub(super) fn with_min_label(measure: &Measure, labels: &[String], widths: Widths, min_label: f32) -> Self {
                let n = labels.len().max(1) as f32;
        let full = |size: f32| labels.iter().map(|h| measure.width(h, size, true)).fold(0.0, f32::max);
        let word = |size: f32| labels.iter().flat_map(|h| h.split(' ')).map(|w| measure.width(w, size, true)).fold(0.0, f32::max);
        let whole_labels = |size: f32| (widths.label * size).max(widths.indented_label * size + INDENT) + 8.0;
        for whole in [true, false] {
            for size in SIZES {
                let minimum = if whole { whole_labels(size).clamp(min_label, MAX_LABEL.max(min_label)) } else { min_label };
                for (split, header) in [(false, full(size)), (true, word(size))] {
                    let column = (widths.amount * size).max(header) + GUTTER + PAD;
                    if column * n <= CONTENT_WIDTH - minimum {
                        return Self::with(measure, labels, size, CONTENT_WIDTH - column * labels.len() as f32, column, split, one_run(labels.len()));
                    }
                }
            }
        }
        let room = CONTENT_WIDTH - min_label;
        let widest = widths.amount;
        // More columns than a page holds: runs of as many as fit, as evenly as may be.
        let size = SIZES[1];
        let column = ((widest * size).max(word(size)) + GUTTER + PAD).min(CONTENT_WIDTH - 60.0);
        let per = ((room / column).floor() as usize).max(1);
        let runs = labels.len().div_ceil(per);
        let per = labels.len().div_ceil(runs);
        let chunks = (0..runs).map(|i| i * per..((i + 1) * per).min(labels.len())).collect();
        Self::with(measure, labels, size, (CONTENT_WIDTH - column * per as f32).max(60.0), column, true, chunks)
    }

    fn with(measure: &Measure, labels: &[String], size: f32, label_width: f32, column_width: f32, split: bool, chunks: Vec<Range<usize>>) -> Self {
        let headers = labels
            .iter()
            .map(|label| {
                if split {
                    // "Budget 2025" → "Budget" over "2025".
                    measure.wrap(&label.replacen(' ', "\n", 1), column_width - GUTTER, size, true)
                } else {
                    vec![label.clone()]
                }
            })
            .collect();
        Self { size, label_width, column_width, headers, chunks }
    }

    fn line_height(&self) -> f32 {
        self.size + 4.0
    }

    /// The right edge of the amounts of the `index`th column shown.
    fn right(&self, index: usize) -> f32 {
        MARGIN_X + self.label_width + (index + 1) as f32 * self.column_width - GUTTER
    }

    fn width(&self, columns: usize) -> f32 {
        self.label_width + columns as f32 * self.column_width
    }
}

/// All `columns` printed together.
fn one_run(columns: usize) -> Vec<Range<usize>> {
    std::iter::once(0..columns).collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A group's name above its rows.
    Group,
    Row,
    /// A group's computed subtotal.
    Subtotal,
    /// A total as the document states it, where it disagrees (under the computed one).
    Stated,
    /// The table's computed total.
    Total,
}

/// An amount as printed and its footnote number.
pub(super) type Cell = Option<(String, Option<usize>)>;

pub(super) struct Line {
    pub(super) kind: Kind,
    pub(super) indent: f32,
    pub(super) label: String,
    /// One per column of the budget.
    pub(super) cells: Vec<Cell>,
}

impl Line {
    fn bold(&self) -> bool {
        matches!(self.kind, Kind::Group | Kind::Subtotal | Kind::Total)
    }

    fn shows_in(&self, chunk: &Range<usize>) -> bool {
        self.kind != Kind::Stated || self.cells[chunk.clone()].iter().any(Option::is_some)
    }
}

/// A table ready to print: its lines, the footnotes on its stated totals and the note on
/// rounding differences.
pub(super) struct Printed {
    pub(super) title: String,
    pub(super) lines: Vec<Line>,
    pub(super) footnotes: Vec<(usize, String)>,
    pub(super) rounding: Option<String>,
}

pub(super) struct Texts {
    pub(super) lang: Lang,
}

impl Texts {
    pub(super) fn t(&self, swedish: &'static str, english: &'static str) -> &'static str {
        self.lang.t(swedish, english)
    }
}

/// Lays out one table's lines; footnote numbers continue from `mark`.
fn printed_table(
    budget: &Budget,
    table: &BudgetTable,
    totals: &TableTotals,
    figures: &BudgetFigures,
    settings: &MoneySettings,
    texts: &Texts,
    mark: &mut usize,
) -> Printed {
    let n = budget.columns.len();
    let amount = |a: Option<Total>| a.map(|a| (format_amount(a, settings), None));
    // The differences of this table with their explanations, numbered in table order.
    let differences: Vec<(&sums::Difference, usize)> = figures
        .differences
        .iter()
        .filter(|d| d.table == table.id)
        .map(|d| {
            *mark += 1;
            (d, *mark)
        })
        .collect();
    let footnotes = differences
        .iter()
        .map(|(_, number)| *number)
        .zip(sums::difference_lines(budget, table, figures, settings, texts.lang))
        .collect();
    // The stated figures at `at`, only where they differ.
    let stated = |at: &DifferenceAt| -> Vec<Cell> {
        let mut cells = vec![None; n];
        for (d, number) in differences.iter().filter(|(d, _)| d.at == *at) {
            if let Some(cell) = cells.get_mut(d.column) {
                *cell = Some((format_amount(d.stated, settings), Some(*number)));
            }
        }
        cells
    };
    let stated_line = |at: &DifferenceAt, indent: f32| {
        let cells = stated(at);
        cells.iter().any(Option::is_some).then(|| Line { kind: Kind::Stated, indent, label: texts.t("I dokumentet", "In the document").to_owned(), cells })
    };

    let grouped = table.is_grouped();
    let indent = if grouped { INDENT } else { 0.0 };
    let mut lines = Vec::with_capacity(table.rows().count() + 3 * table.groups.len() + 2);
    for (index, group) in table.groups.iter().enumerate() {
        if grouped {
            lines.push(Line { kind: Kind::Group, indent: 0.0, label: group.name.clone(), cells: vec![None; n] });
        }
        for row in &group.rows {
            let cells = (0..n).map(|c| amount(row.amount(c).map(Total::from))).collect();
            lines.push(Line { kind: Kind::Row, indent, label: row.label(), cells });
        }
        if grouped {
            let cells = totals.groups[index].iter().map(|a| amount(*a)).collect();
            let label = if group.name.is_empty() { table.total_label.clone() } else { format!("{} {}", table.total_label, group.name) };
            lines.push(Line { kind: Kind::Subtotal, indent, label, cells });
            lines.extend(stated_line(&DifferenceAt::Group(index), indent));
        }
    }
    let mut cells: Vec<Cell> = totals.total.iter().map(|a| amount(*a)).collect();
    // A total that is not the total of the table it must equal carries the footnote itself.
    for (d, number) in differences.iter().filter(|(d, _)| matches!(d.at, DifferenceAt::OtherTable(_))) {
        if let Some(Some((_, mark))) = cells.get_mut(d.column) {
            *mark = Some(*number);
        }
    }
    lines.push(Line { kind: Kind::Total, indent: 0.0, label: table.total_label.clone(), cells });
    lines.extend(stated_line(&DifferenceAt::Total, 0.0));

    let rounding = sums::rounding_columns(table, totals, settings);
    let rounding = (!rounding.is_empty()).then(|| {
        let columns: Vec<String> = rounding.iter().filter_map(|&c| budget.columns.get(c)).map(|c| c.label(texts.lang)).collect();
        format!(
            "{} ({}): {}",
            texts.t("Avrundningsdifferenser förekommer", "Rounding differences occur"),
            columns.join(", "),
            texts.t(
                "raderna är avrundade var för sig, summorna är räknade på de exakta beloppen.",
                "each row is rounded on its own, the totals are computed from the exact amounts."
            )
        )
    });
    Printed { title: table.title.clone(), lines, footnotes, rounding }
}

pub(super) fn grey(l: &mut Layout<'_>, x: f32, baseline: f32, size: f32, text: &str) {
    l.ops().push(Op::Text { x, y: baseline, size, bold: false, italic: false, grey: true, text: text.to_owned() });
}

fn right_text(l: &mut Layout<'_>, right: f32, baseline: f32, size: f32, bold: bool, text: &str) {
    let x = right - l.measure.width(text, size, bold);
    l.text(x, baseline, size, bold, text);
}

/// The header row: the table's title left, the column labels right-aligned over their amounts.
fn header_height(l: &Layout<'_>, grid: &Grid, chunk: &Range<usize>, title: &str) -> f32 {
    let title_lines = l.measure.wrap(title, grid.label_width - 8.0, grid.size, true).len();
    let header_lines = grid.headers[chunk.clone()].iter().map(Vec::len).max().unwrap_or(1);
    title_lines.max(header_lines) as f32 * grid.line_height() + 5.0
}

/// The header row: the table's title over the labels and the column headings. Repeated on a
/// continuation page, it is page furniture for the tagged PDF.
fn draw_header(l: &mut Layout<'_>, grid: &Grid, chunk: &Range<usize>, title: &str, repeated: bool) {
    let height = header_height(l, grid, chunk, title);
    let top = l.y;
    let lh = grid.line_height();
    l.ops().push(Op::Band { x: MARGIN_X, y: top, width: grid.width(chunk.len()), height });
    l.begin(if repeated { Structure::Artifact } else { Structure::Row });
    l.begin(Structure::HeaderCell);
    for (i, line) in l.measure.wrap(title, grid.label_width - 8.0, grid.size, true).iter().enumerate() {
        l.text(MARGIN_X + 3.0, top + lh * (i as f32 + 1.0), grid.size, true, line);
    }
    l.end();
    for (index, column) in chunk.clone().enumerate() {
        l.begin(Structure::HeaderCell);
        for (i, line) in grid.headers[column].iter().enumerate() {
            right_text(l, grid.right(index), top + lh * (i as f32 + 1.0), grid.size, true, line);
        }
        l.end();
    }
    l.end();
    l.y = top + height + 1.0;
}

/// One line of a table; returns its height.
fn line_height(l: &Layout<'_>, grid: &Grid, line: &Line) -> (Vec<String>, f32) {
    let labels = l.measure.wrap(&line.label, grid.label_width - line.indent - 8.0, grid.size, line.bold());
    let space_above = match line.kind {
        Kind::Group | Kind::Total => 3.0,
        _ => 0.0,
    };
    let height = labels.len().max(1) as f32 * grid.line_height() + 2.0 + space_above;
    (labels, height)
}

/// Prints `table`'s columns `chunk`, over as many pages as it takes (the header row repeated).
pub(super) fn draw_table(l: &mut Layout<'_>, grid: &Grid, chunk: &Range<usize>, table: &Printed, texts: &Texts) {
    let lh = grid.line_height();
    let title = if grid.chunks.len() > 1 {
        let first = chunk.start + 1;
        format!("{} ({} {first}–{} {} {})", table.title, texts.t("kolumn", "columns"), chunk.end, texts.t("av", "of"), grid.headers.len())
    } else {
        table.title.clone()
    };
    let continued = format!("{title} ({})", texts.t("forts.", "cont."));
    // The header row keeps at least its first rows on its page.
    l.ensure(header_height(l, grid, chunk, &title) + 3.0 * lh + 6.0);
    l.begin(Structure::Table);
    draw_header(l, grid, chunk, &title, false);
    let shown: Vec<&Line> = table.lines.iter().filter(|line| line.shows_in(chunk)).collect();
    let laid: Vec<(Vec<String>, f32)> = shown.iter().map(|line| line_height(l, grid, line)).collect();
    // What must stay on the page with each line: a group's name with its first row, the last
    // row with the subtotal, a total with the stated figure under it and with what precedes it.
    let mut keep = vec![0.0; shown.len()];
    for i in (0..shown.len()).rev() {
        let binds = shown.get(i + 1).is_some_and(|next| match next.kind {
            Kind::Stated | Kind::Total => true,
            Kind::Subtotal => shown[i].kind == Kind::Row,
            Kind::Row => shown[i].kind == Kind::Group,
            Kind::Group => false,
        });
        keep[i] = laid[i].1 + if binds { keep[i + 1] } else { 0.0 };
    }
    for (i, (line, (labels, _))) in shown.iter().zip(laid).enumerate() {
        // A chain of more than half a page (labels of many lines) starts where it is and
        // breaks where it must.
        let need = if keep[i] > 350.0 { lh + 5.0 } else { keep[i] };
        if l.y + need > CONTENT_BOTTOM {
            l.new_page();
            draw_header(l, grid, chunk, &continued, true);
        }
        let mut top = l.y;
        let right_edge = MARGIN_X + grid.width(chunk.len());
        match line.kind {
            Kind::Group => top += 3.0,
            Kind::Total => {
                top += 3.0;
                l.ops().push(Op::Rule { x1: MARGIN_X, x2: right_edge, y: top, width: 1.1 });
            }
            Kind::Subtotal => {
                l.ops().push(Op::Rule { x1: MARGIN_X + line.indent, x2: right_edge, y: top, width: 0.6 });
            }
            Kind::Row | Kind::Stated => {}
        }
        let bold = line.bold();
        let baseline = top + lh - 2.0;
        // The label's first line, then the amounts (so the text reads, and copies, in order).
        let x = MARGIN_X + 3.0 + line.indent;
        l.begin(Structure::Row);
        l.begin(if line.kind == Kind::Group { Structure::HeaderCell } else { Structure::Cell });
        if let Some(first) = labels.first().filter(|first| !first.is_empty()) {
            l.text(x, baseline, grid.size, bold, first);
        }
        l.end();
        for (index, column) in chunk.clone().enumerate() {
            l.begin(Structure::Cell);
            if let Some((text, mark)) = &line.cells[column] {
                let right = grid.right(index);
                right_text(l, right, baseline, grid.size, bold, text);
                if let Some(mark) = mark {
                    l.text(right + 1.0, baseline - grid.size * 0.4, grid.size * 0.7, false, &mark.to_string());
                }
            }
            l.end();
        }
        // The rest of the label, on the next pages too when it is longer than a page.
        let mut y = top + lh;
        if labels.len() > 1 {
            l.begin(Structure::Cell);
        }
        for label in labels.iter().skip(1) {
            if y + lh > CONTENT_BOTTOM {
                l.new_page();
                draw_header(l, grid, chunk, &continued, true);
                y = l.y;
            }
            l.text(x, y + lh - 2.0, grid.size, bold, label);
            y += lh;
        }
        if labels.len() > 1 {
            l.end();
        }
        // The total refers to the note on rounding differences.
        if line.kind == Kind::Total && table.rounding.is_some() {
            let after = x + labels.last().map_or(0.0, |label| l.measure.width(label, grid.size, bold)) + 1.0;
            l.begin(Structure::Cell);
            l.text(after, y - 2.0 - grid.size * 0.4, grid.size * 0.8, false, "*");
            l.end();
        }
        l.end();
        l.y = y + 2.0;
        // A thin rule between rows; a subtotal or total draws its own.
        if line.kind == Kind::Row && shown.get(i + 1).is_none_or(|next| matches!(next.kind, Kind::Row | Kind::Group)) {
            let y = l.y - 0.5;
            l.ops().push(Op::Rule { x1: MARGIN_X, x2: right_edge, y, width: 0.25 });
        }
    }
    l.end();
    l.y += 2.0;
    if chunk.end == grid.headers.len() {
        notes(l, table);
    }
    l.y += 8.0;
}

/// The footnotes under a table and the note on rounding differences.
fn notes(l: &mut Layout<'_>, table: &Printed) {
    const SIZE: f32 = 7.5;
    let width = CONTENT_WIDTH - 16.0;
    let footnotes = table.footnotes.iter().map(|(n, text)| (n.to_string(), text.as_str()));
    let rounding = table.rounding.iter().map(|text| ("*".to_owned(), text.as_str()));
    for (mark, text) in footnotes.chain(rounding) {
        for (i, line) in l.measure.wrap(text, width, SIZE, false).iter().enumerate() {
            l.ensure(SIZE * 1.4);
            l.y += SIZE * 1.4;
            if i == 0 {
                l.text(MARGIN_X + 3.0, l.y - 2.0, SIZE * 0.8, false, &mark);
            }
            l.text(MARGIN_X + 16.0, l.y, SIZE, false, line);
        }
    }
}

/// A paragraph with a mark (a bullet, a dash) left of its first line.
pub(super) fn hanging(l: &mut Layout<'_>, x: f32, indent: f32, mark: &str, text: &str, size: f32, bold: bool) {
    let lines = l.measure.wrap(text, MARGIN_X + CONTENT_WIDTH - x - indent, size, bold);
    for (i, line) in lines.iter().enumerate() {
        l.ensure(size * 1.35);
        l.y += size * 1.35;
        if i == 0 {
            l.text(x, l.y, size, bold, mark);
        }
        l.text(x + indent, l.y, size, bold, line);
    }
}

fn measures(l: &mut Layout<'_>, frame: &Frame, settings: &MoneySettings, texts: &Texts) {
    if frame.measures.is_empty() {
        return;
    }
    let plain = MoneySettings { costs_positive: false, ..*settings };
    let unit = settings.unit.label(texts.lang);
    l.heading(
        &format!(
            "{} {} {unit}",
            texts.t("Åtgärder för effektiviseringskravet", "Measures for the efficiency requirement"),
            format_amount(frame.efficiency_requirement.into(), &plain)
        ),
        11.0,
    );
    for measure in &frame.measures {
        // A measure's title keeps its first lines of consequences on its page.
        l.ensure(LINE * 4.0);
        l.y += 3.0;
        hanging(l, MARGIN_X, 10.0, "•", &measure.title, BODY, true);
        if !measure.consequences.is_empty() {
            l.y += BODY * 1.3;
            let y = l.y;
            grey(l, MARGIN_X + 10.0, y, BODY - 1.0, texts.t("Möjliga konsekvenser:", "Possible consequences:"));
            for consequence in &measure.consequences {
                hanging(l, MARGIN_X + 10.0, 9.0, "–", consequence, BODY - 0.5, false);
                l.y += 1.5;
            }
        }
        l.y += 3.0;
    }
}

/// The widest amount and row labels of a budget's tables, in bold at 1 pt.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Widths {
    amount: f32,
    /// Of the labels without indent and of those indented.
    label: f32,
    indented_label: f32,
}

pub(super) fn widths<'t>(measure: &Measure, tables: impl IntoIterator<Item = &'t Printed>) -> Widths {
    let mut widths = Widths { amount: measure.width("0", 1.0, true), ..Widths::default() };
    for line in tables.into_iter().flat_map(|t| &t.lines) {
        for (text, _) in line.cells.iter().flatten() {
            widths.amount = widths.amount.max(measure.width(text, 1.0, true));
        }
        let label = measure.width(&line.label, 1.0, true);
        if line.indent > 0.0 {
            widths.indented_label = widths.indented_label.max(label);
        } else {
            widths.label = widths.label.max(label);
        }
    }
    widths
}

fn budget(l: &mut Layout<'_>, board: &str, budget: &Budget, settings: &MoneySettings, texts: &Texts, charts: bool) {
    let figures = sums::figures(budget);
    l.heading(&format!("Budget {} – {board}", budget.year), 13.0);
    l.y += BODY;
    let y = l.y;
    grey(l, MARGIN_X, y, BODY - 1.0, &amounts_note(settings, texts));
    l.y += 2.0;
    for text in frame_texts(budget, &figures, settings, texts) {
        l.paragraph(MARGIN_X, CONTENT_WIDTH, &text, BODY + 0.5);
    }
    l.y += 8.0;

    let (labels, tables) = printed_tables(budget, &figures, settings, texts);
    let contributions = contributions_table(budget, &figures, settings, texts);
    let grid = Grid::new(l.measure, &labels, widths(l.measure, &tables));
    for table in &tables {
        for chunk in &grid.chunks {
            draw_table(l, &grid, chunk, table, texts);
        }
    }

    // The net cost per year against the frame, on paper as in the app.
    if let Some(chart) = net_cost_chart(budget, &figures, settings, texts).filter(|_| charts) {
        let height = 140.0;
        l.ensure(height + 10.0);
        let top = l.y + 4.0;
        super::chart_pdf::draw(l, MARGIN_X, top, CONTENT_WIDTH * 0.62, height, &chart);
        l.y = top + height + 8.0;
    }
    for note in &budget.notes {
        l.paragraph(MARGIN_X, CONTENT_WIDTH, note, BODY);
        l.y += 4.0;
    }
    if let Some(contributions) = &contributions {
        l.y += 4.0;
        // A narrow table of its own: the names, and what the budget year sets aside.
        let column = budget.budget_year_column().and_then(|c| labels.get(c).cloned()).unwrap_or_else(|| format!("Budget {}", budget.year));
        let size = grid.size;
        let own = widths(l.measure, [contributions]);
        let label_width = l.measure.width(&contributions.title, size, true).max(own.label * size) + 24.0;
        let column_width = grid.column_width.max((own.amount * size).max(l.measure.width(&column, size, true)) + GUTTER + PAD);
        let label_width = label_width.min(CONTENT_WIDTH - column_width);
        let small = Grid::with(l.measure, std::slice::from_ref(&column), size, label_width, column_width, false, one_run(1));
        draw_table(l, &small, &(0..1), contributions, texts);
    }
    if let Some(frame) = &budget.frame {
        measures(l, frame, settings, texts);
    }
}

/// The net cost (positive) per column year of the table against the frame (else the first
/// operating table), with the frame as a level; `None` with fewer than two years.
pub(super) fn net_cost_chart(budget: &Budget, figures: &BudgetFigures, settings: &MoneySettings, texts: &Texts) -> Option<super::chart_pdf::ChartData> {
    let table = budget
        .tables
        .iter()
        .position(|t| t.against_frame)
        .or_else(|| budget.tables.iter().position(|t| t.kind == crate::budget::TableKind::Operating))?;
    let scale = settings.unit.factor() as f64;
    let mut points: Vec<(i32, f64)> = Vec::new();
    for (column, total) in budget.columns.iter().zip(&figures.totals[table].total) {
        if let Some(total) = total {
            // A later column of the same year (a budget after the actual) is the one shown.
            points.retain(|(year, _)| *year != column.year);
            points.push((column.year, -(*total as f64) / scale));
        }
    }
    points.sort_by_key(|(year, _)| *year);
    if points.len() < 2 {
        return None;
    }
    let unit = settings.unit.label(texts.lang);
    let level = budget.frame.as_ref().map(|f| (format!("{} {}", texts.t("Ram", "Frame"), budget.year), f.amount as f64 / scale));
    let title = format!("{} ({unit})", texts.t("Nettokostnad per år och ramen", "Net cost per year and the frame"));
    Some(super::chart_pdf::ChartData::money(title, texts.t("Nettokostnad", "Net cost"), points, level, false, settings.decimals))
}

/// "Belopp i tkr; intäkter positiva, kostnader negativa."
pub(super) fn amounts_note(settings: &MoneySettings, texts: &Texts) -> String {
    let convention = if settings.costs_positive {
        texts.t("kostnader positiva, intäkter negativa", "costs positive, income negative")
    } else {
        texts.t("intäkter positiva, kostnader negativa", "income positive, costs negative")
    };
    format!("{} {}; {convention}.", texts.t("Belopp i", "Amounts in"), settings.unit.label(texts.lang))
}

/// The frame and its check against the budget, as sentences.
pub(super) fn frame_texts(budget: &Budget, figures: &BudgetFigures, settings: &MoneySettings, texts: &Texts) -> Vec<String> {
    let lang = texts.lang;
    let unit = settings.unit.label(lang);
    let plain = MoneySettings { costs_positive: false, ..*settings };
    let mut out = Vec::new();
    if let Some(frame) = &budget.frame {
        let mut text = format!("{} {} {unit}", texts.t("Ram", "Frame"), format_amount(frame.amount.into(), &plain));
        if frame.efficiency_requirement != 0 {
            let percent = sums::requirement_percent(budget)
                .map(|p| format!(" ({} %)", crate::followup::number::format_number(p, 1)))
                .unwrap_or_default();
            text.push_str(&format!(
                ", {} {} {unit}{percent}",
                texts.t("effektiviseringskrav", "efficiency requirement"),
                format_amount(frame.efficiency_requirement.into(), &plain)
            ));
        }
        out.push(text);
    }
    if let Some(check) = &figures.frame {
        out.push(check.describe(settings, lang));
    }
    out
}

/// The budget's column headings and its tables as printed.
pub(super) fn printed_tables(budget: &Budget, figures: &BudgetFigures, settings: &MoneySettings, texts: &Texts) -> (Vec<String>, Vec<Printed>) {
    let mut mark = 0;
    let tables: Vec<Printed> = budget
        .tables
        .iter()
        .zip(&figures.totals)
        .map(|(table, totals)| printed_table(budget, table, totals, figures, settings, texts, &mut mark))
        .collect();
    (budget.columns.iter().map(|c| c.label(texts.lang)).collect(), tables)
}

/// What the budget year sets aside for joint bodies, as a one-column table.
pub(super) fn contributions_table(budget: &Budget, figures: &BudgetFigures, settings: &MoneySettings, texts: &Texts) -> Option<Printed> {
    let unit = settings.unit.label(texts.lang);
    let plain = MoneySettings { costs_positive: false, ..*settings };
    (!budget.contributions.is_empty()).then(|| {
        let line = |kind, label: &str, amount: Total| Line {
            kind,
            indent: 0.0,
            label: label.to_owned(),
            cells: vec![Some((format_amount(amount, &plain), None))],
        };
        let mut lines: Vec<Line> = budget.contributions.iter().map(|c| line(Kind::Row, &c.name, c.amount.into())).collect();
        lines.push(line(Kind::Total, texts.t("Summa", "Total"), figures.contributions));
        let title = format!("{} {} ({unit})", texts.t("Samverkan", "Joint bodies"), budget.year);
        Printed { title, lines, footnotes: Vec::new(), rounding: None }
    })
}

/// The section *Budget*: each budget of `section` in turn, starting on a new page unless the
/// heading, the frame and the start of the first table fit on the current one.
pub(super) fn layout(l: &mut Layout<'_>, section: &BudgetSection<'_>) {
    let texts = Texts { lang: section.lang };
    for (board, b) in &section.budgets {
        if !l.ensure(260.0) {
            l.y += 12.0;
        }
        budget(l, board, b, &section.money, &texts, section.charts);
    }
}
