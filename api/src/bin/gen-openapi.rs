//! Writes the OpenAPI document to `openapi/openapi.json` (or the path given).

use std::process::ExitCode;

fn main() -> ExitCode {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "openapi/openapi.json".to_owned());
    let document = match api::startup::openapi().to_pretty_json() {
        Ok(json) => json + "\n",
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(dir) = std::path::Path::new(&path).parent()
        && let Err(error) = std::fs::create_dir_all(dir)
    {
        eprintln!("error: {}: {error}", dir.display());
        return ExitCode::FAILURE;
    }
    match std::fs::write(&path, document) {
        Ok(()) => {
            println!("wrote {path}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {path}: {error}");
            ExitCode::FAILURE
        }
    }
}
