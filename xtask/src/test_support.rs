//! Helpers shared by the tests of the pipeline and of the tools: a scratch workspace under the
//! system temp folder holding a copy of `specs/`, to edit and run the pipeline on.

use std::fs;
use std::path::{Path, PathBuf};

use crate::root::workspace_root;

/// A scratch workspace holding a copy of this repository's `specs/`, removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    /// A fresh copy; `name` keeps the folders of tests running at the same time apart.
    pub fn new(name: &str) -> Scratch {
        let root = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        copy_dir(&workspace_root().join("specs"), &root.join("specs"));
        Scratch(root)
    }

    /// Every file under `relative`, with its bytes, sorted by path.
    pub fn files_under(&self, relative: &str) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files = Vec::new();
        collect(&self.0.join(relative), &mut files);
        files.sort();
        files
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() { copy_dir(&path, &target) } else { fs::copy(&path, &target).map(drop).unwrap() }
    }
}

fn collect(dir: &Path, files: &mut Vec<(PathBuf, Vec<u8>)>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, files)
        } else {
            files.push((path.clone(), fs::read(&path).unwrap()))
        }
    }
}
