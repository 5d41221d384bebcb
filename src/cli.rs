//! Command-line subcommands. Each returns the process exit code.

use std::io::Write;
use std::path::PathBuf;

use crate::exchange::budget_sheet::AnyPreview;
use crate::i18n::Lang;
use crate::recovery::DiskStamp;
use crate::{plan_lock, storage, validate};

/// Exit codes of `malplan check`.
pub const EXIT_CLEAN: i32 = 0;
pub const EXIT_PROBLEMS: i32 = 1;
pub const EXIT_UNREADABLE: i32 = 2;

/// `malplan check FILE...`: one line per problem; 0 clean, 1 problems, 2 a file unreadable.
pub fn check(files: &[PathBuf], out: &mut dyn Write) -> i32 {
    let mut exit = EXIT_CLEAN;
    for file in files {
        match storage::load(file) {
            Err(error) => {
                let _ = writeln!(out, "{error}");
                exit = EXIT_UNREADABLE;
            }
            Ok(plan) => {
                let problems = validate::validate(&plan);
                for problem in &problems {
                    let _ = writeln!(out, "{}: {problem}", file.display());
                }
                if problems.is_empty() {
                    let _ = writeln!(
                        out,
                        "{}: OK ({} mål, {} åtaganden, {} indikatorer, {} perioder)",
                        file.display(),
                        plan.goals.len(),
                        plan.commitments.len(),
                        plan.indicators.len(),
                        plan.periods.len()
                    );
                } else if exit == EXIT_CLEAN {
                    exit = EXIT_PROBLEMS;
                }
            }
        }
    }
    exit
}

/// `malplan format FILE...`: loads each file and saves it back in canonical form (keeping a
/// `.bak`). A file that cannot be read is reported and left untouched.
pub fn format(files: &[PathBuf], out: &mut dyn Write) -> i32 {
    let mut exit = EXIT_CLEAN;
    for file in files {
        // Under the plan's lock, so no other writer's save falls between reading and writing.
        let result = plan_lock::lock(file, plan_lock::DEFAULT_WAIT).map_err(|e| e.to_string()).and_then(|_lock| {
            let expected = DiskStamp::of(file);
            let plan = storage::load(file).map_err(|e| e.to_string())?;
            plan_lock::save_locked(&plan, file, expected).map_err(|e| e.to_string())
        });
        if let Err(message) = result {
            let _ = writeln!(out, "{message}");
            exit = EXIT_UNREADABLE;
        }
    }
    exit
}

/// The selection for `--year`/`--period`, defaulting to the latest period or the last year.
fn selection_for(plan: &crate::model::Plan, year: Option<i32>, period: Option<&str>) -> Result<crate::followup::Selection, String> {
    use crate::followup::Selection;
    match (year, period) {
        (Some(year), _) => Ok(Selection::Year(year)),
        (None, Some(name)) => plan.period_by_name(name).map(|p| Selection::Period(p.id)).ok_or_else(|| {
            let names: Vec<&str> = plan.periods.iter().map(|p| p.name.as_str()).collect();
            format!(
                "perioden \"{name}\" finns inte. Perioder i planen: {}",
                if names.is_empty() { "inga".to_owned() } else { names.join(", ") }
            )
        }),
        (None, None) => Ok(match plan.periods.last() {
            Some(p) => Selection::Period(p.id),
            None => Selection::Year(plan.meta.last_year),
        }),
    }
}

/// The value, or `None` after printing the error (the caller exits with `EXIT_UNREADABLE`).
fn or_print<T, E: std::fmt::Display>(result: Result<T, E>, out: &mut dyn Write) -> Option<T> {
    result
        .map_err(|error| {
            let _ = writeln!(out, "{error}");
        })
        .ok()
}

