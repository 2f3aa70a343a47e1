//! The ceiling row of `bench/load.sh`: a bare actix-web server answering `/health` with the
//! same JSON as the API's, serialized per request the same way, with none of the API's
//! middleware (no logging, problem rewrite, limits, CORS, compression, cache or ETag).
//! `cargo run --release -p api --example bare -- 127.0.0.1:18081`

use std::collections::BTreeMap;

use actix_web::{App, HttpServer, get, web};
use serde::Serialize;

#[derive(Serialize)]
struct HealthResponse {
    status: String,
    version_donnees: String,
    lignes: BTreeMap<String, usize>,
}

/// The row counts of the embedded data, as `/health` gives them.
const LIGNES: [(&str, usize); 22] = [
    ("candidats", 16),
    ("candidatures_circonscriptions", 35_989),
    ("chomage", 16_988),
    ("circonscriptions", 577),
    ("contours", 101),
    ("contours_circonscriptions", 566),
    ("departements", 107),
    ("elections", 10),
    ("familles", 5),
    ("indicateurs_socio", 8),
    ("modeles", 28),
    ("nuances", 55),
    ("participations", 1068),
    ("participations_circonscriptions", 5108),
    ("previsions", 54),
    ("regions", 20),
    ("resultats", 2889),
    ("resultats_nuances", 4971),
    ("sieges", 820),
    ("socio_economie", 808),
    ("voisins", 476),
    ("voisins_circonscriptions", 2972),
];

#[get("/health")]
async fn health() -> web::Json<HealthResponse> {
    web::Json(HealthResponse {
        status: "ok".to_owned(),
        version_donnees: "021c24edd10b7b89".to_owned(),
        lignes: LIGNES.iter().map(|(t, n)| ((*t).to_owned(), *n)).collect(),
    })
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let address = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:18081".to_owned());
    HttpServer::new(|| App::new().service(health))
        .bind(address)?
        .run()
        .await
}
