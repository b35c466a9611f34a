//! The monthly journal review (`/akter/:id/genomgang`) and the monthly report
//! (`/akter/:id/manadsrapport`), each for a month chosen with `?manad=YYYY-MM`.

use crate::api::monthly::{SignReport, SignReview, report_view, review_view};
use crate::components::{AreaField, ErrorBox, Field, ProblemText, action_error, show_result};
use crate::error::AppError;
use crate::i18n::*;
use crate::model::FileHeader;
use crate::model::monthly::{
    MonthChoice, MonthEntryView, PatternsView, ReportPage, ReviewPage, SignedReportView,
};
use crate::pages::file::CategoryName;
use crate::pages::home::ServiceName;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Counts an action's successful runs, so the page reloads after a signature while a
/// refused form keeps what was typed.
fn successes<S>(action: ServerAction<S>) -> RwSignal<u32>
where
    S: server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
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

fn client_title(header: &FileHeader) -> AnyView {
    let i18n = use_i18n();
    match header.client_name.clone() {
        Some(n) => n.into_any(),
        None => view! { <span class="protected">{t!(i18n, home.protected)}</span> }.into_any(),
    }
}

/// The month chooser: a plain GET form, so it works before hydration.
#[component]
fn MonthChooser(months: Vec<MonthChoice>, selected: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Form method="GET" action="" attr:class="filters no-print" attr:aria-label=move || t_string!(i18n, monthly.choose_month).to_string()>
            <div class="field">
                <label for="manad">{t!(i18n, monthly.month)}</label>
                <select id="manad" name="manad">
                    {months.into_iter().map(|m| {
                        let done = m.done;
                        view! {
                            <option value=m.month.clone() selected=m.month == selected>
                                {m.month.clone()}{done.then(|| view! { " – "{t!(i18n, monthly.done_mark)} })}
                            </option>
                        }
                    }).collect_view()}
                </select>
            </div>
            <button type="submit">{t!(i18n, monthly.show)}</button>
        </Form>
    }
}

/// `/akter/:id/genomgang`
#[component]
pub fn ReviewPageView() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let file_id = move || params.read().get("id").unwrap_or_default();
    let month = move || query.read().get("manad").unwrap_or_default();
    let sign = ServerAction::<SignReview>::new();
    let signed = successes(sign);
    let data = Resource::new(
        move || (file_id(), month(), signed.get()),
        |(id, m, _)| review_view(id, m),
    );
    view! {
        <Title text=move || t_string!(i18n, monthly.review_title).to_string() />
        <p class="back"><a href=move || format!("/akter/{}", file_id())>{t!(i18n, plan.back_to_file)}</a></p>
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || show_result(data.get(), move |page: ReviewPage| view! { <Review page sign /> })}
        </Transition>
    }
}

