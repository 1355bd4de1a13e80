"""The two deploy paths, resource by resource: infra/template.yaml (SAM) against
the template `cdk synth` made of the example app (CDK). Both must deploy the
same roster: the same routes on the same functions, the same IAM actions on
the same resources per function (the read function: no write action), the
same function settings and environment, the same table (keys, gs1, TTL, PITR,
on demand), pool and client, both retained, and log groups with the same
retention.

    python infra/cdk/test/compare.py infra/template.yaml target/cdk.out/RosterExample.template.json

Needs PyYAML (cfn-lint's, in the test command's virtualenv). Exits 1 and
prints every difference when the two drift.
"""

import json
import re
import sys
from collections import Counter

import yaml

PSEUDO = {"AWS::Partition": "<partition>", "AWS::Region": "<region>", "AWS::AccountId": "<account>"}
# What SAM's types are as CloudFormation's.
SAME_KIND = {"AWS::Serverless::HttpApi": "AWS::ApiGatewayV2::Api", "AWS::Serverless::Function": "AWS::Lambda::Function"}
BASIC_EXECUTION = "arn:<partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
WRITES = ("PutItem", "UpdateItem", "DeleteItem", "ConditionCheckItem", "BatchWriteItem", "ses:", "cognito-idp:")


class Tag(dict):
    """A CloudFormation short-form tag (`!Ref X`) as its long form."""


def _tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    return {name: value}


class Loader(yaml.SafeLoader):
    pass


Loader.add_multi_constructor("!", _tag)


def refs(value):
    """Every logical id `value` refers to (Ref, GetAtt, ${X} and ${X.Arn} in Sub)."""
    out = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref" and isinstance(inner, str):
                out.add(inner)
            elif key == "Fn::GetAtt":
                out.add(inner[0] if isinstance(inner, list) else inner.split(".")[0])
            elif key == "Fn::Sub" and isinstance(inner, str):
                out.update(m.split(".")[0] for m in re.findall(r"\$\{([^}]+)\}", inner))
            else:
                out |= refs(inner)
    elif isinstance(value, list):
        for inner in value:
            out |= refs(inner)
    return out


def text(value):
    return json.dumps(value, sort_keys=True)


