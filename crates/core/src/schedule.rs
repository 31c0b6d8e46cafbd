//! 5-field UTC cron schedules: parsing, matching and the next fire time.
//!
//! Fields: minute (0-59), hour (0-23), day of month (1-31), month (1-12 or JAN-DEC), day of
//! week (0-7, 0 and 7 are Sunday, or SUN-SAT). Each field is `*`, a value, a range `a-b`, a step
//! `*/n` or `a-b/n`, or a comma list of these. As in Vixie cron, when both day fields are
//! restricted a day matches if either matches.

use crate::civil_time::{CivilTime, DAY_MS, MINUTE_MS};

/// A parsed schedule: for each field, a bit set of the values it matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    minutes: u64,
    hours: u64,
    days: u64,
    months: u64,
    weekdays: u64,
    days_restricted: bool,
    weekdays_restricted: bool,
}

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const WEEKDAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

impl Schedule {
    /// Parses a 5-field expression; the error says which field is wrong and why.
    pub fn parse(expr: &str) -> Result<Self, String> {
        let fields: Vec<&str> = expr.split_whitespace().collect();
        if fields.len() != 5 {
            return Err(format!(
                "expected 5 fields (minute hour day-of-month month day-of-week), found {}",
                fields.len()
            ));
        }
        let minutes = parse_field(fields[0], "minute", 0, 59, &[])?;
        let hours = parse_field(fields[1], "hour", 0, 23, &[])?;
        let days = parse_field(fields[2], "day-of-month", 1, 31, &[])?;
        let months = parse_field(fields[3], "month", 1, 12, &MONTHS)?;
        let mut weekdays = parse_field(fields[4], "day-of-week", 0, 7, &WEEKDAYS)?;
        if weekdays & (1 << 7) != 0 {
            weekdays = (weekdays | 1) & !(1 << 7);
        }
        Ok(Self {
            minutes,
            hours,
            days,
            months,
            weekdays,
            days_restricted: fields[2] != "*",
            weekdays_restricted: fields[4] != "*",
        })
    }

    /// True when the schedule fires in the minute containing `ms`.
    pub fn matches(&self, ms: i64) -> bool {
        let t = CivilTime::from_unix_ms(ms);
        bit(self.minutes, t.minute) && bit(self.hours, t.hour) && self.day_matches(&t)
    }

    fn day_matches(&self, t: &CivilTime) -> bool {
        if !bit(self.months, t.month) {
            return false;
        }
        let dom = bit(self.days, t.day);
        let dow = bit(self.weekdays, t.weekday);
        match (self.days_restricted, self.weekdays_restricted) {
            (true, true) => dom || dow,
            (true, false) => dom,
            (false, true) => dow,
            (false, false) => true,
        }
    }

    /// The first minute strictly after `ms` at which the schedule fires (start of that minute,
    /// Unix ms), within about five years; `None` for a schedule that never fires (`0 0 31 2 *`).
    pub fn next_after(&self, ms: i64) -> Option<i64> {
        let mut t = (ms.div_euclid(MINUTE_MS) + 1) * MINUTE_MS;
        let limit = t + 5 * 366 * DAY_MS;
        while t < limit {
            let c = CivilTime::from_unix_ms(t);
            if !self.day_matches(&c) {
                t = (t.div_euclid(DAY_MS) + 1) * DAY_MS;
                continue;
            }
            if !bit(self.hours, c.hour) {
                t = (t.div_euclid(3_600_000) + 1) * 3_600_000;
                continue;
            }
            if bit(self.minutes, c.minute) {
                return Some(t);
            }
            t += MINUTE_MS;
        }
        None
    }
}

fn bit(set: u64, value: u32) -> bool {
    set & (1u64 << value) != 0
}

fn parse_field(field: &str, what: &str, min: u32, max: u32, names: &[&str]) -> Result<u64, String> {
    let mut set = 0u64;
    for part in field.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => {
                let step: u32 = s.parse().map_err(|_| format!("{what}: invalid step {s:?}"))?;
                if step == 0 {
                    return Err(format!("{what}: step must be at least 1"));
                }
                (r, step)
            }
            None => (part, 1),
        };
        let (lo, hi) = if range == "*" {
            (min, max)
        } else if let Some((a, b)) = range.split_once('-') {
            (value(a, what, min, max, names)?, value(b, what, min, max, names)?)
        } else {
            let v = value(range, what, min, max, names)?;
            // `5/15` means from 5 to the end in steps of 15.
            (v, if part.contains('/') { max } else { v })
        };
        if lo > hi {
            return Err(format!("{what}: range {lo}-{hi} is backwards"));
        }
        let mut v = lo;
        while v <= hi {
            set |= 1u64 << v;
            v += step;
        }
    }
    Ok(set)
}

fn value(text: &str, what: &str, min: u32, max: u32, names: &[&str]) -> Result<u32, String> {
    let upper = text.to_ascii_uppercase();
    if let Some(i) = names.iter().position(|n| *n == upper) {
        // Month names start at 1, weekday names at 0.
        return Ok(i as u32 + if min == 1 { 1 } else { 0 });
    }
    let v: u32 = text.parse().map_err(|_| format!("{what}: {text:?} is not a number"))?;
    if v < min || v > max {
        return Err(format!("{what}: {v} is outside {min}-{max}"));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-11-28 17:00:00 UTC, a Saturday.
    const T: i64 = 1_795_885_200_000;

    #[test]
    fn civil_time_is_right() {
        let c = CivilTime::from_unix_ms(T);
        assert_eq!(
            (c.year, c.month, c.day, c.hour, c.minute, c.weekday),
            (2026, 11, 28, 17, 0, 6)
        );
        assert_eq!(CivilTime::from_unix_ms(0).format_minute(), "1970-01-01 00:00");
    }

    #[test]
    fn parses_and_matches() {
        let s = Schedule::parse("0 17 * * *").unwrap();
        assert!(s.matches(T));
        assert!(s.matches(T + 59_000));
        assert!(!s.matches(T + 60_000));
        assert!(!Schedule::parse("*/15 * * * MON-FRI").unwrap().matches(T - 15 * 60_000));
        assert!(Schedule::parse("0 17 * * SAT").unwrap().matches(T));
        assert!(Schedule::parse("0 17 * * 7,6").unwrap().matches(T));
        assert!(
            Schedule::parse("0 17 1 * 6").unwrap().matches(T),
            "dom or dow when both restricted"
        );
    }

    #[test]
    fn next_after_finds_the_next_minute() {
        let s = Schedule::parse("0 17 * * *").unwrap();
        assert_eq!(s.next_after(T - 1), Some(T));
        assert_eq!(s.next_after(T), Some(T + DAY_MS));
        assert_eq!(
            Schedule::parse("*/5 * * * *").unwrap().next_after(T + 1),
            Some(T + 5 * 60_000)
        );
        assert_eq!(Schedule::parse("0 0 31 2 *").unwrap().next_after(T), None);
    }

    #[test]
    fn rejects_bad_expressions() {
        for bad in [
            "* * * *",
            "not-a-cron",
            "60 * * * *",
            "* 24 * * *",
            "* * 0 * *",
            "*/0 * * * *",
            "5-1 * * * *",
            "* * * * * *",
        ] {
            assert!(Schedule::parse(bad).is_err(), "{bad}");
        }
    }
}
