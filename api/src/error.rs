//! One error type for every failure the API reports, rendered as
//! `application/problem+json` (RFC 9457).

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// An RFC 9457 problem: what went wrong, for people and for programs.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema, PartialEq)]
pub struct Problem {
    /// URI of the problem type; `about:blank` means "see the status code".
    #[schema(example = "about:blank")]
    #[serde(rename = "type")]
    pub problem_type: String,
    /// Short summary of the problem type (the HTTP reason phrase).
    #[schema(example = "Bad Request")]
    pub title: String,
    /// HTTP status code.
    #[schema(example = 400)]
    pub status: u16,
    /// What is wrong with this request, in plain words.
    #[schema(example = "parameter 'tour' must be 1 or 2, not '3'")]
    pub detail: String,
    /// The parameter at fault, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "tour")]
    pub parametre: Option<String>,
    /// The values the parameter accepts, when they are few.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valeurs_autorisees: Option<Vec<String>>,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    #[error("{detail}")]
    BadRequest {
        detail: String,
        parametre: Option<String>,
        valeurs_autorisees: Option<Vec<String>>,
    },
    #[error("{0}")]
    NotFound(String),
    #[error("{detail}")]
    Unprocessable {
        detail: String,
        parametre: Option<String>,
    },
    #[error("{detail}")]
    MethodNotAllowed { detail: String, allow: String },
    #[error("{0}")]
    NotAcceptable(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    UriTooLong(String),
    #[error("{0}")]
    RequestTimeout(String),
    #[error("{0}")]
    Unavailable(String),
    #[error("{0}")]
    Internal(String),
    /// A refusal produced outside the routes (CORS, content encoding, static files), with its
    /// own status.
    #[error("{detail}")]
    Other { status: u16, detail: String },
}

impl ApiError {
    pub fn bad(detail: impl Into<String>) -> ApiError {
        ApiError::BadRequest {
            detail: detail.into(),
            parametre: None,
            valeurs_autorisees: None,
        }
    }

    /// A bad value for a named parameter, with the values it accepts.
    pub fn parameter(
        name: &str,
        detail: impl Into<String>,
        allowed: Option<Vec<String>>,
    ) -> ApiError {
        ApiError::BadRequest {
            detail: detail.into(),
            parametre: Some(name.to_owned()),
            valeurs_autorisees: allowed,
        }
    }

    pub fn problem(&self) -> Problem {
        let status = self.status_code();
        let (parametre, valeurs_autorisees) = match self {
            ApiError::BadRequest {
                parametre,
                valeurs_autorisees,
                ..
            } => (parametre.clone(), valeurs_autorisees.clone()),
            ApiError::Unprocessable { parametre, .. } => (parametre.clone(), None),
            _ => (None, None),
        };
        Problem {
            problem_type: "about:blank".to_owned(),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: self.to_string(),
            parametre,
            valeurs_autorisees,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::UriTooLong(_) => StatusCode::URI_TOO_LONG,
            ApiError::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Other { status, .. } => {
                StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
        }
    }

    fn error_response(&self) -> HttpResponse {
        let body = serde_json::to_string(&self.problem()).unwrap_or_else(|_| "{}".to_owned());
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
        if let ApiError::MethodNotAllowed { allow, .. } = self
            && let Ok(value) = HeaderValue::from_str(allow)
        {
            response.insert_header((header::ALLOW, value));
        }
        match self {
            // The rest of a slow body may never come: the connection is not reused.
            ApiError::RequestTimeout(_) => {
                response.force_close();
            }
            ApiError::Unavailable(_) => {
                response.insert_header((header::RETRY_AFTER, HeaderValue::from_static("1")));
            }
            _ => {}
        }
        response.body(body)
    }
}

/// Renders a JSON body error: 413 when too large, 415 for another content type, 422 when it
/// parses but does not fit the request type, 400 when it is not JSON at all.
pub fn json_error(error: actix_web::error::JsonPayloadError) -> actix_web::Error {
    use actix_web::error::JsonPayloadError as E;
    let api = match &error {
        E::Overflow { .. } | E::OverflowKnownLength { .. } => {
            ApiError::PayloadTooLarge(format!("request body too large: {error}"))
        }
        E::ContentType => {
            ApiError::UnsupportedMediaType("send the body as application/json".into())
        }
        E::Deserialize(e) if e.is_syntax() || e.is_eof() => {
            ApiError::bad(format!("body is not valid JSON: {e}"))
        }
        E::Payload(actix_web::error::PayloadError::Io(e))
            if e.kind() == std::io::ErrorKind::TimedOut =>
        {
            ApiError::RequestTimeout(e.to_string())
        }
        E::Deserialize(e) => ApiError::Unprocessable {
            detail: format!("body: {e}"),
            parametre: None,
        },
        other => ApiError::bad(other.to_string()),
    };
    api.into()
}

/// Renders the error of an actix extractor (query string, path, JSON body) as a 400 problem.
pub fn extractor_error(error: impl std::fmt::Display) -> actix_web::Error {
    ApiError::bad(error.to_string()).into()
}
