//! Deterministic synthetic plans at municipality scale, for benchmarks and load tests
//! (`malplan generate --scale small|large|huge`). Same scale → same plan, byte for byte.

use crate::model::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    Small,
    Large,
    Huge,
}

struct Sizes {
    areas: usize,
    strategic_goals: usize,
    boards: usize,
    board_goals: usize,
    commitments: usize,
    indicators: usize,
    years: i32,
}

fn sizes(scale: Scale) -> Sizes {
    match scale {
        Scale::Small => Sizes { areas: 2, strategic_goals: 4, boards: 4, board_goals: 20, commitments: 100, indicators: 40, years: 10 },
        Scale::Large => Sizes { areas: 5, strategic_goals: 10, boards: 25, board_goals: 500, commitments: 5_000, indicators: 2_000, years: 20 },
        Scale::Huge => Sizes { areas: 5, strategic_goals: 10, boards: 250, board_goals: 5_000, commitments: 50_000, indicators: 20_000, years: 20 },
    }
}

/// A small, fast, reproducible random source (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const WORDS: [&str; 40] = [
    "utveckla", "stärka", "öka", "minska", "trygghet", "förskolan", "äldreomsorgen", "näringslivet",
    "medborgarna", "kvinnor", "män", "flickor", "pojkar", "hållbar", "miljö", "klimatet", "bostäder",
    "arbetsmarknaden", "kompetensförsörjning", "digitalisering", "samverkan", "föreningslivet",
    "kulturen", "fritiden", "ekonomi", "effektivitet", "tillgänglighet", "jämställdhet", "service",
    "företagsklimat", "skolresultat", "folkhälsa", "delaktighet", "landsbygden", "centrum",
    "återvinning", "energi", "kollektivtrafik", "säkerhet", "inflytande",
];

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut text = String::new();
    for i in 0..words {
        if i > 0 {
            text.push(' ');
        }
        text.push_str(WORDS[rng.below(WORDS.len())]);
    }
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => text,
    }
}

/// A synthetic budget for `board`: one operating table of `rows` rows in groups of 100
/// (activities per area) over `columns` columns (Bokslut, Budget, Plan years), amounts in whole
/// kronor that vary like a real ledger's, and a frame near the net cost. Ids start at `first_id`.
pub fn budget(board: &str, rows: usize, columns: usize, first_id: u32) -> crate::budget::Budget {
    use crate::budget::{Budget, BudgetColumn, BudgetGroup, BudgetRow, BudgetTable, ColumnKind, Frame, TableKind};
    let mut rng = Rng(SEED ^ rows as u64);
    let year = 2025;
    let columns: Vec<BudgetColumn> = (0..columns as i32)
        .map(|i| {
            let y = year - 2 + i;
            let kind = match y.cmp(&(year - 1)) {
                std::cmp::Ordering::Less => ColumnKind::Actual,
                _ if y <= year => ColumnKind::Budget,
                _ => ColumnKind::Plan,
            };
            BudgetColumn { kind, year: y }
        })
        .collect();
    let mut next = first_id + 2;
    let mut net = 0i64;
    let groups: Vec<BudgetGroup> = (0..rows.div_ceil(100))
        .map(|g| BudgetGroup {
            name: format!("Verksamhetsområde {}", g + 1),
            rows: (0..100.min(rows - g * 100))
                .map(|r| {
                    let base = -((rng.next() % 20_000_000) as i64) + 2_000_000;
                    let amounts = (0..columns.len()).map(|c| Some(base - (c as i64) * (base.abs() / 50))).collect();
                    net += base;
                    next += 1;
                    BudgetRow { id: ItemId(next - 1), code: format!("{}", 10 + g * 100 + r), name: format!("Verksamhet {} {}", g + 1, r + 1), amounts }
                })
                .collect(),
            stated_total: vec![],
        })
        .collect();
    Budget {
        id: ItemId(first_id),
        board: board.into(),
        year,
        columns,
        frame: Some(Frame { amount: -net, efficiency_requirement: -net / 60, measures: vec![] }),
        tables: vec![BudgetTable {
            id: ItemId(first_id + 1),
            kind: TableKind::Operating,
            title: "Driftbudget (tkr)".into(),
            total_label: "Summa".into(),
            groups,
            against_frame: true,
            ..BudgetTable::default()
        }],
        ..Budget::default()
    }
}

