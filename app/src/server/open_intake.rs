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

use super::entities::{access_log as log_entity, open_intake_stats, open_intakes};
use super::guard::{CurrentUser, Named, Permission, Refusal, Target};
use crate::error::{AppError, Problem, Problems};
use akta_domain::open_intake::{
    self as rules, AgeBand, IntakeService, NOT_STATED, PseudonymError, Sex,
};
use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait, Func, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DbBackend, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
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

/// Registers an intake for `user` inside the caller's transaction; returns its public id.
pub async fn create(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    new: NewIntake,
) -> Result<String, AppError> {
    let public_id = super::ids::public_id();
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
    .exec_without_returning(db)
    .await?;
    Ok(public_id)
}

/// A registration as a row of its therapist's lists, with whether it has been open
/// longer than its service lasts on `today` (`akta_domain::open_intake`).
pub fn row_of(r: open_intakes::Model, today: NaiveDate) -> crate::model::IntakeRow {
    let service = IntakeService::parse(&r.service);
    crate::model::IntakeRow {
        ends_by: service.and_then(|s| s.ends_by(r.started_on)),
        overstayed: service.is_some_and(|s| s.overstayed(r.started_on, today)),
        id: r.public_id,
        pseudonym: r.pseudonym,
        service: r.service,
        started_on: r.started_on,
    }
}

/// The user's own registrations, oldest first.
pub async fn list_own(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
) -> Result<Vec<open_intakes::Model>, AppError> {
    Ok(open_intakes::Entity::find()
        .filter(open_intakes::Column::TherapistId.eq(user.id))
        .order_by_asc(open_intakes::Column::StartedOn)
        .order_by_asc(open_intakes::Column::Id)
        .all(db)
        .await?)
}

/// An open intake as the one who registered it opens it: another's is "not found"
/// (colleagues and the manager included). Every line about it, the refusals too, names
/// it by its public id in `detail` alone, so that closing it takes them all.
impl Target for open_intakes::Model {
    const PERMISSION: Permission = Permission::ReadFiles;
    const KIND: &'static str = "intake";

    async fn open<C: ConnectionTrait>(
        db: &C,
        user: &CurrentUser,
        public_id: &str,
    ) -> Result<Result<Self, Refusal>, AppError> {
        let own = open_intakes::Entity::find()
            .filter(open_intakes::Column::PublicId.eq(public_id.trim()))
            .filter(open_intakes::Column::TherapistId.eq(user.id))
            .one(db)
            .await?;
        Ok(match own {
            Some(row) => Ok(row),
            None => Err(Refusal {
                error: AppError::NotFound,
                why: "not the therapist's",
                named: Self::find(db, public_id).await?,
            }),
        })
    }

    async fn find<C: ConnectionTrait>(_db: &C, public_id: &str) -> Result<Named, AppError> {
        Ok(intake_named(public_id))
    }

    fn named(&self) -> Named {
        intake_named(&self.public_id)
    }
}

/// An intake's log lines name it by its public id in `detail` and nothing else (text
/// that is not shaped like an id is not kept).
fn intake_named(public_id: &str) -> Named {
    let id = public_id.trim();
    Named {
        detail: Some(if super::ids::is_public_id(id) {
            id.to_owned()
        } else {
            "not an id".to_owned()
        }),
        ..Named::default()
    }
}

/// Replaces the memory notes, inside the caller's transaction.
pub async fn save_notes(
    db: &impl ConnectionTrait,
    row: &open_intakes::Model,
    notes: &str,
) -> Result<(), AppError> {
    let mut problems = Problems::default();
    let notes = check_notes(&mut problems, notes);
    problems.into_result()?;
    let mut m = row.clone().into_active_model();
    m.notes = Set(notes.unwrap_or_default());
    m.update(db).await?;
    Ok(())
}

/// Closes a registration inside the caller's transaction: the row, its notes and every
/// log line naming it go, one statistics cell counts it. Run [`checkpoint`] after the
/// commit.
pub async fn close(db: &impl ConnectionTrait, row: &open_intakes::Model) -> Result<(), AppError> {
    super::permits::for_intake(db, &row.public_id).await?;
    log_entity::Entity::delete_many()
        .filter(log_entity::Column::Detail.eq(row.public_id.clone()))
        .filter(log_entity::Column::ClientId.is_null())
        .filter(log_entity::Column::CaseFileId.is_null())
        .exec(db)
        .await?;
    open_intakes::Entity::delete_by_id(row.id).exec(db).await?;
    super::permits::clear_intake(db, &row.public_id).await?;
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
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// After closing an intake on SQLite: old copies of its pages may still sit in the
/// write-ahead log; fold it into the (securely deleted) database file and empty it.
/// Best effort: a reader holding an old snapshot can make it partial, the next close
/// finishes it.
pub async fn checkpoint(db: &DatabaseConnection) {
    if db.get_database_backend() == DbBackend::Sqlite
        && let Err(e) = db
            .execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
            .await
    {
        tracing::warn!(error = %e, "checkpoint after closing an open intake failed");
    }
}

/// The anonymous statistics, newest month first.
pub async fn statistics(
    db: &DatabaseConnection,
) -> Result<Vec<open_intake_stats::Model>, AppError> {
    Ok(open_intake_stats::Entity::find()
        .order_by_desc(open_intake_stats::Column::Month)
        .order_by_asc(open_intake_stats::Column::Service)
        .order_by_asc(open_intake_stats::Column::Sex)
        .order_by_asc(open_intake_stats::Column::AgeBand)
        .all(db)
        .await?)
}

/// How many registrations are open now, per service (no pseudonyms).
pub async fn open_counts(db: &DatabaseConnection) -> Result<Vec<(String, i64)>, AppError> {
    use sea_orm::QuerySelect;
    Ok(open_intakes::Entity::find()
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
        .await?)
}
