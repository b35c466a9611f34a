//! The one door to the database for server functions, and the one home of "open
//! under need-to-know, act, log".
//!
//! Deny by default: a server function reaches the database only through this module.
//! [`require`] checks the session and the role for a function that acts on no single
//! target (lists, the unit's settings, accounts); [`file`], [`review`], [`deviation`],
//! [`intake`] and the other openers do the same for one target named by its public id,
//! and then open it under the rule that says who may reach it (see [`Target`]).
//! [`anonymous`] is reserved for logging in and asking who is logged in.
//! `server/tests/api/http.rs` calls every registered server function without a session,
//! and as a user who may not, and fails if one answers or leaves no trace.
//!
//! The invariant kept here, for every action on client data:
//! - a **change** is one write transaction ([`super::db::begin_write`]): the target is
//!   opened inside it, the action runs, and its access-log line is written inside the
//!   same transaction, so the change and its line commit together or not at all;
//! - a **read** commits its access-log line before the data is returned, so nothing
//!   leaves the server unlogged (reads run outside a write transaction, so they stay
//!   concurrent);
//! - a **refusal** (wrong role, not visible, not theirs, a closed file or round: see
//!   [`AppError::is_refusal`]) rolls the action's transaction back and writes a
//!   `refused` line naming the target in a transaction of its own: the client and file
//!   when the target exists, otherwise the public id asked for.

mod lines;

use super::access_log::Action;
use super::entities::{case_files, users};
use crate::error::AppError;
use crate::model::log::{ListKind, LogDetail, RefusalReason};
use akta_domain::Role;
use leptos::prelude::use_context;
use lines::{account_line, line};
pub use lines::{log_failed_code, log_failed_login, log_listed, log_login, log_throttled_login};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, QuerySelect,
};
use std::future::Future;
use std::sync::Mutex;
use tower_sessions::Session;

pub const SESSION_USER_KEY: &str = "uid";
/// Changes whenever the password changes, so a reset ends every old session.
pub const SESSION_STAMP_KEY: &str = "stamp";
/// The enrolment (`users.totp_enrolled_at`, µs) whose code this session's login gave:
/// an account with a second factor is logged in only in a session that proved it, and
/// a new enrolment or an administrator's reset makes the old proofs worthless.
pub const SESSION_FACTOR_KEY: &str = "factor";
/// A login between its password and its code (`api::auth::Pending`).
pub const SESSION_PENDING_KEY: &str = "pending";
/// The secret shown on the enrolment page, until its first code confirms it.
pub const SESSION_ENROL_KEY: &str = "enrol";

/// Shared by all requests; given to Leptos as context by the server.
/// The connection is private: server functions reach it through this module.
#[derive(Clone, Debug)]
pub struct AppState {
    db: DatabaseConnection,
}

impl AppState {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

/// The user behind a request.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// An administrator set the password; nothing but changing it until it is changed.
    pub must_change_password: bool,
    /// The role needs a second factor and the account has none; nothing but enrolling
    /// one until it has.
    pub must_enrol: bool,
}

/// What a server function needs before it may run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Any logged-in, active user.
    AnyUser,
    /// Any logged-in, active user, also one who must change an administrator-set
    /// password first: changing it and logging out. Everything else waits for that.
    OwnAccount,
    /// Staff and managers; which files is decided per file on top of this.
    ReadFiles,
    /// Managers only.
    ManageUnit,
    /// Administrators only.
    ManageAccounts,
}

impl Permission {
    pub fn allows(self, role: Role) -> bool {
        match self {
            Permission::AnyUser | Permission::OwnAccount => true,
            Permission::ReadFiles => role.may_read_files(),
            Permission::ManageUnit => role == Role::Manager,
            Permission::ManageAccounts => role.may_manage_accounts(),
        }
    }
}

/// What the access log names for one target: its client and file when it has them,
/// and, for a target without either (an open intake), the exact text of `detail`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Named {
    pub client_id: Option<i32>,
    pub case_file_id: Option<i32>,
    pub detail: Option<String>,
}

impl Named {
    pub fn file(client_id: i32, case_file_id: i32) -> Self {
        Named {
            client_id: Some(client_id),
            case_file_id: Some(case_file_id),
            detail: None,
        }
    }

