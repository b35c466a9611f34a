//! Implementation plans and the intake checklist, through the real server:
//! versions that never overlap, revisions that copy, signatures that freeze,
//! copies handed over, bad input refused whole, need-to-know and the access log.

use crate::common::{TestDb, TestServer, call, call_json, login};
use akta_server::demo::{DEMO_PASSWORD, Options, generate};
use app::error::{AppError, Problem};
use app::model::PlanPage;
use app::server::entities::{
    access_log, assignments, care_team, case_files, goals, intake_checks, plan_versions, users,
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::json;

fn error_of(body: &str) -> AppError {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not an AppError ({e}): {body}"))
}

fn problem(body: &str, field: &str) -> Option<Problem> {
    error_of(body).problem_for(field)
}

struct Setup {
    file: case_files::Model,
    contact: String,
    outsider: String,
    versions: u64,
}

/// A demo unit and an open file (not the motivation group) whose newest plan
/// version is signed, its contact person, and a staff member not on its team.
async fn setup(db: &TestDb) -> Setup {
    generate(
        &db.db,
        Options {
            seed: 5,
            clients: 30,
            today: app::server::today(),
        },
    )
    .await
    .expect("demo");
    let open_files = case_files::Entity::find()
        .filter(case_files::Column::ClosedOn.is_null())
        .order_by_asc(case_files::Column::Id)
        .all(&db.db)
        .await
        .expect("files");
    for file in open_files {
        let assignment = assignments::Entity::find_by_id(file.assignment_id)
            .one(&db.db)
            .await
            .expect("q")
            .expect("a");
        if assignment.service_type == "motivation_group" {
            continue;
        }
        let newest = plan_versions::Entity::find()
            .filter(plan_versions::Column::CaseFileId.eq(file.id))
            .order_by_desc(plan_versions::Column::ValidFrom)
            .one(&db.db)
            .await
            .expect("q");
        if !newest
            .is_some_and(|v| v.client_signed_on.is_some() && v.valid_from < app::server::today())
        {
            continue;
        }
        let versions = plan_versions::Entity::find()
            .filter(plan_versions::Column::CaseFileId.eq(file.id))
            .count(&db.db)
            .await
            .expect("count");
        let team: Vec<i32> = care_team::Entity::find()
            .filter(care_team::Column::CaseFileId.eq(file.id))
            .all(&db.db)
            .await
            .expect("team")
            .into_iter()
            .map(|t| t.user_id)
            .chain([file.contact_person_id])
            .collect();
        let staff = users::Entity::find()
            .filter(users::Column::Role.eq("staff"))
            .all(&db.db)
            .await
            .expect("users");
        let contact = staff
            .iter()
            .find(|u| u.id == file.contact_person_id)
            .expect("contact")
            .username
            .clone();
        let outsider = staff
            .iter()
            .find(|u| !team.contains(&u.id))
            .expect("outsider")
            .username
            .clone();
        return Setup {
            file,
            contact,
            outsider,
            versions,
        };
    }
    panic!("no open file with a signed plan in the demo unit");
}

async fn logged_in(server: &TestServer, username: &str) -> reqwest::Client {
    let client = TestServer::client();
    assert!(
        login(&client, server, username, DEMO_PASSWORD).await < 400,
        "login {username}"
    );
    client
}

async fn post(
    client: &reqwest::Client,
    server: &TestServer,
    path: &str,
    form: &[(&str, String)],
) -> (u16, String) {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    call(client, server, path, &pairs).await
}

async fn version_count(db: &TestDb, file: i32) -> u64 {
    plan_versions::Entity::find()
        .filter(plan_versions::Column::CaseFileId.eq(file))
        .count(&db.db)
        .await
        .expect("count")
}

async fn view(client: &reqwest::Client, server: &TestServer, file: &str) -> PlanPage {
    let (status, body) = call(client, server, "/api/plan/view", &[("file", file)]).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).expect("plan page")
}

