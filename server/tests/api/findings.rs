//! Findings that become actions (issue 15, part 2): a reviewer's "no" or "partly" with
//! a recommendation reaches the file's contact person once the review is submitted;
//! the contact person replies and records an action with a date, refused at the field
//! when incomplete; the manager sees every finding of the round and which are late;
//! the next year's reviewer of the file sees last round's findings and actions, and
//! the contact person's other files only in numbers. Logged as changes of the file.

use crate::audit::{
    STAFF, answer_all_and_submit, demo_unit, error_of, log_count, logged_in, open_round, publish,
    round_view, with_plan, workspace,
};
use crate::common::{TestDb, TestServer, call};
use app::error::{AppError, Problem};
use app::model::audit::{FileAuditResults, FindingAction, FindingStatus};
use app::server::entities::{access_log, audit_actions, audit_rounds, case_files, users};
use chrono::{Datelike, Duration};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

fn today() -> chrono::NaiveDate {
    app::server::today()
}

async fn contact_person_of(db: &TestDb, file_id: &str) -> (case_files::Model, String) {
    let file = case_files::Entity::find()
        .filter(case_files::Column::PublicId.eq(file_id))
        .one(&db.db)
        .await
        .unwrap()
        .unwrap();
    let user = users::Entity::find_by_id(file.contact_person_id)
        .one(&db.db)
        .await
        .unwrap()
        .unwrap();
    (file, user.username)
}

async fn respond(
    client: &reqwest::Client,
    server: &TestServer,
    form: &[(&str, &str)],
) -> Result<FindingAction, AppError> {
    let (status, body) = call(client, server, "/api/audit/respond", form).await;
    if status == 200 {
        Ok(serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}")))
    } else {
        Err(error_of(&body))
    }
}

fn problem(result: &Result<FindingAction, AppError>, field: &str) -> Option<Problem> {
    match result {
        Err(e) => e.problem_for(field),
        Ok(_) => None,
    }
}

async fn actions_stored(db: &TestDb) -> u64 {
    audit_actions::Entity::find().count(&db.db).await.unwrap()
}

