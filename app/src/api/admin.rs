//! Account administration (administrators only).

use crate::error::AppError;
use crate::model::UserRow;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "admin/list_users")]
pub async fn list_users() -> Result<Vec<UserRow>, AppError> {
    use crate::server::entities::users;
    use crate::server::guard::{Permission, require};
    use sea_orm::{EntityTrait, QueryOrder};
    let ctx = require(Permission::ManageAccounts).await?;
    let rows = users::Entity::find()
        .order_by_asc(users::Column::DisplayName)
        .all(ctx.db())
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|u| {
            Some(UserRow {
                role: akta_domain::Role::parse(&u.role)?,
                username: u.username,
                display_name: u.display_name,
                active: u.active,
            })
        })
        .collect())
}

#[server(prefix = "/api", endpoint = "admin/create_user")]
pub async fn create_user(
    username: String,
    display_name: String,
    role: String,
    password: String,
) -> Result<String, AppError> {
    use crate::server::guard::{Permission, require};
    use crate::server::users;
    let ctx = require(Permission::ManageAccounts).await?;
    let new = users::NewUser::parse(&username, &display_name, &role, &password)?;
    let created = users::create(ctx.db(), new).await?;
    tracing::info!(by = %ctx.user.username, user = %created.username, "account created");
    Ok(created.username)
}

/// Changes one account in one write transaction: looks it up by username (an unknown
/// one is "not found"); an administrator may not lock themselves out. Account changes
/// are not client data: they go to the server's log, not the access log.
#[cfg(feature = "ssr")]
async fn change_account(
    ctx: &crate::server::guard::Ctx,
    username: &str,
    touches_own_access: bool,
    change: impl FnOnce(&mut crate::server::entities::users::ActiveModel),
) -> Result<(), AppError> {
    use crate::error::Problem;
    use crate::server::entities::users;
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};
    ctx.transaction(async |s| {
        let user = users::Entity::find()
            .filter(users::Column::Username.eq(username))
            .one(s.db)
            .await?
            .ok_or(AppError::NotFound)?;
        if touches_own_access && user.id == s.user.id {
            return Err(AppError::field("username", Problem::OwnAccount));
        }
        let mut model = user.into_active_model();
        change(&mut model);
        model.update(s.db).await?;
        Ok(())
    })
    .await
}

#[server(prefix = "/api", endpoint = "admin/set_role")]
pub async fn set_role(username: String, role: String) -> Result<(), AppError> {
    use crate::error::Problem;
    use crate::server::guard::{Permission, require};
    use sea_orm::ActiveValue::Set;
    let ctx = require(Permission::ManageAccounts).await?;
    let role =
        akta_domain::Role::parse(&role).ok_or(AppError::field("role", Problem::InvalidRole))?;
    change_account(&ctx, &username, role != akta_domain::Role::Admin, |m| {
        m.role = Set(role.as_str().to_owned());
    })
    .await?;
    tracing::info!(by = %ctx.user.username, user = %username, role = role.as_str(), "role changed");
    Ok(())
}

#[server(prefix = "/api", endpoint = "admin/set_active")]
pub async fn set_active(username: String, active: bool) -> Result<(), AppError> {
    use crate::server::guard::{Permission, require};
    use sea_orm::ActiveValue::Set;
    let ctx = require(Permission::ManageAccounts).await?;
    change_account(&ctx, &username, !active, |m| m.active = Set(active)).await?;
    tracing::info!(by = %ctx.user.username, user = %username, active, "account (de)activated");
    Ok(())
}

/// Sets a new password. Every session of that user ends (the session stamp changes).
#[server(prefix = "/api", endpoint = "admin/reset_password")]
pub async fn reset_password(username: String, password: String) -> Result<String, AppError> {
    use crate::error::Problem;
    use crate::server::guard::{Permission, require};
    use sea_orm::ActiveValue::Set;
    let ctx = require(Permission::ManageAccounts).await?;
    akta_domain::text::check_password(&password)
        .map_err(|e| AppError::field("password", Problem::from(e)))?;
    // Hashed before the transaction, so the slow hashing never holds the write lock.
    let hash = crate::server::users::hash_password(password).await?;
    change_account(&ctx, &username, false, |m| {
        m.password_hash = Set(hash);
        m.password_changed_at = Set(crate::server::now());
    })
    .await?;
    tracing::info!(by = %ctx.user.username, user = %username, "password reset");
    Ok(username)
}

/// The unit's name, printed at the top of every page (and so on every report).
#[server(prefix = "/api", endpoint = "admin/unit_name")]
pub async fn set_unit_name(name: String) -> Result<(), AppError> {
    use crate::error::Problem;
    use crate::server::guard::{Permission, require};
    use crate::server::unit;
    let ctx = require(Permission::ManageAccounts).await?;
    let name = akta_domain::text::Name::parse(&name)
        .map_err(|e| AppError::field("unit_name", Problem::from(e)))?;
    ctx.transaction(async |s| unit::set(s.db, Some(s.user), unit::UNIT_NAME, name.as_str()).await)
        .await?;
    tracing::info!(by = %ctx.user.username, name = name.as_str(), "unit name set");
    Ok(())
}
