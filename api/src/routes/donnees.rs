//! `/donnees/elexxion.db`: the SQLite database the API answers from, to open in sqlite3, DB
//! Browser for SQLite, pandas (`pandas.read_sql`) or any SQLite client.

use actix_web::body::SizedStream;
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
    let size = state.database.len() as u64;
    HttpResponse::Ok()
        .content_type(SQLITE)
        // Never compressed: a per-request compression of 13 MB held memory for each client.
        // The marker is taken off by `middleware::caching` once the compressor has seen it.
        .insert_header((header::CONTENT_ENCODING, "identity"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"elexxion.db\"",
        ))
        .insert_header((
            header::ETAG,
            format!("\"{}-sqlite\"", state.snapshot.version),
        ))
        .body(SizedStream::new(
            size,
            Slices {
                bytes: web::Bytes::from_owner(state.database.clone()),
            },
        ))
}

/// How much of the database is handed to the connection at a time. The HTTP layer copies a
/// body into its write buffer as it goes: in slices, a client that reads nothing holds
/// about one slice beside its buffer, not a copy of the whole file.
const SLICE: usize = 64 * 1024;

/// The shared bytes of the database, in slices that borrow them (no copy).
struct Slices {
    bytes: web::Bytes,
}

impl futures_core::Stream for Slices {
    type Item = Result<web::Bytes, actix_web::Error>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        if self.bytes.is_empty() {
            return std::task::Poll::Ready(None);
        }
        let n = SLICE.min(self.bytes.len());
        std::task::Poll::Ready(Some(Ok(self.bytes.split_to(n))))
    }
}
