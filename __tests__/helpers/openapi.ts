/**
 * GitHub's published OpenAPI description (from the @octokit/openapi package), indexed for the fake GitHub server:
 * operations by method + path template, a path matcher, query-parameter coercion and a compact JSON-schema validator
 * for the subset of OpenAPI 3.0 that the description uses.
 *
 * The description is large (about 13 MB); it is read once per process and cached.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'];

/** A schema object of the OpenAPI 3.0 description (the fields the validator understands). */
export interface Schema {
  $ref?: string;
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';
  format?: string;
  nullable?: boolean;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  maxProperties?: number;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  description?: string;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  description?: string;
  schema: Schema;
  'x-multi-segment'?: boolean;
}

interface RawReference {
  $ref: string;
}

interface RawOperation {
  operationId: string;
  parameters?: Array<Parameter | RawReference>;
  requestBody?: RawRequestBody | RawReference;
  responses: Record<string, RawResponse | RawReference>;
  externalDocs?: { url: string };
}

interface RawRequestBody {
  required?: boolean;
  content: Record<string, { schema?: Schema }>;
}

interface RawResponse {
  description?: string;
  content?: Record<string, { schema?: Schema }>;
}

interface RawSpec {
  openapi: string;
  paths: Record<string, Record<string, RawOperation | Array<Parameter | RawReference>>>;
  components: {
    schemas: Record<string, Schema>;
    parameters: Record<string, Parameter>;
    requestBodies?: Record<string, RawRequestBody>;
    responses: Record<string, RawResponse>;
  };
}

/** One operation of the description with its references to parameters, bodies and responses resolved. */
export interface Operation {
  method: HttpMethod;
  /** The path template, e.g. `/repos/{owner}/{repo}/pulls/{pull_number}/files`. */
  path: string;
  operationId: string;
  /** GitHub's documentation page for the operation (GitHub puts it in `documentation_url` of error bodies). */
  documentationUrl: string;
  pathParameters: Parameter[];
  queryParameters: Parameter[];
  /** The JSON schema of the request body, when the operation takes a JSON body. */
  bodySchema: Schema | null;
  /** Content types of the request body, when the operation takes one. */
  bodyContentTypes: string[];
  bodyRequired: boolean;
  /** Status code (or `default`) → JSON schema of the response body, for documented JSON responses. */
  responseSchemas: Map<string, Schema>;
}

interface CompiledTemplate {
  operationsByMethod: Map<HttpMethod, Operation>;
  template: string;
  regex: RegExp;
  paramNames: string[];
  /** Larger is more specific: literal segments count most; multi-segment parameters count against. */
  specificity: number;
}

export interface PathMatch {
  operation: Operation;
  /** Raw (decoded) path parameter values, before type coercion. */
  params: Record<string, string>;
}

export interface GitHubSpec {
  version: string;
  /** `METHOD /template` → operation. */
  operations: Map<string, Operation>;
  /** Resolves a `#/components/...` reference. */
  resolve(ref: string): unknown;
  /**
   * The operations whose template matches `rawPath` (still percent-encoded), most specific first, with the
   * method's operation when the template has one. Templates that match the path but not the method are left out.
   */
  match(method: string, rawPath: string): PathMatch[];
  /** True when some template (for any method) matches the path. */
  hasPath(rawPath: string): boolean;
}

let cached: GitHubSpec | undefined;

/** The path of the api.github.com description inside the installed @octokit/openapi package. */
export function specFilePath(): string {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve('@octokit/openapi/package.json');
  return join(dirname(packageJson), 'generated', 'api.github.com.json');
}

/** Loads (once per process) and indexes GitHub's OpenAPI description for api.github.com. */
export function loadGitHubSpec(): GitHubSpec {
  if (cached) return cached;
  const file = specFilePath();
  const raw = JSON.parse(readFileSync(file, 'utf8')) as RawSpec;
  cached = indexSpec(raw, file);
  return cached;
}

