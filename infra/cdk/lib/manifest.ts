// infra/routes.json: what roster deploys, as `roster-server --print-routes`
// prints it from the operation tables. The construct builds every route and
// policy from it, so nothing about a route is written here.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The resources a function's IAM actions act on. */
export type GrantTarget = 'table' | 'signingKey' | 'userPool' | 'mail';

export interface ManifestRoute {
  /** Unique among routes; the route's construct id (SAM's event name). */
  readonly name: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'ANY';
  readonly path: string;
}

export interface ManifestFunction {
  /** `public`, `read`, `write` or `scim`. */
  readonly name: string;
  /** The cargo-lambda binary: its artifact is `<artifacts>/<binary>/bootstrap.zip`. */
  readonly binary: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly reservedConcurrency: boolean;
  readonly grants: Partial<Record<GrantTarget, string[]>>;
  readonly routes: ManifestRoute[];
}

export interface Manifest {
  /** The named plans. */
  readonly plans: string[];
  /** JSON Schema (2020-12) of a registration plan: a name, or a custom plan within roster's limits. */
  readonly planSchema: object;
  readonly functions: ManifestFunction[];
}

/**
 * Where the manifest is: in the package when packed (`npm pack` copies it
 * in), else `infra/routes.json` of the roster checkout this package is in.
 */
export const MANIFEST_PATH = [
  path.resolve(__dirname, '..', 'routes.json'),
  path.resolve(__dirname, '..', '..', 'routes.json'),
].find((file) => fs.existsSync(file)) ?? path.resolve(__dirname, '..', '..', 'routes.json');

export function loadManifest(file: string = MANIFEST_PATH): Manifest {
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
  if (!Array.isArray(manifest.functions) || manifest.functions.length === 0) {
    throw new Error(`${file} names no functions: regenerate it with \`roster-server --print-routes\``);
  }
  return manifest;
}
