//! `open_intake_stats` table: what is left of closed open intakes, counts only.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "open_intake_stats")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub service: String,
    /// The month the registration started, `YYYY-MM`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub month: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub sex: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub age_band: String,
    pub closed: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
