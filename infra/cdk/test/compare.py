"""The two deploy paths, resource by resource: infra/template.yaml (SAM)
against the template `cdk synth` made of the example app (CDK).

The SAM template is first transformed as CloudFormation would transform it
(AWS's own aws-sam-translator), so both sides are what CloudFormation
deploys. Then they must hold: the same routes on the same functions; the
same IAM actions on the same exact resource ARNs per function (the read
function: no write action), each role trusting Lambda only with
AWSLambdaBasicExecutionRole as its one managed policy; one API Gateway invoke
permission per route, for that route's path, on its function; the same
function settings and environment, log groups and retention; the same table
(keys, gs1, TTL, PITR, on demand), pool and client, both retained; and as
many resources of each kind.

    python infra/cdk/test/compare.py infra/template.yaml target/cdk.out/RosterExample.template.json

Needs PyYAML and aws-sam-translator (the test command's virtualenv). Exits 1
and prints every difference when the two drift.
"""

import re
import sys
from collections import Counter

from cfn import SAM_CODE, Fail, Side, cdk_side, listed, refs, require, sam_transformed, text, whole

BASIC_EXECUTION = "arn:<partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
WRITES = ("PutItem", "UpdateItem", "DeleteItem", "ConditionCheckItem", "BatchWriteItem", "TransactWrite",
          "PartiQL", "ses:", "cognito-idp:")
# SAM declares the routes in the API's OpenAPI body; CDK as Route and
# Integration resources; CDK attaches each function's policy as a resource.
# Every other kind must come in equal numbers.
SHAPE_ONLY = {"AWS::ApiGatewayV2::Route", "AWS::ApiGatewayV2::Integration", "AWS::IAM::Policy", "AWS::CDK::Metadata"}
KNOWN = {
    "AWS::Lambda::Function", "AWS::IAM::Role", "AWS::Logs::LogGroup", "AWS::Lambda::Permission",
    "AWS::ApiGatewayV2::Api", "AWS::ApiGatewayV2::Stage", "AWS::DynamoDB::Table",
    "AWS::Cognito::UserPool", "AWS::Cognito::UserPoolClient",
} | SHAPE_ONLY


def binary_of(side, logical):
    """The cargo-lambda binary a function runs (SAM's build metadata, the
    construct's `roster:binary`)."""
    metadata = side.resources[logical].get("Metadata", {})
    binary = metadata.get("roster:binary") or metadata.get("BuildProperties", {}).get("Binary")
    require(binary, f"{side.name}: function {logical} names no binary")
    return binary


def grants(side, statements):
    """Each resource a function may act on, exactly (its ARN rendered), with
    the actions it may take there."""
    out = {}
    for s in statements:
        require(s.get("Effect") == "Allow" and set(s) <= {"Effect", "Action", "Resource", "Sid"},
                f"{side.name}: a statement roster does not write: {text(s)}")
        actions = listed(s["Action"])
        require(all("*" not in a for a in actions), f"{side.name}: a wildcard action: {actions}")
        for resource in listed(s["Resource"]):
            out.setdefault(side.arn(resource), set()).update(actions)
    return {k: sorted(v) for k, v in out.items()}


def role_statements(side, functions):
    """Each function's policy statements: its role's inline policies and the
    policy resources attached to it. A role is one function's; it trusts
    Lambda alone and holds AWSLambdaBasicExecutionRole, no other managed policy."""
    roles = {}
    for logical, r in side.of_type("AWS::Lambda::Function").items():
        binary = functions[logical]
        role = refs(r["Properties"]["Role"]).pop()
        require(role not in roles, f"{side.name}: {binary} shares {roles.get(role)}'s role")
        roles[role] = binary
    out = {binary: [] for binary in roles.values()}
    for role, binary in roles.items():
        p = side.resources[role]["Properties"]
        require(set(p) <= {"AssumeRolePolicyDocument", "ManagedPolicyArns", "Policies", "Tags"},
                f"{side.name}: {binary}'s role has {sorted(p)}")
        trust = [(listed(s.get("Action")), s.get("Effect"), s.get("Principal"), sorted(set(s) - {"Action", "Effect", "Principal"}))
                 for s in p["AssumeRolePolicyDocument"]["Statement"]]
        trust = [(a, e, listed(who.get("Service")) if isinstance(who, dict) and set(who) == {"Service"} else who, rest)
                 for a, e, who, rest in trust]
        require(trust == [(["sts:AssumeRole"], "Allow", ["lambda.amazonaws.com"], [])],
                f"{side.name}: {binary}'s role trusts {text(p['AssumeRolePolicyDocument'])}")
        managed = [side.arn(a) for a in p.get("ManagedPolicyArns", [])]
        require(managed == [BASIC_EXECUTION], f"{side.name}: {binary}'s role holds {managed}")
        for policy in p.get("Policies", []):
            out[binary] += policy["PolicyDocument"]["Statement"]
    for logical, policy in side.of_type("AWS::IAM::Policy").items():
        p = policy["Properties"]
        attached = [roles.get(refs(role).pop()) if isinstance(role, dict) and set(role) == {"Ref"} else None
                    for role in listed(p.get("Roles", []))]
        require(len(attached) == 1 and attached[0] and set(p) == {"PolicyDocument", "PolicyName", "Roles"},
                f"{side.name}: policy {logical} is not one function's")
        out[attached[0]] += p["PolicyDocument"]["Statement"]
    return out


