//! Inter-rater agreement for the double review: when two reviewers audit the same file,
//! how far do their answers agree beyond chance?
//!
//! Two coefficients over the same table of paired answers:
//! - **Cohen's kappa**: chance agreement from each rater's own answer shares,
//!   `pe = Σ_k p1(k)·p2(k)`.
//! - **Gwet's AC1** (Gwet 2008): chance agreement from the mean share `π_k` of each
//!   category over both raters, `pe = Σ_k π_k(1 − π_k) / (Q − 1)` where `Q` is the number of
//!   categories of the scale (not just those used). It does not collapse when nearly all
//!   answers fall in one category (the "kappa paradox"), which is the usual case in an audit
//!   where most items are answered "yes".
//!
//! Both are `(po − pe) / (1 − pe)` with `po` the share of items the raters agree on.
//!
//! Edge cases, decided here:
//! - No items: both `None`.
//! - Kappa when both raters gave one and the same category to every item: `pe = 1` and
//!   kappa is 0/0, so `None` ("cannot be computed"), not 1: the data show no agreement
//!   *beyond chance* either way. AC1 is defined there and is 1, since its `pe` is 0.
//! - AC1 needs a scale of at least two categories; with fewer it is `None`.
//!
//! The arithmetic is done on whole counts (the ratio is formed once at the end), so a
//! table's value does not depend on the order of its items.

use serde::{Deserialize, Serialize};

/// A nominal answer scale: every category, in a fixed order.
pub trait Category: Copy + Eq + 'static {
    /// Every category of the scale, whether used or not (AC1 needs the scale's size).
    fn all() -> &'static [Self];
}

/// Counts of paired answers: `counts[i][j]` items where rater 1 answered category `i` and
/// rater 2 category `j`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementTable {
    counts: Vec<Vec<u64>>,
}

/// A table that is not square.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an agreement table must be square (one row and one column per category)")]
pub struct NotSquare;

impl AgreementTable {
    /// A `q × q` table from counts, rows rater 1, columns rater 2.
    pub fn from_counts(counts: Vec<Vec<u64>>) -> Result<AgreementTable, NotSquare> {
        let q = counts.len();
        if counts.iter().any(|row| row.len() != q) {
            return Err(NotSquare);
        }
        Ok(AgreementTable { counts })
    }

    /// The table of paired answers `(rater 1, rater 2)` on the scale `C`.
    pub fn from_pairs<C: Category>(pairs: &[(C, C)]) -> AgreementTable {
        let scale = C::all();
        let q = scale.len();
        let mut counts = vec![vec![0u64; q]; q];
        for (a, b) in pairs {
            let i = scale.iter().position(|c| c == a);
            let j = scale.iter().position(|c| c == b);
            if let (Some(i), Some(j)) = (i, j) {
                counts[i][j] += 1;
            }
        }
        AgreementTable { counts }
    }

    /// Number of categories of the scale.
    pub fn categories(&self) -> usize {
        self.counts.len()
    }

    /// Number of items rated by both.
    pub fn items(&self) -> u64 {
        self.counts.iter().flatten().sum()
    }

    fn agreed(&self) -> u64 {
        self.counts.iter().enumerate().map(|(i, row)| row[i]).sum()
    }

    fn row_total(&self, k: usize) -> u64 {
        self.counts[k].iter().sum()
    }

    fn col_total(&self, k: usize) -> u64 {
        self.counts.iter().map(|row| row[k]).sum()
    }

    /// Share of items on which the raters agree, or `None` without items.
    pub fn observed(&self) -> Option<f64> {
        let n = self.items();
        (n > 0).then(|| self.agreed() as f64 / n as f64)
    }

