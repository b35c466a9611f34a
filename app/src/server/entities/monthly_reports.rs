//! `monthly_reports` table: one signed monthly report per file and month.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "monthly_reports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub case_file_id: i32,
    /// `YYYY-MM`.
    pub month: String,
    /// The plan version evaluated; `None` for a file without a plan.
    pub plan_version_id: Option<i32>,
    /// The one evaluation of a file without plan goals.
    pub evaluation: Option<String>,
    pub events: String,
    pub deviation_actions: Option<String>,
    pub client_copy: bool,
    pub secretary_name: String,
    pub secretary_unit: String,
    pub signed_by: i32,
    pub signed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
