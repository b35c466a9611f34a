//! `users` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub password_hash: String,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub password_changed_at: DateTimeUtc,
    /// Set by an administrator's create or reset: nothing but changing it until changed.
    pub must_change_password: bool,
    /// The confirmed TOTP secret (base32), once the owner enrolled a second factor.
    pub totp_secret: Option<String>,
    /// When that secret was confirmed: a session proves the factor of this enrolment.
    pub totp_enrolled_at: Option<DateTimeUtc>,
    /// The last 30-second step whose code was accepted (a code counts once).
    pub totp_last_step: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
