//! Pieces shared by the pages: the frame with navigation, error sentences and
//! accessible form fields.

use crate::app::Auth;
use crate::error::{AppError, Problem};
use crate::i18n::*;
use akta_domain::Role;
use leptos::prelude::*;
use leptos_router::components::A;

/// Sends the browser to `path` (an absolute path): on the server a redirect of the
/// response, in the browser a navigation. The router's `Redirect` resolves its path
/// against the matched route, and the frame lives outside the routes.
#[component]
fn SendTo(path: &'static str) -> impl IntoView {
    #[cfg(feature = "ssr")]
    leptos_axum::redirect(path);
    #[cfg(not(feature = "ssr"))]
    {
        let navigate = leptos_router::hooks::use_navigate();
        Effect::new(move |_| navigate(path, Default::default()));
    }
}

/// Header with the navigation for the user's role, language switch and logout.
#[component]
pub fn Frame(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let auth = expect_context::<Auth>();
    let switch_language = move |_| {
        let next = match i18n.get_locale() {
            Locale::sv => Locale::en,
            Locale::en => Locale::sv,
        };
        i18n.set_locale(next);
    };
    let location = leptos_router::hooks::use_location();
    let nav = move || {
        auth.user.get().and_then(Result::ok).flatten().map(|user| {
            let role = user.role;
            // An administrator-set password is changed before anything else, and then a
            // second factor the role needs is enrolled.
            let here = location.pathname.get();
            let away = if user.must_change_password {
                Some(crate::pages::password::PATH)
            } else if user.must_enrol {
                Some(crate::pages::second_factor::PATH)
            } else {
                None
            }
            .filter(|path| *path != here);
            view! {
                {away.map(|path| view! { <SendTo path /> })}
                <nav aria-label=move || t_string!(i18n, nav.label).to_string() class="main-nav">
                    <ul>
                        <li><A href="/">{t!(i18n, nav.start)}</A></li>
                        {role.may_read_files().then(|| view! {
                            <li><A href="/klienter">{t!(i18n, nav.clients)}</A></li>
                            <li><A href="/intag">{t!(i18n, nav.open_intake)}</A></li>
                        })}
                        {role.may_read_files().then(|| view! {
                            <li><A href="/granskning">{t!(i18n, nav.audit)}</A></li>
                            <li><A href="/avvikelser">{t!(i18n, deviations.nav)}</A></li>
                        })}
                        {(role == Role::Manager).then(|| view! {
                            <li><A href="/logg">{t!(i18n, nav.access_log)}</A></li>
                        })}
                        {(role == Role::Admin).then(|| view! {
                            <li><A href="/admin/anvandare">{t!(i18n, nav.users)}</A></li>
                            <li><A href="/admin/gallring">{t!(i18n, nav.culling)}</A></li>
                        })}
                    </ul>
                </nav>
                <div class="session">
                    <span class="who">
                        <span class="visually-hidden">{t!(i18n, nav.signed_in_as)}" "</span>
                        {user.display_name.clone()}
                        " · "
                        <RoleName role />
                    </span>
                    <A href=crate::pages::password::PATH>{t!(i18n, nav.password)}</A>
                    <ActionForm action=auth.logout attr:class="inline">
                        <button type="submit" class="link-button">{t!(i18n, nav.logout)}</button>
                    </ActionForm>
                </div>
            }
        })
    };
    // Printed, every page says whose it is: the unit's name above the content.
    let unit_name = move || {
        auth.user
            .get()
            .and_then(Result::ok)
            .flatten()
            .and_then(|u| u.unit_name)
            .map(|name| view! { <p class="print-only unit-name">{name}</p> })
    };
    // An audit reminder from the manager, on every page until the reviewer opens
    // their reviews (issue 15, part 3). It names no client.
    let reminders = move || {
        let notes = auth
            .user
            .get()
            .and_then(Result::ok)
            .flatten()
            .map(|u| u.reminders)
            .unwrap_or_default();
        (!notes.is_empty()).then(|| {
            view! {
                <aside class="reminders no-print" aria-label=move || t_string!(i18n, audit.reminders_label).to_string()>
                    {notes.into_iter().map(|n| view! { <ReminderLine n /> }).collect_view()}
                </aside>
            }
        })
    };
    // The skip link moves focus to the content itself (the router would otherwise
    // only scroll), so the next Tab starts inside it.
    let main_ref = NodeRef::<leptos::html::Main>::new();
    let skip = move |ev: leptos::ev::MouseEvent| {
        if let Some(main) = main_ref.get() {
            ev.prevent_default();
            let _ = main.focus();
        }
    };
    view! {
        <a class="skip-link" href="#main" on:click=skip>{t!(i18n, skip_to_content)}</a>
        <header class="top">
            <div class="brand"><A href="/">{t!(i18n, app_name)}</A></div>
            <Transition fallback=|| ()>{nav}</Transition>
            <button type="button" class="link-button lang" on:click=switch_language>
                {t!(i18n, nav.switch_language)}
            </button>
        </header>
        <main id="main" tabindex="-1" node_ref=main_ref>
            <Transition fallback=|| ()>{unit_name}{reminders}</Transition>
            {children()}
        </main>
    }
}

