//! `monthly_report_goals` table: a monthly report's evaluation of one goal.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "monthly_report_goals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub report_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub goal_id: i32,
    pub position: i32,
    /// The goal's title when the report was signed.
    pub goal_title: String,
    pub evaluation: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
