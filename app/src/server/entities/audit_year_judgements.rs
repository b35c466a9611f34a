//! `audit_year_judgements` table: the overall judgement of a review of a file that
//! had no plan period in the round's year.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_year_judgements")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub assignment_id: i32,
    /// `akta_domain::checklist::Judgement::as_str`, or `None` while only the summary is written.
    pub judgement: Option<String>,
    pub summary: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
