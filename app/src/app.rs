//! The HTML shell, the router and the frame around every page.

use crate::api::account::{ChangePassword, ConfirmSecondFactor};
use crate::api::auth::{Login, LoginCode, Logout, current_user};
use crate::components::Frame;
use crate::i18n::*;
use crate::pages::{
    access_log::AccessLogPage,
    admin::AdminUsers,
    audit::{AuditPage, FileAuditPage, ReviewPage, RoundPage},
    clients::{ClientsPage, NewFilePage},
    culling::CullingPage,
    deviations::{DeviationPage, DeviationsPage},
    duties::{ClosingPageView, FollowUpsPageView},
    file::FilePage,
    home::Home,
    login::{LoginCodePage, LoginPage},
    monthly::{ReportPageView, ReviewPageView},
    not_found::NotFound,
    open_intake::{IntakePage, IntakesPage},
    password::PasswordPage,
    plan::PlanPageView,
    second_factor::SecondFactorPage,
    team::TeamPage,
};
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// The document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    crate::plurals::install();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="referrer" content="same-origin" />
                <HashedStylesheet options=options.clone() id="leptos" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The session-wide state every page may use: who is logged in, and the login and
/// logout actions whose completion refreshes it.
#[derive(Clone, Copy)]
pub struct Auth {
    pub user: Resource<Result<Option<crate::model::SessionUser>, crate::error::AppError>>,
    pub login: ServerAction<Login>,
    pub logout: ServerAction<Logout>,
    /// Changing one's own password (it clears the must-change flag the frame obeys).
    pub password: ServerAction<ChangePassword>,
    /// The login's second step (the code from the app, or a recovery code).
    pub code: ServerAction<LoginCode>,
    /// Confirming a new second factor (it clears the must-enrol flag the frame obeys).
    pub enrol: ServerAction<ConfirmSecondFactor>,
}

#[component]
pub fn App() -> impl IntoView {
    crate::plurals::install();
    provide_meta_context();
    let login = ServerAction::<Login>::new();
    let logout = ServerAction::<Logout>::new();
    let password = ServerAction::<ChangePassword>::new();
    let code = ServerAction::<LoginCode>::new();
    let enrol = ServerAction::<ConfirmSecondFactor>::new();
    let user = Resource::new(
        move || {
            (
                login.version().get(),
                logout.version().get(),
                password.version().get(),
                code.version().get(),
                enrol.version().get(),
            )
        },
        |_| current_user(),
    );
    provide_context(Auth {
        user,
        login,
        logout,
        password,
        code,
        enrol,
    });
    // Unsaved journal text kept in the tab belongs to whoever wrote it: gone at logout,
    // and at login all but the new user's own (a shared computer, the same tab).
    Effect::new(move |_| {
        if let Some(Ok(())) = logout.value().get() {
            crate::pages::file::clear_unsaved_of_others(None);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(Some(me))) = user.get() {
            crate::pages::file::clear_unsaved_of_others(Some(&me.username));
        }
    });

    // Akta is a Swedish system: Swedish unless the user chose English (a cookie),
    // whatever language the browser asks for.
    let swedish_unless_chosen =
        leptos_use::UseLocalesOptions::default().ssr_lang_header_getter(|| None::<String>);

    // The chosen language holds on every page: the cookie is the site's, not the path's.
    let cookie = leptos_i18n::context::CookieOptions::<Locale>::default().path("/");

    view! {
        <I18nContextProvider ssr_lang_header_getter=swedish_unless_chosen cookie_options=cookie>
            <Title formatter=|text: String| format!("{text} – Akta") />
            <Router>
                <Frame>
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=Home />
                        <Route path=path!("/logga-in") view=LoginPage />
                        <Route path=path!("/logga-in/kod") view=LoginCodePage />
                        <Route path=path!("/byt-losenord") view=PasswordPage />
                        <Route path=path!("/tvastegsverifiering") view=SecondFactorPage />
                        <Route path=path!("/admin/anvandare") view=AdminUsers />
                        <Route path=path!("/admin/gallring") view=CullingPage />
                        <Route path=path!("/intag") view=IntakesPage />
                        <Route path=path!("/intag/:id") view=IntakePage />
                        <Route path=path!("/akter/:id") view=FilePage />
                        <Route path=path!("/akter/:id/plan") view=PlanPageView />
                        <Route path=path!("/klienter") view=ClientsPage />
                        <Route path=path!("/klienter/ny") view=NewFilePage />
                        <Route path=path!("/logg") view=AccessLogPage />
                        <Route path=path!("/akter/:id/team") view=TeamPage />
                        <Route path=path!("/granskning") view=AuditPage />
                        <Route path=path!("/granskning/:round") view=RoundPage />
                        <Route path=path!("/granskning/:round/:assignment") view=ReviewPage />
                        <Route path=path!("/akter/:id/granskning") view=FileAuditPage />
                        <Route path=path!("/akter/:id/uppfoljningar") view=FollowUpsPageView />
                        <Route path=path!("/akter/:id/avslut") view=ClosingPageView />
                        <Route path=path!("/avvikelser") view=DeviationsPage />
                        <Route path=path!("/avvikelser/:id") view=DeviationPage />
                        <Route path=path!("/akter/:id/genomgang") view=ReviewPageView />
                        <Route path=path!("/akter/:id/manadsrapport") view=ReportPageView />
                    </Routes>
                </Frame>
            </Router>
        </I18nContextProvider>
    }
}
