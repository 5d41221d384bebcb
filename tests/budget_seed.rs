//! The budget of Askersund's *Nämndmål och budget 2025 för Kommunstyrelsen*, transcribed from
//! the seed text (`../shared/seeds/003_604d24b72e016cd3.txt`) into the sample plan
//! `assets/examples/askersund-ks-2025.ron`, loads and holds the document's own
//! figures: the expected totals and differences below were worked out by hand from the seed's
//! rows, so a mistyped amount in the sample shows up as a changed total or difference.

use std::path::Path;

use malplan::budget::sums::{self, Difference, DifferenceAt, Total};
use malplan::budget::{Budget, BudgetRow, BudgetTable, ColumnKind, Kronor, MoneySettings, TableKind};
use malplan::i18n::Lang;
use malplan::model::ItemId;

// Column indices.
const ACTUAL_2023: usize = 0;
const BUDGET_2024: usize = 1;
const BUDGET_2025: usize = 2;
const PLAN_2026: usize = 3;
const PLAN_2027: usize = 4;
const PLAN_2028: usize = 5;

// Table ids.
const KS_SUMMARY: ItemId = ItemId(1001);
const KS_ACTIVITIES: ItemId = ItemId(1002);
const FIN_SUMMARY: ItemId = ItemId(1003);
const FIN_ACCOUNTS: ItemId = ItemId(1004);
const INVESTMENTS: ItemId = ItemId(1005);

fn load() -> Budget {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/askersund-ks-2025.ron");
    let plan = malplan::storage::load(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(plan.budgets.len(), 1, "the sample holds the KS budget");
    plan.budgets.into_iter().next().unwrap()
}

/// A row's six cells (the file leaves out trailing empty ones).
fn cells(row: &BudgetRow) -> Vec<Option<Kronor>> {
    (0..6).map(|c| row.amount(c)).collect()
}

fn table(budget: &Budget, id: ItemId) -> &BudgetTable {
    budget.table(id).unwrap_or_else(|| panic!("no table {id}"))
}

/// The row labelled `label` ("45 Gymnasieskola", "Åsbro förskola") in table `id`.
fn row<'a>(budget: &'a Budget, id: ItemId, label: &str) -> &'a BudgetRow {
    let mut found = table(budget, id).rows().filter(|r| r.label() == label);
    let row = found.next().unwrap_or_else(|| panic!("no row {label:?} in table {id}"));
    assert!(found.next().is_none(), "two rows {label:?} in table {id}");
    row
}

/// Thousands of kronor (as the document prints them) to kronor.
fn tkr(values: [Option<i64>; 6]) -> Vec<Option<Kronor>> {
    values.iter().map(|v| v.map(|v| v * 1_000)).collect()
}

fn tkr_total(values: [Option<i64>; 6]) -> Vec<Option<Total>> {
    values.iter().map(|v| v.map(|v| Total::from(v) * 1_000)).collect()
}

fn all(values: [i64; 6]) -> [Option<i64>; 6] {
    values.map(Some)
}

/// A table's id, kind, title, total label and (group name, row count) per group.
type Shape<'a> = (ItemId, TableKind, &'a str, &'a str, Vec<(&'a str, usize)>);

