//! Several planners, one plan: three-way merge, comparison and conflict resolution.
//!
//! A merge takes the version both started from (*base*), mine and theirs, and works by stable
//! ids: field by field for every item, year by year for series, column by column for amounts,
//! item by item for lists with a key (`id`, `code`, a follow-up's `goal`, a series' `name`).
//! What only one side changed is taken; what both changed alike is taken once; what both changed
//! differently is a conflict: the plan keeps mine there and records theirs in
//! [`Plan::conflicts`], so a conflicted merge is still a valid plan file.
//!
//! Ids: a new item takes the highest id + 1, so two planners adding at the same time create the
//! same id for different items. The merge then renumbers theirs' additions (and every reference
//! to them) after mine, as if their edits had been made after mine. Ids stay small and readable,
//! and files from before this need no migration.
//!
//! No egui here; the app, the CLI (`malplan merge`, `malplan diff`) and git drivers build on it.

pub mod path;
mod tree;
pub mod words;

use std::collections::{HashMap, HashSet};

use serde_json::Value;

pub use path::{Path, Segment};
pub use words::{Described, describe, value_text};

use crate::i18n::Lang;
use crate::model::{ItemId, MergeConflict, Plan};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    #[error("planerna kunde inte jämföras: {0}")]
    Convert(String),
    #[error("sammanslagningen gav ingen giltig plan: {0}")]
    Invalid(String),
    #[error("konflikten kunde inte lösas: {0}")]
    Resolve(String),
}

/// The result of a merge.
#[derive(Debug, Clone)]
pub struct Merged {
    /// Mine with theirs merged in; its `conflicts` hold what is left to choose.
    pub plan: Plan,
    /// How many of `plan.conflicts` this merge added.
    pub new_conflicts: usize,
    /// Theirs' new items renumbered so they do not clash with mine (old id, new id).
    pub renumbered: Vec<(ItemId, ItemId)>,
    /// Lists both sides reordered differently, in planner words (mine's order kept).
    pub reordered: Vec<String>,
}

impl Merged {
    pub fn is_clean(&self) -> bool {
        self.plan.conflicts.is_empty()
    }
}

fn to_tree(plan: &Plan) -> Result<Value, MergeError> {
    let mut value = serde_json::to_value(plan).map_err(|e| MergeError::Convert(e.to_string()))?;
    if let Some(map) = value.as_object_mut() {
        map.remove("conflicts");
    }
    Ok(value)
}

fn from_tree(value: Value) -> Result<Plan, MergeError> {
    serde_json::from_value(value).map_err(|e| MergeError::Invalid(e.to_string()))
}

