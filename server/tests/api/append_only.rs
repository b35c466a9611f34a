//! Append-only in the database itself (issue 14, item 6), in plain SQL.
//!
//! On both databases: a signed entry, an access-log line, a signed plan version and its
//! goals refuse being rewritten by an upsert, moved onto, changed or deleted without a
//! permit. On SQLite also `INSERT OR REPLACE`, `REPLACE` and `UPDATE OR REPLACE`, with
//! `recursive_triggers` off (the default, when REPLACE fires no DELETE trigger) and on.
//! On PostgreSQL, with the two roles: the runtime role cannot insert a permit, delete or
//! update log lines, TRUNCATE, disable triggers, change the schema or get a permit for a
//! file that is not due; and the server still works as it.

use crate::common::{PG_DEFAULT, TestDb, TestServer, login, make_user};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};

async fn exec(db: &DatabaseConnection, sql: &str) -> Result<u64, sea_orm::DbErr> {
    db.execute_raw(Statement::from_string(
        db.get_database_backend(),
        sql.to_owned(),
    ))
    .await
    .map(|r| r.rows_affected())
}

async fn text(db: &DatabaseConnection, sql: &str) -> String {
    db.query_one_raw(Statement::from_string(
        db.get_database_backend(),
        sql.to_owned(),
    ))
    .await
    .unwrap_or_else(|e| panic!("{sql}: {e}"))
    .unwrap_or_else(|| panic!("{sql}: no row"))
    .try_get_by_index::<String>(0)
    .expect("text")
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    db.query_one_raw(Statement::from_string(
        db.get_database_backend(),
        sql.to_owned(),
    ))
    .await
    .unwrap_or_else(|e| panic!("{sql}: {e}"))
    .expect("row")
    .try_get_by_index::<i64>(0)
    .expect("count")
}

/// The statement must be refused.
async fn refused(db: &DatabaseConnection, sql: &str) {
    if let Ok(n) = exec(db, sql).await {
        panic!("the database let this through ({n} rows): {sql}");
    }
}

fn now(db: &DatabaseConnection) -> &'static str {
    match db.get_database_backend() {
        DbBackend::Postgres => "NOW()",
        _ => "'2026-11-01T12:00:00+00:00'",
    }
}

