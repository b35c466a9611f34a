//! The `akta` server: configuration, the axum router around the Leptos app,
//! sessions, security headers, rate limits, and the commands of the binary.

pub mod backup;
pub mod cli;
pub mod config;
pub mod demo;
pub mod http;
pub mod roles;
pub mod statuses;

pub use config::Config;
pub use http::{build_router, serve};
