//! The *Dokument* view: the board's whole document as the planner puts it together – its
//! title and header block, then its parts in order (chapters of text among the parts Målplan
//! generates), a chapter's text beside its live preview.
//!
//! The document is small, so every change replaces it whole through the one edit path
//! (`Edit::Document`); typing in one field is one undo step. The preview is parsed once per
//! revision and part, not every frame.

use egui::text::LayoutJob;
use egui::{FontId, RichText, TextFormat, Ui};

use crate::command::Action;
use crate::document::text::{Block, Span};
use crate::document::{BoardDocument, DocumentPart, HeaderField, PartKind};
use crate::edit::{Edit, MergeKey};
use crate::i18n::Lang;
use crate::model::ItemId;
use crate::ui::ctx::ViewCtx;

/// The document view's own state.
#[derive(Default)]
pub struct DocumentPanel {
    /// The part being edited; the first when unset or gone.
    pub selected: Option<ItemId>,
    /// The preview's blocks for (revision, part).
    preview: Option<(u64, ItemId, Vec<Block>)>,
}

fn kind_label(kind: PartKind, lang: Lang) -> &'static str {
    match kind {
        PartKind::Chapter => lang.t("Kapitel (text)", "Chapter (text)"),
        PartKind::Summary => lang.t("Sammanställning (tabell)", "Summary (table)"),
        PartKind::Goals => lang.t("Mål och uppföljning", "Goals and follow-up"),
        PartKind::Commitments => lang.t("Status åtaganden (tabell)", "Status of commitments (table)"),
        PartKind::Budget => lang.t("Budget (tabeller)", "Budget (tables)"),
        PartKind::Economy => lang.t("Ekonomisk redovisning", "Financial report"),
        PartKind::Legend => lang.t("Förklaring symboler", "Symbols explained"),
    }
}

impl DocumentPanel {
    /// `charts`: what the printed document shows of the indicators' charts (shared with the
    /// Lägesbild's choice).
    pub fn ui(&mut self, ctx: &mut ViewCtx, ui: &mut Ui, charts: &mut crate::report::chart_pdf::ChartMode) {
        let lang = ctx.lang;
        let document = ctx.plan.document.clone();
        let send = |ctx: &mut ViewCtx, document: BoardDocument, field: &'static str, item: Option<ItemId>| {
            ctx.edit(Edit::Document(Box::new(document)), Some(MergeKey { item, field }));
        };
        ui.horizontal(|ui| {
            ui.heading(lang.t("Dokument", "Document"));
            ui.add_space(12.0);
            crate::ui::overview_view::charts_selector_ui(ui, lang, charts);
            crate::ui::action_button(ctx, ui, Action::ExportDocument, None);
        });
        ui.label(
            RichText::new(lang.t(
                "Nämndens hela dokument: rubrik, uppgifter, kapitel med text och delarna Målplan skapar ur planen, i ordning. Skrivs som PDF (tillgänglig) eller Word.",
                "The board's whole document: title, header fields, chapters of text and the parts Målplan makes from the plan, in order. Written as (accessible) PDF or Word.",
            ))
            .weak(),
        );
        ui.add_space(6.0);

        // Title, contents depth and the header block.
        egui::Grid::new("document_head").num_columns(2).spacing([8.0, 4.0]).show(ui, |ui| {
            let title_label = ui.label(lang.t("Dokumentets rubrik", "Document title"));
            let mut title = document.title.clone();
            let hint = ctx.plan.meta.title.clone();
            let response = ui.add(egui::TextEdit::singleline(&mut title).hint_text(hint).desired_width(480.0)).labelled_by(title_label.id);
            if response.changed() {
                send(ctx, BoardDocument { title, ..document.clone() }, "document_title", None);
            }
            ui.end_row();
            let depth_label = ui.label(lang.t("Innehållsförteckning", "Contents"));
            let mut depth = document.contents_depth.max(1);
            ui.horizontal(|ui| {
                ui.radio_value(&mut depth, 1, lang.t("delarna", "the parts"));
                ui.radio_value(&mut depth, 2, lang.t("delarna och områdena", "the parts and the areas"));
            })
            .response
            .labelled_by(depth_label.id);
            if depth != document.contents_depth.max(1) {
                send(ctx, BoardDocument { contents_depth: depth, ..document.clone() }, "document_depth", None);
            }
            ui.end_row();
        });
        ui.add_space(4.0);
        egui::CollapsingHeader::new(lang.t("Uppgifter i huvudet (beslutad av, datum, Dnr …)", "Header fields (decided by, date, reference …)"))
            .default_open(document.header.is_empty())
            .show(ui, |ui| self.header_ui(ctx, ui, &document));
        ui.separator();

