//! Three-way merge and comparison of plans as serde trees (`serde_json::Value`).
//!
//! Working on the serialised tree rather than on each Rust type means every field – today's and
//! the ones added next year – merges without code of its own. The few places where the file
//! packs many values into one text (year values, amount columns) and the lists of items with a
//! stable key are recognised by their shape and merged entry by entry.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::{Map, Value};

use super::path::{Path, Segment};
use crate::budget::Kronor;
use crate::model::YearValue;

/// A field the merge could not decide: both sides changed it differently.
#[derive(Debug, Clone, PartialEq)]
pub struct RawConflict {
    pub place: Path,
    pub base: Option<Value>,
    pub ours: Option<Value>,
    pub theirs: Option<Value>,
}

#[derive(Default)]
pub struct Merger {
    pub conflicts: Vec<RawConflict>,
    /// Lists both sides reordered differently (mine kept).
    pub reordered_both: Vec<Path>,
}

/// Fields of list items that identify the item, in order of preference.
const KEYS: [&str; 5] = ["id", "code", "goal", "commitment", "name"];
/// Fields holding `"2020: 14.1; 2021: 13.2"`.
const YEAR_FIELDS: [&str; 2] = ["targets", "outcomes"];
/// Fields holding `"100; ; -3"` – one amount per column.
const AMOUNT_FIELDS: [&str; 2] = ["amounts", "stated_total"];
/// Lists of plain values that are sets (order carries no meaning): board codes, Agenda 2030
/// goals, linked goal ids.
const SET_FIELDS: [&str; 3] = ["boards", "agenda2030", "goals"];
/// Fields that refer to an item by id (besides `id` itself).
pub const REFERENCE_FIELDS: [&str; 6] = ["parent", "goal", "commitment", "period", "result_table", "same_total_as"];

