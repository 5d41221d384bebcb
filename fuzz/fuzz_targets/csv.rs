//! Any bytes as a CSV sheet give an error or an honest preview against a sample plan;
//! accepting it is one edit that one undo takes back (see `../checks.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| {
    checks::csv(data);
});
