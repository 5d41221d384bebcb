//! *Lägesbild*: the status page for a board meeting, as data – per area its goals with
//! assessment, trend and a short comment, their commitments with status and completion, and
//! indicator rows. The app and the PDF report both draw from this, so they always agree.

use std::collections::{HashMap, HashSet};

use crate::followup::number::format_value;
use crate::followup::{FollowUp, IndicatorStatus};
use crate::model::{Assessment, CommitmentStatus, GoalLevel, ItemId, Plan, Trend};

#[derive(Debug, Clone, PartialEq)]
pub struct GoalLine {
    pub id: ItemId,
    pub level: GoalLevel,
    /// 0 for a top-level area, 1 below it, …
    pub depth: usize,
    pub title: String,
    pub assessment: Assessment,
    pub trend: Option<Trend>,
    /// The period's comment, shortened to its first paragraph.
    pub comment: String,
    pub commitments: Vec<CommitmentLine>,
    pub indicators: Vec<IndicatorLine>,
    /// The economy this goal rests on (follow-ups that link it): the forecast against budget.
    pub economy: Vec<EconomyNote>,
}

/// "Resultat t.o.m. augusti +30,2 mnkr · årsprognos +15,6 mnkr mot budget 0,0: …", in both
/// languages (the app shows the planner's, the report Swedish).
#[derive(Debug, Clone, PartialEq)]
pub struct EconomyNote {
    pub board: String,
    pub swedish: String,
    pub english: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CommitmentLine {
    pub id: ItemId,
    pub text: String,
    pub boards: String,
    pub status: CommitmentStatus,
    pub completion: Option<u8>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorLine {
    pub id: ItemId,
    pub name: String,
    pub outcome: String,
    pub target: String,
    pub status: IndicatorStatus,
    pub trend: Option<Trend>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Overview {
    pub organisation: String,
    pub plan_title: String,
    /// "Delår 2 2022" or "År 2022".
    pub period: String,
    /// The board the overview is limited to, as "KS – Kommunstyrelsen".
    pub board: Option<String>,
    /// Every goal in tree order (those with nothing for the board left out).
    pub goals: Vec<GoalLine>,
    /// The economic follow-ups of the period (of the board, when limited to one), in file order.
    pub economy: Vec<ItemId>,
}

/// For each goal that economic follow-ups among `reports` link: their headline, in both languages.
pub fn notes_for_goals(plan: &Plan, reports: &[&crate::economy::EconomicFollowUp]) -> HashMap<ItemId, Vec<EconomyNote>> {
    let mut notes: HashMap<ItemId, Vec<EconomyNote>> = HashMap::new();
    for report in reports {
        if report.goals.is_empty() {
            continue;
        }
        let headline = crate::economy::figures::figures(report, &plan.money).headline;
        let note = EconomyNote {
            board: report.board.clone(),
            swedish: crate::economy::headline_text(report, &headline, &plan.money, crate::i18n::Lang::Swedish),
            english: crate::economy::headline_text(report, &headline, &plan.money, crate::i18n::Lang::English),
        };
        for goal in &report.goals {
            notes.entry(*goal).or_default().push(note.clone());
        }
    }
    notes
}

/// A comment cut to its first paragraph and at most `max_chars` characters.
pub fn short_comment(comment: &str, max_chars: usize) -> String {
    let first = comment.split("\n\n").next().unwrap_or("").trim();
    if first.chars().count() <= max_chars {
        first.to_owned()
    } else {
        let cut: String = first.chars().take(max_chars).collect();
        let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
        format!("{}…", cut.trim_end_matches([',', '.', ' ']))
    }
}

/// Builds the overview for the follow-up `follow_up` of `plan`, optionally for one board: then
/// only goals and commitments that name that board (and the goals leading to them) are kept.
pub fn build(plan: &Plan, follow_up: &FollowUp, board: Option<&str>) -> Overview {
    let period = plan.periods.iter().find(|p| Some(&p.name) == follow_up.period.as_ref());
    let statuses: HashMap<ItemId, &crate::model::CommitmentFollowUp> = period
        .map(|p| p.commitments.iter().map(|c| (c.commitment, c)).collect())
        .unwrap_or_default();
    let tree = plan.goals_in_tree_order();

    // The period's economic follow-ups, each computed once, and the goals they belong to.
    let reports: Vec<&crate::economy::EconomicFollowUp> = period
        .map(|p| plan.economy.iter().filter(|r| r.period == p.id && board.is_none_or(|code| r.board == code)).collect())
        .unwrap_or_default();
    let mut economy_notes = notes_for_goals(plan, &reports);

    // With a board: the goals that concern it, plus their ancestors.
    let keep: Option<HashSet<ItemId>> = board.map(|code| {
        let mut keep = HashSet::new();
        let parents: HashMap<ItemId, Option<ItemId>> = plan.goals.iter().map(|g| (g.id, g.parent)).collect();
        let concerned = plan
            .goals
            .iter()
            .filter(|g| g.boards.iter().any(|b| b == code))
            .map(|g| g.id)
            .chain(plan.commitments.iter().filter(|c| c.boards.iter().any(|b| b == code)).map(|c| c.goal));
        for mut id in concerned {
            while keep.insert(id) {
                match parents.get(&id).copied().flatten() {
                    Some(parent) => id = parent,
                    None => break,
                }
            }
        }
        keep
    });

    let mut goals = Vec::new();
    for (depth, goal) in tree {
        if keep.as_ref().is_some_and(|k| !k.contains(&goal.id)) {
            continue;
        }
        let result = follow_up.goal(goal.id);
        let commitments = plan
            .commitments
            .iter()
            .filter(|c| c.goal == goal.id)
            .filter(|c| board.is_none_or(|code| c.boards.iter().any(|b| b == code)))
            .map(|c| {
                let reported = statuses.get(&c.id);
                CommitmentLine {
                    id: c.id,
                    text: c.text.clone(),
                    boards: c.boards.join(", "),
                    status: reported.map_or(CommitmentStatus::NotStarted, |r| r.status),
                    completion: reported.and_then(|r| r.completion),
                }
            })
            .collect();
        let indicators = plan
            .indicators
            .iter()
            .filter(|i| i.goal == goal.id)
            .map(|ind| {
                let r = follow_up.indicator(ind.id);
                let main = r.and_then(|r| r.main.as_ref());
                let fmt = |v: Option<f64>| v.map_or("–".to_owned(), |v| format_value(v, &ind.unit, ind.decimals));
                IndicatorLine {
                    id: ind.id,
                    name: if ind.code.is_empty() { ind.name.clone() } else { format!("{}) {}", ind.code, ind.name) },
                    outcome: fmt(main.and_then(|m| m.outcome)),
                    target: fmt(main.and_then(|m| m.target.map(|t| t.value))),
                    status: r.map_or(IndicatorStatus::NoData, |r| r.status()),
                    trend: main.and_then(|m| m.trend).map(|t| t.trend),
                }
            })
            .collect();
        goals.push(GoalLine {
            id: goal.id,
            level: goal.level,
            depth,
            title: goal.title.clone(),
            assessment: result.map_or(Assessment::NotAssessed, |r| r.effective),
            trend: result.and_then(|r| r.manual_trend),
            comment: result.map(|r| short_comment(&r.comment, 400)).unwrap_or_default(),
            commitments,
            indicators,
            economy: economy_notes.remove(&goal.id).unwrap_or_default(),
        });
    }
    let mut period_name = follow_up.period.clone().unwrap_or_else(|| format!("År {}", follow_up.year));
    // A closed period's report says so: its figures are the record of that date.
    if let Some(record) = period.and_then(|p| crate::closing::record(plan, p.id)) {
        period_name.push_str(&format!(" (fastställd {})", record.date));
    }
    Overview {
        organisation: plan.meta.organisation.clone(),
        plan_title: plan.meta.title.clone(),
        period: period_name,
        board: board.map(|code| match plan.board(code) {
            Some(b) => format!("{} – {}", b.code, b.name),
            None => code.to_owned(),
        }),
        goals,
        economy: reports.iter().map(|r| r.id).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::followup::{Selection, compute};

    fn ks() -> Plan {
        crate::examples::default_plan()
    }

    #[test]
    fn ks_overview_has_the_nine_process_areas_with_their_assessments() {
        let plan = ks();
        let period = plan.periods[0].id;
        let overview = build(&plan, &compute(&plan, Selection::Period(period)), None);
        assert_eq!(overview.period, "Delår 2 2022");
        let ekonomi = overview.goals.iter().find(|g| g.title == "Ekonomi").unwrap();
        assert_eq!((ekonomi.assessment, ekonomi.trend), (Assessment::Achieved, Some(Trend::Worse)));
        let areas = overview.goals.iter().filter(|g| g.level == GoalLevel::Area && g.depth == 1).count();
        assert_eq!(areas, 9);
        let commitments: usize = overview.goals.iter().map(|g| g.commitments.len()).sum();
        assert_eq!(commitments, 14);
        assert!(overview.goals.iter().flat_map(|g| &g.commitments).any(|c| c.status == CommitmentStatus::Delayed));
    }

    #[test]
    fn board_filter_keeps_only_what_concerns_the_board() {
        let plan = ks();
        let follow_up = compute(&plan, Selection::Period(plan.periods[0].id));
        let all = build(&plan, &follow_up, None);
        let sbn = build(&plan, &follow_up, Some("SBN"));
        assert!(sbn.board.as_deref().unwrap().starts_with("SBN – "));
        let n = |o: &Overview| o.goals.iter().map(|g| g.commitments.len()).sum::<usize>();
        assert!(n(&sbn) > 0 && n(&sbn) < n(&all), "{} of {}", n(&sbn), n(&all));
        assert!(sbn.goals.iter().flat_map(|g| &g.commitments).all(|c| c.boards.contains("SBN")));
    }

    #[test]
    fn comments_are_cut_to_the_first_paragraph() {
        assert_eq!(short_comment("Första.\n\nAndra.", 100), "Första.");
        assert_eq!(short_comment("ett två tre fyra", 9), "ett två…");
    }
}
