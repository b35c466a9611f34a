//! A search by name through an index (issue 19). The search lowered the names in the
//! query (`lower(first_name) LIKE 'ann%'`), so it read every client of the unit, and
//! SQLite's `lower()` knows only ASCII ("Åsa" was matched by a second pattern).
//!
//! Each client now keeps its names lowercased by Rust's `str::to_lowercase` (the app
//! writes them with every new client: `app::server::clients::name_key`), each with an
//! index. A word of the search is a range on them, `key >= 'ann' AND key < 'ann\u{10FFFF}'`,
//! which both databases read from the index. On PostgreSQL the keys are `COLLATE "C"`:
//! the range is then one of bytes, as on SQLite, and not the database's language order.
//! The keys of the clients already there are filled in here.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{DbBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = db.get_database_backend();
        let collate = match backend {
            DbBackend::Postgres => " COLLATE \"C\"",
            _ => "",
        };
        for column in ["first_name_key", "last_name_key"] {
            db.execute_unprepared(&format!(
                "ALTER TABLE clients ADD COLUMN {column} TEXT{collate} NOT NULL DEFAULT ''"
            ))
            .await?;
        }
        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT id, first_name, last_name FROM clients",
            ))
            .await?;
        for row in rows {
            let id: i32 = row.try_get("", "id")?;
            let first: String = row.try_get("", "first_name")?;
            let last: String = row.try_get("", "last_name")?;
            db.execute_raw(Statement::from_sql_and_values(
                backend,
                match backend {
                    DbBackend::Postgres => {
                        "UPDATE clients SET first_name_key = $1, last_name_key = $2 WHERE id = $3"
                    }
                    _ => "UPDATE clients SET first_name_key = ?, last_name_key = ? WHERE id = ?",
                },
                [
                    first.trim().to_lowercase().into(),
                    last.trim().to_lowercase().into(),
                    id.into(),
                ],
            ))
            .await?;
        }
        db.execute_unprepared(
            "CREATE INDEX idx_clients_first_name_key ON clients (first_name_key)",
        )
        .await?;
        db.execute_unprepared("CREATE INDEX idx_clients_last_name_key ON clients (last_name_key)")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("DROP INDEX idx_clients_first_name_key")
            .await?;
        db.execute_unprepared("DROP INDEX idx_clients_last_name_key")
            .await?;
        for column in ["first_name_key", "last_name_key"] {
            db.execute_unprepared(&format!("ALTER TABLE clients DROP COLUMN {column}"))
                .await?;
        }
        Ok(())
    }
}
