//! The board's whole document: its chapters in the seed's order, and the PDF's structure tree
//! for screen readers, read back with lopdf (not with the crate that wrote it).

use malplan::followup::Selection;
use malplan::model::Plan;

fn sample(name: &str) -> Plan {
    let text = malplan::examples::SAMPLE_PLANS.iter().find(|(n, _)| *n == name).expect("sample").1;
    malplan::storage::parse_str(text, name).unwrap()
}

fn latest(plan: &Plan) -> Selection {
    plan.periods.last().map_or(Selection::Year(plan.meta.last_year), |p| Selection::Period(p.id))
}

/// The entries of a seed's *Innehållsförteckning*: the title without dots and page number.
fn seed_contents(text: &str) -> Vec<String> {
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let title = line.split('\t').next().unwrap_or(line);
            title.trim_end_matches('.').trim().to_owned()
        })
        .collect()
}

/// The document's headings the contents lists, as "level title".
fn listed(plan: &Plan) -> Vec<(u8, String)> {
    let (_, _, headings, _) = malplan::report::document_pdf_bytes(plan, latest(plan), None).unwrap();
    let depth = plan.document.contents_depth;
    headings.into_iter().filter(|h| h.listed && h.level <= depth).map(|h| (h.level, h.text)).collect()
}

#[test]
fn seed_003s_chapters_come_out_in_the_seeds_order() {
    let plan = sample("askersund-ks-2025.ron");
    let seed = seed_contents(include_str!("fixtures/seeds/003-innehall.txt"));
    assert_eq!(seed, ["Inledning och syfte", "Nämndens ansvarsområde och uppdrag", "Planeringsförutsättningar", "Ekonomiska förutsättningar", "Nämndmål", "Drift- och investeringsbudget"]);
    let mut expected: Vec<(u8, String)> = seed.into_iter().map(|t| (1, t)).collect();
    // The legend closes the document (seed 003 prints no symbols, so lists none).
    expected.push((1, "Förklaring symboler".to_owned()));
    assert_eq!(listed(&plan), expected);
    assert_eq!(plan.document.header.iter().map(|f| (f.label.as_str(), f.value.as_str())).collect::<Vec<_>>(), [
        ("Beslutad av", "Kommunstyrelsen"),
        ("Datum och paragraf", "2025-01-07, § 5"),
        ("Dokumentansvarig", "Kommundirektör"),
        ("Revisionsdatum", ""),
        ("Dnr", "24KS123"),
    ]);
}

#[test]
fn seed_004s_chapters_and_process_areas_come_out_in_the_seeds_order() {
    let plan = sample("eskilstuna-ks-delar2-2022.ron");
    let seed: Vec<String> = seed_contents(include_str!("fixtures/seeds/004-innehall.txt"))
        .into_iter()
        // The seed names the areas "Processområde …" (the plan keeps the area's own name), and
        // its extraction left a stray " T" on one line.
        .map(|t| t.trim_start_matches("Processområde ").trim_end_matches(" T").to_owned())
        .collect();
    let ours: Vec<String> = listed(&plan).into_iter().map(|(_, t)| t).collect();
    assert_eq!(ours, seed);
}

/// Every structure element under the root: (type, alt text, title).
fn structure(bytes: &[u8]) -> (lopdf::Document, Vec<(String, Option<String>, Option<String>)>) {
    let doc = lopdf::Document::load_mem(bytes).unwrap();
    let mut found = Vec::new();
    {
        let catalog = doc.catalog().unwrap();
        let root = doc.dereference(catalog.get(b"StructTreeRoot").unwrap()).unwrap().1.as_dict().unwrap();
        let mut stack = vec![root.get(b"K").unwrap().clone()];
        let text = |doc: &lopdf::Document, o: &lopdf::Object| -> Option<String> {
            match doc.dereference(o).ok()?.1 {
                lopdf::Object::String(bytes, _) => {
                    // UTF-16BE with a byte-order mark, or PDFDocEncoding (ASCII here).
                    if bytes.starts_with(&[0xFE, 0xFF]) {
                        let units: Vec<u16> = bytes[2..].chunks(2).map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])).collect();
                        Some(String::from_utf16_lossy(&units))
                    } else {
                        Some(String::from_utf8_lossy(bytes).into_owned())
                    }
                }
                _ => None,
            }
        };
        while let Some(object) = stack.pop() {
            let Ok((_, object)) = doc.dereference(&object) else { continue };
            match object {
                lopdf::Object::Array(items) => stack.extend(items.iter().rev().cloned()),
                lopdf::Object::Dictionary(dict) => {
                    if let Ok(kind) = dict.get(b"S").and_then(|s| s.as_name()) {
                        let alt = dict.get(b"Alt").ok().and_then(|a| text(&doc, a));
                        let title = dict.get(b"T").ok().and_then(|t| text(&doc, t));
                        found.push((String::from_utf8_lossy(kind).into_owned(), alt, title));
                    }
                    if let Ok(kids) = dict.get(b"K") {
                        stack.push(kids.clone());
                    }
                }
                _ => {}
            }
        }
    }
    (doc, found)
}

