//! A file's journal: reading it, writing drafts, signing, correcting.

use crate::error::AppError;
use crate::model::{DraftSaved, FileJournal, JournalFilter};
use leptos::prelude::*;

/// The file page: header, plan periods, one page of entries, the user's drafts.
/// A read of the client's file: logged.
#[server(prefix = "/api", endpoint = "journal/view", input = server_fn::codec::Json)]
pub async fn journal_view(file: String, filter: JournalFilter) -> Result<FileJournal, AppError> {
    use crate::server::access_log::Action;
    use crate::server::{guard, journal};
    guard::file(&file)
        .read(Action::ReadJournal, async |f| {
            let header = journal::header(f.db, &f.opened).await?;
            let periods = journal::periods(f.db, &f.opened.file).await?;
            let entries = journal::entries_page(f.db, &f.opened.file, &periods, &filter).await?;
            let drafts = journal::own_drafts(f.db, &f.opened.file, f.user, &periods).await?;
            f.log_detail(crate::model::log::LogDetail::JournalPage {
                page: entries.page + 1,
            });
            Ok(FileJournal {
                may_write: f.opened.check_writable().is_ok(),
                header,
                periods: periods.into_iter().map(|(_, p)| p).collect(),
                entries,
                drafts,
            })
        })
        .await
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
    use crate::server::{guard, journal};
    let input = journal::EntryInput {
        event_date,
        category,
        body,
        goals,
    };
    // Autosaves of the author's own draft are not logged one by one: the log would
    // drown in them. Signing, correcting and discarding are.
    guard::file(&file)
        .autosave(async |f| {
            journal::save_draft(f.db, &f.opened, f.user, entry.as_deref(), &input).await
        })
        .await
}

/// Signs the entry (saving the latest text first). Returns the entry's id. The entry
/// and its log line are one transaction.
#[server(prefix = "/api", endpoint = "journal/sign", input = server_fn::codec::Json)]
pub async fn sign_entry(
    file: String,
    entry: Option<String>,
    event_date: String,
    category: String,
    body: String,
    goals: Vec<String>,
) -> Result<String, AppError> {
    use crate::server::access_log::Action;
    use crate::server::{guard, journal};
    let input = journal::EntryInput {
        event_date,
        category,
        body,
        goals,
    };
    guard::file(&file)
        .change(Action::SignEntry, async |f| {
            journal::sign(f.db, &f.opened, f.user, entry.as_deref(), &input).await
        })
        .await
}

/// A correction of a signed entry: a new signed entry, linked, with a reason.
#[server(prefix = "/api", endpoint = "journal/correct", input = server_fn::codec::Json)]
pub async fn correct_entry(
    file: String,
    entry: String,
    body: String,
    reason: String,
) -> Result<String, AppError> {
    use crate::server::access_log::Action;
    use crate::server::{guard, journal};
    guard::file(&file)
        .change(Action::CorrectEntry, async |f| {
            journal::correct(f.db, &f.opened, f.user, &entry, &body, &reason).await
        })
        .await
}

#[server(prefix = "/api", endpoint = "journal/discard_draft", input = server_fn::codec::Json)]
pub async fn discard_draft(file: String, entry: String) -> Result<(), AppError> {
    use crate::server::access_log::Action;
    use crate::server::{guard, journal};
    guard::file(&file)
        .change(Action::DiscardDraft, async |f| {
            journal::discard_draft(f.db, &f.opened, f.user, &entry).await
        })
        .await
}
