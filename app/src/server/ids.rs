//! Random public ids for URLs, so database ids are neither shown nor guessable.

use rand::Rng;

const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyz23456789";

pub fn public_id() -> String {
    let mut rng = rand::rng();
    (0..12)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// The same from a caller's generator (deterministic demo data).
pub fn public_id_from(rng: &mut impl Rng) -> String {
    (0..12)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// Whether `text` has the shape of a public id (so it may stand in the access log:
/// anything else typed into a URL could be an identity number).
pub fn is_public_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| ALPHABET.contains(&b))
}
