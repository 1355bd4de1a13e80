//! Keys and items of the one table, written once on the `Table` port.
//!
//! | item | pk | sk | gs1pk | gs1sk |
//! |---|---|---|---|---|
//! | account (plan; remaining seats per kind and groups) | `ACCT#<aid>` | `ACCT` | | |
//! | user | `ACCT#<aid>` | `USER#<uid>` | `ACCT#<aid>#USER` | `<email>#<uid>` |
//! | e-mail claim (signed-up users) | `EMAIL#<email>` | `EMAIL` | | |
//! | pending invite per account | `ACCT#<aid>` | `INVITED#<email>` | `INVITED#<email>` | `<aid>` |
//! | invite, reset or registration token | `TOKEN#<sha256(token)>` | `TOKEN` | | |
//! | group | `ACCT#<aid>` | `GROUP#<gid>` | | |
//! | group name claim | `ACCT#<aid>` | `GNAME#<case-folded name>` | | |
//! | membership | `ACCT#<aid>` | `MEMBER#<gid>#<uid>` | `ACCT#<aid>#GROUP#<gid>` | `<email>#<uid>` |
//! | removed user (kept for the audit period; never a user again) | `ACCT#<aid>` | `GONE#<uid>` | | |
//! | group whose memberships are being removed | `ACCT#<aid>` | `PURGE#<gid>` | | |
//! | SCIM `userName` claim (a name that is no e-mail) | `ACCT#<aid>` | `SCIMNAME#<lower-cased name>` | | |
//! | SCIM token (its hash, name, creator) | `ACCT#<aid>` | `SCIMTOKEN#<tid>` | | |
//! | count of the account's SCIM tokens | `ACCT#<aid>` | `SCIMTOKENS` | | |
//! | audit entry | `ACCT#<aid>#AUDIT` | `<ulid>` | | |
//! | session | `SESSION#<sid>` | `SESSION` | | |
//! | MFA login challenge | `CHALLENGE#<id>` | `CHALLENGE` | | |
//! | lock on a login while its password is set | `PWLOCK#<uid>` | `PWLOCK` | | |
//! | failed logins | `LOGINFAIL#<sha256(email)>` | `LOGINFAIL` | | |
//! | reset / registration / resent-invite mails sent | `RESETMAIL#…`, `REGMAIL#…`, `INVITEMAIL#<sha256(email)>` | `RESETMAIL`, `REGMAIL`, `INVITEMAIL` | | |
//! | login (embedded identity only: password hash, sealed TOTP secret) | `LOGIN#<uid>` | `LOGIN` | | |
//! | hosted-UI identity link | `IDP#<sub>` | `IDP` | | |

pub mod accounts;
pub mod audit;
pub mod challenges;
pub mod claims;
pub mod codec;
pub mod groups;
pub mod keys;
pub mod limits;
pub mod password_locks;
pub mod scim_tokens;
pub mod sessions;
pub mod tokens;
pub mod tombstones;
pub mod users;

pub use accounts::Account;
pub use users::{ScimEmail, ScimProfile, ScimRole, UsedCode, User};

use crate::error::Result;
use crate::ports::{Item, Key, Table};

/// Every record of one partition whose sort key begins with `prefix`, read
/// consistently, page after page (for lists that plans or limits keep small).
pub async fn all_with_prefix<T: serde::de::DeserializeOwned>(
    table: &dyn Table,
    pk: String,
    prefix: String,
) -> Result<Vec<T>> {
    let mut q = crate::ports::Query::new(crate::ports::Index::Primary, pk);
    q.sk = Some(crate::ports::SortKey::BeginsWith(prefix));
    q.consistent = true;
    let mut out = Vec::new();
    loop {
        let page = table.query(&q).await?;
        for item in page.items {
            out.push(codec::from_item(item)?);
        }
        match page.last_key {
            Some(k) => q.start_after = Some(k),
            None => return Ok(out),
        }
    }
}

/// Reads items that don't depend on each other in one consistent round trip
/// (`BatchGetItem` on DynamoDB): each key's item, or `None`, in key order.
pub async fn get_many<const N: usize>(
    table: &dyn Table,
    keys: [Key; N],
) -> Result<[Option<Item>; N]> {
    let mut found = table.batch_get(&keys).await?;
    Ok(std::array::from_fn(|i| {
        let key = &keys[i];
        let at = found.iter().position(|item| {
            item.get("pk").and_then(|v| v.as_str()) == Some(key.pk.as_str())
                && item.get("sk").and_then(|v| v.as_str()) == Some(key.sk.as_str())
        })?;
        Some(found.swap_remove(at))
    }))
}
