//! The duties of the routine (issue 5): follow-ups and final reports.
//!
//! - `follow_ups`: a follow-up is booked (`planned_on`) and later documented
//!   (`held_on`, who took part, the outcome, whether the plan is revised). The
//!   documentation is also a signed journal entry (`journal_entry_id`), written in the
//!   same transaction, so the follow-up appears in the journal and is as permanent as it.
//! - `final_reports`: the final report (slutrapport) written when a file is closed,
//!   one per file. Closing itself uses `case_files.closed_on` and `close_reason`.

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
                    .table(FollowUps::Table)
                    .col(pk_auto(FollowUps::Id))
                    .col(string_len_uniq(FollowUps::PublicId, 24))
                    .col(integer(FollowUps::CaseFileId))
                    .col(date(FollowUps::PlannedOn))
                    .col(integer(FollowUps::BookedBy))
                    .col(date_null(FollowUps::HeldOn))
                    .col(string_len_null(FollowUps::Participants, 300))
                    .col(text_null(FollowUps::Outcome))
                    .col(boolean_null(FollowUps::PlanRevised))
                    .col(integer_null(FollowUps::DocumentedBy))
                    .col(integer_null(FollowUps::JournalEntryId))
                    .col(timestamp_with_time_zone(FollowUps::CreatedAt))
                    .foreign_key(&mut fk(
                        FollowUps::Table,
                        FollowUps::CaseFileId,
                        CaseFiles::Table,
                        CaseFiles::Id,
                    ))
                    .foreign_key(&mut fk(
                        FollowUps::Table,
                        FollowUps::BookedBy,
                        Users::Table,
                        Users::Id,
                    ))
                    .foreign_key(&mut fk(
                        FollowUps::Table,
                        FollowUps::DocumentedBy,
                        Users::Table,
                        Users::Id,
                    ))
                    .foreign_key(&mut fk(
                        FollowUps::Table,
                        FollowUps::JournalEntryId,
                        JournalEntries::Table,
                        JournalEntries::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_follow_ups_file")
                    .table(FollowUps::Table)
                    .col(FollowUps::CaseFileId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FinalReports::Table)
                    .col(integer(FinalReports::CaseFileId).primary_key())
                    .col(text(FinalReports::Treatment))
                    .col(text(FinalReports::Outcome))
                    .col(text(FinalReports::ClientViewEnding))
                    .col(text(FinalReports::ClientViewService))
                    .col(integer(FinalReports::WrittenBy))
                    .col(timestamp_with_time_zone(FinalReports::WrittenAt))
                    .foreign_key(&mut fk(
                        FinalReports::Table,
                        FinalReports::CaseFileId,
                        CaseFiles::Table,
                        CaseFiles::Id,
                    ))
                    .foreign_key(&mut fk(
                        FinalReports::Table,
                        FinalReports::WrittenBy,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(FinalReports::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(FollowUps::Table).to_owned())
            .await?;
        Ok(())
    }
}

fn fk<T, C, RT, RC>(table: T, col: C, ref_table: RT, ref_col: RC) -> ForeignKeyCreateStatement
where
    T: IntoIden + 'static,
    C: IntoIden + 'static,
    RT: IntoIden + 'static,
    RC: IntoIden + 'static,
{
    ForeignKey::create()
        .from(table, col)
        .to(ref_table, ref_col)
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

#[derive(DeriveIden)]
enum FollowUps {
    Table,
    Id,
    PublicId,
    CaseFileId,
    PlannedOn,
    BookedBy,
    HeldOn,
    Participants,
    Outcome,
    PlanRevised,
    DocumentedBy,
    JournalEntryId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum FinalReports {
    Table,
    CaseFileId,
    Treatment,
    Outcome,
    ClientViewEnding,
    ClientViewService,
    WrittenBy,
    WrittenAt,
}

#[derive(DeriveIden)]
enum CaseFiles {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum JournalEntries {
    Table,
    Id,
}