def functions_of(side):
    binaries = {logical: binary_of(side, logical) for logical in side.of_type("AWS::Lambda::Function")}
    statements = role_statements(side, binaries)
    out = {}
    for logical, r in side.of_type("AWS::Lambda::Function").items():
        p, binary = r["Properties"], binaries[logical]
        code = {k: side.own(side.render(v)) for k, v in p["Code"].items()}
        require(side.code(code), f"{side.name}: {binary}'s code is {code}")
        log_group = side.resources[refs(p["LoggingConfig"]["LogGroup"]).pop()]
        require(set(p["LoggingConfig"]) == {"LogGroup"}, f"{side.name}: {binary} logs {p['LoggingConfig']}")
        out[binary] = {
            "runtime": p["Runtime"],
            "architectures": p["Architectures"],
            "handler": p["Handler"],
            "memory": p["MemorySize"],
            "timeout": p["Timeout"],
            "reservedConcurrency": whole(side.value(p.get("ReservedConcurrentExecutions"))),
            "environment": {k: side.value(v) for k, v in p["Environment"]["Variables"].items()},
            "logRetention": side.value(log_group["Properties"]["RetentionInDays"]),
            "logDeletion": log_group.get("DeletionPolicy", "Delete"),
            "grants": grants(side, statements[binary]),
            "others": sorted(set(p) - {
                "Code", "Role", "Runtime", "Architectures", "Handler", "MemorySize", "Timeout",
                "ReservedConcurrentExecutions", "Environment", "LoggingConfig", "Tags",
            }),
        }
    return binaries, out


def integration_target(side, uri, binaries):
    """The function an integration URI invokes: `${X.Arn}` in SAM's OpenAPI
    body, GetAtt X.Arn in CDK's Integration."""
    targets = [t for t in refs(uri) if t in binaries]
    require(len(targets) == 1, f"{side.name}: integration {text(uri)}")
    return binaries[targets[0]]


def sam_routes(side, binaries):
    """`METHOD path` → function, from the API's OpenAPI body."""
    api, r = side.one("AWS::ApiGatewayV2::Api")
    body = r["Properties"].get("Body", {})
    require(set(r["Properties"]) == {"Body"} and set(body) <= {"openapi", "info", "paths", "tags"},
            f"SAM: the API has {sorted(r['Properties'])}, its body {sorted(body)}")
    routes = {}
    for path, methods in body["paths"].items():
        for method, operation in methods.items():
            require(set(operation) <= {"x-amazon-apigateway-integration", "responses", "parameters"},
                    f"SAM: {method} {path} has {sorted(operation)}")
            i = operation["x-amazon-apigateway-integration"]
            require(i["type"] == "aws_proxy" and i["payloadFormatVersion"] == "2.0", f"SAM: {path} {text(i)}")
            require(not operation.get("security"), f"SAM: {method} {path} has an authorizer")
            verb = "ANY" if method == "x-amazon-apigateway-any-method" else method.upper()
            routes[f"{verb} {path}"] = integration_target(side, i["uri"], binaries)
    return api, routes


