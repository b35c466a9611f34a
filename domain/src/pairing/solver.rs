//! The min-cost flow behind [`super::AuditRound::draw_pairs`] and
//! [`super::AuditRound::draw_second_reviews`], solved on a graph of reviewers only.
//!
//! The network is source → file (capacity 1) → eligible reviewer (cost 1 for last year's
//! pair, else 0) → sink, each reviewer with an edge of capacity `cheap` at cost 0 and one
//! of capacity `extra` at a cost `M` larger than any number of repeats. Nearly every
//! reviewer may review nearly every file, so that graph has `files × reviewers` edges
//! (2 million for 10 000 files and 200 reviewers): building and scanning it was most of
//! the time. Here it is never built:
//!
//! 1. **Warm start.** Files are placed greedily, in seeded order, on a random reviewer who
//!    may review them, is not last year's reviewer and is below `cheap`. That flow costs
//!    0, and as no cost is negative it is a least-cost flow of its value, with zero
//!    potentials valid: successive shortest paths may continue from it and stay exact.
//! 2. **Successive shortest paths on the reviewers.** A residual path source → f → r₁ →
//!    g₁ → r₂ → … → sink alternates files and reviewers, and a file inside it is one
//!    assigned to the reviewer before it. So the path is a path between reviewers where
//!    the step r₁ → r₂ ("move one of r₁'s files to r₂") costs the least
//!    `cost(g, r₂) − cost(g, r₁)` over the files g of r₁ that r₂ may review, which is −1, 0
//!    or 1. That least cost is kept up to date from a few counts per pair of reviewers
//!    ([`Rows`]), changed in O(banned reviewers of the file) when a file moves. Each
//!    augmentation is one dense Dijkstra over `reviewers + 2` nodes with potentials (the
//!    file nodes' potentials cancel out along a path), so it costs O(reviewers²), and only
//!    the few files the greedy could not place need one.
//!
//! The result is a least-cost maximum flow of the same network as before, hence the same
//! guarantees (checked against brute force in the module's property tests).

use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

/// A file that at least one reviewer may review, by index.
pub(super) struct Candidate {
    pub file_index: usize,
    /// Reviewer indices that may not review it: sorted, each once, each `< reviewers`.
    pub banned: Vec<usize>,
    /// Last year's reviewer, if among this year's and allowed to review it.
    pub last_year: Option<usize>,
}

impl Candidate {
    pub fn may_review(&self, reviewer: usize) -> bool {
        self.banned.binary_search(&reviewer).is_err()
    }
}

/// Which files are where, and the counts from which the cost of moving one of a row's
/// files to a reviewer is read. Rows `0..n` are the reviewers, row `n` the unplaced files.
struct Rows<'a> {
    cands: &'a [Candidate],
    n: usize,
    row_of: Vec<usize>,
    pos: Vec<usize>,
    members: Vec<Vec<usize>>,
    /// Per row: files whose last-year reviewer is not the row (`plain`) or is (`repeat`).
    plain: Vec<usize>,
    repeat: Vec<usize>,
    /// Per (row, reviewer), index `row * n + reviewer`: plain files the reviewer may not
    /// review; repeat files the reviewer may not review; plain files whose last-year
    /// reviewer is the reviewer.
    plain_banned: Vec<usize>,
    repeat_banned: Vec<usize>,
    last_year_of: Vec<usize>,
}

