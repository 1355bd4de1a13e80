//! Account use cases.

use crate::clock::now_ms;
use crate::domain::{AccountId, AccountName};
use crate::error::{Error, Result};
use crate::plans::Plan;
use crate::policy;
use crate::ports::Cond;
use crate::ports::Op;
use crate::repo::audit::{Actor, Target};
use crate::repo::{accounts, keys, Account};
use crate::roster::Tx;
use crate::users::Caller;
use crate::Roster;
use serde_json::Map;

/// `account/update`: what to change. `None` leaves a value as it is.
#[derive(Debug, Clone, Default)]
pub struct AccountChange {
    pub name: Option<AccountName>,
    /// The owner only.
    pub plan: Option<(String, Plan)>,
    /// Whether users a SCIM client creates get the invite mail.
    pub scim_invite_mail: Option<bool>,
}

impl AccountChange {
    fn is_empty(&self) -> bool {
        self.name.is_none() && self.plan.is_none() && self.scim_invite_mail.is_none()
    }
}

impl Roster {
    pub async fn get_account(&self, caller: &Caller) -> Result<Account> {
        accounts::require(self.table.as_ref(), caller.user.account_id).await
    }

    /// Renames the account or sets whether SCIM-provisioned users get the
    /// invite mail (admins), or changes its plan (the owner). A plan change
    /// moves each counter by how much its limit moved: a plan lowered below
    /// what is used refuses new seats of that kind and takes none away.
    pub async fn update_account(&self, caller: &Caller, change: AccountChange) -> Result<Account> {
        policy::require_admin(&caller.user)?;
        if change.plan.is_some() {
            policy::require_owner(&caller.user)?;
        }
        let aid = caller.user.account_id;
        if change.is_empty() {
            return accounts::require(self.table.as_ref(), aid).await;
        }
        self.change_account(aid, caller.actor.clone(), change).await
    }

    /// An account by id, for an operator of the deployment (no caller: the
    /// write function's direct invoke, which IAM authorises).
    pub async fn operator_get_account(&self, aid: AccountId) -> Result<Account> {
        accounts::get(self.table.as_ref(), aid)
            .await?
            .ok_or(Error::NotFound("no such account"))
    }

    /// Changes an account's plan for an operator, as the owner's
    /// `account/update {plan}` would; audited with the actor `operator`.
    pub async fn operator_set_plan(&self, aid: AccountId, plan: (String, Plan)) -> Result<Account> {
        self.operator_get_account(aid).await?;
        let change = AccountChange {
            plan: Some(plan),
            ..AccountChange::default()
        };
        self.change_account(aid, Actor::operator(), change).await
    }

    async fn change_account(
        &self,
        aid: AccountId,
        actor: Actor,
        change: AccountChange,
    ) -> Result<Account> {
        let AccountChange {
            name,
            plan,
            scim_invite_mail,
        } = change;
        let table = self.table.as_ref();
        let now = now_ms();
        let mut detail = Map::new();
        let (mut op, label) = match &plan {
            Some((plan_name, plan)) => {
                let account = accounts::require(table, aid).await?;
                detail.insert("from".into(), account.plan.clone().into());
                detail.insert("plan".into(), plan_name.clone().into());
                (account.change_plan_op(plan_name, plan, now)?, account.name)
            }
            None => (
                Op::update(keys::account(aid))
                    .set("updated", now)
                    .when(Cond::Exists),
                String::new(),
            ),
        };
        if let Some(name) = &name {
            op = op.set("name", name.as_str());
            detail.insert("name".into(), name.as_str().into());
        }
        if let Some(on) = scim_invite_mail {
            op = op.set("scimInviteMail", on);
            detail.insert("scimInviteMail".into(), on.into());
        }
        let label = name
            .as_ref()
            .map(|n| n.as_str().to_string())
            .unwrap_or(label);
        let mut tx = Tx::new();
        let changed = tx.push(op);
        let target = Target::account(aid, &label);
        tx.push(self.audit_by(aid, actor, "account/update", target, detail.into())?);
        self.write(tx, |failed| {
            (failed == changed).then(|| {
                Error::conflict("plan", "the plan changed meanwhile; read it and try again")
            })
        })
        .await?;
        accounts::require(table, aid).await
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

/// `account/audit` filters; all given ones must hold.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub action: Option<&'static str>,
    /// A user's id, or `operator`.
    pub actor: Option<String>,
    /// A user's, group's or account's id.
    pub target: Option<String>,
}

impl Roster {
    /// The account's audit log, newest first (admins).
    pub async fn audit_log(
        &self,
        caller: &Caller,
        filter: &AuditFilter,
        req: &crate::paging::PageRequest,
    ) -> Result<crate::paging::Page<crate::repo::audit::Entry>> {
        use crate::ports::{Index, Query};
        policy::require_admin(&caller.user)?;
        let aid = caller.user.account_id;
        let mut q = Query::new(Index::Primary, keys::audit_pk(aid));
        q.forward = false;
        q.consistent = true;
        let mut conds = Vec::new();
        if let Some(action) = filter.action {
            conds.push(Cond::Eq("action".into(), action.into()));
        }
        if let Some(actor) = &filter.actor {
            conds.push(Cond::Eq("actorId".into(), actor.clone().into()));
        }
        if let Some(target) = &filter.target {
            conds.push(Cond::Eq("targetId".into(), target.clone().into()));
        }
        q.filter = match conds.len() {
            0 => None,
            1 => conds.pop(),
            _ => Some(Cond::And(conds)),
        };
        let scope = format!(
            "account/audit\u{0}{aid}\u{0}{}\u{0}{}\u{0}{}",
            filter.action.unwrap_or(""),
            filter.actor.as_deref().unwrap_or(""),
            filter.target.as_deref().unwrap_or("")
        );
        let req = crate::paging::PageRequest {
            index: Index::Primary,
            ..req.clone()
        };
        let page = crate::paging::page(self.table.as_ref(), &self.keys, &scope, q, &req).await?;
        let data = page
            .data
            .into_iter()
            .map(crate::repo::codec::from_item)
            .collect::<Result<Vec<_>>>()?;
        Ok(crate::paging::Page {
            data,
            next: page.next,
            prev: page.prev,
        })
    }
}
