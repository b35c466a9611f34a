//! The unit's settings kept in `unit_settings` (key and value, with who changed them
//! last). The manager changes them; each change is logged by the server function that
//! calls [`set_monthly_due_day`], in the same transaction.
//!
//! (The audit's "show reviewers' names" lives beside the audit, `server::audit`.)

use super::entities::unit_settings;
use super::guard::CurrentUser;
use crate::error::{AppError, Problem};
use akta_domain::deadlines::MonthlyDueDay;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};

/// The day of the next month by which a month's journal review and report are due.
pub const MONTHLY_DUE_DAY: &str = "deadlines.monthly_due_day";

/// The unit's due day for the monthly review and report: the 10th until the manager
/// chooses another. A stored value that is not a day from 1 to 28 is an error, never a
/// silent fallback (only [`set_monthly_due_day`] writes it, after checking it).
pub async fn monthly_due_day(db: &impl ConnectionTrait) -> Result<MonthlyDueDay, AppError> {
    match unit_settings::Entity::find_by_id(MONTHLY_DUE_DAY.to_owned())
        .one(db)
        .await?
    {
        None => Ok(MonthlyDueDay::DEFAULT),
        Some(row) => MonthlyDueDay::parse(&row.value)
            .map_err(|_| super::internal(format!("stored {MONTHLY_DUE_DAY} is not a day"))),
    }
}

/// Sets the due day from what the manager typed (field `due_day`), inside the caller's
/// transaction; nothing is stored when it is not a whole number from 1 to 28.
pub async fn set_monthly_due_day(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    raw: &str,
) -> Result<MonthlyDueDay, AppError> {
    let day = MonthlyDueDay::parse(raw).map_err(|_| {
        AppError::field(
            "due_day",
            Problem::InvalidCount {
                max: MonthlyDueDay::MAX as usize,
            },
        )
    })?;
    put(db, user, MONTHLY_DUE_DAY, &day.get().to_string()).await?;
    // Every file's monthly due days moved: no file's due summary holds.
    super::due_summary::forget_all(db).await?;
    Ok(day)
}

/// Whether staff need a second factor too (managers and administrators always do).
pub const STAFF_SECOND_FACTOR: &str = "auth.staff_second_factor";

/// Staff need a second factor unless the administrator turned it off ("off").
pub async fn staff_second_factor(db: &impl ConnectionTrait) -> Result<bool, AppError> {
    Ok(
        unit_settings::Entity::find_by_id(STAFF_SECOND_FACTOR.to_owned())
            .one(db)
            .await?
            .is_none_or(|row| row.value != "off"),
    )
}

/// Turns the staff requirement on or off, inside the caller's transaction.
pub async fn set_staff_second_factor(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    required: bool,
) -> Result<(), AppError> {
    put(
        db,
        user,
        STAFF_SECOND_FACTOR,
        if required { "on" } else { "off" },
    )
    .await
}

/// The last day on which every file of the unit had its deviations raised (by the hourly
/// job or the first reading of the register that day): Akta's own bookkeeping, not a
/// setting anyone chooses.
pub const DEVIATIONS_RAISED_ON: &str = "deviations.raised_on";

/// The day the unit's deviations were last raised in full, if ever.
pub async fn deviations_raised_on(
    db: &impl ConnectionTrait,
) -> Result<Option<chrono::NaiveDate>, AppError> {
    noted_day(db, DEVIATIONS_RAISED_ON).await
}

/// Notes that the unit's deviations were raised in full on `day`.
pub async fn set_deviations_raised_on(
    db: &impl ConnectionTrait,
    day: chrono::NaiveDate,
) -> Result<(), AppError> {
    note_day(db, DEVIATIONS_RAISED_ON, Some(day)).await
}

/// The last day on which every open file's due summary was written (by the daily run or
/// the manager's first start page that day; `server::due_summary`): bookkeeping too.
pub const DUE_SUMMARIES_ON: &str = "due_summaries.written_on";

/// The day every open file's due summary was last written, if it still holds.
pub async fn due_summaries_on(
    db: &impl ConnectionTrait,
) -> Result<Option<chrono::NaiveDate>, AppError> {
    noted_day(db, DUE_SUMMARIES_ON).await
}

/// Notes that every open file's due summary was written on `day`; `None` notes that none
/// holds any longer (the unit's due day changed).
pub async fn set_due_summaries_on(
    db: &impl ConnectionTrait,
    day: Option<chrono::NaiveDate>,
) -> Result<(), AppError> {
    note_day(db, DUE_SUMMARIES_ON, day).await
}

/// A day Akta noted under `key` for its own bookkeeping; none when it never did, or
/// noted that the day no longer holds.
async fn noted_day(
    db: &impl ConnectionTrait,
    key: &str,
) -> Result<Option<chrono::NaiveDate>, AppError> {
    Ok(unit_settings::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
        .and_then(|row| row.value.parse().ok()))
}

/// Notes `day` under `key` (nobody's change); `None` is stored as an empty value.
async fn note_day(
    db: &impl ConnectionTrait,
    key: &str,
    day: Option<chrono::NaiveDate>,
) -> Result<(), AppError> {
    let value = day.map(|d| d.to_string()).unwrap_or_default();
    put_by(db, None, key, &value).await
}

/// Writes one setting: one statement, so two managers saving at once do not collide.
async fn put(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    key: &str,
    value: &str,
) -> Result<(), AppError> {
    put_by(db, Some(user.id), key, value).await
}

async fn put_by(
    db: &impl ConnectionTrait,
    user: Option<i32>,
    key: &str,
    value: &str,
) -> Result<(), AppError> {
    unit_settings::Entity::insert(unit_settings::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(value.to_owned()),
        updated_by: Set(user),
        updated_at: Set(super::now()),
    })
    .on_conflict(
        OnConflict::column(unit_settings::Column::Key)
            .update_columns([
                unit_settings::Column::Value,
                unit_settings::Column::UpdatedBy,
                unit_settings::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}
