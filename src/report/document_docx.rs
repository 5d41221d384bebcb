//! The board's whole document as Word (.docx), with docx-rs: real heading styles (so the
//! municipality's template and Word's own contents take them), the contents as a field Word
//! updates, lists with numbering, tables with a header row repeated on every page, and the
//! symbols as small pictures that carry their meaning as alternative text.
//!
//! docx-rs has no setting for a table's header row or a picture's description, so the written
//! package gets both in one pass over its `document.xml` ([`finish_package`]).

use std::io::{Cursor, Read, Write};

use docx_rs::{
    AbstractNumbering, Docx, IndentLevel, Level, LevelJc, LevelOverride, LevelText, NumberFormat, Numbering, NumberingId, Paragraph,
    Pic, Run, Shading, SpecialIndentType, Start, Style, StyleType, Table, TableCell, TableRow,
};

use super::budget_pdf::{Kind, Printed, Texts};
use super::document_pdf::DocumentInputs;
use super::overview::Overview;
use crate::document::text::{Block, Span};
use crate::document::{DocumentPart, PartKind};
use crate::i18n::Lang;
use crate::symbols::{self, Part, Symbol};

// docx-rs writes a numbering of its own as 1: ours come after it.
const BULLETS: usize = 101;
const NUMBERS: usize = 102;
/// The text width of an A4 page with Word's default margins, in twentieths of a point.
const TEXT_WIDTH: usize = 9_070;

/// A cell of a Word table.
enum WordCell {
    Text(String),
    Bold(String),
    /// Symbols with their label beside and what they mean.
    Symbols(Vec<(Symbol, Option<String>, String)>),
}

struct Word {
    docx: Docx,
    /// The charts placed so far (their paragraphs are placeholders until `finish_package`).
    charts: Vec<super::chart_pdf::ChartData>,
    /// Numbering instances made so far (each ordered list restarts at its start).
    numberings: usize,
    /// The pictures' alternative texts, in the order they were added.
    alts: Vec<String>,
}

impl Word {
    fn new() -> Self {
        let heading = |id: &str, name: &str, size: usize, outline: usize| {
            Style::new(id, StyleType::Paragraph)
                .name(name)
                .size(size)
                .bold()
                .outline_lvl(outline)
                .based_on("Normal")
                .next("Normal")
                .line_spacing(docx_rs::LineSpacing::new().before(if outline == 0 { 360 } else { 240 }).after(80))
        };
        let font = docx_rs::RunFonts::new().ascii("Arial").hi_ansi("Arial").cs("Arial").east_asia("Arial");
        let docx = Docx::new()
            .default_size(21)
            .default_fonts(font)
            .add_style(Style::new("Normal", StyleType::Paragraph).name("Normal").line_spacing(docx_rs::LineSpacing::new().after(100)))
            .add_style(Style::new("Title", StyleType::Paragraph).name("Title").size(44).bold().based_on("Normal"))
            .add_style(heading("Heading1", "heading 1", 32, 0))
            .add_style(heading("Heading2", "heading 2", 26, 1))
            .add_style(heading("Heading3", "heading 3", 23, 2))
            .add_style(heading("Heading4", "heading 4", 21, 3))
            .add_abstract_numbering(AbstractNumbering::new(BULLETS).add_level(
                Level::new(0, Start::new(1), NumberFormat::new("bullet"), LevelText::new("•"), LevelJc::new("left"))
                    .indent(Some(720), Some(SpecialIndentType::Hanging(360)), None, None),
            ))
            .add_abstract_numbering(AbstractNumbering::new(NUMBERS).add_level(
                Level::new(0, Start::new(1), NumberFormat::new("decimal"), LevelText::new("%1."), LevelJc::new("left"))
                    .indent(Some(720), Some(SpecialIndentType::Hanging(360)), None, None),
            ));
        Self { docx, charts: Vec::new(), numberings: 0, alts: Vec::new() }
    }

    fn add(&mut self, paragraph: Paragraph) {
        let docx = std::mem::take(&mut self.docx);
        self.docx = docx.add_paragraph(paragraph);
    }

    fn add_table(&mut self, table: Table) {
        let docx = std::mem::take(&mut self.docx);
        self.docx = docx.add_table(table);
    }

    fn heading(&mut self, level: u8, text: &str) {
        let style = format!("Heading{}", level.clamp(1, 4));
        self.add(Paragraph::new().add_run(Run::new().add_text(text)).style(&style));
    }

    fn plain(&mut self, text: &str) {
        self.add(Paragraph::new().add_run(Run::new().add_text(text)));
    }

    fn runs(spans: &[Span]) -> Paragraph {
        spans.iter().fold(Paragraph::new(), |p, span| {
            let mut run = Run::new().add_text(&span.text);
            if span.bold {
                run = run.bold();
            }
            if span.italic {
                run = run.italic();
            }
            p.add_run(run)
        })
    }

    fn list(&mut self, ordered: bool, start: u64, items: &[Vec<Span>]) {
        self.numberings += 1;
        let id = 10 + self.numberings;
        let numbering = if ordered {
            Numbering::new(id, NUMBERS).add_override(LevelOverride::new(0).start(start as usize))
        } else {
            Numbering::new(id, BULLETS)
        };
        let docx = std::mem::take(&mut self.docx);
        self.docx = docx.add_numbering(numbering);
        for item in items {
            self.add(Self::runs(item).numbering(NumberingId::new(id), IndentLevel::new(0)));
        }
    }

