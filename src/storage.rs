//! Reading and writing plan files (RON): versions and migrations, atomic saves with a `.bak`,
//! and load errors with line and column in words a planner understands.

use std::ffi::OsStr;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use ron::extensions::Extensions;
use serde::Deserialize;

use crate::model::{
    Board, Commitment, FORMAT_VERSION, FollowUpPeriod, FollowUpSettings, Goal, Indicator, Plan,
    PlanMeta, Vision,
};
use crate::safe_io::{self, Limits, ReadError, describe_io_error};

/// Larger files are refused before reading: a plan of the largest municipality is far below
/// this, and reading an arbitrary huge file must not exhaust memory.
pub const MAX_FILE_BYTES: u64 = Limits::PLAN.max_bytes;

/// Where the process that left a temporary file cannot be asked (not Linux), a file this old
/// is left over: a save takes moments.
const STALE_TEMP_AGE: Duration = Duration::from_secs(60 * 60);

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
    /// Not a regular file (a device, a FIFO, a folder): refused before reading.
    #[error("{0}")]
    Refused(ReadError),
}

impl From<ReadError> for LoadError {
    fn from(error: ReadError) -> Self {
        match error {
            ReadError::Io { path, message } => LoadError::Io { path, message },
            ReadError::TooLarge { path, size_mb, limit_mb } => LoadError::TooLarge { path, size_mb, limit_mb },
            other => LoadError::Refused(other),
        }
    }
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
    /// Replacing a write-protected file would silently drop the protection.
    #[error("Kunde inte spara: {path} är skrivskyddad. Planen är kvar i programmet – ta bort skrivskyddet eller välj Spara som… för att spara en kopia.")]
    ReadOnly { path: String },
    #[error("Kunde inte spara: {path} är ingen vanlig fil. Planen är kvar i programmet – välj Spara som… och en annan fil.")]
    NotAFile { path: String },
}

/// Reads, migrates and parses a plan file. Also removes temporary files that a save of this
/// plan killed midway left beside it.
pub fn load(path: &Path) -> Result<Plan, LoadError> {
    let shown = path.display().to_string();
    let bytes = safe_io::read_file(path, Limits::PLAN)?;
    // Earlier versions wrote temporary files beside a symlink, now beside its target.
    remove_stale_temp_files(path);
    if let Ok(real) = real_path(path)
        && real != path
    {
        remove_stale_temp_files(&real);
    }
    parse_bytes(&bytes, &shown)
}

/// Parses plan text; `shown_path` only names the file in error messages.
pub fn parse_bytes(bytes: &[u8], shown_path: &str) -> Result<Plan, LoadError> {
    // A byte-order mark (Notepad, some Windows editors) is no part of the plan; without it,
    // positions are those an editor shows.
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
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
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let normalised;
    let text = if text.contains("\r\n") {
        normalised = text.replace("\r\n", "\n");
        normalised.as_str()
    } else {
        text
    };
    let version = match peek_format_version(text) {
        VersionPeek::Missing => return Err(LoadError::NotAPlan { path: shown_path.to_owned() }),
        VersionPeek::Invalid { at, message } => {
            let (line, col) = line_col(&text.as_bytes()[..at]);
            return Err(LoadError::Syntax { path: shown_path.to_owned(), line, col, message });
        }
        VersionPeek::Found(version) => version,
    };
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
    crate::budget::normalize(&mut plan.budgets);
    crate::economy::normalize(&mut plan.economy);
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
    let mut text = ron::ser::to_string_pretty(plan, config.clone())
        .map_err(|e| SaveError::Serialize(e.to_string()))?;
    // The file's own line ends are LF, so a CR here comes from a text. Written raw, it met
    // `parse_str`'s CR LF → LF (meant for files whose line ends were converted): a text with
    // CR LF (pasted from Windows) read back with LF, "\r\r\n" as "\r\n" – not what was saved,
    // and saved again, not the same file. Such a plan's texts are written escaped ("\r"),
    // which no line-end conversion touches, so every text reads back exactly.
    if text.contains('\r') {
        text = ron::ser::to_string_pretty(plan, config.escape_strings(true))
            .map_err(|e| SaveError::Serialize(e.to_string()))?;
    }
    text.push('\n');
    Ok(text)
}

