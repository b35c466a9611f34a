//! Monthly reviews and reports are written once (000007 refuses UPDATE), and on SQLite
//! `INSERT OR REPLACE` could still rewrite one: REPLACE deletes the old row on a unique
//! conflict without firing a DELETE trigger (issue 14; see 000015 for the same guard on
//! signed entries, plans and the log). BEFORE INSERT triggers run before any conflict
//! is resolved, whatever the connection's pragmas: an insert onto the key of a stored
//! review, report or report goal is refused. PostgreSQL has no REPLACE; nothing changes
//! there.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

// The refusal's message is read by `server::monthly` as "the month is done" (a second
// signing of the same month a moment after the first): keep the two alike.
const UP: &[&str] = &[
    "CREATE TRIGGER monthly_reviews_no_replace BEFORE INSERT ON monthly_reviews \
     FOR EACH ROW WHEN EXISTS (SELECT 1 FROM monthly_reviews r WHERE r.id = NEW.id \
         OR (r.case_file_id = NEW.case_file_id AND r.month = NEW.month)) \
     BEGIN SELECT RAISE(ABORT, 'monthly reviews and reports are written once'); END",
    "CREATE TRIGGER monthly_reports_no_replace BEFORE INSERT ON monthly_reports \
     FOR EACH ROW WHEN EXISTS (SELECT 1 FROM monthly_reports r WHERE r.id = NEW.id \
         OR (r.case_file_id = NEW.case_file_id AND r.month = NEW.month)) \
     BEGIN SELECT RAISE(ABORT, 'monthly reviews and reports are written once'); END",
    "CREATE TRIGGER monthly_report_goals_no_replace BEFORE INSERT ON monthly_report_goals \
     FOR EACH ROW WHEN EXISTS (SELECT 1 FROM monthly_report_goals g \
         WHERE g.report_id = NEW.report_id AND g.goal_id = NEW.goal_id) \
     BEGIN SELECT RAISE(ABORT, 'monthly reviews and reports are written once'); END",
];

const DOWN: &[&str] = &[
    "DROP TRIGGER monthly_reviews_no_replace",
    "DROP TRIGGER monthly_reports_no_replace",
    "DROP TRIGGER monthly_report_goals_no_replace",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Sqlite {
            for sql in UP {
                manager.get_connection().execute_unprepared(sql).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Sqlite {
            for sql in DOWN {
                manager.get_connection().execute_unprepared(sql).await?;
            }
        }
        Ok(())
    }
}
