//! Culling (gallring) for the administrator: what is due soon, and the cull log.

use crate::error::AppError;
use crate::model::CullingView;
use leptos::prelude::*;

/// What is due for culling within 90 days and the latest runs. Administrators only;
/// it shows file public ids and dates, never a name or identity number.
#[server(prefix = "/api", endpoint = "culling/overview")]
pub async fn culling_overview() -> Result<CullingView, AppError> {
    use crate::model::{CullRunRow, CullingDueRow};
    use crate::server::culling;
    use crate::server::guard::{Permission, require};
    let ctx = require(Permission::ManageAccounts).await?;
    let today = crate::server::today();
    let horizon = culling::preview_horizon(today);
    let due = culling::due_by(ctx.db(), horizon).await?;
    let runs = culling::recent_runs(ctx.db(), 30).await?;
    Ok(CullingView {
        today,
        horizon,
        overdue: due.iter().filter(|d| d.due <= today).count(),
        due: due
            .into_iter()
            .map(|d| CullingDueRow {
                file: d.public_id,
                closed_on: d.closed_on,
                due_on: d.due,
            })
            .collect(),
        runs: runs
            .into_iter()
            .map(|r| CullRunRow {
                run_on: r.run_on,
                daily: r.kind == "daily",
                started: crate::server::local_time(r.started_at),
                finished: r.finished_at.is_some(),
                files: r.files_culled,
                clients: r.clients_removed,
                entries: r.entries_removed,
                log_lines: r.log_lines_removed,
                earliest_closed_on: r.earliest_closed_on,
                latest_closed_on: r.latest_closed_on,
            })
            .collect(),
    })
}
