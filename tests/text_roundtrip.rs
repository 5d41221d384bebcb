//! Nothing lost: any text survives every round trip the app makes – the plan file (RON), the
//! indicator table as CSV and as .xlsx read back by the import, and the printed report.
//!
//! The rules the tests hold the formats to, exactly:
//!
//! - **Plan file.** Every text reads back exactly as it was saved: CR LF, lone CRs, every
//!   control character, quotes, backslashes, `#`, byte-order marks and any other Unicode. The
//!   reader takes each CR LF of a file as LF (`storage::parse_str`), so that a file whose line
//!   ends were converted (git's autocrlf, some editors) does not grow CRs in its multi-line
//!   texts; a CR in a text is therefore never written raw: a plan holding one is saved with
//!   escaped texts (`storage::to_ron_string`). Converted to CR LF line ends, a saved file still
//!   reads as the same plan.
//! - **CSV and .xlsx.** Every text cell the export writes (Kod, Indikator, Mål, Enhet, Serie)
//!   reads back exactly as the text, including leading and trailing spaces, line breaks, texts
//!   that start with `=`, `+`, `-`, `@`, `'`, tab or CR (the CSV export defuses them with a
//!   leading apostrophe that the import removes again) and, in .xlsx, the control characters
//!   XML cannot hold (written as Excel's `_xHHHH_` escapes and unescaped on reading). An empty
//!   text, or one of only whitespace, is an empty cell. The import of a plan's own export finds
//!   every indicator and series and proposes nothing.
//! - **PDF.** Titles, names and texts that the report prints can be found again, word for word,
//!   in the text of the PDF (line wrapping aside).

use malplan::exchange::sheet::{self, Cell, RawSheet};
use malplan::followup::{Selection, compute};
use malplan::model::*;
use malplan::report::{overview, pdf};
use malplan::storage;
use proptest::collection::vec;
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// Hostile texts

/// A small piece of a hostile text.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        // Line ends of every kind, tabs, spaces (also no-break and other Unicode spaces).
        prop_oneof![
            Just("\r\n"), Just("\r"), Just("\n"), Just("\t"), Just(" "), Just("  "), Just("\u{a0}"),
            Just("\u{2028}"), Just("\u{85}"), Just("\u{3000}"), Just("\r\r\n"), Just("\n\r"),
        ]
        .prop_map(str::to_owned),
        // Spreadsheet formula triggers and separators, quotes.
        prop_oneof![
            Just("'"), Just("="), Just("+"), Just("-"), Just("@"), Just(";"), Just(","), Just("\""),
            Just("\"\""), Just("''"), Just("=SUMMA(A1)"), Just("-124"), Just("-inf"), Just("+46"),
            Just("=1+1"), Just("@SUM(1)"), Just("|"),
        ]
        .prop_map(str::to_owned),
        // What the file formats themselves escape or mark: RON raw strings, XML, Excel escapes.
        prop_oneof![
            Just("\\"), Just("#"), Just("\"#"), Just("r#\""), Just("\"##"), Just("&amp;"), Just("<"), Just(">"),
            Just("]]>"), Just("<r>"), Just("</r>"), Just("<t>"), Just("_x0041_"), Just("_x000D_"),
            Just("_x005F_"), Just("_xD83D_"), Just("_x"), Just("_"), Just("\u{feff}"), Just("\u{fffe}"),
            Just("\u{ffff}"), Just("\u{fffd}"),
        ]
        .prop_map(str::to_owned),
        // Swedish letters, other scripts, emoji (also joined ones), combining marks.
        prop_oneof![
            Just("åäöÅÄÖ"), Just("Målplan"), Just("–"), Just("€"), Just("😀"), Just("👩‍👩‍👧"), Just("e\u{301}"),
            Just("\u{10ffff}"), Just("中文"), Just("עברית"),
        ]
        .prop_map(str::to_owned),
        // Control characters (C0, DEL, C1).
        prop_oneof![0u32..0x20, Just(0x7f), 0x80u32..0xa0]
            .prop_map(|c| char::from_u32(c).expect("a control character").to_string()),
        "[a-zA-Z0-9]{1,6}",
    ]
}

