//! UTC timestamps for bundles: seconds since the Unix epoch, written and read as
//! `YYYY-MM-DDTHH:MM:SSZ` (RFC 3339 in UTC), plus `--expires` durations such as `180d`.
//! Hand-written civil-date arithmetic (days from civil, after Howard Hinnant's public-domain
//! algorithms) so that bomvet does not need a date-time crate for two fields.

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since 1970-01-01T00:00:00Z now (0 if the clock is before the epoch).
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// `YYYY-MM-DDTHH:MM:SSZ`.
pub fn format(t: i64) -> String {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

fn num(s: &str, range: std::ops::Range<usize>) -> Option<i64> {
    let part = s.get(range)?;
    if !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

/// Parse `YYYY-MM-DD` (midnight UTC) or `YYYY-MM-DDTHH:MM:SSZ`.
pub fn parse(s: &str) -> Option<i64> {
    let s = s.trim();
    let (date, time) = match s.len() {
        10 => (s, None),
        20 if s.as_bytes().get(10) == Some(&b'T') && s.ends_with('Z') => {
            (s.get(..10)?, s.get(11..19))
        }
        _ => return None,
    };
    if date.as_bytes().get(4) != Some(&b'-') || date.as_bytes().get(7) != Some(&b'-') {
        return None;
    }
    let (y, m, d) = (num(date, 0..4)?, num(date, 5..7)?, num(date, 8..10)?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let max = *month_days.get(usize::try_from(m - 1).ok()?)?;
    if !(1..=max).contains(&d) {
        return None;
    }
    let secs = match time {
        None => 0,
        Some(t) => {
            if t.as_bytes().get(2) != Some(&b':') || t.as_bytes().get(5) != Some(&b':') {
                return None;
            }
            let (h, mi, se) = (num(t, 0..2)?, num(t, 3..5)?, num(t, 6..8)?);
            if h > 23 || mi > 59 || se > 60 {
                return None;
            }
            h * 3600 + mi * 60 + se
        }
    };
    Some(days_from_civil(y, m, d) * 86_400 + secs)
}

/// A duration `N` followed by `s`, `m`, `h` or `d`, in seconds; milliseconds with `ms`.
pub fn parse_duration_ms(s: &str) -> Option<u64> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit())?;
    let (n, unit) = s.split_at(split);
    let n: u64 = n.parse().ok()?;
    let mult = match unit {
        "ms" => 1,
        "s" => 1000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return None,
    };
    n.checked_mul(mult)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_and_parse_round_trip_across_leap_days() {
        for t in [0, 951_782_400, 1_709_164_800, 4_102_444_799, 1_700_000_000] {
            assert_eq!(parse(&format(t)), Some(t), "{}", format(t));
        }
        assert_eq!(format(0), "1970-01-01T00:00:00Z");
        assert_eq!(parse("2024-02-29"), Some(1_709_164_800));
    }

    #[test]
    fn impossible_dates_are_refused() {
        for s in [
            "2023-02-29",
            "2024-13-01",
            "2024-1-01",
            "2024-01-01T25:00:00Z",
            "soon",
            "2024-01-01T00:00:00+01:00",
        ] {
            assert_eq!(parse(s), None, "{s}");
        }
    }

    #[test]
    fn durations_parse_with_units() {
        assert_eq!(parse_duration_ms("250ms"), Some(250));
        assert_eq!(parse_duration_ms("2s"), Some(2000));
        assert_eq!(parse_duration_ms("180d"), Some(180 * 86_400_000));
        assert_eq!(parse_duration_ms("5"), None);
        assert_eq!(parse_duration_ms("5y"), None);
    }
}
