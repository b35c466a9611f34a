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
        unit_name: crate::server::unit::unit_name(&db).await?,
        reminders: crate::server::audit::reminders::unopened(&db, u.id).await?,
    }))
}

/// Checks the password and starts a new session (a fresh session id, so an id
/// planted before login is worthless). Rate-limited per address by the server.
#[server(prefix = "/api", endpoint = "login")]
pub async fn login(username: String, password: String) -> Result<(), AppError> {
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
    crate::server::throttle::succeeded(&db, &username).await?;
    session
        .cycle_id()
        .await
        .map_err(crate::server::sessions::session_error)?;
    session
        .insert(guard::SESSION_USER_KEY, user.id)
        .await
        .map_err(crate::server::sessions::session_error)?;
    session
        .insert(
            guard::SESSION_STAMP_KEY,
            user.password_changed_at.timestamp_micros(),
        )
        .await
        .map_err(crate::server::sessions::session_error)?;
    guard::log_login(&db, user.id).await?;
    leptos_axum::redirect(crate::api::account::after_login(&user));
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
