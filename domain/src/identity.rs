//! Swedish identity numbers: personnummer and samordningsnummer (coordination numbers).
//!
//! Parsing and the check digit come from the `personnummer` crate; this newtype adds
//! what Akta needs on top: one canonical stored form (YYYYMMDD-NNNC), no birth dates
//! in the future, and the birth day used by the culling rule (5th, 15th, 25th).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Why an identity number was refused. Shown to the user next to the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum IdentityNumberError {
    #[error("write the number as YYYYMMDD-NNNN")]
    Format,
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

impl IdentityNumber {
    /// Parses any common spelling (with or without century, dash or plus) and
    /// checks date and check digit. `today` is passed in so the rule stays pure.
    pub fn parse(raw: &str, today: NaiveDate) -> Result<Self, IdentityNumberError> {
        let raw = raw.trim();
        if raw.is_empty() || raw.len() > 13 {
            return Err(IdentityNumberError::Format);
        }
        let pnr = personnummer::Personnummer::parse(raw).map_err(|e| match e {
            personnummer::PersonnummerError::InvalidDate => IdentityNumberError::Date,
            personnummer::PersonnummerError::InvalidInput => IdentityNumberError::Format,
        })?;
        let coordination = pnr.is_coordination_number();
        let canonical = pnr.format().long();
        // The crate computes the check digit over the un-shifted day, which is wrong for
        // samordningsnummer (Skatteverket: the digit covers day + 60). Check it here.
        if !luhn_ok(&canonical) || pnr.serial() == 0 {
            return Err(IdentityNumberError::CheckDigit);
        }
        let birth_date = NaiveDate::from_ymd_opt(pnr.year(), pnr.month(), pnr.day())
            .ok_or(IdentityNumberError::Date)?;
        if birth_date > today {
            return Err(IdentityNumberError::Future);
        }
        Ok(Self {
            canonical,
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

/// Checks the Luhn digit of a canonical `YYYYMMDD-NNNC`.
fn luhn_ok(canonical: &str) -> bool {
    let digits: String = canonical.chars().filter(char::is_ascii_digit).collect();
    if digits.len() != 12 {
        return false;
    }
    let check = digits[11..].chars().next().and_then(|c| c.to_digit(10));
    check == Some(luhn_digit(&digits[2..11]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).expect("valid date")
    }

    #[test]
    fn accepts_skatteverkets_test_numbers_in_any_spelling() {
        for raw in ["19121212-1212", "191212121212", "121212-1212", "1212121212"] {
            let id = IdentityNumber::parse(raw, today()).expect(raw);
            assert_eq!(id.as_str(), "19121212-1212");
            assert!(!id.is_coordination_number());
        }
    }

    #[test]
    fn refuses_a_wrong_check_digit() {
        assert_eq!(
            IdentityNumber::parse("19121212-1213", today()),
            Err(IdentityNumberError::CheckDigit)
        );
    }

    #[test]
    fn refuses_a_date_that_does_not_exist() {
        assert_eq!(
            IdentityNumber::parse("19990230-1234", today()),
            Err(IdentityNumberError::Date)
        );
    }

    #[test]
    fn refuses_garbage() {
        for raw in ["", "abc", "1212-12", "19121212-12121212"] {
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
        let id = IdentityNumber::parse("19701063-2391", today()).expect("valid samordningsnummer");
        assert!(id.is_coordination_number());
        assert_eq!(
            id.birth_date(),
            NaiveDate::from_ymd_opt(1970, 10, 3).expect("date")
        );
    }

    #[test]
    fn refuses_a_birth_date_in_the_future() {
        let future = IdentityNumber::from_parts(
            NaiveDate::from_ymd_opt(2026, 12, 24).expect("date"),
            123,
            false,
        )
        .expect("parts");
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

    proptest! {
        #[test]
        fn generated_numbers_parse_back(days in 0i64..40_000, serial in 1u16..1000, coord: bool) {
            let birth = NaiveDate::from_ymd_opt(1910, 1, 1).expect("date") + chrono::Duration::days(days);
            let id = IdentityNumber::from_parts(birth, serial, coord).expect("parts");
            let parsed = IdentityNumber::parse(id.as_str(), today()).expect("generated number parses");
            prop_assert_eq!(&parsed, &id);
            prop_assert_eq!(parsed.birth_date(), birth);
        }

        #[test]
        fn changing_the_check_digit_is_refused(days in 0i64..30_000, serial in 1u16..1000) {
            let birth = NaiveDate::from_ymd_opt(1920, 1, 1).expect("date") + chrono::Duration::days(days);
            let id = IdentityNumber::from_parts(birth, serial, false).expect("parts");
            let mut s = id.as_str().to_owned();
            let last = s.pop().and_then(|c| c.to_digit(10)).expect("digit");
            s.push(char::from_digit((last + 1) % 10, 10).expect("digit"));
            prop_assert_eq!(IdentityNumber::parse(&s, today()), Err(IdentityNumberError::CheckDigit));
        }
    }
}
