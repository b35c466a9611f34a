//! View models of the yearly peer audit (aktgranskning).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{EntryView, GoalView, UserOption};

/// Where an audit round stands: a draft the manager prepares (pairing, checklist),
/// published (reviewers work), or closed (results only; reopened within a while).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "Text"))]
#[serde(rename_all = "snake_case")]
pub enum RoundStatus {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "draft"))]
    Draft,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "published"))]
    Published,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "closed"))]
    Closed,
}

impl RoundStatus {
    /// The status a form names (`to` of `audit/status`).
    pub fn parse(s: &str) -> Option<RoundStatus> {
        match s {
            "draft" => Some(RoundStatus::Draft),
            "published" => Some(RoundStatus::Published),
            "closed" => Some(RoundStatus::Closed),
            _ => None,
        }
    }
}

/// Where one review stands, from its timestamps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    NotStarted,
    Started,
    Submitted,
}

impl ReviewStatus {
    pub fn of(started: bool, submitted: bool) -> ReviewStatus {
        match (started, submitted) {
            (_, true) => ReviewStatus::Submitted,
            (true, false) => ReviewStatus::Started,
            (false, false) => ReviewStatus::NotStarted,
        }
    }
}

/// One round in the manager's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundRow {
    pub round_id: String,
    pub year: i32,
    pub due_on: NaiveDate,
    pub status: RoundStatus,
    pub files: u32,
    pub submitted: u32,
}

/// One of the reviewer's own reviews.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyReview {
    pub round_id: String,
    pub assignment_id: String,
    pub year: i32,
    /// The last day the reviewer reads the file: the round's due date, or the later
    /// day the manager gave this review.
    pub due_on: NaiveDate,
    /// Masked (`None`) for a client with protected identity.
    pub client_name: Option<String>,
    pub started: bool,
    pub submitted: bool,
}

impl MyReview {
    pub fn status(&self) -> ReviewStatus {
        ReviewStatus::of(self.started, self.submitted)
    }
}

/// The audit start page: the manager's rounds and form choices, everyone's own reviews.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditOverview {
    pub is_manager: bool,
    pub rounds: Vec<RoundRow>,
    /// Active staff who may be chosen as reviewers (manager only).
    pub staff: Vec<UserOption>,
    pub mine: Vec<MyReview>,
    /// Submitted reviews of files where the user is contact person.
    pub my_files: Vec<FileAuditRow>,
    /// The unit's setting: contact persons see the reviewer's name (manager only).
    pub show_reviewer_names: bool,
    /// Results per checklist item, year by year (manager only).
    pub year_over_year: YearOverYear,
    pub today: NaiveDate,
}

/// A submitted review of one of the user's own files (as contact person).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileAuditRow {
    pub file_id: String,
    pub client_name: Option<String>,
    pub year: i32,
    pub submitted_on: NaiveDate,
    /// Findings of the year's reviews still open: no reply or action yet, or an
    /// action not done.
    pub open_findings: u32,
}

/// Results per checklist item over the years: each year's round (published or closed,
/// first reviews only) side by side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct YearOverYear {
    pub years: Vec<i32>,
    /// One row per checklist item (by key; the newest round's text), then the overall
    /// judgement; `cells` in the order of `years`, `None` when that year's round had no
    /// such item.
    pub rows: Vec<YearRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearRow {
    pub key: String,
    pub text: String,
    pub cells: Vec<Option<ItemResult>>,
}

/// One checklist item's answer in a submitted review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemAnswer {
    pub key: String,
    pub text_sv: String,
    pub text_en: String,
    pub answer: Option<String>,
    pub comment: String,
    /// The reviewer's recommendation beside a "no" or "partly" (empty otherwise).
    pub recommendation: String,
    /// The contact person's reply and action on a "no" or "partly".
    pub action: Option<FindingAction>,
}

impl ItemAnswer {
    /// A "no" or "partly": a finding for the contact person to follow up.
    pub fn is_finding(&self) -> bool {
        akta_domain::checklist::Answer::stored_is_finding(self.answer.as_deref())
    }
}

