//! Implementation plans: versions (plan periods), goals and sub-goals, the
//! client's signature, copies handed over; and the intake checklist.
//!
//! Only the newest version, and only before the client has signed it, can be
//! changed. A revision is a new version that starts as a copy of the one before.
//! Every change is one transaction.

use super::entities::{
    assignments, goals, intake_checks, journal_entry_goals, plan_versions, users,
};
use super::guard::CurrentUser;
use super::journal::OpenedFile;
use crate::error::{AppError, Problem, Problems};
use crate::model::{IntakeItemView, PlanVersionView};
use akta_domain::intake::IntakeItem;
use akta_domain::plan::{
    ClientView, GoalText, GoalTitle, GoalWho, PlanDateError, RevisionReason, SignatureMethod,
    check_past_date, check_valid_from, period_ends,
};
use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder,
};
use std::collections::HashMap;

/// Most goals and sub-goals one plan version may hold.
pub const MAX_GOALS: u64 = 40;

impl From<PlanDateError> for Problem {
    fn from(e: PlanDateError) -> Self {
        match e {
            PlanDateError::BeforeStart => Problem::DateBeforeStart,
            PlanDateError::AfterClose => Problem::DateAfterClose,
            PlanDateError::TooFarAhead => Problem::DateTooFarAhead,
            PlanDateError::Future => Problem::DateInFuture,
            PlanDateError::OverlapsPrevious => Problem::PeriodOverlaps,
            PlanDateError::BeforePlan => Problem::DateBeforePlan,
        }
    }
}

/// Whether the file's service needs a plan: the motivation group does not
/// (its purpose is to become motivated to set goals).
pub async fn plan_needed(db: &impl ConnectionTrait, opened: &OpenedFile) -> Result<bool, AppError> {
    let assignment = assignments::Entity::find_by_id(opened.file.assignment_id)
        .one(db)
        .await?
        .ok_or_else(|| super::internal("file without assignment"))?;
    Ok(assignment.service_type != "motivation_group")
}

async fn versions(
    db: &impl ConnectionTrait,
    file_id: i32,
) -> Result<Vec<plan_versions::Model>, AppError> {
    Ok(plan_versions::Entity::find()
        .filter(plan_versions::Column::CaseFileId.eq(file_id))
        .order_by_asc(plan_versions::Column::ValidFrom)
        .all(db)
        .await?)
}