/// Saves atomically: writes a temporary file beside `path`, syncs it, keeps the previous
/// version as `NAME.ron.bak` and renames the new file over the old one. If anything fails the
/// old file is untouched. See [`write_atomically`] for links, permissions and leftovers.
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

/// Writes `bytes` to `path` so that the file is always either the old or the new version,
/// keeping the old one as `NAME.bak`, and without changing what the file is:
///
/// - a symlink stays a symlink: its target is written (the temporary file and the `.bak` go
///   beside the target, where the rename must happen);
/// - the new file gets the old one's permissions (and, where allowed, owner), so a private
///   plan stays private;
/// - a write-protected file is refused ([`SaveError::ReadOnly`]), not silently replaced;
/// - a file with several hard links (unix) is overwritten in place after the `.bak` is written:
///   a rename would leave the other names on the old version, and keeping the link is what
///   the planner set up, so it beats atomicity there (a failed write is undone from the `.bak`);
/// - temporary files that earlier saves of this file left when they were killed are removed.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    write_atomically_keeping(path, bytes, true)
}

/// Saves like [`save`] but keeps no `.bak` (git's merge driver writes into git's own temporary
/// file, where a backup would be left as an untracked file).
pub fn save_without_backup(plan: &Plan, path: &Path) -> Result<(), SaveError> {
    let text = to_ron_string(plan)?;
    write_atomically_keeping(path, text.as_bytes(), false)
}

fn write_atomically_keeping(path: &Path, bytes: &[u8], keep_backup: bool) -> Result<(), SaveError> {
    let shown = path.display().to_string();
    let fail = |e: io::Error| SaveError::Io {
        path: shown.clone(),
        message: describe_io_error(&e),
    };
    let target = real_path(path).map_err(fail)?;
    remove_stale_temp_files(&target);
    let old = match fs::metadata(&target) {
        Ok(metadata) => Some(metadata),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(fail(e)),
    };
    if let Some(old) = &old {
        if !old.is_file() {
            return Err(SaveError::NotAFile { path: shown });
        }
        if is_write_protected(&target, old) {
            return Err(SaveError::ReadOnly { path: shown });
        }
    }
    let in_place = old.as_ref().is_some_and(has_other_hard_links);
    let temp = temp_path(&target);
    let backup = backup_path(&target);
    let backup_temp = temp_path(&backup);
    let result = (|| {
        if !in_place {
            write_new_file(&temp, bytes, old.as_ref())?;
        }
        if let Some(old) = old.as_ref().filter(|_| keep_backup || in_place) {
            // Copy (not rename) so the real file never disappears, even for a moment; the copy
            // keeps the plan's permissions, and its owner like the new file.
            fs::copy(&target, &backup_temp)?;
            keep_owner(&backup_temp, old);
            fs::rename(&backup_temp, &backup)?;
        }
        if in_place {
            overwrite_in_place(&target, bytes, &backup)?;
            if !keep_backup {
                fs::remove_file(&backup)?;
            }
        } else {
            fs::rename(&temp, &target)?;
            sync_parent_dir(&target);
        }
        Ok(())
    })();
    if result.is_err() {
        // Nothing half-written is left behind: neither the new file nor a partial backup.
        for leftover in [&temp, &backup_temp] {
            if fs::symlink_metadata(leftover).is_ok_and(|m| m.is_file()) {
                let _ = fs::remove_file(leftover);
            }
        }
    }
    result.map_err(fail)
}

/// The file a save writes: `path`, or the file a symlink there points to (through any chain
/// of links). A link to a file not there yet resolves to where the file would be.
fn real_path(path: &Path) -> io::Result<PathBuf> {
    let is_link = |p: &Path| fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link(path) {
        return Ok(path.to_path_buf());
    }
    if let Ok(real) = fs::canonicalize(path) {
        return Ok(real);
    }
    // A dangling link: follow it by hand (canonicalize needs the target to exist).
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        if !is_link(&current) {
            return Ok(current);
        }
        let target = fs::read_link(&current)?;
        current = match current.parent() {
            Some(dir) => dir.join(target),
            None => target,
        };
    }
    Err(io::Error::other("för många symboliska länkar i rad"))
}

