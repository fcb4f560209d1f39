//! Listings fetched page by page as a `Stream`: page-number paging (`page` + a page size
//! parameter) and next-URL paging (Django REST Framework's `next` / `results`). Generated code
//! describes where the page number, the items, the total and the next link are with a
//! [`Paging`] value; everything else happens here.

use std::collections::BTreeSet;
use std::convert::Infallible;
use std::hash::Hasher;

use futures_util::stream::{self, BoxStream, StreamExt, TryStreamExt};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::decode::located;
use crate::display::{TEXT_CHARS, cut, redact_userinfo};
use crate::error::{BuildError, DecodeError, Error, ErrorBody, PagingError, PagingStop};
use crate::request::Request;

/// Where a paged operation keeps its paging, as the specification (or its `x-pagination`
/// extension) declares it.
#[derive(Clone, Copy, Debug)]
pub struct Paging {
    pub style: Style,
    /// The dotted path of the items array in a page body; `None`: the body is the array.
    pub items: Option<&'static str>,
    /// The dotted path of the total number of items, when pages carry it.
    pub total: Option<&'static str>,
}

#[derive(Clone, Copy, Debug)]
pub enum Style {
    /// The query parameter `page` counts pages, from the value the caller set (1 by default).
    PageNumber { page: &'static str },
    /// Each page names the next one by URL at this dotted path; `null` ends the listing.
    NextUrl { next: &'static str },
}

/// One page of a listing.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// The total number of items across all pages, when the server says.
    pub total: Option<u64>,
}

/// The pages of a listing, fetched one at a time as the stream is read.
pub type PageStream<'a, T, E = Infallible> = BoxStream<'a, Result<Page<T>, Error<E>>>;

/// The items of every page of a listing, fetched a page at a time as the stream is read.
pub type ItemStream<'a, T, E = Infallible> = BoxStream<'a, Result<T, Error<E>>>;

/// The pages from `first` on. The listing ends after an empty page, a page without a next
/// link, or once the total is reached; the first error ends it too, after being yielded. So do
/// a page the server sent before (byte for byte: it ignores the page parameter, or its links
/// go round in a circle) and `max_pages` pages with more to come, as [`Error::Paging`].
pub fn pages<'a, T, E>(first: Result<Request<'a>, BuildError>, paging: Paging) -> PageStream<'a, T, E>
where
    T: DeserializeOwned + Send + 'a,
    E: ErrorBody + Send + 'a,
{
    let listing = Listing {
        next: Some(first.map_err(Error::from)),
        seen: 0,
        fetched: 0,
        fingerprints: BTreeSet::new(),
    };
    stream::unfold(listing, move |mut listing| async move {
        let request = match listing.next.take()? {
            Ok(request) => request,
            Err(error) => return Some((Err(error), listing)),
        };
        let page = listing.fetch(request, paging).await;
        Some((page, listing))
    })
    .boxed()
}

/// The items of `pages`, in order.
pub fn items<'a, T: Send + 'a, E: Send + 'a>(pages: PageStream<'a, T, E>) -> ItemStream<'a, T, E> {
    pages.map_ok(|page| stream::iter(page.items.into_iter().map(Ok))).try_flatten().boxed()
}

/// Where a listing stands between two pages.
struct Listing<'a, E> {
    /// The request for the next page, or why there is none; `None` once the listing is over.
    next: Option<Result<Request<'a>, Error<E>>>,
    /// How many items the pages so far held, to compare with the total.
    seen: u64,
    /// How many pages were fetched so far.
    fetched: u64,
    /// A hash of the body of every page so far, to notice one that comes again.
    fingerprints: BTreeSet<u64>,
}

