//! The manager's review of the access log.

use crate::error::AppError;
use crate::model::log::LogReviewRow;
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

/// One page of the log, newest first, narrowed by a ready-made view (refusals,
/// protected identities, outside office hours, admin events, failed logins), user,
/// client (name or number) and a date range. Empty filters mean "all". Reading the
/// log is logged.
#[server(prefix = "/api", endpoint = "access_log/search")]
pub async fn search_log(
    #[server(default)] view: String,
    #[server(default)] user: String,
    #[server(default)] client: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] page: u64,
) -> Result<Page<LogRow>, AppError> {
    use crate::error::{Problem, Problems};
    use crate::model::log::{LogDetail, LogView};
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
        view: LogView::parse(&view),
        user_id,
        client: Some(client),
        from,
        to,
    };
    let page = page.min(1_000_000);
    let result = log_review::page(ctx.db(), &filter, page, LOG_LINES_PER_PAGE).await?;
    // Which view and page, never the client search itself (it may be a personnummer).
    let detail = LogDetail::LogSearch {
        page: page + 1,
        rows: result.rows.len() as u64,
        view: filter.view,
    };
    ctx.log(Action::ReviewAccessLog, detail).await?;
    Ok(result)
}

/// The systematic reviews of the log recorded so far, newest first.
#[server(prefix = "/api", endpoint = "access_log/reviews")]
pub async fn log_reviews() -> Result<Vec<LogReviewRow>, AppError> {
    use crate::server::guard::{Permission, require};
    let ctx = require(Permission::ManageUnit).await?;
    crate::server::log_review::reviews(ctx.db()).await
}

/// Records that the manager reviewed the log systematically for a period (from and
/// to, both passed; remarks optional): one write transaction with its own log line.
/// A recorded review never changes (database triggers).
#[server(prefix = "/api", endpoint = "access_log/record_review")]
pub async fn record_log_review(
    period_from: String,
    period_to: String,
    #[server(default)] remarks: String,
) -> Result<(), AppError> {
    use crate::error::{Problem, Problems};
    use crate::model::log::LogDetail;
    use crate::server::access_log::Action;
    use crate::server::guard::{Permission, require};
    use akta_domain::assignment::parse_date;
    let ctx = require(Permission::ManageUnit).await?;
    let today = crate::server::today();
    let mut problems = Problems::default();
    let mut date = |field: &str, raw: &str| {
        if raw.trim().is_empty() {
            problems.add(field, Problem::Empty);
            return None;
        }
        let day = problems.check(field, parse_date(raw), Problem::from)?;
        if day > today {
            problems.add(field, Problem::DateInFuture);
            return None;
        }
        Some(day)
    };
    let from = date("period_from", &period_from);
    let to = date("period_to", &period_to);
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        problems.add("period_to", Problem::PeriodEndsBeforeStart);
    }
    let remarks = remarks.trim().to_owned();
    if remarks.chars().count() > REMARKS_MAX {
        problems.add("remarks", Problem::TooLong { max: REMARKS_MAX });
    }
    problems.into_result()?;
    let (Some(from), Some(to)) = (from, to) else {
        return Err(crate::server::internal(
            "record_log_review: checked date missing",
        ));
    };
    ctx.change(Action::RecordLogReview, async |s| {
        crate::server::log_review::record(s.db, s.user.id, from, to, remarks).await?;
        s.log_detail(LogDetail::ReviewPeriod { from, to });
        Ok(())
    })
    .await
}

/// The longest remarks of a recorded review.
pub const REMARKS_MAX: usize = 4000;
