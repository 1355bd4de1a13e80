//! The AWS emulator (moto) the test command starts: where it is, and what it
//! saw. Without `AWS_ENDPOINT_URL` the AWS tests skip, unless
//! `ROSTER_REQUIRE_AWS=1` (set by the test command and CI), where they fail.

use std::sync::Arc;

use roster_aws::{provision, AwsSettings};
use roster_core::ports::Table;
use roster_core::{Roster, Settings};
use serde_json::Value;

/// The emulator's URL, or `None` to skip (panics when it is required).
pub fn endpoint() -> Option<String> {
    let endpoint = std::env::var("AWS_ENDPOINT_URL")
        .ok()
        .filter(|s| !s.is_empty());
    if endpoint.is_none() && std::env::var("ROSTER_REQUIRE_AWS").as_deref() == Ok("1") {
        panic!("ROSTER_REQUIRE_AWS=1 but AWS_ENDPOINT_URL is not set: no AWS emulator");
    }
    endpoint
}

pub const MAIL_FROM: &str = "roster <noreply@roster.test>";

fn unique(prefix: &str) -> String {
    format!(
        "{prefix}-{}",
        roster_core::clock::next_ulid().to_string().to_lowercase()
    )
}

/// A fresh DynamoDB table on the emulator.
pub async fn fresh_table() -> Arc<dyn Table> {
    let sdk = roster_aws::sdk_config().await;
    let client = aws_sdk_dynamodb::Client::new(&sdk);
    let name = unique("roster-test");
    provision::table(&client, &name).await.unwrap();
    Arc::new(roster_aws::DynamoTable::new(client, name))
}

/// A `Roster` on the emulator, with what a test needs to reach around it.
pub struct Fresh {
    pub roster: Roster,
    /// Its sender address: its own, so its mail can be told from other tests'.
    pub sender: String,
    pub user_pool_id: String,
    pub client_id: String,
}

/// A `Roster` on a fresh table, user pool and sender of the emulator.
pub async fn fresh_roster(settings: Settings, calls: Option<roster_aws::CallLog>) -> Fresh {
    let sdk = roster_aws::sdk_config().await;
    let name = unique("roster-test");
    provision::table(&aws_sdk_dynamodb::Client::new(&sdk), &name)
        .await
        .unwrap();
    let (pool, client) =
        provision::user_pool(&aws_sdk_cognitoidentityprovider::Client::new(&sdk), &name)
            .await
            .unwrap();
    let sender = format!("{name}@roster.test");
    provision::sender(&aws_sdk_sesv2::Client::new(&sdk), &sender)
        .await
        .unwrap();
    let (issuer, jwks_url) = roster_aws::hosted_ui_urls(&pool, None, None);
    let aws = AwsSettings {
        table: name,
        user_pool_id: pool.clone(),
        client_id: client.clone(),
        mail_from: sender.clone(),
        signing_key: roster_aws::new_signing_key().unwrap(),
        issuer,
        jwks_url,
    };
    Fresh {
        roster: roster_aws::open_logged(&sdk, &aws, settings, calls).unwrap(),
        sender,
        user_pool_id: pool,
        client_id: client,
    }
}

/// An id token of the pool for a user it holds (created on first use) with
/// `email`: what the hosted UI hands a browser after sign-in. `username` is
/// the pool's login name; changing `email` for the same `username` keeps the
/// identity's `sub`.
pub async fn pool_id_token(
    pool: &str,
    client_id: &str,
    username: &str,
    email: &str,
    verified: bool,
) -> String {
    use aws_sdk_cognitoidentityprovider::types::{AttributeType, AuthFlowType};
    let sdk = roster_aws::sdk_config().await;
    let cognito = aws_sdk_cognitoidentityprovider::Client::new(&sdk);
    let attrs = [
        AttributeType::builder()
            .name("email")
            .value(email)
            .build()
            .unwrap(),
        AttributeType::builder()
            .name("email_verified")
            .value(verified.to_string())
            .build()
            .unwrap(),
    ];
    let exists = cognito
        .admin_get_user()
        .user_pool_id(pool)
        .username(username)
        .send()
        .await
        .is_ok();
    if exists {
        cognito
            .admin_update_user_attributes()
            .user_pool_id(pool)
            .username(username)
            .set_user_attributes(Some(attrs.to_vec()))
            .send()
            .await
            .unwrap();
    } else {
        cognito
            .admin_create_user()
            .user_pool_id(pool)
            .username(username)
            .set_user_attributes(Some(attrs.to_vec()))
            .message_action(aws_sdk_cognitoidentityprovider::types::MessageActionType::Suppress)
            .send()
            .await
            .unwrap();
        cognito
            .admin_set_user_password()
            .user_pool_id(pool)
            .username(username)
            .password(POOL_PASSWORD)
            .permanent(true)
            .send()
            .await
            .unwrap();
    }
    cognito
        .admin_initiate_auth()
        .user_pool_id(pool)
        .client_id(client_id)
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .auth_parameters("USERNAME", username)
        .auth_parameters("PASSWORD", POOL_PASSWORD)
        .send()
        .await
        .unwrap()
        .authentication_result
        .and_then(|r| r.id_token)
        .expect("the pool issued no id token")
}

const POOL_PASSWORD: &str = "Hosted-UI-pass-1";

/// The bodies of the messages SES was asked to send from `from` to `email`,
/// oldest first, as the emulator lists them.
pub fn sent_to(from: &str, email: &str) -> Vec<String> {
    let Some(base) = endpoint() else {
        return Vec::new();
    };
    // The emulator builds this dump from live state and now and then fails
    // (500) while other tests write; a fresh try succeeds.
    let mut tries = 0;
    let data: Value = loop {
        tries += 1;
        match ureq::get(&format!("{base}/moto-api/data.json")).call() {
            Ok(r) => break r.into_json().unwrap(),
            Err(e) if tries < 10 => {
                eprintln!("moto data.json: {e}; retrying");
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            Err(e) => panic!("moto data.json: {e}"),
        }
    };
    data["ses"]["Message"]
        .as_array()
        .map(|messages| {
            messages
                .iter()
                .filter(|m| m["source"] == from)
                .filter(|m| {
                    m["destinations"]["ToAddresses"]
                        .as_array()
                        .is_some_and(|to| to.iter().any(|a| a == email))
                })
                .filter_map(|m| m["body"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The invite link in a message body.
pub fn link_in(body: &str) -> Option<String> {
    link_to(body, "/signup?token=")
}

/// The first link holding `page` in a message body.
pub fn link_to(body: &str, page: &str) -> Option<String> {
    body.match_indices("http").find_map(|(start, _)| {
        let link: String = body[start..]
            .chars()
            .take_while(|c| !matches!(c, '"' | '<' | '>' | '\'' | ' ' | '\n'))
            .collect();
        link.contains(page).then_some(link)
    })
}
