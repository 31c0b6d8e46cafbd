//! `SqliteKv` against real SQLite: round trips, module isolation, paging, TTL, JSON.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use common::{memory_db, TestClock, T0};
use miti99bot_core::kv::{KvError, KvStore, ListOptions, PrefixedKv};
use miti99bot_core::sql::{ModuleSql, Value};
use miti99bot_sqlite::SqliteDb;
use serde::{Deserialize, Serialize};

fn store() -> (Arc<dyn KvStore>, SqliteDb, Arc<TestClock>) {
    let (db, clock) = memory_db();
    (Arc::new(db.kv()), db, clock)
}

#[tokio::test]
async fn get_put_delete_round_trip() {
    let (kv, _db, _clock) = store();
    assert_eq!(kv.get("k").await.unwrap(), None);
    kv.put("k", "v1", None).await.unwrap();
    assert_eq!(kv.get("k").await.unwrap().as_deref(), Some("v1"));
    kv.put("k", "v2", None).await.unwrap();
    assert_eq!(kv.get("k").await.unwrap().as_deref(), Some("v2"));
    kv.delete("k").await.unwrap();
    assert_eq!(kv.get("k").await.unwrap(), None);
    // Deleting what is absent is not an error.
    kv.delete("k").await.unwrap();
    // Empty values and unusual characters survive.
    kv.put("ключ 🔑", "", None).await.unwrap();
    assert_eq!(kv.get("ключ 🔑").await.unwrap().as_deref(), Some(""));
}

#[tokio::test]
async fn keys_are_checked() {
    let (kv, _db, _clock) = store();
    assert!(matches!(kv.get("").await, Err(KvError::InvalidKey(_))));
    assert!(matches!(kv.put("", "v", None).await, Err(KvError::InvalidKey(_))));
    assert!(matches!(kv.delete("").await, Err(KvError::InvalidKey(_))));
    let long = "k".repeat(513);
    assert!(matches!(kv.put(&long, "v", None).await, Err(KvError::InvalidKey(_))));
    kv.put(&"k".repeat(512), "v", None).await.unwrap();
}

