//! Reading the access log (the manager's review): filters and ready-made views (the
//! questions HSLF-FS 2016:40 asks), one page, names resolved in batches (no N+1),
//! protected identities masked; and the recorded systematic reviews.

use super::access_log::Action;
use super::entities::{access_log, case_files, clients, log_reviews};
use crate::error::AppError;
use crate::model::log::{LogDetail, LogReviewRow, LogView};
use crate::model::{LogRow, Page};
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder,
};
use std::collections::{HashMap, HashSet};

/// What the manager narrowed the log down to.
#[derive(Debug, Default)]
pub struct LogFilter {
    pub view: LogView,
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
) -> Result<Page<LogRow>, AppError> {
    let mut query = access_log::Entity::find().filter(view_condition(filter.view));
    if let Some(user_id) = filter.user_id {
        query = query.filter(access_log::Column::UserId.eq(user_id));
    }
    if let Some(client) = filter.client.as_deref().filter(|c| !c.trim().is_empty()) {
        query = query
            .filter(access_log::Column::ClientId.in_subquery(super::clients::matching_ids(client)));
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
        .flat_map(|l| [l.user_id, l.account_id])
        .flatten()
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
                user: l
                    .user_id
                    .and_then(|id| users.get(&id))
                    .cloned()
                    .unwrap_or_default(),
                account: l.account_id.and_then(|id| users.get(&id)).cloned(),
                address: l.address.clone(),
                session: l.session.clone(),
                action: l.action.clone(),
                client_name: client
                    .filter(|c| !c.protected_identity)
                    .map(|c| format!("{} {}", c.first_name, c.last_name)),
                protected_identity: protected,
                file_id: l
                    .case_file_id
                    .and_then(|id| files.get(&id))
                    .map(|f| f.public_id.clone()),
                detail: l.detail.as_deref().map(LogDetail::from_stored),
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

fn actions(list: &[Action]) -> Vec<&'static str> {
    list.iter().map(|a| a.as_str()).collect()
}

/// The lines a ready-made view shows.
fn view_condition(view: LogView) -> Condition {
    match view {
        LogView::All => Condition::all(),
        LogView::Refusals => {
            Condition::all().add(access_log::Column::Action.eq(Action::Refused.as_str()))
        }
        LogView::Admin => {
            Condition::all().add(access_log::Column::Action.is_in(actions(&Action::ADMIN)))
        }
        LogView::FailedLogins => {
            Condition::all().add(access_log::Column::Action.is_in(actions(&Action::FAILED_LOGINS)))
        }
        // A line about a client with protected identity: by the client, or by the file.
        LogView::Protected => {
            let protected = Query::select()
                .column(clients::Column::Id)
                .from(clients::Entity)
                .and_where(clients::Column::ProtectedIdentity.eq(true))
                .to_owned();
            let protected_files = Query::select()
                .column(case_files::Column::Id)
                .from(case_files::Entity)
                .and_where(case_files::Column::ClientId.in_subquery(protected.clone()))
                .to_owned();
            Condition::any()
                .add(access_log::Column::ClientId.in_subquery(protected))
                .add(access_log::Column::CaseFileId.in_subquery(protected_files))
        }
        // Client data reached outside office hours (refusals are their own view).
        LogView::OutsideHours => Condition::all()
            .add(access_log::Column::OutsideHours.eq(true))
            .add(access_log::Column::Action.ne(Action::Refused.as_str()))
            .add(
                Condition::any()
                    .add(access_log::Column::ClientId.is_not_null())
                    .add(access_log::Column::CaseFileId.is_not_null()),
            ),
    }
}

/// Records a systematic review of the log inside the caller's transaction.
pub async fn record(
    db: &impl ConnectionTrait,
    reviewer_id: i32,
    from: NaiveDate,
    to: NaiveDate,
    remarks: String,
) -> Result<(), AppError> {
    log_reviews::Entity::insert(log_reviews::ActiveModel {
        reviewed_by: Set(reviewer_id),
        recorded_at: Set(super::now()),
        period_from: Set(from),
        period_to: Set(to),
        remarks: Set(remarks),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The recorded reviews, newest first.
pub async fn reviews(db: &impl ConnectionTrait) -> Result<Vec<LogReviewRow>, AppError> {
    let list = log_reviews::Entity::find()
        .order_by_desc(log_reviews::Column::RecordedAt)
        .order_by_desc(log_reviews::Column::Id)
        .all(db)
        .await?;
    let names = super::clients::display_names(
        db,
        list.iter()
            .map(|r| r.reviewed_by)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect(),
    )
    .await?;
    Ok(list
        .into_iter()
        .map(|r| {
            let local = super::swedish(r.recorded_at);
            LogReviewRow {
                reviewer: names.get(&r.reviewed_by).cloned().unwrap_or_default(),
                recorded_on: local.date(),
                recorded_time: local.format("%H:%M").to_string(),
                from: r.period_from,
                to: r.period_to,
                remarks: r.remarks,
            }
        })
        .collect())
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
