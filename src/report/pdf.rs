//! The printable A4 report (*Lägesbild*) as PDF, with krilla and the bundled DejaVu Sans.
//!
//! Layout happens first, into pages of simple drawing operations; only then is the PDF
//! written, so every page can say "Sida 2 av 5". Tables that continue on a new page repeat
//! their header. Symbols are vector paths from `crate::symbols`: shapes carry the meaning in
//! black and white, colour only helps. A plan's budgets follow the goals as the section
//! *Budget* (`crate::report::budget_pdf`), when the report is made with them
//! ([`report_pdf_with_budget`]).

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, LineCap, LineJoin, Stroke};
use krilla::text::{Font, TextDirection};

use crate::followup::IndicatorStatus;
use crate::model::{Assessment, CommitmentStatus, GoalLevel, Trend};
use crate::report::budget_pdf::{self, BudgetSection};
use crate::report::overview::Overview;
use crate::symbols::{self, Part, Symbol, Tone};

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
// Italic for emphasis in the narrative chapters (DejaVu's oblique faces, same licence).
const ITALIC: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Oblique.ttf");
const BOLD_ITALIC: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-BoldOblique.ttf");

/// A4 in PDF points.
pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;
pub(super) const MARGIN_X: f32 = 48.0;
const CONTENT_TOP: f32 = 78.0;
pub(super) const CONTENT_BOTTOM: f32 = PAGE_HEIGHT - 56.0;
pub(super) const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN_X;

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("rapportens typsnitt kunde inte läsas")]
    Font,
    #[error("PDF-filen kunde inte skapas: {0}")]
    Pdf(String),
}

/// One drawing operation on a page, in points from the top-left corner.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// `y` is the text baseline.
    Text { x: f32, y: f32, size: f32, bold: bool, italic: bool, grey: bool, text: String },
    /// A symbol in the square at (x, y) of side `size`; `alt` says what it means
    /// ("Bedömning: uppnår") for screen readers.
    Symbol { x: f32, y: f32, size: f32, symbol: Symbol, alt: String },
    Rule { x1: f32, x2: f32, y: f32, width: f32 },
    Band { x: f32, y: f32, width: f32, height: f32 },
    /// A line through `points` (closed: a polygon), stroked in `grey` (0 black), dashed when
    /// `dash` is given, filled in `fill` grey when given. Charts are drawn with it.
    Path { points: Vec<(f32, f32)>, closed: bool, width: f32, dash: Option<[f32; 2]>, grey: u8, fill: Option<u8> },
    /// Opens a structure element of the tagged PDF: what is drawn until the matching `End`
    /// belongs to it (an element may run over several pages).
    Begin(Structure),
    End,
}

/// The logical structure of the document, for the tagged PDF's structure tree: what a screen
/// reader reads, in reading order. Text outside every element is read as a paragraph of its
/// own; rules and bands are page furniture.
#[derive(Debug, Clone, PartialEq)]
pub enum Structure {
    /// Heading level 1–6 with its text.
    Heading(u8, String),
    Paragraph,
    List { ordered: bool },
    ListItem,
    /// A list item's bullet or number.
    Label,
    ListBody,
    Table,
    Row,
    HeaderCell,
    Cell,
    Contents,
    ContentsItem,
    /// A chart: what is drawn inside belongs to it; the text says what it shows.
    Figure(String),
    /// Running headers, page numbers, a table header repeated on a new page: not read.
    Artifact,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Page {
    pub ops: Vec<Op>,
}

/// Text measurement in the bundled fonts.
///
/// Advances are looked up once per font when the measure is made (for the characters of
/// most European texts and general punctuation) and summed as whole font units, so a text is
/// measured in one pass and a line's width grows by adding a word's: wrapping is linear in
/// the text's length, whether it has spaces or is one long run of characters.
pub struct Measure {
    regular: FaceMetrics,
    bold: FaceMetrics,
    italic: FaceMetrics,
    bold_italic: FaceMetrics,
}

/// One face with its advances for the common characters, in font units.
struct FaceMetrics {
    face: ttf_parser::Face<'static>,
    units_per_em: f32,
    /// The advance of each character with a slot (see [`FaceMetrics::slot`]).
    advances: Box<[f32]>,
}

/// Characters below this have a slot: Latin, Greek, Cyrillic and more.
const TABLE_LOW: u32 = 0x800;
/// General punctuation (dashes, quotes, the ellipsis) have slots after those.
const TABLE_PUNCTUATION: std::ops::Range<u32> = 0x2000..0x2070;

impl FaceMetrics {
    fn new(font: &'static [u8]) -> Result<Self, ReportError> {
        let face = ttf_parser::Face::parse(font, 0).map_err(|_| ReportError::Font)?;
        let units_per_em = f32::from(face.units_per_em());
        let mut metrics = Self { face, units_per_em, advances: Box::default() };
        metrics.advances = (0..TABLE_LOW)
            .chain(TABLE_PUNCTUATION)
            .map(|code| char::from_u32(code).map_or(0.0, |c| metrics.look_up(c)))
            .collect();
        Ok(metrics)
    }

    fn slot(c: char) -> Option<usize> {
        let code = u32::from(c);
        if code < TABLE_LOW {
            Some(code as usize)
        } else if TABLE_PUNCTUATION.contains(&code) {
            Some((TABLE_LOW + code - TABLE_PUNCTUATION.start) as usize)
        } else {
            None
        }
    }

    /// The advance in font units; half an em for a character the font lacks.
    fn look_up(&self, c: char) -> f32 {
        self.face
            .glyph_index(c)
            .and_then(|g| self.face.glyph_hor_advance(g))
            .map_or(self.units_per_em * 0.5, f32::from)
    }

    fn advance(&self, c: char) -> f32 {
        match Self::slot(c) {
            Some(slot) => self.advances[slot],
            None => self.look_up(c),
        }
    }

    /// The advance of `text` in font units. Advances are whole units (or half an em), so the
    /// sum is exact in `f64` and does not depend on the order of adding: a line's width is
    /// its words' widths plus its spaces'.
    fn advance_of(&self, text: &str) -> f64 {
        text.chars().map(|c| f64::from(self.advance(c))).sum()
    }

    /// Font units to points at `size`, rounded as the width of the whole text always was.
    fn points(&self, units: f64, size: f32) -> f32 {
        units as f32 / self.units_per_em * size
    }
}

impl Measure {
    pub fn new() -> Result<Self, ReportError> {
        Ok(Self {
            regular: FaceMetrics::new(REGULAR)?,
            bold: FaceMetrics::new(BOLD)?,
            italic: FaceMetrics::new(ITALIC)?,
            bold_italic: FaceMetrics::new(BOLD_ITALIC)?,
        })
    }

