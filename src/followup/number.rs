//! Numbers as Swedes write them: "22,2", "5 180 000", "81,1 %", "-124", "63/37".
//! One parser and one formatter, shared by the table editor, imports and reports.

use crate::i18n::Lang;
use crate::model::Unit;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    #[error("\"{0}\" är inget tal")]
    NotANumber(String),
    #[error("\"{0}\" har fler än ett decimaltecken")]
    SeveralDecimalSeparators(String),
    #[error("\"{0}\" är för stort")]
    TooLarge(String),
    #[error("\"{0}\": en andel skrivs som två tal med snedstreck, t.ex. 63/37")]
    BadRatio(String),
    #[error("\"{0}\": kvoter som 63/37 passar bara indikatorer med enheten andel kvinnor/män")]
    RatioNotAllowed(String),
    /// A number outside what the indicator's unit allows (see [`check_value`]).
    #[error("\"{text}\" är utanför {}", .range.text_in(Lang::Swedish))]
    OutOfRange { text: String, range: ValueRange },
}

/// Percent values lie within ±`PERCENT_LIMIT`. Above 100 % is common (growth, costs against
/// budget), below −100 % occurs for results as a share of something (a deficit larger than
/// the budget, a fall compared with a small base); a thousand percent and more is a typing or
/// unit mistake (a count in a percent indicator), never a municipal key figure.
pub const PERCENT_LIMIT: f64 = 1_000.0;

/// Counts, kronor, index values and other units lie within ±`MAGNITUDE_LIMIT` (a million
/// billion: far above any municipality's budget in kronor or any population, and still exact
/// to the öre in a float).
pub const MAGNITUDE_LIMIT: f64 = 1e15;

/// The range a unit allows, as named in messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueRange {
    /// −1 000 … 1 000 ([`PERCENT_LIMIT`]).
    Percent,
    /// 0 … 100: the first share of women/men.
    Ratio,
    /// The indicator's own scale, its ends as shown ("1", "4").
    Scale { low: String, high: String },
    /// −10¹⁵ … 10¹⁵ ([`MAGNITUDE_LIMIT`]).
    Magnitude,
}

impl ValueRange {
    /// What the value is outside of: "det rimliga för procent (−1 000–1 000)", "skalan 1–4".
    pub fn text_in(&self, lang: Lang) -> String {
        match (lang, self) {
            (Lang::Swedish, ValueRange::Percent) => "det rimliga för procent (\u{2212}1 000–1 000)".into(),
            (Lang::Swedish, ValueRange::Ratio) => "det rimliga för en andel kvinnor/män (0–100)".into(),
            (Lang::Swedish, ValueRange::Scale { low, high }) => format!("skalan {low}–{high}"),
            (Lang::Swedish, ValueRange::Magnitude) => "det rimliga för ett tal (högst 10¹⁵ till beloppet)".into(),
            (Lang::English, ValueRange::Percent) => "what is sensible for percent (\u{2212}1,000 to 1,000)".into(),
            (Lang::English, ValueRange::Ratio) => "what is sensible for a share of women/men (0 to 100)".into(),
            (Lang::English, ValueRange::Scale { low, high }) => format!("the scale {low}–{high}"),
            (Lang::English, ValueRange::Magnitude) => {
                "what is sensible for a number (at most 10¹⁵ in absolute value)".into()
            }
        }
    }
}

impl NumberError {
    /// The message in `lang`; Swedish is the same as `Display`.
    pub fn message_in(&self, lang: Lang) -> String {
        match (lang, self) {
            (Lang::Swedish, _) => self.to_string(),
            (Lang::English, NumberError::NotANumber(text)) => format!("\"{text}\" is not a number"),
            (Lang::English, NumberError::SeveralDecimalSeparators(text)) => {
                format!("\"{text}\" has more than one decimal separator")
            }
            (Lang::English, NumberError::TooLarge(text)) => format!("\"{text}\" is too large"),
            (Lang::English, NumberError::BadRatio(text)) => {
                format!("\"{text}\": a ratio is written as two numbers with a slash, e.g. 63/37")
            }
            (Lang::English, NumberError::RatioNotAllowed(text)) => {
                format!("\"{text}\": ratios like 63/37 only fit indicators with the unit share women/men")
            }
            (Lang::English, NumberError::OutOfRange { text, range }) => {
                format!("\"{text}\" is outside {}", range.text_in(Lang::English))
            }
        }
    }
}

