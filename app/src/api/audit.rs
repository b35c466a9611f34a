//! The yearly peer file audit (aktgranskning): rounds for the manager, reviews for
//! the reviewers. See `server::audit` for the rules.

use crate::error::AppError;
use crate::model::audit::{AuditOverview, AuditSaved, AuditWorkspace, FileAuditResults, RoundView};
#[cfg(feature = "ssr")]
use crate::model::log::{AuditEvent, LogDetail};
use leptos::prelude::*;

/// The audit start page: the user's own reviews, and for the manager the rounds and
/// the staff who may review. Names clients, so it is logged when it lists any.
#[server(prefix = "/api", endpoint = "audit/overview")]
pub async fn get_audit_overview() -> Result<AuditOverview, AppError> {
    use crate::model::log::ListKind;
    use crate::server::guard::{Permission, require};
    use crate::server::{audit, clients};
    use akta_domain::Role;
    let ctx = require(Permission::ReadFiles).await?;
    let db = ctx.db();
    let is_manager = ctx.user.role == Role::Manager;
    let mine = audit::my_reviews(db, &ctx.user).await?;
    // The reviewer has seen their reviews: the reminders stop showing on every page.
    crate::server::audit::reminders::mark_opened(db, ctx.user.id).await?;
    let my_files = audit::my_file_audits(db, &ctx.user).await?;
    let (rounds, staff, show_reviewer_names, year_over_year) = if is_manager {
        (
            audit::rounds(db).await?,
            clients::active_staff(db)
                .await?
                .iter()
                .map(clients::option)
                .collect(),
            audit::show_reviewer_names(db).await?,
            audit::year_over_year(db).await?,
        )
    } else {
        (
            Vec::new(),
            Vec::new(),
            false,
            crate::model::audit::YearOverYear::default(),
        )
    };
    ctx.log_listed_reviews(
        ListKind::MyAuditReviews,
        mine.iter().map(|r| r.assignment_id.as_str()),
    )
    .await?;
    ctx.log_listed(
        ListKind::AuditsOfMyFiles,
        my_files.iter().map(|r| r.file_id.as_str()),
    )
    .await?;
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
    use crate::server::access_log::Action;
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
    let id = ctx
        .change(Action::ManageAudit, async |s| {
            let round = audit::open_round(s.db, s.user, &form, crate::server::today()).await?;
            s.log_detail(LogDetail::Audit {
                year: round.year,
                event: AuditEvent::Opened {
                    files: round.files as u64,
                },
            });
            Ok(round.public_id)
        })
        .await?;
    leptos_axum::redirect(&format!("/granskning/{id}"));
    Ok(id)
}

/// A round with its pairing, completion and results. Logged: it names clients.
#[server(prefix = "/api", endpoint = "audit/round")]
pub async fn get_round(round: String) -> Result<RoundView, AppError> {
    use crate::model::log::ListKind;
    use crate::server::access_log::Action;
    use crate::server::audit;
    use crate::server::entities::audit_rounds;
    use crate::server::guard;
    guard::on::<audit_rounds::Model>(&round)
        .read(Action::ListFiles, async |r| {
            let view = audit::round_view(r.db, &r.opened, crate::server::today()).await?;
            // One line per file the round shows, beside the round's own line.
            r.log_detail(LogDetail::Listed {
                list: ListKind::AuditRound,
            });
            guard::log_listed(
                r.db,
                r.user.id,
                ListKind::AuditRound,
                view.assignments.iter().map(|a| a.file_id.as_str()),
            )
            .await?;
            Ok(view)
        })
        .await
}

/// Draws a draft round again with a new seed.
#[server(prefix = "/api", endpoint = "audit/redraw")]
pub async fn redraw_round(round: String) -> Result<(), AppError> {
    use crate::server::access_log::Action;
    use crate::server::audit;
    use crate::server::entities::audit_rounds;
    use crate::server::guard;
    guard::on::<audit_rounds::Model>(&round)
        .change(Action::ManageAudit, async |r| {
            r.log_detail(LogDetail::Audit {
                year: r.opened.year,
                event: AuditEvent::Redrew,
            });
            audit::redraw(r.db, &r.opened).await
        })
        .await
}

/// Publishes a draft round (`to` = `published`), closes a published one (`closed`;
/// with reviews not submitted only with `confirm` = `yes`, which the page's
/// confirmation sends), or reopens a closed one (`published`) within the days the
/// domain allows.
#[server(prefix = "/api", endpoint = "audit/status")]
pub async fn set_round_status(
    round: String,
    to: String,
    #[server(default)] confirm: String,
) -> Result<(), AppError> {
    use crate::model::audit::RoundStatus;
    use crate::server::access_log::Action;
    use crate::server::audit;
    use crate::server::entities::audit_rounds;
    use crate::server::guard;
    guard::on::<audit_rounds::Model>(&round)
        .change(Action::ManageAudit, async |r| {
            let to = RoundStatus::parse(&to).ok_or(AppError::NotFound)?;
            let today = crate::server::today();
            audit::set_status(r.db, &r.opened, to, confirm == "yes", today).await?;
            let event = match (r.opened.status, to) {
                (RoundStatus::Closed, _) => AuditEvent::Reopened,
                (_, RoundStatus::Closed) => AuditEvent::Closed,
                _ => AuditEvent::Published,
            };
            r.log_detail(LogDetail::Audit {
                year: r.opened.year,
                event,
            });
            Ok(())
        })
        .await
}

