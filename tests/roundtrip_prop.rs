//! Property: for any plan, save → load → save gives the same plan and the same bytes –
//! including values that are NaN, ±∞ or −0.0, which the format has read and written since
//! format 3 (`check` reports them; the file keeps them, so whatever was saved opens again).

use malplan::budget::money::MoneyUnit;
use malplan::budget::*;
use malplan::model::*;
use malplan::storage;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::strategy::ValueTree;

fn text() -> impl Strategy<Value = String> {
    // Any Unicode, including quotes, backslashes, line breaks of every kind (CR LF too: a
    // plan holding a CR writes its texts escaped, see `storage::to_ron_string`) and Swedish
    // letters. tests/text_roundtrip.rs tries harder texts.
    prop_oneof![any::<String>(), "[a-zåäöA-ZÅÄÖ \"\\\\\n\r,()\\[\\]:–]{0,30}"]
}

/// Any value a plan can hold: mostly ordinary numbers, sometimes NaN (also with the sign bit
/// set, as x86 arithmetic makes it, and with any payload), +∞, −∞ and −0.0.
fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        8 => any::<f64>().prop_filter("finite", |v| v.is_finite()),
        8 => (-1000i32..1000).prop_map(|v| f64::from(v) / 10.0),
        1 => Just(f64::NAN),
        1 => Just(-f64::NAN),
        1 => proptest::num::f64::POSITIVE | proptest::num::f64::NEGATIVE | proptest::num::f64::QUIET_NAN,
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
        1 => Just(-0.0),
        1 => Just(0.0),
    ]
}

fn year_values() -> impl Strategy<Value = Vec<YearValue>> {
    proptest::collection::btree_map(1990i32..2050, value(), 0..6)
        .prop_map(|m| m.into_iter().collect())
}

fn id() -> impl Strategy<Value = ItemId> {
    (0u32..10_000).prop_map(ItemId)
}

fn series() -> impl Strategy<Value = Series> {
    (
        text(),
        prop_oneof![
            Just(SeriesKind::Total),
            Just(SeriesKind::Women),
            Just(SeriesKind::Men),
            Just(SeriesKind::Girls),
            Just(SeriesKind::Boys),
            Just(SeriesKind::Comparison),
            Just(SeriesKind::Other),
        ],
        option::of((1990i32..2050, value())),
        year_values(),
        year_values(),
    )
        .prop_map(|(name, kind, baseline, targets, outcomes)| Series {
            name,
            kind,
            baseline,
            targets,
            outcomes,
        })
}

fn unit() -> impl Strategy<Value = Unit> {
    prop_oneof![
        Just(Unit::Percent),
        Just(Unit::Count),
        Just(Unit::Index),
        Just(Unit::Kronor),
        Just(Unit::Ratio),
        (value(), value()).prop_map(|(a, b)| Unit::Scale(a, b)),
        text().prop_map(Unit::Other),
    ]
}

fn direction() -> impl Strategy<Value = Direction> {
    prop_oneof![
        Just(Direction::HigherIsBetter),
        Just(Direction::LowerIsBetter),
        value().prop_map(Direction::WithinBand),
    ]
}

fn indicator() -> impl Strategy<Value = Indicator> {
    (
        (id(), id(), text(), text(), text()),
        (
            prop_oneof![Just(IndicatorKind::Place), Just(IndicatorKind::Organisation)],
            unit(),
            0u8..7,
            direction(),
            option::of(text()),
            (option::of(value()), option::of(value())),
        ),
        vec(series(), 0..4),
    )
        .prop_map(
            |((id, goal, code, name, description), (kind, unit, decimals, direction, kolada, (w, s)), series)| {
                Indicator {
                    id,
                    goal,
                    code,
                    name,
                    description,
                    kind,
                    unit,
                    decimals,
                    direction,
                    kolada: kolada.clone(),
                    // A unit only with a KPI, as the app sets it.
                    kolada_unit: kolada.map(|k| format!("V15E{}", k.len())),
                    thresholds: Thresholds {
                        partly_within_percent: w,
                        partly_progress_share: s,
                    },
                    series,
                }
            },
        )
}

fn goal() -> impl Strategy<Value = Goal> {
    (
        (id(), prop_oneof![Just(GoalLevel::Area), Just(GoalLevel::StrategicGoal), Just(GoalLevel::BoardGoal)]),
        (option::of(id()), text(), text(), vec(text(), 0..3)),
        (vec(1u8..18, 0..3), vec(text(), 0..2), text()),
        vec((text(), 1u8..32, 1u8..13), 0..3),
    )
        .prop_map(|((id, level), (parent, title, description, focus), (agenda2030, boards, precision), schedule)| Goal {
            id,
            level,
            parent,
            title,
            description,
            focus,
            agenda2030,
            boards,
            precision,
            schedule: schedule
                .into_iter()
                .map(|(label, day, month)| ScheduleEntry { label, day, month })
                .collect(),
        })
}

