//! One module per page.

pub mod admin;
pub mod home;
pub mod login;
pub mod not_found;
