//! Example values for `cargo xtask contract`: a JSON value that a schema accepts, made up from
//! the schema alone, for every argument and body the harness sends.
//!
//! The values are plain and predictable rather than random: Prism judges the requests, and a
//! rejected request tests nothing, so each value keeps to the schema's constraints (`enum`,
//! `default`, formats, lengths, bounds, `required`) and leaves out what it may leave out
//! (optional and read-only properties). A `pattern` cannot be satisfied in general, so a
//! string with one takes the schema's own `default` or `example` when it has one.

use percent_encoding::percent_decode_str;
use serde_json::{Map, Value, json};

/// How deep values nest before a recursive schema is cut off with its smallest value.
const MAX_DEPTH: usize = 8;

/// A value `schema` accepts, in a request (read-only properties are left out). `$ref`s are
/// resolved in `document`.
pub fn example(document: &Value, schema: &Value) -> Value {
    Examples { document }.value(schema, 0)
}

/// Follows `$ref`s to a local JSON pointer of `document`, as far as they lead; a reference that
/// points nowhere gives `None`.
pub fn resolve<'a>(document: &'a Value, value: &'a Value) -> Option<&'a Value> {
    let mut current = value;
    for _ in 0..MAX_DEPTH * 4 {
        let Some(reference) = current.get("$ref").and_then(Value::as_str) else { return Some(current) };
        current = document.pointer(&pointer_of(reference)?)?;
    }
    None
}

/// The JSON pointer of a local reference: `#/components/schemas/A%20B` → `/components/schemas/A B`.
fn pointer_of(reference: &str) -> Option<String> {
    let fragment = reference.strip_prefix('#')?;
    Some(percent_decode_str(fragment).decode_utf8_lossy().into_owned())
}

struct Examples<'a> {
    document: &'a Value,
}

impl<'a> Examples<'a> {
    fn value(&self, schema: &Value, depth: usize) -> Value {
        let Some(schema) = resolve(self.document, schema) else { return json!("contract") };
        let Some(object) = schema.as_object() else { return json!("contract") };
        // Past the depth limit a recursive schema ends where it may: in `null`, an empty array,
        // or an object with only its required properties; one that requires itself forever
        // has no value at all, and ends in a placeholder.
        if depth >= MAX_DEPTH && object.get("nullable") == Some(&json!(true)) {
            return Value::Null;
        }
        if depth >= MAX_DEPTH * 2 {
            return json!("contract");
        }
        if let Some(values) = object.get("enum").and_then(Value::as_array) {
            return values.iter().find(|it| !it.is_null()).or(values.first()).cloned().unwrap_or(Value::Null);
        }
        if let Some(members) = object.get("allOf").and_then(Value::as_array) {
            return self.all_of(object, members, depth);
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(members) = object.get(keyword).and_then(Value::as_array) {
                if let Some(value) = self.one_of(object, members, depth) {
                    return value;
                }
            }
        }
        match type_of(object) {
            Some("string") => string(object),
            Some("integer") => integer(object),
            Some("number") => number(object),
            Some("boolean") => {
                object.get("default").filter(|it| it.is_boolean()).cloned().unwrap_or(json!(true))
            }
            Some("array") => self.array(object, depth),
            Some("object") => self.object(object, depth),
            _ => json!("contract"),
        }
    }

    /// The members' values merged into one object (the first non-object value wins otherwise),
    /// with the schema's own properties beside `allOf` merged in too.
    fn all_of(&self, object: &Map<String, Value>, members: &[Value], depth: usize) -> Value {
        let mut merged = Map::new();
        let own = object.contains_key("properties").then(|| self.object(object, depth));
        for value in members.iter().map(|member| self.value(member, depth + 1)).chain(own) {
            match value {
                Value::Object(properties) => merged.extend(properties),
                other if merged.is_empty() => return other,
                _ => {}
            }
        }
        Value::Object(merged)
    }

