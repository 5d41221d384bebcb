//! *Lägesbild* in the app: per area each goal with its assessment symbol, trend arrow and short
//! comment, its commitments with status and completion, and indicator rows – the same content
//! as the printed report, from the same `report::overview` data.

use egui::{RichText, Ui};

use crate::command::{Action, ViewCommand};
use crate::economy::figures::EconomyFigures;
use crate::model::ItemId;
use crate::model::GoalLevel;
use crate::outline::NodeRef;
use crate::ui::ctx::ViewCtx;
use crate::ui::symbols;

/// The *Lägesbild* view's own state: the board it is limited to (the PDF uses it too).
#[derive(Debug, Clone, Default)]
pub struct OverviewPanel {
    pub board: Option<String>,
    /// The charts the report and the document print: small (the default), full width or none.
    pub charts: crate::report::chart_pdf::ChartMode,
    /// Closing or reopening the period, waiting for the planner's yes: the decision's date.
    closing: Option<ClosingPrompt>,
    /// The economic follow-ups' figures, for the revision they were computed at.
    economy: Option<(u64, Vec<ItemId>, Vec<std::sync::Arc<EconomyFigures>>)>,
    /// What changed since the shown period was closed, for (revision, period, language): after
    /// a large import that can be thousands of lines, so not remade every frame.
    closed_changes: Option<((u64, ItemId, crate::i18n::Lang), Vec<String>)>,
}

/// The question before a period is closed (with its date) or reopened.
#[derive(Debug, Clone, PartialEq)]
enum ClosingPrompt {
    Close { date: String },
    Reopen,
}

impl OverviewPanel {
    pub fn ui(&mut self, ctx: &mut ViewCtx, ui: &mut Ui) {
        overview_ui(self, ctx, ui);
    }
}

/// "Diagram: små / stora / inga" – what the printed report shows of the indicators' charts.
pub fn charts_selector_ui(ui: &mut Ui, lang: crate::i18n::Lang, charts: &mut crate::report::chart_pdf::ChartMode) {
    use crate::report::chart_pdf::ChartMode;
    let name = |mode: ChartMode| match mode {
        ChartMode::Small => lang.t("små", "small"),
        ChartMode::Full => lang.t("stora", "full width"),
        ChartMode::None => lang.t("inga", "none"),
    };
    let label = ui.label(lang.t("Diagram i utskrift:", "Charts in print:"));
    egui::ComboBox::from_id_salt("report_charts")
        .selected_text(name(*charts))
        .show_ui(ui, |ui| {
            for mode in [ChartMode::Small, ChartMode::Full, ChartMode::None] {
                ui.selectable_value(charts, mode, name(mode));
            }
        })
        .response
        .labelled_by(label.id);
}

/// Closing (fastställa) the period, or – when closed – its date, what changed since, and
/// reopening. Both ask first; both are one undo step.
fn closing_ui(panel: &mut OverviewPanel, ctx: &mut ViewCtx, ui: &mut Ui, period: ItemId) {
    let lang = ctx.lang;
    let name = ctx.plan.period(period).map(|p| p.name.clone()).unwrap_or_default();
    // Only the date: the record itself can be large.
    let record = crate::closing::record(ctx.plan, period).map(|r| r.date.clone());
    ui.horizontal_wrapped(|ui| match (&record, panel.closing.clone()) {
        // Reopened meanwhile (undo): the question no longer applies.
        (None, None | Some(ClosingPrompt::Reopen)) => {
            if ui.button(format!("{} {name}…", lang.t("Fastställ", "Close"))).clicked() {
                panel.closing = Some(ClosingPrompt::Close { date: crate::time::today() });
            }
            ui.label(RichText::new(lang.t("Öppen period: uppföljningen kan ändras.", "Open period: the follow-up can change.")).weak());
        }
        (None, Some(ClosingPrompt::Close { mut date })) => {
            ui.label(format!("{} {name} {}", lang.t("Fastställ", "Close"), lang.t("per", "as of")));
            let changed = ui.add(egui::TextEdit::singleline(&mut date).desired_width(90.0)).changed();
            let valid = jiff::civil::Date::strptime("%Y-%m-%d", &date).is_ok();
            if ui.add_enabled(valid, egui::Button::new(lang.t("Fastställ", "Close"))).clicked() {
                let record = crate::closing::ClosedPeriod::new(period, &date);
                ctx.edit(crate::edit::Edit::Closing { period, record: Some(record) }, None);
                panel.closing = None;
            } else if ui.button(lang.t("Avbryt", "Cancel")).clicked() {
                panel.closing = None;
            } else if changed {
                panel.closing = Some(ClosingPrompt::Close { date });
            }
            if !valid {
                ui.colored_label(ui.visuals().warn_fg_color, lang.t("Datum som ÅÅÅÅ-MM-DD", "Date as YYYY-MM-DD"));
            }
        }
        (Some(date), prompt) => {
            ui.label(RichText::new(format!("{name} {} {date}", lang.t("fastställd", "closed"))).strong());
            if prompt == Some(ClosingPrompt::Reopen) {
                ui.label(lang.t("Öppna perioden igen? Dess uppföljning kan då ändras.", "Reopen the period? Its follow-up can then change."));
                if ui.button(lang.t("Öppna igen", "Reopen")).clicked() {
                    ctx.edit(crate::edit::Edit::Closing { period, record: None }, None);
                    panel.closing = None;
                }
                if ui.button(lang.t("Avbryt", "Cancel")).clicked() {
                    panel.closing = None;
                }
            } else if ui.button(lang.t("Öppna igen…", "Reopen…")).clicked() {
                panel.closing = Some(ClosingPrompt::Reopen);
            }
        }
    });
    if record.is_some() {
        let key = (ctx.revision, period, lang);
        if panel.closed_changes.as_ref().is_none_or(|(cached, _)| *cached != key) {
            panel.closed_changes = Some((key, crate::closing::changes_since(ctx.plan, period, lang)));
        }
        let changes = panel.closed_changes.as_ref().map_or(&[][..], |(_, changes)| changes.as_slice());
        if !changes.is_empty() {
            egui::CollapsingHeader::new(format!("{} ({})", lang.t("Ändrat sedan perioden fastställdes", "Changed since the period was closed"), changes.len()))
                // Stays open when the language changes.
                .id_salt("closed_changes")
                .show(ui, |ui| {
                    // Thousands of lines after a large import: only the visible ones are laid out.
                    egui::ScrollArea::vertical().max_height(240.0).show_rows(ui, ui.text_style_height(&egui::TextStyle::Body), changes.len(), |ui, rows| {
                        for change in &changes[rows] {
                            ui.label(change);
                        }
                    });
                });
        }
    }
}

