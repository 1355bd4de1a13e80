"""The browser test: roster's pages in a real headless Chromium, driven by
Playwright for Python against the real roster-server on the embedded store.

It plays the whole story a team lives through: an admin signs in on /login
and invites a person on /team; the invitee opens the link from the outbox,
signs up on /signup, turns on MFA on /account (reading the secret from the
page and computing the code here), signs out, signs in again through the MFA
step, uses a recovery code once (and sees it refused the second time),
forgets the password and resets it from the mailed link; the admin then
changes the invitee's role, puts them in a group, disables and removes them.

Along the way it checks: spent, unknown and expired invite links each show
their state; every page carries the CSP and framing headers; no request
leaves roster's origin; the console shows no error; the first error of a
form takes the focus; a sign-in works from the keyboard alone. It saves a
screenshot of every page at desktop size and 360 px wide under
target/browser/, and runs axe-core on every page: no serious or critical
violation.

Run by tests/browser/run.sh (which installs what it needs); environment:
  ROSTER_SERVER  the roster-server binary
  CHROMIUM       the browser (Debian's chromium)
  AXE            axe.min.js from the axe-core npm package
  OUT            where screenshots go
"""

import base64
import email
import email.policy
import hmac
import json
import os
import re
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

SERVER = os.environ.get("ROSTER_SERVER", "target/debug/roster-server")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = Path(os.environ.get("AXE", "target/browser-tools/node_modules/axe-core/axe.min.js"))
OUT = Path(os.environ.get("OUT", "target/browser"))

OWNER = "owner@example.com"
OWNER_PASSWORD = "Owner-Passphrase-42-browser"
INVITEE = "ivy@example.com"
FIRST_PASSWORD = "Ivy-first-Passphrase-7"
NEW_PASSWORD = "Ivy-second-Passphrase-8"
ACCOUNT = "Acme Browsers"

DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": 360, "height": 780}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A roster-server on a fresh data folder and a free loopback port."""

    def __init__(self, *extra):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.data = Path(tempfile.mkdtemp(prefix="roster-browser-"))
        self.log = open(self.data / "server.log", "w")
        self.proc = subprocess.Popen(
            [SERVER, "--listen", f"127.0.0.1:{self.port}", "--data-dir", str(self.data),
             "--public-url", self.base, "--owner-email", OWNER, "--owner-password",
             OWNER_PASSWORD, "--account-name", ACCOUNT, *extra],
            stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(300):
            try:
                urllib.request.urlopen(self.base + "/health", timeout=1)
                return
            except OSError:
                time.sleep(0.05)
        raise SystemExit(f"roster-server did not start; log: {self.data / 'server.log'}")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)
        self.log.close()

    def call(self, op, body, token=None):
        req = urllib.request.Request(self.base + "/" + op, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
        if token:
            req.add_header("Authorization", "Bearer " + token)
        with urllib.request.urlopen(req) as res:
            return json.load(res)

    def links(self, to, page):
        """The links to `page` mailed to `to`, oldest first, read from the
        outbox's messages as a person would read them."""
        found = []
        for path in sorted((self.data / "outbox").glob("*.eml")):
            msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if to not in str(msg["To"]):
                continue
            for part in msg.walk():
                if part.get_content_type() == "text/plain":
                    found += re.findall(re.escape(self.base + page) + r"\?token=[A-Za-z0-9_\-]+",
                                        part.get_content())
        return found


def totp(secret, at=None):
    """RFC 6238: SHA-1, 6 digits, 30 s steps, as roster's QR code says."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // 30)
    mac = hmac.new(key, struct.pack(">Q", counter), "sha1").digest()
    offset = mac[-1] & 15
    value = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


class Codes:
    """TOTP codes as an authenticator app gives them, never one twice (roster
    refuses a code already used): each use takes the next 30 s step, which
    roster accepts one step early, waiting only when that is still too early."""

    def __init__(self, secret):
        self.secret = secret
        self.last = None

    def next(self):
        now = int(time.time() // 30)
        want = now if self.last is None else max(now, self.last + 1)
        if want > now + 1:
            time.sleep(want * 30 - 30 - time.time() + 1)
        self.last = want
        return totp(self.secret, want * 30)


class Watch:
    """Fails the test on a console error, an uncaught exception, or a
    request to anywhere but roster's origin; checks each page's headers."""

    HEADERS = {
        "x-frame-options": "DENY",
        "referrer-policy": "no-referrer",
        "x-content-type-options": "nosniff",
    }

    # What Chromium logs for an API answer of 4xx: expected where a step
    # provokes a refusal (a wrong password, an expired link), an error anywhere else.
    REFUSAL = re.compile(r"Failed to load resource: the server responded with a status of 4\d\d")

    def __init__(self, *origins):
        self.origins = origins
        self.problems = []
        self.pages_checked = set()
        self.refusals_expected = False
        self.sent = []

    def attach(self, page):
        page.on("console", lambda m: self.console(page, m))
        page.on("pageerror", lambda e: self.problems.append(f"uncaught on {page.url}: {e}"))
        page.on("request", self.request)
        page.on("response", self.response)
        return page

    def console(self, page, message):
        if message.type != "error":
            return
        if self.refusals_expected and self.REFUSAL.search(message.text):
            return
        self.problems.append(f"console error on {page.url}: {message.text}")

    PUBLIC_OPS = ("/user/login", "/user/refresh", "/user/signupInfo", "/user/signup",
                  "/user/forgotPassword", "/user/resetPassword")

    def request(self, req):
        url = req.url
        self.sent.append(url)
        path = "/" + url.split("?")[0].split("/", 3)[-1]
        if path in self.PUBLIC_OPS and "authorization" in req.headers:
            self.problems.append(f"a session token sent to the public {path}")
        if not any(url.startswith(o + "/") or url.startswith("blob:" + o + "/") for o in self.origins):
            self.problems.append(f"request to another origin: {url}")

    def response(self, res):
        if res.request.resource_type not in ("document", "script", "stylesheet"):
            return
        headers = res.headers
        csp = headers.get("content-security-policy", "")
        for need in ("default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"):
            if need not in csp:
                self.problems.append(f"{res.url}: CSP lacks {need}: {csp!r}")
        if "unsafe" in csp:
            self.problems.append(f"{res.url}: CSP allows unsafe: {csp!r}")
        for name, value in self.HEADERS.items():
            if headers.get(name) != value:
                self.problems.append(f"{res.url}: {name} is {headers.get(name)!r}")
        if res.request.resource_type == "document":
            path = "/" + res.url.split("?")[0].split("/", 3)[-1]
            self.pages_checked.add(path)

    def check(self):
        if self.problems:
            raise AssertionError("\n".join(self.problems))


class Shots:
    """A screenshot of each page at desktop size and 360 px wide, and axe-core
    on it: no serious or critical violation."""

    def __init__(self):
        OUT.mkdir(parents=True, exist_ok=True)
        self.axe = AXE.read_text()
        self.taken = []
        self.violations = []

    def take(self, page, name):
        page.wait_for_load_state("networkidle")
        for label, size in (("desktop", DESKTOP), ("360px", NARROW)):
            page.set_viewport_size(size)
            page.screenshot(path=str(OUT / f"{name}-{label}.png"), full_page=True)
            if label == "360px":
                wide = page.evaluate("document.documentElement.scrollWidth")
                if wide > size["width"] + 1:
                    self.violations.append(f"{name}: {wide}px wide at 360px (scrolls sideways)")
        page.set_viewport_size(DESKTOP)
        self.taken.append(name)
        # DevTools evaluation is not the page's script: the CSP doesn't apply.
        page.evaluate(self.axe)
        found = page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
                 .filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)""")
        self.violations += [f"{name}: {v}" for v in found]

    def check(self):
        if self.violations:
            raise AssertionError("accessibility:\n" + "\n".join(self.violations))


def step(watch, text, refusals=False):
    """Starts a step of the story; `refusals`: it provokes API refusals."""
    watch.refusals_expected = refusals
    print(f"browser: {text}", flush=True)


