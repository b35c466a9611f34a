//! A file's journal: reading it, writing drafts, signing, correcting.

use crate::error::AppError;
use crate::model::{DraftSaved, FileJournal, JournalFilter};
use leptos::prelude::*;

/// The file page: header, plan periods, one page of entries, the user's drafts.
/// A read of the client's file: logged.
#[server(prefix = "/api", endpoint = "journal/view", input = server_fn::codec::Json)]
pub async fn journal_view(file: String, filter: JournalFilter) -> Result<FileJournal, AppError> {
    use crate::server::access_log::{self, Action};
    use crate::server::guard::{Permission, require};
    use crate::server::journal;
    let ctx = require(Permission::ReadFiles).await?;
    let opened = journal::open_file(&ctx.db, &ctx.user, &file).await?;
    let header = journal::header(&ctx.db, &opened).await?;
    let periods = journal::periods(&ctx.db, &opened.file).await?;
    let entries = journal::entries_page(&ctx.db, &opened.file, &periods, &filter).await?;
    let drafts = journal::own_drafts(&ctx.db, &opened.file, &ctx.user, &periods).await?;
    let detail = format!("journal page {}", entries.page + 1);
    access_log::on_file(
        &ctx.db,
        ctx.user.id,
        Action::ReadJournal,
        &opened,
        Some(&detail),
    )
    .await?;
    Ok(FileJournal {
        may_write: opened.check_writable().is_ok(),
        header,
        periods: periods.into_iter().map(|(_, p)| p).collect(),
        entries,
        drafts,
    })
}

/// Autosave: creates or updates the user's own draft.
#[server(prefix = "/api", endpoint = "journal/save_draft", input = server_fn::codec::Json)]
pub async fn save_draft(
    file: String,
    entry: Option<String>,
    event_date: String,
    category: String,
    body: String,
    goals: Vec<String>,
) -> Result<DraftSaved, AppError> {
    use crate::server::guard::{Permission, require};
    use crate::server::journal;
    let ctx = require(Permission::ReadFiles).await?;
    let opened = journal::open_file(&ctx.db, &ctx.user, &file).await?;
    let input = journal::EntryInput {
        event_date,
        category,
        body,
        goals,
    };
    // Autosaves of the author's own draft are not logged one by one: the log would
    // drown in them. Signing, correcting and discarding are.
    journal::save_draft(&ctx.db, &opened, &ctx.user, entry.as_deref(), &input).await
}

/// Signs the entry (saving the latest text first). Returns the entry's id.
#[server(prefix = "/api", endpoint = "journal/sign", input = server_fn::codec::Json)]
pub async fn sign_entry(
    file: String,
    entry: Option<String>,
    event_date: String,
    category: String,
    body: String,
    goals: Vec<String>,
) -> Result<String, AppError> {
    use crate::server::access_log::{self, Action};
    use crate::server::guard::{Permission, require};
    use crate::server::journal;
    let ctx = require(Permission::ReadFiles).await?;
    let opened = journal::open_file(&ctx.db, &ctx.user, &file).await?;
    let input = journal::EntryInput {
        event_date,
        category,
        body,
        goals,
    };
    let id = journal::sign(&ctx.db, &opened, &ctx.user, entry.as_deref(), &input).await?;
    access_log::on_file(&ctx.db, ctx.user.id, Action::SignEntry, &opened, None).await?;
    Ok(id)
}

/// A correction of a signed entry: a new signed entry, linked, with a reason.
#[server(prefix = "/api", endpoint = "journal/correct", input = server_fn::codec::Json)]
pub async fn correct_entry(
    file: String,
    entry: String,
    body: String,
    reason: String,
) -> Result<String, AppError> {
    use crate::server::access_log::{self, Action};
    use crate::server::guard::{Permission, require};
    use crate::server::journal;
    let ctx = require(Permission::ReadFiles).await?;
    let opened = journal::open_file(&ctx.db, &ctx.user, &file).await?;
    let id = journal::correct(&ctx.db, &opened, &ctx.user, &entry, &body, &reason).await?;
    access_log::on_file(&ctx.db, ctx.user.id, Action::CorrectEntry, &opened, None).await?;
    Ok(id)
}

#[server(prefix = "/api", endpoint = "journal/discard_draft", input = server_fn::codec::Json)]
pub async fn discard_draft(file: String, entry: String) -> Result<(), AppError> {
    use crate::server::access_log::{self, Action};
    use crate::server::guard::{Permission, require};
    use crate::server::journal;
    let ctx = require(Permission::ReadFiles).await?;
    let opened = journal::open_file(&ctx.db, &ctx.user, &file).await?;
    journal::discard_draft(&ctx.db, &opened, &ctx.user, &entry).await?;
    access_log::on_file(&ctx.db, ctx.user.id, Action::DiscardDraft, &opened, None).await?;
    Ok(())
}
