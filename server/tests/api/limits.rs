//! What a slow or greedy client meets (issue 14): timeouts and body limits against a
//! real server with short configured limits.

use crate::common::{Backend, TestDb, TestServer};
use akta_server::config::Limits;
use app::error::AppError;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Long enough never to be reached by a server that cuts off as configured.
const GUARD: Duration = Duration::from_secs(30);

fn limits(header: u64, body: u64, request: u64) -> Limits {
    Limits {
        header_timeout: Duration::from_secs(header),
        body_timeout: Duration::from_secs(body),
        request_timeout: Duration::from_secs(request),
        ..Limits::default()
    }
}

/// Sends `head` and the start of a body that never finishes, then reads whatever
/// the server answers before it closes the connection.
async fn send_and_stall(server: &TestServer, head: &str, body_start: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(server.addr)
        .await
        .expect("connect");
    stream.write_all(head.as_bytes()).await.expect("head");
    stream.write_all(body_start.as_bytes()).await.expect("body");
    let mut answer = Vec::new();
    tokio::time::timeout(GUARD, stream.read_to_end(&mut answer))
        .await
        .expect("the server never cut the request off")
        .expect("read");
    String::from_utf8_lossy(&answer).into_owned()
}

fn login_head(server: &TestServer, length: usize) -> String {
    format!(
        "POST /api/login HTTP/1.1\r\nHost: {}\r\nAccept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n",
        server.addr
    )
}

/// Status and body of a raw HTTP/1.1 answer.
fn status_and_body(answer: &str) -> (u16, &str) {
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {answer:?}"));
    (status, answer.split("\r\n\r\n").nth(1).unwrap_or_default())
}

fn error_of(body: &str) -> AppError {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not an AppError ({e}): {body}"))
}

#[tokio::test]
async fn a_stalled_body_is_cut_off_with_408() {
    let db = TestDb::new(Backend::Sqlite).await.expect("sqlite");
    // Only the body timeout is short: it is the one that must fire.
    let server = TestServer::start_with(&db.db, limits(600, 1, 600), None).await;
    let answer = send_and_stall(&server, &login_head(&server, 100), "username=a").await;
    let (status, body) = status_and_body(&answer);
    assert_eq!(
        (status, error_of(body)),
        (408, AppError::TimedOut),
        "{answer}"
    );
}

#[tokio::test]
async fn a_request_slower_than_the_request_timeout_gets_408() {
    let db = TestDb::new(Backend::Sqlite).await.expect("sqlite");
    // The body timeout is long: the request timeout must cut it off.
    let server = TestServer::start_with(&db.db, limits(600, 600, 1), None).await;
    let answer = send_and_stall(&server, &login_head(&server, 100), "username=a").await;
    let (status, body) = status_and_body(&answer);
    assert_eq!(
        (status, error_of(body)),
        (408, AppError::TimedOut),
        "{answer}"
    );
}

#[tokio::test]
async fn headers_that_never_finish_lose_the_connection() {
    let db = TestDb::new(Backend::Sqlite).await.expect("sqlite");
    let server = TestServer::start_with(&db.db, limits(1, 600, 600), None).await;
    let head = format!("GET /healthz HTTP/1.1\r\nHost: {}\r\n", server.addr);
    let answer = send_and_stall(&server, &head, "X-Slow: 1\r\n").await;
    assert!(!answer.contains("200 OK"), "{answer}");
    // A client that sends its request in time is served.
    let response = reqwest::get(server.url("/healthz")).await.expect("healthz");
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn a_body_over_the_limit_gets_413_before_it_is_read() {
    let db = TestDb::new(Backend::Sqlite).await.expect("sqlite");
    let server = TestServer::start(&db.db).await;
    let head = login_head(&server, akta_server::statuses::BODY_LIMIT + 1);
    // No body at all: a refused write could turn into a broken pipe.
    let answer = send_and_stall(&server, &head, "").await;
    let (status, body) = status_and_body(&answer);
    assert_eq!(
        (status, error_of(body)),
        (413, AppError::TooLarge),
        "{answer}"
    );
}