pub fn field_kind(name: Option<&str>) -> FieldKind {
    match name {
        Some(name) if YEAR_FIELDS.contains(&name) => FieldKind::Years,
        Some(name) if AMOUNT_FIELDS.contains(&name) => FieldKind::Amounts,
        Some(name) if SET_FIELDS.contains(&name) => FieldKind::Set,
        _ => FieldKind::Plain,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Plain,
    Years,
    Amounts,
    Set,
}

impl Merger {
    pub fn merge(&mut self, place: &Path, base: Option<&Value>, ours: Option<&Value>, theirs: Option<&Value>) -> Option<Value> {
        if ours == theirs {
            return ours.cloned();
        }
        if base == ours {
            return theirs.cloned();
        }
        if base == theirs {
            return ours.cloned();
        }
        let kind = match place.0.last() {
            Some(Segment::Field(name)) => field_kind(Some(name)),
            _ => FieldKind::Plain,
        };
        match (base, ours, theirs) {
            (None | Some(Value::Object(_)), Some(Value::Object(o)), Some(Value::Object(t))) => {
                let empty = Map::new();
                let b = base.and_then(Value::as_object).unwrap_or(&empty);
                let mut out = Map::new();
                // Mine's fields, then theirs' new ones, then those both removed.
                let theirs_only = t.keys().filter(|k| !o.contains_key(*k));
                let removed = b.keys().filter(|k| !o.contains_key(*k) && !t.contains_key(*k));
                for key in o.keys().chain(theirs_only).chain(removed) {
                    if let Some(value) = self.merge(&place.field(key), b.get(key), o.get(key), t.get(key)) {
                        out.insert(key.clone(), value);
                    }
                }
                return Some(Value::Object(out));
            }
            (_, Some(Value::Array(o)), Some(Value::Array(t))) => {
                let empty = Vec::new();
                let b = base.and_then(Value::as_array).unwrap_or(&empty);
                if base.is_none_or(Value::is_array) {
                    if let Some(key) = list_key(&[b, o, t]) {
                        return Some(Value::Array(self.merge_keyed(place, key, b, o, t)));
                    }
                    if kind == FieldKind::Set && [b, o, t].iter().all(|l| is_set(l)) {
                        return Some(Value::Array(merge_set(b, o, t)));
                    }
                }
            }
            _ => {}
        }
        // A year-value or amount text: merge entry by entry (an absent field is an empty list).
        if matches!(kind, FieldKind::Years | FieldKind::Amounts)
            && [base, ours, theirs].iter().all(|v| v.is_none_or(Value::is_string))
        {
            let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_owned();
            let merged = if kind == FieldKind::Years {
                self.merge_years(place, &text(base), &text(ours), &text(theirs))
            } else {
                self.merge_amounts(place, &text(base), &text(ours), &text(theirs))
            };
            if let Some(merged) = merged {
                return if merged.is_empty() { None } else { Some(Value::String(merged)) };
            }
        }
        self.conflicts.push(RawConflict {
            place: place.clone(),
            base: base.cloned(),
            ours: ours.cloned(),
            theirs: theirs.cloned(),
        });
        ours.cloned()
    }

    fn merge_keyed(&mut self, place: &Path, key: &str, base: &[Value], ours: &[Value], theirs: &[Value]) -> Vec<Value> {
        let index = |list: &[Value]| -> HashMap<String, usize> {
            list.iter().enumerate().map(|(i, v)| (key_text(&v[key]), i)).collect()
        };
        let order = |list: &[Value]| -> Vec<String> { list.iter().map(|v| key_text(&v[key])).collect() };
        let (bi, oi, ti) = (index(base), index(ours), index(theirs));
        let (bo, oo, to) = (order(base), order(ours), order(theirs));

        let mut merged: HashMap<String, Value> = HashMap::new();
        let mut all: Vec<&String> = oo.iter().collect();
        all.extend(to.iter().filter(|k| !oi.contains_key(*k)));
        all.extend(bo.iter().filter(|k| !oi.contains_key(*k) && !ti.contains_key(*k)));
        for k in all {
            let item_value = base.get(*bi.get(k).unwrap_or(&usize::MAX)).map(|v| v[key].clone());
            let identity = item_value
                .or_else(|| oi.get(k).map(|&i| ours[i][key].clone()))
                .or_else(|| ti.get(k).map(|&i| theirs[i][key].clone()))
                .unwrap_or(Value::Null);
            let child = place.child(Segment::Item { key: key.to_owned(), value: identity });
            let b = bi.get(k).map(|&i| &base[i]);
            let o = oi.get(k).map(|&i| &ours[i]);
            let t = ti.get(k).map(|&i| &theirs[i]);
            if let Some(value) = self.merge(&child, b, o, t) {
                merged.insert(k.clone(), value);
            }
        }

        // Order: a side that only added and removed keeps the other side's moves.
        let kept_order = |side: &[String], side_index: &HashMap<String, usize>| -> bool {
            let common: Vec<&String> = bo.iter().filter(|k| side_index.contains_key(*k)).collect();
            let side_common: Vec<&String> = side.iter().filter(|k| bi.contains_key(*k)).collect();
            common == side_common
        };
        let ours_moved = !kept_order(&oo, &oi);
        let theirs_moved = !kept_order(&to, &ti);
        if ours_moved && theirs_moved {
            let restricted = |side: &[String]| -> Vec<String> {
                side.iter().filter(|k| bi.contains_key(*k) && oi.contains_key(*k) && ti.contains_key(*k)).cloned().collect()
            };
            if restricted(&oo) != restricted(&to) {
                self.reordered_both.push(place.clone());
            }
        }
        let (mut sequence, other, first_added): (Vec<String>, &Vec<String>, HashSet<&String>) = if !ours_moved && theirs_moved {
            (to.clone(), &oo, to.iter().filter(|k| !bi.contains_key(*k)).collect())
        } else {
            (oo.clone(), &to, oo.iter().filter(|k| !bi.contains_key(*k)).collect())
        };
        // The other side's additions go after their predecessor, behind the first side's own
        // additions there (as if the other side's edits were made after).
        let mut in_sequence: HashSet<String> = sequence.iter().cloned().collect();
        for (position, k) in other.iter().enumerate() {
            if in_sequence.contains(k) {
                continue;
            }
            let predecessor = other[..position].iter().rev().find(|p| in_sequence.contains(*p));
            let mut at = predecessor.and_then(|p| sequence.iter().position(|s| s == p)).map_or(0, |i| i + 1);
            while at < sequence.len() && (first_added.contains(&sequence[at]) || !merged.contains_key(&sequence[at])) {
                at += 1;
            }
            sequence.insert(at, k.clone());
            in_sequence.insert(k.clone());
        }
        // Items kept by the merge that neither order placed (a deleted item the other side
        // changed) go where the base had them.
        for (position, k) in bo.iter().enumerate() {
            if merged.contains_key(k) && !in_sequence.contains(k) {
                let predecessor = bo[..position].iter().rev().find(|p| in_sequence.contains(*p));
                let at = predecessor.and_then(|p| sequence.iter().position(|s| s == p)).map_or(0, |i| i + 1);
                sequence.insert(at, k.clone());
                in_sequence.insert(k.clone());
            }
        }
        sequence.into_iter().filter_map(|k| merged.remove(&k)).collect()
    }

    fn merge_years(&mut self, place: &Path, base: &str, ours: &str, theirs: &str) -> Option<String> {
        let parse = |text: &str| -> Option<BTreeMap<i32, f64>> {
            crate::model::year_values::from_text(text).ok().map(|values| values.into_iter().collect())
        };
        let (b, o, t) = (parse(base)?, parse(ours)?, parse(theirs)?);
        let years: std::collections::BTreeSet<i32> = b.keys().chain(o.keys()).chain(t.keys()).copied().collect();
        let mut out: Vec<YearValue> = Vec::new();
        for year in years {
            let number = |map: &BTreeMap<i32, f64>| map.get(&year).and_then(|v| serde_json::Number::from_f64(*v)).map(Value::Number);
            let (bv, ov, tv) = (number(&b), number(&o), number(&t));
            if let Some(value) = self.merge(&place.child(Segment::Year(year)), bv.as_ref(), ov.as_ref(), tv.as_ref())
                && let Some(value) = value.as_f64()
            {
                out.push((year, value));
            }
        }
        Some(crate::model::year_values::to_text(&out))
    }

    fn merge_amounts(&mut self, place: &Path, base: &str, ours: &str, theirs: &str) -> Option<String> {
        let parse = |text: &str| crate::budget::amounts::from_text(text).ok();
        let (b, o, t) = (parse(base)?, parse(ours)?, parse(theirs)?);
        let columns = b.len().max(o.len()).max(t.len());
        let mut out: Vec<Option<Kronor>> = Vec::with_capacity(columns);
        for column in 0..columns {
            let number = |list: &[Option<Kronor>]| list.get(column).copied().flatten().map(Value::from);
            let (bv, ov, tv) = (number(&b), number(&o), number(&t));
            let value = self.merge(&place.child(Segment::Column(column)), bv.as_ref(), ov.as_ref(), tv.as_ref());
            out.push(value.and_then(|v| v.as_i64()));
        }
        while out.last() == Some(&None) {
            out.pop();
        }
        Some(crate::budget::amounts::to_text(&out))
    }
}

fn key_text(value: &Value) -> String {
    value.to_string()
}

/// The field that identifies every item of these lists, when one does: every element an object
/// with that field holding a number or text, unique within each list.
pub fn list_key(lists: &[&[Value]]) -> Option<&'static str> {
    if lists.iter().all(|l| l.is_empty()) {
        return None;
    }
    KEYS.into_iter().find(|key| {
        lists.iter().all(|list| {
            let mut seen = HashSet::new();
            list.iter().all(|item| match item.get(key) {
                Some(v @ (Value::Number(_) | Value::String(_))) => seen.insert(v.to_string()),
                _ => false,
            })
        })
    })
}

