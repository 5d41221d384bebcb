//! Kolada import, spreadsheet export and import: previews, one undo step, round trips.

use std::path::{Path, PathBuf};

use malplan::edit::Document;
use malplan::exchange::kolada::{self, KoladaError, KoladaOptions};
use malplan::exchange::sheet;
use malplan::exchange::{SkipReason, ValueKind};
use malplan::followup::number::NumberError;
use malplan::i18n::Lang;
use malplan::model::{ItemId, Plan, SeriesKind};
use malplan::storage;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kolada").join(name)
}

fn sample(name: &str) -> Plan {
    storage::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples").join(name)).unwrap()
}

/// The 2016–2019 plan with the Kolada ids the fixtures use (see tests/fixtures/kolada/README.md).
fn plan_with_kolada_ids() -> Plan {
    let mut plan = sample("eskilstuna-2016-2019.ron");
    for indicator in &mut plan.indicators {
        match indicator.id {
            ItemId(322) => indicator.kolada = Some("N00914".into()),
            ItemId(315) => indicator.kolada = Some("N11102".into()),
            _ => {}
        }
    }
    plan
}

fn read(name: &str) -> kolada::KoladaFile {
    kolada::parse(&std::fs::read(fixture(name)).unwrap(), name).unwrap()
}

fn series_value(plan: &Plan, indicator: u32, series: &str, year: i32) -> Option<f64> {
    let indicator = plan.indicators.iter().find(|i| i.id == ItemId(indicator)).unwrap();
    indicator.series.iter().find(|s| s.name == series)?.outcome(year)
}

#[test]
fn kolada_pages_preview_every_added_unchanged_and_skipped_value() {
    let plan = plan_with_kolada_ids();
    let files = [read("page1.json"), read("page2.json")];
    let preview = kolada::preview(&plan, &files, &KoladaOptions::default()).unwrap();

    let added: Vec<(u32, &str, i32, f64)> =
        preview.changes.iter().map(|c| (c.indicator.0, c.series.as_str(), c.year, c.new)).collect();
    assert_eq!(
        added,
        vec![
            (322, "Arbetslöshet kvinnor", 2014, 13.3),
            (322, "Arbetslöshet Män", 2014, 14.8),
            (322, "Arbetslöshet Totalt", 2014, 13.8),
            (322, "Riket", 2014, 7.9),
            (315, "Eskilstuna", 2014, 5.5),
            (315, "Riket", 2014, 5.4),
        ]
    );
    assert!(preview.changes.iter().all(|c| c.old.is_none() && c.kind == ValueKind::Outcome && !c.new_series));
    assert_eq!(preview.unchanged, 1, "14,1 % for 2020 is already in the plan");

    let reasons: Vec<String> = preview.skipped.iter().map(|s| format!("{}: {}", s.what, s.reason)).collect();
    assert_eq!(reasons.len(), 5, "{reasons:#?}");
    assert_eq!(reasons.iter().filter(|r| r.ends_with("värdet saknas (null)")).count(), 3);
    assert_eq!(reasons.iter().filter(|r| r.contains("ingen indikator har Kolada-id N00945")).count(), 2);
    assert!(reasons.iter().any(|r| r.starts_with("page1.json (sida 1): N00914 · 0484 · 2020 · K")), "{reasons:#?}");
    assert_eq!(preview.summary(), "6 nya värden, 0 ändrade, 1 oförändrade, 5 hoppas över");
}

#[test]
fn kolada_import_is_one_undoable_edit_and_changes_show_old_and_new() {
    let mut plan = plan_with_kolada_ids();
    // A figure typed wrongly by hand is corrected by the import (and shown old → new).
    let unemployment = plan.indicators.iter_mut().find(|i| i.id == ItemId(322)).unwrap();
    let total = unemployment.series.iter_mut().find(|s| s.kind == SeriesKind::Total).unwrap();
    total.outcomes = vec![(2020, 14.7)];
    let files = [read("page1.json"), read("page2.json")];
    let preview = kolada::preview(&plan, &files, &KoladaOptions::default()).unwrap();
    let correction = preview.changes.iter().find(|c| c.year == 2020).unwrap();
    assert_eq!((correction.old, correction.new), (Some(14.7), 14.1));
    assert!(preview.describe(&plan, correction).ends_with("utfall 2020: 14,7 % → 14,1 %"), "{}", preview.describe(&plan, correction));

    let mut doc = Document::new(plan.clone(), None);
    doc.apply(preview.to_edit(&plan).unwrap()).unwrap();
    assert_eq!(series_value(doc.plan(), 322, "Arbetslöshet Totalt", 2020), Some(14.1));
    assert_eq!(series_value(doc.plan(), 322, "Riket", 2014), Some(7.9));
    assert_eq!(series_value(doc.plan(), 315, "Eskilstuna", 2014), Some(5.5));
    assert!(malplan::validate::validate(doc.plan()).is_empty());
    assert!(doc.undo());
    assert_eq!(doc.plan(), &plan);
    assert!(!doc.can_undo(), "the import was one step");
}

