//! `RedirectPolicy`: which redirects a call follows. The attempt loop in `send.rs` follows them
//! itself (the HTTP client the runtime creates follows none), so that it knows the method, the
//! origin and the body, and asks the pure function here where to go next.

use reqwest::header::{HeaderMap, LOCATION};
use reqwest::{Method, StatusCode};
use url::{Origin, Url};

/// Which redirects a call follows.
///
/// By default up to 10 in a row, and only within the origin (scheme, host and port) of the
/// client's base URL. A redirect that is not followed is returned as [`Error::Status`] with its
/// 3xx status and `Location` header, so a call never succeeds on an answer from elsewhere.
///
/// Whatever the policy, a write is never turned into a read: 301, 302 and 303 are followed
/// for GET and HEAD only (other methods get the 3xx back), and 307 and 308 resend the same
/// method and body. When the policy allows other origins, neither the credentials nor the
/// client's default headers are sent there.
///
/// ```
/// use openapi_client_runtime::RedirectPolicy;
///
/// let strict = RedirectPolicy::none();
/// let relaxed = RedirectPolicy::default().max_redirects(3).other_origins(true);
/// # let _ = (strict, relaxed);
/// ```
///
/// [`Error::Status`]: crate::Error::Status
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedirectPolicy {
    max_redirects: u32,
    other_origins: bool,
}

impl Default for RedirectPolicy {
    fn default() -> Self {
        RedirectPolicy { max_redirects: 10, other_origins: false }
    }
}

impl RedirectPolicy {
    /// Follows no redirect at all.
    pub fn none() -> Self {
        RedirectPolicy::default().max_redirects(0)
    }

    /// How many redirects in a row a call follows; the one after is returned as an error.
    pub fn max_redirects(mut self, max: u32) -> Self {
        self.max_redirects = max;
        self
    }

    /// Whether redirects to another origin than the base URL's are followed (without
    /// credentials or default headers).
    pub fn other_origins(mut self, allowed: bool) -> Self {
        self.other_origins = allowed;
        self
    }
}

/// Where a response with `status` and `headers` to a `method` request for `current` sends the
/// call next, or `None` when it is not a redirect to follow. `followed` redirects came before
/// it; `origin` is the base URL's.
pub(crate) fn next_url(
    policy: &RedirectPolicy,
    method: &Method,
    status: StatusCode,
    headers: &HeaderMap,
    current: &Url,
    origin: &Origin,
    followed: u32,
) -> Option<Url> {
    let keeps_method = match status.as_u16() {
        307 | 308 => true,
        301..=303 => false,
        _ => return None,
    };
    // Following 301-303 means a GET; for a write that would drop its body and call it done.
    if !keeps_method && !matches!(*method, Method::GET | Method::HEAD) {
        return None;
    }
    if followed >= policy.max_redirects {
        return None;
    }
    let location = headers.get(LOCATION)?.to_str().ok()?;
    let next = current.join(location).ok()?;
    if !matches!(next.scheme(), "http" | "https") {
        return None;
    }
    if next.origin() != *origin && !policy.other_origins {
        return None;
    }
    Some(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn which_redirects_are_followed() {
        let current = Url::parse("https://t.example.com/api/users/?page=2").unwrap();
        let origin = current.origin();
        let same = RedirectPolicy::default();
        let anywhere = RedirectPolicy::default().other_origins(true);
        let none = RedirectPolicy::none();
        // (policy, method, status, location, redirects before, where to go)
        let cases = [
            (&same, Method::GET, 302, "/api/users/list/", 0, Some("https://t.example.com/api/users/list/")),
            (&same, Method::GET, 301, "list/", 0, Some("https://t.example.com/api/users/list/")),
            (&same, Method::HEAD, 303, "/other", 0, Some("https://t.example.com/other")),
            (&same, Method::GET, 308, "https://t.example.com/v2/", 9, Some("https://t.example.com/v2/")),
            (&same, Method::GET, 308, "https://t.example.com/v2/", 10, None),
            (&none, Method::GET, 302, "/api/users/list/", 0, None),
            // Another origin: host, scheme or port.
            (&same, Method::GET, 302, "https://evil.example/steal", 0, None),
            (&same, Method::GET, 302, "http://t.example.com/api/", 0, None),
            (&same, Method::GET, 302, "https://t.example.com:8443/api/", 0, None),
            (
                &anywhere,
                Method::GET,
                302,
                "https://evil.example/steal",
                0,
                Some("https://evil.example/steal"),
            ),
            // A write keeps its method or is not followed.
            (&same, Method::POST, 302, "/api/users/", 0, None),
            (&same, Method::POST, 303, "/api/users/1/", 0, None),
            (&same, Method::PUT, 301, "/api/users/", 0, None),
            (&same, Method::DELETE, 302, "/api/users/", 0, None),
            (&same, Method::POST, 307, "/api/v2/users/", 0, Some("https://t.example.com/api/v2/users/")),
            (&same, Method::PATCH, 308, "/api/v2/users/", 0, Some("https://t.example.com/api/v2/users/")),
            (&anywhere, Method::POST, 307, "https://evil.example/", 0, Some("https://evil.example/")),
            // Not a redirect, or nowhere to go.
            (&same, Method::GET, 300, "/a", 0, None),
            (&same, Method::GET, 304, "/a", 0, None),
            (&same, Method::GET, 200, "/a", 0, None),
            (&same, Method::GET, 302, "ftp://t.example.com/a", 0, None),
            (&anywhere, Method::GET, 302, "javascript:alert(1)", 0, None),
            (&same, Method::GET, 302, "http://[::1", 0, None),
        ];
        for (policy, method, status, location, followed, expected) in cases {
            let mut headers = HeaderMap::new();
            headers.insert(LOCATION, HeaderValue::from_str(location).unwrap());
            let status = StatusCode::from_u16(status).unwrap();
            let next = next_url(policy, &method, status, &headers, &current, &origin, followed);
            assert_eq!(next.as_ref().map(Url::as_str), expected, "{method} {status} {location}");
        }
        let status = StatusCode::FOUND;
        assert_eq!(next_url(&same, &Method::GET, status, &HeaderMap::new(), &current, &origin, 0), None);
    }
}
