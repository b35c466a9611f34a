//! Journal entries: categories and the rules an entry must meet.
//!
//! routine: "Journaler ska vara kortfattade och endast innehålla relevant information för
//! insatsen. Ex händelser, avvikelser, ändringar i genomförandeplanen, möten med andra
//! vårdgivare samt uppföljningar."

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The most a single entry may hold: brief and factual, never a dumping ground.
pub const ENTRY_MAX_CHARS: usize = 4_000;
/// The reason given for a correction.
pub const REASON_MAX_CHARS: usize = 500;

pub type EntryText = crate::Text<ENTRY_MAX_CHARS>;
pub type CorrectionReason = crate::Text<REASON_MAX_CHARS>;

/// What an entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EntryCategory {
    /// An event of importance for the service.
    Event,
    /// The client departs from the plan; the entry says what action was taken.
    Deviation,
    /// A change of the implementation plan.
    PlanChange,
    /// A meeting with other care providers.
    Meeting,
    /// A follow-up of the plan with client and social secretary.
    FollowUp,
    /// The weekly note when nothing else happened ("follows the plan, no events").
    WeeklyNote,
    /// The monthly goal dialogue (måldialog), where the plan is followed up with the
    /// client; an entry of this category completes the month's goal-dialogue duty.
    GoalDialogue,
    /// The monthly journal review (genomgång av social journal). Written only by the
    /// review page, never through the ordinary journal form.
    MonthlyReview,
}

impl EntryCategory {
    pub const ALL: [EntryCategory; 8] = [
        EntryCategory::Event,
        EntryCategory::Deviation,
        EntryCategory::PlanChange,
        EntryCategory::Meeting,
        EntryCategory::FollowUp,
        EntryCategory::WeeklyNote,
        EntryCategory::GoalDialogue,
        EntryCategory::MonthlyReview,
    ];

    /// The categories the ordinary journal form offers: a monthly review is written on
    /// its own page, with its pattern list, phrasing and action.
    pub const WRITABLE: [EntryCategory; 7] = [
        EntryCategory::Event,
        EntryCategory::Deviation,
        EntryCategory::PlanChange,
        EntryCategory::Meeting,
        EntryCategory::FollowUp,
        EntryCategory::WeeklyNote,
        EntryCategory::GoalDialogue,
    ];

    /// Whether the ordinary journal form may write an entry of this category.
    pub fn writable(self) -> bool {
        EntryCategory::WRITABLE.contains(&self)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            EntryCategory::Event => "event",
            EntryCategory::Deviation => "deviation",
            EntryCategory::PlanChange => "plan_change",
            EntryCategory::Meeting => "meeting",
            EntryCategory::FollowUp => "follow_up",
            EntryCategory::WeeklyNote => "weekly_note",
            EntryCategory::GoalDialogue => "goal_dialogue",
            EntryCategory::MonthlyReview => "monthly_review",
        }
    }

    pub fn parse(s: &str) -> Option<EntryCategory> {
        EntryCategory::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// Why an event date was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum EventDateError {
    #[error("the date lies in the future")]
    Future,
    #[error("the date lies before the file was opened")]
    BeforeStart,
    #[error("the date lies after the file was closed")]
    AfterClose,
}

/// An entry is dated on a day the file was open, and never ahead of today.
pub fn check_event_date(
    date: NaiveDate,
    started: NaiveDate,
    closed: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<NaiveDate, EventDateError> {
    if date > today {
        Err(EventDateError::Future)
    } else if date < started {
        Err(EventDateError::BeforeStart)
    } else if closed.is_some_and(|c| date > c) {
        Err(EventDateError::AfterClose)
    } else {
        Ok(date)
    }
}

/// The plan period an entry belongs to: the index of the last plan version whose
/// `valid_from` is on or before the event date (versions sorted by `valid_from`).
pub fn period_of(valid_froms: &[NaiveDate], date: NaiveDate) -> Option<usize> {
    valid_froms.iter().rposition(|from| *from <= date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn categories_round_trip() {
        for c in EntryCategory::ALL {
            assert_eq!(EntryCategory::parse(c.as_str()), Some(c));
        }
        assert_eq!(EntryCategory::parse("gossip"), None);
    }

    #[test]
    fn the_journal_form_cannot_write_a_monthly_review() {
        assert!(!EntryCategory::MonthlyReview.writable());
        assert!(EntryCategory::WRITABLE.iter().all(|c| c.writable()));
        assert_eq!(EntryCategory::WRITABLE.len() + 1, EntryCategory::ALL.len());
    }

    #[test]
    fn event_date_must_lie_within_the_open_file_and_not_ahead() {
        let start = d(2026, 3, 1);
        let today = d(2026, 11, 23);
        assert_eq!(
            check_event_date(d(2026, 11, 23), start, None, today),
            Ok(d(2026, 11, 23))
        );
        assert_eq!(
            check_event_date(d(2026, 11, 24), start, None, today),
            Err(EventDateError::Future)
        );
        assert_eq!(
            check_event_date(d(2026, 2, 28), start, None, today),
            Err(EventDateError::BeforeStart)
        );
        assert_eq!(
            check_event_date(d(2026, 6, 2), start, Some(d(2026, 6, 1)), today),
            Err(EventDateError::AfterClose)
        );
        assert_eq!(
            check_event_date(d(2026, 6, 1), start, Some(d(2026, 6, 1)), today),
            Ok(d(2026, 6, 1))
        );
    }

    #[test]
    fn an_entry_belongs_to_the_period_in_force_on_its_date() {
        let froms = [d(2026, 1, 10), d(2026, 3, 1), d(2026, 5, 1)];
        assert_eq!(period_of(&froms, d(2026, 1, 9)), None);
        assert_eq!(period_of(&froms, d(2026, 1, 10)), Some(0));
        assert_eq!(period_of(&froms, d(2026, 2, 28)), Some(0));
        assert_eq!(period_of(&froms, d(2026, 3, 1)), Some(1));
        assert_eq!(period_of(&froms, d(2027, 1, 1)), Some(2));
        assert_eq!(period_of(&[], d(2027, 1, 1)), None);
    }
}
