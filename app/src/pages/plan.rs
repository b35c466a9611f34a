//! A file's implementation plan (genomförandeplan) and intake checklist (lathund).
//!
//! Every version is shown, newest first. The newest version can be changed until
//! the client has signed it; after that a change is a revision (a new version).

use crate::api::plan::{
    DeleteGoal, NewPlanVersion, RecordPlanCopies, SaveGoal, SavePlanDetails, SetIntakeItem,
    SignPlan, plan_view,
};
use crate::components::{AreaField, ErrorBox, Field, action_error, show_result, successes};
use crate::i18n::*;
use crate::model::{GoalView, IntakeItemView, PlanPage, PlanVersionView};
use akta_domain::intake::IntakeItem;
use akta_domain::plan::SignatureMethod;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// Every action on the page; a finished one reloads the plan.
#[derive(Clone, Copy)]
struct Actions {
    new_version: ServerAction<NewPlanVersion>,
    details: ServerAction<SavePlanDetails>,
    goal: ServerAction<SaveGoal>,
    delete: ServerAction<DeleteGoal>,
    sign: ServerAction<SignPlan>,
    copies: ServerAction<RecordPlanCopies>,
    intake: ServerAction<SetIntakeItem>,
}

#[component]
pub fn PlanPageView() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let file_id = move || params.read().get("id").unwrap_or_default();
    let actions = Actions {
        new_version: ServerAction::new(),
        details: ServerAction::new(),
        goal: ServerAction::new(),
        delete: ServerAction::new(),
        sign: ServerAction::new(),
        copies: ServerAction::new(),
        intake: ServerAction::new(),
    };
    // Refetched after each save that worked, never after a refusal (whose message
    // must stay beside its field).
    let saved = [
        successes(actions.new_version),
        successes(actions.details),
        successes(actions.goal),
        successes(actions.delete),
        successes(actions.sign),
        successes(actions.copies),
        successes(actions.intake),
    ];
    let versions = move || saved.iter().map(|s| s.get()).sum::<u32>();
    let data = Resource::new(move || (file_id(), versions()), |(id, _)| plan_view(id));
    view! {
        <Title text=move || t_string!(i18n, plan.title).to_string() />
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || show_result(data.get(), move |page: PlanPage| view! { <PlanView page actions /> })}
        </Transition>
    }
}

#[component]
fn PlanView(page: PlanPage, actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let header = page.header.clone();
    let file = header.file_id.clone();
    let name = header.client_name.clone();
    let newest_signed = page
        .versions
        .last()
        .is_none_or(|v| v.client_signed_on.is_some());
    let first = page.versions.is_empty();
    let today = header.today;
    let deadline = header.plan_due.map(|d| d.to_string()).unwrap_or_default();
    view! {
        <p class="back"><a href=format!("/akter/{file}")>{t!(i18n, plan.back_to_file)}</a></p>
        <h1>
            {t!(i18n, plan.title)}" – "
            {match name {
                Some(n) => n.into_any(),
                None => view! { <span class="protected">{t!(i18n, home.protected)}</span> }.into_any(),
            }}
        </h1>
        <Intake file=file.clone() items=page.intake.clone() may_write=page.may_write action=actions.intake />
        <section aria-labelledby="versions-heading">
            <h2 id="versions-heading">{t!(i18n, plan.versions)}</h2>
            {if !page.plan_needed {
                view! { <p class="notice">{t!(i18n, plan.not_needed)}</p> }.into_any()
            } else if first {
                let deadline = deadline.clone();
                view! { <p class="lead">{t!(i18n, plan.no_plan)}" "{t!(i18n, plan.deadline, date = move || deadline.clone())}</p> }.into_any()
            } else {
                ().into_any()
            }}
            {(page.may_write && page.plan_needed && newest_signed).then(|| view! {
                <NewVersion file=file.clone() first today action=actions.new_version />
            })}
            {page.versions.iter().rev().cloned().map(|v| {
                let newest = Some(v.number) == page.versions.last().map(|l| l.number);
                view! { <Version file=file.clone() version=v newest may_write=page.may_write today actions /> }
            }).collect_view()}
        </section>
    }
}

