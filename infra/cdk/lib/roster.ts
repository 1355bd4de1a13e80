// The `Roster` construct: roster's HTTP API, functions, table, user pool and
// least-privilege policies, as infra/template.yaml deploys them with SAM.
// Routes, binaries, timeouts and each function's IAM actions come from
// infra/routes.json (roster-server --print-routes); test/compare.py checks
// the synthesized template against the SAM template resource by resource.
import * as fs from 'node:fs';
import * as path from 'node:path';

import Ajv2020 from 'ajv/dist/2020';
import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

import { GrantTarget, loadManifest, Manifest } from './manifest';

/** A custom plan (README, Plans and seats). */
export interface CustomPlan {
  readonly seats: { readonly admin: number; readonly user: number; readonly viewer: number };
  readonly groups: number;
  readonly features?: Record<string, number | boolean>;
}

export interface RosterProps {
  /** Sender of invite, reset and registration mails: an SES-verified identity, e.g. `Acme <noreply@acme.com>`. */
  readonly mailFrom: string;
  /** Base of the links in those mails (your signup page), e.g. `https://users.acme.com`. */
  readonly publicUrl: string;
  /**
   * Where `cargo lambda build --release --arm64 --output-format zip` put the
   * functions: `<artifactsPath>/roster-public/bootstrap.zip` and so on.
   * @default the roster checkout's `target/lambda`
   */
  readonly artifactsPath?: string;
  /**
   * The SSM SecureString parameter holding the session signing key (create
   * it before deploying, with the key `roster-server --print-signing-key`
   * prints; CloudFormation cannot create SecureStrings).
   * @default '/roster/signing-key'
   */
  readonly signingKeyParameter?: string;
  /** Whether anyone may create an account (`user/login {register: true}`). @default false */
  readonly openRegistration?: boolean;
  /** The plan accounts made by open registration start on. @default 'free' */
  readonly registrationPlan?: string | CustomPlan;
  /** The issuer authenticator apps show next to roster's TOTP codes. @default 'roster' */
  readonly mfaIssuer?: string;
  /**
   * Reserved concurrency of the internet-facing public function; 0 reserves
   * none (an account whose concurrency limit leaves nothing to reserve: a
   * reservation of 0 would stop the function).
   * @default 50
   */
  readonly publicConcurrency?: number;
  /** How long the functions' log groups keep their logs. @default THREE_MONTHS (90 days) */
  readonly logRetention?: logs.RetentionDays;
  /**
   * An existing table to use instead of creating one. It must have roster's
   * shape: `pk`/`sk` (strings), the index `gs1` on `gs1pk`/`gs1sk`
   * projecting all, TTL on `ttl`. If it is encrypted with a customer
   * managed key, adopt it with `Table.fromTableAttributes({tableName,
   * encryptionKey})`, the key by its ARN (not an alias): the functions are
   * granted it, through DynamoDB only (and the key's
   * policy must let the account's IAM policies grant it, as the default
   * key policy does).
   * @default a new table
   */
  readonly table?: dynamodb.ITable;
  /**
   * An existing user pool to use instead of creating one, in the stack's
   * region. roster needs it to allow TOTP (`SOFTWARE_TOKEN_MFA`, MFA
   * optional), to accept roster's derived passwords (they are 47
   * characters of every class: any minimum length up to 47 will do), and to have no pre-sign-up or
   * pre-authentication trigger that refuses admin-created users. roster
   * creates its users itself: the pool's own sign-up may stay off.
   * @default a new pool
   */
  readonly userPool?: cognito.IUserPool;
  /**
   * An existing client of `userPool` allowing ALLOW_ADMIN_USER_PASSWORD_AUTH
   * and ALLOW_REFRESH_TOKEN_AUTH, without a secret.
   * @default a new client in the pool
   */
  readonly userPoolClient?: cognito.IUserPoolClient;
  /**
   * What deleting the stack (or replacing the resource) does to the table and
   * the pool roster creates: they hold every account and login.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The manifest's function names. */
export type FunctionName = 'public' | 'read' | 'write' | 'scim';

export class Roster extends Construct {
  /** The HTTP API; its `$default` stage serves every route. */
  public readonly api: apigwv2.HttpApi;
  /** The API's base URL. */
  public readonly url: string;
  /** Each function, by the manifest's name. */
  public readonly functions: Record<string, lambda.Function> = {};
  public readonly tableName: string;
  public readonly tableArn: string;
  public readonly userPoolId: string;
  public readonly userPoolArn: string;
  public readonly userPoolClientId: string;

