//! Building the server: load the data once, then serve it from memory.

use std::net::TcpListener;
use std::sync::Arc;

use actix_cors::Cors;
use actix_web::dev::Server;
use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, HttpServer, web};
use db::Snapshot;
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::dashboard;
use crate::error::{extractor_error, json_error};
use crate::limits;
use crate::memo::{self, ResponseCache};
use crate::middleware::{self, KnownPaths, QueryParameters};
use crate::routes;
use crate::settings::Settings;
use crate::state::AppState;

/// The committed `dump.sql`, compiled in so that the binary alone can create its database.
pub const EMBEDDED_DUMP: &str = include_str!("../../dump.sql");

/// Largest request body accepted (the API has no write endpoint; this bounds any body).
pub const MAX_BODY_BYTES: usize = 16 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Db(#[from] db::DbError),
    #[error("cannot read the dump {path}: {source}")]
    Dump {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "database {path}: political families are {found:?}, this API serves {expected:?} (see etl/reference/familles.csv)"
    )]
    Familles {
        path: String,
        found: Vec<String>,
        expected: Vec<String>,
    },
    #[error(
        "database {path}: the {table} table is empty, there is nothing to serve (rebuild it with `cargo run --release -p etl`, or delete it to restore it from dump.sql)"
    )]
    Empty { path: String, table: &'static str },
    #[error("database {path}: {detail} (rerun `cargo run --release -p ml`)")]
    Models { path: String, detail: String },
    #[error("database {path}: cannot make the copy served at /donnees/elexxion.db: {detail}")]
    Copie { path: String, detail: String },
    #[error(
        "database {path} exists and is not a regular file (a FIFO, device or socket): give the path of a SQLite file, or of one to create"
    )]
    NotAFile { path: String },
    #[error("cannot listen on {address}: {source}")]
    Bind {
        address: String,
        source: std::io::Error,
    },
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Elexxion API",
        description = "French presidential elections of 2017 and 2022 by département (both rounds: turnout, \
votes per candidate and per political family, winners), INSEE quarterly unemployment rates since 1982 and \
INSEE socio-economic indicators (median income, poverty, pensions, population, age, immigration, area, \
density): indicators, correlations, charts (SVG or PNG), models predicting the leading family, and \
predictions; the legislative elections of 2017, 2022 and 2024 by département and by constituency, with the \
577 constituencies' outlines, neighbours, maps and seat map. Data: Ministère de l'Intérieur and INSEE, Licence \
Ouverte / Etalab 2.0; constituency outlines: data.gouv.fr, « Carte des circonscriptions législatives 2012 et \
2017 », ODbL 1.0; the code and this API: MIT. Every error is an RFC 9457 problem (application/problem+json).",
        license(name = "MIT", identifier = "MIT"),
    ),
    tags(
        (name = "service", description = "Service status"),
        (name = "departements", description = "Départements: list, detail, unemployment series"),
        (name = "circonscriptions", description = "The 577 legislative constituencies: list, detail, GeoJSON (outlines ODbL)"),
        (name = "indicateurs", description = "Indicators per département, national totals, correlations"),
        (name = "referentiel", description = "Political families and regions"),
        (name = "modeles", description = "Models predicting the family leading a département, their evaluation, and predictions"),
        (name = "previsions", description = "The constituency forecast: trained on whole election cycles, tested on a later legislative election, beside a political scientist's baselines"),
        (name = "charts", description = "Charts as SVG (default) or PNG (`format=png` or a `.png` suffix), for slides and reports"),
        (name = "spatial", description = "Spatial autocorrelation: global Moran's I and local Moran (LISA) on the départements' contiguity"),
    ),
    components(schemas(crate::error::Problem, db::Variable))
)]
struct ApiDoc;

/// The OpenAPI document of every route, as registered.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, mut api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(routes::configure)
        .split_for_parts();
    document_refusals(&mut api);
    api
}

