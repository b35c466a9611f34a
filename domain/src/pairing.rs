//! The yearly peer audit (aktgranskning): who reviews which file.
//!
//! routine: "Aktgranskning görs av medarbetare på Måsen som granskar varandras akter en
//! gång per år."
//!
//! [`AuditRound::draw_pairs`] gives each file in scope one reviewer such that
//! 1. no reviewer gets a file they work in: as contact person, co-worker or author of any
//!    entry (hard rule);
//! 2. the loads of the reviewers differ by at most one (hard rule): with `T` files to
//!    review over `n` reviewers, each gets `⌊T/n⌋` or `⌈T/n⌉`;
//! 3. as few reviewers as possible get the same file as last year: a repeat is made only
//!    when no pairing obeying 1 and 2 avoids it;
//! 4. the same input and seed give the same pairing; another seed gives another draw.
//!
//! It is solved exactly as a min-cost flow: source → file (capacity 1) → eligible reviewer
//! (cost 1 for last year's pair, else 0) → sink, each reviewer with an edge of capacity
//! `⌊T/n⌋` at cost 0 and, when `T/n` is not whole, one more of capacity 1 at a cost `M` larger
//! than any number of repeats. A maximum flow of least cost then fills every reviewer to
//! `⌊T/n⌋` where that is possible at all, and repeats last year's pairs as little as
//! possible. The flow is found by a seeded greedy warm start and successive shortest paths
//! on a graph of the reviewers alone (see [`solver`]), which pairs 10 000 files over 200
//! reviewers in a few milliseconds (`benches/pairing.rs`). The seed orders the files and
//! the greedy's choices, which decides between pairings that are equally good.

use std::collections::{BTreeMap, BTreeSet};

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

mod solver;
use solver::{Candidate, solve};

/// A file as the pairing sees it: its id and everyone who works in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFile<F, R> {
    pub id: F,
    pub contact_person: R,
    pub co_workers: Vec<R>,
    /// Authors of any entry in the file.
    pub authors: Vec<R>,
}

impl<F, R: PartialEq> AuditFile<F, R> {
    /// Whether `reviewer` works in this file and so may not review it.
    pub fn is_own(&self, reviewer: &R) -> bool {
        self.contact_person == *reviewer
            || self.co_workers.contains(reviewer)
            || self.authors.contains(reviewer)
    }
}

/// Which files of the round are reviewed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    /// Every file gets a reviewer.
    AllFiles,
    /// Each reviewer gets this many files (fewer, spread evenly, when there are not enough
    /// files). Files that no reviewer may review are left out.
    FilesPerReviewer(usize),
}

/// One audit round: the files, the reviewers, the scope and last year's pairs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRound<F: Ord, R> {
    pub files: Vec<AuditFile<F, R>>,
    pub reviewers: Vec<R>,
    pub scope: Scope,
    /// Last year's reviewer of each file.
    pub last_year: BTreeMap<F, R>,
}

/// One file and its reviewer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pair<F, R> {
    pub file: F,
    pub reviewer: R,
    /// The same reviewer as last year: only when no other pairing was possible.
    pub same_as_last_year: bool,
}

/// The outcome of a draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pairing<F, R> {
    /// In the order of the round's files.
    pub pairs: Vec<Pair<F, R>>,
    /// Number of files of each reviewer, in the order of the round's reviewers.
    pub loads: Vec<(R, usize)>,
    /// Files left out because nobody may review them (only with
    /// [`Scope::FilesPerReviewer`]; with [`Scope::AllFiles`] that is an error).
    pub without_reviewer: Vec<F>,
}

impl<F: PartialEq, R> Pairing<F, R> {
    pub fn reviewer_of(&self, file: &F) -> Option<&R> {
        self.pairs
            .iter()
            .find(|p| p.file == *file)
            .map(|p| &p.reviewer)
    }

    /// Number of pairs repeated from last year.
    pub fn repeats(&self) -> usize {
        self.pairs.iter().filter(|p| p.same_as_last_year).count()
    }
}

/// Why no pairing could be drawn. The fields say which files or reviewers are in the way.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum PairingError<F, R> {
    #[error("there are files to review but no reviewers")]
    NoReviewers,
    #[error("a file is listed twice in the round")]
    DuplicateFile(F),
    #[error(
        "{} file(s) have no possible reviewer: every reviewer is their contact person, a co-worker or an author of an entry in them",
        files.len()
    )]
    FilesWithoutReviewer { files: Vec<F> },
    #[error(
        "{} reviewer(s) cannot be given {needed} files, which an even spread needs, without reviewing files they work in; choose fewer files per reviewer or leave them out of the round",
        reviewers.len()
    )]
    ReviewersShort {
        /// The reviewers short of `needed`, with the number they could be given.
        reviewers: Vec<(R, usize)>,
        needed: usize,
    },
    #[error(
        "{} file(s) may only go to the same {} reviewer(s), who would then get more than {max_load} files each: the loads cannot be kept within one of each other",
        files.len(),
        reviewers.len()
    )]
    Unbalanced {
        /// Files that could not be placed.
        files: Vec<F>,
        /// The only reviewers those files may go to; all of them are full.
        reviewers: Vec<R>,
        max_load: usize,
    },
}

