//! Swedish identity numbers: personnummer and samordningsnummer (coordination numbers).
//!
//! What Akta needs: one canonical stored form (YYYYMMDD-NNNC), the century of a
//! 10-digit number read the way Skatteverket writes it, the check digit required, no
//! birth dates in the future, and the birth day used by the culling rule (5th, 15th,
//! 25th).
//!
//! The reading is written here rather than taken from the `personnummer` crate: the
//! crate reads the system clock inside its parser (which panics in the browser, where
//! the new-file form reads the number as it is typed), picks the century by the year
//! alone (so `050505-3579` entered on 2026-01-01 would be read as 1905), and accepts a
//! missing check digit as 0. The crate stays a test dependency: the property tests check
//! that it agrees with this module on every 12-digit number.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Why an identity number was refused. Shown to the user next to the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum IdentityNumberError {
    #[error("write the number as YYYYMMDD-NNNN")]
    Format,
    /// Nine digits after the date's six: the last digit (the check digit) is missing.
    #[error("the check digit (the last digit) is missing")]
    MissingCheckDigit,
    #[error("the date in the number does not exist")]
    Date,
    #[error("the check digit does not match")]
    CheckDigit,
    #[error("the birth date lies in the future")]
    Future,
}

/// A valid personnummer or samordningsnummer, stored as `YYYYMMDD-NNNC`
/// (for a samordningsnummer the day is the birth day + 60).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct IdentityNumber {
    canonical: String,
    birth_date: NaiveDate,
    coordination: bool,
}

/// The separator of a 10-digit number (Skatteverket): `-` (or none) under 100 years
/// old on the day the number is written, `+` 100 or older.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Separator {
    Minus,
    Plus,
}

