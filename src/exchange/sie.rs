//! Reads SIE files – the Swedish accounting export, "SIE typ 1–4", the classic text format – to
//! import a board's outcome to date (*utfall t.o.m. månad*) per account range.
//!
//! Our own small parser, not the `sie4` crate (0.1.1): that one reads only `#SIETYP 4`, has no
//! `#PSALDO`, fails on unknown labels (the spec says to ignore them), reports a bare "parse
//! error" without line or column, and holds amounts as decimals where we need exact öre. Codepage
//! 437 (`#FORMAT PC8`) is the 128-entry table below rather than a crate: it has not changed since
//! 1981. Amounts are integers in öre, checked for overflow; every error has line and column.
//!
//! Follows *SIE filformat, utgåva 4B* (SIE-Gruppen, 2008-09-30); section numbers cite it.
//! Character set: PC8 (codepage 437) when `#FORMAT PC8` or no `#FORMAT` is given (§5.8); a file
//! that starts with a UTF-8 byte order mark is read as UTF-8 instead, whatever `#FORMAT` says (the
//! mark cannot begin a PC8 file, and some programs write UTF-8 so); any other `#FORMAT` is refused.
//! Signs are SIE's: debit positive, credit negative, so income (3xxx) is negative.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::RangeInclusive;

/// Amounts in öre (1/100 krona), exact integers – never floats.
pub type Ore = i64;

/// The largest file [`parse`] reads; the caller may check the file's size before reading it.
pub const MAX_SIE_BYTES: usize = 64 * 1024 * 1024;

/// A calendar date as in the file: (year, month, day).
pub type SieDate = (i32, u8, u8);

/// What a SIE file holds that the follow-up needs; other posts are read past.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SieFile {
    /// `#FNAMN`, the company's (here: the board's) name; empty when missing.
    pub company: String,
    /// `#SIETYP`; by §`#SIETYP` a file without it may be taken as type 1.
    pub sie_type: Option<u8>,
    /// `#RAR`: the fiscal years the file's year numbers (0, -1, …) refer to.
    pub years: Vec<FiscalYear>,
    /// `#KONTO`: account number → name.
    pub accounts: BTreeMap<u32, String>,
    /// `#PSALDO`, with and without an object.
    pub period_balances: Vec<PeriodBalance>,
    /// `#RES`: a result account's balance for a fiscal year.
    pub results: Vec<YearResult>,
    /// `#TRANS` inside `#VER` blocks.
    pub transactions: Vec<Transaction>,
    /// `#OMFATTN`: the date the file's balances run through, e.g. the last closed month.
    pub covers_through: Option<SieDate>,
    /// `#PSALDO` posts with more than one object (the spec allows one); left out of
    /// `period_balances` as no mapping can tell which object they belong to.
    pub multi_object_balances_skipped: usize,
}

/// A `#RAR` post: fiscal year `index` (0 = current, -1 = previous …) runs `start` to `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FiscalYear {
    /// 0 for the current year, -1 for the one before, and so on.
    pub index: i32,
    /// First day, (year, month, day).
    pub start: SieDate,
    /// Last day, (year, month, day).
    pub end: SieDate,
}

/// A `#PSALDO` post: the account's movement in one calendar month (§`#PSALDO` 1: "periodens
/// förändring"), for the whole account or for one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodBalance {
    /// The fiscal year number (0, -1, …) of the post.
    pub year_index: i32,
    /// The calendar year of the period (YYYYMM).
    pub year: i32,
    /// The calendar month of the period, 1–12.
    pub month: u8,
    /// The account number.
    pub account: u32,
    /// `None` for the whole account (`{}`), else (dimension, object), e.g. (1, "100").
    pub object: Option<(u32, String)>,
    /// The movement in öre, SIE sign (debit positive).
    pub amount: Ore,
}

/// A `#RES` post: a result account's balance for a fiscal year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearResult {
    /// The fiscal year number (0, -1, …).
    pub year_index: i32,
    /// The account number.
    pub account: u32,
    /// The balance in öre, SIE sign (debit positive).
    pub amount: Ore,
}

/// A `#TRANS` row of a voucher (`#VER`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    /// The row's own date (transdat) when given, else the voucher's date (§`#TRANS` 2).
    pub date: SieDate,
    /// The account number.
    pub account: u32,
    /// The first (dimension, object) of the row's object list; all of them are in `objects`.
    pub object: Option<(u32, String)>,
    /// Every (dimension, object) of the row's object list, in the file's order.
    pub objects: Vec<(u32, String)>,
    /// The amount in öre, SIE sign (debit positive).
    pub amount: Ore,
}

/// Why a file could not be read; `line` and `column` count from 1, and are 0 when the error
/// concerns the whole file (empty, too large).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SieError {
    /// The line, from 1; 0 for the whole file.
    pub line: usize,
    /// The column in characters, from 1; 0 for the whole file.
    pub column: usize,
    /// What is wrong, in Swedish, for a planner.
    pub message: String,
}

impl SieError {
    fn at(line: usize, column: usize, message: impl Into<String>) -> SieError {
        SieError { line, column, message: message.into() }
    }

    fn whole_file(message: impl Into<String>) -> SieError {
        SieError { line: 0, column: 0, message: message.into() }
    }
}

impl fmt::Display for SieError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            f.write_str(&self.message)
        } else {
            write!(f, "rad {}, kolumn {}: {}", self.line, self.column, self.message)
        }
    }
}

impl std::error::Error for SieError {}

/// Which accounts (and optionally which object in a dimension, e.g. cost centre) a row of the
/// follow-up takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountMapping {
    /// The accounts, both ends included.
    pub accounts: RangeInclusive<u32>,
    /// `None` for the accounts as a whole, else (dimension, object), e.g. (1, "100").
    pub object: Option<(u32, String)>,
}

impl SieFile {
    /// Sum for the calendar year `year` from month 1 through `through_month` over the mapping, in
    /// öre, SIE sign (debit +).
    ///
    /// Uses `#PSALDO` when the file has any for that year of the mapping's kind – posts without
    /// object when `mapping.object` is `None`, posts in the mapping's dimension otherwise – and
    /// sums those for the accounts (and object); else sums `#TRANS` by date. `None` when the file
    /// has neither for that year. For balance accounts the sum is the change since 1 January, not
    /// the balance. A sum beyond ±92 biljarder kronor (i64 öre) saturates; no ledger comes near.
    pub fn outcome_to_date(&self, mapping: &AccountMapping, year: i32, through_month: u8) -> Option<Ore> {
        let in_months = |month: u8| (1..=through_month).contains(&month);
        // A cost centre the file never books on is more likely a mistyped mapping than a
        // department without costs: "unknown", not 0.
        if let Some(wanted) = &mapping.object
            && !self.period_balances.iter().any(|b| b.object.as_ref() == Some(wanted))
            && !self.transactions.iter().any(|t| t.objects.contains(wanted))
        {
            return None;
        }
        // A type 2 file has no object balances: asking it for a cost centre must not answer 0.
        let usable = |b: &PeriodBalance| match (&mapping.object, &b.object) {
            (None, None) => true,
            (Some((dimension, _)), Some((d, _))) => dimension == d,
            _ => false,
        };
        if self.period_balances.iter().any(|b| b.year == year && usable(b)) {
            let sum = self
                .period_balances
                .iter()
                .filter(|b| b.year == year && in_months(b.month) && mapping.accounts.contains(&b.account))
                .filter(|b| b.object == mapping.object)
                .map(|b| i128::from(b.amount))
                .sum::<i128>();
            return Some(saturate(sum));
        }
        if self.transactions.iter().any(|t| t.date.0 == year) {
            let sum = self
                .transactions
                .iter()
                .filter(|t| t.date.0 == year && in_months(t.date.1) && mapping.accounts.contains(&t.account))
                .filter(|t| mapping.object.as_ref().is_none_or(|wanted| t.objects.contains(wanted)))
                .map(|t| i128::from(t.amount))
                .sum::<i128>();
            return Some(saturate(sum));
        }
        None
    }

    /// The same turned into the app's convention and unit: whole kronor, income positive and
    /// costs negative (i.e. negated), rounded half away from zero once at the end.
    pub fn outcome_to_date_kronor(&self, mapping: &AccountMapping, year: i32, through_month: u8) -> Option<i64> {
        self.outcome_to_date(mapping, year, through_month).map(|ore| saturate(-ore_to_kronor(i128::from(ore))))
    }
}

/// Öre to whole kronor, half away from zero: 150 → 2, -150 → -2, 149 → 1.
fn ore_to_kronor(ore: i128) -> i128 {
    let kronor = (ore.abs() + 50) / 100;
    if ore < 0 { -kronor } else { kronor }
}

fn saturate(value: i128) -> i64 {
    i64::try_from(value).unwrap_or(if value < 0 { i64::MIN } else { i64::MAX })
}