impl<F: Ord + Clone, R: Ord + Clone> AuditRound<F, R> {
    /// Draws the pairs of the round; see the module documentation for the rules.
    pub fn draw_pairs(&self, seed: u64) -> Result<Pairing<F, R>, PairingError<F, R>> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);

        let mut seen = BTreeSet::new();
        for file in &self.files {
            if !seen.insert(&file.id) {
                return Err(PairingError::DuplicateFile(file.id.clone()));
            }
        }

        // Reviewers, each once, in the order given.
        let mut reviewers: Vec<&R> = Vec::new();
        let mut index_of: BTreeMap<&R, usize> = BTreeMap::new();
        for r in &self.reviewers {
            if !index_of.contains_key(r) {
                index_of.insert(r, reviewers.len());
                reviewers.push(r);
            }
        }
        let n_rev = reviewers.len();

        // Who may review which file: routine: never a file one works in.
        let mut candidates: Vec<Candidate> = Vec::new();
        let mut without_reviewer: Vec<F> = Vec::new();
        for (file_index, file) in self.files.iter().enumerate() {
            let workers = std::iter::once(&file.contact_person)
                .chain(&file.co_workers)
                .chain(&file.authors);
            let banned = reviewer_indices(&index_of, workers);
            if banned.len() == n_rev {
                without_reviewer.push(file.id.clone());
                continue;
            }
            candidates.push(Candidate {
                file_index,
                last_year: self.last_year_index(&file.id, &index_of, &banned),
                banned,
            });
        }

        if self.files.is_empty() {
            return Ok(Pairing {
                pairs: Vec::new(),
                loads: reviewers.iter().map(|r| ((*r).clone(), 0)).collect(),
                without_reviewer,
            });
        }
        if n_rev == 0 {
            return Err(PairingError::NoReviewers);
        }
        if self.scope == Scope::AllFiles && !without_reviewer.is_empty() {
            return Err(PairingError::FilesWithoutReviewer {
                files: without_reviewer,
            });
        }

        // routine (as the unit reads it): loads as even as possible.
        let total = match self.scope {
            Scope::AllFiles => candidates.len(),
            Scope::FilesPerReviewer(k) => candidates.len().min(k.saturating_mul(n_rev)),
        };
        let floor = total / n_rev;
        let has_extra = total % n_rev != 0;

        let caps = vec![(floor, usize::from(has_extra)); n_rev];
        let solution = solve(&candidates, &caps, total, &mut rng);

        let mut loads = vec![0usize; n_rev];
        for r in solution.iter().flatten() {
            loads[*r] += 1;
        }
        let short: Vec<(R, usize)> = (0..n_rev)
            .filter(|&r| loads[r] < floor)
            .map(|r| (reviewers[r].clone(), loads[r]))
            .collect();
        if !short.is_empty() {
            return Err(PairingError::ReviewersShort {
                reviewers: short,
                needed: floor,
            });
        }
        let placed = solution.iter().flatten().count();
        if placed < total {
            let unplaced: Vec<usize> = (0..candidates.len())
                .filter(|&c| solution[c].is_none())
                .collect();
            let mut full = BTreeSet::new();
            for &c in &unplaced {
                full.extend((0..n_rev).filter(|&r| candidates[c].may_review(r)));
            }
            // The files may go only to full reviewers, and those only pass files on to others
            // that are full as well: collect that closed set.
            let mut stack: Vec<usize> = full.iter().copied().collect();
            while let Some(r) = stack.pop() {
                for (c, assigned) in solution.iter().enumerate() {
                    if *assigned == Some(r) {
                        for other in (0..n_rev).filter(|&o| candidates[c].may_review(o)) {
                            if full.insert(other) {
                                stack.push(other);
                            }
                        }
                    }
                }
            }
            let max_load = floor + usize::from(has_extra);
            return Err(PairingError::Unbalanced {
                files: unplaced
                    .iter()
                    .map(|&c| self.files[candidates[c].file_index].id.clone())
                    .collect(),
                reviewers: full.into_iter().map(|r| reviewers[r].clone()).collect(),
                max_load,
            });
        }

        let mut pairs: Vec<(usize, Pair<F, R>)> = candidates
            .iter()
            .zip(&solution)
            .filter_map(|(cand, assigned)| {
                assigned.map(|r| {
                    (
                        cand.file_index,
                        Pair {
                            file: self.files[cand.file_index].id.clone(),
                            reviewer: reviewers[r].clone(),
                            same_as_last_year: cand.last_year == Some(r),
                        },
                    )
                })
            })
            .collect();
        pairs.sort_by_key(|(i, _)| *i);
        Ok(Pairing {
            pairs: pairs.into_iter().map(|(_, p)| p).collect(),
            loads: reviewers
                .iter()
                .zip(&loads)
                .map(|(r, l)| ((*r).clone(), *l))
                .collect(),
            without_reviewer,
        })
    }
}

