//! Where each operation goes and what its method is called, decided for all operations before
//! any is lowered, since a method's name depends on the other operations of its group.
//!
//! An operation belongs to the group its document names (`x-speakeasy-group`, or Fern's
//! `x-fern-sdk-group-name`), else to its first tag; without either it stays on the client. Its
//! method is named, in order of precedence: by the document (`x-speakeasy-name-override`, or
//! Fern's `x-fern-sdk-method-name`); by its operationId without the prefix that every
//! operationId of its group shares, when what remains is a valid name no other operation of the
//! group wants; by its whole operationId. drf-spectacular derives operationIds from URL paths
//! (`ux_common_user_profile_retrieve`), so the shared prefix is usually the resource's path.

use indexmap::IndexMap;
use serde_json::Value;

use crate::names::snake_ident;

/// Extensions naming an operation's method, in order of precedence.
pub(crate) const METHOD_NAME_EXTENSIONS: [&str; 2] = ["x-speakeasy-name-override", "x-fern-sdk-method-name"];

/// Extensions naming an operation's group, in order of precedence.
pub(crate) const GROUP_EXTENSIONS: [&str; 2] = ["x-speakeasy-group", "x-fern-sdk-group-name"];

/// What naming looks at in one operation.
pub(super) struct Candidate<'a> {
    /// The operationId, or the name made up for an operation without one.
    pub id: &'a str,
    pub tags: &'a [String],
    pub extensions: &'a IndexMap<String, Value>,
}

/// Where one operation goes and the method name it asks for (not yet claimed: two operations
/// may still want the same name, and the later one is numbered).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Placement {
    /// The tag or group name as written; `None`: a method of the client.
    pub group: Option<String>,
    pub method: String,
}

