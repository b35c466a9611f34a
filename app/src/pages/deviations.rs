//! The deviation register (`/avvikelser`) with the manager's overview, and one
//! deviation with its closing form (`/avvikelser/:id`).

use crate::api::deviations::{
    CloseClientDeviation, CloseUnitDeviation, get_deviation, list_deviations,
};
use crate::components::{AreaField, ErrorBox, action_error, show_result};
use crate::i18n::*;
use crate::model::deviations::{
    DeviationRegister, DeviationRow, DeviationSummary, DeviationView, StatusFilter,
};
use crate::pages::duties::DutyName;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The register's address for a filter and a (1-based) page.
fn register_href(status: StatusFilter, kind: &str, file: Option<&str>, page: u64) -> String {
    let mut href = format!("/avvikelser?status={}&typ={kind}", status.as_str());
    if let Some(file) = file {
        href.push_str(&format!("&akt={file}"));
    }
    if page > 1 {
        href.push_str(&format!("&sida={page}"));
    }
    href
}

/// `/avvikelser`: the register.
#[component]
pub fn DeviationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let args = move || {
        let q = query.read();
        (
            q.get("status").unwrap_or_default(),
            q.get("typ").unwrap_or_default(),
            q.get("akt").filter(|s| !s.is_empty()),
            // 1-based in the address bar, 0-based on the server.
            q.get("sida")
                .and_then(|s| s.parse::<u64>().ok())
                .unwrap_or(1)
                .max(1)
                - 1,
        )
    };
    let data = Resource::new(args, |(status, kind, file, page)| {
        list_deviations(status, kind, file, page)
    });
    view! {
        <Title text=move || t_string!(i18n, deviations.title).to_string() />
        <h1>{t!(i18n, deviations.title)}</h1>
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || show_result(data.get(), |register| view! { <Register register /> })}
        </Transition>
    }
}

#[component]
fn Register(register: DeviationRegister) -> impl IntoView {
    let i18n = use_i18n();
    let manager = register.summary.is_some();
    view! {
        <p class="lead">
            {if manager { t!(i18n, deviations.intro_manager).into_any() } else { t!(i18n, deviations.intro_staff).into_any() }}
        </p>
        <p class="help">{t!(i18n, deviations.rule)}</p>
        {register.summary.clone().map(|summary| view! { <Overview summary /> })}
        <section aria-labelledby="register-heading">
            <h2 id="register-heading">{t!(i18n, deviations.list_heading)}</h2>
            <Filters register=register.clone() />
            <List register manager />
        </section>
    }
}

#[component]
fn Filters(register: DeviationRegister) -> impl IntoView {
    let i18n = use_i18n();
    let status = register.status;
    let kind = register.kind.clone();
    let unit_selected = kind == "unit";
    let client_selected = kind == "client";
    let both_selected = kind.is_empty();
    let hidden_file = register.file.clone();
    view! {
        <Form method="GET" action="" attr:class="filters" attr:aria-label=move || t_string!(i18n, deviations.filter).to_string()>
            {hidden_file.map(|file| view! { <input type="hidden" name="akt" value=file /> })}
            <div class="field">
                <label for="status">{t!(i18n, deviations.status)}</label>
                <select id="status" name="status">
                    <option value="open" selected=status == StatusFilter::Open>{t!(i18n, deviations.status_open)}</option>
                    <option value="closed" selected=status == StatusFilter::Closed>{t!(i18n, deviations.status_closed)}</option>
                    <option value="all" selected=status == StatusFilter::All>{t!(i18n, deviations.status_all)}</option>
                </select>
            </div>
            <div class="field">
                <label for="typ">{t!(i18n, deviations.kind)}</label>
                <select id="typ" name="typ">
                    <option value="" selected=both_selected>{t!(i18n, deviations.kind_all)}</option>
                    <option value="unit" selected=unit_selected>{t!(i18n, deviations.kind_unit)}</option>
                    <option value="client" selected=client_selected>{t!(i18n, deviations.kind_client)}</option>
                </select>
            </div>
            <button type="submit">{t!(i18n, deviations.apply)}</button>
        </Form>
        {register.file.clone().map(|file| view! {
            <p class="notice">
                {t!(i18n, deviations.one_file)}" "
                <a href=format!("/akter/{file}")>{t!(i18n, deviations.to_file)}</a>
                " · "
                <a href=register_href(status, &kind, None, 1)>{t!(i18n, deviations.all_files)}</a>
            </p>
        })}
    }
}

