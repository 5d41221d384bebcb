//! The editor for the selected node. Every change is sent as an [`Edit`] through the app's
//! single edit path; text fields carry a merge key so typing a title is one undo step.

use egui::{RichText, Ui};

use crate::command::EditCommand;
use crate::edit::{Edit, MergeKey};
use crate::model::{
    Assessment, BoardKind, CommitmentFollowUp, CommitmentStatus, Direction, GoalFollowUp, GoalLevel,
    IndicatorKind, ItemId, ScheduleEntry, Trend, Unit,
};
use crate::i18n::Lang;
use crate::outline::NodeRef;
use crate::ui::ctx::ViewCtx;
use crate::ui::indicator_view::ValuesTable;
use crate::ui::symbols;

/// The editor for the selected node; the values table's state is the only state it keeps.
pub fn editor_ui(ctx: &mut ViewCtx, values: &mut ValuesTable, ui: &mut Ui) {
    if let NodeRef::Indicator(id) = ctx.selected {
        indicator_editor(ctx, values, ui, id);
        return;
    }
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        ui.set_max_width(900.0);
        match ctx.selected {
            NodeRef::Plan => plan_editor(ctx, ui),
            NodeRef::Goal(id) => goal_editor(ctx, ui, id),
            NodeRef::Commitment(id) => commitment_editor(ctx, ui, id),
            NodeRef::Indicator(_) => {}
        }
    });
}

/// A labelled text field. Returns the new text when it changed; ends the typing step when the
/// field loses focus. The widget id comes from `item` and `field`, never from the text.
fn text_field(ctx: &mut ViewCtx, ui: &mut Ui, label: &str, current: &str, item: Option<ItemId>, field: &'static str, rows: usize) -> Option<(String, MergeKey)> {
    let label = ui.label(RichText::new(label).strong());
    let mut text = current.to_owned();
    let id_salt = ("field", item, field);
    let widget = if rows > 1 {
        egui::TextEdit::multiline(&mut text).desired_rows(rows)
    } else {
        egui::TextEdit::singleline(&mut text)
    };
    let response = ui.add(widget.id_salt(id_salt).desired_width(f32::INFINITY)).labelled_by(label.id);
    if response.lost_focus() {
        ctx.send(EditCommand::EndMerge);
    }
    ui.add_space(4.0);
    (response.changed() && text != current).then(|| (text, MergeKey { item, field }))
}

fn heading(ui: &mut Ui, text: &str) {
    ui.add_space(6.0);
    ui.heading(text);
    ui.add_space(4.0);
}

fn plan_editor(ctx: &mut ViewCtx, ui: &mut Ui) {
    let lang = ctx.lang;
    heading(ui, lang.t("Planen", "The plan"));
    let meta = ctx.plan.meta.clone();
    if let Some((v, key)) = text_field(ctx, ui, lang.t("Organisation", "Organisation"), &meta.organisation, None, "organisation", 1) {
        ctx.edit(Edit::Meta(crate::model::PlanMeta { organisation: v, ..meta.clone() }), Some(key));
    }
    if let Some((v, key)) = text_field(ctx, ui, lang.t("Titel", "Title"), &meta.title, None, "plan_title", 1) {
        ctx.edit(Edit::Meta(crate::model::PlanMeta { title: v, ..meta.clone() }), Some(key));
    }
    ui.horizontal(|ui| {
        let mut first = meta.first_year;
        let mut last = meta.last_year;
        let l1 = ui.label(lang.t("Första år", "First year"));
        let r1 = ui.add(egui::DragValue::new(&mut first).range(1900..=2200)).labelled_by(l1.id);
        let l2 = ui.label(lang.t("Sista år", "Last year"));
        let r2 = ui.add(egui::DragValue::new(&mut last).range(1900..=2200)).labelled_by(l2.id);
        if (r1.changed() || r2.changed()) && (first, last) != (meta.first_year, meta.last_year) {
            ctx.edit(Edit::Meta(crate::model::PlanMeta { first_year: first, last_year: last, ..meta.clone() }),
                Some(MergeKey { item: None, field: "years" }),
            );
        }
    });
    ui.add_space(4.0);
    let decided = meta.decided.clone().unwrap_or_default();
    if let Some((v, key)) = text_field(ctx, ui, lang.t("Beslutad (ÅÅÅÅ-MM-DD)", "Decided (YYYY-MM-DD)"), &decided, None, "decided", 1) {
        let decided = (!v.trim().is_empty()).then_some(v);
        ctx.edit(Edit::Meta(crate::model::PlanMeta { decided, ..meta.clone() }), Some(key));
    }
    let vision = ctx.plan.vision.clone();
    if let Some((v, key)) = text_field(ctx, ui, lang.t("Vision", "Vision"), &vision.title, None, "vision_title", 1) {
        ctx.edit(Edit::Vision(crate::model::Vision { title: v, ..vision.clone() }), Some(key));
    }
    if let Some((v, key)) = text_field(ctx, ui, lang.t("Visionens text", "Vision text"), &vision.text, None, "vision_text", 4) {
        ctx.edit(Edit::Vision(crate::model::Vision { text: v, ..vision.clone() }), Some(key));
    }

    kolada_settings_ui(ctx, ui);
    boards_register_ui(ctx, ui);
    periods_ui(ctx, ui);
}

