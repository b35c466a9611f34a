//! The access log: who read or changed what in whose file, and refusals.
//!
//! Append-only: the database refuses UPDATE and DELETE (see the foundation migration).

use super::entities::access_log;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};

/// What was done. Stable names: the manager filters on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// A list of files with client names (start page, search results).
    ListFiles,
    /// Opened a file's journal (with plan periods).
    ReadJournal,
    /// Signed an entry.
    SignEntry,
    /// Wrote a correction of a signed entry.
    CorrectEntry,
    /// Threw away a draft.
    DiscardDraft,
    /// Opened a file's implementation plan and intake checklist.
    ReadPlan,
    /// Changed the plan (new version, goals, signature, copies).
    ChangePlan,
    /// Ticked or unticked a point of the intake checklist.
    ChangeIntake,
    /// The manager read the access log.
    ReviewAccessLog,
    /// Registered a client's assignment and opened a file.
    OpenFile,
    /// Read a file's care team.
    ReadTeam,
    /// Changed a file's care team (contact person, co-workers).
    ChangeTeam,
    /// Read a file (plan and journal) as its reviewer in an audit round.
    ReadAudit,
    /// Read the submitted audit results of a file as its contact person.
    ReadAuditResults,
    /// Opened, re-drew, published or closed an audit round.
    ManageAudit,
    /// Gave a file of an audit round to another reviewer (with the reason).
    SwapReviewer,
    /// Submitted an audit review.
    SubmitReview,
    /// Reopened a submitted audit review (with the reason).
    ReopenReview,
    /// Gave one review of a round more time with its file (detail: until when).
    ExtendReview,
    /// Reminded a reviewer of their reviews left in a round (detail: whom).
    RemindReviewer,
    /// Replied to a finding of a submitted review of one's file, or recorded its
    /// action (detail: the day it is due, whether done).
    RespondFinding,
    /// Read a file's follow-ups.
    ReadFollowUps,
    /// Booked or documented a follow-up.
    ChangeFollowUp,
    /// Read a file's closing page or final report.
    ReadFinalReport,
    /// Wrote the final report and closed the file.
    CloseFile,
    /// Registered an open intake (detail: its public id).
    CreateIntake,
    /// Saw the list of one's own open intakes.
    ListIntakes,
    /// Opened an open intake's memory notes (detail: its public id).
    ReadIntake,
    /// Changed an open intake's memory notes (detail: its public id).
    ChangeIntakeNotes,
    /// Closed (and so deleted) an open intake; no id is kept.
    CloseIntake,
    /// Opened one deviation of a file in the register (detail: its public id).
    ReadDeviation,
    /// Closed a deviation of a file (detail: its public id).
    CloseDeviation,
    /// Read a file's monthly journal review page (detail: the month).
    ReadMonthlyReview,
    /// Signed a monthly journal review (detail: the month).
    SignMonthlyReview,
    /// Read a file's monthly report page (detail: the month).
    ReadMonthlyReport,
    /// Signed a monthly report (detail: the month).
    SignMonthlyReport,
    /// Changed a setting of the unit (detail: which, and its new value).
    ChangeSettings,
    /// Logged in.
    Login,
    /// Changed their own password (the other sessions ended).
    ChangePassword,
    /// Enrolled an authenticator app as their second factor (new recovery codes).
    EnrolSecondFactor,
    /// A request that the guard refused.
    Refused,
    /// A login with a wrong password or an unknown username (the account, or the
    /// username tried).
    LoginFailed,
    /// A login refused by the rate limit before the password was looked at.
    LoginThrottled,
    /// Logged out.
    Logout,
    /// An administrator created an account (account: the new one).
    CreateUser,
    /// An administrator changed an account's role.
    ChangeRole,
    /// An administrator set a new password for an account.
    ResetPassword,
    /// An administrator removed an account's second factor (the owner enrols again).
    ResetSecondFactor,
    /// An administrator deactivated an account.
    DeactivateUser,
    /// An administrator activated an account again.
    ActivateUser,
    /// The manager recorded that a systematic review of the log was done.
    RecordLogReview,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::ListFiles => "list_files",
            Action::ReadJournal => "read_journal",
            Action::SignEntry => "sign_entry",
            Action::CorrectEntry => "correct_entry",
            Action::DiscardDraft => "discard_draft",
            Action::ReadPlan => "read_plan",
            Action::ChangePlan => "change_plan",
            Action::ChangeIntake => "change_intake",
            Action::ReviewAccessLog => "review_access_log",
            Action::OpenFile => "open_file",
            Action::ReadTeam => "read_team",
            Action::ChangeTeam => "change_team",
            Action::ReadAudit => "read_audit",
            Action::ReadAuditResults => "read_audit_results",
            Action::ManageAudit => "manage_audit",
            Action::SwapReviewer => "swap_reviewer",
            Action::SubmitReview => "submit_review",
            Action::ReopenReview => "reopen_review",
            Action::ExtendReview => "extend_review",
            Action::RemindReviewer => "remind_reviewer",
            Action::RespondFinding => "respond_finding",
            Action::ReadFollowUps => "read_follow_ups",
            Action::ChangeFollowUp => "change_follow_up",
            Action::ReadFinalReport => "read_final_report",
            Action::CloseFile => "close_file",
            Action::CreateIntake => "create_intake",
            Action::ListIntakes => "list_intakes",
            Action::ReadIntake => "read_intake",
            Action::ChangeIntakeNotes => "change_intake_notes",
            Action::CloseIntake => "close_intake",
            Action::ReadDeviation => "read_deviation",
            Action::CloseDeviation => "close_deviation",
            Action::ReadMonthlyReview => "read_monthly_review",
            Action::SignMonthlyReview => "sign_monthly_review",
            Action::ReadMonthlyReport => "read_monthly_report",
            Action::SignMonthlyReport => "sign_monthly_report",
            Action::ChangeSettings => "change_settings",
            Action::Login => "login",
            Action::ChangePassword => "change_password",
            Action::EnrolSecondFactor => "enrol_second_factor",
            Action::ResetSecondFactor => "reset_second_factor",
            Action::Refused => "refused",
            Action::LoginFailed => "login_failed",
            Action::LoginThrottled => "login_throttled",
            Action::Logout => "logout",
            Action::CreateUser => "create_user",
            Action::ChangeRole => "change_role",
            Action::ResetPassword => "reset_password",
            Action::DeactivateUser => "deactivate_user",
            Action::ActivateUser => "activate_user",
            Action::RecordLogReview => "record_log_review",
        }
    }

    /// The administrators' account changes (the review's "admin events").
    pub const ADMIN: [Action; 6] = [
        Action::CreateUser,
        Action::ChangeRole,
        Action::ResetPassword,
        Action::ResetSecondFactor,
        Action::DeactivateUser,
        Action::ActivateUser,
    ];

    /// Failed and throttled logins (the review's failed-login view).
    pub const FAILED_LOGINS: [Action; 2] = [Action::LoginFailed, Action::LoginThrottled];
}

