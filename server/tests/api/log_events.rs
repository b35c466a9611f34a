//! An access log that answers HSLF-FS 2016:40 (issue 14, items 4 and 5): failed and
//! throttled logins, logouts and administrators' account changes are lines of their
//! own; lists log whose names they showed; every line has the address and a short
//! session hash; the manager's review has ready-made views and records systematic
//! reviews that never change; registering a number of a client one may not see
//! answers neutrally and is a refusal naming the client.

use crate::common::{TestDb, TestServer, call, login, make_user};
use app::error::{AppError, Problem};
use app::model::log::{ListKind, LogDetail, RefusalReason};
use app::server::entities::{access_log, clients, log_reviews, users};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Statement,
};

const PASSWORD: &str = "ett-langt-losenord";

fn error_of(body: &str) -> AppError {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not an AppError ({e}): {body}"))
}

fn page_of(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not a page ({e}): {body}"))
}

async fn user_id(db: &TestDb, username: &str) -> i32 {
    users::Entity::find()
        .filter(users::Column::Username.eq(username))
        .one(&db.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no user {username}"))
        .id
}

async fn lines(db: &TestDb, action: &str) -> Vec<access_log::Model> {
    access_log::Entity::find()
        .filter(access_log::Column::Action.eq(action))
        .order_by_asc(access_log::Column::Id)
        .all(&db.db)
        .await
        .unwrap()
}

fn detail(line: &access_log::Model) -> LogDetail {
    LogDetail::from_stored(line.detail.as_deref().unwrap_or_default())
}

fn is_session_hash(session: &Option<String>) -> bool {
    session
        .as_deref()
        .is_some_and(|s| s.len() == 16 && s.chars().all(|c| c.is_ascii_hexdigit()))
}

async fn register(
    client: &reqwest::Client,
    server: &TestServer,
    last_name: &str,
    number: &str,
    protected: bool,
) -> (u16, String) {
    let mut form = vec![
        ("first_name", "Tolvan"),
        ("last_name", last_name),
        ("identity_number", number),
        ("received_on", "2026-11-02"),
        ("secretary_name", "Siv Sekreterare"),
        ("secretary_unit", "Vuxenenheten"),
        ("decision_date", "2026-10-28"),
        ("service_type", "group_treatment"),
        ("service_granted", "Gruppbehandling"),
        ("period_from", "2026-11-09"),
        ("contact_person", "anna"),
    ];
    if protected {
        form.push(("protected_identity", "on"));
    }
    call(client, server, "/api/clients/open_file", &form).await
}

async fn logins_logouts_and_account_changes_are_lines_of_their_own(db: &TestDb) {
    make_user(&db.db, "admin", "admin", PASSWORD).await;
    make_user(&db.db, "anna", "staff", PASSWORD).await;
    let server = TestServer::start(&db.db).await;
    let anna_id = user_id(db, "anna").await;
    let users_before = users::Entity::find().count(&db.db).await.unwrap();

    // A wrong password names the account tried; an unknown username is kept as
    // typed, and nothing is created for it.
    let stranger = TestServer::client();
    assert_eq!(login(&stranger, &server, "anna", "fel-losenord").await, 401);
    assert_eq!(
        login(&stranger, &server, "Nobody", "fel-losenord").await,
        401
    );
    let failed = lines(db, "login_failed").await;
    assert_eq!(failed.len(), 2);
    assert_eq!(
        (failed[0].user_id, failed[0].account_id),
        (None, Some(anna_id))
    );
    assert_eq!(failed[0].detail, None);
    assert_eq!((failed[1].user_id, failed[1].account_id), (None, None));
    assert_eq!(
        detail(&failed[1]),
        LogDetail::UsernameTried {
            username: "nobody".to_owned()
        }
    );
    assert!(
        failed
            .iter()
            .all(|l| l.address.as_deref() == Some("127.0.0.1"))
    );
    assert_eq!(
        users::Entity::find().count(&db.db).await.unwrap(),
        users_before
    );

    // Every administrator's change is a line naming the account it concerned.
    let admin = TestServer::client();
    assert_eq!(login(&admin, &server, "admin", PASSWORD).await, 200);
    let admin_id = user_id(db, "admin").await;
    let (status, body) = call(
        &admin,
        &server,
        "/api/admin/create_user",
        &[
            ("username", "nils"),
            ("display_name", "Nils Åkesson"),
            ("role", "manager"),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let nils = user_id(db, "nils").await;
    for (path, form) in [
        (
            "/api/admin/set_role",
            vec![("username", "nils"), ("role", "staff")],
        ),
        (
            "/api/admin/reset_password",
            vec![
                ("username", "nils"),
                ("password", "ett-annat-langt-losenord"),
            ],
        ),
        (
            "/api/admin/set_active",
            vec![("username", "nils"), ("active", "false")],
        ),
        (
            "/api/admin/set_active",
            vec![("username", "nils"), ("active", "true")],
        ),
    ] {
        let (status, body) = call(&admin, &server, path, &form).await;
        assert_eq!(status, 200, "{path}: {body}");
    }
    for action in [
        "create_user",
        "change_role",
        "reset_password",
        "deactivate_user",
        "activate_user",
    ] {
        let found = lines(db, action).await;
        assert_eq!(found.len(), 1, "{action}");
        assert_eq!(found[0].user_id, Some(admin_id), "{action}");
        assert_eq!(found[0].account_id, Some(nils), "{action}");
        assert_eq!(found[0].address.as_deref(), Some("127.0.0.1"), "{action}");
        assert!(
            is_session_hash(&found[0].session),
            "{action}: {:?}",
            found[0].session
        );
    }
    assert_eq!(
        detail(&lines(db, "create_user").await[0]),
        LogDetail::Role {
            role: akta_domain::Role::Manager
        }
    );
    assert_eq!(
        detail(&lines(db, "change_role").await[0]),
        LogDetail::Role {
            role: akta_domain::Role::Staff
        }
    );
    // A refused change (an unknown account) stores nothing and is no account line.
    let (status, _) = call(
        &admin,
        &server,
        "/api/admin/set_role",
        &[("username", "ingen"), ("role", "staff")],
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(lines(db, "change_role").await.len(), 1);

    // Logging out is a line with the session it ended; the hash is never the id.
    let (status, _) = call(&admin, &server, "/api/logout", &[]).await;
    assert!(status < 400);
    let logout = lines(db, "logout").await;
    assert_eq!(logout.len(), 1);
    assert_eq!(logout[0].user_id, Some(admin_id));
    assert!(is_session_hash(&logout[0].session));
    let stored: Vec<String> = db
        .db
        .query_all_raw(Statement::from_string(
            db.backend(),
            "SELECT id_hash FROM sessions",
        ))
        .await
        .unwrap()
        .iter()
        .filter_map(|r| r.try_get::<String>("", "id_hash").ok())
        .collect();
    let hash = logout[0].session.clone().unwrap_or_default();
    assert!(stored.iter().all(|s| s != &hash));
}

async fn a_throttled_login_is_logged_with_its_address(db: &TestDb) {
    let server = TestServer::start_configured(&db.db, |config, _| config.login_burst = 2).await;
    let client = TestServer::client();
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(login(&client, &server, "x", "y").await);
    }
    assert!(statuses.contains(&429), "{statuses:?}");
    let throttled = lines(db, "login_throttled").await;
    assert_eq!(
        throttled.len(),
        statuses.iter().filter(|s| **s == 429).count()
    );
    assert!(
        throttled
            .iter()
            .all(|l| l.user_id.is_none() && l.address.as_deref() == Some("127.0.0.1"))
    );
    // The attempts that reached the password check are failed logins.
    assert_eq!(
        lines(db, "login_failed").await.len(),
        statuses.iter().filter(|s| **s == 401).count()
    );
}

async fn lists_log_each_client_they_showed(db: &TestDb) {
    make_user(&db.db, "anna", "staff", PASSWORD).await;
    make_user(&db.db, "chef", "manager", PASSWORD).await;
    let server = TestServer::start(&db.db).await;
    let anna = TestServer::client();
    login(&anna, &server, "anna", PASSWORD).await;
    assert_eq!(
        register(&anna, &server, "Tolvansson", "19121212-1212", false)
            .await
            .0,
        200
    );
    assert_eq!(
        register(&anna, &server, "Hemlig", "19701063-2391", true)
            .await
            .0,
        200
    );
    let client_ids: Vec<i32> = clients::Entity::find()
        .order_by_asc(clients::Column::Id)
        .all(&db.db)
        .await
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    for (path, list) in [
        ("/api/files/open_files", ListKind::OpenFiles),
        ("/api/clients/search", ListKind::ClientSearch),
        ("/api/duties/my_work", ListKind::MyWork),
        ("/api/deviations/register", ListKind::Deviations),
    ] {
        let form = [("page", "0"), ("status", "open"), ("kind", "")];
        let (status, body) = call(&anna, &server, path, &form).await;
        assert_eq!(status, 200, "{path}: {body}");
        let shown: Vec<access_log::Model> = lines(db, "list_files")
            .await
            .into_iter()
            .filter(|l| detail(l) == LogDetail::Listed { list })
            .collect();
        let mut named: Vec<i32> = shown.iter().filter_map(|l| l.client_id).collect();
        named.sort_unstable();
        assert!(shown.iter().all(|l| l.case_file_id.is_some()));
        if list == ListKind::Deviations {
            // Whichever files have deviations yet: each shown once, by its client.
            named.dedup();
            assert_eq!(named.len(), shown.len(), "{path}: one line per file");
            assert!(named.iter().all(|c| client_ids.contains(c)), "{path}");
            continue;
        }
        assert_eq!(named, client_ids, "{path}: one line per client shown");
    }
    // The client's log finds the lists that showed the name.
    let chef = TestServer::client();
    login(&chef, &server, "chef", PASSWORD).await;
    let (_, body) = call(
        &chef,
        &server,
        "/api/access_log/search",
        &[("client", "tolvansson")],
    )
    .await;
    let page = page_of(&body);
    let listed = page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["action"] == "list_files")
        .count();
    assert!(listed >= 3, "open files, search and my work: {body}");
}

async fn the_review_has_views_for_the_questions_of_a_review(db: &TestDb) {
    make_user(&db.db, "anna", "staff", PASSWORD).await;
    make_user(&db.db, "johan", "staff", PASSWORD).await;
    make_user(&db.db, "chef", "manager", PASSWORD).await;
    make_user(&db.db, "admin", "admin", PASSWORD).await;
    let server = TestServer::start(&db.db).await;
    let anna = TestServer::client();
    login(&anna, &server, "anna", PASSWORD).await;
    register(&anna, &server, "Tolvansson", "19121212-1212", false).await;
    register(&anna, &server, "Hemlig", "19701063-2391", true).await;
    // Refused: staff on the log.
    let (status, _) = call(&anna, &server, "/api/access_log/search", &[]).await;
    assert_eq!(status, 403);
    login(&TestServer::client(), &server, "anna", "fel").await;
    let admin = TestServer::client();
    login(&admin, &server, "admin", PASSWORD).await;
    call(
        &admin,
        &server,
        "/api/admin/set_active",
        &[("username", "johan"), ("active", "false")],
    )
    .await;
    // A read at night and one by day (written directly: the test cannot choose the
    // hour), in the file of the client without protected identity.
    let tolvan = clients::Entity::find()
        .filter(clients::Column::IdentityNumber.eq("19121212-1212"))
        .one(&db.db)
        .await
        .unwrap()
        .unwrap();
    let file = app::server::entities::case_files::Entity::find()
        .filter(app::server::entities::case_files::Column::ClientId.eq(tolvan.id))
        .one(&db.db)
        .await
        .unwrap()
        .unwrap();
    let anna_id = user_id(db, "anna").await;
    for (action, outside) in [("read_journal", true), ("read_plan", false)] {
        access_log::Entity::insert(access_log::ActiveModel {
            at: sea_orm::ActiveValue::Set(chrono::Utc::now()),
            user_id: sea_orm::ActiveValue::Set(Some(anna_id)),
            action: sea_orm::ActiveValue::Set(action.to_owned()),
            client_id: sea_orm::ActiveValue::Set(Some(file.client_id)),
            case_file_id: sea_orm::ActiveValue::Set(Some(file.id)),
            outside_hours: sea_orm::ActiveValue::Set(Some(outside)),
            ..Default::default()
        })
        .exec_without_returning(&db.db)
        .await
        .unwrap();
    }

    let chef = TestServer::client();
    login(&chef, &server, "chef", PASSWORD).await;
    let view = async |view: &str| {
        let (status, body) =
            call(&chef, &server, "/api/access_log/search", &[("view", view)]).await;
        assert_eq!(status, 200, "{view}: {body}");
        let page = page_of(&body);
        page["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["action"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(view("refusals").await, ["refused"]);
    assert_eq!(view("failed_logins").await, ["login_failed"]);
    assert_eq!(view("admin").await, ["deactivate_user"]);
    // Outside office hours: the night read, never the day one nor lines without a
    // client (the registrations of this test count when it runs in the evening).
    let night = view("outside_hours").await;
    assert!(night.contains(&"read_journal".to_owned()), "{night:?}");
    assert!(!night.contains(&"read_plan".to_owned()), "{night:?}");
    assert!(
        night
            .iter()
            .all(|a| a == "read_journal" || a == "open_file"),
        "{night:?}"
    );
    let protected = view("protected").await;
    assert_eq!(protected, ["open_file"], "only the protected client's line");
    assert!(view("all").await.len() >= 8);

    // Reading a view is logged with the view, as structured detail.
    let read = lines(db, "review_access_log").await;
    assert!(read.iter().any(|l| matches!(
        detail(l),
        LogDetail::LogSearch {
            view: app::model::log::LogView::Protected,
            ..
        }
    )));
}

async fn a_systematic_review_is_recorded_once_and_never_changes(db: &TestDb) {
    make_user(&db.db, "chef", "manager", PASSWORD).await;
    make_user(&db.db, "anna", "staff", PASSWORD).await;
    let server = TestServer::start(&db.db).await;
    let anna = TestServer::client();
    login(&anna, &server, "anna", PASSWORD).await;
    let (status, body) = call(
        &anna,
        &server,
        "/api/access_log/record_review",
        &[("period_from", "2026-11-01"), ("period_to", "2026-11-30")],
    )
    .await;
    assert_eq!((status, error_of(&body)), (403, AppError::Forbidden));

    let chef = TestServer::client();
    login(&chef, &server, "chef", PASSWORD).await;
    let today = app::server::today();
    let tomorrow = (today + chrono::Duration::days(1)).to_string();
    // Bad input: told beside the fields, nothing stored.
    let (status, body) = call(
        &chef,
        &server,
        "/api/access_log/record_review",
        &[("period_from", ""), ("period_to", &tomorrow)],
    )
    .await;
    assert_eq!(status, 400);
    let error = error_of(&body);
    assert_eq!(error.problem_for("period_from"), Some(Problem::Empty));
    assert_eq!(error.problem_for("period_to"), Some(Problem::DateInFuture));
    let (_, body) = call(
        &chef,
        &server,
        "/api/access_log/record_review",
        &[("period_from", "2026-11-30"), ("period_to", "2026-11-01")],
    )
    .await;
    assert_eq!(
        error_of(&body).problem_for("period_to"),
        Some(Problem::PeriodEndsBeforeStart)
    );
    assert_eq!(log_reviews::Entity::find().count(&db.db).await.unwrap(), 0);

    let (status, body) = call(
        &chef,
        &server,
        "/api/access_log/record_review",
        &[
            ("period_from", "2026-11-01"),
            ("period_to", "2026-11-30"),
            (
                "remarks",
                "Inga läsningar utan behov. Johans nattläsning 12/11 utredd.",
            ),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, body) = call(&chef, &server, "/api/access_log/reviews", &[]).await;
    let list: Vec<app::model::log::LogReviewRow> = serde_json::from_str(&body).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].reviewer, "chef");
    assert_eq!(list[0].from.to_string(), "2026-11-01");
    assert!(list[0].remarks.contains("nattläsning"));
    let recorded = lines(db, "record_log_review").await;
    assert_eq!(recorded.len(), 1);
    assert!(matches!(
        detail(&recorded[0]),
        LogDetail::ReviewPeriod { .. }
    ));

    // The database itself refuses to change or remove it.
    for sql in [
        "UPDATE log_reviews SET remarks = 'ändrat'",
        "DELETE FROM log_reviews",
    ] {
        let result = db
            .db
            .execute_raw(Statement::from_string(db.backend(), sql))
            .await;
        assert!(result.is_err(), "{sql} was allowed");
    }
    let kept = log_reviews::Entity::find().all(&db.db).await.unwrap();
    assert_eq!(kept.len(), 1);
    assert!(kept[0].remarks.contains("nattläsning"));
}

async fn a_number_of_a_hidden_client_is_answered_neutrally_and_logged(db: &TestDb) {
    make_user(&db.db, "anna", "staff", PASSWORD).await;
    make_user(&db.db, "johan", "staff", PASSWORD).await;
    make_user(&db.db, "chef", "manager", PASSWORD).await;
    let server = TestServer::start(&db.db).await;
    let anna = TestServer::client();
    login(&anna, &server, "anna", PASSWORD).await;
    let (_, open_file) = register(&anna, &server, "Tolvansson", "19121212-1212", false).await;
    let (_, protected_file) = register(&anna, &server, "Hemlig", "19701063-2391", true).await;
    let files_before = app::server::entities::case_files::Entity::find()
        .count(&db.db)
        .await
        .unwrap();

    let johan = TestServer::client();
    login(&johan, &server, "johan", PASSWORD).await;
    for (number, file) in [
        ("19121212-1212", &open_file),
        ("19701063-2391", &protected_file),
    ] {
        let (status, body) = register(&johan, &server, "Annan", number, false).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(
            error_of(&body).problem_for("identity_number"),
            Some(Problem::IdentityNotVisible)
        );
        let file_id = file.trim_matches('"');
        assert!(
            !body.contains(file_id) && !body.contains("Tolvansson") && !body.contains("Hemlig")
        );
    }
    assert_eq!(
        app::server::entities::case_files::Entity::find()
            .count(&db.db)
            .await
            .unwrap(),
        files_before,
        "nothing stored"
    );
    let refused = lines(db, "refused").await;
    assert_eq!(refused.len(), 2);
    let johan_id = user_id(db, "johan").await;
    for (line, number) in refused.iter().zip(["19121212-1212", "19701063-2391"]) {
        let client = clients::Entity::find()
            .filter(clients::Column::IdentityNumber.eq(number))
            .one(&db.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(line.user_id, Some(johan_id));
        assert_eq!(line.client_id, Some(client.id), "the client is named");
        assert!(matches!(
            detail(line),
            LogDetail::Refused {
                reason: RefusalReason::ClientExists,
                ..
            }
        ));
    }
    // The manager finds both among the refusals (the protected one masked).
    let chef = TestServer::client();
    login(&chef, &server, "chef", PASSWORD).await;
    let (_, body) = call(
        &chef,
        &server,
        "/api/access_log/search",
        &[("view", "refusals")],
    )
    .await;
    let page = page_of(&body);
    assert_eq!(page["total"], 2, "{body}");
    assert!(
        body.contains("Tolvan Tolvansson") && !body.contains("Hemlig"),
        "{body}"
    );
}

/// A staff member who opens the log page by its address is refused once: the page's
/// three data calls (users, lines, reviews) rendered on the server leave one line, and
/// the page says why.
async fn a_refused_page_visit_is_one_line(db: &TestDb) {
    make_user(&db.db, "stina", "staff", PASSWORD).await;
    let server = TestServer::start(&db.db).await;
    let client = TestServer::client();
    assert!(login(&client, &server, "stina", PASSWORD).await < 400);
    let before = lines(db, "refused").await.len();
    let response = client
        .get(server.url("/logg"))
        .send()
        .await
        .expect("the log page");
    let html = response.text().await.expect("html");
    assert!(html.contains("behörighet"), "the page tells why");
    let refused = lines(db, "refused").await;
    assert_eq!(refused.len(), before + 1, "one refused visit, one line");
    let line = refused.last().unwrap();
    assert_eq!(line.user_id, Some(user_id(db, "stina").await));
    assert!(
        matches!(
            detail(line),
            LogDetail::Refused {
                reason: RefusalReason::WrongRole,
                ref attempt,
                ..
            } if attempt.starts_with("/logg")
        ),
        "{:?}",
        line.detail
    );
    // A second visit is a second line (the page is read to its end: the data calls run
    // while it streams).
    client
        .get(server.url("/logg"))
        .send()
        .await
        .expect("again")
        .text()
        .await
        .expect("html");
    assert_eq!(lines(db, "refused").await.len(), before + 2);
}

on_both_backends! {
    failed_logins_logouts_and_account_changes_are_logged => logins_logouts_and_account_changes_are_lines_of_their_own;
    throttled_logins_are_logged => a_throttled_login_is_logged_with_its_address;
    lists_log_the_clients_shown => lists_log_each_client_they_showed;
    log_review_views => the_review_has_views_for_the_questions_of_a_review;
    systematic_reviews_are_recorded_and_permanent => a_systematic_review_is_recorded_once_and_never_changes;
    hidden_client_numbers_get_a_neutral_logged_answer => a_number_of_a_hidden_client_is_answered_neutrally_and_logged;
    a_refused_page_visit_is_one_line => a_refused_page_visit_is_one_line;
}