/// Why the second reviews could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum SecondReviewError<R> {
    #[error("only {possible} file(s) can be given a second reviewer with these reviewers")]
    TooMany {
        /// Second reviews that could be placed.
        possible: usize,
    },
    #[error(
        "{} reviewer(s) cannot be given enough second reviews to keep the loads within one of each other",
        reviewers.len()
    )]
    Unbalanced {
        /// Reviewers left below an even spread of first and second reviews together.
        reviewers: Vec<R>,
    },
}

impl<F: Ord + Clone, R: Ord + Clone> AuditRound<F, R> {
    /// Chooses `count` of the files paired in `first` for a second, independent review and
    /// gives each a second reviewer (double review):
    /// 1. not a reviewer who works in the file, and not its first reviewer (hard rule);
    /// 2. first and second reviews together, the loads differ by at most one (hard rule);
    /// 3. last year's reviewer of the file only when no choice obeying 1 and 2 avoids it;
    /// 4. the same input and seed give the same files and reviewers.
    ///
    /// The same min-cost flow as [`AuditRound::draw_pairs`], with the first loads taken
    /// off each reviewer's capacity. Which files are chosen is decided by the seeded order
    /// among the files that can have a second reviewer. Returns the pairs in the order of
    /// the round's files.
    pub fn draw_second_reviews(
        &self,
        first: &Pairing<F, R>,
        count: usize,
        seed: u64,
    ) -> Result<Vec<Pair<F, R>>, SecondReviewError<R>> {
        if count == 0 {
            return Ok(Vec::new());
        }
        // Another stream than the first draw's, so the two are independent.
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5EC0_4D5E_C04D_5EC0);
        let mut reviewers: Vec<&R> = Vec::new();
        let mut index_of: BTreeMap<&R, usize> = BTreeMap::new();
        for r in &self.reviewers {
            if !index_of.contains_key(r) {
                index_of.insert(r, reviewers.len());
                reviewers.push(r);
            }
        }
        let n_rev = reviewers.len();
        let mut first_loads = vec![0usize; n_rev];
        let first_of: BTreeMap<&F, usize> = first
            .pairs
            .iter()
            .filter_map(|p| {
                let r = index_of.get(&p.reviewer).copied()?;
                first_loads[r] += 1;
                Some((&p.file, r))
            })
            .collect();

        let mut candidates: Vec<Candidate> = Vec::new();
        for (file_index, file) in self.files.iter().enumerate() {
            let Some(&first_reviewer) = first_of.get(&file.id) else {
                continue;
            };
            let workers = std::iter::once(&file.contact_person)
                .chain(&file.co_workers)
                .chain(&file.authors);
            let mut banned = reviewer_indices(&index_of, workers);
            if let Err(at) = banned.binary_search(&first_reviewer) {
                banned.insert(at, first_reviewer);
            }
            if banned.len() == n_rev {
                continue;
            }
            candidates.push(Candidate {
                file_index,
                last_year: self.last_year_index(&file.id, &index_of, &banned),
                banned,
            });
        }
        if candidates.len() < count || n_rev == 0 {
            return Err(SecondReviewError::TooMany {
                possible: candidates.len().min(count),
            });
        }

        // routine (as the unit reads it): loads as even as possible, second reviews included.
        let total: usize = first_loads.iter().sum::<usize>() + count;
        let floor = total / n_rev;
        let ceil = floor + usize::from(!total.is_multiple_of(n_rev));
        let caps: Vec<(usize, usize)> = first_loads
            .iter()
            .map(|&l| (floor.saturating_sub(l), ceil.saturating_sub(l.max(floor))))
            .collect();
        let solution = solve(&candidates, &caps, count, &mut rng);

