//! Drawing the yearly audit pairs for a large organisation: 10 000 files over 40 and over
//! 200 reviewers.

use std::collections::BTreeMap;
use std::hint::black_box;

use akta_domain::pairing::{AuditFile, AuditRound, Scope};
use criterion::{Criterion, criterion_group, criterion_main};

/// 10 000 files, each with a contact person, a co-worker and two more entry authors among
/// `staff`, and last year's pairs set so that avoiding them matters.
fn large_round(staff: u32) -> AuditRound<u32, u32> {
    let files = (0..10_000u32)
        .map(|i| {
            let contact = i % staff;
            AuditFile {
                id: i,
                contact_person: contact,
                co_workers: vec![(contact + 1 + i / staff % 7) % staff],
                authors: vec![contact, (i * 7 + 3) % staff, (i * 13 + 5) % staff],
            }
        })
        .collect();
    let last_year: BTreeMap<u32, u32> =
        (0..10_000u32).map(|i| (i, (i * 31 + 11) % staff)).collect();
    AuditRound {
        files,
        reviewers: (0..staff).collect(),
        scope: Scope::AllFiles,
        last_year,
    }
}

/// Measure the real thing, not an error path.
fn check_feasible(round: &AuditRound<u32, u32>) {
    match round.draw_pairs(0) {
        Ok(p) => println!(
            "{} pairs over {} reviewers, loads {}..={}, {} repeated from last year",
            p.pairs.len(),
            p.loads.len(),
            p.loads.iter().map(|l| l.1).min().unwrap_or(0),
            p.loads.iter().map(|l| l.1).max().unwrap_or(0),
            p.repeats()
        ),
        Err(e) => panic!("the benchmark round must be feasible: {e}"),
    }
}

fn bench_pairing(c: &mut Criterion) {
    let round = large_round(40);
    check_feasible(&round);
    let mut seed = 0u64;
    c.bench_function("draw_pairs 10k files x 40 reviewers", |b| {
        b.iter(|| {
            seed += 1;
            let pairing = round.draw_pairs(black_box(seed));
            black_box(pairing.map(|p| p.repeats()))
        })
    });
    let sampled = AuditRound {
        scope: Scope::FilesPerReviewer(25),
        ..round.clone()
    };
    c.bench_function("draw_pairs 10k files x 40 reviewers, 25 each", |b| {
        b.iter(|| black_box(sampled.draw_pairs(black_box(7)).map(|p| p.repeats())))
    });
    let wide = large_round(200);
    check_feasible(&wide);
    c.bench_function("draw_pairs 10k files x 200 reviewers", |b| {
        b.iter(|| {
            seed += 1;
            black_box(wide.draw_pairs(black_box(seed)).map(|p| p.repeats()))
        })
    });
}

criterion_group!(benches, bench_pairing);
criterion_main!(benches);