/// Gives a file of a draft round to another reviewer of the round, with a reason.
#[server(prefix = "/api", endpoint = "audit/swap")]
pub async fn swap_reviewer(
    assignment: String,
    reviewer: String,
    reason: String,
) -> Result<(), AppError> {
    use crate::server::access_log::Action;
    use crate::server::audit::{self, RoundAssignment};
    use crate::server::guard;
    guard::on::<RoundAssignment>(&assignment)
        .change(Action::SwapReviewer, async |a| {
            let detail = audit::swap(a.db, &a.opened, &reviewer, &reason).await?;
            a.detail(detail);
            Ok(())
        })
        .await
}

/// Reopens a submitted review, with a reason.
#[server(prefix = "/api", endpoint = "audit/reopen")]
pub async fn reopen_review(assignment: String, reason: String) -> Result<(), AppError> {
    use crate::server::access_log::Action;
    use crate::server::audit::{self, RoundAssignment};
    use crate::server::guard;
    guard::on::<RoundAssignment>(&assignment)
        .change(Action::ReopenReview, async |a| {
            if audit::reopen(a.db, &a.opened, &reason).await? {
                a.detail(reason.trim());
            } else {
                // Not submitted: nothing was reopened, so nothing is logged.
                a.no_line();
            }
            Ok(())
        })
        .await
}

/// Reminds a reviewer of their reviews left in a published round: an in-app reminder
/// they see on every page until they open their reviews (issue 15, part 3).
#[server(prefix = "/api", endpoint = "audit/remind")]
pub async fn remind_reviewer(round: String, reviewer: String) -> Result<(), AppError> {
    use crate::server::access_log::Action;
    use crate::server::audit::reminders;
    use crate::server::entities::audit_rounds;
    use crate::server::guard;
    guard::on::<audit_rounds::Model>(&round)
        .change(Action::RemindReviewer, async |r| {
            let (id, name) = reminders::remind(r.db, &r.opened, r.user, &reviewer).await?;
            r.account(id);
            r.log_detail(LogDetail::Reminder {
                year: r.opened.year,
                reviewer: name,
            });
            Ok(())
        })
        .await
}

/// Gives one review of a published round more time with its file (issue 14, item 9):
/// the reviewer reads it until `until` instead of the round's due date.
#[server(prefix = "/api", endpoint = "audit/extend")]
pub async fn extend_review(assignment: String, until: String) -> Result<(), AppError> {
    use crate::server::access_log::Action;
    use crate::server::audit::{self, RoundAssignment};
    use crate::server::guard;
    guard::on::<RoundAssignment>(&assignment)
        .change(Action::ExtendReview, async |a| {
            let until = audit::extend(a.db, &a.opened, &until, crate::server::today()).await?;
            a.log_detail(LogDetail::Audit {
                year: a.opened.round.year,
                event: AuditEvent::Extended { until },
            });
            Ok(())
        })
        .await
}

/// The reviewer's workspace for one assigned file. Logged as a read of the file.
#[server(prefix = "/api", endpoint = "audit/workspace")]
pub async fn get_workspace(assignment: String) -> Result<AuditWorkspace, AppError> {
    use crate::server::access_log::Action;
    use crate::server::audit::{self, OpenedReview};
    use crate::server::guard;
    guard::on::<OpenedReview>(&assignment)
        .read(Action::ReadAudit, async |r| {
            r.log_detail(LogDetail::Audit {
                year: r.opened.round.year,
                event: AuditEvent::Read,
            });
            audit::workspace(r.db, &r.opened, crate::server::today()).await
        })
        .await
}

/// Saves one checklist answer with its comment (autosave).
#[server(prefix = "/api", endpoint = "audit/answer")]
pub async fn save_answer(
    assignment: String,
    period: u32,
    item: String,
    #[server(default)] answer: String,
    #[server(default)] comment: String,
    #[server(default)] recommendation: String,
) -> Result<AuditSaved, AppError> {
    use crate::server::audit::{self, AnswerInput, OpenedReview};
    use crate::server::guard;
    let input = AnswerInput {
        answer: &answer,
        comment: &comment,
        recommendation: &recommendation,
    };
    guard::on::<OpenedReview>(&assignment)
        .autosave(async |r| audit::save_answer(r.db, &r.opened, period, &item, &input).await)
        .await?;
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
    use crate::server::audit::{self, OpenedReview};
    use crate::server::guard;
    guard::on::<OpenedReview>(&assignment)
        .autosave(async |r| {
            audit::save_judgement(r.db, &r.opened, period, &judgement, &summary).await
        })
        .await?;
    Ok(AuditSaved {
        saved_time: crate::server::local_time(crate::server::now()),
    })
}

