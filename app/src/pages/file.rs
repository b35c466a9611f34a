//! A case file: who and what, the plan periods, and the journal — read it,
//! filter it, write entries (drafts save themselves), sign, correct.

use crate::api::journal::{CorrectEntry, DiscardDraft, SaveDraft, SignEntry, journal_view};
use crate::components::{ErrorText, ProblemText, show_result};
use crate::error::AppError;
use crate::i18n::*;
use crate::model::{EntryView, FileHeader, FileJournal, GoalView, JournalFilter, PeriodView};
use crate::pages::home::ServiceName;
use akta_domain::journal::EntryCategory;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};
use std::time::Duration;

#[component]
pub fn FilePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let file_id = move || params.read().get("id").unwrap_or_default();
    let filter = move || {
        let q = query.read();
        JournalFilter {
            category: q.get("kategori").filter(|s| !s.is_empty()),
            goal: q.get("mal").filter(|s| !s.is_empty()),
            period: q.get("period").and_then(|s| s.parse().ok()),
            page: q
                .get("sida")
                .and_then(|s| s.parse::<u64>().ok())
                .unwrap_or(1)
                .max(1)
                - 1,
        }
    };
    // Bumped whenever an entry is signed, corrected or discarded.
    let changed = RwSignal::new(0u32);
    // What the editor last did (signed, discarded, restored); kept here because a
    // finished action reloads the file view and with it the editor.
    let notice = RwSignal::new(None::<&'static str>);
    // Set by a sign or discard; the rebuilt editor moves focus to its message once.
    let focus_notice = RwSignal::new(false);
    // Set by a correction: the rebuilt list moves focus to the new entry once.
    provide_context(FocusEntry(RwSignal::new(None)));
    let view_data = Resource::new(
        move || (file_id(), filter(), changed.get()),
        |(id, f, _)| journal_view(id, f),
    );
    view! {
        <Title text=move || t_string!(i18n, file.title).to_string() />
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || show_result(view_data.get(), move |data: FileJournal| view! { <FileView data changed notice focus_notice filter=filter() /> })}
        </Transition>
    }
}

#[component]
fn FileView(
    data: FileJournal,
    changed: RwSignal<u32>,
    notice: RwSignal<Option<&'static str>>,
    focus_notice: RwSignal<bool>,
    filter: JournalFilter,
) -> impl IntoView {
    let i18n = use_i18n();
    let header = data.header.clone();
    view! {
        <FileHead header=header.clone() />
        {header.closed_on.map(|_| view! { <p class="notice" role="status">{t!(i18n, file.closed_notice)}</p> })}
        <p class="file-links">
            <a href=format!("/akter/{}/plan", header.file_id)>{t!(i18n, plan.open)}</a>
            " · "
            <a href=format!("/akter/{}/team", header.file_id)>{t!(i18n, team.title)}</a>
            " · "
            <a href=format!("/akter/{}/uppfoljningar", header.file_id)>{t!(i18n, follow_up.title)}</a>
            " · "
            <a href=format!("/avvikelser?status=all&akt={}", header.file_id)>{t!(i18n, deviations.title)}</a>
            " · "
            <a href=format!("/akter/{}/genomgang", header.file_id)>{t!(i18n, monthly.open_review)}</a>
            " · "
            <a href=format!("/akter/{}/manadsrapport", header.file_id)>{t!(i18n, monthly.open_report)}</a>
            " · "
            <a href=format!("/akter/{}/avslut", header.file_id)>
                {if header.closed_on.is_some() { t!(i18n, closing.report_title).into_any() } else { t!(i18n, closing.title).into_any() }}
            </a>
        </p>
        <PlanPeriods periods=data.periods.clone() />
        <section aria-labelledby="journal-heading">
            <h2 id="journal-heading">{t!(i18n, journal.title)}</h2>
            {if data.may_write {
                view! { <Editor file_id=header.file_id.clone() today=header.today periods=data.periods.clone() drafts=data.drafts.clone() changed notice focus_notice /> }.into_any()
            } else if header.closed_on.is_none() {
                view! { <p class="lead">{t!(i18n, journal.may_not_write)}</p> }.into_any()
            } else {
                ().into_any()
            }}
            <Filters periods=data.periods.clone() filter=filter.clone() />
            <EntryList data filter changed />
        </section>
    }
}