/// Parses a number typed the Swedish way. Empty input means "no value" (`Ok(None)`).
/// Spaces (also no-break spaces) group thousands; comma or point is the decimal separator;
/// a trailing "%" is allowed.
///
/// ```
/// use malplan::followup::number::parse_number;
/// assert_eq!(parse_number("5 180 000"), Ok(Some(5_180_000.0)));
/// assert_eq!(parse_number("81,1 %"), Ok(Some(81.1)));
/// assert_eq!(parse_number(""), Ok(None));
/// assert!(parse_number("abc").is_err());
/// ```
pub fn parse_number(input: &str) -> Result<Option<f64>, NumberError> {
    let value = parse_unbounded(input)?;
    if value.is_some_and(|v| !v.is_finite() || v.abs() > MAGNITUDE_LIMIT) {
        return Err(NumberError::TooLarge(input.trim().to_owned()));
    }
    Ok(value)
}

/// [`parse_number`] without the limit on size: the value may even be infinite ("9" × 400).
fn parse_unbounded(input: &str) -> Result<Option<f64>, NumberError> {
    let Some(cleaned) = normalized(input)? else { return Ok(None) };
    let value: f64 = cleaned.parse().map_err(|_| NumberError::NotANumber(input.trim().to_owned()))?;
    Ok(Some(value))
}

/// A number as Swedes write it ("−3 195,5", "81,1 %") in plain form ("-3195.5"): spaces of
/// every kind dropped, one decimal point, a leading minus. `None` for an empty text. Shared by
/// the float parser and the exact money parser (`budget::money`).
pub(crate) fn normalized(input: &str) -> Result<Option<String>, NumberError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let without_percent = trimmed.strip_suffix('%').unwrap_or(trimmed).trim_end();
    let mut cleaned = String::with_capacity(without_percent.len());
    let mut separators = 0;
    for (index, c) in without_percent.chars().enumerate() {
        match c {
            ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' => {}
            ',' | '.' => {
                separators += 1;
                cleaned.push('.');
            }
            '-' | '\u{2212}' | '\u{2013}' if index == 0 => cleaned.push('-'),
            '+' if index == 0 => {}
            '0'..='9' => cleaned.push(c),
            _ => return Err(NumberError::NotANumber(trimmed.to_owned())),
        }
    }
    if separators > 1 {
        return Err(NumberError::SeveralDecimalSeparators(trimmed.to_owned()));
    }
    if !cleaned.chars().any(|c| c.is_ascii_digit()) {
        return Err(NumberError::NotANumber(trimmed.to_owned()));
    }
    Ok(Some(cleaned))
}

/// The one rule for values, wherever they come from – typed in the app ([`parse_value`]),
/// imported from a spreadsheet or Kolada, or read from a plan file (`malplan check`): a value
/// must be a finite number within what its unit allows:
///
/// | unit | allowed |
/// |---|---|
/// | [`Unit::Percent`] | −1 000 … 1 000 ([`PERCENT_LIMIT`]) |
/// | [`Unit::Ratio`] | 0 … 100 (the first share of women/men) |
/// | [`Unit::Scale`]`(a, b)` | a … b (only ±10¹⁵ when the scale itself is invalid) |
/// | count, kronor, index, other | −10¹⁵ … 10¹⁵ ([`MAGNITUDE_LIMIT`]) |
///
/// NaN and infinity are [`NumberError::NotANumber`]; a finite value outside is
/// [`NumberError::OutOfRange`], whose text is the value in Swedish notation.
///
/// ```
/// use malplan::followup::number::check_value;
/// use malplan::model::Unit;
/// assert!(check_value(250.0, &Unit::Percent).is_ok());
/// assert_eq!(
///     check_value(1e308, &Unit::Percent).unwrap_err().to_string(),
///     "\"1e308\" är utanför det rimliga för procent (−1 000–1 000)"
/// );
/// assert!(check_value(4.5, &Unit::Scale(1.0, 4.0)).is_err());
/// ```
pub fn check_value(value: f64, unit: &Unit) -> Result<(), NumberError> {
    if !value.is_finite() {
        // NaN and infinity in a plan file or a sheet are "no number" (a typed number with too
        // many digits is out of range instead, see `parse_value`).
        return Err(NumberError::NotANumber(shown(value)));
    }
    match outside(value, unit) {
        Some(range) => Err(NumberError::OutOfRange { text: shown(value), range }),
        None => Ok(()),
    }
}

/// The range `value` (not NaN) lies outside for `unit`, if it does; infinity lies outside
/// every range.
fn outside(value: f64, unit: &Unit) -> Option<ValueRange> {
    Some(match unit {
        Unit::Percent if value.abs() > PERCENT_LIMIT => ValueRange::Percent,
        Unit::Ratio if !(0.0..=100.0).contains(&value) => ValueRange::Ratio,
        Unit::Scale(low, high)
            if low.is_finite() && high.is_finite() && low <= high && !(*low..=*high).contains(&value) =>
        {
            ValueRange::Scale { low: shown(*low), high: shown(*high) }
        }
        _ if value.abs() > MAGNITUDE_LIMIT => ValueRange::Magnitude,
        _ => return None,
    })
}

