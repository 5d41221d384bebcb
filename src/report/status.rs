//! `malplan status` output: a readable table, and CSV and JSON for scripts.
//!
//! CSV and JSON are stable formats (documented in README, "Status output"): field names and
//! codes do not change between versions; new fields may be added at the end.

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::followup::number::format_value;
use crate::followup::rollup::{assessment_swedish, trend_swedish};
use crate::followup::{FollowUp, IndicatorResult, IndicatorStatus, SeriesResult};
use crate::model::{Assessment, GoalLevel, Indicator, Plan, Trend};
use crate::validate::level_name;

pub fn assessment_code(assessment: Assessment) -> &'static str {
    match assessment {
        Assessment::Achieved => "achieved",
        Assessment::Partly => "partly",
        Assessment::NotAchieved => "not_achieved",
        Assessment::NotAssessed => "not_assessed",
    }
}

pub fn status_code(status: IndicatorStatus) -> &'static str {
    match status {
        IndicatorStatus::Achieved => "achieved",
        IndicatorStatus::Partly => "partly",
        IndicatorStatus::NotAchieved => "not_achieved",
        IndicatorStatus::NoData => "no_data",
    }
}

pub fn trend_code(trend: Trend) -> &'static str {
    match trend {
        Trend::Better => "better",
        Trend::Unchanged => "unchanged",
        Trend::Worse => "worse",
    }
}

fn level_code(level: GoalLevel) -> &'static str {
    match level {
        GoalLevel::Area => "area",
        GoalLevel::StrategicGoal => "strategic_goal",
        GoalLevel::BoardGoal => "board_goal",
    }
}

fn heading(plan: &Plan, follow_up: &FollowUp) -> String {
    let when = match &follow_up.period {
        Some(period) => format!("{period} (år {})", follow_up.year),
        None => format!("år {}", follow_up.year),
    };
    format!("{} – {}, {when}", plan.meta.organisation, plan.meta.title)
}

fn shown(value: Option<f64>, indicator: &Indicator) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format_value(v, &indicator.unit, indicator.decimals))
}

/// The human-readable listing: goals in tree order with their assessment, and their indicators.
pub fn table(plan: &Plan, follow_up: &FollowUp) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}\n", heading(plan, follow_up));
    let indicators_by_goal = indicators_by_goal(plan);
    for (depth, goal) in plan.goals_in_tree_order() {
        let indent = "  ".repeat(depth);
        let Some(result) = follow_up.goal(goal.id) else { continue };
        let _ = writeln!(out, "{indent}{} {}: {}", symbol(result.effective), level_name(goal.level), goal.title);
        let manual = match result.manual {
            Some(manual) => format!("bedömning {}", assessment_swedish(manual)),
            None => "ingen manuell bedömning".to_owned(),
        };
        let trend = result
            .manual_trend
            .map(|t| format!(", trend {}", trend_swedish(t)))
            .unwrap_or_default();
        let _ = writeln!(out, "{indent}    {manual}{trend}; förslag: {}", result.explanation);
        let c = &result.commitments;
        if c.total > 0 {
            let average = c
                .average_completion
                .map(|a| format!(", snitt färdiggrad {} %", crate::followup::number::format_number(a, 0)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "{indent}    åtaganden: {} klara, {} pågår, {} försenade av {}{average}",
                c.done, c.in_progress, c.delayed, c.total
            );
        }
        for &i in indicators_by_goal.get(&goal.id).map(Vec::as_slice).unwrap_or(&[]) {
            let indicator = &plan.indicators[i];
            let Some(result) = follow_up.indicator(indicator.id) else { continue };
            let _ = writeln!(out, "{indent}    - {}", indicator_line(indicator, result));
        }
    }
    out
}

fn indicator_line(indicator: &Indicator, result: &IndicatorResult) -> String {
    let name = if indicator.code.is_empty() {
        indicator.name.clone()
    } else {
        format!("{}) {}", indicator.code, indicator.name)
    };
    let Some(main) = &result.main else {
        return format!("{name}: inga serier");
    };
    let target = match main.target {
        Some(t) if t.interpolated => format!("{} (interpolerat)", shown(Some(t.value), indicator)),
        Some(t) => shown(Some(t.value), indicator),
        None => "–".to_owned(),
    };
    let trend = main
        .trend
        .map(|t| format!(", trend {} mot {}", trend_swedish(t.trend), t.previous_year))
        .unwrap_or_default();
    format!(
        "{name}: utfall {} {}, mål {target}: {}{trend}",
        main.year,
        shown(main.outcome, indicator),
        main.status.swedish()
    )
}

fn symbol(assessment: Assessment) -> &'static str {
    match assessment {
        Assessment::Achieved => "●",
        Assessment::Partly => "◐",
        Assessment::NotAchieved => "○",
        Assessment::NotAssessed => "·",
    }
}

fn indicators_by_goal(plan: &Plan) -> std::collections::HashMap<crate::model::ItemId, Vec<usize>> {
    let mut map: std::collections::HashMap<_, Vec<usize>> = std::collections::HashMap::new();
    for (i, indicator) in plan.indicators.iter().enumerate() {
        map.entry(indicator.goal).or_default().push(i);
    }
    map
}

