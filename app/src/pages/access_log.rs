//! The manager's review of the access log: who read or changed what, in whose file;
//! ready-made views for the questions of a systematic review (HSLF-FS 2016:40), and
//! the record that such a review was done.

mod detail;

use crate::api::access_log::{RecordLogReview, SearchLog, log_reviews, log_users, search_log};
use crate::components::{ErrorBox, Field, action_error, show_result, successes};
use crate::error::AppError;
use crate::i18n::*;
use crate::model::log::{LogReviewRow, LogView};
use crate::model::{LogRow, Page};
use detail::{DetailText, ViewName};
use leptos::prelude::*;
use leptos_meta::Title;

const FORM_ID: &str = "log-filter";

#[component]
pub fn AccessLogPage() -> impl IntoView {
    let i18n = use_i18n();
    let search = ServerAction::<SearchLog>::new();
    let users = Resource::new(|| (), |_| log_users());
    // The newest lines until the manager narrows them down.
    let first = Resource::new(
        || (),
        |_| {
            search_log(
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                0,
            )
        },
    );
    let error = action_error(search);
    let result = move || match search.value().get() {
        Some(result) => Some(result),
        None => first.get(),
    };
    view! {
        <Title text=move || t_string!(i18n, log.title).to_string() />
        <h1>{t!(i18n, log.title)}</h1>
        <p class="lead">{t!(i18n, log.intro)}</p>
        <section class="card" aria-labelledby="log-filter-heading">
            <h2 id="log-filter-heading">{t!(i18n, log.filter_title)}</h2>
            <ErrorBox error />
            <ActionForm action=search attr:id=FORM_ID attr:class="filters">
                <div class="field">
                    <label for="view">{t!(i18n, log.view)}</label>
                    <select id="view" name="view" aria-describedby="view-help">
                        {LogView::ALL.into_iter().map(|v| view! {
                            <option value=v.key()><ViewName view=v /></option>
                        }).collect_view()}
                    </select>
                    <p class="help" id="view-help">{t!(i18n, log.office_hours_help)}</p>
                </div>
                <div class="field">
                    <label for="user">{t!(i18n, log.user)}</label>
                    <select id="user" name="user">
                        <option value="">{t!(i18n, log.any_user)}</option>
                        <Transition fallback=|| ()>
                            {move || users.get().and_then(Result::ok).map(|list| {
                                list.into_iter().map(|u| view! {
                                    <option value=u.username>{u.display_name}</option>
                                }).collect_view()
                            })}
                        </Transition>
                    </select>
                </div>
                <Field name="client" label=move || t!(i18n, log.client)
                    help=ViewFn::from(move || t!(i18n, log.client_help)) error autocomplete="off" />
                <Field name="from" kind="date" label=move || t!(i18n, log.from) error />
                <Field name="to" kind="date" label=move || t!(i18n, log.to) error />
                <div class="filter-submit">
                    <button type="submit" class="primary" name="page" value="0">{t!(i18n, log.search)}</button>
                </div>
            </ActionForm>
        </section>
        <section aria-labelledby="log-results-heading">
            <h2 id="log-results-heading">{t!(i18n, log.results)}</h2>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || match result() {
                    // Field problems are shown by the form.
                    Some(Err(AppError::Invalid(_))) => ().into_any(),
                    other => show_result(other, |page| view! { <LogTable page /> }),
                }}
            </Transition>
        </section>
        <SystematicReviews />
    }
}

