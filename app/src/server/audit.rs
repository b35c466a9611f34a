//! The yearly peer file audit (aktgranskning): rounds, the pairing of files and
//! reviewers (`akta_domain::pairing`), the reviewer's workspace, answers, submission,
//! and the manager's completion and results.
//!
//! Access: the manager runs rounds; a reviewer reads exactly the files assigned to
//! them, only while the round is published. Every read is logged, as are refusals.

use super::entities::{
    assignments, audit_answers, audit_assignments, audit_judgements, audit_reviewers,
    audit_round_items, audit_rounds, care_team, case_files, clients, journal_entries,
    plan_versions, users,
};
use super::guard::CurrentUser;
use super::{access_log, internal};
use crate::error::{AppError, PairingProblem, Problem, Problems};
use crate::model::UserOption;
use crate::model::audit::*;
use akta_domain::checklist::{Answer, DEFAULT_ITEMS, Judgement};
use akta_domain::pairing::{AuditFile, AuditRound, PairingError, Scope, sample_per_contact_person};
use chrono::{Datelike, NaiveDate};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub const COMMENT_MAX: usize = 2000;
pub const REASON_MAX: usize = 300;
/// Largest sample per contact person a form accepts.
pub const SAMPLE_MAX: usize = 50;

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
        .await
        .map_err(internal)?;
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

