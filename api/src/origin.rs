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
fn connection_host(request: &HttpRequest) -> &str {
    request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| request.uri().authority().map(|a| a.as_str()))
        .filter(|h| valid_host(h))
        .unwrap_or_else(|| request.app_config().host())
}

/// `scheme://host` for the absolute URLs printed in answer to `request`.
pub fn of(origin: &Origin, request: &HttpRequest) -> String {
    let mut out = String::new();
    push(&mut out, origin, request);
    out
}

/// [`of`], written at the end of `out`.
fn push(out: &mut String, origin: &Origin, request: &HttpRequest) {
    match origin {
        Origin::Fixed(url) => out.push_str(url),
        Origin::Connection => {
            out.push_str("http://");
            out.push_str(connection_host(request));
        }
        Origin::TrustProxy => {
            let info = request.connection_info();
            out.push_str(match info.scheme() {
                "https" => "https://",
                _ => "http://",
            });
            out.push_str(
                Some(info.host())
                    .filter(|h| valid_host(h))
                    .unwrap_or_else(|| connection_host(request)),
            );
        }
    }
}

/// `scheme://host` for `request`, by the server's setting.
pub fn for_request(request: &HttpRequest) -> String {
    let mut out = String::new();
    push_for_request(&mut out, request);
    out
}

/// [`for_request`], written at the end of `out` (the response cache's key, for each
/// request).
pub fn push_for_request(out: &mut String, request: &HttpRequest) {
    match request.app_data::<actix_web::web::Data<Origin>>() {
        Some(origin) => push(out, origin.get_ref(), request),
        None => push(out, &Origin::default(), request),
    }
}

/// The request's target as the client wrote it (`/path?query`, or the absolute URI), at the
/// end of `out`: what `Uri`'s `Display` writes, without the formatter for the usual case.
pub fn push_target(out: &mut String, uri: &actix_web::http::Uri) {
    match uri.path_and_query() {
        Some(target) if uri.scheme().is_none() && uri.authority().is_none() => {
            out.push_str(target.as_str());
        }
        _ => {
            use std::fmt::Write;
            let _ = write!(out, "{uri}");
        }
    }
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

    /// The target is written as `Uri`'s `Display` writes it, in every form a request line
    /// may have.
    #[test]
    fn targets_are_written_as_displayed() {
        for text in [
            "/health",
            "/",
            "/charts/nuage.svg?x=taux_chomage&title=%C3%A9",
            "http://example.org:8080/a?b=c",
            "https://example.org",
            "*",
        ] {
            let uri: actix_web::http::Uri = text.parse().unwrap();
            let mut out = String::from("x");
            push_target(&mut out, &uri);
            assert_eq!(out, format!("x{uri}"), "{text}");
        }
    }

    #[test]
    fn hosts_hold_only_host_characters() {
        assert!(valid_host("127.0.0.1:8080"));
        assert!(valid_host("[::1]:8080"));
        assert!(!valid_host("evil.example/\"><script>"));
        assert!(!valid_host(""));
    }
}
