//! Issue 19, what can be asserted without a clock: the queries a page runs at the size
//! of a municipality read through an index, the manager's start page works with more
//! open files than SQLite takes bind values, and the deviation register does not work
//! out the whole unit's deadlines on every read. (How fast is the benchmark's
//! business: `bench/run.sh`.)

use crate::common::{TestDb, TestServer, call, call_json, login, make_user, sign_entry};
use crate::deviations::{PASSWORD, days, make_file, today, user_id};
use akta_domain::Role;
use app::model::deviations::DeviationRegister;
use app::server::entities::{deviations, journal_entries, unit_settings};
use app::server::guard::CurrentUser;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
    QueryTrait, Statement, TransactionTrait,
};

/// The query plan of `stmt` as text, with sequential scans made as costly as they
/// can be on PostgreSQL: a usable index is then chosen even on a small test table,
/// while an unusable one still leaves a scan.
async fn plan_of(db: &TestDb, stmt: Statement) -> String {
    let backend = db.db.get_database_backend();
    let txn = db.db.begin().await.unwrap();
    let explain = match backend {
        DbBackend::Sqlite => format!("EXPLAIN QUERY PLAN {}", stmt.sql),
        _ => {
            txn.execute_unprepared("SET LOCAL enable_seqscan = off")
                .await
                .unwrap();
            format!("EXPLAIN {}", stmt.sql)
        }
    };
    let rows = txn
        .query_all_raw(Statement {
            sql: explain,
            values: stmt.values,
            db_backend: backend,
        })
        .await
        .unwrap();
    txn.rollback().await.unwrap();
    rows.iter()
        .map(|row| {
            // SQLite: (id, parent, notused, detail); PostgreSQL: one text column.
            row.try_get_by_index::<String>(3)
                .or_else(|_| row.try_get_by_index::<String>(0))
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// SQLite plans by the query's shape, so its plan names the index even on an empty
/// table. PostgreSQL plans by cost, and on a test's empty tables any usable index
/// costs the same: there the plan must read an index, not the table.
fn assert_uses(backend: DbBackend, plan: &str, index: &str) {
    match backend {
        DbBackend::Sqlite => assert!(plan.contains(index), "{index}: {plan}"),
        _ => assert!(
            plan.contains("Index") && !plan.contains("Seq Scan"),
            "{index}: {plan}"
        ),
    }
}

async fn the_pages_queries_use_their_indexes(db: &TestDb) {
    let backend = db.db.get_database_backend();
    // Which entries of a page were corrected: the partial index, not the whole journal.
    let stmt = app::server::journal::corrections_of(vec![1, 2, 3]).build(backend);
    let plan = plan_of(db, stmt).await;
    assert_uses(backend, &plan, "idx_journal_corrects");

    // The deadline rules' facts of many files: the partial indexes of 000021.
    let stmt = app::server::duties::signed_entries(vec![1, 2, 3])
        .select_only()
        .column(journal_entries::Column::CaseFileId)
        .column_as(journal_entries::Column::SignedAt.max(), "latest")
        .group_by(journal_entries::Column::CaseFileId)
        .build(backend);
    let plan = plan_of(db, stmt).await;
    assert_uses(backend, &plan, "idx_journal_signed");
    let stmt = app::server::duties::signed_dialogues(vec![1, 2, 3])
        .select_only()
        .column(journal_entries::Column::CaseFileId)
        .column(journal_entries::Column::EventDate)
        .build(backend);
    let plan = plan_of(db, stmt).await;
    // Without statistics (an empty table) SQLite sometimes takes the file's index
    // (file, event date) for this one, which fits too; either way not the whole journal.
    assert!(
        !plan.contains("SCAN journal_entries") && !plan.contains("Seq Scan"),
        "{plan}"
    );

    // A search by a whole identity number, in any spelling, or by a birth date: the
    // unique index on the number (a LIKE '%…%' would read every client).
    for q in [
        "20050505-3579",
        "0505053579",
        "050505-3579",
        "050505",
        "20050505",
    ] {
        let stmt = sea_orm::sea_query::Query::select()
            .expr(sea_orm::sea_query::Expr::val(1))
            .from(app::server::entities::clients::Entity)
            .cond_where(app::server::clients::matching(q))
            .to_owned();
        let stmt = backend.build(&stmt);
        let plan = plan_of(db, stmt).await;
        match backend {
            DbBackend::Sqlite => assert!(
                plan.contains("SEARCH") && !plan.contains("SCAN clients"),
                "{q}: {plan}"
            ),
            _ => assert!(
                plan.contains("Index") && !plan.contains("Seq Scan"),
                "{q}: {plan}"
            ),
        }
    }
}

/// Inserts `n` clients, assignments and open files for one contact person in three
/// statements (a recursive series, both databases).
async fn many_open_files(db: &TestDb, n: u32, contact: i32) {
    let backend = db.db.get_database_backend();
    let (number, public) = match backend {
        DbBackend::Sqlite => ("printf('%07d', i)", "printf('f%011d', i)"),
        _ => ("lpad(i::text, 7, '0')", "'f' || lpad(i::text, 11, '0')"),
    };
    let series =
        format!("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n})");
    let at = "'2026-01-05T12:00:00+00:00'";
    for sql in [
        format!(
            "{series} INSERT INTO clients (public_id, first_name, last_name, identity_number, birth_date, protected_identity, created_at) \
             SELECT 'c' || {number}, 'Klient', 'Många', '1' || {number} || '-0000', '1980-01-01', 1 = 0, {at} FROM n"
        ),
        format!(
            "INSERT INTO assignments (client_id, received_on, secretary_name, secretary_unit, decision_date, service_type, \
             service_granted, period_from, first_follow_up, created_at) \
             SELECT id, '2026-01-02', 'Sekreterare', 'Enheten', '2026-01-01', 'individual_treatment', 'Öppenvård', '2026-01-05', \
             '2026-02-05', {at} FROM clients WHERE last_name = 'Många'"
        ),
        format!(
            "{series} INSERT INTO case_files (public_id, client_id, assignment_id, contact_person_id, started_on, created_at) \
             SELECT {public}, c.id, a.id, {contact}, '2026-01-05', {at} FROM n \
             JOIN clients c ON c.public_id = 'c' || {number} JOIN assignments a ON a.client_id = c.id"
        ),
    ] {
        db.db
            .execute_raw(Statement::from_string(backend, sql))
            .await
            .unwrap();
    }
}

async fn a_start_page_with_more_open_files_than_bind_values(db: &TestDb) {
    make_user(&db.db, "chef", "manager", PASSWORD).await;
    make_user(&db.db, "anna", "staff", PASSWORD).await;
    let anna = user_id(db, "anna").await;
    // SQLite takes at most 32 766 values in one statement.
    many_open_files(db, 33_000, anna).await;
    let manager = CurrentUser {
        id: user_id(db, "chef").await,
        username: "chef".into(),
        display_name: "chef".into(),
        role: Role::Manager,
        must_change_password: false,
        must_enrol: false,
    };
    let work = app::server::duties::my_work(&db.db, &manager, today())
        .await
        .expect("the manager's start page");
    assert_eq!(work.open_files, 33_000);
    assert!(!work.rows.is_empty() && work.rows.len() <= app::model::MyWork::MAX_ROWS);
    let anna_counts = work.per_staff.iter().find(|s| s.name == "anna").unwrap();
    assert_eq!(anna_counts.files, 33_000);
}

async fn deviations_follow_changes_without_reading_the_unit(db: &TestDb) {
    make_user(&db.db, "chef", "manager", PASSWORD).await;
    make_user(&db.db, "anna", "staff", PASSWORD).await;
    let anna = user_id(db, "anna").await;
    let (file, file_id) = make_file(db, 1, anna, days(-3)).await;
    let server = TestServer::start(&db.db).await;
    let register = async |client: &reqwest::Client| -> DeviationRegister {
        let (code, body) = call(
            client,
            &server,
            "/api/deviations/register",
            &[("status", "open"), ("kind", ""), ("page", "0")],
        )
        .await;
        assert_eq!(code, 200, "{body}");
        serde_json::from_str(&body).unwrap()
    };
    let chef = TestServer::client();
    assert_eq!(login(&chef, &server, "chef", PASSWORD).await, 200);
    assert_eq!(register(&chef).await.page.total, 0);
    // The first reading of the day raised the unit's deadlines and noted the day.
    let noted = unit_settings::Entity::find_by_id("deviations.raised_on".to_owned())
        .one(&db.db)
        .await
        .unwrap()
        .expect("the day of the full run");
    assert_eq!(noted.value, today().to_string());

    // Anna signs a deviation: it is in the register as soon as the signing is
    // acknowledged, before anyone reads the register.
    let anna_client = TestServer::client();
    assert_eq!(login(&anna_client, &server, "anna", PASSWORD).await, 200);
    let entry = serde_json::json!({ "file": file_id, "entry": null, "event_date": today().to_string(),
        "category": "deviation", "body": "Klienten kom inte till mötet.", "goals": [] });
    let (code, body) = call_json(&anna_client, &server, "/api/journal/save_draft", &entry).await;
    assert_eq!(code, 200, "{body}");
    let draft: app::model::DraftSaved = serde_json::from_str(&body).unwrap();
    let mut signed = entry.clone();
    signed["entry"] = serde_json::json!(draft.entry_id);
    let (code, body) = call_json(&anna_client, &server, "/api/journal/sign", &signed).await;
    assert_eq!(code, 200, "{body}");
    let raised = deviations::Entity::find()
        .filter(deviations::Column::CaseFileId.eq(file))
        .select_only()
        .column(deviations::Column::Id)
        .count(&db.db)
        .await
        .unwrap();
    assert_eq!(raised, 1, "raised with the signing");
    let now = register(&chef).await;
    assert_eq!(now.page.total, 1);
    assert_eq!(now.page.rows[0].kind, "client");
}

/// Issue 19: the manager's start page sums each open file's due summary (000026) and
/// works out the deadlines of the files it lists only. A summary is written again after
/// a change in its file, once a day, and for every file when the unit's due day
/// changes; between those it is what the page reads, which this test shows by doctoring
/// one and seeing the page report it.
async fn the_start_page_sums_summaries_kept_by_the_changes(db: &TestDb) {
    use app::server::entities::due_summaries;
    make_user(&db.db, "chef", "manager", PASSWORD).await;
    make_user(&db.db, "anna", "staff", PASSWORD).await;
    let anna = user_id(db, "anna").await;
    // Both plans are late (due 14 days after the start).
    let (signed, signed_id) = make_file(db, 1, anna, days(-20)).await;
    let (untouched, _) = make_file(db, 2, anna, days(-20)).await;
    let server = TestServer::start(&db.db).await;
    let work = async |client: &reqwest::Client| -> app::model::MyWork {
        let (code, body) = call(client, &server, "/api/duties/my_work", &[]).await;
        assert_eq!(code, 200, "{body}");
        serde_json::from_str(&body).unwrap()
    };
    let chef = TestServer::client();
    assert_eq!(login(&chef, &server, "chef", PASSWORD).await, 200);
    let first = work(&chef).await;
    assert_eq!(first.open_files, 2);
    let listed_overdue = first.rows.iter().filter(|r| r.overdue).count() as u64;
    assert_eq!(first.total_overdue, listed_overdue);
    assert!(first.total_overdue >= 2, "two late plans: {first:?}");
    let noted = unit_settings::Entity::find_by_id("due_summaries.written_on".to_owned())
        .one(&db.db)
        .await
        .unwrap()
        .expect("the day the summaries were written");
    assert_eq!(noted.value, today().to_string());
    let summary = async |file: i32| {
        due_summaries::Entity::find_by_id(file)
            .one(&db.db)
            .await
            .unwrap()
            .expect("a summary per open file")
    };
    let real = summary(untouched).await;
    assert_eq!(real.as_of, today());
    assert!(real.overdue >= 1 && real.first_due.is_some(), "{real:?}");

    // Doctored behind Akta's back, both summaries: the page reads them as they are.
    let doctor = async |file: i32| {
        due_summaries::Entity::update_many()
            .col_expr(
                due_summaries::Column::Overdue,
                sea_orm::sea_query::Expr::value(99),
            )
            .filter(due_summaries::Column::CaseFileId.eq(file))
            .exec(&db.db)
            .await
            .unwrap();
    };
    doctor(signed).await;
    doctor(untouched).await;
    assert_eq!(
        work(&chef).await.total_overdue,
        198,
        "no file's deadlines read again"
    );

    // Anna signs an entry in one file: its summary is written again with the signing.
    let anna_client = TestServer::client();
    assert_eq!(login(&anna_client, &server, "anna", PASSWORD).await, 200);
    sign_entry(&anna_client, &server, &signed_id, "Samtal om veckan.")
        .await
        .expect("signed");
    assert_eq!(summary(signed).await.overdue, real.overdue, "written again");
    assert_eq!(summary(untouched).await.overdue, 99);
    assert_eq!(
        work(&chef).await.total_overdue,
        99 + real.overdue as u64,
        "the other file's still as doctored"
    );

    // The unit's due day changes: every file's monthly due days move, so no summary
    // holds and the next page writes them all.
    let (code, body) = call(&chef, &server, "/api/duties/settings", &[("due_day", "12")]).await;
    assert_eq!(code, 200, "{body}");
    let after = work(&chef).await;
    assert!(after.total_overdue < 99, "{after:?}");
    assert_eq!(summary(untouched).await.as_of, today());

    // A new day: yesterday's summaries do not hold; the first page writes them.
    doctor(untouched).await;
    let yesterday = today() - chrono::Duration::days(1);
    due_summaries::Entity::update_many()
        .col_expr(
            due_summaries::Column::AsOf,
            sea_orm::sea_query::Expr::value(yesterday),
        )
        .exec(&db.db)
        .await
        .unwrap();
    app::server::settings::set_due_summaries_on(&db.db, Some(yesterday))
        .await
        .unwrap();
    // Anna's page writes her files' summaries; the manager's the unit's, noting the day.
    let anna_work = work(&anna_client).await;
    assert_eq!(anna_work.total_overdue, after.total_overdue);
    assert_eq!(summary(untouched).await.as_of, today());
    assert_eq!(work(&chef).await.total_overdue, after.total_overdue);
    let noted = unit_settings::Entity::find_by_id("due_summaries.written_on".to_owned())
        .one(&db.db)
        .await
        .unwrap()
        .expect("noted");
    assert_eq!(noted.value, today().to_string());
}

on_both_backends! {
    summaries_follow_changes => the_start_page_sums_summaries_kept_by_the_changes;
    indexes_used => the_pages_queries_use_their_indexes;
    start_page_many_files => a_start_page_with_more_open_files_than_bind_values;
    deviations_follow_changes => deviations_follow_changes_without_reading_the_unit;
    name_search_indexed => name_search_reads_the_indexes;
}

/// A search by name reads the lowercased names' indexes (000025), not every client.
/// The plan is asked of a table of 3 000 clients with its statistics: on an empty one
/// SQLite's choice between a range and a scan is a toss-up.
async fn name_search_reads_the_indexes(db: &TestDb) {
    let backend = db.db.get_database_backend();
    let number = match backend {
        DbBackend::Sqlite => "printf('%07d', i)",
        _ => "lpad(i::text, 7, '0')",
    };
    let sql = format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) \
         INSERT INTO clients (public_id, first_name, last_name, first_name_key, last_name_key, \
         identity_number, birth_date, protected_identity, created_at) \
         SELECT 'c' || {number}, 'F' || {number}, 'L' || {number}, 'f' || {number}, 'l' || {number}, \
         '1' || {number} || '-0000', '1980-01-01', 1 = 0, '2026-01-05T12:00:00+00:00' FROM n"
    );
    for sql in [sql.as_str(), "ANALYZE"] {
        db.db
            .execute_raw(Statement::from_string(backend, sql.to_owned()))
            .await
            .unwrap();
    }
    for q in ["berg", "åsa öb"] {
        let stmt = sea_orm::sea_query::Query::select()
            .expr(sea_orm::sea_query::Expr::val(1))
            .from(app::server::entities::clients::Entity)
            .cond_where(app::server::clients::matching(q))
            .to_owned();
        let plan = plan_of(db, backend.build(&stmt)).await;
        match backend {
            DbBackend::Sqlite => assert!(
                plan.contains("idx_clients_first_name_key")
                    && plan.contains("idx_clients_last_name_key")
                    && !plan.contains("SCAN clients"),
                "{q}: {plan}"
            ),
            _ => assert!(
                plan.contains("Index") && !plan.contains("Seq Scan"),
                "{q}: {plan}"
            ),
        }
    }
}
