//! An example request and answer for every operation and route, for the
//! document's readers and for client generators. They are data, so the
//! tests hold each one to its operation's schemas (`tests/tests/api/
//! openapi.rs`): an example that drifts from the code fails there.

use roster_core::domain::UserId;
use serde_json::{json, Value};

const USER: &str = "01JD8X6S2M3W5T0K4E9Q7R1B2C";
const ADMIN: &str = "01JD8X3F7H2K9M4N6P8R0T1V3W";
const ACCOUNT: &str = "01JD8X5Q9W7C3N2M4K8T6R1P0A";
const GROUP: &str = "01JD8X7A4B5C6D7E8F9G0H1J2K";
const MEMBERSHIP: &str = "01JD8X9B3C4D5E6F7G8H9J0K1M";
const ENTRY: &str = "01JD8XA2B3C4D5E6F7G8H9J0K1";
const SCIM_TOKEN: &str = "01JD8XB4C5D6E7F8G9H0J1K2M3";
const AT: &str = "2026-11-23T09:30:00.000Z";
const LATER: &str = "2026-11-24T16:05:12.345Z";
const PASSWORD: &str = "correct horse battery staple";
const NEW_PASSWORD: &str = "a new and long passphrase";
const TOKEN: &str = "Jx3k9QmV2bN7wR4tY8uP1sD6fG0hK5lZ-aB_cE2iO";
const REFRESH: &str = "Qw8eR7tY6uI5oP4aS3dF2gH1jK0lZxCvBnM-opaque";
const URL: &str =
    "https://roster.example.com/signup?token=Jx3k9QmV2bN7wR4tY8uP1sD6fG0hK5lZ-aB_cE2iO";

/// An id as the replaced APIs write it.
fn uuid(ulid: &str) -> String {
    UserId::parse(ulid).map(|id| id.uuid()).unwrap_or_default()
}

fn user() -> Value {
    json!({
        "id": USER, "accountId": ACCOUNT, "email": "grace@example.com",
        "first": "Grace", "last": "Hopper", "role": "user", "state": "active", "mfa": false,
        "preferences": {"theme": "dark"}, "activity": LATER, "created": AT, "updated": LATER,
    })
}

fn pending() -> Value {
    let mut u = user();
    u["state"] = json!("pending");
    u["activity"] = Value::Null;
    u["preferences"] = json!({});
    u["updated"] = json!(AT);
    u["inviteUrl"] = json!(URL);
    u
}

fn scim_token() -> Value {
    json!({"id": SCIM_TOKEN, "name": "Okta", "created": AT, "createdBy": ADMIN})
}

fn counter(limit: i64, used: i64) -> Value {
    json!({"limit": limit, "used": used, "remaining": limit - used})
}

fn usage() -> Value {
    json!({
        "plan": "team",
        "seats": {"admin": counter(5, 1), "user": counter(50, 12), "viewer": counter(100, 3)},
        "groups": counter(20, 4),
        "features": {"storageGb": 100, "sso": false},
    })
}

fn account() -> Value {
    let mut a = usage();
    a["id"] = json!(ACCOUNT);
    a["name"] = json!("Acme");
    a["scimInviteMail"] = json!(true);
    a["created"] = json!(AT);
    a["updated"] = json!(LATER);
    a
}

fn group() -> Value {
    json!({
        "id": GROUP, "name": "Engineering", "description": "Everyone who ships code",
        "active": true, "members": 12, "created": AT, "updated": LATER,
    })
}

fn tokens() -> Value {
    let mut u = user();
    u["role"] = json!("admin");
    json!({
        "accessToken": "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiIwMUpEOFg2UzJNIn0.c2lnbmF0dXJl",
        "refreshToken": REFRESH, "expiresIn": 900, "user": u, "account": account(),
    })
}

fn page(item: Value) -> Value {
    json!({"data": [item], "next": "AbCdEf0123456789-_xyz"})
}