    fn metrics(&self, bold: bool) -> &FaceMetrics {
        self.metrics_of(bold, false)
    }

    fn metrics_of(&self, bold: bool, italic: bool) -> &FaceMetrics {
        match (bold, italic) {
            (false, false) => &self.regular,
            (true, false) => &self.bold,
            (false, true) => &self.italic,
            (true, true) => &self.bold_italic,
        }
    }

    pub fn width(&self, text: &str, size: f32, bold: bool) -> f32 {
        self.width_styled(text, size, bold, false)
    }

    /// The width of `text` in the face for bold and/or italic.
    pub fn width_styled(&self, text: &str, size: f32, bold: bool, italic: bool) -> f32 {
        let metrics = self.metrics_of(bold, italic);
        metrics.points(metrics.advance_of(text), size)
    }

    /// Breaks `text` into lines no wider than `width` (explicit line breaks kept; a word wider
    /// than the line is split).
    ///
    /// Linear in the text: each word is measured once and a line's width is kept as a running
    /// sum (never re-measured per word); a word wider than the line is broken by characters,
    /// adding one advance at a time.
    pub fn wrap(&self, text: &str, width: f32, size: f32, bold: bool) -> Vec<String> {
        let metrics = self.metrics(bold);
        let fits = |units: f64| metrics.points(units, size) <= width;
        let space = f64::from(metrics.advance(' '));
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            let mut line_units = 0.0;
            for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
                let word_units = metrics.advance_of(word);
                let candidate = if line.is_empty() { word_units } else { line_units + space + word_units };
                if fits(candidate) {
                    if !line.is_empty() {
                        line.push(' ');
                    }
                    line.push_str(word);
                    line_units = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // The word starts a new line; when it is wider than the line, split it by
                // characters (a piece keeps at least one character).
                let mut piece = String::new();
                let (mut piece_units, mut piece_chars) = (0.0, 0usize);
                for c in word.chars() {
                    let advance = f64::from(metrics.advance(c));
                    piece.push(c);
                    piece_units += advance;
                    piece_chars += 1;
                    if !fits(piece_units) && piece_chars > 1 {
                        piece.pop();
                        lines.push(std::mem::take(&mut piece));
                        piece.push(c);
                        (piece_units, piece_chars) = (advance, 1);
                    }
                }
                line = piece;
                line_units = piece_units;
            }
            lines.push(line);
        }
        lines
    }
}

/// A table column: header text and width.
pub(super) struct ColumnSpec {
    pub(super) title: &'static str,
    pub(super) width: f32,
}

pub(super) enum Cell {
    Text(String),
    Bold(String),
    /// Symbols, each with an optional label beside it and the text that says what it means.
    Symbols(Vec<(Symbol, Option<String>, String)>),
}

/// A heading as laid out: for the table of contents.
#[derive(Debug, Clone, PartialEq)]
pub struct LaidHeading {
    pub level: u8,
    pub text: String,
    /// Counted from 0.
    pub page: usize,
    /// Whether the table of contents may list it (a chapter's own sub-headings are not).
    pub listed: bool,
}

pub(super) struct Layout<'a> {
    pub(super) measure: &'a Measure,
    pages: Vec<Page>,
    /// Where the next line starts, in points from the top of the page.
    pub(super) y: f32,
    /// The level [`Layout::heading`] gives (a section inside a document part is one deeper).
    pub(super) heading_level: u8,
    pub(super) headings: Vec<LaidHeading>,
}

pub(super) const BODY: f32 = 9.0;
pub(super) const LINE: f32 = 12.0;

impl<'a> Layout<'a> {
    pub(super) fn new(measure: &'a Measure) -> Self {
        Self {
            measure,
            pages: vec![Page::default()],
            y: CONTENT_TOP,
            heading_level: 1,
            headings: Vec::new(),
        }
    }

    pub(super) fn begin(&mut self, structure: Structure) {
        self.ops().push(Op::Begin(structure));
    }

    pub(super) fn end(&mut self) {
        self.ops().push(Op::End);
    }

    pub(super) fn into_pages(self) -> Vec<Page> {
        self.pages
    }

    pub(super) fn page_index(&self) -> usize {
        self.pages.len() - 1
    }

    /// A heading at `level` (1 the part, 2 and 3 inside it), recorded for the contents.
    pub(super) fn heading_at(&mut self, level: u8, text: &str) {
        self.heading_listed(level, text, true);
    }

    pub(super) fn heading_listed(&mut self, level: u8, text: &str, listed: bool) {
        let size = match level {
            1 => 14.0,
            2 => 12.0,
            _ => 10.5,
        };
        let lines = self.measure.wrap(text, CONTENT_WIDTH, size, true);
        self.ensure(lines.len() as f32 * size * 1.3 + 6.0 * LINE);
        self.headings.push(LaidHeading { level, text: text.to_owned(), page: self.page_index(), listed });
        self.begin(Structure::Heading(level, text.to_owned()));
        self.y += size * 0.5;
        for line in lines {
            self.y += size * 1.25;
            self.text(MARGIN_X, self.y, size, true, &line);
        }
        self.y += size * 0.4;
        self.end();
    }

    pub(super) fn ops(&mut self) -> &mut Vec<Op> {
        &mut self.pages.last_mut().expect("a page is always open").ops
    }

