//! The monthly journal review (genomgång av social journal) and the monthly report
//! (månadsrapport) of one file and month.
//!
//! The rules (phrasings, signal words, gaps, goals without entries, months one may
//! choose) are `akta_domain::monthly`; this module reads the month's facts in a fixed
//! number of queries and writes each signed document in one transaction. A signed
//! review is also a signed journal entry of the category `monthly_review`.

use super::entities::{
    assignments, goals, journal_entries, monthly_report_goals, monthly_reports, monthly_reviews,
};
use super::guard::CurrentUser;
use super::journal::{OpenedFile, entry_views, header, periods, user_names};
use crate::error::{AppError, Problem, Problems};
use crate::model::monthly::{
    GapView, MonthChoice, MonthEntryView, PatternsView, ReportGoalView, ReportPage, ReviewPage,
    SignedReportView, SignedReviewView,
};
use crate::model::{EntryView, PeriodView};
use akta_domain::deadlines::{ServiceType, YearMonth};
use akta_domain::journal::EntryCategory;
use akta_domain::monthly::{
    Action, ActionText, GoalEvaluation, MonthEntry, MonthError, Phrasing, ReportText, ReviewText,
    WeeklyRule, check_month, default_month, find_patterns, period_text, placeholder_left,
    review_entry_text, segments, window,
};
use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, SqlErr,
};
use std::collections::{BTreeSet, HashMap};

impl From<MonthError> for Problem {
    fn from(e: MonthError) -> Self {
        match e {
            MonthError::Future => Problem::MonthInFuture,
            MonthError::BeforeStart | MonthError::AfterClose => Problem::MonthOutsideFile,
        }
    }
}

/// The month asked for (`YYYY-MM`), or the one the page opens on: the previous month, the
/// current one in a file's first month, the closing month of a closed file.
pub fn month_of(
    opened: &OpenedFile,
    raw: Option<&str>,
    today: NaiveDate,
) -> Result<YearMonth, AppError> {
    let file = &opened.file;
    let month = match raw.map(str::trim).filter(|s| !s.is_empty()) {
        Some(raw) => {
            YearMonth::parse(raw).map_err(|_| AppError::field("month", Problem::InvalidChoice))?
        }
        None => {
            let end = file.closed_on.map_or(today, |c| c.min(today));
            default_month(file.started_on, end)
        }
    };
    check_month(month, file.started_on, file.closed_on, today)
        .map_err(|e| AppError::field("month", e.into()))
}

/// The days of `month` looked at: the open days, cut to today while the month runs.
fn days_of(opened: &OpenedFile, month: YearMonth, today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let file = &opened.file;
    let (from, to) = window(month, file.started_on, file.closed_on)
        .unwrap_or((month.first_day(), month.last_day()));
    (from, to.min(today).max(from))
}

/// The months of the file, newest first, marked when `done`.
fn choices(opened: &OpenedFile, today: NaiveDate, done: &BTreeSet<String>) -> Vec<MonthChoice> {
    let end = opened.file.closed_on.map_or(today, |c| c.min(today));
    YearMonth::range(opened.file.started_on, end)
        .into_iter()
        .rev()
        .map(|m| {
            let month = m.to_string();
            MonthChoice {
                done: done.contains(&month),
                month,
            }
        })
        .collect()
}

fn client_name(opened: &OpenedFile) -> String {
    if opened.client.protected_identity {
        "klienten".to_owned()
    } else {
        format!("{} {}", opened.client.first_name, opened.client.last_name)
    }
}

/// The plan versions in force on some day of `from..=to`, and their goals.
fn periods_in(periods: &[(i32, PeriodView)], from: NaiveDate, to: NaiveDate) -> Vec<&PeriodView> {
    periods
        .iter()
        .map(|(_, p)| p)
        .filter(|p| p.valid_from <= to && p.valid_to.is_none_or(|end| end >= from))
        .collect()
}

