//! Culling (gallring) on both databases: a file closed more than five years ago goes
//! with everything in it; research birthdays, younger and open files keep a file; a dry
//! run changes nothing; the daily run happens once a day; outside a culling transaction
//! signed entries and the access log stay permanent.

use crate::common::{TestDb, TestServer, call, login, make_user};
use app::error::AppError;
use app::server::culling::{self, RunKind, RunOutcome};
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DbBackend, Statement};

fn d(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

const TODAY: &str = "2026-11-23";

async fn exec(db: &TestDb, sql: &str) -> Result<u64, sea_orm::DbErr> {
    db.db
        .execute_raw(Statement::from_string(db.backend(), sql.to_owned()))
        .await
        .map(|r| r.rows_affected())
}

async fn count(db: &TestDb, sql: &str) -> i64 {
    let row = db
        .db
        .query_one_raw(Statement::from_string(db.backend(), sql.to_owned()))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .expect("row");
    row.try_get_by_index::<i64>(0).expect("count")
}

fn now(db: &TestDb) -> &'static str {
    match db.backend() {
        DbBackend::Postgres => "NOW()",
        _ => "'2026-11-01T12:00:00+00:00'",
    }
}

async fn client(db: &TestDb, id: i32, born: &str) {
    let now = now(db);
    let digits = born.replace('-', "");
    exec(db, &format!(
        "INSERT INTO clients (id, public_id, first_name, last_name, identity_number, birth_date, protected_identity, created_at) \
         VALUES ({id}, 'c{id}', 'Förnamn{id}', 'Efternamn{id}', '{digits}-{id:04}', '{born}', false, {now})"
    ))
    .await
    .expect("client");
}

