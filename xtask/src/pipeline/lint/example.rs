//! Schema inference from an example, for the schema position that holds an example instead.

use serde_json::{Map, Value, json};

/// Infers a schema from an example that was written where the schema belongs, keeping the
/// example itself next to it.
pub(super) fn schema_with_example(example: Value) -> Value {
    let mut schema = infer_schema(&example);
    if let Some(object) = schema.as_object_mut() {
        object.insert("example".into(), example);
    }
    schema
}

/// Describes the shape of one example. Objects get no `required`: one example cannot tell
/// which fields are always present.
fn infer_schema(example: &Value) -> Value {
    match example {
        Value::Null => json!({ "nullable": true }),
        Value::Bool(_) => json!({ "type": "boolean" }),
        Value::Number(number) if number.is_i64() || number.is_u64() => json!({ "type": "integer" }),
        Value::Number(_) => json!({ "type": "number" }),
        Value::String(text) => match string_format(text) {
            Some(format) => json!({ "type": "string", "format": format }),
            None => json!({ "type": "string" }),
        },
        Value::Array(items) => {
            json!({ "type": "array", "items": items.first().map_or_else(|| json!({}), infer_schema) })
        }
        // An empty example says nothing about the fields, so the object stays free-form.
        Value::Object(fields) if fields.is_empty() => json!({ "type": "object" }),
        Value::Object(fields) => {
            let properties: Map<String, Value> =
                fields.iter().map(|(name, value)| (name.clone(), infer_schema(value))).collect();
            json!({ "type": "object", "properties": properties })
        }
    }
}

/// The OpenAPI string format an example string has, if it is an RFC 3339 date or date-time.
fn string_format(text: &str) -> Option<&'static str> {
    if is_date(text) {
        Some("date")
    } else if text.get(10..11).is_some_and(|separator| separator.eq_ignore_ascii_case("t"))
        && is_date(&text[..10])
        && is_time(&text[11..])
    {
        Some("date-time")
    } else {
        None
    }
}

/// Reads two ASCII digits starting at byte `start`.
fn two_digits(text: &str, start: usize) -> Option<u32> {
    text.get(start..start + 2).filter(|digits| digits.bytes().all(|byte| byte.is_ascii_digit()))?.parse().ok()
}

/// `YYYY-MM-DD` with a day that exists in that month.
fn is_date(text: &str) -> bool {
    let year = text.get(..4).filter(|digits| digits.bytes().all(|byte| byte.is_ascii_digit()));
    let Some(year) = year.and_then(|digits| digits.parse::<u32>().ok()) else { return false };
    let (Some(month), Some(day)) = (two_digits(text, 5), two_digits(text, 8)) else { return false };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    text.len() == 10
        && &text[4..5] == "-"
        && &text[7..8] == "-"
        && (1..=12).contains(&month)
        && (1..=days).contains(&day)
}

/// `HH:MM:SS`, optional fraction, then `Z` or `±HH:MM`; second 60 allows a leap second.
fn is_time(text: &str) -> bool {
    let (Some(hour), Some(minute), Some(second)) =
        (two_digits(text, 0), two_digits(text, 3), two_digits(text, 6))
    else {
        return false;
    };
    if &text[2..3] != ":" || &text[5..6] != ":" || hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let mut offset = &text[8..];
    if let Some(fraction) = offset.strip_prefix('.') {
        let length = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if length == 0 {
            return false;
        }
        offset = &fraction[length..];
    }
    if offset.eq_ignore_ascii_case("z") {
        return true;
    }
    let (Some(hour), Some(minute)) = (two_digits(offset, 1), two_digits(offset, 4)) else { return false };
    offset.len() == 6 && matches!(&offset[..1], "+" | "-") && &offset[3..4] == ":" && hour < 24 && minute < 60
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_give_inferred_schemas() {
        let cases = [
            (json!(null), json!({ "nullable": true })),
            (json!(false), json!({ "type": "boolean" })),
            (json!(-3), json!({ "type": "integer" })),
            (json!(u64::MAX), json!({ "type": "integer" })),
            (json!(1.5), json!({ "type": "number" })),
            (json!("text"), json!({ "type": "string" })),
            (json!("2024-02-29"), json!({ "type": "string", "format": "date" })),
            (json!("2023-02-29"), json!({ "type": "string" })),
            (json!("2024-01-31T23:59:60.123Z"), json!({ "type": "string", "format": "date-time" })),
            (json!("2024-01-31t08:00:00+05:30"), json!({ "type": "string", "format": "date-time" })),
            (json!("2024-01-31 08:00:00Z"), json!({ "type": "string" })),
            (json!("2024-01-31T08:00:00"), json!({ "type": "string" })),
            (json!("2024-01-31T24:00:00Z"), json!({ "type": "string" })),
            (json!("2024-01-31T08:00:00.Z"), json!({ "type": "string" })),
            (json!("2024-01-31T08:00:00+0530"), json!({ "type": "string" })),
            (json!("2024-01-31T08:00:00é"), json!({ "type": "string" })),
            (json!("2024-1-31"), json!({ "type": "string" })),
            (json!([]), json!({ "type": "array", "items": {} })),
            (json!([1, "a"]), json!({ "type": "array", "items": { "type": "integer" } })),
            (json!({}), json!({ "type": "object" })),
            (
                json!({ "user": { "id": 1, "tags": ["a"] } }),
                json!({ "type": "object", "properties": { "user": { "type": "object", "properties": {
                    "id": { "type": "integer" },
                    "tags": { "type": "array", "items": { "type": "string" } },
                } } } }),
            ),
        ];
        for (example, expected) in cases {
            assert_eq!(infer_schema(&example), expected, "{example}");
        }
    }
}
