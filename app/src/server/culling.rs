//! Culling (gallring): finding the closed files whose time is up and destroying each with
//! everything that belongs to it.
//!
//! The rules are `akta_domain::culling`; this module only reads what they need (two
//! queries), and destroys one file per transaction. The transaction holds a deletion
//! permit (migration 000005) for the file — and for the client when their last file
//! goes — so the triggers let the signed entries, their goal links and the file's
//! access-log lines go; the permit is removed before the commit. Every run is a row in
//! `cull_log`: counts and dates, never a name, identity number or file id.

use super::entities::{
    access_log, assignments, audit_answers, audit_assignments, audit_judgements,
    audit_year_answers, audit_year_judgements, care_team, case_files, clients, cull_log,
    deviations, final_reports, follow_ups, goals, intake_checks, journal_entries,
    journal_entry_goals, monthly_report_goals, monthly_reports, monthly_reviews, plan_versions,
};
use akta_domain::culling::{self, CullDecision, FileLife};
use chrono::{Days, Months, NaiveDate};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, SqlErr,
};
use std::collections::BTreeMap;

/// How far ahead the administrator's page looks.
pub const PREVIEW_DAYS: u32 = 90;

/// A file whose culling is due on `due` (perhaps already past).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueFile {
    pub file_id: i32,
    pub public_id: String,
    pub closed_on: NaiveDate,
    pub due: NaiveDate,
}

/// What one destroyed file took with it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Destroyed {
    pub entries: u64,
    pub log_lines: u64,
    pub client_removed: bool,
}

/// Who started a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunKind {
    /// The daily job inside `akta serve`: at most one per day, whatever the instances.
    Daily,
    /// `akta cull`.
    Manual,
}

impl RunKind {
    fn as_str(self) -> &'static str {
        match self {
            RunKind::Daily => "daily",
            RunKind::Manual => "manual",
        }
    }
}

/// The outcome of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunOutcome {
    /// A daily run for this day has already been made (by this or another instance).
    AlreadyRan,
    /// Nothing was changed; these files would have been destroyed.
    DryRun(Vec<DueFile>),
    /// The files were destroyed; the counts are in the cull log row too.
    Done(Summary),
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: u64,
    pub clients: u64,
    pub entries: u64,
    pub log_lines: u64,
    /// Files found due that were no longer due inside their transaction (a new file
    /// for the client, or another instance culled it first).
    pub skipped: u64,
}

/// Every file whose culling day is on or before `horizon`, soonest first. Two queries:
/// the clients with a file closed long enough ago, then all their files.
pub async fn due_by(db: &impl ConnectionTrait, horizon: NaiveDate) -> Result<Vec<DueFile>, DbErr> {
    // A file can be due by `horizon` only if some file of its client closed at least
    // five years before it (one day of slack for Feb 29; the rules decide exactly).
    let cutoff = horizon
        .checked_sub_months(Months::new(12 * culling::RETENTION_YEARS))
        .and_then(|d| d.checked_add_days(Days::new(1)))
        .unwrap_or(NaiveDate::MIN);
    let rows: Vec<(i32, NaiveDate)> = clients::Entity::find()
        .select_only()
        .column(clients::Column::Id)
        .column(clients::Column::BirthDate)
        .filter(
            clients::Column::Id.in_subquery(
                Query::select()
                    .column(case_files::Column::ClientId)
                    .from(case_files::Entity)
                    .and_where(case_files::Column::ClosedOn.lte(cutoff))
                    .to_owned(),
            ),
        )
        .into_tuple()
        .all(db)
        .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let born: BTreeMap<i32, NaiveDate> = rows.into_iter().collect();
    let mut files: BTreeMap<i32, Vec<case_files::Model>> = BTreeMap::new();
    let ids: Vec<i32> = born.keys().copied().collect();
    for chunk in ids.chunks(500) {
        for f in case_files::Entity::find()
            .filter(case_files::Column::ClientId.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            files.entry(f.client_id).or_default().push(f);
        }
    }
    let mut due = Vec::new();
    for (client, list) in files {
        let lives: Vec<FileLife<i32>> = list
            .iter()
            .map(|f| FileLife {
                id: f.id,
                closed: f.closed_on,
            })
            .collect();
        let birth = born.get(&client).copied();
        for (f, life) in list.iter().zip(&lives) {
            if let (Some(day), Some(closed_on)) =
                (culling::culling_day(life, birth, &lives), f.closed_on)
                && day <= horizon
            {
                due.push(DueFile {
                    file_id: f.id,
                    public_id: f.public_id.clone(),
                    closed_on,
                    due: day,
                });
            }
        }
    }
    due.sort_by(|a, b| (a.due, &a.public_id).cmp(&(b.due, &b.public_id)));
    Ok(due)
}

