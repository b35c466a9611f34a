use crate::app::Auth;
use crate::components::{ErrorBox, Field, action_error};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = expect_context::<Auth>();
    let query = use_query_map();
    let logged_out =
        move || query.read().get("utloggad").is_some() && auth.login.value().get().is_none();
    let error = action_error(auth.login);
    view! {
        <Title text=move || t_string!(i18n, login.title).to_string() />
        <section class="narrow card">
            <h1>{t!(i18n, login.title)}</h1>
            <p>{t!(i18n, login.intro)}</p>
            {move || logged_out().then(|| view! { <p class="notice" role="status">{t!(i18n, login.logged_out)}</p> })}
            <ErrorBox error />
            <ActionForm action=auth.login>
                <Field name="username" label=move || t!(i18n, login.username) autocomplete="username" required=true error />
                <Field name="password" kind="password" label=move || t!(i18n, login.password) autocomplete="current-password" required=true error />
                <button type="submit" class="primary" disabled=move || auth.login.pending().get()>
                    {t!(i18n, login.submit)}
                </button>
            </ActionForm>
        </section>
    }
}

/// The login's second step (the account has an authenticator app).
pub const CODE_PATH: &str = "/logga-in/kod";

/// "Kod": the six digits from the authenticator app, or a recovery code.
#[component]
pub fn LoginCodePage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = expect_context::<Auth>();
    let error = action_error(auth.code);
    view! {
        <Title text=move || t_string!(i18n, login_code.title).to_string() />
        <section class="narrow card">
            <h1>{t!(i18n, login_code.title)}</h1>
            <p>{t!(i18n, login_code.intro)}</p>
            <ErrorBox error />
            <ActionForm action=auth.code>
                <Field name="code" label=move || t!(i18n, login_code.code)
                    help=ViewFn::from(move || t!(i18n, login_code.help))
                    autocomplete="one-time-code" required=true error />
                <button type="submit" class="primary" disabled=move || auth.code.pending().get()>
                    {t!(i18n, login_code.submit)}
                </button>
            </ActionForm>
            <p><a href="/logga-in">{t!(i18n, login_code.restart)}</a></p>
        </section>
    }
}