#[component]
fn FileHead(header: FileHeader) -> impl IntoView {
    let i18n = use_i18n();
    let name = header.client_name.clone();
    view! {
        <h1>
            {match name {
                Some(n) => n.into_any(),
                None => view! { <span class="protected">{t!(i18n, home.protected)}</span> }.into_any(),
            }}
        </h1>
        <dl class="facts">
            <div><dt>{t!(i18n, file.number)}</dt><dd>{header.identity_number.clone().unwrap_or_else(|| "********-****".to_owned())}</dd></div>
            <div><dt>{t!(i18n, file.service)}</dt><dd><ServiceName service=header.service_type.clone() />" – "{header.service_granted.clone()}</dd></div>
            <div><dt>{t!(i18n, file.started)}</dt><dd>{header.started_on.to_string()}</dd></div>
            {header.closed_on.map(|d| view! { <div><dt>{t!(i18n, file.closed)}</dt><dd>{d.to_string()}</dd></div> })}
            <div><dt>{t!(i18n, file.contact_person)}</dt><dd>{header.contact_person.clone()}</dd></div>
            <div><dt>{t!(i18n, file.co_workers)}</dt><dd>{if header.co_workers.is_empty() { "—".to_owned() } else { header.co_workers.join(", ") }}</dd></div>
            <div><dt>{t!(i18n, file.secretary)}</dt><dd>{header.secretary_name.clone()}", "{header.secretary_unit.clone()}</dd></div>
        </dl>
    }
}

#[component]
fn PlanPeriods(periods: Vec<PeriodView>) -> impl IntoView {
    let i18n = use_i18n();
    if periods.is_empty() {
        return view! {
            <section aria-labelledby="plan-heading"><h2 id="plan-heading">{t!(i18n, plan.title)}</h2><p>{t!(i18n, plan.no_plan)}</p></section>
        }
        .into_any();
    }
    let last = periods.len();
    view! {
        <section aria-labelledby="plan-heading">
            <h2 id="plan-heading">{t!(i18n, plan.title)}</h2>
            {periods.into_iter().map(|p| {
                let current = p.number as usize == last;
                view! { <Period period=p open=current /> }
            }).collect_view()}
        </section>
    }
    .into_any()
}

#[component]
fn Period(period: PeriodView, open: bool) -> impl IntoView {
    let i18n = use_i18n();
    let n = period.number;
    let from = period.valid_from.to_string();
    let range = match period.valid_to {
        Some(to) => {
            let (from, to) = (from.clone(), to.to_string());
            t!(
                i18n,
                plan.from_to,
                from = move || from.clone(),
                to = move || to.clone()
            )
            .into_any()
        }
        None if period.in_force => {
            let from = from.clone();
            view! { {t!(i18n, plan.from, from = move || from.clone())}" ("{t!(i18n, plan.in_force)}")" }.into_any()
        }
        // Signed, starting on a later day: the period before it is in force until then.
        None => {
            let from = from.clone();
            view! { {t!(i18n, plan.not_yet, from = move || from.clone())} }.into_any()
        }
    };
    let signed = match period.client_signed_on {
        Some(d) => {
            let d = d.to_string();
            t!(i18n, plan.signed, date = move || d.clone()).into_any()
        }
        None => view! { <strong>{t!(i18n, plan.unsigned)}</strong> }.into_any(),
    };
    view! {
        <details class="period card" open=open>
            <summary><strong>{t!(i18n, plan.period, n = move || n)}</strong>", "{range}" · "{signed}</summary>
            <ul class="goals">
                {period.goals.into_iter().map(|g| view! { <GoalItem goal=g /> }).collect_view()}
            </ul>
        </details>
    }
}

#[component]
fn GoalItem(goal: GoalView) -> impl IntoView {
    let i18n = use_i18n();
    let sub = goal.parent.is_some();
    view! {
        <li class:sub-goal=sub>
            <p class="goal-title">
                {sub.then(|| view! { <span class="tag">{t!(i18n, plan.sub_goal)}</span>" " })}
                <strong>{goal.title.clone()}</strong>
            </p>
            <p class="goal-detail">
                <span>{t!(i18n, plan.what)}": "{goal.what.clone()}</span>" · "
                <span>{t!(i18n, plan.how)}": "{goal.how.clone()}</span>" · "
                <span>{t!(i18n, plan.who)}": "{goal.who.clone()}</span>
                {goal.by_when.map(|d| view! { " · "<span>{t!(i18n, plan.by_when)}": "{d.to_string()}</span> })}
            </p>
        </li>
    }
}

