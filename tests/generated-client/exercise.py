"""Every operation of roster, called through a Python client that
openapi-python-client generated from the server's own /openapi.json
(tests/generated-client/run.sh): each call is the generated function, with
the generated models, and each answer must parse into the model the
document names for it. Nothing here builds a URL or a body by hand, but the
local API's `?token=` (its security scheme, which the generator leaves to
the caller) and the links that arrive by mail.

    python exercise.py <base-url> <data-dir> <owner e-mail> <password>
"""

import base64
import hashlib
import hmac
import importlib
import pathlib
import struct
import sys
import time

BASE, DATA, OWNER, PASSWORD = sys.argv[1:5]
rc = importlib.import_module("roster_client")
m = importlib.import_module("roster_client.models")
from roster_client.types import UNSET  # noqa: E402

called = set()


def op(group, name):
    """The generated module of an operation, counted as called."""
    called.add(name)
    return importlib.import_module(f"roster_client.api.{group}.{name}")


def ok(response, model, status=200):
    """The answer has `status` and parses into `model` (None: no body)."""
    assert response.status_code == status, (response.status_code, response.content[:400])
    if model is None:
        return response.parsed
    assert isinstance(response.parsed, model), (type(response.parsed), response.content[:400])
    return response.parsed


def client(token=None, query_token=False):
    if token is None:
        return rc.Client(base_url=BASE, raise_on_unexpected_status=True)
    args = {"params": {"token": token}} if query_token else {}
    return rc.AuthenticatedClient(base_url=BASE, token=token, raise_on_unexpected_status=True, httpx_args=args)


