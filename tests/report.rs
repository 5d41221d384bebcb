//! The printed report: generated through the CLI and read back from the PDF itself.

use std::path::{Path, PathBuf};
use std::process::Command;

use malplan::followup::{Selection, compute};
use malplan::model::{Assessment, GoalFollowUp, GoalLevel, ItemId, Plan};
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
