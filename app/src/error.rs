//! Typed errors that cross from server to browser.
//!
//! They carry what went wrong, never how: no SQL text, no stack traces, no ids.
//! The browser turns them into sentences in the user's language (see
//! `components::ErrorText`); internal causes are logged on the server with `tracing`.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not logged in")]
    NotLoggedIn,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("rate limited")]
    RateLimited,
    /// Too many failed logins for this username (whether it exists or not): it waits.
    #[error("too many failed logins for this username")]
    LoginThrottled { minutes: u32 },
    /// The password was set by an administrator (or must be changed for another
    /// reason): nothing but changing it is allowed until it is changed.
    #[error("the password must be changed first")]
    PasswordChangeRequired,
    /// The role needs a second factor and the account has none: nothing but enrolling
    /// one (and one's password, and logging out) until it has.
    #[error("a second factor must be enrolled first")]
    SecondFactorRequired,
    /// The code step of a login came without a password step before it, or too long
    /// after it: the user starts again with the password.
    #[error("the login must start again")]
    LoginRestart,
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("internal error")]
    Internal,
    #[error("network error")]
    Network,
    #[error("the file is closed")]
    FileClosed,
    #[error("the plan version is signed")]
    PlanSigned,
    #[error("an unsigned plan version exists")]
    PlanDraftExists,
    #[error("the plan version is not signed")]
    PlanNotSigned,
    #[error("the service needs no plan")]
    NoPlanForService,
    #[error("the goal is in use")]
    GoalInUse,
    /// No audit pairing obeys the rules; says which files or reviewers are in the way.
    #[error("no pairing possible")]
    Pairing(PairingProblem),
    /// The audit round is no longer a draft (re-draw, swap after publishing).
    #[error("the audit round is not a draft")]
    RoundNotDraft,
    /// The review has been submitted and is locked.
    #[error("the review is submitted")]
    ReviewSubmitted,
    /// The audit round is closed (or not yet published): its files can no longer be read.
    #[error("the audit round is not open")]
    RoundClosed,
    /// A closed audit round can no longer be reopened: it was closed more than
    /// `akta_domain::audit_round::REOPEN_DAYS` days ago.
    #[error("the audit round was closed too long ago to reopen")]
    RoundReopenExpired,
    /// The reviewer's time with the file ended on `until` (the round's due date, or the
    /// later day a manager allowed for the review).
    #[error("the time for the review is over")]
    ReviewTimeOver { until: chrono::NaiveDate },
    /// The deviation was closed already (by someone else, a moment ago).
    #[error("the deviation is closed")]
    DeviationClosed,
    /// The database cannot be reached or cannot write just now; nothing was stored.
    #[error("the database is unavailable")]
    Unavailable,
    /// The request is larger than any form of Akta sends.
    #[error("the request is too large")]
    TooLarge,
    /// The request did not arrive (or could not be answered) in time.
    #[error("the request timed out")]
    TimedOut,
    /// The request does not decode: a tampered form, or a page from an older version.
    #[error("the request could not be read")]
    BadRequest,
}

/// Why an audit round could not be paired, with the files (client names, masked for
/// protected identity) and reviewers (display names) in the way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PairingProblem {
    FilesWithoutReviewer {
        files: Vec<String>,
    },
    ReviewersShort {
        reviewers: Vec<String>,
        needed: usize,
    },
    Unbalanced {
        files: Vec<String>,
        reviewers: Vec<String>,
        max_load: usize,
    },
}