    pub(super) fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = CONTENT_TOP;
    }

    /// Starts a new page unless `height` fits.
    pub(super) fn ensure(&mut self, height: f32) -> bool {
        if self.y + height > CONTENT_BOTTOM {
            self.new_page();
            true
        } else {
            false
        }
    }

    pub(super) fn text(&mut self, x: f32, baseline: f32, size: f32, bold: bool, text: &str) {
        self.ops().push(Op::Text { x, y: baseline, size, bold, italic: false, grey: false, text: text.to_owned() });
    }

    pub(super) fn heading(&mut self, text: &str, size: f32) {
        let lines = self.measure.wrap(text, CONTENT_WIDTH, size, true);
        // Keep a heading together with the start of what follows.
        self.ensure(lines.len() as f32 * size * 1.3 + 6.0 * LINE);
        let level = self.heading_level;
        self.headings.push(LaidHeading { level, text: text.to_owned(), page: self.page_index(), listed: true });
        self.begin(Structure::Heading(level, text.to_owned()));
        self.y += size * 0.5;
        for line in lines {
            self.y += size * 1.25;
            self.text(MARGIN_X, self.y, size, true, &line);
        }
        self.y += size * 0.4;
        self.end();
    }

    pub(super) fn paragraph(&mut self, x: f32, width: f32, text: &str, size: f32) {
        self.begin(Structure::Paragraph);
        for line in self.measure.wrap(text, width, size, false) {
            self.ensure(size * 1.35);
            self.y += size * 1.35;
            self.text(x, self.y, size, false, &line);
        }
        self.end();
    }

    /// The header row; on a continuation page it is repeated as page furniture.
    fn table_header(&mut self, columns: &[ColumnSpec], repeated: bool) {
        let height = LINE + 6.0;
        let y = self.y;
        self.ops().push(Op::Band { x: MARGIN_X, y, width: CONTENT_WIDTH, height });
        self.begin(if repeated { Structure::Artifact } else { Structure::Row });
        let mut x = MARGIN_X + 3.0;
        for column in columns {
            let baseline = self.y + LINE;
            if !repeated {
                self.begin(Structure::HeaderCell);
            }
            self.text(x, baseline, BODY - 0.5, true, column.title);
            if !repeated {
                self.end();
            }
            x += column.width;
        }
        self.end();
        self.y += height;
    }

    /// A table whose rows may run over several pages; the header is repeated on each.
    pub(super) fn table(&mut self, columns: &[ColumnSpec], rows: Vec<Vec<Cell>>) {
        self.ensure(2.0 * (LINE + 6.0));
        self.begin(Structure::Table);
        self.table_header(columns, false);
        for row in rows {
            // Wrap each text cell to its column.
            let wrapped: Vec<Vec<String>> = row
                .iter()
                .zip(columns)
                .map(|(cell, column)| match cell {
                    Cell::Text(t) => self.measure.wrap(t, column.width - 8.0, BODY, false),
                    Cell::Bold(t) => self.measure.wrap(t, column.width - 8.0, BODY, true),
                    Cell::Symbols(_) => vec![String::new()],
                })
                .collect();
            let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let height = lines as f32 * LINE + 5.0;
            if self.ensure(height) {
                self.table_header(columns, true);
            }
            let top = self.y;
            let mut x = MARGIN_X + 3.0;
            self.begin(Structure::Row);
            for ((cell, column), lines) in row.iter().zip(columns).zip(wrapped) {
                self.begin(Structure::Cell);
                match cell {
                    Cell::Text(_) | Cell::Bold(_) => {
                        let bold = matches!(cell, Cell::Bold(_));
                        for (i, line) in lines.iter().enumerate() {
                            self.text(x, top + LINE * (i as f32 + 1.0), BODY, bold, line);
                        }
                    }
                    Cell::Symbols(symbols) => {
                        let mut sx = x;
                        for (symbol, label, alt) in symbols {
                            self.ops().push(Op::Symbol { x: sx, y: top + 3.0, size: 10.0, symbol: symbol.clone(), alt: alt.clone() });
                            sx += 13.0;
                            if let Some(label) = label {
                                self.text(sx, top + LINE, BODY - 1.0, false, label);
                                sx += self.measure.width(label, BODY - 1.0, false) + 5.0;
                            }
                        }
                    }
                }
                self.end();
                x += column.width;
            }
            self.end();
            self.y = top + height;
            let y = self.y - 1.5;
            self.ops().push(Op::Rule { x1: MARGIN_X, x2: MARGIN_X + CONTENT_WIDTH, y, width: 0.3 });
        }
        self.end();
        self.y += 6.0;
    }
}

/// What a symbol means, for screen readers (the PDF's alternative text).
pub(super) fn assessment_alt(a: Assessment) -> String {
    format!("Bedömning: {}", crate::i18n::Lang::Swedish.assessment_lower(a))
}

pub(super) fn trend_alt(t: Trend) -> String {
    let word = match t {
        Trend::Better => "bättre än föregående år",
        Trend::Unchanged => "oförändrad mot föregående år",
        Trend::Worse => "sämre än föregående år",
    };
    format!("Trend: {word}")
}

pub(super) fn status_alt(s: CommitmentStatus) -> String {
    format!("Status: {}", status_text(s).to_lowercase())
}

fn assessment_text(a: Assessment) -> &'static str {
    match a {
        Assessment::Achieved => "Uppnår",
        Assessment::Partly => "Delvis",
        Assessment::NotAchieved => "Ej uppnår",
        Assessment::NotAssessed => "Ej bedömd",
    }
}

pub(super) fn status_text(s: CommitmentStatus) -> &'static str {
    match s {
        CommitmentStatus::NotStarted => "Ej påbörjat",
        CommitmentStatus::InProgress => "Pågår",
        CommitmentStatus::Done => "Klart",
        CommitmentStatus::Delayed => "Försenat",
        CommitmentStatus::Cancelled => "Avbrutet",
    }
}

fn indicator_assessment(status: IndicatorStatus) -> Assessment {
    match status {
        IndicatorStatus::Achieved => Assessment::Achieved,
        IndicatorStatus::Partly => Assessment::Partly,
        IndicatorStatus::NotAchieved => Assessment::NotAchieved,
        IndicatorStatus::NoData => Assessment::NotAssessed,
    }
}

/// Lays the report out into pages (without page headers, which need the page count).
pub fn layout(overview: &Overview, measure: &Measure) -> Vec<Page> {
    layout_with_budget(overview, &BudgetSection::none(), measure)
}

/// Lays the report out with the section *Budget* after the goals (none when `budget` has no
/// budgets), then the legend.
pub fn layout_with_budget(overview: &Overview, budget: &BudgetSection<'_>, measure: &Measure) -> Vec<Page> {
    layout_report(overview, &super::economy_pdf::EconomySection::none(), budget, &super::chart_pdf::ChartSection::none(), measure)
}

