//! Compares the operations of two clients: methods added, removed and renamed, and for each
//! method both have, its arguments and optional parameters, request body and media types,
//! return and error types, security and paging.
//!
//! A caller sees an operation as `client.group().method(required arguments)` with setters for
//! the optional parameters, returning `Result<T, Error<E>>`; anything that changes that
//! signature is breaking, as is a call that now needs a credential the caller may not have.

use std::collections::{BTreeMap, BTreeSet};

use generator::model::{
    Api, Body, BodyFormat, ErrorBody, Operation, Param, ParamLocation, StatusCase, StatusMatch, Success,
};

use super::change::{At, Change, Class, Element, Side, Verb, type_text};
use super::locate;

/// Every difference between the operations of `old` and `new`.
pub fn compare(old: Side, new: Side, changes: &mut Vec<Change>) {
    let (pairs, removed, added) = pair(&old.api.operations, &new.api.operations);
    for operation in removed {
        let detail = format!("removed: `{}`", endpoint(operation));
        let at = At::old(locate::operation(operation));
        changes.push(Change::new(
            Class::Breaking,
            Element::Operation,
            Verb::Removed,
            &call(operation),
            detail,
            at,
        ));
    }
    for (before, after) in pairs {
        Compared { old, new, before, after, subject: call(after), changes: &mut *changes }.compare();
    }
    for operation in added {
        let detail = format!("added: `{}`", endpoint(operation));
        let at = At::new(locate::operation(operation));
        changes.push(Change::new(
            Class::Compatible,
            Element::Operation,
            Verb::Added,
            &call(operation),
            detail,
            at,
        ));
    }
}

/// How a caller reaches the operation: `client.user_profile().list`, `client.get_pet`.
fn call(operation: &Operation) -> String {
    match &operation.group {
        Some(group) => format!("client.{group}().{}", operation.method_name),
        None => format!("client.{}", operation.method_name),
    }
}

fn endpoint(operation: &Operation) -> String {
    format!("{} {}", operation.http_method, operation.path)
}

/// The path with its template parameters' names left out: renaming `{id}` to `{user_id}` keeps
/// the endpoint.
fn template(path: &str) -> String {
    let mut template = String::new();
    let mut inside = false;
    for character in path.chars() {
        match character {
            '{' => inside = true,
            '}' => inside = false,
            _ if inside => continue,
            _ => {}
        }
        template.push(character);
    }
    template
}

type Pairs<'a> = (Vec<(&'a Operation, &'a Operation)>, Vec<&'a Operation>, Vec<&'a Operation>);

/// The operations of both clients paired up, with those only the old one has and those only the
/// new one has. Pairs are found first by HTTP method and path, so a method that got a new name
/// shows as a rename; then among the rest by method name, so an endpoint that moved shows as a
/// change of the same method.
fn pair<'a>(old: &'a [Operation], new: &'a [Operation]) -> Pairs<'a> {
    let mut removed: Vec<&Operation> = old.iter().collect();
    let mut added: Vec<&Operation> = new.iter().collect();
    let mut pairs = Vec::new();
    pair_by(&mut removed, &mut added, &mut pairs, |it| (it.http_method.clone(), template(&it.path)));
    pair_by(&mut removed, &mut added, &mut pairs, |it| {
        (it.group.clone().unwrap_or_default(), it.method_name.clone())
    });
    // In the new client's order, which is the order of its methods.
    pairs.sort_by(|left, right| {
        (&left.1.group, &left.1.method_name).cmp(&(&right.1.group, &right.1.method_name))
    });
    (pairs, removed, added)
}