/// The plan's municipality in Kolada and its comparisons (each to the series of its name).
fn kolada_settings_ui(ctx: &mut ViewCtx, ui: &mut Ui) {
    use crate::ui::dialogs::FindPurpose;
    let lang = ctx.lang;
    let settings = ctx.plan.kolada.clone();
    heading(ui, lang.t("Kolada", "Kolada"));
    ui.horizontal(|ui| {
        ui.label(RichText::new(lang.t("Kommun:", "Municipality:")).strong());
        match &settings.municipality {
            Some(code) => ui.label(format!("{} {code}", settings.municipality_name)),
            None => ui.label(RichText::new(lang.t("ingen vald", "none chosen")).weak()),
        };
        if ui.button(lang.t("Välj kommun…", "Choose municipality…")).clicked() {
            ctx.send(crate::command::FileCommand::KoladaFind(FindPurpose::Municipality));
        }
    });
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(lang.t("Jämförelser:", "Comparisons:")).strong());
        let shown = settings.options().comparisons;
        let mut remove = None;
        for (code, name) in &shown {
            if ui.button(format!("{name} {code} ✕")).on_hover_text(lang.t("Ta bort jämförelsen", "Remove the comparison")).clicked() {
                remove = Some(code.clone());
            }
        }
        if let Some(code) = remove {
            let mut changed = settings.clone();
            changed.comparisons = shown.iter().filter(|(c, _)| *c != code).map(|(c, n)| crate::model::KoladaComparison { code: c.clone(), name: n.clone() }).collect();
            ctx.edit(Edit::Kolada(changed), None);
        }
        if ui.button(lang.t("Lägg till jämförelse…", "Add comparison…")).clicked() {
            ctx.send(crate::command::FileCommand::KoladaFind(FindPurpose::Comparison));
        }
    });
    crate::ui::action_button(ctx, ui, crate::command::Action::FetchKolada, None);
}

/// The board register: code, name and kind per row; add and remove.
fn boards_register_ui(ctx: &mut ViewCtx, ui: &mut Ui) {
    let lang = ctx.lang;
    heading(ui, lang.t("Nämnder och bolag", "Boards and companies"));
    let mut boards = ctx.plan.boards.clone();
    let mut changed = false;
    let mut remove = None;
    egui::Grid::new("boards_grid").striped(true).show(ui, |ui| {
        let code_header = ui.strong(lang.t("Kod", "Code")).id;
        let name_header = ui.strong(lang.t("Namn", "Name")).id;
        let kind_header = ui.strong(lang.t("Slag", "Kind")).id;
        ui.end_row();
        for (i, board) in boards.iter_mut().enumerate() {
            let code = ui
                .add_sized([90.0, 20.0], egui::TextEdit::singleline(&mut board.code).id_salt(("board_code", i)))
                .labelled_by(code_header);
            changed |= code.changed();
            if code.lost_focus() {
                ctx.send(EditCommand::EndMerge);
            }
            let name = ui
                .add_sized([360.0, 20.0], egui::TextEdit::singleline(&mut board.name).id_salt(("board_name", i)))
                .labelled_by(name_header);
            changed |= name.changed();
            if name.lost_focus() {
                ctx.send(EditCommand::EndMerge);
            }
            let kind_text = |k: BoardKind| match k {
                BoardKind::Board => lang.t("nämnd", "board"),
                BoardKind::Company => lang.t("bolag", "company"),
                BoardKind::Group => lang.t("grupp", "group"),
            };
            let before = board.kind;
            egui::ComboBox::from_id_salt(("board_kind", i))
                .selected_text(kind_text(board.kind))
                .show_ui(ui, |ui| {
                    for k in [BoardKind::Board, BoardKind::Company, BoardKind::Group] {
                        ui.selectable_value(&mut board.kind, k, kind_text(k));
                    }
                })
                .response
                .labelled_by(kind_header);
            changed |= before != board.kind;
            if ui.button(format!("{} {}", lang.t("Ta bort", "Remove"), board.code)).clicked() {
                remove = Some(i);
            }
            ui.end_row();
        }
    });
    if let Some(i) = remove {
        boards.remove(i);
        changed = true;
    }
    if ui.button(lang.t("Ny nämnd", "New board")).clicked() {
        boards.push(crate::model::Board { code: String::new(), name: String::new(), kind: BoardKind::Board });
        changed = true;
    }
    if changed {
        let merge = (remove.is_none()).then_some(MergeKey { item: None, field: "boards" });
        ctx.edit(Edit::Boards(boards), merge);
    }
}

