//! The security suite (issue 14): each attack of the pen test against the real
//! `akta serve` binary, on SQLite and PostgreSQL, failing if the attack succeeds.
//!
//! Slow headers and bodies, a body over the limit, a foreign or missing `Origin`, the
//! cookie's flags (plain-http loopback, and https behind a proxy with HSTS), session
//! ids stored only as hashes, REPLACE and upserts rewriting the access log, the
//! password rules (common passwords, must-change after an administrator set one,
//! self-service change ending the other sessions), `X-Forwarded-For` spoofed by a
//! client that is not a trusted proxy, the per-address limit behind a trusted proxy,
//! the per-account throttle (the same for real and made-up names, across instances),
//! and the Content-Security-Policy with its nonce. On PostgreSQL also the two roles
//! with the real binary: `akta migrate --runtime-role`, then `akta serve` as a role
//! that owns nothing. (`append_only.rs` tries every statement against the roles.)

use crate::common::{PG_DEFAULT, TestDb, make_user};
use app::error::{AppError, Problem};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A running `akta serve`, killed when dropped.
struct Akta {
    child: Child,
    port: u16,
    origin: String,
}

impl Drop for Akta {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Akta {
    async fn start(database_url: &str, env: &[(&str, &str)]) -> Akta {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let site = std::env::temp_dir().join(format!("akta-security-site-{port}"));
        std::fs::create_dir_all(site.join("pkg")).expect("site dir");
        let mut command = Command::new(env!("CARGO_BIN_EXE_akta"));
        command
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_SITE_ROOT", &site)
            .env("LEPTOS_OUTPUT_NAME", "akta")
            .env_remove("LEPTOS_ENV")
            .env_remove("AKTA_PUBLIC_URL")
            .env_remove("AKTA_TRUSTED_PROXIES")
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let mut origin = format!("http://127.0.0.1:{port}");
        for (k, v) in env {
            command.env(k, v);
            if *k == "AKTA_PUBLIC_URL" {
                origin = (*v).to_owned();
            }
        }
        let akta = Akta {
            child: command.spawn().expect("start akta"),
            port,
            origin,
        };
        for _ in 0..300 {
            if let Ok(r) = reqwest::get(akta.url("/healthz")).await
                && r.status() == 200
            {
                return akta;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("akta did not come up on port {port}");
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// A POST as Akta's own page would send it, with extra headers.
    async fn post(
        &self,
        client: &reqwest::Client,
        path: &str,
        form: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> (u16, String) {
        let mut request = client
            .post(self.url(path))
            .header("Accept", "application/json")
            .header("Origin", &self.origin)
            .form(form);
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        (status, response.text().await.unwrap_or_default())
    }

    /// The password and, when it is right, the second step (`common::Browser::login`).
    async fn login(
        &self,
        client: &reqwest::Client,
        username: &str,
        password: &str,
    ) -> (u16, String) {
        self.browser(client).login(username, password).await
    }

    fn browser(&self, client: &reqwest::Client) -> crate::common::Browser {
        let base = format!("http://127.0.0.1:{}", self.port);
        crate::common::Browser {
            client: client.clone(),
            app: base.clone(),
            base,
            origin: Some(self.origin.clone()),
        }
    }
}

/// A client without the same-origin header of `TestServer::client` (Akta sets Origin).
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

fn error_of(body: &str) -> AppError {
    serde_json::from_str(body).unwrap_or_else(|_| panic!("not an AppError: {body}"))
}

fn problems_of(body: &str) -> Vec<(String, Problem)> {
    match error_of(body) {
        AppError::Invalid(list) => list.into_iter().map(|f| (f.field, f.problem)).collect(),
        other => panic!("expected field problems, got {other:?}"),
    }
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

/// Reads until the server answers or closes; `None` if it keeps the connection open
/// past `limit` (the attack held it).
async fn answer_within(stream: &mut tokio::net::TcpStream, limit: Duration) -> Option<String> {
    let mut buf = Vec::new();
    let read = tokio::time::timeout(limit, async {
        let mut chunk = [0u8; 1024];
        loop {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
            if buf.windows(4).any(|w| w == b"\r\n\r\n") {
                break;
            }
        }
    })
    .await;
    read.ok()
        .map(|()| String::from_utf8_lossy(&buf).into_owned())
}

async fn slow_clients_are_cut_off(akta: &Akta) {
    // Headers that never end.
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", akta.port))
        .await
        .expect("connect");
    s.write_all(b"GET /logga-in HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("write");
    assert!(
        answer_within(&mut s, Duration::from_secs(8))
            .await
            .is_some(),
        "a client that never finished its headers kept the connection"
    );
    // A body that never arrives.
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", akta.port))
        .await
        .expect("connect");
    let head = format!(
        "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: {}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nuser",
        akta.origin
    );
    s.write_all(head.as_bytes()).await.expect("write");
    let answer = answer_within(&mut s, Duration::from_secs(8))
        .await
        .expect("a client that stopped sending its body kept the connection");
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "a stalled body got {answer}"
    );
    // A body over the limit is refused before it is read (none is sent: a refused
    // write could turn into a broken pipe).
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", akta.port))
        .await
        .expect("connect");
    let head = format!(
        "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: {}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        akta.origin,
        600 * 1024
    );
    s.write_all(head.as_bytes()).await.expect("write");
    let answer = answer_within(&mut s, Duration::from_secs(8))
        .await
        .expect("no answer to a body over the limit");
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
}

async fn foreign_origins_are_refused(akta: &Akta) {
    for (origin, fetch_site) in [
        (Some(format!("evil://127.0.0.1:{}", akta.port)), None),
        (Some("https://evil.example".to_owned()), None),
        (None, None),
        (None, Some("cross-site")),
        (Some("null".to_owned()), Some("same-origin")),
    ] {
        let mut request = client()
            .post(akta.url("/api/login"))
            .form(&[("username", "anna"), ("password", "ett långt lösenord")]);
        if let Some(o) = &origin {
            request = request.header("Origin", o);
        }
        if let Some(f) = fetch_site {
            request = request.header("Sec-Fetch-Site", f);
        }
        let status = request.send().await.expect("post").status().as_u16();
        assert_eq!(
            status, 403,
            "Origin {origin:?}, Sec-Fetch-Site {fetch_site:?}"
        );
    }
}

/// The session cookie of a login response, checked for its flags.
fn session_cookie(response: &reqwest::Response, secure: bool) -> String {
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.contains("akta_session="))
        .unwrap_or_else(|| panic!("no session cookie: {:?}", response.headers()))
        .to_owned();
    let lower = cookie.to_lowercase();
    assert!(lower.contains("httponly"), "{cookie}");
    assert!(lower.contains("samesite=strict"), "{cookie}");
    assert!(
        !lower.contains("max-age") && !lower.contains("expires"),
        "persistent: {cookie}"
    );
    assert_eq!(lower.contains("; secure"), secure, "{cookie}");
    assert_eq!(cookie.starts_with("__Host-"), secure, "{cookie}");
    cookie
}

async fn cookies_sessions_and_the_log(db: &TestDb, akta: &Akta, https: &Akta) {
    let response = client()
        .post(akta.url("/api/login"))
        .header("Origin", &akta.origin)
        .form(&[("username", "anna"), ("password", "ett långt lösenord")])
        .send()
        .await
        .expect("login");
    assert!(response.status().as_u16() < 400);
    assert!(
        response
            .headers()
            .get("strict-transport-security")
            .is_none()
    );
    let cookie = session_cookie(&response, false);
    let id = cookie
        .split_once('=')
        .and_then(|(_, rest)| rest.split(';').next())
        .expect("value");
    assert_eq!(
        count(
            &db.db,
            &format!("SELECT COUNT(*) FROM sessions WHERE id_hash = '{id}'")
        )
        .await,
        0,
        "the session id is stored as it is"
    );
    assert_eq!(
        count(
            &db.db,
            &format!("SELECT COUNT(*) FROM sessions WHERE data LIKE '%{id}%'")
        )
        .await,
        0
    );
    assert!(count(&db.db, "SELECT COUNT(*) FROM sessions").await >= 1);

    let response = client()
        .post(https.url("/api/login"))
        .header("Origin", &https.origin)
        .header("X-Forwarded-For", "198.51.100.20")
        .form(&[("username", "anna"), ("password", "ett långt lösenord")])
        .send()
        .await
        .expect("login");
    assert!(response.status().as_u16() < 400);
    session_cookie(&response, true);
    assert!(
        response
            .headers()
            .get("strict-transport-security")
            .is_some()
    );

    // The login's log line cannot be rewritten in place.
    let line = count(&db.db, "SELECT CAST(MAX(id) AS BIGINT) FROM access_log").await;
    let attack = match db.backend() {
        DbBackend::Sqlite => format!(
            "INSERT OR REPLACE INTO access_log (id, at, user_id, action) VALUES ({line}, '2026-01-01T00:00:00+00:00', 1, 'read_journal')"
        ),
        _ => format!(
            "INSERT INTO access_log (id, at, user_id, action) VALUES ({line}, NOW(), 1, 'read_journal') \
             ON CONFLICT (id) DO UPDATE SET action = 'read_journal'"
        ),
    };
    assert!(
        db.db
            .execute_raw(Statement::from_string(db.backend(), attack))
            .await
            .is_err(),
        "the access log was rewritten"
    );
    assert_eq!(
        count(
            &db.db,
            &format!("SELECT COUNT(*) FROM access_log WHERE id = {line} AND action = 'login'")
        )
        .await,
        1
    );
}

async fn passwords(db: &TestDb, akta: &Akta) {
    let admin = client();
    assert!(akta.login(&admin, "admin", "ett långt lösenord").await.0 < 400);
    for common in ["password123", "Sommar2024!", "qwertyuiop"] {
        let (status, body) = akta
            .post(
                &admin,
                "/api/admin/create_user",
                &[
                    ("username", "berit"),
                    ("display_name", "Berit"),
                    ("role", "staff"),
                    ("password", common),
                ],
                &[],
            )
            .await;
        assert_eq!(status, 400, "{common}");
        assert_eq!(
            problems_of(&body),
            vec![("password".to_owned(), Problem::PasswordCommon)]
        );
    }
    let set_by_admin = "administratorns val 1";
    let (status, _) = akta
        .post(
            &admin,
            "/api/admin/create_user",
            &[
                ("username", "berit"),
                ("display_name", "Berit"),
                ("role", "staff"),
                ("password", set_by_admin),
            ],
            &[],
        )
        .await;
    assert_eq!(status, 200);

    // Berit must change the administrator's password before anything else.
    let berit = client();
    let (status, body) = akta.login(&berit, "berit", set_by_admin).await;
    assert!(status < 400, "{body}");
    let (_, me) = akta.post(&berit, "/api/current_user", &[], &[]).await;
    let me: Option<app::model::SessionUser> = serde_json::from_str(&me).expect("me");
    assert!(me.expect("logged in").must_change_password);
    let (status, body) = akta
        .post(&berit, "/api/files/open_files", &[("page", "0")], &[])
        .await;
    assert_eq!(
        (status, error_of(&body)),
        (403, AppError::PasswordChangeRequired)
    );
    let other = client();
    assert!(akta.login(&other, "berit", set_by_admin).await.0 < 400);

    let change = |current: &'static str, new: &'static str, again: &'static str| {
        [
            ("current_password", current),
            ("new_password", new),
            ("new_password_again", again),
        ]
    };
    let (status, body) = akta
        .post(
            &berit,
            "/api/account/change_password",
            &change("fel lösenord", "bertils egna fras", "bertils egna fras"),
            &[],
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        problems_of(&body),
        vec![("current_password".to_owned(), Problem::PasswordWrong)]
    );
    let (status, body) = akta
        .post(
            &berit,
            "/api/account/change_password",
            &change("administratorns val 1", "password123", "password123"),
            &[],
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        problems_of(&body),
        vec![("new_password".to_owned(), Problem::PasswordCommon)]
    );
    let (status, body) = akta
        .post(
            &berit,
            "/api/account/change_password",
            &change(
                "administratorns val 1",
                "berits egna fras",
                "berits egna fraz",
            ),
            &[],
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        problems_of(&body),
        vec![("new_password_again".to_owned(), Problem::PasswordsDiffer)]
    );
    let (status, body) = akta
        .post(
            &berit,
            "/api/account/change_password",
            &change(
                "administratorns val 1",
                "berits egna fras",
                "berits egna fras",
            ),
            &[],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    // This session goes on, to the second factor staff need, then free; the other one
    // has ended.
    let (status, body) = akta
        .post(&berit, "/api/files/open_files", &[("page", "0")], &[])
        .await;
    assert_eq!(
        (status, error_of(&body)),
        (403, AppError::SecondFactorRequired)
    );
    akta.browser(&berit).enrol("berit").await;
    let (status, _) = akta
        .post(&berit, "/api/files/open_files", &[("page", "0")], &[])
        .await;
    assert_eq!(status, 200);
    let (_, body) = akta.post(&other, "/api/current_user", &[], &[]).await;
    assert_eq!(
        body, "null",
        "the other session outlived the password change"
    );
    assert_eq!(
        count(
            &db.db,
            "SELECT COUNT(*) FROM access_log l JOIN users u ON u.id = l.user_id \
                       WHERE u.username = 'berit' AND l.action = 'change_password'"
        )
        .await,
        1
    );
    assert_eq!(akta.login(&client(), "berit", set_by_admin).await.0, 401);

    // A reset by the administrator: Berit's session ends, and she must change again.
    let (status, _) = akta
        .post(
            &admin,
            "/api/admin/reset_password",
            &[("username", "berit"), ("password", "en ny tillfällig fras")],
            &[],
        )
        .await;
    assert_eq!(status, 200);
    let (_, body) = akta.post(&berit, "/api/current_user", &[], &[]).await;
    assert_eq!(body, "null");
    let again = client();
    assert!(akta.login(&again, "berit", "en ny tillfällig fras").await.0 < 400);
    let (status, _) = akta
        .post(&again, "/api/files/open_files", &[("page", "0")], &[])
        .await;
    assert_eq!(status, 403);
}

async fn forwarded_for(plain: &Akta, behind_proxy: &Akta) {
    // Not a trusted proxy: whatever X-Forwarded-For says, it is one address.
    let mut statuses = Vec::new();
    for i in 0..8 {
        let (status, body) = plain
            .post(
                &client(),
                "/api/login",
                &[
                    ("username", format!("spoof{i}").as_str()),
                    ("password", "fel lösenord"),
                ],
                &[("X-Forwarded-For", format!("203.0.113.{i}").as_str())],
            )
            .await;
        statuses.push((status, body));
    }
    let (status, body) = statuses.last().expect("attempts");
    assert_eq!(
        (*status, error_of(body)),
        (429, AppError::RateLimited),
        "{statuses:?}"
    );

    // Behind the trusted proxy: one client over its burst waits; another does not.
    for i in 0..8 {
        behind_proxy
            .post(
                &client(),
                "/api/login",
                &[
                    ("username", format!("proxied{i}").as_str()),
                    ("password", "fel lösenord"),
                ],
                &[("X-Forwarded-For", "6.6.6.6, 198.51.100.1")],
            )
            .await;
    }
    let (status, body) = behind_proxy
        .post(
            &client(),
            "/api/login",
            &[("username", "proxied9"), ("password", "fel lösenord")],
            &[("X-Forwarded-For", "198.51.100.1")],
        )
        .await;
    assert_eq!((status, error_of(&body)), (429, AppError::RateLimited));
    let (status, body) = behind_proxy
        .post(
            &client(),
            "/api/login",
            &[("username", "proxied10"), ("password", "fel lösenord")],
            &[("X-Forwarded-For", "198.51.100.2")],
        )
        .await;
    assert_eq!(
        (status, error_of(&body)),
        (401, AppError::InvalidCredentials),
        "another client behind the same proxy was locked out"
    );
}

async fn account_throttle(akta: &Akta, other_instance: &Akta) {
    let mut answers = Vec::new();
    // Five failures are free; the sixth makes the name wait (`akta_domain::throttle`).
    for name in ["cecilia", "ingen-sadan"] {
        for _ in 0..6 {
            let (status, body) = akta.login(&client(), name, "fel lösenord").await;
            assert_eq!(
                (status, error_of(&body)),
                (401, AppError::InvalidCredentials)
            );
        }
        answers.push(akta.login(&client(), name, "fel lösenord").await);
    }
    assert_eq!(answers[0].0, 429);
    assert_eq!(
        error_of(&answers[0].1),
        AppError::LoginThrottled { minutes: 1 }
    );
    assert_eq!(
        answers[0], answers[1],
        "the throttle tells a real name from a made-up one"
    );
    // The right password waits too, here and on another instance of the same database.
    let (status, body) = akta.login(&client(), "cecilia", "ett långt lösenord").await;
    assert_eq!(
        (status, error_of(&body)),
        (429, AppError::LoginThrottled { minutes: 1 })
    );
    let (status, body) = other_instance
        .post(
            &client(),
            "/api/login",
            &[("username", "Cecilia"), ("password", "ett långt lösenord")],
            &[("X-Forwarded-For", "198.51.100.77")],
        )
        .await;
    assert_eq!(
        (status, error_of(&body)),
        (429, AppError::LoginThrottled { minutes: 1 })
    );
}

async fn content_security_policy(akta: &Akta) {
    let response = reqwest::get(akta.url("/logga-in")).await.expect("page");
    let csp = response
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .expect("a CSP")
        .to_owned();
    let html = response.text().await.expect("html");
    let script_src = csp
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src"))
        .expect("script-src");
    assert!(!script_src.contains("unsafe-inline"), "{csp}");
    assert!(!csp.contains("ws:"), "the dev socket in production: {csp}");
    for directive in [
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(directive), "{directive} missing: {csp}");
    }
    let nonce = script_src
        .split_whitespace()
        .find_map(|s| s.strip_prefix("'nonce-"))
        .and_then(|s| s.strip_suffix('\''))
        .expect("a nonce");
    assert!(nonce.len() >= 16);
    let scripts: Vec<&str> = html.split("<script").skip(1).collect();
    assert!(!scripts.is_empty(), "no scripts in the page");
    for script in scripts {
        let tag = script.split('>').next().unwrap_or_default();
        // An empty inline script runs nothing, and the browser skips it before any
        // CSP check (HTML's "prepare the script element"): Leptos leaves one.
        if !tag.contains("src=") && script.starts_with("></script>") {
            continue;
        }
        assert!(
            tag.contains(&format!("nonce=\"{nonce}\"")),
            "a script without the nonce: <script{tag}>"
        );
    }
    let again = reqwest::get(akta.url("/logga-in")).await.expect("page");
    let again = again
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        !again.contains(nonce),
        "the nonce is the same on two requests"
    );
}

async fn attacks(db: &TestDb) {
    for (name, role) in [("admin", "admin"), ("anna", "staff"), ("cecilia", "staff")] {
        make_user(&db.db, name, role, "ett långt lösenord").await;
    }
    let timeouts = [
        ("AKTA_HEADER_TIMEOUT_SECONDS", "2"),
        ("AKTA_BODY_TIMEOUT_SECONDS", "2"),
        ("AKTA_REQUEST_TIMEOUT_SECONDS", "5"),
    ];
    let mut env = timeouts.to_vec();
    env.push(("AKTA_LOGIN_BURST", "1000"));
    let plain = Akta::start(&db.url, &env).await;
    let mut env = timeouts.to_vec();
    env.extend([
        ("AKTA_LOGIN_BURST", "5"),
        ("AKTA_PUBLIC_URL", "https://akta.example"),
        ("AKTA_TRUSTED_PROXIES", "127.0.0.1, ::1"),
    ]);
    let behind_proxy = Akta::start(&db.url, &env).await;
    let mut env = timeouts.to_vec();
    env.push(("AKTA_LOGIN_BURST", "5"));
    let spoofed = Akta::start(&db.url, &env).await;

    slow_clients_are_cut_off(&plain).await;
    foreign_origins_are_refused(&plain).await;
    cookies_sessions_and_the_log(db, &plain, &behind_proxy).await;
    passwords(db, &plain).await;
    forwarded_for(&spoofed, &behind_proxy).await;
    account_throttle(&plain, &behind_proxy).await;
    content_security_policy(&plain).await;
}

on_both_backends! {
    each_attack_of_the_pen_test_fails_against_a_running_akta => attacks;
}

/// The two PostgreSQL roles with the real binary: the owner migrates and grants, the
/// server runs as a role that owns nothing, and that role cannot undo the rules.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_server_runs_as_a_role_that_owns_nothing() {
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
    let (owner, runtime, name) = (
        format!("akta_owner_{suffix}"),
        format!("akta_runtime_{suffix}"),
        format!("akta_roles_{suffix}"),
    );
    let run = |sql: String| {
        let admin = admin.clone();
        async move {
            admin
                .execute_raw(Statement::from_string(DbBackend::Postgres, sql))
                .await
        }
    };
    run(format!("CREATE ROLE {owner} LOGIN"))
        .await
        .expect("owner");
    run(format!("CREATE ROLE {runtime} LOGIN"))
        .await
        .expect("runtime");
    run(format!("CREATE DATABASE {name} OWNER {owner}"))
        .await
        .expect("database");
    let (scheme_user, rest) = admin_url.split_once('@').expect("url with a user");
    let scheme = scheme_user
        .split_once("//")
        .map(|(s, _)| s)
        .expect("scheme");
    let host = rest.split_once('/').map(|(h, _)| h).expect("host");
    let owner_url = format!("{scheme}//{owner}@{host}/{name}");
    let runtime_url = format!("{scheme}//{runtime}@{host}/{name}");

    let outcome = tokio::spawn({
        let runtime = runtime.clone();
        async move {
            let migrate = Command::new(env!("CARGO_BIN_EXE_akta"))
                .args([
                    "migrate",
                    "--database-url",
                    &owner_url,
                    "--runtime-role",
                    &runtime,
                ])
                .env_remove("DATABASE_URL")
                .output()
                .expect("akta migrate");
            assert!(
                migrate.status.success(),
                "akta migrate: {}",
                String::from_utf8_lossy(&migrate.stderr)
            );
            let db = app::server::db::connect(&runtime_url)
                .await
                .expect("runtime connects");
            make_user(&db, "anna", "staff", "ett långt lösenord").await;
            let akta = Akta::start(&runtime_url, &[]).await;
            let (status, body) = akta.login(&client(), "anna", "ett långt lösenord").await;
            assert!(status < 400, "login as the runtime role: {body}");
            let (status, _) = akta.login(&client(), "anna", "fel lösenord").await;
            assert_eq!(status, 401);
            for sql in [
                "INSERT INTO deletion_permits (client_id, created_at) VALUES (1, NOW())",
                "DELETE FROM access_log",
                "UPDATE access_log SET action = 'x'",
                "TRUNCATE access_log",
                "TRUNCATE journal_entry_goals",
                "ALTER TABLE access_log DISABLE TRIGGER ALL",
                "SET session_replication_role = replica",
                "DROP TABLE sessions",
            ] {
                assert!(
                    db.execute_raw(Statement::from_string(DbBackend::Postgres, sql.to_owned()))
                        .await
                        .is_err(),
                    "the runtime role may: {sql}"
                );
            }
            assert!(
                count(
                    &db,
                    "SELECT COUNT(*) FROM access_log WHERE action = 'login'"
                )
                .await
                    >= 1
            );
            drop(akta);
            db.close().await.ok();
        }
    })
    .await;
    let _ = run(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
    let _ = run(format!("DROP ROLE IF EXISTS {runtime}")).await;
    let _ = run(format!("DROP ROLE IF EXISTS {owner}")).await;
    admin.close().await.ok();
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}
