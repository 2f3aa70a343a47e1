use std::process::ExitCode;

use api::journal::Journal;
use api::settings::Settings;
use api::startup::{Application, listen, load_state};
use clap::Parser;

#[actix_web::main]
async fn main() -> ExitCode {
    let journal = Journal::start();
    journal.install();
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info"))
        .target(env_logger::Target::Pipe(Box::new(journal.clone())))
        .init();
    let code = serve().await;
    journal.flush();
    code
}

async fn serve() -> ExitCode {
    let settings = Settings::parse();
    // Bind first: a busy port must not leave a database created for nothing.
    let application = match listen(&settings).and_then(|listener| {
        load_state(&settings).and_then(|state| Application::serve(listener, &settings, state))
    }) {
        Ok(application) => application,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    log::info!(
        "serving on http://{}:{}/ (Swagger UI: /swagger-ui/)",
        settings.host,
        application.port()
    );
    match application.run_until_stopped().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
