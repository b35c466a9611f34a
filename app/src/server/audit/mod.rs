//! The yearly peer file audit (aktgranskning): rounds, the pairing of files and
//! reviewers (`akta_domain::pairing`), the reviewer's workspace, answers, submission,
//! and the manager's completion and results.
//!
//! One file per concern: `rounds` (opening, pairing, publishing, closing, more
//! time), `checklist` (a draft round's own items), `review` (the reviewer's workspace
//! and answers), `results` (the manager's round page, results and agreement),
//! `contact` (the contact person's results), `actions` (findings that become
//! actions), `reminders`; this file holds what they
//! share (plan periods, the unit in a year's scope, answers of reviews).
//!
//! Access: the manager runs rounds; a reviewer reads exactly the files assigned to
//! them, only while the round is published. Every read is logged, as are refusals.

use crate::error::{AppError, PairingProblem, Problem, Problems};
use crate::model::UserOption;
use crate::model::audit::*;
use crate::server::entities::{
    assignments, audit_answers, audit_assignments, audit_judgements, audit_reviewers,
    audit_round_items, audit_rounds, audit_year_answers, audit_year_judgements, care_team,
    case_files, clients, journal_entries, plan_versions, unit_settings, users,
};
use crate::server::guard::{CurrentUser, Named, Permission, Refusal, Target};
use crate::server::internal;
use akta_domain::checklist::{Answer, DEFAULT_ITEMS, Judgement};
use akta_domain::pairing::{
    AuditFile, AuditRound, PairingError, Scope, SecondReviewError, sample_per_contact_person,
};
use chrono::{Datelike, NaiveDate};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

mod actions;
mod checklist;
mod contact;
pub mod reminders;
mod results;
mod review;
mod rounds;
pub use actions::*;
pub use checklist::*;
pub use contact::*;
pub use results::*;
pub use review::*;
pub use rounds::*;

pub const COMMENT_MAX: usize = 2000;
pub const REASON_MAX: usize = 300;

pub fn year_bounds(year: i32) -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(),
        NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default(),
    )
}

/// A plan period: the version's id, its first day and its last day (`None` while in force).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub version_id: i32,
    pub number: u32,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

impl Period {
    pub fn overlaps_year(&self, year: i32) -> bool {
        let (first, last) = year_bounds(year);
        self.from <= last && self.to.is_none_or(|to| to >= first)
    }
}

/// The periods of each file, from the plan versions (oldest first per file).
fn periods_of(
    versions: &[plan_versions::Model],
    closed: &HashMap<i32, Option<NaiveDate>>,
) -> HashMap<i32, Vec<Period>> {
    let mut by_file: HashMap<i32, Vec<&plan_versions::Model>> = HashMap::new();
    for v in versions {
        by_file.entry(v.case_file_id).or_default().push(v);
    }
    by_file
        .into_iter()
        .map(|(file, mut list)| {
            list.sort_by_key(|v| v.valid_from);
            let periods = list
                .iter()
                .enumerate()
                .map(|(i, v)| Period {
                    version_id: v.id,
                    number: i as u32 + 1,
                    from: v.valid_from,
                    to: list
                        .get(i + 1)
                        .and_then(|next| next.valid_from.pred_opt())
                        .or(closed.get(&file).copied().flatten()),
                })
                .collect();
            (file, periods)
        })
        .collect()
}

/// The periods of one file.
pub async fn file_periods(
    db: &impl ConnectionTrait,
    file: &case_files::Model,
) -> Result<Vec<Period>, AppError> {
    let versions = plan_versions::Entity::find()
        .filter(plan_versions::Column::CaseFileId.eq(file.id))
        .all(db)
        .await?;
    let closed = HashMap::from([(file.id, file.closed_on)]);
    Ok(periods_of(&versions, &closed)
        .remove(&file.id)
        .unwrap_or_default())
}

/// Everything the pairing needs about the unit's files in a year's scope.
struct Unit {
    files: Vec<case_files::Model>,
    clients: HashMap<i32, clients::Model>,
    audit_files: Vec<AuditFile<i32, i32>>,
    periods: HashMap<i32, Vec<Period>>,
}

