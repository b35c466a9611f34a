//! The commands of the `akta` binary.

use crate::config::{self, Config};
use clap::{Parser, Subcommand};
use migrations::{Migrator, MigratorTrait};
use sea_orm::DatabaseConnection;
use std::io::{BufRead, IsTerminal};

#[derive(Debug, Parser)]
#[command(
    name = "akta",
    version,
    about = "Akta: case files, journals and the yearly peer file audit"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply pending migrations, then serve Akta (address from LEPTOS_SITE_ADDR).
    Serve,
    /// Apply pending migrations and say which. On PostgreSQL run it as the owner role;
    /// `--runtime-role` then grants the role `akta serve` runs as what it needs.
    Migrate {
        /// The owner's database URL; by default AKTA_MIGRATE_URL, else DATABASE_URL.
        #[arg(long)]
        database_url: Option<String>,
        /// The PostgreSQL role `akta serve` connects as (AKTA_RUNTIME_ROLE): it gets its
        /// grants anew after the migrations (see the README's deployment section).
        #[arg(long)]
        runtime_role: Option<String>,
    },
    /// Fill an empty database with a realistic demo unit.
    Demo {
        /// The same seed (and date) gives the same unit.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Number of clients (up to 100 000 for benchmarks).
        #[arg(long, default_value_t = 60)]
        clients: u32,
        /// The date the demo is written around (YYYY-MM-DD); today by default.
        #[arg(long)]
        today: Option<chrono::NaiveDate>,
    },
    /// Cull (gallra) closed files whose five years are up, with everything in them;
    /// writes counts and dates to the cull log. `--dry-run` only lists what would go.
    Cull {
        /// Change nothing; list the files (public ids and dates) that would be destroyed.
        #[arg(long)]
        dry_run: bool,
        /// The day to cull for (YYYY-MM-DD); today by default.
        #[arg(long)]
        today: Option<chrono::NaiveDate>,
    },
    /// Take a consistent backup of the running database into FILE (a new file) and
    /// verify it. SQLite: an online copy (VACUUM INTO); PostgreSQL: pg_dump.
    Backup {
        /// Where the backup goes; never overwritten.
        file: std::path::PathBuf,
    },
    /// Restore a backup taken by `akta backup` into an empty database (the one
    /// DATABASE_URL names), then apply any newer migrations. Stop `akta serve` first.
    Restore {
        /// The backup to restore.
        file: std::path::PathBuf,
    },
    /// List the clients whose stored number may have been read in the wrong century
    /// before 10-digit numbers were read by age (issue 13): a 19xx number that is also
    /// valid as 20xx. Changes nothing; prints public ids and birth years only.
    IdentityNumbers,
    /// Create an administrator; asks for the password twice (or reads two lines
    /// from standard input when it is not a terminal).
    CreateAdmin {
        #[arg(long)]
        username: String,
        #[arg(long, default_value = "Administratör")]
        display_name: String,
    },
}

/// A failure of a command: one clear line for the operator.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    #[error("cannot open the database {url}: {reason}")]
    Connect { url: String, reason: String },
    #[error("the database refused the migrations: {0}")]
    Migrate(String),
    #[error("cannot listen on {addr}: {reason}")]
    Bind {
        addr: std::net::SocketAddr,
        reason: String,
    },
    #[error("{0}")]
    Demo(String),
    #[error("{0}")]
    Input(String),
    #[error("culling stopped: {0}")]
    Cull(String),
    #[error(transparent)]
    Backup(#[from] crate::backup::BackupError),
    #[error("the site files are missing ({0}); build them with `./akta.sh build` first")]
    Site(String),
}