fn period() -> impl Strategy<Value = FollowUpPeriod> {
    let assessment = prop_oneof![
        Just(Assessment::Achieved),
        Just(Assessment::Partly),
        Just(Assessment::NotAchieved),
        Just(Assessment::NotAssessed),
    ];
    let trend = option::of(prop_oneof![Just(Trend::Better), Just(Trend::Unchanged), Just(Trend::Worse)]);
    let status = prop_oneof![
        Just(CommitmentStatus::NotStarted),
        Just(CommitmentStatus::InProgress),
        Just(CommitmentStatus::Done),
        Just(CommitmentStatus::Delayed),
        Just(CommitmentStatus::Cancelled),
    ];
    (
        id(),
        text(),
        1990i32..2050,
        option::of(text()),
        vec((id(), assessment, trend, text()), 0..3),
        vec((id(), status, option::of(0u8..=100), text()), 0..3),
    )
        .prop_map(|(id, name, year, date, goals, commitments)| FollowUpPeriod {
            id,
            name,
            year,
            date,
            goals: goals
                .into_iter()
                .map(|(goal, assessment, trend, comment)| GoalFollowUp {
                    goal,
                    assessment,
                    trend,
                    comment,
                })
                .collect(),
            commitments: commitments
                .into_iter()
                .map(|(commitment, status, completion, comment)| CommitmentFollowUp {
                    commitment,
                    status,
                    completion,
                    comment,
                })
                .collect(),
        })
}

fn amounts() -> impl Strategy<Value = Vec<Option<i64>>> {
    // As a plan holds them: no trailing empty cells (see `budget::normalize`).
    vec(option::of(prop_oneof![any::<i64>(), -1_000_000_000i64..1_000_000_000]), 0..5).prop_map(|mut amounts| {
        while amounts.last() == Some(&None) {
            amounts.pop();
        }
        amounts
    })
}

fn budget_table() -> impl Strategy<Value = BudgetTable> {
    (
        (id(), prop_oneof![Just(TableKind::Operating), Just(TableKind::Investment)], text(), text()),
        vec((text(), vec((id(), text(), text(), amounts()), 0..3), amounts()), 0..3),
        amounts(),
        option::of(id()),
        any::<bool>(),
    )
        .prop_map(|((id, kind, title, total_label), groups, stated_total, same_total_as, against_frame)| BudgetTable {
            id,
            kind,
            title,
            total_label,
            groups: groups
                .into_iter()
                .map(|(name, rows, stated_total)| BudgetGroup {
                    name,
                    rows: rows.into_iter().map(|(id, code, name, amounts)| BudgetRow { id, code, name, amounts }).collect(),
                    stated_total,
                })
                .collect(),
            stated_total,
            same_total_as,
            against_frame,
        })
}

fn budget() -> impl Strategy<Value = Budget> {
    (
        (id(), text(), 1990i32..2050),
        vec((prop_oneof![Just(ColumnKind::Actual), Just(ColumnKind::Budget), Just(ColumnKind::Plan)], 1990i32..2050), 0..4),
        option::of((any::<i64>(), any::<i64>(), vec((text(), vec(text(), 0..2)), 0..2))),
        vec(budget_table(), 0..3),
        vec((text(), any::<i64>()), 0..2),
        vec(text(), 0..2),
    )
        .prop_map(|((id, board, year), columns, frame, tables, contributions, notes)| Budget {
            id,
            board,
            year,
            columns: columns.into_iter().map(|(kind, year)| BudgetColumn { kind, year }).collect(),
            frame: frame.map(|(amount, efficiency_requirement, measures)| Frame {
                amount,
                efficiency_requirement,
                measures: measures.into_iter().map(|(title, consequences)| Measure { title, consequences }).collect(),
            }),
            tables,
            contributions: contributions.into_iter().map(|(name, amount)| Contribution { name, amount }).collect(),
            notes,
        })
}

fn measure() -> impl Strategy<Value = malplan::economy::Measure> {
    proptest::sample::select(malplan::economy::Measure::ALL.to_vec())
}

