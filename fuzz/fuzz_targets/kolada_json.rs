//! Any bytes as a saved Kolada page give an error or an honest preview against a plan with
//! Kolada ids; accepting it is one edit that one undo takes back (see `../checks.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| {
    checks::kolada_json(data);
});
