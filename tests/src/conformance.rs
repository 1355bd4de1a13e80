//! The `Table` conformance suite: what every adapter must do, as DynamoDB
//! does it. Each check takes a fresh, empty table; [`table_conformance!`]
//! turns them into one `#[tokio::test]` each for an adapter.
//!
//! Checks avoid what the emulator is kinder about than AWS (a `last_key`
//! exactly at the end of the data is allowed, not required).

use std::sync::Arc;

use roster_core::ports::{Cond, Index, Item, Key, Op, Query, SortKey, Table, TableError};
use serde_json::{json, Value};

/// Wraps a fixture that is always there.
pub async fn some(f: impl std::future::Future<Output = Fixture>) -> Option<Fixture> {
    Some(f.await)
}

/// A fresh table, and whatever must live as long as it (a temporary folder, …).
pub struct Fixture {
    pub table: Arc<dyn Table>,
    pub guard: Box<dyn std::any::Any + Send>,
}

fn item(v: Value) -> Item {
    match v {
        Value::Object(m) => m,
        _ => panic!("not an object"),
    }
}

async fn put(t: &dyn Table, v: Value) {
    t.transact(vec![Op::put(item(v))], "t").await.unwrap();
}

fn sks(items: &[Item]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["sk"].as_str().unwrap().to_string())
        .collect()
}

/// Reads a whole query page by page, `limit` items read at a time.
async fn drain(t: &dyn Table, mut q: Query, limit: usize) -> (Vec<Item>, usize) {
    let mut all = Vec::new();
    let mut calls = 0;
    q.limit = Some(limit);
    loop {
        let page = t.query(&q).await.unwrap();
        calls += 1;
        assert!(page.scanned <= limit, "read more than the limit");
        all.extend(page.items);
        match page.last_key {
            Some(k) => q.start_after = Some(k),
            None => break,
        }
        assert!(calls < 1000, "paging does not end");
    }
    (all, calls)
}

async fn seed_users(t: &dyn Table) {
    // Created in one order, e-mails in another.
    for (i, email) in ["d@x", "b@x", "e@x", "a@x", "c@x"].iter().enumerate() {
        put(
            t,
            json!({"pk": "A", "sk": format!("USER#{i}"), "gs1pk": "A#USER",
                   "gs1sk": format!("{email}#{i}"), "n": i}),
        )
        .await;
    }
    put(t, json!({"pk": "A", "sk": "ACCT", "seats": 3})).await;
    put(
        t,
        json!({"pk": "B", "sk": "USER#9", "gs1pk": "B#USER", "gs1sk": "z@x#9"}),
    )
    .await;
}

pub async fn get_put_and_missing(t: &dyn Table) {
    assert!(t.get(&Key::new("P", "S"), true).await.unwrap().is_none());
    put(
        t,
        json!({"pk": "P", "sk": "S", "a": "x", "n": 5, "m": {"k": [1, "two"]}}),
    )
    .await;
    let got = t.get(&Key::new("P", "S"), true).await.unwrap().unwrap();
    assert_eq!(got["a"], "x");
    assert_eq!(got["n"], 5);
    assert_eq!(got["m"]["k"][1], "two");
    assert!(t.get(&Key::new("P", "T"), false).await.unwrap().is_none());
}

pub async fn primary_order_both_directions(t: &dyn Table) {
    seed_users(t).await;
    let mut q = Query::new(Index::Primary, "A");
    q.sk = Some(SortKey::BeginsWith("USER#".into()));
    let fwd = t.query(&q).await.unwrap();
    assert_eq!(
        sks(&fwd.items),
        ["USER#0", "USER#1", "USER#2", "USER#3", "USER#4"]
    );
    assert!(fwd.last_key.is_none());
    q.forward = false;
    let back = t.query(&q).await.unwrap();
    assert_eq!(
        sks(&back.items),
        ["USER#4", "USER#3", "USER#2", "USER#1", "USER#0"]
    );
    // Without a sort-key condition the whole partition, in key order.
    let all = t.query(&Query::new(Index::Primary, "A")).await.unwrap();
    assert_eq!(sks(&all.items)[0], "ACCT");
    assert_eq!(all.items.len(), 6);
}

