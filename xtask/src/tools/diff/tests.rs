//! Tests of `cargo xtask diff`: one table row per kind of change, each an edit of a small pet
//! store document with the report lines it must produce; and a copy of `specs/` edited the
//! ways the API guide changes, checked for the class and fragment file of each change.

use std::fs;

use serde_json::{Value, json};

use super::*;
use crate::test_support::Scratch;

/// The document every row edits: a group of three operations, a request and a response type,
/// a string enum, a union and an API key.
const PETS: &str = r##"
openapi: 3.0.3
info: { title: Pets, version: "1" }
components:
  securitySchemes:
    key: { type: apiKey, in: header, name: X-Key }
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id: { type: integer }
        name: { type: string }
        tag: { type: string }
        status: { type: string, enum: [available, sold] }
    NewPet:
      type: object
      required: [name]
      properties:
        name: { type: string }
        tag: { type: string }
    Legacy:
      type: object
      properties:
        note: { type: string }
    Id:
      oneOf: [{ type: string }, { type: integer }]
paths:
  /pets:
    get:
      operationId: pets_list
      tags: [pets]
      security: [{ key: [] }]
      parameters:
        - { name: per_page, in: query, required: true, schema: { type: integer } }
        - { name: page, in: query, required: true, schema: { type: integer } }
        - { name: sort, in: query, schema: { type: string } }
      responses:
        "200":
          description: ""
          content: { application/json: { schema: { type: array, items: { $ref: "#/components/schemas/Pet" } } } }
    post:
      operationId: pets_create
      tags: [pets]
      requestBody:
        required: true
        content: { application/json: { schema: { $ref: "#/components/schemas/NewPet" } } }
      responses:
        "201": { description: "", content: { application/json: { schema: { $ref: "#/components/schemas/Pet" } } } }
  /pets/{id}:
    get:
      operationId: pets_get
      tags: [pets]
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      responses:
        "200": { description: "", content: { application/json: { schema: { $ref: "#/components/schemas/Pet" } } } }
"##;

fn pets() -> Value {
    serde_yaml::from_str(PETS).unwrap()
}

/// The changes between two documents, labelled `old.yaml` and `new.yaml` so each line shows
/// which document its pointer is into.
fn report(old: Value, new: Value) -> Vec<String> {
    let lower = |label: &str, document| {
        Version::from_document(label, document).unwrap_or_else(|it| panic!("{label} does not lower: {it:?}"))
    };
    lines(&compare(&lower("old.yaml", old), &lower("new.yaml", new)))
}

/// Each change as `class: subject: detail @ file: pointer`.
fn lines(changes: &[Change]) -> Vec<String> {
    let line = |it: &Change| {
        let file = it.file.as_deref().unwrap_or("?");
        format!("{}: {}: {} @ {file}: {}", it.class.word(), it.subject, it.detail, it.at.pointer)
    };
    changes.iter().map(line).collect()
}

/// The operation at `path` and `method` of a document.
fn operation<'v>(document: &'v mut Value, path: &str, method: &str) -> &'v mut Value {
    &mut document["paths"][path][method]
}

fn schema<'v>(document: &'v mut Value, name: &str) -> &'v mut Value {
    &mut document["components"]["schemas"][name]
}

type Edit = fn(&mut Value);

