//! The database's writes, committed in groups on a thread of their own.
//!
//! A batch ([`SqlStore::batch`](miti99bot_core::sql::SqlStore::batch)) or a KV put that finds
//! the connection busy (or writes queued) is queued here and its caller awaits the outcome;
//! the tokio thread goes on serving other requests meanwhile instead of blocking on SQLite. The writer thread takes everything queued (up to
//! [`MAX_GROUP`]) and runs it in one transaction, each write inside a savepoint of its own:
//!
//! - a write that fails is rolled back to its savepoint and answered with its error; the
//!   others in the group are not affected, exactly as if each had its own transaction;
//! - every write of the group is answered only after the group's `COMMIT`, so nothing is
//!   acknowledged before it is durable as far as `synchronous = NORMAL` makes it; a failed
//!   `COMMIT` is every write's error.
//!
//! Under load many writes share one commit: the pages they all touch (the update ledger's
//! last leaf, a table's last leaf, their indexes) go to the WAL once per group instead of once
//! per write, with one lock and one WAL header per group. A queued write costs one hand-off to
//! the thread and back.
//!
//! A queued write is not taken back when its caller stops waiting (its future dropped): it
//! commits with its group, as a write that had started would have.
//!
//! When nothing is queued and the connection is free, a write does not wait for the thread:
//! the caller runs it as a group of one on its own thread (no savepoint, no hand-off), which
//! is what a write costs when the server is not busy.
//!
//! Reads do not come here: they take the connection's mutex on the caller's thread, as
//! before, and see every write that was answered.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use miti99bot_core::kv::KvError;
use miti99bot_core::sql::{BatchResult, SqlError, Statement};
use rusqlite::{params, Connection};
use tokio::sync::oneshot;

use crate::error::{kv_backend, left_transaction_open, sql_database, POISONED};
use crate::exec::{execute, Fetch};

/// The most writes one transaction takes.
const MAX_GROUP: usize = 64;

/// The upsert of a KV put.
const KV_PUT: &str = "INSERT INTO _kv (key, value, expires_at) VALUES (?1, ?2, ?3) \
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at";

/// One write waiting for the writer thread.
enum Write {
    /// A SQL batch, all or nothing (its statements passed the rules already).
    Batch {
        statements: Vec<Statement>,
        reply: oneshot::Sender<Result<Vec<BatchResult>, SqlError>>,
    },
    /// A KV put (key and TTL checked already).
    KvPut {
        key: String,
        value: String,
        expires_at: Option<i64>,
        reply: oneshot::Sender<Result<(), KvError>>,
    },
}

/// What a write did inside the group, waiting for the group's commit.
enum Done {
    Batch(
        oneshot::Sender<Result<Vec<BatchResult>, SqlError>>,
        Result<Vec<BatchResult>, SqlError>,
    ),
    KvPut(oneshot::Sender<Result<(), KvError>>, Result<(), KvError>),
}

impl Done {
    /// The write, refused as transaction control: one of its statements ended the
    /// transaction (as `SqliteSql::run` refuses such a statement).
    fn ended_the_transaction(self) -> Self {
        match self {
            Done::Batch(reply, _) => Done::Batch(reply, Err(left_transaction_open())),
            kv => kv,
        }
    }

    /// Whether the write itself failed (and must not be committed).
    fn failed(&self) -> bool {
        matches!(self, Done::Batch(_, Err(_)) | Done::KvPut(_, Err(_)))
    }

    /// Answers the caller: the write's own outcome when the group committed, else `failed`.
    fn answer(self, failed: Option<&str>) {
        // A caller that stopped waiting (its request was dropped) is told nothing.
        match self {
            Done::Batch(reply, outcome) => {
                let _ = reply.send(match (outcome, failed) {
                    (Ok(_), Some(error)) => Err(SqlError::database(error)),
                    (outcome, _) => outcome,
                });
            }
            Done::KvPut(reply, outcome) => {
                let _ = reply.send(match (outcome, failed) {
                    (Ok(()), Some(error)) => Err(KvError::Backend(error.to_owned())),
                    (outcome, _) => outcome,
                });
            }
        }
    }
}

