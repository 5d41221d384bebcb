//! Kolada data files: JSON saved from the Kolada API's data endpoints (`/v2/data/…`,
//! `/v3/data/…`), one or several pages:
//!
//! ```json
//! {"count": 2, "values": [{"kpi": "N00914", "municipality": "0484", "period": 2023,
//!   "values": [{"gender": "T", "value": 74.1, "count": 1}, {"gender": "K", "value": null}]}]}
//! ```
//!
//! Values go to the indicators whose Kolada id matches `kpi`: the planner's own municipality
//! by gender – T, K, M to the Totalt, Kvinnor and Män series – and chosen comparison
//! municipalities or groups (by default 0000, *Riket*) to a comparison series, totals only.
//! Everything else is listed as skipped with its reason.

use std::collections::BTreeSet;

use serde::Deserialize;

use super::{ImportPreview, PreviewBuilder, SkipPlace, SkipReason, ValueKind};
use crate::followup::number::check_value;
use crate::model::{Plan, SeriesKind};

/// One data file (page) as read.
#[derive(Debug, Clone, PartialEq)]
pub struct KoladaFile {
    /// Shown in messages: the file name.
    pub name: String,
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Page {
    #[serde(default)]
    values: Option<Vec<Entry>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Entry {
    pub kpi: String,
    #[serde(default)]
    pub municipality: Option<String>,
    /// An organisational unit's value (`oudata`) instead of a municipality's.
    #[serde(default)]
    pub ou: Option<String>,
    pub period: Period,
    #[serde(default)]
    pub values: Vec<GenderValue>,
}

/// Kolada writes the year as a number; some exports quote it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Period {
    Year(i64),
    Text(String),
}

impl Period {
    fn year(&self) -> Option<i32> {
        match self {
            Period::Year(y) => i32::try_from(*y).ok(),
            Period::Text(t) => t.trim().parse().ok(),
        }
        .filter(|y| (1900..=2200).contains(y))
    }