/// One problem with one form field, shown next to the field and in the summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub problem: Problem,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    Empty,
    TooLong {
        max: usize,
    },
    UsernameChars,
    UsernameTaken,
    PasswordShort {
        min: usize,
    },
    PasswordLong {
        max: usize,
    },
    /// One of the common passwords (`akta_domain::text::is_common_password`).
    PasswordCommon,
    /// The current password given when changing one's own is not right.
    PasswordWrong,
    /// The new password and its repetition differ.
    PasswordsDiffer,
    /// The new password is the old one.
    PasswordUnchanged,
    /// A second-factor code (from the app, or a recovery code) is not right, or was
    /// used already.
    CodeWrong,
    /// The enrolment's code came without a secret shown first (or after the session
    /// changed): show the QR code again.
    EnrolmentRestart,
    InvalidRole,
    OwnAccount,
    InvalidDate,
    DateInFuture,
    DateBeforeStart,
    DateAfterClose,
    InvalidCategory,
    GoalNotInPeriod,
    DateTooFarAhead,
    PeriodOverlaps,
    DateBeforePlan,
    TooManyGoals {
        max: usize,
    },
    ClientViewMissing,
    PlanWithoutGoals,
    InvalidSignatureMethod,
    PeriodEndsBeforeStart,
    FollowUpNotAfterStart,
    IdentityFormat,
    IdentityDate,
    IdentityCheckDigit,
    /// Nine digits after the date: the last (check) digit is missing.
    IdentityMissingCheckDigit,
    IdentityFuture,
    /// The number belongs to a client of the unit whom the user may not see.
    IdentityNotVisible,
    InvalidService,
    /// Not an active staff member (contact person, co-worker).
    InvalidStaff,
    InvalidEmail,
    /// A date that has already passed (an audit round's due date, a follow-up booking).
    DateInPast,
    /// An audit round without reviewers.
    NoReviewers,
    /// No file has a plan period in the chosen year.
    NoFilesInScope,
    /// A round for the year is already open (draft or published).
    RoundExists,
    InvalidYear,
    /// A whole number from 1 to `max` was expected.
    InvalidCount {
        max: usize,
    },
    /// A checklist item or judgement left unanswered at submission.
    Unanswered,
    InvalidAnswer,
    /// A reviewer who works in the file or is not a reviewer of the round.
    InvalidReviewer,
    /// None of the offered choices was picked.
    ChooseOne,
    /// Signed journal entries are dated after the chosen end of the file.
    EntriesAfterEnd,
    /// A follow-up is already booked and not yet documented.
    AlreadyBooked,
    /// A pseudonym with six digits or more could be a birth date or identity number.
    PseudonymIdentifying,
    /// A value that is not one of the choices offered.
    InvalidChoice,
    /// A month after the current one (monthly review, monthly report).
    MonthInFuture,
    /// A month in which the file was not open.
    MonthOutsideFile,
    /// The month already has its signed review or report.
    MonthDone,
    /// A placeholder of the template phrasing is still in the text.
    PlaceholderLeft,
    /// The follow-up of an action is dated before the action.
    FollowUpBeforeAction,
    /// A review's extra time must end after the round's due date.
    NotAfterDue,
    /// A review's extra time is at most this many days past the round's due date.
    ExtendTooLong {
        max_days: u32,
    },
    /// A whole number from 0 to `max` was expected.
    InvalidNumber {
        max: usize,
    },
    /// More second reviews asked for than files that can have a second reviewer.
    SecondReviewsTooMany {
        possible: usize,
    },
    /// The second reviews cannot be spread so that loads stay within one.
    SecondReviewsUneven,
    /// More reviews than the chosen reviewers may take with the most files per reviewer.
    TooFewReviewers {
        reviews: usize,
        per_reviewer: usize,
        needed: usize,
        chosen: usize,
    },
    /// The last question of a checklist cannot be removed.
    ChecklistEmpty,
    /// Closing a round with `left` reviews not submitted was not confirmed.
    CloseUnconfirmed {
        left: u32,
    },
    /// An action on an audit finding without the day it is to be done by.
    ActionDateMissing,
    /// A day or "done" for an audit finding without the action.
    ActionMissing,
}

impl AppError {
    pub fn field(field: &str, problem: Problem) -> Self {
        AppError::Invalid(vec![FieldError {
            field: field.to_owned(),
            problem,
        }])
    }

    /// The problem with a given field, if any.
    pub fn problem_for(&self, field: &str) -> Option<Problem> {
        match self {
            AppError::Invalid(errors) => {
                errors.iter().find(|e| e.field == field).map(|e| e.problem)
            }
            _ => None,
        }
    }
}

