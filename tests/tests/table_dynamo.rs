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

/// A DynamoDB client for `endpoint` that gives up fast: two tries, 1 ms
/// apart, a 1 s connect timeout.
fn quick_client(endpoint: &str) -> aws_sdk_dynamodb::Client {
    use aws_sdk_dynamodb::config::retry::RetryConfig;
    use aws_sdk_dynamodb::config::timeout::TimeoutConfig;
    use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
    let conf = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("testing", "testing", None, None, "test"))
        .endpoint_url(endpoint)
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(2)
                .with_initial_backoff(Duration::from_millis(1)),
        )
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(1))
                .build(),
        )
        .build();
    aws_sdk_dynamodb::Client::from_conf(conf)
}

/// A stub of DynamoDB's endpoint that answers every request with `status`
/// and the JSON error `type` (and `extra` fields).
async fn stub(status: u16, body: serde_json::Value) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((mut conn, _)) = listener.accept().await else {
                return;
            };
            let body = body.to_string();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 65536];
                let mut read = 0;
                // The request's head and body (its length from the head).
                loop {
                    let Ok(n) = conn.read(&mut buf[read..]).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    read += n;
                    let text = String::from_utf8_lossy(&buf[..read]).to_lowercase();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let length = text
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|v| v.trim().parse::<usize>().ok())
                            .unwrap_or(0);
                        if read >= end + 4 + length {
                            break;
                        }
                    }
                }
                let answer = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/x-amz-json-1.0\r\n\
                     content-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = conn.write_all(answer.as_bytes()).await;
            });
        }
    });
    url
}

fn error(kind: &str) -> serde_json::Value {
    json!({"__type": format!("com.amazonaws.dynamodb.v20120810#{kind}"), "message": "stub"})
}

#[tokio::test]
async fn throttling_outages_and_no_answer_are_unavailable_once_retries_are_spent() {
    let key = Key::new("P", "1");
    let unavailable = [
        stub(400, error("ThrottlingException")).await,
        stub(400, error("ProvisionedThroughputExceededException")).await,
        stub(400, error("RequestLimitExceeded")).await,
        stub(500, error("InternalServerError")).await,
        stub(503, json!({})).await,
        // Nothing listens here.
        "http://127.0.0.1:9".to_string(),
    ];
    for url in unavailable {
        let table = roster_aws::DynamoTable::new(quick_client(&url), "t");
        let err = table.get(&key, true).await.unwrap_err();
        assert!(matches!(err, TableError::Unavailable(_)), "{url}: {err:?}");
        let err = table.transact(vec![put_op()], "tok").await.unwrap_err();
        assert!(matches!(err, TableError::Unavailable(_)), "{url}: {err:?}");
    }
    // A transaction cancelled for throttling is unavailable too.
    let mut cancelled = error("TransactionCanceledException");
    cancelled["CancellationReasons"] = json!([{"Code": "ThrottlingError", "Message": "slow down"}]);
    let table = roster_aws::DynamoTable::new(quick_client(&stub(400, cancelled).await), "t");
    let err = table.transact(vec![put_op()], "tok").await.unwrap_err();
    assert!(matches!(err, TableError::Unavailable(_)), "{err:?}");
    // A request DynamoDB refuses as malformed is not something to retry later.
    let table = roster_aws::DynamoTable::new(
        quick_client(&stub(400, error("ValidationException")).await),
        "t",
    );
    let err = table.get(&key, true).await.unwrap_err();
    assert!(matches!(err, TableError::Invalid(_)), "{err:?}");
}