/// Files open on some day of the year, with everyone who works in them. A file without a
/// plan is in the round too (issue 13: those are the files the audit most needs to see):
/// its reviewer reads the journal with "no plan in force" beside it.
async fn unit_in_scope(db: &impl ConnectionTrait, year: i32) -> Result<Unit, AppError> {
    let (year_first, year_last) = year_bounds(year);
    let all_files = case_files::Entity::find()
        .order_by_asc(case_files::Column::Id)
        .all(db)
        .await?;
    let closed: HashMap<i32, Option<NaiveDate>> =
        all_files.iter().map(|f| (f.id, f.closed_on)).collect();
    let versions = plan_versions::Entity::find().all(db).await?;
    let periods = periods_of(&versions, &closed);
    let files: Vec<case_files::Model> = all_files
        .into_iter()
        .filter(|f| f.started_on <= year_last && f.closed_on.is_none_or(|c| c >= year_first))
        .collect();
    let mut co_workers: HashMap<i32, Vec<i32>> = HashMap::new();
    for t in care_team::Entity::find().all(db).await? {
        co_workers
            .entry(t.case_file_id)
            .or_default()
            .push(t.user_id);
    }
    let mut authors: HashMap<i32, Vec<i32>> = HashMap::new();
    let pairs: Vec<(i32, i32)> = journal_entries::Entity::find()
        .select_only()
        .column(journal_entries::Column::CaseFileId)
        .column(journal_entries::Column::AuthorId)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    for (file, author) in pairs {
        authors.entry(file).or_default().push(author);
    }
    let clients: HashMap<i32, clients::Model> = clients::Entity::find()
        .filter(clients::Column::Id.is_in(files.iter().map(|f| f.client_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let audit_files = files
        .iter()
        .map(|f| AuditFile {
            id: f.id,
            contact_person: f.contact_person_id,
            co_workers: co_workers.remove(&f.id).unwrap_or_default(),
            authors: authors.remove(&f.id).unwrap_or_default(),
        })
        .collect();
    Ok(Unit {
        files,
        clients,
        audit_files,
        periods,
    })
}

/// A client's name for lists, masked for protected identity.
pub fn client_name(client: &clients::Model) -> Option<String> {
    (!client.protected_identity).then(|| format!("{} {}", client.first_name, client.last_name))
}

/// A file as a label in an explanation: the client's name, or the file's public id
/// when the identity is protected.
fn file_label(unit: &Unit, file_id: i32) -> String {
    let Some(file) = unit.files.iter().find(|f| f.id == file_id) else {
        return String::new();
    };
    unit.clients
        .get(&file.client_id)
        .and_then(client_name)
        .unwrap_or_else(|| format!("#{}", file.public_id))
}

/// The saved answers and judgements of the given reviews (assignments), those of
/// "the year without a plan" among them with plan version [`YEAR_WITHOUT_PLAN`]:
/// four queries.
async fn answers_and_judgements(
    db: &impl ConnectionTrait,
    assignment_ids: impl IntoIterator<Item = i32> + Clone,
) -> Result<(Vec<audit_answers::Model>, Vec<audit_judgements::Model>), AppError> {
    let mut answers = audit_answers::Entity::find()
        .filter(audit_answers::Column::AssignmentId.is_in(assignment_ids.clone()))
        .all(db)
        .await?;
    let mut judgements = audit_judgements::Entity::find()
        .filter(audit_judgements::Column::AssignmentId.is_in(assignment_ids.clone()))
        .all(db)
        .await?;
    answers.extend(
        audit_year_answers::Entity::find()
            .filter(audit_year_answers::Column::AssignmentId.is_in(assignment_ids.clone()))
            .all(db)
            .await?
            .into_iter()
            .map(|a| audit_answers::Model {
                assignment_id: a.assignment_id,
                plan_version_id: YEAR_WITHOUT_PLAN,
                item_key: a.item_key,
                answer: a.answer,
                comment: a.comment,
                recommendation: a.recommendation,
                updated_at: a.updated_at,
            }),
    );
    judgements.extend(
        audit_year_judgements::Entity::find()
            .filter(audit_year_judgements::Column::AssignmentId.is_in(assignment_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|j| audit_judgements::Model {
                assignment_id: j.assignment_id,
                plan_version_id: YEAR_WITHOUT_PLAN,
                judgement: j.judgement,
                summary: j.summary,
                updated_at: j.updated_at,
            }),
    );
    Ok((answers, judgements))
}

/// The plan version (and period number) that stands for "the year without a plan":
/// a file with no plan period in the round's year is reviewed over the whole year
/// (issue 13, item 5). No plan version has id 0.
pub const YEAR_WITHOUT_PLAN: i32 = 0;

/// "The year without a plan" of a file as a period: the part of the year it was open.
fn year_period(file: &case_files::Model, year: i32) -> Period {
    let (first, last) = year_bounds(year);
    Period {
        version_id: YEAR_WITHOUT_PLAN,
        number: YEAR_WITHOUT_PLAN as u32,
        from: first.max(file.started_on),
        to: Some(file.closed_on.map_or(last, |c| c.min(last))),
    }
}

async fn round_items(
    db: &impl ConnectionTrait,
    round_id: i32,
) -> Result<Vec<audit_round_items::Model>, AppError> {
    Ok(audit_round_items::Entity::find()
        .filter(audit_round_items::Column::RoundId.eq(round_id))
        .order_by_asc(audit_round_items::Column::Position)
        .all(db)
        .await?)
}

fn check_comment(field: &str, text: &str) -> Result<String, AppError> {
    if text.chars().count() > COMMENT_MAX {
        return Err(AppError::field(
            field,
            Problem::TooLong { max: COMMENT_MAX },
        ));
    }
    Ok(text.trim().to_owned())
}

fn option(u: &users::Model) -> UserOption {
    crate::server::clients::option(u)
}
