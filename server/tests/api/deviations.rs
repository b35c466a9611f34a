//! The deviation register through the real server and database: raising from known
//! facts (and again, changing nothing), closing with reason and actions or the action
//! taken (and refusing without them, storing nothing), need-to-know, and culling.

use crate::common::{TestDb, TestServer, call, login, make_user};
use app::error::{AppError, Problem};
use app::model::deviations::{DeviationRegister, DeviationView};
use app::server::entities::{
    access_log, assignments, case_files, clients, deviations, follow_ups, journal_entries,
    plan_versions, users,
};
use chrono::{Duration, NaiveDate};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, PaginatorTrait,
    QueryFilter,
};
use std::collections::BTreeSet;

pub(crate) const PASSWORD: &str = "ett-langt-losenord";

fn error_of(body: &str) -> AppError {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not an AppError ({e}): {body}"))
}

pub(crate) fn today() -> NaiveDate {
    app::server::today()
}

pub(crate) fn days(n: i64) -> NaiveDate {
    today() + Duration::days(n)
}

pub(crate) async fn user_id(db: &TestDb, username: &str) -> i32 {
    users::Entity::find()
        .filter(users::Column::Username.eq(username))
        .one(&db.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// A client with an open file started on `start`; returns (database id, public id).
pub(crate) async fn make_file(
    db: &TestDb,
    n: u32,
    contact: i32,
    start: NaiveDate,
) -> (i32, String) {
    let now = app::server::now();
    let client = clients::ActiveModel {
        public_id: Set(format!("client{n}")),
        first_name: Set(format!("Klient{n}")),
        last_name: Set("Testsson".to_owned()),
        identity_number: Set(format!("19800101-{n:04}")),
        birth_date: Set(NaiveDate::from_ymd_opt(1980, 1, 1).unwrap()),
        protected_identity: Set(n == 2),
        phone: Set(None),
        email: Set(None),
        address: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&db.db)
    .await
    .unwrap();
    let assignment = assignments::ActiveModel {
        client_id: Set(client.id),
        received_on: Set(start - Duration::days(3)),
        secretary_name: Set("Siv Sekreterare".to_owned()),
        secretary_unit: Set("Vuxenenheten".to_owned()),
        secretary_phone: Set(None),
        secretary_email: Set(None),
        decision_date: Set(start - Duration::days(5)),
        service_type: Set("individual_treatment".to_owned()),
        service_granted: Set("Samtal".to_owned()),
        period_from: Set(start),
        period_to: Set(None),
        first_follow_up: Set(start + Duration::days(28)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&db.db)
    .await
    .unwrap();
    let public = format!("file{n:04}aaaa");
    let file = case_files::ActiveModel {
        public_id: Set(public.clone()),
        client_id: Set(client.id),
        assignment_id: Set(assignment.id),
        contact_person_id: Set(contact),
        started_on: Set(start),
        closed_on: Set(None),
        close_reason: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&db.db)
    .await
    .unwrap();
    (file.id, public)
}

pub(crate) async fn entry(
    db: &TestDb,
    file: i32,
    author: i32,
    on: NaiveDate,
    category: &str,
    status: &str,
) {
    let now = app::server::now();
    journal_entries::ActiveModel {
        public_id: Set(format!("e{file}x{}{category}", on.format("%Y%m%d"))),
        case_file_id: Set(file),
        author_id: Set(author),
        event_date: Set(on),
        category: Set(category.to_owned()),
        body: Set("Klienten uteblev från gruppen.".to_owned()),
        status: Set(status.to_owned()),
        // Signed on the day it tells of (the weekly rule counts the signing day).
        signed_at: Set((status == "signed").then(|| signed_on(on))),
        corrects_id: Set(None),
        correction_reason: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&db.db)
    .await
    .unwrap();
}

/// Noon in Sweden on `day`, as stored.
fn signed_on(day: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    day.and_hms_opt(11, 0, 0).expect("time").and_utc()
}

/// The due days (Sundays) of the weekly deviations the rule gives a file of the fixture
/// today: runs of whole Monday–Sunday weeks without a signing (`akta_domain` decides;
/// this only asks it, so the fixture's counts hold on every weekday).
fn weekly_silences(
    start: NaiveDate,
    signed: &[NaiveDate],
    closed: Option<NaiveDate>,
) -> Vec<NaiveDate> {
    use akta_domain::deadlines::{Duty, FileFacts, ServiceType};
    let mut facts = FileFacts::new(start, ServiceType::IndividualTreatment);
    facts.closed = closed;
    facts.signing_days = signed.to_vec();
    akta_domain::deviations::missed_deadlines(&facts, today())
        .into_iter()
        .filter(|m| m.duty == Duty::WeeklyEntry)
        .map(|m| m.due)
        .collect()
}

/// The monthly duties (review, report, goal dialogue) the rule raises for a file of the
/// fixture today, with none of them done (again `akta_domain` decides, so the fixture
/// holds on every day of the month).
fn monthly_misses(
    start: NaiveDate,
    plan_signed: Option<NaiveDate>,
    closed: Option<NaiveDate>,
) -> Vec<(&'static str, NaiveDate)> {
    use akta_domain::deadlines::{FileFacts, ServiceType};
    let mut facts = FileFacts::new(start, ServiceType::IndividualTreatment);
    facts.closed = closed;
    facts.plan_signed = plan_signed;
    akta_domain::deviations::missed_deadlines(&facts, today())
        .into_iter()
        .filter(|m| m.duty.month().is_some())
        .map(|m| (m.duty.key(), m.due))
        .collect()
}

pub(crate) async fn signed_plan(db: &TestDb, file: i32, author: i32, on: NaiveDate) {
    plan_versions::ActiveModel {
        case_file_id: Set(file),
        version_no: Set(1),
        valid_from: Set(on),
        client_view: Set("Klienten vill.".to_owned()),
        client_signed_on: Set(Some(on)),
        client_signed_how: Set(Some("in_person".to_owned())),
        created_by: Set(author),
        copy_to_client_on: Set(None),
        copy_to_contact_on: Set(None),
        copy_to_secretary_on: Set(None),
        revision_reason: Set(None),
        created_at: Set(app::server::now()),
        ..Default::default()
    }
    .insert(&db.db)
    .await
    .unwrap();
}

async fn close_file(db: &TestDb, file: i32, on: NaiveDate) {
    let mut model: case_files::ActiveModel = case_files::Entity::find_by_id(file)
        .one(&db.db)
        .await
        .unwrap()
        .unwrap()
        .into();
    model.closed_on = Set(Some(on));
    model.close_reason = Set(Some("completed".to_owned()));
    model.update(&db.db).await.unwrap();
}

struct Unit {
    server: TestServer,
    anna: i32,
    /// Anna's: started 20 days ago, no plan, one entry 10 days ago.
    late: (i32, String),
    /// Johan's (protected identity): plan on time, weekly entries, a deviation entry.
    on_time: (i32, String),
    /// Anna's, closed 100 days ago, nothing done in it.
    closed: (i32, String),
}

async fn unit(db: &TestDb) -> Unit {
    for (name, role) in [
        ("anna", "staff"),
        ("johan", "staff"),
        ("chef", "manager"),
        ("admin", "admin"),
    ] {
        make_user(&db.db, name, role, PASSWORD).await;
    }
    let anna = user_id(db, "anna").await;
    let johan = user_id(db, "johan").await;
    let late = make_file(db, 1, anna, days(-20)).await;
    entry(db, late.0, anna, days(-10), "weekly_note", "signed").await;
    let on_time = make_file(db, 2, johan, days(-26)).await;
    signed_plan(db, on_time.0, johan, days(-20)).await;
    for d in [-22, -15, -1] {
        entry(db, on_time.0, johan, days(d), "weekly_note", "signed").await;
    }
    entry(db, on_time.0, johan, days(-8), "deviation", "signed").await;
    // A draft is not yet a deviation: only signed entries are.
    entry(db, on_time.0, johan, days(-2), "deviation", "draft").await;
    let closed = make_file(db, 3, anna, days(-200)).await;
    close_file(db, closed.0, days(-100)).await;
    Unit {
        server: TestServer::start(&db.db).await,
        anna,
        late,
        on_time,
        closed,
    }
}

pub(crate) async fn keys(db: &TestDb) -> BTreeSet<(i32, String, Option<String>, NaiveDate)> {
    deviations::Entity::find()
        .all(&db.db)
        .await
        .unwrap()
        .into_iter()
        .map(|d| (d.case_file_id, d.kind, d.duty, d.due_on))
        .collect()
}

async fn raising_is_idempotent_and_follows_the_deadlines(db: &TestDb) {
    let u = unit(db).await;
    let raised = app::server::deviations::raise(&db.db, today(), Condition::all())
        .await
        .unwrap();
    let unit_row = |file: i32, duty: &str, due: NaiveDate| {
        (file, "unit".to_owned(), Some(duty.to_owned()), due)
    };
    // Twenty days with one entry in the middle hold at least one whole silent week; the
    // closed file's silence is one run, from its first whole week.
    let late_weeks = weekly_silences(days(-20), &[days(-10)], None);
    assert!(!late_weeks.is_empty());
    let closed_weeks = weekly_silences(days(-200), &[], Some(days(-100)));
    assert_eq!(closed_weeks.len(), 1);
    assert!(closed_weeks[0] >= days(-200 + 6) && closed_weeks[0] <= days(-200 + 13));
    let mut expected: BTreeSet<_> = [
        // No plan within 14 days of the start.
        unit_row(u.late.0, "plan", days(-6)),
        // The client's departure from the plan, from the signed entry (not the draft).
        (u.on_time.0, "client".to_owned(), None, days(-8)),
        // The closed file missed its plan, its first follow-up and the whole journal
        // before it closed; nothing after the closing.
        unit_row(u.closed.0, "plan", days(-186)),
        unit_row(u.closed.0, "first_follow_up", days(-172)),
    ]
    .into_iter()
    .collect();
    for due in late_weeks {
        expected.insert(unit_row(u.late.0, "weekly_entry", due));
    }
    for due in closed_weeks {
        expected.insert(unit_row(u.closed.0, "weekly_entry", due));
    }
    // The monthly duties: none is done in the fixture. The closed file (no plan) owes
    // its reviews of the months it was open, by the 10th of each next month.
    let closed_months = monthly_misses(days(-200), None, Some(days(-100)));
    assert!(closed_months.len() >= 3, "{closed_months:?}");
    assert!(
        closed_months
            .iter()
            .all(|(duty, _)| *duty == "monthly_review")
    );
    for (file, months) in [
        (u.late.0, monthly_misses(days(-20), None, None)),
        (
            u.on_time.0,
            monthly_misses(days(-26), Some(days(-20)), None),
        ),
        (u.closed.0, closed_months),
    ] {
        for (duty, due) in months {
            expected.insert(unit_row(file, duty, due));
        }
    }
    assert_eq!(keys(db).await, expected);
    assert_eq!(raised, expected.len() as u64);
    let client_row = deviations::Entity::find()
        .filter(deviations::Column::Kind.eq("client"))
        .one(&db.db)
        .await
        .unwrap()
        .unwrap();
    let entry_id = journal_entries::Entity::find()
        .filter(journal_entries::Column::Category.eq("deviation"))
        .filter(journal_entries::Column::Status.eq("signed"))
        .one(&db.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    assert_eq!(client_row.journal_entry_id, Some(entry_id));
    assert!(
        deviations::Entity::find()
            .all(&db.db)
            .await
            .unwrap()
            .iter()
            .all(|d| d.status == "open")
    );

    // Again, as another instance or the next hour would: nothing new.
    let again = app::server::deviations::raise(&db.db, today(), Condition::all())
        .await
        .unwrap();
    assert_eq!(again, 0);
    assert_eq!(keys(db).await, expected);

    // The entry that ends a silence does not move the silence's key; a new silence is new.
    entry(db, u.late.0, u.anna, days(0), "weekly_note", "signed").await;
    assert_eq!(
        app::server::deviations::raise(&db.db, today(), Condition::all())
            .await
            .unwrap(),
        0
    );
    // Raising for one staff member's files only touches those files.
    entry(db, u.on_time.0, u.anna, days(-1), "deviation", "signed").await;
    let anna = users::Entity::find_by_id(u.anna)
        .one(&db.db)
        .await
        .unwrap()
        .unwrap();
    let anna = app::server::guard::CurrentUser {
        id: anna.id,
        username: anna.username,
        display_name: anna.display_name,
        role: akta_domain::Role::Staff,
        must_change_password: false,
        must_enrol: false,
    };
    let scope = app::server::files::visible_to(&anna);
    assert_eq!(
        app::server::deviations::raise(&db.db, today(), scope)
            .await
            .unwrap(),
        0,
        "Johan's file is not Anna's"
    );
    assert_eq!(
        app::server::deviations::raise(&db.db, today(), Condition::all())
            .await
            .unwrap(),
        1
    );
}

async fn logged_in(server: &TestServer, username: &str) -> reqwest::Client {
    let client = TestServer::client();
    assert_eq!(login(&client, server, username, PASSWORD).await, 200);
    client
}

async fn register(
    client: &reqwest::Client,
    server: &TestServer,
    status: &str,
    kind: &str,
) -> DeviationRegister {
    let (code, body) = call(
        client,
        server,
        "/api/deviations/register",
        &[("status", status), ("kind", kind), ("page", "0")],
    )
    .await;
    assert_eq!(code, 200, "{body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

async fn the_register_shows_each_user_the_deviations_they_may_see(db: &TestDb) {
    let u = unit(db).await;
    let server = &u.server;

    // Opening the register raises what is missing: Anna sees her two files' deviations
    // (the late file's plan and silent weeks; the closed file's plan, first follow-up
    // and one silence).
    // And the monthly duties of the months that have passed (none is done here).
    let months = |start, plan, closed| -> BTreeSet<(&'static str, NaiveDate)> {
        monthly_misses(start, plan, closed).into_iter().collect()
    };
    let anna_monthly = months(days(-20), None, None).len() as u64
        + months(days(-200), None, Some(days(-100))).len() as u64;
    let johan_monthly = months(days(-26), Some(days(-20)), None).len() as u64;
    let anna_unit =
        1 + weekly_silences(days(-20), &[days(-10)], None).len() as u64 + 3 + anna_monthly;
    let anna = logged_in(server, "anna").await;
    let r = register(&anna, server, "open", "").await;
    assert!(r.summary.is_none(), "the overview is the manager's");
    assert_eq!(r.page.total, anna_unit);
    let files: BTreeSet<&str> = r.page.rows.iter().map(|d| d.file_id.as_str()).collect();
    assert_eq!(
        files,
        [u.late.1.as_str(), u.closed.1.as_str()]
            .into_iter()
            .collect()
    );
    let dates: Vec<NaiveDate> = r.page.rows.iter().map(|d| d.due_on).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");
    assert!(r.page.rows.iter().all(|d| d.client_name.is_some()));
    let only_unit = register(&anna, server, "all", "unit").await;
    assert_eq!(only_unit.page.total, anna_unit);
    assert_eq!(register(&anna, server, "closed", "").await.page.total, 0);
    // A list of client names is a read: logged, one line per file shown (two files
    // twice, then none).
    let listed = access_log::Entity::find()
        .filter(access_log::Column::UserId.eq(u.anna))
        .filter(access_log::Column::Action.eq("list_files"))
        .count(&db.db)
        .await
        .unwrap();
    assert_eq!(listed, 4);

    // The manager sees the unit, with the protected client masked, and the overview.
    let chef = logged_in(server, "chef").await;
    let r = register(&chef, server, "open", "").await;
    assert_eq!(r.page.total, anna_unit + johan_monthly + 1);
    let protected = r
        .page
        .rows
        .iter()
        .find(|d| d.file_id == u.on_time.1 && d.kind == "client")
        .expect("johan's client deviation");
    assert_eq!(protected.kind, "client");
    assert!(protected.protected_identity && protected.client_name.is_none());
    let summary = r.summary.expect("manager's overview");
    let count = |kind: &str| {
        summary
            .counts
            .iter()
            .find(|c| c.kind == kind)
            .map(|c| (c.open, c.closed))
    };
    assert_eq!(count("unit"), Some((anna_unit + johan_monthly, 0)));
    assert_eq!(count("client"), Some((1, 0)));
    assert_eq!(summary.trend.len(), 12);
    assert_eq!(
        summary.trend.last().map(|m| m.month.clone()),
        Some(today().format("%Y-%m").to_string())
    );
    // The closed file's misses (about 6 months ago) are inside the 12 months.
    let in_trend: u64 = summary.trend.iter().map(|m| m.unit + m.client).sum();
    assert_eq!(in_trend, anna_unit + johan_monthly + 1);

    // Paging: 25 a page; a page past the end is empty, not an error.
    let (code, body) = call(
        &chef,
        server,
        "/api/deviations/register",
        &[("status", "all"), ("kind", ""), ("page", "3")],
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let past: DeviationRegister = serde_json::from_str(&body).unwrap();
    assert!(past.page.rows.is_empty());
    // One file's deviations.
    let (code, body) = call(
        &chef,
        server,
        "/api/deviations/register",
        &[
            ("status", "all"),
            ("kind", ""),
            ("file", u.closed.1.as_str()),
            ("page", "0"),
        ],
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let one: DeviationRegister = serde_json::from_str(&body).unwrap();
    assert_eq!(
        one.page.total,
        3 + months(days(-200), None, Some(days(-100))).len() as u64
    );

    // Administrators read no files, not even the register.
    let admin = logged_in(server, "admin").await;
    let (code, body) = call(
        &admin,
        server,
        "/api/deviations/register",
        &[("status", "open"), ("kind", ""), ("page", "0")],
    )
    .await;
    assert!(code >= 400, "{body}");
    assert_eq!(error_of(&body), AppError::Forbidden);
}

async fn public_id_of(db: &TestDb, file: i32, duty: Option<&str>) -> String {
    let mut query = deviations::Entity::find().filter(deviations::Column::CaseFileId.eq(file));
    query = match duty {
        Some(duty) => query.filter(deviations::Column::Duty.eq(duty)),
        None => query.filter(deviations::Column::Kind.eq("client")),
    };
    query.one(&db.db).await.unwrap().unwrap().public_id
}

async fn stored(db: &TestDb, public_id: &str) -> deviations::Model {
    deviations::Entity::find()
        .filter(deviations::Column::PublicId.eq(public_id))
        .one(&db.db)
        .await
        .unwrap()
        .unwrap()
}

async fn closing_needs_reason_and_actions_and_stores_nothing_half_way(db: &TestDb) {
    let u = unit(db).await;
    let server = &u.server;
    app::server::deviations::raise(&db.db, today(), Condition::all())
        .await
        .unwrap();
    let plan = public_id_of(db, u.late.0, Some("plan")).await;
    let anna = logged_in(server, "anna").await;
    let close = |reason: &'static str, actions: String| {
        let anna = anna.clone();
        let plan = plan.clone();
        async move {
            call(
                &anna,
                server,
                "/api/deviations/close_unit",
                &[
                    ("deviation", plan.as_str()),
                    ("reason", reason),
                    ("actions", actions.as_str()),
                ],
            )
            .await
        }
    };

    // Both missing (blank is missing): both fields named, nothing stored.
    let (code, body) = close("  ", "\n".to_owned()).await;
    assert!(code >= 400, "{body}");
    let error = error_of(&body);
    assert_eq!(error.problem_for("reason"), Some(Problem::Empty));
    assert_eq!(error.problem_for("actions"), Some(Problem::Empty));
    // A reason without actions, and actions that are too long.
    let (_, body) = close("Sjukskrivning", String::new()).await;
    let error = error_of(&body);
    assert_eq!(error.problem_for("reason"), None);
    assert_eq!(error.problem_for("actions"), Some(Problem::Empty));
    let (_, body) = close("Sjukskrivning", "x".repeat(2001)).await;
    assert_eq!(
        error_of(&body).problem_for("actions"),
        Some(Problem::TooLong { max: 2000 })
    );
    let row = stored(db, &plan).await;
    assert_eq!(row.status, "open");
    assert_eq!((row.reason, row.actions, row.closed_by), (None, None, None));

    // The form of the other kind does not close it.
    let (code, body) = call(
        &anna,
        server,
        "/api/deviations/close_client",
        &[("deviation", plan.as_str()), ("action_taken", "Samtal")],
    )
    .await;
    assert!(code >= 400, "{body}");
    assert_eq!(error_of(&body), AppError::NotFound);
    assert_eq!(stored(db, &plan).await.status, "open");

    // With both: closed, trimmed, by Anna; logged as a change in the file.
    let (code, body) = close(
        " Huvudbehandlaren var sjuk. ",
        "Ersättare utses vid frånvaro.".to_owned(),
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let row = stored(db, &plan).await;
    assert_eq!(row.status, "closed");
    assert_eq!(row.reason.as_deref(), Some("Huvudbehandlaren var sjuk."));
    assert_eq!(
        row.actions.as_deref(),
        Some("Ersättare utses vid frånvaro.")
    );
    assert_eq!(row.closed_by, Some(u.anna));
    assert!(row.closed_at.is_some());
    let logged = access_log::Entity::find()
        .filter(access_log::Column::Action.eq("close_deviation"))
        .filter(access_log::Column::CaseFileId.eq(u.late.0))
        .filter(access_log::Column::UserId.eq(u.anna))
        .count(&db.db)
        .await
        .unwrap();
    assert_eq!(logged, 1);

    // Closed once: a second closing is refused and changes nothing.
    let (code, body) = close("Annat skäl", "Annan åtgärd".to_owned()).await;
    assert!(code >= 400, "{body}");
    assert_eq!(error_of(&body), AppError::DeviationClosed);
    assert_eq!(
        stored(db, &plan).await.reason.as_deref(),
        Some("Huvudbehandlaren var sjuk.")
    );

    // The view shows what was recorded; the register lists it as closed.
    let (code, body) = call(
        &anna,
        server,
        "/api/deviations/view",
        &[("deviation", plan.as_str())],
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let view: DeviationView = serde_json::from_str(&body).unwrap();
    assert!(!view.row.open && !view.may_close);
    assert_eq!(view.closed_by.as_deref(), Some("anna"));
    assert_eq!(
        view.actions.as_deref(),
        Some("Ersättare utses vid frånvaro.")
    );
    let closed = register(&anna, server, "closed", "").await;
    assert_eq!(closed.page.total, 1);
    assert_eq!(closed.page.rows[0].deviation_id, plan);

    // A deviation of a closed file can still be closed: the register is the unit's record.
    let old = public_id_of(db, u.closed.0, Some("first_follow_up")).await;
    let (code, body) = call(
        &anna,
        server,
        "/api/deviations/close_unit",
        &[
            ("deviation", old.as_str()),
            ("reason", "Klienten avbröt innan uppföljningen."),
            ("actions", "Uppföljningen bokas redan vid inskrivningen."),
        ],
    )
    .await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(stored(db, &old).await.status, "closed");

    // The client's deviation is closed with the action taken (Johan's file).
    let client_dev = public_id_of(db, u.on_time.0, None).await;
    let johan = logged_in(server, "johan").await;
    let (code, body) = call(
        &johan,
        server,
        "/api/deviations/close_client",
        &[("deviation", client_dev.as_str()), ("action_taken", " ")],
    )
    .await;
    assert!(code >= 400, "{body}");
    assert_eq!(
        error_of(&body).problem_for("action_taken"),
        Some(Problem::Empty)
    );
    assert_eq!(stored(db, &client_dev).await.status, "open");
    let (code, body) = call(
        &johan,
        server,
        "/api/deviations/close_client",
        &[
            ("deviation", client_dev.as_str()),
            ("action_taken", "Samtal med klienten; nytt möte bokat."),
        ],
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let row = stored(db, &client_dev).await;
    assert_eq!(
        (row.status.as_str(), row.action_taken.as_deref()),
        ("closed", Some("Samtal med klienten; nytt möte bokat."))
    );
}

async fn staff_cannot_reach_other_files_deviations(db: &TestDb) {
    let u = unit(db).await;
    let server = &u.server;
    app::server::deviations::raise(&db.db, today(), Condition::all())
        .await
        .unwrap();
    let johans = public_id_of(db, u.on_time.0, None).await;
    let annas = public_id_of(db, u.late.0, Some("plan")).await;

    // Anna may not see Johan's file: its deviation does not exist for her.
    let anna = logged_in(server, "anna").await;
    let (code, body) = call(
        &anna,
        server,
        "/api/deviations/view",
        &[("deviation", johans.as_str())],
    )
    .await;
    assert!(code >= 400, "{body}");
    assert_eq!(error_of(&body), AppError::NotFound);
    let (_, body) = call(
        &anna,
        server,
        "/api/deviations/close_client",
        &[("deviation", johans.as_str()), ("action_taken", "Samtal")],
    )
    .await;
    assert_eq!(error_of(&body), AppError::NotFound);
    assert_eq!(stored(db, &johans).await.status, "open");

    // The manager may read and close any deviation of the unit; reading is logged.
    let chef = logged_in(server, "chef").await;
    let (code, body) = call(
        &chef,
        server,
        "/api/deviations/view",
        &[("deviation", annas.as_str())],
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let view: DeviationView = serde_json::from_str(&body).unwrap();
    assert!(view.may_close);
    assert_eq!(view.row.duty.as_deref(), Some("plan"));
    let read = access_log::Entity::find()
        .filter(access_log::Column::Action.eq("read_deviation"))
        .filter(access_log::Column::CaseFileId.eq(u.late.0))
        .count(&db.db)
        .await
        .unwrap();
    assert_eq!(read, 1);
    let (code, body) = call(
        &chef,
        server,
        "/api/deviations/view",
        &[("deviation", johans.as_str())],
    )
    .await;
    assert_eq!(code, 200, "{body}");
    let view: DeviationView = serde_json::from_str(&body).unwrap();
    assert_eq!(
        view.entry_text.as_deref(),
        Some("Klienten uteblev från gruppen.")
    );

    // Administrators are refused at the door.
    let admin = logged_in(server, "admin").await;
    for (path, form) in [
        ("/api/deviations/view", vec![("deviation", annas.as_str())]),
        (
            "/api/deviations/close_unit",
            vec![
                ("deviation", annas.as_str()),
                ("reason", "x"),
                ("actions", "y"),
            ],
        ),
    ] {
        let (code, body) = call(&admin, server, path, &form).await;
        assert!(code >= 400, "{body}");
        assert_eq!(error_of(&body), AppError::Forbidden);
    }
    assert_eq!(stored(db, &annas).await.status, "open");
}

async fn culling_takes_a_files_deviations_with_it(db: &TestDb) {
    let u = unit(db).await;
    // A file closed six years ago, with a deviation of each kind in the register.
    let (old, _) = make_file(db, 7, u.anna, days(-2400)).await;
    entry(db, old, u.anna, days(-2390), "deviation", "signed").await;
    close_file(db, old, days(-2200)).await;
    let entry_id = journal_entries::Entity::find()
        .filter(journal_entries::Column::CaseFileId.eq(old))
        .one(&db.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    for (kind, duty, entry) in [
        ("unit", Some("plan".to_owned()), None),
        ("client", None, Some(entry_id)),
    ] {
        deviations::ActiveModel {
            public_id: Set(format!("dev{kind}")),
            kind: Set(kind.to_owned()),
            case_file_id: Set(old),
            duty: Set(duty),
            due_on: Set(days(-2386)),
            journal_entry_id: Set(entry),
            raised_at: Set(app::server::now()),
            status: Set("open".to_owned()),
            reason: Set(None),
            actions: Set(None),
            action_taken: Set(None),
            closed_by: Set(None),
            closed_at: Set(None),
            ..Default::default()
        }
        .insert(&db.db)
        .await
        .unwrap();
    }
    // The database itself refuses a closed deviation without its reason.
    let refused = deviations::Entity::update_many()
        .set(deviations::ActiveModel {
            status: Set("closed".to_owned()),
            closed_by: Set(Some(u.anna)),
            closed_at: Set(Some(app::server::now())),
            ..Default::default()
        })
        .filter(deviations::Column::PublicId.eq("devunit"))
        .exec(&db.db)
        .await;
    assert!(refused.is_err(), "closed without reason and actions");

    let outcome = app::server::culling::run(
        &db.db,
        today(),
        app::server::culling::RunKind::Manual,
        false,
        |_, _| {},
    )
    .await
    .unwrap();
    assert!(matches!(
        outcome,
        app::server::culling::RunOutcome::Done(ref s) if s.files == 1
    ));
    assert_eq!(
        deviations::Entity::find()
            .filter(deviations::Column::CaseFileId.eq(old))
            .count(&db.db)
            .await
            .unwrap(),
        0
    );
}

/// Issue 13, rule 2: the assignment names the first follow-up "one month ahead" (here
/// one calendar month, 29–31 days) and it is held on that very day: no deviation. The
/// plan of a file whose start was written before the assignment came in (rule 6) counts
/// its 14 days from the day it came in.
async fn a_follow_up_held_on_the_named_day_raises_nothing(db: &TestDb) {
    make_user(&db.db, "anna", "staff", PASSWORD).await;
    let anna = user_id(db, "anna").await;
    let start = days(-45);
    let named = start
        .checked_add_months(chrono::Months::new(1))
        .expect("a month later");
    assert!(
        (named - start).num_days() > 28,
        "a month is longer than 4 weeks here"
    );
    let (file, _) = make_file(db, 1, anna, start).await;
    let mut assignment: assignments::ActiveModel = assignments::Entity::find()
        .one(&db.db)
        .await
        .unwrap()
        .unwrap()
        .into();
    assignment.first_follow_up = Set(named);
    // The assignment came in 10 days after the start written in it.
    assignment.received_on = Set(start + Duration::days(10));
    assignment.update(&db.db).await.unwrap();
    // The plan signed 13 days after the assignment came in (23 after the start).
    signed_plan(db, file, anna, start + Duration::days(23)).await;
    follow_ups::ActiveModel {
        public_id: Set("fu1aaaaaaaaa".to_owned()),
        case_file_id: Set(file),
        planned_on: Set(named),
        booked_by: Set(anna),
        held_on: Set(Some(named)),
        participants: Set(Some("Klienten, Siv Sekreterare".to_owned())),
        outcome: Set(Some("Planen följs.".to_owned())),
        plan_revised: Set(Some(false)),
        documented_by: Set(Some(anna)),
        journal_entry_id: Set(None),
        created_at: Set(app::server::now()),
        ..Default::default()
    }
    .insert(&db.db)
    .await
    .unwrap();
    app::server::deviations::raise(&db.db, today(), Condition::all())
        .await
        .unwrap();
    let duties: Vec<Option<String>> = keys(db).await.into_iter().map(|k| k.2).collect();
    assert!(
        !duties
            .iter()
            .any(|d| matches!(d.as_deref(), Some("first_follow_up" | "plan"))),
        "{duties:?}"
    );
}

/// Issue 13, rule 3: an entry counts in the week it was signed. An entry about a day
/// of a silent week, written and signed today, leaves that week missed.
async fn a_backdated_entry_does_not_fill_an_earlier_week(db: &TestDb) {
    use akta_domain::deadlines::monday_of;
    make_user(&db.db, "anna", "staff", PASSWORD).await;
    let anna = user_id(db, "anna").await;
    let this_monday = monday_of(today());
    let silent = this_monday - Duration::days(14);
    let start = silent - Duration::days(14);
    let (file, _) = make_file(db, 1, anna, start).await;
    // Wednesdays of the weeks before and after the silent one, signed on the day.
    for monday in [start, start + Duration::days(7), silent + Duration::days(7)] {
        entry(
            db,
            file,
            anna,
            monday + Duration::days(2),
            "weekly_note",
            "signed",
        )
        .await;
    }
    // About the silent week's Wednesday, signed now.
    let now = app::server::now();
    journal_entries::ActiveModel {
        public_id: Set("ebackdated01".to_owned()),
        case_file_id: Set(file),
        author_id: Set(anna),
        event_date: Set(silent + Duration::days(2)),
        category: Set("weekly_note".to_owned()),
        body: Set("Skrivet i efterhand.".to_owned()),
        status: Set("signed".to_owned()),
        signed_at: Set(Some(now)),
        corrects_id: Set(None),
        correction_reason: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&db.db)
    .await
    .unwrap();
    app::server::deviations::raise(&db.db, today(), Condition::all())
        .await
        .unwrap();
    let weekly: Vec<NaiveDate> = keys(db)
        .await
        .into_iter()
        .filter(|k| k.2.as_deref() == Some("weekly_entry"))
        .map(|k| k.3)
        .collect();
    assert_eq!(weekly, vec![silent + Duration::days(6)]);
}

/// Issue 13: a file closed on the 8th owes the review of the month before (due on the
/// 10th, so by the closing day) and of its closing month (open 8 days): two deviations
/// due the same day, told apart by their month; raising again adds nothing.
async fn a_file_closed_on_the_8th_owes_two_monthly_reviews(db: &TestDb) {
    use chrono::Datelike;
    make_user(&db.db, "anna", "staff", PASSWORD).await;
    let anna = user_id(db, "anna").await;
    let this_month = today().with_day(1).unwrap();
    let closing_month = (this_month - Duration::days(1)).with_day(1).unwrap();
    let month_before = (closing_month - Duration::days(1)).with_day(1).unwrap();
    let closed = closing_month + Duration::days(7);
    let (file, _) = make_file(db, 1, anna, closed - Duration::days(200)).await;
    close_file(db, file, closed).await;
    app::server::deviations::raise(&db.db, today(), Condition::all())
        .await
        .unwrap();
    let months = |rows: Vec<deviations::Model>| -> BTreeSet<Option<String>> {
        rows.into_iter().map(|d| d.month).collect()
    };
    let reviews = || {
        deviations::Entity::find()
            .filter(deviations::Column::CaseFileId.eq(file))
            .filter(deviations::Column::Duty.eq("monthly_review"))
            .filter(deviations::Column::DueOn.eq(closed))
            .all(&db.db)
    };
    let expected: BTreeSet<Option<String>> = [month_before, closing_month]
        .iter()
        .map(|m| Some(m.format("%Y-%m").to_string()))
        .collect();
    assert_eq!(months(reviews().await.unwrap()), expected);
    let again = app::server::deviations::raise(&db.db, today(), Condition::all())
        .await
        .unwrap();
    assert_eq!(again, 0);
    assert_eq!(reviews().await.unwrap().len(), 2);
}

on_both_backends! {
    closed_on_the_8th => a_file_closed_on_the_8th_owes_two_monthly_reviews;
    follow_up_on_the_named_day => a_follow_up_held_on_the_named_day_raises_nothing;
    backdated_entry => a_backdated_entry_does_not_fill_an_earlier_week;
    raising => raising_is_idempotent_and_follows_the_deadlines;
    register_need_to_know => the_register_shows_each_user_the_deviations_they_may_see;
    closing => closing_needs_reason_and_actions_and_stores_nothing_half_way;
    other_files => staff_cannot_reach_other_files_deviations;
    culling => culling_takes_a_files_deviations_with_it;
}
