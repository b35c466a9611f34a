//! The axum router: the Leptos app with its server functions, sessions in the
//! database, security headers, the login rate limit, `/healthz`, the rule that
//! pages need a session, the site's files; and the HTTP/1.1 server that runs it
//! with the limits of [`Limits`].

use crate::config::{Config, Limits};
use app::error::AppError;
use app::server::client_addr::{self, Client, TrustedProxies};
use app::server::guard::{AppState, SESSION_USER_KEY};
use app::server::sessions::DbSessionStore;
use app::{App, shell};
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use sea_orm::DatabaseConnection;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, Session, SessionManagerLayer};

/// Paths a visitor without a session may open.
fn is_public(path: &str) -> bool {
    path == "/logga-in"
        || path == "/healthz"
        || path.starts_with("/pkg/")
        || path.starts_with("/api/")
        || path == "/favicon.svg"
        || path == "/favicon.ico"
}

pub fn build_router(db: DatabaseConnection, config: &Config, mut options: LeptosOptions) -> Router {
    use_hashed_names(&mut options);
    // Development (the live-reload socket in the CSP) only when asked for by name:
    // Leptos takes an unset LEPTOS_ENV as DEV, and a deployment that forgot to set it
    // must still get the production policy.
    let dev = matches!(options.env, leptos::config::Env::DEV)
        && std::env::var("LEPTOS_ENV")
            .is_ok_and(|v| v.eq_ignore_ascii_case("dev") || v.eq_ignore_ascii_case("development"));
    let pkg = pkg_files(&options);
    let state = AppState::new(db.clone());
    // The request's CSP nonce (see [`content_security_policy`]) replaces the one
    // Leptos made, so its scripts carry the nonce the header allows.
    let context = move || {
        provide_context(state.clone());
        provide_context(app::server::guard::RefusalsThisRequest::default());
        let nonce = leptos::prelude::use_context::<axum::http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<leptos::nonce::Nonce>().cloned());
        if let Some(nonce) = nonce {
            provide_context(nonce);
        }
    };
    let routes = generate_route_list(App);

    let leptos_app: Router = Router::new()
        .leptos_routes_with_context(&options, routes, context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context(
            context, shell,
        ))
        .with_state(options);

    // Password guessing: a small burst per address, then one attempt every 3 s (per
    // instance, in memory; the per-account throttle is in the database).
    let login_limit = Arc::new(LoginLimit::new(config.login_burst));

    // The store ends sessions (idle and absolute); the cookie ends with the browser,
    // so closing it on a shared computer ends the session there.
    let store = DbSessionStore::new(db.clone()).with_timeouts(
        time::Duration::minutes(config.idle_timeout_minutes),
        time::Duration::hours(config.session_lifetime_hours),
    );
    // Off plain-http loopback the cookie is `Secure` and named `__Host-…`, which a
    // browser takes only over https, for this host alone, on every path.
    let secure = !config.public_url.is_local();
    let sessions = SessionManagerLayer::new(store)
        .with_name(if secure {
            "__Host-akta_session"
        } else {
            "akta_session"
        })
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_secure(secure)
        .with_expiry(Expiry::OnSessionEnd);

    let limits = &config.limits;
    let router = Router::new()
        .merge(
            Router::new()
                .route("/healthz", get(healthz))
                .with_state((db.clone(), Arc::default())),
        )
        .merge(pkg)
        .fallback_service(leptos_app)
        .layer(middleware::from_fn(crate::statuses::server_fn_statuses))
        .layer(middleware::from_fn_with_state(login_limit, limit_logins))
        // Outside the limits, so it sees the logins they refuse (per address, here,
        // and per account, in the database).
        .layer(middleware::from_fn_with_state(
            db.clone(),
            log_throttled_logins,
        ))
        .layer(middleware::from_fn(require_session_for_pages))
        .layer(middleware::from_fn_with_state(
            Arc::<[String]>::from(config.public_url.origins()),
            same_origin_posts,
        ))
        .layer(sessions)
        .layer(middleware::from_fn_with_state(
            Arc::new(config.trusted_proxies.clone()),
            find_client,
        ))
        // A pause longer than this while a body arrives ends the request (408).
        .layer(RequestBodyTimeoutLayer::new(limits.body_timeout))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.request_timeout,
        ))
        .layer(middleware::from_fn(crate::statuses::timed_out_as_error))
        // Pages and server functions are compressed for browsers that take it.
        // Safe from BREACH-style guessing: no page carries a secret token, and the
        // SameSite=Strict cookie keeps another site from having a logged-in
        // browser fetch pages with text of its choosing.
        .layer(CompressionLayer::new());
    with_security_headers(router, config.public_url.is_https(), dev)
}

