//! The deviation register (avvikelser): raising deviations, the register with the
//! manager's overview, and closing them.
//!
//! Which missed deadlines are deviations is `akta_domain::deviations`; this module
//! gathers each file's facts (through `duties::facts_of`, a fixed number of queries per
//! round of files) and stores what is missing. Raising is idempotent: unique indexes
//! and inserts that skip conflicts let any number of instances raise at once.
//!
//! Closing a deviation of a closed file is allowed: a closed file's *documentation* is
//! read-only, but the register is the unit's own quality record, and a deviation found
//! after the closing still needs its reason and preventive actions.

use super::duties::FILES_PER_ROUND;
use super::entities::{case_files, clients, deviations, journal_entries, users};
use super::files::visible_to;
use super::guard::{CurrentUser, Named, Permission, Refusal, Target};
use super::journal::OpenedFile;
use crate::error::{AppError, Problem, Problems};
use crate::model::Page;
use crate::model::deviations::{
    DeviationRegister, DeviationRow, DeviationSummary, DeviationView, KindCount, MonthCount,
    StatusFilter,
};
use akta_domain::deadlines::{Duty, YearMonth};
use akta_domain::deviations::{
    DeviationText, Kind, UnitClosing, look_back_from, missed_deadlines, per_month,
};
use chrono::{DateTime, Days, NaiveDate, Utc};
use sea_orm::sea_query::{OnConflict, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, TryInsertResult,
};
use std::collections::{HashMap, HashSet};

/// Rows per page of the register.
pub const PER_PAGE: u64 = 25;
/// Rows per INSERT (under both databases' bind-parameter limits).
const ROWS_PER_INSERT: usize = 200;
/// Months in the manager's trend.
pub const TREND_MONTHS: u32 = 12;

const OPEN: &str = "open";
const CLOSED: &str = "closed";

/// Raises every deviation that is missing in the files matching `scope` (a condition
/// on `case_files`), as of `today`. Returns how many were raised.
pub async fn raise(
    db: &impl ConnectionTrait,
    today: NaiveDate,
    scope: Condition,
) -> Result<u64, AppError> {
    raise_with(db, today, super::now(), scope, &mut super::ids::public_id).await
}

/// Raises every file's missing deviations unless that was done today already (by the
/// daily run of `akta serve` or an earlier reading): the whole unit's deadlines are
/// not worked out again on every read of the register. What a change in a file makes
/// missing is raised by [`raise_file`] when the change is made, so the register stays
/// current between the full runs; a full run only adds what the passing of days made
/// late.
pub async fn raise_unit_daily(
    db: &impl ConnectionTrait,
    today: NaiveDate,
) -> Result<u64, AppError> {
    if super::settings::deviations_raised_on(db).await? >= Some(today) {
        return Ok(0);
    }
    raise_unit(db, today).await
}

/// Raises every file's missing deviations and notes the day (several instances may run
/// it at once: raising is idempotent).
pub async fn raise_unit(db: &impl ConnectionTrait, today: NaiveDate) -> Result<u64, AppError> {
    let raised = raise(db, today, Condition::all()).await?;
    super::settings::set_deviations_raised_on(db, today).await?;
    // Every open file's due summary was written with its deviations.
    super::settings::set_due_summaries_on(db, Some(today)).await?;
    Ok(raised)
}

/// Raises what is missing in one file, after a change in it (a signed entry, a plan, a
/// follow-up, a closing, a new file with an earlier start).
pub async fn raise_file(
    db: &impl ConnectionTrait,
    today: NaiveDate,
    file: i32,
) -> Result<u64, AppError> {
    raise(
        db,
        today,
        Condition::all().add(case_files::Column::Id.eq(file)),
    )
    .await
}

