//! The intermediate model between `lower` and `emit`: plain data, every decision already made.
//!
//! Invariants, established by `lower` and relied on by `emit`:
//! - every `$ref` is resolved: a [`TypeRef::Named`] always names a [`TypeDef`] in [`Api::types`];
//! - every Rust name is a valid identifier and unique in its scope (types in the models module,
//!   fields in a struct, variants in an enum, methods on the client or on a group's handle,
//!   types in the operations module or a group's module, parameters of an operation), and never
//!   one that the generated code or the runtime uses (`Client`, `Error`, `Option`, ...);
//! - every [`Operation::group`] names a [`Group`] in [`Api::groups`], and every
//!   [`PathPart::Setting`] a [`Setting`] in [`Api::settings`];
//! - `types`, `groups` and `security_schemes` are sorted by Rust name, and `operations` by
//!   group, then method name, so output order never depends on the order of the input
//!   document.

/// A whole client: its models, its operations and the credentials they use.
#[derive(Clone, Debug, PartialEq)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    pub types: Vec<TypeDef>,
    /// The namespaces operations are grouped into, reached from the client.
    pub groups: Vec<Group>,
    pub operations: Vec<Operation>,
    pub security_schemes: Vec<SecurityScheme>,
    /// Path parameters the client holds once for every operation, in the order met.
    pub settings: Vec<Setting>,
}

/// A path parameter set once on the client builder rather than passed to every method: one
/// whose schema allows a single value and gives it as the default, such as an API version
/// segment (`/{apiVersion}/users` with `v4`). The builder method overrides the default, for a
/// server that has moved on.
#[derive(Clone, Debug, PartialEq)]
pub struct Setting {
    /// The client builder method: `api_version`.
    pub setter_name: String,
    /// The parameter's name in the path template: `apiVersion`.
    pub wire_name: String,
    pub default: String,
    pub doc: Option<String>,
}

/// A namespace of operations (those of one tag), reached from the client by a method returning
/// a handle that borrows it: `client.user_profile().get("42")`. Its operations' request
/// builders and response types live in a module of the same name.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// The client method and the module: `user_profile`.
    pub name: String,
    /// The handle type in the module: `UserProfile`.
    pub type_name: String,
    /// The tag (or group extension) as written in the document: `User Profile`.
    pub tag: String,
    /// The tag's description.
    pub doc: Option<String>,
}

/// A named Rust type in the models module.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeDef {
    pub name: String,
    /// Where the type's schema is in the document (a JSON pointer), so tools comparing two
    /// clients can point back at the spec; a type reused for identical inline schemas points at
    /// the first of them.
    pub pointer: String,
    pub doc: Option<String>,
    /// For a request shape split off a component: the name of the full (response) type.
    pub request_shape_of: Option<String>,
    pub kind: TypeKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TypeKind {
    /// A JSON object with known properties.
    Struct { fields: Vec<Field> },
    /// A string enum; unknown values decode into a catch-all `Unknown(String)` variant.
    StringEnum { variants: Vec<Variant> },
    /// `oneOf`/`anyOf`: one variant per member. With a discriminator property the variant is
    /// picked by its value (unknown values decode into `Unknown(serde_json::Value)`); without
    /// one, the first variant that decodes wins, so lowering orders them from the most specific
    /// (`null`, objects requiring the most properties, ..., free-form values last).
    Union { variants: Vec<UnionVariant>, discriminator: Option<Discriminator> },
}

/// The property a union's variants are told apart by.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Discriminator {
    pub property: String,
    /// Whether every member is a component carrying the property as one of its fields; the
    /// enum then overwrites it with the variant's value when it serializes, so the two never
    /// disagree. Otherwise the members are inline objects leaving the property out (each
    /// required it as a one-value enum), and the enum writes it by serde's internal tagging.
    /// Either way the enum writes the tag.
    pub in_members: bool,
}

/// One member of a union.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UnionVariant {
    pub name: String,
    /// `None`: a unit variant, for a member with no property but the discriminator.
    pub ty: Option<TypeRef>,
    /// Discriminator values selecting this variant (empty for untagged unions).
    pub tags: Vec<String>,
    /// The member's own description, for a unit variant (a struct variant's type has it).
    pub doc: Option<String>,
}

