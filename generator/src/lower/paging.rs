//! Recognising paged listings: declared with the `x-pagination` operation extension, or
//! recognised from the shape of the operation (Django REST Framework's `next` + `results`
//! page object, or a `page` query parameter on an operation returning an array).
//!
//! ```yaml
//! x-pagination:
//!   style: page-number        # or next-url
//!   page: page                # page-number: the query parameter counting pages
//!   size: items_per_page      # optional: the page size parameter (checked, not changed)
//!   items: data.results       # dotted path of the items array; left out: the body is the array
//!   total: count              # optional: dotted path of the total number of items
//!   next: next                # next-url: dotted path of the next page's URL (default `next`)
//! ```

use openapiv3::Operation as SpecOperation;
use serde_json::Value;

use super::Lowerer;
use crate::model::{BodyFormat, PageStyle, Pagination, Param, ParamLocation, Success, TypeKind, TypeRef};

const EXTENSION: &str = "x-pagination";

impl Lowerer<'_> {
    pub(super) fn lower_pagination(
        &mut self,
        operation: &SpecOperation,
        params: &[Param],
        success: &Success,
    ) -> Option<Pagination> {
        let payload = match success {
            Success::Single { payload: Some(payload), .. } if payload.format == BodyFormat::Json => {
                Some(&payload.ty)
            }
            _ => None,
        };
        match operation.extensions.get(EXTENSION) {
            Some(declared) => self.with_token(EXTENSION, |this| this.declared(declared, params, payload)),
            None => payload.and_then(|payload| self.recognised(params, payload)),
        }
    }

    fn declared(
        &mut self,
        declared: &Value,
        params: &[Param],
        payload: Option<&TypeRef>,
    ) -> Option<Pagination> {
        let Some(payload) = payload else {
            self.warn(
                "paging is declared, but the operation has no single JSON success body; it is left out",
            );
            return None;
        };
        let text = |key: &str| declared.get(key).and_then(Value::as_str).map(str::to_owned);
        let style = match declared.get("style").and_then(Value::as_str) {
            Some("page-number") => {
                let page = text("page").unwrap_or_else(|| "page".to_owned());
                if !has_query(params, &page) {
                    self.warn(format!("page parameter `{page}` is not a query parameter of the operation; paging is left out"));
                    return None;
                }
                if let Some(size) = text("size").filter(|it| !has_query(params, it)) {
                    self.warn(format!(
                        "page size parameter `{size}` is not a query parameter of the operation"
                    ));
                }
                PageStyle::PageNumber { page }
            }
            Some("next-url") => {
                PageStyle::NextUrl { next: text("next").unwrap_or_else(|| "next".to_owned()) }
            }
            other => {
                self.warn(format!(
                    "paging style {} is not supported; expected `page-number` or `next-url`; paging is left out",
                    other.map_or("(missing)".to_owned(), |it| format!("`{it}`"))
                ));
                return None;
            }
        };
        let items = text("items");
        let item_type = self.item_type(payload, items.as_deref());
        Some(Pagination { style, items, total: text("total"), item_type })
    }

    /// Paging the operation's shape makes plain, without a declaration.
    fn recognised(&mut self, params: &[Param], payload: &TypeRef) -> Option<Pagination> {
        if let TypeRef::Vec(item) = payload {
            return has_query(params, "page").then(|| Pagination {
                style: PageStyle::PageNumber { page: "page".to_owned() },
                items: None,
                total: None,
                item_type: (**item).clone(),
            });
        }
        let fields = self.wire_fields(payload)?;
        let results = fields.iter().find(|(name, _)| name == "results")?;
        let TypeRef::Vec(item) = &results.1 else { return None };
        if !fields.iter().any(|(name, ty)| name == "next" && *ty == TypeRef::String) {
            return None;
        }
        let total = fields
            .iter()
            .any(|(name, ty)| name == "count" && matches!(ty, TypeRef::Integer | TypeRef::UnsignedInteger))
            .then(|| "count".to_owned());
        Some(Pagination {
            style: PageStyle::NextUrl { next: "next".to_owned() },
            items: Some("results".to_owned()),
            total,
            item_type: (**item).clone(),
        })
    }

    /// The item type at `items` in the page type, `serde_json::Value` when the page type does
    /// not say (a free-form object, a nested path).
    fn item_type(&self, payload: &TypeRef, items: Option<&str>) -> TypeRef {
        let array = match items {
            None => Some(payload.clone()),
            Some(field) => self
                .wire_fields(payload)
                .and_then(|fields| fields.into_iter().find(|(name, _)| name == field).map(|it| it.1)),
        };
        match array {
            Some(TypeRef::Vec(item)) => *item,
            _ => TypeRef::Json,
        }
    }

    /// The wire names and types of a struct's fields.
    fn wire_fields(&self, ty: &TypeRef) -> Option<Vec<(String, TypeRef)>> {
        let TypeRef::Named { name, .. } = ty else { return None };
        let TypeKind::Struct { fields } = &self.types.get(name)?.kind else { return None };
        Some(fields.iter().map(|field| (field.wire_name.clone(), field.ty.clone())).collect())
    }
}

fn has_query(params: &[Param], name: &str) -> bool {
    params.iter().any(|param| param.location == ParamLocation::Query && param.wire_name == name)
}
