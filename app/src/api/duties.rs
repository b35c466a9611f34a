//! The duties of the routine: "my work", follow-ups, closing a file.
//!
//! Plain form posts (URL-encoded), so the forms work before the page has hydrated.
//! Every read of client data and every change is logged.

use crate::error::AppError;
use crate::model::{ClosingPage, FollowUpsPage, MyWork};
use leptos::prelude::*;

/// What is due and overdue in the files the user may see (staff: their own; the
/// manager: the unit's, with counts per staff member). Names clients: logged.
#[server(prefix = "/api", endpoint = "duties/my_work")]
pub async fn due_list() -> Result<MyWork, AppError> {
    use crate::server::guard::{Permission, require};
    use crate::server::{access_log, duties};
    let ctx = require(Permission::ReadFiles).await?;
    let work = duties::my_work(&ctx.db, &ctx.user, crate::server::today()).await?;
    access_log::write(
        &ctx.db,
        access_log::Entry {
            user_id: ctx.user.id,
            action: access_log::Action::ListFiles,
            client_id: None,
            case_file_id: None,
            detail: Some(&format!(
                "due list, {} open files, {} rows",
                work.open_files,
                work.rows.len()
            )),
        },
    )
    .await
    .map_err(crate::server::internal)?;
    Ok(work)
}

#[server(prefix = "/api", endpoint = "duties/follow_ups")]
pub async fn follow_ups_view(file: String) -> Result<FollowUpsPage, AppError> {
    use crate::server::access_log::{self, Action};
    use crate::server::guard::{Permission, require};
    use crate::server::{duties, journal, plan};
    let ctx = require(Permission::ReadFiles).await?;
    let opened = journal::open_file(&ctx.db, &ctx.user, &file).await?;
    let page = FollowUpsPage {
        header: journal::header(&ctx.db, &opened).await?,
        follow_ups: duties::follow_ups_of(&ctx.db, &opened.file).await?,
        plan_needed: plan::plan_needed(&ctx.db, &opened).await?,
        may_write: opened.check_writable().is_ok(),
    };
    access_log::on_file(&ctx.db, ctx.user.id, Action::ReadFollowUps, &opened, None).await?;
    Ok(page)
}

/// Books a follow-up (the day of the meeting with client and social secretary).
#[server(prefix = "/api", endpoint = "duties/book_follow_up")]
pub async fn book_follow_up(file: String, planned_on: String) -> Result<(), AppError> {
    use crate::server::access_log::{self, Action};
    use crate::server::guard::{Permission, require};
    use crate::server::{duties, journal};
    let ctx = require(Permission::ReadFiles).await?;
    let opened = journal::open_file(&ctx.db, &ctx.user, &file).await?;
    duties::book(&ctx.db, &opened, &ctx.user, &planned_on).await?;
    let detail = format!("follow-up booked for {}", planned_on.trim());
    access_log::on_file(
        &ctx.db,
        ctx.user.id,
        Action::ChangeFollowUp,
        &opened,
        Some(&detail),
    )
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
    use crate::server::access_log::{self, Action};
    use crate::server::guard::{Permission, require};
    use crate::server::{duties, journal};
    let ctx = require(Permission::ReadFiles).await?;
    let opened = journal::open_file(&ctx.db, &ctx.user, &file).await?;
    let input = duties::HeldInput {
        held_on: &held_on,
        participants: &participants,
        outcome: &outcome,
        plan_revised: plan_revised.as_deref().unwrap_or_default(),
    };
    let revised = duties::document(&ctx.db, &opened, &ctx.user, &follow_up, &input).await?;
    access_log::on_file(
        &ctx.db,
        ctx.user.id,
        Action::ChangeFollowUp,
        &opened,
        Some("follow-up documented"),
    )
    .await?;
    Ok(revised)
}

/// The closing page: the final report of a closed file, or the closing form.
#[server(prefix = "/api", endpoint = "duties/closing")]
pub async fn closing_view(file: String) -> Result<ClosingPage, AppError> {
    use crate::server::access_log::{self, Action};
    use crate::server::guard::{Permission, require};
    use crate::server::{duties, journal};
    let ctx = require(Permission::ReadFiles).await?;
    let opened = journal::open_file(&ctx.db, &ctx.user, &file).await?;
    let page = duties::closing_view(&ctx.db, &ctx.user, &opened).await?;
    access_log::on_file(&ctx.db, ctx.user.id, Action::ReadFinalReport, &opened, None).await?;
    Ok(page)
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
    use crate::server::access_log::{self, Action};
    use crate::server::guard::{Permission, require};
    use crate::server::{duties, journal};
    let ctx = require(Permission::ReadFiles).await?;
    let opened = journal::open_file(&ctx.db, &ctx.user, &file).await?;
    let input = duties::CloseInput {
        closed_on: &closed_on,
        reason: reason.as_deref().unwrap_or_default(),
        treatment: &treatment,
        outcome: &outcome,
        client_view_ending: &client_view_ending,
        client_view_service: &client_view_service,
    };
    let result = duties::close(&ctx.db, &opened, &ctx.user, &input).await;
    if result == Err(AppError::Forbidden) {
        access_log::on_file(
            &ctx.db,
            ctx.user.id,
            Action::Refused,
            &opened,
            Some("close file"),
        )
        .await?;
    }
    let dropout = result?;
    let detail = if dropout {
        "closed (dropout)"
    } else {
        "closed"
    };
    access_log::on_file(
        &ctx.db,
        ctx.user.id,
        Action::CloseFile,
        &opened,
        Some(detail),
    )
    .await?;
    Ok(dropout)
}
