//! The plan document: plain serde types, no egui and no file handling.
//!
//! The hierarchy is stored flat (goals refer to their parent by id) so that moving a node is
//! one field change, ids stay stable across edits and moves, and the file has little nesting.
//! Every list keeps its order, so saving the same plan twice gives byte-identical files.

use serde::{Deserialize, Serialize};

/// The file format version this build writes. Older versions are migrated on load
/// (see `storage::migrate`).
pub const FORMAT_VERSION: u32 = 5;

/// A stable identifier, unique across every item of one plan (goals, commitments,
/// indicators, periods). Never reused or renumbered when items move.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ItemId(pub u32);

impl std::fmt::Display for ItemId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// Lets the file leave out blocks that only hold defaults.
fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// A value for one year: `(2014, 13.8)`.
pub type YearValue = (i32, f64);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub format_version: u32,
    pub meta: PlanMeta,
    #[serde(default, skip_serializing_if = "is_default")]
    pub vision: Vision,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub boards: Vec<Board>,
    /// Areas, strategic goals and board goals, in display order; parents by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goals: Vec<Goal>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub commitments: Vec<Commitment>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<Indicator>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub periods: Vec<FollowUpPeriod>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub settings: FollowUpSettings,
    /// The boards' budgets (*Nämndmål och budget*), one per board and budget year.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub budgets: Vec<crate::budget::Budget>,
    /// How amounts are shown: unit, decimals, sign convention.
    #[serde(default, skip_serializing_if = "is_default")]
    pub money: crate::budget::MoneySettings,
    /// The boards' economic follow-up per follow-up period (*ekonomisk redovisning*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub economy: Vec<crate::economy::EconomicFollowUp>,
    /// Where the plan's outcomes come from in Kolada: the municipality and its comparisons.
    #[serde(default, skip_serializing_if = "is_default")]
    pub kolada: KoladaSettings,
    /// Closed (fastställda) follow-up periods with the values as they stood (see `closing`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub closed_periods: Vec<crate::closing::ClosedPeriod>,
    /// The board's whole document: title, header block, chapters among generated parts.
    #[serde(default, skip_serializing_if = "crate::document::BoardDocument::is_empty")]
    pub document: crate::document::BoardDocument,
    /// What a merge of two versions could not decide (see `merge`): the plan holds one side,
    /// each entry the other side's value, until the planner chooses. `check` reports them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<MergeConflict>,
}

/// One unresolved difference left by a three-way merge. The plan itself holds *mine* (the
/// version merged into); `theirs_value` is the other version's, ready to be taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MergeConflict {
    /// Where, by stable ids: `periods[id=30].goals[goal=5].assessment`,
    /// `indicators[id=12].series[name="Totalt"].outcomes[2022]` (see `merge::Path`).
    pub place: String,
    /// The same in planner words: "Mål Ekonomi, Delår 2 2022: bedömning".
    pub what: String,
    /// Mine and theirs in planner words, for the reader of the file and `check`.
    pub mine: String,
    pub theirs: String,
    /// Theirs as JSON text (`"Achieved"`, `1.7`); `null` when theirs removed it.
    pub theirs_value: String,
    /// Mine as JSON text, only when the plan could not keep mine: an item I removed that a new
    /// item of theirs belongs to is kept in the plan until I choose (`null`: remove it again).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mine_value: Option<String>,
}

/// The plan's place in Kolada, set once: its municipality and what it is compared with.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KoladaSettings {
    /// The own municipality's code, "0484".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality: Option<String>,
    /// Its name as Kolada writes it, "Eskilstuna".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub municipality_name: String,
    /// Comparisons – municipalities or groups – each to the series of its name (Riket 0000).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comparisons: Vec<KoladaComparison>,
    /// The API's address when not Kolada's own (a mirror; `MALPLAN_KOLADA_URL` overrides).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub base_url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KoladaComparison {
    /// "0000", "0486", "G33831"
    pub code: String,
    /// The series it goes to: "Riket", "Strängnäs".
    pub name: String,
}

