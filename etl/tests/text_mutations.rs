//! Damaged text files never make the reader panic: each of 400 seeded mutations of a valid
//! polling-station file (bytes deleted, inserted or replaced, separators and line ends
//! among them) is either read or refused with an error naming the file and a line.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{ministry_grid, ministry_text};
use etl::elections::SOURCE_T1;
use etl::sources::{Encodage, Source};

/// SplitMix64, for reproducible mutations.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % n as u64) as usize
    }
}

#[test]
fn mutated_files_are_read_or_refused_by_line_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir
        .path()
        .join("resultats-par-niveau-burvot-t1-france-entiere.txt");
    let good = ministry_text(&ministry_grid(1, true), true, true);
    let read = |bytes: &[u8]| {
        std::fs::write(&path, bytes).unwrap();
        let mut source = Source::open(&path, Encodage::Auto, SOURCE_T1)?;
        etl::resultats::read(&mut source)
    };
    let lu = read(&good).unwrap();
    assert_eq!(lu.lignes, 107 * 3);
    let mut rng = Rng(7);
    let (mut refused, mut read_ok) = (0, 0);
    for _ in 0..400 {
        let mut bytes = good.clone();
        for _ in 0..1 + rng.below(3) {
            let at = rng.below(bytes.len());
            let byte = [b';', b'\n', b'\r', b'-', b'9', b',', 0xFF, b'"', b'x'][rng.below(9)];
            match rng.below(3) {
                0 => {
                    bytes.remove(at);
                }
                1 => bytes.insert(at, byte),
                _ => bytes[at] = byte,
            }
        }
        match read(&bytes) {
            Ok(_) => read_ok += 1,
            Err(e) => {
                let message = e.to_string();
                assert!(
                    message.contains("france-entiere.txt")
                        && (message.contains(", line ") || message.contains("column")),
                    "{message}"
                );
                refused += 1;
            }
        }
    }
    // Most damage is caught (a changed digit in a name, say, is not damage it can see).
    assert!(refused > 300, "{refused} refused, {read_ok} read");
}
