//! The duties of the routine as date rules.
//!
//! Every function takes the dates it needs, `today` included, and returns dates: nothing
//! here reads a clock. Weekends and holidays are not excused: the routine counts calendar
//! days ("inom 14 dagar", "minst efter 4 veckor", "senast efter två månader").
//!
//! Decisions where the routine is silent, in one place:
//! - **Motivation group**: the group exists to become motivated to set goals, so there is
//!   no plan, and with it no plan-bound duty: no plan, no follow-ups (a follow-up reviews
//!   the plan), no goal dialogue (where plans are followed up). The journal, the monthly
//!   journal review and the monthly report are still due.
//! - **Plan done**: the plan duty is done when the client has signed the plan; a plan that
//!   is drawn up but unsigned does not complete it.
//! - **Closed files**: nothing is written in a closed file, so a duty whose due date falls
//!   after the closing date lapses (it is not listed) unless it was done anyway.
//! - **Monthly duties** (journal review, monthly report, goal dialogue), see
//!   [`owes_monthly`]: a calendar month owes them only when the file was open on at least
//!   [`MONTHLY_MIN_OPEN_DAYS`] of its days (a file starting on the 31st owes nothing for
//!   that month; one closed on the 1st owes nothing for that one). The monthly report
//!   evaluates the plan in force ("syftar till att utvärdera aktuell genomförandeplan") and
//!   the goal dialogue follows the plan up ("Genomförandeplaner följs upp vid måldialog en
//!   gång per månad"), so both are owed only for months by whose end the client has signed
//!   a plan. The motivation group has no plan: it owes no goal dialogue, and its monthly
//!   report (an evaluation of the month without a plan) is owed like the review. The goal
//!   dialogue is not owed in the month the plan was signed unless the plan was in force on
//!   [`MONTHLY_MIN_OPEN_DAYS`] of its days (a plan signed on the 28th was just gone through
//!   with the client). The review and the report are due on the unit's
//!   [`MonthlyDueDay`] of the following month (default the 10th; the month has to end
//!   before it can be written up); the goal dialogue is held within its month, so it is
//!   due on the month's last day. A file closing earlier has them due on its closing day.
//!   A review or report signed after its due day is done late, like a late plan.
//! - **Weekly journal** ("räcker det med en journal per vecka"): each calendar week,
//!   Monday to Sunday, that the file is open all seven days needs an entry *signed* in that
//!   week. The day of signing counts, not the event date the entry describes, so an entry
//!   written weeks later about an earlier day does not fill the earlier week. The partial
//!   week of the start and of the closing owe nothing (a file opened on a Sunday is not
//!   late on Monday). See [`weekly_entries`]; missed weeks in a row are one [`Silence`],
//!   and the monthly review and the audit show the silences of [`silences_between`]: one
//!   rule for the deadlines, the register and their readers.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// routine: the plan is made within 14 days ("Inom 14 dagar ska klientens
/// huvudbehandlare ... ha upprättat en genomförandeplan").
pub const PLAN_WITHIN_DAYS: u64 = 14;
/// routine: "I uppdraget ska socialsekreterare ange första tiden för uppföljning efter en
/// månad": without a named time, one calendar month after the start.
pub const FIRST_FOLLOW_UP_AFTER_MONTHS: u32 = 1;
/// routine: the next follow-up at the latest 2 months after the first.
pub const NEXT_FOLLOW_UP_WITHIN_MONTHS: u32 = 2;
/// routine: at least one journal entry a week.
pub const ENTRY_EVERY_DAYS: u64 = 7;
/// A month owes its monthly duties only when the file was open at least this many days in it.
pub const MONTHLY_MIN_OPEN_DAYS: i64 = 7;
/// A duty is "due soon" when at most this many days remain (the due day included).
pub const DUE_SOON_DAYS: i64 = 3;

/// The service (insats) that was granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ServiceType {
    IndividualTreatment,
    GroupTreatment,
    /// Motivation group: has a file and a journal, but no plan.
    MotivationGroup,
    Other,
}

/// A service type name that is not one of [`ServiceType::ALL`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("unknown service type")]
pub struct UnknownServiceType;

impl ServiceType {
    pub const ALL: [ServiceType; 4] = [
        ServiceType::IndividualTreatment,
        ServiceType::GroupTreatment,
        ServiceType::MotivationGroup,
        ServiceType::Other,
    ];

    /// The stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceType::IndividualTreatment => "individual_treatment",
            ServiceType::GroupTreatment => "group_treatment",
            ServiceType::MotivationGroup => "motivation_group",
            ServiceType::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Result<ServiceType, UnknownServiceType> {
        ServiceType::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or(UnknownServiceType)
    }

    /// routine: every aid-decided client has a plan, except in the motivation group.
    pub fn needs_plan(self) -> bool {
        self != ServiceType::MotivationGroup
    }
}

/// `date` + `days`, saturating at the end of chrono's calendar instead of panicking.
fn add_days(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days))
        .unwrap_or(NaiveDate::MAX)
}

/// `date` + `months`, the day clamped to the month's end (Dec 31 + 2 months = Feb 28/29),
/// saturating at the end of chrono's calendar.
fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// The last day the plan may be made, or `None` for a service without a plan.
/// routine: plan within 14 days. The days count from the later of the service start and
/// the day the assignment came in: "Uppdrag krävs för att Måsen ska kunna öppna journal",
/// so no plan can be owed before the assignment is there (a start written before it
/// arrived would make the plan late on the day the file is registered).
pub fn plan_due(
    start: NaiveDate,
    assignment_received: Option<NaiveDate>,
    service: ServiceType,
) -> Option<NaiveDate> {
    let from = assignment_received.map_or(start, |received| received.max(start));
    service
        .needs_plan()
        .then(|| add_days(from, PLAN_WITHIN_DAYS))
}

/// The first follow-up when the assignment names none: one calendar month after the
/// start, the day clamped to the month's end (Jan 31 → Feb 28/29).
pub fn default_first_follow_up(start: NaiveDate) -> NaiveDate {
    add_months(start, FIRST_FOLLOW_UP_AFTER_MONTHS)
}

/// The last day of the first follow-up: the time the assignment names, or one calendar
/// month after the start when it names none. routine: "I uppdraget ska socialsekreterare
/// ange första tiden för uppföljning efter en månad" — the named date is the deadline.
pub fn first_follow_up_due(start: NaiveDate, assignment_first: Option<NaiveDate>) -> NaiveDate {
    assignment_first.unwrap_or_else(|| default_first_follow_up(start))
}

/// The last day of the next follow-up: 2 calendar months after the first follow-up was
/// held, the day clamped to the month's end. routine: next at the latest 2 months after the first.
pub fn next_follow_up_due(first_held: NaiveDate) -> NaiveDate {
    add_months(first_held, NEXT_FOLLOW_UP_WITHIN_MONTHS)
}

/// The Monday of the calendar week holding `date`.
pub fn monday_of(date: NaiveDate) -> NaiveDate {
    date.checked_sub_days(Days::new(u64::from(date.weekday().num_days_from_monday())))
        .unwrap_or(date)
}

/// A calendar week (Monday–Sunday) of an open file without an entry signed in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct MissedWeek {
    pub monday: NaiveDate,
}

impl MissedWeek {
    /// The week's last day: the day its entry was due.
    pub fn sunday(&self) -> NaiveDate {
        add_days(self.monday, 6)
    }
}

