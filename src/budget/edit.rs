//! Changes to one budget, each returning its own inverse (the document's undo stores only what
//! an edit touched: one cell, one row – never a copy of a 10 000-row budget).

use super::{Budget, BudgetColumn, BudgetGroup, BudgetRow, BudgetTable, Contribution, Frame, Kronor};
use crate::model::ItemId;

/// One reversible change inside a budget.
#[derive(Debug, Clone, PartialEq)]
pub enum BudgetEdit {
    /// Sets one amount (`None` empties the cell).
    Cell { row: ItemId, column: usize, value: Option<Kronor> },
    /// Sets a stated total (`group: None` for the table's own), kept as the document states it.
    StatedTotal { table: ItemId, group: Option<usize>, column: usize, value: Option<Kronor> },
    /// Replaces the row with the same id (code, name, amounts).
    Row(BudgetRow),
    InsertRow { table: ItemId, group: usize, index: usize, row: BudgetRow },
    RemoveRow(ItemId),
    /// Moves a row to `index` of group `group` of its table.
    MoveRow { row: ItemId, group: usize, index: usize },
    /// Replaces a table's title, labels, links and the names of its groups.
    TableHeader { table: ItemId, header: TableHeader },
    InsertGroup { table: ItemId, index: usize, group: BudgetGroup },
    /// Removes a group with its rows.
    RemoveGroup { table: ItemId, index: usize },
    InsertTable { index: usize, table: BudgetTable },
    RemoveTable(ItemId),
    /// Inserts a column (a plan year); every row, stated total and subtotal gets the amount
    /// given for it in `data`, or an empty cell.
    InsertColumn { index: usize, column: BudgetColumn, data: ColumnData },
    RemoveColumn(usize),
    /// Replaces the year, frame, contributions and notes.
    Header(BudgetHeader),
}

/// What a table is besides its rows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableHeader {
    pub title: String,
    pub total_label: String,
    pub group_names: Vec<String>,
    pub same_total_as: Option<ItemId>,
    pub against_frame: bool,
}

/// What a budget is besides its columns and tables.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BudgetHeader {
    pub year: i32,
    pub frame: Option<Frame>,
    pub contributions: Vec<Contribution>,
    pub notes: Vec<String>,
}

/// The amounts of one column, for undoing its removal.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ColumnData {
    pub rows: Vec<(ItemId, Kronor)>,
    /// (table, group or `None` for the table's own total, amount)
    pub stated: Vec<(ItemId, Option<usize>, Kronor)>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BudgetEditError {
    #[error("budgetraden {0} finns inte längre")]
    MissingRow(ItemId),
    #[error("budgettabellen {0} finns inte längre")]
    MissingTable(ItemId),
    #[error("kolumnen finns inte")]
    MissingColumn,
    #[error("gruppen finns inte")]
    MissingGroup,
}

/// Sets `amounts[column]`, growing the list with empty cells as needed; returns the old value.
fn set_amount(amounts: &mut Vec<Option<Kronor>>, column: usize, value: Option<Kronor>) -> Option<Kronor> {
    if amounts.len() <= column {
        if value.is_none() {
            return None;
        }
        amounts.resize(column + 1, None);
    }
    let old = std::mem::replace(&mut amounts[column], value);
    // Trailing empty cells say nothing; keep the file as it would be typed.
    while amounts.last() == Some(&None) {
        amounts.pop();
    }
    old
}

/// Inserts an empty cell at `column` (only where the list reaches that far).
fn insert_amount(amounts: &mut Vec<Option<Kronor>>, column: usize, value: Option<Kronor>) {
    if column <= amounts.len() {
        amounts.insert(column, value);
    } else if value.is_some() {
        amounts.resize(column, None);
        amounts.push(value);
    }
    while amounts.last() == Some(&None) {
        amounts.pop();
    }
}

fn remove_amount(amounts: &mut Vec<Option<Kronor>>, column: usize) -> Option<Kronor> {
    (column < amounts.len()).then(|| amounts.remove(column)).flatten()
}

impl Budget {
    /// Where a row is: (table index, group index, row index).
    pub fn find_row(&self, row: ItemId) -> Option<(usize, usize, usize)> {
        self.tables.iter().enumerate().find_map(|(t, table)| {
            table.groups.iter().enumerate().find_map(|(g, group)| group.rows.iter().position(|r| r.id == row).map(|r| (t, g, r)))
        })
    }

    fn row_mut(&mut self, row: ItemId) -> Result<&mut BudgetRow, BudgetEditError> {
        let (t, g, r) = self.find_row(row).ok_or(BudgetEditError::MissingRow(row))?;
        Ok(&mut self.tables[t].groups[g].rows[r])
    }

