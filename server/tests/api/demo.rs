//! `akta demo`: a realistic unit, the same for the same seed, never over real data.

use crate::common::TestDb;
use akta_server::demo::{Options, generate};
use app::server::entities::{case_files, clients, journal_entries, plan_versions, users};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("date")
}

async fn fills_a_living_unit(db: &TestDb) {
    let summary = generate(
        &db.db,
        Options {
            seed: 7,
            clients: 60,
            today: today(),
        },
    )
    .await
    .expect("demo");
    assert_eq!(summary.users, 12);
    assert_eq!(summary.clients, 60);
    assert_eq!(
        users::Entity::find().count(&db.db).await.expect("count"),
        12
    );
    assert_eq!(
        case_files::Entity::find()
            .count(&db.db)
            .await
            .expect("count"),
        60 + summary.culling_soon as u64
    );
    // A few old files are due for culling within the administrator's 90 days.
    assert_eq!(summary.culling_soon, 4);
    let due = app::server::culling::due_by(&db.db, app::server::culling::preview_horizon(today()))
        .await
        .expect("due");
    assert_eq!(due.len(), 4, "{due:?}");
    // Several plan periods on some files, and two years of weekly entries.
    assert!(
        summary.plan_versions > summary.files,
        "expected revisions: {summary}"
    );
    assert!(
        summary.entries > 60 * 10,
        "expected a living journal: {summary}"
    );
    assert!(summary.intakes >= 3);
    // Monthly reviews (each a signed journal entry) and reports for most past months.
    let reviews = app::server::entities::monthly_reviews::Entity::find()
        .count(&db.db)
        .await
        .expect("count");
    let reports = app::server::entities::monthly_reports::Entity::find()
        .count(&db.db)
        .await
        .expect("count");
    assert!(
        reviews > 60 * 3 && reports == reviews,
        "{reviews} reviews, {reports} reports"
    );
    let review_entries = journal_entries::Entity::find()
        .filter(journal_entries::Column::Category.eq("monthly_review"))
        .filter(journal_entries::Column::Status.eq("signed"))
        .count(&db.db)
        .await
        .expect("count");
    assert_eq!(review_entries, reviews);
    // A goal dialogue in the journal for most months under a plan (routine: "en gång per
    // månad"), so the register does not raise one for every month.
    let dialogues = journal_entries::Entity::find()
        .filter(journal_entries::Column::Category.eq("goal_dialogue"))
        .filter(journal_entries::Column::Status.eq("signed"))
        .count(&db.db)
        .await
        .expect("count");
    assert!(dialogues > 60 * 2, "{dialogues} goal dialogues");
    // Every identity number is valid.
    for c in clients::Entity::find().all(&db.db).await.expect("clients") {
        akta_domain::IdentityNumber::parse(&c.identity_number, today())
            .expect("valid identity number");
    }
    // No entry in the future; the database accepted the signed ones as signed.
    let latest = journal_entries::Entity::find()
        .order_by_desc(journal_entries::Column::EventDate)
        .one(&db.db)
        .await
        .expect("entry")
        .expect("some entry");
    assert!(latest.event_date <= today());
    assert!(
        plan_versions::Entity::find()
            .count(&db.db)
            .await
            .expect("count")
            > 0
    );
}

async fn refuses_a_database_with_data(db: &TestDb) {
    crate::common::make_user(&db.db, "riktig", "admin", "ett-langt-losenord").await;
    let err = generate(
        &db.db,
        Options {
            seed: 1,
            clients: 10,
            today: today(),
        },
    )
    .await
    .expect_err("must refuse");
    assert!(err.to_string().contains("empty database"), "{err}");
    assert_eq!(
        clients::Entity::find().count(&db.db).await.expect("count"),
        0
    );
}

on_both_backends! {
    demo_fills_a_living_unit => fills_a_living_unit;
    demo_refuses_a_database_with_data => refuses_a_database_with_data;
}

#[tokio::test]
async fn the_same_seed_gives_the_same_unit() {
    let a = TestDb::new(crate::common::Backend::Sqlite)
        .await
        .expect("a");
    let b = TestDb::new(crate::common::Backend::Sqlite)
        .await
        .expect("b");
    generate(
        &a.db,
        Options {
            seed: 42,
            clients: 25,
            today: today(),
        },
    )
    .await
    .expect("a");
    generate(
        &b.db,
        Options {
            seed: 42,
            clients: 25,
            today: today(),
        },
    )
    .await
    .expect("b");
    let fingerprint = |rows: Vec<journal_entries::Model>| -> Vec<(i32, NaiveDate, String)> {
        rows.into_iter()
            .map(|e| (e.case_file_id, e.event_date, e.body))
            .collect()
    };
    let ea = journal_entries::Entity::find()
        .order_by_asc(journal_entries::Column::Id)
        .all(&a.db)
        .await
        .expect("a");
    let eb = journal_entries::Entity::find()
        .order_by_asc(journal_entries::Column::Id)
        .all(&b.db)
        .await
        .expect("b");
    assert_eq!(fingerprint(ea), fingerprint(eb));
    let ca: Vec<String> = clients::Entity::find()
        .all(&a.db)
        .await
        .expect("a")
        .into_iter()
        .map(|c| c.identity_number)
        .collect();
    let cb: Vec<String> = clients::Entity::find()
        .all(&b.db)
        .await
        .expect("b")
        .into_iter()
        .map(|c| c.identity_number)
        .collect();
    assert_eq!(ca, cb);

    let c = TestDb::new(crate::common::Backend::Sqlite)
        .await
        .expect("c");
    generate(
        &c.db,
        Options {
            seed: 43,
            clients: 25,
            today: today(),
        },
    )
    .await
    .expect("c");
    let cc: Vec<String> = clients::Entity::find()
        .all(&c.db)
        .await
        .expect("c")
        .into_iter()
        .map(|c| c.identity_number)
        .collect();
    assert_ne!(ca, cc, "another seed should give another unit");
    for db in [a, b, c] {
        db.cleanup().await;
    }
}
