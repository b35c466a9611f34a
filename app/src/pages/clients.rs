//! The client register: search among the clients the user may see, and the form
//! that registers a client with the assignment that opens a file.

use crate::api::clients::{OpenFile, SearchClients, search_clients, staff_options};
use crate::app::Auth;
use crate::components::{ErrorBox, Field, ProblemText, action_error, show_result};
use crate::error::AppError;
use crate::i18n::*;
use crate::model::{ClientHit, Page};
use crate::pages::home::ServiceName;
use akta_domain::Role;
use akta_domain::deadlines::ServiceType;
use leptos::prelude::*;
use leptos_meta::Title;

const FORM_ID: &str = "client-search";

#[component]
pub fn ClientsPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = expect_context::<Auth>();
    let manager = move || {
        auth.user
            .get()
            .and_then(Result::ok)
            .flatten()
            .map(|u| u.role)
            == Some(Role::Manager)
    };
    let search = ServerAction::<SearchClients>::new();
    // Every visible file until the user searches.
    let first = Resource::new(|| (), |_| search_clients(String::new(), 0));
    let error = action_error(search);
    let result = move || match search.value().get() {
        Some(result) => Some(result),
        None => first.get(),
    };
    view! {
        <Title text=move || t_string!(i18n, clients.title).to_string() />
        <div class="title-row">
            <h1>{t!(i18n, clients.title)}</h1>
            <a class="button primary" href="/klienter/ny">{t!(i18n, clients.new_file)}</a>
        </div>
        <Transition fallback=|| ()>
            <p class="lead">
                {move || if manager() { t!(i18n, clients.intro_manager).into_any() } else { t!(i18n, clients.intro_staff).into_any() }}
            </p>
        </Transition>
        <ErrorBox error />
        <ActionForm action=search attr:id=FORM_ID attr:class="search" attr:role="search">
            <Field name="q" kind="search" label=move || t!(i18n, clients.search_label) error autocomplete="off" />
            <button type="submit" class="primary" name="page" value="0">{t!(i18n, clients.search)}</button>
        </ActionForm>
        <section aria-labelledby="hits-heading">
            <h2 id="hits-heading">{t!(i18n, clients.results)}</h2>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || match result() {
                    Some(Err(AppError::Invalid(_))) => ().into_any(),
                    other => show_result(other, |page| view! { <HitTable page /> }),
                }}
            </Transition>
        </section>
    }
}

#[component]
fn HitTable(page: Page<ClientHit>) -> impl IntoView {
    let i18n = use_i18n();
    if page.rows.is_empty() {
        return view! { <p>{t!(i18n, clients.no_hits)}</p> }.into_any();
    }
    let (from, to, total) = (page.first_shown(), page.last_shown(), page.total);
    let prev = page.has_previous().then(|| page.page - 1);
    let next = page.has_next().then(|| page.page + 1);
    view! {
        <div class="table-wrap">
            <table>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, clients.col_client)}</th>
                        <th scope="col">{t!(i18n, clients.col_number)}</th>
                        <th scope="col">{t!(i18n, clients.col_service)}</th>
                        <th scope="col">{t!(i18n, clients.col_started)}</th>
                        <th scope="col">{t!(i18n, clients.col_status)}</th>
                        <th scope="col">{t!(i18n, clients.col_contact)}</th>
                    </tr>
                </thead>
                <tbody>
                    {page.rows.into_iter().map(|hit| view! { <HitRow hit /> }).collect_view()}
                </tbody>
            </table>
        </div>
        <nav class="pager" aria-label=move || t_string!(i18n, clients.pages).to_string()>
            <p>{t!(i18n, clients.showing, from = move || from, to = move || to, total = move || total)}</p>
            {prev.map(|p| view! {
                <button type="submit" form=FORM_ID name="page" value=p.to_string()>{t!(i18n, clients.previous)}</button>
            })}
            {next.map(|p| view! {
                <button type="submit" form=FORM_ID name="page" value=p.to_string()>{t!(i18n, clients.next)}</button>
            })}
        </nav>
    }
    .into_any()
}