/// One plan period of a submitted review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodResult {
    pub number: u32,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub answers: Vec<ItemAnswer>,
    pub judgement: Option<String>,
    pub summary: String,
}

/// A submitted review, as the file's contact person (or the other reviewer of a double
/// review, once both have submitted) reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewResult {
    /// The review's id: what the contact person's reply to a finding names.
    pub assignment_id: String,
    pub year: i32,
    pub second_review: bool,
    /// `None` unless the unit's setting shows reviewer names to contact persons.
    pub reviewer: Option<String>,
    pub submitted_on: NaiveDate,
    pub periods: Vec<PeriodResult>,
}

/// The submitted audit results of one file, for its contact person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileAuditResults {
    pub file_id: String,
    pub client_name: Option<String>,
    pub reviews: Vec<ReviewResult>,
    pub today: NaiveDate,
}

/// Agreement of the two reviewers of double-reviewed files on one checklist item, over
/// the plan periods both answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgreementRow {
    pub key: String,
    pub text: String,
    /// Periods both reviewers answered.
    pub n: u64,
    /// Share of periods with the same answer.
    pub observed: Option<f64>,
    pub kappa: Option<f64>,
    pub ac1: Option<f64>,
}

impl AgreementRow {
    /// Below this many periods the coefficients say little.
    pub const FEW: u64 = 10;

    pub fn too_few(&self) -> bool {
        self.n < Self::FEW
    }
}

/// The double review of a round: how many files, how many reviewed by both, agreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DoubleReview {
    pub files: u32,
    pub both_submitted: u32,
    /// Per checklist item, then the overall judgement (key `overall`).
    pub rows: Vec<AgreementRow>,
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
    /// The later last day a manager gave this review (past the round's due date).
    pub access_until: Option<NaiveDate>,
    pub reopen_reason: Option<String>,
    /// The second, independent review of a double-reviewed file.
    pub second_review: bool,
    /// Reviewers of the round who may take this file instead (not working in it).
    pub may_swap_to: Vec<UserOption>,
}

impl AssignmentRow {
    pub fn status(&self) -> ReviewStatus {
        ReviewStatus::of(self.started, self.submitted)
    }
}

/// Completion of one reviewer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewerProgress {
    pub reviewer: UserOption,
    pub assigned: u32,
    pub started: u32,
    pub submitted: u32,
    pub overdue: u32,
    /// The last reminder sent to the reviewer in this round.
    pub reminded: Option<ReminderSent>,
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
        akta_domain::checklist::rounded_percent(count, self.answered())
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundView {
    pub round_id: String,
    pub year: i32,
    pub due_on: NaiveDate,
    pub status: RoundStatus,
    pub sample_per_contact: Option<u32>,
    pub files_per_reviewer: Option<u32>,
    pub seed: String,
    /// The round's own checklist and its version (bumped by each change while a draft).
    pub checklist: Vec<ChecklistItemView>,
    pub checklist_version: u32,
    /// `None` when the round has no second reviews.
    pub double_review: Option<DoubleReview>,
    pub assignments: Vec<AssignmentRow>,
    pub progress: Vec<ReviewerProgress>,
    /// Reviewers with overdue reviews (reminder list).
    pub overdue_reviewers: Vec<UserOption>,
    /// Reviews not submitted `ESCALATE_DAYS` or more after the due date, latest first.
    pub escalated: Vec<EscalatedReview>,
    /// Every finding of the round's submitted reviews, open and overdue first.
    pub findings: Vec<RoundFinding>,
    pub unit: ResultGroup,
    pub by_contact_person: Vec<ResultGroup>,
    /// The Swedish date the round was closed (`None` unless closed).
    pub closed_on: Option<NaiveDate>,
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
    pub recommendation: String,
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
    /// Runs of calendar weeks without an entry signed in them (the weekly rule of the
    /// deadlines), touching the period: (Monday of the first, Sunday of the last).
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
    /// A file without a plan period in the year (no plan made, or the motivation group):
    /// `periods` holds one, "the year without a plan" (number 0), with the year's
    /// signed entries, answered like a plan period (issue 13, item 5).
    pub plan_less: bool,
    pub submitted: bool,
    pub reopen_reason: Option<String>,
    /// A double-reviewed file: the other reviewer's submitted review, shown only once
    /// both have submitted.
    pub other_review: Option<ReviewResult>,
    pub second_review: bool,
    /// Last round's findings of this file and the contact person's other files.
    pub earlier: Option<EarlierFindings>,
}