#[test]
fn several_municipalities_need_a_choice_and_others_are_skipped() {
    let plan = plan_with_kolada_ids();
    let files = [read("page1.json"), read("other-municipality.json")];
    let error = kolada::preview(&plan, &files, &KoladaOptions::default()).unwrap_err();
    assert_eq!(error, KoladaError::WhichMunicipality("0480, 0484".into()));
    let options = KoladaOptions { municipality: Some("0484".into()), ..KoladaOptions::default() };
    let preview = kolada::preview(&plan, &files, &options).unwrap();
    assert!(preview.skipped.iter().any(|s| s.reason == "värdet saknas (null)" && s.what.contains("0480")));
    assert_eq!(preview.changes.len(), 4);

    // A group chosen as comparison goes to its own new series.
    let options = KoladaOptions {
        municipality: Some("0000".into()),
        comparisons: vec![("0484".into(), "Eskilstuna (jämförelse)".into())],
    };
    let preview = kolada::preview(&plan, &[read("page2.json")], &options).unwrap();
    let new_series: Vec<_> = preview.changes.iter().filter(|c| c.new_series).map(|c| (c.series.as_str(), c.series_kind, c.new)).collect();
    assert_eq!(new_series, vec![("Eskilstuna (jämförelse)", SeriesKind::Comparison, 5.5)]);
}

#[test]
fn kolada_command_line_previews_saves_and_keeps_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let plan_path = dir.path().join("plan.ron");
    storage::save(&plan_with_kolada_ids(), &plan_path).unwrap();
    let before = std::fs::read(&plan_path).unwrap();
    let data = [fixture("page1.json"), fixture("page2.json")];

    let mut out = Vec::new();
    let code = malplan::cli::import_kolada(&plan_path, &data, &KoladaOptions::default(), true, &mut out);
    let text = String::from_utf8(out).unwrap();
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("Arbetslöshet andel av nattbefolkningen 20-64 år · Riket · utfall 2014: – → 7,9 %"), "{text}");
    assert!(text.contains("hoppas över: page1.json"), "{text}");
    assert_eq!(std::fs::read(&plan_path).unwrap(), before, "a dry run changes nothing");

    let mut out = Vec::new();
    assert_eq!(malplan::cli::import_kolada(&plan_path, &data, &KoladaOptions::default(), false, &mut out), 0);
    let saved = storage::load(&plan_path).unwrap();
    assert_eq!(series_value(&saved, 315, "Riket", 2014), Some(5.4));
    assert_eq!(std::fs::read(storage::backup_path(&plan_path)).unwrap(), before);

    // Two own municipalities: the command says how to choose and changes nothing.
    let before_choice = std::fs::read(&plan_path).unwrap();
    let mut out = Vec::new();
    let both = [fixture("page1.json"), fixture("other-municipality.json")];
    assert_eq!(malplan::cli::import_kolada(&plan_path, &both, &KoladaOptions::default(), false, &mut out), 2);
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("flera kommuner (0480, 0484)") && text.contains("--municipality"), "{text}");
    assert_eq!(std::fs::read(&plan_path).unwrap(), before_choice);

    // A broken data file: its name, line and column; the plan is not touched.
    let broken = dir.path().join("trasig.json");
    std::fs::write(&broken, "{\"values\": [\n  {\"kpi\": \"N00914\",\n   \"period\": }]}").unwrap();
    let saved_bytes = std::fs::read(&plan_path).unwrap();
    let mut out = Vec::new();
    assert_eq!(malplan::cli::import_kolada(&plan_path, &[broken], &KoladaOptions::default(), false, &mut out), 2);
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("trasig.json:3:"), "{text}");
    assert_eq!(std::fs::read(&plan_path).unwrap(), saved_bytes);
}

/// Every sample plan: export → import of the unchanged file changes nothing, for both formats.
#[test]
fn export_then_import_of_an_unchanged_file_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["eskilstuna-2016-2019.ron", "eskilstuna-ks-delar2-2022.ron", "askersund-ks-2025.ron"] {
        let plan = sample(name);
        let value_count: usize = plan
            .indicators
            .iter()
            .flat_map(|i| &i.series)
            .map(|s| s.baseline.iter().count() + s.targets.len() + s.outcomes.len())
            .sum();
        for extension in ["xlsx", "csv"] {
            let path = dir.path().join(format!("{name}.{extension}"));
            malplan::exchange::write_sheet(&plan, &path).unwrap();
            let read = sheet::read_file(&path).unwrap();
            let preview = sheet::preview(&plan, &read).unwrap();
            assert_eq!(preview.changes, vec![], "{name}.{extension}");
            assert_eq!(preview.skipped, vec![], "{name}.{extension}");
            assert_eq!(preview.unchanged, value_count, "{name}.{extension}: every value read back");
            assert!(preview.to_edit(&plan).is_none());
        }
    }
}

#[test]
fn csv_is_what_swedish_excel_expects() {
    let plan = sample("eskilstuna-ks-delar2-2022.ron");
    let csv = sheet::to_csv(&plan);
    assert!(csv.starts_with("\u{feff}Id;Kod;Indikator;Mål;Enhet;Serie;Typ;2020;2021;2022;2023\r\n"), "{}", &csv[..200]);
    let sick_leave = csv.lines().find(|l| l.starts_with("300;") && l.contains(";Totalt;Utfall;")).unwrap();
    assert!(sick_leave.ends_with(";Totalt;Utfall;3,1;3;1,7;"), "{sick_leave}");
}