#[test]
fn the_budget_has_the_documents_columns_tables_and_rows() {
    let budget = load();
    assert_eq!(budget.id, ItemId(1000));
    assert_eq!(budget.board, "KS");
    assert_eq!(budget.year, 2025);
    let columns: Vec<(ColumnKind, i32)> = budget.columns.iter().map(|c| (c.kind, c.year)).collect();
    assert_eq!(
        columns,
        vec![
            (ColumnKind::Actual, 2023),
            (ColumnKind::Budget, 2024),
            (ColumnKind::Budget, 2025),
            (ColumnKind::Plan, 2026),
            (ColumnKind::Plan, 2027),
            (ColumnKind::Plan, 2028),
        ]
    );
    assert_eq!(budget.budget_year_column(), Some(BUDGET_2025));

    let shape: Vec<Shape> = budget
        .tables
        .iter()
        .map(|t| (t.id, t.kind, t.title.as_str(), t.total_label.as_str(), t.groups.iter().map(|g| (g.name.as_str(), g.rows.len())).collect()))
        .collect();
    assert_eq!(
        shape,
        vec![
            (KS_SUMMARY, TableKind::Operating, "Driftbudget (tkr)", "Nettokostnad", vec![("", 2)]),
            (KS_ACTIVITIES, TableKind::Operating, "Driftbudget per verksamhet (tkr)", "Summa", vec![("", 22)]),
            (FIN_SUMMARY, TableKind::Operating, "Driftbudget Finansförvaltningen (tkr)", "Nettokostnad", vec![("", 2)]),
            (FIN_ACCOUNTS, TableKind::Operating, "Driftbudget Finansförvaltningen per konto (tkr)", "Summa", vec![("", 9)]),
            (
                INVESTMENTS,
                TableKind::Investment,
                "Investeringsbudget (tkr)",
                "Summa",
                vec![("Strategiska investeringar", 10), ("Reinvestering lokaler", 2), ("Utvecklingsprojekt", 5), ("Reinvestering nämnder", 5)]
            ),
        ]
    );
    let links: Vec<(Option<ItemId>, bool)> = budget.tables.iter().map(|t| (t.same_total_as, t.against_frame)).collect();
    assert_eq!(links, vec![(Some(KS_ACTIVITIES), false), (None, true), (Some(FIN_ACCOUNTS), false), (None, false), (None, false)]);

    // Ids: the budget 1000, the tables 1001–1005, the 57 rows 1100–1156 in document order.
    let ids: Vec<u32> = budget.ids().map(|id| id.0).collect();
    let expected: Vec<u32> = std::iter::once(1000).chain(1001..=1005).chain(1100..=1156).collect();
    assert_eq!(ids, expected);
    // No row has more amounts than the six columns (trailing empty cells are not stored).
    for t in &budget.tables {
        for r in t.rows() {
            assert!(r.amounts.len() <= 6, "{}", r.label());
        }
    }

    // The operating tables by activity and by account have codes; summaries and projects none.
    let codes: Vec<&str> = table(&budget, KS_ACTIVITIES).rows().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, ["10", "11", "12", "13", "21", "22", "23", "24", "25", "26", "27", "31", "44", "45", "53", "60", "61", "80", "81", "87", "91", "92"]);
    let codes: Vec<&str> = table(&budget, FIN_ACCOUNTS).rows().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, ["99911", "99912", "99913", "99915", "99916", "99921", "99922", "99923", "99924"]);
    for id in [KS_SUMMARY, FIN_SUMMARY, INVESTMENTS] {
        assert!(table(&budget, id).rows().all(|r| r.code.is_empty()));
    }
    let labels: Vec<String> = table(&budget, KS_SUMMARY).rows().map(BudgetRow::label).collect();
    assert_eq!(labels, ["Intäkter", "Kostnader"]);
    let projects: Vec<&str> = table(&budget, INVESTMENTS).groups[3].rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(projects, ["Rådhuset, inventarier", "Kommunens webbplats", "AME, inventarier ny lokal", "Nytt ekonomisystem", "Nya skrivare/kopiatorer"]);
}

