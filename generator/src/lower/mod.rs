//! Lowering: `openapiv3::OpenAPI` → [`model::Api`]. Every decision of the generator is made here.
//!
//! The walk keeps a JSON pointer breadcrumb (`Lowerer::pointer`), pushed on descent and popped
//! on return, so any check can say where in the document it is. Findings are collected and the
//! walk goes on wherever a sensible reading exists.

mod groups;
mod objects;
mod operations;
mod paging;
mod pointers;
mod responses;
mod schemas;
mod unions;

use std::collections::{BTreeMap, HashMap};

use openapiv3::{OpenAPI, PathItem, ReferenceOr, Schema};

use crate::diagnostic::{Diagnostic, pointer};
use crate::model::{Api, SecurityScheme, TypeDef, TypeKind, TypeRef};
use crate::names::{MODEL_ITEMS, Namespace, is_reserved};

/// Lowers a whole document, consuming it. Errors mean nothing faithful can be generated;
/// warnings go along with the model. The path items are lowered last, in path order, each
/// dropped once lowered (see `lower_operations`).
/// With `grouped`, operations are grouped by tag into namespaces of the client.
pub fn lower(mut document: OpenAPI, grouped: bool) -> Result<(Api, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut paths: Vec<(String, ReferenceOr<PathItem>)> =
        std::mem::take(&mut document.paths.paths).into_iter().collect();
    paths.sort_by(|left, right| left.0.cmp(&right.0));
    let document = &document;
    let mut lowerer = Lowerer::new(document);
    if !document.openapi.starts_with("3.0.") {
        lowerer.error(format!("openapi version `{}` is not supported; expected 3.0.x", document.openapi));
        return Err(lowerer.diagnostics);
    }
    let security_schemes = lowerer.lower_security_schemes();
    lowerer.member_tags = lowerer.member_tags();
    lowerer.lower_component_schemas();
    let (groups, operations) = lowerer.lower_operations(paths, &security_schemes, grouped);

    let mut diagnostics = lowerer.diagnostics;
    diagnostics.sort();
    diagnostics.dedup();
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    let api = Api {
        title: document.info.title.clone(),
        version: document.info.version.clone(),
        description: document.info.description.clone(),
        types: lowerer.types.into_values().collect(),
        groups,
        operations,
        security_schemes,
        settings: lowerer.settings,
    };
    Ok((api, diagnostics))
}

/// Which way a schema's data travels. Request shapes leave out `readOnly` properties and keep
/// "absent" apart from `null`; response shapes leave out `writeOnly` properties.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Direction {
    Request,
    Response,
}

