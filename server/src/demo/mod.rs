//! `akta demo`: a living demo unit, deterministic for a seed and a date.
//!
//! Twelve staff (one manager, one administrator), clients with valid test
//! identity numbers, case files opened from assignments, plans with goals and
//! several plan periods, weekly journal entries over up to two years, and a few
//! open-intake registrations. The same generator writes 100 000 clients for
//! benchmarks, in batches, printing its progress.

mod audit_round;

use akta_domain::deadlines::YearMonth;
use akta_domain::monthly::{Phrasing, period_text, window};
use app::server::entities::{
    assignments, care_team, case_files, clients, final_reports, follow_ups, goals, intake_checks,
    journal_entries, journal_entry_goals, monthly_report_goals, monthly_reports, monthly_reviews,
    open_intakes, plan_versions, users,
};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Statement,
};
use std::collections::{BTreeMap, HashSet};
use std::fmt;

/// The password of every demo account (documented in the README).
pub const DEMO_PASSWORD: &str = "demo-losenord";

/// Demo accounts: username, name, role.
pub const DEMO_USERS: [(&str, &str, &str); 12] = [
    ("admin", "Kim Lindqvist", "admin"),
    ("chef", "Eva Holm", "manager"),
    ("anna", "Anna Berg", "staff"),
    ("johan", "Johan Lund", "staff"),
    ("sara", "Sara Nilsson", "staff"),
    ("omar", "Omar Haddad", "staff"),
    ("lena", "Lena Ström", "staff"),
    ("peter", "Peter Sjöberg", "staff"),
    ("maria", "Maria Ek", "staff"),
    ("ali", "Ali Yilmaz", "staff"),
    ("karin", "Karin Dahl", "staff"),
    ("nils", "Nils Åkesson", "staff"),
];

pub struct Options {
    pub seed: u64,
    pub clients: u32,
    pub today: NaiveDate,
}

#[derive(Debug, Default)]
pub struct Summary {
    pub users: usize,
    pub clients: usize,
    pub files: usize,
    pub plan_versions: usize,
    pub goals: usize,
    pub entries: usize,
    pub intakes: usize,
    pub audit_reviews: usize,
    /// Extra clients with one file closed about five years ago: due for culling around
    /// today, so the administrator's culling page has something to show.
    pub culling_soon: usize,
    /// Deviations raised from the demo's own misses and deviation entries, and how many
    /// of them were closed (with reason and actions, or the action taken).
    pub deviations: usize,
    pub deviations_closed: usize,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Demo unit created: {} users, {} clients, {} case files, {} plan versions, {} goals, \
             {} journal entries, {} open-intake registrations, {} reviews in last year's file audit, \
             {} old closed files due for culling within 90 days, {} deviations ({} closed). \
             Password for every account: {}",
            self.users,
            self.clients,
            self.files,
            self.plan_versions,
            self.goals,
            self.entries,
            self.intakes,
            self.audit_reviews,
            self.culling_soon,
            self.deviations,
            self.deviations_closed,
            DEMO_PASSWORD
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("the database already holds data; demo data only goes into an empty database")]
    NotEmpty,
    #[error("--clients must be between 1 and 100000")]
    Size,
    #[error("database error: {0}")]
    Db(#[from] sea_orm::DbErr),
    #[error("could not hash the demo password")]
    Hash,
}

const BATCH_CLIENTS: usize = 250;

/// Last year's audit round is only made for units of up to this many clients, so a
/// large demo stays quick.
const AUDIT_ROUND_UP_TO_CLIENTS: usize = 10_000;

/// The demo unit's name.
pub const DEMO_UNIT_NAME: &str = "Behandlingsenheten Norrbro (demo)";