/// One property of a struct.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Field {
    pub name: String,
    pub wire_name: String,
    pub doc: Option<String>,
    pub ty: TypeRef,
    pub presence: Presence,
    /// Serialized inline with the struct's own properties (`#[serde(flatten)]`): a union of
    /// shapes the object may take besides its common properties. `wire_name` is empty.
    pub flatten: bool,
    /// The one value a required field can have, which the constructor fills in rather than
    /// take as an argument: the value of a one-value string enum, or the discriminator value
    /// naming the struct in the union it is a member of. Only for `String`, JSON and string
    /// enum fields.
    pub value: Option<String>,
}

/// Whether a property must be on the wire, and whether it may be `null` there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Presence {
    /// Always present, never null: `T`.
    Required,
    /// Always present, may be null: `Option<T>`, serialized as `null` when `None`.
    RequiredNullable,
    /// May be absent (absent and null both read as `None`): `Option<T>`, left out when `None`.
    Optional,
    /// May be absent, null or a value, and the difference matters (request bodies):
    /// `Nullable<T>`, left out when absent.
    OptionalNullable,
}

/// One value of a string enum.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Variant {
    pub name: String,
    pub wire_name: String,
}

/// A Rust type as written at a use site.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    String,
    Integer,
    UnsignedInteger,
    Number,
    Boolean,
    DateTime,
    Date,
    Uuid,
    /// Any JSON value: free-form or not typable faithfully.
    Json,
    /// Raw bytes: binary request and response bodies.
    Bytes,
    /// A multipart form with file parts, built by the caller with the runtime's `Form`.
    Form,
    Vec(Box<TypeRef>),
    /// A JSON object with arbitrary keys.
    Map(Box<TypeRef>),
    /// An array item or map value that may be `null`: `Option<T>`. Fields say the same with
    /// their [`Presence`], and unions with a unit variant `Null`.
    Option(Box<TypeRef>),
    /// A type from [`Api::types`], boxed where it would otherwise contain itself.
    Named {
        name: String,
        boxed: bool,
    },
}

impl TypeRef {
    /// Whether this type can be an operation's error body type as it is: a generated type, or
    /// one the runtime implements `ErrorBody` for (strings, numbers, JSON values, arrays and
    /// maps of anything). A generated crate can implement the runtime's trait only for its own
    /// types, so any other type is wrapped in a generated by-status enum instead.
    pub fn is_error_body(&self) -> bool {
        match self {
            TypeRef::String
            | TypeRef::Integer
            | TypeRef::UnsignedInteger
            | TypeRef::Number
            | TypeRef::Boolean
            | TypeRef::Json
            | TypeRef::Vec(_)
            | TypeRef::Map(_)
            | TypeRef::Named { boxed: false, .. } => true,
            TypeRef::DateTime
            | TypeRef::Date
            | TypeRef::Uuid
            | TypeRef::Bytes
            | TypeRef::Form
            | TypeRef::Option(_)
            | TypeRef::Named { boxed: true, .. } => false,
        }
    }
}

/// One API operation, emitted as a client method plus a request builder.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    /// The operationId (or the name made up for it) as in the spec.
    pub id: String,
    /// Whether `id` is the document's operationId rather than made up from method and path.
    pub id_documented: bool,
    /// The [`Group::name`] of the group the operation belongs to; `None`: a method of the
    /// client itself.
    pub group: Option<String>,
    /// The type the method is on: `Client`, or the group's handle type.
    pub owner: String,
    /// The method: `list` in a group, `ux_common_user_profile_retrieve` on the client.
    pub method_name: String,
    /// The request builder type, in the operations module or the group's module: `List`.
    pub builder_name: String,
    /// Upper-case HTTP method: `GET`.
    pub http_method: String,
    /// The path template as in the spec.
    pub path: String,
    pub path_parts: Vec<PathPart>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// Path parameters first (in template order), then the others in spec order.
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub success: Success,
    /// The body type of error statuses, when the spec types them.
    pub error_body: Option<ErrorBody>,
    /// The `Accept` header sent, naming the media types the client reads, when a success
    /// response offers several and the server would otherwise choose.
    pub accept: Option<String>,
    /// Alternatives of security requirements: the first one whose credentials the client has
    /// is applied. Each inner list holds scheme const names. Empty: no authentication.
    pub security: Vec<Vec<String>>,
    /// How to fetch every page, for listings recognised as paged.
    pub pagination: Option<Pagination>,
}

