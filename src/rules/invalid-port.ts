import type { Span } from '../findings.ts';
import type { Instruction } from '../dockerfile/model.ts';
import { expandVariables } from '../dockerfile/vars.ts';
import type { Report, Rule } from './types.ts';
import { argSpan, argWords, type ArgWord } from './util/instruction-args.ts';

const PROTOCOLS = new Set(['tcp', 'udp', 'sctp']);

/**
 * EXPOSE takes `port`, `port/protocol` or `start-end[/protocol]`, ports 0–65535, protocol tcp, udp or sctp.
 * Anything else fails the build. Words whose value depends on a variable with no known value are not judged.
 */
const rule: Rule = {
  meta: {
    id: 'invalid-port',
    severity: 'error',
    title: 'EXPOSE port is not a valid port',
    description:
      'EXPOSE takes ports from 0 to 65535, optionally as a range (`8000-8010`) and with `/tcp`, `/udp` or `/sctp`. Anything else makes the build fail.',
    hadolint: ['DL3011'],
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'instructions',
  },
  check({ model, report }) {
    for (const inst of model.all) {
      if (inst.keyword !== 'EXPOSE') continue;
      for (const word of argWords(inst.argsText.text, model.escape)) checkWord(inst, word, model.escape, report);
    }
  },
};

function checkWord(inst: Instruction, word: ArgWord, escape: string, report: (r: Report) => void): void {
  const exp = expandVariables(word.raw, inst.lookup, { escape, removeQuotes: true });
  if (exp.missing.length > 0) return;
  const value = exp.value;
  // Positions inside the word are exact when the word is written literally, or literally inside one pair of quotes.
  const quoted = word.raw.length >= 2 && /^["']/.test(word.raw) && word.raw.endsWith(word.raw[0]) && word.raw.slice(1, -1) === value;
  const literal = value === word.raw || quoted;
  const base = word.start + (quoted ? 1 : 0);
  const whole = argSpan(inst, word.start, word.end);
  const at = (from: number, to: number): Span => (literal ? argSpan(inst, base + from, base + to) : whole);
  const shown = word.raw.includes('$') ? `"${value}" (from "${word.raw}")` : `"${value}"`;

  const slash = value.indexOf('/');
  const portPart = slash >= 0 ? value.slice(0, slash) : value;
  if (slash >= 0) {
    const proto = value.slice(slash + 1);
    if (!PROTOCOLS.has(proto.toLowerCase())) {
      report({
        ...at(slash + 1, value.length),
        message: `EXPOSE ${shown}: "${proto}" is not a protocol; use tcp, udp or sctp.`,
      });
      return;
    }
  }
  let offset = 0;
  let ports = portPart;
  const colon = portPart.lastIndexOf(':');
  if (colon >= 0) {
    offset = colon + 1;
    ports = portPart.slice(colon + 1);
    report({
      ...at(0, colon + 1),
      severity: 'warning',
      message: `EXPOSE ${shown} names a host address or port, which EXPOSE ignores: it only documents container ports; publish with \`docker run -p ${portPart}\` instead.`,
    });
  }
  const dash = ports.indexOf('-');
  const parts = dash >= 0 ? [ports.slice(0, dash), ports.slice(dash + 1)] : [ports];
  const starts = dash >= 0 ? [offset, offset + dash + 1] : [offset];
  const numbers: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    const span = at(starts[i], starts[i] + p.length);
    if (!/^\d+$/.test(p)) {
      const what = p === '' ? 'an empty port' : `"${p}" is not a port number`;
      report({ ...(p === '' ? whole : span), message: `EXPOSE ${shown}: ${what}; ports are numbers from 0 to 65535.` });
      return;
    }
    const n = Number(p);
    if (n > 65535) {
      report({ ...span, message: `EXPOSE ${shown}: port ${p} is out of range; ports go from 0 to 65535.` });
      return;
    }
    numbers.push(n);
  }
  if (numbers.length === 2 && numbers[0] > numbers[1]) {
    report({ ...at(offset, offset + ports.length), message: `EXPOSE ${shown}: the range ends before it starts; write ${numbers[1]}-${numbers[0]}.` });
  }
}

export default rule;
