/**
 * File modes as chmod, mkdir -m, install -m and COPY --chmod take them: octal (`0777`, `1777`) or symbolic
 * (`a+w`, `u=rwx,go+w`).
 */

export interface ModeEffect {
  /** The mode grants write permission to "others" (every user). */
  worldWritable: boolean;
  /** The mode sets the sticky bit (`1777`, `+t`): only owners may delete or rename entries, as on /tmp. */
  sticky: boolean;
}

const OCTAL = /^[0-7]{1,5}$/;

/** What a mode does to world-write and sticky bits; null when the text is not a mode. */
export function modeEffect(mode: string): ModeEffect | null {
  if (OCTAL.test(mode)) {
    const n = parseInt(mode, 8);
    if (n > 0o7777) return null;
    return { worldWritable: (n & 0o002) !== 0, sticky: (n & 0o1000) !== 0 };
  }
  let worldWritable = false;
  let sticky = false;
  for (const clause of mode.split(',')) {
    const m = /^([ugoa]*)((?:[-+=][rwxXstugo]*)+)$/.exec(clause);
    if (!m) return null;
    const who = m[1];
    // Without "who", chmod applies the umask (022 by default), which keeps others from writing.
    const others = who.includes('o') || who.includes('a');
    for (const op of m[2].matchAll(/([-+=])([rwxXstugo]*)/g)) {
      const [, sign, perms] = op;
      if (others && perms.includes('w')) worldWritable = sign !== '-';
      else if (others && sign === '=') worldWritable = false;
      if (perms.includes('t')) sticky = sign !== '-';
    }
  }
  return { worldWritable, sticky };
}

/** A mode that lets every user write, without the sticky bit that makes shared directories like /tmp safe. */
export function isUnsafeWorldWritable(mode: string): boolean {
  // A symbolic mode grants write only with a "w" (chmod +x, u+rwx are most of them); octal modes have none.
  if (!mode.includes('w') && !OCTAL.test(mode)) return false;
  const e = modeEffect(mode);
  return e !== null && e.worldWritable && !e.sticky;
}
