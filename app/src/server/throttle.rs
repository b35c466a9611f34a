//! The per-account login throttle, kept in the database so that it holds across
//! instances sharing PostgreSQL (`login_throttle`; the rule is
//! `akta_domain::throttle`). The per-address limit in front of `/api/login` is the
//! server's (`server/src/http.rs`); this one is per username.

use super::entities::login_throttle;
use crate::error::AppError;
use akta_domain::throttle::{self, Failures};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, IntoActiveModel, QueryFilter,
};

/// How a typed username is counted: trimmed, lower case, at most 200 characters.
fn key(username: &str) -> String {
    username.trim().to_lowercase().chars().take(200).collect()
}

fn failures(row: &login_throttle::Model) -> Failures {
    Failures {
        count: u32::try_from(row.failures).unwrap_or(0),
        last_at: row.last_failure_at,
        locked_until: row.locked_until,
    }
}

/// `LoginThrottled` while the name waits; checked before the password is.
pub async fn check(db: &impl ConnectionTrait, username: &str) -> Result<(), AppError> {
    let now = super::now().timestamp();
    let row = login_throttle::Entity::find_by_id(key(username))
        .one(db)
        .await?;
    match row.as_ref().and_then(|r| failures(r).wait(now)) {
        Some(wait) => Err(AppError::LoginThrottled {
            minutes: throttle::minutes(wait),
        }),
        None => Ok(()),
    }
}

/// Counts a failed login of `username` (one write transaction, so two instances
/// counting at once both count). Forgotten rows of other names go at the same time.
pub async fn failed(db: &DatabaseConnection, username: &str) -> Result<(), AppError> {
    let now = super::now().timestamp();
    let key = key(username);
    let txn = super::db::begin_write(db).await?;
    let row = login_throttle::Entity::find_by_id(key.clone())
        .one(&txn)
        .await?;
    let next = throttle::after_failure(row.as_ref().map(failures), now);
    let count = i32::try_from(next.count).unwrap_or(i32::MAX);
    match row {
        Some(row) => {
            let mut m = row.into_active_model();
            m.failures = Set(count);
            m.last_failure_at = Set(next.last_at);
            m.locked_until = Set(next.locked_until);
            m.update(&txn).await?;
        }
        None => {
            login_throttle::ActiveModel {
                username: Set(key.clone()),
                failures: Set(count),
                last_failure_at: Set(next.last_at),
                locked_until: Set(next.locked_until),
            }
            .insert(&txn)
            .await?;
        }
    }
    let stale = now - throttle::QUIET_SECS - throttle::MAX_WAIT_SECS;
    login_throttle::Entity::delete_many()
        .filter(login_throttle::Column::LastFailureAt.lt(stale))
        .filter(login_throttle::Column::LockedUntil.lt(stale))
        .filter(login_throttle::Column::Username.ne(key))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// A successful login forgets the name's failures.
pub async fn succeeded(db: &impl ConnectionTrait, username: &str) -> Result<(), AppError> {
    login_throttle::Entity::delete_by_id(key(username))
        .exec(db)
        .await?;
    Ok(())
}
