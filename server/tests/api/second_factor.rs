//! Two-step verification (issue 17): enrolment by the page's server functions, the
//! login's code step, codes accepted once, recovery codes once, the per-username
//! throttle counting wrong codes, the requirement by role and unit setting, the
//! administrator's reset, sessions that prove the enrolment, and the log lines.

use crate::common::{
    TestDb, TestServer, call, code_at, enrol, give_code, login, make_user, next_code,
};
use app::error::{AppError, Problem};
use app::model::log::{Factor, LogDetail, RefusalReason};
use app::server::entities::{access_log, recovery_codes, users};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

const PASSWORD: &str = "ett-langt-losenord";

fn error_of(body: &str) -> AppError {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not an AppError ({e}): {body}"))
}

async fn account(db: &TestDb, username: &str) -> users::Model {
    users::Entity::find()
        .filter(users::Column::Username.eq(username))
        .one(&db.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no user {username}"))
}

async fn lines(db: &TestDb, action: &str) -> Vec<access_log::Model> {
    access_log::Entity::find()
        .filter(access_log::Column::Action.eq(action))
        .order_by_asc(access_log::Column::Id)
        .all(&db.db)
        .await
        .unwrap()
}

async fn me(client: &reqwest::Client, server: &TestServer) -> Option<app::model::SessionUser> {
    let (_, body) = call(client, server, "/api/current_user", &[]).await;
    serde_json::from_str(&body).unwrap()
}

async fn password_step(
    client: &reqwest::Client,
    server: &TestServer,
    username: &str,
) -> (u16, String) {
    call(
        client,
        server,
        "/api/login",
        &[("username", username), ("password", PASSWORD)],
    )
    .await
}

/// A manager without a second factor may do nothing but enrol; the enrolment's two
/// steps give the secret, then ten recovery codes; from then on the password alone
/// logs nobody in, a wrong code is a logged failed login at the field, and a code
/// counts once.
async fn a_manager_enrols_and_then_needs_the_code(db: &TestDb) {
    make_user(&db.db, "chef", "manager", PASSWORD).await;
    let server = TestServer::start(&db.db).await;
    let client = TestServer::client();
    let (status, body) = password_step(&client, &server, "chef").await;
    assert_eq!((status, body.as_str()), (200, "\"Done\""));
    assert!(me(&client, &server).await.unwrap().must_enrol);
    let (status, body) = call(&client, &server, "/api/files/open_files", &[("page", "0")]).await;
    assert_eq!(
        (status, error_of(&body)),
        (403, AppError::SecondFactorRequired)
    );
    let refused = lines(db, "refused").await;
    let detail = LogDetail::from_stored(refused[0].detail.as_deref().unwrap());
    assert!(
        matches!(
            detail,
            LogDetail::Refused {
                reason: RefusalReason::SecondFactorRequired,
                ..
            }
        ),
        "{detail:?}"
    );

    // A code before the secret was shown is refused at the field.
    let (status, body) = call(
        &client,
        &server,
        "/api/account/second_factor/confirm",
        &[("code", "123456")],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        error_of(&body),
        AppError::field("code", Problem::EnrolmentRestart)
    );
    // A wrong first code too; nothing is stored.
    let (_, body) = call(&client, &server, "/api/account/second_factor/begin", &[]).await;
    let offer: app::model::SecondFactorOffer = serde_json::from_str(&body).unwrap();
    assert!(offer.qr_svg.starts_with("<?xml") || offer.qr_svg.contains("<svg"));
    let secret = offer.secret.replace(' ', "");
    let now = app::server::now().timestamp() as u64;
    let wrong = ["000000", "111111"]
        .into_iter()
        .find(|c| (0..3).all(|i| code_at(&secret, now - 30 + i * 30) != *c))
        .unwrap();
    let (status, body) = call(
        &client,
        &server,
        "/api/account/second_factor/confirm",
        &[("code", wrong)],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(error_of(&body), AppError::field("code", Problem::CodeWrong));
    assert!(account(db, "chef").await.totp_secret.is_none());

    let codes = enrol(&client, &server, "chef").await;
    assert_eq!(codes.len(), 10);
    let chef = account(db, "chef").await;
    assert!(chef.totp_enrolled_at.is_some() && chef.totp_secret.is_some());
    assert!(
        codes
            .iter()
            .all(|c| chef.totp_secret.as_deref() != Some(c.as_str()))
    );
    let stored = recovery_codes::Entity::find().all(&db.db).await.unwrap();
    assert_eq!(stored.len(), 10);
    assert!(
        stored.iter().all(|r| !codes.contains(&r.code_hash)),
        "hashed"
    );
    let enrolled = lines(db, "enrol_second_factor").await;
    assert_eq!(enrolled.len(), 1);
    assert_eq!(enrolled[0].account_id, Some(chef.id));
    // The enrolling session goes on.
    let (status, _) = call(&client, &server, "/api/files/open_files", &[("page", "0")]).await;
    assert_eq!(status, 200);
    // A second enrolment is not offered (a refusal, logged).
    let refused_before = lines(db, "refused").await.len();
    let (status, _) = call(&client, &server, "/api/account/second_factor/begin", &[]).await;
    assert_eq!(status, 403);
    assert_eq!(lines(db, "refused").await.len(), refused_before + 1);

    // The password alone is not a login any more.
    let other = TestServer::client();
    let (status, body) = password_step(&other, &server, "chef").await;
    assert_eq!((status, body.as_str()), (200, "\"Code\""));
    assert!(me(&other, &server).await.is_none());
    let (status, _) = call(&other, &server, "/api/files/open_files", &[("page", "0")]).await;
    assert_eq!(status, 401);
    let (status, body) = call(&other, &server, "/api/login/code", &[("code", wrong)]).await;
    assert_eq!(status, 400);
    assert_eq!(error_of(&body), AppError::field("code", Problem::CodeWrong));
    let failed = lines(db, "login_failed").await;
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].account_id, Some(chef.id));
    assert_eq!(
        LogDetail::from_stored(failed[0].detail.as_deref().unwrap()),
        LogDetail::SecondFactorFailed
    );
    let code = next_code(&server, "chef").await;
    let (status, _) = call(&other, &server, "/api/login/code", &[("code", &code)]).await;
    assert_eq!(status, 200);
    assert_eq!(me(&other, &server).await.unwrap().username, "chef");
    let logins = lines(db, "login").await;
    assert_eq!(
        LogDetail::from_stored(logins.last().unwrap().detail.as_deref().unwrap()),
        LogDetail::LoginFactor {
            factor: Factor::App
        }
    );

    // The same code once more: refused, however right it is.
    let third = TestServer::client();
    password_step(&third, &server, "chef").await;
    let (status, body) = call(&third, &server, "/api/login/code", &[("code", &code)]).await;
    assert_eq!(status, 400, "a code counts once: {body}");
    assert!(me(&third, &server).await.is_none());
}

