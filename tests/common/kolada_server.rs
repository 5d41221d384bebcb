//! A fake Kolada API (v2) on 127.0.0.1 for tests and benchmarks: nothing reaches the internet.
//! It serves the documented shapes – `/v2/kpi` (a small catalogue of real KPI ids and titles),
//! `/v2/municipality`, `/v2/data/kpi/{ids}/municipality/{ids}/year/{years}` with values made up
//! deterministically ([`value`]) – pages by `next_page` beyond its `per_page`, and can be told to
//! answer with a status, slowly, or with malformed JSON. It records every URL asked for.
//! Started by [`KoladaServer::start`], stopped when dropped. Usable from any test or bench by
//! `#[path = "../tests/common/kolada_server.rs"] mod kolada_server;`.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// How the server answers.
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    Normal,
    /// Every request answered with this status.
    Status(u16),
    /// Every answer after this delay.
    Slow(Duration),
    /// Every answer is broken JSON.
    Malformed,
}

struct State {
    mode: Mode,
    urls: Vec<String>,
    /// The most entries a page holds (the client asks for 5 000; this caps it).
    per_page: usize,
}

pub struct KoladaServer {
    /// The API's base: `http://127.0.0.1:PORT/v2`.
    pub url: String,
    address: std::net::SocketAddr,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// The catalogue: id, title, divided by gender.
pub const KPIS: [(&str, &str, bool); 12] = [
    ("N00914", "Invånare 16-64 år som är arbetslösa eller i program med aktivitetsstöd, andel (%)", true),
    ("N00945", "Invånare 0-19 år i ekonomiskt utsatta hushåll, andel (%)", true),
    ("N03923", "Invånare 16-24 år som är arbetslösa eller i program med aktivitetsstöd, andel (%)", true),
    ("N11102", "Förvärvsarbetande invånare 20-64 år, andel (%)", true),
    ("N15428", "Elever i år 9 som uppnått kunskapskraven i alla ämnen, andel (%)", true),
    ("N15419", "Elever i åk. 9 som är behöriga till yrkesprogram, andel (%)", true),
    ("N17473", "Gymnasieelever med examen inom 4 år, andel (%)", true),
    ("N00002", "Invånare totalt, antal", false),
    ("N00005", "Skattesats till kommun (%)", false),
    ("N07403", "Nöjd Region-Index - Helhet", false),
    ("N21812", "Medborgarnas bedömning av kommunens verksamheter, index", false),
    ("U00405", "Sjukfrånvaro bland kommunalt anställda, andel (%)", true),
];

/// The municipalities and groups: id, title, type.
pub const MUNICIPALITIES: [(&str, &str, &str); 6] = [
    ("0000", "Riket", "L"),
    ("0484", "Eskilstuna", "K"),
    ("0486", "Strängnäs", "K"),
    ("1980", "Västerås", "K"),
    ("1882", "Askersund", "K"),
    ("G33831", "Större städer och kommuner nära större stad", "G"),
];

/// Organisational units: id, title, municipality.
pub const UNITS: [(&str, &str, &str); 3] = [
    ("V15E048400101", "Skiftinge skola", "0484"),
    ("V15E048400102", "Årby skola", "0484"),
    ("V15E048600101", "Paulinskolan", "0486"),
];

/// The value the server gives for a KPI, municipality, year and gender (T, K, M); `None` for
/// the nulls Kolada has (women, years divisible by 7).
pub fn value(kpi: &str, municipality: &str, year: i32, gender: &str) -> Option<f64> {
    if gender == "K" && year % 7 == 0 {
        return None;
    }
    let mut hash: u64 = 1469598103934665603;
    for byte in kpi.bytes().chain(municipality.bytes()).chain(year.to_string().bytes()).chain(gender.bytes()) {
        hash = (hash ^ u64::from(byte)).wrapping_mul(1099511628211);
    }
    Some((hash % 900) as f64 / 10.0 + 1.0)
}

/// Nice 19 for the calling thread (Linux; elsewhere nothing).
fn lowest_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: changes only the calling thread's nice value.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t, 19);
    }
}