/// Whether the file is write-protected: no write permission in its mode bits (checked so,
/// because an administrator could open it anyway), or the file system refuses to open it for
/// writing (a plan of another user).
fn is_write_protected(path: &Path, metadata: &fs::Metadata) -> bool {
    if metadata.permissions().readonly() {
        return true;
    }
    // Opening without truncating changes nothing in the file.
    matches!(
        fs::OpenOptions::new().write(true).open(path),
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied
    )
}

fn has_other_hard_links(metadata: &fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        metadata.nlink() > 1
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        false
    }
}

/// Creates `temp` with `bytes`, synced, with the permissions (and owner, where allowed) of
/// the file it will replace.
fn write_new_file(temp: &Path, bytes: &[u8], like: Option<&fs::Metadata>) -> io::Result<()> {
    // A leftover of this process's own earlier failed save; `create_new` below refuses to
    // write through anything put there instead (a symlink, a folder).
    if fs::symlink_metadata(temp).is_ok_and(|m| m.is_file()) {
        let _ = fs::remove_file(temp);
    }
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if like.is_some() {
        use std::os::unix::fs::OpenOptionsExt;
        // Private until the old permissions are copied, so a private plan is never readable.
        options.mode(0o600);
    }
    let mut file = options.open(temp)?;
    if let Some(old) = like {
        keep_owner(temp, old);
        // Best effort: some shares (FAT, SMB) refuse chmod; the file then stays private.
        let _ = file.set_permissions(old.permissions());
    }
    file.write_all(bytes)?;
    file.sync_all()
}

/// Gives `path` the owner and group of the old file: an administrator saving someone's plan
/// must not make it theirs. Best effort: without the right to, the owner is ours anyway.
fn keep_owner(path: &Path, old: &fs::Metadata) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = std::os::unix::fs::chown(path, Some(old.uid()), Some(old.gid()));
    }
    #[cfg(not(unix))]
    let _ = (path, old);
}

/// Overwrites a hard-linked file in place. Written over the old bytes (not truncated first), so
/// a full disk can only fail past the old length; on failure the old version is put back from
/// the `.bak` just written.
fn overwrite_in_place(path: &Path, bytes: &[u8], backup: &Path) -> io::Result<()> {
    use std::io::{Seek, SeekFrom};
    let mut file = fs::OpenOptions::new().write(true).open(path)?;
    let write = |file: &mut fs::File, bytes: &[u8]| -> io::Result<()> {
        file.seek(SeekFrom::Start(0))?;
        file.write_all(bytes)?;
        file.set_len(bytes.len() as u64)?;
        file.sync_all()
    };
    if let Err(error) = write(&mut file, bytes) {
        if let Ok(old) = fs::read(backup) {
            let _ = write(&mut file, &old);
        }
        return Err(error);
    }
    Ok(())
}