/// The follow-up periods: name, year and date; add and remove.
fn periods_ui(ctx: &mut ViewCtx, ui: &mut Ui) {
    let lang = ctx.lang;
    heading(ui, lang.t("Uppföljningsperioder", "Follow-up periods"));
    let periods: Vec<_> = ctx.plan.periods.iter().map(|p| (p.id, p.name.clone(), p.year, p.date.clone())).collect();
    for (id, name, year, date) in periods {
        ui.horizontal(|ui| {
            let label = ui.label(lang.t("Namn", "Name"));
            let mut new_name = name.clone();
            let response = ui
                .add(egui::TextEdit::singleline(&mut new_name).id_salt(("period_name", id)).desired_width(220.0))
                .labelled_by(label.id);
            if response.lost_focus() {
                ctx.send(EditCommand::EndMerge);
            }
            let label = ui.label(lang.t("År", "Year"));
            let mut new_year = year;
            ui.add(egui::DragValue::new(&mut new_year).range(1900..=2200)).labelled_by(label.id);
            if new_name != name || new_year != year {
                ctx.edit(Edit::PeriodHeader { id, name: new_name, year: new_year, date: date.clone() },
                    Some(MergeKey { item: Some(id), field: "period" }),
                );
            }
            if ui.button(format!("{} {name}", lang.t("Ta bort perioden", "Remove period"))).clicked() {
                ctx.edit(Edit::RemovePeriod(id), None);
            }
        });
    }
    if ui.button(lang.t("Ny uppföljningsperiod", "New follow-up period")).clicked() {
        let plan = ctx.plan;
        let year = plan.periods.last().map_or(plan.meta.last_year, |p| p.year);
        let period = crate::model::FollowUpPeriod {
            id: plan.next_id(),
            name: format!("{} {year}", lang.t("Årsredovisning", "Annual report")),
            year,
            date: None,
            goals: Vec::new(),
            commitments: Vec::new(),
        };
        let index = plan.periods.len();
        ctx.edit(Edit::InsertPeriod { index, period }, None);
    }
}

fn goal_editor(ctx: &mut ViewCtx, ui: &mut Ui, id: ItemId) {
    let lang = ctx.lang;
    let Some(goal) = ctx.plan.goal(id).cloned() else { return };
    heading(ui, lang.level(goal.level));
    ui.horizontal(|ui| {
        if ui.button(lang.t("Nytt åtagande", "New commitment")).clicked() {
            ctx.send(EditCommand::AddCommitment(id));
        }
        if ui.button(lang.t("Ny indikator", "New indicator")).clicked() {
            ctx.send(EditCommand::AddIndicator(id));
        }
    });
    ui.add_space(4.0);

    ui.horizontal(|ui| {
        let label = ui.label(RichText::new(lang.t("Nivå", "Level")).strong());
        let mut level = goal.level;
        egui::ComboBox::from_id_salt(("level", id))
            .selected_text(lang.level(level))
            .show_ui(ui, |ui| {
                for l in [GoalLevel::Area, GoalLevel::StrategicGoal, GoalLevel::BoardGoal] {
                    ui.selectable_value(&mut level, l, lang.level(l));
                }
            })
            .response
            .labelled_by(label.id);
        if level != goal.level {
            ctx.edit(Edit::Goal(crate::model::Goal { level, ..goal.clone() }), None);
        }
    });
    ui.add_space(4.0);

    if let Some((v, key)) = text_field(ctx, ui, lang.t("Titel", "Title"), &goal.title, Some(id), "title", 1) {
        ctx.edit(Edit::Goal(crate::model::Goal { title: v, ..goal.clone() }), Some(key));
    }
    if let Some((v, key)) = text_field(ctx, ui, lang.t("Beskrivning", "Description"), &goal.description, Some(id), "description", 4) {
        ctx.edit(Edit::Goal(crate::model::Goal { description: v, ..goal.clone() }), Some(key));
    }
    let focus = goal.focus.join("\n");
    if let Some((v, key)) = text_field(ctx, ui, lang.t("Fokus (en punkt per rad)", "Focus (one bullet per line)"), &focus, Some(id), "focus", 4) {
        let focus = v.lines().map(str::to_owned).collect();
        ctx.edit(Edit::Goal(crate::model::Goal { focus, ..goal.clone() }), Some(key));
    }
    if goal.level == GoalLevel::BoardGoal || !goal.precision.is_empty() {
        if let Some((v, key)) = text_field(ctx, ui, lang.t("Målprecisering", "Precision"), &goal.precision, Some(id), "precision", 2) {
            ctx.edit(Edit::Goal(crate::model::Goal { precision: v, ..goal.clone() }), Some(key));
        }
    }
    let agenda: String = goal.agenda2030.iter().map(u8::to_string).collect::<Vec<_>>().join(", ");
    if let Some((v, key)) = text_field(ctx, ui, lang.t("Agenda 2030-mål (t.ex. 8, 9)", "Agenda 2030 goals (e.g. 8, 9)"), &agenda, Some(id), "agenda2030", 1) {
        let numbers: Vec<u8> = v
            .split([',', ' ', ';'])
            .filter_map(|s| s.trim().parse().ok())
            .filter(|n| (1..=17).contains(n))
            .collect();
        if numbers != goal.agenda2030 {
            ctx.edit(Edit::Goal(crate::model::Goal { agenda2030: numbers, ..goal.clone() }), Some(key));
        }
    }

    if let Some(boards) = boards_ui(ctx, ui, &goal.boards, ("goal_boards", id)) {
        ctx.edit(Edit::Goal(crate::model::Goal { boards, ..goal.clone() }), None);
    }
    schedule_ui(ctx, ui, &goal);

    follow_up_goal_ui(ctx, ui, id);

}