pub async fn generate(db: &DatabaseConnection, opts: Options) -> Result<Summary, DemoError> {
    if opts.clients == 0 || opts.clients > 100_000 {
        return Err(DemoError::Size);
    }
    if users::Entity::find().count(db).await? > 0 || clients::Entity::find().count(db).await? > 0 {
        return Err(DemoError::NotEmpty);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let hash = tokio::task::spawn_blocking(|| password_auth::generate_hash(DEMO_PASSWORD))
        .await
        .map_err(|_| DemoError::Hash)?;
    let created = at_noon(opts.today - Duration::days(800));

    let mut summary = Summary::default();
    let user_models: Vec<users::ActiveModel> = DEMO_USERS
        .iter()
        .enumerate()
        .map(|(i, (username, name, role))| users::ActiveModel {
            id: Set(i as i32 + 1),
            username: Set((*username).to_owned()),
            display_name: Set((*name).to_owned()),
            role: Set((*role).to_owned()),
            password_hash: Set(hash.clone()),
            active: Set(true),
            created_at: Set(created),
            password_changed_at: Set(created),
            must_change_password: Set(false),
            totp_secret: Set(None),
            totp_enrolled_at: Set(None),
            totp_last_step: Set(None),
        })
        .collect();
    summary.users = user_models.len();
    users::Entity::insert_many(user_models)
        .exec_without_returning(db)
        .await?;
    // The unit's name, printed on every page (the administrator can change it).
    app::server::unit::set(db, None, app::server::unit::UNIT_NAME, DEMO_UNIT_NAME)
        .await
        .map_err(|e| DemoError::Db(sea_orm::DbErr::Custom(format!("unit name: {e}"))))?;
    // Contact persons: the staff (ids 3..=12).
    let staff: Vec<i32> = (3..=DEMO_USERS.len() as i32).collect();

    let mut generator = Generator {
        rng: &mut rng,
        today: opts.today,
        staff,
        used_numbers: HashSet::new(),
        ids: Ids::default(),
        old_file: None,
        plan_goals: Vec::new(),
    };
    let total = opts.clients as usize;
    let show_progress = total >= 2_000;
    let mut done = 0;
    while done < total {
        let n = BATCH_CLIENTS.min(total - done);
        let mut batch = Batch::default();
        for _ in 0..n {
            generator.client(&mut batch);
        }
        summary.clients += batch.clients.len();
        summary.files += batch.files.len();
        summary.plan_versions += batch.plans.len();
        summary.goals += batch.goals.len();
        summary.entries += batch.entries.len();
        batch.write(db).await?;
        done += n;
        if show_progress {
            eprintln!("demo: {done}/{total} clients");
        }
    }

    let intakes = generator.intakes((total / 12).clamp(3, 500));
    summary.intakes = intakes.len();
    open_intakes::Entity::insert_many(intakes)
        .exec_without_returning(db)
        .await?;
    // Generated last, so the rest of the unit is the same as without them.
    let mut batch = Batch::default();
    let old = if total >= 20 { 4 } else { 0 };
    for i in 0..old {
        // Due in the coming 5 to 80 days (not yet: the daily job would take them at once).
        let closed = opts.today - Duration::days(5 * 365 + 1) + Duration::days(25 * i + 5);
        generator.old_client(&mut batch, closed);
    }
    summary.culling_soon = old as usize;
    summary.entries += batch.entries.len();
    batch.write(db).await?;
    fix_sequences(db).await?;
    if total <= AUDIT_ROUND_UP_TO_CLIENTS {
        summary.audit_reviews = audit_round::last_years_audit(db, &mut rng, opts.today).await?;
        (summary.deviations, summary.deviations_closed) =
            deviation_register(db, &mut rng, opts.today).await?;
    }
    // The planner's statistics for the unit just written (without them SQLite guesses
    // which index to read, and at 100 000 clients a wrong guess costs seconds).
    app::server::db::refresh_statistics(db).await?;
    Ok(summary)
}

const DEVIATION_REASONS: &[&str] = &[
    "Huvudbehandlaren var sjukskriven och ingen ersättare utsågs.",
    "Klienten uteblev från två inbokade möten.",
    "Hög arbetsbelastning i arbetslaget under perioden.",
    "Fristen missades vid semesterplaneringen.",
];
const DEVIATION_ACTIONS: &[&str] = &[
    "Ersättare utses vid frånvaro längre än en vecka; enhetschefen följer upp på arbetsplatsträffen.",
    "Fristerna gås igenom varje måndag på ärendedragningen.",
    "Bokning av nästa möte görs innan klienten lämnar mötet.",
    "Semesterschemat stäms av mot akternas frister i god tid.",
];
const DEVIATION_ACTIONS_TAKEN: &[&str] = &[
    "Samtal med klienten om planen; nytt möte bokat inom en vecka.",
    "Socialsekreteraren informerad; planen ses över vid nästa uppföljning.",
    "Klienten erbjöds extra stödsamtal, vilket hon tackade ja till.",
    "Kontakt med klienten per telefon samma dag; delmålet justeras.",
];

/// Raises the demo's deviations (as the daily job would) and closes most of those
/// older than three weeks, as the contact person would have, so the register and the
/// manager's trend have both open and closed deviations of both kinds.
async fn deviation_register(
    db: &DatabaseConnection,
    rng: &mut ChaCha8Rng,
    today: NaiveDate,
) -> Result<(usize, usize), DemoError> {
    use app::server::entities::deviations;
    let failed =
        |e: app::error::AppError| DemoError::Db(sea_orm::DbErr::Custom(format!("deviations: {e}")));
    let raised = {
        let mut ids = || app::server::ids::public_id_from(&mut *rng);
        app::server::deviations::raise_with(
            db,
            today,
            at_noon(today),
            sea_orm::Condition::all(),
            &mut ids,
        )
        .await
        .map_err(failed)?
    };
    let contact: std::collections::HashMap<i32, i32> = case_files::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f.contact_person_id))
        .collect();
    let old = deviations::Entity::find()
        .filter(deviations::Column::DueOn.lt(today - Duration::days(21)))
        .order_by_asc(deviations::Column::Id)
        .all(db)
        .await?;
    let txn = app::server::db::begin_write(db).await?;
    let mut closed = 0;
    for d in old {
        if !rng.random_bool(0.7) {
            continue;
        }
        let at = at_noon((d.due_on + Duration::days(rng.random_range(2..15))).min(today));
        let mut change = deviations::ActiveModel {
            status: Set("closed".to_owned()),
            closed_by: Set(contact.get(&d.case_file_id).copied()),
            closed_at: Set(Some(at)),
            ..Default::default()
        };
        if d.kind == "unit" {
            change.reason = Set(Some(pick(rng, DEVIATION_REASONS).to_owned()));
            change.actions = Set(Some(pick(rng, DEVIATION_ACTIONS).to_owned()));
        } else {
            change.action_taken = Set(Some(pick(rng, DEVIATION_ACTIONS_TAKEN).to_owned()));
        }
        deviations::Entity::update_many()
            .set(change)
            .filter(deviations::Column::Id.eq(d.id))
            .exec(&txn)
            .await?;
        closed += 1;
    }
    txn.commit().await?;
    Ok((raised as usize, closed))
}

fn pick<'s>(rng: &mut ChaCha8Rng, list: &'s [&'s str]) -> &'s str {
    list.choose(rng).copied().unwrap_or_default()
}

/// Explicit ids were written; move PostgreSQL's sequences past them.
async fn fix_sequences(db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    for table in [
        "users",
        "clients",
        "assignments",
        "case_files",
        "plan_versions",
        "goals",
        "journal_entries",
        "open_intakes",
        "monthly_reviews",
        "monthly_reports",
    ] {
        db.execute_raw(Statement::from_string(
            DbBackend::Postgres,
            format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))"),
        ))
        .await?;
    }
    Ok(())
}

fn at_noon(d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc()
}

#[derive(Default)]
struct Ids {
    client: i32,
    assignment: i32,
    file: i32,
    plan: i32,
    goal: i32,
    entry: i32,
    review: i32,
    report: i32,
}

#[derive(Default)]
struct Batch {
    clients: Vec<clients::ActiveModel>,
    assignments: Vec<assignments::ActiveModel>,
    files: Vec<case_files::ActiveModel>,
    team: Vec<care_team::ActiveModel>,
    plans: Vec<plan_versions::ActiveModel>,
    goals: Vec<goals::ActiveModel>,
    entries: Vec<journal_entries::ActiveModel>,
    entry_goals: Vec<journal_entry_goals::ActiveModel>,
    to_sign: Vec<i32>,
    intake: Vec<intake_checks::ActiveModel>,
    follow_ups: Vec<follow_ups::ActiveModel>,
    reports: Vec<final_reports::ActiveModel>,
    monthly_reviews: Vec<monthly_reviews::ActiveModel>,
    monthly_reports: Vec<monthly_reports::ActiveModel>,
    monthly_report_goals: Vec<monthly_report_goals::ActiveModel>,
}

impl Batch {
    /// One transaction per batch: a batch is there whole or not at all.
    async fn write(self, db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
        let txn = app::server::db::begin_write(db).await?;
        insert_chunks(&txn, self.clients).await?;
        insert_chunks(&txn, self.assignments).await?;
        insert_chunks(&txn, self.files).await?;
        insert_chunks(&txn, self.team).await?;
        insert_chunks(&txn, self.intake).await?;
        // A signed plan's goals are permanent from the signature on (database
        // triggers refuse even an INSERT), so the versions go in unsigned, then their
        // goals, then the signatures, as in the unit itself.
        let mut signatures: BTreeMap<(NaiveDate, String), Vec<i32>> = BTreeMap::new();
        let plans: Vec<plan_versions::ActiveModel> = self
            .plans
            .into_iter()
            .map(|mut plan| {
                if let (
                    sea_orm::ActiveValue::Set(id),
                    sea_orm::ActiveValue::Set(Some(on)),
                    sea_orm::ActiveValue::Set(Some(how)),
                ) = (
                    plan.id.clone(),
                    plan.client_signed_on.clone(),
                    plan.client_signed_how.clone(),
                ) {
                    signatures.entry((on, how)).or_default().push(id);
                    plan.client_signed_on = Set(None);
                    plan.client_signed_how = Set(None);
                }
                plan
            })
            .collect();
        insert_chunks(&txn, plans).await?;
        insert_chunks(&txn, self.goals).await?;
        for ((on, how), ids) in signatures {
            for chunk in ids.chunks(400) {
                plan_versions::Entity::update_many()
                    .col_expr(plan_versions::Column::ClientSignedOn, Expr::value(on))
                    .col_expr(
                        plan_versions::Column::ClientSignedHow,
                        Expr::value(how.clone()),
                    )
                    .filter(plan_versions::Column::Id.is_in(chunk.iter().copied()))
                    .exec(&txn)
                    .await?;
            }
        }
        insert_chunks(&txn, self.entries).await?;
        insert_chunks(&txn, self.entry_goals).await?;
        for chunk in self.to_sign.chunks(400) {
            journal_entries::Entity::update_many()
                .col_expr(journal_entries::Column::Status, Expr::value("signed"))
                .filter(journal_entries::Column::Id.is_in(chunk.iter().copied()))
                .exec(&txn)
                .await?;
        }
        insert_chunks(&txn, self.follow_ups).await?;
        insert_chunks(&txn, self.reports).await?;
        insert_chunks(&txn, self.monthly_reviews).await?;
        insert_chunks(&txn, self.monthly_reports).await?;
        insert_chunks(&txn, self.monthly_report_goals).await?;
        txn.commit().await
    }
}