/// Loads a plan and resolves `--year`/`--period`; the error is the line to print.
fn load_with_selection(
    file: &std::path::Path,
    year: Option<i32>,
    period: Option<&str>,
) -> Result<(crate::model::Plan, crate::followup::Selection), String> {
    let plan = storage::load(file).map_err(|e| e.to_string())?;
    let selection = selection_for(&plan, year, period).map_err(|m| format!("{}: {m}", file.display()))?;
    // A closed period is shown as it was closed.
    let plan = crate::report::as_selected(&plan, selection).unwrap_or(plan);
    Ok((plan, selection))
}

/// `malplan report FILE [--year Y | --period NAME] [--board CODE] [--document] -o OUT.pdf`.
pub fn report(
    file: &std::path::Path,
    year: Option<i32>,
    period: Option<&str>,
    board: Option<&str>,
    document: bool,
    charts: crate::report::chart_pdf::ChartMode,
    out_file: &std::path::Path,
    out: &mut dyn Write,
) -> i32 {
    if or_print(plan_lock::refuse_output_over_inputs(out_file, &[file]), out).is_none() {
        return EXIT_UNREADABLE;
    }
    let Some((plan, selection)) = or_print(load_with_selection(file, year, period), out) else {
        return EXIT_UNREADABLE;
    };
    if let Some(code) = board
        && plan.board(code).is_none()
    {
        let codes: Vec<&str> = plan.boards.iter().map(|b| b.code.as_str()).collect();
        let _ = writeln!(out, "{}: nämnden \"{code}\" finns inte. Nämnder: {}", file.display(), codes.join(", "));
        return EXIT_UNREADABLE;
    }
    let is_docx = out_file.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("docx"));
    let written = match (document, is_docx) {
        (true, true) => crate::report::write_document_docx(&plan, selection, board, out_file),
        (true, false) => crate::report::write_document(&plan, selection, board, charts, out_file),
        (false, true) => Err("Lägesbilden skrivs som PDF; Word (.docx) ges för hela dokumentet: lägg till --document".to_owned()),
        (false, false) => crate::report::write_report_with(&plan, selection, board, charts, out_file),
    };
    match written {
        Ok(count) => {
            let unit = if is_docx { "delar" } else { "sidor" };
            let _ = writeln!(out, "{}: {count} {unit}", out_file.display());
            EXIT_CLEAN
        }
        Err(message) => {
            let _ = writeln!(out, "{message}");
            EXIT_UNREADABLE
        }
    }
}

/// Output formats of `malplan status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFormat {
    Table,
    Csv,
    Json,
}

/// `malplan status FILE [--year Y | --period NAME] [--format …]`. Without a year or period
/// the plan's latest follow-up period is used, or its last year when it has none.
pub fn status(
    file: &std::path::Path,
    year: Option<i32>,
    period: Option<&str>,
    format: StatusFormat,
    out: &mut dyn Write,
) -> i32 {
    let Some((plan, selection)) = or_print(load_with_selection(file, year, period), out) else {
        return EXIT_UNREADABLE;
    };
    let follow_up = crate::followup::compute(&plan, selection);
    let text = match format {
        StatusFormat::Table => crate::report::status::table(&plan, &follow_up),
        StatusFormat::Csv => crate::report::status::csv(&plan, &follow_up),
        StatusFormat::Json => crate::report::status::json(&plan, &follow_up),
    };
    match out.write_all(text.as_bytes()) {
        Ok(()) => EXIT_CLEAN,
        Err(_) => EXIT_UNREADABLE,
    }
}

/// `malplan budget FILE [--board CODE] [--format …]`: the budget tables with computed sums.
/// Exit code 1 when a stated total disagrees with its rows (as `check` does for problems).
pub fn budget(file: &std::path::Path, board: Option<&str>, format: StatusFormat, out: &mut dyn Write) -> i32 {
    let Some(plan) = or_print(storage::load(file), out) else {
        return EXIT_UNREADABLE;
    };
    let budgets = crate::report::budget::selected(&plan, board);
    if budgets.is_empty() {
        let _ = match board {
            Some(code) => writeln!(out, "{}: ingen budget för nämnden {code}", file.display()),
            None => writeln!(out, "{}: planen har ingen budget", file.display()),
        };
        return EXIT_UNREADABLE;
    }
    let text = match format {
        StatusFormat::Table => crate::report::budget::table(&plan, &budgets),
        StatusFormat::Csv => crate::report::budget::csv(&plan, &budgets),
        StatusFormat::Json => crate::report::budget::json(&plan, &budgets),
    };
    if out.write_all(text.as_bytes()).is_err() {
        return EXIT_UNREADABLE;
    }
    let disagrees = budgets.iter().any(|b| !crate::budget::sums::figures(b).differences.is_empty());
    if disagrees { EXIT_PROBLEMS } else { EXIT_CLEAN }
}

