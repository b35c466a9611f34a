//! `journal_entry_goals` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "journal_entry_goals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub entry_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub goal_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
