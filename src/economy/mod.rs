//! The economic follow-up (*ekonomisk uppföljning*) at a follow-up period: for one board, the
//! outcome to date against the budget to date, the full-year forecast against the full-year
//! budget, the previous forecast, per account (*resultaträkning*), per department
//! (*driftredovisning*) and per investment project (*investeringsredovisning*) – and the
//! explanations of the forecast's deviation, with amounts.
//!
//! The budget's rules hold: amounts are whole kronor in integers (income positive, costs
//! negative), sums and deviations are computed ([`figures`]), never stored, and a figure a
//! source document states is kept beside the rows as *stated* and compared. Each table chooses
//! the unit it shows (seed 004: the income statement in mnkr with one decimal, the departments
//! in tkr), while the amounts stay exact.

pub mod figures;

use serde::{Deserialize, Serialize};

use crate::budget::Kronor;
use crate::budget::money::MoneyUnit;
use crate::i18n::Lang;
use crate::model::ItemId;

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// One board's economic follow-up in one follow-up period ("KS, Delår 2 2022").
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EconomicFollowUp {
    pub id: ItemId,
    /// The follow-up period (its year is the year followed up).
    pub period: ItemId,
    /// The board's code in the plan's register ("KS").
    pub board: String,
    /// The last month the outcome covers: 8 is *t.o.m. augusti*.
    pub through_month: u8,
    /// The month of the previous forecast the tables compare with (*Prognos maj*: 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_forecast_month: Option<u8>,
    /// The table whose total is the board's result (the headline figures and what the
    /// explanations explain); `None` takes the first income statement, else the first table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_table: Option<ItemId>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tables: Vec<EconomyTable>,
    /// Why the forecast deviates from the budget: "Löner och kontorsdrift +5,9".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub explanations: Vec<Explanation>,
    /// Paragraphs of text (the seed's summary of the period).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Goals whose follow-up rests on this economy (the *Ekonomi* goal): the editor, the
    /// Lägesbild and the PDF show the forecast against budget beside them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goals: Vec<ItemId>,
}

/// What a column of an economy table holds. Five are entered, four computed from them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Measure {
    /// *Utfall t.o.m. augusti* the year before.
    OutcomePreviousYear,
    /// *Utfall t.o.m. augusti*.
    OutcomeToDate,
    /// *Budget t.o.m. augusti*.
    BudgetToDate,
    /// *Budgetavvikelse*: outcome to date − budget to date (computed).
    DeviationToDate,
    /// *Budget helår*.
    BudgetFullYear,
    /// The forecast at the previous follow-up (*Prognos maj*).
    PreviousForecast,
    /// *Årsprognos*.
    Forecast,
    /// *Avvikelse årsprognos*: forecast − full-year budget (computed).
    ForecastDeviation,
    /// How the forecast moved since the previous one: forecast − previous forecast (computed).
    ForecastChange,
}

impl Measure {
    pub const ALL: [Measure; 9] = [
        Measure::OutcomePreviousYear,
        Measure::OutcomeToDate,
        Measure::BudgetToDate,
        Measure::DeviationToDate,
        Measure::BudgetFullYear,
        Measure::PreviousForecast,
        Measure::Forecast,
        Measure::ForecastDeviation,
        Measure::ForecastChange,
    ];

    /// For a computed measure, the two it is the difference of (first − second). With income
    /// positive and costs negative, a positive deviation is always in the board's favour.
    pub fn computed_from(self) -> Option<(Measure, Measure)> {
        match self {
            Measure::DeviationToDate => Some((Measure::OutcomeToDate, Measure::BudgetToDate)),
            Measure::ForecastDeviation => Some((Measure::Forecast, Measure::BudgetFullYear)),
            Measure::ForecastChange => Some((Measure::Forecast, Measure::PreviousForecast)),
            _ => None,
        }
    }

    pub fn is_computed(self) -> bool {
        self.computed_from().is_some()
    }

    /// The column heading, with the months and years of this follow-up:
    /// "Utfall t.o.m. aug 2022", "Prognos maj", "Avvikelse årsprognos".
    pub fn label(self, report: &EconomicFollowUp, year: i32, lang: Lang) -> String {
        let month = month_short(report.through_month, lang);
        let previous = report.previous_forecast_month.map(|m| month_short(m, lang)).unwrap_or_default();
        match (self, lang) {
            (Measure::OutcomePreviousYear, Lang::Swedish) => format!("Utfall t.o.m. {month} {}", year - 1),
            (Measure::OutcomePreviousYear, Lang::English) => format!("Outcome to {month} {}", year - 1),
            (Measure::OutcomeToDate, Lang::Swedish) => format!("Utfall t.o.m. {month} {year}"),
            (Measure::OutcomeToDate, Lang::English) => format!("Outcome to {month} {year}"),
            (Measure::BudgetToDate, Lang::Swedish) => format!("Budget t.o.m. {month} {year}"),
            (Measure::BudgetToDate, Lang::English) => format!("Budget to {month} {year}"),
            (Measure::DeviationToDate, Lang::Swedish) => format!("Avvikelse t.o.m. {month}"),
            (Measure::DeviationToDate, Lang::English) => format!("Deviation to {month}"),
            (Measure::BudgetFullYear, Lang::Swedish) => "Budget helår".to_owned(),
            (Measure::BudgetFullYear, Lang::English) => "Budget full year".to_owned(),
            (Measure::PreviousForecast, Lang::Swedish) => format!("Prognos {previous}").trim_end().to_owned(),
            (Measure::PreviousForecast, Lang::English) => format!("Forecast {previous}").trim_end().to_owned(),
            (Measure::Forecast, Lang::Swedish) => format!("Årsprognos {month}"),
            (Measure::Forecast, Lang::English) => format!("Forecast {month}"),
            (Measure::ForecastDeviation, Lang::Swedish) => "Avvikelse årsprognos".to_owned(),
            (Measure::ForecastDeviation, Lang::English) => "Forecast deviation".to_owned(),
            (Measure::ForecastChange, Lang::Swedish) => format!("Förändring sedan prognos {previous}").trim_end().to_owned(),
            (Measure::ForecastChange, Lang::English) => format!("Change since forecast {previous}").trim_end().to_owned(),
        }
    }

