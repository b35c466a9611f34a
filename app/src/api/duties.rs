//! The duties of the routine: "my work", follow-ups, closing a file.
//!
//! Plain form posts (URL-encoded), so the forms work before the page has hydrated.
//! Every read of client data and every change is logged.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::model::log::LogDetail;
use crate::model::{ClosingPage, FollowUpsPage, MyWork};
use leptos::prelude::*;

/// What is due and overdue in the files the user may see (staff: their own; the
/// manager: the unit's, with counts per staff member). Names clients: logged.
#[server(prefix = "/api", endpoint = "duties/my_work")]
pub async fn due_list() -> Result<MyWork, AppError> {
    use crate::model::log::ListKind;
    use crate::server::access_log::Action;
    use crate::server::duties;
    use crate::server::guard::{Permission, require};
    let ctx = require(Permission::ReadFiles).await?;
    let mut work = duties::my_work(ctx.db(), &ctx.user, crate::server::today()).await?;
    ctx.log_listed(
        ListKind::MyWork,
        work.rows.iter().map(|r| r.file_id.as_str()),
    )
    .await?;
    // The reviews they still owe (issue 15, part 3): due and overdue beside the rest.
    work.reviews = crate::server::audit::my_reviews(ctx.db(), &ctx.user)
        .await?
        .into_iter()
        .filter(|r| !r.submitted)
        .collect();
    ctx.log_listed_reviews(
        ListKind::MyAuditReviews,
        work.reviews.iter().map(|r| r.assignment_id.as_str()),
    )
    .await?;
    if !work.intakes_overstayed.is_empty() {
        // Without ids, like the list of one's own registrations.
        let shown = crate::model::log::LogDetail::Rows {
            rows: work.intakes_overstayed.len() as u64,
        };
        ctx.log(Action::ListIntakes, shown).await?;
    }
    Ok(work)
}

/// The unit's day of the next month by which the monthly journal review and the monthly
/// report are due (manager). A day from 1 to 28; the change is logged.
#[server(prefix = "/api", endpoint = "duties/settings")]
pub async fn set_monthly_due_day(#[server(default)] due_day: String) -> Result<(), AppError> {
    use crate::server::access_log::Action;
    use crate::server::guard::{Permission, require};
    use crate::server::settings;
    let ctx = require(Permission::ManageUnit).await?;
    ctx.change(Action::ChangeSettings, async |s| {
        let day = settings::set_monthly_due_day(s.db, s.user, &due_day).await?;
        s.log_detail(LogDetail::MonthlyDueDay { day: day.get() });
        Ok(())
    })
    .await
}

#[server(prefix = "/api", endpoint = "duties/follow_ups")]
pub async fn follow_ups_view(file: String) -> Result<FollowUpsPage, AppError> {
    use crate::server::access_log::Action;
    use crate::server::{duties, guard, journal, plan};
    guard::file(&file)
        .read(Action::ReadFollowUps, async |f| {
            Ok(FollowUpsPage {
                header: journal::header(f.db, &f.opened).await?,
                follow_ups: duties::follow_ups_of(f.db, &f.opened.file).await?,
                plan_needed: plan::plan_needed(f.db, &f.opened).await?,
                may_write: f.opened.check_writable().is_ok(),
            })
        })
        .await
}

/// Books a follow-up (the day of the meeting with client and social secretary).
#[server(prefix = "/api", endpoint = "duties/book_follow_up")]
pub async fn book_follow_up(file: String, planned_on: String) -> Result<(), AppError> {
    use crate::server::access_log::Action;
    use crate::server::{duties, guard};
    guard::file(&file)
        .change(Action::ChangeFollowUp, async |f| {
            f.log_detail(LogDetail::FollowUpBooked {
                on: planned_on.trim().to_owned(),
            });
            duties::book(f.db, &f.opened, f.user, &planned_on).await
        })
        .await
}

/// Documents a booked follow-up as held; it is written to the journal as a signed
/// entry. Returns whether the plan is to be revised (the page then offers the revision).
#[server(prefix = "/api", endpoint = "duties/document_follow_up")]
pub async fn document_follow_up(
    file: String,
    follow_up: String,
    held_on: String,
    participants: String,
    outcome: String,
    plan_revised: Option<String>,
) -> Result<bool, AppError> {
    use crate::server::access_log::Action;
    use crate::server::{duties, guard};
    let input = duties::HeldInput {
        held_on: &held_on,
        participants: &participants,
        outcome: &outcome,
        plan_revised: plan_revised.as_deref().unwrap_or_default(),
    };
    guard::file(&file)
        .change(Action::ChangeFollowUp, async |f| {
            f.log_detail(LogDetail::FollowUpDocumented);
            duties::document(f.db, &f.opened, f.user, &follow_up, &input).await
        })
        .await
}

/// The closing page: the final report of a closed file, or the closing form.
#[server(prefix = "/api", endpoint = "duties/closing")]
pub async fn closing_view(file: String) -> Result<ClosingPage, AppError> {
    use crate::server::access_log::Action;
    use crate::server::{duties, guard};
    guard::file(&file)
        .read(Action::ReadFinalReport, async |f| {
            duties::closing_view(f.db, f.user, &f.opened).await
        })
        .await
}

/// Writes the final report and closes the file (contact person or manager only).
/// Returns whether the ending counts as a dropout.
#[server(prefix = "/api", endpoint = "duties/close_file")]
pub async fn close_file(
    file: String,
    closed_on: String,
    reason: Option<String>,
    treatment: String,
    outcome: String,
    client_view_ending: String,
    client_view_service: String,
) -> Result<bool, AppError> {
    use crate::server::access_log::Action;
    use crate::server::{duties, guard};
    let input = duties::CloseInput {
        closed_on: &closed_on,
        reason: reason.as_deref().unwrap_or_default(),
        treatment: &treatment,
        outcome: &outcome,
        client_view_ending: &client_view_ending,
        client_view_service: &client_view_service,
    };
    guard::file(&file)
        .change(Action::CloseFile, async |f| {
            let dropout = duties::close(f.db, &f.opened, f.user, &input).await?;
            f.log_detail(LogDetail::Closed { dropout });
            Ok(dropout)
        })
        .await
}
