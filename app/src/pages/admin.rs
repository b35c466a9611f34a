//! Account administration: create users, set roles, deactivate, reset passwords.

use crate::api::admin::{
    CreateUser, ResetPassword, ResetSecondFactor, SetActive, SetRole, SetStaffSecondFactor,
    SetUnitName, list_users, login_settings,
};
use crate::components::{
    ErrorBox, Field, ProblemText, RoleName, action_error, show_result, successes,
};
use crate::i18n::*;
use crate::model::UserRow;
use akta_domain::Role;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AdminUsers() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateUser>::new();
    let set_role = ServerAction::<SetRole>::new();
    let set_active = ServerAction::<SetActive>::new();
    let reset = ServerAction::<ResetPassword>::new();
    let reset_factor = ServerAction::<ResetSecondFactor>::new();
    // Fetched again after a change that worked, not after a refusal (the refused
    // form would be drawn anew and lose its message).
    let (created, role_set, active_set) = (
        successes(create),
        successes(set_role),
        successes(set_active),
    );
    let (password_reset, factor_reset) = (successes(reset), successes(reset_factor));
    let users = Resource::new(
        move || {
            (
                created.get(),
                role_set.get(),
                active_set.get(),
                password_reset.get(),
                factor_reset.get(),
            )
        },
        |_| list_users(),
    );
    // Whose password the last reset was for: every row has a reset form on the one
    // action, and only that row's form shows its refusal.
    let reset_for = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(input) = reset.input().get() {
            reset_for.set(Some(input.username));
        }
    });
    let actions = RowActions {
        set_role,
        set_active,
        reset,
        reset_for,
        reset_factor,
    };
    let create_error = action_error(create);
    let row_error = Signal::derive(move || {
        action_error(set_role)
            .get()
            .or_else(|| action_error(set_active).get())
            .or_else(|| action_error(reset_factor).get())
    });
    let confirmation = move || {
        if let Some(Ok(username)) = create.value().get() {
            let username = username.clone();
            return Some(view! { <p class="notice" role="status">{t!(i18n, admin.created, username = move || username.clone())}</p> }.into_any());
        }
        if let Some(Ok(username)) = reset.value().get() {
            let username = username.clone();
            return Some(view! { <p class="notice" role="status">{t!(i18n, admin.password_reset_done, username = move || username.clone())}</p> }.into_any());
        }
        if let Some(Ok(username)) = reset_factor.value().get() {
            let username = username.clone();
            return Some(view! { <p class="notice" role="status">{t!(i18n, admin.second_factor_reset_done, username = move || username.clone())}</p> }.into_any());
        }
        None
    };

    view! {
        <Title text=move || t_string!(i18n, admin.title).to_string() />
        <h1>{t!(i18n, admin.title)}</h1>
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || show_result(users.get(), move |list| view! {
                <p class="lead">{t!(i18n, admin.intro)}</p>
                {confirmation}
                <ErrorBox error=row_error />
                <section aria-labelledby="accounts-heading">
                    <h2 id="accounts-heading">{t!(i18n, admin.list_title)}</h2>
                    <UserTable list actions />
                </section>
                <section aria-labelledby="create-heading" class="card">
                    <h2 id="create-heading">{t!(i18n, admin.create_title)}</h2>
                    <ErrorBox error=create_error />
                    <ActionForm action=create>
                        <Field name="username" label=move || t!(i18n, admin.username)
                            help=ViewFn::from(move || t!(i18n, admin.username_help)) required=true error=create_error autocomplete="off" />
                        <Field name="display_name" label=move || t!(i18n, admin.display_name) required=true error=create_error autocomplete="off" />
                        <div class="field">
                            <label for="role">{t!(i18n, admin.role)}</label>
                            <RoleSelect id="role".to_owned() selected=Role::Staff />
                        </div>
                        <Field name="password" kind="password" label=move || t!(i18n, admin.password)
                            help=ViewFn::from(move || t!(i18n, admin.password_help)) required=true error=create_error autocomplete="new-password" />
                        <button type="submit" class="primary">{t!(i18n, admin.create)}</button>
                    </ActionForm>
                </section>
                <UnitNameForm />
                <LoginSettingsForm />
            })}
        </Transition>
    }
}

