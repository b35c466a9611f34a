//! The duties of the routine: "my work" on the start page, a file's follow-ups,
//! and closing a file with its final report.

use crate::api::duties::{
    BookFollowUp, CloseFile, DocumentFollowUp, SetMonthlyDueDay, closing_view, due_list,
    follow_ups_view,
};
use crate::components::{AreaField, ErrorBox, Field, action_error, show_result, successes};
use crate::i18n::*;
use crate::model::{
    ClosingPage, DueRow, FileHeader, FinalReportView, FollowUpView, FollowUpsPage, IntakeRow,
    MyWork,
};
use crate::pages::home::ServiceName;
use crate::pages::open_intake::IntakeServiceName;
use akta_domain::closing::CloseReason;
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// "My work" (staff) or the unit's duties (manager), on the start page.
#[component]
pub fn MyWorkSection(manager: bool) -> impl IntoView {
    let i18n = use_i18n();
    let save_day = ServerAction::<SetMonthlyDueDay>::new();
    let saved = successes(save_day);
    let work = Resource::new(move || saved.get(), |_| due_list());
    view! {
        <section aria-labelledby="duties-heading" class="duties">
            <h2 id="duties-heading">
                {move || if manager { t!(i18n, duties.unit_heading).into_any() } else { t!(i18n, duties.my_heading).into_any() }}
            </h2>
            <p class="lead">
                {move || if manager { t!(i18n, duties.unit_intro).into_any() } else { t!(i18n, duties.my_intro).into_any() }}
            </p>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || show_result(work.get(), move |work| view! { <WorkView work manager save_day /> })}
            </Transition>
        </section>
    }
}

