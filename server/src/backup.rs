//! `akta backup FILE` and `akta restore FILE`: a consistent copy taken while the
//! server writes, verified before it is given its name, and a restore that only
//! ever fills an empty database.
//!
//! SQLite: `VACUUM INTO` copies one read snapshot of the database (every commit
//! before it, none after) into a new file, compacted; the copy is checked with
//! `PRAGMA integrity_check` and must hold Akta's migrations. A restore copies a
//! verified backup into place when the target has no tables.
//!
//! PostgreSQL: the database's own tools, `pg_dump --format=custom` (one snapshot
//! in a repeatable-read transaction) and `pg_restore --single-transaction`; the
//! dump is verified by reading its table of contents.

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};
use std::path::{Path, PathBuf};

/// A failure of a backup or a restore: one clear line for the operator.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} already exists; a backup never overwrites a file (choose a new name)")]
    Exists(PathBuf),
    #[error("{0} does not exist")]
    Missing(PathBuf),
    #[error("cannot write {path}: {reason}")]
    Write { path: PathBuf, reason: String },
    #[error("the backup {path} failed its check: {reason}")]
    Verify { path: PathBuf, reason: String },
    #[error("the database refused: {0}")]
    Database(String),
    #[error("the target database is not empty ({0} tables); restore only into an empty database")]
    NotEmpty(usize),
    #[error("{tool} failed: {reason}")]
    Tool { tool: &'static str, reason: String },
}

/// What a verified backup holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contents {
    /// Akta's tables with their rows, by name.
    pub tables: Vec<(String, u64)>,
}

impl Contents {
    pub fn rows(&self, table: &str) -> u64 {
        self.tables
            .iter()
            .find(|(name, _)| name == table)
            .map_or(0, |(_, n)| *n)
    }
}

impl std::fmt::Display for Contents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} tables; {} clients, {} case files, {} journal entries, {} access-log lines",
            self.tables.len(),
            self.rows("clients"),
            self.rows("case_files"),
            self.rows("journal_entries"),
            self.rows("access_log"),
        )
    }
}

fn db_err(e: impl std::fmt::Display) -> BackupError {
    BackupError::Database(e.to_string().lines().next().unwrap_or_default().to_owned())
}

/// Takes a backup of the database at `url` (open as `db`) into `file`, verifies it
/// and only then gives it its name. Returns what it holds.
pub async fn backup(
    db: &DatabaseConnection,
    url: &str,
    file: &Path,
) -> Result<Contents, BackupError> {
    if file.exists() {
        return Err(BackupError::Exists(file.to_owned()));
    }
    let partial = with_suffix(file, ".partial");
    let _ = std::fs::remove_file(&partial);
    let contents = match db.get_database_backend() {
        DbBackend::Sqlite => {
            let target = partial.to_string_lossy().replace('\'', "''");
            db.execute_unprepared(&format!("VACUUM INTO '{target}'"))
                .await
                .map_err(|e| BackupError::Write {
                    path: file.to_owned(),
                    reason: first_line(&e.to_string()),
                })?;
            verify_sqlite(&partial).await
        }
        _ => pg_dump(db, url, &partial).await,
    };
    let contents = match contents {
        Ok(c) => c,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    durable_rename(&partial, file)?;
    Ok(contents)
}

/// Restores the backup `file` into the empty database at `url`. Akta's migrations
/// are then brought up to date by the caller (`akta restore` runs them).
pub async fn restore(url: &str, file: &Path) -> Result<Contents, BackupError> {
    if !file.exists() {
        return Err(BackupError::Missing(file.to_owned()));
    }
    if url.starts_with("sqlite:") {
        let contents = verify_sqlite(file).await?;
        let target = sqlite_path(url)?;
        if target.exists() {
            let db = Database::connect(format!("sqlite://{}?mode=ro", target.display()))
                .await
                .map_err(db_err)?;
            let tables = table_names(&db).await?;
            db.close().await.ok();
            if !tables.is_empty() {
                return Err(BackupError::NotEmpty(tables.len()));
            }
            for stale in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(with_suffix(&target, stale));
            }
        }
        let partial = with_suffix(&target, ".restoring");
        std::fs::copy(file, &partial).map_err(|e| BackupError::Write {
            path: partial.clone(),
            reason: e.to_string(),
        })?;
        durable_rename(&partial, &target)?;
        Ok(contents)
    } else {
        let db = Database::connect(url).await.map_err(db_err)?;
        let tables = table_names(&db).await?;
        if !tables.is_empty() {
            db.close().await.ok();
            return Err(BackupError::NotEmpty(tables.len()));
        }
        pg_tool(
            "pg_restore",
            vec![
                "--no-owner".into(),
                "--no-privileges".into(),
                "--single-transaction".into(),
                "--exit-on-error".into(),
                format!("--dbname={url}"),
                file.to_string_lossy().into_owned(),
            ],
        )
        .await?;
        let contents = contents_of(&db).await;
        db.close().await.ok();
        contents
    }
}

/// Opens a SQLite backup read-only: its pages are intact and it holds Akta's tables.
async fn verify_sqlite(file: &Path) -> Result<Contents, BackupError> {
    let verify = |reason: String| BackupError::Verify {
        path: file.to_owned(),
        reason,
    };
    let db = Database::connect(format!("sqlite://{}?mode=ro", file.display()))
        .await
        .map_err(|e| verify(first_line(&e.to_string())))?;
    let check = db
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA integrity_check",
        ))
        .await
        .map_err(|e| verify(first_line(&e.to_string())));
    let result = match check {
        Ok(rows) => {
            let said: Vec<String> = rows
                .iter()
                .filter_map(|r| r.try_get_by_index::<String>(0).ok())
                .collect();
            if said == ["ok"] {
                contents_of(&db).await
            } else {
                Err(verify(format!("integrity_check said {}", said.join("; "))))
            }
        }
        Err(e) => Err(e),
    };
    db.close().await.ok();
    let contents = result?;
    if contents.rows("seaql_migrations") == 0 {
        return Err(verify("it holds no Akta database".into()));
    }
    Ok(contents)
}