#[test]
fn the_document_pdf_is_tagged_for_screen_readers() {
    let plan = sample("eskilstuna-ks-delar2-2022.ron");
    let (bytes, pages, _, pdf_ua) = malplan::report::document_pdf_bytes(&plan, latest(&plan), None).unwrap();
    assert!(pdf_ua, "krilla's PDF/UA-1 validator accepts the document");
    assert!(pages > 5);
    let (doc, elements) = structure(&bytes);
    let catalog = doc.catalog().unwrap();
    let lang = catalog.get(b"Lang").unwrap();
    assert_eq!(lang.as_str().map(|b| String::from_utf8_lossy(b).into_owned()).unwrap(), "sv-SE");
    let marked = doc.dereference(catalog.get(b"MarkInfo").unwrap()).unwrap().1.as_dict().unwrap().get(b"Marked").unwrap().as_bool().unwrap();
    assert!(marked);
    assert!(catalog.get(b"Outlines").is_ok(), "bookmarks for the headings");

    let count = |kind: &str| elements.iter().filter(|(k, _, _)| k == kind).count();
    for kind in ["H1", "H2", "H3", "P", "Table", "TR", "TH", "TD", "L", "LI", "Lbl", "LBody", "TOC", "TOCI", "Figure"] {
        assert!(count(kind) > 0, "no {kind} in {:?}", elements.iter().map(|e| &e.0).collect::<std::collections::BTreeSet<_>>());
    }
    let titles: Vec<&str> = elements.iter().filter(|(k, _, _)| k == "H1").filter_map(|(_, _, t)| t.as_deref()).collect();
    for chapter in ["Sammanfattning", "Sammanställning processområden", "Status åtaganden", "Hållbar utveckling", "Intern styrning och kontroll"] {
        assert!(titles.contains(&chapter), "{chapter} in {titles:?}");
    }
    // Every symbol says what it means.
    let alts: Vec<&str> = elements.iter().filter(|(k, _, _)| k == "Figure").map(|(_, a, _)| a.as_deref().expect("alt text")).collect();
    for meaning in ["Bedömning: uppnår", "Bedömning: delvis", "Status: klart", "Färdiggrad: 100 %", "Trend: bättre än föregående år"] {
        assert!(alts.contains(&meaning), "{meaning} in {:?}", alts.iter().collect::<std::collections::BTreeSet<_>>());
    }
}

#[test]
fn the_lagesbild_is_tagged_too_and_a_plan_without_document_prints_the_lagesbild_parts() {
    let plan = sample("eskilstuna-2016-2019.ron");
    let (bytes, _) = malplan::report::report_pdf_bytes(&plan, latest(&plan), None).unwrap();
    let (_, elements) = structure(&bytes);
    assert!(elements.iter().any(|(k, _, _)| k == "Table") && elements.iter().any(|(k, _, _)| k == "Figure"));
    assert!(plan.document.parts.is_empty());
    let (_, _, headings, pdf_ua) = malplan::report::document_pdf_bytes(&plan, latest(&plan), None).unwrap();
    assert!(pdf_ua);
    let parts: Vec<String> = headings.iter().filter(|h| h.level == 1).map(|h| h.text.clone()).collect();
    assert_eq!(parts, ["Sammanställning", "Mål och uppföljning", "Förklaring symboler"], "no budget or economy in this plan");
}

/// The texts of the paragraphs with heading style `style`, in order.
fn styled(xml: &str, style: &str) -> Vec<String> {
    let marker = format!("<w:pStyle w:val=\"{style}\" />");
    xml.split("<w:p ")
        .filter(|p| p.contains(&marker))
        .map(|p| {
            p.split("<w:t xml:space=\"preserve\">")
                .skip(1)
                .map(|t| t.split("</w:t>").next().unwrap_or(""))
                .collect::<String>()
                .replace("&amp;", "&")
        })
        .collect()
}