class Side:
    def __init__(self, name, template):
        self.name = name
        self.t = template
        self.resources = template.get("Resources", {})
        self.parameters = template.get("Parameters", {})

    def of_type(self, kind):
        return {k: v for k, v in self.resources.items() if v.get("Type") == kind}

    def one(self, kind):
        found = self.of_type(kind)
        if len(found) != 1:
            raise SystemExit(f"{self.name}: {len(found)} × {kind}, not one")
        return next(iter(found.items()))

    def kind_of(self, logical):
        if logical in self.parameters:
            return "parameter"
        kind = self.resources.get(logical, {}).get("Type", logical)
        return SAME_KIND.get(kind, kind)

    def value(self, value):
        """A setting as a comparable value: a parameter's default, a resource's
        type, `Fn::If` decided on the parameters' defaults, `AWS::NoValue` as None."""
        if isinstance(value, dict) and set(value) == {"Fn::If"}:
            condition, then, otherwise = value["Fn::If"]
            return self.value(then if self.holds(condition) else otherwise)
        if value == {"Ref": "AWS::NoValue"}:
            return None
        if isinstance(value, dict) and set(value) == {"Ref"}:
            logical = value["Ref"]
            if logical in self.parameters:
                return self.parameters[logical].get("Default", f"<parameter {logical}>")
            return f"<{self.kind_of(logical)}>"
        if isinstance(value, dict) and set(value) == {"Fn::GetAtt"}:
            return f"<{self.kind_of(refs(value).pop())} attribute>"
        return value

    def holds(self, condition):
        """A named condition, or a condition function, on the parameters' defaults."""
        expression = self.t["Conditions"][condition] if isinstance(condition, str) else condition
        ((key, inner),) = expression.items()
        if key == "Condition":
            return self.holds(inner)
        if key == "Fn::Not":
            return not self.holds(inner[0])
        if key == "Fn::And":
            return all(self.holds(c) for c in inner)
        if key == "Fn::Or":
            return any(self.holds(c) for c in inner)
        if key == "Fn::Equals":
            return str(self.value(inner[0])) == str(self.value(inner[1]))
        raise SystemExit(f"{self.name}: cannot decide {text(expression)}")

    def ref(self, logical):
        if logical in PSEUDO:
            return PSEUDO[logical]
        if logical in self.parameters:
            return str(self.parameters[logical].get("Default", f"<parameter {logical}>"))
        return f"<{self.kind_of(logical)}>"

    def render(self, value):
        """A string-valued expression as one string: pseudo parameters as
        placeholders, parameters as their defaults, resources as <Type> and
        <Type.Attribute> (each template has one of each kind referred to)."""
        if isinstance(value, str):
            return value
        if isinstance(value, dict) and len(value) == 1:
            ((key, inner),) = value.items()
            if key == "Ref":
                return self.ref(inner)
            if key == "Fn::GetAtt":
                logical, attribute = inner if isinstance(inner, list) else inner.split(".", 1)
                return f"<{self.kind_of(logical)}.{attribute}>"
            if key == "Fn::Join":
                separator, parts = inner
                return separator.join(self.render(part) for part in parts)
            if key == "Fn::Sub":
                string, variables = (inner, {}) if isinstance(inner, str) else inner

                def one(match):
                    name = match.group(1)
                    if name in variables:
                        return self.render(variables[name])
                    if "." in name:
                        logical, attribute = name.split(".", 1)
                        return f"<{self.kind_of(logical)}.{attribute}>"
                    return self.ref(name)

                return re.sub(r"\$\{([^}!]+)\}", one, string)
        raise SystemExit(f"{self.name}: cannot read {text(value)} as a string")

    def arn(self, value):
        """An ARN rendered, its partition, region and account as placeholders
        (CDK writes the stack's own region and account when it knows them)."""
        out = self.render(value)
        parts = out.split(":", 5)
        if len(parts) == 6 and parts[0] == "arn":
            if parts[1] in ("aws", PSEUDO["AWS::Partition"]):
                parts[1] = PSEUDO["AWS::Partition"]
            if re.fullmatch(r"[a-z]{2}(-[a-z]+)+-\d", parts[3]):
                parts[3] = PSEUDO["AWS::Region"]
            if re.fullmatch(r"\d{12}", parts[4]):
                parts[4] = PSEUDO["AWS::AccountId"]
            out = ":".join(parts)
        return out


def grants(side, statements):
    """Each resource a function may act on, exactly (its ARN rendered), with
    the actions it may take there."""
    out = {}
    for s in statements:
        assert s.get("Effect") == "Allow", s
        assert set(s) <= {"Effect", "Action", "Resource", "Sid"}, f"{side.name}: {text(s)}"
        actions = s["Action"] if isinstance(s["Action"], list) else [s["Action"]]
        resources = s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]]
        for resource in resources:
            out.setdefault(side.arn(resource), set()).update(actions)
    return {k: sorted(v) for k, v in out.items()}


def function_model(side, p, statements):
    """A function's settings (SAM's merged with its Globals), comparable."""
    log_group = side.resources[p["LoggingConfig"]["LogGroup"]["Ref"]]
    return {
        "runtime": p["Runtime"],
        "architectures": p["Architectures"],
        "handler": p["Handler"],
        "memory": p["MemorySize"],
        "timeout": p["Timeout"],
        "reservedConcurrency": side.value(p.get("ReservedConcurrentExecutions")),
        "environment": {k: side.value(v) for k, v in p["Environment"]["Variables"].items()},
        "logRetention": side.value(log_group["Properties"]["RetentionInDays"]),
        "logDeletion": log_group.get("DeletionPolicy", "Delete"),
        "grants": grants(side, statements),
    }


def require(condition, message):
    if not condition:
        raise SystemExit(message)


