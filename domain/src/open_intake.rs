//! Open intake (öppet intag): an anonymous registration (aktualisering).
//!
//! routine: "I öppet intag kan klienten vara anonym och inga journaler förs utan endast
//! minnesanteckningar. … Aktualiseringen sparas inte utan försvinner ur systemet när
//! aktualisering avslutas. … Syftet med aktualiseringen är enbart minnesanteckningar för
//! behandlare under pågående behandling samt för att kunna ta ut statistik."
//!
//! So a registration holds a pseudonym, never a name or an identity number; what
//! survives its end is one count in a statistics cell (service, month, sex, age band).

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// A pseudonym is short; it is how the therapist tells the registrations apart.
pub const PSEUDONYM_MAX: usize = 60;
/// Memory notes, kept only while the service lasts.
pub const NOTES_MAX: usize = 10_000;

/// The services of open intake (routine: "5 rådgivande samtal, MI-grupp eller …
/// primär gruppbehandling under 12 veckor").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum IntakeService {
    AdvisoryTalks,
    MiGroup,
    PrimaryGroup,
}

impl IntakeService {
    pub const ALL: [IntakeService; 3] = [
        IntakeService::AdvisoryTalks,
        IntakeService::MiGroup,
        IntakeService::PrimaryGroup,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            IntakeService::AdvisoryTalks => "advisory_talks",
            IntakeService::MiGroup => "mi_group",
            IntakeService::PrimaryGroup => "primary_group",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// Sex, for statistics only; may be left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Sex {
    Female,
    Male,
    Other,
}

impl Sex {
    pub const ALL: [Sex; 3] = [Sex::Female, Sex::Male, Sex::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Female => "female",
            Sex::Male => "male",
            Sex::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// Age band, for statistics only; may be left out. Never an age or a birth date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AgeBand {
    Under18,
    From18To25,
    From26To35,
    From36To50,
    From51To65,
    Over65,
}

impl AgeBand {
    pub const ALL: [AgeBand; 6] = [
        AgeBand::Under18,
        AgeBand::From18To25,
        AgeBand::From26To35,
        AgeBand::From36To50,
        AgeBand::From51To65,
        AgeBand::Over65,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AgeBand::Under18 => "0-17",
            AgeBand::From18To25 => "18-25",
            AgeBand::From26To35 => "26-35",
            AgeBand::From36To50 => "36-50",
            AgeBand::From51To65 => "51-65",
            AgeBand::Over65 => "66-",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// The statistics key of a sex or age band that was not given.
pub const NOT_STATED: &str = "unknown";

/// What is wrong with a pseudonym.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum PseudonymError {
    #[error("the pseudonym is empty")]
    Empty,
    #[error("the pseudonym is longer than {max} characters")]
    TooLong { max: usize },
    /// Six digits or more could be a birth date or an identity number.
    #[error("the pseudonym looks like a birth date or identity number")]
    LooksLikeIdentity,
}

/// A trimmed pseudonym that cannot carry an identity number or a birth date.
pub fn check_pseudonym(raw: &str) -> Result<String, PseudonymError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(PseudonymError::Empty);
    }
    if trimmed.chars().count() > PSEUDONYM_MAX {
        return Err(PseudonymError::TooLong { max: PSEUDONYM_MAX });
    }
    if trimmed.chars().filter(char::is_ascii_digit).count() >= 6 {
        return Err(PseudonymError::LooksLikeIdentity);
    }
    Ok(trimmed.to_owned())
}

/// routine: "primär gruppbehandling under 12 veckor".
pub const PRIMARY_GROUP_WEEKS: u64 = 12;
/// routine: "5 rådgivande samtal". The routine does not say how often they are held and
/// a registration keeps no count of talks (only memory notes), so Akta takes the five
/// talks to fit in ten weeks (one a fortnight at the slowest).
pub const ADVISORY_TALKS_WEEKS: u64 = 10;

impl IntakeService {
    /// How long the service lasts, in weeks: `None` when the routine names no length
    /// (the MI group).
    pub fn lasts_weeks(self) -> Option<u64> {
        match self {
            IntakeService::AdvisoryTalks => Some(ADVISORY_TALKS_WEEKS),
            IntakeService::PrimaryGroup => Some(PRIMARY_GROUP_WEEKS),
            IntakeService::MiGroup => None,
        }
    }