#[test]
fn the_word_file_has_heading_styles_tables_lists_and_described_symbols() {
    let plan = sample("eskilstuna-ks-delar2-2022.ron");
    let (bytes, parts) = malplan::report::document_docx_bytes(&plan, latest(&plan), None).unwrap();
    assert_eq!(parts, plan.document.parts.len());
    // A package Word and docx-rs read.
    let read = docx_rs::read_docx(&bytes).expect("reads back");
    assert!(!read.document.children.is_empty());
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("word/document.xml").unwrap(), &mut xml).unwrap();

    let chapters = styled(&xml, "Heading1");
    assert_eq!(
        chapters,
        ["Sammanfattning", "Sammanställning processområden", "Uppföljning fyraåriga processmål", "Status åtaganden", "Förklaring symboler", "Hållbar utveckling", "Effektiv organisation", "Intern styrning och kontroll"]
    );
    assert!(styled(&xml, "Heading2").contains(&"Näringsliv och arbete".to_owned()));
    assert!(xml.contains("Kommunledningskontorets (KLK) verksamhet består"), "the chapter's text");
    // The contents: Word's field over the heading styles, its entries shown until updated.
    assert!(xml.contains("TOC \\o \"1-2\""));
    // Tables repeat their header row; lists are numbered paragraphs; symbols say what they mean.
    let tables = xml.matches("<w:tbl>").count();
    assert!(tables > 5);
    assert_eq!(xml.matches("<w:tblHeader />").count(), tables);
    assert!(xml.contains("<w:numPr>"));
    for meaning in ["Bedömning: uppnår", "Status: klart", "Färdiggrad: 100 %"] {
        assert!(xml.contains(&format!("descr=\"{meaning}\"")), "{meaning}");
    }
    assert_eq!(xml.matches("<wp:docPr ").count(), xml.matches("<wp:docPr descr=").count(), "every picture described");
    // The indicators' charts, drawn by Word from their values, described like the pictures.
    let charts = xml.matches("relationships/chart\" ").count() + xml.matches("drawingml/2006/chart\"").count();
    assert!(charts > 0, "charts placed");
    assert!(xml.contains("descr=\"Diagram: Total sjukfrånvaro"), "the chart's description");
    let mut chart = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("word/charts/chart0.xml").unwrap(), &mut chart).unwrap();
    assert!(chart.contains("<c:scatterChart>") && chart.contains("<c:v>Totalt</c:v>"), "{chart}");
    assert!(!xml.contains("MALPLAN-"), "no placeholder left");
    let mut settings = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("word/settings.xml").unwrap(), &mut settings).unwrap();
    assert!(settings.contains("updateFields"), "Word fills in the contents when it opens the file");
}

#[test]
fn the_command_line_writes_the_document_as_pdf_or_word_by_the_extension() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("askersund.ron");
    std::fs::write(&plan, malplan::examples::SAMPLE_PLANS.iter().find(|(n, _)| *n == "askersund-ks-2025.ron").unwrap().1).unwrap();
    let bin = env!("CARGO_BIN_EXE_malplan");
    for (name, magic) in [("dokument.pdf", &b"%PDF"[..]), ("dokument.docx", &b"PK"[..])] {
        let out = dir.path().join(name);
        let run = std::process::Command::new(bin).arg("report").arg(&plan).arg("--document").arg("-o").arg(&out).output().unwrap();
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stdout));
        assert!(std::fs::read(&out).unwrap().starts_with(magic));
    }
    // Word is for the whole document only.
    let run = std::process::Command::new(bin).arg("report").arg(&plan).arg("-o").arg(dir.path().join("lagesbild.docx")).output().unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stdout).contains("--document"));
}

/// The text of each page, in order.
fn page_texts(bytes: &[u8]) -> Vec<String> {
    let doc = lopdf::Document::load_mem(bytes).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    pages.iter().map(|p| doc.extract_text(&[*p]).unwrap_or_default()).collect()
}

#[test]
fn every_indicator_with_values_gets_a_chart_and_the_pages_still_count_right() {
    use malplan::report::chart_pdf::ChartMode;
    let plan = sample("eskilstuna-ks-delar2-2022.ron");
    let selection = latest(&plan);
    let with_values = plan.indicators.iter().filter(|i| i.series.iter().any(|s| !s.outcomes.is_empty() || !s.targets.is_empty())).count();
    assert!(with_values >= 3);
    for mode in [ChartMode::Small, ChartMode::Full] {
        let (bytes, pages) = malplan::report::report_pdf_bytes_with(&plan, selection, None, mode).unwrap();
        let (_, elements) = structure(&bytes);
        let charts: Vec<&str> = elements
            .iter()
            .filter_map(|(k, alt, _)| (k == "Figure").then_some(alt.as_deref()).flatten())
            .filter(|a| plan.indicators.iter().any(|i| a.starts_with(&format!("Diagram: {}.", i.name))))
            .collect();
        assert_eq!(charts.len(), with_values, "{mode:?}: {charts:?}");
        // The chart reads its values: Totalt, Kvinnor, Män and the target.
        let sick = charts.iter().find(|a| a.contains("sjukfrånvaro")).expect("the sick-leave chart");
        assert!(sick.contains("Totalt: 2020 3,1, 2021 3,0, 2022 1,7") && sick.contains("Kvinnor:") && sick.contains("mål"), "{sick}");
        let texts = page_texts(&bytes);
        assert_eq!(texts.len(), pages);
        for (i, text) in texts.iter().enumerate() {
            assert!(text.contains(&format!("Sida {} av {pages}", i + 1)), "page {}: {text}", i + 1);
        }
        // qpdf (from outside) finds the file sound, where it is installed (CI installs it).
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("rapport.pdf");
        std::fs::write(&file, &bytes).unwrap();
        match std::process::Command::new("qpdf").arg("--check").arg(&file).output() {
            Ok(output) => assert!(output.status.success(), "qpdf --check: {}", String::from_utf8_lossy(&output.stdout)),
            Err(_) => eprintln!("qpdf is not installed here: the structural check is lopdf's alone"),
        }
    }
    // Without charts: none, and fewer pages.
    let (bytes, fewer) = malplan::report::report_pdf_bytes_with(&plan, selection, None, ChartMode::None).unwrap();
    let (_, elements) = structure(&bytes);
    assert!(!elements.iter().any(|(_, alt, _)| alt.as_deref().is_some_and(|a| a.starts_with("Diagram:"))));
    let (_, with) = malplan::report::report_pdf_bytes_with(&plan, selection, None, ChartMode::Full).unwrap();
    assert!(fewer < with);
}