    fn shown(&self) -> String {
        match self {
            Period::Year(y) => y.to_string(),
            Period::Text(t) => t.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct GenderValue {
    pub gender: String,
    pub value: Option<f64>,
    /// How many municipalities a group value is made of.
    #[serde(default)]
    pub count: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KoladaError {
    #[error("{name}:{line}:{column}: ingen Kolada-fil: {message}")]
    Syntax { name: String, line: usize, column: usize, message: String },
    #[error("{name}: filen saknar \"values\" – är den sparad från Koladas data-API (/v2/data eller /v3/data)?")]
    NoValues { name: String },
    #[error(
        "Filerna har värden för flera kommuner ({0}). Välj vilken som är er kommun."
    )]
    WhichMunicipality(String),
}

/// Reads one saved page.
pub fn parse(bytes: &[u8], name: &str) -> Result<KoladaFile, KoladaError> {
    let page: Page = serde_json::from_slice(bytes).map_err(|e| KoladaError::Syntax {
        name: name.to_owned(),
        line: e.line(),
        column: e.column(),
        message: match e.classify() {
            serde_json::error::Category::Eof => "filen tar slut mitt i".to_owned(),
            serde_json::error::Category::Syntax => "inte giltig JSON".to_owned(),
            _ => format!("oväntat innehåll ({e})"),
        },
    })?;
    let entries = page.values.ok_or_else(|| KoladaError::NoValues { name: name.to_owned() })?;
    Ok(KoladaFile { name: name.to_owned(), entries })
}

/// Reads and parses data files; the error is a message naming the file (by its name, as the
/// planner sees it in a folder) and, for broken JSON, the line and column.
pub fn read_files(paths: &[std::path::PathBuf]) -> Result<Vec<KoladaFile>, String> {
    paths
        .iter()
        .map(|path| {
            let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
            // Guarded: no device or FIFO (which would hang), nothing over the import cap.
            let bytes = crate::safe_io::read_file(path, crate::safe_io::Limits::IMPORT).map_err(|e| e.to_string())?;
            parse(&bytes, &name).map_err(|e| e.to_string())
        })
        .collect()
}

/// Which municipalities go where.
#[derive(Debug, Clone, PartialEq)]
pub struct KoladaOptions {
    /// The planner's own municipality ("0484"); found from the files when they hold only one.
    pub municipality: Option<String>,
    /// Comparison municipalities or groups and the series they go to: `("0000", "Riket")`.
    pub comparisons: Vec<(String, String)>,
}

impl Default for KoladaOptions {
    fn default() -> Self {
        Self { municipality: None, comparisons: vec![("0000".into(), "Riket".into())] }
    }
}

/// Every municipality (or group) code in the files, sorted.
pub fn municipalities(files: &[KoladaFile]) -> Vec<String> {
    let codes: BTreeSet<&str> = files
        .iter()
        .flat_map(|f| &f.entries)
        .filter_map(|e| e.municipality.as_deref())
        .collect();
    codes.into_iter().map(str::to_owned).collect()
}

/// The own municipality: as chosen, or the only code in the files that is not a comparison.
pub fn own_municipality(files: &[KoladaFile], options: &KoladaOptions) -> Result<Option<String>, KoladaError> {
    if let Some(code) = &options.municipality {
        return Ok(Some(code.clone()));
    }
    let own: Vec<String> = municipalities(files)
        .into_iter()
        .filter(|code| !options.comparisons.iter().any(|(c, _)| c == code))
        .collect();
    match own.len() {
        0 => Ok(None),
        1 => Ok(own.into_iter().next()),
        _ => Err(KoladaError::WhichMunicipality(own.join(", "))),
    }
}

/// What importing the files would change in `plan`.
pub fn preview(plan: &Plan, files: &[KoladaFile], options: &KoladaOptions) -> Result<ImportPreview, KoladaError> {
    let own = own_municipality(files, options)?;
    // Indicators by Kolada id, so a file of thousands of values does not scan the plan per value.
    let mut by_kpi: std::collections::HashMap<String, Vec<&crate::model::Indicator>> = std::collections::HashMap::new();
    for indicator in &plan.indicators {
        if let Some(kpi) = &indicator.kolada {
            by_kpi.entry(kpi.trim().to_uppercase()).or_default().push(indicator);
        }
    }
    let mut builder = PreviewBuilder::default();
    // A unit's values go to the indicators of that unit; the own municipality's to those
    // without one; comparisons to all.
    let unit_of = |i: &&crate::model::Indicator| i.kolada_unit.as_deref().map(str::trim).filter(|u| !u.is_empty()).map(str::to_owned);
    for (page, file) in files.iter().enumerate() {
        for entry in &file.entries {
            if let Some(unit) = entry.ou.as_deref() {
                let kpi = entry.kpi.trim();
                let indicators: Vec<&crate::model::Indicator> = by_kpi
                    .get(&kpi.to_uppercase())
                    .map(|list| list.iter().copied().filter(|i| unit_of(i).as_deref() == Some(unit)).collect())
                    .unwrap_or_default();
                for value in &entry.values {
                    let gender = value.gender.trim();
                    let place = SkipPlace::Kolada {
                        page: (files.len() > 1).then(|| (file.name.clone(), page + 1)),
                        value: format!("{kpi} · {unit} · {} · {gender}", entry.period.shown()),
                    };
                    if indicators.is_empty() {
                        builder.skip(place, SkipReason::NoIndicatorWithKoladaId { kpi: format!("{kpi} ({unit})") });
                        continue;
                    }
                    let (Some(year), Some(number)) = (entry.period.year(), value.value) else {
                        builder.skip(place, if entry.period.year().is_none() { SkipReason::PeriodNotAYear { period: entry.period.shown() } } else { SkipReason::ValueMissing });
                        continue;
                    };
                    let series_kind = match gender {
                        "T" => SeriesKind::Total,
                        "K" => SeriesKind::Women,
                        "M" => SeriesKind::Men,
                        _ => {
                            builder.skip(place, SkipReason::UnknownGender { gender: gender.to_owned() });
                            continue;
                        }
                    };
                    if let Some(error) = indicators.iter().find_map(|i| check_value(number, &i.unit).err()) {
                        builder.skip(place, SkipReason::OutOfRange(error));
                        continue;
                    }
                    for indicator in &indicators {
                        let name = own_series_name(indicator, series_kind);
                        builder.propose(indicator, &name, series_kind, ValueKind::Outcome, year, number);
                    }
                }
                continue;
            }
            let municipality = entry.municipality.as_deref().unwrap_or("");
            let label = |gender: &str| SkipPlace::Kolada {
                page: (files.len() > 1).then(|| (file.name.clone(), page + 1)),
                value: format!("{} · {municipality} · {} · {gender}", entry.kpi, entry.period.shown()),
            };
            let kpi = entry.kpi.trim();
            let indicators: &[&crate::model::Indicator] =
                by_kpi.get(&kpi.to_uppercase()).map_or(&[], Vec::as_slice);
            let comparison = options.comparisons.iter().find(|(code, _)| code == municipality);
            let is_own = own.as_deref() == Some(municipality);
            for value in &entry.values {
                let gender = value.gender.trim();
                if indicators.is_empty() {
                    builder.skip(label(gender), SkipReason::NoIndicatorWithKoladaId { kpi: kpi.to_owned() });
                    continue;
                }
                let Some(year) = entry.period.year() else {
                    builder.skip(label(gender), SkipReason::PeriodNotAYear { period: entry.period.shown() });
                    continue;
                };
                let Some(number) = value.value else {
                    builder.skip(label(gender), SkipReason::ValueMissing);
                    continue;
                };
                let series_kind = match gender {
                    "T" => SeriesKind::Total,
                    "K" => SeriesKind::Women,
                    "M" => SeriesKind::Men,
                    _ => {
                        builder.skip(label(gender), SkipReason::UnknownGender { gender: gender.to_owned() });
                        continue;
                    }
                };
                if comparison.is_some() && series_kind != SeriesKind::Total {
                    builder.skip(label(gender), SkipReason::ComparisonTotalsOnly);
                    continue;
                }
                // The rule typing and `check` use: a value outside its indicator's unit (1e308
                // for a percentage) is skipped – for every indicator carrying the id alike.
                if (comparison.is_some() || is_own)
                    && let Some(error) = indicators.iter().find_map(|i| check_value(number, &i.unit).err())
                {
                    builder.skip(label(gender), SkipReason::OutOfRange(error));
                    continue;
                }
                if let Some((_, series_name)) = comparison {
                    for indicator in indicators {
                        builder.propose(indicator, series_name, SeriesKind::Comparison, ValueKind::Outcome, year, number);
                    }
                } else if is_own {
                    // An indicator of a unit takes the unit's values, not the municipality's.
                    for indicator in indicators.iter().filter(|i| unit_of(i).is_none()) {
                        let name = own_series_name(indicator, series_kind);
                        builder.propose(indicator, &name, series_kind, ValueKind::Outcome, year, number);
                    }
                } else {
                    let reason =
                        SkipReason::OtherMunicipality { municipality: municipality.to_owned(), own: own.clone() };
                    builder.skip(label(gender), reason);
                }
            }
        }
    }
    Ok(builder.finish())
}

/// The indicator's own series of that kind, or the usual name for a new one.
fn own_series_name(indicator: &crate::model::Indicator, kind: SeriesKind) -> String {
    indicator
        .series
        .iter()
        .find(|s| s.kind == kind)
        .map(|s| s.name.clone())
        .unwrap_or_else(|| {
            match kind {
                SeriesKind::Women => "Kvinnor",
                SeriesKind::Men => "Män",
                _ => "Totalt",
            }
            .to_owned()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_file_names_line_and_column() {
        let error = parse(b"{\"values\": [\n  {\"kpi\": \"N1\",, }]}", "data.json").unwrap_err();
        assert!(error.to_string().starts_with("data.json:2:"), "{error}");
        let error = parse(b"{\"count\": 0}", "tom.json").unwrap_err();
        assert!(matches!(error, KoladaError::NoValues { .. }));
    }

    #[test]
    fn skip_reasons_and_places_read_in_english() {
        let mut plan = crate::examples::default_plan();
        plan.indicators[0].kolada = Some("N00914".into());
        let page = |n: u32| {
            let json = format!(
                r#"{{"values":[{{"kpi":"N00914","municipality":"0484","period":2023,"values":[
                    {{"gender":"T","value":{n}}},{{"gender":"K","value":null}},{{"gender":"X","value":1}}]}},
                  {{"kpi":"N99999","municipality":"0484","period":2023,"values":[{{"gender":"T","value":1}}]}},
                  {{"kpi":"N00914","municipality":"0000","period":2023,"values":[{{"gender":"M","value":1}}]}}]}}"#
            );
            parse(json.as_bytes(), &format!("page{n}.json")).unwrap()
        };
        let preview = preview(&plan, &[page(1), page(2)], &KoladaOptions::default()).unwrap();
        let lines = |lang| -> Vec<String> {
            preview.skipped.iter().map(|s| format!("{}: {}", s.what_in(lang), s.reason_in(lang))).collect()
        };
        let english = lines(crate::i18n::Lang::English);
        for expected in [
            "page1.json (page 1): N00914 · 0484 · 2023 · K: the value is missing (null)",
            "page2.json (page 2): N00914 · 0484 · 2023 · X: unknown gender \"X\" (T, K or M)",
            "page1.json (page 1): N99999 · 0484 · 2023 · T: no indicator has Kolada id N99999",
            "page1.json (page 1): N00914 · 0000 · 2023 · M: comparisons are imported for the total (T)",
        ] {
            assert!(english.contains(&expected.to_owned()), "{expected}\n{english:#?}");
        }
        let swedish: Vec<String> = preview.skipped.iter().map(|s| format!("{}: {}", s.what, s.reason)).collect();
        assert_eq!(lines(crate::i18n::Lang::Swedish), swedish);
        assert!(swedish.contains(&"page1.json (sida 1): N00914 · 0484 · 2023 · K: värdet saknas (null)".to_owned()));
        let other = SkipReason::OtherMunicipality { municipality: "0480".into(), own: Some("0484".into()) };
        assert_eq!(
            other.text_in(crate::i18n::Lang::English),
            "0480 is neither your municipality (0484) nor a chosen comparison"
        );
    }

    #[test]
    fn period_as_number_or_text() {
        let file = parse(br#"{"values":[{"kpi":"N1","municipality":"0484","period":"2021","values":[]}]}"#, "a").unwrap();
        assert_eq!(file.entries[0].period.year(), Some(2021));
        assert_eq!(Period::Text("2021-03".into()).year(), None);
    }
}

