//! Places and values in planner words: `periods[id=30].goals[goal=5].assessment` is
//! "Mål Ekonomi, Delår 2 2022: bedömning", `"Partly"` there is "delvis".
//!
//! Names are looked up in the given plans in order (the merged or newer version first), so an
//! item removed in one version is still named from the other.

use serde_json::Value;

use super::path::{Path, Segment};
use crate::i18n::Lang;
use crate::model::{Assessment, CommitmentStatus, ItemId, Plan, Trend};

/// What a place is: the item's name parts and the field, if the place is a field.
#[derive(Debug, Clone, PartialEq)]
pub struct Described {
    pub subject: Vec<String>,
    pub field: Option<String>,
}

impl Described {
    /// "Mål Ekonomi, Delår 2 2022: bedömning" or "Sjukfrånvaro, Totalt, utfall 2022".
    pub fn text(&self) -> String {
        match &self.field {
            Some(field) => format!("{}: {field}", self.subject.join(", ")),
            None => self.subject.join(", "),
        }
    }

    pub fn subject_text(&self) -> String {
        self.subject.join(", ")
    }
}

fn id_of(segment: &Segment) -> Option<ItemId> {
    match segment {
        Segment::Item { value, .. } => value.as_u64().and_then(|v| u32::try_from(v).ok()).map(ItemId),
        _ => None,
    }
}

fn text_of(segment: &Segment) -> String {
    match segment {
        Segment::Item { value: Value::String(s), .. } => s.clone(),
        Segment::Item { value, .. } => value.to_string(),
        _ => String::new(),
    }
}

fn short(text: &str) -> String {
    const MAX: usize = 48;
    let text = text.trim();
    if text.chars().count() <= MAX {
        format!("«{text}»")
    } else {
        format!("«{}…»", text.chars().take(MAX - 1).collect::<String>().trim_end())
    }
}

/// The goal's name as the planner knows it: "Mål Ekonomi", "Målområde Medarbetare".
pub fn goal_name(plans: &[&Plan], id: ItemId, lang: Lang) -> String {
    match plans.iter().find_map(|p| p.goal(id)) {
        Some(goal) if goal.level == crate::model::GoalLevel::Area => format!("{} {}", lang.t("Målområde", "Area"), goal.title),
        Some(goal) => format!("{} {}", lang.t("Mål", "Goal"), goal.title),
        None => format!("{} {id}", lang.t("Mål", "Goal")),
    }
}

fn commitment_name(plans: &[&Plan], id: ItemId, lang: Lang) -> String {
    match plans.iter().find_map(|p| p.commitment(id)) {
        Some(c) => format!("{} {}", lang.t("Åtagande", "Commitment"), short(&c.text)),
        None => format!("{} {id}", lang.t("Åtagande", "Commitment")),
    }
}

fn indicator_name(plans: &[&Plan], id: ItemId, lang: Lang) -> String {
    match plans.iter().find_map(|p| p.indicator(id)) {
        Some(i) => i.name.clone(),
        None => format!("{} {id}", lang.t("Indikator", "Indicator")),
    }
}

fn period_name(plans: &[&Plan], id: ItemId, lang: Lang) -> String {
    match plans.iter().find_map(|p| p.period(id)) {
        Some(p) => p.name.clone(),
        None => format!("{} {id}", lang.t("Period", "Period")),
    }
}