#[component]
fn List(register: DeviationRegister, manager: bool) -> impl IntoView {
    let i18n = use_i18n();
    let page = register.page;
    if page.rows.is_empty() {
        return view! { <p>{t!(i18n, deviations.none)}</p> }.into_any();
    }
    let (from, to, total) = (page.first_shown(), page.last_shown(), page.total);
    let (status, kind, file) = (
        register.status,
        register.kind.clone(),
        register.file.clone(),
    );
    let prev = page
        .has_previous()
        .then(|| register_href(status, &kind, file.as_deref(), page.page));
    let next = page
        .has_next()
        .then(|| register_href(status, &kind, file.as_deref(), page.page + 2));
    view! {
        <div class="table-wrap">
            <table class="deviations">
                <caption>{t!(i18n, deviations.list_caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, deviations.col_date)}</th>
                        <th scope="col">{t!(i18n, deviations.col_what)}</th>
                        <th scope="col">{t!(i18n, deviations.col_client)}</th>
                        <th scope="col">{t!(i18n, deviations.col_file)}</th>
                        {manager.then(|| view! { <th scope="col">{t!(i18n, deviations.col_contact)}</th> })}
                        <th scope="col">{t!(i18n, deviations.col_status)}</th>
                    </tr>
                </thead>
                <tbody>
                    {page.rows.into_iter().map(|row| view! { <Row row manager /> }).collect_view()}
                </tbody>
            </table>
        </div>
        <nav class="pager" aria-label=move || t_string!(i18n, deviations.pages).to_string()>
            <p>{t!(i18n, deviations.showing, from = move || from, to = move || to, total = move || total)}</p>
            {prev.map(|href| view! { <a href=href>{t!(i18n, deviations.previous)}</a> })}
            {next.map(|href| view! { <a href=href>{t!(i18n, deviations.next)}</a> })}
        </nav>
    }
    .into_any()
}

/// What a deviation is about: the missed duty, or the client's departure from the plan.
#[component]
fn What(kind: String, duty: Option<String>, month: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    match duty {
        Some(duty) if kind == "unit" => view! {
            {t!(i18n, deviations.missed)}" "<DutyName duty month />
        }
        .into_any(),
        _ => t!(i18n, deviations.client_departed).into_any(),
    }
}

#[component]
fn ClientName(name: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    match name {
        Some(name) => name.into_any(),
        None => view! { <span class="protected">{t!(i18n, home.protected)}</span> }.into_any(),
    }
}

#[component]
fn StatusBadge(open: bool) -> impl IntoView {
    let i18n = use_i18n();
    if open {
        view! { <span class="badge late">{t!(i18n, deviations.badge_open)}</span> }.into_any()
    } else {
        view! { <span class="badge ok">{t!(i18n, deviations.badge_closed)}</span> }.into_any()
    }
}

#[component]
fn Row(row: DeviationRow, manager: bool) -> impl IntoView {
    view! {
        <tr>
            <td class="nowrap">{row.due_on.to_string()}</td>
            <td>
                <a href=format!("/avvikelser/{}", row.deviation_id)>
                    <What kind=row.kind.clone() duty=row.duty.clone() month=row.month.clone() />
                </a>
            </td>
            <td><ClientName name=row.client_name.clone() /></td>
            <td><a href=format!("/akter/{}", row.file_id)>{row.file_id.clone()}</a></td>
            {manager.then(|| view! { <td>{row.contact_person.clone()}</td> })}
            <td><StatusBadge open=row.open /></td>
        </tr>
    }
}