#[component]
fn Review(page: ReviewPage, sign: ServerAction<SignReview>) -> impl IntoView {
    let i18n = use_i18n();
    let header = page.header.clone();
    let file = header.file_id.clone();
    let period = page.period.clone();
    let count = page.entries.len();
    view! {
        <h1>{t!(i18n, monthly.review_title)}" – "{client_title(&header)}</h1>
        {header.closed_on.map(|_| view! { <p class="notice" role="status">{t!(i18n, file.closed_notice)}</p> })}
        <p class="lead">{t!(i18n, monthly.review_intro)}</p>
        <MonthChooser months=page.months.clone() selected=page.month.clone() />
        <p class="period-line"><strong>{t!(i18n, monthly.period)}": "</strong>{period}</p>
        <section aria-labelledby="patterns-heading" class="card patterns">
            <h2 id="patterns-heading">{t!(i18n, monthly.patterns_heading)}</h2>
            <Patterns patterns=page.patterns.clone() />
            <p class="help">{t!(i18n, monthly.patterns_help)}</p>
        </section>
        <section aria-labelledby="month-entries-heading">
            <h2 id="month-entries-heading">{t!(i18n, monthly.entries_heading, count = move || count)}</h2>
            {if page.entries.is_empty() {
                view! { <p>{t!(i18n, monthly.no_entries)}</p> }.into_any()
            } else {
                view! {
                    <p class="help legend">
                        <mark class="declined">{t!(i18n, monthly.legend_declined)}</mark>" "
                        <mark class="change">{t!(i18n, monthly.legend_change)}</mark>
                    </p>
                    <ol class="entries month-entries">
                        {page.entries.clone().into_iter().map(|e| view! { <MonthEntry entry=e /> }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
        {match (page.signed.clone(), page.may_sign) {
            (Some(s), _) => {
                let (who, on) = (s.signed_by.clone(), s.signed_on.to_string());
                view! {
                    <section class="card" aria-labelledby="signed-review-heading">
                        <h2 id="signed-review-heading">{t!(i18n, monthly.signed_review_heading)}</h2>
                        <p class="meta">{t!(i18n, monthly.signed_by, name = move || who.clone(), date = move || on.clone())}</p>
                        <p class="text">{s.body.clone()}</p>
                        <p><a href=format!("/akter/{file}?kategori=monthly_review")>{t!(i18n, monthly.in_journal)}</a></p>
                    </section>
                }.into_any()
            }
            (None, true) => view! { <ReviewForm page=page.clone() action=sign /> }.into_any(),
            (None, false) if header.closed_on.is_none() => view! { <p class="lead">{t!(i18n, monthly.who_may_sign)}</p> }.into_any(),
            (None, false) => ().into_any(),
        }}
    }
}

#[component]
fn Patterns(patterns: PatternsView) -> impl IntoView {
    let i18n = use_i18n();
    if patterns.is_empty() {
        return view! { <p>{t!(i18n, monthly.no_patterns)}</p> }.into_any();
    }
    let dates = |list: &[chrono::NaiveDate]| {
        list.iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let declined = dates(&patterns.declined);
    let changes = dates(&patterns.changes);
    let deviations = dates(&patterns.recurring_deviations);
    let deviation_count = patterns.recurring_deviations.len();
    let goals = patterns.goals_without_entry.join("; ");
    view! {
        <ul class="pattern-list">
            {(!patterns.declined.is_empty()).then(|| view! {
                <li><strong>{t!(i18n, monthly.pattern_declined)}</strong>": "{declined}</li>
            })}
            {(!patterns.changes.is_empty()).then(|| view! {
                <li><strong>{t!(i18n, monthly.pattern_changes)}</strong>": "{changes}</li>
            })}
            {(!patterns.recurring_deviations.is_empty()).then(|| view! {
                <li><strong>{t!(i18n, monthly.pattern_deviations, count = move || deviation_count)}</strong>": "{deviations}</li>
            })}
            {patterns.gaps.into_iter().map(|g| {
                let (from, to, weeks) = (g.from.to_string(), g.to.to_string(), g.weeks);
                view! {
                    <li><strong>{t!(i18n, monthly.pattern_gap)}</strong>": "
                        {t!(i18n, monthly.gap_text, from = move || from.clone(), to = move || to.clone(), count = move || weeks)}</li>
                }
            }).collect_view()}
            {(!patterns.goals_without_entry.is_empty()).then(|| view! {
                <li><strong>{t!(i18n, monthly.pattern_goals)}</strong>": "{goals}</li>
            })}
        </ul>
    }
    .into_any()
}

#[component]
fn MonthEntry(entry: MonthEntryView) -> impl IntoView {
    let i18n = use_i18n();
    let goals = entry.goals.join("; ");
    view! {
        <li class:deviation=entry.recurring_deviation>
            <p class="entry-head">
                {entry.event_date.to_string()}" · "<CategoryName category=entry.category.clone() />" · "{entry.author.clone()}
                {entry.recurring_deviation.then(|| view! { " "<span class="badge warn">{t!(i18n, monthly.recurring_badge)}</span> })}
            </p>
            <p class="entry-body">
                {entry.pieces.into_iter().map(|(text, signal)| match signal.as_deref() {
                    Some("declined") => view! { <mark class="declined">{text}</mark> }.into_any(),
                    Some(_) => view! { <mark class="change">{text}</mark> }.into_any(),
                    None => text.into_any(),
                }).collect_view()}
            </p>
            {(!goals.is_empty()).then(|| view! { <p class="entry-goals">{t!(i18n, journal.goals)}": "{goals.clone()}</p> })}
        </li>
    }
}

#[component]
fn ReviewForm(page: ReviewPage, action: ServerAction<SignReview>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action);
    let file = page.header.file_id.clone();
    let today = page.header.today.to_string();
    let phrasings = page.phrasings.clone();
    let (text, set_text) = signal(String::new());
    let problem = move |field: &'static str| move || error.get().and_then(|e| e.problem_for(field));
    let templates = phrasings.clone();
    // Picking a phrasing puts its text in the box, unless the writer has changed it.
    let pick = move |key: String| {
        let current = text.get_untracked();
        let untouched = current.trim().is_empty() || templates.iter().any(|(_, t)| *t == current);
        if untouched && let Some((_, t)) = templates.iter().find(|(k, _)| *k == key) {
            set_text.set(t.clone());
        }
    };
    view! {
        <section class="card" aria-labelledby="review-form-heading">
            <h2 id="review-form-heading">{t!(i18n, monthly.write_heading)}</h2>
            <ErrorBox error />
            <ActionForm action>
                <input type="hidden" name="file" value=file />
                <input type="hidden" name="month" value=page.month.clone() />
                <fieldset class="field phrasings" id="phrasing" class:has-error=move || problem("phrasing")().is_some()
                    aria-describedby=move || problem("phrasing")().map(|_| "phrasing-error")>
                    <legend>{t!(i18n, monthly.phrasing)}</legend>
                    <p class="help">{t!(i18n, monthly.phrasing_help)}</p>
                    {move || problem("phrasing")().map(|p| view! { <p class="field-error" id="phrasing-error"><ProblemText problem=p /></p> })}
                    {phrasings.into_iter().enumerate().map(|(i, (key, sample))| {
                        let id = format!("phrasing-{key}");
                        let n = i + 1;
                        let pick = pick.clone();
                        let k = key.clone();
                        view! {
                            <div class="check">
                                <input type="radio" id=id.clone() name="phrasing" value=key.clone()
                                    on:change=move |_| pick(k.clone()) />
                                <label for=id>
                                    <strong>{t!(i18n, monthly.phrasing_n, n = move || n)}</strong>" "
                                    {match key.as_str() {
                                        "declined" => t!(i18n, monthly.phrasing_declined).into_any(),
                                        "need_changed" => t!(i18n, monthly.phrasing_need_changed).into_any(),
                                        _ => t!(i18n, monthly.phrasing_nothing_seen).into_any(),
                                    }}
                                    <span class="sample">{sample}</span>
                                </label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="field" class:has-error=move || problem("text")().is_some()>
                    <label for="text">{t!(i18n, monthly.text)}</label>
                    <p class="help" id="text-help">{t!(i18n, monthly.text_help)}</p>
                    {move || problem("text")().map(|p| view! { <p class="field-error" id="text-error"><ProblemText problem=p /></p> })}
                    <textarea id="text" name="text" rows=7 required=true
                        aria-describedby=move || if problem("text")().is_some() { "text-help text-error" } else { "text-help" }
                        aria-invalid=move || problem("text")().map(|_| "true")
                        prop:value=text on:input=move |ev| set_text.set(event_target_value(&ev))></textarea>
                </div>
                <fieldset class="action-fields">
                    <legend>{t!(i18n, monthly.action_legend)}</legend>
                    <p class="help">{t!(i18n, monthly.action_help)}</p>
                    <AreaField name="action_what" label=move || t!(i18n, monthly.action_what) error rows=3 />
                    <div class="two">
                        <Field name="action_when" kind="date" label=move || t!(i18n, monthly.action_when) value=today.clone() error />
                        <AreaField name="action_how" label=move || t!(i18n, monthly.action_how) error rows=2 />
                    </div>
                </fieldset>
                <fieldset class="action-fields">
                    <legend>{t!(i18n, monthly.follow_up_legend)}</legend>
                    <div class="two">
                        <Field name="follow_up_on" kind="date" label=move || t!(i18n, monthly.follow_up_on) error />
                        <AreaField name="follow_up_how" label=move || t!(i18n, monthly.follow_up_how) error rows=2 />
                    </div>
                </fieldset>
                <p class="help">{t!(i18n, monthly.sign_warning)}</p>
                <button type="submit" class="primary">{t!(i18n, monthly.sign_review)}</button>
            </ActionForm>
        </section>
    }
}

/// `/akter/:id/manadsrapport`
#[component]
pub fn ReportPageView() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let file_id = move || params.read().get("id").unwrap_or_default();
    let month = move || query.read().get("manad").unwrap_or_default();
    let sign = ServerAction::<SignReport>::new();
    let signed = successes(sign);
    let data = Resource::new(
        move || (file_id(), month(), signed.get()),
        |(id, m, _)| report_view(id, m),
    );
    view! {
        <Title text=move || t_string!(i18n, monthly.report_title).to_string() />
        <p class="back no-print"><a href=move || format!("/akter/{}", file_id())>{t!(i18n, plan.back_to_file)}</a></p>
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || show_result(data.get(), move |page: ReportPage| view! { <Report page sign /> })}
        </Transition>
    }
}

#[component]
fn Report(page: ReportPage, sign: ServerAction<SignReport>) -> impl IntoView {
    let i18n = use_i18n();
    let header = page.header.clone();
    view! {
        <MonthChooser months=page.months.clone() selected=page.month.clone() />
        {match page.signed.clone() {
            Some(signed) => view! { <SignedReport page=page.clone() signed /> }.into_any(),
            None if page.may_sign => view! { <ReportForm page=page.clone() action=sign /> }.into_any(),
            None => view! {
                <h1>{t!(i18n, monthly.report_title)}" – "{client_title(&header)}</h1>
                <p class="lead">
                    {if header.closed_on.is_some() { t!(i18n, monthly.no_report_closed).into_any() } else { t!(i18n, monthly.who_may_sign).into_any() }}
                </p>
            }.into_any(),
        }}
    }
}

#[component]
fn SignedReport(page: ReportPage, signed: SignedReportView) -> impl IntoView {
    let i18n = use_i18n();
    let header = page.header.clone();
    let (who, on) = (signed.signed_by.clone(), signed.signed_on.to_string());
    let plan = page.plan_period.map(|(n, from)| {
        let from = from.to_string();
        view! { {t!(i18n, plan.period, n = move || n)}" ("{t!(i18n, plan.from, from = move || from.clone())}")" }
    });
    view! {
        <article class="final-report monthly-report" aria-labelledby="report-heading">
            <p class="no-print buttons">
                <button type="button" class="primary" on:click=move |_| { let _ = window().print(); }>{t!(i18n, closing.print)}</button>
            </p>
            <h1 id="report-heading">{t!(i18n, monthly.report_title)}" "{page.month.clone()}</h1>
            <dl class="facts">
                <div><dt>{t!(i18n, file.client)}</dt><dd>{client_title(&header)}</dd></div>
                <div><dt>{t!(i18n, file.number)}</dt><dd>{header.identity_number.clone().unwrap_or_else(|| "********-****".to_owned())}</dd></div>
                <div><dt>{t!(i18n, file.service)}</dt><dd><ServiceName service=header.service_type.clone() />" – "{header.service_granted.clone()}</dd></div>
                <div><dt>{t!(i18n, monthly.period)}</dt><dd>{page.period.clone()}</dd></div>
                <div><dt>{t!(i18n, monthly.plan_evaluated)}</dt><dd>{match plan { Some(p) => p.into_any(), None => t!(i18n, monthly.no_plan).into_any() }}</dd></div>
                <div><dt>{t!(i18n, file.contact_person)}</dt><dd>{header.contact_person.clone()}</dd></div>
                <div><dt>{t!(i18n, monthly.to_secretary)}</dt><dd>{signed.secretary_name.clone()}", "{signed.secretary_unit.clone()}</dd></div>
                <div><dt>{t!(i18n, monthly.client_copy)}</dt><dd>{if signed.client_copy { t!(i18n, follow_up.yes).into_any() } else { t!(i18n, follow_up.no).into_any() }}</dd></div>
            </dl>
            {match signed.evaluation.clone() {
                Some(text) => view! {
                    <h2>{t!(i18n, monthly.evaluation)}</h2>
                    <p class="text">{text}</p>
                }.into_any(),
                None => view! {
                    <h2>{t!(i18n, monthly.goals_heading)}</h2>
                    {page.goals.into_iter().map(|g| view! {
                        <h3>{g.title}</h3>
                        <p class="text">{g.evaluation}</p>
                    }).collect_view()}
                }.into_any(),
            }}
            <h2>{t!(i18n, monthly.events)}</h2>
            <p class="text">{signed.events.clone()}</p>
            <h2>{t!(i18n, monthly.deviation_actions)}</h2>
            <p class="text">{match signed.deviation_actions.clone() {
                Some(text) => text.into_any(),
                None => t!(i18n, monthly.no_deviations).into_any(),
            }}</p>
            <p class="signature">{t!(i18n, monthly.signed_by, name = move || who.clone(), date = move || on.clone())}</p>
        </article>
    }
}

#[component]
fn ReportForm(page: ReportPage, action: ServerAction<SignReport>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action);
    let header = page.header.clone();
    let problem = move |field: String| move || error.get().and_then(|e| e.problem_for(&field));
    let deviations = page.deviations_in_month;
    let period = page.period.clone();
    let copy_problem = move || error.get().and_then(|e| e.problem_for("client_copy"));
    let secretary = format!("{}, {}", header.secretary_name, header.secretary_unit);
    view! {
        <h1>{t!(i18n, monthly.report_title)}" – "{client_title(&header)}</h1>
        <p class="lead">{t!(i18n, monthly.report_intro)}</p>
        <p class="period-line"><strong>{t!(i18n, monthly.period)}": "</strong>{period}</p>
        <ErrorBox error />
        <ActionForm action attr:class="card">
            <input type="hidden" name="file" value=header.file_id.clone() />
            <input type="hidden" name="month" value=page.month.clone() />
            {if page.goals.is_empty() {
                view! {
                    <AreaField name="evaluation" label=move || t!(i18n, monthly.evaluation)
                        help=ViewFn::from(move || t!(i18n, monthly.evaluation_help)) required=true error rows=6 />
                }.into_any()
            } else {
                view! {
                    <fieldset class="action-fields">
                        <legend>{t!(i18n, monthly.goals_heading)}</legend>
                        <p class="help">{t!(i18n, monthly.goals_help)}</p>
                        {page.goals.clone().into_iter().enumerate().map(|(i, g)| {
                            let id = format!("goal-{i}");
                            let p = Signal::derive(problem(id.clone()));
                            let error_id = format!("{id}-error");
                            let error_ref = error_id.clone();
                            view! {
                                <div class="field" class:has-error=move || p.get().is_some()>
                                    <input type="hidden" name=format!("goal_ids[{i}]") value=g.goal_id.clone() />
                                    <label for=id.clone()>{g.title.clone()}</label>
                                    {move || p.get().map(|p| view! { <p class="field-error" id=error_id.clone()><ProblemText problem=p /></p> })}
                                    <textarea id=id.clone() name=format!("evaluations[{i}]") rows=3 required=true
                                        aria-invalid=move || p.get().map(|_| "true")
                                        aria-describedby=move || p.get().map(|_| error_ref.clone())></textarea>
                                </div>
                            }
                        }).collect_view()}
                    </fieldset>
                }.into_any()
            }}
            <AreaField name="events" label=move || t!(i18n, monthly.events)
                help=ViewFn::from(move || t!(i18n, monthly.events_help)) required=true error rows=4 />
            <AreaField name="deviation_actions" label=move || t!(i18n, monthly.deviation_actions)
                help=ViewFn::from(move || if deviations > 0 {
                    t!(i18n, monthly.deviation_actions_required, count = move || deviations).into_any()
                } else {
                    t!(i18n, monthly.deviation_actions_optional).into_any()
                }) required={deviations > 0} error rows=4 />
            <p><strong>{t!(i18n, monthly.to_secretary)}": "</strong>{secretary}</p>
            <fieldset class="field" id="client_copy" class:has-error=move || copy_problem().is_some()
                aria-describedby=move || copy_problem().map(|_| "client_copy-error")>
                <legend>{t!(i18n, monthly.client_copy_question)}</legend>
                {move || copy_problem().map(|p| view! { <p class="field-error" id="client_copy-error"><ProblemText problem=p /></p> })}
                <div class="check">
                    <input type="radio" id="client-copy-yes" name="client_copy" value="yes" />
                    <label for="client-copy-yes">{t!(i18n, monthly.client_copy_yes)}</label>
                </div>
                <div class="check">
                    <input type="radio" id="client-copy-no" name="client_copy" value="no" />
                    <label for="client-copy-no">{t!(i18n, monthly.client_copy_no)}</label>
                </div>
            </fieldset>
            <p class="help">{t!(i18n, monthly.sign_warning_report)}</p>
            <button type="submit" class="primary">{t!(i18n, monthly.sign_report)}</button>
        </ActionForm>
    }
}
