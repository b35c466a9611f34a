//! The yearly peer file audit (aktgranskning): rounds, the pairing of files and
//! reviewers (`akta_domain::pairing`), the reviewer's workspace, answers, submission,
//! and the manager's completion and results.
//!
//! Access: the manager runs rounds; a reviewer reads exactly the files assigned to
//! them, only while the round is published. Every read is logged, as are refusals.

use super::entities::{
    assignments, audit_answers, audit_assignments, audit_judgements, audit_reviewers,
    audit_round_items, audit_rounds, audit_year_answers, audit_year_judgements, care_team,
    case_files, clients, journal_entries, plan_versions, unit_settings, users,
};
use super::guard::{CurrentUser, Named, Permission, Refusal, Target};
use super::internal;
use crate::error::{AppError, PairingProblem, Problem, Problems};
use crate::model::UserOption;
use crate::model::audit::*;
use akta_domain::checklist::{Answer, DEFAULT_ITEMS, Judgement};
use akta_domain::pairing::{
    AuditFile, AuditRound, PairingError, Scope, SecondReviewError, sample_per_contact_person,
};
use chrono::{Datelike, NaiveDate};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect,
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

/// Last year's reviewer of each file (the most recent published or closed round of
/// the year before; second reviews do not count).
async fn last_year(db: &impl ConnectionTrait, year: i32) -> Result<BTreeMap<i32, i32>, AppError> {
    let Some(round) = audit_rounds::Entity::find()
        .filter(audit_rounds::Column::Year.eq(year - 1))
        .filter(audit_rounds::Column::Status.ne("draft"))
        .order_by_desc(audit_rounds::Column::Id)
        .one(db)
        .await?
    else {
        return Ok(BTreeMap::new());
    };
    Ok(audit_assignments::Entity::find()
        .filter(audit_assignments::Column::RoundId.eq(round.id))
        .filter(audit_assignments::Column::SecondReview.eq(false))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.case_file_id, a.reviewer_id))
        .collect())
}

/// The files of a round: every file in scope, or a seeded sample per contact person.
fn files_of_round(unit: &Unit, sample: Option<usize>, seed: u64) -> Vec<AuditFile<i32, i32>> {
    match sample {
        Some(n) => sample_per_contact_person(&unit.audit_files, n, seed),
        None => unit.audit_files.clone(),
    }
}

/// One drawn review: file, reviewer, and whether it is a second review.
#[derive(Debug, Clone, Copy)]
struct Drawn {
    file: i32,
    reviewer: i32,
    second: bool,
}

/// Draws the pairs for a round's inputs, and `second` of them again for a second,
/// independent review; errors name the files and reviewers in the way.
async fn draw(
    db: &impl ConnectionTrait,
    unit: &Unit,
    year: i32,
    sample: Option<usize>,
    second: usize,
    reviewers: &[users::Model],
    seed: u64,
) -> Result<Vec<Drawn>, AppError> {
    let files = files_of_round(unit, sample, seed);
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
        Ok(pairing) => {
            let seconds =
                round
                    .draw_second_reviews(&pairing, second, seed)
                    .map_err(|e| match e {
                        SecondReviewError::TooMany { possible } => {
                            AppError::field("double", Problem::SecondReviewsTooMany { possible })
                        }
                        SecondReviewError::Unbalanced { .. } => {
                            AppError::field("double", Problem::SecondReviewsUneven)
                        }
                    })?;
            let first = pairing.pairs.iter().map(|p| Drawn {
                file: p.file,
                reviewer: p.reviewer,
                second: false,
            });
            let seconds = seconds.iter().map(|p| Drawn {
                file: p.file,
                reviewer: p.reviewer,
                second: true,
            });
            Ok(first.chain(seconds).collect())
        }
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
    /// Files to be reviewed a second time ("" or 0 = none).
    pub double: String,
    /// The most files a reviewer gets ("" = no limit).
    pub per_reviewer: String,
    pub reviewers: Vec<String>,
}

/// Largest number of second reviews or files per reviewer a form accepts.
pub const COUNT_MAX: usize = 1000;

/// A whole number from `min` to [`COUNT_MAX`], or `None` for an empty field.
fn optional_count(text: &str, min: usize) -> Result<Option<usize>, ()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<usize>() {
        Ok(n) if (min..=COUNT_MAX).contains(&n) => Ok(Some(n)),
        _ => Err(()),
    }
}

/// A round just opened: its public id, and what its log line says.
pub struct OpenedRound {
    pub public_id: String,
    pub year: i32,
    pub files: usize,
}

