//! Server functions, one module per area. Each one is guard → domain → view model: it
//! starts with the guard — `server::guard::file(id)` (or `guard::on::<Target>(id)`) for
//! one file, review, deviation or intake, `server::guard::require(permission)` for the
//! rest — so a new one cannot forget the permission check, need-to-know, the access
//! log or the transaction. All are POST: those that change data must be, and the rest
//! gain nothing from GET.

pub mod access_log;
pub mod account;
pub mod admin;
pub mod audit;
pub mod auth;
pub mod clients;
pub mod culling;
pub mod deviations;
pub mod duties;
pub mod files;
pub mod journal;
pub mod monthly;
pub mod open_intake;
pub mod plan;
pub mod team;
