//! Consistency checks of a loaded plan (`malplan check`, and the app after opening a file).
//! A plan with problems still opens: the planner sees the list and can mend it.

use std::collections::{HashMap, HashSet};

use crate::followup::number::{NumberError, check_value};
use crate::model::{Direction, GoalLevel, ItemId, Plan, Unit, YearValue};

/// Years outside `first_year - SLACK ..= last_year + SLACK` are suspicious.
const YEAR_SLACK: i32 = 30;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What the problem concerns, e.g. `indikator #312 "Andel arbetslösa"`.
    pub item: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.item, self.message)
    }
}

/// Every problem found, in file order. Empty when the plan is consistent.
pub fn validate(plan: &Plan) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut push = |item: String, message: String| problems.push(Problem { item, message });

    let meta = &plan.meta;
    if meta.title.trim().is_empty() {
        push("planen".into(), "titeln är tom".into());
    }
    if meta.first_year > meta.last_year {
        push(
            "planen".into(),
            format!("första året {} ligger efter sista året {}", meta.first_year, meta.last_year),
        );
    }

    // Boards.
    let mut board_codes = HashSet::new();
    for board in &plan.boards {
        if board.code.trim().is_empty() {
            push(format!("nämnd \"{}\"", board.name), "koden är tom".into());
        } else if !board_codes.insert(board.code.as_str()) {
            push(format!("nämnd {}", board.code), "koden finns två gånger i nämndregistret".into());
        }
        if board.name.trim().is_empty() {
            push(format!("nämnd {}", board.code), "namnet är tomt".into());
        }
    }
    // Item labels are closures: formatted only when there is a problem to report.
    let check_board = |item: &dyn Fn() -> String, code: &str, push: &mut dyn FnMut(String, String)| {
        if !board_codes.contains(code) {
            push(item(), format!("nämnden \"{code}\" finns inte i nämndregistret"));
        }
    };
    if let Some(owner) = &meta.owner_board {
        check_board(&|| "planen".to_owned(), owner, &mut push);
    }

    // Ids, unique across every kind of item.
    let mut seen: HashMap<ItemId, &'static str> = HashMap::new();
    let ids = plan
        .goals
        .iter()
        .map(|g| (g.id, "ett mål"))
        .chain(plan.commitments.iter().map(|c| (c.id, "ett åtagande")))
        .chain(plan.indicators.iter().map(|i| (i.id, "en indikator")))
        .chain(plan.periods.iter().map(|p| (p.id, "en period")))
        .chain(plan.budgets.iter().flat_map(|b| b.ids()).map(|id| (id, "en budgetpost")))
        .chain(plan.document.ids().map(|id| (id, "en del av dokumentet")));
    for (id, kind) in ids {
        if let Some(first) = seen.insert(id, kind) {
            push(format!("id {id}"), format!("används av både {first} och {kind}"));
        }
    }

    // Goals.
    let goals: HashMap<ItemId, &crate::model::Goal> = plan.goals.iter().map(|g| (g.id, g)).collect();
    for goal in &plan.goals {
        let item = || format!("mål {} \"{}\"", goal.id, short(&goal.title));
        if goal.title.trim().is_empty() {
            push(item(), "titeln är tom".into());
        }
        if let Some(parent_id) = goal.parent {
            match goals.get(&parent_id) {
                None => push(item(), format!("överordnat mål {parent_id} finns inte")),
                Some(parent) if parent.level > goal.level => push(
                    item(),
                    format!(
                        "{} kan inte ligga under {} ({parent_id})",
                        level_name(goal.level),
                        level_name(parent.level)
                    ),
                ),
                Some(_) => {}
            }
        }
        if has_parent_cycle(goal.id, &goals) {
            push(item(), "ligger under sig självt (överordnade mål bildar en cirkel)".into());
        }
        for code in &goal.boards {
            check_board(&item, code, &mut push);
        }
        for number in &goal.agenda2030 {
            if !(1..=17).contains(number) {
                push(item(), format!("Agenda 2030 har mål 1–17, inte {number}"));
            }
        }
        for entry in &goal.schedule {
            if !valid_day_month(entry.day, entry.month) {
                push(item(), format!("uppföljningsdatum {}/{} finns inte", entry.day, entry.month));
            }
        }
    }

    // Commitments.
    let commitment_ids: HashSet<ItemId> = plan.commitments.iter().map(|c| c.id).collect();
    for commitment in &plan.commitments {
        let item = || format!("åtagande {} \"{}\"", commitment.id, short(&commitment.text));
        if commitment.text.trim().is_empty() {
            push(item(), "texten är tom".into());
        }
        if !goals.contains_key(&commitment.goal) {
            push(item(), format!("hör till mål {} som inte finns", commitment.goal));
        }
        for code in &commitment.boards {
            check_board(&item, code, &mut push);
        }
    }

    // Indicators.
    let sensible_years = (meta.first_year - YEAR_SLACK)..=(meta.last_year + YEAR_SLACK);
    for indicator in &plan.indicators {
        let item = || format!("indikator {} \"{}\"", indicator.id, short(&indicator.name));
        if indicator.name.trim().is_empty() {
            push(item(), "namnet är tomt".into());
        }
        if !goals.contains_key(&indicator.goal) {
            push(item(), format!("hör till mål {} som inte finns", indicator.goal));
        }
        if indicator.decimals > 6 {
            push(item(), format!("{} decimaler är för många (högst 6)", indicator.decimals));
        }
        if let Direction::WithinBand(width) = indicator.direction
            && !(width.is_finite() && width >= 0.0)
        {
            push(item(), "målintervallets bredd måste vara ett tal ≥ 0".into());
        }
        if let Unit::Scale(low, high) = indicator.unit
            && !(low.is_finite() && high.is_finite() && low < high)
        {
            push(item(), format!("skalan {low}–{high} är ogiltig"));
        }
        let mut names = HashSet::new();
        for series in &indicator.series {
            let series_item = || format!("{}, serie \"{}\"", item(), series.name);
            if series.name.trim().is_empty() {
                push(series_item(), "serien saknar namn".into());
            } else if !names.insert(series.name.trim().to_lowercase()) {
                push(series_item(), "serien finns två gånger i indikatorn".into());
            }
            for (what, values) in [
                ("utgångsvärde", series.baseline.as_slice()),
                ("målvärde", &series.targets),
                ("utfall", &series.outcomes),
            ] {
                check_values(what, values, &sensible_years, &indicator.unit, &series_item, &mut push);
            }
        }
    }

    // Follow-up periods.
    let mut period_names = HashSet::new();
    for period in &plan.periods {
        let item = || format!("period \"{}\"", period.name);
        if period.name.trim().is_empty() {
            push(format!("period {}", period.id), "namnet är tomt".into());
        } else if !period_names.insert(period.name.as_str()) {
            push(item(), "två perioder har samma namn".into());
        }
        let mut assessed = HashSet::new();
        for follow_up in &period.goals {
            if !goals.contains_key(&follow_up.goal) {
                push(item(), format!("bedömer mål {} som inte finns", follow_up.goal));
            } else if !assessed.insert(follow_up.goal) {
                push(item(), format!("bedömer mål {} två gånger", follow_up.goal));
            }
        }
        let mut reported = HashSet::new();
        for follow_up in &period.commitments {
            if !commitment_ids.contains(&follow_up.commitment) {
                push(
                    item(),
                    format!("rapporterar åtagande {} som inte finns", follow_up.commitment),
                );
            } else if !reported.insert(follow_up.commitment) {
                push(item(), format!("rapporterar åtagande {} två gånger", follow_up.commitment));
            }
            if let Some(completion) = follow_up.completion
                && completion > 100
            {
                push(
                    item(),
                    format!(
                        "åtagande {}: färdiggrad {completion} % ligger utanför 0–100 %",
                        follow_up.commitment
                    ),
                );
            }
        }
    }

    // Budgets.
    for budget in &plan.budgets {
        check_board(&|| format!("budget {} {}", budget.board, budget.year), &budget.board, &mut push);
        check_budget(plan, budget, &mut push);
    }
    // Economic follow-ups.
    let mut reports_seen = HashSet::new();
    for report in &plan.economy {
        let name = || format!("ekonomisk uppföljning {} ({})", report.board, period_name(plan, report.period));
        check_board(&name, &report.board, &mut push);
        if !reports_seen.insert((report.period, report.board.as_str())) {
            push(name(), "nämnden har två ekonomiska uppföljningar för samma period".into());
        }
        check_economy(plan, report, &name, &mut push);
    }
    // The board's document: chapters need a heading; text outside the Markdown subset is
    // printed as plain text, which the planner should know.
    for part in &plan.document.parts {
        let name = || format!("dokumentdel {} \"{}\"", part.id, part.heading(crate::i18n::Lang::Swedish));
        if part.kind == crate::document::PartKind::Chapter && part.title.trim().is_empty() {
            push(name(), "kapitlet saknar rubrik".into());
        }
        let outside = crate::document::text::unsupported(&part.text);
        if !outside.is_empty() {
            push(name(), format!("texten har {} som skrivs ut som vanlig text (stöds: rubriker, stycken, punktlistor, numrerade listor, fetstil, kursiv)", outside.join(", ")));
        }
    }
    // Closed periods' records.
    crate::closing::check(plan, &mut push);
    // What a merge left for the planner to choose (see `merge`).
    for conflict in &plan.conflicts {
        push(
            format!("konflikt {}", conflict.what),
            format!("olöst efter sammanslagning: min version {}, deras {}", conflict.mine, conflict.theirs),
        );
    }
    problems
}