/// Works out who sent the request (`app::server::client_addr`, the one place that
/// decides it) and leaves it in the request's extensions for the login limit, the
/// server functions and the access log.
async fn find_client(
    State(trusted): State<Arc<TrustedProxies>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    if let Some(peer) = peer {
        let forwarded = request
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>();
        let client = client_addr::client_address(peer, forwarded, &trusted);
        request.extensions_mut().insert(client);
    }
    next.run(request).await
}

/// The per-address limit of `/api/login`.
struct LoginLimit {
    limiter: governor::DefaultKeyedRateLimiter<std::net::IpAddr>,
}

impl LoginLimit {
    fn new(burst: u32) -> LoginLimit {
        let burst = std::num::NonZeroU32::new(burst).unwrap_or(std::num::NonZeroU32::MIN);
        let quota = governor::Quota::with_period(std::time::Duration::from_secs(3))
            .unwrap_or_else(|| governor::Quota::per_second(std::num::NonZeroU32::MIN))
            .allow_burst(burst);
        LoginLimit {
            limiter: governor::RateLimiter::keyed(quota),
        }
    }
}

/// Counts login attempts per real client: the peer itself, or the client a trusted
/// proxy names. A trusted proxy that names none is not counted as one client (that
/// would lock out everyone behind it); the per-account throttle still holds.
async fn limit_logins(
    State(limit): State<Arc<LoginLimit>>,
    request: Request,
    next: Next,
) -> Response {
    if request.uri().path() == "/api/login" {
        let real = request.extensions().get::<Client>().and_then(Client::real);
        if let Some(ip) = real {
            if limit.limiter.len() > 100_000 {
                limit.limiter.retain_recent();
            }
            if limit.limiter.check_key(&ip).is_err() {
                return crate::statuses::error_response(&AppError::RateLimited);
            }
        }
    }
    next.run(request).await
}

/// Writes an access-log line for a login a limit refused (429: too many from this
/// address, or the account waits, at the password or at the code): the address and
/// session it came with; the password or code was never looked at.
async fn log_throttled_logins(
    State(db): State<DatabaseConnection>,
    request: Request,
    next: Next,
) -> Response {
    if !matches!(request.uri().path(), "/api/login" | "/api/login/code") {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let origin = app::server::access_log::Origin::of(&parts);
    let response = next.run(Request::from_parts(parts, body)).await;
    if response.status() == StatusCode::TOO_MANY_REQUESTS
        && let Err(e) = app::server::guard::log_throttled_login(&db, &origin).await
    {
        tracing::error!(error = ?e, "could not log a throttled login");
    }
    response
}

/// The file of content hashes that `./akta.sh build` writes into the site root.
pub const HASH_FILE: &str = "hash.txt";

/// Uses the content-hashed names of the wasm, JavaScript and CSS
/// (`akta.<hash>.wasm`) when the site root has [`HASH_FILE`]; the plain names otherwise
/// (a site built by other means).
fn use_hashed_names(options: &mut LeptosOptions) {
    let file = Path::new(options.site_root.as_ref()).join(HASH_FILE);
    // Leptos looks for the file beside the executable; an absolute path replaces that.
    match std::path::absolute(&file) {
        Ok(file) if file.is_file() => {
            options.hash_files = true;
            options.hash_file = file.to_string_lossy().as_ref().into();
        }
        _ => options.hash_files = false,
    }
}

/// `/pkg`: the wasm, its JavaScript and the CSS, as brotli or gzip when the browser
/// takes it and `./akta.sh build` wrote the `.br`/`.gz` beside them. A hashed name
/// never changes its content, so the browser keeps it for a year; without hashes it
/// asks every time.
fn pkg_files(options: &LeptosOptions) -> Router {
    let dir = Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let cache = if options.hash_files {
        HeaderValue::from_static("public, max-age=31536000, immutable")
    } else {
        HeaderValue::from_static("no-cache")
    };
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip();
    Router::new()
        .nest_service(&format!("/{}", options.site_pkg_dir), files)
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            move |response: &Response| response.status().is_success().then(|| cache.clone()),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::VARY,
            HeaderValue::from_static("accept-encoding"),
        ))
}

/// `GET /healthz`: 200 with the backend name; 503 within 2 s when the database does
/// not answer, does not grant the write lock, or writes have been failing.
async fn healthz(State((db, probing)): State<(DatabaseConnection, Arc<AtomicBool>)>) -> Response {
    let backend = app::server::db::backend_name(&db);
    let limit = std::time::Duration::from_millis(1500);
    match app::server::db::health(&db, limit, &probing).await {
        Ok(()) => {
            axum::Json(serde_json::json!({ "status": "ok", "database": backend })).into_response()
        }
        Err(why) => {
            tracing::error!(%why, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(serde_json::json!({ "status": "unavailable", "database": backend })),
            )
                .into_response()
        }
    }
}