/// Any Unicode, or a mix of the pieces above.
fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => any::<String>(),
        3 => vec(piece(), 0..7).prop_map(|pieces| pieces.concat()),
    ]
}

// ---------------------------------------------------------------------------------------------
// The plan file

/// Every text field of a plan, in one fixed order (the same for `plan_with_texts` and the
/// comparison), so that a field added to the model and forgotten here stands out: the plan is
/// built only from texts handed out by this walk.
fn for_each_text(plan: &mut Plan, f: &mut dyn FnMut(&mut String)) {
    let meta = &mut plan.meta;
    f(&mut meta.organisation);
    f(&mut meta.title);
    meta.owner_board.as_mut().map(&mut *f);
    meta.decided.as_mut().map(&mut *f);
    f(&mut meta.source);
    f(&mut plan.vision.title);
    f(&mut plan.vision.text);
    for board in &mut plan.boards {
        f(&mut board.code);
        f(&mut board.name);
    }
    for goal in &mut plan.goals {
        f(&mut goal.title);
        f(&mut goal.description);
        goal.focus.iter_mut().for_each(&mut *f);
        goal.boards.iter_mut().for_each(&mut *f);
        f(&mut goal.precision);
        for entry in &mut goal.schedule {
            f(&mut entry.label);
        }
    }
    for commitment in &mut plan.commitments {
        f(&mut commitment.text);
        commitment.boards.iter_mut().for_each(&mut *f);
    }
    for indicator in &mut plan.indicators {
        f(&mut indicator.code);
        f(&mut indicator.name);
        f(&mut indicator.description);
        if let Unit::Other(unit) = &mut indicator.unit {
            f(unit);
        }
        indicator.kolada.as_mut().map(&mut *f);
        for series in &mut indicator.series {
            f(&mut series.name);
        }
    }
    for period in &mut plan.periods {
        f(&mut period.name);
        period.date.as_mut().map(&mut *f);
        for goal in &mut period.goals {
            f(&mut goal.comment);
        }
        for commitment in &mut period.commitments {
            f(&mut commitment.comment);
        }
    }
}

/// A plan with every kind of text field (each optional text present, each list of texts
/// holding some), the texts empty: `plan_with_texts` fills them.
fn plan_skeleton() -> Plan {
    let mut plan = Plan::new("", "", 2024, 2027);
    plan.meta.owner_board = Some(String::new());
    plan.meta.decided = Some(String::new());
    plan.boards.push(Board { code: String::new(), name: String::new(), kind: BoardKind::Board });
    for (id, parent) in [(1, None), (2, Some(ItemId(1)))] {
        plan.goals.push(Goal {
            id: ItemId(id),
            level: if parent.is_none() { GoalLevel::Area } else { GoalLevel::StrategicGoal },
            parent,
            title: String::new(),
            description: String::new(),
            focus: vec![String::new(), String::new()],
            agenda2030: vec![3],
            boards: vec![String::new()],
            precision: String::new(),
            schedule: vec![ScheduleEntry { label: String::new(), day: 31, month: 5 }],
        });
    }
    plan.commitments.push(Commitment { id: ItemId(3), goal: ItemId(2), text: String::new(), boards: vec![String::new()] });
    for (id, unit) in [(4, Unit::Other(String::new())), (5, Unit::Percent)] {
        plan.indicators.push(Indicator {
            id: ItemId(id),
            goal: ItemId(2),
            code: String::new(),
            name: String::new(),
            description: String::new(),
            kind: IndicatorKind::Place,
            unit,
            decimals: 1,
            direction: Direction::HigherIsBetter,
            kolada: Some(String::new()),
            kolada_unit: None,
            thresholds: Thresholds::default(),
            series: vec![
                Series { name: String::new(), kind: SeriesKind::Total, baseline: Some((2020, 1.5)), ..Series::default() },
                Series { name: String::new(), kind: SeriesKind::Women, outcomes: vec![(2024, 2.0)], ..Series::default() },
            ],
        });
    }
    plan.periods.push(FollowUpPeriod {
        id: ItemId(6),
        name: String::new(),
        year: 2024,
        date: Some(String::new()),
        goals: vec![GoalFollowUp { goal: ItemId(2), assessment: Assessment::Partly, trend: None, comment: String::new() }],
        commitments: vec![CommitmentFollowUp {
            commitment: ItemId(3),
            status: CommitmentStatus::InProgress,
            completion: Some(40),
            comment: String::new(),
        }],
    });
    plan
}

