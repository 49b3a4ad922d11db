/**
 * The README's action documentation against action.yml: every input and output in the tables (with action.yml's
 * default), no row for something action.yml does not have, and the workflows it shows use only real inputs and
 * outputs and hold together (quick start, the fork-safe pair, the SARIF upload).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string; description: string }>;
  outputs: Record<string, { description: string }>;
};
const ACTION = 'defang-dev/defang@v0';

/** The text of the `## title` section, up to the next `## ` heading. */
function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  assert.ok(start >= 0, `README has no "## ${title}" section`);
  const rest = readme.slice(start + 1);
  const end = rest.indexOf('\n## ', 1);
  return end < 0 ? rest : rest.slice(0, end + 1);
}

/** The rows of the first Markdown table in `text`, as cells (the header row first, the delimiter row left out). */
function tableRows(text: string): string[][] {
  const lines = text.split('\n').filter((l) => l.startsWith('|'));
  return lines
    .filter((l) => !/^\|(\s*:?-+:?\s*\|)+\s*$/.test(l))
    .map((l) =>
      l
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );
}

/** Rows keyed by the name in the first cell (`` `name` ``). */
function rowsByName(text: string): Map<string, string[]> {
  const [header, ...rows] = tableRows(text);
  assert.ok(header, 'no table');
  const out = new Map<string, string[]>();
  for (const row of rows) {
    const m = /^`([^`]+)`$/.exec(row[0] ?? '');
    assert.ok(m, `the first cell of a row should be a name in backticks: ${row.join(' | ')}`);
    assert.ok(!out.has(m[1] as string), `${m[1]} has two rows`);
    out.set(m[1] as string, row);
  }
  return out;
}

/** The YAML code blocks of `text`, parsed, with their source. */
function yamlBlocks(text: string): Array<{ source: string; doc: any }> {
  return [...text.matchAll(/^( *)```yaml\n([\s\S]*?)^\1```$/gm)].map((m) => {
    const indent = (m[1] as string).length;
    const source = (m[2] as string)
      .split('\n')
      .map((l) => l.slice(indent))
      .join('\n');
    return { source, doc: parse(source) };
  });
}

interface Step {
  uses?: string;
  id?: string;
  if?: string;
  with?: Record<string, unknown>;
}

/** Every step of a workflow (or of a bare `steps:` fragment). */
function stepsOf(doc: any): Step[] {
  if (Array.isArray(doc)) return doc as Step[];
  if (doc?.steps) return doc.steps as Step[];
  return Object.values((doc?.jobs ?? {}) as Record<string, { steps?: Step[] }>).flatMap((j) => j.steps ?? []);
}

describe('README: inputs and outputs', () => {
  test('every action.yml input has a row with its default, and every row is an input', () => {
    const rows = rowsByName(section('Inputs'));
    assert.deepEqual([...rows.keys()].sort(), Object.keys(action.inputs).sort());
    for (const [name, spec] of Object.entries(action.inputs)) {
      const row = rows.get(name) as string[];
      assert.equal(row.length, 3, `${name}: expected input | default | what it does`);
      if (spec.default !== undefined) assert.equal(row[1], `\`${spec.default}\``, `${name}: the default should be action.yml's`);
      else assert.notEqual(row[1], '', `${name}: say what happens when it is not set`);
      assert.ok((row[2] ?? '').length > 10, `${name}: describe it`);
    }
  });

  test('every action.yml output has a row, and every row is an output', () => {
    const rows = rowsByName(section('Outputs'));
    assert.deepEqual([...rows.keys()].sort(), Object.keys(action.outputs).sort());
    for (const [name, row] of rows) assert.ok((row[row.length - 1] ?? '').length > 5, `${name}: describe it`);
  });

  test('the workflows in the README give Defang only real inputs and read only real outputs', () => {
    const blocks = yamlBlocks(readme);
    let defangSteps = 0;
    for (const { source, doc } of blocks) {
      const steps = stepsOf(doc);
      const ids = new Set<string>();
      for (const step of steps) {
        if (step.uses !== ACTION) continue;
        defangSteps++;
        if (step.id) ids.add(step.id);
        for (const key of Object.keys(step.with ?? {})) assert.ok(key in action.inputs, `unknown input ${key} in:\n${source}`);
      }
      for (const m of source.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        if (!ids.has(m[1] as string)) continue;
        assert.ok((m[2] as string) in action.outputs, `unknown output ${m[2]} in:\n${source}`);
      }
    }
    assert.ok(defangSteps >= 4, 'quick start, SARIF, the fork-safe pair, migration');
  });
});