/// User `anna` (made through the app), client 1 (born 1980-06-12) with file 1 closed
/// `closed`: plan version 1 signed with goal 10 and sub-goal 11, plan version 2
/// unsigned with goal 20, signed entry 10 linked to goal 10, draft 11 linked to goal
/// 20, and access-log line 1.
async fn seed(db: &DatabaseConnection, closed: &str) {
    make_user(db, "anna", "staff", "ett långt lösenord").await;
    let user = count(db, "SELECT CAST(MAX(id) AS BIGINT) FROM users").await;
    let now = now(db);
    for sql in [
        format!(
            "INSERT INTO clients (id, public_id, first_name, last_name, identity_number, birth_date, protected_identity, created_at) \
             VALUES (1, 'c1', 'Tolvan', 'Tolvansson', '19800612-0001', '1980-06-12', false, {now})"
        ),
        format!(
            "INSERT INTO assignments (id, client_id, received_on, secretary_name, secretary_unit, decision_date, service_type, service_granted, period_from, first_follow_up, created_at) \
             VALUES (1, 1, '2015-10-01', 'Sekreterare', 'Vuxenenheten', '2015-09-28', 'individual_treatment', 'Samtal', '2015-10-01', '2015-10-29', {now})"
        ),
        format!(
            "INSERT INTO case_files (id, public_id, client_id, assignment_id, contact_person_id, started_on, closed_on, created_at) \
             VALUES (1, 'f1', 1, 1, {user}, '2015-10-01', '{closed}', {now})"
        ),
        format!(
            "INSERT INTO plan_versions (id, case_file_id, version_no, valid_from, client_view, created_by, created_at) \
             VALUES (1, 1, 1, '2015-10-03', 'Klientens syn', {user}, {now})"
        ),
        "INSERT INTO goals (id, public_id, plan_version_id, position, title, what, how, who) \
         VALUES (10, 'g10', 1, 1, 'Mål', 'Vad', 'Hur', 'Vem')"
            .to_owned(),
        "INSERT INTO goals (id, public_id, plan_version_id, parent_id, position, title, what, how, who) \
         VALUES (11, 'g11', 1, 10, 1, 'Delmål', 'Vad', 'Hur', 'Vem')"
            .to_owned(),
        "UPDATE plan_versions SET client_signed_on = '2015-10-04', client_signed_how = 'on_paper' WHERE id = 1"
            .to_owned(),
        format!(
            "INSERT INTO plan_versions (id, case_file_id, version_no, valid_from, client_view, created_by, created_at) \
             VALUES (2, 1, 2, '2016-01-03', 'Reviderad', {user}, {now})"
        ),
        "INSERT INTO goals (id, public_id, plan_version_id, position, title, what, how, who) \
         VALUES (20, 'g20', 2, 1, 'Nytt mål', 'Vad', 'Hur', 'Vem')"
            .to_owned(),
        format!(
            "INSERT INTO journal_entries (id, public_id, case_file_id, author_id, event_date, category, body, status, created_at, updated_at) \
             VALUES (10, 'e10', 1, {user}, '2015-10-05', 'event', 'Signerad text', 'draft', {now}, {now})"
        ),
        "INSERT INTO journal_entry_goals (entry_id, goal_id) VALUES (10, 10)".to_owned(),
        format!("UPDATE journal_entries SET status = 'signed', signed_at = {now} WHERE id = 10"),
        format!(
            "INSERT INTO journal_entries (id, public_id, case_file_id, author_id, event_date, category, body, status, created_at, updated_at) \
             VALUES (11, 'e11', 1, {user}, '2016-01-05', 'event', 'Utkast', 'draft', {now}, {now})"
        ),
        "INSERT INTO journal_entry_goals (entry_id, goal_id) VALUES (11, 20)".to_owned(),
        format!(
            "INSERT INTO access_log (id, at, user_id, action, client_id, case_file_id) VALUES (1, {now}, {user}, 'read_journal', 1, 1)"
        ),
    ] {
        exec(db, &sql).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

/// After explicit ids, PostgreSQL's sequences start above them (as the tables' owner:
/// the runtime role may not move a sequence).
async fn bump_sequences(db: &DatabaseConnection) {
    for table in [
        "clients",
        "assignments",
        "case_files",
        "plan_versions",
        "goals",
        "journal_entries",
        "access_log",
    ] {
        exec(
            db,
            &format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), 100)"),
        )
        .await
        .expect("sequence");
    }
}

/// What was signed is still there, word for word.
async fn nothing_changed(db: &DatabaseConnection) {
    assert_eq!(
        text(db, "SELECT body FROM journal_entries WHERE id = 10").await,
        "Signerad text"
    );
    assert_eq!(
        text(db, "SELECT public_id FROM journal_entries WHERE id = 10").await,
        "e10"
    );
    assert_eq!(
        text(db, "SELECT action FROM access_log WHERE id = 1").await,
        "read_journal"
    );
    assert_eq!(
        text(db, "SELECT client_view FROM plan_versions WHERE id = 1").await,
        "Klientens syn"
    );
    assert_eq!(
        text(db, "SELECT title FROM goals WHERE id = 10").await,
        "Mål"
    );
    assert_eq!(
        text(db, "SELECT title FROM goals WHERE id = 11").await,
        "Delmål"
    );
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM goals WHERE plan_version_id = 1").await,
        2
    );
    assert_eq!(
        count(
            db,
            "SELECT COUNT(*) FROM journal_entry_goals WHERE entry_id = 10"
        )
        .await,
        1
    );
}