    /// A chart Word draws itself (DrawingML, its values in the file): a placeholder now.
    fn chart(&mut self, data: &super::chart_pdf::ChartData) {
        self.charts.push(data.clone());
        self.plain(&format!("{CHART_PLACEHOLDER}{}", self.charts.len() - 1));
    }

    fn blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            match block {
                Block::Heading { level, spans } => self.heading((*level).clamp(2, 3), &Block::plain(spans)),
                Block::Paragraph(spans) => self.add(Self::runs(spans)),
                Block::List { ordered, start, items } => self.list(*ordered, *start, items),
            }
        }
    }

    /// A picture of the symbol, 12 points square, remembered with what it means.
    fn symbol_run(&mut self, symbol: &Symbol, alt: &str) -> Run {
        const EMU_PER_POINT: u32 = 12_700;
        self.alts.push(alt.to_owned());
        let pic = Pic::new(&symbol_png(symbol, 48)).size(11 * EMU_PER_POINT, 11 * EMU_PER_POINT);
        Run::new().add_image(pic)
    }

    fn table(&mut self, headers: &[String], rows: Vec<Vec<WordCell>>) {
        // The first column (names, texts) takes what the others leave.
        let columns = headers.len().max(1);
        let other = if columns == 1 { 0 } else { (TEXT_WIDTH * 2 / 5 / (columns - 1)).clamp(1_100, 1_800) };
        let first = TEXT_WIDTH.saturating_sub(other * (columns - 1)).max(2_000);
        let mut grid = vec![first];
        grid.extend(std::iter::repeat_n(other, columns - 1));
        self.table_in(headers, rows, grid);
    }

    /// A table with its column widths in twentieths of a point.
    fn table_in(&mut self, headers: &[String], rows: Vec<Vec<WordCell>>, grid: Vec<usize>) {
        let header = TableRow::new(
            headers
                .iter()
                .map(|h| {
                    TableCell::new()
                        .shading(Shading::new().fill("E6E6E6"))
                        .add_paragraph(Paragraph::new().add_run(Run::new().add_text(h).bold()))
                })
                .collect(),
        );
        let mut table_rows = vec![header];
        for row in rows {
            let cells = row
                .into_iter()
                .map(|cell| {
                    let paragraph = match cell {
                        WordCell::Text(text) => Paragraph::new().add_run(Run::new().add_text(text)),
                        WordCell::Bold(text) => Paragraph::new().add_run(Run::new().add_text(text).bold()),
                        WordCell::Symbols(symbols) => symbols.iter().fold(Paragraph::new(), |p, (symbol, label, alt)| {
                            let p = p.add_run(self.symbol_run(symbol, alt));
                            match label {
                                Some(label) => p.add_run(Run::new().add_text(format!(" {label} "))),
                                None => p.add_run(Run::new().add_text(" ")),
                            }
                        }),
                    };
                    TableCell::new().add_paragraph(paragraph)
                })
                .collect();
            table_rows.push(TableRow::new(cells));
        }
        self.add_table(Table::new(table_rows).set_grid(grid).width(TEXT_WIDTH, docx_rs::WidthType::Dxa).layout(docx_rs::TableLayoutType::Fixed));
    }

    /// A budget or economy table as printed in the PDF: the title over the labels, a column
    /// per figure, group names, subtotals and totals in bold, footnotes after.
    fn printed(&mut self, labels: &[String], printed: &Printed) {
        let mut headers = vec![printed.title.clone()];
        headers.extend(labels.iter().cloned());
        let rows = printed
            .lines
            .iter()
            .map(|line| {
                let bold = matches!(line.kind, Kind::Group | Kind::Subtotal | Kind::Total);
                let cell = |text: String| if bold { WordCell::Bold(text) } else { WordCell::Text(text) };
                let mut row = vec![cell(line.label.clone())];
                row.extend(line.cells.iter().map(|c| match c {
                    Some((text, Some(mark))) => cell(format!("{text} ({mark})")),
                    Some((text, None)) => cell(text.clone()),
                    None => WordCell::Text(String::new()),
                }));
                row
            })
            .collect();
        self.table(&headers, rows);
        for (mark, text) in &printed.footnotes {
            self.plain(&format!("({mark}) {text}"));
        }
        if let Some(rounding) = &printed.rounding {
            self.plain(&format!("* {rounding}"));
        }
    }
}