impl AppError {
    /// The HTTP status the error is answered with (its JSON body stays the same):
    /// 400 bad input, 401 not logged in, 403 refused, 404 not found (or not visible),
    /// 408 the request did not arrive in time, 409 a conflict with the state of the
    /// thing (signed, closed, already done), 413, 429, 503 database unavailable, 500
    /// only for real faults.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid(_) | AppError::BadRequest => 400,
            AppError::NotLoggedIn | AppError::InvalidCredentials | AppError::LoginRestart => 401,
            AppError::Forbidden
            | AppError::PasswordChangeRequired
            | AppError::SecondFactorRequired
            | AppError::ReviewTimeOver { .. } => 403,
            AppError::NotFound => 404,
            AppError::FileClosed
            | AppError::PlanSigned
            | AppError::PlanDraftExists
            | AppError::PlanNotSigned
            | AppError::NoPlanForService
            | AppError::GoalInUse
            | AppError::Pairing(_)
            | AppError::RoundNotDraft
            | AppError::ReviewSubmitted
            | AppError::RoundClosed
            | AppError::RoundReopenExpired
            | AppError::DeviationClosed => 409,
            AppError::TimedOut => 408,
            AppError::TooLarge => 413,
            AppError::RateLimited | AppError::LoginThrottled { .. } => 429,
            AppError::Unavailable => 503,
            // `Network` is the browser's own (no answer came); should a server ever
            // produce it, it is a fault.
            AppError::Internal | AppError::Network => 500,
        }
    }

    /// A refusal of access: the caller may not reach or change the target (not
    /// visible, not theirs, wrong role, a closed file or audit round). Every refusal
    /// is written to the access log.
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            AppError::Forbidden
                | AppError::NotFound
                | AppError::FileClosed
                | AppError::RoundClosed
                | AppError::ReviewTimeOver { .. }
        )
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => AppError::Network,
            // Arguments that do not decode, or a method the function does not take: a
            // tampered form, or a page older than the server (reloading helps). In the
            // browser, an answer that does not decode has the same cause.
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_) => AppError::BadRequest,
            _ => AppError::Internal,
        }
    }
}

/// Collects field problems so a form reports all of them at once.
#[derive(Debug, Default)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    pub fn add(&mut self, field: &str, problem: Problem) {
        self.0.push(FieldError {
            field: field.to_owned(),
            problem,
        });
    }

    /// Keeps the value if it parsed, records the problem otherwise.
    pub fn check<T, E>(
        &mut self,
        field: &str,
        result: Result<T, E>,
        map: impl FnOnce(E) -> Problem,
    ) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.add(field, map(e));
                None
            }
        }
    }

    pub fn into_result(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(self.0))
        }
    }
}

impl From<akta_domain::TextError> for Problem {
    fn from(e: akta_domain::TextError) -> Self {
        match e {
            akta_domain::TextError::Empty => Problem::Empty,
            akta_domain::TextError::TooLong { max } => Problem::TooLong { max },
        }
    }
}

impl From<akta_domain::UsernameError> for Problem {
    fn from(e: akta_domain::UsernameError) -> Self {
        match e {
            akta_domain::UsernameError::Text(t) => t.into(),
            akta_domain::UsernameError::Characters => Problem::UsernameChars,
        }
    }
}

impl From<akta_domain::text::PasswordError> for Problem {
    fn from(e: akta_domain::text::PasswordError) -> Self {
        match e {
            akta_domain::text::PasswordError::TooShort { min } => Problem::PasswordShort { min },
            akta_domain::text::PasswordError::TooLong { max } => Problem::PasswordLong { max },
            akta_domain::text::PasswordError::Common => Problem::PasswordCommon,
        }
    }
}

impl From<akta_domain::IdentityNumberError> for Problem {
    fn from(e: akta_domain::IdentityNumberError) -> Self {
        match e {
            akta_domain::IdentityNumberError::Format => Problem::IdentityFormat,
            akta_domain::IdentityNumberError::Date => Problem::IdentityDate,
            akta_domain::IdentityNumberError::CheckDigit => Problem::IdentityCheckDigit,
            akta_domain::IdentityNumberError::MissingCheckDigit => {
                Problem::IdentityMissingCheckDigit
            }
            akta_domain::IdentityNumberError::Future => Problem::IdentityFuture,
        }
    }
}

impl From<akta_domain::assignment::DateProblem> for Problem {
    fn from(e: akta_domain::assignment::DateProblem) -> Self {
        use akta_domain::assignment::DateProblem;
        match e {
            DateProblem::Format => Problem::InvalidDate,
            DateProblem::Future => Problem::DateInFuture,
            DateProblem::EndBeforeStart => Problem::PeriodEndsBeforeStart,
            DateProblem::FollowUpNotAfterStart => Problem::FollowUpNotAfterStart,
        }
    }
}
