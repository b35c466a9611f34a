//! Findings that become actions (issue 15, part 2). A reviewer may write a
//! recommendation beside a "no" or "partly" (`recommendation` on both answer tables);
//! the file's contact person replies and records an action with a date, and the day
//! it was done (`audit_actions`, one row per finding).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [AnswerTable::AuditAnswers, AnswerTable::AuditYearAnswers] {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(text(AnswerTable::Recommendation).default(""))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(AuditActions::Table)
                    .col(pk_auto(AuditActions::Id))
                    .col(integer(AuditActions::AssignmentId))
                    .col(integer(AuditActions::PlanVersionId))
                    .col(string(AuditActions::ItemKey))
                    .col(integer(AuditActions::CaseFileId))
                    .col(text(AuditActions::Reply))
                    .col(text(AuditActions::Action))
                    .col(date_null(AuditActions::DueOn))
                    .col(date_null(AuditActions::DoneOn))
                    .col(integer(AuditActions::UpdatedBy))
                    .col(timestamp_with_time_zone(AuditActions::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AuditActions::Table, AuditActions::AssignmentId)
                            .to(AuditAssignments::Table, AuditAssignments::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AuditActions::Table, AuditActions::CaseFileId)
                            .to(CaseFiles::Table, CaseFiles::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AuditActions::Table, AuditActions::UpdatedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_audit_actions_finding")
                    .table(AuditActions::Table)
                    .col(AuditActions::AssignmentId)
                    .col(AuditActions::PlanVersionId)
                    .col(AuditActions::ItemKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_actions_file")
                    .table(AuditActions::Table)
                    .col(AuditActions::CaseFileId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditActions::Table).to_owned())
            .await?;
        for table in [AnswerTable::AuditAnswers, AnswerTable::AuditYearAnswers] {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .drop_column(AnswerTable::Recommendation)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum AnswerTable {
    AuditAnswers,
    AuditYearAnswers,
    Recommendation,
}

#[derive(DeriveIden)]
enum AuditActions {
    Table,
    Id,
    AssignmentId,
    PlanVersionId,
    ItemKey,
    CaseFileId,
    Reply,
    Action,
    DueOn,
    DoneOn,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AuditAssignments {
    Table,
    Id,
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
