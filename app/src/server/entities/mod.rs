//! One module per table, matching `migrations/`.

pub mod access_log;
pub mod assignments;
pub mod care_team;
pub mod case_files;
pub mod clients;
pub mod cull_log;
pub mod deletion_permits;
pub mod goals;
pub mod intake_checks;
pub mod journal_entries;
pub mod journal_entry_goals;
pub mod open_intake_stats;
pub mod open_intakes;
pub mod plan_versions;
pub mod sessions;
pub mod users;
