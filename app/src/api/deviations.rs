//! The deviation register: the list (with the manager's overview), one deviation,
//! and closing it.
//!
//! Plain form posts (URL-encoded), so the forms work before the page has hydrated.
//! Every read of client data and every change is logged.

use crate::error::AppError;
use crate::model::deviations::{DeviationRegister, DeviationView};
use leptos::prelude::*;

/// The register: deviations in the files the user may see (staff: their own; the
/// manager: the unit's, with counts and the trend), newest first. Raises what is
/// missing first, so the list is current. Names clients: logged.
#[server(prefix = "/api", endpoint = "deviations/register")]
pub async fn list_deviations(
    status: String,
    kind: String,
    file: Option<String>,
    page: u64,
) -> Result<DeviationRegister, AppError> {
    use crate::model::deviations::StatusFilter;
    use crate::server::guard::{Permission, require};
    use crate::server::{access_log, deviations, files};
    use akta_domain::deviations::Kind;
    let ctx = require(Permission::ReadFiles).await?;
    let today = crate::server::today();
    deviations::raise(&ctx.db, today, files::visible_to(&ctx.user)).await?;
    let file = file.as_deref().map(str::trim).filter(|f| !f.is_empty());
    let register = deviations::register(
        &ctx.db,
        &ctx.user,
        today,
        StatusFilter::parse(&status),
        Kind::parse(&kind),
        file,
        page,
    )
    .await?;
    access_log::write(
        &ctx.db,
        access_log::Entry {
            user_id: ctx.user.id,
            action: access_log::Action::ListFiles,
            client_id: None,
            case_file_id: None,
            detail: Some(&format!(
                "deviation register, page {}, {} rows",
                register.page.page + 1,
                register.page.rows.len()
            )),
        },
    )
    .await
    .map_err(crate::server::internal)?;
    Ok(register)
}

/// One deviation; a client deviation with its journal entry.
#[server(prefix = "/api", endpoint = "deviations/view")]
pub async fn get_deviation(deviation: String) -> Result<DeviationView, AppError> {
    use crate::server::access_log::{self, Action};
    use crate::server::deviations;
    use crate::server::guard::{Permission, require};
    let ctx = require(Permission::ReadFiles).await?;
    let (model, opened) = deviations::open_deviation(&ctx.db, &ctx.user, &deviation).await?;
    let view = deviations::view(&ctx.db, model, &opened).await?;
    access_log::on_file(
        &ctx.db,
        ctx.user.id,
        Action::ReadDeviation,
        &opened,
        Some(&deviation),
    )
    .await?;
    Ok(view)
}

/// Closes a deviation of the unit: the reason and the actions that make a repeat
/// less likely are both required.
#[server(prefix = "/api", endpoint = "deviations/close_unit")]
pub async fn close_unit_deviation(
    deviation: String,
    reason: String,
    actions: String,
) -> Result<(), AppError> {
    use crate::server::deviations::Closing;
    let closing = Closing::Unit {
        reason: &reason,
        actions: &actions,
    };
    close(&deviation, closing).await
}

/// Closes a deviation of the client with the action taken.
#[server(prefix = "/api", endpoint = "deviations/close_client")]
pub async fn close_client_deviation(
    deviation: String,
    action_taken: String,
) -> Result<(), AppError> {
    use crate::server::deviations::Closing;
    close(
        &deviation,
        Closing::Client {
            action_taken: &action_taken,
        },
    )
    .await
}

#[cfg(feature = "ssr")]
async fn close(
    deviation: &str,
    closing: crate::server::deviations::Closing<'_>,
) -> Result<(), AppError> {
    use crate::server::access_log::{self, Action};
    use crate::server::deviations;
    use crate::server::guard::{Permission, require};
    let ctx = require(Permission::ReadFiles).await?;
    let (model, opened) = deviations::open_deviation(&ctx.db, &ctx.user, deviation).await?;
    deviations::close(&ctx.db, &ctx.user, &model, closing).await?;
    access_log::on_file(
        &ctx.db,
        ctx.user.id,
        Action::CloseDeviation,
        &opened,
        Some(deviation),
    )
    .await
}