#[test]
fn spot_values_are_the_printed_figures() {
    let b = load();
    // Names as printed, abbreviations kept.
    assert_eq!(row(&b, KS_ACTIVITIES, "13 Övrig politisk verks").name, "Övrig politisk verks");
    assert_eq!(row(&b, KS_ACTIVITIES, "22 Näringslivsfrämj. åtg").code, "22");
    row(&b, KS_ACTIVITIES, "27 Räddn.tj/samh.skydd");

    assert_eq!(row(&b, KS_ACTIVITIES, "45 Gymnasieskola").amount(BUDGET_2025), Some(-72_090_000));
    assert_eq!(row(&b, KS_ACTIVITIES, "10 Nämnder/Styrelser").amount(ACTUAL_2023), Some(-3_009_000));
    assert_eq!(row(&b, KS_ACTIVITIES, "27 Räddn.tj/samh.skydd").amount(PLAN_2028), Some(-8_172_000));
    assert_eq!(row(&b, KS_ACTIVITIES, "80 Affärsverksamhet").amount(BUDGET_2024), Some(40_952_000));
    // A printed 0 is a zero, not an empty cell.
    assert_eq!(row(&b, KS_ACTIVITIES, "60 Särskilt riktade insatser").amounts[ACTUAL_2023], Some(0));
    assert_eq!(row(&b, KS_SUMMARY, "Intäkter").amount(ACTUAL_2023), Some(49_417_000));
    assert_eq!(row(&b, KS_SUMMARY, "Kostnader").amount(PLAN_2027), Some(-178_688_000));

    assert_eq!(row(&b, FIN_ACCOUNTS, "99921 Skatteintäkter").amount(PLAN_2028), Some(744_974_000));
    assert_eq!(cells(row(&b, FIN_ACCOUNTS, "99913 Ramjusteringar")), tkr(all([0, 3_580, -19_170, -38_257, -57_722, -78_532])));
    assert_eq!(row(&b, FIN_ACCOUNTS, "99916 Avskrivningar (exkl VA)").amount(PLAN_2026), Some(-56_000_000));
    assert_eq!(row(&b, FIN_SUMMARY, "Kostnader").amount(PLAN_2028), Some(-150_110_000));

    // Projects: empty cells stay empty.
    assert_eq!(cells(row(&b, INVESTMENTS, "Ny Brandstation, renovering mm")), tkr([None, None, None, None, None, Some(-7_500)]));
    assert_eq!(cells(row(&b, INVESTMENTS, "Vård-omsorgsboende")), tkr([None, Some(-1_500), None, None, None, None]));
    assert_eq!(cells(row(&b, INVESTMENTS, "Närlundaskolan, etapp 2")), tkr([Some(-49_131), None, None, None, None, None]));
    assert_eq!(cells(row(&b, INVESTMENTS, "Åsbro förskola")), tkr([Some(-21_058), Some(-21_300), Some(-1_200), None, None, None]));
    assert_eq!(cells(row(&b, INVESTMENTS, "Invest enl reinvesteringsplan")), tkr(all([-11_109, -3_215, -6_000, -6_000, -6_000, -6_000])));
    assert_eq!(cells(row(&b, INVESTMENTS, "Ny idrottshall, inventarier")), tkr([None, Some(-550), None, None, None, None]));
    assert_eq!(cells(row(&b, INVESTMENTS, "Nytt ekonomisystem")), tkr([None, None, Some(-2_500), None, None, None]));
    assert_eq!(cells(row(&b, INVESTMENTS, "Nya skrivare/kopiatorer")), tkr([Some(-142), None, Some(-44), Some(-44), None, None]));

    // Stated totals as printed.
    assert_eq!(table(&b, KS_SUMMARY).stated_total, tkr(all([-131_346, -114_522, -116_013, -119_573, -122_518, -125_549])));
    assert_eq!(table(&b, KS_ACTIVITIES).stated_total, tkr(all([-131_346, -114_522, -116_013, -119_573, -122_518, -125_549])));
    assert_eq!(table(&b, FIN_SUMMARY).stated_total, tkr(all([762_596, 757_884, 765_650, 782_004, 792_602, 803_604])));
    assert_eq!(table(&b, FIN_ACCOUNTS).stated_total, tkr(all([761_876, 757_884, 765_650, 782_004, 792_602, 803_604])));
    let investments = table(&b, INVESTMENTS);
    assert_eq!(investments.stated_total, tkr(all([-183_851, -57_615, -10_844, -7_144, -7_100, -14_600])));
    let group_totals: Vec<&Vec<Option<Kronor>>> = investments.groups.iter().map(|g| &g.stated_total).collect();
    assert_eq!(
        group_totals,
        vec![
            // The project table's Summa is empty for Plan 2026/2027 (the category table prints 0).
            &tkr([Some(-101_658), Some(-51_800), Some(-1_200), None, None, Some(-7_500)]),
            &tkr(all([-11_201, -3_215, -6_000, -6_000, -6_000, -6_000])),
            &tkr(all([-69_832, -2_550, -1_000, -1_000, -1_000, -1_000])),
            &tkr(all([-1_160, -50, -2_644, -144, -100, -100])),
        ]
    );
    // The operating tables have no group subtotals.
    for id in [KS_SUMMARY, KS_ACTIVITIES, FIN_SUMMARY, FIN_ACCOUNTS] {
        assert!(table(&b, id).groups.iter().all(|g| g.stated_total.is_empty()));
    }
}

