//! Lowering of string enums and of `oneOf`/`anyOf` compositions into Rust enums.
//!
//! String enums keep unknown values (`Unknown(String)`), so a server adding a value never
//! breaks a whole response. Compositions whose members are all string enums (drf-spectacular's
//! `oneOf: [StatusEnum, BlankEnum, NullEnum]`, Dropshot's one-value enums) merge into one
//! string enum. Other compositions become enums with one variant per member: picked by the
//! discriminator property when there is one, else the first member that decodes. Inline
//! object members that each require one property as a one-value enum (`type: [blank]`) are
//! told apart by it as if it were the discriminator, and leave it out of their structs.

use std::collections::BTreeMap;

use openapiv3::{Discriminator, Schema};

use super::objects::ObjectParts;
use super::schemas::{Shape, Union, component_ref, string_enum, type_doc};
use super::{Direction, Lowerer, SchemaRef, ref_token};
use crate::model::{self, TypeKind, TypeRef, UnionVariant, Variant};
use crate::names::{Namespace, camel_ident, unraw};

impl<'a: 's, 's> Lowerer<'a> {
    /// The discriminator property and value naming each component that is a member of a
    /// discriminated union, for the constructor to fill in: components named by several values,
    /// or in several unions with different ones, get none.
    pub(super) fn member_tags(&self) -> BTreeMap<String, Option<(String, String)>> {
        let document = self.document;
        let mut tags: BTreeMap<String, Option<(String, String)>> = BTreeMap::new();
        let Some(components) = &document.components else { return tags };
        for schema in components.schemas.values() {
            let Some(item) = self.resolve(schema.into()) else { continue };
            let Shape::Union(Union { members, discriminator: Some(discriminator), .. }) = self.shape(item)
            else {
                continue;
            };
            for (_, member) in members {
                let SchemaRef::Ref(reference) = member else { continue };
                let Some(name) = component_ref(reference) else { continue };
                let tag = match tag_values(discriminator, reference).as_slice() {
                    [value] => Some((discriminator.property_name.clone(), value.clone())),
                    _ => None,
                };
                let name = ref_token(name).into_owned();
                match tags.get(&name) {
                    Some(known) if *known != tag => tags.insert(name, None),
                    _ => tags.insert(name, tag),
                };
            }
        }
        tags
    }

