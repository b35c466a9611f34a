//! Findings that become actions (issue 15, part 2). A "no" or "partly" of a submitted
//! review is a finding; the reviewer may write a recommendation beside it. The file's
//! contact person replies and records an action with the day it is to be done by, and
//! marks it done; the manager sees every finding of a round and which actions are
//! overdue; the reviewer of the file in the next year's round sees last round's
//! findings and actions beside the checklist, and in numbers how the same contact
//! person's other files fared (the reviewer is not on those files, so no text).
//! Reads and changes are logged by the server functions, as reads and changes of the
//! file.

use super::*;
use crate::server::entities::audit_actions;

/// Longest reply and action text.
pub const ACTION_MAX: usize = COMMENT_MAX;

/// A finding's stored answer: "no" or "partly".
pub(super) fn is_finding(answer: Option<&str>) -> bool {
    Answer::stored_is_finding(answer)
}

/// The stored actions of the given reviews, by (review, plan version, item). Who
/// recorded them and when is in the access log (`respond_finding`). One query.
pub(super) async fn actions_of(
    db: &impl ConnectionTrait,
    assignment_ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<(i32, i32, String), FindingAction>, AppError> {
    let rows = audit_actions::Entity::find()
        .filter(audit_actions::Column::AssignmentId.is_in(assignment_ids))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let action = FindingAction {
                reply: r.reply,
                action: r.action,
                due_on: r.due_on,
                done_on: r.done_on,
            };
            ((r.assignment_id, r.plan_version_id, r.item_key), action)
        })
        .collect())
}

/// What the contact person sends for one finding.
#[derive(Debug, Clone, Default)]
pub struct FindingResponse {
    /// The review (its public id), the period's number (0: the year without a plan)
    /// and the checklist item.
    pub review: String,
    pub period: u32,
    pub item: String,
    pub reply: String,
    pub action: String,
    pub due_on: String,
    pub done: bool,
}

/// What a saved response changed, for the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseSaved {
    pub year: i32,
    pub action: FindingAction,
}

/// Saves the contact person's reply and action for one finding of a submitted review
/// of their file. A finding that does not exist (no such review of this file, not
/// submitted, not a "no" or "partly") is "not found". An action needs the day it is
/// to be done by; marking it done needs the action; the day it was done is today
/// unless it was marked done before.
pub async fn respond(
    db: &impl ConnectionTrait,
    file: &case_files::Model,
    user: &CurrentUser,
    input: &FindingResponse,
    today: NaiveDate,
) -> Result<ResponseSaved, AppError> {
    let review = audit_assignments::Entity::find()
        .filter(audit_assignments::Column::PublicId.eq(input.review.as_str()))
        .filter(audit_assignments::Column::CaseFileId.eq(file.id))
        .filter(audit_assignments::Column::SubmittedAt.is_not_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let round = audit_rounds::Entity::find_by_id(review.round_id)
        .one(db)
        .await?
        .filter(|r| r.status != RoundStatus::Draft)
        .ok_or(AppError::NotFound)?;
    let version_id = if input.period == YEAR_WITHOUT_PLAN as u32 {
        YEAR_WITHOUT_PLAN
    } else {
        file_periods(db, file)
            .await?
            .into_iter()
            .find(|p| p.number == input.period)
            .map(|p| p.version_id)
            .ok_or(AppError::NotFound)?
    };
    let (answers, _) = answers_and_judgements(db, [review.id]).await?;
    if !answers.iter().any(|a| {
        a.plan_version_id == version_id
            && a.item_key == input.item
            && is_finding(a.answer.as_deref())
    }) {
        return Err(AppError::NotFound);
    }

    let mut p = Problems::default();
    let reply = input.reply.trim().to_owned();
    let action = input.action.trim().to_owned();
    if reply.chars().count() > ACTION_MAX {
        p.add("reply", Problem::TooLong { max: ACTION_MAX });
    }
    if action.chars().count() > ACTION_MAX {
        p.add("action", Problem::TooLong { max: ACTION_MAX });
    }
    let due_on = match input.due_on.trim() {
        "" => None,
        raw => match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                p.add("due_on", Problem::InvalidDate);
                None
            }
        },
    };
    if !action.is_empty() && due_on.is_none() && input.due_on.trim().is_empty() {
        p.add("due_on", Problem::ActionDateMissing);
    }
    if action.is_empty() && (input.done || due_on.is_some()) {
        p.add("action", Problem::ActionMissing);
    }
    if reply.is_empty() && action.is_empty() && !input.done {
        p.add("reply", Problem::Empty);
    }
    p.into_result()?;

    let existing = audit_actions::Entity::find()
        .filter(audit_actions::Column::AssignmentId.eq(review.id))
        .filter(audit_actions::Column::PlanVersionId.eq(version_id))
        .filter(audit_actions::Column::ItemKey.eq(input.item.as_str()))
        .one(db)
        .await?;
    let done_on = input
        .done
        .then(|| existing.as_ref().and_then(|e| e.done_on).unwrap_or(today));
    let saved = FindingAction {
        reply: reply.clone(),
        action: action.clone(),
        due_on,
        done_on,
    };
    match existing {
        Some(row) => {
            let mut active = row.into_active_model();
            active.reply = Set(reply);
            active.action = Set(action);
            active.due_on = Set(due_on);
            active.done_on = Set(done_on);
            active.updated_by = Set(user.id);
            active.updated_at = Set(crate::server::now());
            active.update(db).await?;
        }
        None => {
            audit_actions::Entity::insert(audit_actions::ActiveModel {
                assignment_id: Set(review.id),
                plan_version_id: Set(version_id),
                item_key: Set(input.item.clone()),
                case_file_id: Set(file.id),
                reply: Set(reply),
                action: Set(action),
                due_on: Set(due_on),
                done_on: Set(done_on),
                updated_by: Set(user.id),
                updated_at: Set(crate::server::now()),
                ..Default::default()
            })
            .exec_without_returning(db)
            .await?;
        }
    }
    Ok(ResponseSaved {
        year: round.year,
        action: saved,
    })
}