#[test]
fn every_kind_of_change_is_found_and_classified() {
    let cases: Vec<(&str, Edit, Vec<&str>)> = vec![
        ("nothing", |_| {}, vec![]),
        (
            "operation added",
            |document| {
                document["paths"]["/pets/{id}"]["delete"] = json!({
                    "operationId": "pets_delete", "tags": ["pets"],
                    "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }],
                    "responses": { "204": { "description": "" } },
                });
            },
            vec![
                "compatible: client.pets().delete: added: `DELETE /pets/{id}` @ new.yaml: /paths/~1pets~1{id}/delete",
            ],
        ),
        (
            "operation removed",
            |document| drop(document["paths"].as_object_mut().unwrap().remove("/pets/{id}")),
            vec![
                "breaking: client.pets().get: removed: `GET /pets/{id}` @ old.yaml: /paths/~1pets~1{id}/get",
            ],
        ),
        (
            "operation renamed",
            |document| operation(document, "/pets/{id}", "get")["operationId"] = json!("pets_fetch"),
            vec![
                "breaking: client.pets().fetch: renamed from `client.pets().get` @ new.yaml: /paths/~1pets~1{id}/get/operationId",
            ],
        ),
        (
            "endpoint moved",
            |document| {
                let item = document["paths"].as_object_mut().unwrap().remove("/pets/{id}").unwrap();
                document["paths"]["/animals/{id}"] = item;
            },
            vec![
                "compatible: client.pets().get: now `GET /animals/{id}` instead of `GET /pets/{id}` @ new.yaml: /paths/~1animals~1{id}/get",
            ],
        ),
        (
            "required parameter added",
            |document| {
                let parameter = json!({ "name": "owner", "in": "query", "required": true, "schema": { "type": "string" } });
                operation(document, "/pets", "get")["parameters"].as_array_mut().unwrap().push(parameter);
            },
            vec![
                "breaking: client.pets().list: new required query parameter `owner`: a new argument `owner: String` @ new.yaml: /paths/~1pets/get/parameters/3",
            ],
        ),
        (
            "optional parameter added",
            |document| {
                let parameter = json!({ "name": "X-Trace", "in": "header", "schema": { "type": "string" } });
                operation(document, "/pets", "get")["parameters"].as_array_mut().unwrap().push(parameter);
            },
            vec![
                "compatible: client.pets().list: new optional header parameter `X-Trace`: set with `.x_trace(String)` @ new.yaml: /paths/~1pets/get/parameters/3",
            ],
        ),
        (
            "parameter removed",
            |document| {
                drop(operation(document, "/pets", "get")["parameters"].as_array_mut().unwrap().remove(2))
            },
            vec![
                "breaking: client.pets().list: optional query parameter `sort` removed: `.sort()` is gone @ old.yaml: /paths/~1pets/get/parameters/2",
            ],
        ),
        (
            "parameter became required",
            |document| operation(document, "/pets", "get")["parameters"][2]["required"] = json!(true),
            vec![
                "breaking: client.pets().list: query parameter `sort` is now required: an argument `sort: String` instead of `.sort()` @ new.yaml: /paths/~1pets/get/parameters/2",
            ],
        ),
        (
            "parameter became optional",
            |document| operation(document, "/pets", "get")["parameters"][1]["required"] = json!(false),
            vec![
                "breaking: client.pets().list: query parameter `page` is now optional: `.page(i64)` instead of an argument @ new.yaml: /paths/~1pets/get/parameters/1",
            ],
        ),
        (
            "parameter changed type",
            |document| {
                operation(document, "/pets", "get")["parameters"][2]["schema"] = json!({ "type": "integer" })
            },
            vec![
                "breaking: client.pets().list: query parameter `sort` changed type: `i64` instead of `String` @ new.yaml: /paths/~1pets/get/parameters/2",
            ],
        ),
        (
            "path parameter renamed",
            |document| {
                let mut item = document["paths"].as_object_mut().unwrap().remove("/pets/{id}").unwrap();
                item["get"]["parameters"][0]["name"] = json!("pet_id");
                document["paths"]["/pets/{pet_id}"] = item;
            },
            vec![
                "compatible: client.pets().get: path parameter `id` is now `pet_id` (the argument `pet_id`) @ new.yaml: /paths/~1pets~1{pet_id}/get/parameters/0",
            ],
        ),
        (
            "arguments reordered",
            |document| operation(document, "/pets", "get")["parameters"].as_array_mut().unwrap().swap(0, 1),
            vec![
                "breaking: client.pets().list: arguments reordered: (page, per_page) instead of (per_page, page) @ new.yaml: /paths/~1pets/get/parameters",
            ],
        ),
        (
            "request body became optional",
            |document| operation(document, "/pets", "post")["requestBody"]["required"] = json!(false),
            vec![
                "breaking: client.pets().create: request body is now optional: `.body(NewPet)` instead of an argument @ new.yaml: /paths/~1pets/post/requestBody",
            ],
        ),
        (
            "request body changed type",
            |document| {
                let content = &mut operation(document, "/pets", "post")["requestBody"]["content"];
                content["application/json"]["schema"]["$ref"] = json!("#/components/schemas/Pet");
            },
            vec![
                "breaking: client.pets().create: request body changed type: `Pet` instead of `NewPet` @ new.yaml: /paths/~1pets/post/requestBody",
            ],
        ),
        (
            "request media type added",
            |document| {
                let content = &mut operation(document, "/pets", "post")["requestBody"]["content"];
                content["application/x-www-form-urlencoded"] = content["application/json"].clone();
            },
            vec![
                "compatible: client.pets().create: request media type `application/x-www-form-urlencoded` added @ new.yaml: /paths/~1pets/post/requestBody/content/application~1x-www-form-urlencoded",
            ],
        ),
        (
            "request media type replaced",
            |document| {
                let content =
                    operation(document, "/pets", "post")["requestBody"]["content"].as_object_mut().unwrap();
                let json = content.remove("application/json").unwrap();
                content.insert("multipart/form-data".into(), json);
            },
            vec![
                "breaking: client.pets().create: request media type `application/json` removed @ old.yaml: /paths/~1pets/post/requestBody/content/application~1json",
                "compatible: client.pets().create: request media type `multipart/form-data` added @ new.yaml: /paths/~1pets/post/requestBody/content/multipart~1form-data",
            ],
        ),
        (
            "response type changed",
            |document| {
                let response = &mut operation(document, "/pets/{id}", "get")["responses"]["200"];
                response["content"]["application/json"]["schema"]["$ref"] =
                    json!("#/components/schemas/NewPet");
            },
            vec![
                "breaking: client.pets().get: returns `NewPet` instead of `Pet` @ new.yaml: /paths/~1pets~1{id}/get/responses/200",
            ],
        ),
        (
            "error body added",
            |document| {
                operation(document, "/pets/{id}", "get")["responses"]["404"] = json!({ "description": "",
                    "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Legacy" } } } });
            },
            vec![
                "breaking: client.pets().get: errors are `Error<Legacy>` instead of `Error` @ new.yaml: /paths/~1pets~1{id}/get/responses/404",
            ],
        ),
        (
            "security dropped",
            |document| operation(document, "/pets", "get")["security"] = json!([]),
            vec![
                "compatible: client.pets().list: needs no credential instead of `key` @ new.yaml: /paths/~1pets/get/security",
            ],
        ),
        (
            "security required",
            |document| operation(document, "/pets", "post")["security"] = json!([{ "key": [] }]),
            vec![
                "breaking: client.pets().create: needs `key` instead of no credential @ new.yaml: /paths/~1pets/post/security",
            ],
        ),
        (
            "credential added",
            |document| {
                document["components"]["securitySchemes"]["token"] =
                    json!({ "type": "http", "scheme": "bearer" })
            },
            vec![
                "compatible: ClientBuilder::token: added, for the `token` security scheme: a bearer token @ new.yaml: /components/securitySchemes/token",
            ],
        ),
        (
            "credential removed",
            |document| {
                document["components"].as_object_mut().unwrap().remove("securitySchemes");
                operation(document, "/pets", "get").as_object_mut().unwrap().remove("security");
            },
            vec![
                "breaking: ClientBuilder::key: removed, with the `key` security scheme @ old.yaml: /components/securitySchemes/key",
                "compatible: client.pets().list: needs no credential instead of `key` @ new.yaml: /paths/~1pets/get",
            ],
        ),
        (
            "deprecated",
            |document| operation(document, "/pets", "post")["deprecated"] = json!(true),
            vec!["compatible: client.pets().create: now deprecated @ new.yaml: /paths/~1pets/post"],
        ),
        (
            "optional field added",
            |document| schema(document, "Pet")["properties"]["age"] = json!({ "type": "integer" }),
            vec![
                "compatible: models::Pet.age: new optional field of type `Option<i64>` @ new.yaml: /components/schemas/Pet/properties/age",
            ],
        ),
        (
            "required field added to a request type",
            |document| {
                schema(document, "NewPet")["properties"]["age"] = json!({ "type": "integer" });
                schema(document, "NewPet")["required"] = json!(["name", "age"]);
            },
            vec![
                "breaking: models::NewPet.age: new required field of type `i64`: `NewPet::new` takes it @ new.yaml: /components/schemas/NewPet/properties/age",
            ],
        ),
        (
            "required field added to a response type",
            |document| {
                schema(document, "Pet")["properties"]["age"] = json!({ "type": "integer" });
                schema(document, "Pet")["required"] = json!(["id", "name", "age"]);
            },
            vec![
                "compatible: models::Pet.age: new field of type `i64` @ new.yaml: /components/schemas/Pet/properties/age",
            ],
        ),
        (
            "field removed",
            |document| drop(schema(document, "Pet")["properties"].as_object_mut().unwrap().remove("tag")),
            vec!["breaking: models::Pet.tag: removed @ old.yaml: /components/schemas/Pet/properties/tag"],
        ),
        (
            "field changed type",
            |document| schema(document, "Pet")["properties"]["id"] = json!({ "type": "string" }),
            vec![
                "breaking: models::Pet.id: changed type: `String` instead of `i64` @ new.yaml: /components/schemas/Pet/properties/id",
            ],
        ),
        (
            "response field became nullable",
            |document| schema(document, "Pet")["properties"]["name"]["nullable"] = json!(true),
            vec![
                "breaking: models::Pet.name: now nullable: `Option<String>` instead of `String` @ new.yaml: /components/schemas/Pet/properties/name",
            ],
        ),
        (
            "response field became optional",
            |document| schema(document, "Pet")["required"] = json!(["id"]),
            vec![
                "breaking: models::Pet.name: now optional: `Option<String>` instead of `String` @ new.yaml: /components/schemas/Pet/properties/name",
            ],
        ),
        (
            "response field became required",
            |document| schema(document, "Pet")["required"] = json!(["id", "name", "tag"]),
            vec![
                "breaking: models::Pet.tag: now required: `String` instead of `Option<String>` @ new.yaml: /components/schemas/Pet/properties/tag",
            ],
        ),
        (
            "enum value added",
            |document| {
                schema(document, "Pet")["properties"]["status"]["enum"] =
                    json!(["available", "sold", "pending"])
            },
            vec![
                "compatible: models::PetStatus::Pending: value `pending` added @ new.yaml: /components/schemas/Pet/properties/status/enum/2",
            ],
        ),
        (
            "enum value removed",
            |document| schema(document, "Pet")["properties"]["status"]["enum"] = json!(["available"]),
            vec![
                "breaking: models::PetStatus::Sold: value `sold` removed: it now reads as `PetStatus::Unknown` @ old.yaml: /components/schemas/Pet/properties/status/enum/1",
            ],
        ),
        (
            "type added",
            |document| {
                *schema(document, "Owner") =
                    json!({ "type": "object", "properties": { "name": { "type": "string" } } })
            },
            vec!["compatible: models::Owner: added @ new.yaml: /components/schemas/Owner"],
        ),
        (
            "type removed",
            |document| drop(document["components"]["schemas"].as_object_mut().unwrap().remove("Legacy")),
            vec!["breaking: models::Legacy: removed @ old.yaml: /components/schemas/Legacy"],
        ),
        (
            "type renamed",
            |document| {
                let legacy =
                    document["components"]["schemas"].as_object_mut().unwrap().remove("Legacy").unwrap();
                *schema(document, "Note") = legacy;
            },
            vec![
                "breaking: models::Note: renamed from `models::Legacy` @ new.yaml: /components/schemas/Note",
            ],
        ),
        (
            "union variant added",
            |document| {
                schema(document, "Id")["oneOf"].as_array_mut().unwrap().push(json!({ "type": "boolean" }))
            },
            vec!["compatible: models::Id::Boolean: added, holding `bool` @ new.yaml: /components/schemas/Id"],
        ),
    ];
    let mut failures = Vec::new();
    for (name, edit, expected) in cases {
        let mut new = pets();
        edit(&mut new);
        let found = report(pets(), new);
        if found != expected {
            failures.push(format!("{name}:\n  found:    {found:#?}\n  expected: {expected:#?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn exit_statuses_tell_the_classes_apart() {
    let change = |class| {
        Change::new(
            class,
            change::Element::Type,
            change::Verb::Added,
            "models::A",
            String::new(),
            change::At::new(String::new()),
        )
    };
    let cases = [
        (vec![], NO_CHANGE),
        (vec![change(Class::Compatible)], COMPATIBLE),
        (vec![change(Class::Compatible), change(Class::Breaking)], BREAKING),
    ];
    for (changes, expected) in cases {
        assert_eq!(exit_status(&changes), expected, "{changes:?}");
    }
    assert_ne!(COMPATIBLE, 1, "1 is the status of a command that failed");
}

/// Reads a JSON fragment of the scratch `specs/`, edits it and writes it back.
fn edit_fragment(scratch: &Scratch, file: &str, edit: impl FnOnce(&mut Value)) {
    let path = scratch.0.join(file);
    let mut fragment: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    edit(&mut fragment);
    fs::write(&path, serde_json::to_string_pretty(&fragment).unwrap()).unwrap();
}

fn rendered(scratch: &Scratch) -> Version {
    let rendered = render(&scratch.0).unwrap().unwrap_or_else(|it| panic!("{it:?}"));
    Version::from_rendered(&rendered)
}

/// The changes the API guide makes, made to a copy of `specs/`: each is reported in the
/// client's names, with its class and the fragment that holds it.
#[test]
fn edits_of_specs_are_reported_with_class_and_fragment() {
    let scratch = Scratch::new("diff-specs");
    const CREATE: &str = "specs/user-profile/ux_common_user_profile_create.json";
    const LIST: &str = "specs/user-profile/ux_common_user_profile_retrieve.json";
    const CREATED: &str =
        "/paths/~1ux~1common~1user~1profile~1/post/responses/201/content/application~1json/schema";
    // The fragments hold no enum yet, so the earlier version gets one to remove a value from:
    // the created response, published as an example, written as the schema it stands for.
    edit_fragment(&scratch, CREATE, |fragment| {
        *fragment.pointer_mut(CREATED).unwrap() = json!({ "type": "object", "properties": {
            "status": { "type": "string", "enum": ["success", "failure", "pending"] },
            "user_id": { "type": "integer" },
            "message": { "type": "string" },
        } });
    });
    let old = rendered(&scratch);

    let archive = json!({
        "openapi": "3.0.3",
        "info": { "title": "", "version": "0.0.0" },
        "paths": { "/ux/common/user/profile/{id}/archive/": { "post": {
            "operationId": "ux_common_user_profile_archive_create",
            "tags": ["User Profile"],
            "parameters": [{ "in": "path", "name": "id", "required": true, "schema": { "type": "string" } }],
            "responses": { "204": { "description": "" } },
        } } },
    });
    let archive_file = "specs/user-profile/ux_common_user_profile_archive_create.json";
    fs::write(scratch.0.join(archive_file), serde_json::to_string_pretty(&archive).unwrap()).unwrap();
    edit_fragment(&scratch, LIST, |fragment| {
        let parameters = &mut fragment["paths"]["/ux/common/user/profile/"]["get"]["parameters"];
        let sort = parameters.as_array_mut().unwrap().iter_mut().find(|it| it["name"] == "sort").unwrap();
        sort["required"] = json!(true);
    });
    edit_fragment(&scratch, CREATE, |fragment| {
        fragment.pointer_mut(CREATED).unwrap()["properties"]["status"]["enum"] =
            json!(["success", "failure"]);
    });
    // `UserList` is repeated in every fragment that uses it, and the merge wants the copies
    // identical, so each one changes.
    for entry in fs::read_dir(scratch.0.join("specs/user-profile")).unwrap() {
        let file = format!("specs/user-profile/{}", entry.unwrap().file_name().to_string_lossy());
        edit_fragment(&scratch, &file, |fragment| {
            if let Some(name) = fragment.pointer_mut("/components/schemas/UserList/properties/name") {
                name["nullable"] = json!(true);
            }
        });
    }
    let new = rendered(&scratch);

    let changes = compare(&old, &new);
    assert_eq!(
        lines(&changes),
        [
            "breaking: client.user_profile().list: query parameter `sort` is now required: an argument `sort: String` \
             instead of `.sort()` @ specs/user-profile/ux_common_user_profile_retrieve.json: \
             /paths/~1ux~1common~1user~1profile~1/get/parameters/3",
            // The merge records the first fragment of identical copies.
            "breaking: models::UserList.name: now nullable: `Option<String>` instead of `String` \
             @ specs/user-profile/ux_common_user_profile_active_users_create.json: /components/schemas/UserList/properties/name",
            &format!(
                "breaking: models::UserProfileCreateResponseStatus::Pending: value `pending` removed: it now reads as \
                 `UserProfileCreateResponseStatus::Unknown` @ {CREATE}: {CREATED}/properties/status/enum/2"
            ),
            &format!(
                "compatible: client.user_profile().archive_create: added: `POST /ux/common/user/profile/{{id}}/archive/` \
                 @ {archive_file}: /paths/~1ux~1common~1user~1profile~1{{id}}~1archive~1/post"
            ),
        ]
    );
    assert_eq!(exit_status(&changes), BREAKING);
}

/// `cargo xtask codegen` says what writing changes in the API, against the openapi.json it
/// replaces.
#[test]
fn codegen_summarizes_the_change_it_writes() {
    let scratch = Scratch::new("diff-codegen");
    let first = render(&scratch.0).unwrap().unwrap();
    assert_eq!(
        codegen_summary(&scratch.0, &first),
        "no earlier generated-client/openapi.json to compare the API with"
    );
    crate::pipeline::codegen::write(&scratch.0, &first).unwrap();
    assert_eq!(codegen_summary(&scratch.0, &first), "no change to the client's API");

    edit_fragment(&scratch, "specs/user-profile/ux_common_user_profile_retrieve.json", |fragment| {
        fragment["paths"]["/ux/common/user/profile/"]["get"]["parameters"][3]["required"] = json!(true);
    });
    let second = render(&scratch.0).unwrap().unwrap();
    assert_eq!(
        codegen_summary(&scratch.0, &second),
        "1 parameter changed; 1 breaking change: client.user_profile().list: query parameter `sort` is now \
         required: an argument `sort: String` instead of `.sort()`"
    );
}

#[test]
fn manifests_give_the_package_name_and_version() {
    let cases = [
        ("[package]\nname = \"c\"\nversion = \"0.1.0\"\n", Some(("c", "0.1.0"))),
        ("[package]\nname = \"c\"\n\n[dependencies]\nversion = \"1\"\n", None),
        (
            "[workspace.package]\nversion = \"1.0.0\"\n[package]\nname = \"c\"\nversion.workspace = true\n",
            None,
        ),
    ];
    for (manifest, expected) in cases {
        let found = package_version(manifest);
        assert_eq!(
            found.as_ref().map(|(name, version)| (name.as_str(), version.as_str())),
            expected,
            "{manifest}"
        );
    }
}
