//! The unit's own settings kept in `unit_settings` (key and value, with who changed
//! them last), and the unit's name that every printed page carries.

use super::entities::unit_settings;
use super::guard::CurrentUser;
use crate::error::AppError;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait};

/// The unit's name, e.g. "Behandlingsenheten Norrbro": printed at the top of every
/// page, so a report on paper says whose it is.
pub const UNIT_NAME: &str = "unit.name";

/// The stored value of a setting, if any.
pub async fn get(db: &impl ConnectionTrait, key: &str) -> Result<Option<String>, AppError> {
    Ok(unit_settings::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
        .map(|s| s.value))
}

/// Stores a setting, inside the caller's transaction.
pub async fn set(
    db: &impl ConnectionTrait,
    user: Option<&CurrentUser>,
    key: &str,
    value: &str,
) -> Result<(), AppError> {
    let row = unit_settings::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(value.to_owned()),
        updated_by: Set(user.map(|u| u.id)),
        updated_at: Set(super::now()),
    };
    if get(db, key).await?.is_some() {
        row.update(db).await?;
    } else {
        unit_settings::Entity::insert(row)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// The unit's name, or `None` before the administrator has given one.
pub async fn unit_name(db: &impl ConnectionTrait) -> Result<Option<String>, AppError> {
    get(db, UNIT_NAME).await
}