#[tokio::test]
async fn prefixed_stores_are_isolated() {
    let (kv, db, _clock) = store();
    let a = PrefixedKv::new("a", kv.clone());
    let b = PrefixedKv::new("b", kv.clone());
    let misc = PrefixedKv::new("misc", kv.clone());

    a.put("shared", "from a").await.unwrap();
    b.put("shared", "from b").await.unwrap();
    b.put("only_b", "x").await.unwrap();
    misc.put_json("last_ping", &serde_json_like()).await.unwrap();

    assert_eq!(a.get("shared").await.unwrap().as_deref(), Some("from a"));
    assert_eq!(b.get("shared").await.unwrap().as_deref(), Some("from b"));
    assert_eq!(a.get("only_b").await.unwrap(), None);
    assert_eq!(a.list(&ListOptions::default()).await.unwrap().keys, vec!["shared"]);
    assert_eq!(
        b.list(&ListOptions::default()).await.unwrap().keys,
        vec!["only_b", "shared"]
    );
    a.delete("only_b").await.unwrap();
    assert_eq!(b.get("only_b").await.unwrap().as_deref(), Some("x"));

    // The raw key carries the module prefix.
    assert_eq!(
        kv.get("misc:last_ping").await.unwrap().as_deref(),
        Some(r#"{"at":123}"#)
    );
    let sql = ModuleSql::unprefixed(Arc::new(db.sql()));
    let raw: Vec<String> = sql
        .all_rows("SELECT key FROM _kv ORDER BY key", vec![])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get("key").and_then(Value::as_str).unwrap().to_owned())
        .collect();
    assert_eq!(raw, ["a:shared", "b:only_b", "b:shared", "misc:last_ping"]);
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Ping {
    at: i64,
}

fn serde_json_like() -> Ping {
    Ping { at: 123 }
}

#[tokio::test]
async fn list_pages_of_two_two_one() {
    let (kv, _db, _clock) = store();
    for key in ["k5", "k3", "k1", "k4", "k2"] {
        kv.put(key, "v", None).await.unwrap();
    }
    kv.put("other", "v", None).await.unwrap();

    let first = kv.list(&ListOptions::prefix("k").limit(2)).await.unwrap();
    assert_eq!(first.keys, ["k1", "k2"]);
    assert!(!first.done);
    let cursor = first.cursor.expect("a cursor after a full page");

    let second = kv
        .list(&ListOptions::prefix("k").limit(2).cursor(cursor))
        .await
        .unwrap();
    assert_eq!(second.keys, ["k3", "k4"]);
    assert!(!second.done);

    let third = kv
        .list(&ListOptions::prefix("k").limit(2).cursor(second.cursor.unwrap()))
        .await
        .unwrap();
    assert_eq!(third.keys, ["k5"]);
    assert!(third.done);
    assert_eq!(third.cursor, None);

    // The same through a module's view.
    let m = PrefixedKv::new("m", kv.clone());
    for key in ["e", "c", "a", "d", "b"] {
        m.put(key, "v").await.unwrap();
    }
    let mut pages = Vec::new();
    let mut options = ListOptions::default().limit(2);
    loop {
        let page = m.list(&options).await.unwrap();
        pages.push(page.keys.clone());
        if page.done {
            assert_eq!(page.cursor, None);
            break;
        }
        options = options.cursor(page.cursor.unwrap());
    }
    assert_eq!(pages, [vec!["a", "b"], vec!["c", "d"], vec!["e"]]);
}

#[tokio::test]
async fn list_exact_multiple_and_defaults() {
    let (kv, _db, _clock) = store();
    for key in ["a", "b", "c", "d"] {
        kv.put(key, "v", None).await.unwrap();
    }
    let first = kv.list(&ListOptions::default().limit(2)).await.unwrap();
    let second = kv
        .list(&ListOptions::default().limit(2).cursor(first.cursor.unwrap()))
        .await
        .unwrap();
    assert_eq!(second.keys, ["c", "d"]);
    assert!(second.done, "no further page when the last key is on this one");
    assert_eq!(second.cursor, None);

    let all = kv.list(&ListOptions::default()).await.unwrap();
    assert_eq!(all.keys, ["a", "b", "c", "d"]);
    assert!(all.done);

    let empty = kv.list(&ListOptions::prefix("zzz")).await.unwrap();
    assert!(empty.keys.is_empty() && empty.done && empty.cursor.is_none());
}

#[tokio::test]
async fn list_prefix_wildcards_are_literal() {
    let (kv, _db, _clock) = store();
    for key in ["a_b", "axb", "a%c", "abc", "a_", "a\\_x", "A_b"] {
        kv.put(key, "v", None).await.unwrap();
    }
    let keys = |prefix: &'static str| {
        let kv = kv.clone();
        async move { kv.list(&ListOptions::prefix(prefix)).await.unwrap().keys }
    };
    assert_eq!(keys("a_").await, ["a_", "a_b"]);
    assert_eq!(keys("a%").await, ["a%c"]);
    assert_eq!(keys("a\\").await, ["a\\_x"]);
    assert_eq!(keys("a").await, ["a%c", "a\\_x", "a_", "a_b", "abc", "axb"]);

    let module = PrefixedKv::new("my_mod", kv.clone());
    let lookalike = PrefixedKv::new("myXmod", kv.clone());
    module.put("x", "v").await.unwrap();
    lookalike.put("y", "v").await.unwrap();
    assert_eq!(module.list(&ListOptions::default()).await.unwrap().keys, ["x"]);
}

#[tokio::test]
async fn list_rejects_bad_cursor_and_limit() {
    let (kv, _db, _clock) = store();
    kv.put("a", "v", None).await.unwrap();
    for cursor in ["", "not hex", "abc", "ff"] {
        let err = kv.list(&ListOptions::default().cursor(cursor)).await.unwrap_err();
        assert!(matches!(err, KvError::InvalidCursor), "{cursor:?}: {err}");
    }
    for limit in [0, 1001] {
        let err = kv.list(&ListOptions::default().limit(limit)).await.unwrap_err();
        assert!(matches!(err, KvError::InvalidLimit(n) if n == limit), "{limit}: {err}");
    }
    kv.list(&ListOptions::default().limit(1000)).await.unwrap();
}

