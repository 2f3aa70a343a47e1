//! The access log: one line per request, in the shape of actix-web's default `Logger`
//! (`%a "%r" %s %b "%{Referer}i" "%{User-Agent}i" %T`), at `info` under the target `access`.
//!
//! Not actix-web's `Logger`: it wraps every response body in a stream that counts the bytes
//! sent, and that wrapper cost `/health` a third of its throughput (measured with `bench/load.sh`
//! against the bare actix-web server: 0.65 of it with the `Logger`, 0.89 without). Here the
//! body is left alone: the size is the one the response declares (`-` for a streamed body, the
//! database download), the time is until the response's head is ready (the body of every
//! response but the download is already in memory then).

use std::fmt::Write;
use std::time::Instant;

use actix_web::body::{BodySize, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;

/// The log target of the access lines (`RUST_LOG=access=warn` silences them).
pub const ACCESS_TARGET: &str = "access";

/// Room for a usual line (a long query or user agent grows it once).
const LINE: usize = 192;

pub async fn access_log(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if !log::log_enabled!(target: ACCESS_TARGET, log::Level::Info) {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let started = Instant::now();
    // The line is written as the request's parts are at hand, into one string: what the
    // response adds (status, size) goes in before the referer, once it is known. Formatting
    // it with `format_args!` (cloned headers and URI, a float with a precision) cost `/health`
    // a tenth of its throughput (`bench/load.sh`, with and without `RUST_LOG=access=warn`).
    let mut line = String::with_capacity(LINE);
    match req.peer_addr() {
        Some(address) => {
            let _ = write!(line, "{}", address.ip());
        }
        None => line.push('-'),
    }
    line.push_str(" \"");
    line.push_str(req.method().as_str());
    line.push(' ');
    crate::origin::push_target(&mut line, req.uri());
    let _ = write!(line, " {:?}\" ", req.version());
    let middle = line.len();
    for name in [header::REFERER, header::USER_AGENT] {
        line.push_str(" \"");
        line.push_str(
            req.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-"),
        );
        line.push('"');
    }
    let res = next.call(req).await;
    let (status, size) = match &res {
        Ok(res) => (res.status(), res.response().body().size()),
        Err(error) => {
            let response = error.error_response();
            (response.status(), response.body().size())
        }
    };
    let mut numbers = itoa::Buffer::new();
    let mut answer = String::with_capacity(24);
    answer.push_str(numbers.format(status.as_u16()));
    answer.push(' ');
    match size {
        BodySize::None => answer.push('0'),
        BodySize::Sized(n) => answer.push_str(numbers.format(n)),
        BodySize::Stream => answer.push('-'),
    }
    line.insert_str(middle, &answer);
    // Seconds with six decimals, from whole microseconds (rounded).
    let micros = (started.elapsed().as_nanos() + 500) / 1000;
    line.push(' ');
    line.push_str(numbers.format(micros / 1_000_000));
    line.push('.');
    let fraction = numbers.format(micros % 1_000_000);
    line.extend(std::iter::repeat_n('0', 6 - fraction.len()));
    line.push_str(fraction);
    crate::journal::access(&line);
    Ok(res?.map_into_boxed_body())
}
