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
                second_factor: u.totp_enrolled_at.is_some(),
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
    use crate::model::log::LogDetail;
    use crate::server::access_log::Action;
    use crate::server::guard::{Permission, require};
    use crate::server::users;
    let ctx = require(Permission::ManageAccounts).await?;
    let new = users::NewUser::parse(&username, &display_name, &role, &password)?;
    // Hashed before the transaction, so the slow hashing never holds the write lock.
    let hash = users::hash_password(new.password.clone()).await?;
    let role = new.role;
    let created = ctx
        .change(Action::CreateUser, async |s| {
            let created = users::insert(s.db, new, hash, true).await?;
            s.account(created.id);
            s.log_detail(LogDetail::Role { role });
            Ok(created)
        })
        .await?;
    tracing::info!(by = %ctx.user.username, user = %created.username, "account created");
    Ok(created.username)
}

/// Changes one account in one write transaction with its access-log line naming the
/// account (HSLF-FS 2016:40: who gave whom which access): looks it up by username (an
/// unknown one is "not found"); an administrator may not lock themselves out.
#[cfg(feature = "ssr")]
async fn change_account(
    ctx: &crate::server::guard::Ctx,
    action: crate::server::access_log::Action,
    username: &str,
    touches_own_access: bool,
    detail: Option<crate::model::log::LogDetail>,
    change: impl FnOnce(&mut crate::server::entities::users::ActiveModel),
) -> Result<(), AppError> {
    use crate::error::Problem;
    use crate::server::entities::users;
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};
    ctx.change(action, async |s| {
        let user = users::Entity::find()
            .filter(users::Column::Username.eq(username))
            .one(s.db)
            .await?
            .ok_or(AppError::NotFound)?;
        if touches_own_access && user.id == s.user.id {
            return Err(AppError::field("username", Problem::OwnAccount));
        }
        s.account(user.id);
        if let Some(detail) = detail {
            s.log_detail(detail);
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
    use crate::server::access_log::Action;
    use crate::server::guard::{Permission, require};
    use sea_orm::ActiveValue::Set;
    let ctx = require(Permission::ManageAccounts).await?;
    let role =
        akta_domain::Role::parse(&role).ok_or(AppError::field("role", Problem::InvalidRole))?;
    change_account(
        &ctx,
        Action::ChangeRole,
        &username,
        role != akta_domain::Role::Admin,
        Some(crate::model::log::LogDetail::Role { role }),
        |m| m.role = Set(role.as_str().to_owned()),
    )
    .await?;
    tracing::info!(by = %ctx.user.username, user = %username, role = role.as_str(), "role changed");
    Ok(())
}

#[server(prefix = "/api", endpoint = "admin/set_active")]
pub async fn set_active(username: String, active: bool) -> Result<(), AppError> {
    use crate::server::access_log::Action;
    use crate::server::guard::{Permission, require};
    use sea_orm::ActiveValue::Set;
    let ctx = require(Permission::ManageAccounts).await?;
    let action = if active {
        Action::ActivateUser
    } else {
        Action::DeactivateUser
    };
    change_account(&ctx, action, &username, !active, None, |m| {
        m.active = Set(active)
    })
    .await?;
    tracing::info!(by = %ctx.user.username, user = %username, active, "account (de)activated");
    Ok(())
}

/// Sets a new password, which its owner must change at the next login. Every session
/// of that user ends (the session stamp changes).
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
    let action = crate::server::access_log::Action::ResetPassword;
    change_account(&ctx, action, &username, false, None, |m| {
        m.password_hash = Set(hash);
        m.password_changed_at = Set(crate::server::now());
        m.must_change_password = Set(true);
    })
    .await?;
    tracing::info!(by = %ctx.user.username, user = %username, "password reset");
    Ok(username)
}

/// The unit's name, printed at the top of every page (and so on every report).
#[server(prefix = "/api", endpoint = "admin/unit_name")]
pub async fn set_unit_name(#[server(default)] unit_name: String) -> Result<(), AppError> {
    use crate::error::Problem;
    use crate::server::access_log::Action;
    use crate::server::guard::{Permission, require};
    use crate::server::unit;
    let ctx = require(Permission::ManageAccounts).await?;
    let name = akta_domain::text::Name::parse(&unit_name)
        .map_err(|e| AppError::field("unit_name", Problem::from(e)))?;
    ctx.change(Action::ChangeSettings, async |s| {
        unit::set(s.db, Some(s.user), unit::UNIT_NAME, name.as_str()).await?;
        s.log_detail(crate::model::log::LogDetail::UnitName {
            name: name.as_str().to_owned(),
        });
        Ok(())
    })
    .await?;
    tracing::info!(by = %ctx.user.username, name = name.as_str(), "unit name set");
    Ok(())
}

/// Removes an account's second factor and its recovery codes (a lost phone): the owner
/// enrols a new one at their next request, and no session proves the old one any more.
/// Logged as `reset_second_factor`, naming the account. Not one's own (another
/// administrator does that).
#[server(prefix = "/api", endpoint = "admin/reset_second_factor")]
pub async fn reset_second_factor(username: String) -> Result<String, AppError> {
    use crate::error::Problem;
    use crate::server::access_log::Action;
    use crate::server::entities::users;
    use crate::server::guard::{Permission, require};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let ctx = require(Permission::ManageAccounts).await?;
    ctx.change(Action::ResetSecondFactor, async |s| {
        let user = users::Entity::find()
            .filter(users::Column::Username.eq(username.as_str()))
            .one(s.db)
            .await?
            .ok_or(AppError::NotFound)?;
        if user.id == s.user.id {
            return Err(AppError::field("username", Problem::OwnAccount));
        }
        s.account(user.id);
        crate::server::second_factor::reset(s.db, user.id).await
    })
    .await?;
    tracing::info!(by = %ctx.user.username, user = %username, "second factor reset");
    Ok(username)
}

/// The unit's login rules, for the administrator.
#[server(prefix = "/api", endpoint = "admin/login_settings")]
pub async fn login_settings() -> Result<crate::model::LoginSettings, AppError> {
    use crate::server::guard::{Permission, require};
    let ctx = require(Permission::ManageAccounts).await?;
    Ok(crate::model::LoginSettings {
        staff_second_factor: crate::server::settings::staff_second_factor(ctx.db()).await?,
    })
}

/// Whether staff must have a second factor (managers and administrators always must).
/// Logged as a settings change.
#[server(prefix = "/api", endpoint = "admin/staff_second_factor")]
pub async fn set_staff_second_factor(required: bool) -> Result<(), AppError> {
    use crate::server::access_log::Action;
    use crate::server::guard::{Permission, require};
    let ctx = require(Permission::ManageAccounts).await?;
    ctx.change(Action::ChangeSettings, async |s| {
        crate::server::settings::set_staff_second_factor(s.db, s.user, required).await?;
        s.log_detail(crate::model::log::LogDetail::StaffSecondFactor { required });
        Ok(())
    })
    .await?;
    tracing::info!(by = %ctx.user.username, required, "staff second factor set");
    Ok(())
}