/// Parses "3000-3999", "4000-7999", "3010" and "3000-3999 / 1:100" (dimension 1 object 100) – the
/// planner's notation; the error is a Swedish sentence.
pub fn parse_mapping(text: &str) -> Result<AccountMapping, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("ange ett konto eller ett kontointervall, t.ex. 3000-3999 eller 3000-3999 / 1:100".to_owned());
    }
    let (accounts_text, object_text) = match text.split_once('/') {
        Some((accounts, object)) => (accounts.trim(), Some(object.trim())),
        None => (text, None),
    };
    // Word processors turn "-" into an en dash; a planner who pastes one means a range.
    let accounts_text = accounts_text.replace(['–', '—'], "-");
    let parts: Vec<&str> = accounts_text.split('-').map(str::trim).collect();
    let account = |part: &str| -> Result<u32, String> {
        if part.is_empty() {
            return Err(format!("\"{accounts_text}\" saknar ett kontonummer; skriv t.ex. 3000-3999"));
        }
        if !part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("\"{part}\" är inget kontonummer (bara siffror, t.ex. 3010)"));
        }
        part.parse::<u32>().map_err(|_| format!("kontonumret \"{part}\" är för långt"))
    };
    let accounts = match parts.as_slice() {
        [single] => {
            let number = account(single)?;
            number..=number
        }
        [first, last] => {
            let (first, last) = (account(first)?, account(last)?);
            if first > last {
                return Err(format!("intervallet {first}-{last} är baklänges; skriv {last}-{first}"));
            }
            first..=last
        }
        _ => return Err(format!("\"{accounts_text}\" ska vara ett konto eller ett intervall, t.ex. 3000-3999")),
    };
    let object = match object_text {
        None => None,
        Some(object) => {
            let Some((dimension, code)) = object.split_once(':') else {
                return Err(format!(
                    "objektet \"{object}\" ska skrivas dimension:objekt, t.ex. 1:100 för kostnadsställe 100"
                ));
            };
            let dimension = dimension.trim();
            if dimension.is_empty() || !dimension.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("dimensionen \"{dimension}\" är inget nummer (t.ex. 1 för kostnadsställe)"));
            }
            let dimension = dimension.parse::<u32>().map_err(|_| format!("dimensionen \"{dimension}\" är för lång"))?;
            let code = code.trim();
            let code = code.strip_prefix('"').and_then(|c| c.strip_suffix('"')).unwrap_or(code);
            if code.is_empty() {
                return Err(format!("objektet saknas efter \"{dimension}:\"; skriv t.ex. {dimension}:100"));
            }
            Some((dimension, code.to_owned()))
        }
    };
    Ok(AccountMapping { accounts, object })
}

/// Reads a SIE file of type 1–4 (see the module comment for the character set). Refuses files
/// larger than [`MAX_SIE_BYTES`].
pub fn parse(bytes: &[u8]) -> Result<SieFile, SieError> {
    parse_with_limit(bytes, MAX_SIE_BYTES)
}

fn parse_with_limit(bytes: &[u8], limit: usize) -> Result<SieFile, SieError> {
    if bytes.len() > limit {
        return Err(SieError::whole_file(format!(
            "filen är för stor ({}); en SIE-fil får vara högst {}",
            size_text(bytes.len()),
            size_text(limit)
        )));
    }
    // DOS programs may end a file with Ctrl-Z (0x1A), the old end-of-file mark.
    let mut end = bytes.len();
    while end > 0 && bytes[end - 1] == 0x1A {
        end -= 1;
    }
    let bytes = &bytes[..end];
    let (encoding, bytes) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (Encoding::Utf8, rest),
        None => (Encoding::Pc8, bytes),
    };
    let mut reader = Reader::new(encoding);
    for (number, line) in split_lines(bytes) {
        let text = decode_line(line, encoding, number)?;
        reader.line(number, &text)?;
    }
    reader.finish()
}

fn size_text(bytes: usize) -> String {
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB { format!("{} MiB", bytes.div_ceil(MIB)) } else { format!("{bytes} byte") }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Pc8,
    Utf8,
}

/// Lines end at LF, CR LF or a lone CR (§5.5 asks for LF; old Mac files have CR); yields
/// (line number from 1, the line without its end).
fn split_lines(bytes: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let mut rest = bytes;
    let mut number = 0;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        number += 1;
        let end = rest.iter().position(|&b| b == b'\n' || b == b'\r').unwrap_or(rest.len());
        let (line, after) = rest.split_at(end);
        rest = match after {
            [b'\r', b'\n', tail @ ..] => tail,
            [_, tail @ ..] => tail,
            [] => after,
        };
        Some((number, line))
    })
}

fn decode_line(line: &[u8], encoding: Encoding, number: usize) -> Result<Cow<'_, str>, SieError> {
    match encoding {
        Encoding::Utf8 => std::str::from_utf8(line).map(Cow::Borrowed).map_err(|e| {
            let good = line.get(..e.valid_up_to()).unwrap_or_default();
            let column = String::from_utf8_lossy(good).chars().count() + 1;
            SieError::at(number, column, "tecknet här är inte giltig UTF-8 (filen börjar med en UTF-8-markering)")
        }),
        Encoding::Pc8 => match std::str::from_utf8(line) {
            Ok(text) if line.is_ascii() => Ok(Cow::Borrowed(text)),
            _ => Ok(Cow::Owned(line.iter().map(|&b| pc8_char(b)).collect())),
        },
    }
}

fn pc8_char(byte: u8) -> char {
    if byte < 0x80 { char::from(byte) } else { CP437_HIGH[usize::from(byte & 0x7F)] }
}

/// IBM codepage 437, bytes 0x80–0xFF (the Unicode mapping of the codepage; 0x00–0x7F is ASCII).
const CP437_HIGH: [char; 128] = [
    'Ç', 'ü', 'é', 'â', 'ä', 'à', 'å', 'ç', 'ê', 'ë', 'è', 'ï', 'î', 'ì', 'Ä', 'Å', //
    'É', 'æ', 'Æ', 'ô', 'ö', 'ò', 'û', 'ù', 'ÿ', 'Ö', 'Ü', '¢', '£', '¥', '₧', 'ƒ', //
    'á', 'í', 'ó', 'ú', 'ñ', 'Ñ', 'ª', 'º', '¿', '⌐', '¬', '½', '¼', '¡', '«', '»', //
    '░', '▒', '▓', '│', '┤', '╡', '╢', '╖', '╕', '╣', '║', '╗', '╝', '╜', '╛', '┐', //
    '└', '┴', '┬', '├', '─', '┼', '╞', '╟', '╚', '╔', '╩', '╦', '╠', '═', '╬', '╧', //
    '╨', '╤', '╥', '╙', '╘', '╒', '╓', '╫', '╪', '┘', '┌', '█', '▄', '▌', '▐', '▀', //
    'α', 'ß', 'Γ', 'π', 'Σ', 'σ', 'µ', 'τ', 'Φ', 'Θ', 'Ω', 'δ', '∞', 'φ', 'ε', '∩', //
    '≡', '±', '≥', '≤', '⌠', '⌡', '÷', '≈', '°', '∙', '·', '√', 'ⁿ', '²', '■', '\u{A0}', //
];

/// Every label of SIE 4B (§11) that stands on its own; inside a `#VER` block one of these means
/// the block's `}` is missing.
const SPEC_LABELS: &[&str] = &[
    "ADRESS", "BKOD", "DIM", "ENHET", "FLAGGA", "FNAMN", "FNR", "FORMAT", "FTYP", "GEN", "IB", "KONTO", "KPTYP",
    "KPTYPER", "KSUMMA", "KTYP", "OBJEKT", "OIB", "OMFATTN", "ORGNR", "OUB", "PBUDGET", "PROGRAM", "PROSA", "PSALDO",
    "RAR", "RES", "SIETYP", "SRU", "TAXAR", "UB", "UNDERDIM", "VALUTA", "VER",
];

/// The post before the current line, which decides what a `{` line opens.
enum Previous {
    Nothing,
    Ver { line: usize, date: SieDate },
    Unknown,
    Known(String),
}

/// An open `{ … }` block.
enum Block {
    Ver {
        line: usize,
        date: SieDate,
    },
    /// Sub-posts of a label this reader does not know: skipped, braces counted (§7.1).
    Unknown {
        line: usize,
        depth: usize,
    },
}

struct Reader {
    file: SieFile,
    encoding: Encoding,
    previous: Previous,
    block: Option<Block>,
    /// The line of an opening `#KSUMMA` (no value) while its closing one is still to come.
    checksum_opened: Option<usize>,
    any_line: bool,
    any_sie_label: bool,
}

impl Reader {
    fn new(encoding: Encoding) -> Reader {
        Reader {
            file: SieFile::default(),
            encoding,
            previous: Previous::Nothing,
            block: None,
            checksum_opened: None,
            any_line: false,
            any_sie_label: false,
        }
    }