/// Prints a preview: every change, then every skipped entry, then the summary.
fn print_preview(plan: &crate::model::Plan, preview: &dyn AnyPreview, out: &mut dyn Write) {
    for line in preview.change_lines(plan, Lang::Swedish) {
        let _ = writeln!(out, "{line}");
    }
    for skipped in preview.skipped_lines(Lang::Swedish) {
        let _ = writeln!(out, "hoppas över: {skipped}");
    }
    let _ = writeln!(out, "{}", preview.summary_line(Lang::Swedish));
}

/// Applies a preview to the plan file (atomically, keeping a `.bak`) unless `dry_run`.
/// The caller holds the plan's lock; `read` is the file as it was read (compare-and-swap).
fn apply_preview(
    plan: crate::model::Plan,
    read: Option<DiskStamp>,
    preview: &dyn AnyPreview,
    plan_path: &std::path::Path,
    dry_run: bool,
    out: &mut dyn Write,
) -> i32 {
    print_preview(&plan, preview, out);
    if dry_run {
        let _ = writeln!(out, "(provkörning: planen är inte ändrad)");
        return EXIT_CLEAN;
    }
    let Some(edit) = preview.edit(&plan) else {
        let _ = writeln!(out, "inget att ändra: {} är oförändrad", plan_path.display());
        return EXIT_CLEAN;
    };
    let mut doc = crate::edit::Document::new(plan, None);
    if let Err(error) = doc.apply(edit) {
        let _ = writeln!(out, "{error}");
        return EXIT_UNREADABLE;
    }
    match plan_lock::save_locked(doc.plan(), plan_path, read) {
        Ok(()) => {
            let _ = writeln!(out, "sparat: {} (förra versionen finns som .bak)", plan_path.display());
            EXIT_CLEAN
        }
        Err(error) => {
            let _ = writeln!(out, "{error}");
            EXIT_UNREADABLE
        }
    }
}

/// Takes the plan's lock (unless only previewing) and reads it, with its stamp for the
/// compare-and-swap at saving: a second import of the same plan waits for the first and works
/// on its result.
fn lock_and_load(
    plan_path: &std::path::Path,
    dry_run: bool,
) -> Result<(Option<plan_lock::PlanLock>, Option<DiskStamp>, crate::model::Plan), String> {
    let lock = if dry_run { None } else { Some(plan_lock::lock(plan_path, plan_lock::DEFAULT_WAIT).map_err(|e| e.to_string())?) };
    let read = DiskStamp::of(plan_path);
    let plan = storage::load(plan_path).map_err(|e| e.to_string())?;
    Ok((lock, read, plan))
}

/// A data file given as the plan (or the plan as a data file) is a mistake, not an import.
fn inputs_are_not_the_plan(plan_path: &std::path::Path, data: &[PathBuf]) -> Result<(), String> {
    match data.iter().find(|d| plan_lock::same_file(plan_path, d)) {
        Some(d) => Err(format!("{}: datafilen är planen själv", d.display())),
        None => Ok(()),
    }
}

