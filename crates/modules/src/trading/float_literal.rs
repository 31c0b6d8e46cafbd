//! What `str::parse::<f64>` would make of an amount, without `core::num::dec2flt`.
//!
//! [`parse_positive_whole`](super::args::parse_positive_whole) reads float literals (`1e6`,
//! `2.0`, `0.5`) as JavaScript's `Number()` does, and only needs to know whether the nearest
//! `f64` is positive, finite and whole, and which whole number it is. Rust's float parser
//! answers that but costs the Worker's wasm several KB (its power-of-five tables and big-number
//! fallback); [`read`] answers the same question exactly from the decimal digits: the rounding
//! to nearest, ties to even, of the real `f64` parse is decided by comparing the digits with the
//! few thresholds that matter (half an ulp next to a whole number, the underflow to zero, the
//! overflow to infinity), all of them finite decimals. The tests compare it with
//! `str::parse::<f64>` over many generated literals.
//!
//! The grammar is Rust's: an optional sign, digits with at most one `.` (at least one digit),
//! an optional exponent `e`/`E`, optional sign, digits. `inf`, `infinity` and `nan` parse in Rust
//! but are not finite, so [`Reading::NotPositive`] like any text that is not a literal.

/// What the nearest `f64` to a literal is, as far as an amount is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reading {
    /// Not a literal, not finite (it rounds to infinity), zero (it rounds to zero) or negative.
    NotPositive,
    /// Positive and finite, with a fractional part.
    NotWhole,
    /// Whole, below 2^53.
    Whole(u64),
    /// Whole, finite and 2^53 or more.
    Large,
}

/// 2^53: above it every `f64` is a whole number and larger than any amount limit.
const TWO_53: u64 = 1 << 53;

/// Reads `raw` as `str::parse::<f64>` would, classified ([`Reading`]).
pub(crate) fn read(raw: &str) -> Reading {
    let Some(literal) = Literal::parse(raw.as_bytes()) else {
        return Reading::NotPositive;
    };
    if literal.digits.is_empty() || literal.negative {
        // Zero, or negative (which rounds to a negative number or to -0.0).
        return Reading::NotPositive;
    }
    let digits = &literal.digits[..];
    // The value is 0.DIGITS × 10^point: `point` whole digits (or -point zeros after the point).
    let point = literal.point;
    if point > 309 {
        return Reading::NotPositive; // >= 1e309: infinity
    }
    if point == 309 {
        // Infinity from (2^1024 - 2^970) up, the midpoint between f64::MAX and 2^1024 (a tie
        // rounds to 2^1024, the even one).
        let limit = big_digits(&[1, 8, 0, 1, 4, 3, 9, 8, 5, 0, 9, 4, 8, 1, 9, 8, 3], 2, 970);
        return if compare(digits, &limit).is_lt() {
            Reading::Large
        } else {
            Reading::NotPositive
        };
    }
    if point > 16 {
        return Reading::Large; // >= 1e16 > 2^53
    }
    if point <= 0 {
        return read_below_one(digits, point.unsigned_abs() as usize);
    }
    let split = (point as usize).min(digits.len());
    let whole =
        digits[..split].iter().fold(0u64, |n, &d| n * 10 + u64::from(d)) * 10u64.pow((point as usize - split) as u32);
    let fraction = &digits[split..];
    if whole >= TWO_53 {
        return Reading::Large;
    }
    if fraction.is_empty() {
        return Reading::Whole(whole);
    }
    // `whole` >= 1: the value lies in [2^j, 2^(j+1)) with j = floor(log2(whole)), where the
    // f64s are 2^(j-52) apart. It rounds to a whole number when it is within half of that
    // (2^-(53-j)) of one; a tie goes to the even significand, which is the whole number's.
    let j = 63 - whole.leading_zeros();
    if j == 52 {
        // 1 apart: every f64 here is whole; ties to the even one.
        let rounded = match compare(fraction, &[5]) {
            std::cmp::Ordering::Less => whole,
            std::cmp::Ordering::Greater => whole + 1,
            std::cmp::Ordering::Equal => whole + (whole & 1),
        };
        return if rounded < TWO_53 {
            Reading::Whole(rounded)
        } else {
            Reading::Large
        };
    }
    let half_ulp = pow5_fraction(53 - j as usize);
    if compare(fraction, &half_ulp).is_le() {
        Reading::Whole(whole)
    } else if compare(&complement(fraction), &half_ulp).is_le() {
        Reading::Whole(whole + 1)
    } else {
        Reading::NotWhole
    }
}