    fn line(&mut self, number: usize, text: &str) -> Result<(), SieError> {
        let content = text.trim_start_matches([' ', '\t']);
        let indent = text.len() - content.len(); // spaces and tabs are one byte each
        let content = content.trim_end_matches([' ', '\t']);
        if content.is_empty() {
            return Ok(()); // §5.6: blank lines anywhere
        }
        self.any_line = true;
        let column = indent + 1;
        if content == "{" || content == "}" {
            return self.brace(number, column, content == "{");
        }
        if let Some(Block::Unknown { .. }) = self.block {
            return Ok(());
        }
        if content.starts_with(['{', '}']) {
            return Err(SieError::at(number, column, "en klammer { eller } ska stå ensam på sin rad (§5.4)"));
        }
        let Some(after_hash) = content.strip_prefix('#') else {
            return Err(SieError::at(
                number,
                column,
                format!(
                    "raden ska börja med en etikett som #KONTO eller #TRANS, men börjar med \"{}\"",
                    preview(content)
                ),
            ));
        };
        let label = after_hash.split([' ', '\t', '{', '}', '"']).next().unwrap_or_default().to_ascii_uppercase();
        let known = SPEC_LABELS.contains(&label.as_str()) || matches!(label.as_str(), "TRANS" | "RTRANS" | "BTRANS");
        self.any_sie_label |= known;

        if let Some(Block::Ver { line: ver_line, date }) = self.block {
            return match label.as_str() {
                "TRANS" => self.transaction(number, text, date),
                // §#RTRANS 5: a reader that does not handle #RTRANS/#BTRANS ignores them; each
                // #RTRANS is followed by the same row as #TRANS, which is counted.
                "RTRANS" | "BTRANS" => Ok(()),
                _ if known => Err(SieError::at(
                    ver_line,
                    1,
                    format!(
                        "verifikationen (#VER) på den här raden saknar avslutande }} – rad {number} börjar en ny post, #{label}"
                    ),
                )),
                _ => Ok(()), // §7.1: unknown labels are ignored
            };
        }
        self.previous = if known { Previous::Known(label.clone()) } else { Previous::Unknown };
        if !known {
            return Ok(());
        }
        match label.as_str() {
            "TRANS" | "RTRANS" | "BTRANS" => Err(SieError::at(
                number,
                column,
                format!("#{label} får bara stå inom ett #VER-block, mellan {{ och }} (§#TRANS 3)"),
            )),
            "FORMAT" => {
                let fields = Fields::new(number, text)?;
                let (format, at) = fields.text(1, "teckenuppsättningen")?;
                if self.encoding == Encoding::Pc8 && !format.eq_ignore_ascii_case("PC8") {
                    return Err(SieError::at(
                        number,
                        at,
                        format!("teckenuppsättningen \"{format}\" stöds inte; SIE-filer ska vara PC8 (§5.8)"),
                    ));
                }
                Ok(())
            }
            "SIETYP" => {
                let fields = Fields::new(number, text)?;
                let (value, at) = fields.text(1, "SIE-typen")?;
                let sie_type =
                    value.parse::<u8>().ok().filter(|_| value.bytes().all(|b| b.is_ascii_digit())).ok_or_else(
                        || SieError::at(number, at, format!("SIE-typen \"{value}\" är inget nummer (1–4)")),
                    )?;
                self.file.sie_type = Some(sie_type);
                Ok(())
            }
            "FNAMN" => {
                let fields = Fields::new(number, text)?;
                self.file.company = fields.text(1, "företagsnamnet")?.0.to_owned();
                Ok(())
            }
            "RAR" => {
                let fields = Fields::new(number, text)?;
                let index = fields.year_index(1)?;
                let start = fields.date(2, "startdatum")?;
                let end = fields.date(3, "slutdatum")?;
                self.file.years.push(FiscalYear { index, start, end });
                Ok(())
            }
            "OMFATTN" => {
                let fields = Fields::new(number, text)?;
                self.file.covers_through = Some(fields.date(1, "datumet")?);
                Ok(())
            }
            "KONTO" => {
                let fields = Fields::new(number, text)?;
                let account = fields.account(1)?;
                let name = fields.optional_text(2).map_or("", |(name, _)| name);
                self.file.accounts.insert(account, name.to_owned());
                Ok(())
            }
            "PSALDO" => {
                let fields = Fields::new(number, text)?;
                let year_index = fields.year_index(1)?;
                let (year, month) = fields.period(2)?;
                let account = fields.account(3)?;
                let objects = fields.objects(4)?;
                let amount = fields.amount(5)?;
                let object = match <[(u32, String); 1]>::try_from(objects) {
                    Ok([object]) => Some(object),
                    Err(objects) if objects.is_empty() => None,
                    Err(_) => {
                        self.file.multi_object_balances_skipped += 1;
                        return Ok(());
                    }
                };
                self.file.period_balances.push(PeriodBalance { year_index, year, month, account, object, amount });
                Ok(())
            }
            "RES" => {
                let fields = Fields::new(number, text)?;
                let year_index = fields.year_index(1)?;
                let account = fields.account(2)?;
                let amount = fields.amount(3)?;
                self.file.results.push(YearResult { year_index, account, amount });
                Ok(())
            }
            "VER" => {
                let fields = Fields::new(number, text)?;
                let date = fields.date(3, "verifikationsdatum")?;
                self.previous = Previous::Ver { line: number, date };
                Ok(())
            }
            "KSUMMA" => {
                // §10.4–10.6: an opening #KSUMMA promises a closing one with the checksum; if it
                // never comes the file is cut short. (The CRC itself is not checked.)
                let has_value = content.split([' ', '\t']).filter(|s| !s.is_empty()).nth(1).is_some();
                if has_value {
                    self.checksum_opened = None;
                } else if self.checksum_opened.is_none() {
                    self.checksum_opened = Some(number);
                }
                Ok(())
            }
            _ => Ok(()), // a post of the standard this import does not need (#IB, #DIM, #PBUDGET …)
        }
    }

    fn brace(&mut self, number: usize, column: usize, open: bool) -> Result<(), SieError> {
        match (&mut self.block, open) {
            (Some(Block::Unknown { depth, .. }), true) => *depth += 1,
            (Some(Block::Unknown { depth, .. }), false) => {
                *depth = depth.saturating_sub(1);
                if *depth == 0 {
                    self.block = None;
                }
            }
            (Some(Block::Ver { line, .. }), true) => {
                return Err(SieError::at(
                    number,
                    column,
                    format!("en ny {{ inuti verifikationen som börjar på rad {line}; den saknar troligen sin }}"),
                ));
            }
            (Some(Block::Ver { .. }), false) => self.block = None,
            (None, false) => return Err(SieError::at(number, column, "} utan en föregående {")),
            (None, true) => {
                self.block = Some(match &self.previous {
                    Previous::Ver { line, date } => Block::Ver { line: *line, date: *date },
                    Previous::Unknown => Block::Unknown { line: number, depth: 1 },
                    Previous::Known(label) => {
                        return Err(SieError::at(
                            number,
                            column,
                            format!("{{ efter #{label}: bara #VER har underposter inom {{ }} (§5.4)"),
                        ));
                    }
                    Previous::Nothing => return Err(SieError::at(number, column, "{ utan en föregående post (#VER)")),
                });
            }
        }
        self.previous = Previous::Nothing;
        Ok(())
    }

    /// `#TRANS kontonr {objektlista} belopp transdat transtext kvantitet sign`.
    fn transaction(&mut self, number: usize, text: &str, ver_date: SieDate) -> Result<(), SieError> {
        let fields = Fields::new(number, text)?;
        let account = fields.account(1)?;
        let objects = fields.objects(2)?;
        let amount = fields.amount(3)?;
        let date = match fields.optional_text(4) {
            Some(("", _)) | None => ver_date,
            Some(_) => fields.date(4, "transaktionsdatum")?,
        };
        let object = objects.first().cloned();
        self.file.transactions.push(Transaction { date, account, object, objects, amount });
        Ok(())
    }

    fn finish(self) -> Result<SieFile, SieError> {
        match self.block {
            Some(Block::Ver { line, .. }) => {
                return Err(SieError::at(
                    line,
                    1,
                    "verifikationen (#VER) på den här raden saknar avslutande } – filen tar slut dessförinnan och är troligen avkortad",
                ));
            }
            Some(Block::Unknown { line, .. }) => {
                return Err(SieError::at(
                    line,
                    1,
                    "blocket { som börjar här saknar avslutande } – filen är troligen avkortad",
                ));
            }
            None => {}
        }
        if !self.any_line {
            return Err(SieError::whole_file("filen är tom"));
        }
        if let Some(line) = self.checksum_opened {
            return Err(SieError::at(
                line,
                1,
                "filen inleds med #KSUMMA men den avslutande kontrollsumman saknas – filen är troligen avkortad",
            ));
        }
        if !self.any_sie_label {
            return Err(SieError::whole_file(
                "filen innehåller inga SIE-poster (#FLAGGA, #KONTO, #PSALDO …) – är det verkligen en SIE-fil?",
            ));
        }
        Ok(self.file)
    }
}

/// The start of a line for a message, without control characters.
fn preview(text: &str) -> String {
    let mut shown: String = text.chars().take(20).map(|c| if c.is_control() { '?' } else { c }).collect();
    if text.chars().nth(20).is_some() {
        shown.push('…');
    }
    shown
}

/// A field of a post: a text (quoted or not) or an object list `{…}`; columns count from 1.
#[derive(Debug)]
enum Field {
    Text { text: String, column: usize },
    List { items: Vec<(String, usize)>, column: usize },
}

