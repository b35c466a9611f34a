//! The monthly journal review and the monthly report through the real server, on both
//! databases: the patterns of a month, signing a review into the journal (once per month),
//! the months and inputs refused, a report per goal that cannot change, closed files and
//! people without access refused (and logged), and "my work" telling done months from missed.

use crate::common::{TestDb, TestServer, call, login, make_user};
use akta_domain::deadlines::YearMonth;
use app::error::{AppError, Problem};
use app::model::MyWork;
use app::model::monthly::{ReportPage, ReviewPage};
use app::server::entities::{
    access_log, assignments, case_files, clients, goals, journal_entries, monthly_report_goals,
    monthly_reports, monthly_reviews, plan_versions, users,
};
use chrono::{Duration, NaiveDate};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, Statement,
};

const PASSWORD: &str = "ett-langt-losenord";

fn error_of(body: &str) -> AppError {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not an AppError ({e}): {body}"))
}

fn today() -> NaiveDate {
    app::server::today()
}

fn this_month() -> YearMonth {
    YearMonth::of(today())
}

fn last_month() -> YearMonth {
    YearMonth::of(this_month().first_day() - Duration::days(1))
}

fn month_before_last() -> YearMonth {
    YearMonth::of(last_month().first_day() - Duration::days(1))
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

async fn entry(db: &TestDb, file: i32, author: i32, on: NaiveDate, category: &str, body: &str) {
    let now = app::server::now();
    let n = journal_entries::Entity::find().count(&db.db).await.unwrap();
    journal_entries::ActiveModel {
        public_id: Set(format!("e{file}x{n}")),
        case_file_id: Set(file),
        author_id: Set(author),
        event_date: Set(on),
        category: Set(category.to_owned()),
        body: Set(body.to_owned()),
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
}

/// A signed plan from `from` with two goals ("Egen bostad", "Nykterhet") and a sub-goal.
async fn plan_with_goals(db: &TestDb, file: i32, author: i32, from: NaiveDate) {
    let version = plan_versions::ActiveModel {
        case_file_id: Set(file),
        version_no: Set(1),
        valid_from: Set(from),
        client_view: Set("Klienten vill.".to_owned()),
        // Signed below, once its goals are in (a signed plan's goals are permanent).
        client_signed_on: Set(None),
        client_signed_how: Set(None),
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
    let mut parent = None;
    for (i, (title, sub)) in [
        ("Egen bostad", false),
        ("Nykterhet", false),
        ("Delmål", true),
    ]
    .into_iter()
    .enumerate()
    {
        let goal = goals::ActiveModel {
            public_id: Set(format!("g{file}x{i}")),
            plan_version_id: Set(version.id),
            parent_id: Set(if sub { parent } else { None }),
            position: Set(i as i32),
            title: Set(title.to_owned()),
            what: Set("Vad".to_owned()),
            how: Set("Hur".to_owned()),
            who: Set("Vem".to_owned()),
            by_when: Set(None),
            ..Default::default()
        }
        .insert(&db.db)
        .await
        .unwrap();
        if i == 1 {
            parent = Some(goal.id);
        }
    }
    let mut signed = version.clone().into_active_model();
    signed.client_signed_on = Set(Some(from));
    signed.client_signed_how = Set(Some("in_person".to_owned()));
    signed.update(&db.db).await.unwrap();
}

struct Unit {
    server: TestServer,
    anna: i32,
    /// Anna's, started three months ago, with a plan.
    file: (i32, String),
    /// Anna's motivation group file, started two months ago.
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
    let start = month_before_last().first_day() - Duration::days(20);
    let file = make_file(db, 1, anna, start, "individual_treatment").await;
    plan_with_goals(db, file.0, anna, start + Duration::days(5)).await;
    let group = make_file(
        db,
        2,
        anna,
        month_before_last().first_day(),
        "motivation_group",
    )
    .await;
    Unit {
        server: TestServer::start(&db.db).await,
        anna,
        file,
        group,
    }
}

async fn logged_in(server: &TestServer, username: &str) -> reqwest::Client {
    let client = TestServer::client();
    assert_eq!(login(&client, server, username, PASSWORD).await, 200);
    client
}

async fn review(
    client: &reqwest::Client,
    server: &TestServer,
    file: &str,
    month: &str,
) -> ReviewPage {
    let (status, body) = call(
        client,
        server,
        "/api/monthly/review",
        &[("file", file), ("month", month)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

async fn report(
    client: &reqwest::Client,
    server: &TestServer,
    file: &str,
    month: &str,
) -> ReportPage {
    let (status, body) = call(
        client,
        server,
        "/api/monthly/report",
        &[("file", file), ("month", month)],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

async fn sign_review(
    client: &reqwest::Client,
    server: &TestServer,
    fields: &[(&str, &str)],
) -> (u16, String) {
    call(client, server, "/api/monthly/sign_review", fields).await
}

async fn count_reviews(db: &TestDb) -> u64 {
    monthly_reviews::Entity::find().count(&db.db).await.unwrap()
}

async fn count_review_entries(db: &TestDb) -> u64 {
    journal_entries::Entity::find()
        .filter(journal_entries::Column::Category.eq("monthly_review"))
        .count(&db.db)
        .await
        .unwrap()
}

async fn a_review_is_signed_into_the_journal_once(db: &TestDb) {
    let u = unit(db).await;
    let server = &u.server;
    let month = last_month();
    let first = month.first_day();
    entry(
        db,
        u.file.0,
        u.anna,
        first + Duration::days(1),
        "deviation",
        "Klienten uteblev från gruppen.",
    )
    .await;
    entry(
        db,
        u.file.0,
        u.anna,
        first + Duration::days(4),
        "event",
        "Behovet av stöd i boendet har FÖRÄNDRATS.",
    )
    .await;
    entry(
        db,
        u.file.0,
        u.anna,
        first + Duration::days(6),
        "deviation",
        "Klienten avböjde samtalet.",
    )
    .await;
    let anna = logged_in(server, "anna").await;
    let m = month.to_string();

    let page = review(&anna, server, &u.file.1, &m).await;
    assert_eq!(page.month, m);
    assert_eq!(page.entries.len(), 3);
    assert_eq!(page.patterns.declined.len(), 2, "{:?}", page.patterns);
    assert_eq!(page.patterns.changes, vec![first + Duration::days(4)]);
    assert_eq!(page.patterns.recurring_deviations.len(), 2);
    // Nothing after the 7th: a gap to the month's end.
    assert!(!page.patterns.gaps.is_empty());
    assert!(
        page.patterns
            .goals_without_entry
            .contains(&"Egen bostad".to_owned())
    );
    assert!(
        page.entries[1]
            .pieces
            .iter()
            .any(|(t, s)| t == "FÖRÄNDRATS" && s.as_deref() == Some("change"))
    );
    assert_eq!(page.phrasings.len(), 3);
    assert!(
        page.phrasings[2]
            .1
            .contains("Klient1 Testssons behov/ resurser")
    );
    assert!(page.may_sign && page.signed.is_none());
    // Reading the page is logged, with the month.
    let read = access_log::Entity::find()
        .filter(access_log::Column::Action.eq("read_monthly_review"))
        .filter(access_log::Column::Detail.contains(format!("\"{m}\"")))
        .count(&db.db)
        .await
        .unwrap();
    assert_eq!(read, 1);

    let text = page.phrasings[2].1.clone();
    let (status, body) = sign_review(
        &anna,
        server,
        &[
            ("file", &u.file.1),
            ("month", &m),
            ("phrasing", "nothing_seen"),
            ("text", &text),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let row = monthly_reviews::Entity::find()
        .one(&db.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (row.month.as_str(), row.case_file_id),
        (m.as_str(), u.file.0)
    );
    let signed = journal_entries::Entity::find_by_id(row.journal_entry_id)
        .one(&db.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(signed.status, "signed");
    assert_eq!(signed.category, "monthly_review");
    assert!(
        signed
            .body
            .starts_with("Genomgång av social journal\nPeriod: "),
        "{}",
        signed.body
    );
    assert!(signed.body.contains(&text));

    // One review a month.
    let (status, body) = sign_review(
        &anna,
        server,
        &[
            ("file", &u.file.1),
            ("month", &m),
            ("phrasing", "nothing_seen"),
            ("text", &text),
        ],
    )
    .await;
    assert!(status >= 400, "{body}");
    assert_eq!(
        error_of(&body),
        AppError::field("month", Problem::MonthDone)
    );
    assert_eq!(
        (count_reviews(db).await, count_review_entries(db).await),
        (1, 1)
    );

    let page = review(&anna, server, &u.file.1, &m).await;
    assert!(!page.may_sign);
    assert_eq!(
        page.signed.as_ref().map(|s| s.entry_id.clone()),
        Some(signed.public_id)
    );
    assert!(page.months.iter().any(|c| c.month == m && c.done));
    // The journal form cannot write a monthly review.
    let (status, body) = crate::common::call_json(
        &anna,
        server,
        "/api/journal/sign",
        &serde_json::json!({
            "file": u.file.1, "entry": null, "event_date": today().to_string(),
            "category": "monthly_review", "body": "Genomgång", "goals": []
        }),
    )
    .await;
    assert!(status >= 400, "{body}");
    assert_eq!(
        error_of(&body),
        AppError::field("category", Problem::InvalidCategory)
    );
    // A signed review never changes.
    let refused = db
        .db
        .execute_raw(Statement::from_string(
            db.backend(),
            "UPDATE monthly_reviews SET phrasing = 'declined'".to_owned(),
        ))
        .await;
    assert!(refused.is_err());
}

async fn bad_months_and_missing_actions_are_refused(db: &TestDb) {
    let u = unit(db).await;
    let server = &u.server;
    let anna = logged_in(server, "anna").await;
    let next = this_month().next().to_string();
    let before = YearMonth::of(month_before_last().first_day() - Duration::days(40)).to_string();
    let m = last_month().to_string();
    let text = "Vid genomgång framkommer att klienten avböjt gruppen.";

    for (month, problem) in [
        (next.as_str(), Problem::MonthInFuture),
        (before.as_str(), Problem::MonthOutsideFile),
        ("2026-13", Problem::InvalidChoice),
    ] {
        let (status, body) = sign_review(
            &anna,
            server,
            &[
                ("file", &u.file.1),
                ("month", month),
                ("phrasing", "nothing_seen"),
                ("text", text),
            ],
        )
        .await;
        assert!(status >= 400, "{month}: {body}");
        assert_eq!(
            error_of(&body),
            AppError::field("month", problem),
            "{month}"
        );
        let (status, _) = call(
            &anna,
            server,
            "/api/monthly/review",
            &[("file", &u.file.1), ("month", month)],
        )
        .await;
        assert!(status >= 400, "{month}");
    }

    // Phrasing 1 needs an action and its follow-up.
    let (status, body) = sign_review(
        &anna,
        server,
        &[
            ("file", &u.file.1),
            ("month", &m),
            ("phrasing", "declined"),
            ("text", text),
        ],
    )
    .await;
    assert!(status >= 400, "{body}");
    let error = error_of(&body);
    for field in ["action_what", "action_how", "follow_up_how"] {
        assert_eq!(error.problem_for(field), Some(Problem::Empty), "{field}");
    }
    for field in ["action_when", "follow_up_on"] {
        assert_eq!(
            error.problem_for(field),
            Some(Problem::InvalidDate),
            "{field}"
        );
    }
    // No phrasing chosen; a placeholder left; a follow-up before its action.
    let template = review(&anna, server, &u.file.1, &m).await.phrasings[0]
        .1
        .clone();
    let when = today().to_string();
    let earlier = (today() - Duration::days(1)).to_string();
    let (status, body) = sign_review(
        &anna,
        server,
        &[
            ("file", &u.file.1),
            ("month", &m),
            ("text", &template),
            ("action_what", "Samtal"),
            ("action_when", &when),
            ("action_how", "Enskilt"),
            ("follow_up_on", &earlier),
            ("follow_up_how", "Måldialog"),
        ],
    )
    .await;
    assert!(status >= 400, "{body}");
    let error = error_of(&body);
    assert_eq!(error.problem_for("phrasing"), Some(Problem::ChooseOne));
    assert_eq!(error.problem_for("text"), Some(Problem::PlaceholderLeft));
    assert_eq!(
        error.problem_for("follow_up_on"),
        Some(Problem::FollowUpBeforeAction)
    );
    assert_eq!(
        (count_reviews(db).await, count_review_entries(db).await),
        (0, 0)
    );

    // With the action, phrasing 1 is signed, the action in the entry.
    let later = (today() + Duration::days(14)).to_string();
    let (status, body) = sign_review(
        &anna,
        server,
        &[
            ("file", &u.file.1),
            ("month", &m),
            ("phrasing", "declined"),
            ("text", text),
            ("action_what", "Samtal om gruppen"),
            ("action_when", &when),
            ("action_how", "Enskilt samtal"),
            ("follow_up_on", &later),
            ("follow_up_how", "Vid måldialogen"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let signed = journal_entries::Entity::find()
        .filter(journal_entries::Column::Category.eq("monthly_review"))
        .one(&db.db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        signed.body.contains("Åtgärd: Samtal om gruppen"),
        "{}",
        signed.body
    );
    assert!(
        signed
            .body
            .contains(&format!("Uppföljning av åtgärd: {later}"))
    );

    // Phrasing 2 (changed need) asks for "vilken ev. åtgärd", a possible action: without
    // one it is signed all the same (issue 13).
    let before_last = month_before_last().to_string();
    let (status, body) = sign_review(
        &anna,
        server,
        &[
            ("file", &u.file.1),
            ("month", &before_last),
            ("phrasing", "need_changed"),
            (
                "text",
                "Vid genomgång framkommer att klientens behov av stöd vid boendet har förändrats: hon klarar mer själv.",
            ),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(count_reviews(db).await, 2);
}

async fn a_report_per_goal_is_stored_and_read_only(db: &TestDb) {
    let u = unit(db).await;
    let server = &u.server;
    let anna = logged_in(server, "anna").await;
    let m = last_month().to_string();
    entry(
        db,
        u.file.0,
        u.anna,
        last_month().first_day() + Duration::days(2),
        "deviation",
        "Uteblev.",
    )
    .await;

    let page = report(&anna, server, &u.file.1, &m).await;
    let titles: Vec<&str> = page.goals.iter().map(|g| g.title.as_str()).collect();
    assert_eq!(
        titles,
        vec!["Egen bostad", "Nykterhet"],
        "top-level goals only"
    );
    assert_eq!(page.deviations_in_month, 1);
    assert!(page.may_sign && page.signed.is_none());
    let (g0, g1) = (page.goals[0].goal_id.clone(), page.goals[1].goal_id.clone());

    // A goal left unevaluated, no actions at the deviation, no answer about the copy.
    let (status, body) = call(
        &anna,
        server,
        "/api/monthly/sign_report",
        &[
            ("file", &u.file.1),
            ("month", &m),
            ("goal_ids[0]", &g0),
            ("evaluations[0]", "Har sökt tre lägenheter."),
            ("goal_ids[1]", &g1),
            ("evaluations[1]", "  "),
            ("events", "Inga."),
        ],
    )
    .await;
    assert!(status >= 400, "{body}");
    let error = error_of(&body);
    assert_eq!(error.problem_for("goal-0"), None);
    assert_eq!(error.problem_for("goal-1"), Some(Problem::Empty));
    assert_eq!(error.problem_for("deviation_actions"), Some(Problem::Empty));
    assert_eq!(error.problem_for("client_copy"), Some(Problem::ChooseOne));
    assert_eq!(
        monthly_reports::Entity::find().count(&db.db).await.unwrap(),
        0
    );

    let full = [
        ("file", u.file.1.as_str()),
        ("month", m.as_str()),
        ("goal_ids[0]", g0.as_str()),
        ("evaluations[0]", "Har sökt tre lägenheter."),
        ("goal_ids[1]", g1.as_str()),
        ("evaluations[1]", "Nykter hela månaden utom en dag."),
        ("events", "Inga."),
        ("deviation_actions", "Samtal dagen efter."),
        ("client_copy", "yes"),
    ];
    let (status, body) = call(&anna, server, "/api/monthly/sign_report", &full).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        monthly_report_goals::Entity::find()
            .count(&db.db)
            .await
            .unwrap(),
        2
    );
    let page = report(&anna, server, &u.file.1, &m).await;
    let signed = page.signed.expect("signed");
    assert!(signed.client_copy);
    assert_eq!(signed.secretary_name, "Siv Sekreterare");
    assert_eq!(page.goals[1].evaluation, "Nykter hela månaden utom en dag.");
    assert!(!page.may_sign);
    // Read-only: a second report for the month is refused, and the rows cannot change.
    let (status, body) = call(&anna, server, "/api/monthly/sign_report", &full).await;
    assert!(status >= 400, "{body}");
    assert_eq!(
        error_of(&body),
        AppError::field("month", Problem::MonthDone)
    );
    for sql in [
        "UPDATE monthly_reports SET events = 'Annat'",
        "UPDATE monthly_report_goals SET evaluation = 'Annat'",
    ] {
        let refused = db
            .db
            .execute_raw(Statement::from_string(db.backend(), sql.to_owned()))
            .await;
        assert!(refused.is_err(), "{sql}");
    }

    // The motivation group has no plan: one evaluation, no goals.
    let page = report(&anna, server, &u.group.1, &m).await;
    assert!(page.goals.is_empty() && page.plan_period.is_none());
    let (status, body) = call(
        &anna,
        server,
        "/api/monthly/sign_report",
        &[
            ("file", &u.group.1),
            ("month", &m),
            ("events", "Inga."),
            ("client_copy", "no"),
        ],
    )
    .await;
    assert!(status >= 400, "{body}");
    assert_eq!(
        error_of(&body),
        AppError::field("evaluation", Problem::Empty)
    );
    let (status, body) = call(
        &anna,
        server,
        "/api/monthly/sign_report",
        &[
            ("file", &u.group.1),
            ("month", &m),
            ("evaluation", "Deltog i alla gruppträffar."),
            ("events", "Inga."),
            ("client_copy", "no"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let page = report(&anna, server, &u.group.1, &m).await;
    assert_eq!(
        page.signed.and_then(|s| s.evaluation).as_deref(),
        Some("Deltog i alla gruppträffar.")
    );
}

async fn closed_files_and_outsiders_are_refused(db: &TestDb) {
    let u = unit(db).await;
    let server = &u.server;
    let m = last_month().to_string();

    // Johan is not on the team: the file does not exist for him.
    let johan = logged_in(server, "johan").await;
    let (status, body) = call(
        &johan,
        server,
        "/api/monthly/review",
        &[("file", &u.file.1), ("month", &m)],
    )
    .await;
    assert!(status >= 400, "{body}");
    assert_eq!(error_of(&body), AppError::NotFound);
    let refs = [
        ("file", u.file.1.as_str()),
        ("month", m.as_str()),
        ("phrasing", "nothing_seen"),
        ("text", "Inget av vikt."),
    ];
    let (status, _) = sign_review(&johan, server, &refs).await;
    assert!(status >= 400);

    // The manager reads (logged) but does not sign: refused and logged.
    let chef = logged_in(server, "chef").await;
    let page = review(&chef, server, &u.file.1, &m).await;
    assert!(!page.may_sign);
    let (status, body) = sign_review(&chef, server, &refs).await;
    assert!(status >= 400, "{body}");
    assert_eq!(error_of(&body), AppError::Forbidden);
    let chef_id = user_id(db, "chef").await;
    let refused = access_log::Entity::find()
        .filter(access_log::Column::UserId.eq(chef_id))
        .filter(access_log::Column::Action.eq("refused"))
        .filter(access_log::Column::CaseFileId.eq(u.file.0))
        .count(&db.db)
        .await
        .unwrap();
    assert_eq!(refused, 1);
    // Administrators read no files: refused by the guard, and logged.
    let admin = logged_in(server, "admin").await;
    let (status, _) = call(
        &admin,
        server,
        "/api/monthly/report",
        &[("file", &u.file.1), ("month", &m)],
    )
    .await;
    assert!(status >= 400);
    let admin_id = user_id(db, "admin").await;
    let logged = access_log::Entity::find()
        .filter(access_log::Column::UserId.eq(admin_id))
        .filter(access_log::Column::Action.eq("refused"))
        .count(&db.db)
        .await
        .unwrap();
    assert_eq!(logged, 1);

    // A closed file is read-only.
    let mut model: case_files::ActiveModel = case_files::Entity::find_by_id(u.file.0)
        .one(&db.db)
        .await
        .unwrap()
        .unwrap()
        .into();
    model.closed_on = Set(Some(today() - Duration::days(1)));
    model.close_reason = Set(Some("completed".to_owned()));
    model.update(&db.db).await.unwrap();
    let anna = logged_in(server, "anna").await;
    let (status, body) = sign_review(&anna, server, &refs).await;
    assert!(status >= 400, "{body}");
    assert_eq!(error_of(&body), AppError::FileClosed);
    let (status, body) = call(
        &anna,
        server,
        "/api/monthly/sign_report",
        &[
            ("file", &u.file.1),
            ("month", &m),
            ("evaluation", "x"),
            ("events", "x"),
            ("client_copy", "no"),
        ],
    )
    .await;
    assert_eq!(error_of(&body), AppError::FileClosed, "{status}");
    let page = review(&anna, server, &u.file.1, &m).await;
    assert!(!page.may_sign);
    assert_eq!(
        (count_reviews(db).await, count_review_entries(db).await),
        (0, 0)
    );
}

async fn my_work_lists_a_missed_month_and_not_a_done_one(db: &TestDb) {
    let u = unit(db).await;
    let server = &u.server;
    let anna = logged_in(server, "anna").await;
    let last = last_month().to_string();
    let before = month_before_last().to_string();
    let (status, body) = sign_review(
        &anna,
        server,
        &[
            ("file", &u.file.1),
            ("month", &last),
            ("phrasing", "nothing_seen"),
            ("text", "Inget av vikt."),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");

    let (status, body) = call(&anna, server, "/api/duties/my_work", &[]).await;
    assert_eq!(status, 200, "{body}");
    let work: MyWork = serde_json::from_str(&body).unwrap();
    let has = |duty: &str, month: &str| {
        work.rows.iter().any(|r| {
            r.file_id == u.file.1
                && r.duty == duty
                && r.month.as_deref() == Some(month)
                && r.overdue
        })
    };
    assert!(!has("monthly_review", &last), "last month's review is done");
    // Review and report are due on the 10th of the next month: last month's report is
    // overdue only after this month's 10th; the month before last's are overdue now.
    let tenth = chrono::Datelike::with_day(&today(), 10).expect("a tenth");
    assert_eq!(
        has("monthly_report", &last),
        today() > tenth,
        "last month's report is missing"
    );
    assert!(
        has("monthly_review", &before),
        "the month before is missing"
    );
    assert!(
        has("monthly_report", &before),
        "the month before's report is missing"
    );
    // The goal dialogue is listed like the other duties, past months too (issue 13):
    // none was held last month under the signed plan.
    assert!(
        has("goal_dialogue", &last),
        "last month's goal dialogue is missing"
    );
    assert!(has("goal_dialogue", &before));
}

on_both_backends! {
    review_signed_once => a_review_is_signed_into_the_journal_once;
    review_refusals => bad_months_and_missing_actions_are_refused;
    report_per_goal => a_report_per_goal_is_stored_and_read_only;
    monthly_refusals => closed_files_and_outsiders_are_refused;
    monthly_my_work => my_work_lists_a_missed_month_and_not_a_done_one;
}
