//! The intake checklist (lathund): the points a contact person covers at the
//! information and intake meeting, ticked per file.
//!
//! routine: "Vid informationsbesök/inskrivning på Måsen använder behandlare en
//! lathund/checklista." The unit's own document is not in Akta; these points are
//! what the routine and the Social Services Act ask a client to be told.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IntakeItem {
    /// What the unit is and what the granted service contains.
    ServicePresented,
    /// Confidentiality and its limits (the duty to report, SoL 14 kap.).
    Confidentiality,
    /// That a journal is kept, what goes in it, and the client's right to read it.
    Documentation,
    /// That a plan is made together within 14 days and signed by the client.
    PlanWithin14Days,
    /// Follow-ups with the social secretary: the first after about four weeks.
    FollowUps,
    /// Consent to exchange information with other care providers, if any.
    Consent,
    /// Times, cancellations, how to reach the contact person.
    Practicalities,
    /// How to complain or give feedback.
    Complaints,
    /// How the service ends, and the final report.
    Ending,
}

impl IntakeItem {
    pub const ALL: [IntakeItem; 9] = [
        IntakeItem::ServicePresented,
        IntakeItem::Confidentiality,
        IntakeItem::Documentation,
        IntakeItem::PlanWithin14Days,
        IntakeItem::FollowUps,
        IntakeItem::Consent,
        IntakeItem::Practicalities,
        IntakeItem::Complaints,
        IntakeItem::Ending,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            IntakeItem::ServicePresented => "service_presented",
            IntakeItem::Confidentiality => "confidentiality",
            IntakeItem::Documentation => "documentation",
            IntakeItem::PlanWithin14Days => "plan_within_14_days",
            IntakeItem::FollowUps => "follow_ups",
            IntakeItem::Consent => "consent",
            IntakeItem::Practicalities => "practicalities",
            IntakeItem::Complaints => "complaints",
            IntakeItem::Ending => "ending",
        }
    }

    pub fn parse(s: &str) -> Option<IntakeItem> {
        IntakeItem::ALL.into_iter().find(|i| i.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_round_trip_and_fit_the_column() {
        for i in IntakeItem::ALL {
            assert_eq!(IntakeItem::parse(i.as_str()), Some(i));
            assert!(i.as_str().len() <= 40);
        }
        assert_eq!(IntakeItem::parse("weather"), None);
    }
}
