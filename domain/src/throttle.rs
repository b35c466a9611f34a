//! The per-account login throttle (issue 14, item 2; OWASP ASVS 5.0 6.3.1: limit
//! failed authentication attempts per account, against credential stuffing and brute
//! force, without letting an attacker lock a user out for long).
//!
//! Counted per username as typed (lower case), whether or not the account exists, so
//! the answer is the same for real and made-up names. The first [`FREE_FAILURES`]
//! failures cost nothing; each one after them makes the name wait, twice as long each
//! time, from [`FIRST_WAIT_SECS`] up to [`MAX_WAIT_SECS`]. The count starts over when
//! nothing has failed for [`QUIET_SECS`] after the last failure or wait; a successful
//! login clears it. While the name waits, no password is even checked (a right one
//! would otherwise show through the refusal).

/// Failures before the first wait.
pub const FREE_FAILURES: u32 = 5;
/// The first wait.
pub const FIRST_WAIT_SECS: i64 = 60;
/// The longest wait.
pub const MAX_WAIT_SECS: i64 = 60 * 60;
/// A quiet spell after which the failures are forgotten.
pub const QUIET_SECS: i64 = 15 * 60;

/// The failures of one username (all times in Unix seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failures {
    pub count: u32,
    pub last_at: i64,
    /// No login is tried before this (0: no wait).
    pub locked_until: i64,
}

impl Failures {
    /// Whether these failures are old enough to forget at `now`.
    pub fn forgotten(&self, now: i64) -> bool {
        now - self.last_at.max(self.locked_until) > QUIET_SECS
    }

    /// Seconds left to wait at `now`, if the name waits.
    pub fn wait(&self, now: i64) -> Option<i64> {
        (self.locked_until > now).then(|| self.locked_until - now)
    }
}

/// The failures after one more at `now`.
pub fn after_failure(before: Option<Failures>, now: i64) -> Failures {
    let count = match before {
        Some(f) if !f.forgotten(now) => f.count.saturating_add(1),
        _ => 1,
    };
    let locked_until = if count > FREE_FAILURES {
        let doublings = (count - FREE_FAILURES - 1).min(16);
        now + (FIRST_WAIT_SECS << doublings).min(MAX_WAIT_SECS)
    } else {
        0
    };
    Failures {
        count,
        last_at: now,
        locked_until,
    }
}

/// Whole minutes to tell the user (at least one).
pub fn minutes(wait_secs: i64) -> u32 {
    u32::try_from((wait_secs + 59) / 60)
        .unwrap_or(u32::MAX)
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fail(times: u32, start: i64, step: i64) -> Failures {
        let mut f = None;
        for i in 0..times {
            f = Some(after_failure(f, start + i64::from(i) * step));
        }
        f.expect("at least one failure")
    }

    #[test]
    fn five_failures_are_free_and_the_sixth_waits_a_minute() {
        let f = fail(5, 1000, 10);
        assert_eq!(f.wait(1050), None);
        let f = after_failure(Some(f), 1060);
        assert_eq!(f.count, 6);
        assert_eq!(f.wait(1060), Some(60));
        assert_eq!(f.wait(1120), None);
    }

    #[test]
    fn each_further_failure_doubles_the_wait_up_to_an_hour() {
        let mut f = fail(6, 0, 1);
        let mut waits = vec![f.locked_until - f.last_at];
        for _ in 0..10 {
            let now = f.locked_until;
            f = after_failure(Some(f), now);
            waits.push(f.locked_until - now);
        }
        assert_eq!(&waits[..7], &[60, 120, 240, 480, 960, 1920, 3600]);
        assert!(waits.iter().all(|w| *w <= MAX_WAIT_SECS));
    }

    #[test]
    fn a_quiet_quarter_of_an_hour_after_the_wait_forgets_the_failures() {
        let f = fail(7, 0, 1);
        // Waiting 2 minutes from t=6; quiet until 15 min after the wait ends.
        assert_eq!(after_failure(Some(f), f.locked_until + QUIET_SECS).count, 8);
        assert_eq!(
            after_failure(Some(f), f.locked_until + QUIET_SECS + 1).count,
            1
        );
    }

    #[test]
    fn minutes_round_up() {
        assert_eq!(minutes(1), 1);
        assert_eq!(minutes(60), 1);
        assert_eq!(minutes(61), 2);
    }
}
