//! "Byt lösenord": one's own password, with the current one. A user whose password an
//! administrator set is sent here by the frame before anything else.

use crate::app::Auth;
use crate::components::{ErrorBox, Field, action_error};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;

/// The page's path (the login and the frame send users here).
pub const PATH: &str = "/byt-losenord";

#[component]
pub fn PasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = expect_context::<Auth>();
    let action = auth.password;
    let error = action_error(action);
    let done = move || matches!(action.value().get(), Some(Ok(())));
    let must = move || {
        auth.user
            .get()
            .and_then(Result::ok)
            .flatten()
            .is_some_and(|u| u.must_change_password)
    };
    let logged_in = move || auth.user.get().and_then(Result::ok).flatten().is_some();
    view! {
        <Title text=move || t_string!(i18n, password.title).to_string() />
        <section class="narrow card">
            <h1>{t!(i18n, password.title)}</h1>
            <Transition fallback=|| ()>
                {move || (!logged_in()).then(|| view! {
                    <p>{t!(i18n, error.not_logged_in)}" "<a href="/logga-in">{t!(i18n, error.go_login)}</a></p>
                })}
                {move || must().then(|| view! {
                    <p class="notice" role="status">{t!(i18n, password.must_change)}</p>
                })}
            </Transition>
            {move || done().then(|| view! {
                <p class="notice" role="status">{t!(i18n, password.done)}" "<a href="/">{t!(i18n, password.to_start)}</a></p>
            })}
            <p>{t!(i18n, password.intro)}</p>
            <p>
                {t!(i18n, password.second_factor)}" "
                <a href=crate::pages::second_factor::PATH>{t!(i18n, password.second_factor_link)}</a>
            </p>
            <ErrorBox error />
            <ActionForm action=action>
                <Field name="current_password" kind="password" label=move || t!(i18n, password.current) autocomplete="current-password" required=true error />
                <Field name="new_password" kind="password" label=move || t!(i18n, password.new) help=ViewFn::from(move || t!(i18n, password.help)) autocomplete="new-password" required=true error />
                <Field name="new_password_again" kind="password" label=move || t!(i18n, password.again) autocomplete="new-password" required=true error />
                <button type="submit" class="primary" disabled=move || action.pending().get()>
                    {t!(i18n, password.submit)}
                </button>
            </ActionForm>
        </section>
    }
}
