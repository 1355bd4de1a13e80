// An app with one stack holding roster: `npx cdk synth` / `npx cdk deploy`
// from infra/cdk, after `cargo lambda build --release --arm64 --output-format zip`.
// Sender and URL from the context (cdk.json, or `-c mailFrom=… -c publicUrl=…`);
// ROSTER_ARTIFACTS points elsewhere than the checkout's target/lambda.
import { App, CfnOutput, Stack } from 'aws-cdk-lib';

import { Roster } from '../lib';

const app = new App();
const stack = new Stack(app, 'RosterExample', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
const roster = new Roster(stack, 'Users', {
  mailFrom: app.node.getContext('mailFrom'),
  publicUrl: app.node.getContext('publicUrl'),
  artifactsPath: process.env.ROSTER_ARTIFACTS || undefined,
});
new CfnOutput(stack, 'ApiUrl', { value: roster.url, description: "The API's base URL." });
new CfnOutput(stack, 'TableName', { value: roster.tableName });
new CfnOutput(stack, 'UserPoolId', { value: roster.userPoolId });
new CfnOutput(stack, 'UserPoolClientId', { value: roster.userPoolClientId });
