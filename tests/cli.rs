//! The `malplan` command line: `check` exit codes and messages, `status` on every sample plan.

use std::path::{Path, PathBuf};
use std::process::Command;

fn malplan(args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_malplan"))
        .args(args)
        .output()
        .expect("malplan runs");
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    (output.status.code().unwrap_or(-1), text)
}

fn path(relative: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative).display().to_string()
}

fn sample(name: &str) -> String {
    path(&format!("assets/examples/{name}"))
}

const SAMPLES: [&str; 4] = [
    "eskilstuna-2016-2019.ron",
    "eskilstuna-2024-2027.ron",
    "askersund-ks-2025.ron",
    "eskilstuna-ks-delar2-2022.ron",
];

#[test]
fn check_passes_all_sample_plans_but_the_seeds_own_budget_differences() {
    let files: Vec<String> = SAMPLES.iter().map(|s| sample(s)).collect();
    let args: Vec<&str> = std::iter::once("check").chain(files.iter().map(String::as_str)).collect();
    let (code, out) = malplan(&args);
    assert_eq!(code, 1, "{out}");
    assert_eq!(out.matches(": OK (").count(), 3, "{out}");
    // Askersund's budget document states six totals its own rows do not give (see
    // tests/budget_seed.rs); check reports them, and nothing else.
    let askersund: Vec<&str> = out.lines().filter(|l| l.contains("askersund")).collect();
    assert_eq!(askersund.len(), 6, "{out}");
    assert!(askersund.iter().all(|l| l.contains(": budget KS 2025 \"") && l.contains("skillnad")), "{out}");
}

#[test]
fn check_reports_unreadable_files_with_position_and_exit_2() {
    let broken = path("tests/fixtures/broken-missing-comma.ron");
    let (code, out) = malplan(&["check", &broken]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains(&format!("{broken}:7:")), "{out}");
}

