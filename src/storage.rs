//! Reading and writing plan files (RON): versions and migrations, atomic saves with a `.bak`,
//! and load errors with line and column in words a planner understands.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use ron::extensions::Extensions;
use serde::Deserialize;

use crate::model::{
    Board, Commitment, FORMAT_VERSION, FollowUpPeriod, FollowUpSettings, Goal, Indicator, Plan,
    PlanMeta, Vision,
};

/// Larger files are refused before reading: a plan of the largest municipality is far below
/// this, and reading an arbitrary huge file must not exhaust memory.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Nesting deeper than this is refused (a plan needs about 6 levels).
const RECURSION_LIMIT: usize = 64;

/// Why a plan file could not be opened. `Display` gives `FILE:LINE:COL: message`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: kan inte läsa filen: {message}")]
    Io { path: String, message: String },
    #[error("{path}: filen är för stor ({size_mb} MB; högst {limit_mb} MB kan öppnas)")]
    TooLarge { path: String, size_mb: u64, limit_mb: u64 },
    #[error("{path}:{line}:{col}: filen är inte text (ogiltig UTF-8) – är det verkligen en planfil?")]
    NotText { path: String, line: usize, col: usize },
    #[error("{path}:1:1: detta är ingen Målplan-fil (raden \"format_version\" saknas i början)")]
    NotAPlan { path: String },
    #[error(
        "{path}: filen är gjord av en nyare Målplan (filformat {found}); denna version läser upp till format {supported}. Uppdatera Målplan för att öppna den."
    )]
    NewerVersion { path: String, found: u32, supported: u32 },
    #[error("{path}:{line}:{col}: {message}")]
    Syntax { path: String, line: usize, col: usize, message: String },
}

impl LoadError {
    /// Line and column of the problem, when the error has a position.
    pub fn position(&self) -> Option<(usize, usize)> {
        match self {
            LoadError::NotText { line, col, .. } | LoadError::Syntax { line, col, .. } => {
                Some((*line, *col))
            }
            LoadError::NotAPlan { .. } => Some((1, 1)),
            _ => None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("Kunde inte spara {path}: {message}. Planen är kvar i programmet – prova Spara som… på en annan plats.")]
    Io { path: String, message: String },
    #[error("Kunde inte skriva planen som RON: {0}")]
    Serialize(String),
}

/// Reads, migrates and parses a plan file.
pub fn load(path: &Path) -> Result<Plan, LoadError> {
    let shown = path.display().to_string();
    let io_error = |e: std::io::Error| LoadError::Io {
        path: shown.clone(),
        message: describe_io_error(&e),
    };
    let size = fs::metadata(path).map_err(io_error)?.len();
    if size > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            path: shown,
            size_mb: size.div_ceil(1024 * 1024),
            limit_mb: MAX_FILE_BYTES / (1024 * 1024),
        });
    }
    let bytes = fs::read(path).map_err(io_error)?;
    parse_bytes(&bytes, &shown)
}

/// Parses plan text; `shown_path` only names the file in error messages.
pub fn parse_bytes(bytes: &[u8], shown_path: &str) -> Result<Plan, LoadError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let (line, col) = line_col(&bytes[..e.valid_up_to()]);
            return Err(LoadError::NotText {
                path: shown_path.to_owned(),
                line,
                col,
            });
        }
    };
    parse_str(text, shown_path)
}