    /// Cohen's kappa, or `None` without items or when chance agreement is total.
    pub fn cohen_kappa(&self) -> Option<f64> {
        // kappa = (n·A − Σ r_k c_k) / (n² − Σ r_k c_k), all in whole counts.
        let n = u128::from(self.items());
        if n == 0 {
            return None;
        }
        let chance: u128 = (0..self.categories())
            .map(|k| u128::from(self.row_total(k)) * u128::from(self.col_total(k)))
            .sum();
        let agreed = u128::from(self.agreed());
        ratio(n * agreed, n * n, chance)
    }

    /// Gwet's AC1, or `None` without items or with a scale of fewer than two categories.
    pub fn gwet_ac1(&self) -> Option<f64> {
        // With π_k = (r_k + c_k) / 2n:
        //   pe = Σ (r_k + c_k)(2n − r_k − c_k) / (4n²(Q − 1)),  po = A / n, so
        //   AC1 = (4n(Q − 1)·A − S) / (4n²(Q − 1) − S),  S = Σ (r_k + c_k)(2n − r_k − c_k).
        let n = u128::from(self.items());
        let q = u128::try_from(self.categories()).ok()?;
        if n == 0 || q < 2 {
            return None;
        }
        let s: u128 = (0..self.categories())
            .map(|k| {
                let m = u128::from(self.row_total(k)) + u128::from(self.col_total(k));
                m * (2 * n - m)
            })
            .sum();
        let agreed = u128::from(self.agreed());
        ratio(4 * n * (q - 1) * agreed, 4 * n * n * (q - 1), s)
    }

    /// All the figures at once, or `None` without items.
    pub fn summary(&self) -> Option<Agreement> {
        Some(Agreement {
            items: self.items(),
            observed: self.observed()?,
            kappa: self.cohen_kappa(),
            ac1: self.gwet_ac1(),
        })
    }
}

/// `(observed − chance) / (total − chance)` over whole counts, `None` when `total == chance`.
fn ratio(observed: u128, total: u128, chance: u128) -> Option<f64> {
    if total == chance {
        return None;
    }
    let numerator = observed as f64 - chance as f64;
    let denominator = total as f64 - chance as f64;
    Some(numerator / denominator)
}

/// Agreement of two raters over a set of items.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Agreement {
    pub items: u64,
    /// Share of items agreed on.
    pub observed: f64,
    pub kappa: Option<f64>,
    pub ac1: Option<f64>,
}

/// Cohen's kappa over paired answers `(rater 1, rater 2)`.
pub fn cohen_kappa<C: Category>(pairs: &[(C, C)]) -> Option<f64> {
    AgreementTable::from_pairs(pairs).cohen_kappa()
}

/// Gwet's AC1 over paired answers `(rater 1, rater 2)`.
pub fn gwet_ac1<C: Category>(pairs: &[(C, C)]) -> Option<f64> {
    AgreementTable::from_pairs(pairs).gwet_ac1()
}

