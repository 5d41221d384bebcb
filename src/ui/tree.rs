//! The navigation tree: search, board filter, add/move buttons and the virtualized rows.

use egui::{Sense, Vec2};

use crate::app::{Command, MalplanApp};
use crate::followup::IndicatorStatus;
use crate::model::{Assessment, CommitmentStatus};
use crate::outline::{NodeRef, Row, node_text};
use crate::ui::symbols;

const ROW_HEIGHT: f32 = 22.0;
const INDENT: f32 = 16.0;

pub fn tree_ui(app: &mut MalplanApp, ui: &mut egui::Ui) {
    let lang = app.lang();
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        let label = ui.label(lang.t("Sök:", "Search:"));
        ui.add(
            egui::TextEdit::singleline(&mut app.filter.text)
                .id_salt("tree_search")
                .hint_text(lang.t("filtrera på text", "filter by text"))
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        let mut board = app.filter.board.clone();
        crate::ui::board_selector_ui(ui, lang, app.plan(), "board_filter", &mut board);
        app.filter.board = board;
    });
    ui.horizontal_wrapped(|ui| {
        if ui.button(lang.t("Nytt underordnat", "Add child")).clicked() {
            app.send(Command::AddChild);
        }
        if ui.button(lang.t("Nytt på samma nivå", "Add sibling")).clicked() {
            app.send(Command::AddSibling);
        }
        let movable = app.selected != NodeRef::Plan;
        if ui.add_enabled(movable, egui::Button::new(lang.t("Upp", "Up"))).clicked() {
            app.send(Command::MoveUp);
        }
        if ui.add_enabled(movable, egui::Button::new(lang.t("Ned", "Down"))).clicked() {
            app.send(Command::MoveDown);
        }
        if ui.add_enabled(movable, egui::Button::new(lang.t("Ta bort…", "Delete…"))).clicked() {
            app.send(Command::RequestDelete);
        }
    });
    ui.separator();

    let rows = app.outline_rows();
    let follow_up = app.follow_up();
    let statuses = app.commitment_statuses();
    let mut scroll = egui::ScrollArea::vertical().auto_shrink([false, false]);
    if std::mem::take(&mut app.scroll_tree_to_selection)
        && let Some(index) = rows.iter().position(|r| r.node == app.selected)
    {
        // Bring the selected row into view, a few rows from the top.
        let row_with_spacing = ROW_HEIGHT + ui.spacing().item_spacing.y;
        scroll = scroll.vertical_scroll_offset((index.saturating_sub(3)) as f32 * row_with_spacing);
    }
    scroll.show_rows(ui, ROW_HEIGHT, rows.len(), |ui, range| {
            for row in &rows[range] {
                row_ui(app, ui, row, &follow_up, &statuses);
            }
        });
}

fn row_ui(
    app: &mut MalplanApp,
    ui: &mut egui::Ui,
    row: &Row,
    follow_up: &crate::followup::FollowUp,
    statuses: &std::collections::HashMap<crate::model::ItemId, CommitmentStatus>,
) {
    let lang = app.lang();
    ui.horizontal(|ui| {
        ui.set_height(ROW_HEIGHT);
        ui.add_space(row.depth as f32 * INDENT);
        let (toggle_rect, toggle) = ui.allocate_exact_size(Vec2::splat(14.0), Sense::click());
        if row.has_children {
            symbols::paint_disclosure(ui, toggle_rect, row.expanded);
            if toggle.clicked() {
                app.send(Command::ToggleExpanded(row.node));
            }
        }
        match row.node {
            NodeRef::Plan => {}
            NodeRef::Goal(id) => {
                let assessment = follow_up.goal(id).map_or(Assessment::NotAssessed, |g| g.effective);
                symbols::assessment_ui(ui, 14.0, assessment, lang.assessment(assessment));
            }
            NodeRef::Commitment(id) => {
                let status = statuses.get(&id).copied().unwrap_or(CommitmentStatus::NotStarted);
                symbols::commitment_ui(ui, 14.0, status, lang.status(status));
            }
            NodeRef::Indicator(id) => {
                let status = follow_up.indicator(id).map_or(IndicatorStatus::NoData, |r| r.status());
                let assessment = match status {
                    IndicatorStatus::Achieved => Assessment::Achieved,
                    IndicatorStatus::Partly => Assessment::Partly,
                    IndicatorStatus::NotAchieved => Assessment::NotAchieved,
                    IndicatorStatus::NoData => Assessment::NotAssessed,
                };
                symbols::assessment_ui(ui, 12.0, assessment, status.swedish());
            }
        }
        let text = row_label(app, row.node);
        let selected = app.selected == row.node;
        let response = ui.add(
            egui::Button::selectable(selected, text)
                .truncate()
                .sense(Sense::click_and_drag()),
        );
        // Dragging a row onto a goal (or the plan) moves it there.
        if row.node != NodeRef::Plan {
            response.dnd_set_drag_payload(row.node);
        }
        if response.clicked() {
            app.send(Command::Select(row.node));
        }
        if response.double_clicked() && row.has_children {
            app.send(Command::ToggleExpanded(row.node));
        }
        if let Some(dragged) = response.dnd_release_payload::<NodeRef>()
            && *dragged != row.node
            && matches!(row.node, NodeRef::Goal(_) | NodeRef::Plan)
        {
            app.send(Command::MoveTo {
                node: *dragged,
                new_parent: row.node,
            });
        }
    });
}

fn row_label(app: &MalplanApp, node: NodeRef) -> String {
    let plan = app.plan();
    let text = node_text(plan, node);
    let text = if text.trim().is_empty() { "(utan titel)".to_owned() } else { text };
    match node {
        NodeRef::Plan => format!("{} {}", app.lang().t("Plan:", "Plan:"), text),
        _ => text,
    }
}