/// Moves the operations whose `key` agrees from `removed` and `added` into `pairs`, each one
/// paired at most once.
fn pair_by<'a, K: Ord>(
    removed: &mut Vec<&'a Operation>,
    added: &mut Vec<&'a Operation>,
    pairs: &mut Vec<(&'a Operation, &'a Operation)>,
    key: impl Fn(&Operation) -> K,
) {
    let mut waiting: BTreeMap<K, Vec<usize>> = BTreeMap::new();
    for (index, operation) in added.iter().enumerate().rev() {
        waiting.entry(key(operation)).or_default().push(index);
    }
    let mut taken = vec![false; added.len()];
    removed.retain(|before| match waiting.get_mut(&key(before)).and_then(Vec::pop) {
        Some(index) => {
            taken[index] = true;
            pairs.push((before, added[index]));
            false
        }
        None => true,
    });
    let mut taken = taken.into_iter();
    added.retain(|_| !taken.next().expect("one flag per operation"));
}

/// One operation of both clients, being compared.
struct Compared<'a, 'c> {
    old: Side<'a>,
    new: Side<'a>,
    before: &'a Operation,
    after: &'a Operation,
    subject: String,
    changes: &'c mut Vec<Change>,
}

impl Compared<'_, '_> {
    fn push(&mut self, class: Class, element: Element, verb: Verb, detail: String, at: At) {
        self.changes.push(Change::new(class, element, verb, &self.subject, detail, at));
    }

    fn compare(mut self) {
        let (before, after) = (self.before, self.after);
        let at = || At::new(locate::operation(after));
        if call(before) != self.subject {
            let detail = format!("renamed from `{}`", call(before));
            let at = At::new(locate::renaming(self.old.document, before, self.new.document, after));
            self.push(Class::Breaking, Element::Operation, Verb::Renamed, detail, at);
        }
        if (&before.http_method, template(&before.path)) != (&after.http_method, template(&after.path)) {
            let detail = format!("now `{}` instead of `{}`", endpoint(after), endpoint(before));
            self.push(Class::Compatible, Element::Operation, Verb::Changed, detail, at());
        }
        if before.deprecated != after.deprecated {
            let detail = if after.deprecated { "now deprecated" } else { "no longer deprecated" };
            self.push(Class::Compatible, Element::Operation, Verb::Changed, detail.into(), at());
        }
        self.compare_params();
        self.compare_body();
        self.compare_success();
        self.compare_errors();
        self.compare_security();
        self.compare_paging();
    }

    fn compare_params(&mut self) {
        // Path parameters are matched by their place in the template: renaming one in the
        // template and its declaration only renames an argument.
        let (old_path, new_path) = (path_params(self.before), path_params(self.after));
        for index in 0..old_path.len().max(new_path.len()) {
            match (old_path.get(index), new_path.get(index)) {
                (Some(before), Some(after)) => self.compare_param(before, after),
                (Some(before), None) => self.param_removed(before),
                (None, Some(after)) => self.param_added(after),
                (None, None) => unreachable!("the index is below one of the lengths"),
            }
        }
        let (old_others, new_others) = (other_params(self.before), other_params(self.after));
        for (key, before) in &old_others {
            match new_others.get(key) {
                Some(after) => self.compare_param(before, after),
                None => self.param_removed(before),
            }
        }
        for (_, after) in new_others.iter().filter(|(key, _)| !old_others.contains_key(*key)) {
            self.param_added(after);
        }
        self.compare_argument_order();
    }

    fn param_added(&mut self, param: &Param) {
        let (ty, name, wire) = (type_text(&param.ty), &param.name, &param.wire_name);
        let which = location(param.location);
        let (class, detail) = if param.required {
            (
                Class::Breaking,
                format!("new required {which} parameter `{wire}`: a new argument `{name}: {ty}`"),
            )
        } else {
            (Class::Compatible, format!("new optional {which} parameter `{wire}`: set with `.{name}({ty})`"))
        };
        let at = At::new(locate::parameter(self.new.document, self.after, param));
        self.push(class, Element::Parameter, Verb::Added, detail, at);
    }

    fn param_removed(&mut self, param: &Param) {
        let (name, wire, which) = (&param.name, &param.wire_name, location(param.location));
        let detail = if param.required {
            format!("required {which} parameter `{wire}` removed: the argument `{name}` is gone")
        } else {
            format!("optional {which} parameter `{wire}` removed: `.{name}()` is gone")
        };
        let at = At::old(locate::parameter(self.old.document, self.before, param));
        self.push(Class::Breaking, Element::Parameter, Verb::Removed, detail, at);
    }

