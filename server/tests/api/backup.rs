//! `akta backup` while staff sign entries, then `akta restore` into an empty
//! database: every entry acknowledged before the backup began is in the copy, every
//! row of the copy is the source's row unchanged, and a restore never overwrites a
//! database that holds anything.

use crate::common::{Backend, TestDb, TestServer, login, sign_entry};
use akta_server::backup::{self, BackupError};
use akta_server::demo::{DEMO_PASSWORD, Options, generate};
use app::server::entities::{case_files, users};
use sea_orm::{
    DatabaseConnection, DbBackend, EntityTrait, FromQueryResult, JsonValue, QueryFilter,
    QueryOrder, Statement,
};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::Mutex;

/// The tables compared row for row.
const TABLES: [&str; 5] = [
    "clients",
    "case_files",
    "journal_entries",
    "access_log",
    "plan_versions",
];

async fn rows(db: &DatabaseConnection, table: &str) -> BTreeMap<i64, JsonValue> {
    let backend = db.get_database_backend();
    JsonValue::find_by_statement(Statement::from_string(
        backend,
        format!("SELECT * FROM {table} ORDER BY id"),
    ))
    .all(db)
    .await
    .unwrap()
    .into_iter()
    .map(|row| (row["id"].as_i64().expect("an id"), row))
    .collect()
}

/// A contact person signs entries in their file until told to stop; the public
/// ids of the entries whose signing was acknowledged are pushed to `signed`.
async fn keep_signing(
    server: Arc<TestServer>,
    username: String,
    file: String,
    stop: Arc<AtomicBool>,
    signed: Arc<Mutex<Vec<String>>>,
) {
    let client = TestServer::client();
    assert!(login(&client, &server, &username, DEMO_PASSWORD).await < 400);
    let mut n = 0;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let body = format!("Samtal nummer {n} under säkerhetskopieringen.");
        match sign_entry(&client, &server, &file, &body).await {
            Ok(id) => signed.lock().await.push(id),
            Err((status, answer)) => {
                panic!("signing refused while a backup ran: {status} {answer}")
            }
        }
    }
}

async fn a_backup_taken_while_staff_write_restores_row_for_row(db: &TestDb) {
    generate(
        &db.db,
        Options {
            seed: 11,
            clients: 12,
            today: app::server::today(),
        },
    )
    .await
    .expect("demo");
    let server = Arc::new(TestServer::start(&db.db).await);
    let files = case_files::Entity::find()
        .filter(sea_orm::ColumnTrait::is_null(&case_files::Column::ClosedOn))
        .order_by_asc(case_files::Column::Id)
        .all(&db.db)
        .await
        .unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let signed = Arc::new(Mutex::new(Vec::new()));
    let mut writers = Vec::new();
    for file in files.iter().take(3) {
        let contact = users::Entity::find_by_id(file.contact_person_id)
            .one(&db.db)
            .await
            .unwrap()
            .expect("contact person");
        writers.push(tokio::spawn(keep_signing(
            server.clone(),
            contact.username,
            file.public_id.clone(),
            stop.clone(),
            signed.clone(),
        )));
    }
    // Let the writers get going, then take the backup in the middle of their work.
    while signed.lock().await.len() < 6 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let acknowledged_before: Vec<String> = signed.lock().await.clone();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("akta-backup.db");
    let contents = backup::backup(&db.db, &db.url, &file)
        .await
        .expect("backup");
    // Writes went on during and after the backup.
    let during = signed.lock().await.len();
    while signed.lock().await.len() < during + 3 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.await.expect("a writer failed");
    }

    // A backup is never written over.
    assert!(matches!(
        backup::backup(&db.db, &db.url, &file).await,
        Err(BackupError::Exists(_))
    ));
    // A restore never fills a database that holds anything.
    assert!(matches!(
        backup::restore(&db.url, &file).await,
        Err(BackupError::NotEmpty(_))
    ));

    // Restored into an empty database of the same kind.
    let kind = match db.backend() {
        DbBackend::Postgres => Backend::Postgres,
        _ => Backend::Sqlite,
    };
    let target = TestDb::unmigrated(kind).await.expect("an empty database");
    target.db.clone().close().await.ok();
    let restored_contents = backup::restore(&target.url, &file).await.expect("restore");
    assert_eq!(
        restored_contents, contents,
        "the restore holds what the backup said"
    );
    let restored = app::server::db::connect(&target.url).await.unwrap();
    akta_server::cli::migrate(&restored)
        .await
        .expect("a restored database migrates");

    for table in TABLES {
        let source = rows(&db.db, table).await;
        let copy = rows(&restored, table).await;
        assert_eq!(
            copy.len() as u64,
            contents.rows(table),
            "{table}: the restore holds as many rows as the backup"
        );
        for (id, row) in &copy {
            let now = source
                .get(id)
                .unwrap_or_else(|| panic!("{table} row {id} is not in the source"));
            // A draft may have been signed since the backup; everything else is as it was.
            let draft = table == "journal_entries" && row["status"].as_str() == Some("draft");
            if !draft {
                assert_eq!(now, row, "{table} row {id} differs");
            }
        }
    }
    let entries = rows(&restored, "journal_entries").await;
    for entry in &acknowledged_before {
        let found = entries
            .values()
            .find(|row| row["public_id"].as_str() == Some(entry))
            .unwrap_or_else(|| panic!("acknowledged entry {entry} is missing from the backup"));
        assert_eq!(found["status"].as_str(), Some("signed"));
    }
    assert!(
        entries.len() < rows(&db.db, "journal_entries").await.len(),
        "the writers went on after the backup"
    );
    restored.close().await.ok();
    target.cleanup().await;
}

on_both_backends! {
    backup_while_writing_restores_row_for_row => a_backup_taken_while_staff_write_restores_row_for_row;
}
