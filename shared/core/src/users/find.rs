//! `user/find`: a page of the caller's account's users.

use crate::domain::{Email, Role, UserId, UserState};
use crate::error::{Error, Result};
use crate::paging::{self, Page, PageRequest};
use crate::ports::{Cond, Index, Query, SortKey};
use crate::repo::{keys, User};
use crate::Roster;

use super::Caller;

/// Filters of `user/find`; all given ones must hold.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub email: Option<Email>,
    pub id: Option<UserId>,
    pub role: Option<Role>,
    pub state: Option<UserState>,
    /// Lower-cased prefix of the e-mail, the full name or the last name.
    pub query: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct FindUsers {
    pub filter: UserFilter,
    pub page: PageRequest,
}

impl UserFilter {
    /// Builds a query filter from `query` text (at most 254 characters).
    pub fn query_text(raw: &str) -> Result<Option<String>> {
        if raw.chars().count() > Email::MAX_LEN {
            return Err(Error::invalid(
                "query",
                "query is longer than 254 characters",
            ));
        }
        let q = raw.trim().to_lowercase();
        Ok((!q.is_empty()).then_some(q))
    }

    /// A canonical text of the filters, which cursors are bound to.
    fn scope(&self) -> String {
        format!(
            "{}|{}|{}|{}|{}",
            self.email.as_ref().map(Email::as_str).unwrap_or(""),
            self.id.map(|i| i.to_string()).unwrap_or_default(),
            self.role.map(Role::as_str).unwrap_or(""),
            self.state.map(UserState::as_str).unwrap_or(""),
            self.query.as_deref().unwrap_or(""),
        )
    }
}

impl Roster {
    /// Users in primary (creation) order, or in e-mail order on `gs1`.
    pub async fn find_users(&self, caller: &Caller, find: &FindUsers) -> Result<Page<User>> {
        let aid = caller.user.account_id;
        let f = &find.filter;
        let mut conds = Vec::new();
        let mut query = match find.page.index {
            Index::Primary => {
                let mut q = Query::new(Index::Primary, keys::account_pk(aid));
                // Only user items: the key condition applies before `Limit`,
                // so a page's limit is exact.
                q.sk = Some(match f.id {
                    Some(id) => {
                        let sk = keys::user(aid, id).sk;
                        SortKey::Between(sk.clone(), sk)
                    }
                    None => SortKey::BeginsWith("USER#".into()),
                });
                if let Some(email) = &f.email {
                    conds.push(Cond::Eq("email".into(), email.as_str().into()));
                }
                q
            }
            Index::Gs1 => {
                let mut q = Query::new(Index::Gs1, keys::users_gs1pk(aid));
                if let Some(email) = &f.email {
                    q.sk = Some(SortKey::BeginsWith(format!("{email}#")));
                }
                if let Some(id) = f.id {
                    conds.push(Cond::Eq("id".into(), id.to_string().into()));
                }
                q
            }
        };
        if let Some(role) = f.role {
            conds.push(Cond::Eq("role".into(), role.as_str().into()));
        }
        if let Some(state) = f.state {
            conds.push(Cond::Eq("state".into(), state.as_str().into()));
        }
        if let Some(text) = &f.query {
            conds.push(Cond::Or(vec![
                Cond::BeginsWith("email".into(), text.clone()),
                Cond::BeginsWith("nameLc".into(), text.clone()),
                Cond::BeginsWith("lastLc".into(), text.clone()),
            ]));
        }
        query.filter = match conds.len() {
            0 => None,
            1 => conds.pop(),
            _ => Some(Cond::And(conds)),
        };
        let scope = format!("user/find\u{0}{aid}\u{0}{}", f.scope());
        let page = paging::page(self.table.as_ref(), &self.keys, &scope, query, &find.page).await?;
        let users = page
            .data
            .into_iter()
            .map(User::from_item)
            .collect::<Result<Vec<_>>>()?;
        Ok(Page {
            data: users,
            next: page.next,
            prev: page.prev,
        })
    }
}
