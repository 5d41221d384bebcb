//! The plan file: round trips, errors with positions, migration, atomic save and `.bak`.

use std::fs;
use std::path::{Path, PathBuf};

use malplan::model::{FORMAT_VERSION, GoalLevel, Plan};
use malplan::storage::{self, LoadError};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn v1_plan() -> Plan {
    storage::load(&fixture("format-v1.ron")).expect("version-1 fixture loads")
}

#[test]
fn version_1_file_is_migrated_to_the_current_format() {
    let plan = v1_plan();
    assert_eq!(plan.format_version, FORMAT_VERSION);
    assert_eq!(plan.meta.organisation, "Eskilstuna kommun");
    assert_eq!(plan.meta.title, "Strategisk inriktning 2024–2027");
    assert_eq!(plan.meta.owner_board.as_deref(), Some("KF"));
    assert_eq!((plan.meta.first_year, plan.meta.last_year), (2024, 2027));
    assert_eq!(plan.goals.len(), 4);
    assert_eq!(plan.goals[2].level, GoalLevel::StrategicGoal);
    assert_eq!(plan.goals[2].focus.len(), 2);
    // Saved again, it is written in the current format and reads back equal.
    let text = storage::to_ron_string(&plan).unwrap();
    assert!(text.contains(&format!("format_version: {FORMAT_VERSION}")));
    assert!(text.contains("meta: ("));
    assert_eq!(storage::parse_str(&text, "again.ron").unwrap(), plan);
}

#[test]
fn a_file_with_crlf_line_ends_reads_the_same_texts() {
    // What git's autocrlf or a Windows editor makes of a saved plan with multi-line texts.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/eskilstuna-ks-delar2-2022.ron");
    let plan = storage::load(&path).unwrap();
    let text = storage::to_ron_string(&plan).unwrap();
    assert!(plan.goals.iter().any(|g| g.description.contains('\n')), "the sample has multi-line texts");
    let crlf = text.replace('\n', "\r\n");
    assert_eq!(storage::parse_str(&crlf, "crlf.ron").unwrap(), plan);
    // Positions in errors stay right: a break on line 7 is still reported on line 7.
    let mut lines: Vec<&str> = crlf.split("\r\n").collect();
    lines[6] = "    broken here";
    let error = storage::parse_str(&lines.join("\r\n"), "crlf.ron").unwrap_err();
    assert_eq!(error.position().map(|(line, _)| line), Some(7), "{error}");
}

#[test]
fn saving_twice_gives_identical_bytes() {
    let plan = v1_plan();
    let first = storage::to_ron_string(&plan).unwrap();
    let reread = storage::parse_str(&first, "x.ron").unwrap();
    assert_eq!(storage::to_ron_string(&reread).unwrap(), first);
}

#[test]
fn broken_file_reports_file_line_column_and_what_was_expected() {
    let path = fixture("broken-missing-comma.ron");
    let error = storage::load(&path).unwrap_err();
    // The comma is missing at the end of line 6; the parser notices at the next field, line 7.
    assert_eq!(error.position().map(|(line, _)| line), Some(7), "{error}");
    let text = error.to_string();
    assert!(text.starts_with(&format!("{}:7:", path.display())), "{text}");
    assert!(text.contains("kommatecken") || text.contains("avslutad"), "{text}");
}

#[test]
fn unknown_field_is_an_error_naming_it() {
    let error = storage::load(&fixture("unknown-field.ron")).unwrap_err();
    let text = error.to_string();
    assert!(text.contains("okänt fält \"colour\""), "{text}");
    assert!(text.contains("ett mål"), "{text}");
    assert_eq!(error.position().map(|(line, _)| line), Some(11), "{text}");
}

#[test]
fn newer_format_version_says_so() {
    let error = storage::load(&fixture("newer-version.ron")).unwrap_err();
    assert!(matches!(error, LoadError::NewerVersion { found: 99, .. }), "{error:?}");
    assert!(error.to_string().contains("nyare Målplan"), "{error}");
}

#[test]
fn empty_binary_and_missing_files_give_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.ron");
    fs::write(&empty, "").unwrap();
    assert!(matches!(storage::load(&empty), Err(LoadError::NotAPlan { .. })));

    let binary = dir.path().join("binary.ron");
    fs::write(&binary, [0x28, 0x0a, 0xff, 0xfe, 0x00, 0x01]).unwrap();
    let error = storage::load(&binary).unwrap_err();
    assert!(matches!(error, LoadError::NotText { line: 2, col: 1, .. }), "{error:?}");

    let missing = dir.path().join("finns-inte.ron");
    let error = storage::load(&missing).unwrap_err();
    assert!(error.to_string().contains("finns inte"), "{error}");
}

#[test]
fn deeply_nested_input_is_refused_without_crashing() {
    let text = format!("(format_version: 2, meta: {}", "[".repeat(100_000));
    let error = storage::parse_str(&text, "deep.ron").unwrap_err();
    assert!(matches!(error, LoadError::Syntax { .. }), "{error:?}");
}

#[test]
fn save_writes_the_file_and_keeps_the_previous_version_as_bak() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.ron");
    let mut plan = v1_plan();
    storage::save(&plan, &path).unwrap();
    let first = fs::read_to_string(&path).unwrap();
    assert!(!storage::backup_path(&path).exists(), "no .bak before there was an old version");

    plan.meta.title = "Strategisk inriktning 2024–2027 (reviderad)".into();
    storage::save(&plan, &path).unwrap();
    assert_eq!(fs::read_to_string(storage::backup_path(&path)).unwrap(), first);
    assert_eq!(storage::load(&path).unwrap(), plan);
    // No temporary files are left behind.
    let names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn failed_save_leaves_the_old_file_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.ron");
    let plan = v1_plan();
    storage::save(&plan, &path).unwrap();
    let before = fs::read(&path).unwrap();

    // Make the write fail: a directory stands where the temporary file must be created.
    fs::create_dir(storage::temp_path(&path)).unwrap();
    let mut changed = plan.clone();
    changed.meta.title = "Ändrad".into();
    let error = storage::save(&changed, &path).unwrap_err();
    assert!(error.to_string().contains("Spara som"), "{error}");
    assert_eq!(fs::read(&path).unwrap(), before);
    assert_eq!(storage::load(&path).unwrap(), plan);
}

#[test]
fn save_into_a_missing_folder_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("saknas").join("plan.ron");
    let error = storage::save(&v1_plan(), &path).unwrap_err();
    assert!(error.to_string().contains("finns inte"), "{error}");
}