/// A value 0.(`zeros` zeros)DIGITS, in (0, 1).
fn read_below_one(digits: &[u8], zeros: usize) -> Reading {
    // The smallest f64 is 2^-1074 (4.9e-324); from half of it (2^-1075, 2.47e-324) down the
    // value rounds to zero, the tie included (0 is the even one).
    if zeros >= 324 {
        return Reading::NotPositive; // < 1e-324
    }
    let mut fraction = vec![0; zeros];
    fraction.extend_from_slice(digits);
    if zeros == 323 && compare(&fraction, &pow5_fraction(1075)).is_le() {
        return Reading::NotPositive;
    }
    // Below 1 the f64s are at most 2^-53 apart: 1 - 2^-54 and up round to 1 (a tie to 1,
    // whose significand is even).
    if compare(&complement(&fraction), &pow5_fraction(54)).is_le() {
        Reading::Whole(1)
    } else {
        Reading::NotWhole
    }
}

/// A decimal literal: sign, significant digits (no leading or trailing zeros) and where the
/// decimal point goes.
struct Literal {
    negative: bool,
    /// Significant digits as numbers 0-9; empty for zero.
    digits: Vec<u8>,
    /// The value is 0.DIGITS × 10^point.
    point: i64,
}

impl Literal {
    /// Rust's float grammar (without `inf`/`nan`); `None` if `raw` is not a literal.
    fn parse(raw: &[u8]) -> Option<Self> {
        let (negative, rest) = match raw.first() {
            Some(b'-') => (true, &raw[1..]),
            Some(b'+') => (false, &raw[1..]),
            _ => (false, raw),
        };
        let int_len = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let (int_part, rest) = rest.split_at(int_len);
        let (frac_part, rest) = match rest.split_first() {
            Some((b'.', after)) => {
                let frac_len = after.iter().take_while(|b| b.is_ascii_digit()).count();
                after.split_at(frac_len)
            }
            _ => (&rest[..0], rest),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return None;
        }
        let exponent = match rest.split_first() {
            None => 0,
            Some((b'e' | b'E', after)) => {
                let (exp_negative, exp_digits) = match after.split_first() {
                    Some((b'-', tail)) => (true, tail),
                    Some((b'+', tail)) => (false, tail),
                    _ => (false, after),
                };
                if exp_digits.is_empty() || !exp_digits.iter().all(u8::is_ascii_digit) {
                    return None;
                }
                // Saturated far beyond where anything but zero or infinity is left.
                let magnitude = exp_digits
                    .iter()
                    .fold(0i64, |n, &d| (n * 10 + i64::from(d - b'0')).min(1_000_000_000_000));
                if exp_negative {
                    -magnitude
                } else {
                    magnitude
                }
            }
            Some(_) => return None,
        };
        let all: Vec<u8> = int_part.iter().chain(frac_part).map(|d| d - b'0').collect();
        let leading = all.iter().take_while(|&&d| d == 0).count();
        let trailing = all[leading..].iter().rev().take_while(|&&d| d == 0).count();
        let significant = all[leading..all.len() - trailing].to_vec();
        // int_part's digits come before the point: 0.ALL × 10^int_len, then the exponent.
        let point = int_part.len() as i64 - leading as i64 + exponent;
        Some(Self {
            negative,
            digits: significant,
            point,
        })
    }
}

/// Compares two fractions given as digits after the point (missing digits are zeros).
fn compare(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    let len = a.len().max(b.len());
    let at = |s: &[u8], i: usize| s.get(i).copied().unwrap_or(0);
    (0..len)
        .map(|i| at(a, i).cmp(&at(b, i)))
        .find(|o| o.is_ne())
        .unwrap_or(std::cmp::Ordering::Equal)
}

/// 1 - the fraction (digits after the point, the last one not zero).
fn complement(fraction: &[u8]) -> Vec<u8> {
    let mut out: Vec<u8> = fraction.iter().map(|d| 9 - d).collect();
    if let Some(last) = out.last_mut() {
        *last += 1;
    }
    out
}