/// A file with everything that can hang on it: a plan version with a goal and a
/// sub-goal, a signed entry linked to the goal, a signed correction of it, a draft,
/// a co-worker, an intake check and access-log lines (on the file and on the client).
async fn file(db: &TestDb, id: i32, client_id: i32, closed_on: Option<&str>) {
    let now = now(db);
    let closed = closed_on.map_or("NULL".to_owned(), |c| format!("'{c}'"));
    let base = id * 10;
    for sql in [
        format!(
            "INSERT INTO assignments (id, client_id, received_on, secretary_name, secretary_unit, decision_date, service_type, service_granted, period_from, first_follow_up, created_at) \
             VALUES ({id}, {client_id}, '2015-10-01', 'Sekreterare', 'Vuxenenheten', '2015-09-28', 'individual_treatment', 'Samtal', '2015-10-01', '2015-10-29', {now})"
        ),
        format!(
            "INSERT INTO case_files (id, public_id, client_id, assignment_id, contact_person_id, started_on, closed_on, created_at) \
             VALUES ({id}, 'f{id}', {client_id}, {id}, 1, '2015-10-01', {closed}, {now})"
        ),
        format!("INSERT INTO care_team (case_file_id, user_id) VALUES ({id}, 2)"),
        format!(
            "INSERT INTO intake_checks (case_file_id, item, checked_by, checked_at) VALUES ({id}, 'consent', 1, {now})"
        ),
        format!(
            "INSERT INTO plan_versions (id, case_file_id, version_no, valid_from, client_view, created_by, created_at) \
             VALUES ({id}, {id}, 1, '2015-10-03', 'Klientens syn', 1, {now})"
        ),
        format!(
            "INSERT INTO goals (id, public_id, plan_version_id, position, title, what, how, who) \
             VALUES ({base}, 'g{base}', {id}, 1, 'Mål', 'Vad', 'Hur', 'Vem')"
        ),
        format!(
            "INSERT INTO goals (id, public_id, plan_version_id, parent_id, position, title, what, how, who) \
             VALUES ({}, 'g{}', {id}, {base}, 1, 'Delmål', 'Vad', 'Hur', 'Vem')",
            base + 1,
            base + 1
        ),
        format!(
            "INSERT INTO journal_entries (id, public_id, case_file_id, author_id, event_date, category, body, status, created_at, updated_at) \
             VALUES ({base}, 'e{base}', {id}, 1, '2015-10-05', 'event', 'Signerad text', 'draft', {now}, {now})"
        ),
        format!("INSERT INTO journal_entry_goals (entry_id, goal_id) VALUES ({base}, {base})"),
        format!(
            "UPDATE journal_entries SET status = 'signed', signed_at = {now} WHERE id = {base}"
        ),
        format!(
            "INSERT INTO journal_entries (id, public_id, case_file_id, author_id, event_date, category, body, status, signed_at, corrects_id, correction_reason, created_at, updated_at) \
             VALUES ({}, 'e{}', {id}, 1, '2015-10-05', 'event', 'Rättad text', 'signed', {now}, {base}, 'Fel datum', {now}, {now})",
            base + 1,
            base + 1
        ),
        format!(
            "INSERT INTO journal_entries (id, public_id, case_file_id, author_id, event_date, category, body, status, created_at, updated_at) \
             VALUES ({}, 'e{}', {id}, 1, '2015-10-06', 'event', 'Utkast', 'draft', {now}, {now})",
            base + 2,
            base + 2
        ),
        // A documented follow-up pointing at the signed entry, the final report, and a
        // submitted review of the file in an audit round.
        format!(
            "INSERT INTO follow_ups (id, public_id, case_file_id, planned_on, booked_by, held_on, participants, outcome, plan_revised, documented_by, journal_entry_id, created_at) \
             VALUES ({id}, 'u{id}', {id}, '2015-10-05', 1, '2015-10-05', 'Klient', 'Gick bra', false, 1, {base}, {now})"
        ),
        format!(
            "INSERT INTO final_reports (case_file_id, treatment, outcome, client_view_ending, client_view_service, written_by, written_at) \
             VALUES ({id}, 'Samtal', 'Målen nådda', 'Bra', 'Bra', 1, {now})"
        ),
        // A monthly review (its journal entry is the signed one) and a monthly report
        // with the goal evaluated.
        format!(
            "INSERT INTO monthly_reviews (id, case_file_id, month, phrasing, journal_entry_id, signed_by, signed_at) \
             VALUES ({id}, {id}, '2015-10', 'nothing_seen', {base}, 1, {now})"
        ),
        format!(
            "INSERT INTO monthly_reports (id, case_file_id, month, plan_version_id, events, client_copy, secretary_name, secretary_unit, signed_by, signed_at) \
             VALUES ({id}, {id}, '2015-10', {id}, 'Inga', false, 'Sekreterare', 'Vuxenenheten', 1, {now})"
        ),
        format!(
            "INSERT INTO monthly_report_goals (report_id, goal_id, position, goal_title, evaluation) \
             VALUES ({id}, {base}, 0, 'Mål', 'Går bra')"
        ),
        format!(
            "INSERT INTO audit_assignments (id, public_id, round_id, case_file_id, reviewer_id, second_review, submitted_at) \
             VALUES ({id}, 'a{id}', 1, {id}, 2, false, {now})"
        ),
        format!(
            "INSERT INTO audit_answers (assignment_id, plan_version_id, item_key, answer, comment, updated_at) \
             VALUES ({id}, {id}, 'plan_in_time', 'yes', '', {now})"
        ),
        format!(
            "INSERT INTO audit_judgements (assignment_id, plan_version_id, judgement, summary, updated_at) \
             VALUES ({id}, {id}, 'yes', 'Följer planen', {now})"
        ),
        format!(
            "INSERT INTO access_log (at, user_id, action, client_id, case_file_id) VALUES ({now}, 1, 'read_journal', {client_id}, {id})"
        ),
        format!(
            "INSERT INTO access_log (at, user_id, action, client_id) VALUES ({now}, 2, 'list_files', {client_id})"
        ),
    ] {
        exec(db, &sql)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

/// c1: one file closed in 2020 → culled, client removed.
/// c2: born on the 15th → kept.
/// c3: a 2020 file and a younger 2023 file → both kept.
/// c4: a 2019 file and an open file → kept.
/// c5: closed 2021-12-01 → due 2026-12-01, within the 90 days but not yet.
/// c6: files closed 2019 and 2020 → both culled, client removed.
async fn seed(db: &TestDb) {
    let now = now(db);
    for (id, name) in [(1, "anna"), (2, "johan")] {
        exec(db, &format!(
            "INSERT INTO users (id, username, display_name, role, password_hash, active, created_at, password_changed_at) \
             VALUES ({id}, '{name}', '{name}', 'staff', 'x', true, {now}, {now})"
        ))
        .await
        .expect("user");
    }
    if db.backend() == DbBackend::Postgres {
        // Explicit ids were written; later users get theirs from the sequence.
        exec(
            db,
            "SELECT setval(pg_get_serial_sequence('users', 'id'), 100)",
        )
        .await
        .expect("sequence");
    }
    exec(db, &format!(
        "INSERT INTO audit_rounds (id, public_id, year, due_on, seed, status, created_by, created_at) \
         VALUES (1, 'r1', 2016, '2016-12-31', 7, 'closed', 1, {now})"
    ))
    .await
    .expect("audit round");
    for (id, born) in [
        (1, "1980-06-12"),
        (2, "1980-06-15"),
        (3, "1980-06-12"),
        (4, "1980-06-12"),
        (5, "1980-06-12"),
        (6, "1980-06-12"),
    ] {
        client(db, id, born).await;
    }
    for (id, client_id, closed) in [
        (1, 1, Some("2020-01-10")),
        (2, 2, Some("2020-01-10")),
        (3, 3, Some("2020-01-10")),
        (4, 3, Some("2023-03-01")),
        (5, 4, Some("2019-01-01")),
        (6, 4, None),
        (7, 5, Some("2021-12-01")),
        (8, 6, Some("2019-05-01")),
        (9, 6, Some("2020-05-01")),
    ] {
        file(db, id, client_id, closed).await;
    }
}

const TABLES: [&str; 11] = [
    "clients",
    "assignments",
    "case_files",
    "care_team",
    "intake_checks",
    "plan_versions",
    "goals",
    "journal_entries",
    "journal_entry_goals",
    "access_log",
    "cull_log",
];

async fn counts(db: &TestDb) -> Vec<i64> {
    let mut out = Vec::new();
    for t in TABLES {
        out.push(count(db, &format!("SELECT COUNT(*) FROM {t}")).await);
    }
    out
}

async fn a_dry_run_changes_nothing(db: &TestDb) {
    seed(db).await;
    let before = counts(db).await;
    let outcome = culling::run(&db.db, d(TODAY), RunKind::Manual, true, |_, _| {})
        .await
        .expect("dry run");
    let RunOutcome::DryRun(files) = outcome else {
        panic!("not a dry run: {outcome:?}");
    };
    let ids: Vec<&str> = files.iter().map(|f| f.public_id.as_str()).collect();
    assert_eq!(ids, ["f1", "f8", "f9"]);
    assert_eq!(counts(db).await, before);
}

async fn culling_destroys_due_files_with_everything_and_keeps_the_rest(db: &TestDb) {
    seed(db).await;
    let mut calls = Vec::new();
    let outcome = culling::run(&db.db, d(TODAY), RunKind::Manual, false, |done, total| {
        calls.push((done, total));
    })
    .await
    .expect("run");
    assert_eq!(calls, [(1, 3), (2, 3), (3, 3)]);
    let RunOutcome::Done(summary) = outcome else {
        panic!("not done: {outcome:?}");
    };
    assert_eq!(summary.files, 3);
    assert_eq!(summary.clients, 2);
    assert_eq!(summary.entries, 9);
    // Each file: its own line; each removed client: the client-only line(s).
    assert_eq!(summary.log_lines, 6);
    assert_eq!(summary.skipped, 0);

    for (gone, table, column) in [
        ("1, 8, 9", "case_files", "id"),
        ("1, 8, 9", "assignments", "id"),
        ("1, 8, 9", "care_team", "case_file_id"),
        ("1, 8, 9", "intake_checks", "case_file_id"),
        ("1, 8, 9", "plan_versions", "case_file_id"),
        ("10, 11, 80, 81, 90, 91", "goals", "id"),
        (
            "10, 11, 12, 80, 81, 82, 90, 91, 92",
            "journal_entries",
            "id",
        ),
        ("10, 80, 90", "journal_entry_goals", "entry_id"),
        ("1, 8, 9", "access_log", "case_file_id"),
        ("1, 6", "access_log", "client_id"),
        ("1, 6", "clients", "id"),
        ("1, 8, 9", "follow_ups", "case_file_id"),
        ("1, 8, 9", "final_reports", "case_file_id"),
        ("1, 8, 9", "monthly_reviews", "case_file_id"),
        ("1, 8, 9", "monthly_reports", "case_file_id"),
        ("1, 8, 9", "monthly_report_goals", "report_id"),
        ("1, 8, 9", "audit_assignments", "case_file_id"),
        ("1, 8, 9", "audit_answers", "assignment_id"),
        ("1, 8, 9", "audit_judgements", "assignment_id"),
    ] {
        assert_eq!(
            count(
                db,
                &format!("SELECT COUNT(*) FROM {table} WHERE {column} IN ({gone})")
            )
            .await,
            0,
            "{table}.{column} in ({gone}) survived"
        );
    }
    // Everything else is still there.
    assert_eq!(count(db, "SELECT COUNT(*) FROM case_files").await, 6);
    assert_eq!(count(db, "SELECT COUNT(*) FROM clients").await, 4);
    assert_eq!(count(db, "SELECT COUNT(*) FROM journal_entries").await, 18);
    assert_eq!(count(db, "SELECT COUNT(*) FROM goals").await, 12);
    assert_eq!(count(db, "SELECT COUNT(*) FROM access_log").await, 12);
    assert_eq!(count(db, "SELECT COUNT(*) FROM deletion_permits").await, 0);
    assert_eq!(count(db, "SELECT COUNT(*) FROM follow_ups").await, 6);
    assert_eq!(count(db, "SELECT COUNT(*) FROM monthly_reviews").await, 6);
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM monthly_report_goals").await,
        6
    );
    assert_eq!(count(db, "SELECT COUNT(*) FROM audit_assignments").await, 6);

    // The cull log: counts and the closing dates' range, nothing else.
    let runs = culling::recent_runs(&db.db, 10).await.expect("runs");
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run.kind, "manual");
    assert_eq!(run.run_on, d(TODAY));
    assert!(run.finished_at.is_some());
    assert_eq!(
        (
            run.files_culled,
            run.clients_removed,
            run.entries_removed,
            run.log_lines_removed
        ),
        (3, 2, 9, 6)
    );
    assert_eq!(run.earliest_closed_on, Some(d("2019-05-01")));
    assert_eq!(run.latest_closed_on, Some(d("2020-05-01")));

    // A second run finds nothing more to do.
    let again = culling::run(&db.db, d(TODAY), RunKind::Manual, false, |_, _| {})
        .await
        .expect("second run");
    assert_eq!(again, RunOutcome::Done(culling::Summary::default()));

    // Signed entries of the kept files are as permanent as ever.
    signed_entries_stay_permanent(db, 2).await;
}