/// Where a paged listing keeps its paging; the runtime's `Paging` mirrors it.
#[derive(Clone, Debug, PartialEq)]
pub struct Pagination {
    pub style: PageStyle,
    /// The dotted path of the items array in a page; `None`: the page body is the array.
    pub items: Option<String>,
    /// The dotted path of the total number of items, when pages carry it.
    pub total: Option<String>,
    /// The type of one item.
    pub item_type: TypeRef,
}

#[derive(Clone, Debug, PartialEq)]
pub enum PageStyle {
    /// The wire name of the query parameter counting pages.
    PageNumber { page: String },
    /// The dotted path of the next page's URL, `null` on the last page.
    NextUrl { next: String },
}

/// A piece of a path template: literal text, the index of a path parameter in `params`, or a
/// client setting (its index in [`Api::settings`], and the local the segment is kept in).
#[derive(Clone, Debug, PartialEq)]
pub enum PathPart {
    Literal(String),
    Param(usize),
    Setting { setting: usize, local: String },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub name: String,
    pub wire_name: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    pub required: bool,
    pub doc: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Body {
    pub ty: TypeRef,
    pub required: bool,
    pub doc: Option<String>,
    /// The encodings the spec offers, JSON first when offered; the first is the default.
    pub encodings: Vec<Encoding>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Encoding {
    Json,
    FormUrlEncoded,
    Multipart,
    /// Sent as is with this content type: the body type is `String` or `Bytes`.
    Raw(String),
}

/// A response body: its Rust type and how it is read.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Payload {
    pub ty: TypeRef,
    pub format: BodyFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum BodyFormat {
    /// Decoded from JSON into `ty`.
    Json,
    /// Text as sent (`ty` is `String`): `text/*`, XML.
    Text,
    /// Bytes as sent (`ty` is `Bytes`): files, images, PDFs.
    Binary,
}

/// What a successful (2xx) call returns.
#[derive(Clone, Debug, PartialEq)]
pub enum Success {
    /// Every success status reads the same body. Statuses in `empty_statuses` are documented
    /// without one while others have one: the call then returns `Option`, `None` for these.
    Single { payload: Option<Payload>, empty_statuses: Vec<u16> },
    /// Success statuses carry different bodies: an enum in the operations module with one
    /// variant per status.
    ByStatus { name: String, cases: Vec<StatusCase> },
}

/// The error bodies an operation documents, when any is typed.
#[derive(Clone, Debug, PartialEq)]
pub enum ErrorBody {
    /// One type for every documented error status.
    Single(TypeRef),
    /// Different types per status: an enum in the operations module, picked by status.
    ByStatus { name: String, cases: Vec<StatusCase> },
}

/// One documented status and its body.
#[derive(Clone, Debug, PartialEq)]
pub struct StatusCase {
    pub status: StatusMatch,
    pub variant: String,
    pub payload: Option<Payload>,
    pub doc: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    Code(u16),
    /// `4XX`: the hundreds digit.
    Range(u16),
    Default,
}

/// A security scheme the client can hold a credential for.
#[derive(Clone, Debug, PartialEq)]
pub struct SecurityScheme {
    /// The scheme's name in the spec: `ApiKeyAuth`.
    pub name: String,
    /// The const holding its description: `API_KEY_AUTH`.
    pub const_name: String,
    /// The client builder method setting its credential: `api_key_auth`.
    pub setter_name: String,
    pub kind: SchemeKind,
    pub doc: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum SchemeKind {
    ApiKeyHeader(String),
    ApiKeyQuery(String),
    ApiKeyCookie(String),
    Bearer,
    Basic,
}
