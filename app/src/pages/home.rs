//! The start page: the user's open files (staff), the unit's (manager), or the
//! way to account administration (admin).

use crate::api::files::open_files;
use crate::app::Auth;
use crate::components::{ErrorText, show_result};
use crate::i18n::*;
use crate::model::{FileRow, Page, SessionUser};
use crate::pages::duties::MyWorkSection;
use akta_domain::Role;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    let auth = expect_context::<Auth>();
    view! {
        <Title text=move || t_string!(i18n, home.title).to_string() />
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || auth.user.get().map(|user| match user {
                Ok(Some(user)) => view! { <Welcome user /> }.into_any(),
                Ok(None) => view! { <p role="alert"><ErrorText error=crate::error::AppError::NotLoggedIn /></p> }.into_any(),
                Err(error) => view! { <p role="alert"><ErrorText error /></p> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn Welcome(user: SessionUser) -> impl IntoView {
    let i18n = use_i18n();
    let name = user.display_name.clone();
    view! {
        <h1>{t!(i18n, home.greeting, name = move || name.clone())}</h1>
        {match user.role {
            Role::Admin => view! {
                <p>{t!(i18n, home.admin_intro)}</p>
                <p><a href="/admin/anvandare">{t!(i18n, home.admin_link)}</a></p>
            }.into_any(),
            role => view! {
                <MyWorkSection manager=role == Role::Manager />
                <OpenFiles manager=role == Role::Manager />
            }.into_any(),
        }}
    }
}

#[component]
fn OpenFiles(manager: bool) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    // Pages are 1-based in the address bar, 0-based on the server.
    let page = move || {
        query
            .read()
            .get("sida")
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(1)
            .max(1)
            - 1
    };
    let files = Resource::new(page, open_files);
    view! {
        <section aria-labelledby="files-heading">
            <h2 id="files-heading">
                {move || if manager { t!(i18n, home.unit_files).into_any() } else { t!(i18n, home.my_files).into_any() }}
            </h2>
            <p class="lead">
                {move || if manager { t!(i18n, home.unit_files_intro).into_any() } else { t!(i18n, home.my_files_intro).into_any() }}
            </p>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || show_result(files.get(), |page| view! { <FileTable page /> })}
            </Transition>
        </section>
    }
}

#[component]
fn FileTable(page: Page<FileRow>) -> impl IntoView {
    let i18n = use_i18n();
    if page.rows.is_empty() {
        return view! { <p>{t!(i18n, home.no_files)}</p> }.into_any();
    }
    let (from, to, total) = (page.first_shown(), page.last_shown(), page.total);
    let prev = page.has_previous().then(|| format!("/?sida={}", page.page));
    let next = page.has_next().then(|| format!("/?sida={}", page.page + 2));
    view! {
        <div class="table-wrap">
            <table>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, home.col_client)}</th>
                        <th scope="col">{t!(i18n, home.col_number)}</th>
                        <th scope="col">{t!(i18n, home.col_service)}</th>
                        <th scope="col">{t!(i18n, home.col_started)}</th>
                        <th scope="col">{t!(i18n, home.col_contact)}</th>
                        <th scope="col">{t!(i18n, home.col_entries)}</th>
                    </tr>
                </thead>
                <tbody>
                    {page.rows.into_iter().map(|row| view! { <FileRowView row /> }).collect_view()}
                </tbody>
            </table>
        </div>
        <nav class="pager" aria-label="Sidor">
            <p>{t!(i18n, home.showing, from = move || from, to = move || to, total = move || total)}</p>
            {prev.map(|href| view! { <a href=href rel="prev">{t!(i18n, home.previous)}</a> })}
            {next.map(|href| view! { <a href=href rel="next">{t!(i18n, home.next)}</a> })}
        </nav>
    }
    .into_any()
}

#[component]
fn FileRowView(row: FileRow) -> impl IntoView {
    let i18n = use_i18n();
    let service = row.service_type.clone();
    view! {
        <tr>
            <td>
                <a href=format!("/akter/{}", row.file_id)>
                    {match row.client_name {
                        Some(name) => view! { {name} }.into_any(),
                        None => view! { <span class="protected">{t!(i18n, home.protected)}</span> }.into_any(),
                    }}
                </a>
            </td>
            <td class="nowrap">{row.identity_number.unwrap_or_else(|| "********-****".to_owned())}</td>
            <td><ServiceName service /></td>
            <td class="nowrap">{row.started_on.to_string()}</td>
            <td>{row.contact_person}</td>
            <td class="nowrap">
                {match row.latest_entry {
                    Some(d) => d.to_string().into_any(),
                    None => t!(i18n, home.none).into_any(),
                }}
            </td>
        </tr>
    }
}

#[component]
pub fn ServiceName(service: String) -> impl IntoView {
    let i18n = use_i18n();
    match service.as_str() {
        "individual_treatment" => t!(i18n, service.individual_treatment).into_any(),
        "group_treatment" => t!(i18n, service.group_treatment).into_any(),
        "motivation_group" => t!(i18n, service.motivation_group).into_any(),
        _ => t!(i18n, service.other).into_any(),
    }
}
