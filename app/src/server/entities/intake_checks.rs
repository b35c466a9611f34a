//! `intake_checks` table: the intake checklist (lathund) points covered per file.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "intake_checks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_file_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub item: String,
    pub checked_by: i32,
    pub checked_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
