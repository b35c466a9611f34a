//! The monthly journal review and the monthly report of a file.
//!
//! Plain form posts (URL-encoded), so the forms work before the page has hydrated.
//! Reading either page is a read of the client's file: logged, with the month.

// A server function's arguments are its form's fields.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::monthly::{ReportPage, ReviewPage};
use leptos::prelude::*;

/// The review page of a month (`YYYY-MM`; empty: the month the page opens on).
#[server(prefix = "/api", endpoint = "monthly/review")]
pub async fn review_view(
    file: String,
    #[server(default)] month: String,
) -> Result<ReviewPage, AppError> {
    use crate::server::access_log::Action;
    use crate::server::{guard, monthly};
    guard::file(&file)
        .read(Action::ReadMonthlyReview, async |f| {
            let today = crate::server::today();
            let month = monthly::month_of(&f.opened, Some(&month), today)?;
            f.log_detail(crate::model::log::LogDetail::Month {
                month: month.to_string(),
            });
            monthly::review_view(f.db, &f.opened, month, today).await
        })
        .await
}

/// Signs the review of a month into the journal. Returns the month.
#[server(prefix = "/api", endpoint = "monthly/sign_review")]
pub async fn sign_review(
    file: String,
    month: String,
    #[server(default)] phrasing: Option<String>,
    text: String,
    #[server(default)] action_what: String,
    #[server(default)] action_when: String,
    #[server(default)] action_how: String,
    #[server(default)] follow_up_on: String,
    #[server(default)] follow_up_how: String,
) -> Result<String, AppError> {
    use crate::server::access_log::Action;
    use crate::server::{guard, monthly};
    let input = monthly::ReviewInput {
        month: &month,
        phrasing: phrasing.as_deref().unwrap_or_default(),
        text: &text,
        action_what: &action_what,
        action_when: &action_when,
        action_how: &action_how,
        follow_up_on: &follow_up_on,
        follow_up_how: &follow_up_how,
    };
    guard::file(&file)
        .change(Action::SignMonthlyReview, async |f| {
            let today = crate::server::today();
            let month = monthly::sign_review(f.db, &f.opened, f.user, &input, today)
                .await?
                .to_string();
            f.log_detail(crate::model::log::LogDetail::Month {
                month: month.clone(),
            });
            Ok(month)
        })
        .await
}

/// The monthly report page of a month (`YYYY-MM`; empty: the month the page opens on).
#[server(prefix = "/api", endpoint = "monthly/report")]
pub async fn report_view(
    file: String,
    #[server(default)] month: String,
) -> Result<ReportPage, AppError> {
    use crate::server::access_log::Action;
    use crate::server::{guard, monthly};
    guard::file(&file)
        .read(Action::ReadMonthlyReport, async |f| {
            let today = crate::server::today();
            let month = monthly::month_of(&f.opened, Some(&month), today)?;
            f.log_detail(crate::model::log::LogDetail::Month {
                month: month.to_string(),
            });
            monthly::report_view(f.db, &f.opened, month, today).await
        })
        .await
}

/// Signs the monthly report of a month. Returns the month.
#[server(prefix = "/api", endpoint = "monthly/sign_report")]
pub async fn sign_report(
    file: String,
    month: String,
    #[server(default)] goal_ids: Option<Vec<String>>,
    #[server(default)] evaluations: Option<Vec<String>>,
    #[server(default)] evaluation: String,
    #[server(default)] events: String,
    #[server(default)] deviation_actions: String,
    #[server(default)] client_copy: Option<String>,
) -> Result<String, AppError> {
    use crate::server::access_log::Action;
    use crate::server::{guard, monthly};
    let goal_ids = goal_ids.unwrap_or_default();
    let evaluations = evaluations.unwrap_or_default();
    let input = monthly::ReportInput {
        month: &month,
        goal_ids: &goal_ids,
        evaluations: &evaluations,
        evaluation: &evaluation,
        events: &events,
        deviation_actions: &deviation_actions,
        client_copy: client_copy.as_deref().unwrap_or_default(),
    };
    guard::file(&file)
        .change(Action::SignMonthlyReport, async |f| {
            let today = crate::server::today();
            let month = monthly::sign_report(f.db, &f.opened, f.user, &input, today)
                .await?
                .to_string();
            f.log_detail(crate::model::log::LogDetail::Month {
                month: month.clone(),
            });
            Ok(month)
        })
        .await
}