pub async fn between_is_inclusive(t: &dyn Table) {
    seed_users(t).await;
    let mut q = Query::new(Index::Primary, "A");
    q.sk = Some(SortKey::Between("USER#1".into(), "USER#3".into()));
    let page = t.query(&q).await.unwrap();
    assert_eq!(sks(&page.items), ["USER#1", "USER#2", "USER#3"]);
}

pub async fn gs1_order_both_directions(t: &dyn Table) {
    seed_users(t).await;
    let mut q = Query::new(Index::Gs1, "A#USER");
    let fwd = t.query(&q).await.unwrap();
    let emails: Vec<_> = fwd
        .items
        .iter()
        .map(|i| i["gs1sk"].as_str().unwrap())
        .collect();
    assert_eq!(emails, ["a@x#3", "b@x#1", "c@x#4", "d@x#0", "e@x#2"]);
    q.forward = false;
    q.sk = Some(SortKey::BeginsWith("c".into()));
    let back = t.query(&q).await.unwrap();
    assert_eq!(sks(&back.items), ["USER#4"]);
    // Items without gs1 attributes are not in the index.
    q.sk = None;
    let all = t.query(&q).await.unwrap();
    assert_eq!(all.items.len(), 5);
}

pub async fn cursors_cross_page_boundaries(t: &dyn Table) {
    for i in 0..23 {
        put(
            t,
            json!({"pk": "P", "sk": format!("I#{i:03}"), "gs1pk": "G",
                   "gs1sk": format!("{:03}", 100 - i)}),
        )
        .await;
    }
    let expected: Vec<String> = (0..23).map(|i| format!("I#{i:03}")).collect();
    for limit in [1, 4, 5, 22, 23, 50] {
        let mut q = Query::new(Index::Primary, "P");
        q.sk = Some(SortKey::BeginsWith("I#".into()));
        let (items, _) = drain(t, q.clone(), limit).await;
        assert_eq!(sks(&items), expected, "primary forward, limit {limit}");
        q.forward = false;
        let (items, _) = drain(t, q, limit).await;
        let mut rev = expected.clone();
        rev.reverse();
        assert_eq!(sks(&items), rev, "primary backward, limit {limit}");

        let q = Query::new(Index::Gs1, "G");
        let (items, _) = drain(t, q.clone(), limit).await;
        let mut by_gs1 = expected.clone();
        by_gs1.reverse();
        assert_eq!(sks(&items), by_gs1, "gs1 forward, limit {limit}");
        let mut q = q;
        q.forward = false;
        let (items, _) = drain(t, q, limit).await;
        assert_eq!(sks(&items), expected, "gs1 backward, limit {limit}");
    }
}

pub async fn limit_counts_items_read_before_the_filter(t: &dyn Table) {
    seed_users(t).await;
    let mut q = Query::new(Index::Primary, "A");
    q.sk = Some(SortKey::BeginsWith("USER#".into()));
    q.limit = Some(3);
    q.filter = Some(Cond::AtLeast("n".into(), 2));
    let page = t.query(&q).await.unwrap();
    assert_eq!(page.scanned, 3);
    assert_eq!(sks(&page.items), ["USER#2"]);
    assert_eq!(page.last_key.as_ref().unwrap()["sk"], "USER#2");
    // Resuming reads the rest.
    q.start_after = page.last_key;
    let rest = t.query(&q).await.unwrap();
    assert_eq!(sks(&rest.items), ["USER#3", "USER#4"]);
}

