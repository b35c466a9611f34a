//! The monthly journal review (genomgång av social journal) and the monthly report
//! (månadsrapport).
//!
//! routine (the municipality's): "Kontaktmannen ska en gång i månaden gå igenom den sociala
//! journalen för att upptäcka mönster och trender" — changed needs, changed resources,
//! recurring deviations from the plan, other events of importance — and document, under the
//! heading "Genomgång av social journal", what was seen, the actions, and when and how they
//! are followed up. The three example phrasings are kept here in their Swedish original.
//!
//! routine (Måsen): "Månadsrapporten ska vara kortfattad och syftar till att utvärdera aktuell
//! genomförandeplan. Händelser av vikt för klientens behandling anges samt åtgärder som
//! vidtagits vid avvikelser."
//!
//! The patterns found here are hints for the reader, not judgements: a word list cannot
//! tell "avböjde" from "avböjde inte". The contact person reads the entries and decides.

use crate::deadlines::{Silence, YearMonth, silences_between};
use crate::journal::{ENTRY_MAX_CHARS, EntryCategory};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The heading every monthly review entry starts with (routine: "Dokumentera under rubrik
/// Genomgång av social journal").
pub const REVIEW_HEADING: &str = "Genomgång av social journal";

/// The review's own text (the chosen phrasing, edited).
pub const REVIEW_TEXT_MAX_CHARS: usize = 2_000;
/// Each part of an action or its follow-up (what, how).
pub const ACTION_MAX_CHARS: usize = 500;
/// A goal's evaluation in the monthly report: brief, as the routine asks.
pub const GOAL_EVALUATION_MAX_CHARS: usize = 1_000;
/// Events of importance, actions at deviations, or the evaluation of a file without plan.
pub const REPORT_TEXT_MAX_CHARS: usize = 2_000;

pub type ReviewText = crate::Text<REVIEW_TEXT_MAX_CHARS>;
pub type ActionText = crate::Text<ACTION_MAX_CHARS>;
pub type GoalEvaluation = crate::Text<GOAL_EVALUATION_MAX_CHARS>;
pub type ReportText = crate::Text<REPORT_TEXT_MAX_CHARS>;

// The whole review entry (heading, period, text, action, follow-up) fits one journal entry.
const _: () = assert!(REVIEW_TEXT_MAX_CHARS + 3 * ACTION_MAX_CHARS + 300 <= ENTRY_MAX_CHARS);

/// One of the three example phrasings of the routine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Phrasing {
    /// 1: the client declined a service on several occasions.
    Declined,
    /// 2: the client's need of support has changed.
    NeedChanged,
    /// 3: nothing of importance is seen.
    NothingSeen,
}

/// The placeholders of the phrasings that the writer must replace with the facts.
const PLACEHOLDERS: [&str; 3] = [
    "(skriv vilken insats/ aktivitet)",
    "(ange insats/ aktivitet)",
    "(Beskriv vad som förändrats",
];

impl Phrasing {
    pub const ALL: [Phrasing; 3] = [
        Phrasing::Declined,
        Phrasing::NeedChanged,
        Phrasing::NothingSeen,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Phrasing::Declined => "declined",
            Phrasing::NeedChanged => "need_changed",
            Phrasing::NothingSeen => "nothing_seen",
        }
    }

    pub fn parse(s: &str) -> Option<Phrasing> {
        Phrasing::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// Whether an action and its follow-up must be recorded. Only after declined services:
    /// the seed's phrasing 2 asks for "vilken ev. åtgärd" (a possible action) when needs
    /// have changed, so there one may be written but none is required.
    pub fn needs_action(self) -> bool {
        self == Phrasing::Declined
    }

    /// The phrasing in its Swedish original with the period and the client filled in; the
    /// other placeholders stay in parentheses for the writer to replace.
    pub fn text(self, period: &str, client: &str) -> String {
        let genitive = genitive(client);
        match self {
            Phrasing::Declined => format!(
                "Vid genomgång av den sociala journalen under perioden {period} framkommer det \
                 av anteckningarna att {client} vid ett flertal tillfällen avböjt insatsen \
                 {}.",
                PLACEHOLDERS[0]
            ),
            Phrasing::NeedChanged => format!(
                "Vid genomgång av den sociala journalen under perioden {period} framkommer det \
                 av anteckningarna att {genitive} behov av stöd vid {} har förändrats. \
                 {}, har något tex blivit bättre/ sämre, klarar kunden mer/ mindre i en insats?)",
                PLACEHOLDERS[1], PLACEHOLDERS[2]
            ),
            Phrasing::NothingSeen => format!(
                "Vid genomgång av den sociala journalen under perioden {period} ses/ upptäcks \
                 inga avvikelser från genomförandeplanen, förändringar i {genitive} behov/ \
                 resurser eller annat av vikt i kundens livssituation."
            ),
        }
    }
}