/// Three-way merge of `ours` and `theirs`, both edited from `base`.
pub fn merge(base: &Plan, ours: &Plan, theirs: &Plan) -> Result<Merged, MergeError> {
    let base_tree = to_tree(base)?;
    let ours_tree = to_tree(ours)?;
    let mut theirs_tree = to_tree(theirs)?;

    // New items on both sides with the same id but different content: theirs move after mine.
    let renumbered = {
        let (b, o, t) = (tree::items_by_id(&base_tree), tree::items_by_id(&ours_tree), tree::items_by_id(&theirs_tree));
        let theirs_added: Vec<u64> = t.keys().filter(|id| !b.contains_key(id)).copied().collect();
        let same: HashSet<u64> = theirs_added.iter().filter(|id| o.get(id) == t.get(id)).copied().collect();
        let clash = theirs_added.iter().any(|id| o.contains_key(id) && !same.contains(id));
        let mut to_move: Vec<u64> = theirs_added.iter().filter(|id| !same.contains(id)).copied().collect();
        to_move.sort_unstable();
        let highest = b.keys().chain(o.keys()).copied().max().unwrap_or(0);
        match to_move.first() {
            Some(&lowest) if clash && highest + 1 > lowest => {
                let offset = highest + 1 - lowest;
                to_move.iter().map(|&id| (id, id + offset)).collect::<Vec<_>>()
            }
            _ => Vec::new(),
        }
    };
    if !renumbered.is_empty() {
        let map: HashMap<u64, u64> = renumbered.iter().copied().collect();
        tree::renumber(&mut theirs_tree, &map);
    }
    let renumbered_theirs = if renumbered.is_empty() { None } else { Some(from_tree(theirs_tree.clone())?) };
    let theirs_named = renumbered_theirs.as_ref().unwrap_or(theirs);

    let mut merger = tree::Merger::default();
    let mut merged = merger
        .merge(&Path::default(), Some(&base_tree), Some(&ours_tree), Some(&theirs_tree))
        .ok_or_else(|| MergeError::Invalid("tom".to_owned()))?;

    // An item one side removed that the other side's new or changed items belong to (a goal
    // removed, an indicator added under it) comes back, as a conflict: keep it or remove it
    // with what belongs to it.
    let mut restored: Vec<(Path, Option<Value>, Option<Value>)> = Vec::new();
    loop {
        let present: HashSet<u64> = tree::items_by_id(&merged).keys().copied().collect();
        let mut missing: Vec<u64> = tree::referenced_ids(&merged).into_iter().filter(|id| !present.contains(id)).collect();
        missing.sort_unstable();
        let mut any = false;
        for id in missing {
            let Some(place) = tree::find_item(&base_tree, id) else { continue };
            let (mine, theirs) = (tree::get_at(&ours_tree, &place), tree::get_at(&theirs_tree, &place));
            let Some(item) = mine.clone().or_else(|| theirs.clone()).or_else(|| tree::get_at(&base_tree, &place)) else { continue };
            if tree::restore_item(&mut merged, &base_tree, &place, item).is_ok() {
                merger.conflicts.retain(|c| c.place != place);
                restored.push((place, mine, theirs));
                any = true;
            }
        }
        if !any {
            break;
        }
    }
    let mut plan = from_tree(merged)?;

    // Unresolved conflicts both versions carry stay; this merge's are added (a newer one for
    // the same place replaces the older).
    let mut conflicts: Vec<MergeConflict> = ours.conflicts.clone();
    for conflict in &theirs.conflicts {
        if !conflicts.iter().any(|c| c.place == conflict.place) {
            conflicts.push(conflict.clone());
        }
    }
    let names: [&Plan; 4] = [&plan, ours, theirs_named, base];
    let new_conflicts: Vec<MergeConflict> = merger
        .conflicts
        .iter()
        .map(|raw| {
            let lang = Lang::Swedish;
            MergeConflict {
                place: raw.place.to_string(),
                what: describe(&raw.place, &names, lang).text(),
                mine: value_text(&raw.place, raw.ours.as_ref(), &names, lang),
                theirs: value_text(&raw.place, raw.theirs.as_ref(), &names, lang),
                theirs_value: raw.theirs.as_ref().map_or_else(|| "null".to_owned(), Value::to_string),
                mine_value: None,
            }
        })
        .chain(restored.iter().map(|(place, mine, theirs)| {
            let lang = Lang::Swedish;
            let json = |v: &Option<Value>| v.as_ref().map_or_else(|| "null".to_owned(), Value::to_string);
            MergeConflict {
                place: place.to_string(),
                what: format!(
                    "{} ({})",
                    describe(place, &names, lang).text(),
                    lang.t("borttaget i en version, används i den andra", "removed in one version, used in the other")
                ),
                mine: value_text(place, mine.as_ref(), &names, lang),
                theirs: value_text(place, theirs.as_ref(), &names, lang),
                theirs_value: json(theirs),
                // The plan holds the item: mine (removed) is kept aside.
                mine_value: mine.is_none().then(|| json(mine)),
            }
        }))
        .collect();
    conflicts.retain(|c| !new_conflicts.iter().any(|n| n.place == c.place));
    let new_count = new_conflicts.len();
    conflicts.extend(new_conflicts);
    let reordered = merger.reordered_both.iter().map(|p| describe(p, &names, Lang::Swedish).text()).collect();
    plan.conflicts = conflicts;
    Ok(Merged {
        plan,
        new_conflicts: new_count,
        renumbered: renumbered.into_iter().map(|(a, b)| (ItemId(a as u32), ItemId(b as u32))).collect(),
        reordered,
    })
}

/// Which side of a conflict the planner takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Mine,
    Theirs,
}

/// The plan with conflict `index` resolved: mine keeps the plan as it is, theirs puts the
/// other version's value in its place (or removes or restores the item). Either way the
/// conflict is gone.
pub fn resolve(plan: &Plan, index: usize, choice: Choice) -> Result<Plan, MergeError> {
    let conflict = plan.conflicts.get(index).ok_or_else(|| MergeError::Resolve("konflikten finns inte".to_owned()))?;
    let taken = match choice {
        Choice::Mine => conflict.mine_value.as_deref(),
        Choice::Theirs => Some(conflict.theirs_value.as_str()),
    };
    let mut resolved = match taken {
        None => plan.clone(),
        Some(json) => {
            let place: Path = conflict.place.parse().map_err(MergeError::Resolve)?;
            let value: Value = serde_json::from_str(json).map_err(|e| MergeError::Resolve(format!("{}: {e}", conflict.what)))?;
            let mut tree = to_tree(plan)?;
            match (value.is_null(), place.0.last()) {
                // Removing an item removes what belongs to it, so nothing is left dangling.
                (true, Some(Segment::Item { key, value: id })) if key == "id" && id.as_u64().is_some() => {
                    tree::remove_with_dependents(&mut tree, &HashSet::from([id.as_u64().unwrap_or_default()]));
                }
                _ => tree::set_at(&mut tree, &place, (!value.is_null()).then_some(value))
                    .map_err(|e| MergeError::Resolve(format!("{}: {e}", conflict.what)))?,
            }
            let mut resolved = from_tree(tree)?;
            resolved.conflicts = plan.conflicts.clone();
            resolved
        }
    };
    resolved.conflicts.remove(index);
    Ok(resolved)
}

