//! The administrator's culling page (/admin/gallring): files due within 90 days and the
//! cull log. Public file ids and dates only.

use crate::api::culling::culling_overview;
use crate::components::show_result;
use crate::i18n::*;
use crate::model::{CullRunRow, CullingView};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn CullingPage() -> impl IntoView {
    let i18n = use_i18n();
    let overview = Resource::new(|| (), |_| culling_overview());
    view! {
        <Title text=move || t_string!(i18n, culling.title).to_string() />
        <h1>{t!(i18n, culling.title)}</h1>
        <p class="lead">{t!(i18n, culling.intro)}</p>
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || show_result(overview.get(), |o| view! { <Overview o /> })}
        </Transition>
    }
}

#[component]
fn Overview(o: CullingView) -> impl IntoView {
    let i18n = use_i18n();
    let count = o.due.len();
    let overdue = o.overdue;
    let horizon = o.horizon.to_string();
    let due = if o.due.is_empty() {
        view! { <p>{t!(i18n, culling.none_due)}</p> }.into_any()
    } else {
        view! {
            <p>{t!(i18n, culling.due_summary, count = move || count as u64, horizon = move || horizon.clone())}</p>
            {(overdue > 0).then(|| view! {
                <p class="notice" role="status">{t!(i18n, culling.overdue, count = move || overdue)}</p>
            })}
            <div class="table-wrap">
                <table>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, culling.col_file)}</th>
                            <th scope="col">{t!(i18n, culling.col_closed)}</th>
                            <th scope="col">{t!(i18n, culling.col_due)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {o.due.into_iter().map(|d| view! {
                            <tr>
                                <td><code>{d.file}</code></td>
                                <td class="nowrap">{d.closed_on.to_string()}</td>
                                <td class="nowrap">{d.due_on.to_string()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let runs = if o.runs.is_empty() {
        view! { <p>{t!(i18n, culling.no_runs)}</p> }.into_any()
    } else {
        view! {
            <div class="table-wrap">
                <table>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, culling.col_run)}</th>
                            <th scope="col">{t!(i18n, culling.col_kind)}</th>
                            <th scope="col">{t!(i18n, culling.col_files)}</th>
                            <th scope="col">{t!(i18n, culling.col_clients)}</th>
                            <th scope="col">{t!(i18n, culling.col_entries)}</th>
                            <th scope="col">{t!(i18n, culling.col_log_lines)}</th>
                            <th scope="col">{t!(i18n, culling.col_closed_range)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {o.runs.into_iter().map(|r| view! { <RunRow r /> }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="due-heading">
            <h2 id="due-heading">{t!(i18n, culling.due_title)}</h2>
            {due}
        </section>
        <section aria-labelledby="runs-heading">
            <h2 id="runs-heading">{t!(i18n, culling.runs_title)}</h2>
            <p>{t!(i18n, culling.runs_intro)}</p>
            {runs}
        </section>
    }
}

#[component]
fn RunRow(r: CullRunRow) -> impl IntoView {
    let i18n = use_i18n();
    let kind = if r.daily {
        t!(i18n, culling.kind_daily).into_any()
    } else {
        t!(i18n, culling.kind_manual).into_any()
    };
    let range = match (r.earliest_closed_on, r.latest_closed_on) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a} – {b}"),
        _ => "–".to_owned(),
    };
    view! {
        <tr>
            <td class="nowrap">
                {r.run_on.to_string()}" "{r.started}
                {(!r.finished).then(|| view! { " " <span class="tag">{t!(i18n, culling.unfinished)}</span> })}
            </td>
            <td>{kind}</td>
            <td>{r.files}</td>
            <td>{r.clients}</td>
            <td>{r.entries}</td>
            <td>{r.log_lines}</td>
            <td class="nowrap">{range}</td>
        </tr>
    }
}