/// One reminder: from whom, how many reviews are left, by when; and the way there.
#[component]
fn ReminderLine(n: crate::model::audit::ReminderNote) -> impl IntoView {
    let i18n = use_i18n();
    let (by, date, due, year, left) = (
        n.sent_by,
        n.sent_on.to_string(),
        n.due_on.to_string(),
        n.year,
        n.left,
    );
    let text = t!(
        i18n,
        audit.reminder_banner,
        by = move || by.clone(),
        date = move || date.clone(),
        count = move || left,
        year = move || year,
        due = move || due.clone()
    );
    view! {
        <p class="reminder">{text}" "<A href="/granskning">{t!(i18n, audit.reminder_link)}</A></p>
    }
}

#[component]
pub fn RoleName(role: Role) -> impl IntoView {
    let i18n = use_i18n();
    match role {
        Role::Staff => t!(i18n, role.staff).into_any(),
        Role::Manager => t!(i18n, role.manager).into_any(),
        Role::Admin => t!(i18n, role.admin).into_any(),
    }
}

/// An error as a sentence in the user's language.
#[component]
pub fn ErrorText(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    match error {
        AppError::NotLoggedIn => view! {
            {t!(i18n, error.not_logged_in)}" "<a href="/logga-in">{t!(i18n, error.go_login)}</a>
        }
        .into_any(),
        AppError::Forbidden => t!(i18n, error.forbidden).into_any(),
        AppError::NotFound => t!(i18n, error.not_found).into_any(),
        AppError::InvalidCredentials => t!(i18n, error.invalid_credentials).into_any(),
        AppError::RateLimited => t!(i18n, error.rate_limited).into_any(),
        AppError::LoginThrottled { minutes } => t!(
            i18n,
            error.login_throttled,
            count = move || u64::from(minutes)
        )
        .into_any(),
        AppError::PasswordChangeRequired => view! {
            {t!(i18n, error.password_change_required)}" "
            <a href=crate::pages::password::PATH>{t!(i18n, error.go_password)}</a>
        }
        .into_any(),
        AppError::SecondFactorRequired => view! {
            {t!(i18n, error.second_factor_required)}" "
            <a href=crate::pages::second_factor::PATH>{t!(i18n, error.go_second_factor)}</a>
        }
        .into_any(),
        AppError::LoginRestart => view! {
            {t!(i18n, error.login_restart)}" "<a href="/logga-in">{t!(i18n, error.go_login)}</a>
        }
        .into_any(),
        AppError::Network => t!(i18n, error.network).into_any(),
        AppError::Internal => t!(i18n, error.internal).into_any(),
        AppError::Invalid(_) => t!(i18n, form.error_summary).into_any(),
        AppError::FileClosed => t!(i18n, error.file_closed).into_any(),
        AppError::PlanSigned => t!(i18n, error.plan_signed).into_any(),
        AppError::PlanDraftExists => t!(i18n, error.plan_draft_exists).into_any(),
        AppError::PlanNotSigned => t!(i18n, error.plan_not_signed).into_any(),
        AppError::NoPlanForService => t!(i18n, error.no_plan_for_service).into_any(),
        AppError::GoalInUse => t!(i18n, error.goal_in_use).into_any(),
        AppError::Pairing(problem) => view! { <PairingText problem /> }.into_any(),
        AppError::RoundNotDraft => t!(i18n, error.round_not_draft).into_any(),
        AppError::ReviewSubmitted => t!(i18n, error.review_submitted).into_any(),
        AppError::RoundClosed => t!(i18n, error.round_closed).into_any(),
        AppError::RoundReopenExpired => {
            let days = akta_domain::audit_round::REOPEN_DAYS;
            t!(i18n, error.round_reopen_expired, days = move || days).into_any()
        }
        AppError::ReviewTimeOver { until } => {
            let until = until.format("%Y-%m-%d").to_string();
            t!(i18n, error.review_time_over, until = move || until.clone()).into_any()
        }
        AppError::DeviationClosed => t!(i18n, deviations.error_closed).into_any(),
        AppError::Unavailable => t!(i18n, error.unavailable).into_any(),
        AppError::TooLarge => t!(i18n, error.too_large).into_any(),
        AppError::TimedOut => t!(i18n, error.timed_out).into_any(),
        AppError::BadRequest => t!(i18n, error.bad_request).into_any(),
    }
}