/// Lays the whole report out: the goals (with the indicators' charts as `charts` says), the
/// section *Ekonomisk redovisning* (the period's economic follow-ups), the section *Budget*,
/// then the legend.
pub fn layout_report(
    overview: &Overview,
    economy: &super::economy_pdf::EconomySection<'_>,
    budget: &BudgetSection<'_>,
    charts: &super::chart_pdf::ChartSection,
    measure: &Measure,
) -> Vec<Page> {
    let mut l = Layout::new(measure);
    l.y += 4.0;
    let top = l.y;
    l.text(MARGIN_X, top + 18.0, 18.0, true, &format!("Lägesbild – {}", overview.period));
    l.y += 28.0;
    let subtitle = match &overview.board {
        Some(board) => format!("{} · {} · {board}", overview.organisation, overview.plan_title),
        None => format!("{} · {}", overview.organisation, overview.plan_title),
    };
    l.paragraph(MARGIN_X, CONTENT_WIDTH, &subtitle, 10.0);
    l.y += 6.0;

    // Summary: every area and goal with assessment and trend.
    l.heading("Sammanställning", 13.0);
    summary_table(&mut l, overview);

    // Details: each goal with its comment, commitments and indicators.
    l.heading("Mål, åtaganden och indikatorer", 13.0);
    goal_sections(&mut l, overview, 2, charts);

    super::economy_pdf::layout(&mut l, economy);
    budget_pdf::layout(&mut l, budget);
    legend(&mut l, true);
    l.pages
}

/// Every area and goal above the board goals with assessment and trend.
pub(super) fn summary_table(l: &mut Layout<'_>, overview: &Overview) {
    let summary_columns = [
        ColumnSpec { title: "Område / mål", width: CONTENT_WIDTH - 150.0 },
        ColumnSpec { title: "Bedömning", width: 90.0 },
        ColumnSpec { title: "Trend", width: 60.0 },
    ];
    let rows = overview
        .goals
        .iter()
        .filter(|g| g.level != GoalLevel::BoardGoal)
        .map(|g| {
            let indent = "    ".repeat(g.depth);
            let title = format!("{indent}{}", g.title);
            vec![
                if g.depth == 0 { Cell::Bold(title) } else { Cell::Text(title) },
                Cell::Symbols(vec![(symbols::assessment(g.assessment), Some(assessment_text(g.assessment).to_owned()), assessment_alt(g.assessment))]),
                Cell::Symbols(g.trend.map(|t| vec![(symbols::trend(t), None, trend_alt(t))]).unwrap_or_default()),
            ]
        })
        .collect();
    l.table(&summary_columns, rows);
}

/// Each goal with its comment, commitments and indicators; a goal's title is a heading at
/// `top_level` + its depth (at most 6).
pub(super) fn goal_sections(l: &mut Layout<'_>, overview: &Overview, top_level: u8, charts: &super::chart_pdf::ChartSection) {
    let measure = l.measure;
    for goal in &overview.goals {
        let size = if goal.depth == 0 { 12.0 } else { 10.5 };
        l.ensure(size * 2.0 + 3.0 * LINE);
        l.y += size * 0.8;
        let x = MARGIN_X + goal.depth.min(3) as f32 * 10.0;
        let top = l.y;
        l.ops().push(Op::Symbol { x, y: top, size: size + 1.0, symbol: symbols::assessment(goal.assessment), alt: assessment_alt(goal.assessment) });
        let mut tx = x + size + 5.0;
        if let Some(trend) = goal.trend {
            l.ops().push(Op::Symbol { x: tx, y: top, size: size + 1.0, symbol: symbols::trend(trend), alt: trend_alt(trend) });
            tx += size + 5.0;
        }
        let title_lines = measure.wrap(&goal.title, MARGIN_X + CONTENT_WIDTH - tx, size, true);
        let level = (top_level as usize + goal.depth).min(6) as u8;
        l.headings.push(LaidHeading { level, text: goal.title.clone(), page: l.page_index(), listed: true });
        l.begin(Structure::Heading(level, goal.title.clone()));
        for (i, line) in title_lines.iter().enumerate() {
            l.text(tx, top + size * (i as f32 + 1.0) * 1.15 - 1.0, size, true, line);
        }
        l.end();
        l.y += title_lines.len() as f32 * size * 1.15 + 2.0;
        if !goal.comment.is_empty() {
            l.paragraph(tx, MARGIN_X + CONTENT_WIDTH - tx, &goal.comment, BODY);
        }
        // The economy the goal rests on: the forecast against budget, beside its indicators.
        for note in &goal.economy {
            l.paragraph(tx, MARGIN_X + CONTENT_WIDTH - tx, &format!("Ekonomi ({}): {}", note.board, note.swedish), BODY);
        }
        l.y += 3.0;
        if !goal.commitments.is_empty() {
            let columns = [
                ColumnSpec { title: "Åtagande", width: CONTENT_WIDTH - 230.0 },
                ColumnSpec { title: "Ansvar", width: 90.0 },
                ColumnSpec { title: "Status", width: 75.0 },
                ColumnSpec { title: "Färdiggrad", width: 65.0 },
            ];
            let rows = goal
                .commitments
                .iter()
                .map(|c| {
                    vec![
                        Cell::Text(c.text.clone()),
                        Cell::Text(c.boards.clone()),
                        Cell::Symbols(vec![(symbols::commitment_status(c.status), Some(status_text(c.status).to_owned()), status_alt(c.status))]),
                        Cell::Symbols(c.completion.map(|p| vec![(symbols::completion(p), Some(format!("{p} %")), format!("Färdiggrad: {p} %"))]).unwrap_or_default()),
                    ]
                })
                .collect();
            l.table(&columns, rows);
        }
        if !goal.indicators.is_empty() {
            let columns = [
                ColumnSpec { title: "Indikator", width: CONTENT_WIDTH - 250.0 },
                ColumnSpec { title: "Utfall", width: 70.0 },
                ColumnSpec { title: "Mål", width: 70.0 },
                ColumnSpec { title: "Status", width: 110.0 },
            ];
            let rows = goal
                .indicators
                .iter()
                .map(|i| {
                    let mut status = vec![(
                        symbols::assessment(indicator_assessment(i.status)),
                        Some(i.status.swedish().to_owned()),
                        format!("Status: {}", i.status.swedish()),
                    )];
                    if let Some(trend) = i.trend {
                        status.insert(1, (symbols::trend(trend), None, trend_alt(trend)));
                    }
                    vec![Cell::Text(i.name.clone()), Cell::Text(i.outcome.clone()), Cell::Text(i.target.clone()), Cell::Symbols(status)]
                })
                .collect();
            l.table(&columns, rows);
            indicator_charts(l, goal, charts);
        }
    }
}