/// Checkboxes for the board register. Returns the new selection when it changed.
fn boards_ui(ctx: &ViewCtx, ui: &mut Ui, selected: &[String], id_salt: (&str, ItemId)) -> Option<Vec<String>> {
    let lang = ctx.lang;
    if ctx.plan.boards.is_empty() && selected.is_empty() {
        return None;
    }
    ui.label(RichText::new(lang.t("Ansvariga nämnder", "Responsible boards")).strong());
    let mut chosen = selected.to_vec();
    ui.push_id(id_salt, |ui| {
        ui.horizontal_wrapped(|ui| {
            for board in &ctx.plan.boards {
                let mut on = chosen.contains(&board.code);
                if ui.checkbox(&mut on, &board.code).on_hover_text(&board.name).changed() {
                    if on {
                        chosen.push(board.code.clone());
                    } else {
                        chosen.retain(|c| c != &board.code);
                    }
                }
            }
            // Codes not in the register are kept and shown, so nothing is lost silently.
            for code in selected.iter().filter(|c| ctx.plan.board(c).is_none()) {
                ui.label(RichText::new(format!("{code} (?)")).italics());
            }
        });
    });
    ui.add_space(4.0);
    (chosen != selected).then_some(chosen)
}

fn schedule_ui(ctx: &mut ViewCtx, ui: &mut Ui, goal: &crate::model::Goal) {
    let lang = ctx.lang;
    if goal.level != GoalLevel::BoardGoal && goal.schedule.is_empty() {
        return;
    }
    ui.label(RichText::new(lang.t("Tidplan/uppföljning", "Follow-up schedule")).strong());
    let mut schedule = goal.schedule.clone();
    let mut changed = false;
    let mut remove = None;
    for (i, entry) in schedule.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            let l = ui.label(lang.t("Vad", "What"));
            changed |= ui
                .add(egui::TextEdit::singleline(&mut entry.label).id_salt(("schedule_label", goal.id, i)).desired_width(200.0))
                .labelled_by(l.id)
                .changed();
            let l = ui.label(lang.t("Dag", "Day"));
            changed |= ui.add(egui::DragValue::new(&mut entry.day).range(1..=31)).labelled_by(l.id).changed();
            let l = ui.label(lang.t("Månad", "Month"));
            changed |= ui.add(egui::DragValue::new(&mut entry.month).range(1..=12)).labelled_by(l.id).changed();
            if ui.button(format!("{} {}", lang.t("Ta bort datum", "Remove date"), i + 1)).clicked() {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        schedule.remove(i);
        changed = true;
    }
    if ui.button(lang.t("Lägg till datum", "Add date")).clicked() {
        schedule.push(ScheduleEntry { label: lang.t("Uppföljning", "Follow-up").into(), day: 31, month: 12 });
        changed = true;
    }
    if changed {
        ctx.edit(Edit::Goal(crate::model::Goal { schedule, ..goal.clone() }),
            Some(MergeKey { item: Some(goal.id), field: "schedule" }),
        );
    }
    ui.add_space(4.0);
}

