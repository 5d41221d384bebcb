//! The whole plan's indicators in one sortable, filterable table. Rows are virtualized
//! (`TableBody::rows`), and the sorted, filtered order is cached until the plan, the period,
//! the sort or the filter changes – a frame costs the same for 30 indicators or 30 000.

use std::cmp::Ordering;

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::command::ViewCommand;
use crate::followup::number::format_value;
use crate::followup::{FollowUp, IndicatorStatus};
use crate::model::{ItemId, Plan};
use crate::outline::NodeRef;
use crate::ui::ctx::ViewCtx;
use crate::ui::symbols;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SortColumn {
    #[default]
    Plan,
    Name,
    Goal,
    Status,
    Trend,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ListState {
    pub sort: SortColumn,
    pub descending: bool,
    pub filter: String,
}

fn status_rank(status: IndicatorStatus) -> u8 {
    match status {
        IndicatorStatus::NotAchieved => 0,
        IndicatorStatus::Partly => 1,
        IndicatorStatus::Achieved => 2,
        IndicatorStatus::NoData => 3,
    }
}

/// Indices of the indicators to show, filtered and sorted. Pure: tested directly.
pub fn ordered_rows(plan: &Plan, follow_up: &FollowUp, state: &ListState) -> Vec<usize> {
    let needle = state.filter.trim().to_lowercase();
    // Looked up by id for every indicator: through a map, not a scan of every goal.
    let goal_titles: std::collections::HashMap<ItemId, &str> = plan.goals.iter().map(|g| (g.id, g.title.as_str())).collect();
    let goal_title = |id: ItemId| goal_titles.get(&id).copied().unwrap_or("");
    let mut rows: Vec<usize> = (0..plan.indicators.len())
        .filter(|&i| {
            let ind = &plan.indicators[i];
            needle.is_empty()
                || ind.name.to_lowercase().contains(&needle)
                || ind.code.to_lowercase().contains(&needle)
                || goal_title(ind.goal).to_lowercase().contains(&needle)
        })
        .collect();
    let status = |i: usize| follow_up.indicators.get(i).map_or(IndicatorStatus::NoData, |r| r.status());
    let trend = |i: usize| {
        follow_up
            .indicators
            .get(i)
            .and_then(|r| r.main.as_ref())
            .and_then(|m| m.trend)
            .map_or(3, |t| t.trend as u8)
    };
    match state.sort {
        SortColumn::Plan => {}
        SortColumn::Name => rows.sort_by_cached_key(|&i| plan.indicators[i].name.to_lowercase()),
        SortColumn::Goal => rows.sort_by_cached_key(|&i| goal_title(plan.indicators[i].goal).to_lowercase()),
        SortColumn::Status => rows.sort_by(|&a, &b| status_rank(status(a)).cmp(&status_rank(status(b))).then(a.cmp(&b))),
        SortColumn::Trend => rows.sort_by(|&a, &b| trend(a).cmp(&trend(b)).then(Ordering::Equal)),
    }
    if state.descending {
        rows.reverse();
    }
    rows
}

/// The list view's own state: sort and filter (the order itself is derived data).
#[derive(Debug, Clone, Default)]
pub struct IndicatorList {
    pub state: ListState,
}

impl IndicatorList {
    pub fn ui(&mut self, ctx: &mut ViewCtx, ui: &mut Ui) {
        indicator_list_ui(&mut self.state, ctx, ui);
    }
}

fn indicator_list_ui(state: &mut ListState, ctx: &mut ViewCtx, ui: &mut Ui) {
    let lang = ctx.lang;
    let follow_up = ctx.follow_up();
    let plan = ctx.plan;
    ui.horizontal(|ui| {
        ui.heading(lang.t("Alla indikatorer", "All indicators"));
        ui.separator();
        let label = ui.label(lang.t("Filter:", "Filter:"));
        ui.add(
            egui::TextEdit::singleline(&mut state.filter)
                .id_salt("indicator_list_filter")
                .hint_text(lang.t("namn, beteckning eller mål", "name, code or goal")),
        )
        .labelled_by(label.id);
    });
    let rows = ctx.derived.list_rows;
    ui.horizontal(|ui| {
        ui.label(format!("{} {}", rows.len(), lang.t("indikatorer", "indicators")));
        if state.sort != SortColumn::Plan && ui.button(lang.t("Planens ordning", "Plan order")).clicked() {
            state.sort = SortColumn::Plan;
            state.descending = false;
        }
    });

    let header = |state: &mut ListState, ui: &mut Ui, column: SortColumn, text: &str| {
        let active = state.sort == column;
        let text = if active { format!("{text} {}", if state.descending { "v" } else { "^" }) } else { text.to_owned() };
        if ui.button(RichText::new(text).strong()).clicked() {
            if active {
                state.descending = !state.descending;
            } else {
                state.sort = column;
                state.descending = false;
            }
        }
    };
    TableBuilder::new(ui)
        .id_salt("indicator_list")
        .striped(true)
        .column(Column::exact(22.0))
        .column(Column::initial(280.0).at_least(140.0).clip(true))
        .column(Column::initial(160.0).at_least(80.0).clip(true))
        .column(Column::initial(90.0).clip(true))
        .column(Column::initial(110.0).clip(true))
        .column(Column::initial(110.0).clip(true))
        .column(Column::remainder().at_least(50.0))
        .header(24.0, |mut row| {
            row.col(|_| {});
            row.col(|ui| header(state, ui, SortColumn::Name, lang.t("Indikator", "Indicator")));
            row.col(|ui| header(state, ui, SortColumn::Goal, lang.t("Mål", "Goal")));
            row.col(|ui| {
                ui.strong(lang.t("Utfall", "Outcome"));
            });
            row.col(|ui| {
                ui.strong(lang.t("Målvärde", "Target"));
            });
            row.col(|ui| header(state, ui, SortColumn::Status, lang.t("Status", "Status")));
            row.col(|ui| header(state, ui, SortColumn::Trend, lang.t("Trend", "Trend")));
        })
        .body(|body| {
            body.rows(22.0, rows.len(), |mut row| {
                let i = rows[row.index()];
                let Some(indicator) = plan.indicators.get(i) else { return };
                let id = indicator.id;
                let result = follow_up.indicators.get(i);
                let main = result.and_then(|r| r.main.as_ref());
                let status = result.map_or(IndicatorStatus::NoData, |r| r.status());
                let fmt = |v: Option<f64>| v.map_or("–".to_owned(), |v| format_value(v, &indicator.unit, indicator.decimals));
                let name = crate::outline::node_text(plan, NodeRef::Indicator(id));
                let goal = plan.goal(indicator.goal).map_or(String::new(), |g| g.title.clone());
                let outcome = fmt(main.and_then(|m| m.outcome));
                let target = fmt(main.and_then(|m| m.target.map(|t| t.value)));
                let trend = main.and_then(|m| m.trend).map(|t| t.trend);
                row.col(|ui| {
                    symbols::assessment_ui(ui, 12.0, symbols::indicator_assessment(status), lang.indicator_status(status));
                });
                row.col(|ui| {
                    if ui.add(egui::Button::new(name).frame(false).truncate()).clicked() {
                        ctx.send(ViewCommand::Reveal(NodeRef::Indicator(id)));
                    }
                });
                row.col(|ui| {
                    ui.add(egui::Label::new(goal).truncate());
                });
                row.col(|ui| {
                    ui.add(egui::Label::new(outcome).truncate());
                });
                row.col(|ui| {
                    ui.add(egui::Label::new(target).truncate());
                });
                row.col(|ui| {
                    ui.add(egui::Label::new(lang.indicator_status(status)).truncate());
                });
                row.col(|ui| {
                    if let Some(trend) = trend {
                        symbols::trend_ui(ui, 14.0, trend, lang.trend(trend));
                    }
                });
            });
        });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::followup::{Selection, compute};

    fn plan() -> Plan {
        crate::storage::parse_str(crate::examples::SAMPLE_PLANS[1].1, "x.ron").unwrap()
    }

    #[test]
    fn filter_and_sort_by_status_put_not_achieved_first() {
        let plan = plan();
        let follow_up = compute(&plan, Selection::Year(2020));
        let all = ordered_rows(&plan, &follow_up, &ListState::default());
        assert_eq!(all.len(), plan.indicators.len());
        let filtered = ordered_rows(&plan, &follow_up, &ListState { filter: "ARBETSLÖSHET".into(), ..ListState::default() });
        assert!(!filtered.is_empty() && filtered.len() < all.len());
        assert!(filtered.iter().all(|&i| plan.indicators[i].name.to_lowercase().contains("arbetslöshet")));
        let by_status = ordered_rows(&plan, &follow_up, &ListState { sort: SortColumn::Status, ..ListState::default() });
        assert_eq!(follow_up.indicators[by_status[0]].status(), IndicatorStatus::NotAchieved);
        let reversed = ordered_rows(&plan, &follow_up, &ListState { sort: SortColumn::Status, descending: true, ..ListState::default() });
        assert_eq!(reversed.first(), by_status.last());
    }
}