    /// The name used in files, sheets and `malplan status` (stable).
    pub fn key(self) -> &'static str {
        match self {
            Measure::OutcomePreviousYear => "outcome_previous_year",
            Measure::OutcomeToDate => "outcome_to_date",
            Measure::BudgetToDate => "budget_to_date",
            Measure::DeviationToDate => "deviation_to_date",
            Measure::BudgetFullYear => "budget_full_year",
            Measure::PreviousForecast => "previous_forecast",
            Measure::Forecast => "forecast",
            Measure::ForecastDeviation => "forecast_deviation",
            Measure::ForecastChange => "forecast_change",
        }
    }

    pub fn from_key(key: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.key() == key)
    }
}

/// "jan" … "dec" ("maj"/"may").
pub fn month_short(month: u8, lang: Lang) -> &'static str {
    const SV: [&str; 12] = ["jan", "feb", "mars", "april", "maj", "juni", "juli", "aug", "sep", "okt", "nov", "dec"];
    const EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let names = if lang == Lang::Swedish { &SV } else { &EN };
    names.get(usize::from(month.clamp(1, 12)) - 1).copied().unwrap_or("")
}

/// "januari" … "december" (for running text: "t.o.m. augusti").
pub fn month_long(month: u8, lang: Lang) -> &'static str {
    const SV: [&str; 12] =
        ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"];
    const EN: [&str; 12] =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    let names = if lang == Lang::Swedish { &SV } else { &EN };
    names.get(usize::from(month.clamp(1, 12)) - 1).copied().unwrap_or("")
}

/// Income statement, departments, or investment projects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum EconomyTableKind {
    /// *Resultaträkning*: accounts grouped into income and costs, the total is the result.
    #[default]
    Statement,
    /// *Driftredovisning*: the result per department or activity.
    Operating,
    /// *Investeringsredovisning*: spent and forecast per project.
    Investment,
}

impl EconomyTableKind {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            EconomyTableKind::Statement => lang.t("Resultaträkning", "Income statement"),
            EconomyTableKind::Operating => lang.t("Driftredovisning", "Operating accounts"),
            EconomyTableKind::Investment => lang.t("Investeringsredovisning", "Investments"),
        }
    }
}

/// One table: groups of rows, one amount per column.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EconomyTable {
    pub id: ItemId,
    pub kind: EconomyTableKind,
    pub title: String,
    /// The unit and decimals this table is shown in (the amounts stay exact).
    #[serde(default)]
    pub unit: MoneyUnit,
    #[serde(default, skip_serializing_if = "is_default")]
    pub decimals: u8,
    pub columns: Vec<Measure>,
    pub groups: Vec<EconomyGroup>,
    /// The label of the computed total row: "ÅRETS RESULTAT", "Totalt".
    pub total_label: String,
    /// The total per column as the source states it (computed columns too).
    #[serde(default, skip_serializing_if = "Vec::is_empty", with = "crate::budget::amounts")]
    pub stated_total: Vec<Option<Kronor>>,
    /// Another table of the same follow-up whose total this one's must equal, measure by
    /// measure (the income statement's result and the departments' total).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_total_as: Option<ItemId>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EconomyGroup {
    /// A heading shown above the rows ("Intäkter"); empty for none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The subtotal row's label ("Summa INTÄKTER"); empty for no subtotal.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub total_label: String,
    pub rows: Vec<EconomyRow>,
    #[serde(default, skip_serializing_if = "Vec::is_empty", with = "crate::budget::amounts")]
    pub stated_total: Vec<Option<Kronor>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EconomyRow {
    pub id: ItemId,
    /// "Personalkostnader", "HR", "Inventarier till Energy Evolution Center"
    pub name: String,
    /// One amount per column. In a computed column the amount is what the source states (the
    /// app computes the figure and compares).
    #[serde(default, skip_serializing_if = "Vec::is_empty", with = "crate::budget::amounts")]
    pub amounts: Vec<Option<Kronor>>,
    /// The ledger accounts this row takes from an SIE file: "5000-5999", "3000-3999 / 1:100".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub accounts: String,
}