#[test]
fn edited_spreadsheet_imports_targets_and_outcomes_and_lists_what_does_not_match() {
    let plan = sample("eskilstuna-ks-delar2-2022.ron");
    let csv = sheet::to_csv(&plan);
    let mut lines: Vec<String> = csv.lines().map(str::to_owned).collect();
    let edit_line = |lines: &mut Vec<String>, prefix: &str, kind: &str, replace: &dyn Fn(&str) -> String| {
        let at = lines.iter().position(|l| l.starts_with(prefix) && l.contains(kind)).unwrap();
        lines[at] = replace(&lines[at]);
    };
    // Outcome 2023 typed Swedish-style, a target changed, a series and an id that do not exist.
    edit_line(&mut lines, "300;", ";Totalt;Utfall;", &|l| l.replace(";3,1;3;1,7;", ";3,1;3;1,7;2,4 %"));
    edit_line(&mut lines, "300;", ";Totalt;Målvärde;", &|l| l.replace(";3;3", ";2,8;3"));
    edit_line(&mut lines, "300;", ";Kvinnor;Utfall;", &|l| l.replace(";Kvinnor;", ";Flickor;"));
    lines.push("999;;;;;Totalt;Utfall;1;;;".into());
    lines.push("300;;;;;Totalt;Utfall;;;;abc".into());
    let preview = sheet::preview(&plan, &sheet::read_csv(lines.join("\r\n").as_bytes(), "ändrad.csv").unwrap()).unwrap();
    let changes: Vec<(ValueKind, i32, Option<f64>, f64)> = preview.changes.iter().map(|c| (c.kind, c.year, c.old, c.new)).collect();
    assert_eq!(changes, vec![(ValueKind::Target, 2022, Some(3.0), 2.8), (ValueKind::Outcome, 2023, None, 2.4)]);
    let skipped: Vec<String> = preview.skipped.iter().map(|s| format!("{}: {}", s.what, s.reason)).collect();
    assert!(skipped.iter().any(|s| s.contains("har ingen serie \"Flickor\"")), "{skipped:#?}");
    assert!(skipped.iter().any(|s| s.ends_with("ingen indikator har id 999")), "{skipped:#?}");
    assert!(skipped.iter().any(|s| s.contains(", 2023: \"abc\" är inget tal")), "{skipped:#?}");

    let mut doc = Document::new(plan.clone(), None);
    doc.apply(preview.to_edit(&plan).unwrap()).unwrap();
    let sick_leave = doc.plan().indicators.iter().find(|i| i.id == ItemId(300)).unwrap();
    assert_eq!(sick_leave.series[0].outcome(2023), Some(2.4));
    assert_eq!(sick_leave.series[0].target(2022), Some(2.8));
    doc.undo();
    assert_eq!(doc.plan(), &plan);
}

#[test]
fn a_renamed_indicator_or_a_foreign_file_is_refused_not_guessed() {
    let plan = sample("eskilstuna-ks-delar2-2022.ron");
    let csv = sheet::to_csv(&plan).replace("Total sjukfrånvaro - tillsvidareanställda, (%)", "Sjukfrånvaro");
    let preview = sheet::preview(&plan, &sheet::read_csv(csv.as_bytes(), "x.csv").unwrap()).unwrap();
    assert!(preview.changes.is_empty());
    assert!(preview.skipped.iter().all(|s| s.reason.contains("i planen, inte \"Sjukfrånvaro\"")));
    assert_eq!(preview.skipped.len(), 9, "3 series × 3 rows of the renamed indicator");

    let error = sheet::preview(&plan, &sheet::read_csv("Namn;Värde\r\nx;1".as_bytes(), "annan.csv").unwrap()).unwrap_err();
    assert!(error.to_string().contains("kolumnen \"Id\" saknas"), "{error}");
    let error = sheet::read_workbook(b"PK\x03\x04 not really a zip", "trasig.xlsx").unwrap_err();
    assert!(error.to_string().starts_with("trasig.xlsx: kan inte läsa kalkylbladet"), "{error}");
}

#[test]
fn xlsx_keeps_units_as_number_formats() {
    let plan = sample("eskilstuna-ks-delar2-2022.ron");
    let bytes = sheet::to_xlsx(&plan).unwrap();
    let read = sheet::read_workbook(&bytes, "x.xlsx").unwrap();
    assert_eq!(read.rows[0].1[0], sheet::Cell::Text("Id".into()));
    let row = read.rows.iter().find(|(_, cells)| cells[0] == sheet::Cell::Number(300.0) && cells[6] == sheet::Cell::Text("Utfall".into())).unwrap();
    assert_eq!(row.1[7], sheet::Cell::Number(3.1), "numbers stay numbers");
    // The number format travels in the workbook's styles.
    let styles = unzip_entry(&bytes, "xl/styles.xml");
    assert!(styles.contains("0.0&quot; %&quot;"), "{styles}");
}

