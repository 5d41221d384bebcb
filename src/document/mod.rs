//! The board's whole document: its title, header block and parts in order – narrative
//! chapters (a small Markdown subset) among the parts Målplan generates from the plan (the
//! summary of areas, the goals, the commitments, the budget, the economic follow-up, the
//! symbol legend). No egui and no files here; `report` lays it out as PDF and Word.

pub mod text;

use serde::{Deserialize, Serialize};

use crate::model::ItemId;

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

fn one() -> u8 {
    1
}

fn is_one(depth: &u8) -> bool {
    *depth == 1
}

/// The document as the board receives it. Empty in a plan that only prints the Lägesbild.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoardDocument {
    /// "Nämndmål och budget 2025 för Kommunstyrelsen"; the plan's title when empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// The header block, in order: *Beslutad av*, *Datum och paragraf*, *Dnr* …
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub header: Vec<HeaderField>,
    /// How deep the table of contents goes: 1 lists the parts (seed 003), 2 also the areas of
    /// the goals (seed 004). A chapter's own sub-headings are not listed.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub contents_depth: u8,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<DocumentPart>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderField {
    pub label: String,
    #[serde(default)]
    pub value: String,
}

/// One part of the document: a chapter of text, or a part generated from the plan (with an
/// optional introduction before it).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentPart {
    pub id: ItemId,
    #[serde(default, skip_serializing_if = "is_default")]
    pub kind: PartKind,
    /// The part's heading (level 1); a generated part's default heading when empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// Markdown: paragraphs, `##`/`###` headings, `-` and `1.` lists, `**bold**`, `*italic*`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum PartKind {
    /// Text written by the planner.
    #[default]
    Chapter,
    /// The areas and goals with assessment and trend (*Sammanställning*).
    Summary,
    /// Each area and goal with its comment, commitments and indicators.
    Goals,
    /// The commitments with status and completion (*Status åtaganden*).
    Commitments,
    /// The boards' budget tables (*Drift- och investeringsbudget*).
    Budget,
    /// The period's economic follow-up (*Ekonomisk redovisning*).
    Economy,
    /// *Förklaring symboler*.
    Legend,
}

impl PartKind {
    pub const ALL: [PartKind; 7] =
        [PartKind::Chapter, PartKind::Summary, PartKind::Goals, PartKind::Commitments, PartKind::Budget, PartKind::Economy, PartKind::Legend];

    /// The heading a part gets when it has no title of its own, and its name in the app.
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            PartKind::Chapter => lang.t("Kapitel", "Chapter"),
            PartKind::Summary => lang.t("Sammanställning", "Summary"),
            PartKind::Goals => lang.t("Mål och uppföljning", "Goals and follow-up"),
            PartKind::Commitments => lang.t("Status åtaganden", "Status of commitments"),
            PartKind::Budget => lang.t("Budget", "Budget"),
            PartKind::Economy => lang.t("Ekonomisk redovisning", "Financial report"),
            PartKind::Legend => lang.t("Förklaring symboler", "Symbols explained"),
        }
    }
}

impl DocumentPart {
    /// The heading the document shows.
    pub fn heading(&self, lang: crate::i18n::Lang) -> String {
        if self.title.trim().is_empty() { self.kind.label(lang).to_owned() } else { self.title.clone() }
    }
}

impl Default for BoardDocument {
    fn default() -> Self {
        Self { title: String::new(), header: Vec::new(), contents_depth: 1, parts: Vec::new() }
    }
}

impl BoardDocument {
    pub fn is_empty(&self) -> bool {
        self == &BoardDocument::default()
    }

    pub fn ids(&self) -> impl Iterator<Item = ItemId> + '_ {
        self.parts.iter().map(|p| p.id)
    }

    /// The parts a plan without a document of its own prints: the Lägesbild's, in its order
    /// (the economy and the budget only when the plan has them).
    pub fn default_parts(first_id: u32, economy: bool, budget: bool) -> Vec<DocumentPart> {
        [PartKind::Summary, PartKind::Goals, PartKind::Economy, PartKind::Budget, PartKind::Legend]
            .into_iter()
            .filter(|kind| match kind {
                PartKind::Economy => economy,
                PartKind::Budget => budget,
                _ => true,
            })
            .enumerate()
            .map(|(i, kind)| DocumentPart {
                id: ItemId(first_id + i as u32),
                kind,
                title: kind.label(crate::i18n::Lang::Swedish).to_owned(),
                ..Default::default()
            })
            .collect()
    }
}