/// Whether a placeholder of the phrasings is still in the text.
pub fn placeholder_left(text: &str) -> bool {
    PLACEHOLDERS.iter().any(|p| text.contains(p))
}

/// The Swedish genitive of a name: "Anna Berg" → "Anna Bergs", "Lars" → "Lars".
pub fn genitive(name: &str) -> String {
    let name = name.trim();
    match name.chars().last() {
        Some(c) if matches!(c.to_lowercase().next(), Some('s' | 'x' | 'z')) => name.to_owned(),
        Some(_) => format!("{name}s"),
        None => name.to_owned(),
    }
}

const MONTHS_SV: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

/// The month in Swedish: "november 2026".
pub fn month_name(month: YearMonth) -> String {
    let index = usize::try_from(month.month().saturating_sub(1)).unwrap_or_default();
    let name = MONTHS_SV.get(index).copied().unwrap_or_default();
    format!("{name} {}", month.year())
}

/// The days of `month` the review or report covers: the month, cut to the file's start
/// and its closing day. `None` when the file was not open in the month.
pub fn window(
    month: YearMonth,
    start: NaiveDate,
    closed: Option<NaiveDate>,
) -> Option<(NaiveDate, NaiveDate)> {
    let from = month.first_day().max(start);
    let to = closed.map_or(month.last_day(), |c| c.min(month.last_day()));
    (from <= to).then_some((from, to))
}

/// The period in Swedish, as the phrasings want it: "1–30 november 2026", or
/// "12–30 november 2026" for a file that started on the 12th.
pub fn period_text(from: NaiveDate, to: NaiveDate) -> String {
    let month = YearMonth::of(to);
    if YearMonth::of(from) == month {
        format!("{}–{} {}", from.day(), to.day(), month_name(month))
    } else {
        format!(
            "{} {} – {} {}",
            from.day(),
            month_name(YearMonth::of(from)),
            to.day(),
            month_name(month)
        )
    }
}

/// Why a month cannot be reviewed or reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum MonthError {
    #[error("the month lies in the future")]
    Future,
    #[error("the file was not yet open in the month")]
    BeforeStart,
    #[error("the file was closed before the month")]
    AfterClose,
}

