"""Helpers of tests/clients/run.sh (run with the python that has `requests`).

  check.py login BASE EMAIL PASSWORD        print an access token (POST /user/login)
  check.py prepare SAMPLE DEST KEY=VALUE..  copy SAMPLE to DEST, replacing each KEY by VALUE
  check.py capture SAMPLE OUT               run a Python sample unchanged, its print()ed value to OUT as JSON
  check.py invite-token OUTBOX ADDRESS      print the signup token of the invitation mailed to ADDRESS
  check.py check NAME OUT                   assert on what sample NAME printed (OUT, JSON)
"""

import builtins
import email
import email.policy
import json
import pathlib
import re
import runpy
import sys
import urllib.request

OWNER = "owner@example.com"
INVITEE = "newuser@example.com"


def login(base, address, password):
    request = urllib.request.Request(
        f"{base}/user/login",
        data=json.dumps({"email": address, "password": password}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        print(json.load(response)["accessToken"])


def prepare(sample, dest, *pairs):
    text = pathlib.Path(sample).read_text()
    for pair in pairs:
        key, value = pair.split("=", 1)
        text = text.replace(key, value)
    pathlib.Path(dest).write_text(text)


def capture(sample, out):
    """Runs the sample as a script; print() still prints, and its argument is kept."""
    printed = []
    real_print = builtins.print

    def keep(*args, **kwargs):
        printed.extend(args[:1])
        real_print(*args, **kwargs)

    builtins.print = keep
    try:
        runpy.run_path(sample, run_name="__main__")
    finally:
        builtins.print = real_print
    assert len(printed) == 1, f"the sample printed {len(printed)} values, not one"
    pathlib.Path(out).write_text(json.dumps(printed[0]))


def invite_token(outbox, address):
    """The embedded mailer writes each message to <data-dir>/outbox/<id>.eml;
    the invitation's text part holds <public-url>/signup?token=<token>
    (quoted-printable, so the part is decoded before the link is read)."""
    tokens = []
    for path in sorted(pathlib.Path(outbox).glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if address not in [to.addr_spec for to in message["To"].addresses]:
            continue
        text = message.get_body(preferencelist=("plain",)).get_content()
        tokens += re.findall(r"/signup\?token=([A-Za-z0-9_-]+)", text)
    assert len(tokens) == 1, f"{len(tokens)} invitation links to {address} in {outbox}"
    print(tokens[0])


def expect(condition, what):
    if not condition:
        raise AssertionError(what)


def list_users(body):
    expect(isinstance(body.get("data"), list), "`data` is a list")
    expect(
        any(OWNER in (user.get("username"), user.get("email")) for user in body["data"]),
        f"`data` holds the owner {OWNER}",
    )
    expect(isinstance(body.get("total"), int) and body["total"] >= 1, "`total` >= 1")
    expect(body.get("options") == {"page": 1, "pageSize": 25}, "`options` is {page: 1, pageSize: 25}")


def usergroup_get_all(body):
    expect(isinstance(body.get("data"), list), "`data` is a list")
    expect(isinstance(body.get("total"), int), "`total` is a number")
    expect(body.get("options", {}).get("page") == 1, "`options.page` is 1")
    expect(body.get("options", {}).get("pageSize") == 20, "`options.pageSize` is 20")


def usergroup_insert(body):
    expect(isinstance(body.get("id"), str) and body["id"], "the group has an `id`")
    expect(body.get("name") == "Design Team", "the group is named Design Team")


def hosted_userinfo(body):
    expect(body.get("username") == OWNER, f"`username` is {OWNER}")
    expect(body.get("owner") is True, "`owner` is true")


def hosted_insert_user(body):
    expect(body.get("username") == INVITEE, f"`username` is {INVITEE}")
    expect(body.get("status") == 4, "`status` is 4 (pending)")
    expect(body.get("userType") == 32, "`userType` is 32")


def hosted_signup(body):
    expect(body.get("username") == INVITEE, f"`username` is {INVITEE}")
    expect(body.get("status") == 1, "`status` is 1 (active)")


CHECKS = {
    "local_list_users": list_users,
    "usergroup_get_all": usergroup_get_all,
    "usergroup_insert": usergroup_insert,
    "hosted_userinfo": hosted_userinfo,
    "hosted_insert_user": hosted_insert_user,
    "hosted_signup": hosted_signup,
}


def check(name, out):
    body = json.loads(pathlib.Path(out).read_text())
    if not isinstance(body, dict):
        raise AssertionError(f"printed {body!r}, not an object")
    try:
        CHECKS[name](body)
    except AssertionError as failed:
        raise AssertionError(f"{name}: expected {failed}; got {json.dumps(body)}") from None


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    commands = {
        "login": login,
        "prepare": prepare,
        "capture": capture,
        "invite-token": invite_token,
        "check": check,
    }
    if command in ("invite-token", "check"):
        try:
            commands[command](*args)
        except AssertionError as failed:
            sys.exit(f"check.py {command}: {failed}")
    else:
        commands[command](*args)
