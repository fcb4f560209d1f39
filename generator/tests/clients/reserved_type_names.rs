//! The client of `generator/tests/specs/reserved_type_names.yaml`: types named like the
//! prelude's are numbered, so the models module compiles and documents without ambiguity
//! (`cargo doc` with warnings as errors covers this crate too).

use reserved_type_names_client::models::{Debug2, Debug2Level, Error2, Result2};
use serde_json::json;

#[test]
fn renamed_types_decode_and_encode() {
    let result: Result2 = serde_json::from_value(json!({ "message": "no" })).unwrap();
    assert_eq!(result, Result2::Error(Error2::new("no")));
    let debug = Debug2::new(Debug2Level::Trace);
    assert_eq!(serde_json::to_value(debug).unwrap(), json!({ "level": "trace" }));
}
