//! Security of issue 14: append-only in the database itself (item 6), passwords an
//! administrator set must be changed (item 10), and the per-account login throttle
//! kept in the database so that it holds across instances (item 2).
//!
//! **Accounts.** `users.must_change_password`: set when an administrator creates an
//! account or resets its password, cleared when its owner chooses one.
//! `login_throttle`: failed logins per username as typed (lower case), whether or not
//! such an account exists, so the throttle tells nobody which names are real.
//!
//! **SQLite.** `INSERT OR REPLACE` (and `REPLACE`, `UPDATE OR REPLACE`) resolves a
//! unique conflict by deleting the old row, and SQLite fires no DELETE trigger for that
//! unless the connection has `recursive_triggers` on — so the old triggers let a signed
//! entry or an access-log line be rewritten. BEFORE INSERT triggers run before any
//! conflict is resolved, whatever the connection's settings: an insert whose id (or
//! other unique key) is that of a protected row is refused, and so is an update that
//! would move a row onto a protected row's unique key. `ON CONFLICT DO UPDATE` meets the
//! insert guard first and the UPDATE triggers after it.
//!
//! **Signed plan versions** (the client has signed: `client_signed_on` set) and their
//! goals and sub-goals get the guard of signed entries on both databases: UPDATE refused
//! (except the dates the copies were handed out, which are recorded after signing),
//! DELETE only under a deletion permit naming the file, goals not added to a signed
//! version. The goal link of a signed entry can no longer be made by moving a draft's
//! link onto it either. TRUNCATE of plans, goals and goal links is refused on PostgreSQL.
//!
//! **PostgreSQL permits.** The server may run as a role that cannot insert into
//! `deletion_permits` (see `server/src/roles.rs`). Two SECURITY DEFINER functions are
//! the only way for it to get a permit, and each checks the rule first:
//! `akta_permit_culling(file)` only for a file whose culling is due today (the rule of
//! `akta_domain::culling`: closed, the client's files all closed and the last closing
//! five years ago, the birth date known and not the 5th, 15th or 25th), and for the
//! client too when it is the client's only file; `akta_permit_intake_deletion(id)`
//! only for an open intake that exists.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(boolean(Users::MustChangePassword).default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LoginThrottle::Table)
                    .col(string_len(LoginThrottle::Username, 200).primary_key())
                    .col(integer(LoginThrottle::Failures))
                    .col(big_integer(LoginThrottle::LastFailureAt))
                    .col(big_integer(LoginThrottle::LockedUntil))
                    .to_owned(),
            )
            .await?;
        let sql = match manager.get_database_backend() {
            DbBackend::Postgres => POSTGRES_UP,
            _ => SQLITE_UP,
        };
        for statement in sql {
            manager
                .get_connection()
                .execute_unprepared(statement)
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let sql = match manager.get_database_backend() {
            DbBackend::Postgres => POSTGRES_DOWN,
            _ => SQLITE_DOWN,
        };
        for statement in sql {
            manager
                .get_connection()
                .execute_unprepared(statement)
                .await?;
        }
        manager
            .drop_table(Table::drop().table(LoginThrottle::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::MustChangePassword)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    MustChangePassword,
}

#[derive(DeriveIden)]
enum LoginThrottle {
    Table,
    Username,
    Failures,
    LastFailureAt,
    LockedUntil,
}

/// "The plan version with this id is signed by the client."
macro_rules! signed_version {
    ($id:expr) => {
        concat!(
            "(SELECT client_signed_on FROM plan_versions WHERE id = ",
            $id,
            ") IS NOT NULL"
        )
    };
}

const SQLITE_UP: &[&str] = &[
    // Signed journal entries: keys id and public_id.
    "CREATE TRIGGER journal_entries_signed_no_replace BEFORE INSERT ON journal_entries \
     FOR EACH ROW WHEN EXISTS (SELECT 1 FROM journal_entries e WHERE e.status = 'signed' \
         AND (e.id = NEW.id OR e.public_id = NEW.public_id)) \
     BEGIN SELECT RAISE(ABORT, 'signed journal entries are permanent'); END",
    "CREATE TRIGGER journal_entries_signed_no_replace_by_update BEFORE UPDATE ON journal_entries \
     FOR EACH ROW WHEN EXISTS (SELECT 1 FROM journal_entries e WHERE e.status = 'signed' \
         AND e.id <> OLD.id AND (e.id = NEW.id OR e.public_id = NEW.public_id)) \
     BEGIN SELECT RAISE(ABORT, 'signed journal entries are permanent'); END",
    // The access log: every line, key id (UPDATE is refused already).
    "CREATE TRIGGER access_log_no_replace BEFORE INSERT ON access_log \
     FOR EACH ROW WHEN EXISTS (SELECT 1 FROM access_log l WHERE l.id = NEW.id) \
     BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END",
    // A goal link may not be moved onto a signed entry.
    "CREATE TRIGGER journal_entry_goals_signed_no_move BEFORE UPDATE ON journal_entry_goals \
     FOR EACH ROW WHEN (SELECT status FROM journal_entries WHERE id = NEW.entry_id) = 'signed' \
     BEGIN SELECT RAISE(ABORT, 'the goal links of a signed journal entry are permanent'); END",
    // Signed plan versions: keys id, (case_file_id, version_no), (case_file_id, valid_from).
    "CREATE TRIGGER plan_versions_signed_no_replace BEFORE INSERT ON plan_versions \
     FOR EACH ROW WHEN EXISTS (SELECT 1 FROM plan_versions v WHERE v.client_signed_on IS NOT NULL \
         AND (v.id = NEW.id OR (v.case_file_id = NEW.case_file_id \
              AND (v.version_no = NEW.version_no OR v.valid_from = NEW.valid_from)))) \
     BEGIN SELECT RAISE(ABORT, 'signed plan versions are permanent'); END",
    "CREATE TRIGGER plan_versions_signed_no_replace_by_update BEFORE UPDATE ON plan_versions \
     FOR EACH ROW WHEN EXISTS (SELECT 1 FROM plan_versions v WHERE v.client_signed_on IS NOT NULL \
         AND v.id <> OLD.id AND (v.id = NEW.id OR (v.case_file_id = NEW.case_file_id \
              AND (v.version_no = NEW.version_no OR v.valid_from = NEW.valid_from)))) \
     BEGIN SELECT RAISE(ABORT, 'signed plan versions are permanent'); END",
    "CREATE TRIGGER plan_versions_signed_no_update BEFORE UPDATE ON plan_versions \
     FOR EACH ROW WHEN OLD.client_signed_on IS NOT NULL AND ( \
         NEW.id IS NOT OLD.id OR NEW.case_file_id IS NOT OLD.case_file_id \
         OR NEW.version_no IS NOT OLD.version_no OR NEW.valid_from IS NOT OLD.valid_from \
         OR NEW.client_view IS NOT OLD.client_view OR NEW.client_signed_on IS NOT OLD.client_signed_on \
         OR NEW.client_signed_how IS NOT OLD.client_signed_how OR NEW.created_by IS NOT OLD.created_by \
         OR NEW.created_at IS NOT OLD.created_at OR NEW.revision_reason IS NOT OLD.revision_reason) \
     BEGIN SELECT RAISE(ABORT, 'signed plan versions are permanent'); END",
    "CREATE TRIGGER plan_versions_signed_no_delete BEFORE DELETE ON plan_versions \
     FOR EACH ROW WHEN OLD.client_signed_on IS NOT NULL \
     AND NOT EXISTS (SELECT 1 FROM deletion_permits p WHERE p.case_file_id = OLD.case_file_id) \
     BEGIN SELECT RAISE(ABORT, 'signed plan versions are permanent'); END",
    // Goals and sub-goals of a signed version: keys id and public_id.
    concat!(
        "CREATE TRIGGER goals_signed_no_insert BEFORE INSERT ON goals FOR EACH ROW WHEN ",
        signed_version!("NEW.plan_version_id"),
        " OR EXISTS (SELECT 1 FROM goals g JOIN plan_versions v ON v.id = g.plan_version_id \
             WHERE v.client_signed_on IS NOT NULL AND (g.id = NEW.id OR g.public_id = NEW.public_id)) \
         BEGIN SELECT RAISE(ABORT, 'the goals of a signed plan version are permanent'); END"
    ),
    concat!(
        "CREATE TRIGGER goals_signed_no_update BEFORE UPDATE ON goals FOR EACH ROW WHEN ",
        signed_version!("OLD.plan_version_id"),
        " OR ",
        signed_version!("NEW.plan_version_id"),
        " OR EXISTS (SELECT 1 FROM goals g JOIN plan_versions v ON v.id = g.plan_version_id \
             WHERE v.client_signed_on IS NOT NULL AND g.id <> OLD.id \
             AND (g.id = NEW.id OR g.public_id = NEW.public_id)) \
         BEGIN SELECT RAISE(ABORT, 'the goals of a signed plan version are permanent'); END"
    ),
    concat!(
        "CREATE TRIGGER goals_signed_no_delete BEFORE DELETE ON goals FOR EACH ROW WHEN ",
        signed_version!("OLD.plan_version_id"),
        " AND NOT EXISTS (SELECT 1 FROM deletion_permits p JOIN plan_versions v \
             ON v.case_file_id = p.case_file_id WHERE v.id = OLD.plan_version_id) \
         BEGIN SELECT RAISE(ABORT, 'the goals of a signed plan version are permanent'); END"
    ),
];

const SQLITE_DOWN: &[&str] = &[
    "DROP TRIGGER journal_entries_signed_no_replace",
    "DROP TRIGGER journal_entries_signed_no_replace_by_update",
    "DROP TRIGGER access_log_no_replace",
    "DROP TRIGGER journal_entry_goals_signed_no_move",
    "DROP TRIGGER plan_versions_signed_no_replace",
    "DROP TRIGGER plan_versions_signed_no_replace_by_update",
    "DROP TRIGGER plan_versions_signed_no_update",
    "DROP TRIGGER plan_versions_signed_no_delete",
    "DROP TRIGGER goals_signed_no_insert",
    "DROP TRIGGER goals_signed_no_update",
    "DROP TRIGGER goals_signed_no_delete",
];

const POSTGRES_UP: &[&str] = &[
    r#"CREATE FUNCTION akta_refuse_signed_plan_change() RETURNS trigger AS $$
BEGIN
  IF OLD.client_signed_on IS NOT NULL THEN
    IF TG_OP = 'DELETE' THEN
      IF EXISTS (SELECT 1 FROM deletion_permits p WHERE p.case_file_id = OLD.case_file_id) THEN
        RETURN OLD;
      END IF;
    ELSIF (NEW.id, NEW.case_file_id, NEW.version_no, NEW.valid_from, NEW.client_view,
           NEW.client_signed_on, NEW.client_signed_how, NEW.created_by, NEW.created_at,
           NEW.revision_reason)
          IS NOT DISTINCT FROM
          (OLD.id, OLD.case_file_id, OLD.version_no, OLD.valid_from, OLD.client_view,
           OLD.client_signed_on, OLD.client_signed_how, OLD.created_by, OLD.created_at,
           OLD.revision_reason) THEN
      -- Only the dates the copies were handed out changed.
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'signed plan versions are permanent' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql"#,
    "CREATE TRIGGER plan_versions_signed_immutable BEFORE UPDATE OR DELETE ON plan_versions \
     FOR EACH ROW EXECUTE FUNCTION akta_refuse_signed_plan_change()",
    r#"CREATE FUNCTION akta_refuse_signed_goal_change() RETURNS trigger AS $$
DECLARE old_file integer;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    SELECT case_file_id INTO old_file FROM plan_versions
     WHERE id = OLD.plan_version_id AND client_signed_on IS NOT NULL;
    IF old_file IS NOT NULL THEN
      IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM deletion_permits p WHERE p.case_file_id = old_file) THEN
        RETURN OLD;
      END IF;
      RAISE EXCEPTION 'the goals of a signed plan version are permanent' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (SELECT 1 FROM plan_versions
       WHERE id = NEW.plan_version_id AND client_signed_on IS NOT NULL) THEN
    RAISE EXCEPTION 'the goals of a signed plan version are permanent' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql"#,
    "CREATE TRIGGER goals_signed_immutable BEFORE INSERT OR UPDATE OR DELETE ON goals \
     FOR EACH ROW EXECUTE FUNCTION akta_refuse_signed_goal_change()",
    // A goal link may not be moved onto a signed entry (the old check looked at OLD only).
    r#"CREATE FUNCTION akta_refuse_link_move() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM journal_entries WHERE id = NEW.entry_id AND status = 'signed') THEN
    RAISE EXCEPTION 'the goal links of a signed journal entry are permanent' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql"#,
    "CREATE TRIGGER journal_entry_goals_signed_no_move BEFORE UPDATE ON journal_entry_goals \
     FOR EACH ROW EXECUTE FUNCTION akta_refuse_link_move()",
    // TRUNCATE bypasses row triggers (and would take signed rows with the rest).
    r#"CREATE FUNCTION akta_refuse_truncate() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'signed documentation is permanent: TRUNCATE refused' USING ERRCODE = 'integrity_constraint_violation';
END $$ LANGUAGE plpgsql"#,
    "CREATE TRIGGER journal_entry_goals_no_truncate BEFORE TRUNCATE ON journal_entry_goals \
     FOR EACH STATEMENT EXECUTE FUNCTION akta_refuse_truncate()",
    "CREATE TRIGGER plan_versions_no_truncate BEFORE TRUNCATE ON plan_versions \
     FOR EACH STATEMENT EXECUTE FUNCTION akta_refuse_truncate()",
    "CREATE TRIGGER goals_no_truncate BEFORE TRUNCATE ON goals \
     FOR EACH STATEMENT EXECUTE FUNCTION akta_refuse_truncate()",
    // The only ways to a deletion permit for a role that may not insert one.
    r#"CREATE FUNCTION akta_permit_culling(file integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  the_client integer;
  born date;
  files integer;
  open_files integer;
  last_closed date;
  today date := (now() AT TIME ZONE 'Europe/Stockholm')::date;
BEGIN
  SELECT f.client_id, c.birth_date INTO the_client, born
    FROM case_files f JOIN clients c ON c.id = f.client_id WHERE f.id = file;
  IF the_client IS NULL THEN
    RAISE EXCEPTION 'no such case file' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  SELECT count(*), count(*) FILTER (WHERE closed_on IS NULL), max(closed_on)
    INTO files, open_files, last_closed FROM case_files WHERE client_id = the_client;
  IF open_files > 0 OR last_closed IS NULL OR born IS NULL
     OR extract(day FROM born) IN (5, 15, 25)
     OR (last_closed + interval '5 years')::date > today THEN
    RAISE EXCEPTION 'the file is not due for culling' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  INSERT INTO deletion_permits (case_file_id, created_at) VALUES (file, now());
  IF files = 1 THEN
    INSERT INTO deletion_permits (client_id, created_at) VALUES (the_client, now());
  END IF;
END $$"#,
    r#"CREATE FUNCTION akta_permit_intake_deletion(intake varchar) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM open_intakes WHERE public_id = intake) THEN
    RAISE EXCEPTION 'no such open intake' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  INSERT INTO deletion_permits (intake_public_id, created_at) VALUES (intake, now());
END $$"#,
    "REVOKE ALL ON FUNCTION akta_permit_culling(integer) FROM PUBLIC",
    "REVOKE ALL ON FUNCTION akta_permit_intake_deletion(varchar) FROM PUBLIC",
];

const POSTGRES_DOWN: &[&str] = &[
    "DROP FUNCTION akta_permit_intake_deletion(varchar)",
    "DROP FUNCTION akta_permit_culling(integer)",
    "DROP TRIGGER goals_no_truncate ON goals",
    "DROP TRIGGER plan_versions_no_truncate ON plan_versions",
    "DROP TRIGGER journal_entry_goals_no_truncate ON journal_entry_goals",
    "DROP FUNCTION akta_refuse_truncate()",
    "DROP TRIGGER journal_entry_goals_signed_no_move ON journal_entry_goals",
    "DROP FUNCTION akta_refuse_link_move()",
    "DROP TRIGGER goals_signed_immutable ON goals",
    "DROP FUNCTION akta_refuse_signed_goal_change()",
    "DROP TRIGGER plan_versions_signed_immutable ON plan_versions",
    "DROP FUNCTION akta_refuse_signed_plan_change()",
];
