//! A file's care team: who has access to it as contact person or co-worker.

use crate::error::AppError;
use crate::model::TeamView;
use leptos::prelude::*;

/// The team of a file the user may see. Logged: it names the client.
#[server(prefix = "/api", endpoint = "team/get")]
pub async fn get_team(file: String) -> Result<TeamView, AppError> {
    use crate::server::access_log::Action;
    use crate::server::{guard, team};
    guard::file(&file)
        .read(Action::ReadTeam, async |f| {
            team::view(f.db, f.user, &f.opened.file).await
        })
        .await
}

/// Adds a co-worker, removes one, or makes someone the contact person
/// (`change` = `add`, `remove` or `contact`). Only the manager and the file's
/// contact person may; the person must be active staff (removal excepted).
#[server(prefix = "/api", endpoint = "team/change")]
pub async fn change_team(file: String, change: String, username: String) -> Result<(), AppError> {
    use crate::error::Problem;
    use crate::model::log::{LogDetail, TeamChange};
    use crate::server::access_log::Action;
    use crate::server::entities::users;
    use crate::server::{clients, guard, team};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    guard::file(&file)
        .change(Action::ChangeTeam, async |f| {
            let file = &f.opened.file;
            if !team::may_change(f.user, file) {
                return Err(AppError::Forbidden);
            }
            // A closed file is read-only: its team stays as it was when it closed.
            if file.closed_on.is_some() {
                return Err(AppError::FileClosed);
            }
            let staff = clients::active_staff(f.db).await?;
            let person = staff.iter().find(|u| u.username == username.trim());
            let (change, detail) = match (change.as_str(), person) {
                ("add", Some(u)) => (
                    team::Change::Add(u.id),
                    (TeamChange::Added, u.display_name.clone()),
                ),
                ("contact", Some(u)) => (
                    team::Change::Contact(u.id),
                    (TeamChange::ContactPerson, u.display_name.clone()),
                ),
                ("remove", _) => {
                    // A co-worker who has since left can still be removed.
                    let user = users::Entity::find()
                        .filter(users::Column::Username.eq(username.trim()))
                        .one(f.db)
                        .await?
                        .ok_or(AppError::field("username", Problem::InvalidStaff))?;
                    (
                        team::Change::Remove(user.id),
                        (TeamChange::Removed, user.display_name),
                    )
                }
                ("add" | "contact", None) => {
                    return Err(AppError::field("username", Problem::InvalidStaff));
                }
                _ => return Err(AppError::BadRequest),
            };
            team::change(f.db, file, change).await?;
            let (change, person) = detail;
            f.log_detail(LogDetail::Team { change, person });
            tracing::info!(by = %f.user.username, "care team changed");
            Ok(())
        })
        .await
}
