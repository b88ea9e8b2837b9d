//! Static dates: the ISO 8601 forms J1QL's `date(...)` takes, to epoch milliseconds.
//!
//! `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, then `Thh`, `Thh:mm`, `Thh:mm:ss`, `Thh:mm:ss.s...`, each
//! optionally followed by a zone designator `Z` or `±hh:mm` (or `±hhmm`). Without a zone the
//! time is UTC. Calendar values are checked (no 2019-02-30).

/// A date stored in the data as an ISO 8601 string (`2022-01-19T20:26:17.842Z`, at least
/// `YYYY-MM-DD`), as epoch milliseconds; `None` for any other text.
///
/// JupiterOne keeps dates as epoch milliseconds, and its math docs say date fields convert to
/// them; integrations that send ISO strings get the same treatment here. This is the one
/// conversion comparisons, math, aggregates and ORDER BY all use (docs/semantics.md).
pub fn data_date_millis(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let looks_like_date =
        bytes.len() >= 10 && bytes[4] == b'-' && bytes[..4].iter().all(u8::is_ascii_digit);
    if !looks_like_date {
        return None;
    }
    parse_iso_date(text).ok().map(|ms| ms as f64)
}

/// Parses the text inside `date( ... )` into epoch milliseconds (UTC), or says what is wrong.
pub fn parse_iso_date(text: &str) -> Result<i64, String> {
    let (date_part, time_part) = match text.split_once(['T', 't']) {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    let mut fields = date_part.split('-');
    let year = number(fields.next(), 4, "year")?;
    let month = match fields.next() {
        Some(m) => number(Some(m), 2, "month")?,
        None => 1,
    };
    let day = match fields.next() {
        Some(d) => number(Some(d), 2, "day")?,
        None => 1,
    };
    if fields.next().is_some() {
        return Err("too many date fields: expected YYYY-MM-DD".into());
    }
    if !(1..=12).contains(&month) {
        return Err(format!("month {month} is not 01-12"));
    }
    if day < 1 || day > days_in_month(year, month) {
        return Err(format!("day {day} does not exist in {year:04}-{month:02}"));
    }
    if time_part.is_some() && date_part.len() != 10 {
        return Err("a time needs a full date: YYYY-MM-DDThh:mm".into());
    }
    let (mut ms_of_day, mut offset_minutes) = (0i64, 0i64);
    if let Some(time) = time_part {
        let (clock, zone) = split_zone(time);
        offset_minutes = parse_zone(zone)?;
        ms_of_day = parse_clock(clock)?;
    }
    let days = days_from_civil(year, month, day);
    Ok(days * 86_400_000 + ms_of_day - offset_minutes * 60_000)
}

fn number(field: Option<&str>, digits: usize, what: &str) -> Result<i64, String> {
    match field {
        Some(f) if f.len() == digits && f.bytes().all(|b| b.is_ascii_digit()) => {
            Ok(f.parse().unwrap_or(0))
        }
        Some(f) => Err(format!("`{f}` is not a {digits}-digit {what}")),
        None => Err(format!("missing {what}")),
    }
}

fn split_zone(time: &str) -> (&str, &str) {
    if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        return (clock, "Z");
    }
    match time.rfind(['+', '-']) {
        Some(i) => (&time[..i], &time[i..]),
        None => (time, ""),
    }
}

fn parse_zone(zone: &str) -> Result<i64, String> {
    if zone.is_empty() || zone == "Z" {
        return Ok(0);
    }
    let sign = if zone.starts_with('-') { -1 } else { 1 };
    let digits: String = zone[1..].chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("`{zone}` is not a time zone: expected Z or ±hh:mm"));
    }
    let hours: i64 = digits[..2].parse().unwrap_or(0);
    let minutes: i64 = digits[2..].parse().unwrap_or(0);
    if hours > 23 || minutes > 59 {
        return Err(format!("`{zone}` is not a valid offset"));
    }
    Ok(sign * (hours * 60 + minutes))
}

fn parse_clock(clock: &str) -> Result<i64, String> {
    let (hms, fraction) = match clock.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (clock, None),
    };
    let mut parts = hms.split(':');
    let hour = number(parts.next(), 2, "hour")?;
    let minute = match parts.next() {
        Some(m) => number(Some(m), 2, "minute")?,
        None => 0,
    };
    let second = match parts.next() {
        Some(s) => number(Some(s), 2, "second")?,
        None => 0,
    };
    if parts.next().is_some() {
        return Err("too many time fields: expected hh:mm:ss".into());
    }
    if hour > 23 || minute > 59 || second > 59 {
        return Err(format!(
            "{hour:02}:{minute:02}:{second:02} is not a time of day"
        ));
    }
    let millis = match fraction {
        None => 0,
        Some(f) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => {
            let padded = format!("{f:0<3}");
            padded[..3].parse::<i64>().unwrap_or(0)
        }
        Some(f) => return Err(format!("`.{f}` is not a fraction of a second")),
    };
    if fraction.is_some() && hms.matches(':').count() != 2 {
        return Err("a fraction of a second needs hh:mm:ss".into());
    }
    Ok(((hour * 60 + minute) * 60 + second) * 1000 + millis)
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in a month of the proleptic Gregorian calendar.
pub fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01 (inverse of [`days_from_civil`]).
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_of_the_spec() {
        assert_eq!(parse_iso_date("1970"), Ok(0));
        assert_eq!(parse_iso_date("2019-10"), Ok(1_569_888_000_000));
        assert_eq!(parse_iso_date("2019-10-30"), Ok(1_572_393_600_000));
        assert_eq!(parse_iso_date("2019-10-30T10Z"), Ok(1_572_429_600_000));
        assert_eq!(parse_iso_date("2019-10-30T10:30Z"), Ok(1_572_431_400_000));
        assert_eq!(
            parse_iso_date("2019-10-30T10:30:15Z"),
            Ok(1_572_431_415_000)
        );
        assert_eq!(
            parse_iso_date("2019-10-30T10:30:15.5Z"),
            Ok(1_572_431_415_500)
        );
        assert_eq!(
            parse_iso_date("2019-10-30T10:30:15+02:00"),
            Ok(1_572_431_415_000 - 2 * 3_600_000)
        );
        assert_eq!(
            parse_iso_date("2019-10-30T10:30:15-0130"),
            Ok(1_572_436_815_000)
        );
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for bad in [
            "",
            "19",
            "2019-13",
            "2019-02-30",
            "2019-1-5",
            "2019-10-30T25",
            "2019-10-30T10:61",
            "2019-10-30T10:00+5",
            "yesterday",
            "2019-10-30-01",
            "2019-10T10",
        ] {
            assert!(parse_iso_date(bad).is_err(), "{bad} should be rejected");
        }
        assert!(parse_iso_date("2020-02-29").is_ok());
        assert!(parse_iso_date("2019-02-29").is_err());
    }

    #[test]
    fn civil_round_trip() {
        for days in [-1_000_000, -1, 0, 1, 18_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
