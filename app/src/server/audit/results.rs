//! Results: the manager's round page (completion per reviewer, results per item,
//! agreement of double reviews), read-only results of submitted reviews, the
//! year-over-year table, and the unit's setting for reviewer names.

use super::*;

/// Counts answers into an item result.
pub(super) fn item_result(key: &str, text: &str, answers: &[Answer]) -> ItemResult {
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
pub(super) fn result_group(
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
    let names = crate::server::journal::user_names(
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
    let unit = if round.status == RoundStatus::Draft {
        Some(unit_in_scope(db, round.year).await?)
    } else {
        None
    };
    let published = round.status == RoundStatus::Published;
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
                // Late only after the review's own last day: the due date, or the
                // later day the manager gave it.
                overdue: published && a.submitted_at.is_none() && today > access_until(a, round),
                access_until: a.access_until.filter(|d| *d > round.due_on),
                reopen_reason: a.reopen_reason.clone(),
                second_review: a.second_review,
                may_swap_to,
            })
        })
        .collect();
    let mut reminded = crate::server::audit::reminders::last_sent(db, round.id).await?;
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
    // Reviews left long after their last day: the manager's to take further. A
    // review given more time counts its days from that later day.
    let mut escalated: Vec<EscalatedReview> = if published {
        rows.iter()
            .filter(|a| a.overdue)
            .filter_map(|a| {
                let days_late = (today - a.access_until.unwrap_or(round.due_on)).num_days();
                (days_late >= i64::from(akta_domain::audit_round::ESCALATE_DAYS)).then(|| {
                    EscalatedReview {
                        assignment_id: a.assignment_id.clone(),
                        client_name: a.client_name.clone(),
                        reviewer: a.reviewer.display_name.clone(),
                        days_late: days_late as u32,
                    }
                })
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
    // Findings of every submitted review, second reviews too: each is the contact
    // person's to follow up.
    let page = RoundPage {
        files: &files,
        clients: &clients,
        names: &names,
        items: &items,
    };
    let findings = round_findings(db, &all_submitted, &all_answers, &page, today).await?;
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
        status: round.status,
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
        findings,
        unit: unit_result,
        by_contact_person,
        closed_on: round.closed_at.map(|at| crate::server::swedish(at).date()),
        today,
    })
}

pub(super) fn item_view(i: &audit_round_items::Model) -> ChecklistItemView {
    ChecklistItemView {
        key: i.item_key.clone(),
        text_sv: i.text_sv.clone(),
        text_en: i.text_en.clone(),
    }
}

/// Agreement of the two reviewers of each double-reviewed file, per checklist item and
/// for the overall judgement, over the plan periods both answered; only files whose two
/// reviews are both submitted count (`akta_domain::agreement`).
pub(super) fn double_review(
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

/// Double review: the other reviewer's review of the same file, but only once both
/// have submitted (until then neither sees the other's answers). Without the name.
pub(super) async fn other_review(
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
pub(super) async fn review_results(
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
    let actions = actions_of(db, ids.iter().copied()).await?;
    let names = if with_names {
        crate::server::journal::user_names(db, reviews.iter().map(|a| a.reviewer_id)).await?
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
                                    recommendation: found
                                        .map(|x| x.recommendation.clone())
                                        .unwrap_or_default(),
                                    action: actions
                                        .get(&(a.id, p.version_id, i.item_key.clone()))
                                        .cloned(),
                                }
                            })
                            .collect(),
                        judgement: judgement.and_then(|j| j.judgement.clone()),
                        summary: judgement.map(|j| j.summary.clone()).unwrap_or_default(),
                    }
                })
                .collect();
            Some(ReviewResult {
                assignment_id: a.public_id.clone(),
                year: round.year,
                second_review: a.second_review,
                reviewer: names.get(&a.reviewer_id).cloned(),
                submitted_on: crate::server::swedish(submitted).date(),
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
        updated_at: Set(crate::server::now()),
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

/// Results per checklist item of each year's round (published or closed; the newest
/// round of a year), first reviews only, side by side. Five queries.
pub async fn year_over_year(db: &impl ConnectionTrait) -> Result<YearOverYear, AppError> {
    let mut newest: BTreeMap<i32, audit_rounds::Model> = BTreeMap::new();
    for r in audit_rounds::Entity::find()
        .filter(audit_rounds::Column::Status.ne(RoundStatus::Draft))
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

pub(super) fn judgement_as_answer(j: Judgement) -> Answer {
    match j {
        Judgement::Yes => Answer::Yes,
        Judgement::Partly => Answer::Partly,
        Judgement::No => Answer::No,
    }
}