/// Files with a plan period overlapping the year, with everyone who works in them.
async fn unit_in_scope(db: &impl ConnectionTrait, year: i32) -> Result<Unit, AppError> {
    let all_files = case_files::Entity::find()
        .order_by_asc(case_files::Column::Id)
        .all(db)
        .await
        .map_err(internal)?;
    let closed: HashMap<i32, Option<NaiveDate>> =
        all_files.iter().map(|f| (f.id, f.closed_on)).collect();
    let versions = plan_versions::Entity::find()
        .all(db)
        .await
        .map_err(internal)?;
    let periods = periods_of(&versions, &closed);
    let files: Vec<case_files::Model> = all_files
        .into_iter()
        .filter(|f| {
            periods
                .get(&f.id)
                .is_some_and(|ps| ps.iter().any(|p| p.overlaps_year(year)))
        })
        .collect();
    let mut co_workers: HashMap<i32, Vec<i32>> = HashMap::new();
    for t in care_team::Entity::find().all(db).await.map_err(internal)? {
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
        .await
        .map_err(internal)?;
    for (file, author) in pairs {
        authors.entry(file).or_default().push(author);
    }
    let clients: HashMap<i32, clients::Model> = clients::Entity::find()
        .filter(clients::Column::Id.is_in(files.iter().map(|f| f.client_id)))
        .all(db)
        .await
        .map_err(internal)?
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

/// Last year's reviewer of each file (the most recent published or closed round of
/// the year before; second reviews do not count).
async fn last_year(db: &impl ConnectionTrait, year: i32) -> Result<BTreeMap<i32, i32>, AppError> {
    let Some(round) = audit_rounds::Entity::find()
        .filter(audit_rounds::Column::Year.eq(year - 1))
        .filter(audit_rounds::Column::Status.ne("draft"))
        .order_by_desc(audit_rounds::Column::Id)
        .one(db)
        .await
        .map_err(internal)?
    else {
        return Ok(BTreeMap::new());
    };
    Ok(audit_assignments::Entity::find()
        .filter(audit_assignments::Column::RoundId.eq(round.id))
        .filter(audit_assignments::Column::SecondReview.eq(false))
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|a| (a.case_file_id, a.reviewer_id))
        .collect())
}

/// Draws the pairs for a round's inputs; errors name the files and reviewers in the way.
async fn draw(
    db: &impl ConnectionTrait,
    unit: &Unit,
    year: i32,
    sample: Option<usize>,
    reviewers: &[users::Model],
    seed: u64,
) -> Result<Vec<(i32, i32)>, AppError> {
    let files = match sample {
        Some(n) => sample_per_contact_person(&unit.audit_files, n, seed),
        None => unit.audit_files.clone(),
    };
    let round = AuditRound {
        files,
        reviewers: reviewers.iter().map(|r| r.id).collect(),
        scope: Scope::AllFiles,
        last_year: last_year(db, year).await?,
    };
    let name = |id: &i32| {
        reviewers
            .iter()
            .find(|r| r.id == *id)
            .map(|r| r.display_name.clone())
            .unwrap_or_default()
    };
    match round.draw_pairs(seed) {
        Ok(pairing) => Ok(pairing
            .pairs
            .into_iter()
            .map(|p| (p.file, p.reviewer))
            .collect()),
        Err(PairingError::NoReviewers) => Err(AppError::field("reviewers", Problem::NoReviewers)),
        Err(PairingError::DuplicateFile(_)) => Err(internal("a file is twice in the round")),
        Err(PairingError::FilesWithoutReviewer { files }) => {
            Err(AppError::Pairing(PairingProblem::FilesWithoutReviewer {
                files: files.iter().map(|f| file_label(unit, *f)).collect(),
            }))
        }
        Err(PairingError::ReviewersShort { reviewers, needed }) => {
            Err(AppError::Pairing(PairingProblem::ReviewersShort {
                reviewers: reviewers.iter().map(|(r, _)| name(r)).collect(),
                needed,
            }))
        }
        Err(PairingError::Unbalanced {
            files,
            reviewers,
            max_load,
        }) => Err(AppError::Pairing(PairingProblem::Unbalanced {
            files: files.iter().map(|f| file_label(unit, *f)).collect(),
            reviewers: reviewers.iter().map(name).collect(),
            max_load,
        })),
    }
}

fn new_seed() -> u64 {
    use rand::Rng;
    // Kept within i64 so the stored value reads back the same on both databases.
    rand::rng().random_range(0..=i64::MAX as u64)
}

/// What the manager asks for when opening a round, as typed.
pub struct RoundForm {
    pub year: String,
    pub due_on: String,
    /// `all` or `sample`.
    pub scope: String,
    pub sample: String,
    pub reviewers: Vec<String>,
}

/// Opens a round as a draft with a drawn pairing; all in one transaction, nothing
/// stored when anything is wrong. Returns the round's public id.
pub async fn open_round(
    db: &DatabaseConnection,
    user: &CurrentUser,
    form: &RoundForm,
    today: NaiveDate,
) -> Result<String, AppError> {
    let mut p = Problems::default();
    let year = match form.year.trim().parse::<i32>() {
        Ok(y) if (today.year() - 1..=today.year() + 1).contains(&y) => Some(y),
        _ => {
            p.add("year", Problem::InvalidYear);
            None
        }
    };
    match NaiveDate::parse_from_str(form.due_on.trim(), "%Y-%m-%d") {
        Ok(d) if d < today => p.add("due_on", Problem::DateInPast),
        Ok(_) => {}
        Err(_) => p.add("due_on", Problem::InvalidDate),
    }
    let due_on = NaiveDate::parse_from_str(form.due_on.trim(), "%Y-%m-%d").ok();
    let sample = match form.scope.as_str() {
        "all" => None,
        "sample" => match form.sample.trim().parse::<usize>() {
            Ok(n) if (1..=SAMPLE_MAX).contains(&n) => Some(n),
            _ => {
                p.add("sample", Problem::InvalidCount { max: SAMPLE_MAX });
                None
            }
        },
        _ => {
            p.add("scope", Problem::Empty);
            None
        }
    };
    let staff = super::clients::active_staff(db).await?;
    let mut reviewers: Vec<users::Model> = Vec::new();
    for name in &form.reviewers {
        match staff.iter().find(|u| u.username == name.trim()) {
            Some(u) if !reviewers.iter().any(|r| r.id == u.id) => reviewers.push(u.clone()),
            Some(_) => {}
            None => p.add("reviewers", Problem::InvalidStaff),
        }
    }
    if form.reviewers.is_empty() {
        p.add("reviewers", Problem::NoReviewers);
    }
    let unit = match year {
        Some(y) => {
            let exists = audit_rounds::Entity::find()
                .filter(audit_rounds::Column::Year.eq(y))
                .filter(audit_rounds::Column::Status.ne("closed"))
                .one(db)
                .await
                .map_err(internal)?
                .is_some();
            if exists {
                p.add("year", Problem::RoundExists);
            }
            let unit = unit_in_scope(db, y).await?;
            if unit.files.is_empty() {
                p.add("year", Problem::NoFilesInScope);
            }
            Some(unit)
        }
        None => None,
    };
    p.into_result()?;
    let (Some(year), Some(due_on), Some(unit)) = (year, due_on, unit) else {
        return Err(internal("round form checked but incomplete"));
    };
    let seed = new_seed();
    let pairs = draw(db, &unit, year, sample, &reviewers, seed).await?;

    let txn = db.begin().await.map_err(internal)?;
    let public_id = super::ids::public_id();
    let round = audit_rounds::ActiveModel {
        public_id: Set(public_id.clone()),
        year: Set(year),
        due_on: Set(due_on),
        seed: Set(seed as i64),
        status: Set("draft".to_owned()),
        sample_per_contact: Set(sample.map(|n| n as i32)),
        files_per_reviewer: Set(None),
        created_by: Set(user.id),
        created_at: Set(super::now()),
        published_at: Set(None),
        closed_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(internal)?;
    audit_round_items::Entity::insert_many(DEFAULT_ITEMS.iter().enumerate().map(|(i, item)| {
        audit_round_items::ActiveModel {
            round_id: Set(round.id),
            position: Set(i as i32),
            item_key: Set(item.key.to_owned()),
            text_sv: Set(item.sv.to_owned()),
            text_en: Set(item.en.to_owned()),
            ..Default::default()
        }
    }))
    .exec_without_returning(&txn)
    .await
    .map_err(internal)?;
    audit_reviewers::Entity::insert_many(reviewers.iter().map(|r| audit_reviewers::ActiveModel {
        round_id: Set(round.id),
        user_id: Set(r.id),
    }))
    .exec_without_returning(&txn)
    .await
    .map_err(internal)?;
    insert_pairs(&txn, round.id, &pairs).await?;
    access_log::write(
        &txn,
        access_log::Entry {
            user_id: user.id,
            action: access_log::Action::ManageAudit,
            client_id: None,
            case_file_id: None,
            detail: Some(&format!("opened round {year}: {} files", pairs.len())),
        },
    )
    .await
    .map_err(internal)?;
    txn.commit().await.map_err(internal)?;
    Ok(public_id)
}

async fn insert_pairs(
    db: &impl ConnectionTrait,
    round_id: i32,
    pairs: &[(i32, i32)],
) -> Result<(), AppError> {
    if pairs.is_empty() {
        return Ok(());
    }
    audit_assignments::Entity::insert_many(pairs.iter().map(|(file, reviewer)| {
        audit_assignments::ActiveModel {
            public_id: Set(super::ids::public_id()),
            round_id: Set(round_id),
            case_file_id: Set(*file),
            reviewer_id: Set(*reviewer),
            second_review: Set(false),
            swap_reason: Set(None),
            started_at: Set(None),
            submitted_at: Set(None),
            reopen_reason: Set(None),
            ..Default::default()
        }
    }))
    .exec_without_returning(db)
    .await
    .map_err(internal)?;
    Ok(())
}

pub async fn find_round(
    db: &impl ConnectionTrait,
    public_id: &str,
) -> Result<audit_rounds::Model, AppError> {
    audit_rounds::Entity::find()
        .filter(audit_rounds::Column::PublicId.eq(public_id))
        .one(db)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)
}

async fn round_reviewers(
    db: &impl ConnectionTrait,
    round_id: i32,
) -> Result<Vec<users::Model>, AppError> {
    let ids: Vec<i32> = audit_reviewers::Entity::find()
        .filter(audit_reviewers::Column::RoundId.eq(round_id))
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|r| r.user_id)
        .collect();
    users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .order_by_asc(users::Column::DisplayName)
        .all(db)
        .await
        .map_err(internal)
}

