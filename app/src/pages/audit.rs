//! The yearly peer file audit (aktgranskning): the start page with the user's own
//! reviews and (for the manager) the rounds and the form to open one; a round's
//! pairing, completion and results; the reviewer's workspace for one file.

use crate::api::audit::{
    AddChecklistItem, ExtendReview, OpenRound, RedrawRound, RemindReviewer, RemoveChecklistItem,
    ReopenReview, SaveAnswer, SaveChecklistItem, SaveJudgement, SetAuditSettings, SetRoundStatus,
    SubmitReview, SwapReviewer, get_audit_overview, get_file_audit, get_round, get_workspace,
};
use crate::components::{ErrorBox, Field, ProblemText, action_error, show_result};
use crate::error::{AppError, Problem};
use crate::i18n::*;
use crate::model::audit::{
    AgreementRow, AssignmentRow, AuditOverview, AuditPeriod, AuditWorkspace, ChecklistItemView,
    DoubleReview, FileAuditRow, ItemResult, ResultGroup, ReviewResult, RoundView, YearOverYear,
    answer_field, data_url, parse_answer_field,
};
use crate::pages::file::CategoryName;
use crate::pages::home::ServiceName;
use akta_domain::checklist::{Answer, Judgement};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
fn RoundStatus(status: String) -> impl IntoView {
    let i18n = use_i18n();
    match status.as_str() {
        "draft" => t!(i18n, audit.status_draft).into_any(),
        "published" => t!(i18n, audit.status_published).into_any(),
        _ => t!(i18n, audit.status_closed).into_any(),
    }
}

/// `/granskning`: my reviews; for the manager also the rounds and a new round.
#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let open = ServerAction::<OpenRound>::new();
    let overview = Resource::new(|| (), |_| get_audit_overview());
    // Opening the reviews opens their reminders: the frame stops showing them.
    let auth = expect_context::<crate::app::Auth>();
    Effect::new(move |_| {
        let opened = matches!(overview.get(), Some(Ok(_)));
        let shown = auth
            .user
            .with_untracked(|u| matches!(u, Some(Ok(Some(me))) if !me.reminders.is_empty()));
        if opened && shown {
            auth.user.refetch();
        }
    });
    view! {
        <Title text=move || t_string!(i18n, audit.title).to_string() />
        <h1>{t!(i18n, audit.title)}</h1>
        <p class="lead">{t!(i18n, audit.intro)}</p>
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || show_result(overview.get(), move |o| view! { <Overview o open /> })}
        </Transition>
    }
}

#[component]
fn Overview(o: AuditOverview, open: ServerAction<OpenRound>) -> impl IntoView {
    let i18n = use_i18n();
    let is_manager = o.is_manager;
    let mine = o.mine.clone();
    view! {
        <section class="card" aria-labelledby="mine-heading">
            <h2 id="mine-heading">{t!(i18n, audit.mine)}</h2>
            {if mine.is_empty() {
                view! { <p>{t!(i18n, audit.mine_none)}</p> }.into_any()
            } else {
                view! { <MyReviewsTable rows=mine today=o.today /> }.into_any()
            }}
        </section>
        {(!is_manager || !o.my_files.is_empty()).then(|| view! { <MyFiles rows=o.my_files.clone() /> })}
        {is_manager.then(|| view! { <ManagerRounds o=o.clone() open /> })}
        {is_manager.then(|| view! { <YearOverYearTable data=o.year_over_year.clone() /> })}
        {is_manager.then(|| view! { <Settings show=o.show_reviewer_names /> })}
    }
}