/// The unit's name, printed at the top of every page so a report on paper says
/// whose it is.
#[component]
fn UnitNameForm() -> impl IntoView {
    let i18n = use_i18n();
    let auth = expect_context::<crate::app::Auth>();
    let save = ServerAction::<SetUnitName>::new();
    let error = action_error(save);
    // The name every page prints comes with the session user: fetch it again.
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            auth.user.refetch();
        }
    });
    let current = auth
        .user
        .get_untracked()
        .and_then(Result::ok)
        .flatten()
        .and_then(|u| u.unit_name);
    view! {
        <section aria-labelledby="unit-heading" class="card">
            <h2 id="unit-heading">{t!(i18n, admin.unit_title)}</h2>
            <ErrorBox error=error />
            {move || matches!(save.value().get(), Some(Ok(()))).then(|| view! {
                <p class="notice" role="status">{t!(i18n, admin.unit_saved)}</p>
            })}
            <ActionForm action=save>
                <Field name="unit_name" label=move || t!(i18n, admin.unit_name)
                    help=ViewFn::from(move || t!(i18n, admin.unit_help)) required=true error value=current />
                <button type="submit" class="primary">{t!(i18n, admin.unit_save)}</button>
            </ActionForm>
        </section>
    }
}

/// The unit's login rules: whether staff must have a second factor too.
#[component]
fn LoginSettingsForm() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SetStaffSecondFactor>::new();
    let error = action_error(save);
    let settings = Resource::new(|| (), |_| login_settings());
    view! {
        <section aria-labelledby="login-heading" class="card">
            <h2 id="login-heading">{t!(i18n, admin.login_title)}</h2>
            <p>{t!(i18n, admin.login_intro)}</p>
            <ErrorBox error=error />
            {move || matches!(save.value().get(), Some(Ok(()))).then(|| view! {
                <p class="notice" role="status">{t!(i18n, admin.login_saved)}</p>
            })}
            <Transition fallback=|| ()>
                {move || show_result(settings.get(), move |s| view! {
                    <ActionForm action=save>
                        <fieldset class="field">
                            <legend>{t!(i18n, admin.staff_second_factor)}</legend>
                            <label class="choice">
                                <input type="radio" name="required" value="true" checked=s.staff_second_factor />
                                {t!(i18n, admin.yes)}
                            </label>
                            <label class="choice">
                                <input type="radio" name="required" value="false" checked=!s.staff_second_factor />
                                {t!(i18n, admin.no)}
                            </label>
                        </fieldset>
                        <button type="submit" class="primary">{t!(i18n, admin.login_save)}</button>
                    </ActionForm>
                })}
            </Transition>
        </section>
    }
}

#[derive(Clone, Copy)]
struct RowActions {
    set_role: ServerAction<SetRole>,
    set_active: ServerAction<SetActive>,
    reset: ServerAction<ResetPassword>,
    reset_for: RwSignal<Option<String>>,
    reset_factor: ServerAction<ResetSecondFactor>,
}

#[component]
fn RoleSelect(id: String, selected: Role) -> impl IntoView {
    view! {
        <select id=id name="role">
            {Role::ALL.into_iter().map(|role| view! {
                <option value=role.as_str() selected=role == selected><RoleName role /></option>
            }).collect_view()}
        </select>
    }
}

