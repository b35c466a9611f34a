//! Follow-ups and the closing of a file: the dates they may carry, why a file ends,
//! and when an ending is a dropout (bortfall).
//!
//! routine: "Vid avslut skrivs en slutrapport ... Avslutas insatsen innan planen är
//! genomförd räknas det som bortfall."

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Texts of a follow-up's outcome and of the final report's parts.
pub const REPORT_MAX_CHARS: usize = 4_000;
/// Who took part in a follow-up.
pub const PARTICIPANTS_MAX_CHARS: usize = 300;

pub type ReportText = crate::Text<REPORT_MAX_CHARS>;
pub type Participants = crate::Text<PARTICIPANTS_MAX_CHARS>;
/// The outcome of a follow-up: it becomes a journal entry with a short heading, so it
/// leaves room under the journal's limit.
pub const FOLLOW_UP_OUTCOME_MAX_CHARS: usize = 3_500;
pub type FollowUpOutcome = crate::Text<FOLLOW_UP_OUTCOME_MAX_CHARS>;

// A documented follow-up becomes one journal entry: a heading, the participants, the
// outcome and the answer about the plan (well under 200 characters besides) must fit.
const _: () = assert!(
    FOLLOW_UP_OUTCOME_MAX_CHARS + PARTICIPANTS_MAX_CHARS + 200 <= crate::journal::ENTRY_MAX_CHARS
);

/// Why a file was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CloseReason {
    /// The plan was carried out (insatsen genomförd enligt planen).
    Completed,
    /// The client ended the service early (klienten avbröt).
    ClientEnded,
    /// The social secretary ended the assignment early (uppdraget avslutades).
    AssignmentEnded,
    /// The client moved or could no longer take part (flytt, annan orsak utanför enheten).
    Moved,
    Other,
}

impl CloseReason {
    pub const ALL: [CloseReason; 5] = [
        CloseReason::Completed,
        CloseReason::ClientEnded,
        CloseReason::AssignmentEnded,
        CloseReason::Moved,
        CloseReason::Other,
    ];

    /// The stable name stored in `case_files.close_reason`.
    pub fn as_str(self) -> &'static str {
        match self {
            CloseReason::Completed => "completed",
            CloseReason::ClientEnded => "client_ended",
            CloseReason::AssignmentEnded => "assignment_ended",
            CloseReason::Moved => "moved",
            CloseReason::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<CloseReason> {
        CloseReason::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// routine: an ending before the plan is carried out is a dropout, whatever the
    /// cause; only a file closed because the plan was carried out is not.
    pub fn is_dropout(self) -> bool {
        self != CloseReason::Completed
    }
}

/// Why a date of a follow-up or a closing was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum DutyDateError {
    #[error("the date lies in the future")]
    Future,
    #[error("the date lies in the past")]
    Past,
    #[error("the date lies before the file was opened")]
    BeforeStart,
}

/// The day a file ends: not ahead of today (a closing records what happened) and not
/// before the file started. The start day itself is allowed (a client who never came back).
pub fn check_end_date(
    end: NaiveDate,
    start: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate, DutyDateError> {
    if end > today {
        Err(DutyDateError::Future)
    } else if end < start {
        Err(DutyDateError::BeforeStart)
    } else {
        Ok(end)
    }
}

/// The day a follow-up is booked for: today or later (a booking is a plan), and not
/// before the file started.
pub fn check_planned_date(
    planned: NaiveDate,
    start: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate, DutyDateError> {
    if planned < start {
        Err(DutyDateError::BeforeStart)
    } else if planned < today {
        Err(DutyDateError::Past)
    } else {
        Ok(planned)
    }
}

/// The day a follow-up was held: it has happened (not ahead of today) while the file
/// was open (not before the start).
pub fn check_held_date(
    held: NaiveDate,
    start: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate, DutyDateError> {
    check_end_date(held, start, today)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn reasons_round_trip_and_only_completion_is_no_dropout() {
        for r in CloseReason::ALL {
            assert_eq!(CloseReason::parse(r.as_str()), Some(r));
            assert_eq!(r.is_dropout(), r != CloseReason::Completed);
        }
        assert_eq!(CloseReason::parse("bored"), None);
        assert_eq!(CloseReason::parse(""), None);
    }

    #[test]
    fn a_file_ends_between_its_start_and_today() {
        let start = d(2026, 3, 2);
        let today = d(2026, 11, 23);
        assert_eq!(check_end_date(start, start, today), Ok(start));
        assert_eq!(check_end_date(today, start, today), Ok(today));
        assert_eq!(
            check_end_date(d(2026, 11, 24), start, today),
            Err(DutyDateError::Future)
        );
        assert_eq!(
            check_end_date(d(2026, 3, 1), start, today),
            Err(DutyDateError::BeforeStart)
        );
    }

    #[test]
    fn a_follow_up_is_booked_ahead_and_held_in_the_past() {
        let start = d(2028, 2, 1);
        let today = d(2028, 2, 29);
        assert_eq!(check_planned_date(today, start, today), Ok(today));
        assert_eq!(
            check_planned_date(d(2028, 3, 1), start, today),
            Ok(d(2028, 3, 1))
        );
        assert_eq!(
            check_planned_date(d(2028, 2, 28), start, today),
            Err(DutyDateError::Past)
        );
        assert_eq!(check_held_date(today, start, today), Ok(today));
        assert_eq!(
            check_held_date(d(2028, 3, 1), start, today),
            Err(DutyDateError::Future)
        );
        assert_eq!(
            check_held_date(d(2028, 1, 31), start, today),
            Err(DutyDateError::BeforeStart)
        );
    }
}
