//! Deviations (avvikelser): the unit's own departures from the routine, and the
//! client's departures from the plan.
//!
//! routine: "Om ingen genomförandeplan har upprättats inom 14 dagar ska detta rapporteras
//! som avvikelser, skäl till avvikelserna och åtgärder för att minska risken att det
//! händer igen ska anges."
//!
//! - **Unit deviations** are raised by the system from the deadline rules
//!   ([`crate::deadlines`]): a duty that is overdue, or was done after its due day, is one
//!   deviation, keyed by the duty and its due day. Each silence of more than 7 days in the
//!   journal is one deviation, keyed by the day the missing entry was due. Closing one
//!   needs a reason and actions that make a repeat less likely.
//! - **Client deviations** come from signed journal entries of the category "deviation";
//!   closing one records the action taken.
//!
//! Decisions where the routine is silent:
//! - The register looks back [`LOOK_BACK_DAYS`] days: older misses are not raised, so a
//!   unit that starts using the register gets the last year, not its whole history (the
//!   manager's trend covers the same 12 months).
//! - The monthly duties are raised like the others, keyed by their due day: the journal
//!   review and the monthly report by the unit's due day of the next month (a review
//!   signed before it raises nothing, one signed after it is done late), the goal
//!   dialogue ("Genomförandeplaner följs upp vid måldialog en gång per månad") by the
//!   month's last day. Which months owe them is [`crate::deadlines`]' rule (open 7 days,
//!   a signed plan for the report and the goal dialogue; the motivation group has no
//!   goal dialogue). Changing the due day moves the key of months not yet raised only.

use crate::deadlines::{DueStatus, Duty, FileFacts, silences};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// How far back deviations are raised, in days before today.
pub const LOOK_BACK_DAYS: u64 = 365;
/// The most a reason, an action or an action taken may hold.
pub const TEXT_MAX_CHARS: usize = 2_000;

pub type DeviationText = crate::Text<TEXT_MAX_CHARS>;

/// The two kinds of deviation in the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Kind {
    /// The unit departed from its routine (a missed deadline).
    Unit,
    /// The client departed from the plan (a journal entry of that category).
    Client,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::Unit, Kind::Client];

    /// The stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Unit => "unit",
            Kind::Client => "client",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Whether a missed deadline of this duty is raised as a deviation of the unit: every
/// duty of the routine is (the monthly ones are kept in Akta, so done can be told from
/// missed).
pub fn raised_for(duty: Duty) -> bool {
    match duty {
        Duty::Plan
        | Duty::FirstFollowUp
        | Duty::NextFollowUp
        | Duty::WeeklyEntry
        | Duty::MonthlyReview(_)
        | Duty::MonthlyReport(_)
        | Duty::GoalDialogue(_) => true,
    }
}

/// One missed deadline of a file: the duty and the day it was due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Missed {
    // `due` first: misses sort by their due day.
    pub due: NaiveDate,
    pub duty: Duty,
}

/// The first day whose misses are still raised on `today`.
pub fn look_back_from(today: NaiveDate) -> NaiveDate {
    today
        .checked_sub_days(Days::new(LOOK_BACK_DAYS))
        .unwrap_or(NaiveDate::MIN)
}

/// The deviations of the unit in one file on `today`: every raised duty that is overdue
/// or was done after its due day, and every journal silence: a run of whole calendar weeks
/// without an entry signed in them (one per run, due the Sunday of its first week). Due days before `look_back_from(today)`
/// are left out. Sorted by due day, then duty; a miss is never listed twice.
pub fn missed_deadlines(facts: &FileFacts, today: NaiveDate) -> Vec<Missed> {
    let from = look_back_from(today);
    let mut missed: Vec<Missed> = facts
        .due_items(today)
        .into_iter()
        // The weekly entry's item is the next one due; its misses are the gaps below.
        .filter(|item| item.duty != Duty::WeeklyEntry && raised_for(item.duty))
        .filter(|item| item.status == DueStatus::Overdue || item.done_late())
        .map(|item| Missed {
            duty: item.duty,
            due: item.due,
        })
        .collect();
    if raised_for(Duty::WeeklyEntry) {
        // One deviation per silence: a run of missed weeks in a row is one, due the
        // Sunday of its first week (the key does not move while the silence lasts).
        // Weeks before the window are left out first, so a silence reaching into it is
        // raised from its first week inside.
        let weeks: Vec<_> = facts
            .missed_weeks(today)
            .into_iter()
            .filter(|w| w.sunday() >= from)
            .collect();
        missed.extend(silences(&weeks).into_iter().map(|s| Missed {
            duty: Duty::WeeklyEntry,
            due: s.due(),
        }));
    }
    missed.retain(|m| m.due >= from && m.due < today);
    missed.sort_unstable();
    missed.dedup();
    missed
}