#[component]
fn HitRow(hit: ClientHit) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/akter/{}", hit.file_id);
    let name = match hit.client_name {
        Some(name) => view! { <a href=href>{name}</a> }.into_any(),
        None => {
            view! { <a href=href class="protected">{t!(i18n, clients.protected)}</a> }.into_any()
        }
    };
    let status = match hit.closed_on {
        Some(date) => {
            let date = date.to_string();
            t!(i18n, clients.closed, date = move || date.clone()).into_any()
        }
        None => t!(i18n, clients.open).into_any(),
    };
    view! {
        <tr>
            <td>{name}</td>
            <td class="nowrap">{hit.identity_number.unwrap_or_else(|| "********-****".to_owned())}</td>
            <td><ServiceName service=hit.service_type /></td>
            <td class="nowrap">{hit.started_on.to_string()}</td>
            <td>{status}</td>
            <td>{hit.contact_person}</td>
        </tr>
    }
}

/// "Ny klient och akt": the client, the assignment with the aid decision, the team.
#[component]
pub fn NewFilePage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = expect_context::<Auth>();
    let open = ServerAction::<OpenFile>::new();
    let staff = Resource::new(|| (), |_| staff_options());
    let error = action_error(open);
    let me = move || {
        auth.user
            .get()
            .and_then(Result::ok)
            .flatten()
            .map(|u| u.username)
    };
    let problem = move |field: &'static str| move || error.get().and_then(|e| e.problem_for(field));
    // The birth date the number is read as, shown before saving (the server reads it
    // again with its own date; in the browser, the browser's date decides the century).
    let (typed, set_typed) = signal(String::new());
    let reading = move || {
        let today = browser_today()?;
        akta_domain::IdentityNumber::parse(&typed.get(), today)
            .ok()
            .map(|id| id.birth_date().format("%Y-%m-%d").to_string())
    };
    view! {
        <Title text=move || t_string!(i18n, new_file.title).to_string() />
        <h1>{t!(i18n, new_file.title)}</h1>
        <p class="lead">{t!(i18n, new_file.intro)}</p>
        <ErrorBox error />
        <ActionForm action=open attr:class="new-file">
            <fieldset class="card">
                <legend>{t!(i18n, new_file.client_heading)}</legend>
                <div class="two">
                    <Field name="first_name" label=move || t!(i18n, new_file.first_name) required=true error autocomplete="off" />
                    <Field name="last_name" label=move || t!(i18n, new_file.last_name) required=true error autocomplete="off" />
                </div>
                <div class="identity" on:input=move |ev| set_typed.set(event_target_value(&ev))>
                    <Field name="identity_number" label=move || t!(i18n, new_file.identity)
                        help=ViewFn::from(move || t!(i18n, new_file.identity_help)) required=true error autocomplete="off" />
                    <p class="help identity-reading" aria-live="polite">
                        {move || reading().map(|date| t!(i18n, new_file.identity_reads, date = move || date.clone()))}
                    </p>
                </div>
                <div class="field checkbox">
                    <input type="checkbox" id="protected_identity" name="protected_identity" value="on"
                        aria-describedby="protected_identity-help" />
                    <label for="protected_identity">{t!(i18n, new_file.protected)}</label>
                    <p class="help" id="protected_identity-help">{t!(i18n, new_file.protected_help)}</p>
                </div>
                <div class="two">
                    <Field name="phone" kind="tel" label=move || t!(i18n, new_file.phone) error autocomplete="off" />
                    <Field name="email" kind="email" label=move || t!(i18n, new_file.email) error autocomplete="off" />
                </div>
                <Field name="address" label=move || t!(i18n, new_file.address) error autocomplete="off" />
            </fieldset>
            <fieldset class="card">
                <legend>{t!(i18n, new_file.assignment_heading)}</legend>
                <div class="two">
                    <Field name="received_on" kind="date" label=move || t!(i18n, new_file.received) required=true error />
                    <Field name="decision_date" kind="date" label=move || t!(i18n, new_file.decision) required=true error />
                </div>
                <div class="two">
                    <Field name="secretary_name" label=move || t!(i18n, new_file.secretary_name) required=true error autocomplete="off" />
                    <Field name="secretary_unit" label=move || t!(i18n, new_file.secretary_unit) required=true error autocomplete="off" />
                </div>
                <div class="two">
                    <Field name="secretary_phone" kind="tel" label=move || t!(i18n, new_file.secretary_phone) error autocomplete="off" />
                    <Field name="secretary_email" kind="email" label=move || t!(i18n, new_file.secretary_email) error autocomplete="off" />
                </div>
                <div class="field" class:has-error=move || problem("service_type")().is_some()>
                    <label for="service_type">{t!(i18n, new_file.service)}</label>
                    {move || problem("service_type")().map(|p| view! {
                        <p class="field-error" id="service_type-error"><ProblemText problem=p /></p>
                    })}
                    <select id="service_type" name="service_type" required
                        aria-describedby=move || problem("service_type")().map(|_| "service_type-error")>
                        <option value="">{t!(i18n, new_file.choose)}</option>
                        {ServiceType::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str()><ServiceName service=s.as_str().to_owned() /></option>
                        }).collect_view()}
                    </select>
                </div>
                <Field name="service_granted" label=move || t!(i18n, new_file.service_granted)
                    help=ViewFn::from(move || t!(i18n, new_file.service_granted_help)) required=true error autocomplete="off" />
                <div class="two">
                    <Field name="period_from" kind="date" label=move || t!(i18n, new_file.period_from) required=true error />
                    <Field name="period_to" kind="date" label=move || t!(i18n, new_file.period_to) error />
                </div>
                <Field name="first_follow_up" kind="date" label=move || t!(i18n, new_file.first_follow_up)
                    help=ViewFn::from(move || t!(i18n, new_file.first_follow_up_help)) error />
            </fieldset>
            <fieldset class="card">
                <legend>{t!(i18n, new_file.team_heading)}</legend>
                <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                    {move || show_result(staff.get(), move |list| {
                        let me = me();
                        let boxes = list.clone();
                        view! {
                            <div class="field" class:has-error=move || problem("contact_person")().is_some()>
                                <label for="contact_person">{t!(i18n, new_file.contact_person)}</label>
                                {move || problem("contact_person")().map(|p| view! {
                                    <p class="field-error" id="contact_person-error"><ProblemText problem=p /></p>
                                })}
                                <select id="contact_person" name="contact_person" required
                                    aria-describedby=move || problem("contact_person")().map(|_| "contact_person-error")>
                                    <option value="">{t!(i18n, new_file.choose)}</option>
                                    {list.into_iter().map(|u| {
                                        let selected = me.as_deref() == Some(u.username.as_str());
                                        view! { <option value=u.username selected=selected>{u.display_name}</option> }
                                    }).collect_view()}
                                </select>
                            </div>
                            <fieldset class="field co-workers" id="co_workers" class:has-error=move || problem("co_workers")().is_some()
                                aria-describedby=move || problem("co_workers")().map(|_| "co_workers-error")>
                                <legend>{t!(i18n, new_file.co_workers)}</legend>
                                {move || problem("co_workers")().map(|p| view! {
                                    <p class="field-error" id="co_workers-error"><ProblemText problem=p /></p>
                                })}
                                <div class="checkbox-grid">
                                    {boxes.into_iter().enumerate().map(|(i, u)| {
                                        let id = format!("co_worker-{}", u.username);
                                        view! {
                                            <div class="checkbox">
                                                <input type="checkbox" id=id.clone() name=format!("co_workers[{i}]") value=u.username />
                                                <label for=id>{u.display_name}</label>
                                            </div>
                                        }
                                    }).collect_view()}
                                </div>
                            </fieldset>
                        }
                    })}
                </Transition>
            </fieldset>
            <button type="submit" class="primary" disabled=move || open.pending().get()>
                {t!(i18n, new_file.submit)}
            </button>
        </ActionForm>
    }
}

/// Today in the browser's time zone; `None` on the server, where the form is only
/// rendered, never typed into.
fn browser_today() -> Option<chrono::NaiveDate> {
    #[cfg(target_arch = "wasm32")]
    {
        let now = js_sys::Date::new_0();
        let year = i32::try_from(now.get_full_year()).ok()?;
        chrono::NaiveDate::from_ymd_opt(year, now.get_month() + 1, now.get_date())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        None
    }
}