/// A month may be reviewed or reported from its first day on (the duty falls due on its
/// last day), while the file was open in it.
pub fn check_month(
    month: YearMonth,
    start: NaiveDate,
    closed: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<YearMonth, MonthError> {
    if month > YearMonth::of(today) {
        Err(MonthError::Future)
    } else if month < YearMonth::of(start) {
        Err(MonthError::BeforeStart)
    } else if closed.is_some_and(|c| month > YearMonth::of(c)) {
        Err(MonthError::AfterClose)
    } else {
        Ok(month)
    }
}

/// The month a review page opens on: the previous month (the one to review now), or the
/// current one while the file is in its first month.
pub fn default_month(start: NaiveDate, today: NaiveDate) -> YearMonth {
    let current = YearMonth::of(today);
    let previous = YearMonth::of(current.first_day().pred_opt().unwrap_or(today));
    if previous < YearMonth::of(start) {
        current
    } else {
        previous
    }
}

/// The signed journal entry of a review: heading, period, the text, and the action with its
/// follow-up when there is one. Swedish, like every document of the file.
pub fn review_entry_text(period: &str, text: &str, action: Option<&Action>) -> String {
    let mut body = format!("{REVIEW_HEADING}\nPeriod: {period}\n\n{}", text.trim());
    if let Some(a) = action {
        body.push_str(&format!(
            "\n\nÅtgärd: {}\nNär: {}. Hur: {}\nUppföljning av åtgärd: {}. Hur: {}",
            a.what.trim(),
            a.when,
            a.how.trim(),
            a.follow_up_on,
            a.follow_up_how.trim()
        ));
    }
    body
}

/// An action taken after a review, and when and how it is followed up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    pub what: String,
    pub when: NaiveDate,
    pub how: String,
    pub follow_up_on: NaiveDate,
    pub follow_up_how: String,
}

/// What a highlighted word signals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Signal {
    /// A declined or cancelled service.
    Declined,
    /// A change of needs or resources.
    Change,
}

impl Signal {
    pub fn as_str(self) -> &'static str {
        match self {
            Signal::Declined => "declined",
            Signal::Change => "change",
        }
    }
}

/// One word of a signal phrase: the whole word, or its beginning.
#[derive(Debug, Clone, Copy)]
enum W {
    Exact(&'static str),
    Prefix(&'static str),
}

/// Declined or cancelled services. Lower case; a phrase matches consecutive words.
/// avböja (avböjde, avböjt), avboka (avbokade, avbokning), utebli (uteblev, uteblivit,
/// utebliven), ställa in (ställde/ställt/ställer in), inställd, tacka nej, avbryta
/// (avbröt, avbrutit, avbrott), återbud, vägra, missa (missade, missat), "kom inte".
const DECLINED: &[&[W]] = &[
    &[W::Prefix("avböj")],
    &[W::Prefix("avbok")],
    &[W::Prefix("uteblev")],
    &[W::Prefix("utebliv")],
    &[W::Prefix("ställ"), W::Exact("in")],
    &[W::Prefix("inställ")],
    &[W::Prefix("tacka"), W::Exact("nej")],
    &[W::Exact("avbröt")],
    &[W::Prefix("avbrut")],
    &[W::Prefix("avbryt")],
    &[W::Prefix("avbrott")],
    &[W::Prefix("återbud")],
    &[W::Prefix("vägra")],
    &[W::Exact("missade")],
    &[W::Exact("missat")],
    &[W::Exact("missar")],
    &[W::Exact("kom"), W::Exact("inte")],
];

/// Changed needs or resources: behov, resurs, förändr-, försämr-, förbättr-, bättre,
/// sämre, återfall.
const CHANGES: &[&[W]] = &[
    &[W::Prefix("behov")],
    &[W::Prefix("resurs")],
    &[W::Prefix("förändr")],
    &[W::Prefix("försämr")],
    &[W::Prefix("förbättr")],
    &[W::Exact("bättre")],
    &[W::Exact("sämre")],
    &[W::Prefix("återfall")],
];

/// A highlighted span of an entry's text, in bytes (always on character boundaries).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Highlight {
    pub start: usize,
    pub end: usize,
    pub signal: Signal,
}

/// The words of `text` with their byte spans, lower-cased. Letters and digits make words,
/// Swedish å, ä, ö included.
fn words(text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push((s, i, text[s..i].to_lowercase()));
        }
    }
    if let Some(s) = start {
        out.push((s, text.len(), text[s..].to_lowercase()));
    }
    out
}

fn word_matches(w: W, word: &str) -> bool {
    match w {
        W::Exact(e) => word == e,
        W::Prefix(p) => word.starts_with(p),
    }
}