/// The month's signed entries, oldest first, without monthly reviews (they speak of other
/// months) and without originals that a correction replaced.
async fn month_entries(
    db: &impl ConnectionTrait,
    opened: &OpenedFile,
    periods: &[(i32, PeriodView)],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<EntryView>, AppError> {
    let rows = journal_entries::Entity::find()
        .filter(journal_entries::Column::CaseFileId.eq(opened.file.id))
        .filter(journal_entries::Column::Status.eq("signed"))
        .filter(journal_entries::Column::Category.ne(EntryCategory::MonthlyReview.as_str()))
        .filter(journal_entries::Column::EventDate.gte(from))
        .filter(journal_entries::Column::EventDate.lte(to))
        .order_by_asc(journal_entries::Column::EventDate)
        .order_by_asc(journal_entries::Column::Id)
        .all(db)
        .await?;
    Ok(entry_views(db, rows, periods)
        .await?
        .into_iter()
        .filter(|e| e.corrected_by.is_empty())
        .collect())
}

/// The monthly review page of `month`.
pub async fn review_view(
    db: &impl ConnectionTrait,
    opened: &OpenedFile,
    month: YearMonth,
    today: NaiveDate,
) -> Result<ReviewPage, AppError> {
    let head = header(db, opened).await?;
    let (from, to) = days_of(opened, month, today);
    let all_periods = periods(db, &opened.file).await?;
    let entries = month_entries(db, opened, &all_periods, from, to).await?;
    // The weekly rule counts the day every signed entry was signed (Swedish date), as the
    // deadlines and the deviation register do.
    let signed_days: Vec<NaiveDate> = journal_entries::Entity::find()
        .select_only()
        .column(journal_entries::Column::SignedAt)
        .filter(journal_entries::Column::CaseFileId.eq(opened.file.id))
        .filter(journal_entries::Column::Status.eq("signed"))
        .filter(journal_entries::Column::SignedAt.is_not_null())
        .into_tuple::<chrono::DateTime<chrono::Utc>>()
        .all(db)
        .await?
        .into_iter()
        .map(|at| super::swedish(at).date())
        .collect();
    let goals: Vec<(String, String)> = periods_in(&all_periods, from, to)
        .into_iter()
        .flat_map(|p| p.goals.iter().map(|g| (g.goal_id.clone(), g.title.clone())))
        .collect();
    let goal_ids: Vec<String> = goals.iter().map(|(id, _)| id.clone()).collect();
    let facts: Vec<MonthEntry<'_, String>> = entries
        .iter()
        .map(|e| MonthEntry {
            date: e.event_date,
            category: EntryCategory::parse(&e.category),
            text: &e.body,
            goals: e.goals.iter().map(|(id, _)| id.clone()).collect(),
        })
        .collect();
    let weeks = WeeklyRule {
        signed_days: &signed_days,
        start: opened.file.started_on,
        closed: opened.file.closed_on,
        today,
    };
    let found = find_patterns((from, to), weeks, &facts, &goal_ids);
    let dates = |list: &[usize]| -> Vec<NaiveDate> {
        list.iter()
            .filter_map(|i| entries.get(*i).map(|e| e.event_date))
            .collect()
    };
    let titles: HashMap<&String, &String> = goals.iter().map(|(id, t)| (id, t)).collect();
    let patterns = PatternsView {
        declined: dates(&found.declined),
        changes: dates(&found.changes),
        gaps: found
            .gaps
            .iter()
            .map(|g| GapView {
                from: g.first,
                to: g.last,
                weeks: g.weeks(),
            })
            .collect(),
        goals_without_entry: found
            .goals_without_entry
            .iter()
            .filter_map(|id| titles.get(id).map(|t| (*t).clone()))
            .collect(),
        recurring_deviations: dates(&found.recurring_deviations),
    };
    let recurring: BTreeSet<usize> = found.recurring_deviations.iter().copied().collect();
    let entry_views: Vec<MonthEntryView> = entries
        .into_iter()
        .enumerate()
        .map(|(i, e)| MonthEntryView {
            pieces: segments(&e.body)
                .into_iter()
                .map(|(text, signal)| (text, signal.map(|s| s.as_str().to_owned())))
                .collect(),
            goals: e.goals.into_iter().map(|(_, title)| title).collect(),
            recurring_deviation: recurring.contains(&i),
            entry_id: e.entry_id,
            event_date: e.event_date,
            category: e.category,
            author: e.author,
        })
        .collect();

    let reviews = monthly_reviews::Entity::find()
        .filter(monthly_reviews::Column::CaseFileId.eq(opened.file.id))
        .all(db)
        .await?;
    let done: BTreeSet<String> = reviews.iter().map(|r| r.month.clone()).collect();
    let signed = match reviews.iter().find(|r| r.month == month.to_string()) {
        Some(r) => {
            let entry = journal_entries::Entity::find_by_id(r.journal_entry_id)
                .one(db)
                .await?
                .ok_or_else(|| super::internal("review without entry"))?;
            let names = user_names(db, [r.signed_by]).await?;
            Some(SignedReviewView {
                entry_id: entry.public_id,
                body: entry.body,
                signed_by: names.get(&r.signed_by).cloned().unwrap_or_default(),
                signed_on: super::swedish(r.signed_at).date(),
            })
        }
        None => None,
    };
    let period = period_text(from, to);
    let client = client_name(opened);
    Ok(ReviewPage {
        may_sign: signed.is_none() && opened.check_writable().is_ok(),
        months: choices(opened, today, &done),
        month: month.to_string(),
        phrasings: Phrasing::ALL
            .into_iter()
            .map(|p| (p.as_str().to_owned(), p.text(&period, &client)))
            .collect(),
        period,
        entries: entry_views,
        patterns,
        signed,
        header: head,
    })
}

/// What the review form says.
pub struct ReviewInput<'a> {
    pub month: &'a str,
    pub phrasing: &'a str,
    pub text: &'a str,
    pub action_what: &'a str,
    pub action_when: &'a str,
    pub action_how: &'a str,
    pub follow_up_on: &'a str,
    pub follow_up_how: &'a str,
}

