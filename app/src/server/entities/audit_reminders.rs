//! `audit_reminders` table: the manager reminded a reviewer of a round's reviews.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_reminders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub round_id: i32,
    pub reviewer_id: i32,
    pub sent_by: i32,
    pub sent_at: DateTimeUtc,
    /// When the reviewer opened their reviews after it (`None`: shown on every page).
    pub opened_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
