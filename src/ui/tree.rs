//! The navigation tree: search, board filter, add/move buttons and the virtualized rows.
//! Owns its expansion, filter and scroll request; the rows themselves are derived data.

use std::collections::HashSet;

use egui::{Sense, Vec2};

use crate::command::{Action, EditCommand, ViewCommand};
use crate::followup::IndicatorStatus;
use crate::model::{Assessment, CommitmentStatus, Plan};
use crate::outline::{Filter, NodeRef, Row, node_text};
use crate::ui::ctx::ViewCtx;
use crate::ui::symbols;

const ROW_HEIGHT: f32 = 22.0;
const INDENT: f32 = 16.0;

/// The tree's own state.
#[derive(Debug, Clone, Default)]
pub struct TreePanel {
    pub filter: Filter,
    expanded: HashSet<NodeRef>,
    /// Bumped whenever `expanded` changes, so derived rows know to rebuild.
    expanded_version: u64,
    /// Set when the selection moved by keyboard, search or palette: scroll it into view.
    pub scroll_to_selection: bool,
}

impl TreePanel {
    /// A tree for `plan` with the plan and its top-level goals open.
    pub fn new(plan: &Plan) -> Self {
        Self { expanded: crate::outline::default_expanded(plan), ..Self::default() }
    }

    pub fn expanded(&self) -> &HashSet<NodeRef> {
        &self.expanded
    }

    pub fn expanded_version(&self) -> u64 {
        self.expanded_version
    }

    pub fn expand(&mut self, node: NodeRef) {
        if self.expanded.insert(node) {
            self.expanded_version += 1;
        }
    }

    pub fn toggle(&mut self, node: NodeRef) {
        if !self.expanded.remove(&node) {
            self.expanded.insert(node);
        }
        self.expanded_version += 1;
    }

    pub fn ui(&mut self, ctx: &mut ViewCtx, ui: &mut egui::Ui) {
        let lang = ctx.lang;
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            let label = ui.label(lang.t("Sök:", "Search:"));
            ui.add(
                egui::TextEdit::singleline(&mut self.filter.text)
                    .id_salt("tree_search")
                    .hint_text(lang.t("filtrera på text", "filter by text"))
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        });
        ui.horizontal(|ui| {
            crate::ui::board_selector_ui(ui, lang, ctx.plan, "board_filter", &mut self.filter.board);
        });
        ui.horizontal_wrapped(|ui| {
            for (action, label) in [
                (Action::AddChild, None),
                (Action::AddSibling, None),
                (Action::MoveUp, Some(lang.t("Upp", "Up"))),
                (Action::MoveDown, Some(lang.t("Ned", "Down"))),
                (Action::Delete, None),
            ] {
                crate::ui::action_button(ctx, ui, action, label);
            }
        });
        ui.separator();

        let rows = ctx.derived.rows;
        let mut scroll = egui::ScrollArea::vertical().auto_shrink([false, false]);
        if std::mem::take(&mut self.scroll_to_selection)
            && let Some(index) = rows.iter().position(|r| r.node == ctx.selected)
        {
            // Bring the selected row into view, a few rows from the top.
            let row_with_spacing = ROW_HEIGHT + ui.spacing().item_spacing.y;
            scroll = scroll.vertical_scroll_offset((index.saturating_sub(3)) as f32 * row_with_spacing);
        }
        scroll.show_rows(ui, ROW_HEIGHT, rows.len(), |ui, range| {
            for row in &rows[range] {
                row_ui(ctx, ui, row);
            }
        });
    }
}

fn row_ui(ctx: &mut ViewCtx, ui: &mut egui::Ui, row: &Row) {
    let lang = ctx.lang;
    ui.horizontal(|ui| {
        ui.set_height(ROW_HEIGHT);
        ui.add_space(row.depth as f32 * INDENT);
        let (toggle_rect, toggle) = ui.allocate_exact_size(Vec2::splat(14.0), Sense::click());
        if row.has_children {
            symbols::paint_disclosure(ui, toggle_rect, row.expanded);
            if toggle.clicked() {
                ctx.send(ViewCommand::ToggleExpanded(row.node));
            }
        }
        match row.node {
            NodeRef::Plan => {}
            NodeRef::Goal(id) => {
                let assessment = ctx.follow_up().goal(id).map_or(Assessment::NotAssessed, |g| g.effective);
                symbols::assessment_ui(ui, 14.0, assessment, lang.assessment(assessment));
            }
            NodeRef::Commitment(id) => {
                let status = ctx.derived.commitment_statuses.get(&id).copied().unwrap_or(CommitmentStatus::NotStarted);
                symbols::commitment_ui(ui, 14.0, status, lang.status(status));
            }
            NodeRef::Indicator(id) => {
                let status = ctx.follow_up().indicator(id).map_or(IndicatorStatus::NoData, |r| r.status());
                symbols::assessment_ui(ui, 12.0, symbols::indicator_assessment(status), lang.indicator_status(status));
            }
        }
        let text = row_label(ctx, row.node);
        let selected = ctx.selected == row.node;
        let response = ui.add(egui::Button::selectable(selected, text).truncate().sense(Sense::click_and_drag()));
        // Dragging a row onto a goal (or the plan) moves it there.
        if row.node != NodeRef::Plan {
            response.dnd_set_drag_payload(row.node);
        }
        if response.clicked() {
            ctx.send(ViewCommand::Select(row.node));
        }
        if response.double_clicked() && row.has_children {
            ctx.send(ViewCommand::ToggleExpanded(row.node));
        }
        if let Some(dragged) = response.dnd_release_payload::<NodeRef>()
            && *dragged != row.node
            && matches!(row.node, NodeRef::Goal(_) | NodeRef::Plan)
        {
            ctx.send(EditCommand::MoveTo { node: *dragged, new_parent: row.node });
        }
    });
}

fn row_label(ctx: &ViewCtx, node: NodeRef) -> String {
    let text = node_text(ctx.plan, node);
    let text = if text.trim().is_empty() { ctx.lang.t("(utan titel)", "(untitled)").to_owned() } else { text };
    match node {
        NodeRef::Plan => format!("{} {}", ctx.lang.t("Plan:", "Plan:"), text),
        _ => text,
    }
}