/// RFC 4180 CSV, comma-separated, numbers with a decimal point. One row per goal and one per
/// indicator series.
pub fn csv(plan: &Plan, follow_up: &FollowUp) -> String {
    let mut out = String::from(
        "kind,id,parent,level,title,series,year,outcome,target,target_interpolated,status,trend,change_since_baseline,proposed,manual,effective,explanation\n",
    );
    let number = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    for (_, goal) in plan.goals_in_tree_order() {
        let Some(result) = follow_up.goal(goal.id) else { continue };
        let fields = [
            "goal".to_owned(),
            goal.id.0.to_string(),
            goal.parent.map(|p| p.0.to_string()).unwrap_or_default(),
            level_code(goal.level).to_owned(),
            goal.title.clone(),
            String::new(),
            follow_up.year.to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            result.manual_trend.map(trend_code).unwrap_or_default().to_owned(),
            String::new(),
            assessment_code(result.proposed).to_owned(),
            result.manual.map(assessment_code).unwrap_or_default().to_owned(),
            assessment_code(result.effective).to_owned(),
            result.explanation.clone(),
        ];
        push_csv_row(&mut out, &fields);
    }
    for (indicator, result) in plan.indicators.iter().zip(&follow_up.indicators) {
        for series in &result.series {
            let fields = [
                "indicator".to_owned(),
                indicator.id.0.to_string(),
                indicator.goal.0.to_string(),
                String::new(),
                indicator.name.clone(),
                series.series.clone(),
                series.year.to_string(),
                number(series.outcome),
                number(series.target.map(|t| t.value)),
                series.target.map(|t| t.interpolated.to_string()).unwrap_or_default(),
                status_code(series.status).to_owned(),
                series.trend.map(|t| trend_code(t.trend)).unwrap_or_default().to_owned(),
                number(series.change_since_baseline),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ];
            push_csv_row(&mut out, &fields);
        }
    }
    out
}

/// Quotes a field when it holds a comma, quote or line break (RFC 4180), and neutralises
/// leading characters that spreadsheets would run as formulas.
pub fn csv_field(field: &str) -> String {
    let field = if field.starts_with(['=', '+', '-', '@']) && field.parse::<f64>().is_err() {
        format!("'{field}")
    } else {
        field.to_owned()
    };
    if field.contains([',', '"', '\n', '\r', ';']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field
    }
}

fn push_csv_row(out: &mut String, fields: &[String]) {
    let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    out.push_str(&row.join(","));
    out.push('\n');
}

fn series_json(series: &SeriesResult) -> Value {
    json!({
        "series": series.series,
        "outcome": series.outcome,
        "target": series.target.map(|t| t.value),
        "target_interpolated": series.target.map(|t| t.interpolated),
        "status": status_code(series.status),
        "trend": series.trend.map(|t| trend_code(t.trend)),
        "trend_compared_with_year": series.trend.map(|t| t.previous_year),
        "change_since_baseline": series.change_since_baseline,
    })
}

/// One JSON document: `{plan, organisation, year, period, goals: [...], indicators: [...]}`.
pub fn json(plan: &Plan, follow_up: &FollowUp) -> String {
    let goals: Vec<Value> = plan
        .goals_in_tree_order()
        .into_iter()
        .filter_map(|(_, goal)| {
            let r = follow_up.goal(goal.id)?;
            let c = &r.commitments;
            Some(json!({
                "id": goal.id.0,
                "parent": goal.parent.map(|p| p.0),
                "level": level_code(goal.level),
                "title": goal.title,
                "proposed": assessment_code(r.proposed),
                "manual": r.manual.map(assessment_code),
                "effective": assessment_code(r.effective),
                "trend": r.manual_trend.map(trend_code),
                "explanation": r.explanation,
                "comment": r.comment,
                "commitments": {
                    "total": c.total, "done": c.done, "in_progress": c.in_progress,
                    "delayed": c.delayed, "not_started": c.not_started, "cancelled": c.cancelled,
                    "not_reported": c.not_reported, "average_completion": c.average_completion,
                },
            }))
        })
        .collect();
    let indicators: Vec<Value> = plan
        .indicators
        .iter()
        .zip(&follow_up.indicators)
        .map(|(indicator, r)| {
            json!({
                "id": indicator.id.0,
                "goal": indicator.goal.0,
                "code": indicator.code,
                "name": indicator.name,
                "status": status_code(r.status()),
                "main_series": r.main.as_ref().map(|m| m.series.clone()),
                "series": r.series.iter().map(series_json).collect::<Vec<_>>(),
                "gender_gap": r.gender_gap.map(|g| json!({
                    "gap": g.gap, "previous_year": g.previous_year,
                    "previous_gap": g.previous_gap, "narrowed": g.narrowed,
                })),
            })
        })
        .collect();
    let document = json!({
        "format": "malplan-status-1",
        "organisation": plan.meta.organisation,
        "plan": plan.meta.title,
        "year": follow_up.year,
        "period": follow_up.period,
        "goals": goals,
        "indicators": indicators,
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_neutralised() {
        assert_eq!(csv_field("Fler jobb"), "Fler jobb");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("säger \"hej\""), "\"säger \"\"hej\"\"\"");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_field("-124"), "-124");
    }
}
