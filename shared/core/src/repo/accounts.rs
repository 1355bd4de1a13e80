//! The account item: its plan, and what remains of it.
//!
//! The remaining seats per kind and the remaining groups are top-level
//! numbers (`seatsAdmin`, `seatsUser`, `seatsViewer`, `groupsLeft`). A write
//! that fills or frees seats moves them with one `ADD` in the same transaction
//! as the write, under `remaining >= taken` ([`counters_op`]), so no
//! concurrency can overfill a plan. A plan lowered below what is used leaves a
//! counter below zero: new seats of that kind are refused, none is taken away.
//!
//! Accounts written before plans had kinds hold one `seats` count and no
//! `limits`. They are migrated the first time they are read here, or when a
//! counter write finds them so ([`migrate`]): users are counted per kind and
//! the counters written once, under the condition that nobody did it first.

use serde::{Deserialize, Serialize};

use super::codec::{from_item, to_item};
use super::keys;
use crate::domain::{AccountId, Role};
use crate::error::{Error, Result};
use crate::plans::{self, Plan, SeatKind, Seats};
use crate::ports::{Cond, Index, Item, Op, Query, SortKey, Table};

const LEFT_ADMIN: &str = "seatsAdmin";
const LEFT_USER: &str = "seatsUser";
const LEFT_VIEWER: &str = "seatsViewer";
const LEFT_GROUPS: &str = "groupsLeft";
/// Present on every migrated account.
const LIMITS: &str = "limits";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub id: AccountId,
    pub name: String,
    /// A named plan, or `custom`.
    pub plan: String,
    pub limits: Plan,
    /// Seats left per kind (below zero after a plan was lowered).
    pub seats_admin: i64,
    pub seats_user: i64,
    pub seats_viewer: i64,
    pub groups_left: i64,
    /// Bumped by every plan change; a plan change is conditional on it.
    #[serde(default)]
    pub plan_rev: i64,
    pub created: i64,
    pub updated: i64,
    /// Whether a user a SCIM client creates gets the invite mail. Off, for
    /// accounts whose people sign in only through the hosted UI: such a
    /// user joins on its first hosted-UI login with the invited e-mail.
    #[serde(default = "yes")]
    pub scim_invite_mail: bool,
}

fn yes() -> bool {
    true
}

/// Limit, used and remaining of one counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Usage {
    pub limit: i64,
    pub used: i64,
    pub remaining: i64,
}

impl Usage {
    fn of(limit: i64, left: i64) -> Usage {
        Usage {
            limit,
            used: limit - left,
            remaining: left.max(0),
        }
    }
}

impl Account {
    /// A new account on `plan`, its owner's admin seat already taken.
    pub fn new(id: AccountId, name: String, plan: (String, Plan), now: i64) -> Account {
        let (plan, limits) = plan;
        Account {
            id,
            name,
            plan,
            seats_admin: limits.seats.admin - 1,
            seats_user: limits.seats.user,
            seats_viewer: limits.seats.viewer,
            groups_left: limits.groups,
            limits,
            plan_rev: 0,
            created: now,
            updated: now,
            scim_invite_mail: true,
        }
    }

    pub fn left(&self, kind: SeatKind) -> i64 {
        match kind {
            SeatKind::Admin => self.seats_admin,
            SeatKind::User => self.seats_user,
            SeatKind::Viewer => self.seats_viewer,
        }
    }

    pub fn seats(&self, kind: SeatKind) -> Usage {
        Usage::of(self.limits.seats.get(kind), self.left(kind))
    }

    pub fn groups(&self) -> Usage {
        Usage::of(self.limits.groups, self.groups_left)
    }

    pub fn insert_op(&self) -> Result<Op> {
        Ok(Op::put(to_item(&keys::account(self.id), self)?).when(Cond::NotExists))
    }

    /// Changes the plan: each counter moves by how much its limit moved, so
    /// what is used stays used. Fails if the plan changed meanwhile.
    pub fn change_plan_op(&self, name: &str, plan: &Plan, now: i64) -> Result<Op> {
        let limits = serde_json::to_value(plan).map_err(|e| Error::internal("a plan", e))?;
        let mut op = Op::update(keys::account(self.id))
            .set("plan", name)
            .set(LIMITS, limits)
            .set("updated", now)
            .add("planRev", 1);
        for kind in SeatKind::ALL {
            let moved = plan.seats.get(kind) - self.limits.seats.get(kind);
            if moved != 0 {
                op = op.add(left_attr(kind), moved);
            }
        }
        if plan.groups != self.limits.groups {
            op = op.add(LEFT_GROUPS, plan.groups - self.limits.groups);
        }
        Ok(op.when(Cond::Eq("planRev".into(), self.plan_rev.into())))
    }
}