/// A field problem as a sentence.
#[component]
pub fn ProblemText(problem: Problem) -> impl IntoView {
    let i18n = use_i18n();
    match problem {
        Problem::Empty => t!(i18n, error.empty).into_any(),
        Problem::TooLong { max } => t!(i18n, error.too_long, max = move || max).into_any(),
        Problem::UsernameChars => t!(i18n, error.username_chars).into_any(),
        Problem::UsernameTaken => t!(i18n, error.username_taken).into_any(),
        Problem::PasswordShort { min } => {
            t!(i18n, error.password_short, min = move || min).into_any()
        }
        Problem::PasswordLong { max } => {
            t!(i18n, error.password_long, max = move || max).into_any()
        }
        Problem::PasswordCommon => t!(i18n, error.password_common).into_any(),
        Problem::PasswordWrong => t!(i18n, error.password_wrong).into_any(),
        Problem::CodeWrong => t!(i18n, error.code_wrong).into_any(),
        Problem::EnrolmentRestart => t!(i18n, error.enrolment_restart).into_any(),
        Problem::PasswordsDiffer => t!(i18n, error.passwords_differ).into_any(),
        Problem::PasswordUnchanged => t!(i18n, error.password_unchanged).into_any(),
        Problem::InvalidRole => t!(i18n, error.invalid_role).into_any(),
        Problem::OwnAccount => t!(i18n, error.own_account).into_any(),
        Problem::InvalidDate => t!(i18n, error.invalid_date).into_any(),
        Problem::DateInFuture => t!(i18n, error.date_future).into_any(),
        Problem::DateBeforeStart => t!(i18n, error.date_before_start).into_any(),
        Problem::DateAfterClose => t!(i18n, error.date_after_close).into_any(),
        Problem::InvalidCategory => t!(i18n, error.invalid_category).into_any(),
        Problem::GoalNotInPeriod => t!(i18n, error.goal_not_in_period).into_any(),
        Problem::DateTooFarAhead => t!(i18n, error.date_too_far_ahead).into_any(),
        Problem::PeriodOverlaps => t!(i18n, error.period_overlaps).into_any(),
        Problem::DateBeforePlan => t!(i18n, error.date_before_plan).into_any(),
        Problem::TooManyGoals { max } => {
            t!(i18n, error.too_many_goals, max = move || max).into_any()
        }
        Problem::ClientViewMissing => t!(i18n, error.client_view_missing).into_any(),
        Problem::PlanWithoutGoals => t!(i18n, error.plan_without_goals).into_any(),
        Problem::InvalidSignatureMethod => t!(i18n, error.invalid_signature_method).into_any(),
        Problem::PeriodEndsBeforeStart => t!(i18n, error.period_ends_before_start).into_any(),
        Problem::FollowUpNotAfterStart => t!(i18n, error.follow_up_not_after_start).into_any(),
        Problem::IdentityFormat => t!(i18n, error.identity_format).into_any(),
        Problem::IdentityDate => t!(i18n, error.identity_date).into_any(),
        Problem::IdentityCheckDigit => t!(i18n, error.identity_check_digit).into_any(),
        Problem::IdentityMissingCheckDigit => {
            t!(i18n, error.identity_missing_check_digit).into_any()
        }
        Problem::IdentityFuture => t!(i18n, error.identity_future).into_any(),
        Problem::IdentityNotVisible => t!(i18n, error.identity_not_visible).into_any(),
        Problem::InvalidService => t!(i18n, error.invalid_service).into_any(),
        Problem::InvalidStaff => t!(i18n, error.invalid_staff).into_any(),
        Problem::InvalidEmail => t!(i18n, error.invalid_email).into_any(),
        Problem::DateInPast => t!(i18n, error.date_in_past).into_any(),
        Problem::NoReviewers => t!(i18n, error.no_reviewers).into_any(),
        Problem::NoFilesInScope => t!(i18n, error.no_files_in_scope).into_any(),
        Problem::RoundExists => t!(i18n, error.round_exists).into_any(),
        Problem::InvalidYear => t!(i18n, error.invalid_year).into_any(),
        Problem::InvalidCount { max } => {
            t!(i18n, error.invalid_count, max = move || max).into_any()
        }
        Problem::Unanswered => t!(i18n, error.unanswered).into_any(),
        Problem::InvalidAnswer => t!(i18n, error.invalid_answer).into_any(),
        Problem::InvalidReviewer => t!(i18n, error.invalid_reviewer).into_any(),
        Problem::ChooseOne => t!(i18n, duties.error_choose_one).into_any(),
        Problem::EntriesAfterEnd => t!(i18n, duties.error_entries_after_end).into_any(),
        Problem::AlreadyBooked => t!(i18n, duties.error_already_booked).into_any(),
        Problem::PseudonymIdentifying => t!(i18n, error.pseudonym_identifying).into_any(),
        Problem::InvalidChoice => t!(i18n, error.invalid_choice).into_any(),
        Problem::MonthInFuture => t!(i18n, monthly.error_month_future).into_any(),
        Problem::MonthOutsideFile => t!(i18n, monthly.error_month_outside).into_any(),
        Problem::MonthDone => t!(i18n, monthly.error_month_done).into_any(),
        Problem::PlaceholderLeft => t!(i18n, monthly.error_placeholder).into_any(),
        Problem::FollowUpBeforeAction => t!(i18n, monthly.error_follow_up_before_action).into_any(),
        Problem::NotAfterDue => t!(i18n, audit.error_not_after_due).into_any(),
        Problem::ExtendTooLong { max_days } => {
            t!(i18n, audit.error_extend_too_long, days = move || max_days).into_any()
        }
        Problem::InvalidNumber { max } => {
            t!(i18n, audit.error_invalid_number, max = move || max).into_any()
        }
        Problem::SecondReviewsTooMany { possible } => t!(
            i18n,
            audit.error_second_too_many,
            possible = move || possible
        )
        .into_any(),
        Problem::SecondReviewsUneven => t!(i18n, audit.error_second_uneven).into_any(),
        Problem::CloseUnconfirmed { left } => t!(
            i18n,
            audit.error_close_unconfirmed,
            count = move || u64::from(left)
        )
        .into_any(),
        Problem::ActionDateMissing => t!(i18n, error.action_date_missing).into_any(),
        Problem::ActionMissing => t!(i18n, error.action_missing).into_any(),
        Problem::TooFewReviewers {
            reviews,
            per_reviewer,
            needed,
            chosen,
        } => t!(
            i18n,
            audit.error_too_few_reviewers,
            reviews = move || reviews,
            per_reviewer = move || per_reviewer,
            needed = move || needed,
            chosen = move || chosen
        )
        .into_any(),
        Problem::ChecklistEmpty => t!(i18n, audit.error_checklist_empty).into_any(),
    }
}

