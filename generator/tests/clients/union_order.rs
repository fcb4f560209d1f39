//! The client of `generator/tests/specs/union_order.yaml`: an untagged union picks the member
//! that asks the most of a value, so an object of optional properties no longer swallows it.

use serde_json::{Value, json};
use union_order_client::models::{Circle, Loose, Rectangle, Shape};

#[test]
fn each_value_becomes_the_most_specific_member_it_fits() {
    let cases: [(Value, Shape); 5] = [
        (json!({ "width": 2.0, "height": 3.0 }), Shape::Rectangle(Rectangle::new(2.0, 3.0))),
        (json!({ "radius": 1.5, "label": "c" }), Shape::Circle(Circle::new(1.5))),
        (json!({ "label": "l" }), Shape::Loose(Loose { label: Some("l".to_owned()) })),
        (json!("text"), Shape::String("text".to_owned())),
        (json!({}), Shape::Loose(Loose::default())),
    ];
    for (value, expected) in cases {
        let decoded: Shape = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(decoded, expected, "{value}");
    }
}