/// A post's fields (the label is field 0), split by §5.7: spaces or tabs between fields, any
/// field may be quoted, `\"` is a quote inside a quoted field, objects lists are in braces.
struct Fields {
    line: usize,
    fields: Vec<Field>,
    /// The column just after the line, where a missing field is reported.
    end_column: usize,
}

impl Fields {
    fn new(line: usize, text: &str) -> Result<Fields, SieError> {
        let chars: Vec<char> = text.chars().collect();
        let error = |index: usize, message: String| SieError::at(line, index + 1, message);
        let mut fields = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c == ' ' || c == '\t' {
                i += 1;
            } else if c == '{' {
                let start = i;
                let mut items = Vec::new();
                i += 1;
                loop {
                    while i < chars.len() && (chars[i] == ' ' || chars[i] == '\t') {
                        i += 1;
                    }
                    match chars.get(i) {
                        None => return Err(error(start, "objektlistan som börjar här saknar avslutande }".to_owned())),
                        Some('}') => {
                            i += 1;
                            break;
                        }
                        Some('{') => return Err(error(i, "en { inuti en objektlista".to_owned())),
                        Some(_) => {
                            let at = i;
                            let (item, next) = Self::word(&chars, i).map_err(|(at, m)| error(at, m))?;
                            items.push((item, at + 1));
                            i = next;
                        }
                    }
                }
                fields.push(Field::List { items, column: start + 1 });
            } else if c == '}' {
                return Err(error(i, "} utan en föregående {".to_owned()));
            } else {
                let at = i;
                let (text, next) = Self::word(&chars, i).map_err(|(at, m)| error(at, m))?;
                fields.push(Field::Text { text, column: at + 1 });
                i = next;
            }
        }
        Ok(Fields { line, fields, end_column: chars.len() + 1 })
    }

    /// A quoted or plain field from `start`; returns it and the index after it.
    fn word(chars: &[char], start: usize) -> Result<(String, usize), (usize, String)> {
        let control =
            |i: usize, c: char| (i, format!("otillåtet styrtecken (teckenkod {}) i fältet (§5.7)", u32::from(c)));
        let mut text = String::new();
        if chars.get(start) == Some(&'"') {
            let mut i = start + 1;
            loop {
                match chars.get(i) {
                    None => return Err((start, "citattecknet här avslutas aldrig".to_owned())),
                    Some('\\') if chars.get(i + 1) == Some(&'"') => {
                        text.push('"');
                        i += 2;
                    }
                    Some('"') => return Ok((text, i + 1)),
                    Some(&c) if c.is_control() && c != '\t' => return Err(control(i, c)),
                    Some(&c) => {
                        text.push(c);
                        i += 1;
                    }
                }
            }
        }
        let mut i = start;
        while let Some(&c) = chars.get(i) {
            if matches!(c, ' ' | '\t' | '{' | '}' | '"') {
                break;
            }
            if c.is_control() {
                return Err(control(i, c));
            }
            text.push(c);
            i += 1;
        }
        Ok((text, i))
    }

    fn missing(&self, what: &str) -> SieError {
        SieError::at(self.line, self.end_column, format!("{what} saknas"))
    }

    fn optional_text(&self, index: usize) -> Option<(&str, usize)> {
        match self.fields.get(index) {
            Some(Field::Text { text, column }) => Some((text.as_str(), *column)),
            _ => None,
        }
    }

    fn text(&self, index: usize, what: &str) -> Result<(&str, usize), SieError> {
        match self.fields.get(index) {
            Some(Field::Text { text, column }) => Ok((text.as_str(), *column)),
            Some(Field::List { column, .. }) => {
                Err(SieError::at(self.line, *column, format!("väntade {what} här, inte en objektlista {{ }}")))
            }
            None => Err(self.missing(what)),
        }
    }

    fn year_index(&self, index: usize) -> Result<i32, SieError> {
        let (text, column) = self.text(index, "årsnumret")?;
        parse_integer(text)
            .and_then(|n| i32::try_from(n).ok())
            .ok_or_else(|| SieError::at(self.line, column, format!("årsnumret \"{text}\" är inget heltal (0, -1 …)")))
    }

    fn account(&self, index: usize) -> Result<u32, SieError> {
        let (text, column) = self.text(index, "kontonumret")?;
        Some(text)
            .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|t| t.parse::<u32>().ok())
            .ok_or_else(|| SieError::at(self.line, column, format!("kontonumret \"{text}\" är inget kontonummer")))
    }

    fn date(&self, index: usize, what: &str) -> Result<SieDate, SieError> {
        let (text, column) = self.text(index, what)?;
        parse_date(text).ok_or_else(|| {
            SieError::at(self.line, column, format!("{what} \"{text}\" är inget giltigt datum (ÅÅÅÅMMDD, §5.10)"))
        })
    }

    fn period(&self, index: usize) -> Result<(i32, u8), SieError> {
        let (text, column) = self.text(index, "perioden")?;
        let parsed = (text.len() == 6 && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| Some((text.get(..4)?.parse::<i32>().ok()?, text.get(4..)?.parse::<u8>().ok()?)))
            .flatten()
            .filter(|(_, month)| (1..=12).contains(month));
        parsed.ok_or_else(|| {
            SieError::at(self.line, column, format!("perioden \"{text}\" är ingen giltig månad (ÅÅÅÅMM)"))
        })
    }

    fn amount(&self, index: usize) -> Result<Ore, SieError> {
        let (text, column) = self.text(index, "beloppet")?;
        parse_amount(text).map_err(|problem| {
            let message = match problem {
                AmountProblem::NotANumber => format!("beloppet \"{text}\" är inget tal"),
                AmountProblem::TooManyDecimals => {
                    format!("beloppet \"{text}\" har fler än två decimaler (ören) (§5.9)")
                }
                AmountProblem::TooLarge => format!("beloppet \"{text}\" är för stort"),
            };
            SieError::at(self.line, column, message)
        })
    }

    /// The object list at `index` as (dimension, object) pairs (§8.21).
    fn objects(&self, index: usize) -> Result<Vec<(u32, String)>, SieError> {
        let items = match self.fields.get(index) {
            Some(Field::List { items, .. }) => items,
            Some(Field::Text { column, .. }) => {
                return Err(SieError::at(self.line, *column, "objektlistan { } saknas här (skrivs {} när den är tom)"));
            }
            None => return Err(self.missing("objektlistan { }")),
        };
        if items.len() % 2 != 0 {
            let column = items.last().map_or(self.end_column, |(_, column)| *column);
            return Err(SieError::at(
                self.line,
                column,
                "objektlistan ska bestå av par av dimension och objekt, t.ex. {1 \"100\"}",
            ));
        }
        items
            .chunks_exact(2)
            .map(|pair| {
                let [(dimension, column), (object, _)] = pair else {
                    return Err(SieError::at(self.line, self.end_column, "objektlistan är ofullständig"));
                };
                let number = Some(dimension.as_str())
                    .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
                    .and_then(|d| d.parse::<u32>().ok())
                    .ok_or_else(|| {
                        SieError::at(
                            self.line,
                            *column,
                            format!("dimensionen \"{dimension}\" i objektlistan är inget nummer"),
                        )
                    })?;
                Ok((number, object.clone()))
            })
            .collect()
    }
}

/// `-?[0-9]+` as i64, None when it is not that or does not fit.
fn parse_integer(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<i64>().ok()
}

