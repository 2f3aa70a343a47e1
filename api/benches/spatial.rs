//! Moran's I and LISA with 999 permutations on the committed data (96 metropolitan
//! départements, queen contiguity). Run: `cargo bench -p api --bench spatial`.

#![allow(clippy::unwrap_used)]

use api::views::scope::Perimetre;
use api::views::{Scope, spatial};
use criterion::{Criterion, criterion_group, criterion_main};
use db::Variable;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let snapshot = api::images::snapshot_from_dump().unwrap();
    let metropole = Scope {
        perimetre: Perimetre::Metropole,
        ..Scope::defaut()
    };
    let variable = Variable::PartExtremeDroite;
    c.bench_function("moran_999_permutations", |b| {
        b.iter(|| black_box(spatial::moran(&snapshot, variable, &metropole, 999).unwrap()))
    });
    c.bench_function("lisa_999_permutations", |b| {
        b.iter(|| {
            black_box(
                spatial::lisa(&snapshot, variable, &metropole, 999, spatial::Seuil::DEFAUT)
                    .unwrap(),
            )
        })
    });
    c.bench_function("moran_99_permutations", |b| {
        b.iter(|| black_box(spatial::moran(&snapshot, variable, &metropole, 99).unwrap()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