        // The parts: a list on the left, the chosen part on the right.
        let selected = self
            .selected
            .filter(|id| document.parts.iter().any(|p| p.id == *id))
            .or_else(|| document.parts.first().map(|p| p.id));
        let height = ui.available_height();
        ui.horizontal_top(|ui| {
            ui.allocate_ui_with_layout(egui::vec2(300.0, height), egui::Layout::top_down(egui::Align::Min), |ui| {
                ui.set_width(300.0);
                egui::ScrollArea::vertical().id_salt("document_parts").show(ui, |ui| self.parts_ui(ctx, ui, &document, selected));
            });
            ui.separator();
            ui.vertical(|ui| match selected.and_then(|id| document.parts.iter().find(|p| p.id == id)) {
                Some(part) => self.part_ui(ctx, ui, &document, part),
                None => {
                    ui.label(lang.t("Lägg till ett kapitel eller en del till vänster.", "Add a chapter or a part on the left."));
                }
            });
        });
    }

    fn header_ui(&mut self, ctx: &mut ViewCtx, ui: &mut Ui, document: &BoardDocument) {
        let lang = ctx.lang;
        egui::Grid::new("document_header_fields").num_columns(3).spacing([8.0, 4.0]).show(ui, |ui| {
            for (index, field) in document.header.iter().enumerate() {
                let mut label = field.label.clone();
                let mut value = field.value.clone();
                let label_changed = ui.add(egui::TextEdit::singleline(&mut label).desired_width(180.0)).changed();
                let value_changed = ui.add(egui::TextEdit::singleline(&mut value).desired_width(320.0)).changed();
                let mut changed = document.clone();
                if label_changed || value_changed {
                    changed.header[index] = HeaderField { label, value };
                    ctx.edit(Edit::Document(Box::new(changed)), Some(MergeKey { item: None, field: if label_changed { "header_label" } else { "header_value" } }));
                } else if ui.small_button("✕").on_hover_text(lang.t("Ta bort uppgiften", "Remove the field")).clicked() {
                    changed.header.remove(index);
                    ctx.edit(Edit::Document(Box::new(changed)), None);
                }
                ui.end_row();
            }
        });
        if ui.button(lang.t("Lägg till uppgift", "Add field")).clicked() {
            let mut changed = document.clone();
            changed.header.push(HeaderField { label: lang.t("Dnr", "Reference").to_owned(), value: String::new() });
            ctx.edit(Edit::Document(Box::new(changed)), None);
        }
    }

    fn parts_ui(&mut self, ctx: &mut ViewCtx, ui: &mut Ui, document: &BoardDocument, selected: Option<ItemId>) {
        let lang = ctx.lang;
        ui.strong(lang.t("Delar i ordning", "Parts in order"));
        if document.parts.is_empty() {
            ui.label(
                RichText::new(lang.t(
                    "Inga delar: dokumentet skrivs som Lägesbilden (sammanställning, mål, ekonomi, budget, förklaring).",
                    "No parts: the document is written like the status overview (summary, goals, economy, budget, legend).",
                ))
                .weak(),
            );
        }
        for part in &document.parts {
            let text = format!("{} · {}", part.heading(lang), kind_label(part.kind, lang));
            if ui.selectable_label(selected == Some(part.id), text).clicked() {
                self.selected = Some(part.id);
            }
        }
        ui.add_space(6.0);
        ui.horizontal_wrapped(|ui| {
            if ui.button(lang.t("Nytt kapitel", "New chapter")).clicked() {
                let id = ctx.plan.next_id();
                let mut changed = document.clone();
                let at = selected.and_then(|s| changed.parts.iter().position(|p| p.id == s)).map_or(changed.parts.len(), |i| i + 1);
                changed.parts.insert(at, DocumentPart { id, title: lang.t("Nytt kapitel", "New chapter").to_owned(), ..Default::default() });
                ctx.edit(Edit::Document(Box::new(changed)), None);
                self.selected = Some(id);
            }
            ui.menu_button(lang.t("Lägg till del", "Add part"), |ui| {
                for kind in PartKind::ALL.into_iter().filter(|k| *k != PartKind::Chapter) {
                    if ui.button(kind_label(kind, lang)).clicked() {
                        let id = ctx.plan.next_id();
                        let mut changed = document.clone();
                        changed.parts.push(DocumentPart { id, kind, title: kind.label(lang).to_owned(), ..Default::default() });
                        ctx.edit(Edit::Document(Box::new(changed)), None);
                        self.selected = Some(id);
                        ui.close();
                    }
                }
            });
            let index = selected.and_then(|s| document.parts.iter().position(|p| p.id == s));
            let moved = |to: usize| {
                let mut changed = document.clone();
                if let Some(from) = index {
                    let part = changed.parts.remove(from);
                    changed.parts.insert(to.min(changed.parts.len()), part);
                }
                changed
            };
            if ui.add_enabled(index.is_some_and(|i| i > 0), egui::Button::new(lang.t("Flytta upp", "Move up"))).clicked()
                && let Some(i) = index
            {
                ctx.edit(Edit::Document(Box::new(moved(i - 1))), None);
            }
            if ui.add_enabled(index.is_some_and(|i| i + 1 < document.parts.len()), egui::Button::new(lang.t("Flytta ned", "Move down"))).clicked()
                && let Some(i) = index
            {
                ctx.edit(Edit::Document(Box::new(moved(i + 1))), None);
            }
            if ui.add_enabled(index.is_some(), egui::Button::new(lang.t("Ta bort del", "Remove part"))).on_hover_text(lang.t("Du kan ångra med Ctrl+Z.", "You can undo with Ctrl+Z.")).clicked()
                && let Some(i) = index
            {
                let mut changed = document.clone();
                changed.parts.remove(i);
                ctx.edit(Edit::Document(Box::new(changed)), None);
                self.selected = None;
            }
        });
    }

    fn part_ui(&mut self, ctx: &mut ViewCtx, ui: &mut Ui, document: &BoardDocument, part: &DocumentPart) {
        let lang = ctx.lang;
        let index = document.parts.iter().position(|p| p.id == part.id).unwrap_or_default();
        let id = part.id;
        let replace = |ctx: &mut ViewCtx, part: DocumentPart, field: &'static str| {
            let mut changed = document.clone();
            changed.parts[index] = part;
            ctx.edit(Edit::Document(Box::new(changed)), Some(MergeKey { item: Some(id), field }));
        };
        ui.horizontal(|ui| {
            let label = ui.label(lang.t("Rubrik", "Heading"));
            let mut title = part.title.clone();
            let hint = if part.kind == PartKind::Goals {
                lang.t("(tom: områdena blir kapitel)", "(empty: the areas become chapters)")
            } else if part.kind == PartKind::Chapter {
                ""
            } else {
                lang.t("(tom: fortsätter föregående avsnitt)", "(empty: continues the section before)")
            };
            if ui.add(egui::TextEdit::singleline(&mut title).hint_text(hint).desired_width(f32::INFINITY)).labelled_by(label.id).changed() {
                replace(ctx, DocumentPart { title, ..part.clone() }, "part_title");
            }
        });
        ui.label(RichText::new(kind_label(part.kind, lang)).weak());
        ui.add_space(4.0);
        let text_label = ui.label(if part.kind == PartKind::Chapter {
            lang.t("Text", "Text")
        } else {
            lang.t("Inledning före delen", "Introduction before the part")
        });
        ui.label(
            RichText::new(lang.t(
                "Stycken skiljs av en tom rad. ## Underrubrik, - punkt, 1. numrerad punkt, **fet**, *kursiv*.",
                "Paragraphs are separated by an empty line. ## Sub-heading, - bullet, 1. numbered item, **bold**, *italic*.",
            ))
            .small()
            .weak(),
        );
        let mut text = part.text.clone();
        let height = (ui.available_height() - 40.0).max(200.0);
        let mut changed_text = None;
        let mut lost_focus = false;
        ui.columns(2, |columns| {
            egui::ScrollArea::vertical().id_salt("document_text").max_height(height).show(&mut columns[0], |ui| {
                let response = ui.add(
                    egui::TextEdit::multiline(&mut text)
                        .desired_rows(12)
                        .desired_width(f32::INFINITY)
                        .font(egui::TextStyle::Monospace),
                );
                let response = response.labelled_by(text_label.id);
                if response.changed() {
                    changed_text = Some(text.clone());
                }
                lost_focus = response.lost_focus();
            });
            let ui = &mut columns[1];
            ui.strong(lang.t("Förhandsvisning", "Preview"));
            let blocks = match &self.preview {
                Some((revision, id, blocks)) if *revision == ctx.revision && *id == part.id => blocks.clone(),
                _ => {
                    let blocks = crate::document::text::parse(&part.text);
                    self.preview = Some((ctx.revision, part.id, blocks.clone()));
                    blocks
                }
            };
            egui::ScrollArea::vertical().id_salt("document_preview").max_height(height - 20.0).show(ui, |ui| {
                if part.kind == PartKind::Chapter || !part.title.trim().is_empty() {
                    ui.heading(part.heading(lang));
                }
                preview_ui(ui, &blocks);
                if part.kind != PartKind::Chapter {
                    ui.label(RichText::new(format!("[{}]", kind_label(part.kind, lang))).italics().weak());
                }
            });
        });
        if let Some(text) = changed_text {
            replace(ctx, DocumentPart { text, ..part.clone() }, "part_text");
        }
        if lost_focus {
            ctx.send(crate::command::EditCommand::EndMerge);
        }
        let outside = crate::document::text::unsupported(&part.text);
        if !outside.is_empty() {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!("{} {}", lang.t("Skrivs som vanlig text:", "Printed as plain text:"), outside.join(", ")),
            );
        }
    }
}

