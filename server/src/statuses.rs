//! HTTP statuses that mean something, for every server function in one place.
//!
//! `server_fn` answers every error with 500 and the error's JSON body. This layer
//! keeps the body (the browser decodes it into the same `AppError`, whatever the
//! status, and shows its sentence) and sets the status the error stands for
//! (`AppError::status`: 400, 401, 403, 404, 409, 413, 429, 503, and 500 only for real
//! faults). It also refuses a request body larger than any form of Akta sends with 413
//! before a server function reads it.

use app::error::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The largest request body a server function takes. The longest form (a monthly
/// report of a plan with 40 goals, 1 000 characters each, URL-encoded at up to six
/// bytes a character) stays well below it.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// An error body is a small JSON document; anything bigger is passed on untouched.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// The layer on `/api/…`: the body limit on the way in, the error's status on the way out.
pub async fn server_fn_statuses(request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > BODY_LIMIT) {
        return error_response(&AppError::TooLarge);
    }
    // A body without a length (chunked) is read here, up to the limit.
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return error_response(&AppError::TooLarge);
    };
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    with_error_status(response).await
}

/// A server function's error response with the status its error stands for.
async fn with_error_status(response: Response) -> Response {
    let is_error = response.status() == StatusCode::INTERNAL_SERVER_ERROR
        && response
            .headers()
            .contains_key(server_fn::error::SERVER_FN_ERROR_HEADER);
    if !is_error {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, ERROR_BODY_LIMIT).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes)
        && let Ok(status) = StatusCode::from_u16(error.status())
    {
        parts.status = status;
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// An error answered before any server function ran, shaped as a server function's.
pub fn error_response(error: &AppError) -> Response {
    let body = serde_json::to_string(error).unwrap_or_default();
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}