/// The weekly journal duty of one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklyEntries {
    /// Finished weeks that owed an entry and have none signed in them, oldest first.
    pub missed: Vec<MissedWeek>,
    /// The Sunday by which the next entry is due: this week's, or next week's when this
    /// week already has its entry or does not owe one.
    pub next_due: NaiveDate,
}

/// The weekly journal rule (see the module's decisions): `signed_days` are the days
/// (Swedish dates) on which entries were signed, in any order. A week owes an entry when
/// the file was open on all its seven days (from `start`, to `closed` if it closed); a
/// week is missed once its Sunday has passed (`today` is after it) without one.
pub fn weekly_entries(
    signed_days: &[NaiveDate],
    start: NaiveDate,
    closed: Option<NaiveDate>,
    today: NaiveDate,
) -> WeeklyEntries {
    let days: BTreeSet<NaiveDate> = signed_days.iter().copied().collect();
    let has_entry = |monday: NaiveDate| days.range(monday..=add_days(monday, 6)).next().is_some();
    // The first week the file is open from its Monday.
    let first = if start.weekday() == chrono::Weekday::Mon {
        start
    } else {
        add_days(monday_of(start), 7)
    };
    let mut missed = Vec::new();
    let mut monday = first;
    loop {
        let sunday = add_days(monday, 6);
        let over = sunday < today;
        let open_all_week = closed.is_none_or(|c| sunday <= c);
        if !over || !open_all_week || sunday == NaiveDate::MAX {
            break;
        }
        if !has_entry(monday) {
            missed.push(MissedWeek { monday });
        }
        monday = add_days(monday, 7);
    }
    let mut next = first.max(monday_of(today));
    if has_entry(next) {
        next = add_days(next, 7);
    }
    WeeklyEntries {
        missed,
        next_due: add_days(next, 6),
    }
}

/// The day of the following month by which a month's review and report are due: a unit
/// setting from 1 to 28 (every month has a 28th), by default the 10th.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct MonthlyDueDay(u32);

/// A due day that is not a whole number from 1 to 28.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the due day is a whole number from 1 to 28")]
pub struct MonthlyDueDayError;

impl MonthlyDueDay {
    pub const MIN: u32 = 1;
    /// The last day every month has.
    pub const MAX: u32 = 28;
    /// The 10th, unless the unit chooses another day.
    pub const DEFAULT: MonthlyDueDay = MonthlyDueDay(10);

    pub fn new(day: u32) -> Result<MonthlyDueDay, MonthlyDueDayError> {
        (Self::MIN..=Self::MAX)
            .contains(&day)
            .then_some(MonthlyDueDay(day))
            .ok_or(MonthlyDueDayError)
    }

    /// The day as typed into a form or stored: digits only, surrounding spaces ignored.
    pub fn parse(raw: &str) -> Result<MonthlyDueDay, MonthlyDueDayError> {
        let raw = raw.trim();
        if raw.is_empty() || raw.len() > 2 || !raw.bytes().all(|b| b.is_ascii_digit()) {
            return Err(MonthlyDueDayError);
        }
        raw.parse()
            .map_err(|_| MonthlyDueDayError)
            .and_then(Self::new)
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

impl Default for MonthlyDueDay {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl TryFrom<u32> for MonthlyDueDay {
    type Error = MonthlyDueDayError;

    fn try_from(day: u32) -> Result<Self, Self::Error> {
        MonthlyDueDay::new(day)
    }
}

impl From<MonthlyDueDay> for u32 {
    fn from(day: MonthlyDueDay) -> u32 {
        day.0
    }
}

/// A silence in the journal: one or more missed weeks in a row (see [`weekly_entries`]).
/// The register raises one deviation per silence, due the Sunday of its first week; the
/// monthly review and the audit show them to their readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Silence {
    /// The Monday of the first missed week.
    pub first: NaiveDate,
    /// The Sunday of the last missed week.
    pub last: NaiveDate,
}

impl Silence {
    /// How many calendar weeks the silence lasts (at least one).
    pub fn weeks(&self) -> i64 {
        ((self.last - self.first).num_days() + 1) / 7
    }

    /// The day the first missing entry was due: the Sunday of the first week.
    pub fn due(&self) -> NaiveDate {
        add_days(self.first, 6)
    }
}

/// Missed weeks (oldest first) gathered into silences: weeks that follow each other
/// make one.
pub fn silences(missed: &[MissedWeek]) -> Vec<Silence> {
    let mut out: Vec<Silence> = Vec::new();
    for week in missed {
        match out.last_mut() {
            Some(last) if add_days(last.last, 1) == week.monday => last.last = week.sunday(),
            _ => out.push(Silence {
                first: week.monday,
                last: week.sunday(),
            }),
        }
    }
    out
}

/// The weekly rule's silences that touch the days `from..=to` (a month under review, a
/// plan period under audit), for a file open from `start` (to `closed`), on `today`.
/// The same rule as the deadlines and the register: whole calendar weeks, counted by
/// the days entries were *signed* (`signed_days`, Swedish dates, any order). A silence
/// reaching over `from` or `to` is given whole.
pub fn silences_between(
    signed_days: &[NaiveDate],
    start: NaiveDate,
    closed: Option<NaiveDate>,
    today: NaiveDate,
    (from, to): (NaiveDate, NaiveDate),
) -> Vec<Silence> {
    silences(&weekly_entries(signed_days, start, closed, today).missed)
        .into_iter()
        .filter(|s| s.first <= to && s.last >= from)
        .collect()
}

/// A calendar month, for the monthly duties. Written and stored as `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct YearMonth {
    /// Always the first day of the month.
    first: NaiveDate,
}

/// A month that is not written `YYYY-MM` or does not exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("write the month as YYYY-MM")]
pub struct YearMonthError;

impl YearMonth {
    pub fn new(year: i32, month: u32) -> Option<YearMonth> {
        NaiveDate::from_ymd_opt(year, month, 1).map(|first| YearMonth { first })
    }

    /// The month `date` falls in.
    pub fn of(date: NaiveDate) -> YearMonth {
        YearMonth {
            first: date.with_day(1).unwrap_or(date),
        }
    }

    pub fn parse(raw: &str) -> Result<YearMonth, YearMonthError> {
        let (year, month) = raw.trim().split_once('-').ok_or(YearMonthError)?;
        if year.len() != 4 || month.len() != 2 {
            return Err(YearMonthError);
        }
        let year = year.parse().map_err(|_| YearMonthError)?;
        let month = month.parse().map_err(|_| YearMonthError)?;
        YearMonth::new(year, month).ok_or(YearMonthError)
    }

    pub fn year(self) -> i32 {
        self.first.year()
    }

    pub fn month(self) -> u32 {
        self.first.month()
    }

    pub fn first_day(self) -> NaiveDate {
        self.first
    }

    pub fn last_day(self) -> NaiveDate {
        add_months(self.first, 1)
            .pred_opt()
            .filter(|d| *d >= self.first)
            .unwrap_or(NaiveDate::MAX)
    }

    /// The following month (saturating at the end of chrono's calendar).
    pub fn next(self) -> YearMonth {
        YearMonth::of(add_months(self.first, 1))
    }

