/**
 * Value formats for the label schema (label-schema rule): URL, RFC 3339 date-time, SPDX license expression, git
 * commit hash, semantic version, e-mail address.
 *
 * The SPDX list below holds the licence identifiers and exceptions seen in practice, not the whole SPDX list (which
 * grows with every release); projects add their own with the rule's `extraLicenses` option. `LicenseRef-…` and
 * `DocumentRef-…:LicenseRef-…` references are always accepted, as SPDX allows.
 */

export const LABEL_TYPES = ['text', 'url', 'hash', 'rfc3339', 'semver', 'spdx', 'email'] as const;
export type LabelType = (typeof LABEL_TYPES)[number];

export function isLabelType(t: unknown): t is LabelType {
  return typeof t === 'string' && (LABEL_TYPES as readonly string[]).includes(t);
}

/** An absolute URI with a scheme (`https://…`, `git+ssh://…`, `mailto:…`); hierarchical URLs need a host. */
export function isUrl(v: string): boolean {
  if (/\s/.test(v) || !/^[A-Za-z][A-Za-z0-9+.-]*:./.test(v)) return false;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return false;
  }
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(v) && u.protocol !== 'file:') return u.host !== '';
  return true;
}

/** RFC 3339 date-time: `2024-05-01T12:30:00Z`, `2024-05-01T12:30:00.5+02:00` (a space may replace the `T`). */
export function isRfc3339(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$/.exec(v);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (day > days || hour > 23 || minute > 59 || second > 60) return false;
  if (m[9] && (Number(m[10]) > 23 || Number(m[11]) > 59)) return false;
  return true;
}

/** A git commit id: abbreviated (7 to 40 hex digits) or a full SHA-1 (40) or SHA-256 (64) object name. */
export function isGitHash(v: string): boolean {
  return /^[0-9a-fA-F]{7,40}$/.test(v) || /^[0-9a-fA-F]{64}$/.test(v);
}

/** Semantic Versioning 2.0.0 (`1.2.3`, `2.0.1-rc.1+build.5`); no leading `v`. */
export function isSemver(v: string): boolean {
  return /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/.test(
    v,
  );
}

/** An e-mail address (RFC 5322 addr-spec: dot-atom or quoted local part; domain name or address literal). */
export function isEmail(v: string): boolean {
  const at = v.lastIndexOf('@');
  if (at <= 0 || at === v.length - 1 || v.length > 254) return false;
  const local = v.slice(0, at);
  const domain = v.slice(at + 1);
  const atom = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
  const localOk = new RegExp(`^${atom}(?:\\.${atom})*$`).test(local) || /^"(?:[^"\\\r\n]|\\.)*"$/.test(local);
  if (!localOk || local.length > 64) return false;
  if (/^\[[^\]\s]+\]$/.test(domain)) return true;
  const labels = domain.split('.');
  return labels.every((l) => /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(l));
}

const SPDX_IDS = `0BSD AAL AFL-1.1 AFL-1.2 AFL-2.0 AFL-2.1 AFL-3.0 AGPL-1.0-only AGPL-1.0-or-later AGPL-3.0 AGPL-3.0-only
AGPL-3.0-or-later Apache-1.0 Apache-1.1 Apache-2.0 APSL-2.0 Artistic-1.0 Artistic-1.0-Perl Artistic-2.0 Beerware
blessing BlueOak-1.0.0 BSD-1-Clause BSD-2-Clause BSD-2-Clause-Patent BSD-3-Clause BSD-3-Clause-Clear BSD-3-Clause-LBNL
BSD-4-Clause BSL-1.0 BUSL-1.1 bzip2-1.0.6 CAL-1.0 CC-BY-1.0 CC-BY-2.0 CC-BY-2.5 CC-BY-3.0 CC-BY-4.0 CC-BY-NC-4.0
CC-BY-NC-ND-4.0 CC-BY-NC-SA-4.0 CC-BY-ND-4.0 CC-BY-SA-3.0 CC-BY-SA-4.0 CC-PDDC CC0-1.0 CDDL-1.0 CDDL-1.1 CECILL-2.1
CECILL-B CECILL-C CPAL-1.0 CPL-1.0 curl ECL-2.0 EFL-2.0 Elastic-2.0 EPL-1.0 EPL-2.0 EUPL-1.1 EUPL-1.2 FTL GFDL-1.1
GFDL-1.2 GFDL-1.2-only GFDL-1.2-or-later GFDL-1.3 GFDL-1.3-only GFDL-1.3-or-later GPL-1.0 GPL-1.0-only GPL-1.0-or-later
GPL-2.0 GPL-2.0-only GPL-2.0-or-later GPL-3.0 GPL-3.0-only GPL-3.0-or-later HPND ICU IJG ImageMagick IPA IPL-1.0 ISC
JSON LGPL-2.0 LGPL-2.0-only LGPL-2.0-or-later LGPL-2.1 LGPL-2.1-only LGPL-2.1-or-later LGPL-3.0 LGPL-3.0-only
LGPL-3.0-or-later Libpng libtiff LPL-1.02 LPPL-1.3c MirOS MIT MIT-0 MIT-CMU MIT-Modern-Variant MPL-1.0 MPL-1.1 MPL-2.0
MPL-2.0-no-copyleft-exception MS-PL MS-RL MulanPSL-2.0 NCSA NTP ODbL-1.0 ODC-By-1.0 OFL-1.0 OFL-1.1 OLDAP-2.8
OpenSSL OSL-2.1 OSL-3.0 PDDL-1.0 PHP-3.0 PHP-3.01 PolyForm-Noncommercial-1.0.0 PolyForm-Small-Business-1.0.0
PostgreSQL PSF-2.0 Python-2.0 Python-2.0.1 QPL-1.0 Ruby SGI-B-2.0 SISSL Sleepycat SMLNJ SSPL-1.0 TCL UCL-1.0
Unicode-3.0 Unicode-DFS-2016 Unlicense UPL-1.0 Vim VSL-1.0 W3C W3C-20150513 WTFPL X11 XFree86-1.1 Zend-2.0 Zlib
zlib-acknowledgement ZPL-1.1 ZPL-2.0 ZPL-2.1`;