#[component]
fn Intake(
    file: String,
    items: Vec<IntakeItemView>,
    may_write: bool,
    action: ServerAction<SetIntakeItem>,
) -> impl IntoView {
    let i18n = use_i18n();
    let done = items.iter().filter(|i| i.checked.is_some()).count();
    let total = items.len();
    let error = action_error(action);
    view! {
        <section class="card" aria-labelledby="intake-heading">
            <h2 id="intake-heading">{t!(i18n, intake.title)}</h2>
            <p class="help">{t!(i18n, intake.help)}" "{t!(i18n, intake.progress, done = move || done, total = move || total)}</p>
            <ErrorBox error />
            <ul class="checklist">
                {items.into_iter().map(|item| {
                    let id = format!("intake-{}", item.item);
                    let checked = item.checked.is_some();
                    let key = item.item.clone();
                    let file = file.clone();
                    view! {
                        <li>
                            <input type="checkbox" id=id.clone() checked=checked disabled=!may_write
                                on:change=move |ev| {
                                    action.dispatch(SetIntakeItem {
                                        file: file.clone(),
                                        item: key.clone(),
                                        checked: event_target_checked(&ev).to_string(),
                                    });
                                } />
                            <label for=id><IntakeLabel item=item.item.clone() /></label>
                            {item.checked.map(|(who, when)| view! {
                                <span class="meta">" – "{who}", "{when.to_string()}</span>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
pub fn IntakeLabel(item: String) -> impl IntoView {
    let i18n = use_i18n();
    match IntakeItem::parse(&item) {
        Some(IntakeItem::ServicePresented) => t!(i18n, intake.service_presented).into_any(),
        Some(IntakeItem::Confidentiality) => t!(i18n, intake.confidentiality).into_any(),
        Some(IntakeItem::Documentation) => t!(i18n, intake.documentation).into_any(),
        Some(IntakeItem::PlanWithin14Days) => t!(i18n, intake.plan_within_14_days).into_any(),
        Some(IntakeItem::FollowUps) => t!(i18n, intake.follow_ups).into_any(),
        Some(IntakeItem::Consent) => t!(i18n, intake.consent).into_any(),
        Some(IntakeItem::Practicalities) => t!(i18n, intake.practicalities).into_any(),
        Some(IntakeItem::Complaints) => t!(i18n, intake.complaints).into_any(),
        Some(IntakeItem::Ending) | None => t!(i18n, intake.ending).into_any(),
    }
}

#[component]
fn NewVersion(
    file: String,
    first: bool,
    today: chrono::NaiveDate,
    action: ServerAction<NewPlanVersion>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action);
    view! {
        <section class="card" aria-labelledby="new-version-heading">
            <h3 id="new-version-heading">
                {if first { t!(i18n, plan.create).into_any() } else { t!(i18n, plan.revise).into_any() }}
            </h3>
            <p class="help">{if first { t!(i18n, plan.create_help).into_any() } else { t!(i18n, plan.revise_help).into_any() }}</p>
            <ErrorBox error prefix="new-" />
            <ActionForm action>
                <input type="hidden" name="file" value=file />
                <Field name="valid_from" kind="date" prefix="new-" label=move || t!(i18n, plan.valid_from)
                    value=today.to_string() required=true error />
                {(!first).then(|| view! {
                    <Field name="reason" prefix="new-" label=move || t!(i18n, plan.revision_reason)
                        help=ViewFn::from(move || t!(i18n, plan.revision_reason_help)) required=true error />
                })}
                <button type="submit" class="primary">
                    {if first { t!(i18n, plan.create).into_any() } else { t!(i18n, plan.revise).into_any() }}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn Version(
    file: String,
    version: PlanVersionView,
    newest: bool,
    may_write: bool,
    today: chrono::NaiveDate,
    actions: Actions,
) -> impl IntoView {
    let i18n = use_i18n();
    let n = version.number;
    let heading = format!("version-{n}-heading");
    let heading_id = heading.clone();
    let from = version.valid_from.to_string();
    let range = match version.valid_to {
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
        None => {
            let from = from.clone();
            t!(i18n, plan.from, from = move || from.clone()).into_any()
        }
    };
    let status = match (version.client_signed_on, newest) {
        (None, _) => {
            view! { <span class="badge draft">{t!(i18n, plan.status_draft)}</span> }.into_any()
        }
        (Some(_), _) if version.in_force => {
            view! { <span class="badge ok">{t!(i18n, plan.status_in_force)}</span> }.into_any()
        }
        (Some(_), true) if version.valid_to.is_none() => {
            let from = version.valid_from.to_string();
            view! { <span class="badge">{t!(i18n, plan.status_upcoming, from = move || from.clone())}</span> }.into_any()
        }
        (Some(_), _) => {
            view! { <span class="badge">{t!(i18n, plan.status_earlier)}</span> }.into_any()
        }
    };
    let editable = version.editable;
    let signed = version.client_signed_on.is_some();
    view! {
        <article class="card plan-version" aria-labelledby=heading.clone()>
            <h3 id=heading_id>{t!(i18n, plan.version, n = move || n)}" · "{range}" "{status}</h3>
            {version.revision_reason.clone().map(|r| view! { <p class="meta">{t!(i18n, plan.revision_reason)}": "{r}</p> })}
            <p class="meta">{t!(i18n, plan.created_by)}" "{version.created_by.clone()}</p>
            {if editable {
                view! { <DetailsForm file=file.clone() version=version.clone() action=actions.details /> }.into_any()
            } else {
                view! {
                    <h4>{t!(i18n, plan.client_view)}</h4>
                    <p class="body">{version.client_view.clone()}</p>
                }.into_any()
            }}
            <h4 id=format!("v{n}-goals") tabindex="-1">{t!(i18n, plan.goals)}</h4>
            {version.goals.is_empty().then(|| view! { <p>{t!(i18n, plan.no_goals)}</p> })}
            <ul class="goals">
                {version.goals.iter().cloned().map(|g| view! {
                    <GoalRow file=file.clone() number=n goal=g editable actions />
                }).collect_view()}
            </ul>
            {editable.then(|| view! {
                <details class="add-goal">
                    <summary>{t!(i18n, plan.add_goal)}</summary>
                    <GoalForm file=file.clone() number=n goal=None parent=None prefix=format!("v{n}-new-") action=actions.goal />
                </details>
                <SignForm file=file.clone() number=n today action=actions.sign />
            })}
            {signed.then(|| view! { <Signature version=version.clone() /> })}
            {(signed && may_write).then(|| view! { <CopiesForm file=file.clone() version=version.clone() action=actions.copies /> })}
        </article>
    }
}

#[component]
fn DetailsForm(
    file: String,
    version: PlanVersionView,
    action: ServerAction<SavePlanDetails>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action);
    let saved = move || matches!(action.value().get(), Some(Ok(())));
    let prefix = format!("v{}-", version.number);
    view! {
        <ErrorBox error prefix=prefix.clone() />
        <ActionForm action>
            <input type="hidden" name="file" value=file />
            <input type="hidden" name="version" value=version.number.to_string() />
            <Field name="valid_from" kind="date" prefix=prefix.clone() label=move || t!(i18n, plan.valid_from)
                value=version.valid_from.to_string() required=true error />
            <AreaField name="client_view" prefix=prefix.clone() label=move || t!(i18n, plan.client_view)
                help=ViewFn::from(move || t!(i18n, plan.client_view_help)) value=version.client_view.clone() error />
            <button type="submit">{t!(i18n, plan.save_details)}</button>
            {move || saved().then(|| view! { <span role="status" class="saved">" "{t!(i18n, plan.saved)}</span> })}
        </ActionForm>
    }
}

#[component]
fn GoalRow(
    file: String,
    number: u32,
    goal: GoalView,
    editable: bool,
    actions: Actions,
) -> impl IntoView {
    let i18n = use_i18n();
    let sub = goal.parent.is_some();
    let id = goal.goal_id.clone();
    let title = goal.title.clone();
    let delete_label = {
        let title = title.clone();
        move || format!("{} {}", t_string!(i18n, plan.remove_goal), title)
    };
    view! {
        <li class:sub-goal=sub>
            <p class="goal-title">
                {sub.then(|| view! { <span class="tag">{t!(i18n, plan.sub_goal)}</span>" " })}
                <strong>{goal.title.clone()}</strong>
            </p>
            <dl class="goal-facts">
                <div><dt>{t!(i18n, plan.what)}</dt><dd>{goal.what.clone()}</dd></div>
                {(!goal.how.is_empty()).then(|| view! { <div><dt>{t!(i18n, plan.how)}</dt><dd>{goal.how.clone()}</dd></div> })}
                <div><dt>{t!(i18n, plan.who)}</dt><dd>{goal.who.clone()}</dd></div>
                {goal.by_when.map(|d| view! { <div><dt>{t!(i18n, plan.by_when)}</dt><dd>{d.to_string()}</dd></div> })}
            </dl>
            {editable.then(|| {
                let (f1, f2, f3) = (file.clone(), file.clone(), file.clone());
                let (id1, id2) = (id.clone(), id.clone());
                view! {
                    <details>
                        <summary>{t!(i18n, plan.edit_goal)}" "<span class="visually-hidden">{title.clone()}</span></summary>
                        <GoalForm file=f1 number goal=Some(goal.clone()) parent=None prefix=format!("g{id1}-") action=actions.goal />
                    </details>
                    {(!sub).then(|| view! {
                        <details>
                            <summary>{t!(i18n, plan.add_sub_goal)}" "<span class="visually-hidden">{title.clone()}</span></summary>
                            <GoalForm file=f2 number goal=None parent=Some(id2.clone()) prefix=format!("s{id2}-") action=actions.goal />
                        </details>
                    })}
                    <ActionForm action=actions.delete attr:class="inline">
                        <input type="hidden" name="file" value=f3 />
                        <input type="hidden" name="version" value=number.to_string() />
                        <input type="hidden" name="goal" value=id.clone() />
                        <button type="submit" class="link-button danger" aria-label=delete_label.clone()>{t!(i18n, plan.remove_goal)}</button>
                    </ActionForm>
                }
            })}
        </li>
    }
}

#[component]
fn GoalForm(
    file: String,
    number: u32,
    goal: Option<GoalView>,
    parent: Option<String>,
    prefix: String,
    action: ServerAction<SaveGoal>,
) -> impl IntoView {
    let i18n = use_i18n();
    // Each form shows only its own errors: remember which form sent the last request.
    let form_key = prefix.clone();
    let sent_from = RwSignal::new(None::<String>);
    let error = Signal::derive({
        let form_key = form_key.clone();
        move || {
            (sent_from.get().as_deref() == Some(form_key.as_str()))
                .then(|| action.value().get().and_then(Result::err))
                .flatten()
        }
    });
    let g = goal.clone();
    let value = move |f: fn(&GoalView) -> String| g.as_ref().map(f).unwrap_or_default();
    view! {
        <ErrorBox error prefix=prefix.clone() />
        <ActionForm action on:submit=move |_| sent_from.set(Some(form_key.clone()))>
            <input type="hidden" name="file" value=file />
            <input type="hidden" name="version" value=number.to_string() />
            {goal.as_ref().map(|g| view! { <input type="hidden" name="goal" value=g.goal_id.clone() /> })}
            {parent.map(|p| view! { <input type="hidden" name="parent" value=p /> })}
            <Field name="title" prefix=prefix.clone() label=move || t!(i18n, plan.goal_title) value=value(|g| g.title.clone()) required=true error />
            <AreaField name="what" prefix=prefix.clone() label=move || t!(i18n, plan.what_long) value=value(|g| g.what.clone()) required=true error rows=2 />
            <AreaField name="how" prefix=prefix.clone() label=move || t!(i18n, plan.how_long) value=value(|g| g.how.clone()) error rows=2 />
            <Field name="who" prefix=prefix.clone() label=move || t!(i18n, plan.who_long) value=value(|g| g.who.clone()) required=true error />
            <Field name="by_when" kind="date" prefix=prefix.clone() label=move || t!(i18n, plan.by_when_long)
                value=value(|g| g.by_when.map(|d| d.to_string()).unwrap_or_default()) error />
            <button type="submit" class="primary">{t!(i18n, plan.save_goal)}</button>
        </ActionForm>
    }
}

#[component]
fn SignForm(
    file: String,
    number: u32,
    today: chrono::NaiveDate,
    action: ServerAction<SignPlan>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action);
    let prefix = format!("v{number}-sign-");
    let radio = move |m: SignatureMethod| format!("v{number}-sign-{}", m.as_str());
    view! {
        <section class="sign-plan" aria-labelledby=format!("v{number}-sign-heading")>
            <h4 id=format!("v{number}-sign-heading")>{t!(i18n, plan.sign_title)}</h4>
            <p class="help">{t!(i18n, plan.sign_help)}</p>
            // The client's view and the goals are in the version's other forms.
            <ErrorBox error prefix=prefix.clone()
                elsewhere=vec![("client_view", format!("v{number}-client_view")), ("goals", format!("v{number}-goals"))] />
            <ActionForm action>
                <input type="hidden" name="file" value=file />
                <input type="hidden" name="version" value=number.to_string() />
                <Field name="signed_on" kind="date" prefix=prefix.clone() label=move || t!(i18n, plan.signed_on)
                    value=today.to_string() required=true error />
                <fieldset class="field" id=format!("{prefix}signed_how")>
                    <legend>{t!(i18n, plan.signed_how)}</legend>
                    <div class="check">
                        <input type="radio" name="signed_how" id=radio(SignatureMethod::InPerson) value="in_person" checked=true />
                        <label for=radio(SignatureMethod::InPerson)>{t!(i18n, plan.in_person)}</label>
                    </div>
                    <div class="check">
                        <input type="radio" name="signed_how" id=radio(SignatureMethod::OnPaper) value="on_paper" />
                        <label for=radio(SignatureMethod::OnPaper)>{t!(i18n, plan.on_paper)}</label>
                    </div>
                </fieldset>
                <button type="submit" class="primary">{t!(i18n, plan.record_signature)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn Signature(version: PlanVersionView) -> impl IntoView {
    let i18n = use_i18n();
    let date = version
        .client_signed_on
        .map(|d| d.to_string())
        .unwrap_or_default();
    let how = match version
        .client_signed_how
        .as_deref()
        .and_then(SignatureMethod::parse)
    {
        Some(SignatureMethod::OnPaper) => t!(i18n, plan.on_paper).into_any(),
        _ => t!(i18n, plan.in_person).into_any(),
    };
    let copy =
        |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_else(|| "—".to_owned());
    view! {
        <h4>{t!(i18n, plan.signature)}</h4>
        <dl class="facts">
            <div><dt>{t!(i18n, plan.signed_on)}</dt><dd>{date}" ("{how}")"</dd></div>
            <div><dt>{t!(i18n, plan.copy_client)}</dt><dd>{copy(version.copy_to_client_on)}</dd></div>
            <div><dt>{t!(i18n, plan.copy_contact)}</dt><dd>{copy(version.copy_to_contact_on)}</dd></div>
            <div><dt>{t!(i18n, plan.copy_secretary)}</dt><dd>{copy(version.copy_to_secretary_on)}</dd></div>
        </dl>
    }
}

#[component]
fn CopiesForm(
    file: String,
    version: PlanVersionView,
    action: ServerAction<RecordPlanCopies>,
) -> impl IntoView {
    let i18n = use_i18n();
    let n = version.number;
    let prefix = format!("v{n}-copies-");
    let sent_from = RwSignal::new(false);
    let error = Signal::derive(move || {
        sent_from
            .get()
            .then(|| action.value().get().and_then(Result::err))
            .flatten()
    });
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string());
    view! {
        <details class="copies">
            <summary>{t!(i18n, plan.record_copies)}</summary>
            <ErrorBox error prefix=prefix.clone() />
            <ActionForm action on:submit=move |_| sent_from.set(true)>
                <input type="hidden" name="file" value=file />
                <input type="hidden" name="version" value=n.to_string() />
                <Field name="copy_to_client_on" kind="date" prefix=prefix.clone() label=move || t!(i18n, plan.copy_client)
                    value=date(version.copy_to_client_on) error />
                <Field name="copy_to_contact_on" kind="date" prefix=prefix.clone() label=move || t!(i18n, plan.copy_contact)
                    value=date(version.copy_to_contact_on) error />
                <Field name="copy_to_secretary_on" kind="date" prefix=prefix.clone() label=move || t!(i18n, plan.copy_secretary)
                    value=date(version.copy_to_secretary_on) error />
                <button type="submit">{t!(i18n, plan.save_copies)}</button>
            </ActionForm>
        </details>
    }
}