    /// The value of the first member that is not only `null`, with the discriminator property
    /// set to the value naming that member. A string member goes before numeric ones: in a path
    /// or a query, where everything is text, a number would match both (GitHub's `workflow_id`,
    /// `oneOf: [integer, string]`), and `oneOf` allows one.
    fn one_of(&self, object: &Map<String, Value>, members: &[Value], depth: usize) -> Option<Value> {
        let candidates: Vec<&Value> = members
            .iter()
            .filter(|member| {
                resolve(self.document, member).is_some_and(|it| it.get("enum") != Some(&json!([null])))
            })
            .collect();
        let kind = |member: &Value| {
            let schema = resolve(self.document, member).and_then(Value::as_object);
            schema.and_then(type_of).unwrap_or_default().to_owned()
        };
        let numeric = candidates.iter().any(|it| matches!(kind(it).as_str(), "integer" | "number"));
        let text = candidates.iter().find(|it| kind(it) == "string").filter(|_| numeric);
        let member = *text.or(candidates.first())?;
        // Inline members beside properties narrow them: they say which are required (GitHub's
        // `anyOf: [{ required: [cname] }, ...]`) and may restrict some (`checks/create`: status
        // `completed` requires `conclusion`). The value is the object with both.
        let constraint = (!member.as_object().is_some_and(|it| it.contains_key("$ref")))
            .then(|| member.as_object())
            .flatten()
            .filter(|it| {
                object.contains_key("properties") && type_of(it).is_none_or(|kind| kind == "object")
            });
        if let Some(constraint) = constraint {
            let mut merged = object.clone();
            merged.remove("oneOf");
            merged.remove("anyOf");
            let mut required = merged.get("required").and_then(Value::as_array).cloned().unwrap_or_default();
            required
                .extend(constraint.get("required").and_then(Value::as_array).cloned().unwrap_or_default());
            merged.insert("required".to_owned(), Value::Array(required));
            if let Some(narrowed) = constraint.get("properties").and_then(Value::as_object) {
                let mut properties =
                    merged.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
                properties.extend(narrowed.clone());
                merged.insert("properties".to_owned(), Value::Object(properties));
            }
            return Some(self.object(&merged, depth));
        }
        let mut value = self.value(member, depth + 1);
        let discriminator = object.get("discriminator");
        let property = discriminator.and_then(|it| it.get("propertyName")).and_then(Value::as_str);
        let reference = member.get("$ref").and_then(Value::as_str);
        if let (Some(property), Some(reference), Value::Object(fields)) = (property, reference, &mut value) {
            let mapping = discriminator.and_then(|it| it.get("mapping")).and_then(Value::as_object);
            let mapped = mapping.into_iter().flatten().find(|(_, target)| target.as_str() == Some(reference));
            let tag = match mapped {
                Some((tag, _)) => tag.clone(),
                None => reference.rsplit('/').next().unwrap_or(reference).to_owned(),
            };
            fields.insert(property.to_owned(), Value::String(tag));
        }
        Some(value)
    }

    fn array(&self, object: &Map<String, Value>, depth: usize) -> Value {
        let minimum = object.get("minItems").and_then(Value::as_u64).unwrap_or(1).max(1);
        let maximum = object.get("maxItems").and_then(Value::as_u64).unwrap_or(u64::MAX);
        let count = minimum.min(maximum);
        if count == 0 || (depth >= MAX_DEPTH && !object.contains_key("minItems")) {
            return json!([]);
        }
        let item = match object.get("items") {
            Some(items) => self.value(items, depth + 1),
            None => json!("contract"),
        };
        Value::Array(vec![item; count as usize])
    }

    /// The required properties that are not read-only; a map with entries when the schema
    /// asks for some.
    fn object(&self, object: &Map<String, Value>, depth: usize) -> Value {
        let required: Vec<&str> = object
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let properties = object.get("properties").and_then(Value::as_object);
        let mut out = Map::new();
        for name in required {
            let schema = properties.and_then(|it| it.get(name));
            let read_only = schema
                .and_then(|it| resolve(self.document, it))
                .is_some_and(|it| it.get("readOnly") == Some(&json!(true)));
            if read_only {
                continue;
            }
            let value = match schema {
                Some(schema) => self.value(schema, depth + 1),
                None => json!("contract"),
            };
            out.insert(name.to_owned(), value);
        }
        let wants_entries =
            object.get("minProperties").and_then(Value::as_u64).is_some_and(|it| it as usize > out.len());
        if let (true, Some(additional)) = (wants_entries, object.get("additionalProperties")) {
            let value =
                if additional.is_object() { self.value(additional, depth + 1) } else { json!("contract") };
            out.insert("contract".to_owned(), value);
        }
        Value::Object(out)
    }
}

/// The schema's `type`, or the one its keywords imply.
fn type_of(object: &Map<String, Value>) -> Option<&str> {
    if let Some(kind) = object.get("type").and_then(Value::as_str) {
        return Some(kind);
    }
    if ["properties", "additionalProperties", "required"].iter().any(|it| object.contains_key(*it)) {
        Some("object")
    } else if object.contains_key("items") {
        Some("array")
    } else {
        None
    }
}