#[test]
fn check_lists_problems_one_per_line_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let file: PathBuf = dir.path().join("problem.ron");
    let mut plan = malplan::storage::load(Path::new(&sample("eskilstuna-ks-delar2-2022.ron"))).unwrap();
    plan.commitments[0].goal = malplan::model::ItemId(99_999);
    plan.goals[0].title.clear();
    malplan::storage::save(&plan, &file).unwrap();
    let (code, out) = malplan(&["check", file.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(out.contains("#99999 som inte finns"), "{out}");
    assert!(out.contains("titeln är tom"), "{out}");
}

#[test]
fn status_ks_report_shows_assessments_trends_and_sick_leave() {
    let (code, out) = malplan(&["status", &sample("eskilstuna-ks-delar2-2022.ron"), "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["period"], "Delår 2 2022");
    assert_eq!(json["year"], 2022);
    let goal = |title: &str| {
        json["goals"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["title"] == title)
            .unwrap_or_else(|| panic!("{title}"))
            .clone()
    };
    assert_eq!(goal("Ekonomi")["effective"], "achieved");
    assert_eq!(goal("Ekonomi")["trend"], "worse");
    assert_eq!(goal("Demokrati")["manual"], "partly");
    assert_eq!(goal("Utbildning")["trend"], "better");
    let sick = json["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"].as_str().unwrap().contains("sjukfrånvaro"))
        .unwrap()
        .clone();
    assert_eq!(sick["status"], "achieved");
    let total = &sick["series"][0];
    assert_eq!(total["outcome"], 1.7);
    assert_eq!(total["target"], 3.0);
    assert_eq!(total["trend"], "better");
}

#[test]
fn status_2016_2019_for_2020_shows_unemployment_not_achieved_and_worse() {
    let file = sample("eskilstuna-2016-2019.ron");
    let (code, out) = malplan(&["status", &file, "--year", "2020", "--format", "csv"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("kind,id,parent,level,title,series,year,outcome,target,"), "{out}");
    let row = out
        .lines()
        .find(|l| l.contains("Arbetslöshet andel av nattbefolkningen") && l.contains(",14.1,"))
        .unwrap_or_else(|| panic!("unemployment row missing:\n{out}"));
    assert!(row.contains(",2020,14.1,10.8,false,not_achieved,worse,"), "{row}");

    let (code, table) = malplan(&["status", &file, "--year", "2020"]);
    assert_eq!(code, 0);
    assert!(table.contains("utfall 2020 14,1 %, mål 10,8 %: ej uppnått, trend sämre mot 2014"), "{table}");
}

#[test]
fn status_runs_on_every_sample_in_every_format() {
    for name in SAMPLES {
        for format in ["table", "csv", "json"] {
            let (code, out) = malplan(&["status", &sample(name), "--format", format]);
            assert_eq!(code, 0, "{name} {format}: {out}");
            assert!(!out.trim().is_empty());
        }
    }
    let (_, askersund) = malplan(&["status", &sample("askersund-ks-2025.ron")]);
    assert!(askersund.contains("nämndmål: Företagsklimat"), "{askersund}");
}

#[test]
fn status_unknown_period_lists_the_periods() {
    let (code, out) = malplan(&["status", &sample("eskilstuna-ks-delar2-2022.ron"), "--period", "Delår 9"]);
    assert_eq!(code, 2);
    assert!(out.contains("Delår 2 2022"), "{out}");
}

#[test]
fn generate_writes_a_valid_deterministic_plan() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.ron");
    let b = dir.path().join("b.ron");
    for file in [&a, &b] {
        let (code, out) = malplan(&["generate", "--scale", "small", "-o", file.to_str().unwrap()]);
        assert_eq!(code, 0, "{out}");
    }
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap(), "same scale, same bytes");
    let (code, out) = malplan(&["check", a.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("40 indikatorer"), "{out}");
}

/// A copy of `plan` with only the indicators `keep` chooses, each outcome raised by `by`.
fn raised(plan: &malplan::model::Plan, keep: impl Fn(usize) -> bool, by: f64) -> malplan::model::Plan {
    let mut changed = plan.clone();
    changed.indicators = plan
        .indicators
        .iter()
        .enumerate()
        .filter(|(i, _)| keep(*i))
        .map(|(_, indicator)| {
            let mut indicator = indicator.clone();
            for series in &mut indicator.series {
                for (_, value) in &mut series.outcomes {
                    *value += by;
                }
            }
            indicator
        })
        .collect();
    changed
}

#[test]
fn two_imports_at_once_both_land_one_after_the_other() {
    use malplan::generate::{Scale, generate};
    let dir = tempfile::tempdir().unwrap();
    let plan_path = dir.path().join("plan.ron");
    let original = generate(Scale::Small);
    // Two planners' spreadsheets: one raises the even indicators' outcomes, one the odd ones.
    let even = dir.path().join("jamna.csv");
    let odd = dir.path().join("udda.csv");
    malplan::exchange::write_sheet(&raised(&original, |i| i % 2 == 0, 1.0), &even).unwrap();
    malplan::exchange::write_sheet(&raised(&original, |i| i % 2 == 1, 2.0), &odd).unwrap();
    for round in 0..5 {
        malplan::storage::save(&original, &plan_path).unwrap();
        let start = |sheet: &Path| {
            Command::new(env!("CARGO_BIN_EXE_malplan"))
                .args(["import", &plan_path.display().to_string(), &sheet.display().to_string()])
                .output()
        };
        let (a, b) = std::thread::scope(|s| {
            let a = s.spawn(|| start(&even));
            let b = s.spawn(|| start(&odd));
            (a.join().unwrap().unwrap(), b.join().unwrap().unwrap())
        });
        assert!(a.status.success() && b.status.success(), "round {round}: {a:?} {b:?}");
        let merged = malplan::storage::load(&plan_path).unwrap();
        for (i, (now, before)) in merged.indicators.iter().zip(&original.indicators).enumerate() {
            let by = if i % 2 == 0 { 1.0 } else { 2.0 };
            let (now, before) = (now.series[0].outcomes[0].1, before.series[0].outcomes[0].1);
            assert!((now - (before + by)).abs() < 1e-9, "round {round}: indicator {i} lost an import: {before} → {now}");
        }
        assert!(!malplan::plan_lock::lock_path(&plan_path).exists(), "the lock is released");
    }
}

#[test]
fn an_import_refuses_to_save_over_a_change_made_while_it_ran() {
    // A writer that takes no lock (a sync tool) changes the plan between reading and saving:
    // simulated by saving under the lock with a stale stamp.
    let dir = tempfile::tempdir().unwrap();
    let plan_path = dir.path().join("plan.ron");
    let plan = malplan::generate::generate(malplan::generate::Scale::Small);
    malplan::storage::save(&plan, &plan_path).unwrap();
    let read = malplan::recovery::DiskStamp::of(&plan_path);
    let mut theirs = plan.clone();
    theirs.meta.title = "Synkad version".into();
    malplan::storage::save(&theirs, &plan_path).unwrap();
    let result = malplan::plan_lock::save_if_unchanged(&plan, &plan_path, read, std::time::Duration::ZERO);
    assert!(result.unwrap_err().to_string().contains("har ändrats av någon annan"));
    assert_eq!(malplan::storage::load(&plan_path).unwrap().meta.title, "Synkad version");
}

#[test]
fn an_output_over_the_plan_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let plan_path = dir.path().join("plan.ron");
    std::fs::copy(sample("eskilstuna-ks-delar2-2022.ron"), &plan_path).unwrap();
    let before = std::fs::read(&plan_path).unwrap();
    let plan = plan_path.display().to_string();
    let (code, text) = malplan(&["export", &plan, "-o", &plan]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("samma fil"), "{text}");
    let (code, text) = malplan(&["report", &plan, "-o", &plan]);
    assert_eq!(code, 2, "{text}");
    #[cfg(unix)]
    {
        let link = dir.path().join("lank.pdf");
        std::os::unix::fs::symlink(&plan_path, &link).unwrap();
        let (code, text) = malplan(&["report", &plan, "-o", &link.display().to_string()]);
        assert_eq!(code, 2, "through a link too: {text}");
    }
    let (code, text) = malplan(&["import", &plan, &plan]);
    assert_eq!(code, 2, "the plan as its own data file: {text}");
    assert_eq!(std::fs::read(&plan_path).unwrap(), before, "the plan is untouched");
}

#[test]
fn budget_prints_computed_sums_and_flags_every_stated_total_that_disagrees() {
    let plan = sample("askersund-ks-2025.ron");
    let (code, text) = malplan(&["budget", &plan, "--board", "ks"]);
    assert_eq!(code, 1, "the seed's own totals disagree with its rows: {text}");
    assert!(text.contains("Ram 115\u{202f}021 tkr, effektiviseringskrav 1\u{202f}907 tkr (1,7 %)"), "{text}");
    assert!(text.contains("Nettokostnad 116\u{202f}011 tkr, ram 115\u{202f}021 tkr: 990 tkr över ramen"), "{text}");
    // The activity rows: computed, right-aligned, with a true minus sign.
    let gymnasium = text.lines().find(|l| l.contains("45 Gymnasieskola")).unwrap();
    assert!(gymnasium.ends_with("\u{2212}79\u{202f}539"), "{gymnasium}");
    assert!(text.contains("Summa Budget 2025: i dokumentet \u{2212}116\u{202f}013, raderna ger \u{2212}116\u{202f}011: skillnad 2 tkr"), "{text}");
    assert!(text.contains("Summa Bokslut 2023: i dokumentet 761\u{202f}876, raderna ger 762\u{202f}602: skillnad 726 tkr"), "{text}");
    assert!(text.contains("Summa Utvecklingsprojekt Budget 2024: i dokumentet \u{2212}2\u{202f}550, raderna ger \u{2212}3\u{202f}100: skillnad 550 tkr"), "{text}");
    assert_eq!(text.matches("  ! ").count(), 6, "{text}");
    assert!(text.contains("Summa: 94\u{202f}595 tkr"), "the contributions");

    // `check` reports the same differences as problems.
    let (code, checked) = malplan(&["check", &plan]);
    assert_eq!(code, 1);
    assert_eq!(checked.matches("skillnad").count(), 6, "{checked}");

    let (code, json) = malplan(&["budget", &plan, "--format", "json"]);
    assert_eq!(code, 1);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value[0]["over_frame_by"], 990_000);
    assert_eq!(value[0]["tables"][1]["total"][2], -116_011_000);
    let (_, csv) = malplan(&["budget", &plan, "--format", "csv"]);
    let gymnasium = csv.lines().find(|l| l.contains("Gymnasieskola")).unwrap();
    assert_eq!(gymnasium, "KS;Driftbudget per verksamhet (tkr);;45;Gymnasieskola;rad;-69830;-70294;-72090;-74974;-77223;-79539");
    assert!(csv.contains(";Summa;angiven;761876;"), "{csv}");

    let (code, text) = malplan(&["budget", &plan, "--board", "SBN"]);
    assert_eq!(code, 2);
    assert!(text.contains("ingen budget för nämnden SBN"), "{text}");
}