def cdk_routes(side, binaries):
    """`METHOD path` → function, from Route and Integration resources."""
    api, r = side.one("AWS::ApiGatewayV2::Api")
    require(r["Properties"].get("ProtocolType") == "HTTP" and set(r["Properties"]) <= {"Name", "ProtocolType"},
            f"CDK: the API has {text(r['Properties'])}")
    integrations = {}
    for logical, r in side.of_type("AWS::ApiGatewayV2::Integration").items():
        i = r["Properties"]
        require(i["ApiId"] == {"Ref": api} and i["IntegrationType"] == "AWS_PROXY"
                and i["PayloadFormatVersion"] == "2.0"
                and set(i) == {"ApiId", "IntegrationType", "IntegrationUri", "PayloadFormatVersion"},
                f"CDK: integration {logical}: {text(i)}")
        integrations[logical] = integration_target(side, i["IntegrationUri"], binaries)
    routes = {}
    for logical, r in side.of_type("AWS::ApiGatewayV2::Route").items():
        route = r["Properties"]
        require(route["ApiId"] == {"Ref": api} and route.get("AuthorizationType", "NONE") == "NONE"
                and set(route) <= {"ApiId", "RouteKey", "Target", "AuthorizationType"},
                f"CDK: route {logical}: {text(route)}")
        key = route["RouteKey"]
        require(key not in routes, f"CDK: {key} twice")
        routes[key] = integrations[refs(route["Target"]).pop()]
    return api, routes


def stage_of(side, api):
    _, stage = side.one("AWS::ApiGatewayV2::Stage")
    p = {k: v for k, v in stage["Properties"].items() if k != "Tags"}
    require(p == {"ApiId": {"Ref": api}, "StageName": "$default", "AutoDeploy": True},
            f"{side.name}: stage {text(stage)}")


def invoke_permissions(side, binaries, routes):
    """Differences between a side's invoke permissions and its routes: each
    route's function may be invoked by API Gateway, from this API, for the
    route's path (`{…}` matched by `*` or named) and method (or any), and
    nothing else may invoke a function."""
    prefix = "arn:<partition>:execute-api:<region>:<account>:<AWS::ApiGatewayV2::Api>/*/"
    pool, problems = [], []
    for logical, r in side.of_type("AWS::Lambda::Permission").items():
        p = r["Properties"]
        arn = side.arn(p.get("SourceArn", ""))
        target = [binaries[t] for t in refs(p.get("FunctionName")) if t in binaries]
        if set(p) != {"Action", "FunctionName", "Principal", "SourceArn"} or len(target) != 1 \
                or p["Action"] != "lambda:InvokeFunction" or p["Principal"] != "apigateway.amazonaws.com" \
                or not arn.startswith(prefix):
            problems.append(f"{side.name}: permission {logical}: {text(p)}")
            continue
        method, _, path = arn[len(prefix):].partition("/")
        pool.append((target[0], method, re.sub(r"\{[^}]*\}", "*", "/" + path)))
    for key, binary in sorted(routes.items()):
        method, path = key.split(" ", 1)
        path = re.sub(r"\{[^}]*\}", "*", path)
        method = "*" if method == "ANY" else method
        match = next((g for g in pool if g[0] == binary and g[2] == path and g[1] in ("*", method)), None)
        if match:
            pool.remove(match)
        else:
            problems.append(f"{side.name}: nothing lets API Gateway invoke {binary} for {key}")
    problems += [f"{side.name}: a permission no route needs: {g}" for g in pool]
    return problems


def normalised(side, kind):
    """One resource's properties and policies, references made comparable."""
    _, r = side.one(kind)
    props = dict(r["Properties"])
    if "AttributeDefinitions" in props:
        props["AttributeDefinitions"] = sorted(props["AttributeDefinitions"], key=text)
    if "UserPoolId" in props:
        props["UserPoolId"] = side.value(props["UserPoolId"])
    return {
        "Properties": props,
        "DeletionPolicy": r.get("DeletionPolicy", "Delete"),
        "UpdateReplacePolicy": r.get("UpdateReplacePolicy", "Delete"),
    }


