//! The client register: search among the clients a user may see, and opening a
//! file on a new assignment (client, assignment, file and care team in one transaction).

use super::entities::{assignments, care_team, case_files, clients, users};
use super::files::visible_to;
use super::guard::{CurrentUser, Named};
use crate::error::AppError;
use crate::model::{ClientHit, Page, UserOption};
use akta_domain::{IdentityNumber, Role};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement, UnionType};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, JoinType,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, RelationDef,
};
use std::collections::HashMap;

/// The clients whose name or identity number matches a free-text search. A full
/// number in any common spelling matches exactly, and six or eight digits match a birth
/// date (both through the index on the number); other digits (with a dash) match a
/// part of the number; words match the start of first or last name, every word one of
/// them, case-insensitively.
pub fn matching(raw: &str) -> Condition {
    let q = raw.trim();
    let looks_like_number = q.chars().any(|c| c.is_ascii_digit())
        && q.chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == '+');
    if looks_like_number {
        let digits: String = q.chars().filter(char::is_ascii_digit).collect();
        // A whole number: the stored form (YYYYMMDD-NNNC) looked up through the unique
        // index; a 10-digit one in each century it can be (whatever its separator says,
        // the register may hold it either way).
        if digits.len() == 10 || digits.len() == 12 {
            let (date, serial) = digits.split_at(digits.len() - 4);
            let stored: Vec<String> = if date.len() == 8 {
                vec![format!("{date}-{serial}")]
            } else {
                ["18", "19", "20"]
                    .iter()
                    .map(|century| format!("{century}{date}-{serial}"))
                    .collect()
            };
            return Condition::all().add(clients::Column::IdentityNumber.is_in(stored));
        }
        // A birth date (ÅÅMMDD or ÅÅÅÅMMDD): the start of the stored number, a range the
        // index can read (LIKE with a leading % reads every client).
        if !q.contains(['-', '+']) && (digits.len() == 6 || digits.len() == 8) {
            let prefixes: Vec<String> = if digits.len() == 8 {
                vec![digits.clone()]
            } else {
                vec![format!("19{digits}"), format!("20{digits}")]
            };
            let mut any = Condition::any();
            for prefix in prefixes {
                // Every stored number continues with digits and a dash, all below ':'.
                any = any.add(
                    Condition::all()
                        .add(clients::Column::IdentityNumber.gte(prefix.clone()))
                        .add(clients::Column::IdentityNumber.lt(format!("{prefix}:"))),
                );
            }
            return any;
        }
        // The stored form is YYYYMMDD-NNNC: the last four digits after a dash.
        let pattern = if q.contains(['-', '+']) {
            format!("%{}%", q.replace('+', "-"))
        } else {
            format!("%{digits}%")
        };
        return Condition::any().add(clients::Column::IdentityNumber.like(pattern));
    }
    // Each word is the start of the first or the last name: a range on the lowercased
    // names' indexes (migration 000025), in byte order on both databases.
    let words: Vec<String> = q.split_whitespace().take(4).map(name_key).collect();
    let starts = |column: clients::Column, word: &str| {
        Condition::all()
            .add(Expr::col((clients::Entity, column)).gte(word))
            .add(Expr::col((clients::Entity, column)).lt(format!("{word}{}", char::MAX)))
    };
    let mut all = Condition::all();
    let Some((first, rest)) = words.split_first() else {
        return all;
    };
    // The first word picks the clients through the indexes, as a union of the two
    // ranges: written as `first OR last` beside a second such pair, SQLite without
    // statistics reads the whole table instead.
    let of_first = |column: clients::Column| {
        Query::select()
            .column((clients::Entity, clients::Column::Id))
            .from(clients::Entity)
            .cond_where(starts(column, first))
            .to_owned()
    };
    let picked = of_first(clients::Column::FirstNameKey)
        .union(UnionType::Distinct, of_first(clients::Column::LastNameKey))
        .to_owned();
    all = all.add(Expr::col((clients::Entity, clients::Column::Id)).in_subquery(picked));
    for word in rest {
        all = all.add(
            Condition::any()
                .add(starts(clients::Column::FirstNameKey, word))
                .add(starts(clients::Column::LastNameKey, word)),
        );
    }
    all
}

/// A name as the search's index holds it: lowercased ("Åsa" → "åsa"). Migration
/// 000025 filled in the clients before it with the same `str::to_lowercase`.
pub fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// `SELECT id FROM clients WHERE <matching>`, for filters on other tables.
pub fn matching_ids(raw: &str) -> SelectStatement {
    Query::select()
        .column((clients::Entity, clients::Column::Id))
        .from(clients::Entity)
        .cond_where(matching(raw))
        .to_owned()
}

