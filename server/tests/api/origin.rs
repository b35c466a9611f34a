//! Behind a reverse proxy (issue 14, item 2): requests that change something come
//! from Akta's own pages or are refused, and an https public URL gives a `Secure`
//! `__Host-` cookie and HSTS.

use crate::common::{Backend, TestDb, TestServer, make_user};
use akta_server::config::PublicUrl;

const PASSWORD: &str = "ett-langt-losenord";

/// A client without the `Sec-Fetch-Site` the test helpers send.
fn bare_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

async fn login_status(server: &TestServer, headers: &[(&str, &str)]) -> (u16, String) {
    let mut request = bare_client()
        .post(server.url("/api/login"))
        .header("Accept", "application/json")
        .form(&[("username", "ingen"), ("password", "fel-losenord-123")]);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("post");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

#[tokio::test]
async fn posts_need_akta_s_own_origin() {
    let db = TestDb::new(Backend::Sqlite).await.expect("sqlite");
    let server = TestServer::start(&db.db).await;
    let own = format!("http://{}", server.addr);
    let evil_scheme = format!("evil://{}", server.addr);
    let lookalike = format!("http://{}.evil.example", server.addr);

    for refused in [
        vec![],
        vec![("Origin", evil_scheme.as_str())],
        vec![("Origin", lookalike.as_str())],
        vec![("Origin", "null")],
        vec![("Sec-Fetch-Site", "cross-site")],
        vec![("Sec-Fetch-Site", "same-site")],
        // A wrong Origin is not saved by a claim of same-origin.
        vec![
            ("Origin", "https://evil.example"),
            ("Sec-Fetch-Site", "same-origin"),
        ],
    ] {
        let (status, body) = login_status(&server, &refused).await;
        assert_eq!(status, 403, "{refused:?}: {body}");
        assert!(body.contains("AKTA_PUBLIC_URL"), "{body}");
    }
    // Another port on this machine is another site.
    let other_port = format!("http://localhost:{}", server.addr.port().wrapping_add(1));
    let (status, _) = login_status(&server, &[("Origin", other_port.as_str())]).await;
    assert_eq!(status, 403);
    // Akta's own pages get through (to a wrong password, here), also when the browser
    // was pointed at localhost instead of 127.0.0.1.
    let by_name = format!("http://localhost:{}", server.addr.port());
    for allowed in [
        vec![("Origin", own.as_str())],
        vec![("Origin", by_name.as_str())],
        vec![("Sec-Fetch-Site", "same-origin")],
    ] {
        let (status, body) = login_status(&server, &allowed).await;
        assert_eq!(status, 401, "{allowed:?}: {body}");
    }
    // Reading needs no Origin.
    let health = bare_client()
        .get(server.url("/healthz"))
        .send()
        .await
        .expect("healthz");
    assert_eq!(health.status(), 200);
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

fn session_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.contains("akta_session="))
        .expect("session cookie")
        .to_owned()
}

async fn login(server: &TestServer, origin: &str) -> reqwest::Response {
    let response = bare_client()
        .post(server.url("/api/login"))
        .header("Accept", "application/json")
        .header("Origin", origin)
        .form(&[("username", "anna"), ("password", PASSWORD)])
        .send()
        .await
        .expect("login");
    assert!(response.status().as_u16() < 400, "{}", response.status());
    response
}

#[tokio::test]
async fn an_https_public_url_gives_a_host_only_secure_cookie_and_hsts() {
    let db = TestDb::new(Backend::Sqlite).await.expect("sqlite");
    make_user(&db.db, "anna", "staff", PASSWORD).await;
    let public = PublicUrl::parse("https://akta.example").expect("url");
    let server = TestServer::start_configured(&db.db, |config, _| config.public_url = public).await;

    // Origin is compared with the public URL, not with the address listened on.
    let (status, _) =
        login_status(&server, &[("Origin", &format!("http://{}", server.addr))]).await;
    assert_eq!(status, 403);

    let response = login(&server, "https://akta.example").await;
    assert_eq!(
        header(&response, "strict-transport-security"),
        Some("max-age=31536000")
    );
    let cookie = session_cookie(&response);
    assert!(cookie.starts_with("__Host-akta_session="), "{cookie}");
    assert!(cookie.contains("Secure"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Domain"), "{cookie}");
}

#[tokio::test]
async fn plain_http_on_loopback_has_neither() {
    let db = TestDb::new(Backend::Sqlite).await.expect("sqlite");
    make_user(&db.db, "anna", "staff", PASSWORD).await;
    let server = TestServer::start(&db.db).await;
    let response = login(&server, &format!("http://{}", server.addr)).await;
    assert_eq!(header(&response, "strict-transport-security"), None);
    let cookie = session_cookie(&response);
    assert!(cookie.starts_with("akta_session="), "{cookie}");
    assert!(!cookie.contains("Secure"), "{cookie}");
}