    fn compare_param(&mut self, before: &Param, after: &Param) {
        let at = || At::new(locate::parameter(self.new.document, self.after, after));
        let (which, wire, name) = (location(after.location), &after.wire_name, &after.name);
        let ty = type_text(&after.ty);
        if before.wire_name != after.wire_name {
            let detail =
                format!("{which} parameter `{}` is now `{wire}` (the argument `{name}`)", before.wire_name);
            self.push(Class::Compatible, Element::Parameter, Verb::Renamed, detail, at());
        } else if before.name != after.name {
            // A required parameter is a positional argument, whose name no caller writes.
            let (class, detail) = if after.required && before.required {
                (Class::Compatible, format!("the argument for {which} parameter `{wire}` is now `{name}`"))
            } else {
                let detail =
                    format!("{which} parameter `{wire}`: `.{name}()` instead of `.{}()`", before.name);
                (Class::Breaking, detail)
            };
            self.push(class, Element::Parameter, Verb::Renamed, detail, at());
        }
        if before.required != after.required {
            let detail = if after.required {
                format!(
                    "{which} parameter `{wire}` is now required: an argument `{name}: {ty}` instead of `.{}()`",
                    before.name
                )
            } else {
                format!("{which} parameter `{wire}` is now optional: `.{name}({ty})` instead of an argument")
            };
            self.push(Class::Breaking, Element::Parameter, Verb::Changed, detail, at());
        }
        if before.ty != after.ty {
            let detail = format!(
                "{which} parameter `{wire}` changed type: `{ty}` instead of `{}`",
                type_text(&before.ty)
            );
            self.push(Class::Breaking, Element::Parameter, Verb::Changed, detail, at());
        }
    }