impl IdentityNumber {
    /// Parses the common spellings: `YYYYMMDD-NNNC`, `YYYYMMDDNNNC` (as written, the
    /// century included) and `YYMMDD-NNNC`, `YYMMDDNNNC`, `YYMMDD+NNNC`. `today` is the
    /// day the number is entered: it decides the century of a 10-digit number
    /// (Skatteverket: `-` or no separator means under 100 years old that day, `+` 100
    /// or older) and refuses birth dates after it. The rule stays pure: no clock here.
    pub fn parse(raw: &str, today: NaiveDate) -> Result<Self, IdentityNumberError> {
        let raw = raw.trim();
        if raw.is_empty() || raw.len() > 13 || !raw.is_ascii() {
            return Err(IdentityNumberError::Format);
        }
        let (digits, separator) = match raw.find(['-', '+']) {
            Some(at) => {
                let (date, rest) = raw.split_at(at);
                let sep = if rest.starts_with('+') {
                    Separator::Plus
                } else {
                    Separator::Minus
                };
                let tail = &rest[1..];
                if !(date.len() == 6 || date.len() == 8) || !all_digits(date) || !all_digits(tail) {
                    return Err(IdentityNumberError::Format);
                }
                match tail.len() {
                    4 => {}
                    3 => return Err(IdentityNumberError::MissingCheckDigit),
                    _ => return Err(IdentityNumberError::Format),
                }
                (format!("{date}{tail}"), sep)
            }
            None => {
                if !all_digits(raw) {
                    return Err(IdentityNumberError::Format);
                }
                match raw.len() {
                    10 | 12 => {}
                    // Nine or eleven digits: a date (6 or 8 digits) with a 3-digit tail.
                    9 | 11 => return Err(IdentityNumberError::MissingCheckDigit),
                    _ => return Err(IdentityNumberError::Format),
                }
                (raw.to_owned(), Separator::Minus)
            }
        };
        let (year, rest) = if digits.len() == 12 {
            // 12 digits: the century as written (the separator is then only punctuation).
            (number(&digits[..4]), &digits[4..])
        } else {
            let yy = number(&digits[..2]);
            let (month, day) = (number(&digits[2..4]), number(&digits[4..6]));
            // A samordningsnummer's day is the birth day + 60: compare the birth day.
            let day = if day > 60 { day - 60 } else { day };
            (century_year(yy, month, day, separator, today), &digits[2..])
        };
        let (month, day_field) = (number(&rest[..2]), number(&rest[2..4]));
        let serial = number(&rest[4..7]);
        let check = number(&rest[7..8]);
        let coordination = day_field > 60;
        let day = if coordination {
            day_field - 60
        } else {
            day_field
        };
        let birth_date = i32::try_from(year)
            .ok()
            .and_then(|y| NaiveDate::from_ymd_opt(y, month, day))
            .ok_or(IdentityNumberError::Date)?;
        // Skatteverket: the check digit covers YYMMDDNNN as written (day + 60 for a
        // samordningsnummer); serial 000 is never issued.
        let nine = format!("{:02}{}", year % 100, &rest[..7]);
        if serial == 0 || luhn_digit(&nine) != check {
            return Err(IdentityNumberError::CheckDigit);
        }
        if birth_date > today {
            return Err(IdentityNumberError::Future);
        }
        Ok(Self {
            canonical: format!("{year:04}{}-{}", &rest[..4], &rest[4..]),
            birth_date,
            coordination,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.canonical
    }

    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }

    pub fn is_coordination_number(&self) -> bool {
        self.coordination
    }

    /// The number with the last four digits hidden, for lists where the full number
    /// is not needed.
    pub fn masked(&self) -> String {
        format!("{}-****", &self.canonical[..8])
    }

    /// Builds a valid number from its parts by computing the check digit: for test
    /// and demo data (real people's numbers never enter demo data).
    pub fn from_parts(birth_date: NaiveDate, serial: u16, coordination: bool) -> Option<Self> {
        if serial == 0 || serial > 999 {
            return None;
        }
        let day = birth_date.day() + if coordination { 60 } else { 0 };
        let nine = format!(
            "{:02}{:02}{:02}{:03}",
            birth_date.year() % 100,
            birth_date.month(),
            day,
            serial
        );
        let check = luhn_digit(&nine);
        let canonical = format!(
            "{:04}{:02}{:02}-{:03}{}",
            birth_date.year(),
            birth_date.month(),
            day,
            serial,
            check
        );
        Some(Self {
            canonical,
            birth_date,
            coordination,
        })
    }

    /// The 10-digit form as Skatteverket writes it on `today`: `YYMMDD-NNNC` under 100
    /// years old, `YYMMDD+NNNC` from the 100th birthday.
    pub fn short_form(&self, today: NaiveDate) -> String {
        let sep = if age_on(self.birth_date, today) >= 100 {
            '+'
        } else {
            '-'
        };
        format!("{}{sep}{}", &self.canonical[2..8], &self.canonical[9..])
    }
}

/// A stored number that the earlier reading may have put in the wrong century, and what
/// it would be in the next one. The earlier rule (before 2026-12) gave every 10-digit
/// number the 1900s; a number it misread is a `19xx` number whose `20xx` reading is a
/// valid number with a birth date not after `today`. The two cannot be told apart from
/// the number alone (a client born 1912 and one born 2012 write `121212-1212` the
/// same), so this only finds the candidates: a person must decide.
pub fn possible_century_misreading(stored: &str, today: NaiveDate) -> Option<IdentityNumber> {
    let current = IdentityNumber::parse(stored, today).ok()?;
    if !current.as_str().starts_with("19") {
        return None;
    }
    let other = format!("20{}", &current.as_str()[2..]);
    IdentityNumber::parse(&other, today).ok()
}

/// Whole years from `birth` to `on`.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// The year of a 10-digit number's date `yy-month-day` (the real day, for a
/// samordningsnummer already less 60), read on `today`. `-`: the latest year ending in
/// `yy` whose date is not after today, so the person is under 100 that day. `+`: the
/// century before, so the person is 100 or older.
fn century_year(yy: u32, month: u32, day: u32, separator: Separator, today: NaiveDate) -> u32 {
    let this_year = u32::try_from(today.year()).unwrap_or(0);
    let mut year = this_year - (this_year + 100 - yy) % 100;
    if year == this_year && (month, day) > (today.month(), today.day()) {
        year -= 100;
    }
    match separator {
        Separator::Minus => year,
        Separator::Plus => year - 100,
    }
}

fn all_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

/// The value of a run of ASCII digits (checked by the caller).
fn number(digits: &str) -> u32 {
    digits
        .bytes()
        .fold(0, |n, b| n * 10 + u32::from(b.saturating_sub(b'0')))
}

/// Luhn check digit over the nine digits YYMMDDNNN.
fn luhn_digit(nine: &str) -> u32 {
    let sum: u32 = nine
        .chars()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| {
            let v = if i % 2 == 0 { d * 2 } else { d };
            if v > 9 { v - 9 } else { v }
        })
        .sum();
    (10 - sum % 10) % 10
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    fn today() -> NaiveDate {
        d(2026, 11, 23)
    }

    fn canonical(raw: &str, on: NaiveDate) -> String {
        IdentityNumber::parse(raw, on)
            .map(|id| id.as_str().to_owned())
            .unwrap_or_else(|e| format!("refused: {e}"))
    }