fn string(object: &Map<String, Value>) -> Value {
    let own = |key: &str| object.get(key).filter(|it| it.is_string()).cloned();
    if let Some(default) = own("default") {
        return default;
    }
    let format = object.get("format").and_then(Value::as_str).unwrap_or_default();
    let formatted = match format {
        "date-time" => Some("2024-01-02T03:04:05Z"),
        "date" => Some("2024-01-02"),
        "time" => Some("03:04:05"),
        "uuid" => Some("00000000-0000-4000-8000-000000000000"),
        "email" => Some("contract@example.com"),
        "uri" | "url" => Some("https://example.com/contract"),
        "hostname" => Some("example.com"),
        "ipv4" => Some("127.0.0.1"),
        "ipv6" => Some("::1"),
        "byte" => Some("Y29udHJhY3Q="),
        _ => None,
    };
    // A known format says more than a pattern, which usually only restates it (freee's
    // `^\d{4}-\d{2}-\d{2}$` dates), and the client decodes it into a typed value.
    let mut text = formatted.unwrap_or("contract").to_owned();
    let mut padding = 'x';
    if let (None, Some(pattern)) = (formatted, object.get("pattern").and_then(Value::as_str)) {
        if let Some(example) = own("example") {
            return example;
        }
        if let Some(matching) = from_pattern(pattern) {
            padding = matching.chars().last().unwrap_or(padding);
            text = matching;
        }
    }
    let length = |key: &str| object.get(key).and_then(Value::as_u64).map(|it| it as usize);
    if let Some(minimum) = length("minLength") {
        // Repeating a pattern's last character keeps its trailing `+` or `*` class matched
        // (GitHub's `commit_sha`: `^[0-9a-fA-F]+$`, 40 long at least).
        while text.chars().count() < minimum {
            text.push(padding);
        }
    }
    if let Some(maximum) = length("maxLength") {
        text = text.chars().take(maximum).collect();
    }
    Value::String(text)
}

/// A string `pattern` matches, built from its first alternative: literals, character classes
/// and groups, each as few times as its count allows (Twilio's `^(SM|MM)[0-9a-fA-F]{32}$`,
/// `^\d{4}-\d{2}$`); `None` for negated classes, look-arounds and the like, which would take a
/// regular expression engine.
fn from_pattern(pattern: &str) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let first = first_alternative(&chars);
    let mut sequence = first;
    if let ['^', rest @ ..] = sequence {
        sequence = rest;
    }
    if let [rest @ .., before, '$'] = sequence {
        if *before != '\\' {
            sequence = &sequence[..rest.len() + 1];
        }
    }
    let mut out = String::new();
    let mut index = 0;
    while index < sequence.len() {
        let (atom, next) = atom(sequence, index)?;
        let (count, next) = count(sequence, next)?;
        for _ in 0..count {
            out.push_str(&atom);
        }
        index = next;
    }
    Some(out)
}

/// The characters before the first `|` outside classes and groups.
fn first_alternative(chars: &[char]) -> &[char] {
    let (mut depth, mut in_class, mut index) = (0, false, 0);
    while index < chars.len() {
        match chars[index] {
            '\\' => index += 1,
            '[' => in_class = true,
            ']' => in_class = false,
            '(' if !in_class => depth += 1,
            ')' if !in_class => depth -= 1,
            '|' if !in_class && depth == 0 => return &chars[..index],
            _ => {}
        }
        index += 1;
    }
    chars
}

