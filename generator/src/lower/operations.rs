//! Lowering of paths and security schemes into client operations.

use std::collections::BTreeMap;

use heck::ToShoutySnakeCase;
use openapiv3::{
    APIKeyLocation, MediaType, Operation as SpecOperation, Parameter, ParameterSchemaOrContent, PathItem,
    ReferenceOr, RequestBody, Schema, SchemaKind, SecurityRequirement, SecurityScheme as SpecScheme,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::groups::{Candidate, Placement, place};
use super::responses::body_format;
use super::schemas::string_enum;
use super::{Direction, Lowerer, ref_token};
use crate::model::{
    Body, BodyFormat, Encoding, Group, Operation, Param, ParamLocation, PathPart, SchemeKind, SecurityScheme,
    Setting, TypeRef,
};
use crate::names::{CLIENT_METHODS, Namespace, OPERATION_ITEMS, camel_ident, snake_ident, unraw};

pub(super) fn lower_security_scheme(
    lowerer: &mut Lowerer<'_>,
    name: &str,
    scheme: &ReferenceOr<SpecScheme>,
    setter_names: &mut Namespace,
) -> Option<SecurityScheme> {
    let ReferenceOr::Item(scheme) = scheme else {
        lowerer.warn("references between security schemes are not supported; the scheme is left out");
        return None;
    };
    let (kind, doc) = match scheme {
        SpecScheme::APIKey { location, name: parameter, description, .. } => {
            let parameter = parameter.clone();
            let kind = match location {
                APIKeyLocation::Header => SchemeKind::ApiKeyHeader(parameter),
                APIKeyLocation::Query => SchemeKind::ApiKeyQuery(parameter),
                APIKeyLocation::Cookie => SchemeKind::ApiKeyCookie(parameter),
            };
            (kind, description.clone())
        }
        SpecScheme::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("basic") => {
            (SchemeKind::Basic, description.clone())
        }
        SpecScheme::HTTP { scheme, description, .. } => {
            if !scheme.eq_ignore_ascii_case("bearer") {
                lowerer.warn(format!("http scheme `{scheme}` is sent as a bearer token"));
            }
            (SchemeKind::Bearer, description.clone())
        }
        // OAuth 2 and OpenID Connect end in a bearer token; getting one is the caller's business.
        SpecScheme::OAuth2 { description, .. } | SpecScheme::OpenIDConnect { description, .. } => {
            (SchemeKind::Bearer, description.clone())
        }
    };
    let wanted = snake_ident(name);
    let setter_name = setter_names.claim(&wanted);
    if setter_name != wanted {
        lowerer.warn(format!("credential setter `{wanted}` is already taken; using `{setter_name}`"));
    }
    Some(SecurityScheme {
        name: name.to_owned(),
        const_name: unraw(&setter_name).to_shouty_snake_case(),
        setter_name,
        kind,
        doc,
    })
}

const FORM: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";

/// The names handed out for the operations: methods and types of the operations module (for
/// the client's own methods) and of each group's module.
struct OperationNames {
    /// Methods of `Client`: group handles and the operations without a group.
    client_methods: Namespace,
    /// Types and modules of the operations module.
    types: Namespace,
    /// Per group (by tag): its methods and the types of its module.
    groups: BTreeMap<String, (Namespace, Namespace)>,
}

/// What the client calls an operation and where: its method and builder, and the group it is in.
struct Naming<'n> {
    group: Option<&'n Group>,
    method_name: String,
    builder_name: String,
    /// The prefix of the names of the operation's inline types in the models module, unique in
    /// the whole API: the group's type and the builder (`UserProfileCreate`), or the builder.
    model_hint: String,
}

