//! Sessions as the pen test asked (issue 14, item 3): the table keeps the SHA-256 of
//! a session id, never the id itself, so a copy of the database holds no live
//! session; and each session has an absolute end (`ends_at`) beside its idle expiry
//! (`expires_at`, moved by activity, never past `ends_at`).
//!
//! Stored ids cannot be turned into hashes, so the old sessions go: everyone logs in
//! again after this migration.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    // Altered in place, not dropped and made again: on SQLite the migration's
    // statements may run on different pooled connections, and one that has not yet
    // seen a dropped index refuses to create it again under the same name.
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .exec_stmt(Query::delete().from_table(Sessions::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Sessions::Table)
                    .rename_column(Sessions::Id, Sessions::IdHash)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Sessions::Table)
                    .add_column(big_integer(Sessions::EndsAt).default(0))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .exec_stmt(Query::delete().from_table(Sessions::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Sessions::Table)
                    .drop_column(Sessions::EndsAt)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Sessions::Table)
                    .rename_column(Sessions::IdHash, Sessions::Id)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    IdHash,
    EndsAt,
}