    /// Every month from the one holding `from` to the one holding `to`, both included;
    /// empty when `to` is before `from`.
    pub fn range(from: NaiveDate, to: NaiveDate) -> Vec<YearMonth> {
        let mut months = Vec::new();
        if to < from {
            return months;
        }
        let last = YearMonth::of(to);
        let mut month = YearMonth::of(from);
        loop {
            months.push(month);
            let next = month.next();
            if month >= last || next == month {
                break;
            }
            month = next;
        }
        months
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

impl TryFrom<String> for YearMonth {
    type Error = YearMonthError;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        YearMonth::parse(&raw)
    }
}

impl From<YearMonth> for String {
    fn from(month: YearMonth) -> String {
        month.to_string()
    }
}

/// The day the goal dialogue of `month` is due: the month's last day, or the closing day
/// if the file closes earlier in that month (nothing is written in a closed file).
pub fn monthly_due(month: YearMonth, closed: Option<NaiveDate>) -> NaiveDate {
    match closed {
        Some(closed) => month.last_day().min(closed),
        None => month.last_day(),
    }
}

/// The day the monthly review and the monthly report of `month` are due: the unit's
/// `due_day` of the next month, or the closing day if the file closes before.
pub fn monthly_report_due(
    month: YearMonth,
    closed: Option<NaiveDate>,
    due_day: MonthlyDueDay,
) -> NaiveDate {
    let due = add_days(month.next().first_day(), u64::from(due_day.get() - 1));
    closed.map_or(due, |closed| due.min(closed))
}

/// Whether `month` owes monthly duties: the file was open on at least
/// [`MONTHLY_MIN_OPEN_DAYS`] of its days (from `start`, to `closed`).
pub fn owes_monthly(month: YearMonth, start: NaiveDate, closed: Option<NaiveDate>) -> bool {
    let from = month.first_day().max(start);
    let to = closed.map_or(month.last_day(), |c| c.min(month.last_day()));
    to >= from && (to - from).num_days() + 1 >= MONTHLY_MIN_OPEN_DAYS
}

/// A duty of the routine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Duty {
    /// Implementation plan, made with the client and signed (genomförandeplan).
    Plan,
    /// First follow-up with client and social secretary (första uppföljning).
    FirstFollowUp,
    /// The follow-up after the first (nästa uppföljning).
    NextFollowUp,
    /// The weekly journal entry.
    WeeklyEntry,
    /// Monthly journal review (genomgång av social journal).
    MonthlyReview(YearMonth),
    /// Monthly report to the social secretary (månadsrapport).
    MonthlyReport(YearMonth),
    /// Monthly goal dialogue (måldialog).
    GoalDialogue(YearMonth),
}

impl Duty {
    /// A stable key for the kind of duty, for i18n and storage.
    pub fn key(self) -> &'static str {
        match self {
            Duty::Plan => "plan",
            Duty::FirstFollowUp => "first_follow_up",
            Duty::NextFollowUp => "next_follow_up",
            Duty::WeeklyEntry => "weekly_entry",
            Duty::MonthlyReview(_) => "monthly_review",
            Duty::MonthlyReport(_) => "monthly_report",
            Duty::GoalDialogue(_) => "goal_dialogue",
        }
    }

    /// The month a monthly duty belongs to.
    pub fn month(self) -> Option<YearMonth> {
        match self {
            Duty::MonthlyReview(m) | Duty::MonthlyReport(m) | Duty::GoalDialogue(m) => Some(m),
            Duty::Plan | Duty::FirstFollowUp | Duty::NextFollowUp | Duty::WeeklyEntry => None,
        }
    }
}

/// Where a duty stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DueStatus {
    /// Not yet due soon.
    Upcoming,
    /// At most [`DUE_SOON_DAYS`] days left, the due day included.
    DueSoon,
    /// The due day has passed and the duty is not done.
    Overdue,
    Done,
}

/// The status of a duty due on `due`, on the day `today`.
pub fn status_on(due: NaiveDate, done: bool, today: NaiveDate) -> DueStatus {
    if done {
        DueStatus::Done
    } else if today > due {
        DueStatus::Overdue
    } else if (due - today).num_days() <= DUE_SOON_DAYS {
        DueStatus::DueSoon
    } else {
        DueStatus::Upcoming
    }
}

/// One duty of one file with its due date and status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueItem {
    pub duty: Duty,
    pub due: NaiveDate,
    pub status: DueStatus,
    /// When it was done, where the input says (a review or report: the day it was signed;
    /// a goal dialogue: the day it was held).
    pub done_on: Option<NaiveDate>,
}

impl DueItem {
    /// Done, but after the due day: a deviation of the unit all the same.
    pub fn done_late(&self) -> bool {
        self.done_on.is_some_and(|d| d > self.due)
    }
}

/// What the duty list needs to know about one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileFacts {
    pub start: NaiveDate,
    pub closed: Option<NaiveDate>,
    pub service: ServiceType,
    /// The first follow-up time named in the assignment.
    pub assignment_first_follow_up: Option<NaiveDate>,
    /// The day the assignment came in (the plan's 14 days count from it when it is
    /// later than the start).
    pub assignment_received: Option<NaiveDate>,
    /// The day the client signed the (first) plan.
    pub plan_signed: Option<NaiveDate>,
    /// Days on which follow-ups were held, in any order.
    pub follow_ups_held: Vec<NaiveDate>,
    /// The days (Swedish dates) on which journal entries were signed, in any order: the
    /// weekly rule counts the signing, not the event date.
    pub signing_days: Vec<NaiveDate>,
    /// The months whose journal review is signed, with the day it was signed.
    pub reviews_done: BTreeMap<YearMonth, NaiveDate>,
    /// The months whose monthly report is signed, with the day it was signed.
    pub reports_done: BTreeMap<YearMonth, NaiveDate>,
    /// The months with a goal dialogue in the journal, with the (first) day it was held.
    pub goal_dialogues_done: BTreeMap<YearMonth, NaiveDate>,
    /// The unit's due day for the monthly review and report.
    pub monthly_due_day: MonthlyDueDay,
}

impl FileFacts {
    /// An open file started on `start` with nothing done yet.
    pub fn new(start: NaiveDate, service: ServiceType) -> FileFacts {
        FileFacts {
            start,
            closed: None,
            service,
            assignment_first_follow_up: None,
            assignment_received: None,
            plan_signed: None,
            follow_ups_held: Vec::new(),
            signing_days: Vec::new(),
            reviews_done: BTreeMap::new(),
            reports_done: BTreeMap::new(),
            goal_dialogues_done: BTreeMap::new(),
            monthly_due_day: MonthlyDueDay::DEFAULT,
        }
    }