/// The signal words in `text`, in order, never overlapping. Case does not matter.
pub fn highlights(text: &str) -> Vec<Highlight> {
    let words = words(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let mut found = None;
        'lists: for (signal, list) in [(Signal::Declined, DECLINED), (Signal::Change, CHANGES)] {
            for phrase in list {
                let fits = phrase.len() <= words.len() - i
                    && phrase
                        .iter()
                        .zip(&words[i..])
                        .all(|(w, (_, _, word))| word_matches(*w, word));
                if fits {
                    found = Some((signal, phrase.len()));
                    break 'lists;
                }
            }
        }
        match found {
            Some((signal, len)) => {
                let start = words[i].0;
                let end = words[i + len - 1].1;
                out.push(Highlight { start, end, signal });
                i += len;
            }
            None => i += 1,
        }
    }
    out
}

/// `text` cut into pieces, each with the signal it carries (if any), for display.
pub fn segments(text: &str) -> Vec<(String, Option<Signal>)> {
    let mut out = Vec::new();
    let mut at = 0;
    for h in highlights(text) {
        if h.start > at {
            out.push((text[at..h.start].to_owned(), None));
        }
        out.push((text[h.start..h.end].to_owned(), Some(h.signal)));
        at = h.end;
    }
    if at < text.len() {
        out.push((text[at..].to_owned(), None));
    }
    out
}

/// One signed entry of the month, as the pattern rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthEntry<'a, G> {
    pub date: NaiveDate,
    pub category: Option<EntryCategory>,
    pub text: &'a str,
    /// The plan goals the entry is linked to.
    pub goals: Vec<G>,
}

/// What the review page points out. Indices refer to the entries passed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Patterns<G> {
    /// Entries that mention a declined or cancelled service.
    pub declined: Vec<usize>,
    /// Entries that mention changed needs or resources.
    pub changes: Vec<usize>,
    /// Calendar weeks without an entry signed in them (the weekly rule of the deadlines)
    /// that reach into the month, as silences of one or more weeks.
    pub gaps: Vec<Silence>,
    /// Goals of the plan in force without any entry linked to them in the month.
    pub goals_without_entry: Vec<G>,
    /// The month's deviation entries, when there are two or more (a recurring deviation).
    pub recurring_deviations: Vec<usize>,
}

impl<G> Patterns<G> {
    /// Nothing was found: phrasing 3 fits.
    pub fn is_empty(&self) -> bool {
        self.declined.is_empty()
            && self.changes.is_empty()
            && self.gaps.is_empty()
            && self.goals_without_entry.is_empty()
            && self.recurring_deviations.is_empty()
    }
}

/// What the weekly rule needs to know of the file: the same rule as its deadlines and the
/// deviation register ([`silences_between`]), so the review shows what the register raises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeeklyRule<'a> {
    /// The Swedish dates on which the file's entries (of every category) were signed.
    pub signed_days: &'a [NaiveDate],
    pub start: NaiveDate,
    pub closed: Option<NaiveDate>,
    pub today: NaiveDate,
}

