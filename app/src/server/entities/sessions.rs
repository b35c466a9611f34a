//! `sessions` table: a session id's SHA-256, never the id (see `server::sessions`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id_hash: String,
    pub data: String,
    /// Unix seconds: the idle expiry, moved by activity, never past `ends_at`.
    pub expires_at: i64,
    /// Unix seconds: the absolute end, set at login.
    pub ends_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
