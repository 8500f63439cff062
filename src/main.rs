fn main() -> std::process::ExitCode {
    asyncdemo::cli::main_with_args(std::env::args_os())
}