/// Outside a culling transaction the old refusals hold for file `id`.
async fn signed_entries_stay_permanent(db: &TestDb, id: i32) {
    let base = id * 10;
    assert!(
        exec(
            db,
            &format!("UPDATE journal_entries SET body = 'ändrad' WHERE id = {base}")
        )
        .await
        .is_err(),
        "a signed entry was changed"
    );
    assert!(
        exec(
            db,
            &format!("DELETE FROM journal_entry_goals WHERE entry_id = {base}")
        )
        .await
        .is_err(),
        "a signed entry's goal link was deleted"
    );
    assert!(
        exec(
            db,
            &format!("DELETE FROM journal_entries WHERE id = {}", base + 1)
        )
        .await
        .is_err(),
        "a signed entry was deleted"
    );
    assert!(
        exec(
            db,
            &format!("DELETE FROM access_log WHERE case_file_id = {id} OR client_id = {id}")
        )
        .await
        .is_err(),
        "an access-log line was deleted"
    );
    assert!(
        exec(db, "UPDATE access_log SET action = 'x'")
            .await
            .is_err(),
        "the access log was changed"
    );
}

async fn a_permit_is_narrow(db: &TestDb) {
    seed(db).await;
    let now = now(db);
    exec(db, &format!(
        "INSERT INTO deletion_permits (case_file_id, client_id, created_at) VALUES (2, 2, {now})"
    ))
    .await
    .expect("permit");
    // Even with a permit, nothing may be changed, and other files stay protected.
    assert!(
        exec(
            db,
            "UPDATE journal_entries SET body = 'ändrad' WHERE id = 20"
        )
        .await
        .is_err(),
        "a signed entry was changed under a permit"
    );
    assert!(
        exec(
            db,
            "UPDATE access_log SET action = 'x' WHERE case_file_id = 2"
        )
        .await
        .is_err(),
        "the access log was changed under a permit"
    );
    signed_entries_stay_permanent(db, 3).await;
    // The permit's own file can go (this is what culling does inside its transaction).
    assert_eq!(
        exec(db, "DELETE FROM access_log WHERE case_file_id = 2")
            .await
            .expect("permitted"),
        1
    );
    exec(db, "DELETE FROM deletion_permits")
        .await
        .expect("remove permit");
    signed_entries_stay_permanent(db, 2).await;
    if db.backend() == DbBackend::Postgres {
        assert!(exec(db, "TRUNCATE access_log").await.is_err());
        assert!(exec(db, "TRUNCATE journal_entries").await.is_err());
    }
}