fn spans_job(ui: &Ui, spans: &[Span], size: f32) -> LayoutJob {
    let mut job = LayoutJob::default();
    let (color, strong) = (ui.visuals().text_color(), ui.visuals().strong_text_color());
    for span in spans {
        // Bold shows as strong text, as egui's own `strong` labels do.
        let color = if span.bold { strong } else { color };
        let format = TextFormat { font_id: FontId::proportional(size), color, italics: span.italic, ..Default::default() };
        job.append(&span.text, 0.0, format);
    }
    job.wrap.max_width = ui.available_width();
    job
}

/// The chapter's blocks as the document shows them.
fn preview_ui(ui: &mut Ui, blocks: &[Block]) {
    for block in blocks {
        match block {
            Block::Heading { level, spans } => {
                let size = if *level <= 2 { 16.0 } else { 14.0 };
                ui.label(RichText::new(Block::plain(spans)).size(size).strong());
            }
            Block::Paragraph(spans) => {
                ui.label(spans_job(ui, spans, 13.0));
                ui.add_space(4.0);
            }
            Block::List { ordered, start, items } => {
                for (i, item) in items.iter().enumerate() {
                    ui.horizontal_top(|ui| {
                        let mark = if *ordered { format!("{}.", start + i as u64) } else { "•".to_owned() };
                        ui.add_sized([18.0, 14.0], egui::Label::new(mark));
                        ui.label(spans_job(ui, item, 13.0));
                    });
                }
                ui.add_space(4.0);
            }
        }
    }
}
