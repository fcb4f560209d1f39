//! Contract test: the generated client against Stoplight Prism serving `openapi.json`.
//!
//! Our own test server checks what we thought to check; Prism is a second, independent judge. It
//! validates every request against the document (path, query, headers, body, content type) and
//! answers a mismatch with 422 and its reasons; otherwise it answers with a response built from
//! the response schema. The test installs the pinned Prism in `tools/prism/` with `npm ci` when
//! it is missing, then runs two phases, each against its own Prism process:
//!
//! 1. static: every operation once with realistic arguments, each body-carrying operation once
//!    per media type the document offers, then two checks that must see Prism say no: form
//!    bodies with arrays, which Prism cannot read (a known Prism limitation), and one
//!    deliberately wrong request, so the harness is known to be able to fail;
//! 2. dynamic (`-d`): every operation [`DYNAMIC_ROUNDS`] times, each answer a fresh
//!    schema-valid body (nulls, empty arrays, odd strings and numbers) that must decode.
//!
//! The client talks to Prism through [`Tap`], a pass-through proxy that keeps each response
//! body, so the printed figures count the exact bytes the client decoded.

mod contract_support;

use std::collections::{BTreeMap, BTreeSet};
use std::future::IntoFuture;
use std::time::{Duration, Instant};

use contract_support::{NO_BODY, Prism, Tap, install_prism, spec};
use infraon_client::models::UserListRequest;
use infraon_client::{Client, Error, Nullable, reqwest};
use serde_json::{Map, Value, json};

/// How often the dynamic phase calls each operation.
const DYNAMIC_ROUNDS: usize = 30;

/// The API key; Prism answers 401 to a request without the `Authorization` header.
const API_KEY: &str = "Token test";

#[tokio::test]
async fn client_against_prism() {
    let started = Instant::now();
    let prism_bin = install_prism();
    let spec = spec();

    let static_phase = Phase::run(&prism_bin, false, async |phase| {
        call_every_operation(phase).await;
        call_every_encoding(phase).await;
        phase.assert_no_failures();
        prism_still_rejects_arrays_in_form_bodies(phase).await;
        harness_reports_a_wrong_request(phase).await;
    })
    .await;
    let expected = expected_coverage(&spec);
    let missing: Vec<_> = expected.difference(&static_phase.covered).collect();
    let unexpected: Vec<_> = static_phase.covered.difference(&expected).collect();
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "the static phase must send every operation with every media type the document offers; \
         missing: {missing:?}; not in the document: {unexpected:?}"
    );

    let dynamic_phase = Phase::run(&prism_bin, true, async |phase| {
        for _ in 0..DYNAMIC_ROUNDS {
            call_every_operation(phase).await;
        }
    })
    .await;
    for operation in operation_ids(&spec) {
        let decoded = dynamic_phase.decoded.get(operation.as_str()).copied().unwrap_or(0);
        assert!(decoded >= DYNAMIC_ROUNDS, "{operation}: {decoded} dynamic responses decoded");
    }

    eprintln!(
        "contract: {} requests ({} static, {} dynamic), {} distinct response bodies decoded \
         ({} static, {} dynamic), {:.1} s",
        static_phase.requests + dynamic_phase.requests,
        static_phase.requests,
        dynamic_phase.requests,
        static_phase.bodies.union(&dynamic_phase.bodies).count(),
        static_phase.bodies.len(),
        dynamic_phase.bodies.len(),
        started.elapsed().as_secs_f64()
    );
}

/// One Prism process, the tap in front of it, a client pointed at the tap, and what was seen.
struct Phase {
    name: &'static str,
    tap: Tap,
    client: Client,
    /// Every request that went through the tap.
    requests: usize,
    /// Each distinct body of a response the client decoded successfully.
    bodies: BTreeSet<Vec<u8>>,
    /// Successful calls per operation.
    decoded: BTreeMap<&'static str, usize>,
    /// Operation and request media type of every successful call, as seen on the wire.
    covered: BTreeSet<(String, String)>,
    failures: Vec<String>,
}