fn is_set(list: &[Value]) -> bool {
    let mut seen = HashSet::new();
    list.iter().all(|v| matches!(v, Value::Number(_) | Value::String(_)) && seen.insert(v.to_string()))
}

/// Removals on either side and additions from both, in mine's order then theirs'.
fn merge_set(base: &[Value], ours: &[Value], theirs: &[Value]) -> Vec<Value> {
    let removed = |side: &[Value]| -> Vec<&Value> { base.iter().filter(|v| !side.contains(v)).collect() };
    let (ours_removed, theirs_removed) = (removed(ours), removed(theirs));
    let mut out: Vec<Value> = Vec::new();
    for value in ours.iter().chain(theirs) {
        if !ours_removed.contains(&value) && !theirs_removed.contains(&value) && !out.contains(value) {
            out.push(value.clone());
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Comparison

/// What happened at one place between two versions.
#[derive(Debug, Clone, PartialEq)]
pub struct RawChange {
    pub place: Path,
    pub before: Option<Value>,
    pub after: Option<Value>,
    /// Only the order of a list's items changed (before and after list their keys).
    pub reordered: bool,
}

/// Every change from `before` to `after`, in document order: added and removed list items as
/// one change each, changed fields, years and amount columns one by one, a list whose order
/// changed as a change of the list's keys.
pub fn compare(place: &Path, before: Option<&Value>, after: Option<&Value>, out: &mut Vec<RawChange>) {
    if before == after {
        return;
    }
    let kind = match place.0.last() {
        Some(Segment::Field(name)) => field_kind(Some(name)),
        _ => FieldKind::Plain,
    };
    match (before, after) {
        (Some(Value::Object(b)), Some(Value::Object(a))) => {
            for key in b.keys().chain(a.keys().filter(|k| !b.contains_key(*k))) {
                compare(&place.field(key), b.get(key), a.get(key), out);
            }
            return;
        }
        (Some(Value::Array(b)), Some(Value::Array(a))) => {
            if let Some(key) = list_key(&[b, a]) {
                let ai: HashMap<String, &Value> = a.iter().map(|v| (key_text(&v[key]), v)).collect();
                let bi: HashMap<String, &Value> = b.iter().map(|v| (key_text(&v[key]), v)).collect();
                for item in b.iter().chain(a.iter().filter(|v| !bi.contains_key(&key_text(&v[key])))) {
                    let k = key_text(&item[key]);
                    let child = place.child(Segment::Item { key: key.to_owned(), value: item[key].clone() });
                    compare(&child, bi.get(&k).copied(), ai.get(&k).copied(), out);
                }
                let kept: Vec<String> = b.iter().map(|v| key_text(&v[key])).filter(|k| ai.contains_key(k)).collect();
                let now: Vec<String> = a.iter().map(|v| key_text(&v[key])).filter(|k| bi.contains_key(k)).collect();
                if kept != now {
                    let keys = |list: &[Value]| Value::Array(list.iter().map(|v| v[key].clone()).collect());
                    out.push(RawChange { place: place.clone(), before: Some(keys(b)), after: Some(keys(a)), reordered: true });
                }
                return;
            }
        }
        _ => {}
    }
    if matches!(kind, FieldKind::Years | FieldKind::Amounts) && [before, after].iter().all(|v| v.is_none_or(Value::is_string)) {
        let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_owned();
        if let Some(entries) = entries(kind, &text(before), &text(after)) {
            for (segment, b, a) in entries {
                if b != a {
                    out.push(RawChange { place: place.child(segment), before: b, after: a, reordered: false });
                }
            }
            return;
        }
    }
    out.push(RawChange { place: place.clone(), before: before.cloned(), after: after.cloned(), reordered: false });
}

/// The entries of two year-value or amount texts side by side.
#[allow(clippy::type_complexity)]
fn entries(kind: FieldKind, before: &str, after: &str) -> Option<Vec<(Segment, Option<Value>, Option<Value>)>> {
    if kind == FieldKind::Years {
        let parse = |t: &str| -> Option<BTreeMap<i32, f64>> { crate::model::year_values::from_text(t).ok().map(|v| v.into_iter().collect()) };
        let (b, a) = (parse(before)?, parse(after)?);
        let years: std::collections::BTreeSet<i32> = b.keys().chain(a.keys()).copied().collect();
        let number = |m: &BTreeMap<i32, f64>, y: i32| m.get(&y).and_then(|v| serde_json::Number::from_f64(*v)).map(Value::Number);
        Some(years.into_iter().map(|y| (Segment::Year(y), number(&b, y), number(&a, y))).collect())
    } else {
        let parse = |t: &str| crate::budget::amounts::from_text(t).ok();
        let (b, a) = (parse(before)?, parse(after)?);
        let number = |l: &[Option<Kronor>], c: usize| l.get(c).copied().flatten().map(Value::from);
        Some((0..b.len().max(a.len())).map(|c| (Segment::Column(c), number(&b, c), number(&a, c))).collect())
    }
}

/// Every leaf of a tree with its place (years and columns one by one), for a line-per-fact text.
pub fn leaves(place: &Path, value: &Value, out: &mut Vec<(Path, Value)>) {
    let kind = match place.0.last() {
        Some(Segment::Field(name)) => field_kind(Some(name)),
        _ => FieldKind::Plain,
    };
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                leaves(&place.field(key), child, out);
            }
        }
        Value::Array(list) => match list_key(&[list]) {
            Some(key) => {
                for item in list {
                    leaves(&place.child(Segment::Item { key: key.to_owned(), value: item[key].clone() }), item, out);
                }
            }
            None => out.push((place.clone(), value.clone())),
        },
        Value::String(text) if kind != FieldKind::Plain && kind != FieldKind::Set => match entries(kind, "", text) {
            Some(entries) => out.extend(entries.into_iter().filter_map(|(s, _, a)| Some((place.child(s), a?)))),
            None => out.push((place.clone(), value.clone())),
        },
        _ => out.push((place.clone(), value.clone())),
    }
}

