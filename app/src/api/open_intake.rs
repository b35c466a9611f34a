//! Open intake (öppet intag): anonymous registrations with memory notes. Only the
//! therapist who registered one sees it; the manager sees anonymous statistics.

use crate::error::AppError;
use crate::model::{IntakeList, IntakeStats, IntakeView};
use leptos::prelude::*;

/// The user's own open registrations.
#[server(prefix = "/api", endpoint = "intake/list")]
pub async fn list_intakes() -> Result<IntakeList, AppError> {
    use crate::model::IntakeRow;
    use crate::server::guard::{Permission, require};
    use crate::server::open_intake;
    let ctx = require(Permission::ReadFiles).await?;
    let rows = open_intake::list_own(&ctx.db, &ctx.user).await?;
    Ok(IntakeList {
        today: crate::server::today(),
        rows: rows
            .into_iter()
            .map(|r| IntakeRow {
                id: r.public_id,
                pseudonym: r.pseudonym,
                service: r.service,
                started_on: r.started_on,
            })
            .collect(),
    })
}

/// Registers an anonymous open-intake client; returns the new registration's id.
#[server(prefix = "/api", endpoint = "intake/create")]
pub async fn create_intake(
    pseudonym: String,
    service: String,
    started_on: String,
    sex: String,
    age_band: String,
    notes: String,
) -> Result<String, AppError> {
    use crate::server::guard::{Permission, require};
    use crate::server::open_intake::{self, NewIntake};
    let ctx = require(Permission::ReadFiles).await?;
    let new = NewIntake::parse(
        &pseudonym,
        &service,
        &started_on,
        &sex,
        &age_band,
        &notes,
        crate::server::today(),
    )?;
    let id = open_intake::create(&ctx.db, &ctx.user, new).await?;
    leptos_axum::redirect(&format!("/intag/{id}"));
    Ok(id)
}

/// One of the user's own registrations, with its notes. Logged by its id.
#[server(prefix = "/api", endpoint = "intake/get")]
pub async fn get_intake(intake: String) -> Result<IntakeView, AppError> {
    use crate::server::guard::{Permission, require};
    use crate::server::open_intake;
    let ctx = require(Permission::ReadFiles).await?;
    let r = open_intake::read(&ctx.db, &ctx.user, &intake).await?;
    Ok(IntakeView {
        id: r.public_id,
        pseudonym: r.pseudonym,
        service: r.service,
        started_on: r.started_on,
        sex: r.sex,
        age_band: r.age_band,
        notes: r.notes,
    })
}

/// Replaces the memory notes of one's own registration.
#[server(prefix = "/api", endpoint = "intake/save_notes")]
pub async fn save_intake_notes(intake: String, notes: String) -> Result<(), AppError> {
    use crate::server::guard::{Permission, require};
    use crate::server::open_intake;
    let ctx = require(Permission::ReadFiles).await?;
    open_intake::save_notes(&ctx.db, &ctx.user, &intake, &notes).await
}

/// Closes one's own registration: everything of it is deleted at once, one count is
/// added to the statistics.
#[server(prefix = "/api", endpoint = "intake/close")]
pub async fn close_intake(intake: String) -> Result<(), AppError> {
    use crate::server::guard::{Permission, require};
    use crate::server::open_intake;
    let ctx = require(Permission::ReadFiles).await?;
    open_intake::close(&ctx.db, &ctx.user, &intake).await?;
    leptos_axum::redirect("/intag?avslutad=1");
    Ok(())
}

/// The anonymous statistics (manager only).
#[server(prefix = "/api", endpoint = "intake/statistics")]
pub async fn intake_statistics() -> Result<IntakeStats, AppError> {
    use crate::model::IntakeStatRow;
    use crate::server::guard::{Permission, require};
    use crate::server::open_intake;
    let ctx = require(Permission::ManageUnit).await?;
    let open = open_intake::open_counts(&ctx.db).await?;
    let closed = open_intake::statistics(&ctx.db).await?;
    Ok(IntakeStats {
        open,
        closed: closed
            .into_iter()
            .map(|r| IntakeStatRow {
                service: r.service,
                month: r.month,
                sex: r.sex,
                age_band: r.age_band,
                closed: r.closed,
            })
            .collect(),
    })
}
