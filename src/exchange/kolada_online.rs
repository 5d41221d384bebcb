//! Kolada online: the plan's KPIs fetched from Kolada's API (v2), KPIs found by words, the
//! municipalities listed – offline first. Every answer is cached on disk with the date it was
//! fetched; when Kolada cannot be reached (no network, a timeout, a server error) the cached
//! answer is used and [`Source`] says so. Answers go through the same guarded reader as
//! saved files ([`super::kolada::parse`]) and the same preview.
//!
//! HTTP is `ureq` 3 (kept, small, blocking – this runs on a worker): rustls TLS, gzip, connect
//! and overall timeouts, and the system's proxy settings (`HTTPS_PROXY`, `HTTP_PROXY`,
//! `NO_PROXY`), which its default configuration reads.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::kolada::KoladaFile;

/// Kolada's own API.
pub const DEFAULT_BASE_URL: &str = "https://api.kolada.se/v2";
/// URLs are kept at most this long: well under the 2 048 characters servers and proxies
/// commonly accept, so a request of many KPIs is split instead of refused.
pub const MAX_URL_LEN: usize = 1_800;
/// Kolada's largest page.
pub const PER_PAGE: usize = 5_000;
/// No answer is read beyond this: a hostile or broken server cannot exhaust memory.
pub const MAX_ANSWER_BYTES: u64 = 64 * 1024 * 1024;
/// A catalogue of more pages than this is a broken server's loop, not Kolada's.
const MAX_PAGES: usize = 10_000;

/// The base URL: `MALPLAN_KOLADA_URL` when set, else the plan's setting, else Kolada's own.
pub fn base_url(setting: Option<&str>) -> String {
    std::env::var("MALPLAN_KOLADA_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .or_else(|| setting.map(str::to_owned).filter(|s| !s.trim().is_empty()))
        .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned())
        .trim_end_matches('/')
        .to_owned()
}

/// Where answers are cached: `$XDG_CACHE_HOME/malplan/kolada`, `~/.cache/malplan/kolada`, or
/// on Windows `%LOCALAPPDATA%\malplan\kolada`.
pub fn default_cache_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("LOCALAPPDATA").map(PathBuf::from))
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("malplan").join("kolada"))
}

/// Where the answers came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Online,
    /// From the cache: the oldest saved answer used (ISO date) and why Kolada was not asked.
    Cache { saved: String, reason: String },
}

impl Source {
    /// "Kolada svarar inte – visar sparade värden från 20 nov" (None when online).
    pub fn notice(&self) -> Option<String> {
        match self {
            Source::Online => None,
            Source::Cache { saved, .. } => Some(format!("Kolada svarar inte – visar sparade värden från {}", short_date(saved))),
        }
    }

    fn combine(self, other: Source) -> Source {
        match (self, other) {
            (Source::Online, other) | (other, Source::Online) => other,
            (Source::Cache { saved: a, reason }, Source::Cache { saved: b, .. }) => Source::Cache { saved: a.min(b), reason },
        }
    }
}

/// "2026-11-20" → "20 nov".
fn short_date(iso: &str) -> String {
    let mut parts = iso.split('-');
    let (_, month, day) = (parts.next(), parts.next().and_then(|m| m.parse::<u8>().ok()), parts.next().and_then(|d| d.parse::<u8>().ok()));
    match (month, day) {
        (Some(month), Some(day)) => format!("{day} {}", crate::economy::month_short(month, crate::i18n::Lang::Swedish)),
        _ => iso.to_owned(),
    }
}

/// Why nothing could be fetched.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OnlineError {
    #[error("Kolada svarar inte och inget sparat svar finns ({reason})")]
    NoAnswer { reason: String },
    #[error("Kolada svarade {code} på {url}")]
    Status { code: u16, url: String },
    #[error("Kolada gav ett svar som inte går att läsa ({url}): {reason}")]
    BadAnswer { url: String, reason: String },
    #[error("avbrutet")]
    Cancelled,
}

/// The data fetched.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub files: Vec<KoladaFile>,
    pub requests: usize,
    pub source: Source,
}

/// A KPI of Kolada's catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct Kpi {
    pub id: String,
    pub title: String,
    pub description: String,
    pub divided_by_gender: bool,
    pub has_ou_data: bool,
    pub municipality_type: String,
    /// The unit as the title names it: "andel (%)" → "%", "antal" → "antal", "kr/inv" …
    pub unit: Option<String>,
}

/// A municipality, region or group.
#[derive(Debug, Clone, PartialEq)]
pub struct Municipality {
    pub id: String,
    pub title: String,
    /// "K" municipality, "L" region, "G" group.
    pub kind: String,
}

