//! The benchmark's yardstick (issue 19): a bare axum + sqlx server that reads and
//! renders, from Akta's own database, the rows Akta's pages show for the same URLs,
//! with plain SQL and `format!`: no sessions, no access log, no hydration, no
//! framework. `bench/run.sh` times both side by side; the ratio is Akta's cost over
//! the least a page showing those rows can cost on this machine.
//!
//! The user a page is shown to is named in the query (`?as=anna`), looked up by one
//! indexed query as a session would be.
//!
//!   akta-baseline DATABASE_URL PORT

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::serve::ListenerExt;
use sqlx::postgres::{PgPool, PgPoolOptions, PgRow};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions, SqliteRow};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::str::FromStr;
use std::sync::Arc;

#[derive(Clone)]
enum Db {
    Sqlite(SqlitePool),
    Pg(PgPool),
}

enum Arg {
    Int(i32),
    Text(String),
}

impl Db {
    /// Rows of `sql` (written with `$1`, `$2`…, which both databases read) as tuples.
    async fn rows<O>(&self, sql: &str, args: &[Arg]) -> Result<Vec<O>, sqlx::Error>
    where
        O: for<'r> sqlx::FromRow<'r, SqliteRow> + for<'r> sqlx::FromRow<'r, PgRow> + Send + Unpin,
    {
        match self {
            Db::Sqlite(pool) => {
                let mut q = sqlx::query_as::<_, O>(sqlx::AssertSqlSafe(sql.to_owned()));
                for a in args {
                    q = match a {
                        Arg::Int(i) => q.bind(*i),
                        Arg::Text(s) => q.bind(s.clone()),
                    };
                }
                q.fetch_all(pool).await
            }
            Db::Pg(pool) => {
                let mut q = sqlx::query_as::<_, O>(sqlx::AssertSqlSafe(sql.to_owned()));
                for a in args {
                    q = match a {
                        Arg::Int(i) => q.bind(*i),
                        Arg::Text(s) => q.bind(s.clone()),
                    };
                }
                q.fetch_all(pool).await
            }
        }
    }

    async fn count(&self, sql: &str, args: &[Arg]) -> Result<i64, sqlx::Error> {
        let rows: Vec<(i64,)> = self.rows(sql, args).await?;
        Ok(rows.first().map_or(0, |r| r.0))
    }
}

type Shared = Arc<Db>;

struct Failure(String);

impl From<sqlx::Error> for Failure {
    fn from(e: sqlx::Error) -> Self {
        Failure(e.to_string())
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        (StatusCode::INTERNAL_SERVER_ERROR, self.0).into_response()
    }
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!DOCTYPE html><html lang=\"sv\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
         <body><main>{body}</main></body></html>",
        esc(title)
    ))
}

/// (id, role) of the user named by `?as=`.
async fn user(db: &Db, params: &HashMap<String, String>) -> Result<(i32, String), Failure> {
    let name = params.get("as").cloned().unwrap_or_default();
    let rows: Vec<(i32, String)> = db
        .rows(
            "SELECT id, role FROM users WHERE username = $1 AND active",
            &[Arg::Text(name)],
        )
        .await?;
    match rows.into_iter().next() {
        Some(u) => Ok(u),
        None => Err(Failure("no such user".into())),
    }
}

/// The files a user may see, as a condition on `f` (case_files), like Akta's need-to-know.
fn visible(role: &str) -> &'static str {
    if role == "manager" {
        "1 = 1 OR f.contact_person_id = $1"
    } else {
        "(f.contact_person_id = $1 OR f.id IN (SELECT case_file_id FROM care_team WHERE user_id = $1))"
    }
}

async fn login() -> Html<String> {
    page(
        "Logga in",
        "<h1>Logga in</h1><form method=\"post\" action=\"/api/login\">\
         <label>Användarnamn <input name=\"username\" autocomplete=\"username\"></label>\
         <label>Lösenord <input type=\"password\" name=\"password\"></label>\
         <button>Logga in</button></form>",
    )
}

