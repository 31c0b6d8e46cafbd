//! What the runtime provides: configuration, store backends, the clock, randomness and an HTTP
//! client.

use std::sync::Arc;

use crate::clock::Clock;
use crate::config::Config;
use crate::http::{HttpGet, NoHttp};
use crate::kv::KvStore;
use crate::random::{Random, SeededRandom};
use crate::sql::SqlStore;

/// What the runtime provides: configuration, store backends, a clock and an HTTP client.
///
/// Build it with [`Services::new`] (no HTTP client: [`NoHttp`]) and, when the runtime has one,
/// [`Services::with_http`]:
///
/// ```
/// use std::sync::Arc;
///
/// use miti99bot_core::{Config, FixedClock, NoHttp, Services};
/// use miti99bot_testkit::MemoryKv;
///
/// let clock = Arc::new(FixedClock(0));
/// let kv = Arc::new(MemoryKv::new(clock.clone()));
/// let services = Services::new(Config::default(), kv, None, clock).with_http(Arc::new(NoHttp));
/// assert!(services.sql.is_none());
/// ```
#[derive(Clone)]
pub struct Services {
    /// Configuration.
    pub config: Arc<Config>,
    /// The raw key-value backend (modules get prefixed views of it).
    pub kv: Arc<dyn KvStore>,
    /// The raw SQL backend; `None` when no database is configured.
    pub sql: Option<Arc<dyn SqlStore>>,
    /// The clock.
    pub clock: Arc<dyn Clock>,
    /// The outbound HTTP client ([`NoHttp`] unless the runtime sets one).
    pub http: Arc<dyn HttpGet>,
    /// The random source (a [`SeededRandom`] from seed 0 unless the runtime sets one with
    /// [`Services::with_random`]: deterministic, which tests rely on; both runtimes set theirs).
    pub random: Arc<dyn Random>,
}

impl Services {
    /// Services over these backends, without an HTTP client (requests fail with [`NoHttp`]'s
    /// error until [`Services::with_http`] sets one).
    pub fn new(
        config: impl Into<Arc<Config>>,
        kv: Arc<dyn KvStore>,
        sql: Option<Arc<dyn SqlStore>>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            config: config.into(),
            kv,
            sql,
            clock,
            http: Arc::new(NoHttp),
            random: Arc::new(SeededRandom::new(0)),
        }
    }

    /// The same services with `random` as the random source.
    pub fn with_random(mut self, random: Arc<dyn Random>) -> Self {
        self.random = random;
        self
    }

    /// The same services with `http` as the outbound HTTP client.
    pub fn with_http(mut self, http: Arc<dyn HttpGet>) -> Self {
        self.http = http;
        self
    }
}

impl std::fmt::Debug for Services {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Services")
            .field("has_sql", &self.sql.is_some())
            .finish_non_exhaustive()
    }
}
