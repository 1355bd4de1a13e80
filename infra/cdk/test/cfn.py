"""CloudFormation templates read for comparison (infra/cdk/test/compare.py):
SAM's as the AWS::Serverless transform makes it, CDK's with its cloud
assembly; expressions rendered as comparable strings, conditions decided on
the parameters' defaults."""

import json
import os
import re

import yaml

PSEUDO = {"AWS::Partition": "<partition>", "AWS::Region": "<region>", "AWS::AccountId": "<account>"}


class Fail(Exception):
    pass


def require(condition, message):
    if not condition:
        raise Fail(message)


def _tag(loader, suffix, node):
    """A CloudFormation short-form tag (`!Ref X`) as its long form."""
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


SAM_CODE = {"S3Bucket": "artifacts", "S3Key": "function.zip"}


def sam_transformed(path):
    """The SAM template as CloudFormation deploys it, after `sam package`
    (code in S3) and the AWS::Serverless transform."""
    os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
    from samtranslator.translator.transform import transform

    class ManagedPolicies:
        def load(self):
            return {}

    with open(path) as f:
        template = yaml.load(f, Loader=Loader)
    for r in template["Resources"].values():
        if r["Type"] == "AWS::Serverless::Function":
            r["Properties"]["CodeUri"] = f"s3://{SAM_CODE['S3Bucket']}/{SAM_CODE['S3Key']}"
    return transform(template, {}, ManagedPolicies())


def refs(value):
    """Every logical id `value` refers to (Ref, GetAtt, ${X} and ${X.Arn} in Sub)."""
    out = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref" and isinstance(inner, str):
                out.add(inner)
            elif key == "Fn::GetAtt":
                out.add(inner[0] if isinstance(inner, list) else inner.split(".")[0])
            elif key == "Fn::Sub":
                string = inner if isinstance(inner, str) else inner[0]
                out.update(m.split(".")[0] for m in re.findall(r"\$\{([^}!]+)\}", string))
                if isinstance(inner, list):
                    out |= refs(inner[1])
            else:
                out |= refs(inner)
    elif isinstance(value, list):
        for inner in value:
            out |= refs(inner)
    return out - set(PSEUDO)


def text(value):
    return json.dumps(value, sort_keys=True)


def listed(value):
    return value if isinstance(value, list) else [value]


class Side:
    def __init__(self, name, template, region=None, account=None, partition=None):
        self.name = name
        self.t = template
        self.resources = template.get("Resources", {})
        self.parameters = template.get("Parameters", {})
        # The stack's own region, account and partition, where the side
        # writes them as literals (CDK, for a stack with an environment; SAM's
        # transform, the partition of its managed policies): only these read
        # as the pseudo parameters.
        self.region = region
        self.account = account
        self.partition = partition

    def with_defaults(self, **defaults):
        """The same template, deployed with these parameter values."""
        template = dict(self.t)
        template["Parameters"] = {
            k: {**v, "Default": defaults[k]} if k in defaults else v for k, v in self.parameters.items()
        }
        other = Side(self.name, template, self.region, self.account, self.partition)
        other.code = getattr(self, "code", None)
        return other

    def of_type(self, kind):
        return {k: v for k, v in self.resources.items() if v.get("Type") == kind}

    def one(self, kind):
        found = self.of_type(kind)
        require(len(found) == 1, f"{self.name}: {len(found)} × {kind}, not one")
        return next(iter(found.items()))

    def kind_of(self, logical):
        if logical in self.parameters:
            return "parameter"
        return self.resources.get(logical, {}).get("Type", logical)

    def value(self, value):
        """A setting as a comparable value: a parameter's default, a resource's
        type, `Fn::If` decided on the parameters' defaults, `AWS::NoValue` as None."""
        if isinstance(value, dict) and set(value) == {"Fn::If"}:
            condition, then, otherwise = value["Fn::If"]
            return self.value(then if self.holds(condition) else otherwise)
        if value == {"Ref": "AWS::NoValue"}:
            return None
        if isinstance(value, dict) and set(value) == {"Ref"}:
            return self.ref(value["Ref"], parameter_default=True)
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
            return str(self.decided(inner[0])) == str(self.decided(inner[1]))
        raise Fail(f"{self.name}: cannot decide {text(expression)}")

    def decided(self, operand):
        """A condition's operand: a literal, or a plain parameter's default
        (a pseudo parameter, or an SSM-typed parameter's default, which is a
        name rather than the value, cannot be decided here)."""
        if isinstance(operand, (str, int, float, bool)):
            return operand
        if isinstance(operand, dict) and set(operand) == {"Ref"}:
            parameter = self.parameters.get(operand["Ref"], {})
            if parameter.get("Type") in ("String", "Number") and "Default" in parameter:
                return parameter["Default"]
        raise Fail(f"{self.name}: a condition on {text(operand)} cannot be decided")

    def ref(self, logical, parameter_default=False):
        if logical in PSEUDO:
            return PSEUDO[logical]
        if logical in self.parameters:
            default = self.parameters[logical].get("Default", f"<parameter {logical}>")
            return default if parameter_default else str(default)
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
        raise Fail(f"{self.name}: cannot read {text(value)} as a string")

    def arn(self, value):
        """An ARN rendered, its partition, region and account as placeholders
        (either side may write the stack's own ones as literals)."""
        out = self.render(value)
        parts = out.split(":", 5)
        if len(parts) == 6 and parts[0] == "arn":
            if parts[1] and parts[1] == self.partition:
                parts[1] = PSEUDO["AWS::Partition"]
            if parts[3] and parts[3] == self.region:
                parts[3] = PSEUDO["AWS::Region"]
            if parts[4] and parts[4] == self.account:
                parts[4] = PSEUDO["AWS::AccountId"]
            out = ":".join(parts)
        return out

    def own(self, string):
        """A rendered string with the stack's own region and account literals
        as the pseudo parameters."""
        for literal, pseudo in ((self.region, "AWS::Region"), (self.account, "AWS::AccountId")):
            if literal:
                string = string.replace(literal, PSEUDO[pseudo])
        return string


def whole(value):
    """An integer property as CloudFormation reads it: a string parameter's
    digits are the number."""
    return int(value) if isinstance(value, str) and value.isdigit() else value


def cdk_side(template_path):
    """The synthesized template, with its stack's environment and file
    assets from the cloud assembly beside it (manifest.json, *.assets.json)."""
    folder = os.path.dirname(template_path)
    with open(template_path) as f:
        template = json.load(f)
    with open(os.path.join(folder, "manifest.json")) as f:
        artifacts = json.load(f)["artifacts"]
    stack = next(a for a in artifacts.values()
                 if a.get("properties", {}).get("templateFile") == os.path.basename(template_path))
    account, region = stack["environment"].removeprefix("aws://").split("/")
    side = Side("CDK", template,
                region=None if region.startswith("unknown-") else region,
                account=None if account.startswith("unknown-") else account)
    assets = os.path.join(folder, os.path.basename(template_path).replace(".template.json", ".assets.json"))
    with open(assets) as f:
        files = json.load(f)["files"]
    zips = {f"{h}.zip" for h, a in files.items() if a["source"].get("packaging") == "file"
            and a["source"]["path"].endswith(".zip")}
    # Code from the bootstrap bucket of the stack's own account and region,
    # one of the app's zip assets.
    side.code = lambda code: (
        set(code) == {"S3Bucket", "S3Key"} and code["S3Key"] in zips
        and re.fullmatch(r"cdk-[a-z0-9]+-assets-<account>-<region>", code["S3Bucket"]) is not None
    )
    return side
