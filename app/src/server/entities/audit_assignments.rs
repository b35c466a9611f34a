//! `audit_assignments` table: one file given to one reviewer in one round.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_assignments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub public_id: String,
    pub round_id: i32,
    pub case_file_id: i32,
    pub reviewer_id: i32,
    pub second_review: bool,
    pub swap_reason: Option<String>,
    pub started_at: Option<DateTimeUtc>,
    pub submitted_at: Option<DateTimeUtc>,
    pub reopen_reason: Option<String>,
    /// A later last day of the reviewer's access than the round's due date, set by
    /// a manager (`None`: the due date).
    pub access_until: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
