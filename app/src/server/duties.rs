//! The duties of the routine: "my work" (what is due and overdue in the files one
//! may see), follow-ups, and closing a file with its final report.
//!
//! The date rules are `akta_domain::deadlines`; this module only gathers each file's
//! facts from the database (a fixed number of queries for any number of files).

use super::entities::{
    assignments, case_files, clients, due_summaries, final_reports, follow_ups, journal_entries,
    monthly_reports, monthly_reviews, plan_versions, users,
};
use super::files::visible_to;
use super::guard::CurrentUser;
use super::journal::OpenedFile;
use crate::error::{AppError, Problem, Problems};
use crate::model::{ClosingPage, DueRow, FinalReportView, FollowUpView, MyWork, StaffDue};
use akta_domain::Role;
use akta_domain::closing::{
    CloseReason, DutyDateError, FollowUpOutcome, Participants, ReportText, check_end_date,
    check_held_date, check_planned_date,
};
use akta_domain::deadlines::{DueStatus, Duty, FileFacts, ServiceType, YearMonth};
use chrono::NaiveDate;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};
use std::collections::{BTreeMap, HashMap};

impl From<DutyDateError> for Problem {
    fn from(e: DutyDateError) -> Self {
        match e {
            DutyDateError::Future => Problem::DateInFuture,
            DutyDateError::Past => Problem::DateInPast,
            DutyDateError::BeforeStart => Problem::DateBeforeStart,
        }
    }
}

/// The signed entries of some files, through the partial index `idx_journal_signed`
/// (file, time of signing, `WHERE signed_at IS NOT NULL`; migration 000021). That
/// condition is written out in the query: a database plans a partial index only for a
/// query whose text says what the index covers (a bound value would not do).
pub fn signed_entries(files: Vec<i32>) -> sea_orm::Select<journal_entries::Entity> {
    journal_entries::Entity::find()
        .filter(journal_entries::Column::CaseFileId.is_in(files))
        .filter(journal_entries::Column::SignedAt.is_not_null())
        .filter(journal_entries::Column::Status.eq("signed"))
}

/// The signed goal dialogues of some files, through the partial index
/// `idx_journal_dialogues` (a small one: a dialogue a month at most).
pub fn signed_dialogues(files: Vec<i32>) -> sea_orm::Select<journal_entries::Entity> {
    let category = akta_domain::journal::EntryCategory::GoalDialogue.as_str();
    journal_entries::Entity::find()
        .filter(journal_entries::Column::CaseFileId.is_in(files))
        .filter(Expr::cust(format!(
            "status = 'signed' AND category = '{category}'"
        )))
}

/// Files whose facts are read per round of queries (keeps each `IN (…)` list small).
pub const FILES_PER_ROUND: usize = 400;

/// Each file's deadline facts with its booked, not yet held follow-ups (by file id).
pub type FactsOf = HashMap<i32, (FileFacts, Vec<NaiveDate>)>;