/// Mine's current value at a conflict's place, in planner words (it may have been edited since
/// the merge).
pub fn current_text(plan: &Plan, conflict: &MergeConflict, lang: Lang) -> String {
    let Ok(place) = conflict.place.parse::<Path>() else { return conflict.mine.clone() };
    if let Some(mine) = &conflict.mine_value {
        let Ok(value) = serde_json::from_str::<Value>(mine) else { return conflict.mine.clone() };
        return value_text(&place, Some(&value), &[plan], lang);
    }
    value_text(&place, value_at(plan, &place).as_ref(), &[plan], lang)
}

/// The value at `place` in the plan. Only the item the place is in is serialised, so this is
/// cheap enough to call every frame for a list of conflicts.
pub fn value_at(plan: &Plan, place: &Path) -> Option<Value> {
    fn item<T: serde::Serialize>(found: Option<&T>) -> Option<Value> {
        found.and_then(|x| serde_json::to_value(x).ok())
    }
    let (Some(Segment::Field(top)), second) = (place.0.first(), place.0.get(1)) else { return None };
    let id = second.and_then(|s| match s {
        Segment::Item { value, .. } => value.as_u64().and_then(|v| u32::try_from(v).ok()).map(ItemId),
        _ => None,
    });
    let code = second.and_then(|s| match s {
        Segment::Item { value: Value::String(code), .. } => Some(code.as_str()),
        _ => None,
    });
    // The item (or plan-wide block) and the rest of the path inside it.
    let (value, rest) = match (top.as_str(), id) {
        ("goals", Some(id)) => (item(plan.goal(id)), 2),
        ("commitments", Some(id)) => (item(plan.commitment(id)), 2),
        ("indicators", Some(id)) => (item(plan.indicator(id)), 2),
        ("periods", Some(id)) => (item(plan.period(id)), 2),
        ("budgets", Some(id)) => (item(plan.budgets.iter().find(|b| b.id == id)), 2),
        ("economy", Some(id)) => (item(plan.economy.iter().find(|e| e.id == id)), 2),
        ("boards", _) => (item(code.and_then(|c| plan.board(c))), 2),
        ("meta", _) => (item(Some(&plan.meta)), 1),
        ("vision", _) => (item(Some(&plan.vision)), 1),
        ("settings", _) => (item(Some(&plan.settings)), 1),
        ("money", _) => (item(Some(&plan.money)), 1),
        ("kolada", _) => (item(Some(&plan.kolada)), 1),
        _ => return tree::get_at(&to_tree(plan).ok()?, place),
    };
    let value = value?;
    if place.0.len() == rest {
        return Some(value);
    }
    // A path relative to the item: a dummy field above it.
    let mut relative = vec![Segment::Field("x".to_owned())];
    relative.extend(place.0[rest..].iter().cloned());
    tree::get_at(&serde_json::json!({ "x": value }), &Path(relative))
}

/// Theirs in planner words, in the given language.
pub fn theirs_text(plan: &Plan, conflict: &MergeConflict, lang: Lang) -> String {
    let (Ok(place), Ok(value)) = (conflict.place.parse::<Path>(), serde_json::from_str::<Value>(&conflict.theirs_value)) else {
        return conflict.theirs.clone();
    };
    value_text(&place, Some(&value), &[plan], lang)
}

/// What a conflict concerns, in the given language.
pub fn conflict_what(plan: &Plan, conflict: &MergeConflict, lang: Lang) -> String {
    match conflict.place.parse::<Path>() {
        Ok(place) => describe(&place, &[plan], lang).text(),
        Err(_) => conflict.what.clone(),
    }
}

/// The first item id on a conflict's place (to select it in the app).
/// Where a planner edits what a conflict is about (*Redigera*).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictPlace {
    /// A goal, commitment or indicator (or a goal's or commitment's follow-up), by id.
    Item(ItemId),
    /// A board's budget, by the budget's id.
    Budget(ItemId),
    /// An economic follow-up, by its id.
    Economy(ItemId),
    /// The board's document.
    Document,
    /// The plan's own settings: title, years, vision, boards, Kolada, money.
    Plan,
}

