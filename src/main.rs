use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Målplan – plan and follow up a municipality's goals, offline.
#[derive(Parser)]
#[command(name = "malplan", version, about)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// Plan file to open in the app (default: the last one, or the bundled example).
    file: Option<PathBuf>,
    /// Open with the first goal, commitment or indicator whose text contains this selected.
    #[arg(long)]
    select: Option<String>,
    /// Open with the import preview of these files: Kolada data (.json) or a spreadsheet
    /// (.xlsx, .xls, .ods, .csv) in the export's layout.
    #[arg(long = "import", value_name = "FILE")]
    import: Vec<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Load and validate plan files: one line per problem. Exit 0 clean, 1 problems, 2 unreadable.
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Write a deterministic synthetic plan (for benchmarks): small, large (≈ 500 board goals,
    /// 5 000 commitments, 2 000 indicators × 4 series × 20 years) or huge (10 × large).
    Generate {
        #[arg(long, value_enum, default_value_t = GenScale::Large)]
        scale: GenScale,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// Rewrite plan files in the canonical, deterministic layout (what Målplan saves).
    Format {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Write the printable status report (Lägesbild) as an A4 PDF.
    Report {
        file: PathBuf,
        #[arg(long, conflicts_with = "period")]
        year: Option<i32>,
        /// Follow-up period, e.g. "Delår 2 2022" (default: the plan's latest).
        #[arg(long)]
        period: Option<String>,
        /// Only what this board (code, e.g. KS) is responsible for.
        #[arg(long)]
        board: Option<String>,
        /// The board's whole document (title block, contents, chapters and generated parts)
        /// instead of the Lägesbild.
        #[arg(long)]
        document: bool,
        /// The indicators' charts: small beside each goal's indicators, full width, or none.
        #[arg(long, value_enum, default_value_t = Charts::Small)]
        charts: Charts,
        /// The file to write: .pdf (or .docx with --document).
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// Import outcomes from JSON saved from the Kolada API (`/v2/data/…` or `/v3/data/…`; several
    /// pages may be given) into the indicators with matching Kolada ids. Prints every value
    /// added or changed (old → new) and every value skipped, then saves the plan (with a .bak).
    ImportKolada {
        plan: PathBuf,
        #[arg(required = true)]
        data: Vec<PathBuf>,
        /// Your municipality's code, e.g. 0484 (needed when the files hold several).
        #[arg(long)]
        municipality: Option<String>,
        /// A comparison municipality or group and its series name, e.g. 0000=Riket (the
        /// default) or G124022="Liknande kommuner". May be repeated.
        #[arg(long = "compare", value_name = "CODE=NAME")]
        compare: Vec<String>,
        /// Only print what would change.
        #[arg(long)]
        dry_run: bool,
    },
    /// Write every indicator's baseline, targets and outcomes as a spreadsheet: .xlsx, or CSV
    /// for Swedish Excel (;-separated, decimal comma) when the name ends in .csv. With --budget,
    /// the budget's rows and amounts instead; with --economy, the economic follow-ups' figures.
    Export {
        plan: PathBuf,
        /// Export the budget (one line per budget row, amounts in the plan's unit).
        #[arg(long, conflicts_with = "economy")]
        budget: bool,
        /// Export the economic follow-ups (one line per row: outcome, budget, forecasts).
        #[arg(long)]
        economy: bool,
        /// Only this board's budget or follow-ups (its code, e.g. KS).
        #[arg(long)]
        board: Option<String>,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// Import targets and outcomes from a spreadsheet (.xlsx, .xls, .ods or .csv) in the
    /// export's layout – or budget amounts, or the economic follow-up's figures, from a sheet in
    /// those exports' layouts (told by its header) – or outcomes to date from an SIE file (.se,
    /// .si, .sie) for the rows with accounts. Prints the changes and skipped rows, then saves the
    /// plan (with a .bak).
    Import {
        plan: PathBuf,
        sheet: PathBuf,
        /// Only print what would change.
        #[arg(long)]
        dry_run: bool,
    },
    /// Print every goal and indicator with outcome, target, status, trend and explanation.
    Status {
        file: PathBuf,
        /// Follow up this year (default: the plan's latest follow-up period).
        #[arg(long, conflicts_with = "period")]
        year: Option<i32>,
        /// Follow up this named period, e.g. "Delår 2 2022".
        #[arg(long)]
        period: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Kolada online: fetch the plan's KPIs, find KPIs, set the municipality. The address is
    /// Kolada's own, the plan's setting or MALPLAN_KOLADA_URL; answers are cached, and used
    /// (and said so) when Kolada cannot be reached.
    Kolada {
        #[command(subcommand)]
        command: KoladaCommand,
    },
    /// Three-way merge of a plan by ids (also git's merge driver: `malplan merge %O %A %B -o %A`).
    /// Exit 0 merged, 1 with conflicts (kept in the file's `conflicts` block), 2 unreadable.
    Merge {
        base: PathBuf,
        ours: PathBuf,
        theirs: PathBuf,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// What changed between two versions, in planner words. With one file: the plan as one
    /// line per fact (git's textconv); with git's seven diff-driver arguments: their two files.
    Diff {
        #[arg(required = true, num_args = 1..=7)]
        files: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
        /// Write in English.
        #[arg(long)]
        english: bool,
    },
    /// Print the budget tables with computed sums; stated totals that disagree are flagged.
    Budget {
        file: PathBuf,
        /// Only this board's budget (its code, e.g. KS).
        #[arg(long)]
        board: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

#[derive(clap::Subcommand)]
enum KoladaCommand {
    /// Fetch every indicator's KPI for the plan's municipality, comparisons and years; print
    /// the changes and skipped values, then save the plan (with a .bak).
    Fetch {
        plan: PathBuf,
        /// Only print what would change.
        #[arg(long)]
        dry_run: bool,
    },
    /// Find KPIs by words of their title or description.
    Search {
        words: Vec<String>,
    },
    /// Set the plan's municipality (by code or name) and its comparisons (code=series name).
    Municipality {
        plan: PathBuf,
        municipality: String,
        #[arg(long = "compare", value_name = "CODE=NAME")]
        compare: Vec<String>,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum GenScale {
    Small,
    Large,
    Huge,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Charts {
    Small,
    Full,
    None,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum DiffFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Table,
    Csv,
    Json,
}

fn main() {
    let args = Args::parse();
    let code = match args.command {
        Some(Command::Check { files }) => malplan::cli::check(&files, &mut std::io::stdout()),
        Some(Command::Report {
            file,
            year,
            period,
            board,
            document,
            charts,
            output,
        }) => malplan::cli::report(
            &file,
            year,
            period.as_deref(),
            board.as_deref(),
            document,
            match charts {
                Charts::Small => malplan::report::chart_pdf::ChartMode::Small,
                Charts::Full => malplan::report::chart_pdf::ChartMode::Full,
                Charts::None => malplan::report::chart_pdf::ChartMode::None,
            },
            &output,
            &mut std::io::stdout(),
        ),
        Some(Command::Generate { scale, output }) => {
            let scale = match scale {
                GenScale::Small => malplan::generate::Scale::Small,
                GenScale::Large => malplan::generate::Scale::Large,
                GenScale::Huge => malplan::generate::Scale::Huge,
            };
            match malplan::storage::save(&malplan::generate::generate(scale), &output) {
                Ok(()) => 0,
                Err(error) => {
                    eprintln!("{error}");
                    2
                }
            }
        }
        Some(Command::Format { files }) => malplan::cli::format(&files, &mut std::io::stdout()),
        Some(Command::Status {
            file,
            year,
            period,
            format,
        }) => {
            let format = match format {
                Format::Table => malplan::cli::StatusFormat::Table,
                Format::Csv => malplan::cli::StatusFormat::Csv,
                Format::Json => malplan::cli::StatusFormat::Json,
            };
            malplan::cli::status(&file, year, period.as_deref(), format, &mut std::io::stdout())
        }
        Some(Command::Budget { file, board, format }) => {
            let format = match format {
                Format::Table => malplan::cli::StatusFormat::Table,
                Format::Csv => malplan::cli::StatusFormat::Csv,
                Format::Json => malplan::cli::StatusFormat::Json,
            };
            malplan::cli::budget(&file, board.as_deref(), format, &mut std::io::stdout())
        }
        Some(Command::ImportKolada { plan, data, municipality, compare, dry_run }) => {
            let mut options = malplan::exchange::kolada::KoladaOptions { municipality, ..Default::default() };
            if !compare.is_empty() {
                options.comparisons = compare
                    .iter()
                    .map(|c| match c.split_once('=') {
                        Some((code, name)) => (code.trim().to_owned(), name.trim().to_owned()),
                        None => (c.trim().to_owned(), c.trim().to_owned()),
                    })
                    .collect();
            }
            malplan::cli::import_kolada(&plan, &data, &options, dry_run, &mut std::io::stdout())
        }
        Some(Command::Export { plan, economy: true, board, output, .. }) => {
            malplan::cli::export_economy_sheet(&plan, board.as_deref(), &output, &mut std::io::stdout())
        }
        Some(Command::Export { plan, budget: false, board: None, output, .. }) => malplan::cli::export_sheet(&plan, &output, &mut std::io::stdout()),
        Some(Command::Export { budget: false, board: Some(_), .. }) => {
            eprintln!("--board gäller bara --budget och --economy");
            2
        }
        Some(Command::Export { plan, budget: true, board, output, .. }) => {
            malplan::cli::export_budget_sheet(&plan, board.as_deref(), &output, &mut std::io::stdout())
        }
        Some(Command::Kolada { command: KoladaCommand::Fetch { plan, dry_run } }) => malplan::cli::kolada_fetch(&plan, dry_run, &mut std::io::stdout()),
        Some(Command::Kolada { command: KoladaCommand::Search { words } }) => malplan::cli::kolada_search(&words.join(" "), &mut std::io::stdout()),
        Some(Command::Kolada { command: KoladaCommand::Municipality { plan, municipality, compare } }) => {
            malplan::cli::kolada_municipality(&plan, &municipality, &compare, &mut std::io::stdout())
        }
        Some(Command::Import { plan, sheet, dry_run }) => {
            malplan::cli::import_sheet(&plan, &sheet, dry_run, &mut std::io::stdout())
        }
        Some(Command::Merge { base, ours, theirs, output }) => malplan::cli::merge(&base, &ours, &theirs, &output, &mut std::io::stdout()),
        Some(Command::Diff { files, format, english }) => {
            let format = match format {
                DiffFormat::Text => malplan::cli::DiffFormat::Text,
                DiffFormat::Json => malplan::cli::DiffFormat::Json,
            };
            let lang = if english { malplan::i18n::Lang::English } else { malplan::i18n::Lang::Swedish };
            malplan::cli::diff(&files, format, lang, &mut std::io::stdout())
        }
        None => run_app(args.file, args.select, args.import),
    };
    std::process::exit(code);
}

#[cfg(feature = "gui")]
fn run_app(file: Option<PathBuf>, select: Option<String>, import: Vec<PathBuf>) -> i32 {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Målplan")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([800.0, 500.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    let result = eframe::run_native(
        "Målplan",
        options,
        Box::new(move |cc| {
            let mut app = malplan::app::MalplanApp::from_creation_context(cc, file);
            if let Some(text) = select {
                app.select_by_text(&text);
            }
            if !import.is_empty() {
                app.send(malplan::command::FileCommand::import_files(import));
            }
            Ok(Box::new(app))
        }),
    );
    match result {
        Ok(()) => 0,
        Err(error) => {
            eprintln!("Målplan kunde inte starta: {error}");
            1
        }
    }
}

#[cfg(not(feature = "gui"))]
fn run_app(_file: Option<PathBuf>, _select: Option<String>, _import: Vec<PathBuf>) -> i32 {
    eprintln!("Denna malplan är byggd utan fönstret (feature \"gui\"); använd check, status, report eller format.");
    2
}
