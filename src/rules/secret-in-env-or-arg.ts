import type { Property } from '../dockerfile/model.ts';
import type { Rule } from './types.ts';
import { maskSecret } from './util/images.ts';

/** Whole name tokens that mean a credential. */
const SECRET_TOKENS = new Set([
  'password', 'passwd', 'passphrase', 'pass', 'secret', 'secrets', 'token', 'tokens', 'credential', 'credentials',
  'creds', 'apikey', 'apitoken', 'accesskey', 'accesstoken', 'authtoken', 'secretkey', 'privatekey',
]);
/** Two adjacent tokens that mean a credential (`API_KEY`, `apiKey`, `AWS_ACCESS_KEY_ID`). */
const SECRET_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['api', 'key'], ['access', 'key'], ['private', 'key'], ['auth', 'key'], ['encryption', 'key'], ['signing', 'key'],
  ['master', 'key'], ['account', 'key'], ['license', 'key'], ['client', 'key'],
];
/** Tokens after the secret word that make the name about the secret, not the secret itself (`TOKEN_FILE`). */
const QUALIFIERS = new Set([
  'file', 'files', 'path', 'dir', 'directory', 'length', 'len', 'min', 'max', 'url', 'uri', 'endpoint', 'host', 'name',
  'size', 'ttl', 'timeout', 'expiry', 'expires', 'expiration', 'lifetime', 'header', 'type', 'location', 'mount', 'env',
  'var', 'count', 'policy',
]);
/** Tokens that mark a value meant to be public (`NEXT_PUBLIC_API_KEY`, `STRIPE_PUBLISHABLE_KEY`). */
const PUBLIC_TOKENS = new Set(['public', 'publishable']);

/** Split a variable name into lower-case tokens on `_`, `-`, `.`, camelCase and digit boundaries. */
export function nameTokens(name: string): string[] {
  const out: string[] = [];
  for (const part of name.split(/[_\-.]+/)) {
    for (const m of part.matchAll(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g)) out.push(m[0].toLowerCase());
  }
  return out;
}

/** Whether a variable name says it holds a credential (see the rule's docs for the exact rules). */
export function isSecretName(name: string): boolean {
  const tokens = nameTokens(name);
  if (tokens.some((t) => PUBLIC_TOKENS.has(t))) return false;
  let last = -1;
  tokens.forEach((t, i) => {
    if (SECRET_TOKENS.has(t)) last = i;
    else if (i > 0 && SECRET_PAIRS.some(([a, b]) => tokens[i - 1] === a && t === b)) last = i;
  });
  if (last < 0) return false;
  return !tokens.slice(last + 1).some((t) => QUALIFIERS.has(t));
}

interface TokenFormat {
  kind: string;
  re: RegExp;
}

/** Credential formats recognised in any value, whatever the variable's name. */
const FORMATS: readonly TokenFormat[] = [
  { kind: 'an AWS access key ID', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { kind: 'a GitHub token', re: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/ },
  { kind: 'a GitHub fine-grained token', re: /\bgithub_pat_[A-Za-z0-9_]{22,}/ },
  { kind: 'a Slack token', re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { kind: 'a private key', re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/ },
  { kind: 'a Stripe live secret key', re: /\b[sr]k_live_[A-Za-z0-9]{16,}/ },
  { kind: 'a Google API key', re: /\bAIza[0-9A-Za-z_-]{35}/ },
  { kind: 'an npm token', re: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { kind: 'a GitLab access token', re: /\bglpat-[A-Za-z0-9_-]{20,}/ },
];
/** `scheme://user:password@` with a literal password. */
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:([^/\s@$]+)@/i;

/** The first credential found in a value, with a masked form for messages. */
export function findCredential(value: string): { kind: string; masked: string } | null {
  for (const f of FORMATS) {
    const m = f.re.exec(value);
    if (m) return { kind: f.kind, masked: maskSecret(m[0]) };
  }
  const u = URL_PASSWORD.exec(value);
  if (u) {
    const shown = u[0].slice(0, u[0].length - u[1].length - 1);
    return { kind: 'a URL with a password in it', masked: `${shown}****@` };
  }
  return null;
}

const BOOLEAN = /^(?:true|false|yes|no|on|off|0|1)$/i;
/** A value that only refers to another variable: `$X`, `${X}`, `${X:-}`. */
const REFERENCE = /^\$(?:[A-Za-z_]\w*|\{[A-Za-z_]\w*(?::?[-+?])?\})$/;

/**
 * Credentials in ENV or ARG: ENV values are stored in the image config, and build arguments in the image history,
 * where anyone who can pull the image can read them. Names are matched on whole tokens; values are searched for
 * known credential formats. Secret values are never printed.
 */
const rule: Rule = {
  meta: {
    id: 'secret-in-env-or-arg',
    severity: 'error',
    title: 'Credential in ENV or ARG',
    description:
      'ENV values are stored in the image and ARG values in its history, where anyone who can pull the image can read them. Pass secrets to the build with a secret mount (RUN --mount=type=secret) and to the container at run time, never through ENV or ARG.',
    hadolint: ['DL3064'],
    fixable: false,
    kind: 'static',
    enabledByDefault: true,
    category: 'security',
  },
  check({ model, report }) {
    for (const inst of model.all) {
      if (inst.keyword !== 'ENV' && inst.keyword !== 'ARG') continue;
      for (const p of inst.properties) {
        const message = judge(inst.keyword, p);
        if (message) report({ ...p.span, message });
      }
    }
  },
};

function judge(keyword: string, p: Property): string | null {
  const value = p.value ?? '';
  const found = findCredential(value);
  if (found) {
    return `${keyword} ${p.name} holds what looks like ${found.kind} ("${found.masked}"): remove it from the Dockerfile, revoke it, and pass it with a secret mount (RUN --mount=type=secret) instead.`;
  }
  if (!isSecretName(p.name)) return null;
  if (BOOLEAN.test(value.trim())) return null;
  if (keyword === 'ARG') {
    return `ARG ${p.name} looks like a credential: build arguments are recorded in the image history; use a secret mount instead (RUN --mount=type=secret,id=${p.name.toLowerCase()}).`;
  }
  if (value.trim() === '' || REFERENCE.test(value.trim())) return null;
  return `ENV ${p.name} looks like a credential and its value is stored in the image: pass it at run time, or use a secret mount during the build (RUN --mount=type=secret).`;
}

export default rule;
