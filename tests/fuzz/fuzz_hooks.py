"""Schemathesis's authentication for roster's first pass (tests/fuzz/run.sh):
logs in as one of the seeded admins and puts its access token where the
operation's security scheme says — `Authorization: Bearer` (native and
hosted APIs) or `?token=` (the local API). Public operations get nothing.
When a request is answered 401 (the fuzzer logged the session out, say),
Schemathesis asks again and repeats the request once; an admin whose login
the fuzzer has locked (429) gives way to the next."""

import json
import os
import urllib.error
import urllib.request

import schemathesis

import fuzz_threads  # noqa: F401  (makes ast.parse safe across the workers)


@schemathesis.auth(refresh_interval=600)
class SeededAdmin:
    def __init__(self):
        self.admin = 0

    def get(self, case, ctx):
        admins = int(os.environ["ROSTER_FUZZ_ADMINS"])
        while self.admin < admins:
            body = json.dumps(
                {"email": f"admin{self.admin}@fuzz.test", "password": os.environ["ROSTER_FUZZ_PASSWORD"]}
            ).encode()
            req = urllib.request.Request(
                os.environ["ROSTER_FUZZ_URL"] + "/user/login", body, {"content-type": "application/json"}
            )
            try:
                with urllib.request.urlopen(req, timeout=10) as answer:
                    return json.loads(answer.read())["accessToken"]
            except urllib.error.HTTPError:
                self.admin += 1
        raise RuntimeError("every seeded admin's login is locked")

    def set(self, case, data, ctx):
        schemes = {name for requirement in case.operation.definition.raw.get("security", []) for name in requirement}
        if "scimToken" in schemes:
            # SCIM: the SCIM token tests/fuzz/seed.py made for the account.
            scim = open(os.environ["ROSTER_FUZZ_SCIM_TOKEN_FILE"]).read().strip()
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {scim}"}
        elif "bearer" in schemes:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}
        elif "queryToken" in schemes:
            case.query = {**(case.query or {}), "token": data}