/// The symbol drawn into a square PNG of `px` pixels (supersampled for smooth edges), in the
/// same shapes and colours as the PDF.
fn symbol_png(symbol: &Symbol, px: u32) -> Vec<u8> {
    const SAMPLES: u32 = 4;
    let (r, g, b) = symbol.tone.rgb();
    let color = [r, g, b];
    let black = [0u8, 0, 0];
    let mut image = image::RgbaImage::from_pixel(px, px, image::Rgba([255, 255, 255, 0]));
    let inside_polygon = |points: &[(f32, f32)], x: f32, y: f32| {
        let mut inside = false;
        let mut j = points.len().wrapping_sub(1);
        for i in 0..points.len() {
            let ((xi, yi), (xj, yj)) = (points[i], points[j]);
            if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
                inside = !inside;
            }
            j = i;
        }
        inside
    };
    let near_line = |points: &[(f32, f32)], x: f32, y: f32, half: f32| {
        points.windows(2).any(|w| {
            let ((ax, ay), (bx, by)) = (w[0], w[1]);
            let (dx, dy) = (bx - ax, by - ay);
            let t = (((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy).max(1e-6)).clamp(0.0, 1.0);
            let (cx, cy) = (ax + t * dx, ay + t * dy);
            (x - cx).hypot(y - cy) <= half
        })
    };
    // The colour at a point of the unit square: the last part that covers it wins.
    let paint = |x: f32, y: f32| -> Option<[u8; 3]> {
        let mut out = None;
        for part in &symbol.parts {
            match part {
                Part::Circle { center, radius, filled } => {
                    let d = (x - center.0).hypot(y - center.1);
                    let ring = if *filled || symbol.tone == crate::symbols::Tone::Neutral { 0.05 } else { 0.08 };
                    if *filled && d <= *radius {
                        out = Some(color);
                    }
                    if (d - radius).abs() <= ring / 2.0 {
                        out = Some(if *filled || symbol.tone == crate::symbols::Tone::Neutral { black } else { color });
                    }
                }
                Part::FilledPolygon(points) => {
                    if inside_polygon(points, x, y) {
                        out = Some(color);
                    }
                    let mut closed = points.clone();
                    closed.extend(points.first().copied());
                    if near_line(&closed, x, y, 0.02) {
                        out = Some(black);
                    }
                }
                Part::Line { points, width } => {
                    if near_line(points, x, y, width / 2.0) {
                        out = Some(if symbol.tone == crate::symbols::Tone::Yellow { black } else { color });
                    }
                }
                Part::Dot { center, radius } => {
                    if (x - center.0).hypot(y - center.1) <= *radius {
                        out = Some(black);
                    }
                }
            }
        }
        out
    };
    for py in 0..px {
        for pxx in 0..px {
            let (mut sum, mut covered) = ([0u32; 3], 0u32);
            for sy in 0..SAMPLES {
                for sx in 0..SAMPLES {
                    let x = (pxx as f32 + (sx as f32 + 0.5) / SAMPLES as f32) / px as f32;
                    let y = (py as f32 + (sy as f32 + 0.5) / SAMPLES as f32) / px as f32;
                    if let Some(c) = paint(x, y) {
                        covered += 1;
                        for k in 0..3 {
                            sum[k] += u32::from(c[k]);
                        }
                    }
                }
            }
            if covered > 0 {
                let alpha = (covered * 255 / (SAMPLES * SAMPLES)) as u8;
                let average = |k: usize| (sum[k] / covered) as u8;
                image.put_pixel(pxx, py, image::Rgba([average(0), average(1), average(2), alpha]));
            }
        }
    }
    let mut bytes = Cursor::new(Vec::new());
    // Writing a PNG into memory cannot fail for an RGBA image.
    let _ = image.write_to(&mut bytes, image::ImageFormat::Png);
    bytes.into_inner()
}

fn summary(word: &mut Word, overview: &Overview) {
    let headers = ["Område / mål", "Bedömning", "Trend"].map(str::to_owned);
    let rows = overview
        .goals
        .iter()
        .filter(|g| g.level != crate::model::GoalLevel::BoardGoal)
        .map(|g| {
            let title = format!("{}{}", "    ".repeat(g.depth), g.title);
            vec![
                if g.depth == 0 { WordCell::Bold(title) } else { WordCell::Text(title) },
                WordCell::Symbols(vec![(
                    symbols::assessment(g.assessment),
                    Some(Lang::Swedish.assessment(g.assessment).to_owned()),
                    super::pdf::assessment_alt(g.assessment),
                )]),
                WordCell::Symbols(g.trend.map(|t| vec![(symbols::trend(t), None, super::pdf::trend_alt(t))]).unwrap_or_default()),
            ]
        })
        .collect();
    word.table(&headers, rows);
}

