//! The yearly peer file audit (aktgranskning, issue 6).
//!
//! - `audit_rounds`: one round per year; the seed of the pairing is stored so anyone
//!   can draw it again and get the same pairs.
//! - `audit_round_items`: the round's own copy of the checklist (from the default
//!   template), so a later change of the template never changes an old round.
//! - `audit_reviewers`: who reviews in the round.
//! - `audit_assignments`: file × reviewer, with swap reason, start, submission and reopening.
//! - `audit_answers`: per assignment × plan version × checklist item: answer and comment.
//! - `audit_judgements`: per assignment × plan version: the overall judgement and summary.

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
                    .table(AuditRounds::Table)
                    .col(pk_auto(AuditRounds::Id))
                    .col(string_len_uniq(AuditRounds::PublicId, 24))
                    .col(integer(AuditRounds::Year))
                    .col(date(AuditRounds::DueOn))
                    .col(big_integer(AuditRounds::Seed))
                    .col(string_len(AuditRounds::Status, 16))
                    .col(integer_null(AuditRounds::SamplePerContact))
                    .col(integer_null(AuditRounds::FilesPerReviewer))
                    .col(integer(AuditRounds::CreatedBy))
                    .col(timestamp_with_time_zone(AuditRounds::CreatedAt))
                    .col(timestamp_with_time_zone_null(AuditRounds::PublishedAt))
                    .col(timestamp_with_time_zone_null(AuditRounds::ClosedAt))
                    .check(Expr::col(AuditRounds::Status).is_in(["draft", "published", "closed"]))
                    .foreign_key(&mut fk(
                        AuditRounds::Table,
                        AuditRounds::CreatedBy,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditRoundItems::Table)
                    .col(pk_auto(AuditRoundItems::Id))
                    .col(integer(AuditRoundItems::RoundId))
                    .col(integer(AuditRoundItems::Position))
                    .col(string_len(AuditRoundItems::ItemKey, 60))
                    .col(text(AuditRoundItems::TextSv))
                    .col(text(AuditRoundItems::TextEn))
                    .foreign_key(&mut fk(
                        AuditRoundItems::Table,
                        AuditRoundItems::RoundId,
                        AuditRounds::Table,
                        AuditRounds::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_audit_round_items_key")
                    .table(AuditRoundItems::Table)
                    .col(AuditRoundItems::RoundId)
                    .col(AuditRoundItems::ItemKey)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditReviewers::Table)
                    .col(integer(AuditReviewers::RoundId))
                    .col(integer(AuditReviewers::UserId))
                    .primary_key(
                        Index::create()
                            .col(AuditReviewers::RoundId)
                            .col(AuditReviewers::UserId),
                    )
                    .foreign_key(&mut fk(
                        AuditReviewers::Table,
                        AuditReviewers::RoundId,
                        AuditRounds::Table,
                        AuditRounds::Id,
                    ))
                    .foreign_key(&mut fk(
                        AuditReviewers::Table,
                        AuditReviewers::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditAssignments::Table)
                    .col(pk_auto(AuditAssignments::Id))
                    .col(string_len_uniq(AuditAssignments::PublicId, 24))
                    .col(integer(AuditAssignments::RoundId))
                    .col(integer(AuditAssignments::CaseFileId))
                    .col(integer(AuditAssignments::ReviewerId))
                    .col(boolean(AuditAssignments::SecondReview).default(false))
                    .col(text_null(AuditAssignments::SwapReason))
                    .col(timestamp_with_time_zone_null(AuditAssignments::StartedAt))
                    .col(timestamp_with_time_zone_null(AuditAssignments::SubmittedAt))
                    .col(text_null(AuditAssignments::ReopenReason))
                    .foreign_key(&mut fk(
                        AuditAssignments::Table,
                        AuditAssignments::RoundId,
                        AuditRounds::Table,
                        AuditRounds::Id,
                    ))
                    .foreign_key(&mut fk(
                        AuditAssignments::Table,
                        AuditAssignments::CaseFileId,
                        CaseFiles::Table,
                        CaseFiles::Id,
                    ))
                    .foreign_key(&mut fk(
                        AuditAssignments::Table,
                        AuditAssignments::ReviewerId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_audit_assignments_file_reviewer")
                    .table(AuditAssignments::Table)
                    .col(AuditAssignments::RoundId)
                    .col(AuditAssignments::CaseFileId)
                    .col(AuditAssignments::ReviewerId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_assignments_reviewer")
                    .table(AuditAssignments::Table)
                    .col(AuditAssignments::ReviewerId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditAnswers::Table)
                    .col(integer(AuditAnswers::AssignmentId))
                    .col(integer(AuditAnswers::PlanVersionId))
                    .col(string_len(AuditAnswers::ItemKey, 60))
                    .col(string_len_null(AuditAnswers::Answer, 16))
                    .col(text(AuditAnswers::Comment))
                    .col(timestamp_with_time_zone(AuditAnswers::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(AuditAnswers::AssignmentId)
                            .col(AuditAnswers::PlanVersionId)
                            .col(AuditAnswers::ItemKey),
                    )
                    .foreign_key(&mut fk(
                        AuditAnswers::Table,
                        AuditAnswers::AssignmentId,
                        AuditAssignments::Table,
                        AuditAssignments::Id,
                    ))
                    .foreign_key(&mut fk(
                        AuditAnswers::Table,
                        AuditAnswers::PlanVersionId,
                        PlanVersions::Table,
                        PlanVersions::Id,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditJudgements::Table)
                    .col(integer(AuditJudgements::AssignmentId))
                    .col(integer(AuditJudgements::PlanVersionId))
                    .col(string_len_null(AuditJudgements::Judgement, 16))
                    .col(text(AuditJudgements::Summary))
                    .col(timestamp_with_time_zone(AuditJudgements::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(AuditJudgements::AssignmentId)
                            .col(AuditJudgements::PlanVersionId),
                    )
                    .foreign_key(&mut fk(
                        AuditJudgements::Table,
                        AuditJudgements::AssignmentId,
                        AuditAssignments::Table,
                        AuditAssignments::Id,
                    ))
                    .foreign_key(&mut fk(
                        AuditJudgements::Table,
                        AuditJudgements::PlanVersionId,
                        PlanVersions::Table,
                        PlanVersions::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditJudgements::Table.into_iden(),
            AuditAnswers::Table.into_iden(),
            AuditAssignments::Table.into_iden(),
            AuditReviewers::Table.into_iden(),
            AuditRoundItems::Table.into_iden(),
            AuditRounds::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
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
enum AuditRounds {
    Table,
    Id,
    PublicId,
    Year,
    DueOn,
    Seed,
    Status,
    SamplePerContact,
    FilesPerReviewer,
    CreatedBy,
    CreatedAt,
    PublishedAt,
    ClosedAt,
}

#[derive(DeriveIden)]
enum AuditRoundItems {
    Table,
    Id,
    RoundId,
    Position,
    ItemKey,
    TextSv,
    TextEn,
}

#[derive(DeriveIden)]
enum AuditReviewers {
    Table,
    RoundId,
    UserId,
}

#[derive(DeriveIden)]
enum AuditAssignments {
    Table,
    Id,
    PublicId,
    RoundId,
    CaseFileId,
    ReviewerId,
    SecondReview,
    SwapReason,
    StartedAt,
    SubmittedAt,
    ReopenReason,
}

#[derive(DeriveIden)]
enum AuditAnswers {
    Table,
    AssignmentId,
    PlanVersionId,
    ItemKey,
    Answer,
    Comment,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AuditJudgements {
    Table,
    AssignmentId,
    PlanVersionId,
    Judgement,
    Summary,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CaseFiles {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum PlanVersions {
    Table,
    Id,
}
