//! One module per page.

pub mod admin;
pub mod file;
pub mod home;
pub mod login;
pub mod not_found;
pub mod plan;
