//! The `Table` conformance suite on the redb adapter, and its durability.

use std::sync::Arc;

use roster_core::ports::{Key, Op, Table};
use roster_embedded::RedbTable;
use roster_tests::conformance::Fixture;
use serde_json::json;

async fn redb() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let table = RedbTable::open(&dir.path().join("t.redb")).unwrap();
    Fixture {
        table: Arc::new(table),
        guard: Box::new(dir),
    }
}

roster_tests::table_conformance!(redb());

#[tokio::test]
async fn a_returned_write_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.redb");
    {
        let t = RedbTable::open(&path).unwrap();
        let item = json!({"pk": "P", "sk": "S", "v": 1});
        t.transact(vec![Op::put(item.as_object().unwrap().clone())], "x")
            .await
            .unwrap();
    }
    let t = RedbTable::open(&path).unwrap();
    let got = t.get(&Key::new("P", "S"), true).await.unwrap().unwrap();
    assert_eq!(got["v"], 1);
}
