//! `log_reviews` table: systematic reviews of the access log, as the manager recorded
//! them. Append-only (triggers).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "log_reviews")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub reviewed_by: i32,
    pub recorded_at: DateTimeUtc,
    pub period_from: Date,
    pub period_to: Date,
    pub remarks: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
