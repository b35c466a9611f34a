//! Accounts, sessions, clients, case files, plans and the journal, and the access log.
//!
//! Two invariants live in the database itself, not only in the application:
//! a signed journal entry can never be changed or deleted, and the access log is
//! append-only. Both are triggers, written once for SQLite and once for PostgreSQL.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{DbBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(pk_auto(Users::Id))
                    .col(string_len_uniq(Users::Username, 60))
                    .col(string_len(Users::DisplayName, 120))
                    .col(string_len(Users::Role, 16))
                    .col(text(Users::PasswordHash))
                    .col(boolean(Users::Active).default(true))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::PasswordChangedAt))
                    .to_owned(),
            )
            .await?;

        // Server-side session store (tower-sessions); the cookie holds only the id.
        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(string_len(Sessions::Id, 64).primary_key())
                    .col(text(Sessions::Data))
                    .col(big_integer(Sessions::ExpiresAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sessions_expires_at")
                    .table(Sessions::Table)
                    .col(Sessions::ExpiresAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Clients::Table)
                    .col(pk_auto(Clients::Id))
                    .col(string_len_uniq(Clients::PublicId, 24))
                    .col(string_len(Clients::FirstName, 120))
                    .col(string_len(Clients::LastName, 120))
                    .col(string_len_uniq(Clients::IdentityNumber, 13))
                    .col(date(Clients::BirthDate))
                    .col(boolean(Clients::ProtectedIdentity).default(false))
                    .col(string_len_null(Clients::Phone, 40))
                    .col(string_len_null(Clients::Email, 200))
                    .col(string_len_null(Clients::Address, 300))
                    .col(timestamp_with_time_zone(Clients::CreatedAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_clients_last_name",
            Clients::Table,
            Clients::LastName,
        )
        .await?;

        // The order from the social secretary (a contact, not a user) with the aid decision.
        manager
            .create_table(
                Table::create()
                    .table(Assignments::Table)
                    .col(pk_auto(Assignments::Id))
                    .col(integer(Assignments::ClientId))
                    .col(date(Assignments::ReceivedOn))
                    .col(string_len(Assignments::SecretaryName, 120))
                    .col(string_len(Assignments::SecretaryUnit, 120))
                    .col(string_len_null(Assignments::SecretaryPhone, 40))
                    .col(string_len_null(Assignments::SecretaryEmail, 200))
                    .col(date(Assignments::DecisionDate))
                    .col(string_len(Assignments::ServiceType, 32))
                    .col(string_len(Assignments::ServiceGranted, 300))
                    .col(date(Assignments::PeriodFrom))
                    .col(date_null(Assignments::PeriodTo))
                    .col(date(Assignments::FirstFollowUp))
                    .col(timestamp_with_time_zone(Assignments::CreatedAt))
                    .foreign_key(&mut fk(
                        Assignments::Table,
                        Assignments::ClientId,
                        Clients::Table,
                        Clients::Id,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CaseFiles::Table)
                    .col(pk_auto(CaseFiles::Id))
                    .col(string_len_uniq(CaseFiles::PublicId, 24))
                    .col(integer(CaseFiles::ClientId))
                    .col(integer_uniq(CaseFiles::AssignmentId))
                    .col(integer(CaseFiles::ContactPersonId))
                    .col(date(CaseFiles::StartedOn))
                    .col(date_null(CaseFiles::ClosedOn))
                    .col(string_len_null(CaseFiles::CloseReason, 32))
                    .col(timestamp_with_time_zone(CaseFiles::CreatedAt))
                    .foreign_key(&mut fk(
                        CaseFiles::Table,
                        CaseFiles::ClientId,
                        Clients::Table,
                        Clients::Id,
                    ))
                    .foreign_key(&mut fk(
                        CaseFiles::Table,
                        CaseFiles::AssignmentId,
                        Assignments::Table,
                        Assignments::Id,
                    ))
                    .foreign_key(&mut fk(
                        CaseFiles::Table,
                        CaseFiles::ContactPersonId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_case_files_contact",
            CaseFiles::Table,
            CaseFiles::ContactPersonId,
        )
        .await?;
        index(
            manager,
            "idx_case_files_client",
            CaseFiles::Table,
            CaseFiles::ClientId,
        )
        .await?;

        // Co-workers on a file; the contact person is on the file itself.
        manager
            .create_table(
                Table::create()
                    .table(CareTeam::Table)
                    .col(integer(CareTeam::CaseFileId))
                    .col(integer(CareTeam::UserId))
                    .primary_key(
                        Index::create()
                            .col(CareTeam::CaseFileId)
                            .col(CareTeam::UserId),
                    )
                    .foreign_key(&mut fk(
                        CareTeam::Table,
                        CareTeam::CaseFileId,
                        CaseFiles::Table,
                        CaseFiles::Id,
                    ))
                    .foreign_key(&mut fk(
                        CareTeam::Table,
                        CareTeam::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_care_team_user",
            CareTeam::Table,
            CareTeam::UserId,
        )
        .await?;

        // Each version of the implementation plan is one plan period: from `valid_from`
        // to the next version's `valid_from` (or the end of the file).
        manager
            .create_table(
                Table::create()
                    .table(PlanVersions::Table)
                    .col(pk_auto(PlanVersions::Id))
                    .col(integer(PlanVersions::CaseFileId))
                    .col(integer(PlanVersions::VersionNo))
                    .col(date(PlanVersions::ValidFrom))
                    .col(text(PlanVersions::ClientView))
                    .col(date_null(PlanVersions::ClientSignedOn))
                    .col(string_len_null(PlanVersions::ClientSignedHow, 32))
                    .col(integer(PlanVersions::CreatedBy))
                    .col(timestamp_with_time_zone(PlanVersions::CreatedAt))
                    .foreign_key(&mut fk(
                        PlanVersions::Table,
                        PlanVersions::CaseFileId,
                        CaseFiles::Table,
                        CaseFiles::Id,
                    ))
                    .foreign_key(&mut fk(
                        PlanVersions::Table,
                        PlanVersions::CreatedBy,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_plan_versions_file_version")
                    .table(PlanVersions::Table)
                    .col(PlanVersions::CaseFileId)
                    .col(PlanVersions::VersionNo)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_plan_versions_file_valid_from")
                    .table(PlanVersions::Table)
                    .col(PlanVersions::CaseFileId)
                    .col(PlanVersions::ValidFrom)
                    .unique()
                    .to_owned(),
            )
            .await?;

        // Goals (mål) and sub-goals (delmål: parent_id set) of one plan version.
        manager
            .create_table(
                Table::create()
                    .table(Goals::Table)
                    .col(pk_auto(Goals::Id))
                    .col(integer(Goals::PlanVersionId))
                    .col(integer_null(Goals::ParentId))
                    .col(integer(Goals::Position))
                    .col(string_len(Goals::Title, 300))
                    .col(text(Goals::What))
                    .col(text(Goals::How))
                    .col(string_len(Goals::Who, 200))
                    .col(date_null(Goals::ByWhen))
                    .foreign_key(&mut fk(
                        Goals::Table,
                        Goals::PlanVersionId,
                        PlanVersions::Table,
                        PlanVersions::Id,
                    ))
                    .foreign_key(&mut fk(
                        Goals::Table,
                        Goals::ParentId,
                        Goals::Table,
                        Goals::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_goals_plan_version",
            Goals::Table,
            Goals::PlanVersionId,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(JournalEntries::Table)
                    .col(pk_auto(JournalEntries::Id))
                    .col(integer(JournalEntries::CaseFileId))
                    .col(integer(JournalEntries::AuthorId))
                    .col(date(JournalEntries::EventDate))
                    .col(string_len(JournalEntries::Category, 32))
                    .col(text(JournalEntries::Body))
                    .col(string_len(JournalEntries::Status, 16))
                    .col(timestamp_with_time_zone_null(JournalEntries::SignedAt))
                    .col(integer_null(JournalEntries::CorrectsId))
                    .col(text_null(JournalEntries::CorrectionReason))
                    .col(timestamp_with_time_zone(JournalEntries::CreatedAt))
                    .col(timestamp_with_time_zone(JournalEntries::UpdatedAt))
                    .check(Expr::col(JournalEntries::Status).is_in(["draft", "signed"]))
                    .foreign_key(&mut fk(
                        JournalEntries::Table,
                        JournalEntries::CaseFileId,
                        CaseFiles::Table,
                        CaseFiles::Id,
                    ))
                    .foreign_key(&mut fk(
                        JournalEntries::Table,
                        JournalEntries::AuthorId,
                        Users::Table,
                        Users::Id,
                    ))
                    .foreign_key(&mut fk(
                        JournalEntries::Table,
                        JournalEntries::CorrectsId,
                        JournalEntries::Table,
                        JournalEntries::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_journal_file_date")
                    .table(JournalEntries::Table)
                    .col(JournalEntries::CaseFileId)
                    .col(JournalEntries::EventDate)
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_journal_author",
            JournalEntries::Table,
            JournalEntries::AuthorId,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(JournalEntryGoals::Table)
                    .col(integer(JournalEntryGoals::EntryId))
                    .col(integer(JournalEntryGoals::GoalId))
                    .primary_key(
                        Index::create()
                            .col(JournalEntryGoals::EntryId)
                            .col(JournalEntryGoals::GoalId),
                    )
                    .foreign_key(&mut fk(
                        JournalEntryGoals::Table,
                        JournalEntryGoals::EntryId,
                        JournalEntries::Table,
                        JournalEntries::Id,
                    ))
                    .foreign_key(&mut fk(
                        JournalEntryGoals::Table,
                        JournalEntryGoals::GoalId,
                        Goals::Table,
                        Goals::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_entry_goals_goal",
            JournalEntryGoals::Table,
            JournalEntryGoals::GoalId,
        )
        .await?;

        // Open intake (öppet intag): anonymous, memory notes only, deleted when it ends.
        manager
            .create_table(
                Table::create()
                    .table(OpenIntakes::Table)
                    .col(pk_auto(OpenIntakes::Id))
                    .col(string_len_uniq(OpenIntakes::PublicId, 24))
                    .col(string_len(OpenIntakes::Pseudonym, 60))
                    .col(string_len(OpenIntakes::Service, 32))
                    .col(date(OpenIntakes::StartedOn))
                    .col(string_len_null(OpenIntakes::Sex, 8))
                    .col(string_len_null(OpenIntakes::AgeBand, 16))
                    .col(text(OpenIntakes::Notes))
                    .col(integer(OpenIntakes::TherapistId))
                    .col(timestamp_with_time_zone(OpenIntakes::CreatedAt))
                    .foreign_key(&mut fk(
                        OpenIntakes::Table,
                        OpenIntakes::TherapistId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;

        // Who read or did what with whose file. Append-only (trigger below).
        manager
            .create_table(
                Table::create()
                    .table(AccessLog::Table)
                    .col(big_pk_auto(AccessLog::Id))
                    .col(timestamp_with_time_zone(AccessLog::At))
                    .col(integer(AccessLog::UserId))
                    .col(string_len(AccessLog::Action, 40))
                    .col(integer_null(AccessLog::ClientId))
                    .col(integer_null(AccessLog::CaseFileId))
                    .col(string_len_null(AccessLog::Detail, 300))
                    .foreign_key(&mut fk(
                        AccessLog::Table,
                        AccessLog::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_access_log_at",
            AccessLog::Table,
            AccessLog::At,
        )
        .await?;
        index(
            manager,
            "idx_access_log_user",
            AccessLog::Table,
            AccessLog::UserId,
        )
        .await?;
        index(
            manager,
            "idx_access_log_client",
            AccessLog::Table,
            AccessLog::ClientId,
        )
        .await?;

        for sql in immutability_triggers(manager.get_database_backend()) {
            manager
                .get_connection()
                .execute_raw(Statement::from_string(manager.get_database_backend(), sql))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Postgres {
            for f in [
                "akta_refuse_signed_entry_change",
                "akta_refuse_access_log_change",
            ] {
                manager
                    .get_connection()
                    .execute_raw(Statement::from_string(
                        DbBackend::Postgres,
                        format!("DROP FUNCTION IF EXISTS {f}() CASCADE"),
                    ))
                    .await?;
            }
        }
        for table in [
            AccessLog::Table.into_iden(),
            OpenIntakes::Table.into_iden(),
            JournalEntryGoals::Table.into_iden(),
            JournalEntries::Table.into_iden(),
            Goals::Table.into_iden(),
            PlanVersions::Table.into_iden(),
            CareTeam::Table.into_iden(),
            CaseFiles::Table.into_iden(),
            Assignments::Table.into_iden(),
            Clients::Table.into_iden(),
            Sessions::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

async fn index<T: IntoIden + 'static, C: IntoIden + 'static>(
    manager: &SchemaManager<'_>,
    name: &str,
    table: T,
    col: C,
) -> Result<(), DbErr> {
    manager
        .create_index(Index::create().name(name).table(table).col(col).to_owned())
        .await
}

fn fk<T, C, RT, RC>(table: T, col: C, ref_table: RT, ref_col: RC) -> ForeignKeyCreateStatement
where
    T: IntoIden + 'static,
    C: IntoIden + 'static,
    RT: IntoIden + 'static,
    RC: IntoIden + 'static,
{
    ForeignKey::create()
        .from(table, col)
        .to(ref_table, ref_col)
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

/// routine + law (SoL 11 kap. 5 §, documentation must be reliable): a signed journal
/// entry is permanent, a correction is a new entry. The access log can only grow.
fn immutability_triggers(backend: DbBackend) -> Vec<String> {
    match backend {
        DbBackend::Postgres => vec![
            r#"CREATE FUNCTION akta_refuse_signed_entry_change() RETURNS trigger AS $$
BEGIN
  IF OLD.status = 'signed' THEN
    RAISE EXCEPTION 'signed journal entries are permanent' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql"#
                .to_owned(),
            "CREATE TRIGGER journal_entries_signed_immutable BEFORE UPDATE OR DELETE ON journal_entries \
             FOR EACH ROW EXECUTE FUNCTION akta_refuse_signed_entry_change()"
                .to_owned(),
            r#"CREATE FUNCTION akta_refuse_access_log_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'the access log is append-only' USING ERRCODE = 'integrity_constraint_violation';
END $$ LANGUAGE plpgsql"#
                .to_owned(),
            "CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log \
             FOR EACH ROW EXECUTE FUNCTION akta_refuse_access_log_change()"
                .to_owned(),
            // TRUNCATE bypasses row triggers; refuse it too.
            "CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log \
             FOR EACH STATEMENT EXECUTE FUNCTION akta_refuse_access_log_change()"
                .to_owned(),
            "CREATE TRIGGER journal_entries_no_truncate BEFORE TRUNCATE ON journal_entries \
             FOR EACH STATEMENT EXECUTE FUNCTION akta_refuse_access_log_change()"
                .to_owned(),
        ],
        _ => vec![
            "CREATE TRIGGER journal_entries_signed_no_update BEFORE UPDATE ON journal_entries \
             FOR EACH ROW WHEN OLD.status = 'signed' \
             BEGIN SELECT RAISE(ABORT, 'signed journal entries are permanent'); END"
                .to_owned(),
            "CREATE TRIGGER journal_entries_signed_no_delete BEFORE DELETE ON journal_entries \
             FOR EACH ROW WHEN OLD.status = 'signed' \
             BEGIN SELECT RAISE(ABORT, 'signed journal entries are permanent'); END"
                .to_owned(),
            "CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log \
             BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END"
                .to_owned(),
            "CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log \
             BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END"
                .to_owned(),
        ],
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Username,
    DisplayName,
    Role,
    PasswordHash,
    Active,
    CreatedAt,
    PasswordChangedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    Data,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Clients {
    Table,
    Id,
    PublicId,
    FirstName,
    LastName,
    IdentityNumber,
    BirthDate,
    ProtectedIdentity,
    Phone,
    Email,
    Address,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Assignments {
    Table,
    Id,
    ClientId,
    ReceivedOn,
    SecretaryName,
    SecretaryUnit,
    SecretaryPhone,
    SecretaryEmail,
    DecisionDate,
    ServiceType,
    ServiceGranted,
    PeriodFrom,
    PeriodTo,
    FirstFollowUp,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CaseFiles {
    Table,
    Id,
    PublicId,
    ClientId,
    AssignmentId,
    ContactPersonId,
    StartedOn,
    ClosedOn,
    CloseReason,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CareTeam {
    Table,
    CaseFileId,
    UserId,
}

#[derive(DeriveIden)]
enum PlanVersions {
    Table,
    Id,
    CaseFileId,
    VersionNo,
    ValidFrom,
    ClientView,
    ClientSignedOn,
    ClientSignedHow,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Goals {
    Table,
    Id,
    PlanVersionId,
    ParentId,
    Position,
    Title,
    What,
    How,
    Who,
    ByWhen,
}

#[derive(DeriveIden)]
enum JournalEntries {
    Table,
    Id,
    CaseFileId,
    AuthorId,
    EventDate,
    Category,
    Body,
    Status,
    SignedAt,
    CorrectsId,
    CorrectionReason,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum JournalEntryGoals {
    Table,
    EntryId,
    GoalId,
}

#[derive(DeriveIden)]
enum OpenIntakes {
    Table,
    Id,
    PublicId,
    Pseudonym,
    Service,
    StartedOn,
    Sex,
    AgeBand,
    Notes,
    TherapistId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AccessLog {
    Table,
    Id,
    At,
    UserId,
    Action,
    ClientId,
    CaseFileId,
    Detail,
}
