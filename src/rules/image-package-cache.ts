import type { ImageRule } from './types.ts';
import { formatBytes, plural, sortedFiles } from './util/image.ts';

interface CacheKind {
  /** What it is, for the message. */
  what: string;
  /** The cache a file belongs to (the directory reported), or null. */
  root(path: string): string | null;
  advice: string;
}

const HOME = '(/root|/home/[^/]+)';

export const CACHES: readonly CacheKind[] = [
  {
    what: 'apt package lists',
    root: (p) => {
      const m = /^\/var\/lib\/apt\/lists\/(.+)$/.exec(p);
      if (!m || m[1] === 'lock' || m[1] === 'partial' || m[1].startsWith('partial/')) return null;
      return '/var/lib/apt/lists';
    },
    advice: 'end the RUN that runs apt-get update with && rm -rf /var/lib/apt/lists/*',
  },
  {
    what: 'the apt package cache',
    root: (p) => (/^\/var\/cache\/apt\/[^/]+\.bin$/.test(p) || /^\/var\/cache\/apt\/archives\/[^/]+\.deb$/.test(p) ? '/var/cache/apt' : null),
    advice: 'run apt-get clean in the same RUN that installs packages',
  },
  {
    what: 'the apk package cache',
    root: (p) => (/^\/var\/cache\/apk\/.+/.test(p) ? '/var/cache/apk' : null),
    advice: 'use apk add --no-cache',
  },
  {
    what: 'the dnf/yum package cache',
    root: (p) => /^\/var\/cache\/(?:dnf|yum)(?=\/.)/.exec(p)?.[0] ?? null,
    advice: 'run dnf clean all (or yum clean all) in the same RUN that installs packages',
  },
  {
    what: 'the pip cache',
    root: (p) => new RegExp(`^${HOME}/\\.cache/pip(?=/.)`).exec(p)?.[0] ?? null,
    advice: 'use pip install --no-cache-dir (or PIP_NO_CACHE_DIR=1)',
  },
  {
    what: 'the npm cache',
    root: (p) => new RegExp(`^${HOME}/\\.npm/_cacache(?=/.)`).exec(p)?.[0] ?? null,
    advice: 'run npm cache clean --force in the same RUN as npm install, or mount the cache (RUN --mount=type=cache,target=/root/.npm)',
  },
];

interface Found {
  kind: CacheKind;
  root: string;
  bytes: number;
  files: number;
  byLayer: Map<number, number>;
}

/**
 * Package-manager caches left in the final image, with their bytes: one finding per cache directory, on the layer
 * that added most of its bytes.
 */
const rule: ImageRule = {
  meta: {
    id: 'image-package-cache',
    severity: 'info',
    title: 'Package-manager cache left in the image',
    description:
      'Package lists and downloaded packages (apt, apk, dnf/yum, pip, npm) are needed only while installing: left in a layer, they make every pull and every container bigger and slower for nothing. Clean them in the same RUN that creates them, or use a cache mount.',
    fixable: false,
    kind: 'image',
    enabledByDefault: true,
    category: 'image',
  },
  checkImage(ctx) {
    const found = new Map<string, Found>();
    for (const f of sortedFiles(ctx.image)) {
      if (f.type !== 'file') continue;
      for (const kind of CACHES) {
        const root = kind.root(f.path);
        if (root === null) continue;
        let c = found.get(root);
        if (!c) {
          c = { kind, root, bytes: 0, files: 0, byLayer: new Map() };
          found.set(root, c);
        }
        c.bytes += f.size;
        c.files++;
        c.byLayer.set(f.layer, (c.byLayer.get(f.layer) ?? 0) + f.size);
        break;
      }
    }
    for (const c of found.values()) {
      if (c.bytes === 0) continue;
      // The layer that added most of the bytes (the earliest on a tie).
      let layer = -1;
      let most = -1;
      for (const [l, b] of [...c.byLayer].sort((a, b) => a[0] - b[0])) {
        if (b > most) {
          layer = l;
          most = b;
        }
      }
      ctx.report({
        layer,
        path: c.root,
        message: `${cap(c.kind.what)} ${c.kind.what.endsWith('lists') ? 'are' : 'is'} left in the image: ${c.root} holds ${formatBytes(c.bytes)} in ${plural(c.files, 'file')}${c.byLayer.size > 1 ? ` (${formatBytes(most)} of it added here)` : ''}; ${c.kind.advice}.`,
      });
    }
  },
};

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export default rule;
