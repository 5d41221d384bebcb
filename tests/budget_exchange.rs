//! The budget as a spreadsheet: export and import of the Askersund budget through CSV and
//! xlsx propose nothing, changed amounts are proposed exactly (units in headers, Swedish number
//! forms, emptied cells), mistakes are skipped with their reasons and places, accepting is one
//! undo step – in the library, on the command line and in the app.

use std::path::{Path, PathBuf};
use std::process::Command;

use malplan::budget::money::MoneyUnit;
use malplan::budget::{ColumnKind, Kronor, MoneySettings};
use malplan::edit::Document;
use malplan::exchange::budget_sheet::{self, BudgetSkipReason};
use malplan::exchange::sheet::{read_csv, read_workbook};
use malplan::i18n::Lang;
use malplan::model::{ItemId, Plan};
use malplan::storage;

#[cfg(feature = "gui")]
mod common;

fn sample_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/askersund-ks-2025.ron")
}

fn askersund() -> Plan {
    storage::load(&sample_path()).unwrap()
}

fn amount(plan: &Plan, row: u32, column: usize) -> Option<Kronor> {
    let budget = &plan.budgets[0];
    let (t, g, r) = budget.find_row(ItemId(row)).unwrap();
    budget.tables[t].groups[g].rows[r].amount(column)
}

/// Every amount the plan's budgets hold.
fn amount_count(plan: &Plan) -> usize {
    plan.budgets.iter().flat_map(|b| &b.tables).flat_map(|t| t.rows()).map(|r| r.amounts.iter().flatten().count()).sum()
}

fn table_count(plan: &Plan) -> usize {
    plan.budgets.iter().map(|b| b.tables.len()).sum()
}

/// The settings the round trips are run with: the default (tkr), costs shown positive, mnkr
/// with a decimal, kronor.
fn settings() -> [MoneySettings; 5] {
    let tkr = MoneySettings::default();
    [
        tkr,
        MoneySettings { costs_positive: true, ..tkr },
        MoneySettings { unit: MoneyUnit::Mnkr, decimals: 1, ..tkr },
        MoneySettings { unit: MoneyUnit::Mnkr, costs_positive: true, ..tkr },
        MoneySettings { unit: MoneyUnit::Kr, ..tkr },
    ]
}

/// The sample with `settings`, and one amount that is no whole number of thousands (or
/// millions): exact to the krona through the sheet too.
fn with_settings(settings: MoneySettings) -> Plan {
    let mut plan = askersund();
    plan.money = settings;
    let budget = &mut plan.budgets[0];
    let (t, g, r) = budget.find_row(ItemId(1103)).unwrap();
    budget.tables[t].groups[g].rows[r].amounts[1] = Some(-590_501);
    plan
}

#[test]
fn csv_export_then_import_of_the_askersund_budget_proposes_nothing() {
    for settings in settings() {
        let plan = with_settings(settings);
        let csv = budget_sheet::to_csv(&plan, None);
        let sheet = read_csv(csv.as_bytes(), "budget.csv").unwrap();
        assert!(budget_sheet::is_budget_sheet(&sheet));
        let preview = budget_sheet::preview(&plan, &sheet).unwrap();
        assert!(preview.changes.is_empty(), "{settings:?}: {:?}", preview.changes);
        assert!(preview.skipped.is_empty(), "{settings:?}: {:?}", preview.skipped);
        assert_eq!(preview.unchanged, amount_count(&plan), "{settings:?}");
        assert_eq!(preview.sum_lines, table_count(&plan), "every table's sum line is read and ignored");
        assert!(preview.to_edit(&plan).is_none());
    }
    // The layout as documented.
    let plan = askersund();
    let csv = budget_sheet::to_csv(&plan, None);
    let mut lines = csv.trim_start_matches('\u{feff}').split("\r\n");
    assert_eq!(
        lines.next().unwrap(),
        "Id;Nämnd;Tabell;Grupp;Kod;Namn;Bokslut 2023 (tkr);Budget 2024 (tkr);Budget 2025 (tkr);Plan 2026 (tkr);Plan 2027 (tkr);Plan 2028 (tkr)"
    );
    assert!(csv.contains("\r\n1102;KS;Driftbudget per verksamhet (tkr);;10;Nämnder/Styrelser;-3009;-3195;-3195;-3195;-3195;-3195\r\n"), "{csv}");
    assert!(csv.contains("\r\nSumma;KS;Driftbudget (tkr);;;Nettokostnad;-131346;-114522;"), "{csv}");
    let costs_positive = budget_sheet::to_csv(&with_settings(settings()[1]), None);
    assert!(costs_positive.contains("Budget 2024 (tkr, kostnader positiva)"));
    assert!(costs_positive.contains(";590,501;"), "exact to the krona, costs positive: {costs_positive}");
    let mnkr = budget_sheet::to_csv(&with_settings(settings()[2]), None);
    assert!(mnkr.contains("1103;KS;Driftbudget per verksamhet (tkr);;11;Stöd till politiska partier;-0,59;-0,590501;-0,59;"), "{mnkr}");
    // One board's: the same here (the sample has one budget); another board's is empty.
    assert_eq!(budget_sheet::to_csv(&plan, Some("ks")), csv);
    assert_eq!(budget_sheet::to_csv(&plan, Some("BUN")).trim_start_matches('\u{feff}'), "Id;Nämnd;Tabell;Grupp;Kod;Namn\r\n");
}