    /// The values of members that are all string enums, merged in order; `None` otherwise.
    pub(super) fn merged_string_enum(&self, members: &[SchemaRef<'s>]) -> Option<Vec<&'s str>> {
        let mut values: Vec<&'s str> = Vec::new();
        for member in members {
            for value in string_enum(self.resolve(*member)?)? {
                if !values.contains(&value) {
                    values.push(value);
                }
            }
        }
        Some(values)
    }

    pub(super) fn inline_enum(&mut self, hint: &str, schema: &'s Schema, values: Vec<&'s str>) -> TypeRef {
        let kind = TypeKind::StringEnum { variants: enum_variants(&values) };
        self.inline_type(hint, type_doc(schema), kind)
    }

    pub(super) fn insert_enum(&mut self, name: &str, doc: Option<String>, values: Vec<&'s str>) {
        self.insert_type(name, doc, TypeKind::StringEnum { variants: enum_variants(&values) });
    }

    pub(super) fn inline_union(
        &mut self,
        hint: &str,
        schema: &'s Schema,
        union: Union<'s>,
        direction: Direction,
    ) -> TypeRef {
        let kind = self.union_kind(hint, union, direction);
        self.inline_type(hint, type_doc(schema), kind)
    }

    pub(super) fn insert_union(
        &mut self,
        name: &str,
        doc: Option<String>,
        union: Union<'s>,
        direction: Direction,
    ) {
        self.in_progress.push(name.to_owned());
        let kind = self.union_kind(name, union, direction);
        self.in_progress.pop();
        self.insert_type(name, doc, kind);
    }

    fn union_kind(&mut self, parent: &str, union: Union<'s>, direction: Direction) -> TypeKind {
        let Union { keyword, members, discriminator, nullable } = union;
        // A discriminator needs every member to be a reference, so each has a name to match.
        let discriminator =
            discriminator.filter(|_| members.iter().all(|it| matches!(it.1, SchemaRef::Ref(_))));
        if discriminator.is_none() {
            if let Some(tag) = self.implicit_tag(&members) {
                return self.tagged_union_kind(parent, keyword, tag, direction);
            }
        }
        let mut names = Namespace::default();
        if discriminator.is_some() {
            names.claim("Unknown");
        }
        let mut variants = Vec::new();
        // A discriminated union keeps a `null` in `Unknown`; an untagged one needs a variant.
        if nullable && discriminator.is_none() {
            let doc = Some("`null`.".to_owned());
            variants.push(UnionVariant { name: names.claim("Null"), ty: None, tags: Vec::new(), doc });
        }
        for (number, (index, member)) in members.into_iter().enumerate() {
            // An inline member is named by its title when it has one.
            let title = match member {
                SchemaRef::Item(item) => item.schema_data.title.as_deref(),
                SchemaRef::Ref(_) => None,
            };
            let hint = match title {
                Some(title) => format!("{}{}", unraw(parent), unraw(&camel_ident(title))),
                None => format!("{}Variant{}", unraw(parent), number + 1),
            };
            let ty = self.with_token(keyword, |this| {
                this.with_token(&index.to_string(), |this| this.schema_type(member, direction, &hint))
            });
            let wanted = variant_name(member, &ty, self.resolve(member));
            let tags = match (discriminator, member) {
                (Some(discriminator), SchemaRef::Ref(reference)) => tag_values(discriminator, reference),
                _ => Vec::new(),
            };
            variants.push(UnionVariant { name: names.claim(&wanted), ty: Some(ty), tags, doc: None });
        }
        if discriminator.is_none() {
            self.order_by_specificity(&mut variants);
        }
        let discriminator = discriminator
            .map(|it| model::Discriminator { property: it.property_name.clone(), in_members: true });
        TypeKind::Union { variants, discriminator }
    }

    /// Orders the variants of an untagged union, which decodes into the first variant that
    /// accepts a value, so that no variant takes values meant for a later one: `null` first,
    /// then objects by how many properties they require (most first), then objects requiring
    /// none and maps, which accept any object, and free-form values last. Other variants keep
    /// their place among the objects; the sort is stable, so ties keep the document's order.
    /// Reordering never rejects a value the document allows: it only decides which member a
    /// value that fits several becomes, preferring the one that asks the most of it.
    fn order_by_specificity(&self, variants: &mut [UnionVariant]) {
        let rank = |variant: &UnionVariant| -> (u8, std::cmp::Reverse<usize>) {
            let Some(ty) = &variant.ty else { return (0, std::cmp::Reverse(0)) };
            let required = match ty {
                TypeRef::Named { name, .. } => match self.types.get(name).map(|it| &it.kind) {
                    Some(TypeKind::Struct { fields }) => Some(
                        fields
                            .iter()
                            .filter(|it| {
                                matches!(
                                    it.presence,
                                    model::Presence::Required | model::Presence::RequiredNullable
                                )
                            })
                            .count(),
                    ),
                    _ => None,
                },
                _ => None,
            };
            match (ty, required) {
                (TypeRef::Json, _) => (3, std::cmp::Reverse(0)),
                (TypeRef::Map(_), _) | (_, Some(0)) => (2, std::cmp::Reverse(0)),
                (_, Some(required)) => (1, std::cmp::Reverse(required)),
                (_, None) => (1, std::cmp::Reverse(0)),
            }
        };
        variants.sort_by_key(rank);
    }

    /// The property the members of a composition without a `discriminator` are told apart by,
    /// with each member's properties and value: every member an inline object requiring the
    /// property as a string enum of one value, no two values the same. This is how Dropshot
    /// (and serde's internally tagged enums) describe a tagged enum.
    fn implicit_tag(&self, members: &[(usize, SchemaRef<'s>)]) -> Option<ImplicitTag<'s>> {
        if members.len() < 2 {
            return None;
        }
        let objects: Vec<(usize, &'s Schema, ObjectParts<'s>)> = members
            .iter()
            .map(|&(index, member)| match member {
                SchemaRef::Item(item) => Some((index, item, self.object_parts(item, 0)?)),
                SchemaRef::Ref(_) => None,
            })
            .collect::<Option<_>>()?;
        let (property, values) = objects[0].2.properties.iter().find_map(|(property, _)| {
            let values: Vec<&'s str> =
                objects.iter().map(|(_, _, parts)| self.tag_value(parts, property)).collect::<Option<_>>()?;
            let mut distinct = values.clone();
            distinct.sort_unstable();
            distinct.dedup();
            (distinct.len() == values.len()).then_some((*property, values))
        })?;
        let members = objects
            .into_iter()
            .zip(values)
            .map(|((index, schema, mut parts), value)| {
                parts.properties.retain(|(name, _)| *name != property);
                parts.required.retain(|name| *name != property);
                TaggedMember { index, schema, parts, value }
            })
            .collect();
        Some(ImplicitTag { property, members })
    }

    /// The one value `property` can have in an object: it is required and a one-value enum.
    fn tag_value(&self, parts: &ObjectParts<'s>, property: &str) -> Option<&'s str> {
        if !parts.required.contains(&property) {
            return None;
        }
        let (_, schema) = parts.properties.iter().find(|(name, _)| *name == property)?;
        match string_enum(self.resolve(*schema)?)?.as_slice() {
            [value] => Some(*value),
            _ => None,
        }
    }

    /// A union told apart by `tag`: each variant named after its value, holding the member's
    /// other properties (none: a unit variant); the enum writes the property itself.
    fn tagged_union_kind(
        &mut self,
        parent: &str,
        keyword: &'static str,
        tag: ImplicitTag<'s>,
        direction: Direction,
    ) -> TypeKind {
        let mut names = Namespace::default();
        names.claim("Unknown");
        let mut variants = Vec::new();
        for TaggedMember { index, schema, parts, value } in tag.members {
            let name = names.claim(&value_name(value));
            let (ty, doc) = if parts.properties.is_empty() && parts.unions.is_empty() {
                (None, type_doc(schema))
            } else {
                let hint = format!("{}{}", unraw(parent), unraw(&name));
                let ty = self.with_token(keyword, |this| {
                    this.with_token(&index.to_string(), |this| {
                        this.inline_struct(&hint, schema, parts, direction)
                    })
                });
                (Some(ty), None)
            };
            variants.push(UnionVariant { name, ty, tags: vec![value.to_owned()], doc });
        }
        let discriminator =
            Some(model::Discriminator { property: tag.property.to_owned(), in_members: false });
        TypeKind::Union { variants, discriminator }
    }
}

/// The property an implicitly tagged union is told apart by, and its members.
struct ImplicitTag<'s> {
    property: &'s str,
    members: Vec<TaggedMember<'s>>,
}

/// A member of an implicitly tagged union: its index in the composition (for pointers), its
/// schema, its properties without the tag, and its tag value.
struct TaggedMember<'s> {
    index: usize,
    schema: &'s Schema,
    parts: ObjectParts<'s>,
    value: &'s str,
}

/// The variant name a wire value asks for: `read_only` → `ReadOnly`, `""` → `Empty`.
fn value_name(value: &str) -> String {
    if value.is_empty() { "Empty".to_owned() } else { camel_ident(value) }
}

fn enum_variants(values: &[&str]) -> Vec<Variant> {
    let mut names = Namespace::default();
    names.claim("Unknown");
    values
        .iter()
        .map(|value| Variant { name: names.claim(&value_name(value)), wire_name: (*value).to_owned() })
        .collect()
}

/// A variant is named after its component, or after its kind when inline.
fn variant_name(member: SchemaRef<'_>, ty: &TypeRef, resolved: Option<&Schema>) -> String {
    if let SchemaRef::Ref(reference) = member {
        let name = reference.rsplit('/').next().unwrap_or(reference);
        return camel_ident(&ref_token(name));
    }
    if let Some(title) = resolved.and_then(|it| it.schema_data.title.as_deref()) {
        return camel_ident(title);
    }
    match ty {
        TypeRef::String => "String".to_owned(),
        TypeRef::Integer | TypeRef::UnsignedInteger => "Integer".to_owned(),
        TypeRef::Number => "Number".to_owned(),
        TypeRef::Boolean => "Boolean".to_owned(),
        TypeRef::DateTime => "DateTime".to_owned(),
        TypeRef::Date => "Date".to_owned(),
        TypeRef::Uuid => "Uuid".to_owned(),
        TypeRef::Vec(_) => "Array".to_owned(),
        TypeRef::Map(_) => "Map".to_owned(),
        TypeRef::Json => "Value".to_owned(),
        TypeRef::Bytes => "Bytes".to_owned(),
        TypeRef::Form => "Form".to_owned(),
        TypeRef::Named { name, .. } => unraw(name).to_owned(),
        TypeRef::Option(inner) => variant_name(member, inner, resolved),
    }
}

/// The discriminator values naming `reference`: its `mapping` keys, else the component name.
fn tag_values(discriminator: &Discriminator, reference: &str) -> Vec<String> {
    let mapped: Vec<String> = discriminator
        .mapping
        .iter()
        .filter(|(_, target)| *target == reference || reference.ends_with(&format!("/{target}")))
        .map(|(value, _)| value.clone())
        .collect();
    if !mapped.is_empty() {
        return mapped;
    }
    vec![ref_token(reference.rsplit('/').next().unwrap_or(reference)).into_owned()]
}