async fn log_manage(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    action: access_log::Action,
    file: Option<&case_files::Model>,
    detail: &str,
) -> Result<(), AppError> {
    access_log::write(
        db,
        access_log::Entry {
            user_id: user.id,
            action,
            client_id: file.map(|f| f.client_id),
            case_file_id: file.map(|f| f.id),
            detail: Some(detail),
        },
    )
    .await
    .map_err(internal)
}

/// Draws a draft round again with a new seed (the same files and reviewers).
pub async fn redraw(
    db: &DatabaseConnection,
    user: &CurrentUser,
    round: &audit_rounds::Model,
) -> Result<(), AppError> {
    if round.status != "draft" {
        return Err(AppError::RoundNotDraft);
    }
    let unit = unit_in_scope(db, round.year).await?;
    let reviewers = round_reviewers(db, round.id).await?;
    let seed = new_seed();
    let sample = round.sample_per_contact.map(|n| n.max(0) as usize);
    let pairs = draw(db, &unit, round.year, sample, &reviewers, seed).await?;
    let txn = db.begin().await.map_err(internal)?;
    audit_assignments::Entity::delete_many()
        .filter(audit_assignments::Column::RoundId.eq(round.id))
        .exec(&txn)
        .await
        .map_err(internal)?;
    insert_pairs(&txn, round.id, &pairs).await?;
    let mut active = round.clone().into_active_model();
    active.seed = Set(seed as i64);
    active.update(&txn).await.map_err(internal)?;
    log_manage(
        &txn,
        user,
        access_log::Action::ManageAudit,
        None,
        &format!("re-drew round {}", round.year),
    )
    .await?;
    txn.commit().await.map_err(internal)
}

/// Publishes a draft round (reviewers see their files) or closes a published one.
pub async fn set_status(
    db: &DatabaseConnection,
    user: &CurrentUser,
    round: &audit_rounds::Model,
    to: &str,
) -> Result<(), AppError> {
    let mut active = round.clone().into_active_model();
    match (round.status.as_str(), to) {
        ("draft", "published") => active.published_at = Set(Some(super::now())),
        ("published", "closed") => active.closed_at = Set(Some(super::now())),
        ("draft", _) => return Err(AppError::RoundNotDraft),
        _ => return Err(AppError::RoundClosed),
    }
    active.status = Set(to.to_owned());
    let txn = db.begin().await.map_err(internal)?;
    active.update(&txn).await.map_err(internal)?;
    log_manage(
        &txn,
        user,
        access_log::Action::ManageAudit,
        None,
        &format!("{to} round {}", round.year),
    )
    .await?;
    txn.commit().await.map_err(internal)
}

async fn find_assignment(
    db: &impl ConnectionTrait,
    public_id: &str,
) -> Result<Option<audit_assignments::Model>, AppError> {
    audit_assignments::Entity::find()
        .filter(audit_assignments::Column::PublicId.eq(public_id))
        .one(db)
        .await
        .map_err(internal)
}

/// Whether the user works in the file (contact person, co-worker, author of an entry).
async fn works_in(
    db: &impl ConnectionTrait,
    file: &case_files::Model,
    user_id: i32,
) -> Result<bool, AppError> {
    if file.contact_person_id == user_id {
        return Ok(true);
    }
    let team = care_team::Entity::find_by_id((file.id, user_id))
        .one(db)
        .await
        .map_err(internal)?
        .is_some();
    let author = journal_entries::Entity::find()
        .filter(journal_entries::Column::CaseFileId.eq(file.id))
        .filter(journal_entries::Column::AuthorId.eq(user_id))
        .one(db)
        .await
        .map_err(internal)?
        .is_some();
    Ok(team || author)
}

/// Gives a file of a draft round to another reviewer of the round, with a reason
/// (logged). The new reviewer must not work in the file.
pub async fn swap(
    db: &DatabaseConnection,
    user: &CurrentUser,
    assignment: &str,
    to: &str,
    reason: &str,
) -> Result<(), AppError> {
    let a = find_assignment(db, assignment)
        .await?
        .ok_or(AppError::NotFound)?;
    let round = audit_rounds::Entity::find_by_id(a.round_id)
        .one(db)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    if round.status != "draft" {
        return Err(AppError::RoundNotDraft);
    }
    let file = case_files::Entity::find_by_id(a.case_file_id)
        .one(db)
        .await
        .map_err(internal)?
        .ok_or_else(|| internal("assignment without file"))?;
    let mut p = Problems::default();
    let reason = reason.trim();
    if reason.is_empty() {
        p.add("reason", Problem::Empty);
    } else if reason.chars().count() > REASON_MAX {
        p.add("reason", Problem::TooLong { max: REASON_MAX });
    }
    let reviewers = round_reviewers(db, round.id).await?;
    let new = reviewers.iter().find(|r| r.username == to.trim());
    let allowed = match new {
        Some(r) if r.id != a.reviewer_id => !works_in(db, &file, r.id).await?,
        _ => false,
    };
    if !allowed {
        p.add("reviewer", Problem::InvalidReviewer);
    }
    p.into_result()?;
    let Some(new) = new else {
        return Err(internal("checked reviewer missing"));
    };
    let txn = db.begin().await.map_err(internal)?;
    let mut active = a.clone().into_active_model();
    active.reviewer_id = Set(new.id);
    active.swap_reason = Set(Some(reason.to_owned()));
    active.update(&txn).await.map_err(internal)?;
    log_manage(
        &txn,
        user,
        access_log::Action::SwapReviewer,
        Some(&file),
        &format!("to {}: {reason}", new.username),
    )
    .await?;
    txn.commit().await.map_err(internal)
}

