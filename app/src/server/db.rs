//! Connecting to SQLite (embedded default) or PostgreSQL.

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Opens the database named by `url`. SQLite runs in WAL mode with
/// `synchronous=FULL` (a signed entry survives a power cut) and foreign keys on.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.sqlx_logging(false)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(10));
    if url.starts_with("sqlite:") {
        opts.max_connections(8).min_connections(1);
        opts.map_sqlx_sqlite_opts(|o| {
            use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .pragma("secure_delete", "ON")
                // What SQLite advises for long-lived connections: statistics for the
                // planner where they are missing or out of date (a limited analysis).
                .pragma("optimize", "0x10002")
                .create_if_missing(true)
        });
        opts.map_sqlx_sqlite_before_acquire(|conn, _| {
            Box::pin(async move {
                use sea_orm::sqlx::Connection;
                // The ping runs after any rollback still queued on the connection.
                conn.ping().await?;
                Ok(outside_transaction(conn.is_in_transaction()))
            })
        });
    } else {
        opts.max_connections(16);
        opts.map_sqlx_postgres_before_acquire(|conn, _| {
            Box::pin(async move {
                use sea_orm::sqlx::Connection;
                conn.ping().await?;
                Ok(outside_transaction(conn.is_in_transaction()))
            })
        });
    }
    Database::connect(opts).await
}

/// Brings the query planner's statistics up to date after much has been written (the
/// demo's unit, a day's work): SQLite's `PRAGMA optimize` analyses the tables whose
/// statistics are missing or old, within a limit; PostgreSQL's `ANALYZE` samples every
/// table (its autovacuum does the same later on its own).
pub async fn refresh_statistics(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let sql = match db.get_database_backend() {
        DbBackend::Sqlite => "PRAGMA optimize",
        _ => "ANALYZE",
    };
    db.execute_unprepared(sql).await.map(|_| ())
}

/// Whether a pooled connection may be handed out: not while it is still inside a
/// transaction. After a full disk or an I/O error SQLite may roll a transaction back
/// by itself, the driver's own ROLLBACK then fails and the connection would stay
/// "in a transaction" forever (every later BEGIN refused, or nested into one that
/// never commits); such a connection is closed and a fresh one opened instead.
fn outside_transaction(in_transaction: bool) -> bool {
    if in_transaction {
        tracing::warn!("closing a pooled connection left inside a transaction");
    }
    !in_transaction
}

/// Begins a transaction that will write. On SQLite it takes the write lock at
/// once (`BEGIN IMMEDIATE`), so concurrent writers queue on the busy timeout
/// instead of failing when a transaction that read first tries to write (a
/// deferred transaction in WAL mode cannot wait for the lock). Every write
/// transaction goes through here.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// Below this much free space on the SQLite file's filesystem, `/healthz` says the
/// database cannot write: a full disk fails writes while reads and the write lock
/// still work, so no query shows it.
const SQLITE_MIN_FREE_BYTES: u64 = 1024 * 1024;

/// Why the database cannot serve, for `/healthz`, answered within `limit`: it does
/// not answer, the write lock is not granted, or (SQLite) its disk is full. The probe
/// runs as a task of its own, so a probe that outlasts `limit` still finishes (and
/// gives its connection back cleanly) instead of being cut off inside a transaction;
/// while one waits (`probing`), no other is started.
pub async fn health(
    db: &DatabaseConnection,
    limit: Duration,
    probing: &Arc<AtomicBool>,
) -> Result<(), String> {
    if probing.swap(true, Ordering::AcqRel) {
        return Err("the last check is still waiting for the database".to_owned());
    }
    let db = db.clone();
    let flag = probing.clone();
    let probe = tokio::spawn(async move {
        let result = probe(&db).await;
        flag.store(false, Ordering::Release);
        result
    });
    match tokio::time::timeout(limit, probe).await {
        Ok(Ok(result)) => result,
        Ok(Err(e)) => {
            probing.store(false, Ordering::Release);
            Err(format!("the check failed: {e}"))
        }
        Err(_) => Err(format!("no answer within {} ms", limit.as_millis())),
    }
}

async fn probe(db: &DatabaseConnection) -> Result<(), String> {
    ping(db).await.map_err(|e| format!("no answer: {e}"))?;
    // Take the write lock (SQLite: BEGIN IMMEDIATE) and give it back.
    let txn = begin_write(db)
        .await
        .map_err(|e| format!("cannot begin a write: {e}"))?;
    txn.rollback()
        .await
        .map_err(|e| format!("cannot end a write: {e}"))?;
    if db.get_database_backend() == DbBackend::Sqlite
        && let Some(free) = sqlite_free_bytes(db).await
        && free < SQLITE_MIN_FREE_BYTES
    {
        return Err(format!("the disk is full ({free} bytes free)"));
    }
    Ok(())
}

/// Free bytes on the filesystem of the main SQLite file (`None` for a database in
/// memory or when the file system cannot say).
async fn sqlite_free_bytes(db: &DatabaseConnection) -> Option<u64> {
    let rows = db
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA database_list",
        ))
        .await
        .ok()?;
    let file: String = rows
        .iter()
        .find(|r| r.try_get_by_index::<String>(1).is_ok_and(|n| n == "main"))?
        .try_get_by_index(2)
        .ok()?;
    let dir = std::path::Path::new(&file).parent()?.to_owned();
    let stat = rustix::fs::statvfs(&dir).ok()?;
    Some(stat.f_bavail.saturating_mul(stat.f_frsize))
}

/// "sqlite" or "postgres", as `/healthz` reports it.
pub fn backend_name(db: &DatabaseConnection) -> &'static str {
    match db.get_database_backend() {
        DbBackend::Postgres => "postgres",
        DbBackend::Sqlite => "sqlite",
        _ => "other",
    }
}

/// A cheap round trip, for health checks.
pub async fn ping(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.execute_unprepared("SELECT 1").await.map(|_| ())
}
