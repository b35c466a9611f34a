//! Lists of case files.

use crate::error::AppError;
use crate::model::{FileRow, Page};
use leptos::prelude::*;

pub const FILES_PER_PAGE: u64 = 25;

/// Open files the user may see: for staff the files where they are on the care
/// team, for the manager every open file of the unit. Client names in the list
/// are a read of client data and are logged.
#[server(prefix = "/api", endpoint = "files/open_files")]
pub async fn open_files(page: u64) -> Result<Page<FileRow>, AppError> {
    use crate::server::guard::{Permission, require};
    use crate::server::{access_log, files};
    let ctx = require(Permission::ReadFiles).await?;
    let page = page.min(100_000);
    let result = files::open_files_page(&ctx.db, &ctx.user, page, FILES_PER_PAGE).await?;
    access_log::write(
        &ctx.db,
        access_log::Entry {
            user_id: ctx.user.id,
            action: access_log::Action::ListFiles,
            client_id: None,
            case_file_id: None,
            detail: Some(&format!(
                "open files, page {}, {} rows",
                page + 1,
                result.rows.len()
            )),
        },
    )
    .await
    .map_err(crate::server::internal)?;
    Ok(result)
}
