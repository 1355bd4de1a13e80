// The construct's props, by CDK assertions on the synthesized template.
// `npm test` (tsc, then node --test); artifacts are empty placeholder zips.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';

import { loadManifest, Roster, RosterProps } from '../lib';

const manifest = loadManifest();

/** A folder with an empty zip per function, as cargo-lambda lays them out. */
function artifacts(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-artifacts-'));
  const emptyZip = Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]);
  for (const f of manifest.functions) {
    fs.mkdirSync(path.join(dir, f.binary));
    fs.writeFileSync(path.join(dir, f.binary, 'bootstrap.zip'), emptyZip);
  }
  return dir;
}
const ARTIFACTS = artifacts();

function synth(props: Partial<RosterProps> = {}, extra?: (stack: Stack) => Partial<RosterProps>) {
  const stack = new Stack(new App(), 'Test');
  new Roster(stack, 'Users', {
    mailFrom: 'noreply@example.com',
    publicUrl: 'https://users.example.com',
    artifactsPath: ARTIFACTS,
    ...props,
    ...(extra ? extra(stack) : {}),
  });
  return Template.fromStack(stack);
}

function env(template: Template): Record<string, unknown>[] {
  return Object.values(template.findResources('AWS::Lambda::Function')).map(
    (f) => f.Properties.Environment.Variables,
  );
}

const defaults = synth();

test('every route of the manifest, once', () => {
  const routes = manifest.functions.flatMap((f) => f.routes);
  assert.ok(routes.length > 100);
  defaults.resourceCountIs('AWS::ApiGatewayV2::Route', routes.length);
  for (const r of routes) {
    defaults.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: `${r.method} ${r.path}` });
  }
  defaults.hasResourceProperties('AWS::ApiGatewayV2::Stage', { StageName: '$default', AutoDeploy: true });
});

test('the table and the pool are retained by default', () => {
  defaults.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  defaults.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  defaults.hasResourceProperties('AWS::DynamoDB::Table', {
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
    TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'gs1', Projection: { ProjectionType: 'ALL' } })],
  });
});

test('removalPolicy DESTROY lets the stack delete them', () => {
  const t = synth({ removalPolicy: RemovalPolicy.DESTROY });
  t.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
  t.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Delete' });
});

