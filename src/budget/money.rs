//! Amounts as a Swedish finance document prints them – "−116 013" tkr, with a narrow no-break
//! space between thousands and a true minus sign – and typed back exactly, without floats.

use serde::{Deserialize, Serialize};

use super::{Kronor, MoneySettings};
use crate::followup::number::{MAGNITUDE_LIMIT, NumberError, normalized};
use crate::i18n::Lang;

/// The unit amounts are shown and typed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum MoneyUnit {
    Kr,
    /// Thousands of kronor, as budgets are printed.
    #[default]
    Tkr,
    /// Millions of kronor (an income statement).
    Mnkr,
}

impl MoneyUnit {
    /// Kronor in one unit.
    pub fn factor(self) -> i128 {
        match self {
            MoneyUnit::Kr => 1,
            MoneyUnit::Tkr => 1_000,
            MoneyUnit::Mnkr => 1_000_000,
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            MoneyUnit::Kr => lang.t("kr", "SEK"),
            MoneyUnit::Tkr => lang.t("tkr", "kSEK"),
            MoneyUnit::Mnkr => lang.t("mnkr", "MSEK"),
        }
    }
}

/// Between thousands: a narrow no-break space, as Swedish typography prints it.
pub const THOUSANDS: char = '\u{202f}';
/// A true minus sign, not a hyphen.
pub const MINUS: char = '\u{2212}';

/// Why a typed amount was not taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error(transparent)]
    Number(#[from] NumberError),
    #[error("\"{text}\" är inte hela kronor ({unit} med högst {max} decimaler)")]
    FractionOfKrona { text: String, unit: &'static str, max: usize },
    #[error("\"{0}\": ett belopp har inget procenttecken")]
    Percent(String),
}

/// Rounds `kronor` to whole `unit`s with `decimals` decimals, half away from zero (as printed
/// tables round), and returns the rounded value scaled: `(-116_012_600, Tkr, 0)` → `-116_013`.
pub fn rounded(kronor: i128, unit: MoneyUnit, decimals: u8) -> i128 {
    let step = unit.factor() / 10i128.pow(u32::from(decimals.min(6))).min(unit.factor());
    let step = step.max(1);
    let magnitude = (kronor.abs() + step / 2) / step;
    if kronor < 0 { -magnitude } else { magnitude }
}

/// Formats an amount in kronor as shown in `settings` (unit, decimals, sign convention):
/// `-116_013_000` → "−116 013" (tkr). An amount that rounds to zero shows no sign.
pub fn format_amount(kronor: i128, settings: &MoneySettings) -> String {
    let kronor = if settings.costs_positive { -kronor } else { kronor };
    let decimals = settings.decimals.min(decimals_for(settings.unit));
    let scaled = rounded(kronor, settings.unit, decimals);
    let digits = scaled.unsigned_abs().to_string();
    let decimals = usize::from(decimals);
    let digits = if digits.len() <= decimals { format!("{}{digits}", "0".repeat(decimals + 1 - digits.len())) } else { digits };
    let (whole, fraction) = digits.split_at(digits.len() - decimals);
    let mut out = String::with_capacity(digits.len() + 8);
    if scaled < 0 {
        out.push(MINUS);
    }
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(THOUSANDS);
        }
        out.push(c);
    }
    if !fraction.is_empty() {
        out.push(',');
        out.push_str(fraction);
    }
    out
}

/// The decimals a unit can show down to whole kronor (tkr: 3).
fn decimals_for(unit: MoneyUnit) -> u8 {
    match unit {
        MoneyUnit::Kr => 0,
        MoneyUnit::Tkr => 3,
        MoneyUnit::Mnkr => 6,
    }
}

/// Parses an amount typed in `settings`' unit and sign convention into kronor, exactly:
/// "−3 195" tkr → `-3_195_000`, "2,5" mnkr → `2_500_000`. Empty text is `None` (an empty cell).
/// "abc", a fraction of a krona and amounts beyond ±10¹⁵ kr are refused with a reason.
pub fn parse_amount(text: &str, settings: &MoneySettings) -> Result<Option<Kronor>, AmountError> {
    let trimmed = text.trim();
    if trimmed.ends_with('%') {
        return Err(AmountError::Percent(trimmed.to_owned()));
    }
    let Some(plain) = normalized(trimmed)? else { return Ok(None) };
    let (negative, digits) = match plain.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, plain.as_str()),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let too_large = || AmountError::Number(NumberError::TooLarge(trimmed.to_owned()));
    let max = usize::from(decimals_for(settings.unit));
    // Trailing zeros say nothing ("3,500" tkr is 3 500 kr).
    let fraction = fraction.trim_end_matches('0');
    if fraction.len() > max {
        return Err(AmountError::FractionOfKrona { text: trimmed.to_owned(), unit: settings.unit.label(Lang::Swedish), max });
    }
    if whole.len() > 24 {
        return Err(too_large());
    }
    let whole: i128 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| too_large())? };
    let fraction_value: i128 = if fraction.is_empty() { 0 } else { fraction.parse().map_err(|_| too_large())? };
    let fraction_kronor = fraction_value * settings.unit.factor() / 10i128.pow(fraction.len() as u32);
    let magnitude = whole.checked_mul(settings.unit.factor()).and_then(|w| w.checked_add(fraction_kronor)).ok_or_else(too_large)?;
    if magnitude > MAGNITUDE_LIMIT as i128 {
        return Err(too_large());
    }
    let signed = if negative { -magnitude } else { magnitude };
    let stored = if settings.costs_positive { -signed } else { signed };
    Ok(Some(stored as Kronor))
}

