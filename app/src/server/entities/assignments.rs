//! `assignments` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "assignments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub client_id: i32,
    pub received_on: Date,
    pub secretary_name: String,
    pub secretary_unit: String,
    pub secretary_phone: Option<String>,
    pub secretary_email: Option<String>,
    pub decision_date: Date,
    pub service_type: String,
    pub service_granted: String,
    pub period_from: Date,
    pub period_to: Option<Date>,
    pub first_follow_up: Date,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