/// Reopens a submitted review, with a reason (logged).
pub async fn reopen(
    db: &DatabaseConnection,
    user: &CurrentUser,
    assignment: &str,
    reason: &str,
) -> Result<(), AppError> {
    let a = find_assignment(db, assignment)
        .await?
        .ok_or(AppError::NotFound)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::field("reason", Problem::Empty));
    }
    if reason.chars().count() > REASON_MAX {
        return Err(AppError::field(
            "reason",
            Problem::TooLong { max: REASON_MAX },
        ));
    }
    let round = audit_rounds::Entity::find_by_id(a.round_id)
        .one(db)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    if round.status != "published" {
        return Err(AppError::RoundClosed);
    }
    if a.submitted_at.is_none() {
        return Ok(());
    }
    let file = case_files::Entity::find_by_id(a.case_file_id)
        .one(db)
        .await
        .map_err(internal)?;
    let txn = db.begin().await.map_err(internal)?;
    let mut active = a.into_active_model();
    active.submitted_at = Set(None);
    active.reopen_reason = Set(Some(reason.to_owned()));
    active.update(&txn).await.map_err(internal)?;
    log_manage(
        &txn,
        user,
        access_log::Action::ReopenReview,
        file.as_ref(),
        reason,
    )
    .await?;
    txn.commit().await.map_err(internal)
}

/// An assignment the reviewer may work on, with its round, file and client.
pub struct OpenedReview {
    pub assignment: audit_assignments::Model,
    pub round: audit_rounds::Model,
    pub file: case_files::Model,
    pub client: clients::Model,
}

/// Opens an assigned file for its reviewer: only their own assignment, only while the
/// round is published. Refusals are logged; a file not assigned to the user is "not
/// found" (its existence is not revealed).
pub async fn open_review(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    assignment: &str,
) -> Result<OpenedReview, AppError> {
    let refuse = |file: Option<&case_files::Model>, why: &'static str, error: AppError| {
        let entry = access_log::Entry {
            user_id: user.id,
            action: access_log::Action::Refused,
            client_id: file.map(|f| f.client_id),
            case_file_id: file.map(|f| f.id),
            detail: Some(why),
        };
        async move {
            access_log::write(db, entry).await.map_err(internal)?;
            Err::<OpenedReview, AppError>(error)
        }
    };
    let Some(a) = find_assignment(db, assignment).await? else {
        return refuse(None, "audit: no such review", AppError::NotFound).await;
    };
    let file = case_files::Entity::find_by_id(a.case_file_id)
        .one(db)
        .await
        .map_err(internal)?
        .ok_or_else(|| internal("assignment without file"))?;
    if a.reviewer_id != user.id {
        return refuse(Some(&file), "audit: not the reviewer", AppError::NotFound).await;
    }
    let round = audit_rounds::Entity::find_by_id(a.round_id)
        .one(db)
        .await
        .map_err(internal)?
        .ok_or_else(|| internal("assignment without round"))?;
    if round.status != "published" {
        return refuse(Some(&file), "audit: round not open", AppError::RoundClosed).await;
    }
    let client = clients::Entity::find_by_id(file.client_id)
        .one(db)
        .await
        .map_err(internal)?
        .ok_or_else(|| internal("file without client"))?;
    Ok(OpenedReview {
        assignment: a,
        round,
        file,
        client,
    })
}

async fn round_items(
    db: &impl ConnectionTrait,
    round_id: i32,
) -> Result<Vec<audit_round_items::Model>, AppError> {
    audit_round_items::Entity::find()
        .filter(audit_round_items::Column::RoundId.eq(round_id))
        .order_by_asc(audit_round_items::Column::Position)
        .all(db)
        .await
        .map_err(internal)
}

