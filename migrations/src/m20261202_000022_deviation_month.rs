//! A missed monthly duty names its month (issue 13). A file closed on the 7th–9th owes
//! the review and the report of the month before and of its closing month, both due on
//! the closing day; keyed by file, duty and due day alone the register kept one of the
//! two. The month joins the key. Rows raised before this migration have no month: the
//! raising treats such a row as standing for every month of its file, duty and day, so
//! nothing already in the register is raised twice (a collision of the past stays one
//! row, as it was).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &[&str] = &[
    "ALTER TABLE deviations ADD COLUMN month VARCHAR(7) NULL",
    "DROP INDEX uq_deviations_duty",
    "CREATE UNIQUE INDEX uq_deviations_duty ON deviations (case_file_id, duty, due_on, COALESCE(month, ''))",
];

const DOWN: &[&str] = &[
    "DROP INDEX uq_deviations_duty",
    "CREATE UNIQUE INDEX uq_deviations_duty ON deviations (case_file_id, duty, due_on)",
    "ALTER TABLE deviations DROP COLUMN month",
];

/// The statements as one batch on one connection. Run one by one, each could go to
/// another pooled SQLite connection, whose cached schema still held the index just
/// dropped: the CREATE was refused as "already exists". On SQLite the batch is one
/// transaction; on PostgreSQL a batch of statements is one already.
async fn run(manager: &SchemaManager<'_>, statements: &[&str]) -> Result<(), DbErr> {
    let batch = statements.join(";\n");
    let sql = match manager.get_database_backend() {
        sea_orm_migration::sea_orm::DbBackend::Sqlite => {
            format!("BEGIN IMMEDIATE;\n{batch};\nCOMMIT")
        }
        _ => batch,
    };
    manager.get_connection().execute_unprepared(&sql).await?;
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, DOWN).await
    }
}