impl KoladaServer {
    /// A server on a free port of 127.0.0.1, paging at `per_page` entries.
    pub fn start_with_page(per_page: usize) -> Self {
        Self::start_with(per_page, false)
    }

    /// A server standing in for one on another machine, for measuring the app's frames: its
    /// threads run at the lowest priority (nice 19), so making up the answers takes only the
    /// processor time the app leaves idle – a real Kolada takes none of the planner's.
    pub fn start_elsewhere() -> Self {
        Self::start_with(5_000, true)
    }

    fn start_with(per_page: usize, elsewhere: bool) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port on 127.0.0.1");
        let address = listener.local_addr().unwrap();
        let url = format!("http://{address}/v2");
        let state = Arc::new(Mutex::new(State { mode: Mode::Normal, urls: Vec::new(), per_page }));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (state, stop, base) = (Arc::clone(&state), Arc::clone(&stop), url.clone());
            std::thread::spawn(move || {
                if elsewhere {
                    lowest_priority();
                }
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (state, base) = (Arc::clone(&state), base.clone());
                    std::thread::spawn(move || {
                        if elsewhere {
                            lowest_priority();
                        }
                        serve(stream, &state, &base)
                    });
                }
            })
        };
        Self { url, address, state, stop, thread: Some(thread) }
    }

    pub fn start() -> Self {
        Self::start_with_page(5_000)
    }

    /// The same server as API v3: the base ends in `/v3`, and every value carries v3's
    /// `isdeleted` field.
    pub fn start_v3() -> Self {
        let mut server = Self::start();
        server.url = server.url.replace("/v2", "/v3");
        server
    }

    pub fn set_mode(&self, mode: Mode) {
        self.state.lock().unwrap().mode = mode;
    }

    /// Every URL asked for, path and query.
    pub fn urls(&self) -> Vec<String> {
        self.state.lock().unwrap().urls.clone()
    }

    pub fn requests(&self) -> usize {
        self.state.lock().unwrap().urls.len()
    }
}

impl Drop for KoladaServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.address);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(stream: TcpStream, state: &Mutex<State>, base: &str) {
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => break,
            Ok(_) if header.trim().is_empty() => break,
            Ok(_) => {}
        }
    }
    let target = request_line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let (mode, per_page) = {
        let mut state = state.lock().unwrap();
        state.urls.push(target.clone());
        (state.mode.clone(), state.per_page)
    };
    let (status, body) = match mode {
        Mode::Status(code) => (code, format!("{{\"error\": \"status {code}\"}}")),
        Mode::Malformed => (200, "{\"values\": [{\"kpi\": \"N009".to_owned()),
        Mode::Slow(delay) => {
            std::thread::sleep(delay);
            route(&target, per_page, base)
        }
        Mode::Normal => route(&target, per_page, base),
    };
    let reason = if status == 200 { "OK" } else { "Error" };
    let head = format!("HTTP/1.1 {status} {reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
    let mut stream = stream;
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body.as_bytes());
    let _ = stream.flush();
}

/// The query's `name` parameter.
fn query_param(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|pair| pair.split_once('=').filter(|(k, _)| *k == name).map(|(_, v)| v.to_owned()))
}

/// A page of `items` (JSON texts) by `page` and `per_page`, with `next_page` when more follow.
fn paged(items: Vec<String>, path: &str, query: &str, per_page_cap: usize, base: &str) -> String {
    let per_page = query_param(query, "per_page").and_then(|p| p.parse::<usize>().ok()).unwrap_or(5_000).min(per_page_cap).max(1);
    let page = query_param(query, "page").and_then(|p| p.parse::<usize>().ok()).unwrap_or(1).max(1);
    let start = (page - 1) * per_page;
    let slice: Vec<&String> = items.iter().skip(start).take(per_page).collect();
    let next = (start + per_page < items.len()).then(|| {
        let root = base.trim_end_matches("/v2");
        format!("\"next_page\": \"{root}{path}?per_page={per_page}&page={}\", ", page + 1)
    });
    let values: Vec<&str> = slice.iter().map(|s| s.as_str()).collect();
    format!("{{\"count\": {}, {}\"values\": [{}]}}", values.len(), next.unwrap_or_default(), values.join(", "))
}