function indexSpec(raw: RawSpec, file: string): GitHubSpec {
  const resolve = (ref: string): unknown => {
    if (!ref.startsWith('#/')) throw new Error(`${file}: unsupported reference ${ref}`);
    let node: unknown = raw;
    for (const part of ref.slice(2).split('/')) {
      const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
      if (node === null || typeof node !== 'object' || !(key in node)) {
        throw new Error(`${file}: reference ${ref} does not resolve`);
      }
      node = (node as Record<string, unknown>)[key];
    }
    return node;
  };
  const deref = <T>(value: T | RawReference): T =>
    value !== null && typeof value === 'object' && '$ref' in value && typeof value.$ref === 'string'
      ? (resolve(value.$ref) as T)
      : (value as T);

  const operations = new Map<string, Operation>();
  const templates: CompiledTemplate[] = [];
  for (const [template, item] of Object.entries(raw.paths)) {
    const shared = ((item as Record<string, unknown>).parameters ?? []) as Array<Parameter | RawReference>;
    const byMethod = new Map<HttpMethod, Operation>();
    for (const method of METHODS) {
      const rawOp = (item as Record<string, unknown>)[method.toLowerCase()] as RawOperation | undefined;
      if (!rawOp) continue;
      const parameters = [...shared, ...(rawOp.parameters ?? [])].map((p) => deref<Parameter>(p));
      const body = rawOp.requestBody ? deref<RawRequestBody>(rawOp.requestBody) : undefined;
      const responseSchemas = new Map<string, Schema>();
      for (const [status, response] of Object.entries(rawOp.responses ?? {})) {
        const schema = deref<RawResponse>(response).content?.['application/json']?.schema;
        if (schema) responseSchemas.set(status, schema);
      }
      const operation: Operation = {
        method,
        path: template,
        operationId: rawOp.operationId,
        documentationUrl: rawOp.externalDocs?.url ?? 'https://docs.github.com/rest',
        pathParameters: parameters.filter((p) => p.in === 'path'),
        queryParameters: parameters.filter((p) => p.in === 'query'),
        bodySchema: body?.content['application/json']?.schema ?? null,
        bodyContentTypes: body ? Object.keys(body.content) : [],
        bodyRequired: body?.required === true,
        responseSchemas,
      };
      operations.set(`${method} ${template}`, operation);
      byMethod.set(method, operation);
    }
    if (byMethod.size > 0) templates.push(compileTemplate(template, byMethod));
  }
  templates.sort((a, b) => b.specificity - a.specificity || a.template.localeCompare(b.template));

  const matching = (rawPath: string): Array<{ compiled: CompiledTemplate; values: string[] }> => {
    const found: Array<{ compiled: CompiledTemplate; values: string[] }> = [];
    for (const compiled of templates) {
      const m = compiled.regex.exec(rawPath);
      if (m) found.push({ compiled, values: m.slice(1) });
    }
    return found;
  };

  return {
    version: raw.openapi,
    operations,
    resolve,
    hasPath: (rawPath) => matching(rawPath).length > 0,
    match(method, rawPath) {
      const result: PathMatch[] = [];
      for (const { compiled, values } of matching(rawPath)) {
        const operation = compiled.operationsByMethod.get(method.toUpperCase() as HttpMethod);
        if (!operation) continue;
        const params: Record<string, string> = {};
        let decodable = true;
        compiled.paramNames.forEach((name, i) => {
          try {
            params[name] = decodeURIComponent(values[i] ?? '');
          } catch {
            decodable = false;
          }
        });
        if (decodable) result.push({ operation, params });
      }
      return result;
    },
  };
}

function compileTemplate(template: string, operationsByMethod: Map<HttpMethod, Operation>): CompiledTemplate {
  const multiSegment = new Set<string>();
  for (const operation of operationsByMethod.values()) {
    for (const p of operation.pathParameters) if (p['x-multi-segment']) multiSegment.add(p.name);
  }
  const paramNames: string[] = [];
  let specificity = 0;
  const segments = template.split('/').slice(1);
  const pattern = segments
    .map((segment) => {
      // A segment is either a literal or exactly one {parameter} (GitHub's templates never mix the two).
      const param = /^\{([^}]+)\}$/.exec(segment);
      if (!param) {
        specificity += 100;
        return escapeRegex(segment);
      }
      const name = param[1] as string;
      paramNames.push(name);
      if (multiSegment.has(name)) {
        specificity -= 1;
        return '(.+)';
      }
      return '([^/]+)';
    })
    .join('/');
  return { operationsByMethod, template, regex: new RegExp(`^/${pattern}$`), paramNames, specificity };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---------------------------------------------------------------------------------------------------------------
// Validation

/** One validation problem, in the shape of an item of GitHub's `errors` array. */
export interface SchemaIssue {
  /** Where: `per_page`, `comments[0].line`, or `` for the body itself. */
  field: string;
  code: 'missing_field' | 'invalid';
  message: string;
  value?: unknown;
}

