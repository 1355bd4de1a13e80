//! `user/login`, `user/refresh`, `user/logout`.

use roster_core::domain::Name;
use roster_core::users::{HostedLogin, LoginOutcome};
use roster_core::Roster;
use serde::Deserialize;
use serde_json::json;

use crate::views::{self, Reply};
use crate::{ApiError, Call};

/// Every field of every login form; which are present picks the form.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct LoginBody {
    email: Option<String>,
    password: Option<String>,
    session: Option<String>,
    code: Option<String>,
    invite: Option<String>,
    first: Option<String>,
    last: Option<String>,
    register: Option<bool>,
    account_name: Option<String>,
}

/// The forms of DESIGN §4; any other mix of fields is `BAD_REQUEST`.
enum Form {
    Password {
        email: String,
        password: String,
    },
    Challenge {
        session: String,
        code: String,
    },
    Invite {
        token: String,
        password: String,
        first: Option<String>,
        last: Option<String>,
    },
    Register {
        email: String,
        password: String,
        account_name: String,
    },
}

fn form(b: LoginBody) -> Result<Form, ApiError> {
    let bad = || {
        ApiError::bad_request(
            "user/login takes {email, password}, {session, code}, \
             {invite, password, first?, last?} or {register: true, email, password, accountName}",
        )
    };
    match b {
        LoginBody {
            email: Some(email),
            password: Some(password),
            session: None,
            code: None,
            invite: None,
            first: None,
            last: None,
            register: None,
            account_name: None,
        } => Ok(Form::Password { email, password }),
        LoginBody {
            session: Some(session),
            code: Some(code),
            email: None,
            password: None,
            invite: None,
            first: None,
            last: None,
            register: None,
            account_name: None,
        } => Ok(Form::Challenge { session, code }),
        LoginBody {
            invite: Some(token),
            password: Some(password),
            first,
            last,
            email: None,
            session: None,
            code: None,
            register: None,
            account_name: None,
        } => Ok(Form::Invite {
            token,
            password,
            first,
            last,
        }),
        LoginBody {
            register: Some(true),
            email: Some(email),
            password: Some(password),
            account_name: Some(account_name),
            session: None,
            code: None,
            invite: None,
            first: None,
            last: None,
        } => Ok(Form::Register {
            email,
            password,
            account_name,
        }),
        _ => Err(bad()),
    }
}

/// The forms that go with a hosted-UI id token in `Authorization: Bearer`.
fn hosted_form(b: LoginBody) -> Result<HostedLogin, ApiError> {
    let bad = || {
        ApiError::bad_request(
            "with a hosted-UI token, user/login takes {}, {register: true, accountName?} \
             or {invite, first?, last?}",
        )
    };
    match b {
        LoginBody {
            email: None,
            password: None,
            session: None,
            code: None,
            invite: None,
            first: None,
            last: None,
            register: None,
            account_name: None,
        } => Ok(HostedLogin::Linked),
        LoginBody {
            register: Some(true),
            account_name,
            email: None,
            password: None,
            session: None,
            code: None,
            invite: None,
            first: None,
            last: None,
        } => Ok(HostedLogin::Register { account_name }),
        LoginBody {
            invite: Some(token),
            first,
            last,
            email: None,
            password: None,
            session: None,
            code: None,
            register: None,
            account_name: None,
        } => Ok(HostedLogin::Invite {
            token,
            first: names("first", first)?,
            last: names("last", last)?,
        }),
        _ => Err(bad()),
    }
}

fn names(field: &'static str, value: Option<String>) -> Result<Option<Name>, ApiError> {
    Ok(value
        .as_deref()
        .map(|v| Name::parse(field, v))
        .transpose()?)
}

pub async fn login(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    call.no_query()?;
    if let Some(id_token) = &call.bearer {
        let tokens = roster
            .login_hosted(id_token, hosted_form(call.body()?)?)
            .await?;
        return Reply::json(&views::tokens(&tokens));
    }
    let tokens = match form(call.body()?)? {
        Form::Password { email, password } => match roster.login(&email, &password).await? {
            LoginOutcome::Tokens(t) => *t,
            LoginOutcome::Challenge { session } => {
                return Reply::json(&json!({"challenge": "MFA", "session": session}))
            }
        },
        Form::Challenge { session, code } => roster.login_with_code(&session, &code).await?,
        Form::Invite {
            token,
            password,
            first,
            last,
        } => {
            roster
                .signup_and_login(
                    &token,
                    names("first", first)?,
                    names("last", last)?,
                    &password,
                )
                .await?
        }
        // The mailbox is proven first: the same answer for every address.
        Form::Register {
            email,
            password,
            account_name,
        } => {
            roster.register(&email, &password, &account_name).await?;
            return Reply::accepted();
        }
    };
    Reply::json(&views::tokens(&tokens))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct RefreshBody {
    refresh_token: String,
}

pub async fn refresh(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    call.no_query()?;
    let body: RefreshBody = call.body()?;
    let tokens = roster.refresh(&body.refresh_token).await?;
    Reply::json(&views::tokens(&tokens))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct LogoutBody {
    #[serde(default)]
    all: bool,
}

pub async fn logout(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    call.no_query()?;
    let body: LogoutBody = call.body()?;
    roster.logout(call.caller()?, body.all).await?;
    Reply::empty()
}
