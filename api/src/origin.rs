//! The origin (`scheme://host`) of the absolute URLs the pages print, for slides.
//!
//! `Forwarded` and `X-Forwarded-*` are set by whoever sends the request, so they are trusted
//! only when a setting says a proxy overwrites them (`TRUST_PROXY`), or replaced by a fixed
//! origin (`PUBLIC_URL`). Otherwise the URLs use the `Host` the client connected to. Schemes
//! other than http and https, and hosts with other characters than a host name or address may
//! hold, are never printed.

use actix_web::HttpRequest;
use actix_web::http::header;

/// Where the absolute URLs point to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Origin {
    /// The `Host` header of the request (the address the client used).
    #[default]
    Connection,
    /// The forwarded host and scheme, from a trusted reverse proxy.
    TrustProxy,
    /// A fixed `scheme://host[:port]`.
    Fixed(String),
}

fn valid_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']' | '_'))
}

/// Accepts `http(s)://host[:port]` (a trailing slash is dropped), for `PUBLIC_URL`.
pub fn parse_public_url(text: &str) -> Result<String, String> {
    let trimmed = text.trim().trim_end_matches('/');
    let host = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"))
        .ok_or_else(|| format!("'{text}' must start with http:// or https://"))?;
    if !valid_host(host) {
        return Err(format!(
            "'{text}' must be scheme://host[:port], without a path"
        ));
    }
    Ok(trimmed.to_owned())
}

/// The request's own host: its `Host` header, else the server's address.
fn connection_host(request: &HttpRequest) -> String {
    request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| request.uri().authority().map(|a| a.as_str()))
        .filter(|h| valid_host(h))
        .map_or_else(|| request.app_config().host().to_owned(), str::to_owned)
}

/// `scheme://host` for the absolute URLs printed in answer to `request`.
pub fn of(origin: &Origin, request: &HttpRequest) -> String {
    match origin {
        Origin::Fixed(url) => url.clone(),
        Origin::Connection => format!("http://{}", connection_host(request)),
        Origin::TrustProxy => {
            let info = request.connection_info();
            let scheme = match info.scheme() {
                "https" => "https",
                _ => "http",
            };
            let host = Some(info.host())
                .filter(|h| valid_host(h))
                .map_or_else(|| connection_host(request), str::to_owned);
            format!("{scheme}://{host}")
        }
    }
}

/// `scheme://host` for `request`, by the server's setting.
pub fn for_request(request: &HttpRequest) -> String {
    let origin = request
        .app_data::<actix_web::web::Data<Origin>>()
        .map(|o| o.get_ref().clone())
        .unwrap_or_default();
    of(&origin, request)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_urls_are_http_or_https_origins() {
        assert_eq!(
            parse_public_url("https://elexxion.example/"),
            Ok("https://elexxion.example".to_owned())
        );
        assert!(parse_public_url("javascript://x").is_err());
        assert!(parse_public_url("https://x.example/path").is_err());
        assert!(parse_public_url("x.example").is_err());
    }

    #[test]
    fn hosts_hold_only_host_characters() {
        assert!(valid_host("127.0.0.1:8080"));
        assert!(valid_host("[::1]:8080"));
        assert!(!valid_host("evil.example/\"><script>"));
        assert!(!valid_host(""));
    }
}
