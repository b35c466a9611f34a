//! Indexes for a unit of 100 000 clients (issue 19), each found with the benchmark
//! (`bench/run.sh`) and the query plan (`EXPLAIN QUERY PLAN`, `EXPLAIN`):
//!
//! - `journal_entries.corrects_id`: a file page asks which of its entries were
//!   corrected; without an index that read every journal entry of the unit. Partial
//!   (`WHERE corrects_id IS NOT NULL`): almost no entry is a correction, so the index is
//!   small, and no other query is tempted to pick it (a plain index on the column made
//!   SQLite choose it for unrelated journal queries, 50× slower).
//! - Signed entries by file and time of signing, and signed goal dialogues by file and
//!   day: the deadline rules ask, for every open file, when it was last signed in and
//!   which months had a goal dialogue. Through the file's index that read every entry
//!   of every file (the manager's start page and the deviation register read the
//!   whole unit); these answer from the index alone. Partial, so they stay out of the
//!   way of the journal's own queries, which go by file and event date.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &[&str] = &[
    "CREATE INDEX idx_journal_corrects ON journal_entries (corrects_id) WHERE corrects_id IS NOT NULL",
    // By `signed_at IS NOT NULL` (only a signed entry has it), not by status: then no
    // query of goal dialogues can take it for theirs.
    "CREATE INDEX idx_journal_signed ON journal_entries (case_file_id, signed_at) \
     WHERE signed_at IS NOT NULL",
    // The category leads although the index holds only dialogues: two matched columns
    // make the planner prefer it to the file's index (file, event date), which also
    // fits the query but holds every entry of the file.
    "CREATE INDEX idx_journal_dialogues ON journal_entries (category, case_file_id, event_date) \
     WHERE status = 'signed' AND category = 'goal_dialogue'",
];

const DOWN: &[&str] = &[
    "DROP INDEX idx_journal_corrects",
    "DROP INDEX idx_journal_signed",
    "DROP INDEX idx_journal_dialogues",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for sql in UP {
            manager.get_connection().execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for sql in DOWN {
            manager.get_connection().execute_unprepared(sql).await?;
        }
        Ok(())
    }
}
