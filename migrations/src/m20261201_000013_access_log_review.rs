//! An access log that answers HSLF-FS 2016:40 (issue 14, item 4):
//!
//! - `access_log.user_id` may be empty: a failed login with an unknown username is
//!   logged without creating anything (the username tried is in `detail`).
//! - `access_log.address`: the request's client address as the server sees it;
//!   `access_log.session`: a short hash of the session id (never the id itself);
//!   `access_log.account_id`: the account an administrator's action concerned, or the
//!   known account a failed login tried; `access_log.outside_hours`: whether the line
//!   was written outside office hours (`akta_domain::office_hours`), decided when it is
//!   written so the review can filter on it in SQL on both databases (empty for older
//!   lines).
//! - `log_reviews`: that a systematic review of the log was done (who, when, which
//!   period, remarks). Append-only like the log itself: triggers refuse UPDATE and
//!   DELETE on both databases (and TRUNCATE on PostgreSQL).
//!
//! On SQLite a column's NOT NULL cannot be dropped in place: the table is made anew
//! and its rows copied, and the indexes and triggers it had (whichever migrations made
//! them) are read from `sqlite_master` and made again, in one transaction.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

const SQLITE_NEW_TABLE: &str = "CREATE TABLE access_log_rebuilt ( \
    id integer NOT NULL PRIMARY KEY AUTOINCREMENT, \
    at timestamp_with_timezone_text NOT NULL, \
    user_id integer NULL, \
    action varchar(40) NOT NULL, \
    client_id integer NULL, \
    case_file_id integer NULL, \
    detail varchar(300) NULL, \
    address varchar(45) NULL, \
    session varchar(16) NULL, \
    account_id integer NULL, \
    outside_hours boolean NULL, \
    FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE RESTRICT, \
    FOREIGN KEY (account_id) REFERENCES users (id) ON DELETE RESTRICT)";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    // One transaction on both databases: on SQLite the table made anew and its copy
    // commit together or not at all, on one connection.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let db = manager.get_connection();
        match backend {
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "ALTER TABLE access_log ALTER COLUMN user_id DROP NOT NULL; \
                     ALTER TABLE access_log ADD COLUMN address varchar(45) NULL; \
                     ALTER TABLE access_log ADD COLUMN session varchar(16) NULL; \
                     ALTER TABLE access_log ADD COLUMN account_id integer NULL \
                       REFERENCES users (id) ON DELETE RESTRICT; \
                     ALTER TABLE access_log ADD COLUMN outside_hours boolean NULL",
                )
                .await?;
            }
            _ => {
                let kept = db
                    .query_all_raw(Statement::from_string(
                        backend,
                        "SELECT sql FROM sqlite_master WHERE tbl_name = 'access_log' \
                         AND type IN ('index', 'trigger') AND sql IS NOT NULL \
                         ORDER BY type",
                    ))
                    .await?;
                let mut batch = vec![
                    SQLITE_NEW_TABLE.to_owned(),
                    "INSERT INTO access_log_rebuilt (id, at, user_id, action, client_id, \
                     case_file_id, detail) SELECT id, at, user_id, action, client_id, \
                     case_file_id, detail FROM access_log"
                        .to_owned(),
                    // Triggers go with the table before its rows do: nothing fires.
                    "DROP TABLE access_log".to_owned(),
                    "ALTER TABLE access_log_rebuilt RENAME TO access_log".to_owned(),
                ];
                for row in kept {
                    batch.push(row.try_get::<String>("", "sql")?);
                }
                db.execute_unprepared(&batch.join(";\n")).await?;
            }
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_access_log_account")
                    .table(AccessLog::Table)
                    .col(AccessLog::AccountId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LogReviews::Table)
                    .col(pk_auto(LogReviews::Id))
                    .col(integer(LogReviews::ReviewedBy))
                    .col(timestamp_with_time_zone(LogReviews::RecordedAt))
                    .col(date(LogReviews::PeriodFrom))
                    .col(date(LogReviews::PeriodTo))
                    .col(text(LogReviews::Remarks))
                    .foreign_key(
                        ForeignKey::create()
                            .from(LogReviews::Table, LogReviews::ReviewedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for sql in review_triggers(backend) {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let db = manager.get_connection();
        if backend == DbBackend::Postgres {
            db.execute_unprepared(
                "DROP FUNCTION IF EXISTS akta_refuse_log_review_change() CASCADE",
            )
            .await?;
        }
        manager
            .drop_table(Table::drop().table(LogReviews::Table).to_owned())
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_access_log_account")
                    .table(AccessLog::Table)
                    .to_owned(),
            )
            .await?;
        // The new columns stay on the way down (SQLite would need the table made anew
        // again); older code does not read them.
        Ok(())
    }
}

/// A recorded review is the manager's statement: it never changes.
fn review_triggers(backend: DbBackend) -> &'static [&'static str] {
    match backend {
        DbBackend::Postgres => &[
            r#"CREATE FUNCTION akta_refuse_log_review_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'a recorded log review is permanent' USING ERRCODE = 'integrity_constraint_violation';
END $$ LANGUAGE plpgsql"#,
            "CREATE TRIGGER log_reviews_append_only BEFORE UPDATE OR DELETE ON log_reviews \
             FOR EACH ROW EXECUTE FUNCTION akta_refuse_log_review_change()",
            "CREATE TRIGGER log_reviews_no_truncate BEFORE TRUNCATE ON log_reviews \
             FOR EACH STATEMENT EXECUTE FUNCTION akta_refuse_log_review_change()",
        ],
        _ => &[
            "CREATE TRIGGER log_reviews_no_update BEFORE UPDATE ON log_reviews \
             BEGIN SELECT RAISE(ABORT, 'a recorded log review is permanent'); END",
            "CREATE TRIGGER log_reviews_no_delete BEFORE DELETE ON log_reviews \
             BEGIN SELECT RAISE(ABORT, 'a recorded log review is permanent'); END",
        ],
    }
}

#[derive(DeriveIden)]
enum AccessLog {
    Table,
    AccountId,
}

#[derive(DeriveIden)]
enum LogReviews {
    Table,
    Id,
    ReviewedBy,
    RecordedAt,
    PeriodFrom,
    PeriodTo,
    Remarks,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}