fn date_field(problems: &mut Problems, field: &str, raw: &str) -> Option<NaiveDate> {
    let parsed = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok();
    if parsed.is_none() {
        problems.add(field, Problem::InvalidDate);
    }
    parsed
}

/// The month's row exists already: a unique violation, or on SQLite the insert guard
/// of migration 000020 (which runs before the unique index is checked).
fn is_unique_violation(e: &DbErr) -> bool {
    matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
        || e.to_string()
            .contains("monthly reviews and reports are written once")
}

/// Signs the review of a month: a signed journal entry (heading "Genomgång av social
/// journal", the period, the text, the action and its follow-up) and the month's row, in
/// one transaction. Needs a place on the care team and an open file; one per month.
pub async fn sign_review(
    db: &impl ConnectionTrait,
    opened: &OpenedFile,
    user: &CurrentUser,
    input: &ReviewInput<'_>,
    today: NaiveDate,
) -> Result<YearMonth, AppError> {
    opened.check_writable()?;
    let month = month_of(opened, Some(input.month), today)?;
    let mut problems = Problems::default();
    let done = monthly_reviews::Entity::find()
        .filter(monthly_reviews::Column::CaseFileId.eq(opened.file.id))
        .filter(monthly_reviews::Column::Month.eq(month.to_string()))
        .count(db)
        .await?;
    if done > 0 {
        problems.add("month", Problem::MonthDone);
    }
    let phrasing = problems.check(
        "phrasing",
        Phrasing::parse(input.phrasing.trim()).ok_or(()),
        |_| Problem::ChooseOne,
    );
    let text = problems.check("text", ReviewText::parse(input.text), Problem::from);
    if text.as_ref().is_some_and(|t| placeholder_left(t.as_str())) {
        problems.add("text", Problem::PlaceholderLeft);
    }
    // routine: what was seen, the action, and when and how it is followed up. Phrasing 3
    // sees nothing and needs no action, but one that is written down is checked all the same.
    let any_action = [
        input.action_what,
        input.action_when,
        input.action_how,
        input.follow_up_on,
        input.follow_up_how,
    ]
    .iter()
    .any(|s| !s.trim().is_empty());
    let action = if phrasing.is_some_and(Phrasing::needs_action) || any_action {
        let what = problems.check(
            "action_what",
            ActionText::parse(input.action_what),
            Problem::from,
        );
        let when = date_field(&mut problems, "action_when", input.action_when);
        let how = problems.check(
            "action_how",
            ActionText::parse(input.action_how),
            Problem::from,
        );
        let follow_up_on = date_field(&mut problems, "follow_up_on", input.follow_up_on);
        let follow_up_how = problems.check(
            "follow_up_how",
            ActionText::parse(input.follow_up_how),
            Problem::from,
        );
        if let (Some(when), Some(on)) = (when, follow_up_on)
            && on < when
        {
            problems.add("follow_up_on", Problem::FollowUpBeforeAction);
        }
        match (what, when, how, follow_up_on, follow_up_how) {
            (Some(what), Some(when), Some(how), Some(follow_up_on), Some(follow_up_how)) => {
                Some(Action {
                    what: what.into_inner(),
                    when,
                    how: how.into_inner(),
                    follow_up_on,
                    follow_up_how: follow_up_how.into_inner(),
                })
            }
            _ => None,
        }
    } else {
        None
    };
    problems.into_result()?;
    let (Some(phrasing), Some(text)) = (phrasing, text) else {
        return Err(AppError::Internal);
    };
    let (from, to) = days_of(opened, month, today);
    let body = review_entry_text(&period_text(from, to), text.as_str(), action.as_ref());
    let now = super::now();
    let entry = journal_entries::ActiveModel {
        public_id: Set(super::ids::public_id()),
        case_file_id: Set(opened.file.id),
        author_id: Set(user.id),
        event_date: Set(today),
        category: Set(EntryCategory::MonthlyReview.as_str().to_owned()),
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
    let inserted = monthly_reviews::ActiveModel {
        case_file_id: Set(opened.file.id),
        month: Set(month.to_string()),
        phrasing: Set(phrasing.as_str().to_owned()),
        journal_entry_id: Set(entry.id),
        signed_by: Set(user.id),
        signed_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await;
    match inserted {
        Ok(_) => {}
        // Someone signed the same month a moment ago: nothing of this one is kept.
        Err(e) if is_unique_violation(&e) => {
            return Err(AppError::field("month", Problem::MonthDone));
        }
        Err(e) => return Err(e.into()),
    }
    Ok(month)
}

/// Whether the file's service has a plan (the motivation group has none).
async fn has_plan(db: &impl ConnectionTrait, opened: &OpenedFile) -> Result<bool, AppError> {
    let assignment = assignments::Entity::find_by_id(opened.file.assignment_id)
        .one(db)
        .await?
        .ok_or_else(|| super::internal("file without assignment"))?;
    Ok(ServiceType::parse(&assignment.service_type).is_ok_and(ServiceType::needs_plan))
}

/// The plan version in force at the end of the month's days, with its number and goals
/// (top-level goals: the report is brief), or `None` for a file without a plan.
fn plan_in_force(periods: &[(i32, PeriodView)], to: NaiveDate) -> Option<(i32, &PeriodView)> {
    periods
        .iter()
        .rev()
        .find(|(_, p)| p.valid_from <= to)
        .map(|(id, p)| (*id, p))
}

async fn deviations_in(
    db: &impl ConnectionTrait,
    opened: &OpenedFile,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<u64, AppError> {
    Ok(journal_entries::Entity::find()
        .filter(journal_entries::Column::CaseFileId.eq(opened.file.id))
        .filter(journal_entries::Column::Status.eq("signed"))
        .filter(journal_entries::Column::Category.eq(EntryCategory::Deviation.as_str()))
        .filter(journal_entries::Column::EventDate.gte(from))
        .filter(journal_entries::Column::EventDate.lte(to))
        .count(db)
        .await?)
}

/// The monthly report page of `month`: the signed report, or what the form needs.
pub async fn report_view(
    db: &impl ConnectionTrait,
    opened: &OpenedFile,
    month: YearMonth,
    today: NaiveDate,
) -> Result<ReportPage, AppError> {
    let head = header(db, opened).await?;
    let (from, to) = days_of(opened, month, today);
    let reports = monthly_reports::Entity::find()
        .filter(monthly_reports::Column::CaseFileId.eq(opened.file.id))
        .all(db)
        .await?;
    let done: BTreeSet<String> = reports.iter().map(|r| r.month.clone()).collect();
    let all_periods = periods(db, &opened.file).await?;
    let report = reports.into_iter().find(|r| r.month == month.to_string());
    let (plan_period, goals, signed) = match report {
        Some(r) => {
            let goal_rows = monthly_report_goals::Entity::find()
                .filter(monthly_report_goals::Column::ReportId.eq(r.id))
                .order_by_asc(monthly_report_goals::Column::Position)
                .all(db)
                .await?;
            let public: HashMap<i32, String> = goals::Entity::find()
                .filter(goals::Column::Id.is_in(goal_rows.iter().map(|g| g.goal_id)))
                .all(db)
                .await?
                .into_iter()
                .map(|g| (g.id, g.public_id))
                .collect();
            let names = user_names(db, [r.signed_by]).await?;
            let period = r.plan_version_id.and_then(|v| {
                all_periods
                    .iter()
                    .find(|(id, _)| *id == v)
                    .map(|(_, p)| (p.number, p.valid_from))
            });
            let goals = goal_rows
                .into_iter()
                .map(|g| ReportGoalView {
                    goal_id: public.get(&g.goal_id).cloned().unwrap_or_default(),
                    title: g.goal_title,
                    evaluation: g.evaluation,
                })
                .collect();
            let signed = SignedReportView {
                evaluation: r.evaluation,
                events: r.events,
                deviation_actions: r.deviation_actions,
                client_copy: r.client_copy,
                secretary_name: r.secretary_name,
                secretary_unit: r.secretary_unit,
                signed_by: names.get(&r.signed_by).cloned().unwrap_or_default(),
                signed_on: super::swedish(r.signed_at).date(),
            };
            (period, goals, Some(signed))
        }
        None => {
            let plan = if has_plan(db, opened).await? {
                plan_in_force(&all_periods, to)
            } else {
                None
            };
            let goals = plan
                .map(|(_, p)| {
                    p.goals
                        .iter()
                        .filter(|g| g.parent.is_none())
                        .map(|g| ReportGoalView {
                            goal_id: g.goal_id.clone(),
                            title: g.title.clone(),
                            evaluation: String::new(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            (plan.map(|(_, p)| (p.number, p.valid_from)), goals, None)
        }
    };
    let deviations = deviations_in(db, opened, from, to).await?;
    Ok(ReportPage {
        may_sign: signed.is_none() && opened.check_writable().is_ok(),
        months: choices(opened, today, &done),
        month: month.to_string(),
        period: period_text(from, to),
        plan_period,
        goals,
        deviations_in_month: usize::try_from(deviations).unwrap_or(usize::MAX),
        signed,
        header: head,
    })
}

/// What the report form says. `goal_ids[i]` is evaluated by `evaluations[i]`.
pub struct ReportInput<'a> {
    pub month: &'a str,
    pub goal_ids: &'a [String],
    pub evaluations: &'a [String],
    pub evaluation: &'a str,
    pub events: &'a str,
    pub deviation_actions: &'a str,
    /// `yes` or `no`.
    pub client_copy: &'a str,
}

/// Signs the monthly report of a month: the evaluation of each goal of the plan version in
/// force (or one evaluation for a file without a plan), events of importance, the actions
/// taken at deviations, and whether the client wants a copy. One transaction; from then on
/// the report is read-only.
pub async fn sign_report(
    db: &impl ConnectionTrait,
    opened: &OpenedFile,
    user: &CurrentUser,
    input: &ReportInput<'_>,
    today: NaiveDate,
) -> Result<YearMonth, AppError> {
    opened.check_writable()?;
    let month = month_of(opened, Some(input.month), today)?;
    let (from, to) = days_of(opened, month, today);
    let mut problems = Problems::default();
    let done = monthly_reports::Entity::find()
        .filter(monthly_reports::Column::CaseFileId.eq(opened.file.id))
        .filter(monthly_reports::Column::Month.eq(month.to_string()))
        .count(db)
        .await?;
    if done > 0 {
        problems.add("month", Problem::MonthDone);
    }
    let all_periods = periods(db, &opened.file).await?;
    let plan = if has_plan(db, opened).await? {
        plan_in_force(&all_periods, to)
    } else {
        None
    };
    // Every goal of the plan in force is evaluated, each in its own words.
    let mut goal_evaluations = Vec::new();
    if let Some((_, period)) = plan {
        let goal_ids: HashMap<String, i32> = goals::Entity::find()
            .filter(goals::Column::PublicId.is_in(period.goals.iter().map(|g| g.goal_id.clone())))
            .all(db)
            .await?
            .into_iter()
            .map(|g| (g.public_id, g.id))
            .collect();
        for (i, goal) in period
            .goals
            .iter()
            .filter(|g| g.parent.is_none())
            .enumerate()
        {
            let field = format!("goal-{i}");
            let given = input
                .goal_ids
                .iter()
                .position(|id| *id == goal.goal_id)
                .and_then(|at| input.evaluations.get(at))
                .map(String::as_str)
                .unwrap_or_default();
            if let (Some(text), Some(id)) = (
                problems.check(&field, GoalEvaluation::parse(given), Problem::from),
                goal_ids.get(&goal.goal_id),
            ) {
                goal_evaluations.push((*id, goal.title.clone(), text.into_inner()));
            }
        }
    }
    let evaluation = if plan.is_none() {
        problems
            .check(
                "evaluation",
                ReportText::parse(input.evaluation),
                Problem::from,
            )
            .map(|t| Some(t.into_inner()))
    } else {
        Some(None)
    };
    let events = problems.check("events", ReportText::parse(input.events), Problem::from);
    // routine: "åtgärder som vidtagits vid avvikelser" — required when the month had any.
    let deviations = deviations_in(db, opened, from, to).await?;
    let deviation_actions = if deviations > 0 || !input.deviation_actions.trim().is_empty() {
        problems
            .check(
                "deviation_actions",
                ReportText::parse(input.deviation_actions),
                Problem::from,
            )
            .map(|t| Some(t.into_inner()))
    } else {
        Some(None)
    };
    let client_copy = match input.client_copy {
        "yes" => Some(true),
        "no" => Some(false),
        _ => {
            problems.add("client_copy", Problem::ChooseOne);
            None
        }
    };
    problems.into_result()?;
    let (Some(evaluation), Some(events), Some(deviation_actions), Some(client_copy)) =
        (evaluation, events, deviation_actions, client_copy)
    else {
        return Err(AppError::Internal);
    };
    let assignment = assignments::Entity::find_by_id(opened.file.assignment_id)
        .one(db)
        .await?
        .ok_or_else(|| super::internal("file without assignment"))?;
    let inserted = monthly_reports::ActiveModel {
        case_file_id: Set(opened.file.id),
        month: Set(month.to_string()),
        plan_version_id: Set(plan.map(|(id, _)| id)),
        evaluation: Set(evaluation),
        events: Set(events.into_inner()),
        deviation_actions: Set(deviation_actions),
        client_copy: Set(client_copy),
        secretary_name: Set(assignment.secretary_name),
        secretary_unit: Set(assignment.secretary_unit),
        signed_by: Set(user.id),
        signed_at: Set(super::now()),
        ..Default::default()
    }
    .insert(db)
    .await;
    let report = match inserted {
        Ok(r) => r,
        Err(e) if is_unique_violation(&e) => {
            return Err(AppError::field("month", Problem::MonthDone));
        }
        Err(e) => return Err(e.into()),
    };
    if !goal_evaluations.is_empty() {
        monthly_report_goals::Entity::insert_many(goal_evaluations.into_iter().enumerate().map(
            |(position, (goal_id, title, evaluation))| monthly_report_goals::ActiveModel {
                report_id: Set(report.id),
                goal_id: Set(goal_id),
                position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
                goal_title: Set(title),
                evaluation: Set(evaluation),
            },
        ))
        .exec_without_returning(db)
        .await?;
    }
    Ok(month)
}
