//! `infraon`: the Infraon API from the command line (cargo feature `cli`), generated with the
//! client so it can never lag behind it. `infraon --help` lists the groups and operations.

fn main() -> std::process::ExitCode {
    infraon_client::cli::main()
}