fn follow_up_goal_ui(ctx: &mut ViewCtx, ui: &mut Ui, id: ItemId) {
    let lang = ctx.lang;
    let follow_up = ctx.follow_up();
    heading(ui, &format!("{} – {}", lang.t("Uppföljning", "Follow-up"), ctx.selection_text(ctx.period)));
    let Some(result) = follow_up.goal(id) else { return };
    ui.horizontal(|ui| {
        symbols::assessment_ui(ui, 16.0, result.proposed, lang.assessment(result.proposed));
        ui.label(format!("{} {}", lang.t("Förslag:", "Proposed:"), result.explanation_in(lang)));
    });
    let c = &result.commitments;
    if c.total > 0 {
        let average = c.average_completion.map(|a| format!(", {} {:.0} %", lang.t("snitt färdiggrad", "mean completion"), a)).unwrap_or_default();
        ui.label(format!(
            "{}: {} {}, {} {}, {} {} ({} {}){average}",
            lang.t("Åtaganden", "Commitments"),
            c.done,
            lang.t("klara", "done"),
            c.in_progress,
            lang.t("pågår", "in progress"),
            c.delayed,
            lang.t("försenade", "delayed"),
            c.total,
            lang.t("totalt", "in all"),
        ));
    }
    // The economy this goal rests on: the forecast against budget, beside the indicators.
    if let Some(notes) = ctx.derived.economy_notes.get(&id) {
        for note in notes {
            let text = if lang == Lang::Swedish { &note.swedish } else { &note.english };
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.label(RichText::new(format!("{} ({}): {text}", lang.t("Ekonomi", "Economy"), note.board)).strong());
                if ui.link(lang.t("Visa ekonomisk uppföljning", "Show the economic follow-up")).clicked() {
                    ctx.send(crate::command::ViewCommand::Show(crate::command::View::Economy));
                }
            });
        }
    }
    let Some(period) = ctx.period_id() else {
        ui.label(lang.t(
            "Välj en uppföljningsperiod i fältet överst för att göra en bedömning.",
            "Choose a follow-up period at the top to make an assessment.",
        ));
        return;
    };
    let current = ctx.plan.period(period).and_then(|p| p.goal_follow_up(id)).cloned();
    let mut value = current.clone().unwrap_or(GoalFollowUp { goal: id, assessment: Assessment::NotAssessed, trend: None, comment: String::new() });
    ui.horizontal(|ui| {
        let label = ui.label(RichText::new(lang.t("Bedömning", "Assessment")).strong());
        symbols::assessment_ui(ui, 16.0, value.assessment, lang.assessment(value.assessment));
        egui::ComboBox::from_id_salt(("assessment", id))
            .selected_text(lang.assessment(value.assessment))
            .show_ui(ui, |ui| {
                for a in [Assessment::Achieved, Assessment::Partly, Assessment::NotAchieved, Assessment::NotAssessed] {
                    ui.selectable_value(&mut value.assessment, a, lang.assessment(a));
                }
            })
            .response
            .labelled_by(label.id);
        let label = ui.label(RichText::new(lang.t("Trend", "Trend")).strong());
        if let Some(trend) = value.trend {
            symbols::trend_ui(ui, 16.0, trend, lang.trend(trend));
        }
        egui::ComboBox::from_id_salt(("trend", id))
            .selected_text(value.trend.map_or(lang.t("ingen", "none"), |t| lang.trend(t)))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut value.trend, None, lang.t("ingen", "none"));
                for t in [Trend::Better, Trend::Unchanged, Trend::Worse] {
                    ui.selectable_value(&mut value.trend, Some(t), lang.trend(t));
                }
            })
            .response
            .labelled_by(label.id);
    });
    if result.manual.is_some() && result.manual != Some(result.proposed) {
        ui.label(
            RichText::new(format!(
                "{} {}",
                lang.t("Den manuella bedömningen gäller; förslaget är", "The manual assessment applies; the proposal is"),
                lang.assessment_lower(result.proposed)
            ))
            .italics(),
        );
    }
    ui.add_space(4.0);
    let comment = value.comment.clone();
    let mut merge = None;
    if let Some((v, key)) = text_field(ctx, ui, lang.t("Kommentar / motivering", "Comment / reason"), &comment, Some(id), "goal_comment", 4) {
        value.comment = v;
        merge = Some(key);
    }
    if Some(&value) != current.as_ref() && (current.is_some() || value.assessment != Assessment::NotAssessed || value.trend.is_some() || !value.comment.is_empty()) {
        ctx.edit(Edit::GoalFollowUp { period, goal: id, value: Some(value), at: None }, merge);
    }
    crate::ui::indicator_view::goal_sparklines_ui(ctx, ui, id);
}