const SPDX_EXCEPTIONS = `389-exception Autoconf-exception-2.0 Autoconf-exception-3.0 Bison-exception-2.2
Bootloader-exception Classpath-exception-2.0 CLISP-exception-2.0 eCos-exception-2.0 FLTK-exception Font-exception-2.0
freertos-exception-2.0 GCC-exception-2.0 GCC-exception-3.1 GPL-3.0-linking-exception GPL-3.0-linking-source-exception
GPL-CC-1.0 LGPL-3.0-linking-exception Libtool-exception Linux-syscall-note LLVM-exception LZMA-exception
mif-exception OCaml-LGPL-linking-exception OCCT-exception-1.0 OpenJDK-assembly-exception-1.0
openvpn-openssl-exception PS-or-PDF-font-exception-20170817 Qt-GPL-exception-1.0 Qt-LGPL-exception-1.1
Qwt-exception-1.0 Swift-exception u-boot-exception-2.0 Universal-FOSS-exception-1.0 WxWindows-exception-3.1`;

const lower = (s: string) => s.split(/\s+/).filter(Boolean).map((x) => x.toLowerCase());
const KNOWN_IDS = new Set(lower(SPDX_IDS));
const KNOWN_EXCEPTIONS = new Set(lower(SPDX_EXCEPTIONS));

/** Why a value is not an SPDX license expression (naming the first unknown identifier), or null when it is one. */
export function spdxProblem(value: string, extra: readonly string[] = []): string | null {
  const extraIds = new Set(extra.map((x) => x.toLowerCase()));
  const tokens = value.replace(/([()])/g, ' $1 ').split(/\s+/).filter(Boolean);
  if (tokens.length === 0) return 'it is empty';
  let i = 0;
  const op = (t: string | undefined, name: string) => t === name || t === name.toLowerCase();
  const isId = (t: string) => {
    const id = t.toLowerCase();
    if (/^(documentref-[A-Za-z0-9.-]+:)?licenseref-[A-Za-z0-9.-]+$/i.test(t)) return true;
    const base = id.endsWith('+') ? id.slice(0, -1) : id;
    return KNOWN_IDS.has(base) || extraIds.has(base) || extraIds.has(id);
  };
  let problem: string | null = null;
  const fail = (msg: string) => {
    problem ??= msg;
    return false;
  };
  const simple = (): boolean => {
    const t = tokens[i];
    if (t === undefined) return fail('it ends where a license identifier should follow');
    if (t === '(') {
      i++;
      if (!expr()) return false;
      if (tokens[i] !== ')') return fail('a "(" is not closed');
      i++;
      return true;
    }
    if (op(t, 'AND') || op(t, 'OR') || op(t, 'WITH') || t === ')') return fail(`"${t}" stands where a license identifier should`);
    if (!isId(t)) return fail(`"${t}" is not a known SPDX license identifier`);
    i++;
    if (op(tokens[i], 'WITH')) {
      i++;
      const e = tokens[i];
      if (e === undefined) return fail('WITH is not followed by an exception');
      if (!KNOWN_EXCEPTIONS.has(e.toLowerCase()) && !extraIds.has(e.toLowerCase())) {
        return fail(`"${e}" is not a known SPDX license exception`);
      }
      i++;
    }
    return true;
  };
  const term = (): boolean => {
    if (!simple()) return false;
    while (op(tokens[i], 'AND')) {
      i++;
      if (!simple()) return false;
    }
    return true;
  };
  const expr = (): boolean => {
    if (!term()) return false;
    while (op(tokens[i], 'OR')) {
      i++;
      if (!term()) return false;
    }
    return true;
  };
  if (!expr()) return problem;
  if (i < tokens.length) return `"${tokens[i]}" is unexpected there`;
  return null;
}