/// Inserts in chunks that stay under SQLite's and PostgreSQL's bind-parameter limits.
async fn insert_chunks<A>(db: &impl ConnectionTrait, rows: Vec<A>) -> Result<(), sea_orm::DbErr>
where
    A: sea_orm::ActiveModelTrait + Send,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(400).collect();
        <A::Entity as EntityTrait>::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

struct Generator<'a> {
    rng: &'a mut ChaCha8Rng,
    today: NaiveDate,
    staff: Vec<i32>,
    used_numbers: HashSet<String>,
    ids: Ids,
    /// Set by `old_client`: the closing day of the next file.
    old_file: Option<NaiveDate>,
    /// Set by `plans`: each period's plan version id and its top-level goals.
    plan_goals: Vec<(i32, Vec<(i32, &'static str)>)>,
}

impl Generator<'_> {
    fn pick<'s>(&mut self, list: &'s [&'s str]) -> &'s str {
        list.choose(self.rng).copied().unwrap_or_default()
    }

    fn date_between(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let days = (to - from).num_days().max(0);
        from + Duration::days(self.rng.random_range(0..=days))
    }

    fn identity(&mut self) -> (akta_domain::IdentityNumber, bool) {
        loop {
            let birth = self.date_between(
                NaiveDate::from_ymd_opt(1952, 1, 1).unwrap_or_default(),
                NaiveDate::from_ymd_opt(2005, 12, 31).unwrap_or_default(),
            );
            let serial = self.rng.random_range(1..=999);
            let coordination = self.rng.random_bool(0.05);
            if let Some(id) = akta_domain::IdentityNumber::from_parts(birth, serial, coordination)
                && self.used_numbers.insert(id.as_str().to_owned())
            {
                // Serial's last digit: odd for men, even for women.
                return (id, serial % 2 == 1);
            }
        }
    }

    fn client(&mut self, batch: &mut Batch) {
        self.ids.client += 1;
        let client_id = self.ids.client;
        let (id_number, male) = self.identity();
        let first = if male {
            self.pick(MALE_NAMES)
        } else {
            self.pick(FEMALE_NAMES)
        }
        .to_owned();
        let last = self.pick(LAST_NAMES).to_owned();
        let protected = self.rng.random_bool(0.04);
        let phone = format!(
            "07{}-{:03} {:02} {:02}",
            self.rng.random_range(0..10),
            self.rng.random_range(0..1000),
            self.rng.random_range(0..100),
            self.rng.random_range(0..100)
        );
        batch.clients.push(clients::ActiveModel {
            id: Set(client_id),
            public_id: Set(app::server::ids::public_id_from(self.rng)),
            first_name_key: Set(app::server::clients::name_key(&first)),
            last_name_key: Set(app::server::clients::name_key(&last)),
            first_name: Set(first),
            last_name: Set(last),
            identity_number: Set(id_number.as_str().to_owned()),
            birth_date: Set(id_number.birth_date()),
            protected_identity: Set(protected),
            phone: Set((!protected).then_some(phone)),
            email: Set(None),
            address: Set(None),
            created_at: Set(at_noon(self.today - Duration::days(730))),
        });
        self.case_file(batch, client_id);
    }

    /// A client whose only file closed on `closed` (about five years ago), born on a
    /// day that does not keep the file for research.
    fn old_client(&mut self, batch: &mut Batch, closed: NaiveDate) {
        self.old_file = Some(closed);
        self.client(batch);
        let Some(client) = batch.clients.last_mut() else {
            return;
        };
        while let sea_orm::ActiveValue::Set(born) = &client.birth_date
            && akta_domain::culling::is_research_birth_day(*born)
        {
            let (id, _) = self.identity();
            client.identity_number = Set(id.as_str().to_owned());
            client.birth_date = Set(id.birth_date());
        }
    }

    fn case_file(&mut self, batch: &mut Batch, client_id: i32) {
        let today = self.today;
        let (started, closed) = if let Some(closed) = self.old_file.take() {
            (closed - Duration::days(150), Some(closed))
        } else {
            // Up to two years back, at least two weeks ago.
            let started =
                self.date_between(today - Duration::days(720), today - Duration::days(14));
            let closed = if self.rng.random_bool(0.25) && (today - started).num_days() > 90 {
                Some(self.date_between(started + Duration::days(60), today - Duration::days(7)))
            } else {
                None
            };
            (started, closed)
        };
        let service = *SERVICES
            .choose_weighted(self.rng, |s| s.1)
            .map(|s| &s.0)
            .unwrap_or(&"other");
        self.ids.assignment += 1;
        let assignment_id = self.ids.assignment;
        let received = started - Duration::days(self.rng.random_range(1..10));
        let secretary = self.rng.random_range(0..SECRETARIES.len());
        let (sec_name, sec_email) = SECRETARIES[secretary];
        batch.assignments.push(assignments::ActiveModel {
            id: Set(assignment_id),
            client_id: Set(client_id),
            received_on: Set(received),
            secretary_name: Set(sec_name.to_owned()),
            secretary_unit: Set("Vuxenenheten, Individ- och familjeomsorgen".to_owned()),
            secretary_phone: Set(Some(format!("08-123 45 {:02}", 10 + secretary))),
            secretary_email: Set(Some(sec_email.to_owned())),
            decision_date: Set(received - Duration::days(self.rng.random_range(1..14))),
            service_type: Set(service.to_owned()),
            service_granted: Set(service_text(service).to_owned()),
            period_from: Set(started),
            period_to: Set(Some(started + Duration::days(365))),
            // routine: the assignment names the first follow-up, one month ahead.
            first_follow_up: Set(first_follow_up_of(started)),
            created_at: Set(at_noon(received)),
        });

        self.ids.file += 1;
        let file_id = self.ids.file;
        let contact = *self.staff.choose(self.rng).unwrap_or(&3);
        batch.files.push(case_files::ActiveModel {
            id: Set(file_id),
            public_id: Set(app::server::ids::public_id_from(self.rng)),
            client_id: Set(client_id),
            assignment_id: Set(assignment_id),
            contact_person_id: Set(contact),
            started_on: Set(started),
            closed_on: Set(closed),
            // About three in ten end before the plan is carried out: dropouts.
            close_reason: Set(closed.map(|_| {
                if self.rng.random_bool(0.3) {
                    *CLOSE_DROPOUT_REASONS
                        .choose(self.rng)
                        .unwrap_or(&"client_ended")
                } else {
                    "completed"
                }
                .to_owned()
            })),
            created_at: Set(at_noon(started)),
        });
        let mut team = vec![contact];
        if self.rng.random_bool(0.35) {
            let co = *self.staff.choose(self.rng).unwrap_or(&3);
            if co != contact {
                batch.team.push(care_team::ActiveModel {
                    case_file_id: Set(file_id),
                    user_id: Set(co),
                });
                team.push(co);
            }
        }

        // The intake checklist: gone through at the first meeting; for the newest
        // clients only partly so far.
        let items = akta_domain::intake::IntakeItem::ALL;
        let ticked = if (today - started).num_days() < 10 {
            self.rng.random_range(0..items.len())
        } else {
            items.len()
        };
        for item in &items[..ticked] {
            batch.intake.push(intake_checks::ActiveModel {
                case_file_id: Set(file_id),
                item: Set(item.as_str().to_owned()),
                checked_by: Set(contact),
                checked_at: Set(at_noon(started)),
            });
        }

        let end = closed.unwrap_or(today);
        // Plan periods: none for the motivation group (routine: no plan needed there).
        self.plan_goals.clear();
        let periods = if service == "motivation_group" {
            Vec::new()
        } else {
            self.plans(batch, file_id, contact, started, end)
        };
        self.journal(
            batch,
            file_id,
            &team,
            started,
            end,
            &periods,
            closed.is_none(),
        );
        let client_name = batch.clients.last().map_or_else(String::new, |c| {
            match (&c.first_name, &c.last_name, &c.protected_identity) {
                (Set(first), Set(last), Set(false)) => format!("{first} {last}"),
                _ => "klienten".to_owned(),
            }
        });
        let secretary = SECRETARIES[secretary].0;
        self.monthly_documents(
            batch,
            file_id,
            contact,
            &client_name,
            secretary,
            started,
            closed,
            &periods,
        );
        if !periods.is_empty() {
            self.goal_dialogues(batch, file_id, contact, closed, periods[0].0);
        }
        if let Some(closed) = closed {
            batch.reports.push(final_reports::ActiveModel {
                case_file_id: Set(file_id),
                treatment: Set(self.pick(REPORT_TREATMENTS).to_owned()),
                outcome: Set(self.pick(REPORT_OUTCOMES).to_owned()),
                client_view_ending: Set(self.pick(REPORT_ENDINGS).to_owned()),
                client_view_service: Set(self.pick(REPORT_SERVICE_VIEWS).to_owned()),
                written_by: Set(contact),
                written_at: Set(at_noon(closed)),
            });
        }
    }

    /// Plan versions with goals; returns (valid_from, goal ids) per period.
    fn plans(
        &mut self,
        batch: &mut Batch,
        file_id: i32,
        author: i32,
        started: NaiveDate,
        end: NaiveDate,
    ) -> Vec<(NaiveDate, Vec<i32>)> {
        // routine: plan within 14 days; about one in ten is late.
        let first = started
            + Duration::days(if self.rng.random_bool(0.1) {
                self.rng.random_range(15..25)
            } else {
                self.rng.random_range(3..14)
            });
        if first >= end {
            return Vec::new();
        }
        // Revisions at some follow-ups: 4 weeks after start, then about every 2 months.
        let mut starts = vec![first];
        let mut follow_up = first_follow_up_of(started);
        while follow_up < end {
            if follow_up > *starts.last().unwrap_or(&first) + Duration::days(20)
                && self.rng.random_bool(0.5)
            {
                starts.push(follow_up);
            }
            // Within two calendar months (59 days at the least, Dec 31 to Feb 28).
            follow_up += Duration::days(self.rng.random_range(45..59));
        }
        let mut periods = Vec::new();
        let mut goal_pool: Vec<usize> = (0..GOALS.len()).collect();
        for (i, valid_from) in starts.into_iter().enumerate() {
            self.ids.plan += 1;
            let plan_id = self.ids.plan;
            let signed = valid_from + Duration::days(self.rng.random_range(0..3));
            let secretary_delay = self.rng.random_range(0..6);
            batch.plans.push(plan_versions::ActiveModel {
                id: Set(plan_id),
                case_file_id: Set(file_id),
                version_no: Set(i as i32 + 1),
                valid_from: Set(valid_from),
                client_view: Set(self.pick(CLIENT_VIEWS).to_owned()),
                client_signed_on: Set((signed <= self.today).then_some(signed)),
                client_signed_how: Set((signed <= self.today).then(|| {
                    if self.rng.random_bool(0.7) {
                        "in_person"
                    } else {
                        "on_paper"
                    }
                    .to_owned()
                })),
                created_by: Set(author),
                created_at: Set(at_noon(valid_from)),
                // routine: copies to the client and the contact person when signed,
                // and to the social secretary within a few days.
                copy_to_client_on: Set((signed <= self.today).then_some(signed)),
                copy_to_contact_on: Set((signed <= self.today).then_some(signed)),
                copy_to_secretary_on: Set(
                    Some(signed + Duration::days(secretary_delay)).filter(|d| *d <= self.today)
                ),
                revision_reason: Set((i > 0).then(|| {
                    format!(
                        "Reviderad efter uppföljning {}.",
                        valid_from.format("%Y-%m-%d")
                    )
                })),
            });
            if i == 0 {
                // Two or three goals, kept (and sometimes changed) across revisions.
                for k in (1..goal_pool.len()).rev() {
                    let j = self.rng.random_range(0..=k);
                    goal_pool.swap(k, j);
                }
                goal_pool.truncate(self.rng.random_range(2..=3));
            } else if self.rng.random_bool(0.3) {
                let replacement = self.rng.random_range(0..GOALS.len());
                if !goal_pool.contains(&replacement) {
                    let slot = self.rng.random_range(0..goal_pool.len());
                    goal_pool[slot] = replacement;
                }
            }
            let mut goal_ids = Vec::new();
            let mut top_goals = Vec::new();
            for (pos, g) in goal_pool.iter().enumerate() {
                let (title, what, how, subs) = GOALS[*g];
                self.ids.goal += 1;
                let goal_id = self.ids.goal;
                goal_ids.push(goal_id);
                top_goals.push((goal_id, title));
                batch.goals.push(goals::ActiveModel {
                    id: Set(goal_id),
                    public_id: Set(app::server::ids::public_id_from(self.rng)),
                    plan_version_id: Set(plan_id),
                    parent_id: Set(None),
                    position: Set(pos as i32 + 1),
                    title: Set(title.to_owned()),
                    what: Set(what.to_owned()),
                    how: Set(how.to_owned()),
                    who: Set("Klienten tillsammans med huvudbehandlaren".to_owned()),
                    by_when: Set(Some(valid_from + Duration::days(90))),
                });
                for (sub_pos, (sub_title, sub_how)) in subs.iter().enumerate() {
                    self.ids.goal += 1;
                    goal_ids.push(self.ids.goal);
                    batch.goals.push(goals::ActiveModel {
                        id: Set(self.ids.goal),
                        public_id: Set(app::server::ids::public_id_from(self.rng)),
                        plan_version_id: Set(plan_id),
                        parent_id: Set(Some(goal_id)),
                        position: Set(sub_pos as i32 + 1),
                        title: Set((*sub_title).to_owned()),
                        what: Set((*sub_title).to_owned()),
                        how: Set((*sub_how).to_owned()),
                        who: Set("Klienten".to_owned()),
                        by_when: Set(Some(valid_from + Duration::days(45))),
                    });
                }
            }
            periods.push((valid_from, goal_ids));
            self.plan_goals.push((plan_id, top_goals));
        }
        periods
    }

    /// Monthly journal reviews (each a signed journal entry) and monthly reports for the
    /// months that have passed: all of them in closed files; in open files all but, now
    /// and then, last month's or the month before's, so "my work" shows a few due. Drawn from a generator of
    /// the file's own, so the rest of the unit stays as it was without them.
    #[allow(clippy::too_many_arguments)]
    fn monthly_documents(
        &mut self,
        batch: &mut Batch,
        file_id: i32,
        contact: i32,
        client: &str,
        secretary: &str,
        started: NaiveDate,
        closed: Option<NaiveDate>,
        periods: &[(NaiveDate, Vec<i32>)],
    ) {
        let mut rng = ChaCha8Rng::seed_from_u64(0x6d_6f6e_7468 ^ file_id as u64);
        let today = self.today;
        let end = closed.unwrap_or(today);
        let current = YearMonth::of(today);
        let months: Vec<YearMonth> = YearMonth::range(started, end)
            .into_iter()
            .filter(|m| closed.is_some() || *m < current)
            .collect();
        let last = months.last().copied();
        let before_last = months.iter().rev().nth(1).copied();
        for month in months {
            let Some((from, to)) = window(month, started, closed) else {
                continue;
            };
            if closed.is_none() && Some(month) == last && rng.random_bool(0.25) {
                continue;
            }
            // The month before last is due since the 10th of last month: a few left
            // undone, so "my work" has something overdue on any day of the month.
            if closed.is_none() && Some(month) == before_last && rng.random_bool(0.1) {
                continue;
            }
            let written = (to + Duration::days(rng.random_range(1..4))).min(end);
            let signed_at = written
                .and_hms_opt(14, rng.random_range(0..60), 0)
                .unwrap_or_default()
                .and_utc();
            let period = period_text(from, to);
            let declined = rng.random_bool(0.15);
            let body = if declined {
                let text = Phrasing::Declined
                    .text(&period, client)
                    .replace("(skriv vilken insats/ aktivitet)", "gruppbehandlingen");
                format!(
                    "Genomgång av social journal\nPeriod: {period}\n\n{text}\n\nÅtgärd: Samtal med klienten om vad som hindrar deltagandet.\nNär: {}. Hur: Vid nästa enskilda samtal\nUppföljning av åtgärd: {}. Hur: Vid måldialogen",
                    written,
                    written + Duration::days(14)
                )
            } else {
                format!(
                    "Genomgång av social journal\nPeriod: {period}\n\n{}",
                    Phrasing::NothingSeen.text(&period, client)
                )
            };
            self.ids.entry += 1;
            let entry_id = self.ids.entry;
            batch.entries.push(journal_entries::ActiveModel {
                id: Set(entry_id),
                public_id: Set(app::server::ids::public_id_from(&mut rng)),
                case_file_id: Set(file_id),
                author_id: Set(contact),
                event_date: Set(written),
                category: Set("monthly_review".to_owned()),
                body: Set(body),
                status: Set("draft".to_owned()),
                signed_at: Set(Some(signed_at)),
                corrects_id: Set(None),
                correction_reason: Set(None),
                created_at: Set(signed_at),
                updated_at: Set(signed_at),
            });
            batch.to_sign.push(entry_id);
            self.ids.review += 1;
            batch.monthly_reviews.push(monthly_reviews::ActiveModel {
                id: Set(self.ids.review),
                case_file_id: Set(file_id),
                month: Set(month.to_string()),
                phrasing: Set(if declined {
                    Phrasing::Declined
                } else {
                    Phrasing::NothingSeen
                }
                .as_str()
                .to_owned()),
                journal_entry_id: Set(entry_id),
                signed_by: Set(contact),
                signed_at: Set(signed_at),
            });

            // The report evaluates the plan version in force at the month's end.
            let plan = periods
                .iter()
                .zip(&self.plan_goals)
                .rev()
                .find(|((valid_from, _), _)| *valid_from <= to)
                .map(|(_, (plan_id, goals))| (*plan_id, goals.clone()));
            self.ids.report += 1;
            let report_id = self.ids.report;
            batch.monthly_reports.push(monthly_reports::ActiveModel {
                id: Set(report_id),
                case_file_id: Set(file_id),
                month: Set(month.to_string()),
                plan_version_id: Set(plan.as_ref().map(|(id, _)| *id)),
                evaluation: Set(plan.is_none().then(|| {
                    REPORT_MONTH_EVALUATIONS
                        .choose(&mut rng)
                        .copied()
                        .unwrap_or_default()
                        .to_owned()
                })),
                events: Set(REPORT_MONTH_EVENTS
                    .choose(&mut rng)
                    .copied()
                    .unwrap_or_default()
                    .to_owned()),
                deviation_actions: Set(rng.random_bool(0.3).then(|| {
                    "Avvikelserna togs upp vid nästa samtal; planen följs upp vid måldialogen."
                        .to_owned()
                })),
                client_copy: Set(rng.random_bool(0.4)),
                secretary_name: Set(secretary.to_owned()),
                secretary_unit: Set("Vuxenenheten, Individ- och familjeomsorgen".to_owned()),
                signed_by: Set(contact),
                signed_at: Set(signed_at),
            });
            for (position, (goal_id, title)) in plan
                .map(|(_, g)| g)
                .unwrap_or_default()
                .into_iter()
                .enumerate()
            {
                batch
                    .monthly_report_goals
                    .push(monthly_report_goals::ActiveModel {
                        report_id: Set(report_id),
                        goal_id: Set(goal_id),
                        position: Set(position as i32),
                        goal_title: Set(title.to_owned()),
                        evaluation: Set(REPORT_GOAL_EVALUATIONS
                            .choose(&mut rng)
                            .copied()
                            .unwrap_or_default()
                            .to_owned()),
                    });
            }
        }
    }

    /// The goal dialogue of each month under the plan (routine: "Genomförandeplaner följs
    /// upp vid måldialog en gång per månad"), a signed journal entry of its category held
    /// some day from three days after the first plan's start to the month's end (or the
    /// closing); now and then a past month's is missed, which the register notices. Drawn
    /// from a generator of the file's own, so the rest of the unit stays as it was.
    fn goal_dialogues(
        &mut self,
        batch: &mut Batch,
        file_id: i32,
        contact: i32,
        closed: Option<NaiveDate>,
        plan_from: NaiveDate,
    ) {
        let mut rng = ChaCha8Rng::seed_from_u64(0x6d_616c_6469 ^ file_id as u64);
        let today = self.today;
        let current = YearMonth::of(today);
        let end = closed.unwrap_or(today);
        // The plan is signed within three days of its start.
        let signed = plan_from + Duration::days(3);
        for month in YearMonth::range(signed, end) {
            let from = month.first_day().max(signed);
            let to = month.last_day().min(end);
            if to < from || (month < current && rng.random_bool(0.04)) {
                continue;
            }
            let day = from + Duration::days(rng.random_range(0..=(to - from).num_days()));
            if day > today {
                continue;
            }
            let at = day
                .and_hms_opt(11, rng.random_range(0..60), 0)
                .unwrap_or_default()
                .and_utc();
            self.ids.entry += 1;
            batch.entries.push(journal_entries::ActiveModel {
                id: Set(self.ids.entry),
                public_id: Set(app::server::ids::public_id_from(&mut rng)),
                case_file_id: Set(file_id),
                author_id: Set(contact),
                event_date: Set(day),
                category: Set("goal_dialogue".to_owned()),
                body: Set(GOAL_DIALOGUE_TEXTS
                    .choose(&mut rng)
                    .copied()
                    .unwrap_or_default()
                    .to_owned()),
                status: Set("draft".to_owned()),
                signed_at: Set(Some(at)),
                corrects_id: Set(None),
                correction_reason: Set(None),
                created_at: Set(at),
                updated_at: Set(at),
            });
            batch.to_sign.push(self.ids.entry);
        }
    }

    /// Weekly entries from start to end, with events, deviations, meetings,
    /// follow-ups and plan changes where they happened.
    #[allow(clippy::too_many_arguments)]
    fn journal(
        &mut self,
        batch: &mut Batch,
        file_id: i32,
        team: &[i32],
        started: NaiveDate,
        end: NaiveDate,
        periods: &[(NaiveDate, Vec<i32>)],
        open: bool,
    ) {
        let mut day = started + Duration::days(self.rng.random_range(0..4));
        // Held on the day the assignment names (the demo holds its follow-ups on time).
        let mut next_follow_up = first_follow_up_of(started);
        while day <= end && day <= self.today {
            let period = periods.iter().rev().find(|(from, _)| *from <= day);
            // The follow-up first: on a day that also starts a revised plan it is the
            // follow-up that must be documented that day.
            let (category, body) = if day >= next_follow_up {
                next_follow_up = day + Duration::days(self.rng.random_range(45..59));
                ("follow_up", self.pick(FOLLOW_UP_TEXTS))
            } else if periods.iter().any(|(from, _)| *from == day) && day != periods[0].0 {
                (
                    "plan_change",
                    "Genomförandeplanen reviderades efter uppföljningen. Nya delmål enligt planen.",
                )
            } else {
                let roll: f64 = self.rng.random();
                if roll < 0.68 {
                    ("weekly_note", self.pick(WEEKLY_TEXTS))
                } else if roll < 0.82 {
                    ("event", self.pick(EVENT_TEXTS))
                } else if roll < 0.93 {
                    ("deviation", self.pick(DEVIATION_TEXTS))
                } else {
                    ("meeting", self.pick(MEETING_TEXTS))
                }
            };
            self.ids.entry += 1;
            let entry_id = self.ids.entry;
            let author = if team.len() > 1 && self.rng.random_bool(0.2) {
                team[1]
            } else {
                team[0]
            };
            let signed_at = day
                .and_hms_opt(15, self.rng.random_range(0..60), 0)
                .unwrap_or_default()
                .and_utc();
            batch.entries.push(journal_entries::ActiveModel {
                id: Set(entry_id),
                public_id: Set(app::server::ids::public_id_from(self.rng)),
                case_file_id: Set(file_id),
                author_id: Set(author),
                event_date: Set(day),
                category: Set(category.to_owned()),
                body: Set(body.to_owned()),
                // Written as a draft and signed once its goal links are in (the
                // database refuses links to a signed entry).
                status: Set("draft".to_owned()),
                signed_at: Set(Some(signed_at)),
                corrects_id: Set(None),
                correction_reason: Set(None),
                created_at: Set(signed_at),
                updated_at: Set(signed_at),
            });
            batch.to_sign.push(entry_id);
            // A follow-up of the plan is also a documented follow-up (with its journal entry).
            if category == "follow_up" && !periods.is_empty() {
                batch.follow_ups.push(follow_ups::ActiveModel {
                    public_id: Set(app::server::ids::public_id_from(self.rng)),
                    case_file_id: Set(file_id),
                    planned_on: Set(day),
                    booked_by: Set(team[0]),
                    held_on: Set(Some(day)),
                    participants: Set(Some(
                        "Klienten, socialsekreteraren och huvudbehandlaren".to_owned(),
                    )),
                    outcome: Set(Some(body.to_owned())),
                    plan_revised: Set(Some(body.contains("revideras"))),
                    documented_by: Set(Some(author)),
                    journal_entry_id: Set(Some(entry_id)),
                    created_at: Set(signed_at),
                    ..Default::default()
                });
            }
            if let Some((_, goal_ids)) = period
                && !goal_ids.is_empty()
                && category != "meeting"
            {
                let n = self.rng.random_range(1..=2.min(goal_ids.len()));
                let mut chosen: Vec<i32> = goal_ids.choose_multiple(self.rng, n).copied().collect();
                chosen.sort_unstable();
                for goal_id in chosen {
                    batch.entry_goals.push(journal_entry_goals::ActiveModel {
                        entry_id: Set(entry_id),
                        goal_id: Set(goal_id),
                    });
                }
            }
            // One entry each calendar week, on a weekday, signed that day (routine: "en
            // journal per vecka"); now and then a week is skipped: a real deviation, which
            // the register and the audit will notice.
            let weeks = if self.rng.random_bool(0.06) { 14 } else { 7 };
            let next = akta_domain::deadlines::monday_of(day)
                + Duration::days(weeks + self.rng.random_range(0..5));
            // The follow-up is held on its day, whichever weekday that is.
            day = if day < next_follow_up && next_follow_up < next {
                next_follow_up
            } else {
                next
            };
        }
        // The next follow-up is booked on most open files with a plan.
        if open && !periods.is_empty() && next_follow_up >= self.today && self.rng.random_bool(0.6)
        {
            batch.follow_ups.push(follow_ups::ActiveModel {
                public_id: Set(app::server::ids::public_id_from(self.rng)),
                case_file_id: Set(file_id),
                planned_on: Set(next_follow_up),
                booked_by: Set(team[0]),
                held_on: Set(None),
                participants: Set(None),
                outcome: Set(None),
                plan_revised: Set(None),
                documented_by: Set(None),
                journal_entry_id: Set(None),
                created_at: Set(at_noon(self.today)),
                ..Default::default()
            });
        }
        // An unsigned draft on some open files, as a contact person leaves them mid-week.
        if open && self.rng.random_bool(0.15) {
            self.ids.entry += 1;
            let now = at_noon(self.today);
            batch.entries.push(journal_entries::ActiveModel {
                id: Set(self.ids.entry),
                public_id: Set(app::server::ids::public_id_from(self.rng)),
                case_file_id: Set(file_id),
                author_id: Set(team[0]),
                event_date: Set(self.today),
                category: Set("weekly_note".to_owned()),
                body: Set("Klienten följer planen. (utkast)".to_owned()),
                status: Set("draft".to_owned()),
                signed_at: Set(None),
                corrects_id: Set(None),
                correction_reason: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            });
        }
    }

    fn intakes(&mut self, n: usize) -> Vec<open_intakes::ActiveModel> {
        (0..n)
            .map(|i| {
                let service = self
                    .pick(&["advisory_talks", "mi_group", "primary_group"])
                    .to_owned();
                let started = self.date_between(
                    self.today - Duration::days(80),
                    self.today - Duration::days(1),
                );
                open_intakes::ActiveModel {
                    id: Set(i as i32 + 1),
                    public_id: Set(app::server::ids::public_id_from(self.rng)),
                    pseudonym: Set(format!(
                        "{} {}",
                        self.pick(PSEUDONYM_WORDS),
                        self.rng.random_range(10..100)
                    )),
                    service: Set(service),
                    started_on: Set(started),
                    sex: Set(Some(self.pick(&["female", "male"]).to_owned())),
                    age_band: Set(Some(
                        self.pick(&["18-25", "26-35", "36-50", "51-65"]).to_owned(),
                    )),
                    notes: Set(self.pick(INTAKE_NOTES).to_owned()),
                    therapist_id: Set(*self.staff.choose(self.rng).unwrap_or(&3)),
                    created_at: Set(at_noon(started)),
                }
            })
            .collect()
    }
}

fn service_text(service: &str) -> &'static str {
    match service {
        "individual_treatment" => "Individuell behandling, samtal en gång i veckan",
        "group_treatment" => "Gruppbehandling, två träffar i veckan",
        "motivation_group" => "Motivationsgrupp, en träff i veckan",
        _ => "Stödsamtal och nätverksarbete",
    }
}