#[test]
fn xlsx_export_then_import_of_the_askersund_budget_proposes_nothing() {
    for settings in settings() {
        let plan = with_settings(settings);
        let bytes = budget_sheet::to_xlsx(&plan, None).unwrap();
        let sheet = read_workbook(&bytes, "budget.xlsx").unwrap();
        assert!(budget_sheet::is_budget_sheet(&sheet));
        // Amounts are numbers, not texts.
        let (_, line) = sheet.rows.iter().find(|(_, cells)| cells[0] == malplan::exchange::sheet::Cell::Number(1103.0)).unwrap();
        let factor = settings.unit.factor() as f64;
        let sign = if settings.costs_positive { -1.0 } else { 1.0 };
        assert_eq!(line[7], malplan::exchange::sheet::Cell::Number(sign * -590_501.0 / factor), "{settings:?}");
        let preview = budget_sheet::preview(&plan, &sheet).unwrap();
        assert!(preview.changes.is_empty(), "{settings:?}: {:?}", preview.changes);
        assert!(preview.skipped.is_empty(), "{settings:?}: {:?}", preview.skipped);
        assert_eq!(preview.unchanged, amount_count(&plan), "{settings:?}");
        assert_eq!(preview.sum_lines, table_count(&plan));
    }
}

/// A sheet typed by hand: three amounts differ (one in an mnkr column, one written with a true
/// minus and thin spaces, one emptied), one amount is "abc", one id is unknown, and a sum line
/// says something else than the rows (ignored: sums are computed).
fn changed_sheet() -> String {
    [
        "Id;Nämnd;Tabell;Namn;Budget 2025 (tkr);Plan 2026 (mnkr);Plan 2027",
        "1102;KS;;Nämnder/Styrelser;\u{2212}3\u{2009}200;-3,195;-3195",
        "1103;KS;;Stöd till politiska partier;-590;-0,6;-590",
        "1104;KS;;Revision;;-0,732;-732",
        "1105;KS;;Övrig politisk verks;abc;-2,066;-2098",
        "9999;KS;;Okänd rad;-1;-1;-1",
        "Summa;KS;;Summa;1;2;3",
        "",
    ]
    .join("\r\n")
}

