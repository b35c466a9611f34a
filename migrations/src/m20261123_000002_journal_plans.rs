//! Everyday journaling and implementation plans (issue 4).
//!
//! - Goals and journal entries get random public ids (for URLs and forms, so
//!   database ids never reach the browser). Existing rows are backfilled.
//! - The goal links of a signed journal entry are as permanent as the entry:
//!   triggers on SQLite and PostgreSQL refuse INSERT, UPDATE and DELETE of them.
//! - A plan version records when copies were handed to the client, the contact
//!   person and the social secretary, and why it was revised.
//! - The intake checklist (lathund) of a file: which points were covered at the
//!   information meeting, by whom and when.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{DbBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let random_id = match backend {
            DbBackend::Postgres => "substr(md5(random()::text || id::text), 1, 12)",
            _ => "lower(hex(randomblob(6)))",
        };
        for (table, index) in [
            ("goals", "uq_goals_public_id"),
            ("journal_entries", "uq_journal_entries_public_id"),
        ] {
            raw(
                manager,
                format!("ALTER TABLE {table} ADD COLUMN public_id varchar(24)"),
            )
            .await?;
            raw(
                manager,
                format!("UPDATE {table} SET public_id = {random_id} WHERE public_id IS NULL"),
            )
            .await?;
            if backend == DbBackend::Postgres {
                raw(
                    manager,
                    format!("ALTER TABLE {table} ALTER COLUMN public_id SET NOT NULL"),
                )
                .await?;
            }
            raw(
                manager,
                format!("CREATE UNIQUE INDEX {index} ON {table} (public_id)"),
            )
            .await?;
        }

        for sql in link_triggers(backend) {
            raw(manager, (*sql).to_owned()).await?;
        }

        for col in [
            PlanVersions::CopyToClientOn,
            PlanVersions::CopyToContactOn,
            PlanVersions::CopyToSecretaryOn,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(PlanVersions::Table)
                        .add_column(date_null(col))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(PlanVersions::Table)
                    .add_column(text_null(PlanVersions::RevisionReason))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(IntakeChecks::Table)
                    .col(integer(IntakeChecks::CaseFileId))
                    .col(string_len(IntakeChecks::Item, 40))
                    .col(integer(IntakeChecks::CheckedBy))
                    .col(timestamp_with_time_zone(IntakeChecks::CheckedAt))
                    .primary_key(
                        Index::create()
                            .col(IntakeChecks::CaseFileId)
                            .col(IntakeChecks::Item),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(IntakeChecks::Table, IntakeChecks::CaseFileId)
                            .to(CaseFiles::Table, CaseFiles::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(IntakeChecks::Table, IntakeChecks::CheckedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(IntakeChecks::Table).to_owned())
            .await?;
        for col in [
            PlanVersions::RevisionReason,
            PlanVersions::CopyToSecretaryOn,
            PlanVersions::CopyToContactOn,
            PlanVersions::CopyToClientOn,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(PlanVersions::Table)
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        let backend = manager.get_database_backend();
        let drops: &[&str] = match backend {
            DbBackend::Postgres => {
                &["DROP FUNCTION IF EXISTS akta_refuse_signed_link_change() CASCADE"]
            }
            _ => &[
                "DROP TRIGGER IF EXISTS journal_entry_goals_signed_no_insert",
                "DROP TRIGGER IF EXISTS journal_entry_goals_signed_no_update",
                "DROP TRIGGER IF EXISTS journal_entry_goals_signed_no_delete",
            ],
        };
        for sql in drops {
            raw(manager, (*sql).to_owned()).await?;
        }
        for (table, index) in [
            ("goals", "uq_goals_public_id"),
            ("journal_entries", "uq_journal_entries_public_id"),
        ] {
            raw(manager, format!("DROP INDEX IF EXISTS {index}")).await?;
            raw(
                manager,
                format!("ALTER TABLE {table} DROP COLUMN public_id"),
            )
            .await?;
        }
        Ok(())
    }
}

async fn raw(manager: &SchemaManager<'_>, sql: String) -> Result<(), DbErr> {
    manager
        .get_connection()
        .execute_raw(Statement::from_string(manager.get_database_backend(), sql))
        .await
        .map(|_| ())
}

/// A signed entry's goal links are part of what was signed.
fn link_triggers(backend: DbBackend) -> &'static [&'static str] {
    match backend {
        DbBackend::Postgres => &[
            r#"CREATE FUNCTION akta_refuse_signed_link_change() RETURNS trigger AS $$
DECLARE entry_status text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT status INTO entry_status FROM journal_entries WHERE id = NEW.entry_id;
  ELSE
    SELECT status INTO entry_status FROM journal_entries WHERE id = OLD.entry_id;
  END IF;
  IF entry_status = 'signed' THEN
    RAISE EXCEPTION 'the goal links of a signed journal entry are permanent' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql"#,
            "CREATE TRIGGER journal_entry_goals_signed_immutable BEFORE INSERT OR UPDATE OR DELETE ON journal_entry_goals \
             FOR EACH ROW EXECUTE FUNCTION akta_refuse_signed_link_change()",
        ],
        _ => &[
            "CREATE TRIGGER journal_entry_goals_signed_no_insert BEFORE INSERT ON journal_entry_goals \
             FOR EACH ROW WHEN (SELECT status FROM journal_entries WHERE id = NEW.entry_id) = 'signed' \
             BEGIN SELECT RAISE(ABORT, 'the goal links of a signed journal entry are permanent'); END",
            "CREATE TRIGGER journal_entry_goals_signed_no_update BEFORE UPDATE ON journal_entry_goals \
             FOR EACH ROW WHEN (SELECT status FROM journal_entries WHERE id = OLD.entry_id) = 'signed' \
             BEGIN SELECT RAISE(ABORT, 'the goal links of a signed journal entry are permanent'); END",
            "CREATE TRIGGER journal_entry_goals_signed_no_delete BEFORE DELETE ON journal_entry_goals \
             FOR EACH ROW WHEN (SELECT status FROM journal_entries WHERE id = OLD.entry_id) = 'signed' \
             BEGIN SELECT RAISE(ABORT, 'the goal links of a signed journal entry are permanent'); END",
        ],
    }
}

#[derive(DeriveIden)]
enum PlanVersions {
    Table,
    CopyToClientOn,
    CopyToContactOn,
    CopyToSecretaryOn,
    RevisionReason,
}

#[derive(DeriveIden)]
enum IntakeChecks {
    Table,
    CaseFileId,
    Item,
    CheckedBy,
    CheckedAt,
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
