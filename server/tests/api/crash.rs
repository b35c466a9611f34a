//! kill -9 while staff sign: the real `akta serve` binary is killed ten times in the
//! middle of signings and started again on the same database. Every signing it
//! acknowledged is there, signed and unchanged, each signing has its access-log
//! line (neither without the other), and SQLite's `integrity_check` says ok.

use crate::common::TestDb;
use akta_server::demo::{DEMO_PASSWORD, Options, generate};
use app::server::entities::{access_log, case_files, journal_entries, unit_settings, users};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Statement,
};
use serde_json::json;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::sync::Mutex;

const CYCLES: usize = 10;

/// `akta serve` on `port` over the test's database.
fn start(db: &TestDb, port: u16, site: &std::path::Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_akta"))
        .arg("serve")
        .env("DATABASE_URL", &db.url)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", site)
        .env("LEPTOS_OUTPUT_NAME", "akta")
        .env("AKTA_LOGIN_BURST", "1000")
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start akta")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

async fn wait_until_up(base: &str) {
    for _ in 0..200 {
        if let Ok(r) = reqwest::get(format!("{base}/healthz")).await
            && r.status() == 200
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("akta did not come up at {base}");
}

/// Signs entries in `file` until stopped or the server dies; acknowledged signings
/// (entry id and text) go to `signed`.
async fn sign_until_killed(
    base: String,
    app: String,
    username: String,
    file: String,
    stop: Arc<AtomicBool>,
    signed: Arc<Mutex<Vec<(String, String)>>>,
) {
    let client = crate::common::TestServer::client();
    let server = Remote(base);
    if login_remote(&client, &server, &app, &username)
        .await
        .is_err()
    {
        return;
    }
    let today = app::server::today().to_string();
    let mut n = 0u32;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let body = format!("{username} skriver anteckning {n} {}", rand_tag());
        let args = |entry: Option<&str>| {
            json!({ "file": file, "entry": entry, "event_date": today, "category": "event",
                    "body": body, "goals": [] })
        };
        let Ok((200, answer)) = server
            .post(&client, "/api/journal/save_draft", &args(None))
            .await
        else {
            return;
        };
        let draft: app::model::DraftSaved = serde_json::from_str(&answer).expect("draft");
        match server
            .post(&client, "/api/journal/sign", &args(Some(&draft.entry_id)))
            .await
        {
            Ok((200, _)) => signed.lock().await.push((draft.entry_id, body.clone())),
            _ => return,
        }
    }
}

fn rand_tag() -> u32 {
    use rand::Rng;
    rand::rng().random()
}

/// A server reached over HTTP whose requests may fail (it can be killed at any time).
struct Remote(String);

impl Remote {
    async fn post(
        &self,
        client: &reqwest::Client,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<(u16, String), reqwest::Error> {
        let response = client
            .post(format!("{}{path}", self.0))
            .header("Accept", "application/json")
            .json(body)
            .send()
            .await?;
        let status = response.status().as_u16();
        Ok((status, response.text().await?))
    }
}

/// `app`: the tests' authenticator app's name for the database (the servers come and
/// go, the accounts' secrets stay).
async fn login_remote(
    client: &reqwest::Client,
    server: &Remote,
    app: &str,
    username: &str,
) -> Result<(), reqwest::Error> {
    // The password and the second step, as anyone logs in.
    let browser = crate::common::Browser {
        client: client.clone(),
        base: server.0.clone(),
        origin: None,
        app: app.to_owned(),
    };
    let (status, body) = browser.try_login(username, DEMO_PASSWORD).await?;
    assert_eq!(status, 200, "login: {body}");
    Ok(())
}

async fn counts(db: &TestDb, file: i32) -> (u64, u64) {
    let signed = journal_entries::Entity::find()
        .filter(journal_entries::Column::CaseFileId.eq(file))
        .filter(journal_entries::Column::Status.eq("signed"))
        .count(&db.db)
        .await
        .unwrap();
    let lines = access_log::Entity::find()
        .filter(access_log::Column::CaseFileId.eq(file))
        .filter(access_log::Column::Action.eq("sign_entry"))
        .count(&db.db)
        .await
        .unwrap();
    (signed, lines)
}

async fn killed_mid_signing_loses_nothing_acknowledged(db: &TestDb) {
    generate(
        &db.db,
        Options {
            seed: 5,
            clients: 8,
            today: app::server::today(),
        },
    )
    .await
    .expect("demo");
    // Staff log in with their password alone here: each cycle's fresh logins would
    // otherwise wait for the authenticator's next step (a code is taken once), and the
    // kill would come before anyone had signed. The second factor has its own tests.
    unit_settings::Entity::insert(unit_settings::ActiveModel {
        key: Set(app::server::settings::STAFF_SECOND_FACTOR.to_owned()),
        value: Set("off".to_owned()),
        updated_by: Set(None),
        updated_at: Set(chrono::Utc::now()),
    })
    .exec(&db.db)
    .await
    .expect("staff without a second factor");
    let files = case_files::Entity::find()
        .filter(case_files::Column::ClosedOn.is_null())
        .order_by_asc(case_files::Column::Id)
        .all(&db.db)
        .await
        .unwrap();
    let mut writers_of = Vec::new();
    for file in &files {
        if writers_of.len() == 3 {
            break;
        }
        let contact = users::Entity::find_by_id(file.contact_person_id)
            .one(&db.db)
            .await
            .unwrap()
            .expect("contact person");
        // Staff only: managers need their second factor whatever the setting says.
        if contact.role != "staff" {
            continue;
        }
        let before = counts(db, file.id).await;
        writers_of.push((file.clone(), contact.username, before));
    }
    assert_eq!(writers_of.len(), 3, "three open files of staff");
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("pkg")).unwrap();
    let signed = Arc::new(Mutex::new(Vec::new()));

    for cycle in 0..CYCLES {
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let mut child = start(db, port, site.path());
        wait_until_up(&base).await;
        let stop = Arc::new(AtomicBool::new(false));
        let mut writers = Vec::new();
        for (file, username, _) in &writers_of {
            writers.push(tokio::spawn(sign_until_killed(
                base.clone(),
                db.url.clone(),
                username.clone(),
                file.public_id.clone(),
                stop.clone(),
                signed.clone(),
            )));
        }
        // Somewhere in the middle of the writing: kill -9.
        tokio::time::sleep(Duration::from_millis(300 + 97 * cycle as u64 % 500)).await;
        child.kill().expect("kill -9");
        let _ = child.wait();
        stop.store(true, Ordering::Relaxed);
        for w in writers {
            w.await.expect("a writer panicked");
        }
    }

    let signed = signed.lock().await.clone();
    assert!(
        signed.len() >= CYCLES,
        "too few signings acknowledged: {}",
        signed.len()
    );
    for (id, body) in &signed {
        let entry = journal_entries::Entity::find()
            .filter(journal_entries::Column::PublicId.eq(id.clone()))
            .one(&db.db)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("acknowledged entry {id} is gone"));
        assert_eq!(entry.status, "signed");
        assert_eq!(&entry.body, body, "entry {id} changed");
    }
    for (file, _, (signed_before, lines_before)) in &writers_of {
        let (signed_after, lines_after) = counts(db, file.id).await;
        assert_eq!(
            signed_after - signed_before,
            lines_after - lines_before,
            "every signing has its log line and no line is without its signing"
        );
    }
    if db.backend() == DbBackend::Sqlite {
        let check = db
            .db
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                "PRAGMA integrity_check",
            ))
            .await
            .unwrap()
            .expect("a row");
        assert_eq!(check.try_get_by_index::<String>(0).unwrap(), "ok");
    }
}

on_both_backends! {
    kill_9_while_signing_loses_nothing => killed_mid_signing_loses_nothing_acknowledged;
}

/// A second `akta` on a port already in use says so in one line, before it opens
/// (let alone migrates) the database.
#[test]
fn startup_names_a_port_in_use_before_touching_the_database() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let dir = tempfile::tempdir().unwrap();
    let db_file = dir.path().join("akta.db");
    std::fs::create_dir_all(dir.path().join("site/pkg")).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_akta"))
        .arg("serve")
        .env(
            "DATABASE_URL",
            format!("sqlite://{}?mode=rwc", db_file.display()),
        )
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", dir.path().join("site"))
        .env("RUST_LOG", "error")
        .output()
        .expect("run akta");
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    let last = said.lines().last().unwrap_or_default();
    assert!(last.contains("the port is in use"), "{said}");
    assert!(
        !db_file.exists(),
        "the database was touched before the port was checked"
    );
}
