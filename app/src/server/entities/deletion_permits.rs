//! `deletion_permits` table: the one way past the delete triggers (migration 000005).
//! A permit lives only inside the transaction that destroys a culled file or a closed
//! open intake; that transaction removes it before it commits.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deletion_permits")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub case_file_id: Option<i32>,
    pub client_id: Option<i32>,
    pub intake_public_id: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
