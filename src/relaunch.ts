/**
 * Run this process again with V8's `--liftoff-only`, for commands that must stay small (the action, `scan`).
 *
 * The shell parser is tree-sitter compiled to WebAssembly. V8 first compiles it with its baseline compiler (Liftoff),
 * then optimises hot functions with TurboFan in the background; optimising tree-sitter-bash's very large lexer function
 * takes over 500 MB for a moment, more than everything else Defang does, reading a 1.2 GB image included
 * (bench/inspect). The flag only works on the command line — set at run time it no longer affects compilation — so the
 * process starts itself again with it, passing the same arguments, environment and standard streams.
 */
import { spawnSync } from 'node:child_process';

const FLAG = '--liftoff-only';

/** The exit status of the relaunched process, or null when this process already has the flag (or must not relaunch). */
export function relaunchWithLiftoff(): number | null {
  if (process.execArgv.includes(FLAG) || process.env.DEFANG_NO_RELAUNCH === '1' || !process.argv[1]) return null;
  const r = spawnSync(process.execPath, [FLAG, ...process.execArgv, process.argv[1], ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, DEFANG_NO_RELAUNCH: '1' },
  });
  if (r.error) return null;
  return r.status ?? 1;
}