impl<'a: 's, 's> Lowerer<'a> {
    /// Lowers the operations of `paths` (in path order, which decides who gets a name first),
    /// dropping each path item once it is lowered: the paths are most of a large document, and
    /// the operations' model takes their place. With `grouped`, operations are grouped by tag
    /// (see `groups`); the groups come back sorted by name.
    pub(super) fn lower_operations(
        &mut self,
        paths: Vec<(String, ReferenceOr<PathItem>)>,
        schemes: &[SecurityScheme],
        grouped: bool,
    ) -> (Vec<Group>, Vec<Operation>) {
        let ids: Vec<String> = paths
            .iter()
            .filter_map(|(path, item)| Some((path, item.as_item()?)))
            .flat_map(|(path, item)| {
                item.iter().map(move |(method, operation)| {
                    operation.operation_id.clone().unwrap_or_else(|| format!("{method} {path}"))
                })
            })
            .collect();
        let candidates: Vec<Candidate> = paths
            .iter()
            .filter_map(|(_, item)| item.as_item())
            .flat_map(|item| item.iter().map(|(_, operation)| operation))
            .zip(&ids)
            .map(|(operation, id)| Candidate { id, tags: &operation.tags, extensions: &operation.extensions })
            .collect();
        self.choose_setting_defaults(&paths);
        let placements = place(&candidates, grouped);
        drop(candidates);
        let mut names = OperationNames {
            client_methods: Namespace::reserving(CLIENT_METHODS),
            types: Namespace::reserving(&OPERATION_ITEMS.concat()),
            groups: BTreeMap::new(),
        };
        let groups = self.name_groups(&placements, &mut names);

        let mut placements = placements.into_iter();
        let mut operations = Vec::new();
        self.with_token("paths", |this| {
            for (path, item) in paths {
                this.with_token(&path, |this| {
                    let ReferenceOr::Item(item) = &item else {
                        this.warn("path item references are not supported; the path is left out");
                        return;
                    };
                    for (method, operation) in item.iter() {
                        let placement = placements.next().expect("one placement per operation");
                        let lowered = this.with_token(method, |this| {
                            let naming = this.name_operation(placement, &groups, &mut names);
                            this.lower_operation(&path, method, item, operation, schemes, naming, &mut names)
                        });
                        operations.push(lowered);
                    }
                })
            }
        });
        operations
            .sort_by(|left, right| (&left.group, &left.method_name).cmp(&(&right.group, &right.method_name)));
        (groups, operations)
    }

    /// One group per distinct group name, sorted, each with a name that is both a free method of
    /// the client and a free module of the operations module.
    fn name_groups(&mut self, placements: &[Placement], names: &mut OperationNames) -> Vec<Group> {
        let mut tags: Vec<&String> = placements.iter().filter_map(|it| it.group.as_ref()).collect();
        tags.sort_by_key(|it| snake_ident(it));
        tags.dedup();
        let mut groups = Vec::new();
        for tag in tags {
            let wanted = snake_ident(tag);
            let mut name = wanted.clone();
            let mut counter = 1;
            while names.client_methods.contains(&name) || names.types.contains(&name) {
                counter += 1;
                name = format!("{}_{counter}", unraw(&wanted));
            }
            if name != wanted {
                self.warn(format!("group name `{wanted}` (tag `{tag}`) is already taken; using `{name}`"));
            }
            names.client_methods.claim(&name);
            names.types.claim(&name);
            let mut group_types = Namespace::reserving(&OPERATION_ITEMS.concat());
            let type_name = group_types.claim(&camel_ident(tag));
            names.groups.insert(tag.clone(), (Namespace::reserving(CLIENT_METHODS), group_types));
            let doc =
                self.document.tags.iter().find(|it| it.name == *tag).and_then(|it| it.description.clone());
            groups.push(Group {
                name,
                type_name,
                tag: tag.clone(),
                doc: doc.filter(|it| !it.trim().is_empty()),
            });
        }
        groups.sort_by(|left, right| left.name.cmp(&right.name));
        groups
    }

