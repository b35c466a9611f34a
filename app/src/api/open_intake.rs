//! Open intake (öppet intag): anonymous registrations with memory notes. Only the
//! therapist who registered one sees it; the manager sees anonymous statistics.

use crate::error::AppError;
use crate::model::{IntakeList, IntakeStats, IntakeView};
use leptos::prelude::*;

/// The user's own open registrations. The list read is logged without ids.
#[server(prefix = "/api", endpoint = "intake/list")]
pub async fn list_intakes() -> Result<IntakeList, AppError> {
    use crate::model::log::LogDetail;
    use crate::server::access_log::Action;
    use crate::server::guard::{Permission, require};
    use crate::server::open_intake;
    let ctx = require(Permission::ReadFiles).await?;
    let rows = open_intake::list_own(ctx.db(), &ctx.user).await?;
    let shown = LogDetail::Rows {
        rows: rows.len() as u64,
    };
    ctx.log(Action::ListIntakes, shown).await?;
    let today = crate::server::today();
    Ok(IntakeList {
        today,
        rows: rows
            .into_iter()
            .map(|r| open_intake::row_of(r, today))
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
    use crate::server::access_log::Action;
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
    let id = ctx
        .change(Action::CreateIntake, async |s| {
            let id = open_intake::create(s.db, s.user, new).await?;
            // Named by its id alone, so that closing it takes this line too.
            s.detail(id.clone());
            Ok(id)
        })
        .await?;
    leptos_axum::redirect(&format!("/intag/{id}"));
    Ok(id)
}

/// One of the user's own registrations, with its notes. Logged by its id.
#[server(prefix = "/api", endpoint = "intake/get")]
pub async fn get_intake(intake: String) -> Result<IntakeView, AppError> {
    use crate::server::access_log::Action;
    use crate::server::entities::open_intakes;
    use crate::server::guard;
    guard::on::<open_intakes::Model>(&intake)
        .read(Action::ReadIntake, async |i| {
            let r = i.opened.clone();
            Ok(IntakeView {
                id: r.public_id,
                pseudonym: r.pseudonym,
                service: r.service,
                started_on: r.started_on,
                sex: r.sex,
                age_band: r.age_band,
                notes: r.notes,
            })
        })
        .await
}

/// Replaces the memory notes of one's own registration.
#[server(prefix = "/api", endpoint = "intake/save_notes")]
pub async fn save_intake_notes(intake: String, notes: String) -> Result<(), AppError> {
    use crate::server::access_log::Action;
    use crate::server::entities::open_intakes;
    use crate::server::{guard, open_intake};
    guard::on::<open_intakes::Model>(&intake)
        .change(Action::ChangeIntakeNotes, async |i| {
            open_intake::save_notes(i.db, &i.opened, &notes).await
        })
        .await
}

/// Closes one's own registration: everything of it is deleted at once, one count is
/// added to the statistics; the log line says that an intake was closed, not which.
#[server(prefix = "/api", endpoint = "intake/close")]
pub async fn close_intake(intake: String) -> Result<(), AppError> {
    use crate::server::access_log::Action;
    use crate::server::entities::open_intakes;
    use crate::server::{guard, open_intake};
    guard::on::<open_intakes::Model>(&intake)
        .change(Action::CloseIntake, async |i| {
            i.no_detail();
            open_intake::close(i.db, &i.opened).await
        })
        .await?;
    open_intake::checkpoint(&guard::maintenance()?).await;
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
    let open = open_intake::open_counts(ctx.db()).await?;
    let closed = open_intake::statistics(ctx.db()).await?;
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
