//! Akta's integration tests: one binary (one link step), one module per area,
//! every database scenario run on SQLite and on PostgreSQL (`common`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[macro_use]
mod common;

mod access_log;
mod append_only;
mod audit;
mod backup;
mod clients;
mod crash;
mod culling;
mod database;
mod demo;
mod deviations;
mod duties;
mod faults;
mod findings;
mod http;
mod journal;
mod limits;
mod load;
mod log_events;
mod monthly;
mod open_intake;
mod origin;
mod plan;
mod rules;
mod scale;
mod second_factor;
mod security;
mod sessions;
mod team;
mod transactions;
mod unit_name;