/// The goal's indicators' charts: three in a row (small) or one per row (full). An indicator
/// without any value has none.
fn indicator_charts(l: &mut Layout<'_>, goal: &super::overview::GoalLine, charts: &super::chart_pdf::ChartSection) {
    use super::chart_pdf::ChartMode;
    let data: Vec<&super::chart_pdf::ChartData> =
        goal.indicators.iter().filter_map(|i| charts.charts.get(&i.id)).filter(|d| d.series.iter().any(|s| !s.points.is_empty()) || !d.targets.is_empty()).collect();
    let (per_row, height) = match charts.mode {
        ChartMode::None => return,
        ChartMode::Small => (3, 118.0),
        ChartMode::Full => (1, 170.0),
    };
    let gap = 12.0;
    let width = (CONTENT_WIDTH - gap * (per_row - 1) as f32) / per_row as f32;
    for row in data.chunks(per_row) {
        l.ensure(height + 8.0);
        let top = l.y + 2.0;
        for (i, chart) in row.iter().enumerate() {
            super::chart_pdf::draw(l, MARGIN_X + i as f32 * (width + gap), top, width, height, chart);
        }
        l.y = top + height + 8.0;
    }
}

/// *Förklaring symboler*, as in the board reports.
/// What each symbol means, by group – the legend of the PDF and of the Word file.
pub(super) fn legend_groups() -> [(&'static str, Vec<(Symbol, &'static str)>); 4] {
    [
        (
            "Bedömning",
            vec![
                (symbols::assessment(Assessment::Achieved), "Bedöms uppnå resultatmålen"),
                (symbols::assessment(Assessment::Partly), "Bedöms delvis uppnå resultatmålen"),
                (symbols::assessment(Assessment::NotAchieved), "Bedöms ej uppnå resultatmålen"),
                (symbols::assessment(Assessment::NotAssessed), "Ej bedömd / saknar utfall"),
            ],
        ),
        (
            "Trendpil",
            vec![
                (symbols::trend(Trend::Better), "Bättre än föregående år"),
                (symbols::trend(Trend::Unchanged), "Oförändrad mot föregående år"),
                (symbols::trend(Trend::Worse), "Sämre än föregående år"),
            ],
        ),
        (
            "Åtaganden",
            vec![
                (symbols::commitment_status(CommitmentStatus::Done), "Klart, avslutat"),
                (symbols::commitment_status(CommitmentStatus::InProgress), "Pågår"),
                (symbols::commitment_status(CommitmentStatus::Delayed), "Försenat"),
                (symbols::commitment_status(CommitmentStatus::NotStarted), "Ej påbörjat"),
                (symbols::commitment_status(CommitmentStatus::Cancelled), "Avbrutet"),
            ],
        ),
        (
            "Färdiggrad",
            vec![
                (symbols::completion(0), "0 %"),
                (symbols::completion(20), "20 %"),
                (symbols::completion(80), "80 %"),
                (symbols::completion(100), "100 %"),
            ],
        ),
    ]
}

pub(super) fn legend(l: &mut Layout<'_>, with_heading: bool) {
    l.ensure(260.0);
    if with_heading {
        l.heading("Förklaring symboler", 13.0);
    }
    let groups = legend_groups();
    for (title, entries) in groups {
        l.ensure(LINE * (entries.len() as f32 + 2.0));
        l.y += LINE;
        let y = l.y;
        l.begin(Structure::Heading(l.heading_level + 1, title.to_owned()));
        l.text(MARGIN_X, y, 10.0, true, title);
        l.end();
        l.begin(Structure::List { ordered: false });
        for (symbol, meaning) in entries {
            l.y += LINE + 3.0;
            let y = l.y;
            l.begin(Structure::ListItem);
            l.begin(Structure::Label);
            l.ops().push(Op::Symbol { x: MARGIN_X + 4.0, y: y - 9.5, size: 11.0, symbol, alt: format!("{title}: {meaning}") });
            l.end();
            l.begin(Structure::ListBody);
            l.text(MARGIN_X + 22.0, y, BODY, false, meaning);
            l.end();
            l.end();
        }
        l.end();
        l.y += 4.0;
    }
}

/// Adds the page header (organisation, plan, period, board, date) and "Sida N av M".
pub(super) fn decorate(pages: &mut [Page], overview: &Overview, date: &str) {
    let total = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        let left = format!("{} – {}", overview.organisation, overview.plan_title);
        let right = match &overview.board {
            Some(board) => format!("{} · {board}", overview.period),
            None => overview.period.clone(),
        };
        page.ops.push(Op::Begin(Structure::Artifact));
        page.ops.push(Op::Text { x: MARGIN_X, y: 36.0, size: 8.0, bold: true, italic: false, grey: false, text: left });
        page.ops.push(Op::Text { x: MARGIN_X, y: 48.0, size: 8.0, bold: false, italic: false, grey: true, text: format!("{right} · utskriven {date}") });
        page.ops.push(Op::Rule { x1: MARGIN_X, x2: PAGE_WIDTH - MARGIN_X, y: 56.0, width: 0.6 });
        page.ops.push(Op::Text {
            x: PAGE_WIDTH / 2.0 - 22.0,
            y: PAGE_HEIGHT - 30.0,
            size: 8.0,
            bold: false,
            italic: false,
            grey: true,
            text: format!("Sida {} av {total}", i + 1),
        });
        page.ops.push(Op::End);
    }
}

pub(super) fn tone_rgb(tone: Tone) -> rgb::Color {
    let (r, g, b) = tone.rgb();
    rgb::Color::new(r, g, b)
}

fn fill(color: rgb::Color) -> Fill {
    Fill { paint: color.into(), opacity: NormalizedF32::ONE, rule: FillRule::NonZero }
}

fn stroke(color: rgb::Color, width: f32) -> Stroke {
    Stroke {
        paint: color.into(),
        width,
        line_cap: LineCap::Round,
        line_join: LineJoin::Round,
        ..Stroke::default()
    }
}

fn polygon_path(points: &[(f32, f32)], close: bool) -> Option<krilla::geom::Path> {
    let mut pb = PathBuilder::new();
    let (first, rest) = points.split_first()?;
    pb.move_to(first.0, first.1);
    for p in rest {
        pb.line_to(p.0, p.1);
    }
    if close {
        pb.close();
    }
    pb.finish()
}

fn circle_points(cx: f32, cy: f32, r: f32) -> Vec<(f32, f32)> {
    (0..48)
        .map(|i| {
            let a = i as f32 / 48.0 * std::f32::consts::TAU;
            (cx + r * a.cos(), cy + r * a.sin())
        })
        .collect()
}