test('an existing table is adopted, not created, and is what the policies name', () => {
  const t = synth({}, (stack) => ({
    table: dynamodb.Table.fromTableName(stack, 'Existing', 'acme-users'),
  }));
  t.resourceCountIs('AWS::DynamoDB::Table', 0);
  for (const vars of env(t)) assert.equal(vars.ROSTER_TABLE, 'acme-users');
  const policies = JSON.stringify(t.findResources('AWS::IAM::Policy'));
  assert.match(policies, /:table\/acme-users"/);
  assert.match(policies, /:table\/acme-users\/index\/gs1"/);
});

test("an adopted table's customer managed key is granted through DynamoDB: decrypt to readers, encrypt too to writers", () => {
  const t = synth({}, (stack) => ({
    table: dynamodb.Table.fromTableAttributes(stack, 'Existing', {
      tableName: 'acme-users',
      encryptionKey: kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:111122223333:key/abcd'),
    }),
  }));
  const keyActions = (name: string) => {
    const policy = Object.values(t.findResources('AWS::IAM::Policy')).find((p) =>
      JSON.stringify(p.Properties.Roles).includes(`${name}Function`),
    );
    assert.ok(policy, name);
    const statements = policy.Properties.PolicyDocument.Statement.filter((s: { Resource: unknown }) =>
      JSON.stringify(s.Resource).includes(':kms:'),
    );
    assert.equal(statements.length, 1, name);
    assert.equal(statements[0].Resource, 'arn:aws:kms:us-east-1:111122223333:key/abcd');
    assert.deepEqual(statements[0].Condition, {
      StringEquals: {
        'kms:ViaService': { 'Fn::Join': ['', ['dynamodb.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] },
      },
    });
    return [statements[0].Action].flat().sort();
  };
  assert.deepEqual(keyActions('Read'), ['kms:Decrypt', 'kms:DescribeKey']);
  for (const writer of ['Public', 'Write', 'Scim']) {
    assert.deepEqual(
      keyActions(writer),
      ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
      writer,
    );
  }
  assert.throws(
    () =>
      synth({}, (stack) => ({
        table: dynamodb.Table.fromTableAttributes(stack, 'Existing', {
          tableName: 'acme-users',
          encryptionKey: kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:111122223333:alias/users'),
        }),
      })),
    /not an alias/,
  );
  // A table without a key of its own: no KMS action at all.
  assert.doesNotMatch(JSON.stringify(defaults.findResources('AWS::IAM::Policy')), /kms:/);
});

test('an existing pool is adopted; a client is made in it unless one is given', () => {
  const t = synth({}, (stack) => ({
    userPool: cognito.UserPool.fromUserPoolId(stack, 'Pool', 'us-east-1_Existing'),
  }));
  t.resourceCountIs('AWS::Cognito::UserPool', 0);
  t.hasResourceProperties('AWS::Cognito::UserPoolClient', { UserPoolId: 'us-east-1_Existing' });
  for (const vars of env(t)) assert.equal(vars.ROSTER_USER_POOL_ID, 'us-east-1_Existing');
  const withClient = synth({}, (stack) => ({
    userPool: cognito.UserPool.fromUserPoolId(stack, 'Pool', 'us-east-1_Existing'),
    userPoolClient: cognito.UserPoolClient.fromUserPoolClientId(stack, 'Client', 'client123'),
  }));
  withClient.resourceCountIs('AWS::Cognito::UserPoolClient', 0);
  for (const vars of env(withClient)) assert.equal(vars.ROSTER_CLIENT_ID, 'client123');
  assert.throws(
    () => synth({}, (stack) => ({
      userPoolClient: cognito.UserPoolClient.fromUserPoolClientId(stack, 'Client', 'client123'),
    })),
    /adopt the pool too/,
  );
});

test('open registration and its plan reach every function', () => {
  for (const vars of env(defaults)) {
    assert.equal(vars.ROSTER_OPEN_REGISTRATION, 'false');
    assert.equal(vars.ROSTER_REGISTRATION_PLAN, 'free');
  }
  const open = synth({ openRegistration: true, registrationPlan: 'business' });
  for (const vars of env(open)) {
    assert.equal(vars.ROSTER_OPEN_REGISTRATION, 'true');
    assert.equal(vars.ROSTER_REGISTRATION_PLAN, 'business');
  }
  const plan = { seats: { admin: 1, user: 4, viewer: 0 }, groups: 2 };
  for (const vars of env(synth({ openRegistration: true, registrationPlan: plan }))) {
    assert.deepEqual(JSON.parse(vars.ROSTER_REGISTRATION_PLAN as string), plan);
  }
});

test("a registration plan is held to roster's own limits (the manifest's plan schema)", () => {
  const seats = { admin: 1, user: 1, viewer: 1 };
  const ok = (plan: unknown) => synth({ registrationPlan: plan as RosterProps['registrationPlan'] });
  // At the limits: accepted.
  ok({ seats: { admin: 100000, user: 100000, viewer: 0 }, groups: 1000 });
  const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`f${i}`, i % 2 === 0]));
  ok({ seats, groups: 0, features: { ...fifty, f1: 9007199254740991, f3: -9007199254740991 } });
  ok({ seats, groups: 0, features: { ['x'.repeat(64)]: true } });
  // Past them, or not a plan: refused, naming what is wrong.
  const refused: [unknown, RegExp][] = [
    ['gold', /one of free, team, business/],
    [{ seats: { ...seats, admin: 0 }, groups: 1 }, /\/seats\/admin must be >= 1/],
    [{ seats: { ...seats, user: 100001 }, groups: 1 }, /\/seats\/user must be <= 100000/],
    [{ seats: { ...seats, viewer: 1.5 }, groups: 1 }, /\/seats\/viewer must be integer/],
    [{ seats: { admin: 1, user: 1 }, groups: 1 }, /must have required property 'viewer'/],
    [{ seats, groups: 1001 }, /\/groups must be <= 1000/],
    [{ seats }, /must have required property 'groups'/],
    [{ seats, groups: 1, storage: 5 }, /must NOT have additional properties/],
    [{ seats, groups: 1, features: { ...fifty, more: true } }, /\/features must NOT have more than 50/],
    [{ seats, groups: 1, features: { '': true } }, /property name must be valid/],
    [{ seats, groups: 1, features: { ['x'.repeat(65)]: true } }, /property name must be valid/],
    [{ seats, groups: 1, features: { tier: 'gold' } }, /\/features\/tier must be/],
    [{ seats, groups: 1, features: { n: 2 ** 53 } }, /\/features\/n must be <= 9007199254740991/],
    [{ seats, groups: 1, features: { n: -(2 ** 53) } }, /\/features\/n must be >= -9007199254740991/],
    [
      { seats, groups: 1, features: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`${'x'.repeat(60)}${i}`, 2 ** 52])) },
      /bytes as JSON; at most 2048 fit/,
    ],
  ];
  for (const [plan, reason] of refused) {
    assert.throws(() => ok(plan), reason, JSON.stringify(plan));
  }
});

