//! Test support: a real database per test (a SQLite file, or a PostgreSQL
//! database of its own when `AKTA_TEST_POSTGRES` answers), migrated with the real
//! migrations, and the real server on a random port.

use akta_server::config::{Config, Limits, PublicUrl};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};
use std::net::SocketAddr;

pub const PG_DEFAULT: &str = "postgres://postgres@127.0.0.1:5432/test";

pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database that exists for one test and is removed afterwards.
pub struct TestDb {
    pub db: DatabaseConnection,
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    /// Held only to remove the directory when the test database is dropped.
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres {
        admin_url: String,
        name: String,
    },
}

impl TestDb {
    /// A fresh, migrated database; `None` when PostgreSQL is asked for but does not answer.
    pub async fn new(backend: Backend) -> Option<TestDb> {
        let db = Self::unmigrated(backend).await?;
        akta_server::cli::migrate(&db.db)
            .await
            .expect("migrations apply");
        Some(db)
    }

    /// A fresh database without any table (what a restore fills).
    pub async fn unmigrated(backend: Backend) -> Option<TestDb> {
        let (url, cleanup) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}?mode=rwc", dir.path().join("akta.db").display());
                (url, Cleanup::Sqlite(dir))
            }
            Backend::Postgres => {
                let admin_url =
                    std::env::var("AKTA_TEST_POSTGRES").unwrap_or_else(|_| PG_DEFAULT.to_owned());
                let admin = match Database::connect(&admin_url).await {
                    Ok(db) => db,
                    Err(e) => {
                        if std::env::var("AKTA_REQUIRE_POSTGRES").is_ok() {
                            panic!(
                                "AKTA_REQUIRE_POSTGRES is set but PostgreSQL does not answer: {e}"
                            );
                        }
                        eprintln!(
                            "PostgreSQL at {admin_url} does not answer ({e}); skipping its half of the test"
                        );
                        return None;
                    }
                };
                let name = format!("akta_test_{}", random_suffix());
                admin
                    .execute_raw(Statement::from_string(
                        DbBackend::Postgres,
                        format!("CREATE DATABASE {name}"),
                    ))
                    .await
                    .expect("create test database");
                admin.close().await.ok();
                let base = admin_url
                    .rsplit_once('/')
                    .map(|(b, _)| b.to_owned())
                    .expect("database url");
                (
                    format!("{base}/{name}"),
                    Cleanup::Postgres { admin_url, name },
                )
            }
        };
        let db = app::server::db::connect(&url)
            .await
            .expect("connect to test database");
        Some(TestDb { db, url, cleanup })
    }

    pub fn backend(&self) -> DbBackend {
        self.db.get_database_backend()
    }

    /// Drops a PostgreSQL test database (a SQLite directory goes with the value).
    pub async fn cleanup(self) {
        self.db.close().await.ok();
        if let Cleanup::Postgres { admin_url, name } = self.cleanup
            && let Ok(admin) = Database::connect(&admin_url).await
        {
            let _ = admin
                .execute_raw(Statement::from_string(
                    DbBackend::Postgres,
                    format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                ))
                .await;
            admin.close().await.ok();
        }
    }
}

fn random_suffix() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    (0..10)
        .map(|_| (b'a' + rng.random_range(0..26u8)) as char)
        .collect()
}

/// Runs one scenario on SQLite and, when it answers, on PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident => $scenario:ident;)+) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let db = $crate::common::TestDb::new($crate::common::Backend::Sqlite).await.expect("sqlite");
                    super::$scenario(&db).await;
                    db.cleanup().await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(db) = $crate::common::TestDb::new($crate::common::Backend::Postgres).await {
                        super::$scenario(&db).await;
                        db.cleanup().await;
                    }
                }
            }
        )+
    };
}

/// The real router on a random loopback port.
pub struct TestServer {
    pub addr: SocketAddr,
    handle: tokio::task::JoinHandle<()>,
}

impl TestServer {
    pub async fn start(db: &DatabaseConnection) -> TestServer {
        Self::start_with(db, Limits::default(), None).await
    }

    /// The real server with the given limits and, when given, a site root of its own
    /// (the default is `target/site`, which the tests do not build).
    pub async fn start_with(
        db: &DatabaseConnection,
        limits: Limits,
        site_root: Option<&std::path::Path>,
    ) -> TestServer {
        Self::start_configured(db, |config, options| {
            config.limits = limits;
            if let Some(root) = site_root {
                options.site_root = root.to_string_lossy().as_ref().into();
            }
        })
        .await
    }