    /// Required parameters are positional arguments: the same ones in another order would
    /// still compile if their types agree, and send each value as the wrong parameter.
    fn compare_argument_order(&mut self) {
        let arguments = |operation: &'_ Operation| -> Vec<(String, String)> {
            let mut path_index = 0;
            let mut arguments = Vec::new();
            for param in operation.params.iter().filter(|it| it.required) {
                let key = match param.location {
                    ParamLocation::Path => {
                        path_index += 1;
                        format!("path#{path_index}")
                    }
                    other => format!("{}:{}", location(other), param.wire_name),
                };
                arguments.push((key, param.name.clone()));
            }
            arguments
        };
        let (old_arguments, new_arguments) = (arguments(self.before), arguments(self.after));
        let shared = |arguments: &[(String, String)], others: &[(String, String)]| -> Vec<(String, String)> {
            let keys: BTreeSet<&String> = others.iter().map(|(key, _)| key).collect();
            arguments.iter().filter(|(key, _)| keys.contains(key)).cloned().collect()
        };
        let (old_order, new_order) =
            (shared(&old_arguments, &new_arguments), shared(&new_arguments, &old_arguments));
        let keys = |order: &[(String, String)]| order.iter().map(|(key, _)| key.clone()).collect::<Vec<_>>();
        if keys(&old_order) != keys(&new_order) {
            let names = |order: &[(String, String)]| {
                order.iter().map(|(_, name)| name.as_str()).collect::<Vec<_>>().join(", ")
            };
            let detail =
                format!("arguments reordered: ({}) instead of ({})", names(&new_order), names(&old_order));
            let at = At::new(format!("{}/parameters", locate::operation(self.after)));
            self.push(Class::Breaking, Element::Parameter, Verb::Changed, detail, at);
        }
    }

    fn compare_body(&mut self) {
        let at_new = || At::new(locate::request_body(self.new.document, self.after));
        match (&self.before.body, &self.after.body) {
            (None, None) => {}
            (None, Some(body)) => {
                let ty = type_text(&body.ty);
                let (class, detail) = if body.required {
                    (Class::Breaking, format!("new required request body: a new argument `body: {ty}`"))
                } else {
                    (Class::Compatible, format!("new optional request body: set with `.body({ty})`"))
                };
                self.push(class, Element::RequestBody, Verb::Added, detail, at_new());
            }
            (Some(body), None) => {
                let gone = if body.required { "the argument `body`" } else { "`.body()`" };
                let detail = format!("request body removed: {gone} is gone");
                let at = At::old(locate::request_body(self.old.document, self.before));
                self.push(Class::Breaking, Element::RequestBody, Verb::Removed, detail, at);
            }
            (Some(before), Some(after)) => {
                let ty = type_text(&after.ty);
                if before.required != after.required {
                    let detail = if after.required {
                        format!("request body is now required: an argument `body: {ty}` instead of `.body()`")
                    } else {
                        format!("request body is now optional: `.body({ty})` instead of an argument")
                    };
                    self.push(Class::Breaking, Element::RequestBody, Verb::Changed, detail, at_new());
                }
                if before.ty != after.ty {
                    let detail =
                        format!("request body changed type: `{ty}` instead of `{}`", type_text(&before.ty));
                    self.push(Class::Breaking, Element::RequestBody, Verb::Changed, detail, at_new());
                }
                self.compare_encodings(before, after);
            }
        }
    }

    fn compare_encodings(&mut self, before: &Body, after: &Body) {
        for encoding in before.encodings.iter().filter(|it| !after.encodings.contains(it)) {
            let detail = format!("request media type `{}` removed", locate::media_type(encoding));
            let at = At::old(locate::request_media_type(self.old.document, self.before, encoding));
            self.push(Class::Breaking, Element::MediaType, Verb::Removed, detail, at);
        }
        for encoding in after.encodings.iter().filter(|it| !before.encodings.contains(it)) {
            let detail = format!("request media type `{}` added", locate::media_type(encoding));
            let at = At::new(locate::request_media_type(self.new.document, self.after, encoding));
            self.push(Class::Compatible, Element::MediaType, Verb::Added, detail, at);
        }
        // The first encoding is what a call sends unless it picks another.
        let (old_default, new_default) = (&before.encodings[0], &after.encodings[0]);
        if old_default != new_default && after.encodings.contains(old_default) {
            let detail = format!(
                "request body sent as `{}` by default instead of `{}`",
                locate::media_type(new_default),
                locate::media_type(old_default)
            );
            let at = At::new(locate::request_media_type(self.new.document, self.after, new_default));
            self.push(Class::Compatible, Element::MediaType, Verb::Changed, detail, at);
        }
    }

    fn compare_success(&mut self) {
        let at = || At::new(locate::first_response(self.new.document, self.after, true));
        let (old_type, new_type) = (ok_type(self.before), ok_type(self.after));
        if old_type != new_type {
            let detail = format!("returns `{new_type}` instead of `{old_type}`");
            self.push(Class::Breaking, Element::Response, Verb::Changed, detail, at());
            return;
        }
        match (&self.before.success, &self.after.success) {
            (Success::ByStatus { cases: before, .. }, Success::ByStatus { name, cases: after }) => {
                self.compare_cases("success", name, before, after);
            }
            (Success::Single { payload: Some(before), .. }, Success::Single { payload: Some(after), .. })
                if before.format != after.format =>
            {
                let detail =
                    format!("response read as {} instead of {}", format(after.format), format(before.format));
                self.push(Class::Compatible, Element::MediaType, Verb::Changed, detail, at());
            }
            _ => {}
        }
    }

    fn compare_errors(&mut self) {
        let (old_type, new_type) = (error_type(self.before), error_type(self.after));
        if old_type != new_type {
            let detail = format!("errors are `{new_type}` instead of `{old_type}`");
            let at = At::new(locate::first_response(self.new.document, self.after, false));
            self.push(Class::Breaking, Element::Response, Verb::Changed, detail, at);
            return;
        }
        if let (
            Some(ErrorBody::ByStatus { cases: before, .. }),
            Some(ErrorBody::ByStatus { name, cases: after }),
        ) = (&self.before.error_body, &self.after.error_body)
        {
            self.compare_cases("error", name, before, after);
        }
    }

    /// The statuses of a by-status enum: each is a variant callers match, without a catch-all,
    /// so adding one breaks an exhaustive `match` as removing one does.
    fn compare_cases(&mut self, what: &str, name: &str, before: &[StatusCase], after: &[StatusCase]) {
        let by_status = |cases: &[StatusCase]| -> BTreeMap<StatusMatch, StatusCase> {
            cases.iter().map(|it| (it.status, it.clone())).collect()
        };
        let (old_cases, new_cases) = (by_status(before), by_status(after));
        for (status, case) in &old_cases {
            let text = status_text(*status);
            let Some(now) = new_cases.get(status) else {
                let detail = format!("{what} status `{text}` removed: `{name}::{}` is gone", case.variant);
                let at = At::old(locate::response(self.before, &text));
                self.push(Class::Breaking, Element::Response, Verb::Removed, detail, at);
                continue;
            };
            let at = || At::new(locate::response(self.after, &text));
            if now.variant != case.variant {
                let detail = format!(
                    "{what} status `{text}` is now `{name}::{}` instead of `{name}::{}`",
                    now.variant, case.variant
                );
                self.push(Class::Breaking, Element::Response, Verb::Renamed, detail, at());
            }
            let (old_body, new_body) = (payload_type(case), payload_type(now));
            if old_body != new_body {
                let detail = format!("{what} status `{text}` carries `{new_body}` instead of `{old_body}`");
                self.push(Class::Breaking, Element::Response, Verb::Changed, detail, at());
            }
        }
        for (status, case) in new_cases.iter().filter(|(status, _)| !old_cases.contains_key(*status)) {
            let text = status_text(*status);
            let detail = format!("{what} status `{text}` added: a new variant `{name}::{}`", case.variant);
            let at = At::new(locate::response(self.after, &text));
            self.push(Class::Breaking, Element::Response, Verb::Added, detail, at);
        }
    }

    /// A call keeps working when every set of credentials that satisfied the old requirement
    /// still satisfies one of the new alternatives; otherwise a caller may lack what it needs.
    fn compare_security(&mut self) {
        let (old_needs, new_needs) = (needs(self.old.api, self.before), needs(self.new.api, self.after));
        if old_needs == new_needs {
            return;
        }
        let class = if still_met(&old_needs, &new_needs) { Class::Compatible } else { Class::Breaking };
        let detail = format!("needs {} instead of {}", needs_text(&new_needs), needs_text(&old_needs));
        let at = At::new(locate::security(self.new.document, self.after));
        self.push(class, Element::Security, Verb::Changed, detail, at);
    }

    fn compare_paging(&mut self) {
        let (class, detail) = match (&self.before.pagination, &self.after.pagination) {
            (None, Some(_)) => (Class::Compatible, "now paged: `.pages()` and `.items()` added".to_owned()),
            (Some(_), None) => {
                (Class::Breaking, "no longer paged: `.pages()` and `.items()` are gone".to_owned())
            }
            (Some(before), Some(after)) if before.item_type != after.item_type => {
                let (old_item, new_item) = (type_text(&before.item_type), type_text(&after.item_type));
                (Class::Breaking, format!("pages hold `{new_item}` instead of `{old_item}`"))
            }
            _ => return,
        };
        let at = At::new(locate::operation(self.after));
        self.push(class, Element::Operation, Verb::Changed, detail, at);
    }
}

