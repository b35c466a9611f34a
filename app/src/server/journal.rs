//! Case files and their journal: opening a file with need-to-know, plan periods,
//! the entry list, drafts, signing and corrections.

use super::entities::{
    assignments, care_team, case_files, clients, goals, journal_entries, journal_entry_goals,
    plan_versions, users,
};
use super::files::visible_to;
use super::guard::{CurrentUser, Named, Permission, Refusal, Target};
use crate::error::{AppError, Problem, Problems};
use crate::model::{DraftSaved, EntryView, FileHeader, GoalView, JournalFilter, Page, PeriodView};
use akta_domain::journal::{
    CorrectionReason, EntryCategory, EntryText, EventDateError, check_event_date, period_of,
};
use chrono::NaiveDate;
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder,
};
use std::collections::HashMap;

pub const ENTRIES_PER_PAGE: u64 = 20;

/// A file the user may see, with its client.
pub struct OpenedFile {
    pub file: case_files::Model,
    pub client: clients::Model,
    /// Contact person or co-worker: may write in the file.
    pub on_team: bool,
}

impl OpenedFile {
    /// Writing needs a place on the care team and an open file.
    pub fn check_writable(&self) -> Result<(), AppError> {
        if !self.on_team {
            return Err(AppError::Forbidden);
        }
        if self.file.closed_on.is_some() {
            return Err(AppError::FileClosed);
        }
        Ok(())
    }
}

/// A case file opened under need-to-know (`files::visible_to`). A file the user may
/// not see is "not found", so its existence is not revealed; the refusal is logged with
/// the file's ids.
impl Target for OpenedFile {
    const PERMISSION: Permission = Permission::ReadFiles;
    const KIND: &'static str = "file";

    async fn open<C: ConnectionTrait>(
        db: &C,
        user: &CurrentUser,
        public_id: &str,
    ) -> Result<Result<Self, Refusal>, AppError> {
        let Some(file) = case_files::Entity::find()
            .filter(case_files::Column::PublicId.eq(public_id))
            .filter(visible_to(user))
            .one(db)
            .await?
        else {
            return Ok(Err(Refusal::not_found(Self::find(db, public_id).await?)));
        };
        let client = clients::Entity::find_by_id(file.client_id)
            .one(db)
            .await?
            .ok_or_else(|| super::internal("file without client"))?;
        let on_team = file.contact_person_id == user.id
            || care_team::Entity::find_by_id((file.id, user.id))
                .one(db)
                .await?
                .is_some();
        Ok(Ok(OpenedFile {
            file,
            client,
            on_team,
        }))
    }

    async fn find<C: ConnectionTrait>(db: &C, public_id: &str) -> Result<Named, AppError> {
        file_named(db, public_id).await
    }

    fn named(&self) -> Named {
        Named::file(self.client.id, self.file.id)
    }
}

/// The ids of the file behind a public id, whoever asks (for refusals).
pub async fn file_named(db: &impl ConnectionTrait, public_id: &str) -> Result<Named, AppError> {
    Ok(case_files::Entity::find()
        .filter(case_files::Column::PublicId.eq(public_id))
        .one(db)
        .await?
        .map(|f| Named::file(f.client_id, f.id))
        .unwrap_or_default())
}

/// Opens a file by its public id if the user may see it (for code that has opened a
/// file's row by other means, such as a deviation of it); `NotFound` otherwise.
pub async fn open_file(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    public_id: &str,
) -> Result<OpenedFile, AppError> {
    <OpenedFile as Target>::open(db, user, public_id)
        .await?
        .map_err(|refusal| refusal.error)
}