// ---------------------------------------------------------------------------------------------
// Taking one side's value

/// Sets the value at `place` (`None` removes it): a field, a list item (appended when new), a
/// year or an amount column. Fails with a planner-readable reason when the place is gone.
pub fn set_at(root: &mut Value, place: &Path, value: Option<Value>) -> Result<(), String> {
    set_in(root, &place.0, value)
}

fn set_in(node: &mut Value, segments: &[Segment], value: Option<Value>) -> Result<(), String> {
    let gone = || "den finns inte längre i planen".to_owned();
    let (first, rest) = segments.split_first().ok_or_else(gone)?;
    match first {
        Segment::Field(name) => {
            if node.is_null() {
                *node = Value::Object(Map::new());
            }
            let map = node.as_object_mut().ok_or_else(gone)?;
            if rest.is_empty() {
                match value {
                    Some(value) => map.insert(name.clone(), value),
                    None => map.remove(name),
                };
                return Ok(());
            }
            // Years and columns live inside a text.
            if let [Segment::Year(_) | Segment::Column(_)] = rest {
                let text = map.get(name).and_then(Value::as_str).unwrap_or("").to_owned();
                let updated = set_entry(&text, &rest[0], value)?;
                if updated.is_empty() {
                    map.remove(name);
                } else {
                    map.insert(name.clone(), Value::String(updated));
                }
                return Ok(());
            }
            let child = map.entry(name.clone()).or_insert_with(|| match rest[0] {
                Segment::Item { .. } => Value::Array(Vec::new()),
                _ => Value::Null,
            });
            set_in(child, rest, value)
        }
        Segment::Item { key, value: identity } => {
            let list = node.as_array_mut().ok_or_else(gone)?;
            let position = list.iter().position(|item| item.get(key) == Some(identity));
            if rest.is_empty() {
                match (position, value) {
                    (Some(i), Some(value)) => list[i] = value,
                    (None, Some(value)) => list.push(value),
                    (Some(i), None) => {
                        list.remove(i);
                    }
                    (None, None) => {}
                }
                return Ok(());
            }
            set_in(&mut list[position.ok_or_else(gone)?], rest, value)
        }
        Segment::Year(_) | Segment::Column(_) => Err(gone()),
    }
}

