//! Snapshot tests of the generator: one snapshot of the formatted output per spec under
//! `tests/specs/`, one of the rendered diagnostics per spec under `tests/specs/invalid/`, and
//! one of the seed (the merged User Profile document the checked-in client is built from).

use std::fs;
use std::path::Path;

fn read(path: &Path) -> openapiv3::OpenAPI {
    let text = fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let parsed = if path.extension().is_some_and(|it| it == "json") {
        serde_json::from_str(&text).map_err(|it| it.to_string())
    } else {
        serde_yaml::from_str(&text).map_err(|it| it.to_string())
    };
    parsed.unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// The warnings, then each file under a header line.
fn render(path: &Path) -> String {
    render_with(path, &generator::Options::default())
}

fn render_with(path: &Path, options: &generator::Options) -> String {
    let output = generator::generate(read(path), options).unwrap_or_else(|diagnostics| {
        let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        panic!("{} does not generate:\n{}", path.display(), lines.join("\n"))
    });
    let mut rendered = String::new();
    for warning in &output.warnings {
        rendered.push_str(&format!("// {warning}\n"));
    }
    for file in &output.files {
        rendered.push_str(&format!("\n// ===== {} =====\n{}", file.name, file.contents));
    }
    rendered
}

#[test]
fn generated_output() {
    insta::glob!("specs/*.yaml", |path| {
        insta::assert_snapshot!(render(path));
    });
}

/// The grouping spec with grouping turned off: every operation a method of the client, named
/// after its whole operationId.
#[test]
fn without_groups() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs/groups.yaml");
    insta::assert_snapshot!(render_with(
        &path,
        &generator::Options { group_by_tag: false, ..Default::default() }
    ));
}

#[test]
fn invalid_specs() {
    insta::glob!("specs/invalid/*.yaml", |path| {
        let diagnostics = match generator::generate(read(path), &generator::Options::default()) {
            Ok(_) => panic!("{} generated, but it is invalid", path.display()),
            Err(diagnostics) => diagnostics,
        };
        let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        insta::assert_snapshot!(lines.join("\n"));
    });
}

#[test]
fn seed() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated-client/openapi.json");
    insta::assert_snapshot!(render(&path));
}
