//! Kolada in the app (egui_kittest) against a fake Kolada on 127.0.0.1: find a KPI by words from
//! the indicator editor and take it (id and the series Kvinnor/Män), choose the plan's
//! municipality, *Hämta från Kolada* → the preview → accept → one Ctrl+Z gives the plan back.

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use malplan::app::{MalplanApp, Settings};
use malplan::command::ViewCommand;
use malplan::model::{ItemId, SeriesKind};
use malplan::outline::NodeRef;

mod common;
use common::{harness, sample_path, settle};

#[path = "common/kolada_server.rs"]
mod kolada_server;
use kolada_server::{KoladaServer, value};

#[test]
fn find_a_kpi_choose_the_municipality_fetch_accept_and_undo() {
    let server = KoladaServer::start();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.ron");
    std::fs::copy(sample_path("eskilstuna-2016-2019.ron"), &path).unwrap();
    let settings = Settings { kolada_url: Some(server.url.clone()), kolada_cache: Some(dir.path().join("cache")), ..Settings::default() };
    let mut h = harness(MalplanApp::start(Some(path), settings));
    let original = h.state().plan().clone();

    // The indicator editor: Sök i Kolada…, words, Enter, Välj.
    let indicator = ItemId(322);
    h.state_mut().send(ViewCommand::Reveal(NodeRef::Indicator(indicator)));
    h.run_steps(3);
    h.get_by_label("Sök i Kolada…").click();
    h.run_steps(3);
    h.get_by_label("Sök KPI i Kolada");
    h.get_by_label("Sökord:").focus();
    h.get_by_label("Sökord:").type_text("arbetslösa 16-64");
    h.run_steps(1);
    h.key_press(Key::Enter);
    settle(&mut h);
    h.get_by_label_contains("Invånare 16-64 år som är arbetslösa");
    h.get_all_by_label("Välj").next().unwrap().click();
    h.run_steps(3);
    let taken = h.state().plan().indicator(indicator).unwrap().clone();
    assert_eq!(taken.kolada.as_deref(), Some("N00914"));
    assert!(taken.series.iter().any(|s| s.kind == SeriesKind::Women) && taken.series.iter().any(|s| s.kind == SeriesKind::Men));

    // The plan's municipality, from the plan's editor.
    h.state_mut().send(ViewCommand::Reveal(NodeRef::Plan));
    h.run_steps(3);
    h.get_by_label("Välj kommun…").click();
    settle(&mut h);
    h.get_by_label("Sökord:").focus();
    h.get_by_label("Sökord:").type_text("Eskilst");
    h.key_press(Key::Enter);
    settle(&mut h);
    h.get_all_by_label("Välj").next().unwrap().click();
    h.run_steps(3);
    assert_eq!(h.state().plan().kolada.municipality.as_deref(), Some("0484"));
    h.get_by_label_contains("Eskilstuna 0484");

    // Hämta från Kolada: the preview, then the values.
    let before = h.state().plan().clone();
    h.get_by_label("Hämta från Kolada").click();
    settle(&mut h);
    assert_eq!(h.state().plan(), &before, "nothing changes before accepting");
    let count = match h.state().dialog() {
        Some(malplan::app::Dialog::Import(import)) => import.change_count,
        other => panic!("expected the import preview, got {other:?}"),
    };
    assert!(count > 0);
    h.get_by_label(&format!("Importera {count} värden")).click();
    settle(&mut h);
    let fetched = h.state().plan().indicator(indicator).unwrap().clone();
    let total = fetched.series.iter().find(|s| s.kind == SeriesKind::Total).unwrap();
    assert_eq!(total.outcome(2016), value("N00914", "0484", 2016, "T"));
    let riket = fetched.series.iter().find(|s| s.name == "Riket").unwrap();
    assert_eq!(riket.outcome(2016), value("N00914", "0000", 2016, "T"));

    // One undo takes the fetch back; three more the municipality and the KPI.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut h);
    assert_eq!(h.state().plan(), &before);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().plan(), &original);
}

/// An indicator of a school: *Välj enhet…* lists the municipality's units from Kolada, *Välj*
/// sets the unit, ✕ takes it away – each one undo step.
#[test]
fn an_indicator_gets_a_unit_from_the_municipalitys_list() {
    let server = KoladaServer::start();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.ron");
    let mut plan = malplan::storage::load(&sample_path("eskilstuna-2016-2019.ron")).unwrap();
    plan.kolada.municipality = Some("0484".into());
    plan.indicators.iter_mut().find(|i| i.id == ItemId(322)).unwrap().kolada = Some("N15428".into());
    malplan::storage::save(&plan, &path).unwrap();
    let settings = Settings { kolada_url: Some(server.url.clone()), kolada_cache: Some(dir.path().join("cache")), ..Settings::default() };
    let mut h = harness(MalplanApp::start(Some(path), settings));
    h.state_mut().send(ViewCommand::Reveal(NodeRef::Indicator(ItemId(322))));
    h.run_steps(3);
    h.get_by_label("Välj enhet…").click();
    settle(&mut h);
    h.get_by_label("Skiftinge skola");
    h.get_by_label("Årby skola");
    assert!(h.query_by_label("Paulinskolan").is_none(), "only Eskilstuna's units");
    h.get_all_by_label("Välj").next().unwrap().click();
    h.run_steps(3);
    assert_eq!(h.state().plan().indicator(ItemId(322)).unwrap().kolada_unit.as_deref(), Some("V15E048400101"));
    h.get_by_label("Enhet: V15E048400101");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(3);
    assert_eq!(h.state().plan().indicator(ItemId(322)).unwrap().kolada_unit, None);
}
