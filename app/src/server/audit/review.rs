//! The reviewer's side: the workspace of one assigned file (plan, journal and
//! checklist per plan period), autosaved answers and judgements, submission, and the
//! reviewer's own list of reviews.

use super::*;

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
        if round.status != RoundStatus::Published {
            return Ok(Err(refuse(
                Some(&file),
                "round not open",
                AppError::RoundClosed,
            )));
        }
        // The reviewer reads the file until the round's due date, or the later day a
        // manager allowed for this review; then no more (issue 14, item 9).
        let until = access_until(&a, &round);
        if crate::server::today() > until {
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
pub(super) async fn assignment_named(
    db: &impl ConnectionTrait,
    public_id: &str,
) -> Result<Named, AppError> {
    let Some(a) = find_assignment(db, public_id).await? else {
        return Ok(Named::default());
    };
    Ok(case_files::Entity::find_by_id(a.case_file_id)
        .one(db)
        .await?
        .map(|f| Named::file(f.client_id, f.id))
        .unwrap_or_default())
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
    let all = crate::server::journal::periods(db, &opened.file).await?;
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
    let entries = crate::server::journal::entry_views(db, entries, &all).await?;
    let signed_days: Vec<NaiveDate> = entries
        .iter()
        .filter_map(|e| e.signed_at.map(|at| crate::server::swedish(at).date()))
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
                    recommendation: found.map(|a| a.recommendation.clone()).unwrap_or_default(),
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
                    recommendation: found.map(|a| a.recommendation.clone()).unwrap_or_default(),
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
        earlier: earlier_findings(db, opened, today).await?,
    })
}

/// The plan version of period `number` if that period is part of the round's year;
/// for a file with no period in the year, "the year without a plan" (number 0).
pub(super) async fn period_in_round(
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
pub(super) async fn save_year_answer(
    db: &impl ConnectionTrait,
    assignment_id: i32,
    item: &str,
    answer: Option<String>,
    comment: String,
    recommendation: String,
) -> Result<(), AppError> {
    let existing = audit_year_answers::Entity::find_by_id((assignment_id, item.to_owned()))
        .one(db)
        .await?;
    match existing {
        Some(row) => {
            let mut active = row.into_active_model();
            active.answer = Set(answer);
            active.comment = Set(comment);
            active.recommendation = Set(recommendation);
            active.updated_at = Set(crate::server::now());
            active.update(db).await?;
        }
        None => {
            audit_year_answers::Entity::insert(audit_year_answers::ActiveModel {
                assignment_id: Set(assignment_id),
                item_key: Set(item.to_owned()),
                answer: Set(answer),
                comment: Set(comment),
                recommendation: Set(recommendation),
                updated_at: Set(crate::server::now()),
            })
            .exec_without_returning(db)
            .await?;
        }
    }
    Ok(())
}

/// The overall judgement of "the year without a plan", inserted or replaced.
pub(super) async fn save_year_judgement(
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
            active.updated_at = Set(crate::server::now());
            active.update(db).await?;
        }
        None => {
            audit_year_judgements::Entity::insert(audit_year_judgements::ActiveModel {
                assignment_id: Set(assignment_id),
                judgement: Set(judgement),
                summary: Set(summary),
                updated_at: Set(crate::server::now()),
            })
            .exec_without_returning(db)
            .await?;
        }
    }
    Ok(())
}

pub(super) fn check_editable(opened: &OpenedReview) -> Result<(), AppError> {
    if opened.assignment.submitted_at.is_some() {
        return Err(AppError::ReviewSubmitted);
    }
    Ok(())
}

pub(super) async fn mark_started(
    db: &impl ConnectionTrait,
    opened: &OpenedReview,
) -> Result<(), AppError> {
    if opened.assignment.started_at.is_none() {
        let mut active = opened.assignment.clone().into_active_model();
        active.started_at = Set(Some(crate::server::now()));
        active.update(db).await?;
    }
    Ok(())
}

/// Saves one answer (and its comment) of one period; an empty answer keeps only the comment.
/// What the reviewer's page sends for one question of one period.
#[derive(Debug, Clone, Copy)]
pub struct AnswerInput<'a> {
    pub answer: &'a str,
    pub comment: &'a str,
    /// Kept only beside a "no" or "partly".
    pub recommendation: &'a str,
}

pub async fn save_answer(
    db: &impl ConnectionTrait,
    opened: &OpenedReview,
    period: u32,
    item: &str,
    input: &AnswerInput<'_>,
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
    let answer = match input.answer {
        "" => None,
        a => Some(
            Answer::parse(a)
                .ok_or_else(|| AppError::field(&field, Problem::InvalidAnswer))?
                .as_str()
                .to_owned(),
        ),
    };
    let comment = check_comment(&format!("{field}-comment"), input.comment)?;
    // A recommendation belongs to a finding: beside a "yes" or "not applicable" it
    // is not kept (the page hides the box then).
    let recommendation = if is_finding(answer.as_deref()) {
        check_comment(&format!("{field}-recommendation"), input.recommendation)?
    } else {
        String::new()
    };
    if period.version_id == YEAR_WITHOUT_PLAN {
        save_year_answer(
            db,
            opened.assignment.id,
            item,
            answer,
            comment,
            recommendation,
        )
        .await?;
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
            active.recommendation = Set(recommendation);
            active.updated_at = Set(crate::server::now());
            active.update(db).await?;
        }
        None => {
            audit_answers::Entity::insert(audit_answers::ActiveModel {
                assignment_id: Set(opened.assignment.id),
                plan_version_id: Set(period.version_id),
                item_key: Set(item.to_owned()),
                answer: Set(answer),
                comment: Set(comment),
                recommendation: Set(recommendation),
                updated_at: Set(crate::server::now()),
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
            active.updated_at = Set(crate::server::now());
            active.update(db).await?;
        }
        None => {
            audit_judgements::Entity::insert(audit_judgements::ActiveModel {
                assignment_id: Set(opened.assignment.id),
                plan_version_id: Set(period.version_id),
                judgement: Set(judgement),
                summary: Set(summary),
                updated_at: Set(crate::server::now()),
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
    active.submitted_at = Set(Some(crate::server::now()));
    if opened.assignment.started_at.is_none() {
        active.started_at = Set(Some(crate::server::now()));
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
        .filter(audit_rounds::Column::Status.eq(RoundStatus::Published))
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
