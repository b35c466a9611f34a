//! Open intake (öppet intag): anonymous registrations, their memory notes, and closing
//! one — which destroys everything of it in one transaction and leaves one count in
//! `open_intake_stats`.
//!
//! Only the therapist who registered it reads or changes a registration (memory notes
//! are the therapist's own working notes, not a journal). Every read and change is
//! logged with the registration's public id in `detail`; closing deletes exactly those
//! log lines under a deletion permit (migration 000005) and writes one line without any
//! id. On SQLite the connection runs with `secure_delete`, and closing checkpoints the
//! write-ahead log so no copy of the notes stays in `-wal` either.

use super::access_log::{self, Action};
use super::entities::{
    access_log as log_entity, deletion_permits, open_intake_stats, open_intakes,
};
use super::guard::CurrentUser;
use crate::error::{AppError, Problem, Problems};
use akta_domain::open_intake::{
    self as rules, AgeBand, IntakeService, NOT_STATED, PseudonymError, Sex,
};
use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait, Func, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DbBackend, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, TransactionTrait,
};

/// A checked new registration.
pub struct NewIntake {
    pub pseudonym: String,
    pub service: IntakeService,
    pub started_on: NaiveDate,
    pub sex: Option<Sex>,
    pub age_band: Option<AgeBand>,
    pub notes: String,
}

fn check_notes(problems: &mut Problems, notes: &str) -> Option<String> {
    if notes.chars().count() > rules::NOTES_MAX {
        problems.add(
            "notes",
            Problem::TooLong {
                max: rules::NOTES_MAX,
            },
        );
        return None;
    }
    Some(notes.trim_end().to_owned())
}

impl NewIntake {
    /// Every field checked at once; each problem named at its field.
    pub fn parse(
        pseudonym: &str,
        service: &str,
        started_on: &str,
        sex: &str,
        age_band: &str,
        notes: &str,
        today: NaiveDate,
    ) -> Result<NewIntake, AppError> {
        let mut problems = Problems::default();
        let pseudonym = problems.check(
            "pseudonym",
            rules::check_pseudonym(pseudonym),
            |e| match e {
                PseudonymError::Empty => Problem::Empty,
                PseudonymError::TooLong { max } => Problem::TooLong { max },
                PseudonymError::LooksLikeIdentity => Problem::PseudonymIdentifying,
            },
        );
        let service = problems.check("service", IntakeService::parse(service).ok_or(()), |()| {
            Problem::InvalidService
        });
        let started_on = match started_on.trim() {
            "" => {
                problems.add("started_on", Problem::Empty);
                None
            }
            s => match s.parse::<NaiveDate>() {
                Err(_) => {
                    problems.add("started_on", Problem::InvalidDate);
                    None
                }
                Ok(d) if d > today => {
                    problems.add("started_on", Problem::DateInFuture);
                    None
                }
                Ok(d) => Some(d),
            },
        };
        let sex = match sex {
            "" => Some(None),
            s => problems.check("sex", Sex::parse(s).map(Some).ok_or(()), |()| {
                Problem::InvalidChoice
            }),
        };
        let age_band = match age_band {
            "" => Some(None),
            s => problems.check("age_band", AgeBand::parse(s).map(Some).ok_or(()), |()| {
                Problem::InvalidChoice
            }),
        };
        let notes = check_notes(&mut problems, notes);
        problems.into_result()?;
        match (pseudonym, service, started_on, sex, age_band, notes) {
            (
                Some(pseudonym),
                Some(service),
                Some(started_on),
                Some(sex),
                Some(age_band),
                Some(notes),
            ) => Ok(NewIntake {
                pseudonym,
                service,
                started_on,
                sex,
                age_band,
                notes,
            }),
            _ => Err(AppError::Internal),
        }
    }
}

async fn log(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    action: Action,
    public_id: Option<&str>,
) -> Result<(), AppError> {
    access_log::write(
        db,
        access_log::Entry {
            user_id: user.id,
            action,
            client_id: None,
            case_file_id: None,
            detail: public_id,
        },
    )
    .await
    .map_err(super::internal)
}

/// Registers an intake for `user`; returns its public id.
pub async fn create(
    db: &DatabaseConnection,
    user: &CurrentUser,
    new: NewIntake,
) -> Result<String, AppError> {
    let public_id = super::ids::public_id();
    let txn = db.begin().await.map_err(super::internal)?;
    open_intakes::Entity::insert(open_intakes::ActiveModel {
        public_id: Set(public_id.clone()),
        pseudonym: Set(new.pseudonym),
        service: Set(new.service.as_str().to_owned()),
        started_on: Set(new.started_on),
        sex: Set(new.sex.map(|s| s.as_str().to_owned())),
        age_band: Set(new.age_band.map(|a| a.as_str().to_owned())),
        notes: Set(new.notes),
        therapist_id: Set(user.id),
        created_at: Set(super::now()),
        ..Default::default()
    })
    .exec_without_returning(&txn)
    .await
    .map_err(super::internal)?;
    log(&txn, user, Action::CreateIntake, Some(&public_id)).await?;
    txn.commit().await.map_err(super::internal)?;
    Ok(public_id)
}

/// The user's own registrations, oldest first. The list read is logged without ids.
pub async fn list_own(
    db: &DatabaseConnection,
    user: &CurrentUser,
) -> Result<Vec<open_intakes::Model>, AppError> {
    let rows = open_intakes::Entity::find()
        .filter(open_intakes::Column::TherapistId.eq(user.id))
        .order_by_asc(open_intakes::Column::StartedOn)
        .order_by_asc(open_intakes::Column::Id)
        .all(db)
        .await
        .map_err(super::internal)?;
    log(db, user, Action::ListIntakes, None).await?;
    Ok(rows)
}