/// Opens a round as a draft with a drawn pairing, inside the caller's transaction:
/// nothing stored when anything is wrong.
pub async fn open_round(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    form: &RoundForm,
    today: NaiveDate,
) -> Result<OpenedRound, AppError> {
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
    let double = match optional_count(&form.double, 0) {
        Ok(n) => n.unwrap_or(0),
        Err(()) => {
            p.add("double", Problem::InvalidNumber { max: COUNT_MAX });
            0
        }
    };
    let per_reviewer = match optional_count(&form.per_reviewer, 1) {
        Ok(n) => n,
        Err(()) => {
            p.add("per_reviewer", Problem::InvalidCount { max: COUNT_MAX });
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
            // routine: the audit is made once a year, so a year has one round (a closed
            // one is reopened instead, see `set_status`).
            let exists = audit_rounds::Entity::find()
                .filter(audit_rounds::Column::Year.eq(y))
                .one(db)
                .await?
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
    let seed = new_seed();
    // The most files a reviewer gets: loads differ by at most one, so the limit holds
    // exactly when the reviews fit (second reviews count as reviews).
    if let (Some(unit), Some(k)) = (&unit, per_reviewer)
        && !reviewers.is_empty()
    {
        let reviews = files_of_round(unit, sample, seed).len() + double;
        if reviews > reviewers.len() * k {
            p.add(
                "per_reviewer",
                Problem::TooFewReviewers {
                    reviews,
                    per_reviewer: k,
                    needed: reviews.div_ceil(k),
                    chosen: reviewers.len(),
                },
            );
        }
    }
    p.into_result()?;
    let (Some(year), Some(due_on), Some(unit)) = (year, due_on, unit) else {
        return Err(internal("round form checked but incomplete"));
    };
    let pairs = draw(db, &unit, year, sample, double, &reviewers, seed).await?;
    let public_id = super::ids::public_id();
    let round = audit_rounds::ActiveModel {
        public_id: Set(public_id.clone()),
        year: Set(year),
        due_on: Set(due_on),
        seed: Set(seed as i64),
        status: Set("draft".to_owned()),
        sample_per_contact: Set(sample.map(|n| n as i32)),
        files_per_reviewer: Set(per_reviewer.map(|n| n as i32)),
        second_reviews: Set(double as i32),
        checklist_version: Set(1),
        created_by: Set(user.id),
        created_at: Set(super::now()),
        published_at: Set(None),
        closed_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    insert_checklist_and_reviewers(db, round.id, &reviewers).await?;
    insert_pairs(db, round.id, &pairs).await?;
    Ok(OpenedRound {
        public_id,
        year,
        files: pairs.len(),
    })
}

/// A new round's own copy of the default checklist, and its reviewers.
async fn insert_checklist_and_reviewers(
    db: &impl ConnectionTrait,
    round_id: i32,
    reviewers: &[users::Model],
) -> Result<(), AppError> {
    audit_round_items::Entity::insert_many(DEFAULT_ITEMS.iter().enumerate().map(|(i, item)| {
        audit_round_items::ActiveModel {
            round_id: Set(round_id),
            position: Set(i as i32),
            item_key: Set(item.key.to_owned()),
            text_sv: Set(item.sv.to_owned()),
            text_en: Set(item.en.to_owned()),
            ..Default::default()
        }
    }))
    .exec_without_returning(db)
    .await?;
    if reviewers.is_empty() {
        return Ok(());
    }
    audit_reviewers::Entity::insert_many(reviewers.iter().map(|r| audit_reviewers::ActiveModel {
        round_id: Set(round_id),
        user_id: Set(r.id),
    }))
    .exec_without_returning(db)
    .await?;
    Ok(())
}

async fn insert_pairs(
    db: &impl ConnectionTrait,
    round_id: i32,
    pairs: &[Drawn],
) -> Result<(), AppError> {
    // A few hundred rows per statement: one INSERT of a large unit's round would pass
    // SQLite's limit of bound values (about 3 600 reviews of nine columns).
    for chunk in pairs.chunks(500) {
        audit_assignments::Entity::insert_many(chunk.iter().map(|d| {
            audit_assignments::ActiveModel {
                public_id: Set(super::ids::public_id()),
                round_id: Set(round_id),
                case_file_id: Set(d.file),
                reviewer_id: Set(d.reviewer),
                second_review: Set(d.second),
                swap_reason: Set(None),
                started_at: Set(None),
                submitted_at: Set(None),
                reopen_reason: Set(None),
                access_until: Set(None),
                ..Default::default()
            }
        }))
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

pub async fn find_round(
    db: &impl ConnectionTrait,
    public_id: &str,
) -> Result<Option<audit_rounds::Model>, AppError> {
    Ok(audit_rounds::Entity::find()
        .filter(audit_rounds::Column::PublicId.eq(public_id))
        .one(db)
        .await?)
}

async fn round_reviewers(
    db: &impl ConnectionTrait,
    round_id: i32,
) -> Result<Vec<users::Model>, AppError> {
    let ids: Vec<i32> = audit_reviewers::Entity::find()
        .filter(audit_reviewers::Column::RoundId.eq(round_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.user_id)
        .collect();
    Ok(users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .order_by_asc(users::Column::DisplayName)
        .all(db)
        .await?)
}

/// Draws a draft round again with a new seed (the same files and reviewers).
pub async fn redraw(
    db: &impl ConnectionTrait,
    round: &audit_rounds::Model,
) -> Result<(), AppError> {
    if round.status != "draft" {
        return Err(AppError::RoundNotDraft);
    }
    let unit = unit_in_scope(db, round.year).await?;
    let reviewers = round_reviewers(db, round.id).await?;
    let seed = new_seed();
    let sample = round.sample_per_contact.map(|n| n.max(0) as usize);
    let second = round.second_reviews.max(0) as usize;
    let pairs = draw(db, &unit, round.year, sample, second, &reviewers, seed).await?;
    audit_assignments::Entity::delete_many()
        .filter(audit_assignments::Column::RoundId.eq(round.id))
        .exec(db)
        .await?;
    insert_pairs(db, round.id, &pairs).await?;
    let mut active = round.clone().into_active_model();
    active.seed = Set(seed as i64);
    active.update(db).await?;
    Ok(())
}

/// Publishes a draft round (reviewers see their files), closes a published one, or
/// reopens a closed one within `akta_domain::audit_round::REOPEN_DAYS` of its closing.
pub async fn set_status(
    db: &impl ConnectionTrait,
    round: &audit_rounds::Model,
    to: &str,
    today: NaiveDate,
) -> Result<(), AppError> {
    let mut active = round.clone().into_active_model();
    match (round.status.as_str(), to) {
        ("draft", "published") => active.published_at = Set(Some(super::now())),
        ("published", "closed") => active.closed_at = Set(Some(super::now())),
        ("closed", "published") => {
            let closed_on = round.closed_at.map(|at| super::swedish(at).date());
            if !closed_on.is_some_and(|d| akta_domain::audit_round::may_reopen(d, today)) {
                return Err(AppError::RoundReopenExpired);
            }
            active.closed_at = Set(None);
        }
        ("draft", _) => return Err(AppError::RoundNotDraft),
        _ => return Err(AppError::RoundClosed),
    }
    active.status = Set(to.to_owned());
    active.update(db).await?;
    Ok(())
}

async fn find_assignment(
    db: &impl ConnectionTrait,
    public_id: &str,
) -> Result<Option<audit_assignments::Model>, AppError> {
    Ok(audit_assignments::Entity::find()
        .filter(audit_assignments::Column::PublicId.eq(public_id))
        .one(db)
        .await?)
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
        .await?
        .is_some();
    let author = journal_entries::Entity::find()
        .filter(journal_entries::Column::CaseFileId.eq(file.id))
        .filter(journal_entries::Column::AuthorId.eq(user_id))
        .one(db)
        .await?
        .is_some();
    Ok(team || author)
}

/// Gives a file of a draft round to another reviewer of the round, with a reason. The
/// new reviewer must not work in the file. Returns the log line's detail.
pub async fn swap(
    db: &impl ConnectionTrait,
    opened: &RoundAssignment,
    to: &str,
    reason: &str,
) -> Result<String, AppError> {
    let (a, round, file) = (&opened.assignment, &opened.round, &opened.file);
    if round.status != "draft" {
        return Err(AppError::RoundNotDraft);
    }
    let mut p = Problems::default();
    let reason = reason.trim();
    if reason.is_empty() {
        p.add("reason", Problem::Empty);
    } else if reason.chars().count() > REASON_MAX {
        p.add("reason", Problem::TooLong { max: REASON_MAX });
    }
    let reviewers = round_reviewers(db, round.id).await?;
    let new = reviewers.iter().find(|r| r.username == to.trim());
    // Double review: the file's other reviewer may not take it either.
    let on_file: Vec<i32> = audit_assignments::Entity::find()
        .filter(audit_assignments::Column::RoundId.eq(round.id))
        .filter(audit_assignments::Column::CaseFileId.eq(a.case_file_id))
        .all(db)
        .await?
        .into_iter()
        .map(|x| x.reviewer_id)
        .collect();
    let allowed = match new {
        Some(r) if !on_file.contains(&r.id) => !works_in(db, file, r.id).await?,
        _ => false,
    };
    if !allowed {
        p.add("reviewer", Problem::InvalidReviewer);
    }
    p.into_result()?;
    let Some(new) = new else {
        return Err(internal("checked reviewer missing"));
    };
    let mut active = a.clone().into_active_model();
    active.reviewer_id = Set(new.id);
    active.swap_reason = Set(Some(reason.to_owned()));
    active.update(db).await?;
    Ok(format!("to {}: {reason}", new.username))
}

/// Reopens a submitted review, with a reason. Returns whether it was submitted (a
/// review still open is left as it is).
pub async fn reopen(
    db: &impl ConnectionTrait,
    opened: &RoundAssignment,
    reason: &str,
) -> Result<bool, AppError> {
    let (a, round) = (&opened.assignment, &opened.round);
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
    if round.status != "published" {
        return Err(AppError::RoundClosed);
    }
    if a.submitted_at.is_none() {
        return Ok(false);
    }
    let mut active = a.clone().into_active_model();
    active.submitted_at = Set(None);
    active.reopen_reason = Set(Some(reason.to_owned()));
    active.update(db).await?;
    Ok(true)
}

/// The last day the reviewer may read the file of an assignment: the round's due
/// date, or the later day a manager allowed.
pub fn access_until(a: &audit_assignments::Model, round: &audit_rounds::Model) -> NaiveDate {
    a.access_until.map_or(round.due_on, |d| d.max(round.due_on))
}

/// Gives one review of a published round more time: the reviewer may read the file
/// until `until` (from today, at most `akta_domain::audit_round::EXTEND_MAX_DAYS`
/// past the round's due date).
/// A submitted review needs none. Returns the new last day.
pub async fn extend(
    db: &impl ConnectionTrait,
    opened: &RoundAssignment,
    until: &str,
    today: NaiveDate,
) -> Result<NaiveDate, AppError> {
    let (a, round) = (&opened.assignment, &opened.round);
    if round.status != "published" {
        return Err(AppError::RoundClosed);
    }
    if a.submitted_at.is_some() {
        return Err(AppError::ReviewSubmitted);
    }
    let Ok(day) = NaiveDate::parse_from_str(until.trim(), "%Y-%m-%d") else {
        return Err(AppError::field(
            "until",
            if until.trim().is_empty() {
                Problem::Empty
            } else {
                Problem::InvalidDate
            },
        ));
    };
    if day < today {
        return Err(AppError::field("until", Problem::DateInPast));
    }
    if day <= round.due_on {
        return Err(AppError::field("until", Problem::NotAfterDue));
    }
    if day
        > round.due_on
            + chrono::Duration::days(i64::from(akta_domain::audit_round::EXTEND_MAX_DAYS))
    {
        return Err(AppError::field(
            "until",
            Problem::ExtendTooLong {
                max_days: akta_domain::audit_round::EXTEND_MAX_DAYS,
            },
        ));
    }
    let mut active = a.clone().into_active_model();
    active.access_until = Set(Some(day));
    active.update(db).await?;
    Ok(day)
}

/// An assignment the reviewer may work on, with its round, file and client.
pub struct OpenedReview {
    pub assignment: audit_assignments::Model,
    pub round: audit_rounds::Model,
    pub file: case_files::Model,
    pub client: clients::Model,
}

impl Target for OpenedReview {
    const PERMISSION: Permission = Permission::ReadFiles;
    const KIND: &'static str = "review";

    /// Opens an assigned file for its reviewer: only their own assignment, only while
    /// the round is published. A file not assigned to the user is "not found" (its
    /// existence is not revealed); the refusal names the file.
    async fn open<C: ConnectionTrait>(
        db: &C,
        user: &CurrentUser,
        public_id: &str,
    ) -> Result<Result<Self, Refusal>, AppError> {
        let refuse = |file: Option<&case_files::Model>, why, error| Refusal {
            error,
            why,
            named: file.map_or_else(Named::default, |f| Named::file(f.client_id, f.id)),
        };
        let Some(a) = find_assignment(db, public_id).await? else {
            return Ok(Err(refuse(None, "no such review", AppError::NotFound)));
        };
        let file = case_files::Entity::find_by_id(a.case_file_id)
            .one(db)
            .await?
            .ok_or_else(|| internal("assignment without file"))?;
        if a.reviewer_id != user.id {
            return Ok(Err(refuse(
                Some(&file),
                "not the reviewer",
                AppError::NotFound,
            )));
        }
        let round = audit_rounds::Entity::find_by_id(a.round_id)
            .one(db)
            .await?
            .ok_or_else(|| internal("assignment without round"))?;
        if round.status != "published" {
            return Ok(Err(refuse(
                Some(&file),
                "round not open",
                AppError::RoundClosed,
            )));
        }
        // The reviewer reads the file until the round's due date, or the later day a
        // manager allowed for this review; then no more (issue 14, item 9).
        let until = access_until(&a, &round);
        if super::today() > until {
            return Ok(Err(refuse(
                Some(&file),
                "review time over",
                AppError::ReviewTimeOver { until },
            )));
        }
        let client = clients::Entity::find_by_id(file.client_id)
            .one(db)
            .await?
            .ok_or_else(|| internal("file without client"))?;
        Ok(Ok(OpenedReview {
            assignment: a,
            round,
            file,
            client,
        }))
    }

    async fn find<C: ConnectionTrait>(db: &C, public_id: &str) -> Result<Named, AppError> {
        assignment_named(db, public_id).await
    }

    fn named(&self) -> Named {
        Named::file(self.file.client_id, self.file.id)
    }
}

/// The file of an audit assignment, whoever asks (for refusals).
async fn assignment_named(db: &impl ConnectionTrait, public_id: &str) -> Result<Named, AppError> {
    let Some(a) = find_assignment(db, public_id).await? else {
        return Ok(Named::default());
    };
    Ok(case_files::Entity::find_by_id(a.case_file_id)
        .one(db)
        .await?
        .map(|f| Named::file(f.client_id, f.id))
        .unwrap_or_default())
}

/// An assignment of a round as the manager handles it (swapping its reviewer,
/// reopening it): any assignment of the unit, with its round and file.
pub struct RoundAssignment {
    pub assignment: audit_assignments::Model,
    pub round: audit_rounds::Model,
    pub file: case_files::Model,
}

impl Target for RoundAssignment {
    const PERMISSION: Permission = Permission::ManageUnit;
    const KIND: &'static str = "review";

    async fn open<C: ConnectionTrait>(
        db: &C,
        _manager: &CurrentUser,
        public_id: &str,
    ) -> Result<Result<Self, Refusal>, AppError> {
        let Some(assignment) = find_assignment(db, public_id).await? else {
            return Ok(Err(Refusal {
                error: AppError::NotFound,
                why: "no such review",
                named: Named::default(),
            }));
        };
        let round = audit_rounds::Entity::find_by_id(assignment.round_id)
            .one(db)
            .await?
            .ok_or_else(|| internal("assignment without round"))?;
        let file = case_files::Entity::find_by_id(assignment.case_file_id)
            .one(db)
            .await?
            .ok_or_else(|| internal("assignment without file"))?;
        Ok(Ok(RoundAssignment {
            assignment,
            round,
            file,
        }))
    }

    async fn find<C: ConnectionTrait>(db: &C, public_id: &str) -> Result<Named, AppError> {
        assignment_named(db, public_id).await
    }

    fn named(&self) -> Named {
        Named::file(self.file.client_id, self.file.id)
    }
}

/// An audit round, for the manager. It names no file.
impl Target for audit_rounds::Model {
    const PERMISSION: Permission = Permission::ManageUnit;
    const KIND: &'static str = "round";

    async fn open<C: ConnectionTrait>(
        db: &C,
        _manager: &CurrentUser,
        public_id: &str,
    ) -> Result<Result<Self, Refusal>, AppError> {
        Ok(find_round(db, public_id).await?.ok_or(Refusal {
            error: AppError::NotFound,
            why: "no such round",
            named: Named::default(),
        }))
    }

    async fn find<C: ConnectionTrait>(_db: &C, _public_id: &str) -> Result<Named, AppError> {
        Ok(Named::default())
    }

    fn named(&self) -> Named {
        Named::default()
    }
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
        .await?
        .into_iter()
        .map(|v| (v.id, v))
        .collect();
    let entries = journal_entries::Entity::find()
        .filter(journal_entries::Column::CaseFileId.eq(opened.file.id))
        .filter(journal_entries::Column::Status.eq("signed"))
        .order_by_asc(journal_entries::Column::EventDate)
        .order_by_asc(journal_entries::Column::Id)
        .all(db)
        .await?;
    let entries = super::journal::entry_views(db, entries, &all).await?;
    let signed_days: Vec<NaiveDate> = entries
        .iter()
        .filter_map(|e| e.signed_at.map(|at| super::swedish(at).date()))
        .collect();
    let (answers, judgements) = answers_and_judgements(db, [opened.assignment.id]).await?;
    let items = round_items(db, opened.round.id).await?;
    let service_type = assignments::Entity::find_by_id(opened.file.assignment_id)
        .one(db)
        .await?
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
        // The weekly rule of the deadlines: calendar weeks by the day of signing.
        let gaps = akta_domain::deadlines::silences_between(
            &signed_days,
            opened.file.started_on,
            opened.file.closed_on,
            today,
            (view.valid_from, end),
        )
        .into_iter()
        .map(|g| (g.first, g.last))
        .collect();
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
    // No plan period in the year: the year's journal, read and answered without a
    // plan (issue 13, item 5).
    let plan_less = periods.is_empty();
    if plan_less {
        let p = year_period(&opened.file, year);
        let to = p.to.unwrap_or(year_end);
        let gaps = akta_domain::deadlines::silences_between(
            &signed_days,
            opened.file.started_on,
            opened.file.closed_on,
            today,
            (p.from, to.min(today)),
        )
        .into_iter()
        .map(|g| (g.first, g.last))
        .collect();
        let period_answers = items
            .iter()
            .map(|item| {
                let found = answers.iter().find(|a| {
                    a.plan_version_id == YEAR_WITHOUT_PLAN && a.item_key == item.item_key
                });
                AnswerView {
                    key: item.item_key.clone(),
                    answer: found.and_then(|a| a.answer.clone()),
                    comment: found.map(|a| a.comment.clone()).unwrap_or_default(),
                }
            })
            .collect();
        let judgement = judgements
            .iter()
            .find(|j| j.plan_version_id == YEAR_WITHOUT_PLAN);
        periods.push(AuditPeriod {
            number: p.number,
            valid_from: p.from,
            valid_to: p.to,
            client_signed_on: None,
            client_view: String::new(),
            goals: Vec::new(),
            entries: entries
                .iter()
                .filter(|e| e.event_date >= p.from && e.event_date <= to)
                .cloned()
                .collect(),
            goals_without_entry: Vec::new(),
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
        items: items.iter().map(item_view).collect(),
        periods,
        plan_less,
        submitted: opened.assignment.submitted_at.is_some(),
        reopen_reason: opened.assignment.reopen_reason.clone(),
        other_review: other_review(db, opened).await?,
        second_review: opened.assignment.second_review,
    })
}

/// The plan version of period `number` if that period is part of the round's year;
/// for a file with no period in the year, "the year without a plan" (number 0).
async fn period_in_round(
    db: &impl ConnectionTrait,
    opened: &OpenedReview,
    number: u32,
) -> Result<Period, AppError> {
    let year = opened.round.year;
    let in_year: Vec<Period> = file_periods(db, &opened.file)
        .await?
        .into_iter()
        .filter(|p| p.overlaps_year(year))
        .collect();
    if in_year.is_empty() {
        return (number == YEAR_WITHOUT_PLAN as u32)
            .then(|| year_period(&opened.file, year))
            .ok_or(AppError::NotFound);
    }
    in_year
        .into_iter()
        .find(|p| p.number == number)
        .ok_or(AppError::NotFound)
}

/// An answer of "the year without a plan", inserted or replaced.
async fn save_year_answer(
    db: &impl ConnectionTrait,
    assignment_id: i32,
    item: &str,
    answer: Option<String>,
    comment: String,
) -> Result<(), AppError> {
    let existing = audit_year_answers::Entity::find_by_id((assignment_id, item.to_owned()))
        .one(db)
        .await?;
    match existing {
        Some(row) => {
            let mut active = row.into_active_model();
            active.answer = Set(answer);
            active.comment = Set(comment);
            active.updated_at = Set(super::now());
            active.update(db).await?;
        }
        None => {
            audit_year_answers::Entity::insert(audit_year_answers::ActiveModel {
                assignment_id: Set(assignment_id),
                item_key: Set(item.to_owned()),
                answer: Set(answer),
                comment: Set(comment),
                updated_at: Set(super::now()),
            })
            .exec_without_returning(db)
            .await?;
        }
    }
    Ok(())
}

/// The overall judgement of "the year without a plan", inserted or replaced.
async fn save_year_judgement(
    db: &impl ConnectionTrait,
    assignment_id: i32,
    judgement: Option<String>,
    summary: String,
) -> Result<(), AppError> {
    match audit_year_judgements::Entity::find_by_id(assignment_id)
        .one(db)
        .await?
    {
        Some(row) => {
            let mut active = row.into_active_model();
            active.judgement = Set(judgement);
            active.summary = Set(summary);
            active.updated_at = Set(super::now());
            active.update(db).await?;
        }
        None => {
            audit_year_judgements::Entity::insert(audit_year_judgements::ActiveModel {
                assignment_id: Set(assignment_id),
                judgement: Set(judgement),
                summary: Set(summary),
                updated_at: Set(super::now()),
            })
            .exec_without_returning(db)
            .await?;
        }
    }
    Ok(())
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
        active.update(db).await?;
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
    db: &impl ConnectionTrait,
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
    if period.version_id == YEAR_WITHOUT_PLAN {
        save_year_answer(db, opened.assignment.id, item, answer, comment).await?;
        return mark_started(db, opened).await;
    }
    let existing = audit_answers::Entity::find_by_id((
        opened.assignment.id,
        period.version_id,
        item.to_owned(),
    ))
    .one(db)
    .await?;
    match existing {
        Some(row) => {
            let mut active = row.into_active_model();
            active.answer = Set(answer);
            active.comment = Set(comment);
            active.updated_at = Set(super::now());
            active.update(db).await?;
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
            .exec_without_returning(db)
            .await?;
        }
    }
    mark_started(db, opened).await?;
    Ok(())
}

/// Saves the overall judgement (and summary) of one period.
pub async fn save_judgement(
    db: &impl ConnectionTrait,
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
    if period.version_id == YEAR_WITHOUT_PLAN {
        save_year_judgement(db, opened.assignment.id, judgement, summary).await?;
        return mark_started(db, opened).await;
    }
    let existing = audit_judgements::Entity::find_by_id((opened.assignment.id, period.version_id))
        .one(db)
        .await?;
    match existing {
        Some(row) => {
            let mut active = row.into_active_model();
            active.judgement = Set(judgement);
            active.summary = Set(summary);
            active.updated_at = Set(super::now());
            active.update(db).await?;
        }
        None => {
            audit_judgements::Entity::insert(audit_judgements::ActiveModel {
                assignment_id: Set(opened.assignment.id),
                plan_version_id: Set(period.version_id),
                judgement: Set(judgement),
                summary: Set(summary),
                updated_at: Set(super::now()),
            })
            .exec_without_returning(db)
            .await?;
        }
    }
    mark_started(db, opened).await?;
    Ok(())
}

/// Submits the review: every item and the overall judgement of every period must be
/// answered; then it is locked until the manager reopens it.
pub async fn submit(
    db: &impl ConnectionTrait,
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
    let mut active = opened.assignment.clone().into_active_model();
    active.submitted_at = Set(Some(super::now()));
    if opened.assignment.started_at.is_none() {
        active.started_at = Set(Some(super::now()));
    }
    active.update(db).await?;
    Ok(())
}

/// The user's reviews in published rounds.
pub async fn my_reviews(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
) -> Result<Vec<MyReview>, AppError> {
    let rounds: HashMap<i32, audit_rounds::Model> = audit_rounds::Entity::find()
        .filter(audit_rounds::Column::Status.eq("published"))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let mine = audit_assignments::Entity::find()
        .filter(audit_assignments::Column::ReviewerId.eq(user.id))
        .filter(audit_assignments::Column::RoundId.is_in(rounds.keys().copied()))
        .order_by_asc(audit_assignments::Column::Id)
        .all(db)
        .await?;
    let files: HashMap<i32, case_files::Model> = case_files::Entity::find()
        .filter(case_files::Column::Id.is_in(mine.iter().map(|a| a.case_file_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f))
        .collect();
    let clients: HashMap<i32, clients::Model> = clients::Entity::find()
        .filter(clients::Column::Id.is_in(files.values().map(|f| f.client_id)))
        .all(db)
        .await?
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
                due_on: access_until(&a, round),
                assignment_id: a.public_id,
                year: round.year,
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
        .await?;
    let all = audit_assignments::Entity::find()
        .filter(audit_assignments::Column::RoundId.is_in(rounds.iter().map(|r| r.id)))
        .all(db)
        .await?;
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
        .await?;
    let reviewers = round_reviewers(db, round.id).await?;
    let files: HashMap<i32, case_files::Model> = case_files::Entity::find()
        .filter(case_files::Column::Id.is_in(assignments.iter().map(|a| a.case_file_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f))
        .collect();
    let clients: HashMap<i32, clients::Model> = clients::Entity::find()
        .filter(clients::Column::Id.is_in(files.values().map(|f| f.client_id)))
        .all(db)
        .await?
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
        .await?
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
            let on_file: Vec<i32> = assignments
                .iter()
                .filter(|x| x.case_file_id == a.case_file_id)
                .map(|x| x.reviewer_id)
                .collect();
            let may_swap_to = unit
                .as_ref()
                .and_then(|u| u.audit_files.iter().find(|f| f.id == file.id))
                .map(|f| {
                    reviewers
                        .iter()
                        .filter(|r| !on_file.contains(&r.id) && !f.is_own(&r.id))
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
                access_until: a.access_until.filter(|d| *d > round.due_on),
                reopen_reason: a.reopen_reason.clone(),
                second_review: a.second_review,
                may_swap_to,
            })
        })
        .collect();
    let mut reminded = super::reminders::last_sent(db, round.id).await?;
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
                reminded: reminded.remove(&r.id),
            }
        })
        .collect();
    // Reviews left long after the due date: the manager's to take further.
    let days_late = (today - round.due_on).num_days();
    let mut escalated: Vec<EscalatedReview> =
        if published && days_late >= i64::from(akta_domain::audit_round::ESCALATE_DAYS) {
            rows.iter()
                // Given more time by the manager: not escalated while that lasts.
                .filter(|a| a.overdue && a.access_until.is_none_or(|d| d < today))
                .map(|a| EscalatedReview {
                    assignment_id: a.assignment_id.clone(),
                    client_name: a.client_name.clone(),
                    reviewer: a.reviewer.display_name.clone(),
                    days_late: days_late as u32,
                })
                .collect()
        } else {
            Vec::new()
        };
    escalated.sort_by(|a, b| a.reviewer.cmp(&b.reviewer));
    let overdue_reviewers = progress
        .iter()
        .filter(|p| p.overdue > 0)
        .map(|p| p.reviewer.clone())
        .collect();

    // Results over submitted first reviews: a double-reviewed file counts once.
    let all_submitted: HashMap<i32, &audit_assignments::Model> = assignments
        .iter()
        .filter(|a| a.submitted_at.is_some())
        .map(|a| (a.id, a))
        .collect();
    let (all_answers, all_judgements) =
        answers_and_judgements(db, all_submitted.keys().copied()).await?;
    let items = round_items(db, round.id).await?;
    let double_review = (round.second_reviews > 0 || assignments.iter().any(|a| a.second_review))
        .then(|| double_review(&assignments, &items, &all_answers, &all_judgements));
    let submitted: HashMap<i32, &audit_assignments::Model> = all_submitted
        .into_iter()
        .filter(|(_, a)| !a.second_review)
        .collect();
    let answers: Vec<audit_answers::Model> = all_answers
        .into_iter()
        .filter(|a| submitted.contains_key(&a.assignment_id))
        .collect();
    let judgements: Vec<audit_judgements::Model> = all_judgements
        .into_iter()
        .filter(|j| submitted.contains_key(&j.assignment_id))
        .collect();
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
        files_per_reviewer: round.files_per_reviewer.map(|n| n.max(0) as u32),
        seed: (round.seed as u64).to_string(),
        checklist: items.iter().map(item_view).collect(),
        checklist_version: round.checklist_version.max(1) as u32,
        double_review,
        assignments: rows,
        progress,
        overdue_reviewers,
        escalated,
        unit: unit_result,
        by_contact_person,
        closed_on: round.closed_at.map(|at| super::swedish(at).date()),
        today,
    })
}

fn item_view(i: &audit_round_items::Model) -> ChecklistItemView {
    ChecklistItemView {
        key: i.item_key.clone(),
        text_sv: i.text_sv.clone(),
        text_en: i.text_en.clone(),
    }
}

/// Agreement of the two reviewers of each double-reviewed file, per checklist item and
/// for the overall judgement, over the plan periods both answered; only files whose two
/// reviews are both submitted count (`akta_domain::agreement`).
fn double_review(
    assignments: &[audit_assignments::Model],
    items: &[audit_round_items::Model],
    answers: &[audit_answers::Model],
    judgements: &[audit_judgements::Model],
) -> DoubleReview {
    use akta_domain::agreement::agreement;
    // file → (first, second), both submitted.
    let mut by_file: HashMap<
        i32,
        (
            Option<&audit_assignments::Model>,
            Option<&audit_assignments::Model>,
        ),
    > = HashMap::new();
    for a in assignments {
        let slot = by_file.entry(a.case_file_id).or_default();
        if a.second_review {
            slot.1 = Some(a);
        } else {
            slot.0 = Some(a);
        }
    }
    let files = by_file.values().filter(|(_, s)| s.is_some()).count() as u32;
    let pairs: Vec<(i32, i32)> = by_file
        .values()
        .filter_map(|(f, s)| match (f, s) {
            (Some(f), Some(s)) if f.submitted_at.is_some() && s.submitted_at.is_some() => {
                Some((f.id, s.id))
            }
            _ => None,
        })
        .collect();
    let answer_of: HashMap<(i32, i32, &str), Answer> = answers
        .iter()
        .filter_map(|a| {
            let answer = a.answer.as_deref().and_then(Answer::parse)?;
            Some((
                (a.assignment_id, a.plan_version_id, a.item_key.as_str()),
                answer,
            ))
        })
        .collect();
    let judgement_of: HashMap<(i32, i32), Judgement> = judgements
        .iter()
        .filter_map(|j| {
            let judgement = j.judgement.as_deref().and_then(Judgement::parse)?;
            Some(((j.assignment_id, j.plan_version_id), judgement))
        })
        .collect();
    let versions: BTreeSet<(i32, i32, i32)> = pairs
        .iter()
        .flat_map(|&(first, second)| {
            judgements
                .iter()
                .filter(move |j| j.assignment_id == first)
                .map(move |j| (first, second, j.plan_version_id))
        })
        .collect();
    let row =
        |key: &str, text: &str, found: Option<akta_domain::agreement::Agreement>| AgreementRow {
            key: key.to_owned(),
            text: text.to_owned(),
            n: found.map_or(0, |a| a.items),
            observed: found.map(|a| a.observed),
            kappa: found.and_then(|a| a.kappa),
            ac1: found.and_then(|a| a.ac1),
        };
    let mut rows: Vec<AgreementRow> = items
        .iter()
        .map(|item| {
            let paired: Vec<(Answer, Answer)> = versions
                .iter()
                .filter_map(|&(first, second, version)| {
                    let key = item.item_key.as_str();
                    Some((
                        *answer_of.get(&(first, version, key))?,
                        *answer_of.get(&(second, version, key))?,
                    ))
                })
                .collect();
            row(&item.item_key, &item.text_sv, agreement(&paired))
        })
        .collect();
    let overall: Vec<(Judgement, Judgement)> = versions
        .iter()
        .filter_map(|&(first, second, version)| {
            Some((
                *judgement_of.get(&(first, version))?,
                *judgement_of.get(&(second, version))?,
            ))
        })
        .collect();
    rows.push(row(
        "overall",
        akta_domain::checklist::OVERALL_QUESTION.sv,
        agreement(&overall),
    ));
    DoubleReview {
        files,
        both_submitted: pairs.len() as u32,
        rows,
    }
}

/// For the demo generator: a closed round of `year` in which every reviewer submitted
/// their reviews, with answers from `answer`. A sample of `per_contact` files of each
/// contact person, `second_reviews` of them reviewed twice (the second review mostly
/// agrees with the first); nothing is written when no pairing is possible. Returns the
/// number of reviews.
#[allow(clippy::too_many_arguments)]
pub async fn demo_closed_round(
    db: &DatabaseConnection,
    year: i32,
    seed: u64,
    created_by: i32,
    reviewer_ids: &[i32],
    per_contact: usize,
    second_reviews: usize,
    at: chrono::DateTime<chrono::Utc>,
    mut answer: impl FnMut() -> Answer,
) -> Result<usize, AppError> {
    let unit = unit_in_scope(db, year).await?;
    let reviewers = users::Entity::find()
        .filter(users::Column::Id.is_in(reviewer_ids.iter().copied()))
        .all(db)
        .await?;
    let drawn = match draw(
        db,
        &unit,
        year,
        Some(per_contact),
        second_reviews,
        &reviewers,
        seed,
    )
    .await
    {
        Ok(pairs) => Ok(pairs),
        // A small unit may not have room for the second reviews: go without.
        Err(_) => draw(db, &unit, year, Some(per_contact), 0, &reviewers, seed).await,
    };
    let Ok(pairs) = drawn else {
        return Ok(0);
    };
    let second_reviews = pairs.iter().filter(|d| d.second).count();
    let txn = super::db::begin_write(db).await?;
    let round = audit_rounds::ActiveModel {
        public_id: Set(super::ids::public_id()),
        year: Set(year),
        due_on: Set(NaiveDate::from_ymd_opt(year, 12, 15).unwrap_or_default()),
        seed: Set((seed & i64::MAX as u64) as i64),
        status: Set("closed".to_owned()),
        sample_per_contact: Set(Some(per_contact as i32)),
        files_per_reviewer: Set(None),
        second_reviews: Set(second_reviews as i32),
        checklist_version: Set(1),
        created_by: Set(created_by),
        created_at: Set(at),
        published_at: Set(Some(at)),
        closed_at: Set(Some(at)),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    insert_checklist_and_reviewers(&txn, round.id, &reviewers).await?;
    let mut answers = Vec::new();
    let mut judgements = Vec::new();
    // The first review's answers of each file and period, so a second review agrees
    // mostly (as two careful reviewers would) but not always.
    let mut first_answers: HashMap<(i32, i32, &str), Answer> = HashMap::new();
    let mut disagree = 0u32;
    for d in &pairs {
        let (file, reviewer) = (&d.file, &d.reviewer);
        let a = audit_assignments::ActiveModel {
            public_id: Set(super::ids::public_id()),
            round_id: Set(round.id),
            case_file_id: Set(*file),
            reviewer_id: Set(*reviewer),
            second_review: Set(d.second),
            swap_reason: Set(None),
            started_at: Set(Some(at)),
            submitted_at: Set(Some(at)),
            reopen_reason: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for period in unit
            .periods
            .get(file)
            .into_iter()
            .flatten()
            .filter(|p| p.overlaps_year(year))
        {
            let mut worst = Answer::Yes;
            for item in DEFAULT_ITEMS.iter() {
                let fresh = answer();
                let given = match first_answers.get(&(*file, period.version_id, item.key)) {
                    Some(first) if d.second => {
                        disagree += 1;
                        if disagree.is_multiple_of(4) {
                            fresh
                        } else {
                            *first
                        }
                    }
                    _ => {
                        first_answers.insert((*file, period.version_id, item.key), fresh);
                        fresh
                    }
                };
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
            .await?;
    }
    for chunk in judgements.chunks(500) {
        audit_judgements::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(pairs.len())
}

/// Double review: the other reviewer's review of the same file, but only once both
/// have submitted (until then neither sees the other's answers). Without the name.
async fn other_review(
    db: &impl ConnectionTrait,
    opened: &OpenedReview,
) -> Result<Option<ReviewResult>, AppError> {
    if opened.assignment.submitted_at.is_none() {
        return Ok(None);
    }
    let other = audit_assignments::Entity::find()
        .filter(audit_assignments::Column::RoundId.eq(opened.round.id))
        .filter(audit_assignments::Column::CaseFileId.eq(opened.file.id))
        .filter(audit_assignments::Column::Id.ne(opened.assignment.id))
        .filter(audit_assignments::Column::SubmittedAt.is_not_null())
        .one(db)
        .await?;
    let Some(other) = other else {
        return Ok(None);
    };
    Ok(review_results(db, &opened.file, &[other], false)
        .await?
        .into_iter()
        .next())
}

/// Submitted reviews of one file as read-only results (a fixed number of queries),
/// oldest round first; the reviewer's name only when `with_names`.
async fn review_results(
    db: &impl ConnectionTrait,
    file: &case_files::Model,
    reviews: &[audit_assignments::Model],
    with_names: bool,
) -> Result<Vec<ReviewResult>, AppError> {
    let ids: Vec<i32> = reviews.iter().map(|a| a.id).collect();
    let rounds: HashMap<i32, audit_rounds::Model> = audit_rounds::Entity::find()
        .filter(audit_rounds::Column::Id.is_in(reviews.iter().map(|a| a.round_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let items = audit_round_items::Entity::find()
        .filter(audit_round_items::Column::RoundId.is_in(rounds.keys().copied()))
        .order_by_asc(audit_round_items::Column::Position)
        .all(db)
        .await?;
    let (answers, judgements) = answers_and_judgements(db, ids.iter().copied()).await?;
    let names = if with_names {
        super::journal::user_names(db, reviews.iter().map(|a| a.reviewer_id)).await?
    } else {
        HashMap::new()
    };
    let periods = file_periods(db, file).await?;
    let mut out: Vec<ReviewResult> = reviews
        .iter()
        .filter_map(|a| {
            let round = rounds.get(&a.round_id)?;
            let submitted = a.submitted_at?;
            let round_items: Vec<&audit_round_items::Model> =
                items.iter().filter(|i| i.round_id == round.id).collect();
            let reviewed: BTreeSet<i32> = answers
                .iter()
                .filter(|x| x.assignment_id == a.id)
                .map(|x| x.plan_version_id)
                .chain(
                    judgements
                        .iter()
                        .filter(|j| j.assignment_id == a.id)
                        .map(|j| j.plan_version_id),
                )
                .collect();
            // "The year without a plan" is reviewed when the file had no period.
            let periods = periods
                .iter()
                .copied()
                .chain(std::iter::once(year_period(file, round.year)))
                .filter(|p| reviewed.contains(&p.version_id))
                .map(|p| {
                    let judgement = judgements
                        .iter()
                        .find(|j| j.assignment_id == a.id && j.plan_version_id == p.version_id);
                    PeriodResult {
                        number: p.number,
                        valid_from: p.from,
                        valid_to: p.to,
                        answers: round_items
                            .iter()
                            .map(|i| {
                                let found = answers.iter().find(|x| {
                                    x.assignment_id == a.id
                                        && x.plan_version_id == p.version_id
                                        && x.item_key == i.item_key
                                });
                                ItemAnswer {
                                    key: i.item_key.clone(),
                                    text_sv: i.text_sv.clone(),
                                    text_en: i.text_en.clone(),
                                    answer: found.and_then(|x| x.answer.clone()),
                                    comment: found.map(|x| x.comment.clone()).unwrap_or_default(),
                                }
                            })
                            .collect(),
                        judgement: judgement.and_then(|j| j.judgement.clone()),
                        summary: judgement.map(|j| j.summary.clone()).unwrap_or_default(),
                    }
                })
                .collect();
            Some(ReviewResult {
                year: round.year,
                second_review: a.second_review,
                reviewer: names.get(&a.reviewer_id).cloned(),
                submitted_on: super::swedish(submitted).date(),
                periods,
            })
        })
        .collect();
    out.sort_by_key(|r| (r.year, r.second_review));
    Ok(out)
}

/// The unit setting: contact persons see the name of the reviewer of their files.
pub const SHOW_REVIEWER_NAMES: &str = "audit.show_reviewer_names";

/// Whether contact persons see reviewers' names (default: no).
pub async fn show_reviewer_names(db: &impl ConnectionTrait) -> Result<bool, AppError> {
    Ok(
        unit_settings::Entity::find_by_id(SHOW_REVIEWER_NAMES.to_owned())
            .one(db)
            .await?
            .is_some_and(|s| s.value == "true"),
    )
}

/// Changes the setting (manager), inside the caller's transaction.
pub async fn set_show_reviewer_names(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    show: bool,
) -> Result<(), AppError> {
    let row = unit_settings::ActiveModel {
        key: Set(SHOW_REVIEWER_NAMES.to_owned()),
        value: Set(show.to_string()),
        updated_by: Set(Some(user.id)),
        updated_at: Set(super::now()),
    };
    let exists = unit_settings::Entity::find_by_id(SHOW_REVIEWER_NAMES.to_owned())
        .one(db)
        .await?
        .is_some();
    if exists {
        row.update(db).await?;
    } else {
        unit_settings::Entity::insert(row)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Submitted reviews of files where the user is contact person: one row per file and
/// year. Names clients, so the caller logs the list when it is not empty.
pub async fn my_file_audits(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
) -> Result<Vec<FileAuditRow>, AppError> {
    let files: HashMap<i32, case_files::Model> = case_files::Entity::find()
        .filter(case_files::Column::ContactPersonId.eq(user.id))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f))
        .collect();
    let reviews = audit_assignments::Entity::find()
        .filter(audit_assignments::Column::CaseFileId.is_in(files.keys().copied()))
        .filter(audit_assignments::Column::SubmittedAt.is_not_null())
        .all(db)
        .await?;
    let rounds: HashMap<i32, audit_rounds::Model> = audit_rounds::Entity::find()
        .filter(audit_rounds::Column::Id.is_in(reviews.iter().map(|a| a.round_id)))
        .filter(audit_rounds::Column::Status.ne("draft"))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let clients: HashMap<i32, clients::Model> = clients::Entity::find()
        .filter(clients::Column::Id.is_in(files.values().map(|f| f.client_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let mut rows: BTreeMap<(i32, String), FileAuditRow> = BTreeMap::new();
    for a in &reviews {
        let (Some(round), Some(file), Some(at)) = (
            rounds.get(&a.round_id),
            files.get(&a.case_file_id),
            a.submitted_at,
        ) else {
            continue;
        };
        let on = super::swedish(at).date();
        rows.entry((-round.year, file.public_id.clone()))
            .and_modify(|r| r.submitted_on = r.submitted_on.min(on))
            .or_insert_with(|| FileAuditRow {
                file_id: file.public_id.clone(),
                client_name: clients.get(&file.client_id).and_then(client_name),
                year: round.year,
                submitted_on: on,
            });
    }
    Ok(rows.into_values().collect())
}

/// A file as its contact person opens it (the audit results of one's own files):
/// anyone else gets "not found", logged as a refusal naming the file.
pub struct ContactFile {
    pub file: case_files::Model,
}

impl Target for ContactFile {
    const PERMISSION: Permission = Permission::ReadFiles;
    const KIND: &'static str = "file";

    async fn open<C: ConnectionTrait>(
        db: &C,
        user: &CurrentUser,
        public_id: &str,
    ) -> Result<Result<Self, Refusal>, AppError> {
        let file = case_files::Entity::find()
            .filter(case_files::Column::PublicId.eq(public_id))
            .one(db)
            .await?;
        Ok(match file {
            Some(file) if file.contact_person_id == user.id => Ok(ContactFile { file }),
            other => Err(Refusal {
                error: AppError::NotFound,
                why: "not the contact person",
                named: other.map_or_else(Named::default, |f| Named::file(f.client_id, f.id)),
            }),
        })
    }

    async fn find<C: ConnectionTrait>(db: &C, public_id: &str) -> Result<Named, AppError> {
        super::journal::file_named(db, public_id).await
    }

    fn named(&self) -> Named {
        Named::file(self.file.client_id, self.file.id)
    }
}

/// The submitted audit results of the contact person's file: every submitted review
/// in a published or closed round, the reviewer's name only when the unit's setting
/// says so.
pub async fn file_audit_results(
    db: &impl ConnectionTrait,
    file: &case_files::Model,
) -> Result<FileAuditResults, AppError> {
    let open_rounds: Vec<i32> = audit_rounds::Entity::find()
        .filter(audit_rounds::Column::Status.ne("draft"))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    let reviews = audit_assignments::Entity::find()
        .filter(audit_assignments::Column::CaseFileId.eq(file.id))
        .filter(audit_assignments::Column::RoundId.is_in(open_rounds))
        .filter(audit_assignments::Column::SubmittedAt.is_not_null())
        .order_by_asc(audit_assignments::Column::Id)
        .all(db)
        .await?;
    let with_names = show_reviewer_names(db).await?;
    let client = clients::Entity::find_by_id(file.client_id).one(db).await?;
    let results = FileAuditResults {
        file_id: file.public_id.clone(),
        client_name: client.as_ref().and_then(client_name),
        reviews: review_results(db, file, &reviews, with_names).await?,
    };
    Ok(results)
}

/// Results per checklist item of each year's round (published or closed; the newest
/// round of a year), first reviews only, side by side. Five queries.
pub async fn year_over_year(db: &impl ConnectionTrait) -> Result<YearOverYear, AppError> {
    let mut newest: BTreeMap<i32, audit_rounds::Model> = BTreeMap::new();
    for r in audit_rounds::Entity::find()
        .filter(audit_rounds::Column::Status.ne("draft"))
        .order_by_asc(audit_rounds::Column::Id)
        .all(db)
        .await?
    {
        newest.insert(r.year, r);
    }
    let round_ids: Vec<i32> = newest.values().map(|r| r.id).collect();
    let reviews: HashMap<i32, i32> = audit_assignments::Entity::find()
        .filter(audit_assignments::Column::RoundId.is_in(round_ids.iter().copied()))
        .filter(audit_assignments::Column::SecondReview.eq(false))
        .filter(audit_assignments::Column::SubmittedAt.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.round_id))
        .collect();
    let (answers, judgements) = answers_and_judgements(db, reviews.keys().copied()).await?;
    let items = audit_round_items::Entity::find()
        .filter(audit_round_items::Column::RoundId.is_in(round_ids.iter().copied()))
        .order_by_asc(audit_round_items::Column::Position)
        .all(db)
        .await?;
    // Keys in the newest round's order, then keys only older rounds had.
    let mut keys: Vec<(String, String)> = Vec::new();
    for round in newest.values().rev() {
        for i in items.iter().filter(|i| i.round_id == round.id) {
            if !keys.iter().any(|(k, _)| *k == i.item_key) {
                keys.push((i.item_key.clone(), i.text_sv.clone()));
            }
        }
    }
    let mut rows: Vec<YearRow> = keys
        .into_iter()
        .map(|(key, text)| {
            let cells = newest
                .values()
                .map(|round| {
                    items
                        .iter()
                        .any(|i| i.round_id == round.id && i.item_key == key)
                        .then(|| {
                            let given: Vec<Answer> = answers
                                .iter()
                                .filter(|a| {
                                    a.item_key == key
                                        && reviews.get(&a.assignment_id) == Some(&round.id)
                                })
                                .filter_map(|a| a.answer.as_deref().and_then(Answer::parse))
                                .collect();
                            item_result(&key, &text, &given)
                        })
                })
                .collect();
            YearRow { key, text, cells }
        })
        .collect();
    let overall_text = akta_domain::checklist::OVERALL_QUESTION.sv;
    rows.push(YearRow {
        key: "overall".to_owned(),
        text: overall_text.to_owned(),
        cells: newest
            .values()
            .map(|round| {
                let given: Vec<Answer> = judgements
                    .iter()
                    .filter(|j| reviews.get(&j.assignment_id) == Some(&round.id))
                    .filter_map(|j| j.judgement.as_deref().and_then(Judgement::parse))
                    .map(judgement_as_answer)
                    .collect();
                Some(item_result("overall", overall_text, &given))
            })
            .collect(),
    });
    Ok(YearOverYear {
        years: newest.keys().copied().collect(),
        rows,
    })
}

fn judgement_as_answer(j: Judgement) -> Answer {
    match j {
        Judgement::Yes => Answer::Yes,
        Judgement::Partly => Answer::Partly,
        Judgement::No => Answer::No,
    }
}

/// Longest checklist question.
pub const ITEM_TEXT_MAX: usize = 300;

/// A change of a draft round's checklist.
pub enum ChecklistEdit {
    Save { key: String, text: String },
    Add { text: String },
    Remove { key: String },
}

/// Changes the round's own checklist (never the default template): only while the round
/// is a draft, so no answer exists yet. Each change bumps the round's checklist version;
/// the caller's transaction. Returns the new version and what changed.
pub async fn edit_checklist(
    db: &impl ConnectionTrait,
    round: &audit_rounds::Model,
    edit: ChecklistEdit,
) -> Result<(u32, String), AppError> {
    if round.status != "draft" {
        return Err(AppError::RoundNotDraft);
    }
    let check_text = |field: &str, text: &str| -> Result<String, AppError> {
        let text = text.trim();
        if text.is_empty() {
            Err(AppError::field(field, Problem::Empty))
        } else if text.chars().count() > ITEM_TEXT_MAX {
            Err(AppError::field(
                field,
                Problem::TooLong { max: ITEM_TEXT_MAX },
            ))
        } else {
            Ok(text.to_owned())
        }
    };
    // Re-read inside the transaction: a round published meanwhile is not edited.
    let current = audit_rounds::Entity::find_by_id(round.id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if current.status != "draft" {
        return Err(AppError::RoundNotDraft);
    }
    let items = round_items(db, round.id).await?;
    let find = |key: &str| {
        items
            .iter()
            .find(|i| i.item_key == key)
            .cloned()
            .ok_or(AppError::NotFound)
    };
    let what = match edit {
        ChecklistEdit::Save { key, text } => {
            let item = find(&key)?;
            let text = check_text(&format!("item-{key}"), &text)?;
            let mut active = item.into_active_model();
            active.text_sv = Set(text.clone());
            active.text_en = Set(text);
            active.update(db).await?;
            format!("changed item {key}")
        }
        ChecklistEdit::Add { text } => {
            let text = check_text("new-item", &text)?;
            let key = format!("egen-{}", super::ids::public_id());
            let position = items.iter().map(|i| i.position).max().unwrap_or(-1) + 1;
            audit_round_items::Entity::insert(audit_round_items::ActiveModel {
                round_id: Set(round.id),
                position: Set(position),
                item_key: Set(key.clone()),
                text_sv: Set(text.clone()),
                text_en: Set(text),
                ..Default::default()
            })
            .exec_without_returning(db)
            .await?;
            format!("added item {key}")
        }
        ChecklistEdit::Remove { key } => {
            let item = find(&key)?;
            if items.len() <= 1 {
                return Err(AppError::field(
                    &format!("item-{key}"),
                    Problem::ChecklistEmpty,
                ));
            }
            audit_round_items::Entity::delete_by_id(item.id)
                .exec(db)
                .await?;
            format!("removed item {key}")
        }
    };
    let version = current.checklist_version.max(1) + 1;
    let mut active = current.clone().into_active_model();
    active.checklist_version = Set(version);
    active.update(db).await?;
    Ok((version as u32, what))
}
