//! One's own account: changing one's password (issue 14, item 10).

use crate::error::AppError;
use leptos::prelude::*;

/// Where a login goes: to the password page first when an administrator set the
/// password, then to enrol a second factor when the role needs one and the account has
/// none, otherwise to the start page.
#[cfg(feature = "ssr")]
pub fn after_login(user: &crate::server::entities::users::Model, must_enrol: bool) -> &'static str {
    if user.must_change_password {
        crate::pages::password::PATH
    } else if must_enrol {
        crate::pages::second_factor::PATH
    } else {
        "/"
    }
}

/// Changes the caller's own password, given the current one. Allowed also while an
/// administrator-set password must be changed (it is the way out). Every other session
/// of the user ends (their stamp no longer matches); this one gets the new stamp and a
/// fresh id. Logged as `change_password`.
#[server(prefix = "/api", endpoint = "account/change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    new_password_again: String,
) -> Result<(), AppError> {
    use crate::server::guard::{self, Permission, require};
    let ctx = require(Permission::OwnAccount).await?;
    let limit = akta_domain::text::PASSWORD_MAX * 4;
    if current_password.len() > limit || new_password_again.len() > limit {
        return Err(AppError::field(
            "new_password",
            crate::error::Problem::PasswordLong {
                max: akta_domain::text::PASSWORD_MAX,
            },
        ));
    }
    let stamp = crate::server::users::change_own_password(
        ctx.db(),
        ctx.user.id,
        &current_password,
        &new_password,
        &new_password_again,
    )
    .await?;
    ctx.session
        .cycle_id()
        .await
        .map_err(crate::server::sessions::session_error)?;
    ctx.session
        .insert(guard::SESSION_STAMP_KEY, stamp.timestamp_micros())
        .await
        .map_err(crate::server::sessions::session_error)?;
    tracing::info!(user = %ctx.user.username, "own password changed");
    Ok(())
}

/// One's own second factor: whether it is enrolled (and since when), how many recovery
/// codes are left, and whether one's role needs it.
#[server(prefix = "/api", endpoint = "account/second_factor")]
pub async fn second_factor() -> Result<crate::model::SecondFactorState, AppError> {
    use crate::server::entities::users;
    use crate::server::guard::{Permission, require};
    use crate::server::second_factor;
    use sea_orm::EntityTrait;
    let ctx = require(Permission::OwnAccount).await?;
    let user = users::Entity::find_by_id(ctx.user.id)
        .one(ctx.db())
        .await?
        .ok_or(AppError::NotLoggedIn)?;
    let required = match user.totp_enrolled_at {
        Some(_) => ctx
            .user
            .role
            .needs_second_factor(crate::server::settings::staff_second_factor(ctx.db()).await?),
        None => ctx.user.must_enrol,
    };
    Ok(crate::model::SecondFactorState {
        enrolled_on: user
            .totp_enrolled_at
            .map(|at| crate::server::swedish(at).date()),
        recovery_codes_left: second_factor::recovery_codes_left(ctx.db(), ctx.user.id).await?,
        required,
    })
}

/// Starts enrolling an authenticator app: a new secret, kept in the session until its
/// first code confirms it, shown as a QR code and as text. Only for an account without
/// one (a lost phone is the administrator's reset).
#[server(prefix = "/api", endpoint = "account/second_factor/begin")]
pub async fn begin_second_factor() -> Result<crate::model::SecondFactorOffer, AppError> {
    use crate::server::entities::users;
    use crate::server::guard::{self, Permission, require};
    use crate::server::second_factor;
    use sea_orm::EntityTrait;
    let ctx = require(Permission::OwnAccount).await?;
    let user_id = ctx.user.id;
    // An account with a second factor is refused (and the refusal logged).
    let user = ctx
        .transaction(async |s| {
            let user = users::Entity::find_by_id(user_id)
                .one(s.db)
                .await?
                .ok_or(AppError::NotLoggedIn)?;
            match user.totp_enrolled_at {
                Some(_) => Err(AppError::Forbidden),
                None => Ok(user),
            }
        })
        .await?;
    let secret = second_factor::new_secret();
    let offer = second_factor::offer(&secret, &user.username)?;
    ctx.session
        .insert(guard::SESSION_ENROL_KEY, secret)
        .await
        .map_err(crate::server::sessions::session_error)?;
    Ok(offer)
}

/// Confirms the enrolment with the app's first code: the secret is the account's from
/// now on, with ten new recovery codes, returned once (only their hashes are kept).
/// Logged as `enrol_second_factor` in the same transaction; this session counts as one
/// that proved the factor, and gets a fresh id.
#[server(prefix = "/api", endpoint = "account/second_factor/confirm")]
pub async fn confirm_second_factor(code: String) -> Result<Vec<String>, AppError> {
    use crate::server::access_log::Action;
    use crate::server::entities::users;
    use crate::server::guard::{self, Permission, require};
    use crate::server::second_factor;
    use crate::server::sessions::session_error;
    use sea_orm::EntityTrait;
    let ctx = require(Permission::OwnAccount).await?;
    let secret: Option<String> = ctx
        .session
        .get(guard::SESSION_ENROL_KEY)
        .await
        .map_err(session_error)?;
    let Some(secret) = secret else {
        return Err(AppError::field(
            "code",
            crate::error::Problem::EnrolmentRestart,
        ));
    };
    let code = code.chars().take(64).collect::<String>();
    let user_id = ctx.user.id;
    let (enrolled_at, codes) = ctx
        .change(Action::EnrolSecondFactor, async |s| {
            let user = users::Entity::find_by_id(user_id)
                .one(s.db)
                .await?
                .ok_or(AppError::NotLoggedIn)?;
            if user.totp_enrolled_at.is_some() {
                return Err(AppError::Forbidden);
            }
            s.account(user_id);
            second_factor::confirm(s.db, &user, &secret, &code).await
        })
        .await?;
    ctx.session.cycle_id().await.map_err(session_error)?;
    ctx.session
        .remove::<String>(guard::SESSION_ENROL_KEY)
        .await
        .map_err(session_error)?;
    ctx.session
        .insert(guard::SESSION_FACTOR_KEY, enrolled_at.timestamp_micros())
        .await
        .map_err(session_error)?;
    tracing::info!(user = %ctx.user.username, "second factor enrolled");
    Ok(codes)
}