/// The text of the atom at `index` (a literal, escape, class or group) and where it ends.
fn atom(chars: &[char], index: usize) -> Option<(String, usize)> {
    Some(match chars[index] {
        '[' => {
            let close = index + 1 + chars[index + 1..].iter().position(|it| *it == ']')?;
            let class = match &chars[index + 1..close] {
                ['^', ..] | [] => return None,
                ['\\', 'd', ..] => '0',
                ['\\', 'w', ..] => 'a',
                ['\\', other, ..] => *other,
                [first, ..] => *first,
            };
            (class.to_string(), close + 1)
        }
        '(' => {
            let mut depth = 0;
            let close = (index..chars.len()).find(|it| {
                match chars[*it] {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                depth == 0
            })?;
            let mut inner = &chars[index + 1..close];
            if let ['?', ':', rest @ ..] = inner {
                inner = rest;
            } else if let ['?', ..] = inner {
                return None;
            }
            (from_pattern(&inner.iter().collect::<String>())?, close + 1)
        }
        '\\' => {
            let text = match *chars.get(index + 1)? {
                'd' => '0',
                'w' => 'a',
                's' => ' ',
                'D' | 'W' | 'S' | 'b' | 'B' => return None,
                other => other,
            };
            (text.to_string(), index + 2)
        }
        ')' | '^' | '$' | '*' | '+' | '?' | '{' => return None,
        '.' => ("a".to_owned(), index + 1),
        literal => (literal.to_string(), index + 1),
    })
}

/// How often the atom before `index` repeats (the fewest its count allows, one for `+`), and
/// where the count ends.
fn count(chars: &[char], index: usize) -> Option<(usize, usize)> {
    Some(match chars.get(index) {
        Some('{') => {
            let close = index + chars[index..].iter().position(|it| *it == '}')?;
            let counts: String = chars[index + 1..close].iter().collect();
            (counts.split(',').next()?.trim().parse().ok()?, close + 1)
        }
        Some('+') => (1, index + 1),
        Some('*' | '?') => (0, index + 1),
        _ => (1, index),
    })
}

fn integer(object: &Map<String, Value>) -> Value {
    if let Some(default) = object.get("default").filter(|it| it.is_i64() || it.is_u64()) {
        return default.clone();
    }
    let value = bounded(object, 1.0, 1.0).ceil();
    if value.abs() < 9.0e15 { json!(value as i64) } else { json!(1) }
}

fn number(object: &Map<String, Value>) -> Value {
    if let Some(default) = object.get("default").filter(|it| it.is_number()) {
        return default.clone();
    }
    let value = bounded(object, 1.0, 0.5);
    if value.fract() == 0.0 && value.abs() < 9.0e15 { json!(value as i64) } else { json!(value) }
}

/// `preferred` moved inside `minimum` and `maximum` (by `step` past an exclusive bound), then up
/// to a multiple of `multipleOf`.
fn bounded(object: &Map<String, Value>, preferred: f64, step: f64) -> f64 {
    let bound = |key: &str| object.get(key).and_then(Value::as_f64);
    let exclusive = |key: &str| object.get(key) == Some(&json!(true));
    let mut value = preferred;
    if let Some(minimum) = bound("minimum") {
        let lowest = if exclusive("exclusiveMinimum") { minimum + step } else { minimum };
        value = value.max(lowest);
    }
    if let Some(maximum) = bound("maximum") {
        let highest = if exclusive("exclusiveMaximum") { maximum - step } else { maximum };
        value = value.min(highest);
    }
    if let Some(multiple) = bound("multipleOf").filter(|it| *it > 0.0) {
        value = (value / multiple).ceil() * multiple;
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_keep_to_the_schema() {
        let document = json!({ "components": { "schemas": {
            "Pet": { "type": "object", "required": ["name", "id"], "properties": {
                "id": { "type": "integer", "readOnly": true },
                "name": { "type": "string", "minLength": 10 },
                "tag": { "type": "string" },
            } },
            "Cat": { "type": "object", "required": ["kind"], "properties": { "kind": { "type": "string" } } },
            "Node": { "type": "object", "required": ["next"], "properties": { "next": { "$ref": "#/components/schemas/Node" } } },
            "Linked": { "type": "object", "required": ["next"], "properties": {
                "next": { "allOf": [{ "$ref": "#/components/schemas/Linked" }], "nullable": true },
            } },
            "Tree": { "type": "object", "required": ["children"], "properties": {
                "children": { "type": "array", "items": { "$ref": "#/components/schemas/Tree" } },
            } },
        } } });
        let cases = [
            (json!({ "$ref": "#/components/schemas/Pet" }), json!({ "name": "contractxx" })),
            (json!({ "type": "string", "enum": [null, "b"] }), json!("b")),
            (json!({ "type": "string", "format": "date-time" }), json!("2024-01-02T03:04:05Z")),
            (json!({ "type": "string", "pattern": "^v[0-9]$", "example": "v1" }), json!("v1")),
            (
                json!({ "type": "string", "pattern": "^[0-9a-fA-F]+$", "minLength": 4, "maxLength": 40 }),
                json!("0000"),
            ),
            (json!({ "oneOf": [{ "type": "integer" }, { "type": "string" }] }), json!("contract")),
            (
                json!({
                    "type": "object",
                    "required": ["name"],
                    "properties": { "name": { "type": "string" }, "status": { "type": "string" } },
                    "anyOf": [
                        { "required": ["status"], "properties": { "status": { "enum": ["completed"] } } },
                        { "properties": { "status": { "enum": ["queued"] } } }
                    ]
                }),
                json!({ "name": "contract", "status": "completed" }),
            ),
            (
                json!({ "type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date" }),
                json!("2024-01-02"),
            ),
            (json!({ "type": "string", "maxLength": 3 }), json!("con")),
            (json!({ "type": "integer", "minimum": 5, "exclusiveMinimum": true }), json!(6)),
            (json!({ "type": "integer", "maximum": 0, "multipleOf": 10 }), json!(0)),
            (json!({ "type": "number", "minimum": 0.25, "maximum": 0.75 }), json!(0.75)),
            (json!({ "type": "array", "items": { "type": "boolean" }, "minItems": 2 }), json!([true, true])),
            (
                json!({ "allOf": [{ "$ref": "#/components/schemas/Pet" }, { "required": ["x"], "properties": { "x": { "type": "integer" } } }] }),
                json!({ "name": "contractxx", "x": 1 }),
            ),
            (
                json!({
                    "oneOf": [{ "enum": [null] }, { "$ref": "#/components/schemas/Cat" }],
                    "discriminator": { "propertyName": "kind", "mapping": { "cat": "#/components/schemas/Cat" } },
                }),
                json!({ "kind": "cat" }),
            ),
            (json!({ "$ref": "#/components/schemas/Missing" }), json!("contract")),
            (
                json!({
                    "type": "object",
                    "properties": { "cname": { "type": "string" }, "https": { "type": "boolean" } },
                    "anyOf": [{ "required": ["https"] }, { "required": ["cname"] }],
                }),
                json!({ "https": true }),
            ),
            (
                json!({ "type": "object", "additionalProperties": { "type": "integer" }, "minProperties": 1 }),
                json!({ "contract": 1 }),
            ),
            (json!({}), json!("contract")),
        ];
        for (schema, expected) in cases {
            assert_eq!(example(&document, &schema), expected, "{schema}");
        }
        // Recursion ends in `null` or an empty array where the schema allows one; a schema that
        // requires itself forever ends in a placeholder instead of looping.
        let innermost = |mut value: Value, token: &str| {
            while let Some(inner) = value.get_mut(token) {
                value = inner.take();
            }
            value
        };
        let linked = example(&document, &json!({ "$ref": "#/components/schemas/Linked" }));
        assert_eq!(innermost(linked, "next"), Value::Null);
        let tree = example(&document, &json!({ "$ref": "#/components/schemas/Tree" })).to_string();
        assert!(tree.contains(r#"{"children":[]}"#) && !tree.contains("contract"), "{tree}");
        let node = example(&document, &json!({ "$ref": "#/components/schemas/Node" }));
        assert_eq!(node.pointer(&"/next".repeat(16)), Some(&json!("contract")));
    }

    #[test]
    fn patterns_of_literals_and_classes_are_satisfied() {
        let cases = [
            ("^AC[0-9a-fA-F]{32}$", Some("AC00000000000000000000000000000000")),
            (r"^\d{4}-\d{2}$", Some("0000-00")),
            ("^v[1-9][0-9]*$", Some("v1")),
            ("[a-z]+_x?", Some("a_")),
            (r"^\$[A-Z]{2,3}$", Some("$AA")),
            ("^(SM|MM)[0-9a-fA-F]{2}$", Some("SM00")),
            ("^ssh-(rsa|dss|ed25519) |^ecdsa-sha2-nistp(256|384|521) ", Some("ssh-rsa ")),
            ("^(?:ab){2}c$", Some("ababc")),
            ("^[^0-9]$", None),
            ("^(?=a)$", None),
        ];
        for (pattern, expected) in cases {
            assert_eq!(from_pattern(pattern).as_deref(), expected, "{pattern}");
        }
    }

    #[test]
    fn references_are_json_pointers() {
        let cases = [
            ("#/components/schemas/A", Some("/components/schemas/A")),
            ("#/components/schemas/A%20B/properties/c~1d", Some("/components/schemas/A B/properties/c~1d")),
            ("other.yaml#/A", None),
        ];
        for (reference, expected) in cases {
            assert_eq!(pointer_of(reference).as_deref(), expected, "{reference}");
        }
    }
}
