//! The server as a browser or an attacker meets it: health, login, sessions,
//! the guard on every server function, roles, rate limits.

use crate::common::{TestDb, TestServer, call, login, make_user};
use app::error::AppError;

const PASSWORD: &str = "ett-langt-losenord";

fn error_of(body: &str) -> AppError {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not an AppError ({e}): {body}"))
}

async fn health_names_the_backend(db: &TestDb) {
    let server = TestServer::start(&db.db).await;
    let response = reqwest::get(server.url("/healthz")).await.expect("healthz");
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.expect("json");
    let expected = match db.backend() {
        sea_orm::DbBackend::Postgres => "postgres",
        _ => "sqlite",
    };
    assert_eq!(
        body,
        serde_json::json!({ "status": "ok", "database": expected })
    );
}

async fn login_starts_a_fresh_session_and_logout_ends_it(db: &TestDb) {
    make_user(&db.db, "anna", "staff", PASSWORD).await;
    let server = TestServer::start(&db.db).await;
    let client = TestServer::client();

    // A session id planted before login must not survive it.
    let planted = client
        .get(server.url("/logga-in"))
        .send()
        .await
        .expect("page");
    let before: Vec<String> = planted.cookies().map(|c| c.value().to_owned()).collect();

    let response = client
        .post(server.url("/api/login"))
        .header("Accept", "application/json")
        .form(&[("username", "anna"), ("password", PASSWORD)])
        .send()
        .await
        .expect("login");
    assert!(
        response.status().is_success() || response.status().is_redirection(),
        "{}",
        response.status()
    );
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("akta_session="))
        .expect("session cookie")
        .to_owned();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    let id = cookie
        .trim_start_matches("akta_session=")
        .split(';')
        .next()
        .unwrap_or_default()
        .to_owned();
    assert!(
        !before.contains(&id),
        "the session id was not rotated at login"
    );

    let (status, body) = call(&client, &server, "/api/current_user", &[]).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"username\":\"anna\""), "{body}");

    // Staff need a second factor: until it is enrolled, nothing opens...
    let (status, body) = call(&client, &server, "/api/files/open_files", &[("page", "0")]).await;
    assert_eq!(
        (status, error_of(&body)),
        (403, AppError::SecondFactorRequired)
    );
    crate::common::enrol(&client, &server, "anna").await;
    // ...then pages open with the session...
    let page = client
        .get(server.url("/"))
        .send()
        .await
        .expect("start page");
    assert!(!page.status().is_redirection());

    let (status, _) = call(&client, &server, "/api/logout", &[]).await;
    assert!(status < 400);
    let (_, body) = call(&client, &server, "/api/current_user", &[]).await;
    assert_eq!(body, "null");
    // ...and send you to the login page without one.
    let page = client
        .get(server.url("/"))
        .send()
        .await
        .expect("start page");
    assert_eq!(page.status(), 303);
    assert_eq!(
        page.headers().get("location").and_then(|v| v.to_str().ok()),
        Some("/logga-in")
    );
}

async fn wrong_password_and_unknown_user_look_the_same(db: &TestDb) {
    make_user(&db.db, "anna", "staff", PASSWORD).await;
    let server = TestServer::start(&db.db).await;
    let client = TestServer::client();
    let (s1, wrong_password) = call(
        &client,
        &server,
        "/api/login",
        &[("username", "anna"), ("password", "fel-losenord-123")],
    )
    .await;
    let (s2, unknown_user) = call(
        &client,
        &server,
        "/api/login",
        &[("username", "ingen"), ("password", "fel-losenord-123")],
    )
    .await;
    assert_eq!(s1, s2);
    assert_eq!(wrong_password, unknown_user);
    assert_eq!(error_of(&wrong_password), AppError::InvalidCredentials);
}

