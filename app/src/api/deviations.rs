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
    use crate::model::log::ListKind;
    use crate::server::deviations;
    use crate::server::guard::{Permission, require};
    use akta_domain::deviations::Kind;
    let ctx = require(Permission::ReadFiles).await?;
    let today = crate::server::today();
    // The unit's deadlines once a day (usually `akta serve` has done it soon after
    // midnight); a change in a file raises its own at once (`guard`), so the list is
    // current.
    deviations::raise_unit_daily(ctx.db(), today).await?;
    let file = file.as_deref().map(str::trim).filter(|f| !f.is_empty());
    let register = deviations::register(
        ctx.db(),
        &ctx.user,
        today,
        StatusFilter::parse(&status),
        Kind::parse(&kind),
        file,
        page,
    )
    .await?;
    ctx.log_listed(
        ListKind::Deviations,
        register.page.rows.iter().map(|r| r.file_id.as_str()),
    )
    .await?;
    Ok(register)
}

/// One deviation; a client deviation with its journal entry.
#[server(prefix = "/api", endpoint = "deviations/view")]
pub async fn get_deviation(deviation: String) -> Result<DeviationView, AppError> {
    use crate::server::access_log::Action;
    use crate::server::deviations::{self, OpenedDeviation};
    use crate::server::guard;
    guard::on::<OpenedDeviation>(&deviation)
        .read(Action::ReadDeviation, async |d| {
            d.detail(d.opened.deviation.public_id.clone());
            deviations::view(d.db, d.opened.deviation.clone(), &d.opened.opened).await
        })
        .await
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
    use crate::server::access_log::Action;
    use crate::server::deviations::{self, OpenedDeviation};
    use crate::server::guard;
    guard::on::<OpenedDeviation>(deviation)
        .change(Action::CloseDeviation, async |d| {
            d.detail(d.opened.deviation.public_id.clone());
            deviations::close(d.db, d.user, &d.opened.deviation, closing).await
        })
        .await
}
