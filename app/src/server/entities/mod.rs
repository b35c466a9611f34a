//! One module per table, matching `migrations/`.

pub mod access_log;
pub mod assignments;
pub mod audit_answers;
pub mod audit_assignments;
pub mod audit_judgements;
pub mod audit_reviewers;
pub mod audit_round_items;
pub mod audit_rounds;
pub mod care_team;
pub mod case_files;
pub mod clients;
pub mod cull_log;
pub mod deletion_permits;
pub mod final_reports;
pub mod follow_ups;
pub mod goals;
pub mod intake_checks;
pub mod journal_entries;
pub mod journal_entry_goals;
pub mod open_intake_stats;
pub mod open_intakes;
pub mod plan_versions;
pub mod sessions;
pub mod unit_settings;
pub mod users;