def sam_model(side):
    globals_ = side.t.get("Globals", {}).get("Function", {})
    functions, routes = {}, {}
    api, _ = side.one("AWS::Serverless::HttpApi")
    for logical, r in side.of_type("AWS::Serverless::Function").items():
        p = {**globals_, **r["Properties"]}
        binary = r["Metadata"]["BuildProperties"]["Binary"]
        # SAM makes the function's role: AWSLambdaBasicExecutionRole and
        # these inline documents, nothing else.
        require("Role" not in p and "PermissionsBoundary" not in p, f"SAM: {binary} brings a role")
        documents = p.get("Policies", [])
        require(all(isinstance(d, dict) and "Statement" in d for d in documents),
                f"SAM: {binary} has a managed or templated policy: {text(documents)}")
        statements = [s for doc in documents for s in doc["Statement"]]
        functions[binary] = function_model(side, p, statements)
        for event in p.get("Events", {}).values():
            e = event["Properties"]
            require(event["Type"] == "HttpApi" and set(e) == {"ApiId", "Path", "Method"}
                    and e["ApiId"] == {"Ref": api}, f"SAM: {binary}: {text(event)}")
            key = f'{e["Method"].upper()} {e["Path"]}'
            require(key not in routes, f"SAM: {key} twice")
            routes[key] = binary
    return functions, routes


def cdk_model(side):
    functions, routes, by_logical, roles = {}, {}, {}, {}
    api, _ = side.one("AWS::ApiGatewayV2::Api")
    for logical, r in side.of_type("AWS::Lambda::Function").items():
        p = r["Properties"]
        binary = r["Metadata"]["roster:binary"]
        by_logical[logical] = binary
        role = refs(p["Role"]).pop()
        require(role not in roles, f"CDK: {binary} shares {roles.get(role)}'s role")
        roles[role] = binary
        rp = side.resources[role]["Properties"]
        require(set(rp) == {"AssumeRolePolicyDocument", "ManagedPolicyArns"},
                f"CDK: {binary}'s role has more than its trust and managed policy: {sorted(rp)}")
        require(rp["AssumeRolePolicyDocument"]["Statement"] == [{
            "Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
        }], f"CDK: {binary}'s role trusts {text(rp['AssumeRolePolicyDocument'])}")
        managed = [side.arn(a) for a in rp["ManagedPolicyArns"]]
        require(managed == [BASIC_EXECUTION], f"CDK: {binary}'s role holds {managed}")
        functions[binary] = function_model(side, p, [])
    # Each policy is one function role's, and adds to its grants.
    statements = {binary: [] for binary in functions}
    for logical, pol in side.of_type("AWS::IAM::Policy").items():
        attached = [roles.get(role) for role in refs(pol["Properties"]["Roles"])]
        require(len(attached) == 1 and attached[0], f"CDK: policy {logical} is on {attached}")
        require(not {"Users", "Groups"} & set(pol["Properties"]), f"CDK: policy {logical} reaches further")
        statements[attached[0]] += pol["Properties"]["PolicyDocument"]["Statement"]
    for binary, found in statements.items():
        functions[binary]["grants"] = grants(side, found)

    integrations = {}
    for logical, r in side.of_type("AWS::ApiGatewayV2::Integration").items():
        i = r["Properties"]
        require(i["ApiId"] == {"Ref": api} and i["IntegrationType"] == "AWS_PROXY"
                and i["PayloadFormatVersion"] == "2.0", f"CDK: integration {logical}: {text(i)}")
        require(i["IntegrationUri"] == {"Fn::GetAtt": [refs(i["IntegrationUri"]).pop(), "Arn"]},
                f"CDK: integration {logical} calls {text(i['IntegrationUri'])}")
        integrations[logical] = by_logical[refs(i["IntegrationUri"]).pop()]
    for logical, r in side.of_type("AWS::ApiGatewayV2::Route").items():
        route = r["Properties"]
        require(route["ApiId"] == {"Ref": api} and route.get("AuthorizationType", "NONE") == "NONE",
                f"CDK: route {logical}: {text(route)}")
        key = route["RouteKey"]
        require(key not in routes, f"CDK: {key} twice")
        routes[key] = integrations[refs(route["Target"]).pop()]
    _, stage = side.one("AWS::ApiGatewayV2::Stage")
    require(stage["Properties"] == {"ApiId": {"Ref": api}, "StageName": "$default", "AutoDeploy": True},
            f"CDK: stage {text(stage)}")
    return functions, routes


