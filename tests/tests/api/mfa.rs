//! TOTP MFA: enrolment with the QR's secret, recovery codes, turning it off.
//! Codes are computed here from the secret roster returned, as an
//! authenticator app would. (The login challenge: `mfa_login.rs`; an admin's
//! reset: `mfa_reset.rs`.)

use std::sync::Arc;

use roster_tests::app::{Backend, Options, TestApp, OWNER_EMAIL, PASSWORD};
use roster_tests::mfa::OffsetClock;
use roster_tests::totp;
use serde_json::json;

const ANN: &str = "ann@example.com";

#[tokio::test]
async fn enrolling_takes_a_code_of_the_new_secret_and_answers_ten_recovery_codes() {
    let app = TestApp::new().await;
    let ann = app.member(ANN, "user").await;
    let v = app.as_member(&ann, "user/mfaSecret", json!({})).await.ok();
    let secret = v["secret"].as_str().unwrap().to_string();
    assert!(
        !secret.is_empty()
            && secret
                .chars()
                .all(|c| c.is_ascii_alphanumeric() && !"0189".contains(c)),
        "{secret}"
    );
    assert_eq!(
        v["otpauthUri"],
        format!("otpauth://totp/roster:{ANN}?secret={secret}&issuer=roster")
    );
    let svg = v["qrSvg"].as_str().unwrap();
    assert!(svg.contains("<svg") && svg.contains("</svg>"), "{svg}");
    // Nothing changed yet.
    assert_eq!(
        app.as_member(&ann, "user/info", json!({})).await.ok()["mfa"],
        false
    );
    for bad in [totp::wrong_code(&secret), "12345".into(), "abc".into()] {
        let r = app
            .as_member(&ann, "user/setMfa", json!({"enabled": true, "code": bad}))
            .await;
        r.err(400, "INVALID");
        assert_eq!(r.field(), "code");
    }
    let r = app
        .as_member(
            &ann,
            "user/setMfa",
            json!({"enabled": true, "code": totp::code(&secret)}),
        )
        .await
        .ok();
    let codes: Vec<&str> = r["recoveryCodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(codes.len(), 10);
    let mut unique = codes.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 10);
    let info = app.as_member(&ann, "user/info", json!({})).await.ok();
    assert_eq!(
        (info["mfa"].clone(), info["recoveryCodesLeft"].clone()),
        (json!(true), json!(10))
    );
    // Enabling twice, or asking for a new secret while on, is a conflict.
    app.as_member(
        &ann,
        "user/setMfa",
        json!({"enabled": true, "code": totp::code(&secret)}),
    )
    .await
    .err(409, "CONFLICT");
    app.as_member(&ann, "user/mfaSecret", json!({}))
        .await
        .err(409, "CONFLICT");
    // Admins see that MFA is on; nobody sees a secret.
    let user = app.as_owner("user/get", json!({"id": ann.id})).await.ok();
    assert_eq!(user["mfa"], true);
    assert!(!user.to_string().contains(&secret));
}

