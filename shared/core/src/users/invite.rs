//! Inviting people: the pending user, its seat, its token and its e-mail.

use serde_json::json;

use crate::clock::now_ms;
use crate::domain::{Email, Name, Role, UserId, UserState};
use crate::error::{Error, Result};
use crate::mail;
use crate::policy;
use crate::ports::{Mail, Op};
use crate::repo::accounts::{self, Counts};
use crate::repo::audit::Target;
use crate::repo::claims::{self, EmailClaim};
use crate::repo::codec::from_item;
use crate::repo::tokens::{self, NewToken};
use crate::repo::{get_many, keys, Account, User};
use crate::roster::Tx;
use crate::Roster;

use super::{Caller, UserRef};

/// Who [`Roster::invite_user`] invites.
pub(crate) struct Invitee {
    pub email: Email,
    pub first: Name,
    pub last: Name,
    pub role: Role,
    /// The identity provider's id (SCIM `externalId`).
    pub external_id: Option<String>,
    /// Deactivated by its identity provider from the start: no link, no mail.
    pub inactive: bool,
    /// What a SCIM client stated beyond roster's fields.
    pub scim: Option<crate::repo::ScimProfile>,
    /// The SCIM `userName` to claim (one that is no e-mail address).
    pub name_claim: Option<String>,
}

impl Roster {
    /// Invites `email` into the caller's account. Returns the pending user and
    /// the invite link (the only time the token is shown).
    pub async fn invite(
        &self,
        caller: &Caller,
        email: Email,
        first: Name,
        last: Name,
        role: Role,
    ) -> Result<(User, String)> {
        let invitee = Invitee {
            email,
            first,
            last,
            role,
            external_id: None,
            inactive: false,
            scim: None,
            name_claim: None,
        };
        let (user, url) = self.invite_user(caller, invitee).await?;
        Ok((user, url.unwrap_or_default()))
    }

    /// [`Roster::invite`] of anyone, also with what a SCIM client gives; an
    /// `inactive` invitee gets no link and no mail (`None`).
    pub(crate) async fn invite_user(
        &self,
        caller: &Caller,
        invitee: Invitee,
    ) -> Result<(User, Option<String>)> {
        let Invitee {
            email,
            first,
            last,
            role,
            external_id,
            inactive,
            scim,
            name_claim,
        } = invitee;
        policy::require_admin(&caller.user)?;
        policy::require_grantable(&caller.user, role)?;
        let aid = caller.user.account_id;
        // The e-mail's claim and the account (its name for the mail) in one read.
        let [claim, account] = get_many(
            self.table.as_ref(),
            [keys::email_claim(&email), keys::account(aid)],
        )
        .await?;
        // A member of this account already has it. (A user of *another*
        // account is not mentioned: the invitee learns that at signup.)
        if let Some(claim) = claim.map(from_item::<EmailClaim>).transpose()? {
            if claim.account_id == aid {
                return Err(already_member());
            }
        }
        let account = accounts::required(self.table.as_ref(), aid, account).await?;
        let now = now_ms();
        let uid = UserId::new();
        // A SCIM user of an account that sends them no mail joins through
        // the hosted UI: its token is kept for that, never mailed.
        let hosted_join = scim.is_some() && !account.scim_invite_mail;
        let ttl = if hosted_join {
            tokens::HOSTED_JOIN_TTL_MS
        } else {
            self.settings.invite_ttl_ms
        };
        let token = if inactive {
            None
        } else {
            Some(NewToken::invite(uid, aid, &email, ttl)?)
        };
        let mut user = User::new(uid, aid, email.clone(), role, UserState::Pending, now);
        user.first = first.as_str().to_string();
        user.last = last.as_str().to_string();
        user.invite_hash = token.as_ref().map(|t| t.hash.clone());
        user.external_id = external_id;
        user.inactive = inactive;
        user.hosted_join = hosted_join;
        user.scim = scim;
        let mut tx = Tx::new();
        tx.push(user.insert_op()?);
        let invited = tx.push(claims::invite_op(aid, &email, uid)?);
        let joined = tx.push(claims::not_member_op(aid, &email));
        let named = match &name_claim {
            Some(name) => Some(tx.push(claims::scim_name_op(aid, name, uid)?)),
            None => None,
        };
        if let Some(token) = &token {
            tx.push(token.insert_op()?);
        }
        let detail = json!({"role": role.as_str()});
        tx.push(self.audit_for(caller, "user/invite", Target::user(&user), detail)?);
        self.write_counted(aid, tx, Counts::seat(role, 1), |failed| {
            if failed == joined {
                Some(already_member())
            } else if Some(failed) == named {
                Some(crate::scim::name_taken())
            } else {
                (failed == invited)
                    .then(|| Error::conflict("email", "this email is already invited"))
            }
        })
        .await?;
        let Some(token) = token.filter(|_| !hosted_join) else {
            return Ok((user, None));
        };
        let url = self.invite_url(&token.secret);
        self.send_invite(caller, &user, &url, &account).await?;
        Ok((user, Some(url)))
    }

