//! One transaction per action, the log line inside it: a signing and its access-log
//! line commit together or not at all (a failure injected into the log line's insert
//! rolls the signing back), a read returns nothing it could not log, a refusal commits
//! its own line while the action leaves nothing; and every kind of error answers with
//! its own HTTP status.

use crate::common::{TestDb, TestServer, call, call_json, login};
use akta_server::demo::{DEMO_PASSWORD, Options, generate};
use app::error::AppError;
use app::server::entities::{access_log, case_files, journal_entries, users};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use serde_json::{Value, json};

fn error_of(body: &str) -> AppError {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not an AppError ({e}): {body}"))
}

/// A demo unit; returns an open file and a closed one, each with its contact person.
async fn setup(db: &TestDb) -> ((case_files::Model, String), (case_files::Model, String)) {
    generate(
        &db.db,
        Options {
            seed: 7,
            clients: 30,
            today: app::server::today(),
        },
    )
    .await
    .expect("demo");
    let mut found = Vec::new();
    for closed in [false, true] {
        let query = case_files::Entity::find().order_by_asc(case_files::Column::Id);
        let query = if closed {
            query.filter(case_files::Column::ClosedOn.is_not_null())
        } else {
            query.filter(case_files::Column::ClosedOn.is_null())
        };
        let file = query.one(&db.db).await.unwrap().expect("a file");
        let contact = users::Entity::find_by_id(file.contact_person_id)
            .one(&db.db)
            .await
            .unwrap()
            .expect("contact person");
        found.push((file, contact.username));
    }
    let closed = found.pop().expect("closed");
    let open = found.pop().expect("open");
    (open, closed)
}

async fn logged_in(server: &TestServer, username: &str) -> reqwest::Client {
    let client = TestServer::client();
    assert!(login(&client, server, username, DEMO_PASSWORD).await < 400);
    client
}

fn entry_args(file: &str, entry: Option<&str>, date: &str, body: &str) -> Value {
    json!({ "file": file, "entry": entry, "event_date": date, "category": "event", "body": body, "goals": [] })
}

fn view_args(file: &str) -> Value {
    json!({ "file": file, "filter": { "category": null, "goal": null, "period": null, "page": 0 } })
}

/// Makes every insert of an access-log line with `action` fail, as a full disk or a
/// lost connection would at that moment.
async fn fail_log_lines(db: &TestDb, action: &str) {
    let statements = match db.backend() {
        DbBackend::Postgres => vec![
            format!(
                "CREATE FUNCTION test_fail_log() RETURNS trigger AS $$ BEGIN \
                 IF NEW.action = '{action}' THEN RAISE EXCEPTION 'injected failure'; END IF; \
                 RETURN NEW; END $$ LANGUAGE plpgsql"
            ),
            "CREATE TRIGGER test_fail_log BEFORE INSERT ON access_log \
             FOR EACH ROW EXECUTE FUNCTION test_fail_log()"
                .to_owned(),
        ],
        _ => vec![format!(
            "CREATE TRIGGER test_fail_log BEFORE INSERT ON access_log \
             WHEN NEW.action = '{action}' BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
        )],
    };
    for sql in statements {
        db.db.execute_unprepared(&sql).await.expect("inject");
    }
}

async fn heal_log_lines(db: &TestDb) {
    let statements: &[&str] = match db.backend() {
        DbBackend::Postgres => &[
            "DROP TRIGGER test_fail_log ON access_log",
            "DROP FUNCTION test_fail_log()",
        ],
        _ => &[
            "DROP TRIGGER test_fail_log",
            "DROP TRIGGER IF EXISTS test_fail_log_too",
        ],
    };
    for sql in statements {
        db.db.execute_unprepared(sql).await.expect("heal");
    }
}

async fn lines(db: &TestDb, action: &str, file: &case_files::Model) -> u64 {
    access_log::Entity::find()
        .filter(access_log::Column::Action.eq(action))
        .filter(access_log::Column::CaseFileId.eq(file.id))
        .count(&db.db)
        .await
        .unwrap()
}

async fn signed_entries(db: &TestDb, file: &case_files::Model) -> u64 {
    journal_entries::Entity::find()
        .filter(journal_entries::Column::CaseFileId.eq(file.id))
        .filter(journal_entries::Column::Status.eq("signed"))
        .count(&db.db)
        .await
        .unwrap()
}

