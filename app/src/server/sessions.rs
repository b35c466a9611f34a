//! tower-sessions store in Akta's own database, so any number of `akta`
//! instances can share sessions (the server keeps no state in memory).
//!
//! The store, not the cookie, decides how long a session lives (the cookie ends with
//! the browser): it ends after `idle` without a request that reads it, and `lifetime`
//! after login whatever happens (issue 14: a fixed "idle" time that activity never
//! moved). The table keeps each id's SHA-256, so a copy of the database holds no
//! session anyone could use.

use super::entities::sessions;
use crate::error::AppError;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

#[derive(Debug, Clone)]
pub struct DbSessionStore {
    db: DatabaseConnection,
    idle: time::Duration,
    lifetime: time::Duration,
}

/// A session's idle expiry is written again only when it would move by at least this
/// much: one write a minute per active session, not one per request.
const TOUCH_EVERY_SECONDS: i64 = 60;

impl DbSessionStore {
    /// A store with the default timeouts: 30 minutes idle, 12 hours in all.
    pub fn new(db: DatabaseConnection) -> Self {
        Self {
            db,
            idle: time::Duration::minutes(30),
            lifetime: time::Duration::hours(12),
        }
    }

    /// Sessions end after `idle` without activity, and `lifetime` after login.
    pub fn with_timeouts(mut self, idle: time::Duration, lifetime: time::Duration) -> Self {
        self.idle = idle;
        self.lifetime = lifetime;
        self
    }

    /// The idle expiry of a session active now: `idle` from now, never past its end.
    fn expiry(&self, now: i64, ends_at: i64) -> i64 {
        now.saturating_add(self.idle.whole_seconds()).min(ends_at)
    }
}

/// What the table keeps of a session id. The id is 128 random bits, so its plain
/// SHA-256 can neither be guessed back nor looked up.
pub fn id_hash(id: &Id) -> String {
    use sha2::{Digest, Sha256};
    format!("{:x}", Sha256::digest(id.to_string().as_bytes()))
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

fn encode(record: &Record) -> Result<String, session_store::Error> {
    serde_json::to_string(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))
}

/// Marks a store error whose cause is an unreachable database, so that the session's
/// error can still say so (the store's error type only carries text).
const UNAVAILABLE: &str = "database unavailable: ";

fn backend(e: DbErr) -> session_store::Error {
    let mark = if super::db_error::is_unavailable(&e) {
        UNAVAILABLE
    } else {
        ""
    };
    session_store::Error::Backend(format!("{mark}{e}"))
}

/// A session that cannot be read or written, as the user hears it: "unavailable" when
/// the database cannot be reached (503), an internal error otherwise. Logged here.
#[track_caller]
pub fn session_error(e: tower_sessions::session::Error) -> AppError {
    use tower_sessions::session::Error;
    match &e {
        Error::Store(session_store::Error::Backend(text)) if text.starts_with(UNAVAILABLE) => {
            let at = std::panic::Location::caller();
            tracing::error!(error = %e, %at, "session store unavailable");
            AppError::Unavailable
        }
        _ => super::internal(e),
    }
}

#[async_trait::async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A fresh id until it is unique (a collision of 128 random bits is
        // astronomically unlikely, but a session must never be shared): the check and
        // the insert are one write transaction.
        let txn = super::db::begin_write(&self.db).await.map_err(backend)?;
        loop {
            let exists = sessions::Entity::find_by_id(id_hash(&record.id))
                .one(&txn)
                .await
                .map_err(backend)?
                .is_some();
            if !exists {
                break;
            }
            record.id = Id::default();
        }
        let now = now();
        let ends_at = now.saturating_add(self.lifetime.whole_seconds());
        sessions::Entity::insert(sessions::ActiveModel {
            id_hash: Set(id_hash(&record.id)),
            data: Set(encode(record)?),
            expires_at: Set(self.expiry(now, ends_at)),
            ends_at: Set(ends_at),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(backend)?;
        txn.commit().await.map_err(backend)
    }

    /// Writes a loaded session's data back (loading it moved its expiry). A session
    /// deleted in the meantime (it expired, or was ended elsewhere) stays deleted:
    /// saving never makes one.
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        sessions::Entity::update_many()
            .col_expr(sessions::Column::Data, Expr::value(encode(record)?))
            .filter(sessions::Column::IdHash.eq(id_hash(&record.id)))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }

    /// A live session, its idle expiry moved on: reading it is activity.
    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let now = now();
        let hash = id_hash(id);
        let Some(row) = sessions::Entity::find_by_id(hash.clone())
            .filter(sessions::Column::ExpiresAt.gt(now))
            .filter(sessions::Column::EndsAt.gt(now))
            .one(&self.db)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let expires_at = self.expiry(now, row.ends_at);
        if expires_at - row.expires_at >= TOUCH_EVERY_SECONDS {
            sessions::Entity::update_many()
                .col_expr(sessions::Column::ExpiresAt, Expr::value(expires_at))
                .filter(sessions::Column::IdHash.eq(hash))
                .exec(&self.db)
                .await
                .map_err(backend)?;
        }
        let data = serde_json::from_str(&row.data)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date = time::OffsetDateTime::from_unix_timestamp(expires_at.max(row.expires_at))
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sessions::Entity::delete_by_id(id_hash(id))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        let now = now();
        sessions::Entity::delete_many()
            .filter(
                sea_orm::Condition::any()
                    .add(sessions::Column::ExpiresAt.lte(now))
                    .add(sessions::Column::EndsAt.lte(now)),
            )
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