/// The synthetic plan for a scale.
pub fn generate(scale: Scale) -> Plan {
    let s = sizes(scale);
    let mut rng = Rng(SEED);
    let first_year = 2025 - s.years;
    let mut plan = Plan::new("Exempelstads kommun", "Syntetisk plan för prestandamätning", 2024, 2027);
    plan.meta.owner_board = Some("KF".into());
    plan.meta.source = format!("Genererad av malplan generate ({scale:?})");
    plan.boards.push(Board { code: "KF".into(), name: "Kommunfullmäktige".into(), kind: BoardKind::Board });
    for b in 0..s.boards {
        plan.boards.push(Board {
            code: format!("N{b:03}"),
            name: format!("{}nämnden {b}", ["Kultur- och fritids", "Utbildnings", "Social", "Miljö- och bygg", "Teknik"][b % 5]),
            kind: if b % 7 == 6 { BoardKind::Company } else { BoardKind::Board },
        });
    }
    let mut next = 1u32;
    let mut id = || {
        let current = ItemId(next);
        next += 1;
        current
    };
    let goal = |id: ItemId, level, parent, title: String, rng: &mut Rng| Goal {
        id,
        level,
        parent,
        title,
        description: sentence(rng, 30),
        focus: (0..3).map(|_| sentence(rng, 12)).collect(),
        agenda2030: vec![(rng.below(17) + 1) as u8],
        boards: Vec::new(),
        precision: String::new(),
        schedule: Vec::new(),
    };
    let areas: Vec<ItemId> = (0..s.areas)
        .map(|a| {
            let area = goal(id(), GoalLevel::Area, None, format!("Målområde {}: {}", a + 1, sentence(&mut rng, 4)), &mut rng);
            let area_id = area.id;
            plan.goals.push(area);
            area_id
        })
        .collect();
    let strategic: Vec<ItemId> = (0..s.strategic_goals)
        .map(|g| {
            let goal = goal(id(), GoalLevel::StrategicGoal, Some(areas[g % areas.len()]), sentence(&mut rng, 8), &mut rng);
            let goal_id = goal.id;
            plan.goals.push(goal);
            goal_id
        })
        .collect();
    let mut board_goals = Vec::with_capacity(s.board_goals);
    for g in 0..s.board_goals {
        let mut board_goal = goal(id(), GoalLevel::BoardGoal, Some(strategic[g % strategic.len()]), sentence(&mut rng, 14), &mut rng);
        board_goal.boards = vec![format!("N{:03}", g % s.boards)];
        board_goal.precision = sentence(&mut rng, 10);
        board_goal.schedule = vec![
            ScheduleEntry { label: "Deluppföljning".into(), day: 31, month: 5 },
            ScheduleEntry { label: "Slutuppföljning".into(), day: 31, month: 12 },
        ];
        board_goals.push(board_goal.id);
        plan.goals.push(board_goal);
    }
    for c in 0..s.commitments {
        let owner = board_goals[c % board_goals.len()];
        let boards = (0..1 + rng.below(3)).map(|_| format!("N{:03}", rng.below(s.boards))).collect();
        plan.commitments.push(Commitment { id: id(), goal: owner, text: sentence(&mut rng, 18), boards });
    }
    for i in 0..s.indicators {
        let owner = if i % 5 == 0 { strategic[i % strategic.len()] } else { board_goals[i % board_goals.len()] };
        let level = 20.0 + rng.unit() * 60.0;
        let lower = i % 3 == 0;
        let series = [("Totalt", SeriesKind::Total), ("Kvinnor", SeriesKind::Women), ("Män", SeriesKind::Men), ("Riket", SeriesKind::Comparison)]
            .into_iter()
            .map(|(name, kind)| {
                let mut value = level + rng.unit() * 6.0 - 3.0;
                let outcomes: Vec<YearValue> = (first_year..2025)
                    .map(|year| {
                        value += rng.unit() * 2.0 - 1.0;
                        (year, (value * 10.0).round() / 10.0)
                    })
                    .collect();
                let target = if lower { level * 0.8 } else { level * 1.2 };
                Series {
                    name: name.into(),
                    kind,
                    baseline: outcomes.first().copied(),
                    targets: if kind == SeriesKind::Comparison { vec![] } else { vec![(2025, (target * 10.0).round() / 10.0), (2027, (target * 10.5).round() / 10.0)] },
                    outcomes,
                }
            })
            .collect();
        plan.indicators.push(Indicator {
            id: id(),
            goal: owner,
            code: format!("{}", i + 1),
            name: sentence(&mut rng, 9),
            description: String::new(),
            kind: if i % 4 == 0 { IndicatorKind::Place } else { IndicatorKind::Organisation },
            unit: Unit::Percent,
            decimals: 1,
            direction: if lower { Direction::LowerIsBetter } else { Direction::HigherIsBetter },
            kolada: Some(format!("N{:05}", 10_000 + i)),
            kolada_unit: None,
            thresholds: Thresholds::default(),
            series,
        });
    }
    let statuses = [CommitmentStatus::Done, CommitmentStatus::InProgress, CommitmentStatus::Delayed, CommitmentStatus::NotStarted];
    let period = FollowUpPeriod {
        id: id(),
        name: "Årsredovisning 2024".into(),
        year: 2024,
        date: Some("2025-02-28".into()),
        goals: strategic
            .iter()
            .map(|&g| GoalFollowUp { goal: g, assessment: Assessment::Partly, trend: Some(Trend::Better), comment: sentence(&mut rng, 25) })
            .collect(),
        commitments: plan
            .commitments
            .iter()
            .map(|c| c.id)
            .collect::<Vec<_>>()
            .into_iter()
            .map(|c| CommitmentFollowUp {
                commitment: c,
                status: statuses[rng.below(statuses.len())],
                completion: Some((rng.below(6) * 20) as u8),
                comment: sentence(&mut rng, 20),
            })
            .collect(),
    };
    plan.periods.push(period);
    plan
}

/// Fixed, so the same scale always gives the same plan.
const SEED: u64 = 0x5eed_0f0a_1b1a_2b3c;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_plan_is_valid_deterministic_and_sized() {
        let a = generate(Scale::Small);
        let b = generate(Scale::Small);
        assert_eq!(a, b);
        assert_eq!(crate::validate::validate(&a), vec![]);
        assert_eq!(a.indicators.len(), 40);
        assert_eq!(a.commitments.len(), 100);
        assert!(a.indicators[0].series.iter().all(|s| s.outcomes.len() == 10));
        assert!(a.goals.iter().any(|g| g.title.chars().any(|c| "åäöÅÄÖ".contains(c)) || g.description.contains('ä')));
    }
}