pub fn parse_str(text: &str, shown_path: &str) -> Result<Plan, LoadError> {
    // Texts are written as they are, so a file whose line ends were turned into CRLF (git's
    // autocrlf on Windows, some editors) would put CRs into multi-line texts; read CRLF as LF.
    // Line and column numbers stay the same.
    let normalised;
    let text = if text.contains("\r\n") {
        normalised = text.replace("\r\n", "\n");
        normalised.as_str()
    } else {
        text
    };
    let version = peek_format_version(text).ok_or_else(|| LoadError::NotAPlan {
        path: shown_path.to_owned(),
    })?;
    if version > FORMAT_VERSION {
        return Err(LoadError::NewerVersion {
            path: shown_path.to_owned(),
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    let syntax_error = |e: ron::error::SpannedError| LoadError::Syntax {
        path: shown_path.to_owned(),
        line: e.span.start.line,
        col: e.span.start.col,
        message: explain_ron_error(&e.code),
    };
    let mut plan = match version {
        1 => migrate_v1(ron_options().from_str::<PlanV1>(text).map_err(syntax_error)?),
        _ => ron_options().from_str::<Plan>(text).map_err(syntax_error)?,
    };
    plan.format_version = FORMAT_VERSION;
    Ok(plan)
}

/// The plan as the pretty, deterministic RON text that `save` writes.
pub fn to_ron_string(plan: &Plan) -> Result<String, SaveError> {
    let config = ron::ser::PrettyConfig::new()
        .indentor("    ")
        .new_line("\n")
        .separate_tuple_members(false)
        .struct_names(false)
        // Texts as written (raw `r#"…"#` when they hold quotes): reads better than escapes,
        // and ron's per-character escaping was half of the save time of a large plan.
        .escape_strings(false)
        .extensions(Extensions::IMPLICIT_SOME);
    let mut text = ron::ser::to_string_pretty(plan, config)
        .map_err(|e| SaveError::Serialize(e.to_string()))?;
    text.push('\n');
    Ok(text)
}

/// Saves atomically: writes a temporary file beside `path`, syncs it, keeps the previous
/// version as `NAME.ron.bak` and renames the new file over the old one. If anything fails the
/// old file is untouched.
pub fn save(plan: &Plan, path: &Path) -> Result<(), SaveError> {
    let text = to_ron_string(plan)?;
    write_atomically(path, text.as_bytes())
}

/// The path of the backup `save` keeps: `plan.ron` → `plan.ron.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    path.with_file_name(name)
}

/// The temporary file `save` writes before renaming; unique per process.
pub fn temp_path(path: &Path) -> PathBuf {
    let mut name = std::ffi::OsString::from(".");
    name.push(path.file_name().unwrap_or_default());
    name.push(format!(".{}.tmp", std::process::id()));
    path.with_file_name(name)
}

pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    let shown = path.display().to_string();
    let fail = |e: std::io::Error| SaveError::Io {
        path: shown.clone(),
        message: describe_io_error(&e),
    };
    let temp = temp_path(path);
    let result = (|| {
        let mut file = fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        if path.exists() {
            // Copy (not rename) so the real file never disappears, even for a moment.
            let backup = backup_path(path);
            let backup_temp = temp_path(&backup);
            fs::copy(path, &backup_temp)?;
            fs::rename(&backup_temp, &backup)?;
        }
        fs::rename(&temp, path)?;
        sync_parent_dir(path);
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result.map_err(fail)
}

/// Makes the rename itself durable; best effort, since not every platform can sync a directory.
fn sync_parent_dir(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
        if let Ok(handle) = fs::File::open(dir) {
            let _ = handle.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

fn ron_options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME)
        .with_recursion_limit(RECURSION_LIMIT)
}

/// Finds `format_version: N` near the start without parsing the whole file twice.
fn peek_format_version(text: &str) -> Option<u32> {
    let head = &text[..floor_char_boundary(text, 4096)];
    let at = head.find("format_version")?;
    let rest = head[at + "format_version".len()..].trim_start();
    let rest = rest.strip_prefix(':')?.trim_start();
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

fn floor_char_boundary(text: &str, max: usize) -> usize {
    if text.len() <= max {
        return text.len();
    }
    (0..=max).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0)
}

fn line_col(prefix: &[u8]) -> (usize, usize) {
    let line = prefix.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = prefix.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&prefix[line_start..]).chars().count() + 1;
    (line, col)
}

fn describe_io_error(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "filen eller mappen finns inte".to_owned(),
        ErrorKind::PermissionDenied => "behörighet saknas (skrivskyddad fil eller mapp?)".to_owned(),
        ErrorKind::StorageFull => "disken är full".to_owned(),
        ErrorKind::ReadOnlyFilesystem => "platsen är skrivskyddad".to_owned(),
        ErrorKind::IsADirectory => "det är en mapp, inte en fil".to_owned(),
        _ => e.to_string(),
    }
}

/// Turns the RON parser's terse errors into what a planner can act on.
fn explain_ron_error(error: &ron::Error) -> String {
    use ron::Error as E;
    let within = |outer: &Option<String>| match outer {
        Some(outer) => format!(" i {}", swedish_struct_name(outer)),
        None => String::new(),
    };
    match error {
        E::Eof => "filen tar slut mitt i planen – saknas en avslutande parentes ) eller hakparentes ]?".into(),
        E::ExpectedComma => "ett kommatecken saknas mellan två värden".into(),
        E::ExpectedArray => "en lista som börjar med [ förväntades här".into(),
        E::ExpectedArrayEnd => "listan är inte avslutad med ] (eller ett kommatecken saknas)".into(),
        E::ExpectedStructLike | E::ExpectedNamedStructLike(_) => {
            "en post som börjar med ( förväntades här".into()
        }
        E::ExpectedStructLikeEnd => {
            "posten är inte avslutad med ) (eller ett kommatecken saknas)".into()
        }
        E::ExpectedMapColon => "ett kolon : saknas efter fältnamnet".into(),
        E::ExpectedFloat | E::ExpectedInteger | E::FloatUnderscore => {
            "ett tal förväntades här (decimaler skrivs med punkt i filen, t.ex. 13.8)".into()
        }
        E::IntegerOutOfBounds => "talet är för stort eller negativt där det inte får vara det".into(),
        E::ExpectedString => "en text inom citattecken \" \" förväntades här".into(),
        E::ExpectedStringEnd => "texten saknar avslutande citattecken \"".into(),
        E::ExpectedBoolean => "true eller false förväntades här".into(),
        E::ExpectedIdentifier => "ett fältnamn förväntades här".into(),
        E::ExpectedOption => "ett värde eller None förväntades här".into(),
        E::UnexpectedChar(c) => format!("oväntat tecken '{c}'"),
        E::TrailingCharacters => "det finns text efter planens slut".into(),
        E::UnclosedBlockComment | E::UnclosedLineComment => "en kommentar är inte avslutad".into(),
        E::InvalidEscape(what) => format!("ogiltig escape-sekvens i text ({what})"),
        E::ExceededRecursionLimit => "filen är för djupt nästlad för att vara en plan".into(),
        E::NoSuchStructField {
            expected,
            found,
            outer,
        } => format!(
            "okänt fält \"{found}\"{} – tillåtna fält är: {}",
            within(outer),
            expected.join(", ")
        ),
        E::MissingStructField { field, outer } => {
            format!("fältet \"{field}\" saknas{}", within(outer))
        }
        E::DuplicateStructField { field, outer } => {
            format!("fältet \"{field}\" står två gånger{}", within(outer))
        }
        E::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => format!(
            "okänt värde \"{found}\"{} – möjliga värden är: {}",
            within(outer),
            expected.join(", ")
        ),
        E::InvalidValueForType { expected, found } => {
            format!("fel sorts värde: {found} står där {expected} förväntades")
        }
        E::ExpectedDifferentLength { expected, found } => {
            format!("fel antal värden: {found} där {expected} förväntades")
        }
        E::Message(message) => message.clone(),
        other => format!("filen kan inte läsas som RON ({other})"),
    }
}

fn swedish_struct_name(name: &str) -> String {
    let swedish = match name {
        "Plan" => "planen",
        "PlanMeta" => "meta (planens uppgifter)",
        "Goal" => "ett mål",
        "Commitment" => "ett åtagande",
        "Indicator" => "en indikator",
        "Series" => "en serie",
        "Board" => "en nämnd",
        "FollowUpPeriod" => "en uppföljningsperiod",
        "GoalFollowUp" => "en målbedömning",
        "CommitmentFollowUp" => "en åtagandestatus",
        _ => return name.to_owned(),
    };
    swedish.to_owned()
}

/// Format 3 writes a series' targets and outcomes as one text line (`"2020: 14.1; 2021: 13.2"`,
/// see `model::year_values`) where format 2 wrote a list of `(year, value)` tuples; both read
/// through the same types, so format 2 needs no migration step beyond the version number.
///
/// Format version 1 kept the plan's metadata directly in the top-level record; version 2
/// groups it in `meta`. Everything below the top level is unchanged.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanV1 {
    #[allow(dead_code)]
    format_version: u32,
    organisation: String,
    title: String,
    #[serde(default)]
    owner_board: Option<String>,
    first_year: i32,
    last_year: i32,
    #[serde(default)]
    decided: Option<String>,
    #[serde(default)]
    vision: Vision,
    #[serde(default)]
    boards: Vec<Board>,
    #[serde(default)]
    goals: Vec<Goal>,
    #[serde(default)]
    commitments: Vec<Commitment>,
    #[serde(default)]
    indicators: Vec<Indicator>,
    #[serde(default)]
    periods: Vec<FollowUpPeriod>,
    #[serde(default)]
    settings: FollowUpSettings,
}