def totp(secret, at=None):
    """RFC 6238: the 6-digit code of `secret` (base32) for the 30 s step of `at`."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    step = int((at or time.time()) // 30)
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 15
    number = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def mailed_link(to, path):
    """The newest link to `path` in a mail to `to`, from the outbox."""
    for mail in sorted(pathlib.Path(DATA, "outbox").glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True):
        text = mail.read_text(errors="replace").replace("=\r\n", "").replace("=\n", "")
        if f"To: {to}" in text or f"<{to}>" in text:
            for word in text.replace("=3D", "=").split():
                if f"{path}?token=" in word:
                    return word.split("token=")[1].strip('"<>').split('"')[0]
    raise AssertionError(f"no mail to {to} with a {path} link")


def login(email, password):
    return ok(op("user", "user_login").sync_detailed(client=client(), body=m.PasswordForm(email=email, password=password)), m.Tokens)


def joined(admin, email, role, password=PASSWORD):
    """Invites `email`, signs it up from the link, and logs it in."""
    invited = ok(op("user", "user_invite").sync_detailed(client=admin, body=m.InviteBody(email=email, role=role, first="Gen")), m.User)
    token = invited.invite_url.split("token=")[1]
    info = ok(op("user", "user_signup_info").sync_detailed(client=client(), body=m.InfoBody(token=token)), m.SignupInfo)
    assert info.email == email
    ok(op("user", "user_signup").sync_detailed(client=client(), body=m.SignupBody(token=token, password=password, first="Gen", last=role)), m.SignedUp)
    return login(email, password)


def main():
    owner_tokens = login(OWNER, PASSWORD)
    owner = client(owner_tokens.access_token)

    # The caller and its account.
    info = ok(op("user", "user_info").sync_detailed(client=owner, body=m.Empty()), m.Info)
    assert info.owner
    ok(op("account", "account_get").sync_detailed(client=owner, body=m.Empty()), m.Account)
    ok(op("account", "account_usage").sync_detailed(client=owner, body=m.Empty()), m.Usage)
    ok(op("account", "account_update").sync_detailed(client=owner, body=m.AccountUpdateBody(name="Generated Co")), m.Account)

    # People: invite, sign up, find, change, remove.
    ada_tokens = joined(owner, "ada@gen.test", m.Role.ADMIN)
    ada = client(ada_tokens.access_token)
    bob_tokens = joined(ada, "bob@gen.test", m.Role.USER)
    page = ok(op("user", "user_find").sync_detailed(client=owner, body=m.UserFindBody(query="bob", details=True), limit=10), m.UserPage)
    bob_id = page.data[0].id
    ok(op("user", "user_get").sync_detailed(client=owner, body=m.GetBodyType0(id=bob_id)), m.User)
    ok(op("user", "user_update").sync_detailed(client=owner, body=m.UserUpdateBody(id=bob_id, first="Bobby")), m.User)
    ok(op("user", "user_update_role").sync_detailed(client=owner, body=m.UpdateRoleBody(id=bob_id, role=m.Role.VIEWER)), m.User)
    pending = ok(op("user", "user_invite").sync_detailed(client=owner, body=m.InviteBody(email="cy@gen.test", role=m.Role.USER)), m.User)
    ok(op("user", "user_resend_invite").sync_detailed(client=owner, body=m.UserRefBodyType1(email="cy@gen.test")), m.User)
    ok(op("user", "user_remove").sync_detailed(client=owner, body=m.UserRefBodyType0(id=pending.id)), m.Done)

    # Groups.
    group = ok(op("group", "group_create").sync_detailed(client=owner, body=m.CreateBody(name="Generated")), m.Group)
    ok(op("group", "group_get").sync_detailed(client=owner, body=m.IdBody(id=group.id)), m.Group)
    ok(op("group", "group_update").sync_detailed(client=owner, body=m.GroupUpdateBody(id=group.id, description="made by a generated client")), m.Group)
    ok(op("group", "group_find").sync_detailed(client=owner, body=m.GroupFindBody(name="gen")), m.GroupPage)
    ok(op("group", "group_assign").sync_detailed(client=owner, body=m.AssignBody(assignments=[m.Assignment(user_id=bob_id, group_id=group.id)])), m.Assigned)
    ok(op("group", "group_members").sync_detailed(client=owner, body=m.MembersBody(group_id=group.id)), m.UserPage)
    ok(op("group", "group_of_user").sync_detailed(client=owner, body=m.OfUserBody(user_id=bob_id)), m.GroupPage)
    ok(op("group", "group_unassign").sync_detailed(client=owner, body=m.UnassignBody(user_id=bob_id, group_id=group.id)), m.Done)
    rows = [m.RowBody(user=m.RowUser(email="dee@gen.test", role=m.Role.USER), groups=["Imported"])]
    ok(op("group", "group_import").sync_detailed(client=owner, body=m.ImportBody(rows=rows)), m.ImportResults)
    ok(op("account", "account_audit").sync_detailed(client=owner, body=m.AuditBody(), limit=5), m.AuditEntryPage)

    # Sessions, passwords, MFA (as Bob, then Ada resets his MFA).
    renewed = ok(op("user", "user_refresh").sync_detailed(client=client(), body=m.RefreshBody(refresh_token=bob_tokens.refresh_token)), m.Tokens)
    bob = client(renewed.access_token)
    secret = ok(op("user", "user_mfa_secret").sync_detailed(client=bob, body=m.Empty()), m.MfaSecret)
    on = ok(op("user", "user_set_mfa").sync_detailed(client=bob, body=m.SetMfaBody(enabled=True, code=totp(secret.secret))), m.RecoveryCodes)
    challenge = ok(op("user", "user_login").sync_detailed(client=client(), body=m.PasswordForm(email="bob@gen.test", password=PASSWORD)), m.MfaChallenge)
    second = ok(op("user", "user_login").sync_detailed(client=client(), body=m.ChallengeForm(session=challenge.session, code=on.recovery_codes[0])), m.Tokens)
    bob = client(second.access_token)
    # A code is good once; roster takes one step either side of now, so the
    # next step's code is another good one.
    ok(op("user", "user_regenerate_recovery_codes").sync_detailed(client=bob, body=m.CodeBody(code=totp(secret.secret, time.time() + 30))), m.RecoveryCodes)
    ok(op("user", "user_reset_mfa").sync_detailed(client=ada, body=m.ResetMfaBody(id=bob_id)), m.User)
    bob = client(login("bob@gen.test", PASSWORD).access_token)
    new_password = "a different long passphrase"
    ok(op("user", "user_change_password").sync_detailed(client=bob, body=m.ChangeBody(current_password=PASSWORD, password=new_password)), m.Done)
    ok(op("user", "user_forgot_password").sync_detailed(client=client(), body=m.ForgotBody(email="bob@gen.test")), m.Done)
    reset = mailed_link("bob@gen.test", "/reset")
    ok(op("user", "user_reset_password").sync_detailed(client=client(), body=m.ResetBody(token=reset, password=PASSWORD)), m.Done)
    bob_tokens = login("bob@gen.test", PASSWORD)
    ok(op("user", "user_logout").sync_detailed(client=client(bob_tokens.access_token), body=m.LogoutBody(all_=True)), m.Done)

    # The hosted API (bearer), as the owner.
    hosted = client(owner_tokens.access_token)
    ok(op("hosted_api", "compat_get_api_v1_user_userinfo").sync_detailed(client=hosted), m.CompatUserInfo)
    ok(op("hosted_api", "compat_put_api_v1_user_update_user").sync_detailed(client=hosted, body=m.CompatUpdateUser(first_name="Owen")), m.CompatUserInfo)
    ok(op("hosted_api", "compat_get_api_v1_user_package_inquiry").sync_detailed(client=hosted), m.CompatPackageInquiry)
    ok(op("hosted_api", "compat_get_api_v1_user_get_all_users").sync_detailed(client=hosted, pagesize=10, sortfield="username"), m.CompatUserCollection)
    ok(op("hosted_api", "compat_get_api_v1_user_get_all_users_with_details").sync_detailed(client=hosted, deleted="true"), m.CompatHostedUserDetailsCollection)
    erin = ok(op("hosted_api", "compat_post_api_v1_user_insert_user").sync_detailed(client=hosted, body=m.CompatInsertUser(username="erin@gen.test", user_type=m.CompatUserType.VALUE_32)), m.CompatUser)
    ok(op("hosted_api", "compat_put_api_v1_user_edit_user").sync_detailed(client=hosted, body=m.CompatEditUserType(id=erin.id, user_type=m.CompatUserType.VALUE_64)), m.CompatUser)
    ok(op("hosted_api", "compat_post_api_v1_user_resend_user_email").sync_detailed(client=client(), body=m.CompatResendUserEmail(username="erin@gen.test")), None)
    token = mailed_link("erin@gen.test", "/signup")
    ok(op("hosted_api", "compat_get_api_v1_user_signupinfo").sync_detailed(client=client(), token=token), m.CompatUser)
    ok(op("hosted_api", "compat_post_api_v1_user_signup").sync_detailed(client=client(), body=m.CompatSignup(token=token, password=PASSWORD)), m.CompatUser)
    erin_hosted = client(login("erin@gen.test", PASSWORD).access_token)
    text = op("hosted_api", "compat_post_api_v1_user_generate_mfa_token").sync_detailed(client=erin_hosted)
    assert text.status_code == 200 and len(text.content) >= 16, text.content
    ok(op("hosted_api", "compat_post_api_v1_user_set_mfa").sync_detailed(client=erin_hosted, body=m.CompatSetMfa(enabled=True, user_code=totp(text.content.decode()))), None)
    ok(op("hosted_api", "compat_post_api_v1_user_reset_password").sync_detailed(client=erin_hosted, body=m.CompatResetPassword(current_password=PASSWORD, password=new_password)), None)
    ok(op("hosted_api", "compat_delete_api_v1_user_delete_user").sync_detailed(client=hosted, id=erin.id), None)

    # The local API (?token=), as Ada.
    local = client(ada_tokens.access_token, query_token=True)
    ok(op("local_api", "compat_get_user_package_inquiry").sync_detailed(client=local), m.CompatPackageInquiry)
    ok(op("local_api", "compat_get_user_get_all_users").sync_detailed(client=local, page=1, descending="false"), m.CompatUserCollection)
    ok(op("local_api", "compat_get_user_get_all_users_with_details").sync_detailed(client=local), m.CompatLocalUserDetailsCollection)
    fay = ok(op("local_api", "compat_post_user_insert_user").sync_detailed(client=local, body=m.CompatInsertUser(email="fay@gen.test", user_type=m.CompatUserType.VALUE_32)), m.CompatUser)
    ok(op("local_api", "compat_put_user_edit_user").sync_detailed(client=local, body=m.CompatEditUser(id=fay.id, firstname="Fay")), m.CompatUser)
    ok(op("local_api", "compat_post_user_resend_user_email").sync_detailed(client=local, body=m.CompatUserRef(id=fay.id)), None)
    team = ok(op("local_api", "compat_post_usergroup_insert").sync_detailed(client=local, body=m.CompatUserGroupNew(name="Local team")), m.CompatUserGroup)
    ok(op("local_api", "compat_put_usergroup_update").sync_detailed(client=local, body=m.CompatUserGroupChange(id=team.id, active=True)), m.CompatUserGroup)
    ok(op("local_api", "compat_post_usergroup_assign_users").sync_detailed(client=local, body=[m.CompatAssignUser(user_id=fay.id, user_group_id=team.id)]), None)
    ok(op("local_api", "compat_get_usergroup_get_all").sync_detailed(client=local, name="local"), m.CompatUserGroupCollection)
    ok(op("local_api", "compat_get_usergroup_get_all_with_details").sync_detailed(client=local), m.CompatUserGroupDetailsCollection)
    members = ok(op("local_api", "compat_get_usergroup_get_assigned_users").sync_detailed(client=local, user_group_id=team.id), m.CompatAssignmentCollection)
    ok(op("local_api", "compat_get_usergroup_get_assigned_usergroups").sync_detailed(client=local, user_id=fay.id), m.CompatAssignmentCollection)
    ok(op("local_api", "compat_delete_usergroup_unassign_user").sync_detailed(client=local, id=members.data[0].id), None)
    entry = m.CompatImportEntry(user=m.CompatImportUser(username="gus@gen.test"), user_groups=[m.CompatImportGroup(name="Local team")])
    ok(op("local_api", "compat_post_usergroup_import_users").sync_detailed(client=local, body=[entry]), m.CompatImportResults)
    ok(op("local_api", "compat_delete_usergroup_delete").sync_detailed(client=local, id=team.id), None)
    ok(op("local_api", "compat_delete_user_delete_user").sync_detailed(client=local, id=fay.id), None)
    ada_local = client(ada_tokens.access_token, query_token=True)
    text = op("local_api", "compat_post_user_generate_mfa_token").sync_detailed(client=ada_local)
    assert text.status_code == 200, text.content
    ok(op("local_api", "compat_post_user_set_mfa").sync_detailed(client=ada_local, body=m.CompatSetMfa(enabled=True, user_code=totp(text.content.decode()))), None)

    # SCIM, as an identity provider with the account's SCIM token.
    made = ok(op("account", "account_scim_token_create").sync_detailed(client=owner, body=m.ScimTokenCreateBody(name="Generated")), m.ScimTokenMade)
    scim = client(made.secret)
    ok(op("scim", "scim_get_service_provider_config").sync_detailed(client=scim), m.ScimDiscovery)
    ok(op("scim", "scim_get_resource_types").sync_detailed(client=scim), m.ScimListOfScimDiscovery)
    ok(op("scim", "scim_get_resource_types_id").sync_detailed(client=scim, id="User"), m.ScimDiscovery)
    ok(op("scim", "scim_get_schemas").sync_detailed(client=scim), m.ScimListOfScimDiscovery)
    ok(op("scim", "scim_get_schemas_id").sync_detailed(client=scim, id="urn:ietf:params:scim:schemas:core:2.0:Group"), m.ScimDiscovery)
    new = m.ScimUserIn(user_name="hal@gen.test", name=m.ScimName(given_name="Hal"), emails=[m.ScimEmailIn(value="hal@gen.test", type_="work", primary=True)], external_id="gen-hal")
    hal = ok(op("scim", "scim_post_users").sync_detailed(client=scim, body=new), m.ScimUser, 201)
    assert hal.user_name == "hal@gen.test" and hal.external_id == "gen-hal", hal
    found = ok(op("scim", "scim_get_users").sync_detailed(client=scim, filter_='userName eq "hal@gen.test"', start_index=1, count=10), m.ScimListOfScimUser)
    assert found.total_results == 1, found
    search = m.ScimSearchRequest(schemas=["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], filter_='externalId eq "gen-hal"')
    ok(op("scim", "scim_post_users_search").sync_detailed(client=scim, body=search), m.ScimListOfScimUser)
    hal = ok(op("scim", "scim_get_users_id").sync_detailed(client=scim, id=hal.id, attributes="userName,meta"), m.ScimUser)
    new.name = m.ScimName(given_name="Hal", family_name="Nine")
    hal = ok(op("scim", "scim_put_users_id").sync_detailed(client=scim, id=hal.id, body=new, if_match=hal.meta.version), m.ScimUser)
    assert hal.name.family_name == "Nine", hal
    patch = m.ScimPatchOp(schemas=["urn:ietf:params:scim:api:messages:2.0:PatchOp"], operations=[m.ScimPatchOperation(op="Replace", path="active", value=False)])
    hal = ok(op("scim", "scim_patch_users_id").sync_detailed(client=scim, id=hal.id, body=patch), m.ScimUser)
    assert hal.active is False, hal
    crew = ok(op("scim", "scim_post_groups").sync_detailed(client=scim, body=m.ScimGroupIn(display_name="Crew", members=[m.ScimMemberIn(value=hal.id)])), m.ScimGroup, 201)
    ok(op("scim", "scim_get_groups").sync_detailed(client=scim, filter_='displayName eq "Crew"', excluded_attributes="members"), m.ScimListOfScimGroup)
    search = m.ScimSearchRequest(schemas=["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], count=5)
    ok(op("scim", "scim_post_groups_search").sync_detailed(client=scim, body=search), m.ScimListOfScimGroup)
    ok(op("scim", "scim_post_search").sync_detailed(client=scim, body=search), m.ScimListOfResource)
    crew = ok(op("scim", "scim_get_groups_id").sync_detailed(client=scim, id=crew.id), m.ScimGroup)
    ok(op("scim", "scim_put_groups_id").sync_detailed(client=scim, id=crew.id, body=m.ScimGroupIn(display_name="Crew 2", members=[])), m.ScimGroup)
    add = m.ScimPatchOp(schemas=["urn:ietf:params:scim:api:messages:2.0:PatchOp"], operations=[m.ScimPatchOperation(op="add", path="members", value=[{"value": hal.id}])])
    ok(op("scim", "scim_patch_groups_id").sync_detailed(client=scim, id=crew.id, body=add), None, 204)
    ok(op("scim", "scim_delete_groups_id").sync_detailed(client=scim, id=crew.id), None, 204)
    ok(op("scim", "scim_delete_users_id").sync_detailed(client=scim, id=hal.id), None, 204)
    tokens = ok(op("account", "account_scim_tokens").sync_detailed(client=owner, body=m.Empty()), m.ScimTokenList)
    assert [t.id for t in tokens.tokens] == [made.token.id], tokens
    ok(op("account", "account_scim_token_revoke").sync_detailed(client=owner, body=m.ScimTokenRevokeBody(id=made.token.id)), m.Done)
    gone = op("scim", "scim_get_users").sync_detailed(client=client(made.secret))
    assert gone.status_code == 401, gone.status_code

    # Then the groups this left behind, and Bob.
    ok(op("group", "group_remove").sync_detailed(client=owner, body=m.IdBody(id=group.id)), m.Done)

    every = {p.stem for p in pathlib.Path(rc.__file__).parent.glob("api/*/*.py") if p.stem != "__init__"}
    missing = sorted(every - called)
    assert not missing, f"operations never called: {missing}"
    print(f"generated client: all {len(every)} operations called and their answers parsed")


main()
