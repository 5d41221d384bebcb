//! Kolada online against a fake Kolada on 127.0.0.1 (`common/kolada_server.rs`): data in as
//! few requests as the API allows with paging, KPI search, and offline first – the cache when
//! Kolada is down, slow or failing, said so; errors for 4xx and broken answers, never a panic.

use std::sync::atomic::AtomicBool;
use std::time::Duration;

use malplan::exchange::kolada_online::{KoladaClient, OnlineError, Source};

#[path = "common/kolada_server.rs"]
mod kolada_server;
use kolada_server::{KoladaServer, Mode, value};

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn no_cancel() -> AtomicBool {
    AtomicBool::new(false)
}

#[test]
fn data_comes_in_few_requests_page_by_page_and_every_value_once() {
    let server = KoladaServer::start_with_page(7);
    let cache = tempfile::tempdir().unwrap();
    let client = KoladaClient::new(&server.url, Some(cache.path().to_path_buf()));
    let kpis = strings(&["N00914", "N11102", "N00002"]);
    let places = strings(&["0484", "0000"]);
    let years: Vec<i32> = (2018..2023).collect();
    let mut progress = Vec::new();
    let fetched = client.fetch_data(&kpis, &places, &years, &no_cancel(), &mut |done, planned| progress.push((done, planned))).unwrap();
    // 3 × 2 × 5 = 30 entries in one URL, pages of 7: 5 requests.
    assert_eq!(fetched.requests, 5);
    assert_eq!(server.requests(), 5);
    assert_eq!(progress, vec![(1, 1)]);
    assert_eq!(fetched.source, Source::Online);
    let entries: Vec<_> = fetched.files.iter().flat_map(|f| &f.entries).collect();
    assert_eq!(entries.len(), 30, "every combination exactly once");
    let mut seen = std::collections::HashSet::new();
    for entry in &entries {
        let municipality = entry.municipality.clone().unwrap();
        let year = match &entry.period {
            malplan::exchange::kolada::Period::Year(y) => *y as i32,
            other => panic!("{other:?}"),
        };
        assert!(seen.insert((entry.kpi.clone(), municipality.clone(), year)));
        let total = entry.values.iter().find(|v| v.gender == "T").unwrap();
        assert_eq!(total.value, value(&entry.kpi, &municipality, year, "T"));
    }
    assert!(server.urls()[0].starts_with("/v2/data/kpi/N00914,N11102,N00002/municipality/0484,0000/year/2018,2019,2020,2021,2022"), "{:?}", server.urls());
}

#[test]
fn many_kpis_are_split_into_short_urls() {
    let server = KoladaServer::start();
    let client = KoladaClient::new(&server.url, None);
    let kpis: Vec<String> = (0..600).map(|i| format!("N{:05}", 20_000 + i)).collect();
    let places = strings(&["0484", "0000", "0486"]);
    let years: Vec<i32> = (2005..2025).collect();
    let fetched = client.fetch_data(&kpis, &places, &years, &no_cancel(), &mut |_, _| {}).unwrap();
    let urls = server.urls();
    assert!(urls.iter().all(|u| u.len() + server.url.len() <= malplan::exchange::kolada_online::MAX_URL_LEN + 20), "{:?}", urls.iter().map(String::len).max());
    // 600 × 3 × 20 = 36 000 entries: a few URLs, each paged by 5 000.
    let entries: usize = fetched.files.iter().map(|f| f.entries.len()).sum();
    assert_eq!(entries, 36_000);
    assert!(fetched.requests <= 12, "{} requests", fetched.requests);
}