impl Phase {
    /// Starts Prism, runs `calls`, stops Prism, and fails with every failure collected.
    async fn run(prism_bin: &std::path::Path, dynamic: bool, calls: impl AsyncFnOnce(&mut Phase)) -> Phase {
        let started = Instant::now();
        let prism = Prism::start(prism_bin, dynamic);
        let tap = Tap::start(prism.port());
        let http = reqwest::Client::builder().no_proxy().timeout(Duration::from_secs(30)).build().unwrap();
        let client = Client::builder(tap.base_url()).api_key_auth(API_KEY).http_client(http).build().unwrap();
        let mut phase = Phase {
            name: if dynamic { "dynamic" } else { "static" },
            tap,
            client,
            requests: 0,
            bodies: BTreeSet::new(),
            decoded: BTreeMap::new(),
            covered: BTreeSet::new(),
            failures: Vec::new(),
        };
        calls(&mut phase).await;
        drop(prism);
        phase.assert_no_failures();
        eprintln!(
            "contract ({}): {} requests, {} distinct response bodies decoded, {:.1} s",
            phase.name,
            phase.requests,
            phase.bodies.len(),
            started.elapsed().as_secs_f64()
        );
        phase
    }

    /// Fails with every failure collected so far, each with Prism's reasons or the raw body.
    fn assert_no_failures(&self) {
        assert!(
            self.failures.is_empty(),
            "{} of {} requests failed in the {} phase:\n\n{}",
            self.failures.len(),
            self.requests,
            self.name,
            self.failures.join("\n\n")
        );
    }

    /// Sends one request through the client and records a failure unless Prism accepted it
    /// (2xx) and the client decoded the answer.
    async fn call<T>(
        &mut self,
        operation: &'static str,
        request: impl IntoFuture<Output = Result<T, Error>>,
    ) {
        let result = request.await;
        let exchanges = self.tap.take();
        self.requests += exchanges.len();
        let failure = match (result, exchanges.as_slice()) {
            (Ok(_), [exchange]) => {
                self.bodies.insert(exchange.response_body.clone());
                *self.decoded.entry(operation).or_default() += 1;
                self.covered.insert((operation.to_owned(), exchange.media_type.clone()));
                return;
            }
            (Ok(_), exchanges) => {
                format!("{operation}: expected one exchange through the tap, saw {}", exchanges.len())
            }
            (Err(error), [exchange]) => {
                let operation = format!("{operation} ({})", exchange.media_type);
                failure_message(&operation, error)
            }
            (Err(error), _) => failure_message(operation, error),
        };
        self.failures.push(failure);
    }
}

/// Describes a failed call: Prism's reasons for an error status, or the raw body and the serde
/// error for a response that did not decode.
fn failure_message(operation: &str, error: Error) -> String {
    match error {
        Error::Status(error) => check_status(operation, error.status.as_u16(), &error.body_text())
            .err()
            .unwrap_or_else(|| format!("{operation}: the client rejected status {}", error.status)),
        Error::Decode(error) => format!(
            "{operation}: the {} response did not decode at `{}`: {}\n  raw body: {}",
            error.status, error.path, error.source, error.body
        ),
        error => format!("{operation}: {error}"),
    }
}

/// The harness's verdict on one answer from Prism: `Ok` for 2xx, otherwise a message naming the
/// operation, the status and Prism's validation messages.
fn check_status(operation: &str, status: u16, body: &str) -> Result<(), String> {
    if (200..300).contains(&status) {
        return Ok(());
    }
    let messages = validation_messages(body);
    let reasons = if messages.is_empty() {
        "\n  - (no validation messages)".to_owned()
    } else {
        messages.iter().map(|message| format!("\n  - {message}")).collect()
    };
    Err(format!("{operation}: Prism answered {status}{reasons}\n  body: {body}"))
}

