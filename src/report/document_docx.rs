//! The board's whole document as Word (.docx).

use crate::followup::Selection;
use crate::model::Plan;

pub fn document_docx_bytes(_plan: &Plan, _selection: Selection, _board: Option<&str>) -> Result<(Vec<u8>, usize), String> {
    Err("Word kommer".to_owned())
}