async fn findings_become_actions(db: &TestDb) {
    demo_unit(db).await;
    let server = TestServer::start(&db.db).await;
    let chef = logged_in(&server, "chef").await;
    let round = open_round(&chef, &server).await;
    publish(&chef, &server, &round).await;
    let view = round_view(&chef, &server, &round).await;
    let row = with_plan(db, &view.assignments).await[0].clone();
    let (file, contact) = contact_person_of(db, &row.file_id).await;
    let reviewer = logged_in(&server, &row.reviewer.username).await;

    // The reviewer: "no" on the first question with a recommendation, "yes" on the
    // rest; a recommendation beside a "yes" is not kept.
    let ws = answer_all_and_submit(&reviewer, &server, &row.assignment_id, "no", "partly").await;
    let period = ws.periods[0].number.to_string();
    let (first, second) = (&ws.items[0].key, &ws.items[1].key);
    // Submitted: reopen it to write the recommendations, as a reviewer would before submitting.
    let (status, body) = call(
        &chef,
        &server,
        "/api/audit/reopen",
        &[
            ("assignment", &row.assignment_id),
            ("reason", "Rekommendationer saknas"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    for (item, answer, text) in [
        (first, "no", "Skriv planen inom 14 dagar."),
        (second, "yes", "Inget att göra."),
    ] {
        let (status, body) = call(
            &reviewer,
            &server,
            "/api/audit/answer",
            &[
                ("assignment", row.assignment_id.as_str()),
                ("period", period.as_str()),
                ("item", item.as_str()),
                ("answer", answer),
                ("comment", "Kommentar"),
                ("recommendation", text),
            ],
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    let again = workspace(&reviewer, &server, &row.assignment_id)
        .await
        .unwrap();
    let answers = &again.periods[0].answers;
    assert_eq!(answers[0].recommendation, "Skriv planen inom 14 dagar.");
    assert_eq!(answers[1].recommendation, "", "a yes has no recommendation");
    // While reopened the contact person has nothing to answer (not submitted).
    let me = logged_in(&server, &contact).await;
    let form_base = |review: &str| {
        vec![
            ("file".to_owned(), row.file_id.clone()),
            ("review".to_owned(), review.to_owned()),
            ("finding".to_owned(), format!("{period}:{first}")),
        ]
    };
    let with = |extra: &[(&str, &str)]| {
        let mut form = form_base(&row.assignment_id);
        form.extend(
            extra
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        form
    };
    let send = async |form: Vec<(String, String)>| {
        let form: Vec<(&str, &str)> = form.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        respond(&me, &server, &form).await
    };
    assert_eq!(
        send(with(&[("reply", "Jag ser över det.")])).await,
        Err(AppError::NotFound)
    );
    let (status, body) = call(
        &reviewer,
        &server,
        "/api/audit/submit",
        &[("assignment", row.assignment_id.as_str())],
    )
    .await;
    assert_eq!(status, 200, "{body}");

    // The contact person reads the finding with its recommendation.
    let (status, body) = call(&me, &server, "/api/audit/file", &[("file", &row.file_id)]).await;
    assert_eq!(status, 200, "{body}");
    let results: FileAuditResults = serde_json::from_str(&body).unwrap();
    let this_year = results
        .reviews
        .iter()
        .find(|r| r.year == today().year())
        .expect("this year's review");
    assert_eq!(this_year.assignment_id, row.assignment_id);
    let finding = &this_year.periods[0].answers[0];
    assert_eq!(finding.answer.as_deref(), Some("no"));
    assert_eq!(finding.recommendation, "Skriv planen inom 14 dagar.");
    assert_eq!(finding.action, None);

    // Incomplete answers are refused at their field, and nothing is stored.
    let before = actions_stored(db).await;
    let refused = [
        (
            with(&[("action", "Planen skrivs om.")]),
            "due_on",
            Problem::ActionDateMissing,
        ),
        (with(&[("done", "on")]), "action", Problem::ActionMissing),
        (
            with(&[("due_on", "2026-02-30"), ("action", "x")]),
            "due_on",
            Problem::InvalidDate,
        ),
        (with(&[]), "reply", Problem::Empty),
        (
            with(&[("reply", &"å".repeat(2001))]),
            "reply",
            Problem::TooLong { max: 2000 },
        ),
    ];
    for (form, field, expected) in refused {
        let result = send(form.clone()).await;
        assert_eq!(
            problem(&result, field),
            Some(expected),
            "{form:?}: {result:?}"
        );
    }
    assert_eq!(actions_stored(db).await, before);
    // A "yes" is no finding; someone else's answer is "not found", and logged.
    let mut yes = with(&[("reply", "x")]);
    yes[2].1 = format!("{period}:{second}");
    assert_eq!(send(yes).await, Err(AppError::NotFound));
    let other = STAFF.iter().find(|u| **u != contact).copied().unwrap();
    let other = logged_in(&server, other).await;
    let refusals = log_count(db, "refused").await;
    let form = with(&[("reply", "x")]);
    let form: Vec<(&str, &str)> = form.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    assert_eq!(
        respond(&other, &server, &form).await,
        Err(AppError::NotFound)
    );
    assert_eq!(log_count(db, "refused").await, refusals + 1);
    assert_eq!(actions_stored(db).await, before);

    // An action due yesterday: saved, logged on the file, late on the manager's page.
    let yesterday = (today() - Duration::days(1)).to_string();
    let saved = send(with(&[
        ("reply", "Jag håller med."),
        ("action", "Planen skrivs om med klienten."),
        ("due_on", &yesterday),
    ]))
    .await
    .expect("saved");
    assert_eq!(saved.due_on, Some(today() - Duration::days(1)));
    assert_eq!(saved.done_on, None);
    assert_eq!(actions_stored(db).await, before + 1);
    let line = access_log::Entity::find()
        .filter(access_log::Column::Action.eq("respond_finding"))
        .order_by_desc(access_log::Column::Id)
        .one(&db.db)
        .await
        .unwrap()
        .expect("logged");
    assert_eq!(line.case_file_id, Some(file.id));
    assert_eq!(line.client_id, Some(file.client_id));
    let findings = round_view(&chef, &server, &round).await.findings;
    let mine = findings
        .iter()
        .find(|f| f.file_id == row.file_id && f.item_number == 1)
        .expect("the finding on the manager's page");
    assert_eq!(mine.status, FindingStatus::Overdue);
    assert_eq!(mine.recommendation, "Skriv planen inom 14 dagar.");
    assert!(
        findings
            .iter()
            .all(|f| f.answer == "no" || f.answer == "partly"),
        "only no and partly are findings"
    );

    // Done: the day is today, and stays the day it was first marked done.
    let done = send(with(&[
        ("reply", "Jag håller med."),
        ("action", "Planen skrevs om med klienten."),
        ("due_on", &yesterday),
        ("done", "on"),
    ]))
    .await
    .expect("done");
    assert_eq!(done.done_on, Some(today()));
    assert_eq!(actions_stored(db).await, before + 1, "one row per finding");
    let findings = round_view(&chef, &server, &round).await.findings;
    assert!(findings.iter().any(|f| f.file_id == row.file_id
        && f.item_number == 1
        && f.status == FindingStatus::Done));

    // Next year's reviewer: last year's demo round reviewed files of this year's
    // round. The contact person of one of them answers last year's finding; the
    // reviewer of the file this year sees it beside the checklist.
    let last_round = audit_rounds::Entity::find()
        .filter(audit_rounds::Column::Year.eq(today().year() - 1))
        .one(&db.db)
        .await
        .unwrap()
        .expect("the demo's round of last year");
    let last_view = round_view(&chef, &server, &last_round.public_id).await;
    let this_round = round_view(&chef, &server, &round).await;
    let (earlier_file, this_row) = last_view
        .findings
        .iter()
        .find_map(|f| {
            this_round
                .assignments
                .iter()
                .find(|a| a.file_id == f.file_id && !a.submitted && !a.second_review)
                .map(|a| (f.file_id.clone(), a.clone()))
        })
        .expect("a file with a finding last year, in this year's round");
    let (_, owner) = contact_person_of(db, &earlier_file).await;
    let owner_client = logged_in(&server, &owner).await;
    let (_, body) = call(
        &owner_client,
        &server,
        "/api/audit/file",
        &[("file", &earlier_file)],
    )
    .await;
    let results: FileAuditResults = serde_json::from_str(&body).unwrap();
    let (review, period, item) = results
        .reviews
        .iter()
        .filter(|r| r.year == today().year() - 1 && !r.second_review)
        .flat_map(|r| {
            r.periods.iter().flat_map(move |p| {
                p.answers
                    .iter()
                    .filter(|a| matches!(a.answer.as_deref(), Some("no" | "partly")))
                    .map(move |a| (r.assignment_id.clone(), p.number.to_string(), a.key.clone()))
            })
        })
        .next()
        .expect("last year's finding of the file");
    let due = (today() + Duration::days(20)).to_string();
    let finding = format!("{period}:{item}");
    let form = [
        ("file", earlier_file.as_str()),
        ("review", review.as_str()),
        ("finding", finding.as_str()),
        ("action", "Veckoanteckningar varje vecka."),
        ("due_on", due.as_str()),
    ];
    respond(&owner_client, &server, &form)
        .await
        .expect("answered last year's finding");
    let next = logged_in(&server, &this_row.reviewer.username).await;
    let ws = workspace(&next, &server, &this_row.assignment_id)
        .await
        .unwrap();
    let earlier = ws.earlier.expect("last round beside the checklist");
    assert_eq!(earlier.year, today().year() - 1);
    assert!(earlier.file_reviewed);
    let shown = earlier
        .this_file
        .iter()
        .find(|f| {
            f.action
                .as_ref()
                .is_some_and(|a| a.action == "Veckoanteckningar varje vecka.")
        })
        .expect("the action beside the checklist");
    assert_eq!(shown.status, FindingStatus::Planned);
    // The contact person's other files: numbers, never more findings than files.
    for c in &earlier.other_items {
        assert!(
            c.findings <= earlier.other_files && c.actions_done <= c.findings,
            "{c:?}"
        );
    }
}

on_both_backends! {
    findings_become_actions_and_reach_next_years_reviewer => findings_become_actions;
}
