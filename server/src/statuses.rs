//! HTTP statuses that mean something, for every server function in one place.
//!
//! `server_fn` answers every error with 500 and the error's JSON body. This layer
//! keeps the body (the browser decodes it into the same `AppError`, whatever the
//! status, and shows its sentence) and sets the status the error stands for
//! (`AppError::status`: 400, 401, 403, 404, 408, 409, 413, 429, 503, and 500 only for
//! real faults). It also refuses a request body larger than any form of Akta sends with
//! 413 before a server function reads it, and one that stalls with 408.

use app::error::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The largest request body a server function takes (only server functions read a
/// body). The longest form, a monthly report of a plan with 40 goals, stays below it
/// even when every character takes nine bytes URL-encoded (see the test).
pub const BODY_LIMIT: usize = 512 * 1024;

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
    let bytes = match axum::body::to_bytes(body, BODY_LIMIT).await {
        Ok(bytes) => bytes,
        Err(e) if caused_by::<tower_http::timeout::TimeoutError>(&e) => {
            return error_response(&AppError::TimedOut);
        }
        Err(e) if caused_by::<http_body_util::LengthLimitError>(&e) => {
            return error_response(&AppError::TooLarge);
        }
        // The client broke off; whatever we answer, nobody reads it.
        Err(_) => return error_response(&AppError::BadRequest),
    };
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    with_error_status(response).await
}

/// Whether `E` is somewhere in the chain of an error's causes.
fn caused_by<E: std::error::Error + 'static>(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(e) = cause {
        if e.is::<E>() {
            return true;
        }
        cause = e.source();
    }
    false
}

/// The request timeout's 408 on a server function, shaped as the server function's
/// own error, so the browser shows its sentence.
pub async fn timed_out_as_error(request: Request, next: Next) -> Response {
    let server_fn = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if server_fn && response.status() == StatusCode::REQUEST_TIMEOUT {
        return error_response(&AppError::TimedOut);
    }
    response
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The longest form Akta sends, a monthly report with the most goals a plan may
    /// have, every text at its longest, and every character one that URL-encodes to
    /// nine bytes (`€` is `%E2%82%AC`), fits under the limit.
    #[test]
    fn the_longest_form_fits_the_body_limit() {
        use akta_domain::monthly::{GOAL_EVALUATION_MAX_CHARS, REPORT_TEXT_MAX_CHARS};
        let field = |name: &str, chars: usize| name.len() + 1 + 9 * chars + 1;
        let goals = app::server::plan::MAX_GOALS as usize;
        let longest = goals
            * (field("goal_ids[]", 40) + field("evaluations[]", GOAL_EVALUATION_MAX_CHARS))
            + field("file", 40)
            + field("month", 7)
            + field("evaluation", REPORT_TEXT_MAX_CHARS)
            + field("events", REPORT_TEXT_MAX_CHARS)
            + field("deviation_actions", REPORT_TEXT_MAX_CHARS)
            + field("client_copy", 5);
        assert!(longest < BODY_LIMIT, "{longest} bytes");
    }
}
