//! The schema's invariants, proven in SQL against SQLite and PostgreSQL.

use crate::common::TestDb;
use sea_orm::{ConnectionTrait, DbBackend, Statement};

async fn exec(db: &TestDb, sql: &str) -> Result<u64, sea_orm::DbErr> {
    db.db
        .execute_raw(Statement::from_string(db.backend(), sql.to_owned()))
        .await
        .map(|r| r.rows_affected())
}

/// A user, a client, an assignment and a file, by plain SQL.
async fn seed_file(db: &TestDb) {
    let now = match db.backend() {
        DbBackend::Postgres => "NOW()",
        _ => "'2026-11-01T12:00:00+00:00'",
    };
    for sql in [
        format!(
            "INSERT INTO users (id, username, display_name, role, password_hash, active, created_at, password_changed_at) VALUES (1, 'anna', 'Anna', 'staff', 'x', true, {now}, {now})"
        ),
        format!(
            "INSERT INTO clients (id, public_id, first_name, last_name, identity_number, birth_date, protected_identity, created_at) VALUES (1, 'c1', 'Tolvan', 'Tolvansson', '19121212-1212', '1912-12-12', false, {now})"
        ),
        format!(
            "INSERT INTO assignments (id, client_id, received_on, secretary_name, secretary_unit, decision_date, service_type, service_granted, period_from, first_follow_up, created_at) VALUES (1, 1, '2026-10-01', 'Sekreterare', 'Vuxenenheten', '2026-09-28', 'individual_treatment', 'Samtal', '2026-10-01', '2026-10-29', {now})"
        ),
        format!(
            "INSERT INTO case_files (id, public_id, client_id, assignment_id, contact_person_id, started_on, created_at) VALUES (1, 'f1', 1, 1, 1, '2026-10-01', {now})"
        ),
        format!(
            "INSERT INTO plan_versions (id, case_file_id, version_no, valid_from, client_view, created_by, created_at) VALUES (1, 1, 1, '2026-10-03', 'Klientens syn', 1, {now})"
        ),
        "INSERT INTO goals (id, public_id, plan_version_id, position, title, what, how, who) VALUES (1, 'g1', 1, 1, 'Mål', 'Vad', 'Hur', 'Vem')".to_owned(),
        format!(
            "INSERT INTO journal_entries (id, public_id, case_file_id, author_id, event_date, category, body, status, signed_at, created_at, updated_at) VALUES (1, 'e1', 1, 1, '2026-10-05', 'event', 'Signerad text', 'signed', {now}, {now}, {now})"
        ),
        format!(
            "INSERT INTO journal_entries (id, public_id, case_file_id, author_id, event_date, category, body, status, created_at, updated_at) VALUES (2, 'e2', 1, 1, '2026-10-06', 'event', 'Utkast', 'draft', {now}, {now})"
        ),
        format!(
            "INSERT INTO access_log (at, user_id, action, case_file_id) VALUES ({now}, 1, 'read_file', 1)"
        ),
    ] {
        exec(db, &sql)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

async fn signed_entries_cannot_change(db: &TestDb) {
    seed_file(db).await;
    let update = exec(
        db,
        "UPDATE journal_entries SET body = 'ändrad' WHERE id = 1",
    )
    .await;
    assert!(update.is_err(), "the database let a signed entry change");
    let unsign = exec(
        db,
        "UPDATE journal_entries SET status = 'draft' WHERE id = 1",
    )
    .await;
    assert!(
        unsign.is_err(),
        "the database let a signed entry be unsigned"
    );
    let delete = exec(db, "DELETE FROM journal_entries WHERE id = 1").await;
    assert!(
        delete.is_err(),
        "the database let a signed entry be deleted"
    );
    // A draft is the author's to change, sign or throw away.
    assert_eq!(
        exec(
            db,
            "UPDATE journal_entries SET body = 'nytt utkast' WHERE id = 2"
        )
        .await
        .expect("draft update"),
        1
    );
    assert_eq!(
        exec(
            db,
            "UPDATE journal_entries SET status = 'signed' WHERE id = 2"
        )
        .await
        .expect("sign"),
        1
    );
    assert!(
        exec(
            db,
            "UPDATE journal_entries SET body = 'efter signering' WHERE id = 2"
        )
        .await
        .is_err()
    );
}

async fn signed_goal_links_cannot_change(db: &TestDb) {
    seed_file(db).await;
    // A draft's links are the author's to change.
    assert_eq!(
        exec(
            db,
            "INSERT INTO journal_entry_goals (entry_id, goal_id) VALUES (2, 1)"
        )
        .await
        .expect("link draft"),
        1
    );
    // A signed entry gets no new links...
    assert!(
        exec(
            db,
            "INSERT INTO journal_entry_goals (entry_id, goal_id) VALUES (1, 1)"
        )
        .await
        .is_err()
    );
    // ...and once signed, a draft's links stay.
    exec(
        db,
        "UPDATE journal_entries SET status = 'signed' WHERE id = 2",
    )
    .await
    .expect("sign");
    assert!(
        exec(db, "DELETE FROM journal_entry_goals WHERE entry_id = 2")
            .await
            .is_err()
    );
    assert!(
        exec(
            db,
            "UPDATE journal_entry_goals SET goal_id = 1 WHERE entry_id = 2"
        )
        .await
        .is_err()
    );
}

async fn access_log_is_append_only(db: &TestDb) {
    seed_file(db).await;
    assert!(
        exec(db, "UPDATE access_log SET action = 'nothing'")
            .await
            .is_err()
    );
    assert!(exec(db, "DELETE FROM access_log").await.is_err());
    if db.backend() == DbBackend::Postgres {
        assert!(exec(db, "TRUNCATE access_log").await.is_err());
    }
    let n = exec(db, "INSERT INTO access_log (at, user_id, action) VALUES ('2026-11-02T10:00:00+00:00', 1, 'login')").await;
    assert_eq!(n.expect("append"), 1);
}

async fn foreign_keys_are_enforced(db: &TestDb) {
    let orphan = exec(
        db,
        "INSERT INTO care_team (case_file_id, user_id) VALUES (999, 999)",
    )
    .await;
    assert!(
        orphan.is_err(),
        "a care-team row without file or user was accepted"
    );
}

async fn migrations_are_idempotent(db: &TestDb) {
    let applied = akta_server::cli::migrate(&db.db).await.expect("second run");
    assert!(applied.is_empty(), "a second run applied {applied:?}");
}

on_both_backends! {
    signed_journal_entries_are_permanent => signed_entries_cannot_change;
    goal_links_of_signed_entries_are_permanent => signed_goal_links_cannot_change;
    access_log_refuses_update_and_delete => access_log_is_append_only;
    foreign_keys_hold => foreign_keys_are_enforced;
    migrating_twice_changes_nothing => migrations_are_idempotent;
}

#[tokio::test]
async fn sqlite_runs_in_wal_with_full_sync_and_foreign_keys() {
    let db = TestDb::new(crate::common::Backend::Sqlite)
        .await
        .expect("sqlite");
    let one = |sql: &'static str| {
        let db = &db.db;
        async move {
            let row = db
                .query_one_raw(Statement::from_string(DbBackend::Sqlite, sql.to_owned()))
                .await
                .expect("pragma")
                .expect("row");
            row.try_get_by_index::<String>(0)
                .or_else(|_| row.try_get_by_index::<i64>(0).map(|n| n.to_string()))
                .expect("value")
        }
    };
    assert_eq!(one("PRAGMA journal_mode").await, "wal");
    assert_eq!(
        one("PRAGMA synchronous").await,
        "2",
        "synchronous=FULL is 2"
    );
    assert_eq!(one("PRAGMA foreign_keys").await, "1");
    db.cleanup().await;
}
