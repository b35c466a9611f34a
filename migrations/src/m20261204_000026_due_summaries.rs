//! The manager's start page at the size of a municipality (issue 19). "My work" worked
//! out the deadlines of every open file of the unit on every load (3.7 s at 10 000
//! clients, the dev build). Each open file now keeps a summary of what is due in it, as
//! of a day: how many duties are overdue, how many due soon, and the earliest of their
//! due days. The start page sums the summaries (per contact person, through an index
//! that holds the sums' columns) and reads the deadlines only of the files it lists.
//!
//! The summaries are written where the deviation register is raised: after every
//! logged change in a file, and by the unit's daily run; a reading on a day they were
//! not written for writes them first (`app::server::due_summary`). The contact person is
//! kept beside the counts (a change of team is a logged change of the file).
//! `deviations.raised_on` is forgotten here, so the first run after this migration
//! writes every open file's summary.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DueSummaries::Table)
                    .col(integer(DueSummaries::CaseFileId).primary_key())
                    .col(integer(DueSummaries::ContactPersonId))
                    .col(date(DueSummaries::AsOf))
                    .col(date_null(DueSummaries::FirstDue))
                    .col(integer(DueSummaries::Overdue))
                    .col(integer(DueSummaries::DueSoon))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DueSummaries::Table, DueSummaries::CaseFileId)
                            .to(CaseFiles::Table, CaseFiles::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // The per-contact-person sums read this index alone.
        manager
            .create_index(
                Index::create()
                    .name("idx_due_summaries_contact")
                    .table(DueSummaries::Table)
                    .col(DueSummaries::ContactPersonId)
                    .col(DueSummaries::Overdue)
                    .col(DueSummaries::DueSoon)
                    .to_owned(),
            )
            .await?;
        // The files listed first: the earliest due day.
        manager
            .create_index(
                Index::create()
                    .name("idx_due_summaries_first_due")
                    .table(DueSummaries::Table)
                    .col(DueSummaries::FirstDue)
                    .col(DueSummaries::CaseFileId)
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared("DELETE FROM unit_settings WHERE key = 'deviations.raised_on'")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DueSummaries::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum DueSummaries {
    Table,
    CaseFileId,
    ContactPersonId,
    AsOf,
    FirstDue,
    Overdue,
    DueSoon,
}

#[derive(DeriveIden)]
enum CaseFiles {
    Table,
    Id,
}
