//! What is due in each open file, kept as a summary per file (migration 000026): the
//! number of overdue and of due-soon duties, and the earliest of their due days, as of
//! a day. The manager's start page sums them instead of working out the deadlines of
//! every open file of the unit on each load, and reads the deadlines only of the files
//! it lists (`duties::my_work`).
//!
//! A summary is written with the file's facts wherever the deviations are raised
//! (`deviations::raise_with`): after every logged change in the file and by the unit's
//! daily run. "Due soon" and "overdue" move with the days, so a summary holds for its
//! day only; a start page read on a day its files' summaries were not written for
//! writes them first ([`bring_up_to_date`]).

use super::duties::FactsOf;
use super::entities::{case_files, due_summaries};
use super::files::visible_to;
use super::guard::CurrentUser;
use crate::error::AppError;
use akta_domain::Role;
use akta_domain::deadlines::{DueStatus, FileFacts};
use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// A day before any summary (1970-01-01): what a summary that no longer holds is dated.
fn long_ago() -> NaiveDate {
    NaiveDate::default()
}

/// The overdue and due-soon duties of one file on `today`: how many, and the first due.
pub fn summarise(facts: &FileFacts, today: NaiveDate) -> (i32, i32, Option<NaiveDate>) {
    let (mut overdue, mut due_soon, mut first) = (0, 0, None::<NaiveDate>);
    for item in facts.due_items(today) {
        match item.status {
            DueStatus::Overdue => overdue += 1,
            DueStatus::DueSoon => due_soon += 1,
            _ => continue,
        }
        first = Some(first.map_or(item.due, |f| f.min(item.due)));
    }
    (overdue, due_soon, first)
}

/// Writes the summaries of a round of files as of `today`, from their facts: an open
/// file's is written (or written again), a closed file's removed (nothing falls due in
/// it). One statement each.
pub async fn write(
    db: &impl ConnectionTrait,
    today: NaiveDate,
    files: &[case_files::Model],
    facts: &FactsOf,
) -> Result<(), AppError> {
    let closed: Vec<i32> = files
        .iter()
        .filter(|f| f.closed_on.is_some())
        .map(|f| f.id)
        .collect();
    if !closed.is_empty() {
        due_summaries::Entity::delete_many()
            .filter(due_summaries::Column::CaseFileId.is_in(closed))
            .exec(db)
            .await?;
    }
    let rows: Vec<due_summaries::ActiveModel> = files
        .iter()
        .filter(|f| f.closed_on.is_none())
        .filter_map(|f| {
            let (file_facts, _) = facts.get(&f.id)?;
            let (overdue, due_soon, first_due) = summarise(file_facts, today);
            Some(due_summaries::ActiveModel {
                case_file_id: sea_orm::Set(f.id),
                contact_person_id: sea_orm::Set(f.contact_person_id),
                as_of: sea_orm::Set(today),
                first_due: sea_orm::Set(first_due),
                overdue: sea_orm::Set(overdue),
                due_soon: sea_orm::Set(due_soon),
            })
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    due_summaries::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::column(due_summaries::Column::CaseFileId)
                .update_columns([
                    due_summaries::Column::ContactPersonId,
                    due_summaries::Column::AsOf,
                    due_summaries::Column::FirstDue,
                    due_summaries::Column::Overdue,
                    due_summaries::Column::DueSoon,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Makes the summaries of the open files `user` may see hold for `today`, writing those
/// that do not. The manager's are all the unit's: written in full once a day (usually by
/// the daily run), after which nothing is checked until the next day. Until that run, a
/// staff member's few files are checked on each load.
pub async fn bring_up_to_date(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    today: NaiveDate,
) -> Result<(), AppError> {
    // The manager sees every file: their page writes all that is stale, as the run does.
    let whole_unit = user.role == Role::Manager;
    write_unless_noted(db, today, visible_to(user), whole_unit).await
}

/// Writes every open file's summary that does not hold for `today`, unless that was done
/// today already, and notes the day (several instances may run it at once).
pub async fn write_unit_daily(db: &impl ConnectionTrait, today: NaiveDate) -> Result<(), AppError> {
    write_unless_noted(db, today, sea_orm::Condition::all(), true).await
}

/// Unless every summary was noted as written today: writes the stale ones in `scope`,
/// and notes the day when `scope` is the whole unit.
async fn write_unless_noted(
    db: &impl ConnectionTrait,
    today: NaiveDate,
    scope: sea_orm::Condition,
    whole_unit: bool,
) -> Result<(), AppError> {
    if super::settings::due_summaries_on(db).await? >= Some(today) {
        return Ok(());
    }
    write_stale(db, today, scope).await?;
    if whole_unit {
        super::settings::set_due_summaries_on(db, Some(today)).await?;
    }
    Ok(())
}

/// Writes the summary of every open file matching `scope` whose summary is not of
/// `today` (or that has none).
async fn write_stale(
    db: &impl ConnectionTrait,
    today: NaiveDate,
    scope: sea_orm::Condition,
) -> Result<(), AppError> {
    let fresh = Query::select()
        .column(due_summaries::Column::CaseFileId)
        .from(due_summaries::Entity)
        .and_where(due_summaries::Column::AsOf.eq(today))
        .to_owned();
    let stale = case_files::Entity::find()
        .filter(scope)
        .filter(case_files::Column::ClosedOn.is_null())
        .filter(case_files::Column::Id.not_in_subquery(fresh))
        .order_by_asc(case_files::Column::Id)
        .all(db)
        .await?;
    for round in stale.chunks(super::duties::FILES_PER_ROUND) {
        let facts = super::duties::facts_of(db, round).await?;
        write(db, today, round, &facts).await?;
    }
    Ok(())
}

/// No summary holds any longer (the unit's monthly due day changed): each is written
/// again before it is read. Inside the caller's transaction.
pub async fn forget_all(db: &impl ConnectionTrait) -> Result<(), AppError> {
    due_summaries::Entity::update_many()
        .col_expr(due_summaries::Column::AsOf, Expr::value(long_ago()))
        .exec(db)
        .await?;
    super::settings::set_due_summaries_on(db, None).await
}