/// Refusals any operation may give, documented here once rather than on each handler: 414
/// for a query string over [`middleware::MAX_QUERY_BYTES`] (operations with query
/// parameters), 408 for a body not received in time (operations with a body), 503 past the
/// time limit or, for charts, when the rendering budget is spent (see [`crate::render`]).
fn document_refusals(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::ParameterIn;
    use utoipa::openapi::{Content, Ref, RefOr, ResponseBuilder};
    let problem = |description: String| {
        RefOr::T(
            ResponseBuilder::new()
                .description(description)
                .content(
                    crate::error::PROBLEM_JSON,
                    Content::new(Some(Ref::from_schema_name("Problem"))),
                )
                .build(),
        )
    };
    for (path, item) in api.paths.paths.iter_mut() {
        if let Some(get) = item.get.as_mut() {
            let has_query =
                get.parameters.iter().flatten().any(
                    |p| matches!(p, RefOr::T(p) if matches!(p.parameter_in, ParameterIn::Query)),
                );
            if has_query {
                get.responses.responses.insert(
                    "414".to_owned(),
                    problem(format!(
                        "Query string over {} bytes",
                        middleware::MAX_QUERY_BYTES
                    )),
                );
            }
            let pooled = path.starts_with("/charts/")
                || path.starts_with("/spatial/")
                || path.ends_with(".geojson");
            let unavailable = if pooled {
                "Too many charts being rendered (retry after the `Retry-After` seconds), or the time limit passed"
            } else {
                "The time limit passed (retry after the `Retry-After` seconds)"
            };
            get.responses
                .responses
                .insert("503".to_owned(), problem(unavailable.to_owned()));
        }
        if let Some(post) = item.post.as_mut() {
            post.responses.responses.insert(
                "408".to_owned(),
                problem("The request body was not received within the body time limit".to_owned()),
            );
            post.responses.responses.insert(
                "503".to_owned(),
                problem("The time limit passed (retry after the `Retry-After` seconds)".to_owned()),
            );
        }
    }
}

/// Opens the database (creating it from the dump when it does not exist), checks it and
/// loads it and its models into memory.
pub fn load_state(settings: &Settings) -> Result<AppState, StartupError> {
    let (snapshot, database) = load_snapshot(settings)?;
    let mut state = AppState::new(Arc::new(snapshot)).map_err(|detail| StartupError::Models {
        path: settings.database_path().display().to_string(),
        detail,
    })?;
    state.database = Arc::from(database);
    Ok(state)
}

/// Opens the database (creating it from the dump when it does not exist), checks it and
/// loads it into memory, with the bytes of the SQLite file it was loaded from: a consistent
/// copy made by SQLite (`VACUUM INTO`), which `/donnees/elexxion.db` serves, so the download is
/// exactly the data the API answers from, even if the file is replaced while it runs.
pub fn load_snapshot(settings: &Settings) -> Result<(Snapshot, Vec<u8>), StartupError> {
    let path = settings.database_path();
    // A FIFO would block the start for ever, a device would be read as a database.
    if std::fs::metadata(&path).is_ok_and(|m| !m.is_file()) {
        return Err(StartupError::NotAFile {
            path: path.display().to_string(),
        });
    }
    if !path.exists() {
        let dump = match &settings.dump {
            Some(dump_path) => {
                std::fs::read_to_string(dump_path).map_err(|source| StartupError::Dump {
                    path: dump_path.display().to_string(),
                    source,
                })?
            }
            None => EMBEDDED_DUMP.to_owned(),
        };
        log::info!(
            "{} does not exist: creating it from the dump",
            path.display()
        );
        db::restore_from_dump(&path, &dump)?;
    }
    let mut conn = db::open_read_only(&path)?;
    db::check_schema(&mut conn, &path)?;
    let copie = |detail: String| StartupError::Copie {
        path: path.display().to_string(),
        detail,
    };
    let dir = tempfile::tempdir().map_err(|e| copie(e.to_string()))?;
    let copy = dir.path().join("elexxion.db");
    db::vacuum_into(&mut conn, &path, &copy)?;
    drop(conn);
    let mut conn = db::open_read_only(&copy)?;
    let snapshot = Snapshot::load(&mut conn).map_err(|e| match e {
        db::DbError::Query(e) => db::classify(&path, e),
        other => other,
    })?;
    drop(conn);
    let database = std::fs::read(&copy).map_err(|e| copie(e.to_string()))?;
    // A database emptied by hand passes the schema check but has nothing to serve.
    for table in ["departements", "elections", "resultats"] {
        let rows = snapshot
            .row_counts()
            .iter()
            .find(|(name, _)| *name == table)
            .map_or(0, |(_, rows)| *rows);
        if rows == 0 {
            return Err(StartupError::Empty {
                path: path.display().to_string(),
                table,
            });
        }
    }
    let found: Vec<String> = snapshot.familles.iter().map(|f| f.code.clone()).collect();
    // The vocabulary's families, once at start (the snapshot also checked labels and order).
    let expected: Vec<String> = db::domaine::FAMILLES
        .iter()
        .map(|f| f.code.to_owned())
        .collect();
    if found != expected {
        return Err(StartupError::Familles {
            path: path.display().to_string(),
            found,
            expected,
        });
    }
    Ok((snapshot, database))
}

pub struct Application {
    port: u16,
    server: Server,
}

/// Binds the configured address. The binary binds before it loads (or creates) its database,
/// so that a busy port leaves no database behind.
pub fn listen(settings: &Settings) -> Result<TcpListener, StartupError> {
    let address = format!("{}:{}", settings.host, settings.port);
    TcpListener::bind(&address).map_err(|source| StartupError::Bind { address, source })
}

