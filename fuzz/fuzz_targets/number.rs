//! Any text typed into a number cell parses to a finite number, nothing, or an error; a parsed
//! number formatted for editing parses back to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use malplan::followup::number::{format_for_editing, parse_value};
use malplan::model::Unit;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for unit in [Unit::Percent, Unit::Ratio, Unit::Count] {
        if let Ok(Some(value)) = parse_value(text, &unit) {
            assert!(value.is_finite());
            let shown = format_for_editing(value, &unit, 1);
            let back = parse_value(&shown, &unit).expect("formatted values parse").expect("a value");
            assert!((back - value).abs() <= 1e-6 * value.abs().max(1.0), "{text:?} → {value} → {shown:?} → {back}");
        }
    }
});