pub async fn filters(t: &dyn Table) {
    seed_users(t).await;
    let run = |f: Cond| {
        let mut q = Query::new(Index::Primary, "A");
        q.sk = Some(SortKey::BeginsWith("USER#".into()));
        q.filter = Some(f);
        q
    };
    let cases = [
        (Cond::Eq("n".into(), json!(1)), vec!["USER#1"]),
        (
            Cond::Ne("n".into(), json!(1)),
            vec!["USER#0", "USER#2", "USER#3", "USER#4"],
        ),
        (
            Cond::BeginsWith("gs1sk".into(), "a@".into()),
            vec!["USER#3"],
        ),
        (
            Cond::Or(vec![
                Cond::Eq("n".into(), json!(0)),
                Cond::Eq("n".into(), json!(4)),
            ]),
            vec!["USER#0", "USER#4"],
        ),
        (
            Cond::And(vec![
                Cond::AtLeast("n".into(), 1),
                Cond::Ne("n".into(), json!(2)),
            ]),
            vec!["USER#1", "USER#3", "USER#4"],
        ),
        (Cond::Less("n".into(), 2), vec!["USER#0", "USER#1"]),
        (Cond::AttrNotExists("n".into()), vec![]),
        (
            Cond::AttrExists("gs1pk".into()),
            vec!["USER#0", "USER#1", "USER#2", "USER#3", "USER#4"],
        ),
    ];
    for (cond, want) in cases {
        let page = t.query(&run(cond.clone())).await.unwrap();
        assert_eq!(sks(&page.items), want, "{cond:?}");
        assert_eq!(page.scanned, 5);
    }
}

pub async fn conditions_guard_writes(t: &dyn Table) {
    put(t, json!({"pk": "C", "sk": "1", "v": 1, "seats": 2})).await;
    let k = Key::new("C", "1");
    // not exists on an existing item
    let err = t
        .transact(
            vec![Op::put(item(json!({"pk": "C", "sk": "1"}))).when(Cond::NotExists)],
            "a",
        )
        .await
        .unwrap_err();
    match err {
        TableError::Condition { op_index, current } => {
            assert_eq!(op_index, 0);
            assert_eq!(current.unwrap()["v"], 1);
        }
        other => panic!("{other:?}"),
    }
    // exists on a missing item
    let err = t
        .transact(vec![Op::delete(Key::new("C", "2")).when(Cond::Exists)], "b")
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        TableError::Condition {
            op_index: 0,
            current: None
        }
    ));
    // equals
    t.transact(
        vec![Op::update(k.clone())
            .set("v", 2)
            .when(Cond::Eq("v".into(), json!(1)))],
        "c",
    )
    .await
    .unwrap();
    assert!(t
        .transact(
            vec![Op::update(k.clone())
                .set("v", 3)
                .when(Cond::Eq("v".into(), json!(1)))],
            "d"
        )
        .await
        .is_err());
    // at least: two seats, take three one by one
    for n in 0..3 {
        let r = t
            .transact(
                vec![Op::update(k.clone())
                    .add("seats", -1)
                    .when(Cond::AtLeast("seats".into(), 1))],
                &format!("e{n}"),
            )
            .await;
        assert_eq!(r.is_ok(), n < 2, "take {n}");
    }
    let got = t.get(&k, true).await.unwrap().unwrap();
    assert_eq!(got["seats"], 0);
    assert_eq!(got["v"], 2);
    // less: holds below the value, never on a missing attribute
    let less = |attr: &str, n: i64| {
        Op::update(k.clone())
            .set("w", 1)
            .when(Cond::Less(attr.into(), n))
    };
    t.transact(vec![less("seats", 1)], "f").await.unwrap();
    assert!(t.transact(vec![less("seats", 0)], "g").await.is_err());
    assert!(t.transact(vec![less("missing", 100)], "h").await.is_err());
}

/// `[[… 1 …]]` with `levels` lists.
fn deep(levels: usize) -> serde_json::Value {
    (1..levels).fold(json!([1]), |inner, _| json!([inner]))
}

