//! The journal as staff, manager and administrator meet it: need-to-know,
//! the access log, drafts, signing, corrections and bad input.

use crate::common::{TestDb, TestServer, call_json, login};
use akta_server::demo::{DEMO_PASSWORD, Options, generate};
use app::error::{AppError, Problem};
use app::server::entities::{
    access_log, care_team, case_files, goals, journal_entries, plan_versions, users,
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

fn error_of(body: &str) -> AppError {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not an AppError ({e}): {body}"))
}

/// A demo unit; returns an open file with a plan, its contact person's username,
/// and a staff member who is not on its care team.
async fn setup(db: &TestDb) -> (case_files::Model, String, String) {
    generate(
        &db.db,
        Options {
            seed: 11,
            clients: 30,
            today: app::server::today(),
        },
    )
    .await
    .expect("demo");
    let with_plan: Vec<i32> = plan_versions::Entity::find()
        .all(&db.db)
        .await
        .expect("plans")
        .into_iter()
        .map(|p| p.case_file_id)
        .collect();
    let file = case_files::Entity::find()
        .filter(case_files::Column::ClosedOn.is_null())
        .filter(case_files::Column::Id.is_in(with_plan))
        .order_by_asc(case_files::Column::Id)
        .one(&db.db)
        .await
        .expect("query")
        .expect("an open file with a plan");
    let team: Vec<i32> = care_team::Entity::find()
        .filter(care_team::Column::CaseFileId.eq(file.id))
        .all(&db.db)
        .await
        .expect("team")
        .into_iter()
        .map(|t| t.user_id)
        .chain([file.contact_person_id])
        .collect();
    let staff = users::Entity::find()
        .filter(users::Column::Role.eq("staff"))
        .order_by_asc(users::Column::Id)
        .all(&db.db)
        .await
        .expect("users");
    let contact = staff
        .iter()
        .find(|u| u.id == file.contact_person_id)
        .expect("contact")
        .username
        .clone();
    let outsider = staff
        .iter()
        .find(|u| !team.contains(&u.id))
        .expect("outsider")
        .username
        .clone();
    (file, contact, outsider)
}

fn view_args(file: &str) -> Value {
    json!({ "file": file, "filter": { "category": null, "goal": null, "period": null, "page": 0 } })
}

fn entry_args(file: &str, entry: Option<&str>, date: &str, body: &str, goals: &[String]) -> Value {
    json!({ "file": file, "entry": entry, "event_date": date, "category": "event", "body": body, "goals": goals })
}

async fn logged_in(server: &TestServer, username: &str) -> reqwest::Client {
    let client = TestServer::client();
    assert!(
        login(&client, server, username, DEMO_PASSWORD).await < 400,
        "login {username}"
    );
    client
}

async fn reads_are_need_to_know_and_logged(db: &TestDb) {
    let (file, contact, outsider) = setup(db).await;
    let server = TestServer::start(&db.db).await;
    let reads = || async {
        access_log::Entity::find()
            .filter(access_log::Column::Action.eq("read_journal"))
            .filter(access_log::Column::CaseFileId.eq(file.id))
            .count(&db.db)
            .await
            .expect("count")
    };
    assert_eq!(reads().await, 0);

    let staff = logged_in(&server, &contact).await;
    let (status, body) = call_json(
        &staff,
        &server,
        "/api/journal/view",
        &view_args(&file.public_id),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let view: app::model::FileJournal = serde_json::from_str(&body).expect("view");
    assert!(view.may_write);
    assert!(!view.periods.is_empty());
    assert!(view.entries.total > 0);
    assert_eq!(reads().await, 1, "the read was not logged");

    // Not on the care team: the file does not exist for them.
    let other = logged_in(&server, &outsider).await;
    let (_, body) = call_json(
        &other,
        &server,
        "/api/journal/view",
        &view_args(&file.public_id),
    )
    .await;
    assert_eq!(error_of(&body), AppError::NotFound);
    assert_eq!(reads().await, 1);

    // The manager sees every file of the unit, but does not write in it.
    let manager = logged_in(&server, "chef").await;
    let (status, body) = call_json(
        &manager,
        &server,
        "/api/journal/view",
        &view_args(&file.public_id),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let view: app::model::FileJournal = serde_json::from_str(&body).expect("view");
    assert!(!view.may_write);
    assert_eq!(reads().await, 2);

    // The administrator reads no files.
    let admin = logged_in(&server, "admin").await;
    let (_, body) = call_json(
        &admin,
        &server,
        "/api/journal/view",
        &view_args(&file.public_id),
    )
    .await;
    assert_eq!(error_of(&body), AppError::Forbidden);
}

async fn drafts_are_private_and_signing_makes_them_permanent(db: &TestDb) {
    let (file, contact, _) = setup(db).await;
    let server = TestServer::start(&db.db).await;
    let staff = logged_in(&server, &contact).await;
    let today = app::server::today().to_string();

    let (status, body) = call_json(
        &staff,
        &server,
        "/api/journal/save_draft",
        &entry_args(&file.public_id, None, &today, "Första", &[]),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let saved: app::model::DraftSaved = serde_json::from_str(&body).expect("saved");
    // Autosave again into the same draft.
    let (status, _) = call_json(
        &staff,
        &server,
        "/api/journal/save_draft",
        &entry_args(
            &file.public_id,
            Some(&saved.entry_id),
            &today,
            "Första utkastet, längre",
            &[],
        ),
    )
    .await;
    assert_eq!(status, 200);
    let drafts = journal_entries::Entity::find()
        .filter(journal_entries::Column::CaseFileId.eq(file.id))
        .filter(journal_entries::Column::Status.eq("draft"))
        .filter(journal_entries::Column::PublicId.eq(saved.entry_id.clone()))
        .all(&db.db)
        .await
        .expect("drafts");
    assert_eq!(drafts.len(), 1);
    assert_eq!(drafts[0].body, "Första utkastet, längre");

    // The manager can read the file but not the draft.
    let manager = logged_in(&server, "chef").await;
    let (_, body) = call_json(
        &manager,
        &server,
        "/api/journal/view",
        &view_args(&file.public_id),
    )
    .await;
    let view: app::model::FileJournal = serde_json::from_str(&body).expect("view");
    assert!(view.drafts.is_empty());
    assert!(
        view.entries
            .rows
            .iter()
            .all(|e| e.entry_id != saved.entry_id)
    );
    let (_, body) = call_json(
        &staff,
        &server,
        "/api/journal/view",
        &view_args(&file.public_id),
    )
    .await;
    let view: app::model::FileJournal = serde_json::from_str(&body).expect("view");
    // The demo leaves drafts of its own on some files: this one is there once,
    // and every draft shown is the user's own.
    assert_eq!(
        view.drafts
            .iter()
            .filter(|d| d.entry_id == saved.entry_id)
            .count(),
        1
    );
    let mine = view
        .drafts
        .iter()
        .find(|d| d.entry_id == saved.entry_id)
        .expect("the saved draft");
    assert!(
        view.drafts
            .iter()
            .all(|d| d.author == mine.author && !d.signed)
    );

    // Sign, with a goal of the plan in force today.
    let version = plan_versions::Entity::find()
        .filter(plan_versions::Column::CaseFileId.eq(file.id))
        .order_by_desc(plan_versions::Column::ValidFrom)
        .one(&db.db)
        .await
        .expect("plan")
        .expect("plan");
    let goal = goals::Entity::find()
        .filter(goals::Column::PlanVersionId.eq(version.id))
        .one(&db.db)
        .await
        .expect("goal")
        .expect("goal");
    let (status, body) = call_json(
        &staff,
        &server,
        "/api/journal/sign",
        &entry_args(
            &file.public_id,
            Some(&saved.entry_id),
            &today,
            "Klienten följer planen.",
            std::slice::from_ref(&goal.public_id),
        ),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let signed = journal_entries::Entity::find()
        .filter(journal_entries::Column::PublicId.eq(saved.entry_id.clone()))
        .one(&db.db)
        .await
        .expect("q")
        .expect("entry");
    assert_eq!(signed.status, "signed");
    assert!(signed.signed_at.is_some());
    // A signed entry is no draft any more: it cannot be saved over or discarded.
    let (_, body) = call_json(
        &staff,
        &server,
        "/api/journal/save_draft",
        &entry_args(
            &file.public_id,
            Some(&saved.entry_id),
            &today,
            "ändrad",
            &[],
        ),
    )
    .await;
    assert_eq!(error_of(&body), AppError::NotFound);
    let (_, body) = call_json(
        &staff,
        &server,
        "/api/journal/discard_draft",
        &json!({ "file": file.public_id, "entry": saved.entry_id }),
    )
    .await;
    assert_eq!(error_of(&body), AppError::NotFound);

    let (_, body) = call_json(
        &staff,
        &server,
        "/api/journal/view",
        &view_args(&file.public_id),
    )
    .await;
    let view: app::model::FileJournal = serde_json::from_str(&body).expect("view");
    let shown = view
        .entries
        .rows
        .iter()
        .find(|e| e.entry_id == saved.entry_id)
        .expect("signed entry is listed");
    assert_eq!(
        shown.goals,
        vec![(goal.public_id.clone(), goal.title.clone())]
    );
    assert_eq!(shown.period, Some(view.periods.len() as u32));

    // A correction is a new entry; the original stays and is marked.
    let (status, body) = call_json(&staff, &server, "/api/journal/correct", &json!({ "file": file.public_id, "entry": saved.entry_id, "body": "Klienten följer planen. Rättat datum för samtalet.", "reason": "Fel datum för samtalet" })).await;
    assert_eq!(status, 200, "{body}");
    let correction: String = serde_json::from_str(&body).expect("id");
    let (_, body) = call_json(
        &staff,
        &server,
        "/api/journal/view",
        &view_args(&file.public_id),
    )
    .await;
    let view: app::model::FileJournal = serde_json::from_str(&body).expect("view");
    let original = view
        .entries
        .rows
        .iter()
        .find(|e| e.entry_id == saved.entry_id)
        .expect("original still listed");
    assert_eq!(original.body, "Klienten följer planen.");
    assert_eq!(original.corrected_by, vec![correction.clone()]);
    let fix = view
        .entries
        .rows
        .iter()
        .find(|e| e.entry_id == correction)
        .expect("correction listed");
    assert_eq!(fix.corrects.as_deref(), Some(saved.entry_id.as_str()));
    assert_eq!(
        fix.correction_reason.as_deref(),
        Some("Fel datum för samtalet")
    );
}

async fn bad_input_is_refused_and_nothing_is_stored(db: &TestDb) {
    let (file, contact, outsider) = setup(db).await;
    let server = TestServer::start(&db.db).await;
    let staff = logged_in(&server, &contact).await;
    let count = || async {
        journal_entries::Entity::find()
            .filter(journal_entries::Column::CaseFileId.eq(file.id))
            .count(&db.db)
            .await
            .expect("count")
    };
    let before = count().await;
    let today = app::server::today();
    let tomorrow = (today + chrono::Duration::days(1)).to_string();
    let cases = [
        (
            entry_args(&file.public_id, None, &today.to_string(), "   ", &[]),
            "body",
            Problem::Empty,
        ),
        (
            entry_args(&file.public_id, None, &tomorrow, "Text", &[]),
            "event_date",
            Problem::DateInFuture,
        ),
        (
            entry_args(&file.public_id, None, "1999-01-01", "Text", &[]),
            "event_date",
            Problem::DateBeforeStart,
        ),
        (
            entry_args(&file.public_id, None, "igår", "Text", &[]),
            "event_date",
            Problem::InvalidDate,
        ),
        (
            entry_args(
                &file.public_id,
                None,
                &today.to_string(),
                &"x".repeat(4001),
                &[],
            ),
            "body",
            Problem::TooLong { max: 4000 },
        ),
    ];
    for (args, field, problem) in cases {
        let (status, body) = call_json(&staff, &server, "/api/journal/sign", &args).await;
        assert!(status >= 400);
        assert_eq!(error_of(&body).problem_for(field), Some(problem), "{body}");
    }
    // A goal from another file's plan.
    let foreign = goals::Entity::find()
        .filter(
            goals::Column::PlanVersionId.is_not_in(
                plan_versions::Entity::find()
                    .filter(plan_versions::Column::CaseFileId.eq(file.id))
                    .all(&db.db)
                    .await
                    .expect("v")
                    .into_iter()
                    .map(|v| v.id),
            ),
        )
        .one(&db.db)
        .await
        .expect("q")
        .expect("a goal of another file");
    let (_, body) = call_json(
        &staff,
        &server,
        "/api/journal/sign",
        &entry_args(
            &file.public_id,
            None,
            &today.to_string(),
            "Text",
            &[foreign.public_id],
        ),
    )
    .await;
    assert_eq!(
        error_of(&body).problem_for("goals"),
        Some(Problem::GoalNotInPeriod)
    );
    // Someone outside the care team cannot write.
    let other = logged_in(&server, &outsider).await;
    let (_, body) = call_json(
        &other,
        &server,
        "/api/journal/sign",
        &entry_args(&file.public_id, None, &today.to_string(), "Text", &[]),
    )
    .await;
    assert_eq!(error_of(&body), AppError::NotFound);
    // The manager reads but does not write.
    let manager = logged_in(&server, "chef").await;
    let (_, body) = call_json(
        &manager,
        &server,
        "/api/journal/sign",
        &entry_args(&file.public_id, None, &today.to_string(), "Text", &[]),
    )
    .await;
    assert_eq!(error_of(&body), AppError::Forbidden);
    // Every journal server function, for everyone without the right to it.
    let day = today.to_string();
    let calls = [
        (
            "/api/journal/save_draft",
            entry_args(&file.public_id, None, &day, "Text", &[]),
        ),
        (
            "/api/journal/sign",
            entry_args(&file.public_id, None, &day, "Text", &[]),
        ),
        (
            "/api/journal/correct",
            json!({ "file": file.public_id, "entry": "x", "body": "Text", "reason": "Skäl" }),
        ),
        (
            "/api/journal/discard_draft",
            json!({ "file": file.public_id, "entry": "x" }),
        ),
        ("/api/journal/view", view_args(&file.public_id)),
    ];
    let admin = logged_in(&server, "admin").await;
    for (path, args) in &calls {
        let (status, body) = call_json(&other, &server, path, args).await;
        assert!(status >= 400, "{path}");
        assert_eq!(error_of(&body), AppError::NotFound, "outsider: {path}");
        let (status, body) = call_json(&admin, &server, path, args).await;
        assert!(status >= 400, "{path}");
        assert_eq!(error_of(&body), AppError::Forbidden, "admin: {path}");
        if *path != "/api/journal/view" {
            let (status, body) = call_json(&manager, &server, path, args).await;
            assert!(status >= 400, "{path}");
            let error = error_of(&body);
            // The manager has no drafts to discard: there is nothing to find.
            assert!(
                matches!(error, AppError::Forbidden | AppError::NotFound),
                "manager: {path}: {error:?}"
            );
        }
    }
    assert_eq!(
        count().await,
        before,
        "a refused entry left something behind"
    );
}

async fn closed_files_are_read_only(db: &TestDb) {
    generate(
        &db.db,
        Options {
            seed: 5,
            clients: 40,
            today: app::server::today(),
        },
    )
    .await
    .expect("demo");
    let file = case_files::Entity::find()
        .filter(case_files::Column::ClosedOn.is_not_null())
        .one(&db.db)
        .await
        .expect("q")
        .expect("a closed file");
    let contact = users::Entity::find_by_id(file.contact_person_id)
        .one(&db.db)
        .await
        .expect("q")
        .expect("user");
    let server = TestServer::start(&db.db).await;
    let staff = logged_in(&server, &contact.username).await;
    let (_, body) = call_json(
        &staff,
        &server,
        "/api/journal/view",
        &view_args(&file.public_id),
    )
    .await;
    let view: app::model::FileJournal = serde_json::from_str(&body).expect("view");
    assert!(!view.may_write);
    let date = file.closed_on.expect("closed").to_string();
    let (_, body) = call_json(
        &staff,
        &server,
        "/api/journal/save_draft",
        &entry_args(&file.public_id, None, &date, "Text", &[]),
    )
    .await;
    assert_eq!(error_of(&body), AppError::FileClosed);
}

async fn filters_and_pages_the_journal(db: &TestDb) {
    let (file, contact, _) = setup(db).await;
    let server = TestServer::start(&db.db).await;
    let staff = logged_in(&server, &contact).await;
    let (_, body) = call_json(
        &staff,
        &server,
        "/api/journal/view",
        &view_args(&file.public_id),
    )
    .await;
    let all: app::model::FileJournal = serde_json::from_str(&body).expect("view");
    assert!(all.entries.rows.len() <= 20);
    assert!(
        all.entries
            .rows
            .windows(2)
            .all(|w| w[0].event_date >= w[1].event_date),
        "newest first"
    );
    let (_, body) = call_json(&staff, &server, "/api/journal/view", &json!({ "file": file.public_id, "filter": { "category": "weekly_note", "goal": null, "period": 1, "page": 0 } })).await;
    let filtered: app::model::FileJournal = serde_json::from_str(&body).expect("view");
    let first = &all.periods[0];
    for e in &filtered.entries.rows {
        assert_eq!(e.category, "weekly_note");
        assert_eq!(e.period, Some(1));
        assert!(
            e.event_date >= first.valid_from && first.valid_to.is_none_or(|to| e.event_date <= to)
        );
    }
    let goal = first.goals[0].goal_id.clone();
    let (_, body) = call_json(&staff, &server, "/api/journal/view", &json!({ "file": file.public_id, "filter": { "category": null, "goal": goal, "period": null, "page": 0 } })).await;
    let by_goal: app::model::FileJournal = serde_json::from_str(&body).expect("view");
    assert!(
        by_goal
            .entries
            .rows
            .iter()
            .all(|e| e.goals.iter().any(|(id, _)| *id == goal))
    );
    if all.entries.total > 20 {
        let (_, body) = call_json(&staff, &server, "/api/journal/view", &json!({ "file": file.public_id, "filter": { "category": null, "goal": null, "period": null, "page": 1 } })).await;
        let second: app::model::FileJournal = serde_json::from_str(&body).expect("view");
        assert_eq!(second.entries.page, 1);
        assert!(
            second.entries.rows[0].event_date <= all.entries.rows.last().expect("row").event_date
        );
    }
}

on_both_backends! {
    journal_reads_are_need_to_know_and_logged => reads_are_need_to_know_and_logged;
    journal_drafts_private_signing_permanent => drafts_are_private_and_signing_makes_them_permanent;
    journal_bad_input_refused => bad_input_is_refused_and_nothing_is_stored;
    journal_closed_files_read_only => closed_files_are_read_only;
    journal_filters_and_pages => filters_and_pages_the_journal;
}