pub async fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Serve => serve().await,
        Command::Migrate {
            database_url,
            runtime_role,
        } => {
            let url = match database_url.or_else(|| non_empty_env("AKTA_MIGRATE_URL")) {
                Some(url) => url,
                None => config::database_url()?,
            };
            let db = connect(&url).await?;
            let applied = migrate(&db).await?;
            if applied.is_empty() {
                println!("The database is up to date.");
            } else {
                for name in applied {
                    println!("Applied {name}");
                }
            }
            if let Some(role) = runtime_role.or_else(|| non_empty_env("AKTA_RUNTIME_ROLE")) {
                crate::roles::grant_runtime(&db, &role)
                    .await
                    .map_err(|e| CliError::Migrate(first_line(&e.to_string())))?;
                println!("Granted the runtime role {role} what akta serve needs.");
            }
            Ok(())
        }
        Command::Demo {
            seed,
            clients,
            today,
        } => {
            let db = connect(&config::database_url()?).await?;
            migrate(&db).await?;
            let today = today.unwrap_or_else(app::server::today);
            let summary = crate::demo::generate(
                &db,
                crate::demo::Options {
                    seed,
                    clients,
                    today,
                },
            )
            .await
            .map_err(|e| CliError::Demo(e.to_string()))?;
            println!("{summary}");
            Ok(())
        }
        Command::Cull { dry_run, today } => {
            let db = connect(&config::database_url()?).await?;
            migrate(&db).await?;
            cull(&db, today.unwrap_or_else(app::server::today), dry_run).await
        }
        Command::Backup { file } => {
            let url = config::database_url()?;
            let db = connect(&url).await?;
            let contents = crate::backup::backup(&db, &url, &file).await?;
            println!(
                "Backup written to {} and verified: {contents}.",
                file.display()
            );
            Ok(())
        }
        Command::Restore { file } => {
            let url = config::database_url()?;
            let contents = crate::backup::restore(&url, &file).await?;
            let db = connect(&url).await?;
            let applied = migrate(&db).await?;
            println!(
                "Restored {} into {}: {contents}; {} newer migration(s) applied.",
                file.display(),
                config::redact(&url),
                applied.len()
            );
            Ok(())
        }
        Command::IdentityNumbers => {
            let db = connect(&config::database_url()?).await?;
            migrate(&db).await?;
            let list = app::server::clients::century_candidates(&db)
                .await
                .map_err(|e| CliError::Input(describe(&e)))?;
            for c in &list {
                println!(
                    "client {} (registered {}): stored as born {}, also valid as born {}; files {}",
                    c.client_public_id,
                    c.registered_on,
                    c.stored_year,
                    c.other_year,
                    c.file_public_ids.join(", ")
                );
            }
            println!(
                "{} client(s) to check with the contact person: the stored number cannot tell the two centuries apart.",
                list.len()
            );
            Ok(())
        }
        Command::CreateAdmin {
            username,
            display_name,
        } => {
            let db = connect(&config::database_url()?).await?;
            migrate(&db).await?;
            let password = read_password_twice()?;
            let new =
                app::server::users::NewUser::parse(&username, &display_name, "admin", &password)
                    .map_err(|e| CliError::Input(describe(&e)))?;
            let user = app::server::users::create(&db, new)
                .await
                .map_err(|e| CliError::Input(describe(&e)))?;
            println!("Created administrator {}.", user.username);
            Ok(())
        }
    }
}