/// A recovery code logs in once, and the log says how many are left.
async fn a_recovery_code_works_once(db: &TestDb) {
    make_user(&db.db, "anna", "staff", PASSWORD).await;
    let server = TestServer::start(&db.db).await;
    let client = TestServer::client();
    password_step(&client, &server, "anna").await;
    let codes = enrol(&client, &server, "anna").await;

    let phone_lost = TestServer::client();
    password_step(&phone_lost, &server, "anna").await;
    let spaced = codes[3].to_uppercase().replace('-', " ");
    let (status, body) = call(
        &phone_lost,
        &server,
        "/api/login/code",
        &[("code", &spaced)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let logins = lines(db, "login").await;
    assert_eq!(
        LogDetail::from_stored(logins.last().unwrap().detail.as_deref().unwrap()),
        LogDetail::LoginFactor {
            factor: Factor::RecoveryCode { left: 9 }
        }
    );
    let (_, body) = call(&phone_lost, &server, "/api/account/second_factor", &[]).await;
    let state: app::model::SecondFactorState = serde_json::from_str(&body).unwrap();
    assert_eq!(state.recovery_codes_left, 9);
    assert!(state.enrolled_on.is_some() && state.required);

    let again = TestServer::client();
    password_step(&again, &server, "anna").await;
    let (status, body) = call(&again, &server, "/api/login/code", &[("code", &codes[3])]).await;
    assert_eq!(status, 400);
    assert_eq!(error_of(&body), AppError::field("code", Problem::CodeWrong));
}

/// Wrong codes count like wrong passwords, and a right password does not reset the
/// count: after the throttle's limit the account waits, code or not.
async fn wrong_codes_are_throttled(db: &TestDb) {
    make_user(&db.db, "anna", "staff", PASSWORD).await;
    let server = TestServer::start(&db.db).await;
    let client = TestServer::client();
    password_step(&client, &server, "anna").await;
    enrol(&client, &server, "anna").await;
    let secret = account(db, "anna").await.totp_secret.unwrap();
    let now = app::server::now().timestamp() as u64;
    let wrong: Vec<String> = (0..1000)
        .map(|n| format!("{:06}", 100_000 + n * 7))
        .filter(|c| (0..3).all(|i| code_at(&secret, now - 30 + i * 30) != *c))
        .take(12)
        .collect();
    // Five wrong codes are free; the sixth makes the account wait.
    for (n, code) in wrong.iter().enumerate() {
        let attacker = TestServer::client();
        let (status, body) = password_step(&attacker, &server, "anna").await;
        if n < 6 {
            assert_eq!(status, 200, "attempt {n}: {body}");
        } else {
            assert_eq!(status, 429, "attempt {n}: {body}");
            assert!(matches!(error_of(&body), AppError::LoginThrottled { .. }));
            break;
        }
        let (status, body) = call(&attacker, &server, "/api/login/code", &[("code", code)]).await;
        assert_eq!(status, 400, "attempt {n}: {body}");
    }
    assert_eq!(lines(db, "login_failed").await.len(), 6);
    assert_eq!(lines(db, "login_throttled").await.len(), 1);
}

/// Staff need a second factor unless the administrator turns it off; a manager always
/// does. The setting is logged.
async fn the_unit_decides_for_staff(db: &TestDb) {
    make_user(&db.db, "admin", "admin", PASSWORD).await;
    make_user(&db.db, "anna", "staff", PASSWORD).await;
    make_user(&db.db, "chef", "manager", PASSWORD).await;
    let server = TestServer::start(&db.db).await;
    let admin = TestServer::client();
    login(&admin, &server, "admin", PASSWORD).await;
    let (_, body) = call(&admin, &server, "/api/admin/login_settings", &[]).await;
    assert_eq!(body, r#"{"staff_second_factor":true}"#);
    let (status, _) = call(
        &admin,
        &server,
        "/api/admin/staff_second_factor",
        &[("required", "false")],
    )
    .await;
    assert_eq!(status, 200);
    let settings = lines(db, "change_settings").await;
    assert_eq!(
        LogDetail::from_stored(settings[0].detail.as_deref().unwrap()),
        LogDetail::StaffSecondFactor { required: false }
    );

    let anna = TestServer::client();
    password_step(&anna, &server, "anna").await;
    assert!(!me(&anna, &server).await.unwrap().must_enrol);
    let (status, _) = call(&anna, &server, "/api/files/open_files", &[("page", "0")]).await;
    assert_eq!(status, 200);
    let chef = TestServer::client();
    password_step(&chef, &server, "chef").await;
    assert!(me(&chef, &server).await.unwrap().must_enrol);

    // On again: staff without one are stopped at their next request.
    call(
        &admin,
        &server,
        "/api/admin/staff_second_factor",
        &[("required", "true")],
    )
    .await;
    let (status, body) = call(&anna, &server, "/api/files/open_files", &[("page", "0")]).await;
    assert_eq!(
        (status, error_of(&body)),
        (403, AppError::SecondFactorRequired)
    );
    // Staff may not change it.
    let (status, _) = call(
        &anna,
        &server,
        "/api/admin/staff_second_factor",
        &[("required", "false")],
    )
    .await;
    assert_eq!(status, 403);
}

/// The administrator's reset (a lost phone): logged naming the account; the owner's
/// sessions that proved the old enrolment must enrol anew; after a new enrolment
/// elsewhere, a session that proved nothing of it is logged out.
async fn an_administrators_reset_leads_to_a_new_enrolment(db: &TestDb) {
    make_user(&db.db, "admin", "admin", PASSWORD).await;
    make_user(&db.db, "chef", "manager", PASSWORD).await;
    let server = TestServer::start(&db.db).await;
    let chef = TestServer::client();
    password_step(&chef, &server, "chef").await;
    enrol(&chef, &server, "chef").await;
    let admin = TestServer::client();
    assert_eq!(login(&admin, &server, "admin", PASSWORD).await, 200);
    // Not one's own.
    let (_, body) = call(
        &admin,
        &server,
        "/api/admin/reset_second_factor",
        &[("username", "admin")],
    )
    .await;
    assert_eq!(
        error_of(&body),
        AppError::field("username", Problem::OwnAccount)
    );
    let (status, body) = call(
        &admin,
        &server,
        "/api/admin/reset_second_factor",
        &[("username", "chef")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let chef_id = account(db, "chef").await.id;
    let reset = lines(db, "reset_second_factor").await;
    assert_eq!(reset.len(), 1);
    assert_eq!(reset[0].account_id, Some(chef_id));
    assert_eq!(
        recovery_codes::Entity::find()
            .filter(recovery_codes::Column::UserId.eq(chef_id))
            .count(&db.db)
            .await
            .unwrap(),
        0
    );
    let (_, body) = call(&admin, &server, "/api/admin/list_users", &[]).await;
    let rows: Vec<app::model::UserRow> = serde_json::from_str(&body).unwrap();
    assert!(
        !rows
            .iter()
            .find(|r| r.username == "chef")
            .unwrap()
            .second_factor
    );

    // The old session: logged in, but only to enrol again.
    let old = me(&chef, &server).await.expect("still logged in");
    assert!(old.must_enrol);
    let (status, _) = call(&chef, &server, "/api/files/open_files", &[("page", "0")]).await;
    assert_eq!(status, 403);
    // The next login's password leads to the enrolment, not to a code.
    let fresh = TestServer::client();
    let (_, body) = password_step(&fresh, &server, "chef").await;
    assert_eq!(body, "\"Done\"");
    enrol(&fresh, &server, "chef").await;
    // The old session proved nothing of the new enrolment: it is over.
    assert!(me(&chef, &server).await.is_none());
    assert!(me(&fresh, &server).await.is_some());
    let (status, _) = give_code(&TestServer::client(), &server, "chef").await;
    assert_eq!(status, 401, "a code without the password is no login");
}

on_both_backends! {
    enrol_then_code => a_manager_enrols_and_then_needs_the_code;
    recovery_code_once => a_recovery_code_works_once;
    wrong_codes_throttled => wrong_codes_are_throttled;
    staff_requirement_is_the_units => the_unit_decides_for_staff;
    reset_second_factor => an_administrators_reset_leads_to_a_new_enrolment;
}