    /// The real server with the test defaults changed by `configure`.
    pub async fn start_configured(
        db: &DatabaseConnection,
        configure: impl FnOnce(&mut Config, &mut leptos::config::LeptosOptions),
    ) -> TestServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let mut config = Config {
            database_url: String::new(),
            site_addr: addr,
            public_url: PublicUrl::of_addr(addr),
            idle_timeout_minutes: 30,
            session_lifetime_hours: 12,
            login_burst: 10,
            trusted_proxies: Default::default(),
            limits: Limits::default(),
        };
        let mut options = leptos::config::LeptosOptions::builder()
            .output_name("akta")
            .build();
        options.site_addr = addr;
        configure(&mut config, &mut options);
        let router = akta_server::build_router(db.clone(), &config, options);
        let limits = config.limits.clone();
        let handle = tokio::spawn(async move {
            akta_server::http::serve_on(listener, router, &limits, std::future::pending())
                .await
                .expect("serve");
        });
        TestServer { addr, handle }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// A client that keeps cookies, does not follow redirects, and says what a
    /// browser says of a request from Akta's own pages (`Sec-Fetch-Site:
    /// same-origin`), which the origin check lets through.
    pub fn client() -> reqwest::Client {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            "sec-fetch-site",
            reqwest::header::HeaderValue::from_static("same-origin"),
        );
        reqwest::Client::builder()
            .cookie_store(true)
            .default_headers(headers)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.handle.abort();
    }
}

/// Creates a user directly (hashing the password like the app does).
pub async fn make_user(db: &DatabaseConnection, username: &str, role: &str, password: &str) {
    let new =
        app::server::users::NewUser::parse(username, username, role, password).expect("valid user");
    app::server::users::create(db, new)
        .await
        .expect("user created");
}

/// Calls a server function with form arguments; returns status and body.
pub async fn call(
    client: &reqwest::Client,
    server: &TestServer,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, String) {
    let response = client
        .post(server.url(path))
        .header("Accept", "application/json")
        .form(form)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

/// Logs in as a person would: the password, then — for an account with a second
/// factor — the code of the authenticator app; an account whose role needs a second
/// factor and has none enrols one first, through the enrolment page's server
/// functions (the tests' "app" keeps its secret). The status of the last step.
pub async fn login(
    client: &reqwest::Client,
    server: &TestServer,
    username: &str,
    password: &str,
) -> u16 {
    Browser::of(client, server)
        .login(username, password)
        .await
        .0
}

/// A client of one server as the login steps need it: where it posts, with which
/// `Origin` (none: the client's same-origin header suffices), and under which name the
/// tests' authenticator app keeps the secrets of that server's accounts (the server's
/// address, or the database's when one database outlives several servers).
pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
    pub origin: Option<String>,
    pub app: String,
}