fn path_params(operation: &Operation) -> Vec<&Param> {
    operation.params.iter().filter(|it| it.location == ParamLocation::Path).collect()
}

/// Query and header parameters by location and wire name, the keys they are matched by.
fn other_params(operation: &Operation) -> BTreeMap<(&'static str, &str), &Param> {
    let others = operation.params.iter().filter(|it| it.location != ParamLocation::Path);
    others.map(|it| ((location(it.location), it.wire_name.as_str()), it)).collect()
}

fn location(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    }
}

/// `T` of the call's `Result<T, Error<E>>`, as the generated code declares it.
fn ok_type(operation: &Operation) -> String {
    match &operation.success {
        Success::Single { payload: None, .. } => "()".into(),
        Success::Single { payload: Some(payload), empty_statuses } if empty_statuses.is_empty() => {
            type_text(&payload.ty)
        }
        Success::Single { payload: Some(payload), .. } => format!("Option<{}>", type_text(&payload.ty)),
        Success::ByStatus { name, .. } => name.clone(),
    }
}

/// The call's error type.
fn error_type(operation: &Operation) -> String {
    match &operation.error_body {
        None => "Error".into(),
        Some(ErrorBody::Single(ty)) => format!("Error<{}>", type_text(ty)),
        Some(ErrorBody::ByStatus { name, .. }) => format!("Error<{name}>"),
    }
}

