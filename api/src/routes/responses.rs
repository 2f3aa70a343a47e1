//! The error responses shared by the operations, declared once for the OpenAPI document
//! (utoipa `IntoResponses`): every refusal is an RFC 9457 problem. Statuses that any operation
//! may give (408, 414, 503) are added to every operation at start-up
//! (`startup::document_refusals`).

use utoipa::IntoResponses;

use crate::error::Problem;

/// A bad parameter.
#[derive(IntoResponses)]
pub enum BadParameter {
    /// A parameter is bad: the problem names it (`parametre`) and, when they are few, the
    /// values it accepts (`valeurs_autorisees`).
    #[response(
        status = 400,
        description = "A bad parameter (the problem names it and the values it accepts) or a malformed body",
        content_type = "application/problem+json"
    )]
    BadRequest(Problem),
}

/// An unknown resource.
#[derive(IntoResponses)]
pub enum Unknown {
    #[response(
        status = 404,
        description = "Unknown département or model, or nothing to show for it",
        content_type = "application/problem+json"
    )]
    NotFound(Problem),
}

/// A bad parameter, or an unknown resource.
#[derive(IntoResponses)]
pub enum BadParameterOrUnknown {
    #[response(
        status = 400,
        description = "A bad parameter (the problem names it and the values it accepts) or a malformed body",
        content_type = "application/problem+json"
    )]
    BadRequest(Problem),
    #[response(
        status = 404,
        description = "Unknown département or model, or nothing to show for it",
        content_type = "application/problem+json"
    )]
    NotFound(Problem),
}
