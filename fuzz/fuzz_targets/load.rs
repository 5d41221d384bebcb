//! Any bytes given to the plan loader give a plan or an error – never a panic, hang or blow-up.
//! A plan that loads must also validate, save and load back equal.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(plan) = malplan::storage::parse_bytes(data, "fuzz.ron") {
        let _ = malplan::validate::validate(&plan);
        let _ = malplan::followup::compute(&plan, malplan::followup::Selection::Year(plan.meta.last_year));
        if let Ok(text) = malplan::storage::to_ron_string(&plan) {
            let again = malplan::storage::parse_str(&text, "again.ron").expect("saved plans load");
            // NaN never equals itself; compare the saved text instead.
            assert_eq!(malplan::storage::to_ron_string(&again).ok(), Some(text));
        }
    }
});
