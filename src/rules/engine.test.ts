import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultPolicy, type Policy } from '../config/policy.ts';
import { lint, INTERNAL_ERROR_RULE } from './engine.ts';
import type { BatchRule, Rule } from './types.ts';

/** A test rule: one finding on every RUN keyword, with the rule's code. */
const everyRun: Rule = {
  meta: {
    id: 'test-every-run',
    severity: 'warning',
    title: 'Every RUN',
    description: 'Reports every RUN instruction, for testing the engine.',
    hadolint: ['DL9999'],
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'shell',
    options: { word: { type: 'string', default: 'RUN', description: 'The word put in the message.' } },
  },
  check({ model, report, options }) {
    for (const i of model.all) if (i.keyword === 'RUN') report({ ...i.keywordSpan, message: `${String(options.word)} here` });
  },
};

const optIn: Rule = { ...everyRun, meta: { ...everyRun.meta, id: 'test-opt-in', hadolint: ['DL9998'], enabledByDefault: false } };

const thrower: Rule = {
  ...everyRun,
  meta: { ...everyRun.meta, id: 'test-thrower', hadolint: undefined },
  check() {
    throw new Error('boom');
  },
};

const policy = (p: Partial<Policy> = {}): Policy => ({ ...defaultPolicy(), ...p });
const lines = (out: Awaited<ReturnType<typeof lint>>, i = 0) => out.results[i].findings.map((f) => `${f.line}:${f.ruleId}`);

describe('levels and options', () => {
  test('defaults, off, per-path overrides', async () => {
    const files = [
      { file: 'Dockerfile', text: 'FROM a:1\nRUN x\n' },
      { file: 'test/Dockerfile', text: 'FROM a:1\nRUN x\n' },
    ];
    const base = await lint(files, policy(), { rules: [everyRun] });
    assert.deepEqual(base.results.map((r) => r.findings.map((f) => f.severity)), [['warning'], ['warning']]);
    const tuned = await lint(files, policy({ overrides: [{ files: ['test/**'], rules: { 'test-every-run': { level: 'off' } } }], rules: { 'test-every-run': { level: 'error' } } }), { rules: [everyRun] });
    assert.deepEqual(tuned.results.map((r) => r.findings.map((f) => f.severity)), [['error'], []]);
  });

  test('opt-in rules run only when the policy names them or their code', async () => {
    const files = [{ file: 'Dockerfile', text: 'FROM a:1\nRUN x\n' }];
    assert.deepEqual(lines(await lint(files, policy(), { rules: [optIn] })), []);
    assert.deepEqual(lines(await lint(files, policy({ rules: { 'test-opt-in': { level: 'info' } } }), { rules: [optIn] })), ['2:test-opt-in']);
    assert.deepEqual(lines(await lint(files, policy({ codeLevels: { DL9998: 'warning' } }), { rules: [optIn] })), ['2:test-opt-in']);
  });

  test('options: defaults, policy, then per-file facts', async () => {
    const file = { file: 'Dockerfile', text: 'FROM a:1\nRUN x\n' };
    const msg = async (p: Policy, facts?: Record<string, Record<string, unknown>>) =>
      (await lint([{ ...file, facts }], p, { rules: [everyRun] })).results[0].findings[0].message;
    assert.equal(await msg(policy()), 'RUN here');
    assert.equal(await msg(policy({ rules: { 'test-every-run': { options: { word: 'cfg' } } } })), 'cfg here');
    assert.equal(await msg(policy(), { 'test-every-run': { word: 'fact' } }), 'fact here');
  });
});

describe('pragmas', () => {
  const text = [
    'FROM a:1',
    '# defang ignore=test-every-run the next one is fine',
    'RUN one',
    'RUN two',
    '# hadolint ignore=DL9999',
    '# another comment',
    'RUN three \\',
    '  && four',
    '',
    '# hadolint ignore=DL9999',
    '',
    'RUN five',
  ].join('\n');

  test('next instruction only, by id or code, through comment lines', async () => {
    const out = await lint([{ file: 'Dockerfile', text }], policy(), { rules: [everyRun] });
    assert.deepEqual(lines(out), ['4:test-every-run', '12:test-every-run']);
  });

  test('global pragmas silence the file', async () => {
    const out = await lint([{ file: 'Dockerfile', text: 'FROM a:1\nRUN a\n# defang global ignore=test-every-run\nRUN b\n' }], policy(), { rules: [everyRun] });
    assert.deepEqual(lines(out), []);
  });

  test('a pragma naming something unknown is void, with a notice', async () => {
    const out = await lint(
      [{ file: 'Dockerfile', text: 'FROM a:1\n# hadolint ignore=nonsense,DL9999\nRUN a\n# defang ignore=no-such-rule\nRUN b\n' }],
      policy(),
      { rules: [everyRun] },
    );
    assert.deepEqual(lines(out), ['3:test-every-run', '5:test-every-run']);
    assert.deepEqual(out.notices, [
      'Dockerfile:2: the pragma names "nonsense", which is not a rule id or code, so it was ignored',
      'Dockerfile:4: the pragma names "no-such-rule", which is not a rule id or code, so it was ignored',
    ]);
  });

  test('allow-inline-ignores: false honours no pragma', async () => {
    const out = await lint([{ file: 'Dockerfile', text }], policy({ allowInlineIgnores: false }), { rules: [everyRun] });
    assert.deepEqual(lines(out), ['3:test-every-run', '4:test-every-run', '7:test-every-run', '12:test-every-run']);
  });
});