    fn names_nothing(&self) -> bool {
        self.client_id.is_none() && self.case_file_id.is_none() && self.detail.is_none()
    }
}

/// Why a target was not opened for the caller.
#[derive(Debug)]
pub struct Refusal {
    /// What the caller is told (usually "not found": existence is not revealed).
    pub error: AppError,
    /// For the log: "not visible", "not the reviewer", …
    pub why: &'static str,
    /// What exists behind the public id, if anything.
    pub named: Named,
}

impl Refusal {
    /// "Not found" for a target the caller may not see (`named` says what exists, if
    /// anything): existence is not revealed to the caller, only to the log.
    pub fn not_found(named: Named) -> Self {
        Refusal {
            error: AppError::NotFound,
            why: if named.names_nothing() {
                "does not exist"
            } else {
                "not visible"
            },
            named,
        }
    }
}

/// Something one server function acts on, named by a public id and opened under the
/// rule that says who may reach it: the need-to-know rules live in the `open` of each
/// kind (`OpenedFile` under `files::visible_to`, an audit review for its reviewer …).
pub trait Target: Sized + Send + Sync {
    /// The role a caller needs before the target is even looked at.
    const PERMISSION: Permission;
    /// What a public id names, for a refusal whose target does not resolve.
    const KIND: &'static str;

    /// Opens `public_id` for `user`, or says why not.
    fn open<C: ConnectionTrait>(
        db: &C,
        user: &CurrentUser,
        public_id: &str,
    ) -> impl Future<Output = Result<Result<Self, Refusal>, AppError>> + Send;

    /// What exists behind `public_id`, whoever asks: for the refusal of a wrong role.
    fn find<C: ConnectionTrait>(
        db: &C,
        public_id: &str,
    ) -> impl Future<Output = Result<Named, AppError>> + Send;

    /// What the log line of an action on the opened target names.
    fn named(&self) -> Named;
}

/// An opened target inside one action: the connection (a write transaction for a
/// change), the caller, the target, and the detail of the action's log line.
pub struct Scope<'a, C, R> {
    pub db: &'a C,
    pub user: &'a CurrentUser,
    pub opened: R,
    detail: Mutex<Detail>,
    /// What a change that made its target names (a file just opened).
    made: Mutex<Option<Named>>,
    /// The account an administrator's change concerned.
    account: Mutex<Option<i32>>,
    /// A refusal the action found itself (a client in a file the caller cannot
    /// see): logged naming this target when the action fails.
    refusal: Mutex<Option<(Named, RefusalReason)>>,
}

#[derive(Default)]
enum Detail {
    /// What the target names by default (nothing, or an open intake's id).
    #[default]
    Default,
    Set(Option<String>),
    /// The action turned out to change nothing: no line.
    NoLine,
}

impl<C, R> Scope<'_, C, R> {
    /// The detail of the action's log line (a page number, a month, what changed).
    pub fn detail(&self, detail: impl Into<String>) {
        self.set_detail(Some(detail.into()));
    }

    /// A log line without detail, not even the target's default (a closed open intake
    /// leaves no id behind).
    pub fn no_detail(&self) {
        self.set_detail(None);
    }

    /// The detail of the action's log line, structured (rendered through i18n).
    pub fn log_detail(&self, detail: LogDetail) {
        self.set_detail(Some(detail.to_stored()));
    }

    /// The account the action concerned (an administrator's change).
    pub fn account(&self, account_id: i32) {
        if let Ok(mut account) = self.account.lock() {
            *account = Some(account_id);
        }
    }

    /// The action is refused because of what it found (`named`); the error it then
    /// returns is the caller's answer, and the refusal is logged naming `named`.
    pub fn refuse(&self, named: Named, reason: RefusalReason) {
        if let Ok(mut refusal) = self.refusal.lock() {
            *refusal = Some((named, reason));
        }
    }

    /// The target the change made (a file just opened): its log line names it.
    pub fn made(&self, named: Named) {
        if let Ok(mut made) = self.made.lock() {
            *made = Some(named);
        }
    }

    /// The action changed nothing (it was already as asked): no log line.
    pub fn no_line(&self) {
        self.set(Detail::NoLine);
    }

    fn set_detail(&self, detail: Option<String>) {
        self.set(Detail::Set(detail));
    }

    fn set(&self, detail: Detail) {
        if let Ok(mut d) = self.detail.lock() {
            *d = detail;
        }
    }

    /// The detail of the line, `None` for no line at all.
    fn take_detail(&self, default: Option<String>) -> Option<Option<String>> {
        match self.detail.lock().map(|mut d| std::mem::take(&mut *d)) {
            Ok(Detail::Set(detail)) => Some(detail),
            Ok(Detail::NoLine) => None,
            _ => Some(default),
        }
    }
}