fn goals(word: &mut Word, overview: &Overview, top_level: u8, charts: &super::chart_pdf::ChartSection) {
    for goal in &overview.goals {
        word.heading((top_level as usize + goal.depth).min(4) as u8, &goal.title);
        let assessment = format!("Bedömning: {}", Lang::Swedish.assessment_lower(goal.assessment));
        let mut line = Paragraph::new().add_run(word.symbol_run(&symbols::assessment(goal.assessment), &super::pdf::assessment_alt(goal.assessment)));
        line = line.add_run(Run::new().add_text(format!(" {assessment}")));
        if let Some(trend) = goal.trend {
            line = line.add_run(Run::new().add_text("   ")).add_run(word.symbol_run(&symbols::trend(trend), &super::pdf::trend_alt(trend)));
            line = line.add_run(Run::new().add_text(format!(" {}", super::pdf::trend_alt(trend))));
        }
        word.add(line);
        if !goal.comment.is_empty() {
            for paragraph in goal.comment.split("\n\n") {
                word.plain(paragraph.trim());
            }
        }
        for note in &goal.economy {
            word.plain(&format!("Ekonomi ({}): {}", note.board, note.swedish));
        }
        if !goal.commitments.is_empty() {
            let headers = ["Åtagande", "Ansvar", "Status", "Färdiggrad"].map(str::to_owned);
            let rows = goal.commitments.iter().map(|c| commitment_row(c, WordCell::Text(c.boards.clone()))).collect();
            word.table(&headers, rows);
        }
        if !goal.indicators.is_empty() {
            let headers = ["Indikator", "Utfall", "Mål", "Status"].map(str::to_owned);
            let rows = goal
                .indicators
                .iter()
                .map(|i| {
                    let assessment = match i.status {
                        crate::followup::IndicatorStatus::Achieved => crate::model::Assessment::Achieved,
                        crate::followup::IndicatorStatus::Partly => crate::model::Assessment::Partly,
                        crate::followup::IndicatorStatus::NotAchieved => crate::model::Assessment::NotAchieved,
                        crate::followup::IndicatorStatus::NoData => crate::model::Assessment::NotAssessed,
                    };
                    let mut status = vec![(symbols::assessment(assessment), Some(i.status.swedish().to_owned()), format!("Status: {}", i.status.swedish()))];
                    if let Some(trend) = i.trend {
                        status.push((symbols::trend(trend), None, super::pdf::trend_alt(trend)));
                    }
                    vec![WordCell::Text(i.name.clone()), WordCell::Text(i.outcome.clone()), WordCell::Text(i.target.clone()), WordCell::Symbols(status)]
                })
                .collect();
            word.table(&headers, rows);
            if charts.mode != super::chart_pdf::ChartMode::None {
                for data in goal.indicators.iter().filter_map(|i| charts.charts.get(&i.id)).filter(|d| d.drawable()) {
                    word.chart(data);
                }
            }
        }
    }
}

fn commitment_row(c: &super::overview::CommitmentLine, second: WordCell) -> Vec<WordCell> {
    vec![
        WordCell::Text(c.text.clone()),
        second,
        WordCell::Symbols(vec![(symbols::commitment_status(c.status), Some(super::pdf::status_text(c.status).to_owned()), super::pdf::status_alt(c.status))]),
        WordCell::Symbols(c.completion.map(|p| vec![(symbols::completion(p), Some(format!("{p} %")), format!("Färdiggrad: {p} %"))]).unwrap_or_default()),
    ]
}

fn commitments(word: &mut Word, overview: &Overview) {
    let headers = ["Åtagande", "Mål", "Status", "Färdiggrad"].map(str::to_owned);
    let rows: Vec<Vec<WordCell>> = overview
        .goals
        .iter()
        .flat_map(|goal| goal.commitments.iter().map(move |c| commitment_row(c, WordCell::Text(goal.title.clone()))))
        .collect();
    if rows.is_empty() {
        word.plain("Inga åtaganden.");
    } else {
        word.table(&headers, rows);
    }
}

fn budget(word: &mut Word, inputs: &DocumentInputs<'_>, level: u8) {
    let texts = Texts { lang: inputs.budget.lang };
    let settings = &inputs.budget.money;
    for (board, budget) in &inputs.budget.budgets {
        let figures = crate::budget::sums::figures(budget);
        word.heading(level, &format!("Budget {} – {board}", budget.year));
        word.plain(&super::budget_pdf::amounts_note(settings, &texts));
        for text in super::budget_pdf::frame_texts(budget, &figures, settings, &texts) {
            word.plain(&text);
        }
        let (labels, tables) = super::budget_pdf::printed_tables(budget, &figures, settings, &texts);
        for table in &tables {
            word.printed(&labels, table);
        }
        if inputs.budget.charts
            && let Some(chart) = super::budget_pdf::net_cost_chart(budget, &figures, settings, &texts)
        {
            word.chart(&chart);
        }
        for note in &budget.notes {
            word.plain(note);
        }
        if let Some(contributions) = super::budget_pdf::contributions_table(budget, &figures, settings, &texts) {
            let column = budget.budget_year_column().and_then(|c| labels.get(c).cloned()).unwrap_or_else(|| format!("Budget {}", budget.year));
            word.printed(&[column], &contributions);
        }
        if let Some(frame) = budget.frame.as_ref().filter(|f| !f.measures.is_empty()) {
            word.heading(level + 1, "Åtgärder för effektiviseringskravet");
            for measure in &frame.measures {
                word.add(Paragraph::new().add_run(Run::new().add_text(&measure.title).bold()));
                for consequence in &measure.consequences {
                    word.plain(consequence);
                }
            }
        }
    }
}

fn economy(word: &mut Word, inputs: &DocumentInputs<'_>, level: u8) {
    let texts = Texts { lang: inputs.economy.lang };
    let money = &inputs.economy.money;
    for (index, (board, period, year, report)) in inputs.economy.reports.iter().enumerate() {
        let f = crate::economy::figures::figures(report, money);
        word.heading(level, &format!("Ekonomisk redovisning – {board}, {period}"));
        word.plain(&crate::economy::headline_text(report, &f.headline, money, texts.lang));
        for note in &report.notes {
            word.plain(note);
        }
        if !report.explanations.is_empty() {
            let shown = crate::economy::headline_money(report, money);
            let items: Vec<Vec<Span>> = report
                .explanations
                .iter()
                .map(|e| vec![Span { text: format!("{} {}", e.text, crate::economy::signed(e.amount.into(), &shown)), bold: false, italic: false }])
                .collect();
            word.plain("Avvikelsen mellan budget och prognos förklaras av:");
            word.list(false, 1, &items);
        }
        for (labels, printed, note) in super::economy_pdf::printed_tables(report, &f, *year, money, &texts) {
            word.plain(&note);
            word.printed(&labels, &printed);
        }
        if let Some(chart) = super::economy_pdf::forecast_chart(inputs.economy, index) {
            word.chart(&chart);
        }
    }
}

