/**
 * The image view: what Defang knows about a built image after reading its `docker save` stream — the config, the
 * history, the layers, the final filesystem (metadata only), what later layers deleted or overwrote, and the contents
 * of the few files that need reading — and the attribution of each layer to the Dockerfile instruction that made it.
 * A shared contract like findings.ts: src/image/ builds these, image rules (src/rules/image-*.ts) read them, and
 * neither imports the other.
 */

export type FileType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo';

/** One path of the final filesystem (after every layer, whiteouts applied). */
export interface ImageFile {
  /** Absolute, normalised: `/usr/bin/passwd`. */
  path: string;
  type: FileType;
  /** Permission bits including setuid (0o4000), setgid (0o2000) and sticky (0o1000). */
  mode: number;
  uid: number;
  gid: number;
  /** Bytes of content (0 for non-files; for a hardlink, the size of the file it links to). */
  size: number;
  /** Symlink target as stored, or the absolute path a hardlink points to. */
  linkTarget?: string;
  /** Index (into ImageView.layers) of the layer that last set this path. */
  layer: number;
}

/** A path some layer added and a later layer deleted (whiteout) or replaced. */
export interface RemovedFile {
  path: string;
  type: FileType;
  size: number;
  mode: number;
  /** The layer that added this version. */
  addedIn: number;
  /** The layer that deleted or replaced it. */
  removedIn: number;
  /** How: a whiteout (`.wh.name`), an opaque directory (`.wh..wh..opq`), or a later layer writing the same path. */
  how: 'whiteout' | 'opaque' | 'overwritten';
}

export interface HistoryEntry {
  created?: string;
  createdBy: string;
  comment?: string;
  /** True for instructions that made no layer (ENV, USER, CMD, …). */
  emptyLayer: boolean;
}

export interface ImageConfig {
  user: string;
  env: string[];
  entrypoint: string[] | null;
  cmd: string[] | null;
  workingDir: string;
  labels: Record<string, string>;
  exposedPorts: string[];
  os: string;
  architecture: string;
}

export interface LayerInfo {
  index: number;
  /** The uncompressed layer's digest (`sha256:…`, the config's diff_id). */
  diffId: string;
  /** Bytes of the uncompressed layer tar. */
  size: number;
  /** Entries in the layer tar. */
  entries: number;
}

/** Contents read during the stream: small files that checks need (`/etc/passwd`, candidate secrets). */
export interface ReadFile {
  path: string;
  layer: number;
  content: Buffer;
}

export interface ImageView {
  /** The image id (`sha256:…` of the config). */
  id: string;
  /** Tags from the archive's manifest (`repo:tag`), if any. */
  tags: string[];
  config: ImageConfig;
  history: HistoryEntry[];
  layers: LayerInfo[];
  /** The final filesystem by absolute path. */
  files: Map<string, ImageFile>;
  /** Everything a later layer deleted or replaced, in layer order. */
  removed: RemovedFile[];
  /**
   * Contents of files that were read: every version (per layer) of `/etc/passwd`, `/etc/group`, `/etc/os-release`,
   * and of files that may hold secrets (by name, under 1 MiB). Later versions come later.
   */
  contents: ReadFile[];
  /** Which archive layout the stream had. */
  layout: 'docker-archive' | 'oci';
}

/** Errors from reading an archive: always say what was wrong and where (entry name, layer). */
export class ImageReadError extends Error {
  override name = 'ImageReadError';
}

/** Which Dockerfile instruction made a layer. */
export interface LayerAttribution {
  /** Index into ImageView.layers. */
  layer: number;
  /**
   * Index into the model's `all` list of the instruction whose build step made this layer; null when the layer comes
   * from the base image (`inherited`) or could not be mapped (`unmapped` says why).
   */
  instruction: number | null;
  /** The layer belongs to the base image: findings go on the FROM line of the stage it came through. */
  inherited: boolean;
  /** Why this layer could not be mapped to an instruction (then findings go on the final stage's FROM line). */
  unmapped?: string;
}

export interface Attribution {
  /** Index into model.stages of the stage the image was built from (the final one, or the --target). */
  stage: number;
  layers: LayerAttribution[];
  /** How many leading layers belong to the base image. */
  baseLayers: number;
  /** How the base boundary was found: from the base image's own layers, or the documented history heuristic. */
  method: 'base-image-layers' | 'history';
  /** Notes on anything that could not be mapped exactly. */
  notes: string[];
}

/**
 * One result of BuildKit's own Dockerfile checks (`docker build --check`): src/image/ reads them from the build, the
 * build-check rule reports them.
 */
export interface BuildCheck {
  /** BuildKit's rule name: `JSONArgsRecommended`. */
  rule: string;
  message: string;
  /** 1-based Dockerfile line; 0 when BuildKit gave no location. */
  line: number;
  /** 1-based column, when BuildKit gave one. */
  column?: number;
  /** Last line of the range, when it spans several. */
  endLine?: number;
  url?: string;
}
