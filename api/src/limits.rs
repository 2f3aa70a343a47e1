//! Time limits on requests: how long a client may take to send its body (408, connection
//! closed; any route, whatever its framing, `Content-Length` or chunked), how large it may
//! be (413, connection closed), and how long the whole request may take before a 503. Both
//! times are settings (`BODY_TIMEOUT_MS`, `TIME_LIMIT_MS`).
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
use actix_web::{HttpMessage, HttpRequest, ResponseError};
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

/// The body of a refusal of a request body, holding the request's payload until it is sent
/// (see [`limit`]).
struct Refusal {
    text: Option<Bytes>,
    _held: Payload,
}

impl MessageBody for Refusal {
    type Error = std::convert::Infallible;

    fn size(&self) -> actix_web::body::BodySize {
        actix_web::body::BodySize::Sized(self.text.as_ref().map_or(0, |t| t.len() as u64))
    }

    fn poll_next(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        Poll::Ready(self.get_mut().text.take().map(Ok))
    }
}

/// A body already received, handed to the route as its payload.
struct Received(Option<Bytes>);

impl Stream for Received {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.0.take().map(Ok))
    }
}

/// Reads the whole body, at most `max` bytes, within `limit`. Any route, GET and unknown
/// ones included, since actix would otherwise keep reading a body the route ignores (a
/// chunked body that never ends held its connection for ever).
async fn receive(payload: &mut Payload, limit: Duration, max: usize) -> Result<Bytes, ApiError> {
    let read = async {
        let mut body = actix_web::web::BytesMut::new();
        while let Some(chunk) =
            std::future::poll_fn(|cx| Pin::new(&mut *payload).poll_next(cx)).await
        {
            let chunk = chunk.map_err(|e| ApiError::bad(format!("malformed request body: {e}")))?;
            if body.len() + chunk.len() > max {
                return Err(ApiError::PayloadTooLarge(format!(
                    "the request body is over {max} bytes"
                )));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    };
    match actix_web::rt::time::timeout(limit, read).await {
        Ok(body) => body,
        Err(_) => Err(ApiError::RequestTimeout(format!(
            "the request body was not received within {} ms",
            limit.as_millis()
        ))),
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
    // Only a request that announces a body has one to read (GETs pay nothing).
    if has_body(&req) {
        let mut payload = req.take_payload();
        match receive(
            &mut payload,
            limits.body_timeout,
            crate::startup::MAX_BODY_BYTES,
        )
        .await
        {
            Ok(body) => {
                let boxed: Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>> =
                    Box::pin(Received(Some(body)));
                req.set_payload(Payload::from(boxed));
            }
            Err(error) => {
                // The rest of the body may never come: the connection is not reused. actix
                // closes a connection after its response only if the request's payload is
                // still held when the response's body ends; dropped, a chunked one is drained
                // for keep-alive, for as long as the client sends. So the body holds it.
                let (head, body) = error.error_response().into_parts();
                let text = body.try_into_bytes().unwrap_or_default();
                let mut response = head.set_body(Refusal {
                    text: Some(text),
                    _held: payload,
                });
                response
                    .head_mut()
                    .set_connection_type(actix_web::http::ConnectionType::Close);
                let response = response.map_into_boxed_body();
                let (request, _) = req.into_parts();
                return Ok(ServiceResponse::new(request, response));
            }
        }
    }
    // actix-http 3.20 decodes at most 16 pipelined requests per wake-up of a connection and
    // is not woken again for the rest of its read buffer when they all complete at once: a
    // client pipelining 5,000 GETs got about 3,000 answers, then the keep-alive timeout.
    // Yielding once per request wakes the connection again, so it decodes the rest.
    tokio::task::yield_now().await;
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
