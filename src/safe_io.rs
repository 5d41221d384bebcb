//! The one guarded way Målplan reads a file the planner chose (a plan, a recovery copy, a
//! Kolada page, a CSV or a workbook): only regular files, never more than a size cap (also
//! when the file grows while it is read), and for zip-based workbooks (.xlsx, .ods) a cap on
//! what they unpack to – checked in the zip's central directory before anything is unpacked.
//! A device, a FIFO or a zip bomb is refused at once with a message naming the file.

use std::fmt;
use std::fs;
use std::io::{self, Read};
use std::path::Path;

const MB: u64 = 1024 * 1024;

/// How much a read may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Larger files are refused (before reading when the size is known up front).
    pub max_bytes: u64,
    /// A zip-based workbook may unpack to at most this many bytes in all.
    pub max_unpacked_bytes: u64,
}

impl Limits {
    /// Plan files: the largest municipality's plan is far below this.
    pub const PLAN: Limits = Limits { max_bytes: 256 * MB, max_unpacked_bytes: 256 * MB };
    /// Imported data (Kolada JSON, CSV, .xlsx/.xls/.ods): real files are a few MB.
    pub const IMPORT: Limits = Limits { max_bytes: 64 * MB, max_unpacked_bytes: 256 * MB };
    /// Small bookkeeping files (the recovery copy's description).
    pub const SMALL: Limits = Limits { max_bytes: MB, max_unpacked_bytes: MB };
}

/// One entry unpacking to more than this many times its packed size, and to more than
/// `RATIO_FLOOR_BYTES`, is taken for a zip bomb (real workbooks pack XML about 5–20:1).
pub const MAX_RATIO: u64 = 200;
pub const RATIO_FLOOR_BYTES: u64 = 10 * MB;

/// Why a file was not read. `Display` names the file; [`ReadError::reason`] is the same
/// without the name, for messages that name the file already.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// The file system refused (missing file, no permission, …).
    Io { path: String, message: String },
    /// A device, FIFO, socket or folder: reading it could hang or never end.
    NotAFile { path: String, kind: &'static str },
    TooLarge { path: String, size_mb: u64, limit_mb: u64 },
    /// A zip-based file whose entries together unpack to more than the limit.
    UnpacksTooLarge { path: String, unpacked_mb: u64, limit_mb: u64 },
    /// One zip entry packed absurdly well: a zip bomb.
    PackedTooTightly { path: String, entry: String, unpacked_mb: u64, ratio: u64 },
}

impl ReadError {
    pub fn path(&self) -> &str {
        match self {
            ReadError::Io { path, .. }
            | ReadError::NotAFile { path, .. }
            | ReadError::TooLarge { path, .. }
            | ReadError::UnpacksTooLarge { path, .. }
            | ReadError::PackedTooTightly { path, .. } => path,
        }
    }

    /// The message without the file's name, for messages that name it already.
    pub fn reason(&self) -> String {
        match self {
            ReadError::Io { message, .. } => message.clone(),
            _ => self.describe("filen"),
        }
    }

    fn describe(&self, subject: &str) -> String {
        match self {
            ReadError::Io { message, .. } => format!("{subject}: kan inte läsa filen: {message}"),
            ReadError::NotAFile { kind, .. } => {
                format!("{subject} är ingen vanlig fil ({kind}) och läses inte – välj en sparad fil")
            }
            ReadError::TooLarge { limit_mb, .. } => {
                format!("{subject} är större än {limit_mb} MB och läses inte")
            }
            ReadError::UnpacksTooLarge { unpacked_mb, limit_mb, .. } => format!(
                "{subject} packas upp till mer än {limit_mb} MB ({unpacked_mb} MB) och läses inte – är det verkligen ett kalkylblad?"
            ),
            ReadError::PackedTooTightly { entry, unpacked_mb, ratio, .. } => format!(
                "{subject} packas upp till mer än {ratio} gånger sin storlek (delen \"{entry}\" blir {unpacked_mb} MB) och läses inte – filen liknar en zip-bomb"
            ),
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(self.path()))
    }
}

impl std::error::Error for ReadError {}

