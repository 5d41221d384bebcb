//! Any bytes as an SIE ledger file give an error with line and column, or an honest preview of
//! outcomes to date against the KS sample with accounts; accepting it is one edit that one undo
//! takes back (see `../checks.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| {
    checks::sie(data);
});
