//! Any bytes as a workbook (.xlsx, .xls, .ods – calamine guesses) go through the zip-bomb
//! check and give an error or an honest preview against a sample plan; accepting it is one
//! edit that one undo takes back (see `../checks.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| {
    // `read_workbook` catches a panic inside calamine (a cell reference like "A99999999999"
    // overflows its arithmetic where overflow is checked, as here) and reports the file as
    // damaged, as the app does. libFuzzer's panic hook aborts at any panic, even a caught
    // one, so it is replaced by a one-line message; a panic that escapes is still a crash
    // (libfuzzer-sys aborts when the target unwinds).
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| std::panic::set_hook(Box::new(|info| eprintln!("panic (caught or crash): {info}"))));
    checks::xlsx(data);
});
