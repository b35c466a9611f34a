//! `access_log` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "access_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    /// Empty for a failed login with an unknown username.
    pub user_id: Option<i32>,
    pub action: String,
    pub client_id: Option<i32>,
    pub case_file_id: Option<i32>,
    pub detail: Option<String>,
    /// The request's client address as the server saw it.
    pub address: Option<String>,
    /// A short hash of the session id (never the id).
    pub session: Option<String>,
    /// The account an administrator's action (or a failed login) concerned.
    pub account_id: Option<i32>,
    /// Written outside office hours (weekdays 07–18 Swedish time).
    pub outside_hours: Option<bool>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