async fn serve() -> Result<(), CliError> {
    let config = Config::from_env()?;
    // The port first: a second `akta` on the same port says so before it touches
    // the database (and before any migration runs).
    let listener = tokio::net::TcpListener::bind(config.site_addr)
        .await
        .map_err(|e| CliError::Bind {
            addr: config.site_addr,
            reason: match e.kind() {
                std::io::ErrorKind::AddrInUse => {
                    "the port is in use (is another akta running?)".to_owned()
                }
                _ => e.to_string(),
            },
        })?;
    let db = connect(&config.database_url).await?;
    let applied = migrate(&db).await?;
    for name in applied {
        tracing::info!("applied migration {name}");
    }
    let mut options = leptos::config::get_configuration(None)
        .map_err(|e| CliError::Site(e.to_string()))?
        .leptos_options;
    if options.output_name.is_empty() {
        options.output_name = "akta".into();
    }
    options.site_addr = config.site_addr;
    let pkg = std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    if !pkg.is_dir() {
        return Err(CliError::Site(pkg.display().to_string()));
    }
    // Expired sessions are swept now and then; any instance may do it.
    let store = app::server::sessions::DbSessionStore::new(db.clone());
    tokio::spawn(async move {
        use tower_sessions::session_store::ExpiredDeletion;
        let mut every = tokio::time::interval(tokio::time::Duration::from_secs(600));
        loop {
            every.tick().await;
            if let Err(e) = store.delete_expired().await {
                tracing::warn!(error = %e, "could not sweep expired sessions");
            }
        }
    });
    tokio::spawn(daily_culling(db.clone()));
    tokio::spawn(raising_deviations(db.clone()));
    let router = crate::http::build_router(db, &config, options);
    crate::http::serve(router, listener, &config.limits)
        .await
        .map_err(|e| CliError::Bind {
            addr: config.site_addr,
            reason: e.to_string(),
        })
}

/// `akta cull`: a manual run (or a dry run) with progress on standard error.
async fn cull(
    db: &DatabaseConnection,
    today: chrono::NaiveDate,
    dry_run: bool,
) -> Result<(), CliError> {
    use app::server::culling::{self, RunKind, RunOutcome};
    let started = std::time::Instant::now();
    let mut last_report = std::time::Instant::now();
    let outcome = culling::run(db, today, RunKind::Manual, dry_run, |done, total| {
        if done == total || last_report.elapsed().as_secs() >= 2 {
            eprintln!("culled {done} of {total} files");
            last_report = std::time::Instant::now();
        }
    })
    .await
    .map_err(|e| CliError::Cull(first_line(&e.to_string())))?;
    match outcome {
        RunOutcome::DryRun(files) => {
            for f in &files {
                println!(
                    "would cull file {} (closed {}, due {})",
                    f.public_id, f.closed_on, f.due
                );
            }
            println!(
                "Dry run for {today}: {} file(s) would be destroyed; nothing was changed.",
                files.len()
            );
        }
        RunOutcome::Done(s) => println!(
            "Culling for {today}: {} file(s) destroyed, {} client(s) removed, {} journal entries and {} access-log lines deleted ({} skipped) in {:.1} s.",
            s.files,
            s.clients,
            s.entries,
            s.log_lines,
            s.skipped,
            started.elapsed().as_secs_f64()
        ),
        RunOutcome::AlreadyRan => println!("Culling for {today} has already run."),
    }
    Ok(())
}

/// The daily culling job of `akta serve`: checks every hour; the cull log lets only
/// one run per day through, however many instances share the database.
async fn daily_culling(db: DatabaseConnection) {
    use app::server::culling::{self, RunKind, RunOutcome};
    let mut every = tokio::time::interval(tokio::time::Duration::from_secs(3600));
    loop {
        every.tick().await;
        let today = app::server::today();
        match culling::run(&db, today, RunKind::Daily, false, |_, _| {}).await {
            Ok(RunOutcome::Done(s)) => tracing::info!(
                files = s.files,
                clients = s.clients,
                entries = s.entries,
                log_lines = s.log_lines,
                "daily culling done"
            ),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "daily culling failed"),
        }
    }
}

