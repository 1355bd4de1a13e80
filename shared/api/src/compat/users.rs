//! An admin managing the account's users: `insert_user` (an invite: status
//! Pending, mail sent, seat held), `edit_user` — on the hosted API its
//! `userType` only, on the local API a whole User whose omitted fields keep
//! their values — `delete_user?id=` (a removal, which keeps a tombstone) and
//! `resend_user_email`. The local API's documented 50-character limits on
//! `firstname`, `lastname`, `username` and `email` hold there only.

use roster_core::domain::{Email, Name, Role, UserId, UserState};
use roster_core::users::{UpdateUser, UserRef};
use roster_core::{Error, Roster};
use schemars::JsonSchema;
use serde::Deserialize;

use super::shapes;
use super::{CompatError, CompatReply};
use crate::Call;

/// The local API's longest names and addresses.
const LOCAL_MAX: usize = 50;

fn at_most_50(field: &'static str, value: Option<&str>) -> Result<(), Error> {
    match value {
        Some(v) if v.trim().chars().count() > LOCAL_MAX => Err(Error::invalid(
            field,
            format!("{field} is longer than {LOCAL_MAX} characters"),
        )),
        _ => Ok(()),
    }
}

/// A user to invite: its e-mail as `username` or `email` (or both, the same).
#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "CompatInsertUser")]
pub(crate) struct InsertBody {
    #[schemars(with = "Option<crate::schema::Email>")]
    username: Option<String>,
    #[schemars(with = "Option<crate::schema::Email>")]
    email: Option<String>,
    #[schemars(with = "Option<crate::schema::Name>")]
    firstname: Option<String>,
    #[schemars(with = "Option<crate::schema::Name>")]
    lastname: Option<String>,
    #[schemars(with = "UserTypeSchema")]
    #[serde(deserialize_with = "crate::call::integral")]
    user_type: i64,
}

/// A `userType` roster takes: one flag.
struct UserTypeSchema;

impl JsonSchema for UserTypeSchema {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "CompatUserType".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "integer",
            "enum": [shapes::ADMIN, shapes::USER, shapes::VIEWER],
            "description": "16 admin, 32 user, 64 viewer.",
        })
    }
}

/// A `status` roster takes.
struct StatusSchema;

impl JsonSchema for StatusSchema {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "CompatUserStatus".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "integer",
            "enum": [shapes::ACTIVE, shapes::INACTIVE, shapes::PENDING],
            "description": "1 active, 2 inactive (disabled), 4 pending.",
        })
    }
}

/// The e-mail of an insert: `username` and `email` name the same address
/// (either may be left out); two that disagree are `INVALID`.
fn insert_email(b: &InsertBody) -> Result<Email, Error> {
    let username = b.username.as_deref().map(Email::parse).transpose();
    let username =
        username.map_err(|_| Error::invalid("username", "username is an e-mail address"))?;
    let email = b.email.as_deref().map(Email::parse).transpose()?;
    match (username, email) {
        (Some(u), Some(e)) if u != e => Err(Error::invalid(
            "email",
            "username and email name different addresses",
        )),
        (Some(u), _) => Ok(u),
        (None, Some(e)) => Ok(e),
        (None, None) => Err(Error::invalid("username", "username is required")),
    }
}

async fn insert(roster: &Roster, call: Call, local: bool) -> Result<CompatReply, CompatError> {
    let b: InsertBody = call.body()?;
    if local {
        at_most_50("firstname", b.firstname.as_deref())?;
        at_most_50("lastname", b.lastname.as_deref())?;
        at_most_50("username", b.username.as_deref())?;
        at_most_50("email", b.email.as_deref())?;
    }
    let email = insert_email(&b)?;
    let first = Name::parse("firstname", b.firstname.as_deref().unwrap_or(""))?;
    let last = Name::parse("lastname", b.lastname.as_deref().unwrap_or(""))?;
    let role = shapes::role_of(b.user_type)?;
    let (user, _) = roster
        .invite(call.caller()?, email, first, last, role)
        .await?;
    CompatReply::json(&shapes::user_object(&user))
}

pub async fn insert_hosted(roster: &Roster, call: Call) -> Result<CompatReply, CompatError> {
    insert(roster, call, false).await
}

pub async fn insert_local(roster: &Roster, call: Call) -> Result<CompatReply, CompatError> {
    insert(roster, call, true).await
}

#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "CompatEditUserType")]
pub(crate) struct EditTypeBody {
    #[schemars(with = "crate::schema::Id")]
    id: String,
    #[schemars(with = "UserTypeSchema")]
    #[serde(deserialize_with = "crate::call::integral")]
    user_type: i64,
}

/// The hosted `edit_user`: the user's type only (the owner's is refused).
pub async fn edit_hosted(roster: &Roster, call: Call) -> Result<CompatReply, CompatError> {
    let b: EditTypeBody = call.body()?;
    let id = UserId::parse_field("id", &b.id)?;
    let role = shapes::role_of(b.user_type)?;
    let (user, _) = roster.update_role(call.caller()?, id, role, false).await?;
    CompatReply::json(&shapes::user_object(&user))
}