/// Whether `file_name` is a temporary file a save of `plan_name` writes (`.NAME.PID.tmp`, or
/// `.NAME.bak.PID.tmp` for its backup), and the PID of the process that wrote it.
fn temp_file_pid(file_name: &OsStr, plan_name: &OsStr) -> Option<u32> {
    let rest = file_name
        .as_encoded_bytes()
        .strip_prefix(b".")?
        .strip_prefix(plan_name.as_encoded_bytes())?
        .strip_prefix(b".")?
        .strip_suffix(b".tmp")?;
    let digits = rest.strip_prefix(b"bak.").unwrap_or(rest);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// Whether the process that wrote a temporary file is gone. On Linux it is asked (`/proc`);
/// elsewhere only an old file counts, since a save takes moments.
fn written_by_a_gone_process(pid: u32, metadata: &fs::Metadata) -> bool {
    if pid == std::process::id() {
        return false;
    }
    #[cfg(target_os = "linux")]
    if Path::new("/proc/self").exists() {
        return !Path::new(&format!("/proc/{pid}")).exists();
    }
    metadata.modified().ok().and_then(|t| t.elapsed().ok()).is_some_and(|age| age > STALE_TEMP_AGE)
}

/// Removes the temporary files that saves of `plan` left when they were killed midway (only
/// this plan's, only regular files, only those of processes no longer running). Best effort.
fn remove_stale_temp_files(plan: &Path) {
    let Some(plan_name) = plan.file_name() else { return };
    let dir = match plan.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.filter_map(Result::ok) {
        let Some(pid) = temp_file_pid(&entry.file_name(), plan_name) else { continue };
        let path = entry.path();
        let Ok(metadata) = fs::symlink_metadata(&path) else { continue };
        if metadata.is_file() && written_by_a_gone_process(pid, &metadata) {
            let _ = fs::remove_file(&path);
        }
    }
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

/// What the `format_version: N` line near the start says.
#[derive(Debug, PartialEq)]
enum VersionPeek {
    Found(u32),
    /// No `format_version:` at all: not a plan.
    Missing,
    /// The line is there but its value is no version; `at` is the value's byte offset.
    Invalid { at: usize, message: String },
}

/// Finds `format_version: N` near the start without parsing the whole file twice.
fn peek_format_version(text: &str) -> VersionPeek {
    let head = &text[..floor_char_boundary(text, 4096)];
    let Some(key) = head.find("format_version") else { return VersionPeek::Missing };
    let after_key = &head[key + "format_version".len()..];
    let Some(after_colon) = after_key.trim_start().strip_prefix(':') else { return VersionPeek::Missing };
    let value = after_colon.trim_start();
    let at = head.len() - value.len();
    let digits: String = value.chars().take_while(char::is_ascii_digit).collect();
    let ends_the_number =
        value[digits.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric() && !matches!(c, '.' | '_'));
    if !digits.is_empty() && ends_the_number {
        return match digits.parse::<u32>() {
            Ok(version) => VersionPeek::Found(version),
            // Far beyond any Målplan: a damaged file rather than one from the future.
            Err(_) => VersionPeek::Invalid {
                at,
                message: format!(
                    "filformatet {digits} finns inte (format_version är orimligt stor) – filen är skadad eller inte gjord av Målplan; denna version läser format upp till {FORMAT_VERSION}"
                ),
            },
        };
    }
    let token: String = value.chars().take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ')')).take(40).collect();
    let message = if token.is_empty() {
        format!("format_version saknar sitt värde (ett heltal, t.ex. {FORMAT_VERSION})")
    } else {
        format!("format_version ska vara ett heltal (t.ex. {FORMAT_VERSION}), inte {token}")
    };
    VersionPeek::Invalid { at, message }
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
        E::ExpectedOptionEnd => "Some( är inte avslutad med )".into(),
        E::ExpectedChar => "ett tecken inom apostrofer ' ' förväntades här".into(),
        E::ExpectedByteLiteral | E::ExpectedByteString => "en byte-text b\"…\" förväntades här".into(),
        E::ExpectedMap => "en tabell som börjar med { förväntades här".into(),
        E::ExpectedMapEnd => "tabellen är inte avslutad med } (eller ett kommatecken saknas)".into(),
        E::ExpectedUnit => "() förväntades här".into(),
        E::ExpectedAttribute | E::ExpectedAttributeEnd => {
            "raden #![enable(…)] i början är felskriven".into()
        }
        E::ExpectedDifferentStructName { expected, found } => {
            format!("posten heter {found} här men {expected} förväntades")
        }
        E::ExpectedStructName(name) => format!("namnet {name} förväntades före ("),
        E::ExpectedRangeSyntax => ".. eller ..= förväntades här".into(),
        E::ExpectedRawValue => "ett värde förväntades här".into(),
        E::InvalidIntegerDigit { digit, .. } => format!("'{digit}' är ingen siffra i ett tal"),
        E::UnderscoreAtBeginning => "ett tal får inte börja med _".into(),
        E::NoSuchExtension(name) => format!("okänt tillägg \"{name}\" i #![enable(…)]"),
        E::InvalidIdentifier(name) | E::SuggestRawIdentifier(name) => {
            format!("ett namn (t.ex. Percent eller Area) förväntades här, inte \"{name}\"")
        }
        E::Utf8Error(_) => "filen är inte text (ogiltig UTF-8)".into(),
        E::Io(message) => format!("kan inte läsa: {message}"),
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
            format!("fel sorts värde: {} står där {} förväntades", swedish_found(found), swedish_expected(expected))
        }
        E::ExpectedDifferentLength { expected, found } => {
            format!("fel antal värden: {found} där {} förväntades", swedish_expected(expected))
        }
        E::Message(message) => swedish_serde_message(message),
        other => format!("filen kan inte läsas som en plan (RON-fel: {other})"),
    }
}