/// Raises the unit's deviations (missed deadlines, deviation entries) and writes the
/// start page's due summaries (`app::server::due_summary`) once a day, soon
/// after midnight and when the server starts, so the register is current even when
/// nobody opens it and no reader waits for the whole unit: deadlines pass by the day,
/// and a change in a file raises that file's at once (`guard`). Looks every ten
/// minutes whether today's run is done (one small read). Idempotent: any number of
/// instances may run it at once.
async fn raising_deviations(db: DatabaseConnection) {
    let mut every = tokio::time::interval(tokio::time::Duration::from_secs(600));
    let mut optimized = None;
    loop {
        every.tick().await;
        let today = app::server::today();
        match app::server::deviations::raise_unit_daily(&db, today).await {
            Ok(0) => {}
            Ok(raised) => tracing::info!(raised, "deviations raised"),
            Err(e) => tracing::warn!(error = %e, "raising deviations failed"),
        }
        // Written with the deviations; on their own when the unit's due day changed.
        if let Err(e) = app::server::due_summary::write_unit_daily(&db, today).await {
            tracing::warn!(error = %e, "writing the due summaries failed");
        }
        // SQLite's planner statistics once a day, as it advises for long-lived
        // connections (PostgreSQL's autovacuum keeps its own).
        let sqlite =
            sea_orm::ConnectionTrait::get_database_backend(&db) == sea_orm::DbBackend::Sqlite;
        if sqlite && optimized < Some(today) {
            match app::server::db::refresh_statistics(&db).await {
                Ok(()) => optimized = Some(today),
                Err(e) => tracing::warn!(error = %e, "PRAGMA optimize failed"),
            }
        }
    }
}

pub async fn connect(url: &str) -> Result<DatabaseConnection, CliError> {
    app::server::db::connect(url)
        .await
        .map_err(|e| CliError::Connect {
            url: config::redact(url),
            reason: first_line(&e.to_string()),
        })
}

/// Applies pending migrations; returns the names of those applied. With none pending
/// it writes nothing, so a runtime role that may not change the schema starts; with
/// some pending it says to run `akta migrate` as the owner.
pub async fn migrate(db: &DatabaseConnection) -> Result<Vec<String>, CliError> {
    let pending: Vec<String> = Migrator::get_pending_migrations_read_only(db)
        .await
        .map_err(|e| CliError::Migrate(first_line(&e.to_string())))?
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    if pending.is_empty() {
        return Ok(pending);
    }
    Migrator::up(db, None).await.map_err(|e| {
        let said = first_line(&e.to_string());
        CliError::Migrate(if said.contains("database is locked") {
            format!("{said} (another program, such as a second akta, holds the database file)")
        } else if said.contains("permission denied") || said.contains("must be owner") {
            format!(
                "{said} (this role may not change the schema: run `akta migrate` with the owner's URL)"
            )
        } else {
            said
        })
    })?;
    Ok(pending)
}

fn non_empty_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or_default().to_owned()
}

fn read_password_twice() -> Result<String, CliError> {
    let io = |e: std::io::Error| CliError::Input(format!("cannot read the password: {e}"));
    let (first, second) = if std::io::stdin().is_terminal() {
        (
            rpassword::prompt_password("Password: ").map_err(io)?,
            rpassword::prompt_password("Password again: ").map_err(io)?,
        )
    } else {
        let mut lines = std::io::stdin().lock().lines();
        let mut next = || {
            lines
                .next()
                .transpose()
                .map_err(io)
                .map(Option::unwrap_or_default)
        };
        (next()?, next()?)
    };
    if first != second {
        return Err(CliError::Input("the two passwords differ".to_owned()));
    }
    Ok(first)
}

/// A validation error as an English line for the terminal.
fn describe(e: &app::error::AppError) -> String {
    use app::error::{AppError, Problem};
    match e {
        AppError::Invalid(fields) => fields
            .iter()
            .map(|f| {
                let what = match f.problem {
                    Problem::Empty => "is empty".to_owned(),
                    Problem::TooLong { max } => format!("is longer than {max} characters"),
                    Problem::UsernameChars => "may only use a-z, 0-9, '.', '-' and '_'".to_owned(),
                    Problem::UsernameTaken => "is taken".to_owned(),
                    Problem::PasswordShort { min } => format!("is shorter than {min} characters"),
                    Problem::PasswordLong { max } => format!("is longer than {max} characters"),
                    Problem::PasswordCommon => {
                        "is one of the common passwords attackers try first".to_owned()
                    }
                    Problem::InvalidRole => "is not a role".to_owned(),
                    Problem::OwnAccount => "is your own account".to_owned(),
                    // Journal problems never arise on the command line.
                    other => format!("is not valid ({other:?})"),
                };
                format!("{} {what}", f.field)
            })
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}
