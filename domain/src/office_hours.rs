//! Office hours, for the manager's review of the access log: HSLF-FS 2016:40 (4 kap.
//! 9 §) asks the care provider to follow up access systematically; reads at night
//! and at weekends are the first lines a reviewer looks at.
//!
//! The unit's office hours are weekdays 07:00–18:00 Swedish time (public holidays are
//! not known here and count as weekdays).

use chrono::{Datelike, NaiveDateTime, Timelike, Weekday};

/// The first hour of office hours and the hour at which they end.
pub const OPENS_AT: u32 = 7;
pub const CLOSES_AT: u32 = 18;

/// Whether a Swedish wall-clock time is within office hours (Monday–Friday,
/// 07:00 up to but not including 18:00).
pub fn is_office_hours(local: NaiveDateTime) -> bool {
    let weekday = !matches!(local.weekday(), Weekday::Sat | Weekday::Sun);
    weekday && (OPENS_AT..CLOSES_AT).contains(&local.hour())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|day| day.and_hms_opt(h, min, 0))
            .unwrap_or_default()
    }

    #[test]
    fn weekdays_from_seven_to_six_are_office_hours() {
        // 2026-12-01 is a Tuesday.
        assert!(is_office_hours(at(2026, 12, 1, 7, 0)));
        assert!(is_office_hours(at(2026, 12, 1, 17, 59)));
        assert!(!is_office_hours(at(2026, 12, 1, 6, 59)));
        assert!(!is_office_hours(at(2026, 12, 1, 18, 0)));
        assert!(!is_office_hours(at(2026, 12, 1, 23, 30)));
    }

    #[test]
    fn weekends_are_never_office_hours() {
        // 2026-12-05 is a Saturday, the 6th a Sunday.
        assert!(!is_office_hours(at(2026, 12, 5, 10, 0)));
        assert!(!is_office_hours(at(2026, 12, 6, 12, 0)));
        assert!(is_office_hours(at(2026, 12, 7, 9, 0)));
    }
}
