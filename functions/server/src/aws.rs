//! `--backend aws`: DynamoDB, SES and Cognito, optionally provisioned.

use roster_aws::{provision, AwsSettings};
use roster_core::{Roster, Settings};

use crate::config::Config;

pub async fn build(config: &Config, settings: Settings) -> Result<Roster, String> {
    let sdk = roster_aws::sdk_config().await;
    let (pool, client) = match (&config.user_pool_id, &config.client_id, config.provision) {
        (Some(pool), Some(client), _) => (pool.clone(), client.clone()),
        (_, _, true) => {
            let cognito = aws_sdk_cognitoidentityprovider::Client::new(&sdk);
            provision::user_pool(&cognito, &config.table).await?
        }
        _ => {
            return Err(
                "--backend aws needs --user-pool-id and --client-id (or --provision)".into(),
            )
        }
    };
    if config.provision {
        let dynamo = aws_sdk_dynamodb::Client::new(&sdk);
        provision::table(&dynamo, &config.table).await?;
        let ses = aws_sdk_sesv2::Client::new(&sdk);
        provision::sender(&ses, bare_address(&config.mail_from)).await?;
        tracing::info!(table = %config.table, pool = %pool, client = %client, "provisioned");
    }
    let signing_key = match &config.signing_key {
        Some(key) => key.clone(),
        None => roster_embedded::signing_key_base64(&config.data_dir)?,
    };
    let (issuer, jwks_url) = roster_aws::hosted_ui_urls(
        &pool,
        config.cognito_issuer.clone(),
        config.jwks_url.clone(),
    );
    let aws = AwsSettings {
        table: config.table.clone(),
        issuer,
        jwks_url,
        user_pool_id: pool,
        client_id: client,
        mail_from: config.mail_from.clone(),
        signing_key,
    };
    roster_aws::open(&sdk, &aws, settings)
}

/// `Name <a@b>` → `a@b`.
fn bare_address(from: &str) -> &str {
    match (from.find('<'), from.rfind('>')) {
        (Some(a), Some(b)) if a < b => &from[a + 1..b],
        _ => from.trim(),
    }
}