/// A field's name in planner words; unknown fields keep their file name.
fn field_label(name: &str, lang: Lang) -> String {
    let (sv, en) = match name {
        "title" => ("rubrik", "title"),
        "text" => ("text", "text"),
        "description" => ("beskrivning", "description"),
        "parent" => ("placering", "place"),
        "goal" => ("mål", "goal"),
        "focus" => ("fokus", "focus"),
        "agenda2030" => ("Agenda 2030", "Agenda 2030"),
        "boards" => ("ansvariga nämnder", "responsible boards"),
        "precision" => ("målprecisering", "precision"),
        "schedule" => ("tidplan", "schedule"),
        "level" => ("nivå", "level"),
        "name" => ("namn", "name"),
        "code" => ("kod", "code"),
        "kind" => ("typ", "kind"),
        "unit" => ("enhet", "unit"),
        "decimals" => ("decimaler", "decimals"),
        "direction" => ("riktning", "direction"),
        "kolada" => ("Kolada-id", "Kolada id"),
        "kolada_unit" => ("Kolada-enhet", "Kolada unit"),
        "thresholds" => ("gränser för delvis", "partly thresholds"),
        "baseline" => ("utgångsvärde", "baseline"),
        "assessment" => ("bedömning", "assessment"),
        "trend" => ("trend", "trend"),
        "comment" => ("kommentar", "comment"),
        "status" => ("status", "status"),
        "completion" => ("färdiggrad", "completion"),
        "year" => ("år", "year"),
        "date" => ("datum", "date"),
        "organisation" => ("organisation", "organisation"),
        "first_year" => ("första år", "first year"),
        "last_year" => ("sista år", "last year"),
        "decided" => ("beslutsdatum", "decided"),
        "source" => ("källa", "source"),
        "owner_board" => ("ägande nämnd", "owning board"),
        "notes" => ("text", "notes"),
        "explanations" => ("förklaringar", "explanations"),
        "frame" => ("ram", "frame"),
        "columns" => ("kolumner", "columns"),
        "contributions" => ("bidrag", "contributions"),
        "total_label" => ("summarad", "total label"),
        "accounts" => ("konton", "accounts"),
        "through_month" => ("utfall t.o.m. månad", "outcome through month"),
        "previous_forecast_month" => ("föregående prognos", "previous forecast"),
        "municipality" => ("kommun", "municipality"),
        "comparisons" => ("jämförelser", "comparisons"),
        "stated_total" => ("angiven summa", "stated total"),
        "goals" => ("mål", "goals"),
        "commitments" => ("åtaganden", "commitments"),
        "indicators" => ("indikatorer", "indicators"),
        "periods" => ("perioder", "periods"),
        "series" => ("serier", "series"),
        "tables" => ("tabeller", "tables"),
        "groups" => ("grupper", "groups"),
        "rows" => ("rader", "rows"),
        _ => return name.replace('_', " "),
    };
    lang.t(sv, en).to_owned()
}

