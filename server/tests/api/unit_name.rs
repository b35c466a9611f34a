//! The unit's name: set by the administrator, refused to others and when empty,
//! and given with the session user to every page (which prints it).

use crate::common::{TestDb, TestServer, call, login};
use akta_server::demo::{DEMO_PASSWORD, DEMO_UNIT_NAME, Options, generate};
use app::error::{AppError, Problem};
use app::model::SessionUser;

async fn logged_in(server: &TestServer, username: &str) -> reqwest::Client {
    let client = TestServer::client();
    assert!(
        login(&client, server, username, DEMO_PASSWORD).await < 400,
        "login {username}"
    );
    client
}

async fn me(client: &reqwest::Client, server: &TestServer) -> SessionUser {
    let (status, body) = call(client, server, "/api/current_user", &[]).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str::<Option<SessionUser>>(&body)
        .expect("user")
        .expect("logged in")
}

async fn the_administrator_names_the_unit(db: &TestDb) {
    generate(
        &db.db,
        Options {
            seed: 3,
            clients: 5,
            today: app::server::today(),
        },
    )
    .await
    .expect("demo");
    let server = TestServer::start(&db.db).await;
    let staff = logged_in(&server, "anna").await;
    assert_eq!(
        me(&staff, &server).await.unit_name.as_deref(),
        Some(DEMO_UNIT_NAME)
    );

    // Staff and the manager may not change it.
    for user in ["anna", "chef"] {
        let client = logged_in(&server, user).await;
        let (status, body) = call(
            &client,
            &server,
            "/api/admin/unit_name",
            &[("unit_name", "Annat namn")],
        )
        .await;
        assert_eq!(status, 403, "{user}: {body}");
    }
    let admin = logged_in(&server, "admin").await;
    let (status, body) = call(
        &admin,
        &server,
        "/api/admin/unit_name",
        &[("unit_name", "  ")],
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let error: AppError = serde_json::from_str(&body).expect("error");
    assert_eq!(error.problem_for("unit_name"), Some(Problem::Empty));
    assert_eq!(
        me(&staff, &server).await.unit_name.as_deref(),
        Some(DEMO_UNIT_NAME)
    );

    let (status, body) = call(
        &admin,
        &server,
        "/api/admin/unit_name",
        &[("unit_name", " Behandlingsenheten Källan ")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        me(&staff, &server).await.unit_name.as_deref(),
        Some("Behandlingsenheten Källan")
    );
    // The change is logged, by whom and to what.
    use app::model::log::LogDetail;
    use app::server::entities::access_log;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let admin_id = app::server::entities::users::Entity::find()
        .filter(app::server::entities::users::Column::Username.eq("admin"))
        .one(&db.db)
        .await
        .expect("q")
        .expect("admin")
        .id;
    let names: Vec<(Option<i32>, LogDetail)> = access_log::Entity::find()
        .filter(access_log::Column::Action.eq("change_settings"))
        .all(&db.db)
        .await
        .expect("log")
        .into_iter()
        .map(|l| {
            (
                l.user_id,
                LogDetail::from_stored(l.detail.as_deref().unwrap_or_default()),
            )
        })
        .filter(|(_, d)| matches!(d, LogDetail::UnitName { .. }))
        .collect();
    assert_eq!(
        names,
        vec![(
            Some(admin_id),
            LogDetail::UnitName {
                name: "Behandlingsenheten Källan".to_owned()
            }
        )]
    );
}

on_both_backends! {
    the_administrator_names_the_unit => the_administrator_names_the_unit;
}
