//! The client register: search, and registering a client with the assignment that
//! opens a file.

// `open_file` takes the form's fields one by one, so that a plain HTML form posts to it.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::{ClientHit, Page, UserOption};
use leptos::prelude::*;

pub const HITS_PER_PAGE: u64 = 25;

/// Files with their clients that the user may see (need-to-know), matching a name
/// or an identity number; all of them for an empty search. Logged as a list of
/// files, without the search text (it may be a personnummer).
#[server(prefix = "/api", endpoint = "clients/search")]
pub async fn search_clients(
    #[server(default)] q: String,
    #[server(default)] page: u64,
) -> Result<Page<ClientHit>, AppError> {
    use crate::error::Problem;
    use crate::model::log::ListKind;
    use crate::server::clients;
    use crate::server::guard::{Permission, require};
    let ctx = require(Permission::ReadFiles).await?;
    if q.chars().count() > 100 {
        return Err(AppError::field("q", Problem::TooLong { max: 100 }));
    }
    let page = page.min(100_000);
    let result = clients::search(ctx.db(), &ctx.user, &q, page, HITS_PER_PAGE).await?;
    // Never the search text itself: it may be a personnummer.
    ctx.log_listed(
        ListKind::ClientSearch,
        result.rows.iter().map(|r| r.file_id.as_str()),
    )
    .await?;
    Ok(result)
}

/// Active staff members: who can be contact person or co-worker.
#[server(prefix = "/api", endpoint = "clients/staff")]
pub async fn staff_options() -> Result<Vec<UserOption>, AppError> {
    use crate::server::clients;
    use crate::server::guard::{Permission, require};
    let ctx = require(Permission::ReadFiles).await?;
    Ok(clients::active_staff(ctx.db())
        .await?
        .iter()
        .map(clients::option)
        .collect())
}

