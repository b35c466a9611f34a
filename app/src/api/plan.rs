//! The implementation plan and the intake checklist of a file.
//!
//! Plain form posts (URL-encoded), so the forms work before the page has hydrated.
//! Reading the plan is a read of the client's file and is logged; so is every change.

// A server function's arguments are its form's fields.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::PlanPage;
use leptos::prelude::*;

/// Empty form fields arrive as empty strings; ids are optional.
#[cfg(feature = "ssr")]
fn some(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

#[server(prefix = "/api", endpoint = "plan/view")]
pub async fn plan_view(file: String) -> Result<PlanPage, AppError> {
    use crate::server::access_log::{self, Action};
    use crate::server::guard::{Permission, require};
    use crate::server::{journal, plan};
    let ctx = require(Permission::ReadFiles).await?;
    let opened = journal::open_file(&ctx.db, &ctx.user, &file).await?;
    let page = PlanPage {
        header: journal::header(&ctx.db, &opened).await?,
        versions: plan::plan_versions_view(&ctx.db, &opened).await?,
        plan_needed: plan::plan_needed(&ctx.db, &opened).await?,
        may_write: opened.check_writable().is_ok(),
        intake: plan::intake(&ctx.db, &opened).await?,
    };
    access_log::on_file(&ctx.db, ctx.user.id, Action::ReadPlan, &opened, None).await?;
    Ok(page)
}

/// Starts the plan, or a revision of it. Returns the new version's number.
#[server(prefix = "/api", endpoint = "plan/new_version")]
pub async fn new_plan_version(
    file: String,
    valid_from: String,
    reason: Option<String>,
) -> Result<u32, AppError> {
    use crate::server::access_log::{self, Action};
    use crate::server::guard::{Permission, require};
    use crate::server::{journal, plan};
    let ctx = require(Permission::ReadFiles).await?;
    let opened = journal::open_file(&ctx.db, &ctx.user, &file).await?;
    let number = plan::new_version(
        &ctx.db,
        &opened,
        &ctx.user,
        &valid_from,
        reason.as_deref().unwrap_or_default(),
    )
    .await?;
    let detail = format!("new plan version {number}");
    access_log::on_file(
        &ctx.db,
        ctx.user.id,
        Action::ChangePlan,
        &opened,
        Some(&detail),
    )
    .await?;
    Ok(number)
}

#[server(prefix = "/api", endpoint = "plan/save_details")]
pub async fn save_plan_details(
    file: String,
    version: u32,
    valid_from: String,
    client_view: String,
) -> Result<(), AppError> {
    use crate::server::access_log::{self, Action};
    use crate::server::guard::{Permission, require};
    use crate::server::{journal, plan};
    let ctx = require(Permission::ReadFiles).await?;
    let opened = journal::open_file(&ctx.db, &ctx.user, &file).await?;
    plan::save_details(&ctx.db, &opened, version, &valid_from, &client_view).await?;
    let detail = format!("plan version {version}: details");
    access_log::on_file(
        &ctx.db,
        ctx.user.id,
        Action::ChangePlan,
        &opened,
        Some(&detail),
    )
    .await
}

/// Adds a goal (with `parent`: a sub-goal) or changes one (with `goal`).
#[server(prefix = "/api", endpoint = "plan/save_goal")]
pub async fn save_goal(
    file: String,
    version: u32,
    goal: Option<String>,
    parent: Option<String>,
    title: String,
    what: String,
    how: String,
    who: String,
    by_when: String,
) -> Result<(), AppError> {
    use crate::server::access_log::{self, Action};
    use crate::server::guard::{Permission, require};
    use crate::server::{journal, plan};
    let ctx = require(Permission::ReadFiles).await?;
    let opened = journal::open_file(&ctx.db, &ctx.user, &file).await?;
    let input = plan::GoalInput {
        title,
        what,
        how,
        who,
        by_when,
    };
    plan::save_goal(
        &ctx.db,
        &opened,
        version,
        some(&goal),
        some(&parent),
        &input,
    )
    .await?;
    let detail = format!("plan version {version}: goal saved");
    access_log::on_file(
        &ctx.db,
        ctx.user.id,
        Action::ChangePlan,
        &opened,
        Some(&detail),
    )
    .await
}

#[server(prefix = "/api", endpoint = "plan/delete_goal")]
pub async fn delete_goal(file: String, version: u32, goal: String) -> Result<(), AppError> {
    use crate::server::access_log::{self, Action};
    use crate::server::guard::{Permission, require};
    use crate::server::{journal, plan};
    let ctx = require(Permission::ReadFiles).await?;
    let opened = journal::open_file(&ctx.db, &ctx.user, &file).await?;
    plan::delete_goal(&ctx.db, &opened, version, &goal).await?;
    let detail = format!("plan version {version}: goal removed");
    access_log::on_file(
        &ctx.db,
        ctx.user.id,
        Action::ChangePlan,
        &opened,
        Some(&detail),
    )
    .await
}

/// The client's signature: the version comes into force and stops changing.
#[server(prefix = "/api", endpoint = "plan/sign")]
pub async fn sign_plan(
    file: String,
    version: u32,
    signed_on: String,
    signed_how: String,
) -> Result<(), AppError> {
    use crate::server::access_log::{self, Action};
    use crate::server::guard::{Permission, require};
    use crate::server::{journal, plan};
    let ctx = require(Permission::ReadFiles).await?;
    let opened = journal::open_file(&ctx.db, &ctx.user, &file).await?;
    plan::sign(&ctx.db, &opened, version, &signed_on, &signed_how).await?;
    let detail = format!("plan version {version}: client signature recorded");
    access_log::on_file(
        &ctx.db,
        ctx.user.id,
        Action::ChangePlan,
        &opened,
        Some(&detail),
    )
    .await
}

#[server(prefix = "/api", endpoint = "plan/copies")]
pub async fn record_plan_copies(
    file: String,
    version: u32,
    copy_to_client_on: String,
    copy_to_contact_on: String,
    copy_to_secretary_on: String,
) -> Result<(), AppError> {
    use crate::server::access_log::{self, Action};
    use crate::server::guard::{Permission, require};
    use crate::server::{journal, plan};
    let ctx = require(Permission::ReadFiles).await?;
    let opened = journal::open_file(&ctx.db, &ctx.user, &file).await?;
    plan::record_copies(
        &ctx.db,
        &opened,
        version,
        &copy_to_client_on,
        &copy_to_contact_on,
        &copy_to_secretary_on,
    )
    .await?;
    let detail = format!("plan version {version}: copies recorded");
    access_log::on_file(
        &ctx.db,
        ctx.user.id,
        Action::ChangePlan,
        &opened,
        Some(&detail),
    )
    .await
}

/// Ticks (`checked` = "true") or unticks a point of the intake checklist.
#[server(prefix = "/api", endpoint = "plan/intake")]
pub async fn set_intake_item(file: String, item: String, checked: String) -> Result<(), AppError> {
    use crate::server::access_log::{self, Action};
    use crate::server::guard::{Permission, require};
    use crate::server::{journal, plan};
    let ctx = require(Permission::ReadFiles).await?;
    let opened = journal::open_file(&ctx.db, &ctx.user, &file).await?;
    plan::set_intake(&ctx.db, &opened, &ctx.user, &item, checked == "true").await?;
    let detail = format!("intake checklist: {item}");
    access_log::on_file(
        &ctx.db,
        ctx.user.id,
        Action::ChangeIntake,
        &opened,
        Some(&detail),
    )
    .await
}
