//! Plan files at scale: RON vs serde_json load and save of the large plan measured
//! interleaved (round by round, so a noisy machine slows both alike), and the peak memory of
//! opening the huge plan as a multiple of its file size.
//!
//! For memory, the parent writes the plan to a temporary file and starts this same program again to only
//! load it, so the measured peak (`VmHWM`, Linux) is the load's alone and not the generator's.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use malplan::generate::{Scale, generate};

const CHILD_FLAG: &str = "--load-and-report-peak";

fn peak_resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The median of `rounds` alternating runs of `a` and `b`, in milliseconds.
fn interleaved<A, B>(rounds: usize, mut a: impl FnMut() -> A, mut b: impl FnMut() -> B) -> (f64, f64) {
    let (mut times_a, mut times_b) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let started = Instant::now();
        std::hint::black_box(a());
        times_a.push(started.elapsed().as_secs_f64() * 1000.0);
        let started = Instant::now();
        std::hint::black_box(b());
        times_b.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    (median(times_a), median(times_b))
}

fn interleaved_ratios() {
    let plan = generate(Scale::Large);
    let ron_text = malplan::storage::to_ron_string(&plan).unwrap();
    let json_text = serde_json::to_string(&plan).unwrap();
    let (ron, json) = interleaved(
        15,
        || malplan::storage::parse_str(&ron_text, "large.ron").unwrap(),
        || serde_json::from_str::<malplan::model::Plan>(&json_text).unwrap(),
    );
    println!("large plan, load: RON {ron:.1} ms, serde_json {json:.1} ms: {:.2}x (median of 15 interleaved rounds)", ron / json);
    let (ron, json) = interleaved(
        15,
        || malplan::storage::to_ron_string(&plan).unwrap(),
        || serde_json::to_string_pretty(&plan).unwrap(),
    );
    println!("large plan, save: RON {ron:.1} ms, serde_json (pretty) {json:.1} ms: {:.2}x", ron / json);
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == CHILD_FLAG) {
        let before = peak_resident_kib().unwrap_or(0);
        let plan = malplan::storage::load(Path::new(&args[at + 1])).expect("the generated plan loads");
        let problems = malplan::validate::validate(&plan);
        let follow_up = malplan::followup::compute(&plan, malplan::followup::Selection::Year(2024));
        std::hint::black_box((problems.len(), follow_up.goals.len()));
        println!("{} {}", before, peak_resident_kib().unwrap_or(0));
        return;
    }
    if args.iter().any(|a| a == "--list") {
        return;
    }
    if peak_resident_kib().is_none() {
        println!("memory: peak-memory measurement needs Linux (/proc/self/status); skipped");
        return;
    }
    interleaved_ratios();
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("huge.ron");
    malplan::storage::save(&generate(Scale::Huge), &path).expect("the huge plan saves");
    let file_bytes = std::fs::metadata(&path).unwrap().len();
    let output = Command::new(std::env::current_exe().unwrap())
        .arg(CHILD_FLAG)
        .arg(&path)
        .output()
        .expect("the measuring child starts");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8_lossy(&output.stdout);
    let numbers: Vec<u64> = text.split_whitespace().filter_map(|n| n.parse().ok()).collect();
    let (before_kib, peak_kib) = (numbers[0], numbers[1]);
    let file_mb = file_bytes as f64 / 1e6;
    let peak_mb = peak_kib as f64 * 1024.0 / 1e6;
    println!("huge plan: file {file_mb:.1} MB, peak resident memory while loading, validating and");
    println!("computing the follow-up {peak_mb:.1} MB (process baseline {:.1} MB)", before_kib as f64 * 1024.0 / 1e6);
    println!("peak memory / file size: {:.2}x", peak_mb / file_mb);
}
