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

/// Names of the files in `dir`, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// A PID above any system's limit (Linux allows at most 2^22): its process is not running.
const GONE_PID: u32 = 999_999_999;

/// Writes a half-written temporary file, two hours old (where the process cannot be asked,
/// only an old file counts as left over).
fn leftover(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, "(format_version: 3, meta: (organi").unwrap();
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 60 * 60);
    fs::File::options().write(true).open(&path).unwrap().set_modified(two_hours_ago).unwrap();
    path
}

#[test]
fn leftovers_of_a_killed_save_are_removed_by_the_next_save_and_load() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.ron");
    let plan = v1_plan();
    storage::save(&plan, &path).unwrap();
    let make_leftovers = || {
        [format!(".plan.ron.{GONE_PID}.tmp"), format!(".plan.ron.bak.{GONE_PID}.tmp")].map(|n| leftover(dir.path(), &n))
    };
    // Not this plan's, or not a save's temporary file: kept.
    let mut kept = vec![
        leftover(dir.path(), &format!(".annan.ron.{GONE_PID}.tmp")),
        leftover(dir.path(), &format!(".plan.ron.{GONE_PID}.tmp.txt")),
        leftover(dir.path(), ".plan.ron.x1.tmp"),
        leftover(dir.path(), "plan.ron.anteckningar"),
    ];
    // A save in progress in another process that is still running (the one running the tests).
    #[cfg(target_os = "linux")]
    kept.push(leftover(dir.path(), &format!(".plan.ron.{}.tmp", std::os::unix::process::parent_id())));

    let stale = make_leftovers();
    storage::save(&plan, &path).unwrap();
    for file in &stale {
        assert!(!file.exists(), "{} is left: {:?}", file.display(), names_in(dir.path()));
    }
    for file in &kept {
        assert!(file.exists(), "{} was removed", file.display());
    }

    let stale = make_leftovers();
    assert_eq!(storage::load(&path).unwrap(), plan);
    for file in &stale {
        assert!(!file.exists(), "load leaves {}", file.display());
    }
    kept.retain(|file| !file.exists());
    assert!(kept.is_empty(), "removed by load: {kept:?}");
}

#[test]
fn a_failed_backup_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.ron");
    let plan = v1_plan();
    storage::save(&plan, &path).unwrap();
    let before = fs::read(&path).unwrap();
    // A folder with something in it where the .bak goes: the backup cannot be renamed into place.
    let backup = storage::backup_path(&path);
    fs::create_dir(&backup).unwrap();
    fs::write(backup.join("x"), "x").unwrap();
    let mut changed = plan.clone();
    changed.meta.title = "Ändrad".into();
    let error = storage::save(&changed, &path).unwrap_err();
    assert!(error.to_string().contains("Spara som"), "{error}");
    assert_eq!(fs::read(&path).unwrap(), before);
    assert_eq!(names_in(dir.path()), ["plan.ron", "plan.ron.bak"]);
}

#[test]
fn a_read_only_plan_is_refused_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.ron");
    let plan = v1_plan();
    storage::save(&plan, &path).unwrap();
    let before = fs::read(&path).unwrap();
    let mut permissions = fs::metadata(&path).unwrap().permissions();
    permissions.set_readonly(true);
    fs::set_permissions(&path, permissions.clone()).unwrap();

    let mut changed = plan.clone();
    changed.meta.title = "Ändrad".into();
    let error = storage::save(&changed, &path).unwrap_err();
    let text = error.to_string();
    assert!(text.contains(&format!("{} är skrivskyddad", path.display())), "{text}");
    assert!(text.contains("Spara som"), "{text}");
    assert_eq!(fs::read(&path).unwrap(), before);
    assert!(fs::metadata(&path).unwrap().permissions().readonly(), "still write-protected");
    assert_eq!(names_in(dir.path()), ["plan.ron"], "nothing written beside it");

    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    fs::set_permissions(&path, permissions).unwrap();
    storage::save(&changed, &path).unwrap();
}

#[cfg(unix)]
#[test]
fn saving_keeps_the_plans_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.ron");
    let mut plan = v1_plan();
    storage::save(&plan, &path).unwrap();
    for mode in [0o600, 0o640, 0o664] {
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
        plan.meta.title.push('!');
        storage::save(&plan, &path).unwrap();
        let mode_of = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode_of(&path), mode, "{mode:o}");
        assert_eq!(mode_of(&storage::backup_path(&path)), mode, "the .bak of {mode:o}");
        assert_eq!(storage::load(&path).unwrap(), plan);
    }
}

#[cfg(unix)]
#[test]
fn saving_through_a_symlink_writes_its_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let real_dir = dir.path().join("delad");
    fs::create_dir(&real_dir).unwrap();
    let real = real_dir.join("plan.ron");
    let link = dir.path().join("länk.ron");
    std::os::unix::fs::symlink("delad/plan.ron", &link).unwrap();
    let mut plan = v1_plan();
    storage::save(&plan, &real).unwrap();
    let first = fs::read(&real).unwrap();

    plan.meta.title = "Via länken".into();
    storage::save(&plan, &link).unwrap();
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link stays a link");
    assert_eq!(fs::read_link(&link).unwrap(), Path::new("delad/plan.ron"));
    assert_eq!(storage::load(&real).unwrap(), plan, "the target has the new version");
    assert_eq!(fs::read(real_dir.join("plan.ron.bak")).unwrap(), first, "the .bak beside the target");
    assert_eq!(names_in(&real_dir), ["plan.ron", "plan.ron.bak"]);
    assert_eq!(names_in(dir.path()), ["delad", "länk.ron"]);

    // A link to a file not there yet: the file is made where the link points.
    let new_link = dir.path().join("ny.ron");
    std::os::unix::fs::symlink("delad/ny.ron", &new_link).unwrap();
    storage::save(&plan, &new_link).unwrap();
    assert!(fs::symlink_metadata(&new_link).unwrap().file_type().is_symlink());
    assert_eq!(storage::load(&real_dir.join("ny.ron")).unwrap(), plan);
}

