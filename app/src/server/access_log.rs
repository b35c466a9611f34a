//! The access log: who read or changed what in whose file, and refusals.
//!
//! Append-only: the database refuses UPDATE and DELETE (see the foundation migration).

use super::entities::access_log;
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
    /// Logged in.
    Login,
    /// Changed their own password (the other sessions ended).
    ChangePassword,
    /// A request that the guard refused.
    Refused,
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
            Action::Login => "login",
            Action::ChangePassword => "change_password",
            Action::Refused => "refused",
        }
    }
}

/// One line in the log. `client_id`/`case_file_id` are set when one file is concerned.
/// Server functions write lines through `guard` (in the action's transaction, or before
/// a read's data is returned), never directly.
pub struct Entry<'a> {
    pub user_id: i32,
    pub action: Action,
    pub client_id: Option<i32>,
    pub case_file_id: Option<i32>,
    pub detail: Option<&'a str>,
}

pub async fn write(db: &impl ConnectionTrait, entry: Entry<'_>) -> Result<(), DbErr> {
    access_log::Entity::insert(access_log::ActiveModel {
        at: Set(super::now()),
        user_id: Set(entry.user_id),
        action: Set(entry.action.as_str().to_owned()),
        client_id: Set(entry.client_id),
        case_file_id: Set(entry.case_file_id),
        detail: Set(entry.detail.map(|d| d.chars().take(300).collect())),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await
    .map(|_| ())
}