/// "/": one page (25) of the open files the user may see, with their clients.
async fn home(
    State(db): State<Shared>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Html<String>, Failure> {
    let (uid, role) = user(&db, &params).await?;
    let cond = visible(&role);
    let total = db
        .count(
            &format!("SELECT COUNT(*) FROM case_files f WHERE f.closed_on IS NULL AND ({cond})"),
            &[Arg::Int(uid)],
        )
        .await?;
    let rows: Vec<(String, String, String, String)> = db
        .rows(
            &format!(
                "SELECT f.public_id, c.first_name, c.last_name, CAST(f.started_on AS TEXT) \
                 FROM case_files f JOIN clients c ON c.id = f.client_id \
                 WHERE f.closed_on IS NULL AND ({cond}) ORDER BY f.id LIMIT 25"
            ),
            &[Arg::Int(uid)],
        )
        .await?;
    let mut body = format!("<h1>Öppna akter</h1><p>{total} akter</p><table>");
    for (id, first, last, started) in rows {
        let _ = write!(
            body,
            "<tr><td><a href=\"/akter/{}\">{} {}</a></td><td>{}</td></tr>",
            esc(&id),
            esc(&first),
            esc(&last),
            esc(&started)
        );
    }
    body.push_str("</table>");
    Ok(page("Start", &body))
}

/// `/klienter?q=`: one page of the visible files whose client's name starts with the word.
async fn clients(
    State(db): State<Shared>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Html<String>, Failure> {
    let (uid, role) = user(&db, &params).await?;
    let cond = visible(&role);
    let q = params.get("q").cloned().unwrap_or_default();
    let pattern = format!("{}%", q.trim());
    let filter = "(c.last_name LIKE $2 OR c.first_name LIKE $2)";
    let args = [Arg::Int(uid), Arg::Text(pattern)];
    let total = db
        .count(
            &format!(
                "SELECT COUNT(*) FROM case_files f JOIN clients c ON c.id = f.client_id \
                 WHERE ({cond}) AND {filter}"
            ),
            &args,
        )
        .await?;
    let rows: Vec<(String, String, String, String)> = db
        .rows(
            &format!(
                "SELECT f.public_id, c.first_name, c.last_name, c.identity_number \
                 FROM case_files f JOIN clients c ON c.id = f.client_id \
                 WHERE ({cond}) AND {filter} \
                 ORDER BY c.last_name, c.first_name, f.started_on DESC, f.id LIMIT 25"
            ),
            &args,
        )
        .await?;
    let mut body = format!("<h1>Klienter</h1><p>{total} träffar</p><table>");
    for (id, first, last, number) in rows {
        let _ = write!(
            body,
            "<tr><td><a href=\"/akter/{}\">{} {}</a></td><td>{}</td></tr>",
            esc(&id),
            esc(&first),
            esc(&last),
            esc(&number)
        );
    }
    body.push_str("</table>");
    Ok(page("Klienter", &body))
}

/// `/akter/{id}`: the file, its client and assignment, its plan versions with their
/// goals, and the newest page (20) of its journal with authors.
async fn file(
    State(db): State<Shared>,
    Path(public_id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, Failure> {
    let (uid, role) = user(&db, &params).await?;
    let cond = visible(&role);
    let files: Vec<(i32, String, String, String, String)> = db
        .rows(
            &format!(
                "SELECT f.id, c.first_name, c.last_name, a.service_type, CAST(f.started_on AS TEXT) \
                 FROM case_files f JOIN clients c ON c.id = f.client_id \
                 JOIN assignments a ON a.id = f.assignment_id \
                 WHERE f.public_id = $2 AND ({cond})"
            ),
            &[Arg::Int(uid), Arg::Text(public_id)],
        )
        .await?;
    let Some((fid, first, last, service, started)) = files.into_iter().next() else {
        return Ok((StatusCode::NOT_FOUND, "not found").into_response());
    };
    let plans: Vec<(i32, i32, String)> = db
        .rows(
            "SELECT id, version_no, CAST(valid_from AS TEXT) FROM plan_versions \
             WHERE case_file_id = $1 ORDER BY version_no",
            &[Arg::Int(fid)],
        )
        .await?;
    let goals: Vec<(i32, String, String)> = db
        .rows(
            "SELECT g.plan_version_id, g.title, g.what FROM goals g \
             JOIN plan_versions p ON p.id = g.plan_version_id \
             WHERE p.case_file_id = $1 ORDER BY g.plan_version_id, g.position",
            &[Arg::Int(fid)],
        )
        .await?;
    let total = db
        .count(
            "SELECT COUNT(*) FROM journal_entries WHERE case_file_id = $1 AND status = 'signed'",
            &[Arg::Int(fid)],
        )
        .await?;
    let entries: Vec<(String, String, String, String)> = db
        .rows(
            "SELECT CAST(e.event_date AS TEXT), e.category, e.body, u.display_name \
             FROM journal_entries e JOIN users u ON u.id = e.author_id \
             WHERE e.case_file_id = $1 AND e.status = 'signed' \
             ORDER BY e.event_date DESC, e.id DESC LIMIT 20",
            &[Arg::Int(fid)],
        )
        .await?;
    let mut body = format!(
        "<h1>{} {}</h1><p>{} sedan {}</p><h2>Plan</h2>",
        esc(&first),
        esc(&last),
        esc(&service),
        esc(&started)
    );
    for (pid, no, from) in plans {
        let _ = write!(body, "<h3>Version {no} från {}</h3><ul>", esc(&from));
        for (_, title, what) in goals.iter().filter(|g| g.0 == pid) {
            let _ = write!(body, "<li>{}: {}</li>", esc(title), esc(what));
        }
        body.push_str("</ul>");
    }
    let _ = write!(body, "<h2>Journal ({total})</h2>");
    for (date, category, text, author) in entries {
        let _ = write!(
            body,
            "<article><h3>{} {}</h3><p>{}</p><p>{}</p></article>",
            esc(&date),
            esc(&category),
            esc(&text),
            esc(&author)
        );
    }
    Ok(page("Akt", &body).into_response())
}

/// `/logg`: the newest 50 lines of the access log with who and which client.
async fn log(
    State(db): State<Shared>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Html<String>, Failure> {
    let _ = user(&db, &params).await?;
    let total = db.count("SELECT COUNT(*) FROM access_log", &[]).await?;
    let rows: Vec<(String, String, Option<String>, Option<String>)> = db
        .rows(
            "SELECT CAST(l.at AS TEXT), l.action, u.display_name, c.last_name \
             FROM access_log l LEFT JOIN users u ON u.id = l.user_id \
             LEFT JOIN clients c ON c.id = l.client_id ORDER BY l.at DESC, l.id DESC LIMIT 50",
            &[],
        )
        .await?;
    let mut body = format!("<h1>Logg</h1><p>{total} rader</p><table>");
    for (at, action, who, client) in rows {
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&at),
            esc(&action),
            esc(who.as_deref().unwrap_or("")),
            esc(client.as_deref().unwrap_or(""))
        );
    }
    body.push_str("</table>");
    Ok(page("Logg", &body))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(url), Some(port)) = (args.next(), args.next()) else {
        eprintln!("usage: akta-baseline DATABASE_URL PORT");
        std::process::exit(2);
    };
    let db = if url.starts_with("postgres") {
        Db::Pg(
            PgPoolOptions::new()
                .max_connections(16)
                .connect(&url)
                .await?,
        )
    } else {
        let options = SqliteConnectOptions::from_str(&url)?.read_only(true);
        Db::Sqlite(
            SqlitePoolOptions::new()
                .max_connections(16)
                .connect_with(options)
                .await?,
        )
    };
    let app = Router::new()
        .route("/logga-in", get(login))
        .route("/", get(home))
        .route("/klienter", get(clients))
        .route("/akter/{id}", get(file))
        .route("/logg", get(log))
        .with_state(Arc::new(db));
    // Like Akta's own accept loop: no Nagle delay on keep-alive answers.
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port.parse::<u16>()?))
        .await?
        .tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
    axum::serve(listener, app).await?;
    Ok(())
}
