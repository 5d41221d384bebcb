//! Everything written out of a plan for people or scripts: the status listing (table, CSV,
//! JSON), the *Lägesbild* overview and its printable PDF. Takes the model plus follow-up
//! results, like the UI.

pub mod overview;
pub mod pdf;
pub mod budget;
pub mod budget_pdf;
pub mod chart_pdf;
pub mod document_docx;
pub mod document_pdf;
pub mod economy_pdf;
pub mod status;

use std::path::Path;

use crate::followup::{self, Selection};
use crate::model::Plan;

/// Writes the PDF report for `selection` (and optionally one board) to `out`, atomically.
/// Returns the number of pages.
pub fn write_report(plan: &Plan, selection: Selection, board: Option<&str>, out: &Path) -> Result<usize, String> {
    write_report_with(plan, selection, board, chart_pdf::ChartMode::Small, out)
}

/// [`write_report`] with the charts as `charts` says.
pub fn write_report_with(plan: &Plan, selection: Selection, board: Option<&str>, charts: chart_pdf::ChartMode, out: &Path) -> Result<usize, String> {
    let (bytes, pages) = report_pdf_bytes_with(plan, selection, board, charts)?;
    crate::storage::write_atomically(out, &bytes).map_err(|e| e.to_string())?;
    Ok(pages)
}

/// The PDF report for `selection` (and optionally one board) and its number of pages, with
/// small charts beside each goal's indicators.
pub fn report_pdf_bytes(plan: &Plan, selection: Selection, board: Option<&str>) -> Result<(Vec<u8>, usize), String> {
    report_pdf_bytes_with(plan, selection, board, chart_pdf::ChartMode::Small)
}

/// The plan a closed period saw, when `selection` is a closed period.
pub fn as_selected(plan: &Plan, selection: Selection) -> Option<Plan> {
    match selection {
        Selection::Period(id) => crate::closing::as_closed(plan, id),
        Selection::Year(_) => None,
    }
}

/// The year a selection follows up (the charts mark it).
fn selected_year(plan: &Plan, selection: Selection) -> Option<i32> {
    match selection {
        Selection::Period(id) => plan.period(id).map(|p| p.year),
        Selection::Year(year) => Some(year),
    }
}

/// What the Lägesbild and the whole document print, built once from the plan.
struct Sections<'a> {
    overview: overview::Overview,
    budget: budget_pdf::BudgetSection<'a>,
    economy: economy_pdf::EconomySection<'a>,
    charts: chart_pdf::ChartSection,
}

fn sections<'a>(plan: &'a Plan, selection: Selection, board: Option<&str>, charts: chart_pdf::ChartMode) -> Sections<'a> {
    let follow_up = followup::compute(plan, selection);
    let with_charts = charts != chart_pdf::ChartMode::None;
    let period = match selection {
        Selection::Period(id) => Some(id),
        Selection::Year(_) => None,
    };
    let mut economy = economy_pdf::EconomySection::new(plan, period, board);
    if with_charts {
        economy = economy.with_charts(plan);
    }
    Sections {
        overview: overview::build(plan, &follow_up, board),
        budget: budget_pdf::BudgetSection::new(plan, board).with_charts(with_charts),
        economy,
        charts: chart_pdf::ChartSection::new(plan, charts, selected_year(plan, selection)),
    }
}

/// [`report_pdf_bytes`] with the charts as `charts` says.
pub fn report_pdf_bytes_with(plan: &Plan, selection: Selection, board: Option<&str>, charts: chart_pdf::ChartMode) -> Result<(Vec<u8>, usize), String> {
    // A closed period prints the values it was closed with.
    let closed = as_selected(plan, selection);
    let plan = closed.as_ref().unwrap_or(plan);
    let Sections { overview, budget, economy, charts } = sections(plan, selection, board, charts);
    pdf::report_pdf_charts(&overview, &economy, &budget, &charts, &crate::time::today()).map_err(|e| e.to_string())
}

/// Builds the document's inputs for `selection` (and optionally one board) and hands them to
/// `write`: the PDF and the Word file are made from the same.
fn with_document<R>(
    plan: &Plan,
    selection: Selection,
    board: Option<&str>,
    charts: chart_pdf::ChartMode,
    write: impl FnOnce(&document_pdf::DocumentInputs<'_>) -> R,
) -> R {
    let closed = as_selected(plan, selection);
    let plan = closed.as_ref().unwrap_or(plan);
    let Sections { overview, budget, economy, charts } = sections(plan, selection, board, charts);
    let mut document = plan.document.clone();
    if document.parts.is_empty() {
        document.parts = crate::document::BoardDocument::default_parts(plan.next_id().0, !economy.reports.is_empty(), !budget.is_empty());
    }
    let title = if document.title.trim().is_empty() { plan.meta.title.clone() } else { document.title.clone() };
    write(&document_pdf::DocumentInputs { document: &document, title, overview: &overview, economy: &economy, budget: &budget, charts: &charts })
}

/// The board's whole document as PDF (see `document_pdf`): its bytes, number of pages,
/// headings, and whether it is PDF/UA-1. A plan without document parts prints the
/// Lägesbild's parts under its title.
pub fn document_pdf_bytes(
    plan: &Plan,
    selection: Selection,
    board: Option<&str>,
) -> Result<(Vec<u8>, usize, Vec<pdf::LaidHeading>, bool), String> {
    document_pdf_bytes_with(plan, selection, board, chart_pdf::ChartMode::Small)
}

/// [`document_pdf_bytes`] with the charts as `charts` says.
pub fn document_pdf_bytes_with(
    plan: &Plan,
    selection: Selection,
    board: Option<&str>,
    charts: chart_pdf::ChartMode,
) -> Result<(Vec<u8>, usize, Vec<pdf::LaidHeading>, bool), String> {
    with_document(plan, selection, board, charts, |inputs| document_pdf::document_pdf(inputs, &crate::time::today()).map_err(|e| e.to_string()))
}

/// The board's whole document as Word: the bytes and the number of parts.
pub fn document_docx_bytes(plan: &Plan, selection: Selection, board: Option<&str>) -> Result<(Vec<u8>, usize), String> {
    with_document(plan, selection, board, chart_pdf::ChartMode::Small, document_docx::document_docx)
}

/// Writes the whole document as PDF to `out`, atomically; returns the number of pages.
pub fn write_document(plan: &Plan, selection: Selection, board: Option<&str>, charts: chart_pdf::ChartMode, out: &Path) -> Result<usize, String> {
    let (bytes, pages, _, _) = document_pdf_bytes_with(plan, selection, board, charts)?;
    crate::storage::write_atomically(out, &bytes).map_err(|e| e.to_string())?;
    Ok(pages)
}

/// Writes the whole document as Word (.docx) to `out`, atomically; returns the number of parts.
pub fn write_document_docx(plan: &Plan, selection: Selection, board: Option<&str>, out: &Path) -> Result<usize, String> {
    let (bytes, parts) = document_docx_bytes(plan, selection, board)?;
    crate::storage::write_atomically(out, &bytes).map_err(|e| e.to_string())?;
    Ok(parts)
}