/// `malplan import-kolada PLAN DATA.json... [--municipality CODE] [--compare CODE=NAME]...`
pub fn import_kolada(
    plan_path: &std::path::Path,
    data: &[PathBuf],
    options: &crate::exchange::kolada::KoladaOptions,
    dry_run: bool,
    out: &mut dyn Write,
) -> i32 {
    let Some((_lock, read, plan)) = or_print(lock_and_load(plan_path, dry_run), out) else {
        return EXIT_UNREADABLE;
    };
    if or_print(inputs_are_not_the_plan(plan_path, data), out).is_none() {
        return EXIT_UNREADABLE;
    }
    let Some(files) = or_print(crate::exchange::kolada::read_files(data), out) else {
        return EXIT_UNREADABLE;
    };
    match crate::exchange::kolada::preview(&plan, &files, options) {
        Ok(preview) => apply_preview(plan, read, &preview, plan_path, dry_run, out),
        Err(error) => {
            let _ = writeln!(out, "{error}");
            if matches!(error, crate::exchange::kolada::KoladaError::WhichMunicipality(_)) {
                let _ = writeln!(out, "Ange den med --municipality KOD.");
            }
            EXIT_UNREADABLE
        }
    }
}

/// `malplan export PLAN -o FILE.xlsx|FILE.csv`: every indicator's values as a spreadsheet.
pub fn export_sheet(plan_path: &std::path::Path, output: &std::path::Path, out: &mut dyn Write) -> i32 {
    if or_print(plan_lock::refuse_output_over_inputs(output, &[plan_path]), out).is_none() {
        return EXIT_UNREADABLE;
    }
    let Some(plan) = or_print(storage::load(plan_path), out) else {
        return EXIT_UNREADABLE;
    };
    match crate::exchange::write_sheet(&plan, output) {
        Ok(()) => EXIT_CLEAN,
        Err(message) => {
            let _ = writeln!(out, "{message}");
            EXIT_UNREADABLE
        }
    }
}

/// `malplan export PLAN --economy [--board CODE] -o FILE.xlsx|FILE.csv`: every row of the
/// economic follow-ups (or one board's) with its entered figures, in the import's layout.
pub fn export_economy_sheet(plan_path: &std::path::Path, board: Option<&str>, output: &std::path::Path, out: &mut dyn Write) -> i32 {
    if or_print(plan_lock::refuse_output_over_inputs(output, &[plan_path]), out).is_none() {
        return EXIT_UNREADABLE;
    }
    let Some(plan) = or_print(storage::load(plan_path), out) else {
        return EXIT_UNREADABLE;
    };
    if !plan.economy.iter().any(|r| board.is_none_or(|b| r.board == b)) {
        let _ = match board {
            Some(code) => writeln!(out, "{}: ingen ekonomisk uppföljning för nämnden {code}", plan_path.display()),
            None => writeln!(out, "{}: planen har ingen ekonomisk uppföljning", plan_path.display()),
        };
        return EXIT_UNREADABLE;
    }
    match crate::exchange::economy_sheet::write(&plan, board, output) {
        Ok(()) => EXIT_CLEAN,
        Err(message) => {
            let _ = writeln!(out, "{message}");
            EXIT_UNREADABLE
        }
    }
}

/// `malplan export PLAN --budget [--board CODE] -o FILE.xlsx|FILE.csv`: every budget row's
/// amounts (or those of one board's budget) as a spreadsheet.
pub fn export_budget_sheet(plan_path: &std::path::Path, board: Option<&str>, output: &std::path::Path, out: &mut dyn Write) -> i32 {
    if or_print(plan_lock::refuse_output_over_inputs(output, &[plan_path]), out).is_none() {
        return EXIT_UNREADABLE;
    }
    let Some(plan) = or_print(storage::load(plan_path), out) else {
        return EXIT_UNREADABLE;
    };
    if crate::exchange::budget_sheet::selected(&plan, board).is_empty() {
        let _ = match board {
            Some(code) => writeln!(out, "{}: ingen budget för nämnden {code}", plan_path.display()),
            None => writeln!(out, "{}: planen har ingen budget", plan_path.display()),
        };
        return EXIT_UNREADABLE;
    }
    match crate::exchange::budget_sheet::write(&plan, board, output) {
        Ok(()) => EXIT_CLEAN,
        Err(message) => {
            let _ = writeln!(out, "{message}");
            EXIT_UNREADABLE
        }
    }
}