/// An amount for editing: every krona shown, no thousands separators to trip over
/// (`-3_195_500` tkr → "−3195,5").
pub fn format_for_editing(kronor: Kronor, settings: &MoneySettings) -> String {
    let exact = MoneySettings { decimals: decimals_for(settings.unit), ..*settings };
    let text = format_amount(i128::from(kronor), &exact).replace(THOUSANDS, "");
    match text.split_once(',') {
        Some((whole, fraction)) => {
            let fraction = fraction.trim_end_matches('0');
            if fraction.is_empty() { whole.to_owned() } else { format!("{whole},{fraction}") }
        }
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tkr() -> MoneySettings {
        MoneySettings::default()
    }

    #[test]
    fn amounts_print_as_the_seed_prints_them() {
        assert_eq!(format_amount(-116_013_000, &tkr()), "\u{2212}116\u{202f}013");
        assert_eq!(format_amount(49_417_000, &tkr()), "49\u{202f}417");
        assert_eq!(format_amount(0, &tkr()), "0");
        assert_eq!(format_amount(-400, &tkr()), "0", "rounds to zero: no sign");
        assert_eq!(format_amount(-500, &tkr()), "\u{2212}1", "half away from zero");
        assert_eq!(format_amount(1_499, &tkr()), "1");
        let mnkr = MoneySettings { unit: MoneyUnit::Mnkr, decimals: 1, ..tkr() };
        assert_eq!(format_amount(-116_013_000, &mnkr), "\u{2212}116,0");
        assert_eq!(format_amount(765_650_000, &mnkr), "765,7");
        assert_eq!(format_amount(50_000, &mnkr), "0,1");
        let costs_positive = MoneySettings { costs_positive: true, ..tkr() };
        assert_eq!(format_amount(-116_013_000, &costs_positive), "116\u{202f}013");
        assert_eq!(format_amount(i128::from(i64::MIN) * 100, &tkr()).chars().filter(|c| c.is_ascii_digit()).count(), 18);
    }

    #[test]
    fn typed_amounts_are_exact_and_refused_with_reasons() {
        assert_eq!(parse_amount("−3 195", &tkr()), Ok(Some(-3_195_000)));
        assert_eq!(parse_amount("-3195,5", &tkr()), Ok(Some(-3_195_500)));
        assert_eq!(parse_amount("0,001", &tkr()), Ok(Some(1)));
        assert_eq!(parse_amount("3,500", &tkr()), Ok(Some(3_500)));
        assert_eq!(parse_amount("  ", &tkr()), Ok(None));
        assert_eq!(parse_amount("115\u{202f}021", &tkr()), Ok(Some(115_021_000)));
        // 0.1 + 0.2 style drift cannot happen: every digit is integer arithmetic.
        assert_eq!(parse_amount("0,3", &MoneySettings { unit: MoneyUnit::Mnkr, ..tkr() }), Ok(Some(300_000)));
        assert_eq!(parse_amount("116 013", &MoneySettings { costs_positive: true, ..tkr() }), Ok(Some(-116_013_000)));
        assert_eq!(parse_amount("abc", &tkr()).unwrap_err().to_string(), "\"abc\" är inget tal");
        assert_eq!(parse_amount("1,2345", &tkr()).unwrap_err().to_string(), "\"1,2345\" är inte hela kronor (tkr med högst 3 decimaler)");
        assert!(matches!(parse_amount("5 %", &tkr()), Err(AmountError::Percent(_))));
        assert!(parse_amount("9".repeat(30).as_str(), &tkr()).is_err());
        assert!(parse_amount("1 000 000 000 000 001", &tkr()).is_err(), "beyond 10^15 kr");
    }

    #[test]
    fn editing_text_reads_back_to_the_same_amount() {
        for kronor in [0, 1, -1, 999, -3_195_500, 115_021_000, 123_456_789_012] {
            for settings in [tkr(), MoneySettings { unit: MoneyUnit::Mnkr, ..tkr() }, MoneySettings { costs_positive: true, ..tkr() }] {
                let text = format_for_editing(kronor, &settings);
                assert_eq!(parse_amount(&text, &settings), Ok(Some(kronor)), "{text}");
            }
        }
        assert_eq!(format_for_editing(-3_195_500, &tkr()), "\u{2212}3195,5");
    }
}
