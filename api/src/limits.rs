//! Time limits on requests: how long a client may take to send its body (408, connection
//! closed), and how long the whole request may take before a 503. Both are settings
//! (`BODY_TIMEOUT_MS`, `TIME_LIMIT_MS`).
//!
//! actix-web itself bounds only the request head (`client_request_timeout`) and idle
//! keep-alive connections: a client declaring `Content-Length: 100` and sending 2 bytes would
//! otherwise hold its connection, and a file descriptor, for ever.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::web::{Bytes, Data};
use actix_web::{HttpMessage, HttpRequest};
use futures_core::Stream;

use crate::error::ApiError;

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Longest time to receive a request body, from the end of its head.
    pub body_timeout: Duration,
    /// Longest time to answer a request, from the end of its head.
    pub time_limit: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body_timeout: Duration::from_secs(5),
            time_limit: Duration::from_secs(10),
        }
    }
}

/// When the request's time is up; work not started by then is not started at all.
#[derive(Debug, Clone, Copy)]
pub struct Deadline(pub Instant);

/// The request's deadline (the default limit from now outside the middleware, as in tests).
pub fn deadline(request: &HttpRequest) -> Instant {
    request
        .extensions()
        .get::<Deadline>()
        .map(|d| d.0)
        .unwrap_or_else(|| Instant::now() + Limits::default().time_limit)
}

/// A request body that fails with `TimedOut` once its time is up.
struct TimedPayload {
    inner: Payload,
    sleep: Pin<Box<actix_web::rt::time::Sleep>>,
    limit: Duration,
}

impl Stream for TimedPayload {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Poll::Ready(item) = Pin::new(&mut self.inner).poll_next(cx) {
            return Poll::Ready(item);
        }
        if self.sleep.as_mut().poll(cx).is_ready() {
            let message = format!(
                "the request body was not received within {} ms",
                self.limit.as_millis()
            );
            return Poll::Ready(Some(Err(PayloadError::Io(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                message,
            )))));
        }
        Poll::Pending
    }
}

/// Whether the request announces a body: a non-zero `Content-Length`, or chunked encoding.
fn has_body(req: &ServiceRequest) -> bool {
    let headers = req.headers();
    let length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .map(str::trim);
    headers.contains_key(header::TRANSFER_ENCODING) || length.is_some_and(|l| l != "0")
}

/// Bounds the time to read the body and to answer the whole request.
pub async fn limit(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let limits = req
        .app_data::<Data<Limits>>()
        .map(|l| *l.get_ref())
        .unwrap_or_default();
    let started = Instant::now();
    req.extensions_mut()
        .insert(Deadline(started + limits.time_limit));
    // Only a request that announces a body gets its reading timed (GETs pay nothing).
    if has_body(&req) {
        let timed = TimedPayload {
            inner: req.take_payload(),
            sleep: Box::pin(actix_web::rt::time::sleep(limits.body_timeout)),
            limit: limits.body_timeout,
        };
        let boxed: Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>> = Box::pin(timed);
        req.set_payload(Payload::from(boxed));
    }
    match actix_web::rt::time::timeout(limits.time_limit, next.call(req)).await {
        Ok(response) => Ok(response?.map_into_boxed_body()),
        // The request (and any render it waits for) is dropped: a render not started yet
        // never starts.
        Err(_) => Err(ApiError::Unavailable(format!(
            "the request took longer than {} ms: it was abandoned",
            limits.time_limit.as_millis()
        ))
        .into()),
    }
}