/// Registers the client (or reuses the one with the same number, if the user may
/// see it) with the assignment, opens the file with its care team, and goes to it.
#[server(prefix = "/api", endpoint = "clients/open_file")]
pub async fn open_file(
    first_name: String,
    last_name: String,
    identity_number: String,
    #[server(default)] protected_identity: Option<String>,
    #[server(default)] phone: String,
    #[server(default)] email: String,
    #[server(default)] address: String,
    received_on: String,
    secretary_name: String,
    secretary_unit: String,
    #[server(default)] secretary_phone: String,
    #[server(default)] secretary_email: String,
    decision_date: String,
    service_type: String,
    service_granted: String,
    period_from: String,
    #[server(default)] period_to: String,
    #[server(default)] first_follow_up: String,
    contact_person: String,
    #[server(default)] co_workers: Option<Vec<String>>,
) -> Result<String, AppError> {
    use crate::error::{Problem, Problems};
    use crate::model::log::{LogDetail, RefusalReason};
    use crate::server::access_log::Action;
    use crate::server::clients::{self, NewFile};
    use crate::server::guard::{Permission, require};
    use akta_domain::assignment::{AssignmentDates, AssignmentField, parse_optional_date};
    use akta_domain::deadlines::ServiceType;
    use akta_domain::{IdentityNumber, Text};
    let ctx = require(Permission::ReadFiles).await?;
    let today = crate::server::today();
    let mut p = Problems::default();

    let first_name = p.check("first_name", Text::<120>::parse(&first_name), Problem::from);
    let last_name = p.check("last_name", Text::<120>::parse(&last_name), Problem::from);
    let identity = if identity_number.trim().is_empty() {
        p.add("identity_number", Problem::Empty);
        None
    } else {
        p.check(
            "identity_number",
            IdentityNumber::parse(&identity_number, today),
            Problem::from,
        )
    };
    let phone = optional::<40>(&mut p, "phone", &phone);
    let email = optional_email(&mut p, "email", &email);
    let address = optional::<300>(&mut p, "address", &address);

    let received_on = required_date(&mut p, "received_on", &received_on);
    let secretary_name = p.check(
        "secretary_name",
        Text::<120>::parse(&secretary_name),
        Problem::from,
    );
    let secretary_unit = p.check(
        "secretary_unit",
        Text::<120>::parse(&secretary_unit),
        Problem::from,
    );
    let secretary_phone = optional::<40>(&mut p, "secretary_phone", &secretary_phone);
    let secretary_email = optional_email(&mut p, "secretary_email", &secretary_email);
    let decision_date = required_date(&mut p, "decision_date", &decision_date);
    let service_type = p.check("service_type", ServiceType::parse(&service_type), |_| {
        Problem::InvalidService
    });
    let service_granted = p.check(
        "service_granted",
        Text::<300>::parse(&service_granted),
        Problem::from,
    );
    let period_from = required_date(&mut p, "period_from", &period_from);
    let period_to = p
        .check("period_to", parse_optional_date(&period_to), Problem::from)
        .flatten();
    let named_follow_up = p.check(
        "first_follow_up",
        parse_optional_date(&first_follow_up),
        Problem::from,
    );

    // The team: active staff only.
    let staff = clients::active_staff(ctx.db()).await?;
    let staff_id = |username: &str| {
        staff
            .iter()
            .find(|u| u.username == username.trim())
            .map(|u| u.id)
    };
    let contact_person_id = staff_id(&contact_person);
    if contact_person_id.is_none() {
        p.add("contact_person", Problem::InvalidStaff);
    }
    let mut co_worker_ids = Vec::new();
    for name in co_workers.unwrap_or_default().iter().take(50) {
        match staff_id(name) {
            Some(id) => co_worker_ids.push(id),
            None => p.add("co_workers", Problem::InvalidStaff),
        }
    }

    // The date rules, once every date parsed.
    let mut first_follow_up_on = None;
    if let (Some(received_on), Some(decision_date), Some(period_from), Some(named)) =
        (received_on, decision_date, period_from, named_follow_up)
    {
        let dates = AssignmentDates {
            received_on,
            decision_date,
            period_from,
            period_to,
            first_follow_up: named,
        };
        match dates.check(today) {
            Ok(first) => first_follow_up_on = Some(first),
            Err(list) => {
                for (field, problem) in list {
                    let name = match field {
                        AssignmentField::ReceivedOn => "received_on",
                        AssignmentField::DecisionDate => "decision_date",
                        AssignmentField::PeriodTo => "period_to",
                        AssignmentField::FirstFollowUp => "first_follow_up",
                    };
                    p.add(name, problem.into());
                }
            }
        }
    }
    p.into_result()?;
    let (
        Some(first_name),
        Some(last_name),
        Some(identity),
        Some(received_on),
        Some(secretary_name),
        Some(secretary_unit),
        Some(decision_date),
        Some(service_type),
        Some(service_granted),
        Some(period_from),
        Some(first_follow_up),
        Some(contact_person_id),
    ) = (
        first_name,
        last_name,
        identity,
        received_on,
        secretary_name,
        secretary_unit,
        decision_date,
        service_type,
        service_granted,
        period_from,
        first_follow_up_on,
        contact_person_id,
    )
    else {
        return Err(crate::server::internal("open_file: checked field missing"));
    };
    let new = NewFile {
        first_name: first_name.into_inner(),
        last_name: last_name.into_inner(),
        identity,
        protected_identity: protected_identity.is_some(),
        phone,
        email,
        address,
        received_on,
        secretary_name: secretary_name.into_inner(),
        secretary_unit: secretary_unit.into_inner(),
        secretary_phone,
        secretary_email,
        decision_date,
        service_type,
        service_granted: service_granted.into_inner(),
        period_from,
        period_to,
        first_follow_up,
        contact_person_id,
        co_worker_ids,
    };
    let service = new.service_type.as_str();
    let file_id = ctx
        .change(Action::OpenFile, async |s| {
            match clients::open_file(s.db, s.user, new).await? {
                Ok((file_id, named)) => {
                    s.made(named);
                    s.log_detail(LogDetail::Service {
                        service: service.to_owned(),
                    });
                    Ok(file_id)
                }
                // Item 5 of issue 14: the same neutral answer whoever the client is
                // (protected identity too), naming no file; the manager sees the
                // refusal, naming the client, on /logg.
                Err(existing) => {
                    s.refuse(existing, RefusalReason::ClientExists);
                    Err(AppError::field(
                        "identity_number",
                        Problem::IdentityNotVisible,
                    ))
                }
            }
        })
        .await?;
    tracing::info!(by = %ctx.user.username, "file opened");
    leptos_axum::redirect(&format!("/akter/{file_id}"));
    Ok(file_id)
}

#[cfg(feature = "ssr")]
fn required_date(
    p: &mut crate::error::Problems,
    field: &str,
    raw: &str,
) -> Option<chrono::NaiveDate> {
    use crate::error::Problem;
    if raw.trim().is_empty() {
        p.add(field, Problem::Empty);
        return None;
    }
    p.check(
        field,
        akta_domain::assignment::parse_date(raw),
        Problem::from,
    )
}

/// An optional text: empty is `None`, too long is a problem.
#[cfg(feature = "ssr")]
fn optional<const MAX: usize>(
    p: &mut crate::error::Problems,
    field: &str,
    raw: &str,
) -> Option<String> {
    if raw.trim().is_empty() {
        return None;
    }
    p.check(
        field,
        akta_domain::Text::<MAX>::parse(raw),
        crate::error::Problem::from,
    )
    .map(akta_domain::Text::into_inner)
}

#[cfg(feature = "ssr")]
fn optional_email(p: &mut crate::error::Problems, field: &str, raw: &str) -> Option<String> {
    let email = optional::<200>(p, field, raw)?;
    let plausible = email
        .split_once('@')
        .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'))
        && !email.contains(char::is_whitespace);
    if plausible {
        Some(email)
    } else {
        p.add(field, crate::error::Problem::InvalidEmail);
        None
    }
}