fn set_entry(text: &str, segment: &Segment, value: Option<Value>) -> Result<String, String> {
    let unreadable = |e: String| format!("värdena går inte att läsa: {e}");
    match segment {
        Segment::Year(year) => {
            let mut values = crate::model::year_values::from_text(text).map_err(unreadable)?;
            crate::model::set_value(&mut values, *year, value.as_ref().and_then(Value::as_f64));
            Ok(crate::model::year_values::to_text(&values))
        }
        Segment::Column(column) => {
            let mut amounts = crate::budget::amounts::from_text(text).map_err(unreadable)?;
            if amounts.len() <= *column {
                amounts.resize(column + 1, None);
            }
            amounts[*column] = value.as_ref().and_then(Value::as_i64);
            while amounts.last() == Some(&None) {
                amounts.pop();
            }
            Ok(crate::budget::amounts::to_text(&amounts))
        }
        _ => Err("fel sorts plats".to_owned()),
    }
}

/// The value at `place`, if there is one.
pub fn get_at(root: &Value, place: &Path) -> Option<Value> {
    let mut node = root;
    let mut segments = place.0.iter().peekable();
    while let Some(segment) = segments.next() {
        match segment {
            Segment::Field(name) => {
                let child = node.get(name)?;
                if let Some(entry @ (Segment::Year(_) | Segment::Column(_))) = segments.peek() {
                    let text = child.as_str()?;
                    return match entry {
                        Segment::Year(year) => crate::model::year_values::from_text(text)
                            .ok()?
                            .into_iter()
                            .find(|(y, _)| y == year)
                            .and_then(|(_, v)| serde_json::Number::from_f64(v).map(Value::Number)),
                        Segment::Column(column) => {
                            crate::budget::amounts::from_text(text).ok()?.get(*column).copied().flatten().map(Value::from)
                        }
                        _ => None,
                    };
                }
                node = child;
            }
            Segment::Item { key, value } => {
                node = node.as_array()?.iter().find(|item| item.get(key) == Some(value))?;
            }
            Segment::Year(_) | Segment::Column(_) => return None,
        }
    }
    Some(node.clone())
}