#[test]
fn offline_the_cache_answers_and_says_from_when() {
    let cache = tempfile::tempdir().unwrap();
    let kpis = strings(&["N00914"]);
    let places = strings(&["0484"]);
    let years = [2021, 2022];
    let first = {
        let server = KoladaServer::start();
        let client = KoladaClient::new(&server.url, Some(cache.path().to_path_buf()));
        let fetched = client.fetch_data(&kpis, &places, &years, &no_cancel(), &mut |_, _| {}).unwrap();
        // A server error: the cached answer, said so.
        server.set_mode(Mode::Status(500));
        let again = client.fetch_data(&kpis, &places, &years, &no_cancel(), &mut |_, _| {}).unwrap();
        assert!(matches!(again.source, Source::Cache { .. }), "{:?}", again.source);
        assert_eq!(again.files[0].entries, fetched.files[0].entries);
        // Too slow: the cache too.
        server.set_mode(Mode::Slow(Duration::from_millis(1500)));
        let slow = KoladaClient::with_timeout(&server.url, Some(cache.path().to_path_buf()), Duration::from_millis(300));
        let from_cache = slow.fetch_data(&kpis, &places, &years, &no_cancel(), &mut |_, _| {}).unwrap();
        assert!(matches!(from_cache.source, Source::Cache { .. }));
        (server.url.clone(), fetched)
    };
    // The server gone entirely: the same answer from the cache, and the notice.
    let client = KoladaClient::new(&first.0, Some(cache.path().to_path_buf()));
    let offline = client.fetch_data(&kpis, &places, &years, &no_cancel(), &mut |_, _| {}).unwrap();
    assert_eq!(offline.files[0].entries, first.1.files[0].entries);
    let notice = offline.source.notice().unwrap();
    assert!(notice.starts_with("Kolada svarar inte – visar sparade värden från "), "{notice}");
    // Nothing cached for other years: no answer, said plainly.
    let none = client.fetch_data(&kpis, &places, &[2010], &no_cancel(), &mut |_, _| {}).unwrap_err();
    assert!(matches!(none, OnlineError::NoAnswer { .. }), "{none}");
    assert!(none.to_string().starts_with("Kolada svarar inte och inget sparat svar finns"), "{none}");
    // Said in a planner's words first, the technical cause after.
    assert!(["servern tar inte emot anslutningar", "anslutningen misslyckades"].iter().any(|w| none.to_string().contains(w)), "{none}");
}

#[test]
fn bad_answers_are_errors_and_never_cached() {
    let server = KoladaServer::start();
    let cache = tempfile::tempdir().unwrap();
    let client = KoladaClient::new(&server.url, Some(cache.path().to_path_buf()));
    let (kpis, places) = (strings(&["N00914"]), strings(&["0484"]));
    server.set_mode(Mode::Status(404));
    match client.fetch_data(&kpis, &places, &[2022], &no_cancel(), &mut |_, _| {}) {
        Err(OnlineError::Status { code: 404, url }) => assert!(url.contains("/v2/data/kpi/N00914")),
        other => panic!("{other:?}"),
    }
    server.set_mode(Mode::Status(400));
    assert!(matches!(client.fetch_data(&kpis, &places, &[2022], &no_cancel(), &mut |_, _| {}), Err(OnlineError::Status { code: 400, .. })));
    server.set_mode(Mode::Malformed);
    assert!(matches!(client.fetch_data(&kpis, &places, &[2022], &no_cancel(), &mut |_, _| {}), Err(OnlineError::BadAnswer { .. })));
    // Nothing was cached: with the server failing, no answer.
    server.set_mode(Mode::Status(503));
    assert!(matches!(client.fetch_data(&kpis, &places, &[2022], &no_cancel(), &mut |_, _| {}), Err(OnlineError::NoAnswer { .. })));
    assert_eq!(std::fs::read_dir(cache.path()).map(|d| d.count()).unwrap_or(0), 0);
}

#[test]
fn a_cancelled_fetch_stops_before_asking() {
    let server = KoladaServer::start();
    let client = KoladaClient::new(&server.url, None);
    let cancel = AtomicBool::new(true);
    let result = client.fetch_data(&strings(&["N00914"]), &strings(&["0484"]), &[2022], &cancel, &mut |_, _| {});
    assert!(matches!(result, Err(OnlineError::Cancelled)));
    assert_eq!(server.requests(), 0);
}

