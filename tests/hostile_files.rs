//! Files that are no plan and no spreadsheet: devices, FIFOs, zip bombs, huge sparse files.
//! Every reader (plan, recovery copy, Kolada JSON, CSV, workbook) refuses them quickly, with a
//! message naming the file, without hanging or filling the memory.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use malplan::exchange::{kolada, sheet};
use malplan::recovery::{DiskStamp, RecoveryStore};
use malplan::storage;

/// Runs `read` on a thread and fails the test when it takes a second or more (a read that
/// hangs on a FIFO would otherwise hang the test run).
fn within_a_second<T: Send + 'static>(what: &str, read: impl FnOnce() -> T + Send + 'static) -> T {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(read());
    });
    receive
        .recv_timeout(Duration::from_secs(1))
        .unwrap_or_else(|_| panic!("{what}: not refused within a second"))
}

/// Every reader of a file the planner can choose, each giving its message.
fn read_everywhere(path: &Path) -> Vec<(String, Result<(), String>)> {
    let path = path.to_path_buf();
    let mut results = Vec::new();
    let p = path.clone();
    let plan = within_a_second("storage::load", move || storage::load(&p).map(|_| ()).map_err(|e| e.to_string()));
    results.push(("storage::load".to_owned(), plan));
    let p = path.clone();
    let kolada = within_a_second("kolada::read_files", move || kolada::read_files(&[p]).map(|_| ()));
    results.push(("kolada::read_files".to_owned(), kolada));
    let p = path.clone();
    let sheet = within_a_second("sheet::read_file", move || sheet::read_file(&p).map(|_| ()).map_err(|e| e.to_string()));
    results.push(("sheet::read_file".to_owned(), sheet));
    results
}

#[cfg(unix)]
#[test]
fn a_device_is_refused_at_once() {
    for (reader, result) in read_everywhere(Path::new("/dev/zero")) {
        let error = result.expect_err(&reader);
        assert!(error.contains("är ingen vanlig fil (en enhet)"), "{reader}: {error}");
        assert!(error.contains("/dev/zero"), "names the file – {reader}: {error}");
    }
    assert_eq!(within_a_second("DiskStamp", || DiskStamp::of(Path::new("/dev/zero"))), None);
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo").arg(path).status().expect("mkfifo runs");
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_without_hanging() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["plan.ron", "sida.json", "värden.csv", "värden.xlsx"] {
        let fifo = dir.path().join(name);
        mkfifo(&fifo);
        for (reader, result) in read_everywhere(&fifo) {
            let error = result.expect_err(&reader);
            assert!(error.contains("är ingen vanlig fil"), "{reader}: {error}");
            assert!(error.contains(name), "names the file – {reader}: {error}");
        }
        let stamp_of = fifo.clone();
        assert_eq!(within_a_second("DiskStamp", move || DiskStamp::of(&stamp_of)), None);
    }
}

#[cfg(unix)]
#[test]
fn recovery_copies_are_read_through_the_guard() {
    let dir = tempfile::tempdir().unwrap();
    let store = RecoveryStore::new(dir.path().to_path_buf());
    let plan = malplan::model::Plan::new("Askersunds kommun", "Nämndmål 2025", 2025, 2025);
    store.write(&plan, None, 1_000).unwrap();
    // A FIFO where a recovery description would be: listing must not hang on it.
    mkfifo(&dir.path().join("plan-ffffffffffffffff.json"));
    let listing = store.clone();
    let found = within_a_second("RecoveryStore::list", move || listing.list());
    assert_eq!(found.len(), 1, "the real copy is still found: {found:?}");
    // The copy itself replaced by a FIFO: loading it is refused, not stuck.
    let copy = found[0].clone();
    fs::remove_file(&copy.plan_file).unwrap();
    mkfifo(&copy.plan_file);
    let error = within_a_second("RecoveryStore::load", move || store.load(&copy)).unwrap_err();
    assert!(error.to_string().contains("är ingen vanlig fil"), "{error}");
}

