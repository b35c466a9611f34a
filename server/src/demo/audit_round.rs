//! Last year's file audit in the demo unit: a closed round in which every reviewer
//! submitted, answers drawn at random (a second review mostly agrees with the first),
//! recommendations beside the "no" and "partly" answers, and the contact persons'
//! actions on about half of those findings (some done, some planned, some late), so
//! the results, the agreement of double reviews, the findings and this year's
//! "last review" beside the checklist all have data.

use super::{DEMO_USERS, DemoError, at_noon};
use akta_domain::checklist::{Answer, DEFAULT_ITEMS, Judgement};
use app::model::audit::RoundStatus;
use app::server::entities::{
    audit_actions, audit_answers, audit_assignments, audit_judgements, audit_rounds, case_files,
    users,
};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use std::collections::HashMap;

const RECOMMENDATIONS: &[&str] = &[
    "Skriv in i planen vem som gör vad och när.",
    "Koppla anteckningarna till målen de handlar om.",
    "Dokumentera minst en gång i veckan, även korta kontakter.",
    "Följ upp målen med klienten varje månad och skriv vad klienten säger.",
    "Skriv klientens egen syn på insatsen i planen.",
];

const ACTIONS: &[&str] = &[
    "Planen ses över med klienten vid nästa samtal.",
    "Jag kopplar anteckningarna till målen från och med nu.",
    "Veckoanteckning varje fredag, påminnelse i kalendern.",
    "Måldialog inbokad med klienten.",
];

/// Makes the round (nothing when no pairing is possible); returns the number of reviews.
pub(super) async fn last_years_audit(
    db: &DatabaseConnection,
    rng: &mut ChaCha8Rng,
    today: NaiveDate,
) -> Result<usize, DemoError> {
    let year = today.year() - 1;
    let seed = rng.random::<u64>() >> 1;
    let staff: Vec<i32> = (3..=DEMO_USERS.len() as i32).collect();
    let at = at_noon(NaiveDate::from_ymd_opt(year, 12, 10).unwrap_or(today));
    // Recommendations and actions from a generator of their own: the answers draw
    // from the demo's, as before they existed, so the rest of the demo is unchanged.
    let mut extra = ChaCha8Rng::seed_from_u64(seed ^ 0x00ac_7105);
    closed_round(db, rng, &mut extra, year, seed, 2, &staff, today, at)
        .await
        .map_err(|e| DemoError::Db(sea_orm::DbErr::Custom(format!("audit round: {e}"))))
}

fn random_answer(rng: &mut ChaCha8Rng) -> Answer {
    match rng.random_range(0..20) {
        0..=11 => Answer::Yes,
        12..=15 => Answer::Partly,
        16..=17 => Answer::No,
        _ => Answer::NotApplicable,
    }
}

