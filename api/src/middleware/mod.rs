//! Cross-cutting HTTP behaviour: validators and caching headers on GET responses,
//! `nosniff` everywhere, query limits, problem+json for unknown routes and methods;
//! [`rewrite`] (canonical paths, image suffixes, HEAD) and [`problems`] (every refusal a
//! problem) in their own modules.

mod access;
mod problems;
mod rewrite;

pub use access::{ACCESS_TARGET, access_log};
pub use problems::problems;
pub use rewrite::rewrite;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};

use crate::error::ApiError;
use crate::state::AppState;

/// The data only changes with a new ETL run and a restart; clients revalidate after an hour.
pub const CACHE_CONTROL: &str = "public, max-age=3600";

/// Route templates of the API (`/departements/{code}`) and their methods, to tell 405 from 404.
#[derive(Debug, Clone, Default)]
pub struct KnownPaths(pub Vec<(String, Vec<&'static str>)>);

fn matches(template: &str, path: &str) -> bool {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    // `/` as a template is one empty segment, like the path `/` (PUT / was a 404).
    let parts: Vec<&str> = template.trim_end_matches('/').split('/').collect();
    parts.len() == segments.len()
        && parts
            .iter()
            .zip(&segments)
            .all(|(t, s)| (t.starts_with('{') && t.ends_with('}') && !s.is_empty()) || t == s)
}

impl KnownPaths {
    /// From the OpenAPI document: every path and the methods it answers.
    pub fn from_openapi(api: &utoipa::openapi::OpenApi) -> KnownPaths {
        KnownPaths(
            api.paths
                .paths
                .iter()
                .map(|(path, item)| {
                    let mut methods = Vec::new();
                    if item.get.is_some() {
                        methods.extend(["GET", "HEAD"]);
                    }
                    if item.post.is_some() {
                        methods.push("POST");
                    }
                    (path.clone(), methods)
                })
                .collect(),
        )
    }

    /// The methods a concrete path answers, when it matches a template.
    pub fn methods(&self, path: &str) -> Option<&[&'static str]> {
        self.0
            .iter()
            .find(|(template, _)| matches(template, path))
            .map(|(_, methods)| methods.as_slice())
    }
}

/// The query parameters each GET operation declares in the OpenAPI document.
#[derive(Debug, Clone, Default)]
pub struct QueryParameters(pub Vec<(String, Vec<String>)>);

impl QueryParameters {
    pub fn from_openapi(api: &utoipa::openapi::OpenApi) -> QueryParameters {
        use utoipa::openapi::path::ParameterIn;
        QueryParameters(
            api.paths
                .paths
                .iter()
                .filter_map(|(path, item)| {
                    let names = item
                        .get
                        .as_ref()?
                        .parameters
                        .iter()
                        .flatten()
                        .filter_map(|p| match p {
                            utoipa::openapi::RefOr::T(p)
                                if matches!(p.parameter_in, ParameterIn::Query) =>
                            {
                                Some(p.name.clone())
                            }
                            _ => None,
                        })
                        .collect();
                    Some((path.clone(), names))
                })
                .collect(),
        )
    }

    fn of(&self, path: &str) -> &[String] {
        self.0
            .iter()
            .find(|(template, _)| matches(template, path))
            .map_or(&[], |(_, names)| names.as_slice())
    }
}

fn etag_matches(if_none_match: &str, etag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    if_none_match.trim() == "*"
        || if_none_match
            .split(',')
            .any(|candidate| bare(candidate) == bare(etag))
}

/// Adds `ETag` (data version + representation) and `Cache-Control` to successful GET
/// responses and answers `304 Not Modified` when `If-None-Match` already has it.
pub async fn caching(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let is_read = req.method() == Method::GET || req.method() == Method::HEAD;
    let if_none_match = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let trusts_proxy = req
        .app_data::<web::Data<crate::origin::Origin>>()
        .is_some_and(|o| *o.get_ref() == crate::origin::Origin::TrustProxy);
    let mut res = next.call(req).await?.map_into_boxed_body();
    res.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // `Content-Encoding: identity` only told the compressor to leave a body alone.
    let identity = res
        .headers()
        .get(header::CONTENT_ENCODING)
        .is_some_and(|v| v == "identity");
    if identity {
        res.headers_mut().remove(header::CONTENT_ENCODING);
    }
    let coding = res
        .headers()
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    // Pages print URLs built from the forwarded headers when the proxy is trusted: a shared
    // cache must keep one copy per value.
    let is_page = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let mut extra: Vec<&str> = Vec::new();
    if !identity {
        extra.push("Accept-Encoding");
    }
    if trusts_proxy && is_page {
        extra.extend(["Forwarded", "X-Forwarded-Host", "X-Forwarded-Proto"]);
    }
    one_vary(res.headers_mut(), &extra);
    let Some(state) = state else {
        return Ok(res);
    };
    let version = &state.snapshot.version;
    if !is_read || res.status() != StatusCode::OK {
        return Ok(res);
    }
    // A handler may set a more precise ETag (charts: data version + parameters).
    let etag = match res
        .headers()
        .get(header::ETAG)
        .and_then(|v| v.to_str().ok())
    {
        Some(own) => own.to_owned(),
        None => {
            let content_type = res
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let kind = content_type
                .split(';')
                .next()
                .unwrap_or("")
                .rsplit('/')
                .next()
                .unwrap_or("");
            // `W/"version-kind"`, the kind's letters and digits only; written in place (the
            // formatted tag was a third of this layer's cost on `/health`).
            let mut etag = String::with_capacity(version.len() + kind.len() + 6);
            etag.push_str("W/\"");
            etag.push_str(version);
            etag.push('-');
            etag.extend(kind.chars().filter(char::is_ascii_alphanumeric));
            etag.push('"');
            etag
        }
    };
    // One representation, one tag: a gzip body and an identity one differ.
    let etag = match &coding {
        Some(coding) if etag.ends_with('"') => {
            format!("{}-{coding}\"", &etag[..etag.len() - 1])
        }
        _ => etag,
    };
    let Ok(etag_value) = HeaderValue::from_str(&etag) else {
        return Ok(res);
    };
    let cache_control = res
        .headers()
        .get(header::CACHE_CONTROL)
        .cloned()
        .unwrap_or(HeaderValue::from_static(CACHE_CONTROL));
    if if_none_match.is_some_and(|inm| etag_matches(&inm, &etag)) {
        let vary = res.headers().get(header::VARY).cloned();
        let (request, _) = res.into_parts();
        let mut not_modified = HttpResponse::NotModified();
        if let Some(vary) = vary {
            not_modified.insert_header((header::VARY, vary));
        }
        let not_modified = not_modified
            .insert_header((header::ETAG, etag_value))
            .insert_header((header::CACHE_CONTROL, cache_control))
            .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .finish();
        return Ok(ServiceResponse::new(request, not_modified));
    }
    res.headers_mut().insert(header::ETAG, etag_value);
    res.headers_mut()
        .insert(header::CACHE_CONTROL, cache_control);
    Ok(res)
}

/// Merges every `Vary` of a response and `extra` into one header, each name once. (The CORS
/// layer outside reads only the first `Vary`: the compressor's `accept-encoding`, appended as
/// a second one, was lost.)
fn one_vary(headers: &mut header::HeaderMap, extra: &[&str]) {
    let mut values = headers
        .get_all(header::VARY)
        .filter_map(|v| v.to_str().ok());
    // The common case: one `Vary`, already as it would be written (`a, b`: names once, no
    // empty one), naming every extra one. Left as it is, without building it again.
    if let (Some(only), None) = (values.next(), values.next()) {
        let names = || only.split(", ");
        let written = names().enumerate().all(|(i, name)| {
            !name.is_empty()
                && !name.contains(',')
                && name.trim() == name
                && !names().take(i).any(|n| n.eq_ignore_ascii_case(name))
        });
        if written
            && extra
                .iter()
                .all(|e| e.is_empty() || names().any(|n| n.eq_ignore_ascii_case(e)))
        {
            return;
        }
    }
    let mut names: Vec<String> = Vec::new();
    let given: Vec<String> = headers
        .get_all(header::VARY)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|n| n.trim().to_owned())
        .collect();
    for name in given
        .iter()
        .map(String::as_str)
        .chain(extra.iter().copied())
    {
        if !name.is_empty() && !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            names.push(name.to_owned());
        }
    }
    if names.is_empty() {
        return;
    }
    if let Ok(value) = HeaderValue::from_str(&names.join(", ")) {
        headers.insert(header::VARY, value);
    }
}