#[test]
fn kpis_are_found_by_words_online_and_from_the_cached_catalogue() {
    let cache = tempfile::tempdir().unwrap();
    let url = {
        let server = KoladaServer::start_with_page(5);
        let client = KoladaClient::new(&server.url, Some(cache.path().to_path_buf()));
        let (found, source) = client.search_kpis("arbetslösa 16-64", 10).unwrap();
        assert_eq!(source, Source::Online);
        assert_eq!(found[0].id, "N00914");
        assert!(found[0].divided_by_gender);
        assert_eq!(found[0].unit.as_deref(), Some("%"));
        // The catalogue of 12 in pages of 5.
        assert_eq!(server.requests(), 3);
        let (municipalities, _) = client.municipalities().unwrap();
        assert!(municipalities.iter().any(|m| m.id == "0484" && m.title == "Eskilstuna" && m.kind == "K"));
        server.url.clone()
    };
    let client = KoladaClient::new(&url, Some(cache.path().to_path_buf()));
    let (found, source) = client.search_kpis("ELEVER behöriga", 10).unwrap();
    assert_eq!(found.iter().map(|k| k.id.as_str()).collect::<Vec<_>>(), vec!["N15419"]);
    assert!(source.notice().is_some(), "offline, and said so");
    let (municipalities, _) = client.municipalities().unwrap();
    assert_eq!(municipalities.len(), 6);
}

fn malplan(args: &[&str], url: &str, cache: &std::path::Path) -> (i32, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_malplan"))
        .args(args)
        .env("MALPLAN_KOLADA_URL", url)
        .env("MALPLAN_KOLADA_CACHE", cache)
        .output()
        .unwrap();
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    (output.status.code().unwrap_or(-1), text)
}

/// The command line: set the municipality, find a KPI, fetch (dry run, then for real), and
/// offline the same fetch from the cache, said so on the first line.
#[test]
fn the_command_line_fetches_from_kolada_and_offline_from_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let plan_path = dir.path().join("plan.ron");
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/eskilstuna-2016-2019.ron");
    let mut plan = malplan::storage::load(&sample).unwrap();
    // Unemployment 16-64 (indicator 322 in the sample) gets its KPI.
    plan.indicators.iter_mut().find(|i| i.id.0 == 322).unwrap().kolada = Some("N00914".into());
    malplan::storage::save(&plan, &plan_path).unwrap();
    let plan_arg = plan_path.to_str().unwrap();
    let url;
    {
        let server = KoladaServer::start();
        url = server.url.clone();
        let (code, out) = malplan(&["kolada", "fetch", plan_arg, "--dry-run"], &url, &cache);
        assert_ne!(code, 0);
        assert!(out.contains("välj planens kommun först"), "{out}");
        let (code, out) = malplan(&["kolada", "municipality", plan_arg, "Eskilstuna", "--compare", "0000=Riket"], &url, &cache);
        assert_eq!(code, 0, "{out}");
        let (code, out) = malplan(&["kolada", "search", "arbetslösa", "16-64"], &url, &cache);
        assert_eq!(code, 0, "{out}");
        assert!(out.starts_with("N00914\tInvånare 16-64 år som är arbetslösa"), "{out}");
        let (code, out) = malplan(&["kolada", "fetch", plan_arg, "--dry-run"], &url, &cache);
        assert_eq!(code, 0, "{out}");
        assert!(out.starts_with("Kolada: 1 anrop, 1 KPI × 2 kommuner"), "{out}");
        let (code, out) = malplan(&["kolada", "fetch", plan_arg], &url, &cache);
        assert_eq!(code, 0, "{out}");
    }
    let saved = malplan::storage::load(&plan_path).unwrap();
    let indicator = saved.indicators.iter().find(|i| i.id.0 == 322).unwrap();
    let total = indicator.series.iter().find(|s| s.kind == malplan::model::SeriesKind::Total).unwrap();
    assert_eq!(total.outcome(2016), value("N00914", "0484", 2016, "T"), "the server's value, saved");
    // The server gone: the same fetch from the cache, said first.
    let (code, out) = malplan(&["kolada", "fetch", plan_arg, "--dry-run"], &url, &cache);
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("Kolada svarar inte – visar sparade värden från "), "{out}");
    assert!(out.contains("0 nya värden, 0 ändrade"), "already imported: {out}");
}