async fn the_daily_run_happens_once_a_day(db: &TestDb) {
    seed(db).await;
    let first = culling::run(&db.db, d(TODAY), RunKind::Daily, false, |_, _| {})
        .await
        .expect("first");
    assert!(matches!(first, RunOutcome::Done(s) if s.files == 3));
    let second = culling::run(&db.db, d(TODAY), RunKind::Daily, false, |_, _| {})
        .await
        .expect("second");
    assert_eq!(second, RunOutcome::AlreadyRan);
    // The next day runs again (and finds c5's file not yet due).
    let next = culling::run(&db.db, d("2026-11-24"), RunKind::Daily, false, |_, _| {})
        .await
        .expect("next day");
    assert_eq!(next, RunOutcome::Done(culling::Summary::default()));
    assert_eq!(count(db, "SELECT COUNT(*) FROM cull_log").await, 2);
}

async fn the_preview_lists_what_is_due_within_ninety_days(db: &TestDb) {
    seed(db).await;
    let due = culling::due_by(&db.db, culling::preview_horizon(d(TODAY)))
        .await
        .expect("preview");
    let rows: Vec<(&str, NaiveDate)> = due.iter().map(|f| (f.public_id.as_str(), f.due)).collect();
    assert_eq!(
        rows,
        [
            ("f1", d("2025-01-10")),
            ("f8", d("2025-05-01")),
            ("f9", d("2025-05-01")),
            ("f7", d("2026-12-01")),
        ]
    );
}

