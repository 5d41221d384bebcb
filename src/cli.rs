//! Command-line subcommands: `check` (and more to come). Each returns the process exit code.

use std::io::Write;
use std::path::PathBuf;

use crate::{storage, validate};

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
        let result = storage::load(file)
            .map_err(|e| e.to_string())
            .and_then(|plan| storage::save(&plan, file).map_err(|e| e.to_string()));
        if let Err(message) = result {
            let _ = writeln!(out, "{message}");
            exit = EXIT_UNREADABLE;
        }
    }
    exit
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
    let plan = match storage::load(file) {
        Ok(plan) => plan,
        Err(error) => {
            let _ = writeln!(out, "{error}");
            return EXIT_UNREADABLE;
        }
    };
    let selection = match (year, period) {
        (Some(year), _) => crate::followup::Selection::Year(year),
        (None, Some(name)) => match plan.period_by_name(name) {
            Some(p) => crate::followup::Selection::Period(p.id),
            None => {
                let names: Vec<&str> = plan.periods.iter().map(|p| p.name.as_str()).collect();
                let _ = writeln!(
                    out,
                    "{}: perioden \"{name}\" finns inte. Perioder i planen: {}",
                    file.display(),
                    if names.is_empty() { "inga".to_owned() } else { names.join(", ") }
                );
                return EXIT_UNREADABLE;
            }
        },
        (None, None) => match plan.periods.last() {
            Some(p) => crate::followup::Selection::Period(p.id),
            None => crate::followup::Selection::Year(plan.meta.last_year),
        },
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