fn route(target: &str, per_page: usize, base: &str) -> (u16, String) {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let v3 = path.starts_with("/v3/");
    let v2_path = if v3 { path.replacen("/v3/", "/v2/", 1) } else { path.to_owned() };
    let parts: Vec<&str> = v2_path.trim_matches('/').split('/').collect();
    // v3's values carry `isdeleted`; otherwise the shapes are v2's.
    let deleted = if v3 { ", \"isdeleted\": false" } else { "" };
    match parts.as_slice() {
        ["v2", "kpi"] => {
            let items = KPIS
                .iter()
                .map(|(id, title, divided)| {
                    format!(
                        "{{\"id\": \"{id}\", \"title\": \"{title}\", \"description\": \"Beskrivning av {id}.\", \"is_divided_by_gender\": {}, \"has_ou_data\": false, \"municipality_type\": \"K\"}}",
                        u8::from(*divided)
                    )
                })
                .collect();
            (200, paged(items, path, query, per_page, base))
        }
        ["v2", "municipality"] => {
            let items = MUNICIPALITIES.iter().map(|(id, title, kind)| format!("{{\"id\": \"{id}\", \"title\": \"{title}\", \"type\": \"{kind}\"}}")).collect();
            (200, paged(items, path, query, per_page, base))
        }
        ["v2", "data", "kpi", kpis, "municipality", municipalities, "year", years] => {
            let mut items = Vec::new();
            for kpi in kpis.split(',') {
                let divided = KPIS.iter().find(|(id, ..)| *id == kpi).is_none_or(|(_, _, d)| *d);
                for municipality in municipalities.split(',') {
                    for year in years.split(',').filter_map(|y| y.parse::<i32>().ok()) {
                        let genders: &[&str] = if divided { &["T", "K", "M"] } else { &["T"] };
                        let values: Vec<String> = genders
                            .iter()
                            .map(|g| match value(kpi, municipality, year, g) {
                                Some(v) => format!("{{\"gender\": \"{g}\", \"count\": 1, \"status\": \"\", \"value\": {v}{deleted}}}"),
                                None => format!("{{\"gender\": \"{g}\", \"count\": 0, \"status\": \"Saknas\", \"value\": null{deleted}}}"),
                            })
                            .collect();
                        items.push(format!("{{\"kpi\": \"{kpi}\", \"municipality\": \"{municipality}\", \"period\": {year}, \"values\": [{}]}}", values.join(", ")));
                    }
                }
            }
            (200, paged(items, path, query, per_page, base))
        }
        ["v2", "ou"] => {
            let municipality = query_param(query, "municipality").unwrap_or_default();
            let items = UNITS
                .iter()
                .filter(|(_, _, m)| *m == municipality)
                .map(|(id, title, m)| format!("{{\"id\": \"{id}\", \"title\": \"{title}\", \"municipality\": \"{m}\"}}"))
                .collect();
            (200, paged(items, path, query, per_page, base))
        }
        ["v2", "oudata", "kpi", kpis, "ou", units, "year", years] => {
            let mut items = Vec::new();
            for kpi in kpis.split(',') {
                for unit in units.split(',') {
                    for year in years.split(',').filter_map(|y| y.parse::<i32>().ok()) {
                        let values: Vec<String> = ["T", "K", "M"]
                            .iter()
                            .filter_map(|g| value(kpi, unit, year, g).map(|v| format!("{{\"gender\": \"{g}\", \"count\": 1, \"value\": {v}}}")))
                            .collect();
                        items.push(format!("{{\"kpi\": \"{kpi}\", \"ou\": \"{unit}\", \"period\": {year}, \"values\": [{}]}}", values.join(", ")));
                    }
                }
            }
            (200, paged(items, path, query, per_page, base))
        }
        _ => (404, "{\"error\": \"not found\"}".to_owned()),
    }
}