#[tokio::test]
async fn ttl_expires_with_the_clock() {
    let (kv, db, clock) = store();
    kv.put("short", "v", Some(60)).await.unwrap();
    kv.put("long", "v", Some(3600)).await.unwrap();
    kv.put("forever", "v", None).await.unwrap();

    clock.advance_ms(59_999);
    assert_eq!(kv.get("short").await.unwrap().as_deref(), Some("v"));
    assert_eq!(
        kv.list(&ListOptions::default()).await.unwrap().keys,
        ["forever", "long", "short"]
    );

    clock.advance_ms(1);
    assert_eq!(kv.get("short").await.unwrap(), None);
    assert_eq!(
        kv.list(&ListOptions::default()).await.unwrap().keys,
        ["forever", "long"]
    );

    // get deleted the expired row.
    let sql = ModuleSql::unprefixed(Arc::new(db.sql()));
    let count = |key: &'static str| {
        let sql = sql.clone();
        async move {
            sql.first_row("SELECT COUNT(*) AS n FROM _kv WHERE key = ?", vec![key.into()])
                .await
                .unwrap()
                .unwrap()
                .get("n")
                .and_then(Value::as_i64)
                .unwrap()
        }
    };
    assert_eq!(count("short").await, 0);

    // A new put without TTL clears the expiry.
    kv.put("long", "again", None).await.unwrap();
    clock.advance_secs(7200);
    assert_eq!(kv.get("long").await.unwrap().as_deref(), Some("again"));
    assert_eq!(kv.get("forever").await.unwrap().as_deref(), Some("v"));

    // purge_expired removes what nobody read.
    kv.put("gone", "v", Some(60)).await.unwrap();
    clock.advance_secs(61);
    assert_eq!(db.kv().purge_expired().unwrap(), 1);
    assert_eq!(count("gone").await, 0);
}

#[tokio::test]
async fn ttl_below_sixty_seconds_is_rejected() {
    let (kv, _db, _clock) = store();
    for ttl in [0, 1, 59] {
        let err = kv.put("k", "v", Some(ttl)).await.unwrap_err();
        assert!(matches!(err, KvError::InvalidTtl(t) if t == ttl), "{ttl}: {err}");
    }
    assert_eq!(kv.get("k").await.unwrap(), None);
    kv.put("k", "v", Some(60)).await.unwrap();
    // A huge TTL saturates instead of overflowing.
    kv.put("k2", "v", Some(u64::MAX)).await.unwrap();
    assert_eq!(kv.get("k2").await.unwrap().as_deref(), Some("v"));
}

#[tokio::test]
async fn prefixed_ttl_and_json() {
    let (kv, _db, clock) = store();
    let m = PrefixedKv::new("wordle", kv.clone());

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Game {
        word: String,
        guesses: Vec<String>,
        score: Option<u32>,
    }
    let game = Game {
        word: "crane".into(),
        guesses: vec!["adieu".into(), "crane".into()],
        score: Some(2),
    };
    m.put_json("game", &game).await.unwrap();
    assert_eq!(m.get_json::<Game>("game").await.unwrap(), Some(game));
    assert_eq!(m.get_json::<Game>("missing").await.unwrap(), None);

    m.put("broken", "{not json").await.unwrap();
    let err = m.get_json::<Game>("broken").await.unwrap_err();
    assert!(matches!(&err, KvError::Corrupt { key, .. } if key == "broken"), "{err}");
    // Valid JSON of the wrong shape is corrupt too.
    m.put("wrong", r#"{"word":1}"#).await.unwrap();
    assert!(matches!(
        m.get_json::<Game>("wrong").await,
        Err(KvError::Corrupt { .. })
    ));

    m.put_json_with_ttl("session", &Ping { at: 1 }, 120).await.unwrap();
    clock.advance_secs(119);
    assert_eq!(m.get_json::<Ping>("session").await.unwrap(), Some(Ping { at: 1 }));
    clock.advance_secs(1);
    assert_eq!(m.get_json::<Ping>("session").await.unwrap(), None);
    assert!(matches!(
        m.put_with_ttl("x", "v", 30).await,
        Err(KvError::InvalidTtl(30))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_share_the_connection() {
    let dir = tempfile::tempdir().unwrap();
    let db = SqliteDb::open(dir.path().join("bot.db"), TestClock::new(T0)).unwrap();
    let kv: Arc<dyn KvStore> = Arc::new(db.kv());
    let tasks: Vec<_> = (0..16)
        .map(|t| {
            let kv = kv.clone();
            tokio::spawn(async move {
                for i in 0..25 {
                    kv.put(&format!("t{t:02}:{i:02}"), "v", None).await.unwrap();
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let page = kv.list(&ListOptions::default()).await.unwrap();
    assert_eq!(page.keys.len(), 400);
    assert!(page.done);
}