async fn a_signing_and_its_log_line_are_one_transaction(db: &TestDb) {
    let ((file, contact), _) = setup(db).await;
    let server = TestServer::start(&db.db).await;
    let staff = logged_in(&server, &contact).await;
    let today = app::server::today().to_string();

    // A draft (autosaves are not logged one by one).
    let (status, body) = call_json(
        &staff,
        &server,
        "/api/journal/save_draft",
        &entry_args(&file.public_id, None, &today, "Samtal om veckan."),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let draft: app::model::DraftSaved = serde_json::from_str(&body).unwrap();
    let signed_before = signed_entries(db, &file).await;
    let lines_before = lines(db, "sign_entry", &file).await;

    // The log line cannot be written: the signing is not kept either.
    fail_log_lines(db, "sign_entry").await;
    let (status, body) = call_json(
        &staff,
        &server,
        "/api/journal/sign",
        &entry_args(
            &file.public_id,
            Some(&draft.entry_id),
            &today,
            "Samtal om veckan.",
        ),
    )
    .await;
    assert_eq!(status, 500, "{body}");
    assert_eq!(error_of(&body), AppError::Internal);
    assert!(!body.contains("injected"), "the cause stays on the server");
    let entry = journal_entries::Entity::find()
        .filter(journal_entries::Column::PublicId.eq(draft.entry_id.clone()))
        .one(&db.db)
        .await
        .unwrap()
        .expect("the draft is still there");
    assert_eq!(entry.status, "draft", "signed without its log line");
    assert_eq!(signed_entries(db, &file).await, signed_before);
    assert_eq!(lines(db, "sign_entry", &file).await, lines_before);

    // A correction of a signed entry: neither without the other.
    fail_log_lines_too(db, "correct_entry").await;
    let original = journal_entries::Entity::find()
        .filter(journal_entries::Column::CaseFileId.eq(file.id))
        .filter(journal_entries::Column::Status.eq("signed"))
        .one(&db.db)
        .await
        .unwrap()
        .expect("a signed entry");
    let (status, body) = call_json(
        &staff,
        &server,
        "/api/journal/correct",
        &json!({ "file": file.public_id, "entry": original.public_id, "body": "Rättad text.", "reason": "Fel datum" }),
    )
    .await;
    assert_eq!(status, 500, "{body}");
    assert_eq!(signed_entries(db, &file).await, signed_before);
    assert_eq!(lines(db, "correct_entry", &file).await, 0);

    // With the log writable again, the same signing is kept with exactly one line.
    heal_log_lines(db).await;
    let (status, body) = call_json(
        &staff,
        &server,
        "/api/journal/sign",
        &entry_args(
            &file.public_id,
            Some(&draft.entry_id),
            &today,
            "Samtal om veckan.",
        ),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(signed_entries(db, &file).await, signed_before + 1);
    assert_eq!(lines(db, "sign_entry", &file).await, lines_before + 1);
}

/// A second action whose lines fail, on top of the first.
async fn fail_log_lines_too(db: &TestDb, action: &str) {
    let sql = match db.backend() {
        // One function checks both.
        DbBackend::Postgres => format!(
            "CREATE OR REPLACE FUNCTION test_fail_log() RETURNS trigger AS $$ BEGIN \
             IF NEW.action IN ('sign_entry', '{action}') THEN \
             RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
        ),
        _ => format!(
            "CREATE TRIGGER test_fail_log_too BEFORE INSERT ON access_log \
             WHEN NEW.action = '{action}' BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
        ),
    };
    db.db.execute_unprepared(&sql).await.expect("inject");
}

async fn a_read_that_cannot_be_logged_returns_nothing(db: &TestDb) {
    let ((file, contact), _) = setup(db).await;
    let client = app::server::entities::clients::Entity::find_by_id(file.client_id)
        .one(&db.db)
        .await
        .unwrap()
        .unwrap();
    let server = TestServer::start(&db.db).await;
    let staff = logged_in(&server, &contact).await;
    fail_log_lines(db, "read_journal").await;
    let (status, body) = call_json(
        &staff,
        &server,
        "/api/journal/view",
        &view_args(&file.public_id),
    )
    .await;
    assert_eq!(status, 500, "{body}");
    assert!(
        !body.contains(&client.last_name) && !body.contains(&client.identity_number),
        "client data left the server unlogged: {body}"
    );
    heal_log_lines(db).await;
    let (status, body) = call_json(
        &staff,
        &server,
        "/api/journal/view",
        &view_args(&file.public_id),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(lines(db, "read_journal", &file).await, 1);
}

async fn a_refusal_commits_its_line_and_the_action_leaves_nothing(db: &TestDb) {
    let (_, (closed, contact)) = setup(db).await;
    let server = TestServer::start(&db.db).await;
    let staff = logged_in(&server, &contact).await;
    let signed_before = signed_entries(db, &closed).await;
    let date = closed.closed_on.expect("closed").to_string();
    let (status, body) = call_json(
        &staff,
        &server,
        "/api/journal/sign",
        &entry_args(&closed.public_id, None, &date, "Efter avslut."),
    )
    .await;
    assert_eq!(error_of(&body), AppError::FileClosed);
    assert_eq!(status, 409);
    assert_eq!(signed_entries(db, &closed).await, signed_before);
    assert_eq!(lines(db, "sign_entry", &closed).await, 0);
    let refused = access_log::Entity::find()
        .filter(access_log::Column::Action.eq("refused"))
        .filter(access_log::Column::CaseFileId.eq(closed.id))
        .all(&db.db)
        .await
        .unwrap();
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].client_id, Some(closed.client_id));
    assert!(
        refused[0]
            .detail
            .as_deref()
            .is_some_and(|d| d.contains("journal/sign") && d.contains("file_closed")),
        "{:?}",
        refused[0].detail
    );
}

/// Every kind of error answers with its own status, its JSON body unchanged.
async fn every_error_kind_has_its_status(db: &TestDb) {
    let ((file, contact), _) = setup(db).await;
    let server = TestServer::start(&db.db).await;
    let staff = logged_in(&server, &contact).await;

    // 401: no session.
    let anonymous = TestServer::client();
    let (status, body) = call(
        &anonymous,
        &server,
        "/api/files/open_files",
        &[("page", "0")],
    )
    .await;
    assert_eq!((status, error_of(&body)), (401, AppError::NotLoggedIn));
    // 401: a wrong password.
    let (status, body) = call(
        &anonymous,
        &server,
        "/api/login",
        &[("username", "anna"), ("password", "fel-losenord-123")],
    )
    .await;
    assert_eq!(
        (status, error_of(&body)),
        (401, AppError::InvalidCredentials)
    );

    // 400: invalid input, next to its field.
    let (status, body) = call_json(
        &staff,
        &server,
        "/api/journal/save_draft",
        &entry_args(&file.public_id, None, "inte ett datum", "Text"),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(error_of(&body).problem_for("event_date").is_some());
    // 400: arguments that do not decode.
    let (status, body) =
        call_json(&staff, &server, "/api/journal/view", &json!({ "file": 3 })).await;
    assert_eq!((status, error_of(&body)), (400, AppError::BadRequest));

    // 403: the wrong role.
    let (status, body) = call(&staff, &server, "/api/admin/list_users", &[]).await;
    assert_eq!((status, error_of(&body)), (403, AppError::Forbidden));

    // 404: a file that does not exist (or may not be seen).
    let (status, body) = call_json(
        &staff,
        &server,
        "/api/journal/view",
        &view_args("abcdefghijkm"),
    )
    .await;
    assert_eq!((status, error_of(&body)), (404, AppError::NotFound));

    // 409: a conflict with the state of the thing: a closed round cannot be re-drawn.
    let chef = logged_in(&server, "chef").await;
    let round = app::server::entities::audit_rounds::Entity::find()
        .filter(app::server::entities::audit_rounds::Column::Status.eq("closed"))
        .one(&db.db)
        .await
        .unwrap()
        .expect("a closed round");
    let (status, body) = call(
        &chef,
        &server,
        "/api/audit/redraw",
        &[("round", &round.public_id)],
    )
    .await;
    assert_eq!((status, error_of(&body)), (409, AppError::RoundNotDraft));

    // 413: larger than any form, refused on its declared length before a byte of the
    // body is read. Sent by hand: a client still writing the body when the refusal
    // arrives would see its own write fail (a broken pipe) instead of the answer.
    let (status, body) = declared_too_large(&server, "/api/journal/save_draft").await;
    assert_eq!((status, error_of(&body)), (413, AppError::TooLarge));

    // 503: the database cannot be reached; nothing else is claimed.
    db.db.clone().close().await.ok();
    let (status, body) = call_json(
        &staff,
        &server,
        "/api/journal/view",
        &view_args(&file.public_id),
    )
    .await;
    assert_eq!((status, error_of(&body)), (503, AppError::Unavailable));
}

/// POSTs headers that declare a body twice the limit, sends none of it, and reads
/// the answer: status and body.
async fn declared_too_large(server: &TestServer, path: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(server.addr)
        .await
        .expect("connect");
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {0}\r\nOrigin: http://{0}\r\nAccept: application/json\r\n\
         Content-Type: application/json\r\nContent-Length: {1}\r\nConnection: close\r\n\r\n",
        server.addr,
        2 * akta_server::statuses::BODY_LIMIT
    );
    stream.write_all(head.as_bytes()).await.expect("send");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.expect("answer");
    let answer = String::from_utf8_lossy(&answer);
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {answer}"));
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
    (status, body.to_string())
}

on_both_backends! {
    signing_and_its_log_line_are_one_transaction => a_signing_and_its_log_line_are_one_transaction;
    reads_return_nothing_they_cannot_log => a_read_that_cannot_be_logged_returns_nothing;
    refusals_commit_their_line_and_leave_nothing => a_refusal_commits_its_line_and_the_action_leaves_nothing;
    errors_have_their_status => every_error_kind_has_its_status;
}
