//! Creating, reading, changing and removing groups.

use serde_json::json;

use crate::clock::now_ms;
use crate::domain::{fold, Description, GroupId, GroupName};
use crate::error::{Error, Result};
use crate::paging::{self, Page, PageRequest};
use crate::policy;
use crate::ports::{Cond, Index, Op, Query, SortKey};
use crate::repo::accounts::Counts;
use crate::repo::audit::Target;
use crate::repo::codec::from_item;
use crate::repo::groups::{self, Group, NameClaim};
use crate::repo::keys;
use crate::roster::Tx;
use crate::users::Caller;
use crate::Roster;

pub(crate) const NOT_FOUND: &str = "no such group";

/// `group/create`.
#[derive(Debug, Clone)]
pub struct NewGroup {
    pub name: GroupName,
    pub description: Description,
    pub active: bool,
    /// The identity provider's id (SCIM `externalId`).
    pub external_id: Option<String>,
}

/// `group/update`: what to change. `None` leaves a value as it is.
#[derive(Debug, Clone, Default)]
pub struct GroupChange {
    pub name: Option<GroupName>,
    pub description: Option<Description>,
    pub active: Option<bool>,
    /// SCIM `externalId`: `Some(None)` clears it.
    pub external_id: Option<Option<String>>,
}

impl NewGroup {
    /// From a request's values: no description is empty, no `active` true.
    pub fn parse(name: &str, description: Option<&str>, active: Option<bool>) -> Result<NewGroup> {
        Ok(NewGroup {
            name: GroupName::parse("name", name)?,
            description: Description::parse(description.unwrap_or(""))?,
            active: active.unwrap_or(true),
            external_id: None,
        })
    }
}

impl GroupChange {
    /// From a request's values; what is absent stays as it is.
    pub fn parse(
        name: Option<&str>,
        description: Option<&str>,
        active: Option<bool>,
    ) -> Result<GroupChange> {
        Ok(GroupChange {
            name: name.map(|n| GroupName::parse("name", n)).transpose()?,
            description: description.map(Description::parse).transpose()?,
            active,
            external_id: None,
        })
    }
}

pub(crate) fn name_taken() -> Error {
    Error::conflict("name", "a group with this name already exists")
}

impl Roster {
    /// Creates a group: the group, the claim on its name and one of the
    /// plan's groups, in one transaction.
    pub async fn create_group(&self, caller: &Caller, new: NewGroup) -> Result<Group> {
        policy::require_admin(&caller.user)?;
        let aid = caller.user.account_id;
        let now = now_ms();
        let group = Group {
            id: GroupId::new(),
            account_id: aid,
            name: new.name.as_str().into(),
            description: new.description.as_str().into(),
            active: new.active,
            members: 0,
            created: now,
            updated: now,
            external_id: new.external_id,
            version: 0,
        };
        let mut tx = Tx::new();
        tx.push(group.insert_op()?);
        let claim = tx.push(groups::claim_op(aid, &new.name, group.id)?);
        let target = Target::group(&group.id.to_string(), &group.name);
        tx.push(self.audit_for(caller, "group/create", target, json!({}))?);
        self.write_counted(aid, tx, Counts::groups(1), |failed| {
            (failed == claim).then(name_taken)
        })
        .await?;
        Ok(group)
    }

    /// A group of the caller's account; others' are `NotFound`.
    pub async fn get_group(&self, caller: &Caller, gid: GroupId) -> Result<Group> {
        groups::get(self.table.as_ref(), caller.user.account_id, gid)
            .await?
            .ok_or(Error::NotFound(NOT_FOUND))
    }