fn period_name(plan: &Plan, id: ItemId) -> String {
    plan.periods.iter().find(|p| p.id == id).map_or_else(|| format!("period {id}"), |p| p.name.clone())
}

/// An economic follow-up's own problems: references to missing periods, tables and goals,
/// months outside the year, rows with more amounts than columns, and every stated figure the
/// rows do not give – except gaps the source's own rounding explains, which the view and the
/// report footnote instead (a follow-up printed in tenths of mnkr has them by nature).
fn check_economy(
    plan: &Plan,
    report: &crate::economy::EconomicFollowUp,
    name: &dyn Fn() -> String,
    push: &mut dyn FnMut(String, String),
) {
    let limit = crate::followup::number::MAGNITUDE_LIMIT as i64;
    let Some(period) = plan.periods.iter().find(|p| p.id == report.period) else {
        push(name(), format!("perioden {} finns inte", report.period));
        return;
    };
    if !(1..=12).contains(&report.through_month) {
        push(name(), format!("utfallet ska gälla t.o.m. en månad 1–12, inte {}", report.through_month));
    }
    if let Some(month) = report.previous_forecast_month
        && !(1..=12).contains(&month)
    {
        push(name(), format!("den förra prognosens månad ska vara 1–12, inte {month}"));
    }
    if let Some(table) = report.result_table
        && report.table(table).is_none()
    {
        push(name(), format!("resultattabellen {table} finns inte"));
    }
    for goal in &report.goals {
        if plan.goal(*goal).is_none() {
            push(name(), format!("kopplat mål {goal} finns inte"));
        }
    }
    let mut amounts_ok = true;
    for table in &report.tables {
        let item = || format!("{} \"{}\"", name(), table.title);
        let mut measures = HashSet::new();
        for measure in &table.columns {
            if !measures.insert(*measure) {
                push(item(), format!("kolumnen {} finns två gånger", measure.label(report, period.year, crate::i18n::Lang::Swedish)));
            }
        }
        if let Some(other) = table.same_total_as
            && report.table(other).is_none_or(|t| t.id == table.id)
        {
            push(item(), format!("ska ha samma summa som tabell {other}, som inte finns"));
        }
        let columns = table.columns.len();
        let stated = table.groups.iter().map(|g| (g.total_label.clone(), &g.stated_total)).chain([(table.total_label.clone(), &table.stated_total)]);
        for (what, amounts) in table.rows().map(|r| (r.name.clone(), &r.amounts)).chain(stated) {
            if amounts.len() > columns {
                push(item(), format!("{what}: {} belopp men tabellen har {columns} kolumner", amounts.len()));
            }
            if amounts.iter().flatten().any(|a| a.abs() > limit) {
                amounts_ok = false;
                push(item(), format!("{what}: ett belopp är större än 10¹⁵ kr"));
            }
        }
        for row in table.rows() {
            if !row.accounts.trim().is_empty()
                && let Err(why) = crate::exchange::sie::parse_mapping(&row.accounts)
            {
                push(item(), format!("{}: kontona \"{}\": {why}", row.name, row.accounts));
            }
        }
    }
    if report.explanations.iter().any(|e| e.amount.abs() > limit) {
        amounts_ok = false;
        push(name(), "en förklaring har ett belopp större än 10¹⁵ kr".into());
    }
    if amounts_ok {
        let figures = crate::economy::figures::figures(report, &plan.money);
        for difference in figures.differences.iter().filter(|d| !d.rounding) {
            push(name(), difference.describe(report, period.year, &plan.money, crate::i18n::Lang::Swedish));
        }
    }
}

