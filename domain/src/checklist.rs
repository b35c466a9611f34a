//! The checklist of the yearly peer audit (aktgranskning): the items a reviewer answers
//! for a file, the overall judgement, and the scoring of the answers.
//!
//! routine: "Vid granskning ska genomförandeplan för perioden jämföras med journaler så att
//! journalerna är adekvata i relation till genomförandeplanen, dvs visar journalanteckningar
//! att man utgår från genomförandeplanen."
//!
//! The item keys are stored with every answer: never rename one. A new item gets a new key.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::agreement::Category;

/// A reviewer's answer to one checklist item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Answer {
    Yes,
    Partly,
    No,
    /// The item does not apply to this file (e.g. no follow-up was due yet).
    NotApplicable,
}

impl Answer {
    pub const ALL: [Answer; 4] = [
        Answer::Yes,
        Answer::Partly,
        Answer::No,
        Answer::NotApplicable,
    ];

    /// The stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Yes => "yes",
            Answer::Partly => "partly",
            Answer::No => "no",
            Answer::NotApplicable => "not_applicable",
        }
    }

    pub fn parse(s: &str) -> Option<Answer> {
        Answer::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// Whether the answer counts in the scoring (N/A does not).
    pub fn is_answered(self) -> bool {
        self != Answer::NotApplicable
    }

    /// A "no" or "partly": a finding of the audit, for the file's contact person to
    /// follow up (with the reviewer's recommendation beside it).
    pub fn is_finding(self) -> bool {
        matches!(self, Answer::No | Answer::Partly)
    }

    /// [`Answer::is_finding`] of a stored answer (`None`: not answered).
    pub fn stored_is_finding(stored: Option<&str>) -> bool {
        stored
            .and_then(Answer::parse)
            .is_some_and(Answer::is_finding)
    }
}

impl Category for Answer {
    fn all() -> &'static [Self] {
        &Answer::ALL
    }
}

/// The reviewer's overall judgement of a file: does the journal start from the plan?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Judgement {
    Yes,
    Partly,
    No,
}

impl Judgement {
    pub const ALL: [Judgement; 3] = [Judgement::Yes, Judgement::Partly, Judgement::No];

    pub fn as_str(self) -> &'static str {
        match self {
            Judgement::Yes => "yes",
            Judgement::Partly => "partly",
            Judgement::No => "no",
        }
    }

    pub fn parse(s: &str) -> Option<Judgement> {
        Judgement::ALL.into_iter().find(|j| j.as_str() == s)
    }
}

impl Category for Judgement {
    fn all() -> &'static [Self] {
        &Judgement::ALL
    }
}

/// One item of the checklist, with its texts in Swedish (first) and English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ChecklistItem {
    /// Stable key, stored with the answers.
    pub key: &'static str,
    pub sv: &'static str,
    pub en: &'static str,
}

/// The question of the overall judgement.
pub const OVERALL_QUESTION: ChecklistItem = ChecklistItem {
    key: "overall",
    sv: "Sammantaget: visar journalanteckningarna att man utgår från genomförandeplanen?",
    en: "Overall: do the journal entries show that the work starts from the plan?",
};

