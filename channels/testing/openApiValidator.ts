import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import type { ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';

/**
 * The platforms' OpenAPI files sit beside the repository (`../shared/specs`), in CI too; from a
 * worktree nested deeper, the nearest `shared/specs` up the tree. `SPECS_DIR` overrides.
 */
export const specsDir = process.env.SPECS_DIR ?? findSpecs(resolve(import.meta.dirname, '../..'));

function findSpecs(repoRoot: string): string {
  for (let dir = repoRoot; ; dir = dirname(dir)) {
    const candidate = join(dirname(dir), 'shared', 'specs');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return join(dirname(repoRoot), 'shared', 'specs');
  }
}

type Schema = Record<string, unknown>;

/**
 * Validates payloads against a named schema of an OpenAPI 3 (`components.schemas`) or Swagger 2
 * (`definitions`) document. Discriminated unions are checked against the concrete subtype their
 * `type` names (ajv alone would only check the base), so a LINE buttons template is held to
 * ButtonsTemplate and its actions to URIAction.
 */
export function openApiValidator(file: string, patch: (schemas: Record<string, Schema>) => void = () => {}) {
  // Compiled on first use: the WhatsApp file alone is a megabyte of YAML.
  let compiled: { ajv: Ajv2019; schemas: Record<string, Schema>; refPrefix: string } | undefined;
  const load = () => {
    if (compiled) return compiled;
    const text = readFileSync(resolve(specsDir, file), 'utf8');
    const doc = (file.endsWith('.json') ? JSON.parse(text) : parseYaml(text)) as Schema;
    const swagger2 = 'definitions' in doc;
    const schemas = (swagger2 ? doc.definitions : (doc.components as Schema).schemas) as Record<string, Schema>;
    const refPrefix = swagger2 ? '#/definitions/' : '#/components/schemas/';
    patch(schemas);
    resolveDiscriminators(schemas, refPrefix);
    closeAllOfs(schemas);
    const ajv = new Ajv2019({ strict: false, validateFormats: false, allErrors: true });
    ajv.addSchema({ $id: 'spec', ...(swagger2 ? { definitions: schemas } : { components: { schemas } }) });
    return (compiled = { ajv, schemas, refPrefix });
  };
  return {
    /** the validation errors, or [] when the value fits */
    check(schemaName: string, value: unknown): string[] {
      const { ajv, schemas, refPrefix } = load();
      const name = `${schemaName}__any` in schemas ? `${schemaName}__any` : schemaName;
      const validate = ajv.getSchema(`spec${refPrefix}${name}`);
      if (!validate) throw new Error(`${file} has no schema ${schemaName}`);
      return validate(value) ? [] : (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? 'invalid'}`);
    },
  };
}

function resolveDiscriminators(schemas: Record<string, Schema>, refPrefix: string): void {
  const union = new Set<string>();
  for (const [name, schema] of Object.entries(schemas)) {
    const discriminator = schema.discriminator as { propertyName: string; mapping?: Record<string, string> } | undefined;
    if (!discriminator?.mapping) continue;
    const property = discriminator.propertyName;
    const byValue = Object.entries(discriminator.mapping).map(([value, ref]) => ({
      if: { properties: { [property]: { const: value } }, required: [property] },
      then: { $ref: ref },
    }));
    const choose = { required: [property], properties: { [property]: { enum: Object.keys(discriminator.mapping) } }, allOf: byValue };
    if (schema.oneOf) {
      // The union lists its members itself (WhatsApp): pick by the discriminator instead of oneOf.
      delete schema.oneOf;
      Object.assign(schema, choose);
    } else {
      // Members extend the base through allOf (LINE): references elsewhere mean "any member".
      schemas[`${name}__any`] = choose;
      union.add(name);
    }
  }
  const rewrite = (node: unknown, inAllOf: boolean): void => {
    if (Array.isArray(node)) return node.forEach((item) => rewrite(item, inAllOf));
    if (!node || typeof node !== 'object') return;
    const obj = node as Schema;
    if (typeof obj.$ref === 'string' && !inAllOf) {
      const target = obj.$ref.slice(refPrefix.length);
      if (obj.$ref.startsWith(refPrefix) && union.has(target)) obj.$ref = `${refPrefix}${target}__any`;
    }
    for (const [key, value] of Object.entries(obj)) rewrite(value, key === 'allOf');
  };
  for (const [name, schema] of Object.entries(schemas)) if (!name.endsWith('__any')) rewrite(schema, false);
}

/**
 * `allOf: [base, {additionalProperties: false, …}]` refuses the base's own fields under JSON Schema
 * rules, which is not what the spec's authors mean: close the combined object instead.
 */
function closeAllOfs(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(closeAllOfs);
  if (!node || typeof node !== 'object') return;
  const obj = node as Schema;
  if (Array.isArray(obj.allOf)) {
    let closed = false;
    for (const branch of obj.allOf as Schema[]) {
      if (branch && branch.additionalProperties === false) {
        delete branch.additionalProperties;
        closed = true;
      }
    }
    if (closed) obj.unevaluatedProperties = false;
  }
  for (const value of Object.values(obj)) closeAllOfs(value);
}
