//! `Nullable`, the field type that tells "leave it out" apart from "send null" in request bodies.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A field that can be left out, sent as an explicit `null` to clear it, or sent with a value.
///
/// `Option` cannot express all three: a partial update needs "do not touch this field"
/// (`Absent`) as well as "clear this field" (`Null`). Generated fields of this type carry
/// `#[serde(default, skip_serializing_if = "Nullable::is_absent")]`, so `Absent` never reaches
/// the wire and a missing field decodes as `Absent`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub enum Nullable<T> {
    #[default]
    Absent,
    Null,
    Value(T),
}

impl<T> Nullable<T> {
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    pub fn as_ref(&self) -> Nullable<&T> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(value) => Nullable::Value(value),
        }
    }

    /// The value, if there is one; both `Absent` and `Null` become `None`.
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

/// `None` means "send null", since a caller who wanted to leave the field out would not set it.
impl<T> From<Option<T>> for Nullable<T> {
    fn from(value: Option<T>) -> Self {
        match value {
            Some(value) => Nullable::Value(value),
            None => Nullable::Null,
        }
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // Only reached without `skip_serializing_if`; null is the closest honest encoding.
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
            Nullable::Value(value) => serializer.serialize_some(value),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A missing field never gets here: `#[serde(default)]` turns it into `Absent`.
        Option::<T>::deserialize(deserializer).map(Nullable::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Update {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        name: Nullable<String>,
    }

    #[test]
    fn round_trip() {
        let cases = [
            (Nullable::Absent, "{}"),
            (Nullable::Null, r#"{"name":null}"#),
            (Nullable::Value("ada".to_owned()), r#"{"name":"ada"}"#),
        ];
        for (name, json) in cases {
            let update = Update { name };
            assert_eq!(serde_json::to_string(&update).unwrap(), json);
            assert_eq!(serde_json::from_str::<Update>(json).unwrap(), update);
        }
    }

    #[test]
    fn conversions() {
        assert_eq!(Nullable::from(3), Nullable::Value(3));
        assert_eq!(Nullable::from(Some(3)), Nullable::Value(3));
        assert_eq!(Nullable::<i32>::from(None), Nullable::Null);
        assert_eq!(Nullable::Value(3).as_ref(), Nullable::Value(&3));
        assert_eq!(Nullable::Value(3).into_option(), Some(3));
        assert_eq!(Nullable::<i32>::Null.into_option(), None);
        assert_eq!(Nullable::<i32>::default(), Nullable::Absent);
        assert!(Nullable::<i32>::Absent.is_absent() && Nullable::<i32>::Null.is_null());
    }
}
