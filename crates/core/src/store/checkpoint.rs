//! Write-ahead-log checkpoints beside a bulk writer. SQLite copies the log back into the
//! database on the committing connection, every 1,000 pages by default; during a refresh
//! that work sat on the single writer's critical path. A helper thread with its own
//! connection checkpoints instead, without blocking the writer (PASSIVE).

use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

use super::{wait_when_busy, Store};
use crate::{Error, Result};

/// How often the helper checkpoints.
const EVERY: Duration = Duration::from_millis(100);

/// Checkpoints running beside a bulk writer; [`BackgroundCheckpoints::stop`] hands them
/// back to the writer's connection.
pub struct BackgroundCheckpoints {
    stop: mpsc::Sender<()>,
    thread: JoinHandle<()>,
}

impl Store {
    /// Moves checkpoints off this connection until [`BackgroundCheckpoints::stop`].
    pub fn checkpoint_in_background(&self) -> Result<BackgroundCheckpoints> {
        let (stop, stopped) = mpsc::channel::<()>();
        let path = self.path.clone();
        let thread = std::thread::Builder::new()
            .name("veille-checkpoint".to_owned())
            .spawn(move || {
                let Ok(conn) = Connection::open(&path) else {
                    return;
                };
                let _ = wait_when_busy(&conn);
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(EVERY) {
                    // A checkpoint that fails is retried on the next turn, or by the
                    // writer itself once it checkpoints again.
                    let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                }
            })
            .map_err(|e| Error::Invalid(format!("cannot start checkpointing: {e}")))?;
        self.conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        Ok(BackgroundCheckpoints { stop, thread })
    }
}

impl BackgroundCheckpoints {
    /// Stops the helper and lets `store` checkpoint on its own again.
    pub fn stop(self, store: &Store) -> Result<()> {
        let _ = self.stop.send(());
        let _ = self.thread.join();
        // SQLite's default: checkpoint every 1,000 pages.
        store.conn.pragma_update(None, "wal_autocheckpoint", 1000)?;
        Ok(())
    }
}