/// What the round page has already read, for [`round_findings`].
pub(super) struct RoundPage<'a> {
    pub files: &'a HashMap<i32, case_files::Model>,
    pub clients: &'a HashMap<i32, clients::Model>,
    pub names: &'a HashMap<i32, String>,
    pub items: &'a [audit_round_items::Model],
}

/// Every finding of a round's submitted reviews, for the manager: open ones first
/// (overdue, unanswered, planned), then replied and done; within that by contact
/// person and client. `submitted` and `answers` are the round page's own (submitted
/// reviews and their answers); two more queries.
pub(super) async fn round_findings(
    db: &impl ConnectionTrait,
    submitted: &HashMap<i32, &audit_assignments::Model>,
    answers: &[audit_answers::Model],
    page: &RoundPage<'_>,
    today: NaiveDate,
) -> Result<Vec<RoundFinding>, AppError> {
    if submitted.is_empty() {
        return Ok(Vec::new());
    }
    let (files, clients, names, items) = (page.files, page.clients, page.names, page.items);
    let mut actions = actions_of(db, submitted.keys().copied()).await?;
    let numbers = period_numbers(db, files, submitted.values().map(|a| a.case_file_id)).await?;
    let by_id = submitted;
    let mut out: Vec<RoundFinding> = answers
        .iter()
        .filter(|x| is_finding(x.answer.as_deref()))
        .filter_map(|x| {
            let a = by_id.get(&x.assignment_id)?;
            let file = files.get(&a.case_file_id)?;
            let (position, item) = items
                .iter()
                .enumerate()
                .find(|(_, i)| i.item_key == x.item_key)?;
            let action = actions.remove(&(x.assignment_id, x.plan_version_id, x.item_key.clone()));
            Some(RoundFinding {
                file_id: file.public_id.clone(),
                client_name: clients.get(&file.client_id).and_then(client_name),
                contact_person: names
                    .get(&file.contact_person_id)
                    .cloned()
                    .unwrap_or_default(),
                period: period_number(&numbers, x.plan_version_id),
                item_number: position as u32 + 1,
                text_sv: item.text_sv.clone(),
                text_en: item.text_en.clone(),
                answer: x.answer.clone().unwrap_or_default(),
                recommendation: x.recommendation.clone(),
                status: FindingStatus::of(action.as_ref(), today),
                action,
            })
        })
        .collect();
    let rank = |s: FindingStatus| match s {
        FindingStatus::Overdue => 0,
        FindingStatus::Unanswered => 1,
        FindingStatus::Planned => 2,
        FindingStatus::Replied => 3,
        FindingStatus::Done => 4,
    };
    out.sort_by(|a, b| {
        (
            rank(a.status),
            &a.contact_person,
            &a.client_name,
            a.period,
            a.item_number,
        )
            .cmp(&(
                rank(b.status),
                &b.contact_person,
                &b.client_name,
                b.period,
                b.item_number,
            ))
    });
    Ok(out)
}