#[derive(Deserialize)]
struct KpiEntry {
    id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    is_divided_by_gender: serde_json::Value,
    #[serde(default)]
    has_ou_data: serde_json::Value,
    #[serde(default)]
    municipality_type: Option<String>,
}

#[derive(Deserialize)]
struct MunicipalityEntry {
    id: String,
    #[serde(default)]
    title: String,
    #[serde(default, rename = "type")]
    kind: Option<String>,
}

/// Kolada writes flags as 0/1 or true/false.
fn flag(value: &serde_json::Value) -> bool {
    value.as_bool().unwrap_or_else(|| value.as_i64().is_some_and(|v| v != 0))
}

/// The unit a title names, the way Kolada writes them.
fn unit_of(title: &str) -> Option<String> {
    let lower = title.to_lowercase();
    if lower.contains("(%)") || lower.contains("andel") && lower.contains('%') {
        Some("%".into())
    } else if lower.contains("kr/inv") {
        Some("kr/inv".into())
    } else if lower.contains("(kr)") || lower.ends_with(", kr") {
        Some("kr".into())
    } else if lower.contains("antal") {
        Some("antal".into())
    } else if lower.contains("(dagar)") || lower.contains(", dagar") {
        Some("dagar".into())
    } else {
        None
    }
}

/// A cached answer on disk.
#[derive(Serialize, Deserialize)]
struct Cached {
    url: String,
    /// ISO date of the fetch.
    fetched: String,
    body: String,
}

/// Kolada's API, with a cache.
pub struct KoladaClient {
    base_url: String,
    cache_dir: Option<PathBuf>,
    agent: ureq::Agent,
}

impl KoladaClient {
    pub fn new(base_url: &str, cache_dir: Option<PathBuf>) -> Self {
        Self::with_timeout(base_url, cache_dir, Duration::from_secs(20))
    }

    pub fn with_timeout(base_url: &str, cache_dir: Option<PathBuf>, timeout: Duration) -> Self {
        // The default configuration reads the proxy from the environment.
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .timeout_connect(Some(timeout.min(Duration::from_secs(10))))
            .http_status_as_error(false)
            .build();
        Self { base_url: base_url.trim_end_matches('/').to_owned(), cache_dir, agent: config.into() }
    }

    fn cache_path(&self, url: &str) -> Option<PathBuf> {
        // FNV-1a of the URL: a stable file name without a hashing crate.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in url.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        self.cache_dir.as_ref().map(|d| d.join(format!("{hash:016x}.json")))
    }

    fn read_cache(&self, url: &str) -> Option<Cached> {
        let path = self.cache_path(url)?;
        let bytes = crate::safe_io::read_file(&path, crate::safe_io::Limits { max_bytes: MAX_ANSWER_BYTES * 2, ..crate::safe_io::Limits::IMPORT }).ok()?;
        // A damaged cache file is as good as none.
        serde_json::from_slice::<Cached>(&bytes).ok().filter(|c| c.url == url)
    }

    fn write_cache(&self, url: &str, body: &str) {
        let Some(path) = self.cache_path(url) else { return };
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let cached = Cached { url: url.to_owned(), fetched: crate::time::today(), body: body.to_owned() };
        if let Ok(text) = serde_json::to_vec(&cached) {
            let _ = crate::storage::write_atomically(&path, &text);
        }
    }

    /// One GET: the body and where it came from. Unreachable, a timeout or a 5xx falls back
    /// to the cache; a 4xx is an error; an answer that is no JSON is an error and never cached.
    fn get(&self, url: &str) -> Result<(String, Source), OnlineError> {
        let offline = |reason: String| match self.read_cache(url) {
            Some(cached) => Ok((cached.body, Source::Cache { saved: cached.fetched, reason })),
            None => Err(OnlineError::NoAnswer { reason }),
        };
        let mut response = match self.agent.get(url).header("Accept", "application/json").call() {
            Ok(response) => response,
            Err(error) => return offline(why_unreachable(&error)),
        };
        let code = response.status().as_u16();
        if code >= 500 {
            return offline(format!("svar {code}"));
        }
        if code >= 400 {
            return Err(OnlineError::Status { code, url: url.to_owned() });
        }
        let body = match response.body_mut().with_config().limit(MAX_ANSWER_BYTES).read_to_string() {
            Ok(body) => body,
            Err(ureq::Error::Timeout(_)) => return offline("tidsgränsen passerades".into()),
            Err(error) => return Err(OnlineError::BadAnswer { url: url.to_owned(), reason: error.to_string() }),
        };
        if let Err(error) = serde_json::from_str::<serde_json::Value>(&body) {
            return Err(OnlineError::BadAnswer { url: url.to_owned(), reason: error.to_string() });
        }
        self.write_cache(url, &body);
        Ok((body, Source::Online))
    }