fn commitment_editor(ctx: &mut ViewCtx, ui: &mut Ui, id: ItemId) {
    let lang = ctx.lang;
    let Some(commitment) = ctx.plan.commitments.iter().find(|c| c.id == id).cloned() else { return };
    heading(ui, lang.t("Åtagande", "Commitment"));
    if let Some(goal) = ctx.plan.goal(commitment.goal) {
        ui.label(format!("{} {}", lang.t("Hör till:", "Belongs to:"), goal.title));
        ui.add_space(4.0);
    }
    if let Some((v, key)) = text_field(ctx, ui, lang.t("Text", "Text"), &commitment.text, Some(id), "text", 3) {
        ctx.edit(Edit::Commitment(crate::model::Commitment { text: v, ..commitment.clone() }), Some(key));
    }
    if let Some(boards) = boards_ui(ctx, ui, &commitment.boards, ("commitment_boards", id)) {
        ctx.edit(Edit::Commitment(crate::model::Commitment { boards, ..commitment.clone() }), None);
    }
    heading(ui, &format!("{} – {}", lang.t("Status", "Status"), ctx.selection_text(ctx.period)));
    let Some(period) = ctx.period_id() else {
        ui.label(lang.t("Välj en uppföljningsperiod i fältet överst för att ange status.", "Choose a follow-up period at the top to set a status."));
        return;
    };
    let current = ctx.plan.period(period).and_then(|p| p.commitment_follow_up(id)).cloned();
    let mut value = current.clone().unwrap_or(CommitmentFollowUp { commitment: id, status: CommitmentStatus::NotStarted, completion: None, comment: String::new() });
    let mut merge = None;
    ui.horizontal(|ui| {
        let label = ui.label(RichText::new(lang.t("Status", "Status")).strong());
        symbols::commitment_ui(ui, 16.0, value.status, lang.status(value.status));
        egui::ComboBox::from_id_salt(("status", id))
            .selected_text(lang.status(value.status))
            .show_ui(ui, |ui| {
                for s in [CommitmentStatus::NotStarted, CommitmentStatus::InProgress, CommitmentStatus::Done, CommitmentStatus::Delayed, CommitmentStatus::Cancelled] {
                    ui.selectable_value(&mut value.status, s, lang.status(s));
                }
            })
            .response
            .labelled_by(label.id);
        let label = ui.label(RichText::new(lang.t("Färdiggrad", "Completion")).strong());
        let mut percent = value.completion.unwrap_or(0);
        symbols::completion_ui(ui, 16.0, percent, &format!("{percent} %"));
        let response = ui.add(egui::Slider::new(&mut percent, 0..=100).suffix(" %")).labelled_by(label.id);
        if response.changed() {
            value.completion = Some(percent);
            merge = Some(MergeKey { item: Some(id), field: "completion" });
        }
        if response.drag_stopped() {
            ctx.send(EditCommand::EndMerge);
        }
    });
    ui.add_space(4.0);
    let comment = value.comment.clone();
    if let Some((v, key)) = text_field(ctx, ui, lang.t("Kommentar", "Comment"), &comment, Some(id), "commitment_comment", 5) {
        value.comment = v;
        merge = Some(key);
    }
    if Some(&value) != current.as_ref() && (current.is_some() || value.status != CommitmentStatus::NotStarted || value.completion.is_some() || !value.comment.is_empty()) {
        ctx.edit(Edit::CommitmentFollowUp { period, commitment: id, value: Some(value), at: None }, merge);
    }
}

fn unit_name(lang: Lang, unit: &Unit) -> String {
    match unit {
        Unit::Percent => lang.t("procent", "percent").into(),
        Unit::Count => lang.t("antal", "count").into(),
        Unit::Index => "index".into(),
        Unit::Kronor => "kronor".into(),
        Unit::Scale(a, b) => format!("{} {a}–{b}", lang.t("skala", "scale")),
        Unit::Ratio => lang.t("andel kvinnor/män", "share women/men").into(),
        Unit::Other(s) => s.clone(),
    }
}