impl EconomyRow {
    pub fn amount(&self, column: usize) -> Option<Kronor> {
        self.amounts.get(column).copied().flatten()
    }
}

/// One reason for the forecast's deviation, with its amount (positive in the board's favour).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Explanation {
    pub text: String,
    pub amount: Kronor,
}

impl EconomyTable {
    pub fn rows(&self) -> impl Iterator<Item = &EconomyRow> {
        self.groups.iter().flat_map(|g| g.rows.iter())
    }

    pub fn column(&self, measure: Measure) -> Option<usize> {
        self.columns.iter().position(|m| *m == measure)
    }

    /// How this table shows amounts, with the plan's sign convention.
    pub fn money(&self, plan_money: &crate::budget::MoneySettings) -> crate::budget::MoneySettings {
        crate::budget::MoneySettings { unit: self.unit, decimals: self.decimals, costs_positive: plan_money.costs_positive }
    }
}

impl EconomicFollowUp {
    pub fn table(&self, id: ItemId) -> Option<&EconomyTable> {
        self.tables.iter().find(|t| t.id == id)
    }

    /// The table whose total is the result (see [`EconomicFollowUp::result_table`]).
    pub fn result_table(&self) -> Option<&EconomyTable> {
        self.result_table
            .and_then(|id| self.table(id))
            .or_else(|| self.tables.iter().find(|t| t.kind == EconomyTableKind::Statement))
            .or_else(|| self.tables.first())
    }

    /// Every id this follow-up uses (itself, its tables and rows).
    pub fn ids(&self) -> impl Iterator<Item = ItemId> + '_ {
        std::iter::once(self.id)
            .chain(self.tables.iter().map(|t| t.id))
            .chain(self.tables.iter().flat_map(|t| t.rows().map(|r| r.id)))
    }
}

/// The unit headline figures are told in: the income statement's (the document's summary
/// speaks its language, "+30,2 miljoner kronor"), else the result table's.
pub fn headline_money(report: &EconomicFollowUp, plan_money: &crate::budget::MoneySettings) -> crate::budget::MoneySettings {
    let table = report.tables.iter().find(|t| t.kind == EconomyTableKind::Statement).or_else(|| report.result_table());
    let mut money = table.map_or(*plan_money, |t| t.money(plan_money));
    // A result is told with its sign, whatever the tables' convention.
    money.costs_positive = false;
    money
}

/// "+30,2" – an amount with its sign, as a follow-up's text writes a result.
pub fn signed(amount: i128, money: &crate::budget::MoneySettings) -> String {
    let text = crate::budget::money::format_amount(amount, money);
    if text.starts_with(crate::budget::money::MINUS) || text.trim_start_matches(['0', ',', '\u{202f}']).is_empty() {
        text
    } else {
        format!("+{text}")
    }
}

/// One line for a goal's follow-up, the editor and the Lägesbild: "Resultat t.o.m. augusti
/// +30,2 mnkr (budget 3,0) · årsprognos +15,6 mnkr mot budget 0,0: avvikelse +15,6 mnkr".
pub fn headline_text(report: &EconomicFollowUp, headline: &figures::Headline, plan_money: &crate::budget::MoneySettings, lang: Lang) -> String {
    let money = headline_money(report, plan_money);
    let unit = money.unit.label(lang);
    let f = |v: i128| signed(v, &money);
    let mut parts = Vec::new();
    if let Some(outcome) = headline.outcome_to_date {
        let budget = headline.budget_to_date.map(|b| format!(" ({} {})", lang.t("budget", "budget"), f(b))).unwrap_or_default();
        parts.push(format!(
            "{} {} {} {unit}{budget}",
            lang.t("Resultat t.o.m.", "Result to"),
            month_long(report.through_month, lang),
            f(outcome)
        ));
    }
    if let Some(forecast) = headline.forecast {
        let mut text = format!("{} {} {unit}", lang.t("årsprognos", "full-year forecast"), f(forecast));
        if let (Some(budget), Some(deviation)) = (headline.budget_full_year, headline.forecast_deviation) {
            text.push_str(&format!(
                " {} {}: {} {} {unit}",
                lang.t("mot budget", "against budget"),
                f(budget),
                lang.t("avvikelse", "deviation"),
                f(deviation)
            ));
        }
        parts.push(text);
    }
    parts.join(" · ")
}

/// Drops trailing empty cells, as [`crate::budget::normalize`] does for budgets.
pub fn normalize(reports: &mut [EconomicFollowUp]) {
    fn trim(amounts: &mut Vec<Option<Kronor>>) {
        while amounts.last() == Some(&None) {
            amounts.pop();
        }
    }
    for table in reports.iter_mut().flat_map(|r| r.tables.iter_mut()) {
        trim(&mut table.stated_total);
        for group in &mut table.groups {
            trim(&mut group.stated_total);
            for row in &mut group.rows {
                trim(&mut row.amounts);
            }
        }
    }
}
