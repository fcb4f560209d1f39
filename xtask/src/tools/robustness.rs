//! Robustness test: mutated fragments, JSON and YAML, go through the whole pipeline (read,
//! 3.1 conversion, merge, overlays, lint, generate). Each must give output or diagnostics,
//! never a panic. A fixed seed keeps runs reproducible; a time budget keeps them short.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::pipeline::downgrade::downgrade;
use crate::pipeline::fragment::{Fragment, parse_fragment, read_fragments};
use crate::pipeline::generate_document;
use crate::pipeline::merge::{SourceMap, merge};
use crate::pipeline::overlay::apply_overlays;

/// xorshift64*: small, deterministic, good enough to pick mutations.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }
}

/// Values that exercise the checks: wrong types, dangling and cyclic refs, 3.1 forms.
fn interesting_values() -> Vec<Value> {
    vec![
        json!(null),
        json!(true),
        json!(-1),
        json!(1.5),
        json!(""),
        json!("{id}"),
        json!([]),
        json!({}),
        json!({ "$ref": "#/components/schemas/UserList" }),
        json!({ "$ref": "#/components/schemas/Missing" }),
        json!({ "$ref": "other.yaml#/X" }),
        json!({ "type": ["string", "null"], "const": 1, "examples": [1, 2] }),
        json!({ "type": "array" }),
        json!({ "type": "object", "properties": { "self": { "$ref": "#/components/schemas/UserList" } } }),
        json!({ "allOf": [{ "$ref": "#/components/schemas/UserList" }, { "required": ["nope"] }] }),
        json!({ "oneOf": [] }),
        json!({ "name": "id", "in": "path" }),
        json!({ "enum": [null, 1, "a", [], {}] }),
        json!("3.1.0"),
    ]
}

const KEYS: [&str; 12] = [
    "$ref",
    "type",
    "items",
    "properties",
    "required",
    "parameters",
    "schema",
    "get",
    "operationId",
    "content",
    "nullable",
    "exclusiveMinimum",
];

/// Replaces a random node (or renames a random key) somewhere in `value`.
fn mutate_value(value: &mut Value, random: &mut Random, values: &[Value]) {
    // Pick a random path down first, then follow it mutably.
    let mut path = Vec::new();
    let mut node = &*value;
    for _ in 0..random.below(12) {
        let length = match node {
            Value::Object(object) => object.len(),
            Value::Array(items) => items.len(),
            _ => 0,
        };
        if length == 0 {
            break;
        }
        let index = random.below(length);
        path.push(index);
        node = match node {
            Value::Object(object) => object.values().nth(index).expect("index in range"),
            Value::Array(items) => &items[index],
            _ => unreachable!("only containers have a length"),
        };
    }
    let mut node = value;
    for index in path {
        node = match node {
            Value::Object(object) => object.values_mut().nth(index).expect("index in range"),
            Value::Array(items) => &mut items[index],
            _ => unreachable!("the path was taken through containers"),
        };
    }
    match (random.below(3), node) {
        (0, Value::Object(object)) if !object.is_empty() => {
            let key = object.keys().nth(random.below(object.len())).expect("index in range").clone();
            let entry = object.shift_remove(&key).expect("the key was just found");
            let renamed = KEYS[random.below(KEYS.len())];
            object.insert(if random.below(2) == 0 { renamed.to_owned() } else { format!("{key}x") }, entry);
        }
        (_, node) => *node = values[random.below(values.len())].clone(),
    }
}

/// Deletes, duplicates or inserts a short piece of text at a character boundary.
fn mutate_text(text: &str, random: &mut Random) -> String {
    const PIECES: [&str; 10] = ["{", "}", "[", "]", ",", ":", "\"", "\n  - ", "'", "&a *a"];
    let chars: Vec<char> = text.chars().collect();
    let at = random.below(chars.len());
    let length = random.below(8).min(chars.len() - at);
    let (before, rest) = chars.split_at(at);
    let mut out: String = before.iter().collect();
    match random.below(3) {
        0 => out.extend(&rest[length..]),
        1 => {
            out.extend(&rest[..length]);
            out.extend(rest);
        }
        _ => {
            out.push_str(PIECES[random.below(PIECES.len())]);
            out.extend(rest);
        }
    }
    out
}

/// Runs one fragment text through the pipeline next to the base document; must not panic.
/// Returns whether it got as far as the generator.
fn run_pipeline(file: &str, text: &str, base: &Fragment, other: &Fragment) -> bool {
    let Ok(mut document) = parse_fragment(file, text) else { return false };
    downgrade(&mut document);
    let fragments = [base.clone(), other.clone(), Fragment { file: file.to_owned(), document }];
    let Ok(merged) = merge(&fragments) else { return false };
    let mut document = merged.document;
    let overlay = json!({ "overlay": "1.0.0", "actions": [
        { "target": "$.paths.*.*.responses", "update": { "default": { "description": "" } } },
        { "target": "$..[?(@.readOnly == true)]", "update": { "readOnly": false } },
    ] });
    let overlays = [Fragment { file: "specs/overlays/a.yaml".into(), document: overlay }];
    let _ = apply_overlays(&mut document, &overlays, &mut SourceMap::default());
    let _ = generate_document(document, crate::pipeline::Strictness::Strict, &Default::default());
    true
}

#[test]
fn mutated_fragments_never_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let fragments = read_fragments(&root, &root.join("specs")).unwrap().unwrap();
    let (base, seeds) = fragments.split_first().expect("specs/base.yaml sorts first");
    let values = interesting_values();
    let mut random = Random(0x5eed_1234_abcd_0001);
    let deadline = Instant::now() + Duration::from_secs(3);
    let mut runs = 0;
    let mut generated = 0;
    while runs < 3000 && Instant::now() < deadline {
        let seed = &seeds[random.below(seeds.len())];
        let other = &seeds[random.below(seeds.len())];
        let mut document = seed.document.clone();
        for _ in 0..=random.below(3) {
            mutate_value(&mut document, &mut random, &values);
        }
        let yaml = random.below(2) == 0;
        let (file, mut text) = if yaml {
            ("specs/m/f.yaml", serde_yaml::to_string(&document).unwrap())
        } else {
            ("specs/m/f.json", serde_json::to_string_pretty(&document).unwrap())
        };
        if random.below(3) == 0 {
            text = mutate_text(&text, &mut random);
        }
        let result = std::panic::catch_unwind(|| run_pipeline(file, &text, base, other));
        let Ok(reached_generator) = result else { panic!("the pipeline panicked on {file}:\n{text}") };
        generated += usize::from(reached_generator);
        runs += 1;
    }
    eprintln!("robustness: {runs} mutated fragments, {generated} reached the generator");
    assert!(runs >= 50, "only {runs} runs in the time budget");
    assert!(generated * 4 >= runs, "too few mutations get past the merge to test the generator");
}
