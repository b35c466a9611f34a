#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The yearly peer file audit, against the real server and a demo unit: opening a
//! round (bad input stores nothing), the pairing's hard rules on real data, the
//! reviewer's access (only their files, only while the round is open, refusals
//! logged), autosave, submission, reopening, and the results.

mod common;

use akta_server::demo::{DEMO_PASSWORD, Options, generate};
use app::error::{AppError, PairingProblem, Problem};
use app::model::audit::{AuditOverview, AuditWorkspace, RoundView};
use app::server::entities::{
    access_log, audit_assignments, audit_rounds, care_team, case_files, journal_entries,
};
use chrono::{Datelike, Duration};
use common::{TestDb, TestServer, call, login, make_user};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::collections::HashMap;

fn error_of(body: &str) -> AppError {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not an AppError ({e}): {body}"))
}

fn today() -> chrono::NaiveDate {
    app::server::today()
}

fn year() -> String {
    today().year().to_string()
}

fn due() -> String {
    (today() + Duration::days(30)).to_string()
}

async fn demo_unit(db: &TestDb) {
    generate(
        &db.db,
        Options {
            seed: 2026,
            clients: 24,
            today: today(),
        },
    )
    .await
    .expect("demo");
}

async fn logged_in(server: &TestServer, username: &str) -> reqwest::Client {
    let client = TestServer::client();
    assert_eq!(login(&client, server, username, DEMO_PASSWORD).await, 200);
    client
}

const STAFF: [&str; 10] = [
    "anna", "johan", "sara", "omar", "lena", "peter", "maria", "ali", "karin", "nils",
];

