//! The board's whole document as a tagged PDF: a title block with the header fields, the
//! table of contents with page numbers, then the plan's parts in order – chapters of text and
//! the parts generated from the plan (summary, goals, commitments, budget, economy, legend).
//!
//! The contents needs the pages its headings land on, and its own length moves them: the
//! headings are found by laying out the parts alone, the whole document is then laid out with
//! a contents of that many lines, and once more with the page numbers filled in (the same
//! lines, so the same pages).

use super::budget_pdf::BudgetSection;
use super::economy_pdf::EconomySection;
use super::overview::Overview;
use super::pdf::{
    BODY, CONTENT_WIDTH, Cell, ColumnSpec, LINE, LaidHeading, Layout, MARGIN_X, Measure, Op, Page, ReportError, Structure,
};
use crate::document::text::{Block, Span};
use crate::document::{BoardDocument, DocumentPart, PartKind};
use crate::i18n::Lang;
use crate::symbols;

/// What the document is made of.
pub struct DocumentInputs<'a> {
    pub document: &'a BoardDocument,
    /// The document's title (the plan's when the document has none).
    pub title: String,
    pub overview: &'a Overview,
    pub economy: &'a EconomySection<'a>,
    pub budget: &'a BudgetSection<'a>,
    pub charts: &'a super::chart_pdf::ChartSection,
}

/// The laid-out document and its headings (level, text, page from 0).
pub struct LaidDocument {
    pub pages: Vec<Page>,
    pub headings: Vec<LaidHeading>,
}

pub fn layout_document(inputs: &DocumentInputs<'_>, measure: &Measure) -> LaidDocument {
    // The contents lists the parts, and the generated sections down to the document's depth
    // (seed 004 lists its process areas; seed 003 only its parts).
    let depth = inputs.document.contents_depth.max(1);
    let in_contents = |h: &&LaidHeading| h.listed && h.level <= depth;
    // 1. The headings, from the parts alone.
    let mut parts_only = Layout::new(measure);
    parts(&mut parts_only, inputs);
    let entries: Vec<(u8, String)> = parts_only.headings.iter().filter(in_contents).map(|h| (h.level, h.text.clone())).collect();
    // 2. The whole document with a contents of that length, to find the pages.
    let placeholder: Vec<(u8, String, usize)> = entries.iter().map(|(level, text)| (*level, text.clone(), 0)).collect();
    let first = whole(inputs, measure, &placeholder);
    let found: Vec<&LaidHeading> = first.headings.iter().filter(in_contents).collect();
    // 3. Again, with the page numbers.
    let numbered: Vec<(u8, String, usize)> = entries
        .iter()
        .enumerate()
        .map(|(i, (level, text))| (*level, text.clone(), found.get(i).map_or(0, |h| h.page + 1)))
        .collect();
    whole(inputs, measure, &numbered)
}

fn whole(inputs: &DocumentInputs<'_>, measure: &Measure, contents: &[(u8, String, usize)]) -> LaidDocument {
    let mut l = Layout::new(measure);
    title_block(&mut l, inputs);
    contents_list(&mut l, contents);
    l.new_page();
    // Headings so far (the title block's) are not parts of the document body.
    l.headings.clear();
    parts(&mut l, inputs);
    let headings = std::mem::take(&mut l.headings);
    LaidDocument { pages: l.into_pages(), headings }
}

fn title_block(l: &mut Layout<'_>, inputs: &DocumentInputs<'_>) {
    l.y += 40.0;
    let size = 20.0;
    let lines = l.measure.wrap(&inputs.title, CONTENT_WIDTH, size, true);
    l.begin(Structure::Heading(1, inputs.title.clone()));
    for line in lines {
        l.y += size * 1.25;
        l.text(MARGIN_X, l.y, size, true, &line);
    }
    l.end();
    l.y += 8.0;
    l.paragraph(MARGIN_X, CONTENT_WIDTH, &inputs.overview.organisation, 11.0);
    l.y += 14.0;
    // The header block: label and value per row, as the municipality's template has it.
    if !inputs.document.header.is_empty() {
        let columns = [ColumnSpec { title: "Uppgift", width: 160.0 }, ColumnSpec { title: "", width: CONTENT_WIDTH - 160.0 }];
        let rows = inputs
            .document
            .header
            .iter()
            .map(|field| vec![Cell::Bold(field.label.clone()), Cell::Text(if field.value.is_empty() { "–".to_owned() } else { field.value.clone() })])
            .collect();
        l.table(&columns, rows);
    }
    l.y += 18.0;
}