/// A schema position: a `$ref` or an inline schema, whether boxed in the source or not.
#[derive(Clone, Copy)]
enum SchemaRef<'a> {
    Ref(&'a str),
    Item(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SchemaRef<'a> {
    fn from(schema: &'a ReferenceOr<Schema>) -> Self {
        match schema {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(item) => SchemaRef::Item(item),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SchemaRef<'a> {
    fn from(schema: &'a ReferenceOr<Box<Schema>>) -> Self {
        match schema {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(item) => SchemaRef::Item(item),
        }
    }
}

struct Lowerer<'a> {
    document: &'a OpenAPI,
    pointer: Vec<String>,
    diagnostics: Vec<Diagnostic>,
    /// Every named type, by Rust name (so iteration is sorted).
    types: BTreeMap<String, TypeDef>,
    type_names: Namespace,
    /// Rust names of component schemas that became named types, per direction.
    component_types: BTreeMap<(String, Direction), String>,
    /// Types of component schemas that are not named types (aliases), per direction.
    alias_types: BTreeMap<(String, Direction), TypeRef>,
    /// Inline named types by their kind, to reuse identical ones.
    inline_types: HashMap<TypeKind, String>,
    /// Property and parameter names as type-name parts and as field names (`camel_ident`,
    /// `snake_ident`), computed once per distinct name: the same few names recur in thousands
    /// of schemas and operations.
    idents: HashMap<String, (String, String)>,
    /// Memo of [`Lowerer::differs_by_direction`] per component.
    differs: BTreeMap<String, bool>,
    /// Named types whose lowering is under way, to box self-references.
    in_progress: Vec<String>,
    /// The discriminator property and value naming each component in the discriminated union
    /// it is a member of (`None`: named by several), which its constructor fills in.
    member_tags: BTreeMap<String, Option<(String, String)>>,
    /// Methods of the client builder: its own, credential setters and settings.
    builder_methods: Namespace,
    /// Path parameters held by the client (see [`crate::model::Setting`]).
    settings: Vec<crate::model::Setting>,
    /// The default each setting takes, by path parameter name.
    setting_defaults: BTreeMap<String, String>,
}

impl<'a> Lowerer<'a> {
    fn new(document: &'a OpenAPI) -> Self {
        Lowerer {
            document,
            pointer: Vec::new(),
            diagnostics: Vec::new(),
            types: BTreeMap::new(),
            type_names: Namespace::reserving(&MODEL_ITEMS.concat()),
            component_types: BTreeMap::new(),
            alias_types: BTreeMap::new(),
            inline_types: HashMap::new(),
            idents: HashMap::new(),
            differs: BTreeMap::new(),
            in_progress: Vec::new(),
            member_tags: BTreeMap::new(),
            builder_methods: Namespace::reserving(BUILDER_METHODS),
            settings: Vec::new(),
            setting_defaults: BTreeMap::new(),
        }
    }

    /// Runs `f` one level deeper in the document.
    fn with_token<T>(&mut self, token: &str, f: impl FnOnce(&mut Self) -> T) -> T {
        self.pointer.push(token.to_owned());
        let result = f(self);
        self.pointer.pop();
        result
    }

    fn current_pointer(&self) -> String {
        pointer(&self.pointer)
    }

    fn warn(&mut self, message: impl Into<String>) {
        let diagnostic = Diagnostic::warning(self.current_pointer(), message);
        self.diagnostics.push(diagnostic);
    }

    fn error(&mut self, message: impl Into<String>) {
        let diagnostic = Diagnostic::error(self.current_pointer(), message);
        self.diagnostics.push(diagnostic);
    }

    /// Adds a named type to the models module.
    fn insert_type(&mut self, name: &str, doc: Option<String>, kind: TypeKind) {
        let pointer = self.current_pointer();
        let def = TypeDef { name: name.to_owned(), pointer, doc, request_shape_of: None, kind };
        self.types.insert(name.to_owned(), def);
    }

    /// Claims a unique type name, warning when the natural one was taken.
    fn claim_type_name(&mut self, wanted: &str) -> String {
        let name = self.type_names.claim(wanted);
        if is_reserved(MODEL_ITEMS, wanted) {
            self.warn(format!(
                "type name `{wanted}` is a name the models module uses from Rust's prelude or serde; using `{name}`"
            ));
        } else if name != wanted {
            self.warn(format!("type name `{wanted}` is already taken; using `{name}`"));
        }
        name
    }

    /// Resolves a local `#/components/<section>/<name>` reference to the name, or reports it.
    fn component_name<'r>(&mut self, reference: &'r str, section: &str) -> Option<&'r str> {
        let prefix = format!("#/components/{section}/");
        match reference.strip_prefix(&prefix) {
            Some(name) if !name.contains('/') => Some(name),
            _ => {
                self.error(format!(
                    "unsupported reference `{reference}`; expected a local `#/components/{section}/...` reference"
                ));
                None
            }
        }
    }

    fn lower_security_schemes(&mut self) -> Vec<SecurityScheme> {
        let document = self.document;
        let Some(components) = &document.components else { return Vec::new() };
        let mut schemes = Vec::new();
        let mut setter_names = std::mem::take(&mut self.builder_methods);
        self.with_token("components", |this| {
            this.with_token("securitySchemes", |this| {
                for (name, scheme) in &components.security_schemes {
                    let lowered = this.with_token(name, |this| {
                        operations::lower_security_scheme(this, name, scheme, &mut setter_names)
                    });
                    schemes.extend(lowered);
                }
            })
        });
        self.builder_methods = setter_names;
        schemes.sort_by(|left, right| left.const_name.cmp(&right.const_name));
        schemes
    }
}

/// The client builder's own methods (`generated-client/src/client.rs`), which credential
/// setters and settings must not take.
const BUILDER_METHODS: &[&str] = &[
    "basic_credential",
    "body_limit",
    "build",
    "connect_timeout",
    "credential",
    "deadline",
    "default_header",
    "error_body_limit",
    "http_client",
    "max_pages",
    "on_request",
    "on_response",
    "path_setting",
    "read_timeout",
    "redirect",
    "retry",
    "timeout",
];

/// Unescapes `~1`/`~0` in a `$ref` name token.
fn ref_token(name: &str) -> std::borrow::Cow<'_, str> {
    crate::diagnostic::unescape_token(name)
}