pub async fn header(
    db: &impl ConnectionTrait,
    opened: &OpenedFile,
) -> Result<FileHeader, AppError> {
    let file = &opened.file;
    let assignment = assignments::Entity::find_by_id(file.assignment_id)
        .one(db)
        .await?
        .ok_or_else(|| super::internal("file without assignment"))?;
    let team: Vec<i32> = care_team::Entity::find()
        .filter(care_team::Column::CaseFileId.eq(file.id))
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.user_id)
        .collect();
    let names = user_names(db, team.iter().copied().chain([file.contact_person_id])).await?;
    let protected = opened.client.protected_identity;
    let plan_due = akta_domain::deadlines::ServiceType::parse(&assignment.service_type)
        .ok()
        .and_then(|service| {
            akta_domain::deadlines::plan_due(file.started_on, Some(assignment.received_on), service)
        });
    Ok(FileHeader {
        file_id: file.public_id.clone(),
        client_name: (!protected)
            .then(|| format!("{} {}", opened.client.first_name, opened.client.last_name)),
        identity_number: (!protected).then(|| opened.client.identity_number.clone()),
        protected_identity: protected,
        service_type: assignment.service_type,
        service_granted: assignment.service_granted,
        started_on: file.started_on,
        closed_on: file.closed_on,
        contact_person: names
            .get(&file.contact_person_id)
            .cloned()
            .unwrap_or_default(),
        co_workers: team
            .iter()
            .filter_map(|id| names.get(id).cloned())
            .collect(),
        secretary_name: assignment.secretary_name,
        secretary_unit: assignment.secretary_unit,
        plan_due,
        today: super::today(),
    })
}

pub(crate) async fn user_names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, String>, AppError> {
    let ids: Vec<i32> = ids.into_iter().collect();
    Ok(users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect())
}

/// The plan periods of a file, oldest first, each with its goals (two queries).
/// An unsigned revision is not among them: it is a draft, in force nowhere until
/// the client signs it (`akta_domain::plan::is_period`); the plan page shows it.
pub async fn periods(
    db: &impl ConnectionTrait,
    file: &case_files::Model,
) -> Result<Vec<(i32, PeriodView)>, AppError> {
    let versions: Vec<plan_versions::Model> = plan_versions::Entity::find()
        .filter(plan_versions::Column::CaseFileId.eq(file.id))
        .order_by_asc(plan_versions::Column::ValidFrom)
        .all(db)
        .await?
        .into_iter()
        .enumerate()
        .filter(|(i, v)| akta_domain::plan::is_period(*i, v.client_signed_on.is_some()))
        .map(|(_, v)| v)
        .collect();
    let today = super::today();
    let mut by_version = goals_of(db, versions.iter().map(|v| v.id)).await?;
    let count = versions.len();
    let mut out = Vec::with_capacity(count);
    for (i, v) in versions.iter().enumerate() {
        let valid_to = versions
            .get(i + 1)
            .and_then(|next| next.valid_from.pred_opt())
            .or(file.closed_on);
        out.push((
            v.id,
            PeriodView {
                number: i as u32 + 1,
                valid_from: v.valid_from,
                valid_to,
                client_signed_on: v.client_signed_on,
                in_force: akta_domain::plan::in_force_on(v.valid_from, valid_to, today),
                goals: by_version.remove(&v.id).unwrap_or_default(),
            },
        ));
    }
    Ok(out)
}

