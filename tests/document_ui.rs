//! The *Dokument* view in the real app (egui_kittest): seed 004's parts listed, a chapter's
//! text typed with its preview following, a new chapter added and moved, every change one
//! undo step, and the whole document exported as Word through the menu.

use egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use malplan::app::MalplanApp;
use malplan::document::PartKind;

mod common;
use common::{ks_report, settle};

/// The KS report with the Dokument view shown (Ctrl+6).
fn document_view() -> (tempfile::TempDir, Harness<'static, MalplanApp>) {
    let (dir, _path, mut h) = ks_report();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num6);
    h.run_steps(3);
    (dir, h)
}

#[test]
fn the_parts_are_listed_and_a_chapter_is_written_with_its_preview() {
    let (_dir, mut h) = document_view();
    h.get_by_label("Sammanfattning · Kapitel (text)");
    h.get_by_label("Status åtaganden · Status åtaganden (tabell)");
    h.get_by_label("Intern styrning och kontroll · Kapitel (text)");
    // The first chapter is open: its sub-headings show in the preview.
    h.get_by_label("Väsentliga händelser – hållbar utveckling");

    // Write a new chapter after it.
    h.get_by_label("Nytt kapitel").click();
    h.run_steps(3);
    let parts = &h.state().plan().document.parts;
    assert_eq!(parts[1].title, "Nytt kapitel");
    assert_eq!(parts[1].kind, PartKind::Chapter);
    let new_id = parts[1].id;
    h.get_by_label("Text").click();
    h.run_steps(2);
    h.event(Event::Text("## Bakgrund\n\nEtt **viktigt** stycke.\n\n- ett\n- två".to_owned()));
    h.run_steps(3);
    assert_eq!(h.state().plan().document.parts[1].text, "## Bakgrund\n\nEtt **viktigt** stycke.\n\n- ett\n- två");
    // The preview: the sub-heading, the paragraph without its marks, the list items.
    h.get_by_label("Bakgrund");
    h.get_by_label("Ett viktigt stycke.");
    h.get_by_label("två");

    // Typing is one undo step; adding the chapter another.
    h.key_press(Key::Escape);
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(3);
    assert_eq!(h.state().plan().document.parts[1].text, "");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(3);
    assert!(h.state().plan().document.parts.iter().all(|p| p.id != new_id));
}

#[test]
fn a_part_moves_and_the_whole_document_is_exported_as_word_through_the_menu() {
    let (dir, mut h) = document_view();
    h.get_by_label("Intern styrning och kontroll · Kapitel (text)").click();
    h.run_steps(2);
    h.get_by_label("Flytta upp").click();
    h.run_steps(3);
    let titles: Vec<String> = h.state().plan().document.parts.iter().map(|p| p.heading(malplan::i18n::Lang::Swedish)).collect();
    let at = titles.iter().position(|t| t == "Intern styrning och kontroll").unwrap();
    assert_eq!(at, titles.len() - 2, "moved one up: {titles:?}");

    let out = dir.path().join("dokument.docx");
    h.state_mut().set_desktop(Box::new(malplan::app::effects::ScriptedDesktop::answering([out.clone()])));
    h.get_by_label("Exportera hela dokumentet (PDF eller Word)…").click();
    settle(&mut h);
    let bytes = std::fs::read(&out).expect("written");
    assert!(bytes.starts_with(b"PK"));
    assert!(h.state().status_line().contains("Dokumentet sparat"), "{}", h.state().status_line());
}