def invoke_permissions(side, routes):
    """Differences between CDK's invoke permissions and its routes: each
    route's function may be invoked by API Gateway from that route of this
    API, and by nothing else."""
    by_logical = {k: r["Metadata"]["roster:binary"] for k, r in side.of_type("AWS::Lambda::Function").items()}
    found, problems = Counter(), []
    for logical, r in side.of_type("AWS::Lambda::Permission").items():
        p = r["Properties"]
        if set(p) != {"Action", "FunctionName", "Principal", "SourceArn"} \
                or p["Action"] != "lambda:InvokeFunction" or p["Principal"] != "apigateway.amazonaws.com":
            problems.append(f"CDK: permission {logical}: {text(p)}")
            continue
        found[(by_logical.get(refs(p["FunctionName"]).pop()), side.arn(p["SourceArn"]))] += 1
    api = "<AWS::ApiGatewayV2::Api>"
    expected = Counter(
        (binary, f"arn:<partition>:execute-api:<region>:<account>:{api}/*/*{key.split(' ', 1)[1]}")
        for key, binary in routes.items()
    )
    if found != expected:
        problems.append(f"CDK: invoke permissions not one per route: extra {sorted((found - expected).items())}, "
                        f"missing {sorted((expected - found).items())}")
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


def main(sam_path, cdk_path):
    with open(sam_path) as f:
        sam = Side("SAM", yaml.load(f, Loader=Loader))
    with open(cdk_path) as f:
        cdk = Side("CDK", json.load(f))
    problems = []

    def same(what, a, b):
        if a != b:
            problems.append(f"{what} differ:\n  SAM: {text(a)}\n  CDK: {text(b)}")

    sam_functions, sam_routes = sam_model(sam)
    cdk_functions, cdk_routes = cdk_model(cdk)
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
    for side, functions in (("SAM", sam_functions), ("CDK", cdk_functions)):
        read = text(functions.get("roster-read", {}).get("grants"))
        for action in WRITES:
            if action in read:
                problems.append(f"{side}: the read function may {action}")
    only_sam = sorted(set(sam_routes) - set(cdk_routes))
    only_cdk = sorted(set(cdk_routes) - set(sam_routes))
    if only_sam or only_cdk:
        problems.append(f"routes only in SAM: {only_sam}; only in CDK: {only_cdk}")
    for key in sorted(set(sam_routes) & set(cdk_routes)):
        same(f"route {key}'s function", sam_routes[key], cdk_routes[key])

    for kind in ("AWS::DynamoDB::Table", "AWS::Cognito::UserPool", "AWS::Cognito::UserPoolClient"):
        same(kind, normalised(sam, kind), normalised(cdk, kind))
    for kind in ("AWS::DynamoDB::Table", "AWS::Cognito::UserPool"):
        if normalised(cdk, kind)["DeletionPolicy"] != "Retain":
            problems.append(f"{kind} is not retained")

    # Nothing else: each CDK resource is one of these.
    expected = {
        "AWS::Lambda::Function", "AWS::IAM::Role", "AWS::IAM::Policy", "AWS::Logs::LogGroup",
        "AWS::ApiGatewayV2::Api", "AWS::ApiGatewayV2::Stage", "AWS::ApiGatewayV2::Route",
        "AWS::ApiGatewayV2::Integration", "AWS::Lambda::Permission", "AWS::DynamoDB::Table",
        "AWS::Cognito::UserPool", "AWS::Cognito::UserPoolClient", "AWS::CDK::Metadata",
    }
    extra = sorted({r["Type"] for r in cdk.resources.values()} - expected)
    if extra:
        problems.append(f"CDK resources SAM does not have: {extra}")
    problems += invoke_permissions(cdk, cdk_routes)

    if problems:
        print("\n".join(problems))
        print(f"SAM and CDK templates differ ({len(problems)} differences)")
        return 1
    print(
        f"SAM and CDK deploy the same roster: {len(sam_routes)} routes on "
        f"{len(sam_functions)} functions, their IAM actions, settings, environment "
        "and log groups, the table, the pool and its client"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