/// The recorded systematic reviews, and the form that records one.
#[component]
fn SystematicReviews() -> impl IntoView {
    let i18n = use_i18n();
    let record = ServerAction::<RecordLogReview>::new();
    let done = successes(record);
    let list = Resource::new(move || done.get(), |_| log_reviews());
    let error = action_error(record);
    let notice = move || {
        matches!(record.value().get(), Some(Ok(()))).then(|| {
            view! { <p class="notice" role="status">{t!(i18n, log.review_recorded)}</p> }
        })
    };
    view! {
        <section class="card" aria-labelledby="log-reviews-heading">
            <h2 id="log-reviews-heading">{t!(i18n, log.reviews_title)}</h2>
            <p>{t!(i18n, log.reviews_intro)}</p>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || show_result(list.get(), |rows| view! { <ReviewTable rows /> })}
            </Transition>
            <h3>{t!(i18n, log.record_title)}</h3>
            {notice}
            <ErrorBox error />
            <ActionForm action=record>
                <Field name="period_from" kind="date" label=move || t!(i18n, log.period_from) required=true error />
                <Field name="period_to" kind="date" label=move || t!(i18n, log.period_to) required=true error />
                <div class="field" class:has-error=move || error.get().and_then(|e| e.problem_for("remarks")).is_some()>
                    <label for="remarks">{t!(i18n, log.remarks)}</label>
                    <p class="help" id="remarks-help">{t!(i18n, log.remarks_help)}</p>
                    {move || error.get().and_then(|e| e.problem_for("remarks")).map(|p| view! {
                        <p class="field-error" id="remarks-error"><crate::components::ProblemText problem=p /></p>
                    })}
                    <textarea id="remarks" name="remarks" rows="4" aria-describedby="remarks-help"></textarea>
                </div>
                <button type="submit" class="primary">{t!(i18n, log.record)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn ReviewTable(rows: Vec<LogReviewRow>) -> impl IntoView {
    let i18n = use_i18n();
    if rows.is_empty() {
        return view! { <p>{t!(i18n, log.no_reviews)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, log.col_period)}</th>
                        <th scope="col">{t!(i18n, log.col_reviewer)}</th>
                        <th scope="col">{t!(i18n, log.col_recorded)}</th>
                        <th scope="col">{t!(i18n, log.remarks)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            <td class="nowrap">{r.from.to_string()}" – "{r.to.to_string()}</td>
                            <td>{r.reviewer}</td>
                            <td class="nowrap">{r.recorded_on.to_string()}" "{r.recorded_time}</td>
                            <td class="detail">{r.remarks}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn LogTable(page: Page<LogRow>) -> impl IntoView {
    let i18n = use_i18n();
    if page.rows.is_empty() {
        return view! { <p>{t!(i18n, log.no_rows)}</p> }.into_any();
    }
    let (from, to, total) = (page.first_shown(), page.last_shown(), page.total);
    let prev = page.has_previous().then(|| page.page - 1);
    let next = page.has_next().then(|| page.page + 1);
    view! {
        <div class="table-wrap">
            <table class="log">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, log.col_time)}</th>
                        <th scope="col">{t!(i18n, log.col_user)}</th>
                        <th scope="col">{t!(i18n, log.col_action)}</th>
                        <th scope="col">{t!(i18n, log.col_client)}</th>
                        <th scope="col">{t!(i18n, log.col_detail)}</th>
                        <th scope="col">{t!(i18n, log.col_origin)}</th>
                    </tr>
                </thead>
                <tbody>
                    {page.rows.into_iter().map(|row| view! { <LogRowView row /> }).collect_view()}
                </tbody>
            </table>
        </div>
        <nav class="pager" aria-label=move || t_string!(i18n, log.pages).to_string()>
            <p>{t!(i18n, log.showing, from = move || from, to = move || to, total = move || total)}</p>
            {prev.map(|p| view! {
                <button type="submit" form=FORM_ID name="page" value=p.to_string()>{t!(i18n, log.previous)}</button>
            })}
            {next.map(|p| view! {
                <button type="submit" form=FORM_ID name="page" value=p.to_string()>{t!(i18n, log.next)}</button>
            })}
        </nav>
    }
    .into_any()
}

#[component]
fn LogRowView(row: LogRow) -> impl IntoView {
    let i18n = use_i18n();
    let client = match (row.client_name, row.protected_identity) {
        (_, true) => view! { <span class="protected">{t!(i18n, log.protected)}</span> }.into_any(),
        (Some(name), false) => name.into_any(),
        (None, false) => t!(i18n, log.no_client).into_any(),
    };
    let client = match row.file_id {
        Some(id) => view! { <a href=format!("/akter/{id}")>{client}</a> }.into_any(),
        None => client,
    };
    let user = if row.user.is_empty() {
        t!(i18n, log.unknown_user).into_any()
    } else {
        row.user.into_any()
    };
    let account = row.account.map(|name| {
        view! { <span class="account">{t!(i18n, log.account, name = move || name.clone())}</span> }
    });
    let origin = match (row.address, row.session) {
        (None, None) => t!(i18n, log.no_client).into_any(),
        (address, session) => view! {
            {address.map(|a| view! { <span class="address">{a}</span> })}
            {session.map(|s| view! { " " <span class="session" title=move || t_string!(i18n, log.session_help).to_string()>{t!(i18n, log.session, hash = move || s.clone())}</span> })}
        }
        .into_any(),
    };
    view! {
        <tr>
            <td class="nowrap">{row.date.to_string()}" "{row.time}</td>
            <td>{user}</td>
            <td><ActionName action=row.action /></td>
            <td>{client}</td>
            <td class="detail">{account}" "{row.detail.map(|detail| view! { <DetailText detail /> })}</td>
            <td class="origin">{origin}</td>
        </tr>
    }
}

/// A log action as a sentence; an action this version does not know, as it is stored.
#[component]
pub fn ActionName(action: String) -> impl IntoView {
    let i18n = use_i18n();
    match action.as_str() {
        "list_files" => t!(i18n, log_action.list_files).into_any(),
        "read_journal" => t!(i18n, log_action.read_journal).into_any(),
        "sign_entry" => t!(i18n, log_action.sign_entry).into_any(),
        "correct_entry" => t!(i18n, log_action.correct_entry).into_any(),
        "discard_draft" => t!(i18n, log_action.discard_draft).into_any(),
        "read_plan" => t!(i18n, log_action.read_plan).into_any(),
        "change_plan" => t!(i18n, log_action.change_plan).into_any(),
        "change_intake" => t!(i18n, log_action.change_intake).into_any(),
        "login" => t!(i18n, log_action.login).into_any(),
        "change_password" => t!(i18n, log_action.change_password).into_any(),
        "refused" => t!(i18n, log_action.refused).into_any(),
        "review_access_log" => t!(i18n, log_action.review_access_log).into_any(),
        "open_file" => t!(i18n, log_action.open_file).into_any(),
        "read_team" => t!(i18n, log_action.read_team).into_any(),
        "read_follow_ups" => t!(i18n, log_action.read_follow_ups).into_any(),
        "change_follow_up" => t!(i18n, log_action.change_follow_up).into_any(),
        "read_final_report" => t!(i18n, log_action.read_final_report).into_any(),
        "close_file" => t!(i18n, log_action.close_file).into_any(),
        "change_team" => t!(i18n, log_action.change_team).into_any(),
        "read_audit" => t!(i18n, log_action.read_audit).into_any(),
        "read_audit_results" => t!(i18n, audit.log_read_results).into_any(),
        "manage_audit" => t!(i18n, log_action.manage_audit).into_any(),
        "swap_reviewer" => t!(i18n, log_action.swap_reviewer).into_any(),
        "submit_review" => t!(i18n, log_action.submit_review).into_any(),
        "reopen_review" => t!(i18n, log_action.reopen_review).into_any(),
        "extend_review" => t!(i18n, log_action.extend_review).into_any(),
        "respond_finding" => t!(i18n, log_action.respond_finding).into_any(),
        "remind_reviewer" => t!(i18n, log_action.remind_reviewer).into_any(),
        "create_intake" => t!(i18n, log_action.create_intake).into_any(),
        "list_intakes" => t!(i18n, log_action.list_intakes).into_any(),
        "read_intake" => t!(i18n, log_action.read_intake).into_any(),
        "change_intake_notes" => t!(i18n, log_action.change_intake_notes).into_any(),
        "close_intake" => t!(i18n, log_action.close_intake).into_any(),
        "read_deviation" => t!(i18n, deviations.log_read).into_any(),
        "close_deviation" => t!(i18n, deviations.log_close).into_any(),
        "change_settings" => t!(i18n, log_action.change_settings).into_any(),
        "read_monthly_review" => t!(i18n, monthly.log_read_review).into_any(),
        "sign_monthly_review" => t!(i18n, monthly.log_sign_review).into_any(),
        "read_monthly_report" => t!(i18n, monthly.log_read_report).into_any(),
        "sign_monthly_report" => t!(i18n, monthly.log_sign_report).into_any(),
        "login_failed" => t!(i18n, log_action.login_failed).into_any(),
        "login_throttled" => t!(i18n, log_action.login_throttled).into_any(),
        "logout" => t!(i18n, log_action.logout).into_any(),
        "create_user" => t!(i18n, log_action.create_user).into_any(),
        "change_role" => t!(i18n, log_action.change_role).into_any(),
        "reset_password" => t!(i18n, log_action.reset_password).into_any(),
        "enrol_second_factor" => t!(i18n, log_action.enrol_second_factor).into_any(),
        "reset_second_factor" => t!(i18n, log_action.reset_second_factor).into_any(),
        "deactivate_user" => t!(i18n, log_action.deactivate_user).into_any(),
        "activate_user" => t!(i18n, log_action.activate_user).into_any(),
        "record_log_review" => t!(i18n, log_action.record_log_review).into_any(),
        _ => view! { <code>{action}</code> }.into_any(),
    }
}