impl Write {
    /// Runs the write on `conn`, inside the group's transaction.
    fn apply(self, conn: &Connection) -> Done {
        match self {
            Write::Batch { statements, reply } => {
                let mut results = Vec::with_capacity(statements.len());
                let mut outcome = Ok(());
                for (i, statement) in statements.iter().enumerate() {
                    match execute(conn, statement, Fetch::All) {
                        Ok(result) => results.push(result),
                        Err(error) => {
                            outcome = Err(in_batch(error, i, statements.len()));
                            break;
                        }
                    }
                }
                Done::Batch(reply, outcome.map(|()| results))
            }
            Write::KvPut {
                key,
                value,
                expires_at,
                reply,
            } => {
                let outcome = conn
                    .prepare_cached(KV_PUT)
                    .and_then(|mut stmt| stmt.execute(params![key, value, expires_at]))
                    .map(drop)
                    .map_err(kv_backend);
                Done::KvPut(reply, outcome)
            }
        }
    }

    /// Answers the caller with `error` without running the write.
    fn refuse(self, error: &str) {
        match self {
            Write::Batch { reply, .. } => {
                let _ = reply.send(Err(SqlError::database(error)));
            }
            Write::KvPut { reply, .. } => {
                let _ = reply.send(Err(KvError::Backend(error.to_owned())));
            }
        }
    }
}

/// Says which statement of a batch a database error came from.
fn in_batch(err: SqlError, index: usize, count: usize) -> SqlError {
    match err {
        SqlError::Database { message } => SqlError::Database {
            message: format!("batch statement {} of {count}: {message}", index + 1),
        },
        other => other,
    }
}

const STOPPED: &str = "the SQLite writer thread has stopped";

/// The queue to the writer thread, and the thread (joined on drop, after the queue closes).
pub(crate) struct Writer {
    queue: Option<Sender<Write>>,
    /// Writes sent and not yet taken by the thread.
    queued: Arc<AtomicUsize>,
    conn: Arc<Mutex<Connection>>,
    thread: Option<JoinHandle<()>>,
}

impl Writer {
    /// Starts the thread writing through `conn`.
    pub(crate) fn start(conn: Arc<Mutex<Connection>>) -> std::io::Result<Self> {
        let (queue, writes) = mpsc::channel();
        let queued = Arc::new(AtomicUsize::new(0));
        let thread = {
            let (conn, queued) = (Arc::clone(&conn), Arc::clone(&queued));
            std::thread::Builder::new()
                .name("sqlite-writer".into())
                .spawn(move || serve(&conn, &writes, &queued))?
        };
        Ok(Self {
            queue: Some(queue),
            queued,
            conn,
            thread: Some(thread),
        })
    }

    /// Runs `statements` as one all-or-nothing batch, in the next group.
    pub(crate) async fn batch(&self, statements: Vec<Statement>) -> Result<Vec<BatchResult>, SqlError> {
        let (reply, outcome) = oneshot::channel();
        self.send(Write::Batch { statements, reply });
        outcome.await.unwrap_or_else(|_| Err(SqlError::database(STOPPED)))
    }

    /// Puts `key`, in the next group.
    pub(crate) async fn kv_put(&self, key: &str, value: &str, expires_at: Option<i64>) -> Result<(), KvError> {
        let (reply, outcome) = oneshot::channel();
        self.send(Write::KvPut {
            key: key.to_owned(),
            value: value.to_owned(),
            expires_at,
            reply,
        });
        outcome.await.unwrap_or_else(|_| Err(KvError::Backend(STOPPED.into())))
    }

