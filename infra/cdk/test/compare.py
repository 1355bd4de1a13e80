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
import sys

import yaml

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
                import re

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
        return self.resources.get(logical, {}).get("Type", logical)

    def value(self, value):
        """A setting as a comparable value: a parameter's default, a resource's type."""
        if isinstance(value, dict) and set(value) == {"Ref"}:
            logical = value["Ref"]
            if logical in self.parameters:
                return self.parameters[logical].get("Default", f"<parameter {logical}>")
            return f"<{self.kind_of(logical)}>"
        if isinstance(value, dict) and set(value) == {"Fn::GetAtt"}:
            return f"<{self.kind_of(refs(value).pop())} attribute>"
        return value

    def target(self, resources):
        """What a statement's resources are: table, signingKey, userPool or mail."""
        resources = resources if isinstance(resources, list) else [resources]
        kinds = {self.kind_of(r) for r in refs(resources)}
        as_text = text(resources)
        if resources == ["*"] or resources == "*":
            return "mail"
        if "AWS::DynamoDB::Table" in kinds or ":table/" in as_text:
            if "/index/gs1" not in as_text:
                return "table without gs1"
            return "table"
        if ":parameter" in as_text:
            return "signingKey"
        if "AWS::Cognito::UserPool" in kinds:
            return "userPool"
        return f"unknown {as_text}"


def grants(side, statements):
    out = {}
    for s in statements:
        assert s.get("Effect") == "Allow", s
        actions = s["Action"] if isinstance(s["Action"], list) else [s["Action"]]
        out.setdefault(side.target(s["Resource"]), set()).update(actions)
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


def sam_model(side):
    globals_ = side.t.get("Globals", {}).get("Function", {})
    functions, routes = {}, {}
    for logical, r in side.of_type("AWS::Serverless::Function").items():
        p = {**globals_, **r["Properties"]}
        binary = r["Metadata"]["BuildProperties"]["Binary"]
        statements = [s for doc in p.get("Policies", []) for s in doc["Statement"]]
        functions[binary] = function_model(side, p, statements)
        for event in p.get("Events", {}).values():
            assert event["Type"] == "HttpApi", event
            key = f'{event["Properties"]["Method"].upper()} {event["Properties"]["Path"]}'
            routes[key] = binary
    return functions, routes


def cdk_model(side):
    functions, routes, by_logical = {}, {}, {}
    policies = side.of_type("AWS::IAM::Policy")
    for logical, r in side.of_type("AWS::Lambda::Function").items():
        p = r["Properties"]
        binary = r["Metadata"]["roster:binary"]
        by_logical[logical] = binary
        role = refs(p["Role"]).pop()
        managed = text(side.resources[role]["Properties"].get("ManagedPolicyArns"))
        assert "AWSLambdaBasicExecutionRole" in managed, f"{binary}'s role may not log"
        statements = [
            s
            for pol in policies.values()
            if role in refs(pol["Properties"]["Roles"])
            for s in pol["Properties"]["PolicyDocument"]["Statement"]
        ]
        functions[binary] = function_model(side, p, statements)
    integrations = {
        logical: by_logical[refs(r["Properties"]["IntegrationUri"]).pop()]
        for logical, r in side.of_type("AWS::ApiGatewayV2::Integration").items()
    }
    for r in side.of_type("AWS::ApiGatewayV2::Route").values():
        key = r["Properties"]["RouteKey"]
        assert key not in routes, f"{key} twice"
        routes[key] = integrations[refs(r["Properties"]["Target"]).pop()]
    _, stage = side.one("AWS::ApiGatewayV2::Stage")
    assert stage["Properties"]["StageName"] == "$default", stage
    assert stage["Properties"].get("AutoDeploy") is True, stage
    return functions, routes


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
    permissions = cdk.of_type("AWS::Lambda::Permission")
    if len(permissions) != len(cdk_routes):
        problems.append(f"{len(permissions)} invoke permissions for {len(cdk_routes)} routes")

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