/// How many text fields `plan_skeleton` has.
fn text_field_count() -> usize {
    let mut count = 0;
    for_each_text(&mut plan_skeleton(), &mut |_| count += 1);
    count
}

/// The skeleton with its text fields set to `texts`, in `for_each_text` order (cycled).
fn plan_with_texts(texts: &[String]) -> Plan {
    let mut plan = plan_skeleton();
    let mut next = texts.iter().cycle();
    for_each_text(&mut plan, &mut |text| *text = next.next().expect("at least one text").clone());
    plan
}

fn texts_of(plan: &Plan) -> Vec<String> {
    let mut texts = Vec::new();
    for_each_text(&mut plan.clone(), &mut |text| texts.push(text.clone()));
    texts
}

/// The file with its line ends converted to CR LF, as git's autocrlf or an editor does.
fn with_crlf_line_ends(saved: &str) -> String {
    saved.replace('\n', "\r\n")
}

#[test]
fn the_plan_file_keeps_every_line_end_of_every_text() {
    // CR LF and CRs next to line breaks were the texts that did not survive: the reader's
    // CR LF → LF took "a\r\nb" back as "a\nb" and "\r\r\n" as "\r\n" (which, saved again,
    // read as "\n").
    let texts: Vec<String> = [
        "a\rb", "\r", "a\r", "\ra", "a\r\nb", "\r\r\n", "\n\r", "\r\n\r\n", "\"#\"##", "\\", "\u{feff}x", "\0\u{1}\u{7f}",
    ]
    .iter()
    .map(|t| (*t).to_owned())
    .collect();
    for text in &texts {
        let plan = plan_with_texts(std::slice::from_ref(text));
        let saved = storage::to_ron_string(&plan).unwrap();
        let loaded = storage::parse_str(&saved, "t.ron").unwrap();
        assert_eq!(texts_of(&loaded), texts_of(&plan), "{text:?}");
        assert_eq!(storage::to_ron_string(&loaded).unwrap(), saved, "{text:?}: saved again, the same file");
        let converted = storage::parse_str(&with_crlf_line_ends(&saved), "crlf.ron").unwrap();
        assert_eq!(texts_of(&converted), texts_of(&plan), "{text:?} in a file with CR LF line ends");
    }
    // A plan without CRs keeps its texts readable in the file: raw, line breaks as they are.
    let plan = plan_with_texts(&["två\nrader \"citat\"".to_owned()]);
    assert!(storage::to_ron_string(&plan).unwrap().contains("r#\"två\nrader \"citat\"\"#"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Every text field of a plan holds a hostile text: saved and read, each text is exactly
    /// what it was and nothing else in the plan changes; saved again, the same file; with its
    /// line ends converted to CR LF, the same plan.
    #[test]
    fn any_text_survives_the_plan_file(texts in vec(hostile_text(), 1..64)) {
        let plan = plan_with_texts(&texts);
        let saved = storage::to_ron_string(&plan).unwrap();
        let loaded = storage::parse_str(&saved, "texts.ron")
            .map_err(|e| TestCaseError::fail(format!("{e}\n{saved}")))?;

        let (written, read) = (texts_of(&plan), texts_of(&loaded));
        let fields = text_field_count();
        prop_assert_eq!(written.len(), fields);
        prop_assert_eq!(read.len(), fields);
        for (i, (written, read)) in written.iter().zip(&read).enumerate() {
            prop_assert_eq!(read, written, "text field {} of {}", i, fields);
        }
        prop_assert_eq!(&loaded, &plan);
        prop_assert_eq!(storage::to_ron_string(&loaded).unwrap(), saved.clone());
        let converted = storage::parse_str(&with_crlf_line_ends(&saved), "crlf.ron")
            .map_err(|e| TestCaseError::fail(format!("with CR LF line ends: {e}")))?;
        prop_assert_eq!(&converted, &plan);
    }
}

// ---------------------------------------------------------------------------------------------
// CSV and .xlsx

/// A plan for the spreadsheet round trip: its goal titles, indicator codes and names, units and
/// series names are the hostile texts. Series names of one indicator differ as cells (a name of
/// only whitespace is an empty cell, like an empty name; `check` reports both).
#[derive(Debug, Clone)]
struct SheetCase {
    goals: Vec<String>,
    indicators: Vec<(String, String, Option<String>, Vec<String>)>,
}

fn as_cell(text: &str) -> Cell {
    if text.trim().is_empty() { Cell::Empty } else { Cell::Text(text.to_owned()) }
}

fn sheet_case() -> impl Strategy<Value = SheetCase> {
    (
        vec(hostile_text(), 1..3),
        vec((hostile_text(), hostile_text(), proptest::option::of(hostile_text()), vec(hostile_text(), 1..4)), 1..4),
    )
        .prop_map(|(goals, indicators)| SheetCase {
            goals,
            indicators: indicators
                .into_iter()
                .map(|(code, name, unit, series)| {
                    let mut seen = Vec::new();
                    let series = series
                        .into_iter()
                        .filter(|s| {
                            let cell = as_cell(s);
                            let new = !seen.contains(&cell);
                            seen.push(cell);
                            new
                        })
                        .collect();
                    (code, name, unit, series)
                })
                .collect(),
        })
}

fn sheet_plan(case: &SheetCase) -> Plan {
    let mut plan = Plan::new("Kommun", "Plan", 2022, 2024);
    for (i, title) in case.goals.iter().enumerate() {
        plan.goals.push(Goal {
            id: ItemId(i as u32 + 1),
            level: GoalLevel::Area,
            parent: None,
            title: title.clone(),
            description: String::new(),
            focus: vec![],
            agenda2030: vec![],
            boards: vec![],
            precision: String::new(),
            schedule: vec![],
        });
    }
    for (i, (code, name, unit, series)) in case.indicators.iter().enumerate() {
        let value = |k: usize| (i * 10 + k) as f64 / 4.0 - 1.0;
        plan.indicators.push(Indicator {
            id: ItemId(100 + i as u32),
            goal: ItemId((i % case.goals.len()) as u32 + 1),
            code: code.clone(),
            name: name.clone(),
            description: String::new(),
            kind: IndicatorKind::Organisation,
            unit: unit.clone().map_or(if i % 2 == 0 { Unit::Percent } else { Unit::Count }, Unit::Other),
            decimals: 1,
            direction: Direction::HigherIsBetter,
            kolada: None,
            kolada_unit: None,
            thresholds: Thresholds::default(),
            series: series
                .iter()
                .enumerate()
                .map(|(k, name)| Series {
                    name: name.clone(),
                    kind: SeriesKind::Total,
                    baseline: Some((2021, value(k))),
                    targets: vec![(2024, value(k + 1))],
                    outcomes: vec![(2022, value(k + 2)), (2023, -value(k + 3))],
                })
                .collect(),
        });
    }
    plan
}

/// The fixed cells each exported row must read back as: Kod, Indikator, Mål, Enhet, Serie, Typ.
fn expected_rows(plan: &Plan) -> Vec<(u32, [Cell; 6])> {
    let mut rows = Vec::new();
    for indicator in &plan.indicators {
        let goal = plan.goal(indicator.goal).map_or("", |g| g.title.as_str());
        for series in &indicator.series {
            for kind in ["Utgångsvärde", "Målvärde", "Utfall"] {
                rows.push((
                    indicator.id.0,
                    [
                        as_cell(&indicator.code),
                        as_cell(&indicator.name),
                        as_cell(goal),
                        as_cell(&sheet::unit_text(&indicator.unit)),
                        as_cell(&series.name),
                        Cell::Text(kind.to_owned()),
                    ],
                ));
            }
        }
    }
    rows
}

fn value_count(plan: &Plan) -> usize {
    plan.indicators
        .iter()
        .flat_map(|i| &i.series)
        .map(|s| usize::from(s.baseline.is_some()) + s.targets.len() + s.outcomes.len())
        .sum()
}

/// The sheet read back holds exactly the texts written, and importing it proposes nothing.
fn check_read_back(plan: &Plan, read: &RawSheet, format: &str) -> Result<(), TestCaseError> {
    let expected = expected_rows(plan);
    let data: Vec<&Vec<Cell>> = read.rows.iter().skip(1).map(|(_, cells)| cells).collect();
    prop_assert_eq!(data.len(), expected.len(), "{}: one row per indicator, series and kind", format);
    for (cells, (id, fixed)) in data.iter().zip(&expected) {
        let id_cell = cells.first().cloned().unwrap_or(Cell::Empty);
        prop_assert!(
            id_cell == Cell::Text(id.to_string()) || id_cell == Cell::Number(f64::from(*id)),
            "{}: id {:?}",
            format,
            id_cell
        );
        for (column, want) in fixed.iter().enumerate() {
            let got = cells.get(column + 1).cloned().unwrap_or(Cell::Empty);
            prop_assert_eq!(&got, want, "{}: column {}", format, sheet::FIXED_HEADERS[column + 1]);
        }
    }
    let preview = sheet::preview(plan, read).map_err(|e| TestCaseError::fail(format!("{format}: {e}")))?;
    prop_assert_eq!(&preview.changes, &vec![], "{}: a plan's own export proposes nothing", format);
    prop_assert_eq!(&preview.skipped, &vec![], "{}: every row finds its indicator and series", format);
    prop_assert_eq!(preview.unchanged, value_count(plan), "{}: every value read back", format);
    prop_assert!(preview.to_edit(plan).is_none());
    Ok(())
}

/// Whether a spreadsheet program would take a CSV field as a formula (or as something other
/// than the text): it starts with `=`, `+`, `@`, tab or CR, or with `-` and is no number.
fn runs_as_formula(field: &str) -> bool {
    field.starts_with(['=', '+', '@', '\t', '\r'])
        || (field.starts_with('-') && !field.parse::<f64>().is_ok_and(f64::is_finite))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_text_survives_the_csv_export_and_import(case in sheet_case()) {
        let plan = sheet_plan(&case);
        let csv = sheet::to_csv(&plan);
        // Defused: no text field of the file starts a formula (the year columns hold numbers
        // with a decimal comma, "-0,75").
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .has_headers(false)
            .flexible(true)
            .from_reader(csv.strip_prefix('\u{feff}').unwrap().as_bytes());
        for record in reader.records() {
            let record = record.unwrap();
            for field in record.iter().take(sheet::FIXED_HEADERS.len()) {
                prop_assert!(!runs_as_formula(field), "{:?} would run as a formula", field);
            }
        }
        let read = sheet::read_csv(csv.as_bytes(), "export.csv").unwrap();
        check_read_back(&plan, &read, "csv")?;
    }

    #[test]
    fn any_text_survives_the_xlsx_export_and_import(case in sheet_case()) {
        let plan = sheet_plan(&case);
        let bytes = sheet::to_xlsx(&plan).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let read = sheet::read_workbook(&bytes, "export.xlsx")
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        check_read_back(&plan, &read, "xlsx")?;
    }
}

/// The cases that matter most, always run: formula triggers with and without the apostrophe,
/// XML's forbidden characters, Excel's own escapes, spaces at both ends.
#[test]
fn formula_triggers_apostrophes_escapes_and_spaces_read_back_exactly() {
    let texts = [
        "=SUMMA(A1)", "'=SUMMA(A1)", "''=x", "'", "''", "'x", "+46", "'+46", "@x", "'@x", "-x", "'-x", "-124", "'-124",
        "-inf", "'-inf", "\tx", "'\tx", "\rx", "'\rx", "x\r", "a\r\nb", " x ", "  ", "\u{a0}x\u{a0}", "\u{1}\u{8}\u{b}\u{1f}",
        "_x0041_", "_x005F_x0041_", "_x0041_x0042_", "<r>x</r>", "<r><t>x</t></r>", "<r>_x0041_x0042_\u{1}\r</r>", "a & <b>", "\u{fffe}\u{ffff}", "😀", "Totalt",
    ];
    let case = SheetCase {
        goals: texts.iter().map(|t| (*t).to_owned()).collect(),
        indicators: texts
            .iter()
            .map(|t| ((*t).to_owned(), (*t).to_owned(), Some((*t).to_owned()), vec![(*t).to_owned(), "Totalt ".to_owned()]))
            .collect(),
    };
    let plan = sheet_plan(&case);
    let csv = check_read_back(&plan, &sheet::read_csv(sheet::to_csv(&plan).as_bytes(), "x.csv").unwrap(), "csv");
    let bytes = sheet::to_xlsx(&plan).unwrap();
    let xlsx = check_read_back(&plan, &sheet::read_workbook(&bytes, "x.xlsx").unwrap(), "xlsx");
    assert!(csv.is_ok() && xlsx.is_ok(), "{csv:?}\n{xlsx:?}");
}

// ---------------------------------------------------------------------------------------------
// The PDF report

/// Printable texts: letters (Swedish ones too), digits, punctuation and spaces.
fn printable() -> impl Strategy<Value = String> {
    "[a-zA-ZåäöÅÄÖéü0-9 .,:;!?()/%&+=@'\"–-]{0,40}[a-zA-ZåäöÅÄÖ0-9][a-zA-ZåäöÅÄÖéü0-9 .,:;!?()/%&+=@'\"–-]{0,40}"
}

/// Text extraction may split or join words at glyph runs and line ends; compare without
/// whitespace.
fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[derive(Debug, Clone)]
struct ReportCase {
    organisation: String,
    title: String,
    period: String,
    goals: Vec<String>,
    commitments: Vec<String>,
    indicators: Vec<String>,
}

fn report_case() -> impl Strategy<Value = ReportCase> {
    (printable(), printable(), printable(), vec(printable(), 1..5), vec(printable(), 0..3), vec(printable(), 0..3))
        .prop_map(|(organisation, title, period, goals, commitments, indicators)| ReportCase {
            organisation,
            title,
            period,
            goals,
            commitments,
            indicators,
        })
}

fn report_plan(case: &ReportCase) -> Plan {
    let mut plan = Plan::new(&case.organisation, &case.title, 2024, 2024);
    for (i, title) in case.goals.iter().enumerate() {
        plan.goals.push(Goal {
            id: ItemId(i as u32 + 1),
            level: if i == 0 { GoalLevel::Area } else { GoalLevel::StrategicGoal },
            parent: (i > 0).then_some(ItemId(1)),
            title: title.clone(),
            description: String::new(),
            focus: vec![],
            agenda2030: vec![],
            boards: vec![],
            precision: String::new(),
            schedule: vec![],
        });
    }
    let last_goal = ItemId(case.goals.len() as u32);
    for (i, text) in case.commitments.iter().enumerate() {
        plan.commitments.push(Commitment { id: ItemId(100 + i as u32), goal: last_goal, text: text.clone(), boards: vec![] });
    }
    for (i, name) in case.indicators.iter().enumerate() {
        plan.indicators.push(Indicator {
            id: ItemId(200 + i as u32),
            goal: last_goal,
            code: String::new(),
            name: name.clone(),
            description: String::new(),
            kind: IndicatorKind::Organisation,
            unit: Unit::Percent,
            decimals: 1,
            direction: Direction::HigherIsBetter,
            kolada: None,
            kolada_unit: None,
            thresholds: Thresholds::default(),
            series: vec![Series { name: "Totalt".into(), outcomes: vec![(2024, 12.5)], ..Series::default() }],
        });
    }
    plan.periods.push(FollowUpPeriod {
        id: ItemId(300),
        name: case.period.clone(),
        year: 2024,
        date: None,
        goals: vec![],
        commitments: vec![],
    });
    plan
}

proptest! {
    // A report takes a while to write and read back (about 30 ms a case here); few cases.
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn printed_texts_can_be_found_in_the_pdf(case in report_case()) {
        let plan = report_plan(&case);
        let follow_up = compute(&plan, Selection::Period(ItemId(300)));
        let overview = overview::build(&plan, &follow_up, None);
        let (bytes, pages) = pdf::report_pdf(&overview, "2025-01-31").unwrap();
        prop_assert!(pages >= 1);
        let text = pdf_extract::extract_text_from_mem(&bytes).expect("the PDF parses");
        let text = squash(&text);
        let printed = [&case.organisation, &case.title, &case.period]
            .into_iter()
            .chain(&case.goals)
            .chain(&case.commitments)
            .chain(&case.indicators);
        for printed in printed {
            prop_assert!(text.contains(&squash(printed)), "{:?} is not in the PDF's text:\n{}", printed, text);
        }
    }
}