#[component]
fn UserTable(list: Vec<UserRow>, actions: RowActions) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-wrap">
            <table>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, admin.col_name)}</th>
                        <th scope="col">{t!(i18n, admin.col_username)}</th>
                        <th scope="col">{t!(i18n, admin.col_role)}</th>
                        <th scope="col">{t!(i18n, admin.col_status)}</th>
                        <th scope="col">{t!(i18n, admin.col_second_factor)}</th>
                        <th scope="col">{t!(i18n, admin.col_actions)}</th>
                    </tr>
                </thead>
                <tbody>
                    {list.into_iter().map(|user| view! { <UserRowView user actions /> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn UserRowView(user: UserRow, actions: RowActions) -> impl IntoView {
    let i18n = use_i18n();
    let username = user.username.clone();
    let role_id = format!("role-{}", user.username);
    // The reset form's ids: `{prefix}password`, as its error summary links them.
    let pw_prefix = format!("pw-{}-", user.username);
    let pw_id = format!("{pw_prefix}password");
    let pw_error = format!("{pw_id}-error");
    let pw_error_ref = pw_error.clone();
    let (u1, u2, u3, u4) = (
        username.clone(),
        username.clone(),
        username.clone(),
        username.clone(),
    );
    let (u5, u6) = (username.clone(), username.clone());
    let is_me = expect_context::<crate::app::Auth>()
        .user
        .get_untracked()
        .and_then(Result::ok)
        .flatten()
        .is_some_and(|me| me.username == user.username);
    let mine = username.clone();
    let reset_error = Signal::derive(move || {
        let for_me = actions
            .reset_for
            .with(|u| u.as_deref() == Some(mine.as_str()));
        for_me
            .then(|| actions.reset.value().get().and_then(Result::err))
            .flatten()
    });
    let reset_problem = move || reset_error.get().and_then(|e| e.problem_for("password"));
    // The form has one field: its refusal stands there (and is announced there); a
    // summary would only repeat it in the narrow column. Other refusals get the box.
    let reset_other = Signal::derive(move || {
        reset_error
            .get()
            .filter(|e| !matches!(e, crate::error::AppError::Invalid(_)))
    });
    view! {
        <tr class:inactive=!user.active>
            <td>{user.display_name.clone()}</td>
            <td>{username.clone()}</td>
            <td>
                <ActionForm action=actions.set_role attr:class="inline">
                    <input type="hidden" name="username" value=u1 />
                    <label for=role_id.clone() class="visually-hidden">
                        {t!(i18n, admin.role_for, username = move || u2.clone())}
                    </label>
                    <RoleSelect id=role_id selected=user.role />
                    <button type="submit">{t!(i18n, admin.save_role)}</button>
                </ActionForm>
            </td>
            <td>
                {if user.active { t!(i18n, admin.active).into_any() } else { t!(i18n, admin.inactive).into_any() }}
            </td>
            <td>
                {if user.second_factor { t!(i18n, admin.second_factor_on).into_any() } else { t!(i18n, admin.second_factor_off).into_any() }}
                // Not one's own: another administrator resets that.
                {(user.second_factor && !is_me).then(|| view! {
                    <ActionForm action=actions.reset_factor attr:class="inline">
                        <input type="hidden" name="username" value=u5 />
                        <button type="submit">
                            {t!(i18n, admin.reset_second_factor)}
                            <span class="visually-hidden">" – "{u6}</span>
                        </button>
                    </ActionForm>
                })}
            </td>
            <td class="actions">
                <ActionForm action=actions.set_active attr:class="inline">
                    <input type="hidden" name="username" value=u3 />
                    <input type="hidden" name="active" value=(!user.active).to_string() />
                    <button type="submit">
                        {if user.active { t!(i18n, admin.deactivate).into_any() } else { t!(i18n, admin.activate).into_any() }}
                    </button>
                </ActionForm>
                <details open=move || reset_error.get().is_some()>
                    <summary>{t!(i18n, admin.reset_password)}</summary>
                    <ErrorBox error=reset_other prefix=pw_prefix />
                    <ActionForm action=actions.reset>
                        <input type="hidden" name="username" value=u4.clone() />
                        <label for=pw_id.clone()>{t!(i18n, admin.new_password_for, username = move || u4.clone())}</label>
                        {move || reset_problem().map(|p| view! { <p class="field-error" id=pw_error.clone() role="alert"><ProblemText problem=p /></p> })}
                        <input id=pw_id type="password" name="password" autocomplete="new-password" required minlength="10"
                            aria-invalid=move || reset_problem().map(|_| "true")
                            aria-describedby=move || reset_problem().map(|_| pw_error_ref.clone()) />
                        <button type="submit">{t!(i18n, admin.set_password)}</button>
                    </ActionForm>
                </details>
            </td>
        </tr>
    }
}
