/**
 * What a secret looks like, shared by the static rule secret-in-env-or-arg and the image rules image-secret and
 * image-deleted-secret: variable names that say they hold a credential, known token formats, and files that hold
 * credentials by their name and content. Secrets are never returned in clear: only a masked form (see maskSecret).
 */
import { maskSecret } from './images.ts';

// ---------------------------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------------------------

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

/** A substring of every credential token (see SECRET_TOKENS, SECRET_PAIRS), in any case. */
const SECRET_HINT = /pass|secret|token|cred|key/i;

/** Split a variable name into lower-case tokens on `_`, `-`, `.`, camelCase and digit boundaries. */
export function nameTokens(name: string): string[] {
  const out: string[] = [];
  for (const part of name.split(/[_\-.]+/)) {
    for (const m of part.matchAll(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g)) out.push(m[0].toLowerCase());
  }
  return out;
}

/** Whether a variable name says it holds a credential (see docs/rules/secret-in-env-or-arg.md for the exact rules). */
export function isSecretName(name: string): boolean {
  // Every secret token and pair contains one of these; most names contain none, and need no splitting.
  if (!SECRET_HINT.test(name)) return false;
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

// ---------------------------------------------------------------------------------------------------------------
// Token formats
// ---------------------------------------------------------------------------------------------------------------

export interface TokenFormat {
  kind: string;
  re: RegExp;
}

/** Credential formats recognised in any value, whatever the variable's name. */
export const TOKEN_FORMATS: readonly TokenFormat[] = [
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
export const URL_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:([^/\s@$]+)@/i;

export interface Credential {
  /** What it looks like: `a GitHub token`. */
  kind: string;
  /** The value masked for a message (`ghp_****`). */
  masked: string;
}

/**
 * A substring of every match of TOKEN_FORMATS and URL_PASSWORD (its `://`): a value without any holds no credential
 * of a known format, and is not searched with each of them. Keep it in step with the formats.
 */
const CREDENTIAL_HINT = /AKIA|ASIA|gh[pousr]_|github_pat_|xox[abposr]-|-----BEGIN |k_live_|AIza|npm_|glpat-|:\/\//;

/** The first credential found in a value (a known token format, or a URL with a password), masked. */
export function findCredential(value: string): Credential | null {
  if (!CREDENTIAL_HINT.test(value)) return null;
  for (const f of TOKEN_FORMATS) {
    const m = f.re.exec(value);
    if (m) return { kind: f.kind, masked: maskSecret(m[0]) };
  }
  return findUrlPassword(value);
}

/** A URL with a literal password in it (`https://user:pw@host`), masked after the user name. */
export function findUrlPassword(value: string): Credential | null {
  const u = URL_PASSWORD.exec(value);
  if (!u) return null;
  const shown = u[0].slice(0, u[0].length - u[1].length - 1);
  return { kind: 'a URL with a password in it', masked: `${shown}****@` };
}

/**
 * Keys that are published as examples in documentation (AWS's own `AKIAIOSFODNN7EXAMPLE`): found in man pages and
 * SDK docs inside images, never a real credential.
 */
function isDocumentationExample(token: string): boolean {
  return /^(?:AKIA|ASIA)[0-9A-Z]*EXAMPLE$/.test(token);
}

/**
 * The first known token format in a text (file contents): like `findCredential` without URL passwords (which are
 * common in documentation and sample configs) and skipping published documentation examples.
 */
export function findToken(text: string): Credential | null {
  for (const f of TOKEN_FORMATS) {
    const re = new RegExp(f.re.source, f.re.flags.includes('g') ? f.re.flags : `${f.re.flags}g`);
    for (const m of text.matchAll(re)) {
      if (isDocumentationExample(m[0])) continue;
      return { kind: f.kind, masked: maskSecret(m[0]) };
    }
  }
  return null;
}

/** A boolean value: a setting named like a password that holds `yes` is a flag, not a secret. */
export const BOOLEAN = /^(?:true|false|yes|no|on|off|0|1)$/i;
/** A value that only refers to another variable: `$X`, `${X}`, `${X:-}`. */
export const REFERENCE = /^\$(?:[A-Za-z_]\w*|\{[A-Za-z_]\w*(?::?[-+?])?\})$/;

/**
 * A `NAME=value` setting that holds a secret, as stored in an image (config Env, build arguments in the history, a
 * `.env` line): a known token format or URL password in the value, or a credential name with a literal value that is
 * not empty, not a boolean and not a bare `$VARIABLE` reference.
 */
export function secretSetting(name: string, value: string): Credential | null {
  const found = findCredential(value);
  if (found) return found;
  if (!isSecretName(name)) return null;
  const v = value.trim();
  if (v === '' || BOOLEAN.test(v) || REFERENCE.test(v)) return null;
  return { kind: 'a credential', masked: maskSecret(v) };
}

// ---------------------------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------------------------

export interface FileSecret {
  /** What the file holds: `an SSH private key`, `AWS credentials`, `a GitHub token`. */
  kind: string;
  /** The secret masked, when a value was found in the contents. */
  masked?: string;
  /** True when judged by the file's name alone (its contents were not read). */
  byName: boolean;
}

interface CredentialFile {
  /** Whether a path is this kind of file. */
  is(path: string, base: string): boolean;
  kind: string;
  /** Judge the contents: a masked value (or '' when there is nothing to show), or null when it holds no secret. */
  judge(text: string): string | null;
  /** When the contents were not read: whether the name alone (with a non-empty file) says it holds a secret. */
  byName: boolean;
}

const PRIVATE_KEY_HEADER = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----|-----BEGIN PGP PRIVATE KEY BLOCK-----/;
const ENV_EXAMPLE = /^\.env\.(?:example|sample|template|dist|defaults?|schema|local\.example)$/i;

/** A value after `=` in an ini-like file: unquoted, and not a `${VAR}` that the tool expands at run time. */
function literalValue(raw: string): string | null {
  let v = raw.trim();
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) v = v.slice(1, -1);
  if (v === '' || v.startsWith('$')) return null;
  return v;
}

function envFileSecret(text: string): string | null {
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2];
    // An unquoted value ends at ` #` (a comment), as dotenv reads it.
    if (!/^["']/.test(value)) value = value.replace(/\s+#.*$/, '');
    const v = literalValue(value);
    if (v === null) continue;
    const found = secretSetting(m[1], v);
    if (found) return found.masked;
  }
  return null;
}

const CREDENTIAL_FILES: readonly CredentialFile[] = [
  {
    kind: 'an SSH private key',
    is: (_p, base) => /^id_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?$/.test(base),
    judge: (text) => (PRIVATE_KEY_HEADER.test(text) ? '' : null),
    byName: true,
  },
  {
    kind: 'AWS credentials',
    is: (p) => p.endsWith('/.aws/credentials'),
    judge: (text) => {
      const m = /^\s*(?:aws_secret_access_key|aws_session_token)\s*=\s*(\S.*)$/im.exec(text);
      return m ? maskSecret(m[1].trim()) : null;
    },
    byName: true,
  },
  {
    kind: 'registry credentials (a Docker config.json with auths)',
    is: (p) => p.endsWith('/.docker/config.json'),
    judge: (text) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return null;
      }
      const auths = (parsed as { auths?: unknown } | null)?.auths;
      if (!auths || typeof auths !== 'object') return null;
      for (const entry of Object.values(auths as Record<string, unknown>)) {
        if (!entry || typeof entry !== 'object') continue;
        const e = entry as Record<string, unknown>;
        for (const key of ['auth', 'identitytoken', 'password']) {
          const v = e[key];
          if (typeof v === 'string' && v !== '') return maskSecret(v);
        }
      }
      return null;
    },
    byName: false,
  },
  {
    kind: 'an npm auth token',
    is: (_p, base) => base === '.npmrc',
    judge: (text) => {
      for (const m of text.matchAll(/^\s*(?:\S*:)?_(?:authToken|auth|password)\s*=(.*)$/gm)) {
        const v = literalValue(m[1]);
        if (v !== null) return maskSecret(v);
      }
      return null;
    },
    byName: false,
  },
  {
    kind: 'Git credentials',
    is: (_p, base) => base === '.git-credentials',
    judge: (text) => findUrlPassword(text)?.masked ?? null,
    byName: true,
  },
  {
    kind: 'netrc credentials',
    is: (_p, base) => base === '.netrc' || base === '_netrc',
    judge: (text) => {
      const m = /(?:^|\s)password\s+(\S+)/.exec(text);
      return m ? maskSecret(m[1]) : null;
    },
    byName: true,
  },
  {
    kind: 'a PostgreSQL password file',
    is: (_p, base) => base === '.pgpass',
    judge: (text) => {
      for (const line of text.split(/\r?\n/)) {
        if (line.startsWith('#')) continue;
        const fields = line.split(/(?<!\\):/);
        if (fields.length >= 5 && fields.slice(4).join(':') !== '') return maskSecret(fields.slice(4).join(':'));
      }
      return null;
    },
    byName: true,
  },
  {
    kind: 'a PyPI password (.pypirc)',
    is: (_p, base) => base === '.pypirc',
    judge: (text) => {
      const m = /^\s*password\s*[=:]\s*(\S.*)$/im.exec(text);
      const v = m ? literalValue(m[1]) : null;
      return v === null ? null : maskSecret(v);
    },
    byName: false,
  },
  {
    kind: 'Kubernetes credentials (a kubeconfig)',
    is: (p, base) => base === 'kubeconfig' || p.endsWith('/.kube/config'),
    judge: (text) => {
      const m = /^\s*(?:token|client-key-data|password)\s*:\s*["']?([^\s"']+)/m.exec(text);
      return m && !m[1].startsWith('$') ? maskSecret(m[1]) : null;
    },
    byName: false,
  },
  {
    kind: 'secrets in a .env file',
    is: (_p, base) => (base === '.env' || /^\.env\.[\w.-]+$/.test(base)) && !ENV_EXAMPLE.test(base),
    judge: envFileSecret,
    byName: false,
  },
];

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Whether a file of an image holds a secret: a credential file by its name (judged by its contents when they were
 * read, else by the name alone for the names that always hold one), then a private key or a known token format in
 * the contents. `content` is null when the file was not read.
 */
export function fileSecret(path: string, content: Buffer | null, size: number): FileSecret | null {
  const base = basename(path);
  const text = content === null ? null : content.toString('latin1');
  for (const cf of CREDENTIAL_FILES) {
    if (!cf.is(path, base)) continue;
    if (text === null) {
      if (cf.byName && size > 0) return { kind: cf.kind, byName: true };
      break;
    }
    const masked = cf.judge(text);
    if (masked !== null) return masked === '' ? { kind: cf.kind, byName: false } : { kind: cf.kind, masked, byName: false };
    break;
  }
  if (text === null) return null;
  if (PRIVATE_KEY_HEADER.test(text)) return { kind: 'a private key', byName: false };
  const token = findToken(text);
  return token ? { kind: token.kind, masked: token.masked, byName: false } : null;
}

/** A secret for a message: `an SSH private key` or `a GitHub token ("ghp_****")`. */
export function describeFileSecret(s: FileSecret): string {
  return s.masked ? `${s.kind} ("${s.masked}")` : s.kind;
}
