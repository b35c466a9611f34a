//! The access log as the manager's review shows it: the structured detail of a line
//! (rendered through i18n, never stored as sentences), the review's views, and the
//! recorded systematic reviews.

use akta_domain::Role;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Which list page showed a client's name (one log line per file shown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListKind {
    /// The start page's list of open files.
    OpenFiles,
    /// "My work": what is due in one's files (the manager's: the unit's).
    MyWork,
    /// The client register (`/klienter`) and its search.
    ClientSearch,
    /// The deviations register.
    Deviations,
    /// One's own audit reviews.
    MyAuditReviews,
    /// Submitted audits of one's files.
    AuditsOfMyFiles,
    /// An audit round's pairing and results.
    AuditRound,
}

/// What changed in a plan version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanChange {
    NewVersion,
    Details,
    GoalSaved,
    GoalRemoved,
    ClientSigned,
    CopiesRecorded,
}

/// What happened in an audit round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditEvent {
    Opened {
        files: u64,
    },
    Redrew,
    Published,
    Closed,
    Reopened,
    /// A reviewer read the file in the round.
    Read,
    Submitted,
    /// A manager gave one review more time: the reviewer reads the file until `until`.
    Extended {
        until: NaiveDate,
    },
    /// The contact person replied to a finding of the round or recorded its action.
    FindingAnswered {
        due_on: Option<NaiveDate>,
        done: bool,
    },
}

/// What changed in a care team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TeamChange {
    Added,
    ContactPerson,
    Removed,
}

/// Why a request was refused, as the log shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalReason {
    /// The caller's role may not do this at all.
    WrongRole,
    /// The target exists but is not visible to the caller (need-to-know).
    NotVisible,
    /// Nothing exists behind the id asked for.
    DoesNotExist,
    /// The file is closed (read-only).
    FileClosed,
    /// The audit round is not open.
    RoundClosed,
    /// The reviewer's time with the file is over (the round's due date passed).
    ReviewTimeOver,
    /// Registering a client who already exists in a file the caller cannot see.
    ClientExists,
    /// An administrator set the password: nothing until the owner has changed it.
    PasswordChangeRequired,
    /// The role needs a second factor: nothing until the owner has enrolled one.
    SecondFactorRequired,
    /// Any other refusal of the action.
    Other,
}

/// The detail of one log line. Stored as JSON in `access_log.detail`; a line written
/// before this type (or an open intake's id, which must stay exact text) is `Text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "k", rename_all = "snake_case")]
pub enum LogDetail {
    /// A list page showed this line's client.
    Listed { list: ListKind },
    /// A failed login: the username tried (only when no such account exists; a
    /// known account is named by the line's account).
    UsernameTried { username: String },
    /// The role an account was created with or given.
    Role { role: Role },
    /// A refused request: what was tried (a server function or page path), why, and
    /// the public id asked for when it named nothing.
    Refused {
        attempt: String,
        reason: RefusalReason,
        asked: Option<String>,
    },
    /// The manager read the log: which page, how many lines, which view.
    LogSearch { page: u64, rows: u64, view: LogView },
    /// Which page of a file's journal was read.
    JournalPage { page: u64 },
    /// The service of a file just opened (`ServiceType` key).
    Service { service: String },
    /// The month of a monthly review or report (`YYYY-MM`).
    Month { month: String },
    /// A change of a plan version.
    Plan { version: u32, change: PlanChange },
    /// A point of the intake checklist (`IntakeItem` key) ticked or unticked.
    IntakeItem { item: String },
    /// A follow-up booked for a day (as entered, `YYYY-MM-DD`).
    FollowUpBooked { on: String },
    /// A booked follow-up documented.
    FollowUpDocumented,
    /// The file closed; a dropout (bortfall) or completed.
    Closed { dropout: bool },
    /// A change of the care team: who.
    Team { change: TeamChange, person: String },
    /// An audit round's year and what happened to it.
    Audit { year: i32, event: AuditEvent },
    /// The unit's setting whether contact persons see the reviewer's name.
    ReviewerNamesShown { shown: bool },
    /// The day of the next month by which monthly reviews and reports are due.
    MonthlyDueDay { day: u32 },
    /// The unit's name (printed on every page) was set to this.
    UnitName { name: String },
    /// A reviewer was reminded of their reviews in the round of `year`.
    Reminder { year: i32, reviewer: String },
    /// How many rows a list showed that names no client (one's open intakes).
    Rows { rows: u64 },
    /// A systematic review of the log was recorded for this period.
    ReviewPeriod { from: NaiveDate, to: NaiveDate },
    /// A login's second step: by the authenticator app's code, or by a recovery code
    /// (and how many are left).
    LoginFactor { factor: Factor },
    /// A failed login's second step: the password was right, the code was not.
    SecondFactorFailed,
    /// Whether staff must have a second factor (the administrator's setting).
    StaffSecondFactor { required: bool },
    /// Free text (older lines, open-intake ids), shown as it is.
    Text { text: String },
}

