//! Akta's schema. A migration that has landed on main is never edited: a change
//! to the schema is a new migration.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_foundation;
mod m20261123_000002_journal_plans;
mod m20261123_000003_audit;
mod m20261123_000004_duties;
mod m20261123_000005_retention;
mod m20261123_000006_deviations;
mod m20261123_000007_monthly;
mod m20261123_000008_audit_more;
mod m20261201_000011_sessions;
mod m20261201_000013_access_log_review;
mod m20261201_000015_security;
mod m20261201_000017_review_access;
mod m20261201_000018_audit_reminders;
mod m20261201_000019_audit_year_answers;
mod m20261201_000020_monthly_no_replace;
mod m20261202_000021_indexes_at_scale;
mod m20261202_000022_deviation_month;
mod m20261202_000023_audit_actions;
mod m20261203_000024_second_factor;
mod m20261203_000025_client_name_keys;
mod m20261204_000026_due_summaries;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_foundation::Migration),
            Box::new(m20261123_000002_journal_plans::Migration),
            Box::new(m20261123_000003_audit::Migration),
            Box::new(m20261123_000004_duties::Migration),
            Box::new(m20261123_000005_retention::Migration),
            Box::new(m20261123_000006_deviations::Migration),
            Box::new(m20261123_000007_monthly::Migration),
            Box::new(m20261123_000008_audit_more::Migration),
            Box::new(m20261201_000011_sessions::Migration),
            Box::new(m20261201_000013_access_log_review::Migration),
            Box::new(m20261201_000015_security::Migration),
            Box::new(m20261201_000017_review_access::Migration),
            Box::new(m20261201_000018_audit_reminders::Migration),
            Box::new(m20261201_000019_audit_year_answers::Migration),
            Box::new(m20261201_000020_monthly_no_replace::Migration),
            Box::new(m20261202_000021_indexes_at_scale::Migration),
            Box::new(m20261202_000022_deviation_month::Migration),
            Box::new(m20261202_000023_audit_actions::Migration),
            Box::new(m20261203_000024_second_factor::Migration),
            Box::new(m20261203_000025_client_name_keys::Migration),
            Box::new(m20261204_000026_due_summaries::Migration),
        ]
    }
}
