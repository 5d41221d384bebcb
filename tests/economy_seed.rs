//! The economic report (*Ekonomisk redovisning*) of Eskilstuna's *Kommunstyrelsens delårsrapport
//! 2, 2022*, transcribed from the seed text (`../shared/seeds/004_6b421bed50bdef90.txt`, its
//! economy part kept in `tests/fixtures/seeds/`) into
//! `assets/examples/eskilstuna-ks-delar2-2022.ron`. The sample's rows are printed back in the
//! seed's own layout and looked up in the seed text line by line, so a mistyped amount fails;
//! the summary figures of the text (504,5 / 461,5 / +30,2 / +15,6) come out of the figures.

use std::path::Path;

use malplan::budget::MoneySettings;
use malplan::budget::money::{MoneyUnit, format_amount};
use malplan::economy::figures::{StatedAt, Total, figures};
use malplan::economy::{EconomicFollowUp, Measure};
use malplan::i18n::Lang;
use malplan::model::{ItemId, Plan};

fn plan() -> Plan {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/eskilstuna-ks-delar2-2022.ron");
    malplan::storage::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

fn seed() -> String {
    // The economy part of the seed, verbatim (see the file's first line).
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds/004-ekonomisk-redovisning.txt");
    std::fs::read_to_string(path).expect("seed 004's economy part")
}

fn report(plan: &Plan) -> &EconomicFollowUp {
    assert_eq!(plan.economy.len(), 1, "the sample holds KS's follow-up at Delår 2");
    &plan.economy[0]
}

/// As the seed prints amounts: plain hyphen and space, the table's unit and decimals.
fn seed_style(kronor: Total, unit: MoneyUnit, decimals: u8) -> String {
    format_amount(kronor, &MoneySettings { unit, decimals, costs_positive: false }).replace('\u{2212}', "-").replace('\u{202f}', " ")
}

#[test]
fn every_row_of_the_sample_is_a_line_of_the_seed() {
    let plan = plan();
    let report = report(&plan);
    let seed = seed();
    let lines: Vec<&str> = seed.lines().map(str::trim_end).collect();
    let mut checked = 0;
    for table in &report.tables {
        // The seed's columns: every column but the derived "Budget helår" of the income statement.
        let printed: Vec<usize> = (0..table.columns.len())
            .filter(|&c| !(table.columns[c] == Measure::BudgetFullYear && table.id == ItemId(1001)))
            .collect();
        let line_of = |name: &str, amounts: &dyn Fn(usize) -> Option<Total>| {
            let cells: Vec<String> = printed.iter().map(|&c| amounts(c).map_or_else(String::new, |a| seed_style(a, table.unit, table.decimals))).collect();
            format!("{name}\t{}", cells.join("\t"))
        };
        for row in table.rows() {
            if table.kind == malplan::economy::EconomyTableKind::Investment {
                let amount = seed_style(row.amount(0).unwrap().into(), table.unit, 0);
                assert!(seed.contains(&format!("{} uppgår till {amount} tkr", row.name)), "{}", row.name);
                checked += 1;
                continue;
            }
            let line = line_of(&row.name, &|c| row.amount(c).map(Total::from));
            assert!(lines.contains(&line.as_str()), "not in the seed: {line:?}");
            checked += 1;
        }
        for group in table.groups.iter().filter(|g| !g.total_label.is_empty()) {
            let line = line_of(&group.total_label, &|c| group.stated_total.get(c).copied().flatten().map(Total::from));
            assert!(lines.contains(&line.as_str()), "not in the seed: {line:?}");
            checked += 1;
        }
        if !table.stated_total.is_empty() {
            let line = line_of(&table.total_label, &|c| table.stated_total.get(c).copied().flatten().map(Total::from));
            assert!(lines.contains(&line.as_str()), "not in the seed: {line:?}");
            checked += 1;
        }
    }
    // 5 accounts + 2 subtotals + result, 7 departments + total, 1 investment.
    assert_eq!(checked, 17);

    // The eight explanations, as the seed lists them ("- Löner och kontorsdrift +5,9").
    assert_eq!(report.explanations.len(), 8);
    for explanation in &report.explanations {
        let line = format!("- {} +{}", explanation.text, seed_style(explanation.amount.into(), MoneyUnit::Mnkr, 1));
        assert!(lines.contains(&line.as_str()), "not in the seed: {line:?}");
    }
}

#[test]
fn the_summary_figures_of_the_text_come_out_of_the_tables() {
    let plan = plan();
    let report = report(&plan);
    let f = figures(report, &plan.money);
    let mnkr = |v: Total| seed_style(v, MoneyUnit::Mnkr, 1);
    let statement = report.table(ItemId(1001)).unwrap();
    let statement_figures = f.table(ItemId(1001)).unwrap();
    let budget = statement.column(Measure::BudgetFullYear).unwrap();
    // "Kommunstyrelsens totala intäkter för 2022 budgeteras till 504,5 miljoner kronor. Av
    // dessa utgör driftram 461,5 miljoner kronor."
    assert_eq!(statement_figures.groups[0].get(budget), Some(504_500_000));
    assert_eq!(statement_figures.rows[0].get(budget), Some(461_500_000));
    // "Utfall för perioden januari – augusti uppgår till +30,2 miljoner kronor att jämföra med
    // budgeterat resultat på helår 0. … Prognos på helår uppgår till +15,6 miljoner kronor."
    let h = &f.headline;
    assert_eq!(h.outcome_to_date, Some(30_210_000));
    assert_eq!(mnkr(h.outcome_to_date.unwrap()), "30,2");
    assert_eq!(h.budget_full_year, Some(0));
    assert_eq!(h.forecast, Some(15_615_000));
    assert_eq!(mnkr(h.forecast.unwrap()), "15,6");
    assert_eq!(h.previous_forecast, Some(8_000_000));
    // "Avvikelsen mellan budget (0) och prognos (+15,6) förklaras av …": the eight items add up
    // to 15,6 mnkr; 15 tkr of the exact 15 615 tkr is left unexplained.
    assert_eq!(h.explained, 15_600_000);
    assert_eq!(h.unexplained, Some(15_000));
}

#[test]
fn the_seeds_rounding_is_flagged_as_rounding_and_nothing_else_is_wrong() {
    let plan = plan();
    let report = report(&plan);
    let f = figures(report, &plan.money);
    let found: Vec<(ItemId, StatedAt, Measure)> = f.differences.iter().map(|d| (d.table, d.at, d.measure)).collect();
    let statement = ItemId(1001);
    assert_eq!(
        found,
        vec![
            // Summa KOSTNADER: the rows give −282,2 (stated −282,1), deviation 11,4 (11,3), forecast −489,0 (−488,9).
            (statement, StatedAt::Group(1), Measure::OutcomePreviousYear),
            (statement, StatedAt::Group(1), Measure::DeviationToDate),
            (statement, StatedAt::Group(1), Measure::Forecast),
            // ÅRETS RESULTAT: 24,0 (24,1), 30,3 (30,2), 27,3 (27,2), 15,5 (15,6).
            (statement, StatedAt::Total, Measure::OutcomePreviousYear),
            (statement, StatedAt::Total, Measure::OutcomeToDate),
            (statement, StatedAt::Total, Measure::DeviationToDate),
            (statement, StatedAt::Total, Measure::Forecast),
            // Against the departments' exact total: 30,3 mnkr vs 30 210 tkr, budget −0,1 vs 0,
            // forecast 15,5 mnkr vs 15 615 tkr.
            (statement, StatedAt::OtherTable(ItemId(1020)), Measure::OutcomeToDate),
            (statement, StatedAt::OtherTable(ItemId(1020)), Measure::BudgetFullYear),
            (statement, StatedAt::OtherTable(ItemId(1020)), Measure::Forecast),
        ]
    );
    assert!(f.differences.iter().all(|d| d.rounding), "every gap is the source's rounding: {:?}", f.differences);
    // The department table's stated totals are its rows' sums exactly.
    assert!(f.differences.iter().all(|d| d.table != ItemId(1020)));
    // So `check` has nothing to say about the economy.
    let problems = malplan::validate::validate(&plan);
    assert!(problems.is_empty(), "{problems:?}");
    // And a real mistake is a problem: a department's outcome mistyped.
    let mut wrong = plan.clone();
    wrong.economy[0].tables[1].groups[0].rows[2].amounts[0] = Some(4_255_000);
    let problems = malplan::validate::validate(&wrong);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems.iter().any(|p| p.message == "Driftredovisning – Totalt, Utfall t.o.m. aug 2022: i källan 30\u{202f}210, raderna ger 29\u{202f}940 tkr"),
        "{problems:?}"
    );
    // The statement no longer matches the departments beyond rounding either.
    assert!(problems.iter().any(|p| p.message.contains("men \"Driftredovisning\" ger 29,9 mnkr")), "{problems:?}");
    // In English too.
    let d = figures(&wrong.economy[0], &wrong.money).differences.into_iter().find(|d| !d.rounding && d.table == ItemId(1020)).unwrap();
    assert_eq!(
        d.describe(&wrong.economy[0], 2022, &wrong.money, Lang::English),
        "Driftredovisning – Totalt, Outcome to Aug 2022: the source states 30\u{202f}210, the rows give 29\u{202f}940 kSEK"
    );
}

#[test]
fn a_mistyped_account_range_is_a_problem_with_the_reason() {
    let mut plan = plan();
    plan.economy[0].tables[0].groups[0].rows[0].accounts = "3999-3000".into();
    let problems = malplan::validate::validate(&plan);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].message.contains("Kommunersättning: kontona \"3999-3000\": intervallet 3999-3000 är baklänges"), "{}", problems[0]);
}
