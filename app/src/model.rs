//! View models: what server functions hand to pages. Plain data, no ids that
//! mean anything outside Akta except the random public ids of files.

use akta_domain::Role;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The logged-in user as pages see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
}

/// One line in a list of case files. For a client with protected identity the
/// name and number are already masked by the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRow {
    pub file_id: String,
    pub client_name: Option<String>,
    pub identity_number: Option<String>,
    pub protected_identity: bool,
    pub service_type: String,
    pub started_on: NaiveDate,
    pub contact_person: String,
    pub latest_entry: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

impl<T> Page<T> {
    pub fn first_shown(&self) -> u64 {
        if self.rows.is_empty() {
            0
        } else {
            self.page * self.per_page + 1
        }
    }

    pub fn last_shown(&self) -> u64 {
        self.page * self.per_page + self.rows.len() as u64
    }

    pub fn has_previous(&self) -> bool {
        self.page > 0
    }

    pub fn has_next(&self) -> bool {
        self.last_shown() < self.total
    }
}
