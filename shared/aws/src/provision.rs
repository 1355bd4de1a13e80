//! `--provision`: create what roster needs when it is missing — the table, a
//! user pool and its app client, the sender's SES identity. For emulators and
//! throwaway accounts; production resources come from `infra/template.yaml`.

use aws_sdk_cognitoidentityprovider as cognito;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType, TimeToLiveSpecification,
};
use aws_sdk_dynamodb::Client as Dynamo;

use crate::table::GS1;

fn err(what: &str, e: impl std::fmt::Debug) -> String {
    format!("{what}: {e:?}")
}

/// Creates the table (`pk`/`sk`, `gs1` on `gs1pk`/`gs1sk`, on-demand, TTL on
/// `ttl`) unless it exists.
pub async fn table(client: &Dynamo, name: &str) -> Result<(), String> {
    if client
        .describe_table()
        .table_name(name)
        .send()
        .await
        .is_ok()
    {
        return Ok(());
    }
    let attr = |n: &str| {
        AttributeDefinition::builder()
            .attribute_name(n)
            .attribute_type(ScalarAttributeType::S)
            .build()
            .map_err(|e| err("attribute", e))
    };
    let key = |n: &str, t: KeyType| {
        KeySchemaElement::builder()
            .attribute_name(n)
            .key_type(t)
            .build()
            .map_err(|e| err("key", e))
    };
    let gs1 = GlobalSecondaryIndex::builder()
        .index_name(GS1)
        .key_schema(key("gs1pk", KeyType::Hash)?)
        .key_schema(key("gs1sk", KeyType::Range)?)
        .projection(
            Projection::builder()
                .projection_type(ProjectionType::All)
                .build(),
        )
        .build()
        .map_err(|e| err("gs1", e))?;
    client
        .create_table()
        .table_name(name)
        .billing_mode(BillingMode::PayPerRequest)
        .attribute_definitions(attr("pk")?)
        .attribute_definitions(attr("sk")?)
        .attribute_definitions(attr("gs1pk")?)
        .attribute_definitions(attr("gs1sk")?)
        .key_schema(key("pk", KeyType::Hash)?)
        .key_schema(key("sk", KeyType::Range)?)
        .global_secondary_indexes(gs1)
        .send()
        .await
        .map_err(|e| err("CreateTable", e))?;
    for _ in 0..120 {
        let out = client
            .describe_table()
            .table_name(name)
            .send()
            .await
            .map_err(|e| err("DescribeTable", e))?;
        let active = out
            .table
            .and_then(|t| t.table_status)
            .is_some_and(|s| s.as_str() == "ACTIVE");
        if active {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    client
        .update_time_to_live()
        .table_name(name)
        .time_to_live_specification(
            TimeToLiveSpecification::builder()
                .attribute_name("ttl")
                .enabled(true)
                .build()
                .map_err(|e| err("ttl", e))?,
        )
        .send()
        .await
        .map_err(|e| err("UpdateTimeToLive", e))?;
    Ok(())
}

/// The pool named `name` (created when missing) and its app client named
/// `name`: returns `(pool id, client id)`.
pub async fn user_pool(client: &cognito::Client, name: &str) -> Result<(String, String), String> {
    use cognito::types::{
        ExplicitAuthFlowsType, PasswordPolicyType, PreventUserExistenceErrorTypes, UserPoolMfaType,
        UserPoolPolicyType,
    };
    // Page through every pool: an account (or emulator) may hold many.
    let mut existing: Option<String>;
    let mut next: Option<String> = None;
    loop {
        let page = client
            .list_user_pools()
            .max_results(60)
            .set_next_token(next.take())
            .send()
            .await
            .map_err(|e| err("ListUserPools", e))?;
        existing = page
            .user_pools()
            .iter()
            .find(|p| p.name() == Some(name))
            .and_then(|p| p.id().map(str::to_string));
        next = page.next_token;
        if existing.is_some() || next.is_none() {
            break;
        }
    }
    let pool_id = match existing {
        Some(id) => id,
        None => {
            // roster checks the password rules itself (common passwords, not
            // the e-mail); the pool only repeats the length.
            let policy = PasswordPolicyType::builder()
                .minimum_length(10)
                .require_uppercase(false)
                .require_lowercase(false)
                .require_numbers(false)
                .require_symbols(false)
                .build();
            let out = client
                .create_user_pool()
                .pool_name(name)
                .policies(
                    UserPoolPolicyType::builder()
                        .password_policy(policy)
                        .build(),
                )
                .mfa_configuration(UserPoolMfaType::Optional)
                .send()
                .await
                .map_err(|e| err("CreateUserPool", e))?;
            out.user_pool
                .and_then(|p| p.id)
                .ok_or("CreateUserPool returned no id")?
        }
    };
    let mut existing: Option<String>;
    let mut next: Option<String> = None;
    loop {
        let page = client
            .list_user_pool_clients()
            .user_pool_id(&pool_id)
            .max_results(60)
            .set_next_token(next.take())
            .send()
            .await
            .map_err(|e| err("ListUserPoolClients", e))?;
        existing = page
            .user_pool_clients()
            .iter()
            .find(|c| c.client_name() == Some(name))
            .and_then(|c| c.client_id().map(str::to_string));
        next = page.next_token;
        if existing.is_some() || next.is_none() {
            break;
        }
    }
    let client_id = match existing {
        Some(id) => id,
        None => client
            .create_user_pool_client()
            .user_pool_id(&pool_id)
            .client_name(name)
            .generate_secret(false)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowAdminUserPasswordAuth)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
            // Unknown users answer like wrong passwords, in like time.
            .prevent_user_existence_errors(PreventUserExistenceErrorTypes::Enabled)
            // Id tokens carry the e-mail roster links hosted-UI logins by.
            .read_attributes("email")
            .read_attributes("email_verified")
            .send()
            .await
            .map_err(|e| err("CreateUserPoolClient", e))?
            .user_pool_client
            .and_then(|c| c.client_id)
            .ok_or("CreateUserPoolClient returned no id")?,
    };
    Ok((pool_id, client_id))
}

/// The sender's SES identity (its address), unless it exists.
pub async fn sender(client: &aws_sdk_sesv2::Client, address: &str) -> Result<(), String> {
    if client
        .get_email_identity()
        .email_identity(address)
        .send()
        .await
        .is_ok()
    {
        return Ok(());
    }
    client
        .create_email_identity()
        .email_identity(address)
        .send()
        .await
        .map_err(|e| err("CreateEmailIdentity", e))?;
    Ok(())
}
