//! What a slow or greedy client meets (issue 14), and how the site's files are
//! served (issue 19): timeouts and body limits against a real server with short
//! configured limits, cache and compression headers of `/pkg` from a site of its own.

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
        "POST /api/login HTTP/1.1\r\nHost: {0}\r\nOrigin: http://{0}\r\nAccept: application/json\r\n\
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

const HASH: &str = "0123456789abcdef";

/// A built site as `./akta.sh build` leaves it: hashed names, `.br` and `.gz` beside
/// each file (stand-ins: the server never looks inside), and `hash.txt`.
fn fake_site() -> tempfile::TempDir {
    let site = tempfile::tempdir().expect("site dir");
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).expect("pkg dir");
    for ext in ["js", "wasm", "css"] {
        let name = format!("akta.{HASH}.{ext}");
        std::fs::write(pkg.join(&name), format!("plain {ext}")).expect("file");
        std::fs::write(pkg.join(format!("{name}.br")), format!("brotli {ext}")).expect("br");
        std::fs::write(pkg.join(format!("{name}.gz")), format!("gzip {ext}")).expect("gz");
    }
    std::fs::write(
        site.path().join(akta_server::http::HASH_FILE),
        format!("js: {HASH}\nwasm: {HASH}\ncss: {HASH}\n"),
    )
    .expect("hash.txt");
    site
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

#[tokio::test]
async fn pkg_files_are_hashed_cached_for_a_year_and_sent_precompressed() {
    let db = TestDb::new(Backend::Sqlite).await.expect("sqlite");
    let site = fake_site();
    let server = TestServer::start_with(&db.db, Limits::default(), Some(site.path())).await;
    let client = TestServer::client();
    let wasm = server.url(&format!("/pkg/akta.{HASH}.wasm"));

    for (accepts, encoding, body) in [
        ("br, gzip", "br", "brotli wasm"),
        ("gzip", "gzip", "gzip wasm"),
        ("identity", "", "plain wasm"),
    ] {
        let response = client
            .get(&wasm)
            .header("Accept-Encoding", accepts)
            .send()
            .await
            .expect("wasm");
        assert_eq!(response.status(), 200, "{accepts}");
        assert_eq!(header(&response, "content-encoding"), encoding, "{accepts}");
        assert_eq!(header(&response, "vary"), "accept-encoding", "{accepts}");
        assert_eq!(
            header(&response, "cache-control"),
            "public, max-age=31536000, immutable",
            "{accepts}"
        );
        assert_eq!(response.text().await.expect("body"), body, "{accepts}");
    }

    // What does not exist is not cached.
    let missing = client
        .get(server.url("/pkg/akta.ffffffffffffffff.wasm"))
        .send()
        .await
        .expect("missing");
    assert_eq!(missing.status(), 404);
    assert_eq!(header(&missing, "cache-control"), "no-store");

    // The page names the hashed files, and is never cached.
    let page = client
        .get(server.url("/logga-in"))
        .send()
        .await
        .expect("login page");
    assert_eq!(page.status(), 200);
    assert_eq!(header(&page, "cache-control"), "no-store");
    let html = page.text().await.expect("html");
    for ext in ["js", "wasm", "css"] {
        assert!(
            html.contains(&format!("/pkg/akta.{HASH}.{ext}")),
            "{ext}: {html}"
        );
    }
}

#[tokio::test]
async fn pages_are_compressed_when_the_browser_takes_it() {
    let db = TestDb::new(Backend::Sqlite).await.expect("sqlite");
    let server = TestServer::start(&db.db).await;
    let client = TestServer::client();
    let page = client
        .get(server.url("/logga-in"))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .expect("login page");
    assert_eq!(page.status(), 200);
    assert_eq!(header(&page, "content-encoding"), "gzip");
    assert!(header(&page, "vary").contains("accept-encoding"));
    assert_eq!(header(&page, "cache-control"), "no-store");
    let bytes = page.bytes().await.expect("body");
    assert_eq!(&bytes[..2], &[0x1f, 0x8b], "not gzip");

    let plain = client
        .get(server.url("/logga-in"))
        .send()
        .await
        .expect("login page");
    assert_eq!(header(&plain, "content-encoding"), "");
    assert!(plain.text().await.expect("html").contains("<html"));
}
