//! Replays the inputs the fuzzers found (and their seeds) through exactly the checks of the
//! fuzz targets in `fuzz/` – the same file, `fuzz/checks.rs`, is included here – and asserts
//! what each corpus is known to hold, so a corpus that quietly stopped reaching the deep
//! checks (a reader that now refuses everything) fails instead of passing on one file.

use std::path::Path;

use malplan::followup::number::{format_for_editing, parse_value};
use malplan::model::Unit;

#[path = "../fuzz/checks.rs"]
mod checks;

use checks::Reached;

fn corpus(name: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_corpus").join(name);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect();
    files.sort();
    files
}

/// How many files of an importer's corpus got how far (each count includes the deeper ones).
#[derive(Debug, Default)]
struct Counts {
    files: usize,
    parsed: usize,
    previewed: usize,
    changed: usize,
}

fn replay(name: &str, check: fn(&[u8]) -> Reached) -> Counts {
    let mut counts = Counts::default();
    for (file, data) in corpus(name) {
        counts.files += 1;
        // A panic names the file, so a failing entry is found at once.
        let reached = std::panic::catch_unwind(|| check(&data))
            .unwrap_or_else(|_| panic!("tests/fuzz_corpus/{name}/{file} fails the fuzz target's checks"));
        counts.parsed += usize::from(reached >= Reached::Parsed);
        counts.previewed += usize::from(reached >= Reached::Previewed);
        counts.changed += usize::from(reached >= Reached::Changed);
    }
    counts
}

/// `at_least`: files, parsed, previewed, with changes – measured when the corpus was
/// minimised (see fuzz/README.md).
fn assert_reaches(name: &str, counts: &Counts, at_least: [usize; 4]) {
    let got = [counts.files, counts.parsed, counts.previewed, counts.changed];
    assert!(
        got.iter().zip(at_least).all(|(g, w)| *g >= w),
        "{name}: files, parsed, previewed, with changes = {got:?}; the corpus is known to reach {at_least:?}"
    );
}

#[test]
fn loader_corpus_never_panics_and_saved_plans_load_back() {
    let files = corpus("load");
    assert!(files.len() >= 1167, "the corpus is kept in the repository");
    // `checks::load` fails on a plan that loads but cannot be saved, or does not load back.
    let loaded = files.iter().filter(|(name, data)| checks::load(data, name)).count();
    // Measured when the importer corpora were added (issue 14): 305 of the 1 167 files load;
    // the rest are the loader's refusals (syntax, newer version, not UTF-8, …).
    assert!(loaded >= 305, "{loaded} corpus entries load, 305 are known to");
}

#[test]
fn kolada_corpus_gives_honest_previews_that_undo() {
    let counts = replay("kolada_json", checks::kolada_json);
    // Measured: 426 files, 47 parse (most are the JSON reader's refusals), 45 preview, 17 with
    // changes that are applied, checked and undone.
    assert_reaches("kolada_json", &counts, [426, 47, 45, 17]);
}

#[test]
fn csv_corpus_gives_honest_previews_that_undo() {
    let counts = replay("csv", checks::csv);
    // Measured: 223 files, 222 read, 134 preview (the rest lack the Id/Serie/Typ or year
    // columns), 43 with changes.
    assert_reaches("csv", &counts, [223, 222, 134, 43]);
}

#[test]
fn xlsx_corpus_gives_honest_previews_that_undo() {
    // calamine panics on some damaged cell references (an overflow, checked in test builds);
    // `read_workbook` catches it and the file is refused, but the panic message is printed.
    let counts = replay("xlsx", checks::xlsx);
    // Measured: 295 files, 37 read (most are damaged zips or sheets), 34 preview, 26 with
    // changes.
    assert_reaches("xlsx", &counts, [295, 37, 34, 26]);
}

#[test]
fn number_corpus_parses_to_finite_values_that_format_back() {
    let files = corpus("number");
    assert!(files.len() >= 10);
    for (name, data) in files {
        let Ok(text) = std::str::from_utf8(&data) else { continue };
        for unit in [Unit::Percent, Unit::Ratio, Unit::Count] {
            if let Ok(Some(value)) = parse_value(text, &unit) {
                assert!(value.is_finite(), "{name}");
                let shown = format_for_editing(value, &unit, 1);
                let back = parse_value(&shown, &unit).unwrap().unwrap();
                assert!((back - value).abs() <= 1e-6 * value.abs().max(1.0), "{name}: {text:?} → {shown:?} → {back}");
            }
        }
    }
}

#[test]
fn sie_corpus_gives_honest_previews_that_undo() {
    let counts = replay("sie", checks::sie);
    // Measured: 877 files (the three hand-written ledgers and the minimised corpus of a
    // 10-minute run), 256 parse, all of those preview, 157 with changes that are applied,
    // checked and undone.
    assert_reaches("sie", &counts, [877, 256, 256, 157]);
}