#[tokio::test]
async fn asking_for_a_secret_again_replaces_the_pending_one() {
    let app = TestApp::new().await;
    if app.backend == Backend::Aws {
        // The emulator hands every user one fixed secret.
        return;
    }
    let first = app.as_owner("user/mfaSecret", json!({})).await.ok()["secret"]
        .as_str()
        .unwrap()
        .to_string();
    let second = app.as_owner("user/mfaSecret", json!({})).await.ok()["secret"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(first, second);
    app.as_owner(
        "user/setMfa",
        json!({"enabled": true, "code": totp::code(&first)}),
    )
    .await
    .err(400, "INVALID");
    app.as_owner(
        "user/setMfa",
        json!({"enabled": true, "code": totp::code(&second)}),
    )
    .await
    .ok();
}

#[tokio::test]
async fn turning_mfa_on_or_off_ends_the_users_other_sessions() {
    let app = TestApp::new().await;
    let ann = app.member(ANN, "user").await;
    let other = app.logged_in(ANN, PASSWORD).await;
    let mfa = app.enrol(&ann).await;
    app.as_member(&other, "user/info", json!({}))
        .await
        .err(401, "UNAUTHENTICATED");
    app.call("user/refresh", None, json!({"refreshToken": other.refresh}))
        .await
        .err(401, "UNAUTHENTICATED");
    // The session that turned it on goes on, refresh included.
    app.as_member(&ann, "user/info", json!({})).await.ok();
    let v = app
        .call("user/refresh", None, json!({"refreshToken": ann.refresh}))
        .await
        .ok();
    let ann_token = v["accessToken"].as_str().unwrap().to_string();
    let later = app.logged_in_with(ANN, PASSWORD, &mfa.recovery[0]).await;
    app.call(
        "user/setMfa",
        Some(&ann_token),
        json!({"enabled": false, "code": mfa.recovery[1]}),
    )
    .await
    .ok();
    app.as_member(&later, "user/info", json!({}))
        .await
        .err(401, "UNAUTHENTICATED");
    app.call("user/info", Some(&ann_token), json!({}))
        .await
        .ok();
    // Off: the password alone logs in again.
    let v = app.login(ANN, PASSWORD).await.ok();
    assert!(v["accessToken"].is_string(), "{v}");
    assert_eq!(v["user"]["mfa"], false);
}

#[tokio::test]
async fn turning_mfa_off_takes_a_valid_totp_or_recovery_code() {
    let app = TestApp::new().await;
    let ann = app.member(ANN, "user").await;
    let mfa = app.enrol(&ann).await;
    for bad in [
        totp::wrong_code(&mfa.secret),
        "aaaa-bbbb-cccc-dddd".into(),
        "nonsense".into(),
    ] {
        let r = app
            .as_member(&ann, "user/setMfa", json!({"enabled": false, "code": bad}))
            .await;
        r.err(400, "INVALID");
        assert_eq!(r.field(), "code");
    }
    app.as_member(
        &ann,
        "user/setMfa",
        json!({"enabled": false, "code": totp::code(&mfa.secret)}),
    )
    .await
    .ok();
    assert_eq!(
        app.as_member(&ann, "user/info", json!({})).await.ok()["mfa"],
        false
    );
    // Off twice is a conflict.
    app.as_member(
        &ann,
        "user/setMfa",
        json!({"enabled": false, "code": totp::code(&mfa.secret)}),
    )
    .await
    .err(409, "CONFLICT");
}

#[tokio::test]
async fn wrong_codes_outside_a_login_count_against_the_login_limit() {
    let app = TestApp::new().await;
    let ann = app.member(ANN, "user").await;
    let mfa = app.enrol(&ann).await;
    let wrong = totp::wrong_code(&mfa.secret);
    for _ in 0..5 {
        app.as_member(
            &ann,
            "user/setMfa",
            json!({"enabled": false, "code": wrong}),
        )
        .await
        .err(400, "INVALID");
    }
    app.as_member(
        &ann,
        "user/setMfa",
        json!({"enabled": false, "code": mfa.recovery[0]}),
    )
    .await
    .err(429, "RATE_LIMITED");
}

#[tokio::test]
async fn regenerating_recovery_codes_takes_a_totp_code_and_voids_the_old_ones() {
    let app = TestApp::new().await;
    let ann = app.member(ANN, "user").await;
    let mfa = app.enrol(&ann).await;
    for bad in [totp::wrong_code(&mfa.secret), mfa.recovery[0].clone()] {
        let r = app
            .as_member(&ann, "user/regenerateRecoveryCodes", json!({"code": bad}))
            .await;
        r.err(400, "INVALID");
        assert_eq!(r.field(), "code");
    }
    let v = app
        .as_member(
            &ann,
            "user/regenerateRecoveryCodes",
            json!({"code": totp::code(&mfa.secret)}),
        )
        .await
        .ok();
    let fresh: Vec<String> = serde_json::from_value(v["recoveryCodes"].clone()).unwrap();
    assert_eq!(fresh.len(), 10);
    assert!(!fresh.contains(&mfa.recovery[0]));
    let session = app.challenge(ANN, PASSWORD).await;
    app.answer(&session, &mfa.recovery[0])
        .await
        .err(401, "UNAUTHENTICATED");
    app.answer(&session, &fresh[0]).await.ok();
}

#[tokio::test]
async fn totp_codes_are_taken_one_step_either_side_of_now() {
    let clock = Arc::new(OffsetClock::default());
    let app = TestApp::with(Options {
        clock: Some(clock.clone()),
        backend: Some(Backend::Embedded),
        ..Options::default()
    })
    .await;
    let mfa = app.enrol(&app.owner).await;
    let regenerate = |code: String| {
        let app = &app;
        async move {
            app.as_owner("user/regenerateRecoveryCodes", json!({"code": code}))
                .await
        }
    };
    // The code of the server's previous step, and of its next one, pass.
    for drift in [30, -30] {
        clock.set_secs(drift);
        regenerate(totp::code_at(&mfa.secret, totp::now_secs()))
            .await
            .ok();
    }
    // Two steps away they fail.
    for drift in [60, -60] {
        clock.set_secs(drift);
        regenerate(totp::code_at(&mfa.secret, totp::now_secs()))
            .await
            .err(400, "INVALID");
    }
    // The login challenge reads the same clock.
    clock.set_secs(30);
    let session = app.challenge(OWNER_EMAIL, PASSWORD).await;
    app.answer(&session, &totp::code_at(&mfa.secret, totp::now_secs()))
        .await
        .ok();
}

#[tokio::test]
async fn a_hosted_ui_user_sets_up_mfa_in_the_pool() {
    let app = TestApp::new().await;
    let invited = app.invite(ANN, "user").await;
    let invite = roster_tests::app::token_of(invited["inviteUrl"].as_str().unwrap());
    let id_token = app.hosted_token("ann", ANN, true).await;
    let v = app
        .hosted_login(&id_token, json!({"invite": invite}))
        .await
        .ok();
    let token = v["accessToken"].as_str().unwrap();
    app.call("user/mfaSecret", Some(token), json!({}))
        .await
        .err(403, "FORBIDDEN");
}

#[tokio::test]
async fn enrolling_takes_a_recent_password_login() {
    let app = TestApp::new().await;
    let ann = app.member(ANN, "user").await;
    let account = app.as_member(&ann, "user/info", json!({})).await.ok()["accountId"]
        .as_str()
        .unwrap()
        .to_string();
    // A session whose login is 16 minutes old (a stolen, refreshed one, say).
    let old = app.aged_token(&ann, &account, 16);
    app.call("user/info", Some(&old), json!({})).await.ok();
    app.call("user/mfaSecret", Some(&old), json!({}))
        .await
        .err(403, "FORBIDDEN");
    let secret = app.as_member(&ann, "user/mfaSecret", json!({})).await.ok()["secret"]
        .as_str()
        .unwrap()
        .to_string();
    app.call(
        "user/setMfa",
        Some(&old),
        json!({"enabled": true, "code": totp::code(&secret)}),
    )
    .await
    .err(403, "FORBIDDEN");
    // 14 minutes is recent enough.
    let recent = app.aged_token(&ann, &account, 14);
    app.call(
        "user/setMfa",
        Some(&recent),
        json!({"enabled": true, "code": totp::code(&secret)}),
    )
    .await
    .ok();
}

#[tokio::test]
async fn mfa_changes_are_mailed_to_the_user() {
    let app = TestApp::new().await;
    let ann = app.member(ANN, "user").await;
    let before = app.mails_to(ANN);
    let mfa = app.enrol(&ann).await;
    assert_eq!(app.mails_to(ANN), before + 1);
    app.as_member(
        &ann,
        "user/setMfa",
        json!({"enabled": false, "code": mfa.recovery[0]}),
    )
    .await
    .ok();
    assert_eq!(app.mails_to(ANN), before + 2);
    app.as_owner("user/resetMfa", json!({"id": ann.id}))
        .await
        .ok();
    assert_eq!(app.mails_to(ANN), before + 3);
}

#[tokio::test]
async fn a_change_that_lost_a_race_to_a_sign_out_does_not_bring_its_session_back() {
    let mut app = TestApp::new().await;
    let ann = app.member(ANN, "user").await;
    let mfa = app.enrol(&ann).await;
    let table = roster_tests::faults::FaultyTable::new(app.roster.table.clone());
    let mut roster = app.roster.clone();
    roster.table = table.clone();
    app.use_roster(roster);
    // "Log out everywhere" (or a reset) lands while ann turns MFA off.
    let account = app.as_member(&ann, "user/info", json!({})).await.ok()["accountId"]
        .as_str()
        .unwrap()
        .to_string();
    let key = roster_core::ports::Key::new(format!("ACCT#{account}"), format!("USER#{}", ann.id));
    let later = roster_core::clock::now_ms() + 1;
    table.interleave_before_write_to(
        key.clone(),
        vec![roster_core::ports::Op::update(key)
            .set("sessionsValidAfter", later)
            .remove("survivor")
            .add("version", 1)],
    );
    std::thread::sleep(std::time::Duration::from_millis(5));
    app.as_member(
        &ann,
        "user/setMfa",
        json!({"enabled": false, "code": mfa.recovery[0]}),
    )
    .await
    .err(401, "UNAUTHENTICATED");
    app.as_member(&ann, "user/info", json!({}))
        .await
        .err(401, "UNAUTHENTICATED");
}