/// Why no audit pairing could be drawn, naming the files and reviewers in the way.
#[component]
pub fn PairingText(problem: crate::error::PairingProblem) -> impl IntoView {
    use crate::error::PairingProblem;
    let i18n = use_i18n();
    match problem {
        PairingProblem::FilesWithoutReviewer { files } => {
            let count = files.len() as u64;
            let list = files.join(", ");
            t!(
                i18n,
                error.files_without_reviewer,
                count = move || count,
                files = move || list.clone()
            )
            .into_any()
        }
        PairingProblem::ReviewersShort { reviewers, needed } => {
            let list = reviewers.join(", ");
            t!(
                i18n,
                error.reviewers_short,
                needed = move || needed,
                reviewers = move || list.clone()
            )
            .into_any()
        }
        PairingProblem::Unbalanced {
            files,
            reviewers,
            max_load,
        } => {
            let count = files.len() as u64;
            let files = files.join(", ");
            let reviewers = reviewers.join(", ");
            t!(
                i18n,
                error.unbalanced,
                count = move || count,
                files = move || files.clone(),
                reviewers = move || reviewers.clone(),
                max_load = move || max_load
            )
            .into_any()
        }
    }
}

/// A box that shows an error (or nothing). `role="alert"` so screen readers hear it.
#[component]
pub fn ErrorBox(
    #[prop(into)] error: Signal<Option<AppError>>,
    /// Prepended to field names to find the fields' element ids (pages with several forms).
    #[prop(optional, into)]
    prefix: String,
    /// Fields that live outside this form (another form on the page): field name and
    /// the element id the summary links to instead.
    #[prop(optional)]
    elsewhere: Vec<(&'static str, String)>,
) -> impl IntoView {
    move || {
        let prefix = prefix.clone();
        let elsewhere = elsewhere.clone();
        error.get().map(|error| {
            let fields = match &error {
                AppError::Invalid(list) => list.clone(),
                _ => Vec::new(),
            };
            view! {
                <div class="error-summary" role="alert">
                    <p><strong><ErrorText error /></strong></p>
                    {(!fields.is_empty()).then(|| view! {
                        <ul>
                            {fields.into_iter().map(|f| {
                                let id = match elsewhere.iter().find(|(name, _)| *name == f.field) {
                                    Some((_, id)) => id.clone(),
                                    None => format!("{prefix}{}", f.field),
                                };
                                // A link alone scrolls to the field; the field should
                                // also take focus, ready for typing.
                                let href = format!("#{id}");
                                view! {
                                    <li><a href=href on:click=move |ev| {
                                        ev.prevent_default();
                                        focus_later(id.clone());
                                    }><ProblemText problem=f.problem /></a></li>
                                }
                            }).collect_view()}
                        </ul>
                    })}
                </div>
            }
        })
    }
}

/// Moves the keyboard focus to the element with this id once the browser has drawn
/// the page anew (an element just shown cannot take the focus before). Focusing
/// scrolls the element into view.
pub fn focus_later(id: String) {
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        let element = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = element {
            let _ = element.focus();
        }
    });
}