/// A value as messages show it: Swedish notation with up to six decimals ("13,8", "-124",
/// "5 180 000"), or in exponent form when that would be very long ("1e308"); "NaN", "inf".
fn shown(value: f64) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    if value.abs() >= MAGNITUDE_LIMIT || (value != 0.0 && value.abs() < 1e-6) {
        return format!("{value:e}").replace('.', ",");
    }
    let precise = format_number(value, 6);
    let trimmed = if precise.contains(',') { precise.trim_end_matches('0').trim_end_matches(',') } else { &precise };
    if trimmed.is_empty() || trimmed == "-" { "0".to_owned() } else { trimmed.to_owned() }
}

/// Parses a value for an indicator with `unit`. For [`Unit::Ratio`], "63/37" gives 63.0 (the
/// first share in percent) and a single number is taken as that share.
///
/// Every value must pass [`check_value`] for `unit`: "5 000" is no percentage
/// ([`NumberError::OutOfRange`], naming the text as typed).
pub fn parse_value(input: &str, unit: &Unit) -> Result<Option<f64>, NumberError> {
    let trimmed = input.trim();
    let value = match trimmed.split_once('/') {
        None => parse_unbounded(trimmed)?,
        Some(_) if *unit != Unit::Ratio => return Err(NumberError::RatioNotAllowed(trimmed.to_owned())),
        Some((first, second)) => {
            let bad = || NumberError::BadRatio(trimmed.to_owned());
            let first = parse_number(first).map_err(|_| bad())?.ok_or_else(bad)?;
            let second = parse_number(second).map_err(|_| bad())?.ok_or_else(bad)?;
            if first < 0.0 || second < 0.0 || first + second <= 0.0 {
                return Err(bad());
            }
            Some(100.0 * first / (first + second))
        }
    };
    // The same rule as `check_value`; the message names the text as typed.
    if let Some(range) = value.and_then(|v| outside(v, unit)) {
        return Err(NumberError::OutOfRange { text: trimmed.to_owned(), range });
    }
    Ok(value)
}

/// Formats with a decimal comma and spaces between thousands: 5180000 → "5 180 000".
pub fn format_number(value: f64, decimals: u8) -> String {
    if !value.is_finite() {
        return "–".to_owned();
    }
    let fixed = format!("{:.*}", usize::from(decimals), value.abs());
    let (whole, fraction) = match fixed.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (fixed.as_str(), None),
    };
    let mut out = String::with_capacity(fixed.len() + 4);
    let is_zero = fixed.chars().all(|c| c == '0' || c == '.');
    if value < 0.0 && !is_zero {
        out.push('-');
    }
    let digits = whole.len();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (digits - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    if let Some(fraction) = fraction {
        out.push(',');
        out.push_str(fraction);
    }
    out
}

/// Formats a value as the indicator shows it: "81,1 %", "63/37", "5 180 000 kr".
///
/// ```
/// use malplan::followup::number::format_value;
/// use malplan::model::Unit;
/// assert_eq!(format_value(14.1, &Unit::Percent, 1), "14,1 %");
/// assert_eq!(format_value(63.0, &Unit::Ratio, 0), "63/37");
/// ```
pub fn format_value(value: f64, unit: &Unit, decimals: u8) -> String {
    let number = format_number(value, decimals);
    match unit {
        Unit::Percent => format!("{number} %"),
        Unit::Ratio => format!("{number}/{}", format_number(100.0 - value, decimals)),
        Unit::Kronor => format!("{number} kr"),
        Unit::Other(suffix) if !suffix.trim().is_empty() => format!("{number} {}", suffix.trim()),
        _ => number,
    }
}