/// (service type, weight)
const SERVICES: [(&str, u32); 4] = [
    ("individual_treatment", 50),
    ("group_treatment", 25),
    ("motivation_group", 15),
    ("other", 10),
];

const SECRETARIES: [(&str, &str); 6] = [
    ("Helena Andersson", "helena.andersson@kommun.example"),
    ("Fredrik Olsson", "fredrik.olsson@kommun.example"),
    ("Amira Hassan", "amira.hassan@kommun.example"),
    ("Jonas Wikström", "jonas.wikstrom@kommun.example"),
    ("Linnea Forsberg", "linnea.forsberg@kommun.example"),
    ("Mikael Bergqvist", "mikael.bergqvist@kommun.example"),
];

const FEMALE_NAMES: &[&str] = &[
    "Anna", "Maria", "Karin", "Sara", "Lena", "Emma", "Kristina", "Elin", "Ida", "Johanna",
    "Malin", "Sofia", "Linda", "Camilla", "Jenny", "Hanna", "Petra", "Therese", "Fatima", "Leyla",
    "Aino", "Marja", "Susanne", "Annika", "Jessica", "Frida", "Matilda", "Louise", "Nadia",
    "Helena",
];
const MALE_NAMES: &[&str] = &[
    "Lars",
    "Mikael",
    "Anders",
    "Johan",
    "Per",
    "Erik",
    "Karl",
    "Peter",
    "Thomas",
    "Daniel",
    "Fredrik",
    "Hans",
    "Mattias",
    "Stefan",
    "Marcus",
    "Andreas",
    "Jonas",
    "Patrik",
    "Niklas",
    "Ahmed",
    "Mohammed",
    "Ali",
    "Jukka",
    "Mehmet",
    "Tobias",
    "Kristoffer",
    "Robin",
    "Oskar",
    "Viktor",
    "Emil",
];
const LAST_NAMES: &[&str] = &[
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Jönsson",
    "Lindberg",
    "Jakobsson",
    "Magnusson",
    "Olofsson",
    "Lindström",
    "Lindqvist",
    "Lindgren",
    "Berg",
    "Axelsson",
    "Bergström",
    "Lundberg",
    "Lundgren",
    "Mattsson",
    "Berglund",
    "Fredriksson",
    "Sandberg",
    "Henriksson",
    "Ali",
    "Mohammadi",
    "Korhonen",
    "Yilmaz",
    "Nieminen",
    "Sjöberg",
    "Wallin",
];
const PSEUDONYM_WORDS: &[&str] = &["Blå", "Grön", "Röd", "Gul", "Vit", "Svart", "Grå", "Brun"];