fn legend(word: &mut Word) {
    let headers = ["Symbol", "Innebörd"].map(str::to_owned);
    let grid = vec![3_000, TEXT_WIDTH - 3_000];
    let cells = super::pdf::legend_groups()
        .into_iter()
        .flat_map(|(group, entries)| {
            entries.into_iter().map(move |(symbol, meaning)| {
                vec![WordCell::Symbols(vec![(symbol, Some(group.to_owned()), format!("{group}: {meaning}"))]), WordCell::Text(meaning.to_owned())]
            })
        })
        .collect();
    word.table_in(&headers, cells, grid);
}

fn part(word: &mut Word, inputs: &DocumentInputs<'_>, part: &DocumentPart) {
    let own_heading = part.kind == PartKind::Chapter || !part.title.trim().is_empty();
    if own_heading {
        word.heading(1, &part.heading(Lang::Swedish));
    }
    word.blocks(&crate::document::text::parse(&part.text));
    let level = if own_heading { 2 } else { 3 };
    match part.kind {
        PartKind::Chapter => {}
        PartKind::Summary => summary(word, inputs.overview),
        PartKind::Goals => goals(word, inputs.overview, if own_heading { 2 } else { 1 }, inputs.charts),
        PartKind::Commitments => commitments(word, inputs.overview),
        PartKind::Budget => budget(word, inputs, level),
        PartKind::Economy => economy(word, inputs, level),
        PartKind::Legend => legend(word),
    }
}

/// The whole document as a .docx package; returns its bytes and the number of parts.
pub fn document_docx(inputs: &DocumentInputs<'_>) -> Result<(Vec<u8>, usize), String> {
    let mut word = Word::new();
    word.add(Paragraph::new().add_run(Run::new().add_text(&inputs.title)).style("Title"));
    word.plain(&inputs.overview.organisation);
    if !inputs.document.header.is_empty() {
        let rows = inputs
            .document
            .header
            .iter()
            .map(|f| vec![WordCell::Bold(f.label.clone()), WordCell::Text(if f.value.is_empty() { "–".to_owned() } else { f.value.clone() })])
            .collect();
        word.table_in(&["Uppgift".to_owned(), String::new()], rows, vec![3_200, TEXT_WIDTH - 3_200]);
    }
    // The contents: a field Word fills in with page numbers when the file is opened.
    let depth = usize::from(inputs.document.contents_depth.max(1));
    // A placeholder paragraph, replaced by the field in `finish_package`.
    // Not a heading style: the contents would list itself.
    word.add(Paragraph::new().add_run(Run::new().add_text("Innehållsförteckning").bold().size(32)));
    word.plain(TOC_PLACEHOLDER);
    for p in &inputs.document.parts {
        part(&mut word, inputs, p);
    }
    let mut packed = Cursor::new(Vec::new());
    let Word { docx, alts, charts, .. } = word;
    docx.build().pack(&mut packed).map_err(|e| format!("Word-filen kunde inte skapas: {e}"))?;
    // The entries, as the PDF's layout finds them (the same parts and headings).
    let measure = super::pdf::Measure::new().map_err(|e| e.to_string())?;
    let laid = super::document_pdf::layout_document(inputs, &measure);
    let contents: Vec<(u8, String)> =
        laid.headings.iter().filter(|h| h.listed && usize::from(h.level) <= depth).map(|h| (h.level, h.text.clone())).collect();
    let bytes = finish_package(&packed.into_inner(), &alts, depth, &contents, &charts)?;
    Ok((bytes, inputs.document.parts.len()))
}

