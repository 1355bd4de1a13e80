//! The credential lifecycle a client sees, over HTTP against the real server:
//! enrol with the QR's secret, log in through the challenge with a code and
//! with a recovery code, reset a forgotten password from the mailed link,
//! and have an admin reset MFA.

use std::path::Path;

use roster_tests::app::token_of;
use roster_tests::server::Server;
use roster_tests::totp;
use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_roster-server");
const OWNER: &str = "boss@example.com";
const PW: &str = "correct horse battery";
const ANN: &str = "ann@example.com";
const ANN_PW: &str = "ann's long passphrase";

fn start(dir: &Path) -> Server {
    let flags = [
        "--owner-email",
        OWNER,
        "--owner-password",
        PW,
        "--mfa-issuer",
        "Story Inc",
    ];
    Server::start(BIN, dir, &flags)
}

fn ok(answer: (u16, Value)) -> Value {
    assert_eq!(answer.0, 200, "{}", answer.1);
    answer.1
}

fn code_of(answer: &(u16, Value)) -> (u16, &str) {
    (answer.0, answer.1["error"]["code"].as_str().unwrap_or(""))
}

#[test]
fn enrol_challenge_recover_reset_and_an_admins_mfa_reset() {
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path());
    let login = |email: &str, password: &str| {
        s.post(
            "user/login",
            None,
            &json!({"email": email, "password": password}),
        )
    };
    let boss = ok(login(OWNER, PW))["accessToken"]
        .as_str()
        .unwrap()
        .to_string();
    let invited = ok(s.post(
        "user/invite",
        Some(&boss),
        &json!({"email": ANN, "role": "user"}),
    ));
    let invite = token_of(invited["inviteUrl"].as_str().unwrap());
    ok(s.post(
        "user/signup",
        None,
        &json!({"token": invite, "first": "Ann", "password": ANN_PW}),
    ));
    let ann = ok(login(ANN, ANN_PW))["accessToken"]
        .as_str()
        .unwrap()
        .to_string();

    // Enrol with the secret behind the QR code.
    let enrolment = ok(s.post("user/mfaSecret", Some(&ann), &json!({})));
    let secret = enrolment["secret"].as_str().unwrap().to_string();
    let uri = enrolment["otpauthUri"].as_str().unwrap();
    assert!(
        uri.starts_with("otpauth://totp/Story%20Inc:ann@example.com?secret="),
        "{uri}"
    );
    assert!(enrolment["qrSvg"].as_str().unwrap().contains("<svg"));
    let on = ok(s.post(
        "user/setMfa",
        Some(&ann),
        &json!({"enabled": true, "code": totp::code(&secret)}),
    ));
    let recovery: Vec<String> = serde_json::from_value(on["recoveryCodes"].clone()).unwrap();
    assert_eq!(recovery.len(), 10);

    // The password alone is now a challenge; a code passes it.
    let challenge = ok(login(ANN, ANN_PW));
    assert_eq!(challenge["challenge"], "MFA");
    assert!(challenge.get("accessToken").is_none());
    let session = challenge["session"].as_str().unwrap().to_string();
    let code = totp::code(&secret);
    let tokens = ok(s.post(
        "user/login",
        None,
        &json!({"session": session, "code": code}),
    ));
    let ann = tokens["accessToken"].as_str().unwrap().to_string();
    // The same code doesn't pass a second challenge; a recovery code does, once.
    let session = ok(login(ANN, ANN_PW))["session"]
        .as_str()
        .unwrap()
        .to_string();
    let again = s.post(
        "user/login",
        None,
        &json!({"session": session, "code": code}),
    );
    assert_eq!(code_of(&again), (401, "UNAUTHENTICATED"));
    let recovered = s.post(
        "user/login",
        None,
        &json!({"session": session, "code": recovery[0]}),
    );
    ok(recovered);
    let info = ok(s.post("user/info", Some(&ann), &json!({})));
    assert_eq!(
        (info["mfa"].clone(), info["recoveryCodesLeft"].clone()),
        (json!(true), json!(9))
    );

    // A forgotten password, reset from the mailed link; MFA still applies.
    ok(s.post("user/forgotPassword", None, &json!({"email": ANN})));
    let link = s.mail_link(ANN, "/reset?token=").expect("a reset mail");
    assert!(
        link.starts_with("http://roster.test/reset?token="),
        "{link}"
    );
    ok(s.post(
        "user/resetPassword",
        None,
        &json!({"token": token_of(&link), "password": "a reset passphrase"}),
    ));
    let gone = s.post("user/info", Some(&ann), &json!({}));
    assert_eq!(code_of(&gone), (401, "UNAUTHENTICATED"));
    assert_eq!(code_of(&login(ANN, ANN_PW)), (401, "UNAUTHENTICATED"));
    let challenge = ok(login(ANN, "a reset passphrase"));
    assert_eq!(challenge["challenge"], "MFA");

    // The device is lost: an admin resets MFA, and the password alone works.
    let reset = ok(s.post("user/resetMfa", Some(&boss), &json!({"id": invited["id"]})));
    assert_eq!(reset["mfa"], false);
    let tokens = ok(login(ANN, "a reset passphrase"));
    assert!(tokens["accessToken"].is_string(), "{tokens}");
}
