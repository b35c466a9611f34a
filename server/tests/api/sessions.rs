//! Sessions (issue 14, item 3): the cookie ends with the browser, the database keeps
//! only hashes of session ids, the idle expiry moves with activity, and a session ends
//! at its absolute end however active it is.

use crate::common::{TestDb, TestServer, call, make_user};
use app::server::entities::sessions;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};

const PASSWORD: &str = "ett-langt-losenord";

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Logs in; returns the client and the `Set-Cookie` header of the session.
async fn logged_in(server: &TestServer) -> (reqwest::Client, String) {
    let client = TestServer::client();
    let response = client
        .post(server.url("/api/login"))
        .header("Accept", "application/json")
        .form(&[("username", "anna"), ("password", PASSWORD)])
        .send()
        .await
        .expect("login");
    assert!(response.status().as_u16() < 400, "{}", response.status());
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("akta_session="))
        .expect("session cookie")
        .to_owned();
    (client, cookie)
}

async fn is_logged_in(client: &reqwest::Client, server: &TestServer) -> bool {
    let (status, body) = call(client, server, "/api/current_user", &[]).await;
    assert_eq!(status, 200, "{body}");
    body != "null"
}

/// The one session row there is.
async fn the_session(db: &TestDb) -> sessions::Model {
    let mut rows = sessions::Entity::find()
        .all(&db.db)
        .await
        .expect("sessions");
    assert_eq!(rows.len(), 1, "{rows:?}");
    rows.remove(0)
}

async fn set_times(db: &TestDb, expires_at: i64, ends_at: i64) {
    sessions::Entity::update_many()
        .col_expr(sessions::Column::ExpiresAt, Expr::value(expires_at))
        .col_expr(sessions::Column::EndsAt, Expr::value(ends_at))
        .filter(sessions::Column::IdHash.ne(""))
        .exec(&db.db)
        .await
        .expect("set times");
}

async fn the_cookie_ends_with_the_browser_and_the_id_is_stored_hashed(db: &TestDb) {
    make_user(&db.db, "anna", "staff", PASSWORD).await;
    let server = TestServer::start(&db.db).await;
    let (_, cookie) = logged_in(&server).await;
    let lower = cookie.to_ascii_lowercase();
    assert!(
        !lower.contains("max-age") && !lower.contains("expires"),
        "the cookie outlives the browser: {cookie}"
    );
    let id = cookie
        .trim_start_matches("akta_session=")
        .split(';')
        .next()
        .unwrap_or_default();
    assert!(!id.is_empty());
    let row = the_session(db).await;
    assert_ne!(row.id_hash, id, "the id is stored in plain text");
    assert!(!row.data.contains(id));
    let parsed: tower_sessions::session::Id = id.parse().expect("a session id");
    assert_eq!(row.id_hash, app::server::sessions::id_hash(&parsed));
    // Twelve hours after login, whatever happens; idle half an hour.
    let now = now();
    assert!((row.ends_at - (now + 12 * 3600)).abs() < 60, "{row:?}");
    assert!((row.expires_at - (now + 30 * 60)).abs() < 60, "{row:?}");
}

async fn activity_moves_the_idle_expiry_and_idleness_ends_the_session(db: &TestDb) {
    make_user(&db.db, "anna", "staff", PASSWORD).await;
    let server = TestServer::start(&db.db).await;
    let (client, _) = logged_in(&server).await;

    // Nearly half an hour without activity: a request moves the expiry on.
    let ends_at = the_session(db).await.ends_at;
    set_times(db, now() + 10, ends_at).await;
    assert!(is_logged_in(&client, &server).await);
    let moved = the_session(db).await.expires_at;
    assert!(
        moved >= now() + 30 * 60 - 60,
        "the expiry did not move: {moved}"
    );

    // Half an hour without activity has passed: the session is over.
    set_times(db, now() - 1, ends_at).await;
    assert!(!is_logged_in(&client, &server).await);
}

async fn the_absolute_end_holds_however_active(db: &TestDb) {
    make_user(&db.db, "anna", "staff", PASSWORD).await;
    let server = TestServer::start(&db.db).await;
    let (client, _) = logged_in(&server).await;

    // Activity moves the expiry no further than the end...
    let end = now() + 120;
    set_times(db, now() + 10, end).await;
    assert!(is_logged_in(&client, &server).await);
    assert_eq!(the_session(db).await.expires_at, end);

    // ...and at the end the session is over, though it was never idle.
    set_times(db, now() + 600, now() - 1).await;
    assert!(!is_logged_in(&client, &server).await);
}

async fn expired_sessions_are_swept(db: &TestDb) {
    use tower_sessions::session_store::ExpiredDeletion;
    make_user(&db.db, "anna", "staff", PASSWORD).await;
    let server = TestServer::start(&db.db).await;
    logged_in(&server).await;
    let store = app::server::sessions::DbSessionStore::new(db.db.clone());
    store.delete_expired().await.expect("sweep");
    assert_eq!(
        sessions::Entity::find()
            .all(&db.db)
            .await
            .expect("rows")
            .len(),
        1
    );
    set_times(db, now() + 600, now() - 1).await;
    store.delete_expired().await.expect("sweep");
    assert!(
        sessions::Entity::find()
            .all(&db.db)
            .await
            .expect("rows")
            .is_empty()
    );
}

on_both_backends! {
    browser_session_cookie_and_hashed_ids => the_cookie_ends_with_the_browser_and_the_id_is_stored_hashed;
    idle_timeout_moves_with_activity => activity_moves_the_idle_expiry_and_idleness_ends_the_session;
    absolute_lifetime => the_absolute_end_holds_however_active;
    sweeping_expired_sessions => expired_sessions_are_swept;
}