/// The indicator: its settings and values table scroll above its chart, which sits in a
/// resizable panel at the bottom, so the table and the chart are always seen together.
fn indicator_editor(ctx: &mut ViewCtx, values: &mut ValuesTable, ui: &mut Ui, id: ItemId) {
    let Some(indicator) = ctx.plan.indicator(id).cloned() else { return };
    egui::Panel::bottom("indicator_chart_panel")
        .resizable(true)
        .default_size(270.0)
        .min_size(120.0)
        .max_size((ui.available_height() - 120.0).max(120.0))
        .show(ui, |ui| {
            ui.add_space(4.0);
            let height = (ui.available_height() - 6.0).max(100.0);
            crate::ui::indicator_view::indicator_chart_ui(ctx, ui, &indicator, height, false);
        });
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        indicator_details_ui(ctx, values, ui, &indicator);
    });
}

fn indicator_details_ui(ctx: &mut ViewCtx, values: &mut ValuesTable, ui: &mut Ui, indicator: &crate::model::Indicator) {
    let lang = ctx.lang;
    let id = indicator.id;
    let kind = match indicator.kind {
        IndicatorKind::Place => lang.t("Ortsindikator", "Place indicator"),
        IndicatorKind::Organisation => lang.t("Organisationsindikator", "Organisation indicator"),
    };
    ui.add_space(4.0);
    ui.add(egui::Label::new(RichText::new(format!("{kind}: {}", indicator.name)).heading()).truncate());
    // Its KPI in Kolada: shown, and found by words from here.
    ui.horizontal(|ui| {
        match &indicator.kolada {
            Some(kpi) => ui.label(format!("Kolada: {kpi}")),
            None => ui.label(RichText::new(lang.t("Inget Kolada-id", "No Kolada id")).weak()),
        };
        if ui.button(lang.t("Sök i Kolada…", "Find in Kolada…")).clicked() {
            ctx.send(crate::command::FileCommand::KoladaFind(crate::ui::dialogs::FindPurpose::Kpi { indicator: id }));
        }
        // A unit (a school): its values (oudata) instead of the municipality's.
        if indicator.kolada.is_some() {
            match &indicator.kolada_unit {
                Some(unit) => {
                    ui.label(format!("{} {unit}", lang.t("Enhet:", "Unit:")));
                    if ui.small_button("✕").on_hover_text(lang.t("Kommunens värden i stället för enhetens", "The municipality's values instead of the unit's")).clicked() {
                        ctx.edit(Edit::Indicator(crate::model::Indicator { kolada_unit: None, ..indicator.clone() }), None);
                    }
                }
                None => {
                    if ui.button(lang.t("Välj enhet…", "Choose unit…")).on_hover_text(lang.t("En enhet i kommunen, t.ex. en skola (Koladas enhetsdata)", "A unit of the municipality, e.g. a school (Kolada's unit data)")).clicked() {
                        ctx.send(crate::command::FileCommand::KoladaFind(crate::ui::dialogs::FindPurpose::Unit { indicator: id }));
                    }
                }
            }
        }
    });
    // The settings fold away so the values table and the chart fit one screen together; a
    // new indicator opens with them shown, to be named.
    let new_name = lang.t("Ny indikator", "New indicator");
    egui::CollapsingHeader::new(lang.t("Namn, beteckning, Kolada-id, enhet och riktning", "Name, code, Kolada id, unit and direction"))
        .id_salt(("indicator_settings", id))
        .default_open(indicator.name == new_name)
        .show(ui, |ui| indicator_settings_ui(ctx, ui, indicator));
    if let Some(line) = crate::ui::indicator_view::main_result_line(ctx, indicator) {
        ui.label(RichText::new(line).strong());
    }
    crate::ui::indicator_view::indicator_values_ui(values, ctx, ui, indicator);
    ui.add_space(8.0);
    egui::CollapsingHeader::new(lang.t("Serier", "Series"))
        .id_salt(("indicator_series", id))
        .show(ui, |ui| series_settings_ui(ctx, ui, indicator));
}