/// What "Hämta från Kolada" asks for: every KPI of the plan's indicators, the own municipality
/// and the comparisons, and the years – the plan's and every year an indicator with a KPI
/// already has a value for (a baseline year before the plan, say).
#[derive(Debug, Clone, PartialEq)]
pub struct FetchRequest {
    pub kpis: Vec<String>,
    pub municipalities: Vec<String>,
    pub years: Vec<i32>,
    /// KPIs of indicators of an organisational unit, and the units (`oudata`).
    pub unit_kpis: Vec<String>,
    pub units: Vec<String>,
}

/// The request for `plan`, or why there is none (in Swedish, saying what to do).
pub fn fetch_request(plan: &Plan) -> Result<FetchRequest, String> {
    let settings = &plan.kolada;
    let Some(own) = settings.municipality.clone().filter(|m| !m.trim().is_empty()) else {
        return Err("välj planens kommun först (Kolada → Kommun och jämförelser…)".to_owned());
    };
    let with_kpi: Vec<&crate::model::Indicator> = plan.indicators.iter().filter(|i| i.kolada.as_deref().is_some_and(|k| !k.trim().is_empty())).collect();
    if with_kpi.is_empty() {
        return Err("ingen indikator har ett Kolada-id (sök ett i indikatorns redigering)".to_owned());
    }
    let kpis: BTreeSet<String> = with_kpi.iter().filter_map(|i| i.kolada.as_deref()).map(|k| k.trim().to_uppercase()).collect();
    let mut municipalities = vec![own];
    for code in settings.options().comparisons.into_iter().map(|(code, _)| code) {
        if !municipalities.contains(&code) {
            municipalities.push(code);
        }
    }
    let (first, last) = (plan.meta.first_year.min(plan.meta.last_year), plan.meta.last_year.max(plan.meta.first_year));
    let mut years: BTreeSet<i32> = (first..=last.min(first + 60)).collect();
    for series in with_kpi.iter().flat_map(|i| &i.series) {
        years.extend(series.baseline.iter().map(|(y, _)| *y));
        years.extend(series.outcomes.iter().map(|(y, _)| *y));
    }
    years.retain(|y| (1900..=2200).contains(y));
    let with_unit: Vec<&&crate::model::Indicator> = with_kpi.iter().filter(|i| i.kolada_unit.as_deref().is_some_and(|u| !u.trim().is_empty())).collect();
    let unit_kpis: BTreeSet<String> = with_unit.iter().filter_map(|i| i.kolada.as_deref()).map(|k| k.trim().to_uppercase()).collect();
    let units: BTreeSet<String> = with_unit.iter().filter_map(|i| i.kolada_unit.as_deref()).map(|u| u.trim().to_owned()).collect();
    Ok(FetchRequest {
        kpis: kpis.into_iter().collect(),
        municipalities,
        years: years.into_iter().collect(),
        unit_kpis: unit_kpis.into_iter().collect(),
        units: units.into_iter().collect(),
    })
}