  constructor(scope: Construct, id: string, props: RosterProps) {
    super(scope, id);
    const manifest = loadManifest();
    check(props, manifest);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const stack = Stack.of(this);

    // The table: roster's one table (DESIGN: pk/sk, gs1, TTL), on demand,
    // with point-in-time recovery.
    if (props.table) {
      this.tableName = props.table.tableName;
      this.tableArn = props.table.tableArn;
    } else {
      const table = new dynamodb.Table(this, 'Table', {
        partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
        sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        timeToLiveAttribute: 'ttl',
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        removalPolicy,
      });
      table.addGlobalSecondaryIndex({
        indexName: 'gs1',
        partitionKey: { name: 'gs1pk', type: dynamodb.AttributeType.STRING },
        sortKey: { name: 'gs1sk', type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      });
      this.tableName = table.tableName;
      this.tableArn = table.tableArn;
    }

    // The pool, as the SAM template declares it (an L1, so that no L2
    // default the template lacks creeps in). roster's password policy is the
    // only one: the pool stores a fixed-form derivation (README).
    if (props.userPool) {
      this.userPoolId = props.userPool.userPoolId;
      this.userPoolArn = props.userPool.userPoolArn;
    } else {
      const pool = new cognito.CfnUserPool(this, 'UserPool', {
        policies: {
          passwordPolicy: {
            minimumLength: 10,
            requireLowercase: false,
            requireUppercase: false,
            requireNumbers: false,
            requireSymbols: false,
          },
        },
        mfaConfiguration: 'OPTIONAL',
        enabledMfas: ['SOFTWARE_TOKEN_MFA'],
        adminCreateUserConfig: { allowAdminCreateUserOnly: true },
        schema: [{ name: 'email', attributeDataType: 'String', mutable: true }],
      });
      pool.applyRemovalPolicy(removalPolicy);
      this.userPoolId = pool.ref;
      this.userPoolArn = pool.attrArn;
    }
    if (props.userPoolClient) {
      this.userPoolClientId = props.userPoolClient.userPoolClientId;
    } else {
      const client = new cognito.CfnUserPoolClient(this, 'UserPoolClient', {
        userPoolId: this.userPoolId,
        generateSecret: false,
        explicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        // Unknown users answer like wrong passwords, in like time.
        preventUserExistenceErrors: 'ENABLED',
        // Id tokens from the hosted UI carry the e-mail roster links them by.
        readAttributes: ['email', 'email_verified'],
      });
      this.userPoolClientId = client.ref;
    }

    const parameter = props.signingKeyParameter ?? '/roster/signing-key';
    const parameterArn = stack.formatArn({
      service: 'ssm',
      resource: 'parameter',
      resourceName: parameter.replace(/^\//, ''),
    });
    const targets: Record<GrantTarget, string[]> = {
      table: [this.tableArn, `${this.tableArn}/index/gs1`],
      signingKey: [parameterArn],
      userPool: [this.userPoolArn],
      mail: ['*'],
    };
    const plan = props.registrationPlan ?? 'free';
    const environment: Record<string, string> = {
      ROSTER_TABLE: this.tableName,
      ROSTER_USER_POOL_ID: this.userPoolId,
      ROSTER_CLIENT_ID: this.userPoolClientId,
      ROSTER_MAIL_FROM: props.mailFrom,
      ROSTER_PUBLIC_URL: props.publicUrl,
      ROSTER_MFA_ISSUER: props.mfaIssuer ?? 'roster',
      ROSTER_SIGNING_KEY_PARAMETER: parameter,
      ROSTER_OPEN_REGISTRATION: props.openRegistration ? 'true' : 'false',
      ROSTER_REGISTRATION_PLAN: typeof plan === 'string' ? plan : JSON.stringify(plan),
      RUST_LOG: 'info',
    };

    const publicConcurrency = props.publicConcurrency === 0 ? undefined : (props.publicConcurrency ?? 50);
    this.api = new apigwv2.HttpApi(this, 'Api', { createDefaultStage: true });
    this.url = this.api.apiEndpoint;
    const artifacts = props.artifactsPath ?? path.resolve(__dirname, '..', '..', '..', 'target', 'lambda');
    for (const spec of manifest.functions) {
      const logical = spec.name[0].toUpperCase() + spec.name.slice(1);
      const zip = path.join(artifacts, spec.binary, 'bootstrap.zip');
      if (!fs.existsSync(zip)) {
        throw new Error(
          `${zip} is missing: build the functions first, in the roster checkout: ` +
            '`cargo lambda build --release --arm64 --output-format zip` (or set artifactsPath)',
        );
      }
      const logGroup = new logs.LogGroup(this, `${logical}FunctionLogs`, {
        retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
        // As in the SAM template: logs expire by retention and go with the stack.
        removalPolicy: RemovalPolicy.DESTROY,
      });
      const fn = new lambda.Function(this, `${logical}Function`, {
        code: lambda.Code.fromAsset(zip),
        handler: 'bootstrap',
        runtime: lambda.Runtime.PROVIDED_AL2023,
        architecture: lambda.Architecture.ARM_64,
        memorySize: spec.memoryMb,
        timeout: Duration.seconds(spec.timeoutSeconds),
        environment,
        logGroup,
        reservedConcurrentExecutions: spec.reservedConcurrency ? publicConcurrency : undefined,
      });
      (fn.node.defaultChild as lambda.CfnFunction).addMetadata('roster:binary', spec.binary);
      for (const [target, actions] of Object.entries(spec.grants) as [GrantTarget, string[]][]) {
        fn.addToRolePolicy(new iam.PolicyStatement({ actions, resources: targets[target] }));
      }
      // An adopted table encrypted with a customer managed key: DynamoDB
      // uses the key with the caller's permissions, so the caller needs it.
      // The actions are those Table.grantReadData / grantReadWriteData give
      // (readers: decrypt and describe; writers: encrypt too), but only
      // through DynamoDB in this region (kms:ViaService): never the key
      // directly.
      const key = props.table?.encryptionKey;
      const tableActions = spec.grants.table ?? [];
      if (key && tableActions.length > 0) {
        const reads = tableActions.every((a) => READS.test(a));
        fn.addToRolePolicy(
          new iam.PolicyStatement({
            actions: reads ? KEY_READS : [...KEY_READS, ...KEY_WRITES],
            resources: [key.keyArn],
            conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${stack.region}.${stack.urlSuffix}` } },
          }),
        );
      }
      const integration = new HttpLambdaIntegration(`${logical}Integration`, fn);
      for (const route of spec.routes) {
        new apigwv2.HttpRoute(this, route.name, {
          httpApi: this.api,
          routeKey: apigwv2.HttpRouteKey.with(route.path, route.method as apigwv2.HttpMethod),
          integration,
        });
      }
      this.functions[spec.name] = fn;
    }
  }
}

/** Table actions that only read: their callers only decrypt the table's key. */
const READS = /^dynamodb:(GetItem|BatchGetItem|Query|Scan|DescribeTable)$/;
/** What aws-cdk-lib's Table grants give on the table's key, to readers and (besides) writers. */
const KEY_READS = ['kms:Decrypt', 'kms:DescribeKey'];
const KEY_WRITES = ['kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'];
/** Lambda holds all of a function's environment variables in 4 KB; the plan must leave room for the rest. */
const MAX_PLAN_BYTES = 2048;

/** Props a deploy would only fail on later, refused at synth. */
function check(props: RosterProps, manifest: Manifest) {
  const known = (text: string) => Token.isUnresolved(text) || text.trim() !== '';
  if (!known(props.mailFrom)) throw new Error('mailFrom must name an SES-verified sender');
  if (!Token.isUnresolved(props.publicUrl) && !/^https?:\/\/[^/]/.test(props.publicUrl)) {
    throw new Error(`publicUrl must be an http(s) URL, not ${JSON.stringify(props.publicUrl)}`);
  }
  // The plan, against the schema roster prints with its limits: the
  // functions would refuse it at every cold start.
  const plan = props.registrationPlan;
  if (typeof plan === 'object' && Buffer.byteLength(JSON.stringify(plan)) > MAX_PLAN_BYTES) {
    throw new Error(
      `registrationPlan is ${Buffer.byteLength(JSON.stringify(plan))} bytes as JSON; at most ${MAX_PLAN_BYTES} fit ` +
        "beside roster's other settings in a Lambda function's 4 KB of environment",
    );
  }
  if (plan !== undefined && !(typeof plan === 'string' && Token.isUnresolved(plan))) {
    const valid = new Ajv2020({ allErrors: true, strict: false }).compile(manifest.planSchema);
    if (!valid(plan)) {
      const reasons = (valid.errors ?? [])
        .filter((e) => e.instancePath !== '' || !['oneOf', 'enum', 'type'].includes(e.keyword))
        .map((e) => `${e.instancePath || 'the plan'} ${e.message}`);
      throw new Error(
        `registrationPlan must be one of ${manifest.plans.join(', ')}, or a custom plan ` +
          `{seats: {admin, user, viewer}, groups, features?} within roster's limits` +
          (reasons.length ? `: ${[...new Set(reasons)].join('; ')}` : ''),
      );
    }
  }
  const concurrency = props.publicConcurrency;
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 0)) {
    throw new Error('publicConcurrency must be a whole number: 0 reserves none');
  }
  if (props.userPoolClient && !props.userPool) {
    throw new Error('userPoolClient is a client of userPool: adopt the pool too');
  }
  const keyArn = props.table?.encryptionKey?.keyArn;
  if (keyArn && !Token.isUnresolved(keyArn) && keyArn.includes(':alias/')) {
    throw new Error("the table's encryptionKey must be the key itself (kms.Key.fromKeyArn), not an alias: IAM grants a key by its ARN");
  }
  const parameter = props.signingKeyParameter;
  if (parameter !== undefined && !parameter.startsWith('/')) {
    throw new Error('signingKeyParameter is a parameter path, starting with /');
  }
}