/// A native operation's example body.
pub(crate) fn request(path: &str) -> Value {
    match path {
        "user/find" => json!({"query": "gra", "role": "user", "details": true}),
        "user/get" | "user/resendInvite" => json!({"email": "grace@example.com"}),
        "user/login" => json!({"email": "ada@example.com", "password": PASSWORD}),
        "user/refresh" => json!({"refreshToken": REFRESH}),
        "user/logout" => json!({"all": false}),
        "user/update" => {
            json!({"id": USER, "first": "Grace", "last": "Hopper", "preferences": {"theme": "dark"}})
        }
        "user/updateRole" => json!({"id": USER, "role": "admin"}),
        "user/remove" | "user/resetMfa" => json!({"id": USER}),
        "user/invite" => {
            json!({"email": "grace@example.com", "first": "Grace", "last": "Hopper", "role": "user"})
        }
        "user/signupInfo" => json!({"token": TOKEN}),
        "user/signup" => {
            json!({"token": TOKEN, "first": "Grace", "last": "Hopper", "password": NEW_PASSWORD})
        }
        "user/changePassword" => json!({"currentPassword": PASSWORD, "password": NEW_PASSWORD}),
        "user/setMfa" => json!({"enabled": true, "code": "492039"}),
        "user/regenerateRecoveryCodes" => json!({"code": "492039"}),
        "user/forgotPassword" => json!({"email": "grace@example.com"}),
        "user/resetPassword" => json!({"token": TOKEN, "password": NEW_PASSWORD}),
        "account/update" => json!({"name": "Acme Corporation"}),
        "account/audit" => json!({"action": "user/invite"}),
        "account/scimTokenCreate" => json!({"name": "Okta"}),
        "account/scimTokenRevoke" => json!({"id": SCIM_TOKEN}),
        "group/create" => json!({"name": "Engineering", "description": "Everyone who ships code"}),
        "group/get" | "group/remove" => json!({"id": GROUP}),
        "group/update" => json!({"id": GROUP, "name": "Engineering", "active": true}),
        "group/find" => json!({"name": "eng"}),
        "group/assign" => json!({"assignments": [{"userId": USER, "groupId": GROUP}]}),
        "group/unassign" => json!({"userId": USER, "groupId": GROUP}),
        "group/members" => json!({"groupId": GROUP, "query": "gra"}),
        "group/ofUser" => json!({"userId": USER}),
        "group/import" => json!({"rows": [
            {"user": {"email": "grace@example.com", "first": "Grace", "last": "Hopper", "role": "user"},
             "groups": ["Engineering", "Compilers"]},
        ]}),
        _ => json!({}),
    }
}

/// A native operation's example answer with `status`.
pub(crate) fn answer(path: &str, status: u16) -> Value {
    match (path, status) {
        ("user/login", 202) => json!({}),
        ("user/login", _) | ("user/refresh", _) => tokens(),
        ("user/find", _) => {
            let mut u = user();
            u["groups"] = json!([{"id": GROUP, "name": "Engineering"}]);
            page(u)
        }
        ("group/members", _) => page(user()),
        ("user/get" | "user/update" | "user/updateRole" | "user/resetMfa", _) => user(),
        ("user/info", _) => {
            let mut u = user();
            u["accountName"] = json!("Acme");
            u["owner"] = json!(false);
            u["plan"] = json!("team");
            u["recoveryCodesLeft"] = json!(0);
            u
        }
        ("user/invite" | "user/resendInvite", _) => pending(),
        ("user/signupInfo", _) => json!({
            "email": "grace@example.com", "first": "Grace", "last": "Hopper", "role": "user",
            "accountName": "Acme", "expires": "2026-11-30T09:30:00.000Z",
        }),
        ("user/signup", _) => json!({"user": user(), "account": account()}),
        ("user/mfaSecret", _) => json!({
            "secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
            "otpauthUri": "otpauth://totp/roster:grace%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=roster",
            "qrSvg": "<?xml version=\"1.0\" standalone=\"yes\"?><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"200\">…</svg>",
        }),
        ("user/setMfa" | "user/regenerateRecoveryCodes", _) => json!({
            "recoveryCodes": ["kq3v7xz2mbwd4fhe", "p5n2ty6rjc7ugs3a", "w4e7hm2xq6zvkb3n"],
        }),
        ("account/get" | "account/update", _) => account(),
        ("account/usage", _) => usage(),
        ("account/scimTokenCreate", _) => json!({
            "token": scim_token(),
            "secret": format!("rscim.{ACCOUNT}.{SCIM_TOKEN}.{TOKEN}"),
        }),
        ("account/scimTokens", _) => json!({"tokens": [scim_token()]}),
        ("account/audit", _) => page(json!({
            "id": ENTRY, "at": AT, "actor": {"id": ADMIN, "email": "ada@example.com"},
            "action": "user/invite",
            "target": {"kind": "user", "id": USER, "label": "grace@example.com"},
            "detail": {"role": "user"},
        })),
        ("group/create" | "group/get" | "group/update", _) => group(),
        ("group/find" | "group/ofUser", _) => page(group()),
        ("group/assign", _) => json!({"assigned": 1, "skipped": 0}),
        ("group/import", _) => json!({"results": [
            {"row": 0, "email": "grace@example.com", "status": "invited", "userId": USER},
            {"row": 1, "email": "not-an-address", "status": "failed",
             "error": {"code": "INVALID", "message": "email is not a valid address", "field": "email"}},
        ]}),
        _ => json!({}),
    }
}

fn compat_user() -> Value {
    json!({
        "id": uuid(USER), "firstname": "Grace", "lastname": "Hopper",
        "username": "grace@example.com", "email": "grace@example.com",
        "userType": 32, "status": 1, "owner": false, "mfa": false,
        "createDate": AT, "deleted": false,
    })
}

fn compat_group() -> Value {
    json!({
        "id": uuid(GROUP), "name": "Engineering", "description": "Everyone who ships code",
        "active": true, "userCount": 12, "createDate": AT,
    })
}