    /// Claims the operation's method and builder names in its group (or on the client),
    /// numbering a name already taken, with a warning.
    fn name_operation<'n>(
        &mut self,
        placement: Placement,
        groups: &'n [Group],
        names: &mut OperationNames,
    ) -> Naming<'n> {
        let group = placement
            .group
            .as_ref()
            .map(|tag| groups.iter().find(|it| it.tag == *tag).expect("every placed group was named"));
        let (methods, types) = match &placement.group {
            Some(tag) => {
                let (methods, types) = names.groups.get_mut(tag).expect("every placed group was named");
                (methods, types)
            }
            None => (&mut names.client_methods, &mut names.types),
        };
        let wanted = placement.method;
        let method_name = methods.claim(&wanted);
        if method_name != wanted {
            let owner = group.map_or("the client", |it| it.name.as_str());
            self.warn(format!(
                "operation name `{wanted}` is already taken on {owner}; using `{method_name}`"
            ));
        }
        let builder_name = types.claim(&camel_ident(unraw(&method_name)));
        let model_hint = match group {
            Some(group) => format!("{}{builder_name}", group.type_name),
            None => builder_name.clone(),
        };
        Naming { group, method_name, builder_name, model_hint }
    }

    #[allow(clippy::too_many_arguments)]
    fn lower_operation(
        &mut self,
        path: &str,
        method: &str,
        item: &'s PathItem,
        operation: &'s SpecOperation,
        schemes: &[SecurityScheme],
        naming: Naming<'_>,
        names: &mut OperationNames,
    ) -> Operation {
        let id = match &operation.operation_id {
            Some(id) => id.clone(),
            None => {
                let made_up = format!("{method} {path}");
                self.warn(format!(
                    "operation has no operationId; naming it `{}` from its method and path",
                    snake_ident(&made_up)
                ));
                made_up
            }
        };
        let Naming { group, method_name, builder_name, model_hint } = naming;
        let by_status_names = match group {
            Some(group) => &mut names.groups.get_mut(&group.tag).expect("every group has names").1,
            None => &mut names.types,
        };

        let (params, path_parts) = self.lower_params(path, item, operation, &model_hint);
        let body = operation
            .request_body
            .as_ref()
            .and_then(|body| self.with_token("requestBody", |this| this.lower_body(body, &model_hint)));
        let (success, error_body, accept) = self.with_token("responses", |this| {
            this.lower_responses(operation, &model_hint, &builder_name, by_status_names)
        });
        let security = self.lower_security(operation, schemes);
        let pagination = self.lower_pagination(operation, &params, &success);

        Operation {
            id,
            id_documented: operation.operation_id.is_some(),
            group: group.map(|it| it.name.clone()),
            owner: group.map_or_else(|| "Client".to_owned(), |it| it.type_name.clone()),
            method_name,
            builder_name,
            http_method: method.to_ascii_uppercase(),
            path: path.to_owned(),
            path_parts,
            summary: operation.summary.clone().filter(|it| !it.trim().is_empty()),
            description: operation.description.clone().filter(|it| !it.trim().is_empty()),
            deprecated: operation.deprecated,
            params,
            body,
            success,
            error_body,
            accept,
            security,
            pagination,
        }
    }

    /// Path-level and operation-level parameters (the latter override the former), path
    /// parameters first in template order.
    fn lower_params(
        &mut self,
        path: &str,
        item: &'s PathItem,
        operation: &'s SpecOperation,
        model_hint: &str,
    ) -> (Vec<Param>, Vec<PathPart>) {
        let mut declared: Vec<(String, &'s Parameter)> = Vec::new();
        for (level, list) in [("path", &item.parameters), ("operation", &operation.parameters)] {
            for (index, parameter) in list.iter().enumerate() {
                let pointer_base = if level == "path" { None } else { Some(index) };
                let Some(parameter) = self.resolve_parameter(parameter, pointer_base) else { continue };
                let data = parameter.parameter_data_ref();
                let key = format!("{}:{}", location_name(parameter), data.name);
                declared.retain(|(existing, _)| *existing != key);
                declared.push((key, parameter));
            }
        }

        let mut names = Namespace::default();
        // Names the builder itself uses: its fields and the methods every builder has.
        for reserved in [
            "client",
            "body",
            "encoding",
            "options",
            "send",
            "send_with_response",
            "send_raw",
            "timeout",
            "retry",
            "idempotent",
            "into_future",
            "into_request",
            "decode",
            "pages",
            "items",
        ] {
            names.claim(reserved);
        }
        let mut params = Vec::new();
        let mut path_parts = Vec::new();
        let template_names = template_params(path);
        let mut rest = path;
        for template_name in &template_names {
            let marker = format!("{{{template_name}}}");
            let (before, after) = rest.split_once(&marker).expect("template_params found it");
            if !before.is_empty() {
                path_parts.push(PathPart::Literal(before.to_owned()));
            }
            rest = after;
            let found = declared.iter().find(|(_, it)| {
                matches!(it, Parameter::Path { .. }) && it.parameter_data_ref().name == *template_name
            });
            if let Some(setting) = found.and_then(|(_, parameter)| self.path_setting(parameter)) {
                let local = names.claim(&snake_ident(template_name));
                path_parts.push(PathPart::Setting { setting, local });
                continue;
            }
            let (ty, doc) = match found {
                Some((_, parameter)) => {
                    let mut ty = self.param_type(parameter, model_hint);
                    // An untyped path parameter is text; only structured ones are worth a word.
                    if ty == TypeRef::Json {
                        ty = TypeRef::String;
                    } else if !is_displayable(&ty, &self.types) {
                        self.warn(format!(
                            "path parameter `{template_name}` is not a scalar; taking it as a string"
                        ));
                        ty = TypeRef::String;
                    }
                    (ty, parameter.parameter_data_ref().description.clone())
                }
                None => {
                    self.warn(format!(
                        "path parameter `{template_name}` is not declared; treating it as a string"
                    ));
                    (TypeRef::String, None)
                }
            };
            path_parts.push(PathPart::Param(params.len()));
            params.push(Param {
                name: names.claim(&snake_ident(template_name)),
                wire_name: template_name.clone(),
                location: ParamLocation::Path,
                ty,
                required: true,
                doc,
            });
        }
        if !rest.is_empty() {
            path_parts.push(PathPart::Literal(rest.to_owned()));
        }

        for (_, parameter) in &declared {
            let data = parameter.parameter_data_ref();
            let location = match parameter {
                Parameter::Path { .. } => {
                    if !template_names.contains(&data.name) {
                        self.warn(format!(
                            "path parameter `{}` does not appear in the path; it is left out",
                            data.name
                        ));
                    }
                    continue;
                }
                Parameter::Query { .. } => ParamLocation::Query,
                Parameter::Header { .. } => ParamLocation::Header,
                Parameter::Cookie { .. } => {
                    self.warn(format!(
                        "cookie parameter `{}` is not supported yet; it is left out",
                        data.name
                    ));
                    continue;
                }
            };
            let (_, wanted) = self.idents(&data.name);
            let name = names.claim(&wanted);
            if name != wanted {
                self.warn(format!("parameter name `{wanted}` is already taken; using `{name}`"));
            }
            params.push(Param {
                name,
                wire_name: data.name.clone(),
                location,
                ty: self.param_type(parameter, model_hint),
                required: data.required,
                doc: data.description.clone(),
            });
        }
        (params, path_parts)
    }

    /// The client setting a path parameter becomes (its index in `settings`, made on first
    /// use): one whose schema allows a single string and gives it as the default. A parameter
    /// with another default than most operations give its name stays an argument, with a
    /// warning.
    fn path_setting(&mut self, parameter: &'s Parameter) -> Option<usize> {
        let data = parameter.parameter_data_ref();
        let default = self.fixed_default(parameter)?;
        let chosen = self.setting_defaults.get(&data.name)?;
        if *chosen != default {
            self.warn(format!(
                "path parameter `{}` defaults to `{default}` here but to `{chosen}` in most operations; here it \
                 stays an argument",
                data.name
            ));
            return None;
        }
        if let Some(index) = self.settings.iter().position(|it| it.wire_name == data.name) {
            return Some(index);
        }
        let wanted = snake_ident(&data.name);
        let setter_name = self.builder_methods.claim(&wanted);
        if setter_name != wanted {
            self.warn(format!("client builder method `{wanted}` is already taken; using `{setter_name}`"));
        }
        let doc = data.description.clone();
        self.settings.push(Setting { setter_name, wire_name: data.name.clone(), default, doc });
        Some(self.settings.len() - 1)
    }

    /// The default of a path parameter whose schema allows a single string and gives it as the
    /// default; `None` for any other parameter.
    fn fixed_default(&self, parameter: &'s Parameter) -> Option<String> {
        let Parameter::Path { parameter_data: data, .. } = parameter else { return None };
        let ParameterSchemaOrContent::Schema(schema) = &data.format else { return None };
        let schema = self.resolve(schema.into())?;
        let default = match schema.schema_data.default.as_ref()? {
            serde_json::Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        (string_enum(schema)?.len() == 1).then_some(default)
    }

    /// The default each setting takes: per path parameter name, the fixed default most
    /// operations give it (the first in text order on a tie), so that one odd operation does
    /// not decide for the others.
    fn choose_setting_defaults(&mut self, paths: &'s [(String, ReferenceOr<PathItem>)]) {
        let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
        for (_, item) in paths {
            let Some(item) = item.as_item() else { continue };
            for (_, operation) in item.iter() {
                let mut seen: BTreeMap<String, String> = BTreeMap::new();
                for parameter in item.parameters.iter().chain(&operation.parameters) {
                    let parameter = match parameter {
                        ReferenceOr::Item(item) => Some(item),
                        ReferenceOr::Reference { reference } => {
                            let name = reference.strip_prefix("#/components/parameters/").map(ref_token);
                            let components = self.document.components.as_ref();
                            name.and_then(|it| components?.parameters.get(it.as_ref())?.as_item())
                        }
                    };
                    let Some(parameter) = parameter else { continue };
                    if let Some(default) = self.fixed_default(parameter) {
                        seen.insert(parameter.parameter_data_ref().name.clone(), default);
                    }
                }
                for key in seen {
                    *counts.entry(key).or_default() += 1;
                }
            }
        }
        let mut best: BTreeMap<String, (String, usize)> = BTreeMap::new();
        for ((name, default), count) in counts {
            if best.get(&name).is_none_or(|(_, most)| count > *most) {
                best.insert(name, (default, count));
            }
        }
        self.setting_defaults = best.into_iter().map(|(name, (default, _))| (name, default)).collect();
    }

    fn resolve_parameter(
        &mut self,
        parameter: &'s ReferenceOr<Parameter>,
        index: Option<usize>,
    ) -> Option<&'s Parameter> {
        match parameter {
            ReferenceOr::Item(item) => Some(item),
            ReferenceOr::Reference { reference } => {
                let document = self.document;
                let token = index.map_or_else(|| "parameters".to_owned(), |it| format!("parameters/{it}"));
                let name =
                    self.component_name(reference, "parameters").map(|it| ref_token(it).into_owned())?;
                let found = document.components.as_ref().and_then(|it| it.parameters.get(&name));
                match found {
                    Some(ReferenceOr::Item(item)) => Some(item),
                    _ => {
                        self.with_token(&token, |this| {
                            this.error(format!("unknown parameter `{reference}`"))
                        });
                        None
                    }
                }
            }
        }
    }

    fn param_type(&mut self, parameter: &'s Parameter, model_hint: &str) -> TypeRef {
        let data = parameter.parameter_data_ref();
        match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let hint = format!("{model_hint}{}", unraw(&self.idents(&data.name).0));
                self.schema_type(schema.into(), Direction::Request, &hint)
            }
            ParameterSchemaOrContent::Content(_) => {
                self.warn(format!("parameter `{}` uses `content`; sending it as a string", data.name));
                TypeRef::String
            }
        }
    }

    fn lower_body(&mut self, body: &'s ReferenceOr<RequestBody>, model_hint: &str) -> Option<Body> {
        // Inline types of a shared request body are named after it, not after its first user.
        let (body, hint) = match body {
            ReferenceOr::Item(item) => (item, format!("{model_hint}Body")),
            ReferenceOr::Reference { reference } => {
                let document = self.document;
                let name =
                    self.component_name(reference, "requestBodies").map(|it| ref_token(it).into_owned())?;
                match document.components.as_ref().and_then(|it| it.request_bodies.get(&name)) {
                    Some(ReferenceOr::Item(item)) => (item, format!("{}Body", unraw(&camel_ident(&name)))),
                    _ => {
                        self.warn(format!(
                            "unknown request body `{reference}`; the operation is sent without one"
                        ));
                        return None;
                    }
                }
            }
        };
        let mut offered: Vec<(Encoding, &'s str, &'s MediaType)> = Vec::new();
        for (media_type, content) in &body.content {
            let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
            let encoding = match body_format(media_type) {
                BodyFormat::Json => Encoding::Json,
                _ if essence == FORM => Encoding::FormUrlEncoded,
                _ if essence == MULTIPART => Encoding::Multipart,
                _ => Encoding::Raw(if essence.contains('*') {
                    "application/octet-stream".to_owned()
                } else {
                    essence
                }),
            };
            let raw = matches!(encoding, Encoding::Raw(_));
            if !offered
                .iter()
                .any(|(existing, ..)| *existing == encoding || (raw && matches!(existing, Encoding::Raw(_))))
            {
                offered.push((encoding, media_type, content));
            }
        }
        // JSON, form and multipart share one body type; a raw body is offered only alone.
        offered.sort_by(|left, right| left.0.cmp(&right.0));
        if offered.iter().any(|(encoding, ..)| !matches!(encoding, Encoding::Raw(_))) {
            for (encoding, media_type, _) in &offered {
                if matches!(encoding, Encoding::Raw(_)) {
                    self.warn(format!("request body media type `{media_type}` is left out; the body is sent as structured data"));
                }
            }
            offered.retain(|(encoding, ..)| !matches!(encoding, Encoding::Raw(_)));
        }
        let (first_encoding, first_media_type, first) = offered.first()?.clone();
        for (_, media_type, content) in &offered[1..] {
            if content.schema != first.schema {
                self.warn(format!(
                    "`{media_type}` has a different schema than `{first_media_type}`; the body type follows `{first_media_type}`"
                ));
            }
        }
        let ty = match (&first_encoding, &first.schema) {
            (Encoding::Raw(_), _) => {
                if body_format(first_media_type) == BodyFormat::Text {
                    TypeRef::String
                } else {
                    TypeRef::Bytes
                }
            }
            (Encoding::Multipart, Some(schema))
                if offered.len() == 1 && self.has_file_fields(schema.into()) =>
            {
                TypeRef::Form
            }
            (_, Some(schema)) => self.with_token("content", |this| {
                this.with_token(first_media_type, |this| {
                    this.with_token("schema", |this| {
                        this.schema_type(schema.into(), Direction::Request, &hint)
                    })
                })
            }),
            (_, None) => TypeRef::Json,
        };
        Some(Body {
            ty,
            required: body.required,
            doc: body.description.clone(),
            encodings: offered.into_iter().map(|(encoding, ..)| encoding).collect(),
        })
    }

    /// Whether a multipart body schema has file fields (`format: binary`, or arrays of them),
    /// which only the runtime's `Form` can carry.
    fn has_file_fields(&self, schema: super::SchemaRef<'s>) -> bool {
        let is_file = |schema: Option<&Schema>| {
            schema.is_some_and(|it| {
                matches!(&it.schema_kind, SchemaKind::Type(Type::String(string))
                    if string.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary))
            })
        };
        let Some(SchemaKind::Type(Type::Object(object))) = self.resolve(schema).map(|it| &it.schema_kind)
        else {
            return false;
        };
        object.properties.values().any(|property| {
            let property = self.resolve(property.into());
            match property.map(|it| &it.schema_kind) {
                Some(SchemaKind::Type(Type::Array(array))) => {
                    is_file(array.items.as_ref().and_then(|items| self.resolve(items.into())))
                }
                _ => is_file(property),
            }
        })
    }

    fn lower_security(&mut self, operation: &SpecOperation, schemes: &[SecurityScheme]) -> Vec<Vec<String>> {
        let document = self.document;
        let (requirements, at): (&[SecurityRequirement], Vec<String>) = match &operation.security {
            Some(own) => (own, [self.pointer.as_slice(), &["security".to_owned()]].concat()),
            None => (document.security.as_deref().unwrap_or_default(), vec!["security".to_owned()]),
        };
        let mut alternatives = Vec::new();
        for requirement in requirements {
            let mut consts = Vec::new();
            for name in requirement.keys() {
                match schemes.iter().find(|it| it.name == *name) {
                    Some(scheme) => consts.push(scheme.const_name.clone()),
                    // Documents from elsewhere name schemes they never define; the operation is
                    // still worth a method, which sends the credentials that are defined.
                    None => {
                        let message = format!(
                            "security requirement names unknown scheme `{name}`, which is left out of the requirement; \
                             define it under `components/securitySchemes`"
                        );
                        let saved = std::mem::replace(&mut self.pointer, at.clone());
                        self.warn(message);
                        self.pointer = saved;
                    }
                }
            }
            // An empty requirement means "no authentication" is one of the alternatives; one
            // emptied by leaving out unknown schemes asks for credentials the client cannot
            // have, so it is dropped instead.
            if consts.is_empty() && !requirement.is_empty() {
                continue;
            }
            alternatives.push(consts);
        }
        alternatives
    }
}

