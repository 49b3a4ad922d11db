/** Character classes by UTF-16 code unit, for the scanners that read Dockerfiles and shell text one code at a time. */

/** Whether a code unit is one that the regular expression `\s` matches (ASCII and Unicode white space). */
export function isSpaceCode(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 160) return false;
  return (
    c === 160 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f ||
    c === 0x3000 || c === 0xfeff
  );
}

/** `[A-Za-z_]`: the first character of a variable name (NaN, past the end of a text, is not). */
export function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** `[A-Za-z0-9_]`: the other characters of a variable name. */
export function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}