/// A checked request: who asks, and the database.
pub struct Ctx {
    pub user: CurrentUser,
    pub session: Session,
    db: DatabaseConnection,
}

fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| super::internal("AppState missing from context"))
}

async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(super::internal)
}

/// What a refused request tried, for its log line: the server function's path, or for
/// a page rendered on the server, the page's path (with the action, when known) — each
/// segment kept only if it is a word or shaped like a public id, since a path may hold
/// text typed into the address bar (an identity number).
fn attempt(action: Option<Action>) -> String {
    let path = use_context::<axum::http::request::Parts>().map(|p| p.uri.path().to_owned());
    match (path, action) {
        (Some(path), _) if path.starts_with("/api/") => path,
        (Some(path), Some(action)) => format!("{} ({})", loggable_path(&path), action.as_str()),
        (Some(path), None) => loggable_path(&path),
        (None, Some(action)) => action.as_str().to_owned(),
        (None, None) => "request".to_owned(),
    }
}

fn loggable_path(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            let word = segment
                .chars()
                .all(|c| (c.is_alphabetic() && c.is_lowercase()) || c == '-');
            if word || super::ids::is_public_id(segment) {
                segment
            } else {
                "…"
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The logged-in, active user of the request, or `NotLoggedIn`; one whose password
/// an administrator set gets `PasswordChangeRequired` until they have changed it, and
/// one whose role needs a second factor they have not enrolled `SecondFactorRequired`
/// (each logged as a refusal).
async fn logged_in_user() -> Result<Ctx, AppError> {
    let ctx = any_logged_in_user().await?;
    let first = if ctx.user.must_change_password {
        Some((
            RefusalReason::PasswordChangeRequired,
            AppError::PasswordChangeRequired,
        ))
    } else if ctx.user.must_enrol {
        Some((
            RefusalReason::SecondFactorRequired,
            AppError::SecondFactorRequired,
        ))
    } else {
        None
    };
    if let Some((reason, error)) = first {
        ctx.refused(None, reason, Named::default(), None).await?;
        return Err(error);
    }
    Ok(ctx)
}

/// The logged-in, active user of the request, or `NotLoggedIn`.
async fn any_logged_in_user() -> Result<Ctx, AppError> {
    let db = state()?.db;
    let session = session().await?;
    let user = user_of_session(&db, &session)
        .await?
        .ok_or(AppError::NotLoggedIn)?;
    Ok(Ctx { user, session, db })
}

/// Checks session and permission for a function that acts on no single target;
/// refusals are written to the access log.
pub async fn require(permission: Permission) -> Result<Ctx, AppError> {
    let ctx = if permission == Permission::OwnAccount {
        any_logged_in_user().await?
    } else {
        logged_in_user().await?
    };
    if !permission.allows(ctx.user.role) {
        tracing::warn!(user = %ctx.user.username, ?permission, "refused");
        ctx.refused(None, RefusalReason::WrongRole, Named::default(), None)
            .await?;
        return Err(AppError::Forbidden);
    }
    Ok(ctx)
}

/// For logging in and asking who is logged in: the only server functions that may
/// run without a session.
pub async fn anonymous() -> Result<(DatabaseConnection, Session), AppError> {
    Ok((state()?.db, session().await?))
}

/// The database for maintenance after a committed change (the checkpoint that follows
/// closing an open intake), never for client data.
pub fn maintenance() -> Result<DatabaseConnection, AppError> {
    Ok(state()?.db)
}

impl Ctx {
    /// The database, for reads that name no client (options, settings, statistics).
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Logs a read that names no client (the log review), committed before the caller
    /// returns the data.
    pub async fn log(&self, action: Action, detail: LogDetail) -> Result<(), AppError> {
        self.write_line(action, Named::default(), Some(detail.to_stored()))
            .await
    }

    /// Logs a list that showed client names: one line per file shown, naming its
    /// client and file (so a client's log finds it), committed before the caller
    /// returns the data. Two statements whatever the length of the list.
    pub async fn log_listed<'f>(
        &self,
        list: ListKind,
        files: impl IntoIterator<Item = &'f str>,
    ) -> Result<(), AppError> {
        log_listed(&self.db, self.user.id, list, files).await
    }

    /// Like [`Ctx::log_listed`] for a list of audit reviews (named by the assignment).
    pub async fn log_listed_reviews<'f>(
        &self,
        list: ListKind,
        assignments: impl IntoIterator<Item = &'f str>,
    ) -> Result<(), AppError> {
        use super::entities::audit_assignments;
        let ids: Vec<String> = assignments.into_iter().map(str::to_owned).collect();
        if ids.is_empty() {
            return Ok(());
        }
        let files: Vec<String> = case_files::Entity::find()
            .select_only()
            .column(case_files::Column::PublicId)
            .filter(
                case_files::Column::Id.in_subquery(
                    sea_orm::sea_query::Query::select()
                        .column(audit_assignments::Column::CaseFileId)
                        .from(audit_assignments::Entity)
                        .and_where(audit_assignments::Column::PublicId.is_in(ids))
                        .to_owned(),
                ),
            )
            .into_tuple()
            .all(&self.db)
            .await?;
        self.log_listed(list, files.iter().map(String::as_str))
            .await
    }

    /// Logs the user's logout (before the session ends, so the line has its hash).
    pub async fn log_logout(&self) -> Result<(), AppError> {
        self.write_line(Action::Logout, Named::default(), None)
            .await
    }

    /// One change that names no single file, in one write transaction with its log line.
    pub async fn change<T>(
        &self,
        action: Action,
        act: impl AsyncFnOnce(&Scope<'_, DatabaseTransaction, ()>) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        self.change_opened(Some(action), (), Named::default(), act)
            .await
    }

    /// One write transaction without a log line (accounts: no client data); a refusal
    /// is still logged.
    pub async fn transaction<T>(
        &self,
        act: impl AsyncFnOnce(&Scope<'_, DatabaseTransaction, ()>) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        self.change_opened(None, (), Named::default(), act).await
    }

    async fn change_opened<R: Send + Sync, T>(
        &self,
        action: Option<Action>,
        opened: R,
        named: Named,
        act: impl AsyncFnOnce(&Scope<'_, DatabaseTransaction, R>) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let txn = super::db::begin_write(&self.db).await?;
        self.finish_change(txn, action, opened, named, None, act)
            .await
    }

    /// Runs the action and, when it succeeds and has one, writes its log line through
    /// the same connection (inside the action's transaction for a change).
    async fn act_and_log<C: ConnectionTrait, R, T>(
        &self,
        scope: &Scope<'_, C, R>,
        action: Option<Action>,
        named: Named,
        act: impl AsyncFnOnce(&Scope<'_, C, R>) -> Result<T, AppError>,
    ) -> Result<(T, Option<i32>), AppError> {
        let value = act(scope).await?;
        let named = match scope.made.lock().map(|mut m| m.take()) {
            Ok(Some(made)) => made,
            _ => named,
        };
        let account = scope.account.lock().ok().and_then(|a| *a);
        if let Some(action) = action
            && let Some(detail) = scope.take_detail(named.detail.clone())
        {
            account_line(scope.db, self.user.id, action, &named, account, detail).await?;
        }
        Ok((value, named.case_file_id))
    }

    /// After a committed change in a file: the deviations it made missing (a late plan, a
    /// deviation entry) go into the register at once, without waiting for the unit's
    /// daily run (`deviations::raise_unit_daily`). The change stands whatever happens
    /// here; a failure is logged and the next full run raises them.
    async fn raise_deviations(&self, file: i32) {
        if let Err(error) = super::deviations::raise_file(&self.db, super::today(), file).await {
            tracing::warn!(?error, "could not raise the deviations of a changed file");
        }
    }

    async fn write_line(
        &self,
        action: Action,
        named: Named,
        detail: Option<String>,
    ) -> Result<(), AppError> {
        line(&self.db, self.user.id, action, &named, detail).await
    }

    /// Writes a `refused` line in its own (autocommitted) transaction: what was tried,
    /// why it was refused, and the target — its client and file when it exists,
    /// otherwise the public id that was asked for.
    async fn refused(
        &self,
        action: Option<Action>,
        reason: RefusalReason,
        named: Named,
        asked: Option<(&str, &str)>,
    ) -> Result<(), AppError> {
        let detail = match (&named.detail, asked) {
            // A target known only by its text (an open intake): exactly that text, so
            // that the line goes with the intake when it is closed.
            (Some(exact), _) => exact.clone(),
            (None, asked) => LogDetail::Refused {
                attempt: attempt(action),
                reason,
                asked: asked
                    .filter(|_| named.names_nothing())
                    .map(|(kind, id)| format!("{kind} {}", loggable_id(id))),
            }
            .to_stored(),
        };
        // A page rendered on the server calls several server functions in one request;
        // refused alike, they are one refused visit: one line (issue 14).
        if let Some(seen) = use_context::<RefusalsThisRequest>()
            && !seen.first((named.client_id, named.case_file_id, detail.clone()))
        {
            tracing::debug!(user = %self.user.username, %detail, "refused again");
            return Ok(());
        }
        tracing::info!(user = %self.user.username, %detail, "refused");
        self.write_line(Action::Refused, named, Some(detail)).await
    }
}

/// The refusals logged during one request (the server provides one per request):
/// a page rendered on the server whose data calls are refused alike leaves one line.
#[derive(Clone, Default)]
pub struct RefusalsThisRequest(
    std::sync::Arc<std::sync::Mutex<std::collections::HashSet<RefusalKey>>>,
);

type RefusalKey = (Option<i32>, Option<i32>, String);

impl RefusalsThisRequest {
    /// Whether this refusal is the first of its kind in the request (and notes it).
    fn first(&self, key: RefusalKey) -> bool {
        match self.0.lock() {
            Ok(mut seen) => seen.insert(key),
            // A poisoned lock: log the line rather than lose it.
            Err(_) => true,
        }
    }
}

/// Rolls an action's transaction back. A rollback that fails (the connection broke) is
/// logged and the action's own error is what the caller hears: nothing was committed
/// either way.
async fn rollback(txn: DatabaseTransaction) {
    if let Err(e) = txn.rollback().await {
        tracing::error!(error = %e, "rollback failed");
    }
}

/// A public id as it may stand in the log: ids have a fixed shape, and anything else
/// typed into a URL (it could be an identity number) is not kept.
fn loggable_id(id: &str) -> &str {
    if super::ids::is_public_id(id) {
        id
    } else {
        "not an id"
    }
}

fn error_why(error: &AppError) -> RefusalReason {
    match error {
        AppError::Forbidden => RefusalReason::WrongRole,
        AppError::NotFound => RefusalReason::NotVisible,
        AppError::FileClosed => RefusalReason::FileClosed,
        AppError::RoundClosed => RefusalReason::RoundClosed,
        AppError::ReviewTimeOver { .. } => RefusalReason::ReviewTimeOver,
        _ => RefusalReason::Other,
    }
}

/// A target's refusal as the log says it: nothing behind the id, or not for the caller.
fn reason_of(refusal: &Refusal) -> RefusalReason {
    if let AppError::RoundClosed | AppError::ReviewTimeOver { .. } = refusal.error {
        error_why(&refusal.error)
    } else if refusal.named.names_nothing() {
        RefusalReason::DoesNotExist
    } else {
        RefusalReason::NotVisible
    }
}

/// The guard for a server function that acts on one target: the caller's role, then
/// the target opened under its rule, the action, and the log line (see the module).
pub struct On<'a, R> {
    public_id: &'a str,
    kind: std::marker::PhantomData<fn() -> R>,
}

/// One case file, opened under need-to-know (`files::visible_to`).
pub fn file(public_id: &str) -> On<'_, super::journal::OpenedFile> {
    on(public_id)
}

/// Any target kind by its public id (see the named openers).
pub fn on<R: Target>(public_id: &str) -> On<'_, R> {
    On {
        public_id,
        kind: std::marker::PhantomData,
    }
}

impl<R: Target> On<'_, R> {
    /// The caller with the role the target needs, or a logged refusal.
    async fn caller(&self, action: Option<Action>) -> Result<Ctx, AppError> {
        let ctx = logged_in_user().await?;
        if !R::PERMISSION.allows(ctx.user.role) {
            let named = R::find(&ctx.db, self.public_id).await?;
            let asked = Some((R::KIND, self.public_id));
            ctx.refused(action, RefusalReason::WrongRole, named, asked)
                .await?;
            return Err(AppError::Forbidden);
        }
        Ok(ctx)
    }

    async fn log_refusal(
        &self,
        ctx: &Ctx,
        action: Option<Action>,
        refusal: Refusal,
    ) -> Result<AppError, AppError> {
        let reason = reason_of(&refusal);
        tracing::debug!(why = refusal.why, "target refused");
        ctx.refused(
            action,
            reason,
            refusal.named,
            Some((R::KIND, self.public_id)),
        )
        .await?;
        Ok(refusal.error)
    }

    /// A read of the target: its log line is committed before the data is returned.
    pub async fn read<T>(
        self,
        action: Action,
        act: impl AsyncFnOnce(&Scope<'_, DatabaseConnection, R>) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let ctx = self.caller(Some(action)).await?;
        let opened = match R::open(&ctx.db, &ctx.user, self.public_id).await? {
            Ok(opened) => opened,
            Err(refusal) => return Err(self.log_refusal(&ctx, Some(action), refusal).await?),
        };
        let named = opened.named();
        let scope = Scope {
            db: &ctx.db,
            user: &ctx.user,
            opened,
            detail: Mutex::default(),
            made: Mutex::default(),
            account: Mutex::default(),
            refusal: Mutex::default(),
        };
        match ctx
            .act_and_log(&scope, Some(action), named.clone(), act)
            .await
        {
            Ok((value, _)) => Ok(value),
            Err(error) => {
                if error.is_refusal() {
                    let asked = Some((R::KIND, self.public_id));
                    ctx.refused(Some(action), error_why(&error), named, asked)
                        .await?;
                }
                Err(error)
            }
        }
    }

    /// A change of the target, logged: one write transaction with its log line.
    pub async fn change<T>(
        self,
        action: Action,
        act: impl AsyncFnOnce(&Scope<'_, DatabaseTransaction, R>) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        self.change_logged(Some(action), act).await
    }

    /// A change not logged line by line (autosaves of one's own draft or review: the log
    /// would drown in them); a refusal is logged all the same.
    pub async fn autosave<T>(
        self,
        act: impl AsyncFnOnce(&Scope<'_, DatabaseTransaction, R>) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        self.change_logged(None, act).await
    }

    async fn change_logged<T>(
        self,
        action: Option<Action>,
        act: impl AsyncFnOnce(&Scope<'_, DatabaseTransaction, R>) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let ctx = self.caller(action).await?;
        // Opened inside the transaction: a file closed or a team changed a moment ago
        // is seen by the change.
        let txn = super::db::begin_write(&ctx.db).await?;
        let opened = match R::open(&txn, &ctx.user, self.public_id).await {
            Ok(Ok(opened)) => opened,
            Ok(Err(refusal)) => {
                // The refusal is logged outside the rolled-back transaction (on SQLite
                // another connection could not write while this one holds the lock).
                rollback(txn).await;
                return Err(self.log_refusal(&ctx, action, refusal).await?);
            }
            Err(error) => {
                rollback(txn).await;
                return Err(error);
            }
        };
        let named = opened.named();
        let asked = Some((R::KIND, self.public_id));
        ctx.finish_change(txn, action, opened, named, asked, act)
            .await
    }
}

impl Ctx {
    /// Runs the action in `txn` and commits it with its log line; on an error rolls it
    /// back and logs a refusal outside it.
    async fn finish_change<R: Send + Sync, T>(
        &self,
        txn: DatabaseTransaction,
        action: Option<Action>,
        opened: R,
        named: Named,
        asked: Option<(&str, &str)>,
        act: impl AsyncFnOnce(&Scope<'_, DatabaseTransaction, R>) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let scope = Scope {
            db: &txn,
            user: &self.user,
            opened,
            detail: Mutex::default(),
            made: Mutex::default(),
            account: Mutex::default(),
            refusal: Mutex::default(),
        };
        let outcome = self.act_and_log(&scope, action, named.clone(), act).await;
        let found = scope.refusal.lock().ok().and_then(|mut r| r.take());
        drop(scope);
        match outcome {
            Ok((value, file)) => {
                txn.commit().await?;
                if action.is_some()
                    && let Some(file) = file
                {
                    self.raise_deviations(file).await;
                }
                Ok(value)
            }
            Err(error) => {
                rollback(txn).await;
                if let Some((named, reason)) = found {
                    self.refused(action, reason, named, None).await?;
                } else if error.is_refusal() {
                    self.refused(action, error_why(&error), named, asked)
                        .await?;
                }
                Err(error)
            }
        }
    }
}

/// The active user whose id and password stamp are in the session, if any; for an
/// account with a second factor, only in a session whose login proved it.
pub async fn user_of_session(
    db: &DatabaseConnection,
    session: &Session,
) -> Result<Option<CurrentUser>, AppError> {
    let uid: Option<i32> = session
        .get(SESSION_USER_KEY)
        .await
        .map_err(super::sessions::session_error)?;
    let stamp: Option<i64> = session
        .get(SESSION_STAMP_KEY)
        .await
        .map_err(super::sessions::session_error)?;
    let (Some(uid), Some(stamp)) = (uid, stamp) else {
        return Ok(None);
    };
    let Some(user) = users::Entity::find_by_id(uid).one(db).await? else {
        return Ok(None);
    };
    if !user.active || user.password_changed_at.timestamp_micros() != stamp {
        return Ok(None);
    }
    if let Some(enrolled) = user.totp_enrolled_at {
        let proof: Option<i64> = session
            .get(SESSION_FACTOR_KEY)
            .await
            .map_err(super::sessions::session_error)?;
        if proof != Some(enrolled.timestamp_micros()) {
            return Ok(None);
        }
    }
    let Some(role) = Role::parse(&user.role) else {
        return Err(super::internal(format!("unknown role {}", user.role)));
    };
    let must_enrol = super::second_factor::must_enrol(db, &user, role).await?;
    Ok(Some(CurrentUser {
        must_enrol,
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        role,
        must_change_password: user.must_change_password,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admins_manage_accounts_and_admins_read_no_files() {
        assert!(Permission::ManageAccounts.allows(Role::Admin));
        assert!(!Permission::ManageAccounts.allows(Role::Manager));
        assert!(!Permission::ManageAccounts.allows(Role::Staff));
        assert!(!Permission::ReadFiles.allows(Role::Admin));
        assert!(Permission::ReadFiles.allows(Role::Staff));
        assert!(Permission::ManageUnit.allows(Role::Manager));
        assert!(!Permission::ManageUnit.allows(Role::Staff));
    }

    #[test]
    fn a_page_path_keeps_its_words_and_ids_only() {
        assert_eq!(
            loggable_path("/akter/abcdefghijkm/plan"),
            "/akter/abcdefghijkm/plan"
        );
        assert_eq!(loggable_path("/akter/19121212-1212"), "/akter/…");
        assert_eq!(loggable_path("/logg"), "/logg");
    }

    #[test]
    fn only_id_shaped_text_is_logged_as_an_asked_for_id() {
        assert_eq!(loggable_id("abcdefghijkm"), "abcdefghijkm");
        assert_eq!(loggable_id("19121212-1212"), "not an id");
        assert_eq!(loggable_id(""), "not an id");
    }
}