fn left_attr(kind: SeatKind) -> &'static str {
    match kind {
        SeatKind::Admin => LEFT_ADMIN,
        SeatKind::User => LEFT_USER,
        SeatKind::Viewer => LEFT_VIEWER,
    }
}

/// Seats and groups a write fills (positive) or frees (negative).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub seats: [i64; 3],
    pub groups: i64,
}

impl Counts {
    pub fn seat(role: Role, n: i64) -> Counts {
        let mut c = Counts::default();
        c.add_seat(role, n);
        c
    }

    pub fn groups(n: i64) -> Counts {
        Counts {
            groups: n,
            ..Counts::default()
        }
    }

    pub fn add_seat(&mut self, role: Role, n: i64) {
        self.seats[kind_index(SeatKind::of(role))] += n;
    }

    /// Both together.
    pub fn plus(self, other: Counts) -> Counts {
        let mut sum = self;
        for (s, o) in sum.seats.iter_mut().zip(other.seats) {
            *s += o;
        }
        sum.groups += other.groups;
        sum
    }

    pub fn is_zero(&self) -> bool {
        *self == Counts::default()
    }

    /// The first counter this would overfill on `account`, if any.
    pub fn overfills(&self, account: &Account) -> Option<&'static str> {
        for kind in SeatKind::ALL {
            let n = self.seats[kind_index(kind)];
            if n > 0 && account.left(kind) < n {
                return Some(kind.as_str());
            }
        }
        (self.groups > 0 && account.groups_left < self.groups).then_some("group")
    }
}

fn kind_index(kind: SeatKind) -> usize {
    match kind {
        SeatKind::Admin => 0,
        SeatKind::User => 1,
        SeatKind::Viewer => 2,
    }
}

/// Fills and frees `counts` on the account in one op; its condition fails
/// when a counter would go below zero (or the account is not migrated yet).
pub fn counters_op(aid: AccountId, counts: Counts) -> Op {
    let mut op = Op::update(keys::account(aid));
    let mut conds = vec![Cond::AttrExists(LIMITS.into())];
    let all = SeatKind::ALL
        .iter()
        .map(|k| (left_attr(*k), counts.seats[kind_index(*k)]))
        .chain([(LEFT_GROUPS, counts.groups)]);
    for (attr, n) in all.filter(|(_, n)| *n != 0) {
        op = op.add(attr, -n);
        if n > 0 {
            conds.push(Cond::AtLeast(attr.into(), n));
        }
    }
    op.when(Cond::And(conds))
}

/// The error for a write `counts` could not make on `current` (the account
/// as the failed condition saw it).
pub fn limit_error(counts: Counts, current: Option<&Item>) -> Error {
    let what = current
        .and_then(|item| from_item::<Account>(item.clone()).ok())
        .and_then(|a| counts.overfills(&a))
        .unwrap_or("seat");
    limit_reached(what)
}

/// `LIMIT_REACHED` for `what`: `group`, or a seat kind.
pub fn limit_reached(what: &str) -> Error {
    let message = match what {
        "group" => "the plan allows no more groups; remove a group or change plan".to_string(),
        kind => format!("the plan has no {kind} seat left; remove a user or change plan"),
    };
    Error::LimitReached(message)
}

/// Whether an account item predates per-kind plans.
pub fn is_legacy(item: &Item) -> bool {
    !item.contains_key(LIMITS)
}

/// The account, migrated if it predates per-kind plans.
pub async fn get(table: &dyn Table, aid: AccountId) -> Result<Option<Account>> {
    match table.get(&keys::account(aid), true).await? {
        Some(item) => Ok(Some(resolve(table, aid, item).await?)),
        None => Ok(None),
    }
}

/// The account of a user that exists: its absence is a broken invariant.
pub async fn require(table: &dyn Table, aid: AccountId) -> Result<Account> {
    required(table, aid, table.get(&keys::account(aid), true).await?).await
}

/// [`require`] on an item read in a batch.
pub async fn required(table: &dyn Table, aid: AccountId, item: Option<Item>) -> Result<Account> {
    match item {
        Some(item) => resolve(table, aid, item).await,
        None => Err(Error::Internal(format!("account {aid} is missing"))),
    }
}