impl KoladaSettings {
    /// The import's options: the own municipality and the comparisons (Riket when none set).
    pub fn options(&self) -> crate::exchange::kolada::KoladaOptions {
        let mut options = crate::exchange::kolada::KoladaOptions { municipality: self.municipality.clone(), ..Default::default() };
        if !self.comparisons.is_empty() {
            options.comparisons = self.comparisons.iter().map(|c| (c.code.clone(), c.name.clone())).collect();
        }
        options
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanMeta {
    /// "Eskilstuna kommun"
    pub organisation: String,
    /// "Strategisk inriktning 2016–2019"
    pub title: String,
    /// Code of the board that owns the plan (e.g. "KF", "KS"), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_board: Option<String>,
    pub first_year: i32,
    pub last_year: i32,
    /// ISO date the plan was adopted, "2015-06-16".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided: Option<String>,
    /// Where the content was taken from, free text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vision {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum BoardKind {
    /// A *nämnd* or *styrelse*.
    #[default]
    Board,
    /// A municipal company (*bolag*).
    Company,
    /// A group such as "alla nämnder och bolag".
    Group,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Board {
    /// Short code used everywhere else: "KS", "SBN".
    pub code: String,
    /// "Kommunstyrelsen"
    pub name: String,
    #[serde(default)]
    pub kind: BoardKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum GoalLevel {
    /// *Målområde*, perspective or process area.
    Area,
    /// *Strategiskt mål* (the council's, usually four years).
    StrategicGoal,
    /// *Nämndmål* (one board, usually one year).
    BoardGoal,
}

/// A follow-up date in the board goal's schedule: "Deluppföljning 31/5".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleEntry {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    pub day: u8,
    pub month: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    pub id: ItemId,
    pub level: GoalLevel,
    /// `None` for a top-level item (an area, or a goal directly under the vision).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<ItemId>,
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// "Fokus under mandatperioden" bullets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub focus: Vec<String>,
    /// Agenda 2030 goal numbers (1–17).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agenda2030: Vec<u8>,
    /// Responsible board codes (a board goal has exactly one in practice).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub boards: Vec<String>,
    /// *Målprecisering*: how the goal is measured.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub precision: String,
    /// *Tidplan/uppföljning*.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schedule: Vec<ScheduleEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commitment {
    pub id: ItemId,
    /// The goal (any level) that owns this commitment.
    pub goal: ItemId,
    pub text: String,
    /// Responsible board codes, one or many.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub boards: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum IndicatorKind {
    /// *Ortsindikator*: measures the place.
    Place,
    /// *Organisationsindikator*: measures the organisation.
    #[default]
    Organisation,
}

/// How values are shown and typed.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub enum Unit {
    /// Percent, shown "81,1 %".
    Percent,
    /// A count, shown "5 180 000".
    #[default]
    Count,
    /// An index such as HME or NKI.
    Index,
    /// Kronor.
    Kronor,
    /// A scale such as "skala 1-4".
    Scale(f64, f64),
    /// Shares of women/men, "63/37". Stored as the first share in percent (63.0),
    /// since the two shares always add up to 100.
    Ratio,
    /// Any other unit, written after the value: "kg/invånare".
    Other(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub enum Direction {
    #[default]
    HigherIsBetter,
    LowerIsBetter,
    /// Achieved when the outcome lies within ± this much of the target.
    WithinBand(f64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum SeriesKind {
    /// *Totalt*, or the municipality's own single row ("Eskilstuna").
    #[default]
    Total,
    Women,
    Men,
    Girls,
    Boys,
    /// A comparison such as *Riket*: shown, never assessed.
    Comparison,
    /// Any other breakdown ("varav Eskilstuna Kommunfastighet").
    Other,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Series {
    /// Shown name: "Totalt", "Kvinnor", "Riket".
    pub name: String,
    #[serde(default)]
    pub kind: SeriesKind,
    /// *Utgångsvärde*: `(2014, 13.8)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<YearValue>,
    /// *Målvärden*, sorted by year. In the file: `targets: "2025: 28.4; 2027: 29.9"`.
    #[serde(default, skip_serializing_if = "Vec::is_empty", with = "year_values")]
    pub targets: Vec<YearValue>,
    /// *Utfall*, sorted by year. In the file: `outcomes: "2020: 14.1; 2021: 13.2"`.
    #[serde(default, skip_serializing_if = "Vec::is_empty", with = "year_values")]
    pub outcomes: Vec<YearValue>,
}

/// Per-indicator overrides of the plan-wide "partly achieved" thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// Within this many percent of the target counts as partly achieved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partly_within_percent: Option<f64>,
    /// Having come this share (0–1) of the way from baseline to target counts as partly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partly_progress_share: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub id: ItemId,
    /// The goal this indicator measures.
    pub goal: ItemId,
    /// Letter or number from the source document ("A", "12"), may be empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub code: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default)]
    pub kind: IndicatorKind,
    #[serde(default)]
    pub unit: Unit,
    #[serde(default)]
    pub decimals: u8,
    #[serde(default)]
    pub direction: Direction,
    /// Kolada KPI id, "N00914".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kolada: Option<String>,
    /// A Kolada organisational unit ("V15E048000101", a school): the indicator takes the
    /// unit's values (`oudata`) instead of the municipality's; comparisons stay municipal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kolada_unit: Option<String>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub thresholds: Thresholds,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub series: Vec<Series>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Assessment {
    /// *Uppnår*.
    Achieved,
    /// *Delvis*.
    Partly,
    /// *Ej uppnår*.
    NotAchieved,
    /// *Ej bedömd*.
    #[default]
    NotAssessed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Trend {
    /// Better than the previous year.
    Better,
    Unchanged,
    Worse,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum CommitmentStatus {
    #[default]
    NotStarted,
    InProgress,
    /// *Klart, avslutat*.
    Done,
    /// *Försenat*.
    Delayed,
    /// *Avbrutet*.
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoalFollowUp {
    pub goal: ItemId,
    #[serde(default)]
    pub assessment: Assessment,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trend: Option<Trend>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommitmentFollowUp {
    pub commitment: ItemId,
    #[serde(default)]
    pub status: CommitmentStatus,
    /// *Färdiggrad*, 0–100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion: Option<u8>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub comment: String,
}

/// A follow-up occasion: "Delår 2 2022", "Årsredovisning 2022".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUpPeriod {
    pub id: ItemId,
    pub name: String,
    /// The year whose figures the period follows up.
    pub year: i32,
    /// ISO date of the report, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goals: Vec<GoalFollowUp>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub commitments: Vec<CommitmentFollowUp>,
}

/// Plan-wide rules for the follow-up engine; every field has a documented default.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FollowUpSettings {
    /// An outcome within this many percent of the target (on the wrong side) is "partly".
    pub partly_within_percent: f64,
    /// An outcome that has come at least this share (0–1) of the way from baseline to target is "partly".
    pub partly_progress_share: f64,
    /// Changes smaller than this share of the value count as unchanged (0.005 = 0,5 %).
    pub trend_tolerance_share: f64,
    /// Roll-up: a goal is proposed "achieved" when at least this share of its assessed
    /// indicators and child goals are achieved.
    pub rollup_achieved_share: f64,
    /// Roll-up: "not achieved" when at least this share is not achieved; otherwise "partly".
    pub rollup_not_achieved_share: f64,
}

impl Default for FollowUpSettings {
    fn default() -> Self {
        Self {
            partly_within_percent: 5.0,
            partly_progress_share: 0.5,
            trend_tolerance_share: 0.005,
            rollup_achieved_share: 1.0,
            rollup_not_achieved_share: 0.5,
        }
    }
}

impl Plan {
    /// An empty plan for the given organisation and years.
    pub fn new(organisation: &str, title: &str, first_year: i32, last_year: i32) -> Self {
        Self {
            format_version: FORMAT_VERSION,
            meta: PlanMeta {
                organisation: organisation.to_owned(),
                title: title.to_owned(),
                first_year,
                last_year,
                ..PlanMeta::default()
            },
            vision: Vision::default(),
            boards: Vec::new(),
            goals: Vec::new(),
            commitments: Vec::new(),
            indicators: Vec::new(),
            periods: Vec::new(),
            settings: FollowUpSettings::default(),
            budgets: Vec::new(),
            money: crate::budget::MoneySettings::default(),
            economy: Vec::new(),
            kolada: KoladaSettings::default(),
            closed_periods: Vec::new(),
            document: Default::default(),
            conflicts: Vec::new(),
        }
    }

    /// The next unused id (one more than the largest in use).
    pub fn next_id(&self) -> ItemId {
        let max = self
            .goals
            .iter()
            .map(|g| g.id.0)
            .chain(self.commitments.iter().map(|c| c.id.0))
            .chain(self.indicators.iter().map(|i| i.id.0))
            .chain(self.periods.iter().map(|p| p.id.0))
            .chain(self.budgets.iter().flat_map(|b| b.ids()).map(|id| id.0))
            .chain(self.economy.iter().flat_map(|e| e.ids()).map(|id| id.0))
            .chain(self.document.ids().map(|id| id.0))
            .max()
            .unwrap_or(0);
        ItemId(max + 1)
    }

    pub fn goal(&self, id: ItemId) -> Option<&Goal> {
        self.goals.iter().find(|g| g.id == id)
    }

    pub fn commitment(&self, id: ItemId) -> Option<&Commitment> {
        self.commitments.iter().find(|c| c.id == id)
    }

    pub fn indicator(&self, id: ItemId) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.id == id)
    }

    pub fn board(&self, code: &str) -> Option<&Board> {
        self.boards.iter().find(|b| b.code == code)
    }

    /// Goals in tree order (parents before their children, siblings in plan order) with their
    /// depth. Goals whose parent is missing count as top level; goals caught in a parent cycle
    /// (an invalid plan) come last, so every goal appears exactly once.
    pub fn goals_in_tree_order(&self) -> Vec<(usize, &Goal)> {
        let index: std::collections::HashMap<ItemId, usize> =
            self.goals.iter().enumerate().map(|(i, g)| (g.id, i)).collect();
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); self.goals.len()];
        let mut roots = Vec::new();
        for (i, goal) in self.goals.iter().enumerate() {
            match goal.parent.and_then(|p| index.get(&p)) {
                Some(&parent) if parent != i => children[parent].push(i),
                _ => roots.push(i),
            }
        }
        let mut seen = vec![false; self.goals.len()];
        let mut out = Vec::with_capacity(self.goals.len());
        for start in roots.into_iter().chain(0..self.goals.len()) {
            let mut stack = vec![(start, 0usize)];
            while let Some((node, depth)) = stack.pop() {
                if seen[node] {
                    continue;
                }
                seen[node] = true;
                out.push((depth, &self.goals[node]));
                for &child in children[node].iter().rev() {
                    stack.push((child, depth + 1));
                }
            }
        }
        out
    }

    pub fn period(&self, id: ItemId) -> Option<&FollowUpPeriod> {
        self.periods.iter().find(|p| p.id == id)
    }

    pub fn period_by_name(&self, name: &str) -> Option<&FollowUpPeriod> {
        self.periods.iter().find(|p| p.name == name)
    }
}

impl FollowUpPeriod {
    pub fn goal_follow_up(&self, goal: ItemId) -> Option<&GoalFollowUp> {
        self.goals.iter().find(|f| f.goal == goal)
    }

    pub fn commitment_follow_up(&self, commitment: ItemId) -> Option<&CommitmentFollowUp> {
        self.commitments.iter().find(|f| f.commitment == commitment)
    }
}

impl Series {
    pub fn outcome(&self, year: i32) -> Option<f64> {
        value_for(&self.outcomes, year)
    }

    pub fn target(&self, year: i32) -> Option<f64> {
        value_for(&self.targets, year)
    }
}

/// The value for `year` in a year-sorted list.
pub fn value_for(values: &[YearValue], year: i32) -> Option<f64> {
    values
        .binary_search_by_key(&year, |(y, _)| *y)
        .ok()
        .map(|i| values[i].1)
}

/// Sets (or with `None` removes) the value for `year`, keeping the list sorted.
pub fn set_value(values: &mut Vec<YearValue>, year: i32, value: Option<f64>) {
    match (values.binary_search_by_key(&year, |(y, _)| *y), value) {
        (Ok(i), Some(v)) => values[i].1 = v,
        (Ok(i), None) => {
            values.remove(i);
        }
        (Err(i), Some(v)) => values.insert(i, (year, v)),
        (Err(_), None) => {}
    }
}

/// A series' values as one line of text in the file, `"2020: 14.1; 2021: 13.2"`.
///
/// Why text and not a list of `(year, value)` tuples: the `ron` crate spends ~600 ns on every
/// number token (≈7× serde_json), and value lists are nine tenths of a large plan's tokens; one
/// string per series parses about as fast as JSON and still reads (and diffs) one series per
/// line. Reading also accepts the tuple list of format 2 and decimal commas typed by hand.
pub mod year_values {
    use std::fmt::Write;

    use serde::de::{self, SeqAccess, Visitor};
    use serde::{Deserializer, Serializer};

    use super::YearValue;

    /// `"2020: 14.1; 2021: 13.2"`; values in Rust's shortest exact notation (reads back equal).
    pub fn to_text(values: &[YearValue]) -> String {
        let mut text = String::with_capacity(values.len() * 12);
        for (i, (year, value)) in values.iter().enumerate() {
            if i > 0 {
                text.push_str("; ");
            }
            let _ = write!(text, "{year}: {value}");
        }
        text
    }

    /// Parses [`to_text`]'s form; the error says, in Swedish, which entry is wrong.
    pub fn from_text(text: &str) -> Result<Vec<YearValue>, String> {
        let mut values = Vec::with_capacity(text.len() / 10 + 1);
        for entry in text.split(';') {
            let entry = entry.trim();
            if entry.is_empty() {
                continue;
            }
            let Some((year, value)) = entry.split_once(':') else {
                return Err(format!(
                    "\"{entry}\" saknar kolon – skriv varje värde som år: värde, t.ex. \"2024: 81.1\""
                ));
            };
            let year = year.trim();
            let year: i32 = year
                .parse()
                .map_err(|_| format!("\"{year}\" i \"{entry}\" är inget årtal"))?;
            let value = value.trim();
            let parsed = if value.contains(',') && !value.contains('.') {
                value.replacen(',', ".", 1).parse::<f64>()
            } else {
                value.parse::<f64>()
            };
            // NaN and infinity read (as the tuples of format 2 did) so that whatever was saved
            // opens again; `check` and the app's problem list report them.
            match parsed {
                Ok(number) => values.push((year, number)),
                Err(_) => return Err(format!("\"{value}\" för år {year} är inget tal")),
            }
        }
        Ok(values)
    }

    pub fn serialize<S: Serializer>(values: &[YearValue], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&to_text(values))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<YearValue>, D::Error> {
        deserializer.deserialize_any(YearValuesVisitor)
    }

    struct YearValuesVisitor;

    impl<'de> Visitor<'de> for YearValuesVisitor {
        type Value = Vec<YearValue>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("värden som text, t.ex. \"2020: 14.1; 2021: 13.2\"")
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
            from_text(text).map_err(E::custom)
        }

        /// Format 2 wrote `[(2020, 14.1), (2021, 13.2)]`.
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut values = Vec::with_capacity(seq.size_hint().unwrap_or(0));
            while let Some(value) = seq.next_element::<YearValue>()? {
                values.push(value);
            }
            Ok(values)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_values_read_back_exactly_and_explain_mistakes() {
        let values = vec![(2014, 13.8), (2020, -0.1), (2021, 5_180_000.0), (2022, 0.1 + 0.2), (2023, 1e-9)];
        let text = year_values::to_text(&values);
        assert!(text.starts_with("2014: 13.8; 2020: -0.1; 2021: 5180000; "), "{text}");
        assert_eq!(year_values::from_text(&text).unwrap(), values);
        assert_eq!(year_values::from_text("2014: 13,8 ;2015:14").unwrap(), vec![(2014, 13.8), (2015, 14.0)]);
        assert_eq!(year_values::from_text("").unwrap(), vec![]);
        assert!(year_values::from_text("2014 13.8").unwrap_err().contains("saknar kolon"));
        assert!(year_values::from_text("20x4: 13.8").unwrap_err().contains("inget årtal"));
        assert!(year_values::from_text("2014: abc").unwrap_err().contains("\"abc\" för år 2014 är inget tal"));
        let odd = year_values::from_text("2014: NaN; 2015: inf; 2016: -inf").unwrap();
        assert!(odd[0].1.is_nan() && odd[1].1 == f64::INFINITY && odd[2].1 == f64::NEG_INFINITY);
        assert_eq!(year_values::to_text(&odd), "2014: NaN; 2015: inf; 2016: -inf", "written as read");
    }

    #[test]
    fn set_value_keeps_years_sorted_and_removes() {
        let mut values = vec![(2014, 13.8)];
        set_value(&mut values, 2020, Some(14.1));
        set_value(&mut values, 2019, Some(10.8));
        assert_eq!(values, vec![(2014, 13.8), (2019, 10.8), (2020, 14.1)]);
        set_value(&mut values, 2019, None);
        assert_eq!(value_for(&values, 2019), None);
        assert_eq!(value_for(&values, 2020), Some(14.1));
    }

    #[test]
    fn next_id_is_above_every_item() {
        let mut plan = Plan::new("X", "Y", 2024, 2027);
        assert_eq!(plan.next_id(), ItemId(1));
        plan.commitments.push(Commitment {
            id: ItemId(41),
            goal: ItemId(1),
            text: "t".into(),
            boards: vec![],
        });
        assert_eq!(plan.next_id(), ItemId(42));
    }
}
