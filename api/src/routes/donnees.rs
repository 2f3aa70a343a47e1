//! `/donnees/elexxion.db`: the SQLite database the API answers from, to open in sqlite3, DB
//! Browser for SQLite, pandas (`pandas.read_sql`) or any SQLite client.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};

use crate::state::AppState;

/// The media type of SQLite files (IANA).
pub const SQLITE: &str = "application/vnd.sqlite3";

/// The whole SQLite database, as loaded by the API (a consistent copy made at start-up):
/// every table of the ETL and the models. Strong `ETag` from the data version. Open it with
/// `sqlite3 elexxion.db`, DB Browser for SQLite, or `pandas.read_sql("SELECT * FROM
/// resultats", sqlite3.connect("elexxion.db"))`. Licences: see the README's data section.
#[utoipa::path(
    operation_id = "get_database",
    tag = "service",
    responses(
        (status = 200, description = "The SQLite file", content((Vec<u8> = "application/vnd.sqlite3"))),
    )
)]
#[get("/donnees/elexxion.db")]
pub async fn base(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(SQLITE)
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"elexxion.db\"",
        ))
        .insert_header((
            header::ETAG,
            format!("\"{}-sqlite\"", state.snapshot.version),
        ))
        .body(web::Bytes::from_owner(state.database.clone()))
}
