//! The yearly peer file audit, against the real server and a demo unit: opening a
//! round (bad input stores nothing), the pairing's hard rules on real data, the
//! reviewer's access (only their files, only while the round is open, refusals
//! logged), autosave, submission, reopening, and the results.

use crate::common::{TestDb, TestServer, call, login, make_user};
use akta_server::demo::{DEMO_PASSWORD, Options, generate};
use app::error::{AppError, PairingProblem, Problem};
use app::model::audit::{AuditOverview, AuditWorkspace, FileAuditResults, RoundStatus, RoundView};
use app::server::entities::{
    access_log, audit_assignments, audit_rounds, care_team, case_files, journal_entries,
};
use chrono::{Datelike, Duration};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use std::collections::HashMap;

pub(crate) fn error_of(body: &str) -> AppError {
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

pub(crate) async fn demo_unit(db: &TestDb) {
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

pub(crate) async fn logged_in(server: &TestServer, username: &str) -> reqwest::Client {
    let client = TestServer::client();
    assert_eq!(login(&client, server, username, DEMO_PASSWORD).await, 200);
    client
}

pub(crate) const STAFF: [&str; 10] = [
    "anna", "johan", "sara", "omar", "lena", "peter", "maria", "ali", "karin", "nils",
];

/// Opens a round for this year with every staff member as reviewer; returns its id.
pub(crate) async fn open_round(chef: &reqwest::Client, server: &TestServer) -> String {
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

pub(crate) async fn round_view(
    chef: &reqwest::Client,
    server: &TestServer,
    round: &str,
) -> RoundView {
    let (status, body) = call(chef, server, "/api/audit/round", &[("round", round)]).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

pub(crate) async fn workspace(
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

/// The assignments whose file had a plan (files without one are in the round too, with
/// nothing to answer per plan period).
pub(crate) async fn with_plan(
    db: &TestDb,
    rows: &[app::model::audit::AssignmentRow],
) -> Vec<app::model::audit::AssignmentRow> {
    use app::server::entities::plan_versions;
    let mut out = Vec::new();
    for row in rows {
        let file = case_files::Entity::find()
            .filter(case_files::Column::PublicId.eq(&row.file_id))
            .one(&db.db)
            .await
            .unwrap()
            .unwrap();
        let plans = plan_versions::Entity::find()
            .filter(plan_versions::Column::CaseFileId.eq(file.id))
            .filter(plan_versions::Column::ValidFrom.lte(today()))
            .count(&db.db)
            .await
            .unwrap();
        if plans > 0 {
            out.push(row.clone());
        }
    }
    assert!(!out.is_empty(), "the demo has files with a plan");
    out
}

/// Moves a round's due date (as time passing would): rounds cannot be opened with a
/// due date in the past.
async fn set_due_on(db: &TestDb, round: &str, day: chrono::NaiveDate) {
    let stored = audit_rounds::Entity::find()
        .filter(audit_rounds::Column::PublicId.eq(round))
        .one(&db.db)
        .await
        .unwrap()
        .unwrap();
    let mut active: audit_rounds::ActiveModel = stored.into();
    active.due_on = Set(day);
    active.update(&db.db).await.unwrap();
}

pub(crate) async fn log_count(db: &TestDb, action: &str) -> u64 {
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
    assert_eq!(draft.status, RoundStatus::Draft);

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
    let row = with_plan(db, &redrawn.assignments)
        .await
        .into_iter()
        .find(|a| !a.may_swap_to.is_empty())
        .unwrap();
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

    // Closing with reviews left needs the confirmation the page asks for: called
    // without it, the server refuses and names how many are left.
    let (status, body) = call(
        &chef,
        &server,
        "/api/audit/status",
        &[("round", &round), ("to", "closed")],
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(matches!(
        error_of(&body).problem_for("confirm"),
        Some(Problem::CloseUnconfirmed { left }) if left > 0
    ));
    assert_eq!(
        round_view(&chef, &server, &round).await.status,
        RoundStatus::Published
    );
    // Once the round is closed, not even the reviewer reads the file.
    let (status, _) = call(
        &chef,
        &server,
        "/api/audit/status",
        &[("round", &round), ("to", "closed"), ("confirm", "yes")],
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
    let row = with_plan(db, &view.assignments).await[0].clone();
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
    let now = view
        .assignments
        .iter()
        .find(|a| a.assignment_id == row.assignment_id)
        .unwrap();
    assert!(now.started && !now.submitted);

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

/// Opens a round for this year with the given extra fields and reviewers.
async fn open_with(
    chef: &reqwest::Client,
    server: &TestServer,
    extra: &[(&str, &str)],
    reviewers: &[&str],
) -> (u16, String) {
    let (y, d) = (year(), due());
    let mut form: Vec<(String, String)> = vec![
        ("year".into(), y),
        ("due_on".into(), d),
        ("scope".into(), "all".into()),
    ];
    for (k, v) in extra {
        form.push(((*k).to_owned(), (*v).to_owned()));
    }
    for (i, name) in reviewers.iter().enumerate() {
        form.push((format!("reviewers[{i}]"), (*name).to_owned()));
    }
    let form: Vec<(&str, &str)> = form.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let (status, body) = call(chef, server, "/api/audit/open", &form).await;
    (status, body)
}

pub(crate) async fn publish(chef: &reqwest::Client, server: &TestServer, round: &str) {
    let (status, body) = call(
        chef,
        server,
        "/api/audit/status",
        &[("round", round), ("to", "published")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

/// Answers every question of every period: item 0 with `first`, the rest "yes", the
/// overall judgement with `overall`; then submits.
pub(crate) async fn answer_all_and_submit(
    reviewer: &reqwest::Client,
    server: &TestServer,
    assignment: &str,
    first: &str,
    overall: &str,
) -> AuditWorkspace {
    let ws = workspace(reviewer, server, assignment).await.unwrap();
    for period in &ws.periods {
        let n = period.number.to_string();
        for (i, item) in ws.items.iter().enumerate() {
            let answer = if i == 0 { first } else { "yes" };
            let (status, body) = call(
                reviewer,
                server,
                "/api/audit/answer",
                &[
                    ("assignment", assignment),
                    ("period", &n),
                    ("item", &item.key),
                    ("answer", answer),
                    ("comment", "Kommentar"),
                ],
            )
            .await;
            assert_eq!(status, 200, "{body}");
        }
        let (status, body) = call(
            reviewer,
            server,
            "/api/audit/judgement",
            &[
                ("assignment", assignment),
                ("period", &n),
                ("judgement", overall),
                ("summary", "Sammanfattning"),
            ],
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    let (status, body) = call(
        reviewer,
        server,
        "/api/audit/submit",
        &[("assignment", assignment)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    ws
}

fn close_to(actual: Option<f64>, expected: f64) -> bool {
    actual.is_some_and(|a| (a - expected).abs() < 1e-9)
}

async fn double_review_follows_the_rules_and_hides_answers_until_both_submit(db: &TestDb) {
    demo_unit(db).await;
    let server = TestServer::start(&db.db).await;
    let chef = logged_in(&server, "chef").await;

    // Bad numbers at the field; nothing stored.
    let before = stored(db).await;
    let (_, body) = open_with(&chef, &server, &[("double", "-1")], &STAFF).await;
    assert_eq!(
        error_of(&body).problem_for("double"),
        Some(Problem::InvalidNumber { max: 1000 })
    );
    let (_, body) = open_with(&chef, &server, &[("double", "999")], &STAFF).await;
    assert!(
        matches!(
            error_of(&body).problem_for("double"),
            Some(Problem::SecondReviewsTooMany { possible }) if possible < 999
        ),
        "{body}"
    );
    assert_eq!(stored(db).await, before);

    let (status, body) = open_with(&chef, &server, &[("double", "3")], &STAFF).await;
    assert!(status < 400, "{body}");
    let round: String = serde_json::from_str(&body).unwrap();
    // The hard rules hold for first and second reviews together (loads within one).
    assert_pairing_obeys_the_rules(db, &round).await;
    let view = round_view(&chef, &server, &round).await;
    let seconds: Vec<_> = view
        .assignments
        .iter()
        .filter(|a| a.second_review)
        .collect();
    assert_eq!(seconds.len(), 3);
    for second in &seconds {
        let first = view
            .assignments
            .iter()
            .find(|a| !a.second_review && a.file_id == second.file_id)
            .expect("a second review has a first");
        assert_ne!(first.reviewer.username, second.reviewer.username);
        // Neither may be swapped to the other.
        assert!(
            !second
                .may_swap_to
                .iter()
                .any(|u| u.username == first.reviewer.username)
        );
        let (_, body) = call(
            &chef,
            &server,
            "/api/audit/swap",
            &[
                ("assignment", &second.assignment_id),
                ("reviewer", &first.reviewer.username),
                ("reason", "Prov"),
            ],
        )
        .await;
        assert_eq!(
            error_of(&body).problem_for("reviewer"),
            Some(Problem::InvalidReviewer)
        );
    }
    // A re-draw keeps the number of second reviews.
    call(&chef, &server, "/api/audit/redraw", &[("round", &round)]).await;
    assert_pairing_obeys_the_rules(db, &round).await;
    // Answers are compared per plan period: draw again until a second review falls on a
    // file with a plan (files without one are in the round too).
    for tries in 0.. {
        let view = round_view(&chef, &server, &round).await;
        if with_plan(db, &view.assignments)
            .await
            .iter()
            .any(|a| a.second_review)
        {
            break;
        }
        assert!(tries < 20, "no second review on a file with a plan");
        call(&chef, &server, "/api/audit/redraw", &[("round", &round)]).await;
    }
    publish(&chef, &server, &round).await;
    let view = round_view(&chef, &server, &round).await;
    let second = with_plan(db, &view.assignments)
        .await
        .into_iter()
        .find(|a| a.second_review)
        .expect("a second review of a file with a plan");
    assert_eq!(
        view.assignments.iter().filter(|a| a.second_review).count(),
        3
    );
    let first = view
        .assignments
        .iter()
        .find(|a| !a.second_review && a.file_id == second.file_id)
        .unwrap()
        .clone();
    let first_reviewer = logged_in(&server, &first.reviewer.username).await;
    let second_reviewer = logged_in(&server, &second.reviewer.username).await;

    // The first reviewer submits: "no" on item 0, overall "partly".
    let ws = answer_all_and_submit(
        &first_reviewer,
        &server,
        &first.assignment_id,
        "no",
        "partly",
    )
    .await;
    let periods = ws.periods.len() as u64;
    assert!(periods > 0);
    assert_eq!(
        workspace(&first_reviewer, &server, &first.assignment_id)
            .await
            .unwrap()
            .other_review,
        None
    );
    // The second reviewer, not yet submitted, sees nothing of the first review.
    let ws2 = workspace(&second_reviewer, &server, &second.assignment_id)
        .await
        .unwrap();
    assert!(ws2.second_review);
    assert_eq!(ws2.other_review, None);
    assert!(
        ws2.periods
            .iter()
            .all(|p| p.answers.iter().all(|a| a.answer.is_none())),
        "the second review starts empty"
    );
    let d = round_view(&chef, &server, &round)
        .await
        .double_review
        .unwrap();
    assert_eq!((d.files, d.both_submitted), (3, 0));
    assert!(d.rows.iter().all(|r| r.n == 0));

    // The second reviewer answers all "yes", overall "yes", and submits.
    answer_all_and_submit(
        &second_reviewer,
        &server,
        &second.assignment_id,
        "yes",
        "yes",
    )
    .await;
    // Now each sees the other's answers, without the name.
    let other = workspace(&first_reviewer, &server, &first.assignment_id)
        .await
        .unwrap()
        .other_review
        .expect("both submitted");
    assert!(other.second_review);
    assert_eq!(other.reviewer, None);
    assert_eq!(other.periods[0].answers[0].answer.as_deref(), Some("yes"));
    let other = workspace(&second_reviewer, &server, &second.assignment_id)
        .await
        .unwrap()
        .other_review
        .expect("both submitted");
    assert_eq!(other.periods[0].answers[0].answer.as_deref(), Some("no"));
    assert_eq!(other.periods[0].judgement.as_deref(), Some("partly"));

    // Agreement from the known answers. Item 0: "no" against "yes" in every period:
    // observed 0, kappa 0, AC1 (Q = 4) = −2P² / (12P² − 2P²) = −0.2.
    let view = round_view(&chef, &server, &round).await;
    let d = view.double_review.clone().unwrap();
    assert_eq!(d.both_submitted, 1);
    let item0 = &d.rows[0];
    assert_eq!(item0.n, periods);
    assert!(close_to(item0.observed, 0.0));
    assert!(close_to(item0.kappa, 0.0), "{item0:?}");
    assert!(close_to(item0.ac1, -0.2), "{item0:?}");
    // The other items: "yes" by both everywhere: kappa cannot be computed, AC1 = 1.
    for row in &d.rows[1..d.rows.len() - 1] {
        assert_eq!(row.n, periods);
        assert!(close_to(row.observed, 1.0));
        assert_eq!(row.kappa, None);
        assert!(close_to(row.ac1, 1.0));
    }
    // Overall: "partly" against "yes": kappa 0, AC1 (Q = 3) = −2P² / (8P² − 2P²) = −1/3.
    let overall = d.rows.last().unwrap();
    assert_eq!(overall.key, "overall");
    assert!(close_to(overall.kappa, 0.0));
    assert!(close_to(overall.ac1, -1.0 / 3.0), "{overall:?}");
    assert_eq!(overall.too_few(), periods < 10);

    // Results per item count first reviews only: the second review's "yes" is not there.
    assert_eq!(view.unit.periods as u64, periods);
    assert_eq!(view.unit.items[0].no as u64, periods);
    assert_eq!(view.unit.items[0].yes, 0);
    assert_eq!(view.unit.overall.partly as u64, periods);

    // Year over year: last year's demo round and this year's, first reviews only.
    let (_, body) = call(&chef, &server, "/api/audit/overview", &[]).await;
    let overview: AuditOverview = serde_json::from_str(&body).unwrap();
    let y = today().year();
    assert_eq!(overview.year_over_year.years, vec![y - 1, y]);
    let row0 = &overview.year_over_year.rows[0];
    let this_year = row0.cells[1].clone().unwrap();
    assert_eq!((this_year.no as u64, this_year.yes), (periods, 0));
    assert!(row0.cells[0].clone().unwrap().answered() > 0);

    // Reopening the second review hides the answers again.
    let (status, body) = call(
        &chef,
        &server,
        "/api/audit/reopen",
        &[
            ("assignment", &second.assignment_id),
            ("reason", "Komplettera"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        workspace(&first_reviewer, &server, &first.assignment_id)
            .await
            .unwrap()
            .other_review,
        None
    );
    assert_eq!(
        round_view(&chef, &server, &round)
            .await
            .double_review
            .unwrap()
            .both_submitted,
        0
    );
}

async fn contact_persons_see_submitted_results_of_their_files_only(db: &TestDb) {
    demo_unit(db).await;
    let server = TestServer::start(&db.db).await;
    let chef = logged_in(&server, "chef").await;

    // Last year's demo round has submitted reviews, some of files reviewed twice.
    let last = audit_rounds::Entity::find()
        .one(&db.db)
        .await
        .unwrap()
        .unwrap();
    let last_view = round_view(&chef, &server, &last.public_id).await;
    let d = last_view.double_review.clone().expect("demo double review");
    assert!(d.files > 0 && d.both_submitted == d.files, "{d:?}");
    assert!(d.rows.iter().all(|r| r.n > 0));

    let row = last_view.assignments[0].clone();
    let file = case_files::Entity::find()
        .filter(case_files::Column::PublicId.eq(&row.file_id))
        .one(&db.db)
        .await
        .unwrap()
        .unwrap();
    let contact = app::server::entities::users::Entity::find_by_id(file.contact_person_id)
        .one(&db.db)
        .await
        .unwrap()
        .unwrap();
    let me = logged_in(&server, &contact.username).await;
    let (_, body) = call(&me, &server, "/api/audit/overview", &[]).await;
    let overview: AuditOverview = serde_json::from_str(&body).unwrap();
    assert!(overview.my_files.iter().any(|f| f.file_id == row.file_id));
    assert!(!overview.is_manager);

    // The results, without the reviewer's name; the read is logged on the file.
    let read_before = log_count(db, "read_audit_results").await;
    let (status, body) = call(&me, &server, "/api/audit/file", &[("file", &row.file_id)]).await;
    assert_eq!(status, 200, "{body}");
    let results: FileAuditResults = serde_json::from_str(&body).unwrap();
    assert!(!results.reviews.is_empty());
    let review = &results.reviews[0];
    assert_eq!(review.year, today().year() - 1);
    assert_eq!(review.reviewer, None);
    assert!(!review.periods.is_empty());
    assert!(review.periods[0].answers.iter().all(|a| a.answer.is_some()));
    assert!(review.periods[0].judgement.is_some());
    assert_eq!(log_count(db, "read_audit_results").await, read_before + 1);
    let logged = access_log::Entity::find()
        .filter(access_log::Column::Action.eq("read_audit_results"))
        .one(&db.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(logged.case_file_id, Some(file.id));
    assert_eq!(logged.client_id, Some(file.client_id));

    // Someone else, even a reviewer or the manager, gets "not found", logged.
    let other = STAFF
        .iter()
        .find(|u| **u != contact.username)
        .copied()
        .unwrap();
    let other = logged_in(&server, other).await;
    let refused = log_count(db, "refused").await;
    let (_, body) = call(
        &other,
        &server,
        "/api/audit/file",
        &[("file", &row.file_id)],
    )
    .await;
    assert_eq!(error_of(&body), AppError::NotFound);
    assert_eq!(log_count(db, "refused").await, refused + 1);
    let (_, body) = call(&chef, &server, "/api/audit/file", &[("file", &row.file_id)]).await;
    assert_eq!(error_of(&body), AppError::NotFound);

    // The setting: only the manager changes it; then the name is shown.
    let (_, body) = call(&me, &server, "/api/audit/settings", &[("show", "on")]).await;
    assert_eq!(error_of(&body), AppError::Forbidden);
    let (status, body) = call(&chef, &server, "/api/audit/settings", &[("show", "on")]).await;
    assert_eq!(status, 200, "{body}");
    let (_, body) = call(&chef, &server, "/api/audit/overview", &[]).await;
    assert!(
        serde_json::from_str::<AuditOverview>(&body)
            .unwrap()
            .show_reviewer_names
    );
    let (_, body) = call(&me, &server, "/api/audit/file", &[("file", &row.file_id)]).await;
    let results: FileAuditResults = serde_json::from_str(&body).unwrap();
    let first = results.reviews.iter().find(|r| !r.second_review).unwrap();
    assert_eq!(
        first.reviewer.as_deref(),
        Some(row.reviewer.display_name.as_str())
    );
    // Off again (the checkbox sends nothing).
    let (status, _) = call(&chef, &server, "/api/audit/settings", &[]).await;
    assert_eq!(status, 200);
    let (_, body) = call(&me, &server, "/api/audit/file", &[("file", &row.file_id)]).await;
    let results: FileAuditResults = serde_json::from_str(&body).unwrap();
    assert!(results.reviews.iter().all(|r| r.reviewer.is_none()));

    // This year's review appears only once submitted.
    let round = open_round(&chef, &server).await;
    publish(&chef, &server, &round).await;
    let view = round_view(&chef, &server, &round).await;
    let a = with_plan(db, &view.assignments).await[0].clone();
    let f = case_files::Entity::find()
        .filter(case_files::Column::PublicId.eq(&a.file_id))
        .one(&db.db)
        .await
        .unwrap()
        .unwrap();
    let cp = app::server::entities::users::Entity::find_by_id(f.contact_person_id)
        .one(&db.db)
        .await
        .unwrap()
        .unwrap();
    let cp = logged_in(&server, &cp.username).await;
    let reviewer = logged_in(&server, &a.reviewer.username).await;
    let ws = workspace(&reviewer, &server, &a.assignment_id)
        .await
        .unwrap();
    let n = ws.periods[0].number.to_string();
    let (status, _) = call(
        &reviewer,
        &server,
        "/api/audit/answer",
        &[
            ("assignment", &a.assignment_id),
            ("period", &n),
            ("item", &ws.items[0].key),
            ("answer", "no"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    let this_year = |body: &str| {
        serde_json::from_str::<FileAuditResults>(body)
            .unwrap()
            .reviews
            .iter()
            .filter(|r| r.year == today().year())
            .count()
    };
    let (_, body) = call(&cp, &server, "/api/audit/file", &[("file", &a.file_id)]).await;
    assert_eq!(this_year(&body), 0, "not submitted yet");
    answer_all_and_submit(&reviewer, &server, &a.assignment_id, "no", "no").await;
    let (_, body) = call(&cp, &server, "/api/audit/file", &[("file", &a.file_id)]).await;
    assert_eq!(this_year(&body), 1);
}

async fn files_per_reviewer_refuses_too_few_reviewers_and_stores_nothing(db: &TestDb) {
    demo_unit(db).await;
    let server = TestServer::start(&db.db).await;
    let chef = logged_in(&server, "chef").await;
    let before = stored(db).await;
    let (_, body) = open_with(&chef, &server, &[("per_reviewer", "0")], &STAFF).await;
    assert_eq!(
        error_of(&body).problem_for("per_reviewer"),
        Some(Problem::InvalidCount { max: 1000 })
    );
    let (status, body) = open_with(
        &chef,
        &server,
        &[("per_reviewer", "2"), ("double", "1")],
        &["anna", "johan"],
    )
    .await;
    assert!(status >= 400);
    match error_of(&body).problem_for("per_reviewer") {
        Some(Problem::TooFewReviewers {
            reviews,
            per_reviewer,
            needed,
            chosen,
        }) => {
            assert!(reviews > 4, "{reviews}");
            assert_eq!(per_reviewer, 2);
            assert_eq!(needed, reviews.div_ceil(2));
            assert_eq!(chosen, 2);
        }
        other => panic!("expected too few reviewers, got {other:?}: {body}"),
    }
    assert_eq!(stored(db).await, before);

    // Enough: stored on the round, and nobody gets more.
    let (status, body) = open_with(&chef, &server, &[("per_reviewer", "10")], &STAFF).await;
    assert!(status < 400, "{body}");
    let round: String = serde_json::from_str(&body).unwrap();
    let stored_round = audit_rounds::Entity::find()
        .filter(audit_rounds::Column::PublicId.eq(&round))
        .one(&db.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored_round.files_per_reviewer, Some(10));
    let view = round_view(&chef, &server, &round).await;
    assert_eq!(view.files_per_reviewer, Some(10));
    assert!(view.progress.iter().all(|p| p.assigned <= 10));
}

async fn a_rounds_checklist_is_edited_only_while_a_draft(db: &TestDb) {
    demo_unit(db).await;
    let server = TestServer::start(&db.db).await;
    let chef = logged_in(&server, "chef").await;
    let round = open_round(&chef, &server).await;
    let view = round_view(&chef, &server, &round).await;
    assert_eq!(view.checklist_version, 1);
    assert_eq!(view.checklist.len(), 8);
    let key0 = view.checklist[0].key.clone();
    let key1 = view.checklist[1].key.clone();

    // Bad text at the field; nothing changes.
    let (_, body) = call(
        &chef,
        &server,
        "/api/audit/checklist/save",
        &[("round", &round), ("item", &key0), ("title", "  ")],
    )
    .await;
    assert_eq!(
        error_of(&body).problem_for(&format!("item-{key0}")),
        Some(Problem::Empty)
    );
    assert_eq!(
        round_view(&chef, &server, &round).await.checklist_version,
        1
    );

    let (status, body) = call(
        &chef,
        &server,
        "/api/audit/checklist/save",
        &[
            ("round", &round),
            ("item", &key0),
            ("title", "Planen är gjord inom 14 dagar."),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body.trim(), "2");
    let (status, body) = call(
        &chef,
        &server,
        "/api/audit/checklist/add",
        &[
            ("round", &round),
            ("title", "Finns samtycke till samverkan dokumenterat?"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = call(
        &chef,
        &server,
        "/api/audit/checklist/remove",
        &[("round", &round), ("item", &key1)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let view = round_view(&chef, &server, &round).await;
    assert_eq!(view.checklist_version, 4);
    assert_eq!(view.checklist.len(), 8);
    assert_eq!(view.checklist[0].text_sv, "Planen är gjord inom 14 dagar.");
    assert!(!view.checklist.iter().any(|i| i.key == key1));
    assert_eq!(
        view.checklist.last().unwrap().text_sv,
        "Finns samtycke till samverkan dokumenterat?"
    );
    // The default template and last year's copy are untouched.
    let last = audit_rounds::Entity::find()
        .filter(audit_rounds::Column::Year.eq(today().year() - 1))
        .one(&db.db)
        .await
        .unwrap()
        .unwrap();
    let old = round_view(&chef, &server, &last.public_id).await;
    assert_eq!(old.checklist_version, 1);
    assert_eq!(
        old.checklist[0].text_sv,
        akta_domain::checklist::DEFAULT_ITEMS[0].sv
    );
    assert_eq!(old.checklist.len(), 8);

    // Published: the reviewer answers the edited checklist; changes are refused.
    publish(&chef, &server, &round).await;
    let a = round_view(&chef, &server, &round).await.assignments[0].clone();
    let reviewer = logged_in(&server, &a.reviewer.username).await;
    let ws = workspace(&reviewer, &server, &a.assignment_id)
        .await
        .unwrap();
    assert_eq!(ws.items.len(), 8);
    assert_eq!(ws.items[0].text_sv, "Planen är gjord inom 14 dagar.");
    for (path, form) in [
        (
            "/api/audit/checklist/save",
            vec![
                ("round", round.as_str()),
                ("item", key0.as_str()),
                ("title", "Ändrad"),
            ],
        ),
        (
            "/api/audit/checklist/add",
            vec![("round", round.as_str()), ("title", "Ny")],
        ),
        (
            "/api/audit/checklist/remove",
            vec![("round", round.as_str()), ("item", key0.as_str())],
        ),
    ] {
        let (_, body) = call(&chef, &server, path, &form).await;
        assert_eq!(error_of(&body), AppError::RoundNotDraft, "{path}");
    }
    let view = round_view(&chef, &server, &round).await;
    assert_eq!(view.checklist_version, 4);
    assert_eq!(view.checklist[0].text_sv, "Planen är gjord inom 14 dagar.");
    // Staff may not edit a checklist.
    let (_, body) = call(
        &reviewer,
        &server,
        "/api/audit/checklist/add",
        &[("round", &round), ("title", "Ny")],
    )
    .await;
    assert_eq!(error_of(&body), AppError::Forbidden);
}

/// Sets the round to `to` as `client`; returns the status and body.
async fn set_status(
    client: &reqwest::Client,
    server: &TestServer,
    round: &str,
    to: &str,
) -> (u16, String) {
    call(
        client,
        server,
        "/api/audit/status",
        &[("round", round), ("to", to), ("confirm", "yes")],
    )
    .await
}

async fn lines_with_detail(db: &TestDb, detail: &str) -> u64 {
    access_log::Entity::find()
        .filter(access_log::Column::Detail.eq(detail))
        .count(&db.db)
        .await
        .unwrap()
}

async fn a_closed_round_reopens_for_a_while_and_a_year_has_one_round(db: &TestDb) {
    demo_unit(db).await;
    let server = TestServer::start(&db.db).await;
    let chef = logged_in(&server, "chef").await;
    let round = open_round(&chef, &server).await;
    publish(&chef, &server, &round).await;
    let a = round_view(&chef, &server, &round).await.assignments[0].clone();
    let reviewer = logged_in(&server, &a.reviewer.username).await;

    // Closed: the reviewer loses the file, the view says when it was closed.
    let (status, body) = set_status(&chef, &server, &round, "closed").await;
    assert_eq!(status, 200, "{body}");
    let closed = round_view(&chef, &server, &round).await;
    assert_eq!(closed.status, RoundStatus::Closed);
    assert_eq!(closed.closed_on, Some(today()));
    assert_eq!(
        workspace(&reviewer, &server, &a.assignment_id).await,
        Err(AppError::RoundClosed)
    );

    // A second round for the same year is refused while one exists, closed or not.
    let before = stored(db).await;
    let (y, d) = (year(), due());
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
    assert_eq!(stored(db).await, before);

    // Staff may not reopen it: refused, and the refusal is logged.
    let refused = log_count(db, "refused").await;
    let (status, body) = set_status(&reviewer, &server, &round, "published").await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(error_of(&body), AppError::Forbidden);
    assert_eq!(log_count(db, "refused").await, refused + 1);
    let reopened_line = app::model::log::LogDetail::Audit {
        year: today().year(),
        event: app::model::log::AuditEvent::Reopened,
    }
    .to_stored();
    assert_eq!(lines_with_detail(db, &reopened_line).await, 0);

    // The manager reopens it within the days: logged, and the reviewer is back.
    let (status, body) = set_status(&chef, &server, &round, "published").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(lines_with_detail(db, &reopened_line).await, 1);
    let open = round_view(&chef, &server, &round).await;
    assert_eq!(open.status, RoundStatus::Published);
    assert_eq!(open.closed_on, None);
    assert!(
        workspace(&reviewer, &server, &a.assignment_id)
            .await
            .is_ok()
    );

    // Closed again, and more than the allowed days ago: it stays closed.
    let (status, body) = set_status(&chef, &server, &round, "closed").await;
    assert_eq!(status, 200, "{body}");
    let stored_round = audit_rounds::Entity::find()
        .filter(audit_rounds::Column::PublicId.eq(round.as_str()))
        .one(&db.db)
        .await
        .unwrap()
        .unwrap();
    let days = i64::from(akta_domain::audit_round::REOPEN_DAYS) + 1;
    let mut active: audit_rounds::ActiveModel = stored_round.into();
    active.closed_at = Set(Some(chrono::Utc::now() - Duration::days(days)));
    active.update(&db.db).await.unwrap();
    let (status, body) = set_status(&chef, &server, &round, "published").await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(error_of(&body), AppError::RoundReopenExpired);
    assert_eq!(
        round_view(&chef, &server, &round).await.status,
        RoundStatus::Closed
    );
    assert_eq!(lines_with_detail(db, &reopened_line).await, 1);
    assert_eq!(
        workspace(&reviewer, &server, &a.assignment_id).await,
        Err(AppError::RoundClosed)
    );
}

/// Issue 13, rule 5: every file open during the audit year is in the round, with or
/// without a plan; the reviewer of one without a plan reads its journal with "no plan in
/// force" beside it.
async fn files_without_a_plan_are_in_the_round_and_say_so(db: &TestDb) {
    use app::server::entities::{plan_versions, users};
    demo_unit(db).await;
    let server = TestServer::start(&db.db).await;
    let chef = logged_in(&server, "chef").await;
    let round = open_round(&chef, &server).await;
    publish(&chef, &server, &round).await;
    let round = audit_rounds::Entity::find()
        .filter(audit_rounds::Column::PublicId.eq(round))
        .one(&db.db)
        .await
        .unwrap()
        .unwrap();
    let (first_day, last_day) = app::server::audit::year_bounds(round.year);
    let open_in_year: std::collections::BTreeSet<i32> = case_files::Entity::find()
        .all(&db.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|f| f.started_on <= last_day && f.closed_on.is_none_or(|c| c >= first_day))
        .map(|f| f.id)
        .collect();
    let pairs = audit_assignments::Entity::find()
        .filter(audit_assignments::Column::RoundId.eq(round.id))
        .filter(audit_assignments::Column::SecondReview.eq(false))
        .all(&db.db)
        .await
        .unwrap();
    let in_round: std::collections::BTreeSet<i32> = pairs.iter().map(|a| a.case_file_id).collect();
    assert_eq!(in_round, open_in_year, "every file open during the year");

    let mut planless = None;
    for a in &pairs {
        let plans = plan_versions::Entity::find()
            .filter(plan_versions::Column::CaseFileId.eq(a.case_file_id))
            .count(&db.db)
            .await
            .unwrap();
        if plans == 0 {
            planless = Some(a.clone());
            break;
        }
    }
    let a = planless.expect("the demo has files without a plan (motivation groups)");
    let reviewer = users::Entity::find_by_id(a.reviewer_id)
        .one(&db.db)
        .await
        .unwrap()
        .unwrap();
    let client = logged_in(&server, &reviewer.username).await;
    let ws = workspace(&client, &server, &a.public_id)
        .await
        .expect("workspace");
    // One period: "the year without a plan" (number 0), with the year's journal.
    assert!(ws.plan_less);
    assert_eq!(ws.periods.len(), 1);
    let year = &ws.periods[0];
    assert_eq!(year.number, 0);
    assert!(year.goals.is_empty());
    let entries = &year.entries;
    assert!(
        entries
            .iter()
            .all(|e| e.event_date >= first_day && e.event_date <= last_day)
    );
    let signed_in_year = journal_entries::Entity::find()
        .filter(journal_entries::Column::CaseFileId.eq(a.case_file_id))
        .filter(journal_entries::Column::Status.eq("signed"))
        .filter(journal_entries::Column::EventDate.gte(first_day))
        .filter(journal_entries::Column::EventDate.lte(last_day))
        .count(&db.db)
        .await
        .unwrap();
    assert_eq!(entries.len() as u64, signed_in_year);

    // Its checklist is answered like a plan period's (issue 13, item 5): an incomplete
    // submit names the missing questions of the year, a full one is stored.
    let (status, body) = call(
        &client,
        &server,
        "/api/audit/submit",
        &[("assignment", a.public_id.as_str())],
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        error_of(&body).problem_for("p0-overall"),
        Some(Problem::Unanswered)
    );
    // A plan period the file does not have is not found.
    let (status, _) = call(
        &client,
        &server,
        "/api/audit/answer",
        &[
            ("assignment", a.public_id.as_str()),
            ("period", "1"),
            ("item", ws.items[0].key.as_str()),
            ("answer", "yes"),
        ],
    )
    .await;
    assert_eq!(status, 404);
    answer_all_and_submit(&client, &server, &a.public_id, "no", "partly").await;
    let ws = workspace(&client, &server, &a.public_id).await.unwrap();
    assert!(ws.submitted);
    assert_eq!(ws.periods[0].answers[0].answer.as_deref(), Some("no"));
    assert_eq!(ws.periods[0].judgement.as_deref(), Some("partly"));
    assert_eq!(ws.periods[0].summary, "Sammanfattning");

    // The round's results count it, and its contact person reads it.
    let chef = logged_in(&server, "chef").await;
    let view = round_view(&chef, &server, &round.public_id).await;
    assert!(view.unit.periods >= 1);
    assert!(view.unit.overall.partly >= 1);
    let file = case_files::Entity::find_by_id(a.case_file_id)
        .one(&db.db)
        .await
        .unwrap()
        .unwrap();
    let contact = users::Entity::find_by_id(file.contact_person_id)
        .one(&db.db)
        .await
        .unwrap()
        .unwrap();
    let contact = logged_in(&server, &contact.username).await;
    let (status, body) = call(
        &contact,
        &server,
        "/api/audit/file",
        &[("file", file.public_id.as_str())],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let results: FileAuditResults = serde_json::from_str(&body).unwrap();
    let this_year = results
        .reviews
        .iter()
        .find(|r| r.year == round.year)
        .expect("this year's review");
    assert_eq!(this_year.periods.len(), 1);
    assert_eq!(this_year.periods[0].number, 0);
    assert_eq!(this_year.periods[0].judgement.as_deref(), Some("partly"));
}

/// Issue 14, item 9: a reviewer reads the file until the round's due date and no
/// longer (refused and logged); a manager may give one review more time (bad days
/// refused at the field, nothing stored; the change logged), and the reviewer reads
/// again until that day.
async fn review_access_ends_at_the_due_date_unless_the_manager_extends_it(db: &TestDb) {
    use app::model::log::{AuditEvent, LogDetail, RefusalReason};
    demo_unit(db).await;
    let server = TestServer::start(&db.db).await;
    let chef = logged_in(&server, "chef").await;
    let round = open_round(&chef, &server).await;
    publish(&chef, &server, &round).await;
    let view = round_view(&chef, &server, &round).await;
    let row = with_plan(db, &view.assignments).await[0].clone();
    let reviewer = logged_in(&server, &row.reviewer.username).await;
    assert!(
        workspace(&reviewer, &server, &row.assignment_id)
            .await
            .is_ok()
    );

    let extend = async |client: &reqwest::Client, until: String| {
        call(
            client,
            &server,
            "/api/audit/extend",
            &[
                ("assignment", row.assignment_id.as_str()),
                ("until", until.as_str()),
            ],
        )
        .await
    };
    let stored_until = async || {
        audit_assignments::Entity::find()
            .filter(audit_assignments::Column::PublicId.eq(&row.assignment_id))
            .one(&db.db)
            .await
            .unwrap()
            .unwrap()
            .access_until
    };
    // Bad days, each at the field; nothing stored.
    let due_on = view.due_on;
    for (until, problem) in [
        (String::new(), Problem::Empty),
        ("31/12".to_owned(), Problem::InvalidDate),
        (
            (today() - Duration::days(1)).to_string(),
            Problem::DateInPast,
        ),
        (
            (due_on - Duration::days(1)).to_string(),
            Problem::NotAfterDue,
        ),
        (
            (due_on + Duration::days(61)).to_string(),
            Problem::ExtendTooLong { max_days: 60 },
        ),
    ] {
        let (status, body) = extend(&chef, until.clone()).await;
        assert_eq!(status, 400, "{until}: {body}");
        assert_eq!(
            error_of(&body).problem_for("until"),
            Some(problem),
            "{until}"
        );
    }
    assert_eq!(stored_until().await, None);
    assert_eq!(log_count(db, "extend_review").await, 0);

    // The due date passes (as time does: the round's row is set back).
    let yesterday = today() - Duration::days(1);
    set_due_on(db, &round, yesterday).await;

    let refused_before = log_count(db, "refused").await;
    let (status, body) = call(
        &reviewer,
        &server,
        "/api/audit/workspace",
        &[("assignment", row.assignment_id.as_str())],
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(
        error_of(&body),
        AppError::ReviewTimeOver { until: yesterday }
    );
    let (_, body) = call(
        &reviewer,
        &server,
        "/api/audit/answer",
        &[
            ("assignment", row.assignment_id.as_str()),
            ("period", "1"),
            ("item", "goals"),
            ("answer", "yes"),
        ],
    )
    .await;
    assert_eq!(
        error_of(&body),
        AppError::ReviewTimeOver { until: yesterday }
    );
    assert_eq!(log_count(db, "refused").await, refused_before + 2);
    let line = access_log::Entity::find()
        .filter(access_log::Column::Action.eq("refused"))
        .all(&db.db)
        .await
        .unwrap()
        .into_iter()
        .max_by_key(|l| l.id)
        .unwrap();
    let file = case_files::Entity::find()
        .filter(case_files::Column::PublicId.eq(&row.file_id))
        .one(&db.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        line.case_file_id,
        Some(file.id),
        "the refusal names the file"
    );
    assert!(
        matches!(
            LogDetail::from_stored(line.detail.as_deref().unwrap_or_default()),
            LogDetail::Refused {
                reason: RefusalReason::ReviewTimeOver,
                ..
            }
        ),
        "{:?}",
        line.detail
    );
    // Their list says so (the last day passed), and the manager sees it overdue.
    let (_, body) = call(&reviewer, &server, "/api/audit/overview", &[]).await;
    let overview: AuditOverview = serde_json::from_str(&body).unwrap();
    let mine = overview
        .mine
        .iter()
        .find(|r| r.assignment_id == row.assignment_id)
        .unwrap();
    assert_eq!(mine.due_on, yesterday);
    let view = round_view(&chef, &server, &round).await;
    let now = view
        .assignments
        .iter()
        .find(|a| a.assignment_id == row.assignment_id)
        .unwrap();
    assert!(now.overdue && now.access_until.is_none());

    // The manager gives a week more: logged, and the reviewer reads again.
    let until = today() + Duration::days(7);
    let (status, body) = extend(&chef, until.to_string()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(stored_until().await, Some(until));
    let line = access_log::Entity::find()
        .filter(access_log::Column::Action.eq("extend_review"))
        .one(&db.db)
        .await
        .unwrap()
        .expect("the extension is logged");
    assert_eq!(line.case_file_id, Some(file.id));
    assert_eq!(
        LogDetail::from_stored(line.detail.as_deref().unwrap_or_default()),
        LogDetail::Audit {
            year: today().year(),
            event: AuditEvent::Extended { until },
        }
    );
    assert!(
        workspace(&reviewer, &server, &row.assignment_id)
            .await
            .is_ok()
    );
    let (_, body) = call(&reviewer, &server, "/api/audit/overview", &[]).await;
    let overview: AuditOverview = serde_json::from_str(&body).unwrap();
    assert!(
        overview
            .mine
            .iter()
            .any(|r| r.assignment_id == row.assignment_id && r.due_on == until)
    );
    let view = round_view(&chef, &server, &round).await;
    assert!(
        view.assignments
            .iter()
            .any(|a| a.assignment_id == row.assignment_id
                && a.access_until == Some(until)
                && !a.overdue),
        "given more time, the review is not late before its new last day"
    );
    // The reviewer cannot give themselves more time.
    let (status, body) = extend(&reviewer, (until + Duration::days(7)).to_string()).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(stored_until().await, Some(until));
}

/// Issue 15, part 3: the manager's "Påminn" reaches the reviewer on every page until
/// they open their reviews (recorded with who and when, logged naming the account);
/// a reviewer's "my work" lists the reviews they owe; reviews long past the due date
/// are listed for the manager.
async fn reminders_reach_the_reviewer_until_opened_and_late_reviews_are_escalated(db: &TestDb) {
    use app::model::log::LogDetail;
    use app::model::{MyWork, SessionUser};
    use app::server::entities::{audit_reminders, users};
    demo_unit(db).await;
    let server = TestServer::start(&db.db).await;
    let chef = logged_in(&server, "chef").await;
    let round = open_round(&chef, &server).await;
    let remind = async |who: &str| {
        call(
            &chef,
            &server,
            "/api/audit/remind",
            &[("round", round.as_str()), ("reviewer", who)],
        )
        .await
    };
    // A draft round has nothing to remind of.
    let (status, body) = remind("anna").await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(error_of(&body), AppError::RoundClosed);
    publish(&chef, &server, &round).await;
    let view = round_view(&chef, &server, &round).await;
    let progress = view
        .progress
        .iter()
        .find(|p| p.assigned > 0)
        .expect("a reviewer with files")
        .clone();
    assert_eq!(progress.reminded, None);
    let username = progress.reviewer.username.clone();
    let reviewer = logged_in(&server, &username).await;
    let me = async || {
        let (_, body) = call(&reviewer, &server, "/api/current_user", &[]).await;
        serde_json::from_str::<Option<SessionUser>>(&body)
            .unwrap()
            .expect("logged in")
    };
    assert!(me().await.reminders.is_empty());

    // Someone who is not a reviewer with reviews left: refused at the field.
    let (status, body) = remind("nobody-here").await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        error_of(&body).problem_for("reviewer"),
        Some(Problem::InvalidReviewer)
    );
    assert_eq!(
        audit_reminders::Entity::find().count(&db.db).await.unwrap(),
        0
    );

    let (status, body) = remind(&username).await;
    assert_eq!(status, 200, "{body}");
    let reviewer_id = users::Entity::find()
        .filter(users::Column::Username.eq(&username))
        .one(&db.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let line = access_log::Entity::find()
        .filter(access_log::Column::Action.eq("remind_reviewer"))
        .one(&db.db)
        .await
        .unwrap()
        .expect("the reminder is logged");
    assert_eq!(line.account_id, Some(reviewer_id));
    assert_eq!(
        LogDetail::from_stored(line.detail.as_deref().unwrap_or_default()),
        LogDetail::Reminder {
            year: today().year(),
            reviewer: progress.reviewer.display_name.clone(),
        }
    );
    // On every page (the session user): how many are left, by when, from whom.
    let notes = me().await.reminders;
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0].left, progress.assigned);
    assert_eq!(notes[0].due_on, view.due_on);
    assert_eq!(notes[0].sent_by, "Eva Holm");
    assert_eq!(notes[0].sent_on, today());
    let reminded = |view: &RoundView| {
        view.progress
            .iter()
            .find(|p| p.reviewer.username == username)
            .and_then(|p| p.reminded.clone())
    };
    let view = round_view(&chef, &server, &round).await;
    assert_eq!(reminded(&view).map(|r| r.opened), Some(false));

    // "My work" lists the reviews they owe.
    let (_, body) = call(&reviewer, &server, "/api/duties/my_work", &[]).await;
    let work: MyWork = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
    assert_eq!(work.reviews.len() as u32, progress.assigned);
    assert!(
        work.reviews
            .iter()
            .all(|r| !r.submitted && r.round_id == round)
    );

    // Opening their reviews opens the reminder: gone from every page, marked opened.
    let (status, _) = call(&reviewer, &server, "/api/audit/overview", &[]).await;
    assert_eq!(status, 200);
    assert!(me().await.reminders.is_empty());
    let view = round_view(&chef, &server, &round).await;
    assert_eq!(reminded(&view).map(|r| r.opened), Some(true));
    assert!(view.escalated.is_empty());

    // Long past the due date, the reviews still open are the manager's to take further.
    let set_due = async |days_ago: i64| {
        set_due_on(db, &round, today() - Duration::days(days_ago)).await;
    };
    set_due(13).await;
    assert!(
        round_view(&chef, &server, &round)
            .await
            .escalated
            .is_empty()
    );
    set_due(15).await;
    let view = round_view(&chef, &server, &round).await;
    let open = view.assignments.iter().filter(|a| !a.submitted).count();
    assert_eq!(view.escalated.len(), open);
    assert!(view.escalated.iter().all(|e| e.days_late == 15));
    assert!(
        view.escalated
            .iter()
            .any(|e| e.reviewer == progress.reviewer.display_name)
    );
}

/// A large unit's round opens (issue 15): more reviews than one INSERT may bind on
/// SQLite (about 3 600 of nine columns) are written a few hundred at a time.
async fn a_round_of_more_than_3600_reviews_opens(db: &TestDb) {
    generate(
        &db.db,
        Options {
            seed: 7,
            clients: 3300,
            today: today(),
        },
    )
    .await
    .expect("demo");
    let server = TestServer::start(&db.db).await;
    let chef = logged_in(&server, "chef").await;
    let (status, body) = open_with(&chef, &server, &[("double", "1000")], &STAFF).await;
    assert!(status < 400, "{status} {body}");
    let round: String = serde_json::from_str(&body).unwrap();
    let round_id = audit_rounds::Entity::find()
        .filter(audit_rounds::Column::PublicId.eq(&round))
        .one(&db.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let reviews = audit_assignments::Entity::find()
        .filter(audit_assignments::Column::RoundId.eq(round_id))
        .count(&db.db)
        .await
        .unwrap();
    assert!(reviews > 3650, "{reviews} reviews");
    let seconds = audit_assignments::Entity::find()
        .filter(audit_assignments::Column::RoundId.eq(round_id))
        .filter(audit_assignments::Column::SecondReview.eq(true))
        .count(&db.db)
        .await
        .unwrap();
    assert_eq!(seconds, 1000);
}

on_both_backends! {
    bad_rounds_store_nothing => bad_rounds_are_refused_and_store_nothing;
    nothing_to_audit => a_unit_without_files_has_nothing_to_audit;
    pairing_and_access => pairing_follows_the_rules_and_reviewers_read_only_their_files;
    review_lifecycle_and_results => answers_save_submit_locks_reopen_and_results_add_up;
    double_review => double_review_follows_the_rules_and_hides_answers_until_both_submit;
    contact_person_view => contact_persons_see_submitted_results_of_their_files_only;
    files_per_reviewer => files_per_reviewer_refuses_too_few_reviewers_and_stores_nothing;
    checklist_edit => a_rounds_checklist_is_edited_only_while_a_draft;
    reopen_and_one_round_per_year => a_closed_round_reopens_for_a_while_and_a_year_has_one_round;
    files_without_a_plan => files_without_a_plan_are_in_the_round_and_say_so;
    review_access_ends => review_access_ends_at_the_due_date_unless_the_manager_extends_it;
    reminders_and_escalation => reminders_reach_the_reviewer_until_opened_and_late_reviews_are_escalated;
    large_round => a_round_of_more_than_3600_reviews_opens;
}
