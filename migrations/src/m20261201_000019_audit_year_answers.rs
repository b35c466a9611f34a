//! The checklist of a file without a plan in the audited year (issue 13, item 5).
//!
//! A file open during the year without any plan period in it is in the round (it is
//! the file the audit most needs to see), and its reviewer answers the checklist for
//! "the year without a plan": `audit_year_answers` and `audit_year_judgements` are
//! `audit_answers` and `audit_judgements` without a plan version.

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
                    .table(AuditYearAnswers::Table)
                    .col(integer(AuditYearAnswers::AssignmentId))
                    .col(string_len(AuditYearAnswers::ItemKey, 60))
                    .col(string_len_null(AuditYearAnswers::Answer, 16))
                    .col(text(AuditYearAnswers::Comment))
                    .col(timestamp_with_time_zone(AuditYearAnswers::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(AuditYearAnswers::AssignmentId)
                            .col(AuditYearAnswers::ItemKey),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AuditYearAnswers::Table, AuditYearAnswers::AssignmentId)
                            .to(AuditAssignments::Table, AuditAssignments::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditYearJudgements::Table)
                    .col(integer(AuditYearJudgements::AssignmentId).primary_key())
                    .col(string_len_null(AuditYearJudgements::Judgement, 16))
                    .col(text(AuditYearJudgements::Summary))
                    .col(timestamp_with_time_zone(AuditYearJudgements::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                AuditYearJudgements::Table,
                                AuditYearJudgements::AssignmentId,
                            )
                            .to(AuditAssignments::Table, AuditAssignments::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditYearJudgements::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(AuditYearAnswers::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AuditYearAnswers {
    Table,
    AssignmentId,
    ItemKey,
    Answer,
    Comment,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AuditYearJudgements {
    Table,
    AssignmentId,
    Judgement,
    Summary,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AuditAssignments {
    Table,
    Id,
}
