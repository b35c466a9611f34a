//! View models: what server functions hand to pages. Plain data, no ids that
//! mean anything outside Akta except the random public ids of files.

pub mod audit;
pub mod deviations;
pub mod log;
pub mod monthly;

use akta_domain::Role;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The logged-in user as pages see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// An administrator set the password: the frame sends the user to change it.
    pub must_change_password: bool,
    /// The role needs a second factor and the account has none: the frame sends the
    /// user to enrol one (after a password change, if that is due too).
    pub must_enrol: bool,
    /// The unit's name (printed at the top of every page), once the admin has set it.
    pub unit_name: Option<String>,
    /// Audit reminders not yet opened (shown on every page until the reviewer opens
    /// their reviews).
    pub reminders: Vec<audit::ReminderNote>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    /// The account has enrolled a second factor (an authenticator app).
    pub second_factor: bool,
}

/// A new authenticator secret offered for enrolment: its QR code (SVG drawn by the
/// server) and the secret in groups of four, for typing into an app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondFactorOffer {
    pub secret: String,
    pub qr_svg: String,
}

/// One's own second factor, for the enrolment page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondFactorState {
    /// The day (Swedish date) the authenticator was enrolled, if it is.
    pub enrolled_on: Option<chrono::NaiveDate>,
    pub recovery_codes_left: u32,
    /// Whether the account's role needs a second factor.
    pub required: bool,
}

/// What the administrator sees of the unit's login rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginSettings {
    /// Staff must have a second factor too (managers and administrators always must).
    pub staff_second_factor: bool,
}

/// One line in a list of case files. For a client with protected identity the
/// name and number are already masked by the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRow {
    pub file_id: String,
    pub client_name: Option<String>,
    pub identity_number: Option<String>,
    pub protected_identity: bool,
    pub service_type: String,
    pub started_on: NaiveDate,
    pub contact_person: String,
    pub latest_entry: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

impl<T> Page<T> {
    pub fn first_shown(&self) -> u64 {
        if self.rows.is_empty() {
            0
        } else {
            self.page * self.per_page + 1
        }
    }

    pub fn last_shown(&self) -> u64 {
        self.page * self.per_page + self.rows.len() as u64
    }

    pub fn has_previous(&self) -> bool {
        self.page > 0
    }

    pub fn has_next(&self) -> bool {
        self.last_shown() < self.total
    }
}

/// The head of a case file: who the client is, what was granted, who works in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileHeader {
    pub file_id: String,
    pub client_name: Option<String>,
    pub identity_number: Option<String>,
    pub protected_identity: bool,
    pub service_type: String,
    pub service_granted: String,
    pub started_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub contact_person: String,
    pub co_workers: Vec<String>,
    pub secretary_name: String,
    pub secretary_unit: String,
    /// The last day of the plan (`akta_domain::deadlines::plan_due`: 14 days from the
    /// later of the start and the assignment's arrival); `None` without a plan.
    pub plan_due: Option<NaiveDate>,
    /// The server's today, so the browser never asks its own clock while rendering.
    pub today: NaiveDate,
}

/// A goal (mål) or sub-goal (delmål: `parent` set) of one plan version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalView {
    pub goal_id: String,
    pub parent: Option<String>,
    pub title: String,
    pub what: String,
    pub how: String,
    pub who: String,
    pub by_when: Option<NaiveDate>,
}

/// One plan version = one plan period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodView {
    /// 1-based, as people count versions.
    pub number: u32,
    pub valid_from: NaiveDate,
    /// The day before the next version starts (or the closing day); `None` while in force.
    pub valid_to: Option<NaiveDate>,
    pub client_signed_on: Option<NaiveDate>,
    /// In force today (worked out on the server: nothing time-dependent while rendering).
    pub in_force: bool,
    pub goals: Vec<GoalView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryView {
    pub entry_id: String,
    pub event_date: NaiveDate,
    pub category: String,
    pub body: String,
    pub author: String,
    pub signed: bool,
    pub signed_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The plan period (1-based) the entry's date falls in.
    pub period: Option<u32>,
    /// Linked goals: (goal id, title).
    pub goals: Vec<(String, String)>,
    /// The entry this one corrects, and why.
    pub corrects: Option<String>,
    pub correction_reason: Option<String>,
    /// Later entries that correct this one.
    pub corrected_by: Vec<String>,
}

