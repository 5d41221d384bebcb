//! The economic follow-up in and out: the economy sheet (.xlsx and CSV) round trip, a changed
//! forecast read back as exactly that change, bad cells skipped with reasons, outcomes to date
//! from an SIE file written to the published specification, and the command line.

use std::path::{Path, PathBuf};
use std::process::Command;

use malplan::economy::Measure;
use malplan::edit::Edit;
use malplan::exchange::economy_sheet;
use malplan::exchange::sheet::{Cell, RawSheet};
use malplan::exchange::{ImportFileKind, preview_file};
use malplan::model::{ItemId, Plan};

fn sample_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/eskilstuna-ks-delar2-2022.ron")
}

fn sample() -> Plan {
    malplan::storage::load(&sample_path()).unwrap()
}

fn sie_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sie").join(name)
}

fn apply(plan: &Plan, edit: Edit) -> (Plan, Edit) {
    let mut changed = plan.clone();
    let inverse = edit.apply(&mut changed).unwrap();
    (changed, inverse)
}

#[test]
fn the_plans_own_sheet_proposes_nothing_in_either_format() {
    let plan = sample();
    let dir = tempfile::tempdir().unwrap();
    for name in ["ekonomi.xlsx", "ekonomi.csv"] {
        let path = dir.path().join(name);
        economy_sheet::write(&plan, None, &path).unwrap();
        let (preview, kind) = preview_file(&plan, &path, None).unwrap();
        assert_eq!(kind, ImportFileKind::Economy, "{name}: told by its header");
        assert_eq!(preview.change_count(), 0, "{name}: {:?}", preview.change_lines(&plan, malplan::i18n::Lang::Swedish));
        assert!(preview.skipped_lines(malplan::i18n::Lang::Swedish).is_empty(), "{name}");
        // 8 + 7 + 1 rows; the statement's 5 rows carry 5 figures each, the departments' 4, the investment 1.
        assert!(preview.summary_line(malplan::i18n::Lang::Swedish).contains("0 nya belopp, 0 ändrade, 0 tömda, 54 oförändrade"), "{}", preview.summary_line(malplan::i18n::Lang::Swedish));
    }
    // The CSV's header names the figures and their unit.
    let csv = economy_sheet::to_csv(&plan, Some("KS"));
    assert!(csv.starts_with("\u{feff}Id;Period;Nämnd;Tabell;Rad;Konton;Utfall föregående år (tkr);Utfall hittills (tkr);Budget hittills (tkr);Budget helår (tkr);Föregående prognos (tkr);Årsprognos (tkr)\r\n"), "{csv}");
    assert!(csv.contains("1023;Delår 2 2022;KS;Driftredovisning;HR;;;4525;;0;300;3850\r\n"), "{csv}");
    assert!(csv.contains("1004;Delår 2 2022;KS;Resultaträkning;Personalkostnader;;-71500;-73200;-78000;-121500;;-115500\r\n"), "{csv}");
}

#[test]
fn a_changed_forecast_is_exactly_one_change_and_one_undo_step() {
    let plan = sample();
    let header = ["Id", "Rad", "Årsprognos (tkr)", "Utfall hittills (mnkr)"];
    let text = |s: &str| Cell::Text(s.to_owned());
    let sheet = RawSheet {
        name: "test".into(),
        rows: vec![
            (1, header.iter().map(|h| text(h)).collect()),
            // HR's forecast 3 850 → 4 850 tkr; its outcome as it is (4,525 mnkr).
            (2, vec![Cell::Number(1023.0), text("HR"), Cell::Number(4850.0), text("4,525")]),
            // A name that is not the row's any more: skipped.
            (3, vec![Cell::Number(1024.0), text("Socialt"), Cell::Number(1.0), Cell::Empty]),
            (4, vec![text("abc"), text("x"), Cell::Empty, Cell::Empty]),
            (5, vec![Cell::Number(1025.0), text("Näringsliv"), text("3,9 miljoner"), text("9,512")]),
            // The investment table has no forecast column … it does; but no such row id.
            (6, vec![Cell::Number(99999.0), text("?"), Cell::Number(1.0), Cell::Empty]),
        ],
    };
    assert!(economy_sheet::is_economy_sheet(&sheet));
    let preview = economy_sheet::preview(&plan, &sheet).unwrap();
    assert_eq!(preview.changes.len(), 1, "{:?}", preview.changes);
    let change = &preview.changes[0];
    assert_eq!((change.row, change.measure, change.old, change.new), (ItemId(1023), Measure::Forecast, Some(3_850_000), Some(4_850_000)));
    assert_eq!(preview.unchanged, 2, "4,525 mnkr is HR's 4 525 tkr, 9,512 Näringsliv's 9 512");
    let reasons: Vec<String> = preview.skipped.iter().map(|s| format!("{}: {}", s.place, s.swedish)).collect();
    assert_eq!(reasons.len(), 4, "{reasons:?}");
    assert!(reasons[0].contains("id 1024 är \"Social hållbarhet\" i planen, inte \"Socialt\""), "{reasons:?}");
    assert!(reasons[1].contains("\"abc\" i kolumnen Id är inget id"), "{reasons:?}");
    assert!(reasons[2].starts_with("rad 5, Årsprognos"), "{reasons:?}");
    assert!(reasons[3].contains("ingen rad i den ekonomiska uppföljningen har id 99999"), "{reasons:?}");

    let edit = preview.to_edit(&plan).unwrap();
    let (changed, inverse) = apply(&plan, edit);
    let departments = &changed.economy[0].tables[1];
    assert_eq!(departments.rows().find(|r| r.name == "HR").unwrap().amount(3), Some(4_850_000));
    let f = malplan::economy::figures::figures(&changed.economy[0], &changed.money);
    assert_eq!(f.headline.forecast, Some(16_615_000));
    // Everything else as it was; one undo gives the plan back.
    let (restored, _) = apply(&changed, inverse);
    assert_eq!(restored, plan);
}