/// Parameters whose empty value means something (no search text, the default title).
const MAY_BE_EMPTY: [&str; 2] = ["q", "title"];

/// The first declared query parameter given with an empty value. Leaving a parameter out
/// selects its default; `?tour=` is refused rather than guessed, as the OpenAPI patterns say.
/// Parameters an operation does not declare are ignored, and the dashboard's HTML pages (whose
/// forms send empty fields) declare none.
fn empty_parameter(declared: &[String], query: &str) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).ok()?;
    pairs
        .into_iter()
        .find(|(name, value)| {
            value.trim().is_empty()
                && declared.contains(name)
                && !MAY_BE_EMPTY.contains(&name.as_str())
        })
        .map(|(name, _)| name)
}

/// Longest query string accepted. The longest legitimate one, a chart with a 200-character
/// title in a non-Latin script, percent-encoded, is about 2.5 KiB.
pub const MAX_QUERY_BYTES: usize = 4096;

/// Refuses query strings over [`MAX_QUERY_BYTES`] (414) and empty declared parameters (400,
/// see [`empty_parameter`]).
pub async fn check_query(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let length = req.query_string().len();
    if length > MAX_QUERY_BYTES {
        let error = ApiError::UriTooLong(format!(
            "the query string is {length} bytes long; the limit is {MAX_QUERY_BYTES}"
        ));
        let (request, _) = req.into_parts();
        return Ok(ServiceResponse::new(request, error.error_response()));
    }
    let empty = (!req.query_string().is_empty())
        .then(|| req.app_data::<web::Data<QueryParameters>>())
        .flatten()
        .and_then(|q| empty_parameter(q.of(req.path()), req.query_string()));
    if let Some(name) = empty {
        let error = ApiError::parameter(
            &name,
            format!("parameter '{name}' is empty: leave it out to use its default"),
            None,
        );
        let (request, _) = req.into_parts();
        return Ok(ServiceResponse::new(request, error.error_response()));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// The default service: 405 for a known path with another method, 404 otherwise.
pub async fn fallback(
    req: HttpRequest,
    paths: web::Data<KnownPaths>,
) -> Result<HttpResponse, ApiError> {
    Err(match paths.methods(req.path()) {
        Some(methods) => ApiError::MethodNotAllowed {
            detail: format!(
                "method {} is not allowed on {}; it answers {}",
                req.method(),
                req.path(),
                methods.join(", ")
            ),
            allow: methods.join(", "),
        },
        None => ApiError::NotFound(format!(
            "no resource at {}; see /swagger-ui/ for the list of endpoints",
            req.path()
        )),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_vary_merges_and_writes_each_name_once() {
        let vary = |given: &[&str], extra: &[&str]| {
            let mut headers = header::HeaderMap::new();
            for g in given {
                headers.append(header::VARY, HeaderValue::from_str(g).unwrap());
            }
            one_vary(&mut headers, extra);
            let all: Vec<String> = headers
                .get_all(header::VARY)
                .map(|v| v.to_str().unwrap().to_owned())
                .collect();
            all
        };
        assert_eq!(
            vary(&["Accept"], &["Accept-Encoding"]),
            ["Accept, Accept-Encoding"]
        );
        assert_eq!(
            vary(&["Accept, Accept-Encoding"], &["accept-encoding"]),
            ["Accept, Accept-Encoding"]
        );
        assert_eq!(
            vary(&["Accept,Accept-Encoding"], &[]),
            ["Accept, Accept-Encoding"]
        );
        assert_eq!(vary(&["Accept, accept"], &[]), ["Accept"]);
        assert_eq!(vary(&["Accept, "], &[]), ["Accept"]);
        assert_eq!(vary(&["Accept", "Origin"], &["Accept"]), ["Accept, Origin"]);
        assert!(vary(&[], &[]).is_empty());
    }

    #[test]
    fn templates_match_concrete_paths() {
        let known = KnownPaths(vec![
            ("/departements/{code}".into(), vec!["GET", "HEAD"]),
            ("/predict".into(), vec!["POST"]),
        ]);
        assert_eq!(
            known.methods("/departements/59"),
            Some(&["GET", "HEAD"][..])
        );
        assert_eq!(known.methods("/predict/"), Some(&["POST"][..]));
        assert_eq!(known.methods("/departements/59/autre"), None);
        assert_eq!(known.methods("/nope"), None);
        let root = KnownPaths(vec![("/".into(), vec!["GET", "HEAD"])]);
        assert_eq!(root.methods("/"), Some(&["GET", "HEAD"][..]));
        assert_eq!(root.methods("/x"), None);
    }

    #[test]
    fn empty_declared_parameters_are_found() {
        let declared: Vec<String> = ["tour", "region", "q", "title"].map(String::from).to_vec();
        assert_eq!(
            empty_parameter(&declared, "tour=&region=32"),
            Some("tour".into())
        );
        assert_eq!(empty_parameter(&declared, "tour=%20"), Some("tour".into()));
        assert_eq!(empty_parameter(&declared, "q="), None);
        assert_eq!(empty_parameter(&declared, "title=&region=32"), None);
        assert_eq!(empty_parameter(&declared, "autre="), None);
        assert_eq!(empty_parameter(&[], "region="), None);
        assert_eq!(empty_parameter(&declared, ""), None);
    }

    #[test]
    fn if_none_match_lists_and_weak_tags() {
        assert!(etag_matches("W/\"abc-json\"", "W/\"abc-json\""));
        assert!(etag_matches("\"x\", W/\"abc-json\"", "W/\"abc-json\""));
        assert!(etag_matches("*", "W/\"abc-json\""));
        assert!(!etag_matches("W/\"old-json\"", "W/\"abc-json\""));
    }
}
