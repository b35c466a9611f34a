//! The two PostgreSQL roles (issue 14, item 6).
//!
//! The **owner** role owns the schema: `akta migrate` runs as it (`--database-url` or
//! `AKTA_MIGRATE_URL`), and with `--runtime-role NAME` (or `AKTA_RUNTIME_ROLE`) it then
//! grants that role what the server needs and nothing more. The **runtime** role, the
//! one in `DATABASE_URL` of `akta serve`, owns nothing: it cannot drop or alter a table,
//! cannot disable a trigger (only an owner can), cannot TRUNCATE, cannot UPDATE the
//! tables the rules keep unchanged, and cannot insert a deletion permit — it asks the
//! SECURITY DEFINER functions of migration 000015, which check the rule first. Its
//! DELETE on the access log and journal is still refused by the triggers unless such a
//! permit exists.
//!
//! The grants are made anew by every `akta migrate --runtime-role`, so a table added
//! by a later migration gets its grants when the operator migrates. A table not named
//! in [`RESTRICTED`] gets SELECT, INSERT, UPDATE and DELETE.

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement};

/// The tables whose rules forbid some change, with what the runtime role may do.
pub const RESTRICTED: &[(&str, &str)] = &[
    // Append-only: DELETE only under a permit (trigger), never UPDATE.
    ("access_log", "SELECT, INSERT, DELETE"),
    // A signed entry's links never change; drafts' links are added and removed.
    ("journal_entry_goals", "SELECT, INSERT, DELETE"),
    // Written once (UPDATE refused by triggers too); DELETE only when culling.
    ("monthly_reviews", "SELECT, INSERT, DELETE"),
    ("monthly_reports", "SELECT, INSERT, DELETE"),
    ("monthly_report_goals", "SELECT, INSERT, DELETE"),
    // Permits come only from the checking functions; clearing one is harmless.
    ("deletion_permits", "SELECT, DELETE"),
    // The cull log is a record: a run's row is written and its counts filled in.
    ("cull_log", "SELECT, INSERT, UPDATE"),
    // The schema's history is the owner's.
    ("seaql_migrations", "SELECT"),
];

/// The functions the runtime role may call.
pub const FUNCTIONS: &[&str] = &[
    "akta_permit_culling(integer)",
    "akta_permit_intake_deletion(varchar)",
];

#[derive(Debug, thiserror::Error)]
pub enum RoleError {
    #[error("a runtime role is a PostgreSQL thing; this database is SQLite")]
    NotPostgres,
    #[error("`{0}` is not a plain role name (letters, digits and _ only)")]
    BadName(String),
    #[error("the database refused the grants: {0}")]
    Db(#[from] DbErr),
}

/// Grants `role` exactly what `akta serve` needs on the current schema.
pub async fn grant_runtime(db: &DatabaseConnection, role: &str) -> Result<(), RoleError> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Err(RoleError::NotPostgres);
    }
    if role.is_empty() || !role.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(RoleError::BadName(role.to_owned()));
    }
    let tables: Vec<String> = db
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT tablename::text AS t FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1",
        ))
        .await?
        .iter()
        .map(|row| row.try_get::<String>("", "t"))
        .collect::<Result<_, _>>()?;
    let mut sql = vec![
        format!("GRANT USAGE ON SCHEMA public TO \"{role}\""),
        format!("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM \"{role}\""),
        format!("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO \"{role}\""),
    ];
    for table in &tables {
        let allowed = RESTRICTED
            .iter()
            .find(|(t, _)| t == table)
            .map_or("SELECT, INSERT, UPDATE, DELETE", |(_, a)| a);
        sql.push(format!("GRANT {allowed} ON \"{table}\" TO \"{role}\""));
    }
    for function in FUNCTIONS {
        sql.push(format!(
            "GRANT EXECUTE ON FUNCTION {function} TO \"{role}\""
        ));
    }
    let txn = sea_orm::TransactionTrait::begin(db).await?;
    for statement in sql {
        txn.execute_unprepared(&statement).await?;
    }
    txn.commit().await?;
    Ok(())
}
