//! The board's money beside its goals (*Nämndmål och budget*): the operating budget
//! (*driftbudget*) and the investment budget (*investeringsbudget*) as tables of rows with one
//! amount per column (*Bokslut 2023*, *Budget 2025*, *Plan 2026* …), the council's frame
//! (*budgetram*) with its efficiency requirement (*effektiviseringskrav*) and the measures taken,
//! and the contributions to joint bodies.
//!
//! Amounts are whole kronor in integers, never floats: a finance person checks sums to the
//! krona. Income is positive and costs negative, as in the seeds; showing costs positive is a
//! display setting ([`MoneySettings`]). Sums are computed ([`sums`]), never stored; a total that
//! a source document states is kept beside the rows as *stated* and compared, never corrected.

pub mod edit;
pub mod money;
pub mod sums;

use serde::{Deserialize, Serialize};

use crate::model::ItemId;

/// An amount in whole kronor (income positive, costs negative).
pub type Kronor = i64;

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// One board's budget for one budget year.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    pub id: ItemId,
    /// The board's code in the plan's register ("KS").
    pub board: String,
    /// The year the budget is adopted for (*budgetår*): the frame's year.
    pub year: i32,
    /// The columns every table of this budget has, in order.
    pub columns: Vec<BudgetColumn>,
    /// The council's frame for the budget year, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frame: Option<Frame>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tables: Vec<BudgetTable>,
    /// What the budget year sets aside for joint bodies (*samverkan*: fire service, a shared
    /// payroll board …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contributions: Vec<Contribution>,
    /// Paragraphs about the budget: what the frame must be completed with, risks, items not
    /// budgeted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// What a column holds: the actual result of a closed year, the adopted budget, or the plan
/// for a later year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ColumnKind {
    /// *Bokslut*
    Actual,
    /// *Budget*
    Budget,
    /// *Plan*
    Plan,
}

impl ColumnKind {
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            ColumnKind::Actual => lang.t("Bokslut", "Actual"),
            ColumnKind::Budget => lang.t("Budget", "Budget"),
            ColumnKind::Plan => lang.t("Plan", "Plan"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetColumn {
    pub kind: ColumnKind,
    pub year: i32,
}

impl BudgetColumn {
    /// "Budget 2025", "Plan 2026".
    pub fn label(&self, lang: crate::i18n::Lang) -> String {
        format!("{} {}", self.kind.label(lang), self.year)
    }
}

/// The frame (*budgetram*) the council gives the board: the net cost it may have in the budget
/// year, and the efficiency requirement inside it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Frame {
    /// The net cost allowed, as a positive amount.
    pub amount: Kronor,
    /// *Effektiviseringskrav*, as a positive amount (its share of the frame is computed).
    #[serde(default, skip_serializing_if = "is_default")]
    pub efficiency_requirement: Kronor,
    /// How the board meets the requirement, each with its possible consequences.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub measures: Vec<Measure>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    /// "Fortsatt vakanshållande av administrativ chef"
    pub title: String,
    /// *Möjliga konsekvenser*, one paragraph each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consequences: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contribution {
    /// "Nerikes brandkår"
    pub name: String,
    /// What the budget year sets aside, positive.
    pub amount: Kronor,
}

/// Operating or investment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum TableKind {
    /// *Driftbudget*: income and costs per activity or account group.
    #[default]
    Operating,
    /// *Investeringsbudget*: categories with projects under them.
    Investment,
}

/// One table of the budget: groups of rows, each row an amount per column of the budget.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetTable {
    pub id: ItemId,
    pub kind: TableKind,
    /// "Driftbudget (tkr)", "Driftbudget Finansförvaltningen"
    pub title: String,
    /// The label of the computed total row: "Summa", "Nettokostnad".
    pub total_label: String,
    /// A table without grouping has one group with an empty name (and no subtotal).
    pub groups: Vec<BudgetGroup>,
    /// The total per column as a source document states it, kept to compare with the rows.
    #[serde(default, skip_serializing_if = "Vec::is_empty", with = "amounts")]
    pub stated_total: Vec<Option<Kronor>>,
    /// Another table whose total this one's must equal (an income/costs summary and the
    /// detailed table it summarises): every column where they differ is reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_total_as: Option<ItemId>,
    /// Whether this table's total is the board's net cost that must fit the frame.
    #[serde(default, skip_serializing_if = "is_default")]
    pub against_frame: bool,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetGroup {
    /// "Strategiska investeringar"; empty in a table without groups.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    pub rows: Vec<BudgetRow>,
    /// The group's subtotal per column as the source states it.
    #[serde(default, skip_serializing_if = "Vec::is_empty", with = "amounts")]
    pub stated_total: Vec<Option<Kronor>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetRow {
    pub id: ItemId,
    /// The activity or account code ("45", "99921"); empty for projects.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub code: String,
    /// "Gymnasieskola", "Åsbro förskola"
    pub name: String,
    /// One amount per column of the budget; `None` is an empty cell (not zero). A shorter list
    /// leaves the last columns empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty", with = "amounts")]
    pub amounts: Vec<Option<Kronor>>,
}

impl BudgetRow {
    pub fn amount(&self, column: usize) -> Option<Kronor> {
        self.amounts.get(column).copied().flatten()
    }

    /// "45 Gymnasieskola", or the name alone.
    pub fn label(&self) -> String {
        if self.code.is_empty() { self.name.clone() } else { format!("{} {}", self.code, self.name) }
    }
}

impl BudgetTable {
    pub fn rows(&self) -> impl Iterator<Item = &BudgetRow> {
        self.groups.iter().flat_map(|g| g.rows.iter())
    }

    /// Whether the groups are shown with names and subtotals.
    pub fn is_grouped(&self) -> bool {
        self.groups.len() > 1 || self.groups.iter().any(|g| !g.name.is_empty())
    }
}

impl Budget {
    pub fn table(&self, id: ItemId) -> Option<&BudgetTable> {
        self.tables.iter().find(|t| t.id == id)
    }

    /// The column of the adopted budget for the budget year, if there is one.
    pub fn budget_year_column(&self) -> Option<usize> {
        self.columns.iter().position(|c| c.kind == ColumnKind::Budget && c.year == self.year)
    }

    /// Every id this budget uses (itself, its tables and rows).
    pub fn ids(&self) -> impl Iterator<Item = ItemId> + '_ {
        std::iter::once(self.id)
            .chain(self.tables.iter().map(|t| t.id))
            .chain(self.tables.iter().flat_map(|t| t.rows().map(|r| r.id)))
    }
}