/// A budget's own problems: amounts beyond what any budget holds, rows with more amounts than
/// the budget has columns, references to missing tables, and every stated total its rows do
/// not give (with the difference, never corrected).
fn check_budget(plan: &Plan, budget: &crate::budget::Budget, push: &mut dyn FnMut(String, String)) {
    use crate::budget::sums::figures;
    let limit = crate::followup::number::MAGNITUDE_LIMIT as i64;
    let name = || format!("budget {} {}", budget.board, budget.year);
    let columns = budget.columns.len();
    let mut seen_columns = HashSet::new();
    for column in &budget.columns {
        if !seen_columns.insert(*column) {
            push(name(), format!("kolumnen {} finns två gånger", column.label(crate::i18n::Lang::Swedish)));
        }
    }
    if let Some(frame) = &budget.frame {
        if frame.amount < 0 || frame.amount > limit {
            push(name(), "ramen ska vara ett belopp mellan 0 och 10¹⁵ kr".into());
        }
        if frame.efficiency_requirement < 0 || frame.efficiency_requirement > limit {
            push(name(), "effektiviseringskravet ska vara ett belopp mellan 0 och 10¹⁵ kr".into());
        }
    }
    if budget.tables.iter().filter(|t| t.against_frame).count() > 1 {
        push(name(), "flera tabeller är markerade som nettokostnaden mot ramen".into());
    }
    let mut amounts_ok = true;
    for table in &budget.tables {
        let item = || format!("{} \"{}\"", name(), table.title);
        if let Some(other) = table.same_total_as
            && budget.table(other).is_none_or(|t| t.id == table.id)
        {
            push(item(), format!("ska ha samma summa som tabell {other}, som inte finns"));
        }
        let stated = table.groups.iter().map(|g| &g.stated_total).chain([&table.stated_total]);
        for (what, amounts) in table.rows().map(|r| (r.label(), &r.amounts)).chain(stated.map(|s| (table.total_label.clone(), s))) {
            if amounts.len() > columns {
                push(item(), format!("{what}: {} belopp men budgeten har {columns} kolumner", amounts.len()));
            }
            if amounts.iter().flatten().any(|a| a.abs() > limit) {
                amounts_ok = false;
                push(item(), format!("{what}: ett belopp är större än 10¹⁵ kr"));
            }
        }
    }
    // Sums of absurd amounts say nothing; they are reported above.
    if amounts_ok {
        let figures = figures(budget);
        for table in &budget.tables {
            let lines = crate::budget::sums::difference_lines(budget, table, &figures, &plan.money, crate::i18n::Lang::Swedish);
            for line in lines {
                push(format!("{} \"{}\"", name(), table.title), line);
            }
        }
    }
}