    /// A new invite link for a pending user; the old one stops working.
    pub async fn resend_invite(&self, caller: &Caller, target: UserRef) -> Result<(User, String)> {
        policy::require_admin(&caller.user)?;
        let (user, account) = self.find_user_and_account(caller, &target).await?;
        let audit = self.audit_for(caller, "user/resendInvite", Target::user(&user), json!({}))?;
        let (user, url) = self.rotate_invite(user, Some(audit)).await?;
        self.send_invite(caller, &user, &url, &account).await?;
        Ok((user, url))
    }

    /// Replaces a pending user's invite token in one transaction.
    pub(crate) async fn rotate_invite(
        &self,
        mut user: User,
        audit: Option<Op>,
    ) -> Result<(User, String)> {
        if user.state != UserState::Pending {
            return Err(Error::conflict("id", "this user has already signed up"));
        }
        if user.inactive {
            return Err(Error::conflict(
                "id",
                "this user's identity provider deactivated it; it is invited again when activated there",
            ));
        }
        let token = NewToken::invite(
            user.id,
            user.account_id,
            &user.email,
            self.settings.invite_ttl_ms,
        )?;
        let old = user.invite_hash.replace(token.hash.clone());
        let mut tx = Tx::new();
        tx.push(user.replace_op(now_ms())?);
        tx.push(token.insert_op()?);
        tx.extend(old.map(|h| tokens::discard_op(&h)));
        tx.extend(audit);
        self.write(tx, |_| None).await?;
        let url = self.invite_url(&token.secret);
        Ok((user, url))
    }

    pub(crate) async fn send_invite(
        &self,
        caller: &Caller,
        user: &User,
        url: &str,
        account: &Account,
    ) -> Result<()> {
        let ttl = self.settings.invite_ttl_ms;
        let mail = invite_mail(&caller.user, user, url, account, ttl);
        self.mailer.send(&mail).await.map_err(|e| {
            tracing::error!(error = %e, "invite e-mail not sent");
            mail_not_sent()
        })
    }
}

/// The invite `inviter` sends `user`, with its link.
pub(crate) fn invite_mail(
    inviter: &User,
    user: &User,
    url: &str,
    account: &Account,
    ttl_ms: i64,
) -> Mail {
    invite_mail_from(&display_name(inviter), user, url, account, ttl_ms)
}

/// The invite of `user`, sent in the name `inviter`.
pub(crate) fn invite_mail_from(
    inviter: &str,
    user: &User,
    url: &str,
    account: &Account,
    ttl_ms: i64,
) -> Mail {
    mail::invite(
        user.email.as_str(),
        inviter,
        &account.name,
        user.role.as_str(),
        url,
        now_ms() + ttl_ms,
    )
}

/// An invite saved whose e-mail could not be sent.
pub(crate) fn mail_not_sent() -> Error {
    Error::Unavailable(
        "the invite was saved but its e-mail could not be sent; try resendInvite".into(),
    )
}

fn display_name(user: &User) -> String {
    let name = format!("{} {}", user.first, user.last);
    let name = name.trim();
    if name.is_empty() {
        user.email.to_string()
    } else {
        name.to_string()
    }
}

fn already_member() -> Error {
    Error::conflict(
        "email",
        "this email already belongs to a member of this account",
    )
}
