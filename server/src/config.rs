//! Configuration from the environment, with defaults that run Akta on a laptop.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite://…` (default `data/akta.db`) or `postgres://…`.
    pub database_url: String,
    pub site_addr: SocketAddr,
    /// The address users open (`AKTA_PUBLIC_URL`): what `Origin` must say.
    pub public_url: PublicUrl,
    /// Minutes without activity before a session ends.
    pub idle_timeout_minutes: i64,
    /// Hours after login when a session ends, however active.
    pub session_lifetime_hours: i64,
    /// Login attempts an address may make in a burst before it has to wait
    /// (one more every 3 seconds).
    pub login_burst: u32,
    /// The reverse proxies whose `X-Forwarded-For` is believed (`AKTA_TRUSTED_PROXIES`).
    pub trusted_proxies: app::server::client_addr::TrustedProxies,
    /// How long and how many clients the server waits for.
    pub limits: Limits,
}

/// What a slow or greedy client may take from the server (pen test, issue 14: a
/// thousand anonymous connections sending their bodies slowly held 2 GiB).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Time to send a request's headers; also how long an idle keep-alive
    /// connection stays open.
    pub header_timeout: Duration,
    /// The longest pause while a request body arrives.
    pub body_timeout: Duration,
    /// Time for a whole request, body and answer included (408 after it).
    pub request_timeout: Duration,
    /// Connections served at once; more wait in the listening socket's queue
    /// until one closes.
    pub max_connections: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            max_connections: 512,
        }
    }
}

impl Limits {
    fn from_env() -> Result<Self, ConfigError> {
        let defaults = Self::default();
        let seconds = |name: &'static str, default: Duration| match std::env::var(name) {
            Ok(v) => v
                .parse()
                .ok()
                .filter(|s| (1..=600).contains(s))
                .map(Duration::from_secs)
                .ok_or(ConfigError::Seconds(name, v)),
            Err(_) => Ok(default),
        };
        let max_connections = match std::env::var("AKTA_MAX_CONNECTIONS") {
            Ok(v) => v
                .parse()
                .ok()
                .filter(|n| (1..=100_000).contains(n))
                .ok_or(ConfigError::Connections(v))?,
            Err(_) => defaults.max_connections,
        };
        Ok(Self {
            header_timeout: seconds("AKTA_HEADER_TIMEOUT_SECONDS", defaults.header_timeout)?,
            body_timeout: seconds("AKTA_BODY_TIMEOUT_SECONDS", defaults.body_timeout)?,
            request_timeout: seconds("AKTA_REQUEST_TIMEOUT_SECONDS", defaults.request_timeout)?,
            max_connections,
        })
    }
}

/// The scheme and host (with port) users open Akta at, as a browser names it in
/// `Origin`: `https://akta.kommun.se`, or `http://127.0.0.1:3000` on a laptop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl {
    origin: String,
    https: bool,
    loopback: bool,
}

impl PublicUrl {
    /// `http(s)://host[:port]`, nothing after it but an optional `/`. Default ports
    /// are dropped, as browsers drop them from `Origin`.
    pub fn parse(text: &str) -> Result<Self, ConfigError> {
        let bad = || ConfigError::PublicUrl(text.to_owned());
        let lower = text.trim().to_ascii_lowercase();
        let lower = lower.strip_suffix('/').unwrap_or(&lower);
        let (scheme, authority) = lower.split_once("://").ok_or_else(bad)?;
        let https = match scheme {
            "https" => true,
            "http" => false,
            _ => return Err(bad()),
        };
        if authority.is_empty()
            || authority
                .chars()
                .any(|c| matches!(c, '/' | '?' | '#' | '@' | '\\') || c.is_whitespace())
        {
            return Err(bad());
        }
        // host, [v6] or host:port, [v6]:port
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) if !port.contains(']') => (host, Some(port)),
            _ => (authority, None),
        };
        if host.is_empty() {
            return Err(bad());
        }
        let port = match port {
            Some(p) => Some(p.parse::<u16>().map_err(|_| bad())?),
            None => None,
        };
        let default_port = if https { 443 } else { 80 };
        let origin = match port {
            Some(p) if p != default_port => format!("{scheme}://{host}:{p}"),
            _ => format!("{scheme}://{host}"),
        };
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        let loopback = bare == "localhost"
            || bare
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        Ok(Self {
            origin,
            https,
            loopback,
        })
    }

    /// Plain http at the address Akta listens on (a laptop, a test).
    pub fn of_addr(addr: SocketAddr) -> Self {
        Self {
            origin: format!("http://{addr}"),
            https: false,
            loopback: addr.ip().is_loopback(),
        }
    }

    /// What a browser's `Origin` header says for a page of Akta.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Every `Origin` a browser may send for a page of Akta: the public URL's, and for
    /// plain http on loopback also the other names of this machine with the same port
    /// (`localhost`, `127.0.0.1`, `[::1]`: someone who types `localhost:3000` reaches the
    /// same server, and no other site can be served from that port).
    pub fn origins(&self) -> Vec<String> {
        let mut all = vec![self.origin.clone()];
        if self.is_local() {
            let port = self
                .origin
                .rsplit_once(':')
                .and_then(|(_, p)| p.parse::<u16>().ok())
                .unwrap_or(80);
            let port = if port == 80 {
                String::new()
            } else {
                format!(":{port}")
            };
            for host in ["localhost", "127.0.0.1", "[::1]"] {
                let alias = format!("http://{host}{port}");
                if !all.contains(&alias) {
                    all.push(alias);
                }
            }
        }
        all
    }

    pub fn is_https(&self) -> bool {
        self.https
    }

    /// Plain http on the loopback interface: the only case without `Secure` cookies.
    pub fn is_local(&self) -> bool {
        !self.https && self.loopback
    }
}