#[test]
fn a_huge_sparse_file_is_refused_by_its_size() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["stor.csv", "stor.json", "stor.xlsx", "stor.ron"] {
        let path = dir.path().join(name);
        // 300 MB that take no disk space.
        fs::File::create(&path).unwrap().set_len(300 * 1024 * 1024).unwrap();
        for (reader, result) in read_everywhere(&path) {
            let error = result.expect_err(&reader);
            if reader == "storage::load" {
                assert!(error.contains("för stor (300 MB; högst 256 MB"), "{reader}: {error}");
            } else {
                assert!(error.contains("är större än 64 MB"), "{reader}: {error}");
            }
            assert!(error.contains(name), "names the file – {reader}: {error}");
        }
    }
}

/// Writes a workbook whose parts are given as (name, text before, filler length, text after),
/// the filler streamed as '0's so a gigabyte needs no gigabyte of memory.
fn write_zip(path: &Path, level: i64, parts: &[(&str, &str, u64, &str)]) {
    use zip::write::SimpleFileOptions;
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(level));
    let mut zip = zip::ZipWriter::new(fs::File::create(path).unwrap());
    let chunk = vec![b'0'; 1024 * 1024];
    for (name, before, filler, after) in parts {
        zip.start_file(*name, options).unwrap();
        zip.write_all(before.as_bytes()).unwrap();
        let mut left = *filler;
        while left > 0 {
            let n = left.min(chunk.len() as u64) as usize;
            zip.write_all(&chunk[..n]).unwrap();
            left -= n as u64;
        }
        zip.write_all(after.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Indikatorer" sheetId="1" r:id="rId1"/></sheets></workbook>"#;

/// Peak memory of this process so far (Linux), in MB.
fn peak_memory_mb() -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

#[test]
fn a_zip_bomb_workbook_is_refused_before_unpacking() {
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("bomb.xlsx");
    // One shared string of a gigabyte of zeros: about a megabyte packed.
    write_zip(
        &path,
        1,
        &[
            ("[Content_Types].xml", CONTENT_TYPES, 0, ""),
            ("xl/workbook.xml", WORKBOOK, 0, ""),
            ("xl/sharedStrings.xml", r#"<?xml version="1.0"?><sst><si><t>"#, 1 << 30, "</t></si></sst>"),
        ],
    );
    assert!(fs::metadata(&path).unwrap().len() < 16 * 1024 * 1024);
    let bomb = path.clone();
    let error = within_a_second("sheet::read_file", move || sheet::read_file(&bomb)).unwrap_err().to_string();
    assert!(error.contains("bomb.xlsx"), "{error}");
    assert!(error.contains("packas upp till mer än"), "{error}");
    // The bytes straight to the workbook reader are checked too.
    let bytes = fs::read(&path).unwrap();
    let error = sheet::read_workbook(&bytes, "bomb.xlsx").unwrap_err().to_string();
    assert!(error.contains("packas upp till mer än"), "{error}");
    if let Some(peak) = peak_memory_mb() {
        assert!(peak < 512, "peak memory {peak} MB: the bomb was unpacked");
    }
}

#[test]
fn an_entry_packed_absurdly_tightly_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tät.ods");
    // 20 MB of zeros in one part: below the total cap, but packed about 1000:1.
    write_zip(&path, 9, &[("mimetype", "application/vnd.oasis.opendocument.spreadsheet", 0, ""), ("content.xml", "<a>", 20 << 20, "</a>")]);
    let error = sheet::read_file(&path).unwrap_err().to_string();
    assert!(error.contains("tät.ods"), "{error}");
    assert!(error.contains("packas upp till mer än 200 gånger"), "{error}");
    assert!(error.contains("content.xml"), "{error}");
}

#[test]
fn real_exports_still_read() {
    let plan = malplan::examples::default_plan();
    let dir = tempfile::tempdir().unwrap();
    for name in ["värden.xlsx", "värden.csv"] {
        let path = dir.path().join(name);
        malplan::exchange::write_sheet(&plan, &path).unwrap();
        let read = sheet::read_file(&path).unwrap();
        assert!(read.rows.len() > 1, "{name}");
    }
}