fn contents_list(l: &mut Layout<'_>, contents: &[(u8, String, usize)]) {
    l.heading_at(1, "Innehållsförteckning");
    l.begin(Structure::Contents);
    for (level, text, page) in contents {
        let indent = if *level > 1 { 14.0 } else { 0.0 };
        let bold = *level == 1;
        let number = if *page == 0 { String::new() } else { page.to_string() };
        let number_width = l.measure.width("000", BODY + 0.5, bold);
        let lines = l.measure.wrap(text, CONTENT_WIDTH - indent - number_width - 20.0, BODY + 0.5, bold);
        l.ensure(lines.len() as f32 * (LINE + 2.0));
        l.begin(Structure::ContentsItem);
        for (i, line) in lines.iter().enumerate() {
            l.y += LINE + 2.0;
            l.text(MARGIN_X + indent, l.y, BODY + 0.5, bold, line);
            if i + 1 == lines.len() && !number.is_empty() {
                let x = MARGIN_X + CONTENT_WIDTH - l.measure.width(&number, BODY + 0.5, bold);
                l.text(x, l.y, BODY + 0.5, bold, &number);
            }
        }
        l.end();
    }
    l.end();
}

fn parts(l: &mut Layout<'_>, inputs: &DocumentInputs<'_>) {
    for part in &inputs.document.parts {
        one_part(l, inputs, part);
    }
}

fn one_part(l: &mut Layout<'_>, inputs: &DocumentInputs<'_>, part: &DocumentPart) {
    // A generated part without a title of its own has no heading: a goals part lets the
    // areas be the document's chapters (seed 004: "Hållbar utveckling", "Effektiv
    // organisation"); any other continues the section before it (seed 004's economy under
    // the area Ekonomi), its own headings a level deeper.
    let own_heading = part.kind == PartKind::Chapter || !part.title.trim().is_empty();
    if own_heading {
        l.heading_at(1, &part.heading(Lang::Swedish));
    }
    blocks(l, &crate::document::text::parse(&part.text));
    l.heading_level = if own_heading { 2 } else { 3 };
    match part.kind {
        PartKind::Chapter => {}
        PartKind::Summary => super::pdf::summary_table(l, inputs.overview),
        PartKind::Goals => super::pdf::goal_sections(l, inputs.overview, if own_heading { 2 } else { 1 }, inputs.charts),
        PartKind::Commitments => commitments_table(l, inputs.overview),
        PartKind::Budget => super::budget_pdf::layout(l, inputs.budget),
        PartKind::Economy => super::economy_pdf::layout(l, inputs.economy),
        PartKind::Legend => super::pdf::legend(l, false),
    }
    l.heading_level = 1;
    l.y += 6.0;
}

/// Every commitment with its goal, status and completion.
fn commitments_table(l: &mut Layout<'_>, overview: &Overview) {
    let columns = [
        ColumnSpec { title: "Åtagande", width: CONTENT_WIDTH - 220.0 },
        ColumnSpec { title: "Mål", width: 80.0 },
        ColumnSpec { title: "Status", width: 75.0 },
        ColumnSpec { title: "Färdiggrad", width: 65.0 },
    ];
    let rows: Vec<Vec<Cell>> = overview
        .goals
        .iter()
        .flat_map(|goal| goal.commitments.iter().map(move |c| (goal, c)))
        .map(|(goal, c)| {
            vec![
                Cell::Text(c.text.clone()),
                Cell::Text(goal.title.clone()),
                Cell::Symbols(vec![(
                    symbols::commitment_status(c.status),
                    Some(super::pdf::status_text(c.status).to_owned()),
                    super::pdf::status_alt(c.status),
                )]),
                Cell::Symbols(c.completion.map(|p| vec![(symbols::completion(p), Some(format!("{p} %")), format!("Färdiggrad: {p} %"))]).unwrap_or_default()),
            ]
        })
        .collect();
    if rows.is_empty() {
        l.paragraph(MARGIN_X, CONTENT_WIDTH, "Inga åtaganden.", BODY);
    } else {
        l.table(&columns, rows);
    }
}