    /// Every duty of the file with its status on `today`, soonest first.
    pub fn due_items(&self, today: NaiveDate) -> Vec<DueItem> {
        let mut items = Vec::new();
        let service = self.service;
        let end = self.closed.unwrap_or(today);

        let mut push = |duty: Duty, due: NaiveDate, done: bool, done_on: Option<NaiveDate>| {
            // A duty falling due after the file closed lapses: nothing is written in a closed file.
            let lapsed = self.closed.is_some_and(|closed| due > closed);
            if lapsed && !done {
                return;
            }
            items.push(DueItem {
                duty,
                due,
                status: status_on(due, done, today),
                done_on,
            });
        };

        if let Some(due) = plan_due(self.start, self.assignment_received, service) {
            push(
                Duty::Plan,
                due,
                self.plan_signed.is_some(),
                self.plan_signed,
            );
        }

        if service.needs_plan() {
            let mut held: Vec<NaiveDate> = self
                .follow_ups_held
                .iter()
                .copied()
                .filter(|d| *d >= self.start)
                .collect();
            held.sort_unstable();
            held.dedup();
            let first = held.first().copied();
            let due = first_follow_up_due(self.start, self.assignment_first_follow_up);
            push(Duty::FirstFollowUp, due, first.is_some(), first);
            if let Some(first) = first {
                let second = held.get(1).copied();
                push(
                    Duty::NextFollowUp,
                    next_follow_up_due(first),
                    second.is_some(),
                    second,
                );
            }
        }

        if self.closed.is_none() {
            let journal = weekly_entries(&self.signing_days, self.start, None, today);
            push(Duty::WeeklyEntry, journal.next_due, false, None);
        }

        for month in YearMonth::range(self.start, end) {
            if !owes_monthly(month, self.start, self.closed) {
                continue;
            }
            let due = monthly_report_due(month, self.closed, self.monthly_due_day);
            let review = self.reviews_done.get(&month).copied();
            push(Duty::MonthlyReview(month), due, review.is_some(), review);
            // Report and goal dialogue follow the plan: owed once the client signed one
            // (the motivation group, without a plan, reports on its month all the same).
            let plan_by_month_end =
                service.needs_plan() && self.plan_signed.is_some_and(|s| s <= month.last_day());
            if plan_by_month_end || !service.needs_plan() {
                let report = self.reports_done.get(&month).copied();
                push(Duty::MonthlyReport(month), due, report.is_some(), report);
            }
            // The goal dialogue follows up a plan in force: not in the month the plan was
            // signed unless it was in force 7 days of it.
            let plan_in_force = plan_by_month_end
                && self
                    .plan_signed
                    .is_some_and(|s| owes_monthly(month, s.max(self.start), self.closed));
            if plan_in_force {
                let held = self.goal_dialogues_done.get(&month).copied();
                push(
                    Duty::GoalDialogue(month),
                    monthly_due(month, self.closed),
                    held.is_some(),
                    held,
                );
            }
        }

        items.sort_by_key(|item| (item.due, item.duty));
        items
    }

