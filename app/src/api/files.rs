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
    use crate::model::log::ListKind;
    use crate::server::files;
    use crate::server::guard::{Permission, require};
    let ctx = require(Permission::ReadFiles).await?;
    let page = page.min(100_000);
    let result = files::open_files_page(ctx.db(), &ctx.user, page, FILES_PER_PAGE).await?;
    ctx.log_listed(
        ListKind::OpenFiles,
        result.rows.iter().map(|r| r.file_id.as_str()),
    )
    .await?;
    Ok(result)
}
