//! How one indicator series stands in a year: status against the target, trend against the
//! previous outcome, change since baseline, and the gap between women and men.
//!
//! The rules (documented in README, "Follow-up rules"):
//! - the target for year Y is the explicit target for Y; otherwise, between two points of the
//!   path baseline → targets, the straight line between them; before the first target with no
//!   earlier point, the first target; after the last target, the last target (it stays in force);
//! - **achieved** when the outcome meets the target in the indicator's direction (equal counts);
//! - **partly** when not met but within `partly_within_percent` % of the target, or when the
//!   outcome has come `partly_progress_share` of the way from baseline to target;
//! - **not achieved** otherwise; **no data** without an outcome or a target.

use serde::Serialize;

use crate::model::{Direction, FollowUpSettings, Indicator, Series, SeriesKind, Trend, YearValue};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorStatus {
    Achieved,
    Partly,
    NotAchieved,
    NoData,
}

impl IndicatorStatus {
    pub fn swedish(self) -> &'static str {
        match self {
            IndicatorStatus::Achieved => "uppnått",
            IndicatorStatus::Partly => "delvis",
            IndicatorStatus::NotAchieved => "ej uppnått",
            IndicatorStatus::NoData => "saknar utfall eller mål",
        }
    }
}

/// The target that applies to a year, and whether it was interpolated.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct YearTarget {
    pub value: f64,
    /// `true` when read off the path between baseline/targets rather than stated for the year.
    pub interpolated: bool,
}

/// Trend compared with the previous outcome (or the baseline when there is none before).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TrendResult {
    pub trend: Trend,
    pub previous_year: i32,
    pub previous_value: f64,
}

/// Everything about one series in one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesResult {
    pub series: String,
    pub year: i32,
    pub outcome: Option<f64>,
    pub target: Option<YearTarget>,
    pub status: IndicatorStatus,
    pub trend: Option<TrendResult>,
    /// Outcome minus baseline value.
    pub change_since_baseline: Option<f64>,
}

/// The women/men (or girls/boys) gap in a year: women minus men.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GenderGap {
    pub year: i32,
    pub gap: f64,
    pub previous_year: Option<i32>,
    pub previous_gap: Option<f64>,
    /// Whether the absolute gap is smaller than at the previous year both were measured.
    pub narrowed: Option<bool>,
}

/// Relative slack so that 3.0 against a target of 3.0 counts as met despite float rounding.
const EQUAL_EPSILON: f64 = 1e-9;

/// The target for `year`: see the module documentation for the rule.
pub fn target_for_year(series: &Series, year: i32) -> Option<YearTarget> {
    if let Some(value) = series.target(year) {
        return Some(YearTarget {
            value,
            interpolated: false,
        });
    }
    let first_target = series.targets.first()?;
    let last_target = series.targets.last()?;
    if year > last_target.0 {
        return Some(YearTarget {
            value: last_target.1,
            interpolated: false,
        });
    }
    // The latest path point before `year`: a target, or else the baseline.
    let earlier_target = series.targets.iter().rev().find(|(y, _)| *y < year).copied();
    let earlier = earlier_target.or(series.baseline.filter(|(y, _)| *y < year));
    let later = series.targets.iter().find(|(y, _)| *y > year).copied();
    match (earlier, later) {
        (Some(from), Some(to)) => Some(YearTarget {
            value: interpolate(from, to, year),
            interpolated: true,
        }),
        (None, Some(_)) => Some(YearTarget {
            value: first_target.1,
            interpolated: false,
        }),
        _ => None,
    }
}

fn interpolate((from_year, from): YearValue, (to_year, to): YearValue, year: i32) -> f64 {
    let span = f64::from(to_year - from_year);
    from + (to - from) * f64::from(year - from_year) / span
}