pub const DEFAULT_SQLITE_FILE: &str = "data/akta.db";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("LEPTOS_SITE_ADDR is not an address such as 127.0.0.1:3000: {0}")]
    Addr(String),
    #[error("AKTA_PUBLIC_URL must be a scheme and host such as https://akta.kommun.se, not {0}")]
    PublicUrl(String),
    #[error(
        "Akta listens on {0}, which is not loopback: set AKTA_PUBLIC_URL to the https address users open"
    )]
    PublicUrlMissing(SocketAddr),
    #[error(
        "AKTA_PUBLIC_URL {0} is plain http off loopback, where browsers refuse Secure cookies: use https"
    )]
    PlainHttp(String),
    #[error("AKTA_SECURE_COOKIES is gone: set AKTA_PUBLIC_URL (https://… gives Secure cookies)")]
    SecureCookiesGone,
    #[error("AKTA_IDLE_TIMEOUT_MINUTES must be a number of minutes between 5 and 720, not {0}")]
    Idle(String),
    #[error("AKTA_SESSION_LIFETIME_HOURS must be a number of hours between 1 and 24, not {0}")]
    Lifetime(String),
    #[error(
        "AKTA_TRUSTED_PROXIES must list addresses or networks such as 10.0.0.5, 10.1.0.0/16; {0} is neither"
    )]
    TrustedProxies(String),
    #[error("AKTA_LOGIN_BURST must be a number between 1 and 10000, not {0}")]
    Burst(String),
    #[error("{0} must be a number of seconds between 1 and 600, not {1}")]
    Seconds(&'static str, String),
    #[error("AKTA_MAX_CONNECTIONS must be a number between 1 and 100000, not {0}")]
    Connections(String),
    #[error("cannot create the data directory {0}: {1}")]
    DataDir(PathBuf, std::io::Error),
    #[error("DATABASE_URL must start with sqlite: or postgres:, not {0}")]
    Url(String),
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        let site_addr_raw =
            std::env::var("LEPTOS_SITE_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".to_owned());
        let site_addr: SocketAddr = site_addr_raw
            .parse()
            .map_err(|_| ConfigError::Addr(site_addr_raw.clone()))?;
        let public_url = match std::env::var("AKTA_PUBLIC_URL") {
            Ok(v) => PublicUrl::parse(&v)?,
            Err(_) if std::env::var("AKTA_SECURE_COOKIES").is_ok() => {
                return Err(ConfigError::SecureCookiesGone);
            }
            Err(_) if site_addr.ip().is_loopback() => PublicUrl::of_addr(site_addr),
            Err(_) => return Err(ConfigError::PublicUrlMissing(site_addr)),
        };
        if !public_url.is_https() && !public_url.loopback {
            return Err(ConfigError::PlainHttp(public_url.origin));
        }
        let idle_timeout_minutes = match std::env::var("AKTA_IDLE_TIMEOUT_MINUTES") {
            Ok(v) => v
                .parse()
                .ok()
                .filter(|m| (5..=720).contains(m))
                .ok_or(ConfigError::Idle(v))?,
            Err(_) => 30,
        };
        let session_lifetime_hours = match std::env::var("AKTA_SESSION_LIFETIME_HOURS") {
            Ok(v) => v
                .parse()
                .ok()
                .filter(|h| (1..=24).contains(h))
                .ok_or(ConfigError::Lifetime(v))?,
            Err(_) => 12,
        };
        let login_burst = match std::env::var("AKTA_LOGIN_BURST") {
            Ok(v) => v
                .parse()
                .ok()
                .filter(|n| (1..=10_000).contains(n))
                .ok_or(ConfigError::Burst(v))?,
            Err(_) => 10,
        };
        let trusted_proxies = app::server::client_addr::TrustedProxies::parse(
            &std::env::var("AKTA_TRUSTED_PROXIES").unwrap_or_default(),
        )
        .map_err(ConfigError::TrustedProxies)?;
        Ok(Self {
            database_url: database_url()?,
            site_addr,
            public_url,
            idle_timeout_minutes,
            session_lifetime_hours,
            login_burst,
            trusted_proxies,
            limits: Limits::from_env()?,
        })
    }
}