pub async fn numbers_and_nesting_stay_within_dynamodb_limits(t: &dyn Table) {
    let refused = [
        json!({"pk": "N", "sk": "1", "n": 1e200}),
        json!({"pk": "N", "sk": "1", "n": -1e126}),
        json!({"pk": "N", "sk": "1", "n": 1e-131}),
        json!({"pk": "N", "sk": "1", "m": {"deep": [1, 2, {"n": 1e127}]}}),
        json!({"pk": "N", "sk": "1", "l": deep(33)}),
    ];
    for bad in refused {
        let put = Op::put(item(bad.clone()));
        assert!(
            matches!(
                t.transact(vec![put], "n1").await,
                Err(TableError::Invalid(_))
            ),
            "{bad}"
        );
    }
    let set = Op::update(Key::new("N", "1")).set("n", json!(1e200));
    assert!(matches!(
        t.transact(vec![set], "n2").await,
        Err(TableError::Invalid(_))
    ));
    let set = Op::update(Key::new("N", "1")).set("l", deep(33));
    assert!(matches!(
        t.transact(vec![set], "n3").await,
        Err(TableError::Invalid(_))
    ));
    // The edges themselves are stored and read back.
    put(
        t,
        json!({"pk": "N", "sk": "2", "n": 9.9e125, "l": deep(32)}),
    )
    .await;
    let got = t.get(&Key::new("N", "2"), true).await.unwrap().unwrap();
    assert_eq!(got["n"], json!(9.9e125));
    assert_eq!(got["l"], deep(32));
}

pub async fn transactions_fail_as_a_whole(t: &dyn Table) {
    put(t, json!({"pk": "T", "sk": "taken"})).await;
    let ops = vec![
        Op::put(item(json!({"pk": "T", "sk": "a", "x": 1}))),
        Op::update(Key::new("T", "b")).set("x", 1),
        Op::put(item(json!({"pk": "T", "sk": "taken", "x": 1}))).when(Cond::NotExists),
        Op::delete(Key::new("T", "c")),
    ];
    let err = t.transact(ops, "f").await.unwrap_err();
    assert!(
        matches!(err, TableError::Condition { op_index: 2, .. }),
        "{err:?}"
    );
    assert!(t.get(&Key::new("T", "a"), true).await.unwrap().is_none());
    assert!(t.get(&Key::new("T", "b"), true).await.unwrap().is_none());
    assert!(!t
        .get(&Key::new("T", "taken"), true)
        .await
        .unwrap()
        .unwrap()
        .contains_key("x"));
    // A check op fails the transaction without writing.
    let err = t
        .transact(
            vec![
                Op::put(item(json!({"pk": "T", "sk": "d"}))),
                Op::check(Key::new("T", "nope"), Cond::Exists),
            ],
            "g",
        )
        .await
        .unwrap_err();
    assert!(matches!(err, TableError::Condition { op_index: 1, .. }));
    assert!(t.get(&Key::new("T", "d"), true).await.unwrap().is_none());
}

pub async fn updates_set_add_remove_and_create(t: &dyn Table) {
    let k = Key::new("U", "1");
    t.transact(vec![Op::update(k.clone()).set("a", "x").add("n", 3)], "h")
        .await
        .unwrap();
    let got = t.get(&k, true).await.unwrap().unwrap();
    assert_eq!((got["a"].clone(), got["n"].clone()), (json!("x"), json!(3)));
    t.transact(vec![Op::update(k.clone()).add("n", -5).remove("a")], "i")
        .await
        .unwrap();
    let got = t.get(&k, true).await.unwrap().unwrap();
    assert_eq!(got["n"], -2);
    assert!(!got.contains_key("a"));
    assert_eq!(got["pk"], "U");
}

pub async fn gs1_follows_updates_and_deletes(t: &dyn Table) {
    put(
        t,
        json!({"pk": "G", "sk": "1", "gs1pk": "GI", "gs1sk": "old"}),
    )
    .await;
    t.transact(
        vec![Op::update(Key::new("G", "1")).set("gs1sk", "new")],
        "j",
    )
    .await
    .unwrap();
    let page = t.query(&Query::new(Index::Gs1, "GI")).await.unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0]["gs1sk"], "new");
    t.transact(vec![Op::delete(Key::new("G", "1"))], "k")
        .await
        .unwrap();
    assert!(t
        .query(&Query::new(Index::Gs1, "GI"))
        .await
        .unwrap()
        .items
        .is_empty());
}

