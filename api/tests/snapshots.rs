//! Snapshots of representative responses (the data version is redacted: it
//! changes with every ETL change and is tested elsewhere).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::spawn_app;

#[tokio::test]
async fn representative_responses() {
    let app = spawn_app().await;
    insta::assert_json_snapshot!("health", app.json("/health").await, {".version_donnees" => "[version]"});
    insta::assert_json_snapshot!("departement_59", app.json("/departements/59").await);
    insta::assert_json_snapshot!(
        "national_t2",
        app.json("/indicateurs/national?tour=2").await
    );
    insta::assert_json_snapshot!("familles", app.json("/familles").await);
    insta::assert_json_snapshot!(
        "correlations_hdf",
        app.json(
            "/correlations?region=32&variables=taux_chomage,taux_abstention,part_extreme_droite"
        )
        .await
    );
    insta::assert_json_snapshot!(
        "probleme_400",
        app.problem("/indicateurs?tour=3", 400).await
    );
}