/// Rewrites `word/document.xml` in the package: each picture gets its description (in the
/// order the pictures were added), each table's first row is marked as its header row.
fn finish_package(
    package: &[u8],
    alts: &[String],
    contents_depth: usize,
    contents: &[(u8, String)],
    charts: &[super::chart_pdf::ChartData],
) -> Result<Vec<u8>, String> {
    let fail = |e: &dyn std::fmt::Display| format!("Word-filen kunde inte skapas: {e}");
    let mut archive = zip::ZipArchive::new(Cursor::new(package)).map_err(|e| fail(&e))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).map_err(|e| fail(&e))?;
        let name = entry.name().map_err(|e| fail(&e))?.into_owned();
        if entry.is_dir() {
            out.add_directory(name, options).map_err(|e| fail(&e))?;
            continue;
        }
        let mut content = Vec::new();
        entry.read_to_end(&mut content).map_err(|e| fail(&e))?;
        if name == "word/document.xml" {
            let xml = String::from_utf8(content).map_err(|e| fail(&e))?;
            let done = contents_field(&describe_pictures_and_header_rows(&xml, alts), contents_depth, contents);
            content = place_charts(&done, charts).into_bytes();
        }
        if name == "word/_rels/document.xml.rels" && !charts.is_empty() {
            let xml = String::from_utf8(content).map_err(|e| fail(&e))?;
            let relations: String = (0..charts.len())
                .map(|i| format!("<Relationship Id=\"rIdMalplanChart{i}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart\" Target=\"charts/chart{i}.xml\" />"))
                .collect();
            content = xml.replacen("</Relationships>", &format!("{relations}</Relationships>"), 1).into_bytes();
        }
        if name == "[Content_Types].xml" && !charts.is_empty() {
            let xml = String::from_utf8(content).map_err(|e| fail(&e))?;
            let overrides: String = (0..charts.len())
                .map(|i| format!("<Override PartName=\"/word/charts/chart{i}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.drawingml.chart+xml\" />"))
                .collect();
            content = xml.replacen("</Types>", &format!("{overrides}</Types>"), 1).into_bytes();
        }
        if name == "word/settings.xml" {
            // Word fills in the contents (and its page numbers) when the file is opened.
            let xml = String::from_utf8(content).map_err(|e| fail(&e))?;
            content = xml.replacen("</w:settings>", "<w:updateFields w:val=\"true\" /></w:settings>", 1).into_bytes();
        }
        out.start_file(name, options).map_err(|e| fail(&e))?;
        out.write_all(&content).map_err(|e| fail(&e))?;
    }
    for (i, chart) in charts.iter().enumerate() {
        out.start_file(format!("word/charts/chart{i}.xml"), options).map_err(|e| fail(&e))?;
        out.write_all(chart_xml(chart).as_bytes()).map_err(|e| fail(&e))?;
    }
    Ok(out.finish().map_err(|e| fail(&e))?.into_inner())
}

const CHART_PLACEHOLDER: &str = "MALPLAN-DIAGRAM-";

/// Each chart placeholder paragraph becomes the chart, inline, described for screen readers.
fn place_charts(xml: &str, charts: &[super::chart_pdf::ChartData]) -> String {
    let mut out = xml.to_owned();
    for (i, chart) in charts.iter().enumerate().rev() {
        let marker = format!("{CHART_PLACEHOLDER}{i}<");
        let Some(at) = out.find(&marker) else { continue };
        let Some(start) = out[..at].rfind("<w:p ") else { continue };
        let Some(end) = out[at..].find("</w:p>").map(|e| at + e + "</w:p>".len()) else { continue };
        let drawing = format!(
            "<w:p><w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"5400000\" cy=\"2300000\" /><wp:docPr descr=\"{}\" id=\"{}\" name=\"Diagram {}\" /><a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/chart\"><c:chart xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" r:id=\"rIdMalplanChart{i}\" /></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>",
            xml_escape(&chart.alt_text()),
            5000 + i,
            i + 1
        );
        out.replace_range(start..end, &drawing);
    }
    out
}