/// The sample with accounts on its rows, as a controller sets them once.
fn with_accounts(mut plan: Plan) -> Plan {
    let statement = &mut plan.economy[0].tables[0];
    statement.groups[0].rows[0].accounts = "3000-3999".into();
    statement.groups[1].rows[0].accounts = "4000-7999".into();
    let departments = &mut plan.economy[0].tables[1];
    departments.groups[0].rows[0].accounts = "4000-7999 / 1:100".into();
    departments.groups[0].rows[1].accounts = "3000-3999 / 1:999".into();
    plan
}

#[test]
fn outcomes_to_date_come_from_an_sie_file_by_the_rows_accounts() {
    let plan = with_accounts(sample());
    assert!(malplan::validate::validate(&plan).is_empty(), "{:?}", malplan::validate::validate(&plan));
    let (preview, kind) = preview_file(&plan, &sie_fixture("ks-2022-aug.se"), Some(ItemId(900))).unwrap();
    assert_eq!(kind, ImportFileKind::Economy);
    let lines = preview.change_lines(&plan, malplan::i18n::Lang::Swedish);
    let edit = preview.edit(&plan).unwrap();
    let (changed, inverse) = apply(&plan, edit);
    let statement = &changed.economy[0].tables[0];
    let outcome = statement.column(Measure::OutcomeToDate).unwrap();
    let previous = statement.column(Measure::OutcomePreviousYear).unwrap();
    // Worked out by hand from the fixture (see src/exchange/sie.rs): income 3000–3999 through
    // August −36 076 796,50 kr in SIE's sign is +36 076 797 kr; costs 4000–7999 16 786 707,27 kr
    // are −16 786 707 kr. The year before: 2021's 3011 through August.
    let kommunbidrag = &statement.groups[0].rows[0];
    assert_eq!(kommunbidrag.amount(outcome), Some(36_076_797), "{lines:#?}");
    assert_eq!(statement.groups[1].rows[0].amount(outcome), Some(-16_786_707), "{lines:#?}");
    assert!(kommunbidrag.amount(previous).is_some_and(|v| v > 0), "2021 income to August: {lines:#?}");
    // A cost centre: 4000–7999 for 1:100 is 10 560 000,00 kr of costs.
    let departments = &changed.economy[0].tables[1];
    assert_eq!(departments.groups[0].rows[0].amount(0), Some(-10_560_000));
    // No such cost centre: left as it was, with the reason; rows without accounts said once.
    assert_eq!(departments.groups[0].rows[1].amount(0), Some(3_806_000));
    let skipped = preview.skipped_lines(malplan::i18n::Lang::Swedish);
    assert!(skipped.iter().any(|s| s.contains("Ekonomi och kvalitet") && s.contains("inga belopp för 2022")), "{skipped:?}");
    assert!(skipped.iter().any(|s| s.contains("rader: har inga konton angivna")), "{skipped:?}");
    let (restored, _) = apply(&changed, inverse);
    assert_eq!(restored, plan);

    // A broken SIE file: a clear message with line and column, and nothing changes.
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("trasig.se");
    std::fs::write(&broken, "#FLAGGA 0\n#SIETYP 4\n#PSALDO 0 202201 3011 {} 12,5x\n").unwrap();
    let error = preview_file(&plan, &broken, None).err().expect("refused");
    assert!(error.contains("rad 3, kolumn"), "{error}");
}

fn malplan(args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_malplan")).args(args).output().unwrap();
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    (output.status.code().unwrap_or(-1), text)
}

#[test]
fn the_command_line_exports_and_imports_the_economy_and_reads_sie() {
    let dir = tempfile::tempdir().unwrap();
    let plan_path = dir.path().join("ks.ron");
    malplan::storage::save(&with_accounts(sample()), &plan_path).unwrap();
    let plan = plan_path.to_str().unwrap();
    let csv = dir.path().join("ekonomi.csv");
    let (code, output) = malplan(&["export", plan, "--economy", "--board", "KS", "-o", csv.to_str().unwrap()]);
    assert_eq!(code, 0, "{output}");
    // Edit the forecast of Ledningsstaben in the CSV as a planner would in Excel.
    let text = std::fs::read_to_string(&csv).unwrap().replace("1021;Delår 2 2022;KS;Driftredovisning;Ledningsstaben;4000-7999 / 1:100;;3414;;0;-200;800", "1021;Delår 2 2022;KS;Driftredovisning;Ledningsstaben;4000-7999 / 1:100;;3414;;0;-200;1 200");
    std::fs::write(&csv, text).unwrap();
    let (code, output) = malplan(&["import", plan, csv.to_str().unwrap(), "--dry-run"]);
    assert_eq!(code, 0, "{output}");
    assert!(output.contains("0 nya belopp, 1 ändrade"), "{output}");
    assert!(output.contains("Ledningsstaben · Årsprognos aug (tkr): 800 → 1\u{202f}200"), "{output}");
    let (code, output) = malplan(&["import", plan, sie_fixture("ks-2022-aug.se").to_str().unwrap()]);
    assert_eq!(code, 0, "{output}");
    let saved = malplan::storage::load(&plan_path).unwrap();
    assert_eq!(saved.economy[0].tables[0].groups[0].rows[0].amount(1), Some(36_076_797), "{output}");
    // --board without --budget or --economy is refused.
    let (code, _) = malplan(&["export", plan, "--board", "KS", "-o", dir.path().join("x.xlsx").to_str().unwrap()]);
    assert_ne!(code, 0);
}
