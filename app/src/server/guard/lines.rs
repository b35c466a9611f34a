//! The access-log lines the guard writes outside an opened target: logins (failed,
//! throttled), the lines of an action, and the one line per file a list showed.

use super::super::access_log::{self, Action};
use super::super::entities::{case_files, users};
use super::Named;
use crate::error::AppError;
use crate::model::log::{ListKind, LogDetail};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect,
};

/// Logs a successful login (written without a checked session, as are the failed).
pub async fn log_login(
    db: &DatabaseConnection,
    user_id: i32,
    detail: Option<LogDetail>,
) -> Result<(), AppError> {
    let detail = detail.map(|d| d.to_stored());
    access_log::write(
        db,
        access_log::Entry {
            user_id: Some(user_id),
            action: Action::Login,
            client_id: None,
            case_file_id: None,
            account_id: None,
            detail: detail.as_deref(),
        },
    )
    .await?;
    Ok(())
}

/// Logs a login whose password was right and whose second-factor code was not (or was
/// used already), naming the account.
pub async fn log_failed_code(db: &DatabaseConnection, account_id: i32) -> Result<(), AppError> {
    let detail = LogDetail::SecondFactorFailed.to_stored();
    access_log::write(
        db,
        access_log::Entry {
            user_id: None,
            action: Action::LoginFailed,
            client_id: None,
            case_file_id: None,
            account_id: Some(account_id),
            detail: Some(&detail),
        },
    )
    .await?;
    Ok(())
}

/// Logs a login that the HTTP layer's rate limit refused, with the request's origin.
pub async fn log_throttled_login(
    db: &DatabaseConnection,
    origin: &access_log::Origin,
) -> Result<(), AppError> {
    access_log::write_from(
        db,
        origin,
        access_log::Entry {
            user_id: None,
            action: Action::LoginThrottled,
            client_id: None,
            case_file_id: None,
            account_id: None,
            detail: None,
        },
    )
    .await?;
    Ok(())
}

/// Logs a failed login: the account tried when it exists, otherwise the username
/// tried (cut to 60 characters); nothing is created and no one is the line's user.
pub async fn log_failed_login(db: &DatabaseConnection, username: &str) -> Result<(), AppError> {
    let tried = username.trim().to_lowercase();
    let account = users::Entity::find()
        .filter(users::Column::Username.eq(tried.clone()))
        .one(db)
        .await?;
    let detail = match account {
        Some(_) => None,
        None => Some(
            LogDetail::UsernameTried {
                username: tried.chars().take(60).collect(),
            }
            .to_stored(),
        ),
    };
    access_log::write(
        db,
        access_log::Entry {
            user_id: None,
            action: Action::LoginFailed,
            client_id: None,
            case_file_id: None,
            account_id: account.map(|a| a.id),
            detail: detail.as_deref(),
        },
    )
    .await?;
    Ok(())
}

pub(super) async fn line(
    db: &impl ConnectionTrait,
    user_id: i32,
    action: Action,
    named: &Named,
    detail: Option<String>,
) -> Result<(), AppError> {
    account_line(db, user_id, action, named, None, detail).await
}

pub(super) async fn account_line(
    db: &impl ConnectionTrait,
    user_id: i32,
    action: Action,
    named: &Named,
    account_id: Option<i32>,
    detail: Option<String>,
) -> Result<(), AppError> {
    access_log::write(
        db,
        access_log::Entry {
            user_id: Some(user_id),
            action,
            client_id: named.client_id,
            case_file_id: named.case_file_id,
            account_id,
            detail: detail.as_deref(),
        },
    )
    .await?;
    Ok(())
}

/// One `list_files` line per file shown (see [`Ctx::log_listed`]); also for a list
/// read through an opened target (an audit round).
pub async fn log_listed<'f>(
    db: &impl ConnectionTrait,
    user_id: i32,
    list: ListKind,
    files: impl IntoIterator<Item = &'f str>,
) -> Result<(), AppError> {
    let public_ids: Vec<String> = files.into_iter().map(str::to_owned).collect();
    if public_ids.is_empty() {
        return Ok(());
    }
    let shown: Vec<(i32, i32)> = case_files::Entity::find()
        .select_only()
        .column(case_files::Column::Id)
        .column(case_files::Column::ClientId)
        .filter(case_files::Column::PublicId.is_in(public_ids))
        .into_tuple()
        .all(db)
        .await?;
    let detail = LogDetail::Listed { list }.to_stored();
    let entries: Vec<access_log::Entry<'_>> = shown
        .iter()
        .map(|&(file_id, client_id)| access_log::Entry {
            user_id: Some(user_id),
            action: Action::ListFiles,
            client_id: Some(client_id),
            case_file_id: Some(file_id),
            account_id: None,
            detail: Some(&detail),
        })
        .collect();
    access_log::write_many(db, &entries).await?;
    Ok(())
}
