//! `due_summaries` table: what is due in each open file, as of a day (migration 000026,
//! `server::due_summary`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "due_summaries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_file_id: i32,
    pub contact_person_id: i32,
    /// The day the counts hold for ("due soon" and "overdue" move with the days).
    pub as_of: Date,
    /// The earliest due day of the overdue and due-soon duties; none when there are none.
    pub first_due: Option<Date>,
    pub overdue: i32,
    pub due_soon: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
