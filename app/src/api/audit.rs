//! The yearly peer file audit (aktgranskning): rounds for the manager, reviews for
//! the reviewers. See `server::audit` for the rules.

use crate::error::AppError;
use crate::model::audit::{AuditOverview, AuditSaved, AuditWorkspace, FileAuditResults, RoundView};
use leptos::prelude::*;

/// The audit start page: the user's own reviews, and for the manager the rounds and
/// the staff who may review. Names clients, so it is logged when it lists any.
#[server(prefix = "/api", endpoint = "audit/overview")]
pub async fn get_audit_overview() -> Result<AuditOverview, AppError> {
    use crate::server::guard::{Permission, require};
    use crate::server::{access_log, audit, clients};
    use akta_domain::Role;
    let ctx = require(Permission::ReadFiles).await?;
    let is_manager = ctx.user.role == Role::Manager;
    let mine = audit::my_reviews(&ctx.db, &ctx.user).await?;
    if !mine.is_empty() {
        access_log::write(
            &ctx.db,
            access_log::Entry {
                user_id: ctx.user.id,
                action: access_log::Action::ListFiles,
                client_id: None,
                case_file_id: None,
                detail: Some("my audit reviews"),
            },
        )
        .await
        .map_err(crate::server::internal)?;
    }
    let my_files = audit::my_file_audits(&ctx.db, &ctx.user).await?;
    if !my_files.is_empty() {
        access_log::write(
            &ctx.db,
            access_log::Entry {
                user_id: ctx.user.id,
                action: access_log::Action::ListFiles,
                client_id: None,
                case_file_id: None,
                detail: Some("audits of my files"),
            },
        )
        .await
        .map_err(crate::server::internal)?;
    }
    let (rounds, staff, show_reviewer_names, year_over_year) = if is_manager {
        (
            audit::rounds(&ctx.db).await?,
            clients::active_staff(&ctx.db)
                .await?
                .iter()
                .map(clients::option)
                .collect(),
            audit::show_reviewer_names(&ctx.db).await?,
            audit::year_over_year(&ctx.db).await?,
        )
    } else {
        (
            Vec::new(),
            Vec::new(),
            false,
            crate::model::audit::YearOverYear::default(),
        )
    };
    Ok(AuditOverview {
        is_manager,
        rounds,
        staff,
        mine,
        my_files,
        show_reviewer_names,
        year_over_year,
        today: crate::server::today(),
    })
}

/// Opens a round for a year as a draft with a drawn pairing. Returns the round's id.
#[server(prefix = "/api", endpoint = "audit/open")]
pub async fn open_round(
    year: String,
    due_on: String,
    scope: String,
    #[server(default)] sample: String,
    #[server(default)] double: String,
    #[server(default)] per_reviewer: String,
    #[server(default)] reviewers: Option<Vec<String>>,
) -> Result<String, AppError> {
    use crate::server::audit::{self, RoundForm};
    use crate::server::guard::{Permission, require};
    let ctx = require(Permission::ManageUnit).await?;
    let form = RoundForm {
        year,
        due_on,
        scope,
        sample,
        double,
        per_reviewer,
        reviewers: reviewers.unwrap_or_default(),
    };
    let id = audit::open_round(&ctx.db, &ctx.user, &form, crate::server::today()).await?;
    leptos_axum::redirect(&format!("/granskning/{id}"));
    Ok(id)
}

/// A round with its pairing, completion and results. Logged: it names clients.
#[server(prefix = "/api", endpoint = "audit/round")]
pub async fn get_round(round: String) -> Result<RoundView, AppError> {
    use crate::server::guard::{Permission, require};
    use crate::server::{access_log, audit};
    let ctx = require(Permission::ManageUnit).await?;
    let round = audit::find_round(&ctx.db, &round).await?;
    let view = audit::round_view(&ctx.db, &round, crate::server::today()).await?;
    access_log::write(
        &ctx.db,
        access_log::Entry {
            user_id: ctx.user.id,
            action: access_log::Action::ListFiles,
            client_id: None,
            case_file_id: None,
            detail: Some(&format!("audit round {}", round.year)),
        },
    )
    .await
    .map_err(crate::server::internal)?;
    Ok(view)
}

