//! A file's care team: the manager and the contact person change it, others may
//! not, outsiders cannot even see it; every change is logged.

use crate::common::{TestDb, TestServer, call, login, make_user};
use app::error::{AppError, Problem};
use app::server::entities::access_log;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

const PASSWORD: &str = "ett-langt-losenord";

fn error_of(body: &str) -> AppError {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not an AppError ({e}): {body}"))
}

async fn visible_files(client: &reqwest::Client, server: &TestServer) -> u64 {
    let (_, body) = call(client, server, "/api/clients/search", &[("q", "")]).await;
    let page: serde_json::Value = serde_json::from_str(&body).unwrap();
    page["total"].as_u64().unwrap_or_else(|| panic!("{body}"))
}

async fn the_team_is_changed_by_manager_and_contact_person_only(db: &TestDb) {
    for (name, role) in [
        ("anna", "staff"),
        ("johan", "staff"),
        ("omar", "staff"),
        ("chef", "manager"),
        ("admin", "admin"),
    ] {
        make_user(&db.db, name, role, PASSWORD).await;
    }
    let server = TestServer::start(&db.db).await;
    let anna = TestServer::client();
    login(&anna, &server, "anna", PASSWORD).await;
    let (status, body) = call(
        &anna,
        &server,
        "/api/clients/open_file",
        &[
            ("first_name", "Tolvan"),
            ("last_name", "Tolvansson"),
            ("identity_number", "19121212-1212"),
            ("received_on", "2026-11-02"),
            ("secretary_name", "Siv Sekreterare"),
            ("secretary_unit", "Vuxenenheten"),
            ("decision_date", "2026-10-28"),
            ("service_type", "individual_treatment"),
            ("service_granted", "Samtal"),
            ("period_from", "2026-11-09"),
            ("contact_person", "anna"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let file: String = serde_json::from_str(&body).unwrap();

    // The contact person adds a co-worker, who then sees the file.
    let (status, body) = call(
        &anna,
        &server,
        "/api/team/change",
        &[("file", &file), ("change", "add"), ("username", "johan")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let johan = TestServer::client();
    login(&johan, &server, "johan", PASSWORD).await;
    assert_eq!(visible_files(&johan, &server).await, 1);
    let (_, body) = call(&johan, &server, "/api/team/get", &[("file", &file)]).await;
    let team: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(team["contact_person"]["username"], "anna", "{body}");
    assert_eq!(team["co_workers"][0]["username"], "johan");
    assert_eq!(team["may_change"], false);

    // A co-worker may not change the team; the refusal is logged.
    let (status, body) = call(
        &johan,
        &server,
        "/api/team/change",
        &[("file", &file), ("change", "add"), ("username", "omar")],
    )
    .await;
    assert!(status >= 400, "{body}");
    assert_eq!(error_of(&body), AppError::Forbidden);
    let refused = access_log::Entity::find()
        .filter(access_log::Column::Action.eq("refused"))
        .all(&db.db)
        .await
        .unwrap();
    assert_eq!(refused.len(), 1);
    assert!(refused[0].case_file_id.is_some());

    // An outsider cannot tell the file exists; an administrator reads no files.
    let omar = TestServer::client();
    login(&omar, &server, "omar", PASSWORD).await;
    let (_, body) = call(&omar, &server, "/api/team/get", &[("file", &file)]).await;
    assert_eq!(error_of(&body), AppError::NotFound);
    let (_, body) = call(
        &omar,
        &server,
        "/api/team/change",
        &[("file", &file), ("change", "add"), ("username", "omar")],
    )
    .await;
    assert_eq!(error_of(&body), AppError::NotFound);
    let admin = TestServer::client();
    login(&admin, &server, "admin", PASSWORD).await;
    let (_, body) = call(&admin, &server, "/api/team/get", &[("file", &file)]).await;
    assert_eq!(error_of(&body), AppError::Forbidden);

    // The manager makes johan contact person: he leaves the co-workers, anna is no
    // longer on the team and no longer sees the file.
    let chef = TestServer::client();
    login(&chef, &server, "chef", PASSWORD).await;
    let (status, body) = call(
        &chef,
        &server,
        "/api/team/change",
        &[
            ("file", &file),
            ("change", "contact"),
            ("username", "johan"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, body) = call(&chef, &server, "/api/team/get", &[("file", &file)]).await;
    let team: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(team["contact_person"]["username"], "johan", "{body}");
    assert_eq!(team["co_workers"], serde_json::json!([]));
    assert_eq!(team["may_change"], true);
    assert_eq!(visible_files(&anna, &server).await, 0);
    // The manager is not staff: not a possible contact person.
    let (_, body) = call(
        &chef,
        &server,
        "/api/team/change",
        &[("file", &file), ("change", "contact"), ("username", "chef")],
    )
    .await;
    assert_eq!(
        error_of(&body),
        AppError::field("username", Problem::InvalidStaff)
    );
    // The new contact person may change the team.
    let (status, body) = call(
        &johan,
        &server,
        "/api/team/change",
        &[("file", &file), ("change", "add"), ("username", "omar")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = call(
        &johan,
        &server,
        "/api/team/change",
        &[("file", &file), ("change", "remove"), ("username", "omar")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(visible_files(&omar, &server).await, 0);

    use app::model::log::{LogDetail, TeamChange};
    let changes: Vec<LogDetail> = access_log::Entity::find()
        .filter(access_log::Column::Action.eq("change_team"))
        .all(&db.db)
        .await
        .unwrap()
        .into_iter()
        .map(|l| LogDetail::from_stored(&l.detail.unwrap_or_default()))
        .collect();
    let team = |change, person: &str| LogDetail::Team {
        change,
        person: person.to_owned(),
    };
    assert_eq!(
        changes,
        [
            team(TeamChange::Added, "johan"),
            team(TeamChange::ContactPerson, "johan"),
            team(TeamChange::Added, "omar"),
            team(TeamChange::Removed, "omar"),
        ]
    );
}

on_both_backends! {
    care_team_changes_by_manager_and_contact_person => the_team_is_changed_by_manager_and_contact_person_only;
}