/// Which entries to show.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalFilter {
    pub category: Option<String>,
    pub goal: Option<String>,
    pub period: Option<u32>,
    pub page: u64,
}

/// Everything the journal page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileJournal {
    pub header: FileHeader,
    pub periods: Vec<PeriodView>,
    pub entries: Page<EntryView>,
    /// The user's own unsigned drafts in this file.
    pub drafts: Vec<EntryView>,
    /// Whether the user may write in this file (on the care team and the file is open).
    pub may_write: bool,
}

/// The answer to an autosave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftSaved {
    pub entry_id: String,
    /// Local (Swedish) time of day, HH:MM, for "saved at".
    pub saved_time: String,
}

/// One version of the implementation plan, as the plan page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanVersionView {
    /// 1-based version number; also the plan period's number.
    pub number: u32,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub client_view: String,
    pub client_signed_on: Option<NaiveDate>,
    /// `on_paper` or `in_person`.
    pub client_signed_how: Option<String>,
    pub copy_to_client_on: Option<NaiveDate>,
    pub copy_to_contact_on: Option<NaiveDate>,
    pub copy_to_secretary_on: Option<NaiveDate>,
    pub revision_reason: Option<String>,
    pub created_by: String,
    pub goals: Vec<GoalView>,
    /// Unsigned, the newest version, and the user may write: goals can be changed.
    pub editable: bool,
    /// A plan period (see `akta_domain::plan::is_period`): false for an unsigned
    /// revision, which is a draft in force nowhere until the client signs it.
    pub is_period: bool,
    /// In force today (worked out on the server).
    pub in_force: bool,
}

/// One point of the intake checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeItemView {
    pub item: String,
    /// Who ticked it, and when (local date).
    pub checked: Option<(String, NaiveDate)>,
}

/// Everything the plan page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanPage {
    pub header: FileHeader,
    /// Oldest first.
    pub versions: Vec<PlanVersionView>,
    /// Whether the service needs a plan at all (not the motivation group).
    pub plan_needed: bool,
    pub may_write: bool,
    pub intake: Vec<IntakeItemView>,
}

/// A person to choose in a form (a filter, a contact person, a co-worker).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserOption {
    pub username: String,
    pub display_name: String,
}

/// One line of the access log as the manager reads it. Names are resolved on the
/// server; for a client with protected identity the name is already masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogRow {
    /// Swedish local date and time (HH:MM) of the event.
    pub date: NaiveDate,
    pub time: String,
    pub user: String,
    /// The stable action name (`access_log::Action`), turned into a sentence by the page.
    pub action: String,
    pub client_name: Option<String>,
    pub protected_identity: bool,
    /// The file concerned, for a link.
    pub file_id: Option<String>,
    /// The account an administrator's action or a failed login concerned.
    pub account: Option<String>,
    /// The client address and the short session hash the request came with.
    pub address: Option<String>,
    pub session: Option<String>,
    pub detail: Option<log::LogDetail>,
}

/// One hit of the client search: a case file with its client, masked when the
/// client has protected identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientHit {
    pub file_id: String,
    pub client_name: Option<String>,
    pub identity_number: Option<String>,
    pub protected_identity: bool,
    pub service_type: String,
    pub started_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub contact_person: String,
}

/// A file's care team, with whether the reader may change it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamView {
    pub file_id: String,
    pub client_name: Option<String>,
    pub contact_person: UserOption,
    pub co_workers: Vec<UserOption>,
    /// Active staff who could be added or made contact person.
    pub staff: Vec<UserOption>,
    pub may_change: bool,
}

/// One duty of one file that is due soon or overdue, for "my work".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueRow {
    pub file_id: String,
    pub client_name: Option<String>,
    pub protected_identity: bool,
    pub contact_person: String,
    /// `akta_domain::deadlines::Duty::key`.
    pub duty: String,
    /// `YYYY-MM` for a monthly duty.
    pub month: Option<String>,
    pub due: NaiveDate,
    pub overdue: bool,
    /// A follow-up duty that has a booked (not yet held) follow-up: its day.
    pub booked_on: Option<NaiveDate>,
}

/// Due and overdue duties of one staff member's files, for the manager.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffDue {
    pub name: String,
    pub files: u64,
    pub overdue: u64,
    pub due_soon: u64,
}

