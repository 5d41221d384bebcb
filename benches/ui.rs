//! UI frames of the real app in a headless egui context (1280×800, layout + tessellation).
//!
//! First, frame times while long jobs run (printed, not criterion: what counts is the longest
//! frame, not the mean): exporting the large plan's PDF and importing 180 000 changed values
//! from .xlsx, against normal frames of the same app in the same run. Frames are paced at
//! 60 per second, as a real window's are, so the worker shares the two cores as it would.
//!
//! Then criterion groups comparing the same kind of frame with the large and a small plan:
//! a deep indicator selected; the frame after editing an outcome *and* the frame in which the
//! plan's check lands (a large plan is checked on a worker once typing pauses, a small one at
//! once – both are measured until the check is in); and scrolling the indicator list, with a
//! small plan long enough to scroll the whole time.

use std::time::{Duration, Instant};

#[path = "../tests/common/kolada_server.rs"]
mod kolada_server;

use criterion::Criterion;
use malplan::app::{MalplanApp, Settings};
use malplan::command::{Answer, EditCommand, FileCommand, View, ViewCommand};
use malplan::edit::Edit;
use malplan::generate::{Scale, generate};
use malplan::model::Plan;
use malplan::outline::NodeRef;

/// What the calling thread has used so far: its own CPU time, page faults and context
/// switches (Linux `getrusage(RUSAGE_THREAD)`), so a slow frame can be told apart as own work,
/// waiting for memory, waiting on a lock or waiting for a core.
#[derive(Clone, Copy, Default)]
struct ThreadUsage {
    cpu: Duration,
    minor_faults: i64,
    major_faults: i64,
    voluntary_switches: i64,
    involuntary_switches: i64,
    /// CLOCK_MONOTONIC, to find the frame in a `perf record -k CLOCK_MONOTONIC` trace.
    at: Duration,
}

impl ThreadUsage {
    #[cfg(target_os = "linux")]
    fn now() -> Self {
        // SAFETY: the calls only write into the zeroed structs passed to them.
        unsafe {
            let mut usage: libc::rusage = std::mem::zeroed();
            let mut cpu: libc::timespec = std::mem::zeroed();
            let mut at: libc::timespec = std::mem::zeroed();
            libc::getrusage(libc::RUSAGE_THREAD, &mut usage);
            libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut cpu);
            libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut at);
            Self {
                cpu: Duration::new(cpu.tv_sec as u64, cpu.tv_nsec as u32),
                minor_faults: usage.ru_minflt,
                major_faults: usage.ru_majflt,
                voluntary_switches: usage.ru_nvcsw,
                involuntary_switches: usage.ru_nivcsw,
                at: Duration::new(at.tv_sec as u64, at.tv_nsec as u32),
            }
        }
    }

    #[cfg(not(target_os = "linux"))]
    fn now() -> Self {
        Self::default()
    }

    fn since(&self, before: &Self, wall: Duration) -> Sample {
        Sample {
            wall,
            cpu: self.cpu.saturating_sub(before.cpu),
            minor_faults: self.minor_faults - before.minor_faults,
            major_faults: self.major_faults - before.major_faults,
            voluntary_switches: self.voluntary_switches - before.voluntary_switches,
            involuntary_switches: self.involuntary_switches - before.involuntary_switches,
            started_at: before.at,
        }
    }
}

/// One frame: its wall-clock time and what the UI thread did in it.
#[derive(Clone, Copy)]
struct Sample {
    wall: Duration,
    cpu: Duration,
    minor_faults: i64,
    major_faults: i64,
    voluntary_switches: i64,
    involuntary_switches: i64,
    started_at: Duration,
}

impl Sample {
    fn describe(&self) -> String {
        format!(
            "{} (cpu {}, faults {}+{}, switches {} waiting + {} preempted; at {:.6})",
            ms(self.wall),
            ms(self.cpu),
            self.minor_faults,
            self.major_faults,
            self.voluntary_switches,
            self.involuntary_switches,
            self.started_at.as_secs_f64()
        )
    }
}

/// The real app in a headless egui context: one call is one frame.
struct HeadlessApp {
    app: MalplanApp,
    ctx: egui::Context,
}