/// The answer to an autosave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditSaved {
    /// Local (Swedish) time of day, HH:MM.
    pub saved_time: String,
}

impl RoundView {
    /// The results as CSV (semicolon-separated, as Swedish spreadsheets expect): one
    /// line per group (the unit, then each contact person) and checklist item. It starts
    /// with a UTF-8 byte order mark, without which Excel reads å, ä and ö as Latin-1.
    pub fn results_csv(&self) -> String {
        let mut out =
            String::from("\u{FEFF}grupp;fraga;text;ja;delvis;nej;ej_tillamplig;andel_ja_procent\n");
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

/// The form field (and element id) of one answer in a review: `p{period}-{item}`; the
/// overall judgement of a period is the item `overall`. Errors name their fields so.
pub fn answer_field(period: u32, item: &str) -> String {
    format!("p{period}-{item}")
}

/// The period and item of an answer field (see [`answer_field`]).
pub fn parse_answer_field(field: &str) -> Option<(u32, &str)> {
    let (period, item) = field.strip_prefix('p')?.split_once('-')?;
    Some((period.parse().ok()?, item))
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

    fn round(unit: ResultGroup) -> RoundView {
        RoundView {
            round_id: "r".to_owned(),
            year: 2026,
            due_on: NaiveDate::from_ymd_opt(2026, 12, 15).expect("date"),
            status: RoundStatus::Published,
            sample_per_contact: None,
            files_per_reviewer: None,
            seed: "1".to_owned(),
            checklist: Vec::new(),
            checklist_version: 1,
            double_review: None,
            assignments: Vec::new(),
            progress: Vec::new(),
            overdue_reviewers: Vec::new(),
            escalated: Vec::new(),
            findings: Vec::new(),
            unit,
            by_contact_person: Vec::new(),
            closed_on: None,
            today: NaiveDate::from_ymd_opt(2026, 12, 1).expect("date"),
        }
    }

    #[test]
    fn results_csv_starts_with_a_byte_order_mark_and_keeps_swedish_letters() {
        let mut overall = item("overall", 1, 0, 0, 0);
        overall.text = "Sammantaget".to_owned();
        let mut goal = item("goals", 2, 1, 0, 0);
        goal.text = "Målen är följda, även för Åsa Öberg".to_owned();
        let csv = round(ResultGroup {
            contact_person: None,
            periods: 3,
            items: vec![goal],
            overall,
        })
        .results_csv();
        assert!(csv.as_bytes().starts_with(&[0xEF, 0xBB, 0xBF]));
        assert!(csv.starts_with("\u{FEFF}grupp;fraga;"));
        assert!(csv.contains("Enheten;goals;Målen är följda, även för Åsa Öberg;2;1;0;0;67\n"));
        // The data URL carries the mark and the letters as UTF-8 bytes.
        let url = data_url("text/csv", &csv);
        assert!(url.starts_with("data:text/csv;charset=utf-8,%EF%BB%BFgrupp"));
        assert!(url.contains("M%C3%A5len"));
    }

    #[test]
    fn answer_fields_read_back() {
        assert_eq!(answer_field(2, "goals_followed"), "p2-goals_followed");
        assert_eq!(
            parse_answer_field("p2-goals_followed"),
            Some((2, "goals_followed"))
        );
        assert_eq!(parse_answer_field("p10-overall"), Some((10, "overall")));
        assert_eq!(
            parse_answer_field("p1-overall-summary"),
            Some((1, "overall-summary"))
        );
        assert_eq!(parse_answer_field("year"), None);
        assert_eq!(parse_answer_field("px-a"), None);
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

/// A reminder of an audit round the reviewer has not opened yet: shown on every page
/// (no client data, only how many reviews are left and by when).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderNote {
    pub year: i32,
    /// The reviewer's last day (the round's due date, or later for an extended review).
    pub due_on: NaiveDate,
    /// The reviewer's reviews of the round not yet submitted.
    pub left: u32,
    pub sent_by: String,
    pub sent_on: NaiveDate,
}

/// The last reminder a reviewer was sent in a round, as the manager sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderSent {
    pub sent_on: NaiveDate,
    pub sent_by: String,
    /// Whether the reviewer has opened their reviews since.
    pub opened: bool,
}

/// A review still not submitted long after the round's due date: the manager's
/// escalation list (`akta_domain::audit_round::ESCALATE_DAYS`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalatedReview {
    pub assignment_id: String,
    /// Masked (`None`) for a client with protected identity.
    pub client_name: Option<String>,
    pub reviewer: String,
    pub days_late: u32,
}

/// A finding's key in a form: the period's number and the checklist item.
pub fn finding_key(period: u32, item: &str) -> String {
    format!("{period}:{item}")
}

/// The period and item of a finding's key (`None` when it is not one).
pub fn parse_finding_key(key: &str) -> Option<(u32, String)> {
    let (period, item) = key.split_once(':')?;
    Some((period.parse().ok()?, item.to_owned()))
}

/// What the contact person did about a finding: a reply to the reviewer, an action
/// with the day it is to be done by, and the day it was done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingAction {
    pub reply: String,
    pub action: String,
    pub due_on: Option<NaiveDate>,
    pub done_on: Option<NaiveDate>,
}