    /// Runs `write` here when nothing is queued and the connection is free, else queues it.
    fn send(&self, write: Write) {
        if self.queued.load(Ordering::Acquire) == 0 {
            if let Ok(conn) = self.conn.try_lock() {
                let (done, failed) = commit_group(&conn, vec![write]);
                drop(conn);
                done.into_iter().for_each(|d| d.answer(failed.as_deref()));
                return;
            }
        }
        // A stopped thread drops the write, and with it the reply: the caller gets STOPPED.
        if let Some(queue) = &self.queue {
            self.queued.fetch_add(1, Ordering::AcqRel);
            if queue.send(write).is_err() {
                self.queued.fetch_sub(1, Ordering::AcqRel);
            }
        }
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        // Closing the queue ends the thread once it has answered what was queued.
        self.queue = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The writer thread: a group per wake, until the queue closes.
fn serve(conn: &Mutex<Connection>, writes: &Receiver<Write>, queued: &AtomicUsize) {
    while let Ok(first) = writes.recv() {
        // The group is what queued by the time the connection is free: what came while a
        // caller's write or a read held it joins this group.
        let guard = conn.lock();
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match writes.try_recv() {
                Ok(write) => group.push(write),
                Err(_) => break,
            }
        }
        queued.fetch_sub(group.len(), Ordering::AcqRel);
        let (done, failed) = match guard {
            Ok(conn) => commit_group(&conn, group),
            Err(_) => {
                group.into_iter().for_each(|w| w.refuse(POISONED));
                continue;
            }
        };
        // Answered after the lock is released: a caller's next read does not wait for it.
        for write in done {
            write.answer(failed.as_deref());
        }
    }
}

/// Runs `group` in one transaction, a savepoint per write (none for a group of one: the
/// transaction is its savepoint); returns what each did and, when the transaction did not
/// commit, why.
fn commit_group(conn: &Connection, group: Vec<Write>) -> (Vec<Done>, Option<String>) {
    let alone = group.len() == 1;
    // IMMEDIATE takes the write lock up front: another process's writer makes the group wait
    // (busy handler) instead of failing half-way.
    if let Err(error) = conn.execute_batch("BEGIN IMMEDIATE") {
        let error = sql_database(error).to_string();
        group.into_iter().for_each(|w| w.refuse(&error));
        return (Vec::new(), None);
    }
    let mut done = Vec::with_capacity(group.len());
    let mut broken: Option<String> = None;
    for write in group {
        if let Some(reason) = &broken {
            write.refuse(reason);
            continue;
        }
        if !alone {
            if let Err(error) = conn.execute_batch("SAVEPOINT write") {
                let reason = sql_database(error).to_string();
                write.refuse(&reason);
                broken = Some(reason);
                continue;
            }
        }
        let outcome = write.apply(conn);
        if conn.is_autocommit() {
            // A statement ended the transaction despite the keyword check: it is refused as
            // transaction control, and nothing of the group can be trusted to commit.
            broken = Some("a statement of the group ended its transaction".into());
            done.push(outcome.ended_the_transaction());
            continue;
        }
        if alone {
            if outcome.failed() {
                // Its own error; the transaction was its savepoint.
                let _ = conn.execute_batch("ROLLBACK");
                return (vec![outcome], None);
            }
        } else {
            let undo = if outcome.failed() {
                "ROLLBACK TO write; RELEASE write"
            } else {
                "RELEASE write"
            };
            if let Err(error) = conn.execute_batch(undo) {
                broken = Some(sql_database(error).to_string());
            }
        }
        done.push(outcome);
    }
    let failed = match broken {
        None => conn.execute_batch("COMMIT").err().map(|e| sql_database(e).to_string()),
        Some(reason) => Some(reason),
    };
    if failed.is_some() && !conn.is_autocommit() {
        let _ = conn.execute_batch("ROLLBACK");
    }
    (done, failed)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Waker};

    use miti99bot_core::sql::Value;

    use super::*;

    fn writer(setup: &str) -> (Arc<Mutex<Connection>>, Arc<Writer>) {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(setup).unwrap();
        conn.execute_batch(crate::db::CREATE_KV_TABLE).unwrap();
        let conn = Arc::new(Mutex::new(conn));
        let writer = Arc::new(Writer::start(Arc::clone(&conn)).unwrap());
        (conn, writer)
    }

    fn insert(x: i64) -> Statement {
        Statement::with_params("INSERT INTO t (x) VALUES (?)", vec![Value::Integer(x)])
    }

    /// Polls each write once (it is queued then: the connection is held), then lets the group
    /// run by releasing the connection; the outcomes in order.
    async fn one_group<T>(conn: &Mutex<Connection>, mut writes: Vec<Pending<'_, T>>) -> Vec<T> {
        let held = conn.lock().unwrap();
        let mut cx = Context::from_waker(Waker::noop());
        for write in &mut writes {
            assert!(
                write.as_mut().poll(&mut cx).is_pending(),
                "a write ran while the connection was held"
            );
        }
        drop(held);
        let mut outcomes = Vec::new();
        for write in writes {
            outcomes.push(write.await);
        }
        outcomes
    }

