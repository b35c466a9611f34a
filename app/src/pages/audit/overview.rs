//! `/granskning`: the user's own reviews and audited files; for the manager the
//! rounds, the form to open one, the unit's setting and results year by year.

use super::*;

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
                            <th scope="col">{t!(i18n, audit.findings_heading)}</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|r| {
                                let open = r.open_findings;
                                let name = match r.client_name {
                                    Some(n) => n.into_any(),
                                    None => t!(i18n, clients.protected).into_any(),
                                };
                                view! {
                                    <tr>
                                        <td><a href=format!("/akter/{}/granskning", r.file_id)>{name}</a></td>
                                        <td>{r.year}</td>
                                        <td class="nowrap">{r.submitted_on.to_string()}</td>
                                        <td>{(open > 0).then(|| view! {
                                            <span class="badge warn">{t!(i18n, audit.findings_open, count = move || open)}</span>
                                        })}</td>
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
                    let status = r.status();
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
                                <ReviewState status overdue />
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
    // The reviewers' own problem or the draw's: both are shown at the reviewers.
    let reviewers_refused = move || problem("reviewers")().is_some() || pairing_error().is_some();
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
                                    <td><RoundStatusName status=r.status /></td>
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
                <fieldset class="field co-workers" id="reviewers"
                    class:has-error=reviewers_refused
                    aria-describedby=move || reviewers_refused().then_some("reviewers-error")>
                    <legend>{t!(i18n, audit.reviewers)}</legend>
                    <p class="help">{t!(i18n, audit.reviewers_help)}</p>
                    <div id="reviewers-error">
                        {move || problem("reviewers")().map(|p| view! {
                            <p class="field-error"><ProblemText problem=p /></p>
                        })}
                        {move || pairing_error().map(|problem| view! {
                            <p class="field-error"><crate::components::PairingText problem /></p>
                        })}
                    </div>
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