/// Destroys one file with everything that belongs to it, in one transaction, if the
/// rules still say so inside it. `run` is the cull log row to count it in.
pub async fn cull_file(
    db: &DatabaseConnection,
    file_id: i32,
    today: NaiveDate,
    run: Option<i32>,
) -> Result<Option<Destroyed>, DbErr> {
    let txn = super::db::begin_write(db).await?;
    let Some(file) = case_files::Entity::find_by_id(file_id).one(&txn).await? else {
        txn.rollback().await?;
        return Ok(None);
    };
    let Some(client) = clients::Entity::find_by_id(file.client_id)
        .one(&txn)
        .await?
    else {
        txn.rollback().await?;
        return Ok(None);
    };
    let siblings = case_files::Entity::find()
        .filter(case_files::Column::ClientId.eq(client.id))
        .all(&txn)
        .await?;
    let lives: Vec<FileLife<i32>> = siblings
        .iter()
        .map(|f| FileLife {
            id: f.id,
            closed: f.closed_on,
        })
        .collect();
    let me = FileLife {
        id: file.id,
        closed: file.closed_on,
    };
    if culling::decide(&me, Some(client.birth_date), &lives, today) != CullDecision::Cull {
        txn.rollback().await?;
        return Ok(None);
    }
    let client_removed = siblings.len() == 1;
    super::permits::for_culling(&txn, file.id, client.id, client_removed).await?;

    // What refers to the file's entries and plan versions goes first: follow-ups (they
    // point at their journal entry), the final report, and the file's audit reviews (a
    // destroyed file leaves no judgement about it behind; old rounds' results shrink).
    follow_ups::Entity::delete_many()
        .filter(follow_ups::Column::CaseFileId.eq(file.id))
        .exec(&txn)
        .await?;
    final_reports::Entity::delete_many()
        .filter(final_reports::Column::CaseFileId.eq(file.id))
        .exec(&txn)
        .await?;
    // The file's deviations (they point at the file and at its entries).
    deviations::Entity::delete_many()
        .filter(deviations::Column::CaseFileId.eq(file.id))
        .exec(&txn)
        .await?;
    // The monthly reviews (they point at their journal entry) and reports (at goals and
    // plan versions).
    monthly_reviews::Entity::delete_many()
        .filter(monthly_reviews::Column::CaseFileId.eq(file.id))
        .exec(&txn)
        .await?;
    monthly_report_goals::Entity::delete_many()
        .filter(
            monthly_report_goals::Column::ReportId.in_subquery(
                Query::select()
                    .column(monthly_reports::Column::Id)
                    .from(monthly_reports::Entity)
                    .and_where(monthly_reports::Column::CaseFileId.eq(file.id))
                    .to_owned(),
            ),
        )
        .exec(&txn)
        .await?;
    monthly_reports::Entity::delete_many()
        .filter(monthly_reports::Column::CaseFileId.eq(file.id))
        .exec(&txn)
        .await?;
    let reviews_of_file = || {
        Query::select()
            .column(audit_assignments::Column::Id)
            .from(audit_assignments::Entity)
            .and_where(audit_assignments::Column::CaseFileId.eq(file.id))
            .to_owned()
    };
    audit_answers::Entity::delete_many()
        .filter(audit_answers::Column::AssignmentId.in_subquery(reviews_of_file()))
        .exec(&txn)
        .await?;
    audit_judgements::Entity::delete_many()
        .filter(audit_judgements::Column::AssignmentId.in_subquery(reviews_of_file()))
        .exec(&txn)
        .await?;
    audit_year_answers::Entity::delete_many()
        .filter(audit_year_answers::Column::AssignmentId.in_subquery(reviews_of_file()))
        .exec(&txn)
        .await?;
    audit_year_judgements::Entity::delete_many()
        .filter(audit_year_judgements::Column::AssignmentId.in_subquery(reviews_of_file()))
        .exec(&txn)
        .await?;
    audit_assignments::Entity::delete_many()
        .filter(audit_assignments::Column::CaseFileId.eq(file.id))
        .exec(&txn)
        .await?;

    let entries_of_file = Query::select()
        .column(journal_entries::Column::Id)
        .from(journal_entries::Entity)
        .and_where(journal_entries::Column::CaseFileId.eq(file.id))
        .to_owned();
    journal_entry_goals::Entity::delete_many()
        .filter(journal_entry_goals::Column::EntryId.in_subquery(entries_of_file))
        .exec(&txn)
        .await?;
    // Corrections point at the entry they correct: delete from the newest end of each
    // chain (an entry no other entry points at) until none is left.
    let mut entries = 0;
    loop {
        let gone = journal_entries::Entity::delete_many()
            .filter(journal_entries::Column::CaseFileId.eq(file.id))
            .filter(
                journal_entries::Column::Id.not_in_subquery(
                    Query::select()
                        .column(journal_entries::Column::CorrectsId)
                        .from(journal_entries::Entity)
                        .and_where(journal_entries::Column::CaseFileId.eq(file.id))
                        .and_where(journal_entries::Column::CorrectsId.is_not_null())
                        .to_owned(),
                ),
            )
            .exec(&txn)
            .await?
            .rows_affected;
        if gone == 0 {
            break;
        }
        entries += gone;
    }
    let versions_of_file = || {
        Query::select()
            .column(plan_versions::Column::Id)
            .from(plan_versions::Entity)
            .and_where(plan_versions::Column::CaseFileId.eq(file.id))
            .to_owned()
    };
    // Sub-goals before their goals.
    loop {
        let gone = goals::Entity::delete_many()
            .filter(goals::Column::PlanVersionId.in_subquery(versions_of_file()))
            .filter(
                goals::Column::Id.not_in_subquery(
                    Query::select()
                        .column(goals::Column::ParentId)
                        .from(goals::Entity)
                        .and_where(goals::Column::ParentId.is_not_null())
                        .to_owned(),
                ),
            )
            .exec(&txn)
            .await?
            .rows_affected;
        if gone == 0 {
            break;
        }
    }
    plan_versions::Entity::delete_many()
        .filter(plan_versions::Column::CaseFileId.eq(file.id))
        .exec(&txn)
        .await?;
    intake_checks::Entity::delete_many()
        .filter(intake_checks::Column::CaseFileId.eq(file.id))
        .exec(&txn)
        .await?;
    care_team::Entity::delete_many()
        .filter(care_team::Column::CaseFileId.eq(file.id))
        .exec(&txn)
        .await?;
    let mut log_lines = access_log::Entity::delete_many()
        .filter(access_log::Column::CaseFileId.eq(file.id))
        .exec(&txn)
        .await?
        .rows_affected;
    case_files::Entity::delete_by_id(file.id).exec(&txn).await?;
    assignments::Entity::delete_by_id(file.assignment_id)
        .exec(&txn)
        .await?;

    if client_removed {
        log_lines += access_log::Entity::delete_many()
            .filter(access_log::Column::ClientId.eq(client.id))
            .exec(&txn)
            .await?
            .rows_affected;
        assignments::Entity::delete_many()
            .filter(assignments::Column::ClientId.eq(client.id))
            .exec(&txn)
            .await?;
        clients::Entity::delete_by_id(client.id).exec(&txn).await?;
    }
    super::permits::clear_culling(&txn, file.id, client.id).await?;

    if let Some(run) = run
        && let Some(row) = cull_log::Entity::find_by_id(run).one(&txn).await?
    {
        let closed = file.closed_on;
        let earliest = match (row.earliest_closed_on, closed) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let latest = match (row.latest_closed_on, closed) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        let mut m = row.clone().into_active_model();
        m.files_culled = Set(row.files_culled.saturating_add(1));
        m.clients_removed = Set(row
            .clients_removed
            .saturating_add(i32::from(client_removed)));
        m.entries_removed = Set(row
            .entries_removed
            .saturating_add(i32::try_from(entries).unwrap_or(i32::MAX)));
        m.log_lines_removed = Set(row
            .log_lines_removed
            .saturating_add(i32::try_from(log_lines).unwrap_or(i32::MAX)));
        m.earliest_closed_on = Set(earliest);
        m.latest_closed_on = Set(latest);
        m.update(&txn).await?;
    }
    txn.commit().await?;
    Ok(Some(Destroyed {
        entries,
        log_lines,
        client_removed,
    }))
}

