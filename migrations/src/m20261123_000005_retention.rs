//! Retention: culling (gallring) of closed files, the anonymous open intake's
//! statistics, and the one narrow exception to "signed entries and the access log are
//! permanent": a **deletion permit**.
//!
//! Culling a file and closing an open intake must destroy rows the database otherwise
//! refuses to delete (signed journal entries, their goal links, access-log lines). The
//! transaction that destroys them first inserts a row in `deletion_permits` naming the
//! case file, the client or the intake; the delete triggers let a DELETE through only
//! while such a row exists, and the transaction removes its permit before it commits. An
//! UPDATE of a signed entry or of the log is still refused in every case; a DELETE outside
//! such a transaction is refused as before; TRUNCATE stays refused.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{DbBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DeletionPermits::Table)
                    .col(pk_auto(DeletionPermits::Id))
                    .col(integer_null(DeletionPermits::CaseFileId))
                    .col(integer_null(DeletionPermits::ClientId))
                    .col(string_len_null(DeletionPermits::IntakePublicId, 24))
                    .col(timestamp_with_time_zone(DeletionPermits::CreatedAt))
                    .to_owned(),
            )
            .await?;

        // One row per culling run: counts and dates, never a name or an identity number.
        manager
            .create_table(
                Table::create()
                    .table(CullLog::Table)
                    .col(pk_auto(CullLog::Id))
                    .col(date(CullLog::RunOn))
                    .col(string_len(CullLog::Kind, 8))
                    .col(timestamp_with_time_zone(CullLog::StartedAt))
                    .col(timestamp_with_time_zone_null(CullLog::FinishedAt))
                    .col(integer(CullLog::FilesCulled).default(0))
                    .col(integer(CullLog::ClientsRemoved).default(0))
                    .col(integer(CullLog::EntriesRemoved).default(0))
                    .col(integer(CullLog::LogLinesRemoved).default(0))
                    .col(date_null(CullLog::EarliestClosedOn))
                    .col(date_null(CullLog::LatestClosedOn))
                    .check(Expr::col(CullLog::Kind).is_in(["daily", "manual"]))
                    .to_owned(),
            )
            .await?;
        // The daily job runs once a day however many instances share the database.
        raw(
            manager,
            "CREATE UNIQUE INDEX uq_cull_log_daily ON cull_log (run_on) WHERE kind = 'daily'"
                .to_owned(),
        )
        .await?;

        // What is left of a closed open intake: counts only.
        manager
            .create_table(
                Table::create()
                    .table(OpenIntakeStats::Table)
                    .col(string_len(OpenIntakeStats::Service, 32))
                    .col(string_len(OpenIntakeStats::Month, 7))
                    .col(string_len(OpenIntakeStats::Sex, 8))
                    .col(string_len(OpenIntakeStats::AgeBand, 16))
                    .col(integer(OpenIntakeStats::Closed).default(0))
                    .primary_key(
                        Index::create()
                            .col(OpenIntakeStats::Service)
                            .col(OpenIntakeStats::Month)
                            .col(OpenIntakeStats::Sex)
                            .col(OpenIntakeStats::AgeBand),
                    )
                    .to_owned(),
            )
            .await?;

        for sql in permit_triggers(manager.get_database_backend()) {
            raw(manager, (*sql).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for sql in original_triggers(manager.get_database_backend()) {
            raw(manager, (*sql).to_owned()).await?;
        }
        for table in [
            OpenIntakeStats::Table.into_iden(),
            CullLog::Table.into_iden(),
            DeletionPermits::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
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

/// The delete triggers, now letting a DELETE through while a permit names the row's
/// file (or client, or intake). Updates stay refused.
fn permit_triggers(backend: DbBackend) -> &'static [&'static str] {
    match backend {
        DbBackend::Postgres => &[
            r#"CREATE OR REPLACE FUNCTION akta_refuse_signed_entry_change() RETURNS trigger AS $$
BEGIN
  IF OLD.status = 'signed' THEN
    IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM deletion_permits p WHERE p.case_file_id = OLD.case_file_id) THEN
      RETURN OLD;
    END IF;
    RAISE EXCEPTION 'signed journal entries are permanent' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql"#,
            r#"CREATE OR REPLACE FUNCTION akta_refuse_signed_link_change() RETURNS trigger AS $$
DECLARE entry_status text;
DECLARE entry_file integer;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT status, case_file_id INTO entry_status, entry_file FROM journal_entries WHERE id = NEW.entry_id;
  ELSE
    SELECT status, case_file_id INTO entry_status, entry_file FROM journal_entries WHERE id = OLD.entry_id;
  END IF;
  IF entry_status = 'signed' THEN
    IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM deletion_permits p WHERE p.case_file_id = entry_file) THEN
      RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the goal links of a signed journal entry are permanent' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql"#,
            r#"CREATE FUNCTION akta_access_log_delete_guard() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM deletion_permits p
             WHERE p.case_file_id = OLD.case_file_id
                OR p.client_id = OLD.client_id
                OR p.intake_public_id = OLD.detail) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'the access log is append-only' USING ERRCODE = 'integrity_constraint_violation';
END $$ LANGUAGE plpgsql"#,
            "DROP TRIGGER access_log_append_only ON access_log",
            "CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log \
             FOR EACH ROW EXECUTE FUNCTION akta_refuse_access_log_change()",
            "CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log \
             FOR EACH ROW EXECUTE FUNCTION akta_access_log_delete_guard()",
        ],
        _ => &[
            "DROP TRIGGER journal_entries_signed_no_delete",
            "CREATE TRIGGER journal_entries_signed_no_delete_unpermitted BEFORE DELETE ON journal_entries \
             FOR EACH ROW WHEN OLD.status = 'signed' \
             AND NOT EXISTS (SELECT 1 FROM deletion_permits p WHERE p.case_file_id = OLD.case_file_id) \
             BEGIN SELECT RAISE(ABORT, 'signed journal entries are permanent'); END",
            "DROP TRIGGER journal_entry_goals_signed_no_delete",
            "CREATE TRIGGER journal_entry_goals_signed_no_delete_unpermitted BEFORE DELETE ON journal_entry_goals \
             FOR EACH ROW WHEN (SELECT status FROM journal_entries WHERE id = OLD.entry_id) = 'signed' \
             AND NOT EXISTS (SELECT 1 FROM deletion_permits p JOIN journal_entries e \
                             ON e.case_file_id = p.case_file_id WHERE e.id = OLD.entry_id) \
             BEGIN SELECT RAISE(ABORT, 'the goal links of a signed journal entry are permanent'); END",
            "DROP TRIGGER access_log_no_delete",
            "CREATE TRIGGER access_log_no_delete_unpermitted BEFORE DELETE ON access_log \
             FOR EACH ROW WHEN NOT EXISTS (SELECT 1 FROM deletion_permits p \
                 WHERE p.case_file_id = OLD.case_file_id \
                    OR p.client_id = OLD.client_id \
                    OR p.intake_public_id = OLD.detail) \
             BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END",
        ],
    }
}