type Goal = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);
const GOALS: [Goal; 7] = [
    (
        "Minskat alkoholbruk",
        "Dricka mindre och färre dagar i veckan",
        "Motiverande samtal varje vecka och dryckesdagbok",
        &[
            (
                "Föra dryckesdagbok varje dag",
                "Dagboken gås igenom vid samtalen",
            ),
            (
                "Avstå alkohol på vardagar",
                "Planera alternativa aktiviteter på kvällarna",
            ),
        ],
    ),
    (
        "Drogfrihet",
        "Leva utan narkotika",
        "Återfallsprevention i grupp och individuella samtal",
        &[(
            "Lämna urinprov varje vecka enligt överenskommelse",
            "Provtagning på Måsen på tisdagar",
        )],
    ),
    (
        "Stabil boendesituation",
        "Behålla lägenheten",
        "Samarbete med boendestödet och budgetrådgivning",
        &[(
            "Betala hyran i tid varje månad",
            "Autogiro ordnas med stöd av budgetrådgivare",
        )],
    ),
    (
        "Sysselsättning",
        "Komma igång med arbetsträning",
        "Kontakt med arbetsmarknadsenheten",
        &[(
            "Delta i arbetsträning två dagar i veckan",
            "Behandlaren följer upp med handledaren varje månad",
        )],
    ),
    (
        "Förbättrade relationer med familjen",
        "Regelbunden och trygg kontakt med barnen",
        "Samtal om föräldraskap och nätverksmöten",
        &[(
            "Träffa barnen varannan helg enligt överenskommelse",
            "Planeras med barnens mamma och socialsekreteraren",
        )],
    ),
    (
        "Fungerande vardagsrutiner",
        "Fasta tider för sömn, mat och aktiviteter",
        "Veckoschema som gås igenom vid samtalen",
        &[(
            "Följa veckoschemat minst fem dagar av sju",
            "Schemat sitter på kylskåpet och stäms av varje vecka",
        )],
    ),
    (
        "Bättre psykisk hälsa",
        "Mindre oro och bättre sömn",
        "Kontakt med vårdcentralen och stödsamtal",
        &[(
            "Boka och gå på läkarbesök",
            "Behandlaren hjälper till att boka tiden",
        )],
    ),
];

