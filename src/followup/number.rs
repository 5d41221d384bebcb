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
    let value: f64 = cleaned
        .parse()
        .map_err(|_| NumberError::NotANumber(trimmed.to_owned()))?;
    if !value.is_finite() || value.abs() > 1e15 {
        return Err(NumberError::TooLarge(trimmed.to_owned()));
    }
    Ok(Some(value))
}

/// Parses a value for an indicator with `unit`. For [`Unit::Ratio`], "63/37" gives 63.0 (the
/// first share in percent) and a single number is taken as that share.
pub fn parse_value(input: &str, unit: &Unit) -> Result<Option<f64>, NumberError> {
    let trimmed = input.trim();
    match trimmed.split_once('/') {
        None => parse_number(trimmed),
        Some(_) if *unit != Unit::Ratio => Err(NumberError::RatioNotAllowed(trimmed.to_owned())),
        Some((first, second)) => {
            let bad = || NumberError::BadRatio(trimmed.to_owned());
            let first = parse_number(first).map_err(|_| bad())?.ok_or_else(bad)?;
            let second = parse_number(second).map_err(|_| bad())?.ok_or_else(bad)?;
            if first < 0.0 || second < 0.0 || first + second <= 0.0 {
                return Err(bad());
            }
            Ok(Some(100.0 * first / (first + second)))
        }
    }
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