fn payload_type(case: &StatusCase) -> String {
    case.payload.as_ref().map_or_else(|| "no body".into(), |it| type_text(&it.ty))
}

fn status_text(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => code.to_string(),
        StatusMatch::Range(hundreds) => format!("{hundreds}XX"),
        StatusMatch::Default => "default".into(),
    }
}

fn format(format: BodyFormat) -> &'static str {
    match format {
        BodyFormat::Json => "JSON",
        BodyFormat::Text => "text",
        BodyFormat::Binary => "bytes",
    }
}

/// The alternatives of credentials a call can be made with, by client builder method; a call
/// without security is one alternative that needs nothing.
fn needs(api: &Api, operation: &Operation) -> BTreeSet<BTreeSet<String>> {
    let setter = |const_name: &String| {
        let scheme = api.security_schemes.iter().find(|it| it.const_name == *const_name);
        scheme.map_or_else(|| const_name.clone(), |it| it.setter_name.clone())
    };
    let mut needs: BTreeSet<BTreeSet<String>> =
        operation.security.iter().map(|alternative| alternative.iter().map(setter).collect()).collect();
    if needs.is_empty() {
        needs.insert(BTreeSet::new());
    }
    needs
}

/// Whether every alternative of credentials that met `old` meets one of `new`.
fn still_met(old: &BTreeSet<BTreeSet<String>>, new: &BTreeSet<BTreeSet<String>>) -> bool {
    old.iter().all(|held| new.iter().any(|wanted| wanted.is_subset(held)))
}

fn needs_text(needs: &BTreeSet<BTreeSet<String>>) -> String {
    let alternatives = needs.iter().map(|alternative| {
        if alternative.is_empty() {
            "no credential".to_owned()
        } else {
            alternative.iter().map(|it| format!("`{it}`")).collect::<Vec<_>>().join(" and ")
        }
    });
    alternatives.collect::<Vec<_>>().join(" or ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_leave_parameter_names_out() {
        let cases = [("/a/{id}/b", "/a/{}/b"), ("/a", "/a"), ("/{x}{y}", "/{}{}")];
        for (path, expected) in cases {
            assert_eq!(template(path), expected, "{path}");
        }
    }

    #[test]
    fn security_stays_compatible_while_old_credentials_still_do() {
        let set = |alternatives: &[&[&str]]| -> BTreeSet<BTreeSet<String>> {
            alternatives.iter().map(|it| it.iter().map(|name| name.to_string()).collect()).collect()
        };
        // Alternatives of credentials, each a list of scheme setters.
        type Needs<'a> = &'a [&'a [&'a str]];
        let cases: [(Needs, Needs, bool); 5] = [
            (&[&["key"]], &[&["key"], &["token"]], true),
            (&[&["key"]], &[&[]], true),
            (&[&[]], &[&["key"]], false),
            (&[&["key"]], &[&["token"]], false),
            (&[&["key"], &["token"]], &[&["key"]], false),
        ];
        for (old, new, expected) in cases {
            assert_eq!(still_met(&set(old), &set(new)), expected, "{old:?} -> {new:?}");
        }
    }
}
