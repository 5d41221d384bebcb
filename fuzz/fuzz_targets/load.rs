//! Any bytes given to the plan loader give a plan or an error – never a panic, hang or blow-up.
//! A plan that loads must also validate, save (a plan that loads but cannot be saved is a
//! failure) and load back to the same saved text (see `../checks.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
mod checks;

fuzz_target!(|data: &[u8]| {
    checks::load(data, "fuzz.ron");
});
