//! View models of the yearly peer audit (aktgranskning).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{EntryView, GoalView, UserOption};

/// One round in the manager's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundRow {
    pub round_id: String,
    pub year: i32,
    pub due_on: NaiveDate,
    /// `draft`, `published` or `closed`.
    pub status: String,
    pub files: u32,
    pub submitted: u32,
}

/// One of the reviewer's own reviews.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyReview {
    pub round_id: String,
    pub assignment_id: String,
    pub year: i32,
    pub due_on: NaiveDate,
    /// Masked (`None`) for a client with protected identity.
    pub client_name: Option<String>,
    pub started: bool,
    pub submitted: bool,
}

/// The audit start page: the manager's rounds and form choices, everyone's own reviews.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditOverview {
    pub is_manager: bool,
    pub rounds: Vec<RoundRow>,
    /// Active staff who may be chosen as reviewers (manager only).
    pub staff: Vec<UserOption>,
    pub mine: Vec<MyReview>,
    pub today: NaiveDate,
}

/// One file × reviewer of a round, as the manager sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentRow {
    pub assignment_id: String,
    pub file_id: String,
    pub client_name: Option<String>,
    pub contact_person: String,
    pub reviewer: UserOption,
    pub same_as_last_year: bool,
    pub swap_reason: Option<String>,
    pub started: bool,
    pub submitted: bool,
    pub overdue: bool,
    pub reopen_reason: Option<String>,
    /// Reviewers of the round who may take this file instead (not working in it).
    pub may_swap_to: Vec<UserOption>,
}

/// Completion of one reviewer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewerProgress {
    pub reviewer: UserOption,
    pub assigned: u32,
    pub started: u32,
    pub submitted: u32,
    pub overdue: u32,
}

/// Shares of one checklist item, in whole per cent of the answered (N/A excluded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemResult {
    pub key: String,
    pub text: String,
    pub yes: u32,
    pub partly: u32,
    pub no: u32,
    pub not_applicable: u32,
}

impl ItemResult {
    pub fn answered(&self) -> u32 {
        self.yes + self.partly + self.no
    }

    /// Whole per cent of the answered, or `None` when nothing was answered.
    pub fn percent(&self, count: u32) -> Option<u32> {
        let answered = self.answered();
        (answered > 0).then(|| (count * 100 + answered / 2) / answered)
    }
}

/// The results of one group (the unit, or one contact person's files).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultGroup {
    /// `None` for the whole unit.
    pub contact_person: Option<String>,
    pub periods: u32,
    pub items: Vec<ItemResult>,
    /// The overall judgement, as an item.
    pub overall: ItemResult,
}

/// A round as the manager sees it: the pairing, completion and results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundView {
    pub round_id: String,
    pub year: i32,
    pub due_on: NaiveDate,
    pub status: String,
    pub sample_per_contact: Option<u32>,
    pub seed: String,
    pub assignments: Vec<AssignmentRow>,
    pub progress: Vec<ReviewerProgress>,
    /// Reviewers with overdue reviews (reminder list).
    pub overdue_reviewers: Vec<UserOption>,
    pub unit: ResultGroup,
    pub by_contact_person: Vec<ResultGroup>,
    pub today: NaiveDate,
}

/// One checklist item of a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItemView {
    pub key: String,
    pub text_sv: String,
    pub text_en: String,
}

/// A reviewer's answer to one item in one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerView {
    pub key: String,
    pub answer: Option<String>,
    pub comment: String,
}

/// One plan period in the reviewer's workspace: the plan beside the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPeriod {
    pub number: u32,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub client_signed_on: Option<NaiveDate>,
    pub client_view: String,
    pub goals: Vec<GoalView>,
    /// Signed entries of the period, oldest first.
    pub entries: Vec<EntryView>,
    /// Goals (ids) no entry of the period is linked to.
    pub goals_without_entry: Vec<String>,
    /// Stretches of more than a week without an entry: (from, to).
    pub gaps: Vec<(NaiveDate, NaiveDate)>,
    pub answers: Vec<AnswerView>,
    pub judgement: Option<String>,
    pub summary: String,
}

/// The reviewer's workspace for one assigned file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditWorkspace {
    pub round_id: String,
    pub assignment_id: String,
    pub year: i32,
    pub due_on: NaiveDate,
    pub client_name: Option<String>,
    pub service_type: String,
    pub started_on: NaiveDate,
    pub items: Vec<ChecklistItemView>,
    pub periods: Vec<AuditPeriod>,
    pub submitted: bool,
    pub reopen_reason: Option<String>,
}

/// The answer to an autosave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditSaved {
    /// Local (Swedish) time of day, HH:MM.
    pub saved_time: String,
}

impl RoundView {
    /// The results as CSV (semicolon-separated, as Swedish spreadsheets expect): one
    /// line per group (the unit, then each contact person) and checklist item.
    pub fn results_csv(&self) -> String {
        let mut out =
            String::from("grupp;fraga;text;ja;delvis;nej;ej_tillamplig;andel_ja_procent\n");
        for g in std::iter::once(&self.unit).chain(self.by_contact_person.iter()) {
            let group = g
                .contact_person
                .clone()
                .unwrap_or_else(|| "Enheten".to_owned());
            for item in g.items.iter().chain(std::iter::once(&g.overall)) {
                out.push_str(&format!(
                    "{};{};{};{};{};{};{};{}\n",
                    csv_field(&group),
                    csv_field(&item.key),
                    csv_field(&item.text),
                    item.yes,
                    item.partly,
                    item.no,
                    item.not_applicable,
                    item.percent(item.yes)
                        .map(|p| p.to_string())
                        .unwrap_or_default()
                ));
            }
        }
        out
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([';', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// Percent-encodes text for a `data:` URL.
pub fn data_url(mime: &str, text: &str) -> String {
    let mut out = format!("data:{mime};charset=utf-8,");
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(key: &str, yes: u32, partly: u32, no: u32, na: u32) -> ItemResult {
        ItemResult {
            key: key.to_owned(),
            text: format!("Fråga; {key}"),
            yes,
            partly,
            no,
            not_applicable: na,
        }
    }

    #[test]
    fn percent_rounds_and_excludes_not_applicable() {
        let i = item("a", 1, 1, 1, 5);
        assert_eq!(i.percent(i.yes), Some(33));
        assert_eq!(item("b", 2, 1, 0, 0).percent(2), Some(67));
        assert_eq!(item("c", 0, 0, 0, 3).percent(0), None);
    }

    #[test]
    fn csv_quotes_fields_with_separators() {
        assert_eq!(csv_field("a;b"), "\"a;b\"");
        assert_eq!(csv_field("x\"y"), "\"x\"\"y\"");
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(
            data_url("text/csv", "a;b\n"),
            "data:text/csv;charset=utf-8,a%3Bb%0A"
        );
    }
}
