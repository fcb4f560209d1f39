//! The behaviour tests of the snapshot specs' clients. `generator/tests/clients/<spec>.rs` is a
//! hand-written integration test of the client generated from `generator/tests/specs/<spec>.yaml`
//! (decode a `null`, write a union's tag, send a path setting). Each client is generated into
//! `target/spec-clients/` as `cargo xtask generate` writes it, its test copied into the crate's
//! `tests/`, and one `cargo test` of that scratch workspace runs them all: nothing generated is
//! checked in twice, and a test always runs against what the generator writes now.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::tools::generate::{
    CrateOptions, Runtime, crate_name, render_crate, workspace_dependency, write_crate,
};
use crate::tools::scratch;

/// Where the tests are, relative to the workspace root.
const TESTS_DIR: &str = "generator/tests/clients";

/// Generates the client of every spec with a behaviour test into `target/spec-clients/` and runs
/// the tests. The error holds cargo's output when a client does not build or a test fails.
pub fn run(root: &Path) -> Result<()> {
    let dir = root.join("target/spec-clients");
    let mut members = Vec::new();
    for test in behaviour_tests(root)? {
        let spec = test.file_stem().and_then(|it| it.to_str()).context("test files have UTF-8 names")?;
        let document = root.join(format!("generator/tests/specs/{spec}.yaml"));
        let name = crate_name(&document);
        let crate_dir = dir.join(&name);
        let runtime = Runtime::within_repository(&crate_dir)?.context("target/ is in the repository")?;
        let mut client = match render_crate(&document, &name, &CrateOptions::member(runtime))? {
            Ok(client) => client,
            Err(diagnostics) => {
                let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
                bail!("{} does not generate:\n{}", document.display(), lines.join("\n"));
            }
        };
        let manifest =
            client.files.iter_mut().find(|(file, _)| file == "Cargo.toml").context("a manifest")?;
        // The tests talk HTTP to a local server, as generated-client's do.
        manifest.1.push_str("\n[dev-dependencies]\n");
        for dependency in ["tokio", "wiremock"] {
            manifest.1.push_str(&workspace_dependency(dependency)?);
            manifest.1.push('\n');
        }
        // A previous run's files of a spec whose output changed must not linger.
        let _ = fs::remove_dir_all(&crate_dir);
        write_crate(&crate_dir, &client)?;
        fs::create_dir_all(crate_dir.join("tests"))?;
        fs::copy(&test, crate_dir.join("tests").join(format!("{spec}.rs")))
            .with_context(|| format!("copying {}", test.display()))?;
        members.push(name);
    }
    let members: Vec<&str> = members.iter().map(String::as_str).collect();
    scratch::write_workspace(&dir, "spec-clients", &members)?;
    let output = scratch::cargo(&dir)
        .args(["test", "--workspace", "--tests", "--offline", "--no-fail-fast"])
        .output()
        .context("running cargo test")?;
    if !output.status.success() {
        bail!(
            "cargo test of the spec clients in {} failed ({}):\n{}\n{}",
            dir.display(),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(())
}

/// `generator/tests/clients/*.rs`, sorted.
fn behaviour_tests(root: &Path) -> Result<Vec<std::path::PathBuf>> {
    let dir = root.join(TESTS_DIR);
    let mut tests: Vec<_> = fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .map(|entry| entry.map(|it| it.path()))
        .collect::<Result<_, _>>()?;
    tests.retain(|it| it.extension().is_some_and(|ext| ext == "rs"));
    tests.sort();
    Ok(tests)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::root::workspace_root;

    /// Builds eight small clients and their tests in a workspace of their own: the first run
    /// compiles their dependencies into `target/scratch` (a few minutes on two cores), which the
    /// other scratch builds then reuse.
    #[test]
    fn spec_clients_pass_their_behaviour_tests() {
        if let Err(error) = run(&workspace_root()) {
            panic!("{error:#}");
        }
    }
}
