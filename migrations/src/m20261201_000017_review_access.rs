//! A reviewer's access to an audited file ends at the round's due date (issue 14,
//! item 9). `audit_assignments.access_until` is the later day a manager allowed for
//! one review (`NULL`: the round's due date holds).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(AuditAssignments::Table)
                    .add_column(date_null(AuditAssignments::AccessUntil))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(AuditAssignments::Table)
                    .drop_column(AuditAssignments::AccessUntil)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum AuditAssignments {
    Table,
    AccessUntil,
}
