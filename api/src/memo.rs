//! An in-process cache of whole successful GET responses.
//!
//! The data never changes while the server runs (it is loaded once at start-up), so the
//! response to a given URL is always the same: the first request computes it, later ones copy
//! bytes. Bounded in bytes, evicting the oldest entries first. A request with
//! `Cache-Control: no-cache` or `no-store` skips it (and is how the benchmarks measure the
//! uncached cost).
//!
//! Identical requests that miss the cache at the same time are computed once (single flight):
//! the first one computes, the others wait for its response and copy it. When the first one
//! fails or is abandoned, each of the others computes its own.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use actix_web::body::{self, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::{Bytes, Data};
use actix_web::{HttpResponse, HttpResponseBuilder};
use tokio::sync::watch;

/// Total bytes of cached bodies: the two GeoJSON bodies (3.8 and 0.5 MB) and a few thousand
/// JSON answers and charts.
pub const MAX_BYTES: usize = 24 * 1024 * 1024;
/// Larger responses are not cached (a huge PNG would push everything else out); the full
/// GeoJSON fits.
pub const MAX_ENTRY_BYTES: usize = 4 * 1024 * 1024;

#[derive(Debug)]
struct Entry {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

#[derive(Debug, Default)]
struct Inner {
    entries: HashMap<String, Arc<Entry>>,
    order: VecDeque<String>,
    bytes: usize,
}

type Flight = watch::Sender<Option<Arc<Entry>>>;

#[derive(Debug)]
pub struct ResponseCache {
    inner: Mutex<Inner>,
    /// The requests being computed, by key, and how to tell their waiters.
    inflight: Mutex<HashMap<String, Flight>>,
    max_bytes: usize,
    max_entry_bytes: usize,
}

impl Default for ResponseCache {
    fn default() -> Self {
        ResponseCache::new(MAX_BYTES, MAX_ENTRY_BYTES)
    }
}

impl ResponseCache {
    pub fn new(max_bytes: usize, max_entry_bytes: usize) -> ResponseCache {
        ResponseCache {
            inner: Mutex::new(Inner::default()),
            inflight: Mutex::new(HashMap::new()),
            max_bytes,
            max_entry_bytes,
        }
    }

    fn get(&self, key: &str) -> Option<Arc<Entry>> {
        self.inner.lock().ok()?.entries.get(key).cloned()
    }

    fn put(&self, key: String, entry: Arc<Entry>) {
        let size = entry.body.len() + key.len();
        if size > self.max_entry_bytes {
            return;
        }
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if inner.entries.contains_key(&key) {
            return;
        }
        while inner.bytes + size > self.max_bytes {
            let Some(oldest) = inner.order.pop_front() else {
                break;
            };
            if let Some(old) = inner.entries.remove(&oldest) {
                inner.bytes -= old.body.len() + oldest.len();
            }
        }
        inner.bytes += size;
        inner.order.push_back(key.clone());
        inner.entries.insert(key, entry);
    }

    /// Either the right to compute `key` (the guard tells the waiters when dropped), or a
    /// receiver that gets the response of the request computing it.
    fn join(self: &Arc<Self>, key: &str) -> Result<Leader, watch::Receiver<Option<Arc<Entry>>>> {
        let Ok(mut inflight) = self.inflight.lock() else {
            return Ok(Leader {
                cache: Arc::clone(self),
                key: None,
            });
        };
        if let Some(flight) = inflight.get(key) {
            return Err(flight.subscribe());
        }
        inflight.insert(key.to_owned(), watch::channel(None).0);
        Ok(Leader {
            cache: Arc::clone(self),
            key: Some(key.to_owned()),
        })
    }