#[component]
pub fn CategoryName(category: String) -> impl IntoView {
    let i18n = use_i18n();
    match EntryCategory::parse(&category) {
        Some(EntryCategory::Event) => t!(i18n, category.event).into_any(),
        Some(EntryCategory::Deviation) => t!(i18n, category.deviation).into_any(),
        Some(EntryCategory::PlanChange) => t!(i18n, category.plan_change).into_any(),
        Some(EntryCategory::Meeting) => t!(i18n, category.meeting).into_any(),
        Some(EntryCategory::FollowUp) => t!(i18n, category.follow_up).into_any(),
        Some(EntryCategory::GoalDialogue) => t!(i18n, category.goal_dialogue).into_any(),
        Some(EntryCategory::MonthlyReview) => t!(i18n, monthly.category).into_any(),
        Some(EntryCategory::WeeklyNote) | None => t!(i18n, category.weekly_note).into_any(),
    }
}

#[component]
fn Filters(periods: Vec<PeriodView>, filter: JournalFilter) -> impl IntoView {
    let i18n = use_i18n();
    let goals: Vec<(String, String, u32)> = periods
        .iter()
        .flat_map(|p| {
            p.goals
                .iter()
                .filter(|g| g.parent.is_none())
                .map(move |g| (g.goal_id.clone(), g.title.clone(), p.number))
        })
        .collect();
    let selected_category = filter.category.clone().unwrap_or_default();
    let selected_goal = filter.goal.clone().unwrap_or_default();
    let selected_period = filter.period;
    view! {
        <Form method="GET" action="" attr:class="filters" attr:aria-label=move || t_string!(i18n, journal.filter).to_string()>
            <div class="field">
                <label for="kategori">{t!(i18n, journal.category)}</label>
                <select id="kategori" name="kategori">
                    <option value="">{t!(i18n, journal.all)}</option>
                    {EntryCategory::ALL.into_iter().map(|c| view! {
                        <option value=c.as_str() selected=selected_category == c.as_str()><CategoryName category=c.as_str().to_owned() /></option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="period">{t!(i18n, journal.period)}</label>
                <select id="period" name="period">
                    <option value="">{t!(i18n, journal.all)}</option>
                    {periods.iter().map(|p| { let n = p.number; view! {
                        <option value=n.to_string() selected=selected_period == Some(n)>{t!(i18n, plan.period, n = move || n)}</option>
                    }}).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="mal">{t!(i18n, journal.goal)}</label>
                <select id="mal" name="mal">
                    <option value="">{t!(i18n, journal.all)}</option>
                    {goals.into_iter().map(|(id, title, n)| view! {
                        <option value=id.clone() selected=selected_goal == id>{title}" ("{n}")"</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit">{t!(i18n, journal.apply)}</button>
        </Form>
    }
}

#[component]
fn EntryList(data: FileJournal, filter: JournalFilter, changed: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let page = data.entries;
    if page.rows.is_empty() {
        return view! { <p>{t!(i18n, journal.no_entries)}</p> }.into_any();
    }
    let (from, to, total) = (page.first_shown(), page.last_shown(), page.total);
    let link = move |n: u64| {
        let mut parts = vec![format!("sida={n}")];
        if let Some(c) = &filter.category {
            parts.push(format!("kategori={c}"));
        }
        if let Some(g) = &filter.goal {
            parts.push(format!("mal={g}"));
        }
        if let Some(p) = filter.period {
            parts.push(format!("period={p}"));
        }
        format!("?{}", parts.join("&"))
    };
    let prev = page.has_previous().then(|| link(page.page));
    let next = page.has_next().then(|| link(page.page + 2));
    let may_write = data.may_write;
    let file_id = data.header.file_id.clone();
    view! {
        <div class="entries">
            {page.rows.into_iter().map(|entry| view! { <Entry entry may_write file_id=file_id.clone() changed /> }).collect_view()}
        </div>
        <nav class="pager" aria-label=move || t_string!(i18n, journal.title).to_string()>
            <p>{t!(i18n, journal.showing, from = move || from, to = move || to, total = move || total)}</p>
            {prev.map(|href| view! { <a href=href rel="prev">{t!(i18n, journal.previous)}</a> })}
            {next.map(|href| view! { <a href=href rel="next">{t!(i18n, journal.next)}</a> })}
        </nav>
    }
    .into_any()
}

/// The entry that takes focus when the journal is next drawn (a correction just signed).
#[derive(Clone, Copy)]
struct FocusEntry(RwSignal<Option<String>>);

#[component]
fn Entry(
    entry: EntryView,
    may_write: bool,
    file_id: String,
    changed: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let heading_id = format!("entry-{}-h", entry.entry_id);
    let signed_at = entry
        .signed_at
        .map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    let period = entry.period;
    let corrected = !entry.corrected_by.is_empty();
    let correct = ServerAction::<CorrectEntry>::new();
    let focus = use_context::<FocusEntry>().map(|f| f.0);
    Effect::new(move |_| {
        if let Some(Ok(new_entry)) = correct.value().get() {
            if let Some(focus) = focus {
                focus.set(Some(new_entry));
            }
            changed.update(|n| *n += 1);
        }
    });
    let article = NodeRef::<leptos::html::Article>::new();
    let me = entry.entry_id.clone();
    Effect::new(move |_| {
        if let (Some(node), Some(focus)) = (article.get(), focus)
            && focus.get().as_deref() == Some(me.as_str())
        {
            focus.set(None);
            let _ = node.focus();
        }
    });
    let error = move || correct.value().get().and_then(Result::err);
    let (body, set_body) = signal(entry.body.clone());
    let (reason, set_reason) = signal(String::new());
    let entry_id = entry.entry_id.clone();
    let body_id = format!("correct-body-{}", entry.entry_id);
    let reason_id = format!("correct-reason-{}", entry.entry_id);
    let problem = move |field: &'static str| error().and_then(|e| e.problem_for(field));
    let (body_error, reason_error) = (format!("{body_id}-error"), format!("{reason_id}-error"));
    let (body_error_ref, reason_error_ref) = (body_error.clone(), reason_error.clone());
    view! {
        <article class="entry" class:corrected=corrected id=format!("entry-{}", entry.entry_id) aria-labelledby=heading_id.clone()
            tabindex="-1" node_ref=article>
            <h3 id=heading_id.clone()>{entry.event_date.to_string()}" · "<CategoryName category=entry.category.clone() /></h3>
            <p class="meta">
                {match period {
                    Some(n) => t!(i18n, journal.in_period, n = move || n).into_any(),
                    None => t!(i18n, journal.no_period).into_any(),
                }}
                " · "{t!(i18n, journal.author)}" "{entry.author.clone()}", "{t!(i18n, journal.signed_at)}" "{signed_at}
            </p>
            {(!entry.goals.is_empty()).then(|| view! {
                <ul class="chips" aria-label=move || t_string!(i18n, journal.goals).to_string()>
                    {entry.goals.iter().map(|(_, title)| view! { <li>{title.clone()}</li> }).collect_view()}
                </ul>
            })}
            <p class="body">{entry.body.clone()}</p>
            {entry.corrects.clone().map(|original| view! {
                <p class="correction-of">
                    <a href=format!("#entry-{original}")>{t!(i18n, journal.corrects)}</a>
                    {entry.correction_reason.clone().map(|r| view! { ". "{t!(i18n, journal.reason)}": "{r} })}
                </p>
            })}
            {corrected.then(|| view! { <p class="corrected-note"><strong>{t!(i18n, journal.corrected)}</strong></p> })}
            {(may_write && !corrected).then(|| view! {
                <details class="correct">
                    <summary>{t!(i18n, journal.correct)}</summary>
                    {move || error().map(|e| view! { <div class="error-summary" role="alert"><p><ErrorText error=e.clone() /></p></div> })}
                    <div class="field" class:has-error=move || problem("body").is_some()>
                        <label for=body_id.clone()>{t!(i18n, journal.correction_body)}</label>
                        {move || problem("body").map(|p| view! { <p class="field-error" id=body_error.clone()><ProblemText problem=p /></p> })}
                        <textarea id=body_id.clone() rows="4" prop:value=body on:input=move |ev| set_body.set(event_target_value(&ev))
                            aria-invalid=move || problem("body").map(|_| "true")
                            aria-describedby=move || problem("body").map(|_| body_error_ref.clone())></textarea>
                    </div>
                    <div class="field" class:has-error=move || problem("reason").is_some()>
                        <label for=reason_id.clone()>{t!(i18n, journal.correction_reason)}</label>
                        {move || problem("reason").map(|p| view! { <p class="field-error" id=reason_error.clone()><ProblemText problem=p /></p> })}
                        <input id=reason_id.clone() type="text" prop:value=reason on:input=move |ev| set_reason.set(event_target_value(&ev))
                            aria-invalid=move || problem("reason").map(|_| "true")
                            aria-describedby=move || problem("reason").map(|_| reason_error_ref.clone()) />
                    </div>
                    <button type="button" class="primary" on:click=move |_| {
                        correct.dispatch(CorrectEntry { file: file_id.clone(), entry: entry_id.clone(), body: body.get_untracked(), reason: reason.get_untracked() });
                    }>{t!(i18n, journal.save_correction)}</button>
                </details>
            })}
        </article>
    }
}

/// How far the autosave has come.
#[derive(Clone, PartialEq)]
enum SaveState {
    Idle,
    Saving,
    Saved(String),
    Failed(AppError),
}

#[component]
fn Editor(
    file_id: String,
    today: chrono::NaiveDate,
    periods: Vec<PeriodView>,
    drafts: Vec<EntryView>,
    changed: RwSignal<u32>,
    notice: RwSignal<Option<&'static str>>,
    focus_notice: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    // The page opens on the newest draft, where the user left it (drafts come newest
    // first from the server, so the server and the browser render the same); not
    // after a sign or discard, which starts an empty entry.
    let newest = drafts.first().filter(|_| notice.get_untracked().is_none());
    let (event_date, set_event_date) =
        signal(newest.map_or_else(|| today.to_string(), |d| d.event_date.to_string()));
    let (category, set_category) = signal(newest.map_or_else(
        || EntryCategory::WeeklyNote.as_str().to_owned(),
        |d| d.category.clone(),
    ));
    let (body, set_body) = signal(newest.map(|d| d.body.clone()).unwrap_or_default());
    let (chosen, set_chosen) = signal::<Vec<String>>(
        newest
            .map(|d| d.goals.iter().map(|(id, _)| id.clone()).collect())
            .unwrap_or_default(),
    );
    let (draft_id, set_draft_id) = signal(newest.map(|d| d.entry_id.clone()));
    // The goals offered are those of the plan period the entry's date falls in.
    let periods = StoredValue::new(periods);
    let offered = Memo::new(move |_| {
        let date = event_date
            .get()
            .parse::<chrono::NaiveDate>()
            .unwrap_or(today);
        periods.with_value(|ps| {
            let froms: Vec<chrono::NaiveDate> = ps.iter().map(|p| p.valid_from).collect();
            akta_domain::journal::period_of(&froms, date)
                .and_then(|i| ps.get(i))
                .map(|p| p.goals.clone())
                .unwrap_or_default()
        })
    });
    // A goal of another period cannot be linked: drop it when the date moves.
    Effect::new(move |_| {
        let ids: Vec<String> = offered.get().into_iter().map(|g| g.goal_id).collect();
        if chosen.get_untracked().iter().any(|c| !ids.contains(c)) {
            set_chosen.update(|list| list.retain(|c| ids.contains(c)));
        }
    });
    // After signing or discarding, focus moves to the message that says so.
    let status_ref = NodeRef::<leptos::html::P>::new();
    // Every edit bumps `edits`; a save remembers which edit it carried.
    let edits = RwSignal::new(0u32);
    let saved_edit = RwSignal::new(0u32);
    let save = ServerAction::<SaveDraft>::new();
    let sign = ServerAction::<SignEntry>::new();
    let discard = ServerAction::<DiscardDraft>::new();
    let (state, set_state) = signal(SaveState::Idle);
    let set_notice = notice;
    // Who is writing: unsaved text in the tab is kept and given back under their name.
    let auth = use_context::<crate::app::Auth>();
    let me = move || {
        auth.and_then(|a| a.user.get())
            .and_then(Result::ok)
            .flatten()
            .map(|u| u.username)
    };
    let me_now = move || {
        auth.and_then(|a| a.user.get_untracked())
            .and_then(Result::ok)
            .flatten()
            .map(|u| u.username)
    };

    let file = file_id.clone();
    let dispatch_save = move || {
        let n = edits.get_untracked();
        saved_edit.set(n);
        set_state.set(SaveState::Saving);
        save.dispatch(SaveDraft {
            file: file.clone(),
            entry: draft_id.get_untracked(),
            event_date: event_date.get_untracked(),
            category: category.get_untracked(),
            body: body.get_untracked(),
            goals: chosen.get_untracked(),
        });
    };
    let stored_file = StoredValue::new(file_id.clone());
    let edited = move || {
        edits.update(|n| *n += 1);
        set_notice.set(None);
        let Some(owner) = me_now() else { return };
        stored_file.with_value(|file| {
            store_unsaved(
                file,
                &Unsaved {
                    owner,
                    entry: draft_id.get_untracked(),
                    event_date: event_date.get_untracked(),
                    category: category.get_untracked(),
                    body: body.get_untracked(),
                    goals: chosen.get_untracked(),
                },
            )
        });
    };
    // Save after 1.2 s without typing (browser only: effects do not run on the server).
    let autosave = dispatch_save.clone();
    Effect::new(move |_| {
        let n = edits.get();
        if n == 0 {
            return;
        }
        let autosave = autosave.clone();
        set_timeout(
            move || {
                if edits.get_untracked() == n && !save.pending().get_untracked() {
                    autosave();
                }
            },
            Duration::from_millis(1200),
        );
    });
    let after_save = dispatch_save.clone();
    let retry = dispatch_save.clone();
    let saved_file = file_id.clone();
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            set_draft_id.set(Some(saved.entry_id));
            set_state.set(SaveState::Saved(saved.saved_time));
            if edits.get_untracked() == saved_edit.get_untracked() {
                clear_unsaved(&saved_file);
            } else {
                // Typed on while it was saving: save again.
                after_save();
            }
        }
        Some(Err(e @ (AppError::Network | AppError::Unavailable))) => {
            // The connection dropped, or the server cannot reach its database: the text
            // is in the tab's storage; try again.
            set_state.set(SaveState::Failed(e));
            let retry = retry.clone();
            set_timeout(
                move || {
                    if matches!(
                        state.get_untracked(),
                        SaveState::Failed(AppError::Network | AppError::Unavailable)
                    ) && !save.pending().get_untracked()
                    {
                        retry();
                    }
                },
                Duration::from_secs(5),
            );
        }
        Some(Err(e)) => set_state.set(SaveState::Failed(e)),
        None => {}
    });
    let reset = move || {
        stored_file.with_value(|file| clear_unsaved(file));
        set_body.set(String::new());
        set_chosen.set(Vec::new());
        set_draft_id.set(None);
        set_event_date.set(today.to_string());
        set_category.set(EntryCategory::WeeklyNote.as_str().to_owned());
        set_state.set(SaveState::Idle);
        edits.set(0);
        saved_edit.set(0);
    };
    Effect::new(move |_| {
        if let Some(Ok(_)) = sign.value().get() {
            reset();
            set_notice.set(Some("signed"));
            focus_notice.set(true);
            changed.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = discard.value().get() {
            reset();
            set_notice.set(Some("discarded"));
            focus_notice.set(true);
            changed.update(|n| *n += 1);
        }
    });
    // The file view (and this editor) is rebuilt after a sign or discard; the new
    // editor finds the notice set and moves focus to it.
    Effect::new(move |_| {
        if let Some(p) = status_ref.get()
            && focus_notice.get_untracked()
        {
            focus_notice.set(false);
            let _ = p.focus();
        }
    });
    let problem = move |field: &'static str| {
        let from_sign = sign.value().get().and_then(Result::err);
        let from_save = match state.get() {
            SaveState::Failed(e) => Some(e),
            _ => None,
        };
        from_sign.or(from_save).and_then(|e| e.problem_for(field))
    };
    let general_error = move || {
        sign.value()
            .get()
            .and_then(Result::err)
            .filter(|e| !matches!(e, AppError::Invalid(_)))
    };
    let file_for_sign = file_id.clone();
    let file_for_discard = file_id.clone();
    let resume = move |d: EntryView| {
        set_event_date.set(d.event_date.to_string());
        set_category.set(d.category.clone());
        set_body.set(d.body.clone());
        set_chosen.set(d.goals.iter().map(|(id, _)| id.clone()).collect());
        set_draft_id.set(Some(d.entry_id.clone()));
        set_state.set(SaveState::Idle);
    };
    // Text that never reached the server (a reload after a dropped connection):
    // put it back and save it. Runs in the browser only, after hydration.
    let restore_file = file_id.clone();
    let restore_save = dispatch_save.clone();
    Effect::new(move |_| {
        let Some(owner) = me() else { return };
        if let Some(u) = take_unsaved(&restore_file, &owner) {
            set_event_date.set(u.event_date);
            set_category.set(u.category);
            set_body.set(u.body);
            set_chosen.set(u.goals);
            set_draft_id.set(u.entry);
            set_notice.set(Some("restored"));
            edits.set(1);
            restore_save();
        }
    });
    let field_error = move |field: &'static str| {
        move || {
            problem(field).map(|p| view! { <p class="field-error" id=format!("{field}-error")><ProblemText problem=p /></p> })
        }
    };

    view! {
        <section class="card editor" aria-labelledby="editor-heading">
            <h3 id="editor-heading">{t!(i18n, journal.new_entry)}</h3>
            <p class="help rule" id="rule">{t!(i18n, journal.rule)}</p>
            {(!drafts.is_empty()).then(|| view! {
                <div class="drafts">
                    <h4>{t!(i18n, journal.drafts)}</h4>
                    <ul>
                        {drafts.into_iter().map(|d| {
                            let date = d.event_date.to_string();
                            let preview: String = d.body.chars().take(60).collect();
                            view! {
                                <li>
                                    {t!(i18n, journal.draft_of, date = move || date.clone())}": "<em>{preview}</em>" "
                                    <button type="button" on:click=move |_| resume(d.clone())>{t!(i18n, journal.resume)}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </div>
            })}
            {move || general_error().map(|e| view! { <div class="error-summary" role="alert"><p><ErrorText error=e /></p></div> })}
            <div class="row">
                <div class="field" class:has-error=move || problem("event_date").is_some()>
                    <label for="event_date">{t!(i18n, journal.event_date)}</label>
                    {field_error("event_date")}
                    <input id="event_date" type="date" max=today.to_string() prop:value=event_date
                        aria-invalid=move || problem("event_date").map(|_| "true")
                        aria-describedby=move || problem("event_date").map(|_| "event_date-error")
                        on:input=move |ev| { set_event_date.set(event_target_value(&ev)); edited(); } />
                </div>
                <div class="field" class:has-error=move || problem("category").is_some()>
                    <label for="category">{t!(i18n, journal.category)}</label>
                    {field_error("category")}
                    <select id="category" prop:value=category
                        aria-invalid=move || problem("category").map(|_| "true")
                        aria-describedby=move || problem("category").map(|_| "category-error")
                        on:change=move |ev| { set_category.set(event_target_value(&ev)); edited(); }>
                        {EntryCategory::WRITABLE.into_iter().map(|c| view! {
                            <option value=c.as_str() selected=move || category.get() == c.as_str()><CategoryName category=c.as_str().to_owned() /></option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <fieldset class="field goal-picks" id="goals" class:has-error=move || problem("goals").is_some()
                aria-describedby=move || problem("goals").map(|_| "goals-error")>
                <legend>{t!(i18n, journal.goals)}</legend>
                {field_error("goals")}
                {move || { let goals = offered.get(); if goals.is_empty() {
                    view! { <p class="help">{t!(i18n, journal.no_goals)}</p> }.into_any()
                } else {
                    goals.into_iter().map(|g| {
                        let id = g.goal_id.clone();
                        let id_check = id.clone();
                        let input_id = format!("goal-{}", g.goal_id);
                        view! {
                            <div class="check" class:sub-goal=g.parent.is_some()>
                                <input type="checkbox" id=input_id.clone() value=id.clone()
                                    prop:checked=move || chosen.get().contains(&id_check)
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        let id = id.clone();
                                        set_chosen.update(|list| { list.retain(|x| *x != id); if on { list.push(id); } });
                                        edited();
                                    } />
                                <label for=input_id>{g.title.clone()}</label>
                            </div>
                        }
                    }).collect_view().into_any()
                }}}
            </fieldset>
            <div class="field" class:has-error=move || problem("body").is_some()>
                <label for="body">{t!(i18n, journal.text)}</label>
                {field_error("body")}
                <textarea id="body" rows="6" prop:value=body
                    aria-describedby=move || if problem("body").is_some() { "body-error rule save-state" } else { "rule save-state" }
                    aria-invalid=move || problem("body").map(|_| "true")
                    on:input=move |ev| { set_body.set(event_target_value(&ev)); edited(); }></textarea>
            </div>
            <p id="save-state" class="save-state" role="status" aria-live="polite" tabindex="-1" node_ref=status_ref>
                {move || match (notice.get(), state.get()) {
                    (Some("signed"), _) => t!(i18n, journal.signed_done).into_any(),
                    (Some("restored"), _) => t!(i18n, journal.restored).into_any(),
                    (Some(_), _) => t!(i18n, journal.discarded).into_any(),
                    (None, SaveState::Idle) => ().into_any(),
                    (None, SaveState::Saving) => t!(i18n, journal.saving).into_any(),
                    (None, SaveState::Saved(time)) => t!(i18n, journal.saved, time = move || time.clone()).into_any(),
                    (None, SaveState::Failed(AppError::Invalid(_))) => ().into_any(),
                    (None, SaveState::Failed(_)) => t!(i18n, journal.not_saved).into_any(),
                }}
            </p>
            <p class="help">{t!(i18n, journal.sign_help)}</p>
            <div class="buttons">
                <button type="button" class="primary" disabled=move || sign.pending().get() on:click=move |_| {
                    sign.dispatch(SignEntry {
                        file: file_for_sign.clone(),
                        entry: draft_id.get_untracked(),
                        event_date: event_date.get_untracked(),
                        category: category.get_untracked(),
                        body: body.get_untracked(),
                        goals: chosen.get_untracked(),
                    });
                }>{t!(i18n, journal.sign)}</button>
                {move || draft_id.get().map(|id| {
                    let file = file_for_discard.clone();
                    view! {
                        <button type="button" on:click=move |_| { discard.dispatch(DiscardDraft { file: file.clone(), entry: id.clone() }); }>
                            {t!(i18n, journal.discard)}
                        </button>
                    }
                })}
            </div>
        </section>
    }
}

/// What the editor holds, kept in the tab's sessionStorage until the server has
/// it, so a dropped connection or a reload loses nothing. Removed as soon as the
/// draft is saved, signed or discarded.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Unsaved {
    /// Whose words these are: only they get them back (a shared computer's next user
    /// in the same tab never sees them; `app.rs` also clears them at logout and login).
    owner: String,
    entry: Option<String>,
    event_date: String,
    category: String,
    body: String,
    goals: Vec<String>,
}

/// The prefix of every key the editor keeps in sessionStorage.
pub const UNSAVED_PREFIX: &str = "akta-osparat-";

#[cfg(feature = "hydrate")]
fn backup_key(file_id: &str) -> String {
    format!("{UNSAVED_PREFIX}{file_id}")
}

/// Removes every unsaved text kept in this tab except those of `keep` (the user now
/// logged in; `None` removes all).
pub fn clear_unsaved_of_others(keep: Option<&str>) {
    #[cfg(feature = "hydrate")]
    if let Some(storage) = session_storage() {
        let n = storage.length().unwrap_or(0);
        let keys: Vec<String> = (0..n)
            .filter_map(|i| storage.key(i).ok().flatten())
            .filter(|k| k.starts_with(UNSAVED_PREFIX))
            .collect();
        for key in keys {
            let owner = storage
                .get_item(&key)
                .ok()
                .flatten()
                .and_then(|json| serde_json::from_str::<Unsaved>(&json).ok())
                .map(|u| u.owner);
            if keep.is_none() || owner.as_deref() != keep {
                let _ = storage.remove_item(&key);
            }
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = keep;
}

#[cfg(feature = "hydrate")]
fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.session_storage().ok().flatten())
}

fn store_unsaved(file_id: &str, unsaved: &Unsaved) {
    #[cfg(feature = "hydrate")]
    if let (Some(storage), Ok(json)) = (session_storage(), serde_json::to_string(unsaved)) {
        // Full storage or private mode: the server save still runs.
        let _ = storage.set_item(&backup_key(file_id), &json);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (file_id, unsaved);
}

fn take_unsaved(file_id: &str, owner: &str) -> Option<Unsaved> {
    #[cfg(feature = "hydrate")]
    {
        let storage = session_storage()?;
        let json = storage.get_item(&backup_key(file_id)).ok().flatten()?;
        match serde_json::from_str::<Unsaved>(&json) {
            Ok(u) if u.owner == owner => Some(u),
            // Someone else's words (or an old format): never shown, gone.
            _ => {
                let _ = storage.remove_item(&backup_key(file_id));
                None
            }
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (file_id, owner);
        None
    }
}

fn clear_unsaved(file_id: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(storage) = session_storage() {
        let _ = storage.remove_item(&backup_key(file_id));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = file_id;
}