/// [`raise`] with the moment and the public ids given (the demo generator is deterministic).
pub async fn raise_with(
    db: &impl ConnectionTrait,
    today: NaiveDate,
    now: DateTime<Utc>,
    scope: Condition,
    public_id: &mut (dyn FnMut() -> String + Send),
) -> Result<u64, AppError> {
    let from = look_back_from(today);
    // Signings before this moment cannot fill a week whose Sunday is in the window (a day
    // of margin for the Swedish offset).
    let signed_from = from
        .checked_sub_days(Days::new(akta_domain::deadlines::ENTRY_EVERY_DAYS + 1))
        .unwrap_or(from)
        .and_time(chrono::NaiveTime::MIN)
        .and_utc();
    let files = case_files::Entity::find()
        .filter(scope)
        .filter(
            Condition::any()
                .add(case_files::Column::ClosedOn.is_null())
                .add(case_files::Column::ClosedOn.gte(from)),
        )
        .order_by_asc(case_files::Column::Id)
        .all(db)
        .await?;
    let mut raised = 0;
    for round in files.chunks(FILES_PER_ROUND) {
        let ids: Vec<i32> = round.iter().map(|f| f.id).collect();
        let mut facts = super::duties::facts_of(db, round).await?;
        // The start page's summaries come from the same facts, before the weekly rule's
        // signings are narrowed to the window below.
        super::due_summary::write(db, today, round, &facts).await?;
        for (file_facts, _) in facts.values_mut() {
            file_facts.signing_days.clear();
        }
        // The weekly rule counts the day of signing (Swedish date), not the event date.
        let signings: Vec<(i32, DateTime<Utc>)> = super::duties::signed_entries(ids.clone())
            .select_only()
            .column(journal_entries::Column::CaseFileId)
            .column(journal_entries::Column::SignedAt)
            .filter(journal_entries::Column::SignedAt.gte(signed_from))
            .into_tuple()
            .all(db)
            .await?;
        for (file, at) in signings {
            if let Some((file_facts, _)) = facts.get_mut(&file) {
                file_facts.signing_days.push(super::swedish(at).date());
            }
        }
        // Stored unit deviations: file, duty, due day and, for a monthly duty, its month.
        // A row raised before the month was kept (migration 000022) has none and
        // stands for every month of its file, duty and day.
        let known: HashSet<(i32, String, NaiveDate, Option<String>)> = deviations::Entity::find()
            .select_only()
            .column(deviations::Column::CaseFileId)
            .column(deviations::Column::Duty)
            .column(deviations::Column::DueOn)
            .column(deviations::Column::Month)
            .filter(deviations::Column::CaseFileId.is_in(ids.clone()))
            .filter(deviations::Column::Kind.eq(Kind::Unit.as_str()))
            .filter(deviations::Column::DueOn.gte(from))
            .into_tuple::<(i32, Option<String>, NaiveDate, Option<String>)>()
            .all(db)
            .await?
            .into_iter()
            .filter_map(|(file, duty, due, month)| duty.map(|duty| (file, duty, due, month)))
            .collect();

        // A month's review or report already raised under another due day (the unit
        // changed its setting) is not raised again on the new day.
        let raised_in: HashSet<(i32, &str, YearMonth)> = known
            .iter()
            .map(|(file, duty, due, _)| (*file, duty.as_str(), YearMonth::of(*due)))
            .collect();
        let mut unit_rows = Vec::new();
        for file in round {
            let Some((file_facts, _)) = facts.get(&file.id) else {
                continue;
            };
            for missed in missed_deadlines(file_facts, today) {
                let month = missed.duty.month().map(|m| m.to_string());
                let key = (file.id, missed.duty.key().to_owned(), missed.due, month);
                let legacy = (key.0, key.1.clone(), key.2, None);
                if known.contains(&key) || known.contains(&legacy) {
                    continue;
                }
                if let Duty::MonthlyReview(month) | Duty::MonthlyReport(month) = missed.duty {
                    // Due in the next month on the unit's day, unless the file closed by
                    // then (a closing day is no due day of another setting).
                    let next = month.next();
                    let on_a_due_day = file.closed_on.is_none_or(|c| c > next.last_day());
                    if on_a_due_day && raised_in.contains(&(file.id, missed.duty.key(), next)) {
                        continue;
                    }
                }
                unit_rows.push(new_row(
                    public_id(),
                    Kind::Unit,
                    file.id,
                    (Some(key.1), key.3),
                    missed.due,
                    None,
                    now,
                ));
            }
        }
        for chunk in unit_rows.chunks(ROWS_PER_INSERT) {
            raised += inserted(
                // The key's unique index is on an expression (the month may be
                // missing), which an ON CONFLICT target cannot name: any conflict.
                deviations::Entity::insert_many(chunk.to_vec())
                    .on_conflict(OnConflict::new().do_nothing().to_owned())
                    .try_insert()
                    .exec_without_returning(db)
                    .await?,
            );
        }

        // The client's deviations: signed entries of that category, not yet in the
        // register. A correction describes the same event, so only originals count.
        let in_register = Query::select()
            .column(deviations::Column::JournalEntryId)
            .from(deviations::Entity)
            .and_where(deviations::Column::JournalEntryId.is_not_null())
            .to_owned();
        let entries: Vec<(i32, i32, NaiveDate)> = journal_entries::Entity::find()
            .select_only()
            .column(journal_entries::Column::Id)
            .column(journal_entries::Column::CaseFileId)
            .column(journal_entries::Column::EventDate)
            .filter(journal_entries::Column::CaseFileId.is_in(ids))
            .filter(journal_entries::Column::Status.eq("signed"))
            .filter(
                journal_entries::Column::Category
                    .eq(akta_domain::journal::EntryCategory::Deviation.as_str()),
            )
            .filter(journal_entries::Column::CorrectsId.is_null())
            .filter(journal_entries::Column::EventDate.gte(from))
            .filter(journal_entries::Column::Id.not_in_subquery(in_register))
            .into_tuple()
            .all(db)
            .await?;
        let client_rows: Vec<deviations::ActiveModel> = entries
            .into_iter()
            .map(|(entry, file, day)| {
                new_row(
                    public_id(),
                    Kind::Client,
                    file,
                    (None, None),
                    day,
                    Some(entry),
                    now,
                )
            })
            .collect();
        for chunk in client_rows.chunks(ROWS_PER_INSERT) {
            raised += inserted(
                deviations::Entity::insert_many(chunk.to_vec())
                    .on_conflict_do_nothing_on([deviations::Column::JournalEntryId])
                    .exec_without_returning(db)
                    .await?,
            );
        }
    }
    Ok(raised)
}

