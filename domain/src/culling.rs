//! Culling (gallring): when a closed file is destroyed.
//!
//! routine: "Akten finns kvar i verksamhetssystemet i 5 år därefter ska den gallras.
//! Akter där födelsedag är 05, 15 eller 25 sparas."
//!
//! - A closed file is culled 5 calendar years after the closing day; a file closed on
//!   Feb 29 is due on Feb 28 five years later.
//! - Files of clients born on the 5th, 15th or 25th of a month are kept for research. The
//!   day is that of the real birth date: for a samordningsnummer the number shows the day
//!   + 60, and [`crate::IdentityNumber::birth_date`] already gives the real date.
//! - A file is kept while the same client has another open file, or a file closed later;
//!   the client's files then go together, 5 years after the last closing.
//! - A client whose birth date is not known is kept: we cannot tell whether the file is
//!   one of the research files, and a destroyed file cannot be brought back.

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// routine: kept 5 years after closing.
pub const RETENTION_YEARS: u32 = 5;
/// routine: files of people born on these days of the month are kept.
pub const RESEARCH_BIRTH_DAYS: [u32; 3] = [5, 15, 25];

/// What culling needs to know of one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileLife<Id> {
    pub id: Id,
    /// `None` while the file is open.
    pub closed: Option<NaiveDate>,
}

/// A client and all of their files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientFiles<Id> {
    /// The real birth date (not the samordningsnummer day), if known.
    pub birth_date: Option<NaiveDate>,
    pub files: Vec<FileLife<Id>>,
}

/// Why a file is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeepReason<Id> {
    /// The file is still open.
    Open,
    /// The client was born on the 5th, 15th or 25th: kept for research.
    ResearchBirthDay(u32),
    /// The birth date is not known, so the research rule cannot be ruled out.
    BirthDateUnknown,
    /// The same client has another file that is still open.
    ClientHasOpenFile(Id),
    /// The same client has a file closed later; both go on `until`.
    ClientHasYoungerFile { file: Id, until: NaiveDate },
}

/// What to do with a file today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CullDecision<Id> {
    Keep(KeepReason<Id>),
    /// Not yet: culling is due on this day.
    Due(NaiveDate),
    /// The file is to be destroyed now.
    Cull,
}

/// The day a file closed on `closed` may be culled: 5 calendar years on, Feb 29 → Feb 28.
pub fn cull_date(closed: NaiveDate) -> NaiveDate {
    closed
        .checked_add_months(Months::new(12 * RETENTION_YEARS))
        .unwrap_or(NaiveDate::MAX)
}

/// routine: files of people born on the 5th, 15th or 25th are kept.
pub fn is_research_birth_day(birth_date: NaiveDate) -> bool {
    RESEARCH_BIRTH_DAYS.contains(&birth_date.day())
}

/// Why the file is kept for good (for as long as nothing changes), if it is.
fn kept_for_good<Id: PartialEq + Clone>(
    file: &FileLife<Id>,
    birth_date: Option<NaiveDate>,
    client_files: &[FileLife<Id>],
) -> Option<KeepReason<Id>> {
    if file.closed.is_none() {
        return Some(KeepReason::Open);
    }
    match birth_date {
        None => return Some(KeepReason::BirthDateUnknown),
        Some(born) if is_research_birth_day(born) => {
            return Some(KeepReason::ResearchBirthDay(born.day()));
        }
        Some(_) => {}
    }
    client_files
        .iter()
        .find(|other| other.id != file.id && other.closed.is_none())
        .map(|other| KeepReason::ClientHasOpenFile(other.id.clone()))
}

/// Decides what to do with `file` today. `client_files` are the same client's files; the
/// file itself may be among them.
pub fn decide<Id: PartialEq + Clone>(
    file: &FileLife<Id>,
    birth_date: Option<NaiveDate>,
    client_files: &[FileLife<Id>],
    today: NaiveDate,
) -> CullDecision<Id> {
    if let Some(reason) = kept_for_good(file, birth_date, client_files) {
        return CullDecision::Keep(reason);
    }
    let Some(closed) = file.closed else {
        return CullDecision::Keep(KeepReason::Open);
    };
    let own = cull_date(closed);
    // routine (as the unit reads it): a file is kept while the client has a younger file.
    let youngest = client_files
        .iter()
        .filter(|other| other.id != file.id)
        .filter_map(|other| other.closed.map(|c| (c, other)))
        .filter(|(c, _)| *c > closed)
        .max_by_key(|(c, _)| *c);
    let effective = youngest.map_or(own, |(c, _)| cull_date(c));
    if today >= effective {
        CullDecision::Cull
    } else if today < own {
        CullDecision::Due(effective)
    } else {
        match youngest {
            Some((_, younger)) => CullDecision::Keep(KeepReason::ClientHasYoungerFile {
                file: younger.id.clone(),
                until: effective,
            }),
            None => CullDecision::Due(effective),
        }
    }
}

