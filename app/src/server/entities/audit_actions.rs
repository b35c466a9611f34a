//! `audit_actions` table: the contact person's reply and action for one finding (a
//! "no" or "partly" of a submitted review), keyed by review, plan version (0: the year
//! without a plan) and checklist item.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_actions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub assignment_id: i32,
    pub plan_version_id: i32,
    pub item_key: String,
    /// The file (for culling and the contact person's lookups).
    pub case_file_id: i32,
    pub reply: String,
    pub action: String,
    pub due_on: Option<Date>,
    pub done_on: Option<Date>,
    pub updated_by: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
