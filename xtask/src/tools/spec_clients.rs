//! `generator/tests/clients/`: the clients of some snapshot specs, generated as `cargo xtask
//! generate` would and checked in, so that hand-written tests can run what the generator
//! writes (decode a `null`, serialize a tag, send a path setting) under plain `cargo test`.
//!
//! `cargo xtask codegen` writes them beside the checked-in client, `--check` and
//! `tests::spec_clients_are_fresh` compare them, and each crate's `tests/` folder is
//! hand-written and left alone.

use std::path::Path;

use anyhow::{Context, Result};

use crate::tools::generate::{CrateOptions, Runtime, crate_name, render_crate, workspace_dependency};

/// The specs under `generator/tests/specs/` whose clients have behaviour tests.
pub const SPECS: &[&str] = &[
    "accept",
    "discriminator_tags",
    "nullable",
    "path_settings",
    "pointer_refs",
    "reserved_type_names",
    "union_order",
    "unknown_security_scheme",
];

/// Where the clients live, relative to the workspace root.
pub const CLIENTS_DIR: &str = "generator/tests/clients";

/// Every file of every client, relative to the workspace root, with its contents.
pub fn render(root: &Path) -> Result<Vec<(String, String)>> {
    let mut files = Vec::new();
    for spec in SPECS {
        let path = root.join(format!("generator/tests/specs/{spec}.yaml"));
        let dir = format!("{CLIENTS_DIR}/{spec}");
        let runtime =
            Runtime::within_repository(&root.join(&dir))?.context("the clients are in the repository")?;
        let client = match render_crate(&path, &crate_name(&path), &CrateOptions::member(runtime))? {
            Ok(client) => client,
            Err(diagnostics) => {
                let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
                anyhow::bail!("{} does not generate:\n{}", path.display(), lines.join("\n"));
            }
        };
        for (file, mut contents) in client.files {
            // The tests talk HTTP to a local server, as generated-client's do.
            if file == "Cargo.toml" {
                contents.push_str("\n[dev-dependencies]\n");
                for dependency in ["tokio", "wiremock"] {
                    contents.push_str(&workspace_dependency(dependency)?);
                    contents.push('\n');
                }
            }
            files.push((format!("{dir}/{file}"), contents));
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::root::workspace_root;

    #[test]
    fn spec_clients_are_fresh() {
        let root = workspace_root();
        let stale: Vec<String> = render(&root)
            .expect("the specs generate")
            .into_iter()
            .filter(|(path, contents)| {
                std::fs::read_to_string(root.join(path)).ok().as_ref() != Some(contents)
            })
            .map(|(path, _)| path)
            .collect();
        assert!(
            stale.is_empty(),
            "out of date: {}\nrun `cargo xtask codegen` and commit the result",
            stale.join(", ")
        );
    }
}
