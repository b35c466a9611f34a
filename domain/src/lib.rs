//! Akta's domain: the rules of the routine as plain functions and types.
//!
//! Nothing here does I/O, knows about HTTP or talks to a database, so every rule
//! can be unit- and property-tested on its own and shared by server and browser.

pub mod agreement;
pub mod assignment;
pub mod audit_round;
pub mod checklist;
pub mod closing;
pub mod culling;
pub mod deadlines;
pub mod deviations;
pub mod identity;
pub mod intake;
pub mod journal;
pub mod monthly;
pub mod office_hours;
pub mod open_intake;
pub mod pairing;
pub mod plan;
pub mod role;
pub mod text;
pub mod throttle;

pub use identity::{IdentityNumber, IdentityNumberError};
pub use role::Role;
pub use text::{Text, TextError, UsernameError};