fn draw_symbol(surface: &mut krilla::surface::Surface<'_>, x: f32, y: f32, size: f32, symbol: &Symbol) {
    let color = tone_rgb(symbol.tone);
    let black = rgb::Color::new(0, 0, 0);
    let at = |(px, py): (f32, f32)| (x + px * size, y + py * size);
    for part in &symbol.parts {
        match part {
            Part::Circle { center, radius, filled } => {
                let (cx, cy) = at(*center);
                let Some(path) = polygon_path(&circle_points(cx, cy, radius * size), true) else { continue };
                surface.set_fill(filled.then(|| fill(color)));
                // An empty circle carries its tone in a thicker outline.
                let (outline, width) = if *filled || symbol.tone == Tone::Neutral { (black, 0.8) } else { (color, 1.3) };
                surface.set_stroke(Some(stroke(outline, width)));
                surface.draw_path(&path);
            }
            Part::FilledPolygon(points) => {
                let points: Vec<_> = points.iter().map(|p| at(*p)).collect();
                let Some(path) = polygon_path(&points, true) else { continue };
                surface.set_fill(Some(fill(color)));
                surface.set_stroke(Some(stroke(black, 0.6)));
                surface.draw_path(&path);
            }
            Part::Line { points, width } => {
                let points: Vec<_> = points.iter().map(|p| at(*p)).collect();
                let Some(path) = polygon_path(&points, false) else { continue };
                surface.set_fill(None);
                let line_color = if symbol.tone == Tone::Yellow { black } else { color };
                surface.set_stroke(Some(stroke(line_color, (width * size).max(0.6))));
                surface.draw_path(&path);
            }
            Part::Dot { center, radius } => {
                let (cx, cy) = at(*center);
                let Some(path) = polygon_path(&circle_points(cx, cy, (radius * size).max(0.6)), true) else { continue };
                surface.set_fill(Some(fill(black)));
                surface.set_stroke(None);
                surface.draw_path(&path);
            }
        }
    }
}

/// Writes the laid-out pages as a tagged PDF: language sv-SE, the title shown by viewers, and
/// a structure tree (headings, paragraphs, lists, tables with header cells, symbols as
/// figures with alternative text) in reading order. PDF/UA-1 when krilla's validator accepts
/// the document; otherwise the same tagged PDF without the claim (see [`render_tagged`]).
pub fn render(pages: &[Page], title: &str) -> Result<Vec<u8>, ReportError> {
    render_tagged(pages, title).map(|(bytes, _)| bytes)
}

/// Like [`render`], and whether the document was written as PDF/UA-1.
pub fn render_tagged(pages: &[Page], title: &str) -> Result<(Vec<u8>, bool), ReportError> {
    match render_with(pages, title, true) {
        Ok(bytes) => Ok((bytes, true)),
        Err(ReportError::Pdf(_)) => render_with(pages, title, false).map(|bytes| (bytes, false)),
        Err(error) => Err(error),
    }
}

fn tag_for(structure: &Structure) -> krilla::tagging::TagKind {
    use krilla::tagging::{ListNumbering, Tag, TableHeaderScope};
    match structure {
        Structure::Heading(level, text) => {
            let level = std::num::NonZeroU16::new(u16::from((*level).clamp(1, 6))).unwrap_or(std::num::NonZeroU16::MIN);
            Tag::Hn(level, Some(text.clone())).into()
        }
        Structure::Paragraph => Tag::P.into(),
        Structure::List { ordered } => Tag::L(if *ordered { ListNumbering::Decimal } else { ListNumbering::Disc }).into(),
        Structure::ListItem => Tag::LI.into(),
        Structure::Label => Tag::Lbl.into(),
        Structure::ListBody => Tag::LBody.into(),
        Structure::Table => Tag::Table.into(),
        Structure::Row => Tag::TR.into(),
        Structure::HeaderCell => Tag::TH(TableHeaderScope::Column).into(),
        Structure::Cell => Tag::TD.into(),
        Structure::Contents => Tag::TOC.into(),
        Structure::ContentsItem => Tag::TOCI.into(),
        Structure::Figure(alt) => Tag::Figure(Some(alt.clone())).into(),
        Structure::Artifact => Tag::Div.into(),
    }
}

/// Headings as nested bookmarks: each takes the deeper headings after it as children.
fn outline_nodes(headings: &[(u8, String, usize, f32)]) -> Vec<krilla::outline::OutlineNode> {
    let mut nodes = Vec::new();
    let mut i = 0;
    while i < headings.len() {
        let (level, text, page, y) = &headings[i];
        let end = headings[i + 1..].iter().position(|h| h.0 <= *level).map_or(headings.len(), |p| i + 1 + p);
        let destination = krilla::destination::XyzDestination::new(*page, Point::from_xy(0.0, *y));
        let mut node = krilla::outline::OutlineNode::new(text.clone(), destination);
        for child in outline_nodes(&headings[i + 1..end]) {
            node.push_child(child);
        }
        nodes.push(node);
        i = end;
    }
    nodes
}