/// The registration if it is the user's own; another's is "not found".
async fn own(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    public_id: &str,
) -> Result<open_intakes::Model, AppError> {
    open_intakes::Entity::find()
        .filter(open_intakes::Column::PublicId.eq(public_id.trim()))
        .filter(open_intakes::Column::TherapistId.eq(user.id))
        .one(db)
        .await
        .map_err(super::internal)?
        .ok_or(AppError::NotFound)
}

/// Reads one registration (logged by its public id).
pub async fn read(
    db: &DatabaseConnection,
    user: &CurrentUser,
    public_id: &str,
) -> Result<open_intakes::Model, AppError> {
    let row = own(db, user, public_id).await?;
    log(db, user, Action::ReadIntake, Some(&row.public_id)).await?;
    Ok(row)
}

/// Replaces the memory notes.
pub async fn save_notes(
    db: &DatabaseConnection,
    user: &CurrentUser,
    public_id: &str,
    notes: &str,
) -> Result<(), AppError> {
    let mut problems = Problems::default();
    let notes = check_notes(&mut problems, notes);
    problems.into_result()?;
    let txn = db.begin().await.map_err(super::internal)?;
    let row = own(&txn, user, public_id).await?;
    let id = row.public_id.clone();
    let mut m = row.into_active_model();
    m.notes = Set(notes.unwrap_or_default());
    m.update(&txn).await.map_err(super::internal)?;
    log(&txn, user, Action::ChangeIntakeNotes, Some(&id)).await?;
    txn.commit().await.map_err(super::internal)
}

/// Closes a registration: the row, its notes and every log line naming it go, one
/// statistics cell counts it, all in one transaction.
pub async fn close(
    db: &DatabaseConnection,
    user: &CurrentUser,
    public_id: &str,
) -> Result<(), AppError> {
    let txn = db.begin().await.map_err(super::internal)?;
    let row = own(&txn, user, public_id).await?;
    let permit = deletion_permits::Entity::insert(deletion_permits::ActiveModel {
        intake_public_id: Set(Some(row.public_id.clone())),
        created_at: Set(super::now()),
        ..Default::default()
    })
    .exec(&txn)
    .await
    .map_err(super::internal)?
    .last_insert_id;
    log_entity::Entity::delete_many()
        .filter(log_entity::Column::Detail.eq(row.public_id.clone()))
        .filter(log_entity::Column::ClientId.is_null())
        .filter(log_entity::Column::CaseFileId.is_null())
        .exec(&txn)
        .await
        .map_err(super::internal)?;
    open_intakes::Entity::delete_by_id(row.id)
        .exec(&txn)
        .await
        .map_err(super::internal)?;
    deletion_permits::Entity::delete_by_id(permit)
        .exec(&txn)
        .await
        .map_err(super::internal)?;
    open_intake_stats::Entity::insert(open_intake_stats::ActiveModel {
        service: Set(row.service.clone()),
        month: Set(rules::stats_month(row.started_on)),
        sex: Set(row.sex.clone().unwrap_or_else(|| NOT_STATED.to_owned())),
        age_band: Set(row
            .age_band
            .clone()
            .unwrap_or_else(|| NOT_STATED.to_owned())),
        closed: Set(1),
    })
    .on_conflict(
        OnConflict::columns([
            open_intake_stats::Column::Service,
            open_intake_stats::Column::Month,
            open_intake_stats::Column::Sex,
            open_intake_stats::Column::AgeBand,
        ])
        .value(
            open_intake_stats::Column::Closed,
            Expr::col((open_intake_stats::Entity, open_intake_stats::Column::Closed)).add(1),
        )
        .to_owned(),
    )
    .exec_without_returning(&txn)
    .await
    .map_err(super::internal)?;
    log(&txn, user, Action::CloseIntake, None).await?;
    txn.commit().await.map_err(super::internal)?;
    if db.get_database_backend() == DbBackend::Sqlite {
        // Old copies of the pages may still sit in the write-ahead log; fold it into
        // the (securely deleted) database file and empty it. Best effort: a reader
        // holding an old snapshot can make it partial, the next close finishes it.
        if let Err(e) = db
            .execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
            .await
        {
            tracing::warn!(error = %e, "checkpoint after closing an open intake failed");
        }
    }
    Ok(())
}

/// The anonymous statistics, newest month first.
pub async fn statistics(
    db: &DatabaseConnection,
) -> Result<Vec<open_intake_stats::Model>, AppError> {
    open_intake_stats::Entity::find()
        .order_by_desc(open_intake_stats::Column::Month)
        .order_by_asc(open_intake_stats::Column::Service)
        .order_by_asc(open_intake_stats::Column::Sex)
        .order_by_asc(open_intake_stats::Column::AgeBand)
        .all(db)
        .await
        .map_err(super::internal)
}

/// How many registrations are open now, per service (no pseudonyms).
pub async fn open_counts(db: &DatabaseConnection) -> Result<Vec<(String, i64)>, AppError> {
    use sea_orm::QuerySelect;
    open_intakes::Entity::find()
        .select_only()
        .column(open_intakes::Column::Service)
        .column_as(
            Expr::expr(Func::count(Expr::col(open_intakes::Column::Id))),
            "n",
        )
        .group_by(open_intakes::Column::Service)
        .order_by_asc(open_intakes::Column::Service)
        .into_tuple()
        .all(db)
        .await
        .map_err(super::internal)
}