test('log retention, and reserved concurrency on the public function only', () => {
  defaults.resourceCountIs('AWS::Logs::LogGroup', manifest.functions.length);
  defaults.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  synth({ logRetention: logs.RetentionDays.ONE_YEAR }).allResourcesProperties('AWS::Logs::LogGroup', {
    RetentionInDays: 365,
  });
  const reserved = Object.values(defaults.findResources('AWS::Lambda::Function')).filter(
    (f) => f.Properties.ReservedConcurrentExecutions !== undefined,
  );
  assert.equal(reserved.length, 1);
  assert.equal(reserved[0].Metadata['roster:binary'], 'roster-public');
  assert.equal(reserved[0].Properties.ReservedConcurrentExecutions, 50);
  const few = Object.values(synth({ publicConcurrency: 5 }).findResources('AWS::Lambda::Function'));
  assert.deepEqual(few.map((f) => f.Properties.ReservedConcurrentExecutions).filter((n) => n), [5]);
  // 0: no reservation at all (a reservation of 0 would stop the function).
  const none = Object.values(synth({ publicConcurrency: 0 }).findResources('AWS::Lambda::Function'));
  assert.ok(none.every((f) => f.Properties.ReservedConcurrentExecutions === undefined));
});

test('the read function holds no write action', () => {
  const read = manifest.functions.find((f) => f.name === 'read');
  assert.ok(read);
  const policies = Object.values(defaults.findResources('AWS::IAM::Policy'));
  const readPolicy = policies.filter((p) => JSON.stringify(p).includes('ReadFunction'));
  assert.equal(readPolicy.length, 1);
  const text = JSON.stringify(readPolicy[0].Properties.PolicyDocument);
  assert.match(text, /dynamodb:Query/);
  for (const write of ['PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem', 'ses:', 'cognito-idp:']) {
    assert.ok(!text.includes(write), `the read function may ${write}`);
  }
});

test('missing artifacts are refused with the build command', () => {
  assert.throws(() => synth({ artifactsPath: path.join(ARTIFACTS, 'nowhere') }), /cargo lambda build --release --arm64/);
});

test('bad props are refused at synth', () => {
  assert.throws(() => synth({ publicUrl: 'users.example.com' }), /publicUrl/);
  assert.throws(() => synth({ mailFrom: ' ' }), /mailFrom/);
  assert.throws(() => synth({ publicConcurrency: -1 }), /publicConcurrency/);
  assert.throws(() => synth({ publicConcurrency: 2.5 }), /publicConcurrency/);
  assert.throws(() => synth({ signingKeyParameter: 'roster/key' }), /starting with \//);
});