impl LogDetail {
    /// As stored.
    pub fn to_stored(&self) -> String {
        match self {
            LogDetail::Text { text } => text.clone(),
            other => serde_json::to_string(other).unwrap_or_default(),
        }
    }

    /// From the stored text: structured when it was written so, otherwise the text.
    pub fn from_stored(stored: &str) -> Self {
        if stored.starts_with('{')
            && let Ok(detail) = serde_json::from_str(stored)
        {
            return detail;
        }
        LogDetail::Text {
            text: stored.to_owned(),
        }
    }
}

/// How a login proved its second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Factor {
    /// A code from the authenticator app.
    App,
    /// A one-time recovery code; `left` unused after this one.
    RecoveryCode { left: u32 },
}

/// A ready-made narrowing of the log: the questions a review asks (HSLF-FS 2016:40).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogView {
    #[default]
    All,
    /// Refused requests.
    Refusals,
    /// Lines about clients with protected identity.
    Protected,
    /// Reads of client data outside office hours (weekdays 07–18 Swedish time).
    OutsideHours,
    /// Administrators' account changes.
    Admin,
    /// Failed and throttled logins.
    FailedLogins,
}

impl LogView {
    pub const ALL: [LogView; 6] = [
        LogView::All,
        LogView::Refusals,
        LogView::Protected,
        LogView::OutsideHours,
        LogView::Admin,
        LogView::FailedLogins,
    ];

    pub fn key(self) -> &'static str {
        match self {
            LogView::All => "all",
            LogView::Refusals => "refusals",
            LogView::Protected => "protected",
            LogView::OutsideHours => "outside_hours",
            LogView::Admin => "admin",
            LogView::FailedLogins => "failed_logins",
        }
    }

    /// An unknown key is "all" (the form's empty choice).
    pub fn parse(key: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|v| v.key() == key)
            .unwrap_or_default()
    }
}

/// One recorded systematic review of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogReviewRow {
    pub reviewer: String,
    /// Swedish local date and time (HH:MM) of the recording.
    pub recorded_on: NaiveDate,
    pub recorded_time: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub remarks: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structured_details_survive_storage_and_old_text_stays_text() {
        let detail = LogDetail::Listed {
            list: ListKind::MyWork,
        };
        assert_eq!(LogDetail::from_stored(&detail.to_stored()), detail);
        let old = "due list, 13 open files, 17 rows";
        let text = LogDetail::Text {
            text: old.to_owned(),
        };
        assert_eq!(LogDetail::from_stored(old), text);
        assert_eq!(text.to_stored(), old);
    }

    #[test]
    fn every_view_parses_from_its_key() {
        for view in LogView::ALL {
            assert_eq!(LogView::parse(view.key()), view);
        }
        assert_eq!(LogView::parse("nonsense"), LogView::All);
    }
}