/// Where the conflict's value is edited.
pub fn conflict_place(conflict: &MergeConflict) -> ConflictPlace {
    let Ok(place) = conflict.place.parse::<Path>() else { return ConflictPlace::Plan };
    let first_id = place.ids().next().map(ItemId);
    match (place.0.first(), first_id) {
        (Some(Segment::Field(top)), Some(id)) if top == "budgets" => ConflictPlace::Budget(id),
        (Some(Segment::Field(top)), Some(id)) if top == "economy" => ConflictPlace::Economy(id),
        (Some(Segment::Field(top)), _) if top == "document" => ConflictPlace::Document,
        (Some(Segment::Field(top)), _) if ["goals", "commitments", "indicators", "periods"].contains(&top.as_str()) => {
            conflict_item(conflict).map_or(ConflictPlace::Plan, ConflictPlace::Item)
        }
        _ => ConflictPlace::Plan,
    }
}

pub fn conflict_item(conflict: &MergeConflict) -> Option<ItemId> {
    let place: Path = conflict.place.parse().ok()?;
    let ids: Vec<u32> = place.ids().collect();
    // A follow-up's place names the period first and the goal or commitment second.
    let id = if matches!(place.0.first(), Some(Segment::Field(top)) if top == "periods") { ids.get(1) } else { ids.first() };
    id.copied().map(ItemId)
}

// ---------------------------------------------------------------------------------------------
// Comparing two versions

/// One change between two versions of a plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub place: Path,
    pub before: Option<Value>,
    pub after: Option<Value>,
    /// Only the order of the list at `place` changed.
    pub reordered: bool,
}

impl Change {
    /// "Mål Ekonomi, Delår 2 2022: bedömning delvis → uppnår", "Sjukfrånvaro, Totalt, utfall
    /// 2022: 1,8 → 1,7", "Åtagande «…» flyttat till Mål Medarbetare", "Nytt: Åtagande «…»".
    pub fn text(&self, before: &Plan, after: &Plan, lang: Lang) -> String {
        let names_after: [&Plan; 2] = [after, before];
        let names_before: [&Plan; 2] = [before, after];
        let described = describe(&self.place, &names_after, lang);
        let is_item = matches!(self.place.0.last(), Some(Segment::Item { .. }));
        match (&self.before, &self.after) {
            (None, Some(_)) if is_item => format!("{} {}", lang.t("Nytt:", "Added:"), described.subject_text()),
            (Some(_), None) if is_item => {
                format!("{} {}", lang.t("Borttaget:", "Removed:"), describe(&self.place, &names_before, lang).subject_text())
            }
            _ if self.reordered => {
                format!("{}: {}", described.text(), lang.t("ordningen ändrad", "order changed"))
            }
            _ => {
                let moved = self.place.0.len() == 3
                    && matches!(self.place.0.last(), Some(Segment::Field(f)) if f == "parent" || f == "goal");
                // A changed item is named as it was (its title may be what changed).
                let described = describe(&self.place, &names_before, lang);
                let after_text = value_text(&self.place, self.after.as_ref(), &names_after, lang);
                if moved {
                    return format!("{} {} {after_text}", described.subject_text(), lang.t("flyttat till", "moved to"));
                }
                let before_text = value_text(&self.place, self.before.as_ref(), &names_before, lang);
                match &described.field {
                    Some(field) => format!("{}: {field} {before_text} → {after_text}", described.subject_text()),
                    None => format!("{}: {before_text} → {after_text}", described.subject_text()),
                }
            }
        }
    }
}

/// Every change from `before` to `after`, in the order of the plan file.
pub fn diff(before: &Plan, after: &Plan) -> Result<Vec<Change>, MergeError> {
    let mut raw = Vec::new();
    let (b, a) = (serde_json::to_value(before), serde_json::to_value(after));
    let (b, a) = (b.map_err(|e| MergeError::Convert(e.to_string()))?, a.map_err(|e| MergeError::Convert(e.to_string()))?);
    tree::compare(&Path::default(), Some(&b), Some(&a), &mut raw);
    Ok(raw.into_iter().map(|c| Change { place: c.place, before: c.before, after: c.after, reordered: c.reordered }).collect())
}

/// The plan as one line per fact in planner words (for git's `textconv`: a line diff of two
/// such texts reads as a list of changes).
pub fn fact_lines(plan: &Plan, lang: Lang) -> Result<Vec<String>, MergeError> {
    let tree = serde_json::to_value(plan).map_err(|e| MergeError::Convert(e.to_string()))?;
    let mut leaves = Vec::new();
    tree::leaves(&Path::default(), &tree, &mut leaves);
    let names = [plan];
    Ok(leaves
        .iter()
        .map(|(place, value)| {
            // Whole texts, on one line: a changed word late in a comment must show in a diff.
            let shown = value_text(place, Some(value), &names, lang);
            let text = match value {
                Value::String(text) if shown.starts_with('«') => format!("«{}»", text.replace("\r\n", "\n").replace('\n', " ¶ ")),
                _ => shown,
            };
            format!("{}: {text}", describe(place, &names, lang).text())
        })
        .collect())
}

#[cfg(test)]
mod tests;
