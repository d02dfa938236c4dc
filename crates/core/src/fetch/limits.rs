//! Bounded concurrency: a global cap on fetches in flight and a smaller one per host, so a
//! refresh of hundreds of feeds is fast without hammering any one server.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

pub(super) struct Limits {
    global: Arc<Semaphore>,
    per_host: Mutex<HashMap<String, Arc<Semaphore>>>,
    max_per_host: usize,
}

/// Held while a fetch is in flight; dropping it frees both slots.
pub(super) struct Permit {
    _host: Option<OwnedSemaphorePermit>,
    _global: Option<OwnedSemaphorePermit>,
}

impl Limits {
    pub(super) fn new(max_in_flight: usize, max_per_host: usize) -> Self {
        Limits {
            global: Arc::new(Semaphore::new(max_in_flight.max(1))),
            per_host: Mutex::new(HashMap::new()),
            max_per_host: max_per_host.max(1),
        }
    }

    /// Waits for a slot for `host` (taken first, so a busy host does not hold global slots).
    pub(super) async fn acquire(&self, host: &str) -> Permit {
        let host_semaphore = {
            let mut map = self
                .per_host
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            map.entry(host.to_owned())
                .or_insert_with(|| Arc::new(Semaphore::new(self.max_per_host)))
                .clone()
        };
        // The semaphores are never closed, so acquiring cannot fail; were it to, the fetch
        // would go ahead unthrottled rather than fail.
        let host = host_semaphore.acquire_owned().await.ok();
        let global = self.global.clone().acquire_owned().await.ok();
        Permit {
            _host: host,
            _global: global,
        }
    }
}
