//! The `Table` conformance suite on the DynamoDB adapter, against the
//! emulator, and the conflict-retry path through fault injection (the
//! emulator never reports a transaction conflict).

use std::sync::Arc;
use std::time::Duration;

use roster_aws::RetryConflicts;
use roster_core::ports::{Key, Op, Table, TableError};
use roster_tests::conformance::Fixture;
use roster_tests::faults::FaultyTable;
use serde_json::json;

/// A fresh table on the emulator; `None` skips the test (no emulator, not required).
async fn dynamo() -> Option<Fixture> {
    roster_tests::aws::endpoint()?;
    Some(Fixture {
        table: roster_tests::aws::fresh_table().await,
        guard: Box::new(()),
    })
}

roster_tests::table_conformance!(dynamo(), optional);

fn put_op() -> Op {
    Op::put(json!({"pk": "R", "sk": "1"}).as_object().unwrap().clone())
}

#[tokio::test]
async fn conflicts_are_retried_then_answered_as_conflict() {
    // Over redb: the retry logic is the adapter-independent wrapper.
    let dir = tempfile::tempdir().unwrap();
    let redb: Arc<dyn Table> =
        Arc::new(roster_embedded::RedbTable::open(&dir.path().join("t.redb")).unwrap());
    let faulty = FaultyTable::new(redb.clone());
    let table = RetryConflicts::with(faulty.clone(), 3, Duration::from_millis(1));

    faulty.fail_writes_with_conflict(2);
    table.transact(vec![put_op()], "tok").await.unwrap();
    assert!(redb.get(&Key::new("R", "1"), true).await.unwrap().is_some());

    faulty.fail_writes_with_conflict(3);
    let err = table.transact(vec![put_op()], "tok2").await.unwrap_err();
    assert!(matches!(err, TableError::Conflict));
    // A failed condition is an answer, not something to retry.
    faulty.fail_writes_with_conflict(0);
    let cond = table
        .transact(
            vec![put_op().when(roster_core::ports::Cond::NotExists)],
            "tok3",
        )
        .await
        .unwrap_err();
    assert!(matches!(cond, TableError::Condition { op_index: 0, .. }));
    assert_eq!(faulty.writes_seen(), 2 + 1 + 3 + 1);
}
