//! With the `tracing` feature, every call gets a span naming the operation, method and path
//! template, recording the status, attempt and elapsed time. Runs with
//! `cargo test -p infraon-client --features tracing --test tracing` (CI does).
#![cfg(feature = "tracing")]

mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// A span's name and the latest value of each of its fields, as text.
type SpanFields = (String, BTreeMap<String, String>);

/// Every span, in creation order; a span's id is its position plus one.
#[derive(Clone, Default)]
struct Spans(Arc<Mutex<Vec<SpanFields>>>);

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}").trim_matches('"').to_owned());
    }
}

impl Subscriber for Spans {
    fn enabled(&self, _metadata: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        let mut spans = self.0.lock().unwrap();
        let mut fields = BTreeMap::new();
        attributes.record(&mut Fields(&mut fields));
        spans.push((attributes.metadata().name().to_owned(), fields));
        Id::from_u64(spans.len() as u64)
    }
    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut spans = self.0.lock().unwrap();
        values.record(&mut Fields(&mut spans[span.into_u64() as usize - 1].1));
    }
    fn record_follows_from(&self, _span: &Id, _follows: &Id) {}
    fn event(&self, _event: &Event<'_>) {}
    fn enter(&self, _span: &Id) {}
    fn exit(&self, _span: &Id) {}
}

#[tokio::test]
async fn a_span_per_call_with_operation_status_attempt_and_elapsed_time() {
    let server = common::failing(1, wiremock::ResponseTemplate::new(503)).await;
    let client = common::quick_retry_client(&server);
    let spans = Spans::default();
    let _guard = tracing::subscriber::set_default(spans.clone());
    client.user_profile().get("42").await.unwrap();

    let spans = spans.0.lock().unwrap();
    let calls: Vec<_> = spans.iter().filter(|(name, _)| name == "http_call").collect();
    assert_eq!(calls.len(), 1, "one span per call, however many attempts");
    let fields = &calls[0].1;
    let get = |name: &str| fields.get(name).map(String::as_str);
    assert_eq!(get("operation_id"), Some("ux_common_user_profile_retrieve_2"));
    assert_eq!(get("method"), Some("GET"));
    assert_eq!(get("path_template"), Some("/ux/common/user/profile/{id}/"));
    assert_eq!(get("status"), Some("200"));
    assert_eq!(get("attempt"), Some("2"));
    assert!(get("elapsed_ms").is_some_and(|it| it.parse::<u64>().is_ok()), "{fields:?}");
}