#[test]
fn computed_totals_are_the_sums_of_the_seeds_rows() {
    let b = load();
    let figures = sums::figures(&b);
    let totals: Vec<(ItemId, Vec<Option<Total>>)> = figures.totals.iter().map(|t| (t.table, t.total.clone())).collect();
    assert_eq!(
        totals,
        vec![
            // Intäkter + Kostnader: 49 417 − 180 763 = −131 346; 57 969 − 172 491 = −114 522;
            // 56 170 − 172 183 = −116 013; − 175 743 = −119 573; − 178 688 = −122 518; − 181 719 = −125 549.
            (KS_SUMMARY, tkr_total(all([-131_346, -114_522, -116_013, -119_573, -122_518, -125_549]))),
            // The 22 activities. Budget 2025: costs 3 195 + 590 + 732 + 2 035 + 55 + 561 + 862 + 627 + 32
            // + 270 + 7 513 + 85 + 14 410 + 72 090 + 4 100 + 220 + 6 848 + 4 268 + 38 542 = 157 035,
            // income 40 952 + 46 + 26 = 41 024: −116 011 (printed Summa −116 013). The other columns
            // give the printed Summa.
            (KS_ACTIVITIES, tkr_total(all([-131_346, -114_522, -116_011, -119_573, -122_518, -125_549]))),
            // 798 818 − 36 222 = 762 596; 832 611 − 74 727 = 757 884; 861 474 − 95 824 = 765 650;
            // 893 186 − 111 182 = 782 004; 922 754 − 130 152 = 792 602; 953 714 − 150 110 = 803 604.
            (FIN_SUMMARY, tkr_total(all([762_596, 757_884, 765_650, 782_004, 792_602, 803_604]))),
            // The 9 accounts. Bokslut 2023: 53 612 − 60 094 + 0 + 782 + 0 + 626 256 + 162 982 + 6 201
            // − 27 137 = 762 602 (printed Summa 761 876). The other columns give the printed Summa.
            (FIN_ACCOUNTS, tkr_total(all([762_602, 757_884, 765_650, 782_004, 792_602, 803_604]))),
            // The four groups below; Budget 2024: −51 800 − 3 215 − 3 100 − 50 = −58 165 (printed −57 615).
            (INVESTMENTS, tkr_total(all([-183_851, -58_165, -10_844, -7_144, -7_100, -14_600]))),
        ]
    );
    let investments = &figures.totals[4];
    assert_eq!(investments.table, INVESTMENTS);
    assert_eq!(
        investments.groups,
        vec![
            // Strategiska investeringar. Bokslut 2023: 1 688 + 49 131 + 65 + 22 735 + 5 108 + 21 058
            // + 1 478 + 395 = 101 658; Budget 2024: 7 700 + 21 300 + 21 300 + 1 500 = 51 800;
            // Budget 2025: Åsbro 1 200; Plan 2026/2027: no amount at all (empty); Plan 2028: 7 500.
            tkr_total([Some(-101_658), Some(-51_800), Some(-1_200), None, None, Some(-7_500)]),
            // Reinvestering lokaler: 11 109 + 92 = 11 201, then 3 215 and 6 000 a year.
            tkr_total(all([-11_201, -3_215, -6_000, -6_000, -6_000, -6_000])),
            // Utvecklingsprojekt: 47 678 + 21 496 + 450 + 208 = 69 832; Budget 2024: 550 + 550
            // + 2 000 = 3 100 (printed 2 550); then Fastighetsförvärv 1 000 a year.
            tkr_total(all([-69_832, -3_100, -1_000, -1_000, -1_000, -1_000])),
            // Reinvestering nämnder: 49 + 159 + 810 + 142 = 1 160; 50; 100 + 2 500 + 44 = 2 644;
            // 100 + 44 = 144; 100; 100.
            tkr_total(all([-1_160, -50, -2_644, -144, -100, -100])),
        ]
    );
    // Tables without groups: the one group's sum is the table's.
    for t in &figures.totals[..4] {
        assert_eq!(t.groups, vec![t.total.clone()]);
    }
}

#[test]
fn the_differences_are_exactly_those_of_the_printed_document() {
    let b = load();
    let figures = sums::figures(&b);
    let d = |table: ItemId, at: DifferenceAt, column: usize, stated: Total, computed: Total| Difference {
        table,
        at,
        column,
        stated: stated * 1_000,
        computed: computed * 1_000,
    };
    assert_eq!(
        figures.differences,
        vec![
            // The KS summary (−116 013 from Intäkter and Kostnader) against the activity table's
            // computed total (−116 011) in Budget 2025.
            d(KS_SUMMARY, DifferenceAt::OtherTable(KS_ACTIVITIES), BUDGET_2025, -116_011, -116_013),
            // The activity table's printed Summa −116 013, its rows −116 011.
            d(KS_ACTIVITIES, DifferenceAt::Total, BUDGET_2025, -116_013, -116_011),
            // Finansförvaltningen's summary (762 596) against the account rows (762 602), Bokslut 2023.
            d(FIN_SUMMARY, DifferenceAt::OtherTable(FIN_ACCOUNTS), ACTUAL_2023, 762_602, 762_596),
            // The account table's printed Summa 761 876, its rows 762 602.
            d(FIN_ACCOUNTS, DifferenceAt::Total, ACTUAL_2023, 761_876, 762_602),
            // Utvecklingsprojekt, Budget 2024: printed −2 550, the rows −3 100.
            d(INVESTMENTS, DifferenceAt::Group(2), BUDGET_2024, -2_550, -3_100),
            // Investeringsbudget Summa, Budget 2024: printed −57 615, the rows −58 165.
            d(INVESTMENTS, DifferenceAt::Total, BUDGET_2024, -57_615, -58_165),
        ]
    );
    let settings = MoneySettings::default();
    assert_eq!(
        figures.differences[5].describe(&b, &settings, Lang::Swedish),
        "i dokumentet \u{2212}57\u{202f}615, raderna ger \u{2212}58\u{202f}165: skillnad 550 tkr"
    );
    assert_eq!(
        figures.differences[3].describe(&b, &settings, Lang::Swedish),
        "i dokumentet 761\u{202f}876, raderna ger 762\u{202f}602: skillnad 726 tkr"
    );
    // No rounding footnotes: every amount is whole tkr.
    for (t, totals) in b.tables.iter().zip(&figures.totals) {
        assert!(sums::rounding_columns(t, totals, &settings).is_empty(), "{}", t.title);
    }
    // The plan years agree everywhere.
    assert!(figures.differences.iter().all(|d| ![PLAN_2026, PLAN_2027, PLAN_2028].contains(&d.column)));
}