def compare(sam, cdk):
    problems = []

    def same(what, a, b):
        if a != b:
            problems.append(f"{what} differ:\n  SAM: {text(a)}\n  CDK: {text(b)}")

    sam_binaries, sam_functions = functions_of(sam)
    cdk_binaries, cdk_functions = functions_of(cdk)
    same("functions", sorted(sam_functions), sorted(cdk_functions))
    for binary in sorted(set(sam_functions) & set(cdk_functions)):
        s, c = sam_functions[binary], cdk_functions[binary]
        for key in sorted(set(s) | set(c)):
            if key == "environment":
                # mail sender and URL: a parameter without default in SAM, the
                # example app's context in CDK. Every other value must match.
                same(f"{binary} environment names", sorted(s[key]), sorted(c[key]))
                for name in sorted(set(s[key]) & set(c[key])):
                    sv, cv = s[key][name], c[key][name]
                    if isinstance(sv, str) and sv.startswith("<parameter "):
                        if not (isinstance(cv, str) and cv):
                            problems.append(f"{binary} {name}: CDK sets no value")
                    else:
                        same(f"{binary} {name}", sv, cv)
            else:
                same(f"{binary} {key}", s.get(key), c.get(key))
    # PublicConcurrency=0 reserves none (a reservation of 0 would stop the
    # function); the construct's tests hold publicConcurrency: 0 to the same.
    _, unreserved = functions_of(sam.with_defaults(PublicConcurrency="0"))
    reserved = {b: f["reservedConcurrency"] for b, f in unreserved.items() if f["reservedConcurrency"] is not None}
    if reserved:
        problems.append(f"SAM: PublicConcurrency=0 reserves {reserved}")
    for side, functions in (("SAM", sam_functions), ("CDK", cdk_functions)):
        read = text(functions.get("roster-read", {}).get("grants"))
        for action in WRITES:
            if action in read:
                problems.append(f"{side}: the read function may {action}")

    sam_api, sam_route_map = sam_routes(sam, sam_binaries)
    cdk_api, cdk_route_map = cdk_routes(cdk, cdk_binaries)
    stage_of(sam, sam_api)
    stage_of(cdk, cdk_api)
    only_sam = sorted(set(sam_route_map) - set(cdk_route_map))
    only_cdk = sorted(set(cdk_route_map) - set(sam_route_map))
    if only_sam or only_cdk:
        problems.append(f"routes only in SAM: {only_sam}; only in CDK: {only_cdk}")
    for key in sorted(set(sam_route_map) & set(cdk_route_map)):
        same(f"route {key}'s function", sam_route_map[key], cdk_route_map[key])
    problems += invoke_permissions(sam, sam_binaries, sam_route_map)
    problems += invoke_permissions(cdk, cdk_binaries, cdk_route_map)

    for kind in ("AWS::DynamoDB::Table", "AWS::Cognito::UserPool", "AWS::Cognito::UserPoolClient"):
        same(kind, normalised(sam, kind), normalised(cdk, kind))
    for kind in ("AWS::DynamoDB::Table", "AWS::Cognito::UserPool"):
        if normalised(cdk, kind)["DeletionPolicy"] != "Retain":
            problems.append(f"{kind} is not retained")

    # The same outputs (the example app's): the API's URL (SAM builds it,
    # CDK reads the API's endpoint), the table, pool and client.
    outputs = {side.name: side.t.get("Outputs", {}) for side in (sam, cdk)}
    same("outputs", sorted(outputs["SAM"]), sorted(outputs["CDK"]))
    for name in sorted(set(outputs["SAM"]) & set(outputs["CDK"]) - {"ApiUrl"}):
        same(f"output {name}", sam.value(outputs["SAM"][name]["Value"]), cdk.value(outputs["CDK"][name]["Value"]))

    # As many resources of each kind, and no kind roster does not make.
    kinds = {side.name: Counter(r["Type"] for r in side.resources.values()) for side in (sam, cdk)}
    for name, counts in kinds.items():
        unknown = sorted(set(counts) - KNOWN)
        if unknown:
            problems.append(f"{name}: resources roster does not make: {unknown}")
    same("resources per kind",
         {k: n for k, n in sorted(kinds["SAM"].items()) if k not in SHAPE_ONLY},
         {k: n for k, n in sorted(kinds["CDK"].items()) if k not in SHAPE_ONLY})
    return problems, len(sam_route_map), len(sam_functions)


def main(sam_path, cdk_path):
    # The transform names AWS managed policies in the partition of the
    # region it runs for.
    sam = Side("SAM", sam_transformed(sam_path), partition="aws")
    sam.code = lambda code: code == SAM_CODE
    cdk = cdk_side(cdk_path)
    try:
        problems, routes, functions = compare(sam, cdk)
    except Fail as e:
        problems, routes, functions = [str(e)], 0, 0
    if problems:
        print("\n".join(problems))
        print(f"SAM and CDK templates differ ({len(problems)} differences)")
        return 1
    print(
        f"SAM (transformed) and CDK deploy the same roster: {routes} routes on {functions} "
        "functions, each route's invoke permission, the functions' IAM actions on exact ARNs, "
        "their roles, settings, environment and log groups, the table, the pool and its client"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