/// A scatter chart with lines (years on a value axis): the outcome series, the target path
/// from the baseline, each with its own dash and marker so they read in black and white.
fn chart_xml(chart: &super::chart_pdf::ChartData) -> String {
    let mut series = String::new();
    let number = |v: f64| format!("{v}");
    let mut add = |index: usize, name: &str, points: &[(i32, f64)], dash: &str, marker: &str, grey: &str| {
        let xs: String = points.iter().enumerate().map(|(i, (x, _))| format!("<c:pt idx=\"{i}\"><c:v>{x}</c:v></c:pt>")).collect();
        let ys: String = points.iter().enumerate().map(|(i, (_, y))| format!("<c:pt idx=\"{i}\"><c:v>{}</c:v></c:pt>", number(*y))).collect();
        series.push_str(&format!(
            "<c:ser><c:idx val=\"{index}\" /><c:order val=\"{index}\" /><c:tx><c:v>{}</c:v></c:tx><c:spPr><a:ln w=\"19050\"><a:solidFill><a:srgbClr val=\"{grey}\" /></a:solidFill><a:prstDash val=\"{dash}\" /></a:ln></c:spPr><c:marker><c:symbol val=\"{marker}\" /><c:size val=\"6\" /><c:spPr><a:solidFill><a:srgbClr val=\"{grey}\" /></a:solidFill></c:spPr></c:marker><c:xVal><c:numLit><c:formatCode>General</c:formatCode><c:ptCount val=\"{n}\" />{xs}</c:numLit></c:xVal><c:yVal><c:numLit><c:formatCode>General</c:formatCode><c:ptCount val=\"{n}\" />{ys}</c:numLit></c:yVal><c:smooth val=\"0\" /></c:ser>",
            xml_escape(name),
            n = points.len()
        ));
    };
    let styles = [("solid", "circle", "000000"), ("dash", "square", "404040"), ("sysDot", "triangle", "606060")];
    for (i, s) in chart.series.iter().enumerate() {
        let (dash, marker, grey) = if s.kind == crate::model::SeriesKind::Comparison { ("lgDash", "diamond", "808080") } else { styles[i % 3] };
        add(i, &s.name, &s.points, dash, marker, grey);
    }
    let mut path: Vec<(i32, f64)> = chart.baseline.iter().chain(chart.targets.iter()).copied().collect();
    // A level alone (the frame, the full-year budget) runs across the chart.
    if let ([(_, level)], true) = (path.as_slice(), chart.targets.is_empty()) {
        let xs: Vec<i32> = chart.series.iter().flat_map(|s| s.points.iter().map(|(x, _)| *x)).collect();
        let (first, last) = (xs.iter().min().copied().unwrap_or(0), xs.iter().max().copied().unwrap_or(0));
        path = vec![(if chart.months { 1 } else { first }, *level), (if chart.months { 12 } else { last }, *level)];
    }
    if path.len() >= 2 {
        let label = if chart.targets.is_empty() { chart.baseline_label.clone() } else { format!("{} ({})", chart.target_label, chart.baseline_label.to_lowercase()) };
        add(chart.series.len(), &label, &path, "sysDash", "diamond", "808080");
    }
    let years: Vec<i32> = chart.series.iter().flat_map(|s| s.points.iter().map(|(y, _)| *y)).chain(path.iter().map(|(y, _)| *y)).collect();
    let (min, max) = (years.iter().min().copied().unwrap_or(0), years.iter().max().copied().unwrap_or(0));
    // Format codes are written the English way; Word shows them in the reader's locale.
    let decimals = if chart.decimals == 0 { "#,##0".to_owned() } else { format!("#,##0.{}", "0".repeat(usize::from(chart.decimals.min(3)))) };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><c:chartSpace xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><c:lang val=\"sv-SE\" /><c:chart><c:title><c:tx><c:rich><a:bodyPr /><a:p><a:pPr><a:defRPr sz=\"1000\" b=\"1\" /></a:pPr><a:r><a:rPr sz=\"1000\" b=\"1\" /><a:t>{}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val=\"0\" /></c:title><c:autoTitleDeleted val=\"0\" /><c:plotArea><c:layout /><c:scatterChart><c:scatterStyle val=\"lineMarker\" /><c:varyColors val=\"0\" />{series}<c:axId val=\"1\" /><c:axId val=\"2\" /></c:scatterChart><c:valAx><c:axId val=\"1\" /><c:scaling><c:orientation val=\"minMax\" /><c:max val=\"{max}\" /><c:min val=\"{min}\" /></c:scaling><c:delete val=\"0\" /><c:axPos val=\"b\" /><c:numFmt formatCode=\"0\" sourceLinked=\"0\" /><c:majorTickMark val=\"out\" /><c:minorTickMark val=\"none\" /><c:tickLblPos val=\"low\" /><c:crossAx val=\"2\" /><c:crosses val=\"autoZero\" /><c:crossBetween val=\"midCat\" /><c:majorUnit val=\"1\" /></c:valAx><c:valAx><c:axId val=\"2\" /><c:scaling><c:orientation val=\"minMax\" /></c:scaling><c:delete val=\"0\" /><c:axPos val=\"l\" /><c:majorGridlines /><c:numFmt formatCode=\"{decimals}\" sourceLinked=\"0\" /><c:majorTickMark val=\"out\" /><c:minorTickMark val=\"none\" /><c:tickLblPos val=\"nextTo\" /><c:crossAx val=\"1\" /><c:crosses val=\"autoZero\" /><c:crossBetween val=\"midCat\" /></c:valAx></c:plotArea><c:legend><c:legendPos val=\"b\" /><c:overlay val=\"0\" /></c:legend><c:plotVisOnly val=\"1\" /></c:chart></c:chartSpace>",
        xml_escape(&chart.title)
    )
}

const TOC_PLACEHOLDER: &str = "MALPLAN-INNEHALLSFORTECKNING";