/// The triggers as 000001 and 000002 made them.
fn original_triggers(backend: DbBackend) -> &'static [&'static str] {
    match backend {
        DbBackend::Postgres => &[
            "DROP TRIGGER access_log_no_delete ON access_log",
            "DROP TRIGGER access_log_no_update ON access_log",
            "DROP FUNCTION akta_access_log_delete_guard()",
            "CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log \
             FOR EACH ROW EXECUTE FUNCTION akta_refuse_access_log_change()",
            r#"CREATE OR REPLACE FUNCTION akta_refuse_signed_entry_change() RETURNS trigger AS $$
BEGIN
  IF OLD.status = 'signed' THEN
    RAISE EXCEPTION 'signed journal entries are permanent' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql"#,
            r#"CREATE OR REPLACE FUNCTION akta_refuse_signed_link_change() RETURNS trigger AS $$
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
        ],
        _ => &[
            "DROP TRIGGER journal_entries_signed_no_delete_unpermitted",
            "CREATE TRIGGER journal_entries_signed_no_delete BEFORE DELETE ON journal_entries \
             FOR EACH ROW WHEN OLD.status = 'signed' \
             BEGIN SELECT RAISE(ABORT, 'signed journal entries are permanent'); END",
            "DROP TRIGGER journal_entry_goals_signed_no_delete_unpermitted",
            "CREATE TRIGGER journal_entry_goals_signed_no_delete BEFORE DELETE ON journal_entry_goals \
             FOR EACH ROW WHEN (SELECT status FROM journal_entries WHERE id = OLD.entry_id) = 'signed' \
             BEGIN SELECT RAISE(ABORT, 'the goal links of a signed journal entry are permanent'); END",
            "DROP TRIGGER access_log_no_delete_unpermitted",
            "CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log \
             BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END",
        ],
    }
}

#[derive(DeriveIden)]
enum DeletionPermits {
    Table,
    Id,
    CaseFileId,
    ClientId,
    IntakePublicId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CullLog {
    Table,
    Id,
    RunOn,
    Kind,
    StartedAt,
    FinishedAt,
    FilesCulled,
    ClientsRemoved,
    EntriesRemoved,
    LogLinesRemoved,
    EarliestClosedOn,
    LatestClosedOn,
}

#[derive(DeriveIden)]
enum OpenIntakeStats {
    Table,
    Service,
    Month,
    Sex,
    AgeBand,
    Closed,
}