#[test]
fn the_budget_and_the_economy_get_their_charts_on_paper() {
    use malplan::report::chart_pdf::ChartMode;
    for (name, title, reads) in [
        ("askersund-ks-2025.ron", "Diagram: Nettokostnad per år och ramen (tkr)", "ram 2025 115 021"),
        ("eskilstuna-ks-delar2-2022.ron", "Diagram: Årsprognos under året mot budget (mnkr)", "Årsprognos: 5 8,0, 8 15,6"),
    ] {
        let plan = sample(name);
        let (bytes, _) = malplan::report::report_pdf_bytes_with(&plan, latest(&plan), None, ChartMode::Small).unwrap();
        let (_, elements) = structure(&bytes);
        let alt = elements.iter().filter_map(|(_, alt, _)| alt.as_deref()).find(|a| a.starts_with(title)).unwrap_or_else(|| panic!("{title} in {name}"));
        assert!(alt.contains(reads), "{alt}");
        let (bytes, _) = malplan::report::report_pdf_bytes_with(&plan, latest(&plan), None, ChartMode::None).unwrap();
        let (_, elements) = structure(&bytes);
        assert!(!elements.iter().any(|(_, alt, _)| alt.as_deref().is_some_and(|a| a.starts_with(title))), "--charts none");
    }
}

/// The base names of the fonts a PDF embeds ("DejaVuSans-Oblique", without the subset tag).
fn embedded_fonts(bytes: &[u8]) -> std::collections::BTreeSet<String> {
    let doc = lopdf::Document::load_mem(bytes).unwrap();
    doc.objects
        .values()
        .filter_map(|object| object.as_dict().ok())
        .filter(|dict| dict.get(b"Type").and_then(|t| t.as_name()).is_ok_and(|t| t == b"Font"))
        .filter_map(|dict| dict.get(b"BaseFont").and_then(|n| n.as_name()).ok())
        .map(|name| {
            let name = String::from_utf8_lossy(name).into_owned();
            name.split_once('+').map_or(name.clone(), |(_, base)| base.to_owned())
        })
        .collect()
}

#[test]
fn emphasis_in_a_chapter_is_set_in_italic_in_the_pdf() {
    // Seed 003's introduction to the board goals stresses *insatser* and *förflyttningar*.
    let plan = sample("askersund-ks-2025.ron");
    let goals_intro = plan.document.parts.iter().find(|p| p.title == "Nämndmål").expect("the part");
    assert!(goals_intro.text.contains("*insatser* och *förflyttningar*"));
    let (bytes, _, _, pdf_ua) = malplan::report::document_pdf_bytes(&plan, latest(&plan), None).unwrap();
    assert!(pdf_ua, "still PDF/UA-1 with the italic face");
    let fonts = embedded_fonts(&bytes);
    assert!(fonts.contains("DejaVuSans-Oblique"), "{fonts:?}");
    assert!(!fonts.contains("DejaVuSans-BoldOblique"), "no bold italic in the text: {fonts:?}");

    // A document without emphasis embeds no italic face at all.
    let plan = sample("eskilstuna-ks-delar2-2022.ron");
    let (bytes, ..) = malplan::report::document_pdf_bytes(&plan, latest(&plan), None).unwrap();
    let fonts = embedded_fonts(&bytes);
    assert!(fonts.contains("DejaVuSans") && !fonts.contains("DejaVuSans-Oblique"), "{fonts:?}");
}