/// `malplan import PLAN FILE.xlsx|FILE.csv`: targets and outcomes back from a spreadsheet in
/// the export's layout – or, when its header is the budget sheet's (Id, Nämnd, Tabell, …),
/// the budget's amounts.
pub fn import_sheet(plan_path: &std::path::Path, sheet_path: &std::path::Path, dry_run: bool, out: &mut dyn Write) -> i32 {
    let Some((_lock, read, plan)) = or_print(lock_and_load(plan_path, dry_run), out) else {
        return EXIT_UNREADABLE;
    };
    if or_print(inputs_are_not_the_plan(plan_path, &[sheet_path.to_path_buf()]), out).is_none() {
        return EXIT_UNREADABLE;
    }
    // An SIE file fills every follow-up's outcome to date (each through its own month).
    let preview = crate::exchange::preview_file(&plan, sheet_path, None);
    match preview {
        Ok((preview, _)) => apply_preview(plan, read, preview.as_ref(), plan_path, dry_run, out),
        Err(error) => {
            let _ = writeln!(out, "{error}");
            EXIT_UNREADABLE
        }
    }
}

fn kolada_client(plan: Option<&crate::model::Plan>) -> crate::exchange::kolada_online::KoladaClient {
    use crate::exchange::kolada_online::{KoladaClient, base_url, default_cache_dir};
    let setting = plan.map(|p| p.kolada.base_url.clone()).filter(|s| !s.is_empty());
    // MALPLAN_KOLADA_CACHE moves the cache (tests: a temporary directory).
    let cache = std::env::var_os("MALPLAN_KOLADA_CACHE").map(std::path::PathBuf::from).or_else(default_cache_dir);
    KoladaClient::new(&base_url(setting.as_deref()), cache)
}

/// `malplan kolada fetch PLAN [--dry-run]`: every indicator's KPI from Kolada (or, offline, its
/// cache – said on the first line), as the JSON import: preview printed, then saved.
pub fn kolada_fetch(plan_path: &std::path::Path, dry_run: bool, out: &mut dyn Write) -> i32 {
    let Some((_lock, read, plan)) = or_print(lock_and_load(plan_path, dry_run), out) else {
        return EXIT_UNREADABLE;
    };
    let request = match crate::exchange::kolada::fetch_request(&plan) {
        Ok(request) => request,
        Err(why) => {
            let _ = writeln!(out, "{}: {why}", plan_path.display());
            return EXIT_UNREADABLE;
        }
    };
    let client = kolada_client(Some(&plan));
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let fetched = match client.fetch_request(&request, &cancel, &mut |_, _| {}) {
        Ok(fetched) => fetched,
        Err(error) => {
            let _ = writeln!(out, "{error}");
            return EXIT_UNREADABLE;
        }
    };
    match fetched.source.notice() {
        Some(notice) => {
            let _ = writeln!(out, "{notice}");
        }
        None => {
            let _ = writeln!(out, "Kolada: {} anrop, {} KPI × {} kommuner × {} år", fetched.requests, request.kpis.len(), request.municipalities.len(), request.years.len());
        }
    }
    match crate::exchange::kolada::preview(&plan, &fetched.files, &plan.kolada.options()) {
        Ok(preview) => apply_preview(plan, read, &preview, plan_path, dry_run, out),
        Err(error) => {
            let _ = writeln!(out, "{error}");
            EXIT_UNREADABLE
        }
    }
}

/// `malplan kolada search WORDS`: matching KPIs, one per line: id, title, gender split.
pub fn kolada_search(words: &str, out: &mut dyn Write) -> i32 {
    match kolada_client(None).search_kpis(words, 30) {
        Ok((kpis, source)) => {
            if let Some(notice) = source.notice() {
                let _ = writeln!(out, "{notice}");
            }
            for kpi in &kpis {
                let gender = if kpi.divided_by_gender { " (kvinnor/män)" } else { "" };
                let _ = writeln!(out, "{}\t{}{gender}", kpi.id, kpi.title);
            }
            if kpis.is_empty() {
                let _ = writeln!(out, "inga KPI:er matchar \"{words}\"");
            }
            EXIT_CLEAN
        }
        Err(error) => {
            let _ = writeln!(out, "{error}");
            EXIT_UNREADABLE
        }
    }
}