/// A chapter's blocks: headings, paragraphs with bold runs, lists.
pub(super) fn blocks(l: &mut Layout<'_>, blocks: &[Block]) {
    for block in blocks {
        match block {
            Block::Heading { level, spans } => l.heading_listed((*level).clamp(2, 3), &Block::plain(spans), false),
            Block::Paragraph(spans) => {
                l.y += 3.0;
                l.begin(Structure::Paragraph);
                rich(l, MARGIN_X, CONTENT_WIDTH, spans);
                l.end();
                l.y += 3.0;
            }
            Block::List { ordered, start, items } => {
                l.y += 2.0;
                l.begin(Structure::List { ordered: *ordered });
                for (i, item) in items.iter().enumerate() {
                    let mark = if *ordered { format!("{}.", start + i as u64) } else { "•".to_owned() };
                    l.ensure(BODY * 1.4 + 2.0);
                    l.begin(Structure::ListItem);
                    l.begin(Structure::Label);
                    let baseline = l.y + BODY * 1.35;
                    l.text(MARGIN_X + 4.0, baseline, BODY, false, &mark);
                    l.end();
                    l.begin(Structure::ListBody);
                    rich(l, MARGIN_X + 18.0, CONTENT_WIDTH - 18.0, item);
                    l.end();
                    l.end();
                    l.y += 1.5;
                }
                l.end();
                l.y += 3.0;
            }
        }
    }
}

/// Wraps runs of regular, bold and italic text to `width`, one text operation per run on a
/// line.
fn rich(l: &mut Layout<'_>, x: f32, width: f32, spans: &[Span]) {
    let size = BODY;
    // (text, bold, italic) for each word, the space before it kept with it.
    let words: Vec<(String, bool, bool)> = spans
        .iter()
        .flat_map(|span| {
            // Keep the space before a word with it, so runs join back exactly.
            let mut pieces = Vec::new();
            let mut current = String::new();
            for c in span.text.chars() {
                if c == ' ' && !current.trim().is_empty() {
                    pieces.push(std::mem::take(&mut current));
                }
                current.push(c);
            }
            if !current.is_empty() {
                pieces.push(current);
            }
            pieces.into_iter().map(move |p| (p, span.bold, span.italic))
        })
        .collect();
    let mut lines: Vec<Vec<(String, bool, bool)>> = vec![Vec::new()];
    let mut line_width = 0.0;
    for (word, bold, italic) in words {
        let at_start = lines.last().is_some_and(Vec::is_empty);
        let shown = if at_start { word.trim_start().to_owned() } else { word.clone() };
        let w = l.measure.width_styled(&shown, size, bold, italic);
        if !at_start && line_width + w > width {
            lines.push(Vec::new());
            let trimmed = word.trim_start().to_owned();
            line_width = l.measure.width_styled(&trimmed, size, bold, italic);
            lines.last_mut().expect("a line").push((trimmed, bold, italic));
        } else {
            line_width += w;
            lines.last_mut().expect("a line").push((shown, bold, italic));
        }
    }
    for line in lines {
        l.ensure(size * 1.35);
        l.y += size * 1.35;
        let mut cx = x;
        // Merge neighbouring words of the same face into one text run.
        let mut runs: Vec<(String, bool, bool)> = Vec::new();
        for (word, bold, italic) in line {
            match runs.last_mut() {
                Some((text, b, i)) if *b == bold && *i == italic => text.push_str(&word),
                _ => runs.push((word, bold, italic)),
            }
        }
        for (text, bold, italic) in runs {
            let y = l.y;
            l.ops().push(Op::Text { x: cx, y, size, bold, italic, grey: false, text: text.clone() });
            cx += l.measure.width_styled(&text, size, bold, italic);
        }
    }
}

/// The whole document: pages with running header and page numbers, and the PDF bytes.
/// Returns the bytes, the number of pages, the headings, and whether it is PDF/UA-1.
pub fn document_pdf(inputs: &DocumentInputs<'_>, date: &str) -> Result<(Vec<u8>, usize, Vec<LaidHeading>, bool), ReportError> {
    let measure = Measure::new()?;
    let LaidDocument { mut pages, headings } = layout_document(inputs, &measure);
    let header = Overview { plan_title: inputs.title.clone(), ..inputs.overview.clone() };
    super::pdf::decorate(&mut pages, &header, date);
    let (bytes, pdf_ua) = super::pdf::render_tagged(&pages, &inputs.title)?;
    Ok((bytes, pages.len(), headings, pdf_ua))
}
