//! The manager's review of the access log: only the manager, newest first, 50 a page,
//! filters, names resolved and protected identities masked; reading it is logged.

use crate::common::{TestDb, TestServer, call, login, make_user};
use app::error::{AppError, Problem};
use app::server::entities::{access_log, users};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

const PASSWORD: &str = "ett-langt-losenord";

fn error_of(body: &str) -> AppError {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not an AppError ({e}): {body}"))
}

fn page_of(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not a page ({e}): {body}"))
}

async fn register(client: &reqwest::Client, server: &TestServer, number: &str, protected: bool) {
    let mut form = vec![
        ("first_name", "Tolvan"),
        ("last_name", if protected { "Hemlig" } else { "Tolvansson" }),
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
    let (status, body) = call(client, server, "/api/clients/open_file", &form).await;
    assert_eq!(status, 200, "{body}");
}

async fn search(
    client: &reqwest::Client,
    server: &TestServer,
    form: &[(&str, &str)],
) -> (u16, String) {
    call(client, server, "/api/access_log/search", form).await
}

async fn only_the_manager_reads_the_log(db: &TestDb) {
    make_user(&db.db, "anna", "staff", PASSWORD).await;
    make_user(&db.db, "admin", "admin", PASSWORD).await;
    let server = TestServer::start(&db.db).await;
    for who in ["anna", "admin"] {
        let client = TestServer::client();
        login(&client, &server, who, PASSWORD).await;
        let (status, body) = search(&client, &server, &[("page", "0")]).await;
        assert!(status >= 400, "{who}: {body}");
        assert_eq!(error_of(&body), AppError::Forbidden);
        let (_, body) = call(&client, &server, "/api/access_log/users", &[]).await;
        assert_eq!(error_of(&body), AppError::Forbidden);
    }
    // The attempts are in the log themselves.
    let refused = access_log::Entity::find()
        .filter(access_log::Column::Action.eq("refused"))
        .all(&db.db)
        .await
        .unwrap();
    assert_eq!(refused.len(), 4);
}

async fn the_manager_reads_names_and_sentences_newest_first(db: &TestDb) {
    make_user(&db.db, "anna", "staff", PASSWORD).await;
    make_user(&db.db, "johan", "staff", PASSWORD).await;
    make_user(&db.db, "chef", "manager", PASSWORD).await;
    let server = TestServer::start(&db.db).await;
    let anna = TestServer::client();
    login(&anna, &server, "anna", PASSWORD).await;
    register(&anna, &server, "19121212-1212", false).await;
    register(&anna, &server, "19701063-2391", true).await;
    let johan = TestServer::client();
    login(&johan, &server, "johan", PASSWORD).await;

    let chef = TestServer::client();
    login(&chef, &server, "chef", PASSWORD).await;
    let (status, body) = search(&chef, &server, &[]).await;
    assert_eq!(status, 200, "{body}");
    let page = page_of(&body);
    let actions: Vec<&str> = page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    // Each first login enrols the second factor right after the password.
    assert_eq!(
        actions,
        [
            "enrol_second_factor",
            "login",
            "enrol_second_factor",
            "login",
            "open_file",
            "open_file",
            "enrol_second_factor",
            "login"
        ],
        "newest first"
    );
    assert_eq!(page["rows"][0]["user"], "chef");
    assert_eq!(page["rows"][5]["client_name"], "Tolvan Tolvansson");
    assert_eq!(page["rows"][5]["protected_identity"], false);
    assert!(page["rows"][5]["file_id"].is_string());
    // A protected identity is masked in the log too.
    assert_eq!(page["rows"][4]["client_name"], serde_json::Value::Null);
    assert_eq!(page["rows"][4]["protected_identity"], true);
    assert!(!body.contains("Hemlig"), "{body}");

    // By user, by client (name or number), by dates.
    let (_, body) = search(&chef, &server, &[("user", "johan")]).await;
    let page = page_of(&body);
    assert_eq!(page["total"], 2, "{body}");
    assert_eq!(page["rows"][0]["user"], "johan");
    for client in ["tolvansson", "19121212-1212", "121212-1212"] {
        let (_, body) = search(&chef, &server, &[("client", client)]).await;
        let page = page_of(&body);
        assert_eq!(page["total"], 1, "{client}: {body}");
        assert_eq!(page["rows"][0]["action"], "open_file");
    }
    let (_, body) = search(&chef, &server, &[("client", "Ingen Sådan")]).await;
    assert_eq!(page_of(&body)["total"], 0);
    let today = chrono::Utc::now().date_naive();
    let tomorrow = (today + chrono::Duration::days(2)).to_string();
    let long_ago = "2020-01-01";
    let (_, body) = search(&chef, &server, &[("from", &tomorrow)]).await;
    assert_eq!(page_of(&body)["total"], 0, "{body}");
    let (_, body) = search(&chef, &server, &[("from", long_ago), ("to", &tomorrow)]).await;
    assert!(page_of(&body)["total"].as_u64().unwrap() >= 5, "{body}");
    let (_, body) = search(&chef, &server, &[("to", long_ago)]).await;
    assert_eq!(page_of(&body)["total"], 0, "{body}");

    // Bad dates: told next to the field, nothing read.
    let (status, body) = search(&chef, &server, &[("from", "2026-13-01"), ("to", "igår")]).await;
    assert!(status >= 400);
    let error = error_of(&body);
    assert_eq!(error.problem_for("from"), Some(Problem::InvalidDate));
    assert_eq!(error.problem_for("to"), Some(Problem::InvalidDate));

    // Reading the log is logged, with the filters used but never the search text.
    let reviews = access_log::Entity::find()
        .filter(access_log::Column::Action.eq("review_access_log"))
        .all(&db.db)
        .await
        .unwrap();
    assert_eq!(reviews.len(), 9);
    for line in &reviews {
        let detail = line.detail.clone().unwrap_or_default();
        assert!(
            !detail.contains("1212") && !detail.contains("olvan"),
            "{detail}"
        );
    }
    assert!(reviews.iter().all(|l| {
        matches!(
            app::model::log::LogDetail::from_stored(l.detail.as_deref().unwrap_or_default()),
            app::model::log::LogDetail::LogSearch { .. }
        )
    }));

    // Everyone who may appear in the log can be chosen.
    let (_, body) = call(&chef, &server, "/api/access_log/users", &[]).await;
    assert!(body.contains("\"username\":\"johan\""), "{body}");
}

async fn the_log_is_paged_fifty_at_a_time(db: &TestDb) {
    make_user(&db.db, "chef", "manager", PASSWORD).await;
    let chef_id = users::Entity::find().one(&db.db).await.unwrap().unwrap().id;
    for i in 0..70 {
        app::server::access_log::write(
            &db.db,
            app::server::access_log::Entry {
                user_id: Some(chef_id),
                action: app::server::access_log::Action::ListFiles,
                client_id: None,
                case_file_id: None,
                account_id: None,
                detail: Some(&format!("line {i}")),
            },
        )
        .await
        .unwrap();
    }
    let server = TestServer::start(&db.db).await;
    let chef = TestServer::client();
    login(&chef, &server, "chef", PASSWORD).await;
    let (_, body) = search(&chef, &server, &[("page", "0")]).await;
    let first = page_of(&body);
    assert_eq!(first["rows"].as_array().unwrap().len(), 50);
    // The 70 lines, the manager's login and enrolment.
    assert_eq!(first["total"], 72);
    assert_eq!(first["per_page"], 50);
    let (_, body) = search(&chef, &server, &[("page", "1")]).await;
    let second = page_of(&body);
    // The first review was logged in between: one more line, at the top.
    assert_eq!(second["total"], 73);
    let rows = second["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 23);
    assert_eq!(
        rows[22]["detail"],
        serde_json::json!({"k": "text", "text": "line 0"}),
        "the oldest line is last"
    );
}

on_both_backends! {
    staff_and_admin_cannot_read_the_access_log => only_the_manager_reads_the_log;
    manager_reads_the_log_with_names_filters_and_masking => the_manager_reads_names_and_sentences_newest_first;
    access_log_is_paged => the_log_is_paged_fifty_at_a_time;
}