/// `pg_dump` of one snapshot: a read-only repeatable-read transaction exports its
/// snapshot, counts the rows in it and keeps it open while `pg_dump --snapshot` copies
/// exactly that state; the dump is then checked against the counts.
async fn pg_dump(
    db: &DatabaseConnection,
    url: &str,
    partial: &Path,
) -> Result<Contents, BackupError> {
    use sea_orm::{AccessMode, IsolationLevel, TransactionTrait};
    let txn = db
        .begin_with_config(
            Some(IsolationLevel::RepeatableRead),
            Some(AccessMode::ReadOnly),
        )
        .await
        .map_err(db_err)?;
    let snapshot = txn
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT pg_export_snapshot()",
        ))
        .await
        .map_err(db_err)?
        .and_then(|r| r.try_get_by_index::<String>(0).ok())
        .ok_or_else(|| BackupError::Database("no snapshot to export".into()))?;
    let contents = contents_of(&txn).await?;
    let dumped = pg_tool(
        "pg_dump",
        vec![
            "--format=custom".into(),
            "--no-owner".into(),
            "--no-privileges".into(),
            format!("--snapshot={snapshot}"),
            format!("--file={}", partial.display()),
            format!("--dbname={url}"),
        ],
    )
    .await;
    txn.commit().await.map_err(db_err)?;
    dumped?;
    verify_pg_dump(partial, contents).await
}

/// A PostgreSQL dump is readable by `pg_restore` and holds data for every table.
async fn verify_pg_dump(file: &Path, contents: Contents) -> Result<Contents, BackupError> {
    let listing = pg_tool(
        "pg_restore",
        vec!["--list".into(), file.to_string_lossy().into_owned()],
    )
    .await?;
    for (table, _) in &contents.tables {
        let named = listing
            .lines()
            .any(|l| l.contains("TABLE DATA") && l.split_whitespace().any(|w| w == table));
        if !named {
            return Err(BackupError::Verify {
                path: file.to_owned(),
                reason: format!("the dump holds no data for the table {table}"),
            });
        }
    }
    Ok(contents)
}

/// Akta's tables (those of the current schema) with their row counts.
async fn contents_of(db: &impl ConnectionTrait) -> Result<Contents, BackupError> {
    let backend = db.get_database_backend();
    let mut tables = Vec::new();
    for name in table_names(db).await? {
        let row = db
            .query_one_raw(Statement::from_string(
                backend,
                format!("SELECT COUNT(*) FROM \"{}\"", name.replace('"', "\"\"")),
            ))
            .await
            .map_err(db_err)?;
        let n = row
            .and_then(|r| r.try_get_by_index::<i64>(0).ok())
            .unwrap_or(0);
        tables.push((name, u64::try_from(n).unwrap_or(0)));
    }
    Ok(Contents { tables })
}

async fn table_names(db: &impl ConnectionTrait) -> Result<Vec<String>, BackupError> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' ORDER BY name"
        }
        _ => {
            "SELECT table_name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
        }
    };
    let rows = db
        .query_all_raw(Statement::from_string(backend, sql))
        .await
        .map_err(db_err)?;
    Ok(rows
        .iter()
        .filter_map(|r| r.try_get_by_index::<String>(0).ok())
        .collect())
}

/// Runs a PostgreSQL client tool; its standard output, or its first line of complaint.
async fn pg_tool(tool: &'static str, args: Vec<String>) -> Result<String, BackupError> {
    let run =
        tokio::task::spawn_blocking(move || std::process::Command::new(tool).args(&args).output());
    let output = run
        .await
        .map_err(|e| BackupError::Tool {
            tool,
            reason: e.to_string(),
        })?
        .map_err(|e| BackupError::Tool {
            tool,
            reason: format!("cannot run it ({e}); install the PostgreSQL client tools"),
        })?;
    if !output.status.success() {
        let said = String::from_utf8_lossy(&output.stderr);
        return Err(BackupError::Tool {
            tool,
            reason: first_line(said.trim()),
        });
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The file a `sqlite:` URL names.
fn sqlite_path(url: &str) -> Result<PathBuf, BackupError> {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Err(BackupError::Database(format!(
            "{url} names no database file"
        )));
    }
    Ok(PathBuf::from(path))
}

/// Flushes `from` to disk, renames it to `to` and flushes the directory, so that the
/// name only ever points at a complete file.
fn durable_rename(from: &Path, to: &Path) -> Result<(), BackupError> {
    let write = |e: std::io::Error| BackupError::Write {
        path: to.to_owned(),
        reason: e.to_string(),
    };
    std::fs::File::open(from)
        .and_then(|f| f.sync_all())
        .map_err(write)?;
    std::fs::rename(from, to).map_err(write)?;
    if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(write)?;
    }
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or_default().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sqlite_url_names_its_file() {
        assert_eq!(
            sqlite_path("sqlite://data/akta.db?mode=rwc").unwrap(),
            PathBuf::from("data/akta.db")
        );
        assert_eq!(
            sqlite_path("sqlite:///tmp/x/akta.db").unwrap(),
            PathBuf::from("/tmp/x/akta.db")
        );
        assert!(sqlite_path("sqlite::memory:").is_err());
    }
}