fn render_with(pages: &[Page], title: &str, pdf_ua: bool) -> Result<Vec<u8>, ReportError> {
    use krilla::tagging::{ArtifactType, ContentTag, Node, SpanTag, Tag, TagGroup, TagTree};
    let regular = Font::new(REGULAR.to_vec().into(), 0).ok_or(ReportError::Font)?;
    let bold = Font::new(BOLD.to_vec().into(), 0).ok_or(ReportError::Font)?;
    let italic = Font::new(ITALIC.to_vec().into(), 0).ok_or(ReportError::Font)?;
    let bold_italic = Font::new(BOLD_ITALIC.to_vec().into(), 0).ok_or(ReportError::Font)?;
    let mut settings = krilla::SerializeSettings { enable_tagging: true, ..Default::default() };
    if pdf_ua {
        settings.configuration = krilla::configure::ConfigurationBuilder::new()
            .with_accessibility_validator(krilla::configure::Accessibility::UA1)
            .finish()
            .map_err(|e| ReportError::Pdf(format!("{e:?}")))?;
    }
    let mut document = Document::new_with(settings);
    document.set_metadata(
        krilla::metadata::Metadata::new()
            .title(title.to_owned())
            .language("sv-SE".to_owned())
            .creator("Målplan".to_owned()),
    );
    // Open structure elements, outermost first; they may run over pages.
    let mut open: Vec<TagGroup> = Vec::new();
    let mut tree = TagTree::new();
    let mut artifact_depth = 0usize;
    // Inside a figure (a chart) its lines are content of the figure, not page furniture.
    let mut figure_depth = 0usize;
    // Bookmarks: every heading with its page and place (PDF/UA asks for them).
    let mut bookmarks: Vec<(u8, String, usize, f32)> = Vec::new();
    fn attach(open: &mut [TagGroup], tree: &mut TagTree, node: Node) {
        match open.last_mut() {
            Some(parent) => parent.push(node),
            None => tree.push(node),
        }
    }
    for (page_index, page_ops) in pages.iter().enumerate() {
        for (i, op) in page_ops.ops.iter().enumerate() {
            if let Op::Begin(Structure::Heading(level, text)) = op {
                let y = page_ops.ops[i..].iter().find_map(|op| match op {
                    Op::Text { y, size, .. } => Some(y - size * 1.2),
                    _ => None,
                });
                bookmarks.push((*level, text.clone(), page_index, y.unwrap_or(CONTENT_TOP).max(0.0)));
            }
        }
        let page_settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).ok_or_else(|| ReportError::Pdf("sidstorlek".into()))?;
        let mut page = document.start_page_with(page_settings);
        let mut surface = page.surface();
        for op in &page_ops.ops {
            match op {
                Op::Begin(Structure::Artifact) => artifact_depth += 1,
                Op::Begin(structure) if artifact_depth == 0 => {
                    if matches!(structure, Structure::Figure(_)) {
                        figure_depth += 1;
                    }
                    open.push(TagGroup::new(tag_for(structure)));
                }
                Op::Begin(_) => artifact_depth += 1,
                Op::End if artifact_depth > 0 => artifact_depth -= 1,
                Op::End => {
                    if let Some(group) = open.pop() {
                        if matches!(group.tag, krilla::tagging::TagKind::Figure(_)) {
                            figure_depth = figure_depth.saturating_sub(1);
                        }
                        attach(&mut open, &mut tree, group.into());
                    }
                }
                Op::Path { points, closed, width, dash, grey, fill: fill_grey } => {
                    let Some(path) = polygon_path(points, *closed) else { continue };
                    let in_figure = figure_depth > 0 && artifact_depth == 0;
                    let tag = if in_figure { ContentTag::Other } else { ContentTag::Artifact(krilla::tagging::Artifact::new(ArtifactType::Layout, None)) };
                    let id = surface.start_tagged(tag);
                    surface.set_fill(fill_grey.map(|g| fill(rgb::Color::new(g, g, g))));
                    let mut line = stroke(rgb::Color::new(*grey, *grey, *grey), *width);
                    if let Some([on, off]) = dash {
                        line.dash = Some(krilla::paint::StrokeDash { array: vec![*on, *off], offset: 0.0 });
                        line.line_cap = LineCap::Butt;
                    }
                    surface.set_stroke(Some(line));
                    surface.draw_path(&path);
                    surface.end_tagged();
                    if in_figure {
                        attach(&mut open, &mut tree, id.into());
                    }
                }
                Op::Text { x, y, size, bold: is_bold, italic: is_italic, grey, text } => {
                    let grey = if *grey { 90 } else { 0 };
                    let tag = if artifact_depth > 0 {
                        ContentTag::Artifact(krilla::tagging::Artifact::new(ArtifactType::PaginationOther, None))
                    } else {
                        ContentTag::Span(SpanTag::empty())
                    };
                    let id = surface.start_tagged(tag);
                    surface.set_stroke(None);
                    surface.set_fill(Some(fill(rgb::Color::new(grey, grey, grey))));
                    let font = match (*is_bold, *is_italic) {
                        (false, false) => regular.clone(),
                        (true, false) => bold.clone(),
                        (false, true) => italic.clone(),
                        (true, true) => bold_italic.clone(),
                    };
                    surface.draw_text(Point::from_xy(*x, *y), font, *size, text, false, TextDirection::Auto);
                    surface.end_tagged();
                    if artifact_depth == 0 {
                        if open.is_empty() {
                            // Loose text reads as a paragraph of its own.
                            let mut paragraph = TagGroup::new(Tag::P);
                            paragraph.push(id);
                            tree.push(paragraph);
                        } else {
                            attach(&mut open, &mut tree, id.into());
                        }
                    }
                }
                Op::Symbol { x, y, size, symbol, alt } => {
                    if artifact_depth > 0 {
                        surface.start_tagged(ContentTag::Artifact(krilla::tagging::Artifact::new(ArtifactType::Layout, None)));
                        draw_symbol(&mut surface, *x, *y, *size, symbol);
                        surface.end_tagged();
                    } else {
                        let id = surface.start_tagged(ContentTag::Other);
                        draw_symbol(&mut surface, *x, *y, *size, symbol);
                        surface.end_tagged();
                        let mut figure = TagGroup::new(Tag::Figure(Some(alt.clone())));
                        figure.push(id);
                        attach(&mut open, &mut tree, figure.into());
                    }
                }
                Op::Rule { x1, x2, y, width } => {
                    if let Some(path) = polygon_path(&[(*x1, *y), (*x2, *y)], false) {
                        surface.start_tagged(ContentTag::Artifact(krilla::tagging::Artifact::new(ArtifactType::Layout, None)));
                        surface.set_fill(None);
                        surface.set_stroke(Some(stroke(rgb::Color::new(150, 150, 150), *width)));
                        surface.draw_path(&path);
                        surface.end_tagged();
                    }
                }
                Op::Band { x, y, width, height } => {
                    let points = [(*x, *y), (x + width, *y), (x + width, y + height), (*x, y + height)];
                    if let Some(path) = polygon_path(&points, true) {
                        surface.start_tagged(ContentTag::Artifact(krilla::tagging::Artifact::new(ArtifactType::Layout, None)));
                        surface.set_stroke(None);
                        surface.set_fill(Some(fill(rgb::Color::new(230, 230, 230))));
                        surface.draw_path(&path);
                        surface.end_tagged();
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
    // Elements left open (a layout that forgot an End) still belong to the tree.
    while let Some(group) = open.pop() {
        attach(&mut open, &mut tree, group.into());
    }
    document.set_tag_tree(tree);
    let mut outline = krilla::outline::Outline::new();
    for node in outline_nodes(&bookmarks) {
        outline.push_child(node);
    }
    document.set_outline(outline);
    document.finish().map_err(|e| ReportError::Pdf(format!("{e:?}")))
}

/// The whole report for an overview: layout, page headers and the PDF bytes.
pub fn report_pdf(overview: &Overview, date: &str) -> Result<(Vec<u8>, usize), ReportError> {
    report_pdf_with_budget(overview, &BudgetSection::none(), date)
}

/// The whole report with the plan's budgets (see [`BudgetSection::new`]): for the plan, or for
/// the board the overview is limited to.
pub fn report_pdf_with_budget(overview: &Overview, budget: &BudgetSection<'_>, date: &str) -> Result<(Vec<u8>, usize), ReportError> {
    report_pdf_charts(overview, &super::economy_pdf::EconomySection::none(), budget, &super::chart_pdf::ChartSection::none(), date)
}

/// The whole report: the goals with the indicators' charts as `charts` says, the period's
/// economic follow-ups and the plan's budgets.
pub fn report_pdf_charts(
    overview: &Overview,
    economy: &super::economy_pdf::EconomySection<'_>,
    budget: &BudgetSection<'_>,
    charts: &super::chart_pdf::ChartSection,
    date: &str,
) -> Result<(Vec<u8>, usize), ReportError> {
    let measure = Measure::new()?;
    let mut pages = layout_report(overview, economy, budget, charts, &measure);
    decorate(&mut pages, overview, date);
    let title = format!("Lägesbild – {} – {}", overview.plan_title, overview.period);
    Ok((render(&pages, &title)?, pages.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_lines_within_the_width() {
        let m = Measure::new().unwrap();
        let text = "Förbättrad ekonomistyrning genom kvalitetssäkrade prognoser och uppföljning i alla nämnder och bolag";
        let lines = m.wrap(text, 150.0, 9.0, false);
        assert!(lines.len() > 2);
        assert!(lines.iter().all(|l| m.width(l, 9.0, false) <= 150.0), "{lines:?}");
        assert_eq!(lines.join(" "), text);
        let long = m.wrap(&"x".repeat(200), 50.0, 9.0, false);
        assert!(long.iter().all(|l| m.width(l, 9.0, false) <= 50.0));
    }

    /// The layout before it was made linear: every candidate line and every piece of an
    /// over-long word measured again from its start. The new one must give the same lines.
    fn reference_width(m: &Measure, text: &str, size: f32, bold: bool) -> f32 {
        let face = &m.metrics(bold).face;
        let units = f32::from(face.units_per_em());
        let advance: f32 = text
            .chars()
            .map(|c| face.glyph_index(c).and_then(|g| face.glyph_hor_advance(g)).map_or(units * 0.5, f32::from))
            .sum();
        advance / units * size
    }

    fn reference_wrap(m: &Measure, text: &str, width: f32, size: f32, bold: bool) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
                let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
                if reference_width(m, &candidate, size, bold) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                let mut piece = String::new();
                for c in word.chars() {
                    piece.push(c);
                    if reference_width(m, &piece, size, bold) > width && piece.chars().count() > 1 {
                        piece.pop();
                        lines.push(std::mem::take(&mut piece));
                        piece.push(c);
                    }
                }
                line = piece;
            }
            lines.push(line);
        }
        lines
    }

    #[test]
    fn linear_wrapping_gives_the_same_lines_and_widths_as_before() {
        let m = Measure::new().unwrap();
        let texts = [
            String::new(),
            " ".into(),
            "Ekonomi".into(),
            "Förbättrad ekonomistyrning genom kvalitetssäkrade prognoser och uppföljning i alla nämnder och bolag".into(),
            "Stärka företagsklimatet och förbättra servicen till företagare.\nAttraktiviteten som etableringsort \
             (regionalt, nationellt och internationellt) ska stärkas.\n\nNy rad – efter tom rad…"
                .into(),
            "  dubbla  mellanslag   och \u{a0}hårda\u{a0}mellanslag, «citat» och ”citat”, 5 180 000 kr, 63/37, ≥ 90 %".into(),
            format!("kort {} kort {}", "x".repeat(300), "åäö".repeat(120)),
            "https://www.eskilstuna.se/kommun-och-politik/kommun-och-politik/kommun-och-politik/styrdokument".into(),
            "Ελληνικά Кириллица עברית 中文字符 😀 emoji \u{10ffff} i i i i i i i i i i i i i i i i i i i i i i i".into(),
            "W".repeat(1000),
        ];
        // And every text of the bundled plan, at the report's column widths.
        let plan = crate::examples::default_plan();
        let texts = texts.into_iter().chain(
            plan.goals
                .iter()
                .flat_map(|g| [g.title.clone(), g.description.clone()])
                .chain(plan.commitments.iter().map(|c| c.text.clone()))
                .chain(plan.indicators.iter().map(|i| i.name.clone())),
        );
        for text in &texts.collect::<Vec<_>>() {
            for (width, size, bold) in [
                (150.0, 9.0, false),
                (CONTENT_WIDTH - 158.0, 9.0, true),
                (CONTENT_WIDTH - 238.0, 9.0, false),
                (CONTENT_WIDTH - 33.0, 12.0, true),
                (40.0, 12.0, true),
                (3.0, 9.0, false),
                (0.0, 9.0, false),
            ] {
                assert_eq!(m.wrap(text, width, size, bold), reference_wrap(&m, text, width, size, bold), "{text:?} at {width}");
            }
            for bold in [false, true] {
                assert_eq!(m.width(text, 9.0, bold), reference_width(&m, text, 9.0, bold), "{text:?}");
            }
        }
    }

    #[test]
    fn wrapping_a_long_text_or_a_long_word_is_linear() {
        let m = Measure::new().unwrap();
        let words = "Förbättrad ekonomistyrning genom kvalitetssäkrade prognoser och uppföljning i alla nämnder. ".repeat(10_000);
        let word = "x".repeat(1_000_000);
        let started = std::time::Instant::now();
        let lines = m.wrap(&words, 150.0, 9.0, false);
        let pieces = m.wrap(&word, 150.0, 9.0, false);
        let elapsed = started.elapsed();
        assert_eq!(lines.join(" ").split_whitespace().count(), words.split_whitespace().count());
        assert!(lines.iter().all(|l| m.width(l, 9.0, false) <= 150.0));
        assert_eq!(pieces.concat(), word);
        assert!(pieces.iter().all(|l| m.width(l, 9.0, false) <= 150.0));
        // Before: 1 MB as one word re-measured each piece per character (~2 s in release).
        assert!(elapsed < std::time::Duration::from_secs(3), "{elapsed:?} for 2 MB of text");
    }
}