impl Browser {
    pub fn of(client: &reqwest::Client, server: &TestServer) -> Browser {
        Browser {
            client: client.clone(),
            base: server.url(""),
            origin: None,
            app: server.url(""),
        }
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> (u16, String) {
        self.try_post(path, form).await.expect("request")
    }

    /// As [`Browser::post`], with the connection's failure as an error (a server that
    /// may be killed at any moment).
    pub async fn try_post(
        &self,
        path: &str,
        form: &[(&str, &str)],
    ) -> Result<(u16, String), reqwest::Error> {
        let mut request = self
            .client
            .post(format!("{}{path}", self.base))
            .header("Accept", "application/json")
            .form(form);
        if let Some(origin) = &self.origin {
            request = request.header("Origin", origin);
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        Ok((status, response.text().await?))
    }

    /// The password step, then the second step it leads to (see [`login`]).
    pub async fn login(&self, username: &str, password: &str) -> (u16, String) {
        self.try_login(username, password).await.expect("request")
    }

    pub async fn try_login(
        &self,
        username: &str,
        password: &str,
    ) -> Result<(u16, String), reqwest::Error> {
        // One login of an account at a time: two at once would both enrol.
        let turn = {
            let mut locks = LOGINS.lock().unwrap_or_else(|e| e.into_inner());
            let key = (self.app.clone(), username.to_owned());
            if let Some((_, lock)) = locks.iter().find(|(k, _)| *k == key) {
                lock.clone()
            } else {
                let lock = std::sync::Arc::new(tokio::sync::Mutex::new(()));
                locks.push((key, lock.clone()));
                lock
            }
        };
        let _turn = turn.lock().await;
        let first = self
            .try_post(
                "/api/login",
                &[("username", username), ("password", password)],
            )
            .await?;
        if first.0 != 200 {
            return Ok(first);
        }
        if first.1.contains("Code") {
            let code = next_code_of(&self.app, username).await;
            return self.try_post("/api/login/code", &[("code", &code)]).await;
        }
        let (_, me) = self.try_post("/api/current_user", &[]).await?;
        let must_enrol = serde_json::from_str::<Option<app::model::SessionUser>>(&me)
            .ok()
            .flatten()
            .is_some_and(|u| u.must_enrol && !u.must_change_password);
        if must_enrol {
            self.try_enrol(username).await?;
        }
        Ok(first)
    }

    /// Enrols a second factor for the logged-in user (the page's two steps); the codes
    /// shown once are returned.
    pub async fn enrol(&self, username: &str) -> Vec<String> {
        self.try_enrol(username).await.expect("request")
    }

    async fn try_enrol(&self, username: &str) -> Result<Vec<String>, reqwest::Error> {
        let (status, body) = self
            .try_post("/api/account/second_factor/begin", &[])
            .await?;
        assert_eq!(status, 200, "enrolment begins: {body}");
        let offer: app::model::SecondFactorOffer = serde_json::from_str(&body).expect("offer");
        let secret = offer.secret.replace(' ', "");
        {
            let mut app = APP.lock().unwrap_or_else(|e| e.into_inner());
            app.retain(|(s, u, _, _)| !(s == &self.app && u == username));
            app.push((self.app.clone(), username.to_owned(), secret, 0));
        }
        let code = next_code_of(&self.app, username).await;
        let (status, body) = self
            .try_post("/api/account/second_factor/confirm", &[("code", &code)])
            .await?;
        assert_eq!(status, 200, "enrolment confirmed: {body}");
        Ok(serde_json::from_str(&body).expect("recovery codes"))
    }

    /// The login's code step with the next unused code of the tests' app.
    pub async fn give_code(&self, username: &str) -> (u16, String) {
        let code = next_code_of(&self.app, username).await;
        self.post("/api/login/code", &[("code", &code)]).await
    }
}

/// The secrets the tests' authenticator app holds, by server and username, with the
/// last step whose code it gave (a code is accepted once).
static APP: std::sync::Mutex<Vec<(String, String, String, u64)>> =
    std::sync::Mutex::new(Vec::new());

/// Whose login is under way, by the app's name for the server and username.
type Turns = Vec<((String, String), std::sync::Arc<tokio::sync::Mutex<()>>)>;
static LOGINS: std::sync::Mutex<Turns> = std::sync::Mutex::new(Vec::new());

pub async fn enrol(client: &reqwest::Client, server: &TestServer, username: &str) -> Vec<String> {
    Browser::of(client, server).enrol(username).await
}

pub async fn give_code(
    client: &reqwest::Client,
    server: &TestServer,
    username: &str,
) -> (u16, String) {
    Browser::of(client, server).give_code(username).await
}

pub async fn next_code(server: &TestServer, username: &str) -> String {
    next_code_of(&server.url(""), username).await
}

/// A code the server accepts once: of the current step or the next (the server allows
/// one step either way), later than the last one given; waits for the next step when
/// both are used.
pub async fn next_code_of(app: &str, username: &str) -> String {
    let now = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    };
    loop {
        let step_now = now() / 30;
        let chosen = {
            let mut held = APP.lock().unwrap_or_else(|e| e.into_inner());
            let entry = held
                .iter_mut()
                .find(|(s, u, _, _)| s == app && u == username)
                .expect("the tests' app has no secret for this account");
            let step = (entry.3 + 1).max(step_now);
            (step <= step_now + 1).then(|| {
                entry.3 = step;
                (entry.2.clone(), step)
            })
        };
        if let Some((secret, step)) = chosen {
            return code_at(&secret, step * 30);
        }
        tokio::time::sleep(std::time::Duration::from_secs(30 - now() % 30 + 1)).await;
    }
}

/// The code of `secret` at Unix time `at`, as an authenticator app computes it.
pub fn code_at(secret: &str, at: u64) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret).expect("base32 secret");
    totp_rs::Builder::new()
        .with_secret(secret)
        .build()
        .expect("totp")
        .generate(at)
        .to_string()
}

/// Calls a server function that takes JSON.
pub async fn call_json(
    client: &reqwest::Client,
    server: &TestServer,
    path: &str,
    body: &serde_json::Value,
) -> (u16, String) {
    let response = client
        .post(server.url(path))
        .header("Accept", "application/json")
        .json(body)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

fn entry_today(file: &str, entry: Option<&str>, body: &str) -> serde_json::Value {
    serde_json::json!({ "file": file, "entry": entry, "event_date": app::server::today().to_string(),
            "category": "event", "body": body, "goals": [] })
}

/// Saves a draft of today in `file` and signs it; its public id when the signing was
/// acknowledged, else the status and body of the refusal.
pub async fn sign_entry(
    client: &reqwest::Client,
    server: &TestServer,
    file: &str,
    body: &str,
) -> Result<String, (u16, String)> {
    let (status, answer) = call_json(
        client,
        server,
        "/api/journal/save_draft",
        &entry_today(file, None, body),
    )
    .await;
    if status != 200 {
        return Err((status, answer));
    }
    let draft: app::model::DraftSaved = serde_json::from_str(&answer).expect("draft");
    let (status, answer) = call_json(
        client,
        server,
        "/api/journal/sign",
        &entry_today(file, Some(&draft.entry_id), body),
    )
    .await;
    if status != 200 {
        return Err((status, answer));
    }
    Ok(draft.entry_id)
}