/// The attacks both databases understand.
async fn attacks_on_both(db: &DatabaseConnection) {
    let user = count(db, "SELECT CAST(MAX(id) AS BIGINT) FROM users").await;
    let now = now(db);
    // Upserts: the conflict turns into an UPDATE of the protected row.
    refused(db, &format!(
        "INSERT INTO journal_entries (id, public_id, case_file_id, author_id, event_date, category, body, status, created_at, updated_at) \
         VALUES (10, 'x1', 1, {user}, '2015-10-05', 'event', 'Falsk', 'signed', {now}, {now}) \
         ON CONFLICT (id) DO UPDATE SET body = 'Falsk'"
    )).await;
    refused(
        db,
        &format!(
            "INSERT INTO access_log (id, at, user_id, action) VALUES (1, {now}, {user}, 'login') \
         ON CONFLICT (id) DO UPDATE SET action = 'login'"
        ),
    )
    .await;
    refused(db, &format!(
        "INSERT INTO plan_versions (id, case_file_id, version_no, valid_from, client_view, created_by, created_at) \
         VALUES (1, 1, 1, '2015-10-03', 'Falsk', {user}, {now}) \
         ON CONFLICT (id) DO UPDATE SET client_view = 'Falsk'"
    )).await;
    refused(db,
        "INSERT INTO goals (id, public_id, plan_version_id, position, title, what, how, who) \
         VALUES (10, 'g10', 1, 1, 'Falsk', 'Vad', 'Hur', 'Vem') ON CONFLICT (id) DO UPDATE SET title = 'Falsk'",
    ).await;
    // A signed plan version and its goals: no change, no new goal, no delete.
    refused(
        db,
        "UPDATE plan_versions SET client_view = 'Falsk' WHERE id = 1",
    )
    .await;
    refused(
        db,
        "UPDATE plan_versions SET client_signed_on = NULL WHERE id = 1",
    )
    .await;
    refused(
        db,
        "UPDATE plan_versions SET valid_from = '2015-09-01' WHERE id = 1",
    )
    .await;
    refused(db, "DELETE FROM plan_versions WHERE id = 1").await;
    refused(db, "UPDATE goals SET title = 'Falsk' WHERE id = 10").await;
    refused(db, "UPDATE goals SET plan_version_id = 2 WHERE id = 11").await;
    refused(db, "UPDATE goals SET plan_version_id = 1 WHERE id = 20").await;
    refused(db, "DELETE FROM goals WHERE id = 11").await;
    refused(
        db,
        "INSERT INTO goals (id, public_id, plan_version_id, position, title, what, how, who) \
         VALUES (12, 'g12', 1, 2, 'Tillagt', 'Vad', 'Hur', 'Vem')",
    )
    .await;
    // The draft's link moved onto the signed entry.
    refused(
        db,
        "UPDATE journal_entry_goals SET entry_id = 10 WHERE entry_id = 11",
    )
    .await;
    nothing_changed(db).await;

    // What may change still does: the copies of a signed version, the unsigned version.
    exec(
        db,
        "UPDATE plan_versions SET copy_to_client_on = '2015-10-06' WHERE id = 1",
    )
    .await
    .expect("the copies of a signed version are recorded after signing");
    exec(db, "UPDATE goals SET title = 'Ändrat' WHERE id = 20")
        .await
        .expect("an unsigned version's goal changes");
    exec(
        db,
        "UPDATE journal_entries SET body = 'Ändrat utkast' WHERE id = 11",
    )
    .await
    .expect("a draft changes");
}

async fn guards_on_both(db: &TestDb) {
    seed(&db.db, "2016-06-30").await;
    if db.backend() == DbBackend::Postgres {
        bump_sequences(&db.db).await;
    }
    attacks_on_both(&db.db).await;
    if db.backend() == DbBackend::Postgres {
        for table in [
            "journal_entry_goals",
            "plan_versions",
            "goals",
            "access_log",
        ] {
            refused(&db.db, &format!("TRUNCATE {table} CASCADE")).await;
        }
    }
    // Under a permit (what culling holds) the signed plan goes, sub-goal first.
    let now = now(&db.db);
    exec(
        &db.db,
        &format!("INSERT INTO deletion_permits (case_file_id, created_at) VALUES (1, {now})"),
    )
    .await
    .expect("permit");
    exec(&db.db, "DELETE FROM goals WHERE id = 11")
        .await
        .expect("sub-goal under a permit");
    exec(
        &db.db,
        "DELETE FROM journal_entry_goals WHERE entry_id = 10",
    )
    .await
    .expect("link under a permit");
    exec(&db.db, "DELETE FROM goals WHERE id = 10")
        .await
        .expect("goal under a permit");
    exec(&db.db, "DELETE FROM plan_versions WHERE id = 1")
        .await
        .expect("version under a permit");
}