/// The default checklist, from the unit's routine.
pub const DEFAULT_ITEMS: [ChecklistItem; 8] = [
    // routine: plan within 14 days, signed by the client.
    ChecklistItem {
        key: "plan_within_14_days_signed",
        sv: "Genomförandeplanen är upprättad inom 14 dagar och undertecknad av klienten.",
        en: "The implementation plan was made within 14 days and signed by the client.",
    },
    // routine: entries relevant in relation to the plan.
    ChecklistItem {
        key: "entries_relate_to_plan_goals",
        sv: "Journalanteckningarna utgår från genomförandeplanens mål och delmål.",
        en: "The journal entries relate to the goals and sub-goals of the plan.",
    },
    // routine: entries state the actions taken on deviations.
    ChecklistItem {
        key: "deviations_documented_with_action",
        sv: "Avvikelser från planen är dokumenterade tillsammans med vidtagna åtgärder.",
        en: "Deviations from the plan are documented with the action taken.",
    },
    // routine: follow-up within 4 weeks, then within 2 months, documented in the journal.
    ChecklistItem {
        key: "follow_ups_in_time_documented",
        sv: "Uppföljningar är gjorda i tid och dokumenterade i journalen.",
        en: "Follow-ups were held in time and documented in the journal.",
    },
    // routine: at least one entry a week.
    ChecklistItem {
        key: "entries_at_least_weekly",
        sv: "Journal är förd minst en gång i veckan.",
        en: "Entries were written at least once a week.",
    },
    // routine: monthly review of the social journal.
    ChecklistItem {
        key: "monthly_reviews_done",
        sv: "Genomgång av social journal är gjord varje månad.",
        en: "The monthly journal review was done every month.",
    },
    // routine: entries brief and relevant.
    ChecklistItem {
        key: "entries_brief_factual",
        sv: "Anteckningarna är kortfattade, sakliga och fria från värdeladdade ord.",
        en: "The entries are brief, factual and free of value-laden words.",
    },
    // routine: the plan is kept alive and revised on changes.
    ChecklistItem {
        key: "plan_revised_on_changes",
        sv: "Förändrade behov eller resurser har lett till att genomförandeplanen reviderats.",
        en: "Changed needs or resources led to a revision of the plan.",
    },
];

/// The default item with this key.
pub fn item(key: &str) -> Option<&'static ChecklistItem> {
    DEFAULT_ITEMS.iter().find(|i| i.key == key)
}

/// Counts of the answers given to one item (over many files or reviewers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ItemScore {
    pub yes: u32,
    pub partly: u32,
    pub no: u32,
    pub not_applicable: u32,
}

/// Shares of yes / partly / no among the answered (N/A excluded); they add up to 1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Shares {
    pub yes: f64,
    pub partly: f64,
    pub no: f64,
}

impl ItemScore {
    pub fn add(&mut self, answer: Answer) {
        let slot = match answer {
            Answer::Yes => &mut self.yes,
            Answer::Partly => &mut self.partly,
            Answer::No => &mut self.no,
            Answer::NotApplicable => &mut self.not_applicable,
        };
        *slot = slot.saturating_add(1);
    }

    /// Answers other than N/A.
    pub fn answered(&self) -> u32 {
        self.yes.saturating_add(self.partly).saturating_add(self.no)
    }

    /// The shares over answered items, or `None` when every answer was N/A (or none given).
    pub fn shares(&self) -> Option<Shares> {
        let answered = self.answered();
        (answered > 0).then(|| {
            let n = f64::from(answered);
            Shares {
                yes: f64::from(self.yes) / n,
                partly: f64::from(self.partly) / n,
                no: f64::from(self.no) / n,
            }
        })
    }
}

impl FromIterator<Answer> for ItemScore {
    fn from_iter<I: IntoIterator<Item = Answer>>(answers: I) -> Self {
        let mut score = ItemScore::default();
        for answer in answers {
            score.add(answer);
        }
        score
    }
}

/// Scores answers per item key, e.g. all answers of an audit round.
pub fn score_by_item<K: Ord, I: IntoIterator<Item = (K, Answer)>>(
    answers: I,
) -> BTreeMap<K, ItemScore> {
    let mut scores: BTreeMap<K, ItemScore> = BTreeMap::new();
    for (key, answer) in answers {
        scores.entry(key).or_default().add(answer);
    }
    scores
}

