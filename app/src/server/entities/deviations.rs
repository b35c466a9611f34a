//! `deviations` table: the deviation register (of the unit and of the client).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deviations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub public_id: String,
    /// `unit` or `client` (`akta_domain::deviations::Kind`).
    pub kind: String,
    pub case_file_id: i32,
    /// Unit deviations: the missed duty's key (`Duty::key`).
    pub duty: Option<String>,
    /// A monthly duty's month (`YYYY-MM`); none for other duties, client deviations and
    /// rows raised before migration 000022.
    pub month: Option<String>,
    /// Unit: the day the duty was due; client: the journal entry's event date.
    pub due_on: Date,
    /// Client deviations: the signed journal entry it comes from.
    pub journal_entry_id: Option<i32>,
    pub raised_at: DateTimeUtc,
    /// `open` or `closed`.
    pub status: String,
    pub reason: Option<String>,
    pub actions: Option<String>,
    pub action_taken: Option<String>,
    pub closed_by: Option<i32>,
    pub closed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
