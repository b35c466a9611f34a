//! The one door to the database for server functions.
//!
//! Deny by default: a server function gets a database handle only through
//! [`require`], which checks the session and the permission, or through
//! [`anonymous`], which is reserved for logging in and asking who is logged in.
//! `server/tests/guard.rs` calls every registered server function without a session
//! and fails if any of them answers with anything but a refusal.

use super::entities::users;
use crate::error::AppError;
use akta_domain::Role;
use leptos::prelude::use_context;
use sea_orm::{DatabaseConnection, EntityTrait};
use tower_sessions::Session;

pub const SESSION_USER_KEY: &str = "uid";
/// Changes whenever the password changes, so a reset ends every old session.
pub const SESSION_STAMP_KEY: &str = "stamp";

/// Shared by all requests; given to Leptos as context by the server.
/// The connection is private: server functions reach it through this module.
#[derive(Clone, Debug)]
pub struct AppState {
    db: DatabaseConnection,
}

impl AppState {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

/// The user behind a request.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    pub role: Role,
}

/// What a server function needs before it may run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Any logged-in, active user.
    AnyUser,
    /// Staff and managers; which files is decided per file on top of this.
    ReadFiles,
    /// Managers only.
    ManageUnit,
    /// Administrators only.
    ManageAccounts,
}

impl Permission {
    pub fn allows(self, role: Role) -> bool {
        match self {
            Permission::AnyUser => true,
            Permission::ReadFiles => role.may_read_files(),
            Permission::ManageUnit => role == Role::Manager,
            Permission::ManageAccounts => role.may_manage_accounts(),
        }
    }
}

/// A checked request: who asks, and the database.
pub struct Ctx {
    pub user: CurrentUser,
    pub db: DatabaseConnection,
    pub session: Session,
}

fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| super::internal("AppState missing from context"))
}

async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(super::internal)
}

/// Checks session and permission; refusals are written to the access log.
pub async fn require(permission: Permission) -> Result<Ctx, AppError> {
    let db = state()?.db;
    let session = session().await?;
    let user = user_of_session(&db, &session)
        .await?
        .ok_or(AppError::NotLoggedIn)?;
    if !permission.allows(user.role) {
        tracing::warn!(user = %user.username, ?permission, "refused");
        super::access_log::write(
            &db,
            super::access_log::Entry {
                user_id: user.id,
                action: super::access_log::Action::Refused,
                client_id: None,
                case_file_id: None,
                detail: Some(&format!("{permission:?}")),
            },
        )
        .await
        .map_err(super::internal)?;
        return Err(AppError::Forbidden);
    }
    Ok(Ctx { user, db, session })
}

/// For logging in and asking who is logged in: the only server functions that may
/// run without a session.
pub async fn anonymous() -> Result<(DatabaseConnection, Session), AppError> {
    Ok((state()?.db, session().await?))
}

/// The active user whose id and password stamp are in the session, if any.
pub async fn user_of_session(
    db: &DatabaseConnection,
    session: &Session,
) -> Result<Option<CurrentUser>, AppError> {
    let uid: Option<i32> = session
        .get(SESSION_USER_KEY)
        .await
        .map_err(super::internal)?;
    let stamp: Option<i64> = session
        .get(SESSION_STAMP_KEY)
        .await
        .map_err(super::internal)?;
    let (Some(uid), Some(stamp)) = (uid, stamp) else {
        return Ok(None);
    };
    let Some(user) = users::Entity::find_by_id(uid)
        .one(db)
        .await
        .map_err(super::internal)?
    else {
        return Ok(None);
    };
    if !user.active || user.password_changed_at.timestamp_micros() != stamp {
        return Ok(None);
    }
    let Some(role) = Role::parse(&user.role) else {
        return Err(super::internal(format!("unknown role {}", user.role)));
    };
    Ok(Some(CurrentUser {
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        role,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admins_manage_accounts_and_admins_read_no_files() {
        assert!(Permission::ManageAccounts.allows(Role::Admin));
        assert!(!Permission::ManageAccounts.allows(Role::Manager));
        assert!(!Permission::ManageAccounts.allows(Role::Staff));
        assert!(!Permission::ReadFiles.allows(Role::Admin));
        assert!(Permission::ReadFiles.allows(Role::Staff));
        assert!(Permission::ManageUnit.allows(Role::Manager));
        assert!(!Permission::ManageUnit.allows(Role::Staff));
    }
}
