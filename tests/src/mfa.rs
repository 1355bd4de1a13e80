//! MFA steps the tests repeat: enrolling a member, logging in through the
//! challenge.

use serde_json::{json, Value};

use crate::app::{Member, Resp, TestApp};
use crate::totp;

/// A member enrolled in MFA: its secret and recovery codes.
pub struct Enrolled {
    pub secret: String,
    pub recovery: Vec<String>,
}

impl TestApp {
    /// Turns MFA on for `who` with a code from the returned secret.
    pub async fn enrol(&self, who: &Member) -> Enrolled {
        let v = self.as_member(who, "user/mfaSecret", json!({})).await.ok();
        let secret = v["secret"].as_str().unwrap().to_string();
        let r = self
            .as_member(
                who,
                "user/setMfa",
                json!({"enabled": true, "code": totp::code(&secret)}),
            )
            .await
            .ok();
        let recovery = r["recoveryCodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect();
        Enrolled { secret, recovery }
    }

    /// `{email, password}` for a user with MFA on: the challenge's session.
    pub async fn challenge(&self, email: &str, password: &str) -> String {
        let v = self.login(email, password).await.ok();
        assert_eq!(v["challenge"], "MFA", "{v}");
        assert!(v.get("accessToken").is_none(), "{v}");
        v["session"].as_str().unwrap().to_string()
    }

    /// `{session, code}`.
    pub async fn answer(&self, session: &str, code: &str) -> Resp {
        self.call(
            "user/login",
            None,
            json!({"session": session, "code": code}),
        )
        .await
    }

    /// Logs `email` in through the challenge with `code`; the member.
    pub async fn logged_in_with(&self, email: &str, password: &str, code: &str) -> Member {
        let session = self.challenge(email, password).await;
        let v: Value = self.answer(&session, code).await.ok();
        Member {
            id: v["user"]["id"].as_str().unwrap().into(),
            email: email.into(),
            token: v["accessToken"].as_str().unwrap().into(),
            refresh: v["refreshToken"].as_str().unwrap().into(),
        }
    }
}

/// A clock `offset` ms away from the system's (embedded TOTP checks).
#[derive(Default)]
pub struct OffsetClock {
    pub offset: std::sync::atomic::AtomicI64,
}

impl OffsetClock {
    pub fn set_secs(&self, secs: i64) {
        self.offset
            .store(secs * 1000, std::sync::atomic::Ordering::SeqCst);
    }
}

impl roster_core::clock::Clock for OffsetClock {
    fn now_ms(&self) -> i64 {
        roster_core::clock::now_ms() + self.offset.load(std::sync::atomic::Ordering::SeqCst)
    }
}

impl TestApp {
    /// Turns MFA off at the identity provider only, behind roster's back (as
    /// a write that failed halfway would leave it).
    pub async fn drop_mfa_at_provider(&self, user_id: &str) {
        match &self.pool {
            None => {
                let key = roster_core::repo::keys::login(user_id);
                let op = roster_core::ports::Op::update(key).remove("totp");
                self.roster.table.transact(vec![op], "drop").await.unwrap();
            }
            Some((pool, _)) => {
                use aws_sdk_cognitoidentityprovider::types::SoftwareTokenMfaSettingsType;
                let sdk = roster_aws::sdk_config().await;
                aws_sdk_cognitoidentityprovider::Client::new(&sdk)
                    .admin_set_user_mfa_preference()
                    .user_pool_id(pool)
                    .username(user_id)
                    .software_token_mfa_settings(
                        SoftwareTokenMfaSettingsType::builder()
                            .enabled(false)
                            .preferred_mfa(false)
                            .build(),
                    )
                    .send()
                    .await
                    .unwrap();
            }
        }
    }

    /// An access token for `who`'s own session, as if its login were
    /// `minutes` old.
    pub fn aged_token(&self, who: &Member, account_id: &str, minutes: i64) -> String {
        use roster_core::domain::{AccountId, SessionId, UserId};
        let sid = who.refresh.split('.').next().unwrap();
        self.roster
            .keys
            .sign_access(
                UserId::parse(&who.id).unwrap(),
                AccountId::parse(account_id).unwrap(),
                SessionId::parse(sid).unwrap(),
                roster_core::clock::now_ms() - minutes * 60_000,
            )
            .unwrap()
    }
}