fn migrate_v1(old: PlanV1) -> Plan {
    Plan {
        format_version: FORMAT_VERSION,
        meta: PlanMeta {
            organisation: old.organisation,
            title: old.title,
            owner_board: old.owner_board,
            first_year: old.first_year,
            last_year: old.last_year,
            decided: old.decided,
            source: String::new(),
        },
        vision: old.vision,
        boards: old.boards,
        goals: old.goals,
        commitments: old.commitments,
        indicators: old.indicators,
        periods: old.periods,
        settings: old.settings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peeks_version_after_extension_header() {
        let text = "#![enable(implicit_some)]\n(\n    format_version: 7,\n";
        assert_eq!(peek_format_version(text), Some(7));
        assert_eq!(peek_format_version("(meta: ())"), None);
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        assert_eq!(line_col("ab\nåä".as_bytes()), (2, 3));
        assert_eq!(line_col(b""), (1, 1));
    }

    #[test]
    fn paths_for_temp_and_backup_sit_beside_the_file() {
        let path = Path::new("/tmp/x/plan.ron");
        assert_eq!(backup_path(path), Path::new("/tmp/x/plan.ron.bak"));
        let temp = temp_path(path);
        assert_eq!(temp.parent(), path.parent());
        assert!(temp.file_name().unwrap().to_string_lossy().starts_with(".plan.ron."));
    }
}