/// Where a request came from, for each of its log lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    /// The client address as the server sees it (see [`client_address`]).
    pub address: Option<String>,
    /// The first 16 hex digits of the SHA-256 of the session id: lines of one session
    /// can be told together, and the id itself is never in the log.
    pub session: Option<String>,
}

impl Origin {
    pub fn of(parts: &axum::http::request::Parts) -> Self {
        let session = parts
            .extensions
            .get::<tower_sessions::Session>()
            .and_then(tower_sessions::Session::id)
            .map(|id| short_hash(&id));
        Origin {
            address: client_address(parts).map(|a| a.to_string()),
            session,
        }
    }

    /// The origin of the request being served (none outside a request).
    pub fn current() -> Self {
        leptos::prelude::use_context::<axum::http::request::Parts>()
            .map(|parts| Self::of(&parts))
            .unwrap_or_default()
    }
}

/// The request's client address: the peer of the connection. The one place that
/// decides it, so a trusted-proxy setting (`X-Forwarded-For`) changes only this.
pub fn client_address(parts: &axum::http::request::Parts) -> Option<std::net::IpAddr> {
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip())
}

fn short_hash(id: &tower_sessions::session::Id) -> String {
    super::sessions::id_hash(id).chars().take(16).collect()
}

/// One line in the log. `client_id`/`case_file_id` are set when one file is concerned.
/// Server functions write lines through `guard` (in the action's transaction, or before
/// a read's data is returned), never directly.
/// `user_id` is empty only for a failed login with an unknown username; `account_id`
/// names the account an administrator's action (or a failed login) concerned.
pub struct Entry<'a> {
    pub user_id: Option<i32>,
    pub action: Action,
    pub client_id: Option<i32>,
    pub case_file_id: Option<i32>,
    pub account_id: Option<i32>,
    pub detail: Option<&'a str>,
}

impl Entry<'_> {
    fn model(&self, origin: &Origin, at: DateTime<Utc>) -> access_log::ActiveModel {
        access_log::ActiveModel {
            at: Set(at),
            user_id: Set(self.user_id),
            action: Set(self.action.as_str().to_owned()),
            client_id: Set(self.client_id),
            case_file_id: Set(self.case_file_id),
            account_id: Set(self.account_id),
            detail: Set(self.detail.map(|d| d.chars().take(300).collect())),
            address: Set(origin.address.clone()),
            session: Set(origin.session.clone()),
            outside_hours: Set(Some(!akta_domain::office_hours::is_office_hours(
                super::swedish(at),
            ))),
            ..Default::default()
        }
    }
}

/// Writes one line, with the address and session of the request being served.
pub async fn write(db: &impl ConnectionTrait, entry: Entry<'_>) -> Result<(), DbErr> {
    write_from(db, &Origin::current(), entry).await
}

/// Writes one line with an origin given (outside a Leptos request: the HTTP layer).
pub async fn write_from(
    db: &impl ConnectionTrait,
    origin: &Origin,
    entry: Entry<'_>,
) -> Result<(), DbErr> {
    access_log::Entity::insert(entry.model(origin, super::now()))
        .exec_without_returning(db)
        .await
        .map(|_| ())
}

/// Writes several lines of one request in one statement (a list: one per file shown).
pub async fn write_many(db: &impl ConnectionTrait, entries: &[Entry<'_>]) -> Result<(), DbErr> {
    if entries.is_empty() {
        return Ok(());
    }
    let origin = Origin::current();
    let at = super::now();
    access_log::Entity::insert_many(entries.iter().map(|e| e.model(&origin, at)))
        .exec_without_returning(db)
        .await
        .map(|_| ())
}