#[cfg(unix)]
#[test]
fn a_hard_linked_plan_stays_linked() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.ron");
    let other = dir.path().join("samma-plan.ron");
    let mut plan = v1_plan();
    storage::save(&plan, &path).unwrap();
    fs::hard_link(&path, &other).unwrap();
    let first = fs::read(&path).unwrap();
    let inode = fs::metadata(&path).unwrap().ino();

    plan.meta.title = "Ändrad".into();
    storage::save(&plan, &path).unwrap();
    assert_eq!(fs::metadata(&path).unwrap().ino(), inode, "written in place");
    assert_eq!(fs::metadata(&path).unwrap().nlink(), 2);
    assert_eq!(storage::load(&other).unwrap(), plan, "the other name sees the new version");
    assert_eq!(fs::read(storage::backup_path(&path)).unwrap(), first);

    // Shorter than before: nothing of the old version is left at the end.
    let short = malplan::model::Plan::new("K", "Kort", 2025, 2025);
    storage::save(&short, &other).unwrap();
    assert_eq!(storage::load(&path).unwrap(), short);
    assert_eq!(fs::read(&path).unwrap(), storage::to_ron_string(&short).unwrap().into_bytes());
}

#[test]
fn a_byte_order_mark_is_read_past() {
    let plan = v1_plan();
    let text = storage::to_ron_string(&plan).unwrap();
    let with_bom = format!("\u{feff}{text}");
    assert_eq!(storage::parse_str(&with_bom, "bom.ron").unwrap(), plan);
    assert_eq!(storage::parse_bytes(with_bom.as_bytes(), "bom.ron").unwrap(), plan);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bom.ron");
    fs::write(&path, &with_bom).unwrap();
    assert_eq!(storage::load(&path).unwrap(), plan);

    // Positions are those an editor shows (it does not show the mark), also on line 1.
    let mut lines: Vec<&str> = text.lines().collect();
    lines[6] = "    broken here";
    let broken = lines.join("\n");
    for broken in [broken.as_str(), "(format_version: 3, colour: 1)"] {
        let plain = storage::parse_str(broken, "x.ron").unwrap_err();
        let marked = storage::parse_bytes(format!("\u{feff}{broken}").as_bytes(), "x.ron").unwrap_err();
        assert_eq!(marked, plain);
    }
    let error = storage::parse_bytes(b"\xef\xbb\xbf(\xff", "x.ron").unwrap_err();
    assert_eq!(error.position(), Some((1, 2)), "{error}");
}

#[test]
fn a_huge_format_version_is_named_not_called_missing() {
    let text = "#![enable(implicit_some)]\n(\n    format_version: 99999999999999999999,\n    meta: (),\n)\n";
    let error = storage::parse_str(text, "x.ron").unwrap_err();
    assert!(!matches!(error, LoadError::NotAPlan { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.starts_with("x.ron:3:21: "), "{message}");
    assert!(message.contains("99999999999999999999"), "{message}");
    assert!(!message.contains("saknas"), "{message}");
    // Not a number at all is said so too.
    let error = storage::parse_str(&text.replace("99999999999999999999", "\"3\""), "x.ron").unwrap_err();
    assert!(error.to_string().contains("ska vara ett heltal"), "{error}");
}

#[test]
fn type_errors_are_reported_in_swedish() {
    let base = "(\n    format_version: 3,\n    meta: (organisation: \"K\", title: \"T\", first_year: 2020, last_year: 2022),\n    goals: [(id: 1, level: StrategicGoal, title: \"Mål\")],\n    indicators: [(id: 2, goal: 1, name: \"S\", unit: Percent, series: [(name: \"Totalt\", targets: \"2022: 3\")])],\n)\n";
    storage::parse_str(base, "x.ron").unwrap();
    for (from, to, expected) in [
        ("targets: \"2022: 3\"", "targets: 5", "heltalet 5 står där värden som text"),
        ("targets: \"2022: 3\"", "targets: 2.5", "talet 2.5 står där"),
        ("unit: Percent", "unit: Scale(1)", "1 där 2 värden inom parentes"),
        ("meta: (", "meta: Meta(", "posten heter Meta"),
        ("level: StrategicGoal", "level: 5", "förväntades här, inte \"5\""),
    ] {
        let text = base.replacen(from, to, 1);
        let message = storage::parse_str(&text, "x.ron").unwrap_err().to_string();
        assert!(message.contains(expected), "{to}: {message}");
        for english in ["expected", "found", "the ", "integer", "tuple", "struct", "variant", "instead", "Expected"] {
            assert!(!message.contains(english), "{to}: \"{english}\" in {message}");
        }
    }
}