async fn a_revision_is_a_new_version_and_signing_freezes_it(db: &TestDb) {
    let s = setup(db).await;
    let server = TestServer::start(&db.db).await;
    let staff = logged_in(&server, &s.contact).await;
    let file = s.file.public_id.as_str();
    let today = app::server::today();
    let before = view(&staff, &server, file).await;
    assert!(before.may_write && before.plan_needed);
    let newest = before.versions.last().expect("a version").clone();
    assert!(!newest.editable, "a signed version is not editable");

    // Overlapping period and missing reason: both reported, nothing stored.
    let (_, body) = call(
        &staff,
        &server,
        "/api/plan/new_version",
        &[
            ("file", file),
            ("valid_from", &newest.valid_from.to_string()),
            ("reason", " "),
        ],
    )
    .await;
    assert_eq!(problem(&body, "valid_from"), Some(Problem::PeriodOverlaps));
    assert_eq!(problem(&body, "reason"), Some(Problem::Empty));
    assert_eq!(version_count(db, s.file.id).await, s.versions);
    let (_, body) = call(
        &staff,
        &server,
        "/api/plan/new_version",
        &[
            ("file", file),
            (
                "valid_from",
                &(today + chrono::Duration::days(31)).to_string(),
            ),
            ("reason", "Uppföljning"),
        ],
    )
    .await;
    assert_eq!(problem(&body, "valid_from"), Some(Problem::DateTooFarAhead));

    // The revision starts as a copy of the version in force.
    let (status, body) = call(
        &staff,
        &server,
        "/api/plan/new_version",
        &[
            ("file", file),
            ("valid_from", &today.to_string()),
            ("reason", "Uppföljning med socialsekreteraren"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let page = view(&staff, &server, file).await;
    assert_eq!(page.versions.len() as u64, s.versions + 1);
    let draft = page.versions.last().expect("draft").clone();
    assert!(draft.editable);
    assert_eq!(draft.goals.len(), newest.goals.len());
    assert_eq!(
        draft.revision_reason.as_deref(),
        Some("Uppföljning med socialsekreteraren")
    );
    // An unsigned revision is a draft: the version before it stays in force.
    let previous = &page.versions[page.versions.len() - 2];
    assert_eq!(previous.valid_to, None, "a draft ends nothing");
    assert!(previous.in_force && !draft.in_force && !draft.is_period);
    // Only one unsigned version at a time.
    let (_, body) = call(
        &staff,
        &server,
        "/api/plan/new_version",
        &[
            ("file", file),
            ("valid_from", &today.to_string()),
            ("reason", "x"),
        ],
    )
    .await;
    assert_eq!(error_of(&body), AppError::PlanDraftExists);

    // A goal needs a title, what and who; a sub-goal hangs under a goal.
    let number = draft.number.to_string();
    let goal_form = |title: &'static str, parent: Option<String>| {
        let mut form = vec![
            ("file", file.to_owned()),
            ("version", number.clone()),
            ("title", title.to_owned()),
            ("what", "Träffa en budget- och skuldrådgivare".to_owned()),
            ("how", String::new()),
            ("who", "Klienten med stöd av behandlaren".to_owned()),
            ("by_when", String::new()),
        ];
        if let Some(p) = parent {
            form.push(("parent", p));
        }
        form
    };
    let goals_before = goals::Entity::find().count(&db.db).await.expect("count");
    let (_, body) = post(
        &staff,
        &server,
        "/api/plan/save_goal",
        &goal_form("  ", None),
    )
    .await;
    assert_eq!(problem(&body, "title"), Some(Problem::Empty));
    assert_eq!(
        goals::Entity::find().count(&db.db).await.expect("count"),
        goals_before
    );
    let (status, body) = post(
        &staff,
        &server,
        "/api/plan/save_goal",
        &goal_form("Ordnad ekonomi", None),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let page = view(&staff, &server, file).await;
    let new_goal = page
        .versions
        .last()
        .unwrap()
        .goals
        .iter()
        .find(|g| g.title == "Ordnad ekonomi")
        .expect("goal")
        .clone();
    let (status, body) = post(
        &staff,
        &server,
        "/api/plan/save_goal",
        &goal_form("Boka tid hos rådgivaren", Some(new_goal.goal_id.clone())),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let page = view(&staff, &server, file).await;
    let sub = page
        .versions
        .last()
        .unwrap()
        .goals
        .iter()
        .find(|g| g.title == "Boka tid hos rådgivaren")
        .expect("sub")
        .clone();
    assert_eq!(sub.parent.as_deref(), Some(new_goal.goal_id.as_str()));

    // A goal with a sub-goal, or one a journal entry is linked to, stays.
    let (_, body) = call(
        &staff,
        &server,
        "/api/plan/delete_goal",
        &[
            ("file", file),
            ("version", &number),
            ("goal", &new_goal.goal_id),
        ],
    )
    .await;
    assert_eq!(error_of(&body), AppError::GoalInUse);
    let (status, body) = call_json(
        &staff,
        &server,
        "/api/journal/save_draft",
        &json!({ "file": file, "entry": null, "event_date": today.to_string(), "category": "event", "body": "Utkast", "goals": [sub.goal_id] }),
    )
    .await;
    // An unsigned revision is no plan period yet: nothing links to its goals.
    assert_eq!(status, 400, "{body}");
    assert_eq!(problem(&body, "goals"), Some(Problem::GoalNotInPeriod));

    // Signing: not in the future, and it needs the client's view.
    let (_, body) = call(
        &staff,
        &server,
        "/api/plan/sign",
        &[
            ("file", file),
            ("version", &number),
            (
                "signed_on",
                &(today + chrono::Duration::days(1)).to_string(),
            ),
            ("signed_how", "on_paper"),
        ],
    )
    .await;
    assert_eq!(problem(&body, "signed_on"), Some(Problem::DateInFuture));
    let (_, body) = call(
        &staff,
        &server,
        "/api/plan/save_details",
        &[
            ("file", file),
            ("version", &number),
            ("valid_from", "not a date"),
            ("client_view", "Klienten vill ha ordning på sin ekonomi."),
        ],
    )
    .await;
    assert_eq!(problem(&body, "valid_from"), Some(Problem::InvalidDate));
    let stored = plan_versions::Entity::find()
        .filter(plan_versions::Column::CaseFileId.eq(s.file.id))
        .order_by_desc(plan_versions::Column::ValidFrom)
        .one(&db.db)
        .await
        .expect("q")
        .expect("v");
    assert_eq!(
        stored.client_view, newest.client_view,
        "a refused save stores nothing"
    );
    let (status, body) = call(
        &staff,
        &server,
        "/api/plan/save_details",
        &[
            ("file", file),
            ("version", &number),
            ("valid_from", &today.to_string()),
            ("client_view", "Klienten vill ha ordning på sin ekonomi."),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = call(
        &staff,
        &server,
        "/api/plan/sign",
        &[
            ("file", file),
            ("version", &number),
            ("signed_on", &today.to_string()),
            ("signed_how", "in_person"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, body) = post(
        &staff,
        &server,
        "/api/plan/save_goal",
        &goal_form("Ett mål för sent", None),
    )
    .await;
    assert_eq!(error_of(&body), AppError::PlanSigned);
    let page = view(&staff, &server, file).await;
    let signed = page.versions.last().unwrap();
    assert!(!signed.editable);
    assert_eq!(signed.client_signed_on, Some(today));
    assert_eq!(signed.client_signed_how.as_deref(), Some("in_person"));
    // Signed, the revision is in force from its first day; the old period ends the day before.
    assert!(signed.is_period && signed.in_force);
    assert_eq!(
        page.versions[page.versions.len() - 2].valid_to,
        today.pred_opt(),
        "the old period ends the day before"
    );

    // Copies are handed over on or after the signature.
    let (_, body) = call(
        &staff,
        &server,
        "/api/plan/copies",
        &[
            ("file", file),
            ("version", &number),
            ("copy_to_client_on", &today.pred_opt().unwrap().to_string()),
            ("copy_to_contact_on", ""),
            ("copy_to_secretary_on", ""),
        ],
    )
    .await;
    assert_eq!(
        problem(&body, "copy_to_client_on"),
        Some(Problem::DateBeforePlan)
    );
    let (status, body) = call(
        &staff,
        &server,
        "/api/plan/copies",
        &[
            ("file", file),
            ("version", &number),
            ("copy_to_client_on", &today.to_string()),
            ("copy_to_contact_on", &today.to_string()),
            ("copy_to_secretary_on", ""),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let page = view(&staff, &server, file).await;
    let signed = page.versions.last().unwrap();
    assert_eq!(signed.copy_to_client_on, Some(today));
    assert_eq!(signed.copy_to_secretary_on, None);

    // Every read and change is in the access log.
    let logged = |action: &'static str| async move {
        access_log::Entity::find()
            .filter(access_log::Column::Action.eq(action))
            .filter(access_log::Column::CaseFileId.eq(s.file.id))
            .count(&db.db)
            .await
            .expect("count")
    };
    assert!(logged("read_plan").await >= 5);
    assert!(logged("change_plan").await >= 6);
}

async fn plans_are_need_to_know(db: &TestDb) {
    let s = setup(db).await;
    let server = TestServer::start(&db.db).await;
    let file = s.file.public_id.as_str();
    let today = app::server::today().to_string();
    let writes: [(&str, Vec<(&str, &str)>); 4] = [
        (
            "/api/plan/new_version",
            vec![("file", file), ("valid_from", &today), ("reason", "x")],
        ),
        (
            "/api/plan/sign",
            vec![
                ("file", file),
                ("version", "1"),
                ("signed_on", &today),
                ("signed_how", "on_paper"),
            ],
        ),
        (
            "/api/plan/copies",
            vec![
                ("file", file),
                ("version", "1"),
                ("copy_to_client_on", ""),
                ("copy_to_contact_on", ""),
                ("copy_to_secretary_on", ""),
            ],
        ),
        (
            "/api/plan/intake",
            vec![("file", file), ("item", "consent"), ("checked", "true")],
        ),
    ];

    let intake_before = intake_checks::Entity::find()
        .count(&db.db)
        .await
        .expect("count");
    // Not on the care team: the file does not exist.
    let outsider = logged_in(&server, &s.outsider).await;
    let (_, body) = call(&outsider, &server, "/api/plan/view", &[("file", file)]).await;
    assert_eq!(error_of(&body), AppError::NotFound);
    for (path, form) in &writes {
        let (_, body) = call(&outsider, &server, path, form).await;
        assert_eq!(error_of(&body), AppError::NotFound, "{path}");
    }
    // The manager reads every plan but writes in none.
    let manager = logged_in(&server, "chef").await;
    let page = view(&manager, &server, file).await;
    assert!(!page.may_write);
    assert!(page.versions.iter().all(|v| !v.editable));
    for (path, form) in &writes {
        let (_, body) = call(&manager, &server, path, form).await;
        assert_eq!(error_of(&body), AppError::Forbidden, "{path}");
    }
    // The administrator reads no file content.
    let admin = logged_in(&server, "admin").await;
    let (_, body) = call(&admin, &server, "/api/plan/view", &[("file", file)]).await;
    assert_eq!(error_of(&body), AppError::Forbidden);
    assert_eq!(version_count(db, s.file.id).await, s.versions);
    assert_eq!(
        intake_checks::Entity::find()
            .count(&db.db)
            .await
            .expect("count"),
        intake_before
    );
}

async fn intake_checklist_is_ticked_per_file(db: &TestDb) {
    let s = setup(db).await;
    let server = TestServer::start(&db.db).await;
    let staff = logged_in(&server, &s.contact).await;
    let file = s.file.public_id.as_str();
    let checked = |page: &PlanPage| {
        page.intake
            .iter()
            .find(|i| i.item == "confidentiality")
            .and_then(|i| i.checked.clone())
    };
    let (status, body) = call(
        &staff,
        &server,
        "/api/plan/intake",
        &[
            ("file", file),
            ("item", "confidentiality"),
            ("checked", "false"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let page = view(&staff, &server, file).await;
    assert_eq!(
        page.intake.len(),
        akta_domain::intake::IntakeItem::ALL.len()
    );
    assert_eq!(checked(&page), None);
    let others = page.intake.iter().filter(|i| i.checked.is_some()).count();
    for _ in 0..2 {
        // Twice: a double click changes nothing.
        let (status, body) = call(
            &staff,
            &server,
            "/api/plan/intake",
            &[
                ("file", file),
                ("item", "confidentiality"),
                ("checked", "true"),
            ],
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    let page = view(&staff, &server, file).await;
    let contact = users::Entity::find_by_id(s.file.contact_person_id)
        .one(&db.db)
        .await
        .expect("q")
        .expect("u");
    assert_eq!(
        checked(&page),
        Some((contact.display_name, app::server::today()))
    );
    assert_eq!(
        page.intake.iter().filter(|i| i.checked.is_some()).count(),
        others + 1
    );
    let (_, body) = call(
        &staff,
        &server,
        "/api/plan/intake",
        &[("file", file), ("item", "weather"), ("checked", "true")],
    )
    .await;
    assert_eq!(error_of(&body), AppError::NotFound);
}

async fn the_motivation_group_has_no_plan(db: &TestDb) {
    let s = setup(db).await;
    let motivation: Vec<i32> = assignments::Entity::find()
        .filter(assignments::Column::ServiceType.eq("motivation_group"))
        .all(&db.db)
        .await
        .expect("q")
        .into_iter()
        .map(|a| a.id)
        .collect();
    let Some(file) = case_files::Entity::find()
        .filter(case_files::Column::AssignmentId.is_in(motivation))
        .filter(case_files::Column::ClosedOn.is_null())
        .one(&db.db)
        .await
        .expect("q")
    else {
        panic!("the demo unit has an open motivation-group file");
    };
    let _ = s;
    let server = TestServer::start(&db.db).await;
    let contact = users::Entity::find_by_id(file.contact_person_id)
        .one(&db.db)
        .await
        .expect("q")
        .expect("u");
    let staff = logged_in(&server, &contact.username).await;
    let page = view(&staff, &server, &file.public_id).await;
    assert!(!page.plan_needed);
    let today = app::server::today().to_string();
    let (_, body) = call(
        &staff,
        &server,
        "/api/plan/new_version",
        &[
            ("file", &file.public_id),
            ("valid_from", &today),
            ("reason", ""),
        ],
    )
    .await;
    assert_eq!(error_of(&body), AppError::NoPlanForService);
}

/// issue 16: an unsigned revision that starts tomorrow is not in force; the journal
/// offers (and accepts) the goals of the period in force on the entry's date.
async fn a_future_revision_is_in_force_only_once_signed_and_started(db: &TestDb) {
    let s = setup(db).await;
    let server = TestServer::start(&db.db).await;
    let staff = logged_in(&server, &s.contact).await;
    let file = s.file.public_id.as_str();
    let today = app::server::today();
    let tomorrow = today + chrono::Duration::days(1);
    let (status, body) = call(
        &staff,
        &server,
        "/api/plan/new_version",
        &[
            ("file", file),
            ("valid_from", &tomorrow.to_string()),
            ("reason", "Uppföljning"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let page = view(&staff, &server, file).await;
    let (old, draft) = match page.versions.as_slice() {
        [.., old, draft] => (old.clone(), draft.clone()),
        _ => panic!("two versions"),
    };
    assert!(old.in_force && old.valid_to.is_none(), "{old:?}");
    assert!(!draft.in_force && !draft.is_period);

    // The journal: only the period in force, its goals accepted, the draft's refused.
    let server = &server;
    let journal_view = |client: reqwest::Client| async move {
        let args = serde_json::json!({ "file": file, "filter": { "category": null, "goal": null, "period": null, "page": 0 } });
        let (status, body) = call_json(&client, server, "/api/journal/view", &args).await;
        assert_eq!(status, 200, "{body}");
        serde_json::from_str::<app::model::FileJournal>(&body).expect("journal")
    };
    let journal = journal_view(staff.clone()).await;
    let last = journal.periods.last().expect("a period");
    assert_eq!(last.number, old.number, "the draft is no period");
    assert!(last.in_force);
    let entry = |goal: &str| {
        serde_json::json!({ "file": file, "entry": null, "event_date": today.to_string(),
            "category": "event", "body": "Samtal om veckan", "goals": [goal] })
    };
    let old_goal = old.goals.first().expect("a goal").goal_id.clone();
    let draft_goal = draft.goals.first().expect("a goal").goal_id.clone();
    let (status, body) =
        call_json(&staff, server, "/api/journal/save_draft", &entry(&old_goal)).await;
    assert_eq!(status, 200, "{body}");
    let (_, body) = call_json(
        &staff,
        server,
        "/api/journal/save_draft",
        &entry(&draft_goal),
    )
    .await;
    assert_eq!(problem(&body, "goals"), Some(Problem::GoalNotInPeriod));

    // Signed today, it starts tomorrow: the old period is in force until today.
    let (status, body) = call(
        &staff,
        server,
        "/api/plan/sign",
        &[
            ("file", file),
            ("version", &draft.number.to_string()),
            ("signed_on", &today.to_string()),
            ("signed_how", "on_paper"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let page = view(&staff, server, file).await;
    let (old, new) = match page.versions.as_slice() {
        [.., old, new] => (old.clone(), new.clone()),
        _ => panic!("two versions"),
    };
    assert_eq!(old.valid_to, Some(today));
    assert!(old.in_force);
    assert!(new.is_period && !new.in_force);
    let journal = journal_view(staff.clone()).await;
    assert_eq!(journal.periods.len(), page.versions.len());
    assert!(!journal.periods.last().expect("period").in_force);
}

on_both_backends! {
    revisions_copy_and_signatures_freeze => a_revision_is_a_new_version_and_signing_freezes_it;
    plan_reads_and_writes_are_need_to_know => plans_are_need_to_know;
    intake_checklist => intake_checklist_is_ticked_per_file;
    motivation_group_needs_no_plan => the_motivation_group_has_no_plan;
    future_revision_in_force_once_signed => a_future_revision_is_in_force_only_once_signed_and_started;
}