/// The manager's overview: open and closed per kind, and deviations per month.
#[component]
fn Overview(summary: DeviationSummary) -> impl IntoView {
    let i18n = use_i18n();
    let most = summary
        .trend
        .iter()
        .map(|m| m.unit + m.client)
        .max()
        .unwrap_or(0)
        .max(1);
    view! {
        <section class="card" aria-labelledby="overview-heading">
            <h2 id="overview-heading">{t!(i18n, deviations.overview)}</h2>
            <table class="counts">
                <caption>{t!(i18n, deviations.counts_caption)}</caption>
                <thead><tr>
                    <th scope="col">{t!(i18n, deviations.kind)}</th>
                    <th scope="col" class="num">{t!(i18n, deviations.status_open)}</th>
                    <th scope="col" class="num">{t!(i18n, deviations.status_closed)}</th>
                </tr></thead>
                <tbody>
                    {summary.counts.into_iter().map(|c| view! {
                        <tr>
                            <th scope="row">
                                {if c.kind == "unit" { t!(i18n, deviations.kind_unit).into_any() } else { t!(i18n, deviations.kind_client).into_any() }}
                            </th>
                            <td class="num">{c.open}</td>
                            <td class="num">{c.closed}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <table class="trend">
                <caption>{t!(i18n, deviations.trend_caption)}</caption>
                <thead><tr>
                    <th scope="col">{t!(i18n, deviations.col_month)}</th>
                    <th scope="col" class="num">{t!(i18n, deviations.kind_unit)}</th>
                    <th scope="col" class="num">{t!(i18n, deviations.kind_client)}</th>
                    <th scope="col">{t!(i18n, deviations.col_chart)}</th>
                </tr></thead>
                <tbody>
                    {summary.trend.into_iter().map(|m| {
                        let unit = m.unit * 100 / most;
                        let client = m.client * 100 / most;
                        view! {
                            <tr>
                                <th scope="row">{m.month}</th>
                                <td class="num">{m.unit}</td>
                                <td class="num">{m.client}</td>
                                <td>
                                    <div class="bar stacked" aria-hidden="true">
                                        <span class="bar-unit" style=format!("width:{unit}%")></span>
                                        <span class="bar-client" style=format!("width:{client}%")></span>
                                    </div>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <p class="help legend">
                <span class="swatch bar-unit" aria-hidden="true"></span>" "{t!(i18n, deviations.kind_unit)}
                " "
                <span class="swatch bar-client" aria-hidden="true"></span>" "{t!(i18n, deviations.kind_client)}
            </p>
        </section>
    }
}

/// Counts an action's successful runs, to reload the page on it (a refused form keeps
/// what the user typed).
fn successes<S>(action: ServerAction<S>) -> RwSignal<u32>
where
    S: server_fn::ServerFn<Error = crate::error::AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let count = RwSignal::new(0);
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            count.update(|n| *n += 1);
        }
    });
    count
}

/// `/avvikelser/:id`: one deviation, and the form that closes it.
#[component]
pub fn DeviationPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let close_unit = ServerAction::<CloseUnitDeviation>::new();
    let close_client = ServerAction::<CloseClientDeviation>::new();
    let (unit_done, client_done) = (successes(close_unit), successes(close_client));
    let data = Resource::new(
        move || (id(), unit_done.get(), client_done.get()),
        |(id, _, _)| get_deviation(id),
    );
    let just_closed = move || unit_done.get() + client_done.get() > 0;
    view! {
        <Title text=move || t_string!(i18n, deviations.one_title).to_string() />
        <p class="back"><a href="/avvikelser">{t!(i18n, deviations.back)}</a></p>
        {move || just_closed().then(|| view! { <p class="notice" role="status">{t!(i18n, deviations.closed_now)}</p> })}
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || show_result(data.get(), move |dv: DeviationView| view! { <Deviation dv close_unit close_client /> })}
        </Transition>
    }
}

#[component]
fn Deviation(
    dv: DeviationView,
    close_unit: ServerAction<CloseUnitDeviation>,
    close_client: ServerAction<CloseClientDeviation>,
) -> impl IntoView {
    let i18n = use_i18n();
    let row = dv.row.clone();
    let unit = row.kind == "unit";
    let raised = row.raised_on.to_string();
    view! {
        <h1>{t!(i18n, deviations.one_title)}" – "<ClientName name=row.client_name.clone() /></h1>
        <dl class="facts">
            <div><dt>{t!(i18n, deviations.kind)}</dt><dd>
                {if unit { t!(i18n, deviations.kind_unit).into_any() } else { t!(i18n, deviations.kind_client).into_any() }}
            </dd></div>
            <div><dt>{t!(i18n, deviations.col_what)}</dt><dd><What kind=row.kind.clone() duty=row.duty.clone() month=row.month.clone() /></dd></div>
            <div><dt>{if unit { t!(i18n, deviations.due_on).into_any() } else { t!(i18n, deviations.happened_on).into_any() }}</dt>
                <dd>{row.due_on.to_string()}</dd></div>
            <div><dt>{t!(i18n, deviations.col_file)}</dt><dd><a href=format!("/akter/{}", row.file_id)>{row.file_id.clone()}</a></dd></div>
            <div><dt>{t!(i18n, deviations.col_contact)}</dt><dd>{row.contact_person.clone()}</dd></div>
            <div><dt>{t!(i18n, deviations.raised_on)}</dt><dd>{raised}</dd></div>
            <div><dt>{t!(i18n, deviations.col_status)}</dt><dd><StatusBadge open=row.open /></dd></div>
        </dl>
        {dv.entry_text.clone().map(|text| view! {
            <h2>{t!(i18n, deviations.entry)}</h2>
            <p class="text">{text}</p>
        })}
        {(dv.file_closed && dv.may_close).then(|| view! { <p class="notice">{t!(i18n, deviations.file_closed)}</p> })}
        {if !row.open {
            view! { <Closed dv=dv.clone() unit /> }.into_any()
        } else if !dv.may_close {
            ().into_any()
        } else if unit {
            view! { <UnitForm deviation=row.deviation_id.clone() action=close_unit /> }.into_any()
        } else {
            view! { <ClientForm deviation=row.deviation_id.clone() action=close_client /> }.into_any()
        }}
    }
}

#[component]
fn Closed(dv: DeviationView, unit: bool) -> impl IntoView {
    let i18n = use_i18n();
    let who = dv.closed_by.clone().unwrap_or_default();
    let when = dv.row.closed_on.map(|d| d.to_string()).unwrap_or_default();
    view! {
        <section aria-labelledby="closed-heading">
            <h2 id="closed-heading">{t!(i18n, deviations.closed_heading)}</h2>
            <dl class="report">
                {if unit {
                    view! {
                        <dt>{t!(i18n, deviations.reason)}</dt><dd class="text">{dv.reason.clone().unwrap_or_default()}</dd>
                        <dt>{t!(i18n, deviations.actions)}</dt><dd class="text">{dv.actions.clone().unwrap_or_default()}</dd>
                    }.into_any()
                } else {
                    view! {
                        <dt>{t!(i18n, deviations.action_taken)}</dt><dd class="text">{dv.action_taken.clone().unwrap_or_default()}</dd>
                    }.into_any()
                }}
            </dl>
            <p class="meta">{t!(i18n, deviations.closed_by, name = move || who.clone(), date = move || when.clone())}</p>
        </section>
    }
}

#[component]
fn UnitForm(deviation: String, action: ServerAction<CloseUnitDeviation>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action);
    view! {
        <section class="card" aria-labelledby="close-heading">
            <h2 id="close-heading">{t!(i18n, deviations.close_heading)}</h2>
            <p class="help">{t!(i18n, deviations.close_unit_help)}</p>
            <ErrorBox error />
            <ActionForm action>
                <input type="hidden" name="deviation" value=deviation />
                <AreaField name="reason" label=move || t!(i18n, deviations.reason)
                    help=ViewFn::from(move || t!(i18n, deviations.reason_help)) required=true error rows=4 />
                <AreaField name="actions" label=move || t!(i18n, deviations.actions)
                    help=ViewFn::from(move || t!(i18n, deviations.actions_help)) required=true error rows=4 />
                <button type="submit" class="primary">{t!(i18n, deviations.close)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn ClientForm(deviation: String, action: ServerAction<CloseClientDeviation>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action);
    view! {
        <section class="card" aria-labelledby="close-heading">
            <h2 id="close-heading">{t!(i18n, deviations.close_heading)}</h2>
            <ErrorBox error />
            <ActionForm action>
                <input type="hidden" name="deviation" value=deviation />
                <AreaField name="action_taken" label=move || t!(i18n, deviations.action_taken)
                    help=ViewFn::from(move || t!(i18n, deviations.action_taken_help)) required=true error rows=4 />
                <button type="submit" class="primary">{t!(i18n, deviations.close)}</button>
            </ActionForm>
        </section>
    }
}
