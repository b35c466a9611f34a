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
//! by a later migration gets its grants when the operator migrates. Every table is
//! named in [`GRANTS`] with exactly what the runtime role may do on it; a table the
//! list does not name gets nothing, and `akta migrate --runtime-role` refuses to
//! finish until it is named (deny by default: a new table is a decision, not a
//! default).

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement};

/// Reads, adds, changes and removes rows: tables whose rows live and change with the
/// work, and go when a file is culled.
const ALL: &str = "SELECT, INSERT, UPDATE, DELETE";
/// Rows are added and changed but never removed.
const KEPT: &str = "SELECT, INSERT, UPDATE";
/// Rows are written once and never changed; removed only when a file is culled.
const ONCE: &str = "SELECT, INSERT, DELETE";

/// Every table of the schema, with what the runtime role may do on it.
pub const GRANTS: &[(&str, &str)] = &[
    // Append-only: DELETE only under a permit (trigger), never UPDATE.
    ("access_log", ONCE),
    // A signed entry's links never change; drafts' links are added and removed.
    ("journal_entry_goals", ONCE),
    // Entries: drafts change and are removed; the triggers refuse both once signed.
    ("journal_entries", ALL),
    // Plans: the same, for signed versions and their goals.
    ("plan_versions", ALL),
    ("goals", ALL),
    // Written once (UPDATE refused by triggers too); DELETE only when culling.
    ("monthly_reviews", ONCE),
    ("monthly_reports", ONCE),
    ("monthly_report_goals", ONCE),
    // The file and what hangs on it: changed while open, removed when culled.
    ("clients", ALL),
    ("assignments", ALL),
    ("case_files", ALL),
    ("care_team", ALL),
    ("intake_checks", ALL),
    ("follow_ups", ALL),
    ("final_reports", ALL),
    ("deviations", ALL),
    // Written again after each change in a file and once a day.
    ("due_summaries", ALL),
    ("open_intakes", ALL),
    // The yearly audit: answers are upserted, assignments redrawn and swapped, a
    // draft round's checklist edited; all of a file's rows go with the file.
    ("audit_assignments", ALL),
    ("audit_actions", ALL),
    ("audit_answers", ALL),
    ("audit_judgements", ALL),
    ("audit_year_answers", ALL),
    ("audit_year_judgements", ALL),
    ("audit_round_items", ALL),
    ("audit_reminders", KEPT),
    ("audit_reviewers", "SELECT, INSERT"),
    ("audit_rounds", KEPT),
    // Accounts are deactivated, never removed (the log names them).
    ("users", KEPT),
    // One's recovery codes are replaced at each enrolment and reset.
    ("recovery_codes", ALL),
    ("unit_settings", KEPT),
    // Sessions and the login throttle come and go.
    ("sessions", ALL),
    ("login_throttle", ALL),
    // Anonymous counts that outlive culled open intakes: added to, never removed.
    ("open_intake_stats", KEPT),
    // Records: a systematic log review is written once; a cull run's row is written
    // and its counts filled in.
    ("log_reviews", "SELECT, INSERT"),
    ("cull_log", KEPT),
    // Permits come only from the checking functions; clearing one is harmless.
    ("deletion_permits", "SELECT, DELETE"),
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
    #[error(
        "these tables have no entry in the runtime role's grants (server/src/roles.rs): {0}; \
         decide what the server may do on each before migrating with --runtime-role"
    )]
    Unlisted(String),
    #[error("the database refused the grants: {0}")]
    Db(#[from] DbErr),
}

/// The schema's tables that [`GRANTS`] does not name.
pub fn unlisted(tables: &[String]) -> Vec<&str> {
    tables
        .iter()
        .filter(|t| !GRANTS.iter().any(|(g, _)| g == t))
        .map(String::as_str)
        .collect()
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
    let unlisted = unlisted(&tables);
    if !unlisted.is_empty() {
        return Err(RoleError::Unlisted(unlisted.join(", ")));
    }
    for (table, allowed) in GRANTS {
        if tables.iter().any(|t| t == table) {
            sql.push(format!("GRANT {allowed} ON \"{table}\" TO \"{role}\""));
        }
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