impl<'a> Rows<'a> {
    fn new(cands: &'a [Candidate], n: usize) -> Rows<'a> {
        Rows {
            cands,
            n,
            row_of: vec![n; cands.len()],
            pos: vec![0; cands.len()],
            members: vec![Vec::new(); n + 1],
            plain: vec![0; n + 1],
            repeat: vec![0; n + 1],
            plain_banned: vec![0; (n + 1) * n],
            repeat_banned: vec![0; (n + 1) * n],
            last_year_of: vec![0; (n + 1) * n],
        }
    }

    fn is_repeat(&self, c: usize, row: usize) -> bool {
        self.cands[c].last_year == Some(row)
    }

    fn count(&mut self, c: usize, row: usize, add: bool) {
        let change = |x: &mut usize| {
            if add {
                *x += 1;
            } else {
                *x -= 1;
            }
        };
        let base = row * self.n;
        let cand = &self.cands[c];
        if self.is_repeat(c, row) {
            change(&mut self.repeat[row]);
            for &b in &cand.banned {
                change(&mut self.repeat_banned[base + b]);
            }
        } else {
            change(&mut self.plain[row]);
            for &b in &cand.banned {
                change(&mut self.plain_banned[base + b]);
            }
            if let Some(l) = cand.last_year {
                change(&mut self.last_year_of[base + l]);
            }
        }
    }

    fn attach(&mut self, c: usize, row: usize) {
        self.row_of[c] = row;
        self.pos[c] = self.members[row].len();
        self.members[row].push(c);
        self.count(c, row, true);
    }

    fn detach(&mut self, c: usize) {
        let row = self.row_of[c];
        let at = self.pos[c];
        self.members[row].swap_remove(at);
        if let Some(&moved) = self.members[row].get(at) {
            self.pos[moved] = at;
        }
        self.count(c, row, false);
    }

    /// The least cost of moving one of `row`'s files to reviewer `to` (`row != to`), or
    /// `None` if `to` may review none of them.
    fn step_cost(&self, row: usize, to: usize) -> Option<i64> {
        let i = row * self.n + to;
        if self.repeat[row] > self.repeat_banned[i] {
            Some(-1)
        } else if self.plain[row] > self.plain_banned[i] + self.last_year_of[i] {
            Some(0)
        } else if self.last_year_of[i] > 0 {
            Some(1)
        } else {
            None
        }
    }

    /// The cost of moving file `c` from `row` to reviewer `to`.
    fn move_cost(&self, c: usize, row: usize, to: usize) -> i64 {
        if self.is_repeat(c, row) {
            -1
        } else {
            i64::from(self.cands[c].last_year == Some(to))
        }
    }
}

const UNREACHED: i64 = i64::MAX;

/// Returns, per candidate, the reviewer it got (if any): a least-cost flow of `total`
/// files, or of as many as can be placed. `caps[r]` is what reviewer `r` may still take:
/// files at no cost, then files that cost more than any number of repeats (the one above
/// the floor of an even spread). `rng` decides between pairings that are equally good.
pub(super) fn solve(
    candidates: &[Candidate],
    caps: &[(usize, usize)],
    total: usize,
    rng: &mut ChaCha8Rng,
) -> Vec<Option<usize>> {
    let n = caps.len();
    let unplaced = n;
    let mut rows = Rows::new(candidates, n);
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.shuffle(rng);
    for &c in &order {
        rows.attach(c, unplaced);
    }
    let mut load = vec![0usize; n];
    let mut flow = 0;

    // 1. Warm start: cost-0 placements within the cheap capacity.
    let mut open: Vec<usize> = (0..n).filter(|&r| caps[r].0 > 0).collect();
    open.shuffle(rng);
    for &c in &order {
        if flow >= total || open.is_empty() {
            break;
        }
        let cand = &candidates[c];
        let fits = |r: usize| cand.may_review(r) && cand.last_year != Some(r);
        let mut chosen = None;
        for _ in 0..4 {
            let i = rng.random_range(0..open.len());
            if fits(open[i]) {
                chosen = Some(i);
                break;
            }
        }
        if chosen.is_none() {
            let start = rng.random_range(0..open.len());
            chosen = (0..open.len())
                .map(|k| (start + k) % open.len())
                .find(|&i| fits(open[i]));
        }
        let Some(i) = chosen else { continue };
        let r = open[i];
        rows.detach(c);
        rows.attach(c, r);
        load[r] += 1;
        flow += 1;
        if load[r] >= caps[r].0 {
            open.swap_remove(i);
        }
    }

    // 2. Successive shortest paths over the reviewers, from the unplaced row to the sink.
    let extra_cost = i64::try_from(total)
        .unwrap_or(i64::MAX / 8)
        .saturating_add(1);
    let sink = n + 1;
    let nodes = n + 2;
    let sink_cost = |r: usize, load: &[usize]| {
        let (cheap, extra) = caps[r];
        if load[r] < cheap {
            Some(0)
        } else if load[r] < cheap + extra {
            Some(extra_cost)
        } else {
            None
        }
    };
    let mut pot = vec![0i64; nodes];
    let mut dist = vec![UNREACHED; nodes];
    let mut done = vec![false; nodes];
    let mut prev = vec![usize::MAX; nodes];
    'augment: while flow < total {
        dist.fill(UNREACHED);
        done.fill(false);
        dist[unplaced] = 0;
        loop {
            // The nearest node not yet done; on a tie the sink (the last index) first.
            let mut u = usize::MAX;
            let mut best = UNREACHED;
            for v in 0..nodes {
                if !done[v] && dist[v] != UNREACHED && dist[v] <= best {
                    best = dist[v];
                    u = v;
                }
            }
            if u == usize::MAX || u == sink {
                if u == sink {
                    done[sink] = true;
                }
                break;
            }
            done[u] = true;
            let du = dist[u] + pot[u];
            for v in 0..n {
                if v == u || done[v] {
                    continue;
                }
                if let Some(w) = rows.step_cost(u, v) {
                    let nd = du + w - pot[v];
                    debug_assert!(nd >= dist[u], "reduced costs stay non-negative");
                    if nd < dist[v] {
                        dist[v] = nd;
                        prev[v] = u;
                    }
                }
            }
            if u < n
                && let Some(w) = sink_cost(u, &load)
            {
                let nd = du + w - pot[sink];
                if nd < dist[sink] {
                    dist[sink] = nd;
                    prev[sink] = u;
                }
            }
        }
        if !done[sink] {
            break;
        }
        let reach = dist[sink];
        for v in 0..nodes {
            pot[v] += if done[v] { dist[v] } else { reach };
        }
        // Augment back from the sink: each row gives up a file before it receives one.
        // Every step of the path has a file to move (its cost came from the counts).
        let mut v = prev[sink];
        load[v] += 1;
        while v != unplaced {
            let u = prev[v];
            let found = rows.step_cost(u, v).and_then(|w| {
                rows.members[u]
                    .iter()
                    .copied()
                    .find(|&c| candidates[c].may_review(v) && rows.move_cost(c, u, v) == w)
            });
            let Some(c) = found else {
                debug_assert!(false, "a step of a shortest path without a file");
                break 'augment;
            };
            rows.detach(c);
            rows.attach(c, v);
            v = u;
        }
        flow += 1;
    }

    (0..candidates.len())
        .map(|c| Some(rows.row_of[c]).filter(|&r| r < n))
        .collect()
}
