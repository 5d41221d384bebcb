//! Text layout of the PDF report against text size: `Measure::wrap` and the whole report layout
//! (`pdf::layout`) for a goal title of 0,1, 1 and 10 MB. Layout should be linear in the text,
//! so the time per MB should stay the same across sizes.
//!
//! First a table measured in one run (median of a few rounds per size; the ratios are what
//! count on a machine whose speed drifts), then criterion groups with the throughput in MB/s.

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, Throughput};
use malplan::followup::{self, Selection};
use malplan::report::overview::{self, Overview};
use malplan::report::pdf::{self, Measure, PAGE_WIDTH};

const SIZES_MB: [f64; 3] = [0.1, 1.0, 10.0];
/// The report's content width (A4 less two 48 pt margins), as the summary's title column.
const WIDTH: f32 = PAGE_WIDTH - 2.0 * 48.0;

/// A deterministic text of about `bytes` bytes: Swedish words, a line break now and then, and
/// every thousandth word an over-long one (a URL-like run) that must be broken by characters.
fn text_of(bytes: usize) -> String {
    const WORDS: [&str; 12] = [
        "Förbättrad", "ekonomistyrning", "genom", "kvalitetssäkrade", "prognoser", "och", "uppföljning", "i",
        "alla", "nämnder", "bolag", "–",
    ];
    let mut text = String::with_capacity(bytes + 400);
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut n = 0u64;
    while text.len() < bytes {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        n += 1;
        if !text.is_empty() {
            text.push(if n.is_multiple_of(500) { '\n' } else { ' ' });
        }
        if n.is_multiple_of(1000) {
            text.push_str("https://www.eskilstuna.se/");
            text.push_str(&"kommun-och-politik/".repeat(16));
        } else {
            text.push_str(WORDS[(state % WORDS.len() as u64) as usize]);
        }
    }
    text
}

/// The KS sample's overview with the first goal's title replaced by `title`.
fn overview_with_title(base: &Overview, title: &str) -> Overview {
    let mut overview = base.clone();
    overview.goals[0].title = title.to_owned();
    overview
}

fn base_overview() -> Overview {
    let plan = malplan::examples::default_plan();
    let follow_up = followup::compute(&plan, Selection::Period(plan.periods[0].id));
    overview::build(&plan, &follow_up, None)
}

fn label(mb: f64) -> String {
    if mb < 1.0 { format!("{mb:.1} MB") } else { format!("{mb:.0} MB") }
}

/// Median time in seconds of `rounds` runs.
fn median_secs<T>(rounds: usize, mut run: impl FnMut() -> T) -> f64 {
    let mut times: Vec<f64> = (0..rounds)
        .map(|_| {
            let started = Instant::now();
            black_box(run());
            started.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// Times per size and per MB in one run, so the scaling reads directly.
fn scaling_table(measure: &Measure, base: &Overview) {
    println!("text layout against text size (median of 3 rounds; linear = the same ms per MB):");
    let mut first: Option<(f64, f64)> = None;
    for mb in SIZES_MB {
        let text = text_of((mb * 1e6) as usize);
        let wrap = median_secs(3, || measure.wrap(&text, WIDTH, 9.0, false));
        let overview = overview_with_title(base, &text);
        let layout = median_secs(3, || pdf::layout(&overview, measure));
        let (wrap_per_mb, layout_per_mb) = (wrap * 1e3 / mb, layout * 1e3 / mb);
        let (wrap_first, layout_first) = *first.get_or_insert((wrap_per_mb, layout_per_mb));
        println!(
            "  {:>6}: wrap {:9.2} ms ({:7.2} ms/MB, {:.2}x the 0.1 MB rate), layout {:9.2} ms ({:7.2} ms/MB, {:.2}x)",
            label(mb),
            wrap * 1e3,
            wrap_per_mb,
            wrap_per_mb / wrap_first,
            layout * 1e3,
            layout_per_mb,
            layout_per_mb / layout_first,
        );
    }
}

/// The large plan's report with and without charts: time (median of 3, interleaved) and size.
fn charts_on_paper() {
    use malplan::report::chart_pdf::ChartMode;
    let plan = malplan::generate::generate(malplan::generate::Scale::Large);
    let selection = malplan::followup::Selection::Year(plan.meta.last_year);
    let (mut times, mut sizes) = ([Vec::new(), Vec::new(), Vec::new()], [0usize; 3]);
    let modes = [ChartMode::None, ChartMode::Small, ChartMode::Full];
    let mut pages = [0usize; 3];
    for _ in 0..3 {
        for (i, mode) in modes.iter().enumerate() {
            let started = Instant::now();
            let (bytes, count) = malplan::report::report_pdf_bytes_with(&plan, selection, None, *mode).expect("the report");
            times[i].push(started.elapsed().as_secs_f64());
            sizes[i] = bytes.len();
            pages[i] = count;
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let base = median(&mut times[0].clone());
    println!("the large plan's report (2 000 indicators), median of 3 interleaved rounds:");
    for (i, name) in ["no charts", "small charts", "full-width charts"].iter().enumerate() {
        let t = median(&mut times[i]);
        println!(
            "  {name:18} {:6.2} s ({:.2}x)  {:6.1} MB ({:.2}x)  {} pages",
            t,
            t / base,
            sizes[i] as f64 / 1e6,
            sizes[i] as f64 / sizes[0] as f64,
            pages[i]
        );
    }
}

fn wrap(c: &mut Criterion, measure: &Measure) {
    let mut group = c.benchmark_group("Measure::wrap");
    group.sample_size(10);
    for mb in SIZES_MB {
        let text = text_of((mb * 1e6) as usize);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(label(mb), |b| b.iter(|| measure.wrap(black_box(&text), WIDTH, 9.0, false)));
    }
    group.finish();
}

fn layout(c: &mut Criterion, measure: &Measure, base: &Overview) {
    let mut group = c.benchmark_group("report layout, one goal title of");
    group.sample_size(10);
    for mb in SIZES_MB {
        let overview = overview_with_title(base, &text_of((mb * 1e6) as usize));
        group.throughput(Throughput::Bytes(overview.goals[0].title.len() as u64));
        group.bench_function(label(mb), |b| b.iter(|| pdf::layout(black_box(&overview), measure)));
    }
    group.finish();
}

fn main() {
    let measure = Measure::new().expect("the bundled fonts load");
    let base = base_overview();
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--list") {
        return;
    }
    // `cargo bench` passes --bench; `cargo test --benches` does not (criterion then runs each
    // benchmark once as a test), and the table is only for measuring.
    if args.iter().any(|a| a == "--bench") {
        charts_on_paper();
        scaling_table(&measure, &base);
    }
    let mut criterion = Criterion::default().configure_from_args();
    wrap(&mut criterion, &measure);
    layout(&mut criterion, &measure, &base);
    criterion.final_summary();
}
