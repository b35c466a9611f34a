//! Open intake (öppet intag): anonymous registrations seen only by their therapist,
//! every read logged by the registration's id, and closing deletes everything of it at
//! once — the row, the notes, the log lines naming it — leaving one anonymous count.
//! On SQLite not a byte of the notes stays in the database file or its WAL.

use crate::common::{TestDb, TestServer, call, login, make_user};
use app::error::{AppError, Problem};
use app::server::entities::{access_log, open_intake_stats, open_intakes};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

const PASSWORD: &str = "ett-langt-losenord";

fn error_of(body: &str) -> AppError {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not an AppError ({e}): {body}"))
}

async fn register(
    client: &reqwest::Client,
    server: &TestServer,
    pseudonym: &str,
    notes: &str,
) -> (u16, String) {
    call(
        client,
        server,
        "/api/intake/create",
        &[
            ("pseudonym", pseudonym),
            ("service", "mi_group"),
            ("started_on", "2026-11-02"),
            ("sex", "female"),
            ("age_band", "26-35"),
            ("notes", notes),
        ],
    )
    .await
}

async fn lines_naming(db: &TestDb, id: &str) -> u64 {
    access_log::Entity::find()
        .filter(access_log::Column::Detail.eq(id))
        .count(&db.db)
        .await
        .unwrap()
}

