//! Dates and times, in one place: the planner's local time zone (a report printed just after
//! midnight on New Year's Eve says the new year), via `jiff` instead of hand-written calendar
//! arithmetic.

use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};

/// Seconds since 1970-01-01 UTC, now.
pub fn now_unix_secs() -> u64 {
    u64::try_from(Timestamp::now().as_second()).unwrap_or(0)
}

fn local_zone() -> TimeZone {
    TimeZone::system()
}

fn zoned(unix_secs: u64, zone: TimeZone) -> Option<ZonedDateTime> {
    let seconds = i64::try_from(unix_secs).ok()?;
    Some(Timestamp::from_second(seconds).ok()?.to_zoned_datetime(zone))
}

/// The calendar year at `unix_secs` in `zone`.
pub fn year_at(unix_secs: u64, zone: TimeZone) -> i32 {
    zoned(unix_secs, zone).map_or(1970, |z| i32::from(z.year()))
}

/// The current year where the planner is.
pub fn this_year() -> i32 {
    year_at(now_unix_secs(), local_zone())
}

/// "2026-11-23" at `unix_secs` in `zone`.
pub fn date_at(unix_secs: u64, zone: TimeZone) -> String {
    zoned(unix_secs, zone).map_or_else(String::new, |z| z.strftime("%Y-%m-%d").to_string())
}

/// Today's date where the planner is, "2026-11-23" (printed on reports).
pub fn today() -> String {
    date_at(now_unix_secs(), local_zone())
}

/// "2026-11-22 23:50" at `unix_secs` in `zone`.
pub fn date_time_at(unix_secs: u64, zone: TimeZone) -> String {
    zoned(unix_secs, zone).map_or_else(String::new, |z| z.strftime("%Y-%m-%d %H:%M").to_string())
}

/// A moment as the planner's clock showed it, "2026-11-22 23:50" (e.g. when autosaved).
pub fn local_date_time(unix_secs: u64) -> String {
    date_time_at(unix_secs, local_zone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stockholm_winter() -> TimeZone {
        TimeZone::fixed(jiff::tz::offset(1))
    }

    #[test]
    fn the_year_turns_at_local_midnight_not_at_utc_midnight() {
        // 2026-12-31 23:30 UTC is already 00:30 on 1 January 2027 in Stockholm.
        let half_past_eleven_utc = 1_798_759_800;
        assert_eq!(date_time_at(half_past_eleven_utc, TimeZone::UTC), "2026-12-31 23:30");
        assert_eq!(year_at(half_past_eleven_utc, TimeZone::UTC), 2026);
        assert_eq!(year_at(half_past_eleven_utc, stockholm_winter()), 2027);
        assert_eq!(date_at(half_past_eleven_utc, stockholm_winter()), "2027-01-01");
    }

    #[test]
    fn dates_and_times_format_the_swedish_way() {
        assert_eq!(date_at(0, TimeZone::UTC), "1970-01-01");
        assert_eq!(date_at(19_235 * 86_400, TimeZone::UTC), "2022-08-31");
        assert_eq!(date_at(11_016 * 86_400, TimeZone::UTC), "2000-02-29");
        assert_eq!(date_time_at(19_235 * 86_400 + 13 * 3600 + 5 * 60, TimeZone::UTC), "2022-08-31 13:05");
        assert_eq!(date_time_at(19_235 * 86_400 + 13 * 3600 + 5 * 60, stockholm_winter()), "2022-08-31 14:05");
    }

    #[test]
    fn now_is_after_this_code_was_written() {
        assert!(this_year() >= 2026);
        assert_eq!(today().len(), 10);
    }
}