impl Application {
    /// Binds the configured address and builds the server over a loaded snapshot.
    pub fn build(settings: &Settings, state: AppState) -> Result<Application, StartupError> {
        Application::serve(listen(settings)?, settings, state)
    }

    /// Builds the server on a bound listener over a loaded snapshot.
    pub fn serve(
        listener: TcpListener,
        settings: &Settings,
        state: AppState,
    ) -> Result<Application, StartupError> {
        let address = format!("{}:{}", settings.host, settings.port);
        let port = listener
            .local_addr()
            .map_err(|source| StartupError::Bind { address, source })?
            .port();
        let server = run(listener, state, settings).map_err(|source| StartupError::Bind {
            address: format!("{}:{port}", settings.host),
            source,
        })?;
        Ok(Application { port, server })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until the process is stopped (SIGINT/SIGTERM shut it down gracefully).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// The server on an already bound listener.
pub fn run(listener: TcpListener, state: AppState, settings: &Settings) -> std::io::Result<Server> {
    let timeout = std::time::Duration::from_millis(settings.request_timeout_ms.max(1));
    let write_timeout = std::time::Duration::from_millis(settings.write_timeout_ms.max(1));
    let state = web::Data::new(state);
    // One cache for every worker: a response computed by one is served by all.
    let cache = web::Data::new(ResponseCache::default());
    let limits = web::Data::new(settings.limits());
    let origin = web::Data::new(settings.origin());
    let mut server = HttpServer::new(move || {
        let (app, mut api) = App::new()
            .into_utoipa_app()
            .openapi(ApiDoc::openapi())
            .configure(routes::configure)
            .split_for_parts();
        document_refusals(&mut api);
        let parameters = QueryParameters::from_openapi(&api);
        let mut known = KnownPaths::from_openapi(&api);
        known.0.extend(
            dashboard::paths()
                .into_iter()
                .map(|path| (path.to_owned(), vec!["GET", "HEAD"])),
        );
        app.app_data(state.clone())
            .app_data(cache.clone())
            .app_data(limits.clone())
            .app_data(origin.clone())
            .app_data(web::Data::new(known))
            .app_data(web::Data::new(parameters))
            .app_data(web::QueryConfig::default().error_handler(|e, _| extractor_error(e)))
            .app_data(web::PathConfig::default().error_handler(|e, _| extractor_error(e)))
            .app_data(
                web::JsonConfig::default()
                    .limit(MAX_BODY_BYTES)
                    .error_handler(|e, _| json_error(e)),
            )
            .app_data(web::PayloadConfig::new(MAX_BODY_BYTES))
            .configure(dashboard::configure)
            .service(web::redirect("/swagger-ui", "/swagger-ui/").permanent())
            .service(SwaggerUi::new("/swagger-ui/{_:.*}").url("/api-docs/openapi.json", api))
            .default_service(web::to(middleware::fallback))
            // Innermost first: responses are compressed once, then cached in each encoding.
            .wrap(Compress::default())
            .wrap(from_fn(memo::memo))
            // Outside the cache: a request waiting for an identical one is bounded too.
            .wrap(from_fn(limits::limit))
            .wrap(from_fn(middleware::check_query))
            .wrap(from_fn(middleware::caching))
            .wrap(from_fn(middleware::rewrite))
            .wrap(
                Cors::default()
                    .allow_any_origin()
                    .allowed_methods(["GET"])
                    .expose_headers(["ETag"])
                    .max_age(3600),
            )
            .wrap(from_fn(middleware::problems))
            .wrap(from_fn(middleware::access_log))
    })
    .client_request_timeout(timeout)
    .keep_alive(timeout)
    .client_disconnect_timeout(std::time::Duration::from_secs(1))
    // The write deadline: actix has none, so a client that reads nothing would hold its
    // connection (and the response's buffers) for ever. The kernel aborts a connection whose
    // sent data, or zero-window probes, go unacknowledged this long.
    .on_connect(move |connection, _| write_deadline(connection, write_timeout))
    .max_connections(usize::try_from(settings.max_connections).unwrap_or(256))
    .listen(listener)?
    .shutdown_timeout(10);
    if let Some(workers) = settings.workers {
        server = server.workers(workers.max(1));
    }
    Ok(server.run())
}

/// Sets TCP_USER_TIMEOUT on an accepted connection (see [`run`]).
fn write_deadline(connection: &dyn std::any::Any, deadline: std::time::Duration) {
    if let Some(stream) = connection.downcast_ref::<actix_web::rt::net::TcpStream>()
        && let Err(error) = socket2::SockRef::from(stream).set_tcp_user_timeout(Some(deadline))
    {
        log::warn!("cannot set the write deadline of a connection: {error}");
    }
}
