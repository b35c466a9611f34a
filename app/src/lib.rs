//! Akta's user interface and server functions.
//!
//! Pages ask server functions (`api`); behind the `ssr` feature the `server`
//! module holds the entities, queries, the session store and the auth guard that
//! every server function passes through. Nothing under `server` reaches the wasm.

#![recursion_limit = "256"]

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod api;
mod app;
pub mod components;
pub mod error;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

pub use app::{App, shell};
