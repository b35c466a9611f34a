//! Implementation plans (genomförandeplaner): versions, periods, signatures.
//!
//! routine: "Inom 14 dagar ska klientens huvudbehandlare ... ha upprättat en
//! genomförandeplan tillsammans med klienten. Klienten, huvudbehandlaren och
//! socialsekreteraren ska ha ett ex var av planen och klienters genomförandeplan
//! ska skrivas under av klienten." A revision after a follow-up is a new version;
//! each version covers one plan period, from its first day to the day before the
//! next version starts.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// A goal's title.
pub type GoalTitle = crate::Text<300>;
/// What is to be done, how: a few sentences.
pub type GoalText = crate::Text<2_000>;
/// Who does it.
pub type GoalWho = crate::Text<200>;
/// The client's own view of the plan and how they took part in making it.
pub type ClientView = crate::Text<4_000>;
/// Why the plan was revised.
pub type RevisionReason = crate::Text<1_000>;

/// How far ahead a plan period may be set to start.
pub const MAX_DAYS_AHEAD: i64 = 30;

/// How the client signed the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SignatureMethod {
    /// Signed on the paper copy.
    OnPaper,
    /// Signed in person at a meeting (noted by the contact person).
    InPerson,
}

impl SignatureMethod {
    pub const ALL: [SignatureMethod; 2] = [SignatureMethod::OnPaper, SignatureMethod::InPerson];

    pub fn as_str(self) -> &'static str {
        match self {
            SignatureMethod::OnPaper => "on_paper",
            SignatureMethod::InPerson => "in_person",
        }
    }

    pub fn parse(s: &str) -> Option<SignatureMethod> {
        SignatureMethod::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// Why a plan date was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum PlanDateError {
    #[error("the date lies before the file was opened")]
    BeforeStart,
    #[error("the date lies after the file was closed")]
    AfterClose,
    #[error("the date lies too far ahead")]
    TooFarAhead,
    #[error("the date lies in the future")]
    Future,
    /// A new period must start after the one before it: periods never overlap.
    #[error("the period would overlap the one before it")]
    OverlapsPrevious,
    /// A signature or a copy handed over before the plan existed.
    #[error("the date lies before the plan period starts")]
    BeforePlan,
}

