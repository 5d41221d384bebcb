//! Everything written out of a plan for people or scripts: the status listing (table, CSV,
//! JSON) and, later, the PDF report. Takes the model plus follow-up results, like the UI.

pub mod status;
