/**
 * Shared fixtures for the src/config tests: a made-up rule catalogue and throw-away workspaces.
 */
import { after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadPolicy } from './index.ts';
import type { ActionInputs, Policy, RuleCatalogueEntry } from './index.ts';

export const CATALOGUE: RuleCatalogueEntry[] = [
  { id: 'root-user', defaultSeverity: 'warning' },
  { id: 'apt-pin', hadolint: 'DL3008', defaultSeverity: 'warning' },
  { id: 'apt-no-recommends', hadolint: 'DL3015', defaultSeverity: 'info' },
  { id: 'latest-tag', hadolint: 'DL3007', defaultSeverity: 'warning' },
  { id: 'untagged-base', hadolint: 'DL3007', defaultSeverity: 'warning' },
  { id: 'untrusted-base-registry', hadolint: 'DL3026', defaultSeverity: 'error' },
  { id: 'shellcheck', defaultSeverity: 'warning' },
  // One rule standing for several hadolint codes, listed the way src/pipeline.ts builds the catalogue.
  { id: 'apt-hygiene', hadolint: 'DL3009', hadolintCodes: ['DL3009', 'DL3014'], defaultSeverity: 'info' },
];

const created: string[] = [];
after(() => {
  for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
});

/** A temporary workspace holding `files` (path → text). */
export function workspace(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'defang-config-'));
  created.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    const target = path.join(dir, rel);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
  }
  return dir;
}

export function load(files: Record<string, string>, inputs?: ActionInputs): Promise<Policy> {
  return loadPolicy({ workspace: workspace(files), catalogue: CATALOGUE, ...(inputs ? { inputs } : {}) });
}

/** Loads and expects a ConfigError; returns it after checking its message. */
export async function loadError(
  files: Record<string, string>,
  message: string,
  inputs?: ActionInputs,
): Promise<ConfigError> {
  let caught: unknown;
  try {
    await load(files, inputs);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ConfigError, `expected a ConfigError, got ${String(caught)}`);
  assert.equal(caught.message, message);
  return caught;
}
