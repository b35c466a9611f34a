//! `clients` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "clients")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub public_id: String,
    pub first_name: String,
    pub last_name: String,
    /// The names lowercased, for the search's index (`clients::name_key`).
    pub first_name_key: String,
    pub last_name_key: String,
    #[sea_orm(unique)]
    pub identity_number: String,
    pub birth_date: Date,
    pub protected_identity: bool,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
