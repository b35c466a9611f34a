//! The detail of a log line in the reader's language: structured details through
//! i18n, never the internal names they are stored with.

use crate::components::RoleName;
use crate::i18n::*;
use crate::model::log::{
    AuditEvent, Factor, ListKind, LogDetail, LogView, PlanChange, RefusalReason, TeamChange,
};
use crate::pages::home::ServiceName;
use crate::pages::plan::IntakeLabel;
use leptos::prelude::*;

#[component]
pub fn DetailText(detail: LogDetail) -> impl IntoView {
    let i18n = use_i18n();
    match detail {
        LogDetail::Listed { list } => view! { <ListName list /> }.into_any(),
        LogDetail::UsernameTried { username } => {
            t!(i18n, log_detail.username_tried, username = move || username.clone()).into_any()
        }
        LogDetail::Role { role } => view! {
            {t!(i18n, log_detail.role)}" "<RoleName role />
        }
        .into_any(),
        LogDetail::Refused {
            attempt,
            reason,
            asked,
        } => view! {
            <ReasonName reason />
            " "<Attempt attempt />
            {asked.map(|id| view! { " " {t!(i18n, log_detail.asked, id = move || id.clone())} })}
        }
        .into_any(),
        LogDetail::LogSearch { page, rows, view } => view! {
            <ViewName view />": "
            {t!(i18n, log_detail.log_search, page = move || page, count = move || rows)}
        }
        .into_any(),
        LogDetail::JournalPage { page } => {
            t!(i18n, log_detail.journal_page, page = move || page).into_any()
        }
        LogDetail::Service { service } => view! {
            {t!(i18n, log_detail.service)}" "<ServiceName service />"."
        }
        .into_any(),
        LogDetail::Month { month } => {
            t!(i18n, log_detail.month, month = move || month.clone()).into_any()
        }
        LogDetail::Plan { version, change } => view! {
            {t!(i18n, log_detail.plan_version, version = move || version)}" "<PlanChangeName change />
        }
        .into_any(),
        LogDetail::IntakeItem { item } => view! {
            {t!(i18n, log_detail.intake_item)}" "<IntakeLabel item />"."
        }
        .into_any(),
        LogDetail::FollowUpBooked { on } => {
            t!(i18n, log_detail.follow_up_booked, date = move || on.clone()).into_any()
        }
        LogDetail::FollowUpDocumented => t!(i18n, log_detail.follow_up_documented).into_any(),
        LogDetail::Closed { dropout: true } => t!(i18n, log_detail.closed_dropout).into_any(),
        LogDetail::Closed { dropout: false } => t!(i18n, log_detail.closed).into_any(),
        LogDetail::Team { change, person } => {
            let person = move || person.clone();
            match change {
                TeamChange::Added => t!(i18n, log_detail.team_added, person).into_any(),
                TeamChange::ContactPerson => t!(i18n, log_detail.team_contact, person).into_any(),
                TeamChange::Removed => t!(i18n, log_detail.team_removed, person).into_any(),
            }
        }
        LogDetail::Audit { year, event } => {
            let year = move || year;
            match event {
                AuditEvent::Opened { files } => {
                    t!(i18n, log_detail.audit_opened, year, count = move || files).into_any()
                }
                AuditEvent::Redrew => t!(i18n, log_detail.audit_redrew, year).into_any(),
                AuditEvent::Published => t!(i18n, log_detail.audit_published, year).into_any(),
                AuditEvent::Closed => t!(i18n, log_detail.audit_closed, year).into_any(),
                AuditEvent::Reopened => t!(i18n, log_detail.audit_reopened, year).into_any(),
                AuditEvent::Read => t!(i18n, log_detail.audit_read, year).into_any(),
                AuditEvent::Submitted => t!(i18n, log_detail.audit_submitted, year).into_any(),
                AuditEvent::Extended { until } => {
                    let until = move || until.format("%Y-%m-%d").to_string();
                    t!(i18n, log_detail.audit_extended, year, until).into_any()
                }
                AuditEvent::FindingAnswered { done: true, .. } => {
                    t!(i18n, log_detail.audit_finding_done, year).into_any()
                }
                AuditEvent::FindingAnswered {
                    due_on: Some(due),
                    done: false,
                } => {
                    let due = move || due.format("%Y-%m-%d").to_string();
                    t!(i18n, log_detail.audit_finding_planned, year, due).into_any()
                }
                AuditEvent::FindingAnswered { due_on: None, .. } => {
                    t!(i18n, log_detail.audit_finding, year).into_any()
                }
            }
        }
        LogDetail::ReviewerNamesShown { shown: true } => {
            t!(i18n, log_detail.reviewer_names_shown).into_any()
        }
        LogDetail::ReviewerNamesShown { shown: false } => {
            t!(i18n, log_detail.reviewer_names_hidden).into_any()
        }
        LogDetail::MonthlyDueDay { day } => {
            t!(i18n, log_detail.monthly_due_day, day = move || day).into_any()
        }
        LogDetail::Reminder { year, reviewer } => t!(
            i18n,
            log_detail.reminder,
            year = move || year,
            reviewer = move || reviewer.clone()
        )
        .into_any(),
        LogDetail::UnitName { name } => {
            t!(i18n, log_detail.unit_name, name = move || name.clone()).into_any()
        }
        LogDetail::Rows { rows } => t!(i18n, log_detail.rows, count = move || rows).into_any(),
        LogDetail::ReviewPeriod { from, to } => t!(
            i18n,
            log_detail.review_period,
            from = move || from.to_string(),
            to = move || to.to_string()
        )
        .into_any(),
        LogDetail::LoginFactor { factor: Factor::App } => {
            t!(i18n, log_detail.factor_app).into_any()
        }
        LogDetail::LoginFactor {
            factor: Factor::RecoveryCode { left },
        } => t!(i18n, log_detail.factor_recovery_code, left = move || left).into_any(),
        LogDetail::SecondFactorFailed => t!(i18n, log_detail.factor_failed).into_any(),
        LogDetail::StaffSecondFactor { required: true } => {
            t!(i18n, log_detail.staff_second_factor_on).into_any()
        }
        LogDetail::StaffSecondFactor { required: false } => {
            t!(i18n, log_detail.staff_second_factor_off).into_any()
        }
        LogDetail::Text { text } => text.into_any(),
    }
}