    // Issue 13, case 1: a 21-year-old's number written with a dash.
    #[test]
    fn a_ten_digit_number_with_a_dash_is_under_100_on_the_day_it_is_entered() {
        assert_eq!(canonical("050505-3579", today()), "20050505-3579");
        assert_eq!(canonical("0505053579", today()), "20050505-3579");
        assert_eq!(canonical("121212-1212", today()), "20121212-1212");
        assert_eq!(canonical("1212121212", today()), "20121212-1212");
        // Born 2000-02-29: a real date in 2000, not in 1900.
        assert_eq!(canonical("000229-1235", today()), "20000229-1235");
        // 99 years old, the 100th birthday still to come this year.
        let ninety_nine = IdentityNumber::from_parts(d(1926, 12, 24), 123, false).expect("parts");
        let short = ninety_nine.short_form(today());
        assert!(short.starts_with("261224-123"), "{short}");
        assert_eq!(canonical(&short, today()), ninety_nine.as_str());
        // Born today: 0 years old, this century.
        let born_today = IdentityNumber::from_parts(today(), 123, false).expect("parts");
        assert_eq!(
            canonical(&born_today.short_form(today()), today()),
            born_today.as_str()
        );
    }

    // Skatteverket: "+" from the year the person turns 100.
    #[test]
    fn a_plus_means_100_or_older() {
        assert_eq!(canonical("121212+1212", today()), "19121212-1212");
        let old = IdentityNumber::from_parts(d(1926, 11, 23), 239, false).expect("parts");
        // 100 today: "+".
        assert_eq!(old.short_form(today()), "261123+2394");
        assert_eq!(canonical("261123+2394", today()), "19261123-2394");
        // The same digits with a dash are a person born this very day in 2026.
        assert_eq!(canonical("261123-2394", today()), "20261123-2394");
        // 000229 with "+": 1900-02-29 never existed.
        assert_eq!(
            IdentityNumber::parse("000229+1235", today()),
            Err(IdentityNumberError::Date)
        );
    }

    #[test]
    fn twelve_digits_are_read_as_written() {
        for raw in ["19121212-1212", "191212121212", "19121212+1212"] {
            assert_eq!(canonical(raw, today()), "19121212-1212", "{raw}");
        }
        assert_eq!(canonical("20121212-1212", today()), "20121212-1212");
    }

    #[test]
    fn a_missing_check_digit_is_refused_not_taken_as_zero() {
        for raw in ["19121212-103", "121212-121", "191212121", "12121212103"] {
            assert_eq!(
                IdentityNumber::parse(raw, today()),
                Err(IdentityNumberError::MissingCheckDigit),
                "{raw}"
            );
        }
    }

    #[test]
    fn refuses_a_wrong_check_digit() {
        assert_eq!(
            IdentityNumber::parse("19121212-1213", today()),
            Err(IdentityNumberError::CheckDigit)
        );
        assert_eq!(
            IdentityNumber::parse("121212-1213", today()),
            Err(IdentityNumberError::CheckDigit)
        );
    }

    #[test]
    fn refuses_a_date_that_does_not_exist() {
        assert_eq!(
            IdentityNumber::parse("19990230-1234", today()),
            Err(IdentityNumberError::Date)
        );
        // 2026 is no leap year.
        assert_eq!(
            IdentityNumber::parse("20260229-1234", today()),
            Err(IdentityNumberError::Date)
        );
    }

    #[test]
    fn refuses_garbage() {
        for raw in [
            "",
            "abc",
            "1212-12",
            "19121212-12121212",
            "19121212",
            "1212121-1212",
            "121212--1212",
            "12121é-1212",
        ] {
            assert_eq!(
                IdentityNumber::parse(raw, today()),
                Err(IdentityNumberError::Format),
                "{raw}"
            );
        }
    }

    #[test]
    fn accepts_a_samordningsnummer_with_day_plus_60() {
        // 1970-10-03 + 60 = 63; check digit over 701063239.
        for raw in ["19701063-2391", "701063-2391", "7010632391"] {
            let id = IdentityNumber::parse(raw, today()).expect("valid samordningsnummer");
            assert!(id.is_coordination_number());
            assert_eq!(id.as_str(), "19701063-2391");
            assert_eq!(id.birth_date(), d(1970, 10, 3));
        }
        // Read by age like any number: born 2005-05-05, written 050565-.
        let young = IdentityNumber::from_parts(d(2005, 5, 5), 357, true).expect("parts");
        assert_eq!(
            canonical(&young.short_form(today()), today()),
            young.as_str()
        );
        assert!(young.as_str().starts_with("20050565-"));
        // Day 60 is no day at all.
        assert_eq!(
            IdentityNumber::parse("701060-2391", today()),
            Err(IdentityNumberError::Date)
        );
    }

    #[test]
    fn refuses_a_birth_date_in_the_future() {
        let future = IdentityNumber::from_parts(d(2026, 12, 24), 123, false).expect("parts");
        assert_eq!(
            IdentityNumber::parse(future.as_str(), today()),
            Err(IdentityNumberError::Future)
        );
    }

