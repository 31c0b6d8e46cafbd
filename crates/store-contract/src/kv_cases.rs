//! Key-value cases: what every [`KvStore`] backend must do.

use std::sync::Arc;

use miti99bot_core::kv::{KvError, KvStore, ListOptions, PrefixedKv};

use crate::ensure;
use crate::report::CaseReport;

type CaseResult = Result<(), String>;

/// Runs every KV case against `kv`. `tag` (lowercase letters and digits) keeps the keys of this
/// run apart from earlier runs on a persistent backend.
pub async fn run_kv_contract(kv: Arc<dyn KvStore>, tag: &str) -> Vec<CaseReport> {
    let a = PrefixedKv::new(&format!("ct{tag}a"), kv.clone());
    let b = PrefixedKv::new(&format!("ct{tag}b"), kv.clone());
    vec![
        CaseReport::new("kv", "round_trip", round_trip(&a).await),
        CaseReport::new("kv", "prefix_isolation", prefix_isolation(&kv, &a, &b).await),
        CaseReport::new("kv", "list_paging", list_paging(&a).await),
        CaseReport::new("kv", "list_sub_prefix", list_sub_prefix(&a).await),
        CaseReport::new("kv", "list_limit_rules", list_limit_rules(&a).await),
        CaseReport::new("kv", "ttl_rules", ttl_rules(&kv, &a).await),
        CaseReport::new("kv", "json_round_trip", json_round_trip(&a).await),
    ]
}

fn err<E: std::fmt::Display>(what: &str) -> impl FnOnce(E) -> String + '_ {
    move |e| format!("{what}: {e}")
}

async fn round_trip(kv: &PrefixedKv) -> CaseResult {
    ensure!(
        kv.get("missing").await.map_err(err("get missing"))?.is_none(),
        "absent key read as present"
    );
    kv.put("k", "v1").await.map_err(err("put"))?;
    kv.put("k", "v2 ünïcode").await.map_err(err("overwrite"))?;
    let got = kv.get("k").await.map_err(err("get"))?;
    ensure!(got.as_deref() == Some("v2 ünïcode"), "read {got:?} after overwrite");
    kv.delete("k").await.map_err(err("delete"))?;
    kv.delete("k").await.map_err(err("delete of an absent key"))?;
    ensure!(
        kv.get("k").await.map_err(err("get deleted"))?.is_none(),
        "deleted key still present"
    );
    Ok(())
}

async fn prefix_isolation(raw: &Arc<dyn KvStore>, a: &PrefixedKv, b: &PrefixedKv) -> CaseResult {
    a.put("shared", "from a").await.map_err(err("put a"))?;
    b.put("shared", "from b").await.map_err(err("put b"))?;
    let got_a = a.get("shared").await.map_err(err("get a"))?;
    let got_b = b.get("shared").await.map_err(err("get b"))?;
    ensure!(
        got_a.as_deref() == Some("from a") && got_b.as_deref() == Some("from b"),
        "modules see each other's value: {got_a:?} / {got_b:?}"
    );
    let raw_key = format!("{}shared", a.prefix());
    let got_raw = raw.get(&raw_key).await.map_err(err("raw get"))?;
    ensure!(
        got_raw.as_deref() == Some("from a"),
        "raw key {raw_key:?} holds {got_raw:?}"
    );
    let page = a.list(&ListOptions::default()).await.map_err(err("list a"))?;
    ensure!(page.keys == ["shared"], "module a lists {:?}", page.keys);
    a.delete("shared").await.map_err(err("delete a"))?;
    ensure!(
        b.get("shared").await.map_err(err("get b after"))?.is_some(),
        "deleting a's key removed b's"
    );
    b.delete("shared").await.map_err(err("delete b"))?;
    Ok(())
}