    /// The weeks so far that owed an entry and got none (up to the closing or today).
    pub fn missed_weeks(&self, today: NaiveDate) -> Vec<MissedWeek> {
        weekly_entries(&self.signing_days, self.start, self.closed, today).missed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    fn ym(y: i32, m: u32) -> YearMonth {
        YearMonth::new(y, m).expect("valid month")
    }

    fn open_file(start: NaiveDate, service: ServiceType) -> FileFacts {
        FileFacts::new(start, service)
    }

    fn find(items: &[DueItem], duty: Duty) -> Option<DueItem> {
        items.iter().copied().find(|i| i.duty == duty)
    }

    #[test]
    fn service_type_names_round_trip() {
        for t in ServiceType::ALL {
            assert_eq!(ServiceType::parse(t.as_str()), Ok(t));
        }
        assert_eq!(ServiceType::parse("open_intake"), Err(UnknownServiceType));
    }

    #[test]
    fn plan_is_due_14_days_after_start() {
        assert_eq!(
            plan_due(d(2026, 3, 2), None, ServiceType::IndividualTreatment),
            Some(d(2026, 3, 16))
        );
        assert_eq!(
            plan_due(d(2026, 3, 2), None, ServiceType::GroupTreatment),
            Some(d(2026, 3, 16))
        );
    }

    #[test]
    fn motivation_group_has_no_plan_due() {
        assert_eq!(
            plan_due(d(2026, 3, 2), None, ServiceType::MotivationGroup),
            None
        );
    }

    #[test]
    fn plan_due_lands_on_a_leap_day() {
        assert_eq!(
            plan_due(d(2028, 2, 15), None, ServiceType::Other),
            Some(d(2028, 2, 29))
        );
    }

    // routine: "ange första tiden för uppföljning efter en månad" — without a named
    // time, one calendar month after the start.
    #[test]
    fn first_follow_up_is_one_calendar_month_after_start_without_a_named_time() {
        assert_eq!(first_follow_up_due(d(2026, 1, 10), None), d(2026, 2, 10));
        assert_eq!(first_follow_up_due(d(2026, 11, 9), None), d(2026, 12, 9));
    }

    // Issue 13: an assignment naming "one month ahead" (29–31 days) made a follow-up
    // held that very day late. The named date is the deadline.
    #[test]
    fn the_named_first_follow_up_is_the_deadline() {
        let start = d(2026, 1, 10);
        assert_eq!(
            first_follow_up_due(start, Some(d(2026, 2, 1))),
            d(2026, 2, 1)
        );
        assert_eq!(
            first_follow_up_due(start, Some(d(2026, 2, 10))),
            d(2026, 2, 10)
        );
        let mut file = open_file(start, ServiceType::IndividualTreatment);
        file.assignment_first_follow_up = Some(d(2026, 2, 10));
        file.follow_ups_held = vec![d(2026, 2, 10)];
        let first = find(&file.due_items(d(2026, 3, 1)), Duty::FirstFollowUp).expect("first");
        assert_eq!(first.status, DueStatus::Done);
        assert!(!first.done_late());
    }

    #[test]
    fn one_month_clamps_to_the_month_end_and_weekends_are_not_excused() {
        assert_eq!(first_follow_up_due(d(2026, 1, 31), None), d(2026, 2, 28));
        assert_eq!(first_follow_up_due(d(2028, 1, 31), None), d(2028, 2, 29));
        assert_eq!(first_follow_up_due(d(2028, 2, 29), None), d(2028, 3, 29));
        assert_eq!(first_follow_up_due(d(2026, 12, 31), None), d(2027, 1, 31));
        assert_eq!(first_follow_up_due(d(2026, 10, 31), None), d(2026, 11, 30));
        // Due on a Sunday: not moved to the Monday after.
        let due = first_follow_up_due(d(2026, 10, 1), None);
        assert_eq!(due, d(2026, 11, 1));
        assert_eq!(due.weekday(), chrono::Weekday::Sun);
        let items =
            open_file(d(2026, 11, 1), ServiceType::IndividualTreatment).due_items(d(2026, 12, 2));
        let first = find(&items, Duty::FirstFollowUp).expect("first follow-up");
        assert_eq!(first.due, d(2026, 12, 1));
        assert_eq!(first.status, DueStatus::Overdue);
    }

    // Issue 13: a start written before the assignment arrived made the plan overdue on
    // the day the file was registered; the 14 days count from the later of the two.
    #[test]
    fn the_plan_is_due_14_days_after_the_later_of_start_and_receipt() {
        let start = d(2026, 3, 2);
        let service = ServiceType::IndividualTreatment;
        assert_eq!(
            plan_due(start, Some(d(2026, 3, 20)), service),
            Some(d(2026, 4, 3))
        );
        assert_eq!(
            plan_due(start, Some(d(2026, 2, 20)), service),
            Some(d(2026, 3, 16))
        );
        assert_eq!(plan_due(start, None, service), Some(d(2026, 3, 16)));
        let mut file = open_file(start, service);
        file.assignment_received = Some(d(2026, 3, 20));
        let plan = find(&file.due_items(d(2026, 3, 20)), Duty::Plan).expect("plan");
        assert_eq!(plan.status, DueStatus::Upcoming);
    }

    #[test]
    fn a_weekly_entry_is_due_on_the_sunday_after_new_year() {
        let mut file = open_file(d(2026, 12, 1), ServiceType::GroupTreatment);
        file.signing_days = vec![d(2026, 12, 24)];
        let item = find(&file.due_items(d(2027, 1, 1)), Duty::WeeklyEntry).expect("weekly");
        assert_eq!(item.due, d(2027, 1, 3));
        assert_eq!(item.status, DueStatus::DueSoon);
        // 7–13 and 14–20 December were missed; 1–6 December was not a whole week.
        let missed: Vec<NaiveDate> = file
            .missed_weeks(d(2027, 1, 1))
            .iter()
            .map(|w| w.sunday())
            .collect();
        assert_eq!(missed, vec![d(2026, 12, 13), d(2026, 12, 20)]);
    }

    #[test]
    fn next_follow_up_is_two_calendar_months_after_the_first_held() {
        assert_eq!(next_follow_up_due(d(2026, 3, 15)), d(2026, 5, 15));
    }

    #[test]
    fn next_follow_up_clamps_to_the_end_of_february() {
        assert_eq!(next_follow_up_due(d(2025, 12, 31)), d(2026, 2, 28));
        assert_eq!(next_follow_up_due(d(2027, 12, 31)), d(2028, 2, 29));
        assert_eq!(next_follow_up_due(d(2027, 12, 30)), d(2028, 2, 29));
        assert_eq!(next_follow_up_due(d(2026, 8, 31)), d(2026, 10, 31));
        assert_eq!(next_follow_up_due(d(2026, 7, 31)), d(2026, 9, 30));
    }

    #[test]
    fn next_follow_up_from_a_leap_day() {
        assert_eq!(next_follow_up_due(d(2028, 2, 29)), d(2028, 4, 29));
    }

    #[test]
    fn year_month_knows_its_last_day() {
        assert_eq!(ym(2028, 2).last_day(), d(2028, 2, 29));
        assert_eq!(ym(2026, 2).last_day(), d(2026, 2, 28));
        assert_eq!(ym(2026, 12).last_day(), d(2026, 12, 31));
        assert_eq!(ym(2026, 12).next(), ym(2027, 1));
    }

    #[test]
    fn year_month_parses_and_prints_as_yyyy_mm() {
        assert_eq!(YearMonth::parse("2026-03"), Ok(ym(2026, 3)));
        assert_eq!(ym(2026, 3).to_string(), "2026-03");
        for bad in ["2026-13", "2026-3", "26-03", "2026/03", ""] {
            assert_eq!(YearMonth::parse(bad), Err(YearMonthError), "{bad}");
        }
    }

    #[test]
    fn year_month_range_spans_the_turn_of_the_year() {
        assert_eq!(
            YearMonth::range(d(2025, 12, 31), d(2026, 2, 1)),
            vec![ym(2025, 12), ym(2026, 1), ym(2026, 2)]
        );
        assert!(YearMonth::range(d(2026, 2, 1), d(2026, 1, 31)).is_empty());
    }

    #[test]
    fn status_is_due_soon_on_the_due_day_and_overdue_the_day_after() {
        let due = d(2026, 5, 10);
        assert_eq!(status_on(due, false, d(2026, 5, 6)), DueStatus::Upcoming);
        assert_eq!(status_on(due, false, d(2026, 5, 7)), DueStatus::DueSoon);
        assert_eq!(status_on(due, false, d(2026, 5, 10)), DueStatus::DueSoon);
        assert_eq!(status_on(due, false, d(2026, 5, 11)), DueStatus::Overdue);
        assert_eq!(status_on(due, true, d(2026, 5, 11)), DueStatus::Done);
    }

    #[test]
    fn weekends_are_not_excused() {
        // 2026-03-14 is a Saturday; the plan of a start on 2026-02-28 is due that day.
        let items =
            open_file(d(2026, 2, 28), ServiceType::IndividualTreatment).due_items(d(2026, 3, 16));
        let plan = find(&items, Duty::Plan).expect("plan item");
        assert_eq!(plan.due, d(2026, 3, 14));
        assert_eq!(plan.status, DueStatus::Overdue);
    }

    #[test]
    fn a_new_file_lists_plan_follow_up_entry_and_this_months_review() {
        let start = d(2026, 3, 2);
        let items = open_file(start, ServiceType::IndividualTreatment).due_items(start);
        let duties: Vec<Duty> = items.iter().map(|i| i.duty).collect();
        // No plan yet: no monthly report and no goal dialogue.
        assert_eq!(
            duties,
            vec![
                Duty::WeeklyEntry,
                Duty::Plan,
                Duty::FirstFollowUp,
                Duty::MonthlyReview(ym(2026, 3)),
            ]
        );
        assert_eq!(
            find(&items, Duty::MonthlyReview(ym(2026, 3))).map(|i| i.due),
            Some(d(2026, 4, 10))
        );
        assert!(items.iter().all(|i| i.status == DueStatus::Upcoming));
        assert_eq!(
            find(&items, Duty::WeeklyEntry).map(|i| i.due),
            Some(d(2026, 3, 8))
        );
        assert_eq!(
            find(&items, Duty::FirstFollowUp).map(|i| i.due),
            Some(d(2026, 4, 2))
        );
    }

    #[test]
    fn items_are_sorted_soonest_first() {
        let mut file = open_file(d(2026, 1, 5), ServiceType::GroupTreatment);
        file.signing_days = vec![d(2026, 2, 20)];
        let items = file.due_items(d(2026, 3, 3));
        assert!(items.windows(2).all(|w| w[0].due <= w[1].due), "{items:?}");
    }

    #[test]
    fn a_plan_signed_late_is_done_but_late() {
        let mut file = open_file(d(2026, 3, 2), ServiceType::IndividualTreatment);
        file.plan_signed = Some(d(2026, 3, 20));
        let plan = find(&file.due_items(d(2026, 4, 1)), Duty::Plan).expect("plan item");
        assert_eq!(plan.status, DueStatus::Done);
        assert!(plan.done_late());
        file.plan_signed = Some(d(2026, 3, 16));
        let plan = find(&file.due_items(d(2026, 4, 1)), Duty::Plan).expect("plan item");
        assert!(!plan.done_late());
    }

    #[test]
    fn the_next_follow_up_appears_once_the_first_is_held() {
        let mut file = open_file(d(2025, 12, 1), ServiceType::IndividualTreatment);
        let items = file.due_items(d(2025, 12, 20));
        assert!(find(&items, Duty::NextFollowUp).is_none());

        file.follow_ups_held = vec![d(2025, 12, 31)];
        let items = file.due_items(d(2026, 1, 5));
        let first = find(&items, Duty::FirstFollowUp).expect("first follow-up");
        assert_eq!(first.status, DueStatus::Done);
        assert_eq!(first.done_on, Some(d(2025, 12, 31)));
        let next = find(&items, Duty::NextFollowUp).expect("next follow-up");
        assert_eq!(next.due, d(2026, 2, 28));
        assert_eq!(next.status, DueStatus::Upcoming);

        file.follow_ups_held = vec![d(2026, 2, 20), d(2025, 12, 31)];
        let next = find(&file.due_items(d(2026, 3, 1)), Duty::NextFollowUp).expect("next");
        assert_eq!(next.status, DueStatus::Done);
        assert_eq!(next.done_on, Some(d(2026, 2, 20)));
    }

    #[test]
    // Issue 13: a file starting on the 31st owed a review and a report on the 1st.
    fn a_start_on_new_years_eve_owes_nothing_for_december() {
        let start = d(2026, 12, 31);
        let items = open_file(start, ServiceType::IndividualTreatment).due_items(d(2027, 1, 2));
        assert_eq!(
            find(&items, Duty::Plan).map(|i| i.due),
            Some(d(2027, 1, 14))
        );
        assert_eq!(
            find(&items, Duty::FirstFollowUp).map(|i| i.due),
            Some(d(2027, 1, 31))
        );
        assert!(find(&items, Duty::MonthlyReview(ym(2026, 12))).is_none());
        assert!(find(&items, Duty::MonthlyReport(ym(2026, 12))).is_none());
        let january = find(&items, Duty::MonthlyReview(ym(2027, 1))).expect("january review");
        assert_eq!(january.due, d(2027, 2, 10));
        assert_eq!(january.status, DueStatus::Upcoming);
        // The plan signed in January: January owes its report and goal dialogue.
        let mut file = open_file(start, ServiceType::IndividualTreatment);
        file.plan_signed = Some(d(2027, 1, 12));
        let items = file.due_items(d(2027, 1, 20));
        assert_eq!(
            find(&items, Duty::MonthlyReport(ym(2027, 1))).map(|i| i.due),
            Some(d(2027, 2, 10))
        );
        assert_eq!(
            find(&items, Duty::GoalDialogue(ym(2027, 1))).map(|i| i.due),
            Some(d(2027, 1, 31))
        );
    }

    #[test]
    fn the_due_day_is_a_day_from_1_to_28_by_default_the_10th() {
        assert_eq!(MonthlyDueDay::default().get(), 10);
        assert_eq!(MonthlyDueDay::parse(" 15 ").map(MonthlyDueDay::get), Ok(15));
        assert_eq!(MonthlyDueDay::parse("1").map(MonthlyDueDay::get), Ok(1));
        assert_eq!(MonthlyDueDay::parse("28").map(MonthlyDueDay::get), Ok(28));
        for bad in ["0", "29", "31", "", "1.5", "-3", "tio", "010", "+5"] {
            assert_eq!(MonthlyDueDay::parse(bad), Err(MonthlyDueDayError), "{bad}");
        }
    }

    // Issue 13: the due day of the monthly review and report is the unit's setting.
    #[test]
    fn the_monthly_review_and_report_fall_due_on_the_units_day() {
        let day = |n| MonthlyDueDay::new(n).expect("day");
        assert_eq!(
            monthly_report_due(ym(2026, 1), None, day(28)),
            d(2026, 2, 28)
        );
        assert_eq!(
            monthly_report_due(ym(2026, 12), None, day(1)),
            d(2027, 1, 1)
        );
        // A file closing earlier: the closing day.
        assert_eq!(
            monthly_report_due(ym(2026, 1), Some(d(2026, 2, 3)), day(5)),
            d(2026, 2, 3)
        );
        let mut file = open_file(d(2026, 1, 5), ServiceType::IndividualTreatment);
        file.plan_signed = Some(d(2026, 1, 12));
        file.monthly_due_day = day(20);
        let items = file.due_items(d(2026, 2, 18));
        let review = find(&items, Duty::MonthlyReview(ym(2026, 1))).expect("review");
        assert_eq!(
            (review.due, review.status),
            (d(2026, 2, 20), DueStatus::DueSoon)
        );
        let report = find(&items, Duty::MonthlyReport(ym(2026, 1))).expect("report");
        assert_eq!(report.due, d(2026, 2, 20));
    }

    #[test]
    fn a_review_signed_after_its_day_is_done_late() {
        let mut file = open_file(d(2026, 1, 5), ServiceType::MotivationGroup);
        file.reviews_done.insert(ym(2026, 1), d(2026, 2, 11));
        file.reports_done.insert(ym(2026, 1), d(2026, 2, 10));
        let items = file.due_items(d(2026, 2, 20));
        let review = find(&items, Duty::MonthlyReview(ym(2026, 1))).expect("review");
        assert_eq!(review.status, DueStatus::Done);
        assert!(review.done_late());
        let report = find(&items, Duty::MonthlyReport(ym(2026, 1))).expect("report");
        assert!(!report.done_late());
    }

    #[test]
    fn silences_are_runs_of_missed_weeks() {
        let week = |y, m, day| MissedWeek {
            monday: d(y, m, day),
        };
        let runs = silences(&[
            week(2026, 12, 21),
            week(2026, 12, 28),
            week(2027, 1, 4),
            week(2027, 1, 18),
        ]);
        assert_eq!(
            runs,
            vec![
                Silence {
                    first: d(2026, 12, 21),
                    last: d(2027, 1, 10)
                },
                Silence {
                    first: d(2027, 1, 18),
                    last: d(2027, 1, 24)
                },
            ]
        );
        assert_eq!(runs[0].weeks(), 3);
        assert_eq!(runs[0].due(), d(2026, 12, 27));
        assert!(silences(&[]).is_empty());
    }

    #[test]
    fn silences_between_keeps_those_touching_the_days_whole() {
        // Signed only on Wednesday 2026-01-07; today Monday 2026-02-02: 12 January to
        // 1 February is one silence.
        let signed = [d(2026, 1, 7)];
        let start = d(2026, 1, 5);
        let touching = |from, to| silences_between(&signed, start, None, d(2026, 2, 2), (from, to));
        let whole = vec![Silence {
            first: d(2026, 1, 12),
            last: d(2026, 2, 1),
        }];
        assert_eq!(touching(d(2026, 1, 20), d(2026, 1, 21)), whole);
        assert_eq!(touching(d(2026, 2, 1), d(2026, 2, 28)), whole);
        assert!(touching(d(2026, 1, 1), d(2026, 1, 11)).is_empty());
    }

    #[test]
    fn a_month_owes_its_duties_from_seven_open_days() {
        let january = ym(2026, 1);
        // Open from the 25th: 7 days (25–31) owe; from the 26th: 6 do not.
        assert!(owes_monthly(january, d(2026, 1, 25), None));
        assert!(!owes_monthly(january, d(2026, 1, 26), None));
        // Closed on the 1st, or the 6th, of a month: nothing owed for it; the 7th: owed.
        let start = d(2025, 11, 3);
        assert!(!owes_monthly(january, start, Some(d(2026, 1, 1))));
        assert!(!owes_monthly(january, start, Some(d(2026, 1, 6))));
        assert!(owes_monthly(january, start, Some(d(2026, 1, 7))));
        // February of a leap year: from the 23rd is 7 days.
        assert!(owes_monthly(ym(2028, 2), d(2028, 2, 23), None));
        assert!(!owes_monthly(ym(2027, 2), d(2027, 2, 23), None));
    }

    // Issue 13: a file closed on the 1st owed that month's review and report.
    #[test]
    fn a_file_closed_on_the_first_owes_nothing_for_that_month() {
        let mut file = open_file(d(2026, 1, 12), ServiceType::IndividualTreatment);
        file.plan_signed = Some(d(2026, 1, 20));
        file.closed = Some(d(2026, 2, 1));
        let items = file.due_items(d(2026, 3, 1));
        assert!(
            items.iter().all(|i| i.duty.month() != Some(ym(2026, 2))),
            "{items:?}"
        );
        // January is due on the closing day, before the 10th of February.
        assert_eq!(
            find(&items, Duty::MonthlyReport(ym(2026, 1))).map(|i| i.due),
            Some(d(2026, 2, 1))
        );
    }

    #[test]
    fn the_goal_dialogue_of_a_leap_february_is_due_on_the_29th() {
        let mut file = open_file(d(2028, 2, 1), ServiceType::GroupTreatment);
        file.plan_signed = Some(d(2028, 2, 10));
        let items = file.due_items(d(2028, 2, 27));
        let dialogue = find(&items, Duty::GoalDialogue(ym(2028, 2))).expect("dialogue");
        assert_eq!(dialogue.due, d(2028, 2, 29));
        assert_eq!(dialogue.status, DueStatus::DueSoon);
        let review = find(&items, Duty::MonthlyReview(ym(2028, 2))).expect("review");
        assert_eq!(review.due, d(2028, 3, 10));
    }

    #[test]
    fn done_months_are_done_and_missed_months_overdue() {
        let mut file = open_file(d(2026, 1, 15), ServiceType::IndividualTreatment);
        file.plan_signed = Some(d(2026, 1, 28));
        file.reviews_done = [(ym(2026, 1), d(2026, 2, 5))].into_iter().collect();
        file.reports_done = [(ym(2026, 1), d(2026, 2, 5)), (ym(2026, 2), d(2026, 3, 4))]
            .into_iter()
            .collect();
        let items = file.due_items(d(2026, 3, 11));
        let status = |duty| find(&items, duty).map(|i| i.status);
        assert_eq!(
            status(Duty::MonthlyReview(ym(2026, 1))),
            Some(DueStatus::Done)
        );
        assert_eq!(
            status(Duty::MonthlyReview(ym(2026, 2))),
            Some(DueStatus::Overdue)
        );
        assert_eq!(
            status(Duty::MonthlyReport(ym(2026, 2))),
            Some(DueStatus::Done)
        );
        assert_eq!(
            status(Duty::MonthlyReport(ym(2026, 3))),
            Some(DueStatus::Upcoming)
        );
        // The plan was signed on 28 January: no goal dialogue owed for January (four
        // days under the plan), February's missed.
        assert_eq!(status(Duty::GoalDialogue(ym(2026, 1))), None);
        assert_eq!(
            status(Duty::GoalDialogue(ym(2026, 2))),
            Some(DueStatus::Overdue)
        );
        assert_eq!(status(Duty::MonthlyReview(ym(2026, 4))), None);
    }

    #[test]
    fn a_file_closed_mid_month_owes_that_month_by_the_closing_day() {
        let mut file = open_file(d(2026, 2, 10), ServiceType::IndividualTreatment);
        file.plan_signed = Some(d(2026, 2, 20));
        file.follow_ups_held = vec![d(2026, 3, 5)];
        file.closed = Some(d(2026, 3, 12));
        let items = file.due_items(d(2026, 4, 20));
        let march = find(&items, Duty::MonthlyReview(ym(2026, 3))).expect("march review");
        assert_eq!(march.due, d(2026, 3, 12));
        assert_eq!(march.status, DueStatus::Overdue);
        assert!(
            find(&items, Duty::MonthlyReport(ym(2026, 4))).is_none(),
            "no month after closing"
        );
        assert!(
            find(&items, Duty::WeeklyEntry).is_none(),
            "no weekly entry in a closed file"
        );
        // The next follow-up (due 2026-05-05) lapsed with the closing.
        assert!(find(&items, Duty::NextFollowUp).is_none());
    }

    #[test]
    fn a_file_closed_before_the_plan_was_due_owes_no_plan() {
        let mut file = open_file(d(2026, 5, 4), ServiceType::IndividualTreatment);
        file.closed = Some(d(2026, 5, 10));
        let items = file.due_items(d(2026, 6, 1));
        assert!(find(&items, Duty::Plan).is_none());
        assert!(find(&items, Duty::FirstFollowUp).is_none());
        assert_eq!(
            find(&items, Duty::MonthlyReview(ym(2026, 5))).map(|i| i.due),
            Some(d(2026, 5, 10))
        );
        assert!(
            find(&items, Duty::MonthlyReport(ym(2026, 5))).is_none(),
            "no plan, no report"
        );
    }

    #[test]
    fn motivation_group_owes_no_plan_follow_up_or_goal_dialogue() {
        let file = open_file(d(2026, 3, 2), ServiceType::MotivationGroup);
        let items = file.due_items(d(2026, 4, 15));
        assert!(items.iter().all(|i| !matches!(
            i.duty,
            Duty::Plan | Duty::FirstFollowUp | Duty::NextFollowUp | Duty::GoalDialogue(_)
        )));
        assert!(find(&items, Duty::WeeklyEntry).is_some());
        assert!(find(&items, Duty::MonthlyReview(ym(2026, 3))).is_some());
        assert!(find(&items, Duty::MonthlyReport(ym(2026, 3))).is_some());
    }

    // routine: "räcker det med en journal per vecka" — each calendar week, Monday to
    // Sunday, needs an entry signed in it.
    #[test]
    fn each_calendar_week_needs_an_entry_signed_in_it() {
        // 2026-01-05 is a Monday. Entries signed Friday of week 1 and week 2.
        let mut file = open_file(d(2026, 1, 5), ServiceType::GroupTreatment);
        file.signing_days = vec![d(2026, 1, 9), d(2026, 1, 16)];
        let item = |today| find(&file.due_items(today), Duty::WeeklyEntry).expect("weekly item");
        // Friday of week 3: due on its Sunday.
        assert_eq!(item(d(2026, 1, 23)).due, d(2026, 1, 25));
        assert_eq!(item(d(2026, 1, 23)).status, DueStatus::DueSoon);
        assert!(
            file.missed_weeks(d(2026, 1, 25)).is_empty(),
            "Sunday is still in time"
        );
        // Monday of week 4: week 3 was missed, the next is due on Sunday 2026-02-01.
        assert_eq!(
            file.missed_weeks(d(2026, 1, 26)),
            vec![MissedWeek {
                monday: d(2026, 1, 19)
            }]
        );
        assert_eq!(item(d(2026, 1, 26)).due, d(2026, 2, 1));
    }

    // Issue 13: with a rolling 7-day window, an entry on Monday and the next on Tuesday
    // of the week after was a deviation. Each in its own week, that is one a week.
    #[test]
    fn monday_then_tuesday_of_the_next_week_is_one_a_week() {
        let mut file = open_file(d(2026, 1, 5), ServiceType::IndividualTreatment);
        file.signing_days = vec![d(2026, 1, 5), d(2026, 1, 13), d(2026, 1, 19)];
        assert!(file.missed_weeks(d(2026, 1, 26)).is_empty());
    }

    // Issue 13: a backdated entry (its event in an earlier week, signed weeks later)
    // does not fill the week it describes.
    #[test]
    fn a_backdated_entry_counts_in_the_week_it_was_signed() {
        let mut file = open_file(d(2026, 1, 5), ServiceType::IndividualTreatment);
        // Written on 2026-01-29 about 2026-01-14: the signing day is what is passed in.
        file.signing_days = vec![d(2026, 1, 29)];
        assert_eq!(
            file.missed_weeks(d(2026, 2, 2)),
            vec![
                MissedWeek {
                    monday: d(2026, 1, 5)
                },
                MissedWeek {
                    monday: d(2026, 1, 12)
                },
                MissedWeek {
                    monday: d(2026, 1, 19)
                },
            ]
        );
    }

    #[test]
    fn the_partial_weeks_of_the_start_and_the_closing_owe_nothing() {
        // Opened on Sunday 2026-01-11: not late on Monday; the first week is 12–18 January.
        let mut file = open_file(d(2026, 1, 11), ServiceType::IndividualTreatment);
        assert!(file.missed_weeks(d(2026, 1, 12)).is_empty());
        assert_eq!(
            find(&file.due_items(d(2026, 1, 12)), Duty::WeeklyEntry).map(|i| i.due),
            Some(d(2026, 1, 18))
        );
        // Closed on Wednesday 2026-01-21: that week owes nothing, the week before did.
        file.closed = Some(d(2026, 1, 21));
        assert_eq!(
            file.missed_weeks(d(2026, 3, 1)),
            vec![MissedWeek {
                monday: d(2026, 1, 12)
            }]
        );
        // Closed on a Sunday: that last week was open all seven days.
        file.closed = Some(d(2026, 1, 25));
        assert_eq!(file.missed_weeks(d(2026, 3, 1)).len(), 2);
    }

    #[test]
    fn weeks_run_monday_to_sunday_across_new_year_and_a_leap_day() {
        // 2026-12-28 (Monday) to 2027-01-03 (Sunday) is one week.
        let mut file = open_file(d(2026, 12, 28), ServiceType::IndividualTreatment);
        file.signing_days = vec![d(2027, 1, 3)];
        assert!(file.missed_weeks(d(2027, 1, 4)).is_empty());
        // 2028-02-28 (Monday) to 2028-03-05 (Sunday) holds the 29th.
        let mut file = open_file(d(2028, 2, 28), ServiceType::IndividualTreatment);
        file.signing_days = vec![d(2028, 2, 29)];
        assert!(file.missed_weeks(d(2028, 3, 6)).is_empty());
        assert_eq!(monday_of(d(2028, 3, 5)), d(2028, 2, 28));
    }

    fn date_strategy() -> impl Strategy<Value = NaiveDate> {
        (0u64..20_000).prop_map(|n| add_days(d(1990, 1, 1), n))
    }

    proptest! {
        /// The review and report of any month, for any due day from 1 to 28, are due on
        /// that day of the next month, or on the closing day if that is earlier.
        #[test]
        fn the_due_day_falls_in_the_next_month_or_on_the_closing(
            day in 1u32..=28, date in date_strategy(), closed_after in proptest::option::of(0u64..70),
        ) {
            let month = YearMonth::of(date);
            let closed = closed_after.map(|n| add_days(month.first_day(), n));
            let due = monthly_report_due(month, closed, MonthlyDueDay::new(day).expect("day"));
            let unclosed = monthly_report_due(month, None, MonthlyDueDay::new(day).expect("day"));
            prop_assert_eq!(YearMonth::of(unclosed), month.next());
            prop_assert_eq!(unclosed.day(), day);
            prop_assert_eq!(due, closed.map_or(unclosed, |c| c.min(unclosed)));
        }

        /// Monthly duties only for months open 7 days or more; reports and goal dialogues
        /// only for months by whose end a plan was signed; never due after the closing.
        #[test]
        fn monthly_duties_follow_open_days_and_the_plan(
            start in date_strategy(),
            open_days in proptest::option::of(0u64..200),
            plan_after in proptest::option::of(0u64..100),
            today_offset in 0u64..300,
        ) {
            let mut file = FileFacts::new(start, ServiceType::IndividualTreatment);
            file.closed = open_days.map(|n| add_days(start, n));
            file.plan_signed = plan_after.map(|n| add_days(start, n));
            for item in file.due_items(add_days(start, today_offset)) {
                let Some(month) = item.duty.month() else { continue };
                prop_assert!(owes_monthly(month, start, file.closed));
                if !matches!(item.duty, Duty::MonthlyReview(_)) {
                    // (An individual treatment: a report needs a signed plan.)
                    prop_assert!(file.plan_signed.is_some_and(|s| s <= month.last_day()));
                }
                if let Some(closed) = file.closed {
                    prop_assert!(item.due <= closed);
                }
                prop_assert!(item.due >= month.first_day());
            }
        }

        /// A missed week is a whole Monday–Sunday week inside the open period, over by
        /// today, with no signing in it; every such week is listed; the next due day is
        /// a Sunday not before today.
        #[test]
        fn missed_weeks_are_exactly_the_whole_weeks_without_a_signing(
            start in date_strategy(),
            offsets in proptest::collection::vec(0u64..200, 0..30),
            today_offset in 0u64..220,
            closed_after in proptest::option::of(0u64..220),
        ) {
            let today = add_days(start, today_offset);
            let closed = closed_after.map(|n| add_days(start, n));
            let signed: Vec<NaiveDate> = offsets.iter().map(|o| add_days(start, *o)).collect();
            let w = weekly_entries(&signed, start, closed, today);
            let mut expected = Vec::new();
            let mut monday = monday_of(start);
            while monday <= today {
                let sunday = add_days(monday, 6);
                let whole = monday >= start && closed.is_none_or(|c| sunday <= c);
                let signed_in = signed.iter().any(|s| *s >= monday && *s <= sunday);
                if whole && sunday < today && !signed_in {
                    expected.push(MissedWeek { monday });
                }
                monday = add_days(monday, 7);
            }
            prop_assert_eq!(&w.missed, &expected);
            prop_assert_eq!(w.next_due.weekday(), chrono::Weekday::Sun);
            prop_assert!(w.next_due >= today);
        }

        /// One calendar month: 28 to 31 days, the same day of the month or the month's
        /// last day, across month ends and leap years.
        #[test]
        fn the_default_first_follow_up_is_one_calendar_month_on(start in date_strategy()) {
            let due = first_follow_up_due(start, None);
            let days = (due - start).num_days();
            prop_assert!((28..=31).contains(&days), "{start} -> {due}");
            let months = (due.year() - start.year()) * 12 + due.month() as i32 - start.month() as i32;
            prop_assert_eq!(months, 1);
            prop_assert!(due.day() == start.day() || (due.day() < start.day() && due.succ_opt().is_some_and(|n| n.day() == 1)));
        }

        /// The plan is never owed before the assignment has been there 14 days.
        #[test]
        fn the_plan_is_never_due_before_14_days_after_receipt_or_start(
            start in date_strategy(), received_offset in -60i64..60,
        ) {
            let received = start + chrono::Duration::days(received_offset);
            let due = plan_due(start, Some(received), ServiceType::IndividualTreatment).expect("due");
            prop_assert_eq!(due, add_days(start.max(received), 14));
        }

        #[test]
        fn next_follow_up_is_two_months_on_never_later_in_the_month(first in date_strategy()) {
            let next = next_follow_up_due(first);
            let days = (next - first).num_days();
            prop_assert!((59..=62).contains(&days), "{first} -> {next}");
            prop_assert!(next.day() <= first.day());
            let months = (next.year() - first.year()) * 12 + next.month() as i32 - first.month() as i32;
            prop_assert_eq!(months, 2);
        }

        #[test]
        fn due_items_are_sorted_and_never_due_after_closing_unless_done(
            start in date_strategy(),
            open_days in 0u64..400,
            closed in any::<bool>(),
            today_offset in 0u64..500,
            service in proptest::sample::select(ServiceType::ALL.to_vec()),
        ) {
            let closed_on = closed.then(|| add_days(start, open_days));
            let mut file = FileFacts::new(start, service);
            file.closed = closed_on;
            file.signing_days = (0..60).map(|i| add_days(start, i * 9)).collect();
            let today = add_days(start, today_offset);
            let items = file.due_items(today);
            prop_assert!(items.windows(2).all(|w| (w[0].due, w[0].duty) <= (w[1].due, w[1].duty)));
            if let Some(closed_on) = closed_on {
                prop_assert!(items.iter().all(|i| i.due <= closed_on || i.status == DueStatus::Done));
            }
            prop_assert_eq!(items.iter().any(|i| i.duty == Duty::Plan), service.needs_plan() && (
                closed_on.is_none_or(|c| add_days(start, 14) <= c)));
        }
    }
}