        let placed = solution.iter().flatten().count();
        if placed < count {
            return Err(SecondReviewError::TooMany { possible: placed });
        }
        let mut loads = first_loads;
        for r in solution.iter().flatten() {
            loads[*r] += 1;
        }
        let short: Vec<R> = (0..n_rev)
            .filter(|&r| loads[r] < floor)
            .map(|r| reviewers[r].clone())
            .collect();
        if !short.is_empty() {
            return Err(SecondReviewError::Unbalanced { reviewers: short });
        }
        let mut pairs: Vec<(usize, Pair<F, R>)> = candidates
            .iter()
            .zip(&solution)
            .filter_map(|(cand, assigned)| {
                assigned.map(|r| {
                    (
                        cand.file_index,
                        Pair {
                            file: self.files[cand.file_index].id.clone(),
                            reviewer: reviewers[r].clone(),
                            same_as_last_year: cand.last_year == Some(r),
                        },
                    )
                })
            })
            .collect();
        pairs.sort_by_key(|(i, _)| *i);
        Ok(pairs.into_iter().map(|(_, p)| p).collect())
    }
}

impl<F: Ord, R: Ord> AuditRound<F, R> {
    /// Last year's reviewer of the file, by index, if among this year's reviewers and
    /// still allowed to review it (not `banned`).
    fn last_year_index(
        &self,
        file: &F,
        index_of: &BTreeMap<&R, usize>,
        banned: &[usize],
    ) -> Option<usize> {
        self.last_year
            .get(file)
            .and_then(|r| index_of.get(r).copied())
            .filter(|r| banned.binary_search(r).is_err())
    }
}

/// The indices of those of `people` who are reviewers: sorted, each once.
fn reviewer_indices<'a, R: Ord + 'a>(
    index_of: &BTreeMap<&R, usize>,
    people: impl Iterator<Item = &'a R>,
) -> Vec<usize> {
    let mut indices: Vec<usize> = people.filter_map(|p| index_of.get(p).copied()).collect();
    indices.sort_unstable();
    indices.dedup();
    indices
}