/// Draws a draft round again with a new seed.
#[server(prefix = "/api", endpoint = "audit/redraw")]
pub async fn redraw_round(round: String) -> Result<(), AppError> {
    use crate::server::audit;
    use crate::server::guard::{Permission, require};
    let ctx = require(Permission::ManageUnit).await?;
    let round = audit::find_round(&ctx.db, &round).await?;
    audit::redraw(&ctx.db, &ctx.user, &round).await
}

/// Publishes a draft round (`to` = `published`) or closes a published one (`closed`).
#[server(prefix = "/api", endpoint = "audit/status")]
pub async fn set_round_status(round: String, to: String) -> Result<(), AppError> {
    use crate::server::audit;
    use crate::server::guard::{Permission, require};
    let ctx = require(Permission::ManageUnit).await?;
    let round = audit::find_round(&ctx.db, &round).await?;
    audit::set_status(&ctx.db, &ctx.user, &round, &to).await
}

/// Gives a file of a draft round to another reviewer of the round, with a reason.
#[server(prefix = "/api", endpoint = "audit/swap")]
pub async fn swap_reviewer(
    assignment: String,
    reviewer: String,
    reason: String,
) -> Result<(), AppError> {
    use crate::server::audit;
    use crate::server::guard::{Permission, require};
    let ctx = require(Permission::ManageUnit).await?;
    audit::swap(&ctx.db, &ctx.user, &assignment, &reviewer, &reason).await
}

/// Reopens a submitted review, with a reason.
#[server(prefix = "/api", endpoint = "audit/reopen")]
pub async fn reopen_review(assignment: String, reason: String) -> Result<(), AppError> {
    use crate::server::audit;
    use crate::server::guard::{Permission, require};
    let ctx = require(Permission::ManageUnit).await?;
    audit::reopen(&ctx.db, &ctx.user, &assignment, &reason).await
}

/// The reviewer's workspace for one assigned file. Logged as a read of the file.
#[server(prefix = "/api", endpoint = "audit/workspace")]
pub async fn get_workspace(assignment: String) -> Result<AuditWorkspace, AppError> {
    use crate::server::guard::{Permission, require};
    use crate::server::{access_log, audit};
    let ctx = require(Permission::ReadFiles).await?;
    let opened = audit::open_review(&ctx.db, &ctx.user, &assignment).await?;
    let view = audit::workspace(&ctx.db, &opened, crate::server::today()).await?;
    access_log::write(
        &ctx.db,
        access_log::Entry {
            user_id: ctx.user.id,
            action: access_log::Action::ReadAudit,
            client_id: Some(opened.file.client_id),
            case_file_id: Some(opened.file.id),
            detail: Some(&format!("audit round {}", opened.round.year)),
        },
    )
    .await
    .map_err(crate::server::internal)?;
    Ok(view)
}

/// Saves one checklist answer with its comment (autosave).
#[server(prefix = "/api", endpoint = "audit/answer")]
pub async fn save_answer(
    assignment: String,
    period: u32,
    item: String,
    #[server(default)] answer: String,
    #[server(default)] comment: String,
) -> Result<AuditSaved, AppError> {
    use crate::server::audit;
    use crate::server::guard::{Permission, require};
    let ctx = require(Permission::ReadFiles).await?;
    let opened = audit::open_review(&ctx.db, &ctx.user, &assignment).await?;
    audit::save_answer(&ctx.db, &opened, period, &item, &answer, &comment).await?;
    Ok(AuditSaved {
        saved_time: crate::server::local_time(crate::server::now()),
    })
}

/// Saves the overall judgement of a period with its summary (autosave).
#[server(prefix = "/api", endpoint = "audit/judgement")]
pub async fn save_judgement(
    assignment: String,
    period: u32,
    #[server(default)] judgement: String,
    #[server(default)] summary: String,
) -> Result<AuditSaved, AppError> {
    use crate::server::audit;
    use crate::server::guard::{Permission, require};
    let ctx = require(Permission::ReadFiles).await?;
    let opened = audit::open_review(&ctx.db, &ctx.user, &assignment).await?;
    audit::save_judgement(&ctx.db, &opened, period, &judgement, &summary).await?;
    Ok(AuditSaved {
        saved_time: crate::server::local_time(crate::server::now()),
    })
}