fn check_values(
    what: &str,
    values: &[YearValue],
    sensible_years: &std::ops::RangeInclusive<i32>,
    unit: &Unit,
    item: &dyn Fn() -> String,
    push: &mut dyn FnMut(String, String),
) {
    let mut previous_year = None;
    for &(year, value) in values {
        if !sensible_years.contains(&year) {
            push(item(), format!("{what} för år {year} ligger långt utanför planens år"));
        }
        if let Some(previous) = previous_year
            && year <= previous
        {
            push(item(), format!("{what}: år {year} står efter {previous} (åren ska stå i ordning, en gång var)"));
        }
        previous_year = Some(year);
        // The same rule as typing and imports: finite, and within the unit's range.
        match check_value(value, unit) {
            Ok(()) => {}
            Err(NumberError::NotANumber(_)) => push(item(), format!("{what} för {year} är inget tal")),
            Err(error) => push(item(), format!("{what} för {year}: {error}")),
        }
    }
}

fn has_parent_cycle(start: ItemId, goals: &HashMap<ItemId, &crate::model::Goal>) -> bool {
    let mut current = goals.get(&start).and_then(|g| g.parent);
    let mut steps = 0;
    while let Some(id) = current {
        if id == start || steps > goals.len() {
            return true;
        }
        steps += 1;
        current = goals.get(&id).and_then(|g| g.parent);
    }
    false
}

