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
}