/// Submits the review; it is then locked until the manager reopens it.
#[server(prefix = "/api", endpoint = "audit/submit")]
pub async fn submit_review(assignment: String) -> Result<(), AppError> {
    use crate::server::audit;
    use crate::server::guard::{Permission, require};
    let ctx = require(Permission::ReadFiles).await?;
    let opened = audit::open_review(&ctx.db, &ctx.user, &assignment).await?;
    audit::submit(&ctx.db, &ctx.user, &opened, crate::server::today()).await
}

/// The submitted audit results of one of the user's files (as contact person). Logged
/// as a read of the file.
#[server(prefix = "/api", endpoint = "audit/file")]
pub async fn get_file_audit(file: String) -> Result<FileAuditResults, AppError> {
    use crate::server::guard::{Permission, require};
    use crate::server::{access_log, audit};
    let ctx = require(Permission::ReadFiles).await?;
    let (file, results) = audit::file_audit_results(&ctx.db, &ctx.user, &file).await?;
    access_log::write(
        &ctx.db,
        access_log::Entry {
            user_id: ctx.user.id,
            action: access_log::Action::ReadAuditResults,
            client_id: Some(file.client_id),
            case_file_id: Some(file.id),
            detail: Some(&format!("{} reviews", results.reviews.len())),
        },
    )
    .await
    .map_err(crate::server::internal)?;
    Ok(results)
}

/// The unit's setting: whether contact persons see the reviewer's name (`show` = `on`).
#[server(prefix = "/api", endpoint = "audit/settings")]
pub async fn set_audit_settings(#[server(default)] show: String) -> Result<(), AppError> {
    use crate::server::audit;
    use crate::server::guard::{Permission, require};
    let ctx = require(Permission::ManageUnit).await?;
    audit::set_show_reviewer_names(&ctx.db, &ctx.user, show == "on").await
}

/// Changes the text of one question of a draft round's checklist. Returns the new version.
#[server(prefix = "/api", endpoint = "audit/checklist/save")]
pub async fn save_checklist_item(
    round: String,
    item: String,
    title: String,
) -> Result<u32, AppError> {
    use crate::server::audit::{self, ChecklistEdit};
    use crate::server::guard::{Permission, require};
    let ctx = require(Permission::ManageUnit).await?;
    let round = audit::find_round(&ctx.db, &round).await?;
    audit::edit_checklist(
        &ctx.db,
        &ctx.user,
        &round,
        ChecklistEdit::Save {
            key: item,
            text: title,
        },
    )
    .await
}

/// Adds a question to a draft round's checklist. Returns the new version.
#[server(prefix = "/api", endpoint = "audit/checklist/add")]
pub async fn add_checklist_item(round: String, title: String) -> Result<u32, AppError> {
    use crate::server::audit::{self, ChecklistEdit};
    use crate::server::guard::{Permission, require};
    let ctx = require(Permission::ManageUnit).await?;
    let round = audit::find_round(&ctx.db, &round).await?;
    audit::edit_checklist(
        &ctx.db,
        &ctx.user,
        &round,
        ChecklistEdit::Add { text: title },
    )
    .await
}

/// Removes a question from a draft round's checklist. Returns the new version.
#[server(prefix = "/api", endpoint = "audit/checklist/remove")]
pub async fn remove_checklist_item(round: String, item: String) -> Result<u32, AppError> {
    use crate::server::audit::{self, ChecklistEdit};
    use crate::server::guard::{Permission, require};
    let ctx = require(Permission::ManageUnit).await?;
    let round = audit::find_round(&ctx.db, &round).await?;
    audit::edit_checklist(
        &ctx.db,
        &ctx.user,
        &round,
        ChecklistEdit::Remove { key: item },
    )
    .await
}