/// The page shown instead of any other when the session cannot be read because the
/// database does not answer: an outage, not a logout.
fn unavailable_page() -> Response {
    let html = "<!DOCTYPE html><html lang=\"sv\"><head><meta charset=\"utf-8\">\
        <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
        <title>Akta är inte tillgänglig</title></head>\
        <body><main class=\"outage\"><h1>Akta når inte sin databas just nu</h1>\
        <p>Ingenting har sparats eller ändrats av det du just gjorde. Vänta en stund och \
        ladda om sidan. Om det inte går över: kontakta den som har hand om Akta.</p>\
        <p lang=\"en\">Akta cannot reach its database right now. Nothing was changed; try \
        again in a moment.</p></main></body></html>";
    let mut response =
        (StatusCode::SERVICE_UNAVAILABLE, axum::response::Html(html)).into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
    response
}

/// Page requests without a logged-in session go to the login page. (Server
/// functions check the session themselves, through the guard.)
async fn require_session_for_pages(session: Session, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if request.method() == Method::GET && !is_public(path) {
        match session.get::<i32>(SESSION_USER_KEY).await {
            Ok(Some(_)) => {}
            Ok(None) => return Redirect::to("/logga-in").into_response(),
            Err(e) => {
                tracing::error!(error = %e, "cannot read the session");
                return unavailable_page();
            }
        }
    }
    next.run(request).await
}

/// What a refused cross-site request is told (and the operator sees in the browser's
/// network panel).
const CROSS_SITE_REFUSED: &str = "Akta tog inte emot begäran: den kom inte från Akta \
     (Origin saknas eller är inte AKTA_PUBLIC_URL). / Refused: the request did not come \
     from Akta's own pages (Origin missing or not AKTA_PUBLIC_URL).";

/// A request that may change something (anything but GET and HEAD) must come from
/// Akta's own pages: its `Origin` is exactly the public URL's, or, without `Origin`,
/// `Sec-Fetch-Site` says `same-origin` (a header no page can forge). Defence in
/// depth on top of the SameSite=Strict session cookie.
async fn same_origin_posts(
    State(origins): State<Arc<[String]>>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let value_of = |name: &str| request.headers().get(name).and_then(|v| v.to_str().ok());
        let from = value_of(header::ORIGIN.as_str());
        let allowed = match from {
            Some(from) => origins.iter().any(|o| o == from),
            None => value_of("sec-fetch-site") == Some("same-origin"),
        };
        if !allowed {
            tracing::warn!(
                from = from.unwrap_or("(none)"),
                expected = %origins[0],
                path = request.uri().path(),
                "cross-site request refused"
            );
            return (
                StatusCode::FORBIDDEN,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                CROSS_SITE_REFUSED,
            )
                .into_response();
        }
    }
    next.run(request).await
}

