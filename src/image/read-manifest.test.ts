import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ImageReadError } from '../image-view.ts';
import type { LayerIndex } from './read-layer.ts';
import { archivePath, familiarName, parseConfig, resolveImage, type OuterContents } from './read-manifest.ts';

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

function layerIndex(path: string, diffId: string, blobDigest = diffId, blobSize = 1024): LayerIndex {
  return { archivePath: path, compression: 'none', blobDigest, blobSize, diffId, size: 1024, entries: 0, adds: [], whiteouts: [] };
}

/** An OCI layout in memory: one image per platform, plus what index.json says. */
function ociContents(platforms: Array<{ arch: string; present?: boolean; attestation?: boolean }>) {
  const contents: OuterContents = { json: new Map(), layers: new Map(), unusable: new Map(), links: new Map() };
  const descriptors = platforms.map(({ arch, present = true, attestation = false }) => {
    const diffId = sha(Buffer.from(`layer-${arch}`));
    const config = Buffer.from(JSON.stringify({ architecture: arch, os: 'linux', rootfs: { type: 'layers', diff_ids: [diffId] } }));
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: diffId, size: 1024 }],
      }),
    );
    if (present) {
      contents.json.set(`blobs/sha256/${sha(config).slice(7)}`, config);
      contents.json.set(`blobs/sha256/${sha(manifest).slice(7)}`, manifest);
      contents.layers.set(`blobs/sha256/${diffId.slice(7)}`, layerIndex(`blobs/sha256/${diffId.slice(7)}`, diffId));
    }
    return {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: sha(manifest),
      size: manifest.length,
      platform: attestation ? { architecture: 'unknown', os: 'unknown' } : { architecture: arch, os: 'linux' },
      ...(attestation ? { annotations: { 'vnd.docker.reference.type': 'attestation-manifest' } } : {}),
    };
  });
  const inner = Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: descriptors }));
  contents.json.set(`blobs/sha256/${sha(inner).slice(7)}`, inner);
  contents.json.set(
    'index.json',
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        manifests: [
          {
            mediaType: 'application/vnd.oci.image.index.v1+json',
            digest: sha(inner),
            size: inner.length,
            annotations: { 'io.containerd.image.name': 'docker.io/library/multi:1', 'org.opencontainers.image.ref.name': '1' },
          },
        ],
      }),
    ),
  );
  return contents;
}

const HOST_ARCH = ({ x64: 'amd64', arm64: 'arm64' } as Record<string, string>)[process.arch] ?? process.arch;
const OTHER_ARCH = HOST_ARCH === 'amd64' ? 'arm64' : 'amd64';

describe('resolveImage (OCI)', () => {
  test('picks the host platform from a multi-platform index and says so', () => {
    const warnings: string[] = [];
    const r = resolveImage(ociContents([{ arch: OTHER_ARCH }, { arch: HOST_ARCH }]), 100, (m) => warnings.push(m));
    assert.equal(r.config.architecture, HOST_ARCH);
    assert.deepEqual(r.tags, ['multi:1']);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, new RegExp(`^index\\.json lists 2 images; reading sha256:[0-9a-f]{64} \\(linux/${HOST_ARCH}\\)$`));
  });

  test('skips attestations and platforms whose blobs were not exported', () => {
    const warnings: string[] = [];
    const r = resolveImage(ociContents([{ arch: HOST_ARCH, present: false }, { arch: OTHER_ARCH }, { arch: 'x', attestation: true }]), 100, (m) => warnings.push(m));
    assert.equal(r.config.architecture, OTHER_ARCH);
    assert.deepEqual(warnings, []);
  });

  test('an index whose images are all missing is an error', () => {
    assert.throws(() => resolveImage(ociContents([{ arch: HOST_ARCH, present: false }]), 100, () => {}), /^ImageReadError: index\.json lists 1 image manifest\(s\), none of which is in the archive$/);
  });

  test('a blob stored under the wrong digest is an error', () => {
    const contents = ociContents([{ arch: HOST_ARCH }]);
    for (const [k, v] of contents.json) {
      if (k.startsWith('blobs/') && v.toString().includes('"config"')) contents.json.set(k, Buffer.from(v.toString().replace('"schemaVersion":2', '"schemaVersion": 2')));
    }
    assert.throws(() => resolveImage(contents, 100, () => {}), (e: unknown) => e instanceof ImageReadError && /hashes to sha256:[0-9a-f]{64}, not the sha256:[0-9a-f]{64} it is stored as/.test(e.message));
  });
});

describe('manifest helpers', () => {
  test('familiarName shortens Docker Hub references only', () => {
    assert.deepEqual(
      ['docker.io/library/alpine:3', 'docker.io/user/app:1', 'ghcr.io/o/app:2', 'alpine:3'].map(familiarName),
      ['alpine:3', 'user/app:1', 'ghcr.io/o/app:2', 'alpine:3'],
    );
  });

  test('archivePath normalises and rejects paths that leave the archive', () => {
    assert.equal(archivePath('./abc//layer.tar', 'x'), 'abc/layer.tar');
    assert.throws(() => archivePath('/etc/passwd', 'manifest.json[0].Config'), /^ImageReadError: manifest\.json\[0\]\.Config: "\/etc\/passwd" is not a path inside the archive$/);
    assert.throws(() => archivePath('a/../../b', 'x'), /is not a path inside the archive/);
  });

  test('parseConfig fills defaults for a minimal config and keeps history order', () => {
    const parsed = parseConfig(
      Buffer.from(JSON.stringify({ rootfs: { diff_ids: ['sha256:aa'] }, config: null, history: [{ created_by: 'a' }, { empty_layer: true, comment: 'c' }] })),
      'c.json',
    );
    assert.deepEqual(parsed, {
      config: { user: '', env: [], entrypoint: null, cmd: null, workingDir: '', labels: {}, exposedPorts: [], os: '', architecture: '' },
      history: [
        { createdBy: 'a', emptyLayer: false },
        { createdBy: '', emptyLayer: true, comment: 'c' },
      ],
      diffIds: ['sha256:aa'],
    });
    assert.throws(() => parseConfig(Buffer.from('[]'), 'c.json'), /^ImageReadError: config c\.json is not a JSON object$/);
    assert.throws(() => parseConfig(Buffer.from('{"rootfs":{"diff_ids":[]},"config":{"Cmd":[1]}}'), 'c.json'), /config\.Cmd is not a list of strings/);
  });
});
