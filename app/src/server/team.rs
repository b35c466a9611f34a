//! A file's care team: the contact person (on the file) and the co-workers
//! (`care_team`). The manager and the file's contact person may change it.

use super::entities::{care_team, case_files, clients, users};
use super::guard::CurrentUser;
use crate::error::AppError;
use crate::model::TeamView;
use akta_domain::Role;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

pub fn may_change(user: &CurrentUser, file: &case_files::Model) -> bool {
    user.role == Role::Manager || file.contact_person_id == user.id
}

pub async fn view(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    file: &case_files::Model,
) -> Result<TeamView, AppError> {
    let client = clients::Entity::find_by_id(file.client_id)
        .one(db)
        .await?
        .ok_or_else(|| super::internal("file without client"))?;
    let member_ids: Vec<i32> = care_team::Entity::find()
        .filter(care_team::Column::CaseFileId.eq(file.id))
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.user_id)
        .collect();
    let mut ids = member_ids.clone();
    ids.push(file.contact_person_id);
    let people = users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .all(db)
        .await?;
    let contact = people
        .iter()
        .find(|u| u.id == file.contact_person_id)
        .map(super::clients::option)
        .ok_or_else(|| super::internal("contact person missing"))?;
    let mut co_workers: Vec<_> = people
        .iter()
        .filter(|u| member_ids.contains(&u.id))
        .map(super::clients::option)
        .collect();
    co_workers.sort_by(|a, b| a.display_name.cmp(&b.display_name));
    let staff = super::clients::active_staff(db)
        .await?
        .iter()
        .map(super::clients::option)
        .collect();
    Ok(TeamView {
        file_id: file.public_id.clone(),
        client_name: (!client.protected_identity)
            .then(|| format!("{} {}", client.first_name, client.last_name)),
        contact_person: contact,
        co_workers,
        staff,
        // A closed file is read-only: its team is shown, not offered for change.
        may_change: may_change(user, file) && file.closed_on.is_none(),
    })
}

/// What to change.
pub enum Change {
    Add(i32),
    Remove(i32),
    /// A new contact person; they leave the co-workers if they were one.
    Contact(i32),
}

/// Applies one change inside the caller's transaction (the guard writes its log line).
pub async fn change(
    db: &impl ConnectionTrait,
    file: &case_files::Model,
    change: Change,
) -> Result<(), AppError> {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, IntoActiveModel};
    match change {
        Change::Add(user_id) => {
            if user_id != file.contact_person_id {
                let exists = care_team::Entity::find_by_id((file.id, user_id))
                    .one(db)
                    .await?
                    .is_some();
                if !exists {
                    care_team::Entity::insert(care_team::ActiveModel {
                        case_file_id: Set(file.id),
                        user_id: Set(user_id),
                    })
                    .exec_without_returning(db)
                    .await?;
                }
            }
        }
        Change::Remove(user_id) => {
            care_team::Entity::delete_many()
                .filter(care_team::Column::CaseFileId.eq(file.id))
                .filter(care_team::Column::UserId.eq(user_id))
                .exec(db)
                .await?;
        }
        Change::Contact(user_id) => {
            care_team::Entity::delete_many()
                .filter(care_team::Column::CaseFileId.eq(file.id))
                .filter(care_team::Column::UserId.eq(user_id))
                .exec(db)
                .await?;
            let mut model = file.clone().into_active_model();
            model.contact_person_id = Set(user_id);
            model.update(db).await?;
        }
    }
    Ok(())
}