pub async fn dynamodb_limits_are_enforced(t: &dyn Table) {
    // more than 100 ops
    let ops: Vec<Op> = (0..101)
        .map(|i| Op::put(item(json!({"pk": "L", "sk": format!("{i}")}))))
        .collect();
    assert!(matches!(
        t.transact(ops, "l").await,
        Err(TableError::Invalid(_))
    ));
    // 100 ops are fine
    let ops: Vec<Op> = (0..100)
        .map(|i| Op::put(item(json!({"pk": "L", "sk": format!("{i}")}))))
        .collect();
    t.transact(ops, "m").await.unwrap();
    // one item twice
    let ops = vec![
        Op::put(item(json!({"pk": "L", "sk": "x"}))),
        Op::delete(Key::new("L", "x")),
    ];
    assert!(matches!(
        t.transact(ops, "n").await,
        Err(TableError::Invalid(_))
    ));
    // an item over 400 KB
    let big = "x".repeat(401 * 1024);
    let ops = vec![Op::put(item(json!({"pk": "L", "sk": "big", "b": big})))];
    assert!(matches!(
        t.transact(ops, "o").await,
        Err(TableError::Invalid(_))
    ));
    // consistent reads on gs1
    let mut q = Query::new(Index::Gs1, "G");
    q.consistent = true;
    assert!(matches!(t.query(&q).await, Err(TableError::Invalid(_))));
}

pub async fn pages_stop_at_one_megabyte(t: &dyn Table) {
    let blob = "y".repeat(100 * 1024);
    for i in 0..15 {
        put(t, json!({"pk": "M", "sk": format!("{i:02}"), "b": blob})).await;
    }
    let first = t.query(&Query::new(Index::Primary, "M")).await.unwrap();
    assert!(first.items.len() < 15, "a page read more than 1 MB");
    assert!(first.last_key.is_some());
    let (all, calls) = drain(t, Query::new(Index::Primary, "M"), 100).await;
    assert_eq!(all.len(), 15);
    assert!(calls >= 2);
}

pub async fn batch_get_returns_found_items(t: &dyn Table) {
    put(t, json!({"pk": "B", "sk": "1"})).await;
    put(t, json!({"pk": "B", "sk": "2"})).await;
    let got = t
        .batch_get(&[Key::new("B", "1"), Key::new("B", "3"), Key::new("B", "2")])
        .await
        .unwrap();
    let mut s = sks(&got);
    s.sort();
    assert_eq!(s, ["1", "2"]);
}

/// One `#[tokio::test]` per conformance check, each on a fresh table from
/// `$make` (a future of a `Fixture`; with `optional`, of an
/// `Option<Fixture>`, where `None` skips the check).
#[macro_export]
macro_rules! table_conformance {
    ($make:expr) => {
        $crate::table_conformance!($crate::conformance::some($make), optional);
    };
    ($make:expr, optional) => {
        $crate::table_conformance!(@tests $make;
            get_put_and_missing, primary_order_both_directions, between_is_inclusive,
            gs1_order_both_directions, cursors_cross_page_boundaries,
            limit_counts_items_read_before_the_filter, filters, conditions_guard_writes,
            transactions_fail_as_a_whole, updates_set_add_remove_and_create,
            gs1_follows_updates_and_deletes, dynamodb_limits_are_enforced,
            numbers_and_nesting_stay_within_dynamodb_limits,
            pages_stop_at_one_megabyte, batch_get_returns_found_items);
    };
    (@tests $make:expr; $($name:ident),*) => {
        $(
            #[tokio::test]
            async fn $name() {
                let fixture: Option<$crate::conformance::Fixture> = $make.await;
                let Some(fixture) = fixture else {
                    eprintln!("skipped: no AWS emulator");
                    return;
                };
                $crate::conformance::$name(fixture.table.as_ref()).await;
            }
        )*
    };
}
