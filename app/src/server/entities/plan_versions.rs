//! `plan_versions` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "plan_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub case_file_id: i32,
    pub version_no: i32,
    pub valid_from: Date,
    pub client_view: String,
    pub client_signed_on: Option<Date>,
    pub client_signed_how: Option<String>,
    pub created_by: i32,
    pub copy_to_client_on: Option<Date>,
    pub copy_to_contact_on: Option<Date>,
    pub copy_to_secretary_on: Option<Date>,
    pub revision_reason: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
