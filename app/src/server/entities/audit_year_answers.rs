//! `audit_year_answers` table: one checklist item of a review of a file that had no
//! plan period in the round's year ("the year without a plan").

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_year_answers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub assignment_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub item_key: String,
    /// `akta_domain::checklist::Answer::as_str`, or `None` while only a comment is written.
    pub answer: Option<String>,
    pub comment: String,
    /// Beside a "no" or "partly": what the reviewer recommends (empty otherwise).
    pub recommendation: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
