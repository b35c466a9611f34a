//! The manager's review of the access log.

use crate::error::AppError;
use crate::model::{LogRow, Page, UserOption};
use leptos::prelude::*;

pub const LOG_LINES_PER_PAGE: u64 = 50;

/// Everyone who can appear in the log, for the user filter.
#[server(prefix = "/api", endpoint = "access_log/users")]
pub async fn log_users() -> Result<Vec<UserOption>, AppError> {
    use crate::server::entities::users;
    use crate::server::guard::{Permission, require};
    use sea_orm::{EntityTrait, QueryOrder};
    let ctx = require(Permission::ManageUnit).await?;
    let list = users::Entity::find()
        .order_by_asc(users::Column::DisplayName)
        .all(ctx.db())
        .await?;
    Ok(list.iter().map(crate::server::clients::option).collect())
}

/// One page of the log, newest first, narrowed by user, client (name or number)
/// and a date range. Empty filters mean "all". Reading the log is logged.
#[server(prefix = "/api", endpoint = "access_log/search")]
pub async fn search_log(
    #[server(default)] user: String,
    #[server(default)] client: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] page: u64,
) -> Result<Page<LogRow>, AppError> {
    use crate::error::{Problem, Problems};
    use crate::server::access_log::Action;
    use crate::server::entities::users;
    use crate::server::guard::{Permission, require};
    use crate::server::log_review;
    use akta_domain::assignment::parse_optional_date;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let ctx = require(Permission::ManageUnit).await?;
    let mut problems = Problems::default();
    let from = problems
        .check("from", parse_optional_date(&from), Problem::from)
        .flatten();
    let to = problems
        .check("to", parse_optional_date(&to), Problem::from)
        .flatten();
    if client.chars().count() > 100 {
        problems.add("client", Problem::TooLong { max: 100 });
    }
    problems.into_result()?;
    let user_id = if user.trim().is_empty() {
        None
    } else {
        // An unknown username matches nothing rather than everything.
        Some(
            users::Entity::find()
                .filter(users::Column::Username.eq(user.trim()))
                .one(ctx.db())
                .await?
                .map_or(-1, |u| u.id),
        )
    };
    let filter = log_review::LogFilter {
        user_id,
        client: Some(client),
        from,
        to,
    };
    let page = page.min(1_000_000);
    let result = log_review::page(
        ctx.db(),
        &filter,
        page,
        LOG_LINES_PER_PAGE,
        crate::server::today(),
    )
    .await?;
    // Which filters were used, never the client search itself (it may be a personnummer).
    let used: Vec<&str> = [
        ("user", filter.user_id.is_some()),
        (
            "client",
            filter
                .client
                .as_deref()
                .is_some_and(|c| !c.trim().is_empty()),
        ),
        ("from", filter.from.is_some()),
        ("to", filter.to.is_some()),
    ]
    .into_iter()
    .filter_map(|(name, on)| on.then_some(name))
    .collect();
    let detail = format!(
        "page {}, {} rows, filters: {}",
        page + 1,
        result.rows.len(),
        if used.is_empty() {
            "none".to_owned()
        } else {
            used.join(", ")
        }
    );
    ctx.log(Action::ReviewAccessLog, &detail).await?;
    Ok(result)
}
