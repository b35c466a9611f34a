//! View models of the deviation register (avvikelser).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Page;

/// One deviation in the register. For a client with protected identity the name is
/// already masked by the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviationRow {
    pub deviation_id: String,
    /// `unit` or `client`.
    pub kind: String,
    pub file_id: String,
    pub client_name: Option<String>,
    pub protected_identity: bool,
    pub contact_person: String,
    /// Unit deviations: the missed duty's key (`Duty::key`).
    pub duty: Option<String>,
    /// A monthly duty's month (`YYYY-MM`), when known.
    pub month: Option<String>,
    /// Unit: the day the duty was due; client: the day it happened.
    pub due_on: NaiveDate,
    pub raised_on: NaiveDate,
    pub open: bool,
    pub closed_on: Option<NaiveDate>,
}

/// Which deviations the register shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum StatusFilter {
    #[default]
    Open,
    Closed,
    All,
}

impl StatusFilter {
    pub fn parse(s: &str) -> StatusFilter {
        match s {
            "closed" => StatusFilter::Closed,
            "all" => StatusFilter::All,
            _ => StatusFilter::Open,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StatusFilter::Open => "open",
            StatusFilter::Closed => "closed",
            StatusFilter::All => "all",
        }
    }
}

/// Open and closed deviations of one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindCount {
    /// `unit` or `client`.
    pub kind: String,
    pub open: u64,
    pub closed: u64,
}

/// Deviations raised in one calendar month, per kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthCount {
    /// `YYYY-MM`.
    pub month: String,
    pub unit: u64,
    pub client: u64,
}

/// The manager's overview: status per kind and the trend of the last 12 months (by
/// the day the deviation happened or was due).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviationSummary {
    pub counts: Vec<KindCount>,
    /// Oldest month first.
    pub trend: Vec<MonthCount>,
}

/// The register page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviationRegister {
    pub today: NaiveDate,
    pub status: StatusFilter,
    /// `unit`, `client`, or empty for both.
    pub kind: String,
    /// Only this file's deviations (its public id), when set.
    pub file: Option<String>,
    /// Newest first.
    pub page: Page<DeviationRow>,
    /// The manager's overview; `None` for staff.
    pub summary: Option<DeviationSummary>,
}

/// One deviation with what closing it recorded, or what the form needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviationView {
    pub row: DeviationRow,
    /// Client deviations: the journal entry it comes from.
    pub entry_text: Option<String>,
    pub reason: Option<String>,
    pub actions: Option<String>,
    pub action_taken: Option<String>,
    pub closed_by: Option<String>,
    /// Whether the user may close it (it is open and they may see the file).
    pub may_close: bool,
    /// The file is closed (deviations of a closed file can still be closed).
    pub file_closed: bool,
}