/// The text to put in an edit field: the value without unit suffix (but "63/37" for ratios),
/// so that parsing it back gives the same value.
pub fn format_for_editing(value: f64, unit: &Unit, decimals: u8) -> String {
    // Show every significant decimal when editing, so nothing is rounded away silently: the
    // usual form when it reads back exactly, else the plain number with up to six decimals
    // (for a ratio, its first share, which the ratio parser also accepts).
    let shown = match unit {
        Unit::Ratio => format_value(value, unit, decimals),
        _ => format_number(value, decimals),
    };
    match parse_value(&shown, unit) {
        Ok(Some(back)) if back == value => shown,
        _ => {
            let precise = format_number(value, 6);
            let trimmed = precise.trim_end_matches('0').trim_end_matches(',');
            if trimmed.is_empty() || trimmed == "-" { "0".to_owned() } else { trimmed.to_owned() }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_read_in_english_and_swedish() {
        let error = parse_number("abc").unwrap_err();
        assert_eq!(error.message_in(Lang::English), "\"abc\" is not a number");
        assert_eq!(error.message_in(Lang::Swedish), "\"abc\" är inget tal");
        assert_eq!(error.to_string(), "\"abc\" är inget tal");
        let error = parse_value("63/37", &Unit::Percent).unwrap_err();
        assert!(error.message_in(Lang::English).contains("only fit indicators"));
        assert_eq!(error.message_in(Lang::Swedish), error.to_string());
    }

    #[test]
    fn parses_the_ways_swedes_write_numbers() {
        assert_eq!(parse_number("22,2"), Ok(Some(22.2)));
        assert_eq!(parse_number("5 180 000"), Ok(Some(5_180_000.0)));
        assert_eq!(parse_number("1 194"), Ok(Some(1194.0)));
        assert_eq!(parse_number("81,1 %"), Ok(Some(81.1)));
        assert_eq!(parse_number("3.1%"), Ok(Some(3.1)));
        assert_eq!(parse_number("-124"), Ok(Some(-124.0)));
        assert_eq!(parse_number("−124"), Ok(Some(-124.0)));
        assert_eq!(parse_number("5\u{a0}180\u{a0}000"), Ok(Some(5_180_000.0)));
        assert_eq!(parse_number(""), Ok(None));
        assert_eq!(parse_number("   "), Ok(None));
    }

    #[test]
    fn rejects_what_is_not_a_number_with_a_reason() {
        assert_eq!(parse_number("abc"), Err(NumberError::NotANumber("abc".into())));
        assert_eq!(
            parse_number("1,2,3"),
            Err(NumberError::SeveralDecimalSeparators("1,2,3".into()))
        );
        assert!(matches!(parse_number("-"), Err(NumberError::NotANumber(_))));
        assert!(matches!(parse_number("12-3"), Err(NumberError::NotANumber(_))));
        assert!(matches!(parse_number("NaN"), Err(NumberError::NotANumber(_))));
        assert!(matches!(parse_number("inf"), Err(NumberError::NotANumber(_))));
        assert!(matches!(parse_number(&"9".repeat(400)), Err(NumberError::TooLarge(_))));
        assert_eq!(
            parse_number("abc").unwrap_err().to_string(),
            "\"abc\" är inget tal"
        );
    }

    #[test]
    fn ratios_are_the_first_share() {
        assert_eq!(parse_value("63/37", &Unit::Ratio), Ok(Some(63.0)));
        assert_eq!(parse_value("26 / 74", &Unit::Ratio), Ok(Some(26.0)));
        assert_eq!(parse_value("1/3", &Unit::Ratio), Ok(Some(25.0)));
        assert_eq!(parse_value("60", &Unit::Ratio), Ok(Some(60.0)));
        assert!(matches!(parse_value("63/", &Unit::Ratio), Err(NumberError::BadRatio(_))));
        assert!(matches!(parse_value("0/0", &Unit::Ratio), Err(NumberError::BadRatio(_))));
        assert!(matches!(
            parse_value("63/37", &Unit::Percent),
            Err(NumberError::RatioNotAllowed(_))
        ));
    }

    #[test]
    fn values_outside_their_units_range_are_refused_with_the_same_message_everywhere() {
        // Typed: "1e308" is no number at all, a percentage of 5 000 is out of range.
        assert!(parse_value("1e308", &Unit::Percent).is_err());
        let typed = parse_value("5 000", &Unit::Percent).unwrap_err();
        assert_eq!(typed, NumberError::OutOfRange { text: "5 000".into(), range: ValueRange::Percent });
        assert_eq!(typed.to_string(), "\"5 000\" är utanför det rimliga för procent (−1 000–1 000)");
        assert_eq!(typed.message_in(Lang::English), "\"5 000\" is outside what is sensible for percent (−1,000 to 1,000)");
        assert!(matches!(
            parse_value(&"9".repeat(400), &Unit::Percent),
            Err(NumberError::OutOfRange { range: ValueRange::Percent, .. })
        ));
        // From a file or an import: the same rule and wording, the value in Swedish notation.
        let stored = check_value(1e308, &Unit::Percent).unwrap_err();
        assert_eq!(stored.to_string(), "\"1e308\" är utanför det rimliga för procent (−1 000–1 000)");
        assert_eq!(check_value(-1234.5, &Unit::Percent).unwrap_err().to_string(), "\"-1 234,5\" är utanför det rimliga för procent (−1 000–1 000)");
        assert_eq!(check_value(f64::NAN, &Unit::Count), Err(NumberError::NotANumber("NaN".into())));
        assert_eq!(check_value(f64::INFINITY, &Unit::Kronor), Err(NumberError::NotANumber("inf".into())));

        // Percentages above 100 and below −100 are fine up to ±1 000.
        for ok in [0.0, 100.0, 250.0, -100.0, -350.0, 1000.0, -1000.0] {
            assert_eq!(check_value(ok, &Unit::Percent), Ok(()), "{ok}");
            assert_eq!(parse_value(&format_for_editing(ok, &Unit::Percent, 1), &Unit::Percent), Ok(Some(ok)));
        }
        assert!(check_value(1000.5, &Unit::Percent).is_err());
        // Ratios: the first share, 0–100.
        assert_eq!(check_value(63.0, &Unit::Ratio), Ok(()));
        assert!(matches!(check_value(-0.5, &Unit::Ratio), Err(NumberError::OutOfRange { range: ValueRange::Ratio, .. })));
        assert!(matches!(parse_value("160", &Unit::Ratio), Err(NumberError::OutOfRange { range: ValueRange::Ratio, .. })));
        // Scales: their own ends.
        let scale = Unit::Scale(1.0, 4.0);
        assert_eq!(check_value(3.7, &scale), Ok(()));
        let error = parse_value("4,5", &scale).unwrap_err();
        assert_eq!(error.to_string(), "\"4,5\" är utanför skalan 1–4");
        assert_eq!(error.message_in(Lang::English), "\"4,5\" is outside the scale 1–4");
        assert!(check_value(0.5, &Unit::Scale(0.5, 5.5)).is_ok());
        // An invalid scale (reported by `check` on its own) only bounds the size.
        assert_eq!(check_value(7.0, &Unit::Scale(4.0, 1.0)), Ok(()));
        // Counts, kronor, index and other units: at most 10¹⁵ either way.
        for unit in [Unit::Count, Unit::Kronor, Unit::Index, Unit::Other("ton".into())] {
            assert_eq!(check_value(-124.0, &unit), Ok(()));
            assert_eq!(check_value(60e9, &unit), Ok(()));
            let error = check_value(2e15, &unit).unwrap_err();
            assert_eq!(error.to_string(), "\"2e15\" är utanför det rimliga för ett tal (högst 10¹⁵ till beloppet)");
            assert!(error.message_in(Lang::English).ends_with("(at most 10¹⁵ in absolute value)"));
        }
        assert!(matches!(parse_value("2 000 000 000 000 000", &Unit::Kronor), Err(NumberError::OutOfRange { .. })));
    }

    #[test]
    fn formats_with_decimal_comma_and_thousand_spaces() {
        assert_eq!(format_number(5_180_000.0, 0), "5 180 000");
        assert_eq!(format_number(1194.0, 0), "1 194");
        assert_eq!(format_number(22.2, 1), "22,2");
        assert_eq!(format_number(-124.0, 0), "-124");
        assert_eq!(format_number(-0.04, 1), "0,0");
        assert_eq!(format_number(999.96, 1), "1 000,0");
        assert_eq!(format_number(f64::NAN, 1), "–");
    }

    #[test]
    fn formats_by_unit() {
        assert_eq!(format_value(81.1, &Unit::Percent, 1), "81,1 %");
        assert_eq!(format_value(63.0, &Unit::Ratio, 0), "63/37");
        assert_eq!(format_value(5_180_000.0, &Unit::Kronor, 0), "5 180 000 kr");
        assert_eq!(format_value(3.7, &Unit::Scale(1.0, 4.0), 1), "3,7");
        assert_eq!(format_value(2.5, &Unit::Other("ton/invånare".into()), 1), "2,5 ton/invånare");
    }

    #[test]
    fn editing_text_parses_back_to_the_same_value() {
        for (value, unit, decimals) in [
            (14.1, Unit::Percent, 1),
            (14.125, Unit::Percent, 1),
            (5_180_000.0, Unit::Count, 0),
            (63.0, Unit::Ratio, 0),
            (100.0 / 3.0, Unit::Ratio, 1),
            (0.25, Unit::Count, 0),
        ] {
            let text = format_for_editing(value, &unit, decimals);
            let back = parse_value(&text, &unit).unwrap().unwrap();
            assert!((back - value).abs() < 1e-6, "{value} → {text} → {back}");
        }
    }
}