/// The reviewer's workspace: each plan period of the round's year, the plan beside
/// the signed journal entries of the period, and the answers so far.
pub async fn workspace(
    db: &impl ConnectionTrait,
    opened: &OpenedReview,
    today: NaiveDate,
) -> Result<AuditWorkspace, AppError> {
    let year = opened.round.year;
    let (_, year_end) = year_bounds(year);
    let all = super::journal::periods(db, &opened.file).await?;
    let versions: HashMap<i32, plan_versions::Model> = plan_versions::Entity::find()
        .filter(plan_versions::Column::CaseFileId.eq(opened.file.id))
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|v| (v.id, v))
        .collect();
    let entries = journal_entries::Entity::find()
        .filter(journal_entries::Column::CaseFileId.eq(opened.file.id))
        .filter(journal_entries::Column::Status.eq("signed"))
        .order_by_asc(journal_entries::Column::EventDate)
        .order_by_asc(journal_entries::Column::Id)
        .all(db)
        .await
        .map_err(internal)?;
    let entries = super::journal::entry_views(db, entries, &all).await?;
    let answers = audit_answers::Entity::find()
        .filter(audit_answers::Column::AssignmentId.eq(opened.assignment.id))
        .all(db)
        .await
        .map_err(internal)?;
    let judgements = audit_judgements::Entity::find()
        .filter(audit_judgements::Column::AssignmentId.eq(opened.assignment.id))
        .all(db)
        .await
        .map_err(internal)?;
    let items = round_items(db, opened.round.id).await?;
    let service_type = assignments::Entity::find_by_id(opened.file.assignment_id)
        .one(db)
        .await
        .map_err(internal)?
        .map(|a| a.service_type)
        .unwrap_or_default();

    let mut periods = Vec::new();
    for (version_id, view) in &all {
        let period = Period {
            version_id: *version_id,
            number: view.number,
            from: view.valid_from,
            to: view.valid_to,
        };
        if !period.overlaps_year(year) {
            continue;
        }
        let in_period: Vec<_> = entries
            .iter()
            .filter(|e| e.period == Some(view.number))
            .cloned()
            .collect();
        let linked: BTreeSet<&str> = in_period
            .iter()
            .flat_map(|e| e.goals.iter().map(|(id, _)| id.as_str()))
            .collect();
        let goals_without_entry = view
            .goals
            .iter()
            .filter(|g| !linked.contains(g.goal_id.as_str()))
            .map(|g| g.goal_id.clone())
            .collect();
        let end = view.valid_to.unwrap_or(today).min(today).min(year_end);
        let dates: Vec<NaiveDate> = in_period.iter().map(|e| e.event_date).collect();
        let gaps = if end > view.valid_from {
            akta_domain::deadlines::weekly_journal(&dates, view.valid_from, end)
                .gaps
                .into_iter()
                .map(|g| (g.from, g.to))
                .collect()
        } else {
            Vec::new()
        };
        let period_answers = items
            .iter()
            .map(|item| {
                let found = answers
                    .iter()
                    .find(|a| a.plan_version_id == *version_id && a.item_key == item.item_key);
                AnswerView {
                    key: item.item_key.clone(),
                    answer: found.and_then(|a| a.answer.clone()),
                    comment: found.map(|a| a.comment.clone()).unwrap_or_default(),
                }
            })
            .collect();
        let judgement = judgements.iter().find(|j| j.plan_version_id == *version_id);
        periods.push(AuditPeriod {
            number: view.number,
            valid_from: view.valid_from,
            valid_to: view.valid_to,
            client_signed_on: view.client_signed_on,
            client_view: versions
                .get(version_id)
                .map(|v| v.client_view.clone())
                .unwrap_or_default(),
            goals: view.goals.clone(),
            entries: in_period,
            goals_without_entry,
            gaps,
            answers: period_answers,
            judgement: judgement.and_then(|j| j.judgement.clone()),
            summary: judgement.map(|j| j.summary.clone()).unwrap_or_default(),
        });
    }
    Ok(AuditWorkspace {
        round_id: opened.round.public_id.clone(),
        assignment_id: opened.assignment.public_id.clone(),
        year,
        due_on: opened.round.due_on,
        client_name: client_name(&opened.client),
        service_type,
        started_on: opened.file.started_on,
        items: items
            .into_iter()
            .map(|i| ChecklistItemView {
                key: i.item_key,
                text_sv: i.text_sv,
                text_en: i.text_en,
            })
            .collect(),
        periods,
        submitted: opened.assignment.submitted_at.is_some(),
        reopen_reason: opened.assignment.reopen_reason.clone(),
    })
}

/// The plan version of period `number` if that period is part of the round's year.
async fn period_in_round(
    db: &impl ConnectionTrait,
    opened: &OpenedReview,
    number: u32,
) -> Result<Period, AppError> {
    file_periods(db, &opened.file)
        .await?
        .into_iter()
        .find(|p| p.number == number && p.overlaps_year(opened.round.year))
        .ok_or(AppError::NotFound)
}

fn check_editable(opened: &OpenedReview) -> Result<(), AppError> {
    if opened.assignment.submitted_at.is_some() {
        return Err(AppError::ReviewSubmitted);
    }
    Ok(())
}