#[component]
fn WorkView(
    work: MyWork,
    manager: bool,
    save_day: ServerAction<SetMonthlyDueDay>,
) -> impl IntoView {
    let i18n = use_i18n();
    let day = work.monthly_due_day;
    let rules = view! { <p class="help">{t!(i18n, duties.rules, day = move || day)}</p> };
    let setting = manager.then(|| view! { <DueDaySetting day action=save_day /> });
    let reviews = (!work.reviews.is_empty()).then(|| {
        let (rows, today) = (work.reviews.clone(), work.today);
        view! {
            <section class="card" aria-labelledby="my-reviews-heading">
                <h3 id="my-reviews-heading">{t!(i18n, audit.my_reviews_heading)}</h3>
                <crate::pages::audit::MyReviewsTable rows today />
            </section>
        }
    });
    let intakes = (!work.intakes_overstayed.is_empty())
        .then(|| view! { <OverstayedIntakes rows=work.intakes_overstayed.clone() /> });
    let (overdue, soon, files) = (work.total_overdue, work.total_due_soon, work.open_files);
    let shown = work.rows.len() as u64;
    let total = overdue + soon;
    let today = work.today;
    let summary = view! {
        <p class="due-summary" role="status">
            {t!(i18n, duties.summary, overdue = move || overdue, soon = move || soon, files = move || files)}
        </p>
    };
    let staff_table = (manager && !work.per_staff.is_empty()).then(|| {
        let (closed, dropouts) = (work.closed_files, work.dropouts);
        view! {
            <p>{t!(i18n, duties.dropouts, closed = move || closed, dropouts = move || dropouts)}</p>
            <div class="table-wrap">
                <table>
                    <caption>{t!(i18n, duties.per_staff)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, duties.col_staff)}</th>
                            <th scope="col" class="num">{t!(i18n, duties.col_files)}</th>
                            <th scope="col" class="num">{t!(i18n, duties.col_overdue)}</th>
                            <th scope="col" class="num">{t!(i18n, duties.col_soon)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {work.per_staff.into_iter().map(|s| view! {
                            <tr>
                                <th scope="row">{s.name}</th>
                                <td class="num">{s.files}</td>
                                <td class="num">{s.overdue}</td>
                                <td class="num">{s.due_soon}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
    });
    let list = if work.rows.is_empty() {
        view! { <p>{t!(i18n, duties.nothing_due)}</p> }.into_any()
    } else {
        view! {
            <div class="table-wrap">
                <table class="due-list">
                    <caption>{t!(i18n, duties.list_caption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, duties.col_due)}</th>
                            <th scope="col">{t!(i18n, duties.col_duty)}</th>
                            <th scope="col">{t!(i18n, duties.col_client)}</th>
                            {manager.then(|| view! { <th scope="col">{t!(i18n, duties.col_contact)}</th> })}
                            <th scope="col">{t!(i18n, duties.col_status)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {work.rows.into_iter().map(|row| view! { <DueRowView row today manager /> }).collect_view()}
                    </tbody>
                </table>
            </div>
            {(shown < total).then(|| view! { <p class="help">{t!(i18n, duties.truncated, shown = move || shown, total = move || total)}</p> })}
        }
        .into_any()
    };
    view! { {rules} {summary} {staff_table} {list} {reviews} {intakes} {setting} }
}

/// The manager's setting: the day of the next month by which the monthly review and
/// report are due.
#[component]
fn DueDaySetting(day: u32, action: ServerAction<SetMonthlyDueDay>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action);
    view! {
        <section class="card" aria-labelledby="due-day-heading">
            <h3 id="due-day-heading">{t!(i18n, duties.setting_heading)}</h3>
            <p class="help">{t!(i18n, duties.setting_intro)}</p>
            <ErrorBox error prefix="setting-" />
            <ActionForm action>
                <Field name="due_day" kind="number" prefix="setting-" label=move || t!(i18n, duties.due_day)
                    help=ViewFn::from(move || t!(i18n, duties.due_day_help)) value=day.to_string() required=true error />
                <button type="submit" disabled=move || action.pending().get()>{t!(i18n, duties.due_day_save)}</button>
                {move || action.value().get().and_then(Result::ok).map(|_| view! {
                    <span role="status">" "{t!(i18n, duties.due_day_saved)}</span>
                })}
            </ActionForm>
        </section>
    }
}

/// The user's open intakes that have lasted longer than their service (their own only:
/// nobody else may see a registration).
#[component]
fn OverstayedIntakes(rows: Vec<IntakeRow>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section aria-labelledby="overstay-heading" class="notice">
            <h3 id="overstay-heading">{t!(i18n, duties.overstay_heading)}</h3>
            <p>{t!(i18n, duties.overstay_intro)}" "{t!(i18n, open_intake.overstay_rule)}</p>
            <ul>
                {rows.into_iter().map(|r| {
                    let ended = r.ends_by.map(|d| d.to_string()).unwrap_or_default();
                    view! {
                        <li>
                            <a href=format!("/intag/{}", r.id)>{r.pseudonym}</a>
                            " ("<IntakeServiceName service=r.service />", "{r.started_on.to_string()}"): "
                            {t!(i18n, open_intake.overstayed, date = move || ended.clone())}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn DueRowView(row: DueRow, today: NaiveDate, manager: bool) -> impl IntoView {
    let i18n = use_i18n();
    let days = (today - row.due).num_days();
    let link = match row.duty.as_str() {
        "plan" => format!("/akter/{}/plan", row.file_id),
        "first_follow_up" | "next_follow_up" => format!("/akter/{}/uppfoljningar", row.file_id),
        "monthly_review" => format!(
            "/akter/{}/genomgang?manad={}",
            row.file_id,
            row.month.clone().unwrap_or_default()
        ),
        "monthly_report" => format!(
            "/akter/{}/manadsrapport?manad={}",
            row.file_id,
            row.month.clone().unwrap_or_default()
        ),
        _ => format!("/akter/{}", row.file_id),
    };
    view! {
        <tr class:overdue=row.overdue>
            <td class="nowrap">{row.due.to_string()}</td>
            <td><a href=link><DutyName duty=row.duty.clone() month=row.month.clone() /></a></td>
            <td>
                <a href=format!("/akter/{}", row.file_id)>
                    {match row.client_name {
                        Some(name) => view! { {name} }.into_any(),
                        None => view! { <span class="protected">{t!(i18n, home.protected)}</span> }.into_any(),
                    }}
                </a>
            </td>
            {manager.then(|| view! { <td>{row.contact_person.clone()}</td> })}
            <td>
                {if row.overdue {
                    let days = u64::try_from(days).unwrap_or(0);
                    view! { <span class="badge late">{t!(i18n, duties.overdue_days, count = move || days)}</span> }.into_any()
                } else {
                    view! { <span class="badge soon">{t!(i18n, duties.due_soon)}</span> }.into_any()
                }}
                {row.booked_on.map(|d| { let d = d.to_string(); view! { " "<span class="meta">{t!(i18n, duties.booked_on, date = move || d.clone())}</span> } })}
            </td>
        </tr>
    }
}

/// A duty's name, with its month for the monthly ones.
#[component]
pub fn DutyName(duty: String, month: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let name = match duty.as_str() {
        "plan" => t!(i18n, duties.duty_plan).into_any(),
        "first_follow_up" => t!(i18n, duties.duty_first_follow_up).into_any(),
        "next_follow_up" => t!(i18n, duties.duty_next_follow_up).into_any(),
        "weekly_entry" => t!(i18n, duties.duty_weekly_entry).into_any(),
        "monthly_review" => t!(i18n, duties.duty_monthly_review).into_any(),
        "monthly_report" => t!(i18n, duties.duty_monthly_report).into_any(),
        _ => t!(i18n, duties.duty_goal_dialogue).into_any(),
    };
    view! { {name}{month.map(|m| format!(" {m}"))} }
}

/// Counts an action's successful runs. Pages reload on it, so a refused form keeps
/// what the user typed (a reload would empty the fields).
fn reload_on_success<S>(action: ServerAction<S>) -> RwSignal<u32>
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

fn client_title(header: &FileHeader) -> AnyView {
    let i18n = use_i18n();
    match header.client_name.clone() {
        Some(n) => n.into_any(),
        None => view! { <span class="protected">{t!(i18n, home.protected)}</span> }.into_any(),
    }
}

/// `/akter/:id/uppfoljningar`: book and document follow-ups.
#[component]
pub fn FollowUpsPageView() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let file_id = move || params.read().get("id").unwrap_or_default();
    let book = ServerAction::<BookFollowUp>::new();
    let document = ServerAction::<DocumentFollowUp>::new();
    let saved = reload_on_success(book);
    let documented = reload_on_success(document);
    let data = Resource::new(
        move || (file_id(), saved.get(), documented.get()),
        |(id, _, _)| follow_ups_view(id),
    );
    view! {
        <Title text=move || t_string!(i18n, follow_up.title).to_string() />
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || show_result(data.get(), move |page: FollowUpsPage| view! { <FollowUps page book document /> })}
        </Transition>
    }
}

#[component]
fn FollowUps(
    page: FollowUpsPage,
    book: ServerAction<BookFollowUp>,
    document: ServerAction<DocumentFollowUp>,
) -> impl IntoView {
    let i18n = use_i18n();
    let header = page.header.clone();
    let file = header.file_id.clone();
    let today = header.today;
    let pending = page
        .follow_ups
        .iter()
        .find(|f| f.held_on.is_none())
        .cloned();
    let revised_now = move || matches!(document.value().get(), Some(Ok(true)));
    let plan_link = format!("/akter/{file}/plan");
    let may_write = page.may_write;
    view! {
        <p class="back"><a href=format!("/akter/{file}")>{t!(i18n, plan.back_to_file)}</a></p>
        <h1>{t!(i18n, follow_up.title)}" – "{client_title(&header)}</h1>
        {header.closed_on.map(|_| view! { <p class="notice" role="status">{t!(i18n, file.closed_notice)}</p> })}
        {if page.plan_needed {
            view! { <p class="lead">{t!(i18n, follow_up.rule)}</p> }.into_any()
        } else {
            view! { <p class="notice">{t!(i18n, follow_up.not_needed)}</p> }.into_any()
        }}
        {
            let plan_link = plan_link.clone();
            move || revised_now().then(|| view! {
                <div class="notice" role="status">
                    <p>{t!(i18n, follow_up.documented_revise)}</p>
                    <p><a href=plan_link.clone() class="button">{t!(i18n, follow_up.start_revision)}</a></p>
                </div>
            })
        }
        {match pending.clone() {
            Some(p) if may_write => view! { <DocumentForm file=file.clone() follow_up=p today action=document /> }.into_any(),
            _ => ().into_any(),
        }}
        {(may_write && page.plan_needed && pending.is_none()).then(|| view! { <BookForm file=file.clone() today action=book /> })}
        <section aria-labelledby="follow-up-list-heading">
            <h2 id="follow-up-list-heading">{t!(i18n, follow_up.list)}</h2>
            {if page.follow_ups.is_empty() {
                view! { <p>{t!(i18n, follow_up.none)}</p> }.into_any()
            } else {
                let show_revision = may_write;
                view! {
                    <ol class="follow-ups">
                        {page.follow_ups.into_iter().rev().map(|f| view! { <FollowUpItem f plan_link=plan_link.clone() show_revision /> }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn FollowUpItem(f: FollowUpView, plan_link: String, show_revision: bool) -> impl IntoView {
    let i18n = use_i18n();
    let planned = f.planned_on.to_string();
    let booked_by = f.booked_by.clone();
    view! {
        <li class="card">
            {match f.held_on {
                Some(held) => {
                    let held = held.to_string();
                    let who = f.documented_by.clone().unwrap_or_default();
                    view! {
                        <h3>{t!(i18n, follow_up.held_heading, date = move || held.clone())}</h3>
                        <p class="meta">{t!(i18n, follow_up.documented_by, name = move || who.clone())}</p>
                        <dl class="report">
                            <dt>{t!(i18n, follow_up.participants)}</dt><dd>{f.participants.clone().unwrap_or_default()}</dd>
                            <dt>{t!(i18n, follow_up.outcome)}</dt><dd class="text">{f.outcome.clone().unwrap_or_default()}</dd>
                            <dt>{t!(i18n, follow_up.plan_revised)}</dt>
                            <dd>
                                {if f.plan_revised == Some(true) {
                                    view! {
                                        {t!(i18n, follow_up.yes)}
                                        {show_revision.then(|| view! { " · "<a href=plan_link.clone()>{t!(i18n, follow_up.start_revision)}</a> })}
                                    }.into_any()
                                } else {
                                    t!(i18n, follow_up.no).into_any()
                                }}
                            </dd>
                        </dl>
                    }.into_any()
                }
                None => view! {
                    <h3>{t!(i18n, follow_up.booked_heading, date = move || planned.clone())}</h3>
                    <p class="meta">{t!(i18n, follow_up.booked_by, name = move || booked_by.clone())}</p>
                }.into_any(),
            }}
        </li>
    }
}

#[component]
fn BookForm(file: String, today: NaiveDate, action: ServerAction<BookFollowUp>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action);
    view! {
        <section class="card" aria-labelledby="book-heading">
            <h2 id="book-heading">{t!(i18n, follow_up.book)}</h2>
            <ErrorBox error prefix="book-" />
            <ActionForm action>
                <input type="hidden" name="file" value=file />
                <Field name="planned_on" kind="date" prefix="book-" label=move || t!(i18n, follow_up.planned_on)
                    help=ViewFn::from(move || t!(i18n, follow_up.planned_on_help)) value=today.to_string() required=true error />
                <button type="submit" class="primary">{t!(i18n, follow_up.book)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn DocumentForm(
    file: String,
    follow_up: FollowUpView,
    today: NaiveDate,
    action: ServerAction<DocumentFollowUp>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action);
    let planned = follow_up.planned_on.to_string();
    let held_default = follow_up.planned_on.min(today).to_string();
    let revised_problem = move || error.get().and_then(|e| e.problem_for("plan_revised"));
    view! {
        <section class="card" aria-labelledby="document-heading">
            <h2 id="document-heading">{t!(i18n, follow_up.document)}</h2>
            <p class="help">{t!(i18n, follow_up.document_help, date = move || planned.clone())}</p>
            <ErrorBox error prefix="doc-" />
            <ActionForm action>
                <input type="hidden" name="file" value=file />
                <input type="hidden" name="follow_up" value=follow_up.follow_up_id.clone() />
                <Field name="held_on" kind="date" prefix="doc-" label=move || t!(i18n, follow_up.held_on)
                    value=held_default required=true error />
                <Field name="participants" prefix="doc-" label=move || t!(i18n, follow_up.participants)
                    help=ViewFn::from(move || t!(i18n, follow_up.participants_help)) required=true error />
                <AreaField name="outcome" prefix="doc-" label=move || t!(i18n, follow_up.outcome)
                    help=ViewFn::from(move || t!(i18n, follow_up.outcome_help)) required=true error rows=6 />
                <fieldset class="field" id="doc-plan_revised" class:has-error=move || revised_problem().is_some()
                    aria-describedby=move || revised_problem().map(|_| "doc-plan_revised-error")>
                    <legend>{t!(i18n, follow_up.plan_revised)}</legend>
                    {move || revised_problem().map(|p| view! { <p class="field-error" id="doc-plan_revised-error"><crate::components::ProblemText problem=p /></p> })}
                    <div class="check">
                        <input type="radio" id="doc-revised-yes" name="plan_revised" value="yes" />
                        <label for="doc-revised-yes">{t!(i18n, follow_up.yes_revise)}</label>
                    </div>
                    <div class="check">
                        <input type="radio" id="doc-revised-no" name="plan_revised" value="no" />
                        <label for="doc-revised-no">{t!(i18n, follow_up.no_keep)}</label>
                    </div>
                </fieldset>
                <button type="submit" class="primary">{t!(i18n, follow_up.save_document)}</button>
            </ActionForm>
        </section>
    }
}

/// `/akter/:id/avslut`: the closing form, or the final report of a closed file.
#[component]
pub fn ClosingPageView() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let file_id = move || params.read().get("id").unwrap_or_default();
    let close = ServerAction::<CloseFile>::new();
    let closed = reload_on_success(close);
    let data = Resource::new(
        move || (file_id(), closed.get()),
        |(id, _)| closing_view(id),
    );
    view! {
        <Title text=move || t_string!(i18n, closing.title).to_string() />
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || show_result(data.get(), move |page: ClosingPage| view! { <Closing page close /> })}
        </Transition>
    }
}

#[component]
fn Closing(page: ClosingPage, close: ServerAction<CloseFile>) -> impl IntoView {
    let i18n = use_i18n();
    let header = page.header.clone();
    let file = header.file_id.clone();
    view! {
        <p class="back no-print"><a href=format!("/akter/{file}")>{t!(i18n, plan.back_to_file)}</a></p>
        {match page.report.clone() {
            Some(report) => view! { <FinalReport header=header.clone() report /> }.into_any(),
            None if page.may_close => view! { <CloseForm header=header.clone() plan_signed_on=page.plan_signed_on action=close /> }.into_any(),
            None => view! {
                <h1>{t!(i18n, closing.title)}" – "{client_title(&header)}</h1>
                <p class="lead">{if header.closed_on.is_some() { t!(i18n, closing.no_report).into_any() } else { t!(i18n, closing.who_may_close).into_any() }}</p>
            }.into_any(),
        }}
    }
}

#[component]
fn ReasonName(reason: String) -> impl IntoView {
    let i18n = use_i18n();
    match CloseReason::parse(&reason) {
        Some(CloseReason::Completed) => t!(i18n, closing.reason_completed).into_any(),
        Some(CloseReason::ClientEnded) => t!(i18n, closing.reason_client_ended).into_any(),
        Some(CloseReason::AssignmentEnded) => t!(i18n, closing.reason_assignment_ended).into_any(),
        Some(CloseReason::Moved) => t!(i18n, closing.reason_moved).into_any(),
        Some(CloseReason::Other) | None => t!(i18n, closing.reason_other).into_any(),
    }
}

#[component]
fn FinalReport(header: FileHeader, report: FinalReportView) -> impl IntoView {
    let i18n = use_i18n();
    let period = format!("{} – {}", header.started_on, report.closed_on);
    let written = report.written_on.to_string();
    let author = report.written_by.clone();
    view! {
        <article class="final-report" aria-labelledby="report-heading">
            <p class="no-print buttons">
                <button type="button" class="primary" on:click=move |_| { let _ = window().print(); }>{t!(i18n, closing.print)}</button>
            </p>
            <h1 id="report-heading">{t!(i18n, closing.report_title)}</h1>
            <dl class="facts">
                <div><dt>{t!(i18n, file.client)}</dt><dd>{client_title(&header)}</dd></div>
                <div><dt>{t!(i18n, file.number)}</dt><dd>{header.identity_number.clone().unwrap_or_else(|| "********-****".to_owned())}</dd></div>
                <div><dt>{t!(i18n, file.service)}</dt><dd><ServiceName service=header.service_type.clone() />" – "{header.service_granted.clone()}</dd></div>
                <div><dt>{t!(i18n, closing.period)}</dt><dd>{period}</dd></div>
                <div><dt>{t!(i18n, file.contact_person)}</dt><dd>{header.contact_person.clone()}</dd></div>
                <div><dt>{t!(i18n, file.secretary)}</dt><dd>{header.secretary_name.clone()}", "{header.secretary_unit.clone()}</dd></div>
                <div><dt>{t!(i18n, closing.reason)}</dt><dd><ReasonName reason=report.close_reason.clone() /></dd></div>
                <div><dt>{t!(i18n, closing.dropout)}</dt><dd>{if report.dropout { t!(i18n, follow_up.yes).into_any() } else { t!(i18n, follow_up.no).into_any() }}</dd></div>
            </dl>
            <h2>{t!(i18n, closing.treatment)}</h2>
            <p class="text">{report.treatment.clone()}</p>
            <h2>{t!(i18n, closing.outcome)}</h2>
            <p class="text">{report.outcome.clone()}</p>
            <h2>{t!(i18n, closing.client_view_ending)}</h2>
            <p class="text">{report.client_view_ending.clone()}</p>
            <h2>{t!(i18n, closing.client_view_service)}</h2>
            <p class="text">{report.client_view_service.clone()}</p>
            <p class="signature">{t!(i18n, closing.written_by, name = move || author.clone(), date = move || written.clone())}</p>
        </article>
    }
}

#[component]
fn CloseForm(
    header: FileHeader,
    plan_signed_on: Option<NaiveDate>,
    action: ServerAction<CloseFile>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action);
    let file = header.file_id.clone();
    let reason_problem = move || error.get().and_then(|e| e.problem_for("reason"));
    let started = header.started_on.to_string();
    view! {
        <h1>{t!(i18n, closing.title)}" – "{client_title(&header)}</h1>
        <p class="lead">{t!(i18n, closing.intro, started = move || started.clone())}</p>
        <p class="help">
            {match plan_signed_on {
                Some(d) => { let d = d.to_string(); t!(i18n, closing.plan_signed, date = move || d.clone()).into_any() }
                None => t!(i18n, closing.no_plan_signed).into_any(),
            }}
        </p>
        <ErrorBox error />
        <ActionForm action attr:class="card">
            <input type="hidden" name="file" value=file />
            <Field name="closed_on" kind="date" label=move || t!(i18n, closing.closed_on)
                value=header.today.to_string() required=true error />
            <div class="field" class:has-error=move || reason_problem().is_some()>
                <label for="reason">{t!(i18n, closing.reason)}</label>
                <p class="help" id="reason-help">{t!(i18n, closing.reason_help)}</p>
                {move || reason_problem().map(|p| view! { <p class="field-error" id="reason-error"><crate::components::ProblemText problem=p /></p> })}
                <select id="reason" name="reason" required=true
                    aria-invalid=move || reason_problem().map(|_| "true")
                    aria-describedby=move || if reason_problem().is_some() { "reason-help reason-error" } else { "reason-help" }>
                    <option value="">{t!(i18n, closing.choose)}</option>
                    {CloseReason::ALL.into_iter().map(|r| view! {
                        <option value=r.as_str()><ReasonName reason=r.as_str().to_owned() /></option>
                    }).collect_view()}
                </select>
            </div>
            <AreaField name="treatment" label=move || t!(i18n, closing.treatment)
                help=ViewFn::from(move || t!(i18n, closing.treatment_help)) required=true error rows=5 />
            <AreaField name="outcome" label=move || t!(i18n, closing.outcome)
                help=ViewFn::from(move || t!(i18n, closing.outcome_help)) required=true error rows=5 />
            <AreaField name="client_view_ending" label=move || t!(i18n, closing.client_view_ending) required=true error rows=3 />
            <AreaField name="client_view_service" label=move || t!(i18n, closing.client_view_service) required=true error rows=3 />
            <p class="help">{t!(i18n, closing.read_only_warning)}</p>
            <button type="submit" class="primary">{t!(i18n, closing.submit)}</button>
        </ActionForm>
    }
}