    /// Renames (swapping the name claim in the same transaction), describes,
    /// activates or deactivates a group.
    pub async fn update_group(
        &self,
        caller: &Caller,
        gid: GroupId,
        change: GroupChange,
    ) -> Result<Group> {
        policy::require_admin(&caller.user)?;
        let aid = caller.user.account_id;
        let mut group = self.get_group(caller, gid).await?;
        let now = now_ms();
        let mut fields = Vec::new();
        // Conditional on the name as read: a concurrent rename fails this one.
        let mut op = Op::update(group.key())
            .set("updated", now)
            .add("version", 1)
            .when(Cond::Eq("name".into(), group.name.clone().into()));
        let mut tx = Tx::new();
        let mut claimed = None;
        if let Some(name) = change.name.filter(|n| n.as_str() != group.name) {
            let old = fold(&group.name);
            if name.folded() == old {
                // Only the case changes: the claim stays, its spelling follows.
                tx.push(
                    Op::update(keys::group_name(aid, &old))
                        .set("name", name.as_str())
                        .when(Cond::Eq("groupId".into(), gid.to_string().into())),
                );
            } else {
                tx.push(groups::unclaim_op(aid, &old, gid));
                claimed = Some(tx.push(groups::claim_op(aid, &name, gid)?));
            }
            op = op.set("name", name.as_str());
            group.name = name.as_str().into();
            fields.push("name");
        }
        if let Some(description) = change.description {
            op = op.set("description", description.as_str());
            group.description = description.as_str().into();
            fields.push("description");
        }
        if let Some(active) = change.active {
            op = op.set("active", active);
            group.active = active;
            fields.push("active");
        }
        if let Some(external_id) = change.external_id.filter(|x| *x != group.external_id) {
            op = match &external_id {
                Some(x) => op.set("externalId", x.as_str()),
                None => op.remove("externalId"),
            };
            group.external_id = external_id;
            fields.push("externalId");
        }
        let changed = tx.push(op);
        let target = Target::group(&gid.to_string(), &group.name);
        tx.push(self.audit_for(caller, "group/update", target, json!({"fields": fields}))?);
        self.write(tx, |failed| {
            if Some(failed) == claimed {
                Some(name_taken())
            } else if failed == changed {
                Some(Error::conflict(
                    "id",
                    "the group changed meanwhile; read it and try again",
                ))
            } else {
                None
            }
        })
        .await?;
        group.updated = now;
        group.version += 1;
        Ok(group)
    }

    /// Removes a group: the group, its name claim and its place in the plan go
    /// in one transaction, so it is gone from every read at once. Its
    /// memberships follow in chunks (see `purge`), which resume if cut short.
    pub async fn remove_group(&self, caller: &Caller, gid: GroupId) -> Result<()> {
        policy::require_admin(&caller.user)?;
        let aid = caller.user.account_id;
        let group = self.get_group(caller, gid).await?;
        let mut tx = Tx::new();
        let removed = tx.push(Op::delete(group.key()).when(Cond::Exists));
        tx.push(groups::unclaim_op(aid, &fold(&group.name), gid));
        tx.push(groups::purge_marker_op(aid, gid)?);
        let target = Target::group(&gid.to_string(), &group.name);
        tx.push(self.audit_for(caller, "group/remove", target, json!({}))?);
        self.write_counted(aid, tx, Counts::groups(-1), |failed| {
            (failed == removed).then_some(Error::NotFound(NOT_FOUND))
        })
        .await?;
        // The group is gone; its memberships are invisible leftovers, which
        // the next removal resumes if this one cannot finish now.
        if let Err(e) = self.purge_groups(aid).await {
            tracing::warn!(error = %e, group = %gid, "memberships left to a later removal");
        }
        Ok(())
    }

    /// Groups in name order; `prefix` (case-insensitive) narrows them.
    pub async fn find_groups(
        &self,
        caller: &Caller,
        prefix: Option<String>,
        req: &PageRequest,
    ) -> Result<Page<Group>> {
        let aid = caller.user.account_id;
        let prefix = prefix.map(|p| fold(&p)).unwrap_or_default();
        let mut q = Query::new(Index::Primary, keys::account_pk(aid));
        q.sk = Some(SortKey::BeginsWith(format!("GNAME#{prefix}")));
        q.consistent = true;
        let scope = format!("group/find\u{0}{aid}\u{0}{prefix}");
        let page = paging::page(self.table.as_ref(), &self.keys, &scope, q, req).await?;
        let claims = page
            .data
            .into_iter()
            .map(from_item::<NameClaim>)
            .collect::<Result<Vec<_>>>()?;
        let ids: Vec<GroupId> = claims.iter().map(|c| c.group_id).collect();
        let found = self.groups_by_id(aid, &ids).await?;
        Ok(Page {
            data: found,
            next: page.next,
            prev: page.prev,
        })
    }

    /// The groups `ids` names that exist, in the order of `ids`, in one batch.
    pub(crate) async fn groups_by_id(
        &self,
        aid: crate::domain::AccountId,
        ids: &[GroupId],
    ) -> Result<Vec<Group>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let keys: Vec<_> = ids
            .iter()
            .map(|g| keys::group(aid, &g.to_string()))
            .collect();
        let items = groups::get_all(self.table.as_ref(), &keys).await?;
        let mut found: Vec<Group> = items.into_iter().map(from_item).collect::<Result<_>>()?;
        found.sort_by_key(|g| ids.iter().position(|id| *id == g.id));
        Ok(found)
    }
}
