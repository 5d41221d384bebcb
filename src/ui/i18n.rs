//! The interface language; it lives in [`crate::i18n`] (no egui), so the non-GUI logic can
//! give its texts in either language too.

pub use crate::i18n::*;