/**
 * Validates `value` against `schema` (OpenAPI 3.0 subset: $ref, type, format date-time, nullable, enum, required,
 * properties, additionalProperties, maxProperties, items, minItems, maxItems, uniqueItems, oneOf, anyOf, allOf,
 * minimum, maximum, minLength, maxLength, pattern). Returns the problems found; empty when valid.
 */
export function validateSchema(spec: GitHubSpec, schema: Schema, value: unknown, field = ''): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  check(spec, schema, value, field, issues);
  return issues;
}

function check(spec: GitHubSpec, schema: Schema, value: unknown, field: string, issues: SchemaIssue[]): void {
  if (schema.$ref) {
    if (value === null && schema.nullable) return;
    check(spec, spec.resolve(schema.$ref) as Schema, value, field, issues);
    return;
  }
  if (value === null && schema.nullable) return;
  const where = field === '' ? 'the body' : field;

  if (schema.allOf) for (const part of schema.allOf) check(spec, part, value, field, issues);
  if (schema.anyOf) {
    const results = schema.anyOf.map((alt) => validateSchema(spec, alt, value, field));
    if (!results.some((r) => r.length === 0)) issues.push(...closest(results, where, 'any'));
  }
  if (schema.oneOf) {
    const results = schema.oneOf.map((alt) => validateSchema(spec, alt, value, field));
    const passing = results.filter((r) => r.length === 0).length;
    if (passing === 0) issues.push(...closest(results, where, 'one'));
    else if (passing > 1) {
      issues.push({ field, code: 'invalid', message: `${where} matches more than one of the allowed shapes`, ...valueOf(value) });
    }
  }
  if (schema.enum && !schema.enum.some((allowed) => allowed === value)) {
    issues.push({
      field,
      code: 'invalid',
      message: `${where} must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}, got ${describe(value)}`,
      ...valueOf(value),
    });
    return;
  }
  if (schema.type) {
    if (!hasType(schema.type, value)) {
      issues.push({
        field,
        code: 'invalid',
        message: `${where} must be ${article(schema.type)}${schema.nullable ? ' or null' : ''}, got ${describe(value)}`,
        ...valueOf(value),
      });
      return;
    }
  }

  if (typeof value === 'string') checkString(schema, value, field, where, issues);
  else if (typeof value === 'number') checkNumber(schema, value, field, where, issues);
  else if (Array.isArray(value)) checkArray(spec, schema, value, field, where, issues);
  else if (value !== null && typeof value === 'object') {
    checkObject(spec, schema, value as Record<string, unknown>, field, where, issues);
  }
}

function closest(results: SchemaIssue[][], where: string, kind: 'one' | 'any'): SchemaIssue[] {
  const best = [...results].sort((a, b) => a.length - b.length)[0] ?? [];
  if (results.length === 1) return best;
  const first = best[0];
  const detail = first ? ` (closest: ${first.message})` : '';
  return [
    {
      field: first?.field ?? '',
      code: first?.code ?? 'invalid',
      message: `${where} does not match ${kind === 'one' ? 'exactly one' : 'any'} of the ${results.length} allowed shapes${detail}`,
    },
  ];
}

function checkString(schema: Schema, value: string, field: string, where: string, issues: SchemaIssue[]): void {
  const length = [...value].length;
  if (schema.minLength !== undefined && length < schema.minLength) {
    issues.push({ field, code: 'invalid', message: `${where} must be at least ${schema.minLength} characters long`, value });
  }
  if (schema.maxLength !== undefined && length > schema.maxLength) {
    issues.push({
      field,
      code: 'invalid',
      message: `${where} must be at most ${schema.maxLength} characters long, got ${length}`,
    });
  }
  if (schema.pattern !== undefined && !compilePattern(schema.pattern).test(value)) {
    issues.push({ field, code: 'invalid', message: `${where} must match /${schema.pattern}/`, value });
  }
  if (schema.format === 'date-time' && !isDateTime(value)) {
    issues.push({ field, code: 'invalid', message: `${where} must be an ISO 8601 timestamp, got ${JSON.stringify(value)}`, value });
  }
}

const patterns = new Map<string, RegExp>();
function compilePattern(pattern: string): RegExp {
  let regex = patterns.get(pattern);
  if (!regex) {
    try {
      regex = new RegExp(pattern, 'u');
    } catch {
      regex = new RegExp(pattern);
    }
    patterns.set(pattern, regex);
  }
  return regex;
}

function isDateTime(value: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value))
  );
}