fn assignment() -> Value {
    json!({"id": uuid(MEMBERSHIP), "userId": uuid(USER), "userGroupId": uuid(GROUP), "createDate": AT})
}

fn collection(row: Value) -> Value {
    json!({"data": [row], "total": 1, "options": {"page": 1, "pageSize": 50}})
}

fn merged(mut a: Value, b: Value) -> Value {
    if let (Some(a), Value::Object(b)) = (a.as_object_mut(), b) {
        a.extend(b);
    }
    a
}

/// A compatibility route's example body.
pub(crate) fn compat_request(path: &str) -> Value {
    match path {
        "/api/v1/user/signup" => {
            json!({"token": TOKEN, "firstname": "Grace", "lastname": "Hopper", "password": NEW_PASSWORD})
        }
        "/api/v1/user/update_user" => {
            json!({"firstName": "Grace", "lastName": "Hopper", "accountName": "Acme"})
        }
        "/api/v1/user/reset_password" => {
            json!({"currentPassword": PASSWORD, "password": NEW_PASSWORD})
        }
        "/api/v1/user/set_mfa" | "/user/set_mfa" => json!({"enabled": true, "userCode": "492039"}),
        "/api/v1/user/resend_user_email" => json!({"username": "grace@example.com"}),
        "/api/v1/user/insert_user" | "/user/insert_user" => json!({
            "username": "grace@example.com", "firstname": "Grace", "lastname": "Hopper", "userType": 32,
        }),
        "/api/v1/user/edit_user" => json!({"id": uuid(USER), "userType": 16}),
        "/user/edit_user" => {
            json!({"id": uuid(USER), "firstname": "Grace", "userType": 32, "status": 1})
        }
        "/user/resend_user_email" => json!({"username": "grace@example.com"}),
        "/usergroup/insert" => {
            json!({"name": "Engineering", "description": "Everyone who ships code"})
        }
        "/usergroup/update" => json!({"id": uuid(GROUP), "name": "Engineering", "active": true}),
        "/usergroup/assign_users" => json!([{"userId": uuid(USER), "userGroupId": uuid(GROUP)}]),
        "/usergroup/import_users" => json!([{
            "user": {"username": "grace@example.com", "firstName": "Grace", "lastName": "Hopper"},
            "userGroups": [{"name": "Engineering"}],
        }]),
        _ => json!({}),
    }
}

/// A compatibility route's example answer.
pub(crate) fn compat_answer(path: &str) -> Value {
    match path {
        "/api/v1/user/signupinfo" => {
            let mut u = compat_user();
            u["status"] = json!(4);
            u
        }
        "/api/v1/user/userinfo" | "/api/v1/user/update_user" => json!({
            "userId": uuid(USER), "username": "grace@example.com", "firstname": "Grace",
            "lastname": "Hopper", "userType": 32, "mfa": false, "migration": false, "owner": false,
            "accountId": uuid(ACCOUNT), "accountName": "Acme", "subscriptionType": 1, "authProvider": 0,
        }),
        "/api/v1/user/generate_mfa_token" | "/user/generate_mfa_token" => {
            json!("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
        }
        "/api/v1/user/get_all_users" | "/user/get_all_users" => collection(compat_user()),
        "/api/v1/user/get_all_users_with_details" => collection(merged(
            compat_user(),
            json!({
                "groups": [{"user": compat_user(), "userGroup": compat_group(), "userUserGroup": assignment()}],
                "projectsData": [], "drivesData": [],
            }),
        )),
        "/user/get_all_users_with_details" => collection(merged(
            compat_user(),
            json!({"userGroups": [compat_group()], "projects": [], "sharedCloudDrives": []}),
        )),
        "/api/v1/user/package_inquiry" | "/user/package_inquiry" => json!({
            "adminUsers": 4, "creativeUsers": 38, "standardUsers": 97, "storage": 100,
            "connections": 0, "projects": 0, "teams": 16, "drives": 0, "syncs": 0,
            "logs": false, "sso": false,
        }),
        "/api/v1/user/signup"
        | "/api/v1/user/insert_user"
        | "/api/v1/user/edit_user"
        | "/user/insert_user"
        | "/user/edit_user" => compat_user(),
        "/usergroup/get_all" => collection(compat_group()),
        "/usergroup/get_all_with_details" => collection(merged(
            compat_group(),
            json!({"users": [compat_user()], "projects": [], "sharedCloudDrives": []}),
        )),
        "/usergroup/insert" | "/usergroup/update" => compat_group(),
        "/usergroup/get_assigned_users" | "/usergroup/get_assigned_usergroups" => {
            collection(merged(
                assignment(),
                json!({"user": compat_user(), "userGroup": compat_group()}),
            ))
        }
        "/usergroup/import_users" => json!({"results": [
            {"row": 0, "username": "grace@example.com", "status": "invited", "userId": uuid(USER)},
        ]}),
        _ => Value::Null,
    }
}
