//! The assignment (uppdrag) that opens a case file: its dates and their rules.
//!
//! routine: a file with a journal exists only for a client with an aid decision, and
//! only once the assignment has come in; the assignment names the first follow-up,
//! about one month ahead.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Why a date field was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum DateProblem {
    #[error("write the date as YYYY-MM-DD")]
    Format,
    #[error("the date lies in the future")]
    Future,
    #[error("the period ends before it starts")]
    EndBeforeStart,
    #[error("the first follow-up must come after the start")]
    FollowUpNotAfterStart,
}

/// A date as the forms write it, `YYYY-MM-DD` (what `<input type="date">` sends).
pub fn parse_date(raw: &str) -> Result<NaiveDate, DateProblem> {
    let raw = raw.trim();
    if raw.len() != 10 {
        return Err(DateProblem::Format);
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| DateProblem::Format)
}

/// An optional date: empty means none.
pub fn parse_optional_date(raw: &str) -> Result<Option<NaiveDate>, DateProblem> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        parse_date(raw).map(Some)
    }
}

/// The dates of an assignment, as entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssignmentDates {
    pub received_on: NaiveDate,
    pub decision_date: NaiveDate,
    pub period_from: NaiveDate,
    pub period_to: Option<NaiveDate>,
    /// `None`: the default, [`crate::deadlines::default_first_follow_up`] (one calendar
    /// month after the start).
    pub first_follow_up: Option<NaiveDate>,
}

/// Which field a [`DateProblem`] belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignmentField {
    ReceivedOn,
    DecisionDate,
    PeriodTo,
    FirstFollowUp,
}

impl AssignmentDates {
    /// Checks the rules and gives the first follow-up to store. Every problem is
    /// reported, so a form can show all of them at once.
    pub fn check(
        &self,
        today: NaiveDate,
    ) -> Result<NaiveDate, Vec<(AssignmentField, DateProblem)>> {
        let mut problems = Vec::new();
        // An assignment that has not come in yet, or a decision not yet taken, cannot open a file.
        if self.received_on > today {
            problems.push((AssignmentField::ReceivedOn, DateProblem::Future));
        }
        if self.decision_date > today {
            problems.push((AssignmentField::DecisionDate, DateProblem::Future));
        }
        if let Some(to) = self.period_to
            && to < self.period_from
        {
            problems.push((AssignmentField::PeriodTo, DateProblem::EndBeforeStart));
        }
        let first = crate::deadlines::first_follow_up_due(self.period_from, self.first_follow_up);
        if first <= self.period_from {
            problems.push((
                AssignmentField::FirstFollowUp,
                DateProblem::FollowUpNotAfterStart,
            ));
        }
        if problems.is_empty() {
            Ok(first)
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).expect("valid date")
    }

    fn dates() -> AssignmentDates {
        AssignmentDates {
            received_on: d("2026-11-02"),
            decision_date: d("2026-10-28"),
            period_from: d("2026-11-09"),
            period_to: Some(d("2027-05-09")),
            first_follow_up: None,
        }
    }

    #[test]
    fn dates_are_written_year_month_day() {
        assert_eq!(parse_date(" 2026-11-23 "), Ok(d("2026-11-23")));
        for bad in [
            "",
            "23/11/2026",
            "2026-13-01",
            "2026-02-30",
            "2026-1-5",
            "20261123",
        ] {
            assert_eq!(parse_date(bad), Err(DateProblem::Format), "{bad}");
        }
        assert_eq!(parse_optional_date("  "), Ok(None));
    }

    #[test]
    fn first_follow_up_defaults_to_one_calendar_month_after_the_start() {
        assert_eq!(dates().check(d("2026-11-23")), Ok(d("2026-12-09")));
    }

    #[test]
    fn a_named_first_follow_up_is_kept() {
        let named = AssignmentDates {
            first_follow_up: Some(d("2026-12-01")),
            ..dates()
        };
        assert_eq!(named.check(d("2026-11-23")), Ok(d("2026-12-01")));
    }

    #[test]
    fn decision_and_receipt_may_not_lie_in_the_future() {
        let today = d("2026-10-30");
        assert_eq!(
            dates().check(today),
            Err(vec![(AssignmentField::ReceivedOn, DateProblem::Future)])
        );
        let today = d("2026-10-27");
        assert_eq!(
            dates().check(today),
            Err(vec![
                (AssignmentField::ReceivedOn, DateProblem::Future),
                (AssignmentField::DecisionDate, DateProblem::Future),
            ])
        );
    }

    #[test]
    fn the_period_may_not_end_before_it_starts_and_follow_up_comes_after_start() {
        let bad = AssignmentDates {
            period_to: Some(d("2026-11-08")),
            first_follow_up: Some(d("2026-11-09")),
            ..dates()
        };
        assert_eq!(
            bad.check(d("2026-11-23")),
            Err(vec![
                (AssignmentField::PeriodTo, DateProblem::EndBeforeStart),
                (
                    AssignmentField::FirstFollowUp,
                    DateProblem::FollowUpNotAfterStart
                ),
            ])
        );
        // A period of one day is a period.
        let one_day = AssignmentDates {
            period_to: Some(d("2026-11-09")),
            ..dates()
        };
        assert!(one_day.check(d("2026-11-23")).is_ok());
    }

    proptest! {
        #[test]
        fn the_stored_follow_up_always_comes_after_the_start(
            start in 0i64..20_000, follow in proptest::option::of(-100i64..100)
        ) {
            let from = d("1990-01-01") + chrono::Duration::days(start);
            let dates = AssignmentDates {
                received_on: d("1990-01-01"),
                decision_date: d("1990-01-01"),
                period_from: from,
                period_to: None,
                first_follow_up: follow.map(|f| from + chrono::Duration::days(f)),
            };
            if let Ok(first) = dates.check(d("2100-01-01")) {
                prop_assert!(first > from);
            }
        }
    }
}
