//! tower-sessions store in Akta's own database, so any number of `akta`
//! instances can share sessions (the server keeps no state in memory).

use super::entities::sessions;
use crate::error::AppError;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

#[derive(Debug, Clone)]
pub struct DbSessionStore {
    db: DatabaseConnection,
}

impl DbSessionStore {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
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

fn to_model(record: &Record) -> Result<sessions::ActiveModel, session_store::Error> {
    let data = serde_json::to_string(&record.data)
        .map_err(|e| session_store::Error::Encode(e.to_string()))?;
    Ok(sessions::ActiveModel {
        id: Set(record.id.to_string()),
        data: Set(data),
        expires_at: Set(record.expiry_date.unix_timestamp()),
    })
}

#[async_trait::async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A fresh id until it is unique (a collision of 128 random bits is
        // astronomically unlikely, but a session must never be shared): the check and
        // the insert are one write transaction.
        let txn = super::db::begin_write(&self.db).await.map_err(backend)?;
        loop {
            let exists = sessions::Entity::find_by_id(record.id.to_string())
                .one(&txn)
                .await
                .map_err(backend)?
                .is_some();
            if !exists {
                break;
            }
            record.id = Id::default();
        }
        sessions::Entity::insert(to_model(record)?)
            .exec_without_returning(&txn)
            .await
            .map_err(backend)?;
        txn.commit().await.map_err(backend)
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        sessions::Entity::insert(to_model(record)?)
            .on_conflict(
                OnConflict::column(sessions::Column::Id)
                    .update_columns([sessions::Column::Data, sessions::Column::ExpiresAt])
                    .to_owned(),
            )
            .exec_without_returning(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let Some(row) = sessions::Entity::find_by_id(id.to_string())
            .filter(sessions::Column::ExpiresAt.gt(now))
            .one(&self.db)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let data = serde_json::from_str(&row.data)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date = time::OffsetDateTime::from_unix_timestamp(row.expires_at)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sessions::Entity::delete_by_id(id.to_string())
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        sessions::Entity::delete_many()
            .filter(sessions::Column::ExpiresAt.lte(now))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