/// The start page's "my work" (staff) or the unit's duties (manager).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyWork {
    /// The server's today: due dates are counted from it.
    pub today: NaiveDate,
    pub open_files: u64,
    /// Soonest first; at most [`MyWork::MAX_ROWS`].
    pub rows: Vec<DueRow>,
    pub total_overdue: u64,
    pub total_due_soon: u64,
    /// Manager only: per contact person.
    pub per_staff: Vec<StaffDue>,
    /// Manager only: closed files, and how many of them were dropouts (bortfall).
    pub closed_files: u64,
    pub dropouts: u64,
    /// The unit's day of the next month by which the monthly review and report are due.
    pub monthly_due_day: u32,
    /// The user's own open-intake registrations open longer than their service lasts.
    pub intakes_overstayed: Vec<IntakeRow>,
    /// The user's audit reviews not yet submitted, in rounds in progress.
    pub reviews: Vec<audit::MyReview>,
}

impl MyWork {
    pub const MAX_ROWS: usize = 300;
}

/// A booked or documented follow-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpView {
    pub follow_up_id: String,
    pub planned_on: NaiveDate,
    pub booked_by: String,
    pub held_on: Option<NaiveDate>,
    pub participants: Option<String>,
    pub outcome: Option<String>,
    pub plan_revised: Option<bool>,
    pub documented_by: Option<String>,
}

/// The follow-ups page of a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpsPage {
    pub header: FileHeader,
    /// Oldest first.
    pub follow_ups: Vec<FollowUpView>,
    pub plan_needed: bool,
    pub may_write: bool,
}

/// A final report (slutrapport) with the closing it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinalReportView {
    pub treatment: String,
    pub outcome: String,
    pub client_view_ending: String,
    pub client_view_service: String,
    pub written_by: String,
    pub written_on: NaiveDate,
    pub closed_on: NaiveDate,
    /// `akta_domain::closing::CloseReason::as_str`.
    pub close_reason: String,
    pub dropout: bool,
}

/// The closing page of a file: the form while it is open, the report once closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosingPage {
    pub header: FileHeader,
    pub report: Option<FinalReportView>,
    /// The contact person or the manager, and the file is open.
    pub may_close: bool,
    /// The day the client signed the first plan, if ever: closing before that is a dropout.
    pub plan_signed_on: Option<NaiveDate>,
}

/// The administrator's culling page: what is due within the preview window (file
/// public ids and dates only; the administrator reads no client content) and the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CullingView {
    pub today: NaiveDate,
    pub horizon: NaiveDate,
    /// Due on or before today: the next run destroys them.
    pub overdue: usize,
    pub due: Vec<CullingDueRow>,
    pub runs: Vec<CullRunRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CullingDueRow {
    pub file: String,
    pub closed_on: NaiveDate,
    pub due_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CullRunRow {
    pub run_on: NaiveDate,
    /// The daily job (true) or `akta cull` (false).
    pub daily: bool,
    /// Swedish wall-clock time the run started, HH:MM.
    pub started: String,
    pub finished: bool,
    pub files: i32,
    pub clients: i32,
    pub entries: i32,
    pub log_lines: i32,
    pub earliest_closed_on: Option<NaiveDate>,
    pub latest_closed_on: Option<NaiveDate>,
}

/// One of the therapist's own open-intake registrations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeRow {
    pub id: String,
    pub pseudonym: String,
    pub service: String,
    pub started_on: NaiveDate,
    /// The last day the service lasts (`IntakeService::ends_by`), if the routine names one.
    pub ends_by: Option<NaiveDate>,
    /// Open longer than its service lasts: the routine wants it closed at once.
    pub overstayed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntakeList {
    pub today: NaiveDate,
    pub rows: Vec<IntakeRow>,
}

/// An open-intake registration with its memory notes (its therapist only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntakeView {
    pub id: String,
    pub pseudonym: String,
    pub service: String,
    pub started_on: NaiveDate,
    pub sex: Option<String>,
    pub age_band: Option<String>,
    pub notes: String,
}

/// The anonymous statistics of open intake, for the manager.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntakeStats {
    /// Registrations open now, per service.
    pub open: Vec<(String, i64)>,
    pub closed: Vec<IntakeStatRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntakeStatRow {
    pub service: String,
    /// `YYYY-MM`, the month the registration started.
    pub month: String,
    /// `female`, `male`, `other` or `unknown`.
    pub sex: String,
    /// e.g. `26-35`, or `unknown`.
    pub age_band: String,
    pub closed: i32,
}