fn inserted(result: TryInsertResult<u64>) -> u64 {
    match result {
        TryInsertResult::Inserted(n) => n,
        TryInsertResult::Empty | TryInsertResult::Conflicted => 0,
    }
}

fn new_row(
    public_id: String,
    kind: Kind,
    case_file_id: i32,
    (duty, month): (Option<String>, Option<String>),
    due_on: NaiveDate,
    journal_entry_id: Option<i32>,
    now: DateTime<Utc>,
) -> deviations::ActiveModel {
    deviations::ActiveModel {
        public_id: Set(public_id),
        kind: Set(kind.as_str().to_owned()),
        case_file_id: Set(case_file_id),
        duty: Set(duty),
        month: Set(month),
        due_on: Set(due_on),
        journal_entry_id: Set(journal_entry_id),
        raised_at: Set(now),
        status: Set(OPEN.to_owned()),
        reason: Set(None),
        actions: Set(None),
        action_taken: Set(None),
        closed_by: Set(None),
        closed_at: Set(None),
        ..Default::default()
    }
}

/// Deviations in the files the user may see. The manager sees every file of the unit,
/// so no condition at all: `IN (SELECT id FROM case_files)` would read every file of
/// the unit for each count and page.
fn of_visible_files(user: &CurrentUser) -> Condition {
    if user.role == akta_domain::Role::Manager {
        return Condition::all();
    }
    Condition::all().add(
        deviations::Column::CaseFileId.in_subquery(
            Query::select()
                .column(case_files::Column::Id)
                .from(case_files::Entity)
                .cond_where(visible_to(user))
                .to_owned(),
        ),
    )
}

/// One page of the register: the deviations in the files the user may see (staff:
/// their files; the manager: the unit's), newest first; the manager's overview too.
pub async fn register(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    today: NaiveDate,
    status: StatusFilter,
    kind: Option<Kind>,
    file: Option<&str>,
    page: u64,
) -> Result<DeviationRegister, AppError> {
    let mut query = deviations::Entity::find().filter(of_visible_files(user));
    if let Some(file) = file {
        query = query.filter(
            deviations::Column::CaseFileId.in_subquery(
                Query::select()
                    .column(case_files::Column::Id)
                    .from(case_files::Entity)
                    .and_where(case_files::Column::PublicId.eq(file))
                    .to_owned(),
            ),
        );
    }
    match status {
        StatusFilter::Open => query = query.filter(deviations::Column::Status.eq(OPEN)),
        StatusFilter::Closed => query = query.filter(deviations::Column::Status.eq(CLOSED)),
        StatusFilter::All => {}
    }
    if let Some(kind) = kind {
        query = query.filter(deviations::Column::Kind.eq(kind.as_str()));
    }
    let paginator = query
        .order_by_desc(deviations::Column::DueOn)
        .order_by_desc(deviations::Column::Id)
        .paginate(db, PER_PAGE);
    let total = paginator.num_items().await?;
    let models = paginator.fetch_page(page).await?;
    let rows = rows_of(db, models).await?;
    let summary = if user.role == akta_domain::Role::Manager {
        Some(summary(db, user, today).await?)
    } else {
        None
    };
    Ok(DeviationRegister {
        today,
        status,
        kind: kind.map(|k| k.as_str().to_owned()).unwrap_or_default(),
        file: file.map(str::to_owned),
        page: Page {
            rows,
            total,
            page,
            per_page: PER_PAGE,
        },
        summary,
    })
}

