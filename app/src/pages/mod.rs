//! One module per page.

pub mod access_log;
pub mod admin;
pub mod audit;
pub mod clients;
pub mod culling;
pub mod deviations;
pub mod duties;
pub mod file;
pub mod home;
pub mod login;
pub mod monthly;
pub mod not_found;
pub mod open_intake;
pub mod password;
pub mod plan;
pub mod second_factor;
pub mod team;