/// "Granskning av mina akter": submitted reviews of files where the user is contact person.
#[component]
fn MyFiles(rows: Vec<FileAuditRow>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="my-files-heading">
            <h2 id="my-files-heading">{t!(i18n, audit.my_files)}</h2>
            <p>{t!(i18n, audit.my_files_intro)}</p>
            {if rows.is_empty() {
                view! { <p>{t!(i18n, audit.my_files_none)}</p> }.into_any()
            } else {
                view! {
                    <table>
                        <thead><tr>
                            <th scope="col">{t!(i18n, audit.col_client)}</th>
                            <th scope="col">{t!(i18n, audit.col_year)}</th>
                            <th scope="col">{t!(i18n, audit.col_submitted_on)}</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|r| {
                                let name = match r.client_name {
                                    Some(n) => n.into_any(),
                                    None => t!(i18n, clients.protected).into_any(),
                                };
                                view! {
                                    <tr>
                                        <td><a href=format!("/akter/{}/granskning", r.file_id)>{name}</a></td>
                                        <td>{r.year}</td>
                                        <td class="nowrap">{r.submitted_on.to_string()}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

/// The unit's setting for what contact persons see.
#[component]
fn Settings(show: bool) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SetAuditSettings>::new();
    let error = action_error(save);
    view! {
        <section class="card" aria-labelledby="settings-heading">
            <h2 id="settings-heading">{t!(i18n, audit.settings)}</h2>
            <ErrorBox error />
            <ActionForm action=save>
                <div class="checkbox">
                    <input type="checkbox" id="show" name="show" value="on" checked=show />
                    <label for="show">{t!(i18n, audit.show_reviewer_names)}</label>
                </div>
                <p class="help">{t!(i18n, audit.show_reviewer_names_help)}</p>
                <button type="submit" disabled=move || save.pending().get()>{t!(i18n, audit.settings_save)}</button>
                {move || save.value().get().and_then(Result::ok).map(|_| view! {
                    <span role="status">" "{t!(i18n, audit.settings_saved)}</span>
                })}
            </ActionForm>
        </section>
    }
}

/// Per checklist item, each year's share of "yes" side by side.
#[component]
fn YearOverYearTable(data: YearOverYear) -> impl IntoView {
    let i18n = use_i18n();
    let years = data.years.clone();
    view! {
        <section class="card" aria-labelledby="years-heading">
            <h2 id="years-heading">{t!(i18n, audit.years)}</h2>
            <p>{t!(i18n, audit.years_intro)}</p>
            {if years.is_empty() {
                view! { <p>{t!(i18n, audit.years_none)}</p> }.into_any()
            } else {
                view! {
                    <table class="results">
                        <thead><tr>
                            <th scope="col">{t!(i18n, audit.col_item)}</th>
                            {years.iter().map(|y| view! { <th scope="col">{*y}</th> }).collect_view()}
                        </tr></thead>
                        <tbody>
                            {data.rows.into_iter().map(|row| {
                                let text = if row.key == "overall" {
                                    t!(i18n, audit.overall).into_any()
                                } else {
                                    row.text.clone().into_any()
                                };
                                view! {
                                    <tr>
                                        <th scope="row">{text}</th>
                                        {row.cells.into_iter().map(|cell| match cell {
                                            Some(item) if item.answered() > 0 => {
                                                let pct = item.percent(item.yes).unwrap_or(0);
                                                let n = item.answered();
                                                view! { <td>{t!(i18n, audit.year_cell, pct = move || pct, n = move || n)}</td> }.into_any()
                                            }
                                            Some(_) => view! { <td>"–"</td> }.into_any(),
                                            None => view! { <td>{t!(i18n, audit.year_no_item)}</td> }.into_any(),
                                        }).collect_view()}
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

/// The user's own reviews: client (a link while the file may be read), year, last
/// day and state. On the audit page and in "my work".
#[component]
pub fn MyReviewsTable(
    rows: Vec<crate::model::audit::MyReview>,
    today: chrono::NaiveDate,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table>
            <thead><tr>
                <th scope="col">{t!(i18n, audit.col_client)}</th>
                <th scope="col">{t!(i18n, audit.col_year)}</th>
                <th scope="col">{t!(i18n, audit.col_due)}</th>
                <th scope="col">{t!(i18n, audit.col_status)}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|r| {
                    let href = format!("/granskning/{}/{}", r.round_id, r.assignment_id);
                    let name = match r.client_name {
                        Some(n) => n.into_any(),
                        None => t!(i18n, clients.protected).into_any(),
                    };
                    let overdue = !r.submitted && r.due_on < today;
                    // After the last day the file can no longer be read: no
                    // link that would only be refused (issue 14, item 9).
                    let time_over = r.due_on < today;
                    let due = r.due_on.to_string();
                    view! {
                        <tr>
                            <td>{if time_over {
                                name.into_any()
                            } else {
                                view! { <a href=href>{name}</a> }.into_any()
                            }}</td>
                            <td>{r.year}</td>
                            <td class="nowrap">{r.due_on.to_string()}</td>
                            <td>
                                <ReviewState started=r.started submitted=r.submitted overdue />
                                {overdue.then(|| view! {
                                    <br /><small>{t!(i18n, audit.my_time_over, until = move || due.clone())}</small>
                                })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// A plan period by its number, or "the year without a plan" (number 0: a file with
/// no plan period in the round's year).
#[component]
fn PeriodName(n: u32) -> impl IntoView {
    let i18n = use_i18n();
    if n == 0 {
        t!(i18n, audit.year_without_plan).into_any()
    } else {
        t!(i18n, plan.period, n = move || n).into_any()
    }
}

#[component]
fn ReviewState(started: bool, submitted: bool, overdue: bool) -> impl IntoView {
    let i18n = use_i18n();
    if submitted {
        view! { <span class="badge ok">{t!(i18n, audit.state_submitted)}</span> }.into_any()
    } else if overdue {
        view! { <span class="badge warn">{t!(i18n, audit.state_overdue)}</span> }.into_any()
    } else if started {
        t!(i18n, audit.state_started).into_any()
    } else {
        t!(i18n, audit.state_not_started).into_any()
    }
}

#[component]
fn ManagerRounds(o: AuditOverview, open: ServerAction<OpenRound>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(open);
    let problem = move |field: &'static str| move || error.get().and_then(|e| e.problem_for(field));
    let pairing_error = move || {
        error.get().and_then(|e| match e {
            crate::error::AppError::Pairing(p) => Some(p),
            _ => None,
        })
    };
    let year = o.today.format("%Y").to_string();
    let rounds = o.rounds.clone();
    let (scope, set_scope) = signal("all".to_owned());
    view! {
        <section class="card" aria-labelledby="rounds-heading">
            <h2 id="rounds-heading">{t!(i18n, audit.rounds)}</h2>
            {if rounds.is_empty() {
                view! { <p>{t!(i18n, audit.rounds_none)}</p> }.into_any()
            } else {
                view! {
                    <table>
                        <thead><tr>
                            <th scope="col">{t!(i18n, audit.col_year)}</th>
                            <th scope="col">{t!(i18n, audit.col_status)}</th>
                            <th scope="col">{t!(i18n, audit.col_due)}</th>
                            <th scope="col">{t!(i18n, audit.col_files)}</th>
                            <th scope="col">{t!(i18n, audit.col_submitted)}</th>
                        </tr></thead>
                        <tbody>
                            {rounds.into_iter().map(|r| view! {
                                <tr>
                                    <td><a href=format!("/granskning/{}", r.round_id)>
                                        {t!(i18n, audit.round_of, year = move || r.year)}
                                    </a></td>
                                    <td><RoundStatus status=r.status /></td>
                                    <td class="nowrap">{r.due_on.to_string()}</td>
                                    <td>{r.files}</td>
                                    <td>{r.submitted}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
        <section class="card" aria-labelledby="open-heading">
            <h2 id="open-heading">{t!(i18n, audit.open_heading)}</h2>
            <p>{t!(i18n, audit.open_intro)}</p>
            <ErrorBox error />
            <ActionForm action=open>
                <div class="two">
                    <Field name="year" kind="number" label=move || t!(i18n, audit.year)
                        help=ViewFn::from(move || t!(i18n, audit.year_help)) required=true error value=year />
                    <Field name="due_on" kind="date" label=move || t!(i18n, audit.due_on) required=true error />
                </div>
                <fieldset class="field" id="scope">
                    <legend>{t!(i18n, audit.scope)}</legend>
                    <div class="checkbox">
                        <input type="radio" id="scope-all" name="scope" value="all" checked
                            on:change=move |_| set_scope.set("all".to_owned()) />
                        <label for="scope-all">{t!(i18n, audit.scope_all)}</label>
                    </div>
                    <div class="checkbox">
                        <input type="radio" id="scope-sample" name="scope" value="sample"
                            on:change=move |_| set_scope.set("sample".to_owned()) />
                        <label for="scope-sample">{t!(i18n, audit.scope_sample)}</label>
                    </div>
                </fieldset>
                <div class="field" class:has-error=move || problem("sample")().is_some()
                    class:visually-hidden=move || scope.get() != "sample">
                    <label for="sample">{t!(i18n, audit.sample)}</label>
                    {move || problem("sample")().map(|p| view! {
                        <p class="field-error" id="sample-error"><ProblemText problem=p /></p>
                    })}
                    <input id="sample" name="sample" type="number" min="1" max="50" value="2"
                        aria-describedby=move || problem("sample")().map(|_| "sample-error") />
                </div>
                <div class="two">
                    <Field name="double" kind="number" label=move || t!(i18n, audit.double)
                        help=ViewFn::from(move || t!(i18n, audit.double_help)) error value="0".to_owned() />
                    <Field name="per_reviewer" kind="number" label=move || t!(i18n, audit.per_reviewer)
                        help=ViewFn::from(move || t!(i18n, audit.per_reviewer_help)) error />
                </div>
                <fieldset class="field co-workers" id="reviewers">
                    <legend>{t!(i18n, audit.reviewers)}</legend>
                    <p class="help">{t!(i18n, audit.reviewers_help)}</p>
                    {move || problem("reviewers")().map(|p| view! {
                        <p class="field-error"><ProblemText problem=p /></p>
                    })}
                    {move || pairing_error().map(|problem| view! {
                        <p class="field-error"><crate::components::PairingText problem /></p>
                    })}
                    <div class="checkbox-grid">
                        {o.staff.iter().enumerate().map(|(i, u)| {
                            let id = format!("reviewer-{}", u.username);
                            view! {
                                <div class="checkbox">
                                    <input type="checkbox" id=id.clone() name=format!("reviewers[{i}]")
                                        value=u.username.clone() checked />
                                    <label for=id>{u.display_name.clone()}</label>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
                <p class="help">{t!(i18n, audit.checklist_default)}" "{t!(i18n, audit.checklist_editable)}</p>
                <button type="submit" class="primary" disabled=move || open.pending().get()>
                    {t!(i18n, audit.open_submit)}
                </button>
            </ActionForm>
        </section>
    }
}

/// `/granskning/:round`: the manager's view of one round.
#[component]
pub fn RoundPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let round_id = move || params.read().get("round").unwrap_or_default();
    let redraw = ServerAction::<RedrawRound>::new();
    let status = ServerAction::<SetRoundStatus>::new();
    let swap = ServerAction::<SwapReviewer>::new();
    let reopen = ServerAction::<ReopenReview>::new();
    let remind = ServerAction::<RemindReviewer>::new();
    // Each row's "more time" form has its own action (its error stays at its own
    // field); a success bumps this and the round is fetched again.
    let extended = RwSignal::new(0u32);
    let save_item = ServerAction::<SaveChecklistItem>::new();
    let add_item = ServerAction::<AddChecklistItem>::new();
    let remove_item = ServerAction::<RemoveChecklistItem>::new();
    let round = Resource::new(
        move || {
            (
                round_id(),
                redraw.version().get(),
                status.version().get(),
                swap.version().get(),
                reopen.version().get(),
                (extended.get(), remind.version().get()),
                (
                    save_item.version().get(),
                    add_item.version().get(),
                    remove_item.version().get(),
                ),
            )
        },
        |(id, ..)| get_round(id),
    );
    let redraw_error = action_error(redraw);
    let status_error = action_error(status);
    let swap_error = action_error(swap);
    let reopen_error = action_error(reopen);
    let remind_error = action_error(remind);
    let actions = RoundActions {
        redraw,
        status,
        swap,
        reopen,
        remind,
        extended,
        save_item,
        add_item,
        remove_item,
    };
    view! {
        <Title text=move || t_string!(i18n, audit.title).to_string() />
        <p class="no-print"><a href="/granskning">{t!(i18n, audit.back)}</a></p>
        <ErrorBox error=redraw_error />
        <ErrorBox error=status_error />
        <ErrorBox error=swap_error prefix="swap-" />
        <ErrorBox error=reopen_error prefix="reopen-" />
        <ErrorBox error=remind_error prefix="remind-" />
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || show_result(round.get(), move |view| view! { <RoundSection view actions /> })}
        </Transition>
    }
}

#[derive(Clone, Copy)]
struct RoundActions {
    redraw: ServerAction<RedrawRound>,
    status: ServerAction<SetRoundStatus>,
    swap: ServerAction<SwapReviewer>,
    reopen: ServerAction<ReopenReview>,
    remind: ServerAction<RemindReviewer>,
    extended: RwSignal<u32>,
    save_item: ServerAction<SaveChecklistItem>,
    add_item: ServerAction<AddChecklistItem>,
    remove_item: ServerAction<RemoveChecklistItem>,
}

#[component]
fn RoundSection(view: RoundView, actions: RoundActions) -> impl IntoView {
    let i18n = use_i18n();
    let year = view.year;
    let draft = view.status == "draft";
    let published = view.status == "published";
    let csv = data_url("text/csv", &view.results_csv());
    let csv_name = format!("aktgranskning-{year}.csv");
    let closed = view.status == "closed";
    let (r1, r2) = (view.round_id.clone(), view.round_id.clone());
    let total = view.assignments.len();
    let submitted = view.assignments.iter().filter(|a| a.submitted).count();
    let repeats = view
        .assignments
        .iter()
        .filter(|a| a.same_as_last_year)
        .count();
    let sample = view.sample_per_contact;
    let seed = view.seed.clone();
    let due_on = view.due_on;
    let seconds = view.assignments.iter().filter(|a| a.second_review).count();
    let per_reviewer = view.files_per_reviewer;
    let version = view.checklist_version;
    view! {
        <h1>{t!(i18n, audit.round_of, year = move || year)}</h1>
        <p class="lead">
            <span><RoundStatus status=view.status.clone() /></span>
            " · "{t!(i18n, audit.due_line, date = move || due_on.to_string())}
            " · "{match sample {
                Some(n) => t!(i18n, audit.scope_sample_n, n = move || n).into_any(),
                None => t!(i18n, audit.scope_all).into_any(),
            }}
            {(seconds > 0).then(|| view! { " · "{t!(i18n, audit.double_line, n = move || seconds)} })}
            {per_reviewer.map(|k| view! { " · "{t!(i18n, audit.per_reviewer_line, n = move || k)} })}
            " · "{t!(i18n, audit.checklist_version, n = move || version)}
        </p>
        <p class="help">{t!(i18n, audit.seed_line, seed = move || seed.clone())}</p>
        {draft.then(|| view! {
            <section class="card no-print" aria-labelledby="draft-heading">
                <h2 id="draft-heading">{t!(i18n, audit.draft_heading)}</h2>
                <p>{t!(i18n, audit.draft_intro)}</p>
                <div class="button-row">
                    <ActionForm action=actions.redraw attr:class="inline">
                        <input type="hidden" name="round" value=r1 />
                        <button type="submit">{t!(i18n, audit.redraw)}</button>
                    </ActionForm>
                    <ActionForm action=actions.status attr:class="inline">
                        <input type="hidden" name="round" value=r2 />
                        <input type="hidden" name="to" value="published" />
                        <button type="submit" class="primary">{t!(i18n, audit.publish)}</button>
                    </ActionForm>
                </div>
            </section>
        })}
        {draft.then(|| view! {
            <ChecklistEditor round=view.round_id.clone() items=view.checklist.clone() version actions />
        })}
        {published.then(|| view! { <CloseRound view=view.clone() actions /> })}
        {closed.then(|| view! { <ReopenRound view=view.clone() actions /> })}
        {(!draft).then(|| view! { <Progress view=view.clone() actions /> })}
        <section class="card" aria-labelledby="pairs-heading">
            <h2 id="pairs-heading">{t!(i18n, audit.pairs)}</h2>
            <p>
                {t!(i18n, audit.pairs_summary, total = move || total, submitted = move || submitted)}
                {(repeats > 0).then(|| view! { " "{t!(i18n, audit.repeats, n = move || repeats)} })}
            </p>
            <table>
                <thead><tr>
                    <th scope="col">{t!(i18n, audit.col_client)}</th>
                    <th scope="col">{t!(i18n, audit.col_contact)}</th>
                    <th scope="col">{t!(i18n, audit.col_reviewer)}</th>
                    <th scope="col">{t!(i18n, audit.col_status)}</th>
                    <th scope="col" class="no-print">{t!(i18n, audit.col_action)}</th>
                </tr></thead>
                <tbody>
                    {view.assignments.clone().into_iter().map(|a| view! {
                        <PairRow a draft published due_on actions />
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        {(!draft).then(|| view! {
            <section class="card" aria-labelledby="results-heading">
                <h2 id="results-heading">{t!(i18n, audit.results)}</h2>
                <p>{t!(i18n, audit.results_intro)}</p>
                <p class="no-print">
                    <a href=csv download=csv_name>{t!(i18n, audit.csv)}</a>
                    " · "{t!(i18n, audit.print_hint)}
                </p>
                <p>{t!(i18n, audit.results_first_only)}</p>
                <Results group=view.unit.clone() />
                {view.by_contact_person.clone().into_iter().map(|g| view! { <Results group=g /> }).collect_view()}
            </section>
        })}
        {view.double_review.clone().filter(|_| !draft).map(|d| view! { <Agreement d /> })}
    }
}

/// "Avsluta omgången" in two steps: the first names the reviews not yet submitted (the
/// reviewers lose access to those files), the second closes the round.
#[component]
fn CloseRound(view: RoundView, actions: RoundActions) -> impl IntoView {
    let i18n = use_i18n();
    let asking = RwSignal::new(false);
    let total = view.assignments.len();
    let unsubmitted = StoredValue::new(
        view.assignments
            .iter()
            .filter(|a| !a.submitted)
            .map(|a| (a.client_name.clone(), a.reviewer.display_name.clone()))
            .collect::<Vec<_>>(),
    );
    let n = unsubmitted.with_value(Vec::len);
    let days = akta_domain::audit_round::REOPEN_DAYS;
    let round = view.round_id.clone();
    move || {
        let round = round.clone();
        if !asking.get() {
            return view! {
                <p class="no-print">
                    <button type="button" on:click=move |_| {
                        asking.set(true);
                        focus_later("close-heading".to_owned());
                    }>{t!(i18n, audit.close)}</button>
                </p>
            }
            .into_any();
        }
        view! {
            <section class="card confirm no-print" aria-labelledby="close-heading">
                <h2 id="close-heading" tabindex="-1">{t!(i18n, audit.close_confirm_heading)}</h2>
                {if n == 0 {
                    view! { <p>{t!(i18n, audit.close_confirm_all_done, total = move || total)}</p> }.into_any()
                } else {
                    view! {
                        <p>{t!(i18n, audit.close_confirm_unsubmitted, n = move || n, total = move || total)}</p>
                        <ul class="unsubmitted" tabindex="0">
                            {unsubmitted.get_value().into_iter().map(|(client, reviewer)| {
                                let client = match client {
                                    Some(name) => name,
                                    None => t_string!(i18n, clients.protected).to_string(),
                                };
                                view! {
                                    <li>{t!(i18n, audit.close_unsubmitted_row, client = move || client.clone(), reviewer = move || reviewer.clone())}</li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <p>{t!(i18n, audit.close_confirm_reopen, days = move || days)}</p>
                <div class="button-row">
                    <ActionForm action=actions.status attr:class="inline">
                        <input type="hidden" name="round" value=round />
                        <input type="hidden" name="to" value="closed" />
                        <button type="submit" class="danger">{t!(i18n, audit.close_confirm)}</button>
                    </ActionForm>
                    <button type="button" on:click=move |_| asking.set(false)>{t!(i18n, audit.close_cancel)}</button>
                </div>
            </section>
        }
        .into_any()
    }
}

/// A closed round: reopening while the domain allows it, or why it no longer can be.
#[component]
fn ReopenRound(view: RoundView, actions: RoundActions) -> impl IntoView {
    use akta_domain::audit_round::{may_reopen, reopen_until};
    let i18n = use_i18n();
    let Some(closed_on) = view.closed_on else {
        return ().into_any();
    };
    if !may_reopen(closed_on, view.today) {
        let date = closed_on.to_string();
        return view! {
            <p class="help">{t!(i18n, audit.reopen_round_expired, date = move || date.clone())}</p>
        }
        .into_any();
    }
    let until = reopen_until(closed_on).to_string();
    view! {
        <section class="card no-print" aria-labelledby="reopen-round-heading">
            <h2 id="reopen-round-heading">{t!(i18n, audit.reopen_round)}</h2>
            <p>{t!(i18n, audit.reopen_round_until, date = move || until.clone())}</p>
            <ActionForm action=actions.status attr:class="inline">
                <input type="hidden" name="round" value=view.round_id.clone() />
                <input type="hidden" name="to" value="published" />
                <button type="submit">{t!(i18n, audit.reopen_round)}</button>
            </ActionForm>
        </section>
    }
    .into_any()
}

/// The double review on the dashboard: agreement of the two reviewers per item.
#[component]
fn Agreement(d: DoubleReview) -> impl IntoView {
    let i18n = use_i18n();
    let (files, both) = (d.files, d.both_submitted);
    let fmt = |v: Option<f64>| v.map_or("–".to_owned(), |x| format!("{x:.2}").replace('.', ","));
    view! {
        <section class="card" aria-labelledby="agreement-heading">
            <h2 id="agreement-heading">{t!(i18n, audit.agreement)}</h2>
            <p>{t!(i18n, audit.agreement_files, files = move || files, both = move || both)}</p>
            <p>{t!(i18n, audit.agreement_explain)}</p>
            <table class="results">
                <thead><tr>
                    <th scope="col">{t!(i18n, audit.col_item)}</th>
                    <th scope="col">{t!(i18n, audit.col_n)}</th>
                    <th scope="col">{t!(i18n, audit.col_observed)}</th>
                    <th scope="col">{t!(i18n, audit.col_kappa)}</th>
                    <th scope="col">{t!(i18n, audit.col_ac1)}</th>
                    <th scope="col">{t!(i18n, audit.col_note)}</th>
                </tr></thead>
                <tbody>
                    {d.rows.into_iter().map(|row: AgreementRow| {
                        let text = if row.key == "overall" {
                            t!(i18n, audit.overall).into_any()
                        } else {
                            row.text.clone().into_any()
                        };
                        let n = row.n;
                        let observed = row.observed.map_or("–".to_owned(), |o| format!("{:.0} %", o * 100.0));
                        let note = if n == 0 {
                            t!(i18n, audit.agreement_none).into_any()
                        } else if row.too_few() {
                            t!(i18n, audit.agreement_few, n = move || n).into_any()
                        } else if row.kappa.is_none() {
                            t!(i18n, audit.agreement_no_kappa).into_any()
                        } else {
                            ().into_any()
                        };
                        view! {
                            <tr>
                                <th scope="row">{text}</th>
                                <td>{n}</td>
                                <td>{observed}</td>
                                <td>{fmt(row.kappa)}</td>
                                <td>{fmt(row.ac1)}</td>
                                <td>{note}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// A draft round's own checklist: change, add and remove questions (each save is a new version).
#[component]
fn ChecklistEditor(
    round: String,
    items: Vec<ChecklistItemView>,
    version: u32,
    actions: RoundActions,
) -> impl IntoView {
    let i18n = use_i18n();
    let save_error = action_error(actions.save_item);
    let add_error = action_error(actions.add_item);
    let remove_error = action_error(actions.remove_item);
    let add_problem = move || add_error.get().and_then(|e| e.problem_for("new-item"));
    let count = items.len();
    let r_add = round.clone();
    view! {
        <section class="card no-print" aria-labelledby="checklist-heading">
            <h2 id="checklist-heading">{t!(i18n, audit.checklist_heading, n = move || version)}</h2>
            <p>{t!(i18n, audit.checklist_edit_intro)}</p>
            <ErrorBox error=save_error />
            <ErrorBox error=add_error />
            <ErrorBox error=remove_error />
            <ol class="checklist-edit">
                {items.into_iter().map(|item| {
                    let field = format!("item-{}", item.key);
                    let problem = {
                        let field = field.clone();
                        move || save_error.get().and_then(|e| e.problem_for(&field))
                            .or_else(|| remove_error.get().and_then(|e| e.problem_for(&field)))
                    };
                    let p2 = problem.clone();
                    let error_id = format!("{field}-error");
                    let e2 = error_id.clone();
                    let (r1, r2) = (round.clone(), round.clone());
                    let (k1, k2) = (item.key.clone(), item.key.clone());
                    let (label1, label2) = (item.text_sv.clone(), item.text_sv.clone());
                    view! {
                        <li class="field" class:has-error=move || problem().is_some()>
                            {move || p2().map(|p| view! {
                                <p class="field-error" id=e2.clone()><ProblemText problem=p /></p>
                            })}
                            <ActionForm action=actions.save_item attr:class="inline">
                                <input type="hidden" name="round" value=r1 />
                                <input type="hidden" name="item" value=k1 />
                                <label for=field.clone() class="visually-hidden">{t!(i18n, audit.question_text)}</label>
                                <textarea id=field.clone() name="title" rows="2" maxlength="300" required>{item.text_sv.clone()}</textarea>
                                <button type="submit">{t!(i18n, audit.question_save)}<span class="visually-hidden">": "{label1}</span></button>
                            </ActionForm>
                            {(count > 1).then(|| view! {
                                <ActionForm action=actions.remove_item attr:class="inline">
                                    <input type="hidden" name="round" value=r2 />
                                    <input type="hidden" name="item" value=k2 />
                                    <button type="submit">{t!(i18n, audit.question_remove)}<span class="visually-hidden">": "{label2}</span></button>
                                </ActionForm>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
            <ActionForm action=actions.add_item>
                <input type="hidden" name="round" value=r_add />
                <div class="field" class:has-error=move || add_problem().is_some()>
                    <label for="new-item">{t!(i18n, audit.question_new)}</label>
                    {move || add_problem().map(|p| view! {
                        <p class="field-error" id="new-item-error"><ProblemText problem=p /></p>
                    })}
                    <textarea id="new-item" name="title" rows="2" maxlength="300"></textarea>
                </div>
                <button type="submit">{t!(i18n, audit.question_add)}</button>
            </ActionForm>
        </section>
    }
}

/// A submitted review, read-only: per plan period the answers, comments and judgement.
#[component]
fn ReviewResultView(review: ReviewResult, heading: AnyView) -> impl IntoView {
    let i18n = use_i18n();
    let submitted_on = review.submitted_on.to_string();
    view! {
        <section class="card review-result">
            <h2>{heading}</h2>
            <p class="lead">
                {t!(i18n, audit.submitted_on, date = move || submitted_on.clone())}
                {review.reviewer.clone().map(|name| view! { " · "{t!(i18n, audit.reviewed_by, name = move || name.clone())} })}
                {review.second_review.then(|| view! { " · "<span class="badge">{t!(i18n, audit.second_review)}</span> })}
            </p>
            {review.periods.into_iter().map(|p| {
                let n = p.number;
                let from = p.valid_from.to_string();
                let to = p.valid_to.map(|d| d.to_string());
                view! {
                    <h3>
                        <PeriodName n />": "
                        {match to {
                            Some(to) => t!(i18n, plan.from_to, from = move || from.clone(), to = move || to.clone()).into_any(),
                            None => t!(i18n, plan.from, from = move || from.clone()).into_any(),
                        }}
                    </h3>
                    <table class="results">
                        <thead><tr>
                            <th scope="col">{t!(i18n, audit.col_item)}</th>
                            <th scope="col">{t!(i18n, audit.col_answer)}</th>
                            <th scope="col">{t!(i18n, audit.comment)}</th>
                        </tr></thead>
                        <tbody>
                            {p.answers.into_iter().map(|a| {
                                let text = move || match i18n.get_locale() {
                                    Locale::sv => a.text_sv.clone(),
                                    Locale::en => a.text_en.clone(),
                                };
                                let answer = a.answer.as_deref().and_then(Answer::parse).map(answer_label);
                                view! {
                                    <tr>
                                        <th scope="row">{text}</th>
                                        <td>{answer}</td>
                                        <td>{a.comment.clone()}</td>
                                    </tr>
                                }
                            }).collect_view()}
                            <tr>
                                <th scope="row">{t!(i18n, audit.overall)}</th>
                                <td>{p.judgement.as_deref().and_then(Judgement::parse).map(judgement_label)}</td>
                                <td>{p.summary.clone()}</td>
                            </tr>
                        </tbody>
                    </table>
                }
            }).collect_view()}
        </section>
    }
}

/// `/akter/:id/granskning`: the submitted audit results of a file, for its contact person.
#[component]
pub fn FileAuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let file = move || params.read().get("id").unwrap_or_default();
    let results = Resource::new(file, get_file_audit);
    view! {
        <Title text=move || t_string!(i18n, audit.file_results_title).to_string() />
        <p class="no-print"><a href="/granskning">{t!(i18n, audit.back)}</a></p>
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || show_result(results.get(), move |r| {
                let name = match r.client_name.clone() {
                    Some(n) => n.into_any(),
                    None => t!(i18n, clients.protected).into_any(),
                };
                let file_href = format!("/akter/{}", r.file_id);
                view! {
                    <h1>{t!(i18n, audit.file_results_title)}": "{name}</h1>
                    <p class="lead">{t!(i18n, audit.file_results_intro)}" "<a href=file_href>{t!(i18n, audit.to_file)}</a></p>
                    {if r.reviews.is_empty() {
                        view! { <p>{t!(i18n, audit.file_results_none)}</p> }.into_any()
                    } else {
                        r.reviews.into_iter().map(|review| {
                            let year = review.year;
                            let heading = t!(i18n, audit.round_of, year = move || year).into_any();
                            view! { <ReviewResultView review heading /> }
                        }).collect_view().into_any()
                    }}
                }
            })}
        </Transition>
    }
}

#[component]
fn PairRow(
    a: AssignmentRow,
    draft: bool,
    published: bool,
    due_on: chrono::NaiveDate,
    actions: RoundActions,
) -> impl IntoView {
    let i18n = use_i18n();
    let name = match a.client_name.clone() {
        Some(n) => n.into_any(),
        None => t!(i18n, clients.protected).into_any(),
    };
    let label = a.client_name.clone().unwrap_or_default();
    let swap_id = format!("swap-{}", a.assignment_id);
    let reopen_id = format!("reopen-{}", a.assignment_id);
    let (aid1, aid2) = (a.assignment_id.clone(), a.assignment_id.clone());
    let action = if draft && !a.may_swap_to.is_empty() {
        let (sel, reason) = (format!("{swap_id}-reviewer"), format!("{swap_id}-reason"));
        view! {
            <details>
                <summary>{t!(i18n, audit.swap)}<span class="visually-hidden">" "{label.clone()}</span></summary>
                <ActionForm action=actions.swap>
                    <input type="hidden" name="assignment" value=aid1 />
                    <label for=sel.clone()>{t!(i18n, audit.swap_to)}</label>
                    <select id=sel name="reviewer" required>
                        {a.may_swap_to.iter().map(|u| view! {
                            <option value=u.username.clone()>{u.display_name.clone()}</option>
                        }).collect_view()}
                    </select>
                    <label for=reason.clone()>{t!(i18n, audit.reason)}</label>
                    <input id=reason type="text" name="reason" required maxlength="300" />
                    <button type="submit">{t!(i18n, audit.swap_submit)}</button>
                </ActionForm>
            </details>
        }
        .into_any()
    } else if published && a.submitted {
        let reason = format!("{reopen_id}-reason");
        view! {
            <details>
                <summary>{t!(i18n, audit.reopen)}<span class="visually-hidden">" "{label.clone()}</span></summary>
                <ActionForm action=actions.reopen>
                    <input type="hidden" name="assignment" value=aid2 />
                    <label for=reason.clone()>{t!(i18n, audit.reason)}</label>
                    <input id=reason type="text" name="reason" required maxlength="300" />
                    <button type="submit">{t!(i18n, audit.reopen_submit)}</button>
                </ActionForm>
            </details>
        }
        .into_any()
    } else if published {
        view! { <ExtendForm a=a.clone() label=label.clone() due_on actions /> }.into_any()
    } else {
        ().into_any()
    };
    let until = a.access_until.map(|d| d.to_string());
    view! {
        <tr>
            <td>{name}</td>
            <td>{a.contact_person.clone()}</td>
            <td>
                {a.reviewer.display_name.clone()}
                {a.second_review.then(|| view! { " "<span class="badge">{t!(i18n, audit.second_review)}</span> })}
                {a.same_as_last_year.then(|| view! { " "<span class="badge">{t!(i18n, audit.same_as_last_year)}</span> })}
                {a.swap_reason.clone().map(|r| view! { <br /><small>{t!(i18n, audit.swapped_because)}" "{r}</small> })}
            </td>
            <td>
                {if draft {
                    t!(i18n, audit.state_draft).into_any()
                } else {
                    view! { <ReviewState started=a.started submitted=a.submitted overdue=a.overdue /> }.into_any()
                }}
                {a.reopen_reason.clone().map(|r| view! { <br /><small>{t!(i18n, audit.reopened_because)}" "{r}</small> })}
                {until.map(|until| view! { <br /><small>{t!(i18n, audit.extended_until, until = move || until.clone())}</small> })}
            </td>
            <td class="no-print">{action}</td>
        </tr>
    }
}

/// "Ge mer tid": a later last day for one review still open (issue 14, item 9). The
/// reviewer's access to the file ends at the round's due date otherwise.
#[component]
fn ExtendForm(
    a: AssignmentRow,
    label: String,
    due_on: chrono::NaiveDate,
    actions: RoundActions,
) -> impl IntoView {
    let i18n = use_i18n();
    let extend = ServerAction::<ExtendReview>::new();
    let error = action_error(extend);
    Effect::new(move |_| {
        if let Some(Ok(())) = extend.value().get() {
            actions.extended.update(|n| *n += 1);
        }
    });
    let days = akta_domain::audit_round::EXTEND_MAX_DAYS;
    let prefix = format!("extend-{}-", a.assignment_id);
    // Open from the start when the reviewer's time is over, or the last try was refused.
    let open = a.overdue && a.access_until.is_none();
    let value = a
        .access_until
        .unwrap_or(due_on + chrono::Duration::days(14))
        .to_string();
    view! {
        <details open=move || open || error.get().is_some()>
            <summary>{t!(i18n, audit.extend)}<span class="visually-hidden">" "{label}</span></summary>
            <ErrorBox error prefix=prefix.clone() />
            <ActionForm action=extend>
                <input type="hidden" name="assignment" value=a.assignment_id.clone() />
                <Field name="until" kind="date" prefix
                    label=move || t!(i18n, audit.extend_label)
                    help=ViewFn::from(move || t!(i18n, audit.extend_help, days = move || days))
                    required=true error value=value />
                <button type="submit">{t!(i18n, audit.extend)}</button>
            </ActionForm>
        </details>
    }
}

/// Completion per reviewer, with bars and the numbers as text; "Påminn" for each
/// reviewer with reviews left (an in-app reminder), and the reviews long overdue.
#[component]
fn Progress(view: RoundView, actions: RoundActions) -> impl IntoView {
    let i18n = use_i18n();
    let published = view.status == "published";
    let round = view.round_id.clone();
    let escalated = view.escalated.clone();
    let days = akta_domain::audit_round::ESCALATE_DAYS;
    let sent = move || {
        matches!(actions.remind.value().get(), Some(Ok(()))).then(|| {
            view! { <p class="notice" role="status">{t!(i18n, audit.remind_sent)}</p> }
        })
    };
    view! {
        <section class="card" aria-labelledby="progress-heading">
            <h2 id="progress-heading">{t!(i18n, audit.progress)}</h2>
            {sent}
            <table class="progress">
                <thead><tr>
                    <th scope="col">{t!(i18n, audit.col_reviewer)}</th>
                    <th scope="col">{t!(i18n, audit.col_assigned)}</th>
                    <th scope="col">{t!(i18n, audit.col_started)}</th>
                    <th scope="col">{t!(i18n, audit.col_submitted)}</th>
                    <th scope="col">{t!(i18n, audit.col_overdue)}</th>
                    <th scope="col">{t!(i18n, audit.col_chart)}</th>
                    <th scope="col">{t!(i18n, audit.col_reminder)}</th>
                </tr></thead>
                <tbody>
                    {view.progress.into_iter().map(|p| {
                        let pct = akta_domain::checklist::rounded_percent(p.submitted, p.assigned).unwrap_or(0);
                        let left = p.assigned > p.submitted;
                        let name = p.reviewer.display_name.clone();
                        let (username, round) = (p.reviewer.username.clone(), round.clone());
                        let status = p.reminded.clone().map(|r| {
                            let (on, by) = (r.sent_on.to_string(), r.sent_by.clone());
                            let text = if r.opened {
                                t!(i18n, audit.reminded_opened, date = move || on.clone(), by = move || by.clone()).into_any()
                            } else {
                                t!(i18n, audit.reminded_unopened, date = move || on.clone(), by = move || by.clone()).into_any()
                            };
                            view! { <small class="reminded">{text}</small> }
                        });
                        view! {
                            <tr>
                                <th scope="row">{p.reviewer.display_name}</th>
                                <td>{p.assigned}</td>
                                <td>{p.started}</td>
                                <td>{p.submitted}</td>
                                <td>{p.overdue}</td>
                                <td>
                                    <div class="bar" aria-hidden="true">
                                        <span class="bar-fill" style=format!("width:{pct}%")></span>
                                    </div>
                                    <span class="visually-hidden">{t!(i18n, audit.percent_submitted, pct = move || pct)}</span>
                                </td>
                                <td>
                                    {(published && left).then(|| view! {
                                        <ActionForm action=actions.remind attr:class="inline no-print">
                                            <input type="hidden" name="round" value=round />
                                            <input type="hidden" name="reviewer" value=username />
                                            <button type="submit">{t!(i18n, audit.remind)}<span class="visually-hidden">" "{name}</span></button>
                                        </ActionForm>
                                    })}
                                    {status}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <p class="help">{t!(i18n, audit.remind_help)}</p>
            <h3>{t!(i18n, audit.escalated_heading, days = move || days)}</h3>
            {if escalated.is_empty() {
                view! { <p>{t!(i18n, audit.escalated_none, days = move || days)}</p> }.into_any()
            } else {
                view! {
                    <ul class="escalated">{escalated.into_iter().map(|e| {
                        let client = match e.client_name {
                            Some(name) => name,
                            None => t_string!(i18n, clients.protected).to_string(),
                        };
                        let (reviewer, late) = (e.reviewer, e.days_late);
                        view! {
                            <li>{t!(i18n, audit.escalated_row, client = move || client.clone(), reviewer = move || reviewer.clone(), days = move || late)}</li>
                        }
                    }).collect_view()}</ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Results(group: ResultGroup) -> impl IntoView {
    let i18n = use_i18n();
    let periods = group.periods;
    let heading = match group.contact_person.clone() {
        Some(name) => {
            view! { {t!(i18n, audit.results_for, name = move || name.clone())} }.into_any()
        }
        None => t!(i18n, audit.results_unit).into_any(),
    };
    view! {
        <h3>{heading}" "<small>{t!(i18n, audit.periods_reviewed, n = move || periods)}</small></h3>
        <table class="results">
            <thead><tr>
                <th scope="col">{t!(i18n, audit.col_item)}</th>
                <th scope="col">{t!(i18n, audit.answer_yes)}</th>
                <th scope="col">{t!(i18n, audit.answer_partly)}</th>
                <th scope="col">{t!(i18n, audit.answer_no)}</th>
                <th scope="col">{t!(i18n, audit.answer_not_applicable)}</th>
                <th scope="col">{t!(i18n, audit.col_chart)}</th>
            </tr></thead>
            <tbody>
                {group.items.into_iter().chain(std::iter::once(group.overall)).map(|item| view! {
                    <ResultRow item />
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn ResultRow(item: ItemResult) -> impl IntoView {
    let i18n = use_i18n();
    let share = |n: u32| item.percent(n).map_or("–".to_owned(), |p| format!("{p} %"));
    let (y, p, n) = (
        item.percent(item.yes).unwrap_or(0),
        item.percent(item.partly).unwrap_or(0),
        item.percent(item.no).unwrap_or(0),
    );
    let text = if item.key == "overall" {
        t!(i18n, audit.overall).into_any()
    } else {
        item.text.clone().into_any()
    };
    view! {
        <tr>
            <th scope="row">{text}</th>
            <td>{item.yes}" ("{share(item.yes)}")"</td>
            <td>{item.partly}" ("{share(item.partly)}")"</td>
            <td>{item.no}" ("{share(item.no)}")"</td>
            <td>{item.not_applicable}</td>
            <td>
                <div class="bar stacked" aria-hidden="true">
                    <span class="bar-yes" style=format!("width:{y}%")></span>
                    <span class="bar-partly" style=format!("width:{p}%")></span>
                    <span class="bar-no" style=format!("width:{n}%")></span>
                </div>
            </td>
        </tr>
    }
}

/// `/granskning/:round/:assignment`: the reviewer's workbench.
#[component]
pub fn ReviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let assignment = move || params.read().get("assignment").unwrap_or_default();
    let submit = ServerAction::<SubmitReview>::new();
    let ws = Resource::new(
        move || (assignment(), submit.version().get()),
        |(a, _)| get_workspace(a),
    );
    view! {
        <Title text=move || t_string!(i18n, audit.review_title).to_string() />
        <p class="back no-print"><a href="/granskning">{t!(i18n, audit.back)}</a></p>
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || show_result(ws.get(), move |ws| view! { <Workspace ws submit /> })}
        </Transition>
    }
}

/// One checklist question of one period as the page holds it: what the reviewer has
/// chosen and written so far (the progress count and the error summary read these).
#[derive(Clone)]
struct Question {
    key: String,
    /// 1-based, as the checklist numbers its questions.
    number: usize,
    text_sv: String,
    text_en: String,
    answer: RwSignal<Option<String>>,
    comment: RwSignal<String>,
}

/// The answers of one plan period: its questions and the overall judgement.
#[derive(Clone)]
struct PeriodState {
    number: u32,
    questions: Vec<Question>,
    judgement: RwSignal<Option<String>>,
    summary: RwSignal<String>,
}

impl PeriodState {
    fn new(period: &AuditPeriod, items: &[ChecklistItemView]) -> PeriodState {
        let questions = items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let saved = period.answers.iter().find(|a| a.key == item.key);
                Question {
                    key: item.key.clone(),
                    number: i + 1,
                    text_sv: item.text_sv.clone(),
                    text_en: item.text_en.clone(),
                    answer: RwSignal::new(saved.and_then(|a| a.answer.clone())),
                    comment: RwSignal::new(saved.map(|a| a.comment.clone()).unwrap_or_default()),
                }
            })
            .collect();
        PeriodState {
            number: period.number,
            questions,
            judgement: RwSignal::new(period.judgement.clone()),
            summary: RwSignal::new(period.summary.clone()),
        }
    }

    /// Questions and the overall judgement.
    fn total(&self) -> usize {
        self.questions.len() + 1
    }

    /// How many of them are answered (reactive).
    fn answered(&self) -> usize {
        self.questions
            .iter()
            .filter(|q| q.answer.with(Option::is_some))
            .count()
            + usize::from(self.judgement.with(Option::is_some))
    }
}

/// A question's text in the user's language.
fn question_text(q: &Question) -> String {
    match use_i18n().get_locale() {
        Locale::sv => q.text_sv.clone(),
        Locale::en => q.text_en.clone(),
    }
}

/// A period's dates: "2026-01-05 – 2026-04-30", or "från 2026-05-01" while in force.
fn period_dates(from: NaiveDate, to: Option<NaiveDate>) -> AnyView {
    let i18n = use_i18n();
    let from = from.to_string();
    match to {
        Some(to) => {
            let to = to.to_string();
            t!(
                i18n,
                plan.from_to,
                from = move || from.clone(),
                to = move || to.clone()
            )
            .into_any()
        }
        None => t!(i18n, plan.from, from = move || from.clone()).into_any(),
    }
}

/// Moves the keyboard focus to an element once the browser has drawn the page anew: a
/// period just shown cannot take the focus before. Focusing scrolls its pane to it.
fn focus_later(id: String) {
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

/// Prints the page (the print stylesheet shows the whole review).
fn print_page() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}

#[component]
fn Workspace(ws: AuditWorkspace, submit: ServerAction<SubmitReview>) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveAnswer>::new();
    let judge = ServerAction::<SaveJudgement>::new();
    let submit_error = action_error(submit);
    let save_error = action_error(save);
    let judge_error = action_error(judge);
    let locked = ws.submitted;
    let name = match ws.client_name.clone() {
        Some(n) => n.into_any(),
        None => t!(i18n, clients.protected).into_any(),
    };
    let year = ws.year;
    let states = StoredValue::new(
        ws.periods
            .iter()
            .map(|p| PeriodState::new(p, &ws.items))
            .collect::<Vec<_>>(),
    );
    let numbers: Vec<u32> = ws.periods.iter().map(|p| p.number).collect();
    let active = RwSignal::new(numbers.first().copied().unwrap_or(0));
    let answered =
        move || states.with_value(|s| s.iter().map(PeriodState::answered).sum::<usize>());
    let total = states.with_value(|s| s.iter().map(PeriodState::total).sum::<usize>());
    let saved_line = move || {
        let a = save
            .value()
            .get()
            .and_then(Result::ok)
            .map(|s| s.saved_time);
        let j = judge
            .value()
            .get()
            .and_then(Result::ok)
            .map(|s| s.saved_time);
        if save.pending().get() || judge.pending().get() {
            Some(t!(i18n, audit.saving).into_any())
        } else {
            a.max(j)
                .map(|time| t!(i18n, audit.saved, time = move || time.clone()).into_any())
        }
    };
    let aid = ws.assignment_id.clone();
    let steps = ws
        .periods
        .iter()
        .map(|p| {
            let n = p.number;
            let state = states.with_value(|s| s.iter().find(|s| s.number == n).cloned());
            let (of, count) = match state {
                Some(state) => (state.total(), Some(state)),
                None => (0, None),
            };
            let done = move || count.as_ref().map_or(0, PeriodState::answered);
            let dates = period_dates(p.valid_from, p.valid_to);
            view! {
                <li>
                    <button type="button" class="step"
                        aria-current=move || (active.get() == n).then_some("step")
                        on:click=move |_| active.set(n)>
                        <span class="step-name"><PeriodName n /></span>
                        " "<span class="step-dates">{dates}</span>
                        " "<span class="step-count">{t!(i18n, audit.progress_count, answered = done, total = move || of)}</span>
                    </button>
                </li>
            }
        })
        .collect_view();
    let last = numbers.last().copied().unwrap_or(0);
    let neighbours = StoredValue::new(numbers);
    view! {
        <div class="review-head">
            <div class="review-title">
                <h1>{t!(i18n, audit.review_of, year = move || year)}": "{name}</h1>
                <p class="lead">
                    <ServiceName service=ws.service_type.clone() />
                    " · "{t!(i18n, audit.file_started, date = move || ws.started_on.to_string())}
                    " · "{t!(i18n, audit.due_line, date = move || ws.due_on.to_string())}
                </p>
            </div>
            <div class="review-status">
                <p class="progress-count">
                    <strong>{t!(i18n, audit.progress_count, answered = answered, total = move || total)}</strong>
                    " "<span class="autosave" role="status" aria-live="polite">{saved_line}</span>
                </p>
                <div class="button-row no-print">
                    <button type="button" on:click=move |_| print_page()>{t!(i18n, audit.print_review)}</button>
                    {(!locked).then(|| view! {
                        <ActionForm action=submit attr:class="inline">
                            <input type="hidden" name="assignment" value=aid />
                            <button type="submit" class="primary">{t!(i18n, audit.submit)}</button>
                        </ActionForm>
                    })}
                </div>
            </div>
        </div>
        {ws.second_review.then(|| view! { <p class="notice">{t!(i18n, audit.second_review_notice)}</p> })}
        {locked.then(|| view! { <p class="notice" role="status">{t!(i18n, audit.locked)}</p> })}
        {ws.reopen_reason.clone().filter(|_| !locked).map(|r| view! {
            <p class="notice" role="status">{t!(i18n, audit.reopened_because)}" "{r}</p>
        })}
        <UnansweredSummary error=submit_error states active />
        <ErrorBox error=save_error />
        <ErrorBox error=judge_error />
        {if ws.periods.is_empty() {
            view! { <p>{t!(i18n, audit.no_periods)}</p> }.into_any()
        } else {
            view! {
                <nav class="period-steps" aria-label=move || t_string!(i18n, audit.periods_nav).to_string()>
                    <ol>{steps}</ol>
                </nav>
                {ws.periods.clone().into_iter().map(|p| {
                    let n = p.number;
                    let state = states.with_value(|s| s.iter().find(|s| s.number == n).cloned());
                    let (prev, next) = neighbours.with_value(|list| {
                        let at = list.iter().position(|x| *x == n);
                        (
                            at.and_then(|i| i.checked_sub(1)).and_then(|i| list.get(i)).copied(),
                            at.and_then(|i| list.get(i + 1)).copied(),
                        )
                    });
                    state.map(|state| view! {
                        <PeriodReview period=p state assignment=ws.assignment_id.clone()
                            locked active prev next is_last={n == last} save judge />
                    })
                }).collect_view()}
            }.into_any()
        }}
        {ws.other_review.clone().map(|review| {
            let heading = t!(i18n, audit.other_review).into_any();
            view! { <ReviewResultView review heading /> }
        })}
    }
}

/// The error summary of an incomplete submit: each unanswered question by period,
/// number and text, linked to it (the link shows its period and moves the focus there).
#[component]
fn UnansweredSummary(
    error: Signal<Option<AppError>>,
    states: StoredValue<Vec<PeriodState>>,
    active: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let error = error.get()?;
        let fields = match &error {
            AppError::Invalid(fields) => fields.clone(),
            _ => Vec::new(),
        };
        let missing: Vec<(String, u32, AnyView)> = fields
            .iter()
            .filter(|f| f.problem == Problem::Unanswered)
            .filter_map(|f| {
                let (period, item) = parse_answer_field(&f.field)?;
                let label = states.with_value(|s| {
                    let state = s.iter().find(|s| s.number == period)?;
                    let name = move || view! { <PeriodName n=period /> };
                    if item == "overall" {
                        return Some(t!(i18n, audit.unanswered_overall, period = name).into_any());
                    }
                    let q = state.questions.iter().find(|q| q.key == item)?;
                    let (n, text) = (q.number, question_text(q));
                    Some(
                        t!(
                            i18n,
                            audit.unanswered_item,
                            period = name,
                            n = move || n,
                            text = move || text.clone()
                        )
                        .into_any(),
                    )
                })?;
                Some((f.field.clone(), period, label))
            })
            .collect();
        if missing.is_empty() {
            return Some(
                view! { <ErrorBox error=Signal::derive(move || Some(error.clone())) /> }.into_any(),
            );
        }
        let count = missing.len();
        Some(
            view! {
                <div class="error-summary unanswered" role="alert">
                    <p><strong>{t!(i18n, audit.unanswered_heading, n = move || count)}</strong></p>
                    <ul tabindex="0">
                        {missing.into_iter().map(|(field, period, label)| {
                            let href = format!("#{field}");
                            let first = format!("{field}-yes");
                            view! {
                                <li><a href=href on:click=move |ev| {
                                    ev.prevent_default();
                                    active.set(period);
                                    focus_later(first.clone());
                                }>{label}</a></li>
                            }
                        }).collect_view()}
                    </ul>
                </div>
            }
            .into_any(),
        )
    }
}

/// One plan period on one screen: the plan, the period's journal and the checklist side
/// by side, each pane scrolling on its own.
#[component]
fn PeriodReview(
    period: AuditPeriod,
    state: PeriodState,
    assignment: String,
    locked: bool,
    active: RwSignal<u32>,
    prev: Option<u32>,
    next: Option<u32>,
    is_last: bool,
    save: ServerAction<SaveAnswer>,
    judge: ServerAction<SaveJudgement>,
) -> impl IntoView {
    let i18n = use_i18n();
    let n = period.number;
    let heading_id = format!("period-{n}");
    let (plan_id, journal_id, checklist_id) = (
        format!("period-{n}-plan"),
        format!("period-{n}-journal"),
        format!("period-{n}-checklist"),
    );
    // The goal whose entries are shown (`None`: every entry of the period).
    let chosen = RwSignal::new(None::<String>);
    let goal_titles: Vec<(String, String)> = period
        .goals
        .iter()
        .map(|g| (g.goal_id.clone(), g.title.clone()))
        .collect();
    let without: Vec<String> = goal_titles
        .iter()
        .filter(|(id, _)| period.goals_without_entry.contains(id))
        .map(|(_, title)| title.clone())
        .collect();
    let total_entries = period.entries.len();
    let entries = StoredValue::new(period.entries.clone());
    let shown = move || {
        chosen.with(|goal| match goal {
            None => total_entries,
            Some(goal) => entries.with_value(|list| {
                list.iter()
                    .filter(|e| e.goals.iter().any(|(id, _)| id == goal))
                    .count()
            }),
        })
    };
    let chosen_title = {
        let titles = goal_titles.clone();
        move || {
            chosen.with(|goal| {
                goal.as_ref().and_then(|g| {
                    titles
                        .iter()
                        .find(|(id, _)| id == g)
                        .map(|(_, t)| t.clone())
                })
            })
        }
    };
    let judgement = state.judgement;
    let summary = state.summary;
    let save_judgement = {
        let assignment = assignment.clone();
        move || {
            judge.dispatch(SaveJudgement {
                assignment: assignment.clone(),
                period: n,
                judgement: judgement.get_untracked().unwrap_or_default(),
                summary: summary.get_untracked(),
            });
        }
    };
    let sj2 = save_judgement.clone();
    let overall_id = answer_field(n, "overall");
    let period_state = state.clone();
    let answered = move || period_state.answered();
    let total = state.total();
    let go_to = move |to: u32| {
        active.set(to);
        focus_later(format!("period-{to}-checklist-heading"));
    };
    let (heading_ref, plan_ref, journal_ref) =
        (heading_id.clone(), plan_id.clone(), journal_id.clone());
    view! {
        <section class="workbench" aria-labelledby=heading_ref hidden=move || active.get() != n>
            <h2 id=heading_id class="period-heading">
                <PeriodName n />": "{period_dates(period.valid_from, period.valid_to)}
            </h2>
            <section class="pane plan-pane" aria-labelledby=plan_ref>
                <h3 id=plan_id>{t!(i18n, audit.plan_side)}</h3>
                {(n == 0).then(|| view! { <p class="notice">{t!(i18n, audit.no_plan)}</p> })}
                <p class="meta" hidden=n == 0>{match period.client_signed_on {
                    Some(d) => t!(i18n, plan.signed, date = move || d.to_string()).into_any(),
                    None => t!(i18n, plan.unsigned).into_any(),
                }}</p>
                {(!period.client_view.is_empty()).then(|| view! {
                    <p><strong>{t!(i18n, plan.client_view)}": "</strong>{period.client_view.clone()}</p>
                })}
                {if n == 0 {
                    ().into_any()
                } else if period.goals.is_empty() {
                    view! { <p>{t!(i18n, plan.no_goals)}</p> }.into_any()
                } else {
                    view! {
                        <p class="help no-print">{t!(i18n, audit.goal_pick_help)}</p>
                        <ul class="goals pick">
                            {period.goals.clone().into_iter().map(|g| {
                                let missing = period.goals_without_entry.contains(&g.goal_id);
                                let id = g.goal_id.clone();
                                let (id1, id2) = (id.clone(), id.clone());
                                let pressed = move || chosen.with(|c| c.as_deref() == Some(id1.as_str()));
                                let (pressed2, pressed3) = (pressed.clone(), pressed.clone());
                                view! {
                                    <li class:sub-goal=g.parent.is_some() class:chosen=pressed3>
                                        <button type="button" class="goal-pick"
                                            aria-pressed=move || if pressed() { "true" } else { "false" }
                                            on:click=move |_| chosen.update(|c| {
                                                *c = if c.as_deref() == Some(id2.as_str()) { None } else { Some(id2.clone()) };
                                            })>
                                            {g.title}
                                        </button>
                                        {missing.then(|| view! { " "<span class="badge warn">{t!(i18n, audit.goal_no_entry)}</span> })}
                                        {move || pressed2().then(|| view! { " "<span class="badge">{t!(i18n, audit.goal_pick_selected)}</span> })}
                                        <dl class="goal-facts">
                                            <dt>{t!(i18n, plan.what)}</dt><dd>{g.what}</dd>
                                            <dt>{t!(i18n, plan.how)}</dt><dd>{g.how}</dd>
                                            <dt>{t!(i18n, plan.who)}</dt><dd>{g.who}</dd>
                                            <dt>{t!(i18n, plan.by_when)}</dt><dd>{g.by_when.map(|d| d.to_string()).unwrap_or_else(|| "–".to_owned())}</dd>
                                        </dl>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
            <section class="pane journal-pane" aria-labelledby=journal_ref tabindex="0">
                <h3 id=journal_id>{t!(i18n, audit.journal_side)}</h3>
                <div class="findings">
                    {if period.goals.is_empty() {
                        ().into_any()
                    } else if without.is_empty() {
                        view! { <p>{t!(i18n, audit.every_goal_mentioned)}</p> }.into_any()
                    } else {
                        view! {
                            <p>{t!(i18n, audit.goals_without_entry)}</p>
                            <ul>{without.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul>
                        }.into_any()
                    }}
                    {if period.gaps.is_empty() {
                        view! { <p>{t!(i18n, audit.no_gaps)}</p> }.into_any()
                    } else {
                        view! {
                            <p>{t!(i18n, audit.gaps)}</p>
                            <ul>{period.gaps.clone().into_iter().map(|(f, t)| view! {
                                <li>{f.to_string()}" – "{t.to_string()}</li>
                            }).collect_view()}</ul>
                        }.into_any()
                    }}
                </div>
                <p class="filter-line" role="status">
                    {move || match chosen_title() {
                        None => t!(i18n, audit.entries_all, n = move || total_entries).into_any(),
                        Some(goal) => view! {
                            {t!(i18n, audit.entries_for_goal, shown = shown, total = move || total_entries, goal = move || goal.clone())}
                            " "<button type="button" class="link-button" on:click=move |_| chosen.set(None)>
                                {t!(i18n, audit.show_all_entries)}
                            </button>
                        }.into_any(),
                    }}
                </p>
                {if period.entries.is_empty() {
                    view! { <p>{t!(i18n, audit.no_entries)}</p> }.into_any()
                } else {
                    view! {
                        <ol class="entries">
                            {period.entries.clone().into_iter().map(|e| {
                                let ids: Vec<String> = e.goals.iter().map(|(id, _)| id.clone()).collect();
                                let hidden = move || chosen.with(|c| c.as_ref().is_some_and(|g| !ids.contains(g)));
                                view! {
                                    <li class="entry" hidden=hidden>
                                        <p class="entry-head">
                                            <strong>{e.event_date.to_string()}</strong>" · "
                                            <CategoryName category=e.category />" · "{e.author}
                                        </p>
                                        <p class="entry-body">{e.body}</p>
                                        {(!e.goals.is_empty()).then(|| view! {
                                            <p class="entry-goals">{t!(i18n, audit.linked_goals)}": "
                                                {e.goals.iter().map(|(_, t)| t.clone()).collect::<Vec<_>>().join(", ")}
                                            </p>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    }.into_any()
                }}
            </section>
            <section class="pane checklist-pane" aria-labelledby=format!("{checklist_id}-heading")>
                <h3 id=format!("{checklist_id}-heading") tabindex="-1">
                    {t!(i18n, audit.checklist)}" "
                    <small>{t!(i18n, audit.progress_count, answered = answered, total = move || total)}</small>
                </h3>
                {state.questions.clone().into_iter().map(|q| view! {
                    <ItemQuestion q period=n assignment=assignment.clone() locked save />
                }).collect_view()}
                <fieldset class="field question overall" id=overall_id.clone() disabled=locked>
                    <legend>{t!(i18n, audit.overall)}</legend>
                    <div class="choices">
                        {Judgement::ALL.into_iter().map(|j| {
                            let id = format!("{overall_id}-{}", j.as_str());
                            let checked = judgement.get_untracked().as_deref() == Some(j.as_str());
                            let save = save_judgement.clone();
                            view! {
                                <span class="choice">
                                    <input type="radio" id=id.clone() name=overall_id.clone() value=j.as_str() checked=checked
                                        on:change=move |_| { judgement.set(Some(j.as_str().to_owned())); save(); } />
                                    <label for=id>{judgement_label(j)}</label>
                                </span>
                            }
                        }).collect_view()}
                    </div>
                    <label for=format!("{overall_id}-summary")>{t!(i18n, audit.summary)}</label>
                    <textarea id=format!("{overall_id}-summary") rows="2"
                        aria-label=move || t_string!(i18n, audit.overall_summary).to_string()
                        prop:value=move || summary.get()
                        on:input=move |ev| summary.set(event_target_value(&ev))
                        on:change=move |_| sj2()></textarea>
                </fieldset>
                <div class="button-row period-nav no-print">
                    {prev.map(|to| view! {
                        <button type="button" on:click=move |_| go_to(to)>{t!(i18n, audit.prev_period)}</button>
                    })}
                    {next.map(|to| view! {
                        <button type="button" on:click=move |_| go_to(to)>{t!(i18n, audit.next_period)}</button>
                    })}
                    {(is_last && !locked).then(|| view! { <p class="help">{t!(i18n, audit.submit_help)}</p> })}
                </div>
            </section>
        </section>
    }
}

#[component]
fn ItemQuestion(
    q: Question,
    period: u32,
    assignment: String,
    locked: bool,
    save: ServerAction<SaveAnswer>,
) -> impl IntoView {
    let i18n = use_i18n();
    let field = answer_field(period, &q.key);
    let (chosen, comment) = (q.answer, q.comment);
    let key = q.key.clone();
    let dispatch = move || {
        save.dispatch(SaveAnswer {
            assignment: assignment.clone(),
            period,
            item: key.clone(),
            answer: chosen.get_untracked().unwrap_or_default(),
            comment: comment.get_untracked(),
        });
    };
    let on_comment = dispatch.clone();
    let number = q.number;
    let (q1, q2) = (q.clone(), q);
    let legend = move || {
        let text = question_text(&q1);
        t!(
            i18n,
            audit.question_legend,
            n = move || number,
            text = move || text.clone()
        )
    };
    let comment_name = move || {
        let text = question_text(&q2);
        t!(
            i18n,
            audit.question_comment,
            n = move || number,
            text = move || text.clone()
        )
    };
    let comment_id = format!("{field}-comment");
    view! {
        <fieldset class="field question" id=field.clone() disabled=locked>
            <legend>{legend}</legend>
            <div class="choices">
                {Answer::ALL.into_iter().map(|a| {
                    let id = format!("{field}-{}", a.as_str());
                    let checked = chosen.get_untracked().as_deref() == Some(a.as_str());
                    let save = dispatch.clone();
                    view! {
                        <span class="choice">
                            <input type="radio" id=id.clone() name=field.clone() value=a.as_str() checked=checked
                                on:change=move |_| { chosen.set(Some(a.as_str().to_owned())); save(); } />
                            <label for=id>{answer_label(a)}</label>
                        </span>
                    }
                }).collect_view()}
            </div>
            // Named in full ("Fråga 3: … – kommentar") for screen readers; shown as "Kommentar".
            <label for=comment_id.clone() class="comment-label">
                <span class="visually-hidden">{comment_name}</span>
                <span aria-hidden="true">{t!(i18n, audit.comment)}</span>
            </label>
            <textarea id=comment_id rows="2" prop:value=move || comment.get()
                on:input=move |ev| comment.set(event_target_value(&ev))
                on:change=move |_| on_comment()></textarea>
        </fieldset>
    }
}

fn judgement_label(j: Judgement) -> AnyView {
    let i18n = use_i18n();
    match j {
        Judgement::Yes => t!(i18n, audit.answer_yes).into_any(),
        Judgement::Partly => t!(i18n, audit.answer_partly).into_any(),
        Judgement::No => t!(i18n, audit.answer_no).into_any(),
    }
}

fn answer_label(a: Answer) -> AnyView {
    let i18n = use_i18n();
    match a {
        Answer::Yes => t!(i18n, audit.answer_yes).into_any(),
        Answer::Partly => t!(i18n, audit.answer_partly).into_any(),
        Answer::No => t!(i18n, audit.answer_no).into_any(),
        Answer::NotApplicable => t!(i18n, audit.answer_not_applicable).into_any(),
    }
}
