//! "Tvåstegsverifiering": enrolling an authenticator app (issue 17). A user whose role
//! needs a second factor and who has none is sent here by the login and the frame
//! before anything else. The QR code is drawn by the server; the secret is kept in the
//! session until the app's first code confirms it; the recovery codes are shown once.

use crate::api::account::{BeginSecondFactor, second_factor};
use crate::app::Auth;
use crate::components::{ErrorBox, Field, action_error, show_result};
use crate::i18n::*;
use crate::model::{SecondFactorOffer, SecondFactorState};
use leptos::prelude::*;
use leptos_meta::Title;

/// The page's path (the login and the frame send users here).
pub const PATH: &str = "/tvastegsverifiering";

#[component]
pub fn SecondFactorPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = expect_context::<Auth>();
    let state = Resource::new(move || auth.enrol.version().get(), |_| second_factor());
    view! {
        <Title text=move || t_string!(i18n, second_factor.title).to_string() />
        <section class="narrow card">
            <h1>{t!(i18n, second_factor.title)}</h1>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || show_result(state.get(), |state| view! { <State state /> })}
            </Transition>
        </section>
    }
}

/// What the page says for the account's state: the new codes just after enrolling,
/// the enrolment when there is one, otherwise the two steps to enrol.
#[component]
fn State(state: SecondFactorState) -> impl IntoView {
    let i18n = use_i18n();
    let auth = expect_context::<Auth>();
    let fresh_codes = move || auth.enrol.value().get().and_then(Result::ok);
    if let Some(codes) = fresh_codes() {
        return view! { <RecoveryCodes codes /> }.into_any();
    }
    match state.enrolled_on {
        Some(on) => {
            let left = state.recovery_codes_left;
            view! {
                <p class="notice" role="status">
                    {t!(i18n, second_factor.enrolled, on = move || on.format("%Y-%m-%d").to_string())}
                </p>
                <p>{t!(i18n, second_factor.codes_left, left = move || left)}</p>
                <p>{t!(i18n, second_factor.lost_phone)}</p>
            }
            .into_any()
        }
        None => view! {
            {state.required.then(|| view! {
                <p class="notice" role="status">{t!(i18n, second_factor.must_enrol)}</p>
            })}
            <p>{t!(i18n, second_factor.intro)}</p>
            <Enrol />
        }
        .into_any(),
    }
}

/// Step 1: show a new secret as a QR code; step 2: confirm it with the app's code.
#[component]
fn Enrol() -> impl IntoView {
    let i18n = use_i18n();
    let auth = expect_context::<Auth>();
    let begin = ServerAction::<BeginSecondFactor>::new();
    let begin_error = action_error(begin);
    let confirm_error = action_error(auth.enrol);
    let offer = move || begin.value().get().and_then(Result::ok);
    view! {
        <ol class="steps">
            <li>
                <h2>{t!(i18n, second_factor.step_show)}</h2>
                <p>{t!(i18n, second_factor.step_show_help)}</p>
                <ErrorBox error=begin_error />
                {move || match offer() {
                    Some(offer) => view! { <Offer offer /> }.into_any(),
                    None => view! {
                        <ActionForm action=begin>
                            <button type="submit" class="primary" disabled=move || begin.pending().get()>
                                {t!(i18n, second_factor.show)}
                            </button>
                        </ActionForm>
                    }
                    .into_any(),
                }}
            </li>
            <li>
                <h2>{t!(i18n, second_factor.step_confirm)}</h2>
                <ErrorBox error=confirm_error />
                <ActionForm action=auth.enrol>
                    <Field name="code" label=move || t!(i18n, second_factor.code)
                        help=ViewFn::from(move || t!(i18n, second_factor.code_help))
                        autocomplete="one-time-code" required=true error=confirm_error />
                    <button type="submit" class="primary" disabled=move || auth.enrol.pending().get()>
                        {t!(i18n, second_factor.confirm)}
                    </button>
                </ActionForm>
            </li>
        </ol>
    }
}

/// The QR code and the secret as text.
#[component]
fn Offer(offer: SecondFactorOffer) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <figure class="qr">
            <div role="img" aria-label=move || t_string!(i18n, second_factor.qr_label).to_string()
                inner_html=offer.qr_svg></div>
            <figcaption>
                {t!(i18n, second_factor.secret_label)}" "
                <code class="secret" data-secret="">{offer.secret}</code>
            </figcaption>
        </figure>
    }
}

/// The new recovery codes, shown once, with a way to the start page.
#[component]
fn RecoveryCodes(codes: Vec<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="notice" role="status" tabindex="-1" autofocus>{t!(i18n, second_factor.done)}</p>
        <h2>{t!(i18n, second_factor.codes_title)}</h2>
        <p>{t!(i18n, second_factor.codes_help)}</p>
        <ul class="recovery-codes" aria-label=move || t_string!(i18n, second_factor.codes_title).to_string()>
            {codes.into_iter().map(|code| view! { <li><code>{code}</code></li> }).collect_view()}
        </ul>
        <p><a href="/" class="button primary">{t!(i18n, second_factor.to_start)}</a></p>
    }
}
