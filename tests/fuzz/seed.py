"""Seeds the account Schemathesis fuzzes (tests/fuzz/run.sh): the owner
invites admins (the first pass acts as them) and a member, all sign up from
their links, and the member goes into a group, so that reads have something
to find and writes something to act on.

Several admins, because the fuzzer, acting as one, locks its password
login as roster promises: five wrong `currentPassword`s in a quarter of an
hour (user/changePassword) and the next login is refused; after a
`user/logout {all: true}` the hooks then log in as the next admin."""

import json
import os
import sys
import urllib.request

BASE = sys.argv[1]
PASSWORD = os.environ["ROSTER_FUZZ_PASSWORD"]


def call(path, body, token=None):
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    req = urllib.request.Request(f"{BASE}/{path}", json.dumps(body).encode(), headers)
    with urllib.request.urlopen(req, timeout=10) as answer:
        return json.loads(answer.read() or b"{}")


def joined(owner, email, role):
    invited = call("user/invite", {"email": email, "role": role, "first": "Fuzz"}, owner)
    token = invited["inviteUrl"].split("token=")[1]
    signed = call("user/signup", {"token": token, "first": "Fuzz", "last": role, "password": PASSWORD})
    return signed["user"]["id"]


owner = call("user/login", {"email": os.environ["ROSTER_FUZZ_OWNER"], "password": PASSWORD})["accessToken"]
for n in range(int(os.environ["ROSTER_FUZZ_ADMINS"])):
    joined(owner, f"admin{n}@fuzz.test", "admin")
member = joined(owner, "member@fuzz.test", "user")
group = call("group/create", {"name": "Seeded", "description": "made by seed.py"}, owner)
call("group/assign", {"assignments": [{"userId": member, "groupId": group["id"]}]}, owner)
# The SCIM token the first pass's SCIM operations present (made by the
# owner, whom the fuzzer cannot demote, so the token outlives the run).
scim = call("account/scimTokenCreate", {"name": "Schemathesis"}, owner)["secret"]
with open(os.environ["ROSTER_FUZZ_SCIM_TOKEN_FILE"], "w") as f:
    f.write(scim)
print(f"seeded: an admin, a member, group {group['id']}, a SCIM token")
