use std::path::PathBuf;

use clap::Parser;

/// Elexxion API: 2022 presidential election results and unemployment by département, as JSON.
#[derive(Parser, Debug, Clone)]
#[command(name = "api", version)]
pub struct Settings {
    /// Address to listen on.
    #[arg(long, env = "HOST", default_value = "127.0.0.1")]
    pub host: String,
    /// Port to listen on (0 picks a free one).
    #[arg(long, env = "PORT", default_value_t = 8080)]
    pub port: u16,
    /// SQLite database; created from the dump when it does not exist.
    #[arg(long, env = "DATABASE_URL", default_value = "elexxion.db")]
    pub database_url: String,
    /// SQL dump to create the database from; by default the dump.sql compiled into the binary.
    #[arg(long, env = "DUMP_PATH")]
    pub dump: Option<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(long, env = "WORKERS")]
    pub workers: Option<usize>,
    /// Milliseconds a client has to send a request's headers before a 408 and the connection
    /// closed (idle keep-alive connections close after the same time).
    #[arg(long, env = "REQUEST_TIMEOUT_MS", default_value_t = 5000)]
    pub request_timeout_ms: u64,
}

impl Settings {
    /// The database path, accepting `sqlite://path` and `file:path` forms of `DATABASE_URL`.
    pub fn database_path(&self) -> PathBuf {
        let url = self.database_url.as_str();
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .or_else(|| url.strip_prefix("file:"))
            .unwrap_or(url);
        PathBuf::from(path)
    }
}
