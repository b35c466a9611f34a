//! The axum router: the Leptos app with its server functions, sessions in the
//! database, security headers, the login rate limit, `/healthz`, and the rule
//! that pages need a session.

use crate::config::Config;
use app::error::AppError;
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
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use tower_governor::GovernorLayer;
use tower_governor::governor::GovernorConfigBuilder;
use tower_http::set_header::SetResponseHeaderLayer;
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

pub fn build_router(db: DatabaseConnection, config: &Config, options: LeptosOptions) -> Router {
    let state = AppState::new(db.clone());
    let context = move || provide_context(state.clone());
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

    // Password guessing: a small burst per address, then one attempt every 3 s.
    // Kept per instance (in memory); sessions and all other state are in the database.
    let limit = GovernorConfigBuilder::default()
        .per_second(3)
        .burst_size(config.login_burst)
        .finish()
        .map(Arc::new);
    let login = match limit {
        Some(conf) => Router::new()
            .route_service("/api/login", leptos_app.clone().into_service::<Body>())
            .route_layer(
                GovernorLayer::new(conf)
                    .error_handler(|_| crate::statuses::error_response(&AppError::RateLimited)),
            ),
        None => Router::new(),
    };

    let sessions = SessionManagerLayer::new(DbSessionStore::new(db.clone()))
        .with_name("akta_session")
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_secure(config.secure_cookies)
        .with_expiry(Expiry::OnInactivity(time::Duration::minutes(
            config.idle_timeout_minutes,
        )));

    let router = login
        .merge(
            Router::new()
                .route("/healthz", get(healthz))
                .with_state((db, Arc::default())),
        )
        .fallback_service(leptos_app)
        .layer(middleware::from_fn(crate::statuses::server_fn_statuses))
        .layer(middleware::from_fn(require_session_for_pages))
        .layer(middleware::from_fn(same_origin_posts))
        .layer(sessions);
    with_security_headers(router)
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

/// A POST whose Origin names another site is refused (defence in depth on top of
/// the SameSite=Strict session cookie).
async fn same_origin_posts(request: Request, next: Next) -> Response {
    if request.method() == Method::POST {
        let origin = request
            .headers()
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok());
        let host = request
            .headers()
            .get(header::HOST)
            .and_then(|v| v.to_str().ok());
        if let (Some(origin), Some(host)) = (origin, host) {
            let origin_host = origin.split("://").nth(1).unwrap_or(origin);
            if origin_host != host {
                return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
            }
        }
    }
    next.run(request).await
}

/// Headers on every response: no sniffing, no framing, no referrer, no caching of
/// client data (a shared computer's back button), and a strict content policy.
fn with_security_headers(router: Router) -> Router {
    let set = |name, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    router
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(set(header::X_FRAME_OPTIONS, "DENY"))
        .layer(set(header::REFERRER_POLICY, "same-origin"))
        .layer(set(header::CACHE_CONTROL, "no-store"))
        .layer(set(
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; \
             style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws://127.0.0.1:*; \
             frame-ancestors 'none'; form-action 'self'; base-uri 'self'",
        ))
}

/// Serves on a bound listener until Ctrl-C or SIGTERM.
pub async fn serve(
    router: Router,
    listener: tokio::net::TcpListener,
) -> Result<(), std::io::Error> {
    if let Ok(addr) = listener.local_addr() {
        tracing::info!("Akta listens on http://{addr}");
    }
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
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
