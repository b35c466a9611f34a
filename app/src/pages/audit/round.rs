//! `/granskning/omgang/:round`: a round as the manager runs it: the pairing while a
//! draft, completion and reminders while published, results, agreement of double
//! reviews, findings and actions, closing and reopening.

use super::*;

/// `/granskning/:round`: the manager's view of one round.
#[component]
pub fn RoundPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let round_id = move || params.read().get("round").unwrap_or_default();
    let redraw = ServerAction::<RedrawRound>::new();
    let status = ServerAction::<SetRoundStatus>::new();
    let remind = ServerAction::<RemindReviewer>::new();
    // Each row's forms (swap, reopen, more time) have their own actions, so a refusal
    // stays at that row's fields; a success bumps this and the round is fetched again.
    let changed = RwSignal::new(0u32);
    let save_item = ServerAction::<SaveChecklistItem>::new();
    let add_item = ServerAction::<AddChecklistItem>::new();
    let remove_item = ServerAction::<RemoveChecklistItem>::new();
    let round = Resource::new(
        move || {
            (
                round_id(),
                redraw.version().get(),
                status.version().get(),
                (changed.get(), remind.version().get()),
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
    let remind_error = action_error(remind);
    let actions = RoundActions {
        redraw,
        status,
        remind,
        changed,
        save_item,
        add_item,
        remove_item,
    };
    view! {
        <Title text=move || t_string!(i18n, audit.title).to_string() />
        <p class="no-print"><a href="/granskning">{t!(i18n, audit.back)}</a></p>
        <ErrorBox error=redraw_error />
        <ErrorBox error=status_error />
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
    remind: ServerAction<RemindReviewer>,
    /// Bumped by a row's form after it succeeded: the round is fetched again.
    changed: RwSignal<u32>,
    save_item: ServerAction<SaveChecklistItem>,
    add_item: ServerAction<AddChecklistItem>,
    remove_item: ServerAction<RemoveChecklistItem>,
}

#[component]
fn RoundSection(view: RoundView, actions: RoundActions) -> impl IntoView {
    let i18n = use_i18n();
    let year = view.year;
    let draft = view.status == RoundStatus::Draft;
    let published = view.status == RoundStatus::Published;
    let csv = data_url("text/csv", &view.results_csv());
    let csv_name = format!("aktgranskning-{year}.csv");
    let closed = view.status == RoundStatus::Closed;
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
            <span><RoundStatusName status=view.status /></span>
            " · "{t!(i18n, audit.due_line, date = move || due_on.to_string())}
            " · "{match sample {
                Some(n) => t!(i18n, audit.scope_sample_n, count = move || u64::from(n)).into_any(),
                None => t!(i18n, audit.scope_all).into_any(),
            }}
            {(seconds > 0).then(|| view! { " · "{t!(i18n, audit.double_line, count = move || seconds as u64)} })}
            {per_reviewer.map(|k| view! { " · "{t!(i18n, audit.per_reviewer_line, count = move || u64::from(k))} })}
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
        {(!draft).then(|| view! { <RoundFindings findings=view.findings.clone() /> })}
        <section class="card" aria-labelledby="pairs-heading">
            <h2 id="pairs-heading">{t!(i18n, audit.pairs)}</h2>
            <p>
                {t!(i18n, audit.pairs_summary, count = move || total as u64, submitted = move || submitted)}
                {(repeats > 0).then(|| view! { " "{t!(i18n, audit.repeats, count = move || repeats as u64)} })}
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
                        <p>{t!(i18n, audit.close_confirm_unsubmitted, count = move || n, total = move || total)}</p>
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
                        // The reviews left are named above: the server closes only when told so.
                        <input type="hidden" name="confirm" value="yes" />
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
            <p>{t!(i18n, audit.agreement_files, count = move || u64::from(files), both = move || both)}</p>
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

#[component]
fn PairRow(
    a: AssignmentRow,
    draft: bool,
    published: bool,
    due_on: chrono::NaiveDate,
    actions: RoundActions,
) -> impl IntoView {
    let i18n = use_i18n();
    let status = a.status();
    let name = match a.client_name.clone() {
        Some(n) => n.into_any(),
        None => t!(i18n, clients.protected).into_any(),
    };
    let label = a.client_name.clone().unwrap_or_default();
    let action = if draft && !a.may_swap_to.is_empty() {
        view! { <SwapForm a=a.clone() label=label.clone() actions /> }.into_any()
    } else if published && a.submitted {
        view! { <ReopenForm a=a.clone() label=label.clone() actions /> }.into_any()
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
                    view! { <ReviewState status overdue=a.overdue /> }.into_any()
                }}
                {a.reopen_reason.clone().map(|r| view! { <br /><small>{t!(i18n, audit.reopened_because)}" "{r}</small> })}
                {until.map(|until| view! { <br /><small>{t!(i18n, audit.extended_until, until = move || until.clone())}</small> })}
            </td>
            <td class="no-print">{action}</td>
        </tr>
    }
}

/// A row form's own server action and its last refusal; a success has the round
/// read again (a refusal leaves the page, and so the message, as it is).
fn row_action<S>(actions: RoundActions) -> (ServerAction<S>, Signal<Option<AppError>>)
where
    S: server_fn::ServerFn<Error = AppError, Output = ()> + Clone + Send + Sync + 'static,
{
    let action = ServerAction::<S>::new();
    Effect::new(move |_| {
        if action.value().with(|v| matches!(v, Some(Ok(())))) {
            actions.changed.update(|n| *n += 1);
        }
    });
    (action, action_error(action))
}

/// "Byt granskare": one file of the draft pairing given to another reviewer, with a
/// reason. A refusal stands at this row's fields.
#[component]
fn SwapForm(a: AssignmentRow, label: String, actions: RoundActions) -> impl IntoView {
    let i18n = use_i18n();
    let (swap, error) = row_action::<SwapReviewer>(actions);
    let prefix = format!("swap-{}-", a.assignment_id);
    let select = format!("{prefix}reviewer");
    let select_error = format!("{select}-error");
    let select_error_ref = select_error.clone();
    let reviewer_problem = move || error.get().and_then(|e| e.problem_for("reviewer"));
    // Every row has these fields: the client's name tells them apart to a screen reader.
    let (for_select, for_reason) = (label.clone(), label.clone());
    view! {
        <details open=move || error.get().is_some()>
            <summary>{t!(i18n, audit.swap)}<span class="visually-hidden">" "{label}</span></summary>
            <ErrorBox error prefix=prefix.clone() />
            <ActionForm action=swap>
                <input type="hidden" name="assignment" value=a.assignment_id.clone() />
                <div class="field" class:has-error=move || reviewer_problem().is_some()>
                    <label for=select.clone()>
                        {t!(i18n, audit.swap_to)}
                        {(!for_select.is_empty()).then(|| view! { <span class="visually-hidden">" – "{for_select}</span> })}
                    </label>
                    {move || reviewer_problem().map(|p| view! {
                        <p class="field-error" id=select_error.clone()><ProblemText problem=p /></p>
                    })}
                    <select id=select name="reviewer" required
                        aria-invalid=move || reviewer_problem().map(|_| "true")
                        aria-describedby=move || reviewer_problem().map(|_| select_error_ref.clone())>
                        {a.may_swap_to.iter().map(|u| view! {
                            <option value=u.username.clone()>{u.display_name.clone()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <Field name="reason" prefix=prefix.clone() label=move || {
                    let client = for_reason.clone();
                    view! { {t!(i18n, audit.reason)}{(!client.is_empty()).then(|| view! { <span class="visually-hidden">" – "{client}</span> })} }
                }
                    required=true maxlength=REASON_INPUT_MAX error />
                <button type="submit">{t!(i18n, audit.swap_submit)}</button>
            </ActionForm>
        </details>
    }
}

/// "Öppna igen": a submitted review of a published round reopened, with a reason. A
/// refusal stands at this row's field.
#[component]
fn ReopenForm(a: AssignmentRow, label: String, actions: RoundActions) -> impl IntoView {
    let i18n = use_i18n();
    let (reopen, error) = row_action::<ReopenReview>(actions);
    let prefix = format!("reopen-{}-", a.assignment_id);
    let for_reason = label.clone();
    view! {
        <details open=move || error.get().is_some()>
            <summary>{t!(i18n, audit.reopen)}<span class="visually-hidden">" "{label}</span></summary>
            <ErrorBox error prefix=prefix.clone() />
            <ActionForm action=reopen>
                <input type="hidden" name="assignment" value=a.assignment_id.clone() />
                <Field name="reason" prefix label=move || {
                    let client = for_reason.clone();
                    view! { {t!(i18n, audit.reason)}{(!client.is_empty()).then(|| view! { <span class="visually-hidden">" – "{client}</span> })} }
                }
                    required=true maxlength=REASON_INPUT_MAX error />
                <button type="submit">{t!(i18n, audit.reopen_submit)}</button>
            </ActionForm>
        </details>
    }
}

/// The longest reason the swap and reopen forms take (the server's limit too).
const REASON_INPUT_MAX: u32 = 300;

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
    let (extend, error) = row_action::<ExtendReview>(actions);
    let days = akta_domain::audit_round::EXTEND_MAX_DAYS;
    let prefix = format!("extend-{}-", a.assignment_id);
    let for_until = label.clone();
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
                    label=move || {
                        let client = for_until.clone();
                        view! { {t!(i18n, audit.extend_label)}{(!client.is_empty()).then(|| view! { <span class="visually-hidden">" – "{client}</span> })} }
                    }
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
    let published = view.status == RoundStatus::Published;
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

/// Every finding of the round's submitted reviews and what the contact persons did
/// about them: open and overdue first.
#[component]
fn RoundFindings(findings: Vec<RoundFinding>) -> impl IntoView {
    let i18n = use_i18n();
    let total = findings.len();
    let open = findings.iter().filter(|f| f.status.is_open()).count();
    let overdue = findings
        .iter()
        .filter(|f| f.status == FindingStatus::Overdue)
        .count();
    view! {
        <section class="card" aria-labelledby="round-findings">
            <h2 id="round-findings">{t!(i18n, audit.round_findings)}</h2>
            {if findings.is_empty() {
                view! { <p>{t!(i18n, audit.round_findings_none)}</p> }.into_any()
            } else {
                view! {
                    <p class="lead">
                        {t!(i18n, audit.round_findings_total, count = move || total)}" · "
                        {t!(i18n, audit.round_findings_open, count = move || open)}" · "
                        {t!(i18n, audit.round_findings_late, count = move || overdue)}
                    </p>
                    <div class="table-scroll">
                    <table class="findings-table">
                        <thead><tr>
                            <th scope="col">{t!(i18n, audit.col_client)}</th>
                            <th scope="col">{t!(i18n, audit.col_contact)}</th>
                            <th scope="col">{t!(i18n, audit.col_item)}</th>
                            <th scope="col">{t!(i18n, audit.col_answer)}</th>
                            <th scope="col">{t!(i18n, audit.recommendation)}</th>
                            <th scope="col">{t!(i18n, audit.finding_action)}</th>
                            <th scope="col">{t!(i18n, audit.col_status)}</th>
                        </tr></thead>
                        <tbody>
                            {findings.into_iter().map(|f| {
                                let name = match f.client_name.clone() {
                                    Some(n) => n.into_any(),
                                    None => t!(i18n, clients.protected).into_any(),
                                };
                                let (sv, en) = (f.text_sv.clone(), f.text_en.clone());
                                let number = f.item_number;
                                let period = f.period;
                                let text = move || match i18n.get_locale() {
                                    Locale::sv => sv.clone(),
                                    Locale::en => en.clone(),
                                };
                                let answer = Answer::parse(&f.answer).map(answer_label);
                                let action = f.action.as_ref().map(|a| a.action.clone()).unwrap_or_default();
                                view! {
                                    <tr>
                                        <td>{name}</td>
                                        <td>{f.contact_person.clone()}</td>
                                        <td>{number}". "{text}<br /><small><PeriodName n=period /></small></td>
                                        <td>{answer}</td>
                                        <td>{f.recommendation.clone()}</td>
                                        <td>{action}</td>
                                        <td><FindingStatusBadge status=f.status action=f.action.clone() /></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}