/// The `validation` entries of a Prism problem body, as `location: message`.
fn validation_messages(body: &str) -> Vec<String> {
    let problem: Value = serde_json::from_str(body).unwrap_or_default();
    let Some(items) = problem["validation"].as_array() else { return Vec::new() };
    items
        .iter()
        .map(|item| {
            let location: Vec<&str> =
                item["location"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
            format!("{}: {}", location.join("."), item["message"].as_str().unwrap_or("(no message)"))
        })
        .collect()
}

/// A request body with every writable property set, as a caller would send it.
fn user_request() -> UserListRequest {
    UserListRequest {
        user: Some(42),
        creation_time: Some("2024-05-01T10:20:30+05:30".parse().unwrap()),
        email: Nullable::Value("ada@example.com".to_owned()),
        is_active: Some(true),
        customer_id: Some(vec![json!(3), json!(5)]),
        customer_entity_id: Some(vec![json!(9)]),
        is_multiple_customer_user: Some(false),
        is_profile_image: Some(true),
        ..UserListRequest::new("P-0042")
    }
}

/// [`user_request`] without its array properties, for form and multipart bodies: Prism reads
/// only the last of repeated form fields and never as an array (stoplightio/prism#2473), so
/// it cannot judge arrays there; [`prism_still_rejects_arrays_in_form_bodies`] pins that down.
/// The wiremock tests in `bodies.rs` check how arrays are sent in form bodies.
fn form_user_request() -> UserListRequest {
    UserListRequest { customer_id: None, customer_entity_id: None, email: Nullable::Null, ..user_request() }
}

/// The free-form body of the create operation.
fn new_user() -> Map<String, Value> {
    let body = json!({"name": "Ada Lovelace", "email": "ada@example.com", "profile": "Administrator"});
    body.as_object().unwrap().clone()
}

/// A CSV file in the multipart field `file`, as the overlay in `specs/overlays/` declares the
/// upload and validate operations.
fn csv_form() -> infraon_client::Form {
    let csv = "name,email\nAda Lovelace,ada@example.com\n";
    infraon_client::Form::new()
        .file("file", infraon_client::File::from_bytes(csv).file_name("users.csv").content_type("text/csv"))
}

/// Calls `phase.call` with the operation named after its method of `client.user_profile()`;
/// the coverage checks compare those names with the document's (see [`operations`]).
macro_rules! call {
    ($phase:expr, $client:expr, $operation:ident($($argument:expr),*) $(.$option:ident($($value:expr),*))*) => {
        $phase.call(stringify!($operation), $client.user_profile().$operation($($argument),*)$(.$option($($value),*))*).await
    };
}

/// Calls each operation once with realistic arguments and the default (JSON) body encoding.
async fn call_every_operation(phase: &mut Phase) {
    let client = phase.client.clone();
    call!(phase, client, list(50, 1).sort("name").reverse(true));
    call!(phase, client, create().body(new_user()));
    call!(phase, client, update_active_users(user_request()));
    call!(phase, client, active_users());
    call!(phase, client, download_csv());
    call!(phase, client, my_profile());
    call!(phase, client, logout(user_request()));
    call!(phase, client, update_my_profile(user_request()));
    call!(phase, client, options());
    call!(phase, client, set_preference(user_request()));
    call!(phase, client, upload_csv(csv_form()));
    call!(phase, client, invite(user_request()));
    call!(phase, client, validate_csv(csv_form()));
    call!(phase, client, get("42"));
    call!(phase, client, update("42", user_request()));
    call!(phase, client, delete("42"));
}

/// Calls each body-carrying operation once per encoding its request builder offers, and the
/// create operation, whose body is optional, once without a body.
async fn call_every_encoding(phase: &mut Phase) {
    let client = phase.client.clone();
    macro_rules! each_encoding {
        ($operation:ident($($argument:expr),*)) => {
            call!(phase, client, $operation($($argument,)* user_request()).with_json_encoding());
            call!(phase, client, $operation($($argument,)* form_user_request()).with_form_encoding());
            call!(phase, client, $operation($($argument,)* form_user_request()).with_multipart_encoding());
        };
    }
    each_encoding!(update_active_users());
    each_encoding!(logout());
    each_encoding!(update_my_profile());
    each_encoding!(set_preference());
    each_encoding!(invite());
    each_encoding!(update("42"));
    call!(phase, client, create());
}

/// Prism cannot read an array from repeated form or multipart fields (stoplightio/prism#2473),
/// which is why [`form_user_request`] leaves arrays out. This pins down that it is exactly that
/// and nothing else: when a Prism upgrade fixes it, this fails, and arrays go back in.
async fn prism_still_rejects_arrays_in_form_bodies(phase: &mut Phase) {
    let client = phase.client.clone();
    let expected = [
        "body.customer_id: Request body property customer_id must be array",
        "body.customer_entity_id: Request body property customer_entity_id must be array",
    ];
    let form = client.user_profile().update("42", user_request()).with_form_encoding().await;
    let multipart = client.user_profile().update("42", user_request()).with_multipart_encoding().await;
    for (encoding, result) in [("form", form), ("multipart", multipart)] {
        let Err(Error::Status(error)) = result else {
            panic!(
                "Prism now accepts arrays in {encoding} bodies: send them in call_every_encoding and drop this check"
            )
        };
        assert_eq!(error.status.as_u16(), 422, "{encoding}: {}", error.body_text());
        assert_eq!(validation_messages(&error.body_text()), expected, "{encoding}");
    }
    phase.requests += phase.tap.take().len();
}

/// A list request without its required query parameters, sent around the client: the check
/// must report it, with Prism's reasons, or the harness could never fail.
async fn harness_reports_a_wrong_request(phase: &mut Phase) {
    let url = format!("{}/ux/common/user/profile/", phase.tap.base_url());
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let response = http.get(url).header("Authorization", API_KEY).send().await.unwrap();
    let status = response.status().as_u16();
    let body = response.text().await.unwrap();
    phase.requests += phase.tap.take().len();

    let failure = check_status("list", status, &body)
        .expect_err("a list request without `items_per_page` and `page` passed the check");
    for reason in [
        "query: Request query must have required property 'items_per_page'",
        "query: Request query must have required property 'page'",
    ] {
        assert!(failure.contains(reason), "missing {reason:?} in:\n{failure}");
    }
}

/// Every operation of the document, by its method name.
fn operation_ids(spec: &Value) -> Vec<String> {
    operations(spec).map(|(id, _)| id).collect()
}

/// Each operation paired with every request media type it accepts, and with [`NO_BODY`] when
/// it takes no body or an optional one.
fn expected_coverage(spec: &Value) -> BTreeSet<(String, String)> {
    let mut expected = BTreeSet::new();
    for (id, operation) in operations(spec) {
        let body = &operation["requestBody"];
        for media_type in body["content"].as_object().into_iter().flatten().map(|(name, _)| name) {
            expected.insert((id.clone(), media_type.clone()));
        }
        if body["required"] != Value::Bool(true) {
            expected.insert((id, NO_BODY.to_owned()));
        }
    }
    expected
}

/// Each operation with the name of its method: the one `specs/overlays/names.yaml` gives it
/// (`x-speakeasy-name-override`), else its `operationId`.
fn operations(spec: &Value) -> impl Iterator<Item = (String, &Value)> {
    let paths = spec["paths"].as_object().expect("the document has paths");
    paths.values().flat_map(|item| item.as_object().unwrap().values()).filter_map(|operation| {
        let name = operation.get("x-speakeasy-name-override").or_else(|| operation.get("operationId"));
        Some((name?.as_str()?.to_owned(), operation))
    })
}