#[component]
fn PlanChangeName(change: PlanChange) -> impl IntoView {
    let i18n = use_i18n();
    match change {
        PlanChange::NewVersion => t!(i18n, log_detail.plan_new).into_any(),
        PlanChange::Details => t!(i18n, log_detail.plan_details).into_any(),
        PlanChange::GoalSaved => t!(i18n, log_detail.plan_goal_saved).into_any(),
        PlanChange::GoalRemoved => t!(i18n, log_detail.plan_goal_removed).into_any(),
        PlanChange::ClientSigned => t!(i18n, log_detail.plan_signed).into_any(),
        PlanChange::CopiesRecorded => t!(i18n, log_detail.plan_copies).into_any(),
    }
}

#[component]
fn ListName(list: ListKind) -> impl IntoView {
    let i18n = use_i18n();
    match list {
        ListKind::OpenFiles => t!(i18n, log_detail.list_open_files).into_any(),
        ListKind::MyWork => t!(i18n, log_detail.list_my_work).into_any(),
        ListKind::ClientSearch => t!(i18n, log_detail.list_client_search).into_any(),
        ListKind::Deviations => t!(i18n, log_detail.list_deviations).into_any(),
        ListKind::MyAuditReviews => t!(i18n, log_detail.list_my_audit_reviews).into_any(),
        ListKind::AuditsOfMyFiles => t!(i18n, log_detail.list_audits_of_my_files).into_any(),
        ListKind::AuditRound => t!(i18n, log_detail.list_audit_round).into_any(),
    }
}

#[component]
fn ReasonName(reason: RefusalReason) -> impl IntoView {
    let i18n = use_i18n();
    match reason {
        RefusalReason::WrongRole => t!(i18n, log_detail.reason_wrong_role).into_any(),
        RefusalReason::NotVisible => t!(i18n, log_detail.reason_not_visible).into_any(),
        RefusalReason::DoesNotExist => t!(i18n, log_detail.reason_does_not_exist).into_any(),
        RefusalReason::FileClosed => t!(i18n, log_detail.reason_file_closed).into_any(),
        RefusalReason::RoundClosed => t!(i18n, log_detail.reason_round_closed).into_any(),
        RefusalReason::ReviewTimeOver => t!(i18n, log_detail.reason_review_time_over).into_any(),
        RefusalReason::ClientExists => t!(i18n, log_detail.reason_client_exists).into_any(),
        RefusalReason::PasswordChangeRequired => {
            t!(i18n, log_detail.reason_password_change).into_any()
        }
        RefusalReason::SecondFactorRequired => t!(i18n, log_detail.reason_second_factor).into_any(),
        RefusalReason::Other => t!(i18n, log_detail.reason_other).into_any(),
    }
}

/// The name of a ready-made view of the log.
#[component]
pub fn ViewName(view: LogView) -> impl IntoView {
    let i18n = use_i18n();
    match view {
        LogView::All => t!(i18n, log.view_all).into_any(),
        LogView::Refusals => t!(i18n, log.view_refusals).into_any(),
        LogView::Protected => t!(i18n, log.view_protected).into_any(),
        LogView::OutsideHours => t!(i18n, log.view_outside_hours).into_any(),
        LogView::Admin => t!(i18n, log.view_admin).into_any(),
        LogView::FailedLogins => t!(i18n, log.view_failed_logins).into_any(),
    }
}

/// What a refused request tried: a server function's or page's path, and for a page
/// the action it would have been (stored as "path (key)"), named in words.
#[component]
fn Attempt(attempt: String) -> impl IntoView {
    let i18n = use_i18n();
    let (path, action) = split_attempt(&attempt);
    let path = path.to_owned();
    let action = action.map(str::to_owned);
    view! {
        <span class="attempt">
            "("{t!(i18n, log_detail.tried)}" "{path}
            {action.map(|action| view! { " – " <crate::pages::access_log::ActionName action /> })}
            ")"
        </span>
    }
}

/// "/akter/x/granskning (read_audit_results)" → the path and the action key.
fn split_attempt(attempt: &str) -> (&str, Option<&str>) {
    match attempt
        .strip_suffix(')')
        .and_then(|rest| rest.rsplit_once(" ("))
    {
        Some((path, key))
            if !key.is_empty() && key.chars().all(|c| c.is_ascii_lowercase() || c == '_') =>
        {
            (path, Some(key))
        }
        _ => (attempt, None),
    }
}

#[cfg(test)]
mod tests {
    use super::split_attempt;

    #[test]
    fn a_page_attempt_names_its_action_apart() {
        assert_eq!(
            split_attempt("/akter/ab12/granskning (read_audit_results)"),
            ("/akter/ab12/granskning", Some("read_audit_results"))
        );
        assert_eq!(
            split_attempt("/api/journal/view"),
            ("/api/journal/view", None)
        );
        assert_eq!(split_attempt("/x (Not A Key)"), ("/x (Not A Key)", None));
    }
}