/// `malplan kolada municipality PLAN NAME|CODE [--compare CODE=NAME]...`: the plan's place in
/// Kolada, found in Kolada's list of municipalities; saved with a .bak.
pub fn kolada_municipality(plan_path: &std::path::Path, wanted: &str, compare: &[String], out: &mut dyn Write) -> i32 {
    let Some((_lock, _read, mut plan)) = or_print(lock_and_load(plan_path, false), out) else {
        return EXIT_UNREADABLE;
    };
    let (list, _) = match kolada_client(Some(&plan)).municipalities() {
        Ok(found) => found,
        Err(error) => {
            let _ = writeln!(out, "{error}");
            return EXIT_UNREADABLE;
        }
    };
    let wanted_lower = wanted.trim().to_lowercase();
    let Some(found) = list.iter().find(|m| m.id == wanted.trim() || m.title.to_lowercase() == wanted_lower) else {
        let _ = writeln!(out, "ingen kommun \"{wanted}\" i Kolada");
        return EXIT_UNREADABLE;
    };
    plan.kolada.municipality = Some(found.id.clone());
    plan.kolada.municipality_name = found.title.clone();
    plan.kolada.comparisons.clear();
    for entry in compare {
        let Some((code, name)) = entry.split_once('=') else {
            let _ = writeln!(out, "--compare {entry}: skriv KOD=NAMN, t.ex. 0000=Riket");
            return EXIT_UNREADABLE;
        };
        plan.kolada.comparisons.push(crate::model::KoladaComparison { code: code.trim().to_owned(), name: name.trim().to_owned() });
    }
    match storage::save(&plan, plan_path) {
        Ok(()) => {
            let _ = writeln!(out, "{}: kommun {} {}", plan_path.display(), found.title, found.id);
            EXIT_CLEAN
        }
        Err(error) => {
            let _ = writeln!(out, "{error}");
            EXIT_UNREADABLE
        }
    }
}

/// Exit codes of `malplan merge` (as git expects of a merge driver).
pub const EXIT_MERGED: i32 = 0;
pub const EXIT_CONFLICTS: i32 = 1;

/// Reads a plan for merging: an empty file (git's base when both sides added the file) is an
/// empty plan.
fn load_for_merge(file: &std::path::Path) -> Result<crate::model::Plan, String> {
    if std::fs::metadata(file).is_ok_and(|m| m.is_file() && m.len() == 0) {
        return Ok(crate::model::Plan::new("", "", 0, 0));
    }
    storage::load(file).map_err(|e| e.to_string())
}

