//! One's own account: changing one's password (issue 14, item 10).

use crate::error::AppError;
use leptos::prelude::*;

/// Where a login goes: to the password page first when an administrator set the
/// password, otherwise to the start page.
#[cfg(feature = "ssr")]
pub fn after_login(user: &crate::server::entities::users::Model) -> &'static str {
    if user.must_change_password {
        crate::pages::password::PATH
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