/// Where a finding stands, as the manager's list and the contact person see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingStatus {
    /// No reply and no action recorded yet.
    Unanswered,
    /// Replied to without an action (the contact person sees nothing to do).
    Replied,
    /// An action is planned, its day not yet passed.
    Planned,
    /// An action whose day has passed without it being done.
    Overdue,
    Done,
}

impl FindingStatus {
    pub fn of(action: Option<&FindingAction>, today: NaiveDate) -> FindingStatus {
        match action {
            None => FindingStatus::Unanswered,
            Some(a) if a.done_on.is_some() => FindingStatus::Done,
            Some(a) => match a.due_on {
                Some(due) if due < today => FindingStatus::Overdue,
                Some(_) => FindingStatus::Planned,
                None if a.action.is_empty() && a.reply.is_empty() => FindingStatus::Unanswered,
                None => FindingStatus::Replied,
            },
        }
    }

    /// Still the contact person's to take further.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            FindingStatus::Unanswered | FindingStatus::Planned | FindingStatus::Overdue
        )
    }
}

/// One finding of a round, for the manager: whose file, which period and question,
/// the reviewer's answer and recommendation, and the contact person's action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundFinding {
    pub file_id: String,
    pub client_name: Option<String>,
    pub contact_person: String,
    pub period: u32,
    pub item_number: u32,
    pub text_sv: String,
    pub text_en: String,
    pub answer: String,
    pub recommendation: String,
    pub action: Option<FindingAction>,
    pub status: FindingStatus,
}

/// Last round's findings of a file, beside the next round's checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarlierFinding {
    pub period_from: NaiveDate,
    pub period_to: Option<NaiveDate>,
    pub text_sv: String,
    pub text_en: String,
    pub answer: String,
    pub comment: String,
    pub recommendation: String,
    pub action: Option<FindingAction>,
    pub status: FindingStatus,
}

/// How one checklist question fared last round in the contact person's other files:
/// counts only (the reviewer is not on those files).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarlierItemCount {
    pub text_sv: String,
    pub text_en: String,
    /// Reviews of other files with a "no" or "partly" on the question.
    pub findings: u32,
    pub actions_done: u32,
}

/// What the reviewer sees of last round: this file's findings and actions, and the
/// contact person's other files in numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarlierFindings {
    pub year: i32,
    /// Last round reviewed this file.
    pub file_reviewed: bool,
    pub this_file: Vec<EarlierFinding>,
    /// Other files of the same contact person reviewed last round.
    pub other_files: u32,
    pub other_items: Vec<EarlierItemCount>,
}
