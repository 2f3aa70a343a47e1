//! Render time of the full map of the 101 départements (the view's data, then the SVG), on
//! the committed data; and, for scale, the view alone and a region. The national map of the
//! constituencies (566 shapes and 11 insets) and the seat map too.
//! Run: `cargo bench -p api --bench carte`.

#![allow(clippy::unwrap_used)]

use api::views::Scope;
use api::views::cartes::{self, Classement};
use charts::classes::Methode;
use criterion::{Criterion, criterion_group, criterion_main};
use db::Variable;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let snapshot = api::images::snapshot_from_dump().unwrap();
    let france = Scope::defaut();
    let hauts_de_france = Scope {
        region: snapshot.region("32").cloned(),
        ..france.clone()
    };
    let look = charts::Look::default();
    let variable = Variable::PartExtremeDroite;
    c.bench_function("carte_101_departements_svg", |b| {
        b.iter(|| {
            let dessin =
                cartes::choroplethe(&snapshot, variable, &france, Classement::default(), None);
            black_box(api::render::draw(&look, &dessin).unwrap())
        })
    });
    c.bench_function("carte_101_departements_jenks_svg", |b| {
        let classement = Classement {
            methode: Methode::Jenks,
            ..Classement::default()
        };
        b.iter(|| {
            let dessin = cartes::choroplethe(&snapshot, variable, &france, classement, None);
            black_box(api::render::draw(&look, &dessin).unwrap())
        })
    });
    c.bench_function("carte_donnees_seules", |b| {
        b.iter(|| {
            black_box(cartes::choroplethe(
                &snapshot,
                variable,
                &france,
                Classement::default(),
                None,
            ))
        })
    });
    c.bench_function("carte_region_32_svg", |b| {
        b.iter(|| {
            let dessin = cartes::choroplethe(
                &snapshot,
                variable,
                &hauts_de_france,
                Classement::default(),
                None,
            );
            black_box(api::render::draw(&look, &dessin).unwrap())
        })
    });
    let legislatives = db::Scrutin::de(db::TypeElection::Legislatives, 2024, 1);
    let part = api::views::circonscriptions::Mesure::Part("extreme_droite".into());
    c.bench_function("carte_577_circonscriptions_svg", |b| {
        b.iter(|| {
            let dessin = api::views::cartes_circonscriptions::choroplethe(
                &snapshot,
                &part,
                &france,
                legislatives,
                Classement::default(),
            );
            black_box(api::render::draw(&look, &dessin).unwrap())
        })
    });
    c.bench_function("carte_sieges_577_svg", |b| {
        b.iter(|| {
            let dessin = api::views::cartes_circonscriptions::sieges(
                &snapshot,
                &france,
                legislatives,
                api::views::cartes_circonscriptions::Par::Nuance,
            )
            .unwrap();
            black_box(api::render::draw(&look, &dessin).unwrap())
        })
    });
    c.bench_function("famille_gagnante_svg", |b| {
        b.iter(|| {
            let dessin = cartes::famille_gagnante(&snapshot, &france, None);
            black_box(api::render::draw(&look, &dessin).unwrap())
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