    /// The last day the service lasts for a registration started on `started`.
    pub fn ends_by(self, started: NaiveDate) -> Option<NaiveDate> {
        self.lasts_weeks().map(|weeks| {
            started
                .checked_add_days(Days::new(weeks * 7))
                .unwrap_or(NaiveDate::MAX)
        })
    }

    /// Whether a registration started on `started` and still open on `today` has been
    /// open longer than its service lasts: the routine wants it closed at once when the
    /// service ends ("ska aktualisering avslutas omgående"), so its therapist is told.
    pub fn overstayed(self, started: NaiveDate, today: NaiveDate) -> bool {
        self.ends_by(started).is_some_and(|end| today > end)
    }
}

/// The statistics month of a registration: the month it started, `YYYY-MM`.
pub fn stats_month(started: NaiveDate) -> String {
    format!("{:04}-{:02}", started.year(), started.month())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pseudonym_is_trimmed_and_bounded() {
        assert_eq!(check_pseudonym("  Blå 12 "), Ok("Blå 12".to_owned()));
        assert_eq!(check_pseudonym("   "), Err(PseudonymError::Empty));
        assert_eq!(
            check_pseudonym(&"å".repeat(61)),
            Err(PseudonymError::TooLong { max: 60 })
        );
        assert!(check_pseudonym(&"å".repeat(60)).is_ok());
    }

    #[test]
    fn a_pseudonym_cannot_hold_an_identity_number_or_birth_date() {
        for raw in [
            "19121212-1212",
            "Tolvan 121212",
            "Grön 800101",
            "1 2 3 4 5 6",
        ] {
            assert_eq!(
                check_pseudonym(raw),
                Err(PseudonymError::LooksLikeIdentity),
                "{raw}"
            );
        }
        assert!(check_pseudonym("Grön 12345").is_ok());
    }

    #[test]
    fn codes_round_trip() {
        for s in IntakeService::ALL {
            assert_eq!(IntakeService::parse(s.as_str()), Some(s));
        }
        for s in Sex::ALL {
            assert_eq!(Sex::parse(s.as_str()), Some(s));
        }
        for a in AgeBand::ALL {
            assert_eq!(AgeBand::parse(a.as_str()), Some(a));
        }
        assert_eq!(IntakeService::parse("individual_treatment"), None);
        assert_eq!(Sex::parse(NOT_STATED), None);
        assert_eq!(AgeBand::parse(NOT_STATED), None);
    }

    // routine: "5 rådgivande samtal, MI-grupp eller i primär gruppbehandling under 12
    // veckor"; "När en klient avslutar insats på öppet intag ska aktualisering avslutas
    // omgående".
    #[test]
    fn a_registration_open_past_its_service_has_overstayed() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
        let start = d(2026, 1, 5);
        // Primary group: 12 weeks, to 2026-03-30 included.
        let group = IntakeService::PrimaryGroup;
        assert_eq!(group.ends_by(start), Some(d(2026, 3, 30)));
        assert!(!group.overstayed(start, d(2026, 3, 30)));
        assert!(group.overstayed(start, d(2026, 3, 31)));
        // Five advisory talks: ten weeks.
        let talks = IntakeService::AdvisoryTalks;
        assert_eq!(talks.ends_by(start), Some(d(2026, 3, 16)));
        assert!(talks.overstayed(start, d(2026, 3, 17)));
        assert!(!talks.overstayed(start, d(2026, 3, 16)));
        // The MI group has no length in the routine: never pointed out.
        assert_eq!(IntakeService::MiGroup.ends_by(start), None);
        assert!(!IntakeService::MiGroup.overstayed(start, d(2030, 1, 1)));
        // Across a leap day: 12 weeks from 2028-01-10 is 2028-04-03.
        assert_eq!(group.ends_by(d(2028, 1, 10)), Some(d(2028, 4, 3)));
    }

    #[test]
    fn the_statistics_month_is_the_start_month() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
        assert_eq!(stats_month(d(2026, 1, 31)), "2026-01");
        assert_eq!(stats_month(d(2024, 2, 29)), "2024-02");
        assert_eq!(stats_month(d(2026, 12, 1)), "2026-12");
    }
}
