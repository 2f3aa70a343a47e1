//! `/health`, routing (404, 405), the response cache, validators, compression, CORS, the OpenAPI document and Swagger UI.

use crate::common::{assert_problem, spawn_app};

#[tokio::test]
async fn health_reports_version_and_row_counts() {
    let app = spawn_app().await;
    let body = app.json("/health").await;
    assert_eq!(body["status"], "ok");
    assert_eq!(body["version_donnees"].as_str().unwrap().len(), 16);
    assert_eq!(body["lignes"]["departements"], 107);
    assert_eq!(body["lignes"]["resultats"], 2889);
    assert_eq!(body["lignes"]["chomage"], 16988);
}

#[tokio::test]
async fn unknown_route_is_a_404_problem() {
    let app = spawn_app().await;
    let body = app.problem("/nulle-part", 404).await;
    assert!(body["detail"].as_str().unwrap().contains("/nulle-part"));
    app.problem("/departements/59/autre", 404).await;
}

#[tokio::test]
async fn other_methods_are_a_405_problem_with_allow() {
    let app = spawn_app().await;
    for path in ["/health", "/departements/59", "/indicateurs"] {
        let response = app
            .client
            .post(format!("{}{path}", app.address))
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["allow"], "GET, HEAD");
        assert_problem(response, 405).await;
    }
    let delete = app
        .client
        .delete(format!("{}/departements", app.address))
        .send()
        .await
        .unwrap();
    assert_problem(delete, 405).await;
}

#[tokio::test]
async fn malformed_query_strings_are_400_problems() {
    let app = spawn_app().await;
    // Repeated or undecodable parameters fail in the extractor itself.
    app.problem("/indicateurs?tour=1&tour=2", 400).await;
    app.problem("/departements?region=%FF", 400).await;
}

#[tokio::test]
async fn empty_parameters_are_refused_but_unknown_ones_ignored() {
    let app = spawn_app().await;
    for (path, parameter) in [
        ("/indicateurs?tour=", "tour"),
        ("/indicateurs?tour=1&trimestre=%20", "trimestre"),
        ("/charts/nuage.svg?theme=", "theme"),
        ("/departements/59/prediction?modele=", "modele"),
        ("/correlations?variables=", "variables"),
    ] {
        let body = app.problem(path, 400).await;
        assert_eq!(body["parametre"], parameter, "{path}");
        assert!(body["detail"].as_str().unwrap().contains("is empty"));
    }
    // Empty search text and empty titles mean "none"; undeclared parameters are ignored.
    assert_eq!(app.get("/departements?q=").await.status(), 200);
    assert_eq!(app.get("/charts/nuage?title=").await.status(), 200);
    assert_eq!(app.get("/health?verbose=").await.status(), 200);
    // The dashboard's forms send empty fields.
    assert_eq!(
        app.get("/visualisations?region=&tour=1").await.status(),
        200
    );
}

#[tokio::test]
async fn repeated_requests_get_the_same_bytes_from_the_response_cache() {
    let app = spawn_app().await;
    for path in ["/indicateurs", "/charts/nuage.svg", "/", "/departements/59"] {
        let first = app.get(path).await;
        let etag = first.headers()["etag"].clone();
        let first = first.bytes().await.unwrap();
        let cached = app.get(path).await;
        assert_eq!(cached.headers()["etag"], etag, "{path}");
        assert_eq!(cached.bytes().await.unwrap(), first, "{path}");
        let recomputed = app
            .client
            .get(format!("{}{path}", app.address))
            .header("Cache-Control", "no-cache")
            .send()
            .await
            .unwrap();
        assert_eq!(recomputed.headers()["etag"], etag, "{path}");
        assert_eq!(recomputed.bytes().await.unwrap(), first, "{path}");
    }
    // Each encoding is cached on its own: a gzip body never reaches a client that did not ask.
    let gzip = app
        .client
        .get(format!("{}/indicateurs", app.address))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gzip.headers()["content-encoding"], "gzip");
    let plain = app.get("/indicateurs").await;
    assert!(plain.headers().get("content-encoding").is_none());
    // Negotiated representations too: CSV and JSON of the same URL.
    let csv = app
        .client
        .get(format!("{}/indicateurs", app.address))
        .header("Accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let json = app.get("/indicateurs").await;
    assert!(
        json.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
}

#[tokio::test]
async fn etag_and_revalidation() {
    let app = spawn_app().await;
    let first = app.get("/departements/59").await;
    assert_eq!(first.headers()["cache-control"], "public, max-age=3600");
    assert_eq!(first.headers()["x-content-type-options"], "nosniff");
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    assert!(etag.starts_with("W/\""), "{etag}");
    let again = app
        .client
        .get(format!("{}/departements/59", app.address))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"], etag.as_str());
    assert!(again.bytes().await.unwrap().is_empty());
    let stale = app
        .client
        .get(format!("{}/departements/59", app.address))
        .header("If-None-Match", "W/\"0000000000000000-json\"")
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 200);
    // CSV and JSON of the same URL are different representations.
    let csv = app.get("/indicateurs?format=csv").await;
    let json = app.get("/indicateurs").await;
    assert_ne!(csv.headers()["etag"], json.headers()["etag"]);
    // Errors are not cached.
    let problem = app.get("/departements/999").await;
    assert!(problem.headers().get("etag").is_none());
    assert_eq!(problem.headers()["x-content-type-options"], "nosniff");
}