/// `part` of `whole` in whole per cent, rounded to the nearest (half up): 1 of 6 is 17,
/// not 16. `None` when `whole` is 0.
pub fn rounded_percent(part: u32, whole: u32) -> Option<u32> {
    let (part, whole) = (u64::from(part), u64::from(whole));
    (whole > 0)
        .then(|| (part * 100 + whole / 2) / whole)
        .and_then(|p| u32::try_from(p).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn a_no_or_partly_is_a_finding() {
        let findings: Vec<Answer> = Answer::ALL.into_iter().filter(|a| a.is_finding()).collect();
        assert_eq!(findings, vec![Answer::Partly, Answer::No]);
        assert!(Answer::stored_is_finding(Some("partly")));
        assert!(!Answer::stored_is_finding(Some("not_applicable")));
        assert!(!Answer::stored_is_finding(Some("nej")));
        assert!(!Answer::stored_is_finding(None));
    }

    #[test]
    fn percentages_round_to_the_nearest_whole() {
        // Issue 13: "1 of 6 = 16 procent" rounded down.
        assert_eq!(rounded_percent(1, 6), Some(17));
        assert_eq!(rounded_percent(1, 3), Some(33));
        assert_eq!(rounded_percent(2, 3), Some(67));
        assert_eq!(rounded_percent(1, 8), Some(13));
        assert_eq!(rounded_percent(0, 5), Some(0));
        assert_eq!(rounded_percent(5, 5), Some(100));
        assert_eq!(rounded_percent(3, 0), None);
    }

    #[test]
    fn answer_and_judgement_names_round_trip() {
        for a in Answer::ALL {
            assert_eq!(Answer::parse(a.as_str()), Some(a));
        }
        for j in Judgement::ALL {
            assert_eq!(Judgement::parse(j.as_str()), Some(j));
        }
        assert_eq!(Answer::parse("maybe"), None);
        assert_eq!(Judgement::parse("not_applicable"), None);
    }

    #[test]
    fn checklist_keys_are_stable() {
        // These keys are stored with answers: changing one orphans the answers given.
        let keys: Vec<&str> = DEFAULT_ITEMS.iter().map(|i| i.key).collect();
        assert_eq!(
            keys,
            [
                "plan_within_14_days_signed",
                "entries_relate_to_plan_goals",
                "deviations_documented_with_action",
                "follow_ups_in_time_documented",
                "entries_at_least_weekly",
                "monthly_reviews_done",
                "entries_brief_factual",
                "plan_revised_on_changes",
            ]
        );
        let unique: BTreeSet<&str> = keys.iter().copied().chain([OVERALL_QUESTION.key]).collect();
        assert_eq!(unique.len(), DEFAULT_ITEMS.len() + 1);
    }

    #[test]
    fn every_item_has_both_texts() {
        for i in DEFAULT_ITEMS.iter().chain([&OVERALL_QUESTION]) {
            assert!(
                !i.sv.trim().is_empty() && !i.en.trim().is_empty(),
                "{}",
                i.key
            );
            assert_ne!(i.sv, i.en, "{}", i.key);
            assert!(
                i.key
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            );
        }
        assert_eq!(
            item("entries_at_least_weekly").map(|i| i.en),
            Some("Entries were written at least once a week.")
        );
        assert_eq!(item("nope"), None);
    }

    #[test]
    fn shares_exclude_not_applicable() {
        use Answer::*;
        let score: ItemScore = [Yes, Yes, Partly, No, NotApplicable, NotApplicable]
            .into_iter()
            .collect();
        assert_eq!(score.answered(), 4);
        assert_eq!(score.not_applicable, 2);
        let shares = score.shares().expect("answered");
        assert!((shares.yes - 0.5).abs() < 1e-12);
        assert!((shares.partly - 0.25).abs() < 1e-12);
        assert!((shares.no - 0.25).abs() < 1e-12);
    }

    #[test]
    fn an_item_answered_only_not_applicable_has_no_shares() {
        let score: ItemScore = [Answer::NotApplicable; 3].into_iter().collect();
        assert_eq!(score.shares(), None);
        assert_eq!(ItemScore::default().shares(), None);
    }

    #[test]
    fn answers_are_scored_per_item() {
        use Answer::*;
        let scores = score_by_item([("a", Yes), ("b", No), ("a", Partly), ("a", NotApplicable)]);
        assert_eq!(
            scores["a"],
            ItemScore {
                yes: 1,
                partly: 1,
                no: 0,
                not_applicable: 1
            }
        );
        assert_eq!(
            scores["b"],
            ItemScore {
                yes: 0,
                partly: 0,
                no: 1,
                not_applicable: 0
            }
        );
    }
}
