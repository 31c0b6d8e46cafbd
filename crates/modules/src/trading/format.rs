//! Number formatting for replies: VND with `.` thousands separators, quantities, P&L.

/// `15.000.000 VND`, `-1.500 VND`: `.` every three digits, ` VND` suffix, `-` for negatives.
///
/// Takes an `i128` so that sums of holdings (which may grow past `i64` when prices rise) always
/// format without overflow.
///
/// ```
/// use miti99bot_modules::trading::format::format_vnd;
/// assert_eq!(format_vnd(15_000_000), "15.000.000 VND");
/// assert_eq!(format_vnd(-1_500), "-1.500 VND");
/// assert_eq!(format_vnd(0), "0 VND");
/// ```
pub fn format_vnd(amount: i128) -> String {
    format!("{} VND", group_thousands(amount))
}

/// `15.000.000`: the number with `.` thousands separators, no suffix.
pub fn group_thousands(n: i128) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// P&L of `value` against `invested`: `+1.000 VND (+10.00%)`, `-500 VND (-5.00%)`.
///
/// The percentage has two decimals, rounded half away from zero, and is `0.00` when nothing
/// was invested; the sign is `+` when the difference is zero or more (as in the original).
///
/// ```
/// use miti99bot_modules::trading::format::format_pnl;
/// assert_eq!(format_pnl(11_000, 10_000), "+1.000 VND (+10.00%)");
/// assert_eq!(format_pnl(9_500, 10_000), "-500 VND (-5.00%)");
/// assert_eq!(format_pnl(0, 0), "+0 VND (+0.00%)");
/// ```
pub fn format_pnl(value: i128, invested: i128) -> String {
    let diff = value - invested;
    let sign = if diff >= 0 { "+" } else { "" };
    let pct = if invested > 0 {
        format_hundredths(div_round(diff * 10_000, invested))
    } else {
        "0.00".to_owned()
    };
    format!("{sign}{} ({sign}{pct}%)", format_vnd(diff))
}

/// `n / d` rounded half away from zero (`d > 0`).
fn div_round(n: i128, d: i128) -> i128 {
    let q = n / d;
    let r = n % d;
    if 2 * r.abs() >= d {
        q + n.signum()
    } else {
        q
    }
}

/// `1234` hundredths → `12.34`; `-5` → `-0.05`.
fn format_hundredths(h: i128) -> String {
    let sign = if h < 0 { "-" } else { "" };
    let abs = h.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vnd_groups_by_three() {
        assert_eq!(format_vnd(1), "1 VND");
        assert_eq!(format_vnd(999), "999 VND");
        assert_eq!(format_vnd(1_000), "1.000 VND");
        assert_eq!(format_vnd(123_456_789), "123.456.789 VND");
        assert_eq!(format_vnd(-1_000_000), "-1.000.000 VND");
        assert_eq!(format_vnd(i128::from(i64::MIN)), "-9.223.372.036.854.775.808 VND");
    }

    #[test]
    fn pnl_percent_rounds_half_away_from_zero() {
        assert_eq!(format_pnl(10_000, 30_000), "-20.000 VND (-66.67%)");
        assert_eq!(format_pnl(20_000, 30_000), "-10.000 VND (-33.33%)");
        assert_eq!(format_pnl(30_001, 30_000), "+1 VND (+0.00%)");
        assert_eq!(format_pnl(1, 200_000), "-199.999 VND (-100.00%)");
        assert_eq!(format_pnl(100, 0), "+100 VND (+0.00%)");
        assert_eq!(format_pnl(-5, 1_000), "-1.005 VND (-100.50%)");
    }
}