/// Submits the review; it is then locked until the manager reopens it.
#[server(prefix = "/api", endpoint = "audit/submit")]
pub async fn submit_review(assignment: String) -> Result<(), AppError> {
    use crate::server::access_log::Action;
    use crate::server::audit::{self, OpenedReview};
    use crate::server::guard;
    guard::on::<OpenedReview>(&assignment)
        .change(Action::SubmitReview, async |r| {
            r.log_detail(LogDetail::Audit {
                year: r.opened.round.year,
                event: AuditEvent::Submitted,
            });
            audit::submit(r.db, &r.opened, crate::server::today()).await
        })
        .await
}

/// The submitted audit results of one of the user's files (as contact person). Logged
/// as a read of the file.
#[server(prefix = "/api", endpoint = "audit/file")]
pub async fn get_file_audit(file: String) -> Result<FileAuditResults, AppError> {
    use crate::server::access_log::Action;
    use crate::server::audit::{self, ContactFile};
    use crate::server::guard;
    guard::on::<ContactFile>(&file)
        .read(Action::ReadAuditResults, async |f| {
            let results = audit::file_audit_results(f.db, &f.opened.file).await?;
            f.log_detail(LogDetail::Rows {
                rows: results.reviews.len() as u64,
            });
            Ok(results)
        })
        .await
}

/// The unit's setting: whether contact persons see the reviewer's name (`show` = `on`).
#[server(prefix = "/api", endpoint = "audit/settings")]
pub async fn set_audit_settings(#[server(default)] show: String) -> Result<(), AppError> {
    use crate::server::access_log::Action;
    use crate::server::audit;
    use crate::server::guard::{Permission, require};
    let ctx = require(Permission::ManageUnit).await?;
    let show = show == "on";
    ctx.change(Action::ManageAudit, async |s| {
        s.log_detail(LogDetail::ReviewerNamesShown { shown: show });
        audit::set_show_reviewer_names(s.db, s.user, show).await
    })
    .await
}

/// A change of a draft round's checklist, logged with the round's new version.
#[cfg(feature = "ssr")]
async fn edit_checklist(
    round: &str,
    edit: crate::server::audit::ChecklistEdit,
) -> Result<u32, AppError> {
    use crate::server::access_log::Action;
    use crate::server::audit;
    use crate::server::entities::audit_rounds;
    use crate::server::guard;
    guard::on::<audit_rounds::Model>(round)
        .change(Action::ManageAudit, async |r| {
            let (version, what) = audit::edit_checklist(r.db, &r.opened, edit).await?;
            r.detail(format!(
                "checklist of round {} version {version}: {what}",
                r.opened.year
            ));
            Ok(version)
        })
        .await
}

/// Changes the text of one question of a draft round's checklist. Returns the new version.
#[server(prefix = "/api", endpoint = "audit/checklist/save")]
pub async fn save_checklist_item(
    round: String,
    item: String,
    title: String,
) -> Result<u32, AppError> {
    use crate::server::audit::ChecklistEdit;
    edit_checklist(
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
    use crate::server::audit::ChecklistEdit;
    edit_checklist(&round, ChecklistEdit::Add { text: title }).await
}

/// Removes a question from a draft round's checklist. Returns the new version.
#[server(prefix = "/api", endpoint = "audit/checklist/remove")]
pub async fn remove_checklist_item(round: String, item: String) -> Result<u32, AppError> {
    use crate::server::audit::ChecklistEdit;
    edit_checklist(&round, ChecklistEdit::Remove { key: item }).await
}

/// The contact person's reply and action for one finding of a submitted review of
/// their file (issue 15, part 2): `finding` is the period's number and the checklist
/// item, as `"1:plan_in_time"`. Logged as a change of the file.
#[server(prefix = "/api", endpoint = "audit/respond")]
pub async fn respond_to_finding(
    file: String,
    review: String,
    finding: String,
    #[server(default)] reply: String,
    #[server(default)] action: String,
    #[server(default)] due_on: String,
    #[server(default)] done: String,
) -> Result<crate::model::audit::FindingAction, AppError> {
    use crate::server::access_log::Action;
    use crate::server::audit::{self, ContactFile, FindingResponse};
    use crate::server::guard;
    let (period, item) = crate::model::audit::parse_finding_key(&finding).unwrap_or_default();
    let input = FindingResponse {
        review,
        period,
        item,
        reply,
        action,
        due_on,
        done: done == "on",
    };
    guard::on::<ContactFile>(&file)
        .change(Action::RespondFinding, async |f| {
            let today = crate::server::today();
            let saved = audit::respond(f.db, &f.opened.file, f.user, &input, today).await?;
            f.log_detail(LogDetail::Audit {
                year: saved.year,
                event: AuditEvent::FindingAnswered {
                    due_on: saved.action.due_on,
                    done: saved.action.done_on.is_some(),
                },
            });
            Ok(saved.action)
        })
        .await
}
