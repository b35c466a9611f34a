//! `/granskning/:assignment`: the reviewer's workbench, one plan period per step.

use super::*;

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
    recommendation: RwSignal<String>,
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
                    recommendation: RwSignal::new(
                        saved.map(|a| a.recommendation.clone()).unwrap_or_default(),
                    ),
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
                            locked active prev next is_last={n == last} save judge earlier=ws.earlier.clone() />
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
    earlier: Option<EarlierFindings>,
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
                {earlier.map(|earlier| view! { <EarlierPanel earlier /> })}
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
    let (chosen, comment, recommendation) = (q.answer, q.comment, q.recommendation);
    let key = q.key.clone();
    let dispatch = move || {
        save.dispatch(SaveAnswer {
            assignment: assignment.clone(),
            period,
            item: key.clone(),
            answer: chosen.get_untracked().unwrap_or_default(),
            comment: comment.get_untracked(),
            recommendation: recommendation.get_untracked(),
        });
    };
    let on_comment = dispatch.clone();
    let on_recommendation = dispatch.clone();
    let number = q.number;
    let (q1, q2, q3) = (q.clone(), q.clone(), q);
    // A "no" or "partly" is a finding: the reviewer may recommend what to do.
    let finding = move || chosen.with(|c| Answer::stored_is_finding(c.as_deref()));
    let recommendation_name = move || {
        let text = question_text(&q3);
        t!(
            i18n,
            audit.question_recommendation,
            n = move || number,
            text = move || text.clone()
        )
    };
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
    let recommendation_id = format!("{field}-recommendation");
    let recommendation_help = format!("{field}-recommendation-help");
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
            <div class="recommendation" hidden=move || !finding()>
                <label for=recommendation_id.clone() class="comment-label">
                    <span class="visually-hidden">{recommendation_name}</span>
                    <span aria-hidden="true">{t!(i18n, audit.recommendation)}</span>
                </label>
                <p class="help" id=recommendation_help.clone()>{t!(i18n, audit.recommendation_help)}</p>
                <textarea id=recommendation_id rows="2" aria-describedby=recommendation_help
                    prop:value=move || recommendation.get()
                    on:input=move |ev| recommendation.set(event_target_value(&ev))
                    on:change=move |_| on_recommendation()></textarea>
            </div>
        </fieldset>
    }
}

/// Last round's findings beside the checklist: this file's, with what was done, and
/// the contact person's other files in numbers. Folded, so the checklist stays first.
#[component]
fn EarlierPanel(earlier: EarlierFindings) -> impl IntoView {
    let i18n = use_i18n();
    let year = earlier.year;
    let count = earlier.this_file.len();
    let text = move |sv: String, en: String| {
        move || match i18n.get_locale() {
            Locale::sv => sv.clone(),
            Locale::en => en.clone(),
        }
    };
    view! {
        <details class="earlier">
            <summary>
                {t!(i18n, audit.earlier_heading, year = move || year)}": "
                {if earlier.file_reviewed {
                    t!(i18n, audit.earlier_count, count = move || count).into_any()
                } else {
                    t!(i18n, audit.earlier_not_reviewed).into_any()
                }}
            </summary>
            {(!earlier.this_file.is_empty()).then(|| view! {
                <ul class="earlier-findings">
                    {earlier.this_file.clone().into_iter().map(|f| {
                        let answer = Answer::parse(&f.answer).map(answer_label);
                        let action = f.action.clone();
                        view! {
                            <li>
                                <p><strong>{text(f.text_sv.clone(), f.text_en.clone())}</strong>" – "{answer}" "
                                    <FindingStatusBadge status=f.status action=action.clone() /></p>
                                <p class="meta">{period_dates(f.period_from, f.period_to)}</p>
                                {(!f.comment.is_empty()).then(|| view! {
                                    <p>{t!(i18n, audit.comment)}": "{f.comment.clone()}</p>
                                })}
                                {(!f.recommendation.is_empty()).then(|| view! {
                                    <p>{t!(i18n, audit.recommendation)}": "{f.recommendation.clone()}</p>
                                })}
                                {action.map(|a| view! {
                                    {(!a.reply.is_empty()).then(|| view! {
                                        <p>{t!(i18n, audit.finding_reply)}": "{a.reply.clone()}</p>
                                    })}
                                    {(!a.action.is_empty()).then(|| view! {
                                        <p>{t!(i18n, audit.finding_action)}": "{a.action.clone()}</p>
                                    })}
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            {(earlier.other_files > 0).then(|| {
                let n = earlier.other_files;
                view! {
                    <p>{t!(i18n, audit.earlier_other, n = move || n)}</p>
                    {if earlier.other_items.is_empty() {
                        view! { <p class="meta">{t!(i18n, audit.earlier_other_none)}</p> }.into_any()
                    } else {
                        view! {
                            <ul>
                                {earlier.other_items.clone().into_iter().map(|c| {
                                    let (findings, done) = (c.findings, c.actions_done);
                                    view! {
                                        <li>{text(c.text_sv.clone(), c.text_en.clone())}" – "
                                            {t!(i18n, audit.earlier_other_row,
                                                findings = move || findings, done = move || done)}</li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                }
            })}
            <p class="help">{t!(i18n, audit.earlier_help)}</p>
        </details>
    }
}