    /// Every page of `first`, following `next_page`.
    fn pages(&self, first: String, cancel: &AtomicBool, requests: &mut usize) -> Result<(Vec<String>, Source), OnlineError> {
        let mut bodies = Vec::new();
        let mut source = Source::Online;
        let mut next = Some(first);
        while let Some(url) = next.take() {
            if cancel.load(Ordering::Relaxed) {
                return Err(OnlineError::Cancelled);
            }
            if bodies.len() >= MAX_PAGES {
                return Err(OnlineError::BadAnswer { url, reason: format!("fler än {MAX_PAGES} sidor") });
            }
            let (body, from) = self.get(&url)?;
            *requests += 1;
            source = source.combine(from);
            next = serde_json::from_str::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v.get("next_page").and_then(|n| n.as_str()).map(str::to_owned))
                .filter(|n| !n.is_empty() && *n != url);
            bodies.push(body);
        }
        Ok((bodies, source))
    }

    /// The URLs for every `kpis` × `places` × `years`: comma-separated lists, split so no URL
    /// is longer than [`MAX_URL_LEN`].
    fn data_urls(&self, kind: &str, place: &str, kpis: &[String], places: &[String], years: &[i32]) -> Vec<String> {
        let years: Vec<String> = years.iter().map(i32::to_string).collect();
        let url = |k: &[String], p: &[String], y: &[String]| {
            format!("{}/{kind}/kpi/{}/{place}/{}/year/{}?per_page={PER_PAGE}", self.base_url, k.join(","), p.join(","), y.join(","))
        };
        // The lists in chunks: as many KPIs per URL as fit with all places and years (places
        // and years are few), else fewer places, else fewer years.
        let mut out = Vec::new();
        for year_chunk in chunks(&years, |y| url(&kpis[..1.min(kpis.len())], &places[..1.min(places.len())], y).len()) {
            for place_chunk in chunks(places, |p| url(&kpis[..1.min(kpis.len())], p, &year_chunk).len()) {
                for kpi_chunk in chunks(kpis, |k| url(k, &place_chunk, &year_chunk).len()) {
                    out.push(url(&kpi_chunk, &place_chunk, &year_chunk));
                }
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn fetch(&self, kind: &str, place: &str, kpis: &[String], places: &[String], years: &[i32], cancel: &AtomicBool, progress: &mut dyn FnMut(usize, usize)) -> Result<Fetched, OnlineError> {
        let urls = self.data_urls(kind, place, kpis, places, years);
        let mut files = Vec::new();
        let mut requests = 0;
        let mut source = Source::Online;
        for (index, url) in urls.iter().enumerate() {
            let (bodies, from) = self.pages(url.clone(), cancel, &mut requests)?;
            source = source.combine(from);
            for (page, body) in bodies.iter().enumerate() {
                let name = format!("{url} (sida {})", page + 1);
                let file = super::kolada::parse(body.as_bytes(), &name).map_err(|e| OnlineError::BadAnswer { url: url.clone(), reason: e.to_string() })?;
                files.push(file);
            }
            progress(index + 1, urls.len());
        }
        Ok(Fetched { files, requests, source })
    }

    /// Data for every KPI × municipality × year, in as few requests as the API allows
    /// (comma-separated ids, URLs split at [`MAX_URL_LEN`], pages followed). `cancel` is
    /// checked before every request; `progress(done, planned)` after each planned URL.
    pub fn fetch_data(&self, kpis: &[String], municipalities: &[String], years: &[i32], cancel: &AtomicBool, progress: &mut dyn FnMut(usize, usize)) -> Result<Fetched, OnlineError> {
        self.fetch("data", "municipality", kpis, municipalities, years, cancel, progress)
    }

    /// The same for organisational units (`oudata`, e.g. a school): unit ids instead of
    /// municipalities.
    pub fn fetch_ou_data(&self, kpis: &[String], units: &[String], years: &[i32], cancel: &AtomicBool, progress: &mut dyn FnMut(usize, usize)) -> Result<Fetched, OnlineError> {
        self.fetch("oudata", "ou", kpis, units, years, cancel, progress)
    }

    /// Everything a [`super::kolada::FetchRequest`] asks for: the municipalities' data and, for
    /// indicators of a unit, the units' – in one result.
    pub fn fetch_request(&self, request: &super::kolada::FetchRequest, cancel: &AtomicBool, progress: &mut dyn FnMut(usize, usize)) -> Result<Fetched, OnlineError> {
        let mut fetched = self.fetch_data(&request.kpis, &request.municipalities, &request.years, cancel, progress)?;
        if !request.units.is_empty() {
            let units = self.fetch_ou_data(&request.unit_kpis, &request.units, &request.years, cancel, progress)?;
            fetched.files.extend(units.files);
            fetched.requests += units.requests;
            fetched.source = fetched.source.combine(units.source);
        }
        Ok(fetched)
    }

    /// The organisational units of a municipality (`/ou?municipality=…`), online or cached.
    pub fn units(&self, municipality: &str) -> Result<(Vec<Municipality>, Source), OnlineError> {
        let never = AtomicBool::new(false);
        let (bodies, source) = self.pages(format!("{}/ou?municipality={municipality}&per_page={PER_PAGE}", self.base_url), &never, &mut 0)?;
        let mut out = Vec::new();
        for body in bodies {
            let page: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
            let entries: Vec<MunicipalityEntry> = serde_json::from_value(page.get("values").cloned().unwrap_or_default())
                .map_err(|e| OnlineError::BadAnswer { url: format!("{}/ou", self.base_url), reason: e.to_string() })?;
            out.extend(entries.into_iter().map(|m| Municipality { id: m.id, title: m.title, kind: "OU".to_owned() }));
        }
        Ok((out, source))
    }

    /// Kolada's whole KPI catalogue (all pages), online or from the cache.
    pub fn catalogue(&self) -> Result<(Vec<Kpi>, Source), OnlineError> {
        let never = AtomicBool::new(false);
        let (bodies, source) = self.pages(format!("{}/kpi?per_page={PER_PAGE}", self.base_url), &never, &mut 0)?;
        let mut kpis = Vec::new();
        for body in bodies {
            let page: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
            let values = page.get("values").cloned().unwrap_or_default();
            let entries: Vec<KpiEntry> = serde_json::from_value(values).map_err(|e| OnlineError::BadAnswer { url: format!("{}/kpi", self.base_url), reason: e.to_string() })?;
            kpis.extend(entries.into_iter().map(|e| Kpi {
                unit: unit_of(&e.title),
                id: e.id,
                title: e.title,
                description: e.description.unwrap_or_default(),
                divided_by_gender: flag(&e.is_divided_by_gender),
                has_ou_data: flag(&e.has_ou_data),
                municipality_type: e.municipality_type.unwrap_or_default(),
            }));
        }
        Ok((kpis, source))
    }

    /// KPIs whose id, title or description holds every word (case-insensitive), title matches
    /// first, at most `limit`. Offline, from the cached catalogue.
    pub fn search_kpis(&self, words: &str, limit: usize) -> Result<(Vec<Kpi>, Source), OnlineError> {
        let (catalogue, source) = self.catalogue()?;
        Ok((search(&catalogue, words, limit), source))
    }

    /// Every municipality, region and group, online or from the cache.
    pub fn municipalities(&self) -> Result<(Vec<Municipality>, Source), OnlineError> {
        let never = AtomicBool::new(false);
        let (bodies, source) = self.pages(format!("{}/municipality?per_page={PER_PAGE}", self.base_url), &never, &mut 0)?;
        let mut out = Vec::new();
        for body in bodies {
            let page: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
            let entries: Vec<MunicipalityEntry> = serde_json::from_value(page.get("values").cloned().unwrap_or_default())
                .map_err(|e| OnlineError::BadAnswer { url: format!("{}/municipality", self.base_url), reason: e.to_string() })?;
            out.extend(entries.into_iter().map(|m| Municipality { id: m.id, title: m.title, kind: m.kind.unwrap_or_default() }));
        }
        Ok((out, source))
    }
}

/// Why Kolada could not be reached, in a planner's words (the technical cause after a colon).
fn why_unreachable(error: &ureq::Error) -> String {
    let plain = match error {
        ureq::Error::HostNotFound => "ingen nätverksanslutning, eller adressen finns inte",
        ureq::Error::Timeout(_) => "svaret dröjde för länge",
        ureq::Error::ConnectionFailed => "anslutningen misslyckades",
        ureq::Error::ConnectProxyFailed(_) | ureq::Error::InvalidProxyUrl => "proxyn svarar inte (se HTTPS_PROXY)",
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => "servern tar inte emot anslutningar",
        ureq::Error::Io(io) if io.to_string().contains("lookup address") => "ingen nätverksanslutning, eller adressen finns inte",
        _ => "nätverksfel",
    };
    format!("{plain}: {error}")
}

/// Splits `items` into runs whose URL (`len_of` a run) stays within [`MAX_URL_LEN`]; a single
/// item is always a run of its own.
fn chunks(items: &[String], len_of: impl Fn(&[String]) -> usize) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for item in items {
        current.push(item.clone());
        if current.len() > 1 && len_of(&current) > MAX_URL_LEN {
            let last = current.pop().expect("pushed");
            out.push(std::mem::take(&mut current));
            current.push(last);
        }
    }
    if !current.is_empty() || out.is_empty() {
        out.push(current);
    }
    out
}

/// The catalogue's KPIs matching every word; those with all words in the title first.
pub fn search(catalogue: &[Kpi], words: &str, limit: usize) -> Vec<Kpi> {
    let words: Vec<String> = words.to_lowercase().split_whitespace().map(str::to_owned).collect();
    if words.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<(u8, &Kpi)> = catalogue
        .iter()
        .filter_map(|kpi| {
            let title = format!("{} {}", kpi.id.to_lowercase(), kpi.title.to_lowercase());
            let all = format!("{title} {}", kpi.description.to_lowercase());
            if words.iter().all(|w| title.contains(w)) {
                Some((0, kpi))
            } else if words.iter().all(|w| all.contains(w)) {
                Some((1, kpi))
            } else {
                None
            }
        })
        .collect();
    hits.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.title.len().cmp(&b.1.title.len())));
    hits.into_iter().take(limit).map(|(_, k)| k.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_split_to_stay_short_and_cover_every_combination() {
        let client = KoladaClient::new("http://127.0.0.1:9/v2", None);
        let kpis: Vec<String> = (0..600).map(|i| format!("N{:05}", 10_000 + i)).collect();
        let places: Vec<String> = ["0484", "0000", "0486"].map(str::to_owned).to_vec();
        let years: Vec<i32> = (2005..2025).collect();
        let urls = client.data_urls("data", "municipality", &kpis, &places, &years);
        assert!(urls.iter().all(|u| u.len() <= MAX_URL_LEN), "{:?}", urls.iter().map(String::len).max());
        // 600 ids of 6 characters and a comma do not fit one URL: ~230 per URL.
        assert!((2..=4).contains(&urls.len()), "{}", urls.len());
        let covered: usize = urls.iter().map(|u| u.split("/kpi/").nth(1).unwrap().split('/').next().unwrap().split(',').count()).sum();
        assert_eq!(covered, 600, "every KPI once");
        assert!(urls[0].contains("/municipality/0484,0000,0486/year/2005,2006,"), "{}", urls[0]);
    }

    #[test]
    fn search_finds_by_every_word_title_first() {
        let kpi = |id: &str, title: &str, description: &str| Kpi {
            id: id.into(),
            title: title.into(),
            description: description.into(),
            divided_by_gender: false,
            has_ou_data: false,
            municipality_type: "K".into(),
            unit: unit_of(title),
        };
        let catalogue = vec![
            kpi("N00914", "Invånare 16-64 år som är arbetslösa eller i program med aktivitetsstöd, andel (%)", ""),
            kpi("N03923", "Arbetslöshet 16-24 år, andel (%)", ""),
            kpi("N00001", "Kostnad för äldreomsorg, kr/inv", "Arbetslösa räknas inte"),
        ];
        let found = search(&catalogue, "arbetslösa 16-64", 10);
        assert_eq!(found.iter().map(|k| k.id.as_str()).collect::<Vec<_>>(), vec!["N00914"]);
        assert_eq!(search(&catalogue, "ARBETSLÖS", 10).len(), 3, "case-insensitive, description too");
        assert_eq!(search(&catalogue, "arbetslös", 10)[2].id, "N00001", "description hits after title hits");
        assert_eq!(found[0].unit.as_deref(), Some("%"));
        assert_eq!(unit_of("Kostnad för äldreomsorg, kr/inv").as_deref(), Some("kr/inv"));
        assert!(search(&catalogue, "  ", 10).is_empty());
    }

    #[test]
    fn the_notice_says_from_when() {
        let source = Source::Cache { saved: "2026-11-20".into(), reason: "x".into() };
        assert_eq!(source.notice().unwrap(), "Kolada svarar inte – visar sparade värden från 20 nov");
        assert_eq!(Source::Online.notice(), None);
        assert_eq!(Source::Online.combine(source.clone()), source);
    }
}
