//! Logging in and out, and who is logged in.

use crate::error::AppError;
use crate::model::SessionUser;
use leptos::prelude::*;

/// The logged-in user, or `None`. Never an error for "not logged in".
#[server(prefix = "/api", endpoint = "current_user")]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    use crate::server::guard;
    let (db, session) = guard::anonymous().await?;
    let Some(u) = guard::user_of_session(&db, &session).await? else {
        return Ok(None);
    };
    Ok(Some(SessionUser {
        username: u.username,
        display_name: u.display_name,
        role: u.role,
        must_change_password: u.must_change_password,
        must_enrol: u.must_enrol,
        unit_name: crate::server::unit::unit_name(&db).await?,
        reminders: crate::server::audit::reminders::unopened(&db, u.id).await?,
    }))
}

/// What a login asks for next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LoginNext {
    /// Logged in.
    Done,
    /// The password was right; the account's second factor comes next
    /// (`/logga-in/kod`, [`login_code`]).
    Code,
}

/// A login between its password and its code, kept in the session (never the user's
/// id as logged in: nothing but [`login_code`] reads it).
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Pending {
    user_id: i32,
    /// The account's password stamp when the password was checked.
    stamp: i64,
    /// When (Unix seconds): the code must follow within [`PENDING_SECONDS`].
    at: i64,
}

/// How long the code step may follow the password step.
#[cfg(feature = "ssr")]
const PENDING_SECONDS: i64 = 5 * 60;

/// Checks the password. An account without a second factor is logged in in a new
/// session (a fresh session id, so an id planted before login is worthless); one with
/// a second factor is sent on to the code, and its failure count (the per-username
/// throttle) stays until the code is right, so the password cannot reset the count
/// of wrong codes. Rate-limited per address by the server.
#[server(prefix = "/api", endpoint = "login")]
pub async fn login(username: String, password: String) -> Result<LoginNext, AppError> {
    use crate::server::sessions::session_error;
    use crate::server::{guard, users};
    let (db, session) = guard::anonymous().await?;
    if username.len() > 200 || password.len() > akta_domain::text::PASSWORD_MAX * 4 {
        guard::log_failed_login(&db, &username.chars().take(60).collect::<String>()).await?;
        return Err(AppError::InvalidCredentials);
    }
    // The account waits after repeated failures (kept in the database, so it holds
    // across instances); the HTTP layer logs the refusal (429).
    crate::server::throttle::check(&db, &username).await?;
    let Some(user) = users::verify_login(&db, &username, &password).await? else {
        tracing::info!("failed login");
        guard::log_failed_login(&db, &username).await?;
        crate::server::throttle::failed(&db, &username).await?;
        return Err(AppError::InvalidCredentials);
    };
    // A fresh id, and nothing of whoever used this browser before.
    session.cycle_id().await.map_err(session_error)?;
    session.clear().await;
    if user.totp_enrolled_at.is_some() {
        let pending = Pending {
            user_id: user.id,
            stamp: user.password_changed_at.timestamp_micros(),
            at: crate::server::now().timestamp(),
        };
        session
            .insert(guard::SESSION_PENDING_KEY, pending)
            .await
            .map_err(session_error)?;
        leptos_axum::redirect(crate::pages::login::CODE_PATH);
        return Ok(LoginNext::Code);
    }
    crate::server::throttle::succeeded(&db, &username).await?;
    start_session(&session, &user, None).await?;
    guard::log_login(&db, user.id, None).await?;
    let role = akta_domain::Role::parse(&user.role).ok_or(AppError::Internal)?;
    let must_enrol = crate::server::second_factor::must_enrol(&db, &user, role).await?;
    leptos_axum::redirect(crate::api::account::after_login(&user, must_enrol));
    Ok(LoginNext::Done)
}

/// The login's second step: a code from the authenticator app, or one of the
/// account's recovery codes (used up). A wrong or reused code is a failed login
/// (logged, and counted by the per-username throttle); a right one starts the session.
#[server(prefix = "/api", endpoint = "login/code")]
pub async fn login_code(code: String) -> Result<(), AppError> {
    use crate::model::log::{Factor, LogDetail};
    use crate::server::entities::users;
    use crate::server::sessions::session_error;
    use crate::server::{guard, second_factor, throttle};
    use sea_orm::EntityTrait;
    let (db, session) = guard::anonymous().await?;
    let pending: Option<Pending> = session
        .get(guard::SESSION_PENDING_KEY)
        .await
        .map_err(session_error)?;
    let now = crate::server::now().timestamp();
    let Some(pending) = pending.filter(|p| (0..=PENDING_SECONDS).contains(&(now - p.at))) else {
        return Err(AppError::LoginRestart);
    };
    let user = users::Entity::find_by_id(pending.user_id)
        .one(&db)
        .await?
        .filter(|u| u.active && u.password_changed_at.timestamp_micros() == pending.stamp)
        .ok_or(AppError::LoginRestart)?;
    throttle::check(&db, &user.username).await?;
    let code = code.chars().take(64).collect::<String>();
    let factor = if second_factor::accept_code(&db, &user, &code).await? {
        Some(Factor::App)
    } else if second_factor::use_recovery_code(&db, user.id, &code).await? {
        let left = second_factor::recovery_codes_left(&db, user.id).await?;
        Some(Factor::RecoveryCode { left })
    } else {
        None
    };
    let Some(factor) = factor else {
        tracing::info!("failed second factor");
        guard::log_failed_code(&db, user.id).await?;
        throttle::failed(&db, &user.username).await?;
        return Err(AppError::field("code", crate::error::Problem::CodeWrong));
    };
    throttle::succeeded(&db, &user.username).await?;
    session.cycle_id().await.map_err(session_error)?;
    session.clear().await;
    start_session(&session, &user, user.totp_enrolled_at).await?;
    guard::log_login(&db, user.id, Some(LogDetail::LoginFactor { factor })).await?;
    leptos_axum::redirect(crate::api::account::after_login(&user, false));
    Ok(())
}

/// Marks the session as the user's: their id, password stamp and, for an account with a
/// second factor, the enrolment its code proved.
#[cfg(feature = "ssr")]
async fn start_session(
    session: &tower_sessions::Session,
    user: &crate::server::entities::users::Model,
    factor: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<(), AppError> {
    use crate::server::guard;
    use crate::server::sessions::session_error;
    session
        .insert(guard::SESSION_USER_KEY, user.id)
        .await
        .map_err(session_error)?;
    session
        .insert(
            guard::SESSION_STAMP_KEY,
            user.password_changed_at.timestamp_micros(),
        )
        .await
        .map_err(session_error)?;
    if let Some(enrolled) = factor {
        session
            .insert(guard::SESSION_FACTOR_KEY, enrolled.timestamp_micros())
            .await
            .map_err(session_error)?;
    }
    Ok(())
}

/// Ends the session everywhere it is stored.
#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::server::guard;
    let ctx = guard::require(guard::Permission::OwnAccount).await?;
    ctx.log_logout().await?;
    ctx.session
        .flush()
        .await
        .map_err(crate::server::sessions::session_error)?;
    leptos_axum::redirect("/logga-in?utloggad=1");
    Ok(())
}
