/** Test helpers shared by the reporters' tests. */
import type { Finding } from '../findings.ts';

/** A finding with plain defaults (a warning of `some-rule` on line 1 of Dockerfile), overridden by `over`. */
export function finding(over: Partial<Finding>): Finding {
  return {
    ruleId: 'some-rule',
    severity: 'warning',
    message: 'A message.',
    file: 'Dockerfile',
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 5,
    fingerprint: 'fp',
    ...over,
  };
}
