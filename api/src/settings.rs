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
    /// Milliseconds a client has, after a request's headers, to send its body before a 408
    /// and the connection closed.
    #[arg(long, env = "BODY_TIMEOUT_MS", default_value_t = 5000, value_parser = clap::value_parser!(u64).range(1..))]
    pub body_timeout_ms: u64,
    /// Milliseconds a request may take, after its headers, before a 503; renders not started
    /// by then are not started.
    #[arg(long, env = "TIME_LIMIT_MS", default_value_t = 10000, value_parser = clap::value_parser!(u64).range(1..))]
    pub time_limit_ms: u64,
    /// Milliseconds a connection may go without the client accepting any byte of its
    /// response (a download nobody reads) before it is closed (TCP_USER_TIMEOUT, which also
    /// bounds unacknowledged data).
    #[arg(long, env = "WRITE_TIMEOUT_MS", default_value_t = 30000, value_parser = clap::value_parser!(u64).range(1..=u64::from(u32::MAX)))]
    pub write_timeout_ms: u64,
    /// Open connections per worker; beyond, new connections wait to be accepted (keep it
    /// under the process's file limit divided by the workers).
    #[arg(long, env = "MAX_CONNECTIONS", default_value_t = 256, value_parser = clap::value_parser!(u64).range(1..=25_000))]
    pub max_connections: u64,
    /// Trust `Forwarded` and `X-Forwarded-Host`/`-Proto` for the absolute URLs the pages
    /// print (set it only behind a reverse proxy that overwrites them).
    #[arg(long, env = "TRUST_PROXY", default_value_t = false)]
    pub trust_proxy: bool,
    /// The public origin of the service (`https://example.org`), printed in absolute URLs;
    /// takes precedence over TRUST_PROXY. By default, the Host the client connected to.
    #[arg(long, env = "PUBLIC_URL", value_parser = crate::origin::parse_public_url)]
    pub public_url: Option<String>,
}

impl Settings {
    /// The request time limits.
    pub fn limits(&self) -> crate::limits::Limits {
        crate::limits::Limits {
            body_timeout: std::time::Duration::from_millis(self.body_timeout_ms),
            time_limit: std::time::Duration::from_millis(self.time_limit_ms),
        }
    }

    /// Where the absolute URLs the pages print point to.
    pub fn origin(&self) -> crate::origin::Origin {
        match (&self.public_url, self.trust_proxy) {
            (Some(url), _) => crate::origin::Origin::Fixed(url.clone()),
            (None, true) => crate::origin::Origin::TrustProxy,
            (None, false) => crate::origin::Origin::Connection,
        }
    }

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
