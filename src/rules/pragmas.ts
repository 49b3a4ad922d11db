/**
 * Inline pragmas: `# defang ignore=rule-id[,rule-id] reason` silences the next instruction, `# defang stage
 * ignore=…` the stage it stands in (or that its next FROM starts), `# defang global ignore=…` the whole file. For migration, `# hadolint ignore=DL3008` and `# hadolint global ignore=…` work the same
 * way through the hadolint codes recorded on each rule.
 */
import type { Span } from '../findings.ts';
import type { DockerfileModel } from '../dockerfile/model.ts';

export interface Pragma {
  tool: 'defang' | 'hadolint';
  /** `global ignore=…`: the whole file; `stage ignore=…`: the stage it stands in (or the stage its next FROM starts). */
  scope: 'instruction' | 'stage' | 'global';
  global: boolean;
  /** Rule ids or hadolint codes, as written. */
  ids: string[];
  reason: string;
  /** The comment itself. */
  span: Span;
  /** The instruction the pragma silences (null for a global pragma, or when no instruction follows). */
  target: Span | null;
}

const CODE = /^(?:DL|SC)\d{4}$/i;

/**
 * The names in a pragma that do not name anything: for `# hadolint ignore=…`, anything but DLxxxx/SCxxxx codes (as
 * in hadolint, such a pragma is void as a whole); for `# defang ignore=…`, anything but a known rule id or a code.
 */
export function unknownNames(p: Pragma, knownIds: ReadonlySet<string>): string[] {
  return p.ids.filter((id) => !CODE.test(id) && (p.tool === 'hadolint' || !knownIds.has(id)));
}

const PRAGMA = /^(defang|hadolint)\s+(?:(global|stage)\s+)?ignore\s*=\s*([A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*)\s*(.*)$/i;

export function parsePragmas(model: DockerfileModel): Pragma[] {
  const out: Pragma[] = [];
  // Built when the first pragma needs them: most files have none.
  let commentLines: Set<number> | null = null;
  let starts: Span[] | null = null;
  for (const c of model.comments) {
    const m = PRAGMA.exec(c.text);
    if (!m) continue;
    commentLines ??= new Set(model.comments.map((x) => x.line));
    starts ??= model.instructions.map((i) => i.span).sort((a, b) => a.line - b.line);
    const scope: Pragma['scope'] = m[2]?.toLowerCase() === 'global' ? 'global' : m[2]?.toLowerCase() === 'stage' ? 'stage' : 'instruction';
    const global = scope === 'global';
    let target: Span | null = null;
    if (scope === 'instruction') {
      // The instruction directly below, with only other comment lines in between.
      let line = c.line + 1;
      while (commentLines.has(line)) line++;
      target = starts.find((s) => s.line === line) ?? null;
    } else if (scope === 'stage') {
      // The stage the comment stands in, or the one the next FROM starts when the comment comes before it.
      const next = model.instructions.find((i) => i.span.line > c.line);
      const stage = next?.stage ?? null;
      if (stage) {
        const last = stage.instructions[stage.instructions.length - 1];
        target = { line: stage.from.span.line, column: 1, endLine: last.span.endLine, endColumn: last.span.endColumn };
      }
    }
    out.push({
      tool: m[1].toLowerCase() as Pragma['tool'],
      scope,
      global,
      ids: m[3].split(',').map((s) => s.trim()).filter(Boolean),
      reason: m[4].trim(),
      span: c.span,
      target,
    });
  }
  return out;
}