/// The first day of a plan period: inside the open file, after the previous
/// period's first day (so periods never overlap), and at most a month ahead.
pub fn check_valid_from(
    valid_from: NaiveDate,
    previous_from: Option<NaiveDate>,
    started: NaiveDate,
    closed: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<NaiveDate, PlanDateError> {
    if valid_from < started {
        Err(PlanDateError::BeforeStart)
    } else if closed.is_some_and(|c| valid_from > c) {
        Err(PlanDateError::AfterClose)
    } else if valid_from > today + Duration::days(MAX_DAYS_AHEAD) {
        Err(PlanDateError::TooFarAhead)
    } else if previous_from.is_some_and(|p| valid_from <= p) {
        Err(PlanDateError::OverlapsPrevious)
    } else {
        Ok(valid_from)
    }
}

/// The day the client signed, or a copy was handed over: not ahead of today and
/// not before the file was opened. (A plan is often signed at the meeting where it
/// is made, so it may be signed a few days before its period starts.)
pub fn check_past_date(
    date: NaiveDate,
    not_before: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate, PlanDateError> {
    if date > today {
        Err(PlanDateError::Future)
    } else if date < not_before {
        Err(PlanDateError::BeforePlan)
    } else {
        Ok(date)
    }
}

/// Whether a plan version is a plan period: the version the entries of its days
/// belong to, whose goals the journal offers, and which the audit reviews.
///
/// routine: "klienters genomförandeplan ska skrivas under av klienten"; a revision
/// after a follow-up is a new plan. So a revision is in force from its first day
/// **once the client has signed it**: until then it is a draft that ends nothing,
/// and the version before it stays in force. The first version is the plan being
/// drawn up: it is the file's period from its first day even before the signature
/// (the journal is written towards its goals from the start; the plan deadline
/// says when it must be signed).
pub fn is_period(index: usize, signed: bool) -> bool {
    index == 0 || signed
}

/// Whether a period (first and last day) is in force on `today`: started, not ended.
pub fn in_force_on(valid_from: NaiveDate, valid_to: Option<NaiveDate>, today: NaiveDate) -> bool {
    valid_from <= today && valid_to.is_none_or(|to| today <= to)
}

/// The last day of each period: the day before the next version starts, or the
/// closing day for the last one (`None` while the file is open).
pub fn period_ends(valid_froms: &[NaiveDate], closed: Option<NaiveDate>) -> Vec<Option<NaiveDate>> {
    valid_froms
        .iter()
        .enumerate()
        .map(|(i, _)| match valid_froms.get(i + 1) {
            Some(next) => next.pred_opt(),
            None => closed,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn an_unsigned_revision_is_not_in_force_and_ends_nothing() {
        // The first version counts while it is drawn up; later ones once signed.
        assert!(is_period(0, false));
        assert!(is_period(0, true));
        assert!(!is_period(1, false));
        assert!(is_period(1, true));
    }

    #[test]
    fn a_period_is_in_force_from_its_first_day_to_its_last() {
        let today = d(2026, 12, 1);
        // A signed revision that starts tomorrow is not in force yet.
        assert!(!in_force_on(d(2026, 12, 2), None, today));
        // The version before it is, until the day before.
        assert!(in_force_on(d(2026, 6, 1), Some(d(2026, 12, 1)), today));
        assert!(!in_force_on(d(2026, 6, 1), Some(d(2026, 11, 30)), today));
        assert!(in_force_on(d(2026, 12, 1), None, today));
    }

    #[test]
    fn signature_methods_round_trip() {
        for m in SignatureMethod::ALL {
            assert_eq!(SignatureMethod::parse(m.as_str()), Some(m));
        }
        assert_eq!(SignatureMethod::parse("by_fax"), None);
    }

    #[test]
    fn periods_never_overlap_and_stay_inside_the_file() {
        let start = d(2026, 3, 1);
        let today = d(2026, 11, 23);
        let ok = |v, p| check_valid_from(v, p, start, None, today);
        assert_eq!(ok(d(2026, 3, 10), None), Ok(d(2026, 3, 10)));
        assert_eq!(ok(d(2026, 2, 28), None), Err(PlanDateError::BeforeStart));
        assert_eq!(
            ok(d(2026, 5, 1), Some(d(2026, 5, 1))),
            Err(PlanDateError::OverlapsPrevious)
        );
        assert_eq!(
            ok(d(2026, 4, 30), Some(d(2026, 5, 1))),
            Err(PlanDateError::OverlapsPrevious)
        );
        assert_eq!(ok(d(2026, 5, 2), Some(d(2026, 5, 1))), Ok(d(2026, 5, 2)));
        assert_eq!(ok(d(2026, 12, 23), None), Ok(d(2026, 12, 23)));
        assert_eq!(ok(d(2026, 12, 24), None), Err(PlanDateError::TooFarAhead));
        assert_eq!(
            check_valid_from(d(2026, 6, 2), None, start, Some(d(2026, 6, 1)), today),
            Err(PlanDateError::AfterClose)
        );
    }

    #[test]
    fn signatures_and_copies_are_dated_in_the_past() {
        let today = d(2026, 11, 23);
        assert_eq!(
            check_past_date(d(2026, 11, 23), d(2026, 3, 1), today),
            Ok(d(2026, 11, 23))
        );
        assert_eq!(
            check_past_date(d(2026, 11, 24), d(2026, 3, 1), today),
            Err(PlanDateError::Future)
        );
        assert_eq!(
            check_past_date(d(2026, 2, 1), d(2026, 3, 1), today),
            Err(PlanDateError::BeforePlan)
        );
    }

    #[test]
    fn a_period_ends_the_day_before_the_next_begins() {
        let froms = [d(2026, 1, 10), d(2026, 3, 1)];
        assert_eq!(period_ends(&froms, None), vec![Some(d(2026, 2, 28)), None]);
        assert_eq!(
            period_ends(&froms, Some(d(2026, 6, 30))),
            vec![Some(d(2026, 2, 28)), Some(d(2026, 6, 30))]
        );
        assert!(period_ends(&[], None).is_empty());
    }
}