impl HeadlessApp {
    /// The app on `plan` after `setup` and three warm-up frames (fonts, caches, selection).
    fn new(plan: Plan, setup: impl FnOnce(&mut MalplanApp)) -> Self {
        let mut this = Self { app: MalplanApp::new(plan, None, Settings::default()), ctx: egui::Context::default() };
        setup(&mut this.app);
        for _ in 0..3 {
            this.frame(vec![egui::Event::PointerMoved(egui::pos2(640.0, 450.0))]);
        }
        this
    }

    /// Runs one frame with these input events; returns the number of tessellated primitives.
    fn frame(&mut self, events: Vec<egui::Event>) -> usize {
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 800.0))),
            events,
            ..Default::default()
        };
        let app = &mut self.app;
        let output = self.ctx.run_ui(input, |ui| app.show(ui));
        self.ctx.tessellate(output.shapes, output.pixels_per_point).len()
    }

    /// One frame, timed, with what the thread itself did in it.
    fn sampled_frame(&mut self) -> Sample {
        let before = ThreadUsage::now();
        let start = Instant::now();
        std::hint::black_box(self.frame(vec![egui::Event::PointerMoved(egui::pos2(640.0, 450.0))]));
        let wall = start.elapsed();
        ThreadUsage::now().since(&before, wall)
    }

    /// Frames at 60 per second until `done` (at most `limit`); each frame's sample.
    fn frames_until(&mut self, limit: Duration, done: impl Fn(&MalplanApp) -> bool) -> Vec<Sample> {
        let start = Instant::now();
        let mut times = Vec::new();
        loop {
            let frame_start = Instant::now();
            times.push(self.sampled_frame());
            if done(&self.app) || start.elapsed() > limit {
                return times;
            }
            if let Some(rest) = Duration::from_micros(16_667).checked_sub(frame_start.elapsed()) {
                std::thread::sleep(rest);
            }
        }
    }
}

fn select_middle_indicator(plan: &Plan) -> impl FnOnce(&mut MalplanApp) + use<> {
    let indicator = plan.indicators[plan.indicators.len() / 2].id;
    move |app| app.send(ViewCommand::Select(NodeRef::Indicator(indicator)))
}

fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted.get(sorted.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn report_line(out: &mut String, what: &str, samples: &[Sample], normal: Duration, total: Option<Duration>) {
    use std::fmt::Write as _;
    let times: Vec<Duration> = samples.iter().map(|s| s.wall).collect();
    let longest = times.iter().copied().max().unwrap_or_default();
    let longest_cpu = samples.iter().map(|s| s.cpu).max().unwrap_or_default();
    let _ = writeln!(
        out,
        "{what:<58} frames {:>4}  median {:>9}  longest {:>9}  = {:.1}× a normal frame (own cpu: longest {}){}",
        times.len(),
        ms(median(&times)),
        ms(longest),
        longest.as_secs_f64() / normal.as_secs_f64().max(1e-9),
        ms(longest_cpu),
        total.map(|t| format!("  (job {:.2} s)", t.as_secs_f64())).unwrap_or_default()
    );
    // MALPLAN_BENCH_FRAMES=1 lists the slow frames by index, with what the thread did in them
    // (=all: every frame).
    if std::env::var_os("MALPLAN_BENCH_FRAMES").is_some() {
        let all = std::env::var("MALPLAN_BENCH_FRAMES").is_ok_and(|v| v == "all");
        for (i, sample) in samples.iter().enumerate().filter(|(_, s)| all || s.wall > normal * 2) {
            let _ = writeln!(out, "{:<58} slow frame #{i}: {}", "", sample.describe());
        }
    }
}

/// The longest frame while the large plan's PDF is exported and while 180 000 values are
/// imported from .xlsx, against normal frames – all in one run.
fn longest_frames_during_jobs() {
    use std::fmt::Write as _;
    let dir = std::env::temp_dir().join(format!("malplan-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let plan = generate(Scale::Large);

    // A workbook in which every one of the plan's values differs, so the import changes all.
    let mut changed = plan.clone();
    for indicator in &mut changed.indicators {
        for series in &mut indicator.series {
            for (_, value) in series.outcomes.iter_mut().chain(series.targets.iter_mut()) {
                *value += 1.0;
            }
        }
    }
    let sheet = dir.join("large.xlsx");
    malplan::exchange::write_sheet(&changed, &sheet).expect("workbook");

    let select = select_middle_indicator(&plan);
    let mut headless = HeadlessApp::new(plan, select);
    // Normal frames before the jobs and again after them (the same view), so a drift in the
    // machine's speed during the run does not pass for the jobs' doing.
    let normal_before = headless.frames_until(Duration::from_secs(1), |_| false);
    // Each job's frames, reported at the end: a line written to a pipe mid-run wakes its
    // reader, which then competes with the measured frames for the two cores.
    let mut phases: Vec<(&str, Vec<Sample>, Option<Duration>)> = Vec::new();
    let mut out = String::new();

    let pdf = dir.join("large.pdf");
    headless.app.send(FileCommand::ExportReport(Some(pdf.clone())));
    let started = Instant::now();
    let export = headless.frames_until(Duration::from_secs(120), |app| !app.has_running_jobs() && app.status_line().contains("sidor"));
    phases.push(("exporting the PDF (576 pages)", export, Some(started.elapsed())));
    assert!(pdf.exists(), "the PDF was written: {}", headless.app.status_line());

    headless.app.send(FileCommand::ImportSheet(Some(sheet)));
    let started = Instant::now();
    let preview = headless.frames_until(Duration::from_secs(120), |app| app.dialog().is_some() && !app.is_busy());
    phases.push(("importing .xlsx: reading and previewing 180 000 values", preview, Some(started.elapsed())));
    let changes = match headless.app.dialog() {
        Some(malplan::app::Dialog::Import(import)) => import.change_count,
        other => panic!("expected the import preview, got {other:?}"),
    };
    assert!(changes > 100_000, "every outcome and target differs: {changes}");
    let _ = writeln!(out, "{:<58} {changes} values change", "");

    headless.app.send(EditCommand::AcceptImport);
    let started = Instant::now();
    let revision = headless.app.doc.revision();
    let accept = headless.frames_until(Duration::from_secs(30), move |app| {
        app.doc.revision() > revision && !app.has_running_jobs() && app.problems_are_current()
    });
    phases.push(("importing .xlsx: accepting (one undo step) until checked", accept, Some(started.elapsed())));
    headless.app.send(Answer::Dismiss);
    headless.frame(Vec::new());
    let normal_after = headless.frames_until(Duration::from_secs(1), |_| false);

    // Hämta från Kolada: the large plan's 2 000 KPIs × 3 municipalities × its years, from a
    // fake Kolada on 127.0.0.1, to the preview. The fake server makes up 138 000 values on
    // this machine's two cores; a real Kolada is elsewhere, so its threads run at nice 19.
    let server = kolada_server::KoladaServer::start_elsewhere();
    headless.app.settings.kolada_url = Some(server.url.clone());
    headless.app.settings.kolada_cache = Some(dir.join("kolada-cache"));
    let mut settings = headless.app.plan().kolada.clone();
    settings.municipality = Some("0484".into());
    settings.comparisons = vec![
        malplan::model::KoladaComparison { code: "0000".into(), name: "Riket".into() },
        malplan::model::KoladaComparison { code: "0486".into(), name: "Strängnäs".into() },
    ];
    headless.app.send(EditCommand::Apply { edit: Edit::Kolada(settings), merge: None });
    headless.frame(Vec::new());
    let request = malplan::exchange::kolada::fetch_request(headless.app.plan()).expect("the large plan has KPIs");
    headless.app.send(FileCommand::FetchKolada);
    let started = Instant::now();
    let fetch = headless.frames_until(Duration::from_secs(300), |app| app.dialog().is_some() && !app.is_busy());
    let elapsed = started.elapsed();
    phases.push(("Hämta från Kolada: fetching and previewing", fetch, Some(elapsed)));
    let _ = writeln!(
        out,
        "{:<58} {} KPIs × {} municipalities × {} years: {} requests, {:.0} values a second",
        "",
        request.kpis.len(),
        request.municipalities.len(),
        request.years.len(),
        server.requests(),
        (request.kpis.len() * request.municipalities.len() * request.years.len()) as f64 / elapsed.as_secs_f64()
    );
    headless.app.send(Answer::Dismiss);

    let normal: Vec<Sample> = normal_before.iter().chain(&normal_after).copied().collect();
    let normal_median = median(&normal.iter().map(|s| s.wall).collect::<Vec<_>>());
    println!("\nLongest frame while a job runs (large plan, frames paced at 60/s):");
    let mut report = String::new();
    report_line(&mut report, "normal frames before the jobs, deep indicator selected", &normal_before, normal_median, None);
    report_line(&mut report, "normal frames after them, the same view", &normal_after, normal_median, None);
    for (what, samples, total) in &phases {
        report_line(&mut report, what, samples, normal_median, *total);
    }
    print!("{report}{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Benchmarks the same kind of frame with the large and the small plan, in one group. Each
/// call of the closure does one iteration and returns the time spent in frames (so waiting
/// for a worker between frames is not counted).
fn large_vs_small<F: FnMut() -> Duration>(c: &mut Criterion, group: &str, small: Plan, mut frames_for: impl FnMut(Plan) -> F) {
    let mut large = frames_for(generate(Scale::Large));
    let mut small = frames_for(small);
    let mut group = c.benchmark_group(group);
    group.sample_size(20);
    group.bench_function("large plan", |b| b.iter_custom(|iters| (0..iters).map(|_| large()).sum()));
    group.bench_function("small plan", |b| b.iter_custom(|iters| (0..iters).map(|_| small()).sum()));
    group.finish();
}

/// One frame with these events, timed.
fn timed(headless: &mut HeadlessApp, events: Vec<egui::Event>) -> Duration {
    let start = Instant::now();
    std::hint::black_box(headless.frame(events));
    start.elapsed()
}

/// A deep indicator selected: tree, editor, value table and chart.
fn frame(c: &mut Criterion) {
    large_vs_small(c, "UI frame, deep indicator selected", generate(Scale::Small), |plan| {
        let select = select_middle_indicator(&plan);
        let mut headless = HeadlessApp::new(plan, select);
        move || timed(&mut headless, Vec::new())
    });
}

/// Editing an outcome of the selected indicator (as typing in its table does), then frames at
/// 60 per second until the plan's check has landed (at once for the small plan; on a worker
/// 400 ms after the edit for the large one, taken in by a later frame): one iteration is the
/// longest of those frames – the edit's frame and the one the check lands in included.
fn frame_after_edit(c: &mut Criterion) {
    large_vs_small(c, "UI: longest frame from editing an outcome until its check has landed", generate(Scale::Small), |plan| {
        let index = plan.indicators.len() / 2;
        let select = select_middle_indicator(&plan);
        let mut headless = HeadlessApp::new(plan, select);
        let mut toggle = false;
        move || {
            toggle = !toggle;
            let mut edited = headless.app.plan().indicators[index].clone();
            let value = if toggle { 12.5 } else { 99.0 };
            malplan::model::set_value(&mut edited.series[0].outcomes, 2024, Some(value));
            headless.app.send(EditCommand::Apply { edit: Edit::Indicator(edited), merge: None });
            let mut longest = timed(&mut headless, Vec::new());
            // Frames at 60 per second until the check is in; the longest one counts.
            while !headless.app.problems_are_current() {
                std::thread::sleep(Duration::from_millis(14));
                longest = longest.max(timed(&mut headless, Vec::new()));
            }
            longest
        }
    });
}

/// A small plan with enough indicators to scroll for 40 frames in a row (200 instead of 40).
fn small_plan_that_scrolls() -> Plan {
    let mut plan = generate(Scale::Small);
    let originals = plan.indicators.clone();
    let mut next = plan.next_id().0;
    for copy in 1..5 {
        for indicator in &originals {
            let mut indicator = indicator.clone();
            indicator.id = malplan::model::ItemId(next);
            indicator.name = format!("{} ({copy})", indicator.name);
            next += 1;
            plan.indicators.push(indicator);
        }
    }
    plan
}

/// The whole-plan indicator list, scrolled by the mouse wheel every frame (down for 40 frames,
/// then up again): both plans are long enough to scroll in every frame.
fn list_scroll(c: &mut Criterion) {
    large_vs_small(c, "UI frame, indicator list scrolling", small_plan_that_scrolls(), |plan| {
        let mut headless = HeadlessApp::new(plan, |app| app.send(ViewCommand::Show(View::IndicatorList)));
        let mut frame = 0u64;
        move || {
            frame += 1;
            let down = (frame / 40) % 2 == 0;
            let wheel = egui::Event::MouseWheel {
                unit: egui::MouseWheelUnit::Point,
                delta: egui::vec2(0.0, if down { -80.0 } else { 80.0 }),
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Unknown,
                modifiers: egui::Modifiers::NONE,
            };
            timed(&mut headless, vec![egui::Event::PointerMoved(egui::pos2(640.0, 450.0)), wheel])
        }
    });
}

/// A plan (the small one) with a budget of `rows` rows × 8 columns for its first board.
fn plan_with_budget(rows: usize) -> Plan {
    let mut plan = generate(Scale::Small);
    let board = plan.boards[1].code.clone();
    let first = plan.next_id().0;
    plan.budgets.push(malplan::generate::budget(&board, rows, 8, first));
    plan
}

/// The Budget view with a municipality-wide budget (10 000 rows × 8 columns) against a board's
/// (20 rows): one iteration types one amount into a cell of the first row (as Enter in the
/// cell does: one edit) and draws the frame that shows the new sums and frame check.
fn budget_frame_after_edit(c: &mut Criterion) {
    let frames_for = |plan: Plan| {
        let budget = plan.budgets[0].id;
        let row = plan.budgets[0].tables[0].groups[0].rows[0].id;
        let mut headless = HeadlessApp::new(plan, |app| app.send(ViewCommand::Show(View::Budget)));
        let mut toggle = false;
        move || {
            toggle = !toggle;
            let value = Some(if toggle { -1_234_000 } else { -4_321_000 });
            let edit = malplan::budget::edit::BudgetEdit::Cell { row, column: 2, value };
            headless.app.send(EditCommand::Apply { edit: Edit::Budget { budget, edit }, merge: None });
            timed(&mut headless, Vec::new())
        }
    };
    let mut large = frames_for(plan_with_budget(10_000));
    let mut small = frames_for(plan_with_budget(20));
    let mut group = c.benchmark_group("UI: Budget view, frame after editing one amount");
    group.sample_size(30);
    group.bench_function("10 000 rows x 8 columns", |b| b.iter_custom(|iters| (0..iters).map(|_| large()).sum()));
    group.bench_function("20 rows x 8 columns", |b| b.iter_custom(|iters| (0..iters).map(|_| small()).sum()));
    group.finish();
}

/// The palette's search for one typed query over the large and the small plan (done once per
/// keystroke): a query that matches nothing reads every goal, indicator and commitment. The
/// index of their texts is made once per plan revision, when the palette first searches.
fn palette_search(c: &mut Criterion) {
    use malplan::i18n::Lang;
    use malplan::outline::LowerTexts;
    use malplan::ui::palette::search_in;
    let large = generate(Scale::Large);
    let small = malplan::examples::default_plan();
    let mut group = c.benchmark_group("UI: palette search, a query that matches nothing");
    group.sample_size(20);
    for (name, plan) in [("large plan", &large), ("small plan", &small)] {
        let texts = LowerTexts::new(plan);
        group.bench_function(format!("{name}, one keystroke"), |b| b.iter(|| search_in(plan, &texts, "zzzz ingenting", Lang::Swedish).len()));
        group.bench_function(format!("{name}, lower-casing the texts"), |b| b.iter(|| LowerTexts::new(plan)));
    }
    group.finish();
}

/// The tree's rows for a typed filter (made once per keystroke): one that matches nothing
/// reads every goal, indicator and commitment. Their lower-cased texts are made once per plan
/// revision, when a filter is first typed.
fn tree_filter(c: &mut Criterion) {
    use malplan::outline::{Filter, LowerTexts, Structure, visible_rows_with};
    let large = generate(Scale::Large);
    let small = malplan::examples::default_plan();
    let mut group = c.benchmark_group("UI: tree rows for a typed filter that matches nothing");
    group.sample_size(20);
    for (name, plan) in [("large plan", &large), ("small plan", &small)] {
        let structure = Structure::new(plan);
        let filter = Filter { text: "zzzz".into(), board: None };
        let expanded = std::collections::HashSet::new();
        let texts = LowerTexts::new(plan);
        group.bench_function(format!("{name}, one keystroke"), |b| b.iter(|| visible_rows_with(plan, &structure, &expanded, &filter, &texts).len()));
        group.bench_function(format!("{name}, lower-casing the texts, once per revision"), |b| b.iter(|| LowerTexts::new(plan)));
    }
    group.finish();
}

fn main() {
    // `cargo bench --bench ui -- Budget` runs only the matching criterion groups; the job
    // frames run without a filter or with the filter "jobs".
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-') && a != "--bench");
    if filter.as_deref().is_none_or(|f| f == "jobs") {
        longest_frames_during_jobs();
    }
    let mut criterion = Criterion::default().configure_from_args();
    frame(&mut criterion);
    frame_after_edit(&mut criterion);
    list_scroll(&mut criterion);
    budget_frame_after_edit(&mut criterion);
    palette_search(&mut criterion);
    tree_filter(&mut criterion);
    criterion.final_summary();
}
