//! `audit_rounds` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_rounds")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub public_id: String,
    pub year: i32,
    pub due_on: Date,
    /// The pairing's seed (a `u64` stored as its bits).
    pub seed: i64,
    pub status: crate::model::audit::RoundStatus,
    /// `None`: every file in scope; else this many files of each contact person.
    pub sample_per_contact: Option<i32>,
    pub files_per_reviewer: Option<i32>,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
    pub published_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    /// Files that get a second, independent reviewer (0 = none).
    pub second_reviews: i32,
    /// Bumped by every change of the round's checklist while a draft.
    pub checklist_version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