/// serde's and our own custom messages: ours are Swedish already; serde's standard ones
/// ("invalid type: …, expected …", "missing field `x`") are put into Swedish.
fn swedish_serde_message(message: &str) -> String {
    let between = |text: &str| text.trim().trim_matches('`').to_owned();
    let list = |expected: &str| {
        expected
            .trim()
            .trim_start_matches("one of ")
            .split(", ")
            .map(|name| name.trim().trim_matches('`'))
            .filter(|name| !name.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(rest) = message.strip_prefix("invalid type: ").or_else(|| message.strip_prefix("invalid value: "))
        && let Some((found, expected)) = rest.rsplit_once(", expected ")
    {
        let what = if message.starts_with("invalid type") { "fel sorts värde" } else { "ogiltigt värde" };
        return format!("{what}: {} står där {} förväntades", swedish_found(found), swedish_expected(expected));
    }
    if let Some(rest) = message.strip_prefix("invalid length ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return format!("fel antal värden: {found} där {} förväntades", swedish_expected(expected));
    }
    if let Some(field) = message.strip_prefix("missing field ") {
        return format!("fältet \"{}\" saknas", between(field));
    }
    if let Some(field) = message.strip_prefix("duplicate field ") {
        return format!("fältet \"{}\" står två gånger", between(field));
    }
    for (prefix, what, allowed) in [
        ("unknown field ", "okänt fält", "tillåtna fält är"),
        ("unknown variant ", "okänt värde", "möjliga värden är"),
    ] {
        if let Some(rest) = message.strip_prefix(prefix) {
            return match rest.split_once(", expected ") {
                Some((found, expected)) => format!("{what} \"{}\" – {allowed}: {}", between(found), list(expected)),
                None => {
                    let found = rest.split_once(", ").map_or(rest, |(found, _)| found);
                    format!("{what} \"{}\"", between(found))
                }
            };
        }
    }
    if message.starts_with("data did not match any variant") {
        return "värdet har inte den form som förväntades här".into();
    }
    message.to_owned()
}

/// What serde says a value should be ("u32", "a string", "struct Goal") in Swedish.
fn swedish_expected(expected: &str) -> String {
    let expected = expected.trim();
    if let Some(name) = expected.strip_prefix("struct ") {
        let swedish = swedish_struct_name(name);
        return if swedish == name {
            "en post inom parentes ( … )".into()
        } else {
            format!("{swedish} inom parentes ( … )")
        };
    }
    if expected.starts_with("enum ") || expected.ends_with(" identifier") {
        return "ett av de tillåtna namnen".into();
    }
    // "a tuple of size 2", "tuple of 2 elements", "tuple variant Unit::Scale with 2 elements"
    let size = expected
        .strip_prefix("a tuple of size ")
        .or_else(|| expected.strip_prefix("tuple of ").and_then(|n| n.strip_suffix(" elements")))
        .or_else(|| expected.rsplit_once(" with ").and_then(|(_, n)| n.strip_suffix(" elements")));
    if let Some(size) = size {
        return format!("{size} värden inom parentes ( … )");
    }
    if expected.starts_with("tuple struct ") || expected.starts_with("tuple variant ") {
        return "värden inom parentes ( … )".into();
    }
    if expected.starts_with("struct variant ") {
        return "en post inom parentes ( … )".into();
    }
    match expected {
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => "ett heltal som inte är negativt".into(),
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "ett heltal".into(),
        "f32" | "f64" => "ett tal (med punkt som decimaltecken)".into(),
        "a string" | "a borrowed string" | "string" => "en text inom citattecken \" \"".into(),
        "a boolean" | "bool" => "true eller false".into(),
        "a sequence" => "en lista inom hakparenteser [ … ]".into(),
        "a map" => "en tabell inom klammerparenteser { … }".into(),
        "option" => "ett värde eller None".into(),
        "a character" | "char" => "ett enda tecken".into(),
        "unit" => "()".into(),
        other => other.to_owned(),
    }
}

/// What serde (or ron) says was found instead ("the string \"x\"", "integer `5`") in Swedish.
fn swedish_found(found: &str) -> String {
    let found = found.trim();
    let found = found.strip_prefix("the ").unwrap_or(found);
    let quoted = |prefix: &str| found.strip_prefix(prefix).map(|rest| rest.trim_matches('`').to_owned());
    if let Some(text) = found.strip_prefix("string ") {
        return format!("texten {text}");
    }
    if let Some(number) = quoted("unsigned integer ").or_else(|| quoted("signed integer ")).or_else(|| quoted("integer ")) {
        return format!("heltalet {number}");
    }
    if let Some(number) = quoted("floating point number ").or_else(|| quoted("floating point ")) {
        return format!("talet {number}");
    }
    if let Some(value) = quoted("boolean ") {
        return value;
    }
    if let Some(c) = quoted("UTF-8 character ").or_else(|| quoted("character ")) {
        return format!("tecknet '{c}'");
    }
    if let Some(bytes) = found.strip_prefix("byte string ") {
        return format!("byte-texten {bytes}");
    }
    match found {
        "a unit value" | "unit value" => "ett tomt värde ()".into(),
        "an optional value" | "Option value" => "ett valfritt värde (Some/None)".into(),
        "a sequence" | "sequence" => "en lista [ … ]".into(),
        "a map" | "map" => "en tabell { … }".into(),
        "an enum" | "enum" | "a unit variant" | "unit variant" | "a newtype variant" | "newtype variant"
        | "a tuple variant" | "tuple variant" | "a struct variant" | "struct variant" | "a newtype struct"
        | "newtype struct" => "ett namngivet värde".into(),
        other => other.to_owned(),
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
        budgets: Vec::new(),
        money: Default::default(),
        economy: Vec::new(),
        kolada: Default::default(),
        closed_periods: Vec::new(),
        document: Default::default(),
        conflicts: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peeks_version_after_extension_header() {
        let text = "#![enable(implicit_some)]\n(\n    format_version: 7,\n";
        assert_eq!(peek_format_version(text), VersionPeek::Found(7));
        assert_eq!(peek_format_version("(meta: ())"), VersionPeek::Missing);
        assert!(matches!(peek_format_version("(format_version: 3x"), VersionPeek::Invalid { at: 17, .. }));
        assert!(matches!(peek_format_version("(format_version: 4294967296,"), VersionPeek::Invalid { .. }));
    }

    #[test]
    fn serde_messages_are_put_into_swedish() {
        for (english, swedish) in [
            ("invalid type: string \"x\", expected u32", "fel sorts värde: texten \"x\" står där ett heltal som inte är negativt förväntades"),
            ("invalid value: integer `-1`, expected a sequence", "ogiltigt värde: heltalet -1 står där en lista inom hakparenteser [ … ] förväntades"),
            ("invalid length 1, expected a tuple of size 2", "fel antal värden: 1 där 2 värden inom parentes ( … ) förväntades"),
            ("missing field `title`", "fältet \"title\" saknas"),
            ("unknown field `colour`, expected one of `id`, `title`", "okänt fält \"colour\" – tillåtna fält är: id, title"),
            ("unknown variant `Big`, expected `Small`", "okänt värde \"Big\" – möjliga värden är: Small"),
            ("duplicate field `id`", "fältet \"id\" står två gånger"),
            ("\"x\" för år 2021 är inget tal", "\"x\" för år 2021 är inget tal"),
        ] {
            assert_eq!(swedish_serde_message(english), swedish);
        }
        assert_eq!(swedish_expected("struct Goal"), "ett mål inom parentes ( … )");
        assert_eq!(swedish_expected("tuple variant Unit::Scale with 2 elements"), "2 värden inom parentes ( … )");
        assert_eq!(swedish_found("the floating point number `2.5`"), "talet 2.5");
        assert_eq!(swedish_found("the boolean `true`"), "true");
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