/// The placeholder paragraph becomes Word's contents field over the heading styles. Until
/// Word updates it (it asks when the file opens), the field shows the entries without page
/// numbers, so a reader that never updates fields still sees the contents.
fn contents_field(xml: &str, depth: usize, entries: &[(u8, String)]) -> String {
    let paragraph_start = xml.find(TOC_PLACEHOLDER).and_then(|at| xml[..at].rfind("<w:p "));
    let Some(start) = paragraph_start else { return xml.to_owned() };
    let Some(end) = xml[start..].find("</w:p>").map(|e| start + e + "</w:p>".len()) else { return xml.to_owned() };
    let begin = format!(
        "<w:r><w:fldChar w:fldCharType=\"begin\" w:dirty=\"true\" /></w:r><w:r><w:instrText xml:space=\"preserve\"> TOC \\o \"1-{depth}\" \\h \\z \\u </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\" /></w:r>"
    );
    let end_field = "<w:r><w:fldChar w:fldCharType=\"end\" /></w:r>";
    let mut field = String::new();
    let shown: Vec<(u8, String)> = if entries.is_empty() { vec![(1, "Innehållsförteckning".to_owned())] } else { entries.to_vec() };
    for (i, (level, text)) in shown.iter().enumerate() {
        let indent = 360 * (usize::from(*level).max(1) - 1);
        field.push_str(&format!("<w:p><w:pPr><w:ind w:left=\"{indent}\" /></w:pPr>"));
        if i == 0 {
            field.push_str(&begin);
        }
        field.push_str(&format!("<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r>", xml_escape(text)));
        if i + 1 == shown.len() {
            field.push_str(end_field);
        }
        field.push_str("</w:p>");
    }
    format!("{}{field}{}", &xml[..start], &xml[end..])
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn describe_pictures_and_header_rows(xml: &str, alts: &[String]) -> String {
    // docx-rs writes a field's parts (begin, instruction, separator, result, end) in one run;
    // LibreOffice then shows the instruction as text. One run each, as Word writes them; and
    // the contents' page numbers at the right margin, not far beyond it.
    let xml = xml
        .replace("/><w:instrText>", "/></w:r><w:r><w:instrText>")
        .replace("</w:instrText><w:fldChar", "</w:instrText></w:r><w:r><w:fldChar")
        .replace("w:fldCharType=\"separate\" w:dirty=\"false\" /><w:t ", "w:fldCharType=\"separate\" w:dirty=\"false\" /></w:r><w:r><w:t ")
        .replace("</w:t><w:fldChar", "</w:t></w:r><w:r><w:fldChar")
        .replace("w:leader=\"dot\" w:pos=\"80000\"", &format!("w:leader=\"dot\" w:pos=\"{TEXT_WIDTH}\""));
    let mut out = String::with_capacity(xml.len() + alts.len() * 40);
    let mut rest = xml.as_str();
    let mut alt = alts.iter();
    // Pictures: `<wp:docPr id="…" name="…"` gains `descr="…"`.
    while let Some(at) = rest.find("<wp:docPr ") {
        let (before, after) = rest.split_at(at + "<wp:docPr ".len());
        out.push_str(before);
        if let Some(text) = alt.next() {
            out.push_str(&format!("descr=\"{}\" ", xml_escape(text)));
        }
        rest = after;
    }
    out.push_str(rest);
    // Tables: the first row of each repeats as the header on every page (and is read so).
    let mut result = String::with_capacity(out.len() + 64);
    let mut rest = out.as_str();
    while let Some(at) = rest.find("<w:tbl>") {
        let (before, after) = rest.split_at(at);
        result.push_str(before);
        let Some(row) = after.find("<w:tr>").or_else(|| after.find("<w:tr ")) else {
            rest = after;
            break;
        };
        let row_end = row + after[row..].find('>').map_or(0, |i| i + 1);
        result.push_str(&after[..row_end]);
        let row_rest = &after[row_end..];
        if let Some(inner) = row_rest.strip_prefix("<w:trPr>") {
            result.push_str("<w:trPr><w:tblHeader />");
            rest = inner;
        } else if let Some(inner) = row_rest.strip_prefix("<w:trPr />") {
            result.push_str("<w:trPr><w:tblHeader /></w:trPr>");
            rest = inner;
        } else {
            result.push_str("<w:trPr><w:tblHeader /></w:trPr>");
            rest = row_rest;
        }
    }
    result.push_str(rest);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_get_their_description_and_tables_their_header_row() {
        let xml = r#"<w:tbl><w:tblPr/><w:tr><w:trPr><w:x/></w:trPr><w:tc/></w:tr><w:tr><w:tc/></w:tr></w:tbl><wp:docPr id="1" name="Figure" /><w:tbl><w:tr><w:tc/></w:tr></w:tbl><w:tbl><w:tr><w:trPr /><w:tc/></w:tr></w:tbl>"#;
        let done = describe_pictures_and_header_rows(xml, &["Bedömning: uppnår & mer".to_owned()]);
        assert_eq!(
            done,
            r#"<w:tbl><w:tblPr/><w:tr><w:trPr><w:tblHeader /><w:x/></w:trPr><w:tc/></w:tr><w:tr><w:tc/></w:tr></w:tbl><wp:docPr descr="Bedömning: uppnår &amp; mer" id="1" name="Figure" /><w:tbl><w:tr><w:trPr><w:tblHeader /></w:trPr><w:tc/></w:tr></w:tbl><w:tbl><w:tr><w:trPr><w:tblHeader /></w:trPr><w:tc/></w:tr></w:tbl>"#
        );
    }

    #[test]
    fn a_fields_parts_get_a_run_each() {
        let xml = r#"<w:r><w:rPr /><w:fldChar w:fldCharType="begin" w:dirty="false" /><w:instrText>PAGEREF _Toc1 \h</w:instrText><w:fldChar w:fldCharType="separate" w:dirty="false" /><w:t xml:space="preserve">1</w:t><w:fldChar w:fldCharType="end" w:dirty="false" /></w:r>"#;
        assert_eq!(
            describe_pictures_and_header_rows(xml, &[]),
            r#"<w:r><w:rPr /><w:fldChar w:fldCharType="begin" w:dirty="false" /></w:r><w:r><w:instrText>PAGEREF _Toc1 \h</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate" w:dirty="false" /></w:r><w:r><w:t xml:space="preserve">1</w:t></w:r><w:r><w:fldChar w:fldCharType="end" w:dirty="false" /></w:r>"#
        );
    }

    #[test]
    fn a_symbol_picture_is_a_png_of_its_shape() {
        let png = symbol_png(&symbols::assessment(crate::model::Assessment::Achieved), 24);
        let image = image::load_from_memory(&png).unwrap().to_rgba8();
        assert_eq!(image.dimensions(), (24, 24));
        // Filled in the middle, transparent in the corner.
        assert_eq!(image.get_pixel(12, 12).0[3], 255);
        assert_eq!(image.get_pixel(0, 0).0[3], 0);
        let partly = image::load_from_memory(&symbol_png(&symbols::assessment(crate::model::Assessment::Partly), 24)).unwrap().to_rgba8();
        assert_ne!(partly, image, "the half-filled circle differs");
    }
}