#[cfg(test)]
mod fetch_tests {
    use super::*;

    #[test]
    fn the_request_takes_every_kpi_the_municipality_its_comparisons_and_the_years() {
        let text = include_str!("../../assets/examples/eskilstuna-2016-2019.ron");
        let mut plan = crate::storage::parse_str(text, "x.ron").unwrap();
        assert!(fetch_request(&plan).unwrap_err().contains("välj planens kommun"));
        plan.kolada.municipality = Some("0484".into());
        assert!(fetch_request(&plan).unwrap_err().contains("ingen indikator har ett Kolada-id"));
        plan.indicators[0].kolada = Some("n00914".into());
        plan.indicators[1].kolada = Some("N00914".into());
        plan.indicators[2].kolada = Some("N11102".into());
        plan.kolada.comparisons = vec![crate::model::KoladaComparison { code: "0486".into(), name: "Strängnäs".into() }];
        let request = fetch_request(&plan).unwrap();
        assert_eq!(request.kpis, vec!["N00914".to_owned(), "N11102".to_owned()], "each KPI once, as Kolada writes it");
        assert_eq!(request.municipalities, vec!["0484".to_owned(), "0486".to_owned()]);
        // The plan's years 2016–2019 and the 2014 baselines.
        assert!(request.years.contains(&2014) && request.years.contains(&2016) && request.years.contains(&2019), "{:?}", request.years);
        // Without comparisons set, Riket.
        plan.kolada.comparisons.clear();
        assert_eq!(fetch_request(&plan).unwrap().municipalities, vec!["0484".to_owned(), "0000".to_owned()]);
    }
}
