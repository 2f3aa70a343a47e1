//! Every refusal is a problem+json, also those produced outside the routes.

use actix_web::ResponseError;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::middleware::Next;

use crate::error::ApiError;

/// Every refusal is a problem: errors produced outside the routes (CORS, content encoding,
/// Swagger UI's files) come as plain text or empty bodies; they are rewritten as
/// `application/problem+json` with the same status and headers. HTML pages (the dashboard's
/// own error pages) are left as they are.
pub async fn problems(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let path = req.path().to_owned();
    let res = match next.call(req).await {
        Ok(res) => res.map_into_boxed_body(),
        Err(error) => {
            let response = error.error_response();
            if is_problem_or_page(response.headers()) {
                return Err(error);
            }
            let status = response.status();
            let text = body_text(response.into_body()).await;
            return Err(ApiError::Other {
                status: status.as_u16(),
                detail: detail_of(status, &text, &path),
            }
            .into());
        }
    };
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) || is_problem_or_page(res.headers())
    {
        return Ok(res);
    }
    let (request, response) = res.into_parts();
    let (head, body) = response.into_parts();
    let text = body_text(body).await;
    let problem = ApiError::Other {
        status: status.as_u16(),
        detail: detail_of(status, &text, &path),
    };
    let mut response = problem.error_response();
    for (name, value) in head.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            response.headers_mut().append(name.clone(), value.clone());
        }
    }
    Ok(ServiceResponse::new(request, response))
}

fn is_problem_or_page(headers: &header::HeaderMap) -> bool {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    content_type.starts_with(crate::error::PROBLEM_JSON) || content_type.starts_with("text/html")
}

/// The first KiB of a refusal's body, as text.
async fn body_text(body: BoxBody) -> String {
    actix_web::body::to_bytes_limited(body, 1024)
        .await
        .ok()
        .and_then(Result::ok)
        .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
        .unwrap_or_default()
}

fn detail_of(status: StatusCode, text: &str, path: &str) -> String {
    match (status, text) {
        (StatusCode::NOT_ACCEPTABLE, "") => {
            "no acceptable content encoding: this server can send identity".to_owned()
        }
        (StatusCode::NOT_ACCEPTABLE, text) => {
            format!("no acceptable content encoding: this server can send {text}")
        }
        (StatusCode::NOT_FOUND, "") => {
            format!("no resource at {path}; see /swagger-ui/ for the list of endpoints")
        }
        (_, "") => status.canonical_reason().unwrap_or("Error").to_owned(),
        (_, text) => text.to_owned(),
    }
}