/// Describes a place in planner words, naming items from `plans` (first found wins).
pub fn describe(place: &Path, plans: &[&Plan], lang: Lang) -> Described {
    let segments = &place.0;
    let mut subject: Vec<String> = Vec::new();
    let mut field: Option<String> = None;
    let top = match segments.first() {
        Some(Segment::Field(name)) => name.as_str(),
        _ => "",
    };
    // The item at the top of the path.
    let item = segments.get(1);
    let mut rest_from = 2;
    match (top, item) {
        ("goals", Some(s)) if id_of(s).is_some() => subject.push(goal_name(plans, id_of(s).unwrap_or_default(), lang)),
        ("commitments", Some(s)) if id_of(s).is_some() => subject.push(commitment_name(plans, id_of(s).unwrap_or_default(), lang)),
        ("indicators", Some(s)) if id_of(s).is_some() => {
            let name = indicator_name(plans, id_of(s).unwrap_or_default(), lang);
            // The series' values read "Sjukfrånvaro, Totalt, utfall 2022"; other fields name the kind.
            if matches!(segments.get(2), Some(Segment::Field(f)) if f == "series") && segments.len() > 3 {
                subject.push(name);
            } else {
                subject.push(format!("{} {name}", lang.t("Indikator", "Indicator")));
            }
        }
        ("periods", Some(s)) if id_of(s).is_some() => {
            let period = period_name(plans, id_of(s).unwrap_or_default(), lang);
            // "Mål Ekonomi, Delår 2 2022": the follow-up of an item in a period.
            match (segments.get(2), segments.get(3)) {
                (Some(Segment::Field(list)), Some(entry)) if list == "goals" => {
                    subject.push(goal_name(plans, id_of(entry).unwrap_or_default(), lang));
                    rest_from = 4;
                }
                (Some(Segment::Field(list)), Some(entry)) if list == "commitments" => {
                    subject.push(commitment_name(plans, id_of(entry).unwrap_or_default(), lang));
                    rest_from = 4;
                }
                _ => {}
            }
            subject.push(period);
        }
        ("boards", Some(s)) => {
            let code = text_of(s);
            let name = plans.iter().find_map(|p| p.board(&code)).map(|b| b.name.clone()).unwrap_or(code);
            subject.push(format!("{} {name}", lang.t("Nämnd", "Board")));
        }
        ("budgets", Some(s)) if id_of(s).is_some() => {
            let id = id_of(s).unwrap_or_default();
            let budget = plans.iter().find_map(|p| p.budgets.iter().find(|b| b.id == id));
            subject.push(match budget {
                Some(b) => format!("Budget {} {}", b.board, b.year),
                None => format!("Budget {id}"),
            });
        }
        ("economy", Some(s)) if id_of(s).is_some() => {
            let id = id_of(s).unwrap_or_default();
            let report = plans.iter().find_map(|p| p.economy.iter().find(|e| e.id == id).map(|e| (p, e)));
            subject.push(match report {
                Some((plan, e)) => format!(
                    "{} {}, {}",
                    lang.t("Ekonomisk uppföljning", "Economic follow-up"),
                    e.board,
                    plan.period(e.period).map(|p| p.name.clone()).unwrap_or_default()
                ),
                None => format!("{} {id}", lang.t("Ekonomisk uppföljning", "Economic follow-up")),
            });
        }
        ("meta", _) => {
            subject.push(lang.t("Planen", "The plan").to_owned());
            rest_from = 1;
        }
        ("vision", _) => {
            subject.push(lang.t("Vision", "Vision").to_owned());
            rest_from = 1;
        }
        ("settings", _) => {
            subject.push(lang.t("Inställningar för uppföljning", "Follow-up settings").to_owned());
            rest_from = 1;
        }
        ("money", _) => {
            subject.push(lang.t("Beloppsvisning", "Amount display").to_owned());
            rest_from = 1;
        }
        ("kolada", _) => {
            subject.push(lang.t("Kolada-inställningar", "Kolada settings").to_owned());
            rest_from = 1;
        }
        _ => {
            subject.push(field_label(top, lang));
            rest_from = 1;
        }
    }

    // The rest: nested items by name, then the field, a year or a column.
    let mut i = rest_from;
    while i < segments.len() {
        match &segments[i] {
            Segment::Field(name) => {
                let next = segments.get(i + 1);
                match (name.as_str(), next) {
                    ("series" | "groups" | "comparisons" | "contributions", Some(item @ Segment::Item { .. })) => {
                        subject.push(text_of(item));
                        i += 1;
                    }
                    ("tables", Some(item @ Segment::Item { .. })) => {
                        let id = id_of(item).unwrap_or_default();
                        let title = plans.iter().find_map(|p| {
                            p.budgets.iter().find_map(|b| b.table(id).map(|t| t.title.clone()))
                                .or_else(|| p.economy.iter().find_map(|e| e.table(id).map(|t| t.title.clone())))
                        });
                        subject.push(title.unwrap_or_else(|| format!("{} {id}", lang.t("tabell", "table"))));
                        i += 1;
                    }
                    ("rows", Some(item @ Segment::Item { .. })) => {
                        let id = id_of(item).unwrap_or_default();
                        subject.push(row_name(plans, id).unwrap_or_else(|| format!("{} {id}", lang.t("rad", "row"))));
                        i += 1;
                    }
                    ("outcomes" | "targets", Some(Segment::Year(year))) => {
                        let what = if name == "outcomes" { lang.t("utfall", "outcome") } else { lang.t("målvärde", "target") };
                        subject.push(format!("{what} {year}"));
                        i += 1;
                    }
                    ("amounts" | "stated_total", Some(Segment::Column(column))) => {
                        if name == "stated_total" {
                            subject.push(field_label(name, lang));
                        }
                        subject.push(column_label(place, plans, *column, lang));
                        i += 1;
                    }
                    (_, Some(item @ Segment::Item { .. })) => {
                        subject.push(format!("{} {}", field_label(name, lang), text_of(item)));
                        i += 1;
                    }
                    _ => {
                        field = Some(match field.take() {
                            Some(outer) => format!("{outer}, {}", field_label(name, lang)),
                            None => field_label(name, lang),
                        });
                    }
                }
            }
            other => subject.push(text_of(other)),
        }
        i += 1;
    }
    Described { subject, field }
}