    /// A write in progress.
    type Pending<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

    fn batches(writer: &Writer, batches: Vec<Vec<Statement>>) -> Vec<Pending<'_, Result<Vec<BatchResult>, SqlError>>> {
        batches
            .into_iter()
            .map(|b| Box::pin(writer.batch(b)) as Pending<'_, _>)
            .collect()
    }

    fn rows(conn: &Mutex<Connection>) -> Vec<i64> {
        let conn = conn.lock().unwrap();
        let mut stmt = conn.prepare("SELECT x FROM t ORDER BY x").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failed_write_in_a_group_is_undone_alone() {
        let (conn, writer) = writer("CREATE TABLE t (x INTEGER PRIMARY KEY)");
        let outcomes = one_group(
            &conn,
            batches(
                &writer,
                vec![
                    vec![insert(1), insert(2)],
                    // Its second statement fails: its first must not stay.
                    vec![insert(3), insert(1)],
                    vec![insert(4)],
                ],
            ),
        )
        .await;
        assert!(outcomes[0].is_ok() && outcomes[2].is_ok(), "{outcomes:?}");
        let error = outcomes[1].as_ref().unwrap_err().to_string();
        assert!(
            error.contains("batch statement 2 of 2") && error.contains("UNIQUE"),
            "{error}"
        );
        assert_eq!(rows(&conn), [1, 2, 4]);
        assert!(conn.lock().unwrap().is_autocommit(), "no transaction is left open");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failed_commit_is_every_write_s_error_and_keeps_nothing() {
        // A deferred foreign key is checked at COMMIT: the group's commit fails.
        let (conn, writer) = writer(
            "PRAGMA foreign_keys = ON; CREATE TABLE p (id INTEGER PRIMARY KEY); \
             CREATE TABLE t (x INTEGER PRIMARY KEY, p INTEGER REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED)",
        );
        let orphan = Statement::with_params("INSERT INTO t (x, p) VALUES (?, 99)", vec![Value::Integer(9)]);
        let outcomes = one_group(
            &conn,
            batches(&writer, vec![vec![insert(1)], vec![orphan], vec![insert(2)]]),
        )
        .await;
        for outcome in &outcomes {
            let error = outcome.as_ref().unwrap_err().to_string();
            assert!(error.contains("FOREIGN KEY"), "{error}");
        }
        assert_eq!(rows(&conn), Vec::<i64>::new());
        // The writer goes on: the next write, alone, commits.
        writer.batch(vec![insert(5)]).await.unwrap();
        assert_eq!(rows(&conn), [5]);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn kv_puts_and_batches_share_a_group() {
        let (conn, writer) = writer("CREATE TABLE t (x INTEGER PRIMARY KEY)");
        let put: Pending<'_, Result<(), SqlError>> = Box::pin(async {
            writer
                .kv_put("k", "v", Some(7))
                .await
                .map_err(|e| SqlError::database(e.to_string()))
        });
        let batch: Pending<'_, Result<(), SqlError>> =
            Box::pin(async { writer.batch(vec![insert(1)]).await.map(drop) });
        for outcome in one_group(&conn, vec![put, batch]).await {
            outcome.unwrap();
        }
        let row: (String, i64) = conn
            .lock()
            .unwrap()
            .query_row("SELECT value, expires_at FROM _kv WHERE key = 'k'", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(row, ("v".to_owned(), 7));
        assert_eq!(rows(&conn), [1]);
    }

    #[tokio::test]
    async fn a_write_alone_runs_on_the_caller_and_a_dropped_writer_stops_its_thread() {
        let (conn, writer) = writer("CREATE TABLE t (x INTEGER PRIMARY KEY)");
        writer.batch(vec![insert(1)]).await.unwrap();
        let error = writer.batch(vec![insert(1)]).await.unwrap_err();
        assert!(error.to_string().contains("UNIQUE"), "{error}");
        assert_eq!(writer.queued.load(Ordering::Acquire), 0);
        assert_eq!(rows(&conn), [1]);
        // Dropping the writer joins its thread (the test would hang otherwise).
        drop(Arc::try_unwrap(writer).ok().unwrap());
        assert_eq!(Arc::strong_count(&conn), 1);
    }
}
