//! Emits the command-line tool's module (cargo feature `cli`): a clap subcommand per group and
//! operation (`infraon user-profile get 42`), path parameters as arguments, the others as flags,
//! help text from the document, and the dispatch from each subcommand to its client call. What
//! every tool shares (bodies, output, paging, exit codes) is the runtime's `cli` module.

use heck::ToShoutySnakeCase;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::operations::mentions_named;
use super::{ident, inner_doc_attrs, type_tokens};
use crate::model::{Api, Encoding, Group, Operation, ParamLocation, SchemeKind, Success, TypeRef};
use crate::names::unraw;

/// Fields every operation's subcommand may have, which a parameter's field must not take.
const COMMAND_FIELDS: &[&str] = &["all", "body", "encoding", "field", "file", "output"];

/// The whole module: the parser, the subcommands and the dispatch.
pub(super) fn emit_cli(api: &Api, name: &str) -> TokenStream {
    let doc = inner_doc_attrs([
        format!(" The `{name}` command line: a subcommand per group and operation of the API, run by"),
        " `src/bin`. Build it with the cargo feature `cli`.".to_owned(),
    ]);
    let prefix = name.to_shouty_snake_case();
    let base_url_env = format!("{prefix}_BASE_URL");
    let about = format!("{} from the command line", title(api));
    let missing_base_url = format!("no base URL: give --base-url or set {base_url_env}");
    let credentials = api.security_schemes.iter().map(|scheme| {
        let setter = unraw(&scheme.setter_name);
        match scheme.kind {
            SchemeKind::Basic => {
                let (user, password) = (format_ident!("{setter}_username"), format_ident!("{setter}_password"));
                let (user_env, password_env) =
                    (format!("{prefix}_{}_USERNAME", setter.to_shouty_snake_case()), format!("{prefix}_{}_PASSWORD", setter.to_shouty_snake_case()));
                let help = format!("The user name of the `{}` security scheme", scheme.name);
                let password_help = format!("The password of the `{}` security scheme", scheme.name);
                quote! {
                    #[arg(long, global = true, env = #user_env, help = #help)]
                    #user: Option<String>,
                    #[arg(long, global = true, env = #password_env, hide_env_values = true, help = #password_help)]
                    #password: Option<String>,
                }
            }
            _ => {
                let field = ident(&scheme.setter_name);
                let env = format!("{prefix}_{}", setter.to_shouty_snake_case());
                let help = format!("The credential of the `{}` security scheme", scheme.name);
                quote! {
                    #[arg(long, global = true, env = #env, hide_env_values = true, help = #help)]
                    #field: Option<String>,
                }
            }
        }
    });
    let apply_credentials = api.security_schemes.iter().map(|scheme| {
        let setter = ident(&scheme.setter_name);
        match scheme.kind {
            SchemeKind::Basic => {
                let base = unraw(&scheme.setter_name);
                let (user, password) = (format_ident!("{base}_username"), format_ident!("{base}_password"));
                quote! {
                    if let (Some(user), Some(password)) = (cli.#user, cli.#password) {
                        builder = builder.#setter(user, password);
                    }
                }
            }
            _ => quote! {
                if let Some(value) = cli.#setter {
                    builder = builder.#setter(value);
                }
            },
        }
    });
    // Path settings (an API version segment) keep the document's default unless given.
    let settings = api.settings.iter().map(|setting| {
        let field = ident(&setting.setter_name);
        let env = format!("{prefix}_{}", unraw(&setting.setter_name).to_shouty_snake_case());
        let help = format!(
            "The `{{{}}}` segment of every path that has it (`{}` unless given)",
            setting.wire_name, setting.default
        );
        quote! {
            #[arg(long, global = true, env = #env, help = #help)]
            #field: Option<String>,
        }
    });
    let apply_settings = api.settings.iter().map(|setting| {
        let setter = ident(&setting.setter_name);
        quote! {
            if let Some(value) = cli.#setter {
                builder = builder.#setter(value);
            }
        }
    });
    let configurable = !api.security_schemes.is_empty() || !api.settings.is_empty();
    let mutable = configurable.then(|| quote!(mut));
    let ungrouped: Vec<&Operation> = api.operations.iter().filter(|it| it.group.is_none()).collect();
    let group_variants = api.groups.iter().map(|group| {
        let variant = ident(&group.type_name);
        let operations = operations_enum(group);
        let about = format!("The operations tagged `{}`", group.tag);
        quote!(#[command(subcommand, about = #about)] #variant(#operations),)
    });
    let globals = global_fields(api);
    let operation_variants = ungrouped.iter().map(|operation| variant(operation, &globals));
    let group_arms = api.groups.iter().map(|group| {
        let variant = ident(&group.type_name);
        quote!(Command::#variant(command) => command.run(client),)
    });
    let operation_arms = ungrouped.iter().map(|operation| arm(operation, quote!(Command), &globals));
    let group_enums = api.groups.iter().map(|group| group_enum(api, group, &globals));
    let models = api.operations.iter().any(uses_models).then(|| {
        quote!(
            use crate::models;
        )
    });
    // Each subcommand's work is a future of its own, boxed: one async function awaiting
    // hundreds of calls (stripe has 468 operations without tags) makes one state machine of all
    // of them, which takes rustc gigabytes to lay out.
    let run_command = if api.operations.is_empty() {
        quote!(match cli.command {})
    } else {
        quote! {
            let client = &client;
            let command: runtime::cli::Run<'_> = match cli.command {
                #(#group_arms)*
                #(#operation_arms)*
            };
            command.await
        }
    };
    // Deprecated operations stay reachable from the command line, as from the client.
    quote! {
        #doc
        #![allow(deprecated)]
        use crate::{Client, runtime};
        #models

        #[derive(clap::Parser)]
        #[command(name = #name, version, about = #about)]
        struct Cli {
            #[arg(long, global = true, env = #base_url_env, help = "The server's base URL, with any path prefix")]
            base_url: Option<String>,
            #(#credentials)*
            #(#settings)*
            #[command(subcommand)]
            command: Command,
        }

        #[derive(clap::Subcommand)]
        enum Command {
            #(#group_variants)*
            #(#operation_variants)*
        }

        /// Runs the command line in the process's arguments; the exit code tells a usage error, an
        /// error status and a transport failure apart (see the runtime's `cli` module).
        pub fn main() -> std::process::ExitCode {
            let cli = <Cli as clap::Parser>::parse();
            runtime::cli::block_on(run(cli))
        }

        async fn run(cli: Cli) -> Result<(), runtime::cli::Failure> {
            let Some(base_url) = cli.base_url else {
                return Err(runtime::cli::Failure::usage(#missing_base_url));
            };
            let #mutable builder = Client::builder(base_url);
            #(#apply_credentials)*
            #(#apply_settings)*
            let client = builder.build()?;
            #run_command
        }

        #(#group_enums)*
    }
}

fn title(api: &Api) -> String {
    if api.title.trim().is_empty() { "The API".to_owned() } else { api.title.trim().to_owned() }
}

fn operations_enum(group: &Group) -> Ident {
    format_ident!("{}Operations", unraw(&group.type_name))
}

/// A group's subcommands and their dispatch.
fn group_enum(api: &Api, group: &Group, globals: &[String]) -> TokenStream {
    let name = operations_enum(group);
    let operations: Vec<&Operation> =
        api.operations.iter().filter(|it| it.group.as_ref() == Some(&group.name)).collect();
    let variants = operations.iter().map(|operation| variant(operation, globals));
    let arms = operations.iter().map(|operation| arm(operation, quote!(#name), globals));
    quote! {
        #[derive(clap::Subcommand)]
        enum #name {
            #(#variants)*
        }

        impl #name {
            fn run(self, client: &Client) -> runtime::cli::Run<'_> {
                match self {
                    #(#arms)*
                }
            }
        }
    }
}

/// Whether the subcommands of `operation` name a type of the models module.
fn uses_models(operation: &Operation) -> bool {
    operation.params.iter().any(|it| mentions_named(&it.ty))
        || operation.body.as_ref().is_some_and(|it| it.ty != TypeRef::Form && mentions_named(&it.ty))
}

/// The fields of the top-level options (base URL, credentials, path settings), which clap hands
/// down to every subcommand, so a parameter's field must not take them either.
fn global_fields(api: &Api) -> Vec<String> {
    let mut fields = vec!["base_url".to_owned()];
    for scheme in &api.security_schemes {
        let setter = unraw(&scheme.setter_name);
        match scheme.kind {
            SchemeKind::Basic => fields.extend([format!("{setter}_username"), format!("{setter}_password")]),
            _ => fields.push(setter.to_owned()),
        }
    }
    fields.extend(api.settings.iter().map(|it| unraw(&it.setter_name).to_owned()));
    fields
}

/// A parameter's field: its name, unless a field every subcommand may have or a top-level
/// option (`globals`) takes it.
fn param_field(name: &str, globals: &[String]) -> (Ident, Option<String>) {
    let bare = unraw(name);
    if COMMAND_FIELDS.contains(&bare) || globals.iter().any(|it| it == bare) {
        (format_ident!("{}_param", unraw(name)), Some(format!("{}-param", unraw(name))))
    } else {
        (ident(name), None)
    }
}

/// Help text: the document's text with its lines joined, or `fallback`.
fn help(text: Option<&str>, fallback: String) -> String {
    let joined =
        text.map(|it| it.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|it| !it.is_empty());
    joined.unwrap_or(fallback)
}

/// The subcommand of one operation: its arguments and flags.
fn variant(operation: &Operation, globals: &[String]) -> TokenStream {
    let variant = ident(&operation.builder_name);
    let about = help(
        operation.summary.as_deref().or(operation.description.as_deref()),
        format!("{} {}", operation.http_method, operation.path),
    );
    let long_about = format!(
        "{}\n\n{} {} (operationId `{}`)",
        help(operation.description.as_deref().or(operation.summary.as_deref()), about.clone()),
        operation.http_method,
        operation.path,
        operation.id
    );
    let params = operation.params.iter().map(|param| {
        let (field, long) = param_field(&param.name, globals);
        let help = help(
            param.doc.as_deref(),
            format!("The `{}` {} parameter", param.wire_name, location(param.location)),
        );
        let (ty, parser) = argument(&param.ty);
        let positional = param.location == ParamLocation::Path;
        let long = match (positional, long) {
            (true, _) => None,
            (false, Some(long)) => Some(quote!(long = #long,)),
            (false, None) => Some(quote!(long,)),
        };
        let ty = match (&param.ty, param.required) {
            (TypeRef::Vec(_), true) => quote!(#ty),
            (TypeRef::Vec(_), false) => quote!(#ty),
            (_, true) => quote!(#ty),
            (_, false) => quote!(Option<#ty>),
        };
        let required =
            matches!((&param.ty, param.required), (TypeRef::Vec(_), true)).then(|| quote!(required = true,));
        let action = matches!(param.ty, TypeRef::Boolean).then(|| quote!(action = clap::ArgAction::Set,));
        quote! {
            #[arg(#long #required #action #parser help = #help)]
            #field: #ty,
        }
    });
    let body = operation.body.as_ref().map(|body| {
        let encoding = (body.encodings.len() > 1).then(|| {
            quote! {
                #[arg(long, value_enum, help = "How to send the body (the document's first is the default)")]
                encoding: Option<runtime::cli::Encoding>,
            }
        });
        let input = if body.ty == TypeRef::Form {
            quote! {
                #[arg(long, value_name = "NAME=VALUE", help = "A text field of the multipart body")]
                field: Vec<String>,
                #[arg(long, value_name = "NAME=PATH", help = "A file field of the multipart body")]
                file: Vec<String>,
            }
        } else {
            let help = if body.required {
                "The request body as JSON from this file (`-` or none: standard input)"
            } else {
                "The request body as JSON from this file (`-`: standard input); none: no body"
            };
            let help = if matches!(body.encodings.as_slice(), [Encoding::Raw(_)]) {
                "The request body from this file, sent as it is (`-` or none: standard input)"
            } else {
                help
            };
            quote! {
                #[arg(long, value_name = "FILE", help = #help)]
                body: Option<std::path::PathBuf>,
            }
        };
        quote!(#input #encoding)
    });
    let all = operation.pagination.is_some().then(|| {
        quote! {
            #[arg(long, help = "Every item of every page from this one on, each printed as it arrives")]
            all: bool,
        }
    });
    quote! {
        #[command(about = #about, long_about = #long_about)]
        #variant {
            #(#params)*
            #body
            #all
            #[command(flatten)]
            output: runtime::cli::Output,
        },
    }
}

fn location(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    }
}

/// The type of a parameter's field, and the value parser it needs beyond clap's own.
fn argument(ty: &TypeRef) -> (TokenStream, Option<TokenStream>) {
    match ty {
        TypeRef::String => (quote!(String), None),
        TypeRef::Integer => (quote!(i64), None),
        TypeRef::UnsignedInteger => (quote!(u64), None),
        TypeRef::Number => (quote!(f64), None),
        TypeRef::Boolean => (quote!(bool), None),
        TypeRef::Vec(item) => {
            let (item, parser) = argument(item);
            (quote!(Vec<#item>), parser)
        }
        other => {
            let ty = type_tokens(other, false);
            (ty.clone(), Some(quote!(value_parser = runtime::cli::parse_value::<#ty>,)))
        }
    }
}

/// The dispatch of one operation's subcommand to its client call.
fn arm(operation: &Operation, enum_name: TokenStream, globals: &[String]) -> TokenStream {
    let variant = ident(&operation.builder_name);
    let method = ident(&operation.method_name);
    let mut fields: Vec<TokenStream> =
        operation.params.iter().map(|it| param_field(&it.name, globals).0).map(|it| quote!(#it)).collect();
    let required: Vec<TokenStream> = operation
        .params
        .iter()
        .filter(|it| it.required)
        .map(|it| {
            let field = param_field(&it.name, globals).0;
            quote!(#field)
        })
        .collect();
    let mut arguments = required;
    let setters = operation.params.iter().filter(|it| !it.required).map(|param| {
        let field = param_field(&param.name, globals).0;
        let setter = ident(&param.name);
        match param.ty {
            TypeRef::Vec(_) => quote! {
                if !#field.is_empty() {
                    call = call.#setter(#field);
                }
            },
            _ => quote! {
                if let Some(value) = #field {
                    call = call.#setter(value);
                }
            },
        }
    });
    let setters: Vec<TokenStream> = setters.collect();
    let mut body_setup = None;
    let mut optional_body = None;
    let mut encoding = None;
    if let Some(body) = &operation.body {
        let read = if body.ty == TypeRef::Form {
            fields.extend([quote!(field), quote!(file)]);
            quote!(runtime::cli::form(&field, &file)?)
        } else if matches!(body.encodings.as_slice(), [Encoding::Raw(_)]) {
            fields.push(quote!(body));
            match body.ty {
                TypeRef::String => quote!(runtime::cli::read_text(body.as_ref())?),
                _ => quote!(runtime::cli::read_bytes(body.as_ref())?),
            }
        } else {
            // Named, since a setter taking `impl Into<String>` leaves it to be inferred.
            fields.push(quote!(body));
            let ty = type_tokens(&body.ty, false);
            quote!(runtime::cli::read_json::<#ty>(body.as_ref())?)
        };
        if body.required {
            body_setup = Some(quote!(let body = #read;));
            arguments.push(quote!(body));
        } else if body.ty == TypeRef::Form {
            optional_body = Some(quote! {
                if !field.is_empty() || !file.is_empty() {
                    call = call.body(#read);
                }
            });
        } else {
            optional_body = Some(quote! {
                if body.is_some() {
                    call = call.body(#read);
                }
            });
        }
        if body.encodings.len() > 1 {
            fields.push(quote!(encoding));
            let arms = body.encodings.iter().map(|it| match it {
                Encoding::Json => quote!(Some(runtime::cli::Encoding::Json) => call.with_json_encoding(),),
                Encoding::FormUrlEncoded => {
                    quote!(Some(runtime::cli::Encoding::Form) => call.with_form_encoding(),)
                }
                Encoding::Multipart => {
                    quote!(Some(runtime::cli::Encoding::Multipart) => call.with_multipart_encoding(),)
                }
                Encoding::Raw(_) => quote!(),
            });
            // Encodings the operation does not offer are a usage error.
            let offered = body.encodings.iter().filter(|it| !matches!(it, Encoding::Raw(_))).count();
            let other = (offered < 3).then(|| {
                quote!(Some(other) => return Err(runtime::cli::Failure::usage(format!("the body cannot be sent as {other:?} here"))),)
            });
            encoding = Some(quote! {
                call = match encoding {
                    None => call,
                    #(#arms)*
                    #other
                };
            });
        }
    }
    let paged = operation.pagination.is_some();
    if paged {
        fields.push(quote!(all));
    }
    fields.push(quote!(output));
    let owner = match &operation.group {
        Some(group) => {
            let group = ident(group);
            quote!(client.#group())
        }
        None => quote!(client),
    };
    // A typed value is printed as JSON; bodies by status, and binary ones, as the server sent them.
    let printable = matches!(&operation.success, Success::Single { payload, .. }
        if payload.as_ref().is_none_or(|it| it.format != crate::model::BodyFormat::Binary));
    let send = if printable {
        quote! {
            if output.raw {
                output.raw(call.send_raw().await?).await
            } else {
                output.value(&call.await?)
            }
        }
    } else {
        quote!(output.raw(call.send_raw().await?).await)
    };
    let send = if paged {
        quote! {
            if all {
                return output.items(call.items()).await;
            }
            #send
        }
    } else {
        send
    };
    let mutable = (!setters.is_empty() || optional_body.is_some() || encoding.is_some()).then(|| quote!(mut));
    quote! {
        #enum_name::#variant { #(#fields),* } => Box::pin(async move {
            #body_setup
            let #mutable call = #owner.#method(#(#arguments),*);
            #(#setters)*
            #optional_body
            #encoding
            #send
        }),
    }
}
