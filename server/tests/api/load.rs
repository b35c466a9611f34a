//! Load: 16 writers (autosaves, a signing, now and then a correction) and 32 readers
//! at once against the real router, on SQLite and PostgreSQL: no write fails, none is
//! lost, and the p50/p99 of each kind are printed. 10 s each here; run it longer
//! with `AKTA_LOAD_SECONDS=60 cargo test … load::` (see README).

use crate::common::{TestDb, TestServer, call_json, login};
use akta_server::demo::{DEMO_PASSWORD, Options, generate};
use app::server::entities::{case_files, journal_entries, users};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

const WRITERS: usize = 16;
const READERS: usize = 32;

#[derive(Default)]
struct Tally {
    write_ms: Vec<f64>,
    read_ms: Vec<f64>,
    failed: Vec<String>,
    signed: Vec<(String, String)>,
}

fn quantile(values: &mut [f64], q: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let at = ((values.len() as f64 - 1.0) * q).round() as usize;
    values[at]
}

async fn timed(
    client: &reqwest::Client,
    server: &TestServer,
    path: &str,
    body: &serde_json::Value,
) -> (u16, String, f64) {
    let t0 = Instant::now();
    let (status, answer) = call_json(client, server, path, body).await;
    (status, answer, t0.elapsed().as_secs_f64() * 1000.0)
}

async fn write(
    server: Arc<TestServer>,
    (username, client): (String, reqwest::Client),
    file: String,
    until: Instant,
    tally: Arc<Mutex<Tally>>,
) {
    let today = app::server::today().to_string();
    let mut n = 0u32;
    while Instant::now() < until {
        n += 1;
        let mut entry: Option<String> = None;
        let mut text = String::new();
        // Autosaves as the text grows, then the signing.
        for step in 0..4 {
            text.push_str(&format!(
                "{username} skriver, steg {step} av anteckning {n}. "
            ));
            let path = if step == 3 {
                "/api/journal/sign"
            } else {
                "/api/journal/save_draft"
            };
            let args = json!({ "file": file, "entry": entry, "event_date": today,
                               "category": "event", "body": text, "goals": [] });
            let (status, answer, ms) = timed(&client, &server, path, &args).await;
            let mut t = tally.lock().await;
            t.write_ms.push(ms);
            if status != 200 {
                t.failed.push(format!("{path} {status} {answer}"));
                break;
            }
            if step < 3 {
                let draft: app::model::DraftSaved = serde_json::from_str(&answer).expect("draft");
                entry = Some(draft.entry_id);
            } else if let Some(id) = &entry {
                t.signed.push((id.clone(), text.clone()));
            }
        }
        // Every fifth entry is corrected.
        if n.is_multiple_of(5)
            && let Some(id) = entry
        {
            let args = json!({ "file": file, "entry": id,
                               "body": format!("{text} (rättad)"), "reason": "Fel datum i texten." });
            let (status, answer, ms) = timed(&client, &server, "/api/journal/correct", &args).await;
            let mut t = tally.lock().await;
            t.write_ms.push(ms);
            if status != 200 {
                t.failed.push(format!("correct {status} {answer}"));
            }
        }
    }
}

async fn read(
    server: Arc<TestServer>,
    client: reqwest::Client,
    file: String,
    until: Instant,
    tally: Arc<Mutex<Tally>>,
) {
    let args = json!({ "file": file,
                       "filter": { "category": null, "goal": null, "period": null, "page": 0 } });
    while Instant::now() < until {
        let (status, answer, ms) = timed(&client, &server, "/api/journal/view", &args).await;
        let mut t = tally.lock().await;
        t.read_ms.push(ms);
        if status != 200 {
            t.failed.push(format!("view {status} {answer}"));
        }
    }
}

async fn many_writers_and_readers_lose_nothing(db: &TestDb) {
    generate(
        &db.db,
        Options {
            seed: 13,
            clients: 24,
            today: app::server::today(),
        },
    )
    .await
    .expect("demo");
    let mut people = Vec::new();
    for file in case_files::Entity::find()
        .filter(case_files::Column::ClosedOn.is_null())
        .order_by_asc(case_files::Column::Id)
        .all(&db.db)
        .await
        .unwrap()
    {
        let contact = users::Entity::find_by_id(file.contact_person_id)
            .one(&db.db)
            .await
            .unwrap()
            .expect("contact person");
        people.push((contact.username, file.public_id));
    }
    assert!(!people.is_empty());
    let seconds: u64 = std::env::var("AKTA_LOAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let server = Arc::new(TestServer::start(&db.db).await);
    // One session per person (the login limit allows a few logins per address):
    // several writers and readers of one person share it, as tabs do.
    people.truncate(6);
    let mut sessions = std::collections::HashMap::new();
    for (user, _) in &people {
        if !sessions.contains_key(user) {
            let client = TestServer::client();
            assert!(login(&client, &server, user, DEMO_PASSWORD).await < 400);
            sessions.insert(user.clone(), client);
        }
    }
    let tally = Arc::new(Mutex::new(Tally::default()));
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for (user, file) in people.iter().cycle().take(WRITERS) {
        tasks.push(tokio::spawn(write(
            server.clone(),
            (user.clone(), sessions[user].clone()),
            file.clone(),
            until,
            tally.clone(),
        )));
    }
    for (user, file) in people.iter().cycle().skip(3).take(READERS) {
        tasks.push(tokio::spawn(read(
            server.clone(),
            sessions[user].clone(),
            file.clone(),
            until,
            tally.clone(),
        )));
    }
    for t in tasks {
        t.await.expect("a load task panicked");
    }
    let mut t = tally.lock().await;
    let (w50, w99) = (
        quantile(&mut t.write_ms, 0.5),
        quantile(&mut t.write_ms, 0.99),
    );
    let (r50, r99) = (
        quantile(&mut t.read_ms, 0.5),
        quantile(&mut t.read_ms, 0.99),
    );
    eprintln!(
        "load ({:?}, {seconds} s, {WRITERS} writers, {READERS} readers): {} writes p50 {w50:.1} ms p99 {w99:.1} ms; {} reads p50 {r50:.1} ms p99 {r99:.1} ms; {} signed",
        db.backend(),
        t.write_ms.len(),
        t.read_ms.len(),
        t.signed.len()
    );
    assert!(
        t.failed.is_empty(),
        "failed under load: {:?}",
        &t.failed[..t.failed.len().min(5)]
    );
    assert!(!t.signed.is_empty());
    for (id, body) in &t.signed {
        let entry = journal_entries::Entity::find()
            .filter(journal_entries::Column::PublicId.eq(id.clone()))
            .one(&db.db)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("acknowledged entry {id} is gone"));
        assert_eq!(entry.status, "signed");
        assert_eq!(
            entry.body,
            body.trim(),
            "the text is kept as sent (trimmed)"
        );
    }
}

on_both_backends! {
    sixteen_writers_and_thirty_two_readers => many_writers_and_readers_lose_nothing;
}
