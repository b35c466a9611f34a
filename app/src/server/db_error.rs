//! How a database error reaches the user: `?` turns it into [`AppError`], logging the
//! cause with the place in the code where it happened. The cause (SQL, driver text)
//! never leaves the server.
//!
//! An error that says the database cannot be reached or cannot write just now (no
//! connection, a full disk, an I/O error, the lock not granted in time) is
//! [`AppError::Unavailable`] (503: nothing was stored, try again); every other one is
//! [`AppError::Internal`] (500).

use crate::error::AppError;
use sea_orm::{DbErr, RuntimeErr};

impl From<DbErr> for AppError {
    #[track_caller]
    fn from(err: DbErr) -> Self {
        let at = std::panic::Location::caller();
        if is_unavailable(&err) {
            tracing::error!(error = %err, %at, "database unavailable");
            AppError::Unavailable
        } else {
            tracing::error!(error = %err, %at, "database error");
            AppError::Internal
        }
    }
}

/// Whether the error means "the database cannot be reached or cannot write now"
/// rather than a fault in what was asked of it.
pub fn is_unavailable(err: &DbErr) -> bool {
    use sea_orm::sqlx::Error;
    match err {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => {
            match &**e {
                Error::Io(_)
                | Error::Tls(_)
                | Error::PoolTimedOut
                | Error::PoolClosed
                | Error::WorkerCrashed => true,
                Error::Database(db) => {
                    let code = db.code().unwrap_or_default();
                    if db
                        .try_downcast_ref::<sea_orm::sqlx::sqlite::SqliteError>()
                        .is_some()
                    {
                        sqlite_unavailable(&code)
                    } else {
                        postgres_unavailable(&code)
                    }
                }
                _ => false,
            }
        }
        _ => false,
    }
}

/// SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL,
/// SQLITE_CANTOPEN (the primary code is the low byte of an extended one).
fn sqlite_unavailable(code: &str) -> bool {
    code.parse::<i32>()
        .is_ok_and(|n| matches!(n & 0xff, 5 | 6 | 8 | 10 | 13 | 14))
}

/// SQLSTATE classes 08 (connection exception), 53 (insufficient resources: disk full,
/// out of memory, too many connections), 57P (the server shuts down), 58 (I/O error).
fn postgres_unavailable(code: &str) -> bool {
    ["08", "53", "57P", "58"]
        .iter()
        .any(|class| code.starts_with(class))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lost_connections_and_full_disks_are_unavailable_and_bugs_are_not() {
        assert!(is_unavailable(&DbErr::ConnectionAcquire(
            sea_orm::ConnAcquireErr::Timeout
        )));
        assert!(sqlite_unavailable("13")); // SQLITE_FULL
        assert!(sqlite_unavailable("778")); // SQLITE_IOERR_WRITE
        assert!(sqlite_unavailable("5")); // SQLITE_BUSY
        assert!(!sqlite_unavailable("19")); // SQLITE_CONSTRAINT
        assert!(!sqlite_unavailable("2067")); // SQLITE_CONSTRAINT_UNIQUE
        assert!(postgres_unavailable("53100")); // disk_full
        assert!(postgres_unavailable("08006")); // connection_failure
        assert!(!postgres_unavailable("23505")); // unique_violation
        assert!(!postgres_unavailable("42601")); // syntax_error
        assert!(!is_unavailable(&DbErr::RecordNotFound("x".into())));
    }
}
