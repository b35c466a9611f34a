//! A file's care team: who has access as contact person or co-worker, and (for the
//! manager and the contact person) changing it.

use crate::api::team::{ChangeTeam, get_team};
use crate::components::{ErrorBox, action_error, show_result};
use crate::i18n::*;
use crate::model::TeamView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn TeamPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let file = move || params.read().get("id").unwrap_or_default();
    let change = ServerAction::<ChangeTeam>::new();
    let team = Resource::new(
        move || (file(), change.version().get()),
        |(file, _)| get_team(file),
    );
    let error = action_error(change);
    let saved = Signal::derive(move || matches!(change.value().get(), Some(Ok(()))));
    view! {
        <Title text=move || t_string!(i18n, team.title).to_string() />
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || show_result(team.get(), move |view| view! {
                <TeamSection view change error saved />
            })}
        </Transition>
    }
}

#[component]
fn TeamSection(
    view: TeamView,
    change: ServerAction<ChangeTeam>,
    error: Signal<Option<crate::error::AppError>>,
    saved: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let file_id = view.file_id.clone();
    let back = format!("/akter/{file_id}");
    let members: Vec<String> = view
        .co_workers
        .iter()
        .map(|u| u.username.clone())
        .chain(std::iter::once(view.contact_person.username.clone()))
        .collect();
    let addable: Vec<_> = view
        .staff
        .iter()
        .filter(|u| !members.contains(&u.username))
        .cloned()
        .collect();
    let other_staff: Vec<_> = view
        .staff
        .iter()
        .filter(|u| u.username != view.contact_person.username)
        .cloned()
        .collect();
    let may_change = view.may_change;
    let client = match view.client_name.clone() {
        Some(name) => name.into_any(),
        None => view! { <span class="protected">{t!(i18n, clients.protected)}</span> }.into_any(),
    };
    let (f1, f2, f3) = (file_id.clone(), file_id.clone(), file_id.clone());
    view! {
        <p><a href=back>{t!(i18n, team.back)}</a></p>
        <h1>{t!(i18n, team.title)}</h1>
        <p class="lead">{t!(i18n, team.client)}": "{client}</p>
        <p>{t!(i18n, team.intro)}</p>
        {move || saved.get().then(|| view! { <p class="notice" role="status">{t!(i18n, team.saved)}</p> })}
        <ErrorBox error />
        <section class="card" aria-labelledby="contact-heading">
            <h2 id="contact-heading">{t!(i18n, team.contact_person)}</h2>
            <p>{view.contact_person.display_name.clone()}</p>
            {may_change.then(|| view! {
                <ActionForm action=change attr:class="inline">
                    <input type="hidden" name="file" value=f1 />
                    <input type="hidden" name="change" value="contact" />
                    <label for="new-contact">{t!(i18n, team.change_contact)}</label>
                    <select id="new-contact" name="username" required>
                        <option value="">{t!(i18n, new_file.choose)}</option>
                        {other_staff.into_iter().map(|u| view! {
                            <option value=u.username>{u.display_name}</option>
                        }).collect_view()}
                    </select>
                    <button type="submit">{t!(i18n, team.save_contact)}</button>
                </ActionForm>
            })}
        </section>
        <section class="card" aria-labelledby="co-workers-heading">
            <h2 id="co-workers-heading">{t!(i18n, team.co_workers)}</h2>
            {if view.co_workers.is_empty() {
                view! { <p>{t!(i18n, team.none)}</p> }.into_any()
            } else {
                view! {
                    <ul class="team-list">
                        {view.co_workers.into_iter().map(|u| {
                            let file = f2.clone();
                            let name = u.display_name.clone();
                            let label = name.clone();
                            view! {
                                <li>
                                    <span>{name}</span>
                                    {may_change.then(|| view! {
                                        <ActionForm action=change attr:class="inline">
                                            <input type="hidden" name="file" value=file />
                                            <input type="hidden" name="change" value="remove" />
                                            <input type="hidden" name="username" value=u.username />
                                            <button type="submit">
                                                {t!(i18n, team.remove)}
                                                <span class="visually-hidden">" "{label}</span>
                                            </button>
                                        </ActionForm>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {(may_change && !addable.is_empty()).then(|| view! {
                <ActionForm action=change attr:class="inline">
                    <input type="hidden" name="file" value=f3 />
                    <input type="hidden" name="change" value="add" />
                    <label for="add-co-worker">{t!(i18n, team.add)}</label>
                    <select id="add-co-worker" name="username" required>
                        <option value="">{t!(i18n, new_file.choose)}</option>
                        {addable.into_iter().map(|u| view! {
                            <option value=u.username>{u.display_name}</option>
                        }).collect_view()}
                    </select>
                    <button type="submit">{t!(i18n, team.add_button)}</button>
                </ActionForm>
            })}
        </section>
    }
}
