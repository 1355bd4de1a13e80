//! `user/login`, `user/refresh`, `user/logout`.

use roster_core::domain::Name;
use roster_core::users::{HostedLogin, LoginOutcome};
use roster_core::Roster;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::schema;
use crate::views::{self, Reply};
use crate::{ApiError, Call};

/// The forms of `user/login` (DESIGN §4), told apart by their fields: any
/// other mix is `BAD_REQUEST`. The first four carry a password or a code;
/// the last three go with a hosted-UI id token in `Authorization: Bearer`.
#[derive(Deserialize, JsonSchema)]
#[serde(untagged)]
#[schemars(rename = "LoginRequest")]
pub(crate) enum LoginBody {
    Password(PasswordForm),
    Challenge(ChallengeForm),
    Invite(InviteForm),
    Register(RegisterForm),
    HostedRegister(HostedRegisterForm),
    HostedInvite(HostedInviteForm),
    Hosted(HostedForm),
}

/// `{email, password}`.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PasswordForm {
    #[schemars(with = "schema::Email")]
    email: String,
    #[schemars(with = "schema::CurrentPassword")]
    password: String,
}

/// `{session, code}`: the second step, with the challenge's `session` and
/// a TOTP or recovery code.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ChallengeForm {
    #[schemars(with = "schema::Secret")]
    session: String,
    #[schemars(with = "schema::Code")]
    code: String,
}

/// `{invite, password, first?, last?}`: signs up from an invite's link
/// (its token) and logs in at once.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct InviteForm {
    #[schemars(with = "schema::Secret")]
    invite: String,
    #[schemars(with = "schema::NewPassword")]
    password: String,
    #[schemars(with = "Option<schema::Name>")]
    first: Option<String>,
    #[schemars(with = "Option<schema::Name>")]
    last: Option<String>,
}

/// `{register: true, email, password, accountName}` (open registration):
/// mails a link that creates the account when used.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct RegisterForm {
    #[allow(dead_code)] // tells the form apart
    register: True,
    #[schemars(with = "schema::Email")]
    email: String,
    #[schemars(with = "schema::NewPassword")]
    password: String,
    #[schemars(with = "schema::Title")]
    account_name: String,
}

/// `{register: true, accountName?}` with a hosted-UI token: a new account
/// for that identity.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct HostedRegisterForm {
    #[allow(dead_code)] // tells the form apart
    register: True,
    #[schemars(with = "Option<schema::Title>")]
    account_name: Option<String>,
}

/// `{invite, first?, last?}` with a hosted-UI token: follows an invite as
/// that identity.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct HostedInviteForm {
    #[schemars(with = "schema::Secret")]
    invite: String,
    #[schemars(with = "Option<schema::Name>")]
    first: Option<String>,
    #[schemars(with = "Option<schema::Name>")]
    last: Option<String>,
}

/// `{}` with a hosted-UI token: the user that identity is linked to.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct HostedForm {}

/// `true`, and only that.
pub(crate) struct True;

impl<'de> Deserialize<'de> for True {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match bool::deserialize(d)? {
            true => Ok(True),
            false => Err(serde::de::Error::custom("register is true or absent")),
        }
    }
}

impl JsonSchema for True {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "True".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"const": true})
    }
}

fn names(field: &'static str, value: Option<String>) -> Result<Option<Name>, ApiError> {
    Ok(value
        .as_deref()
        .map(|v| Name::parse(field, v))
        .transpose()?)
}

/// The body as one of the forms; a body that is none of them says which
/// there are.
fn form(call: &Call) -> Result<LoginBody, ApiError> {
    call.body().map_err(|e: ApiError| {
        if e.message.starts_with("the body is not valid JSON") {
            return e;
        }
        ApiError::bad_request(
            "user/login takes {email, password}, {session, code}, \
             {invite, password, first?, last?}, {register: true, email, password, accountName}, \
             or, with a hosted-UI token, {}, {register: true, accountName?} or {invite, first?, last?}",
        )
    })
}

/// A hosted-UI form: the id token in `Authorization: Bearer` is what
/// proves who is calling.
async fn hosted(
    roster: &Roster,
    bearer: Option<&str>,
    form: HostedLogin,
) -> Result<roster_core::users::Tokens, ApiError> {
    Ok(roster.login_hosted(id_token(bearer)?, form).await?)
}

/// The hosted UI's token, which the hosted forms need.
fn id_token(bearer: Option<&str>) -> Result<&str, ApiError> {
    Ok(bearer.ok_or(roster_core::Error::Unauthenticated(
        "this form of user/login needs a hosted-UI token in Authorization: Bearer",
    ))?)
}

pub async fn login(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let bearer = call.bearer.as_deref();
    let tokens = match form(&call)? {
        LoginBody::Password(PasswordForm { email, password }) => {
            match roster.login(&email, &password).await? {
                LoginOutcome::Tokens(t) => *t,
                LoginOutcome::Challenge { session } => {
                    return Reply::json(&views::LoginAnswer::Challenge(views::Challenge {
                        challenge: "MFA",
                        session: &session,
                    }))
                }
            }
        }
        LoginBody::Challenge(ChallengeForm { session, code }) => {
            roster.login_with_code(&session, &code).await?
        }
        LoginBody::Invite(InviteForm {
            invite,
            password,
            first,
            last,
        }) => {
            roster
                .signup_and_login(
                    &invite,
                    names("first", first)?,
                    names("last", last)?,
                    &password,
                )
                .await?
        }
        // The mailbox is proven first: the same answer for every address.
        LoginBody::Register(RegisterForm {
            email,
            password,
            account_name,
            ..
        }) => {
            roster.register(&email, &password, &account_name).await?;
            return Reply::accepted();
        }
        LoginBody::HostedRegister(HostedRegisterForm { account_name, .. }) => {
            hosted(roster, bearer, HostedLogin::Register { account_name }).await?
        }
        LoginBody::HostedInvite(HostedInviteForm {
            invite,
            first,
            last,
        }) => {
            // Who is calling first: without the token, the names are moot.
            id_token(bearer)?;
            let form = HostedLogin::Invite {
                token: invite,
                first: names("first", first)?,
                last: names("last", last)?,
            };
            hosted(roster, bearer, form).await?
        }
        LoginBody::Hosted(HostedForm {}) => hosted(roster, bearer, HostedLogin::Linked).await?,
    };
    Reply::json(&views::LoginAnswer::Tokens(views::tokens(&tokens)))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct RefreshBody {
    #[schemars(with = "schema::Secret")]
    refresh_token: String,
}

pub async fn refresh(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let body: RefreshBody = call.body()?;
    let tokens = roster.refresh(&body.refresh_token).await?;
    Reply::json(&views::tokens(&tokens))
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct LogoutBody {
    /// Every session of the caller, not only this one.
    #[serde(default)]
    all: bool,
}

pub async fn logout(roster: &Roster, call: Call) -> Result<Reply, ApiError> {
    let body: LogoutBody = call.body()?;
    roster.logout(call.caller()?, body.all).await?;
    Reply::empty()
}