/// Rows with their files, clients and contact persons: three queries for any number.
async fn rows_of(
    db: &impl ConnectionTrait,
    models: Vec<deviations::Model>,
) -> Result<Vec<DeviationRow>, AppError> {
    let files: HashMap<i32, case_files::Model> = case_files::Entity::find()
        .filter(case_files::Column::Id.is_in(models.iter().map(|d| d.case_file_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f))
        .collect();
    let clients: HashMap<i32, clients::Model> = clients::Entity::find()
        .filter(clients::Column::Id.is_in(files.values().map(|f| f.client_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let names = user_names(db, files.values().map(|f| f.contact_person_id)).await?;
    Ok(models
        .into_iter()
        .filter_map(|d| {
            let file = files.get(&d.case_file_id)?;
            Some(row_of(d, file, clients.get(&file.client_id), &names))
        })
        .collect())
}

fn row_of(
    d: deviations::Model,
    file: &case_files::Model,
    client: Option<&clients::Model>,
    names: &HashMap<i32, String>,
) -> DeviationRow {
    let protected = client.is_none_or(|c| c.protected_identity);
    DeviationRow {
        deviation_id: d.public_id,
        kind: d.kind,
        file_id: file.public_id.clone(),
        client_name: client
            .filter(|_| !protected)
            .map(|c| format!("{} {}", c.first_name, c.last_name)),
        protected_identity: protected,
        contact_person: names
            .get(&file.contact_person_id)
            .cloned()
            .unwrap_or_default(),
        duty: d.duty,
        month: d.month,
        due_on: d.due_on,
        raised_on: super::swedish(d.raised_at).date(),
        open: d.status == OPEN,
        closed_on: d.closed_at.map(|at| super::swedish(at).date()),
    }
}

async fn user_names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, String>, AppError> {
    let ids: Vec<i32> = ids.into_iter().collect();
    Ok(users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect())
}

/// Open and closed per kind, and per month of the last year by the day the deviation
/// happened (or was due): two queries.
async fn summary(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    today: NaiveDate,
) -> Result<DeviationSummary, AppError> {
    let counted: Vec<(String, String, i64)> = deviations::Entity::find()
        .select_only()
        .column(deviations::Column::Kind)
        .column(deviations::Column::Status)
        .column_as(deviations::Column::Id.count(), "n")
        .filter(of_visible_files(user))
        .group_by(deviations::Column::Kind)
        .group_by(deviations::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    let counts = Kind::ALL
        .into_iter()
        .map(|kind| {
            let n = |status: &str| {
                counted
                    .iter()
                    .filter(|(k, s, _)| k == kind.as_str() && s == status)
                    .map(|(_, _, n)| u64::try_from(*n).unwrap_or(0))
                    .sum()
            };
            KindCount {
                kind: kind.as_str().to_owned(),
                open: n(OPEN),
                closed: n(CLOSED),
            }
        })
        .collect();
    let first_month = per_month(std::iter::empty(), today, TREND_MONTHS)
        .first()
        .map(|(m, _)| m.first_day())
        .unwrap_or(today);
    let dated: Vec<(String, NaiveDate)> = deviations::Entity::find()
        .select_only()
        .column(deviations::Column::Kind)
        .column(deviations::Column::DueOn)
        .filter(of_visible_files(user))
        .filter(deviations::Column::DueOn.gte(first_month))
        .into_tuple()
        .all(db)
        .await?;
    let of_kind = |kind: Kind| {
        per_month(
            dated
                .iter()
                .filter(|(k, _)| k == kind.as_str())
                .map(|(_, d)| *d),
            today,
            TREND_MONTHS,
        )
    };
    let trend = of_kind(Kind::Unit)
        .into_iter()
        .zip(of_kind(Kind::Client))
        .map(|((month, unit), (_, client))| MonthCount {
            month: month.to_string(),
            unit,
            client,
        })
        .collect();
    Ok(DeviationSummary { counts, trend })
}

/// One deviation of a file the user may see, with its file opened (need-to-know, as
/// for the file itself): another's is "not found", logged with its file's ids.
pub struct OpenedDeviation {
    pub deviation: deviations::Model,
    pub opened: OpenedFile,
}

impl Target for OpenedDeviation {
    const PERMISSION: Permission = Permission::ReadFiles;
    const KIND: &'static str = "deviation";

    async fn open<C: ConnectionTrait>(
        db: &C,
        user: &CurrentUser,
        public_id: &str,
    ) -> Result<Result<Self, Refusal>, AppError> {
        let Some(deviation) = deviations::Entity::find()
            .filter(deviations::Column::PublicId.eq(public_id))
            .filter(of_visible_files(user))
            .one(db)
            .await?
        else {
            return Ok(Err(Refusal::not_found(Self::find(db, public_id).await?)));
        };
        let file = case_files::Entity::find_by_id(deviation.case_file_id)
            .one(db)
            .await?
            .ok_or_else(|| super::internal("deviation without file"))?;
        let opened = super::journal::open_file(db, user, &file.public_id).await?;
        Ok(Ok(OpenedDeviation { deviation, opened }))
    }

    async fn find<C: ConnectionTrait>(db: &C, public_id: &str) -> Result<Named, AppError> {
        let file = case_files::Entity::find()
            .filter(
                case_files::Column::Id.in_subquery(
                    Query::select()
                        .column(deviations::Column::CaseFileId)
                        .from(deviations::Entity)
                        .and_where(deviations::Column::PublicId.eq(public_id))
                        .to_owned(),
                ),
            )
            .one(db)
            .await?;
        Ok(file
            .map(|f| Named::file(f.client_id, f.id))
            .unwrap_or_default())
    }

    fn named(&self) -> Named {
        self.opened.named()
    }
}

/// One deviation with what closing it recorded.
pub async fn view(
    db: &impl ConnectionTrait,
    deviation: deviations::Model,
    opened: &OpenedFile,
) -> Result<DeviationView, AppError> {
    let entry_text = match deviation.journal_entry_id {
        Some(id) => journal_entries::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|e| e.body),
        None => None,
    };
    let names = user_names(
        db,
        [opened.file.contact_person_id]
            .into_iter()
            .chain(deviation.closed_by),
    )
    .await?;
    let closed_by = deviation.closed_by.and_then(|id| names.get(&id).cloned());
    let (reason, actions, action_taken) = (
        deviation.reason.clone(),
        deviation.actions.clone(),
        deviation.action_taken.clone(),
    );
    let row = row_of(deviation, &opened.file, Some(&opened.client), &names);
    Ok(DeviationView {
        may_close: row.open,
        row,
        entry_text,
        reason,
        actions,
        action_taken,
        closed_by,
        file_closed: opened.file.closed_on.is_some(),
    })
}

/// What closing a deviation records.
pub enum Closing<'a> {
    /// A unit deviation: why it happened and what prevents a repeat.
    Unit { reason: &'a str, actions: &'a str },
    /// A client deviation: the action taken.
    Client { action_taken: &'a str },
}

/// Closes an open deviation: one statement, only while it is still open (two people
/// closing at once cannot both succeed). Nothing is stored when a field is refused.
pub async fn close(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    deviation: &deviations::Model,
    closing: Closing<'_>,
) -> Result<(), AppError> {
    let kind = Kind::parse(&deviation.kind).ok_or_else(|| super::internal("unknown kind"))?;
    let mut change = deviations::ActiveModel {
        status: Set(CLOSED.to_owned()),
        closed_by: Set(Some(user.id)),
        closed_at: Set(Some(super::now())),
        ..Default::default()
    };
    let mut problems = Problems::default();
    match (kind, closing) {
        (Kind::Unit, Closing::Unit { reason, actions }) => {
            match UnitClosing::parse(reason, actions) {
                Ok(closing) => {
                    change.reason = Set(Some(closing.reason.into_inner()));
                    change.actions = Set(Some(closing.actions.into_inner()));
                }
                Err(errors) => {
                    if let Some(e) = errors.reason {
                        problems.add("reason", Problem::from(e));
                    }
                    if let Some(e) = errors.actions {
                        problems.add("actions", Problem::from(e));
                    }
                }
            }
        }
        (Kind::Client, Closing::Client { action_taken }) => {
            if let Some(text) = problems.check(
                "action_taken",
                DeviationText::parse(action_taken),
                Problem::from,
            ) {
                change.action_taken = Set(Some(text.into_inner()));
            }
        }
        // The other kind's form: the deviation it names does not take it.
        _ => return Err(AppError::NotFound),
    }
    problems.into_result()?;
    if deviation.status != OPEN {
        return Err(AppError::DeviationClosed);
    }
    let updated = deviations::Entity::update_many()
        .set(change)
        .filter(deviations::Column::Id.eq(deviation.id))
        .filter(deviations::Column::Status.eq(OPEN))
        .exec(db)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::DeviationClosed);
    }
    Ok(())
}
