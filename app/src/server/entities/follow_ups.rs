//! `follow_ups` table: booked and documented follow-ups of a file's plan.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "follow_ups")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub public_id: String,
    pub case_file_id: i32,
    pub planned_on: Date,
    pub booked_by: i32,
    pub held_on: Option<Date>,
    pub participants: Option<String>,
    pub outcome: Option<String>,
    pub plan_revised: Option<bool>,
    pub documented_by: Option<i32>,
    pub journal_entry_id: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