fn overview_ui(panel: &mut OverviewPanel, ctx: &mut ViewCtx, ui: &mut Ui) {
    let lang = ctx.lang;
    let Some(overview) = ctx.derived.overview else {
        ui.spinner();
        return;
    };
    // Wrapped: the heading, the board, the charts and the exports must fit a narrow window.
    ui.horizontal_wrapped(|ui| {
        ui.heading(format!("{} – {}", lang.t("Lägesbild", "Status overview"), overview.period));
        ui.separator();
        crate::ui::board_selector_ui(ui, lang, ctx.plan, "overview_board", &mut panel.board);
        charts_selector_ui(ui, lang, &mut panel.charts);
        crate::ui::action_button(ctx, ui, Action::ExportReport, Some(lang.t("Exportera PDF…", "Export PDF…")));
        crate::ui::action_button(ctx, ui, Action::Print, None);
    });
    if let Some(period) = ctx.period_id() {
        closing_ui(panel, ctx, ui, period);
    }
    ui.separator();
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        ui.set_max_width(ui.available_width().min(980.0));
        // Long titles and comments wrap instead of running off the edge.
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Wrap);
        for goal in &overview.goals {
            let indent = goal.depth as f32 * 18.0;
            ui.horizontal_top(|ui| {
                ui.add_space(indent);
                symbols::assessment_ui(ui, 16.0, goal.assessment, lang.assessment(goal.assessment));
                match goal.trend {
                    Some(trend) => {
                        symbols::trend_ui(ui, 16.0, trend, lang.trend(trend));
                    }
                    None => {
                        ui.add_space(20.0);
                    }
                }
                let text = RichText::new(&goal.title).strong();
                let text = if goal.depth == 0 { text.size(16.0) } else if goal.level == GoalLevel::BoardGoal { text.size(13.0) } else { text.size(14.0) };
                if ui.add(egui::Label::new(text).sense(egui::Sense::click())).clicked() {
                    ctx.send(ViewCommand::Reveal(NodeRef::Goal(goal.id)));
                }
            });
            let margin = egui::Margin { left: (indent + 44.0).min(120.0) as i8, ..egui::Margin::ZERO };
            egui::Frame::NONE.inner_margin(margin).show(ui, |ui| {
                if !goal.comment.is_empty() {
                    ui.label(RichText::new(&goal.comment).weak());
                }
                for c in &goal.commitments {
                    ui.horizontal_top(|ui| {
                        symbols::commitment_ui(ui, 14.0, c.status, lang.status(c.status));
                        if let Some(p) = c.completion {
                            symbols::completion_ui(ui, 14.0, p, &format!("{p} %"));
                        }
                        ui.label(format!("{} ({})", c.text, c.boards));
                    });
                }
                for note in &goal.economy {
                    let text = if lang == crate::i18n::Lang::Swedish { &note.swedish } else { &note.english };
                    ui.label(RichText::new(format!("{} ({}): {text}", lang.t("Ekonomi", "Economy"), note.board)).strong());
                }
                for i in &goal.indicators {
                    ui.horizontal_top(|ui| {
                        symbols::assessment_ui(ui, 12.0, symbols::indicator_assessment(i.status), lang.indicator_status(i.status));
                        if let Some(trend) = i.trend {
                            symbols::trend_ui(ui, 12.0, trend, lang.trend(trend));
                        }
                        ui.label(format!(
                            "{}: {} {}, {} {}",
                            i.name,
                            lang.t("utfall", "outcome"),
                            i.outcome,
                            lang.t("mål", "target"),
                            i.target
                        ));
                    });
                }
            });
            ui.add_space(6.0);
        }
        // The section *Ekonomisk redovisning*, as the PDF prints it.
        let fresh = panel.economy.as_ref().is_some_and(|(revision, ids, _)| *revision == ctx.revision && *ids == overview.economy);
        if !fresh {
            let figures = overview
                .economy
                .iter()
                .filter_map(|id| ctx.plan.economy.iter().find(|r| r.id == *id))
                .map(|r| std::sync::Arc::new(crate::economy::figures::figures(r, &ctx.plan.money)))
                .collect();
            panel.economy = Some((ctx.revision, overview.economy.clone(), figures));
        }
        let Some((_, _, all_figures)) = &panel.economy else { return };
        for figures in all_figures {
            let Some(report) = ctx.plan.economy.iter().find(|r| r.id == figures.report) else { continue };
            crate::ui::economy_view::report_ui(ctx, ui, report, figures);
        }
    });
}