#[tokio::test]
async fn compression_when_asked() {
    let app = spawn_app().await;
    for encoding in ["gzip", "br"] {
        let response = app
            .client
            .get(format!("{}/indicateurs", app.address))
            .header("Accept-Encoding", encoding)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-encoding"], encoding);
    }
    let plain = app.get("/indicateurs").await;
    assert!(plain.headers().get("content-encoding").is_none());
}

#[tokio::test]
async fn cors_allows_get_from_any_origin() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(format!("{}/health", app.address))
        .header("Origin", "https://example.org")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        "https://example.org"
    );
    let preflight = app
        .client
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/indicateurs", app.address),
        )
        .header("Origin", "https://example.org")
        .header("Access-Control-Request-Method", "GET")
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), 200);
}

#[tokio::test]
async fn committed_openapi_document_matches_the_code() {
    let app = spawn_app().await;
    let served: serde_json::Value = app.json("/api-docs/openapi.json").await;
    let generated = api::startup::openapi().to_pretty_json().unwrap() + "\n";
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../openapi/openapi.json"
    ))
    .unwrap_or_default();
    assert!(
        committed == generated,
        "openapi/openapi.json is stale: run `cargo run -p api --bin gen-openapi`"
    );
    assert_eq!(
        served,
        serde_json::from_str::<serde_json::Value>(&committed).unwrap()
    );
    let paths = served["paths"].as_object().unwrap();
    for path in [
        "/health",
        "/departements",
        "/departements/{code}",
        "/departements/{code}/chomage",
        "/indicateurs",
        "/indicateurs/national",
        "/correlations",
        "/familles",
        "/regions",
    ] {
        let get = &paths[path]["get"];
        assert!(
            get["summary"].as_str().is_some_and(|s| !s.is_empty()),
            "{path} has no summary"
        );
        assert!(get["responses"]["200"].is_object(), "{path}");
    }
    // Client generators name one function per operation: every operationId is unique and
    // says what it does (the validator and a generated client run in openapi/clients.sh).
    let mut ids: Vec<&str> = paths
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .map(|operation| operation["operationId"].as_str().unwrap())
        .collect();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count, "{ids:?}");
    assert!(ids.contains(&"list_departements") && ids.contains(&"get_departement"));
    assert!(
        ids.iter().all(|id| id.contains('_') || *id == "predict"),
        "{ids:?}"
    );
    let description = served["info"]["description"].as_str().unwrap();
    assert!(description.contains("2017") && description.contains("2022"));
    assert_eq!(served["info"]["license"]["identifier"], "MIT");
    let license =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../LICENSE")).unwrap();
    assert!(license.starts_with("MIT License"));
}

#[tokio::test]
async fn swagger_ui_is_served_without_network() {
    let app = spawn_app().await;
    let page = app.get("/swagger-ui/").await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("swagger"));
    let init = app.get("/swagger-ui/swagger-initializer.js").await;
    assert_eq!(init.status(), 200);
    assert!(
        init.text()
            .await
            .unwrap()
            .contains("/api-docs/openapi.json")
    );
    let bundle = app.get("/swagger-ui/swagger-ui-bundle.js").await;
    assert_eq!(bundle.status(), 200);
    let redirect = app.get("/swagger-ui").await;
    assert!(redirect.status().is_redirection(), "{}", redirect.status());
    assert_eq!(redirect.headers()["location"], "/swagger-ui/");
}

/// Snapshots (the data version is redacted: it changes with every ETL change and is tested
/// above).
#[tokio::test]
async fn health_and_a_problem_snapshots() {
    let app = spawn_app().await;
    insta::assert_json_snapshot!("health", app.json("/health").await, {".version_donnees" => "[version]"});
    insta::assert_json_snapshot!(
        "probleme_400",
        app.problem("/indicateurs?tour=3", 400).await
    );
}
