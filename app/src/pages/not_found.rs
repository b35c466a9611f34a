use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=move || t_string!(i18n, error.page_not_found).to_string() />
        <h1>{t!(i18n, error.page_not_found)}</h1>
        <p><a href="/">{t!(i18n, error.back_home)}</a></p>
    }
}
