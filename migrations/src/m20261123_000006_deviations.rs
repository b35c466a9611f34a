//! The deviation register (avvikelser, issue 5).
//!
//! One row per deviation: of the **unit** (a missed deadline of the routine, raised by
//! the system: `duty` and `due_on` say which) or of the **client** (a signed journal entry
//! of the category "deviation": `journal_entry_id`, `due_on` is its event date).
//!
//! - Raising is idempotent, also with several instances on one PostgreSQL: a unique
//!   index on `(case_file_id, duty, due_on)` (client rows have no duty, and NULLs never
//!   collide) and one on `journal_entry_id`; inserts skip conflicts.
//! - A closed deviation carries what closing needs, checked by the database too: a unit
//!   deviation its reason and preventive actions, a client deviation the action taken,
//!   both who closed it and when.

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
                    .table(Deviations::Table)
                    .col(pk_auto(Deviations::Id))
                    .col(string_len_uniq(Deviations::PublicId, 24))
                    .col(string_len(Deviations::Kind, 8))
                    .col(integer(Deviations::CaseFileId))
                    .col(string_len_null(Deviations::Duty, 32))
                    .col(date(Deviations::DueOn))
                    .col(integer_null(Deviations::JournalEntryId))
                    .col(timestamp_with_time_zone(Deviations::RaisedAt))
                    .col(string_len(Deviations::Status, 8))
                    .col(text_null(Deviations::Reason))
                    .col(text_null(Deviations::Actions))
                    .col(text_null(Deviations::ActionTaken))
                    .col(integer_null(Deviations::ClosedBy))
                    .col(timestamp_with_time_zone_null(Deviations::ClosedAt))
                    .check(Expr::col(Deviations::Kind).is_in(["unit", "client"]))
                    .check(Expr::col(Deviations::Status).is_in(["open", "closed"]))
                    .check(Expr::cust(
                        "(kind = 'unit' AND duty IS NOT NULL AND journal_entry_id IS NULL) \
                         OR (kind = 'client' AND duty IS NULL AND journal_entry_id IS NOT NULL)",
                    ))
                    .check(Expr::cust(
                        "status = 'open' OR (closed_by IS NOT NULL AND closed_at IS NOT NULL AND \
                         ((kind = 'unit' AND reason IS NOT NULL AND actions IS NOT NULL) \
                          OR (kind = 'client' AND action_taken IS NOT NULL)))",
                    ))
                    .foreign_key(&mut fk(
                        Deviations::Table,
                        Deviations::CaseFileId,
                        CaseFiles::Table,
                        CaseFiles::Id,
                    ))
                    .foreign_key(&mut fk(
                        Deviations::Table,
                        Deviations::JournalEntryId,
                        JournalEntries::Table,
                        JournalEntries::Id,
                    ))
                    .foreign_key(&mut fk(
                        Deviations::Table,
                        Deviations::ClosedBy,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_deviations_duty")
                    .table(Deviations::Table)
                    .col(Deviations::CaseFileId)
                    .col(Deviations::Duty)
                    .col(Deviations::DueOn)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_deviations_entry")
                    .table(Deviations::Table)
                    .col(Deviations::JournalEntryId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // The register lists by date; the trend counts per month.
        manager
            .create_index(
                Index::create()
                    .name("idx_deviations_due")
                    .table(Deviations::Table)
                    .col(Deviations::DueOn)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Deviations::Table).to_owned())
            .await
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
enum Deviations {
    Table,
    Id,
    PublicId,
    Kind,
    CaseFileId,
    Duty,
    DueOn,
    JournalEntryId,
    RaisedAt,
    Status,
    Reason,
    Actions,
    ActionTaken,
    ClosedBy,
    ClosedAt,
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
