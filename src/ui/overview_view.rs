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
    /// The economic follow-ups' figures, for the revision they were computed at.
    economy: Option<(u64, Vec<ItemId>, Vec<std::sync::Arc<EconomyFigures>>)>,
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

fn overview_ui(panel: &mut OverviewPanel, ctx: &mut ViewCtx, ui: &mut Ui) {
    let lang = ctx.lang;
    let Some(overview) = ctx.derived.overview else {
        ui.spinner();
        return;
    };
    ui.horizontal(|ui| {
        ui.heading(format!("{} – {}", lang.t("Lägesbild", "Status overview"), overview.period));
        ui.separator();
        crate::ui::board_selector_ui(ui, lang, ctx.plan, "overview_board", &mut panel.board);
        charts_selector_ui(ui, lang, &mut panel.charts);
        crate::ui::action_button(ctx, ui, Action::ExportReport, Some(lang.t("Exportera PDF…", "Export PDF…")));
        crate::ui::action_button(ctx, ui, Action::Print, None);
    });
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
