//! The chapters' text: a small, safe subset of Markdown, parsed by pulldown-cmark into blocks
//! that the PDF, the Word file and the app's preview all draw the same way. What is outside the
//! subset (tables, images, links, HTML, code) is kept as plain text and reported by
//! [`unsupported`], never dropped.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// A run of text with its emphasis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// `##` is level 2, `###` level 3 (level 1 is the part's own heading; `#` counts as 2).
    Heading { level: u8, spans: Vec<Span> },
    Paragraph(Vec<Span>),
    /// Items, each one paragraph; `ordered` lists count from `start`.
    List { ordered: bool, start: u64, items: Vec<Vec<Span>> },
}

impl Block {
    pub fn plain(spans: &[Span]) -> String {
        spans.iter().map(|s| s.text.as_str()).collect()
    }
}

/// The blocks of a chapter's text.
pub fn parse(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut spans: Vec<Span> = Vec::new();
    let (mut bold, mut italic) = (0u32, 0u32);
    // The list being read (nested lists are flattened into their parent's items).
    let mut list: Option<(bool, u64, Vec<Vec<Span>>)> = None;
    let mut depth = 0usize;
    let mut heading: Option<u8> = None;
    let push_text = |spans: &mut Vec<Span>, text: &str, bold: u32, italic: u32| {
        let (b, i) = (bold > 0, italic > 0);
        match spans.last_mut() {
            Some(last) if last.bold == b && last.italic == i => last.text.push_str(text),
            _ => spans.push(Span { text: text.to_owned(), bold: b, italic: i }),
        }
    };
    for event in Parser::new_ext(text, Options::empty()) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some(match level {
                    HeadingLevel::H1 | HeadingLevel::H2 => 2,
                    _ => 3,
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                let level = heading.take().unwrap_or(2);
                blocks.push(Block::Heading { level, spans: std::mem::take(&mut spans) });
            }
            Event::Start(Tag::List(start)) => {
                depth += 1;
                if depth == 1 {
                    list = Some((start.is_some(), start.unwrap_or(1), Vec::new()));
                }
            }
            Event::End(TagEnd::List(_)) => {
                depth = depth.saturating_sub(1);
                if depth == 0
                    && let Some((ordered, start, items)) = list.take()
                {
                    blocks.push(Block::List { ordered, start, items });
                }
            }
            Event::Start(Tag::Item) => {
                if depth > 1 && !spans.is_empty() {
                    // A nested item continues its parent's text on the same item.
                    push_text(&mut spans, " – ", 0, 0);
                }
            }
            Event::End(TagEnd::Item) => {
                if depth == 1
                    && let Some((_, _, items)) = list.as_mut()
                {
                    items.push(std::mem::take(&mut spans));
                }
            }
            Event::End(TagEnd::Paragraph) => {
                if list.is_none() {
                    blocks.push(Block::Paragraph(std::mem::take(&mut spans)));
                } else {
                    push_text(&mut spans, " ", 0, 0);
                }
            }
            Event::Start(Tag::Strong) => bold += 1,
            Event::End(TagEnd::Strong) => bold = bold.saturating_sub(1),
            Event::Start(Tag::Emphasis) => italic += 1,
            Event::End(TagEnd::Emphasis) => italic = italic.saturating_sub(1),
            Event::Text(text) | Event::Code(text) | Event::Html(text) | Event::InlineHtml(text) => {
                push_text(&mut spans, &text, bold, italic)
            }
            Event::SoftBreak | Event::HardBreak => push_text(&mut spans, " ", bold, italic),
            Event::End(TagEnd::CodeBlock | TagEnd::BlockQuote(_) | TagEnd::HtmlBlock) => {
                if !spans.is_empty() && list.is_none() {
                    blocks.push(Block::Paragraph(std::mem::take(&mut spans)));
                }
            }
            _ => {}
        }
    }
    if !spans.is_empty() {
        blocks.push(Block::Paragraph(spans));
    }
    // Trailing spaces from joined paragraphs in list items.
    for block in &mut blocks {
        let spans = match block {
            Block::Heading { spans, .. } | Block::Paragraph(spans) => std::slice::from_mut(spans),
            Block::List { items, .. } => items.as_mut_slice(),
        };
        for line in spans {
            if let Some(last) = line.last_mut() {
                let trimmed = last.text.trim_end().len();
                last.text.truncate(trimmed);
            }
        }
    }
    blocks
}

/// What in the text is outside the subset and is shown as plain text: "tabell", "bild" …
pub fn unsupported(text: &str) -> Vec<&'static str> {
    let mut found = Vec::new();
    let mut note = |what: &'static str| {
        if !found.contains(&what) {
            found.push(what);
        }
    };
    for event in Parser::new_ext(text, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Table(_)) => note("tabell"),
            Event::Start(Tag::Image { .. }) => note("bild"),
            Event::Start(Tag::Link { .. }) => note("länk"),
            Event::Html(_) | Event::InlineHtml(_) => note("HTML"),
            Event::Start(Tag::CodeBlock(_)) | Event::Code(_) => note("kod"),
            Event::Start(Tag::BlockQuote(_)) => note("citat"),
            _ => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str, bold: bool, italic: bool) -> Span {
        Span { text: text.to_owned(), bold, italic }
    }

    #[test]
    fn the_subset_reads_as_blocks() {
        let text = "Inledning med **fet** och *kursiv* text.\nSamma stycke.\n\n## Underrubrik\n\n- Ett\n- Två **viktigt**\n\n1. Första\n2. Andra\n\n### Liten rubrik";
        let blocks = parse(text);
        assert_eq!(
            blocks,
            vec![
                Block::Paragraph(vec![
                    plain("Inledning med ", false, false),
                    plain("fet", true, false),
                    plain(" och ", false, false),
                    plain("kursiv", false, true),
                    plain(" text. Samma stycke.", false, false),
                ]),
                Block::Heading { level: 2, spans: vec![plain("Underrubrik", false, false)] },
                Block::List { ordered: false, start: 1, items: vec![vec![plain("Ett", false, false)], vec![plain("Två ", false, false), plain("viktigt", true, false)]] },
                Block::List { ordered: true, start: 1, items: vec![vec![plain("Första", false, false)], vec![plain("Andra", false, false)]] },
                Block::Heading { level: 3, spans: vec![plain("Liten rubrik", false, false)] },
            ]
        );
    }

    #[test]
    fn what_is_outside_the_subset_stays_as_text_and_is_named() {
        let text = "Se <b>detta</b> och [länken](http://x) och ![bild](y.png).\n\n| a | b |\n|---|---|\n| 1 | 2 |";
        let blocks = parse(text);
        let all: String = blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph(s) | Block::Heading { spans: s, .. } => Block::plain(s),
                Block::List { items, .. } => items.iter().map(|i| Block::plain(i)).collect(),
            })
            .collect();
        assert!(all.contains("länken") && all.contains("detta") && all.contains("| a | b |"), "{all}");
        assert_eq!(unsupported(text), vec!["HTML", "länk", "bild", "tabell"]);
        assert!(unsupported("Bara **text** och\n\n- en lista").is_empty());
    }

    #[test]
    fn nested_lists_fold_into_their_items() {
        let blocks = parse("- Ett\n  - under\n- Två");
        assert_eq!(blocks.len(), 1);
        let Block::List { items, .. } = &blocks[0] else { panic!() };
        assert_eq!(items.len(), 2);
        assert_eq!(Block::plain(&items[0]), "Ett – under");
    }
}
