import type { Span } from '../findings.ts';
import type { DockerfileModel, Flag, Instruction } from '../dockerfile/model.ts';
import { KEYWORDS } from '../dockerfile/parse.ts';
import type { Report, Rule } from './types.ts';
import { argSpan, argWords, offsetOf, parseKeyValues } from './util/instruction-args.ts';
import { checkWithShell } from './util/shell-syntax.ts';

/**
 * What the build would reject: every problem the model records (unknown instructions, instructions before FROM,
 * unterminated heredocs, invalid image references, SHELL not in JSON form, no FROM), shell syntax errors in RUN,
 * and arguments BuildKit refuses that the model accepts (COPY without a destination, ENV without a value, unknown
 * flags, a HEALTHCHECK that is neither CMD nor NONE, …).
 *
 * ONBUILD triggers that may not be triggers (ONBUILD, FROM, MAINTAINER) are recorded by the model too, but they are
 * reported by `onbuild-forbidden-trigger` (hadolint DL3043), not here.
 */

type FlagKind = 'value' | 'bool';
/** The flags BuildKit's Dockerfile frontend accepts (labs flags included, so that they are not called unknown). */
const KNOWN_FLAGS: Record<string, Record<string, FlagKind>> = {
  FROM: { platform: 'value' },
  RUN: { mount: 'value', network: 'value', security: 'value', device: 'value' },
  COPY: { from: 'value', chown: 'value', chmod: 'value', link: 'bool', parents: 'bool', exclude: 'value' },
  ADD: {
    chown: 'value',
    chmod: 'value',
    link: 'bool',
    'keep-git-dir': 'bool',
    checksum: 'value',
    exclude: 'value',
    unpack: 'bool',
  },
  HEALTHCHECK: { interval: 'value', timeout: 'value', 'start-period': 'value', 'start-interval': 'value', retries: 'value' },
};
const REPEATABLE = new Set(['RUN --mount', 'RUN --device', 'COPY --exclude', 'ADD --exclude']);
const MOUNT_TYPES = new Set(['bind', 'cache', 'tmpfs', 'secret', 'ssh']);
const NETWORKS = new Set(['default', 'none', 'host']);
const SECURITY = new Set(['sandbox', 'insecure']);
const GO_DURATION = /^[-+]?(?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;

/** Instructions that BuildKit refuses without arguments (FROM, SHELL and ONBUILD are the model's problems). */
const NEEDS_ARGS: Record<string, string> = {
  EXPOSE: 'EXPOSE needs at least one port, e.g. EXPOSE 8080',
  HEALTHCHECK: 'HEALTHCHECK needs CMD <command> or NONE',
  MAINTAINER: 'MAINTAINER needs a name',
  RUN: 'RUN needs a command',
  STOPSIGNAL: 'STOPSIGNAL needs a signal, e.g. STOPSIGNAL SIGTERM',
  USER: 'USER needs a user name or UID',
  VOLUME: 'VOLUME needs at least one path',
  WORKDIR: 'WORKDIR needs a path',
  ARG: 'ARG needs a name',
};

const FORBIDDEN_TRIGGER = /^(ONBUILD|FROM|MAINTAINER) is not allowed as an ONBUILD trigger$/;
const BEFORE_FROM = / before the first FROM: /;
const NO_FROM = /^no FROM instruction/;

/** A parser message as a sentence: capital first letter, final full stop. */
function sentence(msg: string): string {
  const s = msg.charAt(0).toUpperCase() + msg.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

/** The edit distance (insertions, deletions, substitutions) between two strings, one row at a time. */
function distance(a: string, b: string): number {
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/** The hint for an unknown instruction: the keyword it resembles, or a missing line continuation above it. */
function unknownHint(model: DockerfileModel, word: string, span: Span): string {
  const upper = word.toUpperCase();
  let best: string | null = null;
  let bestD = Infinity;
  for (const k of KEYWORDS) {
    const dd = distance(upper, k);
    if (dd < bestD) {
      bestD = dd;
      best = k;
    }
  }
  const similar = best !== null && bestD <= Math.min(2, Math.floor(best.length / 3));
  const keywordHint = similar ? ` Did you mean ${best}?` : '';
  // An upper-case word close to a keyword is a typo of it.
  if (similar && word === upper) return keywordHint;
  // An indented word right below an instruction: the author probably forgot the escape character at the end of it.
  let line = span.line - 1;
  while (line >= 1 && /^\s*(#.*)?$/.test(model.source.lines[line - 1] ?? '')) line--;
  const prev = model.all.find((i) => !i.onbuild && i.span.endLine === line && i.heredocs.length === 0);
  if (prev && span.column > 1) {
    return ` Is a line continuation ("${model.escape}") missing at the end of line ${line}?`;
  }
  return keywordHint;
}

function describeNear(model: DockerfileModel, span: Span): string {
  const text = (model.source.lines[span.line - 1] ?? '').slice(span.column - 1).trim();
  if (text === '') return 'at the end of the line';
  return `near \`${text.length > 30 ? `${text.slice(0, 30)}…` : text}\``;
}

function rawFlagName(model: DockerfileModel, flag: Flag): string {
  if (flag.span.line === flag.span.endLine) {
    const raw = (model.source.lines[flag.span.line - 1] ?? '').slice(flag.span.column - 1, flag.span.endColumn - 1);
    if (raw.startsWith('--')) {
      const eq = raw.indexOf('=');
      return eq >= 0 ? raw.slice(2, eq) : raw.slice(2);
    }
  }
  return flag.name;
}

function checkFlags(model: DockerfileModel, inst: Instruction, report: (r: Report) => void): void {
  const known = KNOWN_FLAGS[inst.keyword];
  if (!known || inst.flags.length === 0) return;
  const seen = new Set<string>();
  for (const flag of inst.flags) {
    const name = rawFlagName(model, flag);
    if (name === '') continue; // `--` ends the flags
    const kind = Object.hasOwn(known, name) ? known[name] : undefined;
    if (!kind) {
      const names = Object.keys(known).map((n) => `--${n}`);
      report({
        ...flag.span,
        message: `Unknown flag --${name} for ${inst.keyword}: the build fails; ${inst.keyword} takes ${names.join(', ')}.`,
      });
      continue;
    }
    if (seen.has(name) && !REPEATABLE.has(`${inst.keyword} --${name}`)) {
      report({ ...flag.span, message: `Flag --${name} is given twice on ${inst.keyword}: the build fails; keep one.` });
    }
    seen.add(name);
    const value = flag.value;
    if (kind === 'value') {
      if (value === null || value === '') {
        report({ ...flag.span, message: `Flag --${name} of ${inst.keyword} needs a value: write --${name}=<value>.` });
        continue;
      }
    } else if (value !== null && !/^(true|false)$/i.test(value)) {
      report({ ...flag.span, message: `Flag --${name} of ${inst.keyword} takes true or false, not "${value}".` });
      continue;
    }
    if (value === null || value.includes('$')) continue;
    checkFlagValue(inst, name, value, flag.span, report);
  }
}

function checkFlagValue(inst: Instruction, name: string, value: string, span: Span, report: (r: Report) => void): void {
  const v = value.replace(/^(["'])(.*)\1$/, '$2');
  if (inst.keyword === 'RUN' && name === 'network' && !NETWORKS.has(v)) {
    report({ ...span, message: `RUN --network must be default, none or host, not "${v}".` });
  } else if (inst.keyword === 'RUN' && name === 'security' && !SECURITY.has(v)) {
    report({ ...span, message: `RUN --security must be sandbox or insecure, not "${v}".` });
  } else if (inst.keyword === 'RUN' && name === 'mount') {
    for (const field of v.split(',')) {
      const [k, ...rest] = field.split('=');
      if (k.trim().toLowerCase() === 'type') {
        const t = rest.join('=').trim();
        if (!MOUNT_TYPES.has(t)) {
          report({ ...span, message: `RUN --mount type "${t}" is unknown: use bind, cache, tmpfs, secret or ssh.` });
        }
      }
    }
  } else if (inst.keyword === 'HEALTHCHECK' && name === 'retries') {
    if (!/^[-+]?\d+$/.test(v)) report({ ...span, message: `HEALTHCHECK --retries must be a whole number, not "${v}".` });
    else if (Number(v) < 0) report({ ...span, message: `HEALTHCHECK --retries cannot be negative ("${v}").` });
  } else if (inst.keyword === 'HEALTHCHECK') {
    if (v !== '0' && !GO_DURATION.test(v)) {
      report({ ...span, message: `HEALTHCHECK --${name} must be a duration such as 30s, 1m30s or 500ms, not "${v}".` });
    } else if (v.startsWith('-')) {
      report({ ...span, message: `HEALTHCHECK --${name} cannot be negative ("${v}").` });
    }
  }
}

function checkArguments(model: DockerfileModel, inst: Instruction, report: (r: Report) => void): void {
  const kw = inst.keyword;
  const args = inst.args.trim();
  if (args === '' && Object.hasOwn(NEEDS_ARGS, kw)) {
    report({ ...inst.keywordSpan, message: `${NEEDS_ARGS[kw]}: the build fails without it.` });
    return;
  }
  switch (kw) {
    case 'COPY':
    case 'ADD': {
      let words = argWords(inst.argsText.text, model.escape);
      if (args.startsWith('[')) {
        try {
          const parsed: unknown = JSON.parse(args);
          if (Array.isArray(parsed)) words = parsed.map((raw) => ({ raw: String(raw), start: 0, end: 0 }));
        } catch {
          // Not JSON: BuildKit splits it like the plain form.
        }
      }
      const count = words.length;
      if (count < 2) {
        const at = count === 1 && words[0].end > words[0].start ? argSpan(inst, words[0].start, words[0].end) : inst.keywordSpan;
        const what = count === 0 ? 'nothing' : `only "${words[0].raw}"`;
        report({ ...at, message: `${kw} needs a source and a destination (${kw} <src>... <dest>), but has ${what}: the build fails.` });
      }
      break;
    }
    case 'ENV':
    case 'LABEL': {
      const parsed = parseKeyValues(inst, model.escape);
      if (parsed.error) {
        const at = parsed.error.end > parsed.error.start ? argSpan(inst, parsed.error.start, parsed.error.end) : inst.keywordSpan;
        report({ ...at, message: parsed.error.message, hadolint: 'DL1000' });
      }
      break;
    }
    case 'ARG': {
      const words = argWords(inst.argsText.text, model.escape);
      for (let k = 0; k < words.length; k++) {
        const w = words[k];
        const eq = w.raw.indexOf('=');
        const name = eq >= 0 ? w.raw.slice(0, eq) : w.raw;
        if (w.raw.startsWith('#')) {
          report({
            ...argSpan(inst, w.start, words[words.length - 1].end),
            severity: 'warning',
            hadolint: undefined, // the build accepts it: not a DL1000
            message: `"#" after ARG is not a comment: a comment must start its own line, so these words declare build arguments named ${words
              .slice(k)
              .map((x) => `"${x.raw}"`)
              .join(', ')}; move the comment to the line above.`,
          });
          break;
        }
        const prev = words[k - 1];
        if (name === '') {
          report({ ...argSpan(inst, w.start, w.end), message: `ARG name is blank in "${w.raw}": the build fails.` });
        } else if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
          report({
            ...argSpan(inst, w.start, w.start + name.length),
            severity: 'warning',
            hadolint: undefined, // the build accepts it: not a DL1000
            message:
              prev && !prev.raw.includes('=') && eq < 0
                ? `ARG ${prev.raw} ${w.raw} declares a second build argument named "${w.raw}", not a default value: write ARG ${prev.raw}=${w.raw}.`
                : `ARG name "${name}" is not a valid variable name: it can never be referenced as $${name}; use letters, digits and "_", not starting with a digit.`,
          });
        }
      }
      break;
    }
    case 'HEALTHCHECK': {
      const words = argWords(inst.argsText.text, model.escape);
      const first = words[0];
      const type = first.raw.toUpperCase();
      if (type === 'NONE') {
        if (words.length > 1) {
          report({ ...argSpan(inst, words[1].start, words[words.length - 1].end), message: 'HEALTHCHECK NONE takes no other arguments: the build fails.' });
        }
      } else if (type === 'CMD') {
        if (words.length === 1) report({ ...argSpan(inst, first.start, first.end), message: 'HEALTHCHECK CMD needs a command: the build fails.' });
      } else {
        report({
          ...argSpan(inst, first.start, first.end),
          message: `HEALTHCHECK takes CMD <command> or NONE, not "${first.raw}": the build fails.`,
        });
      }
      break;
    }
  }
}

/** Move a span's start past whitespace and line continuations, while it stays inside the span. */
function trimStart(model: DockerfileModel, span: Span): Span {
  const src = model.source;
  const text = src.text;
  const end = offsetOf(model, span.endLine, span.endColumn);
  let i = offsetOf(model, span.line, span.column);
  for (;;) {
    if (i < end && /\s/.test(text[i])) i++;
    else if (i < end && text[i] === model.escape && /^[ \t]*\r?\n/.test(text.slice(i + 1, i + 3 + 80))) i++;
    else break;
  }
  if (i >= end) return span;
  const p = src.positionAt(i);
  return { line: p.line, column: p.column, endLine: span.endLine, endColumn: span.endColumn };
}

function checkShell(model: DockerfileModel, inst: Instruction, report: (r: Report) => void): void {
  const script = inst.shell;
  if (!script || script.errors.length === 0) return;
  // Windows drive paths (`C:\…`) in a script that a SHELL instruction did not mark as Windows: not POSIX shell.
  if (/(^|[\s"'=(])[A-Za-z]:\\/.test(script.text)) return;
  const at = trimStart(model, script.errors[0]);
  const sh = inst.shellCommand[0] ?? '/bin/sh';
  const verdict = checkWithShell(script.text, sh.slice(sh.lastIndexOf('/') + 1));
  if (verdict.status === 'ok') return;
  const what = verdict.status === 'error' && verdict.message ? verdict.message : 'the script does not parse';
  const span: Span = at.endLine === at.line ? at : { ...at, endLine: at.line, endColumn: (model.source.lines[at.line - 1] ?? '').length + 1 };
  report({
    ...span,
    message: `Shell syntax error in RUN: ${what} (${describeNear(model, at)}); the build fails when the shell cannot parse the script.`,
  });
}

const rule: Rule = {
  meta: {
    id: 'dockerfile-syntax',
    severity: 'error',
    title: 'Dockerfile or RUN script the build would reject',
    description:
      'Reports what makes `docker build` fail before anything runs: unknown instructions, instructions before the first FROM, unterminated heredocs, invalid image references, SHELL not in JSON form, missing arguments, unknown flags, and shell syntax errors in RUN. Fix the line as the message says.',
    // DL3061: an instruction before the first FROM. DL1000: hadolint's code for a Dockerfile it cannot parse, given
    // here to the findings about the Dockerfile itself (not to shell syntax errors), so that `.hadolint.yaml`
    // settings for either code select only those findings.
    hadolint: ['DL3061', 'DL1000'],
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'syntax',
  },
  check({ model, report: reportAny }) {
    // Every finding about the Dockerfile itself is DL1000 unless it says otherwise (DL3061, or none).
    const report = (r: Report) => reportAny({ hadolint: 'DL1000', ...r });
    const noFrom = model.stages.length === 0;
    for (const p of model.problems) {
      if (FORBIDDEN_TRIGGER.test(p.message)) continue; // reported by onbuild-forbidden-trigger
      if (BEFORE_FROM.test(p.message)) {
        // Without any FROM, the single "no FROM" finding says it all.
        if (!noFrom) report({ ...p.span, message: sentence(p.message), hadolint: 'DL3061' });
        continue;
      }
      if (NO_FROM.test(p.message)) {
        const early = model.instructions.some((i) => i.keyword !== 'ARG' && KEYWORDS.has(i.keyword));
        report({ ...p.span, message: sentence(p.message), ...(early ? { hadolint: 'DL3061' } : {}) });
        continue;
      }
      const unknown = /^unknown instruction "(.*)"$/.exec(p.message);
      // A line holding only the escape character continues into the next line, which BuildKit reads as the
      // instruction; the model takes the escape for an instruction of its own.
      if (unknown && unknown[1] === model.escape) continue;
      if (unknown) {
        report({ ...p.span, message: `Unknown instruction "${unknown[1]}": the build fails.${unknownHint(model, unknown[1], p.span)}` });
        continue;
      }
      report({ ...p.span, message: sentence(p.message) });
    }
    for (const stage of model.stages) {
      if (stage.name !== null && stage.nameSpan && !/^[a-z][a-z0-9-_.]*$/.test(stage.name)) {
        report({
          ...stage.nameSpan,
          message: `Stage name "${stage.name}" is invalid: it must start with a letter and contain only letters, digits, "-", "_" and ".".`,
        });
      }
    }
    for (const inst of model.all) {
      if (!KEYWORDS.has(inst.keyword)) continue;
      checkArguments(model, inst, report);
      checkFlags(model, inst, report);
      if (inst.keyword === 'RUN') checkShell(model, inst, reportAny);
    }
  },
};

export default rule;