fn meets(outcome: f64, target: f64, direction: Direction) -> bool {
    let slack = EQUAL_EPSILON * target.abs().max(1.0);
    match direction {
        Direction::HigherIsBetter => outcome >= target - slack,
        Direction::LowerIsBetter => outcome <= target + slack,
        Direction::WithinBand(width) => (outcome - target).abs() <= width.abs() + slack,
    }
}

/// How far the outcome is from meeting the target, ≥ 0.
fn shortfall(outcome: f64, target: f64, direction: Direction) -> f64 {
    match direction {
        Direction::HigherIsBetter => (target - outcome).max(0.0),
        Direction::LowerIsBetter => (outcome - target).max(0.0),
        Direction::WithinBand(width) => ((outcome - target).abs() - width.abs()).max(0.0),
    }
}

/// Status of an outcome against a target, with the plan's settings and the indicator's overrides.
pub fn assess(
    outcome: Option<f64>,
    target: Option<f64>,
    baseline: Option<f64>,
    indicator: &Indicator,
    settings: &FollowUpSettings,
) -> IndicatorStatus {
    let (Some(outcome), Some(target)) = (outcome, target) else {
        return IndicatorStatus::NoData;
    };
    if meets(outcome, target, indicator.direction) {
        return IndicatorStatus::Achieved;
    }
    let within_percent = indicator
        .thresholds
        .partly_within_percent
        .unwrap_or(settings.partly_within_percent);
    let progress_share = indicator
        .thresholds
        .partly_progress_share
        .unwrap_or(settings.partly_progress_share);
    let tolerance = within_percent / 100.0 * target.abs();
    if shortfall(outcome, target, indicator.direction) <= tolerance + EQUAL_EPSILON {
        return IndicatorStatus::Partly;
    }
    if let Some(baseline) = baseline
        && !matches!(indicator.direction, Direction::WithinBand(_))
        && (target - baseline).abs() > EQUAL_EPSILON
    {
        let progress = (outcome - baseline) / (target - baseline);
        if progress >= progress_share {
            return IndicatorStatus::Partly;
        }
    }
    IndicatorStatus::NotAchieved
}

/// Better / unchanged / worse from `previous` to `current`, in the indicator's direction.
/// Changes within `tolerance_share` of the previous value count as unchanged.
pub fn trend_between(
    previous: f64,
    current: f64,
    direction: Direction,
    target: Option<f64>,
    tolerance_share: f64,
) -> Trend {
    let tolerance = tolerance_share * previous.abs().max(f64::MIN_POSITIVE) + EQUAL_EPSILON;
    let improvement = match direction {
        Direction::HigherIsBetter => current - previous,
        Direction::LowerIsBetter => previous - current,
        Direction::WithinBand(_) => match target {
            Some(target) => (previous - target).abs() - (current - target).abs(),
            None => 0.0,
        },
    };
    if improvement.abs() <= tolerance {
        Trend::Unchanged
    } else if improvement > 0.0 {
        Trend::Better
    } else {
        Trend::Worse
    }
}

/// The full result for one series in `year`.
pub fn series_result(
    indicator: &Indicator,
    series: &Series,
    year: i32,
    settings: &FollowUpSettings,
) -> SeriesResult {
    let outcome = series.outcome(year);
    let target = target_for_year(series, year);
    let baseline = series.baseline.filter(|(y, _)| *y <= year);
    let status = assess(
        outcome,
        target.map(|t| t.value),
        baseline.map(|(_, v)| v),
        indicator,
        settings,
    );
    let previous = series
        .outcomes
        .iter()
        .rev()
        .find(|(y, _)| *y < year)
        .copied()
        .or(series.baseline.filter(|(y, _)| *y < year));
    let trend = match (outcome, previous) {
        (Some(current), Some((previous_year, previous_value))) => Some(TrendResult {
            trend: trend_between(
                previous_value,
                current,
                indicator.direction,
                target.map(|t| t.value),
                settings.trend_tolerance_share,
            ),
            previous_year,
            previous_value,
        }),
        _ => None,
    };
    SeriesResult {
        series: series.name.clone(),
        year,
        outcome,
        target,
        status,
        trend,
        change_since_baseline: match (outcome, baseline) {
            (Some(outcome), Some((_, base))) => Some(outcome - base),
            _ => None,
        },
    }
}

