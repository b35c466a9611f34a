//! A file's care team: who has access to it as contact person or co-worker.

use crate::error::AppError;
use crate::model::TeamView;
use leptos::prelude::*;

/// The team of a file the user may see. Logged: it names the client.
#[server(prefix = "/api", endpoint = "team/get")]
pub async fn get_team(file: String) -> Result<TeamView, AppError> {
    use crate::server::guard::{Permission, require};
    use crate::server::{access_log, team};
    let ctx = require(Permission::ReadFiles).await?;
    let file = team::visible_file(&ctx.db, &ctx.user, &file).await?;
    let view = team::view(&ctx.db, &ctx.user, &file).await?;
    access_log::write(
        &ctx.db,
        access_log::Entry {
            user_id: ctx.user.id,
            action: access_log::Action::ReadTeam,
            client_id: Some(file.client_id),
            case_file_id: Some(file.id),
            detail: None,
        },
    )
    .await
    .map_err(crate::server::internal)?;
    Ok(view)
}

/// Adds a co-worker, removes one, or makes someone the contact person
/// (`change` = `add`, `remove` or `contact`). Only the manager and the file's
/// contact person may; the person must be active staff (removal excepted).
#[server(prefix = "/api", endpoint = "team/change")]
pub async fn change_team(file: String, change: String, username: String) -> Result<(), AppError> {
    use crate::error::Problem;
    use crate::server::guard::{Permission, require};
    use crate::server::{access_log, team};
    let ctx = require(Permission::ReadFiles).await?;
    let file = team::visible_file(&ctx.db, &ctx.user, &file).await?;
    if !team::may_change(&ctx.user, &file) {
        access_log::write(
            &ctx.db,
            access_log::Entry {
                user_id: ctx.user.id,
                action: access_log::Action::Refused,
                client_id: Some(file.client_id),
                case_file_id: Some(file.id),
                detail: Some("change care team"),
            },
        )
        .await
        .map_err(crate::server::internal)?;
        return Err(AppError::Forbidden);
    }
    // A closed file is read-only: its team stays as it was when it closed.
    if file.closed_on.is_some() {
        return Err(AppError::FileClosed);
    }
    let staff = crate::server::clients::active_staff(&ctx.db).await?;
    let person = staff.iter().find(|u| u.username == username.trim());
    let (change, detail) = match (change.as_str(), person) {
        ("add", Some(u)) => (team::Change::Add(u.id), format!("added {}", u.username)),
        ("contact", Some(u)) => (
            team::Change::Contact(u.id),
            format!("contact person {}", u.username),
        ),
        ("remove", _) => {
            // A co-worker who has since left can still be removed.
            use crate::server::entities::users;
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
            let user = users::Entity::find()
                .filter(users::Column::Username.eq(username.trim()))
                .one(&ctx.db)
                .await
                .map_err(crate::server::internal)?
                .ok_or(AppError::field("username", Problem::InvalidStaff))?;
            (
                team::Change::Remove(user.id),
                format!("removed {}", user.username),
            )
        }
        ("add" | "contact", None) => {
            return Err(AppError::field("username", Problem::InvalidStaff));
        }
        _ => return Err(AppError::Internal),
    };
    team::change(&ctx.db, &ctx.user, &file, change, &detail).await?;
    tracing::info!(by = %ctx.user.username, "care team changed");
    Ok(())
}
