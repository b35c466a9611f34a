//! `cull_log` table: one row per culling run, counts and dates only.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cull_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub run_on: Date,
    /// `daily` (the job in `akta serve`) or `manual` (`akta cull`).
    pub kind: String,
    pub started_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
    pub files_culled: i32,
    pub clients_removed: i32,
    pub entries_removed: i32,
    pub log_lines_removed: i32,
    pub earliest_closed_on: Option<Date>,
    pub latest_closed_on: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
