//! Property: for any plan, save → load → save gives the same plan and the same bytes.

use malplan::model::*;
use malplan::storage;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

fn text() -> impl Strategy<Value = String> {
    // Any Unicode, including quotes, backslashes, newlines and Swedish letters. A CRLF pair in
    // a text reads back as LF (files converted to CRLF line ends must not grow CRs in texts),
    // so the plans generated here hold texts as the app makes them: line breaks are LF.
    prop_oneof![any::<String>(), "[a-zåäöA-ZÅÄÖ \"\\\\\n\r,()\\[\\]:–]{0,30}"]
        .prop_map(|mut t| {
            while t.contains("\r\n") {
                t = t.replace("\r\n", "\n");
            }
            t
        })
}

fn finite() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>().prop_filter("finite", |v| v.is_finite()),
        (-1000i32..1000).prop_map(|v| f64::from(v) / 10.0),
    ]
}

fn year_values() -> impl Strategy<Value = Vec<YearValue>> {
    proptest::collection::btree_map(1990i32..2050, finite(), 0..6)
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
        option::of((1990i32..2050, finite())),
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
        (finite(), finite()).prop_map(|(a, b)| Unit::Scale(a, b)),
        text().prop_map(Unit::Other),
    ]
}

fn direction() -> impl Strategy<Value = Direction> {
    prop_oneof![
        Just(Direction::HigherIsBetter),
        Just(Direction::LowerIsBetter),
        finite().prop_map(Direction::WithinBand),
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
            (option::of(finite()), option::of(finite())),
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
                    kolada,
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

fn plan() -> impl Strategy<Value = Plan> {
    (
        (text(), text(), option::of(text()), 1990i32..2050, 1990i32..2050, option::of(text()), text()),
        (text(), text()),
        vec((text(), text(), prop_oneof![Just(BoardKind::Board), Just(BoardKind::Company), Just(BoardKind::Group)]), 0..3),
        vec(goal(), 0..4),
        vec((id(), id(), text(), vec(text(), 0..3)), 0..4),
        vec(indicator(), 0..3),
        vec(period(), 0..2),
        (finite(), finite(), finite(), finite(), finite()),
    )
        .prop_map(
            |(meta, vision, boards, goals, commitments, indicators, periods, settings)| Plan {
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
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn save_load_save_is_identity(plan in plan()) {
        let first = storage::to_ron_string(&plan).unwrap();
        let loaded = storage::parse_str(&first, "prop.ron")
            .map_err(|e| TestCaseError::fail(format!("{e}\n{first}")))?;
        prop_assert_eq!(&loaded, &plan);
        let second = storage::to_ron_string(&loaded).unwrap();
        prop_assert_eq!(second, first);
    }
}