const CLIENT_VIEWS: &[&str] = &[
    "Klienten vill få ordning på vardagen och tycker att målen är rimliga.",
    "Klienten är delvis tveksam till målen om alkohol men vill försöka.",
    "Klienten har själv föreslagit delmålen och vill ha samtal på förmiddagar.",
    "Klienten vill främst arbeta med relationen till barnen.",
    "Klienten instämmer i planen och vill att socialsekreteraren får en kopia.",
];
const WEEKLY_TEXTS: &[&str] = &[
    "Klienten följer planen. Inga händelser eller avvikelser.",
    "Samtal enligt plan. Klienten berättar att veckan gått bra.",
    "Klienten deltog i gruppen. Följer planen utan avvikelser.",
    "Samtal om dryckesdagboken. Klienten har fört dagbok alla dagar.",
    "Klienten har följt veckoschemat. Inga avvikelser.",
];
const EVENT_TEXTS: &[&str] = &[
    "Klienten berättar att hyran är betald i tid.",
    "Klienten har påbörjat arbetsträning på måndagar.",
    "Klienten har träffat barnen i helgen enligt överenskommelse.",
    "Klienten har bokat tid på vårdcentralen.",
    "Klienten lämnade urinprov, negativt.",
];
const DEVIATION_TEXTS: &[&str] = &[
    "Klienten uteblev från bokat samtal. Åtgärd: behandlaren ringde samma dag och bokade ny tid.",
    "Klienten avböjde gruppträffen. Åtgärd: samtal om skälen vid nästa träff.",
    "Klienten berättar om återfall i alkohol under helgen. Åtgärd: extra samtal bokat, socialsekreteraren informerad.",
    "Klienten lämnade inte urinprov enligt överenskommelse. Åtgärd: nytt prov bokat till torsdag.",
];
const MEETING_TEXTS: &[&str] = &[
    "Nätverksmöte med boendestödet. Överenskommelse om veckovisa hembesök.",
    "Möte med vårdcentralen om sömnbesvär. Läkaren följer upp om fyra veckor.",
    "Samverkansmöte med arbetsmarknadsenheten om arbetsträning.",
];
const FOLLOW_UP_TEXTS: &[&str] = &[
    "Uppföljning med klienten och socialsekreteraren. Planen följs; inga ändringar.",
    "Uppföljning med klienten och socialsekreteraren. Delmålen justeras; planen revideras.",
    "Uppföljning genomförd. Klienten är nöjd med insatsen. Nästa uppföljning om två månader.",
];
const GOAL_DIALOGUE_TEXTS: &[&str] = &[
    "Måldialog: planens mål gicks igenom med klienten. Delmålen följer tidsplanen.",
    "Måldialog: klienten beskriver framsteg med dagliga rutiner; delmålet om sömn behöver mer tid.",
    "Måldialog: klienten och huvudbehandlaren gick igenom delmålen. Inga ändringar i planen.",
    "Måldialog: klienten är nöjd med insatsen hittills; nästa steg i planen förbereds.",
];
const CLOSE_DROPOUT_REASONS: &[&str] = &["client_ended", "assignment_ended", "moved", "other"];
const REPORT_MONTH_EVALUATIONS: &[&str] = &[
    "Klienten har deltagit i gruppen varje vecka och börjat formulera egna mål.",
    "Klienten kom till hälften av gruppträffarna; motivationen växlar.",
    "Klienten deltar aktivt och talar om att vilja gå vidare till behandling.",
];

