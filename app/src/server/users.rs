//! Accounts: creating, checking passwords, changing roles.

use super::entities::users;
use crate::error::{AppError, Problem, Problems};
use akta_domain::Role;
use akta_domain::text::{Name, check_password, check_username};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, IntoActiveModel, QueryFilter,
};

/// Validated input for a new account.
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub password: String,
}

impl NewUser {
    /// Checks every field and reports all problems at once.
    pub fn parse(
        username: &str,
        display_name: &str,
        role: &str,
        password: &str,
    ) -> Result<Self, AppError> {
        let mut problems = Problems::default();
        let username = problems.check("username", check_username(username), Problem::from);
        let display_name = problems.check("display_name", Name::parse(display_name), Problem::from);
        let role = problems.check("role", Role::parse(role).ok_or(()), |_| {
            Problem::InvalidRole
        });
        problems.check("password", check_password(password), Problem::from);
        problems.into_result()?;
        match (username, display_name, role) {
            (Some(u), Some(d), Some(r)) => Ok(NewUser {
                username: u.into_inner(),
                display_name: d.into_inner(),
                role: r,
                password: password.to_owned(),
            }),
            _ => Err(AppError::Internal),
        }
    }
}

/// argon2id via `password-auth`; CPU-heavy, so off the async threads.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || password_auth::generate_hash(password))
        .await
        .map_err(super::internal)
}

/// A hash of a password nobody has, checked when the username is unknown, so a
/// wrong username takes as long as a wrong password.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| password_auth::generate_hash("akta-timing-equaliser"));

/// The user with this username and password, if both are right and the account
/// is active. Same answer and about the same time for every kind of failure.
pub async fn verify_login(
    db: &impl ConnectionTrait,
    username: &str,
    password: &str,
) -> Result<Option<users::Model>, AppError> {
    let username = username.trim().to_lowercase();
    let user = users::Entity::find()
        .filter(users::Column::Username.eq(username))
        .one(db)
        .await?;
    let hash = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| DUMMY_HASH.clone());
    let password = password.to_owned();
    let ok = tokio::task::spawn_blocking(move || {
        password_auth::verify_password(password, &hash).is_ok()
    })
    .await
    .map_err(super::internal)?;
    Ok(user.filter(|u| ok && u.active))
}

/// Inserts a validated user who chose their own password (`akta create-admin`, tests),
/// in one write transaction. A taken username is a field error, not a crash. The
/// password is hashed first, so the (slow) hashing never holds the write lock.
pub async fn create(db: &DatabaseConnection, new: NewUser) -> Result<users::Model, AppError> {
    let hash = hash_password(new.password.clone()).await?;
    let txn = super::db::begin_write(db).await?;
    match insert(&txn, new, hash, false).await {
        Ok(user) => {
            txn.commit().await?;
            Ok(user)
        }
        Err(e) => {
            txn.rollback().await?;
            Err(e)
        }
    }
}

/// Inserts a validated user with its (already computed) hash inside the caller's
/// transaction; a taken username is a field error. `must_change_password`: an
/// administrator set the password, so its owner must change it at the first login.
pub async fn insert(
    db: &impl ConnectionTrait,
    new: NewUser,
    hash: String,
    must_change_password: bool,
) -> Result<users::Model, AppError> {
    let taken = users::Entity::find()
        .filter(users::Column::Username.eq(new.username.clone()))
        .one(db)
        .await?
        .is_some();
    if taken {
        return Err(AppError::field("username", Problem::UsernameTaken));
    }
    let now = super::now();
    Ok(users::ActiveModel {
        username: Set(new.username),
        display_name: Set(new.display_name),
        role: Set(new.role.as_str().to_owned()),
        password_hash: Set(hash),
        active: Set(true),
        created_at: Set(now),
        password_changed_at: Set(now),
        must_change_password: Set(must_change_password),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// The owner changes their own password: the current one must be right, the new one
/// pass [`check_password`] (length, not a common password), be typed twice alike and
/// differ from the current one. Every problem is reported at once, by field; nothing is
/// stored unless all is well. The new hash, the change time (the session stamp: every
/// other session of the user ends) and the cleared must-change flag are written with
/// the access-log line in one transaction. Returns the new stamp for this session.
pub async fn change_own_password(
    db: &DatabaseConnection,
    user_id: i32,
    current: &str,
    new: &str,
    again: &str,
) -> Result<chrono::DateTime<chrono::Utc>, AppError> {
    let user = users::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(AppError::NotLoggedIn)?;
    let (hash, given) = (user.password_hash.clone(), current.to_owned());
    let current_ok =
        tokio::task::spawn_blocking(move || password_auth::verify_password(given, &hash).is_ok())
            .await
            .map_err(super::internal)?;
    let mut problems = Problems::default();
    if !current_ok {
        problems.add("current_password", Problem::PasswordWrong);
    }
    if let Err(e) = check_password(new) {
        problems.add("new_password", Problem::from(e));
    } else if current_ok && new == current {
        problems.add("new_password", Problem::PasswordUnchanged);
    }
    if again != new {
        problems.add("new_password_again", Problem::PasswordsDiffer);
    }
    problems.into_result()?;
    let hash = hash_password(new.to_owned()).await?;
    let txn = super::db::begin_write(db).await?;
    let now = super::now();
    let mut model = user.into_active_model();
    model.password_hash = Set(hash);
    model.password_changed_at = Set(now);
    model.must_change_password = Set(false);
    model.update(&txn).await?;
    super::access_log::write(
        &txn,
        super::access_log::Entry {
            user_id: Some(user_id),
            action: super::access_log::Action::ChangePassword,
            client_id: None,
            case_file_id: None,
            account_id: Some(user_id),
            detail: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(now)
}
