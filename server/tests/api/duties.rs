//! The duties of the routine through the real server: "my work" from known facts,
//! need-to-know, follow-ups booked and documented into the journal, closing with a
//! final report, and a closed file that refuses every write.

use crate::common::{TestDb, TestServer, call, call_json, login, make_user};
use app::error::{AppError, Problem};
use app::model::{ClosingPage, FollowUpsPage, MyWork};
use app::server::entities::{
    access_log, assignments, case_files, clients, final_reports, follow_ups, journal_entries,
    plan_versions, users,
};
use chrono::{Duration, NaiveDate};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
};
use serde_json::json;

const PASSWORD: &str = "ett-langt-losenord";

fn error_of(body: &str) -> AppError {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not an AppError ({e}): {body}"))
}

fn today() -> NaiveDate {
    app::server::today()
}

fn days(n: i64) -> NaiveDate {
    today() + Duration::days(n)
}

async fn user_id(db: &TestDb, username: &str) -> i32 {
    users::Entity::find()
        .filter(users::Column::Username.eq(username))
        .one(&db.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// A client with an open file started on `start`; returns (database id, public id).
async fn make_file(
    db: &TestDb,
    n: u32,
    contact: i32,
    start: NaiveDate,
    service: &str,
) -> (i32, String) {
    let now = app::server::now();
    let client = clients::ActiveModel {
        public_id: Set(format!("client{n}")),
        first_name: Set(format!("Klient{n}")),
        last_name: Set("Testsson".to_owned()),
        identity_number: Set(format!("19800101-{n:04}")),
        birth_date: Set(NaiveDate::from_ymd_opt(1980, 1, 1).unwrap()),
        protected_identity: Set(false),
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
        service_type: Set(service.to_owned()),
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

async fn signed_entry(db: &TestDb, file: i32, author: i32, on: NaiveDate, status: &str) {
    entry_of(db, file, author, on, status, "weekly_note").await;
}

async fn entry_of(
    db: &TestDb,
    file: i32,
    author: i32,
    on: NaiveDate,
    status: &str,
    category: &str,
) {
    let now = app::server::now();
    journal_entries::ActiveModel {
        public_id: Set(format!("e{file}x{}", on.format("%Y%m%d"))),
        case_file_id: Set(file),
        author_id: Set(author),
        event_date: Set(on),
        category: Set(category.to_owned()),
        body: Set("Klienten följer planen.".to_owned()),
        status: Set(status.to_owned()),
        // Signed on the day it tells of (the weekly rule counts the signing day).
        signed_at: Set(
            (status == "signed").then(|| on.and_hms_opt(11, 0, 0).expect("time").and_utc())
        ),
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

async fn signed_plan(db: &TestDb, file: i32, author: i32, on: NaiveDate) {
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

struct Unit {
    server: TestServer,
    anna: i32,
    johan: i32,
    /// Anna's: started 20 days ago, no plan, last entry 10 days ago.
    late: (i32, String),
    /// Johan's: started 26 days ago, plan signed, entry yesterday.
    on_time: (i32, String),
    /// Anna's, closed.
    closed: (i32, String),
    /// Anna's motivation group file.
    group: (i32, String),
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
    let late = make_file(db, 1, anna, days(-20), "individual_treatment").await;
    signed_entry(db, late.0, anna, days(-10), "signed").await;
    let on_time = make_file(db, 2, johan, days(-26), "group_treatment").await;
    signed_plan(db, on_time.0, johan, days(-20)).await;
    signed_entry(db, on_time.0, johan, days(-1), "signed").await;
    let closed = make_file(db, 3, anna, days(-200), "individual_treatment").await;
    let mut model: case_files::ActiveModel = case_files::Entity::find_by_id(closed.0)
        .one(&db.db)
        .await
        .unwrap()
        .unwrap()
        .into();
    model.closed_on = Set(Some(days(-100)));
    model.close_reason = Set(Some("client_ended".to_owned()));
    model.update(&db.db).await.unwrap();
    let group = make_file(db, 4, anna, days(-3), "motivation_group").await;
    Unit {
        server: TestServer::start(&db.db).await,
        anna,
        johan,
        late,
        on_time,
        closed,
        group,
    }
}

async fn logged_in(server: &TestServer, username: &str) -> reqwest::Client {
    let client = TestServer::client();
    assert_eq!(login(&client, server, username, PASSWORD).await, 200);
    client
}

async fn work(client: &reqwest::Client, server: &TestServer) -> MyWork {
    let (status, body) = call(client, server, "/api/duties/my_work", &[]).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

/// The weekly entry's row of an open file, if "my work" lists it today: when it is due
/// within days (it is due on Sundays, so this depends on the weekday; `akta_domain`
/// decides, this only asks it).
fn weekly_row(
    file: &str,
    start: NaiveDate,
    signed: &[NaiveDate],
) -> Option<(String, String, NaiveDate, bool)> {
    use akta_domain::deadlines::{DueStatus, Duty, FileFacts, ServiceType};
    let mut facts = FileFacts::new(start, ServiceType::IndividualTreatment);
    facts.signing_days = signed.to_vec();
    facts
        .due_items(today())
        .into_iter()
        .find(|i| i.duty == Duty::WeeklyEntry)
        .filter(|i| i.status == DueStatus::DueSoon)
        .map(|i| (file.to_owned(), "weekly_entry".to_owned(), i.due, false))
}

/// The rows that are not monthly duties (those depend on where in the month today is).
fn non_monthly(work: &MyWork) -> Vec<(String, String, NaiveDate, bool)> {
    work.rows
        .iter()
        .filter(|r| r.month.is_none())
        .map(|r| (r.file_id.clone(), r.duty.clone(), r.due, r.overdue))
        .collect()
}

async fn my_work_lists_what_is_due_in_the_files_one_may_see(db: &TestDb) {
    let u = unit(db).await;
    let server = &u.server;

    let anna = logged_in(server, "anna").await;
    let w = work(&anna, server).await;
    assert_eq!(w.today, today());
    assert_eq!(
        w.open_files, 2,
        "the late file and the group; not the closed one"
    );
    // Plan due 14 days after the start (6 days ago): overdue. The weekly entry is due on
    // this week's Sunday, listed when that is near. Johan's file is not Anna's.
    let mut expected = vec![(u.late.1.clone(), "plan".to_owned(), days(-6), true)];
    expected.extend(weekly_row(&u.late.1, days(-20), &[days(-10)]));
    expected.extend(weekly_row(&u.group.1, days(-3), &[]));
    let mut listed = non_monthly(&w);
    expected.sort_by(|a, b| (a.2, &a.1).cmp(&(b.2, &b.1)));
    listed.sort_by(|a, b| (a.2, &a.1).cmp(&(b.2, &b.1)));
    assert_eq!(listed, expected);
    assert!(w.rows.iter().all(|r| r.file_id != u.on_time.1));
    assert!(w.rows.iter().all(|r| r.client_name.is_some()));
    assert!(w.per_staff.is_empty(), "per-staff counts are the manager's");
    // The group started 3 days ago: nothing of it but the journal and the monthly duties
    // (no plan for the group).
    assert!(
        w.rows
            .iter()
            .all(|r| r.file_id != u.group.1 || r.month.is_some() || r.duty == "weekly_entry")
    );

    // A list of clients' names is a read: logged, one line per file shown.
    let logged = access_log::Entity::find()
        .filter(access_log::Column::UserId.eq(u.anna))
        .filter(access_log::Column::Action.eq("list_files"))
        .count(&db.db)
        .await
        .unwrap();
    let shown: std::collections::BTreeSet<&str> =
        w.rows.iter().map(|r| r.file_id.as_str()).collect();
    assert_eq!(logged, shown.len() as u64);

    // Johan: the first follow-up falls due in two days (4 weeks after the start).
    let johan = logged_in(server, "johan").await;
    let w = work(&johan, server).await;
    let mut expected = vec![(
        u.on_time.1.clone(),
        "first_follow_up".to_owned(),
        days(2),
        false,
    )];
    expected.extend(weekly_row(&u.on_time.1, days(-26), &[days(-1)]));
    expected.sort_by(|a, b| (a.2, &a.1).cmp(&(b.2, &b.1)));
    let mut listed = non_monthly(&w);
    listed.sort_by(|a, b| (a.2, &a.1).cmp(&(b.2, &b.1)));
    assert_eq!(listed, expected);
    assert_eq!(
        w.total_overdue,
        w.rows.iter().filter(|r| r.overdue).count() as u64
    );

    // The manager sees the whole unit, with counts per contact person and dropouts.
    let chef = logged_in(server, "chef").await;
    let w = work(&chef, server).await;
    assert_eq!(w.open_files, 3);
    let files: std::collections::HashSet<&str> =
        w.rows.iter().map(|r| r.file_id.as_str()).collect();
    assert!(files.contains(u.late.1.as_str()) && files.contains(u.on_time.1.as_str()));
    let anna_counts = w.per_staff.iter().find(|s| s.name == "anna").expect("anna");
    assert_eq!(anna_counts.files, 2);
    assert!(anna_counts.overdue >= 1, "the late plan");
    let johan_counts = w
        .per_staff
        .iter()
        .find(|s| s.name == "johan")
        .expect("johan");
    assert_eq!(johan_counts.files, 1);
    // Nothing of Johan's is overdue but, when his file started last month, that month's
    // review, report and goal dialogue (kept in Akta, so listed once the month has passed).
    let johan_overdue: Vec<&str> = w
        .rows
        .iter()
        .filter(|r| r.contact_person == "johan" && r.overdue)
        .map(|r| r.duty.as_str())
        .collect();
    assert_eq!(johan_counts.overdue, johan_overdue.len() as u64);
    assert!(
        johan_overdue
            .iter()
            .all(|d| matches!(*d, "monthly_review" | "monthly_report" | "goal_dialogue")),
        "{johan_overdue:?}"
    );
    assert_eq!((w.closed_files, w.dropouts), (1, 1));

    // Administrators read no files, not even a due list.
    let admin = logged_in(server, "admin").await;
    let (status, body) = call(&admin, server, "/api/duties/my_work", &[]).await;
    assert!(status >= 400, "{body}");
    assert_eq!(error_of(&body), AppError::Forbidden);
    let _ = (u.johan, u.closed);
}

async fn follow_ups(client: &reqwest::Client, server: &TestServer, file: &str) -> FollowUpsPage {
    let (status, body) = call(client, server, "/api/duties/follow_ups", &[("file", file)]).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

async fn follow_up_count(db: &TestDb, file: i32) -> (u64, u64) {
    let all = follow_ups::Entity::find()
        .filter(follow_ups::Column::CaseFileId.eq(file))
        .count(&db.db)
        .await
        .unwrap();
    let entries = journal_entries::Entity::find()
        .filter(journal_entries::Column::CaseFileId.eq(file))
        .filter(journal_entries::Column::Category.eq("follow_up"))
        .count(&db.db)
        .await
        .unwrap();
    (all, entries)
}

async fn follow_ups_are_booked_documented_and_journaled(db: &TestDb) {
    let u = unit(db).await;
    let server = &u.server;
    let johan = logged_in(server, "johan").await;
    let file = u.on_time.1.as_str();
    let book = |date: NaiveDate| {
        let date = date.to_string();
        let johan = &johan;
        async move {
            call(
                johan,
                server,
                "/api/duties/book_follow_up",
                &[("file", file), ("planned_on", &date)],
            )
            .await
        }
    };

    // A booking for a day that has passed, or before the start, is refused.
    let (status, body) = book(days(-1)).await;
    assert!(status >= 400, "{body}");
    assert_eq!(
        error_of(&body).problem_for("planned_on"),
        Some(Problem::DateInPast)
    );
    let (_, body) = book(days(-30)).await;
    assert_eq!(
        error_of(&body).problem_for("planned_on"),
        Some(Problem::DateBeforeStart)
    );
    assert_eq!(follow_up_count(db, u.on_time.0).await, (0, 0));

    let (status, body) = book(days(1)).await;
    assert_eq!(status, 200, "{body}");
    let (_, body) = book(days(3)).await;
    assert_eq!(
        error_of(&body).problem_for("planned_on"),
        Some(Problem::AlreadyBooked)
    );
    let w = work(&johan, server).await;
    let row = w
        .rows
        .iter()
        .find(|r| r.duty == "first_follow_up")
        .expect("row");
    assert_eq!(row.booked_on, Some(days(1)));

    // Someone not on the file does not even see it.
    let anna = logged_in(server, "anna").await;
    let (status, body) = call(&anna, server, "/api/duties/follow_ups", &[("file", file)]).await;
    assert!(status >= 400, "{body}");
    assert_eq!(error_of(&body), AppError::NotFound);

    let page = follow_ups(&johan, server, file).await;
    assert!(page.may_write && page.plan_needed);
    let id = page.follow_ups[0].follow_up_id.clone();
    let document = |held: NaiveDate, participants: &str, outcome: &str, revised: &str| {
        let held = held.to_string();
        let (johan, id) = (&johan, id.clone());
        let (participants, outcome, revised) = (
            participants.to_owned(),
            outcome.to_owned(),
            revised.to_owned(),
        );
        async move {
            let mut form = vec![
                ("file", file.to_owned()),
                ("follow_up", id),
                ("held_on", held),
                ("participants", participants),
                ("outcome", outcome),
            ];
            if !revised.is_empty() {
                form.push(("plan_revised", revised));
            }
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            call(johan, server, "/api/duties/document_follow_up", &form).await
        }
    };

    // Bad input: a held date ahead of today, an empty outcome, no answer about the
    // plan. Nothing is stored, not in the follow-up and not in the journal.
    let (status, body) = document(days(1), "Klienten, socialsekreteraren", "Bra.", "no").await;
    assert!(status >= 400, "{body}");
    assert_eq!(
        error_of(&body).problem_for("held_on"),
        Some(Problem::DateInFuture)
    );
    let (_, body) = document(today(), "Klienten", "   ", "no").await;
    assert_eq!(error_of(&body).problem_for("outcome"), Some(Problem::Empty));
    let (_, body) = document(today(), "", "Bra.", "").await;
    let error = error_of(&body);
    assert_eq!(error.problem_for("participants"), Some(Problem::Empty));
    assert_eq!(error.problem_for("plan_revised"), Some(Problem::ChooseOne));
    assert_eq!(follow_up_count(db, u.on_time.0).await, (1, 0));
    let row = follow_ups::Entity::find()
        .filter(follow_ups::Column::CaseFileId.eq(u.on_time.0))
        .one(&db.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.held_on, None);

    // Documented: held today, the plan to be revised.
    let (status, body) = document(
        today(),
        "Klienten, Siv Sekreterare, johan",
        "Målen om sömn är nådda; nytt mål om arbete.",
        "yes",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, "true");
    assert_eq!(follow_up_count(db, u.on_time.0).await, (1, 1));
    let page = follow_ups(&johan, server, file).await;
    let held = &page.follow_ups[0];
    assert_eq!(held.held_on, Some(today()));
    assert_eq!(held.plan_revised, Some(true));
    assert_eq!(held.documented_by.as_deref(), Some("johan"));
    // Documented once: a second time finds no booked follow-up.
    let (status, body) = document(today(), "Klienten", "Igen.", "no").await;
    assert!(status >= 400);
    assert_eq!(error_of(&body), AppError::NotFound);

    // It is in the journal, signed, as a follow-up.
    let (status, body) = call_json(
        &johan,
        server,
        "/api/journal/view",
        &json!({ "file": file, "filter": { "category": "follow_up", "goal": null, "period": null, "page": 0 } }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let journal: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(journal["entries"]["total"], 1, "{body}");
    let entry = &journal["entries"]["rows"][0];
    assert_eq!(entry["signed"], true);
    assert!(
        entry["body"]
            .as_str()
            .unwrap()
            .contains("nytt mål om arbete")
    );
    assert!(
        entry["body"]
            .as_str()
            .unwrap()
            .contains("Planen revideras: ja")
    );

    // The held follow-up completes the first follow-up duty.
    let w = work(&johan, server).await;
    assert!(
        w.rows.iter().all(|r| r.duty != "first_follow_up"),
        "{:?}",
        w.rows
    );

    // The motivation group has no plan and so no follow-ups.
    let anna_group = u.group.1.as_str();
    let (status, body) = call(
        &anna,
        server,
        "/api/duties/book_follow_up",
        &[("file", anna_group), ("planned_on", &days(2).to_string())],
    )
    .await;
    assert!(status >= 400, "{body}");
    assert_eq!(error_of(&body), AppError::NoPlanForService);
    let _ = (u.anna, u.johan, u.late, u.closed);
}

async fn close(
    client: &reqwest::Client,
    server: &TestServer,
    file: &str,
    closed_on: &str,
    reason: &str,
    treatment: &str,
) -> (u16, String) {
    call(
        client,
        server,
        "/api/duties/close_file",
        &[
            ("file", file),
            ("closed_on", closed_on),
            ("reason", reason),
            ("treatment", treatment),
            ("outcome", "Delvis nådda mål."),
            ("client_view_ending", "Klienten ville sluta."),
            ("client_view_service", "Bra bemötande."),
        ],
    )
    .await
}

async fn closed_state(db: &TestDb, file: i32) -> (Option<NaiveDate>, u64) {
    let f = case_files::Entity::find_by_id(file)
        .one(&db.db)
        .await
        .unwrap()
        .unwrap();
    let reports = final_reports::Entity::find()
        .filter(final_reports::Column::CaseFileId.eq(file))
        .count(&db.db)
        .await
        .unwrap();
    (f.closed_on, reports)
}

async fn closing_writes_a_final_report_and_counts_dropouts(db: &TestDb) {
    let u = unit(db).await;
    let server = &u.server;
    let file = u.late.1.as_str();
    // Johan works in the file as co-worker, but only the contact person and the
    // manager may close it.
    app::server::entities::care_team::Entity::insert(
        app::server::entities::care_team::ActiveModel {
            case_file_id: Set(u.late.0),
            user_id: Set(u.johan),
        },
    )
    .exec_without_returning(&db.db)
    .await
    .unwrap();
    let johan = logged_in(server, "johan").await;
    let (status, body) = close(
        &johan,
        server,
        file,
        &today().to_string(),
        "completed",
        "Samtal.",
    )
    .await;
    assert!(status >= 400, "{body}");
    assert_eq!(error_of(&body), AppError::Forbidden);

    let anna = logged_in(server, "anna").await;
    let today_s = today().to_string();
    for (closed_on, reason, treatment, field, problem) in [
        (
            days(1).to_string(),
            "completed",
            "Samtal.",
            "closed_on",
            Problem::DateInFuture,
        ),
        (
            days(-21).to_string(),
            "completed",
            "Samtal.",
            "closed_on",
            Problem::DateBeforeStart,
        ),
        // The last signed entry is 10 days old: the file cannot end before it.
        (
            days(-11).to_string(),
            "completed",
            "Samtal.",
            "closed_on",
            Problem::EntriesAfterEnd,
        ),
        (
            "igår".to_owned(),
            "completed",
            "Samtal.",
            "closed_on",
            Problem::InvalidDate,
        ),
        (today_s.clone(), "", "Samtal.", "reason", Problem::ChooseOne),
        (
            today_s.clone(),
            "bored",
            "Samtal.",
            "reason",
            Problem::ChooseOne,
        ),
        (
            today_s.clone(),
            "completed",
            "  ",
            "treatment",
            Problem::Empty,
        ),
    ] {
        let (status, body) = close(&anna, server, file, &closed_on, reason, treatment).await;
        assert!(status >= 400, "{body}");
        assert_eq!(error_of(&body).problem_for(field), Some(problem), "{body}");
        assert_eq!(
            closed_state(db, u.late.0).await,
            (None, 0),
            "nothing stored"
        );
    }

    // Closed before the plan was carried out: a dropout.
    let (status, body) = close(
        &anna,
        server,
        file,
        &days(-2).to_string(),
        "client_ended",
        "Sex samtal.",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, "true");
    assert_eq!(closed_state(db, u.late.0).await, (Some(days(-2)), 1));
    let (_, body) = call(&anna, server, "/api/duties/closing", &[("file", file)]).await;
    let page: ClosingPage = serde_json::from_str(&body).unwrap();
    let report = page.report.expect("final report");
    assert_eq!(report.treatment, "Sex samtal.");
    assert_eq!(report.closed_on, days(-2));
    assert!(report.dropout);
    assert!(!page.may_close);
    let (status, body) = close(&anna, server, file, &today_s, "completed", "Igen.").await;
    assert!(status >= 400, "{body}");
    assert_eq!(error_of(&body), AppError::FileClosed);

    // The manager may close any file; a completed plan is no dropout.
    let chef = logged_in(server, "chef").await;
    let (status, body) = close(
        &chef,
        server,
        &u.on_time.1,
        &today_s,
        "completed",
        "Gruppen.",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, "false");
    let w = work(&chef, server).await;
    assert_eq!((w.closed_files, w.dropouts), (3, 2));
    assert_eq!(w.open_files, 1);
    let logged = access_log::Entity::find()
        .filter(access_log::Column::Action.eq("close_file"))
        .count(&db.db)
        .await
        .unwrap();
    assert_eq!(logged, 2);
    let _ = (u.anna, u.closed, u.group);
}

async fn a_closed_file_refuses_every_write(db: &TestDb) {
    let u = unit(db).await;
    let server = &u.server;
    let (file_db, file) = (u.late.0, u.late.1.clone());
    // Before closing: a draft, a booked follow-up, an unsigned plan version.
    signed_entry(db, file_db, u.anna, days(-9), "draft").await;
    let draft = format!("e{file_db}x{}", days(-9).format("%Y%m%d"));
    let original = format!("e{file_db}x{}", days(-10).format("%Y%m%d"));
    let anna = logged_in(server, "anna").await;
    let (status, body) = call(
        &anna,
        server,
        "/api/duties/book_follow_up",
        &[("file", &file), ("planned_on", &days(1).to_string())],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let follow_up = follow_ups(&anna, server, &file).await.follow_ups[0]
        .follow_up_id
        .clone();
    let (status, body) = call(
        &anna,
        server,
        "/api/plan/new_version",
        &[("file", &file), ("valid_from", &today().to_string())],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = close(
        &anna,
        server,
        &file,
        &days(-1).to_string(),
        "completed",
        "Samtal.",
    )
    .await;
    assert_eq!(status, 200, "{body}");

    let today_s = today().to_string();
    let t = today_s.as_str();
    let fu = follow_up.as_str();
    let f = file.as_str();
    let forms: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            "/api/plan/new_version",
            vec![("file", f), ("valid_from", t), ("reason", "Ny")],
        ),
        (
            "/api/plan/save_details",
            vec![
                ("file", f),
                ("version", "1"),
                ("valid_from", t),
                ("client_view", "Ja"),
            ],
        ),
        (
            "/api/plan/save_goal",
            vec![
                ("file", f),
                ("version", "1"),
                ("title", "Mål"),
                ("what", "Vad"),
                ("how", ""),
                ("who", "Klienten"),
                ("by_when", ""),
            ],
        ),
        (
            "/api/plan/delete_goal",
            vec![("file", f), ("version", "1"), ("goal", "g")],
        ),
        (
            "/api/plan/sign",
            vec![
                ("file", f),
                ("version", "1"),
                ("signed_on", t),
                ("signed_how", "on_paper"),
            ],
        ),
        (
            "/api/plan/copies",
            vec![
                ("file", f),
                ("version", "1"),
                ("copy_to_client_on", t),
                ("copy_to_contact_on", ""),
                ("copy_to_secretary_on", ""),
            ],
        ),
        (
            "/api/plan/intake",
            vec![("file", f), ("item", "consent"), ("checked", "true")],
        ),
        (
            "/api/team/change",
            vec![("file", f), ("change", "add"), ("username", "johan")],
        ),
        (
            "/api/duties/book_follow_up",
            vec![("file", f), ("planned_on", t)],
        ),
        (
            "/api/duties/document_follow_up",
            vec![
                ("file", f),
                ("follow_up", fu),
                ("held_on", t),
                ("participants", "Klienten"),
                ("outcome", "Bra."),
                ("plan_revised", "no"),
            ],
        ),
    ];
    for (path, form) in &forms {
        let (status, body) = call(&anna, server, path, form).await;
        assert!(status >= 400, "{path}: {body}");
        assert_eq!(error_of(&body), AppError::FileClosed, "{path}");
    }
    let entry = |draft: Option<&str>| json!({ "file": f, "entry": draft, "event_date": days(-1).to_string(), "category": "event", "body": "Text.", "goals": [] });
    let jsons = [
        ("/api/journal/save_draft", entry(None)),
        ("/api/journal/save_draft", entry(Some(&draft))),
        ("/api/journal/sign", entry(Some(&draft))),
        (
            "/api/journal/correct",
            json!({ "file": f, "entry": original, "body": "Rättat.", "reason": "Fel datum." }),
        ),
        (
            "/api/journal/discard_draft",
            json!({ "file": f, "entry": draft }),
        ),
    ];
    for (path, body) in &jsons {
        let (status, answer) = call_json(&anna, server, path, body).await;
        assert!(status >= 400, "{path}: {answer}");
        assert_eq!(error_of(&answer), AppError::FileClosed, "{path}");
    }
    // Nothing changed: the draft, the unsigned plan version and the booking are as they were.
    let entries = journal_entries::Entity::find()
        .filter(journal_entries::Column::CaseFileId.eq(file_db))
        .count(&db.db)
        .await
        .unwrap();
    assert_eq!(entries, 2);
    let held = follow_ups::Entity::find()
        .filter(follow_ups::Column::CaseFileId.eq(file_db))
        .filter(follow_ups::Column::HeldOn.is_not_null())
        .count(&db.db)
        .await
        .unwrap();
    assert_eq!(held, 0);
    let versions = plan_versions::Entity::find()
        .filter(plan_versions::Column::CaseFileId.eq(file_db))
        .count(&db.db)
        .await
        .unwrap();
    assert_eq!(versions, 1);
    // The pages say so too: nothing to write.
    assert!(!follow_ups(&anna, server, f).await.may_write);
    let _ = (u.johan, u.on_time, u.closed, u.group);
}

/// A signed journal entry of the category `goal_dialogue` completes its month's goal
/// dialogue; a draft, or an entry of another category, does not.
async fn a_goal_dialogue_entry_completes_its_month(db: &TestDb) {
    use akta_domain::deadlines::{DueStatus, Duty, YearMonth};
    let u = unit(db).await;
    // Johan's file has a signed plan, so it owes goal dialogues (Anna's late one has none).
    entry_of(
        db,
        u.on_time.0,
        u.johan,
        days(-2),
        "signed",
        "goal_dialogue",
    )
    .await;
    entry_of(db, u.late.0, u.anna, days(-12), "draft", "goal_dialogue").await;
    let files = case_files::Entity::find().all(&db.db).await.unwrap();
    let facts = app::server::duties::facts_of(&db.db, &files).await.unwrap();

    let on_time = &facts[&u.on_time.0].0;
    let month = YearMonth::of(days(-2));
    assert_eq!(
        on_time.goal_dialogues_done,
        [(month, days(-2))].into_iter().collect()
    );
    let item = on_time
        .due_items(today())
        .into_iter()
        .find(|i| i.duty == Duty::GoalDialogue(month))
        .expect("the month's goal dialogue");
    assert_eq!(item.status, DueStatus::Done);

    let late = &facts[&u.late.0].0;
    assert!(
        late.goal_dialogues_done.is_empty(),
        "a draft does not count"
    );
    assert!(
        late.due_items(today())
            .iter()
            .all(|i| !matches!(i.duty, Duty::GoalDialogue(_))),
        "no plan, no goal dialogue"
    );
    let _ = (u.closed, u.group);
}

on_both_backends! {
    goal_dialogue_entries => a_goal_dialogue_entry_completes_its_month;
    my_work_from_known_facts => my_work_lists_what_is_due_in_the_files_one_may_see;
    follow_ups_book_document_journal => follow_ups_are_booked_documented_and_journaled;
    closing_and_dropouts => closing_writes_a_final_report_and_counts_dropouts;
    closed_files_are_read_only => a_closed_file_refuses_every_write;
}