async fn list_paging(kv: &PrefixedKv) -> CaseResult {
    let keys = ["page:1", "page:2", "page:3", "page:4", "page:5"];
    for key in keys.iter().rev() {
        kv.put(key, "x").await.map_err(err("put"))?;
    }
    let mut seen: Vec<String> = Vec::new();
    let mut sizes = Vec::new();
    let mut options = ListOptions::prefix("page:").limit(2);
    for _ in 0..10 {
        let page = kv.list(&options).await.map_err(err("list"))?;
        sizes.push(page.keys.len());
        seen.extend(page.keys);
        if page.done {
            ensure!(page.cursor.is_none(), "last page still has a cursor");
            break;
        }
        let Some(cursor) = page.cursor else {
            return Err("a page that is not done has no cursor".into());
        };
        options = options.cursor(cursor);
    }
    for key in keys {
        kv.delete(key).await.map_err(err("delete"))?;
    }
    ensure!(seen == keys, "listed {seen:?}, want {keys:?} in order");
    ensure!(sizes == [2, 2, 1], "page sizes {sizes:?}, want [2, 2, 1]");
    Ok(())
}

async fn list_sub_prefix(kv: &PrefixedKv) -> CaseResult {
    for key in ["user:1", "user:2", "users", "other"] {
        kv.put(key, "x").await.map_err(err("put"))?;
    }
    let page = kv.list(&ListOptions::prefix("user:")).await.map_err(err("list"))?;
    for key in ["user:1", "user:2", "users", "other"] {
        kv.delete(key).await.map_err(err("delete"))?;
    }
    ensure!(page.keys == ["user:1", "user:2"], "prefix user: lists {:?}", page.keys);
    ensure!(
        page.done && page.cursor.is_none(),
        "a complete listing is not done: {page:?}"
    );
    Ok(())
}

async fn list_limit_rules(kv: &PrefixedKv) -> CaseResult {
    for bad in [0, 1001] {
        match kv.list(&ListOptions::default().limit(bad)).await {
            Err(KvError::InvalidLimit(n)) if n == bad => {}
            other => return Err(format!("limit {bad} gave {other:?}, want InvalidLimit")),
        }
    }
    kv.list(&ListOptions::default().limit(1000))
        .await
        .map_err(err("limit 1000"))?;
    Ok(())
}

async fn ttl_rules(raw: &Arc<dyn KvStore>, kv: &PrefixedKv) -> CaseResult {
    kv.put_with_ttl("ttl", "short-lived", 60).await.map_err(err("ttl 60"))?;
    let got = kv.get("ttl").await.map_err(err("get"))?;
    ensure!(got.as_deref() == Some("short-lived"), "value with ttl 60 reads {got:?}");
    kv.put_with_ttl("ttl", "a day", 86_400)
        .await
        .map_err(err("ttl 86400"))?;
    for bad in [0, 59] {
        match kv.put_with_ttl("ttl-bad", "x", bad).await {
            Err(KvError::InvalidTtl(n)) if n == bad => {}
            other => return Err(format!("ttl {bad} gave {other:?}, want InvalidTtl")),
        }
        let raw_key = format!("{}ttl-bad", kv.prefix());
        match raw.put(&raw_key, "x", Some(bad)).await {
            Err(KvError::InvalidTtl(_)) => {}
            other => return Err(format!("backend put with ttl {bad} gave {other:?}, want InvalidTtl")),
        }
    }
    ensure!(
        kv.get("ttl-bad").await.map_err(err("get bad"))?.is_none(),
        "a rejected put was stored"
    );
    match raw.put("", "x", None).await {
        Err(KvError::InvalidKey(_)) => {}
        other => return Err(format!("empty key gave {other:?}, want InvalidKey")),
    }
    kv.delete("ttl").await.map_err(err("delete"))?;
    Ok(())
}

async fn json_round_trip(kv: &PrefixedKv) -> CaseResult {
    let value = serde_json::json!({ "user": 7_123_456_789_i64, "name": "a\"b", "list": [1, 2.5, null] });
    kv.put_json("json", &value).await.map_err(err("put_json"))?;
    let got: Option<serde_json::Value> = kv.get_json("json").await.map_err(err("get_json"))?;
    ensure!(got.as_ref() == Some(&value), "read back {got:?}");
    kv.put("json", "{not json").await.map_err(err("put corrupt"))?;
    match kv.get_json::<serde_json::Value>("json").await {
        Err(KvError::Corrupt { .. }) => {}
        other => return Err(format!("corrupt JSON gave {other:?}, want Corrupt")),
    }
    kv.delete("json").await.map_err(err("delete"))?;
    Ok(())
}
