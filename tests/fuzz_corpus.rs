//! Replays the inputs the fuzzers found (and their seeds) through the loader and the number
//! parser, with the same checks as the fuzz targets in `fuzz/`.

use std::path::Path;

use malplan::followup::number::{format_for_editing, parse_value};
use malplan::model::Unit;
use malplan::storage;

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

#[test]
fn loader_corpus_never_panics_and_saved_plans_load_back() {
    let files = corpus("load");
    assert!(files.len() >= 10, "the corpus is kept in the repository");
    let mut loaded = 0;
    for (name, data) in files {
        if let Ok(plan) = storage::parse_bytes(&data, &name) {
            loaded += 1;
            let _ = malplan::validate::validate(&plan);
            let _ = malplan::followup::compute(&plan, malplan::followup::Selection::Year(plan.meta.last_year));
            let text = storage::to_ron_string(&plan).unwrap();
            let again = storage::parse_str(&text, &name).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(storage::to_ron_string(&again).unwrap(), text, "{name}");
        }
    }
    assert!(loaded > 0, "some corpus entries are valid plans");
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