/// An indicator of an organisational unit (a school) takes the unit's values (`oudata`); one
/// with the same KPI for the municipality keeps the municipality's; comparisons go to both.
#[test]
fn a_units_indicator_takes_the_units_values() {
    let server = KoladaServer::start();
    let client = KoladaClient::new(&server.url, None);
    let (units, _) = client.units("0484").unwrap();
    assert_eq!(units.iter().map(|u| u.title.as_str()).collect::<Vec<_>>(), vec!["Skiftinge skola", "Årby skola"]);

    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/eskilstuna-2016-2019.ron");
    let mut plan = malplan::storage::load(&sample).unwrap();
    plan.kolada.municipality = Some("0484".into());
    let (school, municipal) = (plan.indicators[0].id, plan.indicators[1].id);
    for indicator in plan.indicators.iter_mut() {
        if indicator.id == school {
            indicator.kolada = Some("N15428".into());
            indicator.kolada_unit = Some("V15E048400101".into());
        } else if indicator.id == municipal {
            indicator.kolada = Some("N15428".into());
        }
    }
    let request = malplan::exchange::kolada::fetch_request(&plan).unwrap();
    assert_eq!((request.unit_kpis.clone(), request.units.clone()), (strings(&["N15428"]), strings(&["V15E048400101"])));
    let fetched = client.fetch_request(&request, &no_cancel(), &mut |_, _| {}).unwrap();
    assert!(server.urls().iter().any(|u| u.starts_with("/v2/oudata/kpi/N15428/ou/V15E048400101/year/")), "{:?}", server.urls());
    let preview = malplan::exchange::kolada::preview(&plan, &fetched.files, &plan.kolada.options()).unwrap();
    let year = plan.meta.first_year;
    let total_of = |id| {
        preview
            .changes
            .iter()
            .find(|c| c.indicator == id && c.series_kind == malplan::model::SeriesKind::Total && c.year == year && c.kind == malplan::exchange::ValueKind::Outcome)
            .map(|c| c.new)
    };
    assert_eq!(total_of(school), value("N15428", "V15E048400101", year, "T"), "the school's value");
    assert_eq!(total_of(municipal), value("N15428", "0484", year, "T"), "the municipality's value");
    let riket = |id| preview.changes.iter().any(|c| c.indicator == id && c.series == "Riket" && c.year == year);
    assert!(riket(school) && riket(municipal), "the comparison goes to both");
}

/// API v3 (where it differs: `isdeleted` on every value) reads as v2 does.
#[test]
fn version_3_answers_read_the_same() {
    let server = KoladaServer::start_v3();
    assert!(server.url.ends_with("/v3"));
    let client = KoladaClient::new(&server.url, None);
    let fetched = client.fetch_data(&strings(&["N00914"]), &strings(&["0484"]), &[2020, 2021], &no_cancel(), &mut |_, _| {}).unwrap();
    assert!(server.urls()[0].starts_with("/v3/data/kpi/N00914/municipality/0484/year/2020,2021"), "{:?}", server.urls());
    let entries: Vec<_> = fetched.files.iter().flat_map(|f| &f.entries).collect();
    assert_eq!(entries.len(), 2);
    let women = entries[0].values.iter().find(|v| v.gender == "K").unwrap();
    assert_eq!(women.value, value("N00914", "0484", 2020, "K"));
}