/// The day a file becomes due for culling, if it ever does as things stand.
pub fn culling_day<Id: PartialEq + Clone>(
    file: &FileLife<Id>,
    birth_date: Option<NaiveDate>,
    client_files: &[FileLife<Id>],
) -> Option<NaiveDate> {
    if kept_for_good(file, birth_date, client_files).is_some() {
        return None;
    }
    let latest = client_files
        .iter()
        .chain(std::iter::once(file))
        .filter_map(|f| f.closed)
        .max()?;
    Some(cull_date(latest))
}

/// A file whose culling falls due soon (or has fallen due).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CullingDue<Id> {
    pub file: Id,
    pub due: NaiveDate,
}

/// Files whose culling is due within `days` days from `today`, those already due
/// included, soonest first.
pub fn due_within<Id: PartialEq + Clone>(
    clients: &[ClientFiles<Id>],
    days: u32,
    today: NaiveDate,
) -> Vec<CullingDue<Id>> {
    let horizon = today
        .checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX);
    let mut due: Vec<CullingDue<Id>> = clients
        .iter()
        .flat_map(|client| {
            client.files.iter().filter_map(|file| {
                culling_day(file, client.birth_date, &client.files)
                    .filter(|day| *day <= horizon)
                    .map(|day| CullingDue {
                        file: file.id.clone(),
                        due: day,
                    })
            })
        })
        .collect();
    due.sort_by_key(|d| d.due);
    due
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::IdentityNumber;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    fn closed(id: u32, on: NaiveDate) -> FileLife<u32> {
        FileLife {
            id,
            closed: Some(on),
        }
    }

    fn open(id: u32) -> FileLife<u32> {
        FileLife { id, closed: None }
    }

    const BORN: Option<NaiveDate> = NaiveDate::from_ymd_opt(1980, 6, 12);

    #[test]
    fn cull_date_is_five_calendar_years_after_closing() {
        assert_eq!(cull_date(d(2024, 3, 1)), d(2029, 3, 1));
        assert_eq!(cull_date(d(2024, 2, 29)), d(2029, 2, 28));
        assert_eq!(cull_date(d(2023, 2, 28)), d(2028, 2, 28));
    }

    #[test]
    fn a_closed_file_is_due_then_culled_after_five_years() {
        let file = closed(1, d(2024, 2, 29));
        let files = [file.clone()];
        assert_eq!(
            decide(&file, BORN, &files, d(2029, 2, 27)),
            CullDecision::Due(d(2029, 2, 28))
        );
        assert_eq!(
            decide(&file, BORN, &files, d(2029, 2, 28)),
            CullDecision::Cull
        );
        assert_eq!(
            decide(&file, BORN, &files, d(2031, 1, 1)),
            CullDecision::Cull
        );
    }

    #[test]
    fn an_open_file_is_kept() {
        let file = open(1);
        assert_eq!(
            decide(&file, BORN, std::slice::from_ref(&file), d(2040, 1, 1)),
            CullDecision::Keep(KeepReason::Open)
        );
    }

    #[test]
    fn files_of_clients_born_on_the_5th_15th_or_25th_are_kept() {
        let file = closed(1, d(2010, 1, 1));
        for day in [5, 15, 25] {
            assert_eq!(
                decide(&file, Some(d(1970, 4, day)), &[], d(2030, 1, 1)),
                CullDecision::Keep(KeepReason::ResearchBirthDay(day))
            );
        }
        for day in [4, 6, 14, 16, 24, 26, 31] {
            assert_eq!(
                decide(&file, Some(d(1970, 1, day)), &[], d(2030, 1, 1)),
                CullDecision::Cull
            );
        }
    }

    #[test]
    fn the_research_rule_uses_the_real_birth_day_of_a_samordningsnummer() {
        let today = d(2030, 1, 1);
        // Born on the 5th: the number shows day 65.
        let id = IdentityNumber::from_parts(d(1970, 10, 5), 239, true).expect("number");
        assert!(id.as_str().starts_with("19701065"));
        let file = closed(1, d(2010, 1, 1));
        assert_eq!(
            decide(&file, Some(id.birth_date()), &[], today),
            CullDecision::Keep(KeepReason::ResearchBirthDay(5))
        );
        // Born on the 3rd (number shows 63) is culled like anyone else.
        let id = IdentityNumber::from_parts(d(1970, 10, 3), 239, true).expect("number");
        assert_eq!(
            decide(&file, Some(id.birth_date()), &[], today),
            CullDecision::Cull
        );
    }

    #[test]
    fn an_unknown_birth_date_keeps_the_file() {
        let file = closed(1, d(2010, 1, 1));
        assert_eq!(
            decide(&file, None, &[], d(2030, 1, 1)),
            CullDecision::Keep(KeepReason::BirthDateUnknown)
        );
    }

    #[test]
    fn another_open_file_of_the_client_keeps_the_file() {
        let file = closed(1, d(2010, 1, 1));
        let files = [file.clone(), open(2)];
        assert_eq!(
            decide(&file, BORN, &files, d(2030, 1, 1)),
            CullDecision::Keep(KeepReason::ClientHasOpenFile(2))
        );
    }

    #[test]
    fn a_younger_file_of_the_client_keeps_the_file_until_it_goes_too() {
        let old = closed(1, d(2018, 5, 1));
        let young = closed(2, d(2021, 9, 1));
        let files = [old.clone(), young.clone()];
        // Before its own 5 years the old file is due when the younger one is.
        assert_eq!(
            decide(&old, BORN, &files, d(2022, 1, 1)),
            CullDecision::Due(d(2026, 9, 1))
        );
        assert_eq!(
            decide(&old, BORN, &files, d(2024, 1, 1)),
            CullDecision::Keep(KeepReason::ClientHasYoungerFile {
                file: 2,
                until: d(2026, 9, 1)
            })
        );
        assert_eq!(
            decide(&old, BORN, &files, d(2026, 9, 1)),
            CullDecision::Cull
        );
        // An older file does not hold the younger one back.
        assert_eq!(
            decide(&young, BORN, &files, d(2024, 1, 1)),
            CullDecision::Due(d(2026, 9, 1))
        );
    }

    #[test]
    fn a_file_closed_the_same_day_does_not_keep_the_other() {
        let a = closed(1, d(2018, 5, 1));
        let b = closed(2, d(2018, 5, 1));
        let files = [a.clone(), b];
        assert_eq!(decide(&a, BORN, &files, d(2023, 5, 1)), CullDecision::Cull);
    }

    #[test]
    fn due_within_lists_files_due_soon_and_overdue_soonest_first() {
        let today = d(2026, 6, 1);
        let clients = vec![
            ClientFiles {
                birth_date: BORN,
                files: vec![closed(1, d(2021, 6, 20))],
            },
            ClientFiles {
                birth_date: BORN,
                files: vec![closed(2, d(2021, 5, 1))],
            },
            ClientFiles {
                birth_date: BORN,
                files: vec![closed(3, d(2021, 9, 1))],
            },
            ClientFiles {
                birth_date: Some(d(1980, 1, 15)),
                files: vec![closed(4, d(2001, 1, 1))],
            },
            ClientFiles {
                birth_date: BORN,
                files: vec![closed(5, d(2021, 6, 2)), open(6)],
            },
            ClientFiles {
                birth_date: BORN,
                files: vec![closed(7, d(2020, 1, 1)), closed(8, d(2023, 1, 1))],
            },
        ];
        let due = due_within(&clients, 30, today);
        assert_eq!(
            due,
            vec![
                CullingDue {
                    file: 2,
                    due: d(2026, 5, 1)
                },
                CullingDue {
                    file: 1,
                    due: d(2026, 6, 20)
                },
            ]
        );
    }

    fn date() -> impl Strategy<Value = NaiveDate> {
        (0u64..15_000).prop_map(|n| d(1995, 1, 1) + Days::new(n))
    }

    fn life() -> impl Strategy<Value = FileLife<u32>> {
        (0u32..6, proptest::option::weighted(0.8, date()))
            .prop_map(|(id, closed)| FileLife { id, closed })
    }

    proptest! {
        #[test]
        fn never_culls_an_open_file(
            others in proptest::collection::vec(life(), 0..5),
            born in proptest::option::of(date()),
            today in date(),
        ) {
            let file = FileLife { id: 99, closed: None };
            prop_assert_ne!(decide(&file, born, &others, today), CullDecision::Cull);
        }

        #[test]
        fn never_culls_before_five_years(
            closed_on in date(),
            others in proptest::collection::vec(life(), 0..5),
            born in proptest::option::of(date()),
            days_later in 0u64..1826,
        ) {
            // Five calendar years are at least 1826 days.
            let file = FileLife { id: 99, closed: Some(closed_on) };
            let today = closed_on + Days::new(days_later);
            prop_assert_ne!(decide(&file, born, &others, today), CullDecision::Cull);
            prop_assert!(today < cull_date(closed_on));
        }

        #[test]
        fn never_culls_a_research_birth_day(
            closed_on in date(),
            others in proptest::collection::vec(life(), 0..5),
            born in date(),
            day in proptest::sample::select(RESEARCH_BIRTH_DAYS.to_vec()),
            today in date(),
        ) {
            let born = born.with_day(day).expect("every month has a 25th");
            let file = FileLife { id: 99, closed: Some(closed_on) };
            prop_assert_eq!(
                decide(&file, Some(born), &others, today),
                CullDecision::Keep(KeepReason::ResearchBirthDay(day))
            );
        }

        #[test]
        fn culls_only_when_no_file_of_the_client_is_open_or_younger_than_five_years(
            file in life(),
            others in proptest::collection::vec(life(), 0..5),
            born in date(),
            today in date(),
        ) {
            let file = FileLife { id: 99, ..file };
            if decide(&file, Some(born), &others, today) == CullDecision::Cull {
                prop_assert!(!is_research_birth_day(born));
                for f in others.iter().chain(std::iter::once(&file)) {
                    let closed_on = f.closed.expect("no open file when culling");
                    prop_assert!(today >= cull_date(closed_on));
                }
            }
        }
    }
}