/// Opens a round for this year with every staff member as reviewer; returns its id.
async fn open_round(chef: &reqwest::Client, server: &TestServer) -> String {
    let (y, d) = (year(), due());
    let mut form: Vec<(String, String)> = vec![
        ("year".into(), y),
        ("due_on".into(), d),
        ("scope".into(), "all".into()),
    ];
    for (i, name) in STAFF.iter().enumerate() {
        form.push((format!("reviewers[{i}]"), (*name).to_owned()));
    }
    let form: Vec<(&str, &str)> = form.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let (status, body) = call(chef, server, "/api/audit/open", &form).await;
    assert!(status < 400, "{status} {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

async fn round_view(chef: &reqwest::Client, server: &TestServer, round: &str) -> RoundView {
    let (status, body) = call(chef, server, "/api/audit/round", &[("round", round)]).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

async fn workspace(
    client: &reqwest::Client,
    server: &TestServer,
    assignment: &str,
) -> Result<AuditWorkspace, AppError> {
    let (status, body) = call(
        client,
        server,
        "/api/audit/workspace",
        &[("assignment", assignment)],
    )
    .await;
    if status == 200 {
        Ok(serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}")))
    } else {
        Err(error_of(&body))
    }
}

async fn log_count(db: &TestDb, action: &str) -> u64 {
    access_log::Entity::find()
        .filter(access_log::Column::Action.eq(action))
        .count(&db.db)
        .await
        .unwrap()
}

/// Rounds and assignments in the database (the demo holds last year's round).
async fn stored(db: &TestDb) -> (u64, u64) {
    (
        audit_rounds::Entity::find().count(&db.db).await.unwrap(),
        audit_assignments::Entity::find()
            .count(&db.db)
            .await
            .unwrap(),
    )
}

async fn bad_rounds_are_refused_and_store_nothing(db: &TestDb) {
    demo_unit(db).await;
    let before = stored(db).await;
    // The demo unit has last year's round, closed, with submitted reviews.
    assert_eq!(before.0, 1);
    assert!(before.1 > 0);
    let server = TestServer::start(&db.db).await;
    let chef = logged_in(&server, "chef").await;

    // No reviewers, a due date in the past, a year out of range: all at once.
    let past = (today() - Duration::days(1)).to_string();
    let (status, body) = call(
        &chef,
        &server,
        "/api/audit/open",
        &[("year", "1999"), ("due_on", &past), ("scope", "all")],
    )
    .await;
    assert!(status >= 400);
    let error = error_of(&body);
    assert_eq!(error.problem_for("reviewers"), Some(Problem::NoReviewers));
    assert_eq!(error.problem_for("due_on"), Some(Problem::DateInPast));
    assert_eq!(error.problem_for("year"), Some(Problem::InvalidYear));

    // A sample without a number; someone who is not staff as reviewer.
    let (y, d) = (year(), due());
    let (_, body) = call(
        &chef,
        &server,
        "/api/audit/open",
        &[
            ("year", &y),
            ("due_on", &d),
            ("scope", "sample"),
            ("sample", "0"),
            ("reviewers[0]", "chef"),
        ],
    )
    .await;
    let error = error_of(&body);
    assert_eq!(
        error.problem_for("sample"),
        Some(Problem::InvalidCount { max: 50 })
    );
    assert_eq!(error.problem_for("reviewers"), Some(Problem::InvalidStaff));

    // One reviewer who works in some files: those files have nobody, and are named.
    let (status, body) = call(
        &chef,
        &server,
        "/api/audit/open",
        &[
            ("year", &y),
            ("due_on", &d),
            ("scope", "all"),
            ("reviewers[0]", "anna"),
        ],
    )
    .await;
    assert!(status >= 400);
    match error_of(&body) {
        AppError::Pairing(PairingProblem::FilesWithoutReviewer { files }) => {
            assert!(!files.is_empty());
            assert!(files.iter().all(|f| !f.is_empty()), "{files:?}");
        }
        other => panic!("expected a pairing explanation, got {other:?}"),
    }
    assert_eq!(stored(db).await, before);

    // Staff may not open rounds; administrators not even read them. Both logged.
    let refused_before = log_count(db, "refused").await;
    let anna = logged_in(&server, "anna").await;
    let (_, body) = call(
        &anna,
        &server,
        "/api/audit/open",
        &[
            ("year", &y),
            ("due_on", &d),
            ("scope", "all"),
            ("reviewers[0]", "johan"),
        ],
    )
    .await;
    assert_eq!(error_of(&body), AppError::Forbidden);
    let admin = logged_in(&server, "admin").await;
    let (_, body) = call(&admin, &server, "/api/audit/overview", &[]).await;
    assert_eq!(error_of(&body), AppError::Forbidden);
    assert_eq!(log_count(db, "refused").await, refused_before + 2);
    assert_eq!(stored(db).await, before);

    // A round for a year is opened once.
    let round = open_round(&chef, &server).await;
    assert!(!round.is_empty());
    let (_, body) = call(
        &chef,
        &server,
        "/api/audit/open",
        &[
            ("year", &y),
            ("due_on", &d),
            ("scope", "all"),
            ("reviewers[0]", "johan"),
        ],
    )
    .await;
    assert_eq!(
        error_of(&body).problem_for("year"),
        Some(Problem::RoundExists)
    );
    assert_eq!(stored(db).await.0, before.0 + 1);
}

async fn a_unit_without_files_has_nothing_to_audit(db: &TestDb) {
    make_user(&db.db, "chef", "manager", DEMO_PASSWORD).await;
    make_user(&db.db, "anna", "staff", DEMO_PASSWORD).await;
    let server = TestServer::start(&db.db).await;
    let chef = logged_in(&server, "chef").await;
    let (y, d) = (year(), due());
    let (_, body) = call(
        &chef,
        &server,
        "/api/audit/open",
        &[
            ("year", &y),
            ("due_on", &d),
            ("scope", "all"),
            ("reviewers[0]", "anna"),
        ],
    )
    .await;
    assert_eq!(
        error_of(&body).problem_for("year"),
        Some(Problem::NoFilesInScope),
        "{body}"
    );
    assert_eq!(stored(db).await, (0, 0));
}

/// Checks the hard rules against the database itself.
async fn assert_pairing_obeys_the_rules(db: &TestDb, round: &str) {
    let round = audit_rounds::Entity::find()
        .filter(audit_rounds::Column::PublicId.eq(round))
        .one(&db.db)
        .await
        .unwrap()
        .unwrap();
    let pairs = audit_assignments::Entity::find()
        .filter(audit_assignments::Column::RoundId.eq(round.id))
        .all(&db.db)
        .await
        .unwrap();
    assert!(!pairs.is_empty());
    let mut loads: HashMap<i32, usize> = HashMap::new();
    for a in &pairs {
        *loads.entry(a.reviewer_id).or_default() += 1;
        let file = case_files::Entity::find_by_id(a.case_file_id)
            .one(&db.db)
            .await
            .unwrap()
            .unwrap();
        assert_ne!(file.contact_person_id, a.reviewer_id, "contact person");
        assert!(
            care_team::Entity::find_by_id((file.id, a.reviewer_id))
                .one(&db.db)
                .await
                .unwrap()
                .is_none(),
            "co-worker"
        );
        assert_eq!(
            journal_entries::Entity::find()
                .filter(journal_entries::Column::CaseFileId.eq(file.id))
                .filter(journal_entries::Column::AuthorId.eq(a.reviewer_id))
                .count(&db.db)
                .await
                .unwrap(),
            0,
            "author"
        );
    }
    assert_eq!(loads.len(), STAFF.len().min(pairs.len()));
    let (min, max) = (
        loads.values().min().copied().unwrap(),
        loads.values().max().copied().unwrap(),
    );
    assert!(max - min <= 1, "loads {loads:?}");
}

async fn pairing_follows_the_rules_and_reviewers_read_only_their_files(db: &TestDb) {
    demo_unit(db).await;
    let server = TestServer::start(&db.db).await;
    let chef = logged_in(&server, "chef").await;
    let round = open_round(&chef, &server).await;
    assert_pairing_obeys_the_rules(db, &round).await;
    let draft = round_view(&chef, &server, &round).await;
    assert_eq!(draft.status, "draft");

    // Before publishing, reviewers see nothing and cannot open their files.
    let first = draft.assignments[0].clone();
    let reviewer = logged_in(&server, &first.reviewer.username).await;
    let (_, body) = call(&reviewer, &server, "/api/audit/overview", &[]).await;
    let overview: AuditOverview = serde_json::from_str(&body).unwrap();
    assert!(overview.mine.is_empty());
    let refused = log_count(db, "refused").await;
    assert_eq!(
        workspace(&reviewer, &server, &first.assignment_id).await,
        Err(AppError::RoundClosed)
    );
    assert_eq!(log_count(db, "refused").await, refused + 1);

    // Draw again: a new seed, the rules still hold.
    let (status, body) = call(&chef, &server, "/api/audit/redraw", &[("round", &round)]).await;
    assert_eq!(status, 200, "{body}");
    let redrawn = round_view(&chef, &server, &round).await;
    assert_ne!(redrawn.seed, draft.seed);
    assert_pairing_obeys_the_rules(db, &round).await;

    // Swap: needs a reason and a reviewer who does not work in the file; logged.
    let row = redrawn
        .assignments
        .iter()
        .find(|a| !a.may_swap_to.is_empty())
        .unwrap()
        .clone();
    let to = row.may_swap_to[0].username.clone();
    let (_, body) = call(
        &chef,
        &server,
        "/api/audit/swap",
        &[
            ("assignment", &row.assignment_id),
            ("reviewer", &to),
            ("reason", " "),
        ],
    )
    .await;
    assert_eq!(error_of(&body).problem_for("reason"), Some(Problem::Empty));
    let (_, body) = call(
        &chef,
        &server,
        "/api/audit/swap",
        &[
            ("assignment", &row.assignment_id),
            ("reviewer", &row.reviewer.username),
            ("reason", "Jäv"),
        ],
    )
    .await;
    assert_eq!(
        error_of(&body).problem_for("reviewer"),
        Some(Problem::InvalidReviewer)
    );
    let (status, body) = call(
        &chef,
        &server,
        "/api/audit/swap",
        &[
            ("assignment", &row.assignment_id),
            ("reviewer", &to),
            ("reason", "Släkt med klienten"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(log_count(db, "swap_reviewer").await, 1);
    let swapped = round_view(&chef, &server, &round).await;
    let row = swapped
        .assignments
        .iter()
        .find(|a| a.assignment_id == row.assignment_id)
        .unwrap()
        .clone();
    assert_eq!(row.reviewer.username, to);
    assert_eq!(row.swap_reason.as_deref(), Some("Släkt med klienten"));

    // Publish; the pairing is then fixed.
    let (status, body) = call(
        &chef,
        &server,
        "/api/audit/status",
        &[("round", &round), ("to", "published")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, body) = call(&chef, &server, "/api/audit/redraw", &[("round", &round)]).await;
    assert_eq!(error_of(&body), AppError::RoundNotDraft);

    // The reviewer sees their list and reads their file; the read is logged.
    let reviewer = logged_in(&server, &row.reviewer.username).await;
    let (_, body) = call(&reviewer, &server, "/api/audit/overview", &[]).await;
    let overview: AuditOverview = serde_json::from_str(&body).unwrap();
    assert!(
        overview
            .mine
            .iter()
            .any(|m| m.assignment_id == row.assignment_id)
    );
    let ws = workspace(&reviewer, &server, &row.assignment_id)
        .await
        .unwrap();
    assert!(!ws.periods.is_empty());
    assert_eq!(ws.items.len(), 8);
    assert_eq!(log_count(db, "read_audit").await, 1);

    // Another reviewer's file is "not found" to them, and the refusal is logged.
    let other = swapped
        .assignments
        .iter()
        .find(|a| a.reviewer.username != row.reviewer.username)
        .unwrap();
    let refused = log_count(db, "refused").await;
    assert_eq!(
        workspace(&reviewer, &server, &other.assignment_id).await,
        Err(AppError::NotFound)
    );
    assert_eq!(log_count(db, "refused").await, refused + 1);
    // The manager is no reviewer either.
    assert_eq!(
        workspace(&chef, &server, &other.assignment_id).await,
        Err(AppError::NotFound)
    );

    // Once the round is closed, not even the reviewer reads the file.
    let (status, _) = call(
        &chef,
        &server,
        "/api/audit/status",
        &[("round", &round), ("to", "closed")],
    )
    .await;
    assert_eq!(status, 200);
    let refused = log_count(db, "refused").await;
    assert_eq!(
        workspace(&reviewer, &server, &row.assignment_id).await,
        Err(AppError::RoundClosed)
    );
    assert_eq!(log_count(db, "refused").await, refused + 1);
    assert_eq!(log_count(db, "read_audit").await, 1);
}

async fn answers_save_submit_locks_reopen_and_results_add_up(db: &TestDb) {
    demo_unit(db).await;
    let server = TestServer::start(&db.db).await;
    let chef = logged_in(&server, "chef").await;
    let round = open_round(&chef, &server).await;
    call(
        &chef,
        &server,
        "/api/audit/status",
        &[("round", &round), ("to", "published")],
    )
    .await;
    let view = round_view(&chef, &server, &round).await;
    let row = view.assignments[0].clone();
    let reviewer = logged_in(&server, &row.reviewer.username).await;
    let ws = workspace(&reviewer, &server, &row.assignment_id)
        .await
        .unwrap();
    let aid = row.assignment_id.as_str();

    // Submitting with questions unanswered names them.
    let (_, body) = call(
        &reviewer,
        &server,
        "/api/audit/submit",
        &[("assignment", aid)],
    )
    .await;
    let first = &ws.periods[0];
    let key0 = ws.items[0].key.clone();
    assert_eq!(
        error_of(&body).problem_for(&format!("p{}-{key0}", first.number)),
        Some(Problem::Unanswered)
    );

    // A wrong answer is refused at the field; nothing is stored.
    let n = first.number.to_string();
    let (_, body) = call(
        &reviewer,
        &server,
        "/api/audit/answer",
        &[
            ("assignment", aid),
            ("period", &n),
            ("item", &key0),
            ("answer", "kanske"),
        ],
    )
    .await;
    assert_eq!(
        error_of(&body).problem_for(&format!("p{n}-{key0}")),
        Some(Problem::InvalidAnswer)
    );

    // Answer everything: the first item "no", the rest "yes", overall "partly".
    for period in &ws.periods {
        let n = period.number.to_string();
        for (i, item) in ws.items.iter().enumerate() {
            let answer = if i == 0 { "no" } else { "yes" };
            let (status, body) = call(
                &reviewer,
                &server,
                "/api/audit/answer",
                &[
                    ("assignment", aid),
                    ("period", &n),
                    ("item", &item.key),
                    ("answer", answer),
                    ("comment", "Saknar datum för underskrift."),
                ],
            )
            .await;
            assert_eq!(status, 200, "{body}");
        }
        let (status, body) = call(
            &reviewer,
            &server,
            "/api/audit/judgement",
            &[
                ("assignment", aid),
                ("period", &n),
                ("judgement", "partly"),
                ("summary", "Journalen följer planen i stort."),
            ],
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    // Saved answers come back, and the dashboard shows the review as started.
    let again = workspace(&reviewer, &server, aid).await.unwrap();
    assert_eq!(again.periods[0].answers[0].answer.as_deref(), Some("no"));
    assert_eq!(
        again.periods[0].answers[0].comment,
        "Saknar datum för underskrift."
    );
    assert_eq!(again.periods[0].judgement.as_deref(), Some("partly"));
    let view = round_view(&chef, &server, &round).await;
    assert!(view.assignments[0].started && !view.assignments[0].submitted);

    let (status, body) = call(
        &reviewer,
        &server,
        "/api/audit/submit",
        &[("assignment", aid)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(log_count(db, "submit_review").await, 1);

    // Locked: no more changes.
    let (_, body) = call(
        &reviewer,
        &server,
        "/api/audit/answer",
        &[
            ("assignment", aid),
            ("period", &n),
            ("item", &key0),
            ("answer", "yes"),
        ],
    )
    .await;
    assert_eq!(error_of(&body), AppError::ReviewSubmitted);

    // The results, from the known answers.
    let periods = ws.periods.len() as u32;
    let view = round_view(&chef, &server, &round).await;
    let progress = view
        .progress
        .iter()
        .find(|p| p.reviewer.username == row.reviewer.username)
        .unwrap();
    assert_eq!(progress.submitted, 1);
    assert_eq!(view.unit.periods, periods);
    assert_eq!(view.unit.items[0].no, periods);
    assert_eq!(view.unit.items[0].yes, 0);
    assert_eq!(view.unit.items[0].percent(view.unit.items[0].no), Some(100));
    for item in &view.unit.items[1..] {
        assert_eq!((item.yes, item.partly, item.no), (periods, 0, 0));
    }
    assert_eq!(view.unit.overall.partly, periods);
    assert_eq!(view.by_contact_person.len(), 1);
    assert_eq!(
        view.by_contact_person[0].contact_person.as_deref(),
        Some(row.contact_person.as_str())
    );
    let csv = view.results_csv();
    assert_eq!(csv.lines().count(), 1 + 2 * 9, "{csv}");
    assert!(csv.contains(&format!("Enheten;{key0};")));

    // The manager reopens it, with a reason; then the reviewer may change it.
    let (_, body) = call(
        &chef,
        &server,
        "/api/audit/reopen",
        &[("assignment", aid), ("reason", "")],
    )
    .await;
    assert_eq!(error_of(&body).problem_for("reason"), Some(Problem::Empty));
    let (status, body) = call(
        &chef,
        &server,
        "/api/audit/reopen",
        &[("assignment", aid), ("reason", "Fel planperiod bedömd")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(log_count(db, "reopen_review").await, 1);
    let (status, body) = call(
        &reviewer,
        &server,
        "/api/audit/answer",
        &[
            ("assignment", aid),
            ("period", &n),
            ("item", &key0),
            ("answer", "yes"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let ws = workspace(&reviewer, &server, aid).await.unwrap();
    assert!(!ws.submitted);
    assert_eq!(ws.reopen_reason.as_deref(), Some("Fel planperiod bedömd"));
    // Reopened reviews leave the results until submitted again.
    let view = round_view(&chef, &server, &round).await;
    assert_eq!(view.unit.periods, 0);

    // Staff cannot reach the manager's functions.
    let (_, body) = call(&reviewer, &server, "/api/audit/round", &[("round", &round)]).await;
    assert_eq!(error_of(&body), AppError::Forbidden);
    let (_, body) = call(
        &reviewer,
        &server,
        "/api/audit/reopen",
        &[("assignment", aid), ("reason", "x")],
    )
    .await;
    assert_eq!(error_of(&body), AppError::Forbidden);
}

on_both_backends! {
    bad_rounds_store_nothing => bad_rounds_are_refused_and_store_nothing;
    nothing_to_audit => a_unit_without_files_has_nothing_to_audit;
    pairing_and_access => pairing_follows_the_rules_and_reviewers_read_only_their_files;
    review_lifecycle_and_results => answers_save_submit_locks_reopen_and_results_add_up;
}