async fn inactive_accounts_cannot_log_in(db: &TestDb) {
    make_user(&db.db, "admin", "admin", PASSWORD).await;
    make_user(&db.db, "anna", "staff", PASSWORD).await;
    let server = TestServer::start(&db.db).await;
    let anna = TestServer::client();
    assert!(login(&anna, &server, "anna", PASSWORD).await < 400);

    let admin = TestServer::client();
    assert!(login(&admin, &server, "admin", PASSWORD).await < 400);
    let (status, body) = call(
        &admin,
        &server,
        "/api/admin/set_active",
        &[("username", "anna"), ("active", "false")],
    )
    .await;
    assert_eq!(status, 200, "{body}");

    // Her open session ends at once, and she cannot log in again.
    let (_, body) = call(&anna, &server, "/api/current_user", &[]).await;
    assert_eq!(body, "null");
    let (_, body) = call(
        &anna,
        &server,
        "/api/login",
        &[("username", "anna"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(error_of(&body), AppError::InvalidCredentials);
}

async fn password_reset_ends_old_sessions(db: &TestDb) {
    make_user(&db.db, "admin", "admin", PASSWORD).await;
    make_user(&db.db, "anna", "staff", PASSWORD).await;
    let server = TestServer::start(&db.db).await;
    let anna = TestServer::client();
    assert!(login(&anna, &server, "anna", PASSWORD).await < 400);
    let admin = TestServer::client();
    login(&admin, &server, "admin", PASSWORD).await;
    let (status, body) = call(
        &admin,
        &server,
        "/api/admin/reset_password",
        &[("username", "anna"), ("password", "ett-nytt-losenord")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, body) = call(&anna, &server, "/api/current_user", &[]).await;
    assert_eq!(body, "null", "the old session survived a password reset");
    assert!(login(&anna, &server, "anna", "ett-nytt-losenord").await < 400);
}

async fn admin_manages_accounts_and_staff_cannot(db: &TestDb) {
    make_user(&db.db, "admin", "admin", PASSWORD).await;
    make_user(&db.db, "anna", "staff", PASSWORD).await;
    let server = TestServer::start(&db.db).await;

    let staff = TestServer::client();
    login(&staff, &server, "anna", PASSWORD).await;
    let (_, body) = call(&staff, &server, "/api/admin/list_users", &[]).await;
    assert_eq!(error_of(&body), AppError::Forbidden);
    let (_, body) = call(
        &staff,
        &server,
        "/api/admin/create_user",
        &[
            ("username", "x"),
            ("display_name", "X"),
            ("role", "admin"),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(error_of(&body), AppError::Forbidden);

    let admin = TestServer::client();
    login(&admin, &server, "admin", PASSWORD).await;
    let (status, body) = call(
        &admin,
        &server,
        "/api/admin/create_user",
        &[
            ("username", "Nils"),
            ("display_name", "Nils Åkesson"),
            ("role", "manager"),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, body) = call(&admin, &server, "/api/admin/list_users", &[]).await;
    assert!(
        body.contains("\"username\":\"nils\"") && body.contains("\"Manager\""),
        "{body}"
    );

    // Bad input: every problem at once, next to its field; nothing stored.
    let (_, body) = call(
        &admin,
        &server,
        "/api/admin/create_user",
        &[
            ("username", "nils"),
            ("display_name", " "),
            ("role", "kung"),
            ("password", "kort"),
        ],
    )
    .await;
    let AppError::Invalid(fields) = error_of(&body) else {
        panic!("{body}")
    };
    let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(names, ["display_name", "role", "password"]);
    let (_, body) = call(
        &admin,
        &server,
        "/api/admin/create_user",
        &[
            ("username", "nils"),
            ("display_name", "Nils"),
            ("role", "staff"),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(
        error_of(&body),
        AppError::field("username", app::error::Problem::UsernameTaken)
    );

    // An administrator cannot lock themselves out.
    let (_, body) = call(
        &admin,
        &server,
        "/api/admin/set_active",
        &[("username", "admin"), ("active", "false")],
    )
    .await;
    assert_eq!(
        error_of(&body),
        AppError::field("username", app::error::Problem::OwnAccount)
    );
    let (_, body) = call(
        &admin,
        &server,
        "/api/admin/set_role",
        &[("username", "admin"), ("role", "staff")],
    )
    .await;
    assert_eq!(
        error_of(&body),
        AppError::field("username", app::error::Problem::OwnAccount)
    );
}

async fn admins_read_no_files(db: &TestDb) {
    make_user(&db.db, "admin", "admin", PASSWORD).await;
    let server = TestServer::start(&db.db).await;
    let admin = TestServer::client();
    login(&admin, &server, "admin", PASSWORD).await;
    let (_, body) = call(&admin, &server, "/api/files/open_files", &[("page", "0")]).await;
    assert_eq!(error_of(&body), AppError::Forbidden);
}

/// Deny by default: every server function, called without a session, refuses —
/// except the two that exist to log in and to say nobody is logged in.
async fn every_server_fn_refuses_without_a_session(db: &TestDb) {
    let server = TestServer::start(&db.db).await;
    let client = TestServer::client();
    let mut checked = 0;
    for (path, _method) in server_fn::axum::server_fn_paths() {
        match path {
            "/api/current_user" => {
                let (_, body) = call(&client, &server, path, &[]).await;
                assert_eq!(body, "null");
            }
            "/api/login" => {
                let (_, body) = call(
                    &client,
                    &server,
                    path,
                    &[("username", "x"), ("password", "y")],
                )
                .await;
                assert_eq!(error_of(&body), AppError::InvalidCredentials);
            }
            "/api/login/code" => {
                // A code without a password step before it: start again.
                let (status, body) = call(&client, &server, path, &[("code", "123456")]).await;
                assert_eq!(status, 401);
                assert_eq!(error_of(&body), AppError::LoginRestart);
            }
            _ => {
                // Arguments that decode for every function, as a form and as JSON
                // (unknown fields are ignored), so the call reaches the guard.
                let (form, json) = server_fn_args(&Targets::default());
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let (status, body) = call(&client, &server, path, &form).await;
                let (status, body) = if serde_json::from_str::<AppError>(&body).ok()
                    == Some(AppError::NotLoggedIn)
                {
                    (status, body)
                } else {
                    crate::common::call_json(&client, &server, path, &json).await
                };
                assert_eq!(
                    status, 401,
                    "{path} answered {status} without a session: {body}"
                );
                assert_eq!(error_of(&body), AppError::NotLoggedIn, "{path}");
            }
        }
        checked += 1;
    }
    assert!(checked >= 35, "only {checked} server functions registered");
}

/// The public ids that server functions' arguments name in a call.
struct Targets {
    file: String,
    deviation: String,
    assignment: String,
    round: String,
    intake: String,
}

impl Default for Targets {
    fn default() -> Self {
        Targets {
            file: "x".into(),
            deviation: "d".into(),
            assignment: "x".into(),
            round: "x".into(),
            intake: "x".into(),
        }
    }
}

/// Arguments that decode for every server function, as a form and as JSON (unknown
/// fields are ignored), naming the given targets.
fn server_fn_args(t: &Targets) -> (Vec<(&'static str, String)>, serde_json::Value) {
    let fixed = [
        ("page", "0"),
        ("username", "a"),
        ("role", "staff"),
        ("active", "true"),
        ("password", "ett-langt-losenord"),
        ("current_password", "ett-langt-losenord"),
        ("new_password", "ett-annat-losenord"),
        ("new_password_again", "ett-annat-losenord"),
        ("display_name", "d"),
        ("version", "1"),
        ("valid_from", "2026-01-01"),
        ("reason", "r"),
        ("review", "r"),
        ("client_view", "c"),
        ("goal", "g"),
        ("title", "t"),
        ("what", "w"),
        ("how", "h"),
        ("who", "w"),
        ("by_when", ""),
        ("signed_on", "2026-01-01"),
        ("signed_how", "on_paper"),
        ("copy_to_client_on", ""),
        ("copy_to_contact_on", ""),
        ("copy_to_secretary_on", ""),
        ("item", "consent"),
        ("finding", "1:consent"),
        ("checked", "true"),
        ("q", "Tolvan"),
        ("user", "anna"),
        ("client", "Tolvan"),
        ("from", "2026-01-01"),
        ("to", "2026-12-31"),
        ("first_name", "Tolvan"),
        ("last_name", "Tolvansson"),
        ("identity_number", "19121212-1212"),
        ("received_on", "2026-11-02"),
        ("secretary_name", "S"),
        ("secretary_unit", "U"),
        ("decision_date", "2026-10-28"),
        ("service_type", "other"),
        ("service_granted", "G"),
        ("period_from", "2026-11-09"),
        ("contact_person", "anna"),
        ("change", "add"),
        // The file audit.
        ("year", "2026"),
        ("due_on", "2026-12-31"),
        ("until", "2027-01-15"),
        ("scope", "all"),
        ("reviewer", "anna"),
        ("period", "1"),
        ("answer", "yes"),
        ("comment", ""),
        ("judgement", "yes"),
        ("summary", ""),
        ("planned_on", "2026-01-01"),
        ("follow_up", "f"),
        ("held_on", "2026-01-01"),
        ("participants", "p"),
        ("outcome", "o"),
        ("plan_revised", "no"),
        ("closed_on", "2026-01-01"),
        ("treatment", "t"),
        ("client_view_ending", "e"),
        ("client_view_service", "s"),
        ("pseudonym", "p"),
        ("service", "mi_group"),
        ("started_on", "2026-01-01"),
        ("sex", ""),
        ("age_band", ""),
        ("notes", "n"),
        // The deviation register.
        ("actions", "a"),
        ("action_taken", "a"),
        ("status", "open"),
        ("kind", ""),
        // The monthly review and report.
        ("month", "2026-01"),
        ("text", "t"),
        // The manager's log review.
        ("view", "refusals"),
        ("period_to", "2026-11-30"),
        ("remarks", "r"),
        // Two-step verification.
        ("code", "123456"),
        ("required", "true"),
    ];
    let mut form: Vec<(&'static str, String)> =
        fixed.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
    form.extend([
        ("file", t.file.clone()),
        ("deviation", t.deviation.clone()),
        ("assignment", t.assignment.clone()),
        ("round", t.round.clone()),
        ("intake", t.intake.clone()),
    ]);
    let json = serde_json::json!({
        "page": 0, "username": "a", "role": "staff", "active": true, "password": "p", "display_name": "d",
        "file": t.file, "entry": "y", "event_date": "2026-01-01", "category": "event", "body": "b",
        "goals": [], "reason": "r",
        "filter": { "category": null, "goal": null, "period": null, "page": 0 }
    });
    (form, json)
}

/// Calls a server function with the arguments of `t`, as a form and, when the form does
/// not decode (a JSON function), as JSON.
async fn call_with(
    client: &reqwest::Client,
    server: &TestServer,
    path: &str,
    t: &Targets,
) -> (u16, String) {
    let (form, json) = server_fn_args(t);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = call(client, server, path, &form).await;
    if serde_json::from_str::<AppError>(&body).ok() == Some(AppError::BadRequest) {
        crate::common::call_json(client, server, path, &json).await
    } else {
        (status, body)
    }
}

/// Who is refused a server function, how, and what the refused line must name.
enum Refused {
    /// Not visible to the outsider (404), named by the file's ids.
    Hidden(i32),
    /// The outsider's role may not (403), named by the file's ids.
    RoleOnFile(i32),
    /// The outsider's role may not (403); no file: the detail names this text.
    Role(String),
    /// The administrator's role may not (403); the detail names this text.
    AdminRole(String),
    /// Not the outsider's (404); the detail is exactly this id (an open intake).
    HiddenIntake(String),
}

/// Deny by default, logged in: every server function, called by a user who may not
/// (the wrong role, or a target outside their need-to-know), refuses with the status of
/// its error and leaves exactly one `refused` line naming the target. A new server
/// function fails here until it is given a case.
async fn every_server_fn_refuses_who_may_not_and_logs_the_target(db: &TestDb) {
    use app::server::entities::{
        access_log, audit_assignments, audit_rounds, care_team, case_files, deviations,
        open_intakes, users,
    };
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
    akta_server::demo::generate(
        &db.db,
        akta_server::demo::Options {
            seed: 5,
            clients: 30,
            today: app::server::today(),
        },
    )
    .await
    .expect("demo");
    // A deviation, its file, and a staff member outside that file's team who is
    // neither the reviewer of an assignment nor the therapist of an intake below.
    let deviation = deviations::Entity::find()
        .order_by_asc(deviations::Column::Id)
        .one(&db.db)
        .await
        .unwrap()
        .expect("a deviation");
    let file = case_files::Entity::find_by_id(deviation.case_file_id)
        .one(&db.db)
        .await
        .unwrap()
        .unwrap();
    let team: Vec<i32> = care_team::Entity::find()
        .filter(care_team::Column::CaseFileId.eq(file.id))
        .all(&db.db)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.user_id)
        .chain([file.contact_person_id])
        .collect();
    let staff = users::Entity::find()
        .filter(users::Column::Role.eq("staff"))
        .order_by_asc(users::Column::Id)
        .all(&db.db)
        .await
        .unwrap();
    let outsider = staff
        .iter()
        .find(|u| !team.contains(&u.id))
        .expect("outsider");
    let assignment = audit_assignments::Entity::find()
        .filter(audit_assignments::Column::ReviewerId.ne(outsider.id))
        .one(&db.db)
        .await
        .unwrap()
        .expect("an assignment");
    let round = audit_rounds::Entity::find()
        .one(&db.db)
        .await
        .unwrap()
        .expect("a round");
    let intake = open_intakes::Entity::find()
        .filter(open_intakes::Column::TherapistId.ne(outsider.id))
        .one(&db.db)
        .await
        .unwrap()
        .expect("an intake");
    let targets = Targets {
        file: file.public_id.clone(),
        deviation: deviation.public_id.clone(),
        assignment: assignment.public_id.clone(),
        round: round.public_id.clone(),
        intake: intake.public_id.clone(),
    };

    let server = TestServer::start(&db.db).await;
    let as_outsider = TestServer::client();
    assert!(
        login(
            &as_outsider,
            &server,
            &outsider.username,
            akta_server::demo::DEMO_PASSWORD
        )
        .await
            < 400
    );
    let as_admin = TestServer::client();
    assert!(
        login(
            &as_admin,
            &server,
            "admin",
            akta_server::demo::DEMO_PASSWORD
        )
        .await
            < 400
    );
    let admin_id = users::Entity::find()
        .filter(users::Column::Username.eq("admin"))
        .one(&db.db)
        .await
        .unwrap()
        .unwrap()
        .id;

    let mut checked = 0;
    for (path, _method) in server_fn::axum::server_fn_paths() {
        let name = path.trim_start_matches("/api/");
        let area = name.split('/').next().unwrap_or_default();
        let cases: Vec<Refused> = match name {
            // Anyone logged in may ask who they are, log in, log out and change their
            // own password (with the current one: `security.rs`).
            "current_user" | "login" | "logout" | "account/change_password" => continue,
            // The login's code step and one's own second factor (`second_factor.rs`).
            "login/code"
            | "account/second_factor"
            | "account/second_factor/begin"
            | "account/second_factor/confirm" => continue,
            "audit/file" | "audit/respond" => {
                vec![Refused::Hidden(file.id), Refused::RoleOnFile(file.id)]
            }
            "audit/workspace" | "audit/answer" | "audit/judgement" | "audit/submit" => vec![
                Refused::Hidden(assignment.case_file_id),
                Refused::RoleOnFile(assignment.case_file_id),
            ],
            "audit/swap" | "audit/reopen" | "audit/extend" => {
                vec![Refused::RoleOnFile(assignment.case_file_id)]
            }
            "audit/round"
            | "audit/remind"
            | "audit/redraw"
            | "audit/status"
            | "audit/checklist/save"
            | "audit/checklist/add"
            | "audit/checklist/remove" => {
                vec![Refused::Role(round.public_id.clone())]
            }
            "audit/open"
            | "audit/settings"
            | "duties/settings"
            | "intake/statistics"
            | "access_log/users"
            | "access_log/search"
            | "access_log/reviews"
            | "access_log/record_review" => {
                vec![Refused::Role(path.to_owned())]
            }
            "deviations/view" | "deviations/close_unit" | "deviations/close_client" => vec![
                Refused::Hidden(deviation.case_file_id),
                Refused::RoleOnFile(deviation.case_file_id),
            ],
            "intake/get" | "intake/save_notes" | "intake/close" => {
                vec![Refused::HiddenIntake(intake.public_id.clone())]
            }
            "files/open_files"
            | "clients/search"
            | "clients/staff"
            | "clients/open_file"
            | "duties/my_work"
            | "deviations/register"
            | "audit/overview"
            | "intake/list"
            | "intake/create" => vec![Refused::AdminRole(path.to_owned())],
            _ if area == "admin" || area == "culling" => vec![Refused::Role(path.to_owned())],
            _ if ["journal", "plan", "duties", "monthly", "team"].contains(&area) => {
                vec![Refused::Hidden(file.id), Refused::RoleOnFile(file.id)]
            }
            _ => panic!("{path}: no refusal case; give the new server function one"),
        };
        for case in cases {
            let (caller, caller_id, expected) = match &case {
                Refused::Hidden(_) | Refused::HiddenIntake(_) => {
                    (&as_outsider, outsider.id, AppError::NotFound)
                }
                Refused::Role(_) => (&as_outsider, outsider.id, AppError::Forbidden),
                Refused::RoleOnFile(_) | Refused::AdminRole(_) => {
                    (&as_admin, admin_id, AppError::Forbidden)
                }
            };
            let refused_before = access_log::Entity::find()
                .filter(access_log::Column::Action.eq("refused"))
                .count(&db.db)
                .await
                .unwrap();
            let (status, body) = call_with(caller, &server, path, &targets).await;
            assert_eq!(
                serde_json::from_str::<AppError>(&body).ok(),
                Some(expected.clone()),
                "{path}: {body}"
            );
            assert_eq!(
                status,
                expected.status(),
                "{path}: the status of {expected:?}"
            );
            let refused = access_log::Entity::find()
                .filter(access_log::Column::Action.eq("refused"))
                .order_by_desc(access_log::Column::Id)
                .all(&db.db)
                .await
                .unwrap();
            assert_eq!(
                refused.len() as u64,
                refused_before + 1,
                "{path}: one refused line"
            );
            let line = &refused[0];
            assert_eq!(line.user_id, Some(caller_id), "{path}");
            // Where it came from: the address, and the session by its short hash.
            assert_eq!(line.address.as_deref(), Some("127.0.0.1"), "{path}");
            assert!(
                line.session.as_deref().is_some_and(|s| s.len() == 16),
                "{path}: {:?}",
                line.session
            );
            let detail = line.detail.clone().unwrap_or_default();
            match &case {
                Refused::Hidden(file_id) | Refused::RoleOnFile(file_id) => {
                    assert_eq!(line.case_file_id, Some(*file_id), "{path}: {detail}");
                    assert!(line.client_id.is_some(), "{path}: the client is named");
                }
                Refused::Role(text) | Refused::AdminRole(text) => {
                    assert!(detail.contains(text.as_str()), "{path}: {detail}");
                }
                Refused::HiddenIntake(id) => {
                    assert_eq!(&detail, id, "{path}: the intake by its id alone");
                    assert_eq!((line.client_id, line.case_file_id), (None, None));
                }
            }
        }
        checked += 1;
    }
    assert!(checked >= 60, "only {checked} server functions checked");
    // Nothing of the outsider's attempts was stored: the intake is still there.
    assert!(
        open_intakes::Entity::find_by_id(intake.id)
            .one(&db.db)
            .await
            .unwrap()
            .is_some()
    );
}

async fn too_many_login_attempts_are_slowed_down(db: &TestDb) {
    let server = TestServer::start(&db.db).await;
    let client = TestServer::client();
    let mut last = (0, String::new());
    for _ in 0..14 {
        last = call(
            &client,
            &server,
            "/api/login",
            &[("username", "x"), ("password", "y")],
        )
        .await;
    }
    assert_eq!(last.0, 429);
    assert_eq!(error_of(&last.1), AppError::RateLimited);
}

async fn cross_site_posts_are_refused(db: &TestDb) {
    let server = TestServer::start(&db.db).await;
    let response = TestServer::client()
        .post(server.url("/api/login"))
        .header("Origin", "https://evil.example")
        .form(&[("username", "x"), ("password", "y")])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 403);
}

on_both_backends! {
    healthz_names_the_backend => health_names_the_backend;
    login_rotates_the_session_and_logout_ends_it => login_starts_a_fresh_session_and_logout_ends_it;
    login_errors_do_not_tell_which_part_was_wrong => wrong_password_and_unknown_user_look_the_same;
    deactivated_accounts_are_locked_out => inactive_accounts_cannot_log_in;
    password_reset_logs_out_everywhere => password_reset_ends_old_sessions;
    only_admins_manage_accounts => admin_manages_accounts_and_staff_cannot;
    admins_cannot_list_client_files => admins_read_no_files;
    server_fns_deny_by_default => every_server_fn_refuses_without_a_session;
    server_fns_refuse_who_may_not_and_log_the_target => every_server_fn_refuses_who_may_not_and_logs_the_target;
    login_is_rate_limited => too_many_login_attempts_are_slowed_down;
    cross_site_posts_refused => cross_site_posts_are_refused;
}

#[tokio::test]
async fn healthz_is_503_when_the_database_is_gone() {
    let db = TestDb::new(crate::common::Backend::Sqlite)
        .await
        .expect("sqlite");
    let server = TestServer::start(&db.db).await;
    db.db.clone().close().await.ok();
    let response = reqwest::get(server.url("/healthz")).await.expect("healthz");
    assert_eq!(response.status(), 503);
}

/// `/healthz` answers within 2 s when the database cannot take a write (another
/// connection holds SQLite's write lock longer than the busy timeout would wait),
/// and says ok again once it can.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_answers_503_within_two_seconds_when_writes_cannot_begin() {
    use sea_orm::sqlx::{Connection, Executor};
    let db = TestDb::new(crate::common::Backend::Sqlite)
        .await
        .expect("sqlite");
    let server = TestServer::start(&db.db).await;
    let mut holder = sea_orm::sqlx::SqliteConnection::connect(&db.url)
        .await
        .expect("a second connection");
    holder
        .execute("BEGIN IMMEDIATE")
        .await
        .expect("take the write lock");
    let started = std::time::Instant::now();
    let response = reqwest::get(server.url("/healthz")).await.expect("healthz");
    assert_eq!(response.status(), 503);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    holder.execute("ROLLBACK").await.expect("release the lock");
    let mut status = 0;
    for _ in 0..100 {
        status = reqwest::get(server.url("/healthz"))
            .await
            .expect("healthz")
            .status()
            .as_u16();
        if status == 200 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(status, 200, "healthy again once the lock is free");
    db.cleanup().await;
}

/// A logged-in user whose database is gone sees a page that says so (503), not the
/// login page: an outage is not a logout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_shows_a_page_that_says_so_not_the_login_page() {
    let db = TestDb::new(crate::common::Backend::Sqlite)
        .await
        .expect("sqlite");
    make_user(&db.db, "anna", "staff", PASSWORD).await;
    let server = TestServer::start(&db.db).await;
    let client = TestServer::client();
    assert!(login(&client, &server, "anna", PASSWORD).await < 400);
    db.db.clone().close().await.ok();
    let response = client.get(server.url("/")).send().await.expect("page");
    assert_eq!(response.status(), 503);
    assert!(response.headers().get("location").is_none());
    let body = response.text().await.expect("body");
    assert!(body.contains("Akta når inte sin databas"), "{body}");
    // Without a session it is still the login page that answers.
    let anonymous = TestServer::client();
    let response = anonymous.get(server.url("/")).send().await.expect("page");
    assert_eq!(response.status(), 303);
}