/// `DATABASE_URL`, or the default SQLite file (its directory is created).
pub fn database_url() -> Result<String, ConfigError> {
    let url = match std::env::var("DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => url,
        _ => {
            let path = PathBuf::from(DEFAULT_SQLITE_FILE);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| ConfigError::DataDir(dir.to_path_buf(), e))?;
            }
            format!("sqlite://{}?mode=rwc", path.display())
        }
    };
    if url.starts_with("sqlite:") {
        if let Some(dir) = sqlite_dir(&url) {
            std::fs::create_dir_all(&dir).map_err(|e| ConfigError::DataDir(dir.clone(), e))?;
            let probe = dir.join(".akta-write-test");
            std::fs::write(&probe, b"").map_err(|e| ConfigError::DataDir(dir.clone(), e))?;
            let _ = std::fs::remove_file(probe);
        }
        Ok(url)
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(url)
    } else {
        Err(ConfigError::Url(redact(&url)))
    }
}

/// The directory of a SQLite file URL, if it names a file.
fn sqlite_dir(url: &str) -> Option<PathBuf> {
    let path = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let path = path.split('?').next()?;
    if path.is_empty() || path == ":memory:" {
        return None;
    }
    let parent = PathBuf::from(path).parent()?.to_path_buf();
    Some(if parent.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        parent
    })
}

/// A URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme), Some(at)) if at > scheme => format!("{}://…{}", &url[..scheme], &url[at..]),
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted_from_urls() {
        assert_eq!(
            redact("postgres://akta:hemligt@db/akta"),
            "postgres://…@db/akta"
        );
        assert_eq!(redact("sqlite://data/akta.db"), "sqlite://data/akta.db");
    }

    #[test]
    fn public_urls_are_origins() {
        let url = PublicUrl::parse("HTTPS://Akta.Kommun.se:443/").unwrap();
        assert_eq!(url.origin(), "https://akta.kommun.se");
        assert!(url.is_https() && !url.is_local());
        let url = PublicUrl::parse("https://akta.kommun.se:8443").unwrap();
        assert_eq!(url.origin(), "https://akta.kommun.se:8443");
        let url = PublicUrl::parse("http://127.0.0.1:3000").unwrap();
        assert_eq!(url.origin(), "http://127.0.0.1:3000");
        assert!(url.is_local());
        assert!(
            PublicUrl::parse("http://localhost:3000")
                .unwrap()
                .is_local()
        );
        assert!(PublicUrl::parse("http://[::1]:3000").unwrap().is_local());
        // On loopback the machine's other names with the same port are the same server.
        assert_eq!(
            url.origins(),
            [
                "http://127.0.0.1:3000",
                "http://localhost:3000",
                "http://[::1]:3000"
            ]
        );
        assert_eq!(
            PublicUrl::parse("https://akta.kommun.se")
                .unwrap()
                .origins(),
            ["https://akta.kommun.se"]
        );
        assert!(
            !PublicUrl::parse("http://akta.kommun.se")
                .unwrap()
                .is_local()
        );
        assert_eq!(
            PublicUrl::of_addr("127.0.0.1:3100".parse().unwrap()),
            PublicUrl::parse("http://127.0.0.1:3100").unwrap()
        );
        for bad in [
            "akta.kommun.se",
            "evil://127.0.0.1:3102",
            "https://akta.kommun.se/akta",
            "https://user@akta.kommun.se",
            "https://",
            "https://akta.kommun.se:99999",
        ] {
            assert!(PublicUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sqlite_dir_is_the_parent_of_the_file() {
        assert_eq!(
            sqlite_dir("sqlite://data/akta.db?mode=rwc"),
            Some(PathBuf::from("data"))
        );
        assert_eq!(sqlite_dir("sqlite:akta.db"), Some(PathBuf::from(".")));
        assert_eq!(sqlite_dir("sqlite::memory:"), None);
    }
}
