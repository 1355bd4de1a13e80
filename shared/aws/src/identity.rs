//! `Identity` on a Cognito user pool. The login name is the roster user id.
//!
//! Logins are created at signup with `AdminCreateUser` (no Cognito mail) and
//! `AdminSetUserPassword`, both safe to repeat after a crash between them.
//! Passwords are checked with `AdminInitiateAuth` (`ADMIN_USER_PASSWORD_AUTH`);
//! an unknown user is checked against a name that never exists, so it costs
//! the same round trip.

use async_trait::async_trait;
use aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata;
use aws_sdk_cognitoidentityprovider::types::{AttributeType, AuthFlowType, MessageActionType};
use aws_sdk_cognitoidentityprovider::Client;
use roster_core::ports::{Identity, PasswordCheck, PortError};

use crate::lazy::Lazy;

/// A login name that is never created (not a ULID: it has a `-`).
const NOBODY: &str = "roster-nobody";

pub struct CognitoIdentity {
    client: Lazy<Client>,
    pool: String,
    app_client: String,
}

impl CognitoIdentity {
    pub fn new(
        client: Lazy<Client>,
        pool: impl Into<String>,
        app_client: impl Into<String>,
    ) -> Self {
        CognitoIdentity {
            client,
            pool: pool.into(),
            app_client: app_client.into(),
        }
    }
}

fn port_err(what: &str, code: &str, e: impl std::fmt::Debug) -> PortError {
    match code {
        "InvalidPasswordException" => {
            PortError::Invalid("the identity provider refused this password".into())
        }
        "TooManyRequestsException" | "LimitExceededException" => {
            PortError::Unavailable(format!("Cognito {what}: {code}"))
        }
        _ => PortError::Internal(format!("Cognito {what}: {e:?}")),
    }
}

macro_rules! call {
    ($what:literal, $req:expr) => {
        match $req.send().await {
            Ok(out) => Ok(out),
            Err(e) => {
                let code = e.code().unwrap_or("").to_string();
                Err((code, e))
            }
        }
    };
}

#[async_trait]
impl Identity for CognitoIdentity {
    async fn create_login(
        &self,
        login: &str,
        email: &str,
        password: &str,
    ) -> Result<(), PortError> {
        let c = self.client.get();
        let email_attr = AttributeType::builder()
            .name("email")
            .value(email)
            .build()
            .map_err(|e| PortError::Internal(format!("attribute: {e}")))?;
        let created = call!(
            "AdminCreateUser",
            c.admin_create_user()
                .user_pool_id(&self.pool)
                .username(login)
                .message_action(MessageActionType::Suppress)
                .user_attributes(email_attr)
        );
        match created {
            Ok(_) => {}
            // A retry after a crash between the two calls.
            Err((code, _)) if code == "UsernameExistsException" => {}
            Err((code, e)) => return Err(port_err("AdminCreateUser", &code, e)),
        }
        self.set_password(login, password).await
    }

    async fn set_password(&self, login: &str, password: &str) -> Result<(), PortError> {
        call!(
            "AdminSetUserPassword",
            self.client
                .get()
                .admin_set_user_password()
                .user_pool_id(&self.pool)
                .username(login)
                .password(password)
                .permanent(true)
        )
        .map(|_| ())
        .map_err(|(code, e)| port_err("AdminSetUserPassword", &code, e))
    }

    async fn check_password(
        &self,
        login: Option<&str>,
        password: &str,
    ) -> Result<PasswordCheck, PortError> {
        let out = call!(
            "AdminInitiateAuth",
            self.client
                .get()
                .admin_initiate_auth()
                .user_pool_id(&self.pool)
                .client_id(&self.app_client)
                .auth_flow(AuthFlowType::AdminUserPasswordAuth)
                .auth_parameters("USERNAME", login.unwrap_or(NOBODY))
                .auth_parameters("PASSWORD", password)
        );
        match out {
            Ok(out) if out.authentication_result.is_some() => Ok(PasswordCheck::Ok),
            Ok(out) => match (out.challenge_name, out.session) {
                (Some(name), Some(session)) if name.as_str() == "SOFTWARE_TOKEN_MFA" => {
                    Ok(PasswordCheck::MfaRequired { session })
                }
                (name, _) => Err(PortError::Internal(format!(
                    "Cognito AdminInitiateAuth: unexpected challenge {name:?}"
                ))),
            },
            Err((code, _))
                if matches!(
                    code.as_str(),
                    "NotAuthorizedException"
                        | "UserNotFoundException"
                        | "UserNotConfirmedException"
                        | "PasswordResetRequiredException"
                ) =>
            {
                Ok(PasswordCheck::Refused)
            }
            Err((code, e)) => Err(port_err("AdminInitiateAuth", &code, e)),
        }
    }

    async fn disable_login(&self, login: &str) -> Result<(), PortError> {
        ignore_missing(call!(
            "AdminDisableUser",
            self.client
                .get()
                .admin_disable_user()
                .user_pool_id(&self.pool)
                .username(login)
        ))
        .map_err(|(code, e)| port_err("AdminDisableUser", &code, e))
    }

    async fn enable_login(&self, login: &str) -> Result<(), PortError> {
        ignore_missing(call!(
            "AdminEnableUser",
            self.client
                .get()
                .admin_enable_user()
                .user_pool_id(&self.pool)
                .username(login)
        ))
        .map_err(|(code, e)| port_err("AdminEnableUser", &code, e))
    }

    async fn delete_login(&self, login: &str) -> Result<(), PortError> {
        ignore_missing(call!(
            "AdminDeleteUser",
            self.client
                .get()
                .admin_delete_user()
                .user_pool_id(&self.pool)
                .username(login)
        ))
        .map_err(|(code, e)| port_err("AdminDeleteUser", &code, e))
    }
}

/// A login that is not there (a pending user never had one) is already in the
/// state asked for.
fn ignore_missing<T, E>(r: Result<T, (String, E)>) -> Result<(), (String, E)> {
    match r {
        Ok(_) => Ok(()),
        Err((code, _)) if code == "UserNotFoundException" => Ok(()),
        Err(e) => Err(e),
    }
}
