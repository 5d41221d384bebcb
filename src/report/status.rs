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

/// The human-readable listing: goals in tree order with their assessment, and their indicators;
/// then each economic follow-up's result and forecast against budget.
pub fn table(plan: &Plan, follow_up: &FollowUp) -> String {
    let mut out = table_of_goals(plan, follow_up);
    for (report, figures) in economy_of(plan, follow_up) {
        let text = crate::economy::headline_text(report, &figures.headline, &plan.money, crate::i18n::Lang::Swedish);
        let _ = writeln!(out, "\nEkonomi {}: {text}", report.board);
        if let Some(unexplained) = figures.headline.unexplained {
            let money = crate::economy::headline_money(report, &plan.money);
            let _ = writeln!(
                out,
                "    förklarat {} {unit}, oförklarat {} {unit}",
                crate::economy::signed(figures.headline.explained, &money),
                crate::economy::signed(unexplained, &money),
                unit = money.unit.label(crate::i18n::Lang::Swedish)
            );
        }
    }
    out
}

fn table_of_goals(plan: &Plan, follow_up: &FollowUp) -> String {
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
        "kind,id,parent,level,title,series,year,outcome,target,target_interpolated,status,trend,change_since_baseline,proposed,manual,effective,explanation,board,table,measure,amount_kr\n",
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
            String::new(),
            String::new(),
            String::new(),
            String::new(),
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
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ];
            push_csv_row(&mut out, &fields);
        }
    }
    for (report, figures) in economy_of(plan, follow_up) {
        let economy_row = |out: &mut String, kind: &str, id: u32, level: &str, title: &str, table: &str, measure: &str, amount: i128| {
            let mut fields = vec![kind.to_owned(), id.to_string(), report.id.0.to_string(), level.to_owned(), title.to_owned()];
            fields.push(String::new());
            fields.push(follow_up.year.to_string());
            fields.extend(std::iter::repeat_n(String::new(), 10));
            fields.extend([report.board.clone(), table.to_owned(), measure.to_owned(), amount.to_string()]);
            push_csv_row(out, &fields);
        };
        let h = &figures.headline;
        for (key, value) in headline_pairs(h) {
            if let Some(value) = value {
                economy_row(&mut out, "economy_result", report.id.0, "result", &report.board, "", key, value);
            }
        }
        for (table, t) in report.tables.iter().zip(&figures.tables) {
            for (row, line) in table.rows().zip(&t.rows) {
                for (column, measure) in table.columns.iter().enumerate() {
                    if let Some(value) = line.get(column) {
                        economy_row(&mut out, "economy", row.id.0, "row", &row.name, &table.title, measure.key(), value);
                    }
                }
            }
            for (group, line) in table.groups.iter().zip(&t.groups).filter(|(g, _)| !g.total_label.is_empty()) {
                for (column, measure) in table.columns.iter().enumerate() {
                    if let Some(value) = line.get(column) {
                        economy_row(&mut out, "economy", table.id.0, "subtotal", &group.total_label, &table.title, measure.key(), value);
                    }
                }
            }
            for (column, measure) in table.columns.iter().enumerate() {
                if let Some(value) = t.total.get(column) {
                    economy_row(&mut out, "economy", table.id.0, "total", &table.total_label, &table.title, measure.key(), value);
                }
            }
        }
    }
    out
}

/// The economic follow-ups of the follow-up's period, each with its figures.
fn economy_of<'a>(plan: &'a Plan, follow_up: &FollowUp) -> Vec<(&'a crate::economy::EconomicFollowUp, crate::economy::figures::EconomyFigures)> {
    let Some(period) = plan.periods.iter().find(|p| Some(&p.name) == follow_up.period.as_ref()) else { return Vec::new() };
    plan.economy
        .iter()
        .filter(|r| r.period == period.id)
        .map(|r| (r, crate::economy::figures::figures(r, &plan.money)))
        .collect()
}

/// The headline's figures by their stable names.
fn headline_pairs(h: &crate::economy::figures::Headline) -> [(&'static str, Option<i128>); 9] {
    [
        ("outcome_to_date", h.outcome_to_date),
        ("budget_to_date", h.budget_to_date),
        ("deviation_to_date", h.deviation_to_date),
        ("budget_full_year", h.budget_full_year),
        ("previous_forecast", h.previous_forecast),
        ("forecast", h.forecast),
        ("forecast_deviation", h.forecast_deviation),
        ("explained", Some(h.explained)),
        ("unexplained", h.unexplained),
    ]
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
    let economy: Vec<Value> = economy_of(plan, follow_up)
        .into_iter()
        .map(|(report, figures)| {
            let result: serde_json::Map<String, Value> =
                headline_pairs(&figures.headline).into_iter().map(|(k, v)| (k.to_owned(), json!(v.map(|v| v as i64)))).collect();
            let by_measure = |table: &crate::economy::EconomyTable, line: &crate::economy::figures::Line| -> Value {
                let map: serde_json::Map<String, Value> = table
                    .columns
                    .iter()
                    .enumerate()
                    .map(|(c, m)| (m.key().to_owned(), json!(line.get(c).map(|v| v as i64))))
                    .collect();
                Value::Object(map)
            };
            let tables: Vec<Value> = report
                .tables
                .iter()
                .zip(&figures.tables)
                .map(|(table, t)| {
                    json!({
                        "id": table.id.0,
                        "kind": match table.kind {
                            crate::economy::EconomyTableKind::Statement => "income_statement",
                            crate::economy::EconomyTableKind::Operating => "operating",
                            crate::economy::EconomyTableKind::Investment => "investment",
                        },
                        "title": table.title,
                        "unit": match table.unit {
                            crate::budget::money::MoneyUnit::Kr => "kr",
                            crate::budget::money::MoneyUnit::Tkr => "tkr",
                            crate::budget::money::MoneyUnit::Mnkr => "mnkr",
                        },
                        "decimals": table.decimals,
                        "rows": table.rows().zip(&t.rows).map(|(row, line)| json!({"id": row.id.0, "name": row.name, "figures": by_measure(table, line)})).collect::<Vec<_>>(),
                        "subtotals": table.groups.iter().zip(&t.groups).filter(|(g, _)| !g.total_label.is_empty()).map(|(g, line)| json!({"label": g.total_label, "figures": by_measure(table, line)})).collect::<Vec<_>>(),
                        "total": {"label": table.total_label, "figures": by_measure(table, &t.total)},
                    })
                })
                .collect();
            let differences: Vec<Value> = figures
                .differences
                .iter()
                .map(|d| json!({"table": d.table.0, "measure": d.measure.key(), "stated": d.stated as i64, "computed": d.computed as i64, "rounding": d.rounding}))
                .collect();
            json!({
                "id": report.id.0,
                "board": report.board,
                "through_month": report.through_month,
                "previous_forecast_month": report.previous_forecast_month,
                "goals": report.goals.iter().map(|g| g.0).collect::<Vec<_>>(),
                "result": Value::Object(result),
                "explanations": report.explanations.iter().map(|e| json!({"text": e.text, "amount": e.amount})).collect::<Vec<_>>(),
                "tables": tables,
                "differences": differences,
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
        "economy": economy,
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