async fn only_the_administrator_sees_the_culling_page(db: &TestDb) {
    seed(db).await;
    make_user(&db.db, "admin", "admin", "ett-langt-losenord").await;
    make_user(&db.db, "chef", "manager", "ett-langt-losenord").await;
    let server = TestServer::start(&db.db).await;
    let chef = TestServer::client();
    login(&chef, &server, "chef", "ett-langt-losenord").await;
    let (_, body) = call(&chef, &server, "/api/culling/overview", &[]).await;
    assert_eq!(
        serde_json::from_str::<AppError>(&body).expect("error"),
        AppError::Forbidden
    );
    let admin = TestServer::client();
    login(&admin, &server, "admin", "ett-langt-losenord").await;
    let (status, body) = call(&admin, &server, "/api/culling/overview", &[]).await;
    assert_eq!(status, 200, "{body}");
    // Public ids and dates, never a name or an identity number.
    assert!(
        !body.contains("Förnamn") && !body.contains("Efternamn"),
        "{body}"
    );
    assert!(!body.contains("19800612"), "{body}");
    let o: app::model::CullingView = serde_json::from_str(&body).expect("overview");
    assert!(o.due.iter().any(|r| r.file == "f1"));
}

on_both_backends! {
    dry_run => a_dry_run_changes_nothing;
    culls_due_files => culling_destroys_due_files_with_everything_and_keeps_the_rest;
    permits_are_narrow => a_permit_is_narrow;
    daily_once => the_daily_run_happens_once_a_day;
    preview => the_preview_lists_what_is_due_within_ninety_days;
    admin_page => only_the_administrator_sees_the_culling_page;
}