    /// Number of cached responses and their total size.
    pub fn usage(&self) -> (usize, usize) {
        self.inner
            .lock()
            .map(|i| (i.entries.len(), i.bytes))
            .unwrap_or_default()
    }
}

/// The request computing a response for its waiters.
struct Leader {
    cache: Arc<ResponseCache>,
    key: Option<String>,
}

impl Leader {
    fn publish(&self, entry: &Arc<Entry>) {
        if let (Some(key), Ok(inflight)) = (&self.key, self.cache.inflight.lock())
            && let Some(flight) = inflight.get(key)
        {
            flight.send_replace(Some(Arc::clone(entry)));
        }
    }
}

impl Drop for Leader {
    // Also when the request is abandoned: the waiters stop waiting and compute their own.
    fn drop(&mut self) {
        if let (Some(key), Ok(mut inflight)) = (&self.key, self.cache.inflight.lock()) {
            inflight.remove(key);
        }
    }
}

fn serve(req: ServiceRequest, entry: &Entry) -> ServiceResponse<BoxBody> {
    let (request, _) = req.into_parts();
    let mut response = HttpResponseBuilder::new(entry.status).body(entry.body.clone());
    for (name, value) in &entry.headers {
        response.headers_mut().append(name.clone(), value.clone());
    }
    ServiceResponse::new(request, response)
}

fn bypass(req: &ServiceRequest) -> bool {
    req.headers()
        .get_all(header::CACHE_CONTROL)
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("no-cache") || v.contains("no-store"))
}

/// What makes two requests get the same bytes: the URL (pages print absolute chart URLs, so
/// scheme and host too), the negotiated representation and the content encoding (the cache
/// sits outside the compression, so a gzip body is compressed once).
fn key(req: &ServiceRequest) -> String {
    let header = |name, absent| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or(absent)
    };
    // Written piece by piece: formatted, the key was half of the cache's cost on `/health`.
    let mut key = String::with_capacity(128);
    crate::origin::push_for_request(&mut key, req.request());
    crate::origin::push_target(&mut key, req.uri());
    key.push('\n');
    // No Accept is the same as `*/*` (what curl sends).
    key.push_str(header(header::ACCEPT, "*/*"));
    key.push('\n');
    key.push_str(header(header::ACCEPT_ENCODING, ""));
    key
}

pub async fn memo(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let cache = req.app_data::<Data<ResponseCache>>().cloned();
    let Some(cache) = cache.filter(|_| req.method() == Method::GET && !bypass(&req)) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let key = key(&req);
    if let Some(entry) = cache.get(&key) {
        return Ok(serve(req, &entry));
    }
    let leader = match cache.clone().into_inner().join(&key) {
        Ok(leader) => leader,
        Err(mut waiting) => {
            while waiting.changed().await.is_ok() {
                let shared = waiting.borrow_and_update().clone();
                if let Some(entry) = shared {
                    return Ok(serve(req, &entry));
                }
            }
            // The first request failed or was abandoned: compute this one.
            return Ok(next.call(req).await?.map_into_boxed_body());
        }
    };
    let res = next.call(req).await?.map_into_boxed_body();
    if res.status() != StatusCode::OK {
        return Ok(res);
    }
    // A streamed body, or one too large to keep (the database), goes out as it is: collecting
    // it would hold a copy per request.
    let small = match res.response().body().size() {
        body::BodySize::Sized(n) => usize::try_from(n).is_ok_and(|n| n <= cache.max_entry_bytes),
        body::BodySize::None => true,
        body::BodySize::Stream => false,
    };
    if !small {
        return Ok(res);
    }
    let (request, response) = res.into_parts();
    let (response, body) = response.into_parts();
    let bytes = body::to_bytes(body).await.map_err(|e| {
        actix_web::error::ErrorInternalServerError(format!("reading a response body: {e}"))
    })?;
    let entry = Arc::new(Entry {
        status: response.status(),
        headers: response.headers().clone(),
        body: bytes.clone(),
    });
    leader.publish(&entry);
    cache.put(key, entry);
    let response: HttpResponse<BoxBody> = response.set_body(BoxBody::new(bytes));
    Ok(ServiceResponse::new(request, response))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(n: usize) -> Arc<Entry> {
        Arc::new(Entry {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::from(vec![b'x'; n]),
        })
    }

    #[test]
    fn evicts_the_oldest_to_stay_within_its_budget() {
        let cache = ResponseCache::new(100, 60);
        cache.put("a".into(), entry(39));
        cache.put("b".into(), entry(39));
        assert_eq!(cache.usage(), (2, 80));
        cache.put("c".into(), entry(39));
        assert!(cache.get("a").is_none());
        assert!(cache.get("b").is_some() && cache.get("c").is_some());
        assert_eq!(cache.usage(), (2, 80));
        // Too large for one entry: not cached, nothing evicted.
        cache.put("d".into(), entry(60));
        assert!(cache.get("d").is_none());
        assert_eq!(cache.usage(), (2, 80));
    }
}
