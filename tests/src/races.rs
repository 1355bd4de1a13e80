//! Requests fired at once at the in-process app, outcomes counted.

use std::sync::Arc;

use serde_json::{json, Value};

use crate::app::{Resp, TestApp};

/// Sends `n` calls to `path` at once, the i-th with `body(i)`; the answers
/// in that order.
pub async fn all_at_once(
    app: &Arc<TestApp>,
    n: usize,
    path: &str,
    body: impl Fn(usize) -> Value,
) -> Vec<Resp> {
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let (app, path, body) = (app.clone(), path.to_string(), body(i));
            tokio::spawn(async move { app.call(&path, None, body).await })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    answers
}

/// Five requests set `email`'s password with one link (`path`: signup or
/// resetPassword) at once: exactly one wins, the others answer
/// `TOKEN_INVALID`, and only the winner's password logs in.
pub async fn one_link_sets_one_password(app: &Arc<TestApp>, path: &str, token: &str, email: &str) {
    let password = |i: usize| format!("parallel passphrase {i}");
    let answers = all_at_once(
        app,
        5,
        path,
        |i| json!({"token": token, "password": password(i)}),
    )
    .await;
    let winners: Vec<usize> = (0..5).filter(|i| answers[*i].status == 200).collect();
    assert_eq!(winners.len(), 1, "{answers:?}");
    for r in answers.iter().filter(|r| r.status != 200) {
        r.err(400, "TOKEN_INVALID");
    }
    app.login(email, &password(winners[0])).await.ok();
    for loser in (0..5).filter(|i| *i != winners[0]) {
        app.login(email, &password(loser))
            .await
            .err(401, "UNAUTHENTICATED");
    }
}