async fn mark_started(db: &impl ConnectionTrait, opened: &OpenedReview) -> Result<(), AppError> {
    if opened.assignment.started_at.is_none() {
        let mut active = opened.assignment.clone().into_active_model();
        active.started_at = Set(Some(super::now()));
        active.update(db).await.map_err(internal)?;
    }
    Ok(())
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

/// Saves one answer (and its comment) of one period; an empty answer keeps only the comment.
pub async fn save_answer(
    db: &DatabaseConnection,
    opened: &OpenedReview,
    period: u32,
    item: &str,
    answer: &str,
    comment: &str,
) -> Result<(), AppError> {
    check_editable(opened)?;
    let period = period_in_round(db, opened, period).await?;
    let field = format!("p{}-{item}", period.number);
    if !round_items(db, opened.round.id)
        .await?
        .iter()
        .any(|i| i.item_key == item)
    {
        return Err(AppError::NotFound);
    }
    let answer = match answer {
        "" => None,
        a => Some(
            Answer::parse(a)
                .ok_or_else(|| AppError::field(&field, Problem::InvalidAnswer))?
                .as_str()
                .to_owned(),
        ),
    };
    let comment = check_comment(&format!("{field}-comment"), comment)?;
    let txn = db.begin().await.map_err(internal)?;
    let existing = audit_answers::Entity::find_by_id((
        opened.assignment.id,
        period.version_id,
        item.to_owned(),
    ))
    .one(&txn)
    .await
    .map_err(internal)?;
    match existing {
        Some(row) => {
            let mut active = row.into_active_model();
            active.answer = Set(answer);
            active.comment = Set(comment);
            active.updated_at = Set(super::now());
            active.update(&txn).await.map_err(internal)?;
        }
        None => {
            audit_answers::Entity::insert(audit_answers::ActiveModel {
                assignment_id: Set(opened.assignment.id),
                plan_version_id: Set(period.version_id),
                item_key: Set(item.to_owned()),
                answer: Set(answer),
                comment: Set(comment),
                updated_at: Set(super::now()),
            })
            .exec_without_returning(&txn)
            .await
            .map_err(internal)?;
        }
    }
    mark_started(&txn, opened).await?;
    txn.commit().await.map_err(internal)
}

/// Saves the overall judgement (and summary) of one period.
pub async fn save_judgement(
    db: &DatabaseConnection,
    opened: &OpenedReview,
    period: u32,
    judgement: &str,
    summary: &str,
) -> Result<(), AppError> {
    check_editable(opened)?;
    let period = period_in_round(db, opened, period).await?;
    let field = format!("p{}-overall", period.number);
    let judgement = match judgement {
        "" => None,
        j => Some(
            Judgement::parse(j)
                .ok_or_else(|| AppError::field(&field, Problem::InvalidAnswer))?
                .as_str()
                .to_owned(),
        ),
    };
    let summary = check_comment(&format!("{field}-summary"), summary)?;
    let txn = db.begin().await.map_err(internal)?;
    let existing = audit_judgements::Entity::find_by_id((opened.assignment.id, period.version_id))
        .one(&txn)
        .await
        .map_err(internal)?;
    match existing {
        Some(row) => {
            let mut active = row.into_active_model();
            active.judgement = Set(judgement);
            active.summary = Set(summary);
            active.updated_at = Set(super::now());
            active.update(&txn).await.map_err(internal)?;
        }
        None => {
            audit_judgements::Entity::insert(audit_judgements::ActiveModel {
                assignment_id: Set(opened.assignment.id),
                plan_version_id: Set(period.version_id),
                judgement: Set(judgement),
                summary: Set(summary),
                updated_at: Set(super::now()),
            })
            .exec_without_returning(&txn)
            .await
            .map_err(internal)?;
        }
    }
    mark_started(&txn, opened).await?;
    txn.commit().await.map_err(internal)
}

/// Submits the review: every item and the overall judgement of every period must be
/// answered; then it is locked until the manager reopens it.
pub async fn submit(
    db: &DatabaseConnection,
    user: &CurrentUser,
    opened: &OpenedReview,
    today: NaiveDate,
) -> Result<(), AppError> {
    check_editable(opened)?;
    let ws = workspace(db, opened, today).await?;
    let mut p = Problems::default();
    for period in &ws.periods {
        for a in &period.answers {
            if a.answer.is_none() {
                p.add(
                    &format!("p{}-{}", period.number, a.key),
                    Problem::Unanswered,
                );
            }
        }
        if period.judgement.is_none() {
            p.add(&format!("p{}-overall", period.number), Problem::Unanswered);
        }
    }
    p.into_result()?;
    let txn = db.begin().await.map_err(internal)?;
    let mut active = opened.assignment.clone().into_active_model();
    active.submitted_at = Set(Some(super::now()));
    if opened.assignment.started_at.is_none() {
        active.started_at = Set(Some(super::now()));
    }
    active.update(&txn).await.map_err(internal)?;
    log_manage(
        &txn,
        user,
        access_log::Action::SubmitReview,
        Some(&opened.file),
        &format!("round {}", opened.round.year),
    )
    .await?;
    txn.commit().await.map_err(internal)
}

/// The user's reviews in published rounds.
pub async fn my_reviews(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
) -> Result<Vec<MyReview>, AppError> {
    let rounds: HashMap<i32, audit_rounds::Model> = audit_rounds::Entity::find()
        .filter(audit_rounds::Column::Status.eq("published"))
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let mine = audit_assignments::Entity::find()
        .filter(audit_assignments::Column::ReviewerId.eq(user.id))
        .filter(audit_assignments::Column::RoundId.is_in(rounds.keys().copied()))
        .order_by_asc(audit_assignments::Column::Id)
        .all(db)
        .await
        .map_err(internal)?;
    let files: HashMap<i32, case_files::Model> = case_files::Entity::find()
        .filter(case_files::Column::Id.is_in(mine.iter().map(|a| a.case_file_id)))
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|f| (f.id, f))
        .collect();
    let clients: HashMap<i32, clients::Model> = clients::Entity::find()
        .filter(clients::Column::Id.is_in(files.values().map(|f| f.client_id)))
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    Ok(mine
        .into_iter()
        .filter_map(|a| {
            let round = rounds.get(&a.round_id)?;
            let client = files
                .get(&a.case_file_id)
                .and_then(|f| clients.get(&f.client_id));
            Some(MyReview {
                round_id: round.public_id.clone(),
                assignment_id: a.public_id,
                year: round.year,
                due_on: round.due_on,
                client_name: client.and_then(client_name),
                started: a.started_at.is_some(),
                submitted: a.submitted_at.is_some(),
            })
        })
        .collect())
}

/// The manager's list of rounds, newest first.
pub async fn rounds(db: &impl ConnectionTrait) -> Result<Vec<RoundRow>, AppError> {
    let rounds = audit_rounds::Entity::find()
        .order_by_desc(audit_rounds::Column::Year)
        .order_by_desc(audit_rounds::Column::Id)
        .all(db)
        .await
        .map_err(internal)?;
    let all = audit_assignments::Entity::find()
        .filter(audit_assignments::Column::RoundId.is_in(rounds.iter().map(|r| r.id)))
        .all(db)
        .await
        .map_err(internal)?;
    Ok(rounds
        .into_iter()
        .map(|r| {
            let of_round: Vec<_> = all.iter().filter(|a| a.round_id == r.id).collect();
            RoundRow {
                round_id: r.public_id,
                year: r.year,
                due_on: r.due_on,
                status: r.status,
                files: of_round.len() as u32,
                submitted: of_round.iter().filter(|a| a.submitted_at.is_some()).count() as u32,
            }
        })
        .collect())
}

fn option(u: &users::Model) -> UserOption {
    super::clients::option(u)
}

/// Counts answers into an item result.
fn item_result(key: &str, text: &str, answers: &[Answer]) -> ItemResult {
    let score: akta_domain::checklist::ItemScore = answers.iter().copied().collect();
    ItemResult {
        key: key.to_owned(),
        text: text.to_owned(),
        yes: score.yes,
        partly: score.partly,
        no: score.no,
        not_applicable: score.not_applicable,
    }
}