fn valid_day_month(day: u8, month: u8) -> bool {
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => 29,
        _ => return false,
    };
    (1..=days_in_month).contains(&day)
}

pub fn level_name(level: GoalLevel) -> &'static str {
    match level {
        GoalLevel::Area => "målområde",
        GoalLevel::StrategicGoal => "strategiskt mål",
        GoalLevel::BoardGoal => "nämndmål",
    }
}

/// The first words of a long text, for messages.
fn short(text: &str) -> String {
    const MAX_CHARS: usize = 40;
    if text.chars().count() <= MAX_CHARS {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(MAX_CHARS).collect();
        format!("{}…", cut.trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    fn plan_with_goal() -> Plan {
        let mut plan = Plan::new("Eskilstuna kommun", "Test", 2016, 2019);
        plan.boards.push(Board {
            code: "KS".into(),
            name: "Kommunstyrelsen".into(),
            kind: BoardKind::Board,
        });
        plan.goals.push(Goal {
            id: ItemId(1),
            level: GoalLevel::StrategicGoal,
            parent: None,
            title: "Fler jobb".into(),
            description: String::new(),
            focus: vec![],
            agenda2030: vec![8],
            boards: vec![],
            precision: String::new(),
            schedule: vec![],
        });
        plan
    }

    #[test]
    fn clean_plan_has_no_problems() {
        assert_eq!(validate(&plan_with_goal()), vec![]);
    }

    #[test]
    fn finds_duplicate_ids_missing_references_and_bad_completion() {
        let mut plan = plan_with_goal();
        plan.commitments.push(Commitment {
            id: ItemId(1),
            goal: ItemId(77),
            text: "Åtagande".into(),
            boards: vec!["SBN".into()],
        });
        plan.periods.push(FollowUpPeriod {
            id: ItemId(5),
            name: "Delår 2 2022".into(),
            year: 2022,
            date: None,
            goals: vec![],
            commitments: vec![CommitmentFollowUp {
                commitment: ItemId(1),
                status: CommitmentStatus::Done,
                completion: Some(120),
                comment: String::new(),
            }],
        });
        let text: Vec<String> = validate(&plan).iter().map(|p| p.to_string()).collect();
        assert!(text.iter().any(|t| t.contains("id #1") && t.contains("både")), "{text:?}");
        assert!(text.iter().any(|t| t.contains("mål #77 som inte finns")), "{text:?}");
        assert!(text.iter().any(|t| t.contains("\"SBN\" finns inte")), "{text:?}");
        assert!(text.iter().any(|t| t.contains("120 %")), "{text:?}");
    }

    #[test]
    fn finds_empty_titles_series_twice_and_odd_years() {
        let mut plan = plan_with_goal();
        plan.goals[0].title = "  ".into();
        let series = Series {
            name: "Totalt".into(),
            kind: SeriesKind::Total,
            baseline: Some((2014, 13.8)),
            targets: vec![(2019, 10.8)],
            outcomes: vec![(1066, 1.0), (2020, f64::NAN)],
        };
        plan.indicators.push(Indicator {
            id: ItemId(2),
            goal: ItemId(1),
            code: "H".into(),
            name: "Arbetslöshet".into(),
            description: String::new(),
            kind: IndicatorKind::Place,
            unit: Unit::Percent,
            decimals: 1,
            direction: Direction::LowerIsBetter,
            kolada: None,
            kolada_unit: None,
            thresholds: Thresholds::default(),
            series: vec![series.clone(), series],
        });
        let text: Vec<String> = validate(&plan).iter().map(|p| p.to_string()).collect();
        assert!(text.iter().any(|t| t.contains("titeln är tom")), "{text:?}");
        assert!(text.iter().any(|t| t.contains("två gånger i indikatorn")), "{text:?}");
        assert!(text.iter().any(|t| t.contains("år 1066")), "{text:?}");
        assert!(text.iter().any(|t| t.contains("inget tal")), "{text:?}");
    }

    #[test]
    fn finds_values_outside_their_units_range() {
        let mut plan = plan_with_goal();
        let indicator = |id: u32, unit: Unit, outcomes: Vec<YearValue>| Indicator {
            id: ItemId(id),
            goal: ItemId(1),
            code: String::new(),
            name: format!("Indikator {id}"),
            description: String::new(),
            kind: IndicatorKind::Organisation,
            unit,
            decimals: 1,
            direction: Direction::HigherIsBetter,
            kolada: None,
            kolada_unit: None,
            thresholds: Thresholds::default(),
            series: vec![Series { name: "Totalt".into(), kind: SeriesKind::Total, baseline: None, targets: vec![], outcomes }],
        };
        plan.indicators.push(indicator(2, Unit::Percent, vec![(2016, 1e308), (2017, 250.0), (2018, -40.0)]));
        plan.indicators.push(indicator(3, Unit::Ratio, vec![(2016, 63.0), (2017, 120.0)]));
        plan.indicators.push(indicator(4, Unit::Scale(1.0, 4.0), vec![(2016, 3.5), (2017, 5.0)]));
        plan.indicators.push(indicator(5, Unit::Kronor, vec![(2016, 60e9), (2017, -3e15)]));
        let text: Vec<String> = validate(&plan).iter().map(|p| p.to_string()).collect();
        assert_eq!(
            text,
            [
                "indikator #2 \"Indikator 2\", serie \"Totalt\": utfall för 2016: \"1e308\" är utanför det rimliga för procent (−1 000–1 000)",
                "indikator #3 \"Indikator 3\", serie \"Totalt\": utfall för 2017: \"120\" är utanför det rimliga för en andel kvinnor/män (0–100)",
                "indikator #4 \"Indikator 4\", serie \"Totalt\": utfall för 2017: \"5\" är utanför skalan 1–4",
                "indikator #5 \"Indikator 5\", serie \"Totalt\": utfall för 2017: \"-3e15\" är utanför det rimliga för ett tal (högst 10¹⁵ till beloppet)",
            ],
            "the same wording as typing and imports"
        );
    }

    #[test]
    fn finds_parent_cycles_and_wrong_levels() {
        let mut plan = plan_with_goal();
        plan.goals[0].parent = Some(ItemId(2));
        let mut area = plan.goals[0].clone();
        area.id = ItemId(2);
        area.level = GoalLevel::Area;
        area.parent = Some(ItemId(1));
        area.title = "Område".into();
        plan.goals.push(area);
        let text: Vec<String> = validate(&plan).iter().map(|p| p.to_string()).collect();
        assert!(text.iter().any(|t| t.contains("cirkel")), "{text:?}");
        assert!(text.iter().any(|t| t.contains("målområde kan inte ligga under strategiskt mål")), "{text:?}");
    }
}
