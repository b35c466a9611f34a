//! Reminders of an audit round (issue 15, part 3). The manager's "Påminn" records a
//! reminder to one reviewer; the reviewer sees it on every page (through the session
//! user) until they open their reviews. A reminder names no client: only how many of
//! the round's reviews are left and by when.

use crate::error::{AppError, Problem};
use crate::model::audit::{ReminderNote, ReminderSent, RoundStatus};
use crate::server::entities::{audit_assignments, audit_reminders, audit_rounds, users};
use crate::server::guard::CurrentUser;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, sea_query::Expr,
};
use std::collections::HashMap;

/// Reminds `reviewer` (a username) of their reviews in a published round. Returns
/// the reviewer's account id and display name, for the log.
pub async fn remind(
    db: &impl ConnectionTrait,
    round: &audit_rounds::Model,
    manager: &CurrentUser,
    reviewer: &str,
) -> Result<(i32, String), AppError> {
    if round.status != RoundStatus::Published {
        return Err(AppError::RoundClosed);
    }
    let user = users::Entity::find()
        .filter(users::Column::Username.eq(reviewer.trim()))
        .one(db)
        .await?;
    let left = match &user {
        Some(u) => open_reviews(db, round.id, u.id).await?,
        None => 0,
    };
    let Some(user) = user.filter(|_| left > 0) else {
        // Not a reviewer of the round with a review left to do.
        return Err(AppError::field("reviewer", Problem::InvalidReviewer));
    };
    audit_reminders::Entity::insert(audit_reminders::ActiveModel {
        round_id: Set(round.id),
        reviewer_id: Set(user.id),
        sent_by: Set(manager.id),
        sent_at: Set(crate::server::now()),
        opened_at: Set(None),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok((user.id, user.display_name))
}

/// How many of the reviewer's reviews of a round are not yet submitted.
async fn open_reviews(
    db: &impl ConnectionTrait,
    round_id: i32,
    reviewer_id: i32,
) -> Result<u64, AppError> {
    Ok(audit_assignments::Entity::find()
        .filter(audit_assignments::Column::RoundId.eq(round_id))
        .filter(audit_assignments::Column::ReviewerId.eq(reviewer_id))
        .filter(audit_assignments::Column::SubmittedAt.is_null())
        .count(db)
        .await?)
}

/// The user's reminders not yet opened, one per round (the latest), for rounds still
/// in progress with reviews left: what every page shows them.
pub async fn unopened(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> Result<Vec<ReminderNote>, AppError> {
    let rows = audit_reminders::Entity::find()
        .filter(audit_reminders::Column::ReviewerId.eq(user_id))
        .filter(audit_reminders::Column::OpenedAt.is_null())
        .order_by_desc(audit_reminders::Column::SentAt)
        .all(db)
        .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let rounds: HashMap<i32, audit_rounds::Model> = audit_rounds::Entity::find()
        .filter(audit_rounds::Column::Id.is_in(rows.iter().map(|r| r.round_id)))
        .filter(audit_rounds::Column::Status.eq(RoundStatus::Published))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let open: Vec<audit_assignments::Model> = audit_assignments::Entity::find()
        .filter(audit_assignments::Column::RoundId.is_in(rounds.keys().copied()))
        .filter(audit_assignments::Column::ReviewerId.eq(user_id))
        .filter(audit_assignments::Column::SubmittedAt.is_null())
        .all(db)
        .await?;
    let names = crate::server::journal::user_names(db, rows.iter().map(|r| r.sent_by)).await?;
    let mut seen = std::collections::HashSet::new();
    let mut notes = Vec::new();
    for r in rows {
        let Some(round) = rounds.get(&r.round_id) else {
            continue;
        };
        let left: Vec<&audit_assignments::Model> =
            open.iter().filter(|a| a.round_id == round.id).collect();
        if left.is_empty() || !seen.insert(round.id) {
            continue;
        }
        let due_on = left
            .iter()
            .map(|a| crate::server::audit::access_until(a, round))
            .min()
            .unwrap_or(round.due_on);
        notes.push(ReminderNote {
            year: round.year,
            due_on,
            left: left.len() as u32,
            sent_by: names.get(&r.sent_by).cloned().unwrap_or_default(),
            sent_on: crate::server::swedish(r.sent_at).date(),
        });
    }
    Ok(notes)
}

/// The reviewer opened their reviews: their reminders stop showing. Writes only when
/// there is one to mark (on SQLite even an UPDATE that matches nothing waits for the
/// write lock, and this runs on every visit to the audit page).
pub async fn mark_opened(db: &impl ConnectionTrait, user_id: i32) -> Result<(), AppError> {
    let waiting = audit_reminders::Entity::find()
        .filter(audit_reminders::Column::ReviewerId.eq(user_id))
        .filter(audit_reminders::Column::OpenedAt.is_null())
        .count(db)
        .await?;
    if waiting == 0 {
        return Ok(());
    }
    audit_reminders::Entity::update_many()
        .col_expr(
            audit_reminders::Column::OpenedAt,
            Expr::value(crate::server::now()),
        )
        .filter(audit_reminders::Column::ReviewerId.eq(user_id))
        .filter(audit_reminders::Column::OpenedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// The last reminder of each reviewer of a round.
pub async fn last_sent(
    db: &impl ConnectionTrait,
    round_id: i32,
) -> Result<HashMap<i32, ReminderSent>, AppError> {
    let rows = audit_reminders::Entity::find()
        .filter(audit_reminders::Column::RoundId.eq(round_id))
        .order_by_asc(audit_reminders::Column::SentAt)
        .order_by_asc(audit_reminders::Column::Id)
        .all(db)
        .await?;
    let names = crate::server::journal::user_names(db, rows.iter().map(|r| r.sent_by)).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.reviewer_id,
                ReminderSent {
                    sent_on: crate::server::swedish(r.sent_at).date(),
                    sent_by: names.get(&r.sent_by).cloned().unwrap_or_default(),
                    opened: r.opened_at.is_some(),
                },
            )
        })
        .collect())
}