async fn resolve(table: &dyn Table, aid: AccountId, item: Item) -> Result<Account> {
    if is_legacy(&item) {
        migrate(table, aid).await
    } else {
        from_item(item)
    }
}

/// Gives a legacy account per-kind counters, once: users are counted by kind
/// with consistent reads, and the counters written under the condition that
/// no other request migrated it first. No seat write can succeed on a legacy
/// account (every counter op requires `limits`), so the count holds still.
pub async fn migrate(table: &dyn Table, aid: AccountId) -> Result<Account> {
    for _ in 0..5 {
        if let Some(account) = migrate_once(table, aid).await? {
            return Ok(account);
        }
    }
    Err(Error::Unavailable(
        "the account is being migrated to per-kind seats; try again".into(),
    ))
}

/// One try of [`migrate`]: `None` when an older roster moved the seat count
/// between the count and the write.
async fn migrate_once(table: &dyn Table, aid: AccountId) -> Result<Option<Account>> {
    let key = keys::account(aid);
    let Some(item) = table.get(&key, true).await? else {
        return Err(Error::Internal(format!("account {aid} is missing")));
    };
    if !is_legacy(&item) {
        return from_item(item).map(Some);
    }
    let old_plan = item.get("plan").and_then(|v| v.as_str()).unwrap_or("");
    // What an older roster still running (mid-deploy) moves; if it moves
    // between the count and the write, the write fails and counts again.
    let old_seats = item.get("seats").cloned();
    let (name, plan) = match plans::named(old_plan) {
        Some(p) => (old_plan.to_string(), p),
        None => (
            plans::DEFAULT_PLAN.to_string(),
            plans::named(plans::DEFAULT_PLAN).unwrap_or_else(empty_plan),
        ),
    };
    let used = count_users(table, aid).await?;
    let limits = serde_json::to_value(&plan).map_err(|e| Error::internal("a plan", e))?;
    let mut op = Op::update(key.clone())
        .set("plan", name)
        .set(LIMITS, limits)
        .set(LEFT_GROUPS, plan.groups)
        .set("planRev", 0)
        .remove("seats");
    for kind in SeatKind::ALL {
        op = op.set(left_attr(kind), plan.seats.get(kind) - used.get(kind));
    }
    let mut conds = vec![Cond::Exists, Cond::AttrNotExists(LIMITS.into())];
    conds.push(match old_seats {
        Some(seats) => Cond::Eq("seats".into(), seats),
        None => Cond::AttrNotExists("seats".into()),
    });
    let op = op.when(Cond::And(conds));
    match table
        .transact(vec![op], &crate::clock::next_ulid().to_string())
        .await
    {
        Ok(()) | Err(crate::ports::TableError::Condition { .. }) => {}
        Err(e) => return Err(e.into()),
    }
    tracing::info!(account = %aid, "account migrated to per-kind seats");
    match table.get(&key, true).await? {
        Some(item) if !is_legacy(&item) => from_item(item),
        _ => Err(Error::Internal(format!("account {aid} did not migrate"))),
    }
}

fn empty_plan() -> Plan {
    Plan {
        seats: Seats {
            admin: 1,
            user: 0,
            viewer: 0,
        },
        groups: 0,
        features: Default::default(),
    }
}

/// The account's users per seat kind, read consistently.
async fn count_users(table: &dyn Table, aid: AccountId) -> Result<Seats> {
    let mut used = Seats {
        admin: 0,
        user: 0,
        viewer: 0,
    };
    let mut q = Query::new(Index::Primary, keys::account_pk(aid));
    q.sk = Some(SortKey::BeginsWith("USER#".into()));
    q.consistent = true;
    loop {
        let page = table.query(&q).await?;
        for item in &page.items {
            // An unreadable role counts as a user seat rather than failing
            // every read of the account.
            let role = item
                .get("role")
                .and_then(|v| v.as_str())
                .and_then(|r| Role::parse(r).ok())
                .unwrap_or(Role::User);
            match SeatKind::of(role) {
                SeatKind::Admin => used.admin += 1,
                SeatKind::User => used.user += 1,
                SeatKind::Viewer => used.viewer += 1,
            }
        }
        match page.last_key {
            Some(k) => q.start_after = Some(k),
            None => return Ok(used),
        }
    }
}