// ---------------------------------------------------------------------------------------------
// Ids

/// Every item id in the tree (objects' `id` fields) with the item.
pub fn items_by_id(root: &Value) -> HashMap<u64, &Value> {
    fn walk<'a>(value: &'a Value, out: &mut HashMap<u64, &'a Value>) {
        match value {
            Value::Object(map) => {
                if let Some(id) = map.get("id").and_then(Value::as_u64) {
                    out.insert(id, value);
                }
                map.values().for_each(|v| walk(v, out));
            }
            Value::Array(list) => list.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = HashMap::new();
    walk(root, &mut out);
    out
}

/// Renumbers ids and every reference to them (`parent`, `goal`, linked `goals` …).
pub fn renumber(root: &mut Value, map: &HashMap<u64, u64>) {
    let swap = |v: &mut Value| {
        if let Some(new) = v.as_u64().and_then(|id| map.get(&id)) {
            *v = Value::from(*new);
        }
    };
    match root {
        Value::Object(fields) => {
            for (key, value) in fields.iter_mut() {
                if key == "id" || REFERENCE_FIELDS.contains(&key.as_str()) {
                    swap(value);
                } else if key == "goals" && let Value::Array(list) = value {
                    list.iter_mut().for_each(|v| if v.is_number() { swap(v) } else { renumber(v, map) });
                } else {
                    renumber(value, map);
                }
            }
        }
        Value::Array(list) => list.iter_mut().for_each(|v| renumber(v, map)),
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// References kept whole

/// Fields whose item cannot live without the item they name: a child goal its parent, a
/// commitment or indicator its goal, a follow-up entry its goal or commitment, an economic
/// follow-up its period.
const OWNER_FIELDS: [&str; 4] = ["parent", "goal", "commitment", "period"];

/// Every id the tree refers to (owners and linked goal lists).
pub fn referenced_ids(root: &Value) -> HashSet<u64> {
    fn walk(value: &Value, out: &mut HashSet<u64>) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    if OWNER_FIELDS.contains(&key.as_str()) {
                        if let Some(id) = child.as_u64() {
                            out.insert(id);
                        }
                    } else {
                        walk(child, out);
                    }
                }
            }
            Value::Array(list) => list.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = HashSet::new();
    walk(root, &mut out);
    out
}

/// The place of the item with this id.
pub fn find_item(root: &Value, id: u64) -> Option<Path> {
    fn walk(value: &Value, id: u64, place: &Path) -> Option<Path> {
        match value {
            Value::Object(map) => map.iter().find_map(|(key, child)| walk(child, id, &place.field(key))),
            Value::Array(list) => list.iter().find_map(|item| {
                let item_id = item.get("id").and_then(Value::as_u64)?;
                let here = place.child(Segment::Item { key: "id".to_owned(), value: Value::from(item_id) });
                if item_id == id { Some(here) } else { walk(item, id, &here) }
            }),
            _ => None,
        }
    }
    walk(root, id, &Path::default())
}

/// Puts an item back in its list where `base` had it (after the nearest earlier item still
/// there).
pub fn restore_item(root: &mut Value, base: &Value, place: &Path, item: Value) -> Result<(), String> {
    let Some((Segment::Item { key, value: identity }, list_place)) = place.0.split_last() else {
        return Err("ingen post".to_owned());
    };
    let list_place = Path(list_place.to_vec());
    let base_list = get_at(base, &list_place).and_then(|v| v.as_array().cloned()).unwrap_or_default();
    let mut node = &mut *root;
    for segment in &list_place.0 {
        node = match segment {
            Segment::Field(name) => node.as_object_mut().and_then(|m| m.get_mut(name)).ok_or("listan finns inte")?,
            Segment::Item { key, value } => node
                .as_array_mut()
                .and_then(|l| l.iter_mut().find(|i| i.get(key) == Some(value)))
                .ok_or("posten finns inte")?,
            _ => return Err("fel sorts plats".to_owned()),
        };
    }
    let list = node.as_array_mut().ok_or("ingen lista")?;
    let position = base_list.iter().position(|i| i.get(key) == Some(identity)).unwrap_or(base_list.len());
    let after = base_list[..position]
        .iter()
        .rev()
        .find_map(|earlier| list.iter().position(|i| i.get(key) == earlier.get(key)))
        .map_or(0, |i| i + 1);
    list.insert(after, item);
    Ok(())
}

/// Removes the items with these ids and everything that cannot live without them (children,
/// commitments, indicators, follow-up entries), and unlinks them where they are only linked.
pub fn remove_with_dependents(root: &mut Value, ids: &HashSet<u64>) {
    fn owned_by(item: &Value, removed: &HashSet<u64>) -> bool {
        OWNER_FIELDS.iter().any(|f| item.get(*f).and_then(Value::as_u64).is_some_and(|id| removed.contains(&id)))
    }
    fn walk(value: &mut Value, removed: &mut HashSet<u64>, changed: &mut bool) {
        match value {
            Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    if key == "goals" && let Value::Array(list) = child && list.iter().all(Value::is_number) {
                        list.retain(|v| !v.as_u64().is_some_and(|id| removed.contains(&id)));
                        continue;
                    }
                    walk(child, removed, changed);
                }
                for key in ["result_table", "same_total_as"] {
                    if map.get(key).and_then(Value::as_u64).is_some_and(|id| removed.contains(&id)) {
                        map.remove(key);
                    }
                }
            }
            Value::Array(list) => {
                list.retain(|item| {
                    let goes = item.get("id").and_then(Value::as_u64).is_some_and(|id| removed.contains(&id)) || owned_by(item, removed);
                    if goes {
                        *changed = true;
                    }
                    !goes
                });
                list.iter_mut().for_each(|v| walk(v, removed, changed));
            }
            _ => {}
        }
    }
    let mut removed = ids.clone();
    loop {
        // Items removed this round may own others: collect their ids and go again.
        let before: HashSet<u64> = items_by_id(root).keys().copied().collect();
        let mut changed = false;
        walk(root, &mut removed, &mut changed);
        let after: HashSet<u64> = items_by_id(root).keys().copied().collect();
        removed.extend(before.difference(&after));
        if !changed {
            break;
        }
    }
}