/// The rule typing and `check` use: a Kolada value outside its indicator's unit is skipped
/// with the reason, the rest of the file imported.
#[test]
fn kolada_values_outside_the_units_range_are_skipped_with_the_reason() {
    let plan = plan_with_kolada_ids();
    let json = r#"{"values": [
        {"kpi": "N00914", "municipality": "0484", "period": 2021, "values": [
            {"gender": "T", "value": 1e308}, {"gender": "K", "value": 12.5}, {"gender": "M", "value": -5000}]},
        {"kpi": "N00914", "municipality": "0000", "period": 2021, "values": [{"gender": "T", "value": 1e308}]},
        {"kpi": "N11102", "municipality": "0484", "period": 2021, "values": [{"gender": "T", "value": 1e16}]}]}"#;
    let file = kolada::parse(json.as_bytes(), "stor.json").unwrap();
    let preview = kolada::preview(&plan, &[file], &KoladaOptions::default()).unwrap();
    let changes: Vec<(&str, f64)> = preview.changes.iter().map(|c| (c.series.as_str(), c.new)).collect();
    assert_eq!(changes, vec![("Arbetslöshet kvinnor", 12.5)]);
    let skipped: Vec<String> = preview.skipped.iter().map(|s| format!("{}: {}", s.what, s.reason)).collect();
    assert_eq!(
        skipped,
        [
            "N00914 · 0484 · 2021 · T: \"1e308\" är utanför det rimliga för procent (−1 000–1 000)",
            "N00914 · 0484 · 2021 · M: \"-5 000\" är utanför det rimliga för procent (−1 000–1 000)",
            "N00914 · 0000 · 2021 · T: \"1e308\" är utanför det rimliga för procent (−1 000–1 000)",
            "N11102 · 0484 · 2021 · T: \"1e16\" är utanför det rimliga för ett tal (högst 10¹⁵ till beloppet)",
        ]
    );
    assert!(matches!(preview.skipped[0].cause, SkipReason::OutOfRange(NumberError::OutOfRange { .. })));
    assert_eq!(
        preview.skipped[0].reason_in(Lang::English),
        "\"1e308\" is outside what is sensible for percent (−1,000 to 1,000)"
    );
    let mut doc = Document::new(plan.clone(), None);
    doc.apply(preview.to_edit(&plan).unwrap()).unwrap();
    assert!(malplan::validate::validate(doc.plan()).is_empty(), "what is imported passes `check`");
}

/// The same for spreadsheets: a CSV text and an .xlsx number cell outside the unit's range.
#[test]
fn sheet_values_outside_the_units_range_are_skipped_with_the_reason() {
    let plan = sample("eskilstuna-ks-delar2-2022.ron");
    // CSV: typed texts in the percent indicator 300 and the index 301.
    let csv = "Id;Serie;Typ;2022;2023\r\n\
               300;Totalt;Utfall;1,7;5 000 %\r\n\
               300;Totalt;Målvärde;;2,5\r\n\
               301;Totalt;Utfall;;2 000 000 000 000 000\r\n";
    let preview = sheet::preview(&plan, &sheet::read_csv(csv.as_bytes(), "x.csv").unwrap()).unwrap();
    let changes: Vec<(u32, ValueKind, i32, f64)> = preview.changes.iter().map(|c| (c.indicator.0, c.kind, c.year, c.new)).collect();
    assert_eq!(changes, vec![(300, ValueKind::Target, 2023, 2.5)]);
    assert_eq!(preview.unchanged, 1);
    let skipped: Vec<String> = preview.skipped.iter().map(|s| format!("{}: {}", s.what, s.reason)).collect();
    assert_eq!(
        skipped,
        [
            "rad 2, 2023: \"5 000 %\" är utanför det rimliga för procent (−1 000–1 000)",
            "rad 4, 2023: \"2 000 000 000 000 000\" är utanför det rimliga för ett tal (högst 10¹⁵ till beloppet)",
        ]
    );
    assert!(preview.skipped.iter().all(|s| matches!(s.cause, SkipReason::OutOfRange(_))));

    // .xlsx: number cells, from an export of a plan holding such values.
    let mut odd = plan.clone();
    let sick_leave = odd.indicators.iter_mut().find(|i| i.id == ItemId(300)).unwrap();
    malplan::model::set_value(&mut sick_leave.series[0].outcomes, 2023, Some(1e308));
    malplan::model::set_value(&mut sick_leave.series[0].targets, 2023, Some(2.5));
    let bytes = sheet::to_xlsx(&odd).unwrap();
    let preview = sheet::preview(&plan, &sheet::read_workbook(&bytes, "x.xlsx").unwrap()).unwrap();
    let changes: Vec<(u32, ValueKind, i32, f64)> = preview.changes.iter().map(|c| (c.indicator.0, c.kind, c.year, c.new)).collect();
    assert_eq!(changes, vec![(300, ValueKind::Target, 2023, 2.5)]);
    let skipped: Vec<String> = preview.skipped.iter().map(|s| s.reason.clone()).collect();
    assert_eq!(skipped, ["\"1e308\" är utanför det rimliga för procent (−1 000–1 000)"]);
    assert!(preview.skipped[0].what.ends_with(", 2023"), "{}", preview.skipped[0].what);
    assert!(matches!(preview.skipped[0].cause, SkipReason::OutOfRange(_)));

    // And `check` reports the plan that holds it, in the same words.
    let problems: Vec<String> = malplan::validate::validate(&odd).iter().map(|p| p.message.clone()).collect();
    assert_eq!(problems, ["utfall för 2023: \"1e308\" är utanför det rimliga för procent (−1 000–1 000)"]);
}

fn unzip_entry(bytes: &[u8], name: &str) -> String {
    // The workbook is a zip; the styles part is small and stored deflated.
    let reader = std::io::Cursor::new(bytes);
    let mut archive = zip::ZipArchive::new(reader).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut archive.by_name(name).unwrap(), &mut text).unwrap();
    text
}