/// Reads a whole file, refusing anything that is not a regular file or is larger than
/// `limits.max_bytes`.
pub fn read_file(path: &Path, limits: Limits) -> Result<Vec<u8>, ReadError> {
    let shown = path.display().to_string();
    let io_error = |e: io::Error| ReadError::Io { path: shown.clone(), message: describe_io_error(&e) };
    let too_large = |size: u64| ReadError::TooLarge {
        path: shown.clone(),
        size_mb: size.div_ceil(MB),
        limit_mb: limits.max_bytes.div_ceil(MB),
    };
    // Checked before opening: opening a FIFO for reading blocks until a writer comes.
    let metadata = fs::metadata(path).map_err(io_error)?;
    if let Some(kind) = not_a_file(&metadata) {
        return Err(ReadError::NotAFile { path: shown, kind });
    }
    if metadata.len() > limits.max_bytes {
        return Err(too_large(metadata.len()));
    }
    let file = fs::File::open(path).map_err(io_error)?;
    // The path may have been swapped between the check and the open; check what was opened.
    let opened = file.metadata().map_err(io_error)?;
    if let Some(kind) = not_a_file(&opened) {
        return Err(ReadError::NotAFile { path: shown, kind });
    }
    // At most one byte past the cap, so a file growing while it is read stays bounded.
    let capacity = usize::try_from(opened.len().min(limits.max_bytes)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    file.take(limits.max_bytes.saturating_add(1)).read_to_end(&mut bytes).map_err(io_error)?;
    if bytes.len() as u64 > limits.max_bytes {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// What a non-regular file is, in words; `None` for a regular file.
fn not_a_file(metadata: &fs::Metadata) -> Option<&'static str> {
    let file_type = metadata.file_type();
    if file_type.is_file() {
        return None;
    }
    if file_type.is_dir() {
        return Some("en mapp");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("en FIFO-pipe");
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return Some("en enhet");
        }
        if file_type.is_socket() {
            return Some("en socket");
        }
    }
    Some("en särskild fil")
}

/// Refuses a zip-based file (.xlsx, .ods, …) that would unpack to more than
/// `limits.max_unpacked_bytes`, or with an entry packed more than [`MAX_RATIO`]:1 (and larger
/// than [`RATIO_FLOOR_BYTES`]). Reads only the central directory. Bytes that are no zip pass:
/// the workbook reader reports them. The sizes declared there are what the `zip` crate (which
/// calamine unpacks with) holds each entry to, so a lying directory cannot unpack more.
pub fn check_zip(bytes: &[u8], shown: &str, limits: Limits) -> Result<(), ReadError> {
    let Ok(archive) = zip::ZipArchive::new(io::Cursor::new(bytes)) else {
        return Ok(());
    };
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let Ok(entry) = archive.by_index_data(index) else { continue };
        let (size, packed) = (entry.size(), entry.compressed_size());
        total = total.saturating_add(size);
        if size > RATIO_FLOOR_BYTES && size / packed.max(1) > MAX_RATIO {
            let entry = entry.name().map(|n| n.into_owned()).unwrap_or_else(|_| format!("nr {}", index + 1));
            return Err(ReadError::PackedTooTightly {
                path: shown.to_owned(),
                entry,
                unpacked_mb: size.div_ceil(MB),
                ratio: MAX_RATIO,
            });
        }
    }
    if total > limits.max_unpacked_bytes {
        return Err(ReadError::UnpacksTooLarge {
            path: shown.to_owned(),
            unpacked_mb: total.div_ceil(MB),
            limit_mb: limits.max_unpacked_bytes.div_ceil(MB),
        });
    }
    Ok(())
}

/// An I/O error in words a planner understands.
pub fn describe_io_error(e: &io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "filen eller mappen finns inte".to_owned(),
        ErrorKind::PermissionDenied => "behörighet saknas (skrivskyddad fil eller mapp?)".to_owned(),
        ErrorKind::StorageFull => "disken är full".to_owned(),
        ErrorKind::ReadOnlyFilesystem => "platsen är skrivskyddad".to_owned(),
        ErrorKind::IsADirectory => "det är en mapp, inte en fil".to_owned(),
        ErrorKind::NotADirectory => "en del av sökvägen är ingen mapp".to_owned(),
        ErrorKind::InvalidFilename => "ogiltigt filnamn".to_owned(),
        ErrorKind::FileTooLarge => "filen blir för stor för filsystemet".to_owned(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_is_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let error = read_file(dir.path(), Limits::IMPORT).unwrap_err();
        assert!(matches!(error, ReadError::NotAFile { kind: "en mapp", .. }), "{error:?}");
        assert!(error.to_string().contains("är ingen vanlig fil"), "{error}");
    }

    #[test]
    fn the_cap_holds_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.json");
        fs::write(&file, [b'x'; 10]).unwrap();
        let limits = Limits { max_bytes: 10, max_unpacked_bytes: 10 };
        assert_eq!(read_file(&file, limits).unwrap().len(), 10);
        let error = read_file(&file, Limits { max_bytes: 9, ..limits }).unwrap_err();
        assert!(matches!(error, ReadError::TooLarge { .. }), "{error:?}");
    }

    #[test]
    fn bytes_that_are_no_zip_pass_the_zip_check() {
        assert_eq!(check_zip(b"Id;Serie\r\n", "a.csv", Limits::IMPORT), Ok(()));
        assert_eq!(check_zip(b"PK\x03\x04 not really a zip", "a.xlsx", Limits::IMPORT), Ok(()));
    }
}