/// Whether a path parameter of this type can be written into a path segment.
fn is_displayable(ty: &TypeRef, types: &std::collections::BTreeMap<String, crate::model::TypeDef>) -> bool {
    match ty {
        TypeRef::Named { name, .. } => {
            types.get(name).is_some_and(|it| matches!(it.kind, crate::model::TypeKind::StringEnum { .. }))
        }
        TypeRef::Json | TypeRef::Vec(_) | TypeRef::Map(_) | TypeRef::Option(_) => false,
        _ => true,
    }
}

fn location_name(parameter: &Parameter) -> &'static str {
    match parameter {
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Path { .. } => "path",
        Parameter::Cookie { .. } => "cookie",
    }
}

/// The `{name}` placeholders of a path template, in order.
fn template_params(path: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(length) = rest[start..].find('}') else { break };
        names.push(rest[start + 1..start + length].to_owned());
        rest = &rest[start + length + 1..];
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_params_in_order() {
        let cases: [(&str, &[&str]); 4] = [
            ("/ux/common/user/profile/", &[]),
            ("/ux/common/user/profile/{id}/", &["id"]),
            ("/orgs/{org}/repos/{repo-name}", &["org", "repo-name"]),
            ("/broken/{id", &[]),
        ];
        for (path, expected) in cases {
            assert_eq!(template_params(path), expected, "{path}");
        }
    }
}