/// Drops trailing empty cells from every list of amounts: `[-1 688, None, None]` and
/// `[-1 688]` mean the same, and edits keep the short form, so that undo gives back exactly
/// what was there. Done when a plan is read.
pub fn normalize(budgets: &mut [Budget]) {
    fn trim(amounts: &mut Vec<Option<Kronor>>) {
        while amounts.last() == Some(&None) {
            amounts.pop();
        }
    }
    for table in budgets.iter_mut().flat_map(|b| b.tables.iter_mut()) {
        trim(&mut table.stated_total);
        for group in &mut table.groups {
            trim(&mut group.stated_total);
            for row in &mut group.rows {
                trim(&mut row.amounts);
            }
        }
    }
}

/// How amounts are shown (plan-wide): the unit, the decimals, and the sign convention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoneySettings {
    #[serde(default)]
    pub unit: money::MoneyUnit,
    #[serde(default)]
    pub decimals: u8,
    /// Show costs as positive numbers (and income negative) – the other convention some
    /// municipalities print. The file always keeps income positive, costs negative.
    #[serde(default)]
    pub costs_positive: bool,
}

/// A row's amounts in the file as one line of text, one entry per column, empty cells empty:
/// `"-1688000; ; ; -7500000"`. One line per row keeps a budget file readable and diffable.
pub mod amounts {
    use std::fmt::Write;

    use serde::de::{self, SeqAccess, Visitor};
    use serde::{Deserializer, Serializer};

    use super::Kronor;

    pub fn to_text(amounts: &[Option<Kronor>]) -> String {
        let mut text = String::with_capacity(amounts.len() * 11);
        for (i, amount) in amounts.iter().enumerate() {
            if i > 0 {
                text.push_str(if amount.is_some() { "; " } else { ";" });
            }
            if let Some(amount) = amount {
                let _ = write!(text, "{amount}");
            }
        }
        text
    }

    /// Parses [`to_text`]'s form; the error says, in Swedish, which entry is wrong.
    pub fn from_text(text: &str) -> Result<Vec<Option<Kronor>>, String> {
        if text.trim().is_empty() {
            return Ok(Vec::new());
        }
        text.split(';')
            .enumerate()
            .map(|(i, entry)| {
                let entry = entry.trim();
                if entry.is_empty() {
                    return Ok(None);
                }
                entry.parse::<Kronor>().map(Some).map_err(|_| {
                    format!("belopp {} \"{entry}\" är inget heltal (belopp skrivs i hela kronor, t.ex. -3195000)", i + 1)
                })
            })
            .collect()
    }

    pub fn serialize<S: Serializer>(amounts: &[Option<Kronor>], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&to_text(amounts))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Option<Kronor>>, D::Error> {
        deserializer.deserialize_any(AmountsVisitor)
    }

    struct AmountsVisitor;

    impl<'de> Visitor<'de> for AmountsVisitor {
        type Value = Vec<Option<Kronor>>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("belopp som text, t.ex. \"-3195000; ; -3195000\"")
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
            from_text(text).map_err(E::custom)
        }

        /// A list works too: `[-3195000, None, -3195000]`.
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut amounts = Vec::with_capacity(seq.size_hint().unwrap_or(0));
            while let Some(amount) = seq.next_element::<Option<Kronor>>()? {
                amounts.push(amount);
            }
            Ok(amounts)
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn amounts_read_back_exactly_and_explain_mistakes() {
            let amounts = vec![Some(-1_688_000), None, None, Some(0), None, Some(i64::MIN), Some(i64::MAX)];
            let text = to_text(&amounts);
            assert_eq!(text, format!("-1688000;;; 0;; {}; {}", i64::MIN, i64::MAX));
            assert_eq!(from_text(&text).unwrap(), amounts);
            assert_eq!(from_text(";  -7500000").unwrap(), vec![None, Some(-7_500_000)]);
            assert_eq!(from_text("").unwrap(), vec![]);
            assert!(from_text("1; 2,5").unwrap_err().contains("belopp 2 \"2,5\" är inget heltal"));
            assert!(from_text("99999999999999999999").is_err(), "beyond i64 is refused, not wrapped");
        }
    }
}