/// How many runs of a server action have succeeded. A page keyed on this refetches
/// its data after a save that worked and not after a refusal: a refetch re-renders the
/// page's forms, and a form made anew forgets that it was the one sent, so its
/// message would vanish and the refusal look like a silent save.
pub fn successes<S>(action: ServerAction<S>) -> ReadSignal<u32>
where
    S: server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let (count, set_count) = signal(0u32);
    Effect::new(move |_| {
        if action.value().with(|v| matches!(v, Some(Ok(_)))) {
            set_count.update(|n| *n += 1);
        }
    });
    count
}

/// The last error of a server action, if its last run failed.
pub fn action_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

/// A labelled input whose problem (from the form's last error) is shown beside
/// it and tied to it with `aria-describedby`.
#[component]
pub fn Field(
    /// The form field name; also the element id that the error summary links to.
    name: &'static str,
    #[prop(into)] label: ViewFn,
    #[prop(optional)] help: Option<ViewFn>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    /// The most characters the browser lets one type (the server checks it too).
    #[prop(optional)]
    maxlength: Option<u32>,
    #[prop(into)] error: Signal<Option<AppError>>,
    /// The initial value (edit forms).
    #[prop(optional_no_strip, into)]
    value: Option<String>,
    /// Prepended to the element ids (pages with several forms); the name stays.
    #[prop(optional, into)]
    prefix: String,
) -> impl IntoView {
    let problem = move || error.get().and_then(|e| e.problem_for(name));
    let id = format!("{prefix}{name}");
    let error_id = format!("{id}-error");
    let help_id = format!("{id}-help");
    let described_by = {
        let (error_id, help_id, has_help) = (error_id.clone(), help_id.clone(), help.is_some());
        move || {
            let mut ids = Vec::new();
            if has_help {
                ids.push(help_id.clone());
            }
            if problem().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:has-error=move || problem().is_some()>
            <label for=id.clone()>{label.run()}</label>
            {help.map(|h| view! { <p class="help" id=help_id.clone()>{h.run()}</p> })}
            {move || problem().map(|p| view! {
                <p class="field-error" id=error_id.clone()><ProblemText problem=p /></p>
            })}
            <input
                id=id.clone()
                name=name
                type=kind
                value=value
                autocomplete=autocomplete
                required=required
                maxlength=maxlength
                aria-invalid=move || problem().map(|_| "true")
                aria-describedby=described_by
            />
        </div>
    }
}

/// Shows a resource that returns `Result`: the value through `ok`, an error as a sentence.
pub fn show_result<T, V>(result: Option<Result<T, AppError>>, ok: impl FnOnce(T) -> V) -> AnyView
where
    V: IntoView + 'static,
{
    match result {
        None => ().into_any(),
        Some(Ok(value)) => ok(value).into_any(),
        Some(Err(error)) => {
            view! { <div class="error-summary" role="alert"><p><ErrorText error /></p></div> }
                .into_any()
        }
    }
}

/// A labelled textarea, like [`Field`].
#[component]
pub fn AreaField(
    name: &'static str,
    #[prop(into)] label: ViewFn,
    #[prop(optional)] help: Option<ViewFn>,
    #[prop(optional)] required: bool,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional, into)] value: String,
    #[prop(optional, into)] prefix: String,
    #[prop(default = 4)] rows: u32,
) -> impl IntoView {
    let problem = move || error.get().and_then(|e| e.problem_for(name));
    let id = format!("{prefix}{name}");
    let error_id = format!("{id}-error");
    let help_id = format!("{id}-help");
    let described_by = {
        let (error_id, help_id, has_help) = (error_id.clone(), help_id.clone(), help.is_some());
        move || {
            let mut ids = Vec::new();
            if has_help {
                ids.push(help_id.clone());
            }
            if problem().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:has-error=move || problem().is_some()>
            <label for=id.clone()>{label.run()}</label>
            {help.map(|h| view! { <p class="help" id=help_id.clone()>{h.run()}</p> })}
            {move || problem().map(|p| view! {
                <p class="field-error" id=error_id.clone()><ProblemText problem=p /></p>
            })}
            <textarea
                id=id.clone()
                name=name
                rows=rows
                required=required
                aria-invalid=move || problem().map(|_| "true")
                aria-describedby=described_by
            >{value}</textarea>
        </div>
    }
}