#[test]
fn three_changed_amounts_are_proposed_exactly_and_mistakes_skipped_with_reasons() {
    let plan = askersund();
    let sheet = read_csv(changed_sheet().as_bytes(), "budget.csv").unwrap();
    assert!(budget_sheet::is_budget_sheet(&sheet));
    let preview = budget_sheet::preview(&plan, &sheet).unwrap();
    type Change = (u32, ColumnKind, i32, usize, Option<Kronor>, Option<Kronor>);
    let changes: Vec<Change> = preview.changes.iter().map(|c| (c.row.0, c.column.kind, c.column.year, c.index, c.old, c.new)).collect();
    assert_eq!(
        changes,
        [
            (1102, ColumnKind::Budget, 2025, 2, Some(-3_195_000), Some(-3_200_000)),
            (1103, ColumnKind::Plan, 2026, 3, Some(-590_000), Some(-600_000)),
            (1104, ColumnKind::Budget, 2025, 2, Some(-732_000), None),
        ]
    );
    assert_eq!(preview.unchanged, 8);
    assert_eq!(preview.sum_lines, 1);
    assert_eq!(preview.summary(), "0 nya belopp, 2 ändrade, 1 tömda, 8 oförändrade, 2 hoppas över");
    assert_eq!(preview.summary_in(Lang::English), "0 new amounts, 2 changed, 1 emptied, 8 unchanged, 2 skipped");
    let skipped: Vec<String> = preview.skipped.iter().map(|s| format!("{}: {}", s.what, s.reason)).collect();
    assert_eq!(skipped, ["rad 5, kolumn E \"Budget 2025 (tkr)\": \"abc\" är inget tal", "rad 6: ingen budgetrad har id 9999"]);
    let english: Vec<String> = preview.skipped.iter().map(|s| format!("{}: {}", s.what_in(Lang::English), s.reason_in(Lang::English))).collect();
    assert_eq!(english, ["row 5, column E \"Budget 2025 (tkr)\": \"abc\" is not a number", "row 6: no budget row has id 9999"]);
    assert_eq!(preview.skipped[1].cause, BudgetSkipReason::NoBudgetRow { id: 9999 });

    // The preview's rows: row label, table, column, before, after (exact, in tkr).
    let rows = preview.rows_in(&plan, Lang::Swedish);
    assert_eq!(
        rows[0],
        [
            "10 Nämnder/Styrelser".to_owned(),
            "Driftbudget per verksamhet (tkr)".to_owned(),
            "Budget 2025 (tkr)".to_owned(),
            "\u{2212}3\u{202f}195".to_owned(),
            "\u{2212}3\u{202f}200".to_owned()
        ]
    );
    assert_eq!(rows[2][4], "–", "an emptied cell");

    // Accepting is one edit: one undo step gives the plan back exactly.
    let mut doc = Document::new(plan.clone(), None);
    doc.apply(preview.to_edit(&plan).unwrap()).unwrap();
    assert_eq!(amount(doc.plan(), 1102, 2), Some(-3_200_000));
    assert_eq!(amount(doc.plan(), 1103, 3), Some(-600_000));
    assert_eq!(amount(doc.plan(), 1104, 2), None);
    assert_eq!(amount(doc.plan(), 1104, 3), Some(-732_000), "only the emptied cell");
    assert_eq!(amount(doc.plan(), 1105, 2), Some(-2_035_000), "\"abc\" changed nothing");
    assert!(doc.undo());
    assert_eq!(doc.plan(), &plan, "one undo step takes the whole import back");
    assert!(!doc.can_undo());
}

#[test]
fn lines_of_another_plan_and_columns_the_budget_lacks_are_skipped() {
    let plan = askersund();
    let csv = [
        "Id;Nämnd;Tabell;Namn;Budget 2025;Plan 2031 (tkr)",
        "1102;BUN;;Nämnder/Styrelser;-3195;",
        "1103;KS;;Annat namn;-3195;",
        "1104;KS;;Revision;-732;-1",
        ";KS;;Ny rad;-1;",
        "x;KS;;;-1;",
    ]
    .join("\n");
    let preview = budget_sheet::preview(&plan, &read_csv(csv.as_bytes(), "b.csv").unwrap()).unwrap();
    let skipped: Vec<String> = preview.skipped.iter().map(|s| format!("{}: {}", s.what, s.reason)).collect();
    assert_eq!(
        skipped,
        [
            "rad 2: id 1102 är en rad i budgeten för KS i planen, inte BUN",
            "rad 3: id 1103 är \"Stöd till politiska partier\" i planen, inte \"Annat namn\"",
            "rad 4, kolumn F \"Plan 2031 (tkr)\": budgeten för KS har ingen kolumn \"Plan 2031\" (en import lägger inte till kolumner)",
            "rad 5: raden har inget id (en import ändrar befintliga budgetrader, den lägger inte till nya)",
            "rad 6: \"x\" i kolumnen Id är inget id",
        ]
    );
    assert!(preview.changes.is_empty());
    assert_eq!(preview.unchanged, 1, "Revision's Budget 2025 (no unit: the plan's tkr)");
    // A header with a unit not understood is an error, not a guess.
    let error = budget_sheet::preview(&plan, &read_csv("Id;Nämnd;Tabell;Budget 2025 (tusental)\n".as_bytes(), "b.csv").unwrap()).unwrap_err();
    assert!(error.to_string().contains("okänd enhet \"tusental\""), "{error}");
    // The indicator sheet is not a budget sheet.
    let indicators = malplan::exchange::sheet::to_csv(&plan);
    assert!(!budget_sheet::is_budget_sheet(&read_csv(indicators.as_bytes(), "i.csv").unwrap()));
}

