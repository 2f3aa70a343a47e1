//! The access log: one line per request, in the shape of actix-web's default `Logger`
//! (`%a "%r" %s %b "%{Referer}i" "%{User-Agent}i" %T`), at `info` under the target `access`.
//!
//! Not actix-web's `Logger`: it wraps every response body in a stream that counts the bytes
//! sent, and that wrapper cost `/health` a third of its throughput (measured with `bench/load.sh`
//! against the bare actix-web server: 0.65 of it with the `Logger`, 0.89 without). Here the
//! body is left alone: the size is the one the response declares (`-` for a streamed body, the
//! database download), the time is until the response's head is ready (the body of every
//! response but the download is already in memory then).

use std::time::Instant;

use actix_web::body::{BodySize, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;

/// The log target of the access lines (`RUST_LOG=access=warn` silences them).
pub const ACCESS_TARGET: &str = "access";

pub async fn access_log(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if !log::log_enabled!(target: ACCESS_TARGET, log::Level::Info) {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let started = Instant::now();
    // Cheap clones (shared bytes), formatted once, in the line.
    let (referer, agent) = (
        req.headers().get(header::REFERER).cloned(),
        req.headers().get(header::USER_AGENT).cloned(),
    );
    let text = |value: &Option<HeaderValue>| {
        value
            .as_ref()
            .and_then(|v| v.to_str().ok())
            .unwrap_or("-")
            .to_owned()
    };
    let peer = req.peer_addr();
    let (method, uri, version) = (req.method().clone(), req.uri().clone(), req.version());
    let res = next.call(req).await;
    let (status, size) = match &res {
        Ok(res) => (res.status(), res.response().body().size()),
        Err(error) => {
            let response = error.error_response();
            (response.status(), response.body().size())
        }
    };
    let size = match size {
        BodySize::None => Some(0),
        BodySize::Sized(n) => Some(n),
        BodySize::Stream => None,
    };
    crate::journal::access(format_args!(
        "{} \"{method} {uri} {version:?}\" {} {} \"{}\" \"{}\" {:.6}",
        OrDash(peer),
        status.as_u16(),
        OrDash(size),
        text(&referer),
        text(&agent),
        started.elapsed().as_secs_f64()
    ));
    Ok(res?.map_into_boxed_body())
}

/// A value, or `-` when there is none (a peer address's IP, a body's size).
struct OrDash<T>(Option<T>);

impl std::fmt::Display for OrDash<std::net::SocketAddr> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(address) => write!(f, "{}", address.ip()),
            None => f.write_str("-"),
        }
    }
}

impl std::fmt::Display for OrDash<u64> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(n) => write!(f, "{n}"),
            None => f.write_str("-"),
        }
    }
}
