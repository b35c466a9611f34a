//! `monthly_reviews` table: one signed monthly journal review per file and month.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "monthly_reviews")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub case_file_id: i32,
    /// `YYYY-MM`.
    pub month: String,
    /// `akta_domain::monthly::Phrasing::as_str`.
    pub phrasing: String,
    pub journal_entry_id: i32,
    pub signed_by: i32,
    pub signed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
