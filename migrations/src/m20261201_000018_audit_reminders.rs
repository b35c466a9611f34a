//! Reminders of an audit round (issue 15, part 3): the manager's "Påminn" sends a
//! reviewer an in-app reminder, shown on every page until the reviewer opens their
//! reviews. Recorded with who sent it and when, and when it was opened.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditReminders::Table)
                    .col(pk_auto(AuditReminders::Id))
                    .col(integer(AuditReminders::RoundId))
                    .col(integer(AuditReminders::ReviewerId))
                    .col(integer(AuditReminders::SentBy))
                    .col(timestamp_with_time_zone(AuditReminders::SentAt))
                    .col(timestamp_with_time_zone_null(AuditReminders::OpenedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AuditReminders::Table, AuditReminders::RoundId)
                            .to(AuditRounds::Table, AuditRounds::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AuditReminders::Table, AuditReminders::ReviewerId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(AuditReminders::Table, AuditReminders::SentBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        // Every page asks for the user's unopened reminders.
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_reminders_reviewer")
                    .table(AuditReminders::Table)
                    .col(AuditReminders::ReviewerId)
                    .col(AuditReminders::OpenedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditReminders::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AuditReminders {
    Table,
    Id,
    RoundId,
    ReviewerId,
    SentBy,
    SentAt,
    OpenedAt,
}

#[derive(DeriveIden)]
enum AuditRounds {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}