    #[test]
    fn masks_the_last_four_digits() {
        let id = IdentityNumber::parse("19121212-1212", today()).expect("valid");
        assert_eq!(id.masked(), "19121212-****");
    }

    #[test]
    fn finds_numbers_the_old_reading_may_have_put_in_the_1900s() {
        // 19050505-3579: 20050505-3579 is a valid, past date: a candidate.
        let other = possible_century_misreading("19050505-3579", today()).expect("candidate");
        assert_eq!(other.as_str(), "20050505-3579");
        // 1970: 2070 lies in the future, so the number was read right.
        let seventy = IdentityNumber::from_parts(d(1970, 10, 3), 239, false).expect("parts");
        assert_eq!(possible_century_misreading(seventy.as_str(), today()), None);
        // Already in the 2000s.
        assert_eq!(possible_century_misreading("20121212-1212", today()), None);
    }

    fn leap_and_month_end_dates() -> impl Strategy<Value = NaiveDate> {
        // Birth dates from 1900 to today, weighted towards the days that break date code.
        prop_oneof![
            (0i64..46_000).prop_map(|n| d(1900, 1, 1) + chrono::Duration::days(n)),
            (
                1900i32..2026,
                prop::sample::select(vec![(2u32, 28u32), (2, 29), (12, 31), (1, 1)])
            )
                .prop_filter_map("a real date", |(y, (m, day))| {
                    NaiveDate::from_ymd_opt(y, m, day)
                }),
        ]
    }

    proptest! {
        #[test]
        fn generated_numbers_parse_back(days in 0i64..40_000, serial in 1u16..1000, coord: bool) {
            let birth = d(1910, 1, 1) + chrono::Duration::days(days);
            let id = IdentityNumber::from_parts(birth, serial, coord).expect("parts");
            let parsed = IdentityNumber::parse(id.as_str(), today()).expect("generated number parses");
            prop_assert_eq!(&parsed, &id);
            prop_assert_eq!(parsed.birth_date(), birth);
        }

        /// The short form with the separator Skatteverket would print on the day of
        /// entry reads back to the same person, for any entry day and birth date
        /// (leap days, month ends, both separators, samordningsnummer).
        #[test]
        fn the_short_form_of_the_day_reads_back(
            birth in leap_and_month_end_dates(),
            age_days in 0i64..70_000,
            serial in 1u16..1000,
            coord: bool,
        ) {
            let entered = birth + chrono::Duration::days(age_days);
            let id = IdentityNumber::from_parts(birth, serial, coord).expect("parts");
            let short = id.short_form(entered);
            prop_assert_eq!(short.contains('+'), age_on(birth, entered) >= 100);
            let parsed = IdentityNumber::parse(&short, entered).expect("short form parses");
            prop_assert_eq!(parsed.as_str(), id.as_str());
            prop_assert_eq!(parsed.birth_date(), birth);
            if !short.contains('+') {
                let bare: String = short.chars().filter(char::is_ascii_digit).collect();
                let parsed = IdentityNumber::parse(&bare, entered).expect("bare digits parse");
                prop_assert_eq!(parsed.as_str(), id.as_str());
            }
        }

        /// The crate `personnummer` agrees on validity for every 12-digit personnummer.
        /// (Not for samordningsnummer: version 3.1 computes their check digit over the
        /// un-shifted day, where Skatteverket's digit covers day + 60.)
        #[test]
        fn agrees_with_the_personnummer_crate_on_twelve_digits(
            birth in leap_and_month_end_dates(),
            serial in 1u16..1000,
            check in 0u32..10,
        ) {
            let id = IdentityNumber::from_parts(birth, serial, false).expect("parts");
            let mut raw = id.as_str().to_owned();
            raw.pop();
            raw.push(char::from_digit(check, 10).expect("digit"));
            let ours = IdentityNumber::parse(&raw, today()).is_ok();
            let crate_ok = personnummer::Personnummer::new(&raw).map(|p| p.valid()).unwrap_or(false);
            prop_assert_eq!(ours, crate_ok, "{}", raw);
        }

        #[test]
        fn changing_the_check_digit_is_refused(days in 0i64..30_000, serial in 1u16..1000) {
            let birth = d(1920, 1, 1) + chrono::Duration::days(days);
            let id = IdentityNumber::from_parts(birth, serial, false).expect("parts");
            let mut s = id.as_str().to_owned();
            let last = s.pop().and_then(|c| c.to_digit(10)).expect("digit");
            s.push(char::from_digit((last + 1) % 10, 10).expect("digit"));
            prop_assert_eq!(IdentityNumber::parse(&s, today()), Err(IdentityNumberError::CheckDigit));
        }
    }
}