async fn only_the_therapist_sees_it_and_closing_leaves_only_a_count(db: &TestDb) {
    for (name, role) in [
        ("anna", "staff"),
        ("johan", "staff"),
        ("chef", "manager"),
        ("admin", "admin"),
    ] {
        make_user(&db.db, name, role, PASSWORD).await;
    }
    let server = TestServer::start(&db.db).await;
    let anna = TestServer::client();
    login(&anna, &server, "anna", PASSWORD).await;

    // Bad input is named at its field, and nothing is stored.
    let (status, body) = call(
        &anna,
        &server,
        "/api/intake/create",
        &[
            ("pseudonym", "Tolvan 19121212"),
            ("service", "individual_treatment"),
            ("started_on", "2999-01-01"),
            ("sex", "x"),
            ("age_band", ""),
            ("notes", ""),
        ],
    )
    .await;
    assert!(status >= 400);
    let e = error_of(&body);
    assert_eq!(
        e.problem_for("pseudonym"),
        Some(Problem::PseudonymIdentifying)
    );
    assert_eq!(e.problem_for("service"), Some(Problem::InvalidService));
    assert_eq!(e.problem_for("started_on"), Some(Problem::DateInFuture));
    assert_eq!(e.problem_for("sex"), Some(Problem::InvalidChoice));
    assert_eq!(open_intakes::Entity::find().count(&db.db).await.unwrap(), 0);

    let (status, body) = register(&anna, &server, "Blå 12", "Första samtalet.").await;
    assert_eq!(status, 200, "{body}");
    let id: String = serde_json::from_str(&body).unwrap();

    let (_, body) = call(&anna, &server, "/api/intake/list", &[]).await;
    let list: app::model::IntakeList = serde_json::from_str(&body).unwrap();
    assert_eq!(list.rows.len(), 1);
    assert_eq!(list.rows[0].pseudonym, "Blå 12");

    let (status, body) = call(
        &anna,
        &server,
        "/api/intake/save_notes",
        &[("intake", &id), ("notes", "Andra samtalet: motiverad.")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, body) = call(&anna, &server, "/api/intake/get", &[("intake", &id)]).await;
    let view: app::model::IntakeView = serde_json::from_str(&body).unwrap();
    assert_eq!(view.notes, "Andra samtalet: motiverad.");
    // Created, changed, read: each logged by the registration's id.
    assert_eq!(lines_naming(db, &id).await, 3);

    // Nobody else sees it: not a colleague, not the manager; the admin not at all.
    for (who, expected) in [
        ("johan", AppError::NotFound),
        ("chef", AppError::NotFound),
        ("admin", AppError::Forbidden),
    ] {
        let other = TestServer::client();
        login(&other, &server, who, PASSWORD).await;
        for (path, form) in [
            ("/api/intake/get", vec![("intake", id.as_str())]),
            (
                "/api/intake/save_notes",
                vec![("intake", id.as_str()), ("notes", "x")],
            ),
            ("/api/intake/close", vec![("intake", id.as_str())]),
        ] {
            let (_, body) = call(&other, &server, path, &form).await;
            assert_eq!(error_of(&body), expected, "{who} {path}");
        }
        if who == "johan" {
            let (_, body) = call(&other, &server, "/api/intake/list", &[]).await;
            let list: app::model::IntakeList = serde_json::from_str(&body).unwrap();
            assert!(list.rows.is_empty());
            let (_, body) = call(&other, &server, "/api/intake/statistics", &[]).await;
            assert_eq!(error_of(&body), AppError::Forbidden);
        }
    }
    assert_eq!(open_intakes::Entity::find().count(&db.db).await.unwrap(), 1);

    // The manager sees it as a count only.
    let chef = TestServer::client();
    login(&chef, &server, "chef", PASSWORD).await;
    let (_, body) = call(&chef, &server, "/api/intake/statistics", &[]).await;
    assert!(!body.contains("Blå"), "{body}");
    let stats: app::model::IntakeStats = serde_json::from_str(&body).unwrap();
    assert_eq!(stats.open, vec![("mi_group".to_owned(), 1)]);
    assert!(stats.closed.is_empty());

    // Closing: everything of it goes at once, one count stays.
    let (status, body) = call(&anna, &server, "/api/intake/close", &[("intake", &id)]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(open_intakes::Entity::find().count(&db.db).await.unwrap(), 0);
    assert_eq!(lines_naming(db, &id).await, 0);
    let closed_lines = access_log::Entity::find()
        .filter(access_log::Column::Action.eq("close_intake"))
        .all(&db.db)
        .await
        .unwrap();
    assert_eq!(closed_lines.len(), 1);
    assert_eq!(closed_lines[0].detail, None);
    let cells = open_intake_stats::Entity::find().all(&db.db).await.unwrap();
    assert_eq!(cells.len(), 1);
    assert_eq!(
        (
            cells[0].service.as_str(),
            cells[0].month.as_str(),
            cells[0].sex.as_str(),
            cells[0].age_band.as_str(),
            cells[0].closed
        ),
        ("mi_group", "2026-11", "female", "26-35", 1)
    );
    assert_eq!(
        app::server::entities::deletion_permits::Entity::find()
            .count(&db.db)
            .await
            .unwrap(),
        0
    );
    let (_, body) = call(&anna, &server, "/api/intake/get", &[("intake", &id)]).await;
    assert_eq!(error_of(&body), AppError::NotFound);

    // A second one in the same cell adds to the count.
    let (_, body) = register(&anna, &server, "Grön 7", "").await;
    let second: String = serde_json::from_str(&body).unwrap();
    call(&anna, &server, "/api/intake/close", &[("intake", &second)]).await;
    let (_, body) = call(&chef, &server, "/api/intake/statistics", &[]).await;
    let stats: app::model::IntakeStats = serde_json::from_str(&body).unwrap();
    assert!(stats.open.is_empty());
    assert_eq!(stats.closed.len(), 1);
    assert_eq!(stats.closed[0].closed, 2);

    // Outside a closing, the access log is still append-only.
    assert!(
        db.db
            .execute_unprepared("DELETE FROM access_log")
            .await
            .is_err()
    );
}

on_both_backends! {
    therapist_only_and_closing_deletes => only_the_therapist_sees_it_and_closing_leaves_only_a_count;
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn database_bytes(url: &str) -> Vec<u8> {
    let path = url
        .trim_start_matches("sqlite://")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let mut bytes = std::fs::read(&path).unwrap();
    if let Ok(wal) = std::fs::read(format!("{path}-wal")) {
        bytes.extend(wal);
    }
    bytes
}

/// SQLite keeps deleted rows in free pages unless `secure_delete` is on, and older
/// page images in the WAL until a checkpoint: neither may keep the notes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_byte_of_the_notes_stays_in_the_sqlite_file() {
    let db = TestDb::new(crate::common::Backend::Sqlite)
        .await
        .expect("sqlite");
    make_user(&db.db, "anna", "staff", PASSWORD).await;
    let server = TestServer::start(&db.db).await;
    let anna = TestServer::client();
    login(&anna, &server, "anna", PASSWORD).await;
    let note = format!(
        "Hemlig-minnesanteckning-{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
    );
    let pseudonym = "Xylofon 77";
    // Long enough to spill onto overflow pages too.
    let long_note = format!("{note} {}", "lång text ".repeat(800));
    let (status, body) = register(&anna, &server, pseudonym, &long_note).await;
    assert_eq!(status, 200, "{body}");
    let id: String = serde_json::from_str(&body).unwrap();
    call(
        &anna,
        &server,
        "/api/intake/save_notes",
        &[("intake", &id), ("notes", &format!("{note} ändrad"))],
    )
    .await;
    db.db
        .execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
        .await
        .unwrap();
    // The test can see the note when it is there.
    assert!(contains(&database_bytes(&db.url), note.as_bytes()));

    let (status, body) = call(&anna, &server, "/api/intake/close", &[("intake", &id)]).await;
    assert_eq!(status, 200, "{body}");
    db.db
        .execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
        .await
        .unwrap();
    let bytes = database_bytes(&db.url);
    assert!(!contains(&bytes, note.as_bytes()), "the note text survived");
    assert!(
        !contains(&bytes, pseudonym.as_bytes()),
        "the pseudonym survived"
    );
    assert!(
        !contains(&bytes, id.as_bytes()),
        "the registration's id survived"
    );
    drop(server);
    db.cleanup().await;
}