/// Finds the patterns of a month.
///
/// - `window`: the days looked at (see [`window`]), with the end cut to today while the
///   month is still running;
/// - `weeks`: the file's signing days for the weekly rule (silences touching the window);
/// - `entries`: the month's signed entries (monthly reviews and corrected originals left
///   out by the caller); `goals`: the goals of the plan in force in the month.
pub fn find_patterns<G: Clone + PartialEq>(
    window: (NaiveDate, NaiveDate),
    weeks: WeeklyRule<'_>,
    entries: &[MonthEntry<'_, G>],
    goals: &[G],
) -> Patterns<G> {
    let mut declined = Vec::new();
    let mut changes = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let found = highlights(e.text);
        if found.iter().any(|h| h.signal == Signal::Declined) {
            declined.push(i);
        }
        if found.iter().any(|h| h.signal == Signal::Change) {
            changes.push(i);
        }
    }
    let gaps = silences_between(
        weeks.signed_days,
        weeks.start,
        weeks.closed,
        weeks.today,
        window,
    );
    let goals_without_entry = goals
        .iter()
        .filter(|g| !entries.iter().any(|e| e.goals.contains(g)))
        .cloned()
        .collect();
    let deviations: Vec<usize> = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.category == Some(EntryCategory::Deviation))
        .map(|(i, _)| i)
        .collect();
    Patterns {
        declined,
        changes,
        gaps,
        goals_without_entry,
        recurring_deviations: if deviations.len() >= 2 {
            deviations
        } else {
            Vec::new()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn ym(y: i32, m: u32) -> YearMonth {
        YearMonth::new(y, m).expect("month")
    }

    fn entry(date: NaiveDate, text: &str) -> MonthEntry<'_, u32> {
        MonthEntry {
            date,
            category: Some(EntryCategory::WeeklyNote),
            text,
            goals: Vec::new(),
        }
    }

    fn spans(text: &str) -> Vec<(&str, Signal)> {
        highlights(text)
            .into_iter()
            .map(|h| (&text[h.start..h.end], h.signal))
            .collect()
    }

    #[test]
    fn phrasings_are_the_seed_text_with_period_and_client() {
        let one = Phrasing::Declined.text("1–30 november 2026", "Anna Berg");
        assert!(one.starts_with(
            "Vid genomgång av den sociala journalen under perioden 1–30 november 2026 \
             framkommer det av anteckningarna att Anna Berg vid ett flertal tillfällen \
             avböjt insatsen (skriv vilken insats/ aktivitet)"
        ));
        let two = Phrasing::NeedChanged.text("1–30 november 2026", "Anna Berg");
        assert!(two.contains("att Anna Bergs behov av stöd vid (ange insats/ aktivitet)"));
        let three = Phrasing::NothingSeen.text("1–30 november 2026", "Lars Olofs");
        assert_eq!(
            three,
            "Vid genomgång av den sociala journalen under perioden 1–30 november 2026 ses/ \
             upptäcks inga avvikelser från genomförandeplanen, förändringar i Lars Olofs \
             behov/ resurser eller annat av vikt i kundens livssituation."
        );
        assert!(placeholder_left(&one));
        assert!(placeholder_left(&two));
        assert!(!placeholder_left(&three));
        assert!(Phrasing::Declined.needs_action());
        // Seed: "Åtgärd: (Skriv vilken ev. åtgärd som görs, när och hur)" — possibly.
        assert!(!Phrasing::NeedChanged.needs_action());
        assert!(!Phrasing::NothingSeen.needs_action());
        for p in Phrasing::ALL {
            assert_eq!(Phrasing::parse(p.as_str()), Some(p));
        }
        assert_eq!(Phrasing::parse("4"), None);
    }

    #[test]
    fn genitive_follows_swedish() {
        assert_eq!(genitive("Anna Berg"), "Anna Bergs");
        assert_eq!(genitive("Lars"), "Lars");
        assert_eq!(genitive("Max"), "Max");
        assert_eq!(genitive("Ines Ruiz"), "Ines Ruiz");
        assert_eq!(genitive("klienten"), "klientens");
    }

    #[test]
    fn period_covers_the_open_days_of_the_month() {
        assert_eq!(
            window(ym(2026, 11), d(2026, 3, 1), None),
            Some((d(2026, 11, 1), d(2026, 11, 30)))
        );
        assert_eq!(
            window(ym(2026, 11), d(2026, 11, 12), None),
            Some((d(2026, 11, 12), d(2026, 11, 30)))
        );
        assert_eq!(
            window(ym(2026, 11), d(2026, 3, 1), Some(d(2026, 11, 5))),
            Some((d(2026, 11, 1), d(2026, 11, 5)))
        );
        assert_eq!(window(ym(2026, 10), d(2026, 11, 2), None), None);
        assert_eq!(
            window(ym(2026, 12), d(2026, 3, 1), Some(d(2026, 11, 30))),
            None
        );
        // Leap day and month ends.
        assert_eq!(
            window(ym(2028, 2), d(2027, 1, 1), None),
            Some((d(2028, 2, 1), d(2028, 2, 29)))
        );
        assert_eq!(
            period_text(d(2028, 2, 1), d(2028, 2, 29)),
            "1–29 februari 2028"
        );
        assert_eq!(
            period_text(d(2026, 12, 1), d(2026, 12, 31)),
            "1–31 december 2026"
        );
        assert_eq!(
            period_text(d(2026, 11, 12), d(2026, 11, 30)),
            "12–30 november 2026"
        );
        assert_eq!(
            period_text(d(2026, 10, 25), d(2026, 11, 6)),
            "25 oktober 2026 – 6 november 2026"
        );
    }

    #[test]
    fn months_in_the_future_or_outside_the_file_are_refused() {
        let today = d(2026, 11, 23);
        let start = d(2026, 3, 15);
        assert_eq!(
            check_month(ym(2026, 11), start, None, today),
            Ok(ym(2026, 11))
        );
        assert_eq!(
            check_month(ym(2026, 3), start, None, today),
            Ok(ym(2026, 3))
        );
        assert_eq!(
            check_month(ym(2026, 12), start, None, today),
            Err(MonthError::Future)
        );
        assert_eq!(
            check_month(ym(2026, 2), start, None, today),
            Err(MonthError::BeforeStart)
        );
        assert_eq!(
            check_month(ym(2026, 9), start, Some(d(2026, 8, 31)), today),
            Err(MonthError::AfterClose)
        );
        assert_eq!(
            check_month(ym(2026, 8), start, Some(d(2026, 8, 1)), today),
            Ok(ym(2026, 8))
        );
    }

    #[test]
    fn the_page_opens_on_the_previous_month_unless_the_file_is_new() {
        assert_eq!(default_month(d(2026, 3, 1), d(2026, 11, 23)), ym(2026, 10));
        assert_eq!(default_month(d(2026, 11, 2), d(2026, 11, 23)), ym(2026, 11));
        assert_eq!(default_month(d(2026, 10, 31), d(2026, 11, 1)), ym(2026, 10));
        assert_eq!(default_month(d(2025, 6, 1), d(2026, 1, 10)), ym(2025, 12));
    }

    #[test]
    fn declined_services_are_found_whatever_the_case() {
        let text = "Klienten AVBÖJDE gruppen. Han ställde in samtalet och Uteblev på tisdag.";
        assert_eq!(
            spans(text),
            vec![
                ("AVBÖJDE", Signal::Declined),
                ("ställde in", Signal::Declined),
                ("Uteblev", Signal::Declined),
            ]
        );
        assert_eq!(
            spans("Avbokade tiden, tackade nej till MI-gruppen, kom inte, uteblivit."),
            vec![
                ("Avbokade", Signal::Declined),
                ("tackade nej", Signal::Declined),
                ("kom inte", Signal::Declined),
                ("uteblivit", Signal::Declined),
            ]
        );
        assert_eq!(
            spans("Samtalet blev inställt; klienten avbröt."),
            vec![("inställt", Signal::Declined), ("avbröt", Signal::Declined),]
        );
        // Words that only look alike are left alone.
        assert!(spans("Klienten kom in i tid, ställde frågor, tackade för samtalet.").is_empty());
        assert!(highlights("").is_empty());
    }

    #[test]
    fn changed_needs_and_resources_are_found() {
        assert_eq!(
            spans("Behovet av stöd har förändrats; ekonomin försämrad, mår BÄTTRE. Återfall."),
            vec![
                ("Behovet", Signal::Change),
                ("förändrats", Signal::Change),
                ("försämrad", Signal::Change),
                ("BÄTTRE", Signal::Change),
                ("Återfall", Signal::Change),
            ]
        );
        assert_eq!(
            spans("Nya resurser: förbättring."),
            vec![
                ("resurser", Signal::Change),
                ("förbättring", Signal::Change),
            ]
        );
    }

    #[test]
    fn segments_rebuild_the_text() {
        let text = "Åsa avböjde. Behov ökat.";
        let parts = segments(text);
        let joined: String = parts.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(joined, text);
        assert_eq!(parts[1], ("avböjde".to_owned(), Some(Signal::Declined)));
        assert_eq!(parts[3], ("Behov".to_owned(), Some(Signal::Change)));
        assert_eq!(segments(""), Vec::new());
        assert_eq!(
            segments("avböjt"),
            vec![("avböjt".to_owned(), Some(Signal::Declined))]
        );
    }

    fn weeks(signed_days: &[NaiveDate], start: NaiveDate, today: NaiveDate) -> WeeklyRule<'_> {
        WeeklyRule {
            signed_days,
            start,
            closed: None,
            today,
        }
    }

    #[test]
    fn an_empty_month_is_one_silence_and_every_goal_is_without_entry() {
        // Signed last on Wednesday 2026-10-28; November reviewed on 2026-12-02.
        let signed = [d(2026, 10, 28)];
        let p = find_patterns::<u32>(
            (d(2026, 11, 1), d(2026, 11, 30)),
            weeks(&signed, d(2026, 3, 2), d(2026, 12, 2)),
            &[],
            &[1, 2],
        );
        // The weeks from Monday 2 to Sunday 29 November, one silence.
        assert_eq!(
            p.gaps,
            vec![Silence {
                first: d(2026, 11, 2),
                last: d(2026, 11, 29)
            }]
        );
        assert_eq!(p.gaps[0].weeks(), 4);
        assert_eq!(p.goals_without_entry, vec![1, 2]);
        assert!(p.declined.is_empty() && p.recurring_deviations.is_empty());
        assert!(!p.is_empty());
    }

    // routine: "räcker det med en journal per vecka": the review uses the deadlines' rule,
    // calendar weeks by the day of signing. Monday one week and Tuesday the next is one a
    // week (a rolling 7 days called it a gap).
    #[test]
    fn the_review_counts_calendar_weeks_like_the_deadlines() {
        let signed = [
            d(2026, 11, 2),
            d(2026, 11, 10),
            d(2026, 11, 16),
            d(2026, 11, 27),
        ];
        let p = find_patterns::<u32>(
            (d(2026, 11, 1), d(2026, 11, 30)),
            weeks(&signed, d(2026, 11, 2), d(2026, 12, 2)),
            &[],
            &[],
        );
        assert!(p.gaps.is_empty(), "{:?}", p.gaps);
        // A silence of the month before that ended in it is not this month's.
        let signed = [d(2026, 10, 1), d(2026, 11, 4)];
        let p = find_patterns::<u32>(
            (d(2026, 11, 2), d(2026, 11, 8)),
            weeks(&signed, d(2026, 3, 2), d(2026, 11, 9)),
            &[],
            &[],
        );
        assert!(p.gaps.is_empty(), "{:?}", p.gaps);
    }

    // Issue 13: an entry written weeks later about an earlier day does not fill the earlier
    // week; the review says what the register raises.
    #[test]
    fn a_backdated_entry_does_not_fill_the_week_it_describes() {
        // Signed on Friday 2026-11-27 only (its event date may be the 5th): the weeks of
        // 2, 9 and 16 November were silent.
        let signed = [d(2026, 10, 30), d(2026, 11, 27)];
        let p = find_patterns::<u32>(
            (d(2026, 11, 1), d(2026, 11, 30)),
            weeks(&signed, d(2026, 3, 2), d(2026, 12, 2)),
            &[entry(d(2026, 11, 5), "Följer planen.")],
            &[],
        );
        assert_eq!(
            p.gaps,
            vec![Silence {
                first: d(2026, 11, 2),
                last: d(2026, 11, 22)
            }]
        );
    }

    #[test]
    fn a_leap_february_counts_its_29th() {
        // Signed in the weeks of 7, 14 and 21 February 2028; the week of Monday the 28th
        // (to Sunday 5 March) holds the 29th, and it has no signing.
        let signed = [
            d(2028, 2, 4),
            d(2028, 2, 11),
            d(2028, 2, 18),
            d(2028, 2, 25),
        ];
        let p = find_patterns::<u32>(
            (d(2028, 2, 1), d(2028, 2, 29)),
            weeks(&signed, d(2027, 1, 1), d(2028, 3, 6)),
            &[],
            &[],
        );
        assert_eq!(
            p.gaps,
            vec![Silence {
                first: d(2028, 2, 28),
                last: d(2028, 3, 5)
            }]
        );
    }

    #[test]
    fn a_file_started_mid_month_owes_from_its_first_whole_week() {
        // Started Friday 2026-11-20: the first week owing is 23–29 November.
        let signed = [d(2026, 11, 26)];
        let p = find_patterns::<u32>(
            (d(2026, 11, 20), d(2026, 11, 30)),
            weeks(&signed, d(2026, 11, 20), d(2026, 12, 2)),
            &[],
            &[],
        );
        assert!(p.gaps.is_empty());
    }

    #[test]
    fn goals_deviations_and_signals_are_pointed_out() {
        let entries = [
            MonthEntry {
                date: d(2026, 11, 3),
                category: Some(EntryCategory::Deviation),
                text: "Klienten uteblev från gruppen.",
                goals: vec![1],
            },
            MonthEntry {
                date: d(2026, 11, 9),
                category: Some(EntryCategory::Event),
                text: "Behovet av boendestöd har ökat.",
                goals: vec![],
            },
            MonthEntry {
                date: d(2026, 11, 12),
                category: Some(EntryCategory::Deviation),
                text: "Återfall i alkohol.",
                goals: vec![1],
            },
        ];
        let signed = [d(2026, 11, 3), d(2026, 11, 9), d(2026, 11, 12)];
        let p = find_patterns(
            (d(2026, 11, 1), d(2026, 11, 15)),
            weeks(&signed, d(2026, 11, 2), d(2026, 11, 16)),
            &entries,
            &[1, 2, 3],
        );
        assert_eq!(p.declined, vec![0]);
        assert_eq!(p.changes, vec![1, 2]);
        assert_eq!(p.recurring_deviations, vec![0, 2]);
        assert_eq!(p.goals_without_entry, vec![2, 3]);
        assert!(p.gaps.is_empty());
        // One deviation alone does not recur.
        let p = find_patterns(
            (d(2026, 11, 1), d(2026, 11, 15)),
            weeks(&signed, d(2026, 11, 2), d(2026, 11, 16)),
            &entries[..2],
            &[1],
        );
        assert!(p.recurring_deviations.is_empty());
    }

    #[test]
    fn the_review_entry_starts_with_the_heading_and_the_period() {
        let body = review_entry_text("1–30 november 2026", "Inget att notera.", None);
        assert_eq!(
            body,
            "Genomgång av social journal\nPeriod: 1–30 november 2026\n\nInget att notera."
        );
        let action = Action {
            what: "Samtal om gruppen".to_owned(),
            when: d(2026, 12, 2),
            how: "Vid nästa enskilda samtal".to_owned(),
            follow_up_on: d(2026, 12, 16),
            follow_up_how: "Vid måldialogen".to_owned(),
        };
        let body = review_entry_text("1–30 november 2026", "Text.", Some(&action));
        assert!(body.contains("Åtgärd: Samtal om gruppen"));
        assert!(body.contains("2026-12-02"));
        assert!(body.ends_with("Uppföljning av åtgärd: 2026-12-16. Hur: Vid måldialogen"));
    }

    #[test]
    fn month_names_are_swedish() {
        assert_eq!(month_name(ym(2026, 1)), "januari 2026");
        assert_eq!(month_name(ym(2026, 12)), "december 2026");
    }
}