#[test]
fn a_changed_xlsx_cell_is_read_exactly() {
    // A workbook written by the export with one amount changed in the plan before: the import
    // into the original plan proposes exactly that amount back.
    let plan = askersund();
    let mut changed = plan.clone();
    let budget = &mut changed.budgets[0];
    let (t, g, r) = budget.find_row(ItemId(1102)).unwrap();
    budget.tables[t].groups[g].rows[r].amounts[2] = Some(-3_200_001);
    let sheet = read_workbook(&budget_sheet::to_xlsx(&changed, None).unwrap(), "b.xlsx").unwrap();
    let preview = budget_sheet::preview(&plan, &sheet).unwrap();
    assert_eq!(preview.changes.len(), 1, "{:?}", preview.changes);
    assert_eq!((preview.changes[0].old, preview.changes[0].new), (Some(-3_195_000), Some(-3_200_001)));
    let mut doc = Document::new(plan.clone(), None);
    doc.apply(preview.to_edit(&plan).unwrap()).unwrap();
    assert_eq!(doc.plan().budgets, changed.budgets);
}

fn malplan(args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_malplan")).args(args).output().expect("malplan runs");
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    (output.status.code().unwrap_or(-1), text)
}

#[test]
fn cli_exports_the_budget_and_imports_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let plan_path = dir.path().join("plan.ron");
    std::fs::copy(sample_path(), &plan_path).unwrap();
    let plan_arg = plan_path.display().to_string();
    let original = std::fs::read(&plan_path).unwrap();
    for name in ["budget.csv", "budget.xlsx"] {
        let sheet = dir.path().join(name).display().to_string();
        let (code, text) = malplan(&["export", &plan_arg, "--budget", "--board", "KS", "-o", &sheet]);
        assert_eq!(code, 0, "{text}");
        let (code, text) = malplan(&["import", &plan_arg, &sheet]);
        assert_eq!(code, 0, "{text}");
        assert!(text.contains("0 nya belopp, 0 ändrade, 0 tömda, "), "{text}");
        assert!(text.contains("inget att ändra"), "{text}");
        assert_eq!(std::fs::read(&plan_path).unwrap(), original, "{name}: nothing to change, nothing written");
    }

    // One amount changed in the CSV: --dry-run lists it and changes nothing.
    let csv_path = dir.path().join("budget.csv");
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    let edited: Vec<String> = csv
        .split("\r\n")
        .map(|line| {
            let mut fields: Vec<String> = line.split(';').map(str::to_owned).collect();
            if fields[0] == "1102" {
                fields[8] = "-3200".into();
            }
            fields.join(";")
        })
        .collect();
    std::fs::write(&csv_path, edited.join("\r\n")).unwrap();
    let csv_arg = csv_path.display().to_string();
    let (code, text) = malplan(&["import", &plan_arg, &csv_arg, "--dry-run"]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("Driftbudget per verksamhet (tkr) · 10 Nämnder/Styrelser · Budget 2025 (tkr): \u{2212}3\u{202f}195 → \u{2212}3\u{202f}200"),
        "{text}"
    );
    assert!(text.contains("0 nya belopp, 1 ändrade, 0 tömda, "), "{text}");
    assert!(text.contains("provkörning"), "{text}");
    assert_eq!(std::fs::read(&plan_path).unwrap(), original, "a dry run writes nothing");

    // Without --dry-run the plan is saved, under the lock, with a .bak.
    let (code, text) = malplan(&["import", &plan_arg, &csv_arg]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("sparat:"), "{text}");
    let saved = storage::load(&plan_path).unwrap();
    assert_eq!(amount(&saved, 1102, 2), Some(-3_200_000));
    let mut expected = askersund();
    let budget = &mut expected.budgets[0];
    let (t, g, r) = budget.find_row(ItemId(1102)).unwrap();
    budget.tables[t].groups[g].rows[r].amounts[2] = Some(-3_200_000);
    assert_eq!(saved.budgets, expected.budgets, "only that amount changed");
    assert!(!malplan::plan_lock::lock_path(&plan_path).exists(), "the lock is released");

    // Refusals: an unknown board, --board without --budget, the output over the plan.
    let out = dir.path().join("x.csv").display().to_string();
    let (code, text) = malplan(&["export", &plan_arg, "--budget", "--board", "BUN", "-o", &out]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("ingen budget för nämnden BUN"), "{text}");
    let (code, _) = malplan(&["export", &plan_arg, "--board", "KS", "-o", &out]);
    assert_eq!(code, 2, "--board needs --budget");
    let before = std::fs::read(&plan_path).unwrap();
    let (code, text) = malplan(&["export", &plan_arg, "--budget", "-o", &plan_arg]);
    assert_eq!(code, 2, "{text}");
    assert_eq!(std::fs::read(&plan_path).unwrap(), before);
}