async fn sqlite_replace(db: &TestDb) {
    if db.backend() != DbBackend::Sqlite {
        return;
    }
    seed(&db.db, "2016-06-30").await;
    let user = count(&db.db, "SELECT CAST(MAX(id) AS BIGINT) FROM users").await;
    let now = now(&db.db);
    // A signed monthly review (its entry is the signed one of the seed) and report.
    for sql in [
        format!(
            "INSERT INTO monthly_reviews (id, case_file_id, month, phrasing, journal_entry_id, signed_by, signed_at) \
             VALUES (1, 1, '2015-10', 'no_deviations', 10, {user}, {now})"
        ),
        format!(
            "INSERT INTO monthly_reports (id, case_file_id, month, plan_version_id, events, client_copy, secretary_name, secretary_unit, signed_by, signed_at) \
             VALUES (1, 1, '2015-10', 1, 'Händelser', false, 'S', 'U', {user}, {now})"
        ),
        "INSERT INTO monthly_report_goals (report_id, goal_id, position, goal_title, evaluation) \
         VALUES (1, 10, 1, 'Mål', 'Utvärdering')"
            .to_owned(),
    ] {
        exec(&db.db, &sql)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    for recursive in ["OFF", "ON"] {
        // One connection, so the pragma holds for the statements after it.
        let mut options = sea_orm::ConnectOptions::new(db.url.clone());
        options.max_connections(1).min_connections(1);
        let conn = Database::connect(options).await.expect("connect");
        exec(&conn, &format!("PRAGMA recursive_triggers = {recursive}"))
            .await
            .expect("pragma");
        for verb in ["INSERT OR REPLACE", "REPLACE"] {
            // Same id.
            refused(&conn, &format!(
                "{verb} INTO journal_entries (id, public_id, case_file_id, author_id, event_date, category, body, status, signed_at, created_at, updated_at) \
                 VALUES (10, 'e10', 1, {user}, '2015-10-05', 'event', 'Falsk', 'signed', {now}, {now}, {now})"
            )).await;
            // A new id with the signed entry's public id: REPLACE deletes the old row.
            refused(&conn, &format!(
                "{verb} INTO journal_entries (id, public_id, case_file_id, author_id, event_date, category, body, status, signed_at, created_at, updated_at) \
                 VALUES (50, 'e10', 1, {user}, '2015-10-05', 'event', 'Falsk', 'signed', {now}, {now}, {now})"
            )).await;
            refused(&conn, &format!(
                "{verb} INTO access_log (id, at, user_id, action) VALUES (1, {now}, {user}, 'login')"
            )).await;
            refused(&conn, &format!(
                "{verb} INTO plan_versions (id, case_file_id, version_no, valid_from, client_view, client_signed_on, created_by, created_at) \
                 VALUES (1, 1, 1, '2015-10-03', 'Falsk', '2015-10-04', {user}, {now})"
            )).await;
            // Same file and start day, another id.
            refused(&conn, &format!(
                "{verb} INTO plan_versions (id, case_file_id, version_no, valid_from, client_view, created_by, created_at) \
                 VALUES (60, 1, 9, '2015-10-03', 'Falsk', {user}, {now})"
            )).await;
            refused(&conn,
                &format!("{verb} INTO goals (id, public_id, plan_version_id, position, title, what, how, who) \
                 VALUES (10, 'g10', 1, 1, 'Falsk', 'Vad', 'Hur', 'Vem')"),
            ).await;
            refused(&conn,
                &format!("{verb} INTO goals (id, public_id, plan_version_id, position, title, what, how, who) \
                 VALUES (70, 'g11', 2, 1, 'Falsk', 'Vad', 'Hur', 'Vem')"),
            ).await;
            refused(
                &conn,
                &format!("{verb} INTO journal_entry_goals (entry_id, goal_id) VALUES (10, 10)"),
            )
            .await;
            // Monthly reviews and reports are written once: by id, or by file and month.
            for id in [1, 90] {
                refused(&conn, &format!(
                    "{verb} INTO monthly_reviews (id, case_file_id, month, phrasing, journal_entry_id, signed_by, signed_at) \
                     VALUES ({id}, 1, '2015-10', 'deviations', 10, {user}, {now})"
                )).await;
                refused(&conn, &format!(
                    "{verb} INTO monthly_reports (id, case_file_id, month, plan_version_id, events, client_copy, secretary_name, secretary_unit, signed_by, signed_at) \
                     VALUES ({id}, 1, '2015-10', 1, 'Falsk', false, 'S', 'U', {user}, {now})"
                )).await;
            }
            refused(&conn, &format!(
                "{verb} INTO monthly_report_goals (report_id, goal_id, position, goal_title, evaluation) \
                 VALUES (1, 10, 1, 'Mål', 'Falsk')"
            )).await;
        }
        assert_eq!(
            text(&conn, "SELECT phrasing FROM monthly_reviews WHERE id = 1").await,
            "no_deviations"
        );
        assert_eq!(
            text(&conn, "SELECT events FROM monthly_reports WHERE id = 1").await,
            "Händelser"
        );
        assert_eq!(
            text(
                &conn,
                "SELECT evaluation FROM monthly_report_goals WHERE report_id = 1"
            )
            .await,
            "Utvärdering"
        );
        // A draft (or unsigned row) moved onto a protected row's key: REPLACE deletes it.
        refused(
            &conn,
            "UPDATE OR REPLACE journal_entries SET public_id = 'e10' WHERE id = 11",
        )
        .await;
        refused(
            &conn,
            "UPDATE OR REPLACE journal_entries SET id = 10 WHERE id = 11",
        )
        .await;
        refused(
            &conn,
            "UPDATE OR REPLACE plan_versions SET valid_from = '2015-10-03' WHERE id = 2",
        )
        .await;
        refused(
            &conn,
            "UPDATE OR REPLACE plan_versions SET version_no = 1 WHERE id = 2",
        )
        .await;
        refused(
            &conn,
            "UPDATE OR REPLACE goals SET public_id = 'g10' WHERE id = 20",
        )
        .await;
        refused(&conn, "UPDATE OR REPLACE journal_entry_goals SET entry_id = 10, goal_id = 10 WHERE entry_id = 11").await;
        nothing_changed(&conn).await;
        conn.close().await.ok();
    }
}

/// Deny by default: every table the migrations make is named in the runtime role's
/// grants (a new table without an entry fails here, on SQLite too, before an operator
/// meets it), and the list names no table that is gone.
async fn every_table_has_its_grants(db: &TestDb) {
    let sql = match db.backend() {
        DbBackend::Sqlite => {
            "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        }
        _ => "SELECT tablename::text AS t FROM pg_tables WHERE schemaname = current_schema()",
    };
    let tables: Vec<String> = db
        .db
        .query_all_raw(Statement::from_string(db.backend(), sql))
        .await
        .expect("tables")
        .iter()
        .map(|row| row.try_get::<String>("", "t").expect("name"))
        .collect();
    assert!(tables.len() > 30, "{tables:?}");
    assert_eq!(
        akta_server::roles::unlisted(&tables),
        Vec::<&str>::new(),
        "tables without grants"
    );
    for (table, _) in akta_server::roles::GRANTS {
        assert!(
            tables.iter().any(|t| t == table),
            "{table} is granted but does not exist"
        );
    }
}

on_both_backends! {
    every_table_is_named_in_the_runtime_grants => every_table_has_its_grants;
    signed_plans_entries_and_the_log_refuse_every_rewrite => guards_on_both;
    sqlite_refuses_replace_whatever_the_pragmas => sqlite_replace;
}

/// PostgreSQL with the two roles of the README's deployment section.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_runtime_role_cannot_undo_the_rules() {
    let admin_url = std::env::var("AKTA_TEST_POSTGRES").unwrap_or_else(|_| PG_DEFAULT.to_owned());
    let Ok(admin) = Database::connect(&admin_url).await else {
        assert!(
            std::env::var("AKTA_REQUIRE_POSTGRES").is_err(),
            "AKTA_REQUIRE_POSTGRES is set but PostgreSQL does not answer"
        );
        return;
    };
    let suffix: String = {
        use rand::Rng;
        let mut rng = rand::rng();
        (0..10)
            .map(|_| (b'a' + rng.random_range(0..26u8)) as char)
            .collect()
    };
    let owner = format!("akta_owner_{suffix}");
    let runtime = format!("akta_runtime_{suffix}");
    let name = format!("akta_roles_{suffix}");
    for sql in [
        format!("CREATE ROLE {owner} LOGIN"),
        format!("CREATE ROLE {runtime} LOGIN"),
        format!("CREATE DATABASE {name} OWNER {owner}"),
    ] {
        exec(&admin, &sql).await.expect("roles and database");
    }
    // postgres://user@host:port/db → the same server as another user and database.
    let (scheme_user, rest) = admin_url.split_once('@').expect("url with a user");
    let scheme = scheme_user
        .split_once("//")
        .map(|(s, _)| s)
        .expect("scheme");
    let host = rest.split_once('/').map(|(h, _)| h).expect("host");
    let owner_url = format!("{scheme}//{owner}@{host}/{name}");
    let runtime_url = format!("{scheme}//{runtime}@{host}/{name}");

    let outcome = tokio::spawn({
        let (owner, runtime) = (owner.clone(), runtime.clone());
        async move { two_roles(&owner_url, &runtime_url, &owner, &runtime).await }
    })
    .await;

    for sql in [
        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        format!("DROP ROLE IF EXISTS {runtime}"),
        format!("DROP ROLE IF EXISTS {owner}"),
    ] {
        exec(&admin, &sql).await.expect("clean up");
    }
    admin.close().await.ok();
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

async fn two_roles(owner_url: &str, runtime_url: &str, owner: &str, runtime: &str) {
    let owner_db = app::server::db::connect(owner_url)
        .await
        .expect("owner connects");
    akta_server::cli::migrate(&owner_db)
        .await
        .expect("the owner migrates");
    akta_server::roles::grant_runtime(&owner_db, runtime)
        .await
        .expect("grants");
    assert_eq!(
        count(&owner_db, &format!(
            "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner <> '{owner}'"
        )).await,
        0,
        "the owner role owns every table"
    );

    let db = app::server::db::connect(runtime_url)
        .await
        .expect("runtime connects");
    // `akta serve` as the runtime role: nothing pending, nothing written to the schema.
    assert!(
        akta_server::cli::migrate(&db)
            .await
            .expect("up to date")
            .is_empty()
    );
    // The app's own writes work (users through the app, the rest in SQL).
    seed(&db, "2016-06-30").await;
    bump_sequences(&owner_db).await;
    attacks_on_both(&db).await;

    let now = now(&db);
    for sql in [
        format!("INSERT INTO deletion_permits (case_file_id, created_at) VALUES (1, {now})"),
        "DELETE FROM access_log".to_owned(),
        "DELETE FROM journal_entries WHERE id = 10".to_owned(),
        "UPDATE access_log SET action = 'login'".to_owned(),
        "TRUNCATE access_log".to_owned(),
        "TRUNCATE journal_entry_goals".to_owned(),
        "TRUNCATE goals CASCADE".to_owned(),
        "ALTER TABLE access_log DISABLE TRIGGER ALL".to_owned(),
        "ALTER TABLE journal_entries DISABLE TRIGGER USER".to_owned(),
        "SET session_replication_role = replica".to_owned(),
        "DROP TRIGGER access_log_no_delete ON access_log".to_owned(),
        "DROP TABLE access_log CASCADE".to_owned(),
        "CREATE TABLE evil (id integer)".to_owned(),
        "CREATE FUNCTION evil() RETURNS void LANGUAGE sql AS 'SELECT 1'".to_owned(),
        "CREATE OR REPLACE FUNCTION akta_access_log_delete_guard() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN OLD; END'".to_owned(),
        "UPDATE monthly_reviews SET phrasing = 'x'".to_owned(),
        "DELETE FROM seaql_migrations".to_owned(),
        // A permit for a file that is not due: closed 2016, but the client has a file
        // still open (added below), and a file that does not exist.
        "SELECT akta_permit_intake_deletion('nonexistent')".to_owned(),
        "SELECT akta_permit_culling(999)".to_owned(),
    ] {
        refused(&db, &sql).await;
    }
    exec(&db, &format!(
        "INSERT INTO assignments (id, client_id, received_on, secretary_name, secretary_unit, decision_date, service_type, service_granted, period_from, first_follow_up, created_at) \
         VALUES (2, 1, '2026-01-01', 'Sekreterare', 'Vuxenenheten', '2025-12-28', 'individual_treatment', 'Samtal', '2026-01-01', '2026-01-29', {now})"
    ))
    .await
    .expect("a second assignment");
    exec(&db, &format!(
        "INSERT INTO case_files (id, public_id, client_id, assignment_id, contact_person_id, started_on, created_at) \
         VALUES (2, 'f2', 1, 2, (SELECT CAST(MAX(id) AS BIGINT) FROM users), '2026-01-01', {now})"
    ))
    .await
    .expect("an open file");
    refused(&db, "SELECT akta_permit_culling(1)").await;
    assert_eq!(count(&db, "SELECT COUNT(*) FROM deletion_permits").await, 0);
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM access_log WHERE id = 1").await,
        1
    );
    nothing_changed(&db).await;

    // Once the other file is gone the first is due, and culling works as the runtime
    // role: through the function, in one transaction, its permits gone after it.
    exec(&db, "DELETE FROM case_files WHERE id = 2")
        .await
        .expect("the open file goes");
    let today = app::server::today();
    let destroyed = app::server::culling::cull_file(&db, 1, today, None)
        .await
        .expect("culling as the runtime role")
        .expect("the file was due");
    assert!(destroyed.client_removed);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM case_files").await, 0);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM access_log").await, 0);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM deletion_permits").await, 0);

    // The server runs as the runtime role: a login works and is logged.
    let server = TestServer::start(&db).await;
    let client = TestServer::client();
    assert!(login(&client, &server, "anna", "ett långt lösenord").await < 400);
    // A day's work as the runtime role, through the app: an open file, a draft saved
    // twice (insert, then update), signed (the file's deviations raised after it), the
    // file read, and logout (the session removed).
    let anna = count(
        &db,
        "SELECT CAST(id AS BIGINT) FROM users WHERE username = 'anna'",
    )
    .await;
    for sql in [
        "INSERT INTO clients (id, public_id, first_name, last_name, identity_number, birth_date, protected_identity, created_at) \
         VALUES (3, 'c3', 'Tolva', 'Tolvansdotter', '19800612-0002', '1980-06-12', false, NOW())".to_owned(),
        "INSERT INTO assignments (id, client_id, received_on, secretary_name, secretary_unit, decision_date, service_type, service_granted, period_from, first_follow_up, created_at) \
         VALUES (3, 3, '2026-01-01', 'Sekreterare', 'Vuxenenheten', '2025-12-28', 'individual_treatment', 'Samtal', '2026-01-01', '2026-01-29', NOW())".to_owned(),
        format!("INSERT INTO case_files (id, public_id, client_id, assignment_id, contact_person_id, started_on, created_at) \
         VALUES (3, 'f3', 3, 3, {anna}, '2026-01-01', NOW())"),
    ] {
        exec(&db, &sql).await.expect("an open file of anna's");
    }
    let entry = crate::common::sign_entry(&client, &server, "f3", "Samtal om veckan.")
        .await
        .expect("saved and signed as the runtime role");
    assert!(!entry.is_empty());
    let page = client
        .get(server.url("/akter/f3"))
        .send()
        .await
        .expect("file page");
    assert_eq!(page.status(), 200);
    assert!(
        page.text()
            .await
            .unwrap_or_default()
            .contains("Samtal om veckan.")
    );
    let (status, _) = crate::common::call(&client, &server, "/api/logout", &[]).await;
    assert!(status < 400, "logout: {status}");
    assert!(
        count(
            &db,
            "SELECT COUNT(*) FROM access_log WHERE action = 'sign_entry'"
        )
        .await
            >= 1
    );
    drop(server);
    db.close().await.ok();
    owner_db.close().await.ok();
}
