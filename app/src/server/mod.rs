//! Server-only code: entities, queries, the session store and the auth guard.

pub mod access_log;
pub mod audit;
pub mod client_addr;
pub mod clients;
pub mod culling;
pub mod db;
pub mod db_error;
pub mod deviations;
pub mod due_summary;
pub mod duties;
pub mod entities;
pub mod files;
pub mod guard;
pub mod ids;
pub mod journal;
pub mod log_review;
pub mod monthly;
pub mod open_intake;
pub mod permits;
pub mod plan;
pub mod second_factor;

pub mod sessions;
pub mod settings;
pub mod team;
pub mod throttle;
pub mod unit;
pub mod users;

use crate::error::AppError;

/// Logs an internal failure that is not a database error (those become `AppError`
/// through `?`, see `db_error`) with its cause and where it happened, and returns the
/// generic error the user sees. The cause never leaves the server.
#[track_caller]
pub fn internal(err: impl std::fmt::Display) -> AppError {
    let at = std::panic::Location::caller();
    tracing::error!(error = %err, %at, "internal error");
    AppError::Internal
}

pub fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

/// Today's date in Sweden: deadlines and "not in the future" rules are local dates.
pub fn today() -> chrono::NaiveDate {
    swedish(chrono::Utc::now()).date()
}

/// A moment as Swedish wall-clock time, HH:MM.
pub fn local_time(at: chrono::DateTime<chrono::Utc>) -> String {
    swedish(at).format("%H:%M").to_string()
}

/// Europe/Stockholm without a tz database: CET/CEST by the EU rule (last Sunday of
/// March/October at 01:00 UTC).
pub(crate) fn swedish(at: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDateTime {
    let offset = if is_eu_summer_time(at) { 2 } else { 1 };
    at.naive_utc() + chrono::Duration::hours(offset)
}

fn is_eu_summer_time(now: chrono::DateTime<chrono::Utc>) -> bool {
    use chrono::{Datelike, NaiveDate, Weekday};
    let last_sunday = |month: u32| {
        let mut d = NaiveDate::from_ymd_opt(now.year(), month, 31).unwrap_or_default();
        while d.weekday() != Weekday::Sun {
            d = d.pred_opt().unwrap_or(d);
        }
        d.and_hms_opt(1, 0, 0).unwrap_or_default().and_utc()
    };
    now >= last_sunday(3) && now < last_sunday(10)
}
