//! Queries over case files, with need-to-know built into the query itself.

use super::entities::{assignments, care_team, case_files, clients, journal_entries, users};
use super::guard::CurrentUser;
use crate::error::AppError;
use crate::model::{FileRow, Page};
use akta_domain::Role;
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use std::collections::HashMap;

/// The files a user may see at all: the manager every file of the unit, staff the
/// files where they are contact person or co-worker, administrators none.
pub fn visible_to(user: &CurrentUser) -> Condition {
    match user.role {
        Role::Manager => Condition::all(),
        Role::Staff => Condition::any()
            .add(case_files::Column::ContactPersonId.eq(user.id))
            .add(
                case_files::Column::Id.in_subquery(
                    Query::select()
                        .column(care_team::Column::CaseFileId)
                        .from(care_team::Entity)
                        .and_where(care_team::Column::UserId.eq(user.id))
                        .to_owned(),
                ),
            ),
        // Admins manage accounts and read no file content.
        Role::Admin => Condition::all().add(Expr::value(false)),
    }
}

/// One page of open files, in a fixed number of queries (no N+1).
pub async fn open_files_page(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    page: u64,
    per_page: u64,
) -> Result<Page<FileRow>, AppError> {
    let query = case_files::Entity::find()
        .filter(visible_to(user))
        .filter(case_files::Column::ClosedOn.is_null())
        .order_by_desc(case_files::Column::StartedOn)
        .order_by_asc(case_files::Column::Id);
    let paginator = query.paginate(db, per_page);
    let total = paginator.num_items().await?;
    let files = paginator.fetch_page(page).await?;

    let file_ids: Vec<i32> = files.iter().map(|f| f.id).collect();
    let client_ids: Vec<i32> = files.iter().map(|f| f.client_id).collect();
    let assignment_ids: Vec<i32> = files.iter().map(|f| f.assignment_id).collect();
    let user_ids: Vec<i32> = files.iter().map(|f| f.contact_person_id).collect();

    let clients: HashMap<i32, clients::Model> = clients::Entity::find()
        .filter(clients::Column::Id.is_in(client_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let services: HashMap<i32, String> = assignments::Entity::find()
        .filter(assignments::Column::Id.is_in(assignment_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.service_type))
        .collect();
    let staff: HashMap<i32, String> = users::Entity::find()
        .filter(users::Column::Id.is_in(user_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let latest: HashMap<i32, chrono::NaiveDate> = journal_entries::Entity::find()
        .select_only()
        .column(journal_entries::Column::CaseFileId)
        .column_as(journal_entries::Column::EventDate.max(), "latest")
        .filter(journal_entries::Column::CaseFileId.is_in(file_ids))
        .filter(journal_entries::Column::Status.eq("signed"))
        .group_by(journal_entries::Column::CaseFileId)
        .into_tuple::<(i32, chrono::NaiveDate)>()
        .all(db)
        .await?
        .into_iter()
        .collect();

    let rows = files
        .into_iter()
        .filter_map(|f| {
            let client = clients.get(&f.client_id)?;
            let protected = client.protected_identity;
            Some(FileRow {
                client_name: (!protected)
                    .then(|| format!("{} {}", client.first_name, client.last_name)),
                identity_number: (!protected).then(|| client.identity_number.clone()),
                protected_identity: protected,
                service_type: services.get(&f.assignment_id).cloned().unwrap_or_default(),
                started_on: f.started_on,
                contact_person: staff.get(&f.contact_person_id).cloned().unwrap_or_default(),
                latest_entry: latest.get(&f.id).copied(),
                file_id: f.public_id,
            })
        })
        .collect();
    Ok(Page {
        rows,
        total,
        page,
        per_page,
    })
}