/// The goals of some plan versions, by version: each goal followed by its sub-goals,
/// in their order (one query).
pub async fn goals_of(
    db: &impl ConnectionTrait,
    version_ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, Vec<GoalView>>, AppError> {
    let all_goals = goals::Entity::find()
        .filter(goals::Column::PlanVersionId.is_in(version_ids))
        .order_by_asc(goals::Column::Position)
        .order_by_asc(goals::Column::Id)
        .all(db)
        .await?;
    let public: HashMap<i32, String> = all_goals
        .iter()
        .map(|g| (g.id, g.public_id.clone()))
        .collect();
    let mut by_version: HashMap<i32, Vec<GoalView>> = HashMap::new();
    for parent in all_goals.iter().filter(|g| g.parent_id.is_none()) {
        let list = by_version.entry(parent.plan_version_id).or_default();
        list.push(goal_view(parent, None));
        for sub in all_goals.iter().filter(|g| g.parent_id == Some(parent.id)) {
            list.push(goal_view(sub, public.get(&parent.id).cloned()));
        }
    }
    Ok(by_version)
}

fn goal_view(g: &goals::Model, parent: Option<String>) -> GoalView {
    GoalView {
        goal_id: g.public_id.clone(),
        parent,
        title: g.title.clone(),
        what: g.what.clone(),
        how: g.how.clone(),
        who: g.who.clone(),
        by_when: g.by_when,
    }
}

/// One page of signed entries, newest first, filtered; a fixed number of queries.
pub async fn entries_page(
    db: &impl ConnectionTrait,
    file: &case_files::Model,
    periods: &[(i32, PeriodView)],
    filter: &JournalFilter,
) -> Result<Page<EntryView>, AppError> {
    let mut query = journal_entries::Entity::find()
        .filter(journal_entries::Column::CaseFileId.eq(file.id))
        .filter(journal_entries::Column::Status.eq("signed"));
    if let Some(category) = filter.category.as_deref().and_then(EntryCategory::parse) {
        query = query.filter(journal_entries::Column::Category.eq(category.as_str()));
    }
    if let Some(number) = filter.period {
        let Some((_, period)) = periods.iter().find(|(_, p)| p.number == number) else {
            return Ok(Page {
                rows: Vec::new(),
                total: 0,
                page: 0,
                per_page: ENTRIES_PER_PAGE,
            });
        };
        query = query.filter(journal_entries::Column::EventDate.gte(period.valid_from));
        if let Some(to) = period.valid_to {
            query = query.filter(journal_entries::Column::EventDate.lte(to));
        }
    }
    if let Some(goal) = filter.goal.as_deref() {
        // Only goals of this file's own plan versions filter anything.
        let goal_id = goals::Entity::find()
            .filter(goals::Column::PublicId.eq(goal))
            .filter(goals::Column::PlanVersionId.is_in(periods.iter().map(|(id, _)| *id)))
            .one(db)
            .await?
            .map_or(-1, |g| g.id);
        query = query.filter(
            journal_entries::Column::Id.in_subquery(
                Query::select()
                    .column(journal_entry_goals::Column::EntryId)
                    .from(journal_entry_goals::Entity)
                    .and_where(journal_entry_goals::Column::GoalId.eq(goal_id))
                    .to_owned(),
            ),
        );
    }
    let paginator = query
        .order_by_desc(journal_entries::Column::EventDate)
        .order_by_desc(journal_entries::Column::Id)
        .paginate(db, ENTRIES_PER_PAGE);
    let total = paginator.num_items().await?;
    // Past the last page: show the last page.
    let page = filter.page.min(total.saturating_sub(1) / ENTRIES_PER_PAGE);
    let rows = paginator.fetch_page(page).await?;
    let rows = entry_views(db, rows, periods).await?;
    Ok(Page {
        rows,
        total,
        page,
        per_page: ENTRIES_PER_PAGE,
    })
}

/// The user's own drafts in this file, newest first.
pub async fn own_drafts(
    db: &impl ConnectionTrait,
    file: &case_files::Model,
    user: &CurrentUser,
    periods: &[(i32, PeriodView)],
) -> Result<Vec<EntryView>, AppError> {
    let rows = journal_entries::Entity::find()
        .filter(journal_entries::Column::CaseFileId.eq(file.id))
        .filter(journal_entries::Column::Status.eq("draft"))
        .filter(journal_entries::Column::AuthorId.eq(user.id))
        .order_by_desc(journal_entries::Column::UpdatedAt)
        .all(db)
        .await?;
    entry_views(db, rows, periods).await
}

/// The signed corrections of some entries. Read through the partial index
/// `idx_journal_corrects` (the filter says what it covers); a file page asks it for
/// every page of entries, so it must not read the unit's whole journal.
pub fn corrections_of(ids: Vec<i32>) -> sea_orm::Select<journal_entries::Entity> {
    journal_entries::Entity::find()
        .filter(journal_entries::Column::CorrectsId.is_not_null())
        .filter(journal_entries::Column::CorrectsId.is_in(ids))
        .filter(journal_entries::Column::Status.eq("signed"))
}

pub(crate) async fn entry_views(
    db: &impl ConnectionTrait,
    rows: Vec<journal_entries::Model>,
    periods: &[(i32, PeriodView)],
) -> Result<Vec<EntryView>, AppError> {
    let ids: Vec<i32> = rows.iter().map(|e| e.id).collect();
    let authors = user_names(db, rows.iter().map(|e| e.author_id)).await?;
    let links = journal_entry_goals::Entity::find()
        .filter(journal_entry_goals::Column::EntryId.is_in(ids.clone()))
        .all(db)
        .await?;
    let goal_rows: HashMap<i32, goals::Model> = goals::Entity::find()
        .filter(goals::Column::Id.is_in(links.iter().map(|l| l.goal_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.id, g))
        .collect();
    let mut goals_of: HashMap<i32, Vec<(String, String)>> = HashMap::new();
    for l in &links {
        if let Some(g) = goal_rows.get(&l.goal_id) {
            goals_of
                .entry(l.entry_id)
                .or_default()
                .push((g.public_id.clone(), g.title.clone()));
        }
    }
    // Corrections in both directions.
    let originals: HashMap<i32, String> = journal_entries::Entity::find()
        .filter(journal_entries::Column::Id.is_in(rows.iter().filter_map(|e| e.corrects_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.public_id))
        .collect();
    let mut corrected_by: HashMap<i32, Vec<String>> = HashMap::new();
    for c in corrections_of(ids).all(db).await? {
        if let Some(original) = c.corrects_id {
            corrected_by.entry(original).or_default().push(c.public_id);
        }
    }
    let froms: Vec<NaiveDate> = periods.iter().map(|(_, p)| p.valid_from).collect();
    Ok(rows
        .into_iter()
        .map(|e| EntryView {
            period: period_of(&froms, e.event_date)
                .and_then(|i| periods.get(i))
                .map(|(_, p)| p.number),
            goals: goals_of.remove(&e.id).unwrap_or_default(),
            corrects: e.corrects_id.and_then(|id| originals.get(&id).cloned()),
            corrected_by: corrected_by.remove(&e.id).unwrap_or_default(),
            author: authors.get(&e.author_id).cloned().unwrap_or_default(),
            signed: e.status == "signed",
            entry_id: e.public_id,
            event_date: e.event_date,
            category: e.category,
            body: e.body,
            signed_at: e.signed_at,
            correction_reason: e.correction_reason,
        })
        .collect())
}

/// What the author typed, as it arrives from the form.
pub struct EntryInput {
    pub event_date: String,
    pub category: String,
    pub body: String,
    pub goals: Vec<String>,
}

/// A checked entry. `body` may be empty only for a draft.
struct CheckedEntry {
    event_date: NaiveDate,
    category: EntryCategory,
    body: String,
    goal_ids: Vec<i32>,
}

async fn check_entry(
    db: &impl ConnectionTrait,
    opened: &OpenedFile,
    input: &EntryInput,
    for_signing: bool,
) -> Result<CheckedEntry, AppError> {
    let mut problems = Problems::default();
    let today = super::today();
    let date = NaiveDate::parse_from_str(input.event_date.trim(), "%Y-%m-%d").ok();
    let event_date = match date {
        None => {
            problems.add("event_date", Problem::InvalidDate);
            None
        }
        Some(d) => problems.check(
            "event_date",
            check_event_date(d, opened.file.started_on, opened.file.closed_on, today),
            |e| match e {
                EventDateError::Future => Problem::DateInFuture,
                EventDateError::BeforeStart => Problem::DateBeforeStart,
                EventDateError::AfterClose => Problem::DateAfterClose,
            },
        ),
    };
    // A monthly review is written on its own page, never through the journal form.
    let category = problems.check(
        "category",
        EntryCategory::parse(&input.category)
            .filter(|c| c.writable())
            .ok_or(()),
        |_| Problem::InvalidCategory,
    );
    let body = if for_signing {
        problems
            .check("body", EntryText::parse(&input.body), Problem::from)
            .map(EntryText::into_inner)
    } else if input.body.chars().count() > akta_domain::journal::ENTRY_MAX_CHARS {
        problems.add(
            "body",
            Problem::TooLong {
                max: akta_domain::journal::ENTRY_MAX_CHARS,
            },
        );
        None
    } else {
        Some(input.body.clone())
    };
    // Goals must be goals of this file's plan period on the event date.
    let mut goal_ids = Vec::new();
    if !input.goals.is_empty() {
        let found = goals::Entity::find()
            .filter(goals::Column::PublicId.is_in(input.goals.iter().cloned()))
            .all(db)
            .await?;
        // The periods as the journal shows them: an unsigned revision's goals belong
        // to no day yet.
        let versions = periods(db, &opened.file).await?;
        let froms: Vec<NaiveDate> = versions.iter().map(|(_, p)| p.valid_from).collect();
        let in_force = event_date
            .and_then(|d| period_of(&froms, d))
            .and_then(|i| versions.get(i))
            .map(|(id, _)| *id);
        let all_ok = found.len() == input.goals.len()
            && found.iter().all(|g| Some(g.plan_version_id) == in_force);
        if all_ok {
            goal_ids = found.iter().map(|g| g.id).collect();
        } else {
            problems.add("goals", Problem::GoalNotInPeriod);
        }
    }
    problems.into_result()?;
    match (event_date, category, body) {
        (Some(event_date), Some(category), Some(body)) => Ok(CheckedEntry {
            event_date,
            category,
            body,
            goal_ids,
        }),
        _ => Err(AppError::Internal),
    }
}

async fn own_draft(
    db: &impl ConnectionTrait,
    opened: &OpenedFile,
    user: &CurrentUser,
    entry_id: &str,
) -> Result<journal_entries::Model, AppError> {
    journal_entries::Entity::find()
        .filter(journal_entries::Column::PublicId.eq(entry_id))
        .filter(journal_entries::Column::CaseFileId.eq(opened.file.id))
        .filter(journal_entries::Column::AuthorId.eq(user.id))
        .filter(journal_entries::Column::Status.eq("draft"))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Creates or updates the user's draft; one transaction.
pub async fn save_draft(
    db: &impl ConnectionTrait,
    opened: &OpenedFile,
    user: &CurrentUser,
    entry_id: Option<&str>,
    input: &EntryInput,
) -> Result<DraftSaved, AppError> {
    opened.check_writable()?;
    let checked = check_entry(db, opened, input, false).await?;
    let now = super::now();
    let entry = match entry_id {
        Some(id) => {
            let mut model = own_draft(db, opened, user, id).await?.into_active_model();
            model.event_date = Set(checked.event_date);
            model.category = Set(checked.category.as_str().to_owned());
            model.body = Set(checked.body);
            model.updated_at = Set(now);
            model.update(db).await?
        }
        None => {
            journal_entries::ActiveModel {
                public_id: Set(super::ids::public_id()),
                case_file_id: Set(opened.file.id),
                author_id: Set(user.id),
                event_date: Set(checked.event_date),
                category: Set(checked.category.as_str().to_owned()),
                body: Set(checked.body),
                status: Set("draft".to_owned()),
                signed_at: Set(None),
                corrects_id: Set(None),
                correction_reason: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?
        }
    };
    replace_links(db, entry.id, &checked.goal_ids).await?;
    Ok(DraftSaved {
        entry_id: entry.public_id,
        saved_time: super::local_time(now),
    })
}

async fn replace_links(
    db: &impl ConnectionTrait,
    entry_id: i32,
    goal_ids: &[i32],
) -> Result<(), AppError> {
    journal_entry_goals::Entity::delete_many()
        .filter(journal_entry_goals::Column::EntryId.eq(entry_id))
        .exec(db)
        .await?;
    if !goal_ids.is_empty() {
        journal_entry_goals::Entity::insert_many(goal_ids.iter().map(|g| {
            journal_entry_goals::ActiveModel {
                entry_id: Set(entry_id),
                goal_id: Set(*g),
            }
        }))
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

/// Saves and signs: from here on the entry is permanent (the database sees to it).
pub async fn sign(
    db: &impl ConnectionTrait,
    opened: &OpenedFile,
    user: &CurrentUser,
    entry_id: Option<&str>,
    input: &EntryInput,
) -> Result<String, AppError> {
    opened.check_writable()?;
    let checked = check_entry(db, opened, input, true).await?;
    let now = super::now();
    let draft = match entry_id {
        Some(id) => Some(own_draft(db, opened, user, id).await?),
        None => None,
    };
    let entry = match draft {
        Some(d) => {
            let mut model = d.into_active_model();
            model.event_date = Set(checked.event_date);
            model.category = Set(checked.category.as_str().to_owned());
            model.body = Set(checked.body);
            model.updated_at = Set(now);
            model.update(db).await?
        }
        None => {
            new_entry(opened, user, &checked, now, None, None)
                .insert(db)
                .await?
        }
    };
    replace_links(db, entry.id, &checked.goal_ids).await?;
    let public_id = entry.public_id.clone();
    let mut model = entry.into_active_model();
    model.status = Set("signed".to_owned());
    model.signed_at = Set(Some(now));
    model.update(db).await?;
    Ok(public_id)
}

fn new_entry(
    opened: &OpenedFile,
    user: &CurrentUser,
    checked: &CheckedEntry,
    now: chrono::DateTime<chrono::Utc>,
    corrects: Option<i32>,
    reason: Option<String>,
) -> journal_entries::ActiveModel {
    journal_entries::ActiveModel {
        public_id: Set(super::ids::public_id()),
        case_file_id: Set(opened.file.id),
        author_id: Set(user.id),
        event_date: Set(checked.event_date),
        category: Set(checked.category.as_str().to_owned()),
        body: Set(checked.body.clone()),
        status: Set("draft".to_owned()),
        signed_at: Set(None),
        corrects_id: Set(corrects),
        correction_reason: Set(reason),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// A correction: a new signed entry linked to the original, with a reason. The
/// original stays as it was, marked as corrected.
pub async fn correct(
    db: &impl ConnectionTrait,
    opened: &OpenedFile,
    user: &CurrentUser,
    original_id: &str,
    body: &str,
    reason: &str,
) -> Result<String, AppError> {
    opened.check_writable()?;
    let original = journal_entries::Entity::find()
        .filter(journal_entries::Column::PublicId.eq(original_id))
        .filter(journal_entries::Column::CaseFileId.eq(opened.file.id))
        .filter(journal_entries::Column::Status.eq("signed"))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut problems = Problems::default();
    let body = problems.check("body", EntryText::parse(body), Problem::from);
    let reason = problems.check("reason", CorrectionReason::parse(reason), Problem::from);
    problems.into_result()?;
    let (Some(body), Some(reason)) = (body, reason) else {
        return Err(AppError::Internal);
    };
    let category = EntryCategory::parse(&original.category).unwrap_or(EntryCategory::Event);
    let links: Vec<i32> = journal_entry_goals::Entity::find()
        .filter(journal_entry_goals::Column::EntryId.eq(original.id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.goal_id)
        .collect();
    let checked = CheckedEntry {
        event_date: original.event_date,
        category,
        body: body.into_inner(),
        goal_ids: links,
    };
    let now = super::now();
    let entry = new_entry(
        opened,
        user,
        &checked,
        now,
        Some(original.id),
        Some(reason.into_inner()),
    )
    .insert(db)
    .await?;
    replace_links(db, entry.id, &checked.goal_ids).await?;
    let public_id = entry.public_id.clone();
    let mut model = entry.into_active_model();
    model.status = Set("signed".to_owned());
    model.signed_at = Set(Some(now));
    model.update(db).await?;
    Ok(public_id)
}

/// Throws away one of the user's own drafts.
pub async fn discard_draft(
    db: &impl ConnectionTrait,
    opened: &OpenedFile,
    user: &CurrentUser,
    entry_id: &str,
) -> Result<(), AppError> {
    // A closed file is read-only, its leftover drafts included.
    if opened.file.closed_on.is_some() {
        return Err(AppError::FileClosed);
    }
    let draft = own_draft(db, opened, user, entry_id).await?;
    replace_links(db, draft.id, &[]).await?;
    journal_entries::Entity::delete_by_id(draft.id)
        .exec(db)
        .await?;
    Ok(())
}
