//! Request rewriting before the routes: canonical paths (no trailing slash), image
//! suffixes (`.png`, `.svg`) as the `format` parameter, HEAD answered as GET.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{HttpResponse, ResponseError};

use crate::error::ApiError;

/// The canonical form of a path with a trailing slash: without it (`/swagger-ui/` and `/`
/// excepted). `None` when the path is already canonical. Always a path on this server:
/// leading slashes and backslashes collapse into one slash, since `//host/` and `/\host/`
/// in a `Location` send browsers to another host.
fn without_trailing_slash(path: &str) -> Option<String> {
    if path == "/" || path.starts_with("/swagger-ui/") || !path.ends_with('/') {
        return None;
    }
    let trimmed = path.trim_start_matches(['/', '\\']).trim_end_matches('/');
    Some(format!("/{trimmed}"))
}

/// The query of `<path>.<suffix>?<query>` for `<path>?<query>&format=<suffix>`: a `format`
/// already there must be one of `compatible` (it is then kept, not repeated).
fn with_format(query: &str, suffix: &str, compatible: &[&str]) -> Result<String, ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    match pairs.iter().find(|(name, _)| name == "format") {
        Some((_, value)) if compatible.contains(&value.trim()) => Ok(query.to_owned()),
        Some((_, value)) => Err(ApiError::parameter(
            "format",
            format!("parameter 'format={value}' contradicts the path's .{suffix} suffix"),
            Some(compatible.iter().map(|f| (*f).to_owned()).collect()),
        )),
        None if query.is_empty() => Ok(format!("format={suffix}")),
        None => Ok(format!("{query}&format={suffix}")),
    }
}

/// The list endpoints, which answer CSV: `/<list>.csv` is `/<list>?format=csv`.
pub const LISTES_CSV: [&str; 17] = [
    "/departements",
    "/circonscriptions",
    "/correlations/circonscriptions",
    "/departements/{code}/chomage",
    "/indicateurs",
    "/indicateurs/socio-economiques",
    "/correlations",
    "/regions",
    "/familles",
    "/elections",
    "/nuances",
    "/sieges",
    "/models",
    "/predictions",
    "/previsions",
    "/previsions/circonscriptions",
    "/variables",
];

/// Whether `path` (without its `.csv`) is a list endpoint.
fn est_une_liste(path: &str) -> bool {
    LISTES_CSV.iter().any(|pattern| {
        let (a, b): (Vec<&str>, Vec<&str>) =
            (pattern.split('/').collect(), path.split('/').collect());
        a.len() == b.len()
            && a.iter()
                .zip(&b)
                .all(|(x, y)| x == y || (x.starts_with('{') && !y.is_empty()))
    })
}

/// Answers a request with an error, before it reaches a route.
fn refuse(req: ServiceRequest, error: &ApiError) -> ServiceResponse<BoxBody> {
    let (request, _) = req.into_parts();
    ServiceResponse::new(request, error.error_response())
}

/// - A path with a trailing slash is redirected (308) to the path without it, on every route:
///   one URL per resource, for caches and for the ETag.
/// - `/charts/x.png` is `/charts/x?format=png` (and `.svg` likewise): slide tools and e-mail
///   clients want a URL that ends like an image.
/// - `/departements.csv` is `/departements?format=csv`, on every list endpoint
///   ([`LISTES_CSV`], Datasette's convention); on anything else `.csv` is a 404 problem.
/// - HEAD is answered like GET; the HTTP layer sends the headers (`Content-Length` included)
///   without the body (link checkers and slide tools send HEAD).
pub async fn rewrite(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if let Some(canonical) = without_trailing_slash(req.path()) {
        let location = match req.query_string() {
            "" => canonical,
            query => format!("{canonical}?{query}"),
        };
        let (request, _) = req.into_parts();
        let response = HttpResponse::PermanentRedirect()
            .insert_header((header::LOCATION, location))
            .finish();
        return Ok(ServiceResponse::new(request, response));
    }
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    // A format suffix: (the path without it, the format it means, the `format` values it
    // agrees with).
    let path = req.path().to_owned();
    let suffix: Option<(&str, &str, &[&str])> = if path.starts_with("/charts/") {
        [("svg", &["svg"][..]), ("png", &["png"][..])]
            .into_iter()
            .find_map(|(f, ok)| Some((path.strip_suffix(&format!(".{f}")[..])?, f, ok)))
    } else if let Some(list) = path.strip_suffix(".csv") {
        if !est_une_liste(list) {
            let error = ApiError::NotFound(format!(
                "'{path}': the .csv suffix works on the list endpoints only: {}",
                LISTES_CSV.join(", ")
            ));
            return Ok(refuse(req, &error));
        }
        Some((list, "csv", &["csv", "csv-excel"][..]))
    } else {
        None
    };
    if let Some((base, format, compatible)) = suffix {
        let query = match with_format(req.query_string(), format, compatible) {
            Ok(query) => query,
            Err(error) => return Ok(refuse(req, &error)),
        };
        if let Ok(uri) = format!("{base}?{query}").parse::<actix_web::http::Uri>() {
            req.match_info_mut().get_mut().update(&uri);
            req.head_mut().uri = uri;
        }
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_slashes_are_dropped_but_on_swagger_ui() {
        assert_eq!(
            without_trailing_slash("/departements/59/").as_deref(),
            Some("/departements/59")
        );
        assert_eq!(
            without_trailing_slash("/health//").as_deref(),
            Some("/health")
        );
        // Never another host.
        for path in [
            "//evil.example/",
            "/\\evil.example/",
            "/\\/evil.example/",
            "///evil.example//",
        ] {
            assert_eq!(
                without_trailing_slash(path).as_deref(),
                Some("/evil.example"),
                "{path}"
            );
        }
        assert_eq!(without_trailing_slash("//").as_deref(), Some("/"));
        assert_eq!(without_trailing_slash("/"), None);
        assert_eq!(without_trailing_slash("/swagger-ui/"), None);
        assert_eq!(without_trailing_slash("/health"), None);
    }

    #[test]
    fn a_suffix_and_the_same_format_agree() {
        assert_eq!(
            with_format("", "png", &["png"]).ok(),
            Some("format=png".into())
        );
        assert_eq!(
            with_format("format=png", "png", &["png"]).ok(),
            Some("format=png".into())
        );
        assert_eq!(
            with_format("x=1", "svg", &["svg"]).ok(),
            Some("x=1&format=svg".into())
        );
        assert!(with_format("format=svg", "png", &["png"]).is_err());
    }

    #[test]
    fn csv_suffixes_work_on_lists_only() {
        assert!(est_une_liste("/departements"));
        assert!(est_une_liste("/departements/2A/chomage"));
        assert!(!est_une_liste("/departements/59"));
        assert!(!est_une_liste("/departements//chomage"));
        assert!(!est_une_liste("/health"));
        let csv = |q: &str| with_format(q, "csv", &["csv", "csv-excel"]);
        assert_eq!(csv("").ok(), Some("format=csv".into()));
        assert_eq!(csv("q=nord").ok(), Some("q=nord&format=csv".into()));
        assert_eq!(
            csv("format=csv-excel").ok(),
            Some("format=csv-excel".into())
        );
        assert!(csv("format=json").is_err());
    }
}