/// The series the indicator is judged by: *Totalt*, else the first own (non-comparison) series.
pub fn main_series(indicator: &Indicator) -> Option<&Series> {
    indicator
        .series
        .iter()
        .find(|s| s.kind == SeriesKind::Total)
        .or_else(|| {
            indicator
                .series
                .iter()
                .find(|s| s.kind != SeriesKind::Comparison)
        })
}

/// Women minus men (or girls minus boys) in `year`, and whether the gap narrowed since the
/// previous year both were measured. `None` when the indicator has no such pair or no values.
pub fn gender_gap(indicator: &Indicator, year: i32) -> Option<GenderGap> {
    let find = |kind| indicator.series.iter().find(|s| s.kind == kind);
    let (women, men) = match (find(SeriesKind::Women), find(SeriesKind::Men)) {
        (Some(w), Some(m)) => (w, m),
        _ => (find(SeriesKind::Girls)?, find(SeriesKind::Boys)?),
    };
    let gap_in = |y: i32| Some(women.outcome(y)? - men.outcome(y)?);
    let gap = gap_in(year)?;
    let previous_year = women
        .outcomes
        .iter()
        .rev()
        .map(|(y, _)| *y)
        .filter(|y| *y < year)
        .find(|y| men.outcome(*y).is_some());
    let previous_gap = previous_year.and_then(gap_in);
    Some(GenderGap {
        year,
        gap,
        previous_year,
        previous_gap,
        narrowed: previous_gap.map(|previous| gap.abs() < previous.abs() - EQUAL_EPSILON),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{IndicatorKind, ItemId, Thresholds, Unit};

    fn series(name: &str, kind: SeriesKind, baseline: Option<YearValue>, targets: &[YearValue], outcomes: &[YearValue]) -> Series {
        Series {
            name: name.into(),
            kind,
            baseline,
            targets: targets.to_vec(),
            outcomes: outcomes.to_vec(),
        }
    }

    fn indicator(direction: Direction, unit: Unit, series: Vec<Series>) -> Indicator {
        Indicator {
            id: ItemId(1),
            goal: ItemId(2),
            code: String::new(),
            name: "test".into(),
            description: String::new(),
            kind: IndicatorKind::Organisation,
            unit,
            decimals: 1,
            direction,
            kolada: None,
            kolada_unit: None,
            thresholds: Thresholds::default(),
            series,
        }
    }

    fn settings() -> FollowUpSettings {
        FollowUpSettings::default()
    }

    /// Seed 001/002: unemployment 13,8 % (2014) → target 10,8 % (2019); 14,1 % in 2020.
    fn unemployment() -> Indicator {
        indicator(
            Direction::LowerIsBetter,
            Unit::Percent,
            vec![series("Totalt", SeriesKind::Total, Some((2014, 13.8)), &[(2019, 10.8)], &[(2020, 14.1)])],
        )
    }

    /// Seed 004: sick leave at KLK.
    fn sick_leave() -> Indicator {
        indicator(
            Direction::LowerIsBetter,
            Unit::Percent,
            vec![
                series("Totalt", SeriesKind::Total, None, &[(2022, 3.0), (2023, 3.0)], &[(2020, 3.1), (2021, 3.0), (2022, 1.7)]),
                series("Kvinnor", SeriesKind::Women, None, &[], &[(2022, 2.2)]),
                series("Män", SeriesKind::Men, None, &[], &[(2022, 0.7)]),
            ],
        )
    }

    #[test]
    fn unemployment_2020_is_not_achieved_and_worse() {
        let ind = unemployment();
        let result = series_result(&ind, &ind.series[0], 2020, &settings());
        assert_eq!(result.status, IndicatorStatus::NotAchieved);
        assert_eq!(result.target.map(|t| t.value), Some(10.8), "the 2019 target stays in force");
        let trend = result.trend.unwrap();
        assert_eq!(trend.trend, Trend::Worse);
        assert_eq!(trend.previous_year, 2014, "no outcome before 2020: compared with the baseline");
        assert!((result.change_since_baseline.unwrap() - 0.3).abs() < 1e-9);
    }

    #[test]
    fn sick_leave_2022_is_achieved_and_better() {
        let ind = sick_leave();
        let result = series_result(&ind, &ind.series[0], 2022, &settings());
        assert_eq!(result.status, IndicatorStatus::Achieved);
        assert_eq!(result.trend.unwrap().trend, Trend::Better);
        assert_eq!(result.trend.unwrap().previous_value, 3.0);
    }

    #[test]
    fn hme_2021_is_achieved_against_the_coming_target() {
        let ind = indicator(
            Direction::HigherIsBetter,
            Unit::Index,
            vec![series("Totalt", SeriesKind::Total, None, &[(2022, 83.0), (2023, 83.0)], &[(2020, 77.0), (2021, 86.0)])],
        );
        let result = series_result(&ind, &ind.series[0], 2021, &settings());
        assert_eq!(result.target.map(|t| t.value), Some(83.0));
        assert_eq!(result.status, IndicatorStatus::Achieved);
        assert_eq!(result.trend.unwrap().trend, Trend::Better);
        // 2022 has no outcome yet ("Mätning senare under 2022").
        assert_eq!(series_result(&ind, &ind.series[0], 2022, &settings()).status, IndicatorStatus::NoData);
    }

    #[test]
    fn pride_2021_is_not_achieved() {
        let ind = indicator(
            Direction::HigherIsBetter,
            Unit::Percent,
            vec![series("Totalt", SeriesKind::Total, None, &[(2022, 95.0)], &[(2020, 73.0), (2021, 86.0)])],
        );
        assert_eq!(series_result(&ind, &ind.series[0], 2021, &settings()).status, IndicatorStatus::NotAchieved);
    }

    #[test]
    fn exactly_on_target_counts_as_met_in_every_direction() {
        for direction in [Direction::HigherIsBetter, Direction::LowerIsBetter, Direction::WithinBand(0.0)] {
            let ind = indicator(direction, Unit::Percent, vec![]);
            assert_eq!(assess(Some(3.0), Some(3.0), None, &ind, &settings()), IndicatorStatus::Achieved);
            // 0.1 + 0.2 is not exactly 0.3 in binary; it still meets a target of 0.3.
            assert_eq!(assess(Some(0.1 + 0.2), Some(0.3), None, &ind, &settings()), IndicatorStatus::Achieved);
        }
    }

    #[test]
    fn each_direction_is_judged_its_own_way() {
        let s = settings();
        let higher = indicator(Direction::HigherIsBetter, Unit::Percent, vec![]);
        let lower = indicator(Direction::LowerIsBetter, Unit::Percent, vec![]);
        let band = indicator(Direction::WithinBand(1.0), Unit::Percent, vec![]);
        assert_eq!(assess(Some(60.0), Some(50.0), None, &higher, &s), IndicatorStatus::Achieved);
        assert_eq!(assess(Some(60.0), Some(50.0), None, &lower, &s), IndicatorStatus::NotAchieved);
        assert_eq!(assess(Some(40.0), Some(50.0), None, &lower, &s), IndicatorStatus::Achieved);
        assert_eq!(assess(Some(40.0), Some(50.0), None, &higher, &s), IndicatorStatus::NotAchieved);
        assert_eq!(assess(Some(50.9), Some(50.0), None, &band, &s), IndicatorStatus::Achieved);
        assert_eq!(assess(Some(49.1), Some(50.0), None, &band, &s), IndicatorStatus::Achieved);
        // 2 from the target: 1 outside the band, within 5 % of 50 (2.5) → partly.
        assert_eq!(assess(Some(52.0), Some(50.0), None, &band, &s), IndicatorStatus::Partly);
        assert_eq!(assess(Some(45.0), Some(50.0), None, &band, &s), IndicatorStatus::NotAchieved);
    }

    #[test]
    fn partly_by_tolerance_or_by_progress_from_baseline() {
        let s = settings();
        let higher = indicator(Direction::HigherIsBetter, Unit::Percent, vec![]);
        // Within 5 % of the target 60 (57–60).
        assert_eq!(assess(Some(57.0), Some(60.0), None, &higher, &s), IndicatorStatus::Partly);
        assert_eq!(assess(Some(56.9), Some(60.0), None, &higher, &s), IndicatorStatus::NotAchieved);
        // Half the way from 40 to 60.
        assert_eq!(assess(Some(50.0), Some(60.0), Some(40.0), &higher, &s), IndicatorStatus::Partly);
        assert_eq!(assess(Some(49.0), Some(60.0), Some(40.0), &higher, &s), IndicatorStatus::NotAchieved);
        // Lower is better: 13,8 → 10,8, at 12,3 half the way.
        let lower = indicator(Direction::LowerIsBetter, Unit::Percent, vec![]);
        assert_eq!(assess(Some(12.3), Some(10.8), Some(13.8), &lower, &s), IndicatorStatus::Partly);
        // Per-indicator thresholds override the plan's.
        let mut strict = higher.clone();
        strict.thresholds.partly_within_percent = Some(0.0);
        strict.thresholds.partly_progress_share = Some(0.9);
        assert_eq!(assess(Some(57.0), Some(60.0), None, &strict, &s), IndicatorStatus::NotAchieved);
        assert_eq!(assess(Some(50.0), Some(60.0), Some(40.0), &strict, &s), IndicatorStatus::NotAchieved);
    }

    #[test]
    fn missing_values_are_no_data() {
        let ind = unemployment();
        let s = settings();
        assert_eq!(assess(None, Some(10.8), None, &ind, &s), IndicatorStatus::NoData);
        assert_eq!(assess(Some(14.1), None, None, &ind, &s), IndicatorStatus::NoData);
        let no_targets = indicator(
            Direction::LowerIsBetter,
            Unit::Percent,
            vec![series("Totalt", SeriesKind::Total, Some((2014, 13.8)), &[], &[(2020, 14.1)])],
        );
        let result = series_result(&no_targets, &no_targets.series[0], 2020, &s);
        assert_eq!(result.status, IndicatorStatus::NoData);
        assert_eq!(result.target, None);
    }

    #[test]
    fn years_between_baseline_and_target_are_interpolated() {
        let s = series("Totalt", SeriesKind::Total, Some((2014, 13.8)), &[(2019, 10.8)], &[]);
        let t = target_for_year(&s, 2017).unwrap();
        assert!(t.interpolated);
        assert!((t.value - 12.0).abs() < 1e-9, "{}", t.value);
        // Between two targets as well.
        let two = series("Totalt", SeriesKind::Total, None, &[(2020, 10.0), (2024, 20.0)], &[]);
        assert!((target_for_year(&two, 2021).unwrap().value - 12.5).abs() < 1e-9);
        // The baseline year itself has no target of its own: the path starts at the target 2019.
        assert!(target_for_year(&s, 2014).unwrap().interpolated == false);
    }

    #[test]
    fn baseline_year_equal_to_target_year_does_not_divide_by_zero() {
        let s = series("Totalt", SeriesKind::Total, Some((2019, 12.0)), &[(2019, 10.8)], &[(2019, 10.8)]);
        let ind = indicator(Direction::LowerIsBetter, Unit::Percent, vec![s.clone()]);
        let result = series_result(&ind, &s, 2019, &settings());
        assert_eq!(result.target, Some(YearTarget { value: 10.8, interpolated: false }));
        assert_eq!(result.status, IndicatorStatus::Achieved);
        // Not met, baseline equal to target: no progress rule, no NaN.
        assert_eq!(
            assess(Some(14.0), Some(10.8), Some(10.8), &ind, &settings()),
            IndicatorStatus::NotAchieved
        );
    }

    #[test]
    fn trend_has_a_tolerance_and_follows_direction() {
        let tol = settings().trend_tolerance_share;
        assert_eq!(trend_between(3.0, 3.0, Direction::LowerIsBetter, None, tol), Trend::Unchanged);
        assert_eq!(trend_between(3.0, 3.01, Direction::LowerIsBetter, None, tol), Trend::Unchanged);
        assert_eq!(trend_between(3.1, 3.0, Direction::LowerIsBetter, None, tol), Trend::Better);
        assert_eq!(trend_between(3.1, 3.0, Direction::HigherIsBetter, None, tol), Trend::Worse);
        assert_eq!(trend_between(77.0, 86.0, Direction::HigherIsBetter, None, tol), Trend::Better);
        assert_eq!(trend_between(48.0, 49.0, Direction::WithinBand(1.0), Some(50.0), tol), Trend::Better);
        assert_eq!(trend_between(50.0, 53.0, Direction::WithinBand(1.0), Some(50.0), tol), Trend::Worse);
        assert_eq!(trend_between(0.0, 0.0, Direction::HigherIsBetter, None, tol), Trend::Unchanged);
    }

    #[test]
    fn ratios_and_scales_are_judged_as_numbers() {
        // Women managers in the public sector 63/37 (2014) → 60/40 (2019): the first share falls.
        let ratio = indicator(
            Direction::LowerIsBetter,
            Unit::Ratio,
            vec![series("Eskilstuna", SeriesKind::Total, Some((2014, 63.0)), &[(2019, 60.0)], &[(2019, 60.0)])],
        );
        assert_eq!(series_result(&ratio, &ratio.series[0], 2019, &settings()).status, IndicatorStatus::Achieved);
        let scale = indicator(
            Direction::HigherIsBetter,
            Unit::Scale(1.0, 4.0),
            vec![series("Totalt", SeriesKind::Total, Some((2014, 3.7)), &[(2019, 3.7)], &[(2019, 3.6)])],
        );
        // 3,6 is within 5 % of 3,7.
        assert_eq!(series_result(&scale, &scale.series[0], 2019, &settings()).status, IndicatorStatus::Partly);
    }

    #[test]
    fn gender_gap_and_whether_it_narrowed() {
        let ind = sick_leave();
        let gap = gender_gap(&ind, 2022).unwrap();
        assert!((gap.gap - 1.5).abs() < 1e-9);
        assert_eq!(gap.narrowed, None, "no earlier year with both");
        let mut ind = ind;
        ind.series[1].outcomes.insert(0, (2021, 3.5));
        ind.series[2].outcomes.insert(0, (2021, 1.0));
        let gap = gender_gap(&ind, 2022).unwrap();
        assert_eq!(gap.previous_year, Some(2021));
        assert_eq!(gap.narrowed, Some(true));
        assert!(gender_gap(&unemployment(), 2020).is_none());
    }

    #[test]
    fn main_series_prefers_total_and_skips_comparisons() {
        let ind = indicator(
            Direction::HigherIsBetter,
            Unit::Percent,
            vec![
                series("Riket", SeriesKind::Comparison, None, &[], &[]),
                series("Kvinnor", SeriesKind::Women, None, &[], &[]),
            ],
        );
        assert_eq!(main_series(&ind).unwrap().name, "Kvinnor");
        assert_eq!(main_series(&sick_leave()).unwrap().name, "Totalt");
    }
}