/// Every version of the file's plan with its goals; three queries.
pub async fn plan_versions_view(
    db: &impl ConnectionTrait,
    opened: &OpenedFile,
) -> Result<Vec<PlanVersionView>, AppError> {
    let versions = versions(db, opened.file.id).await?;
    let mut goals_of = super::journal::goals_of(db, versions.iter().map(|v| v.id)).await?;
    let authors: HashMap<i32, String> = users::Entity::find()
        .filter(users::Column::Id.is_in(versions.iter().map(|v| v.created_by)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    // Periods end where the next *period* starts: an unsigned revision ends nothing.
    let is_period: Vec<bool> = versions
        .iter()
        .enumerate()
        .map(|(i, v)| akta_domain::plan::is_period(i, v.client_signed_on.is_some()))
        .collect();
    let froms: Vec<NaiveDate> = versions
        .iter()
        .zip(&is_period)
        .filter(|(_, p)| **p)
        .map(|(v, _)| v.valid_from)
        .collect();
    let mut ends = period_ends(&froms, opened.file.closed_on).into_iter();
    let newest = versions.len();
    let writable = opened.check_writable().is_ok();
    let today = super::today();
    Ok(versions
        .into_iter()
        .zip(is_period)
        .enumerate()
        .map(|(i, (v, is_period))| {
            let valid_to = if is_period {
                ends.next().flatten()
            } else {
                None
            };
            PlanVersionView {
                number: i as u32 + 1,
                valid_from: v.valid_from,
                valid_to,
                is_period,
                in_force: is_period
                    && akta_domain::plan::in_force_on(v.valid_from, valid_to, today),
                editable: writable && i + 1 == newest && v.client_signed_on.is_none(),
                goals: goals_of.remove(&v.id).unwrap_or_default(),
                created_by: authors.get(&v.created_by).cloned().unwrap_or_default(),
                client_view: v.client_view,
                client_signed_on: v.client_signed_on,
                client_signed_how: v.client_signed_how,
                copy_to_client_on: v.copy_to_client_on,
                copy_to_contact_on: v.copy_to_contact_on,
                copy_to_secretary_on: v.copy_to_secretary_on,
                revision_reason: v.revision_reason,
            }
        })
        .collect())
}

/// The intake checklist of a file, every point in order, with who ticked it.
pub async fn intake(
    db: &impl ConnectionTrait,
    opened: &OpenedFile,
) -> Result<Vec<IntakeItemView>, AppError> {
    let checks = intake_checks::Entity::find()
        .filter(intake_checks::Column::CaseFileId.eq(opened.file.id))
        .all(db)
        .await?;
    let names: HashMap<i32, String> = users::Entity::find()
        .filter(users::Column::Id.is_in(checks.iter().map(|c| c.checked_by)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let by_item: HashMap<&str, &intake_checks::Model> =
        checks.iter().map(|c| (c.item.as_str(), c)).collect();
    Ok(IntakeItem::ALL
        .into_iter()
        .map(|item| IntakeItemView {
            item: item.as_str().to_owned(),
            checked: by_item.get(item.as_str()).map(|c| {
                (
                    names.get(&c.checked_by).cloned().unwrap_or_default(),
                    super::swedish(c.checked_at).date(),
                )
            }),
        })
        .collect())
}

/// Ticks or unticks one point of the intake checklist.
pub async fn set_intake(
    db: &impl ConnectionTrait,
    opened: &OpenedFile,
    user: &CurrentUser,
    item: &str,
    checked: bool,
) -> Result<(), AppError> {
    opened.check_writable()?;
    let item = IntakeItem::parse(item).ok_or(AppError::NotFound)?;
    let existing = intake_checks::Entity::find_by_id((opened.file.id, item.as_str().to_owned()))
        .one(db)
        .await?;
    match (existing, checked) {
        (None, true) => {
            intake_checks::ActiveModel {
                case_file_id: Set(opened.file.id),
                item: Set(item.as_str().to_owned()),
                checked_by: Set(user.id),
                checked_at: Set(super::now()),
            }
            .insert(db)
            .await?;
        }
        (Some(row), false) => {
            row.into_active_model().delete(db).await?;
        }
        // Already as asked (a double click, or two people at once).
        _ => {}
    }
    Ok(())
}

fn parse_date(problems: &mut Problems, field: &str, raw: &str) -> Option<NaiveDate> {
    let parsed = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok();
    if parsed.is_none() {
        problems.add(field, Problem::InvalidDate);
    }
    parsed
}

fn optional_date(problems: &mut Problems, field: &str, raw: &str) -> Option<Option<NaiveDate>> {
    if raw.trim().is_empty() {
        Some(None)
    } else {
        parse_date(problems, field, raw).map(Some)
    }
}

/// Version `number` (1-based) of the file's plan, with the newest version's number.
async fn version(
    db: &impl ConnectionTrait,
    opened: &OpenedFile,
    number: u32,
) -> Result<(plan_versions::Model, Vec<plan_versions::Model>), AppError> {
    let all = versions(db, opened.file.id).await?;
    let index = (number as usize).checked_sub(1).ok_or(AppError::NotFound)?;
    let v = all.get(index).cloned().ok_or(AppError::NotFound)?;
    Ok((v, all))
}

/// The newest version, unsigned: the only one whose content may change.
async fn editable_version(
    db: &impl ConnectionTrait,
    opened: &OpenedFile,
    number: u32,
) -> Result<(plan_versions::Model, Option<NaiveDate>), AppError> {
    opened.check_writable()?;
    let (v, all) = version(db, opened, number).await?;
    if number as usize != all.len() || v.client_signed_on.is_some() {
        return Err(AppError::PlanSigned);
    }
    let previous_from = (number as usize)
        .checked_sub(2)
        .and_then(|i| all.get(i))
        .map(|p| p.valid_from);
    Ok((v, previous_from))
}

/// Starts a plan (the first version) or a revision (a new version that begins as a
/// copy of the newest one). There is at most one unsigned version at a time.
pub async fn new_version(
    db: &impl ConnectionTrait,
    opened: &OpenedFile,
    user: &CurrentUser,
    valid_from: &str,
    reason: &str,
) -> Result<u32, AppError> {
    opened.check_writable()?;
    if !plan_needed(db, opened).await? {
        return Err(AppError::NoPlanForService);
    }
    let all = versions(db, opened.file.id).await?;
    let newest = all.last();
    if newest.is_some_and(|v| v.client_signed_on.is_none()) {
        return Err(AppError::PlanDraftExists);
    }
    let mut problems = Problems::default();
    let valid_from = parse_date(&mut problems, "valid_from", valid_from).and_then(|d| {
        problems.check(
            "valid_from",
            check_valid_from(
                d,
                newest.map(|v| v.valid_from),
                opened.file.started_on,
                opened.file.closed_on,
                super::today(),
            ),
            Problem::from,
        )
    });
    let reason = if newest.is_some() {
        problems
            .check("reason", RevisionReason::parse(reason), Problem::from)
            .map(|r| Some(r.into_inner()))
    } else {
        Some(None)
    };
    problems.into_result()?;
    let (Some(valid_from), Some(reason)) = (valid_from, reason) else {
        return Err(AppError::Internal);
    };
    let number = all.len() as u32 + 1;
    let created = plan_versions::ActiveModel {
        case_file_id: Set(opened.file.id),
        version_no: Set(number as i32),
        valid_from: Set(valid_from),
        client_view: Set(newest.map(|v| v.client_view.clone()).unwrap_or_default()),
        client_signed_on: Set(None),
        client_signed_how: Set(None),
        created_by: Set(user.id),
        created_at: Set(super::now()),
        copy_to_client_on: Set(None),
        copy_to_contact_on: Set(None),
        copy_to_secretary_on: Set(None),
        revision_reason: Set(reason),
        ..Default::default()
    }
    .insert(db)
    .await?;
    if let Some(previous) = newest {
        copy_goals(db, previous.id, created.id).await?;
    }
    Ok(number)
}

/// Copies goals and sub-goals (keeping which goal a sub-goal belongs to).
async fn copy_goals(db: &impl ConnectionTrait, from: i32, to: i32) -> Result<(), AppError> {
    let old = goals::Entity::find()
        .filter(goals::Column::PlanVersionId.eq(from))
        .order_by_asc(goals::Column::Id)
        .all(db)
        .await?;
    let mut new_ids: HashMap<i32, i32> = HashMap::new();
    // Parents before their sub-goals: two passes.
    for pass_parents in [true, false] {
        for g in old.iter().filter(|g| g.parent_id.is_none() == pass_parents) {
            let parent_id = match g.parent_id {
                Some(p) => Some(
                    *new_ids
                        .get(&p)
                        .ok_or_else(|| super::internal("sub-goal without parent"))?,
                ),
                None => None,
            };
            let created = goals::ActiveModel {
                public_id: Set(super::ids::public_id()),
                plan_version_id: Set(to),
                parent_id: Set(parent_id),
                position: Set(g.position),
                title: Set(g.title.clone()),
                what: Set(g.what.clone()),
                how: Set(g.how.clone()),
                who: Set(g.who.clone()),
                by_when: Set(g.by_when),
                ..Default::default()
            }
            .insert(db)
            .await?;
            new_ids.insert(g.id, created.id);
        }
    }
    Ok(())
}

/// Changes the start of the newest, unsigned version and the client's view.
pub async fn save_details(
    db: &impl ConnectionTrait,
    opened: &OpenedFile,
    number: u32,
    valid_from: &str,
    client_view: &str,
) -> Result<(), AppError> {
    let (v, previous_from) = editable_version(db, opened, number).await?;
    let mut problems = Problems::default();
    let valid_from = parse_date(&mut problems, "valid_from", valid_from).and_then(|d| {
        problems.check(
            "valid_from",
            check_valid_from(
                d,
                previous_from,
                opened.file.started_on,
                opened.file.closed_on,
                super::today(),
            ),
            Problem::from,
        )
    });
    // The client's view may be filled in later, but is required to sign.
    let client_view = if client_view.trim().is_empty() {
        Some(String::new())
    } else {
        problems
            .check("client_view", ClientView::parse(client_view), Problem::from)
            .map(|t| t.into_inner())
    };
    problems.into_result()?;
    let (Some(valid_from), Some(client_view)) = (valid_from, client_view) else {
        return Err(AppError::Internal);
    };
    let mut model = v.into_active_model();
    model.valid_from = Set(valid_from);
    model.client_view = Set(client_view);
    model.update(db).await?;
    Ok(())
}

/// What the user typed for a goal.
pub struct GoalInput {
    pub title: String,
    pub what: String,
    pub how: String,
    pub who: String,
    pub by_when: String,
}

/// Adds a goal (or a sub-goal under `parent`), or changes one (`goal`).
pub async fn save_goal(
    db: &impl ConnectionTrait,
    opened: &OpenedFile,
    number: u32,
    goal: Option<&str>,
    parent: Option<&str>,
    input: &GoalInput,
) -> Result<(), AppError> {
    let (v, _) = editable_version(db, opened, number).await?;
    let mut problems = Problems::default();
    let title = problems.check("title", GoalTitle::parse(&input.title), Problem::from);
    let what = problems.check("what", GoalText::parse(&input.what), Problem::from);
    let how = if input.how.trim().is_empty() {
        Some(String::new())
    } else {
        problems
            .check("how", GoalText::parse(&input.how), Problem::from)
            .map(|t| t.into_inner())
    };
    let who = problems.check("who", GoalWho::parse(&input.who), Problem::from);
    let by_when = optional_date(&mut problems, "by_when", &input.by_when).and_then(|d| match d {
        Some(d) if d < v.valid_from => {
            problems.add("by_when", Problem::DateBeforePlan);
            None
        }
        other => Some(other),
    });
    problems.into_result()?;
    let (Some(title), Some(what), Some(how), Some(who), Some(by_when)) =
        (title, what, how, who, by_when)
    else {
        return Err(AppError::Internal);
    };
    let find = |public: &str| {
        goals::Entity::find()
            .filter(goals::Column::PublicId.eq(public.to_owned()))
            .filter(goals::Column::PlanVersionId.eq(v.id))
    };
    match goal {
        Some(public) => {
            let existing = find(public).one(db).await?.ok_or(AppError::NotFound)?;
            let mut model = existing.into_active_model();
            model.title = Set(title.into_inner());
            model.what = Set(what.into_inner());
            model.how = Set(how);
            model.who = Set(who.into_inner());
            model.by_when = Set(by_when);
            model.update(db).await?;
        }
        None => {
            let count = goals::Entity::find()
                .filter(goals::Column::PlanVersionId.eq(v.id))
                .count(db)
                .await?;
            if count >= MAX_GOALS {
                return Err(AppError::field(
                    "title",
                    Problem::TooManyGoals {
                        max: MAX_GOALS as usize,
                    },
                ));
            }
            let parent_id = match parent {
                Some(p) => {
                    let parent = find(p).one(db).await?.ok_or(AppError::NotFound)?;
                    // Two levels only: goals and their sub-goals.
                    if parent.parent_id.is_some() {
                        return Err(AppError::NotFound);
                    }
                    Some(parent.id)
                }
                None => None,
            };
            let siblings = goals::Entity::find()
                .filter(goals::Column::PlanVersionId.eq(v.id))
                .filter(match parent_id {
                    Some(p) => goals::Column::ParentId.eq(p),
                    None => goals::Column::ParentId.is_null(),
                })
                .count(db)
                .await?;
            goals::ActiveModel {
                public_id: Set(super::ids::public_id()),
                plan_version_id: Set(v.id),
                parent_id: Set(parent_id),
                position: Set(siblings as i32 + 1),
                title: Set(title.into_inner()),
                what: Set(what.into_inner()),
                how: Set(how),
                who: Set(who.into_inner()),
                by_when: Set(by_when),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

/// Removes a goal of the unsigned version. A goal with sub-goals, or one that
/// journal entries (even drafts) are linked to, stays.
pub async fn delete_goal(
    db: &impl ConnectionTrait,
    opened: &OpenedFile,
    number: u32,
    goal: &str,
) -> Result<(), AppError> {
    let (v, _) = editable_version(db, opened, number).await?;
    let existing = goals::Entity::find()
        .filter(goals::Column::PublicId.eq(goal.to_owned()))
        .filter(goals::Column::PlanVersionId.eq(v.id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let subs = goals::Entity::find()
        .filter(goals::Column::ParentId.eq(existing.id))
        .count(db)
        .await?;
    let links = journal_entry_goals::Entity::find()
        .filter(journal_entry_goals::Column::GoalId.eq(existing.id))
        .count(db)
        .await?;
    if subs > 0 || links > 0 {
        return Err(AppError::GoalInUse);
    }
    goals::Entity::delete_by_id(existing.id).exec(db).await?;
    Ok(())
}

/// Records the client's signature: from now on the version is in force and its
/// content can no longer change.
pub async fn sign(
    db: &impl ConnectionTrait,
    opened: &OpenedFile,
    number: u32,
    signed_on: &str,
    how: &str,
) -> Result<(), AppError> {
    let (v, _) = editable_version(db, opened, number).await?;
    let mut problems = Problems::default();
    let signed_on = parse_date(&mut problems, "signed_on", signed_on).and_then(|d| {
        problems.check(
            "signed_on",
            check_past_date(d, opened.file.started_on, super::today()),
            Problem::from,
        )
    });
    let how = problems.check("signed_how", SignatureMethod::parse(how).ok_or(()), |_| {
        Problem::InvalidSignatureMethod
    });
    if ClientView::parse(&v.client_view).is_err() {
        problems.add("client_view", Problem::ClientViewMissing);
    }
    let goal_count = goals::Entity::find()
        .filter(goals::Column::PlanVersionId.eq(v.id))
        .count(db)
        .await?;
    if goal_count == 0 {
        problems.add("goals", Problem::PlanWithoutGoals);
    }
    problems.into_result()?;
    let (Some(signed_on), Some(how)) = (signed_on, how) else {
        return Err(AppError::Internal);
    };
    let mut model = v.into_active_model();
    model.client_signed_on = Set(Some(signed_on));
    model.client_signed_how = Set(Some(how.as_str().to_owned()));
    model.update(db).await?;
    Ok(())
}

/// Records when copies of a signed version were handed to the client, the contact
/// person and the social secretary. An empty field means "not yet".
pub async fn record_copies(
    db: &impl ConnectionTrait,
    opened: &OpenedFile,
    number: u32,
    to_client: &str,
    to_contact: &str,
    to_secretary: &str,
) -> Result<(), AppError> {
    opened.check_writable()?;
    let (v, _) = version(db, opened, number).await?;
    let Some(signed_on) = v.client_signed_on else {
        return Err(AppError::PlanNotSigned);
    };
    let mut problems = Problems::default();
    let today = super::today();
    let mut date = |field: &str, raw: &str| {
        optional_date(&mut problems, field, raw).and_then(|d| match d {
            None => Some(None),
            Some(d) => problems
                .check(field, check_past_date(d, signed_on, today), Problem::from)
                .map(Some),
        })
    };
    let client = date("copy_to_client_on", to_client);
    let contact = date("copy_to_contact_on", to_contact);
    let secretary = date("copy_to_secretary_on", to_secretary);
    problems.into_result()?;
    let (Some(client), Some(contact), Some(secretary)) = (client, contact, secretary) else {
        return Err(AppError::Internal);
    };
    let mut model = v.into_active_model();
    model.copy_to_client_on = Set(client);
    model.copy_to_contact_on = Set(contact);
    model.copy_to_secretary_on = Set(secretary);
    model.update(db).await?;
    Ok(())
}
