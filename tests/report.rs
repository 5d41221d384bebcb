//! The printed report: generated through the CLI and read back from the PDF itself.

use std::path::{Path, PathBuf};
use std::process::Command;

use malplan::followup::{Selection, compute};
use malplan::model::{Assessment, GoalFollowUp, GoalLevel, ItemId, Plan};
use malplan::report::budget_pdf::BudgetSection;
use malplan::report::overview;
use malplan::report::pdf::{self, Op};
use malplan::symbols;

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples").join(name)
}

fn run_report(args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_malplan")).arg("report").args(args).output().unwrap();
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    (output.status.code().unwrap_or(-1), text)
}

/// The text of a PDF, read with a PDF parser (not from the generator's inputs).
fn pdf_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "a PDF file");
    pdf_extract::extract_text_from_mem(&bytes).expect("the PDF parses")
}

/// Text extraction may split words at glyph runs; compare without whitespace.
fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn ks_report_has_the_nine_process_areas_the_legend_and_page_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("lagesbild.pdf");
    let (code, message) = run_report(&[sample("eskilstuna-ks-delar2-2022.ron").to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{message}");
    let pages: usize = message.split_whitespace().rev().nth(1).unwrap().parse().unwrap();
    assert!(pages >= 2, "{message}");

    let text = squash(&pdf_text(&out));
    for area in [
        "Näringsliv och arbete",
        "Utbildning",
        "Demokrati",
        "Berikande kultur och fritid",
        "Samhällsskydd och beredskap",
        "Hållbar samhällsbyggnad",
        "Processkvalitet",
        "Medarbetare",
        "Ekonomi",
    ] {
        assert!(text.contains(&squash(area)), "{area} missing");
    }
    assert!(text.contains(&squash("Förklaring symboler")));
    assert!(text.contains(&squash("Lägesbild – Delår 2 2022")));
    assert!(text.contains(&squash("Eskilstuna kommun")));
    for page in 1..=pages {
        assert!(text.contains(&squash(&format!("Sida {page} av {pages}"))), "page {page} of {pages}");
    }
    assert!(!text.contains(&squash(&format!("Sida {} av", pages + 1))));
}

#[test]
fn board_report_and_bad_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sbn.pdf");
    let file = sample("eskilstuna-ks-delar2-2022.ron");
    let (code, message) = run_report(&[file.to_str().unwrap(), "--board", "SBN", "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{message}");
    assert!(squash(&pdf_text(&out)).contains(&squash("SBN – ")));

    let (code, message) = run_report(&[file.to_str().unwrap(), "--board", "XYZ", "-o", out.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(message.contains("\"XYZ\" finns inte"), "{message}");
    let (code, _) = run_report(&[file.to_str().unwrap(), "--period", "Delår 9", "-o", out.to_str().unwrap()]);
    assert_eq!(code, 2);
}

#[test]
fn every_sample_plan_gives_a_report() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["eskilstuna-2016-2019.ron", "eskilstuna-2024-2027.ron", "askersund-ks-2025.ron"] {
        let out = dir.path().join(format!("{name}.pdf"));
        let (code, message) = run_report(&[sample(name).to_str().unwrap(), "-o", out.to_str().unwrap()]);
        assert_eq!(code, 0, "{name}: {message}");
        let text = squash(&pdf_text(&out));
        assert!(text.contains(&squash("Förklaring symboler")), "{name}");
        if name.starts_with("askersund") {
            // The board goals (nämndmål) are what a board report is about.
            assert!(text.contains(&squash("Företagsklimat")), "nämndmål missing");
        }
    }
}

#[test]
fn each_assessment_is_drawn_with_its_own_symbol() {
    let mut plan = Plan::new("Askersunds kommun", "Nämndmål 2025", 2025, 2025);
    let assessments = [Assessment::Achieved, Assessment::Partly, Assessment::NotAchieved, Assessment::NotAssessed];
    let titles = ["Område uppnår", "Område delvis", "Område ej uppnår", "Område ej bedömt"];
    for (i, title) in titles.iter().enumerate() {
        plan.goals.push(malplan::model::Goal {
            id: ItemId(i as u32 + 1),
            level: GoalLevel::Area,
            parent: None,
            title: (*title).into(),
            description: String::new(),
            focus: vec![],
            agenda2030: vec![],
            boards: vec![],
            precision: String::new(),
            schedule: vec![],
        });
    }
    plan.periods.push(malplan::model::FollowUpPeriod {
        id: ItemId(10),
        name: "Delår 1 2025".into(),
        year: 2025,
        date: None,
        goals: assessments
            .iter()
            .enumerate()
            .map(|(i, a)| GoalFollowUp { goal: ItemId(i as u32 + 1), assessment: *a, trend: None, comment: String::new() })
            .collect(),
        commitments: vec![],
    });
    let follow_up = compute(&plan, Selection::Period(ItemId(10)));
    let pages = pdf::layout(&overview::build(&plan, &follow_up, None), &pdf::Measure::new().unwrap());
    let ops: Vec<&Op> = pages.iter().flat_map(|p| &p.ops).collect();
    for (assessment, title) in assessments.iter().zip(titles) {
        // In the summary table the row's title is followed by the assessment symbol.
        let at = ops
            .iter()
            .position(|op| matches!(op, Op::Text { text, .. } if text == title))
            .unwrap_or_else(|| panic!("{title}"));
        let symbol = ops[at..]
            .iter()
            .find_map(|op| match op {
                Op::Symbol { symbol, .. } => Some(symbol.clone()),
                _ => None,
            })
            .unwrap();
        assert_eq!(symbol, symbols::assessment(*assessment), "{title}");
    }
    // The four symbols differ from each other.
    for (i, a) in assessments.iter().enumerate() {
        for b in &assessments[i + 1..] {
            assert_ne!(symbols::assessment(*a), symbols::assessment(*b));
        }
    }
}

/// Layout is linear in the text: a goal title of 2 MB (words, and one word longer than a line)
/// lays out in well under a few seconds even in a debug build. Before, every word re-measured
/// its whole line and every character of an over-long word its whole piece: ~0,75 s per MB in
/// release, many times that in debug.
#[test]
fn a_two_megabyte_title_lays_out_quickly() {
    let plan = malplan::examples::default_plan();
    let follow_up = compute(&plan, Selection::Period(plan.periods[0].id));
    let mut overview = overview::build(&plan, &follow_up, None);
    let sentence = "Förbättrad ekonomistyrning genom kvalitetssäkrade prognoser och uppföljning i alla nämnder och bolag. ";
    let mut title = sentence.repeat(1_000_000_usize.div_ceil(sentence.len()));
    title.push_str(&"x".repeat(1_000_000));
    assert!(title.len() >= 2_000_000);
    overview.goals[0].title = title;
    let measure = pdf::Measure::new().unwrap();

    let started = std::time::Instant::now();
    let pages = pdf::layout(&overview, &measure);
    let elapsed = started.elapsed();
    assert!(elapsed < std::time::Duration::from_secs(3), "{elapsed:?} to lay out a 2 MB title");

    // Every character of the title is laid out, in lines within the page (the titles of the
    // top-level goals are the bold 12 pt texts).
    let non_space = |text: &str| text.chars().filter(|c| !c.is_whitespace()).count();
    let top_level: usize = overview.goals.iter().filter(|g| g.depth == 0).map(|g| non_space(&g.title)).sum();
    let lines: Vec<&str> = pages
        .iter()
        .flat_map(|p| &p.ops)
        .filter_map(|op| match op {
            Op::Text { text, size, bold: true, .. } if *size == 12.0 => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert!(lines.len() > 10_000, "{}", lines.len());
    assert_eq!(lines.iter().map(|l| non_space(l)).sum::<usize>(), top_level);
    assert!(lines.iter().all(|l| measure.width(l, 12.0, true) <= pdf::PAGE_WIDTH - 2.0 * 48.0));
}

fn default_selection(plan: &Plan) -> Selection {
    plan.periods.last().map_or(Selection::Year(plan.meta.last_year), |p| Selection::Period(p.id))
}

/// The report of `plan` with its budget section, for the follow-up the CLI picks by default
/// (the last period): the PDF and its number of pages.
fn budget_report(plan: &Plan, board: Option<&str>) -> (Vec<u8>, usize) {
    let overview = overview::build(plan, &compute(plan, default_selection(plan)), board);
    pdf::report_pdf_with_budget(&overview, &BudgetSection::new(plan, board), "2025-01-31").unwrap()
}

fn text_of(bytes: &[u8]) -> String {
    assert!(bytes.starts_with(b"%PDF-"), "a PDF file");
    pdf_extract::extract_text_from_mem(bytes).expect("the PDF parses")
}

/// The minus sign as the PDF gives it back, made a hyphen, so that figures compare either way.
fn plain_minus(text: &str) -> String {
    text.replace('\u{2212}', "-")
}

#[test]
fn askersund_report_has_the_budget_with_frame_tables_stated_totals_and_contributions() {
    let plan = malplan::storage::load(&sample("askersund-ks-2025.ron")).unwrap();
    let (bytes, pages) = budget_report(&plan, None);
    if let Ok(dir) = std::env::var("MALPLAN_REPORT_DIR") {
        std::fs::write(Path::new(&dir).join("askersund.pdf"), &bytes).unwrap();
    }
    let text = plain_minus(&squash(&text_of(&bytes)));
    for expected in [
        "Budget 2025 – Kommunstyrelsen (KS)",
        "Belopp i tkr; intäkter positiva, kostnader negativa.",
        // Compared without whitespace: the PDF prints a narrow no-break space between thousands.
        "Ram 115 021 tkr, effektiviseringskrav 1 907 tkr (1,7 %)",
        "Nettokostnad 116 011 tkr, ram 115 021 tkr: 990 tkr över ramen",
        "Driftbudget per verksamhet (tkr)",
        "Investeringsbudget (tkr)",
        "Strategiska investeringar",
        "Summa Utvecklingsprojekt",
        "I dokumentet",
        // The footnotes under the tables.
        "Summa Budget 2025: i dokumentet -116 013, raderna ger -116 011: skillnad 2 tkr",
        "Summa Bokslut 2023: i dokumentet 761 876, raderna ger 762 602: skillnad 726 tkr",
        "Summa Utvecklingsprojekt Budget 2024: i dokumentet -2 550, raderna ger -3 100: skillnad 550 tkr",
        "är inte summan i \"Driftbudget per verksamhet (tkr)\"",
        // Contributions to joint bodies and the measures with their consequences.
        "Samverkan 2025 (tkr)",
        "Sydnärkes utbildningsförbund72 090",
        "Summa94 595",
        "Åtgärder för effektiviseringskravet 1 907 tkr",
        "Fortsatt vakanshållande av administrativ chef",
        "Möjliga konsekvenser:",
        "Varumärkesbyggande:",
    ] {
        assert!(text.contains(&squash(expected)), "{expected:?} missing");
    }
    // The row with its amounts in column order, the budget year's −72 090 among them.
    let row = text.find("45Gymnasieskola").expect("the row 45 Gymnasieskola");
    assert!(text[row..].starts_with("45Gymnasieskola-69830-70294-72090-74974-77223-79539"), "{}", &text[row..row + 80]);
    // Six stated totals disagree with their rows: six footnotes, numbered 1 to 6.
    assert_eq!(text.matches("skillnad").count(), 6);
    assert_eq!(text.matches("Idokumentet").count(), 4, "four stated totals under their computed ones");
    assert_eq!(text.matches("idokumentet").count(), 4, "and their footnotes");
    // The section comes after the goals and before the legend.
    let (goals, budget, legend) = (text.find("Företagsklimat").unwrap(), text.find("Ram115021tkr").unwrap(), text.rfind("Förklaringsymboler").unwrap());
    assert!(goals < budget && budget < legend);
    for page in 1..=pages {
        assert!(text.contains(&format!("Sida{page}av{pages}")), "page {page} of {pages}");
    }
    let (_, without) = pdf::report_pdf(&overview::build(&plan, &compute(&plan, default_selection(&plan)), None), "2025-01-31").unwrap();
    assert!(pages >= without + 2, "{pages} pages with the budget, {without} without");

    // The same for the board that has it; none for a board without a budget.
    assert!(plain_minus(&squash(&text_of(&budget_report(&plan, Some("KS")).0))).contains("Ram115021tkr"));
    let kf = squash(&text_of(&budget_report(&plan, Some("KF")).0));
    assert!(!kf.contains("Ram115") && !kf.contains("Beloppitkr"), "KF has no budget");
}

#[test]
fn a_plan_without_budget_has_no_budget_section() {
    let plan = malplan::storage::load(&sample("eskilstuna-ks-delar2-2022.ron")).unwrap();
    assert!(plan.budgets.is_empty());
    let section = BudgetSection::new(&plan, None);
    assert!(section.is_empty());
    let overview = overview::build(&plan, &compute(&plan, Selection::Period(plan.periods[0].id)), None);
    let measure = pdf::Measure::new().unwrap();
    // The very same pages as the report without a budget.
    assert_eq!(pdf::layout_with_budget(&overview, &section, &measure), pdf::layout(&overview, &measure));
    let text = squash(&text_of(&budget_report(&plan, None).0));
    assert!(text.contains(&squash("Förklaring symboler")));
    assert!(!text.contains("Beloppitkr") && !text.contains("Ram") && !text.contains("Idokumentet"));
}

/// A budget of `rows` rows in groups of 100, six columns, amounts in odd kronor (so printed rows
/// do not add up to printed totals) and a stated total that disagrees.
fn large_budget_plan(rows: u32) -> Plan {
    use malplan::budget::{Budget, BudgetColumn, BudgetGroup, BudgetRow, BudgetTable, ColumnKind, Frame};
    let mut plan = Plan::new("Provkommun", "Budget i stor skala", 2025, 2025);
    let column = |kind, year| BudgetColumn { kind, year };
    let groups = (0..rows.div_ceil(100))
        .map(|g| BudgetGroup {
            name: format!("Verksamhetsområde {g}"),
            rows: (g * 100..((g + 1) * 100).min(rows))
                .map(|r| BudgetRow {
                    id: ItemId(100_000 + r),
                    code: format!("{}", 10_000 + r),
                    name: if r % 7 == 0 { format!("Enhet {r} med en lång benämning som inte ryms på en rad i tabellen") } else { format!("Enhet {r}") },
                    amounts: (0..6).map(|c| Some(-((i64::from(r) * 7_919 + c * 104_729) % 9_000_000) - 1_499)).collect(),
                })
                .collect(),
            stated_total: vec![],
        })
        .collect();
    plan.budgets.push(Budget {
        id: ItemId(90_000),
        board: "KS".into(),
        year: 2025,
        columns: vec![
            column(ColumnKind::Actual, 2023),
            column(ColumnKind::Budget, 2024),
            column(ColumnKind::Budget, 2025),
            column(ColumnKind::Plan, 2026),
            column(ColumnKind::Plan, 2027),
            column(ColumnKind::Plan, 2028),
        ],
        frame: Some(Frame { amount: 1_000_000_000, efficiency_requirement: 10_000_000, measures: vec![] }),
        tables: vec![BudgetTable {
            id: ItemId(90_001),
            title: "Driftbudget per enhet (tkr)".into(),
            total_label: "Summa".into(),
            groups,
            stated_total: vec![None, None, Some(-1)],
            against_frame: true,
            ..BudgetTable::default()
        }],
        ..Budget::default()
    });
    plan
}

#[test]
fn a_budget_of_three_thousand_rows_breaks_over_pages_with_the_header_repeated() {
    let plan = large_budget_plan(3_000);
    let overview = overview::build(&plan, &compute(&plan, Selection::Year(2025)), None);
    let section = BudgetSection::new(&plan, None);
    let started = std::time::Instant::now();
    let (bytes, pages) = pdf::report_pdf_with_budget(&overview, &section, "2025-01-31").unwrap();
    let elapsed = started.elapsed();
    if let Ok(dir) = std::env::var("MALPLAN_REPORT_DIR") {
        std::fs::write(Path::new(&dir).join("large-budget.pdf"), &bytes).unwrap();
    }
    eprintln!("3 000 budget rows: {pages} pages, {} kB in {elapsed:?}", bytes.len() / 1024);
    // Under 1 s in a debug build (76 pages); linear in the rows.
    assert!(elapsed < std::time::Duration::from_secs(20), "{elapsed:?} for 3 000 rows");
    assert!(pages > 40, "{pages}");

    // Every page with rows of the table starts with the table's header row.
    let by_page = pdf_extract::extract_text_from_mem_by_pages(&bytes).unwrap();
    assert_eq!(by_page.len(), pages);
    let mut table_pages = 0;
    for (i, page) in by_page.iter().enumerate() {
        let page = squash(page);
        if page.contains("Enhet") {
            table_pages += 1;
            assert!(page.contains("Budget2025") && page.contains("Bokslut2023") && page.contains("Plan2028"), "page {}: no header", i + 1);
            assert!(page.contains("Driftbudgetperenhet(tkr)"), "page {}", i + 1);
        }
    }
    let text = squash(&by_page.concat());
    assert!(table_pages > 40, "{table_pages}");
    assert!(text.matches("Budget2025").count() >= table_pages);
    assert_eq!(text.matches("(forts.)").count(), table_pages - 1);
    for r in [0, 1_499, 2_999] {
        assert!(text.contains(&format!("{}Enhet{r}", 10_000 + r)), "row {r}");
    }
    assert!(text.contains("Idokumentet"));
    assert!(text.contains(&squash("Avrundningsdifferenser förekommer")));

    // Laid out within the page, the amounts right-aligned in six columns.
    let measure = pdf::Measure::new().unwrap();
    let laid_out = pdf::layout_with_budget(&overview, &section, &measure);
    assert_within_page(&laid_out, &measure);
    let mut rights = std::collections::BTreeSet::new();
    for op in laid_out.iter().flat_map(|p| &p.ops) {
        if let Op::Text { x, size, bold, text, .. } = op {
            let right = x + measure.width(text, *size, *bold);
            let amount = text.starts_with('\u{2212}') || text.chars().next().is_some_and(|c| c.is_ascii_digit()) && text.contains('\u{202f}');
            // Not the footnote numbers (smaller) nor the frame's sentences (larger).
            if amount && *size > 6.0 && *size < 9.0 {
                rights.insert((right * 10.0).round() as i64);
            }
        }
    }
    assert_eq!(rights.len(), 6, "amounts end at six right edges: {rights:?}");
}

/// Every text of the laid-out pages (before page headers and numbers are added) lies within
/// the margins, between the page header and the page number.
fn assert_within_page(pages: &[pdf::Page], measure: &pdf::Measure) {
    for (i, op) in pages.iter().enumerate().flat_map(|(i, p)| p.ops.iter().map(move |op| (i, op))) {
        if let Op::Text { x, y, size, bold, text, .. } = op {
            let right = x + measure.width(text, *size, *bold);
            assert!(*x >= 47.0 && right <= pdf::PAGE_WIDTH - 47.0, "page {}: {text:?} at {x}..{right}", i + 1);
            assert!(*y > 60.0 && *y <= pdf::PAGE_HEIGHT - 56.0, "page {}: {text:?} at y {y}", i + 1);
        }
    }
}

#[test]
fn a_budget_with_more_columns_than_fit_is_printed_in_runs_of_columns() {
    use malplan::budget::{BudgetColumn, ColumnKind};
    let mut plan = large_budget_plan(40);
    let budget = &mut plan.budgets[0];
    budget.columns = (2015..2029).map(|year| BudgetColumn { kind: if year < 2025 { ColumnKind::Actual } else { ColumnKind::Plan }, year }).collect();
    for row in budget.tables[0].groups.iter_mut().flat_map(|g| g.rows.iter_mut()) {
        row.amounts = (0..14).map(|c| Some(-123_456_789 - c)).collect();
    }
    // A label longer than a page continues on the next (under the repeated header).
    budget.tables[0].groups[0].rows[5].name = "Mycket lång benämning ".repeat(1_500);
    let overview = overview::build(&plan, &compute(&plan, Selection::Year(2025)), None);
    let section = BudgetSection::new(&plan, None);
    let measure = pdf::Measure::new().unwrap();
    assert_within_page(&pdf::layout_with_budget(&overview, &section, &measure), &measure);
    let bytes = pdf::report_pdf_with_budget(&overview, &section, "2025-01-31").unwrap().0;
    if let Ok(dir) = std::env::var("MALPLAN_REPORT_DIR") {
        std::fs::write(Path::new(&dir).join("wide-budget.pdf"), &bytes).unwrap();
    }
    let text = squash(&text_of(&bytes));
    for year in 2015..2029 {
        assert!(text.contains(&year.to_string()), "{year}");
    }
    // Runs of as many columns as fit (here 5 + 5 + 4), each with every row.
    assert!(text.contains("(kolumn1–") && text.contains("–14av14)"), "runs of columns");
    let runs = text.matches("Driftbudgetperenhet(tkr)(kolumn").count() - text.matches("(forts.)").count();
    assert!(runs >= 2, "{runs} runs");
    assert_eq!(text.matches("10039Enhet39").count(), runs, "each run has every row");
}

#[test]
fn the_budget_section_speaks_english_when_asked() {
    let plan = malplan::storage::load(&sample("askersund-ks-2025.ron")).unwrap();
    let overview = overview::build(&plan, &compute(&plan, default_selection(&plan)), None);
    let section = BudgetSection { lang: malplan::i18n::Lang::English, ..BudgetSection::new(&plan, None) };
    let measure = pdf::Measure::new().unwrap();
    let pages = pdf::layout_with_budget(&overview, &section, &measure);
    assert_within_page(&pages, &measure);
    let texts: String = pages
        .iter()
        .flat_map(|p| &p.ops)
        .filter_map(|op| if let Op::Text { text, .. } = op { Some(text.as_str()) } else { None })
        .collect();
    for expected in [
        "Amounts in kSEK; income positive, costs negative.",
        "Frame 115\u{202f}021 kSEK, efficiency requirement",
        "Actual",
        "In the document",
        "the document states",
        "Joint bodies 2025",
        "Possible consequences:",
    ] {
        assert!(texts.contains(expected), "{expected:?}");
    }
    assert!(!texts.contains("I dokumentet"));
}

#[cfg(feature = "gui")]
#[test]
fn the_app_shows_the_lagesbild_and_exports_the_pdf() {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;
    use malplan::app::{MalplanApp, Settings};

    let app = MalplanApp::start(Some(sample("eskilstuna-ks-delar2-2022.ron")), Settings::default());
    let mut harness = Harness::builder()
        .with_size(egui::Vec2::new(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut MalplanApp| app.show(ui), app);
    harness.run_steps(3);
    harness.get_by_label("Lägesbild").click();
    harness.run_steps(3);
    assert_eq!(harness.state().view, malplan::command::View::Overview);
    harness.get_by_label("Lägesbild – Delår 2 2022");
    // Once in the tree, once in the overview.
    assert_eq!(harness.get_all_by_label("Näringsliv och arbete").count(), 2);

    // The planner clicks Exportera PDF… and picks a file in the (stand-in) file dialog.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fran-appen.pdf");
    let desktop = malplan::app::effects::ScriptedDesktop::answering([out.clone()]);
    harness.state_mut().set_desktop(Box::new(desktop));
    harness.get_by_label("Exportera PDF…").click();
    // The PDF is written on a worker while the window keeps drawing.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    harness.run_steps(1);
    assert!(harness.state().is_busy(), "exporting runs as a job");
    while harness.state().has_running_jobs() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(5));
        harness.run_steps(1);
    }
    harness.run_steps(2);
    assert!(harness.state().dialog().is_none());
    assert!(squash(&pdf_text(&out)).contains(&squash("Berikande kultur och fritid")));
    assert!(harness.state().status_line().contains("sidor"), "{}", harness.state().status_line());
}

/// Seed 004's economy in the printed report: the section *Ekonomisk redovisning* with the
/// summary, the explanations and the three tables in their own units, the true totals with the
/// source's rounding noted, and the linked goals carrying the forecast against budget – read
/// back from the PDF the CLI writes.
#[test]
fn the_report_prints_the_economic_follow_up_in_the_seeds_layout() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ks.pdf");
    let (code, output) = run_report(&[sample("eskilstuna-ks-delar2-2022.ron").to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{output}");
    let text = plain_minus(&pdf_text(&out));
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Ekonomisk redovisning – Kommunstyrelsen (KS), Delår 2 2022",
        "Resultat t.o.m. augusti +30,2 mnkr · årsprognos +15,6 mnkr mot budget 0,0: avvikelse +15,6 mnkr",
        "Avvikelsen mellan budget (0,0) och prognos (+15,6) förklaras av:",
        "Löner och kontorsdrift +5,9",
        "Landsbygdsstöd +0,8",
        "Förklarat +15,6 mnkr, oförklarat 0,0 mnkr.",
        "Belopp i mnkr",
        "Kommunersättning 266,8 307,7 307,7 0,0 461,5 461,5 0,0",
        "Personalkostnader -71,5 -73,2 -78,0 4,8 -121,5 -115,5 6,0",
        // The true totals of the rows, not the source's: 352,3 − 322,0 = 30,3.
        "ÅRETS RESULTAT",
        "24,0 30,3 3,0 27,3 -0,1 15,5 15,6",
        "Källan avrundar annorlunda:",
        "Belopp i tkr",
        "Näringsliv 9 512 0 2 200 3 900",
        "Totalt 30 210 0 8 000 15 615",
        "Inventarier till Energy Evolution Center 266",
        // The linked goals: the Ekonomi area and its board goals.
        "Ekonomi (KS): Resultat t.o.m. augusti +30,2 mnkr",
    ] {
        assert!(flat.contains(expected), "missing {expected:?} in:\n{flat}");
    }
    // Limited to another board, the section is left out.
    let other = dir.path().join("sbn.pdf");
    let (code, output) = run_report(&[sample("eskilstuna-ks-delar2-2022.ron").to_str().unwrap(), "--board", "SBN", "-o", other.to_str().unwrap()]);
    assert_eq!(code, 0, "{output}");
    assert!(!pdf_text(&other).contains("Ekonomisk redovisning"));
}
