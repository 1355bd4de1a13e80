//! Account use cases.

use crate::clock::now_ms;
use crate::domain::AccountName;
use crate::error::{Error, Result};
use crate::policy;
use crate::ports::Cond;
use crate::ports::Op;
use crate::repo::{accounts, keys, Account};
use crate::roster::Tx;
use crate::users::Caller;
use crate::Roster;

impl Roster {
    pub async fn get_account(&self, caller: &Caller) -> Result<Account> {
        accounts::require(self.table.as_ref(), caller.user.account_id).await
    }

    /// Renames the account (admins).
    pub async fn update_account(
        &self,
        caller: &Caller,
        name: Option<AccountName>,
    ) -> Result<Account> {
        policy::require_admin(&caller.user)?;
        let aid = caller.user.account_id;
        if let Some(name) = name {
            let op = Op::update(keys::account(aid))
                .set("name", name.as_str())
                .set("updated", now_ms())
                .when(Cond::Exists);
            let mut tx = Tx::new();
            tx.push(op);
            self.write(tx, |_| Some(Error::NotFound("no such account")))
                .await?;
        }
        accounts::require(self.table.as_ref(), aid).await
    }
}

/// Marks a data store whose first account was created from start-up flags.
fn bootstrap_key() -> crate::ports::Key {
    crate::ports::Key::new("META", "BOOTSTRAP")
}

impl Roster {
    /// Whether the first account was already created.
    pub async fn is_bootstrapped(&self) -> Result<bool> {
        Ok(self.table.get(&bootstrap_key(), true).await?.is_some())
    }

    /// Creates the first account and its owner, once per store: later starts
    /// with the same flags change nothing (`None`).
    pub async fn bootstrap(
        &self,
        account_name: &str,
        plan: &str,
        email: &str,
        password: &str,
    ) -> Result<Option<(crate::repo::User, Account)>> {
        if self.is_bootstrapped().await? {
            return Ok(None);
        }
        let name = AccountName::parse(account_name)?;
        let email = crate::domain::Email::parse(email)?;
        let password = crate::domain::Password::parse(password, &email)?;
        let mut marker = crate::ports::Item::new();
        marker.insert("pk".into(), "META".into());
        marker.insert("sk".into(), "BOOTSTRAP".into());
        marker.insert("at".into(), now_ms().into());
        let mut tx = Tx::new();
        tx.push(Op::put(marker).when(Cond::NotExists));
        self.create_account(&name, plan, &email, &password, tx)
            .await
            .map(Some)
    }
}