/// The results of a set of submitted reviews: per item and the overall judgement.
fn result_group(
    contact_person: Option<String>,
    items: &[audit_round_items::Model],
    answers: &[&audit_answers::Model],
    judgements: &[&audit_judgements::Model],
) -> ResultGroup {
    let scores = akta_domain::checklist::score_by_item(answers.iter().filter_map(|a| {
        a.answer
            .as_deref()
            .and_then(Answer::parse)
            .map(|ans| (a.item_key.as_str(), ans))
    }));
    let overall: Vec<Answer> = judgements
        .iter()
        .filter_map(
            |j| match j.judgement.as_deref().and_then(Judgement::parse)? {
                Judgement::Yes => Some(Answer::Yes),
                Judgement::Partly => Some(Answer::Partly),
                Judgement::No => Some(Answer::No),
            },
        )
        .collect();
    ResultGroup {
        contact_person,
        periods: judgements.len() as u32,
        items: items
            .iter()
            .map(|i| {
                let s = scores.get(i.item_key.as_str()).copied().unwrap_or_default();
                ItemResult {
                    key: i.item_key.clone(),
                    text: i.text_sv.clone(),
                    yes: s.yes,
                    partly: s.partly,
                    no: s.no,
                    not_applicable: s.not_applicable,
                }
            })
            .collect(),
        overall: item_result(
            "overall",
            akta_domain::checklist::OVERALL_QUESTION.sv,
            &overall,
        ),
    }
}

/// A round as the manager sees it: pairing, completion and results. Names clients,
/// so the caller logs the read.
pub async fn round_view(
    db: &impl ConnectionTrait,
    round: &audit_rounds::Model,
    today: NaiveDate,
) -> Result<RoundView, AppError> {
    let assignments = audit_assignments::Entity::find()
        .filter(audit_assignments::Column::RoundId.eq(round.id))
        .order_by_asc(audit_assignments::Column::Id)
        .all(db)
        .await
        .map_err(internal)?;
    let reviewers = round_reviewers(db, round.id).await?;
    let files: HashMap<i32, case_files::Model> = case_files::Entity::find()
        .filter(case_files::Column::Id.is_in(assignments.iter().map(|a| a.case_file_id)))
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|f| (f.id, f))
        .collect();
    let clients: HashMap<i32, clients::Model> = clients::Entity::find()
        .filter(clients::Column::Id.is_in(files.values().map(|f| f.client_id)))
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let names = super::journal::user_names(
        db,
        files
            .values()
            .map(|f| f.contact_person_id)
            .chain(assignments.iter().map(|a| a.reviewer_id)),
    )
    .await?;
    let usernames: HashMap<i32, String> = users::Entity::find()
        .filter(users::Column::Id.is_in(assignments.iter().map(|a| a.reviewer_id)))
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|u| (u.id, u.username))
        .collect();
    let last = last_year(db, round.year).await?;
    // Who works in which file, for the swap choices of a draft.
    let unit = if round.status == "draft" {
        Some(unit_in_scope(db, round.year).await?)
    } else {
        None
    };
    let published = round.status == "published";
    let rows: Vec<AssignmentRow> = assignments
        .iter()
        .filter_map(|a| {
            let file = files.get(&a.case_file_id)?;
            let may_swap_to = unit
                .as_ref()
                .and_then(|u| u.audit_files.iter().find(|f| f.id == file.id))
                .map(|f| {
                    reviewers
                        .iter()
                        .filter(|r| r.id != a.reviewer_id && !f.is_own(&r.id))
                        .map(option)
                        .collect()
                })
                .unwrap_or_default();
            Some(AssignmentRow {
                assignment_id: a.public_id.clone(),
                file_id: file.public_id.clone(),
                client_name: clients.get(&file.client_id).and_then(client_name),
                contact_person: names
                    .get(&file.contact_person_id)
                    .cloned()
                    .unwrap_or_default(),
                reviewer: UserOption {
                    username: usernames.get(&a.reviewer_id).cloned().unwrap_or_default(),
                    display_name: names.get(&a.reviewer_id).cloned().unwrap_or_default(),
                },
                same_as_last_year: last.get(&file.id) == Some(&a.reviewer_id),
                swap_reason: a.swap_reason.clone(),
                started: a.started_at.is_some(),
                submitted: a.submitted_at.is_some(),
                overdue: published && a.submitted_at.is_none() && today > round.due_on,
                reopen_reason: a.reopen_reason.clone(),
                may_swap_to,
            })
        })
        .collect();
    let progress: Vec<ReviewerProgress> = reviewers
        .iter()
        .map(|r| {
            let own: Vec<&AssignmentRow> = rows
                .iter()
                .filter(|row| row.reviewer.username == r.username)
                .collect();
            ReviewerProgress {
                reviewer: option(r),
                assigned: own.len() as u32,
                started: own.iter().filter(|a| a.started).count() as u32,
                submitted: own.iter().filter(|a| a.submitted).count() as u32,
                overdue: own.iter().filter(|a| a.overdue).count() as u32,
            }
        })
        .collect();
    let overdue_reviewers = progress
        .iter()
        .filter(|p| p.overdue > 0)
        .map(|p| p.reviewer.clone())
        .collect();

    // Results over submitted reviews.
    let submitted: HashMap<i32, &audit_assignments::Model> = assignments
        .iter()
        .filter(|a| a.submitted_at.is_some())
        .map(|a| (a.id, a))
        .collect();
    let answers = audit_answers::Entity::find()
        .filter(audit_answers::Column::AssignmentId.is_in(submitted.keys().copied()))
        .all(db)
        .await
        .map_err(internal)?;
    let judgements = audit_judgements::Entity::find()
        .filter(audit_judgements::Column::AssignmentId.is_in(submitted.keys().copied()))
        .all(db)
        .await
        .map_err(internal)?;
    let items = round_items(db, round.id).await?;
    let contact_of = |assignment_id: i32| {
        submitted
            .get(&assignment_id)
            .and_then(|a| files.get(&a.case_file_id))
            .map(|f| f.contact_person_id)
    };
    let unit_result = result_group(
        None,
        &items,
        &answers.iter().collect::<Vec<_>>(),
        &judgements.iter().collect::<Vec<_>>(),
    );
    let mut contacts: Vec<(String, i32)> = submitted
        .values()
        .filter_map(|a| files.get(&a.case_file_id))
        .map(|f| {
            (
                names.get(&f.contact_person_id).cloned().unwrap_or_default(),
                f.contact_person_id,
            )
        })
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    contacts.sort();
    let by_contact_person = contacts
        .into_iter()
        .map(|(name, id)| {
            let a: Vec<&audit_answers::Model> = answers
                .iter()
                .filter(|x| contact_of(x.assignment_id) == Some(id))
                .collect();
            let j: Vec<&audit_judgements::Model> = judgements
                .iter()
                .filter(|x| contact_of(x.assignment_id) == Some(id))
                .collect();
            result_group(Some(name), &items, &a, &j)
        })
        .collect();
    Ok(RoundView {
        round_id: round.public_id.clone(),
        year: round.year,
        due_on: round.due_on,
        status: round.status.clone(),
        sample_per_contact: round.sample_per_contact.map(|n| n.max(0) as u32),
        seed: (round.seed as u64).to_string(),
        assignments: rows,
        progress,
        overdue_reviewers,
        unit: unit_result,
        by_contact_person,
        today,
    })
}

