//! `final_reports` table: the final report (slutrapport) of a closed file.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "final_reports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_file_id: i32,
    pub treatment: String,
    pub outcome: String,
    pub client_view_ending: String,
    pub client_view_service: String,
    pub written_by: i32,
    pub written_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