/// `malplan merge BASE OURS THEIRS -o OUT`: a three-way merge by ids. Writes the merged plan
/// (conflicts in its `conflicts` block, mine in the plan) and lists what it could not decide.
/// 0 merged cleanly, 1 conflicts, 2 a file unreadable or not writable.
pub fn merge(base: &std::path::Path, ours: &std::path::Path, theirs: &std::path::Path, output: &std::path::Path, out: &mut dyn Write) -> i32 {
    let mut plans = Vec::new();
    for file in [base, ours, theirs] {
        match load_for_merge(file) {
            Ok(plan) => plans.push(plan),
            Err(message) => {
                let _ = writeln!(out, "{message}");
                return EXIT_UNREADABLE;
            }
        }
    }
    let mut merged = match crate::merge::merge(&plans[0], &plans[1], &plans[2]) {
        Ok(merged) => merged,
        Err(error) => {
            let _ = writeln!(out, "{error}");
            return EXIT_UNREADABLE;
        }
    };
    // Closed periods keep the values the merge changes in mine.
    crate::closing::carry_records(&plans[1], &mut merged.plan);
    // Git gives its own temporary file as OUT: no .bak beside it.
    if let Err(error) = storage::save_without_backup(&merged.plan, output) {
        let _ = writeln!(out, "{error}");
        return EXIT_UNREADABLE;
    }
    for (old, new) in &merged.renumbered {
        let _ = writeln!(out, "{}: ny post {old} i båda versionerna – deras fick {new}", output.display());
    }
    for list in &merged.reordered {
        let _ = writeln!(out, "{}: {list}: ordningen ändrades i båda versionerna, min ordning behölls", output.display());
    }
    for conflict in &merged.plan.conflicts {
        let _ = writeln!(out, "{}: konflikt: {}: min {} / deras {}", output.display(), conflict.what, conflict.mine, conflict.theirs);
    }
    if merged.is_clean() {
        EXIT_MERGED
    } else {
        let _ = writeln!(
            out,
            "{}: {} konflikter – öppna planen i Målplan för att välja, eller se blocket conflicts i filen",
            output.display(),
            merged.plan.conflicts.len()
        );
        EXIT_CONFLICTS
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffFormat {
    Text,
    Json,
}

/// `malplan diff OLD NEW [--format text|json]`: what changed, one line per change in planner
/// words. With one file, the plan as one line per fact (git's `textconv`); with the seven
/// arguments git gives an external diff command, compares the second and the fifth.
/// 0 when the files could be read (changed or not), 2 otherwise.
pub fn diff(files: &[PathBuf], format: DiffFormat, lang: Lang, out: &mut dyn Write) -> i32 {
    let (before, after) = match files {
        [only] => {
            let plan = match load_for_merge(only) {
                Ok(plan) => plan,
                Err(message) => {
                    let _ = writeln!(out, "{message}");
                    return EXIT_UNREADABLE;
                }
            };
            return match crate::merge::fact_lines(&plan, lang) {
                Ok(lines) => {
                    for line in lines {
                        let _ = writeln!(out, "{line}");
                    }
                    EXIT_CLEAN
                }
                Err(error) => {
                    let _ = writeln!(out, "{error}");
                    EXIT_UNREADABLE
                }
            };
        }
        [before, after] => (before, after),
        [name, before, _, _, after, _, _] => {
            let _ = writeln!(out, "{}", name.display());
            (before, after)
        }
        _ => {
            let _ = writeln!(out, "diff tar en fil (textconv), två filer, eller git:s sju argument");
            return EXIT_UNREADABLE;
        }
    };
    let mut plans = Vec::new();
    for file in [before, after] {
        // git passes /dev/null for a file that does not exist on one side.
        let plan = if file.as_os_str() == "/dev/null" { Ok(crate::model::Plan::new("", "", 0, 0)) } else { load_for_merge(file) };
        match plan {
            Ok(plan) => plans.push(plan),
            Err(message) => {
                let _ = writeln!(out, "{message}");
                return EXIT_UNREADABLE;
            }
        }
    }
    let changes = match crate::merge::diff(&plans[0], &plans[1]) {
        Ok(changes) => changes,
        Err(error) => {
            let _ = writeln!(out, "{error}");
            return EXIT_UNREADABLE;
        }
    };
    match format {
        DiffFormat::Text => {
            if changes.is_empty() {
                let _ = writeln!(out, "{}", lang.t("Inga ändringar.", "No changes."));
            }
            for change in &changes {
                let _ = writeln!(out, "{}", change.text(&plans[0], &plans[1], lang));
            }
        }
        DiffFormat::Json => {
            let list: Vec<serde_json::Value> = changes
                .iter()
                .map(|c| {
                    serde_json::json!({
                        "place": c.place.to_string(),
                        "text": c.text(&plans[0], &plans[1], lang),
                        "before": c.before,
                        "after": c.after,
                    })
                })
                .collect();
            let _ = writeln!(out, "{}", serde_json::to_string_pretty(&list).unwrap_or_default());
        }
    }
    EXIT_CLEAN
}