def sign_in(page, base, who, password, code=None, recovery=None):
    page.goto(base + "/login")
    page.get_by_label("E-mail", exact=True).fill(who)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    if code or recovery:
        expect(page.get_by_role("heading", name="Two-step sign-in")).to_be_visible()
        if recovery:
            page.get_by_role("button", name="Use a recovery code").click()
            page.get_by_label("Recovery code").fill(recovery)
        else:
            page.get_by_label("Code from your authenticator app").fill(code)
        page.get_by_role("button", name="Continue").click()


def main():
    server = Server()
    expiring = Server("--invite-ttl", "1s", "--open-registration")
    watch = Watch(server.base, expiring.base)
    shots = Shots()
    base = server.base
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"])
            admin_ctx = browser.new_context(viewport=DESKTOP, accept_downloads=True)
            ivy_ctx = browser.new_context(viewport=DESKTOP, accept_downloads=True)
            admin = watch.attach(admin_ctx.new_page())
            ivy = watch.attach(ivy_ctx.new_page())

            step(watch, "/ sends a stranger to /login; the first error takes the focus")
            admin.goto(base + "/")
            expect(admin).to_have_url(base + "/login")
            admin.get_by_role("button", name="Sign in").click()
            expect(admin.get_by_label("E-mail", exact=True)).to_be_focused()
            expect(admin.get_by_label("E-mail", exact=True)).to_have_attribute("aria-invalid", "true")
            expect(admin.get_by_text("Enter your e-mail.")).to_be_visible()
            shots.take(admin, "login")

            step(watch, "a wrong password says what to do, not which field was wrong", refusals=True)
            admin.get_by_label("E-mail", exact=True).fill(OWNER)
            admin.get_by_label("Password", exact=True).fill("not-the-password-at-all")
            admin.get_by_role("button", name="Sign in").click()
            alert = admin.get_by_role("alert")
            expect(alert).to_contain_text("don't match")
            expect(alert).to_contain_text("reset your password")
            expect(alert).to_be_focused()

            step(watch, "the admin signs in with the keyboard alone and lands on /team")
            admin.get_by_label("Password", exact=True).fill("")
            admin.get_by_label("E-mail", exact=True).focus()
            admin.keyboard.press("Control+A")
            admin.keyboard.type(OWNER)
            admin.keyboard.press("Tab")
            admin.keyboard.type(OWNER_PASSWORD)
            admin.keyboard.press("Enter")
            expect(admin).to_have_url(base + "/team")
            expect(admin.get_by_role("heading", name="Team: " + ACCOUNT)).to_be_visible()

            step(watch, "the admin makes a group and invites Ivy")
            admin.get_by_label("New group's name").fill("Design")
            admin.get_by_role("button", name="Create group").click()
            expect(admin.locator("#groups").get_by_role("cell", name="Design", exact=True)).to_be_visible()
            admin.get_by_label("E-mail", exact=True).fill(INVITEE)
            admin.get_by_label("First name (optional)").fill("Ivy")
            admin.get_by_label("Last name (optional)").fill("Invitee")
            admin.get_by_label("Role", exact=True).first.select_option("user")
            admin.get_by_role("button", name="Send invite").click()
            expect(admin.get_by_text("Invited " + INVITEE)).to_be_visible()
            expect(admin.locator("#people").get_by_role("cell", name=INVITEE)).to_be_visible()
            shots.take(admin, "team")

            step(watch, "Ivy opens the link from the outbox and signs up")
            links = server.links(INVITEE, "/signup")
            assert len(links) == 1, links
            link = links[0]
            ivy.goto(link)
            expect(ivy.get_by_role("heading", name="Join " + ACCOUNT)).to_be_visible()
            expect(ivy.get_by_text(INVITEE)).to_be_visible()
            expect(ivy.get_by_label("First name")).to_have_value("Ivy")
            expect(ivy.get_by_text("At least 10 characters")).to_be_visible()
            shots.take(ivy, "signup")
            ivy.get_by_label("Choose a password").fill("short")
            ivy.get_by_role("button", name="Join and sign in").click()
            expect(ivy.get_by_label("Choose a password")).to_be_focused()
            expect(ivy.get_by_text("Use at least 10 characters.")).to_be_visible()
            ivy.get_by_label("Choose a password").fill(FIRST_PASSWORD)
            ivy.get_by_role("button", name="Join and sign in").click()
            expect(ivy).to_have_url(base + "/account")
            expect(ivy.get_by_text("Two-step sign-in is off")).to_be_visible()

            step(watch, "the used link now says so; an unknown one says it is not valid", refusals=True)
            probe = watch.attach(ivy_ctx.new_page())
            probe.goto(link)
            expect(probe.get_by_role("heading", name="This link can't be used")).to_be_visible()
            expect(probe.get_by_text("already used")).to_be_visible()
            shots.take(probe, "signup-used")
            probe.goto(base + "/signup?token=" + "x" * 43)
            expect(probe.get_by_role("heading", name="This link can't be used")).to_be_visible()
            expect(probe.get_by_text("not valid")).to_be_visible()
            probe.close()

            step(watch, "an expired invite link says it expired", refusals=True)
            owner = expiring.call("user/login", {"email": OWNER, "password": OWNER_PASSWORD})
            expiring.call("user/invite", {"email": "late@example.com", "role": "user"}, owner["accessToken"])
            time.sleep(1.5)
            late = expiring.links("late@example.com", "/signup")[0]
            probe = watch.attach(ivy_ctx.new_page())
            probe.goto(late)
            expect(probe.get_by_role("heading", name="This link has expired")).to_be_visible()
            expect(probe.get_by_text("Ask an admin of your team to send you a new invite")).to_be_visible()
            shots.take(probe, "signup-expired")
            probe.close()

            step(watch, "the same page finishes an open registration")
            req = urllib.request.Request(expiring.base + "/user/login", method="POST", data=json.dumps(
                {"register": True, "email": "founder@example.com", "password": "Founder-Passphrase-9",
                 "accountName": "Founders Inc"}).encode(), headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(req) as res:
                assert res.status == 202, res.status
            probe = watch.attach(ivy_ctx.new_page())
            probe.goto(expiring.links("founder@example.com", "/signup")[0])
            expect(probe.get_by_role("heading", name="Create Founders Inc")).to_be_visible()
            probe.get_by_label("First name").fill("Fay")
            probe.get_by_label("Last name").fill("Founder")
            probe.get_by_label("Choose a password").fill("Founder-Passphrase-9")
            probe.get_by_role("button", name="Create account and sign in").click()
            expect(probe).to_have_url(expiring.base + "/account")
            expect(probe.locator("#role")).to_have_text("owner")
            probe.close()

            step(watch, "Ivy turns on MFA from the secret on the page", refusals=True)
            ivy.get_by_role("button", name="Set up two-step sign-in").click()
            expect(ivy.get_by_role("img", name="QR code to add roster to your authenticator app")).to_be_visible()
            secret = ivy.locator("#mfa-secret").inner_text().replace(" ", "")
            assert re.fullmatch(r"[A-Z2-7]{16,}", secret), secret
            ivy.get_by_label("2. Code from your app").fill("000000" if totp(secret) != "000000" else "111111")
            ivy.get_by_role("button", name="Turn on").click()
            expect(ivy.get_by_text("That code didn't work")).to_be_visible()
            expect(ivy.get_by_label("2. Code from your app")).to_be_focused()
            codes_of_app = Codes(secret)
            ivy.get_by_label("2. Code from your app").fill(codes_of_app.next())
            ivy.get_by_role("button", name="Turn on").click()
            codes_list = ivy.get_by_role("list", name="Recovery codes")
            expect(codes_list).to_be_visible()
            codes = [c.strip() for c in codes_list.get_by_role("listitem").all_inner_texts()]
            assert len(codes) == 10, codes
            with ivy.expect_download() as dl:
                ivy.get_by_role("button", name="Download").click()
            saved = Path(dl.value.path()).read_text()
            assert dl.value.suggested_filename == "roster-recovery-codes.txt"
            assert all(c in saved for c in codes), saved
            ivy.get_by_role("button", name="Copy").click()
            expect(ivy.locator("#codes-status")).not_to_be_empty()
            shots.take(ivy, "account-recovery-codes")
            ivy.get_by_role("button", name="I've saved them").click()
            expect(ivy.get_by_text("Two-step sign-in is on")).to_be_visible()
            expect(ivy.get_by_text("10 recovery codes left.")).to_be_visible()
            shots.take(ivy, "account")

            step(watch, "Ivy signs out, and back in through the MFA step")
            ivy.get_by_role("button", name="Sign out", exact=True).click()
            expect(ivy).to_have_url(base + "/login")
            sign_in(ivy, base, INVITEE, FIRST_PASSWORD)
            expect(ivy.get_by_role("heading", name="Two-step sign-in")).to_be_visible()
            shots.take(ivy, "login-mfa")
            ivy.get_by_label("Code from your authenticator app").fill(codes_of_app.next())
            ivy.get_by_role("button", name="Continue").click()
            expect(ivy).to_have_url(base + "/account")

            step(watch, "a recovery code works once", refusals=True)
            ivy.get_by_role("button", name="Sign out here").click()
            expect(ivy).to_have_url(base + "/login")
            sign_in(ivy, base, INVITEE, FIRST_PASSWORD, recovery=codes[0])
            expect(ivy).to_have_url(base + "/account")
            expect(ivy.get_by_text("9 recovery codes left.")).to_be_visible()
            ivy.get_by_role("button", name="Sign out here").click()
            expect(ivy).to_have_url(base + "/login")
            sign_in(ivy, base, INVITEE, FIRST_PASSWORD, recovery=codes[0])
            expect(ivy.get_by_role("alert")).to_contain_text("That code didn't work")
            expect(ivy).to_have_url(base + "/login")

            step(watch, "Ivy forgets the password and resets it from the mailed link", refusals=True)
            ivy.goto(base + "/login")
            ivy.get_by_role("link", name="Forgot your password?").click()
            expect(ivy).to_have_url(base + "/reset")
            shots.take(ivy, "reset")
            ivy.get_by_label("E-mail", exact=True).fill("nobody-here@example.com")
            ivy.get_by_role("button", name="Send the link").click()
            expect(ivy.get_by_role("heading", name="Check your e-mail")).to_be_visible()
            unknown = ivy.locator("#done-text").inner_text()
            ivy.goto(base + "/reset")
            ivy.get_by_label("E-mail", exact=True).fill(INVITEE)
            ivy.get_by_role("button", name="Send the link").click()
            expect(ivy.get_by_role("heading", name="Check your e-mail")).to_be_visible()
            known = ivy.locator("#done-text").inner_text()
            assert known.replace(INVITEE, "@") == unknown.replace("nobody-here@example.com", "@"), (known, unknown)
            reset_links = server.links(INVITEE, "/reset")
            assert len(reset_links) == 1, reset_links
            ivy.goto(reset_links[0])
            expect(ivy.get_by_role("heading", name="Choose a new password")).to_be_visible()
            shots.take(ivy, "reset-choose")
            ivy.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
            ivy.get_by_role("button", name="Set the new password").click()
            expect(ivy.get_by_role("heading", name="Your password is changed")).to_be_visible()
            sign_in(ivy, base, INVITEE, FIRST_PASSWORD)
            expect(ivy.get_by_role("alert")).to_contain_text("don't match")
            sign_in(ivy, base, INVITEE, NEW_PASSWORD, code=codes_of_app.next())
            expect(ivy).to_have_url(base + "/account")

            step(watch, "a member sees the team read-only")
            ivy.get_by_role("link", name="Team").click()
            expect(ivy.get_by_text("Only admins can change it")).to_be_visible()
            expect(ivy.get_by_role("button", name="Send invite")).to_be_hidden()
            expect(ivy.locator("#people").get_by_role("cell", name=OWNER)).to_be_visible()
            shots.take(ivy, "team-member")
            ivy.goto(base + "/account")
            expect(ivy.get_by_text("Two-step sign-in is on")).to_be_visible()

            step(watch, "the admin changes Ivy's role, puts her in a group, disables and removes her")
            admin.reload()
            admin.get_by_label("Search by name or e-mail").fill("ivy")
            admin.get_by_role("button", name="Search").click()
            expect(admin.locator("#people").get_by_role("cell", name=OWNER)).to_be_hidden()
            admin.get_by_role("button", name="Manage Ivy Invitee").click()
            dialog = admin.get_by_role("dialog", name="Manage Ivy Invitee")
            expect(dialog).to_be_visible()
            dialog.get_by_label("Role", exact=True).select_option("viewer")
            dialog.get_by_role("button", name="Change role").click()
            expect(dialog.get_by_text("Role changed to viewer.")).to_be_visible()
            dialog.get_by_label("Add to group").select_option(label="Design")
            dialog.get_by_role("button", name="Add", exact=True).click()
            expect(dialog.get_by_text("Added to Design.")).to_be_visible()
            shots.take(admin, "team-manage")
            dialog.get_by_role("button", name="Disable").click()
            expect(dialog.get_by_text("Disabled and signed out everywhere.")).to_be_visible()
            dialog.get_by_role("button", name="Close").click()
            row = admin.locator("#people tr").filter(has_text=INVITEE)
            expect(row).to_contain_text("viewer")
            expect(row).to_contain_text("Design")
            expect(row).to_contain_text("disabled")

            step(watch, "the disabled member's session is over", refusals=True)
            ivy.reload()
            expect(ivy).to_have_url(base + "/login")

            admin.get_by_role("button", name="Manage Ivy Invitee").click()
            dialog.get_by_role("button", name="Remove from team…").click()
            expect(dialog.get_by_text("This can't be undone")).to_be_visible()
            dialog.get_by_role("button", name="Yes, remove").click()
            expect(dialog).to_be_hidden()
            expect(admin.locator("#people").get_by_role("cell", name=INVITEE)).to_be_hidden()
            expect(admin.locator("#audit").get_by_role("cell", name="user/remove").first).to_be_visible()

            step(watch, "/ sends a signed-in admin to /team")
            admin.goto(base + "/")
            expect(admin).to_have_url(base + "/team")

            step(watch, "a wrong password counts once, even from a tab with a session", refusals=True)
            admin.goto(base + "/login")
            watch.sent.clear()
            admin.get_by_label("E-mail", exact=True).fill(OWNER)
            admin.get_by_label("Password", exact=True).fill("not-the-password-at-all")
            admin.get_by_role("button", name="Sign in").click()
            expect(admin.get_by_role("alert")).to_contain_text("don't match")
            logins = [u for u in watch.sent if u.endswith("/user/login")]
            assert len(logins) == 1 and not any(u.endswith("/user/refresh") for u in watch.sent), watch.sent

            step(watch, "a person reads the API at /docs, from the document the server serves")
            admin.goto(base + "/docs")
            expect(admin.get_by_role("heading", name="roster's API")).to_be_visible()
            login = admin.locator("#op-userLogin")
            expect(login).to_contain_text("Who may call")
            expect(login.get_by_role("heading", name="PasswordForm")).to_be_visible()
            admin.locator("#toc").get_by_role("link", name="GET /usergroup/get_all", exact=True).click()
            expect(admin.locator("#op-compatGetUsergroupGetAll")).to_be_in_viewport()
            expect(admin.locator("#errors")).to_contain_text("TOKEN_INVALID")
            shots.take(admin, "docs")

            browser.close()
        for page in ("/", "/login", "/signup", "/reset", "/account", "/team", "/docs"):
            if page not in watch.pages_checked:
                watch.problems.append(f"{page}: headers never checked")
        watch.check()
        shots.check()
        print(f"browser: passed; screenshots of {len(shots.taken)} page states in {OUT}/")
    except Exception:
        for s in (server, expiring):
            print(f"--- roster-server log ({s.data / 'server.log'})", file=sys.stderr)
            s.log.flush()
            print((s.data / "server.log").read_text()[-4000:], file=sys.stderr)
        raise
    finally:
        server.stop()
        expiring.stop()


if __name__ == "__main__":
    main()