#[allow(clippy::too_many_arguments)]
async fn closed_round(
    db: &DatabaseConnection,
    rng: &mut ChaCha8Rng,
    extra: &mut ChaCha8Rng,
    year: i32,
    seed: u64,
    created_by: i32,
    reviewer_ids: &[i32],
    today: NaiveDate,
    at: DateTime<Utc>,
) -> Result<usize, app::error::AppError> {
    use app::server::audit;
    let reviewers = users::Entity::find()
        .filter(users::Column::Id.is_in(reviewer_ids.iter().copied()))
        .all(db)
        .await?;
    // Two files of each contact person, four of them reviewed twice if there is room.
    let drawn = match audit::demo_draw(db, year, 2, 4, &reviewers, seed).await? {
        Some(drawn) => drawn,
        None => match audit::demo_draw(db, year, 2, 0, &reviewers, seed).await? {
            Some(drawn) => drawn,
            None => return Ok(0),
        },
    };
    let contact: HashMap<i32, i32> = case_files::Entity::find()
        .filter(case_files::Column::Id.is_in(drawn.pairs.iter().map(|p| p.file)))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f.contact_person_id))
        .collect();
    let second_reviews = drawn.pairs.iter().filter(|d| d.second).count();
    let txn = app::server::db::begin_write(db).await?;
    let round = audit_rounds::ActiveModel {
        public_id: Set(app::server::ids::public_id()),
        year: Set(year),
        due_on: Set(NaiveDate::from_ymd_opt(year, 12, 15).unwrap_or_default()),
        seed: Set((seed & i64::MAX as u64) as i64),
        status: Set(RoundStatus::Closed),
        sample_per_contact: Set(Some(2)),
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
    audit::insert_checklist_and_reviewers(&txn, round.id, &reviewers).await?;
    let mut answers = Vec::new();
    let mut judgements = Vec::new();
    let mut actions = Vec::new();
    // The first review's answers of each file and period, so a second review agrees
    // mostly (as two careful reviewers would) but not always.
    let mut first_answers: HashMap<(i32, i32, &str), Answer> = HashMap::new();
    let mut disagree = 0u32;
    for d in &drawn.pairs {
        let a = audit_assignments::ActiveModel {
            public_id: Set(app::server::ids::public_id()),
            round_id: Set(round.id),
            case_file_id: Set(d.file),
            reviewer_id: Set(d.reviewer),
            second_review: Set(d.second),
            swap_reason: Set(None),
            started_at: Set(Some(at)),
            submitted_at: Set(Some(at)),
            reopen_reason: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for period in drawn
            .periods
            .get(&d.file)
            .into_iter()
            .flatten()
            .filter(|p| p.overlaps_year(year))
        {
            let mut worst = Answer::Yes;
            for item in DEFAULT_ITEMS.iter() {
                let fresh = random_answer(rng);
                let given = match first_answers.get(&(d.file, period.version_id, item.key)) {
                    Some(first) if d.second => {
                        disagree += 1;
                        if disagree.is_multiple_of(4) {
                            fresh
                        } else {
                            *first
                        }
                    }
                    _ => {
                        first_answers.insert((d.file, period.version_id, item.key), fresh);
                        fresh
                    }
                };
                if given.is_answered() && given > worst {
                    worst = given;
                }
                let finding = given.is_finding();
                let recommendation = if finding && !d.second {
                    RECOMMENDATIONS
                        .choose(extra)
                        .copied()
                        .unwrap_or_default()
                        .to_owned()
                } else {
                    String::new()
                };
                answers.push(audit_answers::ActiveModel {
                    assignment_id: Set(a.id),
                    plan_version_id: Set(period.version_id),
                    item_key: Set(item.key.to_owned()),
                    answer: Set(Some(given.as_str().to_owned())),
                    comment: Set(String::new()),
                    recommendation: Set(recommendation),
                    updated_at: Set(at),
                });
                // About half of the first reviews' findings have an action: a third of
                // those done in January, the rest due within the next weeks or late.
                if finding && !d.second && extra.random_bool(0.5) {
                    let by = contact.get(&d.file).copied().unwrap_or(created_by);
                    let (due_on, done_on) = match extra.random_range(0..3) {
                        0 => {
                            let done = NaiveDate::from_ymd_opt(year + 1, 1, 20).unwrap_or(today);
                            (Some(done), Some(done.min(today)))
                        }
                        1 => (
                            Some(today + Duration::days(extra.random_range(7..40))),
                            None,
                        ),
                        _ => (
                            Some(today - Duration::days(extra.random_range(3..30))),
                            None,
                        ),
                    };
                    actions.push(audit_actions::ActiveModel {
                        assignment_id: Set(a.id),
                        plan_version_id: Set(period.version_id),
                        item_key: Set(item.key.to_owned()),
                        case_file_id: Set(d.file),
                        reply: Set("Jag håller med.".to_owned()),
                        action: Set(ACTIONS
                            .choose(extra)
                            .copied()
                            .unwrap_or_default()
                            .to_owned()),
                        due_on: Set(due_on),
                        done_on: Set(done_on),
                        updated_by: Set(by),
                        updated_at: Set(at),
                        ..Default::default()
                    });
                }
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
    for chunk in actions.chunks(500) {
        audit_actions::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(drawn.pairs.len())
}
