//! The implementation plan and the intake checklist of a file.
//!
//! Plain form posts (URL-encoded), so the forms work before the page has hydrated.
//! Reading the plan is a read of the client's file and is logged; so is every change.

// A server function's arguments are its form's fields.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::PlanPage;
#[cfg(feature = "ssr")]
use crate::model::log::{LogDetail, PlanChange};
use leptos::prelude::*;

/// Empty form fields arrive as empty strings; ids are optional.
#[cfg(feature = "ssr")]
fn some(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

#[server(prefix = "/api", endpoint = "plan/view")]
pub async fn plan_view(file: String) -> Result<PlanPage, AppError> {
    use crate::server::access_log::Action;
    use crate::server::{guard, journal, plan};
    guard::file(&file)
        .read(Action::ReadPlan, async |f| {
            Ok(PlanPage {
                header: journal::header(f.db, &f.opened).await?,
                versions: plan::plan_versions_view(f.db, &f.opened).await?,
                plan_needed: plan::plan_needed(f.db, &f.opened).await?,
                may_write: f.opened.check_writable().is_ok(),
                intake: plan::intake(f.db, &f.opened).await?,
            })
        })
        .await
}

/// Starts the plan, or a revision of it. Returns the new version's number.
#[server(prefix = "/api", endpoint = "plan/new_version")]
pub async fn new_plan_version(
    file: String,
    valid_from: String,
    reason: Option<String>,
) -> Result<u32, AppError> {
    use crate::server::access_log::Action;
    use crate::server::{guard, plan};
    let reason = reason.unwrap_or_default();
    guard::file(&file)
        .change(Action::ChangePlan, async |f| {
            let number = plan::new_version(f.db, &f.opened, f.user, &valid_from, &reason).await?;
            f.log_detail(LogDetail::Plan {
                version: number,
                change: PlanChange::NewVersion,
            });
            Ok(number)
        })
        .await
}

#[server(prefix = "/api", endpoint = "plan/save_details")]
pub async fn save_plan_details(
    file: String,
    version: u32,
    valid_from: String,
    client_view: String,
) -> Result<(), AppError> {
    use crate::server::access_log::Action;
    use crate::server::{guard, plan};
    guard::file(&file)
        .change(Action::ChangePlan, async |f| {
            f.log_detail(LogDetail::Plan {
                version,
                change: PlanChange::Details,
            });
            plan::save_details(f.db, &f.opened, version, &valid_from, &client_view).await
        })
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
    use crate::server::access_log::Action;
    use crate::server::{guard, plan};
    let input = plan::GoalInput {
        title,
        what,
        how,
        who,
        by_when,
    };
    guard::file(&file)
        .change(Action::ChangePlan, async |f| {
            f.log_detail(LogDetail::Plan {
                version,
                change: PlanChange::GoalSaved,
            });
            plan::save_goal(f.db, &f.opened, version, some(&goal), some(&parent), &input).await
        })
        .await
}

#[server(prefix = "/api", endpoint = "plan/delete_goal")]
pub async fn delete_goal(file: String, version: u32, goal: String) -> Result<(), AppError> {
    use crate::server::access_log::Action;
    use crate::server::{guard, plan};
    guard::file(&file)
        .change(Action::ChangePlan, async |f| {
            f.log_detail(LogDetail::Plan {
                version,
                change: PlanChange::GoalRemoved,
            });
            plan::delete_goal(f.db, &f.opened, version, &goal).await
        })
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
    use crate::server::access_log::Action;
    use crate::server::{guard, plan};
    guard::file(&file)
        .change(Action::ChangePlan, async |f| {
            f.log_detail(LogDetail::Plan {
                version,
                change: PlanChange::ClientSigned,
            });
            plan::sign(f.db, &f.opened, version, &signed_on, &signed_how).await
        })
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
    use crate::server::access_log::Action;
    use crate::server::{guard, plan};
    guard::file(&file)
        .change(Action::ChangePlan, async |f| {
            f.log_detail(LogDetail::Plan {
                version,
                change: PlanChange::CopiesRecorded,
            });
            plan::record_copies(
                f.db,
                &f.opened,
                version,
                &copy_to_client_on,
                &copy_to_contact_on,
                &copy_to_secretary_on,
            )
            .await
        })
        .await
}

/// Ticks (`checked` = "true") or unticks a point of the intake checklist.
#[server(prefix = "/api", endpoint = "plan/intake")]
pub async fn set_intake_item(file: String, item: String, checked: String) -> Result<(), AppError> {
    use crate::server::access_log::Action;
    use crate::server::{guard, plan};
    guard::file(&file)
        .change(Action::ChangeIntake, async |f| {
            f.log_detail(LogDetail::IntakeItem { item: item.clone() });
            plan::set_intake(f.db, &f.opened, f.user, &item, checked == "true").await
        })
        .await
}
