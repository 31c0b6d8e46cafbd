//! UTC calendar time from Unix milliseconds, without `SystemTime` (which panics on wasm32).

/// Milliseconds in a minute.
pub const MINUTE_MS: i64 = 60_000;
/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;

/// Calendar fields of an instant, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CivilTime {
    /// Year.
    pub year: i64,
    /// 1-12.
    pub month: u32,
    /// 1-31.
    pub day: u32,
    /// 0-23.
    pub hour: u32,
    /// 0-59.
    pub minute: u32,
    /// 0 = Sunday.
    pub weekday: u32,
}

impl CivilTime {
    /// The UTC calendar fields of `ms` (Unix milliseconds).
    pub fn from_unix_ms(ms: i64) -> Self {
        let days = ms.div_euclid(DAY_MS);
        let rem = ms.rem_euclid(DAY_MS);
        let (year, month, day) = civil_from_days(days);
        Self {
            year,
            month,
            day,
            hour: (rem / 3_600_000) as u32,
            minute: ((rem / MINUTE_MS) % 60) as u32,
            // 1970-01-01 was a Thursday (4).
            weekday: (days + 4).rem_euclid(7) as u32,
        }
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`, as JavaScript's `toISOString`.
    pub fn iso8601(ms: i64) -> String {
        let c = Self::from_unix_ms(ms);
        let rem = ms.rem_euclid(MINUTE_MS);
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            c.year,
            c.month,
            c.day,
            c.hour,
            c.minute,
            rem / 1000,
            rem % 1000
        )
    }

    /// `YYYY-MM-DD HH:MM` (UTC).
    pub fn format_minute(&self) -> String {
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute
        )
    }
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_time_is_right() {
        // 2026-11-28 17:00:00 UTC, a Saturday.
        let c = CivilTime::from_unix_ms(1_795_885_200_000);
        assert_eq!(
            (c.year, c.month, c.day, c.hour, c.minute, c.weekday),
            (2026, 11, 28, 17, 0, 6)
        );
        assert_eq!(CivilTime::from_unix_ms(0).format_minute(), "1970-01-01 00:00");
        assert_eq!(CivilTime::iso8601(1_795_885_200_123), "2026-11-28T17:00:00.123Z");
        assert_eq!(CivilTime::iso8601(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }
}