/// A culling run for `today`. `progress(done, total)` is called after each file.
pub async fn run(
    db: &DatabaseConnection,
    today: NaiveDate,
    kind: RunKind,
    dry_run: bool,
    mut progress: impl FnMut(usize, usize),
) -> Result<RunOutcome, DbErr> {
    let due: Vec<DueFile> = due_by(db, today)
        .await?
        .into_iter()
        .filter(|f| f.due <= today)
        .collect();
    if dry_run {
        return Ok(RunOutcome::DryRun(due));
    }
    // The run's row is written first: for the daily job it is also the claim (a unique
    // index allows one daily row per day), so several instances never run twice.
    let inserted = cull_log::Entity::insert(cull_log::ActiveModel {
        run_on: Set(today),
        kind: Set(kind.as_str().to_owned()),
        started_at: Set(super::now()),
        files_culled: Set(0),
        clients_removed: Set(0),
        entries_removed: Set(0),
        log_lines_removed: Set(0),
        ..Default::default()
    })
    .exec(db)
    .await;
    let run_id = match inserted {
        Ok(r) => r.last_insert_id,
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Ok(RunOutcome::AlreadyRan);
        }
        Err(e) => return Err(e),
    };
    let mut summary = Summary::default();
    let total = due.len();
    for (i, f) in due.iter().enumerate() {
        match cull_file(db, f.file_id, today, Some(run_id)).await? {
            Some(d) => {
                summary.files += 1;
                summary.clients += u64::from(d.client_removed);
                summary.entries += d.entries;
                summary.log_lines += d.log_lines;
            }
            None => summary.skipped += 1,
        }
        progress(i + 1, total);
    }
    if let Some(row) = cull_log::Entity::find_by_id(run_id).one(db).await? {
        let mut m = row.into_active_model();
        m.finished_at = Set(Some(super::now()));
        m.update(db).await?;
    }
    Ok(RunOutcome::Done(summary))
}

/// The newest runs first.
pub async fn recent_runs(
    db: &impl ConnectionTrait,
    limit: u64,
) -> Result<Vec<cull_log::Model>, DbErr> {
    cull_log::Entity::find()
        .order_by_desc(cull_log::Column::StartedAt)
        .order_by_desc(cull_log::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// The last day the administrator's preview covers.
pub fn preview_horizon(today: NaiveDate) -> NaiveDate {
    today
        .checked_add_days(Days::new(u64::from(PREVIEW_DAYS)))
        .unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preview_looks_ninety_days_ahead() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        assert_eq!(
            preview_horizon(today),
            NaiveDate::from_ymd_opt(2027, 2, 21).unwrap_or_default()
        );
    }
}
