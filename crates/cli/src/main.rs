//! `veille`: the command line of Veille. Every command is a thin layer over `veille_core`.

mod cli;
mod commands;
mod output;

use std::process::ExitCode;

use clap::Parser;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match commands::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("veille: {}", output::error_chain(&error));
            ExitCode::FAILURE
        }
    }
}
