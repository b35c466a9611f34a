//! Rounds and pairing: opening a round for a year with a drawn pairing, redrawing
//! and swapping while a draft, publishing, closing and reopening, more time for one
//! review, and the manager's list of rounds.

use super::*;

/// Largest sample per contact person a form accepts.
pub const SAMPLE_MAX: usize = 50;

/// Last year's reviewer of each file (the most recent published or closed round of
/// the year before; second reviews do not count).
pub(super) async fn last_year(
    db: &impl ConnectionTrait,
    year: i32,
) -> Result<BTreeMap<i32, i32>, AppError> {
    let Some(round) = audit_rounds::Entity::find()
        .filter(audit_rounds::Column::Year.eq(year - 1))
        .filter(audit_rounds::Column::Status.ne(RoundStatus::Draft))
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
pub(super) fn files_of_round(
    unit: &Unit,
    sample: Option<usize>,
    seed: u64,
) -> Vec<AuditFile<i32, i32>> {
    match sample {
        Some(n) => sample_per_contact_person(&unit.audit_files, n, seed),
        None => unit.audit_files.clone(),
    }
}

/// One drawn review: file, reviewer, and whether it is a second review.
#[derive(Debug, Clone, Copy)]
pub struct Drawn {
    pub file: i32,
    pub reviewer: i32,
    pub second: bool,
}

/// A drawn round for the demo generator, which writes the round itself: the pairs,
/// and the plan periods of every file in the year's scope.
pub struct DemoDraw {
    pub pairs: Vec<Drawn>,
    pub periods: HashMap<i32, Vec<Period>>,
}

/// For the demo generator: `per_contact` files of each contact person in `year`'s
/// scope drawn among `reviewers`, `second_reviews` of them twice, by the same rules
/// as a manager's round. `None` when the unit has no pairing that obeys them.
pub async fn demo_draw(
    db: &DatabaseConnection,
    year: i32,
    per_contact: usize,
    second_reviews: usize,
    reviewers: &[users::Model],
    seed: u64,
) -> Result<Option<DemoDraw>, AppError> {
    let unit = unit_in_scope(db, year).await?;
    match draw(
        db,
        &unit,
        year,
        Some(per_contact),
        second_reviews,
        reviewers,
        seed,
    )
    .await
    {
        Ok(pairs) => Ok(Some(DemoDraw {
            pairs,
            periods: unit.periods,
        })),
        Err(AppError::Invalid(_) | AppError::Pairing(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Draws the pairs for a round's inputs, and `second` of them again for a second,
/// independent review; errors name the files and reviewers in the way.
pub(super) async fn draw(
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

pub(super) fn new_seed() -> u64 {
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
pub(super) fn optional_count(text: &str, min: usize) -> Result<Option<usize>, ()> {
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
    let staff = crate::server::clients::active_staff(db).await?;
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
    let public_id = crate::server::ids::public_id();
    let round = audit_rounds::ActiveModel {
        public_id: Set(public_id.clone()),
        year: Set(year),
        due_on: Set(due_on),
        seed: Set(seed as i64),
        status: Set(RoundStatus::Draft),
        sample_per_contact: Set(sample.map(|n| n as i32)),
        files_per_reviewer: Set(per_reviewer.map(|n| n as i32)),
        second_reviews: Set(double as i32),
        checklist_version: Set(1),
        created_by: Set(user.id),
        created_at: Set(crate::server::now()),
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
/// The round's checklist (the default items) and its reviewers.
pub async fn insert_checklist_and_reviewers(
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

pub(super) async fn insert_pairs(
    db: &impl ConnectionTrait,
    round_id: i32,
    pairs: &[Drawn],
) -> Result<(), AppError> {
    // A few hundred rows per statement: one INSERT of a large unit's round would pass
    // SQLite's limit of bound values (about 3 600 reviews of nine columns).
    for chunk in pairs.chunks(500) {
        audit_assignments::Entity::insert_many(chunk.iter().map(|d| {
            audit_assignments::ActiveModel {
                public_id: Set(crate::server::ids::public_id()),
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

pub(super) async fn round_reviewers(
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
    if round.status != RoundStatus::Draft {
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
    to: RoundStatus,
    confirmed: bool,
    today: NaiveDate,
) -> Result<(), AppError> {
    use RoundStatus::{Closed, Draft, Published};
    let mut active = round.clone().into_active_model();
    match (round.status, to) {
        (Draft, Published) => active.published_at = Set(Some(crate::server::now())),
        (Published, Closed) => {
            // Closing ends every reviewer's access: with reviews left, only when the
            // manager confirmed it (the page asks, naming them).
            let left = audit_assignments::Entity::find()
                .filter(audit_assignments::Column::RoundId.eq(round.id))
                .filter(audit_assignments::Column::SubmittedAt.is_null())
                .count(db)
                .await?;
            if left > 0 && !confirmed {
                return Err(AppError::field(
                    "confirm",
                    Problem::CloseUnconfirmed { left: left as u32 },
                ));
            }
            active.closed_at = Set(Some(crate::server::now()));
        }
        (Closed, Published) => {
            let closed_on = round.closed_at.map(|at| crate::server::swedish(at).date());
            if !closed_on.is_some_and(|d| akta_domain::audit_round::may_reopen(d, today)) {
                return Err(AppError::RoundReopenExpired);
            }
            active.closed_at = Set(None);
        }
        (Draft, _) => return Err(AppError::RoundNotDraft),
        _ => return Err(AppError::RoundClosed),
    }
    active.status = Set(to);
    active.update(db).await?;
    Ok(())
}

pub(super) async fn find_assignment(
    db: &impl ConnectionTrait,
    public_id: &str,
) -> Result<Option<audit_assignments::Model>, AppError> {
    Ok(audit_assignments::Entity::find()
        .filter(audit_assignments::Column::PublicId.eq(public_id))
        .one(db)
        .await?)
}

/// Whether the user works in the file (contact person, co-worker, author of an entry).
pub(super) async fn works_in(
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
    if round.status != RoundStatus::Draft {
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
    if round.status != RoundStatus::Published {
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
    if round.status != RoundStatus::Published {
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