fn economy_table() -> impl Strategy<Value = malplan::economy::EconomyTable> {
    use malplan::economy::{EconomyGroup, EconomyRow, EconomyTable, EconomyTableKind};
    (
        (id(), proptest::sample::select(vec![EconomyTableKind::Statement, EconomyTableKind::Operating, EconomyTableKind::Investment]), text(), text()),
        (proptest::sample::select(vec![MoneyUnit::Kr, MoneyUnit::Tkr, MoneyUnit::Mnkr]), 0u8..4),
        vec(measure(), 0..5),
        vec((text(), text(), vec((id(), text(), amounts(), text()), 0..3), amounts()), 0..3),
        amounts(),
        option::of(id()),
    )
        .prop_map(|((id, kind, title, total_label), (unit, decimals), columns, groups, stated_total, same_total_as)| EconomyTable {
            id,
            kind,
            title,
            unit,
            decimals,
            columns,
            groups: groups
                .into_iter()
                .map(|(name, total_label, rows, stated_total)| EconomyGroup {
                    name,
                    total_label,
                    rows: rows.into_iter().map(|(id, name, amounts, accounts)| EconomyRow { id, name, amounts, accounts }).collect(),
                    stated_total,
                })
                .collect(),
            total_label,
            stated_total,
            same_total_as,
        })
}

fn economy() -> impl Strategy<Value = malplan::economy::EconomicFollowUp> {
    use malplan::economy::{EconomicFollowUp, Explanation};
    (
        (id(), id(), text(), 1u8..=12, option::of(1u8..=12), option::of(id())),
        vec(economy_table(), 0..3),
        vec((text(), any::<i64>()), 0..3),
        vec(text(), 0..2),
        vec(id(), 0..2),
    )
        .prop_map(|((id, period, board, through_month, previous_forecast_month, result_table), tables, explanations, notes, goals)| {
            EconomicFollowUp {
                id,
                period,
                board,
                through_month,
                previous_forecast_month,
                result_table,
                tables,
                explanations: explanations.into_iter().map(|(text, amount)| Explanation { text, amount }).collect(),
                notes,
                goals,
            }
        })
}

fn money() -> impl Strategy<Value = MoneySettings> {
    (prop_oneof![Just(MoneyUnit::Kr), Just(MoneyUnit::Tkr), Just(MoneyUnit::Mnkr)], any::<u8>(), any::<bool>())
        .prop_map(|(unit, decimals, costs_positive)| MoneySettings { unit, decimals, costs_positive })
}

fn plan() -> impl Strategy<Value = Plan> {
    (
        (text(), text(), option::of(text()), 1990i32..2050, 1990i32..2050, option::of(text()), text()),
        (text(), text()),
        vec((text(), text(), prop_oneof![Just(BoardKind::Board), Just(BoardKind::Company), Just(BoardKind::Group)]), 0..3),
        vec(goal(), 0..4),
        vec((id(), id(), text(), vec(text(), 0..3)), 0..4),
        vec(indicator(), 0..3),
        vec(period(), 0..2),
        (value(), value(), value(), value(), value()),
        (vec(budget(), 0..2), money(), vec(economy(), 0..2), vec((text(), text(), text(), text(), text()), 0..2)),
    )
        .prop_map(
            |(meta, vision, boards, goals, commitments, indicators, periods, settings, (budgets, money, economy, conflicts))| Plan {
                format_version: FORMAT_VERSION,
                meta: PlanMeta {
                    organisation: meta.0,
                    title: meta.1,
                    owner_board: meta.2,
                    first_year: meta.3,
                    last_year: meta.4,
                    decided: meta.5,
                    source: meta.6,
                },
                vision: Vision {
                    title: vision.0,
                    text: vision.1,
                },
                boards: boards
                    .into_iter()
                    .map(|(code, name, kind)| Board { code, name, kind })
                    .collect(),
                goals,
                commitments: commitments
                    .into_iter()
                    .map(|(id, goal, text, boards)| Commitment { id, goal, text, boards })
                    .collect(),
                indicators,
                periods,
                settings: FollowUpSettings {
                    partly_within_percent: settings.0,
                    partly_progress_share: settings.1,
                    trend_tolerance_share: settings.2,
                    rollup_achieved_share: settings.3,
                    rollup_not_achieved_share: settings.4,
                },
                budgets,
                money,
                economy,
                kolada: Default::default(),
                closed_periods: Vec::new(),
                document: Default::default(),
                conflicts: conflicts
                    .into_iter()
                    .map(|(place, what, mine, theirs, theirs_value)| malplan::model::MergeConflict {
                        mine_value: (what.len() % 2 == 0).then(|| mine.clone()),
                        place,
                        what,
                        mine,
                        theirs,
                        theirs_value,
                    })
                    .collect(),
            },
        )
}

