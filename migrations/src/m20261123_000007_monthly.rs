//! The monthly journal review and the monthly report (issue 5).
//!
//! - `monthly_reviews`: one per file and month (`YYYY-MM`). The review itself is a signed
//!   journal entry (category `monthly_review`, `journal_entry_id`) written in the same
//!   transaction, so it is in the journal and as permanent as any signed entry.
//! - `monthly_reports`: one per file and month, stored when signed; the evaluation per
//!   goal of the plan version in force is in `monthly_report_goals` (with the goal's title
//!   as it was, since a report that was sent does not change). A file without a plan (the
//!   motivation group) has one `evaluation` text instead.
//!
//! All three are written once: UPDATE is refused by triggers on both databases. DELETE
//! stays possible for culling, which destroys a whole file.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MonthlyReviews::Table)
                    .col(pk_auto(MonthlyReviews::Id))
                    .col(integer(MonthlyReviews::CaseFileId))
                    .col(string_len(MonthlyReviews::Month, 7))
                    .col(string_len(MonthlyReviews::Phrasing, 20))
                    .col(integer(MonthlyReviews::JournalEntryId))
                    .col(integer(MonthlyReviews::SignedBy))
                    .col(timestamp_with_time_zone(MonthlyReviews::SignedAt))
                    .foreign_key(&mut fk(
                        MonthlyReviews::Table,
                        MonthlyReviews::CaseFileId,
                        CaseFiles::Table,
                        CaseFiles::Id,
                    ))
                    .foreign_key(&mut fk(
                        MonthlyReviews::Table,
                        MonthlyReviews::JournalEntryId,
                        JournalEntries::Table,
                        JournalEntries::Id,
                    ))
                    .foreign_key(&mut fk(
                        MonthlyReviews::Table,
                        MonthlyReviews::SignedBy,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_monthly_reviews_file_month")
                    .table(MonthlyReviews::Table)
                    .col(MonthlyReviews::CaseFileId)
                    .col(MonthlyReviews::Month)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MonthlyReports::Table)
                    .col(pk_auto(MonthlyReports::Id))
                    .col(integer(MonthlyReports::CaseFileId))
                    .col(string_len(MonthlyReports::Month, 7))
                    .col(integer_null(MonthlyReports::PlanVersionId))
                    .col(text_null(MonthlyReports::Evaluation))
                    .col(text(MonthlyReports::Events))
                    .col(text_null(MonthlyReports::DeviationActions))
                    .col(boolean(MonthlyReports::ClientCopy))
                    .col(string_len(MonthlyReports::SecretaryName, 120))
                    .col(string_len(MonthlyReports::SecretaryUnit, 120))
                    .col(integer(MonthlyReports::SignedBy))
                    .col(timestamp_with_time_zone(MonthlyReports::SignedAt))
                    .foreign_key(&mut fk(
                        MonthlyReports::Table,
                        MonthlyReports::CaseFileId,
                        CaseFiles::Table,
                        CaseFiles::Id,
                    ))
                    .foreign_key(&mut fk(
                        MonthlyReports::Table,
                        MonthlyReports::PlanVersionId,
                        PlanVersions::Table,
                        PlanVersions::Id,
                    ))
                    .foreign_key(&mut fk(
                        MonthlyReports::Table,
                        MonthlyReports::SignedBy,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_monthly_reports_file_month")
                    .table(MonthlyReports::Table)
                    .col(MonthlyReports::CaseFileId)
                    .col(MonthlyReports::Month)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MonthlyReportGoals::Table)
                    .col(integer(MonthlyReportGoals::ReportId))
                    .col(integer(MonthlyReportGoals::GoalId))
                    .col(integer(MonthlyReportGoals::Position))
                    .col(string_len(MonthlyReportGoals::GoalTitle, 300))
                    .col(text(MonthlyReportGoals::Evaluation))
                    .primary_key(
                        Index::create()
                            .col(MonthlyReportGoals::ReportId)
                            .col(MonthlyReportGoals::GoalId),
                    )
                    .foreign_key(&mut fk(
                        MonthlyReportGoals::Table,
                        MonthlyReportGoals::ReportId,
                        MonthlyReports::Table,
                        MonthlyReports::Id,
                    ))
                    .foreign_key(&mut fk(
                        MonthlyReportGoals::Table,
                        MonthlyReportGoals::GoalId,
                        Goals::Table,
                        Goals::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        for sql in triggers(manager.get_database_backend()) {
            manager
                .get_connection()
                .execute_raw(Statement::from_string(
                    manager.get_database_backend(),
                    sql.to_owned(),
                ))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("DROP FUNCTION IF EXISTS akta_refuse_monthly_change() CASCADE")
                .await?;
        }
        for table in [
            MonthlyReportGoals::Table.into_iden(),
            MonthlyReports::Table.into_iden(),
            MonthlyReviews::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// A signed review or report is a document that was sent: it never changes.
fn triggers(backend: DbBackend) -> Vec<&'static str> {
    match backend {
        DbBackend::Postgres => vec![
            r#"CREATE FUNCTION akta_refuse_monthly_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'signed monthly reviews and reports are permanent' USING ERRCODE = 'integrity_constraint_violation';
END $$ LANGUAGE plpgsql"#,
            "CREATE TRIGGER monthly_reviews_no_update BEFORE UPDATE ON monthly_reviews \
             FOR EACH ROW EXECUTE FUNCTION akta_refuse_monthly_change()",
            "CREATE TRIGGER monthly_reports_no_update BEFORE UPDATE ON monthly_reports \
             FOR EACH ROW EXECUTE FUNCTION akta_refuse_monthly_change()",
            "CREATE TRIGGER monthly_report_goals_no_update BEFORE UPDATE ON monthly_report_goals \
             FOR EACH ROW EXECUTE FUNCTION akta_refuse_monthly_change()",
        ],
        _ => vec![
            "CREATE TRIGGER monthly_reviews_no_update BEFORE UPDATE ON monthly_reviews \
             BEGIN SELECT RAISE(ABORT, 'signed monthly reviews and reports are permanent'); END",
            "CREATE TRIGGER monthly_reports_no_update BEFORE UPDATE ON monthly_reports \
             BEGIN SELECT RAISE(ABORT, 'signed monthly reviews and reports are permanent'); END",
            "CREATE TRIGGER monthly_report_goals_no_update BEFORE UPDATE ON monthly_report_goals \
             BEGIN SELECT RAISE(ABORT, 'signed monthly reviews and reports are permanent'); END",
        ],
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
enum MonthlyReviews {
    Table,
    Id,
    CaseFileId,
    Month,
    Phrasing,
    JournalEntryId,
    SignedBy,
    SignedAt,
}

#[derive(DeriveIden)]
enum MonthlyReports {
    Table,
    Id,
    CaseFileId,
    Month,
    PlanVersionId,
    Evaluation,
    Events,
    DeviationActions,
    ClientCopy,
    SecretaryName,
    SecretaryUnit,
    SignedBy,
    SignedAt,
}

#[derive(DeriveIden)]
enum MonthlyReportGoals {
    Table,
    ReportId,
    GoalId,
    Position,
    GoalTitle,
    Evaluation,
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

#[derive(DeriveIden)]
enum PlanVersions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Goals {
    Table,
    Id,
}