/// The app: Arkiv → Importera → Kalkylblad with a budget sheet shows the budget preview;
/// accepting is one Ctrl+Z.
#[cfg(feature = "gui")]
mod app {
    use egui::{Key, Modifiers};
    use egui_kittest::kittest::Queryable;
    use malplan::app::{Dialog, MalplanApp, Settings};
    use malplan::command::FileCommand;
    use malplan::ui::dialogs::ImportKind;

    use super::*;

    #[test]
    fn importing_a_budget_sheet_in_the_app_previews_and_is_one_undo_step() {
        let dir = tempfile::tempdir().unwrap();
        let plan_path = dir.path().join("plan.ron");
        std::fs::copy(sample_path(), &plan_path).unwrap();
        let sheet = dir.path().join("budget.csv");
        std::fs::write(&sheet, changed_sheet()).unwrap();
        let mut harness = common::harness(MalplanApp::start(Some(plan_path), Settings::default()));
        let original = harness.state().plan().clone();

        harness.state_mut().send(FileCommand::ImportSheet(Some(sheet)));
        common::settle(&mut harness);
        match harness.state().dialog() {
            Some(Dialog::Import(import)) => {
                assert_eq!(import.kind, ImportKind::Budget);
                assert_eq!(import.change_rows.len(), 3);
            }
            other => panic!("the budget preview: {other:?}"),
        }
        harness.get_by_label("Importera budget från kalkylblad");
        for title in ["Rad", "Tabell", "Kolumn", "Före", "Efter"] {
            harness.get_by_label(title);
        }
        harness.get_by_label("10 Nämnder/Styrelser");
        harness.get_by_label("\u{2212}3\u{202f}200");
        harness.get_by_label("Hoppas över (2)");
        harness.get_by_label_contains("ingen budgetrad har id 9999");
        assert_eq!(harness.state().plan(), &original, "nothing changes before accepting");

        harness.get_by_label("Importera 3 belopp").click();
        common::settle(&mut harness);
        assert!(harness.state().dialog().is_none());
        assert_eq!(amount(harness.state().plan(), 1102, 2), Some(-3_200_000));
        assert_eq!(amount(harness.state().plan(), 1104, 2), None);
        assert!(harness.state().doc.is_dirty());

        harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
        common::settle(&mut harness);
        assert_eq!(harness.state().plan(), &original, "one Ctrl+Z takes the whole import back");
    }
}