const REPORT_MONTH_EVENTS: &[&str] = &[
    "Inga.",
    "Klienten har fått ett förstahandskontrakt.",
    "Klienten har börjat på en praktikplats tre dagar i veckan.",
    "Ett återfall i mitten av månaden; klienten tog själv kontakt.",
];

const REPORT_GOAL_EVALUATIONS: &[&str] = &[
    "Arbetet går enligt planen; delmålen för månaden är uppnådda.",
    "Delvis uppnått: klienten har tagit första stegen men behöver mer stöd.",
    "Ingen förändring under månaden; vi fortsätter enligt planen.",
    "Klienten har kommit längre än väntat och delmålet kan snart bytas.",
];

const REPORT_TREATMENTS: &[&str] = &[
    "Individuella samtal varje vecka enligt genomförandeplanen, med inslag av återfallsprevention.",
    "Gruppbehandling två gånger i veckan samt enskilda stödsamtal varannan vecka.",
    "Motiverande samtal och samordning med boendestöd och vårdcentral.",
];
const REPORT_OUTCOMES: &[&str] = &[
    "Klienten har nått de flesta delmålen: stabil sömn, regelbundna dagar och inga återfall de senaste månaderna.",
    "Målen är delvis nådda. Klienten har minskat sitt drickande men behöver fortsatt stöd.",
    "Insatsen avslutades innan målen kunde följas upp; bedömningen bygger på de första månaderna.",
];
const REPORT_ENDINGS: &[&str] = &[
    "Klienten känner sig redo att avsluta och vet vart hen kan vända sig.",
    "Klienten ville avsluta tidigare än planerat.",
    "Klienten tycker att avslutet kom vid rätt tidpunkt.",
];
const REPORT_SERVICE_VIEWS: &[&str] = &[
    "Klienten är nöjd med bemötandet och tycker att samtalen har hjälpt.",
    "Klienten tyckte att gruppen var bra men ibland för stor.",
    "Klienten hade velat ha fler samtal i början.",
];
const INTAKE_NOTES: &[&str] = &[
    "Andra samtalet. Vill fundera på sitt drickande inför nästa träff.",
    "Deltog i MI-gruppen. Aktiv i samtalet.",
    "Första träffen i primärgruppen. Har läst materialet.",
];

/// The first follow-up an assignment names: one calendar month after the start.
fn first_follow_up_of(started: NaiveDate) -> NaiveDate {
    akta_domain::deadlines::default_first_follow_up(started)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_identity_numbers_are_valid_and_unique() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
        let mut generator = Generator {
            rng: &mut rng,
            today,
            staff: vec![3, 4],
            used_numbers: HashSet::new(),
            ids: Ids::default(),
            old_file: None,
            plan_goals: Vec::new(),
        };
        for _ in 0..500 {
            let (id, _) = generator.identity();
            let parsed = akta_domain::IdentityNumber::parse(id.as_str(), today).expect("valid");
            assert!(chrono::Datelike::year(&parsed.birth_date()) >= 1952);
        }
        assert_eq!(generator.used_numbers.len(), 500);
    }
}