describe('README: workflows', () => {
  test('the quick start is at most 15 lines, with the permissions the reporters need', () => {
    const [quick] = yamlBlocks(section('Quick start'));
    assert.ok(quick);
    assert.ok(quick.source.trimEnd().split('\n').length <= 15, 'at most 15 lines');
    assert.equal(quick.doc.on, 'pull_request');
    assert.deepEqual(quick.doc.permissions, { contents: 'read', 'pull-requests': 'write', checks: 'write' });
    assert.deepEqual(stepsOf(quick.doc).map((s) => s.uses), ['actions/checkout@v4', ACTION]);
  });

  test('the fork-safe pair: reporters none and an uploaded report; then mode report from the downloaded artifact', () => {
    const text = section('Pull requests from forks');
    const [analyse, report, ...rest] = yamlBlocks(text);
    assert.ok(analyse && report);
    assert.equal(rest.length, 0);

    assert.equal(analyse.doc.on, 'pull_request');
    assert.ok(!JSON.stringify(analyse.doc.permissions).includes('write'), 'the analysing workflow writes nothing');
    const steps1 = stepsOf(analyse.doc);
    const defang1 = steps1.find((s) => s.uses === ACTION);
    assert.equal(defang1?.with?.reporters, 'none');
    const upload = steps1.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    assert.ok(upload && defang1?.id);
    assert.equal(upload.with?.path, `\${{ steps.${defang1.id}.outputs.report-json }}`);
    assert.match(upload.if ?? '', /!cancelled\(\)|always\(\)/, 'the report is uploaded when Defang fails the step');

    assert.deepEqual(report.doc.on.workflow_run.workflows, [analyse.doc.name]);
    assert.deepEqual(report.doc.on.workflow_run.types, ['completed']);
    assert.equal(report.doc.permissions['pull-requests'], 'write');
    assert.equal(report.doc.permissions.checks, 'write');
    assert.equal(report.doc.permissions.actions, 'read');
    const steps2 = stepsOf(report.doc);
    assert.ok(!steps2.some((s) => s.uses?.startsWith('actions/checkout@')), 'the reporting workflow checks nothing out');
    const download = steps2.find((s) => s.uses?.startsWith('actions/download-artifact@'));
    assert.ok(download);
    assert.equal(download.with?.name, upload.with?.name);
    assert.equal(download.with?.['run-id'], '${{ github.event.workflow_run.id }}');
    const defang2 = steps2.find((s) => s.uses === ACTION);
    assert.equal(defang2?.with?.mode, 'report');
    // The action writes its report as defang-report.json (__tests__/action.test.ts checks the name).
    assert.equal(defang2?.with?.['report-json'], `${download.with?.path}/defang-report.json`);

    assert.match(text, /pull_request_target/);
    assert.match(text, /\[!WARNING\]/);
  });

  test('the SARIF example uploads the file the action names', () => {
    const sarif = yamlBlocks(section('Reporters')).find((b) => b.source.includes('upload-sarif'));
    assert.ok(sarif);
    const steps = stepsOf(sarif.doc);
    const defang = steps.find((s) => s.uses === ACTION);
    assert.match(String(defang?.with?.reporters), /\bsarif\b/);
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    assert.equal(upload?.with?.sarif_file, `\${{ steps.${defang?.id}.outputs.sarif-file }}`);
    assert.equal(sarif.doc.permissions['security-events'], 'write');
  });

  test('migrating from hadolint-action links the configuration and the differences', () => {
    const text = section('Migrating from hadolint-action');
    assert.match(text, /\(docs\/configuration\.md\)/);
    assert.match(text, /\(docs\/hadolint-differences\.md\)/);
    assert.match(text, /hadolint ignore=/);
  });
});
