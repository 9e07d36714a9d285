//! Calendar days for waiver expiry: `YYYY-MM-DD` parsing, day arithmetic and the conversion
//! from a count of days since 1970-01-01 (what the system clock gives) to a civil date.
//!
//! The library never reads the clock: callers pass "today" in. [`Day::from_system_time`] is the
//! one place that turns a [`std::time::SystemTime`] into a day, in UTC.

use std::fmt;

/// A proleptic Gregorian calendar day, stored as days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(i64);

impl Day {
    /// The day `year-month-day`, if that day exists.
    pub fn from_ymd(year: i64, month: u32, day: u32) -> Option<Day> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Day(days_from_civil(year, month, day)))
    }

    /// Parse exactly `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Result<Day, String> {
        let bad = || format!("{s:?} is not a date in the form YYYY-MM-DD");
        let b = s.as_bytes();
        if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return Err(bad());
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = s.get(r)?;
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        let (y, m, d) = match (num(0..4), num(5..7), num(8..10)) {
            (Some(y), Some(m), Some(d)) => (y, m, d),
            _ => return Err(bad()),
        };
        Day::from_ymd(i64::from(y), m, d)
            .ok_or_else(|| format!("{s:?} is not a day of the calendar"))
    }

    /// The UTC day of a point in time (times before 1970 count back from it).
    pub fn from_system_time(t: std::time::SystemTime) -> Day {
        let secs = match t.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
        };
        Day(secs.div_euclid(86_400))
    }

    /// Days since 1970-01-01.
    pub fn days_since_epoch(self) -> i64 {
        self.0
    }

    /// The day `n` days later (earlier when negative).
    pub fn plus_days(self, n: i64) -> Day {
        Day(self.0.saturating_add(n))
    }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Day) -> i64 {
        later.0.saturating_sub(self.0)
    }

    /// Year, month (1–12) and day (1–31).
    pub fn ymd(self) -> (i64, u32, u32) {
        civil_from_days(self.0)
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// The two conversions below count in 400-year eras (146 097 days each) of years that start on
// 1 March, so that the leap day is the last day of its year and month lengths repeat in a
// simple pattern (153 days per five months).

/// Days since 1970-01-01 of a valid civil date.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400); // 0..=399
    let m = i64::from(m);
    let mp = (m + 9) % 12; // March = 0
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1; // 0..=365
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // 0..=146096
    era * 146_097 + doe - 719_468
}

/// The civil date of a count of days since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // 0..=146096
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // 0..=399
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // 0..=365
    let mp = (5 * doy + 2) / 153; // 0..=11, March = 0
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m as u32, d as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_epoch_and_known_days_convert_both_ways() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(
            days_from_civil(2024, 12, 31) - days_from_civil(2024, 1, 1),
            365
        );
        assert_eq!(
            days_from_civil(2023, 12, 31) - days_from_civil(2023, 1, 1),
            364
        );
    }

    #[test]
    fn every_day_of_four_centuries_round_trips() {
        let start = days_from_civil(1900, 1, 1);
        let end = days_from_civil(2300, 1, 1);
        let mut expect = (1900i64, 1u32, 1u32);
        for z in start..end {
            let got = civil_from_days(z);
            assert_eq!(got, expect, "day {z}");
            assert_eq!(days_from_civil(got.0, got.1, got.2), z);
            expect = if expect.2 < days_in_month(expect.0, expect.1) {
                (expect.0, expect.1, expect.2 + 1)
            } else if expect.1 < 12 {
                (expect.0, expect.1 + 1, 1)
            } else {
                (expect.0 + 1, 1, 1)
            };
        }
    }

    #[test]
    fn parsing_accepts_only_real_days_in_iso_form() {
        assert_eq!(Day::parse("2024-02-29").unwrap().to_string(), "2024-02-29");
        for s in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-04-31",
            "2024-1-01",
            "24-01-01",
            "2024/01/01",
            "2024-01-01T00:00",
            "",
            "２０２４-01-01",
        ] {
            assert!(Day::parse(s).is_err(), "{s:?}");
        }
    }

    #[test]
    fn day_arithmetic_crosses_months_and_years() {
        let d = Day::parse("2024-12-20").unwrap();
        assert_eq!(d.plus_days(12).to_string(), "2025-01-01");
        assert_eq!(d.days_until(Day::parse("2025-01-19").unwrap()), 30);
        assert_eq!(Day::parse("2025-01-19").unwrap().days_until(d), -30);
    }

    #[test]
    fn system_time_maps_to_its_utc_day() {
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(86_400 * 365 + 3600);
        assert_eq!(Day::from_system_time(t).to_string(), "1971-01-01");
        let before = std::time::UNIX_EPOCH - std::time::Duration::from_secs(1);
        assert_eq!(Day::from_system_time(before).to_string(), "1969-12-31");
    }
}
