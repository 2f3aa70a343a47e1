//! The static chart copies of `images/`, rendered from the committed dump.

use std::path::{Path, PathBuf};

use db::{Scrutin, Snapshot, Variable};

use crate::error::ApiError;
use crate::params::scope::Filtres;
use crate::render;
use crate::views::charts::{self as vues, Dessin};
use crate::views::correlations::{DEFAULT_VARIABLES, Methode};
use crate::views::{cartes, departements};

#[derive(Debug, thiserror::Error)]
pub enum ImagesError {
    #[error(transparent)]
    Db(#[from] db::DbError),
    #[error("{0}")]
    Chart(#[from] ApiError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Every static chart: file name and SVG, from the views, drawn with the default look.
pub fn render_all(snapshot: &Snapshot) -> Result<Vec<(String, String)>, ApiError> {
    let look = charts::Look::default();
    let draw = |dessin: Dessin| render::draw(&look, &dessin);
    // France, round 1 of 2022, unemployment of 2022-T3.
    let all = Filtres::default().resolve(snapshot)?;
    let mut images = Vec::new();
    for variable in [
        Variable::TauxAbstention,
        Variable::TauxParticipation,
        Variable::TauxChomage,
    ] {
        images.push((
            format!("histogramme_{variable}.svg"),
            draw(vues::histogramme(snapshot, variable, &all, 20))?,
        ));
    }
    images.push((
        "correlations.svg".to_owned(),
        draw(vues::matrice(
            snapshot,
            &all,
            &DEFAULT_VARIABLES,
            Methode::Pearson,
        )?)?,
    ));
    images.push((
        "nuage_taux_chomage_part_extreme_droite.svg".to_owned(),
        draw(vues::nuage(
            snapshot,
            &all,
            Variable::TauxChomage,
            Variable::PartExtremeDroite,
            true,
        ))?,
    ));
    for variable in [Variable::TauxChomage, Variable::TauxAbstention] {
        images.push((
            format!("boites_{variable}.svg"),
            draw(vues::boites(snapshot, variable, &all))?,
        ));
    }
    let nord = departements::find(snapshot, "59")?;
    let (t1_2022, t1_2017) = (Scrutin::new(2022, 1), Scrutin::new(2017, 1));
    images.push((
        "departement_59_familles.svg".to_owned(),
        draw(vues::familles(snapshot, nord, t1_2022)?)?,
    ));
    images.push((
        "departement_59_candidats.svg".to_owned(),
        draw(vues::candidats(snapshot, nord, t1_2022)?)?,
    ));
    images.push((
        "departement_59_chomage.svg".to_owned(),
        draw(vues::chomage(snapshot, nord)?)?,
    ));
    images.push((
        "nuage_revenu_median_part_extreme_droite.svg".to_owned(),
        draw(vues::nuage(
            snapshot,
            &all,
            Variable::RevenuMedian,
            Variable::PartExtremeDroite,
            true,
        ))?,
    ));
    images.push((
        "departement_59_familles_2017.svg".to_owned(),
        draw(vues::familles(snapshot, nord, t1_2017)?)?,
    ));
    for (name, departement) in [
        ("evolution_france.svg", None),
        ("evolution_59.svg", Some(nord)),
    ] {
        images.push((
            name.to_owned(),
            draw(vues::evolution(snapshot, departement, 1)?)?,
        ));
    }
    // Maps: the leading family in round 1 of 2022, the extreme right's share, unemployment.
    images.push((
        "carte_famille_gagnante.svg".to_owned(),
        draw(cartes::famille_gagnante(snapshot, &all, None))?,
    ));
    for variable in [Variable::PartExtremeDroite, Variable::TauxChomage] {
        images.push((
            format!("carte_{variable}.svg"),
            draw(cartes::choroplethe(
                snapshot,
                variable,
                &all,
                cartes::Classement::default(),
                None,
            ))?,
        ));
    }
    Ok(images)
}

/// The snapshot of the embedded dump, restored into a temporary database (deleted once
/// loaded): what the static images and the benchmarks read.
pub fn snapshot_from_dump() -> Result<Snapshot, ImagesError> {
    let dir = tempfile::tempdir().map_err(|source| ImagesError::Io {
        path: std::env::temp_dir(),
        source,
    })?;
    let path = dir.path().join("images.db");
    db::restore_from_dump(&path, crate::startup::EMBEDDED_DUMP)?;
    Ok(Snapshot::load(&mut db::open_read_only(&path)?)?)
}

/// Restores the embedded dump into a temporary database, loads it and renders every chart.
pub fn render_from_dump() -> Result<Vec<(String, String)>, ImagesError> {
    Ok(render_all(&snapshot_from_dump()?)?)
}

pub fn write_all(dir: &Path) -> Result<Vec<PathBuf>, ImagesError> {
    let images = render_from_dump()?;
    std::fs::create_dir_all(dir).map_err(|source| ImagesError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut written = Vec::new();
    for (name, svg) in images {
        let path = dir.join(name);
        std::fs::write(&path, svg).map_err(|source| ImagesError::Io {
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}