describe('failures stay inside the engine', () => {
  test('a rule that throws becomes a finding and a notice; other rules still run', async () => {
    const out = await lint([{ file: 'Dockerfile', text: 'FROM a:1\nRUN x\n' }], policy(), { rules: [thrower, everyRun] });
    assert.deepEqual(lines(out), ['1:' + INTERNAL_ERROR_RULE, '2:test-every-run']);
    assert.match(out.notices[0], /rule test-thrower failed on Dockerfile: boom/);
  });

  test('a batch rule sees every file at once', async () => {
    let seen: string[] = [];
    const batch: BatchRule = {
      meta: { ...everyRun.meta, id: 'test-batch', hadolint: undefined },
      async checkAll(ctxs) {
        seen = ctxs.map((c) => c.model.file);
        for (const c of ctxs) c.report({ line: 1, column: 1, endLine: 1, endColumn: 2, message: 'batch' });
      },
    };
    const out = await lint([{ file: 'a', text: 'FROM x:1\n' }, { file: 'b', text: 'FROM y:1\n' }], policy(), { rules: [batch] });
    assert.deepEqual(seen, ['a', 'b']);
    assert.deepEqual(out.results.map((r) => r.findings.length), [1, 1]);
  });
});

describe('fingerprints', () => {
  test('stable when lines above move, different for different findings', async () => {
    const a = await lint([{ file: 'Dockerfile', text: 'FROM a:1\nRUN x\nRUN y\n' }], policy(), { rules: [everyRun] });
    const b = await lint([{ file: 'Dockerfile', text: '# added\nFROM a:1\n\nRUN x\nRUN y\n' }], policy(), { rules: [everyRun] });
    const fa = a.results[0].findings.map((f) => f.fingerprint);
    const fb = b.results[0].findings.map((f) => f.fingerprint);
    assert.deepEqual(fa, fb);
    assert.notEqual(fa[0], fa[1]);
    const c = await lint([{ file: 'Dockerfile', text: 'FROM a:1\nRUN x\nRUN x\n' }], policy(), { rules: [everyRun] });
    const fc = c.results[0].findings.map((f) => f.fingerprint);
    assert.notEqual(fc[0], fc[1], 'identical lines get distinct fingerprints by order');
  });
});

describe('stage pragmas', () => {
  test('silence the stage they stand in or that the next FROM starts', async () => {
    const text = '# hadolint stage ignore=DL9999\nFROM a:1 AS one\nRUN a\nFROM b:1\n# defang stage ignore=test-every-run\nRUN b\nRUN c\n';
    const out = await lint([{ file: 'Dockerfile', text }], policy(), { rules: [everyRun] });
    assert.deepEqual(lines(out), []);
    const partial = await lint([{ file: 'Dockerfile', text: '# hadolint stage ignore=DL9999\nFROM a:1 AS one\nRUN a\nFROM b:1\nRUN b\n' }], policy(), { rules: [everyRun] });
    assert.deepEqual(lines(partial), ['5:test-every-run']);
  });
});

describe('per-finding severity', () => {
  const mixed: Rule = {
    ...everyRun,
    meta: { ...everyRun.meta, id: 'test-mixed', hadolint: undefined },
    check({ model, report }) {
      for (const i of model.all) if (i.keyword === 'RUN') report({ ...i.keywordSpan, message: 'x', severity: 'error' });
    },
  };
  test("a rule's own severity stands unless the policy sets the rule's level", async () => {
    const file = [{ file: 'Dockerfile', text: 'FROM a:1\nRUN x\n' }];
    const own = await lint(file, policy(), { rules: [mixed] });
    assert.equal(own.results[0].findings[0].severity, 'error');
    const set = await lint(file, policy({ rules: { 'test-mixed': { level: 'info' } } }), { rules: [mixed] });
    assert.equal(set.results[0].findings[0].severity, 'info');
  });
});
