//! View models of the monthly journal review and the monthly report.

use super::FileHeader;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A month the file was open in, for the month chooser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthChoice {
    /// `YYYY-MM`.
    pub month: String,
    /// Already reviewed (review page) or reported (report page).
    pub done: bool,
}

/// One signed entry of the month, its text cut into pieces with the signal each carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthEntryView {
    pub entry_id: String,
    pub event_date: NaiveDate,
    pub category: String,
    pub author: String,
    /// (text, `Some("declined" | "change")` for a highlighted word).
    pub pieces: Vec<(String, Option<String>)>,
    /// Titles of the linked goals.
    pub goals: Vec<String>,
    /// Part of a recurring deviation (two or more deviation entries in the month).
    pub recurring_deviation: bool,
}

/// Calendar weeks in a row without an entry signed in them (the weekly rule).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GapView {
    /// The Monday of the first week.
    pub from: NaiveDate,
    /// The Sunday of the last week.
    pub to: NaiveDate,
    pub weeks: i64,
}

/// What the review page points out, as a summary list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatternsView {
    /// Dates of entries mentioning a declined or cancelled service.
    pub declined: Vec<NaiveDate>,
    /// Dates of entries mentioning changed needs or resources.
    pub changes: Vec<NaiveDate>,
    pub gaps: Vec<GapView>,
    /// Titles of goals without any linked entry in the month.
    pub goals_without_entry: Vec<String>,
    /// Dates of the month's deviation entries when there are two or more.
    pub recurring_deviations: Vec<NaiveDate>,
}

impl PatternsView {
    pub fn is_empty(&self) -> bool {
        self.declined.is_empty()
            && self.changes.is_empty()
            && self.gaps.is_empty()
            && self.goals_without_entry.is_empty()
            && self.recurring_deviations.is_empty()
    }
}

/// A signed monthly review, as the journal holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedReviewView {
    pub entry_id: String,
    pub body: String,
    pub signed_by: String,
    pub signed_on: NaiveDate,
}

/// `/akter/:id/genomgang`: the month's entries, the patterns, the phrasings, or the
/// signed review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewPage {
    pub header: FileHeader,
    /// `YYYY-MM`.
    pub month: String,
    /// The days covered in Swedish, e.g. "1–30 november 2026".
    pub period: String,
    /// The months the file was open in, newest first.
    pub months: Vec<MonthChoice>,
    /// Oldest first; the month's signed entries except monthly reviews and corrected originals.
    pub entries: Vec<MonthEntryView>,
    pub patterns: PatternsView,
    /// (`Phrasing::as_str`, the Swedish text with period and client filled in).
    pub phrasings: Vec<(String, String)>,
    pub signed: Option<SignedReviewView>,
    /// On the care team, the file open, the month not yet reviewed.
    pub may_sign: bool,
}

/// One goal to evaluate, or an evaluated goal of a signed report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportGoalView {
    pub goal_id: String,
    pub title: String,
    /// Empty until the report is signed.
    pub evaluation: String,
}

/// A signed monthly report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedReportView {
    pub evaluation: Option<String>,
    pub events: String,
    pub deviation_actions: Option<String>,
    pub client_copy: bool,
    pub secretary_name: String,
    pub secretary_unit: String,
    pub signed_by: String,
    pub signed_on: NaiveDate,
}

/// `/akter/:id/manadsrapport`: the form for a month, or the signed (printable) report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportPage {
    pub header: FileHeader,
    pub month: String,
    pub period: String,
    pub months: Vec<MonthChoice>,
    /// The plan period evaluated (its number and first day), if the file has a plan.
    pub plan_period: Option<(u32, NaiveDate)>,
    /// The goals of that plan version (or, once signed, the goals as evaluated).
    pub goals: Vec<ReportGoalView>,
    /// The month has deviation entries: the actions taken at them must be stated.
    pub deviations_in_month: usize,
    pub signed: Option<SignedReportView>,
    pub may_sign: bool,
}
