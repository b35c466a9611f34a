//! Issue 13, "rules a unit can trust", through the real server and database: the unit's
//! due day for the monthly review and report (set by the manager, checked, logged, used
//! by "my work" and the register), the monthly duties and the goal dialogue raised as
//! deviations by their due day, and open intakes that outlast their service.

use crate::common::{TestDb, TestServer, call, login, make_user};
use crate::deviations::{PASSWORD, days, entry, keys, make_file, signed_plan, today, user_id};
use akta_domain::deadlines::YearMonth;
use app::error::{AppError, Problem};
use app::model::{IntakeList, MyWork};
use app::server::entities::{
    access_log, journal_entries, monthly_reviews, open_intakes, unit_settings,
};
use chrono::{Duration, NaiveDate};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter,
};

async fn logged_in(server: &TestServer, username: &str) -> reqwest::Client {
    let client = TestServer::client();
    assert_eq!(login(&client, server, username, PASSWORD).await, 200);
    client
}

async fn my_work(client: &reqwest::Client, server: &TestServer) -> MyWork {
    let (status, body) = call(client, server, "/api/duties/my_work", &[]).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

async fn set_day(client: &reqwest::Client, server: &TestServer, day: &str) -> (u16, String) {
    call(client, server, "/api/duties/settings", &[("due_day", day)]).await
}

async fn stored_day(db: &TestDb) -> Option<String> {
    unit_settings::Entity::find_by_id("deadlines.monthly_due_day".to_owned())
        .one(&db.db)
        .await
        .unwrap()
        .map(|s| s.value)
}

fn last_month() -> YearMonth {
    YearMonth::of(YearMonth::of(today()).first_day() - Duration::days(1))
}

fn month_before_last() -> YearMonth {
    YearMonth::of(last_month().first_day() - Duration::days(1))
}

/// Day `n` of `month`.
fn day_of(month: YearMonth, n: u32) -> NaiveDate {
    month.first_day() + Duration::days(i64::from(n) - 1)
}

/// The manager sets the due day; a day outside 1–28 is refused at the field and
/// stores nothing; staff may not; "my work" counts from the setting and says it.
async fn the_manager_sets_the_monthly_due_day(db: &TestDb) {
    make_user(&db.db, "anna", "staff", PASSWORD).await;
    make_user(&db.db, "chef", "manager", PASSWORD).await;
    let anna_id = user_id(db, "anna").await;
    let chef_id = user_id(db, "chef").await;
    // A file open since the month before last, so last month owes its review.
    let start = month_before_last().first_day();
    make_file(db, 1, anna_id, start).await;
    let server = TestServer::start(&db.db).await;
    let chef = logged_in(&server, "chef").await;
    let anna = logged_in(&server, "anna").await;

    // The default: the 10th.
    assert_eq!(stored_day(db).await, None);
    assert_eq!(my_work(&chef, &server).await.monthly_due_day, 10);

    let (status, body) = set_day(&chef, &server, " 15 ").await;
    assert_eq!(status, 200, "{body}");
    let row = unit_settings::Entity::find_by_id("deadlines.monthly_due_day".to_owned())
        .one(&db.db)
        .await
        .unwrap()
        .expect("stored");
    assert_eq!((row.value.as_str(), row.updated_by), ("15", Some(chef_id)));
    let line = access_log::Entity::find()
        .filter(access_log::Column::Action.eq("change_settings"))
        .one(&db.db)
        .await
        .unwrap()
        .expect("logged");
    assert_eq!(line.user_id, Some(chef_id));
    assert_eq!(
        line.detail.as_deref(),
        Some(r#"{"k":"monthly_due_day","day":15}"#)
    );

    // "My work" says the day and counts from it: last month's review is due on the
    // 15th of this month (listed once it is near or past).
    let work = my_work(&anna, &server).await;
    assert_eq!(work.monthly_due_day, 15);
    let last = last_month().to_string();
    let due_15 = day_of(YearMonth::of(today()), 15);
    for row in work
        .rows
        .iter()
        .filter(|r| r.duty == "monthly_review" && r.month.as_deref() == Some(&last))
    {
        assert_eq!(row.due, due_15);
    }
    let facts = app::server::duties::facts_of(
        &db.db,
        &app::server::entities::case_files::Entity::find()
            .all(&db.db)
            .await
            .unwrap(),
    )
    .await
    .unwrap();
    let review = facts
        .values()
        .next()
        .expect("one file")
        .0
        .due_items(today())
        .into_iter()
        .find(|i| i.duty == akta_domain::deadlines::Duty::MonthlyReview(last_month()))
        .expect("last month's review");
    assert_eq!(review.due, due_15);

    // Outside 1–28, or not a number: refused at the field, nothing stored.
    for bad in ["31", "0", "29", "tio", "", "1.5"] {
        let (status, body) = set_day(&chef, &server, bad).await;
        assert_eq!(status, 400, "{bad}: {body}");
        let error: AppError = serde_json::from_str(&body).unwrap();
        assert_eq!(
            error.problem_for("due_day"),
            Some(Problem::InvalidCount { max: 28 }),
            "{bad}"
        );
        assert_eq!(stored_day(db).await.as_deref(), Some("15"));
    }

    // Staff may not change it.
    let (status, _) = set_day(&anna, &server, "20").await;
    assert_eq!(status, 403);
    assert_eq!(stored_day(db).await.as_deref(), Some("15"));
    let refused = access_log::Entity::find()
        .filter(access_log::Column::Action.eq("refused"))
        .filter(access_log::Column::UserId.eq(anna_id))
        .all(&db.db)
        .await
        .unwrap();
    assert_eq!(refused.len(), 1);
}

/// A signed monthly review of `month` in `file`, signed on `on`.
async fn review_signed(db: &TestDb, file: i32, author: i32, month: YearMonth, on: NaiveDate) {
    let at = on.and_hms_opt(11, 0, 0).unwrap().and_utc();
    let entry = journal_entries::ActiveModel {
        public_id: Set(format!("review{file}x{month}")),
        case_file_id: Set(file),
        author_id: Set(author),
        event_date: Set(on),
        category: Set("monthly_review".to_owned()),
        body: Set("Genomgång av social journal".to_owned()),
        status: Set("signed".to_owned()),
        signed_at: Set(Some(at)),
        corrects_id: Set(None),
        correction_reason: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    }
    .insert(&db.db)
    .await
    .unwrap();
    monthly_reviews::ActiveModel {
        case_file_id: Set(file),
        month: Set(month.to_string()),
        phrasing: Set("nothing_seen".to_owned()),
        journal_entry_id: Set(entry.id),
        signed_by: Set(author),
        signed_at: Set(at),
        ..Default::default()
    }
    .insert(&db.db)
    .await
    .unwrap();
}

/// The monthly deviations of one file due before this month, as (duty, due).
async fn monthly_keys(db: &TestDb, file: i32) -> Vec<(String, NaiveDate)> {
    let this_month = YearMonth::of(today()).first_day();
    keys(db)
        .await
        .into_iter()
        .filter(|k| k.0 == file && k.3 < this_month)
        .filter_map(|k| k.2.map(|duty| (duty, k.3)))
        .filter(|(duty, _)| {
            matches!(
                duty.as_str(),
                "monthly_review" | "monthly_report" | "goal_dialogue"
            )
        })
        .collect()
}

/// The monthly review, the monthly report and the goal dialogue are raised keyed by
/// their due day: a review signed before the unit's day raises nothing, a missing report
/// and a goal dialogue not held do; changing the day raises no second deviation for a
/// month already raised.
async fn monthly_duties_are_raised_by_the_units_due_day(db: &TestDb) {
    make_user(&db.db, "anna", "staff", PASSWORD).await;
    make_user(&db.db, "chef", "manager", PASSWORD).await;
    let anna = user_id(db, "anna").await;
    let before = month_before_last();
    let last = last_month();
    let start = before.first_day() - Duration::days(20);
    let (file, _) = make_file(db, 1, anna, start).await;
    signed_plan(db, file, anna, start + Duration::days(5)).await;
    // The month before last: reviewed on the 12th of last month, no report, no dialogue.
    review_signed(db, file, anna, before, day_of(last, 12)).await;
    // Last month's goal dialogue was held (on the 5th); nothing of last month is due
    // before this month.
    entry(db, file, anna, day_of(last, 5), "goal_dialogue", "signed").await;
    // The month before the month before last: all done on time.
    let earliest = YearMonth::of(start);
    review_signed(db, file, anna, earliest, day_of(earliest.next(), 3)).await;
    entry(
        db,
        file,
        anna,
        start + Duration::days(10),
        "goal_dialogue",
        "signed",
    )
    .await;

    let server = TestServer::start(&db.db).await;
    let chef = logged_in(&server, "chef").await;
    let (status, body) = set_day(&chef, &server, "15").await;
    assert_eq!(status, 200, "{body}");

    app::server::deviations::raise(&db.db, today(), Condition::all())
        .await
        .unwrap();
    let mut expected = vec![
        ("goal_dialogue".to_owned(), before.last_day()),
        ("monthly_report".to_owned(), day_of(last, 15)),
        // The earliest month's report is missing too.
        ("monthly_report".to_owned(), day_of(earliest.next(), 15)),
    ];
    expected.sort();
    let mut found = monthly_keys(db, file).await;
    found.sort();
    assert_eq!(found, expected, "the review signed on the 12th was on time");

    // Back to the 10th: the review signed on the 12th is now late, and is raised; the
    // reports already raised on the 15th are not raised again on the 10th.
    let (status, body) = set_day(&chef, &server, "10").await;
    assert_eq!(status, 200, "{body}");
    app::server::deviations::raise(&db.db, today(), Condition::all())
        .await
        .unwrap();
    expected.push(("monthly_review".to_owned(), day_of(last, 10)));
    expected.sort();
    let mut found = monthly_keys(db, file).await;
    found.sort();
    assert_eq!(found, expected);
}

async fn intake(db: &TestDb, n: i32, therapist: i32, service: &str, started: NaiveDate) {
    open_intakes::ActiveModel {
        id: Set(n),
        public_id: Set(format!("intake{n:06}")),
        pseudonym: Set(format!("Blå {n}")),
        service: Set(service.to_owned()),
        started_on: Set(started),
        sex: Set(None),
        age_band: Set(None),
        notes: Set(String::new()),
        therapist_id: Set(therapist),
        created_at: Set(app::server::now()),
    }
    .insert(&db.db)
    .await
    .unwrap();
}

/// A registration open longer than its service lasts (12 weeks of primary group, five
/// talks in ten weeks) is pointed out to its therapist, on the list and in "my work";
/// the MI group has no length; nobody else is told.
async fn an_open_intake_past_its_service_is_pointed_out(db: &TestDb) {
    make_user(&db.db, "anna", "staff", PASSWORD).await;
    make_user(&db.db, "johan", "staff", PASSWORD).await;
    let anna = user_id(db, "anna").await;
    let johan = user_id(db, "johan").await;
    intake(db, 1, anna, "primary_group", days(-85)).await;
    intake(db, 2, anna, "primary_group", days(-84)).await;
    intake(db, 3, anna, "mi_group", days(-300)).await;
    intake(db, 4, anna, "advisory_talks", days(-71)).await;
    intake(db, 5, johan, "primary_group", days(-200)).await;
    let server = TestServer::start(&db.db).await;
    let client = logged_in(&server, "anna").await;

    let (status, body) = call(&client, &server, "/api/intake/list", &[]).await;
    assert_eq!(status, 200, "{body}");
    let list: IntakeList = serde_json::from_str(&body).unwrap();
    let row = |id: &str| list.rows.iter().find(|r| r.id == id).expect("row");
    assert!(row("intake000001").overstayed);
    assert_eq!(row("intake000001").ends_by, Some(days(-1)));
    assert!(!row("intake000002").overstayed, "the 84th day is the last");
    assert_eq!(row("intake000002").ends_by, Some(days(0)));
    assert!(!row("intake000003").overstayed);
    assert_eq!(row("intake000003").ends_by, None);
    assert!(row("intake000004").overstayed);
    assert_eq!(list.rows.len(), 4, "only her own");

    let work = my_work(&client, &server).await;
    let over: Vec<&str> = work
        .intakes_overstayed
        .iter()
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(over, vec!["intake000001", "intake000004"]);
    // Logged without ids, as the list is.
    let line = access_log::Entity::find()
        .filter(access_log::Column::Action.eq("list_intakes"))
        .filter(access_log::Column::Detail.eq(r#"{"k":"rows","rows":2}"#))
        .one(&db.db)
        .await
        .unwrap();
    assert!(line.is_some_and(|l| l.user_id == Some(anna) && l.client_id.is_none()));

    let johan_client = logged_in(&server, "johan").await;
    let work = my_work(&johan_client, &server).await;
    let over: Vec<&str> = work
        .intakes_overstayed
        .iter()
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(over, vec!["intake000005"]);
}

on_both_backends! {
    monthly_due_day_setting => the_manager_sets_the_monthly_due_day;
    monthly_deviations => monthly_duties_are_raised_by_the_units_due_day;
    intake_overstay => an_open_intake_past_its_service_is_pointed_out;
}