fn row_name(plans: &[&Plan], id: ItemId) -> Option<String> {
    plans.iter().find_map(|p| {
        p.budgets
            .iter()
            .flat_map(|b| b.tables.iter())
            .flat_map(|t| t.groups.iter())
            .flat_map(|g| g.rows.iter())
            .find(|r| r.id == id)
            .map(|r| r.name.clone())
            .or_else(|| {
                p.economy.iter().flat_map(|e| e.tables.iter()).flat_map(|t| t.rows()).find(|r| r.id == id).map(|r| r.name.clone())
            })
    })
}

/// The heading of amount column `column` of the budget or economy table on the path.
fn column_label(place: &Path, plans: &[&Plan], column: usize, lang: Lang) -> String {
    let top_id = place.0.get(1).and_then(id_of);
    let table_id = place.0.iter().enumerate().find_map(|(i, s)| match s {
        Segment::Field(f) if f == "tables" => place.0.get(i + 1).and_then(id_of),
        _ => None,
    });
    let label = match (place.0.first(), top_id) {
        (Some(Segment::Field(top)), Some(id)) if top == "budgets" => plans
            .iter()
            .find_map(|p| p.budgets.iter().find(|b| b.id == id))
            .and_then(|b| b.columns.get(column))
            .map(|c| c.label(lang)),
        (Some(Segment::Field(top)), Some(id)) if top == "economy" => plans.iter().find_map(|p| {
            let report = p.economy.iter().find(|e| e.id == id)?;
            let table = report.table(table_id?)?;
            let year = p.period(report.period).map(|p| p.year).unwrap_or_default();
            Some(table.columns.get(column)?.label(report, year, lang))
        }),
        _ => None,
    };
    label.unwrap_or_else(|| format!("{} {}", lang.t("kolumn", "column"), column + 1))
}

