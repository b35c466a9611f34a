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

/// A person to choose in a form (a filter, a contact person, a co-worker).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserOption {
    pub username: String,
    pub display_name: String,
}

/// One line of the access log as the manager reads it. Names are resolved on the
/// server; for a client with protected identity the name is already masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogRow {
    /// Swedish local date and time (HH:MM) of the event.
    pub date: NaiveDate,
    pub time: String,
    pub user: String,
    /// The stable action name (`access_log::Action`), turned into a sentence by the page.
    pub action: String,
    pub client_name: Option<String>,
    pub protected_identity: bool,
    /// The file concerned, for a link.
    pub file_id: Option<String>,
    pub detail: Option<String>,
}

/// One hit of the client search: a case file with its client, masked when the
/// client has protected identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientHit {
    pub file_id: String,
    pub client_name: Option<String>,
    pub identity_number: Option<String>,
    pub protected_identity: bool,
    pub service_type: String,
    pub started_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub contact_person: String,
}

/// A file's care team, with whether the reader may change it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamView {
    pub file_id: String,
    pub client_name: Option<String>,
    pub contact_person: UserOption,
    pub co_workers: Vec<UserOption>,
    /// Active staff who could be added or made contact person.
    pub staff: Vec<UserOption>,
    pub may_change: bool,
}