/// What closing a unit deviation needs: why it happened, and what is done so it does
/// not happen again. Both trimmed, neither empty nor longer than [`TEXT_MAX_CHARS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitClosing {
    pub reason: DeviationText,
    pub actions: DeviationText,
}

/// Which field of a closing was refused, and why.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClosingErrors {
    pub reason: Option<crate::TextError>,
    pub actions: Option<crate::TextError>,
}

impl UnitClosing {
    /// Both fields are checked, so every problem is reported at once.
    pub fn parse(reason: &str, actions: &str) -> Result<UnitClosing, ClosingErrors> {
        match (DeviationText::parse(reason), DeviationText::parse(actions)) {
            (Ok(reason), Ok(actions)) => Ok(UnitClosing { reason, actions }),
            (reason, actions) => Err(ClosingErrors {
                reason: reason.err(),
                actions: actions.err(),
            }),
        }
    }
}

/// Counts per calendar month, oldest first, for the last `months` months up to and
/// including the month of `today`: the manager's trend. Dates outside are ignored.
pub fn per_month(
    dates: impl IntoIterator<Item = NaiveDate>,
    today: NaiveDate,
    months: u32,
) -> Vec<(crate::deadlines::YearMonth, u64)> {
    use crate::deadlines::YearMonth;
    let last = YearMonth::of(today);
    let first_day = last
        .first_day()
        .checked_sub_months(chrono::Months::new(months.saturating_sub(1)))
        .unwrap_or(NaiveDate::MIN);
    let mut counts: Vec<(YearMonth, u64)> = YearMonth::range(first_day, today)
        .into_iter()
        .map(|m| (m, 0))
        .collect();
    for date in dates {
        let month = YearMonth::of(date);
        if month > last {
            continue;
        }
        if let Some(slot) = counts.iter_mut().find(|(m, _)| *m == month) {
            slot.1 += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TextError;
    use crate::deadlines::{ServiceType, YearMonth};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    /// The misses other than the monthly duties (those have their own tests below).
    fn keys(missed: &[Missed]) -> Vec<(&'static str, NaiveDate)> {
        missed
            .iter()
            .filter(|m| m.duty.month().is_none())
            .map(|m| (m.duty.key(), m.due))
            .collect()
    }

    #[test]
    fn kinds_round_trip() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
        assert_eq!(Kind::parse("other"), None);
    }

    #[test]
    fn no_plan_within_14_days_is_a_deviation_from_the_15th_day() {
        let mut file = FileFacts::new(d(2026, 3, 2), ServiceType::IndividualTreatment);
        file.signing_days = vec![d(2026, 3, 6), d(2026, 3, 13)];
        // The plan is due on the 16th: on that day nothing is missed yet.
        assert!(missed_deadlines(&file, d(2026, 3, 16)).is_empty());
        assert_eq!(
            keys(&missed_deadlines(&file, d(2026, 3, 17))),
            vec![("plan", d(2026, 3, 16))]
        );
    }

    #[test]
    fn a_plan_signed_late_stays_a_deviation_and_one_on_time_is_none() {
        let mut file = FileFacts::new(d(2026, 3, 2), ServiceType::GroupTreatment);
        file.signing_days = vec![d(2026, 3, 6), d(2026, 3, 12), d(2026, 3, 18)];
        file.plan_signed = Some(d(2026, 3, 17));
        assert_eq!(
            keys(&missed_deadlines(&file, d(2026, 3, 20))),
            vec![("plan", d(2026, 3, 16))]
        );
        file.plan_signed = Some(d(2026, 3, 16));
        assert!(missed_deadlines(&file, d(2026, 3, 20)).is_empty());
    }

    #[test]
    fn a_run_of_missed_weeks_is_one_deviation_due_the_sunday_of_its_first_week() {
        // 2026-01-05 is a Monday. Signed in week 1 and week 4; weeks 2–3 and 5 have none.
        let mut file = FileFacts::new(d(2026, 1, 5), ServiceType::MotivationGroup);
        file.signing_days = vec![d(2026, 1, 9), d(2026, 1, 28)];
        assert_eq!(
            keys(&missed_deadlines(&file, d(2026, 2, 12))),
            vec![
                ("weekly_entry", d(2026, 1, 18)),
                ("weekly_entry", d(2026, 2, 8)),
            ]
        );
    }

    #[test]
    fn the_key_of_a_silence_does_not_move_when_the_entry_comes() {
        let mut file = FileFacts::new(d(2026, 1, 5), ServiceType::MotivationGroup);
        file.signing_days = vec![d(2026, 1, 9)];
        let before = missed_deadlines(&file, d(2026, 1, 20));
        // The silence goes on for another week: still the same deviation.
        assert_eq!(missed_deadlines(&file, d(2026, 1, 27)), before);
        file.signing_days.push(d(2026, 1, 28));
        let after = missed_deadlines(&file, d(2026, 1, 29));
        assert_eq!(keys(&before), vec![("weekly_entry", d(2026, 1, 18))]);
        assert_eq!(before, after);
    }

    #[test]
    fn follow_ups_missed_and_late_are_deviations() {
        let mut file = FileFacts::new(d(2026, 1, 5), ServiceType::IndividualTreatment);
        file.plan_signed = Some(d(2026, 1, 10));
        file.assignment_first_follow_up = Some(d(2026, 1, 30));
        file.signing_days = (0..20).map(|w| d(2026, 1, 5) + Days::new(w * 7)).collect();
        // First follow-up held 3 days after its day (the assignment named the 30th).
        file.follow_ups_held = vec![d(2026, 2, 2)];
        // The next is due 2 months after the first was held: the 2nd of April.
        let missed = missed_deadlines(&file, d(2026, 4, 3));
        assert_eq!(
            keys(&missed),
            vec![
                ("first_follow_up", d(2026, 1, 30)),
                ("next_follow_up", d(2026, 4, 2))
            ]
        );
    }

    fn ym(y: i32, m: u32) -> YearMonth {
        YearMonth::new(y, m).expect("month")
    }

    /// An individual treatment started 2026-01-05 (a Monday) with an entry signed every
    /// Wednesday, its plan signed and its follow-ups held on time: no deviation but the
    /// monthly ones the test leaves out.
    fn kept_file() -> FileFacts {
        let mut file = FileFacts::new(d(2026, 1, 5), ServiceType::IndividualTreatment);
        file.plan_signed = Some(d(2026, 1, 12));
        file.follow_ups_held = vec![d(2026, 2, 5), d(2026, 3, 30)];
        file.signing_days = (0..20).map(|w| d(2026, 1, 7) + Days::new(w * 7)).collect();
        file
    }

    fn monthly(missed: &[Missed]) -> Vec<(&'static str, NaiveDate)> {
        missed
            .iter()
            .filter(|m| m.duty.month().is_some())
            .map(|m| (m.duty.key(), m.due))
            .collect()
    }

    // routine: "Genomförandeplaner följs upp vid måldialog en gång per månad"; the monthly
    // review and report are due on the unit's day of the next month (by default the 10th).
    #[test]
    fn a_month_without_review_report_or_goal_dialogue_raises_each_by_its_due_day() {
        let file = kept_file();
        // On 10 February nothing of January is late yet but its goal dialogue (due the 31st).
        assert_eq!(
            monthly(&missed_deadlines(&file, d(2026, 2, 10))),
            vec![("goal_dialogue", d(2026, 1, 31))]
        );
        assert_eq!(
            monthly(&missed_deadlines(&file, d(2026, 2, 11))),
            vec![
                ("goal_dialogue", d(2026, 1, 31)),
                ("monthly_review", d(2026, 2, 10)),
                ("monthly_report", d(2026, 2, 10)),
            ]
        );
    }

    #[test]
    fn monthly_duties_done_before_their_day_raise_nothing_and_late_ones_do() {
        let mut file = kept_file();
        file.goal_dialogues_done.insert(ym(2026, 1), d(2026, 1, 20));
        file.reviews_done.insert(ym(2026, 1), d(2026, 2, 10));
        file.reports_done.insert(ym(2026, 1), d(2026, 2, 12));
        assert_eq!(
            monthly(&missed_deadlines(&file, d(2026, 2, 20))),
            vec![("monthly_report", d(2026, 2, 10))]
        );
    }

    #[test]
    fn the_units_due_day_keys_the_monthly_deviations() {
        let mut file = kept_file();
        file.goal_dialogues_done.insert(ym(2026, 1), d(2026, 1, 20));
        file.monthly_due_day = crate::deadlines::MonthlyDueDay::new(15).expect("day");
        file.reviews_done.insert(ym(2026, 1), d(2026, 2, 12));
        file.reports_done.insert(ym(2026, 1), d(2026, 2, 15));
        assert!(monthly(&missed_deadlines(&file, d(2026, 2, 20))).is_empty());
        file.reports_done.clear();
        assert_eq!(
            monthly(&missed_deadlines(&file, d(2026, 2, 20))),
            vec![("monthly_report", d(2026, 2, 15))]
        );
    }

    // Decision (deadlines): the motivation group has no plan and so no goal dialogue; its
    // review and report are owed all the same.
    #[test]
    fn the_motivation_group_raises_review_and_report_but_no_goal_dialogue() {
        let mut file = FileFacts::new(d(2026, 1, 5), ServiceType::MotivationGroup);
        file.signing_days = (0..20).map(|w| d(2026, 1, 7) + Days::new(w * 7)).collect();
        assert_eq!(
            monthly(&missed_deadlines(&file, d(2026, 2, 11))),
            vec![
                ("monthly_review", d(2026, 2, 10)),
                ("monthly_report", d(2026, 2, 10)),
            ]
        );
    }

    #[test]
    fn no_goal_dialogue_is_owed_before_the_plan_has_been_in_force_a_week() {
        let mut file = kept_file();
        // Signed on the 26th: six days of January under the plan.
        file.plan_signed = Some(d(2026, 1, 26));
        assert!(monthly(&missed_deadlines(&file, d(2026, 2, 5))).is_empty());
        file.plan_signed = Some(d(2026, 1, 25));
        assert_eq!(
            monthly(&missed_deadlines(&file, d(2026, 2, 5))),
            vec![("goal_dialogue", d(2026, 1, 31))]
        );
    }

    #[test]
    fn misses_older_than_a_year_are_not_raised() {
        // Started long ago, silent since the 1st of March 2025.
        let mut file = FileFacts::new(d(2024, 12, 20), ServiceType::IndividualTreatment);
        file.signing_days = vec![d(2025, 3, 1)];
        let missed = missed_deadlines(&file, d(2025, 12, 30));
        // The window starts on 2024-12-30: the silence from the start is raised from its
        // first week inside the window (due Sunday 2025-01-05; the week before, due
        // 2024-12-29, is too old); the plan and first follow-up are inside.
        assert_eq!(
            keys(&missed),
            vec![
                ("plan", d(2025, 1, 3)),
                ("weekly_entry", d(2025, 1, 5)),
                ("first_follow_up", d(2025, 1, 20)),
                ("weekly_entry", d(2025, 3, 9)),
            ]
        );
        assert_eq!(look_back_from(d(2025, 12, 30)), d(2024, 12, 30));
    }

    #[test]
    fn a_closed_file_keeps_its_misses_but_gets_no_new_ones() {
        let mut file = FileFacts::new(d(2026, 1, 5), ServiceType::IndividualTreatment);
        file.closed = Some(d(2026, 1, 25));
        file.signing_days = vec![d(2026, 1, 10), d(2026, 1, 17), d(2026, 1, 24)];
        let missed = missed_deadlines(&file, d(2026, 6, 1));
        // The plan was due on the 19th, before the closing; the follow-up lapsed.
        assert_eq!(keys(&missed), vec![("plan", d(2026, 1, 19))]);
        // January's review was due on the closing day; no plan, so no report.
        assert_eq!(monthly(&missed), vec![("monthly_review", d(2026, 1, 25))]);
    }

    #[test]
    fn closing_needs_both_reason_and_actions_trimmed_and_bounded() {
        let ok = UnitClosing::parse("  Sjukdom i arbetslaget ", "Ersättare utses.").expect("ok");
        assert_eq!(ok.reason.as_str(), "Sjukdom i arbetslaget");
        assert_eq!(
            UnitClosing::parse(" ", "Ersättare utses."),
            Err(ClosingErrors {
                reason: Some(TextError::Empty),
                actions: None
            })
        );
        let long = "å".repeat(TEXT_MAX_CHARS + 1);
        assert_eq!(
            UnitClosing::parse("", &long),
            Err(ClosingErrors {
                reason: Some(TextError::Empty),
                actions: Some(TextError::TooLong {
                    max: TEXT_MAX_CHARS
                })
            })
        );
        assert!(UnitClosing::parse("x", &"å".repeat(TEXT_MAX_CHARS)).is_ok());
    }

    #[test]
    fn the_trend_has_every_month_of_the_last_year_oldest_first() {
        let today = d(2026, 11, 23);
        let dates = [
            d(2026, 11, 1),
            d(2026, 11, 20),
            d(2025, 12, 31),
            d(2025, 11, 30), // the 13th month back: outside
            d(2026, 12, 1),  // ahead: outside
        ];
        let trend = per_month(dates, today, 12);
        assert_eq!(trend.len(), 12);
        assert_eq!(trend[0], (YearMonth::of(d(2025, 12, 1)), 1));
        assert_eq!(trend[11], (YearMonth::of(d(2026, 11, 1)), 2));
        assert_eq!(trend.iter().map(|(_, n)| n).sum::<u64>(), 3);
    }

    #[test]
    fn the_trend_crosses_a_leap_february() {
        let trend = per_month([d(2028, 2, 29)], d(2028, 3, 31), 2);
        assert_eq!(
            trend,
            vec![
                (YearMonth::of(d(2028, 2, 1)), 1),
                (YearMonth::of(d(2028, 3, 1)), 0)
            ]
        );
    }
}
