//! The generated client's own cost. `cargo bench -p bench --bench client` measures:
//!
//! - `call/*`: one `GET /ux/common/user/profile/{id}/` against a local keep-alive HTTP server,
//!   through the generated client and written directly with reqwest + serde_json (same
//!   `reqwest::Client`, same decoded type), then an interleaved A/B run of both that prints the
//!   median per-call times and their ratio (interleaving keeps load from other processes on
//!   this machine from favouring either side);
//! - `decode/*`: a 10,000-user list decoded into the generated `models::UserList` (as the client
//!   runtime decodes a success body), into `serde_json::Value`, and into a hand-written struct.

use std::time::{Duration, Instant};

use bench::calls::{API_KEY, direct_call, generated_call, serve, user_json};
use criterion::{Criterion, Throughput};
use infraon_client::Client;
use infraon_client::models::UserList;
use serde::Deserialize;

const USERS: usize = 10_000;

fn main() {
    let mut criterion = Criterion::default()
        .output_directory(&bench::workspace_root().join("target/criterion"))
        .configure_from_args();
    let measuring = std::env::args().any(|it| it == "--bench");
    calls(&mut criterion, measuring);
    decoding(&mut criterion, measuring);
    criterion.final_summary();
}

/// One user as the API sends it.
fn calls(criterion: &mut Criterion, measuring: bool) {
    let base = serve(serde_json::to_vec(&user_json(42)).unwrap());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let http = reqwest::Client::new();
    let client = Client::builder(&base).api_key_auth(API_KEY).http_client(http.clone()).build().unwrap();
    assert_eq!(runtime.block_on(generated_call(&client)), runtime.block_on(direct_call(&http, &base)));

    let mut group = criterion.benchmark_group("call");
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("generated", |b| b.to_async(&runtime).iter(|| generated_call(&client)));
    group.bench_function("direct", |b| b.to_async(&runtime).iter(|| direct_call(&http, &base)));
    group.finish();
    if !measuring {
        return;
    }

    // Interleaved A/B: alternate batches, swapping which side goes first each round.
    const ROUNDS: usize = 200;
    const BATCH: u32 = 50;
    let (mut generated, mut direct) = (Vec::new(), Vec::new());
    runtime.block_on(async {
        for round in 0..ROUNDS {
            for side in [round % 2, 1 - round % 2] {
                let started = Instant::now();
                for _ in 0..BATCH {
                    if side == 0 {
                        std::hint::black_box(generated_call(&client).await);
                    } else {
                        std::hint::black_box(direct_call(&http, &base).await);
                    }
                }
                let per_call = started.elapsed() / BATCH;
                if side == 0 { generated.push(per_call) } else { direct.push(per_call) }
            }
        }
    });
    let (generated, direct) = (median(&mut generated), median(&mut direct));
    println!(
        "call, interleaved ({ROUNDS} rounds of {BATCH} calls each): generated {:.1} µs, direct {:.1} µs, \
         ratio generated/direct {:.3}",
        generated.as_secs_f64() * 1e6,
        direct.as_secs_f64() * 1e6,
        generated.as_secs_f64() / direct.as_secs_f64()
    );
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// The same fields as `models::UserList`, written by hand.
#[derive(Deserialize)]
#[allow(dead_code)]
struct HandUser {
    profile_id: String,
    user: Option<i64>,
    profile: String,
    creation_time: Option<chrono::DateTime<chrono::FixedOffset>>,
    profile_image: String,
    avatar: String,
    email: Option<String>,
    name: String,
    is_active: Option<bool>,
    last_loggged_in: String,
    customer_id: Option<Vec<serde_json::Value>>,
    customer_entity_id: Option<Vec<serde_json::Value>>,
    actual_username: String,
    is_multiple_customer_user: Option<bool>,
    is_profile_image: Option<bool>,
}

fn decoding(criterion: &mut Criterion, measuring: bool) {
    let users: Vec<serde_json::Value> = (0..USERS).map(user_json).collect();
    let body = serde_json::to_vec(&users).unwrap();
    let mut group = criterion.benchmark_group("decode");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.measurement_time(Duration::from_secs(5));
    type Decoder = fn(&[u8]) -> usize;
    // The runtime decodes a success body exactly as "generated" does (serde_path_to_error only
    // runs again after a failure, to name the field).
    let decoders: [(&str, Decoder); 3] = [
        ("generated", |body| serde_json::from_slice::<Vec<UserList>>(body).unwrap().len()),
        ("value", |body| {
            serde_json::from_slice::<serde_json::Value>(body).unwrap().as_array().unwrap().len()
        }),
        ("hand_written", |body| serde_json::from_slice::<Vec<HandUser>>(body).unwrap().len()),
    ];
    for (name, decode) in decoders {
        assert_eq!(decode(&body), USERS);
        group.bench_function(name, |b| b.iter(|| decode(&body)));
    }
    group.finish();
    if !measuring {
        return;
    }

    // Interleaved: every round decodes once with each, starting with a different one each time.
    const ROUNDS: usize = 60;
    let mut samples = vec![Vec::new(); decoders.len()];
    for round in 0..ROUNDS {
        for offset in 0..decoders.len() {
            let index = (round + offset) % decoders.len();
            let started = Instant::now();
            std::hint::black_box(decoders[index].1(&body));
            samples[index].push(started.elapsed());
        }
    }
    let medians: Vec<Duration> = samples.iter_mut().map(|it| median(it)).collect();
    println!("decode {USERS} users, interleaved ({ROUNDS} rounds), median ms and ratio to `value`:");
    for ((name, _), median) in decoders.iter().zip(&medians) {
        println!(
            "  {name:<18} {:>8.2} ms {:>6.2}",
            median.as_secs_f64() * 1e3,
            median.as_secs_f64() / medians[1].as_secs_f64()
        );
    }
}