    fn table_mut(&mut self, table: ItemId) -> Result<&mut BudgetTable, BudgetEditError> {
        self.tables.iter_mut().find(|t| t.id == table).ok_or(BudgetEditError::MissingTable(table))
    }
}

impl BudgetEdit {
    /// Applies the edit to `budget` and returns the edit that undoes it. On error the budget is
    /// unchanged.
    pub fn apply(self, budget: &mut Budget) -> Result<BudgetEdit, BudgetEditError> {
        Ok(match self {
            BudgetEdit::Cell { row, column, value } => {
                let old = set_amount(&mut budget.row_mut(row)?.amounts, column, value);
                BudgetEdit::Cell { row, column, value: old }
            }
            BudgetEdit::StatedTotal { table, group, column, value } => {
                let table_entry = budget.table_mut(table)?;
                let amounts = match group {
                    Some(g) => &mut table_entry.groups.get_mut(g).ok_or(BudgetEditError::MissingGroup)?.stated_total,
                    None => &mut table_entry.stated_total,
                };
                let old = set_amount(amounts, column, value);
                BudgetEdit::StatedTotal { table, group, column, value: old }
            }
            BudgetEdit::Row(row) => {
                let id = row.id;
                BudgetEdit::Row(std::mem::replace(budget.row_mut(id)?, row))
            }
            BudgetEdit::InsertRow { table, group, index, row } => {
                let table_entry = budget.table_mut(table)?;
                let rows = &mut table_entry.groups.get_mut(group).ok_or(BudgetEditError::MissingGroup)?.rows;
                let id = row.id;
                rows.insert(index.min(rows.len()), row);
                BudgetEdit::RemoveRow(id)
            }
            BudgetEdit::RemoveRow(id) => {
                let (t, g, r) = budget.find_row(id).ok_or(BudgetEditError::MissingRow(id))?;
                let table = &mut budget.tables[t];
                let row = table.groups[g].rows.remove(r);
                BudgetEdit::InsertRow { table: table.id, group: g, index: r, row }
            }
            BudgetEdit::MoveRow { row, group, index } => {
                let (t, g, r) = budget.find_row(row).ok_or(BudgetEditError::MissingRow(row))?;
                let table = &mut budget.tables[t];
                if group >= table.groups.len() {
                    return Err(BudgetEditError::MissingGroup);
                }
                let moved = table.groups[g].rows.remove(r);
                let rows = &mut table.groups[group].rows;
                rows.insert(index.min(rows.len()), moved);
                BudgetEdit::MoveRow { row, group: g, index: r }
            }
            BudgetEdit::TableHeader { table, header } => {
                let entry = budget.table_mut(table)?;
                let old = TableHeader {
                    title: std::mem::replace(&mut entry.title, header.title),
                    total_label: std::mem::replace(&mut entry.total_label, header.total_label),
                    group_names: entry.groups.iter().map(|g| g.name.clone()).collect(),
                    same_total_as: std::mem::replace(&mut entry.same_total_as, header.same_total_as),
                    against_frame: std::mem::replace(&mut entry.against_frame, header.against_frame),
                };
                // The names of the groups there are (groups come and go with InsertGroup and
                // RemoveGroup, so the inverse restores every name exactly).
                for (group, name) in entry.groups.iter_mut().zip(header.group_names) {
                    group.name = name;
                }
                BudgetEdit::TableHeader { table, header: old }
            }
            BudgetEdit::InsertGroup { table, index, group } => {
                let groups = &mut budget.table_mut(table)?.groups;
                let index = index.min(groups.len());
                groups.insert(index, group);
                BudgetEdit::RemoveGroup { table, index }
            }
            BudgetEdit::RemoveGroup { table, index } => {
                let groups = &mut budget.table_mut(table)?.groups;
                if index >= groups.len() {
                    return Err(BudgetEditError::MissingGroup);
                }
                BudgetEdit::InsertGroup { table, index, group: groups.remove(index) }
            }
            BudgetEdit::InsertTable { index, table } => {
                let id = table.id;
                budget.tables.insert(index.min(budget.tables.len()), table);
                BudgetEdit::RemoveTable(id)
            }
            BudgetEdit::RemoveTable(id) => {
                let index = budget.tables.iter().position(|t| t.id == id).ok_or(BudgetEditError::MissingTable(id))?;
                BudgetEdit::InsertTable { index, table: budget.tables.remove(index) }
            }
            BudgetEdit::InsertColumn { index, column, data } => {
                if index > budget.columns.len() {
                    return Err(BudgetEditError::MissingColumn);
                }
                budget.columns.insert(index, column);
                let rows: std::collections::HashMap<ItemId, Kronor> = data.rows.into_iter().collect();
                for table in &mut budget.tables {
                    let stated = |group: Option<usize>| data.stated.iter().find(|(t, g, _)| *t == table.id && *g == group).map(|s| s.2);
                    let table_total = stated(None);
                    let group_totals: Vec<Option<Kronor>> = (0..table.groups.len()).map(|g| stated(Some(g))).collect();
                    insert_amount(&mut table.stated_total, index, table_total);
                    for (group, total) in table.groups.iter_mut().zip(group_totals) {
                        insert_amount(&mut group.stated_total, index, total);
                        for row in &mut group.rows {
                            insert_amount(&mut row.amounts, index, rows.get(&row.id).copied());
                        }
                    }
                }
                BudgetEdit::RemoveColumn(index)
            }
            BudgetEdit::RemoveColumn(index) => {
                if index >= budget.columns.len() {
                    return Err(BudgetEditError::MissingColumn);
                }
                let column = budget.columns.remove(index);
                let mut data = ColumnData::default();
                for table in &mut budget.tables {
                    if let Some(value) = remove_amount(&mut table.stated_total, index) {
                        data.stated.push((table.id, None, value));
                    }
                    for (g, group) in table.groups.iter_mut().enumerate() {
                        if let Some(value) = remove_amount(&mut group.stated_total, index) {
                            data.stated.push((table.id, Some(g), value));
                        }
                        for row in &mut group.rows {
                            if let Some(value) = remove_amount(&mut row.amounts, index) {
                                data.rows.push((row.id, value));
                            }
                        }
                    }
                }
                BudgetEdit::InsertColumn { index, column, data }
            }
            BudgetEdit::Header(header) => BudgetEdit::Header(BudgetHeader {
                year: std::mem::replace(&mut budget.year, header.year),
                frame: std::mem::replace(&mut budget.frame, header.frame),
                contributions: std::mem::replace(&mut budget.contributions, header.contributions),
                notes: std::mem::replace(&mut budget.notes, header.notes),
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::{ColumnKind, TableKind};

    fn row(id: u32, name: &str, amounts: &[Option<Kronor>]) -> BudgetRow {
        BudgetRow { id: ItemId(id), code: String::new(), name: name.into(), amounts: amounts.to_vec() }
    }

    /// Seed 003's investment table, shortened: two groups, empty cells, stated totals.
    fn budget() -> Budget {
        Budget {
            id: ItemId(1000),
            board: "KS".into(),
            year: 2025,
            columns: vec![
                BudgetColumn { kind: ColumnKind::Actual, year: 2023 },
                BudgetColumn { kind: ColumnKind::Budget, year: 2024 },
                BudgetColumn { kind: ColumnKind::Budget, year: 2025 },
            ],
            tables: vec![BudgetTable {
                id: ItemId(1001),
                kind: TableKind::Investment,
                title: "Investeringsbudget (tkr)".into(),
                total_label: "Summa".into(),
                groups: vec![
                    BudgetGroup {
                        name: "Strategiska investeringar".into(),
                        rows: vec![row(1100, "Hammars skola", &[Some(-22_735_000), Some(-7_700_000)]), row(1101, "Åsbro förskola", &[Some(-21_058_000), Some(-21_300_000), Some(-1_200_000)])],
                        stated_total: vec![Some(-43_793_000), Some(-29_000_000), Some(-1_200_000)],
                    },
                    BudgetGroup { name: "Reinvestering lokaler".into(), rows: vec![row(1102, "Sjöängshallen, nytt golv", &[Some(-92_000)])], stated_total: vec![] },
                ],
                stated_total: vec![None, Some(-29_000_000)],
                same_total_as: None,
                against_frame: false,
            }],
            ..Budget::default()
        }
    }

    /// Applies each edit, checks `check`, undoes it and requires the original back exactly.
    fn round_trip(edit: BudgetEdit, check: impl Fn(&Budget)) {
        let original = budget();
        let mut changed = original.clone();
        let inverse = edit.clone().apply(&mut changed).unwrap_or_else(|e| panic!("{edit:?}: {e}"));
        assert_ne!(changed, original, "{edit:?} changed nothing");
        check(&changed);
        inverse.apply(&mut changed).unwrap();
        assert_eq!(changed, original, "undoing {edit:?}");
    }

    #[test]
    fn every_edit_undoes_exactly() {
        round_trip(BudgetEdit::Cell { row: ItemId(1100), column: 2, value: Some(-500_000) }, |b| {
            assert_eq!(b.tables[0].groups[0].rows[0].amounts, vec![Some(-22_735_000), Some(-7_700_000), Some(-500_000)]);
        });
        round_trip(BudgetEdit::Cell { row: ItemId(1101), column: 2, value: None }, |b| {
            assert_eq!(b.tables[0].groups[0].rows[1].amounts.len(), 2, "a trailing empty cell is not kept");
        });
        round_trip(BudgetEdit::StatedTotal { table: ItemId(1001), group: Some(1), column: 0, value: Some(-92_000) }, |_| {});
        round_trip(BudgetEdit::Row(row(1102, "Sjöängshallen, golv", &[Some(-92_000)])), |_| {});
        round_trip(BudgetEdit::InsertRow { table: ItemId(1001), group: 1, index: 0, row: row(1103, "Ny", &[]) }, |b| {
            assert_eq!(b.tables[0].groups[1].rows[0].name, "Ny");
        });
        round_trip(BudgetEdit::RemoveRow(ItemId(1100)), |b| assert_eq!(b.tables[0].groups[0].rows.len(), 1));
        round_trip(BudgetEdit::MoveRow { row: ItemId(1100), group: 1, index: 1 }, |b| {
            assert_eq!(b.tables[0].groups[1].rows[1].id, ItemId(1100));
        });
        round_trip(BudgetEdit::MoveRow { row: ItemId(1101), group: 0, index: 0 }, |b| {
            assert_eq!(b.tables[0].groups[0].rows[0].id, ItemId(1101));
        });
        round_trip(
            BudgetEdit::TableHeader {
                table: ItemId(1001),
                header: TableHeader { title: "Investeringar".into(), total_label: "Totalt".into(), group_names: vec!["A".into()], same_total_as: None, against_frame: true },
            },
            |b| assert_eq!((b.tables[0].groups[0].name.as_str(), b.tables[0].groups[1].name.as_str()), ("A", "Reinvestering lokaler")),
        );
        round_trip(BudgetEdit::InsertGroup { table: ItemId(1001), index: 1, group: BudgetGroup { name: "Utvecklingsprojekt".into(), ..Default::default() } }, |b| {
            assert_eq!(b.tables[0].groups.len(), 3);
        });
        round_trip(BudgetEdit::RemoveGroup { table: ItemId(1001), index: 0 }, |b| assert_eq!(b.tables[0].groups.len(), 1));
        round_trip(BudgetEdit::RemoveTable(ItemId(1001)), |b| assert!(b.tables.is_empty()));
        round_trip(BudgetEdit::InsertColumn { index: 3, column: BudgetColumn { kind: ColumnKind::Plan, year: 2026 }, data: ColumnData::default() }, |b| {
            assert_eq!(b.columns.len(), 4);
            assert_eq!(b.tables[0].groups[0].rows[1].amounts.len(), 3, "no trailing empty cell added");
        });
        round_trip(BudgetEdit::RemoveColumn(0), |b| {
            assert_eq!(b.tables[0].groups[0].rows[0].amounts, vec![Some(-7_700_000)]);
            assert_eq!(b.tables[0].stated_total, vec![Some(-29_000_000)]);
        });
        round_trip(BudgetEdit::RemoveColumn(1), |b| assert_eq!(b.tables[0].groups[0].stated_total, vec![Some(-43_793_000), Some(-1_200_000)]));
        round_trip(BudgetEdit::Header(BudgetHeader { year: 2026, frame: Some(Frame { amount: 1, ..Default::default() }), contributions: vec![], notes: vec!["x".into()] }), |_| {});
    }

    #[test]
    fn edits_of_missing_things_fail_and_change_nothing() {
        let mut b = budget();
        let before = b.clone();
        assert_eq!(BudgetEdit::Cell { row: ItemId(9), column: 0, value: None }.apply(&mut b), Err(BudgetEditError::MissingRow(ItemId(9))));
        assert_eq!(BudgetEdit::RemoveColumn(3).apply(&mut b), Err(BudgetEditError::MissingColumn));
        assert_eq!(BudgetEdit::MoveRow { row: ItemId(1100), group: 5, index: 0 }.apply(&mut b), Err(BudgetEditError::MissingGroup));
        assert_eq!(BudgetEdit::InsertRow { table: ItemId(1001), group: 7, index: 0, row: row(1, "x", &[]) }.apply(&mut b), Err(BudgetEditError::MissingGroup));
        assert_eq!(b, before);
    }
}