/// Picks at random (seeded) up to `per_contact` files of each contact person, for a round
/// that reviews a sample rather than every file. The files keep their order.
pub fn sample_per_contact_person<F: Clone, R: Ord + Clone>(
    files: &[AuditFile<F, R>],
    per_contact: usize,
    seed: u64,
) -> Vec<AuditFile<F, R>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut by_contact: BTreeMap<&R, Vec<usize>> = BTreeMap::new();
    for (i, file) in files.iter().enumerate() {
        by_contact.entry(&file.contact_person).or_default().push(i);
    }
    let mut chosen: Vec<usize> = Vec::new();
    for indices in by_contact.values_mut() {
        indices.shuffle(&mut rng);
        chosen.extend(indices.iter().take(per_contact));
    }
    chosen.sort_unstable();
    chosen.into_iter().map(|i| files[i].clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    type Round = AuditRound<u32, u32>;

    fn file(id: u32, contact: u32, co: &[u32], authors: &[u32]) -> AuditFile<u32, u32> {
        AuditFile {
            id,
            contact_person: contact,
            co_workers: co.to_vec(),
            authors: authors.to_vec(),
        }
    }

    fn round(files: Vec<AuditFile<u32, u32>>, reviewers: &[u32], scope: Scope) -> Round {
        AuditRound {
            files,
            reviewers: reviewers.to_vec(),
            scope,
            last_year: BTreeMap::new(),
        }
    }

    fn assert_valid(round: &Round, pairing: &Pairing<u32, u32>) {
        for pair in &pairing.pairs {
            let f = round
                .files
                .iter()
                .find(|f| f.id == pair.file)
                .expect("file of the round");
            assert!(
                !f.is_own(&pair.reviewer),
                "reviewer {} got own file {}",
                pair.reviewer,
                pair.file
            );
        }
        let max = pairing.loads.iter().map(|l| l.1).max().unwrap_or(0);
        let min = pairing.loads.iter().map(|l| l.1).min().unwrap_or(0);
        assert!(max - min <= 1, "{:?}", pairing.loads);
    }

    /// A unit of 10 staff, each contact person for `per_staff` files, with a co-worker and
    /// one more author in each.
    fn unit(per_staff: u32) -> Round {
        let staff: Vec<u32> = (0..10).collect();
        let files = (0..10 * per_staff)
            .map(|i| {
                let contact = i % 10;
                file(
                    i,
                    contact,
                    &[(contact + 1) % 10],
                    &[contact, (contact + 3) % 10],
                )
            })
            .collect();
        round(files, &staff, Scope::AllFiles)
    }

    #[test]
    fn every_file_gets_a_reviewer_who_does_not_work_in_it() {
        let r = unit(7);
        let pairing = r.draw_pairs(1).expect("feasible");
        assert_eq!(pairing.pairs.len(), 70);
        assert_valid(&r, &pairing);
        assert!(pairing.loads.iter().all(|l| l.1 == 7));
    }

    #[test]
    fn loads_differ_by_at_most_one() {
        let mut r = unit(3);
        r.reviewers.truncate(7);
        let pairing = r.draw_pairs(5).expect("feasible");
        let loads: Vec<usize> = pairing.loads.iter().map(|l| l.1).collect();
        // 30 files over 7 reviewers: 4 or 5 each, two with 5.
        assert_eq!(loads.iter().sum::<usize>(), 30);
        assert!(loads.iter().all(|&l| l == 4 || l == 5), "{loads:?}");
        assert_valid(&r, &pairing);
    }

    #[test]
    fn the_same_seed_gives_the_same_pairing_and_another_seed_another() {
        let r = unit(20);
        let a = r.draw_pairs(42).expect("feasible");
        assert_eq!(a, r.draw_pairs(42).expect("feasible"));
        let b = r.draw_pairs(43).expect("feasible");
        assert_ne!(a.pairs, b.pairs);
    }

    #[test]
    fn last_years_reviewer_is_avoided() {
        let mut r = unit(2);
        let first = r.draw_pairs(7).expect("feasible");
        r.last_year = first.pairs.iter().map(|p| (p.file, p.reviewer)).collect();
        for seed in 0..20 {
            let next = r.draw_pairs(seed).expect("feasible");
            assert_eq!(next.repeats(), 0, "seed {seed}");
            for p in &next.pairs {
                assert_ne!(r.last_year.get(&p.file), Some(&p.reviewer));
            }
        }
    }

    #[test]
    fn last_years_reviewer_is_kept_when_nobody_else_may_review_the_file() {
        // File 1: only reviewer 3 may review it (1 and 2 work in it).
        let mut r = round(vec![file(1, 1, &[2], &[])], &[1, 2, 3], Scope::AllFiles);
        r.last_year.insert(1, 3);
        let pairing = r.draw_pairs(0).expect("feasible");
        assert_eq!(pairing.reviewer_of(&1), Some(&3));
        assert_eq!(pairing.repeats(), 1);
        assert!(pairing.pairs[0].same_as_last_year);
    }

    #[test]
    fn a_file_nobody_may_review_is_an_error_naming_it() {
        let r = round(
            vec![file(1, 1, &[], &[]), file(2, 1, &[2], &[3])],
            &[1, 2, 3],
            Scope::AllFiles,
        );
        let err = r.draw_pairs(0).expect_err("infeasible");
        assert_eq!(err, PairingError::FilesWithoutReviewer { files: vec![2] });
        assert!(
            err.to_string()
                .contains("1 file(s) have no possible reviewer"),
            "{err}"
        );
    }

    #[test]
    fn loads_that_cannot_be_balanced_are_an_error_naming_the_bottleneck() {
        // Four files that only reviewer 3 may take, two reviewers: 3 would get 4, 1 none.
        let files = (0..4).map(|i| file(i, 1, &[2], &[])).collect();
        let r = round(files, &[1, 2, 3], Scope::AllFiles);
        let err = r.draw_pairs(0).expect_err("infeasible");
        assert!(
            matches!(err, PairingError::ReviewersShort { needed: 1, .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains("cannot be given 1 files"), "{err}");

        // Three reviewers, 8 files: 2 or 3 each. Four files only reviewer 3 may take, so one
        // of them is left over although reviewers 1 and 2 have room.
        let mut files: Vec<_> = (0..4).map(|i| file(i, 1, &[2], &[])).collect();
        files.extend((4..8).map(|i| file(i, 3, &[], &[])));
        let err = round(files, &[1, 2, 3], Scope::AllFiles)
            .draw_pairs(0)
            .expect_err("infeasible");
        assert!(
            err.to_string()
                .contains("1 file(s) may only go to the same 1 reviewer(s)"),
            "{err}"
        );
        match err {
            PairingError::Unbalanced {
                files,
                reviewers,
                max_load,
            } => {
                assert_eq!(files.len(), 1);
                assert!(files[0] < 4);
                assert_eq!(reviewers, vec![3]);
                assert_eq!(max_load, 3);
            }
            other => panic!("expected Unbalanced, got {other:?}"),
        }
    }

    #[test]
    fn no_reviewers_is_an_error_and_no_files_an_empty_pairing() {
        let r = round(vec![file(1, 1, &[], &[])], &[], Scope::AllFiles);
        assert_eq!(r.draw_pairs(0), Err(PairingError::NoReviewers));
        let empty = round(vec![], &[1, 2], Scope::AllFiles)
            .draw_pairs(0)
            .expect("empty");
        assert!(empty.pairs.is_empty());
        assert_eq!(empty.loads, vec![(1, 0), (2, 0)]);
    }

    #[test]
    fn a_file_listed_twice_is_an_error() {
        let r = round(
            vec![file(1, 1, &[], &[]), file(1, 2, &[], &[])],
            &[3],
            Scope::AllFiles,
        );
        assert_eq!(r.draw_pairs(0), Err(PairingError::DuplicateFile(1)));
    }

    #[test]
    fn files_per_reviewer_gives_each_reviewer_that_many() {
        let mut r = unit(10);
        r.scope = Scope::FilesPerReviewer(3);
        let pairing = r.draw_pairs(9).expect("feasible");
        assert_eq!(pairing.pairs.len(), 30);
        assert!(pairing.loads.iter().all(|l| l.1 == 3));
        assert_valid(&r, &pairing);
    }

    #[test]
    fn files_per_reviewer_spreads_evenly_when_files_run_short() {
        let mut r = unit(1);
        r.scope = Scope::FilesPerReviewer(3);
        r.reviewers.truncate(4);
        // 10 files, 4 reviewers asked for 3 each: all 10 files, 2 or 3 each.
        let pairing = r.draw_pairs(2).expect("feasible");
        assert_eq!(pairing.pairs.len(), 10);
        assert_valid(&r, &pairing);
    }

    #[test]
    fn files_per_reviewer_leaves_out_files_nobody_may_review() {
        let r = round(
            vec![
                file(1, 1, &[2], &[]),
                file(2, 1, &[], &[]),
                file(3, 2, &[], &[]),
            ],
            &[1, 2],
            Scope::FilesPerReviewer(1),
        );
        let pairing = r.draw_pairs(0).expect("feasible");
        assert_eq!(pairing.without_reviewer, vec![1]);
        assert_eq!(pairing.reviewer_of(&2), Some(&2));
        assert_eq!(pairing.reviewer_of(&3), Some(&1));
    }

    #[test]
    fn sample_takes_n_files_of_each_contact_person() {
        let r = unit(5);
        let sample = sample_per_contact_person(&r.files, 2, 11);
        assert_eq!(sample.len(), 20);
        for contact in 0..10 {
            assert_eq!(
                sample
                    .iter()
                    .filter(|f| f.contact_person == contact)
                    .count(),
                2
            );
        }
        assert_eq!(sample, sample_per_contact_person(&r.files, 2, 11));
        assert_ne!(sample, sample_per_contact_person(&r.files, 2, 12));
        assert!(
            sample.windows(2).all(|w| w[0].id < w[1].id),
            "input order kept"
        );
        // Fewer files than asked: all of them.
        assert_eq!(sample_per_contact_person(&r.files, 9, 11).len(), 50);
    }

    #[test]
    fn pairs_two_thousand_files_over_twenty_reviewers() {
        let reviewers: Vec<u32> = (0..20).collect();
        let files = (0..2000)
            .map(|i| file(i, i % 20, &[(i + 7) % 20], &[(i / 20) % 20]))
            .collect();
        let mut r = round(files, &reviewers, Scope::AllFiles);
        r.last_year = (0..2000).map(|i| (i, (i + 1) % 20)).collect();
        let pairing = r.draw_pairs(3).expect("feasible");
        assert_eq!(pairing.pairs.len(), 2000);
        assert_eq!(pairing.repeats(), 0);
        assert_valid(&r, &pairing);
    }

    /// Checks the hard rules of second reviews against the round and its first pairing.
    fn assert_second_valid(
        round: &Round,
        first: &Pairing<u32, u32>,
        second: &[Pair<u32, u32>],
        count: usize,
    ) {
        assert_eq!(second.len(), count);
        let mut files = BTreeSet::new();
        let mut loads: BTreeMap<u32, usize> = first.loads.iter().copied().collect();
        for p in second {
            assert!(files.insert(p.file), "file {} twice", p.file);
            let f = round.files.iter().find(|f| f.id == p.file).expect("file");
            assert!(!f.is_own(&p.reviewer), "own file");
            assert_ne!(
                first.reviewer_of(&p.file),
                Some(&p.reviewer),
                "same reviewer"
            );
            *loads.entry(p.reviewer).or_default() += 1;
        }
        let max = loads.values().max().copied().unwrap_or(0);
        let min = loads.values().min().copied().unwrap_or(0);
        assert!(max - min <= 1, "{loads:?}");
    }

    #[test]
    fn second_reviews_go_to_another_reviewer_and_keep_loads_even() {
        let r = unit(3);
        let first = r.draw_pairs(4).expect("feasible");
        let second = r.draw_second_reviews(&first, 5, 4).expect("feasible");
        assert_second_valid(&r, &first, &second, 5);
        // 30 + 5 reviews over 10 reviewers: five get 4, five get 3.
        assert_eq!(second, r.draw_second_reviews(&first, 5, 4).expect("same"));
        assert_ne!(
            second,
            r.draw_second_reviews(&first, 5, 5).expect("feasible"),
            "another seed, another draw"
        );
        assert!(
            r.draw_second_reviews(&first, 0, 4)
                .expect("none")
                .is_empty()
        );
    }

    #[test]
    fn more_second_reviews_than_possible_is_an_error_saying_how_many() {
        // Two files, reviewers 1, 2, 3; file 1 may only go to 3, file 2 to 2 or 3.
        let r = round(
            vec![file(1, 1, &[2], &[]), file(2, 1, &[], &[])],
            &[1, 2, 3],
            Scope::AllFiles,
        );
        let first = r.draw_pairs(0).expect("feasible");
        let err = r.draw_second_reviews(&first, 3, 0).expect_err("too many");
        assert!(
            matches!(err, SecondReviewError::TooMany { possible } if possible <= 1),
            "{err:?}"
        );
        assert!(
            err.to_string().contains("can be given a second reviewer"),
            "{err}"
        );
    }

    #[test]
    fn second_reviews_avoid_last_years_reviewer() {
        let mut r = unit(2);
        let first = r.draw_pairs(1).expect("feasible");
        let second = r.draw_second_reviews(&first, 10, 1).expect("feasible");
        r.last_year = second.iter().map(|p| (p.file, p.reviewer)).collect();
        let first = r.draw_pairs(2).expect("feasible");
        let again = r.draw_second_reviews(&first, 10, 2).expect("feasible");
        assert_second_valid(&r, &first, &again, 10);
        assert!(again.iter().all(|p| !p.same_as_last_year));
    }

    /// Whether a valid choice of `count` second reviews exists, and its least repeats.
    fn brute_force_second(round: &Round, first: &Pairing<u32, u32>, count: usize) -> Option<usize> {
        let mut reviewers = round.reviewers.clone();
        reviewers.sort_unstable();
        reviewers.dedup();
        let files: Vec<&AuditFile<u32, u32>> = round
            .files
            .iter()
            .filter(|f| first.reviewer_of(&f.id).is_some())
            .collect();
        let options: Vec<Vec<u32>> = files
            .iter()
            .map(|f| {
                reviewers
                    .iter()
                    .copied()
                    .filter(|r| !f.is_own(r) && first.reviewer_of(&f.id) != Some(r))
                    .collect()
            })
            .collect();
        let mut best: Option<usize> = None;
        let mut choice = vec![0usize; files.len()];
        loop {
            let mut loads: BTreeMap<u32, usize> = first.loads.iter().copied().collect();
            let (mut placed, mut repeats) = (0, 0);
            for (i, &c) in choice.iter().enumerate() {
                if let Some(&r) = options[i].get(c) {
                    *loads.entry(r).or_default() += 1;
                    placed += 1;
                    if round.last_year.get(&files[i].id) == Some(&r) {
                        repeats += 1;
                    }
                }
            }
            let max = loads.values().max().copied().unwrap_or(0);
            let min = loads.values().min().copied().unwrap_or(0);
            if placed == count && max - min <= 1 {
                best = Some(best.map_or(repeats, |b: usize| b.min(repeats)));
            }
            let mut i = 0;
            loop {
                if i == choice.len() {
                    return best;
                }
                choice[i] += 1;
                if choice[i] < options[i].len() + 1 {
                    break;
                }
                choice[i] = 0;
                i += 1;
            }
        }
    }

    // ---- property tests against a brute-force checker on small rounds ----

    /// The best any pairing can do: `None` if none obeys the hard rules, else the least
    /// number of repeats.
    fn brute_force(round: &Round) -> Option<usize> {
        let mut reviewers = round.reviewers.clone();
        reviewers.sort_unstable();
        reviewers.dedup();
        let n = reviewers.len();
        if round.files.is_empty() {
            return Some(0);
        }
        if n == 0 {
            return None;
        }
        let options: Vec<Vec<usize>> = round
            .files
            .iter()
            .map(|f| (0..n).filter(|&r| !f.is_own(&reviewers[r])).collect())
            .collect();
        let reviewable = options.iter().filter(|o| !o.is_empty()).count();
        let total = match round.scope {
            Scope::AllFiles => {
                if reviewable < round.files.len() {
                    return None;
                }
                reviewable
            }
            Scope::FilesPerReviewer(k) => reviewable.min(k * n),
        };
        // Each file: index into its options, or "none" (= options.len()).
        let mut best: Option<usize> = None;
        let mut choice = vec![0usize; round.files.len()];
        loop {
            let mut loads = vec![0usize; n];
            let mut placed = 0;
            let mut repeats = 0;
            for (f, &c) in choice.iter().enumerate() {
                if let Some(&r) = options[f].get(c) {
                    loads[r] += 1;
                    placed += 1;
                    if round.last_year.get(&round.files[f].id) == Some(&reviewers[r]) {
                        repeats += 1;
                    }
                }
            }
            let spread = loads.iter().max().unwrap_or(&0) - loads.iter().min().unwrap_or(&0);
            if placed == total && spread <= 1 {
                best = Some(best.map_or(repeats, |b: usize| b.min(repeats)));
            }
            // Next choice (odometer); "none" is only allowed when not all files must be placed.
            let allow_none = usize::from(round.scope != Scope::AllFiles);
            let mut i = 0;
            loop {
                if i == choice.len() {
                    return best;
                }
                choice[i] += 1;
                if choice[i] < options[i].len() + allow_none {
                    break;
                }
                choice[i] = 0;
                i += 1;
            }
        }
    }

    fn small_round() -> impl Strategy<Value = Round> {
        let reviewers = proptest::collection::vec(0u32..5, 0..4);
        let files = proptest::collection::vec(
            (
                0u32..5,
                proptest::collection::vec(0u32..5, 0..2),
                proptest::collection::vec(0u32..5, 0..2),
                proptest::option::weighted(0.6, 0u32..5),
            ),
            0..6,
        );
        let scope = prop_oneof![
            Just(Scope::AllFiles),
            (0usize..3).prop_map(Scope::FilesPerReviewer)
        ];
        (reviewers, files, scope).prop_map(|(reviewers, files, scope)| {
            let mut last_year = BTreeMap::new();
            let files = files
                .into_iter()
                .enumerate()
                .map(|(i, (contact, co, authors, last))| {
                    let id = u32::try_from(i).expect("few files");
                    if let Some(last) = last {
                        last_year.insert(id, last);
                    }
                    file(id, contact, &co, &authors)
                })
                .collect();
            AuditRound {
                files,
                reviewers,
                scope,
                last_year,
            }
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn reviewer_never_gets_own_file_and_loads_differ_by_at_most_one(r in small_round(), seed: u64) {
            if let Ok(pairing) = r.draw_pairs(seed) {
                for pair in &pairing.pairs {
                    let f = r.files.iter().find(|f| f.id == pair.file).expect("file of the round");
                    prop_assert!(!f.is_own(&pair.reviewer));
                    prop_assert!(f.contact_person != pair.reviewer);
                    prop_assert!(!f.co_workers.contains(&pair.reviewer));
                    prop_assert!(!f.authors.contains(&pair.reviewer));
                }
                let loads: Vec<usize> = pairing.loads.iter().map(|l| l.1).collect();
                let spread = loads.iter().max().unwrap_or(&0) - loads.iter().min().unwrap_or(&0);
                prop_assert!(spread <= 1, "{:?}", loads);
                prop_assert_eq!(loads.iter().sum::<usize>(), pairing.pairs.len());
            }
        }

        #[test]
        fn the_same_seed_gives_the_same_pairing(r in small_round(), seed: u64) {
            prop_assert_eq!(r.draw_pairs(seed), r.draw_pairs(seed));
        }

        #[test]
        fn a_pairing_exists_exactly_when_one_is_possible_and_repeats_are_minimal(r in small_round(), seed: u64) {
            // Also proves that an impossible round is an error, never a panic.
            let best = brute_force(&r);
            match (r.draw_pairs(seed), best) {
                (Ok(pairing), Some(least)) => prop_assert_eq!(pairing.repeats(), least),
                (Err(_), None) => {}
                (got, want) => prop_assert!(false, "got {:?}, brute force says {:?}", got, want),
            }
        }

        #[test]
        fn second_reviews_obey_the_rules_and_exist_exactly_when_possible(r in small_round(), count in 0usize..4, seed: u64) {
            let r = AuditRound { scope: Scope::AllFiles, ..r };
            if let Ok(first) = r.draw_pairs(seed) {
                let best = if count == 0 { Some(0) } else { brute_force_second(&r, &first, count) };
                match (r.draw_second_reviews(&first, count, seed), best) {
                    (Ok(second), Some(least)) => {
                        assert_second_valid(&r, &first, &second, count);
                        prop_assert_eq!(second.iter().filter(|p| p.same_as_last_year).count(), least);
                        prop_assert_eq!(Ok(second), r.draw_second_reviews(&first, count, seed));
                    }
                    (Err(_), None) => {}
                    (got, want) => prop_assert!(false, "got {:?}, brute force says {:?}", got, want),
                }
            }
        }

        #[test]
        fn all_files_are_paired_in_an_all_files_round(r in small_round(), seed: u64) {
            let r = AuditRound { scope: Scope::AllFiles, ..r };
            if let Ok(pairing) = r.draw_pairs(seed) {
                prop_assert_eq!(pairing.pairs.len(), r.files.len());
            }
        }
    }
}
