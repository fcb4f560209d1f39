//! The `infraon` command-line tool (cargo feature `cli`), run as a user runs it: the built binary
//! against a local server, whose answers come from the crate's typed mocks.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{API_KEY, base_url, user};
use infraon_client::mock;
use serde_json::{Value, json};
use wiremock::MockServer;

/// What a run of the tool gave: its exit code, standard output and standard error.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `infraon ARGS` against `server`, with `stdin` on its standard input.
async fn infraon(server: &MockServer, args: &[&str], stdin: &str) -> Run {
    let (base, args, stdin) =
        (base_url(server), args.iter().map(|it| (*it).to_owned()).collect::<Vec<_>>(), stdin.to_owned());
    tokio::task::spawn_blocking(move || {
        let mut child = Command::new(env!("CARGO_BIN_EXE_infraon"))
            .args(&args)
            .env("INFRAON_BASE_URL", base)
            .env("INFRAON_API_KEY_AUTH", API_KEY)
            .env("NO_PROXY", "127.0.0.1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the infraon binary runs");
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        let output = child.wait_with_output().unwrap();
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).unwrap(),
            stderr: String::from_utf8(output.stderr).unwrap(),
        }
    })
    .await
    .unwrap()
}

/// `--help` of a group and of an operation, as users read them (with no environment variables
/// set, whose values help shows).
#[test]
fn help_of_a_group_and_an_operation() {
    for (name, args) in
        [("group", &["user-profile", "--help"][..]), ("operation", &["user-profile", "get", "--help"][..])]
    {
        let output = Command::new(env!("CARGO_BIN_EXE_infraon"))
            .args(args)
            .env_remove("INFRAON_BASE_URL")
            .env_remove("INFRAON_API_KEY_AUTH")
            .output()
            .expect("the infraon binary runs");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        insta::assert_snapshot!(format!("help_{name}"), String::from_utf8(output.stdout).unwrap());
    }
}

#[tokio::test]
async fn get_prints_the_user_as_json() {
    let server = MockServer::start().await;
    let mounted = mock::user_profile::get().id("42").respond(user()).mount(&server).await;

    let run = infraon(&server, &["user-profile", "get", "42"], "").await;

    assert_eq!(run.code, 0, "{}", run.stderr);
    let printed: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(printed, serde_json::to_value(user()).unwrap());
    assert_eq!(mounted.calls().await, 1);
}

#[tokio::test]
async fn all_streams_every_item_of_every_page() {
    let server = MockServer::start().await;
    let page = |ids: &[i64]| json!({ "count": 3, "data": ids.iter().map(|it| json!({ "id": it })).collect::<Vec<_>>() });
    let _first = mock::user_profile::list()
        .items_per_page(2)
        .page(1)
        .respond_json(200, page(&[1, 2]))
        .mount(&server)
        .await;
    let _second = mock::user_profile::list()
        .items_per_page(2)
        .page(2)
        .respond_json(200, page(&[3]))
        .mount(&server)
        .await;

    let args =
        ["user-profile", "list", "--items-per-page", "2", "--page", "1", "--all", "--format", "json-lines"];
    let run = infraon(&server, &args, "").await;

    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "{\"id\":1}\n{\"id\":2}\n{\"id\":3}\n");
}

#[tokio::test]
async fn create_takes_its_body_from_standard_input() {
    let server = MockServer::start().await;
    let body = json!({ "name": "Ada Lovelace", "email": "ada@example.com" });
    let mounted = mock::user_profile::create()
        .body(body.as_object().unwrap().clone())
        .respond_json(201, json!({ "status": "success", "user_id": 20 }))
        .mount(&server)
        .await;

    let run = infraon(&server, &["user-profile", "create", "--body", "-"], &body.to_string()).await;

    assert_eq!(run.code, 0, "{}\n{:?}", run.stderr, mounted.misses());
    assert_eq!(serde_json::from_str::<Value>(&run.stdout).unwrap()["user_id"], 20);
}

#[tokio::test]
async fn the_csv_export_goes_to_a_file_as_sent() {
    let server = MockServer::start().await;
    let csv = "name,email\nAda Lovelace,ada@example.com\n";
    let _export = mock::user_profile::download_csv().respond_raw(200, "text/csv", csv).mount(&server).await;
    let file = std::env::temp_dir().join(format!("infraon-cli-export-{}.csv", std::process::id()));

    let run =
        infraon(&server, &["user-profile", "download-csv", "--raw", "--output", file.to_str().unwrap()], "")
            .await;

    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), csv);
    std::fs::remove_file(&file).unwrap();
}

#[tokio::test]
async fn an_error_status_exits_with_3_and_says_what_the_server_said() {
    let server = MockServer::start().await;
    let _missing = mock::user_profile::get()
        .id("7")
        .respond_json(404, json!({ "detail": "Not found." }))
        .mount(&server)
        .await;

    let run = infraon(&server, &["user-profile", "get", "7"], "").await;

    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("404"), "{}", run.stderr);
    assert!(run.stderr.contains("Not found."), "{}", run.stderr);
    assert!(run.stdout.is_empty());
}

#[tokio::test]
async fn a_usage_error_exits_with_2() {
    let server = MockServer::start().await;
    let run = infraon(&server, &["user-profile", "list", "--page", "one"], "").await;
    assert_eq!(run.code, 2, "{}", run.stderr);
}