/// Every `f64` of a plan, in a fixed order.
fn for_each_value(plan: &mut Plan, f: &mut dyn FnMut(&mut f64)) {
    let settings = &mut plan.settings;
    for value in [
        &mut settings.partly_within_percent,
        &mut settings.partly_progress_share,
        &mut settings.trend_tolerance_share,
        &mut settings.rollup_achieved_share,
        &mut settings.rollup_not_achieved_share,
    ] {
        f(value);
    }
    for indicator in &mut plan.indicators {
        if let Unit::Scale(low, high) = &mut indicator.unit {
            f(low);
            f(high);
        }
        if let Direction::WithinBand(band) = &mut indicator.direction {
            f(band);
        }
        indicator.thresholds.partly_within_percent.as_mut().map(&mut *f);
        indicator.thresholds.partly_progress_share.as_mut().map(&mut *f);
        for series in &mut indicator.series {
            if let Some((_, value)) = &mut series.baseline {
                f(value);
            }
            for (_, value) in series.targets.iter_mut().chain(&mut series.outcomes) {
                f(value);
            }
        }
    }
}

/// The plan's values taken out (in `for_each_value` order), and the plan with each set to 0.
fn split_values(plan: &Plan) -> (Plan, Vec<f64>) {
    let mut rest = plan.clone();
    let mut values = Vec::new();
    for_each_value(&mut rest, &mut |v| values.push(std::mem::replace(v, 0.0)));
    (rest, values)
}

/// The same value bit for bit (so −0.0 is not 0.0), except that every NaN is the same: the
/// file writes NaN without its payload.
fn same_value(a: f64, b: f64) -> bool {
    (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits()
}

/// `loaded` is `plan`: everything but the values by `==`, the values by [`same_value`] (where
/// `==` would fail for NaN and pass −0.0 for 0.0).
fn assert_same_plan(loaded: &Plan, plan: &Plan) -> Result<(), TestCaseError> {
    let (loaded_rest, loaded_values) = split_values(loaded);
    let (plan_rest, plan_values) = split_values(plan);
    prop_assert_eq!(&loaded_rest, &plan_rest);
    prop_assert_eq!(loaded_values.len(), plan_values.len());
    for (i, (read, written)) in loaded_values.iter().zip(&plan_values).enumerate() {
        prop_assert!(same_value(*read, *written), "value {}: {:?} read back as {:?}", i, written, read);
    }
    Ok(())
}

#[test]
fn same_value_tells_signed_zeros_apart_and_takes_nan_as_nan() {
    assert!(same_value(f64::NAN, -f64::NAN));
    assert!(same_value(f64::INFINITY, f64::INFINITY));
    assert!(!same_value(0.0, -0.0));
    assert!(!same_value(f64::NAN, 0.0));
    assert!(!same_value(f64::INFINITY, f64::NEG_INFINITY));
    let mut plan = Plan::new("X", "Y", 2024, 2027);
    let mut other = plan.clone();
    other.settings.partly_within_percent = -0.0;
    plan.settings.partly_within_percent = 0.0;
    assert_eq!(plan, other, "== does not see the sign of zero");
    assert!(assert_same_plan(&other, &plan).is_err(), "the helper does");
}

/// The property below sees NaN, ±∞ and −0.0 in many of its plans, not by chance only.
#[test]
fn the_plans_hold_nan_infinities_and_negative_zero() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut with = [0usize; 4];
    for _ in 0..100 {
        let plan = plan().new_tree(&mut runner).unwrap().current();
        let values = split_values(&plan).1;
        let found = [
            values.iter().any(|v| v.is_nan()),
            values.iter().any(|v| *v == f64::INFINITY),
            values.iter().any(|v| *v == f64::NEG_INFINITY),
            values.iter().any(|v| v.to_bits() == (-0.0f64).to_bits()),
        ];
        for (count, found) in with.iter_mut().zip(found) {
            *count += usize::from(found);
        }
    }
    assert!(with.iter().all(|&n| n >= 30), "of 100 plans, [NaN, +∞, −∞, −0.0] in {with:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn save_load_save_is_identity(plan in plan()) {
        let first = storage::to_ron_string(&plan).unwrap();
        let loaded = storage::parse_str(&first, "prop.ron")
            .map_err(|e| TestCaseError::fail(format!("{e}\n{first}")))?;
        assert_same_plan(&loaded, &plan)?;
        let has_nan = split_values(&plan).1.iter().any(|v| v.is_nan());
        if !has_nan {
            // Without NaN, `==` holds too (and −0.0 is checked above).
            prop_assert_eq!(&loaded, &plan);
        }
        let second = storage::to_ron_string(&loaded).unwrap();
        prop_assert_eq!(&second, &first);
        // A file whose line ends were converted to CR LF (git's autocrlf, some editors) reads
        // as the same plan.
        let converted = storage::parse_str(&first.replace('\n', "\r\n"), "crlf.ron")
            .map_err(|e| TestCaseError::fail(format!("with CR LF line ends: {e}")))?;
        assert_same_plan(&converted, &plan)?;
    }
}
