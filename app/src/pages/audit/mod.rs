//! The yearly peer file audit (aktgranskning): the start page with the user's own
//! reviews and (for the manager) the rounds and the form to open one; a round's
//! pairing, completion, results and findings; the reviewer's workspace for one file;
//! the contact person's results and findings to follow up. One file per page, this
//! one holds the small parts they share.

use crate::api::audit::{
    AddChecklistItem, ExtendReview, OpenRound, RedrawRound, RemindReviewer, RemoveChecklistItem,
    ReopenReview, RespondToFinding, SaveAnswer, SaveChecklistItem, SaveJudgement, SetAuditSettings,
    SetRoundStatus, SubmitReview, SwapReviewer, get_audit_overview, get_file_audit, get_round,
    get_workspace,
};
use crate::components::{
    AreaField, ErrorBox, Field, ProblemText, action_error, focus_later, show_result,
};
use crate::error::{AppError, Problem};
use crate::i18n::*;
use crate::model::audit::{
    AgreementRow, AssignmentRow, AuditOverview, AuditPeriod, AuditWorkspace, ChecklistItemView,
    DoubleReview, EarlierFindings, FileAuditRow, FindingAction, FindingStatus, ItemAnswer,
    ItemResult, ResultGroup, ReviewResult, ReviewStatus, RoundFinding, RoundStatus, RoundView,
    YearOverYear, answer_field, data_url, finding_key, parse_answer_field,
};
use crate::pages::file::CategoryName;
use crate::pages::home::ServiceName;
use akta_domain::checklist::{Answer, Judgement};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

mod overview;
mod results;
mod review;
mod round;
pub use overview::*;
pub use results::*;
pub use review::*;
pub use round::*;

#[component]
fn RoundStatusName(status: RoundStatus) -> impl IntoView {
    let i18n = use_i18n();
    match status {
        RoundStatus::Draft => t!(i18n, audit.status_draft).into_any(),
        RoundStatus::Published => t!(i18n, audit.status_published).into_any(),
        RoundStatus::Closed => t!(i18n, audit.status_closed).into_any(),
    }
}

/// A plan period by its number, or "the year without a plan" (number 0: a file with
/// no plan period in the round's year).
#[component]
fn PeriodName(n: u32) -> impl IntoView {
    let i18n = use_i18n();
    if n == 0 {
        t!(i18n, audit.year_without_plan).into_any()
    } else {
        t!(i18n, plan.period, n = move || n).into_any()
    }
}

#[component]
fn ReviewState(status: ReviewStatus, overdue: bool) -> impl IntoView {
    let i18n = use_i18n();
    match status {
        ReviewStatus::Submitted => {
            view! { <span class="badge ok">{t!(i18n, audit.state_submitted)}</span> }.into_any()
        }
        _ if overdue => {
            view! { <span class="badge warn">{t!(i18n, audit.state_overdue)}</span> }.into_any()
        }
        ReviewStatus::Started => t!(i18n, audit.state_started).into_any(),
        ReviewStatus::NotStarted => t!(i18n, audit.state_not_started).into_any(),
    }
}

/// A period's dates: "2026-01-05 – 2026-04-30", or "från 2026-05-01" while in force.
fn period_dates(from: NaiveDate, to: Option<NaiveDate>) -> AnyView {
    let i18n = use_i18n();
    let from = from.to_string();
    match to {
        Some(to) => {
            let to = to.to_string();
            t!(
                i18n,
                plan.from_to,
                from = move || from.clone(),
                to = move || to.clone()
            )
            .into_any()
        }
        None => t!(i18n, plan.from, from = move || from.clone()).into_any(),
    }
}

/// Prints the page (the print stylesheet shows the whole review).
fn print_page() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}

fn judgement_label(j: Judgement) -> AnyView {
    let i18n = use_i18n();
    match j {
        Judgement::Yes => t!(i18n, audit.answer_yes).into_any(),
        Judgement::Partly => t!(i18n, audit.answer_partly).into_any(),
        Judgement::No => t!(i18n, audit.answer_no).into_any(),
    }
}

fn answer_label(a: Answer) -> AnyView {
    let i18n = use_i18n();
    match a {
        Answer::Yes => t!(i18n, audit.answer_yes).into_any(),
        Answer::Partly => t!(i18n, audit.answer_partly).into_any(),
        Answer::No => t!(i18n, audit.answer_no).into_any(),
        Answer::NotApplicable => t!(i18n, audit.answer_not_applicable).into_any(),
    }
}