/// The facts the deadline rules need, for every file in `files`: nine queries whatever
/// the number of files (the unit's monthly due day included). Also the booked, not yet held follow-ups per file.
pub async fn facts_of(
    db: &impl ConnectionTrait,
    files: &[case_files::Model],
) -> Result<FactsOf, AppError> {
    let ids: Vec<i32> = files.iter().map(|f| f.id).collect();
    let assignments: HashMap<i32, assignments::Model> = assignments::Entity::find()
        .filter(assignments::Column::Id.is_in(files.iter().map(|f| f.assignment_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    // The first signature of a plan completes the plan duty.
    let plan_signed: HashMap<i32, NaiveDate> = plan_versions::Entity::find()
        .select_only()
        .column(plan_versions::Column::CaseFileId)
        .column_as(plan_versions::Column::ClientSignedOn.min(), "signed")
        .filter(plan_versions::Column::CaseFileId.is_in(ids.clone()))
        .filter(plan_versions::Column::ClientSignedOn.is_not_null())
        .group_by(plan_versions::Column::CaseFileId)
        .into_tuple::<(i32, NaiveDate)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let follow_up_rows = follow_ups::Entity::find()
        .filter(follow_ups::Column::CaseFileId.is_in(ids.clone()))
        .all(db)
        .await?;
    // Only the latest signing matters for the weekly rule's next due day: the rule
    // counts the day an entry was signed, not its event date.
    let latest_entry: HashMap<i32, NaiveDate> = signed_entries(ids.clone())
        .select_only()
        .column(journal_entries::Column::CaseFileId)
        .column_as(journal_entries::Column::SignedAt.max(), "latest")
        .group_by(journal_entries::Column::CaseFileId)
        .into_tuple::<(i32, chrono::DateTime<chrono::Utc>)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(file, at)| (file, super::swedish(at).date()))
        .collect();

    // The months with a signed review and a signed report, and when they were signed
    // (one signed after the unit's due day is done late).
    let reviewed: Vec<(i32, String, chrono::DateTime<chrono::Utc>)> =
        monthly_reviews::Entity::find()
            .select_only()
            .column(monthly_reviews::Column::CaseFileId)
            .column(monthly_reviews::Column::Month)
            .column(monthly_reviews::Column::SignedAt)
            .filter(monthly_reviews::Column::CaseFileId.is_in(ids.clone()))
            .into_tuple()
            .all(db)
            .await?;
    let reported: Vec<(i32, String, chrono::DateTime<chrono::Utc>)> =
        monthly_reports::Entity::find()
            .select_only()
            .column(monthly_reports::Column::CaseFileId)
            .column(monthly_reports::Column::Month)
            .column(monthly_reports::Column::SignedAt)
            .filter(monthly_reports::Column::CaseFileId.is_in(ids.clone()))
            .into_tuple()
            .all(db)
            .await?;
    let due_day = super::settings::monthly_due_day(db).await?;

    // The days of signed goal-dialogue entries: each completes its month's goal dialogue.
    let dialogues: Vec<(i32, NaiveDate)> = signed_dialogues(ids.clone())
        .select_only()
        .column(journal_entries::Column::CaseFileId)
        .column(journal_entries::Column::EventDate)
        .into_tuple()
        .all(db)
        .await?;

    let mut out = HashMap::with_capacity(files.len());
    for f in files {
        let assignment = assignments.get(&f.assignment_id);
        let service = assignment
            .and_then(|a| ServiceType::parse(&a.service_type).ok())
            .unwrap_or(ServiceType::Other);
        let mut facts = FileFacts::new(f.started_on, service);
        facts.closed = f.closed_on;
        facts.assignment_first_follow_up = assignment.map(|a| a.first_follow_up);
        facts.assignment_received = assignment.map(|a| a.received_on);
        facts.plan_signed = plan_signed.get(&f.id).copied();
        facts.signing_days = latest_entry.get(&f.id).copied().into_iter().collect();
        facts.monthly_due_day = due_day;
        out.insert(f.id, (facts, Vec::new()));
    }
    for (file, month, at) in reviewed {
        if let (Some((facts, _)), Ok(month)) = (out.get_mut(&file), YearMonth::parse(&month)) {
            facts.reviews_done.insert(month, super::swedish(at).date());
        }
    }
    for (file, day) in dialogues {
        if let Some((facts, _)) = out.get_mut(&file) {
            let first = facts
                .goal_dialogues_done
                .entry(YearMonth::of(day))
                .or_insert(day);
            *first = (*first).min(day);
        }
    }
    for (file, month, at) in reported {
        if let (Some((facts, _)), Ok(month)) = (out.get_mut(&file), YearMonth::parse(&month)) {
            facts.reports_done.insert(month, super::swedish(at).date());
        }
    }
    for row in follow_up_rows {
        if let Some((facts, booked)) = out.get_mut(&row.case_file_id) {
            match row.held_on {
                Some(held) => facts.follow_ups_held.push(held),
                None => booked.push(row.planned_on),
            }
        }
    }
    Ok(out)
}

/// Whether a duty belongs on the "my work" list: overdue or due soon. The monthly review,
/// the monthly report and the goal dialogue (a signed journal entry of the category
/// `goal_dialogue` in its month) are kept in Akta, so a past month without them is
/// listed as overdue, like any other duty.
fn listed(status: DueStatus) -> bool {
    matches!(status, DueStatus::Overdue | DueStatus::DueSoon)
}

/// "My work": the due and overdue duties of every open file the user may see. The
/// counts are the files' due summaries summed (`due_summary`, written first where they
/// do not hold for today); the deadlines are worked out only for the files listed, those
/// whose first due day comes soonest.
pub async fn my_work(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    today: NaiveDate,
) -> Result<MyWork, AppError> {
    super::due_summary::bring_up_to_date(db, user, today).await?;
    let open = case_files::Entity::find()
        .filter(visible_to(user))
        .filter(case_files::Column::ClosedOn.is_null());
    let open_files = open.clone().count(db).await?;
    // A summary is kept for open files only; the manager sees them all.
    let seen = match user.role {
        Role::Manager => sea_orm::Condition::all(),
        _ => sea_orm::Condition::all().add(
            due_summaries::Column::CaseFileId.in_subquery(
                open.clone()
                    .select_only()
                    .column(case_files::Column::Id)
                    .into_query(),
            ),
        ),
    };
    let sums: Vec<(i32, i64, Option<i64>, Option<i64>)> = due_summaries::Entity::find()
        .select_only()
        .column(due_summaries::Column::ContactPersonId)
        .column_as(due_summaries::Column::CaseFileId.count(), "files")
        .column_as(due_summaries::Column::Overdue.sum(), "overdue")
        .column_as(due_summaries::Column::DueSoon.sum(), "due_soon")
        .filter(seen.clone())
        .group_by(due_summaries::Column::ContactPersonId)
        .into_tuple()
        .all(db)
        .await?;
    let count = |n: Option<i64>| u64::try_from(n.unwrap_or(0)).unwrap_or(0);
    let total_overdue = sums.iter().map(|s| count(s.2)).sum();
    let total_due_soon = sums.iter().map(|s| count(s.3)).sum();

    // The files with the soonest first due day hold the soonest rows: a file with a row
    // among the first MAX_ROWS has its first due day no later than that row's.
    let soonest: Vec<i32> = due_summaries::Entity::find()
        .select_only()
        .column(due_summaries::Column::CaseFileId)
        .filter(seen)
        .filter(due_summaries::Column::FirstDue.is_not_null())
        .order_by_asc(due_summaries::Column::FirstDue)
        .order_by_asc(due_summaries::Column::CaseFileId)
        .limit(MyWork::MAX_ROWS as u64)
        .into_tuple()
        .all(db)
        .await?;
    let files = case_files::Entity::find()
        .filter(case_files::Column::Id.is_in(soonest))
        .order_by_asc(case_files::Column::Id)
        .all(db)
        .await?;
    // Contact persons are few: one query, each id once.
    let contacts: std::collections::BTreeSet<i32> = files
        .iter()
        .map(|f| f.contact_person_id)
        .chain(sums.iter().map(|s| s.0))
        .collect();
    let staff: HashMap<i32, String> = users::Entity::find()
        .filter(users::Column::Id.is_in(contacts))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let facts = facts_of(db, &files).await?;
    let clients: HashMap<i32, clients::Model> = clients::Entity::find()
        .filter(clients::Column::Id.is_in(files.iter().map(|f| f.client_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();

    let mut rows = Vec::new();
    for f in &files {
        let Some((facts, booked)) = facts.get(&f.id) else {
            continue;
        };
        let contact = staff.get(&f.contact_person_id).cloned().unwrap_or_default();
        let client = clients.get(&f.client_id);
        let protected = client.is_none_or(|c| c.protected_identity);
        let next_booking = booked.iter().min().copied();
        for item in facts.due_items(today) {
            if !listed(item.status) {
                continue;
            }
            rows.push(DueRow {
                file_id: f.public_id.clone(),
                client_name: client
                    .filter(|_| !protected)
                    .map(|c| format!("{} {}", c.first_name, c.last_name)),
                protected_identity: protected,
                contact_person: contact.clone(),
                duty: item.duty.key().to_owned(),
                month: item.duty.month().map(|m| m.to_string()),
                due: item.due,
                overdue: item.status == DueStatus::Overdue,
                booked_on: matches!(item.duty, Duty::FirstFollowUp | Duty::NextFollowUp)
                    .then_some(next_booking)
                    .flatten(),
            });
        }
    }
    rows.sort_by(|a, b| (a.due, &a.duty, &a.file_id).cmp(&(b.due, &b.duty, &b.file_id)));
    rows.truncate(MyWork::MAX_ROWS);

    // Per contact person, by name (as the page shows them).
    let mut per_staff: BTreeMap<String, StaffDue> = BTreeMap::new();
    for (contact, files, overdue, due_soon) in &sums {
        let name = staff.get(contact).cloned().unwrap_or_default();
        let counts = per_staff.entry(name.clone()).or_insert_with(|| StaffDue {
            name,
            files: 0,
            overdue: 0,
            due_soon: 0,
        });
        counts.files += count(Some(*files));
        counts.overdue += count(*overdue);
        counts.due_soon += count(*due_soon);
    }

    let (per_staff, closed_files, dropouts) = if user.role == Role::Manager {
        let closed = case_files::Entity::find()
            .filter(visible_to(user))
            .filter(case_files::Column::ClosedOn.is_not_null());
        let closed_files = closed.clone().count(db).await?;
        let dropouts = closed
            .filter(case_files::Column::CloseReason.ne(CloseReason::Completed.as_str()))
            .count(db)
            .await?;
        (per_staff.into_values().collect(), closed_files, dropouts)
    } else {
        (Vec::new(), 0, 0)
    };
    let intakes_overstayed = super::open_intake::list_own(db, user)
        .await?
        .into_iter()
        .map(|r| super::open_intake::row_of(r, today))
        .filter(|r| r.overstayed)
        .collect();
    Ok(MyWork {
        today,
        monthly_due_day: super::settings::monthly_due_day(db).await?.get(),
        intakes_overstayed,
        reviews: Vec::new(),
        open_files,
        rows,
        total_overdue,
        total_due_soon,
        per_staff,
        closed_files,
        dropouts,
    })
}

async fn user_names(
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

/// The follow-ups of a file, oldest first.
pub async fn follow_ups_of(
    db: &impl ConnectionTrait,
    file: &case_files::Model,
) -> Result<Vec<FollowUpView>, AppError> {
    let rows = follow_ups::Entity::find()
        .filter(follow_ups::Column::CaseFileId.eq(file.id))
        .order_by_asc(follow_ups::Column::PlannedOn)
        .order_by_asc(follow_ups::Column::Id)
        .all(db)
        .await?;
    let names = user_names(
        db,
        rows.iter()
            .flat_map(|r| std::iter::once(r.booked_by).chain(r.documented_by)),
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| FollowUpView {
            follow_up_id: r.public_id,
            planned_on: r.planned_on,
            booked_by: names.get(&r.booked_by).cloned().unwrap_or_default(),
            held_on: r.held_on,
            participants: r.participants,
            outcome: r.outcome,
            plan_revised: r.plan_revised,
            documented_by: r.documented_by.and_then(|id| names.get(&id).cloned()),
        })
        .collect())
}

fn parse_date(problems: &mut Problems, field: &str, raw: &str) -> Option<NaiveDate> {
    let parsed = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok();
    if parsed.is_none() {
        problems.add(field, Problem::InvalidDate);
    }
    parsed
}

/// Books a follow-up on a day from today on. Needs a place on the care team, an
/// open file, and a service with a plan (the motivation group has no follow-ups).
pub async fn book(
    db: &impl ConnectionTrait,
    opened: &OpenedFile,
    user: &CurrentUser,
    planned_on: &str,
) -> Result<(), AppError> {
    opened.check_writable()?;
    if !super::plan::plan_needed(db, opened).await? {
        return Err(AppError::NoPlanForService);
    }
    let mut problems = Problems::default();
    let planned = parse_date(&mut problems, "planned_on", planned_on).and_then(|d| {
        problems.check(
            "planned_on",
            check_planned_date(d, opened.file.started_on, super::today()),
            Problem::from,
        )
    });
    // One booking at a time: document the booked follow-up before booking the next.
    let unheld = follow_ups::Entity::find()
        .filter(follow_ups::Column::CaseFileId.eq(opened.file.id))
        .filter(follow_ups::Column::HeldOn.is_null())
        .count(db)
        .await?;
    if unheld > 0 {
        problems.add("planned_on", Problem::AlreadyBooked);
    }
    problems.into_result()?;
    let Some(planned) = planned else {
        return Err(AppError::Internal);
    };
    follow_ups::ActiveModel {
        public_id: Set(super::ids::public_id()),
        case_file_id: Set(opened.file.id),
        planned_on: Set(planned),
        booked_by: Set(user.id),
        held_on: Set(None),
        participants: Set(None),
        outcome: Set(None),
        plan_revised: Set(None),
        documented_by: Set(None),
        journal_entry_id: Set(None),
        created_at: Set(super::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// What the form of a held follow-up says.
pub struct HeldInput<'a> {
    pub held_on: &'a str,
    pub participants: &'a str,
    pub outcome: &'a str,
    /// `yes` or `no`.
    pub plan_revised: &'a str,
}

/// Documents a booked follow-up as held. In the same transaction a signed journal
/// entry of the category "follow-up" records it, so it appears in the journal (and is
/// as permanent as any signed entry). Returns whether the plan is to be revised.
pub async fn document(
    db: &impl ConnectionTrait,
    opened: &OpenedFile,
    user: &CurrentUser,
    follow_up_id: &str,
    input: &HeldInput<'_>,
) -> Result<bool, AppError> {
    opened.check_writable()?;
    let row = follow_ups::Entity::find()
        .filter(follow_ups::Column::PublicId.eq(follow_up_id))
        .filter(follow_ups::Column::CaseFileId.eq(opened.file.id))
        .filter(follow_ups::Column::HeldOn.is_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut problems = Problems::default();
    let held = parse_date(&mut problems, "held_on", input.held_on).and_then(|d| {
        problems.check(
            "held_on",
            check_held_date(d, opened.file.started_on, super::today()),
            Problem::from,
        )
    });
    let participants = problems.check(
        "participants",
        Participants::parse(input.participants),
        Problem::from,
    );
    let outcome = problems.check(
        "outcome",
        FollowUpOutcome::parse(input.outcome),
        Problem::from,
    );
    let revised = match input.plan_revised {
        "yes" => Some(true),
        "no" => Some(false),
        _ => {
            problems.add("plan_revised", Problem::ChooseOne);
            None
        }
    };
    problems.into_result()?;
    let (Some(held), Some(participants), Some(outcome), Some(revised)) =
        (held, participants, outcome, revised)
    else {
        return Err(AppError::Internal);
    };
    // The journal is written in Swedish, like every document of the file.
    let body = format!(
        "Uppföljning av genomförandeplanen.\nDeltagare: {}\n\n{}\n\nPlanen revideras: {}.",
        participants.as_str(),
        outcome.as_str(),
        if revised { "ja" } else { "nej" }
    );
    let now = super::now();
    let entry = journal_entries::ActiveModel {
        public_id: Set(super::ids::public_id()),
        case_file_id: Set(opened.file.id),
        author_id: Set(user.id),
        event_date: Set(held),
        category: Set(akta_domain::journal::EntryCategory::FollowUp
            .as_str()
            .to_owned()),
        body: Set(body),
        status: Set("signed".to_owned()),
        signed_at: Set(Some(now)),
        corrects_id: Set(None),
        correction_reason: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    // Only a follow-up still unheld is updated: two people documenting at once
    // cannot both succeed.
    let updated = follow_ups::Entity::update_many()
        .set(follow_ups::ActiveModel {
            held_on: Set(Some(held)),
            participants: Set(Some(participants.into_inner())),
            outcome: Set(Some(outcome.into_inner())),
            plan_revised: Set(Some(revised)),
            documented_by: Set(Some(user.id)),
            journal_entry_id: Set(Some(entry.id)),
            ..Default::default()
        })
        .filter(follow_ups::Column::Id.eq(row.id))
        .filter(follow_ups::Column::HeldOn.is_null())
        .exec(db)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::NotFound);
    }
    Ok(revised)
}

/// The contact person and the manager close files, and only open ones.
pub fn may_close(user: &CurrentUser, file: &case_files::Model) -> bool {
    file.closed_on.is_none() && (user.role == Role::Manager || file.contact_person_id == user.id)
}

/// The closing page: the final report of a closed file, or what the form needs.
pub async fn closing_view(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    opened: &OpenedFile,
) -> Result<ClosingPage, AppError> {
    let file = &opened.file;
    let header = super::journal::header(db, opened).await?;
    let report = final_reports::Entity::find_by_id(file.id).one(db).await?;
    let report = match (report, file.closed_on) {
        (Some(r), Some(closed_on)) => {
            let names = user_names(db, [r.written_by]).await?;
            let reason = file.close_reason.clone().unwrap_or_default();
            Some(FinalReportView {
                dropout: CloseReason::parse(&reason).is_none_or(CloseReason::is_dropout),
                treatment: r.treatment,
                outcome: r.outcome,
                client_view_ending: r.client_view_ending,
                client_view_service: r.client_view_service,
                written_by: names.get(&r.written_by).cloned().unwrap_or_default(),
                written_on: super::swedish(r.written_at).date(),
                closed_on,
                close_reason: reason,
            })
        }
        _ => None,
    };
    let plan_signed_on = plan_versions::Entity::find()
        .filter(plan_versions::Column::CaseFileId.eq(file.id))
        .filter(plan_versions::Column::ClientSignedOn.is_not_null())
        .order_by_asc(plan_versions::Column::ClientSignedOn)
        .one(db)
        .await?
        .and_then(|v| v.client_signed_on);
    Ok(ClosingPage {
        header,
        report,
        may_close: may_close(user, file),
        plan_signed_on,
    })
}

/// What the closing form says.
pub struct CloseInput<'a> {
    pub closed_on: &'a str,
    pub reason: &'a str,
    pub treatment: &'a str,
    pub outcome: &'a str,
    pub client_view_ending: &'a str,
    pub client_view_service: &'a str,
}

/// Writes the final report and closes the file, in one transaction. From then on
/// the file is read-only. Returns whether the ending counts as a dropout.
pub async fn close(
    db: &impl ConnectionTrait,
    opened: &OpenedFile,
    user: &CurrentUser,
    input: &CloseInput<'_>,
) -> Result<bool, AppError> {
    if opened.file.closed_on.is_some() {
        return Err(AppError::FileClosed);
    }
    if !may_close(user, &opened.file) {
        return Err(AppError::Forbidden);
    }
    let mut problems = Problems::default();
    let closed_on = parse_date(&mut problems, "closed_on", input.closed_on).and_then(|d| {
        problems.check(
            "closed_on",
            check_end_date(d, opened.file.started_on, super::today()),
            Problem::from,
        )
    });
    // Nothing may be dated after the closing: the journal's entries included.
    if let Some(end) = closed_on {
        let later = journal_entries::Entity::find()
            .filter(journal_entries::Column::CaseFileId.eq(opened.file.id))
            .filter(journal_entries::Column::Status.eq("signed"))
            .filter(journal_entries::Column::EventDate.gt(end))
            .count(db)
            .await?;
        if later > 0 {
            problems.add("closed_on", Problem::EntriesAfterEnd);
        }
    }
    let reason = problems.check(
        "reason",
        CloseReason::parse(input.reason.trim()).ok_or(()),
        |_| Problem::ChooseOne,
    );
    let mut text = |field: &str, raw: &str| {
        problems
            .check(field, ReportText::parse(raw), Problem::from)
            .map(ReportText::into_inner)
    };
    let treatment = text("treatment", input.treatment);
    let outcome = text("outcome", input.outcome);
    let ending = text("client_view_ending", input.client_view_ending);
    let service = text("client_view_service", input.client_view_service);
    problems.into_result()?;
    let (
        Some(closed_on),
        Some(reason),
        Some(treatment),
        Some(outcome),
        Some(ending),
        Some(service),
    ) = (closed_on, reason, treatment, outcome, ending, service)
    else {
        return Err(AppError::Internal);
    };
    let updated = case_files::Entity::update_many()
        .set(case_files::ActiveModel {
            closed_on: Set(Some(closed_on)),
            close_reason: Set(Some(reason.as_str().to_owned())),
            ..Default::default()
        })
        .filter(case_files::Column::Id.eq(opened.file.id))
        .filter(case_files::Column::ClosedOn.is_null())
        .exec(db)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::FileClosed);
    }
    final_reports::ActiveModel {
        case_file_id: Set(opened.file.id),
        treatment: Set(treatment),
        outcome: Set(outcome),
        client_view_ending: Set(ending),
        client_view_service: Set(service),
        written_by: Set(user.id),
        written_at: Set(super::now()),
    }
    .insert(db)
    .await?;
    Ok(reason.is_dropout())
}