impl<'a, E: ErrorBody> Listing<'a, E> {
    /// Fetches one page and sets up the request for the one after it, unless this was the last.
    async fn fetch<T: DeserializeOwned>(
        &mut self,
        request: Request<'a>,
        paging: Paging,
    ) -> Result<Page<T>, Error<E>> {
        let template = request.try_clone();
        let client = request.client();
        let endpoint = request.endpoint();
        let max_pages = request.max_pages();
        let current_page = match paging.style {
            Style::PageNumber { page } => {
                request.query_value(page).and_then(|it| it.parse::<i64>().ok()).unwrap_or(1)
            }
            Style::NextUrl { .. } => 0,
        };
        let response = request.send::<E>().await?;
        if !response.status.is_success() {
            return Err(response.error());
        }
        self.fetched += 1;
        let stop = |reason| {
            Error::Paging(Box::new(PagingError { endpoint: endpoint.clone(), pages: self.fetched, reason }))
        };
        if !self.fingerprints.insert(fingerprint(&response.body)) {
            return Err(stop(PagingStop::Repeated));
        }
        let decode_error = |path: String, source: serde_json::Error| {
            let body = String::from_utf8_lossy(&response.body).into_owned();
            let endpoint = endpoint.clone();
            Error::Decode(Box::new(DecodeError { endpoint, status: response.status, body, path, source }))
        };
        let body: Value =
            serde_json::from_slice(&response.body).map_err(|source| decode_error(".".to_owned(), source))?;
        let items_value = match paging.items {
            Some(path) => lookup(&body, path).cloned().ok_or_else(|| {
                let message =
                    format!("missing field `{path}`, where the paging declaration says the items are");
                decode_error(".".to_owned(), serde::de::Error::custom(message))
            })?,
            None => body.clone(),
        };
        let items: Vec<T> = serde_path_to_error::deserialize(items_value).map_err(|error| {
            let inner = error.path().to_string();
            let path = match (paging.items, inner.as_str()) {
                (Some(items), ".") => items.to_owned(),
                (Some(items), inner) if inner.starts_with('[') => format!("{items}{inner}"),
                (Some(items), inner) => format!("{items}.{inner}"),
                (None, inner) => inner.to_owned(),
            };
            let (path, source) = located(&path, error.into_inner());
            decode_error(path, source)
        })?;
        let total = paging.total.and_then(|path| lookup(&body, path)).and_then(Value::as_u64);
        self.seen = self.seen.saturating_add(items.len() as u64);
        let reached_total = total.is_some_and(|total| self.seen >= total);
        let next = match paging.style {
            _ if items.is_empty() || reached_total => None,
            Style::PageNumber { page } => match current_page.checked_add(1) {
                None => Some(Err(stop(PagingStop::PageNumberOverflow))),
                Some(number) => template.map(|mut next| {
                    next.set_query(page, number.to_string());
                    Ok(next)
                }),
            },
            Style::NextUrl { next } => {
                match lookup(&body, next).and_then(Value::as_str).filter(|it| !it.is_empty()) {
                    None => None,
                    Some(link) => {
                        let url = next_url(&client.base_url, link)
                            .map_err(|error| error.in_endpoint(|| endpoint.clone()))?;
                        template.map(|mut next| {
                            next.set_url(url);
                            Ok(next)
                        })
                    }
                }
            }
        };
        self.next = match next {
            Some(Ok(_)) if self.fetched >= max_pages => Some(Err(stop(PagingStop::MaxPages))),
            next => next,
        };
        Ok(Page { items, total })
    }
}

/// A hash of a page body; two pages with the same hash are taken to be the same page.
fn fingerprint(body: &[u8]) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    hasher.write(body);
    hasher.finish()
}

/// The value at a dotted path such as `data.results`.
fn lookup<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(value, |value, key| value.get(key))
}

/// The URL to fetch for a next link: its path and query on the client's own origin, so that
/// credentials never travel to another host, and a server behind a proxy that writes `http://`
/// or an internal host name into its links still works.
fn next_url(base_url: &str, link: &str) -> Result<url::Url, BuildError> {
    let base =
        url::Url::parse(base_url).map_err(|error| BuildError::new(format!("invalid base URL: {error}")))?;
    let next = base.join(link).map_err(|error| {
        let link = cut(&redact_userinfo(link), TEXT_CHARS);
        BuildError::new(format!("invalid next page link `{link}`: {error}"))
    })?;
    let mut url = base;
    url.set_path(next.path());
    url.set_query(next.query());
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lookups() {
        let body = json!({"data": {"results": [1]}, "count": 3});
        assert_eq!(lookup(&body, "data.results"), Some(&json!([1])));
        assert_eq!(lookup(&body, "count"), Some(&json!(3)));
        assert_eq!(lookup(&body, "data.missing"), None);
    }

    #[test]
    fn next_urls_stay_on_the_client_origin() {
        let cases = [
            (
                "https://t.example.com/api",
                "https://t.example.com/api/users/?page=2",
                "https://t.example.com/api/users/?page=2",
            ),
            (
                "https://t.example.com/api",
                "http://internal:8000/api/users/?page=2",
                "https://t.example.com/api/users/?page=2",
            ),
            ("http://127.0.0.1:9/api", "/api/users/?cursor=abc", "http://127.0.0.1:9/api/users/?cursor=abc"),
            (
                "https://t.example.com",
                "https://evil.example/steal?page=2",
                "https://t.example.com/steal?page=2",
            ),
        ];
        for (base, link, expected) in cases {
            assert_eq!(next_url(base, link).unwrap().as_str(), expected, "{link}");
        }
    }

    /// Next-URL paging, Django REST Framework style: follows `next` (rewritten onto the
    /// client's own origin) until it is `null`.
    #[tokio::test]
    async fn next_links_are_followed_until_null() {
        use wiremock::matchers::{path, query_param, query_param_is_missing};
        use wiremock::{Mock, MockServer, ResponseTemplate};

        let server = MockServer::start().await;
        let first = json!({"next": "http://internal:8000/api/tickets/?cursor=b", "results": [1, 2]});
        Mock::given(path("/api/tickets/"))
            .and(query_param_is_missing("cursor"))
            .respond_with(ResponseTemplate::new(200).set_body_json(first))
            .mount(&server)
            .await;
        Mock::given(path("/api/tickets/"))
            .and(query_param("cursor", "b"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"next": null, "results": [3]})))
            .mount(&server)
            .await;
        let http = reqwest::Client::builder().no_proxy().build().unwrap();
        let client = crate::Client::builder(format!("{}/api", server.uri()), "test")
            .http_client(http)
            .build()
            .unwrap();
        let request = client.request(reqwest::Method::GET, "/tickets/".to_owned());
        let paging =
            Paging { style: Style::NextUrl { next: "next" }, items: Some("results"), total: Some("count") };
        let items: Vec<u32> =
            items(pages::<u32, Infallible>(Ok(request), paging)).try_collect().await.unwrap();
        assert_eq!(items, [1, 2, 3]);
        assert_eq!(server.received_requests().await.unwrap().len(), 2);
    }
}