/// Places every operation, in the order given. With `grouped` false every operation stays on
/// the client and is named after its whole operationId (name extensions are meant within a
/// group, where `list` and `get` cannot clash with another group's).
pub(super) fn place(candidates: &[Candidate<'_>], grouped: bool) -> Vec<Placement> {
    let groups: Vec<Option<String>> =
        candidates.iter().map(|it| if grouped { group_of(it) } else { None }).collect();
    let mut placements: Vec<Placement> = candidates
        .iter()
        .zip(&groups)
        .map(|(candidate, group)| Placement { group: group.clone(), method: snake_ident(candidate.id) })
        .collect();
    let mut names: Vec<&String> = groups.iter().flatten().collect();
    names.sort();
    names.dedup();
    for name in names {
        let members: Vec<usize> =
            (0..candidates.len()).filter(|it| groups[*it].as_ref() == Some(name)).collect();
        let ids: Vec<&str> = members.iter().map(|it| candidates[*it].id).collect();
        let overrides: Vec<Option<String>> =
            members.iter().map(|it| method_override(&candidates[*it])).collect();
        let stripped = strip_shared_prefix(&ids);
        // A stripped name is taken only when no other operation of the group wants it.
        let wanted: Vec<Option<String>> = overrides
            .iter()
            .zip(&stripped)
            .map(|(given, stripped)| given.clone().or_else(|| stripped.clone()))
            .collect();
        for (position, member) in members.iter().enumerate() {
            let method = match (&overrides[position], &stripped[position]) {
                (Some(given), _) => given.clone(),
                (None, Some(short)) if wanted.iter().filter(|it| it.as_ref() == Some(short)).count() == 1 => {
                    short.clone()
                }
                _ => snake_ident(ids[position]),
            };
            placements[*member].method = method;
        }
    }
    placements
}

/// The group extension's value, else the first tag; blank names do not count.
fn group_of(candidate: &Candidate<'_>) -> Option<String> {
    let extension = GROUP_EXTENSIONS.iter().find_map(|it| candidate.extensions.get(*it)?.as_str());
    extension
        .or(candidate.tags.first().map(String::as_str))
        .map(str::trim)
        .filter(|it| !it.is_empty())
        .map(str::to_owned)
}

/// The method name the document gives, as an identifier.
fn method_override(candidate: &Candidate<'_>) -> Option<String> {
    let given = METHOD_NAME_EXTENSIONS.iter().find_map(|it| candidate.extensions.get(*it)?.as_str())?;
    Some(given.trim()).filter(|it| !it.is_empty()).map(snake_ident)
}

/// Each operationId (as a snake case name) without the words every one of them starts with,
/// where what remains is a name of its own: not empty and not starting with a digit (which
/// would leave `_2`). A group of one shares its whole name with itself, so nothing is stripped.
fn strip_shared_prefix(ids: &[&str]) -> Vec<Option<String>> {
    let words: Vec<Vec<String>> = ids
        .iter()
        .map(|id| snake_ident(id).trim_start_matches("r#").split('_').map(str::to_owned).collect())
        .collect();
    let shared = match words.split_first() {
        Some((first, rest)) if !rest.is_empty() => (0..first.len())
            .take_while(|index| rest.iter().all(|it| it.get(*index) == first.get(*index)))
            .count(),
        _ => 0,
    };
    words
        .iter()
        .map(|it| {
            let remainder = it[shared.min(it.len())..].join("_");
            let valid = shared > 0
                && !remainder.is_empty()
                && !remainder.starts_with('_')
                && !remainder.starts_with(|it: char| it.is_ascii_digit());
            valid.then(|| snake_ident(&remainder))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate<'a>(
        id: &'a str,
        tags: &'a [String],
        extensions: &'a IndexMap<String, Value>,
    ) -> Candidate<'a> {
        Candidate { id, tags, extensions }
    }

    #[test]
    fn shared_prefixes() {
        let cases: [(&[&str], &[Option<&str>]); 6] = [
            (
                &[
                    "ux_common_user_profile_retrieve",
                    "ux_common_user_profile_retrieve_2",
                    "ux_common_user_profile_create",
                ],
                &[Some("retrieve"), Some("retrieve_2"), Some("create")],
            ),
            (&["listPets", "getPet"], &[None, None]),
            (&["pets_list"], &[None]),
            // Stripping would leave nothing of the first, and a number of the second.
            (&["pets", "pets_2"], &[None, None]),
            (&["pets_1", "pets_2"], &[None, None]),
            (&["repos/get", "repos/list-for-org"], &[Some("get"), Some("list_for_org")]),
        ];
        for (ids, expected) in cases {
            let expected: Vec<Option<String>> = expected.iter().map(|it| it.map(str::to_owned)).collect();
            assert_eq!(strip_shared_prefix(ids), expected, "{ids:?}");
        }
    }

    #[test]
    fn placement_follows_extensions_tags_and_prefixes() {
        let none = IndexMap::new();
        let pets = vec!["Pets".to_owned()];
        let stores = vec!["Store Admin".to_owned()];
        let mut named = IndexMap::new();
        named.insert("x-speakeasy-name-override".to_owned(), Value::from("list"));
        let mut fern = IndexMap::new();
        fern.insert("x-fern-sdk-method-name".to_owned(), Value::from("fetchAll"));
        fern.insert("x-fern-sdk-group-name".to_owned(), Value::from("Stores"));
        let candidates = [
            candidate("pets_list_all", &pets, &named),
            // `list` is taken by the override, so this one keeps its whole name.
            candidate("pets_list", &pets, &none),
            candidate("pets_get", &pets, &none),
            candidate("ping", &[], &none),
            candidate("stores_get", &stores, &fern),
        ];
        let placed: Vec<(Option<String>, String)> =
            place(&candidates, true).into_iter().map(|it| (it.group, it.method)).collect();
        let expected = [
            (Some("Pets"), "list"),
            (Some("Pets"), "pets_list"),
            (Some("Pets"), "get"),
            (None, "ping"),
            (Some("Stores"), "fetch_all"),
        ];
        let expected: Vec<(Option<String>, String)> =
            expected.iter().map(|(group, method)| (group.map(str::to_owned), (*method).to_owned())).collect();
        assert_eq!(placed, expected);
        let flat: Vec<Placement> = place(&candidates, false);
        assert!(flat.iter().all(|it| it.group.is_none()));
        assert_eq!(flat[0].method, "pets_list_all");
    }
}