/// Plan version id → period number for the given files (one query).
async fn period_numbers(
    db: &impl ConnectionTrait,
    files: &HashMap<i32, case_files::Model>,
    file_ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, u32>, AppError> {
    let versions = plan_versions::Entity::find()
        .filter(plan_versions::Column::CaseFileId.is_in(file_ids))
        .all(db)
        .await?;
    let closed: HashMap<i32, Option<NaiveDate>> =
        files.iter().map(|(id, f)| (*id, f.closed_on)).collect();
    Ok(periods_of(&versions, &closed)
        .into_values()
        .flatten()
        .map(|p| (p.version_id, p.number))
        .collect())
}

fn period_number(numbers: &HashMap<i32, u32>, version_id: i32) -> u32 {
    if version_id == YEAR_WITHOUT_PLAN {
        YEAR_WITHOUT_PLAN as u32
    } else {
        numbers.get(&version_id).copied().unwrap_or_default()
    }
}

/// Last round's findings beside this round's checklist: the newest published or
/// closed round of an earlier year. For this file, every finding with its comment,
/// recommendation and action; for the contact person's other files reviewed then,
/// per question how many reviews found "no" or "partly" and how many actions are
/// done. `None` when there was no earlier round or it reviewed none of the contact
/// person's files.
pub(super) async fn earlier_findings(
    db: &impl ConnectionTrait,
    opened: &OpenedReview,
    today: NaiveDate,
) -> Result<Option<EarlierFindings>, AppError> {
    let Some(last) = audit_rounds::Entity::find()
        .filter(audit_rounds::Column::Year.lt(opened.round.year))
        .filter(audit_rounds::Column::Status.ne(RoundStatus::Draft))
        .order_by_desc(audit_rounds::Column::Year)
        .order_by_desc(audit_rounds::Column::Id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let contact = opened.file.contact_person_id;
    let files: HashMap<i32, case_files::Model> = case_files::Entity::find()
        .filter(case_files::Column::ContactPersonId.eq(contact))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f))
        .collect();
    // First reviews only: a second review of the same file would count it twice.
    let reviews = audit_assignments::Entity::find()
        .filter(audit_assignments::Column::RoundId.eq(last.id))
        .filter(audit_assignments::Column::CaseFileId.is_in(files.keys().copied()))
        .filter(audit_assignments::Column::SubmittedAt.is_not_null())
        .filter(audit_assignments::Column::SecondReview.eq(false))
        .all(db)
        .await?;
    if reviews.is_empty() {
        return Ok(None);
    }
    let ids: Vec<i32> = reviews.iter().map(|a| a.id).collect();
    let (answers, _) = answers_and_judgements(db, ids.iter().copied()).await?;
    let mut actions = actions_of(db, ids.iter().copied()).await?;
    let items = round_items(db, last.id).await?;
    let this_review = reviews.iter().find(|a| a.case_file_id == opened.file.id);
    let periods: HashMap<i32, Period> = file_periods(db, &opened.file)
        .await?
        .into_iter()
        .map(|p| (p.version_id, p))
        .collect();
    let mut this_file = Vec::new();
    if let Some(review) = this_review {
        for item in &items {
            for x in answers.iter().filter(|x| {
                x.assignment_id == review.id
                    && x.item_key == item.item_key
                    && is_finding(x.answer.as_deref())
            }) {
                let period = if x.plan_version_id == YEAR_WITHOUT_PLAN {
                    Some(year_period(&opened.file, last.year))
                } else {
                    periods.get(&x.plan_version_id).copied()
                };
                let action = actions.remove(&(review.id, x.plan_version_id, x.item_key.clone()));
                this_file.push(EarlierFinding {
                    period_from: period.map(|p| p.from).unwrap_or_default(),
                    period_to: period.and_then(|p| p.to),
                    text_sv: item.text_sv.clone(),
                    text_en: item.text_en.clone(),
                    answer: x.answer.clone().unwrap_or_default(),
                    comment: x.comment.clone(),
                    recommendation: x.recommendation.clone(),
                    status: FindingStatus::of(action.as_ref(), today),
                    action,
                });
            }
        }
    }
    let others: Vec<&audit_assignments::Model> = reviews
        .iter()
        .filter(|a| a.case_file_id != opened.file.id)
        .collect();
    let other_items = items
        .iter()
        .filter_map(|item| {
            let found: Vec<&audit_answers::Model> = answers
                .iter()
                .filter(|x| {
                    x.item_key == item.item_key
                        && others.iter().any(|a| a.id == x.assignment_id)
                        && is_finding(x.answer.as_deref())
                })
                .collect();
            // One count per review, however many of its periods had the finding.
            let reviews: BTreeSet<i32> = found.iter().map(|x| x.assignment_id).collect();
            let done = found
                .iter()
                .filter(|x| {
                    actions
                        .get(&(x.assignment_id, x.plan_version_id, x.item_key.clone()))
                        .is_some_and(|a| a.done_on.is_some())
                })
                .map(|x| x.assignment_id)
                .collect::<BTreeSet<i32>>();
            (!reviews.is_empty()).then(|| EarlierItemCount {
                text_sv: item.text_sv.clone(),
                text_en: item.text_en.clone(),
                findings: reviews.len() as u32,
                actions_done: done.len() as u32,
            })
        })
        .collect();
    Ok(Some(EarlierFindings {
        year: last.year,
        file_reviewed: this_review.is_some(),
        this_file,
        other_files: others.len() as u32,
        other_items,
    }))
}