/// Observed agreement, kappa and AC1 over paired answers, or `None` without items.
pub fn agreement<C: Category>(pairs: &[(C, C)]) -> Option<Agreement> {
    AgreementTable::from_pairs(pairs).summary()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::Answer;
    use proptest::prelude::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum YesNo {
        Yes,
        No,
    }

    impl Category for YesNo {
        fn all() -> &'static [Self] {
            &[YesNo::Yes, YesNo::No]
        }
    }

    fn pairs<C: Copy>(groups: &[(C, C, usize)]) -> Vec<(C, C)> {
        groups
            .iter()
            .flat_map(|&(a, b, n)| std::iter::repeat_n((a, b), n))
            .collect()
    }

    fn close(actual: Option<f64>, expected: f64) -> bool {
        actual.is_some_and(|a| (a - expected).abs() < 1e-9)
    }

    fn table(counts: &[&[u64]]) -> AgreementTable {
        AgreementTable::from_counts(counts.iter().map(|r| r.to_vec()).collect()).expect("square")
    }

    /// Wikipedia, "Cohen's kappa", worked example: 50 proposals, both yes 20, A yes B no 5,
    /// A no B yes 10, both no 15.
    fn wikipedia_example() -> Vec<(YesNo, YesNo)> {
        use YesNo::*;
        pairs(&[(Yes, Yes, 20), (Yes, No, 5), (No, Yes, 10), (No, No, 15)])
    }

    #[test]
    fn kappa_of_the_wikipedia_example_is_0_4() {
        // po = 35/50 = 0.7; A said yes 25/50 = 0.5, B 30/50 = 0.6;
        // pe = 0.5·0.6 + 0.5·0.4 = 0.5; kappa = (0.7 − 0.5) / (1 − 0.5) = 0.4.
        assert!(close(cohen_kappa(&wikipedia_example()), 0.4));
    }

    #[test]
    fn ac1_of_the_wikipedia_example_is_41_over_101() {
        // Q = 2, po = 0.7. π_yes = (0.5 + 0.6)/2 = 0.55, π_no = 0.45.
        // pe = (0.55·0.45 + 0.45·0.55) / (2 − 1) = 0.495.
        // AC1 = (0.7 − 0.495) / (1 − 0.495) = 0.205 / 0.505 = 41/101 ≈ 0.40594.
        assert!(close(gwet_ac1(&wikipedia_example()), 41.0 / 101.0));
    }

    #[test]
    fn kappa_falls_with_skewed_margins_where_ac1_does_not() {
        // Wikipedia's "same agreement, different kappa" pair, both with po = 0.6 over 100.
        use YesNo::*;
        // 45/15/25/15: pe = 0.6·0.7 + 0.4·0.3 = 0.54, kappa = 0.06/0.46 = 3/23 ≈ 0.1304.
        let first = pairs(&[(Yes, Yes, 45), (Yes, No, 15), (No, Yes, 25), (No, No, 15)]);
        assert!(close(cohen_kappa(&first), 3.0 / 23.0));
        // 25/35/5/35: pe = 0.6·0.3 + 0.4·0.7 = 0.46, kappa = 0.14/0.54 = 7/27 ≈ 0.2593.
        let second = pairs(&[(Yes, Yes, 25), (Yes, No, 35), (No, Yes, 5), (No, No, 35)]);
        assert!(close(cohen_kappa(&second), 7.0 / 27.0));
        // AC1 for the first: π_yes = 0.65, pe = 2·0.65·0.35 = 0.455, AC1 = 0.145/0.545 = 29/109.
        assert!(close(gwet_ac1(&first), 29.0 / 109.0));
        // and the second: π_yes = 0.45, pe = 2·0.45·0.55 = 0.495, AC1 = 0.105/0.505 = 21/101.
        assert!(close(gwet_ac1(&second), 21.0 / 101.0));
    }

    #[test]
    fn three_category_example_from_gwets_handbook() {
        // Gwet, Handbook of Inter-Rater Reliability (4th ed.): 100 pregnancies classified by two
        // abstractors (ectopic / abnormal intrauterine / normal intrauterine). Published
        // kappa 0.796, AC1 0.849 (also the irrCAC package's reference values).
        let t = table(&[&[13, 0, 0], &[0, 20, 7], &[0, 4, 56]]);
        // po = 89/100; row totals 13, 27, 60; column totals 13, 24, 63.
        // kappa: pe = (13·13 + 27·24 + 60·63)/100² = 0.4597 → (0.89 − 0.4597)/0.5403 = 0.79641.
        assert!(close(
            t.cohen_kappa(),
            (8900.0 - 4597.0) / (10000.0 - 4597.0)
        ));
        assert_eq!(t.cohen_kappa().map(|k| (k * 1000.0).round()), Some(796.0));
        // AC1: π = 26/200, 51/200, 123/200 = 0.13, 0.255, 0.615;
        // pe = (0.13·0.87 + 0.255·0.745 + 0.615·0.385)/(3 − 1) = 0.53985/2 = 0.269925
        // → (0.89 − 0.269925)/(1 − 0.269925) = 0.84933.
        assert!(close(t.gwet_ac1(), (0.89 - 0.269925) / (1.0 - 0.269925)));
        assert_eq!(t.gwet_ac1().map(|k| (k * 1000.0).round()), Some(849.0));
    }

    #[test]
    fn four_category_example_from_gwets_handbook() {
        // 223 psychiatric patients, clinical vs research diagnosis; kappa 0.432, AC1 0.456.
        let t = table(&[
            &[40, 4, 4, 17],
            &[6, 25, 2, 13],
            &[4, 1, 21, 12],
            &[15, 5, 9, 45],
        ]);
        assert_eq!(t.cohen_kappa().map(|k| (k * 1000.0).round()), Some(432.0));
        assert_eq!(t.gwet_ac1().map(|k| (k * 1000.0).round()), Some(456.0));
    }

    #[test]
    fn no_items_give_no_coefficients() {
        let none: [(Answer, Answer); 0] = [];
        assert_eq!(cohen_kappa(&none), None);
        assert_eq!(gwet_ac1(&none), None);
        assert_eq!(agreement(&none), None);
    }

    #[test]
    fn perfect_agreement_in_one_category_leaves_kappa_undefined_and_ac1_at_one() {
        let all_yes = vec![(Answer::Yes, Answer::Yes); 12];
        assert_eq!(cohen_kappa(&all_yes), None);
        assert!(close(gwet_ac1(&all_yes), 1.0));
        let summary = agreement(&all_yes).expect("items");
        assert_eq!(summary.items, 12);
        assert!((summary.observed - 1.0).abs() < 1e-12);
    }

    #[test]
    fn perfect_agreement_over_several_categories_is_one_for_both() {
        use Answer::*;
        let p = pairs(&[
            (Yes, Yes, 5),
            (Partly, Partly, 3),
            (No, No, 2),
            (NotApplicable, NotApplicable, 1),
        ]);
        assert!(close(cohen_kappa(&p), 1.0));
        assert!(close(gwet_ac1(&p), 1.0));
    }

    #[test]
    fn the_answer_scale_has_four_categories() {
        // AC1 over the audit answers uses Q = 4, N/A included.
        use Answer::*;
        let p = pairs(&[(Yes, Yes, 8), (Yes, Partly, 2)]);
        // po = 0.8; π_yes = 18/20 = 0.9, π_partly = 0.1; pe = (0.09 + 0.09)/3 = 0.06.
        // AC1 = 0.74 / 0.94.
        assert!(close(gwet_ac1(&p), 0.74 / 0.94));
    }

    #[test]
    fn a_table_must_be_square() {
        assert_eq!(
            AgreementTable::from_counts(vec![vec![1, 2], vec![3]]),
            Err(NotSquare)
        );
    }

    fn answer() -> impl Strategy<Value = Answer> {
        proptest::sample::select(Answer::all().to_vec())
    }

    proptest! {
        #[test]
        fn coefficients_stay_within_bounds_and_ignore_item_order(
            mut p in proptest::collection::vec((answer(), answer()), 1..60),
        ) {
            let kappa = cohen_kappa(&p);
            let ac1 = gwet_ac1(&p).expect("AC1 is defined for any items on a 4-point scale");
            prop_assert!((-1.0..=1.0 + 1e-12).contains(&ac1));
            if let Some(k) = kappa {
                prop_assert!((-1.0..=1.0 + 1e-12).contains(&k));
            }
            p.reverse();
            prop_assert_eq!(cohen_kappa(&p), kappa);
            prop_assert_eq!(gwet_ac1(&p), Some(ac1));
        }

        #[test]
        fn swapping_the_raters_changes_nothing(p in proptest::collection::vec((answer(), answer()), 1..60)) {
            let swapped: Vec<(Answer, Answer)> = p.iter().map(|&(a, b)| (b, a)).collect();
            prop_assert_eq!(cohen_kappa(&p), cohen_kappa(&swapped));
            prop_assert_eq!(gwet_ac1(&p), gwet_ac1(&swapped));
        }
    }
}