/// Headers on every response: no sniffing, no framing, no referrer, no caching of
/// client data (a shared computer's back button), a strict content policy, and over
/// https the browser's promise never to try plain http (HSTS).
fn with_security_headers(router: Router, https: bool, dev: bool) -> Router {
    let set = |name, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    let router = if https {
        router.layer(set(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000"))
    } else {
        router
    };
    router
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(set(header::X_FRAME_OPTIONS, "DENY"))
        .layer(set(header::REFERRER_POLICY, "same-origin"))
        .layer(set(header::CACHE_CONTROL, "no-store"))
        .layer(middleware::from_fn_with_state(dev, content_security_policy))
}

/// The Content-Security-Policy of a response whose scripts carry `nonce` (issue 14,
/// item 8): scripts only from Akta itself or with this request's nonce (Leptos puts
/// it on its hydration and streaming scripts), never inline without it; wasm may be
/// compiled; no plugins, no `<base>`, no framing. The dev-mode reload socket only
/// when `LEPTOS_ENV` is DEV (`cargo leptos watch`).
pub fn csp(nonce: &str, dev: bool) -> String {
    let connect = if dev {
        "'self' ws://127.0.0.1:* ws://localhost:*"
    } else {
        "'self'"
    };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src {connect}; \
         object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
    )
}

/// A fresh nonce per request: left in the request for the page's scripts, named in
/// the response's policy.
async fn content_security_policy(
    State(dev): State<bool>,
    mut request: Request,
    next: Next,
) -> Response {
    let nonce = leptos::nonce::Nonce::new();
    request.extensions_mut().insert(nonce.clone());
    let mut response = next.run(request).await;
    if let Ok(value) = HeaderValue::from_str(&csp(&nonce, dev)) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}

/// Serves on a bound listener (`akta serve` binds it before it touches the
/// database) until Ctrl-C or SIGTERM.
pub async fn serve(router: Router, listener: TcpListener, limits: &Limits) -> std::io::Result<()> {
    if let Ok(addr) = listener.local_addr() {
        tracing::info!("Akta listens on http://{addr}");
    }
    serve_on(listener, router, limits, shutdown_signal()).await
}

/// How long open connections may take to finish once the server is told to stop.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(30);

/// Serves HTTP/1.1 on `listener` until `shutdown` completes, then lets open
/// connections finish their request (at most [`SHUTDOWN_GRACE`]). Headers must
/// arrive within `limits.header_timeout` (which also closes idle keep-alive
/// connections); at most `limits.max_connections` are served at once. HTTP/2 is
/// the reverse proxy's business.
pub async fn serve_on(
    listener: TcpListener,
    router: Router,
    limits: &Limits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let acceptor = Acceptor::new(listener, limits.max_connections);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let (stop, stopping) = tokio::sync::watch::channel(());
    tokio::pin!(shutdown);
    loop {
        let (stream, peer, slot) = tokio::select! {
            accepted = acceptor.accept() => accepted?,
            () = &mut shutdown => break,
        };
        let router = router.clone();
        let service =
            hyper::service::service_fn(move |mut request: Request<hyper::body::Incoming>| {
                // What `into_make_service_with_connect_info` would add: the login limit
                // counts per address.
                request
                    .extensions_mut()
                    .insert(axum::extract::ConnectInfo(peer));
                tower::Service::call(&mut router.clone(), request.map(Body::new))
            });
        let connection = http.serve_connection(TokioIo::new(stream), service);
        let mut stopping = stopping.clone();
        tokio::spawn(async move {
            let _slot = slot;
            tokio::pin!(connection);
            let result = tokio::select! {
                result = connection.as_mut() => result,
                _ = stopping.changed() => {
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            if let Err(e) = result {
                tracing::debug!(error = %e, %peer, "connection ended with an error");
            }
        });
    }
    drop(stop);
    if tokio::time::timeout(SHUTDOWN_GRACE, acceptor.all_closed())
        .await
        .is_err()
    {
        tracing::warn!("connections still open at shutdown were cut");
    }
    Ok(())
}

/// The listening socket with a slot per connection: a connection is accepted only
/// when a slot is free, and holds it until it closes.
pub struct Acceptor {
    listener: TcpListener,
    slots: Arc<Semaphore>,
    capacity: u32,
}

impl Acceptor {
    pub fn new(listener: TcpListener, max_connections: u32) -> Self {
        Self {
            listener,
            slots: Arc::new(Semaphore::new(max_connections as usize)),
            capacity: max_connections,
        }
    }

    /// The next connection, with `TCP_NODELAY` set (without it, every keep-alive
    /// answer waited ~40 ms for the client's delayed ACK: issue 19), and its slot.
    pub async fn accept(&self) -> std::io::Result<(TcpStream, SocketAddr, OwnedSemaphorePermit)> {
        let slot = self
            .slots
            .clone()
            .acquire_owned()
            .await
            .map_err(std::io::Error::other)?;
        loop {
            match self.listener.accept().await {
                Ok((stream, peer)) => {
                    if let Err(e) = stream.set_nodelay(true) {
                        tracing::debug!(error = %e, "cannot set TCP_NODELAY");
                    }
                    return Ok((stream, peer, slot));
                }
                // The client gave up before we got to it: take the next one.
                Err(e) if is_connection_error(&e) => {}
                // Out of file descriptors and the like: wait instead of spinning.
                Err(e) => {
                    tracing::error!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                }
            }
        }
    }

    /// Completes when every connection has closed.
    async fn all_closed(&self) {
        let _ = self.slots.acquire_many(self.capacity).await;
    }
}

fn is_connection_error(e: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    matches!(
        e.kind(),
        ErrorKind::ConnectionRefused | ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset
    )
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn connections_get_nodelay_and_wait_for_a_free_slot() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let acceptor = Acceptor::new(listener, 1);
        let _a = TcpStream::connect(addr).await.unwrap();
        let _b = TcpStream::connect(addr).await.unwrap();
        let (first, _, slot) = acceptor.accept().await.unwrap();
        assert!(first.nodelay().unwrap());
        // The one slot is taken: the second connection stays in the queue...
        assert!(
            tokio::time::timeout(Duration::from_millis(300), acceptor.accept())
                .await
                .is_err()
        );
        // ...until the first one closes.
        drop((first, slot));
        let (second, _, _slot) = tokio::time::timeout(Duration::from_secs(10), acceptor.accept())
            .await
            .expect("accepted once a slot was free")
            .unwrap();
        assert!(second.nodelay().unwrap());
    }
}
