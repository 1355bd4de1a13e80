//! Keys and items of the one table, written once on the `Table` port.
//!
//! | item | pk | sk | gs1pk | gs1sk |
//! |---|---|---|---|---|
//! | account (remaining seats) | `ACCT#<aid>` | `ACCT` | | |
//! | user | `ACCT#<aid>` | `USER#<uid>` | `ACCT#<aid>#USER` | `<email>#<uid>` |
//! | e-mail claim (signed-up users) | `EMAIL#<email>` | `EMAIL` | | |
//! | pending invite per account | `ACCT#<aid>` | `INVITED#<email>` | | |
//! | invite token | `TOKEN#<sha256(token)>` | `TOKEN` | | |
//! | session | `SESSION#<sid>` | `SESSION` | | |
//! | failed logins | `LOGINFAIL#<sha256(email)>` | `LOGINFAIL` | | |
//! | login (embedded identity only) | `LOGIN#<uid>` | `LOGIN` | | |

pub mod accounts;
pub mod claims;
pub mod codec;
pub mod keys;
pub mod login_failures;
pub mod sessions;
pub mod tokens;
pub mod users;

pub use accounts::Account;
pub use users::User;