mod hostile_input {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Any bytes as a Kolada file or a CSV sheet: an error or a preview, never a panic.
        #[test]
        fn any_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let plan = plan_with_kolada_ids();
            if let Ok(file) = kolada::parse(&bytes, "x.json") {
                let _ = kolada::preview(&plan, &[file], &KoladaOptions::default());
            }
            if let Ok(sheet) = sheet::read_csv(&bytes, "x.csv") {
                let _ = sheet::preview(&plan, &sheet);
            }
            let _ = sheet::read_workbook(&bytes, "x.xlsx");
        }

        /// CSV rows built from the export's own vocabulary with arbitrary cells: previews that
        /// only ever propose values the file holds, for ids and series that exist.
        #[test]
        fn arbitrary_rows_only_propose_what_matches(
            cells in proptest::collection::vec(
                (prop_oneof![Just("300"), Just("301"), Just("999"), Just("x")],
                 prop_oneof![Just("Totalt"), Just("Kvinnor"), Just("Flickor")],
                 prop_oneof![Just("Utfall"), Just("Målvärde"), Just("Utgångsvärde"), Just("?")],
                 prop_oneof![Just(""), Just("2,5"), Just("abc"), Just("1 000"), Just("-3,25 %")]),
                1..20),
        ) {
            let plan = sample("eskilstuna-ks-delar2-2022.ron");
            let mut text = String::from("Id;Serie;Typ;2022;2023\r\n");
            for (id, series, kind, value) in &cells {
                text.push_str(&format!("{id};{series};{kind};{value};\r\n"));
            }
            let preview = sheet::preview(&plan, &sheet::read_csv(text.as_bytes(), "p.csv").unwrap()).unwrap();
            for change in &preview.changes {
                prop_assert!([300, 301].contains(&change.indicator.0));
                prop_assert!([2.5, 1000.0, -3.25].contains(&change.new));
                prop_assert_eq!(change.year, 2022);
                prop_assert!(!change.new_series);
            }
            if let Some(edit) = preview.to_edit(&plan) {
                let mut doc = Document::new(plan.clone(), None);
                doc.apply(edit).unwrap();
                prop_assert!(doc.undo());
                prop_assert_eq!(doc.plan(), &plan);
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Valid inputs, changed a little: random bytes almost never parse, so the tests above never
    // reach the preview with odd content. These start from a real Kolada page, the CSV export
    // and the .xlsx export of a sample plan and change them the way files get damaged or
    // edited: bits flipped, bytes inserted and deleted, lines duplicated, dropped and swapped,
    // numbers replaced by odd ones, fields emptied.

    use std::cell::Cell;

    use malplan::exchange::{ImportPreview, current_value};
    use malplan::followup::number::check_value;
    use proptest::test_runner::{Config, TestRunner};

    /// Numbers a damaged or hand-edited file may hold instead of a value, a year or an id.
    const ODD_NUMBERS: &[&str] = &[
        "1e308", "-1e308", "1e309", "NaN", "nan", "inf", "-inf", "Infinity", "-0", "-0.0", "0", "-1",
        "999999999999999999999", "18446744073709551616", "4294967296", "2147483648", "-2147483649",
        "1e-320", "0.1", "13,8", "1 000", "1e15", "1000000000000001", "-1000.5", "63/37", "5 %", "",
        "\"\"", "null", "true", "1.2.3", "--1", "٣", "2200", "1899",
    ];

    #[derive(Debug, Clone)]
    enum Mutation {
        FlipBit { at: usize, bit: u8 },
        Insert { at: usize, bytes: Vec<u8> },
        Delete { at: usize, len: usize },
        DuplicateLine { line: usize },
        DeleteLine { line: usize },
        SwapLines { a: usize, b: usize },
        /// The `nth` number of the file (any run of digits, with sign and decimals) replaced.
        ReplaceNumber { nth: usize, with: String },
        /// The `nth` field emptied: a run of bytes between `;` `,` `:` quotes, brackets,
        /// tags or line ends.
        EmptyField { nth: usize },
    }

    fn mutation() -> impl Strategy<Value = Mutation> {
        let insert = prop_oneof![
            proptest::collection::vec(any::<u8>(), 1..8),
            Just(b";".to_vec()),
            Just(b"\r\n".to_vec()),
            Just(b"\"".to_vec()),
            Just(b"\xef\xbb\xbf".to_vec()),
            Just(b"'=".to_vec()),
            Just("9".repeat(400).into_bytes()),
        ];
        let odd = prop_oneof![
            8 => proptest::sample::select(ODD_NUMBERS).prop_map(str::to_owned),
            1 => Just("9".repeat(400)),
            1 => any::<f64>().prop_map(|v| v.to_string()),
        ];
        prop_oneof![
            1 => (any::<usize>(), 0u8..8).prop_map(|(at, bit)| Mutation::FlipBit { at, bit }),
            1 => (any::<usize>(), insert).prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
            1 => (any::<usize>(), 1usize..40).prop_map(|(at, len)| Mutation::Delete { at, len }),
            2 => any::<usize>().prop_map(|line| Mutation::DuplicateLine { line }),
            1 => any::<usize>().prop_map(|line| Mutation::DeleteLine { line }),
            1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines { a, b }),
            6 => (any::<usize>(), odd).prop_map(|(nth, with)| Mutation::ReplaceNumber { nth, with }),
            2 => any::<usize>().prop_map(|nth| Mutation::EmptyField { nth }),
        ]
    }

    /// Byte ranges of the numbers in `bytes`: a digit (or a minus before one) not inside a
    /// word, and the digits, points and commas followed by a digit after it.
    fn number_spans(bytes: &[u8]) -> Vec<(usize, usize)> {
        let mut spans = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            let starts = bytes[i].is_ascii_digit() || (bytes[i] == b'-' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit));
            if !starts || (i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_')) {
                i += 1;
                continue;
            }
            let start = i;
            i += 1;
            while i < bytes.len()
                && (bytes[i].is_ascii_digit()
                    || (matches!(bytes[i], b'.' | b',') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)))
            {
                i += 1;
            }
            spans.push((start, i));
        }
        spans
    }

    /// Byte ranges of the fields in `bytes` (see [`Mutation::EmptyField`]).
    fn field_spans(bytes: &[u8]) -> Vec<(usize, usize)> {
        let separator = |b: u8| b";,:\"\r\n<>{}[]\t".contains(&b);
        let mut spans = Vec::new();
        let mut start = None;
        for (i, &b) in bytes.iter().enumerate() {
            match (separator(b), start) {
                (false, None) => start = Some(i),
                (true, Some(s)) => {
                    spans.push((s, i));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            spans.push((s, bytes.len()));
        }
        spans
    }

    fn apply_mutation(bytes: &mut Vec<u8>, mutation: &Mutation) {
        let lines = |bytes: &[u8]| -> Vec<Vec<u8>> { bytes.split_inclusive(|&b| b == b'\n').map(<[u8]>::to_vec).collect() };
        match mutation {
            Mutation::FlipBit { at, bit } => {
                if !bytes.is_empty() {
                    let i = at % bytes.len();
                    bytes[i] ^= 1 << bit;
                }
            }
            Mutation::Insert { at, bytes: new } => {
                let i = at % (bytes.len() + 1);
                bytes.splice(i..i, new.iter().copied());
            }
            Mutation::Delete { at, len } => {
                if !bytes.is_empty() {
                    let i = at % bytes.len();
                    let end = (i + len).min(bytes.len());
                    bytes.drain(i..end);
                }
            }
            Mutation::DuplicateLine { line } | Mutation::DeleteLine { line } => {
                let mut all = lines(bytes);
                if !all.is_empty() {
                    let i = line % all.len();
                    if matches!(mutation, Mutation::DuplicateLine { .. }) {
                        let copy = all[i].clone();
                        all.insert(i, copy);
                    } else {
                        all.remove(i);
                    }
                    *bytes = all.concat();
                }
            }
            Mutation::SwapLines { a, b } => {
                let mut all = lines(bytes);
                if !all.is_empty() {
                    let n = all.len();
                    all.swap(a % n, b % n);
                    *bytes = all.concat();
                }
            }
            Mutation::ReplaceNumber { nth, with } => {
                let spans = number_spans(bytes);
                if !spans.is_empty() {
                    let (start, end) = spans[nth % spans.len()];
                    bytes.splice(start..end, with.bytes());
                }
            }
            Mutation::EmptyField { nth } => {
                let spans = field_spans(bytes);
                if !spans.is_empty() {
                    let (start, end) = spans[nth % spans.len()];
                    bytes.drain(start..end);
                }
            }
        }
    }

    fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        (0..archive.len())
            .map(|i| {
                let mut entry = archive.by_index(i).unwrap();
                let mut content = Vec::new();
                std::io::Read::read_to_end(&mut entry, &mut content).unwrap();
                (entry.name().unwrap().into_owned(), content)
            })
            .collect()
    }

    fn rezip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for (name, content) in entries {
            writer.start_file(name.as_str(), options).unwrap();
            std::io::Write::write_all(&mut writer, content).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    /// What any preview of any input must be: values for indicators of the plan, within their
    /// unit's range (`check_value`, the rule typing and `check` use), showing the value the plan
    /// holds as the old one; accepted, one edit that sets exactly those values and deletes
    /// none; undone, the plan as before.
    fn check_preview(plan: &Plan, preview: &ImportPreview, what: &str) -> Result<(), TestCaseError> {
        for change in &preview.changes {
            let indicator = plan.indicator(change.indicator);
            prop_assert!(indicator.is_some(), "{}: no indicator {}", what, change.indicator);
            let indicator = indicator.unwrap();
            prop_assert!(
                check_value(change.new, &indicator.unit).is_ok(),
                "{}: {} proposed for {:?} of {}",
                what,
                change.new,
                indicator.unit,
                change.indicator
            );
            let series = indicator.series.iter().find(|s| s.name == change.series);
            prop_assert_eq!(series.is_none(), change.new_series, "{}", what);
            prop_assert_eq!(series.and_then(|s| current_value(s, change.kind, change.old_year.unwrap_or(change.year))), change.old, "{}", what);
        }
        let Some(edit) = preview.to_edit(plan) else {
            prop_assert!(preview.changes.is_empty(), "{}: changes without an edit", what);
            return Ok(());
        };
        let mut doc = Document::new(plan.clone(), None);
        doc.apply(edit).map_err(|e| TestCaseError::fail(format!("{what}: {e}")))?;
        for change in &preview.changes {
            let series = doc.plan().indicator(change.indicator).and_then(|i| i.series.iter().find(|s| s.name == change.series));
            prop_assert_eq!(
                series.and_then(|s| current_value(s, change.kind, change.year)),
                Some(change.new),
                "{}: {:?} not in the plan after the import",
                what,
                change
            );
        }
        // An import adds and changes values, it never deletes one.
        for indicator in &plan.indicators {
            let after = doc.plan().indicator(indicator.id).unwrap();
            for series in &indicator.series {
                let now = after.series.iter().find(|s| s.name == series.name);
                prop_assert!(now.is_some(), "{}: series {} of {} gone", what, series.name, indicator.id);
                let now = now.unwrap();
                // A series has one baseline: an import may move it to another year, never
                // take it away.
                prop_assert!(now.baseline.is_some() || series.baseline.is_none(), "{}: baseline of {} gone", what, series.name);
                let values = series.targets.iter().map(|v| (ValueKind::Target, *v))
                    .chain(series.outcomes.iter().map(|v| (ValueKind::Outcome, *v)));
                for (kind, (year, _)) in values {
                    prop_assert!(
                        current_value(now, kind, year).is_some(),
                        "{}: the import deleted {:?} {} of {} · {}",
                        what,
                        kind,
                        year,
                        indicator.id,
                        series.name
                    );
                }
            }
        }
        prop_assert!(doc.undo());
        prop_assert_eq!(doc.plan(), plan, "{}: one undo takes the import back", what);
        Ok(())
    }

    /// Regression: one cell far down a few kilobytes of .xlsx made calamine allocate the whole
    /// rectangle up to it (row 400 000 000: 115 GB, the program aborted) or overflow its row
    /// arithmetic (a panic in debug builds); a false count of shared strings made it reserve
    /// room for them all. Each is a file that cannot be read, told at once.
    #[test]
    fn far_cells_and_false_counts_are_refused_not_allocated() {
        let plan = sample("eskilstuna-ks-delar2-2022.ron");
        let entries = unzip(&sheet::to_xlsx(&plan).unwrap());
        for (row, message) in [
            ("1000000", "för många celler (rad 1000000 och kolumn 1 är med"),
            ("400000000", "för många celler (rad 400000000 och kolumn 1 är med"),
            // Beyond u32: calamine's arithmetic overflows – a panic with overflow checks (debug
            // builds), else a row that wraps around.
            ("99999999999", if cfg!(debug_assertions) { "kalkylbladet är skadat" } else { "för många celler" }),
        ] {
            let mut entries = entries.clone();
            let sheet_xml = entries.iter_mut().find(|(n, _)| n == "xl/worksheets/sheet1.xml").unwrap();
            let far = format!("<row r=\"{row}\"><c r=\"A{row}\"><v>300</v></c></row></sheetData>");
            sheet_xml.1 = String::from_utf8(sheet_xml.1.clone()).unwrap().replacen("</sheetData>", &far, 1).into_bytes();
            let started = std::time::Instant::now();
            let error = sheet::read_workbook(&rezip(&entries), "långt.xlsx").unwrap_err().to_string();
            assert!(error.starts_with("långt.xlsx: kan inte läsa kalkylbladet: ") && error.contains(message), "{error}");
            assert!(started.elapsed() < std::time::Duration::from_secs(2), "{row}: {:?}", started.elapsed());
        }
        // A shared-strings part claiming more strings than it can hold: calamine reserved room
        // for all of them first (10¹⁵: the allocation failed and the program aborted).
        let mut claims = entries.clone();
        let strings = claims.iter_mut().find(|(n, _)| n == "xl/sharedStrings.xml").unwrap();
        let text = String::from_utf8(strings.1.clone()).unwrap();
        let at = text.find("uniqueCount=\"").unwrap() + "uniqueCount=\"".len();
        let end = at + text[at..].find('"').unwrap();
        strings.1 = format!("{}1000000000000000{}", &text[..at], &text[end..]).into_bytes();
        let error = sheet::read_workbook(&rezip(&claims), "x.xlsx").unwrap_err().to_string();
        assert!(error.contains("kalkylbladet är skadat (det säger sig ha 1000000000000000 texter"), "{error}");

        // Within the limit a far cell is read as before, at its row.
        let mut entries = entries;
        let sheet_xml = entries.iter_mut().find(|(n, _)| n == "xl/worksheets/sheet1.xml").unwrap();
        let far = "<row r=\"5000\"><c r=\"A5000\"><v>300</v></c></row></sheetData>";
        sheet_xml.1 = String::from_utf8(sheet_xml.1.clone()).unwrap().replacen("</sheetData>", far, 1).into_bytes();
        let read = sheet::read_workbook(&rezip(&entries), "x.xlsx").unwrap();
        assert_eq!(read.rows.last().map(|(line, cells)| (*line, cells[0].clone())), Some((5000, sheet::Cell::Number(300.0))));
        let preview = sheet::preview(&plan, &read).unwrap();
        assert!(preview.changes.is_empty(), "{:?}", preview.changes);
    }

    #[derive(Debug, Clone)]
    struct Damage {
        kolada_file: usize,
        kolada: Vec<Mutation>,
        csv: Vec<Mutation>,
        xlsx: Vec<Mutation>,
        /// Which part of the workbook is damaged: 0–3 the sheet, 4–6 its shared strings, 7 the
        /// styles, 8–9 the zip file itself.
        xlsx_part: u8,
    }

    fn damage() -> impl Strategy<Value = Damage> {
        // JSON is strict: most changes to it are syntax errors (rightly refused), so a Kolada
        // page gets one change, a sheet up to three.
        let mutations = |most: usize| proptest::collection::vec(mutation(), 1..=most);
        (0usize..3, mutations(1), mutations(3), mutations(3), 0u8..10).prop_map(|(kolada_file, kolada, csv, xlsx, xlsx_part)| {
            Damage { kolada_file, kolada, csv, xlsx, xlsx_part }
        })
    }

    /// Damaged Kolada pages, CSV and .xlsx exports: an error, or a preview that obeys
    /// [`check_preview`]; and most of them do reach the preview.
    #[test]
    fn damaged_valid_files_reach_the_preview_and_it_keeps_the_rules() {
        let kolada_plan = plan_with_kolada_ids();
        let kolada_files: Vec<(&str, Vec<u8>)> = ["page1.json", "page2.json", "other-municipality.json"]
            .into_iter()
            .map(|name| (name, std::fs::read(fixture(name)).unwrap()))
            .collect();
        let sheet_plan = sample("eskilstuna-ks-delar2-2022.ron");
        let csv = sheet::to_csv(&sheet_plan).into_bytes();
        let xlsx = unzip(&sheet::to_xlsx(&sheet_plan).unwrap());
        let part = |name: &str| xlsx.iter().position(|(n, _)| n == name).unwrap_or_else(|| panic!("{name} in the export"));
        let parts = [part("xl/worksheets/sheet1.xml"), part("xl/sharedStrings.xml"), part("xl/styles.xml")];

        let cases = Cell::new(0usize);
        let previews = [Cell::new(0usize), Cell::new(0usize), Cell::new(0usize)];
        let with_changes = Cell::new(0usize);
        let out_of_range = Cell::new(0usize);
        let mut runner = TestRunner::new(Config::with_cases(512));
        let result = runner.run(&damage(), |damage| {
            cases.set(cases.get() + 1);
            let reached = |format: usize, preview: &ImportPreview, plan: &Plan, what: &str| {
                previews[format].set(previews[format].get() + 1);
                if !preview.changes.is_empty() {
                    with_changes.set(with_changes.get() + 1);
                }
                if preview.skipped.iter().any(|s| matches!(s.cause, SkipReason::OutOfRange(_) | SkipReason::NotFinite)) {
                    out_of_range.set(out_of_range.get() + 1);
                }
                check_preview(plan, preview, what)
            };

            let (name, original) = &kolada_files[damage.kolada_file];
            let mut bytes = original.clone();
            damage.kolada.iter().for_each(|m| apply_mutation(&mut bytes, m));
            if let Ok(file) = kolada::parse(&bytes, name)
                && let Ok(preview) = kolada::preview(&kolada_plan, &[file], &KoladaOptions::default())
            {
                reached(0, &preview, &kolada_plan, name)?;
            }

            let mut bytes = csv.clone();
            damage.csv.iter().for_each(|m| apply_mutation(&mut bytes, m));
            if let Ok(read) = sheet::read_csv(&bytes, "x.csv")
                && let Ok(preview) = sheet::preview(&sheet_plan, &read)
            {
                reached(1, &preview, &sheet_plan, "csv")?;
            }

            let part = match damage.xlsx_part {
                0..4 => Some(parts[0]),
                4..7 => Some(parts[1]),
                7 => Some(parts[2]),
                _ => None,
            };
            let bytes = match part {
                Some(part) => {
                    let mut entries = xlsx.clone();
                    damage.xlsx.iter().for_each(|m| apply_mutation(&mut entries[part].1, m));
                    rezip(&entries)
                }
                None => {
                    let mut bytes = rezip(&xlsx);
                    damage.xlsx.iter().for_each(|m| apply_mutation(&mut bytes, m));
                    bytes
                }
            };
            if let Ok(read) = sheet::read_workbook(&bytes, "x.xlsx")
                && let Ok(preview) = sheet::preview(&sheet_plan, &read)
            {
                reached(2, &preview, &sheet_plan, "xlsx")?;
            }
            Ok(())
        });
        if let Err(error) = result {
            panic!("{error}\n{runner}");
        }
        let cases = cases.get();
        let shares: Vec<f64> = previews.iter().map(|p| p.get() as f64 / cases as f64).collect();
        eprintln!(
            "{cases} cases; reached the preview: Kolada {:.0} %, CSV {:.0} %, xlsx {:.0} %; {} previews with changes, {} with values outside the range skipped",
            shares[0] * 100.0,
            shares[1] * 100.0,
            shares[2] * 100.0,
            with_changes.get(),
            out_of_range.get()
        );
        assert!(cases >= 512, "{cases} cases");
        for (format, share) in ["Kolada", "CSV", "xlsx"].iter().zip(&shares) {
            assert!(*share >= 0.3, "only {:.0} % of the damaged {format} files reached the preview", share * 100.0);
        }
        assert!(with_changes.get() >= cases / 10, "only {} previews proposed changes", with_changes.get());
        // The odd numbers do reach the range rule (and are skipped there, never proposed).
        assert!(out_of_range.get() >= cases / 50, "only {} previews met a value outside the range", out_of_range.get());
    }
}
