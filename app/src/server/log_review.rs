//! Reading the access log (the manager's review): filters, one page, names resolved
//! in batches (no N+1), protected identities masked.

use super::entities::{access_log, case_files, clients};
use crate::error::AppError;
use crate::model::{LogRow, Page};
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use std::collections::{HashMap, HashSet};

/// What the manager narrowed the log down to.
#[derive(Debug, Default)]
pub struct LogFilter {
    pub user_id: Option<i32>,
    /// Free text matching a client's name or number (see `clients::matching`).
    pub client: Option<String>,
    /// Swedish local dates, both included.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// The UTC moment of a Swedish wall-clock time (the earlier one when the clock is
/// turned back).
fn from_swedish(local: NaiveDateTime) -> DateTime<Utc> {
    [2, 1]
        .into_iter()
        .map(|h| (local - Duration::hours(h)).and_utc())
        .find(|utc| super::swedish(*utc) == local)
        .unwrap_or_else(|| (local - Duration::hours(1)).and_utc())
}

fn start_of(day: NaiveDate) -> DateTime<Utc> {
    from_swedish(day.and_hms_opt(0, 0, 0).unwrap_or_default())
}

pub async fn page(
    db: &impl ConnectionTrait,
    filter: &LogFilter,
    page: u64,
    per_page: u64,
    today: NaiveDate,
) -> Result<Page<LogRow>, AppError> {
    let mut query = access_log::Entity::find();
    if let Some(user_id) = filter.user_id {
        query = query.filter(access_log::Column::UserId.eq(user_id));
    }
    if let Some(client) = filter.client.as_deref().filter(|c| !c.trim().is_empty()) {
        query = query.filter(
            access_log::Column::ClientId.in_subquery(super::clients::matching_ids(client, today)),
        );
    }
    if let Some(from) = filter.from {
        query = query.filter(access_log::Column::At.gte(start_of(from)));
    }
    if let Some(to) = filter.to.and_then(|d| d.succ_opt()) {
        query = query.filter(access_log::Column::At.lt(start_of(to)));
    }
    let paginator = query
        .order_by_desc(access_log::Column::At)
        .order_by_desc(access_log::Column::Id)
        .paginate(db, per_page);
    let total = paginator.num_items().await?;
    let lines = paginator.fetch_page(page).await?;

    let user_ids: Vec<i32> = lines
        .iter()
        .map(|l| l.user_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let users = super::clients::display_names(db, user_ids).await?;
    let file_ids: Vec<i32> = lines
        .iter()
        .filter_map(|l| l.case_file_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let files: HashMap<i32, case_files::Model> = case_files::Entity::find()
        .filter(case_files::Column::Id.is_in(file_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f))
        .collect();
    // The client of a line: its own, or its file's.
    let client_of = |l: &access_log::Model| {
        l.client_id.or_else(|| {
            l.case_file_id
                .and_then(|id| files.get(&id))
                .map(|f| f.client_id)
        })
    };
    let client_ids: Vec<i32> = lines
        .iter()
        .filter_map(client_of)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let clients: HashMap<i32, clients::Model> = clients::Entity::find()
        .filter(clients::Column::Id.is_in(client_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();

    let rows = lines
        .iter()
        .map(|l| {
            let local = super::swedish(l.at);
            let client = client_of(l).and_then(|id| clients.get(&id));
            let protected = client.is_some_and(|c| c.protected_identity);
            LogRow {
                date: local.date(),
                time: local.format("%H:%M:%S").to_string(),
                user: users.get(&l.user_id).cloned().unwrap_or_default(),
                action: l.action.clone(),
                client_name: client
                    .filter(|c| !c.protected_identity)
                    .map(|c| format!("{} {}", c.first_name, c.last_name)),
                protected_identity: protected,
                file_id: l
                    .case_file_id
                    .and_then(|id| files.get(&id))
                    .map(|f| f.public_id.clone()),
                detail: l.detail.clone(),
            }
        })
        .collect();
    Ok(Page {
        rows,
        total,
        page,
        per_page,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_midnight_is_the_previous_evening_in_utc() {
        let winter = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        assert_eq!(start_of(winter).to_rfc3339(), "2026-11-22T23:00:00+00:00");
        let summer = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap_or_default();
        assert_eq!(start_of(summer).to_rfc3339(), "2026-06-30T22:00:00+00:00");
    }
}