/// 2^-m as its m digits after the point (5^m / 10^m).
fn pow5_fraction(m: usize) -> Vec<u8> {
    let digits = big_digits(&[1], 5, m);
    let mut out = vec![0; m - digits.len()];
    out.extend(digits);
    out
}

/// `start` (decimal digits, most significant first) × factor^times, as decimal digits.
fn big_digits(start: &[u8], factor: u8, times: usize) -> Vec<u8> {
    // Little-endian while multiplying.
    let mut n: Vec<u8> = start.iter().rev().copied().collect();
    for _ in 0..times {
        let mut carry = 0;
        for d in n.iter_mut() {
            let v = *d * factor + carry;
            *d = v % 10;
            carry = v / 10;
        }
        if carry > 0 {
            n.push(carry);
        }
    }
    n.reverse();
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reading from Rust's own parser.
    fn expected(raw: &str) -> Reading {
        match raw.parse::<f64>() {
            Ok(v) if v.is_finite() && v > 0.0 => {
                if v.fract() != 0.0 {
                    Reading::NotWhole
                } else if v < TWO_53 as f64 {
                    Reading::Whole(v as u64)
                } else {
                    Reading::Large
                }
            }
            _ => Reading::NotPositive,
        }
    }

    #[track_caller]
    fn check(raw: &str) {
        assert_eq!(read(raw), expected(raw), "{raw:?}");
    }

    /// A deterministic xorshift64* generator.
    struct Gen(u64);

    impl Gen {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.below(items.len() as u64) as usize]
        }
        /// Digits leaning to runs of 0 and 9 (the near-whole cases).
        fn digits(&mut self, len: u64, out: &mut String) {
            let run = self.pick(&["0", "9", "5", ""]);
            for _ in 0..len {
                match self.below(4) {
                    0 | 1 if !run.is_empty() => out.push_str(run),
                    _ => out.push(char::from(b'0' + self.below(10) as u8)),
                }
            }
        }
    }

    fn text(digits: &[u8]) -> String {
        digits.iter().map(|d| char::from(b'0' + d)).collect()
    }

    #[test]
    fn fixed_cases() {
        for raw in [
            "", "+", "-", ".", "e5", ".e5", "1e", "1e+", "1e-", "1.2.3", "1e5.0", " 1", "1 ", "1_000", "0x10",
            "inf", "-inf", "+infinity", "NaN", "nan", "infinity", "1", "+1", "-1", "0", "-0", "0.0", ".5", "5.",
            "+.5", "-.5", "1.", "1.0", "2.000", "1e0", "1E3", "1e+3", "1e-0", "10e-1", "15e-1", "1e6", "1e15",
            "1e16", "9007199254740992", "9007199254740993", "9007199254740992.5", "9007199254740991.5",
            "4503599627370495.5", "4503599627370496.5", "4503599627370497.5", "4503599627370495.25",
            "0.99999999999999994448884876874217297882", "0.99999999999999994448884876874217297883",
            "0.99999999999999994448884876874217297881", "0.9999999999999999444888487687421729788",
            "0.999999999999999944488848768742172978818416595458984375",
            "0.999999999999999944488848768742172978818416595458984374",
            "0.999999999999999944488848768742172978818416595458984376",
            "1.00000000000000011102230246251565404236316680908203125",
            "1.00000000000000011102230246251565404236316680908203126",
            "1.00000000000000011102230246251565404236316680908203124", "1.0000000000000002",
            "1e-324", "2e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "3e-324", "5e-324",
            "1e-400", "1e-99999999999999999999", "0e99999999999999999999", "1e99999999999999999999",
            "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1e308", "1e309",
            "17976931348623158079372897140530341507993413271003782693617377898044496829276475094664901797758720709633028641669288791094655554785194040263065748867150582068190890200070838367627385484581771153176447573027006985557136695962284291481986083493647529271907416844436551070434271155969950809304288017790417449779.2",
        ] {
            check(raw);
        }
    }

    #[test]
    fn thresholds_exactly() {
        // 2^-1075 and its neighbours in the last digit: zero up to it, the smallest f64 above.
        let tiny = text(&pow5_fraction(1075));
        check(&format!("0.{tiny}"));
        check(&format!("0.{tiny}1"));
        let mut below = pow5_fraction(1075);
        *below.last_mut().unwrap() -= 1;
        check(&format!("0.{}", text(&below)));
        // 2^1024 - 2^970, one below it and just above.
        let huge = text(&big_digits(
            &[1, 8, 0, 1, 4, 3, 9, 8, 5, 0, 9, 4, 8, 1, 9, 8, 3],
            2,
            970,
        ));
        assert_eq!(huge.len(), 309);
        check(&huge);
        check(&format!("{huge}.000001"));
        check(&format!("{}1", &huge[..308]));
        check(&format!("{}e-5", huge));
        // Half an ulp next to whole numbers of every binade, and one unit in the last digit
        // either side, above the number and below the next.
        for j in 0..53u32 {
            for whole in [1u64 << j, (1u64 << j) + 1, (2u64 << j) - 1, (3u64 << j) / 2] {
                let m = if j == 52 { 1 } else { 53 - j as usize };
                let half = if j == 52 { vec![5] } else { pow5_fraction(m) };
                let h = text(&half);
                check(&format!("{whole}.{h}"));
                check(&format!("{whole}.{h}1"));
                check(&format!("{whole}.{h}e0"));
                check(&format!("{whole}{h}e-{}", h.len()));
                let up = text(&complement(&half));
                check(&format!("{}.{up}", whole - 1));
                check(&format!("{}.{up}1", whole - 1));
                let mut less = half.clone();
                *less.last_mut().unwrap() -= 1;
                check(&format!("{whole}.{}9", text(&less)));
                check(&format!("{}.{}", whole - 1, text(&complement(&less))));
            }
        }
    }

    #[test]
    fn matches_rust_on_generated_literals() {
        let mut gen = Gen(0x9e37_79b9_7f4a_7c15);
        for _ in 0..200_000 {
            let mut raw = String::new();
            raw.push_str(gen.pick(&["", "", "", "", "+", "-"]));
            let int_len = gen.pick(&["0", "1", "2", "5", "16", "17", "30"]).parse().unwrap_or(1);
            let int_len = gen.below(int_len + 1);
            gen.digits(int_len, &mut raw);
            if gen.below(3) > 0 {
                raw.push('.');
                let most: u64 = gen.pick(&["1", "3", "17", "40", "60"]).parse().unwrap_or(1);
                let frac_len = gen.below(most + 1);
                gen.digits(frac_len, &mut raw);
            }
            if gen.below(3) == 0 {
                raw.push_str(gen.pick(&["e", "E", "e+", "e-", "E-"]));
                let exp = match gen.below(4) {
                    0 => gen.below(25),
                    1 => 290 + gen.below(40),
                    2 => 300 + gen.below(50),
                    _ => gen.below(100_000),
                };
                raw.push_str(&exp.to_string());
            }
            if gen.below(50) == 0 && !raw.is_empty() {
                // A stray character somewhere.
                let at = gen.below(raw.len() as u64 + 1) as usize;
                raw.insert_str(at, gen.pick(&[" ", "e", ".", "+", "-", "x", "I", "0"]));
            }
            check(&raw);
        }
    }

    #[test]
    fn matches_rust_near_every_f64_class() {
        // Literals from random f64s (Rust's shortest round trip), with a digit added or changed.
        let mut gen = Gen(42);
        for _ in 0..100_000 {
            let value = match gen.below(3) {
                0 => f64::from_bits(gen.next() >> 1),
                1 => (gen.below(1 << 54) as f64) / f64::from(1u32 << gen.below(30)),
                _ => gen.below(2_000_000_000) as f64 + [0.5, 0.25, 1e-9, 0.0][gen.below(4) as usize],
            };
            for raw in [format!("{value:e}"), format!("{value}")] {
                check(&raw);
                let mut bumped = raw.clone();
                let at = raw.find('e').unwrap_or(raw.len());
                bumped.insert_str(at, gen.pick(&["1", "9", "5", "49", "51", "0001", "9999"]));
                if !bumped.contains('.') {
                    let at = bumped.find('e').unwrap_or(1).min(bumped.len());
                    bumped.insert(at.max(1), '.');
                }
                check(&bumped);
            }
        }
    }
}
