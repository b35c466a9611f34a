//! The life of a yearly audit round (aktgranskning) after it is opened: one round per
//! year, and how long a closed round may still be reopened.
//!
//! routine: "Aktgranskning görs ... en gång per år" — so a year has one round; a round
//! closed too early (reviews left unsubmitted) can be reopened for a while, not forever,
//! so a year's results stop changing once the unit has acted on them.

use chrono::{Days, NaiveDate};

/// Days after closing during which the manager may reopen a round.
pub const REOPEN_DAYS: u32 = 14;

/// The most days past a round's due date a manager may give one review: the
/// reviewer's access to the file ends at the due date otherwise.
pub const EXTEND_MAX_DAYS: u32 = 60;

/// Days after a round's due date from which a review still not submitted is listed
/// for the manager to take further (issue 15: overdue reviews a set number of days
/// past due are the manager's to escalate).
pub const ESCALATE_DAYS: u32 = 14;

/// The last day a round closed on `closed_on` may be reopened.
pub fn reopen_until(closed_on: NaiveDate) -> NaiveDate {
    closed_on
        .checked_add_days(Days::new(u64::from(REOPEN_DAYS)))
        .unwrap_or(NaiveDate::MAX)
}

/// Whether a round closed on `closed_on` may be reopened `today`.
pub fn may_reopen(closed_on: NaiveDate, today: NaiveDate) -> bool {
    today <= reopen_until(closed_on)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn a_round_reopens_for_fourteen_days_after_closing() {
        let closed = d(2026, 12, 20);
        assert!(may_reopen(closed, closed));
        assert_eq!(reopen_until(closed), d(2027, 1, 3));
        assert!(may_reopen(closed, d(2027, 1, 3)));
        assert!(!may_reopen(closed, d(2027, 1, 4)));
    }
}
