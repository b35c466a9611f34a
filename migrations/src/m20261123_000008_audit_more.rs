//! More of the file audit (issue 6):
//!
//! - `audit_rounds.second_reviews`: how many files of the round get a second, independent
//!   reviewer (rows of `audit_assignments` with `second_review = true`); 0 = none.
//! - `audit_rounds.checklist_version`: bumped by every change of the round's checklist
//!   while the round is a draft ("Checklista version 3").
//! - `unit_settings`: the unit's settings as key and value, with who changed them last.
//!   The first is `audit.show_reviewer_names` (default off: contact persons see the results
//!   of audits of their files without the reviewer's name).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        manager
            .alter_table(
                Table::alter()
                    .table(AuditRounds::Table)
                    .add_column(integer(AuditRounds::SecondReviews).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(AuditRounds::Table)
                    .add_column(integer(AuditRounds::ChecklistVersion).default(1))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(UnitSettings::Table)
                    .col(string_len(UnitSettings::Key, 60).primary_key())
                    .col(string_len(UnitSettings::Value, 200))
                    .col(integer_null(UnitSettings::UpdatedBy))
                    .col(timestamp_with_time_zone(UnitSettings::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(UnitSettings::Table, UnitSettings::UpdatedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(UnitSettings::Table).to_owned())
            .await?;
        for col in [AuditRounds::SecondReviews, AuditRounds::ChecklistVersion] {
            manager
                .alter_table(
                    Table::alter()
                        .table(AuditRounds::Table)
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum AuditRounds {
    Table,
    SecondReviews,
    ChecklistVersion,
}

#[derive(DeriveIden)]
enum UnitSettings {
    Table,
    Key,
    Value,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}