fn indicator_settings_ui(ctx: &mut ViewCtx, ui: &mut Ui, indicator: &crate::model::Indicator) {
    let lang = ctx.lang;
    let id = indicator.id;
    if let Some((v, key)) = text_field(ctx, ui, lang.t("Namn", "Name"), &indicator.name, Some(id), "name", 1) {
        ctx.edit(Edit::Indicator(crate::model::Indicator { name: v, ..indicator.clone() }), Some(key));
    }
    ui.columns(2, |columns| {
        if let Some((v, key)) = text_field(ctx, &mut columns[0], lang.t("Beteckning", "Code"), &indicator.code, Some(id), "code", 1) {
            ctx.edit(Edit::Indicator(crate::model::Indicator { code: v, ..indicator.clone() }), Some(key));
        }
        let kolada = indicator.kolada.clone().unwrap_or_default();
        if let Some((v, key)) = text_field(ctx, &mut columns[1], lang.t("Kolada-id", "Kolada id"), &kolada, Some(id), "kolada", 1) {
            let kolada = (!v.trim().is_empty()).then_some(v);
            ctx.edit(Edit::Indicator(crate::model::Indicator { kolada, ..indicator.clone() }), Some(key));
        }
    });
    let indicator = indicator.clone();
    let mut changed = indicator.clone();
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(RichText::new(lang.t("Enhet", "Unit")).strong());
        egui::ComboBox::from_id_salt(("unit", id))
            .selected_text(unit_name(lang, &changed.unit))
            .show_ui(ui, |ui| {
                let scale = match changed.unit {
                    Unit::Scale(a, b) => Unit::Scale(a, b),
                    _ => Unit::Scale(1.0, 4.0),
                };
                for unit in [Unit::Percent, Unit::Count, Unit::Index, Unit::Kronor, scale, Unit::Ratio] {
                    let text = unit_name(lang, &unit);
                    ui.selectable_value(&mut changed.unit, unit, text);
                }
            })
            .response
            .labelled_by(label.id);
        let label = ui.label(RichText::new(lang.t("Decimaler", "Decimals")).strong());
        ui.add(egui::DragValue::new(&mut changed.decimals).range(0..=4)).labelled_by(label.id);
        let label = ui.label(RichText::new(lang.t("Riktning", "Direction")).strong());
        let direction_text = |d: Direction| match d {
            Direction::HigherIsBetter => lang.t("högre är bättre", "higher is better").to_owned(),
            Direction::LowerIsBetter => lang.t("lägre är bättre", "lower is better").to_owned(),
            Direction::WithinBand(w) => format!("{} ±{w}", lang.t("inom intervall", "within band")),
        };
        egui::ComboBox::from_id_salt(("direction", id))
            .selected_text(direction_text(changed.direction))
            .show_ui(ui, |ui| {
                let band = match changed.direction {
                    Direction::WithinBand(w) => Direction::WithinBand(w),
                    _ => Direction::WithinBand(1.0),
                };
                for d in [Direction::HigherIsBetter, Direction::LowerIsBetter, band] {
                    ui.selectable_value(&mut changed.direction, d, direction_text(d));
                }
            })
            .response
            .labelled_by(label.id);
    });
    if changed != indicator {
        ctx.edit(Edit::Indicator(changed), Some(MergeKey { item: Some(id), field: "settings" }));
    }
}

/// Name and kind of each series, and removing one.
fn series_settings_ui(ctx: &mut ViewCtx, ui: &mut Ui, indicator: &crate::model::Indicator) {
    use crate::model::SeriesKind;
    let lang = ctx.lang;
    let kind_text = |k: SeriesKind| match k {
        SeriesKind::Total => lang.t("totalt", "total"),
        SeriesKind::Women => lang.t("kvinnor", "women"),
        SeriesKind::Men => lang.t("män", "men"),
        SeriesKind::Girls => lang.t("flickor", "girls"),
        SeriesKind::Boys => lang.t("pojkar", "boys"),
        SeriesKind::Comparison => lang.t("jämförelse", "comparison"),
        SeriesKind::Other => lang.t("annan", "other"),
    };
    let mut changed = indicator.clone();
    let mut remove = None;
    for (i, series) in changed.series.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            let label = ui.label(lang.t("Namn", "Name"));
            let response = ui
                .add(egui::TextEdit::singleline(&mut series.name).id_salt(("series_name", indicator.id, i)).desired_width(260.0))
                .labelled_by(label.id);
            if response.lost_focus() {
                ctx.send(EditCommand::EndMerge);
            }
            let label = ui.label(lang.t("Slag", "Kind"));
            egui::ComboBox::from_id_salt(("series_kind", indicator.id, i))
                .selected_text(kind_text(series.kind))
                .show_ui(ui, |ui| {
                    for k in [SeriesKind::Total, SeriesKind::Women, SeriesKind::Men, SeriesKind::Girls, SeriesKind::Boys, SeriesKind::Comparison, SeriesKind::Other] {
                        ui.selectable_value(&mut series.kind, k, kind_text(k));
                    }
                })
                .response
                .labelled_by(label.id);
            if ui.button(format!("{} {}", lang.t("Ta bort serien", "Remove series"), i + 1)).clicked() {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        changed.series.remove(i);
    }
    if changed != *indicator {
        let merge = remove.is_none().then_some(MergeKey { item: Some(indicator.id), field: "series" });
        ctx.edit(Edit::Indicator(changed), merge);
    }
}
