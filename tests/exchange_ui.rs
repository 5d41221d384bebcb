//! The import preview in the real app (egui_kittest): nothing changes until the planner
//! accepts, accepting is one undo step, and choosing the municipality recomputes the preview.

use std::path::{Path, PathBuf};

use egui::{Key, Modifiers, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use malplan::app::{Dialog, MalplanApp, Settings};
#[allow(unused_imports)]
use malplan::command::{Answer, EditCommand, FileCommand, ViewCommand};
use malplan::model::ItemId;
use malplan::storage;

mod common;
use common::settle;

fn kolada(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kolada").join(name)
}

/// The 2016–2019 plan with the Kolada ids of tests/fixtures/kolada/README.md, in a temp dir.
fn app_with_kolada_ids() -> (tempfile::TempDir, Harness<'static, MalplanApp>) {
    let dir = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/eskilstuna-2016-2019.ron");
    let mut plan = storage::load(&sample).unwrap();
    for indicator in &mut plan.indicators {
        match indicator.id {
            ItemId(322) => indicator.kolada = Some("N00914".into()),
            ItemId(315) => indicator.kolada = Some("N11102".into()),
            _ => {}
        }
    }
    let path = dir.path().join("plan.ron");
    storage::save(&plan, &path).unwrap();
    let app = MalplanApp::start(Some(path), Settings::default());
    let mut harness = Harness::builder()
        .with_size(Vec2::new(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut MalplanApp| app.show(ui), app);
    settle(&mut harness);
    (dir, harness)
}

fn riket_2014(app: &MalplanApp) -> Option<f64> {
    let indicator = app.plan().indicators.iter().find(|i| i.id == ItemId(322)).unwrap();
    indicator.series.iter().find(|s| s.name == "Riket").unwrap().outcome(2014)
}

#[test]
fn kolada_preview_lists_the_changes_and_importing_is_one_undo_step() {
    let (_dir, mut harness) = app_with_kolada_ids();
    let original = harness.state().plan().clone();
    harness.state_mut().send(FileCommand::ImportKolada(Some(vec![kolada("page1.json"), kolada("page2.json")])));
    settle(&mut harness);

    // The preview shows each value old → new, the skipped ones, and changes nothing yet.
    assert_eq!(harness.get_all_by_label("7,9 %").count(), 1, "Riket 2014 after the import");
    assert_eq!(harness.query_all_by_label_contains("(ny serie)").count(), 0, "every series exists");
    harness.get_by_label("Hoppas över (5)");
    assert_eq!(harness.get_all_by_label_contains("ingen indikator har Kolada-id N00945").count(), 2);
    assert_eq!(harness.state().plan(), &original);
    assert!(!harness.state().doc.is_dirty());

    harness.get_by_label("Importera 6 värden").click();
    settle(&mut harness);
    assert!(harness.state().dialog().is_none());
    assert_eq!(riket_2014(harness.state()), Some(7.9));
    assert!(harness.state().doc.is_dirty());
    assert!(harness.state().status_line().starts_with("6 värden importerade"), "{}", harness.state().status_line());

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(harness.state().plan(), &original, "one Ctrl+Z takes the whole import back");
}

#[test]
fn cancelling_the_preview_changes_nothing() {
    let (_dir, mut harness) = app_with_kolada_ids();
    let original = harness.state().plan().clone();
    harness.state_mut().send(FileCommand::ImportKolada(Some(vec![kolada("page1.json")])));
    settle(&mut harness);
    harness.get_by_label("Avbryt").click();
    settle(&mut harness);
    assert!(harness.state().dialog().is_none());
    assert_eq!(harness.state().plan(), &original);
    assert!(!harness.state().doc.can_undo());
}

#[test]
fn several_municipalities_ask_which_is_ours_before_anything_can_be_imported() {
    let (_dir, mut harness) = app_with_kolada_ids();
    harness.state_mut().send(FileCommand::ImportKolada(Some(vec![kolada("page1.json"), kolada("other-municipality.json")])));
    settle(&mut harness);
    harness.get_by_label_contains("Välj vilken som är er kommun");
    let importing: Vec<_> = harness.get_all_by_label_contains("Importera").map(|n| format!("{n:?}")).collect();
    assert_eq!(importing.len(), 1, "only the heading – no import button until the choice is made: {importing:#?}");

    harness.state_mut().send(Answer::KoladaMunicipality("0484".into()));
    settle(&mut harness);
    // Choosing the other municipality as a comparison: its (null) value is listed as missing.
    harness.state_mut().send(Answer::KoladaComparison(Some("0480".into())));
    settle(&mut harness);
    harness.get_by_label_contains("N00914 · 0480 · 2014 · T: värdet saknas (null)");
    match &harness.state().dialog() {
        Some(Dialog::Import(import)) => match &import.kind {
            malplan::ui::dialogs::ImportKind::Kolada { own, comparison, .. } => {
                assert_eq!(own.as_deref(), Some("0484"));
                assert_eq!(comparison.as_deref(), Some("0480"));
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    harness.get_by_label("Importera 4 värden").click();
    settle(&mut harness);
    assert_eq!(riket_2014(harness.state()), Some(7.9));
}

#[test]
fn a_broken_kolada_file_is_an_error_dialog_and_the_plan_stays() {
    let (dir, mut harness) = app_with_kolada_ids();
    let broken = dir.path().join("trasig.json");
    std::fs::write(&broken, "{\"values\": [\n  {\"kpi\": ").unwrap();
    let original = harness.state().plan().clone();
    harness.state_mut().send(FileCommand::ImportKolada(Some(vec![broken])));
    settle(&mut harness);
    assert!(matches!(harness.state().dialog(), Some(Dialog::Error { .. })));
    harness.get_by_label_contains("trasig.json:2:");
    assert_eq!(harness.state().plan(), &original);
}

#[test]
fn export_to_excel_then_import_the_same_file_offers_nothing_to_change() {
    let (dir, mut harness) = app_with_kolada_ids();
    let sheet = dir.path().join("indikatorer.xlsx");
    harness.state_mut().send(FileCommand::ExportSheet(Some(sheet.clone())));
    settle(&mut harness);
    assert!(sheet.exists(), "{}", harness.state().status_line());
    harness.state_mut().send(FileCommand::ImportSheet(Some(sheet)));
    settle(&mut harness);
    harness.get_by_label("Inget att ändra.");
    assert!(harness.get_by_label("Importera 0 värden").accesskit_node().is_disabled());
}

#[test]
fn a_large_import_is_taken_in_on_a_worker_as_one_undo_step() {
    use malplan::generate::{Scale, generate};
    let dir = tempfile::tempdir().unwrap();
    let plan = generate(Scale::Large);
    // A workbook in which every outcome of the first 300 indicators is one higher.
    let mut raised = plan.clone();
    for indicator in raised.indicators.iter_mut().take(300) {
        for series in &mut indicator.series {
            for (_, value) in &mut series.outcomes {
                *value += 1.0;
            }
        }
    }
    let sheet = dir.path().join("utfall.xlsx");
    malplan::exchange::write_sheet(&raised, &sheet).unwrap();
    let app = MalplanApp::new(plan.clone(), None, Settings::default());
    let mut harness = common::harness(app);
    harness.state_mut().send(FileCommand::ImportSheet(Some(sheet)));
    settle(&mut harness);
    let Some(Dialog::Import(import)) = harness.state().dialog() else { panic!("the preview") };
    let count = import.change_count;
    assert!(count > 1000, "{count}");
    let before_follow_up = harness.state().follow_up();

    harness.get_by_label(&format!("Importera {count} värden")).click();
    harness.run_steps(1);
    // Taken in on a worker: the window draws on, the plan is not yet changed.
    assert!(harness.state().is_busy(), "the import is taken in by a job");
    settle(&mut harness);
    assert!(!harness.state().is_busy());
    assert_eq!(harness.state().plan().indicators, raised.indicators);
    assert!(harness.state().doc.is_dirty());
    assert!(harness.state().status_line().starts_with(&format!("{count} värden importerade")), "{}", harness.state().status_line());
    // The follow-up shown is that of the new plan, exactly as if computed here.
    let shown = harness.state().follow_up();
    assert_eq!(*shown, malplan::followup::compute(harness.state().plan(), harness.state().period()));
    assert_ne!(*shown, *before_follow_up, "the raised outcomes change the follow-up");

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(harness.state().plan(), &plan, "one Ctrl+Z takes the whole import back");
    assert!(!harness.state().doc.is_dirty());
    assert_eq!(*harness.state().follow_up(), *before_follow_up);
}
