//! Deletion permits (migrations 000005 and 000015): the one way past the triggers that
//! keep signed entries, signed plans and the access log. A permit lives only inside the
//! transaction that destroys what it names; it is cleared before the commit.
//!
//! On SQLite the rows are inserted here. On PostgreSQL the server may run as a role that
//! may not insert them (`server/src/roles.rs`): it asks the SECURITY DEFINER functions
//! of migration 000015, which check the rule themselves (a file due for culling today,
//! an open intake that exists), so a stolen runtime connection cannot permit itself to
//! delete a log line.

use super::entities::deletion_permits;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbBackend, DbErr, EntityTrait,
    QueryFilter, Statement,
};

/// Permits destroying the file `file` and, when it is the client's only file
/// (`client_too`), the client `client`. The caller has decided the file is due.
pub async fn for_culling(
    db: &impl ConnectionTrait,
    file: i32,
    client: i32,
    client_too: bool,
) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT akta_permit_culling($1)",
            [file.into()],
        ))
        .await?;
        return Ok(());
    }
    let now = super::now();
    deletion_permits::Entity::insert(deletion_permits::ActiveModel {
        case_file_id: Set(Some(file)),
        created_at: Set(now),
        ..Default::default()
    })
    .exec(db)
    .await?;
    if client_too {
        deletion_permits::Entity::insert(deletion_permits::ActiveModel {
            client_id: Set(Some(client)),
            created_at: Set(now),
            ..Default::default()
        })
        .exec(db)
        .await?;
    }
    Ok(())
}

/// Removes the permits [`for_culling`] made.
pub async fn clear_culling(db: &impl ConnectionTrait, file: i32, client: i32) -> Result<(), DbErr> {
    deletion_permits::Entity::delete_many()
        .filter(
            Condition::any()
                .add(deletion_permits::Column::CaseFileId.eq(file))
                .add(deletion_permits::Column::ClientId.eq(client)),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// Permits deleting the log lines of the open intake `public_id` (it must exist).
pub async fn for_intake(db: &impl ConnectionTrait, public_id: &str) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT akta_permit_intake_deletion($1)",
            [public_id.into()],
        ))
        .await?;
        return Ok(());
    }
    deletion_permits::Entity::insert(deletion_permits::ActiveModel {
        intake_public_id: Set(Some(public_id.to_owned())),
        created_at: Set(super::now()),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(())
}

/// Removes the permit [`for_intake`] made.
pub async fn clear_intake(db: &impl ConnectionTrait, public_id: &str) -> Result<(), DbErr> {
    deletion_permits::Entity::delete_many()
        .filter(deletion_permits::Column::IntakePublicId.eq(public_id))
        .exec(db)
        .await?;
    Ok(())
}