/// For the demo generator: a closed round of `year` in which every reviewer submitted
/// their reviews, with answers from `answer`. A sample of `per_contact` files of each
/// contact person; nothing is written when no pairing is possible. Returns the number
/// of reviews.
#[allow(clippy::too_many_arguments)]
pub async fn demo_closed_round(
    db: &DatabaseConnection,
    year: i32,
    seed: u64,
    created_by: i32,
    reviewer_ids: &[i32],
    per_contact: usize,
    at: chrono::DateTime<chrono::Utc>,
    mut answer: impl FnMut() -> Answer,
) -> Result<usize, AppError> {
    let unit = unit_in_scope(db, year).await?;
    let reviewers = users::Entity::find()
        .filter(users::Column::Id.is_in(reviewer_ids.iter().copied()))
        .all(db)
        .await
        .map_err(internal)?;
    let Ok(pairs) = draw(db, &unit, year, Some(per_contact), &reviewers, seed).await else {
        return Ok(0);
    };
    let txn = db.begin().await.map_err(internal)?;
    let round = audit_rounds::ActiveModel {
        public_id: Set(super::ids::public_id()),
        year: Set(year),
        due_on: Set(NaiveDate::from_ymd_opt(year, 12, 15).unwrap_or_default()),
        seed: Set((seed & i64::MAX as u64) as i64),
        status: Set("closed".to_owned()),
        sample_per_contact: Set(Some(per_contact as i32)),
        files_per_reviewer: Set(None),
        created_by: Set(created_by),
        created_at: Set(at),
        published_at: Set(Some(at)),
        closed_at: Set(Some(at)),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(internal)?;
    audit_round_items::Entity::insert_many(DEFAULT_ITEMS.iter().enumerate().map(|(i, item)| {
        audit_round_items::ActiveModel {
            round_id: Set(round.id),
            position: Set(i as i32),
            item_key: Set(item.key.to_owned()),
            text_sv: Set(item.sv.to_owned()),
            text_en: Set(item.en.to_owned()),
            ..Default::default()
        }
    }))
    .exec_without_returning(&txn)
    .await
    .map_err(internal)?;
    audit_reviewers::Entity::insert_many(reviewers.iter().map(|r| audit_reviewers::ActiveModel {
        round_id: Set(round.id),
        user_id: Set(r.id),
    }))
    .exec_without_returning(&txn)
    .await
    .map_err(internal)?;
    let mut answers = Vec::new();
    let mut judgements = Vec::new();
    for (file, reviewer) in &pairs {
        let a = audit_assignments::ActiveModel {
            public_id: Set(super::ids::public_id()),
            round_id: Set(round.id),
            case_file_id: Set(*file),
            reviewer_id: Set(*reviewer),
            second_review: Set(false),
            swap_reason: Set(None),
            started_at: Set(Some(at)),
            submitted_at: Set(Some(at)),
            reopen_reason: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(internal)?;
        for period in unit
            .periods
            .get(file)
            .into_iter()
            .flatten()
            .filter(|p| p.overlaps_year(year))
        {
            let mut worst = Answer::Yes;
            for item in DEFAULT_ITEMS.iter() {
                let given = answer();
                if given.is_answered() && given > worst {
                    worst = given;
                }
                answers.push(audit_answers::ActiveModel {
                    assignment_id: Set(a.id),
                    plan_version_id: Set(period.version_id),
                    item_key: Set(item.key.to_owned()),
                    answer: Set(Some(given.as_str().to_owned())),
                    comment: Set(String::new()),
                    updated_at: Set(at),
                });
            }
            let overall = match worst {
                Answer::Yes | Answer::NotApplicable => Judgement::Yes,
                Answer::Partly => Judgement::Partly,
                Answer::No => Judgement::No,
            };
            judgements.push(audit_judgements::ActiveModel {
                assignment_id: Set(a.id),
                plan_version_id: Set(period.version_id),
                judgement: Set(Some(overall.as_str().to_owned())),
                summary: Set(String::new()),
                updated_at: Set(at),
            });
        }
    }
    for chunk in answers.chunks(500) {
        audit_answers::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await
            .map_err(internal)?;
    }
    for chunk in judgements.chunks(500) {
        audit_judgements::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await
            .map_err(internal)?;
    }
    txn.commit().await.map_err(internal)?;
    Ok(pairs.len())
}