function checkNumber(schema: Schema, value: number, field: string, where: string, issues: SchemaIssue[]): void {
  if (schema.minimum !== undefined && value < schema.minimum) {
    issues.push({ field, code: 'invalid', message: `${where} must be at least ${schema.minimum}, got ${value}`, ...valueOf(value) });
  }
  if (schema.maximum !== undefined && value > schema.maximum) {
    issues.push({ field, code: 'invalid', message: `${where} must be at most ${schema.maximum}, got ${value}`, ...valueOf(value) });
  }
}

function checkArray(
  spec: GitHubSpec,
  schema: Schema,
  value: unknown[],
  field: string,
  where: string,
  issues: SchemaIssue[],
): void {
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    issues.push({ field, code: 'invalid', message: `${where} must have at least ${schema.minItems} items, got ${value.length}` });
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    issues.push({ field, code: 'invalid', message: `${where} must have at most ${schema.maxItems} items, got ${value.length}` });
  }
  if (schema.uniqueItems) {
    const seen = new Set(value.map((v) => JSON.stringify(v)));
    if (seen.size !== value.length) issues.push({ field, code: 'invalid', message: `${where} must not repeat items` });
  }
  if (schema.items) {
    const items = schema.items;
    value.forEach((item, i) => check(spec, items, item, `${field}[${i}]`, issues));
  }
}

function checkObject(
  spec: GitHubSpec,
  schema: Schema,
  value: Record<string, unknown>,
  field: string,
  where: string,
  issues: SchemaIssue[],
): void {
  const join = (key: string): string => (field === '' ? key : `${field}.${key}`);
  for (const key of schema.required ?? []) {
    if (!(key in value) || value[key] === undefined) {
      issues.push({ field: join(key), code: 'missing_field', message: `${join(key)} is required` });
    }
  }
  const keys = Object.keys(value);
  if (schema.maxProperties !== undefined && keys.length > schema.maxProperties) {
    issues.push({ field, code: 'invalid', message: `${where} must have at most ${schema.maxProperties} keys, got ${keys.length}` });
  }
  for (const key of keys) {
    const child = value[key];
    if (child === undefined) continue;
    const propertySchema = schema.properties?.[key];
    if (propertySchema) check(spec, propertySchema, child, join(key), issues);
    else if (schema.additionalProperties === false) {
      issues.push({ field: join(key), code: 'invalid', message: `${join(key)} is not a permitted key` });
    } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      check(spec, schema.additionalProperties, child, join(key), issues);
    }
  }
}

function hasType(type: NonNullable<Schema['type']>, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
  }
}

function article(type: string): string {
  return type === 'integer' || type === 'object' || type === 'array' ? `an ${type}` : `a ${type}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  return `${typeof value} ${String(value)}`;
}

/** GitHub's `value` field takes a string, an integer, null or a list of strings. */
function valueOf(value: unknown): { value?: unknown } {
  if (value === null || typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value))) return { value };
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return { value };
  return {};
}

// ---------------------------------------------------------------------------------------------------------------
// Parameters

/** The largest `per_page` GitHub allows for `parameter`: a documented maximum, "(max N)" in its text, else 100. */
export function effectiveParameterSchema(parameter: Parameter): Schema {
  if (parameter.name !== 'per_page' || parameter.schema.maximum !== undefined) return parameter.schema;
  const stated = /\(max (\d+)\)/.exec(parameter.description ?? '');
  return { ...parameter.schema, maximum: stated ? Number(stated[1]) : 100 };
}

/**
 * Turns the text value(s) of a path or query parameter into the type its schema asks for (integer, number,
 * boolean, array), so that the schema validator can judge it. Text that does not convert stays text, and fails.
 */
export function coerceParameter(spec: GitHubSpec, schema: Schema, raw: string[]): unknown {
  const resolved = schema.$ref ? (spec.resolve(schema.$ref) as Schema) : schema;
  const alternatives = resolved.oneOf ?? resolved.anyOf;
  if (alternatives) {
    for (const alt of alternatives) {
      const value = coerceParameter(spec, alt, raw);
      if (validateSchema(spec, alt, value).length === 0) return value;
    }
    return coerceParameter(spec, alternatives[0] as Schema, raw);
  }
  if (resolved.type === 'array') {
    const items = resolved.items ?? {};
    return raw.map((r) => coerceParameter(spec, items, [r]));
  }
  // A scalar given more than once: the last one wins, as on GitHub.
  const text = raw[raw.length - 1] ?? '';
  switch (resolved.type) {
    case 'integer':
      return /^-?\d+$/.test(text) ? Number(text) : text;
    case 'number':
      return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    default:
      return text;
  }
}