/// `ÅÅÅÅMMDD`, a real calendar date.
fn parse_date(text: &str) -> Option<SieDate> {
    if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year = text.get(..4)?.parse::<i16>().ok()?;
    let month = text.get(4..6)?.parse::<i8>().ok()?;
    let day = text.get(6..)?.parse::<i8>().ok()?;
    jiff::civil::Date::new(year, month, day).ok()?;
    Some((i32::from(year), u8::try_from(month).ok()?, u8::try_from(day).ok()?))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AmountProblem {
    NotANumber,
    TooManyDecimals,
    TooLarge,
}

/// An amount by §5.9 – `-`, digits, optionally `.` and decimals, no `+`, no thousands separator –
/// in öre. More than two decimals are accepted only when the extra ones are zeros ("10.500"),
/// which lose nothing.
fn parse_amount(text: &str) -> Result<Ore, AmountProblem> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole) || fraction.is_some_and(|f| !all_digits(f)) {
        return Err(AmountProblem::NotANumber);
    }
    let fraction = fraction.unwrap_or("");
    if fraction.bytes().skip(2).any(|b| b != b'0') {
        return Err(AmountProblem::TooManyDecimals);
    }
    let mut ore: i64 = 0;
    let fraction_digits = fraction.bytes().chain(std::iter::repeat(b'0')).take(2);
    for digit in whole.bytes().chain(fraction_digits) {
        // Accumulate negatively so that i64::MIN öre itself is representable.
        let value = i64::from(digit - b'0');
        ore = ore.checked_mul(10).and_then(|o| o.checked_sub(value)).ok_or(AmountProblem::TooLarge)?;
    }
    if negative { Ok(ore) } else { ore.checked_neg().ok_or(AmountProblem::TooLarge) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sie").join(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    fn read(name: &str) -> SieFile {
        parse(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    /// Encodes test text as PC8, as a SIE program writes it.
    fn pc8(text: &str) -> Vec<u8> {
        text.chars()
            .map(|c| match u8::try_from(u32::from(c)) {
                Ok(b) if b < 0x80 => b,
                _ => {
                    let at = CP437_HIGH.iter().position(|&h| h == c).expect("character in codepage 437");
                    0x80 + u8::try_from(at).expect("under 128")
                }
            })
            .collect()
    }

    fn mapping(text: &str) -> AccountMapping {
        parse_mapping(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn error(text: &str) -> String {
        match parse(&pc8(text)) {
            Ok(file) => panic!("expected an error, read {file:?}"),
            Err(e) => e.to_string(),
        }
    }

    const KS: &str = "ks-2022-aug.se";
    const BUN: &str = "bun-2023-jun-typ2.se";
    const TN: &str = "tn-2024-mars.si";

    #[test]
    fn reads_the_header_and_account_names_with_swedish_letters_from_pc8() {
        let bytes = fixture(KS);
        // The fixture really is PC8: "ö" is the byte 0x94, not UTF-8.
        assert!(bytes.windows(5).any(|w| w == b"L\x94ner"), "fixture is not codepage 437");
        let file = parse(&bytes).unwrap();
        assert_eq!(file.company, "Kommunstyrelsen");
        assert_eq!(file.sie_type, Some(4));
        assert_eq!(file.accounts[&5010], "Löner");
        assert_eq!(file.accounts[&5410], "Förbrukningsinventarier");
        assert_eq!(file.accounts[&5510], "Förmånsbestämd ålderspension");
        assert_eq!(file.accounts[&3490], "Övriga försäljningsintäkter");
        assert_eq!(file.accounts[&2440], "Leverantörsskulder");
        assert_eq!(file.accounts[&6420], "Konsulttjänster \"extern\"", "escaped quotes inside a quoted field");
        assert_eq!(
            file.years,
            [
                FiscalYear { index: 0, start: (2022, 1, 1), end: (2022, 12, 31) },
                FiscalYear { index: -1, start: (2021, 1, 1), end: (2021, 12, 31) },
            ]
        );
        assert_eq!(file.covers_through, Some((2022, 8, 31)));
        assert!(file.results.contains(&YearResult { year_index: 0, account: 3490, amount: -7_679_650 }));
        assert!(file.period_balances.contains(&PeriodBalance {
            year_index: 0,
            year: 2022,
            month: 2,
            account: 5410,
            object: Some((1, "200".to_owned())),
            amount: 2_345_678,
        }));
        // Each month a grant (2 rows), salaries (4) and sales (2); supplier invoices in February (3),
        // April (3), June (2) and August (3).
        assert_eq!(file.transactions.len(), 8 * (2 + 4 + 2) + (3 + 3 + 2 + 3));
        assert_eq!(read(BUN).company, "Barn- och utbildningsnämnden");
        assert_eq!(read(TN).company, "Tekniska nämnden");
    }

    // The figures of ks-2022-aug.se (make_fixtures.py), kronor per month January–August 2022:
    //   3011 Kommunbidrag        −4 500 000,00 every month
    //   3490 Övr. försäljning    −12 345,50  −8 000,00  −15 250,25  −9 100,00  −11 000,00  −7 500,75
    //                            −3 200,00  −10 400,00
    //   5010 {1 "100"}           1 300 000,00 in Jan–Jun, 650 000,00 in Jul, 1 350 000,00 in Aug
    //   5010 {1 "200"}           800 000,00 in Jan–Jun, 400 000,00 in Jul, 830 000,00 in Aug
    //   5510 {1 "100"}           95 000,00 every month
    //   5410 {1 "200"}           Feb 23 456,78  Apr 12 000,00  Jun 4 999,99  Aug 18 750,00
    //   6420 {}                  Feb 45 000,00  Apr 30 000,00  Aug 62 500,50
    //
    // Through August:
    //   3000-3999: −36 000 000,00 − 76 796,50 (12 345,50 + 8 000 + 15 250,25 + 9 100 + 11 000
    //              + 7 500,75 + 3 200 + 10 400) = −36 076 796,50
    //   4000-7999: 5010 9 800 000 + 6 030 000, 5510 760 000, 5410 59 206,77, 6420 137 500,50
    //              = 16 786 707,27
    // Through May:
    //   3000-3999: −22 500 000,00 − 55 695,75 = −22 555 695,75
    //   4000-7999: 6 500 000 + 4 000 000 + 475 000 + 35 456,78 + 75 000 = 11 085 456,78

    #[test]
    fn outcome_through_august_is_the_hand_computed_sum() {
        let file = read(KS);
        assert_eq!(file.outcome_to_date(&mapping("3000-3999"), 2022, 8), Some(-3_607_679_650));
        assert_eq!(file.outcome_to_date(&mapping("4000-7999"), 2022, 8), Some(1_678_670_727));
        assert_eq!(file.outcome_to_date(&mapping("3490"), 2022, 8), Some(-7_679_650));
        assert_eq!(file.outcome_to_date(&mapping("5010"), 2022, 8), Some(1_583_000_000));
        // Every voucher balances, so the balance accounts moved by minus the result:
        // −(−36 076 796,50 + 16 786 707,27) = 19 290 089,23.
        assert_eq!(file.outcome_to_date(&mapping("1000-2999"), 2022, 8), Some(1_929_008_923));
        assert_eq!(file.outcome_to_date(&mapping("0-9999"), 2022, 8), Some(0), "debit equals credit");
    }

    #[test]
    fn outcome_through_may_differs_from_august() {
        let file = read(KS);
        assert_eq!(file.outcome_to_date(&mapping("3000-3999"), 2022, 5), Some(-2_255_569_575));
        assert_eq!(file.outcome_to_date(&mapping("4000-7999"), 2022, 5), Some(1_108_545_678));
        assert_eq!(file.outcome_to_date(&mapping("4000-7999"), 2022, 0), Some(0), "no month yet");
        assert_eq!(
            file.outcome_to_date(&mapping("4000-7999"), 2022, 12),
            file.outcome_to_date(&mapping("4000-7999"), 2022, 8),
            "the file has nothing after August"
        );
    }

    #[test]
    fn previous_year_comes_from_its_own_period_balances() {
        let file = read(KS);
        // #PSALDO -1 2021MM 3011 {} -4 300 000,00 for 12 months: −51 600 000,00.
        assert_eq!(file.outcome_to_date(&mapping("3000-3999"), 2021, 12), Some(-5_160_000_000));
        assert_eq!(file.outcome_to_date(&mapping("5010"), 2021, 6), Some(6 * 209_000_000));
        assert_eq!(file.outcome_to_date(&mapping("3000-3999"), 2020, 12), None, "no data for 2020");
    }

    #[test]
    fn object_filter_takes_the_cost_centres_balances() {
        let file = read(KS);
        // 1:100 = 5010 9 800 000 + 5510 760 000; 1:200 = 5010 6 030 000 + 5410 59 206,77.
        assert_eq!(file.outcome_to_date(&mapping("4000-7999 / 1:100"), 2022, 8), Some(1_056_000_000));
        assert_eq!(file.outcome_to_date(&mapping("4000-7999 / 1:200"), 2022, 8), Some(608_920_677));
        // Through May, 1:100 in 5xxx: 6 500 000 + 475 000.
        assert_eq!(file.outcome_to_date(&mapping("5000-5999 / 1:100"), 2022, 5), Some(697_500_000));
        // An object the file never books on: unknown (a mistyped mapping), not 0.
        assert_eq!(file.outcome_to_date(&mapping("4000-7999 / 1:999"), 2022, 8), None, "no such object");
        // Dimension 6 (projects) has no balances in the file and no transactions carry it.
        assert_eq!(file.outcome_to_date(&mapping("4000-7999 / 6:100"), 2022, 8), None);
    }

    #[test]
    fn kronor_turn_the_sign_and_round_half_away_from_zero_once() {
        let file = read(KS);
        // −36 076 796,50 kr income → +36 076 797 (the half rounds away from zero).
        assert_eq!(file.outcome_to_date_kronor(&mapping("3000-3999"), 2022, 8), Some(36_076_797));
        // 16 786 707,27 kr costs → −16 786 707.
        assert_eq!(file.outcome_to_date_kronor(&mapping("4000-7999"), 2022, 8), Some(-16_786_707));
        // 11 085 456,78 → −11 085 457; −22 555 695,75 → 22 555 696.
        assert_eq!(file.outcome_to_date_kronor(&mapping("4000-7999"), 2022, 5), Some(-11_085_457));
        assert_eq!(file.outcome_to_date_kronor(&mapping("3000-3999"), 2022, 5), Some(22_555_696));
        assert_eq!(file.outcome_to_date_kronor(&mapping("3490"), 2022, 8), Some(76_797));
        assert_eq!(file.outcome_to_date_kronor(&mapping("3000-3999"), 2020, 8), None);
        // Rounded once at the end: three months of −0,50 are −1,50 → 2 kr, not 1 + 1 + 1.
        let halves =
            parse(b"#PSALDO 0 202201 3011 {} -0.50\n#PSALDO 0 202202 3011 {} -0.50\n#PSALDO 0 202203 3011 {} -0.5\n");
        assert_eq!(halves.unwrap().outcome_to_date_kronor(&mapping("3011"), 2022, 3), Some(2));
    }

    #[test]
    fn ore_round_half_away_from_zero() {
        assert_eq!(ore_to_kronor(150), 2);
        assert_eq!(ore_to_kronor(-150), -2);
        assert_eq!(ore_to_kronor(149), 1);
        assert_eq!(ore_to_kronor(-149), -1);
        assert_eq!(ore_to_kronor(50), 1);
        assert_eq!(ore_to_kronor(-50), -1);
        assert_eq!(ore_to_kronor(49), 0);
        assert_eq!(ore_to_kronor(0), 0);
        assert_eq!(ore_to_kronor(i128::from(i64::MIN)), -92_233_720_368_547_758);
        let extreme = SieFile {
            results: Vec::new(),
            period_balances: vec![
                PeriodBalance { year_index: 0, year: 2022, month: 1, account: 3011, object: None, amount: i64::MIN },
                PeriodBalance { year_index: 0, year: 2022, month: 2, account: 3011, object: None, amount: i64::MIN },
            ],
            ..SieFile::default()
        };
        assert_eq!(extreme.outcome_to_date(&mapping("3011"), 2022, 2), Some(i64::MIN), "saturates, no overflow");
        assert_eq!(extreme.outcome_to_date_kronor(&mapping("3011"), 2022, 2), Some(92_233_720_368_547_758));
    }

    #[test]
    fn the_transactions_of_the_fixture_give_the_same_sums_as_its_period_balances() {
        let with_balances = read(KS);
        let only_transactions = SieFile { period_balances: Vec::new(), ..with_balances.clone() };
        for text in ["3000-3999", "4000-7999", "4000-7999 / 1:100", "5000-5999 / 1:200", "1930", "6420"] {
            for month in 0..=12 {
                assert_eq!(
                    only_transactions.outcome_to_date(&mapping(text), 2022, month),
                    with_balances.outcome_to_date(&mapping(text), 2022, month),
                    "{text} through month {month}"
                );
            }
        }
        // No vouchers from 2021 in the file, and no balances left: nothing to say.
        assert_eq!(only_transactions.outcome_to_date(&mapping("3000-3999"), 2021, 12), None);
    }

    // tn-2024-mars.si (vouchers only, CR LF, tabs), kronor:
    //   A1 2024-01-15 7010 {1 "300"} 125 000,00
    //   A2 2024-01-31 5010 {1 "300" 6 "P12"} 410 000,00 (transdat 2024-01-25), 5010 {1 "310"} 95 000
    //   A3 2024-02-20 4610 {1 "300" 6 "P12"} 87 500,25
    //   B1 2024-02-29 3450 {1 "310"} −23 400,50
    //   A4 2024-04-02, rows dated 2024-03-29: 5410 {1 "300"} 12 000,00; #BTRANS 5410 11 000 (removed,
    //      ignored); #RTRANS + #TRANS 6420 {1 "310"} 3 000,00 (counted once)
    //   A5 2024-04-05 5010 {1 "300"} 415 000,00
    // Costs 4000-7999 through March: 125 000 + 410 000 + 95 000 + 87 500,25 + 12 000 + 3 000
    //   = 732 500,25; through February 717 500,25; through April + 415 000 = 1 147 500,25.

    #[test]
    fn without_period_balances_the_transactions_are_summed_by_date() {
        let file = read(TN);
        assert!(file.period_balances.is_empty());
        assert_eq!(file.outcome_to_date(&mapping("4000-7999"), 2024, 3), Some(73_250_025));
        assert_eq!(file.outcome_to_date(&mapping("4000-7999"), 2024, 2), Some(71_750_025));
        assert_eq!(file.outcome_to_date(&mapping("4000-7999"), 2024, 4), Some(114_750_025));
        assert_eq!(file.outcome_to_date(&mapping("3000-3999"), 2024, 3), Some(-2_340_050));
        assert_eq!(file.outcome_to_date_kronor(&mapping("3000-3999"), 2024, 3), Some(23_401));
        assert_eq!(file.outcome_to_date_kronor(&mapping("4000-7999"), 2024, 3), Some(-732_500));
        // Objects: 1:300 = 125 000 + 410 000 + 87 500,25 + 12 000; 6:P12 = 410 000 + 87 500,25.
        assert_eq!(file.outcome_to_date(&mapping("4000-7999 / 1:300"), 2024, 3), Some(63_450_025));
        assert_eq!(file.outcome_to_date(&mapping("4000-7999 / 6:P12"), 2024, 3), Some(49_750_025));
        assert_eq!(file.outcome_to_date(&mapping("0-9999"), 2024, 12), Some(0), "every voucher balances");
        assert_eq!(file.outcome_to_date(&mapping("4000-7999"), 2023, 12), None);
        let row = file.transactions.iter().find(|t| t.account == 4610).unwrap();
        assert_eq!(row.date, (2024, 2, 20), "an empty transdat \"\" means the voucher's date");
        assert_eq!(row.object, Some((1, "300".to_owned())));
        assert_eq!(row.objects, [(1, "300".to_owned()), (6, "P12".to_owned())]);
        let salary = file.transactions.iter().find(|t| t.amount == 41_000_000).unwrap();
        assert_eq!(salary.date, (2024, 1, 25), "transdat wins over the voucher's date");
        assert_eq!(file.transactions.iter().filter(|t| t.account == 5410).count(), 1, "#BTRANS is not a row");
        assert_eq!(file.transactions.iter().filter(|t| t.account == 6420).count(), 1, "#RTRANS is not counted twice");
    }

    // bun-2023-jun-typ2.se (SIE 2, no objects), kronor per month January–June 2023:
    //   3011 −10 250 000,00; 3510 −480 000,00 −475 500,00 −482 250,50 −479 000,00 −481 000,00
    //   −478 300,00; 4610 3 150 000,00; 5010 6 900 000,00.
    //   3000-3999 through June: −61 500 000 − 2 876 050,50 = −64 376 050,50
    //   4000-7999 through June: 18 900 000 + 41 400 000 = 60 300 000,00
    //   3510 through March: −(480 000 + 475 500 + 482 250,50) = −1 437 750,50

    #[test]
    fn a_type_2_file_gives_outcomes_from_period_balances_alone() {
        let file = read(BUN);
        assert_eq!(file.sie_type, Some(2));
        assert_eq!(file.accounts[&4610], "Köp av huvudverksamhet");
        assert!(file.transactions.is_empty());
        assert_eq!(file.outcome_to_date(&mapping("3000-3999"), 2023, 6), Some(-6_437_605_050));
        assert_eq!(file.outcome_to_date_kronor(&mapping("3000-3999"), 2023, 6), Some(64_376_051));
        assert_eq!(file.outcome_to_date(&mapping("4000-7999"), 2023, 6), Some(6_030_000_000));
        assert_eq!(file.outcome_to_date_kronor(&mapping("4000-7999"), 2023, 6), Some(-60_300_000));
        assert_eq!(file.outcome_to_date(&mapping("3510"), 2023, 3), Some(-143_775_050));
        assert_eq!(file.outcome_to_date(&mapping("3000-3999"), 2022, 12), None, "the file has no 2022 figures");
        // A type 2 file has no cost-centre balances: that is unknown, not zero.
        assert_eq!(file.outcome_to_date(&mapping("4000-7999 / 1:100"), 2023, 6), None);
    }

    #[test]
    fn unknown_labels_and_extra_fields_are_ignored() {
        let text = "#FLAGGA 0\n\
                    #FORMAT PC8\n\
                    #SIETYP 4\n\
                    #FNAMN Småstad\n\
                    #NYPOST 1 2 {3 \"4\" \"ett { för mycket\" {\n\
                    #FRAMTID \"a\"\n\
                    {\n\
                    \x20 #NÅGOT 1 \"oavslutad\n\
                    \x20 {\n\
                    \x20 #TRANS detta läses inte\n\
                    \x20 }\n\
                    }\n\
                    #IB 0 1930 inte ens ett belopp\n\
                    #PSALDO 0 202201 3011 {} -100.00 5 framtida fält \"som ignoreras\"\n\
                    #VER A 1 20220110 \"Text\" 20220111 sign framtida\n\
                    {\n\
                    \x20 #OKÄND 1 2 3\n\
                    \x20 #TRANS 3011 {} -50.00 20220110 \"text\" 1 \"sign\" framtida fält\n\
                    \x20 #TRANS 1930 {} 50.00\n\
                    }\n";
        let file = parse(&pc8(text)).unwrap();
        assert_eq!(file.company, "Småstad");
        assert_eq!(file.period_balances.len(), 1);
        assert_eq!(file.transactions.len(), 2);
        assert_eq!(file.outcome_to_date(&mapping("3011"), 2022, 1), Some(-10_000));
        // Only the transactions remain without the balances: -50,00 on 3011.
        let only_transactions = SieFile { period_balances: Vec::new(), ..file };
        assert_eq!(only_transactions.outcome_to_date(&mapping("3011"), 2022, 1), Some(-5_000));
    }

    #[test]
    fn quoted_fields_keep_spaces_and_escaped_quotes() {
        let text = "#FLAGGA 0\n\
                    #FNAMN \"Kommunstyrelsen i \\\"Småstad\\\"\"\n\
                    #KONTO 7010 Lokalhyra\n\
                    #KONTO \"6420\" \"Konsulttjänster   med tre mellanslag\"\n\
                    #KONTO 6421 \"\"\n\
                    #VER \"\" \"\" \"20220301\" \"Text med \\\"citat\\\"\"\n\
                    {\n\
                    #TRANS \"5010\" {\"1\" \"Kost ställe 1\" 6 \"P}1\"} \"100.00\"\n\
                    #TRANS 1930\t{}\t\"-100.00\"\n\
                    }\n";
        let file = parse(&pc8(text)).unwrap();
        assert_eq!(file.company, "Kommunstyrelsen i \"Småstad\"");
        assert_eq!(file.accounts[&7010], "Lokalhyra");
        assert_eq!(file.accounts[&6420], "Konsulttjänster   med tre mellanslag");
        assert_eq!(file.accounts[&6421], "");
        let row = &file.transactions[0];
        assert_eq!(row.objects, [(1, "Kost ställe 1".to_owned()), (6, "P}1".to_owned())]);
        assert_eq!((row.date, row.amount), ((2022, 3, 1), 10_000));
        let centre = mapping("5000-5999 / 1:Kost ställe 1");
        assert_eq!(file.outcome_to_date(&centre, 2022, 3), Some(10_000));
    }

    #[test]
    fn line_ends_and_byte_order_mark() {
        let lf = "#FLAGGA 0\n#KONTO 5010 \"Löner\"\n#PSALDO 0 202201 5010 {} 1.5\n";
        let crlf = lf.replace('\n', "\r\n");
        let cr = lf.replace('\n', "\r");
        let from_lf = parse(&pc8(lf)).unwrap();
        assert_eq!(from_lf.period_balances[0].amount, 150);
        assert_eq!(parse(&pc8(&crlf)).unwrap(), from_lf);
        assert_eq!(parse(&pc8(&cr)).unwrap(), from_lf);
        let mut dos = pc8(&crlf);
        dos.push(0x1A);
        assert_eq!(parse(&dos).unwrap(), from_lf, "a DOS end-of-file mark is not a line");
        // UTF-8 with a byte order mark is read as UTF-8 …
        let utf8 = [b"\xEF\xBB\xBF".as_slice(), crlf.as_bytes()].concat();
        assert_eq!(parse(&utf8).unwrap(), from_lf);
        // … and its columns count characters, not bytes ("Ö" is two bytes).
        let bad = [b"\xEF\xBB\xBF".as_slice(), "#RES 0 3011 -1.00 \n#PSALDO 0 202201 5010 {1 \"Ö\"} 1,5\n".as_bytes()]
            .concat();
        assert_eq!(parse(&bad).unwrap_err().to_string(), "rad 2, kolumn 31: beloppet \"1,5\" är inget tal");
        let bad = b"\xEF\xBB\xBF#FNAMN \"\xC3\xA5\xFF\"\n";
        assert_eq!(
            parse(bad).unwrap_err().to_string(),
            "rad 1, kolumn 10: tecknet här är inte giltig UTF-8 (filen börjar med en UTF-8-markering)"
        );
        // Without the mark, UTF-8 bytes are read as PC8, as the standard says (and garble).
        assert_eq!(parse(lf.as_bytes()).unwrap().accounts[&5010], "L├╢ner");
    }

    #[test]
    fn a_bad_amount_is_reported_with_line_and_column() {
        assert_eq!(error("#FLAGGA 0\n#RES 0 3011 12,5x\n"), "rad 2, kolumn 13: beloppet \"12,5x\" är inget tal");
        assert_eq!(
            error("#FLAGGA 0\n\n#PSALDO 0 202201 5410 {1 \"Östra\"}   1.005\n"),
            "rad 3, kolumn 37: beloppet \"1.005\" har fler än två decimaler (ören) (§5.9)"
        );
        assert_eq!(error("#RES 0 3011 +5.00\n"), "rad 1, kolumn 13: beloppet \"+5.00\" är inget tal");
        assert_eq!(error("#RES 0 3011\n"), "rad 1, kolumn 12: beloppet saknas");
        assert_eq!(
            error("#VER A 1 20220101\n{\n\t#TRANS 5010 {} .5\n}\n"),
            "rad 3, kolumn 17: beloppet \".5\" är inget tal"
        );
        // Trailing zeros beyond öre lose nothing and are accepted.
        assert_eq!(parse(b"#RES 0 3011 -10.500\n").unwrap().results[0].amount, -1050);
    }

    #[test]
    fn amounts_are_exact_and_overflow_is_an_error() {
        assert_eq!(parse_amount("0"), Ok(0));
        assert_eq!(parse_amount("-0.01"), Ok(-1));
        assert_eq!(parse_amount("12.5"), Ok(1250));
        assert_eq!(parse_amount("1243.50"), Ok(124_350));
        assert_eq!(parse_amount("92233720368547758.07"), Ok(i64::MAX));
        assert_eq!(parse_amount("-92233720368547758.08"), Ok(i64::MIN));
        assert_eq!(parse_amount("92233720368547758.08"), Err(AmountProblem::TooLarge));
        assert_eq!(parse_amount("-92233720368547758.09"), Err(AmountProblem::TooLarge));
        assert_eq!(parse_amount("100000000000000000000"), Err(AmountProblem::TooLarge));
        for bad in ["", "-", ".", "1.", ".5", "1.2.3", "1e5", "١٢", "--1", "1-", "0x10", "1,5"] {
            assert_eq!(parse_amount(bad), Err(AmountProblem::NotANumber), "{bad:?}");
        }
        assert_eq!(
            error("#FLAGGA 0\n#RES 0 3011 99999999999999999999.00\n"),
            "rad 2, kolumn 13: beloppet \"99999999999999999999.00\" är för stort"
        );
    }

    #[test]
    fn a_voucher_without_its_closing_brace_names_the_voucher_line() {
        let cut = "#FLAGGA 0\n#VER A 1 20220101 \"Lön\"\n{\n#TRANS 5010 {} 100.00\n#TRANS 1930 {} -100.00\n";
        assert_eq!(
            error(cut),
            "rad 2, kolumn 1: verifikationen (#VER) på den här raden saknar avslutande } – filen tar slut \
             dessförinnan och är troligen avkortad"
        );
        let next = "#FLAGGA 0\n#VER A 1 20220101\n{\n#TRANS 5010 {} 1\n#VER A 2 20220102\n{\n#TRANS 5010 {} 1\n}\n";
        assert_eq!(
            error(next),
            "rad 2, kolumn 1: verifikationen (#VER) på den här raden saknar avslutande } – rad 5 börjar en ny post, #VER"
        );
        assert_eq!(
            error("#FLAGGA 0\n#FRAMTID\n{\n#X\n"),
            "rad 3, kolumn 1: blocket { som börjar här saknar avslutande } – filen är troligen avkortad"
        );
        // The real fixture cut off inside its last voucher.
        let whole = fixture(KS);
        let cut = &whole[..whole.len() - 3];
        let e = parse(cut).unwrap_err();
        let last_ver = String::from_utf8_lossy(&whole)
            .lines()
            .collect::<Vec<_>>()
            .iter()
            .rposition(|l| l.starts_with("#VER"))
            .unwrap()
            + 1;
        assert_eq!((e.line, e.column), (last_ver, 1), "{e}");
    }

    #[test]
    fn structure_errors_are_clear() {
        assert_eq!(
            error("#FLAGGA 0\n#TRANS 5010 {} 1\n"),
            "rad 2, kolumn 1: #TRANS får bara stå inom ett #VER-block, mellan { och } (§#TRANS 3)"
        );
        assert_eq!(error("#FLAGGA 0\n}\n"), "rad 2, kolumn 1: } utan en föregående {");
        assert_eq!(error("{\n"), "rad 1, kolumn 1: { utan en föregående post (#VER)");
        assert_eq!(
            error("#KONTO 1 x\n{\n}\n"),
            "rad 2, kolumn 1: { efter #KONTO: bara #VER har underposter inom { } (§5.4)"
        );
        assert_eq!(
            error("#FLAGGA 0\nKONTO 1 x\n"),
            "rad 2, kolumn 1: raden ska börja med en etikett som #KONTO eller #TRANS, men börjar med \"KONTO 1 x\""
        );
        assert_eq!(
            error("#VER A 1 20220101\n{ #TRANS 1 {} 1\n}\n"),
            "rad 2, kolumn 1: en klammer { eller } ska stå ensam på sin rad (§5.4)"
        );
        assert_eq!(
            error("#VER A 1 20220230\n"),
            "rad 1, kolumn 10: verifikationsdatum \"20220230\" är inget giltigt datum (ÅÅÅÅMMDD, §5.10)"
        );
        assert_eq!(
            error("#PSALDO 0 202213 3011 {} 1\n"),
            "rad 1, kolumn 11: perioden \"202213\" är ingen giltig månad (ÅÅÅÅMM)"
        );
        assert_eq!(
            error("#PSALDO 0 202201 3011 1\n"),
            "rad 1, kolumn 23: objektlistan { } saknas här (skrivs {} när den är tom)"
        );
        assert_eq!(
            error("#PSALDO 0 202201 3011 {1} 1\n"),
            "rad 1, kolumn 24: objektlistan ska bestå av par av dimension och objekt, t.ex. {1 \"100\"}"
        );
        assert_eq!(
            error("#PSALDO 0 202201 3011 {x \"1\"} 1\n"),
            "rad 1, kolumn 24: dimensionen \"x\" i objektlistan är inget nummer"
        );
        assert_eq!(
            error("#PSALDO 0 202201 3011 {1 \"1\" 1\n"),
            "rad 1, kolumn 23: objektlistan som börjar här saknar avslutande }"
        );
        assert_eq!(error("#KONTO 30a1 x\n"), "rad 1, kolumn 8: kontonumret \"30a1\" är inget kontonummer");
        assert_eq!(error("#FNAMN \"Småstad\n"), "rad 1, kolumn 8: citattecknet här avslutas aldrig");
        assert_eq!(
            error("#FNAMN Små\x01stad\n"),
            "rad 1, kolumn 11: otillåtet styrtecken (teckenkod 1) i fältet (§5.7)"
        );
        assert_eq!(error("#RAR en 20220101 20221231\n"), "rad 1, kolumn 6: årsnumret \"en\" är inget heltal (0, -1 …)");
        assert_eq!(
            error("#FORMAT ISO8859\n"),
            "rad 1, kolumn 9: teckenuppsättningen \"ISO8859\" stöds inte; SIE-filer ska vara PC8 (§5.8)"
        );
        assert_eq!(
            error("#HEJ 1\n#HOPP 2\n"),
            "filen innehåller inga SIE-poster (#FLAGGA, #KONTO, #PSALDO …) – är det verkligen en SIE-fil?"
        );
        assert_eq!(
            error("#FLAGGA 0\n#KSUMMA\n#KONTO 1 x\n"),
            "rad 2, kolumn 1: filen inleds med #KSUMMA men den avslutande kontrollsumman saknas – filen är troligen avkortad"
        );
        assert!(parse(b"#FLAGGA 0\n#KSUMMA\n#KONTO 1 x\n#KSUMMA 1234567890\n").is_ok());
        let binary = error("PK\x03\x04\x14\x00");
        assert!(binary.starts_with("rad 1, kolumn 1: raden ska börja med en etikett"), "{binary}");
    }

    #[test]
    fn an_empty_file_is_an_error() {
        assert_eq!(parse(b"").unwrap_err().to_string(), "filen är tom");
        assert_eq!(parse(b"\r\n \n\t\n").unwrap_err().to_string(), "filen är tom");
        assert_eq!(parse(b"\xEF\xBB\xBF").unwrap_err(), SieError::whole_file("filen är tom"));
        assert_eq!(parse(b"\x1A").unwrap_err().to_string(), "filen är tom");
    }

    #[test]
    fn too_large_input_is_refused_before_parsing() {
        let bytes = fixture(BUN);
        assert!(parse_with_limit(&bytes, bytes.len()).is_ok());
        let e = parse_with_limit(&bytes, bytes.len() - 1).unwrap_err();
        assert_eq!((e.line, e.column), (0, 0));
        assert_eq!(
            e.to_string(),
            format!("filen är för stor ({} byte); en SIE-fil får vara högst {} byte", bytes.len(), bytes.len() - 1)
        );
        // Refused before it is read: garbage past the limit does not matter.
        let e = parse_with_limit(&[0xFF; 3 * 1024 * 1024], 2 * 1024 * 1024).unwrap_err();
        assert_eq!(e.to_string(), "filen är för stor (3 MiB); en SIE-fil får vara högst 2 MiB");
    }

    #[test]
    fn period_balances_with_several_objects_are_counted_not_used() {
        let file = parse(b"#PSALDO 0 202201 5010 {} 3\n#PSALDO 0 202201 5010 {1 \"1\" 6 \"P\"} 2\n").unwrap();
        assert_eq!((file.period_balances.len(), file.multi_object_balances_skipped), (1, 1));
        assert_eq!(file.outcome_to_date(&mapping("5010 / 1:1"), 2022, 1), None, "no balance of dimension 1 alone");
    }

    #[test]
    fn mappings_in_the_planners_notation() {
        assert_eq!(mapping("3000-3999"), AccountMapping { accounts: 3000..=3999, object: None });
        assert_eq!(mapping(" 4000 - 7999 "), AccountMapping { accounts: 4000..=7999, object: None });
        assert_eq!(mapping("4000–7999"), AccountMapping { accounts: 4000..=7999, object: None }, "en dash");
        assert_eq!(mapping("3010"), AccountMapping { accounts: 3010..=3010, object: None });
        assert_eq!(
            mapping("3000-3999 / 1:100"),
            AccountMapping { accounts: 3000..=3999, object: Some((1, "100".to_owned())) }
        );
        assert_eq!(mapping("5010/6:P12").object, Some((6, "P12".to_owned())));
        assert_eq!(mapping("5010 / 1 : \"0100\"").object, Some((1, "0100".to_owned())));
        let rejected = [
            ("", "ange ett konto"),
            ("  ", "ange ett konto"),
            ("abc", "\"abc\" är inget kontonummer"),
            ("3999-3000", "intervallet 3999-3000 är baklänges; skriv 3000-3999"),
            ("3000-", "saknar ett kontonummer"),
            ("-3999", "saknar ett kontonummer"),
            ("3000-3999-4000", "ska vara ett konto eller ett intervall"),
            ("30,5", "\"30,5\" är inget kontonummer"),
            ("99999999999", "för långt"),
            ("3000-3999 /", "ska skrivas dimension:objekt"),
            ("3000-3999 / 100", "ska skrivas dimension:objekt"),
            ("3000-3999 / x:100", "dimensionen \"x\" är inget nummer"),
            ("3000-3999 / :100", "dimensionen \"\" är inget nummer"),
            ("3000-3999 / 1:", "objektet saknas"),
            ("3000-3999 / 1:\"\"", "objektet saknas"),
        ];
        for (text, expected) in rejected {
            let error = parse_mapping(text).expect_err(text);
            assert!(error.contains(expected), "{text:?} gave {error:?}");
        }
    }

    /// Deterministic mutations of the fixtures (truncations, byte flips, inserted syntax bytes,
    /// deleted and repeated spans): `parse` must return, never panic, and its errors must point
    /// into the input.
    #[test]
    fn mutated_files_never_panic() {
        let mut seed: u64 = 0x5EED_51E0_2022_0831;
        let mut next = move |below: usize| -> usize {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            usize::try_from(seed % u64::try_from(below.max(1)).unwrap()).unwrap()
        };
        const SPECIAL: &[u8] = b"{}\"\\#\n\r\t -.09\x00\x1A\xEF\xBB\xBF\x94\xFF";
        let (mut ok, mut failed) = (0, 0);
        for name in [KS, BUN, TN] {
            let original = fixture(name);
            for round in 0..300 {
                let mut bytes = original.clone();
                for _ in 0..=next(3) {
                    let at = next(bytes.len() + 1);
                    match next(6) {
                        0 => bytes.truncate(at),
                        1 if at < bytes.len() => bytes[at] = u8::try_from(next(256)).unwrap(),
                        2 => bytes.insert(at, SPECIAL[next(SPECIAL.len())]),
                        3 => {
                            let end = (at + next(40)).min(bytes.len());
                            bytes.drain(at..end);
                        }
                        4 => {
                            let end = (at + next(200)).min(bytes.len());
                            let span = bytes[at..end].to_vec();
                            bytes.splice(at..at, span);
                        }
                        _ if at < bytes.len() => bytes[at] ^= 1 << next(8),
                        _ => {}
                    }
                }
                match parse(&bytes) {
                    Ok(file) => {
                        ok += 1;
                        for text in ["3000-3999", "0-4294967295", "5010 / 1:100", "4000-7999 / 6:P12"] {
                            for year in [2021, 2022, 2023, 2024] {
                                let _ =
                                    file.outcome_to_date_kronor(&mapping(text), year, u8::try_from(next(14)).unwrap());
                            }
                        }
                    }
                    Err(e) => {
                        failed += 1;
                        let lines = bytes.iter().filter(|&&b| b == b'\n' || b == b'\r').count() + 1;
                        assert!(e.line <= lines, "{name} round {round}: line {} of {lines}: {e}", e.line);
                        assert!((e.line == 0) == (e.column == 0), "{name} round {round}: {e:?}");
                        assert!(!e.message.is_empty());
                    }
                }
            }
        }
        // Both outcomes occur, so the mutations really exercise the error paths and the sums.
        assert!(ok > 50 && failed > 50, "ok {ok}, failed {failed}");
    }
}