/// A whole User; what it leaves out keeps its value.
#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "CompatEditUser")]
pub(crate) struct EditUserBody {
    #[schemars(with = "crate::schema::Id")]
    id: String,
    #[schemars(with = "Option<LocalName>")]
    firstname: Option<String>,
    #[schemars(with = "Option<LocalName>")]
    lastname: Option<String>,
    #[schemars(with = "Option<UserTypeSchema>")]
    #[serde(default, deserialize_with = "crate::call::integral_opt")]
    user_type: Option<i64>,
    #[schemars(with = "Option<StatusSchema>")]
    #[serde(default, deserialize_with = "crate::call::integral_opt")]
    status: Option<i64>,
}

/// A name on the local API: at most 50 characters.
struct LocalName;

impl JsonSchema for LocalName {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "CompatLocalName".into()
    }

    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"allOf": [g.subschema_for::<crate::schema::Name>()], "maxLength": LOCAL_MAX})
    }
}

/// The local `edit_user`: a whole User; what it leaves out keeps its value.
/// Every value is checked before anything is written; the type changes
/// first, then names and status (Active ↔ enabled, Inactive ↔ disabled).
pub async fn edit_local(roster: &Roster, call: Call) -> Result<CompatReply, CompatError> {
    let b: EditUserBody = call.body()?;
    at_most_50("firstname", b.firstname.as_deref())?;
    at_most_50("lastname", b.lastname.as_deref())?;
    let id = UserId::parse_field("id", &b.id)?;
    let role: Option<Role> = b.user_type.map(shapes::role_of).transpose()?;
    let state: Option<UserState> = b.status.map(shapes::state_of).transpose()?;
    let first = b
        .firstname
        .as_deref()
        .map(|n| Name::parse("firstname", n))
        .transpose()?;
    let last = b
        .lastname
        .as_deref()
        .map(|n| Name::parse("lastname", n))
        .transpose()?;
    let caller = call.caller()?;
    let current = roster
        .get_user(caller, roster_core::users::UserRef::Id(id))
        .await?;
    if let Some(role) =
        role.filter(|r| *r != current.role && !(current.role == Role::Owner && *r == Role::Admin))
    {
        roster.update_role(caller, id, role, false).await?;
    }
    let user = roster
        .update_user(
            caller,
            UpdateUser {
                id: Some(id),
                first,
                last,
                preferences: None,
                email: None,
                state,
            },
        )
        .await?;
    CompatReply::json(&shapes::user_object(&user))
}

/// `delete_user?id=`: removes the user (its seat, e-mail, memberships and
/// sessions go; a tombstone stays for `deleted=true`).
pub async fn delete(roster: &Roster, call: Call) -> Result<CompatReply, CompatError> {
    let id = UserId::parse_field("id", super::offset::Params::of(&call).required("id")?)?;
    roster.remove_user(call.caller()?, UserRef::Id(id)).await?;
    Ok(CompatReply::Empty)
}

#[derive(Deserialize, JsonSchema)]
#[schemars(rename = "CompatResendUserEmail")]
pub(crate) struct ResendBody {
    /// Any text: the answer is the same for every input.
    username: String,
}

/// The hosted, unauthenticated `resend_user_email {username}`: 200 whether
/// or not a pending invite matches (the document's 400 for an unknown
/// address would tell who was invited), at most 3 mails an hour.
pub async fn resend_public(roster: &Roster, call: Call) -> Result<CompatReply, CompatError> {
    let b: ResendBody = call.body()?;
    roster.resend_invite_by_email(&b.username).await;
    Ok(CompatReply::Empty)
}

/// A User object naming the pending user: by `id`, else `username`, else
/// `email`. An empty one is not given (a client may send a blank object).
#[derive(Deserialize, JsonSchema)]
#[schemars(rename = "CompatUserRef")]
pub(crate) struct UserRefBody {
    #[schemars(with = "Option<BlankOr<crate::schema::Id>>")]
    id: Option<String>,
    #[schemars(with = "Option<BlankOr<crate::schema::Email>>")]
    username: Option<String>,
    #[schemars(with = "Option<BlankOr<crate::schema::Email>>")]
    email: Option<String>,
}

/// A `T`, or `""` for none.
struct BlankOr<T>(std::marker::PhantomData<T>);

impl<T: JsonSchema> JsonSchema for BlankOr<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("BlankOr{}", T::schema_name()).into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"anyOf": [g.subschema_for::<T>(), {"const": ""}]})
    }
}

/// A field that is given: present and not empty.
fn given(field: Option<String>) -> Option<String> {
    field.filter(|v| !v.is_empty())
}

/// The local `resend_user_email`: a User object naming the pending user by
/// `id`, else by `username` or `email`; an admin sends its invite again.
pub async fn resend_local(roster: &Roster, call: Call) -> Result<CompatReply, CompatError> {
    let b: UserRefBody = call.body()?;
    // Every field given must be what it says, even one the next outranks.
    let id = given(b.id)
        .as_deref()
        .map(|id| UserId::parse_field("id", id))
        .transpose()?;
    let username = given(b.username)
        .as_deref()
        .map(|u| {
            Email::parse(u).map_err(|_| Error::invalid("username", "username is an e-mail address"))
        })
        .transpose()?;
    let email = given(b.email).as_deref().map(Email::parse).transpose()?;
    let target = match (id, username.or(email)) {
        (Some(id), _) => UserRef::Id(id),
        (None, Some(email)) => UserRef::Email(email),
        (None, None) => return Err(Error::invalid("id", "id or username is required").into()),
    };
    roster.resend_invite(call.caller()?, target).await?;
    Ok(CompatReply::Empty)
}