/// A value in planner words, judged by the field it sits in.
pub fn value_text(place: &Path, value: Option<&Value>, plans: &[&Plan], lang: Lang) -> String {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return match place.0.last() {
            Some(Segment::Item { .. }) => lang.t("borttagen", "removed").to_owned(),
            _ => lang.t("(tomt)", "(empty)").to_owned(),
        };
    };
    let field = match place.0.last() {
        Some(Segment::Field(name)) => Some(name.as_str()),
        _ => None,
    };
    match (field, value) {
        (Some("assessment"), v) => serde_json::from_value::<Assessment>(v.clone())
            .map(|a| lang.assessment_lower(a).to_owned())
            .unwrap_or_else(|_| v.to_string()),
        (Some("trend"), v) => serde_json::from_value::<Trend>(v.clone())
            .map(|t| lang.trend(t).to_lowercase())
            .unwrap_or_else(|_| v.to_string()),
        (Some("status"), v) => serde_json::from_value::<CommitmentStatus>(v.clone())
            .map(|s| lang.status(s).to_lowercase())
            .unwrap_or_else(|_| v.to_string()),
        (Some("parent" | "goal"), Value::Number(n)) => {
            let id = ItemId(n.as_u64().and_then(|v| u32::try_from(v).ok()).unwrap_or_default());
            goal_name(plans, id, lang)
        }
        (Some("level"), v) => serde_json::from_value::<crate::model::GoalLevel>(v.clone())
            .map(|l| lang.level(l).to_lowercase())
            .unwrap_or_else(|_| v.to_string()),
        // Other kinds and units: the file's word, without quotes ("Percent", "Company").
        (Some("kind" | "unit" | "direction" | "columns"), Value::String(word)) => enum_word(word, lang),
        (Some("completion"), Value::Number(n)) => format!("{n} %"),
        // Amounts in whole kronor read with thousands spaced; years and ids as they are.
        (Some("amount" | "efficiency_requirement"), Value::Number(n)) => number_text(n),
        (None, Value::Number(n)) if matches!(place.0.last(), Some(Segment::Column(_))) => number_text(n),
        (_, Value::Number(n)) => plain_number(n),
        (_, Value::String(s)) => short(s),
        (_, Value::Bool(b)) => if *b { lang.t("ja", "yes") } else { lang.t("nej", "no") }.to_owned(),
        (_, Value::Array(items)) if items.is_empty() => lang.t("(tomt)", "(empty)").to_owned(),
        (_, Value::Array(items)) if items.iter().all(|v| !v.is_object() && !v.is_array()) => {
            items.iter().map(|v| value_text(&Path::default(), Some(v), plans, lang)).collect::<Vec<_>>().join(", ")
        }
        (_, Value::Object(map)) if map.len() == 1 => {
            // An enum with data, `{"Scale": [1, 4]}`: its name and values.
            let (name, inner) = map.iter().next().expect("one entry");
            format!("{name} {}", value_text(&Path::default(), Some(inner), plans, lang))
        }
        (_, Value::Object(_) | Value::Array(_)) => {
            // A whole item: named as its place names it.
            match place.0.last() {
                Some(Segment::Item { .. }) => describe(place, plans, lang).subject_text(),
                _ => lang.t("(ändrat)", "(changed)").to_owned(),
            }
        }
        (_, Value::Null) => String::new(),
    }
}

/// "1,8", "2022": a decimal comma, nothing grouped.
pub fn plain_number(number: &serde_json::Number) -> String {
    match number.as_i64() {
        Some(whole) => whole.to_string().replace('-', "−"),
        None => format!("{}", number.as_f64().unwrap_or_default()).replace('.', ",").replace('-', "−"),
    }
}

/// "1,8", "-3 195 000": Swedish decimal comma, thousands spaced in whole numbers.
pub fn number_text(number: &serde_json::Number) -> String {
    if let Some(whole) = number.as_i64() {
        let digits = whole.unsigned_abs().to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push('\u{a0}');
            }
            grouped.push(c);
        }
        return if whole < 0 { format!("−{grouped}") } else { grouped };
    }
    let value = number.as_f64().unwrap_or_default();
    if value.fract() == 0.0 && value.abs() < 1e15 {
        return number_text(&serde_json::Number::from(value as i64));
    }
    format!("{value}").replace('.', ",").replace('-', "−")
}

/// A kind's word in planner words where Målplan has one, else the file's word.
fn enum_word(word: &str, lang: Lang) -> String {
    let (sv, en) = match word {
        "Board" => ("nämnd", "board"),
        "Company" => ("bolag", "company"),
        "Group" => ("grupp", "group"),
        "Place" => ("ortsindikator", "place indicator"),
        "Organisation" => ("organisationsindikator", "organisation indicator"),
        "Total" => ("totalt", "total"),
        "Women" => ("kvinnor", "women"),
        "Men" => ("män", "men"),
        "Girls" => ("flickor", "girls"),
        "Boys" => ("pojkar", "boys"),
        "Comparison" => ("jämförelse", "comparison"),
        "Percent" => ("procent", "percent"),
        "Count" => ("antal", "count"),
        "Kronor" => ("kronor", "kronor"),
        "HigherIsBetter" => ("högre är bättre", "higher is better"),
        "LowerIsBetter" => ("lägre är bättre", "lower is better"),
        _ => return word.to_owned(),
    };
    lang.t(sv, en).to_owned()
}
