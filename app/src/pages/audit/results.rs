//! Submitted reviews read-only, and `/akter/:id/granskning`: the contact person's
//! results of their own file with its findings to follow up.

use super::*;

/// A submitted review, read-only: per plan period the answers, comments and judgement.
#[component]
pub(super) fn ReviewResultView(
    review: ReviewResult,
    heading: AnyView,
    /// On the contact person's page: the file and today, for the findings' forms.
    #[prop(optional)]
    respond: Option<(String, NaiveDate)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let submitted_on = review.submitted_on.to_string();
    let review_id = review.assignment_id.clone();
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
                let findings: Vec<ItemAnswer> = p.answers.iter().filter(|a| a.is_finding()).cloned().collect();
                let with_recommendation = p.answers.iter().any(|a| !a.recommendation.is_empty());
                let respond = respond.clone();
                let review_id = review_id.clone();
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
                            {with_recommendation.then(|| view! { <th scope="col">{t!(i18n, audit.recommendation)}</th> })}
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
                                        {with_recommendation.then(|| view! { <td>{a.recommendation.clone()}</td> })}
                                    </tr>
                                }
                            }).collect_view()}
                            <tr>
                                <th scope="row">{t!(i18n, audit.overall)}</th>
                                <td>{p.judgement.as_deref().and_then(Judgement::parse).map(judgement_label)}</td>
                                <td>{p.summary.clone()}</td>
                                {with_recommendation.then(|| view! { <td></td> })}
                            </tr>
                        </tbody>
                    </table>
                    {respond.filter(|_| !findings.is_empty()).map(|(file, today)| view! {
                        <section class="findings-follow-up" aria-label=move || t_string!(i18n, audit.findings_heading).to_string()>
                            <h4 class="findings-heading">{t!(i18n, audit.findings_heading)}</h4>
                            <p class="help">{t!(i18n, audit.findings_intro)}</p>
                            {findings.into_iter().map(|answer| view! {
                                <FindingForm file=file.clone() review=review_id.clone() period=n answer today />
                            }).collect_view()}
                        </section>
                    })}
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
                        // Newest first: this year's findings are the ones to follow up.
                        r.reviews.into_iter().rev().map(|review| {
                            let year = review.year;
                            let heading = t!(i18n, audit.round_of, year = move || year).into_any();
                            let respond = (r.file_id.clone(), r.today);
                            view! { <ReviewResultView review heading respond /> }
                        }).collect_view().into_any()
                    }}
                }
            })}
        </Transition>
    }
}

/// A finding's answer as a word and where it stands.
#[component]
pub(super) fn FindingStatusBadge(
    status: FindingStatus,
    action: Option<FindingAction>,
) -> impl IntoView {
    let i18n = use_i18n();
    let due = action
        .as_ref()
        .and_then(|a| a.due_on)
        .map(|d| d.to_string())
        .unwrap_or_default();
    let done = action
        .as_ref()
        .and_then(|a| a.done_on)
        .map(|d| d.to_string())
        .unwrap_or_default();
    match status {
        FindingStatus::Unanswered => view! { <span class="badge draft">{t!(i18n, audit.finding_unanswered)}</span> }.into_any(),
        FindingStatus::Replied => view! { <span class="badge">{t!(i18n, audit.finding_replied)}</span> }.into_any(),
        FindingStatus::Planned => view! { <span class="badge">{t!(i18n, audit.finding_planned, date = move || due.clone())}</span> }.into_any(),
        FindingStatus::Overdue => view! { <span class="badge late">{t!(i18n, audit.finding_overdue, date = move || due.clone())}</span> }.into_any(),
        FindingStatus::Done => view! { <span class="badge ok">{t!(i18n, audit.finding_done, date = move || done.clone())}</span> }.into_any(),
    }
}

/// One finding of a submitted review of the user's own file: the question, the
/// reviewer's answer, comment and recommendation, and the contact person's reply and
/// action, saved in place (the page is not fetched again, so the message stays).
#[component]
fn FindingForm(
    file: String,
    review: String,
    period: u32,
    answer: ItemAnswer,
    today: NaiveDate,
) -> impl IntoView {
    let i18n = use_i18n();
    let respond = ServerAction::<RespondToFinding>::new();
    let error = action_error(respond);
    let current = RwSignal::new(answer.action.clone());
    Effect::new(move |_| {
        if let Some(Ok(saved)) = respond.value().get() {
            current.set(Some(saved));
        }
    });
    let saved = move || respond.value().with(|v| matches!(v, Some(Ok(_))));
    let prefix = format!("finding-{review}-{period}-{}-", answer.key);
    let heading_id = format!("{prefix}heading");
    let text = {
        let (sv, en) = (answer.text_sv.clone(), answer.text_en.clone());
        move || match i18n.get_locale() {
            Locale::sv => sv.clone(),
            Locale::en => en.clone(),
        }
    };
    let answer_word = answer
        .answer
        .as_deref()
        .and_then(Answer::parse)
        .map(answer_label);
    let initial = answer.action.clone();
    let reply = initial
        .as_ref()
        .map(|a| a.reply.clone())
        .unwrap_or_default();
    let action = initial
        .as_ref()
        .map(|a| a.action.clone())
        .unwrap_or_default();
    let due_on = initial
        .as_ref()
        .and_then(|a| a.due_on)
        .map(|d| d.to_string());
    let done = initial.as_ref().is_some_and(|a| a.done_on.is_some());
    let done_id = format!("{prefix}done");
    view! {
        <section class="finding card" aria-labelledby=heading_id.clone()>
            <h4 id=heading_id.clone()>{text}" – "{answer_word}" "
                {move || {
                    let action = current.get();
                    let status = FindingStatus::of(action.as_ref(), today);
                    view! { <FindingStatusBadge status action /> }
                }}
            </h4>
            {(!answer.comment.is_empty()).then(|| view! {
                <p><strong>{t!(i18n, audit.comment)}": "</strong>{answer.comment.clone()}</p>
            })}
            {if answer.recommendation.is_empty() {
                view! { <p class="meta">{t!(i18n, audit.no_recommendation)}</p> }.into_any()
            } else {
                view! { <p><strong>{t!(i18n, audit.recommendation)}": "</strong>{answer.recommendation.clone()}</p> }.into_any()
            }}
            <ErrorBox error prefix=prefix.clone() />
            <ActionForm action=respond>
                <input type="hidden" name="file" value=file />
                <input type="hidden" name="review" value=review />
                <input type="hidden" name="finding" value=finding_key(period, &answer.key) />
                <AreaField name="reply" prefix=prefix.clone() rows=2 error value=reply
                    label=move || t!(i18n, audit.finding_reply) />
                <AreaField name="action" prefix=prefix.clone() rows=2 error value=action
                    label=move || t!(i18n, audit.finding_action)
                    help=ViewFn::from(move || t!(i18n, audit.finding_action_help)) />
                <Field name="due_on" kind="date" prefix=prefix.clone() error value=due_on
                    label=move || t!(i18n, audit.finding_due) />
                <p class="field checkbox">
                    <input type="checkbox" id=done_id.clone() name="done" value="on" checked=done />
                    <label for=done_id>{t!(i18n, audit.finding_done_label)}</label>
                </p>
                <div class="button-row">
                    <button type="submit">{t!(i18n, audit.finding_save)}</button>
                    <p role="status" class="saved">{move || saved().then_some(t!(i18n, audit.finding_saved))}</p>
                </div>
            </ActionForm>
        </section>
    }
}