#[test]
fn the_report_of_a_plan_with_a_budget_has_the_budget_section() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ks.pdf");
    let (code, text) = malplan(&["report", &sample("askersund-ks-2025.ron"), "-o", &out.display().to_string()]);
    assert_eq!(code, 0, "{text}");
    let extracted = pdf_extract::extract_text(&out).unwrap();
    let flat: String = extracted.split_whitespace().collect::<Vec<_>>().join(" ").replace(['\u{202f}', '\u{a0}'], " ");
    assert!(flat.contains("Ram 115 021 tkr"), "{flat}");
    assert!(flat.contains("990 tkr över ramen"), "{flat}");
    assert!(flat.contains("45 Gymnasieskola"), "{flat}");
    assert!(flat.contains("skillnad 2 tkr"), "{flat}");
}

/// `malplan status` carries the economic follow-up: the result and forecast in the table, and
/// every figure in kronor in the stable CSV and JSON (seed 004's figures).
#[test]
fn status_carries_the_economic_figures_in_every_format() {
    let file = sample("eskilstuna-ks-delar2-2022.ron");
    let (code, table) = malplan(&["status", &file]);
    assert_eq!(code, 0, "{table}");
    assert!(table.contains("Ekonomi KS: Resultat t.o.m. augusti +30,2 mnkr · årsprognos +15,6 mnkr mot budget 0,0: avvikelse +15,6 mnkr"), "{table}");

    let (code, csv) = malplan(&["status", &file, "--format", "csv"]);
    assert_eq!(code, 0, "{csv}");
    assert!(csv.starts_with("kind,id,parent,level,title,series,year,outcome,target,target_interpolated,status,trend,change_since_baseline,proposed,manual,effective,explanation,board,table,measure,amount_kr\n"));
    assert!(csv.contains("\neconomy_result,1000,1000,result,KS,,2022,,,,,,,,,,,KS,,outcome_to_date,30210000\n"), "{csv}");
    assert!(csv.contains("\neconomy_result,1000,1000,result,KS,,2022,,,,,,,,,,,KS,,unexplained,15000\n"), "{csv}");
    assert!(csv.contains("\neconomy,1023,1000,row,HR,,2022,,,,,,,,,,,KS,Driftredovisning,forecast,3850000\n"), "{csv}");
    assert!(csv.contains("\neconomy,1001,1000,total,ÅRETS RESULTAT,,2022,,,,,,,,,,,KS,Resultaträkning,forecast_deviation,15600000\n"), "{csv}");

    let (code, json) = malplan(&["status", &file, "--format", "json"]);
    assert_eq!(code, 0, "{json}");
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let economy = &doc["economy"][0];
    assert_eq!(economy["board"], "KS");
    assert_eq!(economy["through_month"], 8);
    assert_eq!(economy["result"]["outcome_to_date"], 30_210_000);
    assert_eq!(economy["result"]["forecast"], 15_615_000);
    assert_eq!(economy["result"]["previous_forecast"], 8_000_000);
    assert_eq!(economy["explanations"].as_array().unwrap().len(), 8);
    assert_eq!(economy["tables"][0]["kind"], "income_statement");
    assert_eq!(economy["tables"][0]["unit"], "mnkr");
    assert_eq!(economy["tables"][0]["subtotals"][0]["figures"]["budget_full_year"], 504_500_000);
    assert_eq!(economy["differences"].as_array().unwrap().len(), 10);
    assert!(economy["differences"].as_array().unwrap().iter().all(|d| d["rounding"] == true));
    // A year without a period has no economy.
    let (_, json) = malplan(&["status", &file, "--format", "json", "--year", "2021"]);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["economy"].as_array().unwrap().len(), 0);
}