#[test]
fn the_frame_and_the_efficiency_requirement() {
    let b = load();
    let frame = b.frame.as_ref().expect("a frame");
    assert_eq!(frame.amount, 115_021_000);
    assert_eq!(frame.efficiency_requirement, 1_907_000);
    assert_eq!(format!("{:.1}", sums::requirement_percent(&b).unwrap()), "1.7");

    // The printed net cost, 116 013 tkr, is 992 tkr over the frame of 115 021 tkr.
    let printed = -table(&b, KS_ACTIVITIES).stated_total[BUDGET_2025].unwrap();
    assert_eq!(printed, 116_013_000);
    assert_eq!(printed - frame.amount, 992_000);
    let figures = sums::figures(&b);
    assert_eq!(-figures.totals[0].total[BUDGET_2025].unwrap() - Total::from(frame.amount), 992_000, "the summary's rows");
    // The frame check sums the activity rows, which give 116 011 tkr (the printed Summa is 2 tkr
    // more): 990 tkr over.
    let check = figures.frame.expect("a frame check");
    assert_eq!((check.net_cost, check.frame, check.over_by()), (116_011_000, 115_021_000, 990_000));
    assert!(!check.fits());
    assert_eq!(
        check.describe(&MoneySettings::default(), Lang::Swedish),
        "Nettokostnad 116\u{202f}011 tkr, ram 115\u{202f}021 tkr: 990 tkr över ramen"
    );

    let measures: Vec<(&str, usize)> = frame.measures.iter().map(|m| (m.title.as_str(), m.consequences.len())).collect();
    assert_eq!(
        measures,
        vec![
            ("Fortsatt vakanshållande av administrativ chef", 3),
            ("Fortsatt vakanshållande av besöksnäringstrateg", 3),
            ("Minskade medel till kommunikation", 2),
            ("Allmänna budgetjusteringar", 0),
        ]
    );
    assert!(frame.measures[0].consequences[0].starts_with("Effektivitet och ledning: Frånvaron av en administrativ chef"));
    assert!(frame.measures[1].consequences[1].contains("kan delta i förlorade intäkter"), "the seed's wording is kept");
    assert!(frame.measures[2].consequences[1].starts_with("Medborgarengagemang: "));
}

#[test]
fn contributions_and_notes() {
    let b = load();
    let contributions: Vec<(&str, Kronor)> = b.contributions.iter().map(|c| (c.name.as_str(), c.amount)).collect();
    assert_eq!(
        contributions,
        vec![
            ("Nerikes brandkår", 7_107_000),
            ("Sydnärkes lönenämnd", 2_764_000),
            ("Överförmyndarnämnden", 1_021_000),
            ("Sydnärkes IT-nämnd", 11_613_000),
            ("Sydnärkes utbildningsförbund", 72_090_000),
        ]
    );
    // 7 107 + 2 764 + 1 021 + 11 613 + 72 090 = 94 595 tkr.
    assert_eq!(sums::figures(&b).contributions, 94_595_000);

    assert_eq!(b.notes.len(), 5);
    assert!(b.notes[0].starts_with("Den beslutade budgetramen på 115 021 tkr ska kompletteras"));
    assert!(b.notes[1].starts_with("Det finns ett antal områden där en viss osäkerhet råder"));
    assert!(b.notes[2].ends_with("Det handlar främst om förskolorna Lunnagården och g: a Mosippan."));
    assert!(b.notes[3].starts_with("I ramen finns uppräknig av budgeten"));
    assert_eq!(b.notes[4], "För en mer detaljerad fördelning av driftbudgeten se bilaga 1 och bilaga 2.");
}