fn file_client() -> RelationDef {
    case_files::Entity::belongs_to(clients::Entity)
        .from(case_files::Column::ClientId)
        .to(clients::Column::Id)
        .into()
}

/// One page of the files (with their clients) that the user may see and whose
/// client matches the search; all of them for an empty search. Fixed number of queries.
pub async fn search(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    q: &str,
    page: u64,
    per_page: u64,
) -> Result<Page<ClientHit>, AppError> {
    let mut query = case_files::Entity::find()
        .join(JoinType::InnerJoin, file_client())
        .filter(visible_to(user));
    if !q.trim().is_empty() {
        query = query.filter(case_files::Column::ClientId.in_subquery(matching_ids(q)));
    }
    let query = query
        .order_by_asc(clients::Column::LastName)
        .order_by_asc(clients::Column::FirstName)
        .order_by_desc(case_files::Column::StartedOn)
        .order_by_asc(case_files::Column::Id);
    let paginator = query.paginate(db, per_page);
    let total = paginator.num_items().await?;
    let files = paginator.fetch_page(page).await?;

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
    let staff = display_names(db, user_ids).await?;

    let rows = files
        .into_iter()
        .filter_map(|f| {
            let client = clients.get(&f.client_id)?;
            let protected = client.protected_identity;
            Some(ClientHit {
                client_name: (!protected)
                    .then(|| format!("{} {}", client.first_name, client.last_name)),
                identity_number: (!protected).then(|| client.identity_number.clone()),
                protected_identity: protected,
                service_type: services.get(&f.assignment_id).cloned().unwrap_or_default(),
                started_on: f.started_on,
                closed_on: f.closed_on,
                contact_person: staff.get(&f.contact_person_id).cloned().unwrap_or_default(),
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

/// Display names of some users, in one query.
pub async fn display_names(
    db: &impl ConnectionTrait,
    ids: Vec<i32>,
) -> Result<HashMap<i32, String>, AppError> {
    Ok(users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect())
}

/// Active staff, by name: who can be contact person or co-worker.
pub async fn active_staff(db: &impl ConnectionTrait) -> Result<Vec<users::Model>, AppError> {
    Ok(users::Entity::find()
        .filter(users::Column::Active.eq(true))
        .filter(users::Column::Role.eq(Role::Staff.as_str()))
        .order_by_asc(users::Column::DisplayName)
        .all(db)
        .await?)
}

pub fn option(u: &users::Model) -> UserOption {
    UserOption {
        username: u.username.clone(),
        display_name: u.display_name.clone(),
    }
}

/// Whether the user may see some file of this client.
pub async fn client_visible(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    client_id: i32,
) -> Result<bool, AppError> {
    if user.role == Role::Manager {
        return Ok(true);
    }
    let n = case_files::Entity::find()
        .filter(case_files::Column::ClientId.eq(client_id))
        .filter(visible_to(user))
        .count(db)
        .await?;
    Ok(n > 0)
}

/// A checked registration: the client as entered, the assignment, the team.
pub struct NewFile {
    pub first_name: String,
    pub last_name: String,
    pub identity: IdentityNumber,
    pub protected_identity: bool,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub received_on: chrono::NaiveDate,
    pub secretary_name: String,
    pub secretary_unit: String,
    pub secretary_phone: Option<String>,
    pub secretary_email: Option<String>,
    pub decision_date: chrono::NaiveDate,
    pub service_type: akta_domain::deadlines::ServiceType,
    pub service_granted: String,
    pub period_from: chrono::NaiveDate,
    pub period_to: Option<chrono::NaiveDate>,
    pub first_follow_up: chrono::NaiveDate,
    pub contact_person_id: i32,
    pub co_worker_ids: Vec<i32>,
}

/// Opens the file inside the caller's transaction: the client (or the existing one
/// with the same number), the assignment, the file and its care team. Returns the new
/// file's public id, and what its log line names; or, when the number belongs to a
/// client the user may not see, that client (for the refusal's log line: the caller
/// is told only that such a client exists).
pub async fn open_file(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    new: NewFile,
) -> Result<Result<(String, Named), Named>, AppError> {
    let now = super::now();
    let existing = clients::Entity::find()
        .filter(clients::Column::IdentityNumber.eq(new.identity.as_str()))
        .one(db)
        .await?;
    let client_id = match existing {
        Some(client) => {
            if !client_visible(db, user, client.id).await? {
                return Ok(Err(Named {
                    client_id: Some(client.id),
                    ..Named::default()
                }));
            }
            client.id
        }
        None => {
            clients::Entity::insert(clients::ActiveModel {
                public_id: Set(super::ids::public_id()),
                first_name_key: Set(name_key(&new.first_name)),
                last_name_key: Set(name_key(&new.last_name)),
                first_name: Set(new.first_name),
                last_name: Set(new.last_name),
                identity_number: Set(new.identity.as_str().to_owned()),
                birth_date: Set(new.identity.birth_date()),
                protected_identity: Set(new.protected_identity),
                phone: Set(new.phone),
                email: Set(new.email),
                address: Set(new.address),
                created_at: Set(now),
                ..Default::default()
            })
            .exec(db)
            .await?
            .last_insert_id
        }
    };
    let assignment_id = assignments::Entity::insert(assignments::ActiveModel {
        client_id: Set(client_id),
        received_on: Set(new.received_on),
        secretary_name: Set(new.secretary_name),
        secretary_unit: Set(new.secretary_unit),
        secretary_phone: Set(new.secretary_phone),
        secretary_email: Set(new.secretary_email),
        decision_date: Set(new.decision_date),
        service_type: Set(new.service_type.as_str().to_owned()),
        service_granted: Set(new.service_granted),
        period_from: Set(new.period_from),
        period_to: Set(new.period_to),
        first_follow_up: Set(new.first_follow_up),
        created_at: Set(now),
        ..Default::default()
    })
    .exec(db)
    .await?
    .last_insert_id;
    let public_id = super::ids::public_id();
    let file_id = case_files::Entity::insert(case_files::ActiveModel {
        public_id: Set(public_id.clone()),
        client_id: Set(client_id),
        assignment_id: Set(assignment_id),
        contact_person_id: Set(new.contact_person_id),
        started_on: Set(new.period_from),
        closed_on: Set(None),
        close_reason: Set(None),
        created_at: Set(now),
        ..Default::default()
    })
    .exec(db)
    .await?
    .last_insert_id;
    let mut team: Vec<i32> = new.co_worker_ids;
    // Staff who register a file for a colleague keep access to what they registered.
    if user.role == Role::Staff && user.id != new.contact_person_id {
        team.push(user.id);
    }
    team.retain(|id| *id != new.contact_person_id);
    team.sort_unstable();
    team.dedup();
    if !team.is_empty() {
        care_team::Entity::insert_many(team.into_iter().map(|user_id| care_team::ActiveModel {
            case_file_id: Set(file_id),
            user_id: Set(user_id),
        }))
        .exec_without_returning(db)
        .await?;
    }
    Ok(Ok((public_id, Named::file(client_id, file_id))))
}

/// A client whose stored number the reading before issue 13 may have put in the wrong
/// century (every 10-digit number was read as 19xx): what the admin's list names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CenturyCandidate {
    pub client_public_id: String,
    /// The day the client was registered (Swedish date).
    pub registered_on: chrono::NaiveDate,
    /// The stored birth year and the one the other reading gives.
    pub stored_year: i32,
    pub other_year: i32,
    /// The client's files, for finding the contact person who can ask the client.
    pub file_public_ids: Vec<String>,
}

/// The clients with a `19xx` number whose `20xx` reading is also a valid number, born
/// no later than the day the client was registered. Nothing in the stored number tells
/// the two apart (121212-1212 is 1912 and 2012 alike), so this lists them for a person
/// to check with the client; it changes nothing. Ordered by registration.
pub async fn century_candidates(
    db: &impl ConnectionTrait,
) -> Result<Vec<CenturyCandidate>, AppError> {
    use chrono::Datelike;
    let mut out = Vec::new();
    let candidates = clients::Entity::find()
        .filter(clients::Column::IdentityNumber.like("19%"))
        .order_by_asc(clients::Column::CreatedAt)
        .order_by_asc(clients::Column::Id)
        .all(db)
        .await?;
    for client in candidates {
        let registered_on = super::swedish(client.created_at).date();
        let Some(other) = akta_domain::identity::possible_century_misreading(
            &client.identity_number,
            registered_on,
        ) else {
            continue;
        };
        let file_public_ids = case_files::Entity::find()
            .filter(case_files::Column::ClientId.eq(client.id))
            .order_by_asc(case_files::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(|f| f.public_id)
            .collect();
        out.push(CenturyCandidate {
            client_public_id: client.public_id,
            registered_on,
            stored_year: client.birth_date.year(),
            other_year: other.birth_date().year(),
            file_public_ids,
        });
    }
    Ok(out)
}
